/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics of the container's cgroup read into a struct husk_stats
 * (cpu, memory, pids, blkio, hugetlb, and the network interfaces of the
 * init's namespace), and OOM notifications (v1 cgroup.event_control with
 * an eventfd, v2 memory.events watched with inotify). stats_json.c writes
 * the struct as runc's stats event. */
#include "config.h"
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include "cgroups/internal.h"
#include "husk/stats.h"
#include "utils.h"

static uint64_t
rd (const struct husk_cgroup *cg, const struct cg_place *p, const char *file)
{
  uint64_t v = 0;
  cg_read_u64 (cg, p, file, &v);
  return v;
}

/* A file of place p into *out; NULL when it cannot be read (a file the
 * kernel or the controller lacks is no error: that part is absent). Only
 * running out of memory is an error. */
static int
text (const struct husk_cgroup *cg, const struct cg_place *p, const char *file, char **out,
      struct husk_error *err)
{
  struct husk_error ign;
  *out = NULL;
  if (cg_read (cg, p, file, out, &ign) == -ENOMEM)
    return husk_error_set (err, ENOMEM, "stats: read %s", file);
  return 0;
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

/* Room for one more element of size sz in *arr (holding *n, *cap). */
static int
grow (void **arr, size_t *n, size_t *cap, size_t sz, struct husk_error *err)
{
  if (*n < *cap)
    return 0;
  size_t ncap = *cap ? *cap * 2 : 8;
  void *a = reallocarray (*arr, ncap, sz);
  if (a == NULL)
    return husk_error_set (err, ENOMEM, "stats");
  *arr = a;
  *cap = ncap;
  return 0;
}
#define PUSH(arr, n, cap, err) grow ((void **) &(arr), &(n), &(cap), sizeof *(arr), (err))

/* The lines of text, one at a time. */
#define FOR_LINES(l, text) \
  for (const char *l = (text); l && *l; l = strchr (l, '\n') ? strchr (l, '\n') + 1 : NULL)

/* "1 2 3\n": one number per cpu. */
static int
percpu (const char *text, uint64_t **out, size_t *n, bool *has, struct husk_error *err)
{
  size_t cap = 0;
  if (text == NULL)
    return 0;
  *has = true;
  for (char *p = (char *) text, *e; *p; p = e)
    {
      uint64_t v = strtoull (p, &e, 10);
      if (e == p)
        break;
      if (PUSH (*out, *n, cap, err) < 0)
        return -ENOMEM;
      (*out)[(*n)++] = v;
    }
  return 0;
}

static int
cpu_stats (const struct husk_cgroup *cg, struct husk_stats_cpu *c, struct husk_error *err)
{
  const struct cg_place *acct = cg_place_of (cg, "cpuacct");
  const struct cg_place *cpu = cg_place_of (cg, "cpu");
  _cleanup_free_ char *st = NULL, *pc = NULL, *pck = NULL, *pcu = NULL, *cs = NULL;
  int ret;
  if (acct && !acct->v2)
    {
      long hz = sysconf (_SC_CLK_TCK);
      c->has_total = true;
      c->total = rd (cg, acct, "cpuacct.usage");
      if ((ret = text (cg, acct, "cpuacct.usage_percpu", &pc, err)) < 0
          || (ret = percpu (pc, &c->percpu, &c->n_percpu, &c->has_percpu, err)) < 0
          || (ret = text (cg, acct, "cpuacct.usage_percpu_sys", &pck, err)) < 0
          || (ret = percpu (pck, &c->percpu_kernel, &c->n_percpu_kernel, &c->has_percpu_kernel,
                            err))
                 < 0
          || (ret = text (cg, acct, "cpuacct.usage_percpu_user", &pcu, err)) < 0
          || (ret = percpu (pcu, &c->percpu_user, &c->n_percpu_user, &c->has_percpu_user, err)) < 0
          || (ret = text (cg, acct, "cpuacct.stat", &st, err)) < 0)
        return ret;
      /* cpuacct.stat counts USER_HZ ticks */
      if (st && hz > 0)
        {
          c->has_kernel_user = true;
          c->kernel = kv (st, "system") * (1000000000 / (uint64_t) hz);
          c->user = kv (st, "user") * (1000000000 / (uint64_t) hz);
        }
    }
  else if (acct)
    {
      if ((ret = text (cg, acct, "cpu.stat", &st, err)) < 0)
        return ret;
      if (st)
        {
          c->has_total = c->has_kernel_user = true;
          c->total = kv (st, "usage_usec") * 1000;
          c->kernel = kv (st, "system_usec") * 1000;
          c->user = kv (st, "user_usec") * 1000;
        }
    }
  if (cpu && (ret = text (cg, cpu, "cpu.stat", &cs, err)) < 0)
    return ret;
  if (cs)
    {
      c->has_throttling = true;
      c->periods = kv (cs, "nr_periods");
      c->throttled_periods = kv (cs, "nr_throttled");
      c->throttled_time = cpu->v2 ? kv (cs, "throttled_usec") * 1000 : kv (cs, "throttled_time");
    }
  return 0;
}

static void
mem_entry (const struct husk_cgroup *cg, const struct cg_place *p,
           struct husk_stats_memory_entry *e, const char *limit, const char *usage, const char *max,
           const char *failcnt)
{
  e->present = true;
  e->limit = rd (cg, p, limit);
  e->usage = rd (cg, p, usage);
  e->max = max ? rd (cg, p, max) : 0;
  e->failcnt = failcnt ? rd (cg, p, failcnt) : 0;
}

/* memory.stat: every "key value" line, in order. */
static int
stat_map (const char *text, struct husk_stats_memory *m, struct husk_error *err)
{
  size_t cap = 0;
  m->has_stat = true;
  FOR_LINES (l, text)
  {
    const char *sp = strchr (l, ' ');
    const char *nl = strchrnul (l, '\n');
    if (sp == NULL || sp > nl)
      continue;
    if (PUSH (m->stat, m->n_stat, cap, err) < 0)
      return -ENOMEM;
    struct husk_stats_kv *e = &m->stat[m->n_stat];
    if ((e->key = strndup (l, (size_t) (sp - l))) == NULL)
      return husk_error_set (err, ENOMEM, "stats");
    e->value = strtoull (sp + 1, NULL, 10);
    m->n_stat++;
  }
  return 0;
}

static int
memory_stats (const struct husk_cgroup *cg, struct husk_stats_memory *m, struct husk_error *err)
{
  const struct cg_place *p = cg_place_of (cg, "memory");
  _cleanup_free_ char *stat = NULL, *ev = NULL;
  int ret;
  if (p == NULL)
    return 0;
  m->present = true;
  if ((ret = text (cg, p, "memory.stat", &stat, err)) < 0)
    return ret;
  if (!p->v2)
    {
      m->cache = stat ? kv (stat, "cache") : 0;
      mem_entry (cg, p, &m->usage, "memory.limit_in_bytes", "memory.usage_in_bytes",
                 "memory.max_usage_in_bytes", "memory.failcnt");
      /* memsw files are there only with swap accounting */
      if (cg_exists (cg, p, "memory.memsw.usage_in_bytes"))
        mem_entry (cg, p, &m->swap, "memory.memsw.limit_in_bytes", "memory.memsw.usage_in_bytes",
                   "memory.memsw.max_usage_in_bytes", "memory.memsw.failcnt");
      mem_entry (cg, p, &m->kernel, "memory.kmem.limit_in_bytes", "memory.kmem.usage_in_bytes",
                 "memory.kmem.max_usage_in_bytes", "memory.kmem.failcnt");
      mem_entry (cg, p, &m->kernel_tcp, "memory.kmem.tcp.limit_in_bytes",
                 "memory.kmem.tcp.usage_in_bytes", "memory.kmem.tcp.max_usage_in_bytes",
                 "memory.kmem.tcp.failcnt");
    }
  else
    {
      if ((ret = text (cg, p, "memory.events", &ev, err)) < 0)
        return ret;
      m->cache = stat ? kv (stat, "file") : 0;
      mem_entry (cg, p, &m->usage, "memory.max", "memory.current", "memory.peak", NULL);
      m->usage.failcnt = ev ? kv (ev, "max") : 0;
      mem_entry (cg, p, &m->swap, "memory.swap.max", "memory.swap.current", "memory.swap.peak",
                 NULL);
    }
  return stat ? stat_map (stat, m, err) : 0;
}

static void
pids_stats (const struct husk_cgroup *cg, struct husk_stats_pids *s)
{
  const struct cg_place *p = cg_place_of (cg, "pids");
  if (p == NULL)
    return;
  uint64_t lim = rd (cg, p, "pids.max");
  s->present = true;
  s->current = rd (cg, p, "pids.current");
  s->limit = lim == UINT64_MAX ? 0 : lim;
}

static int
blkio_push (struct husk_stats_blkio_entry **arr, size_t *n, size_t *cap, unsigned maj, unsigned min,
            const char *op, uint64_t v, struct husk_error *err)
{
  if (PUSH (*arr, *n, *cap, err) < 0)
    return -ENOMEM;
  struct husk_stats_blkio_entry *e = &(*arr)[(*n)++];
  e->major = maj;
  e->minor = min;
  snprintf (e->op, sizeof e->op, "%s", op);
  e->value = v;
  return 0;
}

/* v1 "8:0 Read 4096" lines (the closing "Total N" has no device: left out). */
static int
blkio_v1 (const char *text, struct husk_stats_blkio_entry **arr, size_t *n, bool *has,
          struct husk_error *err)
{
  size_t cap = 0;
  *has = true;
  FOR_LINES (l, text)
  {
    unsigned maj, min;
    char op[16];
    unsigned long long v;
    if (sscanf (l, "%u:%u %15s %llu", &maj, &min, op, &v) == 4
        && blkio_push (arr, n, &cap, maj, min, op, v, err) < 0)
      return -ENOMEM;
  }
  return 0;
}

/* v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ...": rk and wk of each device. */
static int
blkio_v2 (const char *text, const char *rk, const char *wk, struct husk_stats_blkio_entry **arr,
          size_t *n, bool *has, struct husk_error *err)
{
  size_t cap = 0;
  *has = true;
  FOR_LINES (l, text)
  {
    unsigned maj, min;
    if (sscanf (l, "%u:%u", &maj, &min) != 2)
      continue;
    const char *nl = strchrnul (l, '\n');
    const char *r = strstr (l, rk), *w = strstr (l, wk);
    if (r && r < nl
        && blkio_push (arr, n, &cap, maj, min, "Read", strtoull (r + strlen (rk), NULL, 10), err)
               < 0)
      return -ENOMEM;
    if (w && w < nl
        && blkio_push (arr, n, &cap, maj, min, "Write", strtoull (w + strlen (wk), NULL, 10), err)
               < 0)
      return -ENOMEM;
  }
  return 0;
}

static int
blkio_stats (const struct husk_cgroup *cg, struct husk_stats_blkio *b, struct husk_error *err)
{
  const struct cg_place *p = cg_place_of (cg, "blkio");
  _cleanup_free_ char *a = NULL, *c = NULL;
  int ret = 0;
  if (p && !p->v2)
    {
      if ((ret = text (cg, p, "blkio.throttle.io_service_bytes_recursive", &a, err)) < 0
          || (a
              && (ret = blkio_v1 (a, &b->service_bytes, &b->n_service_bytes, &b->has_service_bytes,
                                  err))
                     < 0)
          || (ret = text (cg, p, "blkio.throttle.io_serviced_recursive", &c, err)) < 0
          || (c && (ret = blkio_v1 (c, &b->serviced, &b->n_serviced, &b->has_serviced, err)) < 0))
        return ret;
    }
  else if (p)
    {
      if ((ret = text (cg, p, "io.stat", &a, err)) < 0
          || (a
              && (ret = blkio_v2 (a, "rbytes=", "wbytes=", &b->service_bytes, &b->n_service_bytes,
                                  &b->has_service_bytes, err))
                     < 0)
          || (a
              && (ret = blkio_v2 (a, "rios=", "wios=", &b->serviced, &b->n_serviced,
                                  &b->has_serviced, err))
                     < 0))
        return ret;
    }
  return 0;
}

/* One entry per hugetlb.SIZE.usage_in_bytes (v1) or hugetlb.SIZE.current
 * (v2) of the directory, in its order. */
static int
hugetlb_stats (const struct husk_cgroup *cg, struct husk_stats *s, struct husk_error *err)
{
  const struct cg_place *p = cg_place_of (cg, "hugetlb");
  char dir[PATH_MAX];
  size_t cap = 0;
  int ret = 0;
  DIR *d = p && cg_file (cg, p, NULL, dir, sizeof dir) == 0 ? opendir (dir) : NULL;
  struct dirent *e;
  const char *suffix = p && p->v2 ? ".current" : ".usage_in_bytes";
  while (d && (e = readdir (d)) != NULL)
    {
      size_t l = strlen (e->d_name), sl = strlen (suffix);
      if (strncmp (e->d_name, "hugetlb.", 8) != 0 || l <= 8 + sl
          || strcmp (e->d_name + l - sl, suffix) != 0 || strstr (e->d_name, ".rsvd."))
        continue;
      if ((ret = PUSH (s->hugetlb, s->n_hugetlb, cap, err)) < 0)
        break;
      struct husk_stats_hugetlb *h = &s->hugetlb[s->n_hugetlb++];
      char f[96];
      memset (h, 0, sizeof *h);
      snprintf (h->pagesize, sizeof h->pagesize, "%.*s", (int) (l - 8 - sl), e->d_name + 8);
      h->usage = rd (cg, p, e->d_name);
      if (p->v2)
        {
          _cleanup_free_ char *ev = NULL;
          snprintf (f, sizeof f, "hugetlb.%s.events", h->pagesize);
          if ((ret = text (cg, p, f, &ev, err)) < 0)
            break;
          h->failcnt = ev ? kv (ev, "max") : 0;
        }
      else
        {
          h->has_max = true;
          snprintf (f, sizeof f, "hugetlb.%s.max_usage_in_bytes", h->pagesize);
          h->max = rd (cg, p, f);
          snprintf (f, sizeof f, "hugetlb.%s.failcnt", h->pagesize);
          h->failcnt = rd (cg, p, f);
        }
    }
  if (d)
    closedir (d);
  return ret;
}

/* /proc/PID/net/dev of the container's init (under the cgroup's fs root):
 * its network namespace. */
static int
net_stats (const struct husk_cgroup *cg, pid_t pid, struct husk_stats *s, struct husk_error *err)
{
  char path[PATH_MAX];
  _cleanup_free_ char *t = NULL;
  struct husk_error ign;
  size_t cap = 0;
  if (pid <= 0)
    return 0;
  snprintf (path, sizeof path, "%s/proc/%d/net/dev", cg->root, (int) pid);
  int ret = hk_read_file (path, 1 << 20, &t, NULL, &ign);
  if (ret == -ENOMEM)
    return husk_error_set (err, ENOMEM, "stats: read %s", path);
  if (ret < 0)
    return 0;
  s->has_network = true;
  FOR_LINES (l, t)
  {
    char name[64];
    unsigned long long v[16];
    if (sscanf (l, " %63[^:]: %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", name,
                &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
                &v[11])
            != 13
        || strcmp (name, "lo") == 0)
      continue;
    if (PUSH (s->network, s->n_network, cap, err) < 0)
      return -ENOMEM;
    struct husk_stats_net *n = &s->network[s->n_network++];
    memset (n, 0, sizeof *n);
    snprintf (n->name, sizeof n->name, "%s", name);
    n->rx_bytes = v[0];
    n->rx_packets = v[1];
    n->rx_errors = v[2];
    n->rx_dropped = v[3];
    n->tx_bytes = v[8];
    n->tx_packets = v[9];
    n->tx_errors = v[10];
    n->tx_dropped = v[11];
  }
  return 0;
}

int
cg_stats_collect (const struct husk_cgroup *cg, pid_t pid, struct husk_stats **out,
                  struct husk_error *err)
{
  struct husk_stats *s = calloc (1, sizeof *s);
  int ret;
  *out = NULL;
  if (s == NULL)
    return husk_error_set (err, ENOMEM, "stats");
  pids_stats (cg, &s->pids);
  if ((ret = cpu_stats (cg, &s->cpu, err)) < 0 || (ret = memory_stats (cg, &s->memory, err)) < 0
      || (ret = blkio_stats (cg, &s->blkio, err)) < 0 || (ret = hugetlb_stats (cg, s, err)) < 0
      || (ret = net_stats (cg, pid, s, err)) < 0)
    {
      husk_stats_free (s);
      return ret;
    }
  *out = s;
  return 0;
}

void
husk_stats_free (struct husk_stats *s)
{
  if (s == NULL)
    return;
  free (s->cpu.percpu);
  free (s->cpu.percpu_kernel);
  free (s->cpu.percpu_user);
  for (size_t i = 0; i < s->memory.n_stat; i++)
    free (s->memory.stat[i].key);
  free (s->memory.stat);
  free (s->blkio.service_bytes);
  free (s->blkio.serviced);
  free (s->hugetlb);
  free (s->network);
  free (s);
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

/* ------------------------------------------------------------ the library call */
