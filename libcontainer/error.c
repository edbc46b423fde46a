/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "husk/error.h"

static int
error_vset (struct husk_error *err, int code, int with_errno, const char *fmt, va_list ap)
{
  if (code < 0)
    code = -code;
  if (code == 0)
    code = EINVAL;
  if (err == NULL)
    return -code;
  err->code = code;
  err->kind = HUSK_ERROR_FAILED;
  int n = vsnprintf (err->msg, sizeof err->msg, fmt, ap);
  if (n < 0)
    {
      err->msg[0] = '\0';
      n = 0;
    }
  if (with_errno && (size_t) n < sizeof err->msg)
    snprintf (err->msg + n, sizeof err->msg - n, ": %s", strerror (code));
  return -code;
}

int
husk_error_set (struct husk_error *err, int code, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int ret = error_vset (err, code, code != 0, fmt, ap);
  va_end (ap);
  return ret;
}

int
husk_error_setx (struct husk_error *err, int code, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int ret = error_vset (err, code, 0, fmt, ap);
  va_end (ap);
  return ret;
}

int
husk_error_prefix (struct husk_error *err, const char *fmt, ...)
{
  if (err == NULL)
    return -EINVAL;
  char prefix[HUSK_ERROR_MSG_MAX];
  char old[HUSK_ERROR_MSG_MAX];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (prefix, sizeof prefix, fmt, ap);
  va_end (ap);
  memcpy (old, err->msg, sizeof old);
  /* a too long chain is cut at the end, never overflowed */
  if (snprintf (err->msg, sizeof err->msg, "%s: %s", prefix, old) < 0)
    err->msg[0] = '\0';
  if (err->code == 0)
    err->code = EINVAL;
  return -err->code;
}

void
husk_error_clear (struct husk_error *err)
{
  if (err == NULL)
    return;
  err->code = 0;
  err->msg[0] = '\0';
  err->kind = HUSK_ERROR_FAILED;
}

int
husk_error_invalid (struct husk_error *err, int ret)
{
  if (ret < 0 && err)
    err->kind = HUSK_ERROR_INVALID;
  return ret;
}
