/* The lifecycle after create (create.c): start, kill, delete. */
#include "config.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "husk/container.h"
#include "cgroups/cgroups.h"
#include "container_internal.h"
#include "hooks.h"
#include "json.h"
#include "init.h"
#include "namespaces.h"
#include "netdev.h"
#include "security/label.h"
#include "security/seccomp.h"
#include "sync.h"
#include "terminal.h"
#include "utils.h"
#include "store.h"
#include "syscalls.h"

/* Open, lock and read a container. The caller closes *dirfd and frees *st. */
static int
open_container (const struct husk_store *store, const char *id, int *dirfd,
                struct husk_state **st, struct husk_error *err)
{
  int ret = hk_container_open (store, id, dirfd, err);
  if (ret < 0)
    return ret;
  ret = hk_state_read (*dirfd, id, st, err);
  if (ret < 0)
    {
      close (*dirfd);
      *dirfd = -1;
    }
  return ret;
}

int
hk_load_config_copy (int dirfd, const char *id, struct husk_spec **spec, struct husk_error *err)
{
  _cleanup_close_ int fd = openat (dirfd, CONFIG_COPY, O_RDONLY | O_CLOEXEC);
  *spec = NULL;
  if (fd < 0)
    return husk_error_set (err, errno, "container \"%s\": read its config", id);
  _cleanup_free_ char *data = NULL;
  size_t len;
  int ret = hk_read_fd (fd, CONFIG_COPY, HUSK_SPEC_MAX_SIZE, &data, &len, err);
  if (ret < 0)
    return ret;
  return husk_spec_parse (data, len, "config.json", spec, err);
}

static void
warn (const struct husk_logger *log, const struct husk_error *err)
{
  if (log)
    husk_log_warn (log, "%s", err->msg);
  else
    fprintf (stderr, "husk: warning: %s\n", err->msg);
}

int
husk_container_start (const struct husk_store *store, const char *id,
                      const struct husk_logger *log, struct husk_error *err)
{
  _cleanup_close_ int dirfd = -1;
  struct husk_state *st = NULL;
  int ret = open_container (store, id, &dirfd, &st, err);
  if (ret < 0)
    return ret;
  if (st->status != HUSK_STATUS_CREATED)
    {
      ret = husk_error_setx (err, EINVAL, "cannot start container \"%s\": it is %s, not created",
                             id, husk_status_name (st->status));
      husk_state_free (st);
      return ret;
    }
  _cleanup_close_ int pidfd = hk_sys_pidfd_open (st->pid, 0);
  _cleanup_close_ int fifo = openat (dirfd, EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fifo < 0)
    {
      ret = husk_error_set (err, errno, "container \"%s\": open the exec fifo", id);
      husk_state_free (st);
      return ret;
    }
  /* wait for the init's answer ("0", or "1" and an error), or its death */
  char answer[HUSK_ERROR_MSG_MAX + 2];
  size_t got = 0;
  bool init_gone = false;
  for (;;)
    {
      struct pollfd p[2] = { { fifo, POLLIN, 0 }, { pidfd, POLLIN, 0 } };
      if (poll (p, pidfd >= 0 ? 2 : 1, 100) < 0 && errno != EINTR)
        break;
      ssize_t n = read (fifo, answer + got, sizeof answer - 1 - got);
      if (n > 0)
        {
          got += (size_t) n;
          if (answer[0] == '0' || got == sizeof answer - 1)
            break;
          continue;     /* "1...": read the message to its end (EOF) */
        }
      if (n == 0 && got > 0)
        break;          /* the init wrote and closed */
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        break;
      if (init_gone)
        break;
      /* one more read after the init is seen gone: it may have written */
      if (pidfd >= 0 && (p[1].revents & POLLIN))
        init_gone = true;
    }
  answer[got] = '\0';
  if (got == 0 || answer[0] != '0')
    {
      if (got > 1)
        ret = husk_error_setx (err, EIO, "start container \"%s\": %s", id, answer + 1);
      else
        ret = husk_error_setx (err, ESRCH, "cannot start container \"%s\": its init has exited", id);
      unlinkat (dirfd, EXEC_FIFO, 0);
      husk_state_free (st);
      return ret;
    }
  unlinkat (dirfd, EXEC_FIFO, 0);
  st->status = HUSK_STATUS_RUNNING;
  ret = hk_state_write (dirfd, st, err);
  if (ret == 0)
    {
      struct husk_spec *spec = NULL;
      if (hk_load_config_copy (dirfd, id, &spec, err) == 0
          && spec->hooks.len[HUSK_SPEC_HOOK_POSTSTART] > 0)
        {
          _cleanup_free_ char *json = NULL;
          if (husk_state_to_json (st, false, NULL, NULL, &json, NULL, err) == 0)
            {
              /* a failed poststart hook is a warning: the process runs */
              if (hk_hooks_run ("poststart", spec->hooks.list[HUSK_SPEC_HOOK_POSTSTART],
                                  spec->hooks.len[HUSK_SPEC_HOOK_POSTSTART], json, err) < 0)
                warn (log, err);
            }
        }
      husk_spec_free (spec);
    }
  husk_state_free (st);
  return ret;
}

static bool
same_pidns (pid_t a, ino_t ns_ino)
{
  char path[64];
  struct stat st;
  snprintf (path, sizeof path, "/proc/%d/ns/pid", (int) a);
  return stat (path, &st) == 0 && st.st_ino == ns_ino;
}

/* Every process in the init's pid namespace when it has its own. */
static int
signal_all (pid_t init, int sig, struct husk_error *err)
{
  char path[64];
  struct stat ns, own;
  snprintf (path, sizeof path, "/proc/%d/ns/pid", (int) init);
  if (stat (path, &ns) < 0)
    return husk_error_set (err, errno, "kill --all: %s", path);
  if (stat ("/proc/self/ns/pid", &own) == 0 && own.st_ino == ns.st_ino)
    {
      /* the container shares husk's pid namespace: only the init */
      return kill (init, sig) < 0 && errno != ESRCH
        ? husk_error_set (err, errno, "kill %d", (int) init) : 0;
    }
  DIR *d = opendir ("/proc");
  if (d == NULL)
    return husk_error_set (err, errno, "kill --all: /proc");
  struct dirent *e;
  while ((e = readdir (d)) != NULL)
    {
      pid_t p = (pid_t) atoi (e->d_name);
      if (p > 0 && same_pidns (p, ns.st_ino))
        kill (p, sig);
    }
  closedir (d);
  return 0;
}

int
husk_container_kill (const struct husk_store *store, const char *id, int sig, bool all,
                     struct husk_error *err)
{
  _cleanup_close_ int dirfd = -1;
  struct husk_state *st = NULL;
  int ret = open_container (store, id, &dirfd, &st, err);
  if (ret < 0)
    return ret;
  if (st->status != HUSK_STATUS_CREATED && st->status != HUSK_STATUS_RUNNING
      && st->status != HUSK_STATUS_PAUSED)
    {
      ret = husk_error_setx (err, EINVAL, "cannot kill container \"%s\": it is %s", id,
                             husk_status_name (st->status));
      husk_state_free (st);
      return ret;
    }
  pid_t pid = st->pid;
  if (all && st->cgroup)
    {
      struct husk_cgroup *cg = NULL;
      ret = hk_cgroup_from_state (st->cgroup, NULL, &cg, err);
      if (ret == 0)
        ret = hk_cgroup_kill_all (cg, sig, err);
      hk_cgroup_free (cg);
      husk_state_free (st);
      return ret;
    }
  /* only a pid proven to be the init's (its recorded start time) */
  _cleanup_close_ int pidfd = hk_state_pidfd (st);
  husk_state_free (st);
  if (pidfd < 0)
    return husk_error_setx (err, ESRCH, "cannot kill container \"%s\": its init (pid %d) is gone",
                            id, (int) pid);
  if (all)
    return signal_all (pid, sig, err);
  ret = hk_sys_pidfd_send_signal (pidfd, sig, NULL, 0);
  if (ret < 0)
    return husk_error_set (err, errno, "kill container \"%s\" (pid %d) with signal %d", id,
                           (int) pid, sig);
  return 0;
}

/* The cgroup of a container husk cannot fully read, as create would have
 * made it (the id, the config copy's cgroupsPath): kill what is in it and
 * remove it. */
static int
destroy_guessed (int dirfd, const char *id, struct husk_error *err)
{
  struct husk_spec *spec = NULL;
  struct husk_error ignored;
  const char *path = NULL;
  if (hk_load_config_copy (dirfd, id, &spec, &ignored) == 0 && spec->linux_)
    path = spec->linux_->cgroups_path;
  struct husk_cgroup *cg = NULL;
  int ret = hk_cgroup_guess (id, path, NULL, &cg, err);
  husk_spec_free (spec);
  if (ret == 0)
    ret = hk_cgroup_destroy (cg, err);
  return ret;
}

/* delete --force of a container whose state.json cannot be read (garbage,
 * truncated, an unknown status, a hostile cgroup record): its processes
 * are found through its cgroup, killed, the cgroups and the state
 * directory removed; what could not be read is reported (a warning). */
static int
delete_unreadable (const struct husk_store *store, const char *id, int dirfd,
                   const struct husk_error *why, const struct husk_logger *log,
                   struct husk_error *err)
{
  struct husk_error w = *why, ignored;
  int ret = 0;
  husk_error_prefix (&w, "delete --force: cannot read the state");
  warn (log, &w);
  /* what can be salvaged from the file: the cgroup record, a pid proven
   * by its start time (never a bare pid) */
  _cleanup_close_ int fd = openat (dirfd, HUSK_STATE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  _cleanup_free_ char *data = NULL;
  size_t len = 0;
  yajl_val root = NULL;
  if (fd >= 0 && hk_read_fd (fd, HUSK_STATE_FILE, 4u << 20, &data, &len, &ignored) == 0
      && hk_json_parse (data, len, HUSK_STATE_FILE, &root, &ignored) < 0)
    root = NULL;
  const char *rec = root ? hk_json_get_str (root, "cgroup") : NULL;
  if (rec)
    {
      struct husk_cgroup *cg = NULL;
      struct husk_error cerr;
      if (hk_cgroup_from_state (rec, NULL, &cg, &cerr) == 0)
        hk_cgroup_destroy (cg, &cerr);
      else
        warn (log, &cerr);
    }
  yajl_val pid = root ? hk_json_get (root, "pid", yajl_t_number) : NULL;
  yajl_val start = root ? hk_json_get (root, "pidStartTime", yajl_t_number) : NULL;
  if (pid && start && YAJL_IS_INTEGER (pid) && YAJL_IS_INTEGER (start)
      && YAJL_GET_INTEGER (pid) > 0 && YAJL_GET_INTEGER (pid) <= HUSK_PID_MAX
      && YAJL_GET_INTEGER (start) > 0)
    {
      struct husk_state s = { .pid = (pid_t) YAJL_GET_INTEGER (pid),
                              .pid_start_time = (unsigned long long) YAJL_GET_INTEGER (start) };
      int pidfd = hk_state_pidfd (&s);
      if (pidfd >= 0)
        {
          hk_sys_pidfd_send_signal (pidfd, SIGKILL, NULL, 0);
          struct pollfd p = { pidfd, POLLIN, 0 };
          poll (&p, 1, 10000);
          close (pidfd);
          waitpid (s.pid, NULL, WNOHANG);
        }
    }
  if (root)
    yajl_tree_free (root);
  /* the cgroup create chose from the id (and the config copy) */
  if ((ret = destroy_guessed (dirfd, id, err)) < 0)
    return ret;
  return hk_container_dir_remove (store, id, err);
}

int
husk_container_delete (const struct husk_store *store, const char *id, bool force,
                       const struct husk_logger *log, struct husk_error *err)
{
  _cleanup_close_ int dirfd = -1;
  struct husk_state *st = NULL;
  int ret = hk_container_open (store, id, &dirfd, err);
  if (ret == 0 && (ret = hk_state_read (dirfd, id, &st, err)) < 0 && force && ret != -ENOENT)
    return delete_unreadable (store, id, dirfd, err, log, err);
  if (ret < 0)
    {
      /* --force also clears a directory left without a state.json (a
       * create that was killed before it wrote one) */
      struct husk_error ignored;
      if (force && ret != -EINVAL && store->dirfd >= 0
          && faccessat (store->dirfd, id, F_OK, AT_SYMLINK_NOFOLLOW) == 0
          && hk_container_dir_remove (store, id, &ignored) == 0)
        return 0;
      return ret;
    }
  if (st->status != HUSK_STATUS_STOPPED)
    {
      if (!force)
        {
          ret = husk_error_setx (err, EBUSY,
                                 "cannot delete container \"%s\": it is %s (use --force)", id,
                                 husk_status_name (st->status));
          husk_state_free (st);
          return ret;
        }
      struct husk_error ignored;
      struct husk_cgroup *cg = NULL;
      /* the cgroup reaches every process, a paused one too (it is thawed) */
      if (st->cgroup && hk_cgroup_from_state (st->cgroup, NULL, &cg, &ignored) == 0)
        hk_cgroup_kill_all (cg, SIGKILL, &ignored);
      hk_cgroup_free (cg);
      /* the pid only when it is proven the init's (never 0 or a stranger) */
      int pidfd = hk_state_pidfd (st);
      if (pidfd >= 0)
        {
          signal_all (st->pid, SIGKILL, &ignored);
          hk_sys_pidfd_send_signal (pidfd, SIGKILL, NULL, 0);
          struct pollfd p = { pidfd, POLLIN, 0 };
          poll (&p, 1, 10000);
          close (pidfd);
          /* our own child (run): reap it */
          waitpid (st->pid, NULL, WNOHANG);
        }
      st->status = HUSK_STATUS_STOPPED;
    }
  st->pid = 0;
  struct husk_spec *spec = NULL;
  if (hk_load_config_copy (dirfd, id, &spec, err) == 0
      && spec->hooks.len[HUSK_SPEC_HOOK_POSTSTOP] > 0)
    {
      _cleanup_free_ char *json = NULL;
      if (husk_state_to_json (st, false, NULL, NULL, &json, NULL, err) == 0
          && hk_hooks_run ("poststop", spec->hooks.list[HUSK_SPEC_HOOK_POSTSTOP],
                             spec->hooks.len[HUSK_SPEC_HOOK_POSTSTOP], json, err) < 0)
        warn (log, err);
    }
  husk_spec_free (spec);
  if (st->cgroup)
    {
      struct husk_cgroup *cg = NULL;
      ret = hk_cgroup_from_state (st->cgroup, NULL, &cg, err);
      if (ret == 0)
        ret = hk_cgroup_destroy (cg, err);
      else if (force)
        {
          /* a record that cannot be used: the cgroup create chose */
          warn (log, err);
          ret = destroy_guessed (dirfd, id, err);
        }
      if (ret < 0)
        {
          husk_state_free (st);
          return ret;
        }
    }
  husk_state_free (st);
  close (dirfd);
  dirfd = -1;
  return hk_container_dir_remove (store, id, err);
}

int
husk_signal_parse (const char *s, int *sig)
{
  static const struct { const char *name; int sig; } names[] = {
    { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
    { "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
    { "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
    { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
    { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
    { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
    { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
    { "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL }, { "PWR", SIGPWR },
    { "SYS", SIGSYS },
  };
  if (s == NULL || *s == '\0')
    return -EINVAL;
  char *end;
  long n = strtol (s, &end, 10);
  if (*end == '\0')
    {
      if (n <= 0 || n >= NSIG)
        return -EINVAL;
      *sig = (int) n;
      return 0;
    }
  const char *name = strncasecmp (s, "SIG", 3) == 0 ? s + 3 : s;
  for (size_t i = 0; i < ARRAY_SIZE (names); i++)
    if (strcasecmp (name, names[i].name) == 0)
      {
        *sig = names[i].sig;
        return 0;
      }
  /* RTMIN+N, RTMAX-N */
  if (strncasecmp (name, "RTMIN", 5) == 0 || strncasecmp (name, "RTMAX", 5) == 0)
    {
      bool min = strncasecmp (name, "RTMIN", 5) == 0;
      long off = 0;
      if (name[5])
        {
          errno = 0;
          off = strtol (name + 5, &end, 10);
          if (*end || errno || (min && off < 0) || (!min && off > 0))
            return -EINVAL;
          /* bounded before the sum: "RTMIN+9223372036854775807" overflowed */
          if (off > SIGRTMAX - SIGRTMIN || off < SIGRTMIN - SIGRTMAX)
            return -EINVAL;
        }
      long v = (min ? SIGRTMIN : SIGRTMAX) + off;
      if (v < SIGRTMIN || v > SIGRTMAX)
        return -EINVAL;
      *sig = (int) v;
      return 0;
    }
  return -EINVAL;
}
