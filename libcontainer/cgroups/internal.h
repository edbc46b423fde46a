/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of libcontainer/cgroups: the host's layout, the container's
 * places (one directory per hierarchy), file helpers and the pieces each
 * file implements. */
#ifndef HUSK_CGROUPS_INTERNAL_H
#define HUSK_CGROUPS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include "cgroups/cgroups.h"
#include "cgroups/layout.h"
#include "husk/log.h"

/* ------------------------------------------------------------ layout.c */

/* The layout itself is cgroups/layout.h (hk_cgroup_layout_*). */

/* "word" in a list separated by sep. */
bool cg_list_has (const char *list, char sep, const char *word);
/* The pieces of hk_cgroup_layout_parse; no hierarchy is an error here. */
int cg_parse_mountinfo (const char *text, struct hk_cgroup_layout *l, struct husk_error *err);
int cg_parse_proc_cgroup (const char *text, struct hk_cgroup_layout *l, struct husk_error *err);
/* hk_cgroup_layout_load, and an error when no hierarchy is mounted. */
int cg_layout_load (const char *fs_root, struct hk_cgroup_layout *l, struct husk_error *err);
/* The v1 mount holding ctrl, -1 when none. */
int cg_layout_v1 (const struct hk_cgroup_layout *l, const char *ctrl);
/* ctrl is usable on the v2 hierarchy (listed in its cgroup.controllers). */
bool cg_layout_v2_has (const struct hk_cgroup_layout *l, const char *ctrl);

/* record.c: a place read from state.json is usable: path (and created,
 * the highest directory husk made, may be NULL) clean and absolute, below
 * the mount of the hierarchy ctrls/v2 names in layout l. */
int cg_record_place_ok (const struct hk_cgroup_layout *l, const char *ctrls, bool v2,
                        const char *path, const char *created, size_t i, struct husk_error *err);

/* ------------------------------------------------------------ path.c */

#define CG_DEFAULT_PARENT "/husk"
/* The container's cgroup in a hierarchy: cgroupsPath absolute as is,
 * relative under own, absent: /husk/ID. ".." is refused. */
int cg_path_compute (const char *cgroups_path, const char *id, const char *own, char **out,
                     struct husk_error *err);
/* The directory of cgroup path p under mount m (m->root stripped). */
int cg_path_dir (const struct hk_cgroup_mount *m, const char *p, char **out,
                 struct husk_error *err);
/* systemd: "slice:prefix:name" (absent: "system.slice:husk:ID") ->
 * slice "machine.slice", unit "prefix-name.scope". */
int cg_systemd_parse (const char *cgroups_path, const char *id, char **slice, char **unit,
                      struct husk_error *err);
/* "a-b.slice" -> "/a.slice/a-b.slice"; "-.slice" -> "". */
int cg_systemd_slice_path (const char *slice, char **out, struct husk_error *err);

/* ------------------------------------------------------------ the container's cgroup */

struct cg_place
{
  char *ctrls; /* as in hk_cgroup_mount */
  bool v2;
  char *dir; /* the container's directory, without the fs root */
  char *top; /* the highest directory husk made (removed up to it), or NULL */
};

struct cg_driver;

struct husk_cgroup
{
  char *root;                  /* fs_root, "" for the real one */
  enum hk_cgroup_mode mode;    /* the host's, as recorded */
  const struct cg_driver *drv; /* chosen once: cg_set_driver */
  const struct cg_driver *fs;  /* the cgroupfs driver of the mode (drv, but for systemd) */
  char *slice, *unit;          /* systemd */
  struct cg_place *p;
  size_t n;
  char *resources; /* linux.resources in force (JSON), or NULL */
  const struct husk_logger *log;
  /* between create and enter (systemd: the unit is started at enter) */
  bool unit_pending;
  const struct husk_spec_resources *pending;
  bool pending_devices;       /* the device rules are still to be set */
  bool made;                  /* create got as far as making directories */
  struct cg_journal *journal; /* update: what cg_write changed, to undo */
};

/* files.c: an update's undo log. While cg->journal is set, cg_write keeps
 * each file's value from before its first write (v1 devices: devices.list);
 * cg_journal_undo writes them back, the last first. */
struct cg_journal_entry
{
  char *path;   /* the file (full path) */
  char *old;    /* its content before, NULL when it could not be read */
  char *value;  /* the first value written */
  bool devices; /* v1 devices: old is devices.list of path's directory */
};
struct cg_journal
{
  struct cg_journal_entry *e;
  size_t n;
};
/* Undo (errors are warnings: the update's error stays the one reported);
 * the number of files that could not be restored. */
size_t cg_journal_undo (const struct husk_cgroup *cg, struct cg_journal *j);
void cg_journal_free (struct cg_journal *j);

/* ------------------------------------------------------------ driver.c */

struct cg_apply_opts;

/* A driver: how the container's cgroup is made, entered, frozen, listed,
 * signalled and removed. One table per driver, chosen once per cgroup
 * (create: --systemd-cgroup and the host's mode; later commands: the
 * record) and called through cg->drv: nothing else in the module branches
 * on the driver or on the host's mode. What differs per hierarchy rather
 * than per driver (the files of linux.resources, v1 or v2, as a hybrid host
 * has both) is apply.c's table of controllers.
 *
 *   cg_fs_v1     cgroupfs on a v1 or hybrid host
 *   cg_fs_v2     cgroupfs on a pure v2 host
 *   cg_systemd   a transient scope; what is the hierarchies' (freeze, the
 *                pid list, kill, clone) is cg->fs's */
struct cg_driver
{
  const char *name;  /* as recorded in state.json ("driver") */
  bool record_empty; /* recorded even without a place */
  /* A new cgroup for o on layout l: its places; their directories and
   * linux.resources now (cgroupfs) or at enter (systemd). */
  int (*create) (struct husk_cgroup *cg, const struct hk_cgroup_layout *l,
                 const struct husk_cgroup_opts *o, struct husk_error *err);
  /* Undo what a create that failed part way made (cg is then freed). */
  void (*create_failed) (struct husk_cgroup *cg);
  /* Put pid in (systemd: start the scope with it). */
  int (*enter) (struct husk_cgroup *cg, pid_t pid, struct husk_error *err);
  /* The place a new process can be cloned straight into
   * (CLONE_INTO_CGROUP): the only place, on v2; NULL when there is none
   * (v1 and hybrid hosts, named hierarchies, a scope not started yet). */
  const struct cg_place *(*clone_place) (const struct husk_cgroup *cg);
  /* Write linux.resources (create, systemd's enter, update). */
  int (*apply) (struct husk_cgroup *cg, const struct husk_spec_resources *r,
                const struct cg_apply_opts *ao, struct husk_error *err);
  int (*freeze) (const struct husk_cgroup *cg, bool freeze, struct husk_error *err);
  int (*frozen) (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err);
  /* The place whose cgroup.procs lists the processes (recursively). */
  const struct cg_place *(*procs_place) (const struct husk_cgroup *cg);
  int (*kill) (const struct husk_cgroup *cg, int sig, struct husk_error *err);
  /* Remove the directories (the processes are gone and nothing is frozen). */
  int (*remove) (struct husk_cgroup *cg, struct husk_error *err);
};

extern const struct cg_driver cg_fs_v1, cg_fs_v2, cg_systemd;

/* The driver for --systemd-cgroup (or a record's "driver") and the host's mode. */
const struct cg_driver *cg_driver_choose (bool systemd, enum hk_cgroup_mode mode);
/* cg->mode, cg->drv and cg->fs. */
void cg_set_driver (struct husk_cgroup *cg, bool systemd, enum hk_cgroup_mode mode);
/* Through cg->drv. */
int cg_apply (struct husk_cgroup *cg, const struct husk_spec_resources *r,
              const struct cg_apply_opts *ao, struct husk_error *err);
int cg_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err);
/* frozen: true when the freezer says FROZEN / frozen 1. */
int cg_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err);

/* The place of a v1 controller, or of the v2 hierarchy when it holds it
 * (pure v2 and hybrid); NULL when the controller is nowhere. */
struct cg_place *cg_place_of (const struct husk_cgroup *cg, const char *ctrl);
struct cg_place *cg_place_v2 (const struct husk_cgroup *cg);

/* fs.c: a new, empty record (the cgroupfs driver until cg_set_driver); a
 * place added to it. */
int cg_new (const char *fs_root, struct husk_cgroup **out, struct husk_error *err);
int cg_add_place (struct husk_cgroup *cg, const char *ctrls, bool v2, const char *dir,
                  struct husk_error *err);
/* A place in every hierarchy of l: at path (systemd: the scope's cgroup),
 * or (path NULL) where o->cgroups_path puts it in each (cgroupfs). */
int cg_add_places (struct husk_cgroup *cg, const struct hk_cgroup_layout *l,
                   const struct husk_cgroup_opts *o, const char *path, struct husk_error *err);
/* Write pid to every place's cgroup.procs. */
int cg_enter_places (struct husk_cgroup *cg, pid_t pid, struct husk_error *err);
/* Remove place p's directory and the cgroups below it, then its parents
 * up to p->top (what husk made) while they are empty. */
int cg_remove_place (const struct husk_cgroup *cg, const struct cg_place *p,
                     struct husk_error *err);
/* Freeze, signal every pid, thaw; cgroup.kill for SIGKILL where the v2
 * hierarchy has it. */
int cg_fs_kill (const struct husk_cgroup *cg, int sig, struct husk_error *err);

/* files.c: files of a place. Errors name the file and the value. */
int cg_file (const struct husk_cgroup *cg, const struct cg_place *p, const char *file, char *buf,
             size_t size);
int cg_write (const struct husk_cgroup *cg, const struct cg_place *p, const char *file,
              const char *value, struct husk_error *err);
int cg_writef (const struct husk_cgroup *cg, const struct cg_place *p, const char *file,
               struct husk_error *err, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));
/* Read a small file (NUL-terminated, trailing newline kept). */
int cg_read (const struct husk_cgroup *cg, const struct cg_place *p, const char *file, char **out,
             struct husk_error *err);
bool cg_exists (const struct husk_cgroup *cg, const struct cg_place *p, const char *file);
int cg_read_u64 (const struct husk_cgroup *cg, const struct cg_place *p, const char *file,
                 uint64_t *out);
void cg_warn (const struct husk_cgroup *cg, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
/* Make a place's directory and missing parents (the systemd driver, for
 * what systemd did not make); a v1 cpuset's empty ones inherit. */
int cg_make_dir (const struct husk_cgroup *cg, const struct cg_place *p, struct husk_error *err);
/* Enable controllers ("+cpu +memory") on the v2 hierarchy from the mount
 * down to the parent of place p. */
int cg_v2_enable (const struct husk_cgroup *cg, const struct cg_place *p, const char *const *ctrls,
                  struct husk_error *err);

/* ------------------------------------------------------------ convert.c */

/* cpu.shares (2..262144) -> cpu.weight (1..10000), runc's formula; 0 -> 0 (unset). */
uint64_t cg_shares_to_weight (uint64_t shares);
/* blkio.weight (10..1000) -> io.weight (1..10000); 0 -> 0. */
uint64_t cg_blkio_to_io_weight (uint64_t weight);
/* memory.swap.max from the memory+swap of the spec: *out is "max" or a
 * number; -ENOENT when nothing is to be written; -EINVAL with a message. */
int cg_swap_to_v2 (bool has_limit, int64_t limit, int64_t swap, char *out, size_t size,
                   struct husk_error *err);
/* cpu.max: "QUOTA PERIOD" / "max PERIOD". */
void cg_cpu_max (bool has_quota, int64_t quota, uint64_t period, char *out, size_t size);
/* A memory/pids value: n, or "max" for -1 (v2) / "-1" (v1). */
void cg_limit_str (int64_t v, bool v2, char *out, size_t size);
/* The values of the resources that no file would take as meant: memory
 * values below -1 ("-1 = unlimited" only), swappiness above 100. Checked
 * before anything is made or written (create and update). */
int cg_resources_check (const struct husk_spec_resources *r, struct husk_error *err);
/* "2MB" -> "2MB" (validated): B, KB, MB, GB, TB, PB. */
int cg_hugepage_size_ok (const char *s);

/* ------------------------------------------------------------ apply.c, v1.c, v2.c */

struct cg_apply_opts
{
  bool devices; /* the device rules even when the resources list none
                     (create: the deny-all base and the defaults) */
  bool update;  /* checkBeforeUpdate applies */
};
/* One controller's part of linux.resources, written in place p. */
typedef int (*cg_apply_fn) (struct husk_cgroup *cg, const struct cg_place *p,
                            const struct husk_spec_resources *r, const struct cg_apply_opts *ao,
                            struct husk_error *err);
#define CG_DECL(name) \
  int cg_v1_##name (struct husk_cgroup *, const struct cg_place *, \
                    const struct husk_spec_resources *, const struct cg_apply_opts *, \
                    struct husk_error *); \
  int cg_v2_##name (struct husk_cgroup *, const struct cg_place *, \
                    const struct husk_spec_resources *, const struct cg_apply_opts *, \
                    struct husk_error *)
CG_DECL (memory);
CG_DECL (cpu);
/* cpuset and pids write the same files on v1 and v2 */
int cg_cpuset (struct husk_cgroup *, const struct cg_place *, const struct husk_spec_resources *,
               const struct cg_apply_opts *, struct husk_error *);
int cg_pids (struct husk_cgroup *, const struct cg_place *, const struct husk_spec_resources *,
             const struct cg_apply_opts *, struct husk_error *);
CG_DECL (blkio);
CG_DECL (hugetlb);
CG_DECL (network);
CG_DECL (rdma);
CG_DECL (devices);
int cg_v2_unified (struct husk_cgroup *, const struct cg_place *,
                   const struct husk_spec_resources *, const struct cg_apply_opts *,
                   struct husk_error *);
/* Every part of the resources, each controller where it is mounted (v1
 * hierarchy, else the v2 one); the v2 controllers needed are enabled first.
 * (Every driver's apply.) */
int cg_apply_files (struct husk_cgroup *cg, const struct husk_spec_resources *r,
                    const struct cg_apply_opts *ao, struct husk_error *err);
/* What the host cannot take, before anything is made or written: a part
 * whose controller the container's cgroup does not have (hybrid: not on
 * the v2 hierarchy either), a huge page size the host lacks,
 * linux.resources.unified without a v2 cgroup or naming a controller
 * the v2 hierarchy lacks. Errors name the field. */
int cg_resources_host_check (const struct husk_cgroup *cg, const struct husk_spec_resources *r,
                             struct husk_error *err);
/* The same on resources already without runc's "0 is not set" fields
 * (cg_resources_host_check takes them out first, as cg_apply does). */
int cg_resources_host_check_set (const struct husk_cgroup *cg, const struct husk_spec_resources *r,
                                 struct husk_error *err);
/* The resources ask for something (a limit, a device rule, a unified key). */
bool cg_resources_used (const struct husk_spec_resources *r);
/* v2 controller names the resources need where they land on v2
 * (NULL-terminated; strings are static or point into r). */
size_t cg_v2_needed (const struct husk_cgroup *cg, const struct husk_spec_resources *r,
                     const char **out, size_t max);

/* ------------------------------------------------------------ devices.c */

/* One rule of the effective device list: deny all, the config's rules,
 * then the default devices allowed (runc's order). linux.devices adds no
 * rule: only linux.resources.devices decides access. */
struct cg_dev_rule
{
  bool allow;
  char type;       /* 'a', 'c', 'b' */
  int64_t major;   /* -1: any */
  int64_t minor;   /* -1: any */
  unsigned access; /* CG_DEV_R | W | M */
};
#define CG_DEV_R 1u
#define CG_DEV_W 2u
#define CG_DEV_M 4u
int cg_dev_rules (const struct husk_spec_resources *r, struct cg_dev_rule **out, size_t *n,
                  struct husk_error *err);
/* v1 line: "c 1:3 rwm", "a *:* rwm". */
void cg_dev_rule_str (const struct cg_dev_rule *r, char *out, size_t size);

/* devices_bpf.c: the v2 device filter. */
struct bpf_insn;
/* The program's instructions (malloc'd). */
int cg_bpf_devices_prog (const struct cg_dev_rule *rules, size_t n, struct bpf_insn **out,
                         size_t *len, struct husk_error *err);
/* Load it and attach it to dirfd, replacing husk's earlier program. */
int cg_bpf_devices_attach (const char *dir, const struct cg_dev_rule *rules, size_t n,
                           struct husk_error *err);

/* ------------------------------------------------------------ freezer.c */

/* v1 (and hybrid): freezer.state of the freezer hierarchy, or
 * cgroup.freeze of the v2 one when there is no v1 freezer. */
int cg_v1_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err);
int cg_v1_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err);
/* v2: cgroup.freeze, cgroup.events. */
int cg_v2_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err);
int cg_v2_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err);
/* create: the container's cgroup (or the nearest parent of it that exists)
 * is not frozen in the v1 freezer or the v2 hierarchy; the error names the
 * cgroup, the file and cgroups_path (may be NULL). */
int cg_check_not_frozen (const struct husk_cgroup *cg, const char *cgroups_path,
                         struct husk_error *err);
/* Thaw the container's cgroup and every sub-cgroup, in the v1 freezer and
 * the v2 hierarchy (delete: a frozen task never dies). */
void cg_thaw_all (const struct husk_cgroup *cg);
/* Sleep ms; false when the wait must end: the caller has a SIGTERM or
 * SIGINT pending (every wait on a cgroup is bounded and interruptible). */
bool cg_wait_ms (long ms);

/* ------------------------------------------------------------ systemd.c */

enum cg_sd_type
{
  CG_SD_STR,
  CG_SD_BOOL,
  CG_SD_U64,
  CG_SD_BYTES,
  CG_SD_PIDS
};
struct cg_sd_prop
{
  const char *name;
  enum cg_sd_type type;
  const char *s;
  bool b;
  uint64_t u;
  uint8_t bytes[128]; /* CG_SD_BYTES: a cpu/node mask */
  size_t bytes_len;
};
/* The unit properties of a scope for the resources (v2: systemd's cgroup
 * v2 names; v1: the legacy ones), in call order. */
int cg_sd_props (const char *slice, const char *description, bool v2,
                 const struct husk_spec_resources *r, struct cg_sd_prop *out, size_t max, size_t *n,
                 struct husk_error *err);
/* "0-3,7" -> a little-endian bit mask as systemd's AllowedCPUs. */
int cg_sd_cpumask (const char *list, uint8_t *out, size_t max, size_t *len);
int cg_sd_start (struct husk_cgroup *cg, pid_t pid, const struct husk_spec_resources *r,
                 struct husk_error *err);
int cg_sd_stop (const struct husk_cgroup *cg, struct husk_error *err);

/* ------------------------------------------------------------ join.c */

/* clone3 with CLONE_INTO_CGROUP into the cgroup directory cgroup_fd (flags
 * as clone's, without the signal): 0 in the child, its pid, or -errno
 * (the caller falls back to clone or fork and cgroup.procs). */
pid_t cg_clone_into (int cgroup_fd, unsigned long flags);
/* exec's clone target (the choice of hk_cgroup_join_fork): *fd the
 * directory to clone into (the driver's clone place, or --cgroup's
 * sub-cgroup below it), -1 when the process must join by pid. */
int cg_join_clone_fd (const struct hk_cgroup_join *j, int *fd, struct husk_error *err);

/* ------------------------------------------------------------ stats.c */

struct yajl_gen_t;
struct husk_stats;
/* The statistics of the cgroup; pid (the init) for the network interfaces
 * (read under the cgroup's fs root), 0 for none. Free with husk_stats_free. */
int cg_stats_collect (const struct husk_cgroup *cg, pid_t pid, struct husk_stats **out,
                      struct husk_error *err);
/* stats_json.c: the "data" object of runc's stats event, from the struct;
 * cg_stats_emit collects and writes it. */
void cg_stats_json (const struct husk_stats *s, struct yajl_gen_t *g);
int cg_stats_emit (const struct husk_cgroup *cg, pid_t pid, struct yajl_gen_t *g,
                   struct husk_error *err);
/* An fd that polls readable on OOM (v1 eventfd, v2 inotify on memory.events;
 * -1 without a memory controller); *count is v2's oom_kill so far. */
int cg_oom_open (const struct husk_cgroup *cg, int *fd, uint64_t *count, struct husk_error *err);
bool cg_oom_check (const struct husk_cgroup *cg, int fd, uint64_t *count);

/* ------------------------------------------------------------ resjson.c */

/* linux.resources as JSON text, and the merge of an update into it. */
int cg_resources_json (const struct husk_spec_resources *r, char **out, struct husk_error *err);
int cg_json_merge (const char *base, const char *update, char **out, struct husk_error *err);
/* linux.resources JSON text (NUL-terminated) into *out, values checked;
 * strict (an update's own text): no unknown member, each of its type. */
struct husk_spec_resources;
int cg_resources_parse (const char *json, bool strict, struct husk_spec_resources **out,
                        struct husk_error *err);
/* Any yajl tree onto a generator; a tree as compact JSON text. */
struct yajl_val_s;
int cg_json_emit (struct yajl_gen_t *g, struct yajl_val_s *v);
int cg_json_text (struct yajl_val_s *v, char **out, struct husk_error *err);
/* v has the shape of linux.resources: only its fields (nothing unknown,
 * no duplicate), each of its JSON type; errors name the field under
 * what ("resources: memory.foo: unknown field"). */
int cg_resources_json_check (struct yajl_val_s *v, const char *what, struct husk_error *err);

#endif
