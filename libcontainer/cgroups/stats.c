/* Statistics of the container's cgroup in the shape of runc's events
 * ("type":"stats" data: cpu, memory, pids, blkio, hugetlb,
 * network_interfaces), and OOM notifications (v1 cgroup.event_control with
 * an eventfd, v2 memory.events watched with inotify). */
#include "config.h"
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include "cgroups/internal.h"
#include "json.h"
#include "utils.h"

static void
knum (yajl_gen g, const char *k, uint64_t v)
{
  char b[32];
  int n = snprintf (b, sizeof b, "%" PRIu64, v);
  hk_json_key (g, k);
  yajl_gen_number (g, b, (size_t) n);
}

static uint64_t
rd (const struct husk_cgroup *cg, const struct cg_place *p, const char *file)
{
  uint64_t v = 0;
  cg_read_u64 (cg, p, file, &v);
  return v;
}

/* "key value" lines: the value of key, 0 when absent. */
static uint64_t
kv (const char *text, const char *key)
{
  size_t kl = strlen (key);
  for (const char *l = text; l && *l; l = strchr (l, '\n') ? strchr (l, '\n') + 1 : NULL)
    if (strncmp (l, key, kl) == 0 && l[kl] == ' ')
      return strtoull (l + kl + 1, NULL, 10);
  return 0;
}

static void
raw_map (yajl_gen g, const char *text)
{
  hk_json_key (g, "raw");
  yajl_gen_map_open (g);
  for (const char *l = text; l && *l; l = strchr (l, '\n') ? strchr (l, '\n') + 1 : NULL)
    {
      const char *sp = strchr (l, ' ');
      const char *nl = strchrnul (l, '\n');
      if (sp == NULL || sp > nl)
        continue;
      char key[128];
      snprintf (key, sizeof key, "%.*s", (int) (sp - l), l);
      knum (g, key, strtoull (sp + 1, NULL, 10));
    }
  yajl_gen_map_close (g);
}

static void
percpu (yajl_gen g, const char *key, const char *text)
{
  if (text == NULL)
    return;
  hk_json_key (g, key);
  yajl_gen_array_open (g);
  for (char *p = (char *) text, *e; *p; p = e)
    {
      uint64_t v = strtoull (p, &e, 10);
      if (e == p)
        break;
      char b[32];
      int n = snprintf (b, sizeof b, "%" PRIu64, v);
      yajl_gen_number (g, b, (size_t) n);
    }
  yajl_gen_array_close (g);
}

static void
cpu_stats (const struct husk_cgroup *cg, yajl_gen g)
{
  const struct cg_place *acct = cg_place_of (cg, "cpuacct");
  const struct cg_place *cpu = cg_place_of (cg, "cpu");
  struct husk_error ign;
  hk_json_key (g, "cpu");
  yajl_gen_map_open (g);
  hk_json_key (g, "usage");
  yajl_gen_map_open (g);
  _cleanup_free_ char *st = NULL, *pc = NULL, *pck = NULL, *pcu = NULL;
  if (acct && !acct->v2)
    {
      long hz = sysconf (_SC_CLK_TCK);
      knum (g, "total", rd (cg, acct, "cpuacct.usage"));
      if (cg_read (cg, acct, "cpuacct.usage_percpu", &pc, &ign) == 0)
        percpu (g, "percpu", pc);
      if (cg_read (cg, acct, "cpuacct.usage_percpu_sys", &pck, &ign) == 0)
        percpu (g, "percpu_kernel", pck);
      if (cg_read (cg, acct, "cpuacct.usage_percpu_user", &pcu, &ign) == 0)
        percpu (g, "percpu_user", pcu);
      if (cg_read (cg, acct, "cpuacct.stat", &st, &ign) == 0 && hz > 0)
        {
          knum (g, "kernel", kv (st, "system") * (1000000000 / (uint64_t) hz));
          knum (g, "user", kv (st, "user") * (1000000000 / (uint64_t) hz));
        }
    }
  else if (acct && cg_read (cg, acct, "cpu.stat", &st, &ign) == 0)
    {
      knum (g, "total", kv (st, "usage_usec") * 1000);
      knum (g, "kernel", kv (st, "system_usec") * 1000);
      knum (g, "user", kv (st, "user_usec") * 1000);
    }
  yajl_gen_map_close (g);
  _cleanup_free_ char *cs = NULL;
  hk_json_key (g, "throttling");
  yajl_gen_map_open (g);
  if (cpu && cg_read (cg, cpu, "cpu.stat", &cs, &ign) == 0)
    {
      knum (g, "periods", kv (cs, "nr_periods"));
      knum (g, "throttled_periods", kv (cs, "nr_throttled"));
      knum (g, "throttled_time", cpu->v2 ? kv (cs, "throttled_usec") * 1000 : kv (cs, "throttled_time"));
    }
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
}

static void
mem_entry (yajl_gen g, const char *key, uint64_t limit, uint64_t usage, uint64_t max,
           uint64_t failcnt)
{
  hk_json_key (g, key);
  yajl_gen_map_open (g);
  knum (g, "limit", limit);
  knum (g, "usage", usage);
  knum (g, "max", max);
  knum (g, "failcnt", failcnt);
  yajl_gen_map_close (g);
}

static void
memory_stats (const struct husk_cgroup *cg, yajl_gen g)
{
  const struct cg_place *p = cg_place_of (cg, "memory");
  struct husk_error ign;
  hk_json_key (g, "memory");
  yajl_gen_map_open (g);
  _cleanup_free_ char *stat = NULL, *ev = NULL;
  if (p && !p->v2)
    {
      cg_read (cg, p, "memory.stat", &stat, &ign);
      knum (g, "cache", stat ? kv (stat, "cache") : 0);
      mem_entry (g, "usage", rd (cg, p, "memory.limit_in_bytes"), rd (cg, p, "memory.usage_in_bytes"),
                 rd (cg, p, "memory.max_usage_in_bytes"), rd (cg, p, "memory.failcnt"));
      if (cg_exists (cg, p, "memory.memsw.usage_in_bytes"))
        mem_entry (g, "swap", rd (cg, p, "memory.memsw.limit_in_bytes"),
                   rd (cg, p, "memory.memsw.usage_in_bytes"),
                   rd (cg, p, "memory.memsw.max_usage_in_bytes"), rd (cg, p, "memory.memsw.failcnt"));
      mem_entry (g, "kernel", rd (cg, p, "memory.kmem.limit_in_bytes"),
                 rd (cg, p, "memory.kmem.usage_in_bytes"), rd (cg, p, "memory.kmem.max_usage_in_bytes"),
                 rd (cg, p, "memory.kmem.failcnt"));
      mem_entry (g, "kernelTCP", rd (cg, p, "memory.kmem.tcp.limit_in_bytes"),
                 rd (cg, p, "memory.kmem.tcp.usage_in_bytes"),
                 rd (cg, p, "memory.kmem.tcp.max_usage_in_bytes"), rd (cg, p, "memory.kmem.tcp.failcnt"));
    }
  else if (p)
    {
      cg_read (cg, p, "memory.stat", &stat, &ign);
      cg_read (cg, p, "memory.events", &ev, &ign);
      knum (g, "cache", stat ? kv (stat, "file") : 0);
      mem_entry (g, "usage", rd (cg, p, "memory.max"), rd (cg, p, "memory.current"),
                 rd (cg, p, "memory.peak"), ev ? kv (ev, "max") : 0);
      mem_entry (g, "swap", rd (cg, p, "memory.swap.max"), rd (cg, p, "memory.swap.current"),
                 rd (cg, p, "memory.swap.peak"), 0);
    }
  if (stat)
    raw_map (g, stat);
  yajl_gen_map_close (g);
}

static void
pids_stats (const struct husk_cgroup *cg, yajl_gen g)
{
  const struct cg_place *p = cg_place_of (cg, "pids");
  hk_json_key (g, "pids");
  yajl_gen_map_open (g);
  if (p)
    {
      uint64_t lim = rd (cg, p, "pids.max");
      knum (g, "current", rd (cg, p, "pids.current"));
      knum (g, "limit", lim == UINT64_MAX ? 0 : lim);
    }
  yajl_gen_map_close (g);
}

static void
blkio_entry (yajl_gen g, unsigned maj, unsigned min, const char *op, uint64_t v)
{
  yajl_gen_map_open (g);
  knum (g, "major", maj);
  knum (g, "minor", min);
  hk_json_kstr (g, "op", op);
  knum (g, "value", v);
  yajl_gen_map_close (g);
}

/* v1 "8:0 Read 4096" lines. */
static void
blkio_v1 (yajl_gen g, const char *key, const char *text)
{
  hk_json_key (g, key);
  yajl_gen_array_open (g);
  for (const char *l = text; l && *l; l = strchr (l, '\n') ? strchr (l, '\n') + 1 : NULL)
    {
      unsigned maj, min;
      char op[16];
      unsigned long long v;
      if (sscanf (l, "%u:%u %15s %llu", &maj, &min, op, &v) == 4)
        blkio_entry (g, maj, min, op, v);
    }
  yajl_gen_array_close (g);
}

/* v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ...". */
static void
blkio_v2 (yajl_gen g, const char *key, const char *text, const char *rk, const char *wk)
{
  hk_json_key (g, key);
  yajl_gen_array_open (g);
  for (const char *l = text; l && *l; l = strchr (l, '\n') ? strchr (l, '\n') + 1 : NULL)
    {
      unsigned maj, min;
      if (sscanf (l, "%u:%u", &maj, &min) != 2)
        continue;
      const char *nl = strchrnul (l, '\n');
      const char *r = strstr (l, rk), *w = strstr (l, wk);
      if (r && r < nl)
        blkio_entry (g, maj, min, "Read", strtoull (r + strlen (rk), NULL, 10));
      if (w && w < nl)
        blkio_entry (g, maj, min, "Write", strtoull (w + strlen (wk), NULL, 10));
    }
  yajl_gen_array_close (g);
}

static void
blkio_stats (const struct husk_cgroup *cg, yajl_gen g)
{
  const struct cg_place *p = cg_place_of (cg, "blkio");
  struct husk_error ign;
  hk_json_key (g, "blkio");
  yajl_gen_map_open (g);
  _cleanup_free_ char *a = NULL, *b = NULL;
  if (p && !p->v2)
    {
      if (cg_read (cg, p, "blkio.throttle.io_service_bytes_recursive", &a, &ign) == 0)
        blkio_v1 (g, "ioServiceBytesRecursive", a);
      if (cg_read (cg, p, "blkio.throttle.io_serviced_recursive", &b, &ign) == 0)
        blkio_v1 (g, "ioServicedRecursive", b);
    }
  else if (p && cg_read (cg, p, "io.stat", &a, &ign) == 0)
    {
      blkio_v2 (g, "ioServiceBytesRecursive", a, "rbytes=", "wbytes=");
      blkio_v2 (g, "ioServicedRecursive", a, "rios=", "wios=");
    }
  yajl_gen_map_close (g);
}

static void
hugetlb_stats (const struct husk_cgroup *cg, yajl_gen g)
{
  const struct cg_place *p = cg_place_of (cg, "hugetlb");
  hk_json_key (g, "hugetlb");
  yajl_gen_map_open (g);
  char dir[PATH_MAX];
  DIR *d = p && cg_file (cg, p, NULL, dir, sizeof dir) == 0 ? opendir (dir) : NULL;
  struct dirent *e;
  const char *suffix = p && p->v2 ? ".current" : ".usage_in_bytes";
  while (d && (e = readdir (d)) != NULL)
    {
      size_t l = strlen (e->d_name), sl = strlen (suffix);
      if (strncmp (e->d_name, "hugetlb.", 8) != 0 || l <= 8 + sl
          || strcmp (e->d_name + l - sl, suffix) != 0 || strstr (e->d_name, ".rsvd."))
        continue;
      char size[32], f[96];
      snprintf (size, sizeof size, "%.*s", (int) (l - 8 - sl), e->d_name + 8);
      hk_json_key (g, size);
      yajl_gen_map_open (g);
      knum (g, "usage", rd (cg, p, e->d_name));
      if (p->v2)
        {
          _cleanup_free_ char *ev = NULL;
          struct husk_error ign;
          snprintf (f, sizeof f, "hugetlb.%s.events", size);
          cg_read (cg, p, f, &ev, &ign);
          knum (g, "failcnt", ev ? kv (ev, "max") : 0);
        }
      else
        {
          snprintf (f, sizeof f, "hugetlb.%s.max_usage_in_bytes", size);
          knum (g, "max", rd (cg, p, f));
          snprintf (f, sizeof f, "hugetlb.%s.failcnt", size);
          knum (g, "failcnt", rd (cg, p, f));
        }
      yajl_gen_map_close (g);
    }
  if (d)
    closedir (d);
  yajl_gen_map_close (g);
}

/* /proc/PID/net/dev of the container's init: its network namespace. */
static void
net_stats (pid_t pid, yajl_gen g)
{
  char path[64];
  _cleanup_free_ char *s = NULL;
  struct husk_error ign;
  snprintf (path, sizeof path, "/proc/%d/net/dev", (int) pid);
  if (pid <= 0 || hk_read_file (path, 1 << 20, &s, NULL, &ign) < 0)
    return;
  hk_json_key (g, "network_interfaces");
  yajl_gen_array_open (g);
  for (const char *l = s; l && *l; l = strchr (l, '\n') ? strchr (l, '\n') + 1 : NULL)
    {
      char name[64];
      unsigned long long v[16];
      if (sscanf (l, " %63[^:]: %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", name,
                  &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
                  &v[11]) != 13 || strcmp (name, "lo") == 0)
        continue;
      yajl_gen_map_open (g);
      hk_json_kstr (g, "name", name);
      knum (g, "rx_bytes", v[0]);
      knum (g, "rx_packets", v[1]);
      knum (g, "rx_errors", v[2]);
      knum (g, "rx_dropped", v[3]);
      knum (g, "tx_bytes", v[8]);
      knum (g, "tx_packets", v[9]);
      knum (g, "tx_errors", v[10]);
      knum (g, "tx_dropped", v[11]);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

int
cg_stats_emit (const struct husk_cgroup *cg, pid_t pid, struct yajl_gen_t *g)
{
  yajl_gen_map_open (g);
  cpu_stats (cg, g);
  memory_stats (cg, g);
  pids_stats (cg, g);
  blkio_stats (cg, g);
  hugetlb_stats (cg, g);
  net_stats (pid, g);
  yajl_gen_map_close (g);
  return 0;
}

/* ------------------------------------------------------------ OOM */

int
cg_oom_open (const struct husk_cgroup *cg, int *fd, uint64_t *count, struct husk_error *err)
{
  const struct cg_place *p = cg_place_of (cg, "memory");
  char path[PATH_MAX];
  *fd = -1;
  *count = 0;
  if (p == NULL)
    return 0;
  if (!p->v2)
    {
      _cleanup_close_ int efd = eventfd (0, EFD_CLOEXEC);
      cg_file (cg, p, "memory.oom_control", path, sizeof path);
      _cleanup_close_ int ofd = open (path, O_RDONLY | O_CLOEXEC);
      if (efd < 0 || ofd < 0)
        return husk_error_set (err, errno, "events: %s", path);
      int ret = cg_writef (cg, p, "cgroup.event_control", err, "%d %d", efd, ofd);
      if (ret < 0)
        return ret;
      *fd = steal_fd (&efd);
      return 0;
    }
  _cleanup_close_ int ifd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  cg_file (cg, p, "memory.events", path, sizeof path);
  if (ifd < 0 || inotify_add_watch (ifd, path, IN_MODIFY) < 0)
    return husk_error_set (err, errno, "events: watch %s", path);
  _cleanup_free_ char *ev = NULL;
  struct husk_error ign;
  if (cg_read (cg, p, "memory.events", &ev, &ign) == 0)
    *count = kv (ev, "oom_kill");
  *fd = steal_fd (&ifd);
  return 0;
}

/* After fd polled readable: was there a new OOM kill? */
bool
cg_oom_check (const struct husk_cgroup *cg, int fd, uint64_t *count)
{
  const struct cg_place *p = cg_place_of (cg, "memory");
  char buf[4096];
  if (p == NULL)
    return false;
  if (!p->v2)
    return read (fd, buf, 8) == 8;
  while (read (fd, buf, sizeof buf) > 0)
    ;
  _cleanup_free_ char *ev = NULL;
  struct husk_error ign;
  if (cg_read (cg, p, "memory.events", &ev, &ign) < 0)
    return false;
  uint64_t now = kv (ev, "oom_kill");
  bool oom = now > *count;
  *count = now;
  return oom;
}
