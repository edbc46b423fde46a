/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sanitizer.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define HK_ASAN 1
#else
#define HK_ASAN 0
#endif

int
hk_sanitizer_enabled (void)
{
  return HK_ASAN;
}

int
hk_sanitizer_pin_reports (void)
{
#if HK_ASAN
  const char *dir = getenv ("HUSK_SANITIZER_REPORTS");
  char path[4096];
  int fd;

  if (dir == NULL || dir[0] != '/')
    return -1;
  /* one file for every child, appended to: a child's pid may be 1 */
  if ((size_t) snprintf (path, sizeof path, "%s/children", dir) >= sizeof path)
    return -1;
  fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return -1;
  __sanitizer_set_report_fd ((void *) (long) fd);
  return fd;
#else
  return -1;
#endif
}
