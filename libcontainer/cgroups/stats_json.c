/* SPDX-License-Identifier: Apache-2.0 */
/* A struct husk_stats as the "data" object of runc's stats event:
 * {"cpu":{"usage":{...},"throttling":{...}},"memory":{...},"pids":{...},
 *  "blkio":{...},"hugetlb":{...},"network_interfaces":[...]}. A part that
 * was not read is left out (an empty object, or no key). */
#include "config.h"
#include <inttypes.h>
#include "cgroups/internal.h"
#include "husk/stats.h"
#include "json.h"
#include "utils.h"

static void
num (yajl_gen g, uint64_t v)
{
  char b[32];
  int n = snprintf (b, sizeof b, "%" PRIu64, v);
  yajl_gen_number (g, b, (size_t) n);
}

static void
knum (yajl_gen g, const char *k, uint64_t v)
{
  hk_json_key (g, k);
  num (g, v);
}

static void
numbers (yajl_gen g, const char *key, bool has, const uint64_t *v, size_t n)
{
  if (!has)
    return;
  hk_json_key (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    num (g, v[i]);
  yajl_gen_array_close (g);
}

static void
cpu_json (yajl_gen g, const struct husk_stats_cpu *c)
{
  hk_json_key (g, "cpu");
  yajl_gen_map_open (g);
  hk_json_key (g, "usage");
  yajl_gen_map_open (g);
  if (c->has_total)
    knum (g, "total", c->total);
  numbers (g, "percpu", c->has_percpu, c->percpu, c->n_percpu);
  numbers (g, "percpu_kernel", c->has_percpu_kernel, c->percpu_kernel, c->n_percpu_kernel);
  numbers (g, "percpu_user", c->has_percpu_user, c->percpu_user, c->n_percpu_user);
  if (c->has_kernel_user)
    {
      knum (g, "kernel", c->kernel);
      knum (g, "user", c->user);
    }
  yajl_gen_map_close (g);
  hk_json_key (g, "throttling");
  yajl_gen_map_open (g);
  if (c->has_throttling)
    {
      knum (g, "periods", c->periods);
      knum (g, "throttled_periods", c->throttled_periods);
      knum (g, "throttled_time", c->throttled_time);
    }
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
}

static void
mem_entry_json (yajl_gen g, const char *key, const struct husk_stats_memory_entry *e)
{
  if (!e->present)
    return;
  hk_json_key (g, key);
  yajl_gen_map_open (g);
  knum (g, "limit", e->limit);
  knum (g, "usage", e->usage);
  knum (g, "max", e->max);
  knum (g, "failcnt", e->failcnt);
  yajl_gen_map_close (g);
}

static void
memory_json (yajl_gen g, const struct husk_stats_memory *m)
{
  hk_json_key (g, "memory");
  yajl_gen_map_open (g);
  if (m->present)
    {
      knum (g, "cache", m->cache);
      mem_entry_json (g, "usage", &m->usage);
      mem_entry_json (g, "swap", &m->swap);
      mem_entry_json (g, "kernel", &m->kernel);
      mem_entry_json (g, "kernelTCP", &m->kernel_tcp);
    }
  if (m->has_stat)
    {
      hk_json_key (g, "raw");
      yajl_gen_map_open (g);
      for (size_t i = 0; i < m->n_stat; i++)
        knum (g, m->stat[i].key, m->stat[i].value);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

static void
pids_json (yajl_gen g, const struct husk_stats_pids *p)
{
  hk_json_key (g, "pids");
  yajl_gen_map_open (g);
  if (p->present)
    {
      knum (g, "current", p->current);
      knum (g, "limit", p->limit);
    }
  yajl_gen_map_close (g);
}

static void
blkio_list (yajl_gen g, const char *key, bool has, const struct husk_stats_blkio_entry *e, size_t n)
{
  if (!has)
    return;
  hk_json_key (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    {
      yajl_gen_map_open (g);
      knum (g, "major", e[i].major);
      knum (g, "minor", e[i].minor);
      hk_json_kstr (g, "op", e[i].op);
      knum (g, "value", e[i].value);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

static void
blkio_json (yajl_gen g, const struct husk_stats_blkio *b)
{
  hk_json_key (g, "blkio");
  yajl_gen_map_open (g);
  blkio_list (g, "ioServiceBytesRecursive", b->has_service_bytes, b->service_bytes,
              b->n_service_bytes);
  blkio_list (g, "ioServicedRecursive", b->has_serviced, b->serviced, b->n_serviced);
  yajl_gen_map_close (g);
}

static void
hugetlb_json (yajl_gen g, const struct husk_stats *s)
{
  hk_json_key (g, "hugetlb");
  yajl_gen_map_open (g);
  for (size_t i = 0; i < s->n_hugetlb; i++)
    {
      const struct husk_stats_hugetlb *h = &s->hugetlb[i];
      hk_json_key (g, h->pagesize);
      yajl_gen_map_open (g);
      knum (g, "usage", h->usage);
      if (h->has_max)
        knum (g, "max", h->max);
      knum (g, "failcnt", h->failcnt);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

static void
net_json (yajl_gen g, const struct husk_stats *s)
{
  if (!s->has_network)
    return;
  hk_json_key (g, "network_interfaces");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < s->n_network; i++)
    {
      const struct husk_stats_net *n = &s->network[i];
      yajl_gen_map_open (g);
      hk_json_kstr (g, "name", n->name);
      knum (g, "rx_bytes", n->rx_bytes);
      knum (g, "rx_packets", n->rx_packets);
      knum (g, "rx_errors", n->rx_errors);
      knum (g, "rx_dropped", n->rx_dropped);
      knum (g, "tx_bytes", n->tx_bytes);
      knum (g, "tx_packets", n->tx_packets);
      knum (g, "tx_errors", n->tx_errors);
      knum (g, "tx_dropped", n->tx_dropped);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

void
cg_stats_json (const struct husk_stats *s, struct yajl_gen_t *g)
{
  yajl_gen_map_open (g);
  cpu_json (g, &s->cpu);
  memory_json (g, &s->memory);
  pids_json (g, &s->pids);
  blkio_json (g, &s->blkio);
  hugetlb_json (g, s);
  net_json (g, s);
  yajl_gen_map_close (g);
}

int
cg_stats_emit (const struct husk_cgroup *cg, pid_t pid, struct yajl_gen_t *g,
               struct husk_error *err)
{
  struct husk_stats *s = NULL;
  int ret = cg_stats_collect (cg, pid, &s, err);
  if (ret < 0)
    return ret;
  cg_stats_json (s, g);
  husk_stats_free (s);
  return 0;
}
