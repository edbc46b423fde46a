/* SPDX-License-Identifier: Apache-2.0 */
/* Files of the container's cgroup: reading and writing them (errors name
 * the file and the value), and which place holds a controller. */
#include "config.h"
#include <fcntl.h>
#include <stdarg.h>
#include "cgroups/internal.h"
#include "utils.h"

int
cg_file (const struct husk_cgroup *cg, const struct cg_place *p, const char *file, char *buf,
         size_t size)
{
  int n = snprintf (buf, size, "%s%s%s%s", cg->root, p->dir, file ? "/" : "", file ? file : "");
  return n < 0 || (size_t) n >= size ? -ENAMETOOLONG : 0;
}

int
cg_write (const struct husk_cgroup *cg, const struct cg_place *p, const char *file,
          const char *value, struct husk_error *err)
{
  char path[PATH_MAX];
  if (cg_file (cg, p, file, path, sizeof path) < 0)
    return husk_error_setx (err, ENAMETOOLONG, "cgroup file %s: path too long", file);
  /* a fake root (unit tests) has no kernel to make the files */
  int flags = O_WRONLY | O_CLOEXEC | (cg->root[0] ? O_CREAT | O_TRUNC : 0);
  _cleanup_close_ int fd = open (path, flags, 0644);
  if (fd < 0)
    return husk_error_set (err, errno, "write \"%s\" to %s", value, path + strlen (cg->root));
  size_t len = strlen (value);
  ssize_t n;
  do
    n = write (fd, value, len);
  while (n < 0 && errno == EINTR);
  if (n < 0 || (size_t) n != len)
    return husk_error_set (err, n < 0 ? errno : EIO, "write \"%s\" to %s", value,
                           path + strlen (cg->root));
  return 0;
}

int
cg_writef (const struct husk_cgroup *cg, const struct cg_place *p, const char *file,
           struct husk_error *err, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  /* a cut value would be a different value: refuse it */
  if (n < 0 || (size_t) n >= sizeof buf)
    return husk_error_setx (err, E2BIG, "cgroup file %s: value too long", file);
  return cg_write (cg, p, file, buf, err);
}

int
cg_read (const struct husk_cgroup *cg, const struct cg_place *p, const char *file, char **out,
         struct husk_error *err)
{
  char path[PATH_MAX];
  if (cg_file (cg, p, file, path, sizeof path) < 0)
    return husk_error_setx (err, ENAMETOOLONG, "cgroup file %s: path too long", file);
  return hk_read_file (path, 4 << 20, out, NULL, err);
}

bool
cg_exists (const struct husk_cgroup *cg, const struct cg_place *p, const char *file)
{
  char path[PATH_MAX];
  return cg_file (cg, p, file, path, sizeof path) == 0 && access (path, F_OK) == 0;
}

int
cg_read_u64 (const struct husk_cgroup *cg, const struct cg_place *p, const char *file,
             uint64_t *out)
{
  struct husk_error ignored;
  _cleanup_free_ char *s = NULL;
  *out = 0;
  int ret = cg_read (cg, p, file, &s, &ignored);
  if (ret < 0)
    return ret;
  if (strncmp (s, "max", 3) == 0)
    *out = UINT64_MAX;
  else
    *out = strtoull (s, NULL, 10);
  return 0;
}

void
cg_warn (const struct husk_cgroup *cg, const char *fmt, ...)
{
  char msg[HUSK_ERROR_MSG_MAX];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  if (cg->log)
    husk_log_warn (cg->log, "%s", msg);
}

void
hk_cgroup_set_log (struct husk_cgroup *cg, const struct husk_logger *log)
{
  cg->log = log;
}

struct cg_place *
cg_place_v2 (const struct husk_cgroup *cg)
{
  for (size_t i = 0; i < cg->n; i++)
    if (cg->p[i].v2)
      return &cg->p[i];
  return NULL;
}

struct cg_place *
cg_place_of (const struct husk_cgroup *cg, const char *ctrl)
{
  for (size_t i = 0; i < cg->n; i++)
    if (!cg->p[i].v2 && cg_list_has (cg->p[i].ctrls, ',', ctrl))
      return &cg->p[i];
  return cg_place_v2 (cg);
}
