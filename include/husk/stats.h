/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics of a container's cgroup (and of its network namespace) as a
 * struct: what `husk events --stats` prints as runc's stats event, read
 * once. Values are what the kernel's files hold at the time of the read;
 * times are in nanoseconds, sizes in bytes.
 *
 * The library allocates the struct (husk_container_stats_read) and frees
 * it (husk_stats_free): new fields may be added at the end in later
 * versions, so never allocate, copy or embed a struct husk_stats yourself.
 * Each part has a flag that says whether it was read: a part the host
 * lacks (no such controller, an older kernel, swap accounting off) is
 * absent, which is not the same as a value of 0. */
#ifndef HUSK_STATS_H
#define HUSK_STATS_H

#include "husk/export.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "husk/error.h"
#include "husk/state.h"

#ifdef __cplusplus
extern "C" {
#endif

struct husk_stats_cpu
{
  /* cpuacct.usage on v1; usage_usec of cpu.stat on v2 */
  bool has_total;
  uint64_t total;
  /* the time in kernel and user mode (v1: cpuacct.stat, v2: cpu.stat) */
  bool has_kernel_user;
  uint64_t kernel, user;
  /* v1 only: one value per cpu (cpuacct.usage_percpu{,_sys,_user}) */
  bool has_percpu, has_percpu_kernel, has_percpu_user;
  uint64_t *percpu, *percpu_kernel, *percpu_user;
  size_t n_percpu, n_percpu_kernel, n_percpu_user;
  /* CFS bandwidth (cpu.stat): periods elapsed, periods throttled, time throttled */
  bool has_throttling;
  uint64_t periods, throttled_periods, throttled_time;
};

/* One memory counter: limit (UINT64_MAX or the kernel's "unlimited" value
 * when none), current usage, highest usage, and how often the limit was hit. */
struct husk_stats_memory_entry
{
  bool present;
  uint64_t limit, usage, max, failcnt;
};

/* A "key value" line of a stat file, in the file's order. */
struct husk_stats_kv
{
  char *key;
  uint64_t value;
};

struct husk_stats_memory
{
  bool present;                              /* a memory controller */
  uint64_t cache;                            /* page cache ("cache" v1, "file" v2) */
  struct husk_stats_memory_entry usage;      /* memory */
  struct husk_stats_memory_entry swap;       /* v1: memory+swap (memsw); v2: swap */
  struct husk_stats_memory_entry kernel;     /* v1 only: kmem */
  struct husk_stats_memory_entry kernel_tcp; /* v1 only: kmem.tcp */
  bool has_stat;                             /* memory.stat as it was read */
  struct husk_stats_kv *stat;
  size_t n_stat;
};

struct husk_stats_pids
{
  bool present;
  uint64_t current;
  uint64_t limit; /* 0: no limit */
};

/* One line of a block I/O counter: device, operation ("Read", "Write",
 * and on v1 also "Sync", "Async", "Discard", "Total"), value. */
struct husk_stats_blkio_entry
{
  uint32_t major, minor;
  char op[16];
  uint64_t value;
};

struct husk_stats_blkio
{
  /* bytes (v1 blkio.throttle.io_service_bytes_recursive; v2 io.stat rbytes/wbytes) */
  bool has_service_bytes;
  struct husk_stats_blkio_entry *service_bytes;
  size_t n_service_bytes;
  /* operations (v1 blkio.throttle.io_serviced_recursive; v2 io.stat rios/wios) */
  bool has_serviced;
  struct husk_stats_blkio_entry *serviced;
  size_t n_serviced;
};

/* One huge page size ("2MB", "1GB"). */
struct husk_stats_hugetlb
{
  char pagesize[32];
  uint64_t usage;
  bool has_max; /* v1 only: highest usage */
  uint64_t max;
  uint64_t failcnt; /* v1 failcnt; v2 "max" of hugetlb.SIZE.events */
};

/* One interface of the container's network namespace (loopback left out). */
struct husk_stats_net
{
  char name[64];
  uint64_t rx_bytes, rx_packets, rx_errors, rx_dropped;
  uint64_t tx_bytes, tx_packets, tx_errors, tx_dropped;
};

struct husk_stats
{
  struct husk_stats_cpu cpu;
  struct husk_stats_memory memory;
  struct husk_stats_pids pids;
  struct husk_stats_blkio blkio;
  struct husk_stats_hugetlb *hugetlb; /* in the order the cgroup lists them */
  size_t n_hugetlb;
  bool has_network; /* the init's /proc/PID/net/dev was read */
  struct husk_stats_net *network;
  size_t n_network;
};

/* Read the statistics of a created, running or paused container. A
 * stopped container, or one without a cgroup, is an error. Free *out with
 * husk_stats_free. */
HUSK_API int husk_container_stats_read (const struct husk_store *store, const char *id,
                                        struct husk_stats **out, struct husk_error *err);

/* Free what husk_container_stats_read returned (NULL is allowed). */
HUSK_API void husk_stats_free (struct husk_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
