/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <linux/nsfs.h>
#include "husk/spec.h"
#include "namespaces.h"
#include "utils.h"
#include "syscalls.h"

/* The one namespace table, in the order of enum husk_spec_ns_type. */
static const struct husk_ns_info ns_table[HUSK_SPEC_NS__COUNT] = {
  [HUSK_SPEC_NS_PID] = { "pid", "pid", CLONE_NEWPID },
  [HUSK_SPEC_NS_NETWORK] = { "network", "net", CLONE_NEWNET },
  [HUSK_SPEC_NS_MOUNT] = { "mount", "mnt", CLONE_NEWNS },
  [HUSK_SPEC_NS_IPC] = { "ipc", "ipc", CLONE_NEWIPC },
  [HUSK_SPEC_NS_UTS] = { "uts", "uts", CLONE_NEWUTS },
  [HUSK_SPEC_NS_USER] = { "user", "user", CLONE_NEWUSER },
  [HUSK_SPEC_NS_CGROUP] = { "cgroup", "cgroup", CLONE_NEWCGROUP },
  [HUSK_SPEC_NS_TIME] = { "time", "time", CLONE_NEWTIME },
};

const struct husk_ns_info *
hk_ns_by_type (int type)
{
  return type >= 0 && type < HUSK_SPEC_NS__COUNT ? &ns_table[type] : NULL;
}

const struct husk_ns_info *
hk_ns_by_name (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (ns_table); i++)
    if (strcmp (ns_table[i].name, name) == 0)
      return &ns_table[i];
  return NULL;
}

const struct husk_ns_info *
hk_ns_by_flag (int flag)
{
  for (size_t i = 0; i < ARRAY_SIZE (ns_table); i++)
    if (ns_table[i].flag == flag)
      return &ns_table[i];
  return NULL;
}

int
hk_ns_open_path (const char *path, const struct husk_ns_info *ns, int *fd, struct husk_error *err)
{
  _cleanup_close_ int f = open (path, O_RDONLY | O_CLOEXEC);
  if (f < 0)
    return husk_error_set (err, errno, "%s namespace \"%s\"", ns->name, path);
  int type = ioctl (f, NS_GET_NSTYPE);
  if (type < 0)
    return husk_error_setx (err, EINVAL, "%s namespace \"%s\": not a namespace file", ns->name,
                            path);
  if (type != ns->flag)
    {
      const struct husk_ns_info *other = hk_ns_by_flag (type);
      return husk_error_setx (err, EINVAL, "%s namespace \"%s\": is a %s namespace", ns->name, path,
                              other ? other->name : "different");
    }
  *fd = steal_fd (&f);
  return 0;
}
