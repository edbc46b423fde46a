/* SPDX-License-Identifier: Apache-2.0 */
/* SELinux and AppArmor: the labels config.json asks for, applied to the
 * process at exec. Both work against a root directory (NULL for "/") so
 * that hosts without SELinux or AppArmor can test them on a fake tree. */
#ifndef HUSK_LABEL_H
#define HUSK_LABEL_H

#include <stdbool.h>
#include "husk/error.h"

/* Is SELinux / AppArmor enabled on the host under root? */
bool hk_selinux_enabled (const char *root);
bool hk_apparmor_enabled (const char *root);

/* A label or profile asked for on a host without SELinux or AppArmor is an
 * error naming the field (checked on the host, before the container's
 * /sys hides the answer). */
int hk_labels_check (const char *root, const char *selinux_label, const char *selinux_field,
                     const char *apparmor_profile, const char *apparmor_field,
                     struct husk_error *err);

/* The label of the next execve of the calling thread
 * (thread-self/attr/exec under procfd, an fd of the host's /proc or of a fake
 * tree's proc directory). field names the config field in errors.
 * The caller checked hk_labels_check. */
int hk_selinux_set_exec_label (int procfd, const char *label, const char *field,
                               struct husk_error *err);

/* The AppArmor profile of the next execve: "exec PROFILE" written to
 * self/attr/apparmor/exec under procfd (or, on older kernels, attr/exec).
 * The caller checked hk_labels_check. */
int hk_apparmor_set_exec_profile (int procfd, const char *profile, const char *field,
                                  struct husk_error *err);

/* A mount's data with the SELinux context option added
 * ("mode=755" + "system_u:..." -> "mode=755,context=\"system_u:...\""),
 * or a copy of data when label is NULL/empty or SELinux is not enabled. */
int hk_selinux_mount_data (const char *root, const char *data, const char *label, char **out,
                           struct husk_error *err);

#endif
