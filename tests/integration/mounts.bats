#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# config.json's mounts, each option family checked in the container's
# /proc/self/mountinfo; proc, sysfs, tmpfs (tmpcopyup), bind, cgroup,
# overlay; /proc's rules; masked and read-only paths; sysctl.

load helpers

setup() {
  setup_husk
  update_config '.process.terminal = false'
  cp "$BUNDLE/config.json" "$TEST_DIR/config.orig"
  HOST_MOUNTS_BEFORE=$(host_mounts)
}
teardown() {
  if [ -n "${TEST_DIR:-}" ]; then
    umount -R "$TEST_DIR/host" 2>/dev/null || true
    umount "$TEST_DIR/hostnet" 2>/dev/null || true
  fi
  teardown_husk
}

# The host's mounts that involve this test's directory or the shared
# rootfs (root, mount point, options): where a container's mount would show
# if it leaked. (Not the whole table: other test runs may share the machine.)
host_mounts() {
  awk '{print $4, $5, $6}' /proc/self/mountinfo | grep -F -e "$TEST_DIR" -e "$HUSK_TEST_CACHE" | sort || true
}

assert_host_untouched() {
  [ "$(host_mounts)" = "$HOST_MOUNTS_BEFORE" ]
  ! grep -F -- "$HUSK_TEST_CACHE" /proc/self/mountinfo
}

run_ctr() {
  update_config --argjson a "$(jq -nc '$ARGS.positional' --args -- "$@")" '.process.args = $a'
  run husk run -b "$BUNDLE" "ctr-$BATS_TEST_NUMBER"
  echo "$output"
}

# back to the config of setup
fresh_config() {
  cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
}

# add_mount JSON: append one mount to config.json
add_mount() {
  update_config --argjson m "$1" '.mounts += [$m]'
}

own_rootfs() {
  rm -f "$BUNDLE/rootfs"
  cp -a "$(husk_rootfs)" "$BUNDLE/rootfs"
}

# fields of the mountinfo line of mount point $1 in $output:
# "OPTIONS OPTIONAL-FIELDS - FSTYPE SOURCE SUPER"
mi() {
  awk -v mp="$1" '$5 == mp { s = ""; for (i = 6; i <= NF; i++) s = s " " $i; print substr(s, 2) }' <<<"$output" | tail -1
}

# refused JSON-FILTER MESSAGE: husk run fails with exactly "husk: MESSAGE",
# exit 1, nothing left behind.
refused() {
  update_config "$1"
  run -1 --separate-stderr husk run -b "$BUNDLE" ctr
  echo "stderr: $stderr"
  [ -z "$output" ]
  [ "$stderr" = "husk: $2" ]
  assert_root_empty
  assert_host_untouched
}

@test "flag options: ro, nosuid, nodev, noexec, noatime, and their opposites" {
  own_rootfs
  add_mount '{"destination": "/m1", "type": "tmpfs", "source": "tmpfs", "options": ["ro", "nosuid", "nodev", "noexec", "noatime"]}'
  add_mount '{"destination": "/m2", "type": "tmpfs", "source": "tmpfs", "options": ["ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec", "strictatime"]}'
  add_mount '{"destination": "/m3", "type": "tmpfs", "source": "tmpfs", "options": ["sync", "dirsync", "relatime", "nodiratime"]}'
  run_ctr cat /proc/self/mountinfo
  [ "$status" -eq 0 ]
  [[ $(mi /m1) == "ro,nosuid,nodev,noexec,noatime "* ]]
  [[ $(mi /m2) == "rw "* ]]
  # sync and dirsync are per superblock: they show in the super options
  [[ $(mi /m3) == "rw,nodiratime,relatime - tmpfs tmpfs rw,sync,dirsync"* ]]
  assert_host_untouched
}

@test "data options: tmpfs mode and size, devpts newinstance and ptmxmode" {
  own_rootfs
  add_mount '{"destination": "/data", "type": "tmpfs", "source": "mytmp", "options": ["mode=1750", "size=1m", "uid=5", "gid=6"]}'
  run_ctr sh -c 'cat /proc/self/mountinfo; stat -c "%a %u %g" /data'
  [ "$status" -eq 0 ]
  [[ $(mi /data) == *"- tmpfs mytmp rw,size=1024k,mode=1750,uid=5,gid=6"* ]]
  [[ $output == *"1750 5 6"* ]]
  [[ $(mi /dev/pts) == *"- devpts devpts rw,gid=5,mode=620,ptmxmode=666"* ]]
}

@test "propagation options: private, shared, slave, unbindable" {
  own_rootfs
  mkdir -p "$TEST_DIR/host"
  mount --bind "$TEST_DIR/host" "$TEST_DIR/host"
  mount --make-shared "$TEST_DIR/host"
  HOST_MOUNTS_BEFORE=$(host_mounts)
  local p
  for p in shared private slave unbindable rshared rprivate rslave runbindable; do
    add_mount "{\"destination\": \"/p-$p\", \"type\": \"bind\", \"source\": \"$TEST_DIR/host\", \"options\": [\"rbind\", \"$p\"]}"
  done
  add_mount '{"destination": "/t-shared", "type": "tmpfs", "source": "tmpfs", "options": ["shared"]}'
  run_ctr cat /proc/self/mountinfo
  [ "$status" -eq 0 ]
  [[ $(mi /p-shared) == *" shared:"*" - "* ]]
  [[ $(mi /p-rshared) == *" shared:"*" - "* ]]
  [[ $(mi /p-slave) == *" master:"*" - "* ]]
  ! [[ $(mi /p-slave) == *" shared:"* ]]
  local no_tags='^[^ ]+ - '
  [[ $(mi /p-private) =~ $no_tags ]]
  [[ $(mi /p-rprivate) =~ $no_tags ]]
  [[ $(mi /p-unbindable) == *" unbindable - "* ]]
  [[ $(mi /p-runbindable) == *" unbindable - "* ]]
  [[ $(mi /t-shared) == *" shared:"*" - "* ]]
  # the default: a slave of the host's shared mount, nothing goes back
  add_mount "{\"destination\": \"/p-default\", \"type\": \"bind\", \"source\": \"$TEST_DIR/host\", \"options\": [\"rbind\"]}"
  run_ctr cat /proc/self/mountinfo
  [[ $(mi /p-default) == *" master:"*" - "* ]]
  ! [[ $(mi /p-default) == *" shared:"* ]]
  assert_host_untouched
}

@test "bind mounts: directory, file, relative source, ro is applied by a remount" {
  own_rootfs
  mkdir -p "$TEST_DIR/d" "$BUNDLE/rel"
  echo filedata >"$TEST_DIR/f"
  echo reldata >"$BUNDLE/rel/x"
  add_mount "{\"destination\": \"/mnt/d\", \"type\": \"bind\", \"source\": \"$TEST_DIR/d\", \"options\": [\"bind\"]}"
  add_mount "{\"destination\": \"/mnt/ro\", \"source\": \"$TEST_DIR/d\", \"options\": [\"bind\", \"ro\", \"nosuid\"]}"
  add_mount "{\"destination\": \"/etc/f\", \"type\": \"none\", \"source\": \"$TEST_DIR/f\", \"options\": [\"rbind\", \"ro\"]}"
  add_mount '{"destination": "/rel", "type": "bind", "source": "rel", "options": ["bind"]}'
  run_ctr sh -c 'echo written >/mnt/d/new; echo x >/mnt/ro/new2; echo ro=$?; cat /etc/f /rel/x; [ -f /etc/f ] && echo isfile; cat /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [ "$(cat "$TEST_DIR/d/new")" = written ]
  [ ! -e "$TEST_DIR/d/new2" ]
  [[ $output == *"ro=1"* ]]
  [[ $output == *filedata*reldata*isfile* ]]
  [[ $(mi /mnt/ro) == "ro,nosuid"* ]]
  [[ $(mi /etc/f) == "ro"* ]]
  [[ $(mi /mnt/d) == "rw"* ]]
  [ ! -e "$(husk_rootfs)/etc/f" ] || [ -f "$(husk_rootfs)/etc/f" ]
  assert_host_untouched
}

@test "bind and rbind of a tree with a submount; rro makes it read-only throughout" {
  own_rootfs
  mkdir -p "$TEST_DIR/host/sub"
  mount --bind "$TEST_DIR/host" "$TEST_DIR/host"
  mount -t tmpfs tmpfs "$TEST_DIR/host/sub"
  HOST_MOUNTS_BEFORE=$(host_mounts)
  add_mount "{\"destination\": \"/b\", \"source\": \"$TEST_DIR/host\", \"options\": [\"bind\"]}"
  add_mount "{\"destination\": \"/rb\", \"source\": \"$TEST_DIR/host\", \"options\": [\"rbind\"]}"
  add_mount "{\"destination\": \"/rro\", \"source\": \"$TEST_DIR/host\", \"options\": [\"rbind\", \"rro\", \"rnosuid\", \"rnoatime\"]}"
  run_ctr sh -c 'cat /proc/self/mountinfo; touch /rro/sub/x; echo touch=$?'
  [ "$status" -eq 0 ]
  [ -z "$(mi /b/sub)" ]
  [[ $(mi /rb/sub) == "rw,"*"- tmpfs"* ]]
  [[ $(mi /rro) == "ro,nosuid,noatime"* ]]
  [[ $(mi /rro/sub) == "ro,nosuid,noatime"* ]]
  [[ $output == *"touch=1"* ]]
  assert_host_untouched
}

@test "a relative destination is taken from /, with .. kept inside" {
  own_rootfs
  add_mount '{"destination": "rel/dir", "type": "tmpfs", "source": "reltmp"}'
  add_mount '{"destination": "../../up", "type": "tmpfs", "source": "uptmp"}'
  run_ctr cat /proc/self/mountinfo
  [ "$status" -eq 0 ]
  [[ $(mi /rel/dir) == *"- tmpfs reltmp "* ]]
  [[ $(mi /up) == *"- tmpfs uptmp "* ]]
  [ -d "$BUNDLE/rootfs/rel/dir" ] && [ -d "$BUNDLE/rootfs/up" ]
  assert_host_untouched
}

@test "a tmpfs over an existing directory takes its mode; ro is a remount, as runc" {
  own_rootfs
  mkdir -m 0710 "$BUNDLE/rootfs/existing"
  add_mount '{"destination": "/existing", "type": "tmpfs", "source": "tmpfs", "options": ["mode=755"]}'
  add_mount '{"destination": "/fresh", "type": "tmpfs", "source": "tmpfs", "options": ["mode=700", "ro"]}'
  add_mount '{"destination": "/fresh/sub", "type": "tmpfs", "source": "tmpfs"}'
  run_ctr sh -c 'stat -c "%n %a" /existing /fresh; cat /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "/existing 710" ]
  [ "${lines[1]}" = "/fresh 700" ]
  # made read-only after /fresh/sub was created in it
  [[ $(mi /fresh) == "ro,"*"- tmpfs tmpfs rw,mode=700"* ]]
  [[ $(mi /fresh/sub) == "rw,"*"- tmpfs "* ]]
}

@test "tmpcopyup: the tmpfs starts with what the directory held" {
  own_rootfs
  mkdir -p "$BUNDLE/rootfs/data/sub"
  echo hello >"$BUNDLE/rootfs/data/sub/file"
  ln -s sub/file "$BUNDLE/rootfs/data/link"
  chmod 0710 "$BUNDLE/rootfs/data"
  chown 7:8 "$BUNDLE/rootfs/data/sub/file"
  add_mount '{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "ro"]}'
  run_ctr sh -c 'cat /data/link; stat -c "%a %u %g" /data /data/sub/file; cat /proc/self/mountinfo; echo x >/data/new; echo w=$?'
  [ "$status" -eq 0 ]
  [[ $output == hello* ]]
  [[ $output == *"710 0 0"* ]]
  [[ $output == *"644 7 8"* ]] || [[ $output == *" 7 8"* ]]
  [[ $(mi /data) == "ro,"*"- tmpfs"* ]]
  [[ $output == *"w=1"* ]]
  [ ! -e "$BUNDLE/rootfs/data/new" ]
}

@test "proc, sysfs, mqueue, devpts, shm of the default config" {
  run_ctr cat /proc/self/mountinfo
  [ "$status" -eq 0 ]
  [[ $(mi /proc) == "rw,"*"- proc proc rw"* ]]
  [[ $(mi /sys) == "ro,nosuid,nodev,noexec"*"- sysfs sysfs ro"* ]]
  [[ $(mi /dev/mqueue) == "rw,nosuid,nodev,noexec"*"- mqueue mqueue"* ]]
  [[ $(mi /dev/pts) == *"- devpts devpts"* ]]
  [[ $(mi /dev/shm) == *"- tmpfs shm rw,size=65536k"* ]]
  [[ $(mi /dev) == "rw,nosuid"*"- tmpfs tmpfs rw,size=65536k,mode=755"* ]]
}

@test "a read-only /dev still gets its devices" {
  update_config '(.mounts[] | select(.destination == "/dev") | .options) += ["ro"]'
  run_ctr sh -c 'cat /proc/self/mountinfo; ls /dev; echo > /dev/null && echo null-ok'
  [ "$status" -eq 0 ]
  [[ $(mi /dev) == "ro,nosuid"* ]]
  [[ $output == *null-ok* ]]
  [[ $output == *urandom* ]]
}

@test "cgroup: one read-only mount per v1 hierarchy, or cgroup2" {
  run_ctr sh -c 'cat /proc/self/mountinfo; ls /sys/fs/cgroup; mkdir /sys/fs/cgroup/x; echo mkdir=$?'
  [ "$status" -eq 0 ]
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    [[ $(mi /sys/fs/cgroup) == "ro,"*"- cgroup2 "* ]]
  else
    local h base
    for h in $(awk '$9 == "cgroup" {print $5}' /proc/self/mountinfo); do
      base=${h##*/}
      [[ $(mi "/sys/fs/cgroup/$base") == "ro,nosuid,nodev,noexec"*"- cgroup "* ]]
    done
    [[ $(mi /sys/fs/cgroup) == "ro,nosuid,nodev,noexec"*"- tmpfs "* ]]
  fi
  [[ $output == *"mkdir=1"* ]]
}

@test "cgroup with rw and with a cgroup namespace" {
  [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] || skip "the host runs cgroup v2 only"
  update_config '(.mounts[] | select(.type == "cgroup") | .options) |= map(select(. != "ro")) + ["rw"]
    | .linux.namespaces += [{"type": "cgroup"}]'
  run_ctr cat /proc/self/mountinfo
  [ "$status" -eq 0 ]
  [[ $(mi /sys/fs/cgroup/memory) == "rw,nosuid,nodev,noexec"*"- cgroup cgroup rw,memory"* ]]
  # with a cgroup namespace the container's cgroup is the root
  [ "$(awk '$5 == "/sys/fs/cgroup/memory" {print $4}' <<<"$output")" = / ]
}

@test "overlay: lower, upper and work directories" {
  own_rootfs
  mkdir -p "$TEST_DIR/lower" "$TEST_DIR/upper" "$TEST_DIR/work"
  echo low >"$TEST_DIR/lower/l"
  add_mount "{\"destination\": \"/ov\", \"type\": \"overlay\", \"source\": \"overlay\", \"options\": [\"lowerdir=$TEST_DIR/lower\", \"upperdir=$TEST_DIR/upper\", \"workdir=$TEST_DIR/work\"]}"
  run_ctr sh -c 'cat /ov/l && echo up >/ov/u && grep " /ov " /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [[ $output == low* ]]
  [[ $output == *"- overlay overlay"* ]]
  [ "$(cat "$TEST_DIR/upper/u")" = up ]
  assert_host_untouched
}

@test "/proc takes only procfs; under /proc only the lxcfs files" {
  own_rootfs
  refused '.mounts += [{"destination": "/proc", "type": "tmpfs", "source": "tmpfs"}]' \
    'mount on "/proc": only proc or a bind mount of proc may be mounted there'
  fresh_config
  refused '.mounts += [{"destination": "/proc/foo", "type": "tmpfs", "source": "tmpfs"}]' \
    'mount on "/proc/foo": "/proc/foo" is inside /proc, where only procfs may be mounted'
  fresh_config
  refused '.mounts += [{"destination": "/sys", "type": "tmpfs", "source": "tmpfs"}]' \
    'mount on "/sys": only sysfs or a bind mount of sysfs may be mounted there'
  echo "up 1 2" >"$TEST_DIR/uptime"
  fresh_config
  update_config --arg s "$TEST_DIR/uptime" '.mounts += [{"destination": "/proc/uptime", "source": $s, "options": ["bind"]}]'
  run_ctr cat /proc/uptime
  [ "$status" -eq 0 ]
  [ "$output" = "up 1 2" ]
}

@test "bad mounts: a missing bind source, no type, an idmapped mount that is not a bind" {
  own_rootfs
  refused '.mounts += [{"destination": "/x", "source": "/nonexistent/src", "options": ["bind"]}]' \
    'bind mount source "/nonexistent/src": No such file or directory'
  fresh_config
  refused '.mounts += [{"destination": "/x", "source": "foo"}]' \
    'mount on "/x": type is required for a mount that is not a bind mount'
  fresh_config
  refused '.mounts += [{"destination": "/x", "type": "nosuchfs", "source": "foo"}]' \
    'mount "foo" on "/x": No such device'
  fresh_config
  refused '.mounts += [{"destination": "/../", "type": "tmpfs", "source": "tmpfs"}]' \
    'mounts[7].destination: "/../" would cover the rootfs'
  fresh_config
  refused '.mounts += [{"destination": "/x", "type": "tmpfs", "source": "tmpfs",
      "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 10}],
      "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 10}]}]' \
    'mounts[7]: an idmapped mount must be a bind mount'
}

@test "maskedPaths: files show /dev/null, directories an empty read-only tmpfs, missing ones are skipped" {
  own_rootfs
  mkdir -p "$BUNDLE/rootfs/secret"
  echo s >"$BUNDLE/rootfs/secret/s"
  echo f >"$BUNDLE/rootfs/secretfile"
  update_config '.root.readonly = false | .linux.maskedPaths += ["/secret", "/secretfile", "/does/not/exist"]'
  run_ctr sh -c 'ls -A /secret; echo "[$(cat /secretfile)]"; cat /proc/keys | wc -c; touch /secret/x; echo t=$?; cat /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [[ $output == "[]"* ]]
  [[ $output == *"t=1"* ]]
  [[ $(mi /secret) == "ro,"*"- tmpfs "* ]]
  [[ $(mi /secretfile) == *"- tmpfs tmpfs"* || $(mi /secretfile) == *"- devtmpfs"* ]]
  [ ! -e "$BUNDLE/rootfs/does" ]
}

@test "maskedPaths refuse a /dev/null that is not the null device" {
  own_rootfs
  update_config '.mounts |= map(select(.destination != "/dev")) | .root.readonly = false'
  rm -rf "$BUNDLE/rootfs/dev"
  mkdir -p "$BUNDLE/rootfs/dev"
  # /dev/null already exists as a plain file: husk keeps it and masking refuses it
  echo fake >"$BUNDLE/rootfs/dev/null"
  run -1 --separate-stderr husk run -b "$BUNDLE" ctr
  echo "$stderr"
  [[ $stderr == *'maskedPaths: "/dev/null" in the container is not the null device (1:3)'* ]]
  assert_root_empty
  assert_host_untouched
}

@test "readonlyPaths: read-only, flags kept, missing ones skipped" {
  own_rootfs
  mkdir -p "$BUNDLE/rootfs/rodir"
  update_config '.root.readonly = false | .linux.readonlyPaths += ["/rodir", "/no/such/path"]'
  run_ctr sh -c 'touch /rodir/x; echo t=$?; echo 1 >/proc/sys/kernel/ns_last_pid; echo s=$?; cat /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [[ $output == *"t=1"* ]]
  [[ $output == *"s=1"* ]]
  [[ $(mi /rodir) == "ro,"* ]]
  [[ $(mi /proc/sys) == "ro,"*"- proc proc"* ]]
  [ ! -e "$BUNDLE/rootfs/no" ]
}

@test "sysctl: written in the container's namespaces" {
  update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel/shmmax": "123456", "kernel.domainname": "example"}'
  run_ctr sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/sys/kernel/domainname'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1 ]
  [ "${lines[1]}" = 123456 ]
  [ "${lines[2]}" = example ]
  [ "$(cat /proc/sys/kernel/domainname)" != example ]
}

@test "sysctl: net.* in a network namespace joined by path" {
  command -v ip >/dev/null || skip "ip (iproute2) is not installed"
  local ns=husk-sysctl-$$
  ip netns add "$ns"
  update_config --arg p "/run/netns/$ns" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)
    | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
  run_ctr cat /proc/sys/net/ipv4/ip_forward
  local st=$status out=$output
  ip netns exec "$ns" cat /proc/sys/net/ipv4/ip_forward >"$TEST_DIR/fw"
  ip netns delete "$ns"
  [ "$st" -eq 0 ]
  [ "$out" = 1 ]
  [ "$(cat "$TEST_DIR/fw")" = 1 ]
}

@test "sysctl outside the container's namespaces is refused, naming the key" {
  refused '.linux.sysctl = {"kernel.pid_max": "100000"}' \
    'linux.sysctl: "kernel.pid_max" is not in a separate kernel namespace'
  fresh_config
  refused '.linux.namespaces |= map(select(.type != "network")) | .linux.sysctl = {"net.ipv4.ip_forward": "1"}' \
    'linux.sysctl: "net.ipv4.ip_forward" is not allowed in the host'"'"'s network namespace'
  # the runtime's network namespace joined by path
  fresh_config
  touch "$TEST_DIR/hostnet"
  mount --bind "/proc/$$/ns/net" "$TEST_DIR/hostnet"
  HOST_MOUNTS_BEFORE=$(host_mounts)
  refused '.linux.namespaces |= map(if .type == "network" then .path = "'"$TEST_DIR/hostnet"'" else . end)
      | .linux.sysctl = {"net.ipv4.ip_forward": "1"}' \
    'linux.sysctl: "net.ipv4.ip_forward" is not allowed in the host'"'"'s network namespace'
  umount "$TEST_DIR/hostnet"
  HOST_MOUNTS_BEFORE=$(host_mounts)
  fresh_config
  refused '.linux.namespaces |= map(select(.type != "ipc")) | .linux.sysctl = {"kernel.shmmax": "1"}' \
    'linux.sysctl: "kernel.shmmax" is not allowed without an ipc namespace of the container'"'"'s own'
  fresh_config
  refused '.linux.sysctl = {"net.ipv4.no_such_thing": "1"}' \
    'linux.sysctl: "net.ipv4.no_such_thing": open "/proc/sys/net/ipv4/no_such_thing": No such file or directory'
}

@test "masked and read-only paths work in a container without /proc" {
  update_config '.mounts |= map(select(.destination != "/proc"))
    | .linux.maskedPaths = ["/etc/passwd", "/proc/kcore"] | .linux.readonlyPaths = ["/etc", "/proc/sys"]'
  run_ctr sh -c 'echo "[$(cat /etc/passwd)]"; touch /etc/x; echo t=$?; ls /proc | wc -l'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "[]" ]
  [[ $output == *"t=1"* ]]
  [ "${lines[-1]}" = 0 ]
  assert_host_untouched
}

@test "user namespace without its own network and ipc namespaces: sysfs and mqueue are binds" {
  # the fallback binds the host's /dev/mqueue, which systemd mounts on a
  # normal host; a machine without it gets one as systemd would make it
  if ! mountpoint -q /dev/mqueue; then
    mkdir -p /dev/mqueue
    mount -t mqueue -o nosuid,nodev,noexec mqueue /dev/mqueue
  fi
  own_rootfs
  chown -R 100000:100000 "$BUNDLE/rootfs"
  chmod 755 "$TEST_DIR" "$BUNDLE"
  update_config '.linux.namespaces |= map(select(.type != "network" and .type != "ipc")) + [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
  run_ctr sh -c 'cat /proc/self/mountinfo; touch /sys/x; echo t=$?'
  [ "$status" -eq 0 ]
  # bind of the host's /sys (root "/", the host's sysfs), read-only
  [[ $(mi /sys) == "ro,nosuid,nodev,noexec"*"- sysfs "* ]]
  [[ $(mi /dev/mqueue) == "rw,nosuid,nodev,noexec"* ]]
  [[ $(mi /sys/fs/cgroup) == "ro,nosuid,nodev,noexec"*"- tmpfs "* ]]
  [[ $output == *"t=1"* ]]
  assert_host_untouched
}

@test "user namespace: bind sources under a directory the container's root cannot traverse (cloned on the host)" {
  own_rootfs
  chown -R 100000:100000 "$BUNDLE/rootfs"
  chmod 755 "$TEST_DIR" "$BUNDLE"
  mkdir -p "$TEST_DIR/secret/sub"
  echo hidden >"$TEST_DIR/secret/sub/data"
  echo single >"$TEST_DIR/secret/file"
  chmod 700 "$TEST_DIR/secret"
  update_config --arg d "$TEST_DIR/secret" '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .mounts += [{"destination": "/mnt/sub", "type": "bind", "source": ($d + "/sub"), "options": ["rbind", "ro"]},
                  {"destination": "/mnt/file", "type": "bind", "source": ($d + "/file"), "options": ["bind"]}]'
  run_ctr sh -c 'cat /mnt/sub/data /mnt/file; touch /mnt/sub/x; echo t=$?'
  [ "$status" -eq 0 ]
  [[ $output == *hidden*single* ]]
  [[ $output == *"t=1"* ]]
  [ ! -e "$TEST_DIR/secret/sub/x" ]
  assert_host_untouched
}
