/* SPDX-License-Identifier: Apache-2.0 */
/* The "cgroup" mount type. With cgroup v2 on the host (/sys/fs/cgroup is
 * cgroup2) it is a cgroup2 mount. With v1 (or hybrid) it is, as runc does
 * it, a tmpfs at the destination holding one mount per v1 hierarchy the
 * init is in, as the cgroups module finds them (cgroups/layout.h): a fresh
 * cgroup mount when the container has its own cgroup namespace (it then
 * sees its own cgroup as the root), otherwise a bind of the container's
 * cgroup directory from the host. Combined
 * hierarchies ("cpu,cpuacct") get a symlink for each controller. Read-only
 * unless the options say "rw". */
#include "config.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "cgroups/layout.h"
#include "utils.h"
#include "rootfs/rootfs_internal.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CGROUP_BASE_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static int
mount_v2 (const struct husk_rootfs_opts *o, struct husk_root *r, const char *dest,
          const struct husk_mountopt *mo, unsigned long flags, struct husk_error *err)
{
  _cleanup_close_ int dfd = -1;
  int ret = hk_root_mkdir_p (r, dest, 0755, &dfd, err);
  if (ret < 0)
    return ret;
  ret = hk_mount_on_fd (r, "cgroup2", dfd, dest, "cgroup2", flags, mo->data, err);
  if (ret == -EPERM || ret == -EBUSY)
    {
      /* no cgroup namespace of our own (e.g. in a user namespace): bind */
      husk_error_clear (err);
      ret = hk_mount_bind_host (r, "/sys/fs/cgroup", dest, flags, true, err);
    }
  if (ret < 0)
    return ret;
  _cleanup_close_ int nfd = hk_root_open_at (r, dest, O_PATH, 0);
  if (nfd < 0)
    return husk_error_set (err, -nfd, "open \"%s\" in the rootfs", dest);
  return hk_mount_apply_extra (r, nfd, dest, mo, err);
}

static int
mount_v1 (const struct husk_rootfs_opts *o, struct husk_root *r, const char *dest,
          const struct husk_mountopt *mo, unsigned long flags, struct husk_error *err)
{
  struct hk_cgroup_layout l;
  int ret = hk_cgroup_layout_load (NULL, &l, err);
  if (ret < 0)
    {
      hk_cgroup_layout_clear (&l);
      return ret;
    }

  _cleanup_close_ int dfd = -1;
  ret = hk_root_mkdir_p (r, dest, 0755, &dfd, err);
  if (ret == 0)
    ret = hk_mount_on_fd (r, "tmpfs", dfd, dest, "tmpfs", CGROUP_BASE_FLAGS, "mode=755", err);
  _cleanup_close_ int tfd = -1;
  if (ret == 0)
    {
      tfd = hk_root_open_at (r, dest, O_PATH | O_DIRECTORY, 0);
      if (tfd < 0)
        ret = husk_error_set (err, -tfd, "open \"%s\" in the rootfs", dest);
    }
  if (ret == 0)
    ret = hk_mount_apply_extra (r, tfd, dest, mo, err);
  for (size_t i = 0; ret == 0 && i < l.n; i++)
    {
      /* the v1 hierarchies the init is in (the hybrid host's cgroup2
       * mount is not one) */
      const struct hk_cgroup_mount *h = &l.m[i];
      if (h->v2 || h->own == NULL)
        continue;
      const char *base = strrchr (h->mount, '/');
      base = base ? base + 1 : h->mount;
      if (base[0] == '\0')
        continue;
      _cleanup_free_ char *sub = NULL;
      ret = hk_path_join (dest, base, &sub, err);
      if (ret < 0)
        break;
      if (o->cgroupns)
        {
          _cleanup_close_ int sfd = -1;
          ret = hk_root_mkdir_p (r, sub, 0755, &sfd, err);
          /* a named hierarchy's source is its name, as runc has it */
          const char *source = strncmp (h->ctrls, "name=", 5) == 0 ? h->ctrls + 5 : "cgroup";
          if (ret == 0)
            ret = hk_mount_on_fd (r, source, sfd, sub, "cgroup",
                                  CGROUP_BASE_FLAGS | (flags & MS_RDONLY), h->ctrls, err);
        }
      else
        {
          _cleanup_free_ char *src = NULL;
          ret = hk_path_join (h->mount, hk_cgroup_own_in_mount (h), &src, err);
          if (ret == 0)
            ret = hk_mount_bind_host (r, src, sub, flags | CGROUP_BASE_FLAGS, true, err);
        }
      /* "cpu,cpuacct": symlinks cpu and cpuacct */
      if (ret == 0 && strchr (base, ','))
        {
          _cleanup_free_ char *names = strdup (base);
          if (names == NULL)
            ret = husk_error_set (err, ENOMEM, "cgroup");
          char *save = NULL;
          for (char *t = names ? strtok_r (names, ",", &save) : NULL; ret == 0 && t;
               t = strtok_r (NULL, ",", &save))
            if (symlinkat (base, tfd, t) < 0 && errno != EEXIST)
              ret = husk_error_set (err, errno, "symlink \"%s/%s\"", dest, t);
        }
    }
  hk_cgroup_layout_clear (&l);
  if (ret == 0 && (flags & MS_RDONLY))
    ret = hk_remount_fd (r, tfd, dest, CGROUP_BASE_FLAGS | MS_RDONLY, err);
  return ret;
}

int
hk_mount_cgroup (const struct husk_rootfs_opts *o, struct husk_root *r,
                 const struct husk_spec_mount *m, const char *dest, const struct husk_mountopt *mo,
                 struct husk_error *err)
{
  unsigned long flags = mo->flags & ~(MS_REC | MS_BIND);
  if (!(mo->cleared & MS_RDONLY))
    flags |= MS_RDONLY;
  struct statfs sf;
  if (statfs ("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
    return mount_v2 (o, r, dest, mo, flags, err);
  return mount_v1 (o, r, dest, mo, flags, err);
}
