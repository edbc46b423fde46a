/* SPDX-License-Identifier: Apache-2.0 */
/* The eBPF device filter for real, on a cgroup2 hierarchy of this host
 * (a pure v2 host's root, or a hybrid host's "unified" one: the kernel
 * checks the v2 program there too): deny all but /dev/null, then an
 * update that also allows /dev/zero replaces the program in place.
 * Needs root; skipped otherwise. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "cgroups/internal.h"
#include "tap.h"

static const char *
v2_mount (void)
{
  static const char *const c[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
  for (size_t i = 0; i < 2; i++)
    {
      char p[128];
      snprintf (p, sizeof p, "%s/cgroup.controllers", c[i]);
      if (access (p, F_OK) == 0)
        return c[i];
    }
  return NULL;
}

/* In a child in dir: can it open path for reading? 0, or the errno. */
static int
try_open (const char *dir, const char *path)
{
  pid_t pid = fork ();
  if (pid == 0)
    {
      char procs[PATH_MAX];
      snprintf (procs, sizeof procs, "%s/cgroup.procs", dir);
      int fd = open (procs, O_WRONLY);
      if (fd < 0 || write (fd, "0", 1) != 1)
        _exit (100);
      close (fd);
      fd = open (path, O_RDONLY);
      _exit (fd >= 0 ? 0 : errno);
    }
  int st;
  waitpid (pid, &st, 0);
  return WIFEXITED (st) ? WEXITSTATUS (st) : 101;
}

static int
attached (const char *dir)
{
  uint32_t ids[8];
  union bpf_attr a;
  int fd = open (dir, O_RDONLY | O_DIRECTORY);
  memset (&a, 0, sizeof a);
  a.query.target_fd = (uint32_t) fd;
  a.query.attach_type = BPF_CGROUP_DEVICE;
  a.query.prog_ids = (uintptr_t) ids;
  a.query.prog_cnt = 8;
  int r = (int) syscall (SYS_bpf, BPF_PROG_QUERY, &a, sizeof a);
  close (fd);
  return r < 0 ? -1 : (int) a.query.prog_cnt;
}

int
main (void)
{
  const char *m = v2_mount ();
  if (geteuid () != 0 || m == NULL)
    {
      printf ("1..0 # SKIP needs root and a cgroup2 hierarchy\n");
      return 0;
    }
  char dir[PATH_MAX];
  snprintf (dir, sizeof dir, "%s/husk-bpf-test-%d", m, (int) getpid ());
  if (mkdir (dir, 0755) < 0)
    {
      printf ("1..0 # SKIP cannot make %s: %s\n", dir, strerror (errno));
      return 0;
    }
  struct husk_error err = { 0 };
  struct cg_dev_rule deny_but_null[] = {
    { false, 'a', -1, -1, CG_DEV_R | CG_DEV_W | CG_DEV_M },
    { true, 'c', 1, 3, CG_DEV_R | CG_DEV_W },
  };
  int ret = cg_bpf_devices_attach (dir, deny_but_null, 2, &err);
  ok (ret == 0, "the device program loads and attaches");
  if (ret < 0)
    printf ("# %s\n", err.msg);
  is_int (attached (dir), 1, "one program on the cgroup");
  is_int (try_open (dir, "/dev/null"), 0, "/dev/null is allowed");
  is_int (try_open (dir, "/dev/zero"), EPERM, "/dev/zero is denied");

  struct cg_dev_rule more[] = {
    { false, 'a', -1, -1, CG_DEV_R | CG_DEV_W | CG_DEV_M },
    { true, 'c', 1, 3, CG_DEV_R | CG_DEV_W },
    { true, 'c', 1, 5, CG_DEV_R },
  };
  ret = cg_bpf_devices_attach (dir, more, 3, &err);
  ok (ret == 0, "an update attaches the new program");
  if (ret < 0)
    printf ("# %s\n", err.msg);
  is_int (attached (dir), 1, "it replaced the old one (still one program)");
  is_int (try_open (dir, "/dev/zero"), 0, "/dev/zero is allowed now");
  is_int (try_open (dir, "/dev/full"), EPERM, "/dev/full is still denied");
  ok (rmdir (dir) == 0, "the cgroup is removed (programs go with it)");
  return tap_done ();
}
