/* SPDX-License-Identifier: Apache-2.0 */
/* The container object: every command after create (start, kill, delete,
 * exec, pause, resume, update, ps, events, stats) opens a container through
 * here, once: its directory locked, its state read, and on demand the copy
 * of its config and its cgroup handle rebuilt from the state's record. The
 * modules below (cgroups, rootfs, security) know nothing of the store. */
#ifndef HUSK_OBJECT_H
#define HUSK_OBJECT_H

#include <stdbool.h>
#include "husk/log.h"
#include "husk/spec.h"
#include "husk/state.h"

struct husk_cgroup;

struct hk_container
{
  const struct husk_store *store;
  const char *id;
  const struct husk_logger *log; /* may be NULL: nothing is printed */
  int dirfd;                     /* the locked directory; -1 once released */
  struct husk_state *st;         /* NULL when state.json could not be read */
  struct husk_spec *config;      /* the config copy, after hk_container_config */
  struct husk_cgroup *cg;        /* after hk_container_cgroup */
};

/* Open and lock the container's directory and read its state. On a state
 * that cannot be read the error is returned and the directory stays open
 * and locked (c->st NULL): delete --force still has it. Always pair with
 * hk_container_close. */
int hk_container_load (const struct husk_store *store, const char *id,
                       const struct husk_logger *log, struct hk_container *c,
                       struct husk_error *err);

/* Only the state, without keeping the lock (list, state, events, stats, ps). */
int hk_container_peek (const struct husk_store *store, const char *id,
                       const struct husk_logger *log, struct hk_container *c,
                       struct husk_error *err);

/* The copy of config.json that create kept (c->config). */
int hk_container_config (struct hk_container *c, struct husk_error *err);

/* The cgroup handle rebuilt from the state's record (c->cg); "cannot WHAT
 * container "ID": it has no cgroup" when the state records none. */
int hk_container_cgroup (struct hk_container *c, const char *what, struct husk_error *err);

/* Write c->st to state.json (atomically); needs the lock. */
int hk_container_save (struct hk_container *c, struct husk_error *err);

/* Give up the lock (the state and handles stay readable). */
void hk_container_unlock (struct hk_container *c);

void hk_container_close (struct hk_container *c);

/* A warning through the container's logger (nothing without one). */
void hk_container_warn (const struct hk_container *c, const struct husk_error *err);

#endif
