#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# linux.netDevices: host interfaces moved into the container's network
# namespace, renamed, with their permanent global addresses, and up. The
# tests make their own interfaces: dummy where the kernel has the driver,
# else a veth pair (one end moved, the peer stays on the host).

load helpers

setup() {
  setup_husk
  CREATED=()
  IDS=()
  # short and unique: interface names have at most 15 bytes
  NETDEV=hkn$(printf '%05d' $((RANDOM % 100000)))
}

teardown() {
  local id dev
  for id in "${IDS[@]}"; do husk delete -f "$id" >/dev/null 2>&1 || true; done
  for dev in "${CREATED[@]}"; do ip link del "$dev" >/dev/null 2>&1 || true; done
  teardown_husk
}

# make_netdev NAME: an interface on the host, up, with an IPv4 and an IPv6
# address (permanent, global), a short-lived one and a host-scope one.
make_netdev() {
  local name=$1
  if ip link add "$name" type dummy 2>/dev/null; then
    NETDEV_KIND=dummy
    CREATED+=("$name")
  elif ip link add "$name" type veth peer name "${name}p" 2>/dev/null; then
    NETDEV_KIND=veth
    # deleting the host end of a veth deletes the other end too
    CREATED+=("${name}p")
  else
    skip "cannot create a dummy or veth interface on this kernel"
  fi
  ip addr add 10.212.0.2/24 dev "$name"
  ip addr add 2001:db8:212::2/64 dev "$name" nodad
  ip addr add 10.212.1.2/24 dev "$name" valid_lft 300 preferred_lft 300
  ip addr add 10.212.2.2/24 dev "$name" scope host
  ip link set "$name" up
}

# netdevs JSON: set linux.netDevices; the default spec has a network namespace
set_netdevs() {
  update_config --argjson d "$1" '.process.terminal = false | .linux.netDevices = $d'
}

host_has() { ip link show dev "$1" >/dev/null 2>&1; }

@test "netDevices: the interface is in the container, renamed, up, with its permanent global addresses" {
  make_netdev "$NETDEV"
  set_netdevs "{\"$NETDEV\": {\"name\": \"ctr0\"}}"
  update_config '.process.args = ["sh", "-c", "ip addr show dev ctr0; ip link show dev ctr0; ip link"]'
  IDS+=(nd1)
  run -0 husk run -b "$BUNDLE" nd1
  echo "$output"
  [[ "$output" == *"inet 10.212.0.2/24 "* ]]
  [[ "$output" == *"inet6 2001:db8:212::2/64 "* ]]
  [[ "$output" != *"10.212.1.2"* ]]   # not permanent
  [[ "$output" != *"10.212.2.2"* ]]   # not global
  [[ "$output" =~ ctr0[@:][^$'\n']*[\<,]UP[,\>] ]]
  [[ "$output" != *"$NETDEV"* ]]      # only under its new name
  ! host_has "$NETDEV"
}

@test "netDevices: the host no longer has it while the container lives; the kernel destroys a virtual device with the namespace" {
  make_netdev "$NETDEV"
  set_netdevs "{\"$NETDEV\": {}}"
  update_config '.process.args = ["sleep", "1000"]'
  IDS+=(nd2)
  # not under `run`: the init keeps its stdio, which would hold bats' pipe
  husk create -b "$BUNDLE" nd2 </dev/null >/dev/null 2>&1
  ! host_has "$NETDEV"
  local pid
  pid=$(husk state nd2 | jq -r .pid)
  # from inside the container's namespace: the interface under its host name
  run -0 nsenter --net="/proc/$pid/ns/net" ip -o addr show dev "$NETDEV"
  [[ "$output" == *"inet 10.212.0.2/24"* ]]
  run -0 husk delete -f nd2
  # the namespace goes away with the init (the kernel cleans it up
  # asynchronously). A dummy or veth is deleted then, not returned to the
  # host (only devices without rtnl_link_ops, physical ones, come back).
  local i
  if [ "$NETDEV_KIND" = veth ]; then
    # the veth's peer on the host goes too: proof that the cleanup ran
    for i in $(seq 50); do host_has "${NETDEV}p" || break; sleep 0.1; done
    ! host_has "${NETDEV}p"
  else
    sleep 2
  fi
  ! host_has "$NETDEV"
  ! ip -o link | grep -q "10.212.0.2"
}

@test "netDevices: a %d template is resolved by the kernel" {
  make_netdev "$NETDEV"
  set_netdevs "{\"$NETDEV\": {\"name\": \"eth%d\"}}"
  update_config '.process.args = ["ip", "addr", "show", "dev", "eth0"]'
  IDS+=(nd3)
  run -0 husk run -b "$BUNDLE" nd3
  [[ "$output" == *"inet 10.212.0.2/24 scope global eth0"* ]]
}

@test "netDevices: a missing interface is refused and nothing is left behind" {
  set_netdevs '{"hknomissing0": {}}'
  update_config '.process.args = ["true"]'
  IDS+=(nd4)
  run -1 --separate-stderr husk run -b "$BUNDLE" nd4
  [ "$stderr" = 'husk: linux.netDevices "hknomissing0": no such network interface' ]
  assert_root_empty
}

@test "netDevices: a name taken in the container is refused; the interface stays on the host as it was" {
  make_netdev "$NETDEV"
  set_netdevs "{\"$NETDEV\": {\"name\": \"lo\"}}"
  update_config '.process.args = ["true"]'
  IDS+=(nd5)
  run -1 --separate-stderr husk run -b "$BUNDLE" nd5
  [ "$stderr" = "husk: linux.netDevices \"$NETDEV\": the name \"lo\" is already taken in the container's network namespace" ]
  assert_root_empty
  run -0 ip -o addr show dev "$NETDEV"
  [[ "$output" == *"10.212.0.2/24"* ]]
  [[ "$output" == *"2001:db8:212::2/64"* ]]
  run -0 ip -o link show dev "$NETDEV"
  [[ "$output" =~ [\<,]UP[,\>] ]]
}

@test "netDevices: when a later device fails, the earlier ones go back to the host" {
  make_netdev "$NETDEV"
  set_netdevs "{\"$NETDEV\": {\"name\": \"ctr0\"}, \"hknomissing0\": {}}"
  update_config '.process.args = ["true"]'
  IDS+=(nd6)
  run -1 --separate-stderr husk run -b "$BUNDLE" nd6
  [ "$stderr" = 'husk: linux.netDevices "hknomissing0": no such network interface' ]
  assert_root_empty
  run -0 ip -o addr show dev "$NETDEV"
  [[ "$output" == *"10.212.0.2/24"* ]]
  [[ "$output" == *"2001:db8:212::2/64"* ]]
}

@test "netDevices: refused without a network namespace" {
  set_netdevs '{"hknomissing0": {}}'
  update_config '.linux.namespaces -= [{"type": "network"}]'
  IDS+=(nd7)
  run -1 --separate-stderr husk run -b "$BUNDLE" nd7
  [ "$stderr" = 'husk: config.json: linux.netDevices: requires a network namespace' ]
  assert_root_empty
}
