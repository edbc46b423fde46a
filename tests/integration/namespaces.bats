#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Namespaces: new ones, joined ones (by path), wrong paths, hostname and
# domainname, time offsets, user namespaces with id maps.

load helpers

NS_TYPES="cgroup ipc mnt net pid time user uts"

setup() {
  setup_container
  NETNS=husk-test-$$-$BATS_TEST_NUMBER
}

teardown() {
  teardown_containers
  ip netns delete "$NETNS" 2>/dev/null || true
}

# The script printing "TYPE LINK" for each of /proc/self/ns/*, inside.
ns_script='for t in cgroup ipc mnt net pid time user uts; do echo "$t $(readlink /proc/self/ns/$t)"; done'

# The same on the host, for the process PID (default: this shell).
host_ns() {
  local t
  for t in $NS_TYPES; do echo "$t $(readlink "/proc/${1:-self}/ns/$t")"; done
}

# all_namespaces: the config asks for all eight, user with a map.
all_namespaces() {
  update_config '.linux.namespaces = [{type: "pid"}, {type: "network"}, {type: "ipc"},
      {type: "uts"}, {type: "mount"}, {type: "cgroup"}, {type: "time"}, {type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
    | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
}

# A process in new namespaces of the given unshare(1) flags: the sleep
# (unshare execs it, or with --fork its child does); its pid in $holder.
start_holder() {
  local n=$((7340 + BATS_TEST_NUMBER))
  unshare "$@" sleep $n 3>&- &
  track_pid $!
  wait_for 5 pgrep -f "^sleep $n\$" >/dev/null
  holder=$(pgrep -f "^sleep $n\$")
  track_pid "$holder"
}

# The container's root (a mapped uid) must reach the bundle: the test's
# directories are made 0700 by mktemp.
userns_reachable() {
  chmod 755 "$TEST_DIR" "$BUNDLE"
}

@test "all eight namespaces are new: every /proc/self/ns link differs from the host's" {
  all_namespaces
  userns_reachable
  set_cmd "$ns_script"
  run -0 husk run -b "$BUNDLE" n1
  local inside=$output host t
  host=$(host_ns)
  echo "inside: $inside"
  echo "host: $host"
  for t in $NS_TYPES; do
    a=$(grep "^$t " <<<"$inside")
    b=$(grep "^$t " <<<"$host")
    [[ $a == "$t $t:["*"]" ]]
    [ "$a" != "$b" ]
  done
  assert_root_empty
}

@test "the default five are new; cgroup, time and user stay the host's" {
  set_cmd "$ns_script"
  run -0 husk run -b "$BUNDLE" n1
  local inside=$output host t
  host=$(host_ns)
  for t in ipc mnt net pid uts; do
    [ "$(grep "^$t " <<<"$inside")" != "$(grep "^$t " <<<"$host")" ]
  done
  for t in cgroup time user; do
    [ "$(grep "^$t " <<<"$inside")" = "$(grep "^$t " <<<"$host")" ]
  done
}

@test "the host sees the init in its namespaces (state pid)" {
  all_namespaces
  userns_reachable
  set_args sleep 7302
  husk_files run -d -b "$BUNDLE" n1
  pid=$(container_pid n1)
  local t
  for t in $NS_TYPES; do
    [ "$(readlink "/proc/$pid/ns/$t")" != "$(readlink "/proc/self/ns/$t")" ]
  done
  # and its pid is 1 in the new pid namespace
  [ "$(awk '/^NSpid:/ {print $NF}' "/proc/$pid/status")" = 1 ]
}

@test "a network namespace joined by path (ip netns add)" {
  ip netns add "$NETNS"
  update_config --arg p "/var/run/netns/$NETNS" \
    '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)'
  ip netns exec "$NETNS" ip link add husk-v0 type veth peer name husk-v1
  set_cmd 'readlink /proc/self/ns/net; ls /sys/class/net | sort | tr "\n" " "'
  run -0 husk run -b "$BUNDLE" j1
  [ "${lines[0]}" = "net:[$(stat -L -c %i "/var/run/netns/$NETNS")]" ]
  [ "${lines[1]}" = "husk-v0 husk-v1 lo " ]
}

@test "uts, ipc and pid namespaces joined by the path of another process's /proc/PID/ns" {
  start_holder --uts --ipc --pid --fork --mount-proc
  local sleeper=$holder
  nsenter -t "$sleeper" --uts hostname held-host
  update_config --arg p "/proc/$sleeper/ns" '
    .linux.namespaces |= map(if .type == "uts" then .path = ($p + "/uts")
                             elif .type == "ipc" then .path = ($p + "/ipc")
                             elif .type == "pid" then .path = ($p + "/pid") else . end)
    | del(.hostname)'
  set_cmd 'for t in uts ipc pid; do readlink /proc/self/ns/$t; done; hostname; ps -o pid,comm | grep -c "sleep"'
  run -0 husk run -b "$BUNDLE" j1
  [ "${lines[0]}" = "$(readlink "/proc/$sleeper/ns/uts")" ]
  [ "${lines[1]}" = "$(readlink "/proc/$sleeper/ns/ipc")" ]
  [ "${lines[2]}" = "$(readlink "/proc/$sleeper/ns/pid")" ]
  [ "${lines[3]}" = held-host ]
  # the holder's sleep is visible in the joined pid namespace
  [ "${lines[4]}" = 1 ]
}

@test "a namespace path of the wrong type fails create and leaves nothing" {
  ip netns add "$NETNS"
  set_args sleep 7303
  update_config --arg p "/var/run/netns/$NETNS" \
    '.linux.namespaces |= map(if .type == "uts" then .path = $p else . end) | del(.hostname)'
  run -1 --separate-stderr husk_files create -b "$BUNDLE" w1
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ $stderr == *uts*"/var/run/netns/$NETNS"* ]]
  assert_root_empty
  no_process "^sleep 7303$"
  run -1 --separate-stderr husk run -b "$BUNDLE" w2
  assert_root_empty
}

@test "a namespace path that is not a namespace fails create and leaves nothing" {
  set_args sleep 7304
  update_config --arg p "$TEST_DIR" \
    '.linux.namespaces |= map(if .type == "network" then .path = ($p + "/nosuch") else . end)'
  run -1 --separate-stderr husk_files create -b "$BUNDLE" w1
  [[ $stderr == *"$TEST_DIR/nosuch"* ]]
  update_config --arg p "$BUNDLE/config.json" \
    '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)'
  run -1 --separate-stderr husk_files create -b "$BUNDLE" w1
  [[ $stderr == *"not a namespace"* ]]
  assert_root_empty
  no_process "^sleep 7304$"
}

@test "a namespace type listed twice is an error" {
  update_config '.linux.namespaces += [{type: "ipc"}]'
  run -1 --separate-stderr husk_files create -b "$BUNDLE" d1
  [[ $stderr == *ipc* ]]
  assert_root_empty
}

@test "hostname and domainname are set in the new uts namespace only" {
  update_config '.hostname = "box-7305" | .domainname = "example.test"'
  local host_name host_domain
  host_name=$(hostname)
  host_domain=$(cat /proc/sys/kernel/domainname)
  set_cmd 'hostname; cat /proc/sys/kernel/domainname; uname -n'
  run -0 husk run -b "$BUNDLE" h1
  [ "${lines[0]}" = box-7305 ]
  [ "${lines[1]}" = example.test ]
  [ "${lines[2]}" = box-7305 ]
  [ "$(hostname)" = "$host_name" ]
  [ "$(cat /proc/sys/kernel/domainname)" = "$host_domain" ]
}

@test "hostname or domainname without a new uts namespace is an error" {
  update_config '.linux.namespaces |= map(select(.type != "uts")) | del(.hostname) | .domainname = "d"'
  run -1 --separate-stderr husk_files create -b "$BUNDLE" h1
  [[ $stderr == *domainname* ]]
  assert_root_empty
}

@test "timeOffsets: the new time namespace has the monotonic and boottime offsets" {
  update_config '.linux.namespaces += [{type: "time"}]
    | .linux.timeOffsets = {monotonic: {secs: 31536000, nanosecs: 0},
                            boottime: {secs: 63072000, nanosecs: 500}}'
  set_cmd 'cat /proc/self/timens_offsets; cut -d. -f1 /proc/uptime'
  local host_up
  host_up=$(cut -d. -f1 /proc/uptime)
  run -0 husk run -b "$BUNDLE" t1
  echo "$output"
  [[ ${lines[0]} =~ ^monotonic[[:space:]]+31536000[[:space:]]+0$ ]]
  [[ ${lines[1]} =~ ^boottime[[:space:]]+63072000[[:space:]]+500$ ]]
  # /proc/uptime counts boottime: two years more than the host's
  [ "${lines[2]}" -ge $((host_up + 63072000)) ]
  [ "${lines[2]}" -le $((host_up + 63072000 + 60)) ]
}

@test "a new time namespace without offsets starts at the host's clocks" {
  update_config '.linux.namespaces += [{type: "time"}]'
  set_args cat /proc/self/timens_offsets
  run -0 husk run -b "$BUNDLE" t1
  [[ ${lines[0]} =~ ^monotonic[[:space:]]+0[[:space:]]+0$ ]]
  [[ ${lines[1]} =~ ^boottime[[:space:]]+0[[:space:]]+0$ ]]
}

@test "timeOffsets without a new time namespace is an error" {
  update_config '.linux.timeOffsets = {monotonic: {secs: 10}}'
  run -1 --separate-stderr husk_files create -b "$BUNDLE" t1
  [[ $stderr == *timeOffsets* ]]
  assert_root_empty
}

@test "user namespace: root inside, the maps as configured, the mapped uid outside" {
  userns_reachable
  update_config '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 1000}]
    | .linux.gidMappings = [{containerID: 0, hostID: 300000, size: 2000}]'
  set_cmd 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map | tr -s " "'
  run -0 husk run -b "$BUNDLE" u1
  [ "${lines[0]}" = 0 ]
  [ "${lines[1]}" = 0 ]
  [ "${lines[2]}" = " 0 200000 1000" ]
  [ "${lines[3]}" = " 0 300000 2000" ]
  # the host sees the mapped ids as the owner of the process
  set_args sleep 7306
  husk_files run -d -b "$BUNDLE" u2
  pid=$(container_pid u2)
  [ "$(stat -c %u "/proc/$pid")" = 200000 ]
  [ "$(stat -c %g "/proc/$pid")" = 300000 ]
  [[ $(status_field "$pid" Uid) =~ ^200000[[:space:]]+200000[[:space:]]+200000[[:space:]]+200000$ ]]
  [ "$(cat "/proc/$pid/uid_map" | tr -s ' ')" = " 0 200000 1000" ]
}

@test "user namespace: several map lines and a non-root user inside" {
  userns_reachable
  update_config '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 1}, {containerID: 1000, hostID: 201000, size: 10}]
    | .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 10}, {containerID: 1000, hostID: 201000, size: 10}]
    | .process.user = {uid: 1005, gid: 1003}'
  set_args sleep 7307
  husk_files run -d -b "$BUNDLE" u1
  pid=$(container_pid u1)
  [ "$(stat -c %u:%g "/proc/$pid")" = 201005:201003 ]
  [ "$(wc -l <"/proc/$pid/uid_map")" = 2 ]
}

@test "user namespace with mappings that cannot be written fails and leaves nothing" {
  # overlapping ranges: the kernel refuses the map
  update_config '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 10}, {containerID: 5, hostID: 300000, size: 10}]
    | .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 10}]'
  set_args sleep 7308
  run -1 --separate-stderr husk_files create -b "$BUNDLE" u1
  [[ $stderr == *uid* ]]
  assert_root_empty
  no_process "^sleep 7308$"
}

@test "user and pid namespaces joined by path" {
  userns_reachable
  start_holder --user --pid --fork
  echo "0 400000 100" >"/proc/$holder/uid_map"
  echo "0 400000 100" >"/proc/$holder/gid_map"
  update_config --arg p "/proc/$holder/ns" '.linux.namespaces |= map(if .type == "pid" then .path = ($p + "/pid") else . end)
    | .linux.namespaces += [{type: "user", path: ($p + "/user")}]'
  set_cmd 'readlink /proc/self/ns/user; readlink /proc/self/ns/pid; cat /proc/self/uid_map | tr -s " "; id -u'
  run -0 husk run -b "$BUNDLE" u1
  [ "${lines[0]}" = "$(readlink "/proc/$holder/ns/user")" ]
  [ "${lines[1]}" = "$(readlink "/proc/$holder/ns/pid")" ]
  [ "${lines[2]}" = " 0 400000 100" ]
  [ "${lines[3]}" = 0 ]
}

@test "a user namespace joined by path with a new pid namespace" {
  userns_reachable
  start_holder --user
  echo "0 400000 100" >"/proc/$holder/uid_map"
  echo "0 400000 100" >"/proc/$holder/gid_map"
  update_config --arg p "/proc/$holder/ns/user" '.linux.namespaces += [{type: "user", path: $p}]'
  set_cmd 'readlink /proc/self/ns/user; cat /proc/self/uid_map | tr -s " "; id -u'
  run -0 husk run -b "$BUNDLE" u1
  [ "${lines[0]}" = "$(readlink "/proc/$holder/ns/user")" ]
  [ "${lines[1]}" = " 0 400000 100" ]
  [ "${lines[2]}" = 0 ]
}

@test "no namespaces at all: the process runs in root.path (chroot), in the host's namespaces" {
  own_rootfs
  echo inside >"$BUNDLE/rootfs/husk-marker"
  update_config '.linux.namespaces = [] | del(.hostname) | .process.args = ["sh", "-c", "cat /husk-marker; echo pid=$$; ls /proc | wc -l"]'
  run husk --log "$TEST_DIR/log" run -b "$BUNDLE" nons
  echo "$output"; cat "$TEST_DIR/log" || true
  [ "$status" -eq 0 ]
  [[ $output == *inside* ]]
  # not pid 1, and no /proc was mounted in the rootfs (nothing of the config
  # reaches the host's mount table)
  [ -z "$(grep -x 'pid=1' <<<"$output")" ]
  [[ $output == *$'\n0'* ]]
  [ -z "$(grep -F -- "$BUNDLE" /proc/self/mountinfo)" ]
  grep -q "no mount namespace: mounts, devices, maskedPaths, readonlyPaths and root.readonly are not applied" "$TEST_DIR/log"
}

@test "no namespaces at all: exec runs in root.path too" {
  own_rootfs
  echo inside >"$BUNDLE/rootfs/husk-marker"
  update_config '.linux.namespaces = [] | del(.hostname) | .process.args = ["sleep", "7777"]'
  husk run -d -b "$BUNDLE" nons </dev/null >/dev/null 2>&1
  run -0 husk exec nons cat /husk-marker
  [ "$output" = inside ]
  husk delete -f nons
}
