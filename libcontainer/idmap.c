/* SPDX-License-Identifier: Apache-2.0 */
/* Id maps of a new user namespace (see idmap.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "idmap.h"
#include "utils.h"

static const char *helper_uid = "newuidmap", *helper_gid = "newgidmap";

void
hk_idmap_set_helpers (const char *newuidmap, const char *newgidmap)
{
  helper_uid = newuidmap ? newuidmap : "newuidmap";
  helper_gid = newgidmap ? newgidmap : "newgidmap";
}

bool
hk_initial_userns (void)
{
  char buf[128] = "";
  int fd = open ("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return true; /* no user namespaces at all */
  ssize_t n = read (fd, buf, sizeof buf - 1);
  close (fd);
  buf[n > 0 ? n : 0] = '\0';
  unsigned long a, b, c;
  /* the initial namespace maps every id onto itself, in one line */
  return sscanf (buf, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295UL
         && strchr (buf, '\n') == buf + strlen (buf) - 1;
}

static const char *
field_of (bool uid)
{
  return uid ? "linux.uidMappings" : "linux.gidMappings";
}

static int
write_direct (pid_t pid, bool uid, const struct husk_spec_id_mapping *m, size_t n,
              struct husk_error *err)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, uid ? "uid_map" : "gid_map");
  /* 3 numbers of at most 10 digits, 2 spaces and a newline per line */
  size_t cap = n * 34 + 1, len = 0;
  _cleanup_free_ char *buf = malloc (cap);
  if (buf == NULL)
    return husk_error_set (err, ENOMEM, "%s", field_of (uid));
  for (size_t i = 0; i < n; i++)
    {
      int w = snprintf (buf + len, cap - len, "%u %u %u\n", m[i].container_id, m[i].host_id,
                        m[i].size);
      if (w < 0 || (size_t) w >= cap - len)
        return husk_error_setx (err, E2BIG, "%s[%zu]: too long", field_of (uid), i);
      len += (size_t) w;
    }
  _cleanup_close_ int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || hk_write_all (fd, buf, len) < 0)
    return husk_error_set (err, errno, "%s: write %s", field_of (uid), path);
  return 0;
}

/* setgroups must be "deny" before an unprivileged process may write a
 * gid_map (user_namespaces(7)) */
static int
deny_setgroups (pid_t pid, struct husk_error *err)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/setgroups", (int) pid);
  _cleanup_close_ int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || hk_write_all (fd, "deny", 4) < 0)
    return husk_error_set (err, errno, "linux.gidMappings: write %s", path);
  return 0;
}

/* Run newuidmap/newgidmap PID ID HOSTID SIZE...; its own message (the
 * first line it prints) is quoted in the error. */
static int
write_helper (pid_t pid, bool uid, const struct husk_spec_id_mapping *m, size_t n,
              struct husk_error *err)
{
  const char *helper = uid ? helper_uid : helper_gid;
  size_t argc = 2 + 3 * n + 1;
  _cleanup_free_ char **argv = calloc (argc, sizeof *argv);
  _cleanup_free_ char *nums = malloc ((1 + 3 * n) * 12);
  if (argv == NULL || nums == NULL)
    return husk_error_set (err, ENOMEM, "%s", field_of (uid));
  char *p = nums;
  argv[0] = (char *) helper;
  argv[1] = p;
  p += sprintf (p, "%d", (int) pid) + 1;
  for (size_t i = 0; i < n; i++)
    {
      unsigned v[3] = { m[i].container_id, m[i].host_id, m[i].size };
      for (int k = 0; k < 3; k++)
        {
          argv[2 + 3 * i + (size_t) k] = p;
          p += sprintf (p, "%u", v[k]) + 1;
        }
    }
  int pipefd[2];
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return husk_error_set (err, errno, "%s: pipe", field_of (uid));
  pid_t child = fork ();
  if (child < 0)
    {
      int e = errno;
      close (pipefd[0]);
      close (pipefd[1]);
      return husk_error_set (err, e, "%s: fork", field_of (uid));
    }
  if (child == 0)
    {
      dup2 (pipefd[1], 1);
      dup2 (pipefd[1], 2);
      execvp (helper, argv);
      _exit (errno == ENOENT ? 127 : 126);
    }
  close (pipefd[1]);
  char msg[512] = "";
  size_t got = 0;
  for (;;)
    {
      ssize_t r = read (pipefd[0], msg + got, sizeof msg - 1 - got);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      got += (size_t) r;
      if (got == sizeof msg - 1)
        break;
    }
  close (pipefd[0]);
  msg[got] = '\0';
  msg[strcspn (msg, "\n")] = '\0';
  int status = 0;
  while (waitpid (child, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 127 && msg[0] == '\0')
    return husk_error_setx (err, ENOENT,
                            "%s: these ids need %s (Debian package uidmap), which is not "
                            "installed or not on PATH; an unprivileged user can map only "
                            "their own %s without it",
                            field_of (uid), helper, uid ? "uid" : "gid");
  return husk_error_setx (err, EPERM, "%s: %s failed%s%s (the ranges come from %s)", field_of (uid),
                          helper, msg[0] ? ": " : "", msg, uid ? "/etc/subuid" : "/etc/subgid");
}

/* Is this map exactly one id: the caller's own? */
static bool
own_id_only (const struct husk_spec_id_mapping *m, size_t n, unsigned id)
{
  return n == 1 && m[0].size == 1 && m[0].host_id == id;
}

static int
write_one (pid_t pid, bool uid, const struct husk_spec_id_mapping *m, size_t n, bool privileged,
           struct husk_error *err)
{
  if (privileged)
    return write_direct (pid, uid, m, n, err);
  if (own_id_only (m, n, uid ? (unsigned) geteuid () : (unsigned) getegid ()))
    {
      if (!uid && deny_setgroups (pid, err) < 0)
        return -1;
      return write_direct (pid, uid, m, n, err);
    }
  /* root of a user namespace (Podman rootless calls husk there) maps what
   * its own namespace has; only if that is refused, the helpers */
  if (geteuid () == 0 && write_direct (pid, uid, m, n, err) == 0)
    return 0;
  return write_helper (pid, uid, m, n, err);
}

int
hk_idmap_write (pid_t pid, const struct husk_spec_linux *l, struct husk_error *err)
{
  /* root of the initial user namespace writes any map; anyone else only
   * their own id, or through the setuid helpers */
  bool privileged = geteuid () == 0 && hk_initial_userns ();
  if (write_one (pid, true, l->uid_mappings, l->uid_mappings_len, privileged, err) < 0)
    return -1;
  return write_one (pid, false, l->gid_mappings, l->gid_mappings_len, privileged, err);
}

int
hk_idmap_userns_fd (const struct husk_spec_id_mapping *uid, size_t nuid,
                    const struct husk_spec_id_mapping *gid, size_t ngid, struct husk_error *err)
{
  /* a child in a new user namespace holds it while its maps are written
   * and its fd taken; then it goes */
  int ready[2], hold[2];
  if (pipe2 (ready, O_CLOEXEC) < 0)
    return husk_error_set (err, errno, "idmapped mount: pipe");
  if (pipe2 (hold, O_CLOEXEC) < 0)
    {
      int e = errno;
      close (ready[0]);
      close (ready[1]);
      return husk_error_set (err, e, "idmapped mount: pipe");
    }
  pid_t pid = fork ();
  if (pid == 0)
    {
      char c = unshare (CLONE_NEWUSER) == 0 ? 'y' : 'n';
      close (hold[1]);
      if (write (ready[1], &c, 1) != 1)
        _exit (1);
      /* until the parent closes its end */
      while (read (hold[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (ready[1]);
  close (hold[0]);
  int fd = -1, ret = 0;
  char c = 'n';
  if (pid < 0)
    ret = husk_error_set (err, errno, "idmapped mount: fork");
  else if (read (ready[0], &c, 1) != 1 || c != 'y')
    ret = husk_error_setx (err, EPERM, "idmapped mount: cannot make a user namespace");
  else if ((ret = write_direct (pid, true, uid, nuid, err)) == 0
           && (ret = write_direct (pid, false, gid, ngid, err)) == 0)
    {
      char path[64];
      snprintf (path, sizeof path, "/proc/%d/ns/user", (int) pid);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        ret = husk_error_set (err, errno, "idmapped mount: open %s", path);
    }
  close (ready[0]);
  close (hold[1]);
  if (pid > 0)
    while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
      ;
  return ret < 0 ? ret : fd;
}
