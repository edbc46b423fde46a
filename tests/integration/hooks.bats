#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# OCI hooks: the six kinds with path, args, env and timeout, the state JSON
# on stdin, run at their point of the lifecycle and in their namespace;
# failures and timeouts.

load helpers

setup() {
  setup_container
  own_rootfs
  HOOKS=$TEST_DIR/hooks
  mkdir -p "$HOOKS"
  # a host hook: records its state (stdin), args, environment and mount
  # namespace under $HOOKS/KIND.*, and appends KIND to $HOOKS/order
  cat >"$TEST_DIR/hook.sh" <<'EOF'
#!/bin/sh
kind=$1 out=$2
cat >"$out/$kind.state"
printf '%s\n' "$0" "$@" >"$out/$kind.args"
# cat's own environment: what the shell was given, plus the PWD that dash
# exports (the shell's own /proc/$$ is not the host's pid in createContainer)
cat /proc/self/environ | tr '\0' '\n' | grep -v '^PWD=' >"$out/$kind.env"
readlink /proc/self/ns/mnt >"$out/$kind.mnt"
echo "$kind" >>"$out/order"
exit "${3:-0}"
EOF
  chmod 755 "$TEST_DIR/hook.sh"
}

teardown() { teardown_containers; }

# add_hook KIND [EXIT_STATUS] [TIMEOUT]: a host hook of that kind.
add_hook() {
  local kind=$1 rc=${2:-0} timeout=${3:-}
  update_config --arg k "$kind" --arg p "$TEST_DIR/hook.sh" --arg o "$HOOKS" \
    --arg rc "$rc" --arg t "$timeout" \
    '.hooks[$k] += [{path: $p, args: ["hook.sh", $k, $o, $rc], env: ["HOOK_KIND=" + $k, "X=y z"]}
                    + (if $t == "" then {} else {timeout: ($t | tonumber)} end)]'
}

# The startContainer hook runs in the container: a command of its busybox.
add_start_container_hook() {
  update_config --arg cmd "${1:-true}" '.hooks.startContainer += [{path: "/bin/sh",
    args: ["sh", "-c", "cat >/tmp/startContainer.state; readlink /proc/self/ns/mnt >/tmp/startContainer.mnt; cat /proc/$$/environ | tr \"\\0\" \"\\n\" >/tmp/startContainer.env; echo startContainer >>/tmp/order; " + $cmd],
    env: ["IN=container"]}]'
}

all_hooks() {
  add_hook prestart
  add_hook createRuntime
  add_hook createContainer
  add_start_container_hook
  add_hook poststart
  add_hook poststop
}

order() {
  tr '\n' ' ' <"$HOOKS/order" 2>/dev/null || true
}

@test "hooks: each kind runs at its point of the lifecycle" {
  all_hooks
  set_cmd 'echo process >>/tmp/order; exec sleep 7401'
  husk_files create -b "$BUNDLE" h1
  [ "$(order)" = "prestart createRuntime createContainer " ]
  [ ! -e "$BUNDLE/rootfs/tmp/order" ]
  husk start h1
  [ "$(order)" = "prestart createRuntime createContainer poststart " ]
  # startContainer ran in the container before the process
  wait_for 5 grep -q process "$BUNDLE/rootfs/tmp/order"
  [ "$(tr '\n' ' ' <"$BUNDLE/rootfs/tmp/order")" = "startContainer process " ]
  husk kill h1 KILL
  wait_status h1 stopped
  [ "$(order)" = "prestart createRuntime createContainer poststart " ]
  husk delete h1
  [ "$(order)" = "prestart createRuntime createContainer poststart poststop " ]
  assert_root_empty
}

@test "hooks: args and env are exactly the config's" {
  all_hooks
  set_args true
  run -0 husk run -b "$BUNDLE" h1
  local k
  for k in prestart createRuntime createContainer poststart poststop; do
    # ($0 of a script is its path: the kernel hands that to /bin/sh)
    [ "$(tr '\n' ' ' <"$HOOKS/$k.args")" = "$TEST_DIR/hook.sh $k $HOOKS 0 " ]
    [ "$(tr '\n' ' ' <"$HOOKS/$k.env")" = "HOOK_KIND=$k X=y z " ]
  done
  [ "$(cat "$BUNDLE/rootfs/tmp/startContainer.env")" = IN=container ]
}

@test "hooks: args[0] is the hook's argv[0] (busybox runs the applet it names)" {
  [ -x /bin/busybox ] || skip "busybox-static is not installed"
  update_config --arg o "$HOOKS/argv0" \
    '.hooks.prestart = [{path: "/bin/busybox", args: ["sh", "-c", "echo \"$0 $1\" >\"$1\"", "zero", $o]}]'
  set_args true
  run -0 husk run -b "$BUNDLE" h1
  [ "$(cat "$HOOKS/argv0")" = "zero $HOOKS/argv0" ]
}

@test "hooks: without args the hook gets its path as argv[0]; without env the runtime's environment" {
  update_config --arg p "$TEST_DIR/hook.sh" '.hooks.prestart = [{path: $p}, {path: $p, env: []}]'
  cat >"$TEST_DIR/hook.sh" <<EOF
#!/bin/sh
printf '%s\n' "\$0" "\$#" "\${HUSK_HOOK_TEST:-unset}" >>"$HOOKS/noargs"
EOF
  set_args true
  HUSK_HOOK_TEST=inherited run -0 husk run -b "$BUNDLE" h1
  # runc and crun: a hook without "env" inherits the runtime's environment;
  # "env": [] is an empty one
  [ "$(tr '\n' ' ' <"$HOOKS/noargs")" = "$TEST_DIR/hook.sh 0 inherited $TEST_DIR/hook.sh 0 unset " ]
}

@test "hooks: the state on stdin names the container, its init pid, status and bundle" {
  all_hooks
  set_args sleep 7402
  husk_files create -b "$BUNDLE" h1
  pid=$(container_pid h1)
  husk start h1
  husk delete -f h1
  local k
  for k in prestart createRuntime createContainer poststart poststop; do
    echo "$k: $(cat "$HOOKS/$k.state")"
    [ "$(jq -r .id "$HOOKS/$k.state")" = h1 ]
    [ "$(jq -r .bundle "$HOOKS/$k.state")" = "$BUNDLE" ]
    [[ $(jq -r .ociVersion "$HOOKS/$k.state") == 1.* ]]
  done
  for k in prestart createRuntime createContainer; do
    [ "$(jq -r .status "$HOOKS/$k.state")" = creating ]
    [ "$(jq -r .pid "$HOOKS/$k.state")" = "$pid" ]
  done
  [ "$(jq -r .status "$HOOKS/poststart.state")" = running ]
  [ "$(jq -r .pid "$HOOKS/poststart.state")" = "$pid" ]
  [ "$(jq -r .status "$HOOKS/poststop.state")" = stopped ]
  [ "$(jq -r .id "$BUNDLE/rootfs/tmp/startContainer.state")" = h1 ]
}

@test "hooks: the states are those runc gives its hooks on the same bundle" {
  command -v runc >/dev/null || skip "runc is not installed (Debian package runc)"
  all_hooks
  set_args true
  run -0 husk run -b "$BUNDLE" h1
  local k mine=() theirs=()
  for k in prestart createRuntime createContainer poststart poststop; do
    mine+=("$k:$(jq -c '{status, id, bundle, annotations}' "$HOOKS/$k.state")")
  done
  mine+=("startContainer:$(jq -c '{status, id, bundle, annotations}' "$BUNDLE/rootfs/tmp/startContainer.state")")
  rm -f "$HOOKS"/* "$BUNDLE"/rootfs/tmp/startContainer.* "$BUNDLE/rootfs/tmp/order"
  run -0 runc --root "$TEST_DIR/runc" run -b "$BUNDLE" h1
  for k in prestart createRuntime createContainer poststart poststop; do
    theirs+=("$k:$(jq -c '{status, id, bundle, annotations}' "$HOOKS/$k.state")")
  done
  theirs+=("startContainer:$(jq -c '{status, id, bundle, annotations}' "$BUNDLE/rootfs/tmp/startContainer.state")")
  printf 'husk %s\n' "${mine[@]}"
  printf 'runc %s\n' "${theirs[@]}"
  # prestart, createRuntime, createContainer, poststop: the same
  local i
  for i in 0 1 2 4; do
    [ "${mine[$i]}" = "${theirs[$i]}" ]
  done
  # poststart: runc 1.1 says "created", husk "running" (runtime.md: the
  # process has been started; runc 1.2 says "running" too)
  [[ ${mine[3]} == 'poststart:{"status":"running",'* ]]
  # startContainer: "created", as runc (it was "creating" before a fix)
  [ "${mine[5]}" = "${theirs[5]}" ]
}

@test "hooks: prestart, createRuntime, poststart, poststop run in the host's mount namespace; createContainer and startContainer in the container's" {
  all_hooks
  set_args sleep 7403
  husk_files create -b "$BUNDLE" h1
  pid=$(container_pid h1)
  local cmnt
  cmnt=$(readlink "/proc/$pid/ns/mnt")
  husk start h1
  wait_for 5 test -s "$BUNDLE/rootfs/tmp/startContainer.mnt"
  husk delete -f h1
  local host k
  host=$(readlink /proc/self/ns/mnt)
  [ "$cmnt" != "$host" ]
  for k in prestart createRuntime poststart poststop; do
    [ "$(cat "$HOOKS/$k.mnt")" = "$host" ]
  done
  [ "$(cat "$HOOKS/createContainer.mnt")" = "$cmnt" ]
  [ "$(cat "$BUNDLE/rootfs/tmp/startContainer.mnt")" = "$cmnt" ]
}

@test "hooks: several hooks of one kind run in their order" {
  update_config --arg p "$TEST_DIR/hook.sh" --arg o "$HOOKS" \
    '.hooks.prestart = [{path: $p, args: ["h", "one", $o]}, {path: $p, args: ["h", "two", $o]},
                        {path: $p, args: ["h", "three", $o]}]'
  set_args true
  run -0 husk run -b "$BUNDLE" h1
  [ "$(order)" = "one two three " ]
}

@test "hooks: a failing prestart hook fails create, leaves nothing, stops the other hooks" {
  add_hook prestart 3
  add_hook createRuntime
  add_hook createContainer
  set_args sleep 7404
  run -1 --separate-stderr husk_files create -b "$BUNDLE" h1
  [[ $stderr == *prestart*"status 3"* ]]
  [ "$(order)" = "prestart " ]
  assert_root_empty
  no_process "^sleep 7404$"
  # run as well
  rm -f "$HOOKS/order"
  run -1 --separate-stderr husk run -b "$BUNDLE" h2
  [ "$(order)" = "prestart " ]
  assert_root_empty
}

@test "hooks: a failing createRuntime or createContainer hook fails create and leaves nothing" {
  local k
  for k in createRuntime createContainer; do
    update_config 'del(.hooks)'
    add_hook "$k" 1
    set_args sleep 7405
    run -1 --separate-stderr husk_files create -b "$BUNDLE" h1
    [[ $stderr == *"$k"* ]]
    assert_root_empty
    no_process "^sleep 7405$"
  done
}

@test "hooks: a hook that outlives its timeout is killed and fails create" {
  cat >"$TEST_DIR/slow.sh" <<'EOF'
#!/bin/sh
exec sleep 7406
EOF
  chmod 755 "$TEST_DIR/slow.sh"
  update_config --arg p "$TEST_DIR/slow.sh" '.hooks.createRuntime = [{path: $p, timeout: 1}]'
  set_args sleep 7407
  local t0=$SECONDS
  run -1 --separate-stderr husk_files create -b "$BUNDLE" h1
  [ $((SECONDS - t0)) -le 4 ]
  [[ $stderr == *createRuntime*"timed out"* ]]
  assert_root_empty
  wait_for 2 no_process "^sleep 7406$"
  no_process "^sleep 7407$"
}

@test "hooks: a hook that ends before its timeout is fine" {
  add_hook prestart 0 5
  set_args true
  run -0 husk run -b "$BUNDLE" h1
  [ "$(order)" = "prestart " ]
}

@test "hooks: a hook that cannot be executed fails create and leaves nothing" {
  update_config --arg p "$TEST_DIR/nosuch" '.hooks.prestart = [{path: $p}]'
  set_args sleep 7408
  run -1 --separate-stderr husk_files create -b "$BUNDLE" h1
  [[ $stderr == *prestart* ]]
  assert_root_empty
  no_process "^sleep 7408$"
}

@test "hooks: a failing poststart hook is a warning; the next hooks run and the container runs" {
  add_hook poststart 5
  add_hook poststart
  set_args sleep 7409
  husk_files create -b "$BUNDLE" h1
  run -0 --separate-stderr husk start h1
  [[ $stderr == *poststart*"status 5"* ]]
  [ "$(container_status h1)" = running ]
  [ "$(grep -c poststart "$HOOKS/order")" = 2 ]
}

@test "hooks: a failing poststop hook is a warning; delete still removes everything" {
  add_hook poststop 4
  add_hook poststop
  set_args true
  husk_files create -b "$BUNDLE" h1
  husk start h1
  wait_status h1 stopped
  run -0 --separate-stderr husk delete h1
  [[ $stderr == *poststop*"status 4"* ]]
  [ "$(grep -c poststop "$HOOKS/order")" = 2 ]
  assert_root_empty
}

@test "hooks: a failing startContainer hook keeps the process from running" {
  add_start_container_hook 'exit 6'
  set_cmd 'echo process >>/tmp/order'
  husk_files create -b "$BUNDLE" h1
  husk start h1 || true
  wait_status h1 stopped
  [ "$(cat "$BUNDLE/rootfs/tmp/order")" = startContainer ]
}

@test "hooks: poststop runs on delete --force of a running container, with run's delete too" {
  add_hook poststop
  set_args sleep 7410
  husk_files run -d -b "$BUNDLE" h1
  husk delete --force h1
  [ "$(order)" = "poststop " ]
  rm "$HOOKS/order"
  set_args true
  run -0 husk run -b "$BUNDLE" h2
  [ "$(order)" = "poststop " ]
}

@test "hooks: createContainer runs with the container's root as its working directory" {
  update_config --arg p /bin/sh '.hooks.createContainer = [{path: $p, args: ["sh", "-c", "pwd >hook-cwd; echo made-by-hook >hook-file"]}]'
  set_cmd 'cat /hook-file; cat /hook-cwd'
  # (husk's own cwd is elsewhere: the hook must not write there)
  mkdir "$TEST_DIR/elsewhere"
  cd "$TEST_DIR/elsewhere"
  run -0 husk run -b "$BUNDLE" h1
  [ "${lines[0]}" = made-by-hook ]
  # the hook saw the rootfs's path (it runs before pivot_root, as runc's)
  [ "$(readlink -f "${lines[1]}")" = "$(readlink -f "$BUNDLE/rootfs")" ]
  [ -f "$BUNDLE/rootfs/hook-file" ]
  [ -z "$(ls -A "$TEST_DIR/elsewhere")" ]
}

@test "hooks: poststart runs after the process has started (the fifo opened, the process exec'd)" {
  local helpers
  helpers=$(cd "$(dirname "$HUSK")/tests/helpers" 2>/dev/null && pwd) || true
  [ -x "$helpers/seccomp-agent" ] || skip "tests/helpers/seccomp-agent not built (make check builds it)"
  mkdir -p "$TEST_DIR/shared"
  # the process's execve is slow: a seccomp agent holds it for 1 s, so that
  # a poststart hook run before it ends sees the init still husk's
  update_config --arg s "$TEST_DIR/shared" --arg l "$TEST_DIR/agent.sock" \
    '.mounts += [{destination: "/shared", type: "bind", source: $s, options: ["rbind"]}]
     | .process.noNewPrivileges = true
     | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $l,
                         listenerMetadata: "execve=delay:1000",
                         syscalls: [{names: ["execve"], action: "SCMP_ACT_NOTIFY"}]}'
  set_cmd 'echo started >/shared/out; exec sleep 1000'
  # the hook: the init is already the process (its command line is the
  # container's, not husk's), and the process's own output comes with no
  # wait in the runtime (the hook bounds its own: 5 s)
  cat >"$TEST_DIR/poststart.sh" <<SH
#!/bin/sh
pid=\$(jq -r .pid)
tr '\0' ' ' </proc/\$pid/cmdline >"$TEST_DIR/cmdline"
i=0
while [ ! -s "$TEST_DIR/shared/out" ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
cp "$TEST_DIR/shared/out" "$TEST_DIR/seen"
SH
  chmod 755 "$TEST_DIR/poststart.sh"
  update_config --arg p "$TEST_DIR/poststart.sh" '.hooks.poststart = [{path: $p}]'
  "$helpers/seccomp-agent" --once --log "$TEST_DIR/agent.log" "$TEST_DIR/agent.sock" &
  track_pid $!
  wait_for 5 test -S "$TEST_DIR/agent.sock"
  husk create -b "$BUNDLE" p1 </dev/null >/dev/null 2>&1 3>&-
  husk start p1
  # the process's command line: sh's, or sleep's once sh exec'd it
  [[ $(cat "$TEST_DIR/cmdline") == @("sh -c echo started >/shared/out; exec sleep 1000 "|"sleep 1000 ") ]]
  [ "$(cat "$TEST_DIR/seen")" = started ]
  grep -q "execve delayed" "$TEST_DIR/agent.log"
  husk delete -f p1
}
