/* SPDX-License-Identifier: Apache-2.0 */
/* The lifecycle after create (create.c): start, kill, delete. */
#include "config.h"
#include <ctype.h>
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
#include "fault.h"
#include "object.h"
#include "hooks.h"
#include "json.h"
#include "utils.h"
#include "store.h"
#include "syscalls.h"

/* Wait for the init's answer on the exec fifo ("0", or "1" and an error),
 * or its death. After "0" the init keeps the fifo open until its execve
 * (close-on-exec): the end of the fifo is the process started. */
static int
await_start (struct hk_container *c, int fifo, struct husk_error *err)
{
  _cleanup_close_ int pidfd = hk_sys_pidfd_open (c->st->pid, 0);
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
          if (got == sizeof answer - 1)
            break;
          continue; /* "0" or "1...": read to the end (EOF) */
        }
      if (n == 0 && got > 0)
        break; /* the init wrote and closed */
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        break;
      if (init_gone)
        break;
      /* one more read after the init is seen gone: it may have written */
      if (pidfd >= 0 && (p[1].revents & POLLIN))
        init_gone = true;
    }
  answer[got] = '\0';
  if (got > 0 && answer[0] == '0')
    return 0;
  if (got > 1)
    return husk_error_setx (err, EIO, "start container \"%s\": %s", c->id, answer + 1);
  return husk_error_setx (err, ESRCH, "cannot start container \"%s\": its init has exited", c->id);
}

/* Hooks of one kind with the container's state; a failure is a warning. */
static void
hooks_warn (struct hk_container *c, const char *name, enum husk_spec_hook_kind kind)
{
  struct husk_error err;
  if (hk_container_config (c, &err) < 0 || c->config->hooks.len[kind] == 0)
    return;
  _cleanup_free_ char *json = NULL;
  if (husk_state_to_json (c->st, false, NULL, NULL, &json, NULL, &err) < 0)
    {
      hk_container_warn (c, &err);
      return;
    }
  /* runtime.md: a failed poststart or poststop hook is a warning, and the
   * remaining hooks and the lifecycle go on */
  for (size_t i = 0; i < c->config->hooks.len[kind]; i++)
    if (hk_hook_run (name, i, &c->config->hooks.list[kind][i], json, &err) < 0)
      hk_container_warn (c, &err);
}

static int
start (struct hk_container *c, struct husk_error *err)
{
  if (c->st->status != HUSK_STATUS_CREATED)
    return husk_error_setx (err, EINVAL, "cannot start container \"%s\": it is %s, not created",
                            c->id, husk_status_name (c->st->status));
  _cleanup_close_ int fifo = openat (c->dirfd, EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fifo < 0)
    return husk_error_set (err, errno, "container \"%s\": open the exec fifo", c->id);
  /* the fifo's name goes at once: from here the init may run the
   * process, and a start that dies now leaves a container that state
   * reads as running (or stopped), never as created again */
  unlinkat (c->dirfd, EXEC_FIFO, 0);
  HK_FAULT ("start", 1);
  int ret = await_start (c, fifo, err);
  if (ret < 0)
    return ret;
  HK_FAULT ("start", 2);
  c->st->status = HUSK_STATUS_RUNNING;
  ret = hk_container_save (c, err);
  if (ret == 0)
    hooks_warn (c, "poststart", HUSK_SPEC_HOOK_POSTSTART);
  return ret;
}

int
husk_container_start (const struct husk_store *store, const char *id, const struct husk_logger *log,
                      struct husk_error *err)
{
  struct hk_container c;
  int ret = hk_container_load (store, id, log, &c, err);
  if (ret == 0)
    ret = start (&c, err);
  hk_container_close (&c);
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
                 ? husk_error_set (err, errno, "kill %d", (int) init)
                 : 0;
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

static int
kill_container (struct hk_container *c, int sig, bool all, struct husk_error *err)
{
  const struct husk_state *st = c->st;
  if (st->status != HUSK_STATUS_CREATED && st->status != HUSK_STATUS_RUNNING
      && st->status != HUSK_STATUS_PAUSED)
    return husk_error_setx (err, EINVAL, "cannot kill container \"%s\": it is %s", c->id,
                            husk_status_name (st->status));
  if (all && st->cgroup)
    {
      int ret = hk_container_cgroup (c, "kill", err);
      return ret < 0 ? ret : hk_cgroup_kill_all (c->cg, sig, err);
    }
  /* only a pid proven to be the init's (its recorded start time) */
  _cleanup_close_ int pidfd = hk_state_pidfd (st);
  if (pidfd < 0)
    return husk_error_setx (err, ESRCH, "cannot kill container \"%s\": its init (pid %d) is gone",
                            c->id, (int) st->pid);
  if (all)
    return signal_all (st->pid, sig, err);
  if (hk_sys_pidfd_send_signal (pidfd, sig, NULL, 0) < 0)
    return husk_error_set (err, errno, "kill container \"%s\" (pid %d) with signal %d", c->id,
                           (int) st->pid, sig);
  return 0;
}

int
husk_container_kill (const struct husk_store *store, const char *id, int sig, bool all,
                     struct husk_error *err)
{
  struct hk_container c;
  int ret = hk_container_load (store, id, NULL, &c, err);
  if (ret == 0)
    ret = kill_container (&c, sig, all, err);
  hk_container_close (&c);
  return ret;
}

/* The cgroup of a container husk cannot fully read, as create would have
 * made it (the id, the config copy's cgroupsPath): kill what is in it and
 * remove it. */
static int
destroy_guessed (struct hk_container *c, struct husk_error *err)
{
  struct husk_error ignored;
  const char *path = NULL;
  if (hk_container_config (c, &ignored) == 0 && c->config->linux_)
    path = c->config->linux_->cgroups_path;
  struct husk_cgroup *cg = NULL;
  int ret = hk_cgroup_guess (c->id, path, NULL, &cg, err);
  if (ret == 0)
    ret = hk_cgroup_destroy (cg, err); /* frees cg */
  return ret;
}

/* Kill and wait for the init, when a pidfd proves it is still the one
 * recorded (never a bare pid, never 0). */
/* Does the container's cgroup still hold a process? (No cgroup: unknown,
 * so yes.) */
static bool
cgroup_holds_processes (const struct husk_cgroup *cg)
{
  if (cg == NULL)
    return true;
  pid_t *pids = NULL;
  size_t n = 0;
  struct husk_error ignored;
  if (hk_cgroup_pids (cg, &pids, &n, &ignored) < 0)
    return true;
  free (pids);
  return n > 0;
}

static void
kill_proven_init (const struct husk_state *st, bool whole_pidns, const struct husk_cgroup *cg)
{
  int pidfd = hk_state_pidfd (st);
  if (pidfd < 0)
    return;
  struct husk_error ignored;
  if (whole_pidns)
    signal_all (st->pid, SIGKILL, &ignored);
  hk_sys_pidfd_send_signal (pidfd, SIGKILL, NULL, 0);
  /* Until the init has exited, or its cgroup is empty: a pid namespace's
   * init that exits waits for every process of its namespace to be reaped,
   * some by the host's pid 1, which may take its time; they have all left
   * the cgroup already, which is what delete needs. At most 10 s. */
  for (int i = 0; i < 1000; i++)
    {
      struct pollfd p = { pidfd, POLLIN, 0 };
      if (poll (&p, 1, 10) > 0 || !cgroup_holds_processes (cg))
        break;
    }
  close (pidfd);
  /* our own child (run): reap it */
  waitpid (st->pid, NULL, WNOHANG);
}

/* delete --force of a container whose state.json cannot be read (garbage,
 * truncated, an unknown status, a hostile cgroup record): its processes
 * are found through its cgroup, killed, the cgroups and the state
 * directory removed; what could not be read is reported (a warning). */
static int
delete_unreadable (struct hk_container *c, const struct husk_error *why, struct husk_error *err)
{
  struct husk_error w = *why, ignored;
  husk_error_prefix (&w, "delete --force: cannot read the state");
  hk_container_warn (c, &w);
  /* what can be salvaged from the file: the cgroup record, a pid proven
   * by its start time (never a bare pid) */
  _cleanup_close_ int fd = openat (c->dirfd, HUSK_STATE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
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
        hk_container_warn (c, &cerr);
    }
  yajl_val pid = root ? hk_json_get (root, "pid", yajl_t_number) : NULL;
  yajl_val start = root ? hk_json_get (root, "pidStartTime", yajl_t_number) : NULL;
  if (pid && start && YAJL_IS_INTEGER (pid) && YAJL_IS_INTEGER (start) && YAJL_GET_INTEGER (pid) > 0
      && YAJL_GET_INTEGER (pid) <= HUSK_PID_MAX && YAJL_GET_INTEGER (start) > 0)
    {
      struct husk_state s = { .pid = (pid_t) YAJL_GET_INTEGER (pid),
                              .pid_start_time = (unsigned long long) YAJL_GET_INTEGER (start) };
      kill_proven_init (&s, false, NULL);
    }
  if (root)
    yajl_tree_free (root);
  /* the cgroup create chose from the id (and the config copy) */
  int ret = destroy_guessed (c, err);
  if (ret < 0)
    return ret;
  hk_container_unlock (c);
  return hk_container_dir_remove (c->store, c->id, err);
}

static int
delete_container (struct hk_container *c, bool force, struct husk_error *err)
{
  struct husk_state *st = c->st;
  /* a create that died half-way (its intent is all there is): what it
   * may have made is found as it would have made it */
  if (st->status == HUSK_STATUS_CREATING && st->pid == 0 && st->cgroup == NULL)
    {
      if (!force)
        return husk_error_setx (err, EBUSY,
                                "cannot delete container \"%s\": it is creating (use --force)",
                                c->id);
      int ret = destroy_guessed (c, err);
      if (ret < 0)
        return ret;
      HK_FAULT ("delete", 1);
      hk_container_unlock (c);
      return hk_container_dir_remove (c->store, c->id, err);
    }
  HK_FAULT ("delete", 1);
  if (st->status != HUSK_STATUS_STOPPED)
    {
      /* a created container's process never started: delete kills it
       * without --force, as runc does (runtime.md asks for an error on
       * any container that is not stopped; see docs/lifecycle.md) */
      if (!force && st->status != HUSK_STATUS_CREATED)
        return husk_error_setx (err, EBUSY,
                                "cannot delete container \"%s\": it is %s (use --force)", c->id,
                                husk_status_name (st->status));
      struct husk_error ignored;
      /* the cgroup reaches every process, a paused one too (it is thawed) */
      if (st->cgroup && hk_container_cgroup (c, "delete", &ignored) == 0)
        hk_cgroup_kill_all (c->cg, SIGKILL, &ignored);
      kill_proven_init (st, true, c->cg);
      st->status = HUSK_STATUS_STOPPED;
      HK_FAULT ("delete", 2);
    }
  st->pid = 0;
  hooks_warn (c, "poststop", HUSK_SPEC_HOOK_POSTSTOP);
  if (st->cgroup)
    {
      int ret = hk_container_cgroup (c, "delete", err);
      if (ret == 0)
        {
          ret = hk_cgroup_destroy (c->cg, err); /* frees it */
          c->cg = NULL;
        }
      else if (force)
        {
          /* a record that cannot be used: the cgroup create chose */
          hk_container_warn (c, err);
          ret = destroy_guessed (c, err);
        }
      if (ret < 0)
        return ret;
      HK_FAULT ("delete", 3);
    }
  hk_container_unlock (c);
  return hk_container_dir_remove (c->store, c->id, err);
}

int
husk_container_delete (const struct husk_store *store, const char *id, bool force,
                       const struct husk_logger *log, struct husk_error *err)
{
  struct hk_container c;
  int ret = hk_container_load (store, id, log, &c, err);
  if (ret == 0)
    ret = delete_container (&c, force, err);
  else if (force && c.dirfd >= 0 && ret != -ENOENT)
    ret = delete_unreadable (&c, err, err);
  else if (force && ret != -EINVAL && store->dirfd >= 0
           && faccessat (store->dirfd, id, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    {
      /* --force also clears a directory left without a state.json (a
       * create that was killed before it wrote one) */
      struct husk_error ignored;
      hk_container_unlock (&c);
      if (hk_container_dir_remove (store, id, &ignored) == 0)
        ret = 0;
    }
  hk_container_close (&c);
  return ret;
}

int
husk_signal_parse (const char *s, int *sig)
{
  static const struct
  {
    const char *name;
    int sig;
  } names[] = {
    { "HUP", SIGHUP },       { "INT", SIGINT },   { "QUIT", SIGQUIT },     { "ILL", SIGILL },
    { "TRAP", SIGTRAP },     { "ABRT", SIGABRT }, { "IOT", SIGIOT },       { "BUS", SIGBUS },
    { "FPE", SIGFPE },       { "KILL", SIGKILL }, { "USR1", SIGUSR1 },     { "SEGV", SIGSEGV },
    { "USR2", SIGUSR2 },     { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },     { "TERM", SIGTERM },
    { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT },     { "STOP", SIGSTOP },
    { "TSTP", SIGTSTP },     { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },     { "URG", SIGURG },
    { "XCPU", SIGXCPU },     { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
    { "WINCH", SIGWINCH },   { "IO", SIGIO },     { "POLL", SIGPOLL },     { "PWR", SIGPWR },
    { "SYS", SIGSYS },
  };
  if (s == NULL || *s == '\0')
    return -EINVAL;
  char *end;
  if (isdigit ((unsigned char) s[0]))
    {
      /* digits only (no sign, space or hex); 0: only whether the process
       * is there, as kill(2) and runc */
      errno = 0;
      long n = strtol (s, &end, 10);
      if (*end || errno || n >= NSIG)
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
