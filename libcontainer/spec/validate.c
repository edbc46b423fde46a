/* SPDX-License-Identifier: Apache-2.0 */
/* Semantic checks of a parsed config: the top level, process, mounts, hooks.
 * Only the first problem is reported, as "config.json: json.path: problem". */
#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "spec_internal.h"

bool
spec_is_abs (const char *path)
{
  return path && path[0] == '/';
}

/* "0-3,7,9-10": numbers and ranges separated by commas. */
bool
spec_is_cpu_list (const char *s)
{
  if (s == NULL || *s == '\0')
    return false;
  for (;;)
    {
      if (!isdigit ((unsigned char) *s))
        return false;
      while (isdigit ((unsigned char) *s))
        s++;
      if (*s == '-')
        {
          s++;
          if (!isdigit ((unsigned char) *s))
            return false;
          while (isdigit ((unsigned char) *s))
            s++;
        }
      if (*s == '\0')
        return true;
      if (*s != ',')
        return false;
      s++;
    }
}

/* "1.x", "1.x.y", each optionally followed by "-suffix" or "+suffix". */
static bool
version_supported (const char *v)
{
  if (strncmp (v, "1.", 2) != 0)
    return false;
  v += 2;
  for (int part = 0; part < 2; part++)
    {
      if (!isdigit ((unsigned char) *v))
        return false;
      while (isdigit ((unsigned char) *v))
        v++;
      if (*v != '.')
        break;
      if (part == 1)
        return false;
      v++;
    }
  return *v == '\0' || *v == '-' || *v == '+';
}

static int
check_env (struct spec_ctx *c, const char *key, char *const *env, size_t len)
{
  size_t old = spec_ctx_push (c, key);
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < len; i++)
    {
      const char *eq = env[i] ? strchr (env[i], '=') : NULL;
      if (eq == NULL || eq == env[i])
        {
          spec_ctx_push_index (c, i);
          ret = spec_fail (c, "\"%s\" is not of the form NAME=VALUE", env[i] ? env[i] : "");
        }
    }
  spec_ctx_pop (c, old);
  return ret;
}

/* A capability husk does not know (newer than its table) is dropped with
 * a warning at create and exec, as runc and crun do; a name that is not
 * one at all is refused. */
static int
check_cap_names (struct spec_ctx *c, const char *key, char *const *v, size_t len)
{
  size_t old = spec_ctx_push (c, key);
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < len; i++)
    if (!husk_spec_capability_name_ok (v[i]))
      {
        spec_ctx_push_index (c, i);
        ret = spec_fail (c,
                         "malformed capability \"%s\" (CAP_ and upper-case letters, digits "
                         "or _)",
                         v[i]);
      }
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_capabilities (struct spec_ctx *c, const struct husk_spec_capabilities *caps)
{
  size_t old = spec_ctx_push (c, "capabilities");
  int ret = check_cap_names (c, "bounding", caps->bounding, caps->bounding_len);
  if (ret == 0)
    ret = check_cap_names (c, "effective", caps->effective, caps->effective_len);
  if (ret == 0)
    ret = check_cap_names (c, "inheritable", caps->inheritable, caps->inheritable_len);
  if (ret == 0)
    ret = check_cap_names (c, "permitted", caps->permitted, caps->permitted_len);
  if (ret == 0)
    ret = check_cap_names (c, "ambient", caps->ambient, caps->ambient_len);
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_rlimits (struct spec_ctx *c, const struct husk_spec_process *p)
{
  size_t old = spec_ctx_push (c, "rlimits");
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < p->rlimits_len; i++)
    {
      const struct husk_spec_rlimit *r = &p->rlimits[i];
      size_t o2 = spec_ctx_push_index (c, i);
      if (r->type == NULL)
        ret = spec_fail_at (c, "type", "required");
      else if (r->resource < 0)
        ret = spec_fail_at (c, "type", "unknown rlimit \"%s\"", r->type);
      else if (r->soft > r->hard)
        ret = spec_fail (c, "soft limit %" PRIu64 " exceeds hard limit %" PRIu64, r->soft, r->hard);
      for (size_t j = 0; ret == 0 && j < i; j++)
        if (p->rlimits[j].resource == r->resource)
          ret = spec_fail (c, "duplicate rlimit \"%s\"", r->type);
      spec_ctx_pop (c, o2);
    }
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_scheduler (struct spec_ctx *c, const struct husk_spec_scheduler *s)
{
  long value;
  size_t old = spec_ctx_push (c, "scheduler");
  int ret = 0;
  if (s->policy_name == NULL)
    ret = spec_fail_at (c, "policy", "required");
  else if (s->policy == HUSK_SPEC_SCHED_UNKNOWN)
    ret = spec_fail_at (c, "policy", "unknown policy \"%s\"", s->policy_name);
  else if (s->has_nice && (s->nice < -20 || s->nice > 19))
    ret = spec_fail_at (c, "nice", "must be between -20 and 19");
  else if (s->has_priority && (s->priority < 0 || s->priority > 99))
    ret = spec_fail_at (c, "priority", "must be between 0 and 99");
  for (size_t i = 0; ret == 0 && i < s->flags_len; i++)
    if (spec_name_value (spec_sched_flags, s->flags[i], &value) < 0)
      {
        size_t o2 = spec_ctx_push (c, "flags");
        spec_ctx_push_index (c, i);
        ret = spec_fail (c, "unknown flag \"%s\"", s->flags[i]);
        spec_ctx_pop (c, o2);
      }
  if (ret == 0 && s->policy != HUSK_SPEC_SCHED_DEADLINE
      && (s->has_runtime || s->has_deadline || s->has_period))
    ret = spec_fail (c, "runtime, deadline and period are for SCHED_DEADLINE only");
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_process (struct spec_ctx *c, const struct husk_spec_process *p)
{
  size_t old = spec_ctx_push (c, "process");
  int ret = 0;
  if (p->args_len == 0)
    ret = spec_fail_at (c, "args", "must be a non-empty array of strings");
  else if (p->cwd == NULL)
    ret = spec_fail_at (c, "cwd", "required");
  else if (!spec_is_abs (p->cwd))
    ret = spec_fail_at (c, "cwd", "must be an absolute path");
  if (ret == 0)
    ret = check_env (c, "env", p->env, p->env_len);
  if (ret == 0 && p->capabilities)
    ret = check_capabilities (c, p->capabilities);
  if (ret == 0)
    ret = check_rlimits (c, p);
  if (ret == 0 && p->has_oom_score_adj && (p->oom_score_adj < -1000 || p->oom_score_adj > 1000))
    ret = spec_fail_at (c, "oomScoreAdj", "must be between -1000 and 1000");
  if (ret == 0 && p->io_priority)
    {
      size_t o2 = spec_ctx_push (c, "ioPriority");
      const struct husk_spec_io_priority *io = p->io_priority;
      if (io->class_name == NULL)
        ret = spec_fail_at (c, "class", "required");
      else if (io->class_ == HUSK_SPEC_IOPRIO_CLASS_UNKNOWN)
        ret = spec_fail_at (c, "class", "unknown class \"%s\"", io->class_name);
      else if (io->has_priority && (io->priority < 0 || io->priority > 7))
        ret = spec_fail_at (c, "priority", "must be between 0 and 7");
      spec_ctx_pop (c, o2);
    }
  if (ret == 0 && p->scheduler)
    ret = check_scheduler (c, p->scheduler);
  if (ret == 0 && p->exec_cpu_affinity)
    {
      size_t o2 = spec_ctx_push (c, "execCPUAffinity");
      const struct husk_spec_cpu_affinity *a = p->exec_cpu_affinity;
      if (a->initial && !spec_is_cpu_list (a->initial))
        ret = spec_fail_at (c, "initial", "invalid CPU list \"%s\"", a->initial);
      else if (a->final && !spec_is_cpu_list (a->final))
        ret = spec_fail_at (c, "final", "invalid CPU list \"%s\"", a->final);
      spec_ctx_pop (c, o2);
    }
  spec_ctx_pop (c, old);
  return ret;
}

/* Shared by linux.uidMappings and mounts[i].uidMappings. */
int
spec_check_id_mappings (struct spec_ctx *c, const char *key, const struct husk_spec_id_mapping *m,
                        size_t len)
{
  size_t old = spec_ctx_push (c, key);
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < len; i++)
    {
      if (m[i].size == 0)
        {
          spec_ctx_push_index (c, i);
          ret = spec_fail_at (c, "size", "must be greater than 0");
        }
      else if ((uint64_t) m[i].container_id + m[i].size - 1 > HUSK_UGID_MAX)
        {
          /* ids in the container are 0 to 2147483647, as everywhere */
          spec_ctx_push_index (c, i);
          ret = spec_fail (c, "the container side goes past %u", HUSK_UGID_MAX);
        }
      else if ((uint64_t) m[i].container_id + m[i].size - 1 >= UINT32_MAX
               || (uint64_t) m[i].host_id + m[i].size - 1 >= UINT32_MAX)
        {
          /* 4294967295 is (uid_t) -1: no map may name it */
          spec_ctx_push_index (c, i);
          ret = spec_fail (c, "the range reaches 4294967295, which is not a valid id");
        }
    }
  spec_ctx_pop (c, old);
  return ret;
}

/* Mount destinations: the spec says SHOULD be absolute. runc 1.1 accepts a
 * relative destination (with a deprecation warning) and mounts it relative
 * to the container's "/"; husk does the same for compatibility, so only an
 * empty or missing destination is an error here. */
static int
check_mounts (struct spec_ctx *c, const struct husk_spec *s)
{
  size_t old = spec_ctx_push (c, "mounts");
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < s->mounts_len; i++)
    {
      const struct husk_spec_mount *m = &s->mounts[i];
      size_t o2 = spec_ctx_push_index (c, i);
      if (m->destination == NULL || m->destination[0] == '\0')
        ret = spec_fail_at (c, "destination", "required");
      if (ret == 0)
        ret = spec_check_id_mappings (c, "uidMappings", m->uid_mappings, m->uid_mappings_len);
      if (ret == 0)
        ret = spec_check_id_mappings (c, "gidMappings", m->gid_mappings, m->gid_mappings_len);
      if (ret == 0 && (m->uid_mappings_len == 0) != (m->gid_mappings_len == 0))
        ret = spec_fail (c, "uidMappings and gidMappings must be given together");
      spec_ctx_pop (c, o2);
    }
  spec_ctx_pop (c, old);
  return ret;
}

static int
check_hooks (struct spec_ctx *c, const struct husk_spec_hooks *hooks)
{
  size_t old = spec_ctx_push (c, "hooks");
  int ret = 0;
  for (int k = 0; ret == 0 && k < HUSK_SPEC_HOOK__COUNT; k++)
    for (size_t i = 0; ret == 0 && i < hooks->len[k]; i++)
      {
        const struct husk_spec_hook *h = &hooks->list[k][i];
        size_t o2 = spec_ctx_push (c, husk_spec_hook_names[k]);
        spec_ctx_push_index (c, i);
        if (h->path == NULL)
          ret = spec_fail_at (c, "path", "required");
        else if (!spec_is_abs (h->path))
          ret = spec_fail_at (c, "path", "must be an absolute path");
        else if (h->has_timeout && h->timeout <= 0)
          ret = spec_fail_at (c, "timeout", "must be greater than 0");
        if (ret == 0)
          ret = check_env (c, "env", h->env, h->env_len);
        spec_ctx_pop (c, o2);
      }
  spec_ctx_pop (c, old);
  return ret;
}

static int
spec_validate (const struct husk_spec *s, const char *name, struct husk_error *err)
{
  struct spec_ctx c;
  spec_ctx_init (&c, name, err);
  if (s == NULL)
    return spec_fail (&c, "no config");
  if (s->oci_version == NULL)
    return spec_fail_at (&c, "ociVersion", "required");
  if (!version_supported (s->oci_version))
    return spec_fail_at (&c, "ociVersion", "unsupported version \"%s\" (husk supports 1.x)",
                         s->oci_version);
  if (s->root.path == NULL || s->root.path[0] == '\0')
    return spec_fail_at (&c, "root.path", "required");
  /* process is optional (config.md): start refuses a container without */
  int ret = s->process ? check_process (&c, s->process) : 0;
  if (ret == 0)
    ret = check_mounts (&c, s);
  if (ret == 0)
    ret = check_hooks (&c, &s->hooks);
  for (size_t i = 0; ret == 0 && i < s->annotations_len; i++)
    if (s->annotations[i].key == NULL || s->annotations[i].key[0] == '\0')
      ret = spec_fail_at (&c, "annotations", "empty key");
  /* A hostname needs a uts namespace of the container's own (a new one or
   * one joined by path); so does a domainname. */
  if (ret == 0 && s->hostname && s->hostname[0]
      && husk_spec_find_namespace (s, HUSK_SPEC_NS_UTS) == NULL)
    ret = spec_fail_at (&c, "hostname", "requires a new uts namespace");
  if (ret == 0 && s->domainname && s->domainname[0]
      && husk_spec_find_namespace (s, HUSK_SPEC_NS_UTS) == NULL)
    ret = spec_fail_at (&c, "domainname", "requires a new uts namespace");
  if (ret == 0 && s->linux_)
    {
      size_t old = spec_ctx_push (&c, "linux");
      ret = spec_validate_linux (&c, s);
      spec_ctx_pop (&c, old);
    }
  return ret;
}

int
husk_spec_validate (const struct husk_spec *s, const char *name, struct husk_error *err)
{
  return husk_error_invalid (err, spec_validate (s, name, err));
}
