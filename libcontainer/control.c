/* SPDX-License-Identifier: Apache-2.0 */
/* pause, resume, update, stats, events and ps: the container object
 * (object.h) acting through its cgroup handle. */
#include "config.h"
#include <fcntl.h>
#include <poll.h>
#include "husk/cgroups.h"
#include "husk/stats.h"
#include "cgroups/cgroups.h"
#include "json.h"
#include "object.h"
#include "utils.h"

static int
freeze (const struct husk_store *store, const char *id, bool pause, struct husk_error *err)
{
  struct hk_container c;
  const char *what = pause ? "pause" : "resume";
  int ret = hk_container_load (store, id, NULL, &c, err);
  if (ret == 0)
    ret = hk_container_cgroup (&c, what, err);
  if (ret == 0)
    {
      enum husk_status want = pause ? HUSK_STATUS_RUNNING : HUSK_STATUS_PAUSED;
      if (c.st->status != want)
        ret = husk_error_setx (err, EINVAL, "cannot %s container \"%s\": it is %s, not %s", what,
                               id, husk_status_name (c.st->status), husk_status_name (want));
      else if ((ret = hk_cgroup_freeze (c.cg, pause, err)) == 0)
        {
          c.st->status = pause ? HUSK_STATUS_PAUSED : HUSK_STATUS_RUNNING;
          ret = hk_container_save (&c, err);
        }
    }
  hk_container_close (&c);
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
husk_container_update (const struct husk_store *store, const char *id, const char *resources_json,
                       const struct husk_logger *log, struct husk_error *err)
{
  struct hk_container c;
  int ret = hk_container_load (store, id, log, &c, err);
  if (ret == 0)
    ret = hk_container_cgroup (&c, "update", err);
  if (ret == 0 && c.st->status == HUSK_STATUS_STOPPED)
    ret = husk_error_setx (err, EINVAL, "cannot update container \"%s\": it is stopped", id);
  char *rec = NULL;
  if (ret == 0)
    ret = hk_cgroup_update (c.cg, resources_json, &rec, err);
  if (ret == 0)
    {
      free (c.st->cgroup);
      c.st->cgroup = rec;
      ret = hk_container_save (&c, err);
    }
  hk_container_close (&c);
  return ret;
}

/* The container and its cgroup, without holding its lock afterwards. */
static int
peek_cg (const struct husk_store *store, const char *id, struct hk_container *c,
         struct husk_error *err)
{
  int ret = hk_container_peek (store, id, NULL, c, err);
  if (ret == 0 && c->st->cgroup == NULL)
    ret = husk_error_setx (err, ENOENT, "container \"%s\" has no cgroup", id);
  if (ret == 0)
    ret = hk_container_cgroup (c, "read", err);
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
      int ret = hk_cgroup_stats_json (cg, pid, g, err);
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
  struct hk_container c;
  int ret = peek_cg (store, id, &c, err);
  if (ret == 0 && c.st->status == HUSK_STATUS_STOPPED)
    ret = husk_error_setx (err, EINVAL, "container \"%s\" is stopped", id);
  if (ret == 0)
    ret = event_line ("stats", id, c.cg, c.st->pid, out, err);
  hk_container_close (&c);
  return ret;
}

int
husk_container_stats_read (const struct husk_store *store, const char *id, struct husk_stats **out,
                           struct husk_error *err)
{
  struct hk_container c;
  *out = NULL;
  int ret = peek_cg (store, id, &c, err);
  if (ret == 0 && c.st->status == HUSK_STATUS_STOPPED)
    ret = husk_error_setx (err, EINVAL, "container \"%s\" is stopped", id);
  if (ret == 0)
    ret = hk_cgroup_stats_read (c.cg, c.st->pid, out, err);
  hk_container_close (&c);
  return ret;
}

/* Is the container still there and not stopped? */
static bool
still_running (const struct husk_store *store, const char *id)
{
  struct hk_container now;
  struct husk_error ign;
  bool yes = hk_container_peek (store, id, NULL, &now, &ign) == 0
             && now.st->status != HUSK_STATUS_STOPPED;
  hk_container_close (&now);
  return yes;
}

static int
watch (const struct husk_store *store, struct hk_container *c, unsigned interval_ms,
       husk_event_fn fn, void *data, struct husk_error *err)
{
  int oomfd = -1;
  uint64_t ooms = 0;
  int ret = hk_cgroup_oom_open (c->cg, &oomfd, &ooms, err);
  if (ret < 0)
    return ret;
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
      if (n > 0 && (p.revents & POLLIN) && hk_cgroup_oom_check (c->cg, oomfd, &ooms))
        ret = event_line ("oom", c->id, NULL, 0, &line, err);
      else if (n == 0)
        {
          if (!still_running (store, c->id))
            break;
          ret = event_line ("stats", c->id, c->cg, c->st->pid, &line, err);
        }
      if (ret < 0)
        break;
      if (line && fn (line, data) != 0)
        break;
    }
  if (oomfd >= 0)
    close (oomfd);
  return ret;
}

int
husk_container_events (const struct husk_store *store, const char *id, unsigned interval_ms,
                       husk_event_fn fn, void *data, struct husk_error *err)
{
  struct hk_container c;
  int ret = peek_cg (store, id, &c, err);
  if (ret == 0 && c.st->status == HUSK_STATUS_STOPPED)
    ret = husk_error_setx (err, EINVAL, "container \"%s\" is stopped", id);
  if (ret == 0)
    ret = watch (store, &c, interval_ms, fn, data, err);
  hk_container_close (&c);
  return ret;
}

int
husk_container_pids (const struct husk_store *store, const char *id, pid_t **pids, size_t *n,
                     struct husk_error *err)
{
  struct hk_container c;
  *pids = NULL;
  *n = 0;
  int ret = peek_cg (store, id, &c, err);
  if (ret == 0)
    ret = hk_cgroup_pids (c.cg, pids, n, err);
  hk_container_close (&c);
  return ret;
}
