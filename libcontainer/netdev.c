/* SPDX-License-Identifier: Apache-2.0 */
/* linux.netDevices over raw rtnetlink (rtnetlink(7), netlink(7)).
 *
 * For each device, in the config's order:
 *   1. look the interface up on the host by name (RTM_GETLINK);
 *   2. save its permanent addresses of global scope (RTM_GETADDR dump);
 *   3. list the links of the container's namespace: the target name must be
 *      free there (a `%d` template is resolved by the kernel);
 *   4. move it (RTM_NEWLINK, IFLA_NET_NS_FD) and rename it (IFLA_IFNAME);
 *   5. find it in the container's namespace (the one new link), re-add the
 *      saved addresses (RTM_NEWADDR) and set it up.
 *
 * The requests for the container's namespace go over a netlink socket opened
 * in that namespace by a short-lived child (setns, then SCM_RIGHTS back): a
 * netlink socket stays bound to the namespace it was created in, so the
 * caller never leaves the host's namespaces.
 *
 * On any failure, every device moved so far is moved back to the host under
 * its own name, with its addresses and its up/down state (best effort; the
 * message says when that failed too). */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "netdev.h"
#include "netlink.h"
#include "utils.h"

/* address flags that RTM_NEWADDR accepts and that describe configuration
 * (not state such as tentative or secondary) */
#define ADDR_FLAGS_KEPT \
  (IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN)

struct saved_addr
{
  uint8_t family;
  uint8_t prefixlen;
  uint32_t flags;
  bool has_local, has_address, has_broadcast, has_prio;
  unsigned char local[16], address[16], broadcast[16];
  uint32_t prio;
};

/* what we know of one device, enough to put it back */
struct moved_dev
{
  const char *host_name;
  bool was_up;
  bool moved;              /* it is in the container's namespace now */
  int tgt_index;           /* its index there */
  char tgt_name[IFNAMSIZ]; /* its name there */
  struct saved_addr *addrs;
  size_t n_addrs;
};

struct link_info
{
  int index;
  unsigned flags;
  char name[IFNAMSIZ];
};

struct link_list
{
  struct link_info *v;
  size_t n, cap;
};

/* ------------------------------------------------------------ links */

static int
parse_link (const struct nlmsghdr *h, struct link_info *li)
{
  if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH (sizeof (struct ifinfomsg)))
    return 1; /* not a link: skip */
  const struct ifinfomsg *ifi = NLMSG_DATA (h);
  memset (li, 0, sizeof *li);
  li->index = ifi->ifi_index;
  li->flags = ifi->ifi_flags;
  int len = (int) (h->nlmsg_len - NLMSG_LENGTH (sizeof *ifi));
  for (const struct rtattr *a = IFLA_RTA (ifi); RTA_OK (a, len); a = RTA_NEXT (a, len))
    if (a->rta_type == IFLA_IFNAME)
      {
        size_t n = RTA_PAYLOAD (a);
        if (n >= sizeof li->name)
          n = sizeof li->name - 1;
        memcpy (li->name, RTA_DATA (a), n);
        li->name[n] = '\0';
      }
  return 0;
}

static int
one_link_cb (const struct nlmsghdr *h, void *data)
{
  struct link_info li;
  if (parse_link (h, &li) == 0)
    *(struct link_info *) data = li;
  return 0;
}

/* RTM_GETLINK by name; -ENODEV when there is no such interface */
static int
link_by_name (struct nl *nl, const char *name, struct link_info *out)
{
  struct req r;
  struct ifinfomsg *ifi = nl_req_init (&r, RTM_GETLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  nl_req_attr_str (&r, IFLA_IFNAME, name);
  nl_req_attr_u32 (&r, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  memset (out, 0, sizeof *out);
  int ret = nl_talk (nl, &r, one_link_cb, out);
  if (ret == 0 && out->index <= 0)
    ret = -ENODEV;
  return ret;
}

static void
link_list_reset (void *data)
{
  ((struct link_list *) data)->n = 0;
}

static int
link_list_cb (const struct nlmsghdr *h, void *data)
{
  struct link_list *l = data;
  struct link_info li;
  if (parse_link (h, &li) != 0)
    return 0;
  if (l->n == l->cap)
    {
      size_t cap = l->cap ? l->cap * 2 : 8;
      struct link_info *v = realloc (l->v, cap * sizeof *v);
      if (v == NULL)
        return -ENOMEM;
      l->v = v;
      l->cap = cap;
    }
  l->v[l->n++] = li;
  return 0;
}

static int
link_list (struct nl *nl, struct link_list *l)
{
  return nl_dump (nl, RTM_GETLINK, AF_UNSPEC, link_list_cb, l, link_list_reset);
}

static const struct link_info *
link_list_find_name (const struct link_list *l, const char *name)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp (l->v[i].name, name) == 0)
      return &l->v[i];
  return NULL;
}

static const struct link_info *
link_list_find_index (const struct link_list *l, int index)
{
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].index == index)
      return &l->v[i];
  return NULL;
}

/* RTM_NEWLINK on an existing link: move it to another namespace (netns_fd, or
 * pid when netns_fd < 0), with a new name (or NULL) */
static int
link_move (struct nl *nl, int index, int netns_fd, pid_t pid, const char *name)
{
  struct req r;
  struct ifinfomsg *ifi = nl_req_init (&r, RTM_NEWLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  if (netns_fd >= 0)
    nl_req_attr_u32 (&r, IFLA_NET_NS_FD, (uint32_t) netns_fd);
  else
    nl_req_attr_u32 (&r, IFLA_NET_NS_PID, (uint32_t) pid);
  if (name != NULL)
    nl_req_attr_str (&r, IFLA_IFNAME, name);
  return nl_talk (nl, &r, NULL, NULL);
}

static int
link_set_up (struct nl *nl, int index)
{
  struct req r;
  struct ifinfomsg *ifi = nl_req_init (&r, RTM_NEWLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  return nl_talk (nl, &r, NULL, NULL);
}

/* ------------------------------------------------------------ addresses */

struct addr_collect
{
  int index;
  struct moved_dev *dev;
};

static void
addr_collect_reset (void *data)
{
  ((struct addr_collect *) data)->dev->n_addrs = 0;
}

static int
addr_collect_cb (const struct nlmsghdr *h, void *data)
{
  struct addr_collect *c = data;
  if (h->nlmsg_type != RTM_NEWADDR || h->nlmsg_len < NLMSG_LENGTH (sizeof (struct ifaddrmsg)))
    return 0;
  const struct ifaddrmsg *ifa = NLMSG_DATA (h);
  if ((int) ifa->ifa_index != c->index || ifa->ifa_scope != RT_SCOPE_UNIVERSE
      || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
    return 0;
  size_t alen = ifa->ifa_family == AF_INET ? 4 : 16;
  struct saved_addr s = { .family = ifa->ifa_family,
                          .prefixlen = ifa->ifa_prefixlen,
                          .flags = ifa->ifa_flags };
  int len = (int) (h->nlmsg_len - NLMSG_LENGTH (sizeof *ifa));
  for (const struct rtattr *a = IFA_RTA (ifa); RTA_OK (a, len); a = RTA_NEXT (a, len))
    {
      size_t n = RTA_PAYLOAD (a);
      switch (a->rta_type)
        {
        case IFA_LOCAL:
          if (n == alen)
            memcpy (s.local, RTA_DATA (a), n), s.has_local = true;
          break;
        case IFA_ADDRESS:
          if (n == alen)
            memcpy (s.address, RTA_DATA (a), n), s.has_address = true;
          break;
        case IFA_BROADCAST:
          if (n == alen)
            memcpy (s.broadcast, RTA_DATA (a), n), s.has_broadcast = true;
          break;
        case IFA_FLAGS:
          if (n == sizeof (uint32_t))
            memcpy (&s.flags, RTA_DATA (a), n);
          break;
        case IFA_RT_PRIORITY:
          if (n == sizeof (uint32_t))
            memcpy (&s.prio, RTA_DATA (a), n), s.has_prio = true;
          break;
        default:
          break;
        }
    }
  if (!(s.flags & IFA_F_PERMANENT) || (!s.has_local && !s.has_address))
    return 0;
  struct moved_dev *d = c->dev;
  struct saved_addr *v = realloc (d->addrs, (d->n_addrs + 1) * sizeof *v);
  if (v == NULL)
    return -ENOMEM;
  d->addrs = v;
  d->addrs[d->n_addrs++] = s;
  return 0;
}

static int
addr_save (struct nl *nl, int index, struct moved_dev *d)
{
  struct addr_collect c = { .index = index, .dev = d };
  return nl_dump (nl, RTM_GETADDR, AF_UNSPEC, addr_collect_cb, &c, addr_collect_reset);
}

static int
addr_add (struct nl *nl, int index, const struct saved_addr *s)
{
  size_t alen = s->family == AF_INET ? 4 : 16;
  struct req r;
  struct ifaddrmsg *ifa = nl_req_init (&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof *ifa);
  uint32_t flags = s->flags & ADDR_FLAGS_KEPT;
  ifa->ifa_family = s->family;
  ifa->ifa_prefixlen = s->prefixlen;
  ifa->ifa_flags = (uint8_t) (flags & 0xff);
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = (uint32_t) index;
  if (s->has_local)
    nl_req_attr (&r, IFA_LOCAL, s->local, alen);
  if (s->has_address)
    nl_req_attr (&r, IFA_ADDRESS, s->address, alen);
  if (s->has_broadcast)
    nl_req_attr (&r, IFA_BROADCAST, s->broadcast, alen);
  nl_req_attr_u32 (&r, IFA_FLAGS, flags);
  if (s->has_prio)
    nl_req_attr_u32 (&r, IFA_RT_PRIORITY, s->prio);
  return nl_talk (nl, &r, NULL, NULL);
}

/* "10.0.0.1/24" */
static void
addr_format (const struct saved_addr *s, char *buf, size_t size)
{
  char ip[INET6_ADDRSTRLEN];
  const void *a = s->has_local ? s->local : s->address;
  if (inet_ntop (s->family, a, ip, sizeof ip) == NULL)
    snprintf (ip, sizeof ip, "?");
  snprintf (buf, size, "%s/%u", ip, (unsigned) s->prefixlen);
}

/* ------------------------------------------------------------ the container's socket */

struct child_report
{
  int step; /* 0: setns, 1: socket */
  int err;
};

/* A netlink socket bound to the namespace of netns_fd, opened by a child
 * that joins it; the caller's namespaces do not change. */
static int
nl_socket_in_netns (int netns_fd, int *out, struct husk_error *err)
{
  int sp[2];
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
    return husk_error_set (err, errno, "linux.netDevices: socketpair");
  _cleanup_close_ int parent_end = sp[0];
  _cleanup_close_ int child_end = sp[1];

  pid_t pid = fork ();
  if (pid < 0)
    return husk_error_set (err, errno, "linux.netDevices: fork");
  if (pid == 0)
    {
      struct child_report rep = { 0, 0 };
      int fd = -1;
      if (setns (netns_fd, CLONE_NEWNET) < 0)
        rep.err = errno;
      else
        {
          rep.step = 1;
          fd = nl_socket ();
          if (fd < 0)
            rep.err = -fd;
        }
      union
      {
        char buf[CMSG_SPACE (sizeof (int))];
        struct cmsghdr align;
      } u;
      memset (&u, 0, sizeof u);
      struct iovec iov = { .iov_base = &rep, .iov_len = sizeof rep };
      struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
      if (fd >= 0)
        {
          m.msg_control = u.buf;
          m.msg_controllen = sizeof u.buf;
          struct cmsghdr *c = CMSG_FIRSTHDR (&m);
          c->cmsg_level = SOL_SOCKET;
          c->cmsg_type = SCM_RIGHTS;
          c->cmsg_len = CMSG_LEN (sizeof (int));
          memcpy (CMSG_DATA (c), &fd, sizeof fd);
        }
      _exit (sendmsg (child_end, &m, MSG_NOSIGNAL) < 0 ? 1 : 0);
    }
  close (steal_fd (&child_end));

  struct child_report rep = { 0, 0 };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct iovec iov = { .iov_base = &rep, .iov_len = sizeof rep };
  struct msghdr m = {
    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf
  };
  ssize_t n;
  do
    n = recvmsg (parent_end, &m, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  int recv_errno = errno;
  int status = 0;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;

  int fd = -1;
  if (n > 0)
    for (struct cmsghdr *c = CMSG_FIRSTHDR (&m); c; c = CMSG_NXTHDR (&m, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS
          && c->cmsg_len == CMSG_LEN (sizeof (int)))
        memcpy (&fd, CMSG_DATA (c), sizeof fd);
  if (fd >= 0)
    {
      *out = fd;
      return 0;
    }
  if (n < 0)
    return husk_error_set (err, recv_errno,
                           "linux.netDevices: open a netlink socket in the container's "
                           "network namespace");
  if (n != (ssize_t) sizeof rep || rep.err == 0)
    return husk_error_setx (err, EIO,
                            "linux.netDevices: open a netlink socket in the container's "
                            "network namespace: the helper process failed");
  return husk_error_set (err, rep.err, "linux.netDevices: %s",
                         rep.step == 0 ? "join the container's network namespace"
                                       : "open a netlink socket in the container's "
                                         "network namespace");
}

/* ------------------------------------------------------------ move */

/* error for device d at a step: `linux.netDevices "X": STEP (kernel says): errno` */
static int
dev_fail (struct husk_error *err, const struct nl *nl, const char *host_name, int code,
          const char *step)
{
  if (nl != NULL && nl->ext[0])
    return husk_error_set (err, code, "linux.netDevices \"%s\": %s (%s)", host_name, step, nl->ext);
  return husk_error_set (err, code, "linux.netDevices \"%s\": %s", host_name, step);
}

/* Put one moved device back on the host: its name, addresses and up state.
 * Returns 0 or -errno; step names what failed. */
static int
dev_return (struct nl *host, struct nl *tgt, struct moved_dev *d, const char **step)
{
  *step = "move it back to the host";
  int ret = link_move (tgt, d->tgt_index, -1, getpid (), d->host_name);
  if (ret < 0)
    return ret;
  d->moved = false;
  struct link_info li;
  *step = "find it on the host again";
  ret = link_by_name (host, d->host_name, &li);
  if (ret < 0)
    return ret;
  for (size_t i = 0; i < d->n_addrs; i++)
    {
      int r = addr_add (host, li.index, &d->addrs[i]);
      if (r < 0 && ret == 0)
        {
          *step = "restore its addresses on the host";
          ret = r;
        }
    }
  if (d->was_up)
    {
      int r = link_set_up (host, li.index);
      if (r < 0 && ret == 0)
        {
          *step = "set it up on the host again";
          ret = r;
        }
    }
  return ret;
}

/* Undo the devices moved so far, last first; a failure is added to err. */
static void
rollback (struct nl *host, struct nl *tgt, struct moved_dev *devs, size_t n, struct husk_error *err)
{
  for (size_t i = n; i-- > 0;)
    {
      if (!devs[i].moved)
        continue;
      const char *step = "";
      int ret = dev_return (host, tgt, &devs[i], &step);
      if (ret < 0)
        {
          char suffix[HUSK_ERROR_MSG_MAX / 2];
          snprintf (suffix, sizeof suffix, " (and \"%s\" could not be put back: %s: %s)",
                    devs[i].host_name, step, strerror (-ret));
          size_t len = strlen (err->msg);
          snprintf (err->msg + len, sizeof err->msg - len, "%s", suffix);
        }
    }
}

/* The device that arrived in the container's namespace between two
 * listings: the one new link, or the new link that kept its host index (the
 * kernel keeps it when it is free there). NULL when it cannot tell. */
static const struct link_info *
find_moved (const struct link_list *before, const struct link_list *after, int host_index)
{
  const struct link_info *found = NULL;
  size_t n_new = 0;
  for (size_t i = 0; i < after->n; i++)
    if (link_list_find_index (before, after->v[i].index) == NULL)
      {
        if (after->v[i].index == host_index)
          return &after->v[i];
        n_new++;
        found = &after->v[i];
      }
  return n_new == 1 ? found : NULL;
}

/* A name with '%' is a kernel template ("eth%d"): the kernel picks the
 * first free number, so it cannot be taken. */
static bool
is_template (const char *name)
{
  return strchr (name, '%') != NULL;
}

static int
move_one (struct nl *host, struct nl *tgt, const struct husk_spec_net_device *spec, int netns_fd,
          struct moved_dev *d, struct husk_error *err)
{
  const char *host_name = spec->host_name;
  const char *want = spec->name && spec->name[0] ? spec->name : host_name;
  d->host_name = host_name;

  struct link_info li;
  int ret = link_by_name (host, host_name, &li);
  if (ret == -ENODEV)
    return husk_error_setx (err, ENODEV, "linux.netDevices \"%s\": no such network interface",
                            host_name);
  if (ret < 0)
    return dev_fail (err, host, host_name, -ret, "look it up on the host");
  d->was_up = (li.flags & IFF_UP) != 0;

  ret = addr_save (host, li.index, d);
  if (ret < 0)
    return dev_fail (err, host, host_name, -ret, "read its addresses");

  __attribute__ ((cleanup (cleanup_freep))) struct link_info *before_v = NULL;
  struct link_list before = { 0 };
  ret = link_list (tgt, &before);
  before_v = before.v;
  if (ret < 0)
    return dev_fail (err, tgt, host_name, -ret,
                     "list the interfaces of the container's network namespace");
  if (!is_template (want) && link_list_find_name (&before, want) != NULL)
    return husk_error_setx (err, EEXIST,
                            "linux.netDevices \"%s\": the name \"%s\" is already taken in the "
                            "container's network namespace",
                            host_name, want);

  char step[128];
  bool rename = strcmp (want, host_name) != 0;
  snprintf (step, sizeof step, "move it into the container's network namespace%s%s%s",
            rename ? " as \"" : "", rename ? want : "", rename ? "\"" : "");
  ret = link_move (host, li.index, netns_fd, 0, rename ? want : NULL);
  if (ret < 0)
    {
      int code = -ret;
      char ext[EXT_MSG_MAX];
      snprintf (ext, sizeof ext, "%s", host->ext);
      /* The kernel moves, then renames: a failed rename can leave the
       * device in the container's namespace; mark it so that the caller's
       * rollback puts it back. */
      struct link_info still;
      if (link_by_name (host, host_name, &still) == -ENODEV)
        {
          struct link_list after = { 0 };
          const struct link_info *m = NULL;
          if (link_list (tgt, &after) == 0 && (m = find_moved (&before, &after, li.index)))
            {
              d->moved = true;
              d->tgt_index = m->index;
              snprintf (d->tgt_name, sizeof d->tgt_name, "%s", m->name);
            }
          free (after.v);
        }
      snprintf (host->ext, sizeof host->ext, "%s", ext);
      return dev_fail (err, host, host_name, code, step);
    }

  /* the one new link of the container's namespace is this device */
  struct link_list after = { 0 };
  ret = link_list (tgt, &after);
  __attribute__ ((cleanup (cleanup_freep))) struct link_info *after_v = after.v;
  if (ret < 0)
    return dev_fail (err, tgt, host_name, -ret,
                     "list the interfaces of the container's network namespace");
  const struct link_info *found = find_moved (&before, &after, li.index);
  if (found == NULL)
    return husk_error_setx (err, EIO,
                            "linux.netDevices \"%s\": cannot tell which interface it became "
                            "in the container's network namespace",
                            host_name);
  d->moved = true;
  d->tgt_index = found->index;
  snprintf (d->tgt_name, sizeof d->tgt_name, "%s", found->name);

  for (size_t i = 0; i < d->n_addrs; i++)
    {
      ret = addr_add (tgt, d->tgt_index, &d->addrs[i]);
      if (ret < 0)
        {
          char a[INET6_ADDRSTRLEN + 8];
          addr_format (&d->addrs[i], a, sizeof a);
          snprintf (step, sizeof step, "add address %s to \"%s\"", a, d->tgt_name);
          return dev_fail (err, tgt, host_name, -ret, step);
        }
    }

  ret = link_set_up (tgt, d->tgt_index);
  if (ret < 0)
    {
      snprintf (step, sizeof step, "set \"%s\" up", d->tgt_name);
      return dev_fail (err, tgt, host_name, -ret, step);
    }
  return 0;
}

static void
moved_free (struct moved_dev *devs, size_t n)
{
  if (devs == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    free (devs[i].addrs);
  free (devs);
}

int
hk_netdev_move (const struct husk_spec_net_device *devs, size_t n, int netns_fd,
                struct husk_error *err)
{
  if (n == 0)
    return 0;
  if (netns_fd < 0)
    return husk_error_setx (err, EBADF, "linux.netDevices: no network namespace to move into");
  /* moving into our own namespace would only rename the host's interface */
  struct stat target_st, self_st;
  if (fstat (netns_fd, &target_st) < 0)
    return husk_error_set (err, errno, "linux.netDevices: fstat the network namespace");
  if (stat ("/proc/self/ns/net", &self_st) == 0 && target_st.st_dev == self_st.st_dev
      && target_st.st_ino == self_st.st_ino)
    return husk_error_setx (err, EINVAL,
                            "linux.netDevices: the container shares the host's network "
                            "namespace");

  struct nl host = { .fd = -1 }, tgt = { .fd = -1 };
  struct moved_dev *moved = NULL;
  int ret = 0;

  int fd = nl_socket ();
  if (fd < 0)
    {
      ret = husk_error_set (err, -fd, "linux.netDevices: open a netlink socket");
      goto out;
    }
  if (nl_init (&host, fd) < 0)
    {
      ret = husk_error_setx (err, ENOMEM, "linux.netDevices: out of memory");
      goto out;
    }
  ret = nl_socket_in_netns (netns_fd, &fd, err);
  if (ret < 0)
    goto out;
  if (nl_init (&tgt, fd) < 0)
    {
      ret = husk_error_setx (err, ENOMEM, "linux.netDevices: out of memory");
      goto out;
    }
  moved = calloc (n, sizeof *moved);
  if (moved == NULL)
    {
      ret = husk_error_setx (err, ENOMEM, "linux.netDevices: out of memory");
      goto out;
    }
  for (size_t i = 0; i < n; i++)
    {
      ret = move_one (&host, &tgt, &devs[i], netns_fd, &moved[i], err);
      if (ret < 0)
        {
          rollback (&host, &tgt, moved, i + 1, err);
          break;
        }
    }

out:
  moved_free (moved, n);
  nl_close (&host);
  nl_close (&tgt);
  return ret;
}
