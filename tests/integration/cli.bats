#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The command line itself: version, help, unknown commands and flags, the
# global flags' values, the commands that are not there yet, features.

load helpers

setup() { setup_husk; }
teardown() { teardown_husk; }

ALL_COMMANDS="checkpoint create delete events exec features kill list pause ps restore resume run spec start state update"
PENDING_COMMANDS="checkpoint restore"

# The version configure.ac gives to AC_INIT.
package_version() {
  local src=${HUSK_SRCDIR:-$BATS_TEST_DIRNAME/../..}
  sed -n 's/^AC_INIT(\[husk\], *\[\([^]]*\)\].*/\1/p' "$src/configure.ac"
}

@test "--version prints the husk version, the spec version and the libseccomp version" {
  local want_seccomp
  want_seccomp=$(dpkg-query -W -f '${Version}' libseccomp2 2>/dev/null) \
    || skip "libseccomp2 is not a Debian package here"
  [[ $want_seccomp =~ ^([0-9]+\.[0-9]+\.[0-9]+) ]]
  want_seccomp=${BASH_REMATCH[1]}

  run -0 --separate-stderr husk --version
  [ "${#lines[@]}" -eq 3 ]
  [ "${lines[0]}" = "husk version $(package_version)" ]
  [ "${lines[1]}" = "spec: 1.3.0" ]
  [ "${lines[2]}" = "libseccomp: $want_seccomp" ]
  [ -z "$stderr" ]
}

@test "-v prints the same as --version" {
  run -0 husk --version
  local long=$output
  run -0 husk -v
  [ "$output" = "$long" ]
}

@test "--help, -h and help print the usage on stdout with every command" {
  local how cmd
  for how in --help -h help; do
    run -0 --separate-stderr husk $how
    [ -z "$stderr" ]
    [[ ${lines[0]} == "Usage: husk "* ]]
    for cmd in $ALL_COMMANDS; do
      echo "$how: looking for $cmd"
      printf '%s\n' "${lines[@]}" | grep -Eq "^  $cmd +[a-z]"
    done
  done
}

@test "help CMD and CMD --help print the command's usage on stdout" {
  local cmd
  for cmd in $ALL_COMMANDS; do
    run -0 --separate-stderr husk help "$cmd"
    [ -z "$stderr" ]
    [[ ${lines[0]} == "Usage: husk $cmd"* ]]
    local help_out=$output

    run -0 --separate-stderr husk "$cmd" --help
    [ -z "$stderr" ]
    [ "$output" = "$help_out" ]
    run -0 husk "$cmd" -h
    [ "$output" = "$help_out" ]
  done
}

@test "help of an unknown command fails with usage on stderr" {
  run -1 --separate-stderr husk help nosuchcmd
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = 'husk: help: unknown command "nosuchcmd"' ]
  [[ $stderr == *"Usage: husk "* ]]
}

@test "an unknown command fails with its name and the usage on stderr, nothing on stdout" {
  run -1 --separate-stderr husk x
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = 'husk: unknown command "x"' ]
  [[ $stderr == *"Usage: husk "* ]]
  [[ $stderr == *"Commands:"* ]]
  assert_root_empty
}

@test "no command at all fails with the usage on stderr" {
  run -1 --separate-stderr husk
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = "husk: no command given" ]
  [[ $stderr == *"Usage: husk "* ]]
}

@test "an unknown global flag fails with the usage on stderr" {
  run -1 --separate-stderr husk --bogus list
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = "husk: unknown flag --bogus" ]
  [[ $stderr == *"Usage: husk "* ]]

  run -1 --separate-stderr husk -x list
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = "husk: unknown flag -x" ]
}

@test "a global flag without its value fails naming the flag" {
  run -1 --separate-stderr "$HUSK" --root
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = "husk: flag --root needs a value" ]
}

@test "an unknown command flag fails with the command's usage on stderr" {
  run -1 --separate-stderr husk list --bogus
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = "husk: list: unknown flag --bogus" ]
  [[ $stderr == *"Usage: husk list "* ]]

  run -1 --separate-stderr husk state -z x
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = "husk: state: unknown flag -z" ]
  [[ $stderr == *"Usage: husk state "* ]]
}

@test "--rootless accepts true, false and auto and refuses anything else" {
  local v
  for v in true false auto; do
    run -0 husk --rootless "$v" list -q
  done
  run -1 --separate-stderr husk --rootless bogus list
  [ -z "$output" ]
  [ "${stderr_lines[0]}" = 'husk: --rootless: invalid value "bogus" (true, false or auto)' ]
}

@test "--log-format accepts text and json and refuses xml" {
  run -0 husk --log-format text list -q
  run -0 husk --log-format json list -q
  run -1 --separate-stderr husk --log-format xml list
  [ -z "$output" ]
  [[ ${stderr_lines[0]} == "husk: --log-format: "*'"xml"'* ]]
}

@test "an empty --root is refused" {
  run -1 --separate-stderr "$HUSK" --root "" list
  [ "${stderr_lines[0]}" = "husk: --root: must not be empty" ]
}

@test "the commands of later issues say they are not implemented yet and create nothing" {
  local cmd
  for cmd in $PENDING_COMMANDS; do
    run -1 --separate-stderr husk "$cmd" test-ctr
    [ -z "$output" ]
    [ "${#stderr_lines[@]}" -eq 1 ]
    [ "$stderr" = "husk: $cmd: not implemented yet" ]
    assert_root_empty
  done
}

@test "features prints JSON with the supported spec versions" {
  run -0 --separate-stderr husk features
  [ -z "$stderr" ]
  echo "$output" | jq -e . >/dev/null
  [ "$(echo "$output" | jq -r .ociVersionMax)" = "1.3.0" ]
  [ "$(echo "$output" | jq -r .ociVersionMin)" = "1.0.0" ]
}

@test "features names the libseccomp that --version names" {
  run -0 husk --version
  local seccomp=${lines[2]#libseccomp: }
  run -0 husk features
  [ "$(echo "$output" | jq -r '.annotations["io.github.seccomp.libseccomp.version"]')" = "$seccomp" ]
}

# "features only claims what works": every claim is pinned here, and each
# one is exercised by an integration test (namespaces: namespaces.bats,
# hooks: hooks.bats, mount options: mounts.bats, seccomp: seccomp.bats,
# labels: tests/unit/test_label, cgroups: cgroups.bats). Update this test in the same change that
# adds a claim.
@test "features claims exactly what husk does" {
  run -0 husk features
  local f=$output
  [ "$(jq -c .hooks <<<"$f")" = '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]' ]
  [ "$(jq -c .linux.namespaces <<<"$f")" = '["pid","network","mount","ipc","uts","user","cgroup","time"]' ]
  # the mount options of config.md's table, recursive attributes, propagation
  local o
  for o in ro rw nosuid nodev noexec bind rbind rro rnosymfollow rprivate rslave shared tmpcopyup strictatime; do
    jq -e --arg o "$o" '.mountOptions | index($o)' <<<"$f" >/dev/null
  done
  [ "$(jq '.linux.capabilities | length' <<<"$f")" -ge 41 ]
  [ "$(jq -r '.linux.capabilities[0]' <<<"$f")" = CAP_CHOWN ]
  [ "$(jq -c .linux.seccomp.enabled <<<"$f")" = true ]
  [ "$(jq -c .linux.seccomp.actions <<<"$f")" = '["SCMP_ACT_KILL","SCMP_ACT_KILL_PROCESS","SCMP_ACT_KILL_THREAD","SCMP_ACT_TRAP","SCMP_ACT_ERRNO","SCMP_ACT_TRACE","SCMP_ACT_ALLOW","SCMP_ACT_LOG","SCMP_ACT_NOTIFY"]' ]
  [ "$(jq -c .linux.seccomp.operators <<<"$f")" = '["SCMP_CMP_NE","SCMP_CMP_LT","SCMP_CMP_LE","SCMP_CMP_EQ","SCMP_CMP_GE","SCMP_CMP_GT","SCMP_CMP_MASKED_EQ"]' ]
  jq -e '.linux.seccomp.archs | index("SCMP_ARCH_X86_64")' <<<"$f" >/dev/null
  # supported flags are a subset of the known ones
  [ "$(jq '[.linux.seccomp.supportedFlags[] as $s | .linux.seccomp.knownFlags | index($s)] | all' <<<"$f")" = true ]
  [ "$(jq -c .linux.apparmor <<<"$f")" = '{"enabled":true}' ]
  [ "$(jq -c .linux.selinux <<<"$f")" = '{"enabled":true}' ]
  # cgroups (cgroups.bats, and test_cgroups* for v2): v1, v2 (and hybrid); systemd when built with libsystemd
  local sd=false; if grep -q '^#define HAVE_SYSTEMD 1' "${HUSK_BUILDDIR:-$(dirname "$HUSK")}/config.h" 2>/dev/null; then sd=true; fi
  [ "$(jq -c .linux.cgroup <<<"$f")" = "{\"v1\":true,\"v2\":true,\"systemd\":$sd,\"systemdUser\":false,\"rdma\":true}" ]
  # nothing else is claimed
  [ "$(jq -c 'keys' <<<"$f")" = '["annotations","hooks","linux","mountOptions","ociVersionMax","ociVersionMin"]' ]
  [ "$(jq -c '.linux | keys' <<<"$f")" = '["apparmor","capabilities","cgroup","mountExtensions","namespaces","seccomp","selinux"]' ]
  # idmapped mounts (idmap.bats) where the kernel has mount_setattr (5.12)
  local idm=false; if [ "$(uname -r | awk -F. '{ print ($1 > 5 || ($1 == 5 && $2 >= 12)) }')" = 1 ]; then idm=true; fi
  [ "$(jq -c .linux.mountExtensions <<<"$f")" = "{\"idmap\":{\"enabled\":$idm}}" ]
}

@test "features takes no argument" {
  run -1 --separate-stderr husk features extra
  [ -z "$output" ]
  [[ ${stderr_lines[0]} == "husk: features: expected at most 0 argument(s), got 1" ]]
}
