/* SPDX-License-Identifier: Apache-2.0 */
/* The systemd driver loads libsystemd.so.0 with dlopen. A library that lacks
 * an sd-bus function is refused, and stays refused: the first refusal used to
 * leave some of the function pointers set, so the next call took the library
 * as loaded and went on with the missing functions (NULL). Here the stand-in
 * tests/unit/sdstub.c, loaded first, answers to the name libsystemd.so.0
 * (its soname). */
#include "config.h"
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include "cgroups/internal.h"
#include "tap.h"

int
main (int argc, char **argv)
{
  char self[PATH_MAX], stub[PATH_MAX + 32];
  snprintf (self, sizeof self, "%s", argc > 0 ? argv[0] : "");
  snprintf (stub, sizeof stub, "%s/sdstub/.libs/libsystemd.so.0", dirname (self));
  void *h = dlopen (stub, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL || dlopen ("libsystemd.so.0", RTLD_NOW | RTLD_NOLOAD) != h)
    {
      printf ("1..0 # SKIP the stand-in libsystemd.so.0 (%s) is not the one loaded\n", stub);
      return 0;
    }
  struct husk_cgroup cg = { .unit = (char *) "husk-test.scope", .slice = (char *) "x.slice" };
  for (int i = 1; i <= 2; i++)
    {
      struct husk_error err = { 0 };
      char desc[128];
      snprintf (desc, sizeof desc, "call %d: a libsystemd without all of sd-bus is refused", i);
      ok (cg_sd_stop (&cg, &err) == -ENOTSUP, desc);
      like (err.msg, "lacks an sd-bus function", "  and the message says why");
    }
  return tap_done ();
}
