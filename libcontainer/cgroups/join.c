/* SPDX-License-Identifier: Apache-2.0 */
/* A new process straight into the container's cgroup: clone3 with
 * CLONE_INTO_CGROUP where the driver has a clone target (a pure v2 layout)
 * and the kernel has it (Linux 5.7), for create's init and for exec; a
 * plain clone or fork otherwise, and then the pid is written to
 * cgroup.procs. And husk exec's way in: the cgroup recorded in state.json,
 * or the sub-cgroup --cgroup names below it. */
#include "config.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include "cgroups/internal.h"
#include "syscalls.h"
#include "utils.h"

pid_t
cg_clone_into (int cgroup_fd, unsigned long flags)
{
  struct hk_clone_args a = {
    .flags = (uint64_t) flags | CLONE_INTO_CGROUP,
    .exit_signal = SIGCHLD,
    .cgroup = (uint64_t) cgroup_fd,
  };
  /* no stack: the child goes on on a copy of this one, as with fork */
  /* ENOSYS: no clone3; E2BIG: a clone_args without cgroup; EINVAL: the
   * flag unknown. The caller falls back to clone and cgroup.procs. */
  pid_t r = hk_sys_clone3 (&a);
  return r < 0 ? -errno : r;
}

/* The directory a process can be cloned into, open; -1 when none (the
 * driver has no clone target, or it cannot be opened: the fallback writes
 * the pid and reports what is wrong). */
static int
clone_fd (const struct husk_cgroup *cg)
{
  const struct cg_place *p = cg ? cg->drv->clone_place (cg) : NULL;
  char dir[PATH_MAX];
  if (p == NULL || cg_file (cg, p, NULL, dir, sizeof dir) < 0)
    return -1;
  return open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

pid_t
hk_cgroup_clone (const struct husk_cgroup *cg, unsigned long flags)
{
  int fd = clone_fd (cg);
  if (fd >= 0)
    {
      pid_t pid = cg_clone_into (fd, flags);
      close (fd); /* in the parent, and in the child */
      if (pid >= 0)
        return pid;
    }
  return hk_sys_clone (flags | SIGCHLD);
}

/* ------------------------------------------------------------ exec */

struct hk_cgroup_join
{
  struct husk_cgroup *cg; /* the recorded cgroup; NULL: none */
  char *arg;              /* --cgroup as given, or NULL */
  char *ctl, *path;       /* its controller (or NULL) and sub-cgroup */
  bool cloned;            /* (in the child) cloned into its cgroup */
};

void
hk_cgroup_join_free (struct hk_cgroup_join *j)
{
  if (j == NULL)
    return;
  hk_cgroup_free (j->cg);
  free (j->arg);
  free (j->ctl);
  free (j->path);
  free (j);
}

/* --cgroup's sub-cgroup applies in place p: no controller named, or p's. */
static bool
with_sub (const struct hk_cgroup_join *j, const struct cg_place *p)
{
  return j->path && (j->ctl == NULL || cg_list_has (p->ctrls, ',', j->ctl));
}

int
hk_cgroup_join_new (const char *record, const char *sub, const char *fs_root,
                    struct hk_cgroup_join **out, struct husk_error *err)
{
  *out = NULL;
  struct hk_cgroup_join *j = calloc (1, sizeof *j);
  if (j == NULL)
    return husk_error_set (err, ENOMEM, "cgroup");
  int ret = 0;
  if (sub
      && ((ret = hk_strdup (sub, &j->arg, err)) < 0
          || (ret = hk_cgroup_sub_parse (sub, &j->ctl, &j->path, err)) < 0))
    goto fail;
  if (record && (ret = hk_cgroup_from_state (record, fs_root, &j->cg, err)) < 0)
    goto fail;
  if (sub && (j->cg == NULL || j->cg->n == 0))
    {
      ret = husk_error_setx (err, ENOENT, "--cgroup \"%s\": the container has no cgroup", sub);
      goto fail;
    }
  if (j->ctl)
    {
      bool found = false;
      for (size_t i = 0; i < j->cg->n; i++)
        found |= with_sub (j, &j->cg->p[i]);
      if (!found)
        {
          ret = husk_error_setx (err, ENOENT, "--cgroup \"%s\": the container has no \"%s\" cgroup",
                                 sub, j->ctl);
          goto fail;
        }
    }
  *out = j;
  return 0;
fail:
  hk_cgroup_join_free (j);
  return ret;
}

int
cg_join_clone_fd (const struct hk_cgroup_join *j, int *fd, struct husk_error *err)
{
  *fd = -1;
  if (j == NULL || j->cg == NULL)
    return 0;
  const struct cg_place *p = j->cg->drv->clone_place (j->cg);
  if (p == NULL)
    return 0;
  char dir[PATH_MAX];
  if (cg_file (j->cg, p, NULL, dir, sizeof dir) < 0)
    return husk_error_setx (err, ENAMETOOLONG, "join cgroup %s: path too long", p->dir);
  _cleanup_close_ int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return husk_error_set (err, errno, "join cgroup: open %s", dir);
  if (with_sub (j, p))
    {
      /* below the container's cgroup, never out of it */
      int sfd = hk_cgroup_open_beneath (dfd, j->path, O_RDONLY | O_DIRECTORY);
      if (sfd < 0)
        return husk_error_set (err, -sfd, "--cgroup \"%s\": open %s/%s", j->arg, dir, j->path);
      *fd = sfd;
      return 0;
    }
  *fd = steal_fd (&dfd);
  return 0;
}

pid_t
hk_cgroup_join_fork (struct hk_cgroup_join *j, struct husk_error *err)
{
  int fd;
  if (cg_join_clone_fd (j, &fd, err) < 0)
    return -1;
  if (fd >= 0)
    {
      pid_t pid = cg_clone_into (fd, 0);
      close (fd);
      if (pid == 0)
        j->cloned = true;
      if (pid >= 0)
        return pid;
    }
  pid_t pid = fork ();
  if (pid < 0)
    husk_error_set (err, errno, "fork");
  return pid;
}

int
hk_cgroup_join_enter (const struct hk_cgroup_join *j, struct husk_error *err)
{
  if (j == NULL || j->cg == NULL || j->cloned)
    return 0;
  char self[32];
  int n = snprintf (self, sizeof self, "%d", (int) getpid ());
  for (size_t i = 0; i < j->cg->n; i++)
    {
      const struct cg_place *p = &j->cg->p[i];
      bool sub = with_sub (j, p);
      char dir[PATH_MAX];
      if (cg_file (j->cg, p, NULL, dir, sizeof dir) < 0)
        return husk_error_setx (err, ENAMETOOLONG, "join cgroup %s: path too long", p->dir);
      _cleanup_close_ int dfd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (dfd < 0)
        return husk_error_set (err, errno, "join cgroup: open %s", dir);
      if (sub)
        {
          /* below the container's cgroup, never out of it */
          int sfd = hk_cgroup_open_beneath (dfd, j->path, O_PATH | O_DIRECTORY);
          if (sfd < 0)
            return husk_error_set (err, -sfd, "--cgroup \"%s\": open %s/%s", j->arg, dir, j->path);
          close (dfd);
          dfd = sfd;
        }
      _cleanup_close_ int fd = openat (dfd, "cgroup.procs", O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0 || write (fd, self, (size_t) n) != n)
        return husk_error_set (err, errno, "join cgroup: write %s%s%s/cgroup.procs", dir,
                               sub ? "/" : "", sub ? j->path : "");
    }
  return 0;
}
