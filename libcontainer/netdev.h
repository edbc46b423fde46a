/* SPDX-License-Identifier: Apache-2.0 */
/* linux.netDevices: move host interfaces into the container's network
 * namespace over rtnetlink, renamed as the config says, keeping their
 * permanent global addresses, and set them up. */
#ifndef HUSK_NETDEV_H
#define HUSK_NETDEV_H

#include <stddef.h>
#include "husk/error.h"
#include "husk/spec.h"

/* Called by the runtime (in the host's network namespace) once the init has
 * its new network namespace; netns_fd is /proc/INIT/ns/net. Errors name the
 * device: `linux.netDevices "eth9": no such network interface`. */
int hk_netdev_move (const struct husk_spec_net_device *devs, size_t n, int netns_fd,
                    struct husk_error *err);

#endif
