#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install what is missing, build husk, and run every test: the unit tests and,
# as root, the integration tests (bats) on a busybox bundle. Ends with the
# line "N passed, N failed, N skipped". Idempotent.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages
build_husk
cd "$HUSK_TOP"
find tests -name "*.trs" -delete
rc=0
make -s -j"$(nproc)" check >/tmp/husk-check.out 2>&1 || rc=$?

passed=0 failed=0 skipped=0
# count_results DIR: the automake results under DIR added to passed and
# skipped; the failures (FAIL, ERROR, XPASS) of DIR in $dir_failed
count_results() {
  local trs res
  dir_failed=0
  for trs in $(find "$1" -name '*.trs' | sort); do
    while read -r _ res; do
      case $res in
        PASS|XFAIL) passed=$((passed + 1)) ;;
        SKIP) skipped=$((skipped + 1)) ;;
        *) dir_failed=$((dir_failed + 1)) ;;
      esac
    done < <(grep '^:test-result:' "$trs")
  done
}
count_results tests
failed=$dir_failed
if [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
  # show what failed: the logs of the failing tests
  grep -l '^:test-result: \(FAIL\|ERROR\)' $(find tests -name '*.trs') 2>/dev/null \
    | sed 's/\.trs$/.log/' | xargs -r grep -h -B2 -A8 '^not ok\|^#' | head -200 >&2 || true
  tail -30 /tmp/husk-check.out >&2
  [ "$failed" != 0 ] || failed=1
fi

# 100 cycles of the soak (make soak runs 1000): one result
if HUSK="$HUSK_TOP/husk" "$HUSK_TOP/contrib/soak.sh" 100 >/tmp/husk-soak.out 2>&1; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  tail -30 /tmp/husk-soak.out >&2
fi

# The same unit and integration tests once more on a build with
# AddressSanitizer and UndefinedBehaviorSanitizer (configure
# --enable-sanitizers). Any report fails the run, even from a test that
# passed: reports go to files (the init's and exec child's to a file they
# pin before entering the container), and the exit status 86 marks them.
if [ "${HUSK_SKIP_SANITIZERS:-}" != 1 ]; then
  asan=$HUSK_TOP/_build/asan
  build_husk_sanitized "$asan"
  reports=$asan/reports
  rm -rf "$reports"
  mkdir -p "$reports"
  chmod 1777 "$reports" # the rootless tests' husk reports here too
  find "$asan/tests" -name "*.trs" -delete
  unit=$(cd "$asan" && ls tests/unit/test_*.c | sed 's/\.c$//' | grep -v sdstub | tr '\n' ' ')
  arc=0
  (
    cd "$asan"
    export ASAN_OPTIONS="log_path=$reports/asan:exitcode=86:detect_leaks=1:abort_on_error=0"
    export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
    export HUSK_SANITIZER_REPORTS=$reports HUSK_BINARY=$asan/husk BADIN_HUGE=5000
    make -s -j"$(nproc)" check TESTS="$unit tests/integration/run.sh"
  ) >/tmp/husk-check-asan.out 2>&1 || arc=$?
  count_results "$asan/tests"
  afailed=$dir_failed
  nreports=$(find "$reports" -type f -size +0 | wc -l)
  if [ "$arc" != 0 ] || [ "$afailed" != 0 ] || [ "$nreports" != 0 ]; then
    echo "sanitizer pass: $afailed failed, $nreports report file(s) in $reports" >&2
    grep -l '^:test-result: \(FAIL\|ERROR\)' $(find "$asan/tests" -name '*.trs') 2>/dev/null \
      | sed 's/\.trs$/.log/' | xargs -r grep -h -B2 -A8 '^not ok' | head -100 >&2 || true
    find "$reports" -type f -size +0 | head -5 | xargs -r head -40 >&2 || true
    tail -20 /tmp/husk-check-asan.out >&2
    [ "$afailed" != 0 ] || afailed=1
    failed=$((failed + afailed + nreports))
  fi
fi
# skipped tests print their reason
grep -h '# skip\|# SKIP' $(find tests -name '*.log') 2>/dev/null | sed 's/^/  /' | sort -u | head -50 || true
# every fuzz target for a short run; a crash counts as one failure
if "$HUSK_TOP/contrib/fuzz.sh" 20; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
