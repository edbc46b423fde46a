# SPDX-License-Identifier: Apache-2.0
# Helpers for badinput.bats: the bad-input corpus of tests/badinput/*.tsv.
#
# A case file is tab-separated: NAME, [COMMAND,] INPUT, EXPECT (see each
# file's header). INPUT is one of
#   a jq filter            applied to the kind's base document
#   raw:TEXT               the document is TEXT, with printf %b escapes
#   gen:NAME ARGS...       the document is made by badin_gen_NAME ARGS...
#                          (big inputs are generated here, not kept in git)
# EXPECT is an extended regular expression that stderr must match. A case
# that is not bad input but a failure of the runtime (exec's, which exits
# 255 as runc) starts EXPECT with "exit=255 ": that status is expected
# instead of 1, and the host must be unchanged all the same.

BADIN_DIR=${BADIN_DIR:-$BATS_TEST_DIRNAME/../badinput}
BADIN_LIVE=badin-live

# ------------------------------------------------------------- documents

# The base documents: the config of a bundle that runs `sleep 7777`, its
# process (running `true`, for exec), and empty resources (for update).
badin_bases() {
  jq '.process.terminal = false | .process.args = ["sleep", "7777"]' \
    "$BUNDLE/config.json" >"$TEST_DIR/base-config.json"
  jq '.process | .args = ["true"]' "$TEST_DIR/base-config.json" >"$TEST_DIR/base-process.json"
  echo '{}' >"$TEST_DIR/base-resources.json"
}

# The base state.json of the fake container badin-st (no process).
badin_base_state() {
  jq -n --arg b "$TEST_DIR/bundle" '{
    ociVersion: "1.3.0", id: "badin-st", pid: 0, status: "stopped",
    bundle: $b, rootfs: ($b + "/rootfs"),
    created: "2024-01-02T03:04:05.123456789Z", ownerUid: 0, pidStartTime: 0
  }'
}

# badin_make KIND INPUT OUT: write the document of INPUT for KIND to OUT.
badin_make() {
  local kind=$1 input=$2 out=$3 base=$TEST_DIR/base-$1.json
  case $input in
    raw:*) printf '%b' "${input#raw:}" >"$out" ;;
    gen:*)
      local -a g
      eval "g=(${input#gen:})"
      "badin_gen_${g[0]}" "$base" "${g[@]:1}" >"$out"
      ;;
    *) jq "$input" "$base" >"$out" ;;
  esac
}

# gen:nest N array|object: the whole document is N nested arrays or objects.
badin_gen_nest() {
  local n=$2 kind=$3
  if [ "$kind" = array ]; then
    head -c "$n" /dev/zero | tr '\0' '['
    head -c "$n" /dev/zero | tr '\0' ']'
  else
    yes '{"a":' | head -n "$n" | tr -d '\n'
    echo -n 1
    head -c "$n" /dev/zero | tr '\0' '}'
  fi
}

# gen:nestkey N array|object: the base document plus an unknown key "x"
# whose value is N nested arrays or objects.
badin_gen_nestkey() {
  local base=$1 n=$2 kind=$3 doc
  doc=$(jq -c . "$base")
  doc=${doc%\}}
  [ "$doc" = "{" ] || doc+=,
  printf '%s"x":' "$doc"
  badin_gen_nest "" "$n" "$kind"
  echo '}'
}

# gen:bigarray PATH N ELEM [LAST]: the base document with PATH (a jq path
# expression) set to N copies of the JSON ELEM, then LAST if given.
badin_gen_bigarray() {
  local base=$1 path=$2 n=$3 elem=$4 last=${5:-}
  jq --argjson n "$n" --argjson e "$elem" --arg last "$last" \
    "$path = ([range(\$n)] | map(\$e)) + (if \$last == \"\" then [] else [\$last | fromjson] end)" \
    "$base"
}

# gen:subst FROM TO: the base document (compact) with the first FROM
# replaced by TO, in which \xHH is that byte (NUL, invalid UTF-8) and \\ and
# \" are a backslash and a quote.
badin_gen_subst() {
  jq -c . "$1" | FROM=$2 TO=$3 perl -0777 -pe '
    BEGIN { ($to = $ENV{TO}) =~ s/\\(?:x([0-9a-fA-F]{2})|(.))/defined $1 ? chr(hex $1) : $2/ge }
    s/\Q$ENV{FROM}\E/$to/'
}

# gen:dupkey FILTER N KEY VALUE: the base document edited by the jq FILTER,
# which puts "@@dup@@": 0 into an object; that member becomes N members
# KEY: VALUE (jq itself cannot write duplicate keys).
badin_gen_dupkey() {
  local base=$1 filter=$2 n=$3 key=$4 value=$5 members
  members=$(for _ in $(seq "$n"); do printf '"%s":%s,' "$key" "$value"; done)
  jq -c "$filter" "$base" | M=${members%,} perl -pe 's/"\@\@dup\@\@":0/$ENV{M}/'
}

# ----------------------------------------------------------- the host

# badin_snapshot: what a failed command must leave unchanged, one section
# each: our mounts, our cgroup directories, the test directory (state root
# included, file contents by checksum), and our processes (children of the
# test, or naming the test directory or "badin" on their command line, or
# living in a "badin" cgroup). Builtins only for /proc, so that the snapshot
# itself adds no child process.
badin_snapshot() {
  echo "## mounts"
  # other tests on the machine mount under their own temporary directories
  awk -v t="$TEST_DIR" 'index($0, t) || index($0, "badin") || ($5 !~ "^(/tmp|/var/tmp|/run/netns)/")' \
    /proc/self/mountinfo
  echo "## cgroups"
  find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d -name '*badin*' 2>/dev/null | sort
  [ -z "${BADIN_STRICT_CGROUPS:-}" ] || ls -d /sys/fs/cgroup/*/*/ | sort
  echo "## test directory"
  (cd "$TEST_DIR" && find . -path ./bundle/config.json -prune -o -path ./input -prune -o -path ./scratch -prune -o \
    -printf '%p %y %m %s %l\n' | sort)
  (cd "$TEST_DIR" && find state -type f -exec md5sum {} + 2>/dev/null | sort)
  echo "## processes"
  local p stat state ppid cg
  local -a cmd
  for p in /proc/[0-9]*; do
    read -r stat 2>/dev/null <"$p/stat" || continue
    stat=${stat##*) }
    read -r state ppid _ <<<"$stat"
    # a zombie holds nothing (one the last case killed may not be reaped yet)
    [ "$state" != Z ] || continue
    mapfile -d '' -t cmd 2>/dev/null <"$p/cmdline" || continue
    cg=
    IFS= read -r -d '' cg 2>/dev/null <"$p/cgroup" || true
    if [ "$ppid" = "$BADIN_SHELL" ] || [[ ${cmd[*]} == *"$TEST_DIR"* ]] ||
      [[ ${cmd[*]} == *badin* ]] || [[ $cg == *badin* ]]; then
      [ "${p#/proc/}" = "$BASHPID" ] || echo "${p#/proc/} ${cmd[*]}"
    fi
  done
}

# ------------------------------------------------------ the containers

# A host process that is no container's (state cases point pid at it; it
# must survive them): env.BADIN_SLEEPER and env.BADIN_SLEEPER_START.
badin_sleeper() {
  start_sleeper
  BADIN_SLEEPER=$SLEEPER_PID
  BADIN_SLEEPER_START=$(proc_start_time "$SLEEPER_PID")
  export BADIN_SLEEPER BADIN_SLEEPER_START
}

# The running container that exec, update and kill cases act on.
badin_live_start() {
  if [ "$(husk state "$BADIN_LIVE" 2>/dev/null | jq -r .status)" = running ]; then
    return 0
  fi
  husk delete --force "$BADIN_LIVE" >/dev/null 2>&1 || true
  mkdir -p "$TEST_DIR/live"
  ln -sfn "$(husk_rootfs)" "$TEST_DIR/live/rootfs"
  cp "$TEST_DIR/base-config.json" "$TEST_DIR/live/config.json"
  husk create -b "$TEST_DIR/live" "$BADIN_LIVE" </dev/null >/dev/null 2>"$TEST_DIR/live.err" &&
    husk start "$BADIN_LIVE" 2>>"$TEST_DIR/live.err" ||
    { cat "$TEST_DIR/live.err" >&2; return 1; }
}

# Remove the live container whatever its state.json says (a case that
# changed it may have made it unreadable): its init, cgroups and directory.
badin_live_reset() {
  local pid
  pid=$(jq -r '.pid // 0' "$ROOT/$BADIN_LIVE/state.json" 2>/dev/null || echo 0)
  timeout 30 "$HUSK" --root "$ROOT" delete --force "$BADIN_LIVE" >/dev/null 2>&1 || true
  if [[ $pid =~ ^[0-9]{1,9}$ ]] && [ "$pid" -gt 1 ] && [[ $(cat "/proc/$pid/cgroup" 2>/dev/null) == *"$BADIN_LIVE"* ]]; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "${ROOT:?}/$BADIN_LIVE"
  sleep 0.2
  find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -depth -type d -name "$BADIN_LIVE" -exec rmdir {} + 2>/dev/null || true
}

# Remove whatever a case left in the state root (not the live container).
badin_cleanup() {
  local d id pid
  for d in "$ROOT"/*/; do
    [ -d "$d" ] || continue
    id=$(basename "$d")
    [ "$id" = "$BADIN_LIVE" ] && continue
    pid=$(jq -r '.pid // 0' "$d/state.json" 2>/dev/null || echo 0)
    timeout 30 "$HUSK" --root "$ROOT" delete --force "$id" >/dev/null 2>&1 || true
    if [[ $pid =~ ^[0-9]+$ ]] && [ "$pid" -gt 1 ] && [[ $(cat "/proc/$pid/cgroup" 2>/dev/null) == *badin* ]]; then
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$d"
  done
  find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -depth -type d -name 'badin-[!l]*' -exec rmdir {} + 2>/dev/null || true
}

# ----------------------------------------------------------- the loop

# badin_check NAME EXPECT COMMAND...: run husk with COMMAND, stdio on files,
# with the host snapshot before and after, and record a failure unless it
# exits 1 (or the exit=N of EXPECT) with stderr matching EXPECT and the host
# unchanged.
badin_check() {
  local name=$1 expect=$2 rc=0 why= want=1
  shift 2
  if [[ $expect =~ ^exit=([0-9]+)\ (.*)$ ]]; then
    want=${BASH_REMATCH[1]}
    expect=${BASH_REMATCH[2]}
  fi
  if [ -n "${BADIN_ONLY:-}" ] && ! [[ $name =~ $BADIN_ONLY ]]; then
    return 0
  fi
  BADIN_COUNT=$((BADIN_COUNT + 1))
  md5sum "$ROOT/$BADIN_LIVE/state.json" >"$TEST_DIR/scratch/live.md5" 2>/dev/null || true
  badin_snapshot >"$TEST_DIR/scratch/before"
  timeout -k 5 "${BADIN_TIMEOUT:-60}" "$HUSK" --root "$ROOT" "$@" \
    </dev/null >"$TEST_DIR/scratch/out" 2>"$TEST_DIR/scratch/err" || rc=$?
  badin_snapshot >"$TEST_DIR/scratch/after"
  if [ "$rc" -ge 124 ] && [ "$rc" -ne "$want" ]; then
    why="crashed or hung (status $rc)"
  elif [ "$rc" -ne "$want" ]; then
    why="exit status $rc, not $want"
  elif ! grep -Eq -- "$expect" "$TEST_DIR/scratch/err"; then
    why="stderr does not match /$expect/"
  fi
  if ! cmp -s "$TEST_DIR/scratch/before" "$TEST_DIR/scratch/after"; then
    why="${why:+$why; }host changed: $(diff "$TEST_DIR/scratch/before" "$TEST_DIR/scratch/after" | grep '^[<>]' | head -5 | tr '\n' '|')"
  fi
  if [ -n "$why" ]; then
    BADIN_FAILED+=("$name")
    {
      echo "FAIL $name: $why"
      echo "  command: husk $(printf '%q ' "$@" | head -c 300)"
      echo "  stderr: $(head -c 400 "$TEST_DIR/scratch/err" | tr -d '\0' | head -3)"
    } >>"$TEST_DIR/scratch/failures"
  fi
  badin_cleanup
  # a case that changed the live container's state gets a fresh one, so
  # that the next cases do not fail for it
  if ! cmp -s <(md5sum "$ROOT/$BADIN_LIVE/state.json" 2>/dev/null) "$TEST_DIR/scratch/live.md5"; then
    badin_live_reset
  fi
  badin_live_start || true
}

# badin_cases FILE: the cases of FILE, one per line, without comments.
# BADIN_HUGE=N (the sanitizer pass, where each huge case is slow) makes the
# generated huge arrays (gen:bigarray) N long instead of 100000, in the input and in the
# expected message alike.
badin_cases() {
  local huge=${BADIN_HUGE:-100000}
  [[ $huge =~ ^[0-9]+$ ]] || huge=100000
  grep -v -e '^#' -e '^[[:space:]]*$' "$BADIN_DIR/$1" \
    | sed "/gen:bigarray/s/100000/$huge/g"
}
