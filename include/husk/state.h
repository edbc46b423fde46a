/* SPDX-License-Identifier: Apache-2.0 */
/* The state store: one directory per container under the state root, holding
 * state.json (written atomically) and locked with flock(2) by every command
 * that reads or changes it. */
#ifndef HUSK_STATE_H
#define HUSK_STATE_H

#include "husk/export.h"
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/spec.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HUSK_ID_MAX 255 /* NAME_MAX: the id names a directory */
#define HUSK_STATE_FILE "state.json"
#define HUSK_PID_MAX 4194304 /* the kernel's PID_MAX_LIMIT */

enum husk_status
{
  HUSK_STATUS_CREATING = 0,
  HUSK_STATUS_CREATED,
  HUSK_STATUS_RUNNING,
  HUSK_STATUS_PAUSED,
  HUSK_STATUS_STOPPED,
};

HUSK_API const char *husk_status_name (enum husk_status status);
HUSK_API int husk_status_parse (const char *name, enum husk_status *out);

struct husk_store
{
  int dirfd;  /* the state root, O_PATH|O_DIRECTORY; -1 when closed */
  char *root; /* its path */
};

struct husk_state
{
  char *oci_version;
  char *id;
  enum husk_status status;
  pid_t pid;                         /* init's host pid, 0 when none */
  unsigned long long pid_start_time; /* /proc/PID/stat starttime, guards pid reuse */
  char *bundle;                      /* absolute */
  char *rootfs;                      /* absolute */
  char *created;                     /* RFC 3339 with nanoseconds, UTC */
  uid_t owner;                       /* uid that created the container */
  struct husk_spec_kv *annotations;
  size_t annotations_len;
  char *cgroup; /* the cgroup driver's own record of the
                                        container's cgroup (opaque), or NULL */
};

/* Default root: /run/husk for root, $XDG_RUNTIME_DIR/husk for a rootless
 * caller (husk_rootless_detect) when it is set (required when the euid is
 * not 0). */
HUSK_API int husk_default_root (char **out, struct husk_error *err);

/* --rootless auto: true when the effective uid is not 0, or when the
 * caller is in a user namespace that is not the initial one (as runc). */
HUSK_API bool husk_rootless_detect (void);

/* Check a container id: 1..HUSK_ID_MAX characters of [A-Za-z0-9_+.-], not "." or "..". */
HUSK_API int husk_id_validate (const char *id, struct husk_error *err);

/* Open the state root. With create, make it (and missing parents) mode 0700.
 * Without create, a missing root is not an error: dirfd stays -1. */
HUSK_API int husk_store_open (struct husk_store *store, const char *root, bool create,
                              struct husk_error *err);
HUSK_API void husk_store_close (struct husk_store *store);

/* Sorted list of container ids in the store (directories holding state.json). */
HUSK_API int husk_store_list (const struct husk_store *store, char ***ids, size_t *n,
                              struct husk_error *err);
HUSK_API void husk_strv_free (char **v, size_t n);

/* Convenience: open+lock, read, unlock. */
HUSK_API int husk_state_load (const struct husk_store *store, const char *id,
                              struct husk_state **out, struct husk_error *err);

/* The JSON text: internal adds the fields only husk reads (pidStartTime, ...);
 * otherwise the OCI state as `husk state` prints it, with "owner" set to
 * owner_name ("" when NULL, as runc's state). indent NULL = compact. */
HUSK_API int husk_state_to_json (const struct husk_state *state, bool internal,
                                 const char *owner_name, const char *indent, char **out,
                                 size_t *len, struct husk_error *err);
HUSK_API int husk_state_from_json (const char *data, size_t len, struct husk_state **out,
                                   struct husk_error *err);
HUSK_API void husk_state_free (struct husk_state *state);

#ifdef __cplusplus
}
#endif
#endif
