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

/* Write value to path (full); a fake root's files are made. */
static int
write_path (const struct husk_cgroup *cg, const char *path, const char *value,
            struct husk_error *err)
{
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

/* The value of path before its first write in this update: *idx is its
 * entry, -1 for a file that is never undone. */
static int
journal_add (const struct husk_cgroup *cg, const char *path, const char *file, ssize_t *idx,
             struct husk_error *err)
{
  struct cg_journal *j = cg->journal;
  char src[PATH_MAX + 16];
  *idx = -1;
  /* enabling controllers is never undone (husk never disables them) */
  if (strncmp (file, "cgroup.", 7) == 0)
    return 0;
  /* v1 devices.allow and .deny cannot be read: devices.list says what is
   * allowed; one entry for both */
  bool devices = strcmp (file, "devices.allow") == 0 || strcmp (file, "devices.deny") == 0;
  snprintf (src, sizeof src, "%.*s%s", (int) (strlen (path) - strlen (file)), path,
            devices ? "devices.allow" : file);
  for (size_t i = 0; i < j->n; i++)
    if (strcmp (j->e[i].path, src) == 0)
      {
        *idx = (ssize_t) i;
        return 0;
      }
  struct cg_journal_entry *e = realloc (j->e, (j->n + 1) * sizeof *e);
  if (e == NULL)
    return husk_error_set (err, ENOMEM, "cgroup update");
  j->e = e;
  e = &j->e[j->n];
  memset (e, 0, sizeof *e);
  e->devices = devices;
  if ((e->path = strdup (src)) == NULL || (e->value = strdup ("")) == NULL)
    {
      free (e->path);
      return husk_error_set (err, ENOMEM, "cgroup update");
    }
  if (devices)
    snprintf (src, sizeof src, "%.*sdevices.list", (int) (strlen (path) - strlen (file)), path);
  struct husk_error ignored;
  if (hk_read_file (src, 1 << 20, &e->old, NULL, &ignored) < 0)
    e->old = NULL;
  *idx = (ssize_t) j->n++;
  return 0;
}

/* value was written to the file of entry idx (one a line: per-device
 * files take many). */
static void
journal_note (const struct husk_cgroup *cg, ssize_t idx, const char *value)
{
  struct cg_journal_entry *e = &cg->journal->e[idx];
  char *all = NULL;
  if (asprintf (&all, "%s%s%s", e->value, e->value[0] ? "\n" : "", value) >= 0)
    {
      free (e->value);
      e->value = all;
    }
}

int
cg_write (const struct husk_cgroup *cg, const struct cg_place *p, const char *file,
          const char *value, struct husk_error *err)
{
  char path[PATH_MAX];
  if (cg_file (cg, p, file, path, sizeof path) < 0)
    return husk_error_setx (err, ENAMETOOLONG, "cgroup file %s: path too long", file);
  int ret;
  ssize_t idx = -1;
  size_t before = cg->journal ? cg->journal->n : 0;
  if (cg->journal && (ret = journal_add (cg, path, file, &idx, err)) < 0)
    return ret;
  ret = write_path (cg, path, value, err);
  if (idx >= 0 && ret == 0)
    journal_note (cg, idx, value);
  /* a file whose first write failed was not changed: nothing to undo */
  else if (idx >= 0 && cg->journal->n > before)
    {
      struct cg_journal_entry *e = &cg->journal->e[--cg->journal->n];
      free (e->path);
      free (e->old);
      free (e->value);
    }
  return ret;
}

/* The first token of a line ("8:0" of "8:0 100"). */
static bool
line_has_key (const char *text, const char *line)
{
  size_t kl = strcspn (line, " \n");
  for (const char *s = text; s && *s; s = strchr (s, '\n'), s = s ? s + 1 : NULL)
    if (strncmp (s, line, kl) == 0 && (s[kl] == ' ' || s[kl] == '\n' || s[kl] == '\0'))
      return true;
  return false;
}

/* Write one journal entry's old value back. */
static int
undo_one (const struct husk_cgroup *cg, const struct cg_journal_entry *e, struct husk_error *err)
{
  const char *file = strrchr (e->path, '/') + 1;
  if (e->old == NULL)
    return husk_error_setx (err, EIO, "%s: its old value could not be read",
                            e->path + strlen (cg->root));
  _cleanup_free_ char *old = strdup (e->old);
  if (old == NULL)
    return husk_error_set (err, ENOMEM, "cgroup update");
  int ret;
  if (e->devices)
    {
      /* from deny-all, each rule devices.list shows ("a *:* rwm": all) */
      char deny[PATH_MAX + 16];
      snprintf (deny, sizeof deny, "%.*s/devices.deny", (int) (file - 1 - e->path), e->path);
      if ((ret = write_path (cg, deny, "a *:* rwm", err)) < 0)
        return ret;
    }
  else if (strcmp (file, "memory.oom_control") == 0)
    {
      /* "oom_kill_disable N\nunder_oom ..." takes N */
      const char *v = strstr (old, "oom_kill_disable ");
      return write_path (cg, e->path, v && v[17] == '1' ? "1" : "0", err);
    }
  /* a per-device file: a device the update added is taken out again */
  bool throttle = strstr (file, "throttle") != NULL, iomax = strcmp (file, "io.max") == 0;
  for (const char *v = e->value; !e->devices && (throttle || iomax) && v && *v;
       v = strchr (v, '\n'), v = v ? v + 1 : NULL)
    {
      char reset[128];
      int kl = (int) strcspn (v, " \n");
      if (line_has_key (old, v))
        continue;
      snprintf (reset, sizeof reset,
                throttle ? "%.*s 0" : "%.*s rbps=max wbps=max riops=max wiops=max", kl, v);
      if ((ret = write_path (cg, e->path, reset, err)) < 0)
        return ret;
    }
  /* one line at a time (a per-device file takes one per write) */
  for (char *save = NULL, *line = strtok_r (old, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    if ((ret = write_path (cg, e->path, line, err)) < 0)
      return ret;
  return 0;
}

size_t
cg_journal_undo (const struct husk_cgroup *cg, struct cg_journal *j)
{
  size_t failed = 0;
  for (size_t i = j->n; i-- > 0;)
    {
      struct husk_error e;
      if (undo_one (cg, &j->e[i], &e) < 0)
        {
          failed++;
          cg_warn (cg, "update: restore %s: %s", j->e[i].path + strlen (cg->root), e.msg);
        }
    }
  return failed;
}

void
cg_journal_free (struct cg_journal *j)
{
  for (size_t i = 0; i < j->n; i++)
    {
      free (j->e[i].path);
      free (j->e[i].old);
      free (j->e[i].value);
    }
  free (j->e);
  j->e = NULL;
  j->n = 0;
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
