#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Device nodes: the defaults of config-linux.md, linux.devices (types, modes,
# owners, paths outside /dev), the /dev symlinks, a /dev bound from the host,
# and bind-mounted nodes in a user namespace.

load helpers

setup() {
  setup_husk
  update_config '.process.terminal = false'
  cp "$BUNDLE/config.json" "$TEST_DIR/config.orig"
}
teardown() {
  teardown_husk
}

run_ctr() {
  update_config --argjson a "$(jq -nc '$ARGS.positional' --args -- "$@")" '.process.args = $a'
  run husk run -b "$BUNDLE" "ctr-$BATS_TEST_NUMBER"
  echo "$output"
}

own_rootfs() {
  rm -f "$BUNDLE/rootfs"
  cp -a "$(husk_rootfs)" "$BUNDLE/rootfs"
}

# add_device JSON
add_device() {
  update_config --argjson d "$1" '.linux.devices += [$d]'
}

STAT='%n|%F|%t|%T|%a|%u|%g'

@test "the default devices: null, zero, full, random, urandom, tty" {
  run_ctr stat -c "$STAT" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "/dev/null|character special file|1|3|666|0|0" ]
  [ "${lines[1]}" = "/dev/zero|character special file|1|5|666|0|0" ]
  [ "${lines[2]}" = "/dev/full|character special file|1|7|666|0|0" ]
  [ "${lines[3]}" = "/dev/random|character special file|1|8|666|0|0" ]
  [ "${lines[4]}" = "/dev/urandom|character special file|1|9|666|0|0" ]
  [ "${lines[5]}" = "/dev/tty|character special file|5|0|666|0|0" ]
}

@test "the devices work" {
  run_ctr sh -c 'echo x >/dev/null && head -c 4 /dev/zero | od -An -tx1 && head -c 8 /dev/urandom | wc -c && echo x >/dev/full; echo full=$?'
  [ "$status" -eq 0 ]
  [[ ${lines[0]} == *"00 00 00 00"* ]]
  [ "${lines[1]}" = 8 ]
  [[ $output == *"full=1"* ]]
}

@test "the /dev symlinks: fd, stdin, stdout, stderr, ptmx, core where the host has kcore" {
  run_ctr sh -c 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done; [ -e /dev/core ] && echo core=$(readlink /dev/core) || echo nocore; ls -l /dev/pts/ptmx'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "fd -> /proc/self/fd" ]
  [ "${lines[1]}" = "stdin -> /proc/self/fd/0" ]
  [ "${lines[2]}" = "stdout -> /proc/self/fd/1" ]
  [ "${lines[3]}" = "stderr -> /proc/self/fd/2" ]
  [ "${lines[4]}" = "ptmx -> pts/ptmx" ]
  if [ -e /proc/kcore ]; then
    [[ $output == *"core=/proc/kcore"* ]]
  else
    [[ $output == *nocore* ]]
  fi
}

@test "linux.devices: char, block, fifo, unbuffered, with mode, uid and gid" {
  add_device '{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 384, "uid": 1, "gid": 2}'
  add_device '{"path": "/dev/loop-test", "type": "b", "major": 7, "minor": 200, "fileMode": 432}'
  add_device '{"path": "/dev/myfifo", "type": "p", "fileMode": 420, "gid": 5}'
  add_device '{"path": "/dev/unbuf", "type": "u", "major": 1, "minor": 3}'
  add_device '{"path": "/dev/sub/dir/zero", "type": "c", "major": 1, "minor": 5}'
  run_ctr stat -c "$STAT" /dev/fuse /dev/loop-test /dev/myfifo /dev/unbuf /dev/sub/dir/zero
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "/dev/fuse|character special file|a|e5|600|1|2" ]
  [ "${lines[1]}" = "/dev/loop-test|block special file|7|c8|660|0|0" ]
  [ "${lines[2]}" = "/dev/myfifo|fifo|0|0|644|0|5" ]
  [ "${lines[3]}" = "/dev/unbuf|character special file|1|3|666|0|0" ]
  [ "${lines[4]}" = "/dev/sub/dir/zero|character special file|1|5|666|0|0" ]
}

@test "a fifo device with major and minor (optional for type p) is made, a fifo" {
  add_device '{"path": "/dev/fifo-mm", "type": "p", "major": 0, "minor": 0}'
  run_ctr stat -c "$STAT" /dev/fifo-mm
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "/dev/fifo-mm|fifo|0|0|666|0|0" ]
}

@test "linux.devices overrides a default device" {
  add_device '{"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "fileMode": 384, "uid": 3, "gid": 4}'
  run_ctr stat -c "$STAT" /dev/null
  [ "$status" -eq 0 ]
  [ "$output" = "/dev/null|character special file|1|3|600|3|4" ]
}

@test "a device outside /dev is made there; an existing path is left as it is" {
  own_rootfs
  update_config '.root.readonly = false'
  mkdir -p "$BUNDLE/rootfs/opt"
  echo keep >"$BUNDLE/rootfs/opt/taken"
  add_device '{"path": "/opt/devs/null2", "type": "c", "major": 1, "minor": 3}'
  add_device '{"path": "/opt/taken", "type": "c", "major": 1, "minor": 3}'
  run_ctr sh -c 'stat -c "%F %t %T" /opt/devs/null2; cat /opt/taken'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "character special file 1 3" ]
  [ "${lines[1]}" = keep ]
}

@test "a device over the rootfs is refused, naming it" {
  add_device '{"path": "/dev/../..", "type": "c", "major": 1, "minor": 3}'
  run -1 --separate-stderr husk run -b "$BUNDLE" ctr
  echo "$stderr"
  [ "$stderr" = 'husk: linux.devices[0]: device "/dev/../..": cannot mknod over the rootfs' ]
  assert_root_empty
}

@test "/dev bound from the host: husk leaves /dev alone" {
  update_config '.mounts |= map(if .destination == "/dev" then {"destination": "/dev", "type": "bind", "source": "/dev", "options": ["rbind", "nosuid"]} else . end)
    | .linux.maskedPaths = []'
  run_ctr sh -c 'stat -c "%F" /dev/ptmx; ls /dev/vda >/dev/null 2>&1 && echo host-dev'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "character special file" ]
  if [ -e /dev/vda ]; then [ "${lines[1]}" = host-dev ]; fi
}

@test "in a user namespace the devices are bind mounts of the host's" {
  own_rootfs
  chown -R 100000:100000 "$BUNDLE/rootfs"
  chmod 755 "$TEST_DIR" "$BUNDLE"
  update_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
  run_ctr sh -c 'stat -c "%n %t %T" /dev/null /dev/zero; grep -c " /dev/\(null\|zero\|full\|random\|urandom\|tty\) " /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "/dev/null 1 3" ]
  [ "${lines[1]}" = "/dev/zero 1 5" ]
  [ "${lines[2]}" = 6 ]
}

@test "the same /dev as runc" {
  command -v runc >/dev/null || skip "runc is not installed"
  update_config --arg r "$(husk_rootfs)" '.root.path = $r
    | .process.args = ["sh", "-c", "ls -ln /dev /dev/sub | sed \"s/ [A-Z][a-z][a-z] .*[0-9]:[0-9][0-9] / /\""]
    | .linux.resources.devices = [{"allow": true, "access": "rwm"}]
    | .linux.devices = [
      {"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 384, "uid": 1, "gid": 2},
      {"path": "/dev/sub/fifo", "type": "p", "fileMode": 420},
      {"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "fileMode": 432}]'
  run -0 husk run -b "$BUNDLE" ctr
  local ours=$output
  run -0 runc --root "$TEST_DIR/runc" run -b "$BUNDLE" "husk-cmp-$$"
  [ "$output" = "$ours" ]
  [[ $ours == *"10, 229 fuse"* ]]
}
