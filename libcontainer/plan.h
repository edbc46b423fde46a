/* SPDX-License-Identifier: Apache-2.0 */
/* The process plan: the one description of the process to start, and the
 * one function that applies it, shared by the container's init (init.c)
 * and by exec (exec.c). A defence added here holds for both. */
#ifndef HUSK_PLAN_H
#define HUSK_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include "husk/error.h"
#include "husk/spec.h"

struct hk_plan
{
  /* spec->process is the process; spec->linux_ the container's settings
   * that concern it (seccomp, personality, memory policy, ...) */
  const struct husk_spec *spec;
  int host_proc;         /* O_PATH fd of the host's /proc, for the writes */
  bool drop_host_proc;   /* close host_proc once the labels are set: the
                             command's path must not find it (exec) */
  bool create_cwd;       /* create a missing cwd (the init) */
  const char *keyring;   /* join a new session keyring of this name, or NULL */
  int sync;              /* where the seccomp notify fd is sent */
  unsigned preserve_fds; /* fds 3 .. 3+N-1 reach the process */
  char **env;            /* set by hk_plan_prepare: the process's env, with
                            HOME added when it has none; hk_plan_free */
};

/* Everything before the wait for start, in this order: rlimits, oom score,
 * scheduler, I/O priority, personality, memory policy, umask (privileged);
 * the session keyring; cwd (inside the root, no magic links, checked
 * after); the exec labels; the seccomp filter (before the user change
 * without no_new_privs, after it with); user, groups and capabilities; the
 * notify fd to the parent; and the command resolved with the process's
 * PATH (*exe). On failure *status is the exit status the failure calls
 * for: 127 when the command cannot be found or run (as runc and the
 * shells), 1 otherwise. */
int hk_plan_prepare (struct hk_plan *plan, char **exe, int *status, struct husk_error *err);

/* The last steps: execCPUAffinity.final, every fd past stdio and the
 * preserved ones close-on-exec, signal dispositions and mask reset, execve.
 * Returns only on failure (exit status 127 when execve itself failed). */
int hk_plan_exec (const struct hk_plan *plan, const char *exe, struct husk_error *err);
void hk_plan_free (struct hk_plan *plan);

/* The home directory of uid in the passwd file text (NULL: no entry). */
char *hk_passwd_home (const char *passwd, size_t len, uint32_t uid);

/* The steps (process.c): everything that concerns the
 * process rather than the container: rlimits, oom score, scheduler, I/O
 * priority, personality, umask, user and groups, capabilities,
 * no_new_privs. Errors name the field. */
int hk_process_setup_privileged (const struct husk_spec *spec, int procfd, struct husk_error *err);

/* Write value to /proc/FILE ("self/oom_score_adj") through procfd (the
 * host's /proc, or -1 for the path), refusing anything not on procfs. */
int hk_proc_write (int procfd, const char *file, const char *value, struct husk_error *err);
/* chdir to cwd (absolute, in the container) resolved inside the process's
 * root without magic links, creating it when missing and create; checks
 * afterwards that the cwd is below the root. */
int hk_process_chdir (const char *cwd, bool create, struct husk_error *err);
/* Create cwd (absolute, in the container) when missing, inside the
 * process's root, as the init does before the root is made read-only. */
int hk_process_make_cwd (const char *cwd, struct husk_error *err);
int hk_process_set_user (const struct husk_spec *spec, struct husk_error *err);

/* process.execCPUAffinity.final, just before execve. */
int hk_process_final_affinity (const struct husk_spec_process *p, struct husk_error *err);

/* Resolve args[0] with the PATH of the process's env (inside the
 * container). *out is allocated. Exit code 127 when missing, as runc. */
int hk_process_find_exe (const struct husk_spec_process *p, char **out, struct husk_error *err);

#endif
