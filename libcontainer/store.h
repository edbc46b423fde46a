/* SPDX-License-Identifier: Apache-2.0 */
/* The state store's internals: container directories, their lock, and the
 * state.json of one container. Not part of the API (include/husk/state.h). */
#ifndef HUSK_STORE_H
#define HUSK_STORE_H

/* In a container's directory, beside state.json: the fifo the init waits
 * on until start, and the copy of config.json that create keeps. */
#define EXEC_FIFO "exec.fifo"
#define CONFIG_COPY "config.json"

#include <stdbool.h>
#include <sys/types.h>
#include "husk/state.h"
#include "husk/log.h"

/* Create the directory of a new container and lock it; *dirfd is the locked
 * directory. "container "ID" already exists" when it does. */
int hk_container_dir_create (const struct husk_store *store, const char *id, int *dirfd,
                             struct husk_error *err);
/* Open and lock (exclusively) an existing container's directory.
 * "container "ID" does not exist" when missing. */
int hk_container_dir_open (const struct husk_store *store, const char *id, int *dirfd,
                           struct husk_error *err);
/* Remove a container's directory and everything in it. */
int hk_container_dir_remove (const struct husk_store *store, const char *id,
                             struct husk_error *err);

/* state.json, atomically. */
int hk_state_write (int dirfd, const struct husk_state *state, struct husk_error *err);
/* Read state.json from a container directory and refresh its status. */
int hk_state_read (int dirfd, const char *id, struct husk_state **out, struct husk_error *err);
/* A state whose init is gone (or whose pid was reused, or that has no
 * start time to tell) becomes stopped, with pid 0. */
void hk_state_refresh (struct husk_state *state);

/* starttime (field 22) of /proc/PID/stat; -ESRCH when the process is gone. */
int hk_proc_start_time (pid_t pid, unsigned long long *out);
/* A pidfd of the state's init, when it still is that process (its start
 * time is the one recorded; checked after the pidfd pins it); -ESRCH when
 * it is gone or cannot be told apart from another process. */
int hk_state_pidfd (const struct husk_state *state);

/* RFC 3339 time with nanoseconds, UTC, of now. buf >= 40 bytes. */
void hk_time_now_rfc3339 (char *buf, size_t size);

/* Format one log line (without the trailing newline) into buf. */
int hk_log_format_line (enum husk_log_format format, enum husk_log_level level, const char *msg,
                        long long epoch_secs, char *buf, size_t size);

#endif
