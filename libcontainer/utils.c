/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "utils.h"
#include "syscalls.h"

int
hk_write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

int
hk_read_fd (int fd, const char *name, size_t max, char **out, size_t *len, struct husk_error *err)
{
  size_t cap = 4096, used = 0;
  _cleanup_free_ char *buf = malloc (cap);
  if (buf == NULL)
    return husk_error_set (err, ENOMEM, "read \"%s\"", name);
  for (;;)
    {
      if (used + 1 >= cap)
        {
          if (cap >= max)
            return husk_error_setx (err, EFBIG, "read \"%s\": file larger than %zu bytes", name,
                                    max);
          size_t ncap = cap * 2 > max ? max : cap * 2;
          char *nbuf = realloc (buf, ncap);
          if (nbuf == NULL)
            return husk_error_set (err, ENOMEM, "read \"%s\"", name);
          buf = nbuf;
          cap = ncap;
        }
      ssize_t n = read (fd, buf + used, cap - used - 1);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return husk_error_set (err, errno, "read \"%s\"", name);
        }
      if (n == 0)
        break;
      used += (size_t) n;
    }
  buf[used] = '\0';
  if (len)
    *len = used;
  *out = steal_pointer (&buf);
  return 0;
}

int
hk_read_file (const char *path, size_t max, char **out, size_t *len, struct husk_error *err)
{
  _cleanup_close_ int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set (err, errno, "open \"%s\"", path);
  return hk_read_fd (fd, path, max, out, len, err);
}

int
hk_write_file_atomic (int dirfd, const char *dirname, const char *name, const char *data,
                      size_t len, mode_t mode, struct husk_error *err)
{
  char tmp[NAME_MAX + 1];
  int n = snprintf (tmp, sizeof tmp, ".%s.tmp.%d", name, (int) getpid ());
  if (n < 0 || (size_t) n >= sizeof tmp)
    return husk_error_setx (err, ENAMETOOLONG, "write \"%s/%s\": name too long", dirname, name);
  _cleanup_close_ int fd = openat (dirfd, tmp,
                                   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0)
    return husk_error_set (err, errno, "create \"%s/%s\"", dirname, tmp);
  int ret = hk_write_all (fd, data, len);
  if (ret < 0)
    {
      unlinkat (dirfd, tmp, 0);
      return husk_error_set (err, -ret, "write \"%s/%s\"", dirname, tmp);
    }
  if (renameat (dirfd, tmp, dirfd, name) < 0)
    {
      int e = errno;
      unlinkat (dirfd, tmp, 0);
      return husk_error_set (err, e, "rename \"%s/%s\" to \"%s\"", dirname, tmp, name);
    }
  return 0;
}

int
hk_strdup (const char *s, char **out, struct husk_error *err)
{
  char *d = strdup (s ? s : "");
  if (d == NULL)
    return husk_error_set (err, ENOMEM, "strdup");
  *out = d;
  return 0;
}

static int
rmtree_fd (int fd, const char *name, int depth, struct husk_error *err)
{
  if (depth > 64)
    return husk_error_setx (err, ELOOP, "remove \"%s\": directory tree too deep", name);
  DIR *d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return husk_error_set (err, errno, "opendir \"%s\"", name);
    }
  struct dirent *de;
  int ret = 0;
  while ((de = readdir (d)) != NULL)
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (unlinkat (dirfd (d), de->d_name, 0) == 0)
        continue;
      if (errno != EISDIR && errno != EPERM)
        {
          ret = husk_error_set (err, errno, "remove \"%s/%s\"", name, de->d_name);
          break;
        }
      int sub = openat (dirfd (d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0)
        {
          ret = husk_error_set (err, errno, "open \"%s/%s\"", name, de->d_name);
          break;
        }
      ret = rmtree_fd (sub, de->d_name, depth + 1, err);
      if (ret < 0)
        break;
      if (unlinkat (dirfd (d), de->d_name, AT_REMOVEDIR) < 0)
        {
          ret = husk_error_set (err, errno, "rmdir \"%s/%s\"", name, de->d_name);
          break;
        }
    }
  closedir (d);
  return ret;
}

int
hk_rmtree_at (int dirfd, const char *name, struct husk_error *err)
{
  int fd = openat (dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT)
        return 0;
      return husk_error_set (err, errno, "open \"%s\"", name);
    }
  int ret = rmtree_fd (fd, name, 0, err);
  if (ret < 0)
    return ret;
  if (unlinkat (dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return husk_error_set (err, errno, "rmdir \"%s\"", name);
  return 0;
}

/* The highest fd number that may be open. */
static int
fd_limit (void)
{
  long m = sysconf (_SC_OPEN_MAX);
  return m <= 0 || m > (1 << 20) ? (1 << 20) : (int) m;
}

static void
close_between (int lo, int hi)
{
  if (lo > hi)
    return;
  if (hk_sys_close_range ((unsigned) lo, (unsigned) hi, 0) == 0)
    return;
  int top = hi < fd_limit () ? hi : fd_limit ();
  for (int fd = lo; fd <= top; fd++)
    close (fd);
}

void
hk_close_fds_except (int first, const int *keep, size_t n)
{
  int lo = first;
  for (;;)
    {
      /* the lowest kept fd at or above lo */
      int next = -1;
      for (size_t i = 0; i < n; i++)
        if (keep[i] >= lo && (next < 0 || keep[i] < next))
          next = keep[i];
      if (next < 0)
        {
          close_between (lo, INT_MAX);
          return;
        }
      close_between (lo, next - 1);
      lo = next + 1;
    }
}

void
hk_cloexec_from (int first)
{
  if (hk_sys_close_range ((unsigned) first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return;
  int top = fd_limit ();
  for (int fd = first; fd < top; fd++)
    {
      int fl = fcntl (fd, F_GETFD);
      if (fl >= 0 && !(fl & FD_CLOEXEC))
        fcntl (fd, F_SETFD, fl | FD_CLOEXEC);
    }
}

void
hk_mountinfo_unescape (char *s)
{
  char *w = s;
  for (char *p = s; *p;)
    {
      if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0'
          && p[3] <= '7')
        {
          *w++ = (char) (((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0'));
          p += 4;
        }
      else
        *w++ = *p++;
    }
  *w = '\0';
}
