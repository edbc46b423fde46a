/* SPDX-License-Identifier: Apache-2.0 */
/* husk error chain: every fallible libhusk function returns 0 or a negative
 * errno and fills a struct husk_error with one line naming the operation and
 * its input, e.g. `mount "proc" on "/proc": Operation not permitted`. */
#ifndef HUSK_ERROR_H
#define HUSK_ERROR_H

#include "husk/export.h"
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HUSK_ERROR_MSG_MAX 1024

/* What kind of failure an error is (docs/conformance.md, "Exit status").
 * The command line exits 1 for HUSK_ERROR_INVALID everywhere; exec exits
 * 255 for HUSK_ERROR_FAILED, as runc, so that a caller can tell the
 * runtime's failure from the process's own status. */
enum husk_error_kind
{
  HUSK_ERROR_FAILED = 0,  /* the request was well-formed; carrying it out failed
                             (a missing or paused container, a process that
                             could not start, a file that could not be written) */
  HUSK_ERROR_INVALID = 1, /* the request itself was refused: a malformed id,
                             flag, config.json or process; nothing was done */
};

struct husk_error
{
  int code;                     /* positive errno, 0 when unset */
  char msg[HUSK_ERROR_MSG_MAX]; /* one line, no trailing newline */
  int kind;                     /* enum husk_error_kind; every setter resets it
                                   to HUSK_ERROR_FAILED, prefix keeps it */
};

/* Set the message (printf format) and return -code. When code is non-zero,
 * ": strerror(code)" is appended. */
HUSK_API int husk_error_set (struct husk_error *err, int code, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Set the message without an errno suffix; returns -code. */
HUSK_API int husk_error_setx (struct husk_error *err, int code, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Prepend context: "context: previous message". Returns -err->code (or -EINVAL). */
HUSK_API int husk_error_prefix (struct husk_error *err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

HUSK_API void husk_error_clear (struct husk_error *err);

/* Mark err (already set) as HUSK_ERROR_INVALID when ret < 0; returns ret. */
HUSK_API int husk_error_invalid (struct husk_error *err, int ret);

#ifdef __cplusplus
}
#endif
#endif
