/* SPDX-License-Identifier: Apache-2.0 */
/* Semantic checks of "linux": namespaces, id mappings, devices, resources,
 * seccomp, memory policy, personality, paths. */
#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include "spec_internal.h"

int
husk_spec_sysctl_path (const char *key, char *out, size_t size)
{
  size_t n = strlen (key);
  if (n == 0 || n >= size)
    return -EINVAL;
  size_t sep = strcspn (key, "./");
  bool slashes = key[sep] == '/';
  char buf[n + 1];
  for (size_t i = 0; i <= n; i++)
    {
      char ch = key[i];
      if (!slashes && ch == '.')
        ch = '/';
      else if (!slashes && ch == '/')
        ch = '.';
      buf[i] = ch;
    }
  /* every component is a name: not empty, not "." or ".." */
  for (const char *p = buf;;)
    {
      size_t cl = strcspn (p, "/");
      if (cl == 0 || (cl == 1 && p[0] == '.') || (cl == 2 && p[0] == '.' && p[1] == '.'))
        return -EINVAL;
      if (p[cl] == '\0')
        break;
      p += cl + 1;
    }
  memcpy (out, buf, n + 1);
  return 0;
}

/* kernel.hostname and kernel.domainname set the UTS names: only in a new
 * UTS namespace of the container's own, and not beside the config's own
 * hostname or domainname (which one wins would be an accident of order) */
static int
check_uts_sysctl (struct spec_ctx *c, const struct husk_spec *s, const char *key, const char *path)
{
  const char *field = NULL, *value = NULL;
  if (strcmp (path, "kernel/hostname") == 0)
    field = "hostname", value = s->hostname;
  else if (strcmp (path, "kernel/domainname") == 0)
    field = "domainname", value = s->domainname;
  else
    return 0;
  if (value)
    return spec_fail_at (c, "sysctl", "\"%s\" conflicts with %s \"%s\": set one of them", key,
                         field, value);
  const struct husk_spec_namespace *uts = husk_spec_find_namespace (s, HUSK_SPEC_NS_UTS);
  if (uts == NULL || uts->path)
    return spec_fail_at (c, "sysctl", "\"%s\" requires a new uts namespace", key);
  return 0;
}

static int
check_sysctl (struct spec_ctx *c, const struct husk_spec *s)
{
  const struct husk_spec_linux *l = s->linux_;
  for (size_t i = 0; i < l->sysctl_len; i++)
    {
      const char *key = l->sysctl[i].key;
      char path[PATH_MAX];
      if (key == NULL || key[0] == '\0')
        return spec_fail_at (c, "sysctl", "empty key");
      if (husk_spec_sysctl_path (key, path, sizeof path) < 0)
        return spec_fail_at (c, "sysctl",
                             "\"%s\" is not a valid sysctl name (an empty, \".\" "
                             "or \"..\" component)",
                             key);
      int ret = check_uts_sysctl (c, s, key, path);
      if (ret < 0)
        return ret;
    }
  return 0;
}

static int
check_namespaces (struct spec_ctx *c, const struct husk_spec_linux *l)
{
  size_t old = spec_ctx_push (c, "namespaces");
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < l->namespaces_len; i++)
    {
      const struct husk_spec_namespace *ns = &l->namespaces[i];
      size_t o2 = spec_ctx_push_index (c, i);
      if (ns->type_name == NULL)
        ret = spec_fail_at (c, "type", "required");
      else if (ns->type == HUSK_SPEC_NS_UNKNOWN)
        ret = spec_fail_at (c, "type", "unknown namespace \"%s\"", ns->type_name);
      else if (ns->path && !spec_is_abs (ns->path))
        ret = spec_fail_at (c, "path", "must be an absolute path");
      for (size_t j = 0; ret == 0 && j < i; j++)
        if (l->namespaces[j].type == ns->type)
          ret = spec_fail (c, "duplicate namespace \"%s\"", ns->type_name);
      spec_ctx_pop (c, o2);
    }
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_time_offsets (struct spec_ctx *c, const struct husk_spec *s)
{
  const struct husk_spec_linux *l = s->linux_;
  if (l->time_offsets_len == 0)
    return 0;
  if (husk_spec_find_namespace (s, HUSK_SPEC_NS_TIME) == NULL)
    return spec_fail_at (c, "timeOffsets", "requires a time namespace");
  size_t old = spec_ctx_push (c, "timeOffsets");
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < l->time_offsets_len; i++)
    {
      const struct husk_spec_time_offset *t = &l->time_offsets[i];
      const char *clk = t->clock ? t->clock : "";
      size_t o2 = spec_ctx_push_mapkey (c, clk);
      if (strcmp (clk, "monotonic") != 0 && strcmp (clk, "boottime") != 0)
        ret = spec_fail (c, "unknown clock \"%s\"", clk);
      else if (t->nanosecs >= 1000000000u)
        ret = spec_fail_at (c, "nanosecs", "must be less than 1000000000");
      spec_ctx_pop (c, o2);
    }
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_devices (struct spec_ctx *c, const struct husk_spec_linux *l)
{
  size_t old = spec_ctx_push (c, "devices");
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < l->devices_len; i++)
    {
      const struct husk_spec_device *d = &l->devices[i];
      size_t o2 = spec_ctx_push_index (c, i);
      if (d->type == NULL)
        ret = spec_fail_at (c, "type", "required");
      else if (strcmp (d->type, "c") != 0 && strcmp (d->type, "b") != 0
               && strcmp (d->type, "u") != 0 && strcmp (d->type, "p") != 0)
        ret = spec_fail_at (c, "type", "unknown device type \"%s\"", d->type);
      else if (d->path == NULL)
        ret = spec_fail_at (c, "path", "required");
      else if (!spec_is_abs (d->path))
        ret = spec_fail_at (c, "path", "must be an absolute path");
      /* a fifo may have major and minor (optional for "p"): mknod ignores them */
      else if (d->type[0] != 'p' && !(d->has_major && d->has_minor))
        ret = spec_fail (c, "major and minor are required for type \"%s\"", d->type);
      else if (d->has_major && (d->major < 0 || d->major > 0xfff))
        ret = spec_fail_at (c, "major", "%" PRId64 " is out of range (0 to 4095)", d->major);
      else if (d->has_minor && (d->minor < 0 || d->minor > 0xfffff))
        ret = spec_fail_at (c, "minor", "%" PRId64 " is out of range (0 to 1048575)", d->minor);
      spec_ctx_pop (c, o2);
    }
  spec_ctx_pop (c, old);
  return ret;
}

/* A network interface name as the kernel takes it (dev_valid_name): 1 to
 * IFNAMSIZ-1 (15) bytes, no '/', ':' or blank, not "." or "..". */
static bool
ifname_ok (const char *n)
{
  size_t len = strlen (n);
  if (len == 0 || len > 15 || strcmp (n, ".") == 0 || strcmp (n, "..") == 0)
    return false;
  for (const char *p = n; *p; p++)
    if (*p == '/' || *p == ':' || isspace ((unsigned char) *p))
      return false;
  return true;
}

/* A name with '%' is a kernel template: exactly one "%d", no other '%'. */
static bool
ifname_template_ok (const char *n)
{
  const char *p = strchr (n, '%');
  return p == NULL || (p[1] == 'd' && strchr (p + 2, '%') == NULL);
}

/* The name in the container: name when set and not empty (runc treats an
 * empty name as none), else the host name. */
static const char *
net_device_target (const struct husk_spec_net_device *d)
{
  return d->name && d->name[0] ? d->name : d->host_name;
}

static int
check_net_devices (struct spec_ctx *c, const struct husk_spec *s)
{
  const struct husk_spec_linux *l = s->linux_;
  if (l->net_devices_len == 0)
    return 0;
  if (husk_spec_find_namespace (s, HUSK_SPEC_NS_NETWORK) == NULL)
    return spec_fail_at (c, "netDevices", "requires a network namespace");
  size_t old = spec_ctx_push (c, "netDevices");
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < l->net_devices_len; i++)
    {
      const struct husk_spec_net_device *d = &l->net_devices[i];
      size_t o2 = spec_ctx_push_mapkey (c, d->host_name ? d->host_name : "");
      if (d->host_name == NULL || !ifname_ok (d->host_name))
        ret = spec_fail (c, "invalid interface name \"%s\"", d->host_name ? d->host_name : "");
      else if (d->name && d->name[0] && !ifname_ok (d->name))
        ret = spec_fail_at (c, "name", "invalid interface name \"%s\"", d->name);
      else if (d->name && !ifname_template_ok (d->name))
        ret = spec_fail_at (c, "name",
                            "invalid interface name template \"%s\" (one %%d and no other %%)",
                            d->name);
      /* two devices cannot have one name; a template is made unique by the kernel */
      const char *a = ret == 0 ? net_device_target (d) : NULL;
      for (size_t j = 0; a && !strchr (a, '%') && ret == 0 && j < i; j++)
        if (strcmp (a, net_device_target (&l->net_devices[j])) == 0)
          ret = spec_fail (c, "duplicate interface name \"%s\" in the container", a);
      spec_ctx_pop (c, o2);
    }
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_memory_policy (struct spec_ctx *c, const struct husk_spec_memory_policy *m)
{
  long value;
  size_t old = spec_ctx_push (c, "memoryPolicy");
  int ret = 0;
  bool has_nodes = m->nodes && m->nodes[0];
  if (m->mode_name == NULL)
    ret = spec_fail_at (c, "mode", "required");
  else if (m->mode == HUSK_SPEC_MPOL_UNKNOWN)
    ret = spec_fail_at (c, "mode", "unknown mode \"%s\"", m->mode_name);
  else if (has_nodes && !spec_is_cpu_list (m->nodes))
    ret = spec_fail_at (c, "nodes", "invalid node list \"%s\"", m->nodes);
  else if (has_nodes && (m->mode == HUSK_SPEC_MPOL_DEFAULT || m->mode == HUSK_SPEC_MPOL_LOCAL))
    ret = spec_fail_at (c, "nodes", "must be empty for %s", m->mode_name);
  else if (!has_nodes
           && (m->mode == HUSK_SPEC_MPOL_BIND || m->mode == HUSK_SPEC_MPOL_INTERLEAVE
               || m->mode == HUSK_SPEC_MPOL_WEIGHTED_INTERLEAVE
               || m->mode == HUSK_SPEC_MPOL_PREFERRED_MANY))
    ret = spec_fail_at (c, "nodes", "required for %s", m->mode_name);
  for (size_t i = 0; ret == 0 && i < m->flags_len; i++)
    if (spec_name_value (spec_mpol_flags, m->flags[i], &value) < 0)
      {
        size_t o2 = spec_ctx_push (c, "flags");
        spec_ctx_push_index (c, i);
        ret = spec_fail (c, "unknown flag \"%s\"", m->flags[i]);
        spec_ctx_pop (c, o2);
      }
  if (ret == 0 && (m->flags_mask & HUSK_SPEC_MPOL_F_STATIC_NODES)
      && (m->flags_mask & HUSK_SPEC_MPOL_F_RELATIVE_NODES))
    ret = spec_fail_at (c, "flags",
                        "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_paths (struct spec_ctx *c, const char *key, char *const *v, size_t len)
{
  size_t old = spec_ctx_push (c, key);
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < len; i++)
    if (!spec_is_abs (v[i]))
      {
        spec_ctx_push_index (c, i);
        ret = spec_fail (c, "must be an absolute path");
      }
  spec_ctx_pop (c, old);
  return ret;
}

static const char *const propagations[] = {
  "private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable", NULL,
};

int
spec_validate_linux (struct spec_ctx *c, const struct husk_spec *s)
{
  const struct husk_spec_linux *l = s->linux_;
  bool userns = husk_spec_find_namespace (s, HUSK_SPEC_NS_USER) != NULL;
  int ret = check_namespaces (c, l);
  if (ret == 0)
    ret = spec_check_id_mappings (c, "uidMappings", l->uid_mappings, l->uid_mappings_len);
  if (ret == 0)
    ret = spec_check_id_mappings (c, "gidMappings", l->gid_mappings, l->gid_mappings_len);
  if (ret == 0 && l->uid_mappings_len > 0 && !userns)
    ret = spec_fail_at (c, "uidMappings", "requires a user namespace");
  if (ret == 0 && l->gid_mappings_len > 0 && !userns)
    ret = spec_fail_at (c, "gidMappings", "requires a user namespace");
  if (ret == 0)
    ret = check_time_offsets (c, s);
  if (ret == 0)
    ret = check_devices (c, l);
  if (ret == 0)
    ret = check_net_devices (c, s);
  if (ret == 0 && l->resources)
    {
      size_t old = spec_ctx_push (c, "resources");
      ret = spec_validate_resources (c, l->resources);
      spec_ctx_pop (c, old);
    }
  if (ret == 0 && l->intel_rdt && l->intel_rdt->clos_id)
    {
      const char *id = l->intel_rdt->clos_id;
      if (id[0] == '\0' || strchr (id, '/') || strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
        ret = spec_fail_at (c, "intelRdt.closID", "invalid name \"%s\"", id);
    }
  if (ret == 0 && l->memory_policy)
    ret = check_memory_policy (c, l->memory_policy);
  if (ret == 0)
    ret = check_sysctl (c, s);
  if (ret == 0 && l->seccomp)
    {
      size_t old = spec_ctx_push (c, "seccomp");
      ret = spec_validate_seccomp (c, l->seccomp);
      spec_ctx_pop (c, old);
    }
  if (ret == 0 && l->rootfs_propagation && l->rootfs_propagation[0]
      && spec_name_index (propagations, l->rootfs_propagation) < 0)
    ret = spec_fail_at (c, "rootfsPropagation", "unknown propagation \"%s\"",
                        l->rootfs_propagation);
  if (ret == 0)
    ret = check_paths (c, "maskedPaths", l->masked_paths, l->masked_paths_len);
  if (ret == 0)
    ret = check_paths (c, "readonlyPaths", l->readonly_paths, l->readonly_paths_len);
  if (ret == 0 && l->personality)
    {
      const struct husk_spec_personality *p = l->personality;
      size_t old = spec_ctx_push (c, "personality");
      if (p->domain_name == NULL)
        ret = spec_fail_at (c, "domain", "required");
      else if (p->domain == HUSK_SPEC_PER_UNKNOWN)
        ret = spec_fail_at (c, "domain", "unknown domain \"%s\"", p->domain_name);
      else if (p->flags_len > 0)
        {
          /* runtime-spec 1.3: "Currently no flag values are supported." */
          spec_ctx_push (c, "flags");
          spec_ctx_push_index (c, 0);
          ret = spec_fail (c, "unsupported flag \"%s\"", p->flags[0]);
        }
      spec_ctx_pop (c, old);
    }
  return ret;
}

/* ------------------------------------------------------------ resources */

/* 0 means "not set": Docker sends blockIO.weight 0, and runc accepts it. */
static int
check_weight (struct spec_ctx *c, const char *key, bool has, uint16_t w)
{
  if (has && w != 0 && (w < 10 || w > 1000))
    return spec_fail_at (c, key, "%u is out of range (10 to 1000)", (unsigned) w);
  return 0;
}

int
spec_validate_resources (struct spec_ctx *c, const struct husk_spec_resources *r)
{
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < r->devices_len; i++)
    {
      const struct husk_spec_device_cgroup *d = &r->devices[i];
      size_t old = spec_ctx_push (c, "devices");
      spec_ctx_push_index (c, i);
      if (d->type && strcmp (d->type, "a") != 0 && strcmp (d->type, "b") != 0
          && strcmp (d->type, "c") != 0)
        ret = spec_fail_at (c, "type", "unknown device type \"%s\"", d->type);
      else if (d->access && (d->access[strspn (d->access, "rwm")] != '\0'))
        ret = spec_fail_at (c, "access", "invalid access \"%s\" (a combination of r, w, m)",
                            d->access);
      spec_ctx_pop (c, old);
    }
  if (ret == 0 && r->memory && r->memory->has_swappiness && r->memory->swappiness > 100)
    ret = spec_fail_at (c, "memory.swappiness", "%" PRIu64 " is out of range (0 to 100)",
                        r->memory->swappiness);
  if (ret == 0 && r->cpu)
    {
      if (r->cpu->cpus && r->cpu->cpus[0] && !spec_is_cpu_list (r->cpu->cpus))
        ret = spec_fail_at (c, "cpu.cpus", "invalid CPU list \"%s\"", r->cpu->cpus);
      else if (r->cpu->mems && r->cpu->mems[0] && !spec_is_cpu_list (r->cpu->mems))
        ret = spec_fail_at (c, "cpu.mems", "invalid node list \"%s\"", r->cpu->mems);
    }
  if (ret == 0 && r->block_io)
    {
      const struct husk_spec_block_io *b = r->block_io;
      size_t old = spec_ctx_push (c, "blockIO");
      ret = check_weight (c, "weight", b->has_weight, b->weight);
      if (ret == 0)
        ret = check_weight (c, "leafWeight", b->has_leaf_weight, b->leaf_weight);
      for (size_t i = 0; ret == 0 && i < b->weight_device_len; i++)
        {
          size_t o2 = spec_ctx_push (c, "weightDevice");
          spec_ctx_push_index (c, i);
          ret = check_weight (c, "weight", b->weight_device[i].has_weight,
                              b->weight_device[i].weight);
          if (ret == 0)
            ret = check_weight (c, "leafWeight", b->weight_device[i].has_leaf_weight,
                                b->weight_device[i].leaf_weight);
          spec_ctx_pop (c, o2);
        }
      spec_ctx_pop (c, old);
    }
  for (size_t i = 0; ret == 0 && i < r->hugepage_limits_len; i++)
    if (r->hugepage_limits[i].page_size == NULL || r->hugepage_limits[i].page_size[0] == '\0')
      {
        size_t old = spec_ctx_push (c, "hugepageLimits");
        spec_ctx_push_index (c, i);
        ret = spec_fail_at (c, "pageSize", "required");
        spec_ctx_pop (c, old);
      }
  for (size_t i = 0; ret == 0 && r->network && i < r->network->priorities_len; i++)
    if (r->network->priorities[i].name == NULL || r->network->priorities[i].name[0] == '\0')
      {
        size_t old = spec_ctx_push (c, "network.priorities");
        spec_ctx_push_index (c, i);
        ret = spec_fail_at (c, "name", "required");
        spec_ctx_pop (c, old);
      }
  for (size_t i = 0; ret == 0 && i < r->unified_len; i++)
    {
      const char *k = r->unified[i].key;
      if (k == NULL)
        k = "";
      if (k[0] == '\0' || strchr (k, '/') || strcmp (k, ".") == 0 || strcmp (k, "..") == 0)
        {
          size_t old = spec_ctx_push (c, "unified");
          spec_ctx_push_mapkey (c, k);
          ret = spec_fail (c, "invalid cgroup file name");
          spec_ctx_pop (c, old);
        }
    }
  return ret;
}

/* ------------------------------------------------------------ seccomp */

static int
check_syscall (struct spec_ctx *c, const struct husk_spec_seccomp_syscall *sc, bool *notify)
{
  int ret = 0;
  if (sc->names_len == 0)
    ret = spec_fail_at (c, "names", "must be a non-empty array of strings");
  else if (sc->action_name == NULL)
    ret = spec_fail_at (c, "action", "required");
  else if (sc->action == HUSK_SPEC_SECCOMP_ACT_UNKNOWN)
    ret = spec_fail_at (c, "action", "unknown action \"%s\"", sc->action_name);
  if (sc->action == HUSK_SPEC_SECCOMP_ACT_NOTIFY)
    *notify = true;
  for (size_t j = 0; ret == 0 && j < sc->args_len; j++)
    {
      const struct husk_spec_seccomp_arg *a = &sc->args[j];
      size_t old = spec_ctx_push (c, "args");
      spec_ctx_push_index (c, j);
      if (a->index >= 6)
        ret = spec_fail_at (c, "index", "%" PRIu32 " is out of range (0 to 5)", a->index);
      else if (a->op_name == NULL)
        ret = spec_fail_at (c, "op", "required");
      else if (a->op == HUSK_SPEC_SECCOMP_OP_UNKNOWN)
        ret = spec_fail_at (c, "op", "unknown operator \"%s\"", a->op_name);
      spec_ctx_pop (c, old);
    }
  return ret;
}

int
spec_validate_seccomp (struct spec_ctx *c, const struct husk_spec_seccomp *s)
{
  bool notify = false;
  int ret = 0;
  if (s->default_action_name == NULL)
    return spec_fail_at (c, "defaultAction", "required");
  if (s->default_action == HUSK_SPEC_SECCOMP_ACT_UNKNOWN)
    return spec_fail_at (c, "defaultAction", "unknown action \"%s\"", s->default_action_name);
  if (s->default_action == HUSK_SPEC_SECCOMP_ACT_NOTIFY)
    return spec_fail_at (c, "defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
  for (size_t i = 0; ret == 0 && i < s->architectures_len; i++)
    if (husk_spec_seccomp_arch_from_name (s->architectures[i]) < 0)
      {
        size_t old = spec_ctx_push (c, "architectures");
        spec_ctx_push_index (c, i);
        ret = spec_fail (c, "unknown architecture \"%s\"", s->architectures[i]);
        spec_ctx_pop (c, old);
      }
  for (size_t i = 0; ret == 0 && i < s->flags_len; i++)
    if (husk_spec_seccomp_flag_from_name (s->flags[i]) < 0)
      {
        size_t old = spec_ctx_push (c, "flags");
        spec_ctx_push_index (c, i);
        ret = spec_fail (c, "unknown flag \"%s\"", s->flags[i]);
        spec_ctx_pop (c, old);
      }
  for (size_t i = 0; ret == 0 && i < s->syscalls_len; i++)
    {
      size_t old = spec_ctx_push (c, "syscalls");
      spec_ctx_push_index (c, i);
      ret = check_syscall (c, &s->syscalls[i], &notify);
      spec_ctx_pop (c, old);
    }
  if (ret == 0 && notify && (s->listener_path == NULL || s->listener_path[0] == '\0'))
    ret = spec_fail_at (c, "listenerPath", "required by SCMP_ACT_NOTIFY");
  return ret;
}
