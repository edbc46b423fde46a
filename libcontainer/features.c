/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <errno.h>
#include "husk/husk.h"
#include "json.h"
#include "syscalls.h"
#include "rootfs/rootfs.h"
#include "security/seccomp.h"
#include "utils.h"

/* The features document of runtime-spec features.md. It claims only what
 * this build really does: each list grows as the code behind it lands. */
int
husk_features_json (char **out, size_t *len, struct husk_error *err)
{
  char seccomp[32];
  _cleanup_gen_ yajl_gen g = hk_json_gen ("    ");
  if (g == NULL)
    return husk_error_set (err, ENOMEM, "features");

  husk_libseccomp_version (seccomp, sizeof seccomp);
  yajl_gen_map_open (g);
  hk_json_kstr (g, "ociVersionMin", "1.0.0");
  hk_json_kstr (g, "ociVersionMax", HUSK_OCI_SPEC_VERSION);
  hk_json_key (g, "hooks");
  hk_json_str_array (g, husk_spec_hook_names);
  hk_json_key (g, "mountOptions");
  yajl_gen_array_open (g);
  for (size_t i = 0; hk_mountopt_name (i); i++)
    hk_json_str (g, hk_mountopt_name (i));
  yajl_gen_array_close (g);

  hk_json_key (g, "linux");
  yajl_gen_map_open (g);
  hk_json_key (g, "namespaces");
  hk_json_str_array (g, husk_spec_namespace_names);
  hk_json_key (g, "capabilities");
  hk_json_str_array (g, husk_spec_capability_names);
  hk_json_key (g, "cgroup");
  yajl_gen_map_open (g);
  /* libcontainer/cgroups: both versions and hybrid hosts; the systemd
   * driver when built with libsystemd; rdma.max on either version */
  hk_json_kbool (g, "v1", true);
  hk_json_kbool (g, "v2", true);
#ifdef HAVE_SYSTEMD
  hk_json_kbool (g, "systemd", true);
#else
  hk_json_kbool (g, "systemd", false);
#endif
  hk_json_kbool (g, "systemdUser", false);
  hk_json_kbool (g, "rdma", true);
  yajl_gen_map_close (g);
  hk_json_key (g, "seccomp");
  yajl_gen_map_open (g);
  hk_json_kbool (g, "enabled", true);
  hk_json_key (g, "actions");
  hk_json_str_array (g, husk_spec_seccomp_action_names);
  hk_json_key (g, "operators");
  hk_json_str_array (g, husk_spec_seccomp_op_names);
  hk_json_key (g, "archs");
  yajl_gen_array_open (g);
  for (size_t i = 0; husk_spec_seccomp_arch_names[i]; i++)
    if (hk_seccomp_arch_supported (husk_spec_seccomp_arch_names[i]))
      hk_json_str (g, husk_spec_seccomp_arch_names[i]);
  yajl_gen_array_close (g);
  hk_json_key (g, "knownFlags");
  hk_json_str_array (g, husk_spec_seccomp_flag_names);
  hk_json_key (g, "supportedFlags");
  yajl_gen_array_open (g);
  for (uint32_t i = 0; husk_spec_seccomp_flag_names[i]; i++)
    if (hk_seccomp_flag_supported (1u << i))
      hk_json_str (g, husk_spec_seccomp_flag_names[i]);
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  /* labels are applied when the host has SELinux or AppArmor */
  hk_json_key (g, "apparmor");
  yajl_gen_map_open (g);
  hk_json_kbool (g, "enabled", true);
  yajl_gen_map_close (g);
  hk_json_key (g, "selinux");
  yajl_gen_map_open (g);
  hk_json_kbool (g, "enabled", true);
  yajl_gen_map_close (g);
  /* idmapped bind mounts: where the kernel has mount_setattr (5.12) */
  hk_json_key (g, "mountExtensions");
  yajl_gen_map_open (g);
  hk_json_key (g, "idmap");
  yajl_gen_map_open (g);
  errno = 0;
  bool idmap = hk_sys_mount_setattr (-1, "", 0, NULL, 0) == 0 || errno != ENOSYS;
  hk_json_kbool (g, "enabled", idmap);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);

  hk_json_key (g, "annotations");
  yajl_gen_map_open (g);
  hk_json_kstr (g, "io.github.seccomp.libseccomp.version", seccomp);
  hk_json_kstr (g, "dev.husk.version", husk_version ());
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  return hk_json_finish (g, true, out, len, err);
}
