#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install what is missing, build husk, make a busybox bundle and show husk
# working on it. Run as root on Debian 12. Idempotent.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages
build_husk
bundle=${HUSK_BUNDLE:-/tmp/husk-quickstart}
make_bundle "$bundle"
husk="$HUSK_TOP/husk"
root=$(mktemp -d /tmp/husk-root.XXXXXX)
trap 'rm -rf "$root"' EXIT

"$husk" --version
echo "bundle: $bundle (busybox rootfs, config.json from 'husk spec')"
# the default config runs an interactive shell on a terminal: run a command
tmp=$(mktemp "$bundle/.config.XXXXXX")
jq '.process.terminal = false
    | .process.args = ["sh", "-c", "echo hello from $(hostname), pid $$, as $(id -un) in a husk container"]' \
  "$bundle/config.json" >"$tmp" && mv "$tmp" "$bundle/config.json"
"$husk" --root "$root" run --bundle "$bundle" quickstart
