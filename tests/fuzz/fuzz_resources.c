/* SPDX-License-Identifier: Apache-2.0 */
/* `husk update --resources FILE` as husk_container_update reads it: the
 * update's text parsed strictly, merged into the resources recorded in
 * state.json, the merge parsed again; then the merged resources written
 * back as JSON (what state.json keeps), which must parse again, strictly,
 * and the container's cgroup record with them, which must read again (as
 * delete reads it). */
#include "config.h"
#include "fuzz.h"
#include "husk/spec.h"
#include "cgroups/internal.h"
#include "spec/spec_internal.h"

/* what create records for a config with a few limits */
static const char base[]
    = "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\","
      "\"major\":1,\"minor\":3,\"access\":\"rwm\"}],\"memory\":{\"limit\":536870912,"
      "\"swap\":1073741824},\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,"
      "\"cpus\":\"0-1\"},\"pids\":{\"limit\":100},\"blockIO\":{\"weight\":500},"
      "\"unified\":{\"memory.high\":\"max\"}}";

/* the record of a v1 container around those resources */
static const char record_head[]
    = "{\"driver\":\"cgroupfs\",\"mode\":\"v1\",\"places\":[{\"controllers\":\"memory\","
      "\"v2\":false,\"path\":\"/sys/fs/cgroup/memory/husk/c1\",\"created\":"
      "\"/sys/fs/cgroup/memory/husk\"}],\"resources\":";

static void
check_record (const char *resources)
{
  struct husk_error err = { 0 };
  size_t n = strlen (record_head) + strlen (resources) + 2;
  char *text = malloc (n);
  if (text == NULL)
    abort ();
  snprintf (text, n, "%s%s}", record_head, resources);
  struct husk_cgroup *cg = NULL;
  FUZZ_ASSERT (hk_cgroup_from_state (text, NULL, &cg, &err) == 0);
  char *rec = NULL;
  FUZZ_ASSERT (hk_cgroup_to_state (cg, &rec, &err) == 0);
  struct husk_cgroup *again = NULL;
  FUZZ_ASSERT (rec == NULL || hk_cgroup_from_state (rec, NULL, &again, &err) == 0);
  hk_cgroup_free (again);
  hk_cgroup_free (cg);
  free (rec);
  free (text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > HUSK_SPEC_MAX_SIZE)
    return 0;
  char *text = fuzz_cstr (data, size);
  struct husk_error err = { 0 };
  struct husk_spec_resources *upd = NULL, *all = NULL;
  char *merged = NULL;
  if (cg_resources_parse (text, true, &upd, &err) == 0
      && cg_json_merge (base, text, &merged, &err) == 0
      && cg_resources_parse (merged, false, &all, &err) == 0)
    {
      check_record (merged);
      char *json = NULL;
      if (cg_resources_json (all, &json, &err) == 0)
        {
          struct husk_spec_resources *again = NULL;
          FUZZ_ASSERT (cg_resources_parse (json, true, &again, &err) == 0);
          spec_free_resources (again);
          check_record (json);
          free (json);
        }
    }
  free (merged);
  spec_free_resources (upd);
  spec_free_resources (all);
  free (text);
  return 0;
}
