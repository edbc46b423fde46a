/* SPDX-License-Identifier: Apache-2.0 */
/* A libsystemd.so.0 stand-in that has two of the sd-bus functions husk's
 * systemd driver needs and lacks the others (tests/unit/test_sdbus_load.c). */
#include <errno.h>
#include <stddef.h>

int
sd_bus_open_system (void **bus)
{
  *bus = NULL;
  return -ENOSYS;
}

int
sd_bus_open_user (void **bus)
{
  *bus = NULL;
  return -ENOSYS;
}
