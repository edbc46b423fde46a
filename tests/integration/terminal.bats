#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# process.terminal: `run` in the foreground on the caller's terminal (under
# script(1)), and the pty master sent to --console-socket.

load helpers

RECVTTY=$BATS_TEST_DIRNAME/helpers/recvtty.py

setup() {
  setup_husk
  update_config '.process.terminal = true'
  SOCK=$TEST_DIR/console.sock
}

teardown() { teardown_containers; }

# Run husk under script(1): a terminal for stdin/stdout; the container's
# output, without carriage returns, in $output.
run_on_tty() {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  local cmd
  cmd=$(printf '%q ' "$HUSK" --root "$ROOT" "$@")
  # stdin: a pipe that stays open (at EOF, script(1) would type an EOF
  # character into the terminal)
  run script -qec "$cmd" /dev/null < <(exec sleep 20 2>/dev/null 3>&-)
  kill $! 2>/dev/null || true
  output=$(tr -d '\r' <<<"$output")
  mapfile -t lines <<<"$output"
}

# start_recvtty [INPUT]: the console socket receiver, in the background;
# what the container writes to its terminal lands in $TEST_DIR/tty.out.
start_recvtty() {
  python3 -c 'import socket; socket.recv_fds' 2>/dev/null \
    || skip "needs python3 >= 3.9 (socket.recv_fds)"
  python3 "$RECVTTY" "$SOCK" "$TEST_DIR/tty.out" "$@" 3>&- &
  RECV_PID=$!
  track_pid $RECV_PID
  wait_for 5 test -S "$SOCK"
}

# The receiver has seen the container close its terminal.
recvtty_done() {
  local rc=0
  wait_for 10 pid_gone "$RECV_PID"
  wait "$RECV_PID" || rc=$?
  tty_out=$(tr -d '\r' <"$TEST_DIR/tty.out")
  echo "tty: $tty_out"
  return $rc
}

@test "run on the caller's terminal: output from inside, tty is /dev/pts/0, the exit status" {
  set_cmd 'tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-ttys; echo "hello from inside"; exit 7'
  run_on_tty run -b "$BUNDLE" t1
  echo "$output"
  [ "$status" -eq 7 ]
  [ "${lines[0]}" = /dev/pts/0 ]
  [ "${lines[1]}" = all-ttys ]
  [ "${lines[2]}" = "hello from inside" ]
  assert_root_empty
}

@test "run on the caller's terminal: the container's process leads a session on its pty" {
  set_cmd 'cut -d" " -f6,7 /proc/1/stat; stat -c "%t %T" "$(tty)"'
  run_on_tty run -b "$BUNDLE" t1
  echo "$output"
  [ "$status" -eq 0 ]
  # session id 1 (the shell), controlling terminal = the pty's device
  local major minor
  read -r major minor <<<"${lines[1]}"
  [ "${lines[0]}" = "1 $(( (0x$major << 8) | 0x$minor ))" ]
}

@test "run on the caller's terminal: the window size is the caller's" {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  set_args stty size
  local cmd
  cmd="stty rows 33 cols 111; $(printf '%q ' "$HUSK" --root "$ROOT" run -b "$BUNDLE" t1)"
  run script -qec "$cmd" /dev/null < <(exec sleep 20 2>/dev/null 3>&-)
  kill $! 2>/dev/null || true
  [ "$status" -eq 0 ]
  echo "[$output]"
  [ "$(tr -d '\r' <<<"$output")" = "33 111" ]
}

@test "run on the caller's terminal: a signal ends the container with 128+N" {
  set_cmd 'kill -KILL $$'
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  run_on_tty run -b "$BUNDLE" t1
  [ "$status" -eq 137 ]
  assert_root_empty
}

@test "--console-socket receives the pty master; consoleSize and /dev/console" {
  update_config '.process.consoleSize = {height: 31, width: 97}'
  set_cmd 'tty; stty size; [ "$(stat -c %t:%T /dev/console)" = "$(stat -c %t:%T "$(tty)")" ] && echo console-is-the-pty; echo done'
  start_recvtty
  run -0 husk_files create --console-socket "$SOCK" -b "$BUNDLE" t1
  husk start t1
  recvtty_done
  mapfile -t l <<<"$tty_out"
  [ "${l[0]}" = /dev/pts/0 ]
  [ "${l[1]}" = "31 97" ]
  [ "${l[2]}" = console-is-the-pty ]
  [ "${l[3]}" = done ]
  wait_status t1 stopped
  husk delete t1
  assert_root_empty
}

@test "--console-socket: input written to the master reaches the process" {
  set_cmd 'read -r line; echo "got:$line"'
  start_recvtty $'typed text\n'
  husk_files run -d --console-socket "$SOCK" -b "$BUNDLE" t1
  recvtty_done
  [[ $tty_out == *"got:typed text"* ]]
}

@test "--console-socket: the container's stdio is the pty, not husk's" {
  set_cmd 'for f in 0 1 2; do readlink /proc/self/fd/$f; done'
  start_recvtty
  husk run -d --console-socket "$SOCK" -b "$BUNDLE" t1 >"$TEST_DIR/husk.out" 2>&1
  recvtty_done
  [ -z "$(cat "$TEST_DIR/husk.out")" ]
  [ "$(tr '\n' ' ' <<<"$tty_out")" = "/dev/pts/0 /dev/pts/0 /dev/pts/0 " ]
}

@test "create with a terminal and no --console-socket is an error and makes nothing" {
  set_args sleep 7501
  run -1 --separate-stderr husk_files create -b "$BUNDLE" t1
  [[ $stderr == *console-socket* ]]
  assert_root_empty
  no_process "^sleep 7501$"
  # run -d too: nobody would hold the terminal
  run -1 --separate-stderr husk_files run -d -b "$BUNDLE" t2
  [[ $stderr == *console-socket* ]]
  assert_root_empty
}

@test "--console-socket without a terminal is an error and makes nothing" {
  update_config '.process.terminal = false'
  start_recvtty
  run -1 --separate-stderr husk_files create --console-socket "$SOCK" -b "$BUNDLE" t1
  [[ $stderr == *console-socket* ]]
  assert_root_empty
}

@test "--console-socket that nobody listens on fails and makes nothing" {
  set_args sleep 7502
  run -1 --separate-stderr husk_files create --console-socket "$TEST_DIR/nosuch.sock" -b "$BUNDLE" t1
  [[ $stderr == *"$TEST_DIR/nosuch.sock"* ]]
  assert_root_empty
  no_process "^sleep 7502$"
}

@test "run on the caller's terminal follows its window size changes" {
  cat >"$TEST_DIR/winch.py" <<'PY'
import fcntl, os, pty, select, struct, sys, termios, time

def setsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

pid, fd = pty.fork()
if pid == 0:
    setsize(0, 20, 60)
    os.execv(sys.argv[1], sys.argv[1:])
out = b""

def read_until(pat, timeout=10):
    global out
    end = time.time() + timeout
    while pat not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 1024)
            except OSError:
                return
            if not data:
                return
            out += data

read_until(b"ready")
setsize(fd, 42, 123)  # the kernel sends SIGWINCH to husk
time.sleep(0.5)
os.write(fd, b"\n")
read_until(b"end")
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
sys.exit(os.waitstatus_to_exitcode(st))
PY
  set_cmd 'stty size; echo ready; read x; stty size; echo end'
  run python3 "$TEST_DIR/winch.py" "$HUSK" --root "$ROOT" run -b "$BUNDLE" w1
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "20 60" ]
  [ "${lines[1]}" = ready ]
  [ "${lines[-2]}" = "42 123" ]
  [ "${lines[-1]}" = end ]
  assert_root_empty
}

@test "run on the caller's terminal restores its settings afterwards" {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  set_args true
  local cmd
  cmd="stty -g; $(printf '%q ' "$HUSK" --root "$ROOT" run -b "$BUNDLE" t1); stty -g"
  run script -qec "$cmd" /dev/null < <(exec sleep 20 2>/dev/null 3>&-)
  kill $! 2>/dev/null || true
  [ "$status" -eq 0 ]
  mapfile -t l < <(tr -d '\r' <<<"$output")
  [ "${#l[@]}" -eq 2 ]
  [ "${l[0]}" = "${l[1]}" ]
}

@test "the terminal belongs to the process's user (uid, group tty): run, create+start, exec -t" {
  update_config '.process.user = {uid: 1000, gid: 1000}'
  set_cmd 'stat -c %u:%g "$(readlink /proc/self/fd/0)"'
  # run on the caller's terminal
  run_on_tty run -b "$BUNDLE" t1
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1000:5 ]
  # create + start with the console socket
  start_recvtty
  run -0 husk_files create --console-socket "$SOCK" -b "$BUNDLE" t2
  husk start t2
  recvtty_done
  [ "$(head -1 <<<"$tty_out")" = 1000:5 ]
  wait_status t2 stopped
  husk delete t2
  # exec -t into a running container, as its user and as another
  set_args sleep 1000
  update_config '.process.terminal = false'
  husk run -d -b "$BUNDLE" t3 </dev/null >/dev/null 2>&1 3>&-
  run_on_tty exec -t t3 sh -c 'stat -c %u:%g "$(readlink /proc/self/fd/0)"'
  [ "${lines[0]}" = 1000:5 ]
  run_on_tty exec -t -u 1234:1234 t3 sh -c 'stat -c %u:%g "$(readlink /proc/self/fd/0)"'
  [ "${lines[0]}" = 1234:5 ]
}
