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
#include "husk/error.h"
#include "husk/spec.h"

struct husk_rootfs_opts {
  const struct husk_spec *spec;
  const char *bundle;     /* absolute path of the bundle */
  const char *rootfs;     /* absolute path of the root (root.path resolved) */
  bool no_pivot;          /* --no-pivot */
  bool userns;            /* the init is in a new user namespace: mknod is
                             not allowed, devices are bind-mounted from the host */
  bool cgroupns;          /* the init has a new cgroup namespace */
};

int hk_rootfs_prepare (const struct husk_rootfs_opts *o, struct husk_error *err);
int hk_rootfs_pivot (const struct husk_rootfs_opts *o, struct husk_error *err);
int hk_rootfs_finish (const struct husk_rootfs_opts *o, struct husk_error *err);

#endif
