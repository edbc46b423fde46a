#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run the built fuzz targets: run.sh SECONDS [NAME...] (NAME: config, state,
# ...; default all), one after the other, each on a copy of its seed corpus
# tests/fuzz/corpus/NAME (new inputs go to a temporary directory, not the
# repository). One summary line per target; a crash, leak, UB report,
# timeout or out-of-memory stops that target, prints the report and the
# saved input (build-fuzz/artifacts/), and makes the script fail.
set -u

seconds=${1:-20}
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)
: "${FUZZ_DIR:=build-fuzz}"
: "${FUZZ_RSS_MB:=2048}"
mkdir -p "$FUZZ_DIR/logs" "$FUZZ_DIR/artifacts"

names="$*"
if [ -z "$names" ]; then
  for b in "$FUZZ_DIR"/fuzz_*; do
    [ -x "$b" ] && names="$names ${b##*/fuzz_}"
  done
fi
[ -n "$names" ] || { echo "fuzz: no targets in $FUZZ_DIR (make fuzz-build)" >&2; exit 1; }

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=0
for name in $names; do
  bin=$FUZZ_DIR/fuzz_$name
  log=$FUZZ_DIR/logs/$name.log
  work=$(mktemp -d "${TMPDIR:-/tmp}/husk-fuzz-$name.XXXXXX")
  dict=""
  [ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
  seeds=$here/corpus/$name
  [ -d "$seeds" ] || seeds=""
  start=$(date +%s)
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$seconds" -rss_limit_mb="$FUZZ_RSS_MB" -timeout=30 \
    -detect_leaks=1 -close_fd_mask=3 -print_final_stats=1 \
    -artifact_prefix="$FUZZ_DIR/artifacts/$name-" $dict \
    "$work" $seeds >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  done_line=$(grep -a 'DONE ' "$log" | tail -n 1)
  runs=$(grep -a '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
  rate=$(grep -a '^stat::average_exec_per_sec:' "$log" | awk '{print $2}')
  cov=$(echo "$done_line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$done_line" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
  if [ "$rc" = 0 ] && [ -n "$done_line" ]; then
    printf 'fuzz %-10s ok    %s runs, %s exec/s, cov %s, ft %s, corpus %s, %ss\n' \
      "$name" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$took"
  else
    failed=$((failed + 1))
    printf 'fuzz %-10s FAIL  (exit %s after %ss; log %s)\n' "$name" "$rc" "$took" "$log"
    # the first report: its first lines and the saved input
    grep -a -m1 -A25 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error\|property broken\|ERROR: libFuzzer' "$log" \
      | grep -av '^ *#[0-9]* 0x[0-9a-f]* in fuzzer::\|__libc_start\|_start \|BuildId: [0-9a-f]*)$' \
      | head -25 | sed 's/^/  /'
    grep -a 'Test unit written to' "$log" | sort -u | sed 's/^/  /'
  fi
  rm -rf "$work"
done
[ "$failed" = 0 ]
