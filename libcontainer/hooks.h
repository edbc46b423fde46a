/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hooks: run a program with the state JSON on its stdin, bounded by a
 * timeout (killed when it runs past it, which counts as a failure). */
#ifndef HUSK_HOOKS_H
#define HUSK_HOOKS_H

#include "husk/error.h"
#include "husk/spec.h"

/* Run one hook. kind names it in errors ("prestart"), index its position. */
int hk_hook_run (const char *kind, size_t index, const struct husk_spec_hook *hook,
                 const char *state_json, struct husk_error *err);

/* Run every hook of a list in order; stops at the first failure. */
int hk_hooks_run (const char *kind, const struct husk_spec_hook *hooks, size_t n,
                  const char *state_json, struct husk_error *err);

#endif
