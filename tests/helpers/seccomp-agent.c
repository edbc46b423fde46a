/* SPDX-License-Identifier: Apache-2.0 */
/* A small seccomp agent for husk's tests.
 *
 *   seccomp-agent [--once] [--state FILE] [--log FILE] SOCKET
 *
 * Listens on the unix socket SOCKET (the profile's listenerPath), receives
 * the container process state (JSON) with the seccomp notify fd (SCM_RIGHTS)
 * as runtime-spec config-linux.md specifies, appends the JSON as one line to
 * --state FILE, and answers the notified syscalls of that fd following the
 * state's "metadata" (the profile's listenerMetadata):
 *
 *   NAME=ok          the syscall returns 0 without running
 *   NAME=errno:N     the syscall fails with errno N
 *   NAME=continue    the syscall runs (the default for names not listed)
 *   NAME=delay:MS    the syscall runs after MS milliseconds (a slow syscall)
 *
 * separated by commas, e.g. "mkdir=errno:13,chmod=ok".  Each answer is logged
 * as one line "PID NAME RESULT" to --log FILE (default stderr).  With --once
 * it serves one connection and exits when every process of the filter is
 * gone; otherwise it forks a server per connection and runs until killed.
 * The socket appears (renamed into place) only once it accepts connections.
 *
 * Run without arguments (as `make check` does), it tests its own receiving
 * path and prints TAP. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#define MAX_STATE (1 << 20)

struct conn
{
  char *json;     /* the container process state, NUL-terminated */
  int seccomp_fd; /* -1 when none came */
  char *metadata; /* "metadata", or NULL */
  long pid;       /* "pid" */
};

static void
conn_clear (struct conn *c)
{
  free (c->json);
  free (c->metadata);
  if (c->seccomp_fd >= 0)
    close (c->seccomp_fd);
  memset (c, 0, sizeof *c);
  c->seccomp_fd = -1;
}

/* Read the whole state from sock (until EOF) and the fds sent with it; the
 * fd named "seccompFd" in "fds" becomes c->seccomp_fd.  Returns 0 or -1 with
 * a message in why. */
static int
receive_state (int sock, struct conn *c, char *why, size_t whylen)
{
  size_t cap = 4096, len = 0;
  int fds[8], nfds = 0;
  char *buf = malloc (cap);
  memset (c, 0, sizeof *c);
  c->seccomp_fd = -1;
  if (buf == NULL)
    return snprintf (why, whylen, "out of memory"), -1;
  for (;;)
    {
      union
      {
        char buf[CMSG_SPACE (sizeof fds)];
        struct cmsghdr align;
      } control;
      if (cap - len < 1024)
        {
          char *nb = cap < MAX_STATE ? realloc (buf, cap *= 2) : NULL;
          if (nb == NULL)
            {
              free (buf);
              return snprintf (why, whylen, "state too large"), -1;
            }
          buf = nb;
        }
      struct iovec iov = { .iov_base = buf + len, .iov_len = cap - len - 1 };
      struct msghdr mh = { .msg_iov = &iov,
                           .msg_iovlen = 1,
                           .msg_control = control.buf,
                           .msg_controllen = sizeof control.buf };
      ssize_t n = recvmsg (sock, &mh, MSG_CMSG_CLOEXEC);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          free (buf);
          return snprintf (why, whylen, "recvmsg: %s", strerror (errno)), -1;
        }
      for (struct cmsghdr *cm = CMSG_FIRSTHDR (&mh); cm; cm = CMSG_NXTHDR (&mh, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
          {
            int k = (int) ((cm->cmsg_len - CMSG_LEN (0)) / sizeof (int));
            for (int i = 0; i < k; i++)
              {
                int fd;
                memcpy (&fd, CMSG_DATA (cm) + i * sizeof (int), sizeof fd);
                if (nfds < 8)
                  fds[nfds++] = fd;
                else
                  close (fd);
              }
          }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  buf[len] = '\0';
  c->json = buf;

  char err[256] = "";
  yajl_val tree = yajl_tree_parse (buf, err, sizeof err);
  if (tree == NULL || !YAJL_IS_OBJECT (tree))
    {
      snprintf (why, whylen, "state is not a JSON object: %s", err);
      goto fail;
    }
  const char *p_oci[] = { "ociVersion", NULL }, *p_fds[] = { "fds", NULL },
             *p_pid[] = { "pid", NULL }, *p_meta[] = { "metadata", NULL },
             *p_state[] = { "state", NULL };
  yajl_val v_fds = yajl_tree_get (tree, p_fds, yajl_t_array);
  yajl_val v_pid = yajl_tree_get (tree, p_pid, yajl_t_number);
  yajl_val v_meta = yajl_tree_get (tree, p_meta, yajl_t_string);
  if (!yajl_tree_get (tree, p_oci, yajl_t_string) || !v_fds || !v_pid
      || !yajl_tree_get (tree, p_state, yajl_t_object))
    {
      snprintf (why, whylen, "state lacks ociVersion, fds, pid or state");
      goto fail;
    }
  if (v_fds->u.array.len != (size_t) nfds)
    {
      snprintf (why, whylen, "fds names %zu fds but %d came", v_fds->u.array.len, nfds);
      goto fail;
    }
  for (int i = 0; i < nfds; i++)
    {
      yajl_val name = v_fds->u.array.values[i];
      if (YAJL_IS_STRING (name) && strcmp (name->u.string, "seccompFd") == 0 && c->seccomp_fd < 0)
        c->seccomp_fd = fds[i], fds[i] = -1;
    }
  if (c->seccomp_fd < 0)
    {
      snprintf (why, whylen, "no seccompFd");
      goto fail;
    }
  c->pid = YAJL_GET_INTEGER (v_pid);
  c->metadata = v_meta ? strdup (v_meta->u.string) : NULL;
  for (int i = 0; i < nfds; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  yajl_tree_free (tree);
  return 0;

fail:
  for (int i = 0; i < nfds; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  yajl_tree_free (tree);
  conn_clear (c);
  return -1;
}

/* The answer for a syscall name in the metadata: 0 continue, 1 ok,
 * 2 errno (*e), 3 continue after *e milliseconds. */
static int
policy (const char *metadata, const char *name, int *e)
{
  size_t nl = strlen (name);
  for (const char *p = metadata; p && *p;)
    {
      const char *end = strchr (p, ',');
      size_t l = end ? (size_t) (end - p) : strlen (p);
      if (l > nl && strncmp (p, name, nl) == 0 && p[nl] == '=')
        {
          const char *v = p + nl + 1;
          if (strncmp (v, "ok", 2) == 0)
            return 1;
          if (strncmp (v, "errno:", 6) == 0)
            {
              *e = atoi (v + 6);
              return 2;
            }
          if (strncmp (v, "delay:", 6) == 0)
            {
              *e = atoi (v + 6);
              return 3;
            }
          return 0;
        }
      p = end ? end + 1 : NULL;
    }
  return 0;
}

/* Answer notifications until no process uses the filter any more. */
static void
serve (const struct conn *c, FILE *log)
{
  for (;;)
    {
      struct pollfd pfd = { .fd = c->seccomp_fd, .events = POLLIN };
      if (poll (&pfd, 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return;
        }
      if (!(pfd.revents & POLLIN))
        return; /* POLLHUP: every process of the filter is gone */

      struct seccomp_notif req;
      struct seccomp_notif_resp resp;
      memset (&req, 0, sizeof req);
      if (ioctl (c->seccomp_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
        {
          if (errno == EINTR || errno == ENOENT)
            continue; /* the process went away before we read it */
          return;
        }
      char *name = seccomp_syscall_resolve_num_arch (req.data.arch, req.data.nr);
      int e = 0;
      int what = policy (c->metadata, name ? name : "?", &e);
      memset (&resp, 0, sizeof resp);
      resp.id = req.id;
      if (what == 3)
        {
          struct timespec ts = { e / 1000, (long) (e % 1000) * 1000000L };
          nanosleep (&ts, NULL);
          fprintf (log, "%u %s delayed %d ms\n", req.pid, name ? name : "?", e);
          what = 0;
        }
      if (what == 0)
        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      else if (what == 2)
        resp.error = -e;
      if (ioctl (c->seccomp_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
        fprintf (log, "%u %s respond: %s\n", req.pid, name ? name : "?", strerror (errno));
      else if (what == 0)
        fprintf (log, "%u %s continue\n", req.pid, name ? name : "?");
      else if (what == 1)
        fprintf (log, "%u %s ok\n", req.pid, name ? name : "?");
      else
        fprintf (log, "%u %s errno:%d\n", req.pid, name ? name : "?", e);
      fflush (log);
      free (name);
    }
}

static int
listen_on (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  char tmp[sizeof addr.sun_path];
  if (snprintf (tmp, sizeof tmp, "%s.tmp", path) >= (int) sizeof tmp)
    {
      fprintf (stderr, "seccomp-agent: %s: path too long\n", path);
      return -1;
    }
  strcpy (addr.sun_path, tmp);
  unlink (tmp);
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (fd, 16) < 0
      || rename (tmp, path) < 0)
    {
      fprintf (stderr, "seccomp-agent: listen on %s: %s\n", path, strerror (errno));
      return -1;
    }
  return fd;
}

/* ------------------------------------------------------------ self test */

static int
self_test (void)
{
  int n = 0, failed = 0, sp[2], pp[2];
  char why[256] = "";
  struct conn c;
#define OK(cond, desc) \
  do \
    { \
      bool ok_ = (cond); \
      printf ("%sok %d - %s\n", ok_ ? "" : "not ", ++n, desc); \
      failed += !ok_; \
    } \
  while (0)

  if (socketpair (AF_UNIX, SOCK_STREAM, 0, sp) < 0 || pipe (pp) < 0)
    return perror ("socketpair"), 1;
  /* a state sent in two parts, the fd with the first */
  const char *part1 = "{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":42,";
  const char *part2 = "\"metadata\":\"mkdir=errno:13\",\"state\":{\"id\":\"x\"}}";
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  memset (&control, 0, sizeof control);
  struct iovec iov = { .iov_base = (void *) part1, .iov_len = strlen (part1) };
  struct msghdr mh = { .msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf };
  struct cmsghdr *cm = CMSG_FIRSTHDR (&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cm), &pp[1], sizeof (int));
  OK (sendmsg (sp[0], &mh, 0) == (ssize_t) strlen (part1), "send the first part with the fd");
  OK (write (sp[0], part2, strlen (part2)) == (ssize_t) strlen (part2), "send the rest");
  close (sp[0]);
  close (pp[1]);
  OK (receive_state (sp[1], &c, why, sizeof why) == 0, "receive the state");
  if (why[0])
    printf ("#   %s\n", why);
  OK (c.pid == 42, "pid");
  OK (c.metadata && strcmp (c.metadata, "mkdir=errno:13") == 0, "metadata");
  OK (c.seccomp_fd >= 0 && write (c.seccomp_fd, "x", 1) == 1, "the fd came and works");
  int e = 0;
  OK (policy (c.metadata, "mkdir", &e) == 2 && e == 13, "policy errno");
  OK (policy ("a=ok,mkdir=continue", "mkdir", &e) == 0, "policy continue");
  OK (policy ("mk=ok,mkdir=ok", "mkdir", &e) == 1, "policy ok, prefix names do not match");
  OK (policy (NULL, "mkdir", &e) == 0, "no metadata: continue");
  conn_clear (&c);
  close (sp[1]);
  close (pp[0]);

  /* fds that do not match the names are refused */
  if (socketpair (AF_UNIX, SOCK_STREAM, 0, sp) < 0)
    return perror ("socketpair"), 1;
  OK (write (sp[0], part1, strlen (part1)) > 0 && write (sp[0], part2, strlen (part2)) > 0,
      "send a state without the fd");
  close (sp[0]);
  OK (receive_state (sp[1], &c, why, sizeof why) < 0 && strstr (why, "fds names 1"),
      "refused: fds names an fd that did not come");
  close (sp[1]);
  printf ("1..%d\n", n);
  return failed ? 1 : 0;
}

int
main (int argc, char **argv)
{
  bool once = false;
  const char *state_path = NULL, *log_path = NULL, *sock_path = NULL;
  FILE *log = stderr;

  if (argc == 1)
    return self_test ();
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--once") == 0)
        once = true;
      else if (strcmp (argv[i], "--state") == 0 && i + 1 < argc)
        state_path = argv[++i];
      else if (strcmp (argv[i], "--log") == 0 && i + 1 < argc)
        log_path = argv[++i];
      else if (argv[i][0] != '-' && sock_path == NULL)
        sock_path = argv[i];
      else
        {
          fprintf (stderr, "usage: seccomp-agent [--once] [--state FILE] [--log FILE] SOCKET\n");
          return 2;
        }
    }
  if (sock_path == NULL)
    {
      fprintf (stderr, "usage: seccomp-agent [--once] [--state FILE] [--log FILE] SOCKET\n");
      return 2;
    }
  if (log_path && (log = fopen (log_path, "ae")) == NULL)
    {
      fprintf (stderr, "seccomp-agent: %s: %s\n", log_path, strerror (errno));
      return 1;
    }
  if (!once)
    {
      /* servers are not waited for */
      struct sigaction sa = { .sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT };
      sigaction (SIGCHLD, &sa, NULL);
    }
  int lfd = listen_on (sock_path);
  if (lfd < 0)
    return 1;
  for (;;)
    {
      int cfd = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC);
      if (cfd < 0)
        {
          if (errno == EINTR)
            continue;
          fprintf (stderr, "seccomp-agent: accept: %s\n", strerror (errno));
          return 1;
        }
      struct conn c;
      char why[256];
      int r = receive_state (cfd, &c, why, sizeof why);
      close (cfd);
      if (r < 0)
        {
          fprintf (log, "bad connection: %s\n", why);
          fflush (log);
          if (once)
            return 1;
          continue;
        }
      if (state_path)
        {
          FILE *f = fopen (state_path, "ae");
          if (f)
            {
              fprintf (f, "%s\n", c.json);
              fclose (f);
            }
        }
      if (once)
        {
          close (lfd);
          serve (&c, log);
          conn_clear (&c);
          return 0;
        }
      pid_t pid = fork ();
      if (pid == 0)
        {
          close (lfd);
          serve (&c, log);
          _exit (0);
        }
      conn_clear (&c);
    }
}
