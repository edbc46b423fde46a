/* SPDX-License-Identifier: Apache-2.0 */
/* Signal names and numbers of `husk kill` (husk_signal_parse). */
#include "config.h"
#include <signal.h>
#include <string.h>
#include "fuzz.h"
#include "husk/container.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *s = fuzz_cstr (data, size);
  int sig = -1;
  /* 0 is "is the process there" (kill(2), runc); only from zeros ("0", "00") */
  if (husk_signal_parse (s, &sig) == 0)
    FUZZ_ASSERT (sig >= 0 && sig < NSIG && sig <= SIGRTMAX
                 && (sig > 0 || (s[0] && strspn (s, "0") == strlen (s))));
  free (s);
  return 0;
}
