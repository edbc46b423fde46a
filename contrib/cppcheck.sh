#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Static analysis of libhusk (libcontainer/) and the husk command (src/) with
# cppcheck: its warning, performance and portability checks, in the
# configuration husk is built in on Linux (glibc, systemd and SELinux code
# included). Exits 0 when clean, 1 on findings (printed one a line), 2 when
# cppcheck could not run.
#
# What is not reported:
#   - what contrib/cppcheck.supp suppresses, each with its reason;
#   - what an inline "cppcheck-suppress ID" comment suppresses (the reason
#     is written next to it);
#   - leak reports (resourceLeak, memleak) about a variable declared with one
#     of husk's _cleanup_*_ attributes: __attribute__ ((cleanup)) releases it
#     when it goes out of scope, which cppcheck (2.10) does not model. The
#     variable's nearest declaration before the reported line must carry the
#     attribute; any other leak report stays.
#
# Usage: contrib/cppcheck.sh [-v]     -v: also list the reports set aside
# Environment: CPPCHECK (the binary), CPPCHECK_JOBS (default: the CPUs)
set -u
verbose=false
[ "${1:-}" = -v ] && verbose=true

top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top" || exit 2
cppcheck=${CPPCHECK:-cppcheck}
if ! command -v "$cppcheck" >/dev/null 2>&1; then
  echo "cppcheck.sh: $cppcheck is not installed (Debian package cppcheck)" >&2
  exit 2
fi
jobs=${CPPCHECK_JOBS:-$(nproc 2>/dev/null || echo 1)}

report=$(mktemp) || exit 2
out=$(mktemp) || exit 2
trap 'rm -f "$report" "$out"' EXIT

# -D: check this one configuration (all of #ifdef HAVE_*), not every
# combination of the #ifs. No system include paths: the libraries
# (posix, gnu) tell cppcheck what the libc functions do.
"$cppcheck" -q -j "$jobs" \
  --std=c11 --platform=unix64 --library=posix --library=gnu \
  --enable=warning,performance,portability \
  --inline-suppr --suppressions-list=contrib/cppcheck.supp \
  --error-exitcode=1 \
  -D_GNU_SOURCE -DHAVE_SYSTEMD=1 -DHAVE_SELINUX=1 \
  -I include -I libcontainer -I src \
  --template='{file}:{line}:{column}: {severity}: {id}: {message}' \
  libcontainer src 2>"$report" >"$out"
status=$?
# findings go to stderr; an error of cppcheck's own (a bad option, a bad
# suppressions file) goes to stdout, with status 1 too
if [ $status -gt 1 ] || { [ $status -eq 1 ] && [ ! -s "$report" ]; } || [ -s "$out" ]; then
  echo "cppcheck.sh: $cppcheck failed (exit status $status):" >&2
  cat "$out" "$report" >&2
  exit 2
fi

# Sort the report: the leaks of cleanup variables aside, the rest kept.
awk -v verbose="$verbose" '
  # Is the nearest declaration of name at or before line n of file one with
  # a _cleanup_*_ attribute? A declaration: a line that starts with a type
  # (after the attribute and qualifiers) and declares name, first or after a
  # comma. Statements (return, if, ...) are not declarations.
  function cleanup_var(file, n, name,    line, i, found, head, first, later) {
    head = "^[ \t]*(_cleanup_[a-z_]+_[ \t]+)?((const|unsigned|signed|struct|enum|union|long|short)[ \t]+)*[A-Za-z_][A-Za-z0-9_]*[ \t*]+"
    first = head "(const[ \t*]+)?" name "[ \t]*(=[^=]|=$|;|,|\\[|$)"
    later = head "[^;]*,[ \t*]*" name "[ \t]*(=[^=]|=$|;|,|\\[)"
    found = 0
    for (i = 1; i <= n && (getline line < file) > 0; i++)
      if ((line ~ first || line ~ later) \
          && line !~ /^[ \t]*(return|else|case|goto|if|while|for|switch|do|sizeof)([^A-Za-z0-9_]|$)/)
        found = (line ~ /^[ \t]*_cleanup_[a-z_]+_[ \t]/) ? 1 : -1
    close(file)
    return found == 1
  }
  $0 == "" { next }
  {
    id = $0
    sub(/^[^:]*:[0-9]+:[0-9]+: [a-z]+: /, "", id)
    sub(/:.*/, "", id)
    if (id == "resourceLeak" || id == "memleak") {
      split($0, part, ":")
      name = $0
      sub(/.*: /, "", name)
      if (name ~ /^[A-Za-z_][A-Za-z0-9_]*$/ && cleanup_var(part[1], part[2] + 0, name)) {
        aside++
        if (verbose == "true")
          print "set aside, a _cleanup_ variable: " $0
        next
      }
    }
    kept++
    print
  }
  END {
    if (kept) {
      printf "cppcheck: %d finding(s)\n", kept
      exit 1
    }
    printf "cppcheck: clean (%d leak report(s) about _cleanup_ variables set aside)\n", aside
  }' "$report"
