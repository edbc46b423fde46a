#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# pause and resume: the freezer, waited on, with the state in step.

load helpers
load cgroups

setup() {
  setup_cgroups
  update_config '.process.args = ["sh", "-c", "sleep 300 & sleep 300"]'
}
teardown() { teardown_cgroups; }

freezer_state() {
  if [ -e "$(cgdir freezer)/freezer.state" ]; then
    cat "$(cgdir freezer)/freezer.state"
  else
    grep -q '^frozen 1' "$(cgdir "")/cgroup.events" && echo FROZEN || echo THAWED
  fi
}

@test "pause freezes every process and state shows paused; resume thaws" {
  start_detached
  local pid p
  pid=$(init_pid)
  run -0 husk pause "$ID"
  [ -z "$output" ]
  [ "$(husk state "$ID" | jq -r .status)" = paused ]
  [ "$(freezer_state)" = FROZEN ]
  # every process of the container is stopped by the freezer
  for p in $(cat "$(cgdir pids)/cgroup.procs"); do
    grep -q '^State:.*\(D\|T\|t\)' /proc/$p/status
  done
  run -0 husk list --format json
  [ "$(jq -r ".[] | select(.id == \"$ID\") | .status" <<<"$output")" = paused ]
  run -0 husk resume "$ID"
  [ "$(husk state "$ID" | jq -r .status)" = running ]
  [ "$(freezer_state)" = THAWED ]
  grep -q '^State:.*S' /proc/$pid/status
}

@test "pause of a paused container and resume of a running one are refused" {
  start_detached
  run -0 husk pause "$ID"
  run -1 --separate-stderr husk pause "$ID"
  [ "$stderr" = "husk: cannot pause container \"$ID\": it is paused, not running" ]
  run -0 husk resume "$ID"
  run -1 --separate-stderr husk resume "$ID"
  [ "$stderr" = "husk: cannot resume container \"$ID\": it is running, not paused" ]
}

@test "pause of a created (not started) or missing container is refused" {
  husk create "$ID" </dev/null >/dev/null 2>&1
  run -1 --separate-stderr husk pause "$ID"
  [[ $stderr == *"it is created, not running"* ]]
  run -1 --separate-stderr husk pause nosuch
  [ "$stderr" = 'husk: container "nosuch" does not exist' ]
  run -1 --separate-stderr husk resume
  [[ ${stderr_lines[0]} == "husk: resume: a container id is required" ]]
}

@test "a paused container is killed by kill KILL after resume, and by delete --force" {
  start_detached
  run -0 husk pause "$ID"
  run -0 husk kill --all "$ID" TERM
  [ "$(husk state "$ID" | jq -r .status)" = paused ]
  run -0 husk delete --force "$ID"
  assert_no_cgroup
}
