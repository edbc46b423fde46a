#!/usr/bin/env bash
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
# Running containers lands with the lifecycle issue; until then create
# validates the bundle and says so.
if "$husk" --root "$root" create --bundle "$bundle" quickstart 2>"$root/err"; then
  die "create unexpectedly succeeded"
fi
sed 's/^/create: /' "$root/err"
"$husk" --root "$root" list
