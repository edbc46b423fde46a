/* SPDX-License-Identifier: Apache-2.0 */
/* SELinux and AppArmor label handling against a fake root. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "security/label.h"
#include "tap.h"

static char root[] = "/tmp/husk-label-XXXXXX";

static void
put (const char *rel, const char *content)
{
  char p[4096], cmd[4200];
  snprintf (p, sizeof p, "%s%s", root, rel);
  snprintf (cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", p);
  if (system (cmd) != 0)
    abort ();
  FILE *f = fopen (p, "w");
  if (f == NULL)
    abort ();
  fputs (content, f);
  fclose (f);
}

static char *
get (const char *rel)
{
  static char buf[4096];
  char p[4096];
  snprintf (p, sizeof p, "%s%s", root, rel);
  FILE *f = fopen (p, "r");
  buf[0] = '\0';
  if (f)
    {
      size_t n = fread (buf, 1, sizeof buf - 1, f);
      buf[n] = '\0';
      fclose (f);
    }
  return buf;
}

static int
procdir (void)
{
  char p[4096];
  snprintf (p, sizeof p, "%s/proc", root);
  return open (p, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int
main (void)
{
  struct husk_error err = { 0 };
  char *s = NULL;

  if (mkdtemp (root) == NULL)
    abort ();

  /* neither is enabled on an empty root */
  ok (!hk_selinux_enabled (root), "no selinuxfs: SELinux disabled");
  ok (!hk_apparmor_enabled (root), "no apparmor module: AppArmor disabled");
  ok (hk_labels_check (root, "system_u:system_r:container_t:s0", "process.selinuxLabel", NULL,
                       "process.apparmorProfile", &err)
          == -ENOTSUP,
      "a label without SELinux is an error");
  is_str (
      err.msg,
      "process.selinuxLabel \"system_u:system_r:container_t:s0\": SELinux is not enabled on this host",
      "the error names the field and the label");
  ok (hk_labels_check (root, NULL, "process.selinuxLabel", "husk-default",
                       "process.apparmorProfile", &err)
          == -ENOTSUP,
      "a profile without AppArmor is an error");
  is_str (err.msg, "process.apparmorProfile \"husk-default\": AppArmor is not enabled on this host",
          "the error names the field and the profile");
  ok (hk_labels_check (root, "", "process.selinuxLabel", "", "process.apparmorProfile", &err) == 0,
      "an empty label asks for nothing");

  /* AppArmor enabled: the newer attr path first, the older one otherwise */
  put ("/sys/module/apparmor/parameters/enabled", "Y\n");
  put ("/proc/self/attr/exec", "");
  ok (hk_apparmor_set_exec_profile (procdir (), "husk-default", "process.apparmorProfile", &err)
          == 0,
      "profile written (old attr path)");
  is_str (get ("/proc/self/attr/exec"), "exec husk-default", "attr/exec holds \"exec PROFILE\"");
  put ("/proc/self/attr/apparmor/exec", "");
  ok (hk_apparmor_set_exec_profile (procdir (), "other", "process.apparmorProfile", &err) == 0,
      "profile written (attr/apparmor/exec)");
  is_str (get ("/proc/self/attr/apparmor/exec"), "exec other", "the newer path is preferred");

  ok (hk_labels_check (root, NULL, "s", "p", "a", &err) == 0, "AppArmor enabled: a profile passes");
  /* SELinux enabled */
  put ("/sys/fs/selinux/enforce", "1");
  put ("/proc/thread-self/attr/exec", "");
  ok (hk_selinux_set_exec_label (procdir (), "system_u:system_r:container_t:s0:c1,c2",
                                 "process.selinuxLabel", &err)
          == 0,
      "label written");
  is_str (get ("/proc/thread-self/attr/exec"), "system_u:system_r:container_t:s0:c1,c2",
          "attr/exec holds the label");
  ok (hk_selinux_mount_data (root, "mode=755", "system_u:object_r:container_file_t:s0", &s, &err)
              == 0
          && strcmp (s, "mode=755,context=\"system_u:object_r:container_file_t:s0\"") == 0,
      "mount data gains the context option");
  free (s);
  ok (hk_selinux_mount_data (root, NULL, "l", &s, &err) == 0 && strcmp (s, "context=\"l\"") == 0,
      "context alone when there was no data");
  free (s);
  ok (hk_selinux_mount_data ("/nonexistent-root", "mode=755", "l", &s, &err) == 0
          && strcmp (s, "mode=755") == 0,
      "without SELinux the data is unchanged");
  free (s);

  char cmd[4200];
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system (cmd) != 0)
    return 1;
  return tap_done ();
}
