/* SPDX-License-Identifier: Apache-2.0 */
/* process.capabilities: the bounding, effective, permitted, inheritable and
 * ambient sets, applied around the switch to process.user. */
#ifndef HUSK_CAPS_H
#define HUSK_CAPS_H

#include <stdint.h>
#include "husk/error.h"
#include "husk/log.h"
#include "husk/spec.h"

struct husk_capsets
{
  uint64_t bounding, effective, permitted, inheritable, ambient;
};

/* Names -> bit masks; errors name the field ("process.capabilities.bounding[2]"). */
int hk_caps_from_spec (const struct husk_spec_capabilities *c, struct husk_capsets *out,
                       struct husk_error *err);

/* Warn (to log, which may be NULL) of the well-formed capability names
 * that husk does not know: hk_caps_from_spec drops them (runc). */
void hk_caps_warn_unknown (const struct husk_spec_capabilities *c, const struct husk_logger *log);

/* Drop every capability outside the bounding set (PR_CAPBSET_DROP), then
 * keep capabilities across the uid change (PR_SET_KEEPCAPS). Before setuid. */
int hk_caps_drop_bounding (const struct husk_capsets *c, struct husk_error *err);

/* After setuid: capset(effective, permitted, inheritable), then raise the
 * ambient set (every other ambient capability is cleared). */
int hk_caps_apply (const struct husk_capsets *c, struct husk_error *err);

/* The highest capability number the kernel knows (/proc/sys/kernel/cap_last_cap). */
int hk_caps_last_cap (void);

#endif
