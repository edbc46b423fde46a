/* SPDX-License-Identifier: Apache-2.0 */
/* Signal names and numbers of `husk kill` (husk_signal_parse). */
#include "config.h"
#include <signal.h>
#include "fuzz.h"
#include "husk/container.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *s = fuzz_cstr (data, size);
  int sig = -1;
  if (husk_signal_parse (s, &sig) == 0)
    FUZZ_ASSERT (sig >= 1 && sig < NSIG && sig <= SIGRTMAX);
  free (s);
  return 0;
}
