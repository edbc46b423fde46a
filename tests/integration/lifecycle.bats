#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The lifecycle on real containers: create, state, start, kill, delete, run
# (foreground, detached, --keep, --pid-file, --preserve-fds, signals), and
# the error cases of runtime.md. Each container runs a distinctive command
# (sleep 71xx) so that a leftover process can be found on the host.

load helpers

setup() { setup_container; }
teardown() { teardown_containers; }

# Run a detached container whose output goes to $TEST_DIR/out.
run_detached() {
  husk run -d "$@" >"$TEST_DIR/out" 2>&1 </dev/null
}

@test "create, state, start, kill, delete: the statuses and the init as the host sees them" {
  set_args sleep 7101
  run -0 husk_files create --bundle "$BUNDLE" c1
  [ -z "$output" ]
  # created: the init exists and waits; the user process has not started
  run -0 husk state c1
  [ "$(jq -r .status <<<"$output")" = created ]
  [ "$(jq -r .id <<<"$output")" = c1 ]
  [ "$(jq -r .bundle <<<"$output")" = "$BUNDLE" ]
  pid=$(jq -r .pid <<<"$output")
  [ "$pid" -gt 1 ]
  [ -d "/proc/$pid" ]
  no_process "^sleep 7101$"
  [ -p "$ROOT/c1/exec.fifo" ]

  run -0 husk start c1
  [ -z "$output" ]
  [ "$(container_status c1)" = running ]
  [ "$(container_pid c1)" = "$pid" ]
  # the same process now runs the container's command
  [ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 7101 " ]
  [ ! -e "$ROOT/c1/exec.fifo" ]

  run -0 husk kill c1 KILL
  wait_for 5 pid_gone "$pid"
  [ "$(container_status c1)" = stopped ]
  # a stopped container has no pid in its state (runtime.md: pid only
  # while created or running)
  run -0 husk state c1
  [ "$(jq -r '.pid // 0' <<<"$output")" = 0 ]

  run -0 husk delete c1
  [ -z "$output" ]
  assert_root_empty
  run -1 husk state c1
  [[ $output == *'"c1" does not exist'* ]]
  no_process "^sleep 7101$"
}

@test "the lifecycle exits and statuses are those of runc on the same bundle" {
  command -v runc >/dev/null || skip "runc is not installed (Debian package runc)"
  own_rootfs
  set_args sleep 7102
  local step husk_out=() runc_out=() rt
  for rt in husk runc; do
    local -a cmd
    if [ $rt = husk ]; then cmd=("$HUSK" --root "$ROOT"); else cmd=(runc --root "$TEST_DIR/runc"); fi
    local -a res=()
    for step in "create -b $BUNDLE x" "start x" "start x" "delete x" "kill x KILL" \
                "WAIT" "kill x KILL" "start x" "delete x" "delete x" "delete --force x"; do
      if [ "$step" = WAIT ]; then
        sleep 0.5
        res+=("wait:$("${cmd[@]}" state x | jq -r .status)")
        continue
      fi
      # shellcheck disable=SC2086 # the step is split on purpose
      "${cmd[@]}" $step >/dev/null 2>&1 </dev/null && rc=0 || rc=$?
      local st
      st=$("${cmd[@]}" state x 2>/dev/null | jq -r .status) || st=none
      res+=("$step:$rc:${st:-none}")
    done
    if [ $rt = husk ]; then husk_out=("${res[@]}"); else runc_out=("${res[@]}"); fi
    runc --root "$TEST_DIR/runc" delete --force x >/dev/null 2>&1 || true
  done
  printf 'husk: %s\n' "${husk_out[@]}"
  printf 'runc: %s\n' "${runc_out[@]}"
  [ "${husk_out[*]}" = "${runc_out[*]}" ]
  # what both do, spelled out
  [ "${husk_out[0]}" = "create -b $BUNDLE x:0:created" ]
  [ "${husk_out[1]}" = "start x:0:running" ]
  [ "${husk_out[2]}" = "start x:1:running" ]
  [ "${husk_out[3]}" = "delete x:1:running" ]
  [ "${husk_out[5]}" = "wait:stopped" ]
  [ "${husk_out[6]}" = "kill x KILL:1:stopped" ]
  [ "${husk_out[7]}" = "start x:1:stopped" ]
  [ "${husk_out[8]}" = "delete x:0:none" ]
  [ "${husk_out[9]}" = "delete x:1:none" ]
  [ "${husk_out[10]}" = "delete --force x:0:none" ]
  assert_root_empty
}

@test "an init that dies on its own is stopped without anyone calling husk" {
  set_args sleep 7103
  husk_files create -b "$BUNDLE" c1
  pid=$(container_pid c1)
  kill -9 "$pid"
  wait_for 5 pid_gone "$pid"
  [ "$(container_status c1)" = stopped ]
  run -1 husk start c1
  [[ $output == *'c1'* ]]
  husk delete c1
  assert_root_empty
}

@test "kill of a created container stops it" {
  set_args sleep 7104
  husk_files create -b "$BUNDLE" c1
  pid=$(container_pid c1)
  run -0 husk kill c1 KILL
  wait_for 5 pid_gone "$pid"
  [ "$(container_status c1)" = stopped ]
  no_process "^sleep 7104$"
}

@test "run exits with the container's exit status" {
  local n
  for n in 0 1 7 255; do
    set_cmd "exit $n"
    run husk run -b "$BUNDLE" "r$n"
    [ "$status" -eq "$n" ]
  done
  assert_root_empty
}

@test "run exits with 128+N when the container is killed by signal N" {
  # not the pid namespace's init: the shell may signal itself
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  set_cmd 'kill -TERM $$'
  run -143 husk run -b "$BUNDLE" r1
  set_cmd 'kill -KILL $$'
  run -137 husk run -b "$BUNDLE" r2
  set_cmd 'kill -SEGV $$'
  run -139 husk run -b "$BUNDLE" r3
  assert_root_empty
}

@test "run exits with 137 when husk kill sends KILL from the host" {
  set_args sleep 7105
  "$HUSK" --root "$ROOT" run -b "$BUNDLE" r1 >"$TEST_DIR/out" 2>&1 </dev/null 3>&- &
  local runpid=$!
  track_pid $runpid
  wait_status r1 running
  husk kill r1 KILL
  local rc=0
  wait $runpid || rc=$?
  [ "$rc" -eq 137 ]
  assert_root_empty
  no_process "^sleep 7105$"
}

@test "run passes stdin, stdout and stderr through" {
  set_cmd 'read line; echo "out:$line"; echo "err:$line" >&2'
  run -0 --separate-stderr husk run -b "$BUNDLE" r1 <<<"hello"
  [ "$output" = "out:hello" ]
  [ "$stderr" = "err:hello" ]
}

@test "run forwards SIGTERM and SIGUSR1 to the container's process" {
  set_cmd 'trap "echo got-usr1" USR1; trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.1; done'
  "$HUSK" --root "$ROOT" run -b "$BUNDLE" r1 >"$TEST_DIR/out" 2>&1 </dev/null 3>&- &
  local runpid=$!
  track_pid $runpid
  wait_for 5 grep -q ready "$TEST_DIR/out"
  kill -USR1 $runpid
  wait_for 5 grep -q got-usr1 "$TEST_DIR/out"
  kill -TERM $runpid
  local rc=0
  wait $runpid || rc=$?
  cat "$TEST_DIR/out"
  [ "$rc" -eq 42 ]
  grep -q got-term "$TEST_DIR/out"
  assert_root_empty
}

@test "run --detach returns at once and leaves the container running" {
  set_args sleep 7106
  run_detached -b "$BUNDLE" d1
  [ "$(container_status d1)" = running ]
  pid=$(container_pid d1)
  [ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 7106 " ]
  run -0 husk delete --force d1
  wait_for 5 pid_gone "$pid"
  assert_root_empty
  no_process "^sleep 7106$"
}

@test "run --keep leaves the stopped container until delete" {
  set_cmd 'exit 3'
  run -3 husk run --keep -b "$BUNDLE" k1
  [ "$(container_status k1)" = stopped ]
  run -0 husk delete k1
  assert_root_empty
}

@test "run without --keep deletes the container when it exits" {
  set_args true
  run -0 husk run -b "$BUNDLE" k1
  assert_root_empty
}

@test "--pid-file holds the init's host pid (create and run -d)" {
  set_args sleep 7107
  husk_files create --pid-file "$TEST_DIR/c.pid" -b "$BUNDLE" c1
  [ "$(cat "$TEST_DIR/c.pid")" = "$(container_pid c1)" ]
  # exactly the number, no newline (as runc)
  [ "$(wc -c <"$TEST_DIR/c.pid")" = "$(container_pid c1 | tr -d '\n' | wc -c)" ]
  # a relative path is relative to the caller's directory
  (cd "$TEST_DIR" && run_detached --pid-file d.pid -b "$BUNDLE" d1)
  pid=$(cat "$TEST_DIR/d.pid")
  [ "$pid" = "$(container_pid d1)" ]
  [ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 7107 " ]
  # no temporary file is left next to it
  run ls -A "$TEST_DIR"
  [[ $output != *'.tmp'* ]]
}

@test "--preserve-fds passes fds 3..3+N-1 and nothing else" {
  echo three >"$TEST_DIR/f3"
  echo four >"$TEST_DIR/f4"
  echo five >"$TEST_DIR/f5"
  set_cmd 'cat /proc/self/fd/3 /proc/self/fd/4; cat /proc/self/fd/5 || echo no-5'
  run -0 husk run --preserve-fds 2 -b "$BUNDLE" p1 3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4" 5<"$TEST_DIR/f5"
  [ "${lines[0]}" = three ]
  [ "${lines[1]}" = four ]
  [ "${lines[-1]}" = no-5 ]
  # the container's process, seen from the host, holds exactly 0-4
  set_args sleep 7122
  husk run -d --preserve-fds 2 -b "$BUNDLE" p2 >"$TEST_DIR/out" 2>&1 </dev/null \
    3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4" 5<"$TEST_DIR/f5" 6<"$TEST_DIR/f5"
  pid=$(container_pid p2)
  [ "$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')" = "0 1 2 3 4 " ]
  [ "$(readlink "/proc/$pid/fd/3")" = "$TEST_DIR/f3" ]
  [ "$(readlink "/proc/$pid/fd/4")" = "$TEST_DIR/f4" ]
  # without the flag: only stdio
  husk run -d -b "$BUNDLE" p3 >"$TEST_DIR/out" 2>&1 </dev/null 3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4"
  pid=$(container_pid p3)
  [ "$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')" = "0 1 2 " ]
}

@test "--preserve-fds refuses a value that is not a number" {
  run -1 husk run --preserve-fds x -b "$BUNDLE" p1
  [[ $output == *"--preserve-fds"* ]]
  run -1 husk run --preserve-fds -1 -b "$BUNDLE" p1
  assert_root_empty
}

@test "kill takes signal names, SIG-prefixed names and numbers; default TERM" {
  set_cmd 'for s in HUP USR1 USR2 INT; do trap "echo got-$s" $s; done; trap "echo got-TERM; exit 0" TERM
           echo ready; while :; do sleep 0.1; done'
  run_detached -b "$BUNDLE" k1
  wait_for 5 grep -q ready "$TEST_DIR/out"
  husk kill k1 USR1
  wait_for 5 grep -q got-USR1 "$TEST_DIR/out"
  husk kill k1 SIGUSR2
  wait_for 5 grep -q got-USR2 "$TEST_DIR/out"
  husk kill k1 1
  wait_for 5 grep -q got-HUP "$TEST_DIR/out"
  husk kill k1 sigint
  wait_for 5 grep -q got-INT "$TEST_DIR/out"
  pid=$(container_pid k1)
  husk kill k1
  wait_for 5 grep -q got-TERM "$TEST_DIR/out"
  wait_for 5 pid_gone "$pid"
  [ "$(container_status k1)" = stopped ]
}

@test "kill with an unknown signal fails and sends nothing" {
  set_args sleep 7108
  run_detached -b "$BUNDLE" k1
  local s
  for s in NOSUCH SIGFOO 65 -9 ""; do
    run -1 husk kill k1 "$s"
    [[ $output == *signal* ]]
  done
  [ "$(container_status k1)" = running ]
}

@test "kill --all signals every process of the container" {
  set_cmd 'sleep 7109 & sleep 7109 & sleep 7110'
  run_detached -b "$BUNDLE" a1
  wait_for 5 eval '[ "$(pgrep -fc "^sleep 7109$")" = 2 ]'
  pid=$(container_pid a1)
  run -0 husk kill --all a1 KILL
  wait_for 5 pid_gone "$pid"
  wait_for 5 no_process "^sleep 7109$"
  [ "$(container_status a1)" = stopped ]
  run -0 husk delete a1
  assert_root_empty
}

@test "kill -a of a created container stops it" {
  set_args sleep 7111
  husk_files create -b "$BUNDLE" a1
  pid=$(container_pid a1)
  run -0 husk kill -a a1 9
  wait_for 5 pid_gone "$pid"
  [ "$(container_status a1)" = stopped ]
}

@test "start twice: the second start fails and changes nothing" {
  set_args sleep 7112
  husk_files create -b "$BUNDLE" s1
  husk start s1
  pid=$(container_pid s1)
  run -1 --separate-stderr husk start s1
  [ -z "$output" ]
  [[ $stderr == *'"s1"'*running* ]]
  [ "$(container_status s1)" = running ]
  [ "$(container_pid s1)" = "$pid" ]
  [ -d "/proc/$pid" ]
}

@test "start of a stopped container fails" {
  set_args true
  husk_files create -b "$BUNDLE" s1
  husk start s1
  wait_status s1 stopped
  run -1 --separate-stderr husk start s1
  [[ $stderr == *'"s1"'*stopped* ]]
  [ "$(container_status s1)" = stopped ]
}

@test "kill of a stopped container fails" {
  set_args true
  husk_files create -b "$BUNDLE" s1
  husk start s1
  wait_status s1 stopped
  run -1 --separate-stderr husk kill s1 KILL
  [[ $stderr == *'"s1"'*stopped* ]]
  run -0 husk delete s1
}

@test "delete of a running container fails and leaves it running" {
  set_args sleep 7113
  run_detached -b "$BUNDLE" d1
  pid=$(container_pid d1)
  run -1 --separate-stderr husk delete d1
  [[ $stderr == *'"d1"'*running* ]]
  [ "$(container_status d1)" = running ]
  [ -d "/proc/$pid" ]
  [ -d "$ROOT/d1" ]
}

@test "delete --force kills a running container and removes everything" {
  set_cmd 'sleep 7115 & sleep 7115'
  run_detached -b "$BUNDLE" d1
  pid=$(container_pid d1)
  wait_for 5 eval '[ "$(pgrep -fc "^sleep 7115$")" = 2 ]'
  run -0 husk delete --force d1
  [ -z "$output" ]
  wait_for 5 pid_gone "$pid"
  wait_for 5 no_process "^sleep 7115$"
  assert_root_empty
}

@test "delete -f of a created container kills its init" {
  set_args sleep 7116
  husk_files create -b "$BUNDLE" d1
  pid=$(container_pid d1)
  run -0 husk delete -f d1
  wait_for 5 pid_gone "$pid"
  assert_root_empty
}

@test "delete of a missing id fails; with --force it succeeds quietly" {
  mkdir -p "$ROOT"
  run -1 --separate-stderr husk delete nosuch
  [[ $stderr == *'"nosuch" does not exist'* ]]
  run -0 --separate-stderr husk delete --force nosuch
  [ -z "$output" ]
  [ -z "$stderr" ]
}

@test "create of an id that exists fails and leaves the existing container alone" {
  set_args sleep 7117
  husk_files create -b "$BUNDLE" e1
  pid=$(container_pid e1)
  before=$(cat "$ROOT/e1/state.json")
  run -1 --separate-stderr husk_files create -b "$BUNDLE" e1
  [[ $stderr == *'"e1" already exists'* ]]
  [ "$(cat "$ROOT/e1/state.json")" = "$before" ]
  [ "$(container_status e1)" = created ]
  [ -d "/proc/$pid" ]
  [ "$(pgrep -fc "^sleep 7117$" || true)" = 0 ]
  run -1 husk_files run -b "$BUNDLE" e1
  [ "$(container_status e1)" = created ]
}

@test "create refuses invalid ids and makes nothing" {
  local id
  for id in "a/b" ".." "a b" "../x" "é" ""; do
    run -1 --separate-stderr husk_files create -b "$BUNDLE" "$id"
    [[ $stderr == *"container id"* ]]
  done
  assert_root_empty
  [ ! -e "$TEST_DIR/x" ]
}

@test "a create that fails in the init leaves nothing: no state, no process" {
  set_args /no/such/binary 7118
  run -1 --separate-stderr husk_files create -b "$BUNDLE" f1
  [[ $stderr == *'/no/such/binary'* ]]
  assert_root_empty
  no_process "/no/such/binary 7118"
  # the same with run
  run -1 husk run -b "$BUNDLE" f1
  assert_root_empty
  # a hostname without a uts namespace
  set_args sleep 7119
  update_config '.linux.namespaces |= map(select(.type != "uts")) | .hostname = "h"'
  run -1 --separate-stderr husk_files create -b "$BUNDLE" f2
  [[ $stderr == *hostname* ]]
  assert_root_empty
  no_process "^sleep 7119$"
}

@test "create with a missing bundle or config fails and makes nothing" {
  run -1 --separate-stderr husk_files create -b "$TEST_DIR/nosuch" f1
  [[ $stderr == *config.json* ]]
  rm "$BUNDLE/config.json"
  run -1 husk_files create -b "$BUNDLE" f1
  assert_root_empty
}

@test "create without args in the process fails and makes nothing" {
  update_config '.process.args = []'
  run -1 --separate-stderr husk_files create -b "$BUNDLE" f1
  [[ $stderr == *args* ]]
  assert_root_empty
}

@test "the bundle defaults to the current directory" {
  set_args sleep 7120
  (cd "$BUNDLE" && husk_files create c1)
  [ "$(container_status c1)" = created ]
  [ "$(husk state c1 | jq -r .bundle)" = "$BUNDLE" ]
}

@test "two containers live side by side and are deleted one by one" {
  set_args sleep 7121
  husk_files create -b "$BUNDLE" c1
  husk_files create -b "$BUNDLE" c2
  [ "$(container_pid c1)" != "$(container_pid c2)" ]
  husk start c2
  [ "$(container_status c1)" = created ]
  [ "$(container_status c2)" = running ]
  husk delete -f c2
  [ "$(container_status c1)" = created ]
  husk delete -f c1
  assert_root_empty
}

@test "--pid-file in a missing directory fails create and leaves nothing" {
  set_args sleep 7123
  run -1 --separate-stderr husk_files create --pid-file "$TEST_DIR/nodir/pid" -b "$BUNDLE" c1
  [[ $stderr == *"--pid-file"*"$TEST_DIR/nodir/pid"* ]]
  assert_root_empty
  no_process "^sleep 7123$"
}

@test "after delete no mount of the container is left on the host" {
  set_args sleep 7124
  husk_files run -d -b "$BUNDLE" m1
  husk delete -f m1
  run grep -F "$TEST_DIR" /proc/self/mountinfo
  [ -z "$output" ]
  assert_root_empty
}

@test "state during create (from a prestart hook) answers at once, as runc does" {
  cat >"$TEST_DIR/state-hook.sh" <<HOOK
#!/bin/sh
"$HUSK" --root "$ROOT" state c1 >"$TEST_DIR/creating.json" 2>"$TEST_DIR/creating.err"
echo \$? >"$TEST_DIR/creating.rc"
HOOK
  chmod 755 "$TEST_DIR/state-hook.sh"
  update_config --arg p "$TEST_DIR/state-hook.sh" '.hooks.prestart = [{path: $p, timeout: 3}]'
  set_args true
  # it used to wait for the lock that create holds: a deadlock until the
  # hook's timeout
  run -0 --separate-stderr husk_files create -b "$BUNDLE" c1
  # runc 1.1 answers "container does not exist"; "creating" would do too
  if [ "$(cat "$TEST_DIR/creating.rc")" = 0 ]; then
    [ "$(jq -r .status "$TEST_DIR/creating.json")" = creating ]
  else
    [ "$(cat "$TEST_DIR/creating.rc")" = 1 ]
    [[ $(cat "$TEST_DIR/creating.err") == *'"c1" does not exist'* ]]
  fi
  [ "$(container_status c1)" = created ]
}

@test "kill ID 0 tells whether the init is there, as kill(2) and runc" {
  set_args sleep 7111
  run_detached -b "$BUNDLE" k0
  run -0 husk kill k0 0
  run -0 husk kill --all k0 0
  [ "$(container_status k0)" = running ]
  run -0 husk kill k0 KILL
  wait_status k0 stopped
  run -1 husk kill k0 0
  [[ $output == *stopped* || $output == *gone* ]]
}

@test "delete of a created container works without --force (its process never ran)" {
  set_args sleep 7112
  husk create -b "$BUNDLE" d0 </dev/null >"$TEST_DIR/d0.out" 2>&1
  [ "$(container_status d0)" = created ]
  pid=$(container_pid d0)
  run -0 husk delete d0
  wait_for 5 pid_gone "$pid"
  run -1 husk state d0
  assert_root_empty
  # a running one still needs --force
  run_detached -b "$BUNDLE" d1
  run -1 husk delete d1
  [[ $output == *running* ]]
}

@test "process is optional at create; start then fails clearly and the container stops" {
  update_config 'del(.process)'
  husk create -b "$BUNDLE" np </dev/null >"$TEST_DIR/np.out" 2>&1 || { cat "$TEST_DIR/np.out"; return 1; }
  [ "$(container_status np)" = created ]
  run -1 husk start np
  [[ $output == *process* ]]
  wait_status np stopped
  run -0 husk delete np
  assert_root_empty
}

@test "a container whose process has exited is stopped and deleted at once, without --force" {
  update_config '.process.args = ["true"]'
  local i
  for i in 1 2 3; do
    husk create -b "$BUNDLE" d$i </dev/null >/dev/null 2>&1 3>&-
    husk start d$i
    # no pause between what state says and what delete does
    while [ "$(container_status d$i)" != stopped ]; do :; done
    run -0 --separate-stderr husk delete d$i
    [ -z "$stderr" ]
  done
  husk run -d -b "$BUNDLE" d4 </dev/null >/dev/null 2>&1 3>&-
  while [ "$(container_status d4)" != stopped ]; do :; done
  run -0 husk delete d4
  assert_root_empty
}
