/* SPDX-License-Identifier: Apache-2.0 */
/* config.json (OCI runtime-spec 1.3.0, Linux) as typed C structs.
 *
 * Conventions:
 *  - strings are char * and NULL when absent;
 *  - arrays are `T *x; size_t x_len;`.  Arrays of strings are also
 *    NULL-terminated (x[x_len] == NULL) so that args and env go straight to
 *    execve; x is NULL when the property is absent and non-NULL (possibly
 *    empty) when present;
 *  - optional scalars have a `bool has_x` next to them;
 *  - optional objects are pointers, NULL when absent;
 *  - names with a fixed set of values (namespace types, rlimits, seccomp
 *    actions, ...) are kept as written and also resolved to a number at parse
 *    time (-1 when unknown: husk_spec_validate reports it).
 *
 * husk_spec_parse only checks JSON types and integer ranges; unknown
 * properties are ignored as the spec requires.  husk_spec_validate checks
 * semantics.  Every error is one line: "config.json: json.path: problem". */
#ifndef HUSK_SPEC_H
#define HUSK_SPEC_H

#include "husk/export.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "husk/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version husk writes in `husk spec`; any 1.x is accepted. */
#define HUSK_SPEC_OCI_VERSION "1.3.0"
/* The largest user or group id husk sets (as runc): 2^31 - 1. Larger ids
 * wrap to negative values, and 4294967295 is (uid_t) -1, "no change" to
 * setuid(2) and friends, which would leave the process root. */
#define HUSK_UGID_MAX 2147483647u
/* config.json larger than this is refused. */
#define HUSK_SPEC_MAX_SIZE (16 * 1024 * 1024)

struct husk_spec_kv
{
  char *key;
  char *value;
};

struct husk_spec_id_mapping
{
  uint32_t container_id;
  uint32_t host_id;
  uint32_t size;
};

/* ------------------------------------------------------------ process */

struct husk_spec_user
{
  uint32_t uid;
  uint32_t gid;
  bool has_umask;
  uint32_t umask;
  uint32_t *additional_gids;
  size_t additional_gids_len;
};

struct husk_spec_capabilities
{
  char **bounding;
  size_t bounding_len;
  char **effective;
  size_t effective_len;
  char **inheritable;
  size_t inheritable_len;
  char **permitted;
  size_t permitted_len;
  char **ambient;
  size_t ambient_len;
};

struct husk_spec_rlimit
{
  char *type;   /* "RLIMIT_NOFILE" */
  int resource; /* RLIMIT_NOFILE, or -1 when unknown */
  uint64_t soft;
  uint64_t hard;
};

/* Kernel values of IOPRIO_CLASS_*. */
enum husk_spec_ioprio_class
{
  HUSK_SPEC_IOPRIO_CLASS_UNKNOWN = -1,
  HUSK_SPEC_IOPRIO_CLASS_RT = 1,
  HUSK_SPEC_IOPRIO_CLASS_BE = 2,
  HUSK_SPEC_IOPRIO_CLASS_IDLE = 3,
};

struct husk_spec_io_priority
{
  char *class_name; /* "IOPRIO_CLASS_BE" */
  enum husk_spec_ioprio_class class_;
  bool has_priority;
  int32_t priority;
};

/* Kernel values of SCHED_*. */
enum husk_spec_sched_policy
{
  HUSK_SPEC_SCHED_UNKNOWN = -1,
  HUSK_SPEC_SCHED_OTHER = 0,
  HUSK_SPEC_SCHED_FIFO = 1,
  HUSK_SPEC_SCHED_RR = 2,
  HUSK_SPEC_SCHED_BATCH = 3,
  HUSK_SPEC_SCHED_ISO = 4,
  HUSK_SPEC_SCHED_IDLE = 5,
  HUSK_SPEC_SCHED_DEADLINE = 6,
};

struct husk_spec_scheduler
{
  char *policy_name; /* "SCHED_OTHER" */
  enum husk_spec_sched_policy policy;
  bool has_nice;
  int32_t nice;
  bool has_priority;
  int32_t priority;
  char **flags; /* "SCHED_FLAG_RESET_ON_FORK", ... */
  size_t flags_len;
  uint64_t flags_mask; /* kernel SCHED_FLAG_* bits of the known flags */
  bool has_runtime;
  uint64_t runtime;
  bool has_deadline;
  uint64_t deadline;
  bool has_period;
  uint64_t period;
};

struct husk_spec_cpu_affinity
{
  char *initial; /* CPU list "0-3,7" */
  char *final;
};

struct husk_spec_process
{
  bool terminal;
  bool has_console_size;
  uint32_t console_height;
  uint32_t console_width;
  struct husk_spec_user user;
  char **args;
  size_t args_len;
  char *command_line; /* Windows only; kept */
  char **env;
  size_t env_len;
  char *cwd;
  struct husk_spec_capabilities *capabilities;
  struct husk_spec_rlimit *rlimits;
  size_t rlimits_len;
  bool no_new_privileges;
  char *apparmor_profile;
  bool has_oom_score_adj;
  int32_t oom_score_adj;
  char *selinux_label;
  struct husk_spec_io_priority *io_priority;
  struct husk_spec_scheduler *scheduler;
  struct husk_spec_cpu_affinity *exec_cpu_affinity;
};

/* ------------------------------------------------------------ mounts, hooks */

struct husk_spec_mount
{
  char *destination; /* may be relative: see husk_spec_validate */
  char *source;
  char *type;
  char **options;
  size_t options_len;
  struct husk_spec_id_mapping *uid_mappings;
  size_t uid_mappings_len;
  struct husk_spec_id_mapping *gid_mappings;
  size_t gid_mappings_len;
};

struct husk_spec_hook
{
  char *path;
  char **args;
  size_t args_len;
  char **env;
  size_t env_len;
  bool has_timeout;
  int timeout; /* seconds, > 0 */
};

enum husk_spec_hook_kind
{
  HUSK_SPEC_HOOK_PRESTART = 0,
  HUSK_SPEC_HOOK_CREATE_RUNTIME,
  HUSK_SPEC_HOOK_CREATE_CONTAINER,
  HUSK_SPEC_HOOK_START_CONTAINER,
  HUSK_SPEC_HOOK_POSTSTART,
  HUSK_SPEC_HOOK_POSTSTOP,
  HUSK_SPEC_HOOK__COUNT
};

struct husk_spec_hooks
{
  /* indexed by enum husk_spec_hook_kind; the names are husk_spec_hook_names[] */
  struct husk_spec_hook *list[HUSK_SPEC_HOOK__COUNT];
  size_t len[HUSK_SPEC_HOOK__COUNT];
};

/* ------------------------------------------------------------ linux */

enum husk_spec_ns_type
{
  HUSK_SPEC_NS_UNKNOWN = -1,
  HUSK_SPEC_NS_PID = 0,
  HUSK_SPEC_NS_NETWORK,
  HUSK_SPEC_NS_MOUNT,
  HUSK_SPEC_NS_IPC,
  HUSK_SPEC_NS_UTS,
  HUSK_SPEC_NS_USER,
  HUSK_SPEC_NS_CGROUP,
  HUSK_SPEC_NS_TIME,
  HUSK_SPEC_NS__COUNT
};

struct husk_spec_namespace
{
  char *type_name; /* as written: "pid" */
  enum husk_spec_ns_type type;
  char *path; /* NULL: create a new one */
};

struct husk_spec_time_offset
{
  char *clock; /* "monotonic" or "boottime" */
  bool has_secs;
  int64_t secs;
  bool has_nanosecs;
  uint32_t nanosecs;
};

struct husk_spec_device
{
  char *type; /* "c", "b", "u" or "p" */
  char *path;
  bool has_major;
  int64_t major;
  bool has_minor;
  int64_t minor;
  bool has_file_mode;
  uint32_t file_mode;
  bool has_uid;
  uint32_t uid;
  bool has_gid;
  uint32_t gid;
};

struct husk_spec_net_device
{
  char *host_name; /* the key of linux.netDevices */
  char *name;      /* the name inside the container; NULL: same */
};

/* linux.resources */
struct husk_spec_device_cgroup
{
  bool allow;
  char *type; /* "a", "c", "b"; NULL means all */
  bool has_major;
  int64_t major;
  bool has_minor;
  int64_t minor;
  char *access; /* subset of "rwm"; NULL means all */
};

struct husk_spec_memory
{
  bool has_limit;
  int64_t limit;
  bool has_reservation;
  int64_t reservation;
  bool has_swap;
  int64_t swap;
  bool has_kernel;
  int64_t kernel;
  bool has_kernel_tcp;
  int64_t kernel_tcp;
  bool has_swappiness;
  uint64_t swappiness;
  bool has_disable_oom_killer;
  bool disable_oom_killer;
  bool has_use_hierarchy;
  bool use_hierarchy;
  bool has_check_before_update;
  bool check_before_update;
};

struct husk_spec_cpu
{
  bool has_shares;
  uint64_t shares;
  bool has_quota;
  int64_t quota;
  bool has_burst;
  uint64_t burst;
  bool has_period;
  uint64_t period;
  bool has_realtime_runtime;
  int64_t realtime_runtime;
  bool has_realtime_period;
  uint64_t realtime_period;
  char *cpus;
  char *mems;
  bool has_idle;
  int64_t idle;
};

struct husk_spec_weight_device
{
  int64_t major;
  int64_t minor;
  bool has_weight;
  uint16_t weight;
  bool has_leaf_weight;
  uint16_t leaf_weight;
};

struct husk_spec_throttle_device
{
  int64_t major;
  int64_t minor;
  uint64_t rate;
};

struct husk_spec_block_io
{
  bool has_weight;
  uint16_t weight;
  bool has_leaf_weight;
  uint16_t leaf_weight;
  struct husk_spec_weight_device *weight_device;
  size_t weight_device_len;
  struct husk_spec_throttle_device *throttle_read_bps_device;
  size_t throttle_read_bps_device_len;
  struct husk_spec_throttle_device *throttle_write_bps_device;
  size_t throttle_write_bps_device_len;
  struct husk_spec_throttle_device *throttle_read_iops_device;
  size_t throttle_read_iops_device_len;
  struct husk_spec_throttle_device *throttle_write_iops_device;
  size_t throttle_write_iops_device_len;
};

struct husk_spec_hugepage_limit
{
  char *page_size; /* "2MB" */
  uint64_t limit;
};

struct husk_spec_net_priority
{
  char *name;
  uint32_t priority;
};

struct husk_spec_network
{
  bool has_class_id;
  uint32_t class_id;
  struct husk_spec_net_priority *priorities;
  size_t priorities_len;
};

struct husk_spec_rdma
{
  char *device; /* the key of linux.resources.rdma */
  bool has_hca_handles;
  uint32_t hca_handles;
  bool has_hca_objects;
  uint32_t hca_objects;
};

struct husk_spec_resources
{
  struct husk_spec_device_cgroup *devices;
  size_t devices_len;
  struct husk_spec_memory *memory;
  struct husk_spec_cpu *cpu;
  bool has_pids_limit; /* linux.resources.pids.limit */
  int64_t pids_limit;
  bool has_pids; /* linux.resources.pids present */
  struct husk_spec_block_io *block_io;
  struct husk_spec_hugepage_limit *hugepage_limits;
  size_t hugepage_limits_len;
  struct husk_spec_network *network;
  struct husk_spec_rdma *rdma;
  size_t rdma_len;
  struct husk_spec_kv *unified;
  size_t unified_len;
};

struct husk_spec_intel_rdt
{
  char *clos_id;
  char *l3_cache_schema;
  char *mem_bw_schema;
  char **schemata;
  size_t schemata_len;
  bool enable_monitoring;
  bool enable_cmt; /* 1.1/1.2 names, still read */
  bool enable_mbm;
};

/* Kernel values of MPOL_* and MPOL_F_*. */
enum husk_spec_mpol_mode
{
  HUSK_SPEC_MPOL_UNKNOWN = -1,
  HUSK_SPEC_MPOL_DEFAULT = 0,
  HUSK_SPEC_MPOL_PREFERRED = 1,
  HUSK_SPEC_MPOL_BIND = 2,
  HUSK_SPEC_MPOL_INTERLEAVE = 3,
  HUSK_SPEC_MPOL_LOCAL = 4,
  HUSK_SPEC_MPOL_PREFERRED_MANY = 5,
  HUSK_SPEC_MPOL_WEIGHTED_INTERLEAVE = 6,
};
#define HUSK_SPEC_MPOL_F_STATIC_NODES (1u << 15)
#define HUSK_SPEC_MPOL_F_RELATIVE_NODES (1u << 14)
#define HUSK_SPEC_MPOL_F_NUMA_BALANCING (1u << 13)

struct husk_spec_memory_policy
{
  char *mode_name;
  enum husk_spec_mpol_mode mode;
  char *nodes; /* node list "0-3"; NULL when absent */
  char **flags;
  size_t flags_len;
  uint32_t flags_mask; /* HUSK_SPEC_MPOL_F_* of the known flags */
};

/* Index in husk_spec_seccomp_action_names[]. */
enum husk_spec_seccomp_action
{
  HUSK_SPEC_SECCOMP_ACT_UNKNOWN = -1,
  HUSK_SPEC_SECCOMP_ACT_KILL = 0,
  HUSK_SPEC_SECCOMP_ACT_KILL_PROCESS,
  HUSK_SPEC_SECCOMP_ACT_KILL_THREAD,
  HUSK_SPEC_SECCOMP_ACT_TRAP,
  HUSK_SPEC_SECCOMP_ACT_ERRNO,
  HUSK_SPEC_SECCOMP_ACT_TRACE,
  HUSK_SPEC_SECCOMP_ACT_ALLOW,
  HUSK_SPEC_SECCOMP_ACT_LOG,
  HUSK_SPEC_SECCOMP_ACT_NOTIFY,
};

/* Index in husk_spec_seccomp_op_names[]. */
enum husk_spec_seccomp_op
{
  HUSK_SPEC_SECCOMP_OP_UNKNOWN = -1,
  HUSK_SPEC_SECCOMP_OP_NE = 0,
  HUSK_SPEC_SECCOMP_OP_LT,
  HUSK_SPEC_SECCOMP_OP_LE,
  HUSK_SPEC_SECCOMP_OP_EQ,
  HUSK_SPEC_SECCOMP_OP_GE,
  HUSK_SPEC_SECCOMP_OP_GT,
  HUSK_SPEC_SECCOMP_OP_MASKED_EQ,
};

/* Bits of the seccomp flags; bit i is husk_spec_seccomp_flag_names[i]. */
#define HUSK_SPEC_SECCOMP_FLAG_TSYNC (1u << 0)
#define HUSK_SPEC_SECCOMP_FLAG_LOG (1u << 1)
#define HUSK_SPEC_SECCOMP_FLAG_SPEC_ALLOW (1u << 2)
#define HUSK_SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV (1u << 3)

struct husk_spec_seccomp_arg
{
  uint32_t index;
  uint64_t value;
  bool has_value_two;
  uint64_t value_two;
  char *op_name;
  enum husk_spec_seccomp_op op;
};

struct husk_spec_seccomp_syscall
{
  char **names;
  size_t names_len;
  char *action_name;
  enum husk_spec_seccomp_action action;
  bool has_errno_ret;
  uint32_t errno_ret;
  struct husk_spec_seccomp_arg *args;
  size_t args_len;
};

struct husk_spec_seccomp
{
  char *default_action_name;
  enum husk_spec_seccomp_action default_action;
  bool has_default_errno_ret;
  uint32_t default_errno_ret;
  char **architectures; /* "SCMP_ARCH_X86_64", ...: index with husk_spec_seccomp_arch_from_name */
  size_t architectures_len;
  char **flags;
  size_t flags_len;
  uint32_t flags_mask; /* HUSK_SPEC_SECCOMP_FLAG_* of the known flags */
  char *listener_path;
  char *listener_metadata;
  struct husk_spec_seccomp_syscall *syscalls;
  size_t syscalls_len;
};

enum husk_spec_personality_domain
{
  HUSK_SPEC_PER_UNKNOWN = -1,
  HUSK_SPEC_PER_LINUX = 0x0000,   /* kernel PER_LINUX */
  HUSK_SPEC_PER_LINUX32 = 0x0008, /* kernel PER_LINUX32 */
};

struct husk_spec_personality
{
  char *domain_name;
  enum husk_spec_personality_domain domain;
  char **flags;
  size_t flags_len;
};

struct husk_spec_linux
{
  struct husk_spec_namespace *namespaces;
  size_t namespaces_len;
  struct husk_spec_id_mapping *uid_mappings;
  size_t uid_mappings_len;
  struct husk_spec_id_mapping *gid_mappings;
  size_t gid_mappings_len;
  struct husk_spec_time_offset *time_offsets; /* in JSON order */
  size_t time_offsets_len;
  struct husk_spec_device *devices;
  size_t devices_len;
  struct husk_spec_net_device *net_devices; /* in JSON order */
  size_t net_devices_len;
  char *cgroups_path;
  struct husk_spec_resources *resources;
  struct husk_spec_intel_rdt *intel_rdt;
  struct husk_spec_memory_policy *memory_policy;
  struct husk_spec_kv *sysctl; /* in JSON order */
  size_t sysctl_len;
  struct husk_spec_seccomp *seccomp;
  char *rootfs_propagation;
  char **masked_paths;
  size_t masked_paths_len;
  char **readonly_paths;
  size_t readonly_paths_len;
  char *mount_label;
  struct husk_spec_personality *personality;
};

/* ------------------------------------------------------------ the config */

struct husk_spec_root
{
  char *path; /* NULL if absent */
  bool readonly;
};

struct husk_spec
{
  char *oci_version;
  struct husk_spec_root root;
  struct husk_spec_process *process; /* NULL if absent */
  char *hostname;
  char *domainname;
  struct husk_spec_mount *mounts;
  size_t mounts_len;
  struct husk_spec_hooks hooks;     /* all lists empty when absent */
  struct husk_spec_kv *annotations; /* in JSON order */
  size_t annotations_len;
  struct husk_spec_linux *linux_; /* NULL if absent */
};

/* Parse JSON text. name prefixes every error ("config.json"). Checks JSON
 * types and integer ranges only. */
HUSK_API int husk_spec_parse (const char *data, size_t len, const char *name,
                              struct husk_spec **out, struct husk_error *err);

/* Semantic validation; errors are "NAME: json.path: problem". */
HUSK_API int husk_spec_validate (const struct husk_spec *spec, const char *name,
                                 struct husk_error *err);

/* Read BUNDLE/config.json, parse and validate it. */
HUSK_API int husk_spec_load (const char *bundle, struct husk_spec **out, struct husk_error *err);
/* The same, also handing out the file's text (NUL-terminated) in *raw. */
HUSK_API int husk_spec_load_raw (const char *bundle, struct husk_spec **out, char **raw,
                                 size_t *raw_len, struct husk_error *err);

HUSK_API void husk_spec_free (struct husk_spec *spec);

/* The default config of `husk spec` (runc's defaults), indented with tabs,
 * no trailing newline. The caller frees *out. */
HUSK_API int husk_spec_default_json (bool rootless, char **out, size_t *len,
                                     struct husk_error *err);

/* The namespace of a type, or NULL. */
HUSK_API const struct husk_spec_namespace *husk_spec_find_namespace (const struct husk_spec *spec,
                                                                     enum husk_spec_ns_type type);

/* Name lookups, -1 when unknown. */
HUSK_API int husk_spec_namespace_from_name (const char *name);  /* enum husk_spec_ns_type */
HUSK_API int husk_spec_capability_from_name (const char *name); /* CAP_* number */
/* "CAP_" and upper-case letters, digits or _: a capability name, known to
 * husk or not (an unknown one is dropped with a warning, as runc). */
HUSK_API bool husk_spec_capability_name_ok (const char *name);
HUSK_API int husk_spec_rlimit_from_name (const char *name); /* RLIMIT_* number */
HUSK_API int husk_spec_seccomp_action_from_name (const char *name);
HUSK_API int husk_spec_seccomp_op_from_name (const char *name);
HUSK_API int
husk_spec_seccomp_arch_from_name (const char *name); /* index in husk_spec_seccomp_arch_names */
HUSK_API int husk_spec_seccomp_flag_from_name (const char *name); /* bit number */

/* NULL-terminated name tables (for `husk features` and validation). */
extern HUSK_API const char *const husk_spec_namespace_names[];  /* enum husk_spec_ns_type order */
extern HUSK_API const char *const husk_spec_capability_names[]; /* index == CAP_* number */
extern HUSK_API const char *const husk_spec_rlimit_names[];     /* index == RLIMIT_* number */
extern HUSK_API const char
    *const husk_spec_seccomp_action_names[]; /* enum husk_spec_seccomp_action order */
extern HUSK_API const char
    *const husk_spec_seccomp_op_names[]; /* enum husk_spec_seccomp_op order */
extern HUSK_API const char *const husk_spec_seccomp_arch_names[];
extern HUSK_API const char *const husk_spec_seccomp_flag_names[]; /* bit order */
extern HUSK_API const char *const husk_spec_hook_names[]; /* enum husk_spec_hook_kind order */

/* The file below /proc/sys that the linux.sysctl key names, as sysctl(8)
 * reads it: "net.ipv4.ip_forward" and "net/ipv4/ip_forward" both give
 * "net/ipv4/ip_forward"; when the first separator is a dot, a slash stands
 * for a dot in a name ("net.ipv4.conf.eth0/100.forwarding": the interface
 * eth0.100). -EINVAL, with out untouched, for an empty key, an empty, "."
 * or ".." component, or one that does not fit in size. */
HUSK_API int husk_spec_sysctl_path (const char *key, char *out, size_t size);

#ifdef __cplusplus
}
#endif
#endif
