/* SPDX-License-Identifier: Apache-2.0 */
/* What the spec module offers the rest of libhusk besides the public
 * config API: linux.resources parsed on its own (update, state records). */
#ifndef HUSK_SPEC_RESOURCES_H
#define HUSK_SPEC_RESOURCES_H

#include "husk/spec.h"
#include <yajl/yajl_tree.h>

/* A linux.resources object (already parsed JSON) into the typed struct,
 * with the same checks as in config.json; errors are "NAME: path: ...". */
int hk_spec_resources_from_json (yajl_val v, const char *name, struct husk_spec_resources **out,
                                 struct husk_error *err);
void hk_spec_resources_free (struct husk_spec_resources *r);

#endif
