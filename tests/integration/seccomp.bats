#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# linux.seccomp in real containers: the filter is in place, denied syscalls
# fail with the configured errno, the ENOSYS rule, SCMP_ACT_NOTIFY answered
# by tests/helpers/seccomp-agent, and bad profiles fail cleanly.

load helpers

# Syscalls that the init (after loading the filter), busybox and the static
# syscall-probe need, for profiles that deny by default. All are older than
# the syscalls of the ENOSYS rule (424 and above).
ALLOW_LIST='["read","write","readv","writev","pread64","pwrite64","open","openat","close",
"stat","fstat","lstat","newfstatat","statx","statfs","fstatfs","lseek","poll","ppoll","select",
"pselect6","mmap","mprotect","munmap","mremap","madvise","brk","rt_sigaction","rt_sigprocmask",
"rt_sigreturn","rt_sigsuspend","sigaltstack","ioctl","access","faccessat","pipe","pipe2","dup",
"dup2","dup3","fcntl","flock","fsync","getdents","getdents64","getcwd","chdir","fchdir",
"readlink","readlinkat","getpid","getppid","gettid","getuid","geteuid","getgid","getegid",
"getresuid","getresgid","getgroups","setuid","setgid","setgroups","setresuid","setresgid",
"capget","capset","prctl","arch_prctl","set_tid_address","set_robust_list","get_robust_list",
"futex","rseq","getrandom","prlimit64","getrlimit","setrlimit","getrusage","sysinfo","times",
"uname","umask","clock_gettime","clock_getres","clock_nanosleep","nanosleep","gettimeofday",
"time","sched_yield","sched_getaffinity","clone","fork","vfork","execve","execveat","exit",
"exit_group","wait4","waitid","kill","tgkill","tkill","setsid","setpgid","getpgid","getpgrp",
"getsid","socket","connect","sendto","sendmsg","recvfrom","recvmsg","socketpair","shutdown",
"epoll_create1","epoll_ctl","epoll_wait","epoll_pwait","eventfd2","fadvise64","unlink",
"unlinkat","rename","renameat","chmod","fchmod","fchmodat","chown","fchown","fchownat",
"alarm","getitimer","setitimer","sync","sysinfo","mknod","mknodat"]'

setup() {
  setup_husk
  HELPERS=$(cd "$(dirname "$HUSK")/tests/helpers" 2>/dev/null && pwd) || true
  update_config '.process.terminal = false'
  cd "$BUNDLE"
}

teardown() {
  if [ -n "${AGENT_PID:-}" ]; then
    kill "$AGENT_PID" 2>/dev/null || true
    wait "$AGENT_PID" 2>/dev/null || true
  fi
  husk delete -f sc 2>/dev/null || true
  teardown_husk
}

# The helper programs, built by `make check`, inside the container at
# /dev/husk-helpers (the /dev tmpfs: the shared rootfs is not touched).
mount_helpers() {
  [ -x "$HELPERS/${1:-syscall-probe}" ] || skip "tests/helpers not built (make check builds them)"
  update_config --arg dir "$HELPERS" \
    '.mounts += [{"destination":"/dev/husk-helpers","type":"bind","source":$dir,"options":["bind","ro"]}]'
}

seccomp() {
  update_config ".linux.seccomp = $1"
}

# Start the agent on $TEST_DIR/agent.sock; --once: it exits when the
# container is gone.
start_agent() {
  [ -x "$HELPERS/seccomp-agent" ] || skip "tests/helpers/seccomp-agent not built (make check builds it)"
  "$HELPERS/seccomp-agent" --once --state "$TEST_DIR/agent.state" --log "$TEST_DIR/agent.log" \
    "$TEST_DIR/agent.sock" &
  AGENT_PID=$!
  local i
  for i in $(seq 100); do
    [ -S "$TEST_DIR/agent.sock" ] && return 0
    sleep 0.05
  done
  echo "the agent did not start" >&2
  return 1
}

@test "seccomp: the process runs under one filter (Seccomp: 2)" {
  seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}'
  update_config '.process.args = ["grep", "^Seccomp", "/proc/self/status"]'
  run -0 husk run sc
  [[ "$output" == *"Seccomp:	2"* ]]
  [[ "$output" == *"Seccomp_filters:	1"* ]]
}

@test "seccomp: without linux.seccomp there is no filter" {
  update_config 'del(.linux.seccomp) | .process.args = ["grep", "^Seccomp:", "/proc/self/status"]'
  run -0 husk run sc
  [[ "$output" == *"Seccomp:	0"* ]]
}

@test "seccomp: a denied syscall fails with EPERM, or with errnoRet" {
  seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
    {"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"},
    {"names":["rmdir"],"action":"SCMP_ACT_ERRNO","errnoRet":42}]}'
  update_config '.process.args = ["sh", "-c", "mkdir /dev/shm/d; rmdir /dev/shm; echo done"]'
  run -0 husk run sc
  [[ "$output" == *"can't create directory '/dev/shm/d': Operation not permitted"* ]]
  [[ "$output" == *"No message of desired type"* ]]   # strerror(42)
  [[ "$output" == *done* ]]
}

@test "seccomp: argument conditions: umask(0) matches SCMP_CMP_EQ 0" {
  seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["umask"],"action":"SCMP_ACT_ERRNO",
    "args":[{"index":0,"value":0,"op":"SCMP_CMP_EQ"}]}]}'
  mount_helpers
  # umask is 95 on x86_64
  [ "$(uname -m)" = x86_64 ] || skip "syscall numbers of x86_64"
  update_config '.process.args = ["/dev/husk-helpers/syscall-probe", "95"]'
  run -0 husk run sc
  [ "$output" = "95 errno 1" ]
}

@test "seccomp: the ENOSYS rule: syscalls newer than the profile return ENOSYS" {
  [ "$(uname -m)" = x86_64 ] || skip "syscall numbers of x86_64"
  mount_helpers
  seccomp "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":$ALLOW_LIST,\"action\":\"SCMP_ACT_ALLOW\"}]}"
  # clone3 435, openat2 437, fchmodat2 452, mseal 462; mkdir 83 is old and not named
  update_config '.process.args = ["/dev/husk-helpers/syscall-probe", "435", "437", "452", "462", "83"]'
  run -0 husk run sc
  [ "$output" = "435 errno 38
437 errno 38
452 errno 38
462 errno 38
83 errno 1" ]
}

@test "seccomp: the ENOSYS rule stops at the newest syscall the profile names; defaultErrnoRet" {
  [ "$(uname -m)" = x86_64 ] || skip "syscall numbers of x86_64"
  mount_helpers
  seccomp "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":13,\"syscalls\":[{\"names\":$ALLOW_LIST,\"action\":\"SCMP_ACT_ALLOW\"},
    {\"names\":[\"openat2\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":42}]}"
  update_config '.process.args = ["/dev/husk-helpers/syscall-probe", "435", "437", "452", "83"]'
  run -0 husk run sc
  [ "$output" = "435 errno 13
437 errno 42
452 errno 38
83 errno 13" ]
}

@test "seccomp: the ENOSYS rule covers every number above the profile's newest (syscall 1000)" {
  [ "$(uname -m)" = x86_64 ] || skip "syscall numbers of x86_64"
  mount_helpers
  seccomp "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":$ALLOW_LIST,\"action\":\"SCMP_ACT_ALLOW\"}]}"
  # 1000 and 600: no kernel has them, no table names them; mkdir 83 is old and not named
  update_config '.process.args = ["/dev/husk-helpers/syscall-probe", "1000", "600", "83"]'
  run -0 husk run sc
  [ "$output" = "1000 errno 38
600 errno 38
83 errno 1" ]
}

@test "seccomp: KILL_PROCESS kills the container process with SIGSYS" {
  seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_KILL_PROCESS"}]}'
  update_config '.process.args = ["mkdir", "/dev/shm/d"]'
  run husk run sc
  [ "$status" -eq $((128 + 31)) ]   # SIGSYS
}

@test "seccomp: the notify agent answers the container's mkdir" {
  start_agent
  seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TEST_DIR/agent.sock\",
    \"listenerMetadata\":\"mkdir=errno:42,mkdirat=errno:42,rmdir=ok\",
    \"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\",\"rmdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  update_config '.process.args = ["sh", "-c", "mkdir /dev/shm/d; rmdir /dev/shm/nonexistent && echo rmdir-ok"]'
  run -0 husk run sc
  [[ "$output" == *"can't create directory '/dev/shm/d': No message of desired type"* ]]
  [[ "$output" == *rmdir-ok* ]]
  wait "$AGENT_PID"   # --once: it exits when the container is gone
  AGENT_PID=
  run cat "$TEST_DIR/agent.log"
  [[ "$output" == *"mkdir"*"errno:42"* ]]
  [[ "$output" == *"rmdir ok"* ]]
  # the container process state of runtime-spec config-linux.md
  run jq -c '[.ociVersion, .fds, .metadata, .state.id, .state.status, (.pid == .state.pid)]' "$TEST_DIR/agent.state"
  [ "$output" = '["1.3.0",["seccompFd"],"mkdir=errno:42,mkdirat=errno:42,rmdir=ok","sc","creating",true]' ]
}

# runc's "important syscalls" case: the runtime itself still makes these
# after the filter is loaded (set the user, open the exec fifo, execve): the
# listener fd must reach the agent before any of them.
notify_runtime_syscalls() {
  start_agent
  seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TEST_DIR/agent.sock\",
    \"architectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_X86_64\"],
    \"syscalls\":[{\"names\":[\"execve\",\"openat\",\"open\",\"read\",\"close\",\"fstat\",\"newfstatat\",
      \"setresuid\",\"setresgid\",\"setgroups\",\"capset\",\"prctl\",\"getcwd\",\"recvmsg\"],
      \"action\":\"SCMP_ACT_NOTIFY\"}]}"
  update_config --argjson nnp "$1" '.process.noNewPrivileges = $nnp | .process.args = ["echo", "ran"]'
  run -0 timeout -k 5 60 "$HUSK" --root "$ROOT" run sc
  [ "$output" = ran ]
  wait "$AGENT_PID"
  AGENT_PID=
  run cat "$TEST_DIR/agent.log"
  [[ "$output" == *"execve continue"* ]]
  [[ "$output" == *"openat continue"* ]]
}

@test "seccomp: NOTIFY on the runtime's own syscalls (execve, openat, close, ...), noNewPrivileges false" {
  notify_runtime_syscalls false
}

@test "seccomp: NOTIFY on the runtime's own syscalls (execve, openat, close, ...), noNewPrivileges true" {
  notify_runtime_syscalls true
}

@test "seccomp: an agent that never answers the init's own syscalls: SIGTERM ends husk run, nothing is left" {
  start_agent
  # the agent holds every notified syscall for ten minutes
  seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TEST_DIR/agent.sock\",
    \"listenerMetadata\":\"openat=delay:600000,close=delay:600000,read=delay:600000,setresuid=delay:600000,capset=delay:600000,prctl=delay:600000\",
    \"syscalls\":[{\"names\":[\"openat\",\"close\",\"read\",\"setresuid\",\"capset\",\"prctl\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  update_config '.process.noNewPrivileges = false | .process.args = ["echo", "ran"]'
  local t0=$SECONDS
  run timeout -s TERM 3 "$HUSK" --root "$ROOT" run sc
  [ "$status" != 0 ]
  [[ $output != *ran* ]]
  # ended by the signal, not by the agent's ten minutes
  [ $((SECONDS - t0)) -lt 30 ]
  assert_root_empty
  [ -z "$(find /sys/fs/cgroup -maxdepth 3 -type d -path '*/husk/sc' 2>/dev/null)" ]
}

@test "seccomp: listenerPath: a plain agent gets the fd and the state in one recvmsg, and answers the runtime's syscalls too" {
  [ "$(uname -m)" = x86_64 ] || skip "syscall numbers of x86_64"
  local sock=$TEST_DIR/plain.sock
  # mkdir 83 and mkdirat 258 fail with 42; the rest continue
  "$BATS_TEST_DIRNAME/helpers/plain-agent.py" "$sock" "$TEST_DIR/plain.state" 42 83 258 &
  AGENT_PID=$!
  wait_for 5 test -S "$sock"
  seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$sock\",\"listenerMetadata\":\"plain\",
    \"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\",\"openat\",\"close\",\"execve\",\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  # noNewPrivileges false: the filter comes before the runtime's last steps
  update_config '.process.noNewPrivileges = false | .process.args = ["sh", "-c", "mkdir /dev/shm/d; echo rc=$?"]'
  run -0 timeout -k 5 60 "$HUSK" --root "$ROOT" run sc
  [[ "$output" == *"can't create directory '/dev/shm/d': No message of desired type"* ]]
  [[ "$output" == *"rc=1"* ]]
  wait "$AGENT_PID"
  AGENT_PID=
  # runtime-spec config-linux.md: the container process state, with the fd
  run -0 jq -c '[.received_fds, .ociVersion, .fds, .metadata, .state.id, .state.status, (.pid > 0), (.pid == .state.pid), .state.bundle]' "$TEST_DIR/plain.state"
  [ "$output" = "[1,\"1.3.0\",[\"seccompFd\"],\"plain\",\"sc\",\"creating\",true,true,\"$BUNDLE\"]" ]
}

@test "seccomp: NOTIFY with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" {
  start_agent
  seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TEST_DIR/agent.sock\",
    \"listenerMetadata\":\"mkdir=ok,mkdirat=ok\",\"flags\":[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],
    \"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  update_config '.process.args = ["sh", "-c", "mkdir /dev/shm/d && echo made; ls /dev/shm/d"]'
  run husk run sc
  # the agent said success without running it: the directory is not there
  [[ "$output" == *made* ]]
  [[ "$output" == *"/dev/shm/d: No such file or directory"* ]]
}

@test "seccomp: no agent at listenerPath: create fails and leaves nothing" {
  seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TEST_DIR/nobody.sock\",
    \"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  run -1 husk run sc
  [[ "$output" == *"seccomp listener \"$TEST_DIR/nobody.sock\": connect: No such file or directory"* ]]
  assert_root_empty
}

@test "seccomp: errnoRet on an action without errno is an error naming the field" {
  seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_LOG","errnoRet":1}]}'
  update_config '.process.args = ["true"]'
  run -1 husk run sc
  [[ "$output" == *"linux.seccomp.syscalls[0].errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"* ]]
  assert_root_empty
}

@test "seccomp: NOTIFY on write is refused" {
  seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TEST_DIR/agent.sock\",
    \"syscalls\":[{\"names\":[\"write\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  update_config '.process.args = ["true"]'
  run -1 husk run sc
  [[ "$output" == *'SCMP_ACT_NOTIFY cannot be used for "write"'* ]]
  assert_root_empty
}

@test "seccomp: unknown syscall names are skipped" {
  seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["no_such_syscall","mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":42}]}'
  update_config '.process.args = ["mkdir", "/dev/shm/d"]'
  run -1 husk run sc
  [[ "$output" == *"No message of desired type"* ]]
}

@test "seccomp: husk exec runs under the container's filter" {
  seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":42}]}'
  update_config '.process.args = ["sleep", "60"]'
  husk run -d sc </dev/null >/dev/null 2>&1
  run husk exec sc sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /dev/shm/d'
  [[ "$output" == *"Seccomp:	2"* ]]
  [[ "$output" == *"No message of desired type"* ]]
}
