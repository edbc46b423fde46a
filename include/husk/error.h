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

struct husk_error
{
  int code;                     /* positive errno, 0 when unset */
  char msg[HUSK_ERROR_MSG_MAX]; /* one line, no trailing newline */
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

#ifdef __cplusplus
}
#endif
#endif
