/* SPDX-License-Identifier: Apache-2.0 */
/* After pivot_root, in the container's "/": linux.rootfsPropagation,
 * linux.sysctl, readonlyPaths, maskedPaths, a read-only /dev when the config
 * asks for one, root.readonly. Paths are resolved inside the new root. */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"

/* ------------------------------------------------------------ sysctl */

static bool
has_ns (const struct husk_spec *s, enum husk_spec_ns_type t)
{
  return husk_spec_find_namespace (s, t) != NULL;
}

/* The network namespace of the runtime (husk, the init's parent): what runc
 * calls the host's ("current, not initial"). Read through the host's /proc,
 * which shows the parent's pid even from a new pid namespace. */
static bool
runtime_netns (struct stat *st)
{
  _cleanup_free_ char *status = NULL;
  struct husk_error e = { 0 };
  if (hk_read_file ("/proc/self/status", 1 << 16, &status, NULL, &e) < 0)
    return false;
  const char *p = strstr (status, "\nPPid:");
  long ppid = p ? strtol (p + 6, NULL, 10) : 0;
  if (ppid <= 0)
    return false;
  char path[64];
  snprintf (path, sizeof path, "/proc/%ld/ns/net", ppid);
  return stat (path, st) == 0;
}

/* What a sysctl path belongs to: a namespace of the container, or the host. */
enum sysctl_kind
{
  SYSCTL_HOST,
  SYSCTL_IPC,
  SYSCTL_NET,
  SYSCTL_UTS
};

static enum sysctl_kind
sysctl_kind (const char *path)
{
  static const char *const ipc[] = {
    "kernel/msgmax", "kernel/msgmnb", "kernel/msgmni", "kernel/sem",
    "kernel/shmall", "kernel/shmmax", "kernel/shmmni", "kernel/shm_rmid_forced",
  };
  if (strncmp (path, "fs/mqueue/", 10) == 0 && path[10] != '\0')
    return SYSCTL_IPC;
  for (size_t j = 0; j < ARRAY_SIZE (ipc); j++)
    if (strcmp (path, ipc[j]) == 0)
      return SYSCTL_IPC;
  if (strncmp (path, "net/", 4) == 0 && path[4] != '\0')
    return SYSCTL_NET;
  if (strcmp (path, "kernel/hostname") == 0 || strcmp (path, "kernel/domainname") == 0)
    return SYSCTL_UTS;
  return SYSCTL_HOST;
}

int
hk_sysctl_validate (const struct husk_spec *s, struct husk_error *err)
{
  const struct husk_spec_linux *l = s->linux_;
  for (size_t i = 0; l && i < l->sysctl_len; i++)
    {
      const char *key = l->sysctl[i].key;
      char path[PATH_MAX];
      if (husk_spec_sysctl_path (key, path, sizeof path) < 0)
        return husk_error_setx (err, EINVAL, "linux.sysctl: \"%s\" is not a valid sysctl name",
                                key);
      switch (sysctl_kind (path))
        {
        case SYSCTL_IPC:
          if (!has_ns (s, HUSK_SPEC_NS_IPC))
            return husk_error_setx (err, EINVAL,
                                    "linux.sysctl: \"%s\" is not allowed without an ipc "
                                    "namespace of the container's own",
                                    key);
          break;
        case SYSCTL_NET:
          {
            const struct husk_spec_namespace *ns = husk_spec_find_namespace (s,
                                                                             HUSK_SPEC_NS_NETWORK);
            if (ns == NULL)
              return husk_error_setx (err, EINVAL,
                                      "linux.sysctl: \"%s\" is not allowed in the host's network "
                                      "namespace",
                                      key);
            if (ns->path)
              {
                /* joined: it must not be the runtime's */
                struct stat a, b;
                if (stat (ns->path, &a) == 0 && runtime_netns (&b) && a.st_dev == b.st_dev
                    && a.st_ino == b.st_ino)
                  return husk_error_setx (err, EINVAL,
                                          "linux.sysctl: \"%s\" is not allowed in the host's "
                                          "network namespace",
                                          key);
              }
            break;
          }
        case SYSCTL_UTS:
          if (has_ns (s, HUSK_SPEC_NS_UTS))
            break;
          /* fall through */
        case SYSCTL_HOST:
        default:
          return husk_error_setx (err, EINVAL,
                                  "linux.sysctl: \"%s\" is not in a separate kernel namespace",
                                  key);
        }
    }
  return 0;
}

/* The mount id of fd, 0 where statx cannot tell (kernels before 5.8). */
static uint64_t
mount_id (int fd)
{
  struct statx stx;
  if (statx (fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0
      || !(stx.stx_mask & STATX_MNT_ID))
    return 0;
  return stx.stx_mnt_id;
}

/* Open /proc/sys/PATH for writing, one component at a time below the
 * container's /proc/sys: no symlink is followed and nothing above /proc/sys
 * is reachable (the components are names, never "." or ".."). */
static int
open_sysctl (struct husk_root *r, const char *key, const char *path, struct husk_error *err)
{
  int cur = hk_root_open_at (r, "/proc/sys", O_PATH | O_DIRECTORY, 0);
  if (cur < 0)
    return husk_error_set (err, -cur, "linux.sysctl: open \"/proc/sys\"");
  struct statfs sf;
  if (fstatfs (cur, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
    {
      close (cur);
      return husk_error_setx (err, EINVAL,
                              "linux.sysctl: \"/proc/sys\" is not on procfs "
                              "(mount proc on /proc)");
    }
  uint64_t top_mnt = mount_id (cur);
  char comp[NAME_MAX + 1];
  for (const char *p = path;;)
    {
      size_t cl = strcspn (p, "/");
      bool last = p[cl] == '\0';
      if (cl > NAME_MAX)
        {
          close (cur);
          return husk_error_set (err, ENAMETOOLONG, "linux.sysctl: \"%s\"", key);
        }
      memcpy (comp, p, cl);
      comp[cl] = '\0';
      int fd = openat (cur, comp,
                       last ? O_WRONLY | O_NOFOLLOW | O_CLOEXEC
                            : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      int e = errno;
      close (cur);
      if (fd < 0)
        return husk_error_set (err, e, "linux.sysctl: \"%s\": open \"/proc/sys/%s\"", key, path);
      cur = fd;
      /* nothing may be mounted on the way: a file bound over a sysctl
       * (CVE-2025-52881 class) would take the write elsewhere */
      if (top_mnt != 0 && mount_id (cur) != top_mnt)
        {
          close (cur);
          return husk_error_setx (err, EPERM,
                                  "linux.sysctl: \"%s\": \"/proc/sys/%s\" is not the "
                                  "sysctl file (something is mounted over it)",
                                  key, path);
        }
      if (last)
        return cur;
      p += cl + 1;
    }
}

static int
write_sysctl (struct husk_root *r, const char *key, const char *value, struct husk_error *err)
{
  char rel[PATH_MAX], path[PATH_MAX + 16];
  if (husk_spec_sysctl_path (key, rel, sizeof rel) < 0)
    return husk_error_setx (err, EINVAL, "linux.sysctl: \"%s\" is not a valid sysctl name", key);
  snprintf (path, sizeof path, "/proc/sys/%s", rel);
  _cleanup_close_ int fd = open_sysctl (r, key, rel, err);
  if (fd < 0)
    return fd;
  struct statfs sf;
  if (fstatfs (fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
    return husk_error_setx (err, EINVAL,
                            "linux.sysctl: \"%s\": \"%s\" is not on procfs (mount proc on /proc)",
                            key, path);
  int ret = hk_write_all (fd, value, strlen (value));
  if (ret < 0)
    return husk_error_set (err, -ret, "linux.sysctl: write \"%s\" to \"%s\"", value, path);
  return 0;
}

/* ------------------------------------------------------------ paths */

static int
readonly_path (struct husk_root *r, const char *path, struct husk_error *err)
{
  _cleanup_close_ int fd = hk_root_open_at (r, path, O_PATH, 0);
  if (fd == -ENOENT)
    return 0;
  if (fd < 0)
    return husk_error_set (err, -fd, "readonlyPaths: open \"%s\"", path);
  char buf[HUSK_FD_PATH_MAX];
  hk_fd_path (fd, buf);
  const char *target = buf;
  if (access ("/proc/self/fd", F_OK) < 0)
    target = path;
  if (mount (target, target, NULL, MS_BIND | MS_REC, NULL) < 0)
    return husk_error_set (err, errno, "readonlyPaths: bind mount \"%s\" onto itself", path);
  _cleanup_close_ int nfd = hk_root_open_at (r, path, O_PATH, 0);
  if (nfd < 0)
    return husk_error_set (err, -nfd, "readonlyPaths: open \"%s\"", path);
  hk_fd_path (nfd, buf);
  struct statvfs sv;
  unsigned long keep = 0;
  if (statvfs (target == path ? path : buf, &sv) == 0)
    keep = hk_mountopt_from_statvfs (sv.f_flag) & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
  int ret = hk_remount_fd (r, nfd, path, MS_RDONLY | keep, err);
  return ret < 0 ? husk_error_prefix (err, "readonlyPaths") : 0;
}

/* The container's /dev/null, checked to be the null device (1:3) and not
 * something the image or a hook put there. */
static int
open_dev_null (struct husk_root *r, int *out, struct husk_error *err)
{
  int fd = hk_root_open_at (r, "/dev/null", O_PATH, 0);
  if (fd < 0)
    return husk_error_set (err, -fd, "maskedPaths: open \"/dev/null\"");
  struct stat st;
  if (fstat (fd, &st) < 0)
    {
      int e = errno;
      close (fd);
      return husk_error_set (err, e, "maskedPaths: stat \"/dev/null\"");
    }
  if (!S_ISCHR (st.st_mode) || major (st.st_rdev) != 1 || minor (st.st_rdev) != 3)
    {
      close (fd);
      return husk_error_setx (err, EPERM,
                              "maskedPaths: \"/dev/null\" in the container is not the null "
                              "device (1:3)");
    }
  *out = fd;
  return 0;
}

static int
masked_path (struct husk_root *r, int nullfd, const char *path, struct husk_error *err)
{
  _cleanup_close_ int fd = hk_root_open_at (r, path, O_PATH, 0);
  if (fd == -ENOENT)
    return 0;
  if (fd < 0)
    return husk_error_set (err, -fd, "maskedPaths: open \"%s\"", path);
  struct stat st;
  if (fstat (fd, &st) < 0)
    return husk_error_set (err, errno, "maskedPaths: stat \"%s\"", path);
  int ret;
  if (S_ISDIR (st.st_mode))
    ret = hk_mount_on_fd (r, "tmpfs", fd, path, "tmpfs", MS_RDONLY, NULL, err);
  else
    {
      char src[HUSK_FD_PATH_MAX];
      hk_fd_path (nullfd, src);
      if (access ("/proc/self/fd", F_OK) < 0)
        snprintf (src, sizeof src, "/dev/null");
      ret = hk_mount_on_fd (r, src, fd, path, NULL, MS_BIND, NULL, err);
    }
  return ret < 0 ? husk_error_prefix (err, "maskedPaths") : 0;
}

/* ------------------------------------------------------------ finish */

/* A tmpfs or /dev mount with "ro" was mounted writable (mount.c): make it
 * read-only now, with a bind remount as runc does (so the superblock stays
 * writable: mountinfo shows "ro" in the mount options). */
static int
deferred_readonly (const struct husk_spec *s, struct husk_root *r, struct husk_error *err)
{
  for (size_t i = 0; i < s->mounts_len; i++)
    {
      const struct husk_spec_mount *m = &s->mounts[i];
      _cleanup_free_ char *dest = NULL;
      if (hk_mount_destination (m, &dest, err) < 0)
        return -err->code;
      if (!hk_mount_defers_readonly (m, dest))
        continue;
      struct husk_mountopt mo;
      int ret = hk_mountopt_parse (m->options, m->options_len, &mo, err);
      if (ret < 0)
        return ret;
      bool bind = mo.bind || (m->type && strcmp (m->type, "bind") == 0);
      bool ro = (mo.flags & MS_RDONLY) && !bind;
      unsigned long flags = mo.flags;
      hk_mountopt_free (&mo);
      if (!ro)
        continue;
      _cleanup_close_ int fd = hk_root_open_at (r, dest, O_PATH, 0);
      if (fd < 0)
        return husk_error_set (err, -fd, "open \"%s\"", dest);
      ret = hk_remount_fd (r, fd, dest, flags & ~(MS_REMOUNT | MS_BIND | MS_REC), err);
      if (ret < 0)
        return ret;
    }
  return 0;
}

int
hk_rootfs_do_finish (const struct husk_rootfs_opts *o, struct husk_root *r, struct husk_error *err)
{
  const struct husk_spec *s = o->spec;
  const struct husk_spec_linux *l = s->linux_;
  int ret = 0;

  if (l && l->rootfs_propagation && l->rootfs_propagation[0])
    {
      unsigned long flag = hk_mountopt_propagation (l->rootfs_propagation);
      if (flag == 0)
        return husk_error_setx (err, EINVAL, "linux.rootfsPropagation: unknown propagation \"%s\"",
                                l->rootfs_propagation);
      if (mount (NULL, "/", NULL, flag, NULL) < 0)
        return husk_error_set (err, errno, "linux.rootfsPropagation: make \"/\" %s",
                               l->rootfs_propagation);
    }

  /* linux.sysctl was checked by hk_rootfs_prepare, while the host's /proc
   * could still tell a joined network namespace from the host's */
  if (l && l->sysctl_len)
    {
      for (size_t i = 0; ret == 0 && i < l->sysctl_len; i++)
        ret = write_sysctl (r, l->sysctl[i].key, l->sysctl[i].value ? l->sysctl[i].value : "", err);
      if (ret < 0)
        return ret;
    }

  for (size_t i = 0; l && i < l->readonly_paths_len; i++)
    {
      ret = readonly_path (r, l->readonly_paths[i], err);
      if (ret < 0)
        return ret;
    }

  if (l && l->masked_paths_len)
    {
      _cleanup_close_ int nullfd = -1;
      ret = open_dev_null (r, &nullfd, err);
      for (size_t i = 0; ret == 0 && i < l->masked_paths_len; i++)
        ret = masked_path (r, nullfd, l->masked_paths[i], err);
      if (ret < 0)
        return ret;
    }

  ret = deferred_readonly (s, r, err);
  if (ret < 0)
    return ret;

  if (s->root.readonly)
    {
      _cleanup_close_ int fd = hk_root_open_at (r, "/", O_PATH, 0);
      if (fd < 0)
        return husk_error_set (err, -fd, "open \"/\"");
      ret = hk_remount_fd (r, fd, "/", MS_RDONLY, err);
      if (ret < 0)
        return husk_error_prefix (err, "root.readonly");
    }
  return 0;
}
