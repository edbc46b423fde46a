#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# --log, --log-format and --debug: the log lines containerd and Podman read
# (JSON: level, msg, time), the text format, and errors opening the log.

load helpers

setup() {
  setup_husk
  LOG=$TEST_DIR/husk.log
}
teardown() { teardown_husk; }

# RFC 3339, as Go's time.RFC3339 (and RFC3339Nano) writes it.
RFC3339='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})'

# The time is now, give or take a minute.
assert_recent() {
  local t now
  t=$(date -d "$1" +%s)
  now=$(date +%s)
  [ $((now - t)) -le 60 ] && [ $((t - now)) -le 60 ]
}

@test "--log-format json writes an error line with level, msg and time" {
  run -1 --separate-stderr husk --log "$LOG" --log-format json state nope
  [ -z "$output" ]
  # the error still goes to stderr
  [ "$stderr" = 'husk: container "nope" does not exist' ]
  [ "$(wc -l <"$LOG")" -eq 1 ]
  local line
  line=$(cat "$LOG")
  jq -e . <<<"$line" >/dev/null
  [ "$(jq -r .level <<<"$line")" = "error" ]
  [ "$(jq -r .msg <<<"$line")" = 'container "nope" does not exist' ]
  local t
  t=$(jq -r .time <<<"$line")
  [[ $t =~ ^${RFC3339}$ ]]
  assert_recent "$t"
}

@test "--log-format json keeps a config.json error on one valid JSON line" {
  update_config '.linux.namespaces[1].type = "foo"'
  run -1 --separate-stderr husk --log "$LOG" --log-format json create -b "$BUNDLE" test-ctr
  [ "$stderr" = 'husk: config.json: linux.namespaces[1].type: unknown namespace "foo"' ]
  [ "$(wc -l <"$LOG")" -eq 1 ]
  [ "$(jq -r .msg "$LOG")" = 'config.json: linux.namespaces[1].type: unknown namespace "foo"' ]
  assert_root_empty
}

@test "--log without --log-format writes text lines" {
  run -1 --separate-stderr husk --log "$LOG" state nope
  [ "$stderr" = 'husk: container "nope" does not exist' ]
  [ "$(wc -l <"$LOG")" -eq 1 ]
  local line
  line=$(cat "$LOG")
  [[ $line =~ ^time=\"(${RFC3339})\"\ level=error\ msg=\"container\ \\\"nope\\\"\ does\ not\ exist\"$ ]]
  assert_recent "${BASH_REMATCH[1]}"
}

@test "--log-format text is the default format" {
  husk --log "$LOG" state nope || true
  husk --log "$LOG" --log-format text state nope || true
  [ "$(wc -l <"$LOG")" -eq 2 ]
  [ "$(sed -n 1p "$LOG" | sed 's/^time="[^"]*" //')" = "$(sed -n 2p "$LOG" | sed 's/^time="[^"]*" //')" ]
}

@test "--log appends to an existing file" {
  echo "earlier line" >"$LOG"
  run -1 husk --log "$LOG" --log-format json state one
  run -1 husk --log "$LOG" --log-format json state two
  [ "$(wc -l <"$LOG")" -eq 3 ]
  [ "$(sed -n 1p "$LOG")" = "earlier line" ]
  [ "$(sed -n 2p "$LOG" | jq -r .msg)" = 'container "one" does not exist' ]
  [ "$(sed -n 3p "$LOG" | jq -r .msg)" = 'container "two" does not exist' ]
}

@test "--log of a successful command without --debug writes nothing" {
  run -0 husk --log "$LOG" list
  [ ! -s "$LOG" ]
}

@test "--debug --log writes debug lines" {
  run -1 --separate-stderr husk --debug --log "$LOG" state nope
  [ "$stderr" = 'husk: container "nope" does not exist' ]
  grep -E "^time=\"${RFC3339}\" level=debug msg=\".+\"$" "$LOG"
  grep -E '^time="[^"]*" level=error msg="container \\"nope\\" does not exist"$' "$LOG"
}

@test "--debug --log-format json writes debug lines as JSON" {
  run -0 husk --debug --log "$LOG" --log-format json list
  [ -s "$LOG" ]
  # every line is a JSON object with level, msg and time
  jq -e -s 'all(.[]; (.level | type) == "string" and (.msg | type) == "string" and (.time | type) == "string")' "$LOG"
  jq -e -s 'any(.[]; .level == "debug")' "$LOG"
}

@test "--debug without --log prints debug lines on stderr" {
  run -0 --separate-stderr husk --debug list
  [[ $stderr == *"husk: debug: "* ]]
}

@test "--log into a missing directory fails naming --log" {
  run -1 --separate-stderr husk --log /nonexistent/dir/file list
  [ -z "$output" ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [ "$stderr" = 'husk: --log: open "/nonexistent/dir/file": No such file or directory' ]
  [ ! -e /nonexistent ]
}
