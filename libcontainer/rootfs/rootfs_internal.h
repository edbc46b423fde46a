/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces of the rootfs module, shared by its files:
 *
 *   mountopt.c  config.json mount options -> flags, propagation, attributes, data
 *   resolve.c   path joining and resolution that never leaves the rootfs
 *   mount.c     config.json's mounts (bind, tmpfs with tmpcopyup, proc, ...)
 *   cgroup.c    the "cgroup" mount type (v1 per controller, or cgroup2)
 *   devices.c   default and configured device nodes, /dev symlinks
 *   pivot.c     propagation of "/", the rootfs bind, pivot_root / MS_MOVE
 *   finish.c    sysctl, readonlyPaths, maskedPaths, root.readonly
 *   rootfs.c    the three entry points of rootfs.h */
#ifndef HUSK_ROOTFS_INTERNAL_H
#define HUSK_ROOTFS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/spec.h"
#include "rootfs/rootfs.h"

/* ------------------------------------------------------------ kernel ABI */

/* Defined here (not from <sys/mount.h>) so that husk builds with a libc that
 * predates the new mount API; the values are the kernel's. */
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

#define HUSK_MOUNT_ATTR_RDONLY 0x00000001
#define HUSK_MOUNT_ATTR_NOSUID 0x00000002
#define HUSK_MOUNT_ATTR_NODEV 0x00000004
#define HUSK_MOUNT_ATTR_NOEXEC 0x00000008
#define HUSK_MOUNT_ATTR__ATIME 0x00000070
#define HUSK_MOUNT_ATTR_RELATIME 0x00000000
#define HUSK_MOUNT_ATTR_NOATIME 0x00000010
#define HUSK_MOUNT_ATTR_STRICTATIME 0x00000020
#define HUSK_MOUNT_ATTR_NODIRATIME 0x00000080
#define HUSK_MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#define HUSK_MOUNT_ATTR_IDMAP 0x00100000

struct husk_mount_attr
{
  uint64_t attr_set;
  uint64_t attr_clr;
  uint64_t propagation;
  uint64_t userns_fd;
};

/* ------------------------------------------------------------ mountopt.c */

#define HUSK_MOUNTOPT_MAX_PROPAGATION 8

/* One mount's options, as mount(2) and mount_setattr(2) want them. */
struct husk_mountopt
{
  unsigned long flags;   /* MS_* to pass (propagation excluded) */
  unsigned long cleared; /* MS_* an option explicitly cleared ("rw": MS_RDONLY) */
  unsigned long propagation[HUSK_MOUNTOPT_MAX_PROPAGATION]; /* in the order given */
  size_t propagation_len;
  uint64_t attr_set; /* MOUNT_ATTR_* of the recursive options */
  uint64_t attr_clr;
  bool bind; /* "bind" or "rbind" */
  bool tmpcopyup;
  bool idmap;     /* "idmap" or "ridmap": an idmapped bind mount */
  bool idmap_rec; /* "ridmap": the idmap on every mount of the tree */
  char *data;     /* the other options, comma-joined; NULL if none */
};

/* Translate options (as config.md's table defines them). Unknown options go
 * to data. Never fails except for ENOMEM and too many propagation options. */
int hk_mountopt_parse (char *const *options, size_t n, struct husk_mountopt *out,
                       struct husk_error *err);
void hk_mountopt_free (struct husk_mountopt *m);

/* The MS_* propagation flag of a name ("rslave" -> MS_SLAVE|MS_REC), 0 if unknown. */
unsigned long hk_mountopt_propagation (const char *name);

/* MS_* flags that remounting a mount must keep: those of statvfs' f_flag
 * (ST_RDONLY, ST_NOSUID, ...) translated to MS_*. */
unsigned long hk_mountopt_from_statvfs (unsigned long st_flags);

/* ------------------------------------------------------------ resolve.c */

/* Lexically clean an absolute path inside the container: "/" joined with
 * path (relative paths are taken from "/"), "." and ".." removed (never above
 * "/"), duplicate slashes folded. The result starts with "/". */
int hk_path_clean (const char *path, char **out, struct husk_error *err);

/* a "/" b, cleaned (b is taken as relative even when it starts with "/"). */
int hk_path_join (const char *a, const char *b, char **out, struct husk_error *err);

/* True when path (clean) is prefix or below it ("/proc/sys" is below "/proc"). */
bool hk_path_has_prefix (const char *path, const char *prefix);

/* The container path (relative to the root, starting with "/") of an fd that
 * was opened inside it, e.g. to check that a resolved destination is not
 * under /proc. */
int hk_root_fd_path (struct husk_root *r, int fd, char **out, struct husk_error *err);

/* The container path that path leads to, existing or not: each component
 * is looked up inside the root, symlinks (dangling ones too) are followed
 * there by hand (an absolute target starts at the root, ".." stops at it,
 * procfs links are refused), and what does not exist is kept as written.
 * The result is clean and starts with "/". */
int hk_root_resolve_path (struct husk_root *r, const char *path, char **out,
                          struct husk_error *err);

/* Make sure path exists inside the root: its parents as directories, itself
 * as a directory (dir) or an empty regular file. An existing path of any type
 * is kept; a missing path behind a dangling symlink is made where the
 * symlink points, inside the root (hk_root_resolve_path). Returns an O_PATH
 * fd of it in *fd. */
int hk_root_mkpath (struct husk_root *r, const char *path, bool dir, mode_t mode, int *fd,
                    struct husk_error *err);

/* "/proc/self/fd/N" for fd. */
#define HUSK_FD_PATH_MAX 32
void hk_fd_path (int fd, char buf[HUSK_FD_PATH_MAX]);

/* ------------------------------------------------------------ mount.c */

/* mount(2) onto the destination fd (via /proc/self/fd/N); the message names
 * the source and the container path. */
int hk_mount_on_fd (struct husk_root *r, const char *source, int fd, const char *cpath,
                    const char *type, unsigned long flags, const char *data,
                    struct husk_error *err);

/* Remount the mount at fd with flags (MS_BIND|MS_REMOUNT added), keeping the
 * locked flags of the current mount when the kernel insists (EPERM). */
int hk_remount_fd (struct husk_root *r, int fd, const char *cpath, unsigned long flags,
                   struct husk_error *err);

/* Apply a mount's propagation and recursive attributes to the mount at fd. */
int hk_mount_apply_extra (struct husk_root *r, int fd, const char *cpath,
                          const struct husk_mountopt *mo, struct husk_error *err);

/* Every mount of config.json, in order. */
int hk_rootfs_do_mounts (const struct husk_rootfs_opts *o, struct husk_root *r,
                         struct husk_error *err);

/* Bind-mount the host path src (dir or file) onto the container path dest. */
int hk_mount_bind_host (struct husk_root *r, const char *src, const char *dest,
                        unsigned long extra_flags, bool recursive, struct husk_error *err);

/* A config mount that is mounted writable and made read-only only by
 * hk_rootfs_finish (a tmpfs, or anything on /dev), as runc does. */
bool hk_mount_defers_readonly (const struct husk_spec_mount *m, const char *dest);

/* The cleaned destination of a config mount ("dev" -> "/dev"). */
int hk_mount_destination (const struct husk_spec_mount *m, char **out, struct husk_error *err);

/* ------------------------------------------------------------ copyup.c */

/* Copy the tree under directory src into directory dst (tmpcopyup): files,
 * directories, symlinks, device nodes and fifos with their owner, mode and
 * times. The owner (and, with root_mode, the mode) of src itself goes to dst. */
int hk_copy_tree (int src, int dst, bool root_mode, struct husk_error *err);

/* ------------------------------------------------------------ cgroup.c */

int hk_mount_cgroup (const struct husk_rootfs_opts *o, struct husk_root *r,
                     const struct husk_spec_mount *m, const char *dest,
                     const struct husk_mountopt *mo, struct husk_error *err);

/* ------------------------------------------------------------ devices.c */

int hk_rootfs_devices (const struct husk_rootfs_opts *o, struct husk_root *r,
                       struct husk_error *err);

/* True unless config.json bind-mounts /dev from somewhere (then husk leaves
 * /dev alone, as runc does). */
bool hk_rootfs_setup_dev (const struct husk_spec *spec);

/* ------------------------------------------------------------ pivot.c */

int hk_rootfs_prepare_root (const struct husk_rootfs_opts *o, const char *rootfs,
                            struct husk_error *err);
int hk_rootfs_do_pivot (const struct husk_rootfs_opts *o, const char *rootfs,
                        struct husk_error *err);

/* ------------------------------------------------------------ finish.c */

/* Check linux.sysctl against the namespaces of the config (runc's rules). */
int hk_sysctl_validate (const struct husk_spec *spec, struct husk_error *err);

int hk_rootfs_do_finish (const struct husk_rootfs_opts *o, struct husk_root *r,
                         struct husk_error *err);

#endif
