#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# husk list: the table (runc's tabwriter layout), --quiet and --format json,
# on an empty root and on hand-made containers (fixtures/state).

load helpers
load fixtures/state

setup() { setup_husk; }
teardown() {
  stop_sleeper
  teardown_husk
}

HEADER="ID          PID         STATUS      BUNDLE      CREATED     OWNER"

need_runc() {
  command -v runc >/dev/null || skip "runc is not installed"
}

@test "list of a missing root prints the header only" {
  run -0 --separate-stderr husk list
  [ -z "$stderr" ]
  [ "$output" = "$HEADER" ]
  # listing does not create the root
  [ ! -e "$ROOT" ]
}

@test "list of an empty root prints the header only" {
  mkdir -m 0700 "$ROOT"
  run -0 husk list
  [ "$output" = "$HEADER" ]
}

@test "list of an empty root prints what runc list prints" {
  need_runc
  local want
  want=$(runc --root "$TEST_DIR/runcroot" list)
  run -0 husk list
  [ "$output" = "$want" ]
}

@test "list -q and --quiet of an empty root print nothing" {
  run -0 husk list -q
  [ -z "$output" ]
  run -0 husk list --quiet
  [ -z "$output" ]
}

@test "list --format json of an empty root prints null, as runc does" {
  run -0 husk list --format json
  [ "$output" = "null" ]
  run -0 husk list -f json
  [ "$output" = "null" ]
  if command -v runc >/dev/null; then
    [ "$output" = "$(runc --root "$TEST_DIR/runcroot" list --format json)" ]
  fi
}

@test "list shows one row per container, sorted by id" {
  make_state zeta 0 stopped
  make_state alpha 0 stopped
  make_state mid 0 stopped
  run -0 husk list
  [ "${#lines[@]}" -eq 4 ]
  [ "${lines[0]%% *}" = "ID" ]
  [ "${lines[1]%% *}" = "alpha" ]
  [ "${lines[2]%% *}" = "mid" ]
  [ "${lines[3]%% *}" = "zeta" ]
}

@test "list pads short columns to 12 characters, as runc's tabwriter" {
  make_state a 0 stopped '.bundle = "/b" | .created = "x"'
  run -0 husk list
  [ "${lines[0]}" = "$HEADER" ]
  [ "${lines[1]}" = "a           0           stopped     /b          x           root" ]
  [ "${#lines[@]}" -eq 2 ]
}

@test "list pads each column 3 spaces past its longest cell" {
  start_sleeper
  make_state alpha-container-long "$SLEEPER_PID" running '.bundle = "/bundles/alpha"'
  make_state zeta 0 stopped '.bundle = "/b"'
  run -0 husk list
  # widths: ID 20+3, PID 12, STATUS 12, BUNDLE 14+3, CREATED 30+3; OWNER last, unpadded
  row() { printf '%-23s%-12s%-12s%-17s%-33s%s' "$@"; }
  [ "${lines[0]}" = "$(row ID PID STATUS BUNDLE CREATED OWNER)" ]
  [ "${lines[1]}" = "$(row alpha-container-long "$SLEEPER_PID" running /bundles/alpha 2024-01-02T03:04:05.123456789Z root)" ]
  [ "${lines[2]}" = "$(row zeta 0 stopped /b 2024-01-02T03:04:05.123456789Z root)" ]
  [ "${#lines[@]}" -eq 3 ]
}

@test "list shows the status and pid that state shows" {
  start_sleeper
  make_state live "$SLEEPER_PID" running
  make_state reused "$SLEEPER_PID" running '.pidStartTime += 1'
  run -0 husk list
  [[ ${lines[1]} == "live "*" $SLEEPER_PID "*" running "* ]]
  [[ ${lines[2]} == "reused "*" 0 "*" stopped "* ]]
}

@test "list shows an owner without a user name as #UID" {
  if getent passwd 4242 >/dev/null; then
    skip "uid 4242 has a name here"
  fi
  make_state c1 0 stopped '.ownerUid = 4242'
  run -0 husk list
  [[ ${lines[1]} == *" #4242" ]]
  run -0 husk list -f json
  [ "$(jq -r '.[0].owner' <<<"$output")" = "#4242" ]
}

@test "list -q prints the ids only, sorted" {
  make_state b 0 stopped
  make_state a 0 stopped
  make_state c 0 stopped
  run -0 husk list -q
  [ "$output" = "$(printf 'a\nb\nc')" ]
}

@test "list --format json prints an array of the containers' states" {
  start_sleeper
  make_state b 0 stopped
  make_state a "$SLEEPER_PID" running '.annotations = {"k": "v"}'
  run -0 --separate-stderr husk list --format json
  [ -z "$stderr" ]
  # one line, as runc prints it
  [ "${#lines[@]}" -eq 1 ]
  [ "$(jq -c 'map(.id)' <<<"$output")" = '["a","b"]' ]
  [ "$(jq -r '.[0].pid' <<<"$output")" = "$SLEEPER_PID" ]
  [ "$(jq -r '.[0].status' <<<"$output")" = "running" ]
  [ "$(jq -r '.[0].bundle' <<<"$output")" = "$TEST_DIR/bundles/a" ]
  [ "$(jq -r '.[0].rootfs' <<<"$output")" = "$TEST_DIR/bundles/a/rootfs" ]
  [ "$(jq -r '.[0].created' <<<"$output")" = "2024-01-02T03:04:05.123456789Z" ]
  [ "$(jq -r '.[0].owner' <<<"$output")" = "root" ]
  [ "$(jq -c '.[0].annotations' <<<"$output")" = '{"k":"v"}' ]
  # runc's key order: annotations (when there are any) before owner
  [ "$(jq -c '.[0] | keys_unsorted' <<<"$output")" = '["ociVersion","id","pid","status","bundle","rootfs","created","annotations","owner"]' ]
  [ "$(jq -r '.[1].pid' <<<"$output")" = "0" ]
  [ "$(jq -r '.[1].status' <<<"$output")" = "stopped" ]
  [ "$(jq -c '.[1] | keys_unsorted' <<<"$output")" = '["ociVersion","id","pid","status","bundle","rootfs","created","owner"]' ]
}

@test "list skips a directory without state.json and stray files" {
  make_state real 0 stopped
  mkdir -m 0700 "$ROOT/half-created"
  touch "$ROOT/stray-file"
  run -0 husk list -q
  [ "$output" = "real" ]
  run -0 husk list
  [ "${#lines[@]}" -eq 2 ]
  run -0 husk list -f json
  [ "$(jq -c 'map(.id)' <<<"$output")" = '["real"]' ]
}

@test "list --format yaml fails with the usage" {
  run -1 --separate-stderr husk list --format yaml
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = 'husk: list: --format: unknown format "yaml" (table or json)' ]
  [[ $stderr == *"Usage: husk list"* ]]
}

@test "list takes no positional argument" {
  run -1 --separate-stderr husk list extra
  [ -z "$output" ]
  [[ $stderr == *"Usage: husk list"* ]]
}
