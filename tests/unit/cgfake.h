/* SPDX-License-Identifier: Apache-2.0 */
/* A fake root for the cgroups unit tests: /proc/self/mountinfo,
 * /proc/self/cgroup, /sys/fs/cgroup and /sys/kernel/mm/hugepages of a host
 * that is not this one, in a temporary directory (one per process). */
#ifndef HUSK_TEST_CGFAKE_H
#define HUSK_TEST_CGFAKE_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "husk/cgroups.h"
#include "spec/spec_internal.h"
#include "utils.h"

static char root[PATH_MAX];

static inline struct husk_spec_resources *
resources (const char *json)
{
  char ebuf[256];
  struct husk_error err = { 0 };
  struct husk_spec_resources *r = NULL;
  yajl_val v = yajl_tree_parse (json, ebuf, sizeof ebuf);
  struct spec_ctx c;
  spec_ctx_init (&c, "resources", &err);
  if (v == NULL || spec_parse_resources (&c, v, &r) < 0)
    {
      printf ("# bad test resources %s: %s\n", json, err.msg);
      exit (2);
    }
  yajl_tree_free (v);
  return r;
}

static inline void
mkdirs (const char *fmt, ...)
{
  char rel[PATH_MAX], path[PATH_MAX * 2];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (rel, sizeof rel, fmt, ap);
  va_end (ap);
  snprintf (path, sizeof path, "%s%s", root, rel);
  for (char *s = path + strlen (root) + 1; (s = strchr (s, '/')); s++)
    {
      *s = '\0';
      mkdir (path, 0755);
      *s = '/';
    }
  mkdir (path, 0755);
}

static inline void
put (const char *rel, const char *content)
{
  char path[PATH_MAX * 2];
  snprintf (path, sizeof path, "%s%s", root, rel);
  FILE *f = fopen (path, "w");
  if (f)
    {
      fputs (content, f);
      fclose (f);
    }
}

/* The content of a file of the fake root, "" when missing (static buffer). */
static inline const char *
get (const char *fmt, ...)
{
  static char buf[4096];
  char rel[PATH_MAX], path[PATH_MAX * 2];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (rel, sizeof rel, fmt, ap);
  va_end (ap);
  snprintf (path, sizeof path, "%s%s", root, rel);
  buf[0] = '\0';
  FILE *f = fopen (path, "r");
  if (f)
    {
      size_t n = fread (buf, 1, sizeof buf - 1, f);
      buf[n] = '\0';
      fclose (f);
    }
  return buf;
}

static inline bool
exists (const char *rel)
{
  char path[PATH_MAX * 2];
  snprintf (path, sizeof path, "%s%s", root, rel);
  return access (path, F_OK) == 0;
}

static inline void
new_root (void)
{
  snprintf (root, sizeof root, "/tmp/husk-cgroups-test.XXXXXX");
  if (mkdtemp (root) == NULL)
    exit (2);
  mkdirs ("/proc/self");
  /* the host's huge page sizes (2MB) */
  mkdirs ("/sys/kernel/mm/hugepages/hugepages-2048kB");
}

static inline void
drop_root (void)
{
  struct husk_error err;
  hk_rmtree_at (AT_FDCWD, root, &err);
}

#endif
