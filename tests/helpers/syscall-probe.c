/* SPDX-License-Identifier: Apache-2.0 */
/* Make raw syscalls and print what they return, for the seccomp tests inside
 * containers (linked statically: the busybox rootfs has no libc).
 *
 *   syscall-probe NR...      for each number: "NR ok" or "NR errno N"
 *
 * Every syscall gets six zero arguments, so pick numbers for which that is
 * harmless (clone3 and openat2 fail with EINVAL, mkdir with EFAULT, ...).
 * Run without arguments (as `make check` does), it tests itself and prints
 * TAP. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void
probe (long nr, char *out, size_t size)
{
  errno = 0;
  long r = syscall (nr, 0L, 0L, 0L, 0L, 0L, 0L);
  if (r < 0)
    snprintf (out, size, "%ld errno %d", nr, errno);
  else
    snprintf (out, size, "%ld ok", nr);
}

int
main (int argc, char **argv)
{
  char line[64];
  if (argc == 1)
    {
      char want[64];
      int failed = 0;
      probe (SYS_getppid, line, sizeof line);
      snprintf (want, sizeof want, "%ld ok", (long) SYS_getppid);
      failed += strcmp (line, want) != 0;
      printf ("%sok 1 - getppid: %s\n", strcmp (line, want) ? "not " : "", line);
      probe (100000, line, sizeof line);
      snprintf (want, sizeof want, "100000 errno %d", ENOSYS);
      failed += strcmp (line, want) != 0;
      printf ("%sok 2 - a number no kernel has: %s\n", strcmp (line, want) ? "not " : "", line);
      printf ("1..2\n");
      return failed ? 1 : 0;
    }
  for (int i = 1; i < argc; i++)
    {
      char *end;
      long nr = strtol (argv[i], &end, 10);
      if (*end || end == argv[i])
        {
          fprintf (stderr, "syscall-probe: %s: not a number\n", argv[i]);
          return 2;
        }
      probe (nr, line, sizeof line);
      printf ("%s\n", line);
    }
  return 0;
}
