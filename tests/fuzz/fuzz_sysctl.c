/* SPDX-License-Identifier: Apache-2.0 */
/* linux.sysctl names. The first byte picks the namespaces of the config
 * (bit 0 ipc, 1 network, 2 uts, 3 user, 4 network joined by path); the rest
 * is the key, then (after a NUL) the value. A key that both checks of
 * create accept names a file below /proc/sys (husk_spec_sysctl_path: no
 * empty, "." or ".." component) that belongs to a namespace the container
 * has of its own. */
#include "config.h"
#include <limits.h>
#include "fuzz.h"
#include "husk/spec.h"
#include "rootfs/rootfs_internal.h"

static bool
has_ns (const struct husk_spec_linux *l, enum husk_spec_ns_type t)
{
  for (size_t i = 0; i < l->namespaces_len; i++)
    if (l->namespaces[i].type == t)
      return true;
  return false;
}

static void
check_key (const struct husk_spec_linux *l, const char *key)
{
  char path[PATH_MAX];
  FUZZ_ASSERT (husk_spec_sysctl_path (key, path, sizeof path) == 0);
  for (const char *s = path;;)
    {
      size_t n = strcspn (s, "/");
      FUZZ_ASSERT (n > 0);
      FUZZ_ASSERT (!(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.'));
      if (s[n] == '\0')
        break;
      s += n + 1;
    }
  if (strncmp (path, "net/", 4) == 0)
    FUZZ_ASSERT (has_ns (l, HUSK_SPEC_NS_NETWORK));
  else if (strcmp (path, "kernel/hostname") == 0 || strcmp (path, "kernel/domainname") == 0)
    FUZZ_ASSERT (has_ns (l, HUSK_SPEC_NS_UTS));
  else
    FUZZ_ASSERT (has_ns (l, HUSK_SPEC_NS_IPC)
                 && (strncmp (path, "kernel/", 7) == 0 || strncmp (path, "fs/mqueue/", 10) == 0));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  unsigned flags = data[0];
  char *buf, *parts[2] = { NULL, NULL };
  size_t n = fuzz_split (data + 1, size - 1, parts, 2, &buf);

  struct husk_spec_namespace ns[5];
  size_t nns = 0;
  static const struct
  {
    unsigned bit;
    enum husk_spec_ns_type type;
    const char *name;
  } kinds[] = {
    { 1, HUSK_SPEC_NS_IPC, "ipc" },
    { 2, HUSK_SPEC_NS_NETWORK, "network" },
    { 4, HUSK_SPEC_NS_UTS, "uts" },
    { 8, HUSK_SPEC_NS_USER, "user" },
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if ((flags & kinds[i].bit) && !(kinds[i].bit == 2 && (flags & 16)))
      ns[nns++] = (struct husk_spec_namespace) { (char *) kinds[i].name, kinds[i].type, NULL };
  if (flags & 16)
    ns[nns++] = (struct husk_spec_namespace) { (char *) "network", HUSK_SPEC_NS_NETWORK,
                                               (char *) "/proc/self/ns/net" };
  ns[nns++] = (struct husk_spec_namespace) { (char *) "mount", HUSK_SPEC_NS_MOUNT, NULL };

  struct husk_spec_kv kv = { parts[0], n > 1 ? parts[1] : (char *) "1" };
  struct husk_spec_linux linux_;
  memset (&linux_, 0, sizeof linux_);
  linux_.namespaces = ns;
  linux_.namespaces_len = nns;
  linux_.sysctl = &kv;
  linux_.sysctl_len = 1;
  char *args[] = { (char *) "sh", NULL };
  struct husk_spec_process proc;
  memset (&proc, 0, sizeof proc);
  proc.args = args;
  proc.args_len = 1;
  proc.cwd = (char *) "/";
  struct husk_spec spec;
  memset (&spec, 0, sizeof spec);
  spec.oci_version = (char *) HUSK_SPEC_OCI_VERSION;
  spec.root.path = (char *) "rootfs";
  spec.process = &proc;
  spec.linux_ = &linux_;

  struct husk_error err = { 0 };
  int a = husk_spec_validate (&spec, "config.json", &err);
  int b = hk_sysctl_validate (&spec, &err);
  if (a == 0 && b == 0)
    check_key (&linux_, kv.key);
  free (buf);
  return 0;
}
