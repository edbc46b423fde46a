/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources on cgroup v2, with the translations runc uses (see
 * docs/cgroups.md): shares -> cpu.weight, quota/period -> cpu.max, blkio
 * weight -> io.weight, memory+swap -> memory.swap.max, devices -> eBPF. */
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

int
cg_v2_memory (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
              const struct cg_apply_opts *ao, struct husk_error *err)
{
  /* as runc: a limit or reservation of 0 is "unset" */
  struct husk_spec_memory mm = *r->memory;
  const struct husk_spec_memory *m = &mm;
  mm.has_limit = mm.has_limit && mm.limit != 0;
  mm.has_reservation = mm.has_reservation && mm.reservation != 0;
  char v[32];
  int ret;
  if (ao->update && m->has_check_before_update && m->check_before_update && m->has_limit
      && m->limit > 0)
    {
      uint64_t usage = 0;
      if (cg_read_u64 (cg, p, "memory.current", &usage) == 0 && usage > (uint64_t) m->limit)
        return husk_error_setx (err, EBUSY,
                                "linux.resources.memory.limit %" PRId64
                                ": below the current usage %" PRIu64 " (checkBeforeUpdate)",
                                m->limit, usage);
    }
  if (m->has_swap)
    {
      if ((ret = cg_swap_to_v2 (m->has_limit, m->limit, m->swap, v, sizeof v, err)) < 0)
        return ret;
      W ("memory.swap.max", "%s", v);
    }
  if (m->has_limit)
    {
      cg_limit_str (m->limit, true, v, sizeof v);
      W ("memory.max", "%s", v);
    }
  if (m->has_reservation)
    {
      cg_limit_str (m->reservation, true, v, sizeof v);
      W ("memory.low", "%s", v);
    }
  if (m->has_kernel)
    cg_warn (cg, "linux.resources.memory.kernel is ignored: cgroup v2 has no kernel memory limit");
  if (m->has_kernel_tcp)
    cg_warn (cg, "linux.resources.memory.kernelTCP is ignored: cgroup v2 has no kernel TCP limit");
  if (m->has_swappiness)
    cg_warn (
        cg, "linux.resources.memory.swappiness is ignored: cgroup v2 has no per-cgroup swappiness");
  if (m->has_disable_oom_killer && m->disable_oom_killer)
    cg_warn (
        cg,
        "linux.resources.memory.disableOOMKiller is ignored: cgroup v2 cannot disable the OOM killer");
  /* useHierarchy: v2 is always hierarchical */
  return 0;
}

int
cg_v2_cpu (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
           const struct cg_apply_opts *ao, struct husk_error *err)
{
  const struct husk_spec_cpu *c = r->cpu;
  (void) ao;
  if (c->has_realtime_runtime || c->has_realtime_period)
    return husk_error_setx (err, ENOTSUP,
                            "linux.resources.cpu.realtimeRuntime/realtimePeriod: "
                            "cgroup v2 has no realtime CPU limits");
  if (c->has_shares && c->shares > 0)
    W ("cpu.weight", "%" PRIu64, cg_shares_to_weight (c->shares));
  if (c->has_quota || c->has_period)
    {
      /* cpu.max holds both: keep the one not given */
      int64_t quota = -1;
      uint64_t period = 100000;
      _cleanup_free_ char *cur = NULL;
      struct husk_error ignored;
      if (cg_read (cg, p, "cpu.max", &cur, &ignored) == 0)
        {
          char q[32] = "";
          unsigned long long per = 0;
          if (sscanf (cur, "%31s %llu", q, &per) == 2)
            {
              quota = strcmp (q, "max") == 0 ? -1 : strtoll (q, NULL, 10);
              period = per;
            }
        }
      if (c->has_quota)
        quota = c->quota;
      if (c->has_period && c->period > 0)
        period = c->period;
      char v[64];
      cg_cpu_max (true, quota, period, v, sizeof v);
      W ("cpu.max", "%s", v);
    }
  if (c->has_burst)
    W ("cpu.max.burst", "%" PRIu64, c->burst);
  if (c->has_idle)
    W ("cpu.idle", "%" PRId64, c->idle);
  return 0;
}

static int
io_max (struct husk_cgroup *cg, const struct cg_place *p, const char *key,
        const struct husk_spec_throttle_device *t, size_t n, struct husk_error *err)
{
  for (size_t i = 0; i < n; i++)
    W ("io.max", "%" PRId64 ":%" PRId64 " %s=%" PRIu64, t[i].major, t[i].minor, key, t[i].rate);
  return 0;
}

int
cg_v2_blkio (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
             const struct cg_apply_opts *ao, struct husk_error *err)
{
  const struct husk_spec_block_io *b = r->block_io;
  int ret;
  (void) ao;
  /* BFQ takes the v1 weight as is; io.weight wants it converted */
  bool bfq = cg_exists (cg, p, "io.bfq.weight");
  if (b->has_weight && b->weight > 0)
    {
      if (bfq)
        W ("io.bfq.weight", "%u", b->weight);
      else
        W ("io.weight", "default %" PRIu64, cg_blkio_to_io_weight (b->weight));
    }
  if (b->has_leaf_weight)
    cg_warn (cg, "linux.resources.blockIO.leafWeight is ignored: cgroup v2 has no leaf weight");
  for (size_t i = 0; i < b->weight_device_len; i++)
    {
      const struct husk_spec_weight_device *d = &b->weight_device[i];
      if (!d->has_weight)
        continue;
      if (bfq)
        W ("io.bfq.weight", "%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->weight);
      else
        W ("io.weight", "%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor,
           cg_blkio_to_io_weight (d->weight));
    }
  if ((ret = io_max (cg, p, "rbps", b->throttle_read_bps_device, b->throttle_read_bps_device_len,
                     err))
          < 0
      || (ret = io_max (cg, p, "wbps", b->throttle_write_bps_device,
                        b->throttle_write_bps_device_len, err))
             < 0
      || (ret = io_max (cg, p, "riops", b->throttle_read_iops_device,
                        b->throttle_read_iops_device_len, err))
             < 0
      || (ret = io_max (cg, p, "wiops", b->throttle_write_iops_device,
                        b->throttle_write_iops_device_len, err))
             < 0)
    return ret;
  return 0;
}

int
cg_v2_hugetlb (struct husk_cgroup *cg, const struct cg_place *p,
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
      snprintf (file, sizeof file, "hugetlb.%s.max", h->page_size);
      W (file, "%" PRIu64, h->limit);
      /* the reservation limit too, where the kernel has it (as runc) */
      snprintf (file, sizeof file, "hugetlb.%s.rsvd.max", h->page_size);
      if (cg_exists (cg, p, file))
        W (file, "%" PRIu64, h->limit);
    }
  return 0;
}

int
cg_v2_network (struct husk_cgroup *cg, const struct cg_place *p,
               const struct husk_spec_resources *r, const struct cg_apply_opts *ao,
               struct husk_error *err)
{
  (void) cg, (void) p, (void) r, (void) ao;
  return husk_error_setx (err, ENOTSUP,
                          "linux.resources.network: net_cls and net_prio are cgroup "
                          "v1 controllers, not mounted on this host");
}

int
cg_v2_rdma (struct husk_cgroup *cg, const struct cg_place *p, const struct husk_spec_resources *r,
            const struct cg_apply_opts *ao, struct husk_error *err)
{
  return cg_v1_rdma (cg, p, r, ao, err); /* rdma.max reads the same on v2 */
}

int
cg_v2_devices (struct husk_cgroup *cg, const struct cg_place *p,
               const struct husk_spec_resources *r, const struct cg_apply_opts *ao,
               struct husk_error *err)
{
  _cleanup_free_ struct cg_dev_rule *rules = NULL;
  size_t n;
  (void) ao;
  int ret = cg_dev_rules (r, &rules, &n, err);
  if (ret < 0)
    return ret;
  if (cg->root[0])
    {
      /* a fake root has no kernel to load programs into: keep the rules */
      char buf[4096];
      size_t len = 0;
      buf[0] = '\0';
      for (size_t i = 0; i < n && len < sizeof buf - 64; i++)
        {
          char line[64];
          cg_dev_rule_str (&rules[i], line, sizeof line);
          len += (size_t) snprintf (buf + len, sizeof buf - len, "%s %s\n",
                                    rules[i].allow ? "allow" : "deny", line);
        }
      return cg_write (cg, p, "husk.devices", buf, err);
    }
  char dir[PATH_MAX];
  cg_file (cg, p, NULL, dir, sizeof dir);
  return cg_bpf_devices_attach (dir, rules, n, err);
}

int
cg_v2_unified (struct husk_cgroup *cg, const struct cg_place *p,
               const struct husk_spec_resources *r, const struct cg_apply_opts *ao,
               struct husk_error *err)
{
  (void) ao;
  for (size_t i = 0; i < r->unified_len; i++)
    {
      const char *k = r->unified[i].key;
      if (k[0] == '\0' || k[0] == '.' || strchr (k, '/') || strncmp (k, "cgroup.", 7) == 0)
        return husk_error_setx (err, EINVAL, "linux.resources.unified[\"%s\"]: not a resource file",
                                k);
      int ret = cg_write (cg, p, k, r->unified[i].value, err);
      if (ret < 0)
        return husk_error_prefix (err, "linux.resources.unified");
    }
  return 0;
}
