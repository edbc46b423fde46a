/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of config.json parsing: a full config read back field by field,
 * the example config, the default config of `husk spec`, unknown properties,
 * the name tables. The error cases are in test_spec_errors.c. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include "husk/husk.h"
#include "utils.h"
#include "tap.h"

static char *
read_src (const char *rel)
{
  const char *dir = getenv ("HUSK_SRCDIR");
  char path[4096];
  char *data = NULL;
  size_t len;
  struct husk_error err = { 0 };
  snprintf (path, sizeof path, "%s/%s", dir && *dir ? dir : ".", rel);
  if (hk_read_file (path, HUSK_SPEC_MAX_SIZE, &data, &len, &err) < 0)
    {
      printf ("# %s\n", err.msg);
      return NULL;
    }
  return data;
}

static struct husk_spec *
parse_src (const char *rel, struct husk_error *err)
{
  char *data = read_src (rel);
  struct husk_spec *spec = NULL;
  if (data == NULL)
    return NULL;
  if (husk_spec_parse (data, strlen (data), "config.json", &spec, err) < 0)
    printf ("# %s\n", err->msg);
  free (data);
  return spec;
}

static void
test_full (void)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = parse_src ("tests/unit/fixtures/full.json", &err);
  ok (s != NULL, "full.json parses");
  if (s == NULL)
    return;
  is_int (husk_spec_validate (s, "config.json", &err), 0, "full.json validates");
  is_str (s->oci_version, "1.3.0-rc.1", "ociVersion");
  is_str (s->root.path, "/var/lib/husk/rootfs", "root.path");
  ok (!s->root.readonly, "root.readonly false");
  is_str (s->hostname, "full", "hostname");
  is_str (s->domainname, "full.example", "domainname");

  /* process */
  const struct husk_spec_process *p = s->process;
  ok (p && p->terminal, "process.terminal");
  ok (p->has_console_size && p->console_height == 40 && p->console_width == 120, "consoleSize");
  ok (p->user.uid == 1000 && p->user.gid == 1001, "user.uid/gid");
  ok (p->user.has_umask && p->user.umask == 63, "user.umask");
  ok (p->user.additional_gids_len == 3 && p->user.additional_gids[0] == 5
          && p->user.additional_gids[2] == 2147483647u,
      "user.additionalGids up to uint32 max");
  ok (p->args_len == 3 && strcmp (p->args[2], "echo hi") == 0 && p->args[3] == NULL,
      "args, NULL-terminated");
  is_str (p->command_line, "sh -c \"echo hi\"", "commandLine");
  ok (p->env_len == 3 && strcmp (p->env[1], "A=b=c") == 0 && p->env[3] == NULL, "env");
  is_str (p->cwd, "/work", "cwd");
  ok (p->capabilities && p->capabilities->bounding_len == 2
          && strcmp (p->capabilities->bounding[1], "CAP_KILL") == 0,
      "capabilities.bounding");
  ok (p->capabilities->effective_len == 1, "capabilities.effective");
  ok (p->capabilities->inheritable != NULL && p->capabilities->inheritable_len == 0,
      "capabilities.inheritable present and empty");
  ok (p->capabilities->permitted_len == 3
          && strcmp (p->capabilities->permitted[2], "CAP_CHECKPOINT_RESTORE") == 0,
      "capabilities.permitted");
  ok (p->capabilities->ambient_len == 1 && strcmp (p->capabilities->ambient[0], "CAP_NET_RAW") == 0,
      "capabilities.ambient");
  ok (p->rlimits_len == 2 && p->rlimits[0].resource == RLIMIT_NOFILE && p->rlimits[0].soft == 1024
          && p->rlimits[0].hard == 4096,
      "rlimits[0]");
  ok (p->rlimits[1].resource == RLIMIT_CORE && p->rlimits[1].hard == UINT64_MAX,
      "rlimits[1] hard is uint64 max");
  ok (p->no_new_privileges, "noNewPrivileges");
  is_str (p->apparmor_profile, "husk-default", "apparmorProfile");
  ok (p->has_oom_score_adj && p->oom_score_adj == -500, "oomScoreAdj");
  is_str (p->selinux_label, "system_u:system_r:container_t:s0:c1,c2", "selinuxLabel");
  ok (p->io_priority && p->io_priority->class_ == HUSK_SPEC_IOPRIO_CLASS_IDLE
          && p->io_priority->has_priority && p->io_priority->priority == 7,
      "ioPriority");
  const struct husk_spec_scheduler *sch = p->scheduler;
  ok (sch && sch->policy == HUSK_SPEC_SCHED_DEADLINE && sch->has_nice && sch->nice == -5
          && sch->has_priority && sch->priority == 0,
      "scheduler policy/nice/priority");
  ok (sch->flags_len == 2 && sch->flags_mask == (0x01 | 0x04), "scheduler.flags");
  ok (sch->runtime == 10000000 && sch->deadline == 20000000 && sch->period == 30000000
          && sch->has_runtime && sch->has_deadline && sch->has_period,
      "scheduler runtime/deadline/period");
  ok (p->exec_cpu_affinity && strcmp (p->exec_cpu_affinity->initial, "0-1") == 0
          && strcmp (p->exec_cpu_affinity->final, "2,3") == 0,
      "execCPUAffinity");

  /* mounts */
  ok (s->mounts_len == 2, "mounts count");
  const struct husk_spec_mount *m = &s->mounts[1];
  ok (strcmp (m->destination, "/data") == 0 && strcmp (m->type, "none") == 0
          && strcmp (m->source, "/srv/data") == 0,
      "mount destination/type/source");
  ok (m->options_len == 3 && strcmp (m->options[2], "idmap") == 0, "mount options");
  ok (m->uid_mappings_len == 1 && m->uid_mappings[0].host_id == 100000
          && m->uid_mappings[0].size == 65536,
      "mount uidMappings");
  ok (m->gid_mappings_len == 1 && m->gid_mappings[0].host_id == 200000, "mount gidMappings");
  ok (s->mounts[0].options == NULL && s->mounts[0].uid_mappings_len == 0,
      "absent mount options are NULL");

  /* hooks */
  const struct husk_spec_hooks *h = &s->hooks;
  ok (h->len[HUSK_SPEC_HOOK_PRESTART] == 1
          && strcmp (h->list[HUSK_SPEC_HOOK_PRESTART][0].path, "/usr/bin/prestart") == 0,
      "hooks.prestart");
  ok (h->list[HUSK_SPEC_HOOK_PRESTART][0].args_len == 2
          && h->list[HUSK_SPEC_HOOK_PRESTART][0].env_len == 1
          && h->list[HUSK_SPEC_HOOK_PRESTART][0].has_timeout
          && h->list[HUSK_SPEC_HOOK_PRESTART][0].timeout == 3,
      "prestart args/env/timeout");
  ok (h->len[HUSK_SPEC_HOOK_CREATE_RUNTIME] == 2
          && !h->list[HUSK_SPEC_HOOK_CREATE_RUNTIME][0].has_timeout
          && h->list[HUSK_SPEC_HOOK_CREATE_RUNTIME][1].timeout == 1,
      "hooks.createRuntime");
  ok (h->len[HUSK_SPEC_HOOK_CREATE_CONTAINER] == 1 && h->len[HUSK_SPEC_HOOK_START_CONTAINER] == 1
          && h->len[HUSK_SPEC_HOOK_POSTSTART] == 1 && h->len[HUSK_SPEC_HOOK_POSTSTOP] == 1,
      "every hook kind read");
  is_str (h->list[HUSK_SPEC_HOOK_POSTSTOP][0].path, "/usr/bin/poststop", "hooks.poststop");

  /* annotations keep their order */
  ok (s->annotations_len == 3 && strcmp (s->annotations[0].key, "z.last") == 0
          && strcmp (s->annotations[1].key, "a.first") == 0
          && strcmp (s->annotations[2].value, "") == 0,
      "annotations in JSON order");

  /* linux */
  const struct husk_spec_linux *l = s->linux_;
  ok (l && l->namespaces_len == 8, "namespaces count");
  ok (l->namespaces[1].type == HUSK_SPEC_NS_NETWORK
          && strcmp (l->namespaces[1].path, "/var/run/netns/full") == 0,
      "namespace type and path");
  ok (l->namespaces[7].type == HUSK_SPEC_NS_TIME && l->namespaces[7].path == NULL,
      "time namespace, no path");
  ok (husk_spec_find_namespace (s, HUSK_SPEC_NS_USER) == &l->namespaces[5],
      "husk_spec_find_namespace");
  ok (l->uid_mappings_len == 1 && l->uid_mappings[0].container_id == 0
          && l->uid_mappings[0].host_id == 100000 && l->uid_mappings[0].size == 65536,
      "uidMappings");
  ok (l->gid_mappings_len == 2 && l->gid_mappings[1].container_id == 1000
          && l->gid_mappings[1].host_id == 300000,
      "gidMappings");
  ok (l->time_offsets_len == 2 && strcmp (l->time_offsets[0].clock, "monotonic") == 0
          && l->time_offsets[0].secs == -86400 && l->time_offsets[0].nanosecs == 500,
      "timeOffsets.monotonic");
  ok (strcmp (l->time_offsets[1].clock, "boottime") == 0 && l->time_offsets[1].has_secs
          && !l->time_offsets[1].has_nanosecs,
      "timeOffsets.boottime");
  const struct husk_spec_device *d = &l->devices[0];
  ok (l->devices_len == 2 && strcmp (d->type, "c") == 0 && strcmp (d->path, "/dev/fuse") == 0
          && d->major == 10 && d->minor == 229,
      "devices[0]");
  ok (d->has_file_mode && d->file_mode == 438 && d->uid == 1 && d->gid == 2, "device mode/uid/gid");
  ok (!l->devices[1].has_major && !l->devices[1].has_file_mode, "fifo device without numbers");
  ok (l->net_devices_len == 2 && strcmp (l->net_devices[0].host_name, "eth1") == 0
          && strcmp (l->net_devices[0].name, "net0") == 0 && l->net_devices[1].name == NULL,
      "netDevices");
  is_str (l->cgroups_path, "system.slice:husk:full", "cgroupsPath");

  const struct husk_spec_resources *r = l->resources;
  ok (r && r->devices_len == 3 && !r->devices[0].allow && strcmp (r->devices[0].access, "rwm") == 0
          && r->devices[0].type == NULL,
      "resources.devices deny all");
  ok (r->devices[1].allow && strcmp (r->devices[1].type, "c") == 0 && r->devices[1].major == 10
          && r->devices[1].minor == 229 && !r->devices[2].has_minor,
      "resources.devices allow");
  const struct husk_spec_memory *mem = r->memory;
  ok (mem && mem->limit == 536870912 && mem->reservation == 268435456 && mem->swap == -1,
      "memory limit/reservation/swap");
  ok (mem->kernel == 1 && mem->kernel_tcp == 2 && mem->swappiness == 60 && mem->has_swappiness,
      "memory kernel/kernelTCP/swappiness");
  ok (mem->has_disable_oom_killer && mem->disable_oom_killer && mem->has_use_hierarchy
          && !mem->use_hierarchy && mem->has_check_before_update && mem->check_before_update,
      "memory booleans");
  const struct husk_spec_cpu *cpu = r->cpu;
  ok (cpu && cpu->shares == 512 && cpu->quota == -1 && cpu->burst == 1000 && cpu->period == 100000,
      "cpu shares/quota/burst/period");
  ok (cpu->realtime_runtime == 950000 && cpu->realtime_period == 1000000
          && strcmp (cpu->cpus, "0-3") == 0 && strcmp (cpu->mems, "0") == 0 && cpu->has_idle
          && cpu->idle == 1,
      "cpu realtime/cpus/mems/idle");
  ok (r->has_pids && r->has_pids_limit && r->pids_limit == -1, "pids.limit");
  const struct husk_spec_block_io *b = r->block_io;
  ok (b && b->weight == 500 && b->leaf_weight == 300 && b->weight_device_len == 2
          && b->weight_device[0].weight == 200 && b->weight_device[0].leaf_weight == 100
          && !b->weight_device[1].has_weight,
      "blockIO weights");
  ok (b->throttle_read_bps_device_len == 1 && b->throttle_read_bps_device[0].rate == 1048576
          && b->throttle_write_bps_device[0].minor == 1
          && b->throttle_read_iops_device[0].rate == 100
          && b->throttle_write_iops_device[0].rate == 200,
      "blockIO throttles");
  ok (r->hugepage_limits_len == 2 && strcmp (r->hugepage_limits[0].page_size, "2MB") == 0
          && r->hugepage_limits[0].limit == 209715200,
      "hugepageLimits");
  ok (r->network && r->network->has_class_id && r->network->class_id == 1048577
          && r->network->priorities_len == 2 && r->network->priorities[1].priority == 1000,
      "network");
  ok (r->rdma_len == 2 && strcmp (r->rdma[0].device, "mlx5_1") == 0 && r->rdma[0].hca_handles == 3
          && r->rdma[0].hca_objects == 10000 && !r->rdma[1].has_hca_handles,
      "rdma");
  ok (r->unified_len == 2 && strcmp (r->unified[1].key, "io.weight") == 0
          && strcmp (r->unified[1].value, "default 100") == 0,
      "unified");

  const struct husk_spec_intel_rdt *rdt = l->intel_rdt;
  ok (rdt && strcmp (rdt->clos_id, "guaranteed_group") == 0
          && strcmp (rdt->l3_cache_schema, "L3:0=7f0;1=1f") == 0
          && strcmp (rdt->mem_bw_schema, "MB:0=20;1=70") == 0 && rdt->schemata_len == 2
          && rdt->enable_monitoring,
      "intelRdt");
  const struct husk_spec_memory_policy *mp = l->memory_policy;
  ok (mp && mp->mode == HUSK_SPEC_MPOL_BIND && strcmp (mp->nodes, "0-1") == 0
          && mp->flags_mask == (HUSK_SPEC_MPOL_F_STATIC_NODES | HUSK_SPEC_MPOL_F_NUMA_BALANCING),
      "memoryPolicy");
  ok (l->sysctl_len == 2 && strcmp (l->sysctl[0].key, "net.ipv4.ip_forward") == 0
          && strcmp (l->sysctl[1].value, "4294967295") == 0,
      "sysctl");

  const struct husk_spec_seccomp *sc = l->seccomp;
  ok (sc && sc->default_action == HUSK_SPEC_SECCOMP_ACT_ERRNO && sc->has_default_errno_ret
          && sc->default_errno_ret == 38,
      "seccomp defaultAction/defaultErrnoRet");
  ok (sc->architectures_len == 2 && strcmp (sc->architectures[1], "SCMP_ARCH_RISCV64") == 0,
      "seccomp architectures");
  ok (sc->flags_mask == (HUSK_SPEC_SECCOMP_FLAG_LOG | HUSK_SPEC_SECCOMP_FLAG_SPEC_ALLOW),
      "seccomp flags");
  is_str (sc->listener_path, "/run/seccomp-agent.sock", "seccomp listenerPath");
  is_str (sc->listener_metadata, "meta", "seccomp listenerMetadata");
  ok (sc->syscalls_len == 3 && sc->syscalls[0].names_len == 3
          && sc->syscalls[0].action == HUSK_SPEC_SECCOMP_ACT_ALLOW
          && !sc->syscalls[0].has_errno_ret,
      "seccomp syscalls[0]");
  ok (sc->syscalls[1].action == HUSK_SPEC_SECCOMP_ACT_NOTIFY, "seccomp notify action");
  const struct husk_spec_seccomp_syscall *clone = &sc->syscalls[2];
  ok (clone->has_errno_ret && clone->errno_ret == 1 && clone->args_len == 2, "seccomp errnoRet");
  ok (clone->args[0].index == 0 && clone->args[0].value == 2114060288
          && clone->args[0].has_value_two && clone->args[0].value_two == 0
          && clone->args[0].op == HUSK_SPEC_SECCOMP_OP_MASKED_EQ,
      "seccomp args[0]");
  ok (clone->args[1].index == 5 && clone->args[1].value == UINT64_MAX
          && !clone->args[1].has_value_two && clone->args[1].op == HUSK_SPEC_SECCOMP_OP_NE,
      "seccomp args[1] value is uint64 max");
  is_str (l->rootfs_propagation, "rslave", "rootfsPropagation");
  ok (l->masked_paths_len == 2 && strcmp (l->masked_paths[1], "/sys/firmware") == 0, "maskedPaths");
  ok (l->readonly_paths_len == 1 && l->readonly_paths[1] == NULL, "readonlyPaths");
  is_str (l->mount_label, "system_u:object_r:container_file_t:s0:c1,c2", "mountLabel");
  ok (l->personality && l->personality->domain == HUSK_SPEC_PER_LINUX32
          && l->personality->flags == NULL,
      "personality");
  husk_spec_free (s);
}

static void
test_example (void)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = parse_src ("config.json.example", &err);
  ok (s != NULL, "config.json.example parses");
  if (s == NULL)
    return;
  is_int (husk_spec_validate (s, "config.json", &err), 0, "config.json.example validates");
  ok (s->process && strcmp (s->process->args[0], "sh") == 0, "example runs sh");
  ok (s->linux_ && s->linux_->seccomp && s->linux_->resources && s->hooks.len[1] == 1,
      "example has seccomp, resources and hooks");
  husk_spec_free (s);
}

static void
test_unknown (void)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = parse_src ("tests/unit/fixtures/unknown.json", &err);
  ok (s != NULL, "unknown properties are ignored at every level");
  if (s == NULL)
    return;
  is_int (husk_spec_validate (s, "config.json", &err), 0,
          "config with unknown properties validates");
  ok (s->hostname == NULL, "null is the same as absent");
  ok (s->hooks.len[HUSK_SPEC_HOOK_PRESTART] == 1, "known hook kinds still read");
  husk_spec_free (s);
}

static void
test_load (void)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = NULL;
  char dir[] = "/tmp/husk-test-spec-XXXXXX";
  is_int (husk_spec_load ("/nonexistent-husk-bundle", &s, &err), -ENOENT, "load: missing file");
  is_str (err.msg, "open \"/nonexistent-husk-bundle/config.json\": No such file or directory",
          "load: missing file message");
  ok (s == NULL, "load: nothing returned on error");

  if (mkdtemp (dir) == NULL)
    {
      ok (0, "mkdtemp");
      return;
    }
  char path[128];
  snprintf (path, sizeof path, "%s/config.json", dir);
  FILE *f = fopen (path, "w");
  fputs ("{\"ociVersion\": \"1.0.0\", \"root\": {\"path\": \"rootfs\"},\n"
         " \"process\": {\"args\": [\"sh\"], \"cwd\": \"relative\"}}",
         f);
  fclose (f);
  is_int (husk_spec_load (dir, &s, &err), -EINVAL, "load validates");
  is_str (err.msg, "config.json: process.cwd: must be an absolute path",
          "load: validation message");

  f = fopen (path, "w");
  fputs ("{\"ociVersion\": \"1.0.0\", \"root\": {\"path\": \"rootfs\"},\n"
         " \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}}",
         f);
  fclose (f);
  is_int (husk_spec_load (dir, &s, &err), 0, "load: a minimal config");
  ok (s && s->linux_ == NULL && s->mounts_len == 0, "minimal config: no linux, no mounts");
  husk_spec_free (s);

  f = fopen (path, "w");
  fputs ("{\"ociVersion\": \"1.0.0\",\n  \"root\": }", f);
  fclose (f);
  s = NULL;
  is_int (husk_spec_load (dir, &s, &err), -EINVAL, "load: broken JSON");
  like (err.msg, "config.json: line 2 column ", "load: broken JSON names the line");
  unlink (path);
  rmdir (dir);
}

static void
test_default (bool rootless)
{
  struct husk_error err = { 0 };
  char *json = NULL;
  size_t len = 0;
  struct husk_spec *s = NULL;
  const char *what = rootless ? "rootless default" : "default";
  char desc[128];

  snprintf (desc, sizeof desc, "%s: generated", what);
  is_int (husk_spec_default_json (rootless, &json, &len, &err), 0, desc);
  if (json == NULL)
    return;
  snprintf (desc, sizeof desc, "%s: tab-indented like runc spec", what);
  ok (strncmp (json, "{\n\t\"ociVersion\": \"1.3.0\",\n\t\"process\": {\n\t\t\"terminal\": true,",
               59)
          == 0,
      desc);
  snprintf (desc, sizeof desc, "%s: no trailing newline", what);
  ok (len == strlen (json) && json[len - 1] == '}', desc);
  snprintf (desc, sizeof desc, "%s: parses", what);
  is_int (husk_spec_parse (json, len, "config.json", &s, &err), 0, desc);
  if (s == NULL)
    {
      free (json);
      return;
    }
  snprintf (desc, sizeof desc, "%s: validates", what);
  is_int (husk_spec_validate (s, "config.json", &err), 0, desc);
  snprintf (desc, sizeof desc, "%s: runc's process", what);
  ok (s->process->terminal && strcmp (s->process->args[0], "sh") == 0
          && s->process->capabilities->bounding_len == 3 && s->process->rlimits_len == 1
          && s->process->no_new_privileges && s->root.readonly
          && strcmp (s->root.path, "rootfs") == 0 && s->mounts_len == 7,
      desc);
  const struct husk_spec_namespace *userns = husk_spec_find_namespace (s, HUSK_SPEC_NS_USER);
  const struct husk_spec_namespace *netns = husk_spec_find_namespace (s, HUSK_SPEC_NS_NETWORK);
  if (rootless)
    {
      ok (userns != NULL && netns == NULL, "rootless: a user namespace, no network namespace");
      ok (s->linux_->uid_mappings_len == 1 && s->linux_->uid_mappings[0].container_id == 0
              && s->linux_->uid_mappings[0].host_id == geteuid ()
              && s->linux_->uid_mappings[0].size == 1,
          "rootless: uid mapping of the caller's euid");
      ok (s->linux_->gid_mappings_len == 1 && s->linux_->gid_mappings[0].host_id == getegid (),
          "rootless: gid mapping of the caller's egid");
      ok (s->linux_->resources == NULL, "rootless: no device cgroup rule");
      ok (strcmp (s->mounts[5].type, "none") == 0 && strcmp (s->mounts[5].source, "/sys") == 0
              && strcmp (s->mounts[5].options[0], "rbind") == 0,
          "rootless: /sys is a bind mount");
    }
  else
    {
      ok (userns == NULL && netns != NULL && s->linux_->namespaces_len == 5,
          "default: pid, network, ipc, uts, mount");
      ok (s->linux_->resources && s->linux_->resources->devices_len == 1
              && !s->linux_->resources->devices[0].allow,
          "default: deny all devices");
      ok (s->linux_->masked_paths_len == 10 && s->linux_->readonly_paths_len == 5,
          "default: masked and readonly paths");
    }
  husk_spec_free (s);
  free (json);
}

static void
test_tables (void)
{
  size_t n = 0;
  while (husk_spec_capability_names[n])
    n++;
  is_int (n, CAP_LAST_CAP + 1, "every capability of the kernel ABI");
  is_int (husk_spec_capability_from_name ("CAP_SYS_ADMIN"), CAP_SYS_ADMIN, "CAP_SYS_ADMIN number");
  is_int (husk_spec_capability_from_name ("CAP_CHECKPOINT_RESTORE"), 40, "CAP_CHECKPOINT_RESTORE");
  is_int (husk_spec_capability_from_name ("CAP_FOO"), -1, "unknown capability");
  ok (husk_spec_capability_name_ok ("CAP_FOO_2"), "an unknown capability name is well-formed");
  ok (!husk_spec_capability_name_ok ("CAP_foo"), "lower case is malformed");
  ok (!husk_spec_capability_name_ok ("CAP_"), "CAP_ alone is malformed");
  ok (!husk_spec_capability_name_ok ("KILL"), "no CAP_ prefix is malformed");
  is_int (husk_spec_rlimit_from_name ("RLIMIT_NOFILE"), RLIMIT_NOFILE, "RLIMIT_NOFILE number");
  is_int (husk_spec_rlimit_from_name ("RLIMIT_RTTIME"), RLIMIT_RTTIME, "RLIMIT_RTTIME number");
  is_int (husk_spec_rlimit_from_name ("RLIMIT_AS"), RLIMIT_AS, "RLIMIT_AS number");
  is_int (husk_spec_namespace_from_name ("time"), HUSK_SPEC_NS_TIME, "time namespace");
  is_str (husk_spec_hook_names[HUSK_SPEC_HOOK_START_CONTAINER], "startContainer", "hook names");
  is_int (husk_spec_seccomp_action_from_name ("SCMP_ACT_KILL_PROCESS"),
          HUSK_SPEC_SECCOMP_ACT_KILL_PROCESS, "seccomp action");
  is_int (husk_spec_seccomp_op_from_name ("SCMP_CMP_GT"), HUSK_SPEC_SECCOMP_OP_GT, "seccomp op");
  ok (husk_spec_seccomp_arch_from_name ("SCMP_ARCH_LOONGARCH64") >= 0, "seccomp arch");
  is_int (husk_spec_seccomp_flag_from_name ("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), 3,
          "seccomp flag bit");
}

int
main (void)
{
  test_full ();
  test_example ();
  test_unknown ();
  test_load ();
  test_default (false);
  test_default (true);
  test_tables ();
  return tap_done ();
}
