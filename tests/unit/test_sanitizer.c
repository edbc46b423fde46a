/* SPDX-License-Identifier: Apache-2.0 */
/* The sanitizer report pinning of libcontainer/sanitizer.c: in a sanitizer
 * build, a child that has pinned its reports and then moved (as the init
 * does at pivot_root) still writes them into $HUSK_SANITIZER_REPORTS. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tap.h"
#include "sanitizer.h"

static volatile int sink;

int
main (void)
{
  if (!hk_sanitizer_enabled ())
    {
      unsetenv ("HUSK_SANITIZER_REPORTS");
      ok (hk_sanitizer_pin_reports () < 0, "without sanitizers nothing is pinned");
      setenv ("HUSK_SANITIZER_REPORTS", "/tmp", 1);
      ok (hk_sanitizer_pin_reports () < 0, "without sanitizers nothing is pinned, even when asked");
      return tap_done ();
    }

  char dir[] = "/tmp/husk-sanitizer.XXXXXX";
  ok (mkdtemp (dir) != NULL, "a report directory");
  setenv ("HUSK_SANITIZER_REPORTS", "relative", 1);
  ok (hk_sanitizer_pin_reports () < 0, "a relative report directory is not used");
  setenv ("HUSK_SANITIZER_REPORTS", dir, 1);

  pid_t pid = fork ();
  if (pid == 0)
    {
      int fd = hk_sanitizer_pin_reports ();
      if (fd < 0)
        _exit (3);
      /* leave the directory the reports are in: they must still get there */
      if (chdir ("/proc") < 0)
        _exit (4);
      volatile size_t n = 8;
      char *p = calloc (n, 1);
      sink = p[n]; /* heap-buffer-overflow, hidden from the compiler */
      _exit (0);
    }
  int status = 0;
  waitpid (pid, &status, 0);
  ok (!(WIFEXITED (status) && WEXITSTATUS (status) == 0), "the child died of its report");

  char path[256], buf[8192] = "";
  snprintf (path, sizeof path, "%s/children", dir);
  int fd = open (path, O_RDONLY);
  ok (fd >= 0, "the pinned report file exists");
  if (fd >= 0)
    {
      ssize_t n = read (fd, buf, sizeof buf - 1);
      buf[n > 0 ? n : 0] = 0;
      close (fd);
    }
  like (buf, "heap-buffer-overflow", "the report is in the pinned file");
  unlink (path);
  rmdir (dir);
  return tap_done ();
}
