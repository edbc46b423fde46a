#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# husk spec: the default config.json, compared with runc's, and its errors.

load helpers

setup() {
  setup_husk
  FRESH=$TEST_DIR/fresh
  mkdir "$FRESH"
}
teardown() { teardown_husk; }

need_runc() {
  command -v runc >/dev/null || skip "runc is not installed"
}

# A config.json reduced to what husk and runc are expected to agree on.
# The documented differences: ociVersion (husk writes 1.3.0, runc its own
# spec version) and hostname ("husk" instead of "runc").
comparable() {
  jq -S 'del(.ociVersion, .hostname)' "$1"
}

@test "spec in a fresh directory writes a config.json that jq parses" {
  cd "$FRESH"
  run -0 --separate-stderr husk spec
  [ -z "$output" ]
  [ -z "$stderr" ]
  [ -f config.json ]
  jq -e . config.json >/dev/null
}

@test "spec writes the default process, root and namespaces" {
  cd "$FRESH"
  husk spec
  [ "$(jq -r .ociVersion config.json)" = "1.3.0" ]
  [ "$(jq -c .process.args config.json)" = '["sh"]' ]
  [ "$(jq -r .process.terminal config.json)" = "true" ]
  [ "$(jq -r .process.cwd config.json)" = "/" ]
  [ "$(jq -r .root.path config.json)" = "rootfs" ]
  [ "$(jq -r .root.readonly config.json)" = "true" ]
  [ "$(jq -r .hostname config.json)" = "husk" ]
  [ "$(jq -c '[.linux.namespaces[].type] | sort' config.json)" = '["ipc","mount","network","pid","uts"]' ]
  # a default container gets new namespaces, it joins none
  [ "$(jq -c '[.linux.namespaces[] | select(has("path"))]' config.json)" = "[]" ]
  [ "$(jq -c '.linux | has("uidMappings")' config.json)" = "false" ]
}

@test "spec has the namespaces, mounts, masked and readonly paths and capabilities of runc spec" {
  need_runc
  mkdir "$TEST_DIR/runc"
  (cd "$TEST_DIR/runc" && runc spec)
  (cd "$FRESH" && husk spec)
  local q
  for q in '[.linux.namespaces[].type] | sort' \
    '[.mounts[].destination]' \
    '.mounts' \
    '.linux.maskedPaths' \
    '.linux.readonlyPaths' \
    '.process.capabilities' \
    '.process.rlimits' \
    '.linux.resources'; do
    echo "comparing $q"
    diff <(jq -S "$q" "$TEST_DIR/runc/config.json") <(jq -S "$q" "$FRESH/config.json")
  done
}

@test "spec differs from runc spec only in ociVersion and hostname" {
  need_runc
  mkdir "$TEST_DIR/runc"
  (cd "$TEST_DIR/runc" && runc spec)
  (cd "$FRESH" && husk spec)
  diff <(comparable "$TEST_DIR/runc/config.json") <(comparable "$FRESH/config.json")
}

@test "spec --bundle DIR and -b DIR write DIR/config.json, not ./config.json" {
  mkdir "$TEST_DIR/long" "$TEST_DIR/short"
  cd "$FRESH"
  run -0 husk spec --bundle "$TEST_DIR/long"
  jq -e . "$TEST_DIR/long/config.json" >/dev/null
  run -0 husk spec -b "$TEST_DIR/short"
  jq -e . "$TEST_DIR/short/config.json" >/dev/null
  [ ! -e "$FRESH/config.json" ]
  cmp "$TEST_DIR/long/config.json" "$TEST_DIR/short/config.json"
}

@test "spec --rootless adds a user namespace with id mappings and drops the network namespace" {
  cd "$FRESH"
  husk spec --rootless
  [ "$(jq -c '[.linux.namespaces[].type] | sort' config.json)" = '["ipc","mount","pid","user","uts"]' ]
  [ "$(jq -c '.linux.uidMappings | length' config.json)" = "1" ]
  [ "$(jq -c '.linux.gidMappings | length' config.json)" = "1" ]
  [ "$(jq -r '.linux.uidMappings[0].containerID' config.json)" = "0" ]
  [ "$(jq -r '.linux.uidMappings[0].hostID' config.json)" = "$(id -u)" ]
  [ "$(jq -r '.linux.gidMappings[0].hostID' config.json)" = "$(id -g)" ]
}

@test "spec --rootless differs from runc spec --rootless only in ociVersion and hostname" {
  need_runc
  mkdir "$TEST_DIR/runc"
  (cd "$TEST_DIR/runc" && runc spec --rootless)
  (cd "$FRESH" && husk spec --rootless)
  diff <(comparable "$TEST_DIR/runc/config.json") <(comparable "$FRESH/config.json")
}

@test "spec refuses to overwrite an existing config.json" {
  echo '{"mine": true}' >"$FRESH/config.json"
  cp "$FRESH/config.json" "$TEST_DIR/before.json"
  run -1 --separate-stderr husk spec -b "$FRESH"
  [ -z "$output" ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [ "$stderr" = "husk: spec: \"$FRESH/config.json\" already exists: remove it first" ]
  cmp "$TEST_DIR/before.json" "$FRESH/config.json"
}

@test "spec does not write through a config.json symlink" {
  ln -s "$TEST_DIR/elsewhere.json" "$FRESH/config.json"
  run -1 husk spec -b "$FRESH"
  [ ! -e "$TEST_DIR/elsewhere.json" ]
}

@test "spec into a missing bundle directory fails naming it" {
  run -1 --separate-stderr husk spec -b "$TEST_DIR/missing"
  [ -z "$output" ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ $stderr == "husk: "*"$TEST_DIR/missing"*"No such file or directory" ]]
  [ ! -e "$TEST_DIR/missing" ]
}

@test "spec takes no positional argument" {
  cd "$FRESH"
  run -1 husk spec extra
  [ ! -e config.json ]
}

@test "the default config runs; create alone asks for a console socket as runc does" {
  cd "$FRESH"
  husk spec
  ln -s "$(husk_rootfs)" rootfs
  # process.terminal is true in the default config: detached, the pty
  # must go somewhere
  run -1 --separate-stderr husk create test-ctr
  [ -z "$output" ]
  [ "$stderr" = "husk: process.terminal is true: --console-socket is required to receive the pty" ]
  assert_root_empty
  # as it is, apart from the command
  jq '.process.args = ["sh", "-c", "echo ran; exit 3"]' config.json >c.json && mv c.json config.json
  run -3 script -qec "$HUSK --root $ROOT run test-ctr" /dev/null
  [[ $output == *ran* ]]
  assert_root_empty
}

@test "the default rootless config passes create's validation" {
  cd "$FRESH"
  husk spec --rootless
  ln -s "$(husk_rootfs)" rootfs
  run -1 --separate-stderr husk create -b "$FRESH" test-ctr
  [ "$stderr" = "husk: process.terminal is true: --console-socket is required to receive the pty" ]
  assert_root_empty
}
