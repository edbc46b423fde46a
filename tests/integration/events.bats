#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# events: --stats once, a stream every --interval, runc's JSON.

load helpers
load cgroups

setup() { setup_cgroups; }
teardown() { teardown_cgroups; }

@test "events --stats prints one stats event" {
  update_config '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 50}}'
  start_detached
  run -0 --separate-stderr husk events --stats "$ID"
  [ "${#lines[@]}" -eq 1 ]
  [ "$(jq -r .type <<<"$output")" = stats ]
  [ "$(jq -r .id <<<"$output")" = "$ID" ]
  [ "$(jq -c '.data | keys' <<<"$output")" = '["blkio","cpu","hugetlb","memory","network_interfaces","pids"]' ]
  [ "$(jq .data.memory.usage.limit <<<"$output")" = 67108864 ]
  [ "$(jq .data.memory.usage.usage <<<"$output")" -gt 0 ]
  [ "$(jq .data.pids.current <<<"$output")" -eq 1 ]
  [ "$(jq .data.pids.limit <<<"$output")" -eq 50 ]
  [ "$(jq .data.cpu.usage.total <<<"$output")" -gt 0 ]
  jq -e '.data.cpu.throttling | has("periods")' <<<"$output"
}

@test "events streams stats every --interval and ends when the container stops" {
  update_config '.process.args = ["sleep", "3"]'
  start_detached
  run -0 --separate-stderr timeout 10 "$HUSK" --root "$ROOT" events --interval 500ms "$ID"
  [ "${#lines[@]}" -ge 3 ]
  local l
  for l in "${lines[@]}"; do
    [ "$(jq -r .type <<<"$l")" = stats ]
  done
}

@test "events of a missing or stopped container, and a bad interval, are errors" {
  run -1 --separate-stderr husk events --stats nosuch
  [ "$stderr" = 'husk: container "nosuch" does not exist' ]
  update_config '.process.args = ["true"]'
  start_detached
  for i in $(seq 50); do [ "$(husk state "$ID" | jq -r .status)" = stopped ] && break; sleep 0.1; done
  run -1 --separate-stderr husk events --stats "$ID"
  [ "$stderr" = "husk: container \"$ID\" is stopped" ]
  run -1 --separate-stderr husk events --interval soon "$ID"
  [ "$stderr" = 'husk: events: --interval "soon": not a duration like 5s or 500ms' ]
}
