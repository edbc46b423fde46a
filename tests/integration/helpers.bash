# SPDX-License-Identifier: Apache-2.0
# Helpers for husk's bats tests. Each test gets its own state root and a
# bundle (busybox rootfs, built once from Debian's busybox-static and shared
# by every test, plus a fresh config.json from `husk spec`).

bats_require_minimum_version 1.5.0

HUSK=${HUSK_BINARY:?HUSK_BINARY must point at the husk binary}
HUSK_TEST_CACHE=${HUSK_TEST_CACHE:-/var/tmp/husk-test-cache}

# The shared busybox rootfs (read-only use: tests that change files copy it).
husk_rootfs() {
  local root=$HUSK_TEST_CACHE/rootfs a
  if [ ! -x "$root/bin/busybox" ]; then
    [ -x /bin/busybox ] || skip "busybox-static is not installed"
    (
      flock 9
      if [ ! -x "$root/bin/busybox" ]; then
        rm -rf "$root.tmp"
        mkdir -p "$root.tmp"/{bin,sbin,dev,proc,sys,etc,tmp,root,home,var,run,usr/bin,usr/sbin}
        chmod 1777 "$root.tmp/tmp"
        cp /bin/busybox "$root.tmp/bin/busybox"
        for a in $("$root.tmp/bin/busybox" --list); do
          [ "$a" = busybox ] || ln -sf busybox "$root.tmp/bin/$a"
        done
        printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root.tmp/etc/passwd"
        printf 'root:x:0:\nnogroup:x:65534:\n' >"$root.tmp/etc/group"
        mv "$root.tmp" "$root"
      fi
    ) 9>"$HUSK_TEST_CACHE.lock"
  fi
  echo "$root"
}

setup_husk() {
  mkdir -p "$HUSK_TEST_CACHE"
  TEST_DIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/husk-test.XXXXXX")
  ROOT=$TEST_DIR/state
  BUNDLE=$TEST_DIR/bundle
  mkdir -p "$BUNDLE"
  ln -s "$(husk_rootfs)" "$BUNDLE/rootfs"
  "$HUSK" spec --bundle "$BUNDLE"
}

teardown_husk() {
  # (a test skipped in its setup has no TEST_DIR)
  if [ -n "${TEST_DIR:-}" ]; then rm -rf "$TEST_DIR"; fi
}

# husk with the test's own state root.
husk() {
  "$HUSK" --root "$ROOT" "$@"
}

# Edit the bundle's config.json with a jq filter,
# e.g. update_config '.process.args = ["true"]'.
update_config() {
  local tmp
  tmp=$(mktemp "$BUNDLE/.config.XXXXXX")
  jq "$@" "$BUNDLE/config.json" >"$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

# The state root holds no container directory.
assert_root_empty() {
  if [ -d "$ROOT" ]; then
    local left
    left=$(ls -A "$ROOT")
    [ -z "$left" ] || { echo "state root not empty: $left" >&2; return 1; }
  fi
}

# ---------------------------------------------------------------- containers
# Helpers for the tests that run real containers (lifecycle, process,
# namespaces, hooks, terminal).

# setup_container: setup_husk, then a config that runs without a terminal
# (most tests read the container's output through a pipe).
setup_container() {
  setup_husk
  update_config '.process.terminal = false'
}

# teardown_containers: force-delete every container left in $ROOT (its init
# is killed), then teardown_husk. A test that fails half-way leaves nothing.
teardown_containers() {
  local d id pid
  if [ -d "${ROOT:-}" ]; then
    for d in "$ROOT"/*/; do
      [ -d "$d" ] || continue
      id=$(basename "$d")
      pid=$(jq -r '.pid // 0' "$d/state.json" 2>/dev/null || echo 0)
      "$HUSK" --root "$ROOT" delete --force "$id" >/dev/null 2>&1 || true
      if [ "${pid:-0}" -gt 0 ] 2>/dev/null && [ -e "/proc/$pid" ]; then
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -rf "$d"
    done
  fi
  local p
  for p in ${HUSK_TEST_PIDS:-}; do
    kill -9 "$p" 2>/dev/null || true
  done
  teardown_husk
}

# Remember a helper process of the test (killed by teardown_containers).
track_pid() {
  HUSK_TEST_PIDS="${HUSK_TEST_PIDS:-} $1"
}

# set_args ARG...: process.args of the bundle.
set_args() {
  local a='[]' x
  for x in "$@"; do
    a=$(jq -c --arg x "$x" '. + [$x]' <<<"$a")
  done
  update_config --argjson a "$a" '.process.args = $a'
}

# set_cmd 'shell command': process.args = sh -c 'shell command'.
set_cmd() {
  set_args sh -c "$1"
}

# A writable copy of the busybox rootfs in the bundle (for tests that write
# into the container's root or need the bundle's rootfs to be a real
# directory, like runc).
own_rootfs() {
  rm -f "$BUNDLE/rootfs"
  cp -a "$(husk_rootfs)" "$BUNDLE/rootfs"
  update_config '.root.readonly = false'
}

# The status field of `husk state ID`.
container_status() {
  husk state "$1" | jq -r .status
}

# The init pid of `husk state ID`.
container_pid() {
  husk state "$1" | jq -r .pid
}

# wait_for SECONDS COMMAND...: retry COMMAND every 0.1 s until it succeeds.
wait_for() {
  local n=$(($1 * 10))
  shift
  while [ $n -gt 0 ]; do
    "$@" && return 0
    sleep 0.1
    n=$((n - 1))
  done
  "$@"
}

# wait_status ID STATUS: the container reaches STATUS within 5 seconds.
wait_status() {
  wait_for 5 eval "[ \"\$(container_status '$1')\" = '$2' ]"
}

# The process PID does not exist any more (a zombie counts as gone).
pid_gone() {
  [ ! -e "/proc/$1" ] || [ "$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)" = Z ]
}

# A field of /proc/PID/status, e.g. status_field 1234 CapEff.
status_field() {
  awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' "/proc/$1/status"
}

# no_process PATTERN: no process on the host has a command line matching
# PATTERN (pgrep -f); give containers a distinctive command (sleep 7777).
no_process() {
  local left
  left=$(pgrep -f -- "$1" | grep -vx "$$" || true)
  [ -z "$left" ] || { echo "left: $left ($(cat /proc/$left/cmdline 2>/dev/null | tr '\0' ' '))" >&2; return 1; }
}

# husk with its stdio (and so the stdio of a container it leaves behind) on
# files: $TEST_DIR/husk.out and husk.err are then printed to stdout and
# stderr. Use it for create and run -d under bats' `run`, which would
# otherwise wait for the container to close the captured pipe.
husk_files() {
  local rc=0
  husk "$@" >"$TEST_DIR/husk.out" 2>"$TEST_DIR/husk.err" </dev/null || rc=$?
  cat "$TEST_DIR/husk.out"
  cat "$TEST_DIR/husk.err" >&2
  return $rc
}
