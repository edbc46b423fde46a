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
for trs in $(find tests -name '*.trs' | sort); do
  while read -r _ res; do
    case $res in
      PASS|XFAIL) passed=$((passed + 1)) ;;
      SKIP) skipped=$((skipped + 1)) ;;
      *) failed=$((failed + 1)) ;;
    esac
  done < <(grep '^:test-result:' "$trs")
done
if [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
  # show what failed: the logs of the failing tests
  grep -l '^:test-result: \(FAIL\|ERROR\)' $(find tests -name '*.trs') 2>/dev/null \
    | sed 's/\.trs$/.log/' | xargs -r grep -h -B2 -A8 '^not ok\|^#' | head -200 >&2 || true
  tail -30 /tmp/husk-check.out >&2
  [ "$failed" != 0 ] || failed=1
fi
# skipped tests print their reason
grep -h '# skip\|# SKIP' $(find tests -name '*.log') 2>/dev/null | sed 's/^/  /' | sort -u | head -50 || true
# every fuzz target for a short run; a crash counts as one failure
if "$HUSK_TOP/contrib/fuzz.sh" 20; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
