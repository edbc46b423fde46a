/* SPDX-License-Identifier: Apache-2.0 */
/* Value translations between the spec (written in cgroup v1 terms) and the
 * files of v1 and v2: the conversions runc uses (docs/cgroups.md). */
#include "config.h"
#include <inttypes.h>
#include "cgroups/internal.h"
#include "utils.h"

uint64_t
cg_shares_to_weight (uint64_t shares)
{
  if (shares == 0)
    return 0;
  if (shares < 2)
    shares = 2;
  if (shares > 262144)
    shares = 262144;
  /* [2, 262144] onto [1, 10000] linearly */
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t
cg_blkio_to_io_weight (uint64_t weight)
{
  if (weight == 0)
    return 0;
  if (weight < 10)
    weight = 10;
  if (weight > 1000)
    weight = 1000;
  /* [10, 1000] onto [1, 10000] linearly */
  return 1 + ((weight - 10) * 9999) / 990;
}

int
cg_swap_to_v2 (bool has_limit, int64_t limit, int64_t swap, char *out, size_t size,
               struct husk_error *err)
{
  /* the spec's swap is memory+swap (v1's memsw); v2's memory.swap.max is
   * the swap alone */
  if (swap == -1)
    {
      snprintf (out, size, "max");
      return 0;
    }
  if (swap == 0)
    {
      /* no swap at all */
      snprintf (out, size, "0");
      return 0;
    }
  if (!has_limit || limit == 0)
    return husk_error_setx (err, EINVAL,
                            "linux.resources.memory.swap %" PRId64
                            ": needs memory.limit on cgroup v2",
                            swap);
  if (limit == -1)
    return husk_error_setx (err, EINVAL,
                            "linux.resources.memory.swap %" PRId64
                            ": an unlimited memory.limit needs an unlimited swap (-1)",
                            swap);
  if (swap < limit)
    return husk_error_setx (err, EINVAL,
                            "linux.resources.memory.swap %" PRId64
                            ": memory+swap must be at least memory.limit %" PRId64,
                            swap, limit);
  snprintf (out, size, "%" PRId64, swap - limit);
  return 0;
}

void
cg_cpu_max (bool has_quota, int64_t quota, uint64_t period, char *out, size_t size)
{
  if (period == 0)
    period = 100000;
  if (!has_quota || quota <= 0)
    snprintf (out, size, "max %" PRIu64, period);
  else
    snprintf (out, size, "%" PRId64 " %" PRIu64, quota, period);
}

void
cg_limit_str (int64_t v, bool v2, char *out, size_t size)
{
  if (v < 0)
    snprintf (out, size, "%s", v2 ? "max" : "-1");
  else
    snprintf (out, size, "%" PRId64, v);
}

int
cg_hugepage_size_ok (const char *s)
{
  if (s == NULL || *s < '1' || *s > '9')
    return 0;
  while (*s >= '0' && *s <= '9')
    s++;
  static const char *const units[] = { "B", "KB", "MB", "GB", "TB", "PB" };
  for (size_t i = 0; i < ARRAY_SIZE (units); i++)
    if (strcmp (s, units[i]) == 0)
      return 1;
  return 0;
}

/* A memory value of the spec: -1 is "unlimited", 0 "unset", else bytes. */
static int
memory_value_ok (bool has, int64_t v, const char *name, struct husk_error *err)
{
  if (has && v < -1)
    return husk_error_setx (err, EINVAL,
                            "linux.resources.memory.%s %" PRId64
                            ": not a number of bytes (only -1 means unlimited)",
                            name, v);
  return 0;
}

int
cg_resources_check (const struct husk_spec_resources *r, struct husk_error *err)
{
  int ret;
  if (r == NULL)
    return 0;
  const struct husk_spec_memory *m = r->memory;
  if (m
      && ((ret = memory_value_ok (m->has_limit, m->limit, "limit", err)) < 0
          || (ret = memory_value_ok (m->has_reservation, m->reservation, "reservation", err)) < 0
          || (ret = memory_value_ok (m->has_swap, m->swap, "swap", err)) < 0
          || (ret = memory_value_ok (m->has_kernel, m->kernel, "kernel", err)) < 0
          || (ret = memory_value_ok (m->has_kernel_tcp, m->kernel_tcp, "kernelTCP", err)) < 0))
    return ret;
  if (m && m->has_swappiness && m->swappiness > 100)
    return husk_error_setx (err, EINVAL,
                            "linux.resources.memory.swappiness %" PRIu64 ": not in 0..100",
                            m->swappiness);
  /* pids.limit and cpu.quota: as runc (and the kernel for the quota), any
   * negative value is "no limit" and 0 leaves the limit as it is */
  return 0;
}
