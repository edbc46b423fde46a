/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources onto the container's cgroup: each controller is written
 * where the host has it (its v1 hierarchy, else the v2 one, as on a hybrid
 * host), and only the controllers the config uses are touched. */
#include "config.h"
#include <sys/stat.h>
#include "cgroups/internal.h"
#include "utils.h"

struct part
{
  const char *field;  /* its name under linux.resources */
  const char *ctrl;   /* the v1 controller that holds it */
  const char *v2ctrl; /* the v2 controller to enable, NULL: none needed */
  bool (*used) (const struct husk_spec_resources *r);
  cg_apply_fn v1, v2;
};

static bool
u_memory (const struct husk_spec_resources *r)
{
  return r->memory != NULL;
}
static bool
u_cpu (const struct husk_spec_resources *r)
{
  const struct husk_spec_cpu *c = r->cpu;
  return c
         && (c->has_shares || c->has_quota || c->has_burst || c->has_period
             || c->has_realtime_runtime || c->has_realtime_period || c->has_idle);
}
static bool
u_cpuset (const struct husk_spec_resources *r)
{
  return r->cpu && (r->cpu->cpus || r->cpu->mems);
}
static bool
u_pids (const struct husk_spec_resources *r)
{
  return r->has_pids_limit && r->pids_limit != 0;
}
static bool
u_blkio (const struct husk_spec_resources *r)
{
  const struct husk_spec_block_io *b = r->block_io;
  return b
         && ((b->has_weight && b->weight > 0) || b->has_leaf_weight || b->weight_device_len
             || b->throttle_read_bps_device_len || b->throttle_write_bps_device_len
             || b->throttle_read_iops_device_len || b->throttle_write_iops_device_len);
}
static bool
u_hugetlb (const struct husk_spec_resources *r)
{
  return r->hugepage_limits_len > 0;
}
static bool
u_network (const struct husk_spec_resources *r)
{
  return r->network && (r->network->has_class_id || r->network->priorities_len);
}
static bool
u_rdma (const struct husk_spec_resources *r)
{
  return r->rdma_len > 0;
}
static bool
u_devices (const struct husk_spec_resources *r)
{
  return r->devices_len > 0;
}

static const struct part parts[] = {
  { "cpu.cpus/mems", "cpuset", "cpuset", u_cpuset, cg_cpuset, cg_cpuset },
  { "cpu", "cpu", "cpu", u_cpu, cg_v1_cpu, cg_v2_cpu },
  { "memory", "memory", "memory", u_memory, cg_v1_memory, cg_v2_memory },
  { "pids", "pids", "pids", u_pids, cg_pids, cg_pids },
  { "blockIO", "blkio", "io", u_blkio, cg_v1_blkio, cg_v2_blkio },
  { "hugepageLimits", "hugetlb", "hugetlb", u_hugetlb, cg_v1_hugetlb, cg_v2_hugetlb },
  { "network", "net_cls", NULL, u_network, cg_v1_network, cg_v2_network },
  { "rdma", "rdma", "rdma", u_rdma, cg_v1_rdma, cg_v2_rdma },
  { "devices", "devices", NULL, u_devices, cg_v1_devices, cg_v2_devices },
};

/* The controllers of the v2 hierarchy of place p: cgroup.controllers of
 * its top directory (the mount), NULL when it cannot be read. */
static char *
v2_controllers (const struct husk_cgroup *cg, const struct cg_place *p)
{
  char dir[PATH_MAX], path[PATH_MAX + 32];
  size_t rl = strlen (cg->root);
  snprintf (dir, sizeof dir, "%s%s", cg->root, p->dir);
  for (char *s = dir + rl;;)
    {
      char *next = strchr (s + 1, '/');
      if (next)
        *next = '\0';
      snprintf (path, sizeof path, "%s/cgroup.controllers", dir);
      char *out = NULL;
      struct husk_error ignored;
      if (hk_read_file (path, 4096, &out, NULL, &ignored) == 0)
        {
          out[strcspn (out, "\n")] = '\0';
          return out;
        }
      if (next == NULL)
        return NULL;
      *next = '/';
      s = next;
    }
}

/* "2MB" in kB, 0 when below 1 kB. */
static unsigned long long
hugepage_kb (const char *s)
{
  char *end;
  unsigned long long n = strtoull (s, &end, 10);
  static const char *const units[] = { "KB", "MB", "GB", "TB", "PB" };
  if (strcmp (end, "B") == 0)
    return n / 1024;
  for (size_t i = 0; i < ARRAY_SIZE (units); i++, n *= 1024)
    if (strcmp (end, units[i]) == 0)
      return n;
  return 0;
}

/* The huge page sizes of the host, as /sys/kernel/mm/hugepages lists them. */
static int
hugepages_check (const struct husk_cgroup *cg, const struct husk_spec_resources *r,
                 struct husk_error *err)
{
  for (size_t i = 0; i < r->hugepage_limits_len; i++)
    {
      const char *ps = r->hugepage_limits[i].page_size;
      char path[PATH_MAX];
      struct stat st;
      if (!cg_hugepage_size_ok (ps))
        return husk_error_setx (err, EINVAL,
                                "linux.resources.hugepageLimits[%zu].pageSize \"%s\": "
                                "not a size like \"2MB\"",
                                i, ps ? ps : "");
      snprintf (path, sizeof path, "%s/sys/kernel/mm/hugepages/hugepages-%llukB", cg->root,
                hugepage_kb (ps));
      if (stat (path, &st) < 0)
        return husk_error_setx (err, EINVAL,
                                "linux.resources.hugepageLimits[%zu].pageSize \"%s\": this host "
                                "has no huge pages of that size (/sys/kernel/mm/hugepages)",
                                i, ps);
    }
  return 0;
}

int
cg_resources_host_check_set (const struct husk_cgroup *cg, const struct husk_spec_resources *r,
                             struct husk_error *err)
{
  if (r == NULL || cg->n == 0)
    return 0;
  const struct cg_place *v2 = cg_place_v2 (cg);
  _cleanup_free_ char *v2ctrls = NULL;
  bool v2read = false;
  for (size_t i = 0; i < ARRAY_SIZE (parts); i++)
    {
      if (!parts[i].used (r))
        continue;
      const struct cg_place *p = cg_place_of (cg, parts[i].ctrl);
      if (p == NULL)
        return husk_error_setx (err, ENOTSUP,
                                "linux.resources.%s: the %s controller is not mounted on this host",
                                parts[i].field, parts[i].ctrl);
      /* hybrid: the v2 hierarchy stands in only for what it holds */
      if (p->v2 && parts[i].v2ctrl)
        {
          if (!v2read)
            v2ctrls = v2_controllers (cg, p), v2read = true;
          if (v2ctrls && !cg_list_has (v2ctrls, ' ', parts[i].v2ctrl))
            return husk_error_setx (err, ENOTSUP,
                                    "linux.resources.%s: this host has no %s controller for the "
                                    "container's cgroup (not a v1 hierarchy, not in cgroup v2's "
                                    "cgroup.controllers \"%s\")",
                                    parts[i].field, parts[i].v2ctrl, v2ctrls);
        }
    }
  int ret;
  if (u_hugetlb (r) && (ret = hugepages_check (cg, r, err)) < 0)
    return ret;
  if (r->unified_len == 0)
    return 0;
  if (v2 == NULL)
    return husk_error_setx (err, EINVAL,
                            "linux.resources.unified: invalid configuration: the container has no "
                            "cgroup v2 (this host has only v1)");
  if (!v2read)
    v2ctrls = v2_controllers (cg, v2);
  for (size_t i = 0; v2ctrls && i < r->unified_len; i++)
    {
      static const char *const known[] = { "cpu",  "cpuset",  "memory", "io",
                                           "pids", "hugetlb", "rdma",   "misc" };
      const char *k = r->unified[i].key;
      for (size_t j = 0; j < ARRAY_SIZE (known); j++)
        {
          size_t l = strlen (known[j]);
          if (strncmp (k, known[j], l) == 0 && k[l] == '.' && !cg_list_has (v2ctrls, ' ', known[j]))
            return husk_error_setx (
                err, EINVAL,
                "linux.resources.unified[\"%s\"]: invalid configuration: the container's cgroup "
                "v2 has no %s controller (cgroup.controllers \"%s\"%s)",
                k, known[j], v2ctrls,
                cg_place_of (cg, known[j]) && !cg_place_of (cg, known[j])->v2
                    ? "; on this host it is a v1 controller"
                    : "");
        }
    }
  return 0;
}

size_t
cg_v2_needed (const struct husk_cgroup *cg, const struct husk_spec_resources *r, const char **out,
              size_t max)
{
  size_t n = 0;
  for (size_t i = 0; i < ARRAY_SIZE (parts) && n + 1 < max; i++)
    {
      const struct cg_place *p = cg_place_of (cg, parts[i].ctrl);
      if (parts[i].v2ctrl && parts[i].used (r) && p && p->v2)
        out[n++] = parts[i].v2ctrl;
    }
  /* linux.resources.unified: the controller of each key ("memory.high") */
  for (size_t i = 0; i < r->unified_len && n + 1 < max; i++)
    {
      static const char *const known[] = { "cpu",  "cpuset",  "memory", "io",
                                           "pids", "hugetlb", "rdma",   "misc" };
      const char *k = r->unified[i].key;
      for (size_t j = 0; j < ARRAY_SIZE (known); j++)
        {
          size_t l = strlen (known[j]);
          if (strncmp (k, known[j], l) == 0 && k[l] == '.')
            {
              bool dup = false;
              for (size_t m = 0; m < n; m++)
                dup |= strcmp (out[m], known[j]) == 0;
              if (!dup)
                out[n++] = known[j];
            }
        }
    }
  out[n] = NULL;
  return n;
}

bool
cg_resources_used (const struct husk_spec_resources *r)
{
  if (r == NULL)
    return false;
  for (size_t i = 0; i < ARRAY_SIZE (parts); i++)
    if (parts[i].used (r))
      return true;
  return r->unified_len > 0;
}

int
cg_apply_files (struct husk_cgroup *cg, const struct husk_spec_resources *r,
                const struct cg_apply_opts *ao, struct husk_error *err)
{
  int ret;
  if (r == NULL)
    return 0;
  const struct cg_place *v2 = cg_place_v2 (cg);
  const char *need[32];
  if (v2 && cg_v2_needed (cg, r, need, ARRAY_SIZE (need)) > 0
      && (ret = cg_v2_enable (cg, v2, need, err)) < 0)
    return ret;
  for (size_t i = 0; i < ARRAY_SIZE (parts); i++)
    {
      /* the device rules are set at create even when the config lists
       * none: the deny-all base and the defaults, as runc */
      bool implied = ao->devices && parts[i].v1 == cg_v1_devices;
      if (!parts[i].used (r) && !implied)
        continue;
      const struct cg_place *p = cg_place_of (cg, parts[i].ctrl);
      if (p == NULL && implied && !parts[i].used (r))
        continue; /* no devices controller on this host: nothing to set */
      if (p == NULL)
        return husk_error_setx (err, ENOTSUP,
                                "linux.resources.%s: the %s controller is not mounted on this host",
                                parts[i].field, parts[i].ctrl);
      ret = (p->v2 ? parts[i].v2 : parts[i].v1) (cg, p, r, ao, err);
      if (ret < 0)
        return ret;
    }
  if (r->unified_len > 0)
    {
      if (v2 == NULL)
        return husk_error_setx (err, EINVAL,
                                "linux.resources.unified: invalid configuration: the container "
                                "has no cgroup v2 (this host has only v1)");
      if ((ret = cg_v2_unified (cg, v2, r, ao, err)) < 0)
        return ret;
    }
  return 0;
}
