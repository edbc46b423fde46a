/* SPDX-License-Identifier: Apache-2.0 */
/* The process plan (plan.h): applied by the init and by exec alike. */
#include "config.h"
#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
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

/* The listener fd goes to husk (and on to the agent) the moment the filter
 * is in place: every later syscall, of the setup as of the process, may be
 * one the agent must answer. */
static int
send_listener (int fd, void *data, struct husk_error *err)
{
  const struct hk_plan *plan = data;
  int ret = hk_sync_send (plan->sync, HUSK_SYNC_SECCOMP, 0, NULL, 0, fd);
  if (ret < 0)
    return husk_error_set (err, -ret, "send the seccomp notify fd to husk");
  return 0;
}

/* The terminal belongs to the process's user, as runc makes it: the pty
 * slave on stdio gets process.user.uid, and keeps the group devpts gave it
 * (tty, gid=5 in the usual mount options). A slave the user namespace
 * cannot map, or a read-only /dev, is left as it is (runc too). */
static int
chown_terminal (const struct husk_spec_process *p, struct husk_error *err)
{
  struct stat st;
  if (!p->terminal || fstat (0, &st) < 0 || !S_ISCHR (st.st_mode) || st.st_uid == p->user.uid)
    return 0;
  if (fchown (0, p->user.uid, (gid_t) -1) < 0 && errno != EINVAL && errno != EPERM
      && errno != EROFS)
    return husk_error_set (err, errno, "process.terminal: chown the pty to uid %u", p->user.uid);
  return 0;
}

/* The seccomp filter, the identity, and the filter again: without
 * no_new_privs the filter needs CAP_SYS_ADMIN, so it is loaded while the
 * process still has it; with no_new_privs, as late as possible. */
static int
filter_and_user (const struct hk_plan *plan, struct husk_error *err)
{
  const struct husk_spec *spec = plan->spec;
  const struct husk_spec_seccomp *sc = spec->linux_ ? spec->linux_->seccomp : NULL;
  bool nnp = spec->process->no_new_privileges;
  int ret = 0;
  if (sc && !nnp)
    ret = hk_seccomp_load_send (sc, send_listener, (void *) plan, err);
  if (ret == 0)
    ret = hk_process_set_user (spec, err);
  if (ret == 0 && sc && nnp)
    ret = hk_seccomp_load_send (sc, send_listener, (void *) plan, err);
  return ret;
}

char *
hk_passwd_home (const char *passwd, size_t len, uint32_t uid)
{
  /* NAME:PASSWORD:UID:GID:GECOS:HOME:SHELL, one entry a line */
  for (size_t at = 0; at < len;)
    {
      const char *line = passwd + at;
      const char *nl = memchr (line, '\n', len - at);
      size_t n = nl ? (size_t) (nl - line) : len - at;
      at += n + 1;
      const char *f[7];
      size_t fl[7], k = 0;
      for (size_t i = 0, start = 0; i <= n && k < 7; i++)
        if (i == n || line[i] == ':')
          {
            f[k] = line + start;
            fl[k++] = i - start;
            start = i + 1;
          }
      if (k < 6 || fl[2] == 0 || fl[2] > 10)
        continue;
      char num[11];
      memcpy (num, f[2], fl[2]);
      num[fl[2]] = '\0';
      char *end;
      unsigned long v = strtoul (num, &end, 10);
      if (*end || !isdigit ((unsigned char) num[0]) || v != uid)
        continue;
      return fl[5] ? strndup (f[5], fl[5]) : strdup ("/");
    }
  return NULL;
}

/* The container's /etc/passwd (the process's root is the container's by
 * now), resolved inside that root without magic links, at most 1 MiB. */
static char *
container_home (uint32_t uid)
{
  _cleanup_close_ int root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
                          .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  _cleanup_close_ int fd = root >= 0 ? hk_sys_openat2 (root, "etc/passwd", &how) : -1;
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    return NULL;
  _cleanup_free_ char *data = NULL;
  size_t len = 0;
  struct husk_error ignored;
  if (hk_read_fd (fd, "/etc/passwd", 1 << 20, &data, &len, &ignored) < 0)
    return NULL;
  return hk_passwd_home (data, len, uid);
}

/* runc's rule: without HOME in the env, HOME is the user's home in the
 * container's /etc/passwd, or "/" */
static int
env_with_home (struct hk_plan *plan, struct husk_error *err)
{
  const struct husk_spec_process *p = plan->spec->process;
  for (size_t i = 0; i < p->env_len; i++)
    if (strncmp (p->env[i], "HOME=", 5) == 0)
      return 0;
  _cleanup_free_ char *home = container_home (p->user.uid);
  char **env = calloc (p->env_len + 2, sizeof *env);
  if (env == NULL)
    return husk_error_set (err, ENOMEM, "process.env");
  memcpy (env, p->env, p->env_len * sizeof *env);
  if (asprintf (&env[p->env_len], "HOME=%s", home ? home : "/") < 0)
    {
      free (env);
      return husk_error_set (err, ENOMEM, "process.env");
    }
  plan->env = env;
  return 0;
}

void
hk_plan_free (struct hk_plan *plan)
{
  if (plan->env)
    {
      for (char **e = plan->env; *e; e++)
        if (strncmp (*e, "HOME=", 5) == 0)
          free (*e);
      free (plan->env);
    }
  plan->env = NULL;
}

int
hk_plan_prepare (struct hk_plan *plan, char **exe, int *status, struct husk_error *err)
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
  if ((ret = chown_terminal (p, err)) < 0)
    return ret;
  if ((ret = filter_and_user (plan, err)) < 0)
    return ret;
  if ((ret = env_with_home (plan, err)) < 0)
    return ret;
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
  execve (exe, p->args, plan->env ? plan->env : p->env ? p->env : (char *[]) { NULL });
  return husk_error_set (err, errno, "exec \"%s\"", exe);
}
