/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources on cgroup v1: the spec's names are v1's files. */
#include "config.h"
#include <inttypes.h>
#include "cgroups/internal.h"
#include "utils.h"

#define W(file, ...) \
  do \
    { \
      int _r = cg_writef (cg, p, file, err, __VA_ARGS__); \
      if (_r < 0) \
        return _r; \
    } \
  while (0)

/* memory.limit_in_bytes must stay <= memory.memsw.limit_in_bytes: raise
 * memsw first when it grows, lower the limit first when it shrinks. */
static int
memory_limits (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_memory *m,
               struct husk_error *err)
{
  char lim[32], sw[32];
  if (m->has_limit)
    cg_limit_str (m->limit, false, lim, sizeof lim);
  if (m->has_swap)
    cg_limit_str (m->swap, false, sw, sizeof sw);
  if (m->has_swap && !cg_exists (cg, p, "memory.memsw.limit_in_bytes"))
    return husk_error_setx (
        err, ENOTSUP,
        "linux.resources.memory.swap: %s%s/memory.memsw.limit_in_bytes does not "
        "exist (swap accounting is off)",
        "", p->dir);
  if (m->has_limit && m->has_swap)
    {
      uint64_t cur = 0;
      cg_read_u64 (cg, p, "memory.memsw.limit_in_bytes", &cur);
      bool grow = m->swap < 0 || (uint64_t) m->swap > cur || cur == 0;
      if (grow)
        {
          W ("memory.memsw.limit_in_bytes", "%s", sw);
          W ("memory.limit_in_bytes", "%s", lim);
        }
      else
        {
          W ("memory.limit_in_bytes", "%s", lim);
          W ("memory.memsw.limit_in_bytes", "%s", sw);
        }
    }
  else if (m->has_limit)
    W ("memory.limit_in_bytes", "%s", lim);
  else if (m->has_swap)
    W ("memory.memsw.limit_in_bytes", "%s", sw);
  return 0;
}

int
cg_v1_memory (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
              const struct cg_apply_opts *ao, struct husk_error *err)
{
  /* as runc: 0 is "unset" for the limits (a limit of 0 bytes would kill
   * the init before it is ready) */
  struct husk_spec_memory mm = *r->memory;
  const struct husk_spec_memory *m = &mm;
  mm.has_limit = mm.has_limit && mm.limit != 0;
  mm.has_swap = mm.has_swap && mm.swap != 0;
  mm.has_reservation = mm.has_reservation && mm.reservation != 0;
  int ret;
  if (ao->update && m->has_check_before_update && m->check_before_update && m->has_limit
      && m->limit > 0)
    {
      uint64_t usage = 0;
      if (cg_read_u64 (cg, p, "memory.usage_in_bytes", &usage) == 0 && usage > (uint64_t) m->limit)
        return husk_error_setx (err, EBUSY,
                                "linux.resources.memory.limit %" PRId64
                                ": below the current usage %" PRIu64 " (checkBeforeUpdate)",
                                m->limit, usage);
    }
  if ((ret = memory_limits (cg, p, m, err)) < 0)
    return ret;
  if (m->has_reservation)
    {
      char v[32];
      cg_limit_str (m->reservation, false, v, sizeof v);
      W ("memory.soft_limit_in_bytes", "%s", v);
    }
  if (m->has_kernel)
    {
      /* gone from the kernel's v1 memory controller since Linux 6.1 */
      struct husk_error kerr;
      if (cg_writef (cg, p, "memory.kmem.limit_in_bytes", &kerr, "%" PRId64, m->kernel) < 0)
        cg_warn (cg, "linux.resources.memory.kernel is ignored: %s", kerr.msg);
    }
  if (m->has_kernel_tcp)
    {
      struct husk_error kerr;
      if (cg_writef (cg, p, "memory.kmem.tcp.limit_in_bytes", &kerr, "%" PRId64, m->kernel_tcp) < 0)
        {
          if (kerr.code != ENOENT && kerr.code != EOPNOTSUPP)
            {
              *err = kerr;
              return -kerr.code;
            }
          cg_warn (cg, "linux.resources.memory.kernelTCP is ignored: %s", kerr.msg);
        }
    }
  if (m->has_swappiness)
    W ("memory.swappiness", "%" PRIu64, m->swappiness);
  if (m->has_disable_oom_killer && (m->disable_oom_killer || ao->update))
    W ("memory.oom_control", "%d", m->disable_oom_killer ? 1 : 0);
  if (m->has_use_hierarchy)
    W ("memory.use_hierarchy", "%d", m->use_hierarchy ? 1 : 0);
  return 0;
}

int
cg_v1_cpu (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
           const struct cg_apply_opts *ao, struct husk_error *err)
{
  const struct husk_spec_cpu *c = r->cpu;
  (void) ao;
  if (c->has_shares)
    W ("cpu.shares", "%" PRIu64, c->shares);
  /* the period first: a quota above the old period could be refused */
  if (c->has_period)
    {
      struct husk_error perr;
      if (cg_writef (cg, p, "cpu.cfs_period_us", &perr, "%" PRIu64, c->period) < 0)
        {
          if (!c->has_quota || perr.code != EINVAL)
            {
              *err = perr;
              return -perr.code;
            }
          W ("cpu.cfs_quota_us", "%" PRId64, c->quota);
          W ("cpu.cfs_period_us", "%" PRIu64, c->period);
        }
    }
  if (c->has_quota)
    W ("cpu.cfs_quota_us", "%" PRId64, c->quota);
  if (c->has_burst)
    W ("cpu.cfs_burst_us", "%" PRIu64, c->burst);
  if (c->has_realtime_period)
    W ("cpu.rt_period_us", "%" PRIu64, c->realtime_period);
  if (c->has_realtime_runtime)
    W ("cpu.rt_runtime_us", "%" PRId64, c->realtime_runtime);
  if (c->has_idle)
    W ("cpu.idle", "%" PRId64, c->idle);
  return 0;
}

/* cpuset and pids: the same files on v1 and v2 */
int
cg_cpuset (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
           const struct cg_apply_opts *ao, struct husk_error *err)
{
  (void) ao;
  if (r->cpu->cpus)
    W ("cpuset.cpus", "%s", r->cpu->cpus);
  if (r->cpu->mems)
    W ("cpuset.mems", "%s", r->cpu->mems);
  return 0;
}

int
cg_pids (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
         const struct cg_apply_opts *ao, struct husk_error *err)
{
  (void) ao;
  /* as runc: 0 leaves the limit as it is, a negative value removes it */
  if (r->pids_limit > 0)
    W ("pids.max", "%" PRId64, r->pids_limit);
  else if (r->pids_limit < 0)
    W ("pids.max", "max");
  return 0;
}

static int
throttle (struct husk_cgroup *cg, const struct cg_place *p, const char *file,
          const struct husk_spec_throttle_device *t, size_t n, struct husk_error *err)
{
  for (size_t i = 0; i < n; i++)
    W (file, "%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major, t[i].minor, t[i].rate);
  return 0;
}

int
cg_v1_blkio (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
             const struct cg_apply_opts *ao, struct husk_error *err)
{
  const struct husk_spec_block_io *b = r->block_io;
  int ret;
  (void) ao;
  /* CFQ's blkio.weight is gone from recent kernels; BFQ has its own file */
  bool bfq = !cg_exists (cg, p, "blkio.weight") && cg_exists (cg, p, "blkio.bfq.weight");
  if (b->has_weight && b->weight > 0) /* 0: not set (Docker sends it) */
    W (bfq ? "blkio.bfq.weight" : "blkio.weight", "%u", b->weight);
  if (b->has_leaf_weight)
    W ("blkio.leaf_weight", "%u", b->leaf_weight);
  for (size_t i = 0; i < b->weight_device_len; i++)
    {
      const struct husk_spec_weight_device *d = &b->weight_device[i];
      if (d->has_weight)
        W (bfq ? "blkio.bfq.weight_device" : "blkio.weight_device", "%" PRId64 ":%" PRId64 " %u",
           d->major, d->minor, d->weight);
      if (d->has_leaf_weight)
        W ("blkio.leaf_weight_device", "%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
           d->leaf_weight);
    }
  if ((ret = throttle (cg, p, "blkio.throttle.read_bps_device", b->throttle_read_bps_device,
                       b->throttle_read_bps_device_len, err))
          < 0
      || (ret = throttle (cg, p, "blkio.throttle.write_bps_device", b->throttle_write_bps_device,
                          b->throttle_write_bps_device_len, err))
             < 0
      || (ret = throttle (cg, p, "blkio.throttle.read_iops_device", b->throttle_read_iops_device,
                          b->throttle_read_iops_device_len, err))
             < 0
      || (ret = throttle (cg, p, "blkio.throttle.write_iops_device", b->throttle_write_iops_device,
                          b->throttle_write_iops_device_len, err))
             < 0)
    return ret;
  return 0;
}

int
cg_v1_hugetlb (struct husk_cgroup *cg, const struct cg_place *p,
               const struct husk_spec_resources *r, const struct cg_apply_opts *ao,
               struct husk_error *err)
{
  (void) ao;
  for (size_t i = 0; i < r->hugepage_limits_len; i++)
    {
      const struct husk_spec_hugepage_limit *h = &r->hugepage_limits[i];
      char file[64];
      if (!cg_hugepage_size_ok (h->page_size))
        return husk_error_setx (err, EINVAL,
                                "linux.resources.hugepageLimits[%zu].pageSize \"%s\": "
                                "not a size like \"2MB\"",
                                i, h->page_size ? h->page_size : "");
      snprintf (file, sizeof file, "hugetlb.%s.limit_in_bytes", h->page_size);
      W (file, "%" PRIu64, h->limit);
    }
  return 0;
}

int
cg_v1_network (struct husk_cgroup *cg, const struct cg_place *p,
               const struct husk_spec_resources *r, const struct cg_apply_opts *ao,
               struct husk_error *err)
{
  const struct husk_spec_network *n = r->network;
  (void) ao;
  if (n->has_class_id)
    W ("net_cls.classid", "%u", n->class_id);
  if (n->priorities_len)
    {
      const struct cg_place *pp = cg_place_of (cg, "net_prio");
      if (pp == NULL || pp->v2)
        return husk_error_setx (err, ENOTSUP,
                                "linux.resources.network.priorities: the net_prio "
                                "controller is not mounted on this host");
      for (size_t i = 0; i < n->priorities_len; i++)
        {
          int ret = cg_writef (cg, pp, "net_prio.ifpriomap", err, "%s %u", n->priorities[i].name,
                               n->priorities[i].priority);
          if (ret < 0)
            return ret;
        }
    }
  return 0;
}

/* rdma.max lines: "mlx4_0 hca_handle=2 hca_object=2000" (v1 and v2). */
int
cg_v1_rdma (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
            const struct cg_apply_opts *ao, struct husk_error *err)
{
  (void) ao;
  for (size_t i = 0; i < r->rdma_len; i++)
    {
      const struct husk_spec_rdma *d = &r->rdma[i];
      char h[32] = "max", o[32] = "max";
      if (d->has_hca_handles)
        snprintf (h, sizeof h, "%u", d->hca_handles);
      if (d->has_hca_objects)
        snprintf (o, sizeof o, "%u", d->hca_objects);
      W ("rdma.max", "%s hca_handle=%s hca_object=%s", d->device, h, o);
    }
  return 0;
}

int
cg_v1_devices (struct husk_cgroup *cg, const struct cg_place *p,
               const struct husk_spec_resources *r, const struct cg_apply_opts *ao,
               struct husk_error *err)
{
  _cleanup_free_ struct cg_dev_rule *rules = NULL;
  size_t n;
  (void) ao;
  int ret = cg_dev_rules (r, &rules, &n, err);
  if (ret < 0)
    return ret;
  for (size_t i = 0; i < n; i++)
    {
      char line[64];
      cg_dev_rule_str (&rules[i], line, sizeof line);
      if ((ret = cg_write (cg, p, rules[i].allow ? "devices.allow" : "devices.deny", line, err))
          < 0)
        return ret;
    }
  return 0;
}
