#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The bad-input corpus (tests/badinput/*.tsv): every case is refused with
# exit 1 (no crash, no hang), a message that names the problem, and the host
# unchanged (mounts, cgroup directories, state root, processes). One loop
# runs them all; BADIN_ONLY=REGEX runs the cases whose name matches.

load helpers
load fixtures/state
load badinput

setup() {
  setup_husk
  BADIN_SHELL=$BASHPID
  BADIN_COUNT=0
  BADIN_FAILED=()
  mkdir -p "$TEST_DIR/input" "$TEST_DIR/scratch" "$ROOT"
  # for the jq filters of the cases: env.TEST_DIR, env.BADIN_SLEEPER, ...
  export TEST_DIR
  BADIN_PRINTK_BURST=$(cat /proc/sys/kernel/printk_ratelimit_burst)
  export BADIN_PRINTK_BURST
  mkdir -p "$TEST_DIR/fakecg"
  badin_sleeper
  badin_bases
  badin_live_start
}

teardown() {
  stop_sleeper
  teardown_containers
}

@test "the bad-input corpus is refused cleanly, case by case" {
  local name cmd input expect f id
  local -a words

  # config.json: husk create
  while IFS=$'\t' read -r name input expect; do
    badin_make config "$input" "$BUNDLE/config.json"
    badin_check "config/$name" "$expect" create -b "$BUNDLE" badin-cfg
  done < <(badin_cases config.tsv)

  # exec --process FILE on the running container
  while IFS=$'\t' read -r name input expect; do
    f=$TEST_DIR/input/process.json
    badin_make process "$input" "$f"
    badin_check "process/$name" "$expect" exec --process "$f" "$BADIN_LIVE"
  done < <(badin_cases process.tsv)

  # update --resources FILE on the running container
  while IFS=$'\t' read -r name input expect; do
    f=$TEST_DIR/input/resources.json
    badin_make resources "$input" "$f"
    badin_check "resources/$name" "$expect" update --resources "$f" "$BADIN_LIVE"
  done < <(badin_cases resources.tsv)

  # a corrupted state.json of the container badin-st, then COMMAND
  badin_base_state >"$TEST_DIR/base-state.json"
  while IFS=$'\t' read -r name cmd input expect; do
    kill -0 "$BADIN_SLEEPER" 2>/dev/null || badin_sleeper
    mkdir -p -m 0700 "$ROOT/badin-st"
    cp "$TEST_DIR/base-config.json" "$ROOT/badin-st/config.json"
    badin_make state "$input" "$ROOT/badin-st/state.json"
    eval "words=($cmd)"
    badin_check "state/$name" "$expect" "${words[@]}"
  done < <(badin_cases state.tsv)

  # the command line (words are shell-quoted; $BUNDLE, $BADIN_LIVE, ... expand)
  cp "$TEST_DIR/base-config.json" "$BUNDLE/config.json"
  while IFS=$'\t' read -r name cmd expect; do
    eval "words=($cmd)"
    badin_check "cli/$name" "$expect" "${words[@]}"
  done < <(badin_cases cli.tsv)

  echo "$BADIN_COUNT cases, ${#BADIN_FAILED[@]} failed"
  if [ "${#BADIN_FAILED[@]}" -gt 0 ]; then
    cat "$TEST_DIR/scratch/failures"
    return 1
  fi
  [ "$BADIN_COUNT" -ge "${BADIN_MIN_CASES:-150}" ] || [ -n "${BADIN_ONLY:-}" ]
}
