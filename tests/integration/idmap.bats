#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Idmapped bind mounts (config.md: mounts[].uidMappings/gidMappings, the
# "idmap" and "ridmap" options): made by husk as root on the host with
# open_tree + mount_setattr(MOUNT_ATTR_IDMAP) + move_mount. A file whose
# on-disk owner is a map's containerID is seen as its hostID; nothing
# changes on the disk.

load helpers

setup() {
  setup_container
  SRC=$TEST_DIR/src
  mkdir -p "$SRC/sub"
  echo zero >"$SRC/by0"
  echo thousand >"$SRC/by1000"
  chown 0:0 "$SRC/by0"
  chown 1000:1000 "$SRC/by1000"
  chmod 777 "$SRC"
  [ "$(husk features | jq -r '.linux.mountExtensions.idmap.enabled')" = true ] \
    || skip "the kernel has no mount_setattr (idmapped mounts need Linux 5.12)"
}

teardown() {
  teardown_containers
}

idmapped_ok() {
  # the file system of the source must support idmapped mounts
  if [[ $output == *"may not support idmapped mounts"* ]]; then
    skip "the file system of $SRC does not support idmapped mounts"
  fi
}

@test "idmapped bind mount: on-disk owners appear mapped inside, the host's files are unchanged" {
  update_config --arg s "$SRC" '.mounts += [{destination: "/mnt", type: "bind", source: $s, options: ["bind"],
      uidMappings: [{containerID: 0, hostID: 2000, size: 1001}],
      gidMappings: [{containerID: 0, hostID: 3000, size: 1001}]}]'
  set_cmd 'stat -c "%n %u:%g" /mnt/by0 /mnt/by1000'
  run husk run -b "$BUNDLE" idm1
  idmapped_ok
  [ "$status" = 0 ]
  [ "${lines[0]}" = "/mnt/by0 2000:3000" ]
  [ "${lines[1]}" = "/mnt/by1000 3000:4000" ]
  # on the host, as they were
  [ "$(stat -c %u:%g "$SRC/by0")" = 0:0 ]
  [ "$(stat -c %u:%g "$SRC/by1000")" = 1000:1000 ]
}

@test "idmapped bind mount: a file the container's uid 2000 writes is on-disk uid 0" {
  update_config --arg s "$SRC" '.mounts += [{destination: "/mnt", type: "bind", source: $s, options: ["bind", "rw"],
      uidMappings: [{containerID: 0, hostID: 2000, size: 1001}],
      gidMappings: [{containerID: 0, hostID: 2000, size: 1001}]}]
    | .process.user = {uid: 2000, gid: 2000}'
  set_cmd 'echo new > /mnt/new && stat -c "%u:%g" /mnt/new'
  run husk run -b "$BUNDLE" idm2
  idmapped_ok
  [ "$status" = 0 ]
  [ "$output" = 2000:2000 ]
  [ "$(stat -c %u:%g "$SRC/new")" = 0:0 ]
}

@test "idmap without maps takes the container's user namespace maps: host root's files are root inside" {
  chmod 755 "$TEST_DIR" # the container's root (host uid 100000) reaches the bundle
  update_config --arg s "$SRC" '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
    | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
    | .mounts += [{destination: "/home", type: "bind", source: $s, options: ["bind"]},
                  {destination: "/var", type: "bind", source: $s, options: ["bind", "idmap"]}]'
  # (destinations that exist: the shared rootfs is not the mapped root's to write)
  set_cmd 'stat -c "%n %u:%g" /home/by0 /var/by0 /var/by1000'
  run husk run -b "$BUNDLE" idm3
  idmapped_ok
  echo "$output"
  [ "$status" = 0 ]
  # without the idmap, host root is no one inside; with it, root
  [ "${lines[0]}" = "/home/by0 65534:65534" ]
  [ "${lines[1]}" = "/var/by0 0:0" ]
  [ "${lines[2]}" = "/var/by1000 1000:1000" ]
}

@test "ridmap: the idmap reaches the mounts below an rbind; idmap stays on the top one" {
  local inner=$TEST_DIR/inner
  mkdir -p "$inner"
  echo in >"$inner/f"
  mount --bind "$inner" "$SRC/sub"
  update_config --arg s "$SRC" '.mounts += [
      {destination: "/r", type: "bind", source: $s, options: ["rbind", "ridmap"],
       uidMappings: [{containerID: 0, hostID: 2000, size: 1}], gidMappings: [{containerID: 0, hostID: 2000, size: 1}]},
      {destination: "/n", type: "bind", source: $s, options: ["rbind", "idmap"],
       uidMappings: [{containerID: 0, hostID: 2000, size: 1}], gidMappings: [{containerID: 0, hostID: 2000, size: 1}]}]'
  set_cmd 'stat -c "%n %u" /r/by0 /r/sub/f /n/by0 /n/sub/f'
  run husk run -b "$BUNDLE" idm4
  umount "$SRC/sub"
  idmapped_ok
  [ "$status" = 0 ]
  [ "${lines[0]}" = "/r/by0 2000" ]
  [ "${lines[1]}" = "/r/sub/f 2000" ]
  [ "${lines[2]}" = "/n/by0 2000" ]
  [ "${lines[3]}" = "/n/sub/f 0" ]
}

@test "idmapped mounts: a mount that is not a bind, or idmap without any maps, is refused naming the mount" {
  update_config '.mounts += [{destination: "/t", type: "tmpfs", source: "tmpfs", options: ["idmap"],
      uidMappings: [{containerID: 0, hostID: 2000, size: 1}], gidMappings: [{containerID: 0, hostID: 2000, size: 1}]}]'
  run -1 husk run -b "$BUNDLE" idm5
  [[ $output == *"mounts["*"]: an idmapped mount must be a bind mount"* ]]
  assert_root_empty
  update_config 'del(.mounts[-1])'
  update_config --arg s "$SRC" '.mounts += [{destination: "/m", type: "bind", source: $s, options: ["bind", "idmap"]}]'
  run -1 husk run -b "$BUNDLE" idm6
  [[ $output == *"mounts["*"]: idmap without uidMappings and gidMappings needs the container's linux.uidMappings"* ]]
  assert_root_empty
}
