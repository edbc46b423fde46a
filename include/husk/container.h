/* The container lifecycle of the OCI runtime spec (runtime.md): create,
 * start, kill, delete, and run (create + start + wait). */
#ifndef HUSK_CONTAINER_H
#define HUSK_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/log.h"
#include "husk/state.h"

#ifdef __cplusplus
extern "C" {
#endif

struct husk_create_opts {
  const char *id;
  const char *bundle;           /* relative to the current directory or absolute */
  const char *console_socket;   /* where the pty master goes (process.terminal) */
  const char *pid_file;         /* the init's host pid is written there */
  bool no_pivot;                /* MS_MOVE + chroot instead of pivot_root */
  bool no_new_keyring;          /* keep the caller's session keyring */
  unsigned preserve_fds;        /* fds 3 .. 3+N-1 are passed to the process */
  bool systemd_cgroup;          /* the systemd cgroup driver (--systemd-cgroup) */
  const struct husk_logger *log;/* debug and warning lines; may be NULL */
};

/* What create leaves to its caller. */
struct husk_created {
  pid_t pid;                    /* the init's host pid */
  int pty_master;               /* with process.terminal and no console
                                   socket (run in the foreground): the pty
                                   master; otherwise -1 */
};

/* Create a container: the init is set up and waits on the exec fifo. On
 * failure nothing is left (no state directory, no process, no mount). The
 * init is a child of the caller. Without a console socket a terminal
 * container is refused unless want_pty (run in the foreground). */
int husk_container_create (const struct husk_store *store, const struct husk_create_opts *o,
                           bool want_pty, struct husk_created *out, struct husk_error *err);

/* Start the process of a created container; runs poststart hooks. */
int husk_container_start (const struct husk_store *store, const char *id,
                          const struct husk_logger *log, struct husk_error *err);

/* Send sig to the init (all: to every process of the container). */
int husk_container_kill (const struct husk_store *store, const char *id, int sig, bool all,
                         struct husk_error *err);

/* Delete a stopped container (force: kill it first); runs poststop hooks. */
int husk_container_delete (const struct husk_store *store, const char *id, bool force,
                           const struct husk_logger *log, struct husk_error *err);

struct husk_run_opts {
  struct husk_create_opts create;
  bool detach;                  /* return once started */
  bool keep;                    /* do not delete after the process exits */
  bool no_subreaper;
};

/* run: create, start, and (unless detach) wait for the init, forwarding
 * signals and, with a terminal, copying the caller's terminal to the pty.
 * *exit_status is the container's exit status (128+N for a signal). */
int husk_container_run (const struct husk_store *store, const struct husk_run_opts *o,
                        int *exit_status, struct husk_error *err);

/* "KILL", "SIGKILL", "9" -> 9; -EINVAL when unknown. */
int husk_signal_parse (const char *s, int *sig);

#ifdef __cplusplus
}
#endif
#endif
