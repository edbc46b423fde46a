#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The escape classes that broke other runtimes, each performed against husk.

load helpers

setup() {
  setup_husk
  update_config '.process.terminal = false | .process.args = ["sleep", "1000"]
                 | .process.capabilities.bounding += ["CAP_SYS_PTRACE"]
                 | .process.capabilities.effective += ["CAP_SYS_PTRACE"]
                 | .process.capabilities.permitted += ["CAP_SYS_PTRACE"]'
}

teardown() {
  husk delete --force c1 >/dev/null 2>&1 || true
  cgsec_teardown
  teardown_husk
}

# A rootfs in which husk itself can run: the busybox rootfs plus husk's
# shared libraries and dynamic loader (as a distribution image has them).
rootfs_with_husk_libs() {
  local lib
  rm "$BUNDLE/rootfs"
  cp -a "$(husk_rootfs)" "$BUNDLE/rootfs"
  for lib in $(ldd "$HUSK" | grep -o '/[^ ]*'); do
    mkdir -p "$BUNDLE/rootfs$(dirname "$lib")"
    cp -L "$lib" "$BUNDLE/rootfs$lib"
  done
}

# CVE-2019-5736 class: a process of husk that enters the container executes
# /proc/self/exe, i.e. husk itself. A container process (here even with
# CAP_SYS_PTRACE) holds it through /proc/PID/exe and writes to it once it
# can. It must never reach the binary on the host.
@test "a container cannot rewrite the husk binary through /proc/PID/exe" {
  local sum
  sum=$(sha256sum "$HUSK" | cut -d' ' -f1)
  rootfs_with_husk_libs
  husk run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
  husk exec c1 sh -c "rm -f /dev/shm/f; mkfifo /dev/shm/f"
  # husk's exec process executes /proc/self/exe (husk) inside the container,
  # which then blocks opening its --log fifo
  "$HUSK" --root "$ROOT" exec c1 /proc/self/exe --log /dev/shm/f list </dev/null >/dev/null 2>&1 3>&- &
  local victim=$!
  local pid=""
  for _ in $(seq 50); do
    pid=$(husk exec c1 sh -c 'for p in /proc/[0-9]*; do case $(readlink $p/exe) in *husk*) echo ${p#/proc/};; esac; done')
    [ -n "$pid" ] && break
    sleep 0.1
  done
  [ -n "$pid" ]
  # what the container sees is husk, but not the host's file
  run -0 husk exec c1 readlink /proc/$pid/exe
  [[ $output == *memfd:husk* ]]
  [[ $output != *"$HUSK"* ]]
  # writing to it fails while it runs, and after it exits through an fd
  # held open all along
  run husk exec c1 sh -c "echo pwned >/proc/$pid/exe"
  [ "$status" -ne 0 ]
  husk exec c1 sh -c "exec 3</proc/$pid/exe; cat /dev/shm/f >/dev/null; sleep 0.3; echo pwned >/proc/self/fd/3" \
    >"$TEST_DIR/attack.out" 2>&1 || true
  wait "$victim" || true
  grep -q -i "denied\|not permitted\|busy" "$TEST_DIR/attack.out"
  [ "$(sha256sum "$HUSK" | cut -d' ' -f1)" = "$sum" ]
}

@test "the init runs from a sealed copy of husk, not the host binary" {
  # the container's entrypoint is husk itself
  rootfs_with_husk_libs
  update_config '.process.args = ["/proc/self/exe", "--version"]'
  run -0 husk run --bundle "$BUNDLE" c1
  [[ ${lines[0]} == "husk version "* ]]
}

# CVE-2024-21626 class: a host directory fd leaked into the container, as
# an fd or as the working directory.
@test "no host fd reaches the container process; cwd is inside the container" {
  update_config '.process.args = ["sh", "-c", "ls /proc/self/fd; true; readlink /proc/self/cwd; ls -l /proc/self/fd/ | grep -c -- \"->\""]
                 | .process.cwd = "/tmp"'
  # husk itself is given extra open fds: none may pass
  run -0 husk run --bundle "$BUNDLE" c1 7</etc/passwd 8<"$BUNDLE"
  [ "${lines[0]}" = 0 ]
  [ "${lines[1]}" = 1 ]
  [ "${lines[2]}" = 2 ]
  [ "${lines[3]}" = 3 ]
  [ "${lines[4]}" = /tmp ]
}

@test "no host fd reaches an exec'd process" {
  husk run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
  run -0 husk exec c1 sh -c 'ls /proc/self/fd; true' 7</etc/passwd 8<"$BUNDLE"
  [ "$output" = "$(printf '0\n1\n2\n3')" ]
  # a cwd given as a path that climbs out still lands inside the container
  run -0 husk exec --cwd /../../../.. c1 pwd
  [ "$output" = / ]
}

# CVE-2022-29162 class: inheritable capabilities beyond the config; no
# ambient capability unless asked.
@test "inheritable and ambient sets are exactly the config's" {
  update_config '.process.args = ["sh", "-c", "grep -E \"^Cap(Inh|Amb)\" /proc/self/status"]
                 | .process.capabilities.inheritable = []
                 | del(.process.capabilities.ambient)'
  run -0 husk run --bundle "$BUNDLE" c1
  [[ ${lines[0]} == *0000000000000000 ]]
  [[ ${lines[1]} == *0000000000000000 ]]
}

# CVE-2025-52565 class: the pty multiplexer or /dev/console replaced, so
# that husk hands the container something else as its terminal, or binds
# the console over a file of the container's choosing.
@test "a /dev/pts/ptmx that is not the devpts multiplexer is refused" {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  echo "not a ptmx" >"$TEST_DIR/fake-ptmx"
  update_config '.process.terminal = true | .process.args = ["true"]
                 | .mounts += [{"destination": "/dev/pts/ptmx", "type": "bind",
                                "source": "'"$TEST_DIR/fake-ptmx"'", "options": ["bind"]}]'
  run -1 script -qec "$HUSK --root $ROOT run --bundle $BUNDLE c1" /dev/null
  [[ $output == *'"/dev/ptmx" is not a pty multiplexer'* ]]
  assert_root_empty
  [ "$(cat "$TEST_DIR/fake-ptmx")" = "not a ptmx" ]
}

@test "a /dev/console that is a symlink is refused, not followed" {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  rm "$BUNDLE/rootfs"
  cp -a "$(husk_rootfs)" "$BUNDLE/rootfs"
  echo "keep me" >"$BUNDLE/rootfs/etc/target"
  ln -s /etc/target "$BUNDLE/rootfs/dev/console"
  # no tmpfs on /dev: the rootfs's own /dev is the container's
  update_config '.process.terminal = true | .process.args = ["true"] | .root.readonly = false
                 | .mounts |= map(select(.destination != "/dev"))'
  run -1 script -qec "$HUSK --root $ROOT run --bundle $BUNDLE c1" /dev/null
  [[ $output == *'/dev/console in the container is not a file or a character device'* ]]
  assert_root_empty
  [ "$(cat "$BUNDLE/rootfs/etc/target")" = "keep me" ]
  ! grep -q " $BUNDLE/rootfs/etc/target " /proc/self/mountinfo
}

# CVE-2019-16884 / CVE-2025-52881 class: writes to /proc redirected by what
# the container mounts over its /proc. husk writes through the host's /proc
# (and mounts.bats shows that /proc only receives procfs).
@test "oomScoreAdj is written through the host's procfs and lands on the process" {
  update_config '.process.oomScoreAdj = 123
                 | .process.args = ["sh", "-c", "cat /proc/$$/oom_score_adj"]'
  run -0 husk run --bundle "$BUNDLE" c1
  [ "$output" = 123 ]
}

@test "a mount over /proc/self/attr is refused" {
  mkdir -p "$TEST_DIR/fakeattr"
  update_config '.process.args = ["true"]
                 | .mounts += [{"destination": "/proc/self/attr", "type": "bind",
                                "source": "'"$TEST_DIR/fakeattr"'", "options": ["bind"]}]'
  run -1 --separate-stderr husk run --bundle "$BUNDLE" c1
  [[ $stderr == *"/proc"* ]]
  assert_root_empty
}

# ---- issue 10: the working directory, sysctl, ids, NUL, nesting, hooks

# CVE-2024-21626 class: a cwd through /proc/self/fd/N of a host fd that is
# still open when the init changes directory. Every fd number a runtime
# might hold is tried; none may start the process, and nothing of the host
# may be listed or written.
@test "escape: process.cwd through /proc/self/fd/N (3..20) is refused, the host untouched" {
  local marker=/husk-cwd-escape-$$ n
  rm -f "$marker"
  for n in $(seq 3 20); do
    update_config --arg c "/proc/self/fd/$n" \
      '.process.cwd = $c | .process.args = ["sh", "-c", "ls ../../../ ; touch ../../../'"${marker#/}"'"]'
    run husk run --bundle "$BUNDLE" c1 </dev/null
    [ "$status" -eq 1 ] || { echo "fd $n: status $status: $output"; return 1; }
    [[ $output == *process.cwd* ]] || { echo "fd $n: $output"; return 1; }
    [[ $output != *bin* ]]
    [ ! -e "$marker" ]
    assert_root_empty
  done
}

@test "escape: cwd through /proc/self/cwd, /proc/1/root, /proc/thread-self/fd is refused" {
  local c
  for c in /proc/self/cwd /proc/self/root/.. /proc/1/cwd /proc/thread-self/fd/3 /proc/self/fd/../fd/3 /dev/fd/3; do
    update_config --arg c "$c" '.process.cwd = $c | .process.args = ["pwd"]'
    run husk run --bundle "$BUNDLE" c1 </dev/null
    # either refused, or (a link that resolves inside) a cwd within the container
    if [ "$status" -eq 0 ]; then
      [ "${output:0:1}" = / ] && [[ $output != *unreachable* ]] || { echo "$c: $output"; return 1; }
    else
      [[ $output == *process.cwd* ]] || { echo "$c: $output"; return 1; }
    fi
    husk delete -f c1 >/dev/null 2>&1 || true
  done
}

@test "escape: a cwd with .. and symlink components stays inside the container" {
  rm "$BUNDLE/rootfs"
  cp -a "$(husk_rootfs)" "$BUNDLE/rootfs"
  ln -s / "$BUNDLE/rootfs/up"
  ln -s ../../../../../../ "$BUNDLE/rootfs/rel"
  mkdir -p "$BUNDLE/rootfs/home/x"
  local c
  for c in /../../../../ /home/x/../../.. /up/up/.. /rel /home/../rel/../..; do
    update_config --arg c "$c" '.process.cwd = $c | .process.args = ["sh", "-c", "pwd; ls"]'
    run -0 husk run --bundle "$BUNDLE" c1 </dev/null
    # the container's root, never the host's: the rootfs's own links are there
    [ "${lines[0]}" = / ] || { echo "$c: $output"; return 1; }
    [ "$(printf '%s\n' "${lines[@]}" | grep -c -x -e up -e rel)" = 2 ] || { echo "$c: $output"; return 1; }
  done
  update_config '.process.cwd = "/rel/etc" | .process.args = ["pwd"]'
  run -0 husk run --bundle "$BUNDLE" c1 </dev/null
  [ "$output" = /etc ]
}

@test "escape: exec --cwd through /proc/self/fd/N is refused, with and without a leading .." {
  husk run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null
  local n
  for n in 3 4 5 6 7 8 9 10; do
    run husk exec --cwd "/proc/self/fd/$n" c1 sh -c 'ls ../../../'
    [ "$status" -ne 0 ] || { echo "fd $n: $output"; return 1; }
    [[ $output == *process.cwd* ]] || { echo "fd $n: $output"; return 1; }
    [[ $output != *bin* ]] || { echo "fd $n: $output"; return 1; }
  done
  # a process file says the same
  echo '{"args": ["pwd"], "cwd": "/proc/self/fd/5", "user": {"uid": 0, "gid": 0}}' >"$TEST_DIR/p.json"
  run husk exec --process "$TEST_DIR/p.json" c1
  [ "$status" -ne 0 ]
  [[ $output == *process.cwd* ]]
  # a legitimate cwd still works
  run -0 husk exec --cwd /etc/../tmp c1 pwd
  [ "$output" = /tmp ]
}

# CVE-2022-0811 class: a namespaced prefix followed by .. reaches a host-wide
# sysctl.
@test "escape: sysctl keys with .. or . components never reach a host sysctl" {
  local before k
  before=$(cat /proc/sys/kernel/printk_ratelimit_burst)
  for k in net/../kernel/printk_ratelimit_burst net/core/../../kernel/printk_ratelimit_burst \
           net.core/../../kernel.printk_ratelimit_burst net/./../kernel/printk_ratelimit_burst \
           net..kernel.printk_ratelimit_burst net/ipv4/../../kernel/core_pattern \
           fs/mqueue/../../kernel/printk_ratelimit_burst kernel/shmmax/../printk_ratelimit_burst \
           /net/ipv4/ip_forward net/ net. .net.ipv4.ip_forward kernel/printk_ratelimit_burst; do
    update_config --arg k "$k" '.linux.sysctl = {($k): "12"} | .process.args = ["true"]'
    run husk run --bundle "$BUNDLE" c1 </dev/null
    [ "$status" -eq 1 ] || { echo "$k: status $status: $output"; return 1; }
    [[ $output == *linux.sysctl* ]] || { echo "$k: $output"; return 1; }
    [ "$(cat /proc/sys/kernel/printk_ratelimit_burst)" = "$before" ]
    assert_root_empty
  done
  [ "$(cat /proc/sys/kernel/core_pattern)" != 12 ]
}

@test "escape: sysctl accepts the dotted and slashed forms alike, inside the container's namespaces" {
  local host
  host=$(cat /proc/sys/net/ipv4/ip_forward)
  update_config '.linux.sysctl = {"net/ipv4/ip_forward": "1", "net.ipv4.conf.lo.forwarding": "1", "kernel.shmmni": "1234"}
                 | .process.args = ["sh", "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/lo/forwarding /proc/sys/kernel/shmmni"]'
  run -0 husk run --bundle "$BUNDLE" c1 </dev/null
  [ "$output" = "$(printf '1\n1\n1234')" ]
  [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

# (uid_t) -1 is "no change" to setuid: an id of 4294967295 would leave the
# process root. Every id field, at 2^31 and 2^32-1.
@test "escape: ids of 2^31 and 2^32-1 are refused in every id field" {
  local v f
  for v in 2147483648 4294967295; do
    for f in '.process.user.uid = $v' '.process.user.gid = $v' '.process.user.additionalGids = [0, $v]' \
             '.linux.devices = [{"path": "/dev/x", "type": "c", "major": 1, "minor": 3, "uid": $v}]' \
             '.linux.devices = [{"path": "/dev/x", "type": "c", "major": 1, "minor": 3, "gid": $v}]'; do
      update_config --argjson v "$v" "$f"' | .process.args = ["id"]'
      run husk run --bundle "$BUNDLE" c1 </dev/null
      [ "$status" -eq 1 ] || { echo "$f=$v: status $status: $output"; return 1; }
      [[ $output == *"out of range"* ]] || { echo "$f=$v: $output"; return 1; }
      [[ $output != *"uid=0"* ]]
      assert_root_empty
    done
  done
  # a map may not name 4294967295 either (container or host side)
  update_config '.process.user = {"uid": 0, "gid": 0} | .linux.devices = [] | .linux.namespaces += [{"type": "user"}]'
  for f in '{"containerID": 0, "hostID": 4294967295, "size": 1}' '{"containerID": 4294967295, "hostID": 0, "size": 1}' \
           '{"containerID": 0, "hostID": 4294901760, "size": 65536}'; do
    update_config --argjson m "$f" '.linux.uidMappings = [$m]
                                    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
    run husk run --bundle "$BUNDLE" c1 </dev/null
    [ "$status" -eq 1 ] || { echo "$f: $output"; return 1; }
    [[ $output == *uidMappings* ]] || { echo "$f: $output"; return 1; }
  done
}

@test "escape: exec --user and --additional-gids refuse ids of 2^31 and 2^32-1" {
  husk run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null
  local v
  for v in 2147483648 4294967295 -1 " 5" "+5" ""; do
    run husk exec --user "$v" c1 id -u
    [ "$status" -ne 0 ] || { echo "--user '$v': $output"; return 1; }
    [[ $output == *--user* ]]
    run husk exec --user "0:$v" c1 id -u
    [ "$status" -ne 0 ] || { echo "--user 0:'$v': $output"; return 1; }
    run husk exec --additional-gids "$v" c1 id -u
    [ "$status" -ne 0 ] || { echo "--additional-gids '$v': $output"; return 1; }
  done
  run -0 husk exec --user 2147483647:2147483647 c1 sh -c 'id -u; id -g'
  [ "$output" = "$(printf '2147483647\n2147483647')" ]
}

@test "escape: NUL bytes in any string are refused, naming the JSON path" {
  local f
  for f in '.process.args = ["sh\u0000x", "-c", "id"]' '.process.env += ["A=b\u0000c"]' \
           '.process.cwd = "/tmp\u0000/../../x"' '.hostname = "a\u0000b"' \
           '.mounts += [{"destination": "/tmp\u0000/../../x", "type": "tmpfs", "source": "tmpfs"}]' \
           '.linux.sysctl = {"net.ipv4.ip_forward\u0000/../../kernel/x": "1"}' \
           '.annotations = {"a\u0000b": "c"}'; do
    update_config "$f"
    run husk run --bundle "$BUNDLE" c1 </dev/null
    [ "$status" -eq 1 ] || { echo "$f: $output"; return 1; }
    [[ $output == *"NUL character"* ]] || { echo "$f: $output"; return 1; }
    assert_root_empty
    rm -f "$BUNDLE/config.json"; husk spec --bundle "$BUNDLE"
    update_config '.process.terminal = false'
  done
  # a raw NUL byte in the file
  printf '{"ociVersion": "1.0.0",\0 "root": {"path": "rootfs"}}' >"$BUNDLE/config.json"
  run husk run --bundle "$BUNDLE" c1 </dev/null
  [ "$status" -eq 1 ]
  [[ $output == *"NUL character"* ]]
}

@test "escape: exec --process with a NUL byte in args is refused" {
  husk run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null
  echo '{"args": ["sh\u0000x", "-c", "echo ran"], "cwd": "/", "user": {"uid": 0, "gid": 0}}' >"$TEST_DIR/p.json"
  run husk exec --process "$TEST_DIR/p.json" c1
  [ "$status" -ne 0 ]
  [[ $output == *"process.args[0]"*"NUL character"* ]]
  [[ $output != *ran* ]]
}

@test "escape: deep nesting is refused with a clear error, never a crash" {
  local depth
  for depth in 10001 500000 1000000; do
    python3 -c "
import json,sys
c=json.load(open('$BUNDLE/config.json'))
s=json.dumps(c)
d=$depth
open('$BUNDLE/config.json','w').write(s[:-1]+', \"x\": '+'['*d+']'*d+'}')"
    run husk run --bundle "$BUNDLE" c1 </dev/null
    [ "$status" -eq 1 ] || { echo "depth $depth: status $status"; return 1; }
    [[ $output == *"exceeded max depth"* ]]
    assert_root_empty
    rm -f "$BUNDLE/config.json"
    husk spec --bundle "$BUNDLE"
    update_config '.process.terminal = false'
  done
  # 9999 levels of an unknown key are still a valid config
  python3 -c "
import json
c=json.load(open('$BUNDLE/config.json'))
c['process']['args']=['true']
s=json.dumps(c)
open('$BUNDLE/config.json','w').write(s[:-1]+', \"x\": '+'['*9998+']'*9998+'}')"
  run -0 husk run --bundle "$BUNDLE" c1 </dev/null
}

@test "escape: a repeated key is refused wherever it is (timeOffsets boottime x12 does not crash)" {
  python3 - "$BUNDLE/config.json" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('"linux": {', '"linux": {"timeOffsets": {' + ','.join(['"boottime": {"secs": 1}'] * 12) + '},', 1)
open(p, 'w').write(s)
PY
  run husk run --bundle "$BUNDLE" c1 </dev/null
  [ "$status" -eq 1 ]
  [[ $output == *'linux.timeOffsets: duplicate key "boottime"'* ]]
  rm -f "$BUNDLE/config.json"
  husk spec --bundle "$BUNDLE"
  sed -i 's/"ociVersion"/"hostname": "a", "hostname": "b", "ociVersion"/' "$BUNDLE/config.json"
  run husk run --bundle "$BUNDLE" c1 </dev/null
  [ "$status" -eq 1 ]
  [[ $output == *'duplicate key "hostname"'* ]]
  assert_root_empty
}

# A hook gets the state on stdin, stdout and stderr: nothing else of husk's
# or of husk's caller's.
@test "escape: hooks get only stdin, stdout and stderr (every kind)" {
  local kind out
  for kind in createRuntime createContainer startContainer prestart poststart poststop; do
    out=$TEST_DIR/fds.$kind
    # a hook's stdout is husk's (or, in the container, the init's): what it
    # lists lands in $out
    update_config --arg k "$kind" \
      '.hooks = {($k): [{"path": "/bin/sh", "args": ["sh", "-c", "echo fds: $(ls /proc/self/fd)"]}]} | .process.args = ["true"]'
    husk create --bundle "$BUNDLE" c1 </dev/null 10</dev/null 251</dev/null >>"$out" 2>&1
    husk start c1 10</dev/null 251</dev/null >>"$out" 2>&1
    sleep 0.2
    husk delete -f c1 10</dev/null 251</dev/null >>"$out" 2>&1
    run -0 grep '^fds:' "$out"
    # 0, 1, 2 and the fd ls opens for the directory: nothing else
    [ "$(echo "$output" | wc -w)" -le 5 ] || { echo "$kind: $output"; return 1; }
    [[ " $output " != *" 10 "* ]] && [[ " $output " != *" 251 "* ]] || { echo "$kind: $output"; return 1; }
  done
}

# The same class through the command's path: a host binary reached through an
# fd of the runtime (the host's /proc) must not run.
@test "escape: args[0] through /proc/self/fd/N never runs a host binary (run and exec)" {
  local n host_bin=/usr/bin/env
  [ -x "$host_bin" ] || skip "no $host_bin on the host"
  [ ! -e "$(husk_rootfs)$host_bin" ] || skip "the rootfs has $host_bin"
  for n in $(seq 3 12); do
    update_config --arg a "/proc/self/fd/$n/1/root$host_bin" '.process.args = [$a, "echo", "HOSTBIN"]'
    output=$(husk run --bundle "$BUNDLE" c1 </dev/null 2>&1 || true)
    [[ $output != *HOSTBIN* ]] || { echo "run fd $n: $output"; return 1; }
    husk delete -f c1 >/dev/null 2>&1 || true
  done
  update_config '.process.args = ["sleep", "1000"]'
  husk run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null
  for n in $(seq 3 12); do
    output=$(husk exec c1 "/proc/self/fd/$n/1/root$host_bin" echo HOSTBIN 2>&1 || true)
    [[ $output != *HOSTBIN* ]] || { echo "exec fd $n: $output"; return 1; }
  done
}

# ---- cgroup, device and state findings (issue 10)
# Each asserts what the host sees: the process's /proc/PID/cgroup, the
# device cgroup refusing an open, a decoy host process that survives, and
# nothing left (cgroup directories, state directory, processes) after
# delete -f.

CGSEC_CG=/sys/fs/cgroup

# Force-delete the test's cgsec containers and kill its decoys.
cgsec_teardown() {
  local d p
  for d in "${ROOT:-/nonexistent}"/cgsec*; do
    [ -d "$d" ] || continue
    husk delete --force "$(basename "$d")" >/dev/null 2>&1 || true
  done
  for p in ${CGSEC_PIDS:-}; do
    kill -9 "$p" 2>/dev/null || true
  done
}

# cgsec_run ID: husk run -d on the bundle (stdio away from bats' pipes).
cgsec_run() {
  husk run -d --bundle "$BUNDLE" "$1" </dev/null >"$TEST_DIR/$1.out" 2>"$TEST_DIR/$1.err" || {
    cat "$TEST_DIR/$1.err" >&2
    return 1
  }
}

# A decoy host process under the test's control: its pid in $DECOY.
cgsec_decoy() {
  sleep 7791 </dev/null >/dev/null 2>&1 &
  DECOY=$!
  CGSEC_PIDS="${CGSEC_PIDS:-} $DECOY"
}

# The v1 hierarchies and the v2 one of this host, as directories.
cgsec_hierarchies() {
  awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo | sort -u
}

# No cgroup directory of container ID is left in any hierarchy.
cgsec_no_cgroup() {
  local h left=""
  for h in $(cgsec_hierarchies); do
    [ -e "$h/husk/$1" ] && left="$left $h/husk/$1"
  done
  [ -z "$left" ] || { echo "cgroups left:$left" >&2; return 1; }
}

cgsec_has_v1() {
  grep -qE "^[0-9]+:([^:]*,)?$1(,[^:]*)?:" /proc/self/cgroup
}

@test "escape: exec --cgroup cannot leave the container's cgroup (.., absolute, a/../.., controller:..)" {
  cgsec_has_v1 memory || skip "no v1 memory hierarchy on this host"
  cgsec_run cgsec-x
  local a
  for a in .. ../.. a/../.. sub/.. . /husk / memory:.. memory:/ memory:../.. "memory:sub/../.."; do
    run --separate-stderr husk exec -d --pid-file "$TEST_DIR/x.pid" --cgroup "$a" cgsec-x sleep 7792 </dev/null
    if [ -e "$TEST_DIR/x.pid" ]; then
      # it ran: where the host sees it, for the record (and the teardown)
      CGSEC_PIDS="${CGSEC_PIDS:-} $(cat "$TEST_DIR/x.pid")"
      echo "[$a] accepted: $(grep memory "/proc/$(cat "$TEST_DIR/x.pid")/cgroup")" >&2
      false
    fi
    [ "$status" -eq 1 ]
    [[ $stderr == *"--cgroup"* ]] || { echo "[$a]: $stderr" >&2; false; }
  done
  no_process "sleep 7792"
  # a real sub-cgroup below the container's works, and the host sees it there
  mkdir "$CGSEC_CG/memory/husk/cgsec-x/sub"
  husk exec -d --pid-file "$TEST_DIR/x.pid" --cgroup memory:sub cgsec-x sleep 7792 </dev/null >/dev/null 2>&1
  local pid
  pid=$(cat "$TEST_DIR/x.pid")
  CGSEC_PIDS="${CGSEC_PIDS:-} $pid"
  grep -q ":memory:/husk/cgsec-x/sub$" "/proc/$pid/cgroup"
  # a sub-cgroup that does not exist (or a controller the container lacks)
  run -255 --separate-stderr husk exec --cgroup memory:nosuch cgsec-x true
  [[ $stderr == *'--cgroup "memory:nosuch"'* ]]
  run -255 --separate-stderr husk exec --cgroup nosuchctl:sub cgsec-x true
  [[ $stderr == *'--cgroup "nosuchctl:sub"'* ]]
}

@test "escape: linux.devices does not open the device cgroup (/dev/kmsg stays refused)" {
  cgsec_has_v1 devices || skip "no v1 devices hierarchy on this host (v2: the eBPF filter is unit-tested)"
  update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}]
                 | .linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11,
                                      "fileMode": 438, "uid": 0, "gid": 0}]'
  cgsec_run cgsec-d
  run -0 husk exec cgsec-d ls -l /dev/kmsg
  run -1 --separate-stderr husk exec cgsec-d sh -c 'echo husk-cgsec >/dev/kmsg'
  [[ $stderr == *"Operation not permitted"* ]]
  # the host's device cgroup of the container: runc's list, no 1:11, no allow-all
  local list=$CGSEC_CG/devices/husk/cgsec-d/devices.list
  run -0 cat "$list"
  [[ $output != *"c 1:11"* ]]
  [[ $output != *"a *:*"* ]]
  [[ $output == *"c 1:3 rwm"* ]]
  [[ $output == *"c 136:* rwm"* ]]
  # an update of the rules starts again from deny-all
  run -0 husk update -r - cgsec-d <<<'{"devices": [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]}'
  run -0 cat "$list"
  [[ $output == *"c 1:11 r"* ]]
  [[ $output != *"a *:*"* ]]
  run -1 husk exec cgsec-d sh -c 'echo husk-cgsec >/dev/kmsg'
  husk delete -f cgsec-d
  # no linux.resources.devices at all: as runc, all denied but the defaults
  update_config 'del(.linux.resources.devices)'
  cgsec_run cgsec-d
  run -1 --separate-stderr husk exec cgsec-d sh -c 'echo husk-cgsec >/dev/kmsg'
  [[ $stderr == *"Operation not permitted"* ]]
  run -0 husk exec cgsec-d sh -c 'echo x >/dev/null'
  [[ $(cat "$list") != *"a *:*"* ]]
}

@test "escape: memory.limit -5 is refused (config and update); 0 is unset" {
  cgsec_has_v1 memory || skip "no v1 memory hierarchy on this host"
  update_config '.linux.resources.memory = {"limit": -5}'
  run -1 --separate-stderr husk_files run -d --bundle "$BUNDLE" cgsec-m
  [[ $stderr == *"linux.resources.memory.limit -5"* ]]
  assert_root_empty
  cgsec_no_cgroup cgsec-m
  update_config '.linux.resources.memory = {"limit": -1, "swap": -7}'
  run -1 --separate-stderr husk_files run -d --bundle "$BUNDLE" cgsec-m
  [[ $stderr == *"linux.resources.memory.swap -7"* ]]
  assert_root_empty
  # 0 is unset, as runc: the container runs, without a limit of 0 bytes
  update_config '.linux.resources.memory = {"limit": 0, "reservation": 0}'
  cgsec_run cgsec-m
  local f=$CGSEC_CG/memory/husk/cgsec-m/memory.limit_in_bytes
  [ "$(cat "$f")" -gt 1073741824 ]
  run -0 husk update -r - cgsec-m <<<'{"memory": {"limit": 67108864}}'
  [ "$(cat "$f")" = 67108864 ]
  run -1 --separate-stderr husk update -r - cgsec-m <<<'{"memory": {"limit": -5}}'
  [[ $stderr == *"linux.resources.memory.limit -5"* ]]
  [ "$(cat "$f")" = 67108864 ]
  run -1 --separate-stderr husk update --memory-reservation -2 cgsec-m
  [[ $stderr == *"reservation"* ]]
  run -1 --separate-stderr husk update -r - cgsec-m <<<'{"memory": {"reservation": -2}}'
  [[ $stderr == *"linux.resources.memory.reservation -2"* ]]
  [ "$(husk state cgsec-m | jq -r .status)" = running ]
}

@test "escape: update with deeply nested JSON changes nothing and delete -f still cleans up" {
  cgsec_decoy
  update_config '.process.args = ["sleep", "7793"] | .linux.resources.memory = {"limit": 67108864}'
  cgsec_run cgsec-n
  local pid before deep
  pid=$(husk state cgsec-n | jq .pid)
  before=$(sha256sum "$ROOT/cgsec-n/state.json")
  deep=$(printf '{"memory": {"limit": 33554432}, "x": %s%s}' "$(printf '[%.0s' $(seq 124))" "$(printf ']%.0s' $(seq 124))")
  run -1 --separate-stderr husk update -r - cgsec-n <<<"$deep"
  [[ $stderr == *"x: unknown field"* ]]
  [ "$(sha256sum "$ROOT/cgsec-n/state.json")" = "$before" ]
  if cgsec_has_v1 memory; then
    [ "$(cat $CGSEC_CG/memory/husk/cgsec-n/memory.limit_in_bytes)" = 67108864 ]
  fi
  # nested under a known field, and ill-typed values: refused, naming the field
  run -1 --separate-stderr husk update -r - cgsec-n <<<'{"unified": {"memory.high": [[[[["1"]]]]]}}'
  [[ $stderr == *'unified["memory.high"]: must be a string'* ]]
  run -1 --separate-stderr husk update -r - cgsec-n <<<'{"memory": {"limit": 1, "foo": {"bar": {}}}}'
  [[ $stderr == *"memory.foo: unknown field"* ]]
  [ "$(sha256sum "$ROOT/cgsec-n/state.json")" = "$before" ]
  run -0 husk delete -f cgsec-n
  wait_for 5 pid_gone "$pid"
  [ ! -e "$ROOT/cgsec-n" ]
  cgsec_no_cgroup cgsec-n
  no_process "sleep 7793"
  kill -0 "$DECOY"
}

@test "escape: a forged state.json pid without pidStartTime is never signalled" {
  cgsec_decoy
  update_config '.process.args = ["sleep", "7794"]'
  cgsec_run cgsec-p
  local f=$ROOT/cgsec-p/state.json
  jq --argjson p "$DECOY" '.pid = $p | del(.pidStartTime)' "$f" >"$f.new"
  mv "$f.new" "$f"
  run -1 husk kill cgsec-p KILL
  run -1 husk kill --all cgsec-p KILL
  run -255 husk exec cgsec-p true
  run -0 husk state cgsec-p
  [ "$(jq -r .status <<<"$output")" = stopped ]
  [ "$(jq -r .pid <<<"$output")" = 0 ]
  run husk pause cgsec-p
  run husk ps cgsec-p
  sleep 0.2
  kill -0 "$DECOY"
  # the same with a start time of 0, and with the start time of another process
  jq --argjson p "$DECOY" '.pid = $p | .pidStartTime = 0 | .status = "running"' "$f" >"$f.new"
  mv "$f.new" "$f"
  run -1 husk kill cgsec-p KILL
  jq --argjson p "$DECOY" --argjson s "$(awk '{print $22}' /proc/self/stat)" \
    '.pid = $p | .pidStartTime = $s' "$f" >"$f.new"
  mv "$f.new" "$f"
  run -1 husk kill cgsec-p KILL
  kill -0 "$DECOY"
  # delete -f reaches the container's own processes through its cgroup only
  run -0 husk delete -f cgsec-p
  sleep 0.2
  kill -0 "$DECOY"
  [ ! -e "$ROOT/cgsec-p" ]
  cgsec_no_cgroup cgsec-p
  wait_for 5 no_process "sleep 7794"
}

@test "escape: delete -f cleans up a container whose state.json is truncated, garbage or has an unknown status" {
  cgsec_decoy
  update_config '.process.args = ["sleep", "7795"]'
  local mode pid f
  for mode in truncated garbage status empty; do
    cgsec_run cgsec-s
    f=$ROOT/cgsec-s/state.json
    pid=$(jq .pid "$f")
    case $mode in
      truncated) head -c 40 "$f" >"$f.new" ;;
      garbage) printf '\x01garbage{' >"$f.new" ;;
      status) jq '.status = "exploded"' "$f" >"$f.new" ;;
      empty) : >"$f.new" ;;
    esac
    mv "$f.new" "$f"
    run -0 --separate-stderr husk delete -f cgsec-s
    [[ $stderr == *"cannot read the state"* ]] || { echo "$mode: $stderr" >&2; false; }
    wait_for 5 pid_gone "$pid"
    [ ! -e "$ROOT/cgsec-s" ]
    cgsec_no_cgroup cgsec-s
  done
  no_process "sleep 7795"
  kill -0 "$DECOY"
}

@test "escape: delete -f never follows a hostile cgroup record out of the cgroup mount" {
  cgsec_decoy
  update_config '.process.args = ["sleep", "7796"]'
  cgsec_run cgsec-r
  local f=$ROOT/cgsec-r/state.json pid
  pid=$(jq .pid "$f")
  # a fake "cgroup" on the host listing the decoy, and paths that climb out
  mkdir -p "$TEST_DIR/fakecg/sub"
  echo "$DECOY" >"$TEST_DIR/fakecg/cgroup.procs"
  jq --arg d "$TEST_DIR/fakecg" '.cgroup = (.cgroup | fromjson
       | .places |= (to_entries | map(.value.path = (if .key == 0 then $d
                                                    else "/sys/fs/cgroup/../../" + $d end)
                                    | .value.created = .value.path) | map(.value))
       | tojson)' "$f" >"$f.new"
  mv "$f.new" "$f"
  run -1 --separate-stderr husk ps cgsec-r
  [[ $stderr == *"not below the cgroup mount"* ]]
  run -1 husk kill --all cgsec-r KILL
  run -0 --separate-stderr husk delete -f cgsec-r
  sleep 0.2
  kill -0 "$DECOY"
  [ -d "$TEST_DIR/fakecg/sub" ]
  wait_for 5 pid_gone "$pid"
  [ ! -e "$ROOT/cgsec-r" ]
  cgsec_no_cgroup cgsec-r
}
