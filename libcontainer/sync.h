/* SPDX-License-Identifier: Apache-2.0 */
/* Parent <-> init protocol: typed messages over a SOCK_SEQPACKET socketpair,
 * optionally carrying one file descriptor (SCM_RIGHTS). */
#ifndef HUSK_SYNC_H
#define HUSK_SYNC_H

#include <stddef.h>
#include <stdint.h>
#include "husk/error.h"

enum husk_sync_type
{
  HUSK_SYNC_MAPS = 1,           /* init -> parent: write my uid/gid maps now */
  HUSK_SYNC_MAPS_DONE,          /* parent -> init */
  HUSK_SYNC_PID,                /* intermediate -> parent: the init's host pid (data: int32) */
  HUSK_SYNC_RUNTIME_HOOKS,      /* init -> parent: run prestart + createRuntime hooks */
  HUSK_SYNC_RUNTIME_HOOKS_DONE, /* parent -> init (data: the state JSON for later hooks) */
  HUSK_SYNC_PTY,                /* init -> parent: the pty master (fd) */
  HUSK_SYNC_SECCOMP,            /* init -> parent: the seccomp notify fd */
  HUSK_SYNC_READY,              /* init -> parent: set up, waiting on the exec fifo */
  HUSK_SYNC_ERROR,              /* either way: code = errno, data = message */
  HUSK_SYNC_CREATED,            /* parent -> init: recorded as created (data: the
                                state JSON for the startContainer hooks) */
};

struct husk_sync_msg
{
  uint32_t type;
  int32_t code;
  size_t len; /* bytes in data, not counting the NUL that ends it */
  char *data; /* NUL-terminated; owned by the message */
  int fd;     /* received fd, or -1 */
};

int hk_sync_pair (int fds[2], struct husk_error *err);
int hk_sync_send (int sock, uint32_t type, int32_t code, const void *data, size_t len, int fd);
/* Receive one message. EOF (peer gone) is -EPIPE. */
int hk_sync_recv (int sock, struct husk_sync_msg *msg);
void hk_sync_msg_clear (struct husk_sync_msg *msg);

/* Send an error message (from the init: "init: STEP: strerror"). */
int hk_sync_send_error (int sock, const struct husk_error *err);

/* Receive a message and expect type; an ERROR message (or anything else)
 * fills err and fails. */
int hk_sync_expect (int sock, uint32_t type, struct husk_sync_msg *msg, struct husk_error *err);

#endif
