/* SPDX-License-Identifier: Apache-2.0 */
/* The container's init: the process cloned by create, which sets up the
 * container in the spec's order and waits on the exec fifo before execve. */
#ifndef HUSK_INIT_H
#define HUSK_INIT_H

#include <stdbool.h>
#include "husk/spec.h"

struct husk_init_args
{
  const struct husk_spec *spec;
  const char *bundle;              /* absolute */
  const char *rootfs;              /* absolute */
  int sync;                        /* the init's end of the socketpair */
  int exec_fifo;                   /* O_PATH fd of the state directory's exec.fifo */
  int host_proc;                   /* O_PATH fd of the host's /proc */
  int ns_fds[HUSK_SPEC_NS__COUNT]; /* namespaces to join (by path), -1 otherwise */
  int close_fd;                    /* the locked state directory: closed at once */
  const int *bind_fds;             /* bind sources cloned on the host, per config mount
                                      (-1 or NULL: opened by the init); closed after
                                      the mounts */
  size_t bind_fds_len;
  bool new_userns;
  bool userns_joined; /* already in the user namespace given by path
                                (joined before the clone, see container.c) */
  bool no_pivot;
  bool no_new_keyring;
  unsigned preserve_fds;
  const char *id; /* for the session keyring's name */
};

/* Runs in the cloned child; never returns. */
__attribute__ ((noreturn)) void hk_init_main (const struct husk_init_args *a);

#endif
