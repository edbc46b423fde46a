/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroups module's side of pause, resume, update, events and stats: on
 * a handle, never on the store (libcontainer/control.c has the container). */
#include "config.h"
#include "cgroups/internal.h"
#include "json.h"
#include "spec/resources.h"
#include "utils.h"

int
cg_resources_parse (const char *json, bool strict, struct husk_spec_resources **out,
                    struct husk_error *err)
{
  *out = NULL;
  yajl_val v;
  int ret = hk_json_parse (json, strlen (json), "resources", &v, err);
  if (ret < 0)
    return ret;
  /* an update is checked field by field: nothing unknown (an unknown
   * member would be kept in state.json and break it), each of its type */
  if (strict)
    ret = cg_resources_json_check (v, "resources", err);
  if (ret == 0)
    ret = hk_spec_resources_from_json (v, "resources", out, err);
  yajl_tree_free (v);
  if (ret == 0 && (ret = cg_resources_check (*out, err)) < 0)
    {
      hk_spec_resources_free (*out);
      *out = NULL;
    }
  return ret;
}

int
hk_cgroup_update (struct husk_cgroup *cg, const char *resources_json, char **record,
                  struct husk_error *err)
{
  struct husk_spec_resources *upd = NULL, *all = NULL;
  char *merged = NULL;
  *record = NULL;
  /* everything is checked, and the new record made, before anything is
   * written (a cgroup file, or state.json by the caller) */
  int ret;
  if ((ret = cg_resources_parse (resources_json, true, &upd, err)) < 0
      || (ret = cg_json_merge (cg->resources, resources_json, &merged, err)) < 0
      || (ret = cg_resources_parse (merged, false, &all, err)) < 0)
    goto out;
  /* what the update leaves out but needs: the limit behind a v2 swap, and
   * checkBeforeUpdate as configured */
  if (upd->memory && all->memory)
    {
      if (upd->memory->has_swap && !upd->memory->has_limit && all->memory->has_limit)
        {
          upd->memory->has_limit = true;
          upd->memory->limit = all->memory->limit;
        }
      upd->memory->has_check_before_update = all->memory->has_check_before_update;
      upd->memory->check_before_update = all->memory->check_before_update;
    }
  /* the device rules of an update start again from deny-all (cg_dev_rules) */
  struct cg_apply_opts ao = { .update = true };
  /* the record as it will be, read back as delete will read it */
  char *old_res = cg->resources;
  cg->resources = merged;
  ret = hk_cgroup_to_state (cg, record, err);
  cg->resources = old_res;
  if (ret < 0)
    goto out;
  struct husk_cgroup *check = NULL;
  if (*record
      && (ret = hk_cgroup_from_state (*record, cg->root[0] ? cg->root : NULL, &check, err)) < 0)
    {
      husk_error_prefix (err, "update: the new record");
      goto out;
    }
  hk_cgroup_free (check);
  /* what the host cannot take is refused before anything is written; then
   * the update is one transaction: a write that fails puts back every
   * value written before it */
  if ((ret = cg_resources_host_check (cg, upd, err)) < 0)
    goto out;
  struct cg_journal journal = { 0 };
  cg->journal = &journal;
  ret = cg_apply (cg, upd, &ao, err);
  cg->journal = NULL;
  if (ret < 0 && journal.n > 0)
    {
      size_t failed = cg_journal_undo (cg, &journal);
      char note[96];
      if (failed)
        snprintf (note, sizeof note, " (%zu file(s) could not be restored)", failed);
      else
        snprintf (note, sizeof note, " (the values written before are restored)");
      size_t l = strlen (err->msg);
      snprintf (err->msg + l, sizeof err->msg - l, "%s", note);
    }
  cg_journal_free (&journal);
out:
  if (ret < 0)
    {
      free (*record);
      *record = NULL;
    }
  free (merged);
  hk_spec_resources_free (upd);
  hk_spec_resources_free (all);
  return ret;
}

int
hk_cgroup_freeze (struct husk_cgroup *cg, bool freeze, struct husk_error *err)
{
  return cg_freeze (cg, freeze, err);
}

int
hk_cgroup_stats_json (const struct husk_cgroup *cg, pid_t pid, struct yajl_gen_t *g,
                      struct husk_error *err)
{
  return cg_stats_emit (cg, pid, g, err);
}

int
hk_cgroup_stats_read (const struct husk_cgroup *cg, pid_t pid, struct husk_stats **out,
                      struct husk_error *err)
{
  return cg_stats_collect (cg, pid, out, err);
}

int
hk_cgroup_oom_open (const struct husk_cgroup *cg, int *fd, uint64_t *count, struct husk_error *err)
{
  return cg_oom_open (cg, fd, count, err);
}

bool
hk_cgroup_oom_check (const struct husk_cgroup *cg, int fd, uint64_t *count)
{
  return cg_oom_check (cg, fd, count);
}
