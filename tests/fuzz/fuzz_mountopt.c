/* SPDX-License-Identifier: Apache-2.0 */
/* A mount's "options" (hk_mountopt_parse), split at NUL bytes, and the
 * lexical path cleaning that every destination goes through: the result of
 * hk_path_clean / hk_path_join never climbs out of "/". */
#include "config.h"
#include "fuzz.h"
#include "rootfs/rootfs_internal.h"

#define MAX_OPTIONS 64

static void
check_clean (const char *p)
{
  FUZZ_ASSERT (p[0] == '/');
  /* no "." or ".." component, no "//", no trailing "/" except for "/" */
  for (const char *s = p; *s;)
    {
      const char *e = strchr (s + 1, '/');
      size_t n = e ? (size_t) (e - s - 1) : strlen (s + 1);
      FUZZ_ASSERT (!(n == 1 && s[1] == '.') && !(n == 2 && s[1] == '.' && s[2] == '.'));
      FUZZ_ASSERT (n > 0 || strcmp (p, "/") == 0);
      if (e == NULL)
        break;
      s = e;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *buf, *opts[MAX_OPTIONS + 1];
  size_t n = fuzz_split (data, size, opts, MAX_OPTIONS, &buf);
  opts[n] = NULL;
  struct husk_error err = { 0 };
  struct husk_mountopt m;
  memset (&m, 0, sizeof m);
  if (hk_mountopt_parse (opts, n, &m, &err) == 0)
    {
      FUZZ_ASSERT (m.propagation_len <= HUSK_MOUNTOPT_MAX_PROPAGATION);
      hk_mountopt_free (&m);
    }
  for (size_t i = 0; i < n; i++)
    hk_mountopt_propagation (opts[i]);

  char *clean = NULL, *joined = NULL;
  if (hk_path_clean (opts[0], &clean, &err) == 0)
    {
      check_clean (clean);
      FUZZ_ASSERT (hk_path_has_prefix (clean, "/"));
    }
  if (n > 1 && hk_path_join (opts[0], opts[1], &joined, &err) == 0 && opts[0][0] == '/')
    {
      /* joined stays below the first path (cleaned) */
      FUZZ_ASSERT (clean != NULL && hk_path_has_prefix (joined, clean));
    }
  free (clean);
  free (joined);
  free (buf);
  return 0;
}
