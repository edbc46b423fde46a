/* SPDX-License-Identifier: Apache-2.0 */
/* The container lifecycle of the OCI runtime spec (runtime.md): create,
 * start, kill, delete, and run (create + start + wait). */
#ifndef HUSK_CONTAINER_H
#define HUSK_CONTAINER_H

#include "husk/export.h"
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/log.h"
#include "husk/state.h"

#ifdef __cplusplus
extern "C" {
#endif

struct husk_create_opts
{
  const char *id;
  const char *bundle;            /* relative to the current directory or absolute */
  const char *config_json;       /* the config itself, in memory (config.json's
                                   text); NULL: read BUNDLE/config.json */
  size_t config_len;             /* its length in bytes */
  const char *console_socket;    /* where the pty master goes (process.terminal) */
  const char *pid_file;          /* the init's host pid is written there */
  bool no_pivot;                 /* MS_MOVE + chroot instead of pivot_root */
  bool no_new_keyring;           /* keep the caller's session keyring */
  unsigned preserve_fds;         /* fds 3 .. 3+N-1 are passed to the process */
  bool systemd_cgroup;           /* the systemd cgroup driver (--systemd-cgroup) */
  bool cgroups_disabled;         /* no cgroup at all (crun's --cgroup-manager
                                   disabled): linux.resources are ignored */
  bool rootless;                 /* run as an unprivileged user would (--rootless;
                                   husk_rootless_detect () for "auto"): no cgroup
                                   unless one is writable, no device rules */
  const struct husk_logger *log; /* debug and warning lines; may be NULL */
};

/* What create leaves to its caller. */
struct husk_created
{
  pid_t pid;      /* the init's host pid */
  int pty_master; /* with process.terminal and no console
                                   socket (run in the foreground): the pty
                                   master; otherwise -1 */
};

/* Create a container: the init is set up and waits on the exec fifo. On
 * failure nothing is left (no state directory, no process, no mount). The
 * init is a child of the caller. Without a console socket a terminal
 * container is refused unless want_pty (run in the foreground). */
HUSK_API int husk_container_create (const struct husk_store *store,
                                    const struct husk_create_opts *o, bool want_pty,
                                    struct husk_created *out, struct husk_error *err);

/* Start the process of a created container; runs poststart hooks. */
HUSK_API int husk_container_start (const struct husk_store *store, const char *id,
                                   const struct husk_logger *log, struct husk_error *err);

/* Send sig to the init (all: to every process of the container). */
HUSK_API int husk_container_kill (const struct husk_store *store, const char *id, int sig, bool all,
                                  struct husk_error *err);

/* Delete a stopped container (force: kill it first); runs poststop hooks. */
HUSK_API int husk_container_delete (const struct husk_store *store, const char *id, bool force,
                                    const struct husk_logger *log, struct husk_error *err);

struct husk_run_opts
{
  struct husk_create_opts create;
  bool detach; /* return once started */
  bool keep;   /* do not delete after the process exits */
  bool no_subreaper;
};

/* run: create, start, and (unless detach) wait for the init, forwarding
 * signals and, with a terminal, copying the caller's terminal to the pty.
 * *exit_status is the container's exit status (128+N for a signal). */
HUSK_API int husk_container_run (const struct husk_store *store, const struct husk_run_opts *o,
                                 int *exit_status, struct husk_error *err);

struct husk_exec_opts
{
  const char *id;
  const char *process_file; /* --process: a process JSON (config.md "process") */
  const char *process_json; /* or that JSON in memory (process_len bytes) */
  size_t process_len;
  char **args; /* the command, when no process file */
  size_t args_len;
  const char *cwd; /* --cwd */
  char **env;      /* --env KEY=VALUE, merged over the container's */
  size_t env_len;
  bool set_uid; /* run as uid (--user UID[:GID]) */
  uint32_t uid; /* 0 .. 2^31-1 */
  bool set_gid; /* and as gid; otherwise the config's */
  uint32_t gid;
  unsigned *additional_gids; /* --additional-gids */
  size_t additional_gids_len;
  char **caps; /* --cap, added */
  size_t caps_len;
  bool tty; /* --tty */
  const char *console_socket;
  bool detach;
  const char *pid_file;
  const char *process_label; /* --process-label */
  const char *apparmor;      /* --apparmor */
  bool no_new_privs;
  unsigned preserve_fds;
  const char *cgroup; /* --cgroup: a sub-cgroup, or controller:path */
  bool ignore_paused;
  const struct husk_logger *log;
};

/* Run another process in a created, running (or, with ignore_paused,
 * paused) container. Unless detach, waits for it: *exit_status is its
 * status (128+N for a signal). On failure err->kind tells a malformed
 * request (HUSK_ERROR_INVALID) from one that could not be carried out
 * (HUSK_ERROR_FAILED: no such container, paused, the process could not be
 * started, --pid-file not written); husk exec exits 1 and 255. A caller
 * without privileges over the host's user namespace (rootless) is moved
 * into the container's user namespace for good when the container has
 * one: only there can its pid namespace be joined. */
HUSK_API int husk_container_exec (const struct husk_store *store, const struct husk_exec_opts *o,
                                  int *exit_status, struct husk_error *err);

/* "KILL", "SIGKILL", "9" -> 9; -EINVAL when unknown. */
HUSK_API int husk_signal_parse (const char *s, int *sig);

#ifdef __cplusplus
}
#endif
#endif
