/* SPDX-License-Identifier: Apache-2.0 */
/* The freezer: v1 freezer.state where the freezer controller is mounted
 * (the v1 drivers), v2 cgroup.freeze otherwise (the v2 drivers, and a hybrid
 * host without a v1 freezer). Freezing waits until the kernel reports the
 * whole cgroup frozen. */
#include "config.h"
#include <time.h>
#include "cgroups/internal.h"
#include "utils.h"

#define FREEZE_WAIT_MS 10000

static void
sleep_ms (long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep (&ts, NULL);
}

#define NO_FREEZER "no freezer: neither the v1 freezer controller nor cgroup v2"

/* The v1 freezer hierarchy's place, NULL when it is not mounted. */
static const struct cg_place *
v1_place (const struct husk_cgroup *cg)
{
  for (size_t i = 0; i < cg->n; i++)
    if (!cg->p[i].v2 && cg_list_has (cg->p[i].ctrls, ',', "freezer"))
      return &cg->p[i];
  return NULL;
}

static int
frozen_at (const struct husk_cgroup *cg, const struct cg_place *p, bool v1, bool *frozen,
           struct husk_error *err)
{
  _cleanup_free_ char *s = NULL;
  int ret = cg_read (cg, p, v1 ? "freezer.state" : "cgroup.events", &s, err);
  if (ret < 0)
    return ret;
  if (v1)
    *frozen = strncmp (s, "FROZEN", 6) == 0;
  else
    {
      const char *f = strstr (s, "frozen ");
      *frozen = f && (f == s || f[-1] == '\n') && f[7] == '1';
    }
  return 0;
}

static int
freeze_at (const struct husk_cgroup *cg, const struct cg_place *p, bool v1, bool freeze,
           struct husk_error *err)
{
  const char *file = v1 ? "freezer.state" : "cgroup.freeze";
  const char *value = v1 ? (freeze ? "FROZEN" : "THAWED") : (freeze ? "1" : "0");
  int ret = cg_write (cg, p, file, value, err);
  if (ret < 0 || !freeze || cg->root[0])
    return ret;
  /* FREEZING until every task stopped; v1 may need the write repeated */
  for (int waited = 0; waited < FREEZE_WAIT_MS; waited += 10)
    {
      bool frozen;
      if ((ret = frozen_at (cg, p, v1, &frozen, err)) < 0)
        return ret;
      if (frozen)
        return 0;
      sleep_ms (10);
      if (v1 && waited % 100 == 0 && (ret = cg_write (cg, p, file, value, err)) < 0)
        return ret;
    }
  struct husk_error ignored;
  cg_write (cg, p, file, v1 ? "THAWED" : "0", &ignored);
  return husk_error_setx (err, ETIMEDOUT, "freeze %s%s: not frozen after %d s", p->dir,
                          v1 ? " (freezer.state)" : " (cgroup.events)", FREEZE_WAIT_MS / 1000);
}

int
cg_v2_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err)
{
  const struct cg_place *p = cg_place_v2 (cg);
  *frozen = false;
  if (p == NULL)
    return husk_error_setx (err, ENOTSUP, NO_FREEZER);
  return frozen_at (cg, p, false, frozen, err);
}

int
cg_v2_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err)
{
  const struct cg_place *p = cg_place_v2 (cg);
  if (p == NULL)
    return husk_error_setx (err, ENOTSUP, NO_FREEZER);
  return freeze_at (cg, p, false, freeze, err);
}

int
cg_v1_frozen (const struct husk_cgroup *cg, bool *frozen, struct husk_error *err)
{
  const struct cg_place *p = v1_place (cg);
  *frozen = false;
  /* a hybrid host without a v1 freezer: the v2 hierarchy's */
  return p ? frozen_at (cg, p, true, frozen, err) : cg_v2_frozen (cg, frozen, err);
}

int
cg_v1_freeze (const struct husk_cgroup *cg, bool freeze, struct husk_error *err)
{
  const struct cg_place *p = v1_place (cg);
  return p ? freeze_at (cg, p, true, freeze, err) : cg_v2_freeze (cg, freeze, err);
}
