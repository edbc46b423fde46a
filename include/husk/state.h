/* The state store: one directory per container under the state root, holding
 * state.json (written atomically) and locked with flock(2) by every command
 * that reads or changes it. */
#ifndef HUSK_STATE_H
#define HUSK_STATE_H

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

enum husk_status {
  HUSK_STATUS_CREATING = 0,
  HUSK_STATUS_CREATED,
  HUSK_STATUS_RUNNING,
  HUSK_STATUS_PAUSED,
  HUSK_STATUS_STOPPED,
};

const char *husk_status_name (enum husk_status status);
int husk_status_parse (const char *name, enum husk_status *out);

struct husk_store {
  int dirfd;     /* the state root, O_PATH|O_DIRECTORY; -1 when closed */
  char *root;    /* its path */
};

struct husk_state {
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
  char *cgroup;                      /* the cgroup driver's own record of the
                                        container's cgroup (opaque), or NULL */
};

/* Default root: /run/husk for root, $XDG_RUNTIME_DIR/husk otherwise. */
int husk_default_root (char **out, struct husk_error *err);

/* Check a container id: 1..HUSK_ID_MAX characters of [A-Za-z0-9_+.-], not "." or "..". */
int husk_id_validate (const char *id, struct husk_error *err);

/* Open the state root. With create, make it (and missing parents) mode 0700.
 * Without create, a missing root is not an error: dirfd stays -1. */
int husk_store_open (struct husk_store *store, const char *root, bool create,
                     struct husk_error *err);
void husk_store_close (struct husk_store *store);

/* Sorted list of container ids in the store (directories holding state.json). */
int husk_store_list (const struct husk_store *store, char ***ids, size_t *n,
                     struct husk_error *err);
void husk_strv_free (char **v, size_t n);

/* Create the directory of a new container and lock it; *dirfd is the locked
 * directory. "container "ID" already exists" when it does. */
int husk_container_dir_create (const struct husk_store *store, const char *id,
                               int *dirfd, struct husk_error *err);
/* Open and lock (exclusively) an existing container's directory.
 * "container "ID" does not exist" when missing. */
int husk_container_open (const struct husk_store *store, const char *id,
                         int *dirfd, struct husk_error *err);
/* Remove a container's directory and everything in it. */
int husk_container_dir_remove (const struct husk_store *store, const char *id,
                               struct husk_error *err);

/* state.json, atomically. */
int husk_state_write (int dirfd, const struct husk_state *state, struct husk_error *err);
/* Read state.json from a container directory and refresh its status. */
int husk_state_read (int dirfd, const char *id, struct husk_state **out,
                     struct husk_error *err);
/* Convenience: open+lock, read, unlock. */
int husk_state_load (const struct husk_store *store, const char *id,
                     struct husk_state **out, struct husk_error *err);

/* The JSON text: internal adds the fields only husk reads (pidStartTime, ...);
 * otherwise the OCI state as `husk state` prints it, with "owner" set to
 * owner_name ("" when NULL, as runc's state). indent NULL = compact. */
int husk_state_to_json (const struct husk_state *state, bool internal, const char *owner_name,
                        const char *indent, char **out, size_t *len, struct husk_error *err);
int husk_state_from_json (const char *data, size_t len, struct husk_state **out,
                          struct husk_error *err);
void husk_state_free (struct husk_state *state);

/* A state whose init is gone (or whose pid was reused, or that has no
 * start time to tell) becomes stopped, with pid 0. */
void husk_state_refresh (struct husk_state *state);

/* starttime (field 22) of /proc/PID/stat; -ESRCH when the process is gone. */
int husk_proc_start_time (pid_t pid, unsigned long long *out);
/* A pidfd of the state's init, when it still is that process (its start
 * time is the one recorded; checked after the pidfd pins it); -ESRCH when
 * it is gone or cannot be told apart from another process. */
int husk_state_pidfd (const struct husk_state *state);

/* RFC 3339 time with nanoseconds, UTC, of now. buf >= 40 bytes. */
void husk_time_now_rfc3339 (char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
