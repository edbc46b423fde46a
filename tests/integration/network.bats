#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The container's network namespace.

load helpers

setup() {
  setup_husk
  update_config '.process.terminal = false'
}

teardown() { teardown_husk; }

@test "a new network namespace has its loopback up, as runc's and crun's" {
  update_config '.process.args = ["sh", "-c", "ip link show lo; ip addr show lo | grep -c 127.0.0.1/8; nc -l -p 7777 >/dev/shm/got & sleep 0.3; echo over-lo | nc 127.0.0.1 7777; wait; cat /dev/shm/got; rm -f /dev/shm/got"]'
  run -0 husk run --bundle "$BUNDLE" c1
  [[ ${lines[0]} == *"<LOOPBACK,UP,LOWER_UP>"* ]]
  [ "${lines[2]}" = 1 ]
  [ "${lines[-1]}" = over-lo ]
}

@test "without a network namespace the container shares the host's" {
  update_config '.linux.namespaces |= map(select(.type != "network"))
                 | .process.args = ["readlink", "/proc/self/ns/net"]'
  run -0 husk run --bundle "$BUNDLE" c1
  [ "$output" = "$(readlink /proc/self/ns/net)" ]
}
