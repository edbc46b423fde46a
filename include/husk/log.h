/* SPDX-License-Identifier: Apache-2.0 */
/* husk logging: text or JSON lines, runc-compatible (containerd and Podman
 * read the JSON lines: level, msg, time). The logger is a plain struct owned
 * by the caller; libhusk keeps no global state. */
#ifndef HUSK_LOG_H
#define HUSK_LOG_H

#include "husk/export.h"
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

enum husk_log_format
{
  HUSK_LOG_FORMAT_TEXT = 0,
  HUSK_LOG_FORMAT_JSON
};
enum husk_log_level
{
  HUSK_LOG_ERROR = 0,
  HUSK_LOG_WARNING,
  HUSK_LOG_INFO,
  HUSK_LOG_DEBUG
};

struct husk_logger
{
  int fd;                      /* log file, or -1 for none */
  enum husk_log_format format; /* format of lines written to fd */
  enum husk_log_level level;   /* most verbose level written */
  bool echo_stderr;            /* also print "husk: msg" to stderr (errors and warnings) */
};

/* Parse "text" or "json"; returns 0 or -EINVAL. */
HUSK_API int husk_log_format_parse (const char *s, enum husk_log_format *out);

/* Initialise: no file, text, errors and warnings, echo to stderr. */
HUSK_API void husk_log_init (struct husk_logger *log);

/* Open (append) a log file. Returns 0 or -errno. */
HUSK_API int husk_log_open (struct husk_logger *log, const char *path);
HUSK_API void husk_log_close (struct husk_logger *log);

HUSK_API void husk_log (const struct husk_logger *log, enum husk_log_level level, const char *fmt,
                        ...) __attribute__ ((format (printf, 3, 4)));

#define husk_log_error(l, ...) husk_log ((l), HUSK_LOG_ERROR, __VA_ARGS__)
#define husk_log_warn(l, ...) husk_log ((l), HUSK_LOG_WARNING, __VA_ARGS__)
#define husk_log_info(l, ...) husk_log ((l), HUSK_LOG_INFO, __VA_ARGS__)
#define husk_log_debug(l, ...) husk_log ((l), HUSK_LOG_DEBUG, __VA_ARGS__)

#ifdef __cplusplus
}
#endif
#endif
