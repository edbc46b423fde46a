/* SPDX-License-Identifier: Apache-2.0 */
/* The commands that work on a container's cgroup: pause, resume, update,
 * events (statistics and OOM notifications) and ps. Each opens the
 * container, locks it while it changes it, and keeps state.json in step. */
#ifndef HUSK_PUBLIC_CGROUPS_H
#define HUSK_PUBLIC_CGROUPS_H

#include "husk/export.h"
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/log.h"
#include "husk/state.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Freeze every process of a running container (waits until frozen);
 * its status becomes "paused". */
HUSK_API int husk_container_pause (const struct husk_store *store, const char *id,
                                   struct husk_error *err);
/* Thaw a paused container; its status becomes "running". */
HUSK_API int husk_container_resume (const struct husk_store *store, const char *id,
                                    struct husk_error *err);

/* Apply resources (a linux.resources JSON object) to a created, running
 * or paused container; the values given are merged into those kept in
 * state.json. log (may be NULL) gets warnings. */
HUSK_API int husk_container_update (const struct husk_store *store, const char *id,
                                    const char *resources_json, const struct husk_logger *log,
                                    struct husk_error *err);

/* One runc event line (no newline): {"type":"stats","id":ID,"data":{...}}.
 * The same statistics as a struct: husk_container_stats_read (husk/stats.h). */
HUSK_API int husk_container_stats (const struct husk_store *store, const char *id, char **out,
                                   struct husk_error *err);

/* Called with each event line; a non-zero return stops the stream. */
typedef int (*husk_event_fn) (const char *line, void *data);
/* Stats every interval_ms and {"type":"oom","id":ID} as OOM kills happen,
 * until the container stops (returns 0) or fn returns non-zero. */
HUSK_API int husk_container_events (const struct husk_store *store, const char *id,
                                    unsigned interval_ms, husk_event_fn fn, void *data,
                                    struct husk_error *err);

/* The host pids of every process in the container's cgroup. */
HUSK_API int husk_container_pids (const struct husk_store *store, const char *id, pid_t **pids,
                                  size_t *n, struct husk_error *err);

#ifdef __cplusplus
}
#endif
#endif
