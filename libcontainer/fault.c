/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"

int
hk_fault_enabled (void)
{
#ifdef HUSK_FAULT_INJECTION
  return 1;
#else
  return 0;
#endif
}

#ifdef HUSK_FAULT_INJECTION
void
hk_fault_point (const char *op, int step)
{
  const char *f = getenv ("HUSK_FAULT");
  size_t n = strlen (op);
  if (f == NULL || strncmp (f, op, n) != 0 || f[n] != ':')
    return;
  char *end;
  long want = strtol (f + n + 1, &end, 10);
  if (*end != '\0' || want != step)
    return;
  /* as the OOM killer would: no cleanup, no message */
  raise (SIGKILL);
}
#endif
