/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "security/label.h"
#include "utils.h"

#define SELINUX_MAGIC 0xf97cff8c

static void
under (const char *root, const char *path, char *buf, size_t size)
{
  snprintf (buf, size, "%s%s", root && strcmp (root, "/") != 0 ? root : "", path);
}

bool
hk_selinux_enabled (const char *root)
{
  char p[4096];
  struct statfs sfs;
  under (root, "/sys/fs/selinux", p, sizeof p);
  if (root == NULL || strcmp (root, "/") == 0)
    return statfs (p, &sfs) == 0 && (unsigned long) sfs.f_type == SELINUX_MAGIC;
  /* a fake root: the selinuxfs is a directory holding "enforce" */
  under (root, "/sys/fs/selinux/enforce", p, sizeof p);
  return access (p, F_OK) == 0;
}

bool
hk_apparmor_enabled (const char *root)
{
  char p[4096], c = 0;
  under (root, "/sys/module/apparmor/parameters/enabled", p, sizeof p);
  int fd = open (p, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  ssize_t n = read (fd, &c, 1);
  close (fd);
  return n == 1 && c == 'Y';
}

static int
write_attr (int procfd, const char *rel, const char *value, struct husk_error *err)
{
  char path[256];
  snprintf (path, sizeof path, "/proc/%s", rel);
  _cleanup_close_ int fd = openat (procfd, rel, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return husk_error_set (err, errno, "open %s", path);
  /* on the real /proc, nothing else may receive the label */
  struct statfs sfs;
  if (fstatfs (procfd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC
      && (fstatfs (fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC))
    return husk_error_setx (err, EXDEV, "%s is not on procfs: refusing to write to it", path);
  if (hk_write_all (fd, value, strlen (value)) < 0)
    return husk_error_set (err, errno, "write \"%s\" to %s", value, path);
  return 0;
}

int
hk_selinux_set_exec_label (int procfd, const char *label, const char *field, struct husk_error *err)
{
  if (label == NULL || *label == '\0')
    return 0;
  int ret = write_attr (procfd, "thread-self/attr/exec", label, err);
  return ret < 0 ? husk_error_prefix (err, "%s", field) : 0;
}

int
hk_apparmor_set_exec_profile (int procfd, const char *profile, const char *field,
                              struct husk_error *err)
{
  if (profile == NULL || *profile == '\0')
    return 0;
  const char *rel = "self/attr/apparmor/exec";
  if (faccessat (procfd, rel, F_OK, 0) < 0)
    rel = "self/attr/exec";
  _cleanup_free_ char *value = NULL;
  if (asprintf (&value, "exec %s", profile) < 0)
    return husk_error_set (err, ENOMEM, "%s", field);
  int ret = write_attr (procfd, rel, value, err);
  return ret < 0 ? husk_error_prefix (err, "%s", field) : 0;
}

int
hk_selinux_mount_data (const char *root, const char *data, const char *label, char **out,
                       struct husk_error *err)
{
  int r;
  if (label == NULL || *label == '\0' || !hk_selinux_enabled (root))
    r = asprintf (out, "%s", data ? data : "");
  else if (data && *data)
    r = asprintf (out, "%s,context=\"%s\"", data, label);
  else
    r = asprintf (out, "context=\"%s\"", label);
  if (r < 0)
    {
      *out = NULL;
      return husk_error_set (err, ENOMEM, "mount label");
    }
  return 0;
}

int
hk_labels_check (const char *root, const char *selinux_label, const char *selinux_field,
                 const char *apparmor_profile, const char *apparmor_field, struct husk_error *err)
{
  if (selinux_label && *selinux_label && !hk_selinux_enabled (root))
    return husk_error_setx (err, ENOTSUP, "%s \"%s\": SELinux is not enabled on this host",
                            selinux_field, selinux_label);
  if (apparmor_profile && *apparmor_profile && !hk_apparmor_enabled (root))
    return husk_error_setx (err, ENOTSUP, "%s \"%s\": AppArmor is not enabled on this host",
                            apparmor_field, apparmor_profile);
  return 0;
}
