/* SPDX-License-Identifier: Apache-2.0 */
/* The container's init. Cloned by husk_container_create into new pid and
 * user namespaces (when asked); everything else happens here, in the order
 * of the runtime spec:
 *
 *   wait for the parent (id maps written)
 *   join namespaces given by path (user first), unshare the new ones
 *   ask the parent to run prestart/createRuntime hooks (and move netDevices)
 *   hostname, domainname
 *   rootfs: mounts and devices, createContainer hooks, pivot_root
 *   terminal (pty from the container's devpts, /dev/console)
 *   masked and read-only paths, sysctl, read-only root
 *   process: rlimits, scheduler, ..., cwd, user, capabilities, seccomp
 *   READY to the parent, then block on the exec fifo (husk start)
 *   startContainer hooks, close every fd not meant for the process, execve
 */
#include "config.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "hooks.h"
#include "init.h"
#include "namespaces.h"
#include "plan.h"
#include "rootfs/rootfs.h"
#include "sanitizer.h"
#include "sync.h"
#include "terminal.h"
#include "utils.h"
#include "syscalls.h"

/* Report err to the parent and die. */
__attribute__ ((noreturn)) static void
init_fail (int sync, struct husk_error *err)
{
  hk_sync_send_error (sync, err);
  _exit (1);
}

/* A new network namespace starts with lo down; runc and crun bring it up. */
static int
loopback_up (struct husk_error *err)
{
  _cleanup_close_ int s = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    return husk_error_set (err, errno, "network namespace: socket");
  struct ifreq ifr;
  memset (&ifr, 0, sizeof ifr);
  strcpy (ifr.ifr_name, "lo");
  if (ioctl (s, SIOCGIFFLAGS, &ifr) < 0)
    return husk_error_set (err, errno, "network namespace: get the flags of lo");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl (s, SIOCSIFFLAGS, &ifr) < 0)
    return husk_error_set (err, errno, "network namespace: set lo up");
  return 0;
}

static int
join_and_unshare (const struct husk_init_args *a, struct husk_error *err)
{
  const struct husk_spec_linux *l = a->spec->linux_;
  /* the user namespace first: it decides what the others may do */
  if (a->ns_fds[HUSK_SPEC_NS_USER] >= 0 && !a->userns_joined
      && setns (a->ns_fds[HUSK_SPEC_NS_USER], CLONE_NEWUSER) < 0)
    return husk_error_set (err, errno, "join user namespace");
  for (int t = 0; t < HUSK_SPEC_NS__COUNT; t++)
    {
      /* pid and time are joined by the parent (they apply to children) */
      if (t == HUSK_SPEC_NS_USER || t == HUSK_SPEC_NS_PID || t == HUSK_SPEC_NS_TIME
          || a->ns_fds[t] < 0)
        continue;
      if (setns (a->ns_fds[t], hk_ns_by_type (t)->flag) < 0)
        return husk_error_set (err, errno, "join %s namespace", husk_spec_namespace_names[t]);
    }
  int flags = 0;
  for (size_t i = 0; l && i < l->namespaces_len; i++)
    {
      const struct husk_spec_namespace *ns = &l->namespaces[i];
      if (ns->path || ns->type == HUSK_SPEC_NS_USER || ns->type == HUSK_SPEC_NS_PID
          || ns->type == HUSK_SPEC_NS_TIME)
        continue;
      flags |= hk_ns_by_type (ns->type)->flag;
    }
  if (flags && unshare (flags) < 0)
    return husk_error_set (err, errno, "unshare namespaces (flags 0x%x)", flags);
  if (flags & CLONE_NEWNET)
    {
      int ret = loopback_up (err);
      if (ret < 0)
        return ret;
    }
  if (a->new_userns || a->ns_fds[HUSK_SPEC_NS_USER] >= 0)
    {
      /* become root of the new or joined user namespace (the maps are
       * written): host ids are unmapped there, and files made with them
       * fail (EOVERFLOW) */
      if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
        return husk_error_set (err, errno, "become root in the user namespace");
    }
  return 0;
}

static int
set_names (const struct husk_spec *spec, struct husk_error *err)
{
  if (spec->hostname && sethostname (spec->hostname, strlen (spec->hostname)) < 0)
    return husk_error_set (err, errno, "hostname \"%s\"", spec->hostname);
  if (spec->domainname && setdomainname (spec->domainname, strlen (spec->domainname)) < 0)
    return husk_error_set (err, errno, "domainname \"%s\"", spec->domainname);
  return 0;
}

/* The pty comes from the container's own devpts: its slave becomes the
 * process's stdio and /dev/console; the master goes to the parent. */
static int
setup_terminal (const struct husk_init_args *a, struct husk_error *err)
{
  const struct husk_spec_process *p = a->spec->process;
  _cleanup_close_ int master = -1;
  _cleanup_close_ int slave = -1;
  int ret = hk_pty_open ("/dev/ptmx", &master, &slave, err);
  if (ret < 0)
    return ret;
  if (p->has_console_size)
    {
      ret = hk_pty_set_size (master, p->console_height, p->console_width, err);
      if (ret < 0)
        return ret;
    }
  /* /dev/console: a bind of the slave, onto a file we create when missing */
  _cleanup_close_ int cons = open ("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (cons < 0 && errno == ENOENT)
    {
      int fd = open ("/dev/console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
      cons = open ("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
  if (cons < 0)
    return husk_error_set (err, errno, "open /dev/console");
  /* the bind goes onto the file we hold, never through a symlink */
  struct stat st;
  if (fstat (cons, &st) < 0 || !(S_ISREG (st.st_mode) || S_ISCHR (st.st_mode)))
    return husk_error_setx (err, EPERM,
                            "/dev/console in the container is not a file or a character device");
  char src[64], dst[64];
  snprintf (src, sizeof src, "/proc/self/fd/%d", slave);
  snprintf (dst, sizeof dst, "/proc/self/fd/%d", cons);
  if (mount (src, dst, NULL, MS_BIND, NULL) < 0)
    return husk_error_set (err, errno, "bind the console onto /dev/console");
  ret = hk_pty_make_controlling (slave, err);
  if (ret < 0)
    return ret;
  if (hk_sync_send (a->sync, HUSK_SYNC_PTY, 0, NULL, 0, master) < 0)
    return husk_error_set (err, errno, "send the pty master to husk");
  return 0;
}

void
hk_init_main (const struct husk_init_args *a)
{
  struct husk_error err = { 0 };
  struct husk_sync_msg msg = { .fd = -1 };
  const struct husk_spec *spec = a->spec;
  int sync = a->sync;

  if (a->close_fd >= 0)
    close (a->close_fd);
  /* Of the fds husk and its caller had, only what the init needs stays
   * open (and the preserved ones): a path in the config that goes through
   * /proc/self/fd/N must find nothing of the host there. */
  {
    int *keep = calloc (5 + HUSK_SPEC_NS__COUNT + a->bind_fds_len, sizeof *keep);
    size_t n = 0;
    if (keep == NULL)
      {
        husk_error_set (&err, ENOMEM, "init");
        init_fail (sync, &err);
      }
    keep[n++] = a->sync;
    keep[n++] = a->exec_fifo;
    keep[n++] = a->host_proc;
    keep[n++] = hk_sanitizer_pin_reports ();
    for (int t = 0; t < HUSK_SPEC_NS__COUNT; t++)
      keep[n++] = a->ns_fds[t];
    /* the bind sources cloned on the host: detached mounts, reachable only
     * through magic links, which resolution refuses; closed after the
     * mounts */
    for (size_t i = 0; i < a->bind_fds_len; i++)
      keep[n++] = a->bind_fds[i];
    hk_close_fds_except (3 + (int) a->preserve_fds, keep, n);
    free (keep);
  }
  /* die with husk while it sets us up */
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);

  /* Dumpable until the maps are written: /proc/INIT/uid_map of a
   * non-dumpable process belongs to root, and a rootless husk could not
   * write it. Nothing else runs in the container before this point. */
  if (hk_sync_expect (sync, HUSK_SYNC_MAPS_DONE, &msg, &err) < 0)
    _exit (1);
  hk_sync_msg_clear (&msg);
  /* nothing of the host may be read through /proc/INIT while it holds
   * host resources */
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);

  if (join_and_unshare (a, &err) < 0)
    init_fail (sync, &err);

  /* prestart and createRuntime hooks run in the runtime's namespaces */
  if (hk_sync_send (sync, HUSK_SYNC_RUNTIME_HOOKS, 0, NULL, 0, -1) < 0)
    _exit (1);
  if (hk_sync_expect (sync, HUSK_SYNC_RUNTIME_HOOKS_DONE, &msg, &err) < 0)
    _exit (1);
  char *state_json = steal_pointer (&msg.data);
  hk_sync_msg_clear (&msg);

  if (set_names (spec, &err) < 0)
    init_fail (sync, &err);

  const struct husk_spec_namespace *mntns = husk_spec_find_namespace (spec, HUSK_SPEC_NS_MOUNT);
  const struct husk_spec_namespace *cgns = husk_spec_find_namespace (spec, HUSK_SPEC_NS_CGROUP);
  struct husk_rootfs_opts ro = {
    .spec = spec,
    .bundle = a->bundle,
    .rootfs = a->rootfs,
    .no_pivot = a->no_pivot,
    .userns = a->new_userns || a->ns_fds[HUSK_SPEC_NS_USER] >= 0,
    .cgroupns = cgns && cgns->path == NULL,
    .bind_fds = a->bind_fds,
  };
  if (mntns)
    {
      if (hk_rootfs_prepare (&ro, &err) < 0)
        init_fail (sync, &err);
      for (size_t i = 0; i < a->bind_fds_len; i++)
        if (a->bind_fds[i] >= 0)
          close (a->bind_fds[i]);
      /* the hooks run in the container's root as their cwd (runc): a
       * relative path they name is in the container */
      if (spec->hooks.len[HUSK_SPEC_HOOK_CREATE_CONTAINER] > 0 && chdir (a->rootfs) < 0)
        {
          husk_error_set (&err, errno, "createContainer hooks: chdir \"%s\"", a->rootfs);
          init_fail (sync, &err);
        }
      if (hk_hooks_run ("createContainer", spec->hooks.list[HUSK_SPEC_HOOK_CREATE_CONTAINER],
                        spec->hooks.len[HUSK_SPEC_HOOK_CREATE_CONTAINER], state_json, &err)
          < 0)
        init_fail (sync, &err);
      if (hk_rootfs_pivot (&ro, &err) < 0)
        init_fail (sync, &err);
    }
  else
    {
      /* The runtime's mount namespace (config-linux.md: a namespace not
       * listed is inherited): no pivot_root there, and nothing is mounted,
       * since it would land in the host's mount table and outlive the
       * container. The process still runs in root.path, entered with
       * chroot, as runc does. */
      if (hk_hooks_run ("createContainer", spec->hooks.list[HUSK_SPEC_HOOK_CREATE_CONTAINER],
                        spec->hooks.len[HUSK_SPEC_HOOK_CREATE_CONTAINER], state_json, &err)
          < 0)
        init_fail (sync, &err);
      if (chdir (a->rootfs) < 0 || chroot (".") < 0 || chdir ("/") < 0)
        {
          husk_error_set (&err, errno, "chroot into the rootfs \"%s\" (no mount namespace)",
                          a->rootfs);
          init_fail (sync, &err);
        }
    }
  if (setsid () < 0)
    {
      husk_error_set (&err, errno, "setsid");
      init_fail (sync, &err);
    }
  if (spec->process && spec->process->terminal && setup_terminal (a, &err) < 0)
    init_fail (sync, &err);
  /* a missing cwd is made while the root is still writable (runc makes it
   * with the mounts); the plan enters it later, as process.user */
  if (spec->process && hk_process_make_cwd (spec->process->cwd, &err) < 0)
    init_fail (sync, &err);
  if (mntns && hk_rootfs_finish (&ro, &err) < 0)
    init_fail (sync, &err);

  /* the process: the same plan as exec's */
  char keyring[300];
  snprintf (keyring, sizeof keyring, "_ses.%s", a->id);
  struct hk_plan plan = {
    .spec = spec,
    .host_proc = a->host_proc,
    .create_cwd = true,
    .keyring = a->no_new_keyring ? NULL : keyring,
    .sync = sync,
    .preserve_fds = a->preserve_fds,
  };
  _cleanup_free_ char *exe = NULL;
  int status;
  if (spec->process && hk_plan_prepare (&plan, &exe, &status, &err) < 0)
    init_fail (sync, &err);

  /* husk create returns after READY: we must outlive it */
  prctl (PR_SET_PDEATHSIG, 0, 0, 0, 0);
  if (hk_sync_send (sync, HUSK_SYNC_READY, 0, NULL, 0, -1) < 0)
    _exit (1);
  /* husk records the container, then sends its state (status "created")
   * for the startContainer hooks; if husk fails instead, we go */
  if (hk_sync_expect (sync, HUSK_SYNC_CREATED, &msg, &err) < 0)
    _exit (1);
  free (state_json);
  state_json = steal_pointer (&msg.data);
  hk_sync_msg_clear (&msg);
  close (sync);

  /* Block until husk start opens the fifo for reading. The fifo is reached
   * through the host's /proc: the container's view has no path to it. */
  char fifo[64];
  snprintf (fifo, sizeof fifo, "self/fd/%d", a->exec_fifo);
  int wfd = openat (a->host_proc, fifo, O_WRONLY | O_CLOEXEC);
  if (wfd < 0)
    {
      fprintf (stderr, "husk: init: open exec fifo: %s\n", strerror (errno));
      _exit (1);
    }
  close (a->exec_fifo);
  close (a->host_proc);

  /* husk start reads "0" once the startContainer hooks and the last
   * settings went well, or "1" and the error: start then fails, and the
   * container stops, as runtime.md says */
  if (spec->process == NULL)
    husk_error_setx (&err, EINVAL, "config.json has no \"process\": there is nothing to run");
  if (spec->process == NULL
      || hk_hooks_run ("startContainer", spec->hooks.list[HUSK_SPEC_HOOK_START_CONTAINER],
                       spec->hooks.len[HUSK_SPEC_HOOK_START_CONTAINER], state_json, &err)
             < 0
      || hk_process_final_affinity (spec->process, &err) < 0)
    {
      char buf[HUSK_ERROR_MSG_MAX + 2];
      int n = snprintf (buf, sizeof buf, "1%s", err.msg);
      (void) hk_write_all (wfd, buf, (size_t) n);
      _exit (1);
    }
  free (state_json);
  /* "0", and the fifo stays open (close-on-exec) until the execve: start
   * reads to its end, so that the poststart hooks run once the process
   * has started (runtime.md), as runc's do */
  if (hk_write_all (wfd, "0", 1) < 0)
    _exit (1);

  hk_plan_exec (&plan, exe, &err);
  fprintf (stderr, "husk: %s\n", err.msg);
  _exit (127);
}
