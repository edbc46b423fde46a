/* SPDX-License-Identifier: Apache-2.0 */
/* The three entry points of rootfs.h: they find the rootfs and hand over to
 * the files that do each part. */
#include "config.h"

#include <fcntl.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"

static int
check_opts (const struct husk_rootfs_opts *o, struct husk_error *err)
{
  if (o == NULL || o->spec == NULL || o->rootfs == NULL || o->rootfs[0] != '/')
    return husk_error_setx (err, EINVAL, "rootfs: the rootfs must be an absolute path");
  if (o->bundle == NULL || o->bundle[0] != '/')
    return husk_error_setx (err, EINVAL, "rootfs: the bundle must be an absolute path");
  return 0;
}

int
hk_rootfs_prepare (const struct husk_rootfs_opts *o, struct husk_error *err)
{
  int ret = check_opts (o, err);
  if (ret < 0)
    return ret;
  /* refuse a bad linux.sysctl before anything is mounted */
  ret = hk_sysctl_validate (o->spec, err);
  if (ret < 0)
    return ret;

  _cleanup_free_ char *rootfs = realpath (o->rootfs, NULL);
  if (rootfs == NULL)
    return husk_error_set (err, errno, "rootfs \"%s\"", o->rootfs);
  ret = hk_rootfs_prepare_root (o, rootfs, err);
  if (ret < 0)
    return ret;

  /* opened after the bind so that every lookup starts on the bind mount */
  struct husk_root r = { .fd = -1 };
  ret = hk_root_open (&r, rootfs, err);
  if (ret < 0)
    return ret;
  ret = hk_rootfs_do_mounts (o, &r, err);
  if (ret == 0)
    ret = hk_rootfs_devices (o, &r, err);
  hk_root_close (&r);
  return ret;
}

int
hk_rootfs_pivot (const struct husk_rootfs_opts *o, struct husk_error *err)
{
  int ret = check_opts (o, err);
  if (ret < 0)
    return ret;
  _cleanup_free_ char *rootfs = realpath (o->rootfs, NULL);
  if (rootfs == NULL)
    return husk_error_set (err, errno, "rootfs \"%s\"", o->rootfs);
  return hk_rootfs_do_pivot (o, rootfs, err);
}

int
hk_rootfs_finish (const struct husk_rootfs_opts *o, struct husk_error *err)
{
  int ret = check_opts (o, err);
  if (ret < 0)
    return ret;
  struct husk_root r = { .fd = -1 };
  ret = hk_root_open (&r, "/", err);
  if (ret < 0)
    return ret;
  r.chrooted = true;
  ret = hk_rootfs_do_finish (o, &r, err);
  hk_root_close (&r);
  return ret;
}
