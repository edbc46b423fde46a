/* SPDX-License-Identifier: Apache-2.0 */
/* Cgroups: the container's cgroup on v1, v2 and hybrid hosts, with the
 * cgroupfs driver or the systemd driver (a transient scope over D-Bus).
 *
 * The lifecycle calls, in order:
 *   hk_cgroup_create    before the init runs anything of the container:
 *                         make the cgroup(s), apply linux.resources
 *   hk_cgroup_enter     put the init's pid in
 *   hk_cgroup_to_state  the string kept in state.json ("cgroup")
 *   ... hk_cgroup_from_state for every later command ...
 *   hk_cgroup_destroy   at delete (and when create fails)
 */
#ifndef HUSK_CGROUPS_H
#define HUSK_CGROUPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/spec.h"
#include "husk/log.h"

struct husk_cgroup; /* opaque */

struct husk_cgroup_opts
{
  const char *id;                              /* the container id (default path, scope name) */
  const char *cgroups_path;                    /* linux.cgroupsPath, or NULL */
  const struct husk_spec_resources *resources; /* may be NULL */
  bool systemd;                                /* --systemd-cgroup */
  bool disabled;                               /* --cgroup-manager disabled: no cgroup */
  bool rootless;
  const char *fs_root;                    /* NULL for "/"; a fake root in unit tests:
                                     /proc/self/mountinfo, /proc/self/cgroup
                                     and /sys/fs/cgroup are read under it */
  const struct husk_spec_device *devices; /* linux.devices: unused (they make nodes; only
                                             linux.resources.devices opens the cgroup) */
  size_t devices_len;
  const struct husk_logger *log; /* warnings (a resource the kernel lacks); may be NULL */
};

int hk_cgroup_create (const struct husk_cgroup_opts *o, struct husk_cgroup **out,
                      struct husk_error *err);
int hk_cgroup_enter (struct husk_cgroup *cg, pid_t pid, struct husk_error *err);
/* *out is NULL when the container has no cgroup: a rootless container
 * without a delegated cgroup and without limits gets none, as with runc. */
int hk_cgroup_to_state (const struct husk_cgroup *cg, char **out, struct husk_error *err);
int hk_cgroup_from_state (const char *s, const char *fs_root, struct husk_cgroup **out,
                          struct husk_error *err);
/* The container's cgroup as the cgroupfs driver makes it from the id and
 * linux.cgroupsPath (NULL: the default /husk/ID), in every hierarchy where
 * that directory exists (delete -f of a container whose state.json cannot
 * be read); *out may have no place. */
int hk_cgroup_guess (const char *id, const char *cgroups_path, const char *fs_root,
                     struct husk_cgroup **out, struct husk_error *err);
/* Remove the cgroup(s); processes still inside are killed first. */
int hk_cgroup_destroy (struct husk_cgroup *cg, struct husk_error *err);
void hk_cgroup_free (struct husk_cgroup *cg);
/* update: linux.resources JSON merged over the recorded resources, all of
 * it checked before anything is written, then applied; *record is the new
 * record for state.json (the caller writes it). */
int hk_cgroup_update (struct husk_cgroup *cg, const char *resources_json, char **record,
                      struct husk_error *err);
/* pause (freeze) and resume (thaw). */
int hk_cgroup_freeze (struct husk_cgroup *cg, bool freeze, struct husk_error *err);
/* The "data" object of runc's stats event; pid (the init) for network
 * statistics. */
struct yajl_gen_t;
int hk_cgroup_stats_json (const struct husk_cgroup *cg, pid_t pid, struct yajl_gen_t *g,
                          struct husk_error *err);
/* The same as a struct (include/husk/stats.h); freed with husk_stats_free. */
struct husk_stats;
int hk_cgroup_stats_read (const struct husk_cgroup *cg, pid_t pid, struct husk_stats **out,
                          struct husk_error *err);
/* OOM events: open the counter (fd may stay -1 where nothing can be
 * watched), then check after fd is readable (true: a new OOM kill). */
int hk_cgroup_oom_open (const struct husk_cgroup *cg, int *fd, uint64_t *count,
                        struct husk_error *err);
bool hk_cgroup_oom_check (const struct husk_cgroup *cg, int fd, uint64_t *count);
/* Where the handle's warnings go (NULL: nowhere). */
void hk_cgroup_set_log (struct husk_cgroup *cg, const struct husk_logger *log);

/* Every pid in the container's cgroup (recursively). */
int hk_cgroup_pids (const struct husk_cgroup *cg, pid_t **pids, size_t *n, struct husk_error *err);
int hk_cgroup_kill_all (const struct husk_cgroup *cg, int sig, struct husk_error *err);

/* exec --cgroup: "path" or "controller:path", a sub-cgroup below the
 * container's own (relative, no "." or ".." component); *ctrl is NULL
 * without a controller. Errors name --cgroup. */
int hk_cgroup_sub_parse (const char *arg, char **ctrl, char **path, struct husk_error *err);
/* openat of rel below dirfd that cannot leave it: no "..", no symlink, no
 * magic link, no other mount (openat2 RESOLVE_BENEATH, or a walk of the
 * components with O_NOFOLLOW). An fd, or -errno. */
int hk_cgroup_open_beneath (int dirfd, const char *rel, int flags);

/* clone(2) of create's init with flags (namespaces; SIGCHLD is added),
 * straight into the container's cgroup (clone3 CLONE_INTO_CGROUP) when the
 * driver has a place for it (a pure v2 layout, cgroupfs) and the kernel
 * allows it; a plain clone otherwise (hk_cgroup_enter then puts the pid
 * in, and is harmless after a clone into it). cg may be NULL. As clone: 0
 * in the child, its pid, or -1 with errno. */
pid_t hk_cgroup_clone (const struct husk_cgroup *cg, unsigned long flags);

/* husk exec: the process joins the container's cgroup as state.json
 * records it (record: the state's opaque "cgroup" string, NULL when the
 * container has none), or the sub-cgroup sub (exec --cgroup, or NULL)
 * below it. Made in husk before the fork: the record is checked on this
 * host and --cgroup's controller looked for (errors name --cgroup). */
struct hk_cgroup_join;
int hk_cgroup_join_new (const char *record, const char *sub, const char *fs_root,
                        struct hk_cgroup_join **out, struct husk_error *err);
/* fork(2), or clone3 straight into the cgroup (CLONE_INTO_CGROUP) where
 * the layout (pure v2) and the kernel allow it. j may be NULL. As fork,
 * with err set on -1. */
pid_t hk_cgroup_join_fork (struct hk_cgroup_join *j, struct husk_error *err);
/* In the child, while it still sees the host's cgroup mounts: write its
 * pid to cgroup.procs in every hierarchy (the sub-cgroup where --cgroup
 * applies), unless it was cloned into its cgroup. j may be NULL. */
int hk_cgroup_join_enter (const struct hk_cgroup_join *j, struct husk_error *err);
void hk_cgroup_join_free (struct hk_cgroup_join *j);

#endif
