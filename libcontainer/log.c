/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <fcntl.h>
#include <stdarg.h>
#include <time.h>
#include "husk/log.h"
#include "utils.h"
#include "store.h"

static const char *const level_names[] = { "error", "warning", "info", "debug" };

int
husk_log_format_parse (const char *s, enum husk_log_format *out)
{
  if (strcmp (s, "text") == 0)
    *out = HUSK_LOG_FORMAT_TEXT;
  else if (strcmp (s, "json") == 0)
    *out = HUSK_LOG_FORMAT_JSON;
  else
    return -EINVAL;
  return 0;
}

void
husk_log_init (struct husk_logger *log)
{
  log->fd = -1;
  log->format = HUSK_LOG_FORMAT_TEXT;
  log->level = HUSK_LOG_WARNING;
  log->echo_stderr = true;
}

int
husk_log_open (struct husk_logger *log, const char *path)
{
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return -errno;
  if (log->fd >= 0)
    close (log->fd);
  log->fd = fd;
  return 0;
}

void
husk_log_close (struct husk_logger *log)
{
  if (log->fd >= 0)
    close (log->fd);
  log->fd = -1;
}

/* Append s to buf as the inside of a JSON string (or a logfmt quoted value). */
static size_t
append_escaped (char *buf, size_t pos, size_t size, const char *s)
{
  for (; *s && pos + 7 < size; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c == '"' || c == '\\')
        {
          buf[pos++] = '\\';
          buf[pos++] = (char) c;
        }
      else if (c == '\n')
        {
          buf[pos++] = '\\';
          buf[pos++] = 'n';
        }
      else if (c == '\t')
        {
          buf[pos++] = '\\';
          buf[pos++] = 't';
        }
      else if (c < 0x20)
        pos += (size_t) snprintf (buf + pos, size - pos, "\\u%04x", c);
      else
        buf[pos++] = (char) c;
    }
  buf[pos] = '\0';
  return pos;
}

int
hk_log_format_line (enum husk_log_format format, enum husk_log_level level, const char *msg,
                    long long epoch_secs, char *buf, size_t size)
{
  char ts[64];
  time_t t = (time_t) epoch_secs;
  struct tm tm;
  if (size < 64)
    return -ENOSPC;
  gmtime_r (&t, &tm);
  strftime (ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  const char *lv = level_names[level];
  size_t pos;
  if (format == HUSK_LOG_FORMAT_JSON)
    {
      pos = (size_t) snprintf (buf, size, "{\"level\":\"%s\",\"msg\":\"", lv);
      pos = append_escaped (buf, pos, size - 16 - strlen (ts), msg);
      snprintf (buf + pos, size - pos, "\",\"time\":\"%s\"}", ts);
    }
  else
    {
      pos = (size_t) snprintf (buf, size, "time=\"%s\" level=%s msg=\"", ts, lv);
      pos = append_escaped (buf, pos, size - 2, msg);
      snprintf (buf + pos, size - pos, "\"");
    }
  return 0;
}

void
husk_log (const struct husk_logger *log, enum husk_log_level level, const char *fmt, ...)
{
  if (log == NULL || level > log->level)
    return;
  char msg[2048];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);

  int saved = errno;
  if (log->fd >= 0)
    {
      char line[4096];
      if (hk_log_format_line (log->format, level, msg, (long long) time (NULL), line,
                              sizeof line - 1)
          == 0)
        {
          size_t n = strlen (line);
          line[n++] = '\n';
          (void) hk_write_all (log->fd, line, n);
        }
    }
  if (log->echo_stderr && (level <= HUSK_LOG_WARNING || log->fd < 0))
    {
      if (level == HUSK_LOG_ERROR)
        fprintf (stderr, "husk: %s\n", msg);
      else
        fprintf (stderr, "husk: %s: %s\n", level_names[level], msg);
    }
  errno = saved;
}
