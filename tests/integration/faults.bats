#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Crash consistency: husk killed with SIGKILL at every step of create,
# start, delete and exec (HUSK_FAULT=OP:N, honoured only by a build
# configured with --enable-fault-injection; contrib/test.sh's sanitizer
# pass is one). After each kill, `state` and `list` say something sensible
# and `delete --force` leaves the host as it was before the container:
# mounts, cgroup directories in every hierarchy, processes, the state
# root, network devices.

load helpers

setup() {
  local cfg
  cfg=$(dirname "$HUSK")/config.h
  grep -q '^#define HUSK_FAULT_INJECTION 1' "$cfg" 2>/dev/null \
    || skip "husk was built without --enable-fault-injection (the sanitizer pass of contrib/test.sh has it)"
  setup_container
  set_args sleep 1000
  ID=husk-fault-$$-$BATS_TEST_NUMBER
}

teardown() {
  teardown_containers
}

# What a container may leave on the host, the container's own part.
host_snapshot() {
  echo "## mounts"
  grep -v -e "/tmp/husk-test\." -e "/tmp/bats" /proc/self/mountinfo | awk '{ $1 = $2 = ""; print }' | sort
  echo "## cgroups"
  find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d -name "$ID*" 2>/dev/null | sort
  echo "## processes"
  local p
  local cmd
  for p in /proc/[0-9]*; do
    cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
    case $cmd in
      *"$ID"* | "sleep 1000 " | "sleep 777 ") echo "${p#/proc/} $cmd" ;;
    esac
  done
  echo "## state root"
  ls -A "$ROOT" 2>/dev/null
  echo "## links"
  ip -o link show 2>/dev/null | awk '{ print $2 }' | sort
}

# After a kill: state is valid JSON with a lifecycle status, or says the
# container does not exist; list works and its JSON is valid.
assert_sensible() {
  run husk state "$ID"
  if [ "$status" = 0 ]; then
    local st
    st=$(jq -r .status <<<"$output")
    [[ $st =~ ^(creating|created|running|stopped)$ ]] || { echo "state says: $output"; return 1; }
  else
    [[ $output == *"does not exist"* ]] || { echo "state fails: $output"; return 1; }
  fi
  run -0 husk list --format json
  jq . <<<"$output" >/dev/null
}

# faulted OP N ARGS...: husk ARGS with HUSK_FAULT=OP:N; 0 when husk was
# killed there, 1 when it finished (no such step: the loop is done).
faulted() {
  local op=$1 n=$2
  shift 2
  HUSK_FAULT=$op:$n "$HUSK" --root "$ROOT" "$@" </dev/null >"$TEST_DIR/fault.out" 2>&1
  local rc=$?
  [ "$rc" = 137 ] && return 0
  [ "$rc" = 0 ] || { cat "$TEST_DIR/fault.out"; echo "husk $* at $op:$n exited $rc"; return 2; }
  return 1
}

# delete --force, then the host must be as before.
assert_clean() {
  run -0 husk delete --force "$ID"
  local after
  for _ in $(seq 50); do
    after=$(host_snapshot)
    [ "$after" = "$before" ] && break
    sleep 0.1
  done
  [ "$after" = "$before" ] || { diff <(echo "$before") <(echo "$after"); return 1; }
}

@test "create killed at every step: state and list are sensible, delete --force undoes it all" {
  local before n=1 r
  before=$(host_snapshot)
  while :; do
    r=0
    faulted create "$n" create -b "$BUNDLE" "$ID" || r=$?
    [ "$r" != 2 ]
    assert_sensible
    assert_clean
    [ "$r" = 0 ] || break
    n=$((n + 1))
  done
  # every step was tried: the last one ran to its end
  [ "$n" -ge 8 ]
}

@test "start killed at every step: the container is running or stopped, never created again; delete --force undoes it" {
  local before n=1 r
  before=$(host_snapshot)
  while :; do
    husk create -b "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
    r=0
    faulted start "$n" start "$ID" || r=$?
    [ "$r" != 2 ]
    assert_sensible
    # killed once start has taken the fifo: never "created" again (the
    # process runs, or its init died with the start)
    [[ $(husk state "$ID" | jq -r .status) =~ ^(running|stopped)$ ]]
    assert_clean
    [ "$r" = 0 ] || break
    n=$((n + 1))
  done
  [ "$n" -ge 2 ]
}

@test "delete killed at every step: a second delete --force finishes it" {
  local before n=1 r
  before=$(host_snapshot)
  while :; do
    husk run -d -b "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
    r=0
    faulted delete "$n" delete --force "$ID" || r=$?
    [ "$r" != 2 ]
    assert_sensible
    if [ "$r" = 0 ]; then
      assert_clean
    else
      # it finished: nothing to delete
      local after
      after=$(host_snapshot)
      [ "$after" = "$before" ] || { diff <(echo "$before") <(echo "$after"); return 1; }
      break
    fi
    n=$((n + 1))
  done
  [ "$n" -ge 3 ]
}

@test "exec killed at every step: no process outside the container's cgroup, no pid file left half-written" {
  local before n=1 r p
  before=$(host_snapshot)
  husk run -d -b "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  while :; do
    rm -f "$TEST_DIR/exec.pid"
    r=0
    faulted exec "$n" exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 777 || r=$?
    [ "$r" != 2 ]
    [ "$(husk state "$ID" | jq -r .status)" = running ]
    # any exec'd process is in the container's cgroup
    for p in $(pgrep -f "^sleep 777$"); do
      grep -q "/$ID\$" "/proc/$p/cgroup" || { echo "pid $p is outside the container's cgroup"; cat "/proc/$p/cgroup"; return 1; }
    done
    # a pid file is whole or absent
    if [ -e "$TEST_DIR/exec.pid" ]; then
      [[ $(cat "$TEST_DIR/exec.pid") =~ ^[0-9]+$ ]]
    fi
    [ "$r" = 0 ] || break
    n=$((n + 1))
  done
  [ "$n" -ge 3 ]
  assert_clean
}
