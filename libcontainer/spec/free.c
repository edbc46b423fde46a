/* SPDX-License-Identifier: Apache-2.0 */
/* Freeing a struct husk_spec, including a partly parsed one. */
#include "config.h"
#include <stdlib.h>
#include "spec_internal.h"

static void
free_process (struct husk_spec_process *p)
{
  if (p == NULL)
    return;
  free (p->user.additional_gids);
  spec_strv_free (p->args, p->args_len);
  free (p->command_line);
  spec_strv_free (p->env, p->env_len);
  free (p->cwd);
  if (p->capabilities)
    {
      struct husk_spec_capabilities *c = p->capabilities;
      spec_strv_free (c->bounding, c->bounding_len);
      spec_strv_free (c->effective, c->effective_len);
      spec_strv_free (c->inheritable, c->inheritable_len);
      spec_strv_free (c->permitted, c->permitted_len);
      spec_strv_free (c->ambient, c->ambient_len);
      free (c);
    }
  for (size_t i = 0; p->rlimits && i < p->rlimits_len; i++)
    free (p->rlimits[i].type);
  free (p->rlimits);
  free (p->apparmor_profile);
  free (p->selinux_label);
  if (p->io_priority)
    free (p->io_priority->class_name);
  free (p->io_priority);
  if (p->scheduler)
    {
      free (p->scheduler->policy_name);
      spec_strv_free (p->scheduler->flags, p->scheduler->flags_len);
      free (p->scheduler);
    }
  if (p->exec_cpu_affinity)
    {
      free (p->exec_cpu_affinity->initial);
      free (p->exec_cpu_affinity->final);
      free (p->exec_cpu_affinity);
    }
  free (p);
}

static void
free_hook_list (struct husk_spec_hook *h, size_t len)
{
  for (size_t i = 0; h && i < len; i++)
    {
      free (h[i].path);
      spec_strv_free (h[i].args, h[i].args_len);
      spec_strv_free (h[i].env, h[i].env_len);
    }
  free (h);
}

static void
free_mounts (struct husk_spec_mount *m, size_t len)
{
  for (size_t i = 0; m && i < len; i++)
    {
      free (m[i].destination);
      free (m[i].source);
      free (m[i].type);
      spec_strv_free (m[i].options, m[i].options_len);
      free (m[i].uid_mappings);
      free (m[i].gid_mappings);
    }
  free (m);
}

void
spec_free_seccomp (struct husk_spec_seccomp *s)
{
  if (s == NULL)
    return;
  free (s->default_action_name);
  spec_strv_free (s->architectures, s->architectures_len);
  spec_strv_free (s->flags, s->flags_len);
  free (s->listener_path);
  free (s->listener_metadata);
  for (size_t i = 0; s->syscalls && i < s->syscalls_len; i++)
    {
      struct husk_spec_seccomp_syscall *sc = &s->syscalls[i];
      spec_strv_free (sc->names, sc->names_len);
      free (sc->action_name);
      for (size_t j = 0; sc->args && j < sc->args_len; j++)
        free (sc->args[j].op_name);
      free (sc->args);
    }
  free (s->syscalls);
  free (s);
}

void
spec_free_resources (struct husk_spec_resources *r)
{
  if (r == NULL)
    return;
  for (size_t i = 0; r->devices && i < r->devices_len; i++)
    {
      free (r->devices[i].type);
      free (r->devices[i].access);
    }
  free (r->devices);
  free (r->memory);
  if (r->cpu)
    {
      free (r->cpu->cpus);
      free (r->cpu->mems);
      free (r->cpu);
    }
  if (r->block_io)
    {
      free (r->block_io->weight_device);
      free (r->block_io->throttle_read_bps_device);
      free (r->block_io->throttle_write_bps_device);
      free (r->block_io->throttle_read_iops_device);
      free (r->block_io->throttle_write_iops_device);
      free (r->block_io);
    }
  for (size_t i = 0; r->hugepage_limits && i < r->hugepage_limits_len; i++)
    free (r->hugepage_limits[i].page_size);
  free (r->hugepage_limits);
  if (r->network)
    {
      for (size_t i = 0; r->network->priorities && i < r->network->priorities_len; i++)
        free (r->network->priorities[i].name);
      free (r->network->priorities);
      free (r->network);
    }
  for (size_t i = 0; r->rdma && i < r->rdma_len; i++)
    free (r->rdma[i].device);
  free (r->rdma);
  spec_kv_free (r->unified, r->unified_len);
  free (r);
}

void
spec_free_linux (struct husk_spec_linux *l)
{
  if (l == NULL)
    return;
  for (size_t i = 0; l->namespaces && i < l->namespaces_len; i++)
    {
      free (l->namespaces[i].type_name);
      free (l->namespaces[i].path);
    }
  free (l->namespaces);
  free (l->uid_mappings);
  free (l->gid_mappings);
  for (size_t i = 0; l->time_offsets && i < l->time_offsets_len; i++)
    free (l->time_offsets[i].clock);
  free (l->time_offsets);
  for (size_t i = 0; l->devices && i < l->devices_len; i++)
    {
      free (l->devices[i].type);
      free (l->devices[i].path);
    }
  free (l->devices);
  for (size_t i = 0; l->net_devices && i < l->net_devices_len; i++)
    {
      free (l->net_devices[i].host_name);
      free (l->net_devices[i].name);
    }
  free (l->net_devices);
  free (l->cgroups_path);
  spec_free_resources (l->resources);
  if (l->intel_rdt)
    {
      free (l->intel_rdt->clos_id);
      free (l->intel_rdt->l3_cache_schema);
      free (l->intel_rdt->mem_bw_schema);
      spec_strv_free (l->intel_rdt->schemata, l->intel_rdt->schemata_len);
      free (l->intel_rdt);
    }
  if (l->memory_policy)
    {
      free (l->memory_policy->mode_name);
      free (l->memory_policy->nodes);
      spec_strv_free (l->memory_policy->flags, l->memory_policy->flags_len);
      free (l->memory_policy);
    }
  spec_kv_free (l->sysctl, l->sysctl_len);
  spec_free_seccomp (l->seccomp);
  free (l->rootfs_propagation);
  spec_strv_free (l->masked_paths, l->masked_paths_len);
  spec_strv_free (l->readonly_paths, l->readonly_paths_len);
  free (l->mount_label);
  if (l->personality)
    {
      free (l->personality->domain_name);
      spec_strv_free (l->personality->flags, l->personality->flags_len);
      free (l->personality);
    }
  free (l);
}

void
husk_spec_free (struct husk_spec *spec)
{
  if (spec == NULL)
    return;
  free (spec->oci_version);
  free (spec->root.path);
  free_process (spec->process);
  free (spec->hostname);
  free (spec->domainname);
  free_mounts (spec->mounts, spec->mounts_len);
  for (int k = 0; k < HUSK_SPEC_HOOK__COUNT; k++)
    free_hook_list (spec->hooks.list[k], spec->hooks.len[k]);
  spec_kv_free (spec->annotations, spec->annotations_len);
  spec_free_linux (spec->linux_);
  free (spec);
}
