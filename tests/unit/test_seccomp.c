/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of linux.seccomp: every profile is parsed and validated as a
 * config.json would be, loaded with hk_seccomp_load in a forked child
 * (after PR_SET_NO_NEW_PRIVS), and the child makes raw syscalls whose
 * results (errno values) come back through a pipe.  The JSON of the cases
 * is written with single quotes, turned into double quotes. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "husk/husk.h"
#include "security/seccomp.h"
#include "tap.h"

#define HEAD "{'ociVersion':'1.0.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'},"
#define PROFILE(x) HEAD "'linux':{'seccomp':{" x "}}}"

/* syscalls a child needs after loading a profile that denies by default
 * (the memory ones for the allocator of ASan builds) */
#define BASE_NAMES \
  "'exit_group','exit','write','rt_sigreturn','mmap','munmap','madvise'," \
  "'mprotect','brk','sigaltstack','rt_sigprocmask','gettid','getpid'"
#define BASE "{'names':[" BASE_NAMES "],'action':'SCMP_ACT_ALLOW'}"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_futex_wake
#define SYS_futex_wake 454
#endif
#ifndef SYS_mseal
#define SYS_mseal 462
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* A result meaning "the syscall succeeded". */
#define OK_ 0

#define STR_(x) #x
#define STR(x) STR_ (x)

static char tmpdir[] = "/tmp/husk-test-seccomp.XXXXXX";
static char agent_path[4096];
static int report_fd = -1;  /* in the child: where results go */
static char dir_path[4200]; /* a directory the tests try to create */

static char *
dq (const char *s)
{
  char *t = strdup (s);
  for (char *p = t; p && *p; p++)
    if (*p == '\'')
      *p = '"';
  return t;
}

static struct husk_spec *
parse (const char *json_sq)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = NULL;
  char *json = dq (json_sq);
  int ret = husk_spec_parse (json, strlen (json), "config.json", &s, &err);
  if (ret == 0)
    ret = husk_spec_validate (s, "config.json", &err);
  free (json);
  if (ret < 0)
    {
      printf ("# parse: %s\n", err.msg);
      husk_spec_free (s);
      return NULL;
    }
  return s;
}

/* Leave the child with exit_group itself: _exit under ASan makes syscalls
 * (sigaltstack, munmap) that a profile denying by default refuses. */
static void __attribute__ ((noreturn)) child_exit (int code)
{
  syscall (SYS_exit_group, code);
  _exit (code);
}

/* Record the errno of a raw syscall result in the child. */
static void
report (long r)
{
  int v = r < 0 ? errno : OK_;
  if (write (report_fd, &v, sizeof v) != sizeof v)
    child_exit (251);
}

struct run
{
  int status;  /* wait status of the child */
  int res[16]; /* reported results */
  int n;
  char err[HUSK_ERROR_MSG_MAX]; /* hk_seccomp_load's error, if it failed */
};

/* Load the profile in a child and run fn there. */
static void
run_under (const char *json_sq, void (*fn) (void *), void *arg, struct run *r)
{
  int pp[2], ep[2];
  memset (r, 0, sizeof *r);
  r->status = -1;
  struct husk_spec *s = parse (json_sq);
  if (s == NULL || pipe2 (pp, O_CLOEXEC) < 0 || pipe2 (ep, O_CLOEXEC) < 0)
    return;
  fflush (stdout);
  pid_t pid = fork ();
  if (pid == 0)
    {
      struct rlimit no_core = { 0, 0 };
      struct husk_error err = { 0 };
      int nfd;
      close (pp[0]);
      close (ep[0]);
      report_fd = pp[1];
      setrlimit (RLIMIT_CORE, &no_core);
      prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
      if (hk_seccomp_load (s->linux_->seccomp, &nfd, &err) < 0)
        {
          if (write (ep[1], err.msg, strlen (err.msg)) < 0)
            _exit (252);
          _exit (250);
        }
      if (fn)
        fn (arg);
      child_exit (0);
    }
  close (pp[1]);
  close (ep[1]);
  waitpid (pid, &r->status, 0);
  ssize_t n;
  while (r->n < 16 && (n = read (pp[0], &r->res[r->n], sizeof (int))) == sizeof (int))
    r->n++;
  n = read (ep[0], r->err, sizeof r->err - 1);
  r->err[n > 0 ? n : 0] = '\0';
  close (pp[0]);
  close (ep[0]);
  husk_spec_free (s);
  rmdir (dir_path);
}

static bool
exited (const struct run *r, int code)
{
  if (WIFEXITED (r->status) && WEXITSTATUS (r->status) == code)
    return true;
  if (r->err[0])
    printf ("#   load failed: %s\n", r->err);
  else if (WIFSIGNALED (r->status))
    printf ("#   killed by signal %d\n", WTERMSIG (r->status));
  else
    printf ("#   status %#x\n", r->status);
  return false;
}

static bool
results (const struct run *r, int n, const int *want)
{
  bool ok = exited (r, 0) && r->n == n;
  for (int i = 0; ok && i < n; i++)
    ok = r->res[i] == want[i];
  if (!ok)
    {
      printf ("#   got %d results:", r->n);
      for (int i = 0; i < r->n; i++)
        printf (" %d", r->res[i]);
      printf (", want");
      for (int i = 0; i < n; i++)
        printf (" %d", want[i]);
      printf ("\n");
    }
  return ok;
}

#define RESULTS(r, desc, ...) \
  do \
    { \
      static const int want_[] = { __VA_ARGS__ }; \
      tap_ok_ (results (&(r), (int) (sizeof want_ / sizeof want_[0]), want_), __FILE__, __LINE__, \
               (desc)); \
    } \
  while (0)

/* ------------------------------------------------------------ child bodies */

static void
do_mkdir (void *arg)
{
  (void) arg;
  report (syscall (SYS_mkdir, dir_path, 0700));
}

/* umask(arg0) for 0021, 0022, 0023, 0032: shows which values a condition
 * on argument 0 matches (the rules fail with errno 42). */
static void
do_umasks (void *arg)
{
  (void) arg;
  static const long vals[] = { 021, 022, 023, 032 };
  for (size_t i = 0; i < 4; i++)
    report (syscall (SYS_umask, vals[i]));
}

/* getpriority(which, who): conditions on two arguments */
static void
do_getpriority (void *arg)
{
  (void) arg;
  report (syscall (SYS_getpriority, PRIO_PROCESS, 0));
  report (syscall (SYS_getpriority, PRIO_PROCESS, 12345));
  report (syscall (SYS_getpriority, PRIO_PGRP, 0));
  report (syscall (SYS_getpriority, PRIO_USER, 0));
}

static void
do_getppid (void *arg)
{
  (void) arg;
  long p = syscall (SYS_getppid);
  report (p == (long) getppid () ? 0 : -1);
}

/* The ENOSYS rule: newer syscalls than the profile names. */
static void
do_newer (void *arg)
{
  (void) arg;
  report (syscall (SYS_clone3, NULL, 0));                           /* 435 */
  report (syscall (SYS_openat2, AT_FDCWD, "/", NULL, 0));           /* 437 */
  report (syscall (SYS_fchmodat2, AT_FDCWD, "/nonexistent", 0, 0)); /* 452 */
  report (syscall (SYS_mseal, 0, 0, 0));                /* 462, unknown to old libseccomp */
  report (syscall (SYS_mkdir, "/nonexistent/x", 0700)); /* old, not named */
}

/* Numbers above every syscall any table knows (the stub of the ENOSYS
 * rule), then an old one that is not named. */
static void
do_far (void *arg)
{
  (void) arg;
  report (syscall (1000, 0, 0, 0));
  report (syscall (600, 0, 0, 0));
  report (syscall (0x3fffffff, 0, 0, 0));
  report (syscall (SYS_mkdir, "/nonexistent/x", 0700));
}

static volatile sig_atomic_t trapped_nr = -1;

static void
on_sigsys (int sig, siginfo_t *si, void *ctx)
{
  (void) sig;
  (void) ctx;
  trapped_nr = si->si_syscall;
}

static void
do_trap (void *arg)
{
  (void) arg;
  struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
  sigaction (SIGSYS, &sa, NULL);
  syscall (SYS_getppid);
  report (trapped_nr == SYS_getppid ? 0 : -1);
}

static void
do_status (void *arg)
{
  (void) arg;
  char buf[8192];
  int fd = open ("/proc/self/status", O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read (fd, buf, sizeof buf - 1) : -1;
  buf[n > 0 ? n : 0] = '\0';
  report (strstr (buf, "\nSeccomp:\t2\n") ? 0 : -1);
  report (strstr (buf, "\nSeccomp_filters:\t1\n") ? 0 : -1);
}

/* ------------------------------------------------------------ fd passing */

static int
send_fd (int sock, int fd)
{
  char byte = 'f';
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  memset (&control, 0, sizeof control);
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  struct msghdr mh = { .msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf };
  struct cmsghdr *cm = CMSG_FIRSTHDR (&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cm), &fd, sizeof (int));
  return sendmsg (sock, &mh, 0) == 1 ? 0 : -1;
}

static int
recv_fd (int sock)
{
  char byte;
  int fd = -1;
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  struct msghdr mh = { .msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf };
  if (recvmsg (sock, &mh, MSG_CMSG_CLOEXEC) != 1)
    return -1;
  struct cmsghdr *cm = CMSG_FIRSTHDR (&mh);
  if (cm && cm->cmsg_type == SCM_RIGHTS)
    memcpy (&fd, CMSG_DATA (cm), sizeof fd);
  return fd;
}

/* A child that loads a NOTIFY profile, sends the notify fd on sock, then
 * calls mkdir twice and rmdir once on dir_path. */
static pid_t
notify_child (struct husk_spec *s, int sock, int out)
{
  fflush (stdout);
  pid_t pid = fork ();
  if (pid != 0)
    return pid;
  struct husk_error err = { 0 };
  int nfd = -1;
  report_fd = out;
  prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (hk_seccomp_load (s->linux_->seccomp, &nfd, &err) < 0)
    {
      dprintf (1, "# load: %s\n", err.msg);
      _exit (250);
    }
  if (nfd < 0 || send_fd (sock, nfd) < 0)
    _exit (249);
  close (nfd);
  report (syscall (SYS_mkdir, dir_path, 0700));
  report (syscall (SYS_mkdir, dir_path, 0700));
  report (syscall (SYS_rmdir, dir_path));
  child_exit (0);
}

/* Answer one notification: check it is nr from pid, reply with error e
 * (0: success with value 0; -1: let it run). */
static bool
answer (int nfd, pid_t pid, int nr, int e)
{
  struct pollfd pfd = { .fd = nfd, .events = POLLIN };
  if (poll (&pfd, 1, 5000) != 1)
    return printf ("#   no notification\n"), false;
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;
  memset (&req, 0, sizeof req);
  if (ioctl (nfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
    return printf ("#   NOTIF_RECV: %s\n", strerror (errno)), false;
  bool ok = req.data.nr == nr && (pid_t) req.pid == pid;
  if (!ok)
    printf ("#   notification of syscall %d from %u\n", req.data.nr, req.pid);
  memset (&resp, 0, sizeof resp);
  resp.id = req.id;
  if (e < 0)
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  else
    resp.error = -e;
  if (ioctl (nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
    return printf ("#   NOTIF_SEND: %s\n", strerror (errno)), false;
  return ok;
}

static void
test_notify (const char *profile, const char *desc)
{
  int sp[2], pp[2];
  struct husk_spec *s = parse (profile);
  if (s == NULL || socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0
      || pipe2 (pp, O_CLOEXEC) < 0)
    {
      ok (0, desc);
      return;
    }
  pid_t pid = notify_child (s, sp[1], pp[1]);
  close (sp[1]);
  close (pp[1]);
  int nfd = recv_fd (sp[0]);
  bool good = nfd >= 0;
  /* mkdir: EXDEV; mkdir: success without running; rmdir: runs (ENOENT) */
  good = good && answer (nfd, pid, SYS_mkdir, EXDEV);
  good = good && answer (nfd, pid, SYS_mkdir, 0);
  good = good && answer (nfd, pid, SYS_rmdir, -1);
  int status, res[3] = { -1, -1, -1 };
  waitpid (pid, &status, 0);
  good = good && WIFEXITED (status) && WEXITSTATUS (status) == 0;
  good = good && read (pp[0], res, sizeof res) == sizeof res;
  good = good && res[0] == EXDEV && res[1] == 0 && res[2] == ENOENT;
  if (!good)
    printf ("#   status %#x results %d %d %d\n", status, res[0], res[1], res[2]);
  /* every process of the filter is gone: the fd hangs up */
  struct pollfd pfd = { .fd = nfd, .events = POLLIN };
  good = good && poll (&pfd, 1, 5000) == 1 && (pfd.revents & POLLHUP);
  ok (good, desc);
  struct stat st;
  ok (stat (dir_path, &st) < 0 && errno == ENOENT, "  the answered mkdir did not run");
  if (nfd >= 0)
    close (nfd);
  close (sp[0]);
  close (pp[0]);
  husk_spec_free (s);
}

/* ------------------------------------------------------------ agent */

static pid_t
start_agent (const char *sock, const char *state, const char *log)
{
  fflush (stdout);
  pid_t pid = fork ();
  if (pid == 0)
    {
      execl (agent_path, agent_path, "--once", "--state", state, "--log", log, sock, (char *) NULL);
      _exit (127);
    }
  for (int i = 0; i < 500; i++)
    {
      struct stat st;
      if (stat (sock, &st) == 0)
        return pid;
      usleep (10000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  return -1;
}

static char *
slurp (const char *path)
{
  static char buf[8192];
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read (fd, buf, sizeof buf - 1) : -1;
  if (fd >= 0)
    close (fd);
  buf[n > 0 ? n : 0] = '\0';
  return buf;
}

static void
test_agent (void)
{
  char sock[4200], state[4200], log[4200], profile[8192], want[4400];
  snprintf (sock, sizeof sock, "%s/agent.sock", tmpdir);
  snprintf (state, sizeof state, "%s/agent.state", tmpdir);
  snprintf (log, sizeof log, "%s/agent.log", tmpdir);
  if (access (agent_path, X_OK) < 0)
    {
      printf ("ok %d # SKIP %s is not built\n", ++tap_n, agent_path);
      return;
    }
  snprintf (profile, sizeof profile,
            PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'%s',"
                     "'listenerMetadata':'mkdir=errno:42,rmdir=ok',"
                     "'syscalls':[{'names':['mkdir','rmdir'],'action':'SCMP_ACT_NOTIFY'}]"),
            sock);
  struct husk_spec *s = parse (profile);
  int sp[2], pp[2];
  pid_t agent = start_agent (sock, state, log);
  ok (agent > 0, "the agent listens");
  if (s == NULL || agent < 0 || socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0
      || pipe2 (pp, O_CLOEXEC) < 0)
    return;

  pid_t pid = notify_child (s, sp[1], pp[1]);
  close (sp[1]);
  close (pp[1]);
  int nfd = recv_fd (sp[0]);
  char state_json[512];
  snprintf (state_json, sizeof state_json,
            "{\"ociVersion\":\"1.3.0\",\"id\":\"test-ctr\",\"status\":\"creating\","
            "\"pid\":%d,\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}\n",
            (int) pid);
  struct husk_error err = { 0 };
  int ret = hk_seccomp_notify_send (s->linux_->seccomp, nfd, pid, state_json, &err);
  if (!ok (ret == 0, "hk_seccomp_notify_send"))
    printf ("#   %s\n", err.msg);
  if (nfd >= 0)
    close (nfd);
  int status, astatus, res[3] = { -1, -1, -1 };
  waitpid (pid, &status, 0);
  waitpid (agent, &astatus, 0);
  ok (WIFEXITED (status) && WEXITSTATUS (status) == 0 && read (pp[0], res, sizeof res) == sizeof res
          && res[0] == 42 && res[1] == 42 && res[2] == 0,
      "the agent answered mkdir with errno 42 and rmdir with success");
  if (res[0] != 42 || res[2] != 0)
    printf ("#   status %#x results %d %d %d; agent log:\n%s", status, res[0], res[1], res[2],
            slurp (log));
  ok (WIFEXITED (astatus) && WEXITSTATUS (astatus) == 0, "the agent exits when the child is gone");
  const char *got = slurp (state);
  like (got, "{\"ociVersion\":\"" HUSK_SPEC_OCI_VERSION "\",\"fds\":[\"seccompFd\"],",
        "state: ociVersion, fds");
  snprintf (want, sizeof want, "\"pid\":%d,\"metadata\":\"mkdir=errno:42,rmdir=ok\",", (int) pid);
  like (got, want, "state: pid, metadata");
  like (got, "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"test-ctr\",",
        "state: the container state");
  like (slurp (log), " mkdir errno:42\n", "agent log");
  close (sp[0]);
  close (pp[0]);

  /* errors: no listener, a state that is not JSON, no fd */
  unlink (sock);
  ret = hk_seccomp_notify_send (s->linux_->seccomp, 0, 1, "{}", &err);
  ok (ret == -ENOENT, "no listener: ENOENT");
  snprintf (want, sizeof want, "seccomp listener \"%s\": connect: No such file or directory", sock);
  is_str (err.msg, want, "  message");
  ret = hk_seccomp_notify_send (s->linux_->seccomp, 0, 1, "[1]", &err);
  is_str (err.msg, "seccomp listener: the container state is not a JSON object",
          "state not an object");
  ret = hk_seccomp_notify_send (s->linux_->seccomp, -1, 1, "{}", &err);
  ok (ret == -EBADF, "no fd: EBADF");
  husk_spec_free (s);
}

/* ------------------------------------------------------------ errors */

static void
load_fails (const char *profile, const char *want)
{
  struct run r;
  run_under (profile, NULL, NULL, &r);
  if (!tap_ok_ (exited (&r, 250) && strcmp (r.err, want) == 0, __FILE__, __LINE__, want))
    printf ("#   got \"%s\"\n", r.err);
}

static void
collect (const char *name, void *data)
{
  strcat ((char *) data, name);
  strcat ((char *) data, " ");
}

int
main (int argc, char **argv)
{
  struct run r;
  (void) argc;

  if (mkdtemp (tmpdir) == NULL)
    return perror ("mkdtemp"), 1;
  snprintf (dir_path, sizeof dir_path, "%s/dir", tmpdir);
  if (getenv ("HUSK_SECCOMP_AGENT"))
    snprintf (agent_path, sizeof agent_path, "%s", getenv ("HUSK_SECCOMP_AGENT"));
  else
    {
      const char *slash = strrchr (argv[0], '/');
      snprintf (agent_path, sizeof agent_path, "%.*s../helpers/seccomp-agent",
                slash ? (int) (slash - argv[0] + 1) : 0, argv[0]);
    }

  /* --- actions */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                      "'action':'SCMP_ACT_ERRNO'}]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "ERRNO without errnoRet: EPERM", EPERM);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42}]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "ERRNO with errnoRet 42", 42);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':13,'syscalls':[" BASE
                      "]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "default ERRNO with defaultErrnoRet 13", EACCES);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','syscalls':[" BASE "]"), do_mkdir, NULL,
             &r);
  RESULTS (r, "default ERRNO without defaultErrnoRet: EPERM", EPERM);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','syscalls':[" BASE
                      ",{'names':['getppid'],'action':'SCMP_ACT_ALLOW'}]"),
             do_getppid, NULL, &r);
  RESULTS (r, "ALLOW in a default ERRNO profile", OK_);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],"
                      "'action':'SCMP_ACT_LOG'}]"),
             do_getppid, NULL, &r);
  RESULTS (r, "LOG runs the syscall", OK_);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_LOG','syscalls':[{'names':['mkdir'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42}]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "default LOG", 42);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                      "'action':'SCMP_ACT_TRACE'}]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "TRACE without a tracer: ENOSYS", ENOSYS);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],"
                      "'action':'SCMP_ACT_KILL_PROCESS'}]"),
             do_getppid, NULL, &r);
  ok (WIFSIGNALED (r.status) && WTERMSIG (r.status) == SIGSYS && r.n == 0,
      "KILL_PROCESS: killed by SIGSYS");
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],"
                      "'action':'SCMP_ACT_KILL_THREAD'}]"),
             do_getppid, NULL, &r);
  ok (WIFSIGNALED (r.status) && WTERMSIG (r.status) == SIGSYS && r.n == 0,
      "KILL_THREAD: killed by SIGSYS");
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],"
                      "'action':'SCMP_ACT_KILL'}]"),
             do_getppid, NULL, &r);
  ok (WIFSIGNALED (r.status) && WTERMSIG (r.status) == SIGSYS && r.n == 0,
      "KILL: killed by SIGSYS");
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],"
                      "'action':'SCMP_ACT_TRAP'}]"),
             do_trap, NULL, &r);
  RESULTS (r, "TRAP: SIGSYS with si_syscall", OK_);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                      "'action':'SCMP_ACT_ALLOW'},{'names':['rmdir'],'action':'SCMP_ACT_ERRNO'}]"),
             do_status, NULL, &r);
  RESULTS (r, "/proc/self/status: Seccomp 2, one filter (rules with the default action skipped)",
           OK_, OK_);

  /* --- names */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':["
                      "'no_such_syscall','mkdir','another_unknown'],'action':'SCMP_ACT_ERRNO',"
                      "'errnoRet':42}]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "unknown syscall names are skipped", 42);
  {
    char names[256] = "";
    struct husk_spec *s = parse (
        PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':["
                 "'no_such_syscall','mkdir','mseal'],'action':'SCMP_ACT_ERRNO'},"
                 "{'names':['other_unknown'],'action':'SCMP_ACT_LOG'}]"));
    if (s)
      hk_seccomp_foreach_unknown (s->linux_->seccomp, collect, names);
    is_str (names, "no_such_syscall other_unknown ", "hk_seccomp_foreach_unknown");
    husk_spec_free (s);
  }

  /* two entries for one syscall: libseccomp keeps the first (docs/seccomp.md) */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42},{'names':['mkdir'],"
                      "'action':'SCMP_ACT_KILL'}]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "two entries for one syscall: the first wins", 42);

  /* --- argument conditions: umask(arg0) with 021, 022, 023, 032 */
#define UMASK_RULE(op, extra) \
  PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['umask']," \
           "'action':'SCMP_ACT_ERRNO','errnoRet':42,'args':[{'index':0,'value':18,'op':'" op \
           "'" extra "}]}]")
#define D 42
  run_under (UMASK_RULE ("SCMP_CMP_NE", ""), do_umasks, NULL, &r);
  RESULTS (r, "SCMP_CMP_NE 022", D, OK_, D, D);
  run_under (UMASK_RULE ("SCMP_CMP_LT", ""), do_umasks, NULL, &r);
  RESULTS (r, "SCMP_CMP_LT 022", D, OK_, OK_, OK_);
  run_under (UMASK_RULE ("SCMP_CMP_LE", ""), do_umasks, NULL, &r);
  RESULTS (r, "SCMP_CMP_LE 022", D, D, OK_, OK_);
  run_under (UMASK_RULE ("SCMP_CMP_EQ", ""), do_umasks, NULL, &r);
  RESULTS (r, "SCMP_CMP_EQ 022", OK_, D, OK_, OK_);
  run_under (UMASK_RULE ("SCMP_CMP_GE", ""), do_umasks, NULL, &r);
  RESULTS (r, "SCMP_CMP_GE 022", OK_, D, D, D);
  run_under (UMASK_RULE ("SCMP_CMP_GT", ""), do_umasks, NULL, &r);
  RESULTS (r, "SCMP_CMP_GT 022", OK_, OK_, D, D);
  /* (arg & 07) == 02: 022 and 032 */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['umask'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42,'args':[{'index':0,'value':7,"
                      "'valueTwo':2,'op':'SCMP_CMP_MASKED_EQ'}]}]"),
             do_umasks, NULL, &r);
  RESULTS (r, "SCMP_CMP_MASKED_EQ mask 07 value 02", OK_, D, OK_, D);
  /* two conditions on argument 0: OR */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['umask'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42,'args':["
                      "{'index':0,'value':17,'op':'SCMP_CMP_EQ'},"
                      "{'index':0,'value':19,'op':'SCMP_CMP_EQ'}]}]"),
             do_umasks, NULL, &r);
  RESULTS (r, "two conditions on one argument: either matches (OR)", D, OK_, D, OK_);
  /* getpriority(which, who): conditions on two arguments: AND */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getpriority'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42,'args':["
                      "{'index':0,'value':0,'op':'SCMP_CMP_EQ'},"
                      "{'index':1,'value':12345,'op':'SCMP_CMP_EQ'}]}]"),
             do_getpriority, NULL, &r);
  ok (exited (&r, 0) && r.n == 4 && r.res[0] != 42 && r.res[1] == 42 && r.res[2] != 42
          && r.res[3] != 42,
      "conditions on two arguments: both must match (AND)");
  /* runc's rule: once one argument is repeated, every condition is its own rule */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getpriority'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42,'args':["
                      "{'index':0,'value':1,'op':'SCMP_CMP_EQ'},"
                      "{'index':0,'value':2,'op':'SCMP_CMP_EQ'},"
                      "{'index':1,'value':12345,'op':'SCMP_CMP_EQ'}]}]"),
             do_getpriority, NULL, &r);
  ok (exited (&r, 0) && r.n == 4 && r.res[0] != 42 && r.res[1] == 42 && r.res[2] == 42
          && r.res[3] == 42,
      "a repeated argument: every condition is a rule of its own (OR, as runc)");

  /* --- the ENOSYS rule: clone3 435, openat2 437, fchmodat2 452, mseal 462, mkdir */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','syscalls':[" BASE "]"), do_newer, NULL,
             &r);
  RESULTS (r, "ENOSYS: a profile of old syscalls: every newer one ENOSYS, mkdir EPERM", ENOSYS,
           ENOSYS, ENOSYS, ENOSYS, EPERM);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','syscalls':[" BASE
                      ",{'names':['openat2'],'action':'SCMP_ACT_ERRNO','errnoRet':13}]"),
             do_newer, NULL, &r);
  RESULTS (r, "ENOSYS: above openat2 only; clone3 (older, not named) gets the default", EPERM,
           EACCES, ENOSYS, ENOSYS, EPERM);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','syscalls':[" BASE
                      ",{'names':['mseal'],'action':'SCMP_ACT_ERRNO','errnoRet':13}]"),
             do_newer, NULL, &r);
  RESULTS (r, "ENOSYS: a profile naming mseal (by husk's number when libseccomp lacks it)", EPERM,
           EPERM, EPERM, EACCES, EPERM);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,'syscalls':["
                      "{'names':[" BASE_NAMES "],'action':'SCMP_ACT_ALLOW'},"
                      "{'names':['this_one_is_unknown'],'action':'SCMP_ACT_ALLOW'}]"),
             do_newer, NULL, &r);
  RESULTS (r, "ENOSYS: unknown names do not count", ENOSYS, ENOSYS, ENOSYS, ENOSYS, EPERM);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_KILL_PROCESS','syscalls':[" BASE "]"), do_newer,
             NULL, &r);
  ok (WIFSIGNALED (r.status) && WTERMSIG (r.status) == SIGSYS && r.n == 4 && r.res[0] == ENOSYS
          && r.res[3] == ENOSYS,
      "ENOSYS: default KILL_PROCESS: newer syscalls ENOSYS, mkdir kills");
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','syscalls':[" BASE "]"), do_far, NULL, &r);
  RESULTS (r, "ENOSYS: every number above the profile's newest, not only a table (1000, 600)",
           ENOSYS, ENOSYS, ENOSYS, EPERM);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':13,'architectures':["
                      "'SCMP_ARCH_X86','SCMP_ARCH_X32'],'syscalls':[" BASE
                      ",{'names':['mseal'],'action':'SCMP_ACT_ERRNO','errnoRet':42}]"),
             do_far, NULL, &r);
  RESULTS (r, "ENOSYS: above mseal too, with more architectures", ENOSYS, ENOSYS, ENOSYS, EACCES);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_KILL_PROCESS','syscalls':[" BASE "]"), do_far,
             NULL, &r);
  ok (WIFSIGNALED (r.status) && WTERMSIG (r.status) == SIGSYS && r.n == 3 && r.res[0] == ENOSYS
          && r.res[2] == ENOSYS,
      "ENOSYS: default KILL_PROCESS: syscall(1000) ENOSYS, mkdir kills");
  {
    struct sock_filter stub[HK_SECCOMP_STUB_MAX];
    ok (hk_seccomp_enosys_stub (SCMP_ARCH_X86_64, -1, stub) == 0
            && hk_seccomp_enosys_stub (SCMP_ARCH_X86_64, 334, stub) == 6 && stub[3].k == 0x40000000
            && stub[4].k == 334 && hk_seccomp_enosys_stub (SCMP_ARCH_AARCH64, 293, stub) == 5
            && stub[3].k == 293,
        "ENOSYS stub: none without a named syscall; x32 numbers go to the profile");
  }
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],"
                      "'action':'SCMP_ACT_ERRNO'}]"),
             do_newer, NULL, &r);
  ok (exited (&r, 0) && r.n == 5 && r.res[2] == ENOENT && r.res[4] == ENOENT,
      "ENOSYS: no rule when the default allows");

  /* --- architectures and flags */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86_64',"
                      "'SCMP_ARCH_X86','SCMP_ARCH_X32','SCMP_ARCH_AARCH64'],'syscalls':[{'names':"
                      "['mkdir','socketcall'],'action':'SCMP_ACT_ERRNO','errnoRet':42}]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "architectures (native listed too)", 42);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86',"
                      "'SCMP_ARCH_X32'],'syscalls':[" BASE "]"),
             do_newer, NULL, &r);
  RESULTS (r, "ENOSYS with more architectures", ENOSYS, ENOSYS, ENOSYS, ENOSYS, EPERM);
  /* more than 32 names: libseccomp's binary tree */
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86',"
                      "'SCMP_ARCH_X32'],'syscalls':[" BASE ",{'names':['read','open','close',"
                      "'stat','fstat','lstat','poll','lseek','mmap','mprotect','munmap','brk',"
                      "'ioctl','pread64','pwrite64','readv','writev','access','pipe','select',"
                      "'sched_yield','mremap','msync','mincore','madvise','dup','dup2','pause',"
                      "'nanosleep','getitimer','alarm','setitimer','getpid','sendfile','socket',"
                      "'connect','accept','rseq'],'action':'SCMP_ACT_ALLOW'},{'names':['umask'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42,'args':[{'index':0,'value':0,"
                      "'op':'SCMP_CMP_EQ'}]}]"),
             do_newer, NULL, &r);
  RESULTS (r, "ENOSYS in a long profile (binary tree)", ENOSYS, ENOSYS, ENOSYS, ENOSYS, EPERM);
  run_under (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_TSYNC',"
                      "'SECCOMP_FILTER_FLAG_LOG','SECCOMP_FILTER_FLAG_SPEC_ALLOW',"
                      "'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'],'syscalls':[{'names':['mkdir'],"
                      "'action':'SCMP_ACT_ERRNO','errnoRet':42}]"),
             do_mkdir, NULL, &r);
  RESULTS (r, "flags TSYNC, LOG, SPEC_ALLOW (WAIT_KILLABLE_RECV without NOTIFY: ignored)", 42);

  /* --- NOTIFY */
  test_notify (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/x',"
                        "'syscalls':[{'names':['mkdir','rmdir'],'action':'SCMP_ACT_NOTIFY'}]"),
               "NOTIFY: the fd receives mkdir and rmdir and answers them");
  test_notify (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/x','flags':["
                        "'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV','SECCOMP_FILTER_FLAG_TSYNC',"
                        "'SECCOMP_FILTER_FLAG_LOG'],'syscalls':[{'names':['mkdir','rmdir'],"
                        "'action':'SCMP_ACT_NOTIFY'}]"),
               "NOTIFY with WAIT_KILLABLE_RECV, TSYNC and LOG");
  {
    /* NOTIFY on names nobody knows: no listener, no fd to send */
    struct husk_spec *s = parse (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/x',"
                                          "'syscalls':[{'names':['no_such_syscall'],"
                                          "'action':'SCMP_ACT_NOTIFY'}]"));
    fflush (stdout);
    pid_t pid = s ? fork () : -1;
    if (pid == 0)
      {
        struct husk_error err = { 0 };
        int nfd = 7;
        prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        int ret = hk_seccomp_load (s->linux_->seccomp, &nfd, &err);
        _exit (ret == 0 && nfd == -1 ? 0 : 1);
      }
    int status = -1;
    if (pid > 0)
      waitpid (pid, &status, 0);
    ok (WIFEXITED (status) && WEXITSTATUS (status) == 0,
        "NOTIFY whose names are all unknown: loaded, no listener fd");
    husk_spec_free (s);
  }
  test_agent ();

  /* --- errors */
  load_fails (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                       "'action':'SCMP_ACT_ALLOW'},{'names':['rmdir'],'action':'SCMP_ACT_KILL',"
                       "'errnoRet':1}]"),
              "linux.seccomp.syscalls[1].errnoRet: only valid with SCMP_ACT_ERRNO or "
              "SCMP_ACT_TRACE");
  load_fails (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','defaultErrnoRet':1"),
              "linux.seccomp.defaultErrnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
  load_fails (PROFILE ("'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':70000"),
              "linux.seccomp.defaultErrnoRet: 70000 is out of range (0 to 65535)");
  load_fails (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/x','syscalls':["
                       "{'names':['mkdir','write'],'action':'SCMP_ACT_NOTIFY'}]"),
              "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for \"write\" (the "
              "runtime needs it to receive the notify fd)");
#if SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR < 6
  load_fails (PROFILE ("'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86',"
                       "'SCMP_ARCH_LOONGARCH64']"),
              "linux.seccomp.architectures[1]: SCMP_ARCH_LOONGARCH64 is not supported by "
              "libseccomp 2.5." STR (SCMP_VER_MICRO));
#endif
  /* for husk features */
  ok (hk_seccomp_arch_supported ("SCMP_ARCH_X86_64") && hk_seccomp_arch_supported ("SCMP_ARCH_X86")
          && hk_seccomp_arch_supported ("SCMP_ARCH_RISCV64")
          && !hk_seccomp_arch_supported ("SCMP_ARCH_NOPE") && !hk_seccomp_arch_supported ("x86_64"),
      "hk_seccomp_arch_supported");
  ok (hk_seccomp_flag_supported (HUSK_SPEC_SECCOMP_FLAG_TSYNC)
          && hk_seccomp_flag_supported (HUSK_SPEC_SECCOMP_FLAG_LOG)
          && hk_seccomp_flag_supported (HUSK_SPEC_SECCOMP_FLAG_SPEC_ALLOW)
          && hk_seccomp_flag_supported (HUSK_SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV)
          && !hk_seccomp_flag_supported (1u << 9),
      "hk_seccomp_flag_supported: every flag on this kernel (6.x) and libseccomp");
  {
    int fd = 7;
    struct husk_error err = { 0 };
    ok (hk_seccomp_load (NULL, &fd, &err) == 0 && fd == -1, "no profile: nothing loaded");
  }

  rmdir (dir_path);
  char cmd[256];
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system (cmd) != 0)
    printf ("# could not remove %s\n", tmpdir);
  return tap_done ();
}
