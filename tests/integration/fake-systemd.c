/* SPDX-License-Identifier: Apache-2.0 */
/* A stand-in for systemd's manager on a private D-Bus, for the systemd
 * cgroup driver's integration test on hosts without systemd as PID 1.
 *
 *   fake-systemd LOG MOUNT...
 *
 * Owns org.freedesktop.systemd1 on the system bus ($DBUS_SYSTEM_BUS_ADDRESS),
 * answers StartTransientUnit by writing the unit's name and every property
 * to LOG ("Name=value" lines) and making the scope's directory under each
 * cgroup MOUNT (as systemd would, for a top-level slice), and StopUnit by
 * logging it. Writes "ready" to LOG once it owns the name. */
#include "config.h"
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>

static const char *log_path;
static char **mounts;
static int nmounts;

static void
logf_ (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
static void
logf_ (const char *fmt, ...)
{
  FILE *f = fopen (log_path, "a");
  if (f == NULL)
    return;
  va_list ap;
  va_start (ap, fmt);
  vfprintf (f, fmt, ap);
  va_end (ap);
  fclose (f);
}

static int
read_variant (sd_bus_message *m, const char *name, char *slice, size_t size)
{
  const char *contents;
  char type;
  int r = sd_bus_message_peek_type (m, &type, &contents);
  if (r < 0 || (r = sd_bus_message_enter_container (m, 'v', contents)) < 0)
    return r;
  if (strcmp (contents, "s") == 0)
    {
      const char *s;
      if ((r = sd_bus_message_read (m, "s", &s)) < 0)
        return r;
      logf_ ("%s=%s\n", name, s);
      if (strcmp (name, "Slice") == 0)
        snprintf (slice, size, "%s", s);
    }
  else if (strcmp (contents, "b") == 0)
    {
      int b;
      if ((r = sd_bus_message_read (m, "b", &b)) < 0)
        return r;
      logf_ ("%s=%s\n", name, b ? "yes" : "no");
    }
  else if (strcmp (contents, "t") == 0)
    {
      uint64_t t;
      if ((r = sd_bus_message_read (m, "t", &t)) < 0)
        return r;
      logf_ ("%s=%" PRIu64 "\n", name, t);
    }
  else if (strcmp (contents, "ay") == 0)
    {
      const void *p;
      size_t n;
      if ((r = sd_bus_message_read_array (m, 'y', &p, &n)) < 0)
        return r;
      logf_ ("%s=", name);
      for (size_t i = 0; i < n; i++)
        logf_ ("%02x", ((const unsigned char *) p)[i]);
      logf_ ("\n");
    }
  else if (strcmp (contents, "au") == 0)
    {
      uint32_t u;
      if ((r = sd_bus_message_enter_container (m, 'a', "u")) < 0)
        return r;
      logf_ ("%s=", name);
      while ((r = sd_bus_message_read (m, "u", &u)) > 0)
        logf_ ("%u ", u);
      logf_ ("\n");
      if (r < 0 || (r = sd_bus_message_exit_container (m)) < 0)
        return r;
    }
  else
    {
      logf_ ("%s: unexpected type %s\n", name, contents);
      return -EINVAL;
    }
  return sd_bus_message_exit_container (m);
}

static int
start_unit (sd_bus_message *m, void *data, sd_bus_error *e)
{
  (void) data, (void) e;
  const char *name, *mode;
  char slice[256] = "system.slice";
  int r = sd_bus_message_read (m, "ss", &name, &mode);
  if (r < 0)
    return r;
  logf_ ("StartTransientUnit %s %s\n", name, mode);
  if ((r = sd_bus_message_enter_container (m, 'a', "(sv)")) < 0)
    return r;
  while ((r = sd_bus_message_enter_container (m, 'r', "sv")) > 0)
    {
      const char *prop;
      if ((r = sd_bus_message_read (m, "s", &prop)) < 0
          || (r = read_variant (m, prop, slice, sizeof slice)) < 0
          || (r = sd_bus_message_exit_container (m)) < 0)
        return r;
    }
  if (r < 0 || (r = sd_bus_message_exit_container (m)) < 0)
    return r;
  for (int i = 0; i < nmounts; i++)
    {
      char dir[4096];
      snprintf (dir, sizeof dir, "%s/%s", mounts[i], slice);
      mkdir (dir, 0755);
      snprintf (dir, sizeof dir, "%s/%s/%s", mounts[i], slice, name);
      mkdir (dir, 0755);
    }
  return sd_bus_reply_method_return (m, "o", "/org/freedesktop/systemd1/job/1");
}

static int
stop_unit (sd_bus_message *m, void *data, sd_bus_error *e)
{
  (void) data, (void) e;
  const char *name, *mode;
  int r = sd_bus_message_read (m, "ss", &name, &mode);
  if (r < 0)
    return r;
  logf_ ("StopUnit %s %s\n", name, mode);
  return sd_bus_reply_method_return (m, "o", "/org/freedesktop/systemd1/job/2");
}

static const sd_bus_vtable manager[] = {
  SD_BUS_VTABLE_START (0),
  SD_BUS_METHOD ("StartTransientUnit", "ssa(sv)a(sa(sv))", "o", start_unit, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD ("StopUnit", "ss", "o", stop_unit, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_VTABLE_END,
};

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: fake-systemd LOG MOUNT...\n");
      return 2;
    }
  log_path = argv[1];
  mounts = argv + 2;
  nmounts = argc - 2;
  sd_bus *bus = NULL;
  sd_bus_slot *slot = NULL;
  int r = sd_bus_open_system (&bus);
  if (r >= 0)
    r = sd_bus_add_object_vtable (bus, &slot, "/org/freedesktop/systemd1",
                                  "org.freedesktop.systemd1.Manager", manager, NULL);
  if (r >= 0)
    r = sd_bus_request_name (bus, "org.freedesktop.systemd1", 0);
  if (r < 0)
    {
      fprintf (stderr, "fake-systemd: %s\n", strerror (-r));
      return 1;
    }
  logf_ ("ready\n");
  for (;;)
    {
      r = sd_bus_process (bus, NULL);
      if (r < 0)
        return 1;
      if (r > 0)
        continue;
      if (sd_bus_wait (bus, (uint64_t) -1) < 0)
        return 1;
    }
}
