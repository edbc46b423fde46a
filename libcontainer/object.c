/* SPDX-License-Identifier: Apache-2.0 */
/* The container object (object.h). */
#include "config.h"
#include <fcntl.h>
#include "cgroups/cgroups.h"
#include "container_internal.h"
#include "object.h"
#include "store.h"
#include "utils.h"

static void
init (struct hk_container *c, const struct husk_store *store, const char *id,
      const struct husk_logger *log)
{
  memset (c, 0, sizeof *c);
  c->store = store;
  c->id = id;
  c->log = log;
  c->dirfd = -1;
}

int
hk_container_load (const struct husk_store *store, const char *id, const struct husk_logger *log,
                   struct hk_container *c, struct husk_error *err)
{
  init (c, store, id, log);
  int ret = hk_container_dir_open (store, id, &c->dirfd, err);
  if (ret < 0)
    return ret;
  return hk_state_read (c->dirfd, id, &c->st, err);
}

int
hk_container_peek (const struct husk_store *store, const char *id, const struct husk_logger *log,
                   struct hk_container *c, struct husk_error *err)
{
  int ret = hk_container_load (store, id, log, c, err);
  hk_container_unlock (c);
  return ret;
}

int
hk_container_config (struct hk_container *c, struct husk_error *err)
{
  if (c->config)
    return 0;
  if (c->dirfd < 0)
    return husk_error_setx (err, EBADF, "container \"%s\": its config is read under its lock",
                            c->id);
  _cleanup_close_ int fd = openat (c->dirfd, CONFIG_COPY, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set (err, errno, "container \"%s\": read its config", c->id);
  _cleanup_free_ char *data = NULL;
  size_t len;
  int ret = hk_read_fd (fd, CONFIG_COPY, HUSK_SPEC_MAX_SIZE, &data, &len, err);
  if (ret < 0)
    return ret;
  return husk_spec_parse (data, len, "config.json", &c->config, err);
}

int
hk_container_cgroup (struct hk_container *c, const char *what, struct husk_error *err)
{
  if (c->cg)
    return 0;
  if (c->st == NULL || c->st->cgroup == NULL)
    return husk_error_setx (err, ENOENT, "cannot %s container \"%s\": it has no cgroup", what,
                            c->id);
  int ret = hk_cgroup_from_state (c->st->cgroup, NULL, &c->cg, err);
  if (ret == 0)
    hk_cgroup_set_log (c->cg, c->log);
  return ret;
}

int
hk_container_save (struct hk_container *c, struct husk_error *err)
{
  if (c->dirfd < 0)
    return husk_error_setx (err, EBADF, "container \"%s\": its state is written under its lock",
                            c->id);
  return hk_state_write (c->dirfd, c->st, err);
}

void
hk_container_unlock (struct hk_container *c)
{
  if (c->dirfd >= 0)
    close (c->dirfd);
  c->dirfd = -1;
}

void
hk_container_close (struct hk_container *c)
{
  hk_cgroup_free (c->cg);
  husk_spec_free (c->config);
  husk_state_free (c->st);
  hk_container_unlock (c);
  c->cg = NULL;
  c->config = NULL;
  c->st = NULL;
}

void
hk_container_warn (const struct hk_container *c, const struct husk_error *err)
{
  if (c->log)
    husk_log_warn (c->log, "%s", err->msg);
}
