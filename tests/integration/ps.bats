#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# ps: `ps` filtered to the container's processes, or the pid array as JSON.

load helpers
load cgroups

setup() {
  setup_cgroups
  update_config '.process.args = ["sh", "-c", "sleep 301 & sleep 302 & wait"]'
}
teardown() { teardown_cgroups; }

@test "ps --format json prints the pids of the container" {
  start_detached
  local pid
  pid=$(init_pid)
  for i in $(seq 50); do [ "$(wc -l <"$(cgdir pids)/cgroup.procs")" -ge 3 ] && break; sleep 0.1; done
  run -0 husk ps --format json "$ID"
  [ "$(jq length <<<"$output")" -eq 3 ]
  jq -e "index($pid) != null" <<<"$output"
  [ "$(jq -c 'sort' <<<"$output")" = "$(sort -n "$(cgdir pids)/cgroup.procs" | jq -sc .)" ]
}

@test "ps runs ps -ef and keeps the header and the container's lines" {
  start_detached
  for i in $(seq 50); do [ "$(wc -l <"$(cgdir pids)/cgroup.procs")" -ge 3 ] && break; sleep 0.1; done
  run -0 husk ps "$ID"
  [[ ${lines[0]} == *PID*CMD* ]]
  [ "${#lines[@]}" -eq 4 ]
  [[ $output == *"sleep 301"* ]]
  [[ $output == *"sleep 302"* ]]
  run -0 husk ps "$ID" -- -o pid,comm
  [ "${lines[0]}" = "    PID COMMAND" ] || [[ ${lines[0]} == *PID*COMMAND* ]]
  [ "${#lines[@]}" -eq 4 ]
}

@test "ps errors: bad format, missing container, ps args with json" {
  start_detached
  run -1 --separate-stderr husk ps --format yaml "$ID"
  [ "$stderr" = 'husk: ps: invalid format option "yaml": table or json' ]
  run -1 --separate-stderr husk ps nosuch
  [ "$stderr" = 'husk: container "nosuch" does not exist' ]
  run -1 --separate-stderr husk ps --format json "$ID" -o pid
  [ "$stderr" = "husk: ps: ps arguments cannot be used with --format json" ]
}
