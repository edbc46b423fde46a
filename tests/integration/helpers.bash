# Helpers for husk's bats tests. Each test gets its own state root and a
# bundle (busybox rootfs, built once from Debian's busybox-static and shared
# by every test, plus a fresh config.json from `husk spec`).

bats_require_minimum_version 1.5.0

HUSK=${HUSK_BINARY:?HUSK_BINARY must point at the husk binary}
HUSK_TEST_CACHE=${HUSK_TEST_CACHE:-/var/tmp/husk-test-cache}

# The shared busybox rootfs (read-only use: tests that change files copy it).
husk_rootfs() {
  local root=$HUSK_TEST_CACHE/rootfs a
  if [ ! -x "$root/bin/busybox" ]; then
    [ -x /bin/busybox ] || skip "busybox-static is not installed"
    (
      flock 9
      if [ ! -x "$root/bin/busybox" ]; then
        rm -rf "$root.tmp"
        mkdir -p "$root.tmp"/{bin,sbin,dev,proc,sys,etc,tmp,root,home,var,run,usr/bin,usr/sbin}
        chmod 1777 "$root.tmp/tmp"
        cp /bin/busybox "$root.tmp/bin/busybox"
        for a in $("$root.tmp/bin/busybox" --list); do
          [ "$a" = busybox ] || ln -sf busybox "$root.tmp/bin/$a"
        done
        printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root.tmp/etc/passwd"
        printf 'root:x:0:\nnogroup:x:65534:\n' >"$root.tmp/etc/group"
        mv "$root.tmp" "$root"
      fi
    ) 9>"$HUSK_TEST_CACHE.lock"
  fi
  echo "$root"
}

setup_husk() {
  mkdir -p "$HUSK_TEST_CACHE"
  TEST_DIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/husk-test.XXXXXX")
  ROOT=$TEST_DIR/state
  BUNDLE=$TEST_DIR/bundle
  mkdir -p "$BUNDLE"
  ln -s "$(husk_rootfs)" "$BUNDLE/rootfs"
  "$HUSK" spec --bundle "$BUNDLE"
}

teardown_husk() {
  [ -n "${TEST_DIR:-}" ] && rm -rf "$TEST_DIR"
}

# husk with the test's own state root.
husk() {
  "$HUSK" --root "$ROOT" "$@"
}

# Edit the bundle's config.json with a jq filter,
# e.g. update_config '.process.args = ["true"]'.
update_config() {
  local tmp
  tmp=$(mktemp "$BUNDLE/.config.XXXXXX")
  jq "$@" "$BUNDLE/config.json" >"$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

# The state root holds no container directory.
assert_root_empty() {
  if [ -d "$ROOT" ]; then
    local left
    left=$(ls -A "$ROOT")
    [ -z "$left" ] || { echo "state root not empty: $left" >&2; return 1; }
  fi
}
