#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The soak: N cycles (default 1000) mixing run, create/start, exec,
# pause/resume, update, kill and delete on a busybox bundle, with a check
# of the host every 100 cycles (and at the end): our mounts, cgroup
# directories in every hierarchy, processes and zombies, the caller's open
# fds, the state root. Any drift, or any command that fails, stops it with
# the cycle and what changed. As root; `make soak` runs 1000 cycles,
# contrib/test.sh 100.
#
#   contrib/soak.sh [N]        HUSK=path/to/husk (default: the built one)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${1:-1000}
[[ $N =~ ^[0-9]+$ ]] || die "soak: the number of cycles must be digits, not \"$N\""
HUSK=${HUSK:-$HUSK_TOP/husk}
[ -x "$HUSK" ] || die "soak: $HUSK is not built"
[ "$(id -u)" = 0 ] || die "soak: run as root"

WORK=$(mktemp -d /tmp/husk-soak.XXXXXX)
ROOT=$WORK/state
PREFIX=soak$$-
trap 'cleanup' EXIT

h() { "$HUSK" --root "$ROOT" "$@"; }

cleanup() {
  local d
  for d in "$ROOT"/*/; do
    [ -d "$d" ] && h delete -f "$(basename "$d")" >/dev/null 2>&1
  done
  rm -rf "$WORK"
}

make_rootfs "$WORK/rootfs"
mkdir -p "$WORK/b"
"$HUSK" spec --bundle "$WORK/b" || die "soak: husk spec failed"
ln -s ../rootfs "$WORK/b/rootfs"
jq '.process.terminal = false | .process.args = ["sleep", "1000"]
  | .linux.resources = {pids: {limit: 100}}' "$WORK/b/config.json" >"$WORK/c" \
  && mv "$WORK/c" "$WORK/b/config.json"
jq '.process.args = ["true"]' "$WORK/b/config.json" >"$WORK/true.json"

# what must come back to its first value
snapshot() {
  echo "## mounts"
  awk '{ $1 = $2 = ""; print }' /proc/self/mountinfo | grep -v -e "$WORK" | sort
  echo "## cgroups"
  find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d -name "$PREFIX*" 2>/dev/null | sort
  echo "## processes"
  local p cmd stat
  for p in /proc/[0-9]*; do
    cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
    case $cmd in
      *"$PREFIX"* | "sleep 1000 " | "sleep 999 ") echo "process ${p#/proc/} $cmd" ;;
    esac
    # zombies of this shell
    stat=$( { cat "$p/stat"; } 2>/dev/null) || continue
    stat=${stat##*) }
    read -r st pp _ <<<"$stat"
    [ "$st" = Z ] && [ "$pp" = $$ ] && echo "zombie ${p#/proc/}"
  done
  echo "## fds"
  ls /proc/$$/fd | wc -l
  echo "## state root"
  ls -A "$ROOT" 2>/dev/null
}

fail() {
  echo "soak: cycle $i: $*" >&2
  exit 1
}

# one cycle: each husk call must succeed (output to the log)
cycle() {
  local id=$PREFIX$i log=$WORK/log
  case $((i % 4)) in
    0)
      h run -b "$WORK/b" --config "$WORK/true.json" "$id" </dev/null >"$log" 2>&1 \
        || fail "run: $(cat "$log")"
      ;;
    *)
      h create -b "$WORK/b" "$id" </dev/null >"$log" 2>&1 || fail "create: $(cat "$log")"
      h start "$id" >"$log" 2>&1 || fail "start: $(cat "$log")"
      h exec "$id" true >"$log" 2>&1 || fail "exec: $(cat "$log")"
      h exec -d "$id" sleep 999 >"$log" 2>&1 || fail "exec -d: $(cat "$log")"
      if [ $((i % 2)) = 1 ]; then
        h pause "$id" >"$log" 2>&1 || fail "pause: $(cat "$log")"
        h resume "$id" >"$log" 2>&1 || fail "resume: $(cat "$log")"
      fi
      h update --pids-limit $((100 + i % 7)) "$id" >"$log" 2>&1 || fail "update: $(cat "$log")"
      if [ $((i % 4)) = 3 ]; then
        # kill, wait for stopped, delete
        h kill "$id" KILL >"$log" 2>&1 || fail "kill: $(cat "$log")"
        local s
        for _ in $(seq 100); do
          s=$(h state "$id" 2>/dev/null | jq -r .status)
          [ "$s" = stopped ] && break
          sleep 0.02
        done
        [ "$s" = stopped ] || fail "still $s after kill"
        h delete "$id" >"$log" 2>&1 || fail "delete: $(cat "$log")"
      else
        h delete -f "$id" >"$log" 2>&1 || fail "delete -f: $(cat "$log")"
      fi
      ;;
  esac
}

before=$(snapshot)
start=$(date +%s)
for ((i = 1; i <= N; i++)); do
  cycle
  if [ $((i % 100)) = 0 ] || [ "$i" = "$N" ]; then
    after=""
    # a killed container's last processes may take a moment to go
    for _ in $(seq 20); do
      after=$(snapshot)
      [ "$after" = "$before" ] && break
      sleep 0.1
    done
    if [ "$after" != "$before" ]; then
      diff <(echo "$before") <(echo "$after") >&2
      fail "the host changed (above: - before, + after)"
    fi
    echo "soak: $i cycles, host unchanged ($(($(date +%s) - start)) s)"
  fi
done
echo "soak: $N cycles clean"
