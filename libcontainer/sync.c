/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "sync.h"
#include "utils.h"

#define SYNC_MAX_DATA (4u << 20)

struct wire_header
{
  uint32_t type;
  int32_t code;
};

int
hk_sync_pair (int fds[2], struct husk_error *err)
{
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return husk_error_set (err, errno, "socketpair");
  return 0;
}

int
hk_sync_send (int sock, uint32_t type, int32_t code, const void *data, size_t len, int fd)
{
  struct wire_header h = { type, code };
  struct iovec iov[2] = { { &h, sizeof h }, { (void *) data, len } };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr m = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
  if (fd >= 0)
    {
      memset (&u, 0, sizeof u);
      m.msg_control = u.buf;
      m.msg_controllen = sizeof u.buf;
      struct cmsghdr *c = CMSG_FIRSTHDR (&m);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (c), &fd, sizeof fd);
    }
  ssize_t n;
  do
    n = sendmsg (sock, &m, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  return 0;
}

void
hk_sync_msg_clear (struct husk_sync_msg *msg)
{
  free (msg->data);
  msg->data = NULL;
  if (msg->fd >= 0)
    close (msg->fd);
  msg->fd = -1;
  msg->len = 0;
}

/* Wait for the next message, ended by the caller's SIGTERM, SIGINT or
 * SIGHUP even while they are blocked (husk run holds them back to forward
 * them to the container): no wait on the other side is unbounded by the
 * caller's will. */
static int
wait_readable (int sock)
{
  for (;;)
    {
      sigset_t pending;
      if (sigpending (&pending) == 0
          && (sigismember (&pending, SIGTERM) == 1 || sigismember (&pending, SIGINT) == 1
              || sigismember (&pending, SIGHUP) == 1))
        return -EINTR;
      struct pollfd p = { sock, POLLIN, 0 };
      int n = poll (&p, 1, 200);
      if (n > 0)
        return 0;
      if (n < 0 && errno != EINTR)
        return -errno;
    }
}

int
hk_sync_recv (int sock, struct husk_sync_msg *msg)
{
  msg->data = NULL;
  msg->fd = -1;
  msg->len = 0;
  int w = wait_readable (sock);
  if (w < 0)
    return w;
  ssize_t size;
  /* the size of the next message: MSG_TRUNC returns it even when it does not
   * fit, and with no buffer nothing is read (not a NULL dereference) */
  do
    size = recv (sock, NULL, 0, MSG_PEEK | MSG_TRUNC); /* cppcheck-suppress nullPointer */
  while (size < 0 && errno == EINTR);
  if (size < 0)
    return -errno;
  if (size == 0)
    return -EPIPE;
  if ((size_t) size < sizeof (struct wire_header) || (size_t) size > SYNC_MAX_DATA)
    return -EBADMSG;
  char *buf = malloc ((size_t) size + 1);
  if (buf == NULL)
    return -ENOMEM;
  union
  {
    char cbuf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct iovec iov = { buf, (size_t) size };
  struct msghdr m = {
    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.cbuf, .msg_controllen = sizeof u.cbuf
  };
  ssize_t n;
  do
    n = recvmsg (sock, &m, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int e = errno;
      free (buf);
      return -e;
    }
  for (struct cmsghdr *c = CMSG_FIRSTHDR (&m); c; c = CMSG_NXTHDR (&m, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      memcpy (&msg->fd, CMSG_DATA (c), sizeof (int));
  struct wire_header h;
  memcpy (&h, buf, sizeof h);
  msg->type = h.type;
  msg->code = h.code;
  msg->len = (size_t) n - sizeof h;
  memmove (buf, buf + sizeof h, msg->len);
  buf[msg->len] = '\0';
  msg->data = buf;
  return 0;
}

int
hk_sync_send_error (int sock, const struct husk_error *err)
{
  return hk_sync_send (sock, HUSK_SYNC_ERROR, err->code, err->msg, strlen (err->msg), -1);
}

int
hk_sync_expect (int sock, uint32_t type, struct husk_sync_msg *msg, struct husk_error *err)
{
  int ret = hk_sync_recv (sock, msg);
  if (ret == -EPIPE)
    return husk_error_setx (err, EPIPE, "init: exited before it was ready");
  if (ret == -EINTR)
    return husk_error_setx (err, EINTR,
                            "interrupted (SIGTERM, SIGINT or SIGHUP) while waiting for "
                            "the other side");
  if (ret < 0)
    return husk_error_set (err, -ret, "receive from init");
  if (msg->type == HUSK_SYNC_ERROR)
    {
      ret = husk_error_setx (err, msg->code ? msg->code : EIO, "%s", msg->data);
      hk_sync_msg_clear (msg);
      return ret;
    }
  if (msg->type != type)
    {
      uint32_t got = msg->type;
      hk_sync_msg_clear (msg);
      return husk_error_setx (err, EBADMSG, "sync: expected message %u, got %u", type, got);
    }
  return 0;
}
