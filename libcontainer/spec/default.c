/* SPDX-License-Identifier: Apache-2.0 */
/* The config that `husk spec` writes: the same content as `runc spec` (and
 * `runc spec --rootless`), indented with tabs, ociVersion 1.3.0. */
#include "config.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include "spec_internal.h"
#include "utils.h"

struct gen
{
  yajl_gen g;
  unsigned st; /* OR of every yajl_gen_status: 0 when all went well */
};

static void
str (struct gen *g, const char *s)
{
  g->st |= (unsigned) yajl_gen_string (g->g, (const unsigned char *) s, strlen (s));
}

static void
kstr (struct gen *g, const char *k, const char *v)
{
  str (g, k);
  str (g, v);
}

static void
kint (struct gen *g, const char *k, long long v)
{
  str (g, k);
  g->st |= (unsigned) yajl_gen_integer (g->g, v);
}

static void
kbool (struct gen *g, const char *k, bool v)
{
  str (g, k);
  g->st |= (unsigned) yajl_gen_bool (g->g, v);
}

static void
map_open (struct gen *g, const char *k)
{
  if (k)
    str (g, k);
  g->st |= (unsigned) yajl_gen_map_open (g->g);
}

static void
map_close (struct gen *g)
{
  g->st |= (unsigned) yajl_gen_map_close (g->g);
}

static void
array_open (struct gen *g, const char *k)
{
  str (g, k);
  g->st |= (unsigned) yajl_gen_array_open (g->g);
}

static void
array_close (struct gen *g)
{
  g->st |= (unsigned) yajl_gen_array_close (g->g);
}

static void
kstrv (struct gen *g, const char *k, const char *const *v)
{
  array_open (g, k);
  for (size_t i = 0; v[i]; i++)
    str (g, v[i]);
  array_close (g);
}

static void
mount (struct gen *g, const char *dest, const char *type, const char *src,
       const char *const *options)
{
  map_open (g, NULL);
  kstr (g, "destination", dest);
  kstr (g, "type", type);
  kstr (g, "source", src);
  if (options)
    kstrv (g, "options", options);
  map_close (g);
}

static void
id_mapping (struct gen *g, const char *k, unsigned long long host)
{
  array_open (g, k);
  map_open (g, NULL);
  kint (g, "containerID", 0);
  kint (g, "hostID", (long long) host);
  kint (g, "size", 1);
  map_close (g);
  array_close (g);
}

static void
generate (struct gen *g, bool rootless)
{
  static const char *const caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL };
  static const char *const args[] = { "sh", NULL };
  static const char *const env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "TERM=xterm",
    NULL,
  };
  static const char *const dev_opts[] = { "nosuid", "strictatime", "mode=755", "size=65536k",
                                          NULL };
  static const char *const pts_opts[] = { "nosuid",    "noexec", "newinstance", "ptmxmode=0666",
                                          "mode=0620", "gid=5",  NULL };
  static const char *const pts_opts_rootless[] = { "nosuid",        "noexec",    "newinstance",
                                                   "ptmxmode=0666", "mode=0620", NULL };
  static const char *const shm_opts[] = { "nosuid",    "noexec",      "nodev",
                                          "mode=1777", "size=65536k", NULL };
  static const char *const mqueue_opts[] = { "nosuid", "noexec", "nodev", NULL };
  static const char *const sys_opts[] = { "nosuid", "noexec", "nodev", "ro", NULL };
  static const char *const sys_opts_rootless[] = {
    "rbind", "nosuid", "noexec", "nodev", "ro", NULL
  };
  static const char *const cgroup_opts[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };
  static const char *const masked[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/sys/firmware",
    "/proc/scsi",
    NULL,
  };
  static const char *const readonly[] = { "/proc/bus",           "/proc/fs",
                                          "/proc/irq",           "/proc/sys",
                                          "/proc/sysrq-trigger", NULL };
  static const char *const ns_root[] = { "pid", "network", "ipc", "uts", "mount", NULL };
  static const char *const ns_rootless[] = { "pid", "ipc", "uts", "mount", "user", NULL };

  map_open (g, NULL);
  kstr (g, "ociVersion", HUSK_SPEC_OCI_VERSION);

  map_open (g, "process");
  kbool (g, "terminal", true);
  map_open (g, "user");
  kint (g, "uid", 0);
  kint (g, "gid", 0);
  map_close (g);
  kstrv (g, "args", args);
  kstrv (g, "env", env);
  kstr (g, "cwd", "/");
  map_open (g, "capabilities");
  kstrv (g, "bounding", caps);
  kstrv (g, "effective", caps);
  kstrv (g, "permitted", caps);
  kstrv (g, "ambient", caps);
  map_close (g);
  array_open (g, "rlimits");
  map_open (g, NULL);
  kstr (g, "type", "RLIMIT_NOFILE");
  kint (g, "hard", 1024);
  kint (g, "soft", 1024);
  map_close (g);
  array_close (g);
  kbool (g, "noNewPrivileges", true);
  map_close (g);

  map_open (g, "root");
  kstr (g, "path", "rootfs");
  kbool (g, "readonly", true);
  map_close (g);
  kstr (g, "hostname", "husk");

  array_open (g, "mounts");
  mount (g, "/proc", "proc", "proc", NULL);
  mount (g, "/dev", "tmpfs", "tmpfs", dev_opts);
  mount (g, "/dev/pts", "devpts", "devpts", rootless ? pts_opts_rootless : pts_opts);
  mount (g, "/dev/shm", "tmpfs", "shm", shm_opts);
  mount (g, "/dev/mqueue", "mqueue", "mqueue", mqueue_opts);
  if (rootless)
    mount (g, "/sys", "none", "/sys", sys_opts_rootless);
  else
    mount (g, "/sys", "sysfs", "sysfs", sys_opts);
  mount (g, "/sys/fs/cgroup", "cgroup", "cgroup", cgroup_opts);
  array_close (g);

  map_open (g, "linux");
  if (rootless)
    {
      /* the user that runs `husk spec --rootless` becomes root inside */
      id_mapping (g, "uidMappings", (unsigned long long) geteuid ());
      id_mapping (g, "gidMappings", (unsigned long long) getegid ());
    }
  else
    {
      map_open (g, "resources");
      array_open (g, "devices");
      map_open (g, NULL);
      kbool (g, "allow", false);
      kstr (g, "access", "rwm");
      map_close (g);
      array_close (g);
      map_close (g);
    }
  array_open (g, "namespaces");
  for (const char *const *ns = rootless ? ns_rootless : ns_root; *ns; ns++)
    {
      map_open (g, NULL);
      kstr (g, "type", *ns);
      map_close (g);
    }
  array_close (g);
  kstrv (g, "maskedPaths", masked);
  kstrv (g, "readonlyPaths", readonly);
  map_close (g);

  map_close (g);
}

int
husk_spec_default_json (bool rootless, char **out, size_t *len, struct husk_error *err)
{
  struct gen g = { .g = yajl_gen_alloc (NULL), .st = 0 };
  if (g.g == NULL)
    return husk_error_set (err, ENOMEM, "default config");
  if (!yajl_gen_config (g.g, yajl_gen_beautify, 1)
      || !yajl_gen_config (g.g, yajl_gen_indent_string, "\t"))
    {
      yajl_gen_free (g.g);
      return husk_error_setx (err, EINVAL, "default config: yajl_gen_config failed");
    }
  generate (&g, rootless);
  const unsigned char *buf = NULL;
  size_t n = 0;
  if (g.st != 0 || yajl_gen_get_buf (g.g, &buf, &n) != yajl_gen_status_ok)
    {
      yajl_gen_free (g.g);
      return husk_error_setx (err, EINVAL, "default config: JSON generation failed");
    }
  /* like runc: no newline after the closing brace */
  while (n > 0 && buf[n - 1] == '\n')
    n--;
  char *s = malloc (n + 1);
  if (s == NULL)
    {
      yajl_gen_free (g.g);
      return husk_error_set (err, ENOMEM, "default config");
    }
  memcpy (s, buf, n);
  s[n] = '\0';
  yajl_gen_free (g.g);
  *out = s;
  if (len)
    *len = n;
  return 0;
}
