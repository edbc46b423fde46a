/* SPDX-License-Identifier: Apache-2.0 */
/* The freezer: v1 freezer.state where the freezer controller is mounted
 * (the v1 drivers), v2 cgroup.freeze otherwise (the v2 drivers, and a hybrid
 * host without a v1 freezer). Freezing waits until the kernel reports the
 * whole cgroup frozen. */
#include "config.h"
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include "cgroups/internal.h"
#include "utils.h"

#define FREEZE_WAIT_MS 10000

bool
cg_wait_ms (long ms)
{
  /* the caller's SIGTERM or SIGINT ends every wait, also while blocked
   * (husk run holds them back to forward them to the container) */
  sigset_t pending;
  if (sigpending (&pending) == 0
      && (sigismember (&pending, SIGTERM) == 1 || sigismember (&pending, SIGINT) == 1))
    return false;
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  return nanosleep (&ts, NULL) == 0 || errno != EINTR;
}

#define NO_FREEZER "no freezer: neither the v1 freezer controller nor cgroup v2"

/* The v1 freezer hierarchy's place, NULL when it is not mounted. */
static const struct cg_place *
v1_place (const struct husk_cgroup *cg)
{
  for (size_t i = 0; i < cg->n; i++)
    if (!cg->p[i].v2 && cg_list_has (cg->p[i].ctrls, ',', "freezer"))
      return &cg->p[i];
  return NULL;
}

static int
frozen_at (const struct husk_cgroup *cg, const struct cg_place *p, bool v1, bool *frozen,
           struct husk_error *err)
{
  _cleanup_free_ char *s = NULL;
  int ret = cg_read (cg, p, v1 ? "freezer.state" : "cgroup.events", &s, err);
  if (ret < 0)
    return ret;
  if (v1)
    *frozen = strncmp (s, "FROZEN", 6) == 0;
  else
    {
      const char *f = strstr (s, "frozen ");
      *frozen = f && (f == s || f[-1] == '\n') && f[7] == '1';
    }
  return 0;
}

static int
freeze_at (const struct husk_cgroup *cg, const struct cg_place *p, bool v1, bool freeze,
           struct husk_error *err)
{
  const char *file = v1 ? "freezer.state" : "cgroup.freeze";
  const char *value = v1 ? (freeze ? "FROZEN" : "THAWED") : (freeze ? "1" : "0");
  int ret = cg_write (cg, p, file, value, err);
  if (ret < 0 || !freeze || cg->root[0])
    return ret;
  /* FREEZING until every task stopped; v1 may need the write repeated */
  int waited;
  for (waited = 0; waited < FREEZE_WAIT_MS; waited += 10)
    {
      bool frozen;
      if ((ret = frozen_at (cg, p, v1, &frozen, err)) < 0)
        return ret;
      if (frozen)
        return 0;
      if (!cg_wait_ms (10))
        break;
      if (v1 && waited % 100 == 0 && (ret = cg_write (cg, p, file, value, err)) < 0)
        return ret;
    }
  struct husk_error ignored;
  cg_write (cg, p, file, v1 ? "THAWED" : "0", &ignored);
  if (waited < FREEZE_WAIT_MS)
    return husk_error_setx (err, EINTR,
                            "freeze %s: interrupted (SIGTERM or SIGINT) before it froze", p->dir);
  return husk_error_setx (err, ETIMEDOUT, "freeze %s%s: not frozen after %d s", p->dir,
                          v1 ? " (freezer.state)" : " (cgroup.events)", FREEZE_WAIT_MS / 1000);
}

/* The freezer of the cgroup directory dir (full path) says frozen: v1
 * freezer.state FROZEN or FREEZING (a frozen ancestor's too), v2
 * cgroup.freeze 1 or "frozen 1" in cgroup.events. what: the file and value. */
static bool
dir_frozen (const char *dir, bool v1, char *what, size_t size)
{
  static const char *const files[][2] = { { "freezer.state", NULL },
                                          { "cgroup.freeze", "cgroup.events" } };
  for (size_t i = 0; i < 2; i++)
    {
      const char *f = files[v1 ? 0 : 1][i];
      char path[PATH_MAX + 32];
      _cleanup_free_ char *s = NULL;
      struct husk_error ignored;
      if (f == NULL)
        continue;
      snprintf (path, sizeof path, "%s/%s", dir, f);
      if (hk_read_file (path, 4096, &s, NULL, &ignored) < 0)
        continue;
      const char *e = strstr (s, "frozen ");
      bool frozen = v1       ? strncmp (s, "FROZEN", 6) == 0 || strncmp (s, "FREEZING", 8) == 0
                    : i == 0 ? s[0] == '1'
                             : e && (e == s || e[-1] == '\n') && e[7] == '1';
      if (frozen)
        {
          snprintf (what, size, "%s %.*s", f, (int) strcspn (v1 || i == 0 ? s : e, "\n"),
                    v1 || i == 0 ? s : e);
          return true;
        }
    }
  return false;
}

int
cg_check_not_frozen (const struct husk_cgroup *cg, const char *cgroups_path, struct husk_error *err)
{
  for (size_t i = 0; i < cg->n; i++)
    {
      const struct cg_place *p = &cg->p[i];
      bool v1 = !p->v2 && cg_list_has (p->ctrls, ',', "freezer");
      if (!v1 && !p->v2)
        continue;
      /* the cgroup, or the nearest of its parents that exists: a new
       * cgroup below a frozen one is frozen too */
      char dir[PATH_MAX], what[64];
      snprintf (dir, sizeof dir, "%s%s", cg->root, p->dir);
      size_t rl = strlen (cg->root);
      while (access (dir, F_OK) < 0 && strlen (dir) > rl + 1)
        {
          char *s = strrchr (dir, '/');
          if (s == NULL || s <= dir + rl)
            break;
          *s = '\0';
        }
      if (dir_frozen (dir, v1, what, sizeof what))
        {
          if (cgroups_path && cgroups_path[0])
            return husk_error_setx (err, EBUSY,
                                    "linux.cgroupsPath \"%s\": container's cgroup is frozen "
                                    "(%s: %s); thaw it first",
                                    cgroups_path, dir + rl, what);
          return husk_error_setx (err, EBUSY,
                                  "container's cgroup is frozen (%s: %s); thaw it first", dir + rl,
                                  what);
        }
    }
  return 0;
}

/* Thaw dir and every cgroup below it, top-down (a v1 child stays frozen
 * while its parent is). */
static void
thaw_tree (const char *dir, bool v1, int depth)
{
  char what[64], path[PATH_MAX + 32];
  if (dir_frozen (dir, v1, what, sizeof what))
    {
      snprintf (path, sizeof path, "%s/%s", dir, v1 ? "freezer.state" : "cgroup.freeze");
      _cleanup_close_ int fd = open (path, O_WRONLY | O_CLOEXEC);
      const char *v = v1 ? "THAWED" : "0";
      if (fd >= 0 && write (fd, v, strlen (v)) < 0)
        {
          /* nothing more to do: removal reports what stays */
        }
    }
  DIR *d = depth < 64 ? opendir (dir) : NULL;
  struct dirent *e;
  while (d && (e = readdir (d)) != NULL)
    if (e->d_type == DT_DIR && strcmp (e->d_name, ".") && strcmp (e->d_name, ".."))
      {
        snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
        thaw_tree (path, v1, depth + 1);
      }
  if (d)
    closedir (d);
}

void
cg_thaw_all (const struct husk_cgroup *cg)
{
  for (size_t i = 0; i < cg->n; i++)
    {
      const struct cg_place *p = &cg->p[i];
      bool v1 = !p->v2 && cg_list_has (p->ctrls, ',', "freezer");
      char dir[PATH_MAX];
      if (!v1 && !p->v2)
        continue;
      snprintf (dir, sizeof dir, "%s%s", cg->root, p->dir);
      thaw_tree (dir, v1, 0);
    }
}

int
cg_v2_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err)
{
  const struct cg_place *p = cg_place_v2 (cg);
  *frozen = false;
  if (p == NULL)
    return husk_error_setx (err, ENOTSUP, NO_FREEZER);
  return frozen_at (cg, p, false, frozen, err);
}

int
cg_v2_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err)
{
  const struct cg_place *p = cg_place_v2 (cg);
  if (p == NULL)
    return husk_error_setx (err, ENOTSUP, NO_FREEZER);
  return freeze_at (cg, p, false, freeze, err);
}

int
cg_v1_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err)
{
  const struct cg_place *p = v1_place (cg);
  *frozen = false;
  /* a hybrid host without a v1 freezer: the v2 hierarchy's */
  return p ? frozen_at (cg, p, true, frozen, err) : cg_v2_frozen (cg, frozen, err);
}

int
cg_v1_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err)
{
  const struct cg_place *p = v1_place (cg);
  return p ? freeze_at (cg, p, true, freeze, err) : cg_v2_freeze (cg, freeze, err);
}
