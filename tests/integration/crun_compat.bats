#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# crun's command-line extras that tools and test suites written for crun
# use: the global --cgroup-manager and create/run --config FILE.

load helpers

setup() {
  setup_container
  ID=husk-crun-$$-$RANDOM
}
teardown() { teardown_containers; }

@test "--cgroup-manager cgroupfs is the default driver; systemd is --systemd-cgroup" {
  set_cmd 'cat /proc/self/cgroup'
  run -0 husk --cgroup-manager cgroupfs run -b "$BUNDLE" "$ID"
  [[ $output == *"/husk/$ID"* ]]
  # the systemd spelling reaches the systemd driver (its error without systemd)
  run husk --cgroup-manager systemd run -b "$BUNDLE" "$ID"
  if [ "$status" -ne 0 ]; then
    [[ $output == *systemd* || $output == *cgroupsPath* ]]
  fi
  assert_root_empty
}

@test "--cgroup-manager disabled: no cgroup is made; the process stays in the caller's" {
  set_cmd 'cat /proc/self/cgroup'
  local mine
  mine=$(grep -E '^[0-9]+:memory:' /proc/self/cgroup | cut -d: -f3)
  run -0 --separate-stderr husk --cgroup-manager disabled run -b "$BUNDLE" "$ID"
  [[ $output != *"/husk/$ID"* ]]
  [ "$(grep -E '^[0-9]+:memory:' <<<"$output" | cut -d: -f3)" = "$mine" ]
  [ ! -e "/sys/fs/cgroup/memory/husk/$ID" ]
  # limits are not applied, and husk says so
  update_config '.linux.resources.pids = {limit: 10}'
  run -0 --separate-stderr husk --cgroup-manager disabled run -b "$BUNDLE" "$ID"
  [[ $stderr == *"cgroups are disabled"* ]]
  assert_root_empty
}

@test "--cgroup-manager with an unknown manager is refused, naming the flag" {
  run -1 --separate-stderr husk --cgroup-manager nosuch list
  [[ $stderr == *"--cgroup-manager"*nosuch* ]]
}

@test "create --config FILE: the config comes from FILE, the rootfs from the bundle" {
  mv "$BUNDLE/config.json" "$TEST_DIR/elsewhere.json"
  jq '.process.args = ["echo", "from elsewhere"] | .process.terminal = false' \
    "$TEST_DIR/elsewhere.json" >"$TEST_DIR/c.json"
  run -0 husk run --config "$TEST_DIR/c.json" -b "$BUNDLE" "$ID"
  [ "$output" = "from elsewhere" ]
  [ ! -e "$BUNDLE/config.json" ]
  run -1 --separate-stderr husk create --config "$TEST_DIR/nosuch.json" -b "$BUNDLE" "$ID"
  [[ $stderr == *"--config"*nosuch.json* ]]
  echo '{"ociVersion": "1.0.0", "root": {"path": "rootfs"}, "process": {"args": ["true"], "cwd": 7}}' >"$TEST_DIR/bad.json"
  run -1 --separate-stderr husk create --config "$TEST_DIR/bad.json" -b "$BUNDLE" "$ID"
  [[ $stderr == *"process.cwd"* ]]
  assert_root_empty
}
