/* SPDX-License-Identifier: Apache-2.0 */
/* The systemd driver: the container becomes a transient scope unit
 * (StartTransientUnit over D-Bus, sd-bus of libsystemd) in the slice of
 * "slice:prefix:name", with the init's pid and the resources systemd knows
 * as unit properties; the rest of linux.resources is then written into the
 * scope's cgroup directly, as runc does. */
#include "config.h"
#include <inttypes.h>
#include <sys/stat.h>
#include <time.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-bus.h>
#endif
#include "cgroups/internal.h"
#include "utils.h"

int
cg_sd_cpumask (const char *list, uint8_t *out, size_t max, size_t *len)
{
  *len = 0;
  memset (out, 0, max);
  const char *p = list;
  while (*p)
    {
      char *e;
      unsigned long a = strtoul (p, &e, 10), b;
      if (e == p)
        return -EINVAL;
      b = a;
      if (*e == '-')
        {
          p = e + 1;
          b = strtoul (p, &e, 10);
          if (e == p || b < a)
            return -EINVAL;
        }
      if (b / 8 >= max)
        return -ERANGE;
      for (unsigned long i = a; i <= b; i++)
        out[i / 8] |= (uint8_t) (1u << (i % 8));
      if (b / 8 + 1 > *len)
        *len = b / 8 + 1;
      if (*e == ',')
        e++;
      else if (*e != '\0' && *e != '\n')
        return -EINVAL;
      p = e;
    }
  return 0;
}

static struct cg_sd_prop *
prop (struct cg_sd_prop *out, size_t max, size_t *n, const char *name, enum cg_sd_type t)
{
  if (*n >= max)
    return NULL;
  struct cg_sd_prop *p = &out[(*n)++];
  memset (p, 0, sizeof *p);
  p->name = name;
  p->type = t;
  return p;
}

#define ADD(name, t) \
  do \
    { \
      if ((x = prop (out, max, n, name, t)) == NULL) \
        return husk_error_setx (err, E2BIG, "systemd: too many unit properties"); \
    } \
  while (0)

int
cg_sd_props (const char *slice, const char *description, bool v2,
             const struct husk_spec_resources *r, struct cg_sd_prop *out, size_t max, size_t *n,
             struct husk_error *err)
{
  struct cg_sd_prop *x;
  *n = 0;
  ADD ("Description", CG_SD_STR);
  x->s = description;
  ADD ("Slice", CG_SD_STR);
  x->s = slice;
  ADD ("Delegate", CG_SD_BOOL);
  x->b = true;
  ADD ("DefaultDependencies", CG_SD_BOOL);
  x->b = false;
  ADD ("MemoryAccounting", CG_SD_BOOL);
  x->b = true;
  ADD ("CPUAccounting", CG_SD_BOOL);
  x->b = true;
  ADD (v2 ? "IOAccounting" : "BlockIOAccounting", CG_SD_BOOL);
  x->b = true;
  ADD ("TasksAccounting", CG_SD_BOOL);
  x->b = true;
  if (r == NULL)
    return 0;
  const struct husk_spec_memory *m = r->memory;
  if (m && m->has_limit)
    {
      ADD (v2 ? "MemoryMax" : "MemoryLimit", CG_SD_U64);
      x->u = m->limit < 0 ? UINT64_MAX : (uint64_t) m->limit;
    }
  if (v2 && m && m->has_reservation)
    {
      ADD ("MemoryLow", CG_SD_U64);
      x->u = m->reservation < 0 ? UINT64_MAX : (uint64_t) m->reservation;
    }
  if (v2 && m && m->has_swap)
    {
      char v[32];
      int ret = cg_swap_to_v2 (m->has_limit, m->limit, m->swap, v, sizeof v, err);
      if (ret < 0)
        return ret;
      ADD ("MemorySwapMax", CG_SD_U64);
      x->u = strcmp (v, "max") == 0 ? UINT64_MAX : strtoull (v, NULL, 10);
    }
  const struct husk_spec_cpu *c = r->cpu;
  if (c && c->has_shares && c->shares > 0)
    {
      ADD (v2 ? "CPUWeight" : "CPUShares", CG_SD_U64);
      x->u = v2 ? cg_shares_to_weight (c->shares) : c->shares;
    }
  if (c && (c->has_quota || c->has_period))
    {
      uint64_t period = c->has_period && c->period ? c->period : 100000;
      if (c->has_period)
        {
          ADD ("CPUQuotaPeriodUSec", CG_SD_U64);
          x->u = period;
        }
      ADD ("CPUQuotaPerSecUSec", CG_SD_U64);
      if (!c->has_quota || c->quota <= 0)
        x->u = UINT64_MAX;
      else
        {
          /* systemd keeps it in 10ms steps: round up, as runc does */
          uint64_t us = (uint64_t) c->quota * 1000000 / period;
          x->u = (us + 9999) / 10000 * 10000;
        }
    }
  if (c && c->cpus)
    {
      ADD ("AllowedCPUs", CG_SD_BYTES);
      if (cg_sd_cpumask (c->cpus, x->bytes, sizeof x->bytes, &x->bytes_len) < 0)
        return husk_error_setx (err, EINVAL, "linux.resources.cpu.cpus \"%s\": not a CPU list",
                                c->cpus);
    }
  if (c && c->mems)
    {
      ADD ("AllowedMemoryNodes", CG_SD_BYTES);
      if (cg_sd_cpumask (c->mems, x->bytes, sizeof x->bytes, &x->bytes_len) < 0)
        return husk_error_setx (err, EINVAL, "linux.resources.cpu.mems \"%s\": not a node list",
                                c->mems);
    }
  if (r->has_pids_limit && r->pids_limit != 0)
    {
      ADD ("TasksMax", CG_SD_U64);
      x->u = r->pids_limit > 0 ? (uint64_t) r->pids_limit : UINT64_MAX;
    }
  if (r->block_io && r->block_io->has_weight && r->block_io->weight > 0)
    {
      ADD (v2 ? "IOWeight" : "BlockIOWeight", CG_SD_U64);
      x->u = v2 ? cg_blkio_to_io_weight (r->block_io->weight) : r->block_io->weight;
    }
  return 0;
}

#ifdef HAVE_SYSTEMD

/* libsystemd is loaded only when the systemd driver is used (dlopen): the
 * cgroupfs path, create's hot path, does not map it (its pages were a third
 * of husk's memory). */
#include <dlfcn.h>
static struct
{
  __typeof__ (sd_bus_call_method) *call_method;
  __typeof__ (sd_bus_call) *call;
  __typeof__ (sd_bus_error_free) *error_free;
  __typeof__ (sd_bus_error_has_name) *error_has_name;
  __typeof__ (sd_bus_flush_close_unref) *flush_close_unref;
  __typeof__ (sd_bus_message_append_array) *message_append_array;
  __typeof__ (sd_bus_message_append) *message_append;
  __typeof__ (sd_bus_message_close_container) *message_close_container;
  __typeof__ (sd_bus_message_new_method_call) *message_new_method_call;
  __typeof__ (sd_bus_message_open_container) *message_open_container;
  __typeof__ (sd_bus_message_unref) *message_unref;
  __typeof__ (sd_bus_open_system) *open_system;
  __typeof__ (sd_bus_open_user) *open_user;
  void *handle; /* stays open while the pointers above are set */
} sdb;

static int
sdbus_load (struct husk_error *err)
{
  if (sdb.open_system)
    return 0;
  void *h = dlopen ("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (h == NULL)
    return husk_error_setx (err, ENOTSUP, "--systemd-cgroup: cannot load libsystemd.so.0: %s",
                            dlerror ());
  *(void **) &sdb.call_method = dlsym (h, "sd_bus_call_method");
  *(void **) &sdb.call = dlsym (h, "sd_bus_call");
  *(void **) &sdb.error_free = dlsym (h, "sd_bus_error_free");
  *(void **) &sdb.error_has_name = dlsym (h, "sd_bus_error_has_name");
  *(void **) &sdb.flush_close_unref = dlsym (h, "sd_bus_flush_close_unref");
  *(void **) &sdb.message_append_array = dlsym (h, "sd_bus_message_append_array");
  *(void **) &sdb.message_append = dlsym (h, "sd_bus_message_append");
  *(void **) &sdb.message_close_container = dlsym (h, "sd_bus_message_close_container");
  *(void **) &sdb.message_new_method_call = dlsym (h, "sd_bus_message_new_method_call");
  *(void **) &sdb.message_open_container = dlsym (h, "sd_bus_message_open_container");
  *(void **) &sdb.message_unref = dlsym (h, "sd_bus_message_unref");
  *(void **) &sdb.open_system = dlsym (h, "sd_bus_open_system");
  *(void **) &sdb.open_user = dlsym (h, "sd_bus_open_user");
  if (!sdb.call_method || !sdb.call || !sdb.error_free || !sdb.error_has_name
      || !sdb.flush_close_unref || !sdb.message_append_array || !sdb.message_append
      || !sdb.message_close_container || !sdb.message_new_method_call || !sdb.message_open_container
      || !sdb.message_unref || !sdb.open_system || !sdb.open_user)
    {
      /* leave nothing half set: a later call must not see open_system and
       * take the others (NULL) as loaded */
      memset (&sdb, 0, sizeof sdb);
      dlclose (h);
      return husk_error_setx (err, ENOTSUP,
                              "--systemd-cgroup: libsystemd.so.0 lacks an sd-bus function");
    }
  sdb.handle = h;
  return 0;
}
#define sd_bus_call_method (*sdb.call_method)
#define sd_bus_call (*sdb.call)
#define sd_bus_error_free (*sdb.error_free)
#define sd_bus_error_has_name (*sdb.error_has_name)
#define sd_bus_flush_close_unref (*sdb.flush_close_unref)
#define sd_bus_message_append_array (*sdb.message_append_array)
#define sd_bus_message_append (*sdb.message_append)
#define sd_bus_message_close_container (*sdb.message_close_container)
#define sd_bus_message_new_method_call (*sdb.message_new_method_call)
#define sd_bus_message_open_container (*sdb.message_open_container)
#define sd_bus_message_unref (*sdb.message_unref)
#define sd_bus_open_system (*sdb.open_system)
#define sd_bus_open_user (*sdb.open_user)

static int
append_prop (sd_bus_message *m, const struct cg_sd_prop *p, pid_t pid)
{
  int r;
  static const char *const sig[] = { [CG_SD_STR] = "s",
                                     [CG_SD_BOOL] = "b",
                                     [CG_SD_U64] = "t",
                                     [CG_SD_BYTES] = "ay",
                                     [CG_SD_PIDS] = "au" };
  if ((r = sd_bus_message_open_container (m, 'r', "sv")) < 0
      || (r = sd_bus_message_append (m, "s", p->name)) < 0
      || (r = sd_bus_message_open_container (m, 'v', sig[p->type])) < 0)
    return r;
  switch (p->type)
    {
    case CG_SD_STR:
      r = sd_bus_message_append (m, "s", p->s);
      break;
    case CG_SD_BOOL:
      r = sd_bus_message_append (m, "b", (int) p->b);
      break;
    case CG_SD_U64:
      r = sd_bus_message_append (m, "t", p->u);
      break;
    case CG_SD_BYTES:
      r = sd_bus_message_append_array (m, 'y', p->bytes, p->bytes_len);
      break;
    case CG_SD_PIDS:
      r = sd_bus_message_append (m, "au", 1, (uint32_t) pid);
      break;
    }
  if (r < 0 || (r = sd_bus_message_close_container (m)) < 0)
    return r;
  return sd_bus_message_close_container (m);
}

static int
bus_open (sd_bus **bus, struct husk_error *err)
{
  int l = sdbus_load (err);
  if (l < 0)
    return l;
  int r = geteuid () == 0 ? sd_bus_open_system (bus) : sd_bus_open_user (bus);
  if (r < 0)
    return husk_error_set (err, -r, "systemd cgroup driver: connect to the %s bus",
                           geteuid () == 0 ? "system" : "user");
  return 0;
}

int
cg_sd_start (struct husk_cgroup *cg, pid_t pid, const struct husk_spec_resources *res,
             struct husk_error *err)
{
  struct cg_sd_prop props[40];
  size_t n;
  char desc[300];
  snprintf (desc, sizeof desc, "husk container %s", cg->unit);
  int ret = cg_sd_props (cg->slice, desc, cg->mode == HK_CGROUP_V2, res, props,
                         ARRAY_SIZE (props) - 1, &n, err);
  if (ret < 0)
    return ret;
  props[n] = (struct cg_sd_prop) { .name = "PIDs", .type = CG_SD_PIDS };
  n++;
  sd_bus *bus = NULL;
  sd_bus_message *m = NULL, *reply = NULL;
  sd_bus_error e = SD_BUS_ERROR_NULL;
  if ((ret = bus_open (&bus, err)) < 0)
    return ret;
  int r = sd_bus_message_new_method_call (bus, &m, "org.freedesktop.systemd1",
                                          "/org/freedesktop/systemd1",
                                          "org.freedesktop.systemd1.Manager", "StartTransientUnit");
  if (r >= 0)
    r = sd_bus_message_append (m, "ss", cg->unit, "replace");
  if (r >= 0)
    r = sd_bus_message_open_container (m, 'a', "(sv)");
  for (size_t i = 0; r >= 0 && i < n; i++)
    r = append_prop (m, &props[i], pid);
  if (r >= 0)
    r = sd_bus_message_close_container (m);
  if (r >= 0)
    r = sd_bus_message_append (m, "a(sa(sv))", 0);
  if (r < 0)
    ret = husk_error_set (err, -r, "systemd: build StartTransientUnit for %s", cg->unit);
  else if ((r = sd_bus_call (bus, m, 0, &e, &reply)) < 0)
    ret = husk_error_setx (err, -r, "systemd: start unit %s in %s: %s", cg->unit, cg->slice,
                           e.message ? e.message : strerror (-r));
  sd_bus_error_free (&e);
  sd_bus_message_unref (m);
  sd_bus_message_unref (reply);
  sd_bus_flush_close_unref (bus);
  if (ret < 0)
    return ret;
  /* the job runs asynchronously: wait for the scope's cgroup to appear */
  for (int i = 0; i < 500; i++)
    {
      bool all = true;
      for (size_t k = 0; k < cg->n && all; k++)
        if (cg->p[k].v2 || strcmp (cg->p[k].ctrls, "name=systemd") == 0)
          all = cg_exists (cg, &cg->p[k], "cgroup.procs");
      if (all)
        break;
      struct timespec ts = { 0, 10 * 1000 * 1000 };
      nanosleep (&ts, NULL);
    }
  /* v1 hierarchies systemd did not make: make them, then the resources
   * systemd has no property for */
  for (size_t k = 0; k < cg->n; k++)
    if ((ret = cg_make_dir (cg, &cg->p[k], err)) < 0)
      return ret;
  static const struct husk_spec_resources none;
  if (res || cg->pending_devices)
    {
      struct cg_apply_opts ao = { .devices = cg->pending_devices };
      return cg_apply (cg, res ? res : &none, &ao, err);
    }
  return 0;
}

int
cg_sd_stop (const struct husk_cgroup *cg, struct husk_error *err)
{
  sd_bus *bus = NULL;
  sd_bus_error e = SD_BUS_ERROR_NULL;
  int ret = bus_open (&bus, err);
  if (ret < 0)
    return ret;
  int r = sd_bus_call_method (bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                              "org.freedesktop.systemd1.Manager", "StopUnit", &e, NULL, "ss",
                              cg->unit, "replace");
  if (r < 0 && !sd_bus_error_has_name (&e, "org.freedesktop.systemd1.NoSuchUnit"))
    ret = husk_error_setx (err, -r, "systemd: stop unit %s: %s", cg->unit,
                           e.message ? e.message : strerror (-r));
  sd_bus_error_free (&e);
  sd_bus_flush_close_unref (bus);
  return ret;
}

#else

int
cg_sd_start (struct husk_cgroup *cg, pid_t pid, const struct husk_spec_resources *r,
             struct husk_error *err)
{
  (void) cg, (void) pid, (void) r;
  return husk_error_setx (err, ENOTSUP, "--systemd-cgroup: husk was built without libsystemd");
}

int
cg_sd_stop (const struct husk_cgroup *cg, struct husk_error *err)
{
  (void) cg;
  return husk_error_setx (err, ENOTSUP, "--systemd-cgroup: husk was built without libsystemd");
}

#endif

/* ------------------------------------------------------------ the driver */

/* The scope's places: its cgroup in every hierarchy; systemd makes them
 * when the scope starts (at enter), with the resources. */
static int
sd_create (struct husk_cgroup *cg, const struct hk_cgroup_layout *l,
           const struct husk_cgroup_opts *o, struct husk_error *err)
{
  _cleanup_free_ char *sp = NULL, *full = NULL;
  int ret;
  if ((ret = cg_systemd_parse (o->cgroups_path, o->id, &cg->slice, &cg->unit, err)) < 0
      || (ret = cg_systemd_slice_path (cg->slice, &sp, err)) < 0)
    return ret;
  if (asprintf (&full, "%s/%s", sp, cg->unit) < 0)
    {
      full = NULL;
      return husk_error_set (err, ENOMEM, "cgroup");
    }
  if ((ret = cg_add_places (cg, l, o, full, err)) < 0
      || (o->resources && (ret = cg_resources_host_check (cg, o->resources, err)) < 0))
    return ret;
  cg->unit_pending = true;
  cg->pending = o->resources;
  cg->pending_devices = !(o->rootless || geteuid () != 0);
  return 0;
}

/* Nothing is made before the scope starts. */
static void
sd_create_failed (struct husk_cgroup *cg)
{
  (void) cg;
}

static int
sd_enter (struct husk_cgroup *cg, pid_t pid, struct husk_error *err)
{
  int ret = cg_sd_start (cg, pid, cg->pending, err);
  cg->pending = NULL;
  if (ret < 0)
    return ret;
  cg->unit_pending = false;
  return cg_enter_places (cg, pid, err);
}

/* Stop the scope, then remove its directory in every hierarchy (the v1
 * ones systemd does not manage were made by husk). */
static int
sd_remove (struct husk_cgroup *cg, struct husk_error *err)
{
  struct husk_error ignored;
  int ret = 0;
  if (cg->unit)
    cg_sd_stop (cg, &ignored);
  for (size_t i = 0; i < cg->n; i++)
    {
      struct husk_error perr;
      if (cg_remove_place (cg, &cg->p[i], &perr) < 0 && ret == 0)
        {
          *err = perr;
          ret = -perr.code;
        }
    }
  return ret;
}

/* What is the hierarchies' rather than the driver's: the cgroupfs driver
 * of the host's mode (cg->fs). */
static const struct cg_place *
sd_clone_place (const struct husk_cgroup *cg)
{
  return cg->unit_pending ? NULL : cg->fs->clone_place (cg);
}

static int
sd_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err)
{
  return cg->fs->freeze (cg, freeze, err);
}

static int
sd_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err)
{
  return cg->fs->frozen (cg, frozen, err);
}

static const struct cg_place *
sd_procs_place (const struct husk_cgroup *cg)
{
  return cg->fs->procs_place (cg);
}

static int
sd_kill (const struct husk_cgroup *cg, int sig, struct husk_error *err)
{
  return cg->fs->kill (cg, sig, err);
}

const struct cg_driver cg_systemd = {
  .name = "systemd",
  .record_empty = true,
  .create = sd_create,
  .create_failed = sd_create_failed,
  .enter = sd_enter,
  .clone_place = sd_clone_place,
  .apply = cg_apply_files,
  .freeze = sd_freeze,
  .frozen = sd_frozen,
  .procs_place = sd_procs_place,
  .kill = sd_kill,
  .remove = sd_remove,
};
