/* `husk update --resources FILE`: the JSON is parsed, merged into the
 * resources recorded in state.json, the merge parsed again and checked, and
 * the result written back as JSON (what state.json keeps), which must parse
 * again. */
#include "config.h"
#include "fuzz.h"
#include "husk/spec.h"
#include "cgroups/internal.h"
#include "spec/spec_internal.h"

/* what create records for a config with a few limits */
static const char base[] =
  "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\","
  "\"major\":1,\"minor\":3,\"access\":\"rwm\"}],\"memory\":{\"limit\":536870912,"
  "\"swap\":1073741824},\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,"
  "\"cpus\":\"0-1\"},\"pids\":{\"limit\":100},\"blockIO\":{\"weight\":500},"
  "\"unified\":{\"memory.high\":\"max\"}}";

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > HUSK_SPEC_MAX_SIZE)
    return 0;
  char *text = fuzz_cstr (data, size);
  struct husk_error err = { 0 };
  struct husk_spec_resources *upd = NULL, *all = NULL;
  char *merged = NULL;
  if (cg_resources_parse (text, &upd, &err) == 0
      && cg_json_merge (base, text, &merged, &err) == 0
      && cg_resources_parse (merged, &all, &err) == 0)
    {
      struct spec_ctx c;
      spec_ctx_init (&c, "resources", &err);
      if (spec_validate_resources (&c, all) == 0)
        {
          char *json = NULL;
          if (cg_resources_json (all, &json, &err) == 0)
            {
              struct husk_spec_resources *again = NULL;
              FUZZ_ASSERT (cg_resources_parse (json, &again, &err) == 0);
              spec_free_resources (again);
              free (json);
            }
        }
    }
  free (merged);
  spec_free_resources (upd);
  spec_free_resources (all);
  free (text);
  return 0;
}
