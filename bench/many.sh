#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Many containers at once (docs/reliability.md): N containers (default 500)
# running `sleep` on the default config, created and started in parallel
# batches; `list` and `state` timed as the count grows, with runc's `list`
# over as many runc containers beside it; `ps` and `events --stats` on a
# few; then all deleted in parallel and the host checked for leftovers.
# Not a test: a measurement. As root.
#
#   bench/many.sh [N]     HUSK=path (default: the built one), RUNC=runc
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../contrib/lib.sh"

N=${1:-500}
[[ $N =~ ^[0-9]+$ ]] || die "many: N must be digits"
HUSK=${HUSK:-$HUSK_TOP/husk}
RUNC=${RUNC:-$(command -v runc || true)}
WORK=$(mktemp -d /tmp/husk-many.XXXXXX)
P=many$$-
trap 'cleanup' EXIT

cleanup() {
  local d
  for d in "$WORK"/husk/*/; do [ -d "$d" ] && "$HUSK" --root "$WORK/husk" delete -f "$(basename "$d")" >/dev/null 2>&1; done
  if [ -n "$RUNC" ]; then
    for d in "$WORK"/runc/*/; do [ -d "$d" ] && "$RUNC" --root "$WORK/runc" delete -f "$(basename "$d")" >/dev/null 2>&1; done
  fi
  rm -rf "$WORK"
}

make_rootfs "$WORK/rootfs"
mkdir -p "$WORK/b"
"$HUSK" spec --bundle "$WORK/b"
jq --arg r "$WORK/rootfs" '.root.path = $r | .process.terminal = false | .process.args = ["sleep", "100000"]' \
  "$WORK/b/config.json" >"$WORK/c" && mv "$WORK/c" "$WORK/b/config.json"

ms() { # ms CMD...: wall milliseconds of CMD (median of 5)
  local t a=()
  for _ in 1 2 3 4 5; do
    t=$(date +%s%N)
    "$@" >/dev/null 2>&1
    a+=($((($(date +%s%N) - t) / 1000000)))
  done
  printf '%s\n' "${a[@]}" | sort -n | sed -n 3p
}

start_batch() { # start_batch RUNTIME ROOT FROM TO
  local rt=$1 root=$2 i
  for ((i = $3; i <= $4; i++)); do
    ("$rt" --root "$root" run -d -b "$WORK/b" "$P$i" </dev/null >/dev/null 2>&1 || echo "fail $rt $i" >>"$WORK/fails") &
    if [ $((i % 16)) = 0 ]; then wait; fi
  done
  wait
}

printf '%-8s %-12s %-12s %-12s\n' count "husk list" "husk state" "runc list"
have=0
for step in 50 100 250 "$N"; do
  [ "$step" -le "$N" ] || continue
  [ "$step" -gt "$have" ] || continue
  start_batch "$HUSK" "$WORK/husk" $((have + 1)) "$step"
  rl=-
  if [ -n "$RUNC" ]; then
    start_batch "$RUNC" "$WORK/runc" $((have + 1)) "$step"
    rl=$(ms "$RUNC" --root "$WORK/runc" list)
  fi
  have=$step
  printf '%-8s %-12s %-12s %-12s\n' "$have" "$(ms "$HUSK" --root "$WORK/husk" list) ms" \
    "$(ms "$HUSK" --root "$WORK/husk" state "${P}1") ms" "$rl ms"
done
running=$("$HUSK" --root "$WORK/husk" list -q | wc -l)
echo "husk containers running: $running of $N; failures: $(cat "$WORK/fails" 2>/dev/null | wc -l)"
"$HUSK" --root "$WORK/husk" ps "${P}7" >/dev/null && echo "ps on one: ok"
"$HUSK" --root "$WORK/husk" events --stats "${P}9" | jq -e .data.pids >/dev/null && echo "events --stats on one: ok"

t=$(date +%s%N)
for ((i = 1; i <= N; i++)); do
  ("$HUSK" --root "$WORK/husk" delete -f "$P$i" >/dev/null 2>&1 || echo "delete fail $i" >>"$WORK/fails") &
  if [ $((i % 16)) = 0 ]; then wait; fi
done
wait
echo "husk: $N deleted in parallel in $((($(date +%s%N) - t) / 1000000)) ms"
if [ -n "$RUNC" ]; then
  t=$(date +%s%N)
  for ((i = 1; i <= N; i++)); do
    ("$RUNC" --root "$WORK/runc" delete -f "$P$i" >/dev/null 2>&1) &
    if [ $((i % 16)) = 0 ]; then wait; fi
  done
  wait
  echo "runc: $N deleted in parallel in $((($(date +%s%N) - t) / 1000000)) ms"
fi
left_cg=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "$P*" 2>/dev/null | wc -l)
left_dirs=$(ls -A "$WORK/husk" | wc -l)
left_procs=$(pgrep -f "sleep 100000" | wc -l)
echo "left behind: $left_cg cgroup directories, $left_dirs husk state directories, $left_procs processes"
