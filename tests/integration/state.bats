#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# husk state: the OCI state JSON of a container, its errors, and the status
# husk derives from the container's init process. Containers cannot be
# created yet, so the state directories are made by hand (fixtures/state).

load helpers
load fixtures/state

setup() { setup_husk; }
teardown() {
  stop_sleeper
  teardown_husk
}

@test "state of a missing container fails saying it does not exist" {
  run -1 --separate-stderr husk state x
  [ -z "$output" ]
  [ "$stderr" = 'husk: container "x" does not exist' ]
  assert_root_empty
}

@test "state of a missing container in an existing root fails the same way" {
  mkdir -p "$ROOT/other"
  run -1 --separate-stderr husk state x
  [ "$stderr" = 'husk: container "x" does not exist' ]
}

@test "state of a directory without state.json says the container does not exist" {
  mkdir -p "$ROOT/half"
  run -1 --separate-stderr husk state half
  [ "$stderr" = 'husk: container "half" does not exist' ]
}

@test "state refuses invalid ids and creates nothing" {
  local long
  long=$(printf 'a%.0s' $(seq 1025))
  local id
  for id in "a/b" ".." "." "a b" "../x" "a*" "é"; do
    run -1 --separate-stderr husk state "$id"
    [ -z "$output" ]
    [ "${#stderr_lines[@]}" -eq 1 ]
    [[ $stderr == "husk: invalid container id \"$id\""* ]]
  done
  run -1 --separate-stderr husk state ""
  [ "$stderr" = "husk: container id must not be empty" ]
  run -1 --separate-stderr husk state "$long"
  [[ $stderr == "husk: container id is too long (1025 characters, at most "*")" ]]
  [ ! -e "$ROOT" ]
  [ ! -e "$TEST_DIR/x" ]
}

@test "state accepts an id as long as a file name (255 characters)" {
  local id
  id=$(printf 'a%.0s' $(seq 255))
  run -1 --separate-stderr husk state "$id"
  [ "$stderr" = "husk: container \"$id\" does not exist" ]
}

# The id names the container's directory in the state root, so an id longer
# than NAME_MAX (255) can never be a container: it must get the clear "too
# long" error, not a raw ENAMETOOLONG from the file system.
@test "state refuses an id longer than a file name as too long" {
  local id
  id=$(printf 'a%.0s' $(seq 256))
  run -1 --separate-stderr husk state "$id"
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ $stderr == "husk: container id is too long (256 characters, at most "*")" ]]
}

@test "state without an id fails with the usage" {
  run -1 --separate-stderr husk state
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = "husk: state: a container id is required" ]
  [[ $stderr == *"Usage: husk state ID"* ]]
}

@test "state with two ids fails with the usage" {
  run -1 --separate-stderr husk state a b
  [[ $stderr == *"Usage: husk state ID"* ]]
}

@test "state of a running container prints its OCI state" {
  start_sleeper
  make_state c1 "$SLEEPER_PID" running '.annotations = {"org.example.key": "value", "b": ""}'
  run -0 --separate-stderr husk state c1
  [ -z "$stderr" ]
  local s=$output
  [ "$(jq -r .ociVersion <<<"$s")" = "1.3.0" ]
  [ "$(jq -r .id <<<"$s")" = "c1" ]
  [ "$(jq -r .pid <<<"$s")" = "$SLEEPER_PID" ]
  [ "$(jq -r .status <<<"$s")" = "running" ]
  [ "$(jq -r .bundle <<<"$s")" = "$TEST_DIR/bundles/c1" ]
  [ "$(jq -r .rootfs <<<"$s")" = "$TEST_DIR/bundles/c1/rootfs" ]
  [ "$(jq -r .created <<<"$s")" = "2024-01-02T03:04:05.123456789Z" ]
  [ "$(jq -r .owner <<<"$s")" = "" ]
  [ "$(jq -c .annotations <<<"$s")" = '{"org.example.key":"value","b":""}' ]
  # runc's keys, in runc's order (annotations before owner); husk's internal
  # fields (ownerUid, pidStartTime) are not shown
  [ "$(jq -c keys_unsorted <<<"$s")" = '["ociVersion","id","pid","status","bundle","rootfs","created","annotations","owner"]' ]
}

@test "state is pretty-printed JSON like runc's" {
  start_sleeper
  make_state c1 "$SLEEPER_PID" running
  run -0 husk state c1
  [ "${lines[0]}" = "{" ]
  [ "${lines[1]}" = '  "ociVersion": "1.3.0",' ]
  [ "${lines[-1]}" = "}" ]
  # no annotations: the key is left out
  [ "$(jq -c 'has("annotations")' <<<"$output")" = "false" ]
}

@test "state shows stopped and pid 0 once the init process has exited" {
  start_sleeper
  make_state c1 "$SLEEPER_PID" running
  run -0 husk state c1
  [ "$(jq -r .status <<<"$output")" = "running" ]

  stop_sleeper
  run -0 husk state c1
  [ "$(jq -r .status <<<"$output")" = "stopped" ]
  [ "$(jq -r .pid <<<"$output")" = "0" ]
}

@test "state shows stopped when the pid now belongs to another process" {
  start_sleeper
  # the recorded start time is not the one of the process that holds the pid
  make_state c1 "$SLEEPER_PID" running '.pidStartTime += 1'
  run -0 husk state c1
  [ "$(jq -r .status <<<"$output")" = "stopped" ]
  [ "$(jq -r .pid <<<"$output")" = "0" ]
}

@test "state does not trust a live pid when the start time was not recorded (issue 10)" {
  start_sleeper
  # without a start time the pid may name any process: it is gone
  make_state c1 "$SLEEPER_PID" created '.pidStartTime = 0'
  run -0 husk state c1
  [ "$(jq -r .status <<<"$output")" = "stopped" ]
  [ "$(jq -r .pid <<<"$output")" = "0" ]
  rm -rf "$ROOT/c1"
  make_state c1 "$SLEEPER_PID" created 'del(.pidStartTime)'
  run -0 husk state c1
  [ "$(jq -r .status <<<"$output")" = "stopped" ]
  kill -0 "$SLEEPER_PID"
}

@test "state of a stopped container shows pid 0 even if the pid is alive" {
  start_sleeper
  make_state c1 "$SLEEPER_PID" stopped
  run -0 husk state c1
  [ "$(jq -r .status <<<"$output")" = "stopped" ]
  [ "$(jq -r .pid <<<"$output")" = "0" ]
}

@test "state does not change the state directory it reads" {
  start_sleeper
  make_state c1 "$SLEEPER_PID" running
  cp "$ROOT/c1/state.json" "$TEST_DIR/before.json"
  stop_sleeper
  run -0 husk state c1
  cmp "$TEST_DIR/before.json" "$ROOT/c1/state.json"
  [ "$(ls -A "$ROOT/c1")" = "state.json" ]
}

@test "state of a corrupt state.json fails naming the container" {
  make_state c1 0 stopped
  echo '{"id": ' >"$ROOT/c1/state.json"
  run -1 --separate-stderr husk state c1
  [ -z "$output" ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ $stderr == 'husk: container "c1": state.json: '* ]]
}

@test "state without --root uses /run/husk and does not create it" {
  [ "$(id -u)" = 0 ] || skip "the default root /run/husk is root's"
  local existed=no
  [ -e /run/husk ] && existed=yes
  if [ -e /run/husk/husk-test-no-such-ctr ]; then
    skip "/run/husk/husk-test-no-such-ctr exists"
  fi
  run -1 --separate-stderr "$HUSK" state husk-test-no-such-ctr
  [ "$stderr" = 'husk: container "husk-test-no-such-ctr" does not exist' ]
  if [ $existed = no ]; then
    [ ! -e /run/husk ]
  fi
}

@test "state as a user without XDG_RUNTIME_DIR asks for --root" {
  command -v setpriv >/dev/null || skip "setpriv is not installed"
  setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$HUSK" \
    || skip "$HUSK is not executable by nobody"
  run -1 --separate-stderr env -u XDG_RUNTIME_DIR \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$HUSK" state x
  [ "$stderr" = "husk: XDG_RUNTIME_DIR is not set to an absolute path: use --root" ]
}
