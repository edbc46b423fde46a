#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the libFuzzer targets of tests/fuzz (clang, ASan, UBSan) and run
# each for SECONDS (default 20), one at a time, on its seed corpus. One
# summary line per target; exits non-zero on any crash, leak or UB report
# (the report and the saved input are printed). Installs clang and
# libclang-rt-14-dev when they are missing. See docs/fuzzing.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

seconds=${1:-20}
HUSK_PACKAGES="$HUSK_PACKAGES clang libclang-rt-14-dev"
ensure_packages
build_husk
cd "$HUSK_TOP"
quiet make -s fuzz-build
make -s fuzz FUZZ_SECONDS="$seconds"
