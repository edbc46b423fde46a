/* SPDX-License-Identifier: Apache-2.0 */
/* The process part of the init's setup: the properties of config.json's
 * "process" that are applied to the init itself before execve. */
#include "config.h"
#include <fcntl.h>
#include <limits.h>
#include <grp.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include "plan.h"
#include "rootfs/rootfs.h"
#include "security/caps.h"
#include "utils.h"
#include "syscalls.h"

#ifndef IOPRIO_WHO_PROCESS
#define IOPRIO_WHO_PROCESS 1
#endif
#define IOPRIO_PRIO_VALUE(class, data) (((class) << 13) | (data))

struct sched_attr_v1
{
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

/* Write to a file of /proc/self through procfd, the host's /proc opened
 * before the container was entered: a container cannot redirect the write
 * (CVE-2019-16884 class); the file is checked to be on procfs anyway. */
int
hk_proc_write (int procfd, const char *file, const char *value, struct husk_error *err)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%s", file);
  _cleanup_close_ int fd = procfd >= 0 ? openat (procfd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
                                       : open (path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return husk_error_set (err, errno, "open %s", path);
  struct statfs sfs;
  if (fstatfs (fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
    return husk_error_setx (err, EXDEV, "%s is not on procfs: refusing to write to it", path);
  if (hk_write_all (fd, value, strlen (value)) < 0)
    return husk_error_set (err, errno, "write \"%s\" to %s", value, path);
  return 0;
}

static int
set_scheduler (const struct husk_spec_scheduler *s, struct husk_error *err)
{
  struct sched_attr_v1 a = { .size = sizeof a };
  a.sched_policy = (uint32_t) s->policy;
  a.sched_flags = s->flags_mask;
  a.sched_nice = s->has_nice ? s->nice : 0;
  a.sched_priority = s->has_priority ? (uint32_t) s->priority : 0;
  a.sched_runtime = s->has_runtime ? s->runtime : 0;
  a.sched_deadline = s->has_deadline ? s->deadline : 0;
  a.sched_period = s->has_period ? s->period : 0;
  if (hk_sys_sched_setattr (0, &a, 0) < 0)
    return husk_error_set (err, errno, "process.scheduler: sched_setattr %s", s->policy_name);
  return 0;
}

static int
parse_cpu_list (const char *list, cpu_set_t *set)
{
  CPU_ZERO (set);
  const char *p = list;
  while (*p)
    {
      char *end;
      unsigned long a = strtoul (p, &end, 10), b;
      if (end == p)
        return -EINVAL;
      b = a;
      if (*end == '-')
        {
          p = end + 1;
          b = strtoul (p, &end, 10);
          if (end == p || b < a)
            return -EINVAL;
        }
      if (b >= CPU_SETSIZE)
        return -EINVAL;
      for (unsigned long c = a; c <= b; c++)
        CPU_SET (c, set);
      p = end;
      if (*p == ',')
        p++;
      else if (*p)
        return -EINVAL;
    }
  return 0;
}

/* linux.memoryPolicy: set_mempolicy(mode | flags, nodes). */
static int
set_memory_policy (const struct husk_spec_memory_policy *mp, struct husk_error *err)
{
  unsigned long mask[1024 / (8 * sizeof (unsigned long))];
  memset (mask, 0, sizeof mask);
  unsigned long maxnode = 0;
  if (mp->nodes && *mp->nodes)
    {
      const char *p = mp->nodes;
      while (*p)
        {
          char *end;
          unsigned long a = strtoul (p, &end, 10), b;
          if (end == p)
            goto bad;
          b = a;
          if (*end == '-')
            {
              p = end + 1;
              b = strtoul (p, &end, 10);
              if (end == p || b < a)
                goto bad;
            }
          if (b >= 1024)
            goto bad;
          for (unsigned long n = a; n <= b; n++)
            mask[n / (8 * sizeof (unsigned long))] |= 1UL << (n % (8 * sizeof (unsigned long)));
          if (b + 1 > maxnode)
            maxnode = b + 1;
          p = end;
          if (*p == ',')
            p++;
          else if (*p)
            goto bad;
        }
      maxnode++; /* the kernel counts one past the highest node */
    }
  if (hk_sys_set_mempolicy ((int) mp->mode | (int) mp->flags_mask, maxnode ? mask : NULL, maxnode)
      < 0)
    return husk_error_set (err, errno, "linux.memoryPolicy: set_mempolicy %s nodes \"%s\"",
                           mp->mode_name, mp->nodes ? mp->nodes : "");
  return 0;
bad:
  return husk_error_setx (err, EINVAL, "linux.memoryPolicy.nodes: bad node list \"%s\"", mp->nodes);
}

int
hk_process_final_affinity (const struct husk_spec_process *p, struct husk_error *err)
{
  if (p->exec_cpu_affinity == NULL || p->exec_cpu_affinity->final == NULL)
    return 0;
  cpu_set_t set;
  if (parse_cpu_list (p->exec_cpu_affinity->final, &set) < 0)
    return husk_error_setx (err, EINVAL, "process.execCPUAffinity.final: bad CPU list \"%s\"",
                            p->exec_cpu_affinity->final);
  if (sched_setaffinity (0, sizeof set, &set) < 0)
    return husk_error_set (err, errno, "process.execCPUAffinity.final \"%s\"",
                           p->exec_cpu_affinity->final);
  return 0;
}

int
hk_process_setup_privileged (const struct husk_spec *spec, int procfd, struct husk_error *err)
{
  const struct husk_spec_process *p = spec->process;
  for (size_t i = 0; i < p->rlimits_len; i++)
    {
      const struct husk_spec_rlimit *r = &p->rlimits[i];
      struct rlimit rl = { r->soft, r->hard };
      if (setrlimit (r->resource, &rl) < 0)
        return husk_error_set (err, errno,
                               "process.rlimits[%zu]: setrlimit %s (soft %llu, hard %llu)", i,
                               r->type, (unsigned long long) r->soft, (unsigned long long) r->hard);
    }
  if (p->has_oom_score_adj)
    {
      char v[16];
      snprintf (v, sizeof v, "%d", p->oom_score_adj);
      int ret = hk_proc_write (procfd, "self/oom_score_adj", v, err);
      if (ret < 0)
        return husk_error_prefix (err, "process.oomScoreAdj");
    }
  if (p->io_priority)
    {
      int prio = IOPRIO_PRIO_VALUE (p->io_priority->class_,
                                    p->io_priority->has_priority ? p->io_priority->priority : 0);
      if (hk_sys_ioprio_set (IOPRIO_WHO_PROCESS, 0, prio) < 0)
        return husk_error_set (err, errno, "process.ioPriority: ioprio_set %s",
                               p->io_priority->class_name);
    }
  if (p->scheduler)
    {
      int ret = set_scheduler (p->scheduler, err);
      if (ret < 0)
        return ret;
    }
  if (p->exec_cpu_affinity && p->exec_cpu_affinity->initial)
    {
      cpu_set_t set;
      if (parse_cpu_list (p->exec_cpu_affinity->initial, &set) < 0)
        return husk_error_setx (err, EINVAL, "process.execCPUAffinity.initial: bad CPU list \"%s\"",
                                p->exec_cpu_affinity->initial);
      if (sched_setaffinity (0, sizeof set, &set) < 0)
        return husk_error_set (err, errno, "process.execCPUAffinity.initial \"%s\"",
                               p->exec_cpu_affinity->initial);
    }
  if (spec->linux_ && spec->linux_->personality)
    {
      unsigned long pers = (unsigned long) spec->linux_->personality->domain;
      if (personality (pers) < 0)
        return husk_error_set (err, errno, "linux.personality: %s",
                               spec->linux_->personality->domain_name);
    }
  if (spec->linux_ && spec->linux_->memory_policy)
    {
      int ret = set_memory_policy (spec->linux_->memory_policy, err);
      if (ret < 0)
        return ret;
    }
  if (p->user.has_umask)
    umask ((mode_t) p->user.umask);
  else
    umask (022);
  return 0;
}

int
hk_process_set_user (const struct husk_spec *spec, struct husk_error *err)
{
  const struct husk_spec_process *p = spec->process;
  struct husk_capsets caps;
  int ret = hk_caps_from_spec (p->capabilities, &caps, err);
  if (ret < 0)
    return ret;
  ret = hk_caps_drop_bounding (&caps, err);
  if (ret < 0)
    return ret;
  gid_t *groups = NULL;
  if (p->user.additional_gids_len > 0)
    {
      groups = calloc (p->user.additional_gids_len, sizeof *groups);
      if (groups == NULL)
        return husk_error_set (err, ENOMEM, "process.user.additionalGids");
      for (size_t i = 0; i < p->user.additional_gids_len; i++)
        groups[i] = p->user.additional_gids[i];
    }
  /* setgroups fails in a user namespace whose setgroups is "deny": then
   * only an empty list is an error-free no-op */
  if (setgroups (p->user.additional_gids_len, groups) < 0
      && !(errno == EPERM && p->user.additional_gids_len == 0))
    {
      int e = errno;
      free (groups);
      return husk_error_set (err, e, "process.user.additionalGids: setgroups");
    }
  free (groups);
  /* the parser bounds ids to HUSK_UGID_MAX; (uid_t) -1 would mean "no change" */
  if (p->user.uid > HUSK_UGID_MAX || p->user.gid > HUSK_UGID_MAX)
    return husk_error_setx (err, EINVAL, "process.user: id out of range");
  if (setresgid (p->user.gid, p->user.gid, p->user.gid) < 0)
    return husk_error_set (err, errno, "process.user.gid: setgid %u", p->user.gid);
  if (setresuid (p->user.uid, p->user.uid, p->user.uid) < 0)
    return husk_error_set (err, errno, "process.user.uid: setuid %u", p->user.uid);
  /* and check that the change took: every id is what was asked */
  uid_t ru, eu, su;
  gid_t rg, eg, sg;
  if (getresuid (&ru, &eu, &su) < 0 || getresgid (&rg, &eg, &sg) < 0 || ru != p->user.uid
      || eu != p->user.uid || su != p->user.uid || rg != p->user.gid || eg != p->user.gid
      || sg != p->user.gid)
    return husk_error_setx (err, EPERM, "process.user: the ids did not change to %u:%u",
                            p->user.uid, p->user.gid);
  ret = hk_caps_apply (&caps, err);
  if (ret < 0)
    return ret;
  if (p->no_new_privileges && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return husk_error_set (err, errno, "process.noNewPrivileges: prctl");
  return 0;
}

static const char *
env_get (char **env, size_t n, const char *name)
{
  size_t l = strlen (name);
  for (size_t i = 0; i < n; i++)
    if (strncmp (env[i], name, l) == 0 && env[i][l] == '=')
      return env[i] + l + 1;
  return NULL;
}

static bool
is_executable_file (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISREG (st.st_mode)
         && faccessat (AT_FDCWD, path, X_OK, AT_EACCESS) == 0;
}

/* An errno in Go's words, as runc prints it and as Docker matches it
 * ("no such file or directory", "permission denied"): strerror's text in
 * lower case. */
static const char *
go_strerror (int e, char *buf, size_t size)
{
  snprintf (buf, size, "%s", strerror (e));
  if (buf[0] >= 'A' && buf[0] <= 'Z')
    buf[0] = (char) (buf[0] - 'A' + 'a');
  return buf;
}

int
hk_process_find_exe (const struct husk_spec_process *p, char **out, struct husk_error *err)
{
  const char *name = p->args[0];
  char why[128];
  if (strchr (name, '/'))
    {
      /* runc's wording (Go's exec.LookPath), which Docker reads to exit
       * 127 (missing) or 126 (cannot be run) */
      struct stat st;
      if (stat (name, &st) < 0)
        return husk_error_setx (err, errno, "exec: \"%s\": stat %s: %s", name, name,
                                go_strerror (errno, why, sizeof why));
      if (S_ISDIR (st.st_mode))
        return husk_error_setx (err, EACCES, "exec: \"%s\": is a directory: %s", name,
                                go_strerror (EACCES, why, sizeof why));
      /* as the process's user, with its capabilities: what execve will see */
      if (!S_ISREG (st.st_mode) || faccessat (AT_FDCWD, name, X_OK, AT_EACCESS) < 0)
        return husk_error_setx (err, EACCES, "exec: \"%s\": %s", name,
                                go_strerror (EACCES, why, sizeof why));
      return hk_strdup (name, out, err);
    }
  const char *path = env_get (p->env, p->env_len, "PATH");
  if (path == NULL)
    path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  const char *s = path;
  for (;;)
    {
      const char *colon = strchrnul (s, ':');
      char *cand = NULL;
      int n = (int) (colon - s);
      if (asprintf (&cand, "%.*s/%s", n, n ? s : ".", name) < 0)
        return husk_error_set (err, ENOMEM, "exec \"%s\"", name);
      if (is_executable_file (cand))
        {
          *out = cand;
          return 0;
        }
      free (cand);
      if (*colon == '\0')
        break;
      s = colon + 1;
    }
  return husk_error_setx (err, ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

int
hk_process_make_cwd (const char *cwd, struct husk_error *err)
{
  if (cwd == NULL || cwd[0] != '/')
    return husk_error_setx (err, EINVAL, "process.cwd \"%s\": must be an absolute path",
                            cwd ? cwd : "");
  struct husk_root r = { .fd = -1 };
  r.path = strdup ("/");
  if (r.path == NULL)
    return husk_error_set (err, ENOMEM, "process.cwd");
  r.fd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (r.fd < 0)
    {
      int e = errno;
      hk_root_close (&r);
      return husk_error_set (err, e, "process.cwd: open \"/\"");
    }
  int ret = 0;
  int fd = hk_root_open_at (&r, cwd, O_PATH | O_DIRECTORY, 0);
  if (fd == -ENOENT)
    {
      ret = hk_root_mkdir_p (&r, cwd, 0755, &fd, err);
      if (ret < 0)
        ret = husk_error_prefix (err, "process.cwd");
    }
  /* anything else (a file, a magic link) is for hk_process_chdir to say */
  if (fd >= 0)
    close (fd);
  hk_root_close (&r);
  return ret;
}

int
hk_process_chdir (const char *cwd, bool create, struct husk_error *err)
{
  if (cwd == NULL || cwd[0] != '/')
    return husk_error_setx (err, EINVAL, "process.cwd \"%s\": must be an absolute path",
                            cwd ? cwd : "");
  /* resolved inside the process's root: symlinks stay in it, and magic
   * links (/proc/self/fd/N, /proc/self/cwd, ...) are refused, so no fd or
   * cwd of the runtime can lead to the host */
  struct husk_root r = { .fd = -1 };
  r.path = strdup ("/");
  if (r.path == NULL)
    return husk_error_set (err, ENOMEM, "process.cwd");
  r.fd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (r.fd < 0)
    {
      int e = errno;
      hk_root_close (&r);
      return husk_error_set (err, e, "process.cwd: open \"/\"");
    }
  int ret = 0;
  int fd = hk_root_open_at (&r, cwd, O_PATH | O_DIRECTORY, 0);
  if (fd == -ENOENT && create)
    {
      /* runc creates a missing cwd */
      ret = hk_root_mkdir_p (&r, cwd, 0755, &fd, err);
      if (ret < 0)
        ret = husk_error_prefix (err, "process.cwd");
    }
  else if (fd == -ELOOP || fd == -EXDEV)
    ret = husk_error_set (err, -fd,
                          "process.cwd \"%s\": goes through a /proc magic link or "
                          "too many symlinks",
                          cwd);
  else if (fd < 0)
    ret = husk_error_set (err, -fd, "process.cwd \"%s\"", cwd);
  hk_root_close (&r);
  if (ret < 0)
    return ret;
  if (fchdir (fd) < 0)
    {
      ret = husk_error_set (err, errno, "process.cwd \"%s\"", cwd);
      close (fd);
      return ret;
    }
  close (fd);
  /* and prove it: a cwd outside the process's root reads "(unreachable)" */
  char buf[PATH_MAX];
  if (getcwd (buf, sizeof buf) == NULL)
    {
      if (errno == ENAMETOOLONG)
        return 0; /* deep, but reached from "/" */
      return husk_error_set (err, errno == ENOENT ? EPERM : errno,
                             "process.cwd \"%s\": the directory is outside the container", cwd);
    }
  if (buf[0] != '/')
    return husk_error_setx (err, EPERM,
                            "process.cwd \"%s\": the directory is outside the container", cwd);
  return 0;
}
