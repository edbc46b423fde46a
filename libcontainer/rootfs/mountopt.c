/* SPDX-License-Identifier: Apache-2.0 */
/* config.json mount options -> mount(2) flags, propagation, mount_setattr(2)
 * attributes and the data string (the table of config.md, "Linux mount
 * options"). */
#include "config.h"

#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include "utils.h"
#include "rootfs/rootfs_internal.h"

enum opt_kind
{
  OPT_SET,   /* flags |= v */
  OPT_CLEAR, /* flags &= ~v */
  OPT_PROPAGATION,
  OPT_ATTR_SET,   /* recursive: attr_set |= v */
  OPT_ATTR_CLEAR, /* recursive: attr_clr |= v */
  OPT_ATIME,      /* recursive atime mode: attr_set = v, attr_clr |= _ATIME */
  OPT_BIND,
  OPT_TMPCOPYUP,
  OPT_NOTMPCOPYUP,
  OPT_IDMAP,
  OPT_RIDMAP,
};

struct opt
{
  const char *name;
  enum opt_kind kind;
  unsigned long value;
};

static const struct opt opts[] = {
  { "async", OPT_CLEAR, MS_SYNCHRONOUS },
  { "atime", OPT_CLEAR, MS_NOATIME },
  { "bind", OPT_BIND, MS_BIND },
  { "defaults", OPT_SET, 0 },
  { "dev", OPT_CLEAR, MS_NODEV },
  { "diratime", OPT_CLEAR, MS_NODIRATIME },
  { "dirsync", OPT_SET, MS_DIRSYNC },
  { "exec", OPT_CLEAR, MS_NOEXEC },
  { "iversion", OPT_SET, MS_I_VERSION },
  { "lazytime", OPT_SET, MS_LAZYTIME },
  { "loud", OPT_CLEAR, MS_SILENT },
  { "mand", OPT_SET, MS_MANDLOCK },
  { "noatime", OPT_SET, MS_NOATIME },
  { "nodev", OPT_SET, MS_NODEV },
  { "nodiratime", OPT_SET, MS_NODIRATIME },
  { "noexec", OPT_SET, MS_NOEXEC },
  { "noiversion", OPT_CLEAR, MS_I_VERSION },
  { "nolazytime", OPT_CLEAR, MS_LAZYTIME },
  { "nomand", OPT_CLEAR, MS_MANDLOCK },
  { "norelatime", OPT_CLEAR, MS_RELATIME },
  { "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
  { "nosuid", OPT_SET, MS_NOSUID },
  { "nosymfollow", OPT_SET, MS_NOSYMFOLLOW },
  { "rbind", OPT_BIND, MS_BIND | MS_REC },
  { "relatime", OPT_SET, MS_RELATIME },
  { "remount", OPT_SET, MS_REMOUNT },
  { "ro", OPT_SET, MS_RDONLY },
  { "rw", OPT_CLEAR, MS_RDONLY },
  { "silent", OPT_SET, MS_SILENT },
  { "strictatime", OPT_SET, MS_STRICTATIME },
  { "suid", OPT_CLEAR, MS_NOSUID },
  { "sync", OPT_SET, MS_SYNCHRONOUS },

  { "private", OPT_PROPAGATION, MS_PRIVATE },
  { "rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC },
  { "shared", OPT_PROPAGATION, MS_SHARED },
  { "rshared", OPT_PROPAGATION, MS_SHARED | MS_REC },
  { "slave", OPT_PROPAGATION, MS_SLAVE },
  { "rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC },
  { "unbindable", OPT_PROPAGATION, MS_UNBINDABLE },
  { "runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC },

  { "rro", OPT_ATTR_SET, HUSK_MOUNT_ATTR_RDONLY },
  { "rrw", OPT_ATTR_CLEAR, HUSK_MOUNT_ATTR_RDONLY },
  { "rnosuid", OPT_ATTR_SET, HUSK_MOUNT_ATTR_NOSUID },
  { "rsuid", OPT_ATTR_CLEAR, HUSK_MOUNT_ATTR_NOSUID },
  { "rnodev", OPT_ATTR_SET, HUSK_MOUNT_ATTR_NODEV },
  { "rdev", OPT_ATTR_CLEAR, HUSK_MOUNT_ATTR_NODEV },
  { "rnoexec", OPT_ATTR_SET, HUSK_MOUNT_ATTR_NOEXEC },
  { "rexec", OPT_ATTR_CLEAR, HUSK_MOUNT_ATTR_NOEXEC },
  { "rnodiratime", OPT_ATTR_SET, HUSK_MOUNT_ATTR_NODIRATIME },
  { "rdiratime", OPT_ATTR_CLEAR, HUSK_MOUNT_ATTR_NODIRATIME },
  { "rnosymfollow", OPT_ATTR_SET, HUSK_MOUNT_ATTR_NOSYMFOLLOW },
  { "rsymfollow", OPT_ATTR_CLEAR, HUSK_MOUNT_ATTR_NOSYMFOLLOW },
  /* The atime modes are one field of mount_setattr: setting one clears the
   * others. "ratime" (no noatime) and "rnostrictatime" fall back to the
   * kernel default, relatime; "rnorelatime" means strict atime, as
   * "norelatime" does for mount(8). */
  { "rrelatime", OPT_ATIME, HUSK_MOUNT_ATTR_RELATIME },
  { "rnorelatime", OPT_ATIME, HUSK_MOUNT_ATTR_STRICTATIME },
  { "rnoatime", OPT_ATIME, HUSK_MOUNT_ATTR_NOATIME },
  { "ratime", OPT_ATIME, HUSK_MOUNT_ATTR_RELATIME },
  { "rstrictatime", OPT_ATIME, HUSK_MOUNT_ATTR_STRICTATIME },
  { "rnostrictatime", OPT_ATIME, HUSK_MOUNT_ATTR_RELATIME },

  { "tmpcopyup", OPT_TMPCOPYUP, 0 },
  /* Podman's way to say "no tmpcopyup" (crun knows it); never data */
  { "notmpcopyup", OPT_NOTMPCOPYUP, 0 },
  /* config.md: an idmapped mount, with the mount's own maps or, without
   * them, the container's; "ridmap" on every mount of an rbind */
  { "idmap", OPT_IDMAP, 0 },
  { "ridmap", OPT_RIDMAP, 0 },
};

static const struct opt *
find_opt (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (opts); i++)
    if (strcmp (opts[i].name, name) == 0)
      return &opts[i];
  return NULL;
}

unsigned long
hk_mountopt_propagation (const char *name)
{
  const struct opt *o = name ? find_opt (name) : NULL;
  return o && o->kind == OPT_PROPAGATION ? o->value : 0;
}

static int
data_append (char **data, size_t *len, size_t *cap, const char *s, struct husk_error *err)
{
  size_t n = strlen (s);
  size_t need = *len + n + 2;
  if (need > *cap)
    {
      size_t ncap = *cap ? *cap : 64;
      while (ncap < need)
        ncap *= 2;
      char *p = realloc (*data, ncap);
      if (p == NULL)
        return husk_error_set (err, ENOMEM, "mount options");
      *data = p;
      *cap = ncap;
    }
  if (*len > 0)
    (*data)[(*len)++] = ',';
  memcpy (*data + *len, s, n + 1);
  *len += n;
  return 0;
}

int
hk_mountopt_parse (char *const *options, size_t n, struct husk_mountopt *out,
                   struct husk_error *err)
{
  size_t len = 0, cap = 0;
  memset (out, 0, sizeof *out);
  for (size_t i = 0; i < n; i++)
    {
      const char *name = options[i];
      const struct opt *o = find_opt (name);
      if (o == NULL)
        {
          if (name[0] == '\0')
            continue;
          int ret = data_append (&out->data, &len, &cap, name, err);
          if (ret < 0)
            {
              hk_mountopt_free (out);
              return ret;
            }
          continue;
        }
      switch (o->kind)
        {
        case OPT_SET:
          out->flags |= o->value;
          out->cleared &= ~o->value;
          break;
        case OPT_CLEAR:
          out->flags &= ~o->value;
          out->cleared |= o->value;
          break;
        case OPT_BIND:
          out->bind = true;
          out->flags |= o->value;
          break;
        case OPT_PROPAGATION:
          if (out->propagation_len == HUSK_MOUNTOPT_MAX_PROPAGATION)
            {
              hk_mountopt_free (out);
              return husk_error_setx (err, EINVAL, "too many propagation options (at most %d)",
                                      HUSK_MOUNTOPT_MAX_PROPAGATION);
            }
          out->propagation[out->propagation_len++] = o->value;
          break;
        case OPT_ATTR_SET:
          out->attr_set |= o->value;
          out->attr_clr &= ~(uint64_t) o->value;
          break;
        case OPT_ATTR_CLEAR:
          out->attr_clr |= o->value;
          out->attr_set &= ~(uint64_t) o->value;
          break;
        case OPT_ATIME:
          out->attr_set = (out->attr_set & ~(uint64_t) HUSK_MOUNT_ATTR__ATIME) | o->value;
          out->attr_clr |= HUSK_MOUNT_ATTR__ATIME;
          break;
        case OPT_TMPCOPYUP:
          out->tmpcopyup = true;
          break;
        case OPT_NOTMPCOPYUP:
          out->tmpcopyup = false;
          break;
        case OPT_IDMAP:
          out->idmap = true;
          break;
        case OPT_RIDMAP:
          out->idmap = out->idmap_rec = true;
          break;
        }
    }
  return 0;
}

void
hk_mountopt_free (struct husk_mountopt *m)
{
  free (m->data);
  m->data = NULL;
}

unsigned long
hk_mountopt_from_statvfs (unsigned long f)
{
  static const struct
  {
    unsigned long st, ms;
  } map[] = {
    { ST_RDONLY, MS_RDONLY },
    { ST_NOSUID, MS_NOSUID },
    { ST_NODEV, MS_NODEV },
    { ST_NOEXEC, MS_NOEXEC },
    { ST_SYNCHRONOUS, MS_SYNCHRONOUS },
    { ST_MANDLOCK, MS_MANDLOCK },
    { ST_NOATIME, MS_NOATIME },
    { ST_NODIRATIME, MS_NODIRATIME },
    { ST_RELATIME, MS_RELATIME },
#ifdef ST_NOSYMFOLLOW
    { ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
#endif
  };
  unsigned long ms = 0;
  for (size_t i = 0; i < ARRAY_SIZE (map); i++)
    if (f & map[i].st)
      ms |= map[i].ms;
  return ms;
}

const char *
hk_mountopt_name (size_t i)
{
  return i < ARRAY_SIZE (opts) ? opts[i].name : NULL;
}
