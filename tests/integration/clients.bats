#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# husk as the runtime of real clients: Podman, containerd (ctr) and Docker,
# each started here on its own sockets and directories and stopped by its
# pid. The image is the test busybox rootfs, imported with podman.

load helpers

setup_file() {
  export CLIENTS=$(mktemp -d /tmp/husk-clients.XXXXXX)
  export PODMAN_OPTS="--root $CLIENTS/podman/root --runroot $CLIENTS/podman/run --cgroup-manager cgroupfs --events-backend file"
  export RUN_OPTS="--network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
  if command -v podman >/dev/null; then
    tar -C "$(husk_rootfs)" -c . | podman $PODMAN_OPTS import - localhost/husk-busybox:test >/dev/null
    podman $PODMAN_OPTS save localhost/husk-busybox:test -o "$CLIENTS/image.tar" >/dev/null 2>&1
  fi
}

teardown_file() {
  local p
  for p in "$CLIENTS"/*.pid; do
    [ -f "$p" ] || continue
    kill "$(cat "$p")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$p")" 2>/dev/null || break; sleep 0.1; done
  done
  if command -v podman >/dev/null; then
    podman $PODMAN_OPTS rm -af >/dev/null 2>&1 || true
    podman $PODMAN_OPTS system reset -f >/dev/null 2>&1 || true
  fi
  grep -o " $CLIENTS[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$CLIENTS"
}

need() {
  command -v "$1" >/dev/null || skip "$1 is not installed (Debian package $2)"
}

podman_() { podman $PODMAN_OPTS --runtime "$HUSK" "$@"; }

@test "podman run: output, exit status, confinement" {
  need podman podman
  run -0 podman_ run --rm $RUN_OPTS localhost/husk-busybox:test \
    sh -c 'echo hello from podman; id -u; grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
  [ "${lines[0]}" = "hello from podman" ]
  [ "${lines[1]}" = 0 ]
  [[ ${lines[3]} == Seccomp:*2 ]]
  run -7 podman_ run --rm $RUN_OPTS localhost/husk-busybox:test sh -c 'exit 7'
}

@test "podman: detached container, exec, exec -it, stop, rm" {
  need podman podman
  run -0 podman_ run -d --name p1 $RUN_OPTS localhost/husk-busybox:test sleep 1000
  run -0 podman_ exec p1 sh -c 'echo in-p1; cat /proc/1/cmdline | tr "\0" " "'
  [ "${lines[0]}" = in-p1 ]
  [ "${lines[1]}" = "sleep 1000 " ]
  run -5 podman_ exec p1 sh -c 'exit 5'
  run -3 script -qec "podman $PODMAN_OPTS --runtime $HUSK exec -it p1 sh -c 'tty; exit 3'" /dev/null
  [[ $output == *"/dev/pts/"* ]]
  run -0 podman_ stop -t 1 p1
  run -0 podman_ inspect -f '{{.State.Status}}' p1
  [ "$output" = exited ]
  run -0 podman_ rm p1
}

@test "podman run -it through conmon's console socket" {
  need podman podman
  # (the short sleep: a process that prints and exits at once can lose its
  # output between conmon and podman's attach under load, with runc too)
  run -4 script -qec "podman $PODMAN_OPTS --runtime $HUSK run --rm -it $RUN_OPTS localhost/husk-busybox:test sh -c 'tty; sleep 0.3; exit 4'" /dev/null
  [[ $output == *"/dev/pts/0"* ]]
}

start_containerd() {
  [ -S "$CLIENTS/containerd.sock" ] && return 0
  containerd --root "$CLIENTS/containerd/root" --state "$CLIENTS/containerd/state" \
    --address "$CLIENTS/containerd.sock" >"$CLIENTS/containerd.log" 2>&1 3>&- &
  echo $! >"$CLIENTS/containerd.pid"
  for _ in $(seq 100); do [ -S "$CLIENTS/containerd.sock" ] && break; sleep 0.1; done
  [ -S "$CLIENTS/containerd.sock" ]
  ctr --address "$CLIENTS/containerd.sock" images import "$CLIENTS/image.tar" >/dev/null
}

ctr_() { ctr --address "$CLIENTS/containerd.sock" "$@"; }

@test "containerd (ctr): run, exec, kill, delete" {
  need podman podman
  need containerd containerd
  start_containerd
  run -0 ctr_ run --rm --runc-binary "$HUSK" localhost/husk-busybox:test t1 \
    sh -c 'echo hello from containerd; hostname'
  [ "${lines[0]}" = "hello from containerd" ]
  ctr_ run -d --runc-binary "$HUSK" localhost/husk-busybox:test t2 sleep 1000 </dev/null >/dev/null 2>&1 3>&-
  run -0 ctr_ tasks exec --exec-id x1 t2 sh -c 'echo exec-in-t2'
  [ "$output" = exec-in-t2 ]
  run -0 ctr_ tasks ls
  [[ $output == *"t2"*RUNNING* ]]
  ctr_ tasks kill -s KILL t2
  for _ in $(seq 50); do ctr_ tasks ls | grep -q 't2.*STOPPED' && break; sleep 0.1; done
  run -0 ctr_ tasks ls
  [[ $output == *"t2"*STOPPED* ]]
  ctr_ tasks delete t2 || true
  ctr_ containers rm t2
}

start_dockerd() {
  [ -S "$CLIENTS/docker.sock" ] && return 0
  mkdir -p "$CLIENTS/docker"
  dockerd --data-root "$CLIENTS/docker/data" --exec-root "$CLIENTS/docker/exec" \
    -H "unix://$CLIENTS/docker.sock" --pidfile "$CLIENTS/docker/dockerd.pid" \
    --iptables=false --ip6tables=false --bridge=none --add-runtime "husk=$HUSK" \
    >"$CLIENTS/dockerd.log" 2>&1 3>&- &
  echo $! >"$CLIENTS/dockerd.pid"
  for _ in $(seq 300); do docker -H "unix://$CLIENTS/docker.sock" info >/dev/null 2>&1 && break; sleep 0.1; done
  docker -H "unix://$CLIENTS/docker.sock" load -i "$CLIENTS/image.tar" >/dev/null
}

docker_() { docker -H "unix://$CLIENTS/docker.sock" "$@"; }

@test "docker: run, exec, stop, rm with --runtime husk" {
  need podman podman
  need dockerd docker.io
  start_dockerd
  run -0 docker_ run --rm --runtime husk --network none localhost/husk-busybox:test \
    sh -c 'echo hello from docker; grep ^Seccomp: /proc/self/status'
  [ "${lines[0]}" = "hello from docker" ]
  [[ ${lines[1]} == Seccomp:*2 ]]
  run -0 docker_ run -d --name d1 --runtime husk --network none localhost/husk-busybox:test sleep 1000
  run -0 docker_ exec d1 sh -c 'echo exec-in-d1'
  [ "$output" = exec-in-d1 ]
  run -6 docker_ exec d1 sh -c 'exit 6'
  run -0 docker_ inspect -f '{{.HostConfig.Runtime}}' d1
  [ "$output" = husk ]
  run -0 docker_ rm -f d1
}
