#!/usr/bin/env bats
# The command line itself: version, help, unknown commands and flags, the
# global flags' values, the commands that are not there yet, features.

load helpers

setup() { setup_husk; }
teardown() { teardown_husk; }

ALL_COMMANDS="checkpoint create delete events exec features kill list pause ps restore resume run spec start state update"
PENDING_COMMANDS="pause resume ps events update checkpoint restore"

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

# "features only claims what works": no container runs yet, so husk must not
# claim a single namespace, hook, mount option, capability, cgroup driver or
# security module. This test pins every claim. When a feature lands, update
# this test in the same change that adds the claim to features (and only once
# an integration test shows the feature working).
@test "features claims nothing that husk does not do yet" {
  run -0 husk features
  local f=$output
  [ "$(jq -c .hooks <<<"$f")" = "[]" ]
  [ "$(jq -c .mountOptions <<<"$f")" = "[]" ]
  [ "$(jq -c .linux.namespaces <<<"$f")" = "[]" ]
  [ "$(jq -c .linux.capabilities <<<"$f")" = "[]" ]
  [ "$(jq -c .linux.cgroup <<<"$f")" = '{"v1":false,"v2":false,"systemd":false,"systemdUser":false,"rdma":false}' ]
  [ "$(jq -c .linux.seccomp <<<"$f")" = '{"enabled":false}' ]
  [ "$(jq -c .linux.apparmor <<<"$f")" = '{"enabled":false}' ]
  [ "$(jq -c .linux.selinux <<<"$f")" = '{"enabled":false}' ]
  # nothing else is claimed: every key is one of those checked above
  [ "$(jq -c 'keys' <<<"$f")" = '["annotations","hooks","linux","mountOptions","ociVersionMax","ociVersionMin"]' ]
  [ "$(jq -c '.linux | keys' <<<"$f")" = '["apparmor","capabilities","cgroup","namespaces","seccomp","selinux"]' ]
}

@test "features takes no argument" {
  run -1 --separate-stderr husk features extra
  [ -z "$output" ]
  [[ ${stderr_lines[0]} == "husk: features: expected at most 0 argument(s), got 1" ]]
}
