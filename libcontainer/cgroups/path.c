/* SPDX-License-Identifier: Apache-2.0 */
/* Where the container's cgroup goes: linux.cgroupsPath for the cgroupfs
 * driver (absolute, relative to husk's own cgroup, or /husk/ID), and the
 * systemd driver's "slice:prefix:name". */
#include "config.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include "cgroups/internal.h"
#include "utils.h"
#include "syscalls.h"

/* Append path components of p to buf (len), refusing "..". */
static int
append_clean (char *buf, size_t *len, size_t size, const char *p, const char *what,
              struct husk_error *err)
{
  while (*p)
    {
      while (*p == '/')
        p++;
      const char *e = strchrnul (p, '/');
      size_t n = (size_t) (e - p);
      if (n == 0)
        break;
      if (n == 2 && p[0] == '.' && p[1] == '.')
        return husk_error_setx (err, EINVAL, "linux.cgroupsPath \"%s\": \"..\" is not allowed",
                                what);
      if (!(n == 1 && p[0] == '.'))
        {
          if (*len + n + 2 > size)
            return husk_error_setx (err, ENAMETOOLONG, "linux.cgroupsPath \"%s\": too long", what);
          buf[(*len)++] = '/';
          memcpy (buf + *len, p, n);
          *len += n;
          buf[*len] = '\0';
        }
      p = e;
    }
  return 0;
}

int
cg_path_compute (const char *cgroups_path, const char *id, const char *own, char **out,
                 struct husk_error *err)
{
  char buf[PATH_MAX] = "";
  size_t len = 0;
  int ret;
  *out = NULL;
  if (cgroups_path == NULL || cgroups_path[0] == '\0')
    {
      if (id == NULL || id[0] == '\0' || strchr (id, '/') || strcmp (id, "..") == 0)
        return husk_error_setx (err, EINVAL, "cgroup: a container id is required");
      if ((ret = append_clean (buf, &len, sizeof buf, CG_DEFAULT_PARENT, CG_DEFAULT_PARENT, err))
              < 0
          || (ret = append_clean (buf, &len, sizeof buf, id, id, err)) < 0)
        return ret;
    }
  else
    {
      if (cgroups_path[0] != '/' && own
          && (ret = append_clean (buf, &len, sizeof buf, own, cgroups_path, err)) < 0)
        return ret;
      if ((ret = append_clean (buf, &len, sizeof buf, cgroups_path, cgroups_path, err)) < 0)
        return ret;
    }
  if (len == 0)
    return husk_error_setx (err, EINVAL,
                            "linux.cgroupsPath \"%s\": the root cgroup cannot be the container's",
                            cgroups_path ? cgroups_path : "");
  return hk_strdup (buf, out, err);
}

int
cg_path_dir (const struct hk_cgroup_mount *m, const char *p, char **out, struct husk_error *err)
{
  size_t rl = strlen (m->root);
  /* a mount of a subtree (a cgroup namespace, a bind mount): strip it */
  if (rl > 1 && strncmp (p, m->root, rl) == 0 && (p[rl] == '/' || p[rl] == '\0'))
    p += rl;
  if (asprintf (out, "%s%s", m->mount, p) < 0)
    {
      *out = NULL;
      return husk_error_set (err, ENOMEM, "cgroup path");
    }
  return 0;
}

static bool
unit_name_ok (const char *s)
{
  if (*s == '\0' || strlen (s) > 255)
    return false;
  for (; *s; s++)
    if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9')
          || strchr (":-_.\\@", *s)))
      return false;
  return true;
}

int
cg_systemd_parse (const char *cgroups_path, const char *id, char **slice, char **unit,
                  struct husk_error *err)
{
  _cleanup_free_ char *s = NULL;
  *slice = *unit = NULL;
  if (cgroups_path == NULL || *cgroups_path == '\0')
    {
      if (asprintf (&s, "system.slice:husk:%s", id) < 0)
        return husk_error_set (err, ENOMEM, "cgroup");
    }
  else if ((s = strdup (cgroups_path)) == NULL)
    return husk_error_set (err, ENOMEM, "cgroup");
  char *c1 = strchr (s, ':');
  char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  if (c2 == NULL || strchr (c2 + 1, ':'))
    return husk_error_setx (
        err, EINVAL, "linux.cgroupsPath \"%s\": the systemd driver expects \"slice:prefix:name\"",
        cgroups_path);
  *c1 = *c2 = '\0';
  const char *sl = s[0] ? s : "system.slice";
  const char *prefix = c1 + 1, *name = c2 + 1;
  if (*name == '\0')
    return husk_error_setx (err, EINVAL, "linux.cgroupsPath \"%s\": the name is empty",
                            cgroups_path);
  size_t nl = strlen (name);
  if (nl > 6 && strcmp (name + nl - 6, ".slice") == 0)
    return husk_error_setx (
        err, EINVAL, "linux.cgroupsPath \"%s\": a slice as the container's unit is not supported",
        cgroups_path);
  size_t sll = strlen (sl);
  if (sll < 7 || strcmp (sl + sll - 6, ".slice") != 0 || !unit_name_ok (sl))
    return husk_error_setx (err, EINVAL, "linux.cgroupsPath \"%s\": \"%s\" is not a slice name",
                            cgroups_path, sl);
  if (asprintf (unit, "%s%s%s.scope", prefix, *prefix ? "-" : "", name) < 0)
    {
      *unit = NULL;
      return husk_error_set (err, ENOMEM, "cgroup");
    }
  if (!unit_name_ok (*unit))
    {
      husk_error_setx (err, EINVAL, "linux.cgroupsPath \"%s\": \"%s\" is not a valid unit name",
                       cgroups_path, *unit);
      free (*unit);
      *unit = NULL;
      return -EINVAL;
    }
  if ((*slice = strdup (sl)) == NULL)
    {
      free (*unit);
      *unit = NULL;
      return husk_error_set (err, ENOMEM, "cgroup");
    }
  return 0;
}

int
cg_systemd_slice_path (const char *slice, char **out, struct husk_error *err)
{
  size_t sl = strlen (slice);
  *out = NULL;
  if (strcmp (slice, "-.slice") == 0)
    return hk_strdup ("", out, err);
  if (sl < 7 || strcmp (slice + sl - 6, ".slice") != 0 || slice[0] == '-' || slice[sl - 7] == '-'
      || strstr (slice, "--") || strchr (slice, '/'))
    return husk_error_setx (err, EINVAL, "invalid slice name \"%s\"", slice);
  size_t stem = sl - 6;
  /* each dash starts a parent: a-b-c.slice -> /a.slice/a-b.slice/a-b-c.slice */
  size_t cap = (stem + 8) * (stem + 1) + 1, len = 0;
  char *buf = malloc (cap);
  if (buf == NULL)
    return husk_error_set (err, ENOMEM, "slice path");
  for (size_t i = 0; i <= stem; i++)
    if (i == stem || slice[i] == '-')
      len += (size_t) snprintf (buf + len, cap - len, "/%.*s.slice", (int) i, slice);
  *out = buf;
  return 0;
}

/* ------------------------------------------------------------ exec --cgroup */

int
hk_cgroup_sub_parse (const char *arg, char **ctrl, char **path, struct husk_error *err)
{
  *ctrl = *path = NULL;
  if (arg == NULL || *arg == '\0')
    return husk_error_setx (err, EINVAL, "--cgroup: must not be empty");
  const char *colon = strchr (arg, ':');
  const char *p = colon ? colon + 1 : arg;
  if (colon)
    {
      if (colon == arg)
        return husk_error_setx (err, EINVAL, "--cgroup \"%s\": the controller is empty", arg);
      for (const char *c = arg; c < colon; c++)
        if (!(('a' <= *c && *c <= 'z') || ('0' <= *c && *c <= '9') || strchr ("_,=", *c)))
          return husk_error_setx (err, EINVAL, "--cgroup \"%s\": \"%.*s\" is not a controller", arg,
                                  (int) (colon - arg), arg);
    }
  /* below the container's own cgroup, by name: relative, no "." or ".."
   * component (the directories are opened without following symlinks) */
  if (*p == '/')
    return husk_error_setx (err, EINVAL,
                            "--cgroup \"%s\": an absolute path would leave the container's cgroup",
                            arg);
  bool any = false;
  for (const char *c = p; *c;)
    {
      const char *e = strchrnul (c, '/');
      size_t n = (size_t) (e - c);
      if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
        return husk_error_setx (err, EINVAL,
                                "--cgroup \"%s\": \"%.*s\" is not allowed: the sub-cgroup must be "
                                "below the container's cgroup",
                                arg, (int) n, c);
      any |= n > 0;
      c = *e ? e + 1 : e;
    }
  if (!any)
    return husk_error_setx (err, EINVAL, "--cgroup \"%s\": the sub-cgroup path is empty", arg);
  if (strlen (p) >= PATH_MAX)
    return husk_error_setx (err, ENAMETOOLONG, "--cgroup: too long");
  if (colon && (*ctrl = strndup (arg, (size_t) (colon - arg))) == NULL)
    return husk_error_set (err, ENOMEM, "--cgroup");
  if ((*path = strdup (p)) == NULL)
    {
      free (*ctrl);
      *ctrl = NULL;
      return husk_error_set (err, ENOMEM, "--cgroup");
    }
  return 0;
}

int
hk_cgroup_open_beneath (int dirfd, const char *rel, int flags)
{
  struct open_how how = {
    .flags = (uint64_t) (flags | O_CLOEXEC),
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
  };
  int fd = hk_sys_openat2 (dirfd, rel, &how);
  if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
    return fd < 0 ? -errno : fd;
  /* no openat2 (or a seccomp filter refusing it): one component at a
   * time, never following a symlink, refusing "." and ".." */
  _cleanup_close_ int cur = fcntl (dirfd, F_DUPFD_CLOEXEC, 3);
  if (cur < 0)
    return -errno;
  _cleanup_free_ char *copy = strdup (rel);
  if (copy == NULL)
    return -ENOMEM;
  char *save = NULL;
  char *t = strtok_r (copy, "/", &save);
  if (t == NULL)
    return -EINVAL;
  while (t)
    {
      char *next = strtok_r (NULL, "/", &save);
      if (strcmp (t, ".") == 0 || strcmp (t, "..") == 0)
        return -EXDEV;
      int f = next ? O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC : flags | O_NOFOLLOW | O_CLOEXEC;
      int nfd = openat (cur, t, f);
      if (nfd < 0)
        return -errno;
      close (cur);
      cur = nfd;
      t = next;
    }
  return steal_fd (&cur);
}
