/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroupfs driver (cg_fs_v1 on v1 and hybrid hosts, cg_fs_v2 on pure
 * v2 hosts): the container's directory in every hierarchy, made and
 * removed by husk, processes put in by pid. And what every driver shares:
 * the record's places, directories, the pid list, kill, teardown. */
#include "config.h"
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>
#include "cgroups/internal.h"
#include "json.h"
#include "utils.h"

/* ------------------------------------------------------------ directories */

/* The parent directory of path in place of p (a copy with the last
 * component cut). */
static void
parent_of (const char *path, char *out, size_t size)
{
  snprintf (out, size, "%s", path);
  char *s = strrchr (out, '/');
  if (s && s != out)
    *s = '\0';
}

/* v1 cpuset: a new cgroup starts with no cpus and mems; give it its
 * parent's so that processes can join. */
static int
cpuset_inherit (const char *dir, bool fake, struct husk_error *err)
{
  static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
  char parent[PATH_MAX], path[PATH_MAX + 64];
  parent_of (dir, parent, sizeof parent);
  for (size_t i = 0; i < ARRAY_SIZE (files); i++)
    {
      _cleanup_free_ char *own = NULL, *up = NULL;
      struct husk_error ignored;
      snprintf (path, sizeof path, "%s/%s", dir, files[i]);
      if (hk_read_file (path, 4096, &own, NULL, &ignored) < 0 && !fake)
        continue;
      if (own && own[0] != '\n' && own[0] != '\0')
        continue;
      char ppath[PATH_MAX + 64];
      snprintf (ppath, sizeof ppath, "%s/%s", parent, files[i]);
      if (hk_read_file (ppath, 4096, &up, NULL, err) < 0)
        return err->code ? -err->code : -EIO;
      _cleanup_close_ int fd = open (path, O_WRONLY | O_CLOEXEC | (fake ? O_CREAT : 0), 0644);
      if (fd < 0 || write (fd, up, strlen (up)) < 0)
        return husk_error_set (err, errno, "write \"%.*s\" to %s", (int) strcspn (up, "\n"), up,
                               path);
    }
  return 0;
}

/* A fake root (unit tests) has no kernel to fill a new cgroup directory:
 * give it the files the kernel would. */
static void
fake_cgroup_files (const char *dir, bool v2)
{
  static const char *const files[] = { "cgroup.procs", "cgroup.subtree_control" };
  for (size_t i = 0; i < (v2 ? 2u : 1u); i++)
    {
      char path[PATH_MAX + 64];
      snprintf (path, sizeof path, "%s/%s", dir, files[i]);
      int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd >= 0)
        close (fd);
    }
}

/* The systemd driver: the scope's directory in a hierarchy systemd did not
 * make it in (v1 controllers it does not manage), with a v1 cpuset's empty
 * ancestors given their parents' cpus and mems first. */
int
cg_make_dir (const struct husk_cgroup *cg, const struct cg_place *p, struct husk_error *err)
{
  char full[PATH_MAX];
  size_t cut[64], ncut = 0;
  bool cpuset = !p->v2 && cg_list_has (p->ctrls, ',', "cpuset");
  bool fake = cg->root[0] != '\0';
  snprintf (full, sizeof full, "%s%s", cg->root, p->dir);
  /* up to the nearest directory that exists (and, for cpuset, has cpus) */
  for (;;)
    {
      char probe[PATH_MAX + 16];
      snprintf (probe, sizeof probe, "%s/cpuset.cpus", full);
      bool exists = access (full, F_OK) == 0;
      bool ok = exists;
      if (exists && cpuset)
        {
          _cleanup_free_ char *c = NULL;
          struct husk_error ignored;
          ok = hk_read_file (probe, 4096, &c, NULL, &ignored) == 0 && c[0] != '\n' && c[0] != '\0';
        }
      if (ok || ncut == ARRAY_SIZE (cut))
        break;
      char *s = strrchr (full, '/');
      if (s == NULL || s == full)
        break;
      cut[ncut++] = (size_t) (s - full);
      *s = '\0';
    }
  /* then down again, making and filling */
  for (size_t k = ncut; k-- > 0;)
    {
      full[cut[k]] = '/';
      if (mkdir (full, 0755) < 0 && errno != EEXIST)
        return husk_error_set (err, errno, "create cgroup %s", full + strlen (cg->root));
      if (cpuset)
        {
          int ret = cpuset_inherit (full, fake, err);
          if (ret < 0)
            return ret;
        }
    }
  return 0;
}

static bool
has_subdirs (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  bool any = false;
  while (d && !any && (e = readdir (d)) != NULL)
    any = e->d_type == DT_DIR && strcmp (e->d_name, ".") && strcmp (e->d_name, "..");
  if (d)
    closedir (d);
  return any;
}

/* A fake root: the files of an emptied directory (the kernel's go with it). */
static void
unlink_files (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  while (d && (e = readdir (d)) != NULL)
    if (e->d_type == DT_REG)
      unlinkat (dirfd (d), e->d_name, 0);
  if (d)
    closedir (d);
}

/* mkdir -p of dir (full path) below mount; *top is the first directory made. */
static int
make_dirs (const char *mount, const char *dir, bool cpuset, bool fake, bool v2, char **top,
           struct husk_error *err)
{
  char buf[PATH_MAX];
  size_t ml = strlen (mount);
  snprintf (buf, sizeof buf, "%s", dir);
  *top = NULL;
  for (char *s = buf + ml; s && *s;)
    {
      char *next = strchr (s + 1, '/');
      if (next)
        *next = '\0';
      bool made = mkdir (buf, 0755) == 0;
      if (!made && errno != EEXIST)
        return husk_error_set (err, errno, "create cgroup %s", buf);
      if (made && *top == NULL && (*top = strdup (buf)) == NULL)
        return husk_error_set (err, ENOMEM, "cgroup");
      if (made && fake)
        fake_cgroup_files (buf, v2);
      /* a v1 cpuset made here, or found with no cpus or mems (a pod's
       * parent made by someone else): its parent's, top-down, as runc */
      if (cpuset)
        {
          int ret = cpuset_inherit (buf, fake && made, err);
          if (ret < 0)
            return ret;
        }
      if (next)
        *next = '/';
      s = next;
    }
  return 0;
}

/* rmdir dir and every cgroup below it (the container may have made some).
 * A fake root's directories hold real files: those go too. */
static int
remove_tree (const char *dir, bool fake)
{
  DIR *d = opendir (dir);
  if (d)
    {
      struct dirent *e;
      while ((e = readdir (d)) != NULL)
        {
          char sub[PATH_MAX + 256];
          snprintf (sub, sizeof sub, "%s/%s", dir, e->d_name);
          if (e->d_type == DT_DIR && strcmp (e->d_name, ".") && strcmp (e->d_name, ".."))
            remove_tree (sub, fake);
          else if (fake && e->d_type == DT_REG)
            unlink (sub);
        }
      closedir (d);
    }
  /* a cgroup still emptying its last exiting task answers EBUSY a moment */
  for (int i = 0; i < 200; i++)
    {
      if (rmdir (dir) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY)
        return -errno;
      if (!cg_wait_ms (10))
        break;
    }
  return -EBUSY;
}

int
cg_v2_enable (const struct husk_cgroup *cg, const struct cg_place *p, const char *const *ctrls,
              struct husk_error *err)
{
  if (ctrls[0] == NULL)
    return 0;
  /* the ancestors that are cgroups (they have cgroup.subtree_control), from
   * the parent of the container's directory up to the hierarchy's root */
  char dir[PATH_MAX], path[PATH_MAX + 64];
  size_t cut[64] = { 0 }, ncut = 0;
  snprintf (dir, sizeof dir, "%s%s", cg->root, p->dir);
  for (char *s = strrchr (dir, '/'); s && s > dir && ncut < ARRAY_SIZE (cut);
       s = strrchr (dir, '/'))
    {
      *s = '\0';
      snprintf (path, sizeof path, "%s/cgroup.subtree_control", dir);
      if (access (path, F_OK) < 0)
        break;
      cut[ncut++] = (size_t) (s - dir);
    }
  /* top-down: a controller must be enabled in the parent first */
  snprintf (dir, sizeof dir, "%s%s", cg->root, p->dir);
  for (size_t k = ncut; k-- > 0;)
    {
      snprintf (path, sizeof path, "%.*s/cgroup.subtree_control", (int) cut[k], dir);
      _cleanup_free_ char *cur = NULL;
      struct husk_error ignored;
      hk_read_file (path, 4096, &cur, NULL, &ignored);
      for (size_t i = 0; ctrls[i]; i++)
        {
          if (cur && cg_list_has (cur, ' ', ctrls[i]))
            continue;
          char v[64];
          int n = snprintf (v, sizeof v, cg->root[0] ? "%s " : "+%s", ctrls[i]);
          /* a fake root keeps the enabled names, as the kernel shows them */
          _cleanup_close_ int fd = open (path, O_WRONLY | O_CLOEXEC | (cg->root[0] ? O_APPEND : 0));
          if (fd < 0 || write (fd, v, (size_t) n) < 0)
            return husk_error_set (err, errno, "write \"+%s\" to %s", ctrls[i],
                                   path + strlen (cg->root));
        }
    }
  return 0;
}

/* ------------------------------------------------------------ the record */

void
hk_cgroup_free (struct husk_cgroup *cg)
{
  if (cg == NULL)
    return;
  for (size_t i = 0; i < cg->n; i++)
    {
      free (cg->p[i].ctrls);
      free (cg->p[i].dir);
      free (cg->p[i].top);
    }
  free (cg->p);
  free (cg->root);
  free (cg->slice);
  free (cg->unit);
  free (cg->resources);
  free (cg);
}

int
cg_new (const char *fs_root, struct husk_cgroup **out, struct husk_error *err)
{
  struct husk_cgroup *cg = calloc (1, sizeof *cg);
  if (cg == NULL || (cg->root = strdup (fs_root ? fs_root : "")) == NULL)
    {
      free (cg);
      return husk_error_set (err, ENOMEM, "cgroup");
    }
  cg_set_driver (cg, false, HK_CGROUP_NONE);
  *out = cg;
  return 0;
}

int
cg_add_place (struct husk_cgroup *cg, const char *ctrls, bool v2, const char *dir,
              struct husk_error *err)
{
  struct cg_place *p = realloc (cg->p, (cg->n + 1) * sizeof *p);
  if (p == NULL)
    return husk_error_set (err, ENOMEM, "cgroup");
  cg->p = p;
  p = &cg->p[cg->n++];
  memset (p, 0, sizeof *p);
  p->v2 = v2;
  p->ctrls = strdup (ctrls);
  p->dir = strdup (dir);
  if (p->ctrls == NULL || p->dir == NULL)
    return husk_error_set (err, ENOMEM, "cgroup");
  return 0;
}

int
cg_add_places (struct husk_cgroup *cg, const struct hk_cgroup_layout *l,
               const struct husk_cgroup_opts *o, const char *fixed, struct husk_error *err)
{
  for (size_t i = 0; i < l->n; i++)
    {
      const struct hk_cgroup_mount *m = &l->m[i];
      _cleanup_free_ char *path = NULL, *dir = NULL;
      int ret;
      if (fixed)
        ret = hk_strdup (fixed, &path, err);
      else
        ret = cg_path_compute (o->cgroups_path, o->id, m->own, &path, err);
      if (ret < 0 || (ret = cg_path_dir (m, path, &dir, err)) < 0
          || (ret = cg_add_place (cg, m->ctrls, m->v2, dir, err)) < 0)
        return ret;
    }
  return 0;
}

/* ------------------------------------------------------------ the cgroupfs driver */

/* Make every place's directory (the systemd driver leaves that to systemd). */
static int
make_all (struct husk_cgroup *cg, const struct hk_cgroup_layout *l, struct husk_error *err)
{
  for (size_t i = 0; i < cg->n; i++)
    {
      struct cg_place *p = &cg->p[i];
      char mount[PATH_MAX], full[PATH_MAX];
      snprintf (mount, sizeof mount, "%s%s", cg->root, l->m[i].mount);
      snprintf (full, sizeof full, "%s%s", cg->root, p->dir);
      _cleanup_free_ char *top = NULL;
      int ret;
      /* a parent such as /husk may vanish under us (the delete of the last
       * other container): then again */
      for (int tries = 0;; tries++)
        {
          ret = make_dirs (mount, full, !p->v2 && cg_list_has (p->ctrls, ',', "cpuset"),
                           cg->root[0] != '\0', p->v2, &top, err);
          if (ret != -ENOENT || top != NULL || tries == 3)
            break;
        }
      if (top)
        {
          p->top = strdup (top + strlen (cg->root));
          if (p->top == NULL)
            return husk_error_set (err, ENOMEM, "cgroup");
        }
      if (ret < 0)
        return ret;
    }
  return 0;
}

static int
fs_create (struct husk_cgroup *cg, const struct hk_cgroup_layout *l,
           const struct husk_cgroup_opts *o, struct husk_error *err)
{
  bool rootless = o->rootless || geteuid () != 0;
  int ret = cg_add_places (cg, l, o, NULL, err);
  if (ret < 0)
    return ret;
  /* before anything is made or written: a frozen cgroup would hold the
   * init stopped (runc refuses it too), and the resources the host cannot
   * take are refused here, not half-written */
  if ((ret = cg_check_not_frozen (cg, o->cgroups_path, err)) < 0
      || (o->resources && (ret = cg_resources_host_check (cg, o->resources, err)) < 0))
    return ret;
  /* a cgroup that holds processes already: as runc, a warning */
  _cleanup_free_ pid_t *pids = NULL;
  size_t npids = 0;
  struct husk_error ignored;
  if (hk_cgroup_pids (cg, &pids, &npids, &ignored) == 0 && npids > 0)
    cg_warn (cg, "container's cgroup is not empty: %zu process(es) found", npids);
  cg->made = true;
  ret = make_all (cg, l, err);
  /* the default parent /husk is husk's own: the last container out
   * removes it, whichever made it */
  for (size_t i = 0;
       ret == 0 && (o->cgroups_path == NULL || o->cgroups_path[0] == '\0') && i < cg->n; i++)
    {
      struct cg_place *p = &cg->p[i];
      char *slash = strrchr (p->dir, '/');
      size_t plen = slash ? (size_t) (slash - p->dir) : 0;
      if (plen > 0 && (p->top == NULL || strlen (p->top) > plen))
        {
          char *parent = strndup (p->dir, plen);
          if (parent == NULL)
            {
              ret = husk_error_set (err, ENOMEM, "cgroup");
              break;
            }
          free (p->top);
          p->top = parent;
        }
    }
  if (ret < 0)
    {
      /* rootless without a delegated cgroup: as runc, no cgroup when
       * the config asks for no limit */
      bool denied = ret == -EACCES || ret == -EPERM || ret == -EROFS;
      if (!denied || !rootless || cg_resources_used (o->resources))
        return ret;
      for (size_t i = 0; i < cg->n; i++)
        if (cg->p[i].top)
          remove_tree (cg->p[i].top, cg->root[0] != '\0');
      for (size_t i = 0; i < cg->n; i++)
        {
          free (cg->p[i].ctrls);
          free (cg->p[i].dir);
          free (cg->p[i].top);
        }
      cg->n = 0;
      ret = 0;
    }
  /* the device rules always (a deny-all base and the defaults), but
   * not for a rootless container, which cannot set them */
  static const struct husk_spec_resources none;
  if (o->resources || !rootless)
    {
      struct cg_apply_opts ao = { .devices = !rootless };
      if ((ret = cg_apply (cg, o->resources ? o->resources : &none, &ao, err)) < 0)
        return ret;
    }
  return 0;
}

static int teardown (struct husk_cgroup *cg, struct husk_error *err);

/* What a failed create made goes, as at delete. */
static void
fs_create_failed (struct husk_cgroup *cg)
{
  struct husk_error ignored;
  /* refused before anything was made: a cgroup found (frozen, say) is
   * not husk's to touch */
  if (cg->made)
    teardown (cg, &ignored);
}

int
cg_enter_places (struct husk_cgroup *cg, pid_t pid, struct husk_error *err)
{
  char v[32];
  snprintf (v, sizeof v, "%d", (int) pid);
  for (size_t i = 0; i < cg->n; i++)
    {
      int ret = cg_write (cg, &cg->p[i], "cgroup.procs", v, err);
      if (ret < 0)
        return husk_error_prefix (err, "join the container's cgroup");
    }
  return 0;
}

/* v1 and hybrid: the first of these controllers' places lists them all. */
static const struct cg_place *
v1_procs_place (const struct husk_cgroup *cg)
{
  static const char *const pref[] = { "pids", "freezer", "memory", "cpu", "devices" };
  for (size_t i = 0; i < ARRAY_SIZE (pref); i++)
    for (size_t k = 0; k < cg->n; k++)
      if (!cg->p[k].v2 && cg_list_has (cg->p[k].ctrls, ',', pref[i]))
        return &cg->p[k];
  return cg->n ? &cg->p[0] : NULL;
}

static const struct cg_place *
v2_procs_place (const struct husk_cgroup *cg)
{
  const struct cg_place *p = cg_place_v2 (cg);
  return p ? p : v1_procs_place (cg);
}

/* v1 and hybrid hosts: a process enters each hierarchy by its pid. */
static const struct cg_place *
v1_clone_place (const struct husk_cgroup *cg)
{
  (void) cg;
  return NULL;
}

/* v2: straight into the cgroup, when it is the only place (a named v1
 * hierarchy beside it, name=systemd, still needs the pid written). */
static const struct cg_place *
v2_clone_place (const struct husk_cgroup *cg)
{
  return cg->n == 1 && cg->p[0].v2 ? &cg->p[0] : NULL;
}

static int
collect_pids (const char *dir, pid_t **pids, size_t *n, size_t *cap, struct husk_error *err)
{
  char path[PATH_MAX];
  snprintf (path, sizeof path, "%s/cgroup.procs", dir);
  _cleanup_free_ char *s = NULL;
  int ret = hk_read_file (path, 16 << 20, &s, NULL, err);
  if (ret < 0)
    return ret;
  for (char *p = s; *p;)
    {
      char *e;
      long v = strtol (p, &e, 10);
      if (e == p)
        break;
      if (v > 0)
        {
          if (*n == *cap)
            {
              size_t nc = *cap ? *cap * 2 : 64;
              pid_t *np = realloc (*pids, nc * sizeof *np);
              if (np == NULL)
                return husk_error_set (err, ENOMEM, "cgroup pids");
              *pids = np;
              *cap = nc;
            }
          (*pids)[(*n)++] = (pid_t) v;
        }
      p = e;
      while (*p == '\n')
        p++;
    }
  DIR *d = opendir (dir);
  if (d == NULL)
    return 0;
  struct dirent *e;
  while ((e = readdir (d)) != NULL)
    if (e->d_type == DT_DIR && strcmp (e->d_name, ".") && strcmp (e->d_name, ".."))
      {
        snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
        if ((ret = collect_pids (path, pids, n, cap, err)) < 0 && ret != -ENOENT)
          {
            closedir (d);
            return ret;
          }
      }
  closedir (d);
  return 0;
}

int
hk_cgroup_pids (const struct husk_cgroup *cg, pid_t **pids, size_t *n, struct husk_error *err)
{
  const struct cg_place *p = cg->drv->procs_place (cg);
  size_t cap = 0;
  *pids = NULL;
  *n = 0;
  if (p == NULL)
    return 0;
  char dir[PATH_MAX];
  cg_file (cg, p, NULL, dir, sizeof dir);
  int ret = collect_pids (dir, pids, n, &cap, err);
  if (ret < 0)
    {
      free (*pids);
      *pids = NULL;
      *n = 0;
    }
  return ret;
}

int
cg_fs_kill (const struct husk_cgroup *cg, int sig, struct husk_error *err)
{
  const struct cg_place *v2 = cg_place_v2 (cg);
  struct husk_error ferr;
  /* a paused container: v1 frozen tasks die only once thawed; it stays
   * paused for any other signal */
  bool was_frozen = false;
  cg_frozen (cg, &was_frozen, &ferr);
  if (sig == SIGKILL && v2 && cg_exists (cg, v2, "cgroup.kill"))
    {
      int ret = cg_write (cg, v2, "cgroup.kill", "1", err);
      /* a task frozen in any cgroup of the tree (paused, or frozen by
       * someone else, in the v1 freezer or the v2 one) dies once thawed */
      cg_thaw_all (cg);
      return ret;
    }
  /* freeze so that nothing forks between listing and signalling */
  bool froze = !was_frozen && cg_freeze (cg, true, &ferr) == 0;
  _cleanup_free_ pid_t *pids = NULL;
  size_t n;
  int ret = hk_cgroup_pids (cg, &pids, &n, err);
  for (size_t i = 0; ret == 0 && i < n; i++)
    if (kill (pids[i], sig) < 0 && errno != ESRCH)
      ret = husk_error_set (err, errno, "kill %d with signal %d", (int) pids[i], sig);
  if (froze || (was_frozen && sig == SIGKILL))
    cg_freeze (cg, false, &ferr);
  if (sig == SIGKILL)
    cg_thaw_all (cg);
  return ret;
}

int
hk_cgroup_kill_all (const struct husk_cgroup *cg, int sig, struct husk_error *err)
{
  return cg->drv->kill (cg, sig, err);
}

int
cg_remove_place (const struct husk_cgroup *cg, const struct cg_place *p, struct husk_error *err)
{
  char dir[PATH_MAX];
  snprintf (dir, sizeof dir, "%s%s", cg->root, p->dir);
  int r = remove_tree (dir, cg->root[0] != '\0');
  if (r < 0)
    return husk_error_set (err, -r, "remove cgroup %s", p->dir);
  /* then the parents husk made, while they are empty */
  size_t tl = p->top ? strlen (p->top) : 0;
  while (p->top && strlen (dir) > strlen (cg->root) + tl)
    {
      char *s = strrchr (dir, '/');
      if (s == NULL)
        break;
      *s = '\0';
      if (cg->root[0] && !has_subdirs (dir))
        unlink_files (dir);
      if (rmdir (dir) < 0 && errno != ENOENT)
        break;
    }
  return 0;
}

/* What husk made (a place with a "created" top); what it found is not
 * husk's to remove. */
static int
fs_remove (struct husk_cgroup *cg, struct husk_error *err)
{
  int ret = 0;
  for (size_t i = 0; i < cg->n; i++)
    {
      struct husk_error perr;
      if (cg->p[i].top && cg_remove_place (cg, &cg->p[i], &perr) < 0 && ret == 0)
        {
          *err = perr;
          ret = -perr.code;
        }
    }
  return ret;
}

const struct cg_driver cg_fs_v1 = {
  .name = "cgroupfs",
  .create = fs_create,
  .create_failed = fs_create_failed,
  .enter = cg_enter_places,
  .clone_place = v1_clone_place,
  .apply = cg_apply_files,
  .freeze = cg_v1_freeze,
  .frozen = cg_v1_frozen,
  .procs_place = v1_procs_place,
  .kill = cg_fs_kill,
  .remove = fs_remove,
};

const struct cg_driver cg_fs_v2 = {
  .name = "cgroupfs",
  .create = fs_create,
  .create_failed = fs_create_failed,
  .enter = cg_enter_places,
  .clone_place = v2_clone_place,
  .apply = cg_apply_files,
  .freeze = cg_v2_freeze,
  .frozen = cg_v2_frozen,
  .procs_place = v2_procs_place,
  .kill = cg_fs_kill,
  .remove = fs_remove,
};

/* ------------------------------------------------------------ teardown */

/* Wait until no process is left (at most ~5s, less when the caller is
 * told to stop). */
static void
wait_empty (const struct husk_cgroup *cg)
{
  for (int i = 0; i < 500; i++)
    {
      _cleanup_free_ pid_t *pids = NULL;
      size_t n = 0;
      struct husk_error ignored;
      if (hk_cgroup_pids (cg, &pids, &n, &ignored) < 0 || n == 0 || !cg_wait_ms (10))
        return;
    }
}

/* Kill what is left, thaw, remove (every driver's delete): the container's
 * cgroup and its sub-cgroups (made inside the container, or for exec
 * --cgroup), frozen or not, bottom-up in every hierarchy. */
static int
teardown (struct husk_cgroup *cg, struct husk_error *err)
{
  _cleanup_free_ pid_t *pids = NULL;
  size_t n = 0;
  struct husk_error ignored;
  if (hk_cgroup_pids (cg, &pids, &n, &ignored) == 0 && n > 0)
    {
      hk_cgroup_kill_all (cg, SIGKILL, &ignored);
      wait_empty (cg);
    }
  /* a frozen cgroup keeps its killed tasks: never leave one frozen, the
   * container's own or a sub-cgroup, in the v1 freezer or the v2 one */
  cg_thaw_all (cg);
  wait_empty (cg);
  return cg->drv->remove (cg, err);
}

int
hk_cgroup_destroy (struct husk_cgroup *cg, struct husk_error *err)
{
  if (cg == NULL)
    return 0;
  int ret = teardown (cg, err);
  hk_cgroup_free (cg);
  return ret;
}
