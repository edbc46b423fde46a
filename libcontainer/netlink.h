/* SPDX-License-Identifier: Apache-2.0 */
/* A small rtnetlink client: requests built in a fixed buffer, sent and
 * answered (with the kernel's extended ack message kept for errors), and
 * dumps walked with a callback. Used by netdev.c. */
#ifndef HUSK_NETLINK_H
#define HUSK_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define RECV_BUF_SIZE 65536
#define REQ_SIZE 512
#define EXT_MSG_MAX 256

struct nl
{
  int fd;
  uint32_t seq;
  char *buf;             /* RECV_BUF_SIZE bytes */
  char ext[EXT_MSG_MAX]; /* the kernel's extended ack message, if any */
};

struct req
{
  union
  {
    struct nlmsghdr h;
    char buf[REQ_SIZE];
  } u;
  bool overflow;
};

typedef int (*nl_cb) (const struct nlmsghdr *h, void *data);

void *nl_req_init (struct req *r, uint16_t type, uint16_t flags, size_t hdrlen);
void nl_req_attr (struct req *r, uint16_t type, const void *data, size_t len);
void nl_req_attr_str (struct req *r, uint16_t type, const char *s);
void nl_req_attr_u32 (struct req *r, uint16_t type, uint32_t v);
int nl_socket (void);
void nl_close (struct nl *nl);
int nl_init (struct nl *nl, int fd);
int nl_talk (struct nl *nl, struct req *r, nl_cb cb, void *data);
/* A dump of type/family: cb for every message; reset before a retry. */
int nl_dump (struct nl *nl, uint16_t type, int family, nl_cb cb, void *data,
             void (*reset) (void *data));

#endif
