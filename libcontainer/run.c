/* SPDX-License-Identifier: Apache-2.0 */
/* husk run: create + start, then in the foreground wait for the init,
 * forward signals to it and copy the caller's terminal to the pty. */
#include "config.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "husk/container.h"
#include "container_internal.h"
#include "terminal.h"
#include "utils.h"
#include "syscalls.h"

static void
forwarded_signals (sigset_t *set)
{
  sigfillset (set);
  /* faults are ours; SIGKILL and SIGSTOP cannot be caught */
  int keep[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS, SIGKILL, SIGSTOP };
  for (size_t i = 0; i < ARRAY_SIZE (keep); i++)
    sigdelset (set, keep[i]);
}

/* Copy what is readable from in to out; false at EOF or error. */
static bool
pump (int in, int out)
{
  char buf[8192];
  ssize_t n = read (in, buf, sizeof buf);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return true;
  if (n <= 0)
    return false;
  return hk_write_all (out, buf, (size_t) n) == 0;
}

static int
status_of (int wstatus)
{
  if (WIFEXITED (wstatus))
    return WEXITSTATUS (wstatus);
  if (WIFSIGNALED (wstatus))
    return 128 + WTERMSIG (wstatus);
  return 255;
}

int
hk_supervise (pid_t pid, int pty, bool reap_orphans, int *exit_status, struct husk_error *err)
{
  sigset_t set;
  forwarded_signals (&set);
  _cleanup_close_ int sfd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  _cleanup_close_ int pidfd = hk_sys_pidfd_open (pid, 0);
  if (sfd < 0 || pidfd < 0)
    return husk_error_set (err, errno, "run: watch the container's init");
  struct husk_tty tty = { .fd = -1 };
  bool stdin_open = pty >= 0;
  if (pty >= 0)
    {
      if (isatty (0))
        {
          hk_tty_copy_size (0, pty);
          hk_tty_raw (0, &tty, err);
        }
      int fl = fcntl (pty, F_GETFL);
      fcntl (pty, F_SETFL, fl | O_NONBLOCK);
    }
  bool done = false;
  int wstatus = 0;
  while (!done)
    {
      struct pollfd p[4] = {
        { sfd, POLLIN, 0 },
        { pidfd, POLLIN, 0 },
        { pty, POLLIN, 0 },
        { stdin_open ? 0 : -1, POLLIN, 0 },
      };
      if (poll (p, 4, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          int e = errno;
          hk_tty_restore (&tty);
          return husk_error_set (err, e, "watch the container's process (pid %d): poll", (int) pid);
        }
      if (p[0].revents & POLLIN)
        {
          struct signalfd_siginfo si;
          while (read (sfd, &si, sizeof si) == sizeof si)
            {
              if (si.ssi_signo == SIGCHLD)
                continue;
              if (si.ssi_signo == SIGWINCH)
                {
                  if (pty >= 0 && isatty (0))
                    hk_tty_copy_size (0, pty);
                  continue;
                }
              kill (pid, (int) si.ssi_signo);
            }
        }
      if (pty >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR)))
        {
          if (!pump (pty, 1))
            pty = -1;
        }
      if (stdin_open && (p[3].revents & (POLLIN | POLLHUP | POLLERR)))
        {
          if (pty < 0 || !pump (0, pty))
            stdin_open = false;
        }
      if (p[1].revents & POLLIN)
        {
          if (waitpid (pid, &wstatus, 0) == pid)
            done = true;
        }
    }
  /* the rest of the output */
  if (pty >= 0)
    while (pump (pty, 1))
      ;
  /* orphans reparented to us (subreaper) */
  while (reap_orphans && waitpid (-1, NULL, WNOHANG) > 0)
    ;
  hk_tty_restore (&tty);
  *exit_status = status_of (wstatus);
  return 0;
}

/* run's changes to the calling process, undone on the way out */
struct run_saved
{
  sigset_t mask;
  bool mask_set;
  int subreaper; /* PR_GET_CHILD_SUBREAPER before, -1 when unchanged */
};

static void
run_restore (const struct run_saved *s)
{
  if (s->mask_set)
    sigprocmask (SIG_SETMASK, &s->mask, NULL);
  if (s->subreaper >= 0)
    prctl (PR_SET_CHILD_SUBREAPER, s->subreaper, 0, 0, 0);
}

static int
run_container (const struct husk_store *store, const struct husk_run_opts *o, bool subreaper,
               int *exit_status, struct husk_error *err)
{
  struct husk_created c;
  bool want_pty = !o->detach && o->create.console_socket == NULL;
  int ret = husk_container_create (store, &o->create, want_pty, &c, err);
  if (ret < 0)
    return ret;
  /* the caller's window size before the process starts: it may ask for it
   * at once (stty size), before supervise would copy it */
  if (c.pty_master >= 0 && isatty (0))
    hk_tty_copy_size (0, c.pty_master);
  ret = husk_container_start (store, o->create.id, o->create.log, err);
  if (ret < 0)
    {
      struct husk_error ignored;
      husk_container_delete (store, o->create.id, true, o->create.log, &ignored);
      if (c.pty_master >= 0)
        close (c.pty_master);
      return ret;
    }
  if (o->detach)
    return 0;
  ret = hk_supervise (c.pid, c.pty_master, subreaper, exit_status, err);
  if (c.pty_master >= 0)
    close (c.pty_master);
  if (ret < 0)
    return ret;
  if (!o->keep)
    return husk_container_delete (store, o->create.id, true, o->create.log, err);
  return 0;
}

int
husk_container_run (const struct husk_store *store, const struct husk_run_opts *o, int *exit_status,
                    struct husk_error *err)
{
  *exit_status = 0;
  struct run_saved saved = { .subreaper = -1 };
  if (!o->detach && !o->no_subreaper)
    {
      int was = 0;
      if (prctl (PR_GET_CHILD_SUBREAPER, &was, 0, 0, 0) == 0 && !was
          && prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
        saved.subreaper = 0;
    }
  /* signals sent to us while the container is created are kept until we
   * can forward them */
  if (!o->detach)
    {
      sigset_t set;
      forwarded_signals (&set);
      saved.mask_set = sigprocmask (SIG_BLOCK, &set, &saved.mask) == 0;
    }
  int ret = run_container (store, o, saved.subreaper == 0, exit_status, err);
  run_restore (&saved);
  return ret;
}
