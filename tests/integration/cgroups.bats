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

teardown() {
  local p
  for p in ${HUSK_TEST_PIDS:-}; do
    kill -9 "$p" 2>/dev/null || true
  done
  teardown_cgroups
  cleanup_cgroup_dirs
}

# husk run -d bounded (a process stuck in a frozen cgroup would hold bats'
# pipes): stdio on files, $stderr set, the exit status returned.
run_bounded() {
  local rc=0
  timeout -k 2 10 "$HUSK" --root "$ROOT" "$@" </dev/null >"$TEST_DIR/b.out" 2>"$TEST_DIR/b.err" || rc=$?
  stderr=$(cat "$TEST_DIR/b.err")
  return $rc
}

# Directories made by hand in the hierarchies (a test's own, under a name
# with $ID): thawed, then removed, the deepest first.
CG_MADE=""
made_cgroup() {
  local h
  for h in $(cgroup_hierarchies); do
    mkdir -p "$CG/$h$1"
  done
  CG_MADE="$1 $CG_MADE"
}
cleanup_cgroup_dirs() {
  local d h
  for d in $CG_MADE; do
    for h in $(cgroup_hierarchies); do
      [ -d "$CG/$h$d" ] || continue
      echo THAWED >"$CG/$h$d/freezer.state" 2>/dev/null || true
      echo 0 >"$CG/$h$d/cgroup.freeze" 2>/dev/null || true
      find "$CG/$h$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
  done
}

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

@test "nested cgroupsPath on v1 cpuset: each new and each empty parent gets its parent's cpus and mems" {
  local pod=/husk-pod-$ID all
  all=$(cat $CG/cpuset/cpuset.cpus)
  CG_MADE="$pod"
  # a new pod directory, without and with a cpuset of the container's own
  update_config ".linux.cgroupsPath = \"$pod/ctr\""
  start_detached
  [ "$(cat $CG/cpuset$pod/cpuset.cpus)" = "$all" ]
  [ -n "$(cat $CG/cpuset$pod/cpuset.mems)" ]
  grep -qx "$(init_pid)" "$CG/cpuset$pod/ctr/cgroup.procs"
  run -0 husk delete --force "$ID"
  [ ! -e "$CG/cpuset$pod" ]
  update_config ".linux.cgroupsPath = \"$pod/ctr\" | .linux.resources = {cpu: {cpus: \"0\", mems: \"0\"}}"
  start_detached
  [ "$(cat $CG/cpuset$pod/ctr/cpuset.cpus)" = 0 ]
  [ "$(cat $CG/cpuset$pod/cpuset.cpus)" = "$all" ]
  run -0 husk delete --force "$ID"
  # a pod directory someone else made, its cpuset left empty: filled
  # before the init joins (it used to fail: cgroup.procs: No space left on device)
  mkdir -p "$CG/cpuset$pod/mid"
  [ -z "$(cat $CG/cpuset$pod/cpuset.cpus)" ]
  update_config ".linux.cgroupsPath = \"$pod/mid/ctr\" | del(.linux.resources.cpu)"
  start_detached
  [ "$(cat $CG/cpuset$pod/cpuset.cpus)" = "$all" ]
  [ "$(cat $CG/cpuset$pod/mid/cpuset.cpus)" = "$all" ]
  grep -qx "$(init_pid)" "$CG/cpuset$pod/mid/ctr/cgroup.procs"
  run -0 husk delete --force "$ID"
  # what husk found stays
  [ -d "$CG/cpuset$pod/mid" ] && [ ! -e "$CG/cpuset$pod/mid/ctr" ]
}

@test "a cgroup that already holds processes: runc's warning, and the container runs" {
  local busy=/husk-busy-$ID
  CG_MADE="$busy"
  mkdir -p "$CG/pids$busy"
  sleep 7771 &
  local other=$!
  track_pid "$other"
  echo "$other" >"$CG/pids$busy/cgroup.procs"
  update_config ".linux.cgroupsPath = \"$busy\""
  run -0 husk_files run -d "$ID"
  [[ $(cat "$TEST_DIR/husk.err") == *"container's cgroup is not empty: 1 process(es) found"* ]]
  [ "$(husk state "$ID" | jq -r .status)" = running ]
  grep -qx "$(init_pid)" "$CG/pids$busy/cgroup.procs"
  kill -9 "$other" 2>/dev/null || true
}

@test "linux.resources.unified naming a controller the container's v2 cgroup lacks: invalid configuration, nothing left" {
  [ -e $CG/unified/cgroup.controllers ] || skip "no v2 hierarchy beside the v1 ones here"
  grep -qw memory $CG/unified/cgroup.controllers && skip "memory is on the v2 hierarchy here"
  update_config '.linux.resources = {unified: {"memory.high": "100000000"}}'
  run -1 --separate-stderr husk run -d "$ID"
  [[ $stderr == 'husk: linux.resources.unified["memory.high"]: invalid configuration: '*"no memory controller"* ]]
  assert_no_cgroup
  assert_root_empty
  run -1 --separate-stderr husk run -d "$ID" </dev/null
  # an update too, with nothing written
  update_config '.linux.resources = {pids: {limit: 10}}'
  start_detached
  run -1 --separate-stderr husk update -r - "$ID" <<<'{"pids": {"limit": 20}, "unified": {"memory.high": "1"}}'
  [[ $stderr == *"linux.resources.unified"*"invalid configuration"* ]]
  [ "$(cat "$(cgdir pids)/pids.max")" = 10 ]
}

@test "hugepageLimits with a page size the host lacks: refused naming the field, nothing left" {
  grep -qw hugetlb $CG/unified/cgroup.controllers 2>/dev/null || [ -d $CG/hugetlb ] || skip "no hugetlb controller here"
  update_config '.linux.resources = {hugepageLimits: [{pageSize: "2MB", limit: 2097152}, {pageSize: "3MB", limit: 2097152}]}'
  run -1 --separate-stderr husk run -d "$ID"
  [ "$stderr" = 'husk: linux.resources.hugepageLimits[1].pageSize "3MB": this host has no huge pages of that size (/sys/kernel/mm/hugepages)' ]
  assert_no_cgroup
  assert_root_empty
}

@test "a frozen cgroupsPath is refused at create; the cgroup is left as it was and nothing is made" {
  local frz=/husk-frozen-$ID rc
  CG_MADE="$frz"
  mkdir -p "$CG/freezer$frz"
  echo FROZEN >"$CG/freezer$frz/freezer.state"
  # the cgroup itself, and a new one below it (which would be frozen too)
  for path in "$frz" "$frz/ctr"; do
    update_config ".linux.cgroupsPath = \"$path\""
    rc=0; run_bounded run -d "$ID" || rc=$?; [ "$rc" = 1 ]
    [ "$stderr" = "husk: linux.cgroupsPath \"$path\": container's cgroup is frozen ($CG/freezer$frz: freezer.state FROZEN); thaw it first" ]
    assert_root_empty
    [ "$(cat "$CG/freezer$frz/freezer.state")" = FROZEN ]
    [ ! -e "$CG/freezer$frz/ctr" ] && [ ! -e "$CG/memory$frz" ]
  done
  echo THAWED >"$CG/freezer$frz/freezer.state"
  # frozen through the v2 hierarchy of this hybrid host
  if [ -e $CG/unified/cgroup.controllers ]; then
    mkdir -p "$CG/unified$frz"
    echo 1 >"$CG/unified$frz/cgroup.freeze"
    update_config ".linux.cgroupsPath = \"$frz\""
    rc=0; run_bounded run "$ID" || rc=$?; [ "$rc" = 1 ]
    [[ $stderr == *"container's cgroup is frozen ($CG/unified$frz: cgroup.freeze 1)"* ]]
    [ "$(cat "$CG/unified$frz/cgroup.freeze")" = 1 ]
    assert_root_empty
  fi
}

# Sub-cgroups in every hierarchy below the container's, as a container
# (or a user, for exec --cgroup) makes them; v1 cpusets filled.
make_subcgroups() {
  local h d
  for h in $(cgroup_hierarchies); do
    mkdir -p "$(cgdir "$h")/sub/deeper" "$(cgdir "$h")/other"
  done
  for d in sub sub/deeper other; do
    cat $CG/cpuset/cpuset.cpus >"$(cgdir cpuset)/$d/cpuset.cpus"
    cat $CG/cpuset/cpuset.mems >"$(cgdir cpuset)/$d/cpuset.mems"
  done
}

@test "delete --force removes the sub-cgroups bottom-up in every hierarchy, frozen ones and their processes too" {
  update_config '.process.args = ["sleep", "7772"]'
  start_detached
  make_subcgroups
  husk_files exec -d --cgroup sub/deeper "$ID" sleep 7773
  husk_files exec -d --cgroup other "$ID" sleep 7773
  grep -q . "$(cgdir pids)/sub/deeper/cgroup.procs"
  # a sub-cgroup frozen in the v1 freezer, another in the v2 hierarchy
  echo FROZEN >"$(cgdir freezer)/sub/freezer.state"
  [ ! -e "$(cgdir unified)/other/cgroup.freeze" ] || echo 1 >"$(cgdir unified)/other/cgroup.freeze"
  run -0 timeout -k 2 10 "$HUSK" --root "$ROOT" delete --force "$ID"
  assert_no_cgroup
  wait_for 3 no_process "sleep 777[23]"
}

@test "delete --force of a container frozen behind husk's back thaws it, kills it and removes its cgroups" {
  update_config '.process.args = ["sleep", "7774"]'
  start_detached
  make_subcgroups
  husk_files exec -d --cgroup sub "$ID" sleep 7775
  # the v1 freezer of the container (husk's state still says running), a
  # sub-cgroup frozen of its own, and the v2 freezer of this hybrid host
  echo FROZEN >"$(cgdir freezer)/sub/freezer.state"
  echo FROZEN >"$(cgdir freezer)/freezer.state"
  [ ! -e "$(cgdir unified)/cgroup.freeze" ] || echo 1 >"$(cgdir unified)/cgroup.freeze"
  wait_for 3 grep -qx FROZEN "$(cgdir freezer)/freezer.state"
  [ "$(husk state "$ID" | jq -r .status)" = running ]
  run -0 timeout -k 2 10 "$HUSK" --root "$ROOT" delete --force "$ID"
  assert_no_cgroup
  assert_root_empty
  wait_for 3 no_process "sleep 777[45]"
  # paused by husk, with a frozen sub-cgroup
  update_config '.process.args = ["sleep", "7774"]'
  start_detached
  make_subcgroups
  husk_files exec -d --cgroup sub/deeper "$ID" sleep 7775
  echo FROZEN >"$(cgdir freezer)/sub/deeper/freezer.state"
  run -0 husk pause "$ID"
  run -0 timeout -k 2 10 "$HUSK" --root "$ROOT" delete --force "$ID"
  assert_no_cgroup
  wait_for 3 no_process "sleep 777[45]"
}
