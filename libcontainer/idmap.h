/* SPDX-License-Identifier: Apache-2.0 */
/* The id maps of a new user namespace, written the way the caller's
 * privileges allow: directly (root on the host, or an unprivileged user
 * mapping only their own uid and gid), or through the setuid helpers
 * newuidmap/newgidmap and the ranges of /etc/subuid and /etc/subgid. */
#ifndef HUSK_IDMAP_H
#define HUSK_IDMAP_H

#include <stdbool.h>
#include <sys/types.h>

#include "husk/error.h"
#include "husk/spec.h"

/* True when the calling process is in the initial user namespace. */
bool hk_initial_userns (void);

/* Write linux.uidMappings and gidMappings for the process pid (in its new
 * user namespace, not yet using them). */
int hk_idmap_write (pid_t pid, const struct husk_spec_linux *l, struct husk_error *err);

/* An fd of a new user namespace with these maps (written by root of the
 * host), for the MOUNT_ATTR_IDMAP of an idmapped mount. */
int hk_idmap_userns_fd (const struct husk_spec_id_mapping *uid, size_t nuid,
                        const struct husk_spec_id_mapping *gid, size_t ngid,
                        struct husk_error *err);

/* Test seam: the helper programs' names (default "newuidmap" and
 * "newgidmap", found on PATH). */
void hk_idmap_set_helpers (const char *newuidmap, const char *newgidmap);

#endif
