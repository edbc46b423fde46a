/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of husk_signal_parse (husk kill's SIGNAL argument). */
#include "config.h"
#include <errno.h>
#include <signal.h>
#include "husk/husk.h"
#include "husk/container.h"
#include "tap.h"

int
main (void)
{
  int sig = 0;
  ok (husk_signal_parse ("KILL", &sig) == 0 && sig == SIGKILL, "KILL");
  ok (husk_signal_parse ("sigterm", &sig) == 0 && sig == SIGTERM, "sigterm, any case");
  ok (husk_signal_parse ("9", &sig) == 0 && sig == 9, "a number");
  ok (husk_signal_parse ("RTMIN+3", &sig) == 0 && sig == SIGRTMIN + 3, "RTMIN+3");
  ok (husk_signal_parse ("SIGRTMAX-2", &sig) == 0 && sig == SIGRTMAX - 2, "SIGRTMAX-2");
  ok (husk_signal_parse ("RTMAX", &sig) == 0 && sig == SIGRTMAX, "RTMAX");
  ok (husk_signal_parse ("0", &sig) == 0 && sig == 0, "0: is the process there (kill(2), runc)");
  ok (husk_signal_parse ("-0", &sig) < 0, "-0 refused");
  ok (husk_signal_parse ("+9", &sig) < 0, "+9 refused");
  ok (husk_signal_parse (" 9", &sig) < 0, "a leading space refused");
  ok (husk_signal_parse ("65", &sig) < 0, "65 refused");
  ok (husk_signal_parse ("", &sig) < 0, "empty refused");
  ok (husk_signal_parse ("FOO", &sig) < 0, "unknown name refused");
  ok (husk_signal_parse ("RTMIN+31", &sig) < 0, "past RTMAX refused");
  ok (husk_signal_parse ("RTMAX-31", &sig) < 0, "below RTMIN refused");
  /* found by tests/fuzz/fuzz_signal: the offset overflowed the sum (UB) */
  ok (husk_signal_parse ("RTMIN+9223372036854775807", &sig) < 0, "huge RTMIN offset refused");
  ok (husk_signal_parse ("RTMIN+99999999999999999999999", &sig) < 0,
      "out-of-range RTMIN offset refused");
  ok (husk_signal_parse ("RTMAX-9223372036854775808", &sig) < 0, "huge RTMAX offset refused");
  ok (husk_signal_parse ("99999999999999999999999", &sig) < 0, "out-of-range number refused");
  return tap_done ();
}
