/* SPDX-License-Identifier: Apache-2.0 */
/* state.json: husk_state_from_json and the cgroup record inside it, as
 * every command after create reads them; what is read is written back and
 * must read again. */
#include "config.h"
#include "fuzz.h"
#include "husk/state.h"
#include "cgroups/cgroups.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text = fuzz_cstr (data, size);
  struct husk_error err = { 0 };
  struct husk_state *st = NULL;
  if (husk_state_from_json (text, size, &st, &err) == 0)
    {
      char *json = NULL, *pub = NULL;
      size_t len = 0;
      FUZZ_ASSERT (husk_state_to_json (st, false, "root", "  ", &pub, NULL, &err) == 0);
      if (husk_state_to_json (st, true, NULL, NULL, &json, &len, &err) == 0)
        {
          struct husk_state *again = NULL;
          FUZZ_ASSERT (husk_state_from_json (json, len, &again, &err) == 0);
          FUZZ_ASSERT (strcmp (again->id, st->id) == 0 && again->pid == st->pid
                       && again->status == st->status);
          husk_state_free (again);
        }
      if (st->cgroup)
        {
          struct husk_cgroup *cg = NULL;
          if (hk_cgroup_from_state (st->cgroup, "/nonexistent", &cg, &err) == 0)
            {
              char *rec = NULL;
              if (hk_cgroup_to_state (cg, &rec, &err) == 0)
                free (rec);
              hk_cgroup_free (cg);
            }
        }
      free (json);
      free (pub);
      husk_state_free (st);
    }
  free (text);
  return 0;
}
