/* SPDX-License-Identifier: Apache-2.0 */
/* config.json "linux.resources" and "linux.intelRdt". */
#include "config.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "spec_internal.h"
#include "spec/resources.h"
#include "utils.h"

static int
parse_device_cgroup (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_device_cgroup *d = elem;
  int ret = spec_get_bool (c, v, "allow", &d->allow, NULL);
  if (ret == 0)
    ret = spec_get_str (c, v, "type", &d->type);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "major", INT64_MIN, INT64_MAX, &d->major, &d->has_major);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "minor", INT64_MIN, INT64_MAX, &d->minor, &d->has_minor);
  if (ret == 0)
    ret = spec_get_str (c, v, "access", &d->access);
  return ret;
}

static int
parse_memory (struct spec_ctx *c, yajl_val v, struct husk_spec_memory **out)
{
  struct husk_spec_memory *m = calloc (1, sizeof *m);
  if (m == NULL)
    return spec_oom (c);
  *out = m;
  int ret = spec_get_i64 (c, v, "limit", INT64_MIN, INT64_MAX, &m->limit, &m->has_limit);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "reservation", INT64_MIN, INT64_MAX, &m->reservation,
                        &m->has_reservation);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "swap", INT64_MIN, INT64_MAX, &m->swap, &m->has_swap);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "kernel", INT64_MIN, INT64_MAX, &m->kernel, &m->has_kernel);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "kernelTCP", INT64_MIN, INT64_MAX, &m->kernel_tcp,
                        &m->has_kernel_tcp);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "swappiness", UINT64_MAX, &m->swappiness, &m->has_swappiness);
  if (ret == 0)
    ret = spec_get_bool (c, v, "disableOOMKiller", &m->disable_oom_killer,
                         &m->has_disable_oom_killer);
  if (ret == 0)
    ret = spec_get_bool (c, v, "useHierarchy", &m->use_hierarchy, &m->has_use_hierarchy);
  if (ret == 0)
    ret = spec_get_bool (c, v, "checkBeforeUpdate", &m->check_before_update,
                         &m->has_check_before_update);
  return ret;
}

static int
parse_cpu (struct spec_ctx *c, yajl_val v, struct husk_spec_cpu **out)
{
  struct husk_spec_cpu *p = calloc (1, sizeof *p);
  if (p == NULL)
    return spec_oom (c);
  *out = p;
  int ret = spec_get_u64 (c, v, "shares", UINT64_MAX, &p->shares, &p->has_shares);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "quota", INT64_MIN, INT64_MAX, &p->quota, &p->has_quota);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "burst", UINT64_MAX, &p->burst, &p->has_burst);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "period", UINT64_MAX, &p->period, &p->has_period);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "realtimeRuntime", INT64_MIN, INT64_MAX, &p->realtime_runtime,
                        &p->has_realtime_runtime);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "realtimePeriod", UINT64_MAX, &p->realtime_period,
                        &p->has_realtime_period);
  if (ret == 0)
    ret = spec_get_str (c, v, "cpus", &p->cpus);
  if (ret == 0)
    ret = spec_get_str (c, v, "mems", &p->mems);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "idle", INT64_MIN, INT64_MAX, &p->idle, &p->has_idle);
  return ret;
}

static int
parse_weight_device (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_weight_device *d = elem;
  int ret = spec_get_i64 (c, v, "major", INT64_MIN, INT64_MAX, &d->major, NULL);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "minor", INT64_MIN, INT64_MAX, &d->minor, NULL);
  if (ret == 0)
    ret = spec_get_u16 (c, v, "weight", &d->weight, &d->has_weight);
  if (ret == 0)
    ret = spec_get_u16 (c, v, "leafWeight", &d->leaf_weight, &d->has_leaf_weight);
  return ret;
}

static int
parse_throttle_device (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_throttle_device *d = elem;
  int ret = spec_get_i64 (c, v, "major", INT64_MIN, INT64_MAX, &d->major, NULL);
  if (ret == 0)
    ret = spec_get_i64 (c, v, "minor", INT64_MIN, INT64_MAX, &d->minor, NULL);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "rate", UINT64_MAX, &d->rate, NULL);
  return ret;
}

static int
parse_block_io (struct spec_ctx *c, yajl_val v, struct husk_spec_block_io **out)
{
  struct husk_spec_block_io *b = calloc (1, sizeof *b);
  if (b == NULL)
    return spec_oom (c);
  *out = b;
  int ret = spec_get_u16 (c, v, "weight", &b->weight, &b->has_weight);
  if (ret == 0)
    ret = spec_get_u16 (c, v, "leafWeight", &b->leaf_weight, &b->has_leaf_weight);
  if (ret == 0)
    ret = spec_get_array_of (c, v, "weightDevice", sizeof *b->weight_device,
                             (void **) &b->weight_device, &b->weight_device_len,
                             parse_weight_device);
/* clang-format off */
#define THROTTLE(key, field)                                                            \
  if (ret == 0)                                                                         \
    ret = spec_get_array_of (c, v, key, sizeof *b->field, (void **) &b->field,          \
                             &b->field##_len, parse_throttle_device)
  /* clang-format on */
  THROTTLE ("throttleReadBpsDevice", throttle_read_bps_device);
  THROTTLE ("throttleWriteBpsDevice", throttle_write_bps_device);
  THROTTLE ("throttleReadIOPSDevice", throttle_read_iops_device);
  THROTTLE ("throttleWriteIOPSDevice", throttle_write_iops_device);
#undef THROTTLE
  return ret;
}

static int
parse_hugepage_limit (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_hugepage_limit *h = elem;
  int ret = spec_get_str (c, v, "pageSize", &h->page_size);
  if (ret == 0)
    ret = spec_get_u64 (c, v, "limit", UINT64_MAX, &h->limit, NULL);
  return ret;
}

static int
parse_net_priority (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_net_priority *p = elem;
  int ret = spec_get_str (c, v, "name", &p->name);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "priority", &p->priority, NULL);
  return ret;
}

static int
parse_network (struct spec_ctx *c, yajl_val v, struct husk_spec_network **out)
{
  struct husk_spec_network *n = calloc (1, sizeof *n);
  if (n == NULL)
    return spec_oom (c);
  *out = n;
  int ret = spec_get_u32 (c, v, "classID", &n->class_id, &n->has_class_id);
  if (ret == 0)
    ret = spec_get_array_of (c, v, "priorities", sizeof *n->priorities, (void **) &n->priorities,
                             &n->priorities_len, parse_net_priority);
  return ret;
}

static int
parse_rdma (struct spec_ctx *c, const char *key, yajl_val v, void *elem)
{
  struct husk_spec_rdma *r = elem;
  r->device = strdup (key);
  if (r->device == NULL)
    return spec_oom (c);
  int ret = spec_get_u32 (c, v, "hcaHandles", &r->hca_handles, &r->has_hca_handles);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "hcaObjects", &r->hca_objects, &r->has_hca_objects);
  return ret;
}

int
spec_parse_resources (struct spec_ctx *c, yajl_val v, struct husk_spec_resources **out)
{
  struct husk_spec_resources *r = calloc (1, sizeof *r);
  if (r == NULL)
    return spec_oom (c);
  *out = r;
  yajl_val pids;
  int ret = spec_get_array_of (c, v, "devices", sizeof *r->devices, (void **) &r->devices,
                               &r->devices_len, parse_device_cgroup);
  PARSE_OBJECT (c, v, "memory", r->memory, parse_memory);
  PARSE_OBJECT (c, v, "cpu", r->cpu, parse_cpu);
  if (ret == 0)
    ret = spec_get_object (c, v, "pids", &pids);
  if (ret == 0 && pids)
    {
      size_t old = spec_ctx_push (c, "pids");
      r->has_pids = true;
      ret = spec_get_i64 (c, pids, "limit", INT64_MIN, INT64_MAX, &r->pids_limit,
                          &r->has_pids_limit);
      spec_ctx_pop (c, old);
    }
  PARSE_OBJECT (c, v, "blockIO", r->block_io, parse_block_io);
  if (ret == 0)
    ret = spec_get_array_of (c, v, "hugepageLimits", sizeof *r->hugepage_limits,
                             (void **) &r->hugepage_limits, &r->hugepage_limits_len,
                             parse_hugepage_limit);
  PARSE_OBJECT (c, v, "network", r->network, parse_network);
  if (ret == 0)
    ret = spec_get_map_of (c, v, "rdma", sizeof *r->rdma, (void **) &r->rdma, &r->rdma_len,
                           parse_rdma);
  if (ret == 0)
    ret = spec_get_kv (c, v, "unified", &r->unified, &r->unified_len);
  return ret;
}

int
spec_parse_intel_rdt (struct spec_ctx *c, yajl_val v, struct husk_spec_intel_rdt **out)
{
  struct husk_spec_intel_rdt *r = calloc (1, sizeof *r);
  if (r == NULL)
    return spec_oom (c);
  *out = r;
  int ret = spec_get_str (c, v, "closID", &r->clos_id);
  if (ret == 0)
    ret = spec_get_str (c, v, "l3CacheSchema", &r->l3_cache_schema);
  if (ret == 0)
    ret = spec_get_str (c, v, "memBwSchema", &r->mem_bw_schema);
  if (ret == 0)
    ret = spec_get_strv (c, v, "schemata", &r->schemata, &r->schemata_len);
  if (ret == 0)
    ret = spec_get_bool (c, v, "enableMonitoring", &r->enable_monitoring, NULL);
  if (ret == 0)
    ret = spec_get_bool (c, v, "enableCMT", &r->enable_cmt, NULL);
  if (ret == 0)
    ret = spec_get_bool (c, v, "enableMBM", &r->enable_mbm, NULL);
  return ret;
}

int
hk_spec_resources_from_json (yajl_val v, const char *name, struct husk_spec_resources **out,
                             struct husk_error *err)
{
  struct spec_ctx c;
  spec_ctx_init (&c, name, err);
  *out = NULL;
  int ret = spec_val_object (&c, v);
  if (ret == 0)
    ret = spec_parse_resources (&c, v, out);
  return ret;
}

void
hk_spec_resources_free (struct husk_spec_resources *r)
{
  spec_free_resources (r);
}
