#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The container's cgroup on this host (hybrid: v1 controllers, v2 "unified"
# holding hugetlb): placement, every v1 resource seen in the cgroup files and
# by its effect, hugetlb on v2, paths, errors, and removal.

load helpers
load cgroups

setup() {
  setup_cgroups
  is_pure_v2 && skip "these tests are written for v1 and hybrid hosts; this one is pure cgroup v2"
  true
}

teardown() { teardown_cgroups; }

@test "a container gets its own cgroup in every hierarchy; delete removes it" {
  start_detached
  local pid h
  pid=$(init_pid)
  for h in $(cgroup_hierarchies); do
    [ -d "$CG/$h/husk/$ID" ]
    grep -qx "$pid" "$CG/$h/husk/$ID/cgroup.procs"
  done
  # state.json keeps the driver's record
  run -0 jq -r .cgroup "$ROOT/$ID/state.json"
  [ "$(jq -r .driver <<<"$output")" = cgroupfs ]
  [ "$(jq -r .mode <<<"$output")" = hybrid ]
  run -0 husk delete --force "$ID"
  assert_no_cgroup
  for h in $(cgroup_hierarchies); do
    [ ! -e "$CG/$h/husk" ] || [ -n "$(ls -A "$CG/$h/husk" | grep -v '^cgroup\.\|^[a-z_]*\.[a-z_.]*$' || true)" ]
  done
}

@test "the container sees its cgroup in /proc/self/cgroup, and / with a cgroup namespace" {
  update_config '.process.args = ["cat", "/proc/self/cgroup"]'
  run -0 husk run "$ID"
  [[ $output == *"memory:/husk/$ID"* ]]
  [[ $output == *"0::/husk/$ID"* ]]
  update_config '.linux.namespaces += [{"type": "cgroup"}]'
  run -0 husk run "$ID"
  [[ $output == *"memory:/"$'\n'* ]] || [[ $output == *"memory:/" ]]
  [[ $output != *"/husk/"* ]]
  assert_no_cgroup
}

@test "the container sees its own limits under /sys/fs/cgroup" {
  update_config '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 33}, cpu: {shares: 256}}
    | .process.args = ["sh", "-c", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares"]'
  run -0 husk run "$ID"
  [ "$output" = $'67108864\n33\n256' ]
  update_config '.linux.namespaces += [{"type": "cgroup"}]'
  run -0 husk run "$ID"
  [ "$output" = $'67108864\n33\n256' ]
}

@test "memory, cpu, cpuset, pids and devices are written to the v1 files" {
  local swap=""
  [ -e "$CG/memory/memory.memsw.limit_in_bytes" ] && swap=', swap: 134217728'
  update_config ".linux.resources = {
    memory: {limit: 67108864, reservation: 33554432 $swap, swappiness: 10, kernelTCP: 16777216},
    cpu: {shares: 512, quota: 20000, period: 50000, burst: 1000, realtimeRuntime: 0, cpus: \"0\", mems: \"0\"},
    pids: {limit: 42},
    blockIO: {weight: 500},
    devices: [{allow: false, access: \"rwm\"}, {allow: true, type: \"c\", major: 10, minor: 229, access: \"rw\"}]
  }"
  start_detached
  [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = 67108864 ]
  [ "$(cat "$(cgdir memory)/memory.soft_limit_in_bytes")" = 33554432 ]
  [ -z "$swap" ] || [ "$(cat "$(cgdir memory)/memory.memsw.limit_in_bytes")" = 134217728 ]
  [ "$(cat "$(cgdir memory)/memory.swappiness")" = 10 ]
  [ "$(cat "$(cgdir memory)/memory.kmem.tcp.limit_in_bytes")" = 16777216 ]
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = 512 ]
  [ "$(cat "$(cgdir cpu)/cpu.cfs_quota_us")" = 20000 ]
  [ "$(cat "$(cgdir cpu)/cpu.cfs_period_us")" = 50000 ]
  [ "$(cat "$(cgdir cpu)/cpu.cfs_burst_us")" = 1000 ]
  [ "$(cat "$(cgdir cpuset)/cpuset.cpus")" = 0 ]
  [ "$(cat "$(cgdir cpuset)/cpuset.mems")" = 0 ]
  [ "$(cat "$(cgdir pids)/pids.max")" = 42 ]
  # CFQ's blkio.weight is gone from recent kernels: BFQ's file then
  if [ -e "$(cgdir blkio)/blkio.weight" ]; then
    [ "$(cat "$(cgdir blkio)/blkio.weight")" = 500 ]
  else
    grep -qw 500 "$(cgdir blkio)/blkio.bfq.weight"
  fi
  run -0 cat "$(cgdir devices)/devices.list"
  [[ $output == *"c 10:229 rw"* ]]
  [[ $output == *"c 1:3 rwm"* ]]
  [[ $output != *"a *:* rwm"* ]]
  run -0 husk delete --force "$ID"
  assert_no_cgroup
}

@test "the container is held to its limits: pids.max stops forks" {
  update_config '.linux.resources = {pids: {limit: 4}}
    | .process.args = ["sh", "-c", "for i in 1 2 3 4 5 6; do sleep 1 & done; wait; echo all-forked"]'
  run -2 husk run "$ID"
  [[ $output == *"can't fork"* ]]
  [[ $output != *"all-forked"* ]]
}

@test "the container is held to its device rules" {
  # a tmpfs that allows device nodes: mknod is allowed (runc's defaults), opening is not
  update_config '.linux.resources = {devices: [{allow: false, access: "rwm"}]}
    | .mounts += [{destination: "/mnt", type: "tmpfs", source: "tmpfs", options: ["rw"]}]
    | .process.capabilities |= with_entries(.value += ["CAP_MKNOD"])
    | .process.args = ["sh", "-c", "head -c1 /dev/null && echo null-ok; mknod /mnt/sda b 8 0 && echo mknod-ok; head -c1 /mnt/sda || echo sda-denied"]'
  run -0 husk run "$ID"
  [[ $output == *"null-ok"* ]]
  [[ $output == *"mknod-ok"* ]]
  [[ $output == *"sda-denied"* ]]
  [[ $output == *"Operation not permitted"* ]]
}

@test "a memory hog is OOM-killed, and events reports the oom" {
  local swap=""
  [ -e "$CG/memory/memory.memsw.limit_in_bytes" ] && swap=', swap: 16777216'
  update_config ".linux.resources = {memory: {limit: 16777216 $swap}}
    | .process.args = [\"sh\", \"-c\", \"sleep 2; tail /dev/zero\"]"
  start_detached
  husk events --interval 1s "$ID" >"$TEST_DIR/events" &
  local ev=$! i
  for i in $(seq 100); do
    grep -q '"type":"oom"' "$TEST_DIR/events" && break
    sleep 0.1
  done
  kill "$ev" 2>/dev/null || true
  grep -q "{\"type\":\"oom\",\"id\":\"$ID\"}" "$TEST_DIR/events"
  grep -qx "oom_kill 1" "$(cgdir memory)/memory.oom_control"
}

@test "hugetlb is limited on the v2 hierarchy, where this host has it" {
  grep -qw hugetlb $CG/unified/cgroup.controllers 2>/dev/null || skip "no hugetlb on the unified hierarchy here"
  update_config '.linux.resources = {hugepageLimits: [{pageSize: "2MB", limit: 4194304}]}'
  start_detached
  [ "$(cat "$(cgdir unified)/hugetlb.2MB.max")" = 4194304 ]
  grep -qw hugetlb $CG/unified/cgroup.subtree_control
  grep -qw hugetlb $CG/unified/husk/cgroup.subtree_control
  run -0 husk events --stats "$ID"
  [ "$(jq -r '.data.hugetlb["2MB"].usage' <<<"$output")" = 0 ]
  run -0 husk delete --force "$ID"
  assert_no_cgroup
}

@test "linux.resources.unified goes to the v2 hierarchy of a hybrid host" {
  grep -qw hugetlb $CG/unified/cgroup.controllers 2>/dev/null || skip "no controller on the unified hierarchy here"
  update_config '.linux.resources = {unified: {"hugetlb.2MB.max": "2097152"}}'
  start_detached
  [ "$(cat "$(cgdir unified)/hugetlb.2MB.max")" = 2097152 ]
}

@test "unused controllers cost nothing: no limit is written" {
  start_detached
  [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = "$(cat $CG/memory/memory.limit_in_bytes)" ]
  [ "$(cat "$(cgdir pids)/pids.max")" = max ]
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = 1024 ]
}

@test "cgroupsPath: absolute, and relative to husk's own cgroup" {
  update_config ".linux.cgroupsPath = \"/husk-abs-$ID/ctr\""
  start_detached
  grep -qx "$(init_pid)" "$CG/pids/husk-abs-$ID/ctr/cgroup.procs"
  run -0 husk delete --force "$ID"
  [ ! -e "$CG/pids/husk-abs-$ID" ]

  update_config ".linux.cgroupsPath = \"rel-$ID\""
  start_detached
  local own
  own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
  grep -qx "$(init_pid)" "$CG/memory${own%/}/rel-$ID/cgroup.procs"
  run -0 husk delete --force "$ID"
  [ ! -e "$CG/memory${own%/}/rel-$ID" ]
}

@test "a value the kernel refuses: exit 1, the error names file and value, nothing left" {
  update_config '.linux.resources = {cpu: {cpus: "99"}}'
  run -1 --separate-stderr husk run -d "$ID"
  [[ $stderr == *"write \"99\" to $CG/cpuset/husk/$ID/cpuset.cpus: "* ]]
  assert_no_cgroup
  assert_root_empty
  ! pgrep -f "sleep 300" -P $$ >/dev/null

}

@test "a bad cgroupsPath is refused and leaves nothing" {
  update_config '.linux.cgroupsPath = "/a/../b"'
  run -1 --separate-stderr husk create "$ID"
  [[ $stderr == *'linux.cgroupsPath "/a/../b": ".." is not allowed'* ]]
  assert_root_empty
}

@test "kill --all reaches every process of the cgroup" {
  update_config '.process.args = ["sh", "-c", "sleep 300 & sleep 300 & wait"]'
  start_detached
  for i in $(seq 50); do [ "$(wc -l <"$(cgdir pids)/cgroup.procs")" -ge 3 ] && break; sleep 0.1; done
  [ "$(wc -l <"$(cgdir pids)/cgroup.procs")" -eq 3 ]
  run -0 husk kill --all "$ID" KILL
  for i in $(seq 50); do [ ! -s "$(cgdir pids)/cgroup.procs" ] && break; sleep 0.1; done
  [ ! -s "$(cgdir pids)/cgroup.procs" ]
  run -0 husk delete "$ID"
  assert_no_cgroup
}

@test "delete --force of a paused container kills it and removes its cgroup" {
  start_detached
  run -0 husk pause "$ID"
  local pid
  pid=$(init_pid)
  run -0 timeout 5 "$HUSK" --root "$ROOT" delete --force "$ID"
  [ ! -e "/proc/$pid" ] || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ]
  assert_no_cgroup
}

@test "100 create/delete cycles leave no cgroup directory in any hierarchy" {
  local before after i
  before=$(find $CG -mindepth 1 -type d 2>/dev/null | wc -l)
  for i in $(seq 100); do
    husk create "$ID" >/dev/null
    husk delete --force "$ID"
  done
  after=$(find $CG -mindepth 1 -type d 2>/dev/null | wc -l)
  [ "$before" = "$after" ]
  assert_no_cgroup
}

@test "--systemd-cgroup: a cgroupsPath that is not slice:prefix:name is refused" {
  update_config '.linux.cgroupsPath = "/not/systemd"'
  run -1 --separate-stderr husk --systemd-cgroup create "$ID"
  [[ $stderr == *'the systemd driver expects "slice:prefix:name"'* ]]
  assert_root_empty
}

@test "--systemd-cgroup: a transient scope with the resources as properties" {
  [ -d /run/systemd/system ] || skip "systemd is not PID 1 on this host: the systemd driver cannot be tried (its properties are unit-tested)"
  update_config '.linux.cgroupsPath = "system.slice:husk-test:'"$ID"'" | .linux.resources = {pids: {limit: 42}}'
  husk --systemd-cgroup run -d "$ID" </dev/null >/dev/null 2>&1
  run -0 systemctl show -p TasksMax "husk-test-$ID.scope"
  [ "$output" = "TasksMax=42" ]
  run -0 husk delete --force "$ID"
  ! systemctl is-active "husk-test-$ID.scope"
}

@test "--systemd-cgroup against a stand-in systemd on a private bus: properties, scope, stop" {
  local fake
  fake=$(dirname "$HUSK")/tests/integration/fake-systemd
  [ -x "$fake" ] || skip "husk was built without libsystemd"
  command -v dbus-daemon >/dev/null || skip "dbus-daemon is not installed"
  [ -d /run/systemd/system ] && skip "systemd runs here: the real test above covers it"
  local h mounts="" made=""
  for h in $(cgroup_hierarchies); do
    mounts="$mounts $CG/$h"
    [ -e "$CG/$h/system.slice" ] || made="$made $CG/$h/system.slice"
  done
  cat >"$TEST_DIR/bus.conf" <<CONF
<busconfig>
  <type>custom</type>
  <listen>unix:path=$TEST_DIR/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  dbus-daemon --config-file="$TEST_DIR/bus.conf" --fork --print-pid >"$TEST_DIR/bus.pid"
  export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TEST_DIR/bus
  "$fake" "$TEST_DIR/sd.log" $mounts </dev/null >/dev/null 2>"$TEST_DIR/sd.err" &
  local fpid=$! i
  for i in $(seq 50); do grep -q ready "$TEST_DIR/sd.log" 2>/dev/null && break; sleep 0.1; done
  update_config '.linux.cgroupsPath = "system.slice:husk-test:'"$ID"'"
    | .linux.resources = {pids: {limit: 42}, memory: {limit: 67108864}, cpu: {shares: 512, quota: 25000, period: 100000, cpus: "0"}}'
  local unit=husk-test-$ID.scope rc=0
  husk --systemd-cgroup run -d "$ID" </dev/null >/dev/null 2>"$TEST_DIR/err" || rc=$?
  cat "$TEST_DIR/err" "$TEST_DIR/sd.log" "$TEST_DIR/sd.err" >&2 || true
  if [ "$rc" = 0 ]; then
    local pid
    pid=$(init_pid)
    grep -qx "StartTransientUnit $unit replace" "$TEST_DIR/sd.log"
    grep -qx "Slice=system.slice" "$TEST_DIR/sd.log"
    grep -qx "Delegate=yes" "$TEST_DIR/sd.log"
    grep -qx "PIDs=$pid " "$TEST_DIR/sd.log"
    grep -qx "TasksMax=42" "$TEST_DIR/sd.log"
    grep -qx "MemoryLimit=67108864" "$TEST_DIR/sd.log"
    grep -qx "CPUShares=512" "$TEST_DIR/sd.log"
    grep -qx "CPUQuotaPerSecUSec=250000" "$TEST_DIR/sd.log"
    grep -qx "AllowedCPUs=01" "$TEST_DIR/sd.log"
    # the rest is written into the scope's cgroup, and the init is in it
    [ "$(cat "$CG/pids/system.slice/$unit/pids.max")" = 42 ]
    grep -qx "$pid" "$CG/memory/system.slice/$unit/cgroup.procs"
    [ "$(jq -r .cgroup "$ROOT/$ID/state.json" | jq -r .unit)" = "$unit" ]
    husk delete --force "$ID" || rc=$?
    grep -qx "StopUnit $unit replace" "$TEST_DIR/sd.log" || rc=1
    for h in $mounts; do [ ! -e "$h/system.slice/$unit" ] || rc=1; done
  fi
  kill "$fpid" "$(cat "$TEST_DIR/bus.pid")" 2>/dev/null || true
  for h in $made; do rmdir "$h" 2>/dev/null || true; done
  [ "$rc" = 0 ]
}

@test "--systemd-cgroup without systemd: a clear error and nothing left" {
  [ -d /run/systemd/system ] && skip "systemd runs here"
  run -1 --separate-stderr husk --systemd-cgroup create "$ID"
  [[ $stderr == *"systemd"* ]]
  assert_root_empty
  assert_no_cgroup
  [ ! -e "$CG/systemd/system.slice/husk-$ID.scope" ]
}
