/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the statistics: collection into struct husk_stats from the
 * files of fake cgroup roots (a pure v1 host, a pure v2 host, a host with
 * no controller) and a fake /proc/PID/net/dev, and the JSON of runc's stats
 * event written from a filled struct. */
#include "config.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <yajl/yajl_gen.h>
#include "husk/cgroups.h"
#include "husk/stats.h"
#include "cgroups/internal.h"
#include "json.h"
#include "utils.h"
#include "tap.h"

static char root[PATH_MAX];

static void
mkdirs (const char *rel)
{
  char path[PATH_MAX * 2];
  snprintf (path, sizeof path, "%s%s", root, rel);
  for (char *s = path + strlen (root) + 1; (s = strchr (s, '/')); s++)
    {
      *s = '\0';
      mkdir (path, 0755);
      *s = '/';
    }
  mkdir (path, 0755);
}

/* Write a file of the fake root: put ("/a/b", "%s", "text"). */
static void __attribute__ ((format (printf, 2, 3))) put (const char *rel, const char *fmt, ...)
{
  char path[PATH_MAX * 2];
  snprintf (path, sizeof path, "%s%s", root, rel);
  FILE *f = fopen (path, "w");
  if (f == NULL)
    {
      printf ("# cannot write %s\n", path);
      exit (2);
    }
  va_list ap;
  va_start (ap, fmt);
  vfprintf (f, fmt, ap);
  va_end (ap);
  fclose (f);
}

/* The same, for a file of a directory of the fake root. */
static void __attribute__ ((format (printf, 3, 4)))
put_in (const char *dir, const char *file, const char *fmt, ...)
{
  char rel[PATH_MAX * 2], text[4096];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (text, sizeof text, fmt, ap);
  va_end (ap);
  snprintf (rel, sizeof rel, "%s/%s", dir, file);
  put (rel, "%s", text);
}
#define PUT(dir, file, ...) put_in (dir, file, __VA_ARGS__)

static void
rm_in (const char *dir, const char *file)
{
  char path[PATH_MAX * 3];
  snprintf (path, sizeof path, "%s%s/%s", root, dir, file);
  unlink (path);
}

static void
new_root (void)
{
  snprintf (root, sizeof root, "/tmp/husk-stats-test.XXXXXX");
  if (mkdtemp (root) == NULL)
    exit (2);
  mkdirs ("/proc/self");
}

static void
drop_root (void)
{
  struct husk_error err;
  hk_rmtree_at (AT_FDCWD, root, &err);
}

/* The container's cgroup "c1" made by the cgroupfs driver in the fake root. */
static struct husk_cgroup *
make_cgroup (void)
{
  struct husk_error err = { 0 };
  struct husk_cgroup_opts o = { .id = "c1", .fs_root = root };
  struct husk_cgroup *cg = NULL;
  if (hk_cgroup_create (&o, &cg, &err) < 0)
    {
      printf ("# create: %s\n", err.msg);
      exit (2);
    }
  return cg;
}

static char *
to_json (const struct husk_stats *s)
{
  struct husk_error err = { 0 };
  char *out = NULL;
  yajl_gen g = hk_json_gen (NULL);
  cg_stats_json (s, g);
  if (hk_json_finish (g, false, &out, NULL, &err) < 0)
    printf ("# json: %s\n", err.msg);
  yajl_gen_free (g);
  return out;
}

static const struct husk_stats_hugetlb *
hugetlb (const struct husk_stats *s, const char *size)
{
  for (size_t i = 0; i < s->n_hugetlb; i++)
    if (strcmp (s->hugetlb[i].pagesize, size) == 0)
      return &s->hugetlb[i];
  return NULL;
}

static void
test_v1 (void)
{
  struct husk_error err = { 0 };
  new_root ();
  static const char *const h[] = { "cpu,cpuacct", "cpuset", "memory", "pids", "blkio", "hugetlb" };
  char mi[2048] = "", pc[512] = "";
  size_t len = 0, plen = 0;
  for (size_t i = 0; i < ARRAY_SIZE (h); i++)
    {
      char dir[PATH_MAX];
      len += (size_t) snprintf (mi + len, sizeof mi - len,
                                "%zu 30 0:%zu / /sys/fs/cgroup/%s rw - cgroup cgroup rw,%s\n",
                                31 + i, 40 + i, h[i], h[i]);
      plen += (size_t) snprintf (pc + plen, sizeof pc - plen, "%zu:%s:/\n", i + 1, h[i]);
      snprintf (dir, sizeof dir, "/sys/fs/cgroup/%s", h[i]);
      mkdirs (dir);
    }
  put ("/proc/self/mountinfo", "%s", mi);
  put ("/proc/self/cgroup", "%s", pc);
  put ("/sys/fs/cgroup/cpuset/cpuset.cpus", "0-1\n");
  put ("/sys/fs/cgroup/cpuset/cpuset.mems", "0\n");
  struct husk_cgroup *cg = make_cgroup ();

  const char *c = "/sys/fs/cgroup/cpu,cpuacct/husk/c1";
  PUT (c, "cpuacct.usage", "123456789\n");
  PUT (c, "cpuacct.usage_percpu", "100 200 \n");
  PUT (c, "cpuacct.usage_percpu_sys", "10 20 \n");
  PUT (c, "cpuacct.usage_percpu_user", "90 180 \n");
  PUT (c, "cpuacct.stat", "user 5\nsystem 3\n");
  PUT (c, "cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 5000\n");
  const char *m = "/sys/fs/cgroup/memory/husk/c1";
  PUT (m, "memory.stat", "cache 4096\nrss 8192\ntotal_cache 4096\n");
  PUT (m, "memory.limit_in_bytes", "67108864\n");
  PUT (m, "memory.usage_in_bytes", "12288\n");
  PUT (m, "memory.max_usage_in_bytes", "20480\n");
  PUT (m, "memory.failcnt", "1\n");
  PUT (m, "memory.memsw.limit_in_bytes", "9223372036854771712\n");
  PUT (m, "memory.memsw.usage_in_bytes", "16384\n");
  PUT (m, "memory.memsw.max_usage_in_bytes", "24576\n");
  PUT (m, "memory.memsw.failcnt", "0\n");
  PUT (m, "memory.kmem.usage_in_bytes", "512\n");
  const char *p = "/sys/fs/cgroup/pids/husk/c1";
  PUT (p, "pids.current", "3\n");
  PUT (p, "pids.max", "max\n");
  const char *b = "/sys/fs/cgroup/blkio/husk/c1";
  PUT (b, "blkio.throttle.io_service_bytes_recursive",
       "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n"
       "8:0 Total 12288\nTotal 12288\n");
  const char *t = "/sys/fs/cgroup/hugetlb/husk/c1";
  PUT (t, "hugetlb.2MB.usage_in_bytes", "2097152\n");
  PUT (t, "hugetlb.2MB.max_usage_in_bytes", "4194304\n");
  PUT (t, "hugetlb.2MB.failcnt", "7\n");
  PUT (t, "hugetlb.2MB.limit_in_bytes", "9223372036854771712\n");
  PUT (t, "hugetlb.1GB.usage_in_bytes", "0\n");
  mkdirs ("/proc/4242/net");
  put (
      "/proc/4242/net/dev",
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
      "    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n"
      "  eth0:    1500      10    1    2    0     0          0         0      700       5    3    4    0     0       0          0\n");

  struct husk_stats *s = NULL;
  ok (cg_stats_collect (cg, 4242, &s, &err) == 0 && s, "v1: collect");
  if (s == NULL)
    {
      printf ("# %s\n", err.msg);
      exit (1);
    }
  long hz = sysconf (_SC_CLK_TCK);
  ok (s->cpu.has_total && s->cpu.total == 123456789, "v1 cpu total from cpuacct.usage");
  ok (s->cpu.has_percpu && s->cpu.n_percpu == 2 && s->cpu.percpu[0] == 100
          && s->cpu.percpu[1] == 200,
      "v1 per-cpu usage");
  ok (s->cpu.has_percpu_kernel && s->cpu.n_percpu_kernel == 2 && s->cpu.percpu_kernel[1] == 20,
      "v1 per-cpu kernel");
  ok (s->cpu.has_percpu_user && s->cpu.n_percpu_user == 2 && s->cpu.percpu_user[1] == 180,
      "v1 per-cpu user");
  ok (s->cpu.has_kernel_user && s->cpu.user == 5 * (1000000000 / (uint64_t) hz)
          && s->cpu.kernel == 3 * (1000000000 / (uint64_t) hz),
      "v1 user and kernel from ticks to ns");
  ok (s->cpu.has_throttling && s->cpu.periods == 10 && s->cpu.throttled_periods == 2
          && s->cpu.throttled_time == 5000,
      "v1 throttling");
  ok (s->memory.present && s->memory.cache == 4096, "v1 cache from memory.stat");
  ok (s->memory.usage.present && s->memory.usage.limit == 67108864 && s->memory.usage.usage == 12288
          && s->memory.usage.max == 20480 && s->memory.usage.failcnt == 1,
      "v1 memory usage");
  ok (s->memory.swap.present && s->memory.swap.usage == 16384 && s->memory.swap.max == 24576
          && s->memory.swap.limit == 9223372036854771712ull,
      "v1 memsw as swap");
  ok (s->memory.kernel.present && s->memory.kernel.usage == 512 && s->memory.kernel.limit == 0,
      "v1 kmem (missing files read 0)");
  ok (s->memory.kernel_tcp.present && s->memory.kernel_tcp.usage == 0, "v1 kmem.tcp");
  ok (s->memory.has_stat && s->memory.n_stat == 3 && strcmp (s->memory.stat[1].key, "rss") == 0
          && s->memory.stat[1].value == 8192,
      "v1 memory.stat, in order");
  ok (s->pids.present && s->pids.current == 3 && s->pids.limit == 0, "pids; max is no limit (0)");
  ok (s->blkio.has_service_bytes && s->blkio.n_service_bytes == 6,
      "v1 blkio bytes: every device line");
  ok (s->blkio.n_service_bytes == 6 && s->blkio.service_bytes[1].major == 8
          && s->blkio.service_bytes[1].minor == 0
          && strcmp (s->blkio.service_bytes[1].op, "Write") == 0
          && s->blkio.service_bytes[1].value == 8192,
      "v1 blkio entry");
  ok (!s->blkio.has_serviced && s->blkio.n_serviced == 0,
      "v1 blkio serviced absent without its file");
  is_int (s->n_hugetlb, 2, "v1 hugetlb: one entry per size");
  const struct husk_stats_hugetlb *h2 = hugetlb (s, "2MB");
  ok (h2 && h2->usage == 2097152 && h2->has_max && h2->max == 4194304 && h2->failcnt == 7,
      "v1 hugetlb 2MB");
  ok (hugetlb (s, "1GB") != NULL, "v1 hugetlb 1GB");
  ok (s->has_network && s->n_network == 1, "network: lo left out");
  ok (s->n_network == 1 && strcmp (s->network[0].name, "eth0") == 0
          && s->network[0].rx_bytes == 1500 && s->network[0].rx_packets == 10
          && s->network[0].rx_errors == 1 && s->network[0].rx_dropped == 2
          && s->network[0].tx_bytes == 700 && s->network[0].tx_packets == 5
          && s->network[0].tx_errors == 3 && s->network[0].tx_dropped == 4,
      "network: eth0 counters");
  husk_stats_free (s);

  s = NULL;
  ok (cg_stats_collect (cg, 0, &s, &err) == 0 && s && !s->has_network, "no pid: no network part");
  husk_stats_free (s);
  s = NULL;
  ok (cg_stats_collect (cg, 4343, &s, &err) == 0 && s && !s->has_network,
      "an unreadable net/dev: no network part");
  husk_stats_free (s);

  /* the JSON of the whole collection: the same keys as runc's event */
  s = NULL;
  PUT (c, "cpuacct.stat", "user 0\nsystem 0\n");
  rm_in (t, "hugetlb.1GB.usage_in_bytes");
  ok (cg_stats_collect (cg, 4242, &s, &err) == 0, "v1: collect again");
  char *j = s ? to_json (s) : NULL;
  is_str (
      j,
      "{\"cpu\":{\"usage\":{\"total\":123456789,\"percpu\":[100,200],\"percpu_kernel\":[10,20],"
      "\"percpu_user\":[90,180],\"kernel\":0,\"user\":0},\"throttling\":{\"periods\":10,"
      "\"throttled_periods\":2,\"throttled_time\":5000}},"
      "\"memory\":{\"cache\":4096,\"usage\":{\"limit\":67108864,\"usage\":12288,\"max\":20480,"
      "\"failcnt\":1},\"swap\":{\"limit\":9223372036854771712,\"usage\":16384,\"max\":24576,"
      "\"failcnt\":0},\"kernel\":{\"limit\":0,\"usage\":512,\"max\":0,\"failcnt\":0},"
      "\"kernelTCP\":{\"limit\":0,\"usage\":0,\"max\":0,\"failcnt\":0},"
      "\"raw\":{\"cache\":4096,\"rss\":8192,\"total_cache\":4096}},"
      "\"pids\":{\"current\":3,\"limit\":0},"
      "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"minor\":0,\"op\":\"Read\",\"value\":4096},"
      "{\"major\":8,\"minor\":0,\"op\":\"Write\",\"value\":8192},{\"major\":8,\"minor\":0,\"op\":\"Sync\",\"value\":0},"
      "{\"major\":8,\"minor\":0,\"op\":\"Async\",\"value\":12288},{\"major\":8,\"minor\":0,\"op\":\"Discard\",\"value\":0},"
      "{\"major\":8,\"minor\":0,\"op\":\"Total\",\"value\":12288}]},"
      "\"hugetlb\":{\"2MB\":{\"usage\":2097152,\"max\":4194304,\"failcnt\":7}},"
      "\"network_interfaces\":[{\"name\":\"eth0\",\"rx_bytes\":1500,\"rx_packets\":10,\"rx_errors\":1,"
      "\"rx_dropped\":2,\"tx_bytes\":700,\"tx_packets\":5,\"tx_errors\":3,\"tx_dropped\":4}]}",
      "v1: the event's data as JSON");
  free (j);
  husk_stats_free (s);
  hk_cgroup_free (cg);
  drop_root ();
}

static void
test_v2 (void)
{
  struct husk_error err = { 0 };
  new_root ();
  put ("/proc/self/mountinfo",
       "25 20 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
  put ("/proc/self/cgroup", "0::/\n");
  mkdirs ("/sys/fs/cgroup");
  put ("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
  put ("/sys/fs/cgroup/cgroup.subtree_control", "%s", "");
  struct husk_cgroup *cg = make_cgroup ();
  const char *d = "/sys/fs/cgroup/husk/c1";
  PUT (d, "cpu.stat",
       "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\n"
       "nr_throttled 1\nthrottled_usec 7\n");
  PUT (d, "memory.stat", "anon 100\nfile 4096\nkernel 8\n");
  PUT (d, "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
  PUT (d, "memory.max", "max\n");
  PUT (d, "memory.current", "8192\n");
  PUT (d, "memory.peak", "16384\n");
  PUT (d, "memory.swap.max", "0\n");
  PUT (d, "memory.swap.current", "0\n");
  PUT (d, "pids.current", "2\n");
  PUT (d, "pids.max", "20\n");
  PUT (d, "io.stat",
       "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0\n"
       "8:16 rbytes=5 wbytes=6 rios=7 wios=8 dbytes=0 dios=0\n");
  PUT (d, "hugetlb.2MB.current", "2097152\n");
  PUT (d, "hugetlb.2MB.max", "max\n");
  PUT (d, "hugetlb.2MB.events", "max 2\n");
  PUT (d, "hugetlb.2MB.rsvd.current", "4194304\n");

  struct husk_stats *s = NULL;
  ok (cg_stats_collect (cg, 0, &s, &err) == 0 && s, "v2: collect");
  if (s == NULL)
    {
      printf ("# %s\n", err.msg);
      exit (1);
    }
  ok (s->cpu.has_total && s->cpu.total == 1500000 && s->cpu.has_kernel_user
          && s->cpu.user == 1000000 && s->cpu.kernel == 500000,
      "v2 cpu usage from cpu.stat, in ns");
  ok (!s->cpu.has_percpu && !s->cpu.has_percpu_kernel && !s->cpu.has_percpu_user,
      "v2 has no per-cpu usage");
  ok (s->cpu.has_throttling && s->cpu.periods == 4 && s->cpu.throttled_periods == 1
          && s->cpu.throttled_time == 7000,
      "v2 throttling, time in ns");
  ok (s->memory.present && s->memory.cache == 4096, "v2 cache is memory.stat file");
  ok (s->memory.usage.limit == UINT64_MAX && s->memory.usage.usage == 8192
          && s->memory.usage.max == 16384 && s->memory.usage.failcnt == 3,
      "v2 memory: max is unlimited, peak, max events as failcnt");
  ok (s->memory.swap.present && s->memory.swap.limit == 0 && s->memory.swap.max == 0, "v2 swap");
  ok (!s->memory.kernel.present && !s->memory.kernel_tcp.present,
      "v2 has no kernel memory counters");
  ok (s->memory.has_stat && s->memory.n_stat == 3, "v2 memory.stat");
  ok (s->pids.present && s->pids.current == 2 && s->pids.limit == 20, "v2 pids");
  ok (s->blkio.has_service_bytes && s->blkio.n_service_bytes == 4 && s->blkio.has_serviced
          && s->blkio.n_serviced == 4,
      "v2 io.stat: read and write of each device");
  ok (s->blkio.n_service_bytes == 4 && s->blkio.service_bytes[2].minor == 16
          && strcmp (s->blkio.service_bytes[2].op, "Read") == 0
          && s->blkio.service_bytes[2].value == 5 && s->blkio.serviced[3].value == 8
          && strcmp (s->blkio.serviced[3].op, "Write") == 0,
      "v2 io.stat values");
  is_int (s->n_hugetlb, 1, "v2 hugetlb: .rsvd. and .max left out");
  ok (s->n_hugetlb == 1 && strcmp (s->hugetlb[0].pagesize, "2MB") == 0
          && s->hugetlb[0].usage == 2097152 && !s->hugetlb[0].has_max && s->hugetlb[0].failcnt == 2,
      "v2 hugetlb 2MB: usage, max events as failcnt");
  ok (!s->has_network, "no pid, no network");
  char *j = to_json (s);
  is_str (
      j,
      "{\"cpu\":{\"usage\":{\"total\":1500000,\"kernel\":500000,\"user\":1000000},"
      "\"throttling\":{\"periods\":4,\"throttled_periods\":1,\"throttled_time\":7000}},"
      "\"memory\":{\"cache\":4096,\"usage\":{\"limit\":18446744073709551615,\"usage\":8192,"
      "\"max\":16384,\"failcnt\":3},\"swap\":{\"limit\":0,\"usage\":0,\"max\":0,\"failcnt\":0},"
      "\"raw\":{\"anon\":100,\"file\":4096,\"kernel\":8}},"
      "\"pids\":{\"current\":2,\"limit\":20},"
      "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"minor\":0,\"op\":\"Read\",\"value\":1},"
      "{\"major\":8,\"minor\":0,\"op\":\"Write\",\"value\":2},{\"major\":8,\"minor\":16,\"op\":\"Read\",\"value\":5},"
      "{\"major\":8,\"minor\":16,\"op\":\"Write\",\"value\":6}],"
      "\"ioServicedRecursive\":[{\"major\":8,\"minor\":0,\"op\":\"Read\",\"value\":3},"
      "{\"major\":8,\"minor\":0,\"op\":\"Write\",\"value\":4},{\"major\":8,\"minor\":16,\"op\":\"Read\",\"value\":7},"
      "{\"major\":8,\"minor\":16,\"op\":\"Write\",\"value\":8}]},"
      "\"hugetlb\":{\"2MB\":{\"usage\":2097152,\"failcnt\":2}}}",
      "v2: the event's data as JSON");
  free (j);
  husk_stats_free (s);

  /* a cgroup whose files the kernel does not have (yet): empty parts */
  const char *gone[] = { "cpu.stat", "memory.stat", "memory.events", "io.stat",
                         "hugetlb.2MB.current" };
  for (size_t i = 0; i < ARRAY_SIZE (gone); i++)
    rm_in (d, gone[i]);
  s = NULL;
  ok (cg_stats_collect (cg, 0, &s, &err) == 0 && s, "v2: collect without the stat files");
  j = s ? to_json (s) : NULL;
  is_str (
      j,
      "{\"cpu\":{\"usage\":{},\"throttling\":{}},"
      "\"memory\":{\"cache\":0,\"usage\":{\"limit\":18446744073709551615,\"usage\":8192,"
      "\"max\":16384,\"failcnt\":0},\"swap\":{\"limit\":0,\"usage\":0,\"max\":0,\"failcnt\":0}},"
      "\"pids\":{\"current\":2,\"limit\":20},\"blkio\":{},\"hugetlb\":{}}",
      "v2: what is missing is left out");
  free (j);
  husk_stats_free (s);
  hk_cgroup_free (cg);
  drop_root ();
}

/* The emitter alone, from structs filled by hand. */
static void
test_json (void)
{
  struct husk_stats empty = { 0 };
  char *j = to_json (&empty);
  is_str (
      j,
      "{\"cpu\":{\"usage\":{},\"throttling\":{}},\"memory\":{},\"pids\":{},\"blkio\":{},\"hugetlb\":{}}",
      "nothing read: the parts are empty objects, no network key");
  free (j);

  uint64_t pc[] = { 1, 2, 3 };
  struct husk_stats_kv raw[] = { { (char *) "a\"b", 1 } };
  struct husk_stats_blkio_entry be[] = { { 253, 1, "Read", 42 } };
  struct husk_stats_hugetlb hp[] = { { "1GB", 5, true, 6, 7 }, { "64KB", 8, false, 0, 9 } };
  struct husk_stats_net net[] = { { "veth\\0", 1, 2, 3, 4, 5, 6, 7, 8 } };
  struct husk_stats s = {
    .cpu = { .has_percpu_user = true, .percpu_user = pc, .n_percpu_user = 3 },
    .memory = { .present = true,
                .cache = 9,
                .kernel = { true, 1, 2, 3, 4 },
                .has_stat = true,
                .stat = raw,
                .n_stat = 1 },
    .pids = { .present = true, .current = 1, .limit = 0 },
    .blkio = { .has_serviced = true, .serviced = be, .n_serviced = 1 },
    .hugetlb = hp,
    .n_hugetlb = 2,
    .has_network = true,
    .network = net,
    .n_network = 1,
  };
  j = to_json (&s);
  is_str (
      j,
      "{\"cpu\":{\"usage\":{\"percpu_user\":[1,2,3]},\"throttling\":{}},"
      "\"memory\":{\"cache\":9,\"kernel\":{\"limit\":1,\"usage\":2,\"max\":3,\"failcnt\":4},"
      "\"raw\":{\"a\\\"b\":1}},"
      "\"pids\":{\"current\":1,\"limit\":0},"
      "\"blkio\":{\"ioServicedRecursive\":[{\"major\":253,\"minor\":1,\"op\":\"Read\",\"value\":42}]},"
      "\"hugetlb\":{\"1GB\":{\"usage\":5,\"max\":6,\"failcnt\":7},\"64KB\":{\"usage\":8,\"failcnt\":9}},"
      "\"network_interfaces\":[{\"name\":\"veth\\\\0\",\"rx_bytes\":1,\"rx_packets\":2,\"rx_errors\":3,"
      "\"rx_dropped\":4,\"tx_bytes\":5,\"tx_packets\":6,\"tx_errors\":7,\"tx_dropped\":8}]}",
      "each part only as present, keys escaped, in the struct's order");
  free (j);

  struct husk_stats nonet = { .has_network = true };
  j = to_json (&nonet);
  like (j, "\"network_interfaces\":[]}", "a namespace with only lo: an empty list");
  free (j);
  husk_stats_free (NULL);
  ok (1, "husk_stats_free (NULL) is a no-op");
}

/* The library call: the container must exist. */
static void
test_read_errors (void)
{
  struct husk_error err = { 0 };
  struct husk_store store = { .dirfd = -1, .root = (char *) "/nonexistent" };
  struct husk_stats *s = (struct husk_stats *) &err;
  ok (husk_container_stats_read (&store, "nope", &s, &err) < 0 && s == NULL,
      "stats of a missing container: an error, *out NULL");
  like (err.msg, "does not exist", "and says why");
}

int
main (void)
{
  test_v1 ();
  test_v2 ();
  test_json ();
  test_read_errors ();
  return tap_done ();
}
