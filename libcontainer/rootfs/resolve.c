/* SPDX-License-Identifier: Apache-2.0 */
/* Paths inside the rootfs: lexical cleaning and joining, and resolution that
 * never leaves the rootfs. openat2(RESOLVE_IN_ROOT) does the work where the
 * kernel has it (5.6+); elsewhere a component-by-component walk does the same
 * thing by hand: every component is opened O_NOFOLLOW relative to the
 * directory before it, symlinks are read and spliced into the rest of the
 * path, and "/" and ".." stop at the root. */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"
#include "syscalls.h"

#define MAX_SYMLINKS 40

void
hk_fd_path (int fd, char buf[HUSK_FD_PATH_MAX])
{
  snprintf (buf, HUSK_FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

int
hk_path_clean (const char *path, char **out, struct husk_error *err)
{
  size_t n = strlen (path);
  char *res = malloc (n + 2);
  if (res == NULL)
    return husk_error_set (err, ENOMEM, "path \"%s\"", path);
  size_t len = 0;
  const char *p = path;
  res[len++] = '/';
  while (*p)
    {
      while (*p == '/')
        p++;
      if (*p == '\0')
        break;
      const char *e = strchrnul (p, '/');
      size_t cl = (size_t) (e - p);
      if (cl == 1 && p[0] == '.')
        ;
      else if (cl == 2 && p[0] == '.' && p[1] == '.')
        {
          /* drop the last component, never above "/" */
          while (len > 1 && res[len - 1] != '/')
            len--;
          if (len > 1)
            len--;
        }
      else
        {
          if (len > 1)
            res[len++] = '/';
          memcpy (res + len, p, cl);
          len += cl;
        }
      p = e;
    }
  res[len] = '\0';
  *out = res;
  return 0;
}

int
hk_path_join (const char *a, const char *b, char **out, struct husk_error *err)
{
  /* Clean b on its own first so that its ".." cannot climb into a. */
  _cleanup_free_ char *cb = NULL;
  int ret = hk_path_clean (b, &cb, err);
  if (ret < 0)
    return ret;
  size_t la = strlen (a), lb = strlen (cb);
  _cleanup_free_ char *tmp = malloc (la + lb + 2);
  if (tmp == NULL)
    return husk_error_set (err, ENOMEM, "path \"%s\"", b);
  memcpy (tmp, a, la);
  memcpy (tmp + la, cb, lb + 1);
  return hk_path_clean (tmp, out, err);
}

bool
hk_path_has_prefix (const char *path, const char *prefix)
{
  size_t n = strlen (prefix);
  if (n == 1 && prefix[0] == '/')
    return path[0] == '/';
  return strncmp (path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int
hk_root_open (struct husk_root *r, const char *path, struct husk_error *err)
{
  r->fd = -1;
  r->path = realpath (path, NULL);
  if (r->path == NULL)
    return husk_error_set (err, errno, "rootfs \"%s\"", path);
  r->fd = open (r->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (r->fd < 0)
    {
      int e = errno;
      free (r->path);
      r->path = NULL;
      return husk_error_set (err, e, "open rootfs \"%s\"", path);
    }
  return 0;
}

void
hk_root_close (struct husk_root *r)
{
  if (r->fd >= 0)
    close (r->fd);
  r->fd = -1;
  free (r->path);
  r->path = NULL;
}

/* Pop the first component of *rest into comp (NUL-terminated, at most
 * NAME_MAX); false when nothing is left. */
static bool
next_component (const char **rest, char comp[NAME_MAX + 1], int *ret)
{
  const char *p = *rest;
  while (*p == '/')
    p++;
  if (*p == '\0')
    {
      *rest = p;
      return false;
    }
  const char *e = strchrnul (p, '/');
  if ((size_t) (e - p) > NAME_MAX)
    {
      *ret = -ENAMETOOLONG;
      return false;
    }
  memcpy (comp, p, (size_t) (e - p));
  comp[e - p] = '\0';
  *rest = e;
  return true;
}

static bool
only_slashes (const char *p)
{
  while (*p == '/')
    p++;
  return *p == '\0';
}

/* Reopen the directory reached by the resolved components of stack
 * (NUL-separated names, depth of them) from the root. */
static int
reopen_resolved (int rootfd, const char *stack, size_t depth)
{
  int cur = fcntl (rootfd, F_DUPFD_CLOEXEC, 3);
  if (cur < 0)
    return -errno;
  for (size_t i = 0; i < depth; i++)
    {
      int fd = openat (cur, stack, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
      int e = errno;
      close (cur);
      if (fd < 0)
        return -e;
      cur = fd;
      stack += strlen (stack) + 1;
    }
  return cur;
}

/* A procfs magic link (what RESOLVE_NO_MAGICLINKS refuses): fd is the
 * symlink, name its name, parent the name of the directory it is in. */
static bool
is_magic_link (int fd, const char *name, const char *parent)
{
  struct statfs sf;
  if (fstatfs (fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
    return false;
  if (strcmp (name, "exe") == 0 || strcmp (name, "cwd") == 0 || strcmp (name, "root") == 0)
    return true;
  return parent
         && (strcmp (parent, "fd") == 0 || strcmp (parent, "ns") == 0
             || strcmp (parent, "map_files") == 0);
}

/* The fallback: resolve by hand. */
static int
walk_in_root (struct husk_root *r, const char *path, int flags, mode_t mode)
{
  _cleanup_free_ char *buf = strdup (path);
  _cleanup_free_ char *stack = malloc (strlen (path) + PATH_MAX + 2);
  if (buf == NULL || stack == NULL)
    return -ENOMEM;
  size_t stack_len = 0, depth = 0;
  const char *rest = buf;
  char comp[NAME_MAX + 1];
  int links = 0, ret = 0;
  _cleanup_close_ int cur = fcntl (r->fd, F_DUPFD_CLOEXEC, 3);
  if (cur < 0)
    return -errno;

  while (next_component (&rest, comp, &ret))
    {
      bool last = only_slashes (rest);
      if (strcmp (comp, ".") == 0)
        {
          if (!last)
            continue;
          int fd = openat (cur, ".", (flags & ~O_CREAT) | O_CLOEXEC);
          return fd < 0 ? -errno : fd;
        }
      if (strcmp (comp, "..") == 0)
        {
          if (depth > 0)
            {
              depth--;
              stack_len = 0;
              for (size_t i = 0; i < depth; i++)
                stack_len += strlen (stack + stack_len) + 1;
            }
          close (cur);
          cur = reopen_resolved (r->fd, stack, depth);
          if (cur < 0)
            return cur;
          if (last)
            {
              int fd = openat (cur, ".", (flags & ~O_CREAT) | O_CLOEXEC);
              return fd < 0 ? -errno : fd;
            }
          continue;
        }
      _cleanup_close_ int fd = openat (cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        {
          if (last && errno == ENOENT && (flags & O_CREAT))
            {
              int nfd = openat (cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
              return nfd < 0 ? -errno : nfd;
            }
          return -errno;
        }
      struct stat st;
      if (fstat (fd, &st) < 0)
        return -errno;
      if (S_ISLNK (st.st_mode) && !(last && (flags & O_NOFOLLOW)))
        {
          if (++links > MAX_SYMLINKS)
            return -ELOOP;
          const char *parent = NULL;
          for (size_t i = 0, off = 0; i < depth; i++)
            {
              parent = stack + off;
              off += strlen (stack + off) + 1;
            }
          if (is_magic_link (fd, comp, parent))
            return -ELOOP;
          char target[PATH_MAX];
          ssize_t n = readlinkat (fd, "", target, sizeof target - 1);
          if (n < 0)
            return -errno;
          target[n] = '\0';
          size_t rl = strlen (rest);
          char *nb = malloc ((size_t) n + rl + 2);
          if (nb == NULL)
            return -ENOMEM;
          memcpy (nb, target, (size_t) n);
          nb[n] = '/';
          memcpy (nb + n + 1, rest, rl + 1);
          free (buf);
          buf = nb;
          rest = buf;
          if (target[0] == '/')
            {
              depth = stack_len = 0;
              close (cur);
              cur = fcntl (r->fd, F_DUPFD_CLOEXEC, 3);
              if (cur < 0)
                return -errno;
            }
          continue;
        }
      if (last)
        {
          if ((flags & O_DIRECTORY) && !S_ISDIR (st.st_mode))
            return -ENOTDIR;
          if (flags & O_PATH)
            return steal_fd (&fd);
          int nfd = openat (cur, comp, (flags & ~O_CREAT) | O_NOFOLLOW | O_CLOEXEC);
          return nfd < 0 ? -errno : nfd;
        }
      if (!S_ISDIR (st.st_mode))
        return -ENOTDIR;
      size_t cl = strlen (comp);
      if (stack_len + cl + 1 > strlen (path) + PATH_MAX + 2)
        return -ENAMETOOLONG;
      memcpy (stack + stack_len, comp, cl + 1);
      stack_len += cl + 1;
      depth++;
      close (cur);
      cur = steal_fd (&fd);
    }
  if (ret < 0)
    return ret;
  /* the path named the root itself */
  int fd = openat (cur, ".", (flags & ~O_CREAT) | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

int
hk_root_open_at (struct husk_root *r, const char *path, int flags, mode_t mode)
{
  if (!r->no_openat2)
    {
      struct open_how how = {
        .flags = (uint64_t) (flags | O_CLOEXEC),
        .mode = (flags & (O_CREAT | __O_TMPFILE)) ? mode : 0,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
      };
      const char *p = path;
      while (*p == '/')
        p++;
      if (*p == '\0')
        p = ".";
      for (int tries = 0; tries < 16; tries++)
        {
          int fd = hk_sys_openat2 (r->fd, p, &how);
          if (fd >= 0)
            return fd;
          if (errno == EAGAIN || errno == EINTR)
            continue;
          if (errno != ENOSYS)
            return -errno;
          break;
        }
      if (errno != ENOSYS)
        return -errno;
      r->no_openat2 = true;
    }
  return walk_in_root (r, path, flags, mode);
}

int
hk_root_fd_path (struct husk_root *r, int fd, char **out, struct husk_error *err)
{
  char proc[HUSK_FD_PATH_MAX];
  char buf[PATH_MAX];
  hk_fd_path (fd, proc);
  ssize_t n = readlink (proc, buf, sizeof buf - 1);
  if (n < 0)
    return husk_error_set (err, errno, "readlink \"%s\"", proc);
  buf[n] = '\0';
  const char *p = buf;
  if (strcmp (r->path, "/") != 0)
    {
      if (!hk_path_has_prefix (buf, r->path))
        return husk_error_setx (err, EXDEV, "\"%s\" is outside the rootfs \"%s\"", buf, r->path);
      p = buf + strlen (r->path);
    }
  return hk_path_clean (p, out, err);
}

/* Append name to the clean container path res (of capacity cap). */
static int
push_component (char *res, size_t cap, const char *name)
{
  size_t len = strlen (res), nl = strlen (name);
  if (len + nl + 2 > cap)
    return -ENAMETOOLONG;
  if (len > 1)
    res[len++] = '/';
  memcpy (res + len, name, nl + 1);
  return 0;
}

static void
pop_component (char *res)
{
  char *slash = strrchr (res, '/');
  if (slash == res)
    res[1] = '\0';
  else if (slash)
    *slash = '\0';
}

int
hk_root_resolve_path (struct husk_root *r, const char *path, char **out, struct husk_error *err)
{
  _cleanup_free_ char *buf = strdup (path);
  _cleanup_free_ char *res = malloc (PATH_MAX);
  if (buf == NULL || res == NULL)
    return husk_error_set (err, ENOMEM, "path \"%s\"", path);
  strcpy (res, "/");
  const char *rest = buf;
  char comp[NAME_MAX + 1];
  int links = 0, ret = 0;
  bool missing = false; /* nothing below a missing component exists */
  while (next_component (&rest, comp, &ret))
    {
      if (strcmp (comp, ".") == 0)
        continue;
      if (strcmp (comp, "..") == 0)
        {
          /* res holds no symlink: ".." is lexical there, and stops at "/" */
          pop_component (res);
          continue;
        }
      if ((ret = push_component (res, PATH_MAX, comp)) < 0)
        break;
      if (missing)
        continue;
      _cleanup_close_ int fd = hk_root_open_at (r, res, O_PATH | O_NOFOLLOW, 0);
      if (fd == -ENOENT)
        {
          missing = true;
          continue;
        }
      if (fd < 0)
        {
          ret = fd;
          break;
        }
      struct stat st;
      if (fstat (fd, &st) < 0)
        {
          ret = -errno;
          break;
        }
      if (!S_ISLNK (st.st_mode))
        continue;
      /* a symlink: its target goes in front of the rest, read as a path
       * of the container (an absolute one starts again at its root) */
      pop_component (res);
      const char *parent = strrchr (res, '/') + 1;
      if (++links > MAX_SYMLINKS || is_magic_link (fd, comp, parent[0] ? parent : NULL))
        {
          ret = -ELOOP;
          break;
        }
      char target[PATH_MAX];
      ssize_t n = readlinkat (fd, "", target, sizeof target - 1);
      if (n < 0)
        {
          ret = -errno;
          break;
        }
      target[n] = '\0';
      if (target[0] == '/')
        strcpy (res, "/");
      size_t rl = strlen (rest);
      char *nb = malloc ((size_t) n + rl + 2);
      if (nb == NULL)
        {
          ret = -ENOMEM;
          break;
        }
      memcpy (nb, target, (size_t) n);
      nb[n] = '/';
      memcpy (nb + n + 1, rest, rl + 1);
      free (buf);
      buf = nb;
      rest = buf;
    }
  if (ret < 0)
    return husk_error_set (err, -ret, "resolve \"%s\" in the rootfs", path);
  *out = steal_pointer (&res);
  return 0;
}

int
hk_root_mkdir_p (struct husk_root *r, const char *path, mode_t mode, int *out,
                 struct husk_error *err)
{
  _cleanup_free_ char *clean = NULL;
  int ret = hk_path_clean (path, &clean, err);
  if (ret < 0)
    return ret;
  size_t len = strlen (clean);
  _cleanup_close_ int cur = hk_root_open_at (r, "/", O_PATH | O_DIRECTORY, 0);
  if (cur < 0)
    return husk_error_set (err, -cur, "open the rootfs");
  /* one component after the other, each resolved from the root again so
   * that a symlink met on the way is followed inside the root */
  for (size_t i = 1; i <= len; i++)
    {
      if (i < len && clean[i] != '/')
        continue;
      if (i == 1 && len == 1)
        break;
      char saved = clean[i];
      clean[i] = '\0';
      int fd = hk_root_open_at (r, clean, O_PATH | O_DIRECTORY, 0);
      if (fd == -ENOENT)
        {
          const char *name = strrchr (clean, '/') + 1;
          if (mkdirat (cur, name, mode) < 0 && errno != EEXIST)
            {
              ret = husk_error_set (err, errno, "mkdir \"%s\" in the rootfs", clean);
              clean[i] = saved;
              return ret;
            }
          fd = hk_root_open_at (r, clean, O_PATH | O_DIRECTORY, 0);
        }
      if (fd < 0)
        {
          ret = husk_error_set (err, -fd, "open \"%s\" in the rootfs", clean);
          clean[i] = saved;
          return ret;
        }
      clean[i] = saved;
      close (cur);
      cur = fd;
    }
  if (out)
    *out = steal_fd (&cur);
  return 0;
}

int
hk_root_mkpath (struct husk_root *r, const char *path, bool dir, mode_t mode, int *out,
                struct husk_error *err)
{
  int fd = hk_root_open_at (r, path, O_PATH, 0);
  if (fd >= 0)
    {
      *out = fd;
      return 0;
    }
  if (fd != -ENOENT && dir)
    return hk_root_mkdir_p (r, path, mode, out, err); /* names the component */
  if (fd != -ENOENT)
    return husk_error_set (err, -fd, "open \"%s\" in the rootfs", path);
  /* what is missing may be behind a dangling symlink: its target is made,
   * inside the root, as runc does */
  _cleanup_free_ char *clean = NULL;
  int ret = hk_root_resolve_path (r, path, &clean, err);
  if (ret < 0)
    return ret;
  if (dir)
    return hk_root_mkdir_p (r, clean, mode, out, err);
  if (strcmp (clean, "/") == 0)
    return husk_error_setx (err, EISDIR, "create \"%s\" in the rootfs: it is the root", path);
  char *slash = strrchr (clean, '/');
  *slash = '\0';
  _cleanup_close_ int pfd = -1;
  ret = hk_root_mkdir_p (r, clean[0] ? clean : "/", 0755, &pfd, err);
  if (ret < 0)
    return ret;
  *slash = '/';
  int nfd = openat (pfd, slash + 1, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
  if (nfd < 0 && errno != EEXIST)
    return husk_error_set (err, errno, "create \"%s\" in the rootfs", clean);
  if (nfd >= 0)
    close (nfd);
  fd = hk_root_open_at (r, clean, O_PATH, 0);
  if (fd < 0)
    return husk_error_set (err, -fd, "open \"%s\" in the rootfs", clean);
  *out = fd;
  return 0;
}
