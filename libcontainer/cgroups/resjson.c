/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources as JSON, kept in state.json so that the values in force
 * survive an update; the merge of an update into them; a generic emitter of
 * yajl trees. */
#include "config.h"
#include <inttypes.h>
#include "cgroups/internal.h"
#include "json.h"
#include "utils.h"

int
cg_json_emit (yajl_gen g, yajl_val v)
{
  int st = 0;
  if (v == NULL)
    return yajl_gen_null (g);
  switch (v->type)
    {
    case yajl_t_string:
      return yajl_gen_string (g, (const unsigned char *) v->u.string, strlen (v->u.string));
    case yajl_t_number:
      return yajl_gen_number (g, v->u.number.r, strlen (v->u.number.r));
    case yajl_t_true:
      return yajl_gen_bool (g, 1);
    case yajl_t_false:
      return yajl_gen_bool (g, 0);
    case yajl_t_null:
      return yajl_gen_null (g);
    case yajl_t_array:
      /* the first failure (too deep, out of memory) is the answer: the
       * text is then unusable and the caller must not keep it */
      if ((st = yajl_gen_array_open (g)) != yajl_gen_status_ok)
        return st;
      for (size_t i = 0; i < v->u.array.len; i++)
        if ((st = cg_json_emit (g, v->u.array.values[i])) != yajl_gen_status_ok)
          return st;
      return yajl_gen_array_close (g);
    case yajl_t_object:
      if ((st = yajl_gen_map_open (g)) != yajl_gen_status_ok)
        return st;
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          const char *k = v->u.object.keys[i];
          if ((st = yajl_gen_string (g, (const unsigned char *) k, strlen (k)))
                  != yajl_gen_status_ok
              || (st = cg_json_emit (g, v->u.object.values[i])) != yajl_gen_status_ok)
            return st;
        }
      return yajl_gen_map_close (g);
    default:
      return yajl_gen_null (g);
    }
}

int
cg_json_text (yajl_val v, char **out, struct husk_error *err)
{
  _cleanup_gen_ yajl_gen g = hk_json_gen (NULL);
  if (g == NULL)
    return husk_error_set (err, ENOMEM, "json");
  if (cg_json_emit (g, v) != yajl_gen_status_ok)
    return husk_error_setx (err, EINVAL, "json: cannot be written back (nested too deeply)");
  return hk_json_finish (g, false, out, NULL, err);
}

/* ------------------------------------------------------------ the shape of linux.resources */

enum rk
{
  RK_NUM,
  RK_STR,
  RK_BOOL,
  RK_OBJ,
  RK_ARR,
  RK_MAP,
  RK_STRMAP
};
struct rkey
{
  const char *name;
  enum rk kind;
  const struct rkey *sub; /* RK_OBJ; RK_ARR and RK_MAP: of each element */
};
/* clang-format off */
#define END { NULL, 0, NULL }
/* clang-format on */

static const struct rkey k_device[] = {
  { "allow", RK_BOOL, NULL }, { "type", RK_STR, NULL },   { "major", RK_NUM, NULL },
  { "minor", RK_NUM, NULL },  { "access", RK_STR, NULL }, END,
};
static const struct rkey k_memory[] = {
  { "limit", RK_NUM, NULL },
  { "reservation", RK_NUM, NULL },
  { "swap", RK_NUM, NULL },
  { "kernel", RK_NUM, NULL },
  { "kernelTCP", RK_NUM, NULL },
  { "swappiness", RK_NUM, NULL },
  { "disableOOMKiller", RK_BOOL, NULL },
  { "useHierarchy", RK_BOOL, NULL },
  { "checkBeforeUpdate", RK_BOOL, NULL },
  END,
};
static const struct rkey k_cpu[] = {
  { "shares", RK_NUM, NULL },
  { "quota", RK_NUM, NULL },
  { "burst", RK_NUM, NULL },
  { "period", RK_NUM, NULL },
  { "realtimeRuntime", RK_NUM, NULL },
  { "realtimePeriod", RK_NUM, NULL },
  { "cpus", RK_STR, NULL },
  { "mems", RK_STR, NULL },
  { "idle", RK_NUM, NULL },
  END,
};
static const struct rkey k_pids[] = { { "limit", RK_NUM, NULL }, END };
static const struct rkey k_weight_dev[] = {
  { "major", RK_NUM, NULL },
  { "minor", RK_NUM, NULL },
  { "weight", RK_NUM, NULL },
  { "leafWeight", RK_NUM, NULL },
  END,
};
static const struct rkey k_throttle_dev[] = {
  { "major", RK_NUM, NULL },
  { "minor", RK_NUM, NULL },
  { "rate", RK_NUM, NULL },
  END,
};
static const struct rkey k_blkio[] = {
  { "weight", RK_NUM, NULL },
  { "leafWeight", RK_NUM, NULL },
  { "weightDevice", RK_ARR, k_weight_dev },
  { "throttleReadBpsDevice", RK_ARR, k_throttle_dev },
  { "throttleWriteBpsDevice", RK_ARR, k_throttle_dev },
  { "throttleReadIOPSDevice", RK_ARR, k_throttle_dev },
  { "throttleWriteIOPSDevice", RK_ARR, k_throttle_dev },
  END,
};
static const struct rkey k_hugepage[] = {
  { "pageSize", RK_STR, NULL },
  { "limit", RK_NUM, NULL },
  END,
};
static const struct rkey k_prio[] = { { "name", RK_STR, NULL }, { "priority", RK_NUM, NULL }, END };
static const struct rkey k_network[] = {
  { "classID", RK_NUM, NULL },
  { "priorities", RK_ARR, k_prio },
  END,
};
static const struct rkey k_rdma[] = {
  { "hcaHandles", RK_NUM, NULL },
  { "hcaObjects", RK_NUM, NULL },
  END,
};
static const struct rkey k_resources[] = {
  { "devices", RK_ARR, k_device },  { "memory", RK_OBJ, k_memory },
  { "cpu", RK_OBJ, k_cpu },         { "pids", RK_OBJ, k_pids },
  { "blockIO", RK_OBJ, k_blkio },   { "hugepageLimits", RK_ARR, k_hugepage },
  { "network", RK_OBJ, k_network }, { "rdma", RK_MAP, k_rdma },
  { "unified", RK_STRMAP, NULL },   END,
};

static const char *
kind_name (enum rk k)
{
  switch (k)
    {
    case RK_NUM:
      return "a number";
    case RK_STR:
      return "a string";
    case RK_BOOL:
      return "true or false";
    case RK_ARR:
      return "an array";
    default:
      return "an object";
    }
}

static bool
kind_ok (enum rk k, yajl_val v)
{
  switch (k)
    {
    case RK_NUM:
      return YAJL_IS_NUMBER (v);
    case RK_STR:
      return YAJL_IS_STRING (v);
    case RK_BOOL:
      return YAJL_IS_TRUE (v) || YAJL_IS_FALSE (v);
    case RK_ARR:
      return YAJL_IS_ARRAY (v);
    default:
      return YAJL_IS_OBJECT (v);
    }
}

static int check_object (yajl_val v, const struct rkey *keys, const char *what, char *path,
                         size_t plen, struct husk_error *err);

/* v (at path) is what k says, and so is everything in it. null is
 * "absent", as for any member of the spec. */
static int
check_value (yajl_val v, const struct rkey *k, const char *what, char *path, size_t plen,
             struct husk_error *err)
{
  if (v == NULL || YAJL_IS_NULL (v))
    return 0;
  if (!kind_ok (k->kind, v))
    return husk_error_setx (err, EINVAL, "%s: %s: must be %s", what, path, kind_name (k->kind));
  size_t len = strlen (path);
  switch (k->kind)
    {
    case RK_OBJ:
      return check_object (v, k->sub, what, path, plen, err);
    case RK_ARR:
      for (size_t i = 0; i < v->u.array.len; i++)
        {
          snprintf (path + len, plen - len, "[%zu]", i);
          yajl_val e = v->u.array.values[i];
          int ret = 0;
          if (!YAJL_IS_OBJECT (e))
            ret = husk_error_setx (err, EINVAL, "%s: %s: must be an object", what, path);
          else
            ret = check_object (e, k->sub, what, path, plen, err);
          path[len] = '\0';
          if (ret < 0)
            return ret;
        }
      return 0;
    case RK_MAP:
    case RK_STRMAP:
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          snprintf (path + len, plen - len, "[\"%.64s\"]", v->u.object.keys[i]);
          yajl_val e = v->u.object.values[i];
          int ret = 0;
          if (k->kind == RK_STRMAP && !YAJL_IS_STRING (e))
            ret = husk_error_setx (err, EINVAL, "%s: %s: must be a string", what, path);
          else if (k->kind == RK_MAP && !YAJL_IS_OBJECT (e))
            ret = husk_error_setx (err, EINVAL, "%s: %s: must be an object", what, path);
          else if (k->kind == RK_MAP)
            ret = check_object (e, k->sub, what, path, plen, err);
          path[len] = '\0';
          if (ret < 0)
            return ret;
        }
      return 0;
    default:
      return 0;
    }
}

static int
check_object (yajl_val v, const struct rkey *keys, const char *what, char *path, size_t plen,
              struct husk_error *err)
{
  size_t len = strlen (path);
  for (size_t i = 0; i < v->u.object.len; i++)
    {
      const char *name = v->u.object.keys[i];
      const struct rkey *k = keys;
      while (k->name && strcmp (k->name, name) != 0)
        k++;
      if (k->name == NULL)
        return husk_error_setx (err, EINVAL, "%s: %s%s%.64s: unknown field", what, path,
                                len ? "." : "", name);
      for (size_t j = 0; j < i; j++)
        if (strcmp (v->u.object.keys[j], name) == 0)
          return husk_error_setx (err, EINVAL, "%s: %s%s%.64s: duplicate field", what, path,
                                  len ? "." : "", name);
      snprintf (path + len, plen - len, "%s%s", len ? "." : "", name);
      int ret = check_value (v->u.object.values[i], k, what, path, plen, err);
      path[len] = '\0';
      if (ret < 0)
        return ret;
    }
  return 0;
}

int
cg_resources_json_check (yajl_val v, const char *what, struct husk_error *err)
{
  char path[512] = "";
  if (v == NULL || !YAJL_IS_OBJECT (v))
    return husk_error_setx (err, EINVAL, "%s: must be an object", what);
  return check_object (v, k_resources, what, path, sizeof path, err);
}

/* base with update's members over it; objects merge, the rest replaces. */
static void
emit_merged (yajl_gen g, yajl_val base, yajl_val upd)
{
  if (upd == NULL)
    {
      cg_json_emit (g, base);
      return;
    }
  if (base == NULL || !YAJL_IS_OBJECT (base) || !YAJL_IS_OBJECT (upd))
    {
      cg_json_emit (g, upd);
      return;
    }
  yajl_gen_map_open (g);
  for (size_t i = 0; i < base->u.object.len; i++)
    {
      const char *k = base->u.object.keys[i];
      yajl_val u = NULL;
      for (size_t j = 0; j < upd->u.object.len; j++)
        if (strcmp (upd->u.object.keys[j], k) == 0)
          u = upd->u.object.values[j];
      hk_json_key (g, k);
      emit_merged (g, base->u.object.values[i], u);
    }
  for (size_t j = 0; j < upd->u.object.len; j++)
    {
      bool in_base = false;
      for (size_t i = 0; i < base->u.object.len; i++)
        in_base |= strcmp (base->u.object.keys[i], upd->u.object.keys[j]) == 0;
      if (!in_base)
        {
          hk_json_key (g, upd->u.object.keys[j]);
          cg_json_emit (g, upd->u.object.values[j]);
        }
    }
  yajl_gen_map_close (g);
}

int
cg_json_merge (const char *base, const char *update, char **out, struct husk_error *err)
{
  yajl_val b = NULL, u = NULL;
  if (base && hk_json_parse (base, strlen (base), "resources", &b, err) < 0)
    b = NULL; /* the recorded resources are replaced */
  int ret = hk_json_parse (update, strlen (update), "resources", &u, err);
  if (ret < 0)
    {
      yajl_tree_free (b);
      return ret;
    }
  _cleanup_gen_ yajl_gen g = hk_json_gen (NULL);
  if (g == NULL)
    {
      yajl_tree_free (b);
      yajl_tree_free (u);
      return husk_error_set (err, ENOMEM, "json");
    }
  emit_merged (g, b, u);
  yajl_tree_free (b);
  yajl_tree_free (u);
  return hk_json_finish (g, false, out, NULL, err);
}

/* ------------------------------------------------------------ struct -> JSON */

static void
kint (yajl_gen g, bool has, const char *k, long long v)
{
  if (has)
    hk_json_kint (g, k, v);
}

static void
kuint (yajl_gen g, bool has, const char *k, uint64_t v)
{
  if (has)
    {
      char b[32];
      int n = snprintf (b, sizeof b, "%" PRIu64, v);
      hk_json_key (g, k);
      yajl_gen_number (g, b, (size_t) n);
    }
}

static void
throttles (yajl_gen g, const char *k, const struct husk_spec_throttle_device *t, size_t n)
{
  if (n == 0)
    return;
  hk_json_key (g, k);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    {
      yajl_gen_map_open (g);
      hk_json_kint (g, "major", t[i].major);
      hk_json_kint (g, "minor", t[i].minor);
      kuint (g, true, "rate", t[i].rate);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

int
cg_resources_json (const struct husk_spec_resources *r, char **out, struct husk_error *err)
{
  _cleanup_gen_ yajl_gen g = hk_json_gen (NULL);
  if (g == NULL)
    return husk_error_set (err, ENOMEM, "json");
  yajl_gen_map_open (g);
  if (r->devices_len)
    {
      hk_json_key (g, "devices");
      yajl_gen_array_open (g);
      for (size_t i = 0; i < r->devices_len; i++)
        {
          const struct husk_spec_device_cgroup *d = &r->devices[i];
          yajl_gen_map_open (g);
          hk_json_kbool (g, "allow", d->allow);
          if (d->type)
            hk_json_kstr (g, "type", d->type);
          kint (g, d->has_major, "major", d->major);
          kint (g, d->has_minor, "minor", d->minor);
          if (d->access)
            hk_json_kstr (g, "access", d->access);
          yajl_gen_map_close (g);
        }
      yajl_gen_array_close (g);
    }
  if (r->memory)
    {
      const struct husk_spec_memory *m = r->memory;
      hk_json_key (g, "memory");
      yajl_gen_map_open (g);
      kint (g, m->has_limit, "limit", m->limit);
      kint (g, m->has_reservation, "reservation", m->reservation);
      kint (g, m->has_swap, "swap", m->swap);
      kint (g, m->has_kernel, "kernel", m->kernel);
      kint (g, m->has_kernel_tcp, "kernelTCP", m->kernel_tcp);
      kuint (g, m->has_swappiness, "swappiness", m->swappiness);
      if (m->has_disable_oom_killer)
        hk_json_kbool (g, "disableOOMKiller", m->disable_oom_killer);
      if (m->has_use_hierarchy)
        hk_json_kbool (g, "useHierarchy", m->use_hierarchy);
      if (m->has_check_before_update)
        hk_json_kbool (g, "checkBeforeUpdate", m->check_before_update);
      yajl_gen_map_close (g);
    }
  if (r->cpu)
    {
      const struct husk_spec_cpu *c = r->cpu;
      hk_json_key (g, "cpu");
      yajl_gen_map_open (g);
      kuint (g, c->has_shares, "shares", c->shares);
      kint (g, c->has_quota, "quota", c->quota);
      kuint (g, c->has_burst, "burst", c->burst);
      kuint (g, c->has_period, "period", c->period);
      kint (g, c->has_realtime_runtime, "realtimeRuntime", c->realtime_runtime);
      kuint (g, c->has_realtime_period, "realtimePeriod", c->realtime_period);
      if (c->cpus)
        hk_json_kstr (g, "cpus", c->cpus);
      if (c->mems)
        hk_json_kstr (g, "mems", c->mems);
      kint (g, c->has_idle, "idle", c->idle);
      yajl_gen_map_close (g);
    }
  if (r->has_pids)
    {
      hk_json_key (g, "pids");
      yajl_gen_map_open (g);
      kint (g, r->has_pids_limit, "limit", r->pids_limit);
      yajl_gen_map_close (g);
    }
  if (r->block_io)
    {
      const struct husk_spec_block_io *b = r->block_io;
      hk_json_key (g, "blockIO");
      yajl_gen_map_open (g);
      kint (g, b->has_weight, "weight", b->weight);
      kint (g, b->has_leaf_weight, "leafWeight", b->leaf_weight);
      if (b->weight_device_len)
        {
          hk_json_key (g, "weightDevice");
          yajl_gen_array_open (g);
          for (size_t i = 0; i < b->weight_device_len; i++)
            {
              const struct husk_spec_weight_device *d = &b->weight_device[i];
              yajl_gen_map_open (g);
              hk_json_kint (g, "major", d->major);
              hk_json_kint (g, "minor", d->minor);
              kint (g, d->has_weight, "weight", d->weight);
              kint (g, d->has_leaf_weight, "leafWeight", d->leaf_weight);
              yajl_gen_map_close (g);
            }
          yajl_gen_array_close (g);
        }
      throttles (g, "throttleReadBpsDevice", b->throttle_read_bps_device,
                 b->throttle_read_bps_device_len);
      throttles (g, "throttleWriteBpsDevice", b->throttle_write_bps_device,
                 b->throttle_write_bps_device_len);
      throttles (g, "throttleReadIOPSDevice", b->throttle_read_iops_device,
                 b->throttle_read_iops_device_len);
      throttles (g, "throttleWriteIOPSDevice", b->throttle_write_iops_device,
                 b->throttle_write_iops_device_len);
      yajl_gen_map_close (g);
    }
  if (r->hugepage_limits_len)
    {
      hk_json_key (g, "hugepageLimits");
      yajl_gen_array_open (g);
      for (size_t i = 0; i < r->hugepage_limits_len; i++)
        {
          yajl_gen_map_open (g);
          hk_json_kstr (g, "pageSize", r->hugepage_limits[i].page_size);
          kuint (g, true, "limit", r->hugepage_limits[i].limit);
          yajl_gen_map_close (g);
        }
      yajl_gen_array_close (g);
    }
  if (r->network)
    {
      hk_json_key (g, "network");
      yajl_gen_map_open (g);
      kint (g, r->network->has_class_id, "classID", r->network->class_id);
      if (r->network->priorities_len)
        {
          hk_json_key (g, "priorities");
          yajl_gen_array_open (g);
          for (size_t i = 0; i < r->network->priorities_len; i++)
            {
              yajl_gen_map_open (g);
              hk_json_kstr (g, "name", r->network->priorities[i].name);
              hk_json_kint (g, "priority", r->network->priorities[i].priority);
              yajl_gen_map_close (g);
            }
          yajl_gen_array_close (g);
        }
      yajl_gen_map_close (g);
    }
  if (r->rdma_len)
    {
      hk_json_key (g, "rdma");
      yajl_gen_map_open (g);
      for (size_t i = 0; i < r->rdma_len; i++)
        {
          hk_json_key (g, r->rdma[i].device);
          yajl_gen_map_open (g);
          kint (g, r->rdma[i].has_hca_handles, "hcaHandles", r->rdma[i].hca_handles);
          kint (g, r->rdma[i].has_hca_objects, "hcaObjects", r->rdma[i].hca_objects);
          yajl_gen_map_close (g);
        }
      yajl_gen_map_close (g);
    }
  if (r->unified_len)
    {
      hk_json_key (g, "unified");
      yajl_gen_map_open (g);
      for (size_t i = 0; i < r->unified_len; i++)
        hk_json_kstr (g, r->unified[i].key, r->unified[i].value);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
  return hk_json_finish (g, false, out, NULL, err);
}
