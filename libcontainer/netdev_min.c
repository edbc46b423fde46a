/* TEMPORARY: until libcontainer/netdev.c lands. */
#include "config.h"
#include "netdev.h"
#include "utils.h"

int
husk_netdev_move (const struct husk_spec_net_device *devs, size_t n, int netns_fd,
                  struct husk_error *err)
{
  (void) devs; (void) n; (void) netns_fd;
  return husk_error_setx (err, ENOSYS, "linux.netDevices: not implemented yet");
}
