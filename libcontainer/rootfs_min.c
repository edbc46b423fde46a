/* TEMPORARY: a minimal rootfs until libcontainer/rootfs/ lands. */
#include "config.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "rootfs/rootfs.h"
#include "utils.h"

int
husk_rootfs_prepare (const struct husk_rootfs_opts *o, struct husk_error *err)
{
  if (mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
    return husk_error_set (err, errno, "make / rslave");
  if (mount (o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return husk_error_set (err, errno, "bind rootfs");
  for (size_t i = 0; i < o->spec->mounts_len; i++)
    {
      const struct husk_spec_mount *m = &o->spec->mounts[i];
      char dst[4096];
      snprintf (dst, sizeof dst, "%s%s", o->rootfs, m->destination);
      mkdir (dst, 0755);
      unsigned long fl = 0;
      char data[1024] = "";
      for (size_t j = 0; j < m->options_len; j++)
        {
          const char *op = m->options[j];
          if (!strcmp (op, "nosuid")) fl |= MS_NOSUID;
          else if (!strcmp (op, "noexec")) fl |= MS_NOEXEC;
          else if (!strcmp (op, "nodev")) fl |= MS_NODEV;
          else if (!strcmp (op, "ro")) fl |= MS_RDONLY;
          else if (!strcmp (op, "bind")) fl |= MS_BIND;
          else if (!strcmp (op, "rbind")) fl |= MS_BIND | MS_REC;
          else if (!strcmp (op, "strictatime")) fl |= MS_STRICTATIME;
          else { if (*data) strcat (data, ","); strncat (data, op, sizeof data - strlen (data) - 2); }
        }
      if (m->type && !strcmp (m->type, "cgroup"))
        continue;
      if (mount (m->source, dst, m->type, fl, *data ? data : NULL) < 0)
        {
          if (m->type && !strcmp (m->type, "sysfs"))
            {
              if (mount ("/sys", dst, NULL, MS_BIND | MS_REC, NULL) == 0)
                continue;
            }
          return husk_error_set (err, errno, "mount \"%s\" on \"%s\"", m->source ? m->source : "", m->destination);
        }
    }
  static const char *devs[] = { "null", "zero", "full", "random", "urandom", "tty" };
  for (size_t i = 0; i < ARRAY_SIZE (devs); i++)
    {
      char src[64], dst[4096];
      snprintf (src, sizeof src, "/dev/%s", devs[i]);
      snprintf (dst, sizeof dst, "%s/dev/%s", o->rootfs, devs[i]);
      int fd = open (dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
      if (fd >= 0)
        close (fd);
      mount (src, dst, NULL, MS_BIND, NULL);
    }
  char p[4096];
  snprintf (p, sizeof p, "%s/dev/ptmx", o->rootfs);
  symlink ("pts/ptmx", p);
  return 0;
}

int
husk_rootfs_pivot (const struct husk_rootfs_opts *o, struct husk_error *err)
{
  _cleanup_close_ int oldroot = open ("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  _cleanup_close_ int newroot = open (o->rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (fchdir (newroot) < 0)
    return husk_error_set (err, errno, "chdir rootfs");
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return husk_error_set (err, errno, "pivot_root");
  if (fchdir (oldroot) < 0)
    return husk_error_set (err, errno, "fchdir");
  mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL);
  if (umount2 (".", MNT_DETACH) < 0)
    return husk_error_set (err, errno, "umount old root");
  if (chdir ("/") < 0)
    return husk_error_set (err, errno, "chdir /");
  return 0;
}

int
husk_rootfs_finish (const struct husk_rootfs_opts *o, struct husk_error *err)
{
  (void) o;
  (void) err;
  return 0;
}
