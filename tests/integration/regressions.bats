#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Bugs found and fixed: each test failed before its fix.

load helpers

setup() {
  setup_husk
  update_config '.process.terminal = false | .process.args = ["sleep", "1000"]'
}

teardown() {
  husk delete --force c1 >/dev/null 2>&1 || true
  teardown_husk
}

@test "start fails when a startContainer hook fails, and the container stops" {
  update_config '.hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "exit 3"]}]'
  husk create --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
  run -1 --separate-stderr husk start c1
  [ "$stderr" = 'husk: start container "c1": startContainer hook 0 "/bin/sh": exited with status 3' ]
  for _ in $(seq 50); do [ "$(husk state c1 | jq -r .status)" = stopped ] && break; sleep 0.1; done
  [ "$(husk state c1 | jq -r .status)" = stopped ]
}

@test "exec with a missing cwd or a missing command fails with 255 (runc), naming it" {
  husk run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
  run -255 --separate-stderr husk exec --cwd /no/such/dir c1 pwd
  [[ $stderr == *'process.cwd "/no/such/dir": No such file or directory'* ]]
  run -255 --separate-stderr husk exec c1 /no/such/command
  [[ $stderr == *'exec: "/no/such/command": stat /no/such/command: no such file or directory'* ]]
}

@test "delete --force clears a container directory that has no state.json" {
  mkdir -p "$ROOT/ghost"
  run -1 --separate-stderr husk delete ghost
  [ "$stderr" = 'husk: container "ghost" does not exist' ]
  [ -d "$ROOT/ghost" ]
  run -0 husk delete --force ghost
  [ ! -e "$ROOT/ghost" ]
}

@test "exec --cgroup CONTROLLER:PATH matches the controller exactly" {
  # cpu must not match the cpuset hierarchy: a sub-cgroup that exists only
  # under cpu is found; a controller name that is only a prefix is not
  husk run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
  local init cg mnt
  init=$(husk state c1 | jq -r .pid)
  cg=$(awk -F: '$2 ~ /(^|,)cpu(,|$)/ {print $3}' /proc/$init/cgroup)
  [ -n "$cg" ] && [ "$cg" != / ] || skip "the container has no cpu cgroup of its own yet"
  mnt=$(findmnt -n -o TARGET -t cgroup -O cpu | head -1)
  mkdir "$mnt$cg/sub"
  run -0 husk exec --cgroup cpu:sub c1 sh -c 'grep -E "(:|,)cpu(,|:)" /proc/self/cgroup'
  [[ $output == *"$cg/sub" ]]
  rmdir "$mnt$cg/sub" 2>/dev/null || true
}
