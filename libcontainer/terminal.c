/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "terminal.h"
#include "utils.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO ('T', 0x41)
#endif

int
hk_pty_open (const char *ptmx_path, int *master, int *slave, struct husk_error *err)
{
  /* open it without following anything at the last step but the kernel's
   * own /dev/ptmx -> pts/ptmx, and check what it is before any ioctl: a
   * container could have put something else there (CVE-2025-52565 class) */
  _cleanup_close_ int m = open (ptmx_path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (m < 0)
    return husk_error_set (err, errno, "open \"%s\"", ptmx_path);
  struct stat st;
  struct statfs sfs;
  if (fstat (m, &st) < 0 || !S_ISCHR (st.st_mode) || major (st.st_rdev) != 5
      || minor (st.st_rdev) != 2 || fstatfs (m, &sfs) < 0
      || (sfs.f_type != DEVPTS_SUPER_MAGIC && sfs.f_type != TMPFS_MAGIC))
    return husk_error_setx (err, EPERM, "\"%s\" is not a pty multiplexer (ptmx of a devpts)",
                            ptmx_path);
  int fl = fcntl (m, F_GETFL);
  if (fl < 0 || fcntl (m, F_SETFL, fl & ~O_NONBLOCK) < 0)
    return husk_error_set (err, errno, "pty flags");
  int unlock = 0;
  if (ioctl (m, TIOCSPTLCK, &unlock) < 0)
    return husk_error_set (err, errno, "unlock pty");
  int s = ioctl (m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s < 0)
    return husk_error_set (err, errno, "open pty peer");
  *slave = s;
  *master = steal_fd (&m);
  return 0;
}

int
hk_pty_set_size (int fd, unsigned height, unsigned width, struct husk_error *err)
{
  struct winsize ws = { .ws_row = (unsigned short) height, .ws_col = (unsigned short) width };
  if (ioctl (fd, TIOCSWINSZ, &ws) < 0)
    return husk_error_set (err, errno, "set console size %ux%u", height, width);
  return 0;
}

int
hk_pty_make_controlling (int slave, struct husk_error *err)
{
  if (setsid () < 0 && errno != EPERM)
    return husk_error_set (err, errno, "setsid");
  if (ioctl (slave, TIOCSCTTY, 0) < 0)
    return husk_error_set (err, errno, "set controlling terminal");
  for (int i = 0; i < 3; i++)
    if (dup2 (slave, i) < 0)
      return husk_error_set (err, errno, "dup2 pty to fd %d", i);
  return 0;
}

int
hk_console_socket_connect (const char *path, int *sock, struct husk_error *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path)
    return husk_error_setx (err, ENAMETOOLONG, "--console-socket \"%s\": path too long", path);
  strcpy (addr.sun_path, path);
  _cleanup_close_ int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return husk_error_set (err, errno, "console socket");
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    return husk_error_set (err, errno, "connect to console socket \"%s\"", path);
  *sock = steal_fd (&fd);
  return 0;
}

int
hk_send_fd (int sock, int fd, const char *name, struct husk_error *err)
{
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  memset (&u, 0, sizeof u);
  struct iovec iov = { (void *) name, strlen (name) };
  struct msghdr m = {
    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf
  };
  struct cmsghdr *c = CMSG_FIRSTHDR (&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (c), &fd, sizeof fd);
  ssize_t n;
  do
    n = sendmsg (sock, &m, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return husk_error_set (err, errno, "send pty to console socket");
  return 0;
}

int
hk_console_socket_send (const char *path, int fd, struct husk_error *err)
{
  _cleanup_close_ int sock = -1;
  int ret = hk_console_socket_connect (path, &sock, err);
  if (ret < 0)
    return ret;
  return hk_send_fd (sock, fd, "/dev/ptmx", err);
}

int
hk_tty_raw (int fd, struct husk_tty *tty, struct husk_error *err)
{
  tty->fd = fd;
  tty->saved = false;
  if (tcgetattr (fd, &tty->orig) < 0)
    return husk_error_set (err, errno, "tcgetattr");
  struct termios raw = tty->orig;
  cfmakeraw (&raw);
  if (tcsetattr (fd, TCSANOW, &raw) < 0)
    return husk_error_set (err, errno, "set terminal raw mode");
  tty->saved = true;
  return 0;
}

void
hk_tty_restore (struct husk_tty *tty)
{
  if (tty->saved)
    tcsetattr (tty->fd, TCSANOW, &tty->orig);
  tty->saved = false;
}

void
hk_tty_copy_size (int from, int to)
{
  struct winsize ws;
  if (ioctl (from, TIOCGWINSZ, &ws) == 0)
    ioctl (to, TIOCSWINSZ, &ws);
}
