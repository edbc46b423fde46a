/* The library side of pause, resume, update, events and ps. */
#include "config.h"
#include <fcntl.h>
#include <poll.h>
#include "cgroups/internal.h"
#include "husk/cgroups.h"
#include "json.h"
#include "spec/spec_internal.h"
#include "utils.h"
#include "store.h"

/* The locked container, its state, and its cgroup. */
struct opened {
  int dirfd;
  struct husk_state *st;
  struct husk_cgroup *cg;
};

static void
opened_close (struct opened *o)
{
  hk_cgroup_free (o->cg);
  husk_state_free (o->st);
  if (o->dirfd >= 0)
    close (o->dirfd);
}

static int
open_cg (const struct husk_store *store, const char *id, const char *what, struct opened *o,
         struct husk_error *err)
{
  memset (o, 0, sizeof *o);
  o->dirfd = -1;
  int ret = hk_container_open (store, id, &o->dirfd, err);
  if (ret < 0 || (ret = hk_state_read (o->dirfd, id, &o->st, err)) < 0)
    return ret;
  if (o->st->cgroup == NULL)
    return husk_error_setx (err, ENOENT, "cannot %s container \"%s\": it has no cgroup", what, id);
  return hk_cgroup_from_state (o->st->cgroup, NULL, &o->cg, err);
}

static int
freeze (const struct husk_store *store, const char *id, bool pause, struct husk_error *err)
{
  struct opened o;
  const char *what = pause ? "pause" : "resume";
  int ret = open_cg (store, id, what, &o, err);
  if (ret == 0)
    {
      enum husk_status want = pause ? HUSK_STATUS_RUNNING : HUSK_STATUS_PAUSED;
      if (o.st->status != want)
        ret = husk_error_setx (err, EINVAL, "cannot %s container \"%s\": it is %s, not %s", what,
                               id, husk_status_name (o.st->status), husk_status_name (want));
      else if ((ret = cg_freeze (o.cg, pause, err)) == 0)
        {
          o.st->status = pause ? HUSK_STATUS_PAUSED : HUSK_STATUS_RUNNING;
          ret = hk_state_write (o.dirfd, o.st, err);
        }
    }
  opened_close (&o);
  return ret;
}

int
husk_container_pause (const struct husk_store *store, const char *id, struct husk_error *err)
{
  return freeze (store, id, true, err);
}

int
husk_container_resume (const struct husk_store *store, const char *id, struct husk_error *err)
{
  return freeze (store, id, false, err);
}

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
  struct spec_ctx c;
  spec_ctx_init (&c, "resources", err);
  if (ret == 0)
    ret = spec_val_object (&c, v);
  if (ret == 0)
    ret = spec_parse_resources (&c, v, out);
  yajl_tree_free (v);
  if (ret == 0 && (ret = cg_resources_check (*out, err)) < 0)
    {
      spec_free_resources (*out);
      *out = NULL;
    }
  return ret;
}

int
husk_container_update (const struct husk_store *store, const char *id,
                       const char *resources_json, const struct husk_logger *log,
                       struct husk_error *err)
{
  struct opened o;
  struct husk_spec_resources *upd = NULL, *all = NULL;
  char *merged = NULL;
  /* before the first goto: a cleanup variable jumped over is freed
   * uninitialised at the end */
  _cleanup_free_ char *rec = NULL;
  int ret = open_cg (store, id, "update", &o, err);
  if (ret < 0)
    goto out;
  if (o.st->status == HUSK_STATUS_STOPPED)
    {
      ret = husk_error_setx (err, EINVAL, "cannot update container \"%s\": it is stopped", id);
      goto out;
    }
  o.cg->log = log;
  /* everything is checked, and the new record made, before anything is
   * written (a cgroup file or state.json) */
  if ((ret = cg_resources_parse (resources_json, true, &upd, err)) < 0
      || (ret = cg_json_merge (o.cg->resources, resources_json, &merged, err)) < 0
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
  char *old_res = o.cg->resources;
  o.cg->resources = merged;
  ret = hk_cgroup_to_state (o.cg, &rec, err);
  o.cg->resources = old_res;
  if (ret < 0)
    goto out;
  struct husk_cgroup *check = NULL;
  if (rec && (ret = hk_cgroup_from_state (rec, NULL, &check, err)) < 0)
    {
      husk_error_prefix (err, "update: the new record");
      goto out;
    }
  hk_cgroup_free (check);
  if ((ret = cg_apply (o.cg, upd, &ao, err)) < 0)
    goto out;
  free (o.st->cgroup);
  o.st->cgroup = steal_pointer (&rec);
  ret = hk_state_write (o.dirfd, o.st, err);
out:
  free (merged);
  spec_free_resources (upd);
  spec_free_resources (all);
  opened_close (&o);
  return ret;
}

/* Read the container without holding its lock afterwards. */
static int
load_cg (const struct husk_store *store, const char *id, struct husk_state **st,
         struct husk_cgroup **cg, struct husk_error *err)
{
  *cg = NULL;
  int ret = husk_state_load (store, id, st, err);
  if (ret < 0)
    return ret;
  if ((*st)->cgroup == NULL)
    ret = husk_error_setx (err, ENOENT, "container \"%s\" has no cgroup", id);
  else
    ret = hk_cgroup_from_state ((*st)->cgroup, NULL, cg, err);
  if (ret < 0)
    {
      husk_state_free (*st);
      *st = NULL;
    }
  return ret;
}

static int
event_line (const char *type, const char *id, const struct husk_cgroup *cg, pid_t pid, char **out,
            struct husk_error *err)
{
  _cleanup_gen_ yajl_gen g = hk_json_gen (NULL);
  if (g == NULL)
    return husk_error_set (err, ENOMEM, "events");
  yajl_gen_map_open (g);
  hk_json_kstr (g, "type", type);
  hk_json_kstr (g, "id", id);
  if (cg)
    {
      hk_json_key (g, "data");
      int ret = cg_stats_emit (cg, pid, g, err);
      if (ret < 0)
        return ret;
    }
  yajl_gen_map_close (g);
  return hk_json_finish (g, false, out, NULL, err);
}

int
husk_container_stats (const struct husk_store *store, const char *id, char **out,
                      struct husk_error *err)
{
  struct husk_state *st;
  struct husk_cgroup *cg;
  int ret = load_cg (store, id, &st, &cg, err);
  if (ret < 0)
    return ret;
  if (st->status == HUSK_STATUS_STOPPED)
    ret = husk_error_setx (err, EINVAL, "container \"%s\" is stopped", id);
  else
    ret = event_line ("stats", id, cg, st->pid, out, err);
  hk_cgroup_free (cg);
  husk_state_free (st);
  return ret;
}

int
husk_container_events (const struct husk_store *store, const char *id, unsigned interval_ms,
                       husk_event_fn fn, void *data, struct husk_error *err)
{
  struct husk_state *st;
  struct husk_cgroup *cg;
  int ret = load_cg (store, id, &st, &cg, err);
  if (ret < 0)
    return ret;
  if (st->status == HUSK_STATUS_STOPPED)
    {
      ret = husk_error_setx (err, EINVAL, "container \"%s\" is stopped", id);
      goto out;
    }
  int oomfd = -1;
  uint64_t ooms = 0;
  if ((ret = cg_oom_open (cg, &oomfd, &ooms, err)) < 0)
    goto out;
  for (;;)
    {
      struct pollfd p = { oomfd, POLLIN, 0 };
      int n = poll (&p, oomfd >= 0 ? 1 : 0, (int) interval_ms);
      if (n < 0 && errno != EINTR)
        {
          ret = husk_error_set (err, errno, "events: poll");
          break;
        }
      _cleanup_free_ char *line = NULL;
      if (n > 0 && (p.revents & POLLIN) && cg_oom_check (cg, oomfd, &ooms))
        ret = event_line ("oom", id, NULL, 0, &line, err);
      else if (n == 0)
        {
          /* still there? */
          struct husk_state *now = NULL;
          struct husk_error ign;
          if (husk_state_load (store, id, &now, &ign) < 0 || now->status == HUSK_STATUS_STOPPED)
            {
              husk_state_free (now);
              break;
            }
          husk_state_free (now);
          ret = event_line ("stats", id, cg, st->pid, &line, err);
        }
      if (ret < 0)
        break;
      if (line && fn (line, data) != 0)
        break;
    }
  if (oomfd >= 0)
    close (oomfd);
out:
  hk_cgroup_free (cg);
  husk_state_free (st);
  return ret;
}

int
husk_container_pids (const struct husk_store *store, const char *id, pid_t **pids, size_t *n,
                     struct husk_error *err)
{
  struct husk_state *st;
  struct husk_cgroup *cg;
  *pids = NULL;
  *n = 0;
  int ret = load_cg (store, id, &st, &cg, err);
  if (ret < 0)
    return ret;
  ret = hk_cgroup_pids (cg, pids, n, err);
  hk_cgroup_free (cg);
  husk_state_free (st);
  return ret;
}
