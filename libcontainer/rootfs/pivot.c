/* SPDX-License-Identifier: Apache-2.0 */
/* The two ends of the rootfs setup that touch "/": before the mounts, the
 * propagation of "/" (so that nothing the container mounts reaches the host)
 * and the rootfs bind-mounted onto itself; after them, pivot_root into it
 * and the old root detached, or with --no-pivot, MS_MOVE + chroot. */
#include "config.h"

#include <fcntl.h>
#include <libgen.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"
#include "syscalls.h"

int
hk_rootfs_prepare_root (const struct husk_rootfs_opts *o, const char *rootfs,
                        struct husk_error *err)
{
  const struct husk_spec_linux *l = o->spec->linux_;
  /* As runc: "/" becomes rslave, or what linux.rootfsPropagation says. */
  unsigned long flag = MS_SLAVE | MS_REC;
  const char *name = "rslave";
  if (l && l->rootfs_propagation && l->rootfs_propagation[0])
    {
      flag = hk_mountopt_propagation (l->rootfs_propagation);
      name = l->rootfs_propagation;
      if (flag == 0)
        return husk_error_setx (err, EINVAL, "linux.rootfsPropagation: unknown propagation \"%s\"",
                                l->rootfs_propagation);
    }
  if (mount (NULL, "/", NULL, flag, NULL) < 0)
    return husk_error_set (err, errno, "make \"/\" %s", name);

  /* The mount holding the rootfs becomes private: the bind below must not
   * propagate anywhere, and pivot_root refuses a shared parent. */
  _cleanup_free_ char *path = strdup (rootfs);
  if (path == NULL)
    return husk_error_set (err, ENOMEM, "rootfs");
  for (;;)
    {
      if (mount (NULL, path, NULL, MS_PRIVATE, NULL) == 0)
        break;
      if (errno != EINVAL || strcmp (path, "/") == 0)
        return husk_error_set (err, errno, "make the mount of \"%s\" private", path);
      char *slash = strrchr (path, '/');
      if (slash == path)
        slash[1] = '\0';
      else
        *slash = '\0';
    }

  if (mount (rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return husk_error_set (err, errno, "bind mount the rootfs \"%s\" onto itself", rootfs);
  return 0;
}

/* --no-pivot: the host's procfs and sysfs mounts stay reachable from a
 * chroot, and the kernel looks at them when the container mounts procfs or
 * sysfs: detach them (or cover them where that is not allowed) first. */
static int
hide_host_proc_sys (const char *rootfs, struct husk_error *err)
{
  _cleanup_free_ char *mi = NULL;
  int ret = hk_read_file ("/proc/self/mountinfo", 16 << 20, &mi, NULL, err);
  if (ret < 0)
    return ret;
  /* collect first: unmounting /proc ends the reading */
  char **list = NULL;
  size_t len = 0;
  for (char *line = mi; *line;)
    {
      char *nl = strchrnul (line, '\n');
      char *next = *nl ? nl + 1 : nl;
      *nl = '\0';
      char *f[64];
      size_t n = 0;
      char *save = NULL;
      for (char *t = strtok_r (line, " ", &save); t && n < ARRAY_SIZE (f);
           t = strtok_r (NULL, " ", &save))
        f[n++] = t;
      size_t sep = 6;
      while (sep < n && strcmp (f[sep], "-") != 0)
        sep++;
      line = next;
      if (sep + 1 >= n)
        continue;
      hk_mountinfo_unescape (f[3]);
      hk_mountinfo_unescape (f[4]);
      if (strcmp (f[3], "/") != 0
          || (strcmp (f[sep + 1], "proc") != 0 && strcmp (f[sep + 1], "sysfs") != 0)
          || hk_path_has_prefix (f[4], rootfs))
        continue;
      char **nl2 = realloc (list, (len + 1) * sizeof *list);
      if (nl2 == NULL || (nl2[len] = strdup (f[4])) == NULL)
        {
          list = nl2 ? nl2 : list;
          ret = husk_error_set (err, ENOMEM, "mountinfo");
          break;
        }
      list = nl2;
      len++;
    }
  for (size_t i = 0; ret == 0 && i < len; i++)
    {
      if (mount (NULL, list[i], NULL, MS_SLAVE | MS_REC, NULL) < 0)
        {
          if (errno == ENOENT || errno == EINVAL)
            continue; /* gone with an earlier one */
          ret = husk_error_set (err, errno, "make \"%s\" rslave", list[i]);
          break;
        }
      if (umount2 (list[i], MNT_DETACH) < 0)
        {
          if (errno != EINVAL && errno != EPERM)
            ret = husk_error_set (err, errno, "unmount \"%s\"", list[i]);
          else if (mount ("tmpfs", list[i], "tmpfs", 0, NULL) < 0)
            ret = husk_error_set (err, errno, "cover \"%s\" with a tmpfs", list[i]);
        }
    }
  for (size_t i = 0; i < len; i++)
    free (list[i]);
  free (list);
  return ret;
}

static int
move_root (const char *rootfs, struct husk_error *err)
{
  int ret = hide_host_proc_sys (rootfs, err);
  if (ret < 0)
    return ret;
  if (chdir (rootfs) < 0)
    return husk_error_set (err, errno, "chdir \"%s\"", rootfs);
  if (mount (rootfs, "/", NULL, MS_MOVE, NULL) < 0)
    return husk_error_set (err, errno, "move the rootfs \"%s\" to \"/\"", rootfs);
  if (chroot (".") < 0)
    return husk_error_set (err, errno, "chroot \"%s\"", rootfs);
  if (chdir ("/") < 0)
    return husk_error_set (err, errno, "chdir \"/\"");
  return 0;
}

int
hk_rootfs_do_pivot (const struct husk_rootfs_opts *o, const char *rootfs, struct husk_error *err)
{
  if (o->no_pivot)
    return move_root (rootfs, err);
  _cleanup_close_ int oldroot = open ("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (oldroot < 0)
    return husk_error_set (err, errno, "open \"/\"");
  _cleanup_close_ int newroot = open (rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (newroot < 0)
    return husk_error_set (err, errno, "open the rootfs \"%s\"", rootfs);
  if (fchdir (newroot) < 0)
    return husk_error_set (err, errno, "chdir \"%s\"", rootfs);
  /* pivot_root(".", "."): the old root ends up on top of the new one, at
   * "/", where it is detached at once */
  if (hk_sys_pivot_root (".", ".") < 0)
    return husk_error_set (err, errno, "pivot_root \"%s\"", rootfs);
  if (fchdir (oldroot) < 0)
    return husk_error_set (err, errno, "chdir to the old root");
  /* the unmount must not reach the host */
  if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return husk_error_set (err, errno, "make the old root rslave");
  if (umount2 (".", MNT_DETACH) < 0)
    return husk_error_set (err, errno, "detach the old root");
  if (chdir ("/") < 0)
    return husk_error_set (err, errno, "chdir \"/\"");
  return 0;
}
