/* SPDX-License-Identifier: Apache-2.0 */
/* The drivers behind one table of operations (struct cg_driver): which one
 * a cgroup has is decided here, once, and the module's entry points call
 * through it. */
#include "config.h"
#include <sys/stat.h>
#include "cgroups/internal.h"
#include "utils.h"

const struct cg_driver *
cg_driver_choose (bool systemd, enum hk_cgroup_mode mode)
{
  if (systemd)
    return &cg_systemd;
  return mode == HK_CGROUP_V2 ? &cg_fs_v2 : &cg_fs_v1;
}

void
cg_set_driver (struct husk_cgroup *cg, bool systemd, enum hk_cgroup_mode mode)
{
  cg->mode = mode;
  cg->drv = cg_driver_choose (systemd, mode);
  cg->fs = cg_driver_choose (false, mode);
}

/* linux.resources with runc's "0 is not set": Docker and containerd send 0
 * (and "" for the cpusets) for every field the user did not set, on create
 * and on update. Written as given, cpu.shares 0 becomes 2 on v1 (the
 * container starves), a quota of 0 and a memory limit of 0 are refused or
 * kill the container. */
struct cg_set_only
{
  struct husk_spec_resources r;
  struct husk_spec_memory m;
  struct husk_spec_cpu c;
  struct husk_spec_block_io b;
};

static const struct husk_spec_resources *
set_only (const struct husk_spec_resources *in, struct cg_set_only *o)
{
  o->r = *in;
  if (in->memory)
    {
      o->m = *in->memory;
      o->m.has_limit &= o->m.limit != 0;
      o->m.has_reservation &= o->m.reservation != 0;
      o->m.has_swap &= o->m.swap != 0;
      o->m.has_kernel &= o->m.kernel != 0;
      o->m.has_kernel_tcp &= o->m.kernel_tcp != 0;
      o->r.memory = &o->m;
    }
  if (in->cpu)
    {
      o->c = *in->cpu;
      o->c.has_shares &= o->c.shares != 0;
      o->c.has_quota &= o->c.quota != 0;
      o->c.has_period &= o->c.period != 0;
      o->c.has_realtime_runtime &= o->c.realtime_runtime != 0;
      o->c.has_realtime_period &= o->c.realtime_period != 0;
      if (o->c.cpus && o->c.cpus[0] == '\0')
        o->c.cpus = NULL;
      if (o->c.mems && o->c.mems[0] == '\0')
        o->c.mems = NULL;
      o->r.cpu = &o->c;
    }
  o->r.has_pids_limit &= in->pids_limit != 0;
  if (in->block_io)
    {
      o->b = *in->block_io;
      o->b.has_weight &= o->b.weight != 0;
      o->b.has_leaf_weight &= o->b.leaf_weight != 0;
      o->r.block_io = &o->b;
    }
  return &o->r;
}

int
cg_apply (struct husk_cgroup *cg, const struct husk_spec_resources *r,
          const struct cg_apply_opts *ao, struct husk_error *err)
{
  struct cg_set_only o;
  return cg->drv->apply (cg, set_only (r, &o), ao, err);
}

int
cg_resources_host_check (const struct husk_cgroup *cg, const struct husk_spec_resources *r,
                         struct husk_error *err)
{
  /* what cg_apply will write: Docker's zeros ask for nothing */
  struct cg_set_only o;
  return cg_resources_host_check_set (cg, set_only (r, &o), err);
}

int
cg_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err)
{
  return cg->drv->freeze (cg, freeze, err);
}

int
cg_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err)
{
  return cg->drv->frozen (cg, frozen, err);
}

int
hk_cgroup_create (const struct husk_cgroup_opts *o, struct husk_cgroup **out,
                  struct husk_error *err)
{
  struct hk_cgroup_layout l;
  struct husk_cgroup *cg = NULL;
  *out = NULL;
  /* refuse what no cgroup file would take before anything is made */
  int ret = cg_resources_check (o->resources, err);
  if (ret < 0)
    return ret;
  ret = cg_layout_load (o->fs_root, &l, err);
  if (ret < 0)
    {
      hk_cgroup_layout_clear (&l);
      return husk_error_prefix (err, "cgroup");
    }
  if ((ret = cg_new (o->fs_root, &cg, err)) < 0)
    goto out;
  cg_set_driver (cg, o->systemd, l.mode);
  cg->log = o->log;
  if (o->disabled)
    {
      /* crun's --cgroup-manager disabled: the container stays in the
       * caller's cgroups, nothing is made or recorded */
      if (cg_resources_used (o->resources))
        cg_warn (cg, "cgroups are disabled: linux.resources are not applied");
      *out = cg;
      cg = NULL;
      goto out;
    }
  if ((ret = cg->drv->create (cg, &l, o, err)) < 0)
    goto out;
  if (o->resources && (ret = cg_resources_json (o->resources, &cg->resources, err)) < 0)
    goto out;
  *out = cg;
  cg = NULL;
out:
  if (cg)
    cg->drv->create_failed (cg);
  hk_cgroup_free (cg);
  hk_cgroup_layout_clear (&l);
  return ret;
}

int
hk_cgroup_enter (struct husk_cgroup *cg, pid_t pid, struct husk_error *err)
{
  return cg->drv->enter (cg, pid, err);
}

int
hk_cgroup_guess (const char *id, const char *cgroups_path, const char *fs_root,
                 struct husk_cgroup **out, struct husk_error *err)
{
  struct hk_cgroup_layout l;
  struct husk_cgroup *cg = NULL;
  *out = NULL;
  int ret = cg_layout_load (fs_root, &l, err);
  if (ret < 0 || (ret = cg_new (fs_root, &cg, err)) < 0)
    goto out;
  /* what the cgroupfs driver would have made */
  cg_set_driver (cg, false, l.mode);
  bool deflt = cgroups_path == NULL || cgroups_path[0] == '\0';
  for (size_t i = 0; i < l.n; i++)
    {
      const struct hk_cgroup_mount *m = &l.m[i];
      _cleanup_free_ char *path = NULL, *dir = NULL;
      char full[PATH_MAX];
      if ((ret = cg_path_compute (cgroups_path, id, m->own, &path, err)) < 0
          || (ret = cg_path_dir (m, path, &dir, err)) < 0)
        goto out;
      snprintf (full, sizeof full, "%s%s", cg->root, dir);
      struct stat st;
      if (lstat (full, &st) < 0 || !S_ISDIR (st.st_mode))
        continue;
      if ((ret = cg_add_place (cg, m->ctrls, m->v2, dir, err)) < 0)
        goto out;
      /* what husk made: the container's directory, and husk's own
       * default parent (/husk) while it is empty */
      struct cg_place *p = &cg->p[cg->n - 1];
      char *slash = strrchr (dir, '/');
      p->top = deflt && slash && (size_t) (slash - dir) > strlen (m->mount)
                   ? strndup (dir, (size_t) (slash - dir))
                   : strdup (dir);
      if (p->top == NULL)
        {
          ret = husk_error_set (err, ENOMEM, "cgroup");
          goto out;
        }
    }
  *out = cg;
  cg = NULL;
out:
  hk_cgroup_free (cg);
  hk_cgroup_layout_clear (&l);
  return ret;
}
