#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# update: runc's flags and --resources, written to the cgroup files and kept
# in state.json.

load helpers
load cgroups

setup() { setup_cgroups; }
teardown() { teardown_cgroups; }

stored() {
  jq -r .cgroup "$ROOT/$ID/state.json" | jq -c "$1"
}

@test "update with runc's flags changes the files and the stored values" {
  update_config '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 10}}'
  start_detached
  run -0 husk update --memory 128m --memory-reservation 64M --cpu-shares 256 --cpu-quota 30000 \
    --cpu-period 60000 --cpuset-cpus 0 --cpuset-mems 0 --pids-limit 20 "$ID"
  [ -z "$output" ]
  [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = 134217728 ]
  [ "$(cat "$(cgdir memory)/memory.soft_limit_in_bytes")" = 67108864 ]
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = 256 ]
  [ "$(cat "$(cgdir cpu)/cpu.cfs_quota_us")" = 30000 ]
  [ "$(cat "$(cgdir cpu)/cpu.cfs_period_us")" = 60000 ]
  [ "$(cat "$(cgdir cpuset)/cpuset.cpus")" = 0 ]
  [ "$(cat "$(cgdir pids)/pids.max")" = 20 ]
  [ "$(stored .resources.memory)" = '{"limit":134217728,"reservation":67108864}' ]
  [ "$(stored .resources.pids)" = '{"limit":20}' ]
  [ "$(stored .resources.cpu)" = '{"shares":256,"quota":30000,"period":60000,"cpus":"0","mems":"0"}' ]
  # events agrees
  run -0 husk events --stats "$ID"
  [ "$(jq .data.memory.usage.limit <<<"$output")" = 134217728 ]
  [ "$(jq .data.pids.limit <<<"$output")" = 20 ]
  # the state command still prints the OCI state
  run -0 husk state "$ID"
  [ "$(jq -r .status <<<"$output")" = running ]
}

@test "update --memory-swap, --kernel-memory-tcp and --cpu-share (runc's spelling)" {
  [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] || skip "no swap accounting on this host"
  start_detached
  run -0 husk update --memory 64m --memory-swap 128m --kernel-memory-tcp 8m --cpu-share 300 "$ID"
  [ "$(cat "$(cgdir memory)/memory.memsw.limit_in_bytes")" = 134217728 ]
  [ "$(cat "$(cgdir memory)/memory.kmem.tcp.limit_in_bytes")" = 8388608 ]
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = 300 ]
  run -0 husk update --memory-swap -1 --memory -1 "$ID"
  [ "$(cat "$(cgdir memory)/memory.memsw.limit_in_bytes")" = "$(cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes)" ]
}

@test "update --resources FILE and --resources -" {
  start_detached
  echo '{"pids": {"limit": 33}, "cpu": {"shares": 600}}' >"$TEST_DIR/r.json"
  run -0 husk update --resources "$TEST_DIR/r.json" "$ID"
  [ "$(cat "$(cgdir pids)/pids.max")" = 33 ]
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = 600 ]
  run -0 husk update -r - "$ID" <<<'{"pids": {"limit": 34}}'
  [ "$(cat "$(cgdir pids)/pids.max")" = 34 ]
  [ "$(stored .resources.pids)" = '{"limit":34}' ]
  [ "$(stored .resources.cpu)" = '{"shares":600}' ]
}

@test "a value the kernel refuses: exit 1, file and value named, stored values unchanged" {
  update_config '.linux.resources = {pids: {limit: 10}}'
  start_detached
  run -1 --separate-stderr husk update --cpuset-cpus 99 "$ID"
  [[ $stderr == "husk: write \"99\" to /sys/fs/cgroup/cpuset/husk/$ID/cpuset.cpus: "* ]]
  [ "$(stored .resources.pids)" = '{"limit":10}' ]
  [ "$(stored .resources.cpu)" = null ]
}

@test "bad update input is refused with a clear error" {
  start_detached
  run -1 --separate-stderr husk update --memory lots "$ID"
  [ "$stderr" = 'husk: update: --memory "lots": not a size in bytes' ]
  run -1 --separate-stderr husk update -r - "$ID" <<<'{"pids": {"limit": "x"}}'
  [[ $stderr == "husk: resources: pids.limit: "* ]]
  run -1 --separate-stderr husk update -r - "$ID" <<<'{broken'
  [[ $stderr == "husk: resources: line 1 column "*": parse error: "* ]]
  run -1 --separate-stderr husk update -r "$TEST_DIR/missing.json" "$ID"
  [[ $stderr == *"missing.json"*"No such file or directory" ]]
  run -1 --separate-stderr husk update "$ID"
  [[ ${stderr_lines[0]} == "husk: update: nothing to update"* ]]
  run -1 --separate-stderr husk update --pids-limit 5 nosuch
  [ "$stderr" = 'husk: container "nosuch" does not exist' ]
  run -1 --separate-stderr husk update --l3-cache-schema x "$ID"
  [[ $stderr == *"Intel RDT is not supported"* ]]
}

@test "update of a stopped container is refused" {
  update_config '.process.args = ["true"]'
  start_detached
  for i in $(seq 50); do [ "$(husk state "$ID" | jq -r .status)" = stopped ] && break; sleep 0.1; done
  run -1 --separate-stderr husk update --pids-limit 5 "$ID"
  [ "$stderr" = "husk: cannot update container \"$ID\": it is stopped" ]
}

# What Docker 20.10 (through containerd) puts in config.json for a plain
# `docker run`, and what `docker update --memory 8m` sends: 0 (and "") for
# every field the user did not set.
DOCKER_RESOURCES='{"memory":{"limit":0,"reservation":0,"swap":0,"kernel":0,"kernelTCP":0,"disableOOMKiller":false},
 "cpu":{"shares":0,"quota":0,"period":0,"realtimeRuntime":0,"realtimePeriod":0,"cpus":"","mems":""},
 "pids":{"limit":0},"blockIO":{"weight":0}}'

@test "Docker's zero values are 'not set' on create and on update (cpu.shares stays 1024)" {
  local parent_shares
  parent_shares=$(cat $CG/cpu/cpu.shares)
  update_config ".linux.resources = ($DOCKER_RESOURCES) + {devices: [{allow: false, access: \"rwm\"}]}"
  start_detached
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = "$parent_shares" ]
  [ "$(cat "$(cgdir cpu)/cpu.cfs_quota_us")" = -1 ]
  [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = "$(cat $CG/memory/memory.limit_in_bytes)" ]
  [ "$(cat "$(cgdir pids)/pids.max")" = max ]
  [ -n "$(cat "$(cgdir cpuset)/cpuset.cpus")" ]
  # docker update --memory 8m --memory-reservation 4m: the rest is zeros
  run -0 husk update -r - "$ID" <<<"$(jq -c '.memory.limit = 8388608 | .memory.reservation = 4194304' <<<"$DOCKER_RESOURCES")"
  [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = 8388608 ]
  [ "$(cat "$(cgdir memory)/memory.soft_limit_in_bytes")" = 4194304 ]
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = "$parent_shares" ]
  # docker update --cpu-shares 512, then an update of something else:
  # neither the shares nor the memory limits go back to 0
  run -0 husk update -r - "$ID" <<<"$(jq -c '.cpu.shares = 512' <<<"$DOCKER_RESOURCES")"
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = 512 ]
  run -0 husk update -r - "$ID" <<<"$(jq -c '.pids.limit = 50' <<<"$DOCKER_RESOURCES")"
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = 512 ]
  [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = 8388608 ]
  [ "$(cat "$(cgdir memory)/memory.soft_limit_in_bytes")" = 4194304 ]
  [ "$(cat "$(cgdir pids)/pids.max")" = 50 ]
  # docker update --cpus 1.5: quota and period, the rest zeros
  run -0 husk update -r - "$ID" <<<"$(jq -c '.cpu.quota = 150000 | .cpu.period = 100000' <<<"$DOCKER_RESOURCES")"
  [ "$(cat "$(cgdir cpu)/cpu.cfs_quota_us")" = 150000 ]
  [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = 8388608 ]
}

@test "options after the container id are taken, as runc takes them" {
  start_detached
  run -0 husk update "$ID" --cpu-period 900000 --cpu-quota 450000
  [ "$(cat "$(cgdir cpu)/cpu.cfs_period_us")" = 900000 ]
  [ "$(cat "$(cgdir cpu)/cpu.cfs_quota_us")" = 450000 ]
  run -0 husk events "$ID" --stats
  [ "$(jq -r .type <<<"$output")" = stats ]
  # ps keeps what follows the id as ps's own arguments (runc's SkipArgReorder)
  run -0 husk ps "$ID" -o pid
  [ "${lines[0]// /}" = PID ]
  # exec: everything after the id is the command line, its flags included
  run -0 husk exec "$ID" sh -c 'echo "$0 $1"' --cpu-period -x
  [ "$output" = "--cpu-period -x" ]
  run -0 husk delete "$ID" --force
  assert_no_cgroup
}

@test "an update whose late write fails puts back what it wrote before (one transaction)" {
  [ ! -e /sys/dev/block/250:250 ] || skip "this host has a block device 250:250"
  update_config '.linux.resources = {pids: {limit: 10}, cpu: {shares: 300}, memory: {limit: 67108864}}'
  start_detached
  local cpus
  cpus=$(cat "$(cgdir cpuset)/cpuset.cpus")
  # cpuset, cpu, memory and pids are written before blockIO, whose device
  # does not exist: the kernel refuses it (validation cannot know)
  run -1 --separate-stderr husk update -r - "$ID" <<<'{"cpu": {"shares": 512, "cpus": "0"},
    "memory": {"limit": 134217728}, "pids": {"limit": 20},
    "blockIO": {"throttleReadBpsDevice": [{"major": 7, "minor": 0, "rate": 100}, {"major": 250, "minor": 250, "rate": 100}]}}'
  [[ $stderr == "husk: write \"250:250 100\" to $CG/blkio/husk/$ID/blkio.throttle.read_bps_device: "*" (the values written before are restored)" ]]
  [ "$(cat "$(cgdir cpu)/cpu.shares")" = 300 ]
  [ "$(cat "$(cgdir cpuset)/cpuset.cpus")" = "$cpus" ]
  [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = 67108864 ]
  [ "$(cat "$(cgdir pids)/pids.max")" = 10 ]
  [ -z "$(cat "$(cgdir blkio)/blkio.throttle.read_bps_device")" ]
  [ "$(stored .resources.pids)" = '{"limit":10}' ]
  [ "$(stored .resources.cpu)" = '{"shares":300}' ]
  # a memory limit above memory+swap is refused by the kernel, after cpu
  if [ -e "$(cgdir memory)/memory.memsw.limit_in_bytes" ]; then
    run -0 husk update --memory 32m --memory-swap 64m "$ID"
    run -1 --separate-stderr husk update --cpu-shares 700 --cpuset-cpus 0 --memory 128m "$ID"
    [[ $stderr == *"memory.limit_in_bytes"*"(the values written before are restored)" ]]
    [ "$(cat "$(cgdir cpu)/cpu.shares")" = 300 ]
    [ "$(cat "$(cgdir cpuset)/cpuset.cpus")" = "$cpus" ]
    [ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = 33554432 ]
  fi
}
