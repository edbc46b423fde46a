/* SPDX-License-Identifier: Apache-2.0 */
/* tmpcopyup: copy what a directory held into the tmpfs mounted over it. Both
 * sides are directory fds; nothing is followed (O_NOFOLLOW everywhere). */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"

#define MAX_DEPTH 128

static void
cleanup_closedirp (DIR **d)
{
  if (*d)
    closedir (*d);
}
#define _cleanup_closedir_ __attribute__ ((cleanup (cleanup_closedirp)))

static int
copy_file (int src, int dst, const char *name, const struct stat *st, struct husk_error *err)
{
  _cleanup_close_ int in = openat (src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0)
    return husk_error_set (err, errno, "open \"%s\"", name);
  _cleanup_close_ int out = openat (dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                    st->st_mode & 07777);
  if (out < 0)
    return husk_error_set (err, errno, "create \"%s\"", name);
  char buf[65536];
  for (;;)
    {
      ssize_t n = read (in, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return husk_error_set (err, errno, "read \"%s\"", name);
      if (n == 0)
        break;
      int ret = hk_write_all (out, buf, (size_t) n);
      if (ret < 0)
        return husk_error_set (err, -ret, "write \"%s\"", name);
    }
  if (fchown (out, st->st_uid, st->st_gid) < 0 || fchmod (out, st->st_mode & 07777) < 0)
    return husk_error_set (err, errno, "chown/chmod \"%s\"", name);
  struct timespec ts[2] = { st->st_atim, st->st_mtim };
  futimens (out, ts);
  return 0;
}

static int
copy_dir (int src, int dst, int depth, struct husk_error *err)
{
  if (depth > MAX_DEPTH)
    return husk_error_setx (err, ELOOP, "directories nested too deeply");
  int dupfd = fcntl (src, F_DUPFD_CLOEXEC, 3);
  if (dupfd < 0)
    return husk_error_set (err, errno, "dup");
  _cleanup_closedir_ DIR *d = fdopendir (dupfd);
  if (d == NULL)
    {
      close (dupfd);
      return husk_error_set (err, errno, "opendir");
    }
  struct dirent *de;
  while ((errno = 0, de = readdir (d)) != NULL)
    {
      const char *name = de->d_name;
      if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
        continue;
      struct stat st;
      if (fstatat (src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return husk_error_set (err, errno, "stat \"%s\"", name);
      int ret = 0;
      switch (st.st_mode & S_IFMT)
        {
        case S_IFDIR:
          {
            if (mkdirat (dst, name, st.st_mode & 07777) < 0 && errno != EEXIST)
              return husk_error_set (err, errno, "mkdir \"%s\"", name);
            _cleanup_close_ int s2 = openat (src, name,
                                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            _cleanup_close_ int d2 = openat (dst, name,
                                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (s2 < 0 || d2 < 0)
              return husk_error_set (err, errno, "open \"%s\"", name);
            ret = copy_dir (s2, d2, depth + 1, err);
            if (ret < 0)
              return husk_error_prefix (err, "%s", name);
            if (fchown (d2, st.st_uid, st.st_gid) < 0 || fchmod (d2, st.st_mode & 07777) < 0)
              return husk_error_set (err, errno, "chown/chmod \"%s\"", name);
            struct timespec ts[2] = { st.st_atim, st.st_mtim };
            futimens (d2, ts);
            break;
          }
        case S_IFREG:
          ret = copy_file (src, dst, name, &st, err);
          break;
        case S_IFLNK:
          {
            char target[PATH_MAX];
            ssize_t n = readlinkat (src, name, target, sizeof target - 1);
            if (n < 0)
              return husk_error_set (err, errno, "readlink \"%s\"", name);
            target[n] = '\0';
            if (symlinkat (target, dst, name) < 0)
              return husk_error_set (err, errno, "symlink \"%s\"", name);
            if (fchownat (dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
              return husk_error_set (err, errno, "chown \"%s\"", name);
            break;
          }
        case S_IFCHR:
        case S_IFBLK:
        case S_IFIFO:
        case S_IFSOCK:
          if (mknodat (dst, name, st.st_mode, st.st_rdev) < 0)
            return husk_error_set (err, errno, "mknod \"%s\"", name);
          if (fchownat (dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
            return husk_error_set (err, errno, "chown \"%s\"", name);
          break;
        }
      if (ret < 0)
        return ret;
    }
  if (errno != 0)
    return husk_error_set (err, errno, "readdir");
  return 0;
}

int
hk_copy_tree (int src, int dst, bool root_mode, struct husk_error *err)
{
  struct stat st;
  if (fstat (src, &st) < 0)
    return husk_error_set (err, errno, "stat");
  int ret = copy_dir (src, dst, 0, err);
  if (ret < 0)
    return ret;
  if (fchown (dst, st.st_uid, st.st_gid) < 0)
    return husk_error_set (err, errno, "chown");
  if (root_mode && fchmod (dst, st.st_mode & 07777) < 0)
    return husk_error_set (err, errno, "chmod");
  return 0;
}
