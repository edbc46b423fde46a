/* SPDX-License-Identifier: Apache-2.0 */
/* The effective device rules, as runc makes them: a deny-all base, then
 * linux.resources.devices in order, then the devices every container gets
 * (runc's default list), allowed. The last matching rule wins; a wildcard
 * rule ("a", any major and minor, rwm) resets everything before it.
 *
 * linux.devices only makes nodes: it never opens the device cgroup. A
 * device listed there that linux.resources.devices does not allow cannot
 * be opened, as with runc. */
#include "config.h"
#include <inttypes.h>
#include "cgroups/internal.h"
#include "utils.h"

static const struct cg_dev_rule default_rules[] = {
  { true, 'c', -1, -1, CG_DEV_M },                        /* mknod of any char device */
  { true, 'b', -1, -1, CG_DEV_M },                        /* and any block device */
  { true, 'c', 1, 3, CG_DEV_R | CG_DEV_W | CG_DEV_M },    /* /dev/null */
  { true, 'c', 1, 5, CG_DEV_R | CG_DEV_W | CG_DEV_M },    /* /dev/zero */
  { true, 'c', 1, 7, CG_DEV_R | CG_DEV_W | CG_DEV_M },    /* /dev/full */
  { true, 'c', 1, 8, CG_DEV_R | CG_DEV_W | CG_DEV_M },    /* /dev/random */
  { true, 'c', 1, 9, CG_DEV_R | CG_DEV_W | CG_DEV_M },    /* /dev/urandom */
  { true, 'c', 5, 0, CG_DEV_R | CG_DEV_W | CG_DEV_M },    /* /dev/tty */
  { true, 'c', 5, 2, CG_DEV_R | CG_DEV_W | CG_DEV_M },    /* /dev/ptmx */
  { true, 'c', 10, 200, CG_DEV_R | CG_DEV_W | CG_DEV_M }, /* /dev/net/tun */
  { true, 'c', 136, -1,
    CG_DEV_R | CG_DEV_W | CG_DEV_M }, /* /dev/pts/N (and /dev/console, a pts bind) */
};

static int
parse_access (const char *a, unsigned *out)
{
  *out = 0;
  if (a == NULL)
    {
      *out = CG_DEV_R | CG_DEV_W | CG_DEV_M;
      return 0;
    }
  for (; *a; a++)
    switch (*a)
      {
      case 'r':
        *out |= CG_DEV_R;
        break;
      case 'w':
        *out |= CG_DEV_W;
        break;
      case 'm':
        *out |= CG_DEV_M;
        break;
      default:
        return -EINVAL;
      }
  return 0;
}

int
cg_dev_rules (const struct husk_spec_resources *r, struct cg_dev_rule **out, size_t *n,
              struct husk_error *err)
{
  size_t nr = r ? r->devices_len : 0;
  size_t cap = 1 + nr + ARRAY_SIZE (default_rules), k = 0;
  struct cg_dev_rule *v = calloc (cap, sizeof *v);
  *out = NULL;
  *n = 0;
  if (v == NULL)
    return husk_error_set (err, ENOMEM, "device rules");
  /* the base: nothing is allowed but what the rules below allow */
  v[k++] = (struct cg_dev_rule) { false, 'a', -1, -1, CG_DEV_R | CG_DEV_W | CG_DEV_M };
  for (size_t i = 0; i < nr; i++)
    {
      const struct husk_spec_device_cgroup *d = &r->devices[i];
      struct cg_dev_rule *x = &v[k++];
      x->allow = d->allow;
      x->type = d->type ? d->type[0] : 'a';
      if (d->type && (strlen (d->type) != 1 || !strchr ("acb", d->type[0])))
        {
          free (v);
          return husk_error_setx (err, EINVAL,
                                  "linux.resources.devices[%zu].type \"%s\": not a, b or c", i,
                                  d->type);
        }
      if ((d->has_major && d->major < -1) || (d->has_minor && d->minor < -1))
        {
          free (v);
          return husk_error_setx (err, EINVAL, "linux.resources.devices[%zu]: a negative %s", i,
                                  d->has_major && d->major < -1 ? "major" : "minor");
        }
      x->major = d->has_major ? d->major : -1;
      x->minor = d->has_minor ? d->minor : -1;
      if (parse_access (d->access, &x->access) < 0)
        {
          free (v);
          return husk_error_setx (err, EINVAL,
                                  "linux.resources.devices[%zu].access \"%s\": not a subset of rwm",
                                  i, d->access);
        }
    }
  for (size_t i = 0; i < ARRAY_SIZE (default_rules); i++)
    v[k++] = default_rules[i];
  *out = v;
  *n = k;
  return 0;
}

void
cg_dev_rule_str (const struct cg_dev_rule *r, char *out, size_t size)
{
  char maj[24], min[24], acc[4];
  size_t a = 0;
  if (r->major < 0)
    snprintf (maj, sizeof maj, "*");
  else
    snprintf (maj, sizeof maj, "%" PRId64, r->major);
  if (r->minor < 0)
    snprintf (min, sizeof min, "*");
  else
    snprintf (min, sizeof min, "%" PRId64, r->minor);
  if (r->access & CG_DEV_R)
    acc[a++] = 'r';
  if (r->access & CG_DEV_W)
    acc[a++] = 'w';
  if (r->access & CG_DEV_M)
    acc[a++] = 'm';
  acc[a] = '\0';
  if (r->type == 'a')
    snprintf (out, size, "a *:* %s", acc);
  else
    snprintf (out, size, "%c %s:%s %s", r->type, maj, min, acc);
}
