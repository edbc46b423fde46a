#!/usr/bin/env bats
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
