/* SPDX-License-Identifier: Apache-2.0 */
/* config.json's mounts, in order: each destination is resolved (and created)
 * inside the rootfs, and every mount(2) goes onto /proc/self/fd/N of that
 * resolved destination, never onto a path. */
#include "config.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"
#include "syscalls.h"
#include "idmap.h"

#define PROPAGATION_MASK (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

/* The target string for mount(2): /proc/self/fd/N, or (after pivot, when the
 * container has no /proc) the container path itself. */
static const char *
mount_target (struct husk_root *r, int fd, const char *cpath, char buf[HUSK_FD_PATH_MAX])
{
  hk_fd_path (fd, buf);
  if (r && r->chrooted && cpath && access ("/proc/self/fd", F_OK) < 0)
    return cpath;
  return buf;
}

int
hk_mount_on_fd (struct husk_root *r, const char *source, int fd, const char *cpath,
                const char *type, unsigned long flags, const char *data, struct husk_error *err)
{
  char buf[HUSK_FD_PATH_MAX];
  if (mount (source, mount_target (r, fd, cpath, buf), type, flags, data) < 0)
    return husk_error_set (err, errno, "mount \"%s\" on \"%s\"",
                           source ? source : (type ? type : "none"), cpath);
  return 0;
}

int
hk_remount_fd (struct husk_root *r, int fd, const char *cpath, unsigned long flags,
               struct husk_error *err)
{
  char buf[HUSK_FD_PATH_MAX];
  const char *target = mount_target (r, fd, cpath, buf);
  unsigned long fl = MS_BIND | MS_REMOUNT
                     | (flags & ~(MS_BIND | MS_REC | MS_REMOUNT | PROPAGATION_MASK));
  if (mount (NULL, target, NULL, fl, NULL) == 0)
    return 0;
  int e = errno;
  if (e == EPERM)
    {
      /* In a user namespace the flags of a mount that came from the parent
       * are locked: keep them. */
      struct statvfs sv;
      if (statvfs (target, &sv) == 0)
        {
          unsigned long keep = hk_mountopt_from_statvfs (sv.f_flag)
                               & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME
                                  | MS_NODIRATIME | MS_RELATIME);
          if ((flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) != 0)
            keep &= ~(MS_NOATIME | MS_RELATIME);
          if (mount (NULL, target, NULL, fl | keep, NULL) == 0)
            return 0;
        }
    }
  return husk_error_set (err, e, "remount \"%s\"%s", cpath,
                         (flags & MS_RDONLY) ? " read-only" : "");
}

static const char *
propagation_name (unsigned long p)
{
  bool rec = (p & MS_REC) != 0;
  if (p & MS_SHARED)
    return rec ? "rshared" : "shared";
  if (p & MS_SLAVE)
    return rec ? "rslave" : "slave";
  if (p & MS_PRIVATE)
    return rec ? "rprivate" : "private";
  return rec ? "runbindable" : "unbindable";
}

int
hk_mount_apply_extra (struct husk_root *r, int fd, const char *cpath,
                      const struct husk_mountopt *mo, struct husk_error *err)
{
  char buf[HUSK_FD_PATH_MAX];
  const char *target = mount_target (r, fd, cpath, buf);
  for (size_t i = 0; i < mo->propagation_len; i++)
    if (mount (NULL, target, NULL, mo->propagation[i], NULL) < 0)
      return husk_error_set (err, errno, "make \"%s\" %s", cpath,
                             propagation_name (mo->propagation[i]));
  if (mo->attr_set || mo->attr_clr)
    {
      struct husk_mount_attr attr = { .attr_set = mo->attr_set, .attr_clr = mo->attr_clr };
      if (hk_sys_mount_setattr (fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
        {
          if (errno == ENOSYS)
            return husk_error_setx (err, ENOSYS,
                                    "mount_setattr \"%s\": recursive mount options need "
                                    "Linux 5.12 or later",
                                    cpath);
          return husk_error_set (err, errno, "mount_setattr \"%s\"", cpath);
        }
    }
  return 0;
}

int
hk_mount_destination (const struct husk_spec_mount *m, char **out, struct husk_error *err)
{
  return hk_path_clean (m->destination, out, err);
}

/* runc's rule: only procfs (or a bind of it) on /proc, nothing under /proc
 * but the files that lxcfs emulates; only sysfs (or a bind of it) on /sys. */
/* Where dest resolves to in the container, before it exists: symlinks
 * followed inside the root, dangling ones too (where hk_root_mkpath will
 * create it). */
static int
resolve_dest (struct husk_root *r, const char *dest, char **out, struct husk_error *err)
{
  return hk_root_resolve_path (r, dest, out, err);
}

static int
check_special_dest (struct husk_root *r, int dfd, const char *dest, const char *type, int srcfd,
                    struct husk_error *err)
{
  static const char *const proc_ok[] = {
    "/proc/cpuinfo", "/proc/diskstats",
    "/proc/meminfo", "/proc/stat",
    "/proc/swaps",   "/proc/uptime",
    "/proc/loadavg", "/proc/slabinfo",
    "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
  };
  _cleanup_free_ char *path = NULL;
  int ret = dfd >= 0 ? hk_root_fd_path (r, dfd, &path, err) : resolve_dest (r, dest, &path, err);
  if (ret < 0)
    return husk_error_prefix (err, "mount on \"%s\"", dest);
  bool is_proc = strcmp (path, "/proc") == 0, is_sys = strcmp (path, "/sys") == 0;
  if (is_proc || is_sys)
    {
      const char *want = is_proc ? "proc" : "sysfs";
      if (srcfd >= 0)
        {
          struct statfs sf;
          if (fstatfs (srcfd, &sf) < 0)
            return husk_error_set (err, errno, "statfs the source of \"%s\"", dest);
          if ((is_proc && sf.f_type == PROC_SUPER_MAGIC) || (is_sys && sf.f_type == SYSFS_MAGIC))
            return 0;
        }
      else if (type && strcmp (type, want) == 0)
        return 0;
      if (strcmp (path, dest) != 0)
        return husk_error_setx (err, EINVAL,
                                "mount on \"%s\": it resolves to \"%s\", where only %s or a "
                                "bind mount of %s may be mounted",
                                dest, path, want, want);
      return husk_error_setx (err, EINVAL,
                              "mount on \"%s\": only %s or a bind mount of %s may be mounted "
                              "there",
                              dest, want, want);
    }
  if (hk_path_has_prefix (path, "/proc"))
    {
      for (size_t i = 0; i < ARRAY_SIZE (proc_ok); i++)
        if (strcmp (path, proc_ok[i]) == 0)
          return 0;
      return husk_error_setx (err, EINVAL,
                              "mount on \"%s\": \"%s\" is inside /proc, where only procfs "
                              "may be mounted",
                              dest, path);
    }
  return 0;
}

int
hk_mount_bind_host (struct husk_root *r, const char *src, const char *dest,
                    unsigned long extra_flags, bool recursive, struct husk_error *err)
{
  _cleanup_close_ int srcfd = open (src, O_PATH | O_CLOEXEC);
  if (srcfd < 0)
    return husk_error_set (err, errno, "bind mount source \"%s\"", src);
  struct stat st;
  if (fstat (srcfd, &st) < 0)
    return husk_error_set (err, errno, "stat \"%s\"", src);
  _cleanup_close_ int dfd = -1;
  int ret = hk_root_mkpath (r, dest, S_ISDIR (st.st_mode), S_ISDIR (st.st_mode) ? 0755 : 0644, &dfd,
                            err);
  if (ret < 0)
    return ret;
  char sbuf[HUSK_FD_PATH_MAX];
  hk_fd_path (srcfd, sbuf);
  char buf[HUSK_FD_PATH_MAX];
  if (mount (sbuf, mount_target (r, dfd, dest, buf), NULL, MS_BIND | (recursive ? MS_REC : 0), NULL)
      < 0)
    return husk_error_set (err, errno, "mount \"%s\" on \"%s\"", src, dest);
  if (extra_flags)
    {
      _cleanup_close_ int nfd = hk_root_open_at (r, dest, O_PATH, 0);
      if (nfd < 0)
        return husk_error_set (err, -nfd, "open \"%s\" in the rootfs", dest);
      return hk_remount_fd (r, nfd, dest, extra_flags, err);
    }
  return 0;
}

/* The host path of a bind mount's source: absolute, or in the bundle. */
static int
bind_source (const char *bundle, const struct husk_spec_mount *m, const char *dest, char **src,
             struct husk_error *err)
{
  if (m->source == NULL || m->source[0] == '\0')
    return husk_error_setx (err, EINVAL, "bind mount on \"%s\": source is required", dest);
  if (m->source[0] == '/')
    return hk_strdup (m->source, src, err);
  return hk_path_join (bundle, m->source, src, err);
}

/* The idmap of mounts[i] on its cloned tree: the mount's own maps, or the
 * container's when it has none (config.md, "idmap" without maps). */
static int
idmap_tree (const struct husk_spec *spec, size_t i, int tree, const char *src, bool rec,
            struct husk_error *err)
{
  const struct husk_spec_mount *m = &spec->mounts[i];
  const struct husk_spec_id_mapping *u = m->uid_mappings, *g = m->gid_mappings;
  size_t nu = m->uid_mappings_len, ng = m->gid_mappings_len;
  if (nu == 0 && ng == 0 && spec->linux_)
    {
      u = spec->linux_->uid_mappings, nu = spec->linux_->uid_mappings_len;
      g = spec->linux_->gid_mappings, ng = spec->linux_->gid_mappings_len;
    }
  if (nu == 0 || ng == 0)
    return husk_error_setx (err, EINVAL,
                            "mounts[%zu]: idmap without uidMappings and gidMappings needs the "
                            "container's linux.uidMappings and linux.gidMappings",
                            i);
  int userns = hk_idmap_userns_fd (u, nu, g, ng, err);
  if (userns < 0)
    return husk_error_prefix (err, "mounts[%zu]", i);
  struct husk_mount_attr attr = { .attr_set = HUSK_MOUNT_ATTR_IDMAP,
                                  .userns_fd = (uint64_t) userns };
  int ret = hk_sys_mount_setattr (tree, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr,
                                  sizeof attr);
  int e = errno;
  close (userns);
  if (ret < 0)
    return husk_error_set (err, e, "mounts[%zu]: idmap \"%s\"%s", i, src,
                           e == EINVAL || e == EPERM
                               ? " (its file system may not support idmapped mounts)"
                               : "");
  return 0;
}

void
hk_rootfs_close_bind_sources (int *fds, size_t len)
{
  for (size_t i = 0; fds && i < len; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  free (fds);
}

int
hk_rootfs_open_bind_sources (const struct husk_spec *spec, const char *bundle, int **out,
                             size_t *len, struct husk_error *err)
{
  *out = NULL;
  *len = 0;
  if (spec->mounts_len == 0)
    return 0;
  int *fds = malloc (spec->mounts_len * sizeof *fds);
  if (fds == NULL)
    return husk_error_set (err, ENOMEM, "mounts");
  for (size_t i = 0; i < spec->mounts_len; i++)
    fds[i] = -1;
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < spec->mounts_len; i++)
    {
      const struct husk_spec_mount *m = &spec->mounts[i];
      struct husk_mountopt mo;
      ret = hk_mountopt_parse (m->options, m->options_len, &mo, err);
      if (ret < 0)
        {
          ret = husk_error_prefix (err, "mounts[%zu].options", i);
          break;
        }
      bool bind = mo.bind || (m->type && strcmp (m->type, "bind") == 0);
      bool rec = (mo.flags & MS_REC) != 0;
      bool idmap = mo.idmap || m->uid_mappings_len > 0 || m->gid_mappings_len > 0;
      bool idmap_rec = mo.idmap_rec;
      hk_mountopt_free (&mo);
      if (idmap && !bind)
        {
          ret = husk_error_setx (err, EINVAL, "mounts[%zu]: an idmapped mount must be a bind mount",
                                 i);
          break;
        }
      if (!bind)
        continue;
      _cleanup_free_ char *src = NULL, *dest = NULL;
      ret = hk_mount_destination (m, &dest, err);
      if (ret == 0)
        ret = bind_source (bundle, m, dest, &src, err);
      if (ret < 0)
        break;
      fds[i] = hk_sys_open_tree (AT_FDCWD, src,
                                 HK_OPEN_TREE_CLONE | O_CLOEXEC | (rec ? AT_RECURSIVE : 0));
      if (fds[i] < 0 && errno == ENOSYS)
        {
          /* an old kernel: the init opens the sources as before */
          hk_rootfs_close_bind_sources (fds, spec->mounts_len);
          return 0;
        }
      if (fds[i] < 0)
        ret = husk_error_set (err, errno, "bind mount source \"%s\"", src);
      else if (idmap)
        ret = idmap_tree (spec, i, fds[i], src, idmap_rec, err);
    }
  if (ret < 0)
    {
      hk_rootfs_close_bind_sources (fds, spec->mounts_len);
      return ret;
    }
  *out = fds;
  *len = spec->mounts_len;
  return 0;
}

static int
mount_bind (const struct husk_rootfs_opts *o, struct husk_root *r, const struct husk_spec_mount *m,
            const char *dest, const struct husk_mountopt *mo, int tree, struct husk_error *err)
{
  _cleanup_free_ char *src = NULL;
  int ret = bind_source (o->bundle, m, dest, &src, err);
  if (ret < 0)
    return ret;
  /* tree: the source cloned on the host before the user namespace */
  _cleanup_close_ int srcfd = tree >= 0 ? fcntl (tree, F_DUPFD_CLOEXEC, 3)
                                        : open (src, O_PATH | O_CLOEXEC);
  if (srcfd < 0)
    return husk_error_set (err, errno, "bind mount source \"%s\"", src);
  struct stat st;
  if (fstat (srcfd, &st) < 0)
    return husk_error_set (err, errno, "stat \"%s\"", src);
  bool dir = S_ISDIR (st.st_mode);
  ret = check_special_dest (r, -1, dest, NULL, srcfd, err);
  if (ret < 0)
    return ret;
  _cleanup_close_ int dfd = -1;
  ret = hk_root_mkpath (r, dest, dir, dir ? 0755 : 0644, &dfd, err);
  if (ret < 0)
    return ret;
  ret = check_special_dest (r, dfd, dest, NULL, srcfd, err);
  if (ret < 0)
    return ret;
  char sbuf[HUSK_FD_PATH_MAX];
  hk_fd_path (srcfd, sbuf);
  char buf[HUSK_FD_PATH_MAX];
  if (tree >= 0)
    {
      if (hk_sys_move_mount (srcfd, "", dfd, "",
                             HK_MOVE_MOUNT_F_EMPTY_PATH | HK_MOVE_MOUNT_T_EMPTY_PATH)
          < 0)
        return husk_error_set (err, errno, "mount \"%s\" on \"%s\"", src, dest);
    }
  else if (mount (sbuf, mount_target (r, dfd, dest, buf), NULL, MS_BIND | (mo->flags & MS_REC),
                  NULL)
           < 0)
    return husk_error_set (err, errno, "mount \"%s\" on \"%s\"", src, dest);

  _cleanup_close_ int nfd = hk_root_open_at (r, dest, O_PATH, 0);
  if (nfd < 0)
    return husk_error_set (err, -nfd, "open \"%s\" in the rootfs", dest);
  /* bind ignores the other flags: remount to apply them */
  unsigned long rest = mo->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  if (rest)
    {
      ret = hk_remount_fd (r, nfd, dest, rest, err);
      if (ret < 0)
        return ret;
    }
  return hk_mount_apply_extra (r, nfd, dest, mo, err);
}

/* A filesystem that the kernel refuses in this configuration (a user
 * namespace without its own net or ipc namespace): fall back to a bind of the
 * host's mount, as runc does. */
static const char *
fallback_source (const char *type, int e)
{
  if (type == NULL)
    return NULL;
  if (strcmp (type, "sysfs") == 0 && e == EPERM)
    return "/sys";
  if (strcmp (type, "mqueue") == 0 && e == EPERM)
    return "/dev/mqueue";
  if (strcmp (type, "cgroup2") == 0 && (e == EPERM || e == EBUSY))
    return "/sys/fs/cgroup";
  return NULL;
}

/* A tmpfs, or a filesystem on /dev, is mounted writable and made read-only
 * by hk_rootfs_finish, as runc does: devices go into /dev, later mounts
 * may need their destinations created in a tmpfs, and a tmpfs over an
 * existing directory takes that directory's mode. */
bool
hk_mount_defers_readonly (const struct husk_spec_mount *m, const char *dest)
{
  return (m->type && strcmp (m->type, "tmpfs") == 0) || strcmp (dest, "/dev") == 0;
}

static int
mount_fs (const struct husk_rootfs_opts *o, struct husk_root *r, const struct husk_spec_mount *m,
          const char *dest, const struct husk_mountopt *mo, struct husk_error *err)
{
  const char *type = m->type;
  if ((type == NULL || type[0] == '\0') && !(mo->flags & MS_REMOUNT))
    return husk_error_setx (err, EINVAL,
                            "mount on \"%s\": type is required for a mount that is not a "
                            "bind mount",
                            dest);
  const char *source = m->source ? m->source : type;
  int ret = check_special_dest (r, -1, dest, type, -1, err);
  if (ret < 0)
    return ret;
  bool tmpfs = type && strcmp (type, "tmpfs") == 0;
  /* the mode of an existing directory under a tmpfs (runc's rule) */
  bool had_dir = false;
  mode_t old_mode = 0;
  if (tmpfs)
    {
      _cleanup_close_ int ofd = hk_root_open_at (r, dest, O_PATH, 0);
      struct stat st;
      if (ofd >= 0 && fstat (ofd, &st) == 0 && S_ISDIR (st.st_mode))
        {
          had_dir = true;
          old_mode = st.st_mode & 07777;
        }
    }
  _cleanup_close_ int dfd = -1;
  ret = hk_root_mkpath (r, dest, true, 0755, &dfd, err);
  if (ret < 0)
    return ret;
  ret = check_special_dest (r, dfd, dest, type, -1, err);
  if (ret < 0)
    return ret;

  unsigned long flags = mo->flags & ~MS_REC;
  if (hk_mount_defers_readonly (m, dest))
    flags &= ~MS_RDONLY;
  bool copyup = mo->tmpcopyup && tmpfs;
  _cleanup_close_ int olddir = -1;
  if (copyup)
    {
      char buf[HUSK_FD_PATH_MAX];
      hk_fd_path (dfd, buf);
      olddir = open (buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (olddir < 0)
        return husk_error_set (err, errno, "tmpcopyup: open \"%s\"", dest);
    }

  char buf[HUSK_FD_PATH_MAX];
  if (mount (source, mount_target (r, dfd, dest, buf), type, flags, mo->data) < 0)
    {
      int e = errno;
      const char *fb = o->userns ? fallback_source (type, e) : NULL;
      if (fb == NULL && type && strcmp (type, "cgroup2") == 0)
        fb = fallback_source (type, e);
      if (fb == NULL)
        return husk_error_set (err, e, "mount \"%s\" on \"%s\"", source, dest);
      ret = hk_mount_bind_host (r, fb, dest, flags & ~(MS_REMOUNT | MS_BIND), true, err);
      if (ret < 0)
        return husk_error_prefix (err,
                                  "mount \"%s\" on \"%s\" failed (%s), and the "
                                  "fallback to a bind of \"%s\" too",
                                  source, dest, strerror (e), fb);
    }

  _cleanup_close_ int nfd = hk_root_open_at (r, dest, O_PATH, 0);
  if (nfd < 0)
    return husk_error_set (err, -nfd, "open \"%s\" in the rootfs", dest);
  if (copyup || had_dir)
    {
      char nbuf[HUSK_FD_PATH_MAX];
      hk_fd_path (nfd, nbuf);
      _cleanup_close_ int newdir = open (nbuf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (newdir < 0)
        return husk_error_set (err, errno, "open the tmpfs on \"%s\"", dest);
      if (copyup)
        {
          ret = hk_copy_tree (olddir, newdir, false, err);
          if (ret < 0)
            return husk_error_prefix (err, "tmpcopyup \"%s\"", dest);
        }
      if (had_dir && fchmod (newdir, old_mode) < 0)
        return husk_error_set (err, errno, "chmod the tmpfs on \"%s\" to %o", dest,
                               (unsigned) old_mode);
    }
  return hk_mount_apply_extra (r, nfd, dest, mo, err);
}

static bool
mount_has_idmap (const struct husk_spec_mount *m)
{
  for (size_t j = 0; j < m->options_len; j++)
    if (strcmp (m->options[j], "idmap") == 0 || strcmp (m->options[j], "ridmap") == 0)
      return true;
  return false;
}

int
hk_rootfs_do_mounts (const struct husk_rootfs_opts *o, struct husk_root *r, struct husk_error *err)
{
  const struct husk_spec *s = o->spec;
  for (size_t i = 0; i < s->mounts_len; i++)
    {
      const struct husk_spec_mount *m = &s->mounts[i];
      /* an idmapped mount is cloned and idmapped on the host by root
       * (hk_rootfs_open_bind_sources): nothing else can make one */
      if ((m->uid_mappings_len || m->gid_mappings_len || mount_has_idmap (m))
          && (o->bind_fds == NULL || o->bind_fds[i] < 0))
        return husk_error_setx (err, ENOTSUP,
                                "mounts[%zu]: idmapped mounts need root on the host and a kernel "
                                "with open_tree and mount_setattr (Linux 5.12)",
                                i);
      _cleanup_free_ char *dest = NULL;
      int ret = hk_mount_destination (m, &dest, err);
      if (ret < 0)
        return ret;
      if (strcmp (dest, "/") == 0)
        return husk_error_setx (err, EINVAL,
                                "mounts[%zu].destination: \"%s\" would cover the rootfs", i,
                                m->destination);
      struct husk_mountopt mo;
      ret = hk_mountopt_parse (m->options, m->options_len, &mo, err);
      if (ret < 0)
        return husk_error_prefix (err, "mounts[%zu].options", i);
      bool bind = mo.bind || (m->type && strcmp (m->type, "bind") == 0);
      if (bind)
        {
          mo.flags |= MS_BIND;
          ret = mount_bind (o, r, m, dest, &mo, o->bind_fds ? o->bind_fds[i] : -1, err);
        }
      else if (m->type && strcmp (m->type, "cgroup") == 0)
        {
          ret = check_special_dest (r, -1, dest, m->type, -1, err);
          if (ret == 0)
            ret = hk_mount_cgroup (o, r, m, dest, &mo, err);
        }
      else
        ret = mount_fs (o, r, m, dest, &mo, err);
      hk_mountopt_free (&mo);
      if (ret < 0)
        return ret;
    }
  return 0;
}
