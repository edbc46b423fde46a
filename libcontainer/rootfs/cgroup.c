/* The "cgroup" mount type. With cgroup v2 on the host (/sys/fs/cgroup is
 * cgroup2) it is a cgroup2 mount. With v1 (or hybrid) it is, as runc does
 * it, a tmpfs at the destination holding one mount per v1 hierarchy of
 * /proc/self/mountinfo: a fresh cgroup mount when the container has its own
 * cgroup namespace (it then sees its own cgroup as the root), otherwise a
 * bind of the container's cgroup directory from the host. Combined
 * hierarchies ("cpu,cpuacct") get a symlink for each controller. Read-only
 * unless the options say "rw". */
#include "config.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CGROUP_BASE_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static const char *const v1_controllers[] = {
  "cpuset", "cpu",     "cpuacct", "blkio",  "io",   "memory", "devices", "freezer",
  "net_cls", "net_prio", "perf_event", "hugetlb", "pids", "rdma", "misc", "debug",
};

void
hk_mountinfo_unescape (char *s)
{
  char *w = s;
  for (char *p = s; *p;)
    {
      if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7'
          && p[3] >= '0' && p[3] <= '7')
        {
          *w++ = (char) (((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0'));
          p += 4;
        }
      else
        *w++ = *p++;
    }
  *w = '\0';
}

static bool
is_controller_token (const char *t, size_t n)
{
  if (n > 5 && strncmp (t, "name=", 5) == 0)
    return true;
  for (size_t i = 0; i < ARRAY_SIZE (v1_controllers); i++)
    if (strlen (v1_controllers[i]) == n && strncmp (v1_controllers[i], t, n) == 0)
      return true;
  return false;
}

/* The controllers of a v1 mount from its super options, comma-joined. */
static char *
controllers_of (const char *superopts)
{
  size_t len = strlen (superopts);
  char *out = malloc (len + 1);
  if (out == NULL)
    return NULL;
  size_t w = 0;
  for (const char *p = superopts; *p;)
    {
      const char *e = strchrnul (p, ',');
      size_t n = (size_t) (e - p);
      if (is_controller_token (p, n))
        {
          if (w)
            out[w++] = ',';
          memcpy (out + w, p, n);
          w += n;
        }
      p = *e ? e + 1 : e;
    }
  out[w] = '\0';
  return out;
}

/* Every token of the comma list a is in b and the other way round. */
static bool
same_set (const char *a, const char *b)
{
  for (int pass = 0; pass < 2; pass++)
    {
      const char *x = pass ? b : a, *y = pass ? a : b;
      for (const char *p = x; *p;)
        {
          const char *e = strchrnul (p, ',');
          size_t n = (size_t) (e - p);
          bool found = false;
          for (const char *q = y; *q && !found;)
            {
              const char *f = strchrnul (q, ',');
              if ((size_t) (f - q) == n && strncmp (p, q, n) == 0)
                found = true;
              q = *f ? f + 1 : f;
            }
          if (!found)
            return false;
          p = *e ? e + 1 : e;
        }
    }
  return true;
}

/* Split a line into space-separated fields (in place); returns their count. */
static size_t
split_fields (char *line, char **fields, size_t max)
{
  size_t n = 0;
  char *save = NULL;
  for (char *t = strtok_r (line, " ", &save); t && n < max; t = strtok_r (NULL, " ", &save))
    fields[n++] = t;
  return n;
}

/* The cgroup path of controllers in /proc/self/cgroup text, or NULL. */
static char *
cgroup_path_of (const char *proc_cgroup, const char *controllers)
{
  for (const char *line = proc_cgroup; line && *line;)
    {
      const char *nl = strchrnul (line, '\n');
      const char *c1 = memchr (line, ':', (size_t) (nl - line));
      const char *c2 = c1 ? memchr (c1 + 1, ':', (size_t) (nl - c1 - 1)) : NULL;
      if (c2 && c2 > c1 + 1)
        {
          _cleanup_free_ char *ctl = strndup (c1 + 1, (size_t) (c2 - c1 - 1));
          if (ctl && same_set (ctl, controllers))
            return strndup (c2 + 1, (size_t) (nl - c2 - 1));
        }
      line = *nl ? nl + 1 : nl;
    }
  return NULL;
}

void
hk_cgroup_v1_free (struct husk_cgroup_v1 *list, size_t len)
{
  for (size_t i = 0; list && i < len; i++)
    {
      free (list[i].mountpoint);
      free (list[i].root);
      free (list[i].controllers);
      free (list[i].path);
    }
  free (list);
}

int
hk_cgroup_v1_parse (const char *mountinfo, const char *proc_cgroup,
                      struct husk_cgroup_v1 **out, size_t *out_len, struct husk_error *err)
{
  struct husk_cgroup_v1 *list = NULL;
  size_t len = 0;
  *out = NULL;
  *out_len = 0;
  for (const char *line = mountinfo; *line;)
    {
      const char *nl = strchrnul (line, '\n');
      _cleanup_free_ char *copy = strndup (line, (size_t) (nl - line));
      line = *nl ? nl + 1 : nl;
      if (copy == NULL)
        goto nomem;
      char *f[64];
      size_t n = split_fields (copy, f, ARRAY_SIZE (f));
      size_t sep = 6;
      while (sep < n && strcmp (f[sep], "-") != 0)
        sep++;
      if (sep + 3 >= n || strcmp (f[sep + 1], "cgroup") != 0)
        continue;
      _cleanup_free_ char *ctl = controllers_of (f[sep + 3]);
      if (ctl == NULL)
        goto nomem;
      if (ctl[0] == '\0')
        continue;
      bool dup = false;
      for (size_t i = 0; i < len && !dup; i++)
        dup = same_set (list[i].controllers, ctl);
      if (dup)
        continue;
      _cleanup_free_ char *path = cgroup_path_of (proc_cgroup, ctl);
      if (path == NULL)
        continue;
      hk_mountinfo_unescape (f[3]);
      hk_mountinfo_unescape (f[4]);
      /* our cgroup relative to the mount's root */
      const char *rel = path;
      if (strcmp (f[3], "/") != 0)
        rel = hk_path_has_prefix (path, f[3]) ? path + strlen (f[3]) : "/";
      struct husk_cgroup_v1 *nl2 = realloc (list, (len + 1) * sizeof *list);
      if (nl2 == NULL)
        goto nomem;
      list = nl2;
      struct husk_cgroup_v1 *h = &list[len];
      memset (h, 0, sizeof *h);
      len++;
      h->mountpoint = strdup (f[4]);
      h->root = strdup (f[3]);
      h->controllers = steal_pointer (&ctl);
      h->path = strdup (rel[0] ? rel : "/");
      if (!h->mountpoint || !h->root || !h->path)
        goto nomem;
    }
  *out = list;
  *out_len = len;
  return 0;
nomem:
  hk_cgroup_v1_free (list, len);
  return husk_error_set (err, ENOMEM, "parse /proc/self/mountinfo");
}

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
  _cleanup_free_ char *mi = NULL, *pc = NULL;
  int ret = hk_read_file ("/proc/self/mountinfo", 16 << 20, &mi, NULL, err);
  if (ret == 0)
    ret = hk_read_file ("/proc/self/cgroup", 1 << 20, &pc, NULL, err);
  if (ret < 0)
    return ret;
  struct husk_cgroup_v1 *list = NULL;
  size_t len = 0;
  ret = hk_cgroup_v1_parse (mi, pc, &list, &len, err);
  if (ret < 0)
    return ret;

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
  for (size_t i = 0; ret == 0 && i < len; i++)
    {
      const struct husk_cgroup_v1 *h = &list[i];
      const char *base = strrchr (h->mountpoint, '/');
      base = base ? base + 1 : h->mountpoint;
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
          const char *source = strncmp (h->controllers, "name=", 5) == 0 ? h->controllers + 5
                                                                       : "cgroup";
          if (ret == 0)
            ret = hk_mount_on_fd (r, source, sfd, sub, "cgroup",
                                    CGROUP_BASE_FLAGS | (flags & MS_RDONLY), h->controllers, err);
        }
      else
        {
          _cleanup_free_ char *src = NULL;
          ret = hk_path_join (h->mountpoint, h->path, &src, err);
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
  hk_cgroup_v1_free (list, len);
  if (ret == 0 && (flags & MS_RDONLY))
    ret = hk_remount_fd (r, tfd, dest, CGROUP_BASE_FLAGS | MS_RDONLY, err);
  return ret;
}

int
hk_mount_cgroup (const struct husk_rootfs_opts *o, struct husk_root *r,
                   const struct husk_spec_mount *m, const char *dest,
                   const struct husk_mountopt *mo, struct husk_error *err)
{
  unsigned long flags = mo->flags & ~(MS_REC | MS_BIND);
  if (!(mo->cleared & MS_RDONLY))
    flags |= MS_RDONLY;
  struct statfs sf;
  if (statfs ("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
    return mount_v2 (o, r, dest, mo, flags, err);
  return mount_v1 (o, r, dest, mo, flags, err);
}
