/* Where the container's cgroup goes: linux.cgroupsPath for the cgroupfs
 * driver (absolute, relative to husk's own cgroup, or /husk/ID), and the
 * systemd driver's "slice:prefix:name". */
#include "config.h"
#include "cgroups/internal.h"
#include "utils.h"

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
      if ((ret = append_clean (buf, &len, sizeof buf, CG_DEFAULT_PARENT, CG_DEFAULT_PARENT, err)) < 0
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
  return husk_strdup (buf, out, err);
}

int
cg_path_dir (const struct cg_mount *m, const char *p, char **out, struct husk_error *err)
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
    return husk_error_setx (err, EINVAL,
                            "linux.cgroupsPath \"%s\": the systemd driver expects \"slice:prefix:name\"",
                            cgroups_path);
  *c1 = *c2 = '\0';
  const char *sl = s[0] ? s : "system.slice";
  const char *prefix = c1 + 1, *name = c2 + 1;
  if (*name == '\0')
    return husk_error_setx (err, EINVAL, "linux.cgroupsPath \"%s\": the name is empty", cgroups_path);
  size_t nl = strlen (name);
  if (nl > 6 && strcmp (name + nl - 6, ".slice") == 0)
    return husk_error_setx (err, EINVAL,
                            "linux.cgroupsPath \"%s\": a slice as the container's unit is not supported",
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
    return husk_strdup ("", out, err);
  if (sl < 7 || strcmp (slice + sl - 6, ".slice") != 0 || slice[0] == '-'
      || slice[sl - 7] == '-' || strstr (slice, "--") || strchr (slice, '/'))
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
