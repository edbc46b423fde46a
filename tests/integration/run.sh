#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run the bats integration tests as TAP (for automake's tap driver).
# They need root and bats; otherwise the whole suite is skipped with the reason.
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP integration tests need root"
  exit 0
fi
if ! command -v bats >/dev/null 2>&1; then
  echo "1..0 # SKIP bats is not installed (Debian package bats)"
  exit 0
fi
: "${HUSK_BINARY:=$here/../../husk}"
export HUSK_BINARY
exec bats --tap "$here"
