/* SPDX-License-Identifier: Apache-2.0 */
/* The process plan (plan.h): applied by the init and by exec alike. */
#include "config.h"
#include <fcntl.h>
#include <signal.h>
#include "plan.h"
#include "security/label.h"
#include "security/seccomp.h"
#include "sync.h"
#include "syscalls.h"
#include "utils.h"

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif

static int
join_keyring (const char *name, struct husk_error *err)
{
  /* ENOSYS/EACCES/EPERM: keyrings disabled or confined; not an error (runc) */
  if (hk_sys_keyctl (KEYCTL_JOIN_SESSION_KEYRING, (unsigned long) name, 0, 0, 0) < 0
      && errno != ENOSYS && errno != EACCES && errno != EPERM)
    return husk_error_set (err, errno, "join a new session keyring");
  return 0;
}

/* The seccomp filter, the identity, and the filter again: without
 * no_new_privs the filter needs CAP_SYS_ADMIN, so it is loaded while the
 * process still has it; with no_new_privs, as late as possible. */
static int
filter_and_user (const struct hk_plan *plan, int *notify_fd, struct husk_error *err)
{
  const struct husk_spec *spec = plan->spec;
  const struct husk_spec_seccomp *sc = spec->linux_ ? spec->linux_->seccomp : NULL;
  bool nnp = spec->process->no_new_privileges;
  int ret = 0;
  if (sc && !nnp)
    ret = hk_seccomp_load (sc, notify_fd, err);
  if (ret == 0)
    ret = hk_process_set_user (spec, err);
  if (ret == 0 && sc && nnp)
    ret = hk_seccomp_load (sc, notify_fd, err);
  return ret;
}

int
hk_plan_prepare (const struct hk_plan *plan, char **exe, int *status, struct husk_error *err)
{
  const struct husk_spec_process *p = plan->spec->process;
  *exe = NULL;
  *status = 1;
  int ret = hk_process_setup_privileged (plan->spec, plan->host_proc, err);
  if (ret == 0 && plan->keyring)
    ret = join_keyring (plan->keyring, err);
  if (ret == 0)
    ret = hk_process_chdir (p->cwd, plan->create_cwd, err);
  /* labels of the execve to come (create checked that the host has them) */
  if (ret == 0)
    ret = hk_apparmor_set_exec_profile (plan->host_proc, p->apparmor_profile,
                                        "process.apparmorProfile", err);
  if (ret == 0)
    ret = hk_selinux_set_exec_label (plan->host_proc, p->selinux_label, "process.selinuxLabel",
                                     err);
  if (ret < 0)
    return ret;
  if (plan->drop_host_proc && plan->host_proc >= 0)
    close (plan->host_proc);
  int notify_fd = -1;
  if ((ret = filter_and_user (plan, &notify_fd, err)) < 0)
    return ret;
  if (notify_fd >= 0)
    {
      ret = hk_sync_send (plan->sync, HUSK_SYNC_SECCOMP, 0, NULL, 0, notify_fd);
      close (notify_fd);
      if (ret < 0)
        return husk_error_set (err, -ret, "send the seccomp notify fd to husk");
    }
  ret = hk_process_find_exe (p, exe, err);
  if (ret < 0)
    *status = 127;
  return ret;
}

int
hk_plan_exec (const struct hk_plan *plan, const char *exe, struct husk_error *err)
{
  const struct husk_spec_process *p = plan->spec->process;
  int ret = hk_process_final_affinity (p, err);
  if (ret < 0)
    return ret;
  /* nothing of husk's reaches the process: every fd past stdio and the
   * preserved ones is closed at exec */
  hk_cloexec_from (3 + (int) plan->preserve_fds);
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      signal (sig, SIG_DFL);
  sigset_t none;
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  execve (exe, p->args, p->env ? p->env : (char *[]) { NULL });
  return husk_error_set (err, errno, "exec \"%s\"", exe);
}
