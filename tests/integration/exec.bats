#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# husk exec: another process in a running container.

load helpers

setup() {
  setup_husk
  update_config '.process.terminal = false | .process.args = ["sleep", "1000"]'
}

teardown() {
  husk delete --force e1 >/dev/null 2>&1 || true
  teardown_husk
}

start_e1() {
  husk run -d --bundle "$BUNDLE" e1 </dev/null >/dev/null 3>&-
  [ "$(husk state e1 | jq -r .status)" = running ]
  INIT_PID=$(husk state e1 | jq -r .pid)
}

@test "exec runs a command in the container's namespaces" {
  start_e1
  run -0 husk exec e1 sh -c 'for n in pid mnt net ipc uts cgroup user; do readlink /proc/self/ns/$n; done'
  local expected=""
  for n in pid mnt net ipc uts cgroup user; do
    expected+="$(readlink /proc/$INIT_PID/ns/$n)"$'\n'
  done
  [ "$output" = "${expected%$'\n'}" ]
  # and not in the host's
  [ "$(husk exec e1 readlink /proc/self/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]
}

@test "exec sees the container's root and hostname, as a new pid" {
  start_e1
  run -0 husk exec e1 sh -c 'echo $$; hostname; ls /; cat /proc/1/cmdline | tr "\0" " "'
  [ "${lines[0]}" != 1 ]
  [ "${lines[1]}" = husk ]
  [[ $output == *"sleep 1000"* ]]
  # the host's files are not there
  ! husk exec e1 ls /work >/dev/null 2>&1
}

@test "exec passes the exit status and 128+N for a signal" {
  start_e1
  run -7 husk exec e1 sh -c 'exit 7'
  run -0 husk exec e1 true
  run -137 husk exec e1 sh -c 'kill -KILL $$'
  run -143 husk exec e1 sh -c 'kill -TERM $$'
}

@test "exec of a command that does not exist exits 255 with runc's message" {
  start_e1
  run -255 --separate-stderr husk exec e1 no-such-command
  [[ $stderr == *'exec: "no-such-command": executable file not found in $PATH'* ]]
  run -255 --separate-stderr husk exec e1 /no/such
  [[ $stderr == *'exec: "/no/such": stat /no/such: no such file or directory'* ]]
  run -255 --separate-stderr husk exec e1 /etc/passwd
  [[ $stderr == *'exec: "/etc/passwd": permission denied'* ]]
}

@test "exec exits 255 when exec itself fails, 1 for a malformed request" {
  start_e1
  # the runtime's failures (runc: 255)
  run -255 --separate-stderr husk exec nope true
  [ "$stderr" = 'husk: container "nope" does not exist' ]
  run -255 --separate-stderr husk exec --pid-file "$TEST_DIR/no/such/dir/p" e1 true
  [[ $stderr == *'--pid-file'* ]]
  run -255 --separate-stderr husk exec --cwd /no/such/dir e1 true
  [[ $stderr == *'process.cwd "/no/such/dir"'* ]]
  husk pause e1
  run -255 --separate-stderr husk exec e1 true
  [[ $stderr == *'it is paused'* ]]
  husk resume e1
  # a malformed request: 1 (bad flags, id, --process)
  run -1 husk exec --no-such-flag e1 true
  run -1 husk exec ../e1 true
  run -1 husk exec --cwd relative e1 true
  run -1 husk exec --cap CAP_lower e1 true
  echo '{"args": ' >"$TEST_DIR/p.json"
  run -1 husk exec -p "$TEST_DIR/p.json" e1
  run -1 husk exec -p "$TEST_DIR/p.json" nope
  # and the process's own status is passed through
  run -1 husk exec e1 false
}

@test "exec --env merges over the container's env, --cwd and --user apply" {
  start_e1
  run -0 husk exec -e FOO=bar -e PATH=/bin:/sbin --env HOME=/tmp --cwd /tmp -u 65534:65534 e1 \
    sh -c 'echo $FOO; echo $PATH; echo $HOME; pwd; id -u; id -g; echo $TERM'
  [ "${lines[0]}" = bar ]
  [ "${lines[1]}" = /bin:/sbin ]
  [ "${lines[2]}" = /tmp ]
  [ "${lines[3]}" = /tmp ]
  [ "${lines[4]}" = 65534 ]
  [ "${lines[5]}" = 65534 ]
  # the container's TERM=xterm from `husk spec` is kept
  [ "${lines[6]}" = xterm ]
}

@test "exec --additional-gids sets exactly those groups" {
  start_e1
  run -0 husk exec -g 10 -g 20,30 e1 sh -c 'grep ^Groups: /proc/self/status'
  [[ $output =~ ^Groups:[[:space:]]+10\ 20\ 30[[:space:]]*$ ]]
  run -0 husk exec e1 sh -c 'grep ^Groups: /proc/self/status'
  [[ $output =~ ^Groups:[[:space:]]*$ ]]
}

@test "exec gets the container's capabilities, --cap adds one" {
  start_e1
  local init_caps
  init_caps=$(grep ^CapEff /proc/$INIT_PID/status | awk '{print $2}')
  run -0 husk exec e1 sh -c 'grep ^CapEff /proc/self/status'
  [ "$(awk '{print $2}' <<<"$output")" = "$init_caps" ]
  run -0 husk exec --cap CAP_SYS_ADMIN e1 sh -c 'grep -E "^Cap(Eff|Bnd)" /proc/self/status'
  # CAP_SYS_ADMIN is bit 21
  for v in $(awk '{print $2}' <<<"$output"); do
    (( (16#$v >> 21) & 1 ))
  done
  # a malformed name is refused; an unknown one is dropped with a warning (runc)
  run -1 --separate-stderr husk exec --cap CAP_nope e1 true
  [[ $stderr == *'--cap "CAP_nope": not a capability name'* ]]
  run -0 --separate-stderr husk exec --cap CAP_UNKNOWN --cap CAP_SYS_ADMIN e1 sh -c 'grep ^CapEff /proc/self/status'
  [[ $stderr == *'ignoring unknown capabilities: [CAP_UNKNOWN]'* ]]
  (( (16#$(awk '{print $2}' <<<"$output") >> 21) & 1 ))
}

@test "exec --no-new-privs sets NoNewPrivs" {
  update_config '.process.noNewPrivileges = false'
  start_e1
  run -0 husk exec e1 sh -c 'grep ^NoNewPrivs /proc/self/status'
  [[ $output == *0 ]]
  run -0 husk exec --no-new-privs e1 sh -c 'grep ^NoNewPrivs /proc/self/status'
  [[ $output == *1 ]]
}

@test "exec gets the container's rlimits" {
  update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024}]'
  start_e1
  run -0 husk exec e1 sh -c 'ulimit -n; ulimit -Hn'
  [ "${lines[0]}" = 512 ]
  [ "${lines[1]}" = 1024 ]
}

@test "exec --process runs a process JSON" {
  start_e1
  cat >"$TEST_DIR/process.json" <<'JSON'
{
  "args": ["sh", "-c", "echo $A; pwd; id -u"],
  "env": ["A=from-json", "PATH=/bin"],
  "cwd": "/etc",
  "user": {"uid": 65534, "gid": 65534}
}
JSON
  run -0 husk exec --process "$TEST_DIR/process.json" e1
  [ "${lines[0]}" = from-json ]
  [ "${lines[1]}" = /etc ]
  [ "${lines[2]}" = 65534 ]
}

@test "exec --process with a bad file names the field, exits 1" {
  start_e1
  echo '{"args": [], "cwd": "/"}' >"$TEST_DIR/p.json"
  run -1 --separate-stderr husk exec -p "$TEST_DIR/p.json" e1
  [[ $stderr == *"process.args: must be a non-empty array of strings"* ]]
  echo '{"args": ["true"], "cwd": "relative"}' >"$TEST_DIR/p.json"
  run -1 --separate-stderr husk exec -p "$TEST_DIR/p.json" e1
  [[ $stderr == *"process.cwd: must be an absolute path"* ]]
  run -1 --separate-stderr husk exec -p "$TEST_DIR/missing.json" e1
  [[ $stderr == *"missing.json"*"No such file or directory"* ]]
  run -1 --separate-stderr husk exec -p "$TEST_DIR/p.json" e1 echo hi
  [[ $stderr == *"either --process or a command"* ]]
}

@test "exec --detach --pid-file leaves the process running with its pid written" {
  start_e1
  # (not under `run`: its stdio must not be a pipe that someone waits on,
  # since the process outlives the command)
  husk exec -d --pid-file "$TEST_DIR/exec.pid" e1 sleep 777 </dev/null >/dev/null 2>&1 3>&-
  local pid
  pid=$(cat "$TEST_DIR/exec.pid")
  [ -n "$pid" ]
  [ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 777 " ]
  # it runs in the container's pid namespace
  [ "$(readlink /proc/$pid/ns/pid)" = "$(readlink /proc/$INIT_PID/ns/pid)" ]
  kill -9 "$pid"
}

@test "exec forwards signals it receives to the process" {
  start_e1
  # the binary itself in the background, so that $! is husk's pid
  "$HUSK" --root "$ROOT" exec e1 sh -c 'trap "echo got-usr1; exit 3" USR1; echo ready; while :; do sleep 0.1; done' \
    >"$TEST_DIR/out" 2>&1 3>&- &
  local hpid=$!
  for _ in $(seq 50); do grep -q ready "$TEST_DIR/out" && break; sleep 0.1; done
  kill -USR1 "$hpid"
  local rc=0
  wait "$hpid" || rc=$?
  [ "$rc" = 3 ]
  grep -q got-usr1 "$TEST_DIR/out"
}

@test "exec --tty runs the process on a pty of the container" {
  start_e1
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  run -0 script -qec "$HUSK --root $ROOT exec -t e1 sh -c 'tty; exit 0'" /dev/null
  [[ $output == *"/dev/pts/"* ]]
  run -5 script -qec "$HUSK --root $ROOT exec -t e1 sh -c 'exit 5'" /dev/null
}

@test "exec --tty --detach without a console socket is refused" {
  start_e1
  run -1 --separate-stderr husk exec -t -d e1 true
  [[ $stderr == *"--console-socket"* ]]
}

@test "exec --console-socket sends the pty master over the socket" {
  command -v python3 >/dev/null || skip "python3 is not installed"
  start_e1
  local sock=$TEST_DIR/console.sock
  python3 - "$sock" >"$TEST_DIR/recv.out" 2>&1 <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 1024, 1)
out = b""
while True:
    try:
        d = os.read(fds[0], 4096)
    except OSError:
        break
    if not d:
        break
    out += d
print("got-fd", len(fds))
print(out.decode(errors="replace"))
PY
  local recv=$!
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  run -0 husk exec -t --console-socket "$sock" e1 sh -c 'echo on-the-pty; tty'
  wait "$recv"
  grep -q "got-fd 1" "$TEST_DIR/recv.out"
  grep -q "on-the-pty" "$TEST_DIR/recv.out"
  grep -q "/dev/pts/" "$TEST_DIR/recv.out"
}

@test "50 execs in a row leave no zombie and no fd behind" {
  start_e1
  local before_fds
  for i in $(seq 50); do
    husk exec e1 true
  done
  # no zombie in the container and none on the host under the init
  run -0 husk exec e1 sh -c 'grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l'
  [ "$output" = 0 ]
  [ -z "$(ps -o stat= --ppid "$INIT_PID" | grep Z || true)" ]
  # the init holds no more fds than before
  before_fds=$(ls /proc/$INIT_PID/fd | wc -l)
  for i in $(seq 5); do husk exec e1 true; done
  [ "$(ls /proc/$INIT_PID/fd | wc -l)" = "$before_fds" ]
  # the exec'd process sees only stdio
  # (the "; true" keeps sh from exec'ing ls in its place)
  run -0 husk exec e1 sh -c 'ls /proc/$$/fd; true'
  [ "$output" = "$(printf '0\n1\n2')" ]
}

@test "exec --preserve-fds passes extra fds" {
  start_e1
  run -0 husk exec --preserve-fds 1 e1 sh -c 'cat <&3' 3<<<"through-fd-3"
  [ "$output" = through-fd-3 ]
  run -1 husk exec e1 sh -c 'cat <&3' 3<<<"not-passed"
}

@test "exec into a created container runs in its namespaces before start (runc)" {
  husk create --bundle "$BUNDLE" e1 </dev/null >/dev/null 2>&1 3>&-
  INIT_PID=$(husk state e1 | jq -r .pid)
  run -0 husk exec e1 sh -c 'hostname; readlink /proc/self/ns/mnt; readlink /proc/self/ns/pid'
  [ "${lines[0]}" = husk ]
  [ "${lines[1]}" = "$(readlink /proc/$INIT_PID/ns/mnt)" ]
  [ "${lines[2]}" = "$(readlink /proc/$INIT_PID/ns/pid)" ]
  # the init is still waiting for start
  [ "$(husk state e1 | jq -r .status)" = created ]
  husk start e1
  [ "$(husk state e1 | jq -r .status)" = running ]
  run -0 husk exec e1 sh -c 'cat /proc/1/cmdline | tr "\0" " "'
  [ "$output" = "sleep 1000 " ]
}

@test "exec into a stopped container is refused" {
  update_config '.process.args = ["true"]'
  husk run -d --bundle "$BUNDLE" e1 </dev/null >/dev/null 3>&-
  for _ in $(seq 50); do [ "$(husk state e1 | jq -r .status)" = stopped ] && break; sleep 0.1; done
  run -255 --separate-stderr husk exec e1 true
  [[ $stderr == *'it is stopped, not created or running'* ]]
}

@test "exec into a missing container is an error" {
  run -255 --separate-stderr husk exec nope true
  [ "$stderr" = 'husk: container "nope" does not exist' ]
}

@test "exec without a command fails with the usage" {
  start_e1
  run -1 --separate-stderr husk exec e1
  [[ $stderr == *"a command is required"* ]]
  [[ $stderr == *"Usage: husk exec"* ]]
}

@test "exec --user with a bad value names the flag" {
  start_e1
  run -1 --separate-stderr husk exec -u root e1 true
  [[ $stderr == *'--user "root": must be UID[:GID]'* ]]
  run -1 --separate-stderr husk exec --cwd tmp e1 true
  [[ $stderr == *'--cwd "tmp": must be an absolute path'* ]]
}

@test "exec joins every cgroup of the init, named hierarchies included" {
  start_e1
  run -0 husk exec e1 cat /proc/self/cgroup
  [ "$output" = "$(cat /proc/$INIT_PID/cgroup)" ]
  [[ $output == *"husk"* ]]
}
