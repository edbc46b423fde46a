/* SPDX-License-Identifier: Apache-2.0 */
/* config.json "linux": namespaces, id mappings, time offsets, devices,
 * net devices, memory policy, sysctl, seccomp, paths, personality. */
#include "config.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "spec_internal.h"
#include "utils.h"

static int
parse_namespace (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_namespace *ns = elem;
  int ret = spec_get_str (c, v, "type", &ns->type_name);
  if (ret == 0)
    ret = spec_get_str (c, v, "path", &ns->path);
  ns->type = (enum husk_spec_ns_type) husk_spec_namespace_from_name (ns->type_name);
  return ret;
}

static int
parse_time_offset (struct spec_ctx *c, const char *key, yajl_val v, void *elem)
{
  struct husk_spec_time_offset *t = elem;
  t->clock = strdup (key);
  if (t->clock == NULL)
    return spec_oom (c);
  int ret = spec_get_i64 (c, v, "secs", INT64_MIN, INT64_MAX, &t->secs, &t->has_secs);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "nanosecs", &t->nanosecs, &t->has_nanosecs);
  return ret;
}

static int
parse_device (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_device *d = elem;
  int ret = spec_get_str (c, v, "type", &d->type);
  if (ret == 0)
    ret = spec_get_str (c, v, "path", &d->path);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "major", INT64_MIN, INT64_MAX, &d->major, &d->has_major);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "minor", INT64_MIN, INT64_MAX, &d->minor, &d->has_minor);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "fileMode", &d->file_mode, &d->has_file_mode);
  if (ret == 0)
    ret = spec_get_id (c, v, "uid", &d->uid, &d->has_uid);
  if (ret == 0)
    ret = spec_get_id (c, v, "gid", &d->gid, &d->has_gid);
  return ret;
}

static int
parse_net_device (struct spec_ctx *c, const char *key, yajl_val v, void *elem)
{
  struct husk_spec_net_device *d = elem;
  d->host_name = strdup (key);
  if (d->host_name == NULL)
    return spec_oom (c);
  return spec_get_str (c, v, "name", &d->name);
}

static int
parse_memory_policy (struct spec_ctx *c, yajl_val v, struct husk_spec_memory_policy *m)
{
  long value;
  int ret = spec_get_str (c, v, "mode", &m->mode_name);
  if (ret == 0)
    ret = spec_get_str (c, v, "nodes", &m->nodes);
  if (ret == 0)
    ret = spec_get_strv (c, v, "flags", &m->flags, &m->flags_len);
  m->mode = spec_name_value (spec_mpol_modes, m->mode_name, &value) == 0
                ? (enum husk_spec_mpol_mode) value
                : HUSK_SPEC_MPOL_UNKNOWN;
  for (size_t i = 0; i < m->flags_len; i++)
    if (spec_name_value (spec_mpol_flags, m->flags[i], &value) == 0)
      m->flags_mask |= (uint32_t) value;
  return ret;
}

static int
parse_personality (struct spec_ctx *c, yajl_val v, struct husk_spec_personality *p)
{
  long value;
  int ret = spec_get_str (c, v, "domain", &p->domain_name);
  if (ret == 0)
    ret = spec_get_strv (c, v, "flags", &p->flags, &p->flags_len);
  p->domain = spec_name_value (spec_personality_domains, p->domain_name, &value) == 0
                  ? (enum husk_spec_personality_domain) value
                  : HUSK_SPEC_PER_UNKNOWN;
  return ret;
}

/* ------------------------------------------------------------ seccomp */

static int
parse_seccomp_arg (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_seccomp_arg *a = elem;
  int ret = spec_get_u32 (c, v, "index", &a->index, NULL);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "value", UINT64_MAX, &a->value, NULL);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "valueTwo", UINT64_MAX, &a->value_two, &a->has_value_two);
  if (ret == 0)
    ret = spec_get_str (c, v, "op", &a->op_name);
  a->op = (enum husk_spec_seccomp_op) husk_spec_seccomp_op_from_name (a->op_name);
  return ret;
}

static int
parse_seccomp_syscall (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_seccomp_syscall *s = elem;
  int ret = spec_get_strv (c, v, "names", &s->names, &s->names_len);
  if (ret == 0)
    ret = spec_get_str (c, v, "action", &s->action_name);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "errnoRet", &s->errno_ret, &s->has_errno_ret);
  if (ret == 0)
    ret = spec_get_array_of (c, v, "args", sizeof *s->args, (void **) &s->args, &s->args_len,
                             parse_seccomp_arg);
  s->action = (enum husk_spec_seccomp_action) husk_spec_seccomp_action_from_name (s->action_name);
  return ret;
}

int
spec_parse_seccomp (struct spec_ctx *c, yajl_val v, struct husk_spec_seccomp **out)
{
  struct husk_spec_seccomp *s = calloc (1, sizeof *s);
  if (s == NULL)
    return spec_oom (c);
  *out = s;
  int ret = spec_get_str (c, v, "defaultAction", &s->default_action_name);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "defaultErrnoRet", &s->default_errno_ret, &s->has_default_errno_ret);
  if (ret == 0)
    ret = spec_get_strv (c, v, "architectures", &s->architectures, &s->architectures_len);
  if (ret == 0)
    ret = spec_get_strv (c, v, "flags", &s->flags, &s->flags_len);
  if (ret == 0)
    ret = spec_get_str (c, v, "listenerPath", &s->listener_path);
  if (ret == 0)
    ret = spec_get_str (c, v, "listenerMetadata", &s->listener_metadata);
  if (ret == 0)
    ret = spec_get_array_of (c, v, "syscalls", sizeof *s->syscalls, (void **) &s->syscalls,
                             &s->syscalls_len, parse_seccomp_syscall);
  s->default_action = (enum husk_spec_seccomp_action) husk_spec_seccomp_action_from_name (
      s->default_action_name);
  for (size_t i = 0; i < s->flags_len; i++)
    {
      int bit = husk_spec_seccomp_flag_from_name (s->flags[i]);
      if (bit >= 0)
        s->flags_mask |= 1u << bit;
    }
  return ret;
}

/* ------------------------------------------------------------ linux */

static int
parse_memory_policy_obj (struct spec_ctx *c, yajl_val v, struct husk_spec_memory_policy **out)
{
  *out = calloc (1, sizeof **out);
  return *out ? parse_memory_policy (c, v, *out) : spec_oom (c);
}

static int
parse_personality_obj (struct spec_ctx *c, yajl_val v, struct husk_spec_personality **out)
{
  *out = calloc (1, sizeof **out);
  return *out ? parse_personality (c, v, *out) : spec_oom (c);
}

int
spec_parse_linux (struct spec_ctx *c, yajl_val v, struct husk_spec_linux **out)
{
  struct husk_spec_linux *l = calloc (1, sizeof *l);
  if (l == NULL)
    return spec_oom (c);
  *out = l;
  int ret = spec_get_array_of (c, v, "namespaces", sizeof *l->namespaces, (void **) &l->namespaces,
                               &l->namespaces_len, parse_namespace);
  if (ret == 0)
    ret = spec_get_id_mappings (c, v, "uidMappings", &l->uid_mappings, &l->uid_mappings_len);
  if (ret == 0)
    ret = spec_get_id_mappings (c, v, "gidMappings", &l->gid_mappings, &l->gid_mappings_len);
  if (ret == 0)
    ret = spec_get_map_of (c, v, "timeOffsets", sizeof *l->time_offsets, (void **) &l->time_offsets,
                           &l->time_offsets_len, parse_time_offset);
  if (ret == 0)
    ret = spec_get_array_of (c, v, "devices", sizeof *l->devices, (void **) &l->devices,
                             &l->devices_len, parse_device);
  if (ret == 0)
    ret = spec_get_map_of (c, v, "netDevices", sizeof *l->net_devices, (void **) &l->net_devices,
                           &l->net_devices_len, parse_net_device);
  if (ret == 0)
    ret = spec_get_str (c, v, "cgroupsPath", &l->cgroups_path);
  PARSE_OBJECT (c, v, "resources", l->resources, spec_parse_resources);
  PARSE_OBJECT (c, v, "intelRdt", l->intel_rdt, spec_parse_intel_rdt);
  PARSE_OBJECT (c, v, "memoryPolicy", l->memory_policy, parse_memory_policy_obj);
  if (ret == 0)
    ret = spec_get_kv (c, v, "sysctl", &l->sysctl, &l->sysctl_len);
  PARSE_OBJECT (c, v, "seccomp", l->seccomp, spec_parse_seccomp);
  if (ret == 0)
    ret = spec_get_str (c, v, "rootfsPropagation", &l->rootfs_propagation);
  if (ret == 0)
    ret = spec_get_strv (c, v, "maskedPaths", &l->masked_paths, &l->masked_paths_len);
  if (ret == 0)
    ret = spec_get_strv (c, v, "readonlyPaths", &l->readonly_paths, &l->readonly_paths_len);
  if (ret == 0)
    ret = spec_get_str (c, v, "mountLabel", &l->mount_label);
  PARSE_OBJECT (c, v, "personality", l->personality, parse_personality_obj);
  return ret;
}
