/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the error chain and the log line formats. */
#include "config.h"
#include <errno.h>
#include "husk/husk.h"
#include "tap.h"
#include "store.h"

int
main (void)
{
  struct husk_error err = { 0 };

  is_int (husk_error_set (&err, EPERM, "mount \"%s\" on \"%s\"", "proc", "/proc"), -EPERM,
          "husk_error_set returns -code");
  is_str (err.msg, "mount \"proc\" on \"/proc\": Operation not permitted",
          "message names operation and errno");
  is_int (err.code, EPERM, "code kept");

  is_int (husk_error_setx (&err, EINVAL, "process.args: must be a non-empty array of strings"),
          -EINVAL, "setx returns -code");
  is_str (err.msg, "process.args: must be a non-empty array of strings", "setx adds no errno text");

  husk_error_prefix (&err, "config.json");
  is_str (err.msg, "config.json: process.args: must be a non-empty array of strings",
          "prefix prepends");

  is_int (husk_error_set (&err, -ENOENT, "open"), -ENOENT, "negative code is accepted");
  is_int (husk_error_set (NULL, ENOENT, "open"), -ENOENT, "NULL err still returns the code");

  char big[3000];
  memset (big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  husk_error_setx (&err, EINVAL, "%s", big);
  is_int (strlen (err.msg), HUSK_ERROR_MSG_MAX - 1, "long message truncated, not overflowed");
  husk_error_clear (&err);
  is_str (err.msg, "", "clear empties the message");

  /* the kind: failed by default, invalid when marked, kept by prefix */
  husk_error_set (&err, ENOENT, "open");
  is_int (err.kind, HUSK_ERROR_FAILED, "an error is a failure by default");
  is_int (husk_error_invalid (&err, -ENOENT), -ENOENT, "husk_error_invalid returns ret");
  is_int (err.kind, HUSK_ERROR_INVALID, "marked invalid");
  husk_error_prefix (&err, "exec");
  is_int (err.kind, HUSK_ERROR_INVALID, "prefix keeps the kind");
  husk_error_setx (&err, EINVAL, "again");
  is_int (err.kind, HUSK_ERROR_FAILED, "a new error resets the kind");
  husk_error_invalid (&err, 0);
  is_int (err.kind, HUSK_ERROR_FAILED, "ret 0 marks nothing");
  is_int (husk_id_validate ("a/b", &err), -EINVAL, "a bad id is refused");
  is_int (err.kind, HUSK_ERROR_INVALID, "a bad id is invalid input");

  char line[512];
  hk_log_format_line (HUSK_LOG_FORMAT_JSON, HUSK_LOG_ERROR, "container \"a\" does not exist", 0,
                      line, sizeof line);
  is_str (
      line,
      "{\"level\":\"error\",\"msg\":\"container \\\"a\\\" does not exist\",\"time\":\"1970-01-01T00:00:00Z\"}",
      "JSON log line: level, msg (escaped), time RFC 3339");
  hk_log_format_line (HUSK_LOG_FORMAT_TEXT, HUSK_LOG_WARNING, "two\nlines", 86400, line,
                      sizeof line);
  is_str (line, "time=\"1970-01-02T00:00:00Z\" level=warning msg=\"two\\nlines\"",
          "text log line, newline escaped");
  hk_log_format_line (HUSK_LOG_FORMAT_JSON, HUSK_LOG_DEBUG, "\x01", 0, line, sizeof line);
  like (line, "\\u0001", "control characters escaped as \\u");

  enum husk_log_format f;
  is_int (husk_log_format_parse ("json", &f), 0, "json format parses");
  is_int (f, HUSK_LOG_FORMAT_JSON, "json format value");
  is_int (husk_log_format_parse ("xml", &f), -EINVAL, "unknown format refused");
  return tap_done ();
}
