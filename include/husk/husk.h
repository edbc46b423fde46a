/* SPDX-License-Identifier: Apache-2.0 */
/* libhusk: an embeddable OCI runtime. */
#ifndef HUSK_HUSK_H
#define HUSK_HUSK_H

#include "husk/export.h"
#include "husk/error.h"
#include "husk/log.h"
#include "husk/spec.h"
#include "husk/state.h"
#include "husk/container.h"
#include "husk/cgroups.h"
#include "husk/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The OCI runtime-spec version husk implements. */
#define HUSK_OCI_SPEC_VERSION "1.3.0"

/* husk's version string ("0.1.0"). */
HUSK_API const char *husk_version (void);
/* "MAJOR.MINOR.MICRO" of the libseccomp husk runs with, in buf. */
HUSK_API void husk_libseccomp_version (char *buf, size_t size);

/* The OCI features document (runtime-spec features.md) of this build,
 * indented JSON. Only what husk implements is claimed. */
HUSK_API int husk_features_json (char **out, size_t *len, struct husk_error *err);

#ifdef __cplusplus
}
#endif
#endif
