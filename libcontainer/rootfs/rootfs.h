/* SPDX-License-Identifier: Apache-2.0 */
/* The container's root filesystem, set up by the init inside its new mount
 * namespace, in three steps around the createContainer hooks:
 *
 *   hk_rootfs_prepare   propagation of "/", the rootfs bind-mounted onto
 *                         itself, config.json's mounts in order, the default
 *                         and configured devices, /dev symlinks
 *   (createContainer hooks run here, by the caller)
 *   hk_rootfs_pivot     pivot_root (or MS_MOVE + chroot with no_pivot),
 *                         old root detached, cwd "/"
 *   (the caller sets up /dev/console here when process.terminal)
 *   hk_rootfs_finish    sysctl, maskedPaths, readonlyPaths, root.readonly,
 *                         linux.rootfsPropagation
 *
 * Every path inside the rootfs is resolved without leaving it, and mounts go
 * onto fds (/proc/self/fd/N), never onto a path the container could swap. */
#ifndef HUSK_ROOTFS_H
#define HUSK_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/spec.h"

struct husk_rootfs_opts
{
  const struct husk_spec *spec;
  const char *bundle;  /* absolute path of the bundle */
  const char *rootfs;  /* absolute path of the root (root.path resolved) */
  bool no_pivot;       /* --no-pivot */
  bool userns;         /* the init is in a new user namespace: mknod is
                             not allowed, devices are bind-mounted from the host */
  bool cgroupns;       /* the init has a new cgroup namespace */
  const int *bind_fds; /* per config mount: its bind source, opened by
                          hk_rootfs_open_bind_sources; -1 or NULL: the
                          init opens the source itself */
};

/* Before the init enters a user namespace: the source of every bind mount
 * of the config, cloned on the host (open_tree OPEN_TREE_CLONE, recursive
 * for rbind), so that a source that the container's root cannot reach
 * still works. *fds gets one fd per config mount (-1 where it is not a
 * bind), or NULL when there is none or the kernel lacks open_tree; *len its
 * length. Free with hk_rootfs_close_bind_sources. */
int hk_rootfs_open_bind_sources (const struct husk_spec *spec, const char *bundle, int **fds,
                                 size_t *len, struct husk_error *err);
void hk_rootfs_close_bind_sources (int *fds, size_t len);

int hk_rootfs_prepare (const struct husk_rootfs_opts *o, struct husk_error *err);
int hk_rootfs_pivot (const struct husk_rootfs_opts *o, struct husk_error *err);
int hk_rootfs_finish (const struct husk_rootfs_opts *o, struct husk_error *err);

/* What the rest of libhusk uses of the module: paths resolved inside a
 * root (the process's cwd), the mount option names (features). */
/* The i-th option name of the table (for `husk features`), NULL past the end. */
const char *hk_mountopt_name (size_t i);

/* Where the rootfs is: an O_PATH fd of its top directory and its canonical
 * host path ("/" after pivot). */
struct husk_root
{
  int fd;
  char *path;
  bool no_openat2; /* force the fallback (tests; old kernels) */
  bool chrooted;   /* after pivot: path is "/" and no container
                                   process exists yet, so a container path may
                                   serve as a mount target when /proc is absent */
};

int hk_root_open (struct husk_root *r, const char *path, struct husk_error *err);
void hk_root_close (struct husk_root *r);

/* Open path (a container path) inside the root: symlinks are followed but
 * can never leave the root ("/" and ".." stop at it), magic links are
 * refused. flags are open(2)'s (O_CLOEXEC is added). openat2 with
 * RESOLVE_IN_ROOT, or a component-by-component walk where the kernel lacks
 * it. Returns the fd, or -errno. */
int hk_root_open_at (struct husk_root *r, const char *path, int flags, mode_t mode);

/* Create path as a directory (mkdir -p) inside the root; the fd (O_PATH) of
 * the final directory in *fd when fd is not NULL. */
int hk_root_mkdir_p (struct husk_root *r, const char *path, mode_t mode, int *fd,
                     struct husk_error *err);

#endif
