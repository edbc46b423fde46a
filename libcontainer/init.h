/* The container's init: the process cloned by create, which sets up the
 * container in the spec's order and waits on the exec fifo before execve. */
#ifndef HUSK_INIT_H
#define HUSK_INIT_H

#include <stdbool.h>
#include "husk/spec.h"

struct husk_init_args {
  const struct husk_spec *spec;
  const char *bundle;        /* absolute */
  const char *rootfs;        /* absolute */
  int sync;                  /* the init's end of the socketpair */
  int exec_fifo;             /* O_PATH fd of the state directory's exec.fifo */
  int host_proc;             /* O_PATH fd of the host's /proc */
  int ns_fds[HUSK_SPEC_NS__COUNT]; /* namespaces to join (by path), -1 otherwise */
  int close_fd;              /* the locked state directory: closed at once */
  bool new_userns;
  bool userns_joined;        /* already in the user namespace given by path
                                (joined before the clone, see container.c) */
  bool no_pivot;
  bool no_new_keyring;
  unsigned preserve_fds;
  const char *id;            /* for the session keyring's name */
};

/* Runs in the cloned child; never returns. */
__attribute__ ((noreturn)) void hk_init_main (const struct husk_init_args *a);

/* Setup steps of the process (process.c): everything that concerns the
 * process rather than the container: rlimits, oom score, scheduler, I/O
 * priority, personality, umask, user and groups, capabilities,
 * no_new_privs. Errors name the field. */
struct husk_error;
int hk_process_setup_privileged (const struct husk_spec *spec, int procfd, struct husk_error *err);

/* Write value to /proc/FILE ("self/oom_score_adj") through procfd (the
 * host's /proc, or -1 for the path), refusing anything not on procfs. */
int hk_proc_write (int procfd, const char *file, const char *value, struct husk_error *err);
/* chdir to cwd (absolute, in the container) resolved inside the process's
 * root without magic links, creating it when missing and create; checks
 * afterwards that the cwd is below the root. */
int hk_process_chdir (const char *cwd, bool create, struct husk_error *err);
int hk_process_set_user (const struct husk_spec *spec, struct husk_error *err);

/* process.execCPUAffinity.final, just before execve. */
int hk_process_final_affinity (const struct husk_spec_process *p, struct husk_error *err);

/* Resolve args[0] with the PATH of the process's env (inside the
 * container). *out is allocated. Exit code 127 when missing, as runc. */
int hk_process_find_exe (const struct husk_spec_process *p, char **out, struct husk_error *err);

#endif
