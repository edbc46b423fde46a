/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "hooks.h"
#include "utils.h"
#include "syscalls.h"

static long long
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
hk_hook_run (const char *kind, size_t index, const struct husk_spec_hook *hook,
             const char *state_json, struct husk_error *err)
{
  int pipefd[2];
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return husk_error_set (err, errno, "%s hook %zu: pipe", kind, index);
  char *default_args[] = { hook->path, NULL };
  char *const *argv = hook->args_len > 0 ? hook->args : default_args;
  /* without "env" the hook inherits the runtime's environment (runc, crun);
   * "env": [] is an empty one */
  char *const *envp = hook->env ? hook->env : environ;

  pid_t pid = fork ();
  if (pid < 0)
    {
      int e = errno;
      close (pipefd[0]);
      close (pipefd[1]);
      return husk_error_set (err, e, "%s hook %zu: fork", kind, index);
    }
  if (pid == 0)
    {
      /* the hook reads the state from stdin; its stdout/stderr are ours */
      if (dup2 (pipefd[0], 0) < 0)
        _exit (127);
      /* stdin, stdout and stderr, nothing else of the runtime's or its
       * caller's: every other fd is closed, not only the close-on-exec ones */
      hk_close_fds_except (3, NULL, 0);
      signal (SIGPIPE, SIG_DFL);
      sigset_t all;
      sigemptyset (&all);
      sigprocmask (SIG_SETMASK, &all, NULL);
      execve (hook->path, argv, envp);
      _exit (127);
    }
  close (pipefd[0]);
  /* The state is small: a failed write (hook not reading) is not fatal,
   * and SIGPIPE is ignored only for that write. */
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;
  sigemptyset (&ign.sa_mask);
  sigaction (SIGPIPE, &ign, &old);
  (void) hk_write_all (pipefd[1], state_json, strlen (state_json));
  close (pipefd[1]);
  sigaction (SIGPIPE, &old, NULL);

  _cleanup_close_ int pidfd = hk_sys_pidfd_open (pid, 0);
  long long deadline = hook->has_timeout ? now_ms () + (long long) hook->timeout * 1000 : -1;
  int status = 0;
  for (;;)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);
      if (r == pid)
        break;
      if (r < 0 && errno != EINTR)
        return husk_error_set (err, errno, "%s hook %zu: wait", kind, index);
      int wait_ms = -1;
      if (deadline >= 0)
        {
          long long left = deadline - now_ms ();
          if (left <= 0)
            {
              kill (pid, SIGKILL);
              waitpid (pid, &status, 0);
              return husk_error_setx (err, ETIMEDOUT, "%s hook %zu \"%s\": timed out after %d s",
                                      kind, index, hook->path, hook->timeout);
            }
          wait_ms = left > 1000 ? 1000 : (int) left;
        }
      if (pidfd >= 0)
        {
          struct pollfd p = { .fd = pidfd, .events = POLLIN };
          poll (&p, 1, wait_ms);
        }
      else
        {
          struct timespec ts = { 0, 10 * 1000 * 1000 };
          nanosleep (&ts, NULL);
        }
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  if (WIFEXITED (status))
    return husk_error_setx (err, EIO, "%s hook %zu \"%s\": exited with status %d", kind, index,
                            hook->path, WEXITSTATUS (status));
  return husk_error_setx (err, EIO, "%s hook %zu \"%s\": killed by signal %d", kind, index,
                          hook->path, WTERMSIG (status));
}

int
hk_hooks_run (const char *kind, const struct husk_spec_hook *hooks, size_t n,
              const char *state_json, struct husk_error *err)
{
  for (size_t i = 0; i < n; i++)
    {
      int ret = hk_hook_run (kind, i, &hooks[i], state_json, err);
      if (ret < 0)
        return ret;
    }
  return 0;
}
