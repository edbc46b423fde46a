/* libhusk: an embeddable OCI runtime. */
#ifndef HUSK_HUSK_H
#define HUSK_HUSK_H

#include "husk/error.h"
#include "husk/log.h"
#include "husk/spec.h"
#include "husk/state.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The OCI runtime-spec version husk implements. */
#define HUSK_OCI_SPEC_VERSION "1.3.0"

/* husk's version string ("0.1.0"). */
const char *husk_version (void);
/* "MAJOR.MINOR.MICRO" of the libseccomp husk runs with, in buf. */
void husk_libseccomp_version (char *buf, size_t size);

/* Re-execute the calling program from a sealed in-memory copy of its binary
 * unless it already runs from one: a process that enters a container must
 * not let it reach the binary on the host (CVE-2019-5736 class). Returns 0
 * when nothing had to be done; otherwise only on failure. */
int husk_reexec_sealed (char **argv, char **envp, struct husk_error *err);

/* The OCI features document (runtime-spec features.md) of this build,
 * indented JSON. Only what husk implements is claimed. */
int husk_features_json (char **out, size_t *len, struct husk_error *err);

#ifdef __cplusplus
}
#endif
#endif
