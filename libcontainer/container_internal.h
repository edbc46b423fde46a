/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by container.c, run.c and exec.c. */
#ifndef HUSK_CONTAINER_INTERNAL_H
#define HUSK_CONTAINER_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/spec.h"

/* In the container's state directory (EXEC_FIFO and CONFIG_COPY: store.h). */
#include "store.h"

/* The copy of config.json that create keeps in the container's directory. */
int hk_load_config_copy (int dirfd, const char *id, struct husk_spec **spec,
                         struct husk_error *err);

/* The text of `exec --process` (config.json's "process" object), parsed
 * and validated as config.json's own; name prefixes the errors. */
int hk_exec_process_parse (const char *data, size_t len, const char *name, struct husk_spec **out,
                           struct husk_error *err);

/* --pid-file: pid written atomically to path (relative to the cwd). */
int hk_write_pid_file (const char *path, pid_t pid, struct husk_error *err);

/* Wait for pid (our child) in the foreground: forward the signals we get to
 * it, copy the caller's terminal to pty (when >= 0, in raw mode), reap
 * the orphans reparented to us when reap_orphans (run as a subreaper).
 * *exit_status: its exit status, 128+N for a signal. */
int hk_supervise (pid_t pid, int pty, bool reap_orphans, int *exit_status, struct husk_error *err);

#endif
