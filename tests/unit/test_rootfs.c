/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the rootfs module's pure logic: the mount option table, path
 * cleaning and joining, resolution inside a root (openat2 and the fallback
 * walk, on a scratch directory), the sysctl namespace rules. (The cgroup
 * hierarchies the "cgroup" mount uses are the cgroups module's layout:
 * tests/unit/test_cgroups.c.) */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include "husk/husk.h"
#include "utils.h"
#include "rootfs/rootfs_internal.h"
#include "plan.h"
#include "tap.h"

static struct husk_mountopt
parse (const char *csv)
{
  char *opts[32];
  size_t n = 0;
  char *copy = strdup (csv);
  for (char *s = NULL, *t = strtok_r (copy, ",", &s); t && n < 32; t = strtok_r (NULL, ",", &s))
    opts[n++] = t;
  struct husk_mountopt mo;
  struct husk_error err = { 0 };
  if (hk_mountopt_parse (opts, n, &mo, &err) < 0)
    {
      printf ("# %s\n", err.msg);
      memset (&mo, 0, sizeof mo);
    }
  free (copy);
  return mo;
}

static void
test_mountopt (void)
{
  struct husk_mountopt mo = parse ("nosuid,noexec,nodev,relatime,ro");
  is_int (mo.flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY, "flag options");
  ok (mo.data == NULL, "no data");
  ok (!mo.bind, "not a bind");
  hk_mountopt_free (&mo);

  mo = parse ("ro,rw");
  is_int (mo.flags & MS_RDONLY, 0, "rw after ro clears MS_RDONLY");
  ok (mo.cleared & MS_RDONLY, "rw is recorded as an explicit clear");
  hk_mountopt_free (&mo);

  mo = parse ("nosuid,suid,dev,exec,async,atime,diratime,loud,nomand,noiversion,nolazytime,"
              "norelatime,nostrictatime");
  is_int (mo.flags, 0, "every clearing option clears");
  is_int (mo.cleared,
          MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_NOATIME | MS_NODIRATIME | MS_SILENT
              | MS_MANDLOCK | MS_I_VERSION | MS_LAZYTIME | MS_RELATIME | MS_STRICTATIME,
          "cleared mask");
  hk_mountopt_free (&mo);

  mo = parse ("sync,dirsync,remount,mand,noatime,nodiratime,silent,strictatime,lazytime,iversion,"
              "nosymfollow,defaults");
  is_int (mo.flags,
          MS_SYNCHRONOUS | MS_DIRSYNC | MS_REMOUNT | MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME
              | MS_SILENT | MS_STRICTATIME | MS_LAZYTIME | MS_I_VERSION | MS_NOSYMFOLLOW,
          "every setting option sets");
  hk_mountopt_free (&mo);

  mo = parse ("bind");
  ok (mo.bind, "bind");
  is_int (mo.flags, MS_BIND, "bind is MS_BIND");
  hk_mountopt_free (&mo);
  mo = parse ("rbind,ro");
  ok (mo.bind, "rbind is a bind");
  is_int (mo.flags, MS_BIND | MS_REC | MS_RDONLY, "rbind is MS_BIND|MS_REC");
  hk_mountopt_free (&mo);

  mo = parse ("rprivate,shared,rslave,unbindable,runbindable,private,rshared,slave");
  is_int (mo.propagation_len, 8, "eight propagation options, in order");
  is_int (mo.propagation[0], MS_PRIVATE | MS_REC, "rprivate");
  is_int (mo.propagation[1], MS_SHARED, "shared");
  is_int (mo.propagation[2], MS_SLAVE | MS_REC, "rslave");
  is_int (mo.propagation[3], MS_UNBINDABLE, "unbindable");
  is_int (mo.propagation[4], MS_UNBINDABLE | MS_REC, "runbindable");
  is_int (mo.propagation[5], MS_PRIVATE, "private");
  is_int (mo.propagation[6], MS_SHARED | MS_REC, "rshared");
  is_int (mo.propagation[7], MS_SLAVE, "slave");
  is_int (mo.flags, 0, "propagation is not in flags");
  hk_mountopt_free (&mo);

  {
    char *nine[] = { "private", "private", "private", "private", "private",
                     "private", "private", "private", "private" };
    struct husk_error err = { 0 };
    is_int (hk_mountopt_parse (nine, 9, &mo, &err), -EINVAL, "nine propagation options: error");
    like (err.msg, "too many propagation", "names the problem");
  }

  mo = parse ("rro,rnosuid,rnodev,rnoexec,rnodiratime,rnosymfollow");
  is_int (mo.attr_set,
          HUSK_MOUNT_ATTR_RDONLY | HUSK_MOUNT_ATTR_NOSUID | HUSK_MOUNT_ATTR_NODEV
              | HUSK_MOUNT_ATTR_NOEXEC | HUSK_MOUNT_ATTR_NODIRATIME | HUSK_MOUNT_ATTR_NOSYMFOLLOW,
          "recursive set attributes");
  is_int (mo.attr_clr, 0, "nothing cleared");
  is_int (mo.flags, 0, "recursive options are not flags");
  hk_mountopt_free (&mo);

  mo = parse ("rro,rrw,rsuid,rdev,rexec,rdiratime,rsymfollow");
  is_int (mo.attr_set, 0, "rrw undoes rro");
  is_int (mo.attr_clr,
          HUSK_MOUNT_ATTR_RDONLY | HUSK_MOUNT_ATTR_NOSUID | HUSK_MOUNT_ATTR_NODEV
              | HUSK_MOUNT_ATTR_NOEXEC | HUSK_MOUNT_ATTR_NODIRATIME | HUSK_MOUNT_ATTR_NOSYMFOLLOW,
          "recursive clear attributes");
  hk_mountopt_free (&mo);

  static const struct
  {
    const char *opt;
    uint64_t set;
  } atimes[] = {
    { "rnoatime", HUSK_MOUNT_ATTR_NOATIME },        { "rstrictatime", HUSK_MOUNT_ATTR_STRICTATIME },
    { "rrelatime", HUSK_MOUNT_ATTR_RELATIME },      { "ratime", HUSK_MOUNT_ATTR_RELATIME },
    { "rnorelatime", HUSK_MOUNT_ATTR_STRICTATIME }, { "rnostrictatime", HUSK_MOUNT_ATTR_RELATIME },
  };
  for (size_t i = 0; i < ARRAY_SIZE (atimes); i++)
    {
      char buf[64];
      snprintf (buf, sizeof buf, "rnoatime,%s", atimes[i].opt);
      mo = parse (buf);
      char d[96];
      snprintf (d, sizeof d, "%s: one atime mode, the whole field cleared", atimes[i].opt);
      ok (mo.attr_set == atimes[i].set && mo.attr_clr == HUSK_MOUNT_ATTR__ATIME, d);
      hk_mountopt_free (&mo);
    }

  mo = parse ("nosuid,mode=755,size=65536k,tmpcopyup,newinstance,ptmxmode=0666");
  is_str (mo.data, "mode=755,size=65536k,newinstance,ptmxmode=0666", "the rest is data, in order");
  ok (mo.tmpcopyup, "tmpcopyup");
  is_int (mo.flags, MS_NOSUID, "flags beside data");
  hk_mountopt_free (&mo);
  mo = parse ("tmpcopyup,notmpcopyup");
  ok (!mo.tmpcopyup && mo.data == NULL, "notmpcopyup undoes tmpcopyup and is not data");
  hk_mountopt_free (&mo);

  is_int (hk_mountopt_from_statvfs (ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME),
          MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME, "statvfs flags to MS_*");
  is_int (hk_mountopt_from_statvfs (ST_NOATIME | ST_NODIRATIME), MS_NOATIME | MS_NODIRATIME,
          "statvfs atime flags to MS_*");
  is_int (hk_mountopt_propagation ("rslave"), MS_SLAVE | MS_REC, "propagation name: rslave");
  is_int (hk_mountopt_propagation ("ro"), 0, "ro is not a propagation");
  is_int (hk_mountopt_propagation ("bogus"), 0, "unknown propagation");
}

static void
test_paths (void)
{
  static const char *const cases[][2] = {
    { "/", "/" },
    { "", "/" },
    { "dev", "/dev" },
    { "/dev/", "/dev" },
    { "//a//b/", "/a/b" },
    { "/a/./b/.", "/a/b" },
    { "/a/../b", "/b" },
    { "/../../..", "/" },
    { "../etc/passwd", "/etc/passwd" },
    { "/a/b/../../..", "/" },
    { "/a/..b/c", "/a/..b/c" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      char *out = NULL;
      struct husk_error err = { 0 };
      char d[96];
      snprintf (d, sizeof d, "clean \"%s\"", cases[i][0]);
      ok (hk_path_clean (cases[i][0], &out, &err) == 0, d);
      is_str (out, cases[i][1], d);
      free (out);
    }
  char *out = NULL;
  struct husk_error err = { 0 };
  hk_path_join ("/rootfs", "../../etc", &out, &err);
  is_str (out, "/rootfs/etc", "join cannot climb out of the first path");
  free (out);
  hk_path_join ("/bundle/", "./rootfs/", &out, &err);
  is_str (out, "/bundle/rootfs", "join relative");
  free (out);
  hk_path_join ("/sys/fs/cgroup", "/user.slice/x", &out, &err);
  is_str (out, "/sys/fs/cgroup/user.slice/x", "join absolute second path");
  free (out);
  hk_path_join ("/a", "/", &out, &err);
  is_str (out, "/a", "join with /");
  free (out);

  ok (hk_path_has_prefix ("/proc/sys", "/proc"), "/proc/sys is under /proc");
  ok (hk_path_has_prefix ("/proc", "/proc"), "/proc is under /proc");
  ok (!hk_path_has_prefix ("/procfoo", "/proc"), "/procfoo is not under /proc");
  ok (hk_path_has_prefix ("/x", "/"), "everything is under /");
}

/* A scratch root: dir a/, file a/f, symlinks that try to leave it. */
static char scratch[] = "/tmp/husk-test-rootfs.XXXXXX";

static void
make_scratch (void)
{
  if (mkdtemp (scratch) == NULL)
    abort ();
  int d = open (scratch, O_PATH | O_DIRECTORY);
  mkdirat (d, "a", 0755);
  mkdirat (d, "etc", 0755);
  close (openat (d, "a/f", O_CREAT | O_WRONLY, 0644));
  close (openat (d, "etc/passwd", O_CREAT | O_WRONLY, 0644));
  if (symlinkat ("/", d, "toroot") < 0)
    abort ();
  if (symlinkat ("../../../../../../..", d, "up") < 0)
    abort ();
  if (symlinkat ("/etc", d, "abs_etc") < 0)
    abort ();
  if (symlinkat ("a/f", d, "rel_f") < 0)
    abort ();
  if (symlinkat ("loop2", d, "loop1") < 0)
    abort ();
  if (symlinkat ("loop1", d, "loop2") < 0)
    abort ();
  if (symlinkat ("/nonexistent/x", d, "dangling") < 0)
    abort ();
  close (d);
}

static void
check_resolve (bool fallback)
{
  const char *mode = fallback ? "fallback" : "openat2";
  struct husk_root r = { .fd = -1 };
  struct husk_error err = { 0 };
  if (hk_root_open (&r, scratch, &err) < 0)
    {
      ok (0, err.msg);
      return;
    }
  r.no_openat2 = fallback;
  struct stat st, want;
  char d[128];

  int fd = hk_root_open_at (&r, "/up/etc/passwd", O_PATH, 0);
  fstatat (r.fd, "etc/passwd", &want, 0);
  snprintf (d, sizeof d, "%s: ../../.. symlink stays in the root", mode);
  ok (fd >= 0 && fstat (fd, &st) == 0 && st.st_ino == want.st_ino, d);
  if (fd >= 0)
    close (fd);

  fd = hk_root_open_at (&r, "toroot/abs_etc/passwd", O_RDONLY, 0);
  snprintf (d, sizeof d, "%s: absolute symlinks are taken from the root", mode);
  ok (fd >= 0 && fstat (fd, &st) == 0 && st.st_ino == want.st_ino, d);
  if (fd >= 0)
    close (fd);

  fd = hk_root_open_at (&r, "../../../../etc/../etc/passwd", O_PATH, 0);
  snprintf (d, sizeof d, "%s: .. stops at the root", mode);
  ok (fd >= 0 && fstat (fd, &st) == 0 && st.st_ino == want.st_ino, d);
  if (fd >= 0)
    close (fd);

  fd = hk_root_open_at (&r, "rel_f", O_PATH, 0);
  fstatat (r.fd, "a/f", &want, 0);
  snprintf (d, sizeof d, "%s: relative symlink followed", mode);
  ok (fd >= 0 && fstat (fd, &st) == 0 && st.st_ino == want.st_ino, d);
  if (fd >= 0)
    close (fd);

  snprintf (d, sizeof d, "%s: symlink loop is ELOOP", mode);
  is_int (hk_root_open_at (&r, "loop1", O_PATH, 0), -ELOOP, d);
  snprintf (d, sizeof d, "%s: dangling symlink is ENOENT", mode);
  is_int (hk_root_open_at (&r, "dangling", O_PATH, 0), -ENOENT, d);
  snprintf (d, sizeof d, "%s: a file as a directory is ENOTDIR", mode);
  is_int (hk_root_open_at (&r, "a/f/x", O_PATH, 0), -ENOTDIR, d);

  fd = hk_root_open_at (&r, "/", O_PATH, 0);
  fstat (r.fd, &want);
  snprintf (d, sizeof d, "%s: \"/\" is the root", mode);
  ok (fd >= 0 && fstat (fd, &st) == 0 && st.st_ino == want.st_ino, d);
  if (fd >= 0)
    close (fd);

  /* mkdir -p through a symlink that points to "/" of the host */
  char sub[64];
  snprintf (sub, sizeof sub, "/toroot/up/made-%s/x", mode);
  int dfd = -1;
  snprintf (d, sizeof d, "%s: mkdir -p through escaping symlinks", mode);
  ok (hk_root_mkdir_p (&r, sub, 0755, &dfd, &err) == 0, d);
  if (dfd >= 0)
    close (dfd);
  snprintf (sub, sizeof sub, "made-%s/x", mode);
  snprintf (d, sizeof d, "%s: ... created inside the root", mode);
  ok (fstatat (r.fd, sub, &st, 0) == 0 && S_ISDIR (st.st_mode), d);

  snprintf (sub, sizeof sub, "/abs_etc/file-%s", mode);
  snprintf (d, sizeof d, "%s: mkpath creates a file", mode);
  ok (hk_root_mkpath (&r, sub, false, 0644, &dfd, &err) == 0, d);
  if (dfd >= 0)
    close (dfd);
  snprintf (sub, sizeof sub, "etc/file-%s", mode);
  snprintf (d, sizeof d, "%s: ... inside the root, a regular file", mode);
  ok (fstatat (r.fd, sub, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG (st.st_mode), d);

  /* dangling symlinks: resolved by hand inside the root, target made */
  char *res = NULL;
  snprintf (d, sizeof d, "%s: resolve a dangling symlink inside the root", mode);
  ok (hk_root_resolve_path (&r, "/up/a/../dangling/y/../z", &res, &err) == 0, d);
  is_str (res, "/nonexistent/x/z", d);
  free (res);
  res = NULL;
  snprintf (d, sizeof d, "%s: resolve: existing symlinks too, .. stops at the root", mode);
  ok (hk_root_resolve_path (&r, "toroot/up/abs_etc/../../../rel_f", &res, &err) == 0, d);
  is_str (res, "/a/f", d);
  free (res);
  snprintf (d, sizeof d, "%s: resolve: a loop is an error", mode);
  ok (hk_root_resolve_path (&r, "loop1/x", &res, &err) < 0 && err.code == ELOOP, d);
  char link[32], target[64];
  snprintf (link, sizeof link, "dangle-%s", mode);
  snprintf (target, sizeof target, "/../../made-by-link-%s/d", mode);
  ok (symlinkat (target, r.fd, link) == 0, "symlink for the next test");
  snprintf (sub, sizeof sub, "/%s", link);
  dfd = -1;
  snprintf (d, sizeof d, "%s: mkpath through a dangling symlink makes its target", mode);
  ok (hk_root_mkpath (&r, sub, true, 0755, &dfd, &err) == 0, d);
  if (dfd >= 0)
    close (dfd);
  snprintf (sub, sizeof sub, "made-by-link-%s/d", mode);
  ok (fstatat (r.fd, sub, &st, 0) == 0 && S_ISDIR (st.st_mode)
          && fstatat (r.fd, link, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode),
      d);

  char *path = NULL;
  fd = hk_root_open_at (&r, "/up/a", O_PATH, 0);
  snprintf (d, sizeof d, "%s: container path of a resolved fd", mode);
  ok (fd >= 0 && hk_root_fd_path (&r, fd, &path, &err) == 0, d);
  is_str (path, "/a", d);
  free (path);
  if (fd >= 0)
    close (fd);
  hk_root_close (&r);
}

/* procfs: plain symlinks (self) are followed, magic links refused */
static void
check_magic (bool fallback)
{
  const char *mode = fallback ? "fallback" : "openat2";
  struct husk_root r = { .fd = -1 };
  struct husk_error err = { 0 };
  if (hk_root_open (&r, "/", &err) < 0 || access ("/proc/self/status", R_OK) < 0)
    {
      hk_root_close (&r);
      return;
    }
  r.no_openat2 = fallback;
  char d[96];
  int fd = hk_root_open_at (&r, "/proc/self/status", O_RDONLY, 0);
  snprintf (d, sizeof d, "%s: /proc/self is followed", mode);
  ok (fd >= 0, d);
  if (fd >= 0)
    close (fd);
  snprintf (d, sizeof d, "%s: /proc/self/exe is a magic link: ELOOP", mode);
  is_int (hk_root_open_at (&r, "/proc/self/exe", O_PATH, 0), -ELOOP, d);
  snprintf (d, sizeof d, "%s: /proc/self/fd/0 is a magic link: ELOOP", mode);
  is_int (hk_root_open_at (&r, "/proc/self/fd/0/x", O_PATH, 0), -ELOOP, d);
  hk_root_close (&r);
}

static struct husk_spec *
spec_with (const char *json)
{
  struct husk_spec *s = NULL;
  struct husk_error err = { 0 };
  if (husk_spec_parse (json, strlen (json), "config.json", &s, &err) < 0)
    printf ("# %s\n", err.msg);
  return s;
}

static void
check_sysctl (const char *ns, const char *key, bool want_ok, const char *want_msg)
{
  char json[512];
  snprintf (json, sizeof json,
            "{\"ociVersion\":\"1.0.0\",\"linux\":{\"namespaces\":[%s],\"sysctl\":{\"%s\":\"1\"}}}",
            ns, key);
  struct husk_spec *s = spec_with (json);
  struct husk_error err = { 0 };
  char d[160];
  snprintf (d, sizeof d, "sysctl %s with [%s]: %s", key, ns, want_ok ? "allowed" : "refused");
  int ret = s ? hk_sysctl_validate (s, &err) : -1;
  ok (want_ok ? ret == 0 : ret == -EINVAL, d);
  if (want_msg)
    like (err.msg, want_msg, "the message names the key");
  husk_spec_free (s);
}

static void
test_sysctl (void)
{
  check_sysctl ("{\"type\":\"network\"}", "net.ipv4.ip_forward", true, NULL);
  check_sysctl ("{\"type\":\"network\"}", "net/ipv4/ip_forward", true, NULL);
  check_sysctl ("{\"type\":\"ipc\"}", "net.ipv4.ip_forward", false, "\"net.ipv4.ip_forward\"");
  check_sysctl ("{\"type\":\"ipc\"}", "kernel.shmmax", true, NULL);
  check_sysctl ("{\"type\":\"ipc\"}", "fs.mqueue.msg_max", true, NULL);
  check_sysctl ("{\"type\":\"uts\"}", "kernel.shmmax", false, "ipc namespace");
  check_sysctl ("{\"type\":\"uts\"}", "kernel.domainname", true, NULL);
  check_sysctl ("{\"type\":\"uts\"}", "kernel.hostname", true, NULL);
  check_sysctl ("{\"type\":\"ipc\"}", "kernel.hostname", false, "not in a separate");
  check_sysctl ("{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"network\"}", "kernel.pid_max",
                false, "\"kernel.pid_max\" is not in a separate kernel namespace");
  check_sysctl ("{\"type\":\"network\"}", "vm.swappiness", false, "vm.swappiness");
}

static void
test_setup_dev (void)
{
  struct husk_spec *s = spec_with ("{\"ociVersion\":\"1.0.0\",\"mounts\":[{\"destination\":"
                                   "\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]}");
  ok (s && hk_rootfs_setup_dev (s), "a tmpfs on /dev: husk makes the devices");
  husk_spec_free (s);
  s = spec_with ("{\"ociVersion\":\"1.0.0\",\"mounts\":[{\"destination\":\"/dev/\",\"source\":"
                 "\"/dev\",\"options\":[\"rbind\"]}]}");
  ok (s && !hk_rootfs_setup_dev (s), "/dev bound from the host: husk leaves it alone");
  husk_spec_free (s);
}

static void
test_copy_tree (void)
{
  char src[] = "/tmp/husk-copy-src.XXXXXX", dst[] = "/tmp/husk-copy-dst.XXXXXX";
  if (!mkdtemp (src) || !mkdtemp (dst))
    abort ();
  int s = open (src, O_RDONLY | O_DIRECTORY), d = open (dst, O_RDONLY | O_DIRECTORY);
  mkdirat (s, "dir", 0750);
  int f = openat (s, "dir/file", O_CREAT | O_WRONLY, 0640);
  if (write (f, "content", 7) != 7)
    abort ();
  close (f);
  if (symlinkat ("dir/file", s, "link") < 0)
    abort ();
  mkfifoat (s, "fifo", 0600);
  fchmod (s, 0711);
  struct husk_error err = { 0 };
  ok (hk_copy_tree (s, d, true, &err) == 0, "copy a tree");
  struct stat st;
  char buf[16] = "";
  f = openat (d, "link", O_RDONLY);
  ok (f >= 0 && read (f, buf, sizeof buf) == 7 && strcmp (buf, "content") == 0,
      "file content through the copied symlink");
  if (f >= 0)
    close (f);
  ok (fstatat (d, "dir", &st, 0) == 0 && (st.st_mode & 07777) == 0750, "directory mode kept");
  ok (fstatat (d, "dir/file", &st, 0) == 0 && (st.st_mode & 07777) == 0640, "file mode kept");
  ok (fstatat (d, "fifo", &st, 0) == 0 && S_ISFIFO (st.st_mode), "fifo copied");
  ok (fstat (d, &st) == 0 && (st.st_mode & 07777) == 0711, "root mode copied");
  close (s);
  close (d);
  hk_rmtree_at (AT_FDCWD, src, &err);
  hk_rmtree_at (AT_FDCWD, dst, &err);
}

/* HOME from the container's /etc/passwd (plan.c; runc's rule) */
static void
test_passwd_home (void)
{
  const char *pw = "root:x:0:0:root:/root:/bin/sh\n"
                   "broken line\n"
                   "nohome:x:7:7:::/bin/sh\n"
                   "big:x:99999999999:1::/big:/bin/sh\n"
                   "app:x:1000:1000:App,,,:/home/app:/bin/sh";
  char *h = hk_passwd_home (pw, strlen (pw), 0);
  is_str (h, "/root", "uid 0: /root");
  free (h);
  h = hk_passwd_home (pw, strlen (pw), 1000);
  is_str (h, "/home/app", "uid 1000 on the last line, without a newline");
  free (h);
  h = hk_passwd_home (pw, strlen (pw), 7);
  is_str (h, "/", "an empty home is /");
  free (h);
  ok (hk_passwd_home (pw, strlen (pw), 5) == NULL, "no entry: NULL (the caller uses /)");
  ok (hk_passwd_home (pw, strlen (pw), 1215752191) == NULL, "a uid that wraps does not match");
  ok (hk_passwd_home ("", 0, 0) == NULL, "an empty file");
  ok (hk_passwd_home ("a:b:0", 5, 0) == NULL, "a line with too few fields");
}

int
main (void)
{
  test_passwd_home ();
  test_mountopt ();
  test_paths ();
  make_scratch ();
  check_resolve (false);
  check_resolve (true);
  check_magic (false);
  check_magic (true);
  test_copy_tree ();
  test_sysctl ();
  test_setup_dev ();
  struct husk_error err = { 0 };
  hk_rmtree_at (AT_FDCWD, scratch, &err);
  return tap_done ();
}
