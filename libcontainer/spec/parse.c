/* SPDX-License-Identifier: Apache-2.0 */
/* config.json -> struct husk_spec: the top level, process, root, mounts,
 * hooks and annotations; husk_spec_parse and husk_spec_load. */
#include "config.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "spec_internal.h"
#include "utils.h"

/* ------------------------------------------------------------ process */

static int
parse_user (struct spec_ctx *c, yajl_val v, struct husk_spec_user *u)
{
  int ret = spec_get_id (c, v, "uid", &u->uid, NULL);
  if (ret == 0)
    ret = spec_get_id (c, v, "gid", &u->gid, NULL);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "umask", &u->umask, &u->has_umask);
  if (ret < 0)
    return ret;
  yajl_val gids = spec_lookup (v, "additionalGids");
  if (gids == NULL)
    return 0;
  size_t old = spec_ctx_push (c, "additionalGids");
  ret = spec_val_array (c, gids);
  if (ret == 0)
    {
      size_t n = gids->u.array.len;
      u->additional_gids = calloc (n ? n : 1, sizeof *u->additional_gids);
      if (u->additional_gids == NULL)
        ret = spec_oom (c);
      for (size_t i = 0; ret == 0 && i < n; i++)
        {
          uint64_t g;
          size_t o2 = spec_ctx_push_index (c, i);
          ret = spec_val_uint (c, gids->u.array.values[i], HUSK_UGID_MAX, &g);
          spec_ctx_pop (c, o2);
          if (ret == 0)
            {
              u->additional_gids[i] = (uint32_t) g;
              u->additional_gids_len = i + 1;
            }
        }
    }
  spec_ctx_pop (c, old);
  return ret;
}

static int
parse_capabilities (struct spec_ctx *c, yajl_val v, struct husk_spec_capabilities *caps)
{
  int ret = spec_get_strv (c, v, "bounding", &caps->bounding, &caps->bounding_len);
  if (ret == 0)
    ret = spec_get_strv (c, v, "effective", &caps->effective, &caps->effective_len);
  if (ret == 0)
    ret = spec_get_strv (c, v, "inheritable", &caps->inheritable, &caps->inheritable_len);
  if (ret == 0)
    ret = spec_get_strv (c, v, "permitted", &caps->permitted, &caps->permitted_len);
  if (ret == 0)
    ret = spec_get_strv (c, v, "ambient", &caps->ambient, &caps->ambient_len);
  return ret;
}

static int
parse_rlimit (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_rlimit *r = elem;
  int ret = spec_get_str (c, v, "type", &r->type);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "soft", UINT64_MAX, &r->soft, NULL);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "hard", UINT64_MAX, &r->hard, NULL);
  r->resource = husk_spec_rlimit_from_name (r->type);
  return ret;
}

static int
parse_io_priority (struct spec_ctx *c, yajl_val v, struct husk_spec_io_priority *p)
{
  long value;
  int ret = spec_get_str (c, v, "class", &p->class_name);
  if (ret == 0)
    ret = spec_get_i32 (c, v, "priority", &p->priority, &p->has_priority);
  p->class_ = spec_name_value (spec_ioprio_classes, p->class_name, &value) == 0
                  ? (enum husk_spec_ioprio_class) value
                  : HUSK_SPEC_IOPRIO_CLASS_UNKNOWN;
  return ret;
}

static int
parse_scheduler (struct spec_ctx *c, yajl_val v, struct husk_spec_scheduler *s)
{
  long value;
  int ret = spec_get_str (c, v, "policy", &s->policy_name);
  if (ret == 0)
    ret = spec_get_i32 (c, v, "nice", &s->nice, &s->has_nice);
  if (ret == 0)
    ret = spec_get_i32 (c, v, "priority", &s->priority, &s->has_priority);
  if (ret == 0)
    ret = spec_get_strv (c, v, "flags", &s->flags, &s->flags_len);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "runtime", UINT64_MAX, &s->runtime, &s->has_runtime);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "deadline", UINT64_MAX, &s->deadline, &s->has_deadline);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "period", UINT64_MAX, &s->period, &s->has_period);
  s->policy = spec_name_value (spec_sched_policies, s->policy_name, &value) == 0
                  ? (enum husk_spec_sched_policy) value
                  : HUSK_SPEC_SCHED_UNKNOWN;
  for (size_t i = 0; i < s->flags_len; i++)
    if (spec_name_value (spec_sched_flags, s->flags[i], &value) == 0)
      s->flags_mask |= (uint64_t) value;
  return ret;
}

static int
parse_process (struct spec_ctx *c, yajl_val v, struct husk_spec_process *p)
{
  yajl_val o;
  int ret = spec_get_bool (c, v, "terminal", &p->terminal, NULL);
  if (ret == 0)
    ret = spec_get_object (c, v, "consoleSize", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "consoleSize");
      p->has_console_size = true;
      ret = spec_get_u32 (c, o, "height", &p->console_height, NULL);
      if (ret == 0)
        ret = spec_get_u32 (c, o, "width", &p->console_width, NULL);
      spec_ctx_pop (c, old);
    }
  if (ret == 0)
    ret = spec_get_object (c, v, "user", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "user");
      ret = parse_user (c, o, &p->user);
      spec_ctx_pop (c, old);
    }
  if (ret == 0)
    ret = spec_get_strv (c, v, "args", &p->args, &p->args_len);
  if (ret == 0)
    ret = spec_get_str (c, v, "commandLine", &p->command_line);
  if (ret == 0)
    ret = spec_get_strv (c, v, "env", &p->env, &p->env_len);
  if (ret == 0)
    ret = spec_get_str (c, v, "cwd", &p->cwd);
  if (ret == 0)
    ret = spec_get_object (c, v, "capabilities", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "capabilities");
      p->capabilities = calloc (1, sizeof *p->capabilities);
      ret = p->capabilities ? parse_capabilities (c, o, p->capabilities) : spec_oom (c);
      spec_ctx_pop (c, old);
    }
  if (ret == 0)
    ret = spec_get_array_of (c, v, "rlimits", sizeof *p->rlimits, (void **) &p->rlimits,
                             &p->rlimits_len, parse_rlimit);
  if (ret == 0)
    ret = spec_get_bool (c, v, "noNewPrivileges", &p->no_new_privileges, NULL);
  if (ret == 0)
    ret = spec_get_str (c, v, "apparmorProfile", &p->apparmor_profile);
  if (ret == 0)
    ret = spec_get_i32 (c, v, "oomScoreAdj", &p->oom_score_adj, &p->has_oom_score_adj);
  if (ret == 0)
    ret = spec_get_str (c, v, "selinuxLabel", &p->selinux_label);
  if (ret == 0)
    ret = spec_get_object (c, v, "ioPriority", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "ioPriority");
      p->io_priority = calloc (1, sizeof *p->io_priority);
      ret = p->io_priority ? parse_io_priority (c, o, p->io_priority) : spec_oom (c);
      spec_ctx_pop (c, old);
    }
  if (ret == 0)
    ret = spec_get_object (c, v, "scheduler", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "scheduler");
      p->scheduler = calloc (1, sizeof *p->scheduler);
      ret = p->scheduler ? parse_scheduler (c, o, p->scheduler) : spec_oom (c);
      spec_ctx_pop (c, old);
    }
  if (ret == 0)
    ret = spec_get_object (c, v, "execCPUAffinity", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "execCPUAffinity");
      p->exec_cpu_affinity = calloc (1, sizeof *p->exec_cpu_affinity);
      ret = p->exec_cpu_affinity ? spec_get_str (c, o, "initial", &p->exec_cpu_affinity->initial)
                                 : spec_oom (c);
      if (ret == 0)
        ret = spec_get_str (c, o, "final", &p->exec_cpu_affinity->final);
      spec_ctx_pop (c, old);
    }
  return ret;
}

/* ------------------------------------------------------------ mounts, hooks */

static int
parse_mount (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_mount *m = elem;
  int ret = spec_get_str (c, v, "destination", &m->destination);
  if (ret == 0)
    ret = spec_get_str (c, v, "source", &m->source);
  if (ret == 0)
    ret = spec_get_str (c, v, "type", &m->type);
  if (ret == 0)
    ret = spec_get_strv (c, v, "options", &m->options, &m->options_len);
  if (ret == 0)
    ret = spec_get_id_mappings (c, v, "uidMappings", &m->uid_mappings, &m->uid_mappings_len);
  if (ret == 0)
    ret = spec_get_id_mappings (c, v, "gidMappings", &m->gid_mappings, &m->gid_mappings_len);
  return ret;
}

static int
parse_hook (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_hook *h = elem;
  int32_t timeout = 0;
  int ret = spec_get_str (c, v, "path", &h->path);
  if (ret == 0)
    ret = spec_get_strv (c, v, "args", &h->args, &h->args_len);
  if (ret == 0)
    ret = spec_get_strv (c, v, "env", &h->env, &h->env_len);
  if (ret == 0)
    ret = spec_get_i32 (c, v, "timeout", &timeout, &h->has_timeout);
  h->timeout = timeout;
  return ret;
}

static int
parse_hooks (struct spec_ctx *c, yajl_val v, struct husk_spec_hooks *hooks)
{
  for (int k = 0; k < HUSK_SPEC_HOOK__COUNT; k++)
    {
      int ret = spec_get_array_of (c, v, husk_spec_hook_names[k], sizeof *hooks->list[k],
                                   (void **) &hooks->list[k], &hooks->len[k], parse_hook);
      if (ret < 0)
        return ret;
    }
  return 0;
}

/* ------------------------------------------------------------ top level */

static int
parse_spec (struct spec_ctx *c, yajl_val v, struct husk_spec *s)
{
  yajl_val o;
  if (!YAJL_IS_OBJECT (v))
    return spec_fail (c, "expected a JSON object");
  int ret = spec_get_str (c, v, "ociVersion", &s->oci_version);
  if (ret == 0)
    ret = spec_get_object (c, v, "root", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "root");
      ret = spec_get_str (c, o, "path", &s->root.path);
      if (ret == 0)
        ret = spec_get_bool (c, o, "readonly", &s->root.readonly, NULL);
      spec_ctx_pop (c, old);
    }
  if (ret == 0)
    ret = spec_get_object (c, v, "process", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "process");
      s->process = calloc (1, sizeof *s->process);
      ret = s->process ? parse_process (c, o, s->process) : spec_oom (c);
      spec_ctx_pop (c, old);
    }
  if (ret == 0)
    ret = spec_get_str (c, v, "hostname", &s->hostname);
  if (ret == 0)
    ret = spec_get_str (c, v, "domainname", &s->domainname);
  if (ret == 0)
    ret = spec_get_array_of (c, v, "mounts", sizeof *s->mounts, (void **) &s->mounts,
                             &s->mounts_len, parse_mount);
  if (ret == 0)
    ret = spec_get_object (c, v, "hooks", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "hooks");
      ret = parse_hooks (c, o, &s->hooks);
      spec_ctx_pop (c, old);
    }
  if (ret == 0)
    ret = spec_get_kv (c, v, "annotations", &s->annotations, &s->annotations_len);
  if (ret == 0)
    ret = spec_get_object (c, v, "linux", &o);
  if (ret == 0 && o)
    {
      size_t old = spec_ctx_push (c, "linux");
      ret = spec_parse_linux (c, o, &s->linux_);
      spec_ctx_pop (c, old);
    }
  return ret;
}

static int
spec_parse (const char *data, size_t len, const char *name, struct husk_spec **out,
            struct husk_error *err)
{
  struct spec_ctx c;
  if (name == NULL)
    name = "config.json";
  *out = NULL;
  yajl_val tree;
  int ret = hk_json_parse (data, len, name, &tree, err);
  if (ret < 0)
    return ret;

  struct husk_spec *spec = calloc (1, sizeof *spec);
  if (spec == NULL)
    {
      yajl_tree_free (tree);
      return husk_error_set (err, ENOMEM, "%s", name);
    }
  spec_ctx_init (&c, name, err);
  ret = parse_spec (&c, tree, spec);
  yajl_tree_free (tree);
  if (ret < 0)
    {
      husk_spec_free (spec);
      return ret;
    }
  *out = spec;
  return 0;
}

int
husk_spec_parse (const char *data, size_t len, const char *name, struct husk_spec **out,
                 struct husk_error *err)
{
  return husk_error_invalid (err, spec_parse (data, len, name, out, err));
}

int
husk_spec_load_raw (const char *bundle, struct husk_spec **out, char **raw, size_t *raw_len,
                    struct husk_error *err)
{
  _cleanup_free_ char *path = NULL;
  _cleanup_free_ char *data = NULL;
  size_t len = 0;
  *out = NULL;
  if (asprintf (&path, "%s/config.json", bundle ? bundle : ".") < 0)
    {
      path = NULL;
      return husk_error_set (err, ENOMEM, "config.json");
    }
  int ret = hk_read_file (path, HUSK_SPEC_MAX_SIZE, &data, &len, err);
  if (ret < 0)
    return ret;
  struct husk_spec *spec = NULL;
  ret = husk_spec_parse (data, len, "config.json", &spec, err);
  if (ret < 0)
    return ret;
  ret = husk_spec_validate (spec, "config.json", err);
  if (ret < 0)
    {
      husk_spec_free (spec);
      return ret;
    }
  *out = spec;
  if (raw)
    {
      *raw = steal_pointer (&data);
      *raw_len = len;
    }
  return 0;
}

int
husk_spec_load (const char *bundle, struct husk_spec **out, struct husk_error *err)
{
  return husk_spec_load_raw (bundle, out, NULL, NULL, err);
}
