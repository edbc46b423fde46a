#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side benchmark of husk, runc and crun on one machine, in one run.
#
#   bench/run.sh [N]          (as root; N sequential containers each, default 100)
#
# What it measures, for each runtime, on the same busybox bundle with the
# runtime's own default config (`RUNTIME spec`, terminal off):
#   run      N sequential `run` of /bin/true: wall time per container
#   exec     N sequential `exec` of /bin/true into one running container
#   memory   peak RSS of one `run` (GNU time's %M, the largest of the
#            runtime's processes that it waited for)
# and prints each as a table, with husk's ratio to the others.
#
# crun refuses hybrid cgroup hosts (a v2 hierarchy holding a controller):
# every runtime is run inside `unshare -m` after an empty file is bind-mounted
# over /sys/fs/cgroup/unified/cgroup.controllers, private to that namespace,
# so that the three see the same host.
set -euo pipefail
N=${1:-100}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/contrib/lib.sh"

[ "$(id -u)" = 0 ] || die "run as root"
HUSK_PACKAGES="$HUSK_PACKAGES runc crun time" ensure_packages
build_husk
export HUSK=$top/husk

work=$(mktemp -d /tmp/husk-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
make_rootfs "$work/rootfs"

# the body runs inside a private mount namespace (see above)
cat >"$work/inner.sh" <<'INNER'
set -euo pipefail
N=$1 work=$2
if [ -e /sys/fs/cgroup/unified/cgroup.controllers ]; then
  : >"$work/empty"
  mount --bind "$work/empty" /sys/fs/cgroup/unified/cgroup.controllers
fi
now() { date +%s%N; }
declare -A BIN=([husk]=$HUSK [runc]=runc [crun]=crun)
for rt in husk runc crun; do
  bin=${BIN[$rt]}
  b=$work/bundle-$rt
  mkdir -p "$b"
  [ -d "$b/rootfs" ] || cp -a "$work/rootfs" "$b/rootfs"
  (cd "$b" && rm -f config.json && "$bin" spec)
  jq '.process.terminal = false | .process.args = ["/bin/true"]' "$b/config.json" >"$b/c" \
    && mv "$b/c" "$b/config.json"
  root=$work/state-$rt
  # warm up
  "$bin" --root "$root" run -b "$b" "warm-$rt" >/dev/null
  t0=$(now)
  for i in $(seq "$N"); do
    "$bin" --root "$root" run -b "$b" "c$i" >/dev/null
  done
  t1=$(now)
  echo "run $rt $(( (t1 - t0) / N ))"
  # peak memory of one run
  mem=$(/usr/bin/time -f %M "$bin" --root "$root" run -b "$b" mem 2>&1 >/dev/null | tail -1)
  echo "mem $rt $mem"
  # exec into one running container
  jq '.process.args = ["sleep", "1000"]' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
  "$bin" --root "$root" run -d -b "$b" ex </dev/null >/dev/null 2>&1
  "$bin" --root "$root" exec ex /bin/true
  t0=$(now)
  for i in $(seq "$N"); do
    "$bin" --root "$root" exec ex /bin/true
  done
  t1=$(now)
  echo "exec $rt $(( (t1 - t0) / N ))"
  "$bin" --root "$root" delete -f ex >/dev/null 2>&1 || "$bin" --root "$root" kill ex KILL || true
done
INNER
unshare -m --propagation private bash "$work/inner.sh" "$N" "$work" >"$work/results"

awk -v n="$N" '
  { v[$1, $2] = $3 }
  END {
    printf "%d sequential containers per runtime\n\n", n
    printf "%-8s %12s %12s %12s %14s %14s\n", "", "husk", "runc", "crun", "runc/husk", "crun/husk"
    split("run exec", kinds, " ")
    for (k = 1; k <= 2; k++) {
      m = kinds[k]
      printf "%-8s %10.2fms %10.2fms %10.2fms %13.2fx %13.2fx\n", m " time",
        v[m, "husk"] / 1e6, v[m, "runc"] / 1e6, v[m, "crun"] / 1e6,
        v[m, "runc"] / v[m, "husk"], v[m, "crun"] / v[m, "husk"]
    }
    printf "%-8s %10.2fMB %10.2fMB %10.2fMB %13.2fx %13.2fx\n", "peak RSS",
      v["mem", "husk"] / 1024, v["mem", "runc"] / 1024, v["mem", "crun"] / 1024,
      v["mem", "runc"] / v["mem", "husk"], v["mem", "crun"] / v["mem", "husk"]
  }' "$work/results"
