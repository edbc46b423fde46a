/* SPDX-License-Identifier: Apache-2.0 */
/* A small rtnetlink client (see netlink.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/rtnetlink.h>

#include "netlink.h"
#include "utils.h"

/* ------------------------------------------------------------ netlink */

void *
nl_req_init (struct req *r, uint16_t type, uint16_t flags, size_t hdrlen)
{
  memset (r, 0, sizeof *r);
  r->u.h.nlmsg_len = NLMSG_LENGTH (hdrlen);
  r->u.h.nlmsg_type = type;
  r->u.h.nlmsg_flags = NLM_F_REQUEST | flags;
  return NLMSG_DATA (&r->u.h);
}

/* not inlined: GCC 12 with the sanitizers, inlining this into the small
 * wrappers below, takes the buffer for the union's first member
 * (nlmsg_len) and warns of an overflow that the bound above excludes */
__attribute__ ((noinline)) void
nl_req_attr (struct req *r, uint16_t type, const void *data, size_t len)
{
  size_t off = NLMSG_ALIGN (r->u.h.nlmsg_len);
  if (off + RTA_SPACE (len) > sizeof r->u.buf)
    {
      r->overflow = true;
      return;
    }
  /* header and data copied as bytes into the buffer */
  struct rtattr a = { .rta_len = (unsigned short) RTA_LENGTH (len), .rta_type = type };
  char *p = r->u.buf + off;
  memcpy (p, &a, sizeof a);
  memcpy (p + RTA_LENGTH (0), data, len);
  r->u.h.nlmsg_len = (uint32_t) (off + RTA_SPACE (len));
}

void
nl_req_attr_str (struct req *r, uint16_t type, const char *s)
{
  nl_req_attr (r, type, s, strlen (s) + 1);
}

void
nl_req_attr_u32 (struct req *r, uint16_t type, uint32_t v)
{
  nl_req_attr (r, type, &v, sizeof v);
}

int
nl_socket (void)
{
  int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0)
    return -errno;
  int one = 1;
  /* optional: better messages, shorter acks */
  (void) setsockopt (fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  (void) setsockopt (fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    {
      int e = errno;
      close (fd);
      return -e;
    }
  return fd;
}

void
nl_close (struct nl *nl)
{
  if (nl->fd >= 0)
    close (nl->fd);
  nl->fd = -1;
  free (nl->buf);
  nl->buf = NULL;
}

int
nl_init (struct nl *nl, int fd)
{
  nl->fd = fd;
  nl->seq = (uint32_t) getpid () << 8;
  nl->ext[0] = '\0';
  nl->buf = malloc (RECV_BUF_SIZE);
  return nl->buf ? 0 : -ENOMEM;
}

/* The extended ack message of an NLMSG_ERROR, if the kernel sent one. */
static void
nl_parse_ext_ack (struct nl *nl, const struct nlmsghdr *h)
{
  if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
    return;
  const struct nlmsgerr *e = NLMSG_DATA (h);
  size_t off = sizeof *e;
  if (!(h->nlmsg_flags & NLM_F_CAPPED))
    off += e->msg.nlmsg_len - NLMSG_HDRLEN;
  off = NLMSG_ALIGN (off);
  size_t len = h->nlmsg_len - NLMSG_HDRLEN;
  const char *p = (const char *) NLMSG_DATA (h);
  while (off + sizeof (struct nlattr) <= len)
    {
      const struct nlattr *a = (const struct nlattr *) (p + off);
      if (a->nla_len < sizeof *a || off + a->nla_len > len)
        return;
      if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && a->nla_len > sizeof *a)
        {
          size_t n = a->nla_len - sizeof *a;
          if (n >= sizeof nl->ext)
            n = sizeof nl->ext - 1;
          memcpy (nl->ext, (const char *) a + sizeof *a, n);
          nl->ext[n] = '\0';
          nl->ext[strcspn (nl->ext, "\n")] = '\0';
          return;
        }
      off += NLA_ALIGN (a->nla_len);
    }
}

/* Send one request and read its replies: cb sees each reply that is not an
 * ack, error or end of dump. A dump ends at NLMSG_DONE; any other request
 * (sent with NLM_F_ACK) at its ack. Returns 0, the kernel's -errno (with
 * nl->ext filled when it said more), or -EAGAIN for an interrupted dump. */
int
nl_talk (struct nl *nl, struct req *r, nl_cb cb, void *data)
{
  if (r->overflow)
    return -EMSGSIZE;
  bool dump = (r->u.h.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
  if (!dump)
    r->u.h.nlmsg_flags |= NLM_F_ACK;
  r->u.h.nlmsg_seq = ++nl->seq;
  nl->ext[0] = '\0';

  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  ssize_t s;
  do
    s = sendto (nl->fd, r->u.buf, r->u.h.nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof kernel);
  while (s < 0 && errno == EINTR);
  if (s < 0)
    return -errno;

  bool interrupted = false;
  int cb_ret = 0;
  for (;;)
    {
      struct sockaddr_nl from;
      struct iovec iov = { .iov_base = nl->buf, .iov_len = RECV_BUF_SIZE };
      struct msghdr m = {
        .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1
      };
      ssize_t len;
      do
        len = recvmsg (nl->fd, &m, 0);
      while (len < 0 && errno == EINTR);
      if (len < 0)
        return -errno;
      if (m.msg_flags & MSG_TRUNC)
        return -EMSGSIZE;
      if (from.nl_pid != 0)
        continue; /* not from the kernel */
      size_t left = (size_t) len;
      for (struct nlmsghdr *h = (struct nlmsghdr *) nl->buf; NLMSG_OK (h, left);
           h = NLMSG_NEXT (h, left))
        {
          if (h->nlmsg_seq != nl->seq)
            continue; /* a late reply to an earlier request */
          if (h->nlmsg_flags & NLM_F_DUMP_INTR)
            interrupted = true;
          if (h->nlmsg_type == NLMSG_ERROR)
            {
              if (h->nlmsg_len < NLMSG_LENGTH (sizeof (struct nlmsgerr)))
                return -EBADMSG;
              const struct nlmsgerr *e = NLMSG_DATA (h);
              if (e->error != 0)
                {
                  nl_parse_ext_ack (nl, h);
                  return e->error;
                }
              if (!dump)
                return cb_ret;
              continue;
            }
          if (h->nlmsg_type == NLMSG_DONE)
            {
              if (h->nlmsg_len >= NLMSG_LENGTH (sizeof (int)))
                {
                  int e = *(const int *) NLMSG_DATA (h);
                  if (e < 0)
                    return e;
                }
              if (cb_ret == 0 && interrupted)
                return -EAGAIN;
              return cb_ret;
            }
          if (cb != NULL && cb_ret == 0)
            cb_ret = cb (h, data);
        }
    }
}

/* A dump, retried when the kernel says it was interrupted by a change. */
int
nl_dump (struct nl *nl, uint16_t type, int family, nl_cb cb, void *data, void (*reset) (void *data))
{
  int ret = -EAGAIN;
  for (int tries = 0; ret == -EAGAIN && tries < 8; tries++)
    {
      struct req r;
      if (type == RTM_GETADDR)
        {
          struct ifaddrmsg *ifa = nl_req_init (&r, type, NLM_F_DUMP, sizeof *ifa);
          ifa->ifa_family = (uint8_t) family;
        }
      else
        {
          struct ifinfomsg *ifi = nl_req_init (&r, type, NLM_F_DUMP, sizeof *ifi);
          ifi->ifi_family = (uint8_t) family;
        }
      if (reset)
        reset (data);
      ret = nl_talk (nl, &r, cb, data);
    }
  return ret;
}
