# SPDX-License-Identifier: Apache-2.0
# Helpers of the cgroup tests (cgroups, pause, update, events, ps).

CG=/sys/fs/cgroup

# A bundle whose process runs in the background (no terminal) and a unique id.
setup_cgroups() {
  setup_husk
  ID=husk-cg-$$-$RANDOM
  update_config '.process.terminal = false | .process.args = ["sleep", "300"]'
  cd "$BUNDLE"
}

teardown_cgroups() {
  husk delete --force "$ID" >/dev/null 2>&1 || true
  teardown_husk
}

# hierarchy names of this host: "cpu memory ... systemd unified" (the v1
# ones by mount directory, the v2 one as "unified" or "" when pure v2)
cgroup_hierarchies() {
  awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo | sed "s|^$CG/\?||" | sort -u
}

is_pure_v2() {
  [ "$(stat -f -c %T $CG)" = cgroup2fs ]
}

# The directory of the container's cgroup in a hierarchy (default path).
cgdir() {
  echo "$CG/$1/husk/$ID"
}

# Nothing of the container is left in any hierarchy.
assert_no_cgroup() {
  local h left=""
  for h in $(cgroup_hierarchies); do
    [ -e "$CG/$h/husk/$ID" ] && left="$left $CG/$h/husk/$ID"
  done
  [ -z "$left" ] || { echo "cgroups left:$left" >&2; return 1; }
}

init_pid() {
  husk state "$ID" | jq -r .pid
}

# husk run -d with the container's stdio away from bats' pipes.
start_detached() {
  husk run -d "$ID" </dev/null >"$TEST_DIR/ctr.out" 2>"$TEST_DIR/ctr.err" || {
    cat "$TEST_DIR/ctr.err" >&2
    return 1
  }
}
