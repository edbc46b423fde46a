/* SPDX-License-Identifier: Apache-2.0 */
/* husk exec: another process in a running container. One fork: husk enters
 * the container's pid (and time) namespace for its children only, forks,
 * and the child joins the rest through the init's pidfd, joins the cgroup,
 * takes the container's limits, identity and filters, and execs. */
#include "config.h"
#include <ctype.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "husk/container.h"
#include "fault.h"
#include "idmap.h"
#include "cgroups/cgroups.h"
#include "container_internal.h"
#include "object.h"
#include "plan.h"
#include "sanitizer.h"
#include "namespaces.h"
#include "security/caps.h"
#include "security/label.h"
#include "security/seccomp.h"
#include "sync.h"
#include "terminal.h"
#include "utils.h"
#include "store.h"
#include "syscalls.h"

/* The namespaces of the init that are not ours. */
static int
container_ns_flags (pid_t init)
{
  int flags = 0;
  for (int t = 0; t < HUSK_SPEC_NS__COUNT; t++)
    {
      const struct husk_ns_info *ns = hk_ns_by_type (t);
      char a[64], b[64];
      struct stat sa, sb;
      snprintf (a, sizeof a, "/proc/%d/ns/%s", (int) init, ns->proc_name);
      snprintf (b, sizeof b, "/proc/self/ns/%s", ns->proc_name);
      if (stat (a, &sa) == 0 && stat (b, &sb) == 0 && sa.st_ino != sb.st_ino)
        flags |= ns->flag;
    }
  return flags;
}

/* The process to run: the container's, changed as the flags say. The
 * returned spec owns everything it points to except what the flags lend. */
struct exec_proc
{
  struct husk_spec *config;    /* the container's config */
  struct husk_spec *file;      /* --process, wrapped in a config */
  struct husk_spec_process *p; /* the process to run */
  /* what the flags lent to config->process, restored before freeing */
  char **saved_args;
  size_t saved_args_len;
  char **saved_env;
  size_t saved_env_len;
  char *saved_cwd;
  uint32_t *saved_gids;
  size_t saved_gids_len;
  struct husk_spec_capabilities *saved_caps;
  char **env;
  uint32_t *gids;
  struct husk_spec_capabilities caps;
  char **owned_caps[3];
  struct husk_spec_process *labelled; /* labels lent by the flags */
  struct husk_spec_process *blank;    /* config->process when it had none */
  char *saved_label, *saved_apparmor;
};

static void
exec_proc_free (struct exec_proc *e)
{
  if (e->labelled)
    {
      e->labelled->selinux_label = e->saved_label;
      e->labelled->apparmor_profile = e->saved_apparmor;
    }
  if (e->config && e->config->process && e->p == e->config->process)
    {
      struct husk_spec_process *p = e->p;
      p->args = e->saved_args;
      p->args_len = e->saved_args_len;
      p->env = e->saved_env;
      p->env_len = e->saved_env_len;
      p->cwd = e->saved_cwd;
      p->user.additional_gids = e->saved_gids;
      p->user.additional_gids_len = e->saved_gids_len;
      p->capabilities = e->saved_caps;
    }
  if (e->blank)
    {
      /* lent to the config: nothing in it is the config's to free */
      e->config->process = NULL;
      free (e->blank);
    }
  free (e->env);
  free (e->gids);
  for (int i = 0; i < 3; i++)
    free (e->owned_caps[i]);
  husk_spec_free (e->config);
  husk_spec_free (e->file);
}

int
hk_exec_process_parse (const char *data, size_t len, const char *name, struct husk_spec **out,
                       struct husk_error *err)
{
  *out = NULL;
  /* the process object inside a minimal config, so that parsing and
   * validation are the config's own (line numbers are unchanged) */
  static const char head[] = "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"/\"},\"process\":";
  _cleanup_free_ char *text = malloc (sizeof head + len + 2);
  if (text == NULL)
    return husk_error_set (err, ENOMEM, "--process");
  size_t n = sizeof head - 1;
  memcpy (text, head, n);
  memcpy (text + n, data, len);
  n += len;
  text[n++] = '}';
  text[n] = '\0';
  int ret = husk_spec_parse (text, n, name, out, err);
  if (ret == 0)
    ret = husk_spec_validate (*out, name, err);
  /* optional in a config, not here: null is no process */
  if (ret == 0 && (*out)->process == NULL)
    ret = husk_error_setx (err, EINVAL, "%s: process: required", name);
  return ret;
}

static int
load_process_file (const char *path, struct husk_spec **out, struct husk_error *err)
{
  _cleanup_free_ char *data = NULL;
  size_t len;
  int ret = hk_read_file (path, HUSK_SPEC_MAX_SIZE, &data, &len, err);
  if (ret < 0)
    return husk_error_prefix (err, "--process");
  return hk_exec_process_parse (data, len, path, out, err);
}

static int
merge_env (struct exec_proc *e, struct husk_spec_process *p, char **add, size_t n,
           struct husk_error *err)
{
  size_t total = p->env_len + n;
  e->env = calloc (total + 1, sizeof *e->env);
  if (e->env == NULL)
    return husk_error_set (err, ENOMEM, "--env");
  size_t len = 0;
  for (size_t i = 0; i < p->env_len; i++)
    e->env[len++] = p->env[i];
  for (size_t i = 0; i < n; i++)
    {
      const char *eq = strchr (add[i], '=');
      if (eq == NULL || eq == add[i])
        return husk_error_setx (err, EINVAL, "--env \"%s\": must be KEY=VALUE", add[i]);
      size_t k = (size_t) (eq - add[i]) + 1;
      size_t j;
      for (j = 0; j < len; j++)
        if (strncmp (e->env[j], add[i], k) == 0)
          break;
      e->env[j] = add[i];
      if (j == len)
        len++;
    }
  e->env[len] = NULL;
  p->env = e->env;
  p->env_len = len;
  return 0;
}

static int
append_caps (char ***set, size_t *len, char **add, size_t n, char ***owned)
{
  *owned = NULL;
  char **v = calloc (*len + n + 1, sizeof *v);
  if (v == NULL)
    return -ENOMEM;
  memcpy (v, *set, *len * sizeof *v);
  memcpy (v + *len, add, n * sizeof *v);
  *set = v;
  *len += n;
  *owned = v;
  return 0;
}

/* --process, read and checked before the container is looked at */
static int
parse_process_opt (const struct husk_exec_opts *o, struct exec_proc *e, struct husk_error *err)
{
  if (o->process_json)
    return hk_exec_process_parse (o->process_json, o->process_len, "process", &e->file, err);
  if (o->process_file)
    return load_process_file (o->process_file, &e->file, err);
  return 0;
}

static int
build_process (const struct husk_exec_opts *o, struct exec_proc *e, struct husk_error *err)
{
  if (e->file)
    {
      e->p = e->file->process;
      return 0;
    }
  /* a container created without "process" (config.md allows it): exec
   * starts from a blank one, cwd "/" and root */
  if (e->config->process == NULL)
    {
      e->blank = calloc (1, sizeof *e->blank);
      if (e->blank == NULL)
        return husk_error_set (err, ENOMEM, "exec");
      e->blank->cwd = (char *) "/";
      e->config->process = e->blank;
    }
  struct husk_spec_process *p = e->config->process;
  e->p = p;
  e->saved_args = p->args;
  e->saved_args_len = p->args_len;
  e->saved_env = p->env;
  e->saved_env_len = p->env_len;
  e->saved_cwd = p->cwd;
  e->saved_gids = p->user.additional_gids;
  e->saved_gids_len = p->user.additional_gids_len;
  e->saved_caps = p->capabilities;
  if (o->args_len == 0)
    return husk_error_setx (err, EINVAL, "exec: a command is required (or --process)");
  p->args = o->args;
  p->args_len = o->args_len;
  p->terminal = o->tty;
  p->has_console_size = false;
  if (o->cwd)
    {
      if (o->cwd[0] != '/')
        return husk_error_setx (err, EINVAL, "--cwd \"%s\": must be an absolute path", o->cwd);
      p->cwd = (char *) o->cwd;
    }
  int ret = merge_env (e, p, o->env, o->env_len, err);
  if (ret < 0)
    return ret;
  if (o->set_uid)
    {
      if (o->uid > HUSK_UGID_MAX || (o->set_gid && o->gid > HUSK_UGID_MAX))
        return husk_error_setx (err, EINVAL, "--user: uid and gid must be 0 to %u", HUSK_UGID_MAX);
      p->user.uid = o->uid;
      if (o->set_gid)
        p->user.gid = o->gid;
    }
  if (o->additional_gids_len)
    {
      e->gids = calloc (o->additional_gids_len, sizeof *e->gids);
      if (e->gids == NULL)
        return husk_error_set (err, ENOMEM, "--additional-gids");
      for (size_t i = 0; i < o->additional_gids_len; i++)
        {
          if (o->additional_gids[i] > HUSK_UGID_MAX)
            return husk_error_setx (err, EINVAL,
                                    "--additional-gids: %u is not a valid gid "
                                    "(0 to %u)",
                                    o->additional_gids[i], HUSK_UGID_MAX);
          e->gids[i] = o->additional_gids[i];
        }
      p->user.additional_gids = e->gids;
      p->user.additional_gids_len = o->additional_gids_len;
    }
  if (o->no_new_privs)
    p->no_new_privileges = true;
  if (o->caps_len)
    {
      /* a well-formed name that husk does not know is dropped with a
       * warning (hk_caps_warn_unknown), as runc */
      for (size_t i = 0; i < o->caps_len; i++)
        if (!husk_spec_capability_name_ok (o->caps[i]))
          return husk_error_setx (err, EINVAL,
                                  "--cap \"%s\": not a capability name (CAP_ and upper-case "
                                  "letters, digits or _)",
                                  o->caps[i]);
      if (p->capabilities)
        e->caps = *p->capabilities;
      /* runc adds them to the bounding, effective and permitted sets */
      if (append_caps (&e->caps.bounding, &e->caps.bounding_len, o->caps, o->caps_len,
                       &e->owned_caps[0])
              < 0
          || append_caps (&e->caps.effective, &e->caps.effective_len, o->caps, o->caps_len,
                          &e->owned_caps[1])
                 < 0
          || append_caps (&e->caps.permitted, &e->caps.permitted_len, o->caps, o->caps_len,
                          &e->owned_caps[2])
                 < 0)
        return husk_error_set (err, ENOMEM, "--cap");
      p->capabilities = &e->caps;
    }
  return 0;
}

struct exec_child
{
  const struct husk_spec *config;
  const struct husk_spec_process *p;
  int pidfd;
  int ns_flags;
  int sync;
  pid_t init;
  const struct hk_cgroup_join *cgroup; /* the container's cgroup, --cgroup */
  unsigned preserve_fds;
  int procfd; /* the host's /proc */
};

__attribute__ ((noreturn)) static void
child_fail (int sync, struct husk_error *err)
{
  hk_sync_send_error (sync, err);
  _exit (1);
}

/* The command is not there (or cannot be executed): 127, as runc and the
 * shells say. */
__attribute__ ((noreturn)) static void
child_fail_127 (int sync, struct husk_error *err)
{
  hk_sync_send_error (sync, err);
  _exit (127);
}

__attribute__ ((noreturn)) static void
exec_child (const struct exec_child *c)
{
  struct husk_error err = { 0 };
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  struct exec_child *cc = (struct exec_child *) c;
  /* only what this child needs stays open (and the preserved fds): the
   * cwd and every path the process names must find nothing of the host
   * under /proc/self/fd */
  int keep[] = { c->sync, c->pidfd, hk_sanitizer_pin_reports () };
  hk_close_fds_except (3 + (int) c->preserve_fds, keep, ARRAY_SIZE (keep));
  /* the host's /proc, for the writes to come (the container's may lie) */
  cc->procfd = open ("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cc->procfd < 0)
    {
      husk_error_set (&err, errno, "open /proc");
      child_fail (c->sync, &err);
    }
  if (hk_cgroup_join_enter (c->cgroup, &err) < 0)
    child_fail (c->sync, &err);
  int flags = c->ns_flags & ~(CLONE_NEWPID | CLONE_NEWTIME);
  if (flags && setns (c->pidfd, flags) < 0)
    {
      husk_error_set (&err, errno, "join the container's namespaces");
      child_fail (c->sync, &err);
    }
  /* A container without a mount namespace of its own: its init is
   * chrooted into root.path (init.c); the process goes there too. */
  if (!(c->ns_flags & CLONE_NEWNS))
    {
      char path[32];
      snprintf (path, sizeof path, "%d/root", (int) c->init);
      _cleanup_close_ int root = openat (cc->procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
      struct stat a, b;
      /* the pidfd says the pid was still the init's when its root was opened */
      if (root < 0 || hk_sys_pidfd_send_signal (c->pidfd, 0, NULL, 0) < 0 || fstat (root, &a) < 0
          || stat ("/", &b) < 0)
        {
          husk_error_set (&err, errno, "open the root of the container's init");
          child_fail (c->sync, &err);
        }
      if ((a.st_dev != b.st_dev || a.st_ino != b.st_ino)
          && (fchdir (root) < 0 || chroot (".") < 0 || chdir ("/") < 0))
        {
          husk_error_set (&err, errno, "chroot into the container's root");
          child_fail (c->sync, &err);
        }
    }
  close (c->pidfd);
  if (setsid () < 0)
    {
      husk_error_set (&err, errno, "setsid");
      child_fail (c->sync, &err);
    }
  const struct husk_spec_process *p = c->p;
  if (p->terminal)
    {
      _cleanup_close_ int master = -1;
      _cleanup_close_ int slave = -1;
      if (hk_pty_open ("/dev/ptmx", &master, &slave, &err) < 0
          || (p->has_console_size
              && hk_pty_set_size (master, p->console_height, p->console_width, &err) < 0)
          || hk_pty_make_controlling (slave, &err) < 0)
        child_fail (c->sync, &err);
      if (hk_sync_send (c->sync, HUSK_SYNC_PTY, 0, NULL, 0, master) < 0)
        {
          husk_error_set (&err, errno, "send the pty master to husk");
          child_fail (c->sync, &err);
        }
    }
  /* the process's settings, with the container's linux section: the same
   * plan as the init's */
  struct husk_spec view = *c->config;
  view.process = (struct husk_spec_process *) p;
  struct hk_plan plan = {
    .spec = &view,
    .host_proc = c->procfd,
    .drop_host_proc = true,
    .sync = c->sync,
    .preserve_fds = c->preserve_fds,
  };
  _cleanup_free_ char *exe = NULL;
  int status;
  if (hk_plan_prepare (&plan, &exe, &status, &err) < 0)
    {
      hk_sync_send_error (c->sync, &err);
      _exit (status);
    }
  /* the process outlives husk exec --detach */
  prctl (PR_SET_PDEATHSIG, 0, 0, 0, 0);
  /* the sync socket is close-on-exec: husk sees EOF once we are the process */
  hk_plan_exec (&plan, exe, &err);
  child_fail_127 (c->sync, &err);
}

int
husk_container_exec (const struct husk_store *store, const struct husk_exec_opts *o,
                     int *exit_status, struct husk_error *err)
{
  *exit_status = 0;
  struct exec_proc e = { 0 };
  _cleanup_close_ int pidfd = -1;
  _cleanup_close_ int console = -1;
  int sync[2] = { -1, -1 };
  int pty = -1;
  sigset_t old_mask;
  bool mask_saved = false;
  pid_t pid = -1;
  struct hk_cgroup_join *cgroup = NULL;
  /* a bad --cgroup is refused before anything is started */
  if (o->cgroup)
    {
      _cleanup_free_ char *ctl = NULL, *sub = NULL;
      int r = hk_cgroup_sub_parse (o->cgroup, &ctl, &sub, err);
      if (r < 0)
        return husk_error_invalid (err, r);
    }
  /* the request first: a malformed one is HUSK_ERROR_INVALID, whatever
   * the container's state; every failure after it is HUSK_ERROR_FAILED */
  int ret = husk_error_invalid (err, husk_id_validate (o->id, err));
  if (ret == 0)
    ret = husk_error_invalid (err, parse_process_opt (o, &e, err));
  if (ret < 0)
    {
      exec_proc_free (&e);
      return ret;
    }
  struct hk_container ct;
  ret = hk_container_load (store, o->id, o->log, &ct, err);
  const struct husk_state *st = ct.st;
  /* a created container takes exec too (runc): the process joins the
   * namespaces the init has made, before start */
  if (ret == 0 && st->status == HUSK_STATUS_PAUSED && !o->ignore_paused)
    ret = husk_error_setx (err, EBUSY,
                           "cannot exec in container \"%s\": it is paused "
                           "(resume it, or use --ignore-paused)",
                           o->id);
  else if (ret == 0 && st->status != HUSK_STATUS_RUNNING && st->status != HUSK_STATUS_PAUSED
           && st->status != HUSK_STATUS_CREATED)
    ret = husk_error_setx (err, EINVAL,
                           "cannot exec in container \"%s\": it is %s, not created or running",
                           o->id, husk_status_name (st->status));
  if (ret == 0)
    ret = hk_container_config (&ct, err);
  if (ret == 0 && (pidfd = hk_state_pidfd (st)) < 0)
    ret = husk_error_set (err, -pidfd, "container \"%s\": open its init (pid %d)", o->id,
                          (int) st->pid);
  /* the cgroup recorded in state.json (and --cgroup below it) */
  if (ret == 0)
    ret = hk_cgroup_join_new (st->cgroup, o->cgroup, NULL, &cgroup, err);
  pid_t init = ret == 0 ? st->pid : 0;
  /* the container's state, for a seccomp notify listener */
  _cleanup_free_ char *state_json = NULL;
  if (ret == 0)
    ret = husk_state_to_json (st, false, NULL, NULL, &state_json, NULL, err);
  /* the config is the exec's from here on; the lock is not held while the
   * process runs */
  e.config = steal_pointer (&ct.config);
  hk_container_close (&ct);
  if (ret == 0)
    ret = husk_error_invalid (err, build_process (o, &e, err));
  if (ret == 0)
    hk_caps_warn_unknown (e.p->capabilities, o->log);
  if (ret == 0)
    {
      /* the flags win over the process's own */
      e.labelled = e.p;
      e.saved_label = e.p->selinux_label;
      e.saved_apparmor = e.p->apparmor_profile;
      if (o->process_label)
        e.p->selinux_label = (char *) o->process_label;
      if (o->apparmor)
        e.p->apparmor_profile = (char *) o->apparmor;
      ret = hk_labels_check (NULL, e.p->selinux_label,
                             o->process_label ? "--process-label" : "process.selinuxLabel",
                             e.p->apparmor_profile,
                             o->apparmor ? "--apparmor" : "process.apparmorProfile", err);
    }
  if (ret == 0 && e.p->terminal && o->detach && o->console_socket == NULL)
    ret = husk_error_invalid (err, husk_error_setx (err, EINVAL,
                                                    "exec --tty --detach needs --console-socket"));
  if (ret == 0 && !e.p->terminal && o->console_socket)
    ret = husk_error_invalid (err, husk_error_setx (err, EINVAL, "--console-socket needs --tty"));
  if (ret == 0 && o->console_socket)
    ret = hk_console_socket_connect (o->console_socket, &console, err);
  if (ret == 0)
    ret = hk_sync_pair (sync, err);
  if (ret < 0)
    goto out;

  int flags = container_ns_flags (init);
  struct exec_child child = {
    .config = e.config,
    .p = e.p,
    .pidfd = pidfd,
    .ns_flags = flags,
    .sync = sync[1],
    .init = init,
    .cgroup = cgroup,
    .preserve_fds = o->preserve_fds,
  };
  /* pid and time namespaces apply to children: enter them for the fork */
  int own_pid = -1, own_time = -1;
  int for_children = flags & (CLONE_NEWPID | CLONE_NEWTIME);
  /* Without privileges over the host's user namespace (rootless), the
   * container's pid namespace can only be joined from inside its user
   * namespace, and a user namespace once joined cannot be left: husk
   * joins it itself, for good, and the child does not join it again. */
  if ((flags & CLONE_NEWUSER) && !(geteuid () == 0 && hk_initial_userns ()))
    {
      for_children |= CLONE_NEWUSER;
      child.ns_flags &= ~CLONE_NEWUSER;
    }
  if (for_children)
    {
      own_pid = open ("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
      own_time = open ("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
      if (setns (pidfd, for_children) < 0)
        {
          ret = husk_error_set (err, errno, "join the container's pid namespace");
          goto restore;
        }
    }
  if (!o->detach)
    {
      /* keep signals for the process until hk_supervise forwards them
       * (the caller's mask is restored on the way out) */
      sigset_t all;
      sigfillset (&all);
      mask_saved = sigprocmask (SIG_BLOCK, &all, &old_mask) == 0;
    }
  /* into its cgroup from the start where the kernel can (v2) */
  pid = hk_cgroup_join_fork (cgroup, err);
  if (pid == 0)
    {
      close (sync[0]);
      if (console >= 0)
        close (console);
      exec_child (&child);
    }
  if (pid < 0)
    ret = err->code ? -err->code : -EIO;
restore:
  if (own_pid >= 0)
    {
      setns (own_pid, CLONE_NEWPID);
      close (own_pid);
    }
  if (own_time >= 0)
    {
      setns (own_time, CLONE_NEWTIME);
      close (own_time);
    }
  if (ret < 0)
    goto out;
  close (sync[1]);
  sync[1] = -1;
  HK_FAULT ("exec", 1);

  /* until EOF (the process is exec'd) or an error */
  for (;;)
    {
      struct husk_sync_msg msg = { .fd = -1 };
      int r = hk_sync_recv (sync[0], &msg);
      if (r == -EPIPE)
        break;
      if (r < 0)
        {
          ret = husk_error_set (err, -r, "exec: receive from the process");
          break;
        }
      if (msg.type == HUSK_SYNC_ERROR)
        {
          ret = husk_error_setx (err, msg.code ? msg.code : EIO, "exec failed: %s", msg.data);
          hk_sync_msg_clear (&msg);
          break;
        }
      if (msg.type == HUSK_SYNC_PTY)
        {
          if (console >= 0)
            r = hk_send_fd (console, msg.fd, "pty master", err);
          else
            {
              pty = msg.fd;
              msg.fd = -1;
            }
          if (r < 0)
            ret = husk_error_prefix (err, "--console-socket \"%s\"", o->console_socket);
        }
      else if (msg.type == HUSK_SYNC_SECCOMP)
        r = hk_seccomp_notify_send (e.config->linux_->seccomp, msg.fd, pid, state_json, err);
      hk_sync_msg_clear (&msg);
      if (ret < 0 || r < 0)
        {
          ret = ret < 0 ? ret : r;
          break;
        }
    }
  if (ret < 0)
    {
      /* the child exits after it reported the error */
      waitpid (pid, NULL, 0);
      goto out;
    }
  HK_FAULT ("exec", 2);
  if (o->pid_file && (ret = hk_write_pid_file (o->pid_file, pid, err)) < 0)
    {
      /* nobody would know the process: it goes (runc) */
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      goto out;
    }
  HK_FAULT ("exec", 3);
  if (!o->detach)
    ret = hk_supervise (pid, pty, false, exit_status, err);
out:
  if (mask_saved)
    sigprocmask (SIG_SETMASK, &old_mask, NULL);
  if (pty >= 0)
    close (pty);
  if (sync[0] >= 0)
    close (sync[0]);
  if (sync[1] >= 0)
    close (sync[1]);
  exec_proc_free (&e);
  hk_cgroup_join_free (cgroup);
  return ret;
}
