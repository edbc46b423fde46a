/* SPDX-License-Identifier: Apache-2.0 */
/* `husk exec --process FILE`: the process object, parsed and validated as
 * config.json's (hk_exec_process_parse). What it accepts is a process. */
#include "config.h"
#include "fuzz.h"
#include "husk/spec.h"
#include "container_internal.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > HUSK_SPEC_MAX_SIZE)
    return 0;
  struct husk_error err = { 0 };
  struct husk_spec *spec = NULL;
  if (hk_exec_process_parse ((const char *) data, size, "process.json", &spec, &err) == 0)
    {
      FUZZ_ASSERT (spec && spec->process && spec->process->args && spec->process->args_len > 0);
      for (size_t i = 0; i < spec->process->args_len; i++)
        FUZZ_ASSERT (spec->process->args[i] != NULL);
      FUZZ_ASSERT (spec->process->args[spec->process->args_len] == NULL);
    }
  else
    FUZZ_ASSERT (err.msg[0] != '\0');
  husk_spec_free (spec);
  return 0;
}
