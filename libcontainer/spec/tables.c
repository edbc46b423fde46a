/* SPDX-License-Identifier: Apache-2.0 */
/* Name tables of config.json values and their lookups. */
#include "config.h"
#include <string.h>
#include "husk/spec.h"
#include "spec_internal.h"

const char *const husk_spec_namespace_names[] = {
  "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time", NULL,
};

/* index == the kernel's CAP_* number */
const char *const husk_spec_capability_names[] = {
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
  NULL,
};

/* index == the kernel's RLIMIT_* number */
const char *const husk_spec_rlimit_names[] = {
  "RLIMIT_CPU",
  "RLIMIT_FSIZE",
  "RLIMIT_DATA",
  "RLIMIT_STACK",
  "RLIMIT_CORE",
  "RLIMIT_RSS",
  "RLIMIT_NPROC",
  "RLIMIT_NOFILE",
  "RLIMIT_MEMLOCK",
  "RLIMIT_AS",
  "RLIMIT_LOCKS",
  "RLIMIT_SIGPENDING",
  "RLIMIT_MSGQUEUE",
  "RLIMIT_NICE",
  "RLIMIT_RTPRIO",
  "RLIMIT_RTTIME",
  NULL,
};

/* One name a line: the index of each is the value it names (spec.h). */
/* clang-format off */
const char *const husk_spec_seccomp_action_names[] = {
  "SCMP_ACT_KILL",
  "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD",
  "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO",
  "SCMP_ACT_TRACE",
  "SCMP_ACT_ALLOW",
  "SCMP_ACT_LOG",
  "SCMP_ACT_NOTIFY",
  NULL,
};

const char *const husk_spec_seccomp_op_names[] = {
  "SCMP_CMP_NE",
  "SCMP_CMP_LT",
  "SCMP_CMP_LE",
  "SCMP_CMP_EQ",
  "SCMP_CMP_GE",
  "SCMP_CMP_GT",
  "SCMP_CMP_MASKED_EQ",
  NULL,
};

const char *const husk_spec_seccomp_arch_names[] = {
  "SCMP_ARCH_X86",
  "SCMP_ARCH_X86_64",
  "SCMP_ARCH_X32",
  "SCMP_ARCH_ARM",
  "SCMP_ARCH_AARCH64",
  "SCMP_ARCH_MIPS",
  "SCMP_ARCH_MIPS64",
  "SCMP_ARCH_MIPS64N32",
  "SCMP_ARCH_MIPSEL",
  "SCMP_ARCH_MIPSEL64",
  "SCMP_ARCH_MIPSEL64N32",
  "SCMP_ARCH_PPC",
  "SCMP_ARCH_PPC64",
  "SCMP_ARCH_PPC64LE",
  "SCMP_ARCH_S390",
  "SCMP_ARCH_S390X",
  "SCMP_ARCH_PARISC",
  "SCMP_ARCH_PARISC64",
  "SCMP_ARCH_RISCV64",
  "SCMP_ARCH_LOONGARCH64",
  "SCMP_ARCH_M68K",
  "SCMP_ARCH_SH",
  "SCMP_ARCH_SHEB",
  NULL,
};
/* clang-format on */

/* bit i == names[i] */
const char *const husk_spec_seccomp_flag_names[] = {
  "SECCOMP_FILTER_FLAG_TSYNC",
  "SECCOMP_FILTER_FLAG_LOG",
  "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
  NULL,
};

const char *const husk_spec_hook_names[] = {
  "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL,
};

const struct spec_name_value spec_ioprio_classes[] = {
  { "IOPRIO_CLASS_RT", HUSK_SPEC_IOPRIO_CLASS_RT },
  { "IOPRIO_CLASS_BE", HUSK_SPEC_IOPRIO_CLASS_BE },
  { "IOPRIO_CLASS_IDLE", HUSK_SPEC_IOPRIO_CLASS_IDLE },
  { NULL, 0 },
};

const struct spec_name_value spec_sched_policies[] = {
  { "SCHED_OTHER", HUSK_SPEC_SCHED_OTHER },
  { "SCHED_FIFO", HUSK_SPEC_SCHED_FIFO },
  { "SCHED_RR", HUSK_SPEC_SCHED_RR },
  { "SCHED_BATCH", HUSK_SPEC_SCHED_BATCH },
  { "SCHED_ISO", HUSK_SPEC_SCHED_ISO },
  { "SCHED_IDLE", HUSK_SPEC_SCHED_IDLE },
  { "SCHED_DEADLINE", HUSK_SPEC_SCHED_DEADLINE },
  { NULL, 0 },
};

/* the kernel's SCHED_FLAG_* bits (include/uapi/linux/sched.h) */
const struct spec_name_value spec_sched_flags[] = {
  { "SCHED_FLAG_RESET_ON_FORK", 0x01 },  { "SCHED_FLAG_RECLAIM", 0x02 },
  { "SCHED_FLAG_DL_OVERRUN", 0x04 },     { "SCHED_FLAG_KEEP_POLICY", 0x08 },
  { "SCHED_FLAG_KEEP_PARAMS", 0x10 },    { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
  { "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 }, { NULL, 0 },
};

const struct spec_name_value spec_mpol_modes[] = {
  { "MPOL_DEFAULT", HUSK_SPEC_MPOL_DEFAULT },
  { "MPOL_BIND", HUSK_SPEC_MPOL_BIND },
  { "MPOL_INTERLEAVE", HUSK_SPEC_MPOL_INTERLEAVE },
  { "MPOL_WEIGHTED_INTERLEAVE", HUSK_SPEC_MPOL_WEIGHTED_INTERLEAVE },
  { "MPOL_PREFERRED", HUSK_SPEC_MPOL_PREFERRED },
  { "MPOL_PREFERRED_MANY", HUSK_SPEC_MPOL_PREFERRED_MANY },
  { "MPOL_LOCAL", HUSK_SPEC_MPOL_LOCAL },
  { NULL, 0 },
};

const struct spec_name_value spec_mpol_flags[] = {
  { "MPOL_F_NUMA_BALANCING", HUSK_SPEC_MPOL_F_NUMA_BALANCING },
  { "MPOL_F_RELATIVE_NODES", HUSK_SPEC_MPOL_F_RELATIVE_NODES },
  { "MPOL_F_STATIC_NODES", HUSK_SPEC_MPOL_F_STATIC_NODES },
  { NULL, 0 },
};

const struct spec_name_value spec_personality_domains[] = {
  { "LINUX", HUSK_SPEC_PER_LINUX },
  { "LINUX32", HUSK_SPEC_PER_LINUX32 },
  { NULL, 0 },
};

int
spec_name_index (const char *const *names, const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; names[i]; i++)
    if (strcmp (names[i], name) == 0)
      return i;
  return -1;
}

int
spec_name_value (const struct spec_name_value *table, const char *name, long *value)
{
  if (name == NULL)
    return -1;
  for (int i = 0; table[i].name; i++)
    if (strcmp (table[i].name, name) == 0)
      {
        *value = table[i].value;
        return 0;
      }
  return -1;
}

int
husk_spec_namespace_from_name (const char *name)
{
  return spec_name_index (husk_spec_namespace_names, name);
}

int
husk_spec_capability_from_name (const char *name)
{
  return spec_name_index (husk_spec_capability_names, name);
}

bool
husk_spec_capability_name_ok (const char *name)
{
  if (name == NULL || strncmp (name, "CAP_", 4) != 0 || name[4] == '\0')
    return false;
  for (const char *p = name + 4; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return false;
  return true;
}

int
husk_spec_rlimit_from_name (const char *name)
{
  return spec_name_index (husk_spec_rlimit_names, name);
}

int
husk_spec_seccomp_action_from_name (const char *name)
{
  return spec_name_index (husk_spec_seccomp_action_names, name);
}

int
husk_spec_seccomp_op_from_name (const char *name)
{
  return spec_name_index (husk_spec_seccomp_op_names, name);
}

int
husk_spec_seccomp_arch_from_name (const char *name)
{
  return spec_name_index (husk_spec_seccomp_arch_names, name);
}

int
husk_spec_seccomp_flag_from_name (const char *name)
{
  return spec_name_index (husk_spec_seccomp_flag_names, name);
}

const struct husk_spec_namespace *
husk_spec_find_namespace (const struct husk_spec *spec, enum husk_spec_ns_type type)
{
  if (spec == NULL || spec->linux_ == NULL)
    return NULL;
  for (size_t i = 0; i < spec->linux_->namespaces_len; i++)
    if (spec->linux_->namespaces[i].type == type)
      return &spec->linux_->namespaces[i];
  return NULL;
}
