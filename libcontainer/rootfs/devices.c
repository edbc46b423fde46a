/* SPDX-License-Identifier: Apache-2.0 */
/* Device nodes: the defaults of config-linux.md (null, zero, full, random,
 * urandom, tty) and linux.devices, made with mknod, or bind-mounted from the
 * host where mknod is not allowed (a user namespace); /dev/ptmx ->
 * pts/ptmx and the /dev/fd, stdin, stdout, stderr (and core) symlinks.
 * As runc does: all of this only when config.json does not bind /dev from
 * somewhere; a path that exists already is left as it is. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"

struct dev
{
  const char *path;
  char type;
  unsigned int major, minor;
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

static const struct dev default_devices[] = {
  { "/dev/null", 'c', 1, 3, 0666, 0, 0 },    { "/dev/zero", 'c', 1, 5, 0666, 0, 0 },
  { "/dev/full", 'c', 1, 7, 0666, 0, 0 },    { "/dev/random", 'c', 1, 8, 0666, 0, 0 },
  { "/dev/urandom", 'c', 1, 9, 0666, 0, 0 }, { "/dev/tty", 'c', 5, 0, 0666, 0, 0 },
};

bool
hk_rootfs_setup_dev (const struct husk_spec *spec)
{
  for (size_t i = 0; i < spec->mounts_len; i++)
    {
      const struct husk_spec_mount *m = &spec->mounts[i];
      bool bind = m->type && strcmp (m->type, "bind") == 0;
      for (size_t j = 0; !bind && j < m->options_len; j++)
        bind = strcmp (m->options[j], "bind") == 0 || strcmp (m->options[j], "rbind") == 0;
      if (!bind || m->destination == NULL)
        continue;
      _cleanup_free_ char *d = NULL;
      struct husk_error e = { 0 };
      if (hk_path_clean (m->destination, &d, &e) == 0 && strcmp (d, "/dev") == 0)
        return false;
    }
  return true;
}

static mode_t
type_bits (char t)
{
  switch (t)
    {
    case 'b':
      return S_IFBLK;
    case 'p':
      return S_IFIFO;
    default:
      return S_IFCHR;
    }
}

/* Bind the host's node at d->path onto the container's path. */
static int
bind_device (struct husk_root *r, const struct dev *d, int pfd, const char *name,
             struct husk_error *err)
{
  int fd = openat (pfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0000);
  if (fd < 0 && errno != EEXIST)
    return husk_error_set (err, errno, "create \"%s\" in the rootfs", d->path);
  if (fd >= 0)
    close (fd);
  return hk_mount_bind_host (r, d->path, d->path, 0, false, err);
}

static int
create_device (struct husk_root *r, const struct dev *d, bool bind, struct husk_error *err)
{
  _cleanup_free_ char *clean = NULL;
  int ret = hk_path_clean (d->path, &clean, err);
  if (ret < 0)
    return ret;
  if (strcmp (clean, "/") == 0)
    return husk_error_setx (err, EINVAL, "device \"%s\": cannot mknod over the rootfs", d->path);
  char *slash = strrchr (clean, '/');
  *slash = '\0';
  _cleanup_close_ int pfd = -1;
  ret = hk_root_mkdir_p (r, clean[0] ? clean : "/", 0755, &pfd, err);
  if (ret < 0)
    return ret;
  *slash = '/';
  const char *name = slash + 1;
  struct dev dd = *d;
  dd.path = clean;
  /* a fifo needs no privilege: always mknod */
  if (bind && d->type != 'p')
    return bind_device (r, &dd, pfd, name, err);
  if (mknodat (pfd, name, type_bits (d->type) | (d->mode & 07777), makedev (d->major, d->minor))
      < 0)
    {
      if (errno == EEXIST)
        return 0;
      if (errno == EPERM && d->type != 'p')
        return bind_device (r, &dd, pfd, name, err);
      return husk_error_set (err, errno, "mknod \"%s\" (%c %u:%u)", clean, d->type, d->major,
                             d->minor);
    }
  if (fchownat (pfd, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
    return husk_error_set (err, errno, "chown \"%s\" to %u:%u", clean, (unsigned) d->uid,
                           (unsigned) d->gid);
  return 0;
}

static int
dev_symlinks (struct husk_root *r, struct husk_error *err)
{
  static const char *const links[][2] = {
    { "/proc/self/fd", "fd" },
    { "/proc/self/fd/0", "stdin" },
    { "/proc/self/fd/1", "stdout" },
    { "/proc/self/fd/2", "stderr" },
  };
  _cleanup_close_ int dfd = -1;
  int ret = hk_root_mkdir_p (r, "/dev", 0755, &dfd, err);
  if (ret < 0)
    return ret;
  for (size_t i = 0; i < ARRAY_SIZE (links); i++)
    if (symlinkat (links[i][0], dfd, links[i][1]) < 0 && errno != EEXIST)
      return husk_error_set (err, errno, "symlink \"/dev/%s\" -> \"%s\"", links[i][1], links[i][0]);
  /* /dev/core where the kernel has /proc/kcore (checked on the host) */
  if (access ("/proc/kcore", F_OK) == 0 && symlinkat ("/proc/kcore", dfd, "core") < 0
      && errno != EEXIST)
    return husk_error_set (err, errno, "symlink \"/dev/core\" -> \"/proc/kcore\"");
  /* /dev/ptmx -> pts/ptmx: the devpts instance of the container */
  if (unlinkat (dfd, "ptmx", 0) < 0 && errno != ENOENT)
    return husk_error_set (err, errno, "remove \"/dev/ptmx\"");
  if (symlinkat ("pts/ptmx", dfd, "ptmx") < 0)
    return husk_error_set (err, errno, "symlink \"/dev/ptmx\" -> \"pts/ptmx\"");
  return 0;
}

static bool
configured (const struct husk_spec *s, const char *path)
{
  const struct husk_spec_linux *l = s->linux_;
  for (size_t i = 0; l && i < l->devices_len; i++)
    {
      _cleanup_free_ char *c = NULL;
      struct husk_error e = { 0 };
      if (hk_path_clean (l->devices[i].path, &c, &e) == 0 && strcmp (c, path) == 0)
        return true;
    }
  return false;
}

int
hk_rootfs_devices (const struct husk_rootfs_opts *o, struct husk_root *r, struct husk_error *err)
{
  const struct husk_spec *s = o->spec;
  if (!hk_rootfs_setup_dev (s))
    return 0;
  mode_t old = umask (0);
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < ARRAY_SIZE (default_devices); i++)
    if (!configured (s, default_devices[i].path))
      ret = create_device (r, &default_devices[i], o->userns, err);
  const struct husk_spec_linux *l = s->linux_;
  for (size_t i = 0; ret == 0 && l && i < l->devices_len; i++)
    {
      const struct husk_spec_device *sd = &l->devices[i];
      struct dev d = {
        .path = sd->path,
        .type = sd->type[0],
        .major = sd->has_major ? (unsigned int) sd->major : 0,
        .minor = sd->has_minor ? (unsigned int) sd->minor : 0,
        .mode = sd->has_file_mode ? (mode_t) (sd->file_mode & 07777) : 0666,
        .uid = sd->has_uid ? sd->uid : 0,
        .gid = sd->has_gid ? sd->gid : 0,
      };
      ret = create_device (r, &d, o->userns, err);
      if (ret < 0)
        husk_error_prefix (err, "linux.devices[%zu]", i);
    }
  umask (old);
  if (ret == 0)
    ret = dev_symlinks (r, err);
  return ret;
}
