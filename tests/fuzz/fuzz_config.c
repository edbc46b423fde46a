/* SPDX-License-Identifier: Apache-2.0 */
/* config.json: husk_spec_parse, then husk_spec_validate and the sysctl
 * check of create, as `husk create` reads a bundle. */
#include "config.h"
#include "fuzz.h"
#include "husk/spec.h"
#include "rootfs/rootfs_internal.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > HUSK_SPEC_MAX_SIZE)
    return 0;
  char *text = fuzz_cstr (data, size);
  struct husk_error err = { 0 };
  struct husk_spec *spec = NULL;
  if (husk_spec_parse (text, size, "config.json", &spec, &err) == 0)
    {
      FUZZ_ASSERT (spec != NULL);
      if (husk_spec_validate (spec, "config.json", &err) == 0)
        hk_sysctl_validate (spec, &err);
      husk_spec_free (spec);
    }
  else
    FUZZ_ASSERT (err.msg[0] != '\0');
  free (text);
  return 0;
}
