#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The embedding API seen from outside: libhusk, its headers and husk.pc
# installed into a temporary DESTDIR by the build's own install targets (as
# built: nothing is rebuilt), the programs of contrib/examples compiled with
# nothing but what `pkg-config --cflags --libs husk` gives (PKG_CONFIG_LIBDIR
# and PKG_CONFIG_SYSROOT_DIR pointing into the DESTDIR), and run as root on
# the busybox bundle with LD_LIBRARY_PATH on the installed library.

load helpers

setup_file() {
  export EMBED=$(mktemp -d /tmp/husk-embed.XXXXXX)
  export EXAMPLES=$BATS_TEST_DIRNAME/../../contrib/examples
  local top lib
  top=$(dirname "$HUSK_BINARY")
  lib=$(ls "$top"/.libs/libhusk.so.*.*.* 2>/dev/null | head -1)
  if [ ! -f "$top/libhusk.la" ] || [ -z "$lib" ]; then
    echo "libhusk.la is not built in $top: run make first" >"$EMBED/skip"
    return 0
  fi
  command -v pkg-config >/dev/null || { echo "pkg-config is not installed (Debian package pkgconf)" >"$EMBED/skip"; return 0; }
  command -v cc >/dev/null || { echo "no C compiler (Debian package gcc)" >"$EMBED/skip"; return 0; }
  stat -c '%n %Y' "$top/libhusk.la" "$lib" "$HUSK_BINARY" >"$EMBED/before"
  cp "$lib" "$EMBED/built.so"
  # under `make check` the outer make's jobserver is not ours
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -s -C "$top" install-libLTLIBRARIES install-huskincludeHEADERS install-pkgconfigDATA \
    DESTDIR="$EMBED/dest" >"$EMBED/install.log" 2>&1 || { cat "$EMBED/install.log" >&2; return 1; }
  stat -c '%n %Y' "$top/libhusk.la" "$lib" "$HUSK_BINARY" >"$EMBED/after"
  # where the install put things: found, not assumed (any --prefix)
  local pc so
  pc=$(find "$EMBED/dest" -name husk.pc | head -1)
  so=$(find "$EMBED/dest" -name 'libhusk.so.*.*.*' | head -1)
  export PKG_CONFIG_LIBDIR=$(dirname "$pc") PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$EMBED/dest
  export EMBED_LIBDIR=$(dirname "$so") EMBED_SO=$so
  export EMBED_INCDIR=$(dirname "$(dirname "$(find "$EMBED/dest" -path '*/husk/husk.h' | head -1)")")
  mkdir -p "$EMBED/bin"
  # a library built with the sanitizers (contrib/test.sh's second pass)
  # needs programs built with them: the ASan runtime must load first
  export EMBED_SAN=
  if ldd "$so" 2>/dev/null | grep -q libasan; then
    EMBED_SAN="-fsanitize=address,undefined"
  fi
  local p
  for p in run-bundle run-inline container-stats; do
    # shellcheck disable=SC2046
    cc $EMBED_SAN -Wall -Wextra -Werror -o "$EMBED/bin/$p" "$EXAMPLES/$p.c" $(pkg-config --cflags --libs husk) \
      2>"$EMBED/cc-$p.err" || true
  done
}

teardown_file() {
  rm -rf "$EMBED"
}

setup() {
  [ ! -f "$EMBED/skip" ] || skip "$(cat "$EMBED/skip")"
  setup_container
  ID=husk-embed-$$-$RANDOM
}

teardown() {
  teardown_containers
}

# An example, built, run against the installed library.
example() {
  local p=$1
  shift
  [ -x "$EMBED/bin/$p" ] || { cat "$EMBED/cc-$p.err" >&2; echo "$p did not build" >&2; return 1; }
  LD_LIBRARY_PATH=$EMBED_LIBDIR "$EMBED/bin/$p" "$@"
}

# run-bundle in the background, its stdio on $TEST_DIR/out and err; $PROG
# is its own pid (not a subshell's).
run_bundle_bg() {
  [ -x "$EMBED/bin/run-bundle" ] || { echo "run-bundle did not build" >&2; return 1; }
  (LD_LIBRARY_PATH=$EMBED_LIBDIR exec "$EMBED/bin/run-bundle" -r "$ROOT" "$BUNDLE" "$ID" \
    >"$TEST_DIR/out" 2>"$TEST_DIR/err" </dev/null) &
  PROG=$!
  track_pid $PROG
  wait_for 5 grep -qx ready "$TEST_DIR/out"
}

@test "the install targets put the library, the headers and husk.pc in DESTDIR, and rebuild nothing" {
  run -0 diff "$EMBED/before" "$EMBED/after"
  cmp "$EMBED/built.so" "$EMBED_SO"
  [ -f "$EMBED_LIBDIR/libhusk.so.0" ] && [ -f "$EMBED_LIBDIR/libhusk.so" ]
  local h
  for h in "$BATS_TEST_DIRNAME"/../../include/husk/*.h; do
    [ -f "$EMBED_INCDIR/husk/$(basename "$h")" ] \
      || { echo "not installed: $(basename "$h")" >&2; return 1; }
  done
}

@test "pkg-config: the installed paths, -lhusk alone, no other package needed" {
  run -0 pkg-config --cflags husk
  [ "$(echo $output)" = "-I$EMBED_INCDIR" ]
  run -0 pkg-config --libs husk
  [ "$(echo $output)" = "-L$EMBED_LIBDIR -lhusk" ]
  # static linking lists what libhusk itself links
  run -0 pkg-config --static --libs husk
  [[ "$output" == *"-lhusk"*"-lyajl"*"-lseccomp"* ]]
  run -0 pkg-config --modversion husk
  [ "$output" = "$("$HUSK" --version | awk '/^husk version/ {print $3}')" ]
}

@test "the public headers are plain C99 and C++" {
  printf '#include <husk/husk.h>\nint main (void) { return husk_version () == 0; }\n' >"$EMBED/h.c"
  # shellcheck disable=SC2046
  cc -std=c99 -pedantic-errors -Wall -Wextra -Werror -c "$EMBED/h.c" -o "$EMBED/h.o" $(pkg-config --cflags husk)
  command -v c++ >/dev/null || skip "no C++ compiler (Debian package g++)"
  cp "$EMBED/h.c" "$EMBED/h.cc"
  # shellcheck disable=SC2046
  c++ -std=c++11 -pedantic -Wall -Wextra -Werror -c "$EMBED/h.cc" -o "$EMBED/hh.o" $(pkg-config --cflags husk)
}

@test "the examples link the installed libhusk, and nothing else of husk's" {
  run -0 env LD_LIBRARY_PATH="$EMBED_LIBDIR" ldd "$EMBED/bin/run-bundle"
  [[ "$output" == *"libhusk.so.0 => $EMBED_LIBDIR/libhusk.so.0 "* ]]
  run -0 readelf -d "$EMBED/bin/run-bundle"
  # (a sanitizer build adds its runtimes)
  [ "$(grep NEEDED <<<"$output" | grep -v -e libasan -e libubsan | grep -o '\[.*\]' | tr '\n' ' ')" = "[libhusk.so.0] [libc.so.6] " ]
}

@test "run-bundle: a bundle's container through libhusk, its output and exit status" {
  set_cmd 'echo "hello from $(hostname)"; echo "to stderr" >&2; exit 7'
  run -7 --separate-stderr example run-bundle -r "$ROOT" "$BUNDLE" "$ID"
  [ "${lines[0]}" = "hello from $(jq -r .hostname "$BUNDLE/config.json")" ]
  [ "${lines[1]}" = "run-bundle: container $ID exited with status 7" ]
  [ "${#lines[@]}" -eq 2 ]
  [ "$stderr" = "to stderr" ]
  assert_root_empty
}

@test "run-bundle: signals to the program reach the container; a kill is 128+N" {
  set_cmd 'trap "echo got TERM; exit 9" TERM; echo ready; while :; do sleep 0.1; done'
  run_bundle_bg
  kill -TERM $PROG
  local rc=0
  wait $PROG || rc=$?
  [ "$rc" -eq 9 ]
  [ "$(sed -n 2p "$TEST_DIR/out")" = "got TERM" ]
  [ "$(sed -n 3p "$TEST_DIR/out")" = "run-bundle: container $ID exited with status 9" ]
  assert_root_empty

  set_cmd 'echo ready; exec sleep 300'
  run_bundle_bg
  husk kill "$ID" KILL
  rc=0
  wait $PROG || rc=$?
  [ "$rc" -eq 137 ]
  [ "$(sed -n 2p "$TEST_DIR/out")" = "run-bundle: container $ID exited with status 137" ]
  assert_root_empty
}

@test "run-bundle: a broken bundle is a one-line error, and nothing is left" {
  echo '{"ociVersion": "1.0.2", "process": ' >"$BUNDLE/config.json"
  run -1 --separate-stderr example run-bundle -r "$ROOT" "$BUNDLE" "$ID"
  [[ "$stderr" == "run-bundle: config.json: "* ]]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [ "$output" = "" ]
  assert_root_empty
  run -2 example run-bundle
  [[ "$output" == "usage: "* ]]
}

@test "run-inline: the config made in memory, no config.json read or written" {
  local rootfs
  rootfs=$(husk_rootfs)
  rm -f "$BUNDLE/config.json"
  cd "$BUNDLE"
  run -3 --separate-stderr example run-inline -r "$ROOT" "$rootfs" "$ID" \
    sh -c 'echo "on $(hostname) as $(id -u): $0 [$1]"; grep NoNewPrivs /proc/self/status; exit 3' 'a"b' 'c\d'
  [ "${lines[0]}" = 'on inline as 0: a"b [c\d]' ]
  [ "$(echo ${lines[1]})" = "NoNewPrivs: 1" ]
  [ "${lines[2]}" = "run-inline: container $ID exited with status 3" ]
  [ ! -e "$BUNDLE/config.json" ]
  assert_root_empty
}

@test "container-stats: the stats struct of a running container matches husk events --stats" {
  update_config '.process.args = ["sleep", "300"] | .linux.resources = {memory: {limit: 67108864}, pids: {limit: 50}}'
  cd "$BUNDLE"
  husk run -d "$ID" </dev/null >"$TEST_DIR/ctr.out" 2>"$TEST_DIR/ctr.err"
  run -0 --separate-stderr example container-stats -r "$ROOT" "$ID"
  local ev
  ev=$(husk events --stats "$ID")
  grep -qx "memory.limit $(jq .data.memory.usage.limit <<<"$ev")" <<<"$output"
  grep -qx "memory.limit 67108864" <<<"$output"
  grep -qx "pids.current $(jq .data.pids.current <<<"$ev")" <<<"$output"
  grep -qx "pids.limit 50" <<<"$output"
  grep -q "^cpu.total [1-9]" <<<"$output"
  # the hugetlb sizes are the event's
  [ "$(grep -o '^hugetlb\.[^.]*' <<<"$output" | sed 's/^hugetlb\.//' | sort | tr '\n' ' ')" = \
    "$(jq -r '.data.hugetlb | keys[]' <<<"$ev" | sort | tr '\n' ' ')" ]
  husk kill "$ID" KILL
  wait_status "$ID" stopped
  run -1 --separate-stderr example container-stats -r "$ROOT" "$ID"
  [ "$stderr" = "container-stats: container \"$ID\" is stopped" ]
  run -1 --separate-stderr example container-stats -r "$ROOT" nosuch
  [ "$stderr" = 'container-stats: container "nosuch" does not exist' ]
}

@test "run in the foreground gives the caller back its signal mask and subreaper flag" {
  cat >"$TEST_DIR/restore.c" <<'C'
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <husk/husk.h>
static const char *same (const sigset_t *a, const sigset_t *b)
{
  for (int s = 1; s < 65; s++)
    if (sigismember (a, s) != sigismember (b, s))
      return "changed";
  return "same";
}
int main (int argc, char **argv)
{
  struct husk_error err = { 0 };
  struct husk_store store;
  sigset_t before, after;
  sigemptyset (&before);
  sigemptyset (&after);
  sigaddset (&before, SIGUSR2);
  sigprocmask (SIG_SETMASK, &before, NULL);
  if (husk_store_open (&store, argv[1], 1, &err) < 0)
    return 2;
  struct husk_run_opts o = { .create = { .id = argv[3], .bundle = argv[2] } };
  int status = -1, sub = -1;
  int ret = husk_container_run (&store, &o, &status, &err);
  sigprocmask (SIG_SETMASK, NULL, &after);
  prctl (PR_GET_CHILD_SUBREAPER, &sub, 0, 0, 0);
  printf ("ret %d status %d mask %s subreaper %d\n", ret, status,
          same (&before, &after), sub);
  /* and on a failure: a bundle that is not there */
  o.create.bundle = "/nonexistent";
  ret = husk_container_run (&store, &o, &status, &err);
  sigprocmask (SIG_SETMASK, NULL, &after);
  printf ("ret<0 %d mask %s\n", ret < 0, same (&before, &after));
  husk_error_clear (&err);
  husk_store_close (&store);
  return 0;
}
C
  # shellcheck disable=SC2046
  cc $EMBED_SAN -Wall -Werror -o "$TEST_DIR/restore" "$TEST_DIR/restore.c" $(pkg-config --cflags --libs husk)
  set_cmd 'exit 3'
  run -0 env LD_LIBRARY_PATH="$EMBED_LIBDIR" "$TEST_DIR/restore" "$ROOT" "$BUNDLE" "$ID"
  [ "${lines[0]}" = "ret 0 status 3 mask same subreaper 0" ]
  [ "${lines[1]}" = "ret<0 1 mask same" ]
}
