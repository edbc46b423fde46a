#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The container's root: pivot_root and --no-pivot, root.readonly, the
# propagation of "/", the mount table of the default bundle (against runc's),
# symlink attacks on mount destinations, and the host's mount table, which no
# container may change.

load helpers

setup() {
  setup_husk
  update_config '.process.terminal = false'
  HOST_MOUNTS_BEFORE=$(host_mounts)
}
teardown() {
  [ -n "${TEST_DIR:-}" ] && umount -R "$TEST_DIR/shared" 2>/dev/null || true
  teardown_husk
}

# The host's mounts that involve this test's directory or the shared
# rootfs (root, mount point, options): where a container's mount would show
# if it leaked. (Not the whole table: other test runs may share the machine.)
host_mounts() {
  awk '{print $4, $5, $6}' /proc/self/mountinfo | grep -F -e "$TEST_DIR" -e "$HUSK_TEST_CACHE" | sort || true
}

# Nothing was mounted or left mounted on the host.
assert_host_untouched() {
  local now
  now=$(host_mounts)
  if [ "$now" != "$HOST_MOUNTS_BEFORE" ]; then
    diff <(echo "$HOST_MOUNTS_BEFORE") <(echo "$now") >&2 || true
    return 1
  fi
  ! grep -F -- "$HUSK_TEST_CACHE" /proc/self/mountinfo
  ! grep -F -- "$TEST_DIR" /proc/self/mountinfo
}

# run_ctr CMD ARGS...: run the container with process.args = CMD ARGS...
run_ctr() {
  update_config --argjson a "$(jq -nc '$ARGS.positional' --args -- "$@")" '.process.args = $a'
  run husk run -b "$BUNDLE" "ctr-$BATS_TEST_NUMBER"
  echo "$output"
}

# A private copy of the busybox rootfs, for tests that change it.
own_rootfs() {
  rm -f "$BUNDLE/rootfs"
  cp -a "$(husk_rootfs)" "$BUNDLE/rootfs"
}

# The mountinfo line of mount point $1 in $output, from the mount options on.
mi_line() {
  awk -v mp="$1" '$5 == mp { s = ""; for (i = 6; i <= NF; i++) s = s " " $i; print substr(s, 2) }' <<<"$output" | tail -1
}

@test "the default bundle runs in its own root, the host's root gone" {
  run_ctr sh -c 'cat /proc/self/mountinfo; echo ---; ls /'
  [ "$status" -eq 0 ]
  local mi=${output%%---*} p
  # the mounts of the default config (and masked and read-only paths), and
  # nothing of the host
  for p in / /dev /dev/mqueue /dev/pts /dev/shm /proc /proc/bus /proc/fs /proc/irq /proc/sys \
    /sys /sys/fs/cgroup; do
    awk '{print $5}' <<<"$mi" | grep -qx -- "$p"
  done
  ! awk '{print $5}' <<<"$mi" | grep -Ev '^/$|^/(dev|proc|sys)(/|$)'
  [[ ${output#*---} == *bin*proc*sys* ]]
  assert_host_untouched
}

@test "root.readonly: the root is read-only, the mounts under it keep their flags" {
  update_config '.root.readonly = true'
  run_ctr sh -c 'cat /proc/self/mountinfo; touch /newfile; echo touch=$?; touch /dev/shm/x; echo shm=$?'
  [ "$status" -eq 0 ]
  [[ $(mi_line /) == "ro,"* ]]
  [[ $output == *"Read-only file system"* ]]
  [[ $output == *"touch=1"* ]]
  [[ $output == *"shm=0"* ]]
  [[ $(mi_line /dev/shm) == "rw,"* ]]
  [ ! -e "$(husk_rootfs)/newfile" ]
}

@test "root.readonly false: the root is writable" {
  own_rootfs
  update_config '.root.readonly = false'
  run_ctr sh -c 'echo hello >/newfile && cat /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [[ $(mi_line /) == "rw,"* ]]
  [ "$(cat "$BUNDLE/rootfs/newfile")" = hello ]
}

@test "root.path relative to the bundle and absolute" {
  own_rootfs
  mv "$BUNDLE/rootfs" "$BUNDLE/myroot"
  echo relative >"$BUNDLE/myroot/marker"
  update_config '.root.path = "myroot"'
  run_ctr cat /marker
  [ "$status" -eq 0 ]
  [ "$output" = relative ]
  echo absolute >"$BUNDLE/myroot/marker"
  update_config --arg p "$BUNDLE/myroot" '.root.path = $p'
  run_ctr cat /marker
  [ "$status" -eq 0 ]
  [ "$output" = absolute ]
}

@test "a missing root.path is an error naming it, nothing left behind" {
  update_config '.root.path = "nosuchdir"'
  run -1 --separate-stderr husk run -b "$BUNDLE" ctr
  echo "$stderr"
  [[ $stderr == *nosuchdir* ]]
  [ "${#stderr_lines[@]}" -eq 1 ]
  assert_root_empty
  assert_host_untouched
}

@test "--no-pivot: MS_MOVE and chroot give the same view" {
  update_config '.process.args = ["sh", "-c", "ls /; grep \" / \" /proc/self/mountinfo; cat /proc/1/cmdline"]'
  run husk run --no-pivot -b "$BUNDLE" ctr-nopivot
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *bin*dev*proc*sys* ]]
  [[ $output == *sh* ]]
  assert_host_untouched
}

@test "mounts made inside the container do not reach a shared host mount" {
  own_rootfs
  mkdir -p "$TEST_DIR/shared/sub"
  mount --bind "$TEST_DIR/shared" "$TEST_DIR/shared"
  mount --make-shared "$TEST_DIR/shared"
  update_config --arg s "$TEST_DIR/shared" '.mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind"]}]
    | .process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
  run_ctr sh -c 'mount -t tmpfs tmpfs /shared/sub && grep -c " /shared/sub " /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [ "$output" = 1 ]
  ! grep -F " $TEST_DIR/shared/sub " /proc/self/mountinfo
}

@test "linux.rootfsPropagation: default, private, slave, shared, unbindable" {
  local prop
  run_ctr cat /proc/self/mountinfo
  [ "$status" -eq 0 ]
  ! [[ $(mi_line /) == *shared:* ]]
  for prop in private rprivate slave rslave; do
    update_config --arg p "$prop" '.linux.rootfsPropagation = $p'
    run_ctr cat /proc/self/mountinfo
    [ "$status" -eq 0 ]
    ! [[ $(mi_line /) == *shared:* ]]
  done
  update_config '.linux.rootfsPropagation = "shared"'
  run_ctr cat /proc/self/mountinfo
  [ "$status" -eq 0 ]
  [[ $(mi_line /) == *" shared:"*" - "* ]]
  update_config '.linux.rootfsPropagation = "unbindable"'
  run_ctr cat /proc/self/mountinfo
  [ "$status" -eq 0 ]
  [[ $(mi_line /) == *" unbindable - "* ]]
  assert_host_untouched
}

@test "attack: a destination symlink to / of the host mounts inside the rootfs" {
  own_rootfs
  ln -s / "$BUNDLE/rootfs/evil"
  ln -s ../../../../../../../../.. "$BUNDLE/rootfs/evil2"
  ln -s /etc/../../../../tmp "$BUNDLE/rootfs/evil3"
  local marker=husk-escape-$$-$BATS_TEST_NUMBER
  update_config --arg m "$marker" '.mounts += [
    {"destination": ("/evil/" + $m + "-a"), "type": "tmpfs", "source": "tmpfs"},
    {"destination": ("/evil2/" + $m + "-b"), "type": "tmpfs", "source": "tmpfs"},
    {"destination": "/evil3", "type": "tmpfs", "source": "tmpfs"},
    {"destination": ("/../../../" + $m + "-c"), "type": "tmpfs", "source": "tmpfs"}]'
  run_ctr sh -c "awk '{print \$5, \$9}' /proc/self/mountinfo"
  [ "$status" -eq 0 ]
  [[ $output == *"/$marker-a tmpfs"* ]]
  [[ $output == *"/$marker-b tmpfs"* ]]
  [[ $output == *"/tmp tmpfs"* ]]
  [[ $output == *"/$marker-c tmpfs"* ]]
  # created inside the rootfs, not on the host
  [ ! -e "/$marker-a" ] && [ ! -e "/$marker-b" ] && [ ! -e "/$marker-c" ]
  [ -d "$BUNDLE/rootfs/$marker-a" ] && [ -d "$BUNDLE/rootfs/$marker-b" ]
  assert_host_untouched
}

@test "attack: a bind mount onto a symlink to the host's /etc lands in the container's /etc" {
  own_rootfs
  ln -s /etc/passwd "$BUNDLE/rootfs/pw"
  echo "owned" >"$TEST_DIR/src"
  local before
  before=$(md5sum /etc/passwd)
  update_config --arg s "$TEST_DIR/src" '.mounts += [{"destination": "/pw", "type": "bind", "source": $s, "options": ["bind"]}]'
  run_ctr cat /etc/passwd
  [ "$status" -eq 0 ]
  [ "$output" = owned ]
  [ "$(md5sum /etc/passwd)" = "$before" ]
  assert_host_untouched
}

@test "a destination that is a dangling symlink: its target is made inside the rootfs and mounted (runc)" {
  own_rootfs
  ln -s /target-that-does-not-exist "$BUNDLE/rootfs/link"
  ln -s ../made/by/link2 "$BUNDLE/rootfs/tmp/link2"
  ln -s /nested-missing "$BUNDLE/rootfs/link3"
  ln -s dir/missing-file "$BUNDLE/rootfs/link4"
  echo hello >"$TEST_DIR/src-file"
  update_config --arg s "$TEST_DIR/src-file" '.mounts += [
    {"destination": "/link", "type": "tmpfs", "source": "tmpfs"},
    {"destination": "/tmp/link2", "type": "tmpfs", "source": "tmpfs"},
    {"destination": "/link3/below", "type": "tmpfs", "source": "tmpfs"},
    {"destination": "/link4", "type": "bind", "source": $s, "options": ["bind"]}]'
  run_ctr sh -c "awk '{print \$5, \$9}' /proc/self/mountinfo; cat /dir/missing-file"
  [ "$status" -eq 0 ]
  [[ $output == *"/target-that-does-not-exist tmpfs"* ]]
  [[ $output == *"/made/by/link2 tmpfs"* ]]
  [[ $output == *"/nested-missing/below tmpfs"* ]]
  [[ $output == *"hello"* ]]
  # made in the rootfs; the symlinks stay symlinks
  [ -d "$BUNDLE/rootfs/target-that-does-not-exist" ]
  [ -L "$BUNDLE/rootfs/link" ]
  [ -d "$BUNDLE/rootfs/made/by/link2" ]
  [ -f "$BUNDLE/rootfs/dir/missing-file" ]
  [ ! -e /target-that-does-not-exist ]
  [ ! -e /nested-missing ]
  assert_host_untouched
}

@test "attack: a dangling symlink destination pointing out of the rootfs creates nothing on the host" {
  own_rootfs
  local marker=husk-escape-$$-$BATS_TEST_NUMBER
  ln -s "/../../../../tmp/$marker-a" "$BUNDLE/rootfs/out1"
  ln -s "../../../../../../../../tmp/$marker-b" "$BUNDLE/rootfs/out2"
  ln -s "$TEST_DIR/$marker-c" "$BUNDLE/rootfs/out3"
  ln -s "/out1/../../../$marker-d/x" "$BUNDLE/rootfs/out4"
  echo data >"$TEST_DIR/src-file"
  update_config --arg s "$TEST_DIR/src-file" '.mounts += [
    {"destination": "/out1", "type": "tmpfs", "source": "tmpfs"},
    {"destination": "/out2", "type": "tmpfs", "source": "tmpfs"},
    {"destination": "/out3", "type": "bind", "source": $s, "options": ["bind"]},
    {"destination": "/out4", "type": "tmpfs", "source": "tmpfs"}]'
  run_ctr sh -c "awk '{print \$5, \$9}' /proc/self/mountinfo"
  [ "$status" -eq 0 ]
  [[ $output == *"/tmp/$marker-a tmpfs"* ]]
  [[ $output == *"/tmp/$marker-b tmpfs"* ]]
  [[ $output == *"$TEST_DIR/$marker-c "* ]]
  [[ $output == *"/$marker-d/x tmpfs"* ]]
  [ ! -e "/tmp/$marker-a" ]
  [ ! -e "/tmp/$marker-b" ]
  [ ! -e "$TEST_DIR/$marker-c" ]
  [ ! -e "/$marker-d" ]
  [ -d "$BUNDLE/rootfs/tmp/$marker-a" ]
  [ -f "$BUNDLE/rootfs$TEST_DIR/$marker-c" ]
  [ -d "$BUNDLE/rootfs/$marker-d/x" ]
  assert_host_untouched
}

@test "attack: a dangling symlink to /proc/... only takes procfs rules" {
  own_rootfs
  ln -s /proc/husk-not-there "$BUNDLE/rootfs/pl"
  update_config '.mounts += [{"destination": "/pl", "type": "tmpfs", "source": "tmpfs"}]'
  run -1 --separate-stderr husk run -b "$BUNDLE" ctr
  echo "$stderr"
  [[ "$stderr" == *'"/proc/husk-not-there" is inside /proc, where only procfs may be mounted'* ]]
  assert_root_empty
  assert_host_untouched
}

@test "attack: /proc reached through a symlink only takes procfs" {
  own_rootfs
  ln -s /proc "$BUNDLE/rootfs/p"
  update_config '.mounts += [{"destination": "/p", "type": "tmpfs", "source": "tmpfs"}]'
  run -1 --separate-stderr husk run -b "$BUNDLE" ctr
  echo "$stderr"
  [ "$stderr" = 'husk: mount on "/p": it resolves to "/proc", where only proc or a bind mount of proc may be mounted' ]
  assert_root_empty
  assert_host_untouched
}

# mount point, options, propagation kinds, fstype, source, super options
# of a mountinfo; the cgroup hierarchies' roots differ (runc puts the
# container in a cgroup of its own), and husk's cgroup tmpfs is read-only on
# purpose (runc 1.1 leaves it writable)
norm_mountinfo() {
  awk '{ s = $5 " " $6; if ($5 == "/sys/fs/cgroup") s = $5
         for (i = 7; $i != "-"; i++); o = ""; for (j = 7; j < i; j++) o = o " " $j
         gsub(/[0-9]+/, "N", o); print s, o, $(i+1), $(i+2), $(i+3) }' | sort
}

# same_as_runc [FLAGS]: the container (process.args = cat /proc/self/mountinfo)
# sees the same mount table under `husk run FLAGS` as under `runc run FLAGS`.
same_as_runc() {
  command -v runc >/dev/null || skip "runc is not installed"
  update_config '.process.args = ["cat", "/proc/self/mountinfo"]'
  run -0 husk run "$@" -b "$BUNDLE" ctr
  local ours=$output
  run -0 runc --root "$TEST_DIR/runc" run "$@" -b "$BUNDLE" "husk-cmp-$$"
  local theirs=$output
  diff <(norm_mountinfo <<<"$theirs") <(norm_mountinfo <<<"$ours")
  assert_host_untouched
}

@test "the default bundle has runc's mount table" {
  update_config --arg r "$(husk_rootfs)" '.root.path = $r'
  same_as_runc
}

@test "binds, tmpfs, propagation options and read-only ones: runc's mount table" {
  own_rootfs
  mkdir -p "$TEST_DIR/d" "$TEST_DIR/sub" "$BUNDLE/rootfs/existing"
  echo hi >"$TEST_DIR/f"
  update_config --arg r "$BUNDLE/rootfs" --arg t "$TEST_DIR" '.root.path = $r | .root.readonly = false
    | .mounts += [
      {"destination": "/mnt/d", "type": "bind", "source": ($t + "/d"), "options": ["rbind", "ro", "rprivate"]},
      {"destination": "/etc/f", "type": "bind", "source": ($t + "/f"), "options": ["rbind", "rprivate"]},
      {"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=755"]},
      {"destination": "/mnt/s", "type": "none", "source": ($t + "/sub"), "options": ["bind", "nosuid", "noexec", "nodev", "rslave"]},
      {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "noexec", "ro", "size=1m"]},
      {"destination": "/existing", "type": "tmpfs", "source": "tmpfs", "options": ["mode=700", "ro", "noatime"]}]
    | .linux.maskedPaths += ["/etc/passwd"] | .linux.readonlyPaths += ["/var"]'
  same_as_runc
}

@test "--no-pivot: runc's mount table" {
  update_config --arg r "$(husk_rootfs)" '.root.path = $r'
  same_as_runc --no-pivot
}

@test "a user namespace: runc's mount table" {
  own_rootfs
  chown -R 100000:100000 "$BUNDLE/rootfs"
  chmod 755 "$TEST_DIR" "$BUNDLE"
  update_config --arg r "$BUNDLE/rootfs" '.root.path = $r
    | .linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
  same_as_runc
}

@test "a cgroup namespace and recursive read-only binds: runc's mount table" {
  own_rootfs
  mkdir -p "$TEST_DIR/tree/sub"
  update_config --arg r "$BUNDLE/rootfs" --arg t "$TEST_DIR/tree" '.root.path = $r
    | .linux.namespaces += [{"type": "cgroup"}]
    | .mounts += [{"destination": "/mnt", "type": "bind", "source": $t, "options": ["rbind", "rro", "rnosuid"]}]'
  same_as_runc
}

@test "create, start, delete: the host's mount table never changes" {
  update_config '.process.args = ["sleep", "100"]'
  husk create -b "$BUNDLE" ctr </dev/null >"$TEST_DIR/ctr.out" 2>&1
  husk state ctr
  assert_host_untouched
  local pid
  pid=$(husk state ctr | jq -r .pid)
  [ "$pid" -gt 0 ]
  # the mounts are there, in the container's own mount namespace
  grep -q " /dev/pts .* - devpts " "/proc/$pid/mountinfo"
  grep -q " /sys/fs/cgroup " "/proc/$pid/mountinfo"
  [ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]
  run -0 husk start ctr
  assert_host_untouched
  run -0 husk kill ctr KILL
  for _ in $(seq 50); do
    [ "$(husk state ctr | jq -r .status)" = stopped ] && break
    sleep 0.1
  done
  run -0 husk delete ctr
  assert_host_untouched
  assert_root_empty
}
