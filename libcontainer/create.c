/* SPDX-License-Identifier: Apache-2.0 */
/* create: clone the container's init and drive it, over the sync socket,
 * until it waits on the exec fifo (docs/lifecycle.md). */
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
#include "fault.h"
#include "hooks.h"
#include "idmap.h"
#include "init.h"
#include "namespaces.h"
#include "netdev.h"
#include "rootfs/rootfs.h"
#include "security/caps.h"
#include "security/label.h"
#include "security/seccomp.h"
#include "sync.h"
#include "terminal.h"
#include "utils.h"
#include "store.h"
#include "syscalls.h"

/* Everything create holds; released on every path. */
struct create_ctx
{
  const struct husk_store *store;
  const struct husk_create_opts *o;
  struct husk_spec *spec;
  char *raw;
  size_t raw_len;
  char *bundle;
  char *rootfs;
  int dirfd;
  bool dir_made;
  int fifo;
  int host_proc;
  int console;
  int ns_fds[HUSK_SPEC_NS__COUNT];
  int *bind_fds; /* bind sources cloned before the user namespace */
  size_t bind_fds_len;
  int sync[2];
  pid_t pid;
  int pty;
  struct husk_cgroup *cgroup;
};

static void
ctx_release (struct create_ctx *c, bool failed)
{
  if (failed && c->pid > 0)
    {
      kill (c->pid, SIGKILL);
      waitpid (c->pid, NULL, 0);
    }
  if (c->cgroup)
    {
      struct husk_error ignored;
      if (failed)
        hk_cgroup_destroy (c->cgroup, &ignored);
      else
        hk_cgroup_free (c->cgroup);
      c->cgroup = NULL;
    }
  if (failed && c->dir_made)
    {
      struct husk_error ignored;
      hk_container_dir_remove (c->store, c->o->id, &ignored);
    }
  int *fds[] = { &c->dirfd, &c->fifo, &c->host_proc, &c->console, &c->sync[0], &c->sync[1] };
  for (size_t i = 0; i < ARRAY_SIZE (fds); i++)
    if (*fds[i] >= 0)
      {
        close (*fds[i]);
        *fds[i] = -1;
      }
  for (int t = 0; t < HUSK_SPEC_NS__COUNT; t++)
    if (c->ns_fds[t] >= 0)
      close (c->ns_fds[t]);
  hk_rootfs_close_bind_sources (c->bind_fds, c->bind_fds_len);
  c->bind_fds = NULL;
  if (failed && c->pty >= 0)
    close (c->pty);
  husk_spec_free (c->spec);
  free (c->raw);
  free (c->bundle);
  free (c->rootfs);
}

static int
abs_path (const char *base, const char *p, char **out, struct husk_error *err)
{
  if (p[0] == '/')
    return hk_strdup (p, out, err);
  if (base == NULL)
    {
      char cwd[PATH_MAX];
      if (getcwd (cwd, sizeof cwd) == NULL)
        return husk_error_set (err, errno, "getcwd");
      if (strcmp (p, ".") == 0)
        return hk_strdup (cwd, out, err);
      return asprintf (out, "%s/%s", cwd, p) < 0 ? husk_error_set (err, ENOMEM, "path") : 0;
    }
  return asprintf (out, "%s/%s", base, p) < 0 ? husk_error_set (err, ENOMEM, "path") : 0;
}

/* The OCI state of a container being created/created, as hooks read it. */
static int
state_of (const struct create_ctx *c, enum husk_status status, struct husk_state *st)
{
  memset (st, 0, sizeof *st);
  st->oci_version = (char *) HUSK_SPEC_OCI_VERSION;
  st->id = (char *) c->o->id;
  st->status = status;
  st->pid = c->pid;
  st->bundle = c->bundle;
  st->rootfs = c->rootfs;
  st->annotations = c->spec->annotations;
  st->annotations_len = c->spec->annotations_len;
  st->owner = geteuid ();
  return 0;
}

static int
hook_state_json (const struct create_ctx *c, enum husk_status status, char **out,
                 struct husk_error *err)
{
  struct husk_state st;
  char created[48];
  hk_time_now_rfc3339 (created, sizeof created);
  state_of (c, status, &st);
  st.created = created;
  return husk_state_to_json (&st, false, NULL, NULL, out, NULL, err);
}

static int
write_time_offsets (const struct husk_spec_linux *l, struct husk_error *err)
{
  if (l->time_offsets_len == 0)
    return 0;
  /* one line per clock; the parser refuses a clock named twice, and a
   * line that does not fit is an error, never a write past the buffer */
  char buf[256];
  size_t len = 0;
  for (size_t i = 0; i < l->time_offsets_len; i++)
    {
      const struct husk_spec_time_offset *t = &l->time_offsets[i];
      int n = snprintf (buf + len, sizeof buf - len, "%s %lld %u\n", t->clock,
                        (long long) (t->has_secs ? t->secs : 0), t->has_nanosecs ? t->nanosecs : 0);
      if (n < 0 || (size_t) n >= sizeof buf - len)
        return husk_error_setx (err, E2BIG, "linux.timeOffsets: too many clocks");
      len += (size_t) n;
    }
  _cleanup_close_ int fd = open ("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
  if (fd < 0 || hk_write_all (fd, buf, len) < 0)
    return husk_error_set (err, errno, "linux.timeOffsets: write /proc/self/timens_offsets");
  return 0;
}

/* Namespaces that apply to children: pid and time are entered (or made)
 * by husk itself just around the clone, then restored. */
struct child_ns
{
  int saved_pid;
  int saved_time;
};

static int
enter_child_ns (struct create_ctx *c, struct child_ns *s, struct husk_error *err)
{
  const struct husk_spec_linux *l = c->spec->linux_;
  s->saved_pid = s->saved_time = -1;
  if (c->ns_fds[HUSK_SPEC_NS_PID] >= 0)
    {
      s->saved_pid = open ("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
      if (s->saved_pid < 0)
        return husk_error_set (err, errno, "open /proc/self/ns/pid");
      if (setns (c->ns_fds[HUSK_SPEC_NS_PID], CLONE_NEWPID) < 0)
        return husk_error_set (err, errno, "join pid namespace");
    }
  const struct husk_spec_namespace *tns = husk_spec_find_namespace (c->spec, HUSK_SPEC_NS_TIME);
  if (tns)
    {
      s->saved_time = open ("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
      if (s->saved_time < 0)
        return husk_error_set (err, errno, "time namespace: open /proc/self/ns/time");
      if (tns->path)
        {
          if (setns (c->ns_fds[HUSK_SPEC_NS_TIME], CLONE_NEWTIME) < 0)
            return husk_error_set (err, errno, "join time namespace");
        }
      else
        {
          if (unshare (CLONE_NEWTIME) < 0)
            return husk_error_set (err, errno, "new time namespace");
          int ret = write_time_offsets (l, err);
          if (ret < 0)
            return ret;
        }
    }
  return 0;
}

static void
leave_child_ns (struct child_ns *s)
{
  if (s->saved_pid >= 0)
    {
      setns (s->saved_pid, CLONE_NEWPID);
      close (s->saved_pid);
    }
  if (s->saved_time >= 0)
    {
      setns (s->saved_time, CLONE_NEWTIME);
      close (s->saved_time);
    }
}

static int
open_namespaces (struct create_ctx *c, bool *new_userns, int *clone_flags, struct husk_error *err)
{
  const struct husk_spec_linux *l = c->spec->linux_;
  *new_userns = false;
  *clone_flags = 0;
  for (size_t i = 0; l && i < l->namespaces_len; i++)
    {
      const struct husk_spec_namespace *ns = &l->namespaces[i];
      const struct husk_ns_info *info = hk_ns_by_name (ns->type_name);
      if (info == NULL)
        return husk_error_setx (err, EINVAL, "linux.namespaces[%zu]: unknown type", i);
      if (ns->path)
        {
          int ret = hk_ns_open_path (ns->path, info, &c->ns_fds[ns->type], err);
          if (ret < 0)
            return husk_error_prefix (err, "linux.namespaces[%zu]", i);
        }
      else if (ns->type == HUSK_SPEC_NS_USER)
        {
          *new_userns = true;
          *clone_flags |= CLONE_NEWUSER;
        }
      else if (ns->type == HUSK_SPEC_NS_PID)
        *clone_flags |= CLONE_NEWPID;
    }
  return 0;
}

/* A new pid namespace must belong to the user namespace joined by path:
 * a short-lived process joins that user namespace and clones the init as
 * husk's own child (CLONE_PARENT), then tells husk its pid and exits. husk
 * itself never leaves the host's user namespace. */
static pid_t
clone_in_userns (struct create_ctx *c, struct husk_init_args *a, int clone_flags,
                 struct husk_error *err)
{
  int p[2];
  if (pipe2 (p, O_CLOEXEC) < 0)
    return husk_error_set (err, errno, "pipe");
  pid_t mid = fork ();
  if (mid < 0)
    {
      int e = errno;
      close (p[0]);
      close (p[1]);
      return husk_error_set (err, e, "fork");
    }
  if (mid == 0)
    {
      close (p[0]);
      pid_t init = -errno;
      if (setns (c->ns_fds[HUSK_SPEC_NS_USER], CLONE_NEWUSER) < 0)
        init = -errno;
      else
        {
          a->userns_joined = true;
          init = hk_sys_clone ((unsigned long) clone_flags | CLONE_PARENT | SIGCHLD);
          if (init == 0)
            {
              close (p[1]);
              close (c->sync[0]);
              if (c->console >= 0)
                close (c->console);
              hk_init_main (a);
            }
          if (init < 0)
            init = -errno;
        }
      (void) !write (p[1], &init, sizeof init);
      _exit (0);
    }
  close (p[1]);
  pid_t init = 0;
  ssize_t n = read (p[0], &init, sizeof init);
  close (p[0]);
  waitpid (mid, NULL, 0);
  if (n != sizeof init || init == 0)
    return husk_error_setx (err, EIO, "clone the container's init in its user namespace");
  if (init < 0)
    return husk_error_set (err, -init, "clone the container's init in its user namespace");
  return init;
}

int
hk_write_pid_file (const char *path, pid_t pid, struct husk_error *err)
{
  _cleanup_free_ char *abs = NULL;
  int ret = abs_path (NULL, path, &abs, err);
  if (ret < 0)
    return ret;
  char *slash = strrchr (abs, '/');
  *slash = '\0';
  const char *dir = abs[0] ? abs : "/";
  _cleanup_close_ int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return husk_error_set (err, errno, "--pid-file \"%s\"", path);
  char buf[32];
  int n = snprintf (buf, sizeof buf, "%d", (int) pid);
  ret = hk_write_file_atomic (dfd, dir, slash + 1, buf, (size_t) n, 0644, err);
  return ret < 0 ? husk_error_prefix (err, "--pid-file") : 0;
}

static bool
has_idmapped_mount (const struct husk_spec *spec)
{
  for (size_t i = 0; i < spec->mounts_len; i++)
    {
      const struct husk_spec_mount *m = &spec->mounts[i];
      if (m->uid_mappings_len || m->gid_mappings_len)
        return true;
      for (size_t j = 0; j < m->options_len; j++)
        if (strcmp (m->options[j], "idmap") == 0 || strcmp (m->options[j], "ridmap") == 0)
          return true;
    }
  return false;
}

/* The intent of a create (see do_create). */
static int
write_intent (struct create_ctx *c, struct husk_error *err)
{
  struct husk_state s;
  char created[48];
  hk_time_now_rfc3339 (created, sizeof created);
  state_of (c, HUSK_STATUS_CREATING, &s);
  s.created = created;
  int ret = hk_write_file_atomic (c->dirfd, c->o->id, CONFIG_COPY, c->raw, c->raw_len, 0600, err);
  return ret < 0 ? ret : hk_state_write (c->dirfd, &s, err);
}

/* The parent's side of the init's setup: answer its requests until READY. */
static int
drive_init (struct create_ctx *c, bool new_userns, bool want_pty, struct husk_error *err)
{
  int sock = c->sync[0];
  const struct husk_spec_linux *l = c->spec->linux_;
  struct husk_sync_msg msg = { .fd = -1 };
  int ret;
  if (new_userns)
    {
      if ((ret = hk_idmap_write (c->pid, l, err)) < 0)
        return ret;
    }
  if (hk_sync_send (sock, HUSK_SYNC_MAPS_DONE, 0, NULL, 0, -1) < 0)
    return husk_error_set (err, errno, "sync with init");
  ret = hk_sync_expect (sock, HUSK_SYNC_RUNTIME_HOOKS, &msg, err);
  if (ret < 0)
    return husk_error_prefix (err, "create");
  hk_sync_msg_clear (&msg);

  if (l && l->net_devices_len > 0)
    {
      char path[64];
      snprintf (path, sizeof path, "/proc/%d/ns/net", (int) c->pid);
      _cleanup_close_ int netns = open (path, O_RDONLY | O_CLOEXEC);
      if (netns < 0)
        return husk_error_set (err, errno, "linux.netDevices: open %s", path);
      ret = hk_netdev_move (l->net_devices, l->net_devices_len, netns, err);
      if (ret < 0)
        return ret;
    }
  _cleanup_free_ char *state_json = NULL;
  ret = hook_state_json (c, HUSK_STATUS_CREATING, &state_json, err);
  if (ret < 0)
    return ret;
  const struct husk_spec_hooks *h = &c->spec->hooks;
  if ((ret = hk_hooks_run ("prestart", h->list[HUSK_SPEC_HOOK_PRESTART],
                           h->len[HUSK_SPEC_HOOK_PRESTART], state_json, err))
          < 0
      || (ret = hk_hooks_run ("createRuntime", h->list[HUSK_SPEC_HOOK_CREATE_RUNTIME],
                              h->len[HUSK_SPEC_HOOK_CREATE_RUNTIME], state_json, err))
             < 0)
    return ret;
  if (hk_sync_send (sock, HUSK_SYNC_RUNTIME_HOOKS_DONE, 0, state_json, strlen (state_json), -1) < 0)
    return husk_error_set (err, errno, "sync with init");

  for (;;)
    {
      ret = hk_sync_recv (sock, &msg);
      if (ret == -EPIPE)
        return husk_error_setx (err, EPIPE,
                                "create: the container's init exited before it was ready");
      if (ret < 0)
        return husk_error_set (err, -ret, "receive from init");
      switch (msg.type)
        {
        case HUSK_SYNC_READY:
          hk_sync_msg_clear (&msg);
          return 0;
        case HUSK_SYNC_ERROR:
          ret = husk_error_setx (err, msg.code ? msg.code : EIO, "%s", msg.data);
          hk_sync_msg_clear (&msg);
          return ret;
        case HUSK_SYNC_PTY:
          if (c->console >= 0)
            ret = hk_send_fd (c->console, msg.fd, "pty master", err);
          else if (want_pty)
            {
              c->pty = msg.fd;
              msg.fd = -1;
            }
          hk_sync_msg_clear (&msg);
          if (ret < 0)
            return husk_error_prefix (err, "--console-socket \"%s\"", c->o->console_socket);
          break;
        case HUSK_SYNC_SECCOMP:
          ret = hk_seccomp_notify_send (l->seccomp, msg.fd, c->pid, state_json, err);
          hk_sync_msg_clear (&msg);
          if (ret < 0)
            return ret;
          break;
        default:
          hk_sync_msg_clear (&msg);
          return husk_error_setx (err, EBADMSG, "sync: unexpected message %u from init", msg.type);
        }
    }
}

static void
log_unknown_syscall (const char *name, void *data)
{
  husk_log_debug ((const struct husk_logger *) data,
                  "linux.seccomp: syscall \"%s\" is unknown to libseccomp here: skipped", name);
}

/* A config handed over in memory: parsed and validated exactly as a file. */
static int
config_from_memory (struct create_ctx *c, const char *json, size_t len, struct husk_error *err)
{
  if (len > HUSK_SPEC_MAX_SIZE)
    return husk_error_setx (err, EFBIG, "config.json: larger than %d bytes", HUSK_SPEC_MAX_SIZE);
  c->raw = malloc (len + 1);
  if (c->raw == NULL)
    return husk_error_set (err, ENOMEM, "config.json");
  memcpy (c->raw, json, len);
  c->raw[len] = '\0';
  c->raw_len = len;
  int ret = husk_spec_parse (c->raw, len, "config.json", &c->spec, err);
  if (ret < 0)
    return ret;
  return husk_spec_validate (c->spec, "config.json", err);
}

static int
do_create (struct create_ctx *c, bool want_pty, struct husk_created *out, struct husk_error *err)
{
  const struct husk_create_opts *o = c->o;
  int ret = husk_id_validate (o->id, err);
  if (ret < 0)
    return ret;
  if (o->console_socket && o->console_socket[0] == '\0')
    return husk_error_setx (err, EINVAL, "--console-socket: must not be empty");
  /* an id in use is refused before the bundle is looked at */
  if (c->store->dirfd >= 0 && faccessat (c->store->dirfd, o->id, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    return husk_error_setx (err, EEXIST, "container \"%s\" already exists", o->id);
  if ((ret = abs_path (NULL, o->bundle ? o->bundle : ".", &c->bundle, err)) < 0)
    return ret;
  if (o->config_json)
    ret = config_from_memory (c, o->config_json, o->config_len, err);
  else
    ret = husk_spec_load_raw (c->bundle, &c->spec, &c->raw, &c->raw_len, err);
  if (ret < 0)
    return ret;
  const struct husk_spec *spec = c->spec;
  if (spec->root.path == NULL)
    return husk_error_setx (err, EINVAL, "config.json: root.path: required");
  if ((ret = abs_path (c->bundle, spec->root.path, &c->rootfs, err)) < 0)
    return ret;
  struct stat st;
  if (stat (c->rootfs, &st) < 0)
    return husk_error_set (err, errno, "config.json: root.path \"%s\"", spec->root.path);
  if (!S_ISDIR (st.st_mode))
    return husk_error_setx (err, ENOTDIR, "config.json: root.path \"%s\": not a directory",
                            spec->root.path);
  /* config.md: process is optional at create; start then fails */
  const struct husk_spec_process *proc = spec->process;
  bool terminal = proc && proc->terminal;
  if (terminal && o->console_socket == NULL && !want_pty)
    return husk_error_setx (
        err, EINVAL, "process.terminal is true: --console-socket is required to receive the pty");
  if (!terminal && o->console_socket)
    return husk_error_setx (err, EINVAL, "--console-socket given but process.terminal is false");

  if (proc)
    hk_caps_warn_unknown (proc->capabilities, o->log);
  if (spec->linux_ && spec->linux_->seccomp && o->log)
    hk_seccomp_foreach_unknown (spec->linux_->seccomp, log_unknown_syscall, (void *) o->log);
  ret = hk_labels_check (NULL, proc ? proc->selinux_label : NULL, "process.selinuxLabel",
                         proc ? proc->apparmor_profile : NULL, "process.apparmorProfile", err);
  if (ret < 0)
    return ret;

  const struct husk_spec_linux *lx0 = spec->linux_;
  if (husk_spec_find_namespace (spec, HUSK_SPEC_NS_MOUNT) == NULL
      && (spec->mounts_len || spec->root.readonly
          || (lx0 && (lx0->devices_len || lx0->masked_paths_len || lx0->readonly_paths_len))))
    husk_log_warn (o->log,
                   "no mount namespace: mounts, devices, maskedPaths, readonlyPaths and "
                   "root.readonly are not applied (they would change the host's mount table); "
                   "the process runs in root.path, chrooted");

  bool new_userns;
  int clone_flags;
  if ((ret = open_namespaces (c, &new_userns, &clone_flags, err)) < 0)
    return ret;
  /* in a user namespace the init may not reach the bind sources (a 0700
   * directory of the host): they are cloned here, on the host, first.
   * Only root of the host may clone mounts there; a rootless caller's
   * init reaches what the caller reaches. Idmapped mounts are made the
   * same way (only root of the host can idmap). */
  if ((new_userns || c->ns_fds[HUSK_SPEC_NS_USER] >= 0 || has_idmapped_mount (spec))
      && geteuid () == 0 && hk_initial_userns ()
      && (ret = hk_rootfs_open_bind_sources (spec, c->bundle, &c->bind_fds, &c->bind_fds_len, err))
             < 0)
    return ret;
  if (o->console_socket)
    {
      ret = hk_console_socket_connect (o->console_socket, &c->console, err);
      if (ret < 0)
        return ret;
    }

  /* from here on, a failure removes what was made */
  ret = hk_container_dir_create (c->store, o->id, &c->dirfd, err);
  if (ret < 0)
    return ret;
  c->dir_made = true;
  HK_FAULT ("create", 1);
  /* What delete --force needs to undo this create if husk dies half-way
   * (killed, OOM): the config copy (the cgroup create will choose) and a
   * state "creating" without a pid, written before anything is made. */
  if ((ret = write_intent (c, err)) < 0)
    return ret;
  HK_FAULT ("create", 2);
  /* writable by anyone: the init opens it as process.user, perhaps in a
   * user namespace; only through the fd it holds, since the state
   * directory (0700) lets nobody else reach it */
  if (mkfifoat (c->dirfd, EXEC_FIFO, 0622) < 0 || fchmodat (c->dirfd, EXEC_FIFO, 0622, 0) < 0)
    return husk_error_set (err, errno, "create the exec fifo");
  c->fifo = openat (c->dirfd, EXEC_FIFO, O_PATH | O_CLOEXEC);
  c->host_proc = open ("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (c->fifo < 0 || c->host_proc < 0)
    return husk_error_set (err, errno, "open the exec fifo");
  if ((ret = hk_sync_pair (c->sync, err)) < 0)
    return ret;

  struct husk_init_args a = {
    .spec = spec,
    .bundle = c->bundle,
    .rootfs = c->rootfs,
    .sync = c->sync[1],
    .exec_fifo = c->fifo,
    .host_proc = c->host_proc,
    .close_fd = c->dirfd,
    .bind_fds = c->bind_fds,
    .bind_fds_len = c->bind_fds_len,
    .new_userns = new_userns,
    .no_pivot = o->no_pivot,
    .no_new_keyring = o->no_new_keyring,
    .preserve_fds = o->preserve_fds,
    .id = o->id,
  };
  memcpy (a.ns_fds, c->ns_fds, sizeof a.ns_fds);

  /* the cgroup before the init: on a v2 host it is cloned straight into
   * it (hk_cgroup_clone); hk_cgroup_enter puts it in otherwise */
  const struct husk_spec_linux *lx = spec->linux_;
  struct husk_cgroup_opts cgo = {
    .id = o->id,
    .cgroups_path = lx ? lx->cgroups_path : NULL,
    .resources = lx ? lx->resources : NULL,
    .systemd = o->systemd_cgroup,
    .disabled = o->cgroups_disabled,
    .rootless = o->rootless,
    .devices = lx ? lx->devices : NULL,
    .devices_len = lx ? lx->devices_len : 0,
    .log = o->log,
  };
  if ((ret = hk_cgroup_create (&cgo, &c->cgroup, err)) < 0)
    return ret;
  HK_FAULT ("create", 3);

  struct child_ns saved;
  ret = enter_child_ns (c, &saved, err);
  if (ret == 0)
    {
      fflush (NULL);
      pid_t pid;
      if ((clone_flags & CLONE_NEWPID) && c->ns_fds[HUSK_SPEC_NS_USER] >= 0)
        pid = clone_in_userns (c, &a, clone_flags, err);
      else
        {
          pid = hk_cgroup_clone (c->cgroup, (unsigned long) clone_flags);
          if (pid == 0)
            {
              close (c->sync[0]);
              if (c->console >= 0)
                close (c->console);
              hk_init_main (&a);
            }
          if (pid < 0)
            husk_error_set (err, errno, "clone the container's init");
        }
      if (pid < 0)
        ret = -err->code;
      c->pid = pid > 0 ? pid : 0;
    }
  leave_child_ns (&saved);
  if (ret < 0)
    return ret;
  close (c->sync[1]);
  c->sync[1] = -1;
  HK_FAULT ("create", 4);

  /* the init waits for MAPS_DONE: it runs nothing before it is in its cgroup */
  if ((ret = hk_cgroup_enter (c->cgroup, c->pid, err)) < 0)
    return ret;
  HK_FAULT ("create", 5);

  ret = drive_init (c, new_userns, want_pty, err);
  if (ret < 0)
    return ret;
  HK_FAULT ("create", 6);

  /* the container is created: record it */
  struct husk_state s;
  char created[48];
  hk_time_now_rfc3339 (created, sizeof created);
  state_of (c, HUSK_STATUS_CREATED, &s);
  s.created = created;
  _cleanup_free_ char *cgstate = NULL;
  if ((ret = hk_cgroup_to_state (c->cgroup, &cgstate, err)) < 0)
    return ret;
  s.cgroup = cgstate;
  if (hk_proc_start_time (c->pid, &s.pid_start_time) < 0)
    return husk_error_setx (err, ESRCH, "create: the container's init exited");
  if ((ret = hk_state_write (c->dirfd, &s, err)) < 0)
    return ret;
  HK_FAULT ("create", 7);
  if (o->pid_file && (ret = hk_write_pid_file (o->pid_file, c->pid, err)) < 0)
    return ret;
  HK_FAULT ("create", 8);
  /* the init waits for the created state (its startContainer hooks read it) */
  _cleanup_free_ char *created_json = NULL;
  if ((ret = husk_state_to_json (&s, false, NULL, NULL, &created_json, NULL, err)) < 0)
    return ret;
  if (hk_sync_send (c->sync[0], HUSK_SYNC_CREATED, 0, created_json, strlen (created_json), -1) < 0)
    return husk_error_set (err, errno, "create: send the state to the init");
  out->pid = c->pid;
  out->pty_master = c->pty;
  c->pty = -1;
  return 0;
}

int
husk_container_create (const struct husk_store *store, const struct husk_create_opts *o,
                       bool want_pty, struct husk_created *out, struct husk_error *err)
{
  struct create_ctx c = { .store = store,
                          .o = o,
                          .dirfd = -1,
                          .fifo = -1,
                          .host_proc = -1,
                          .console = -1,
                          .sync = { -1, -1 },
                          .pty = -1 };
  for (int t = 0; t < HUSK_SPEC_NS__COUNT; t++)
    c.ns_fds[t] = -1;
  out->pid = 0;
  out->pty_master = -1;
  int ret = do_create (&c, want_pty, out, err);
  ctx_release (&c, ret < 0);
  return ret;
}
