#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Static analysis: libcontainer/ and src/ pass contrib/cppcheck.sh (cppcheck's
# warning, performance and portability checks; every suppression has its
# reason in contrib/cppcheck.supp or next to it in the code). The findings,
# if any, are shown. The suppressions were judged against cppcheck 2.10;
# another version may find other things, so there a failure is a TODO.
top=${HUSK_SRCDIR:-.}
cppcheck=${CPPCHECK:-cppcheck}
if ! command -v "$cppcheck" >/dev/null 2>&1; then
  echo "1..0 # SKIP $cppcheck is not installed (Debian package cppcheck)"
  exit 0
fi
version=$("$cppcheck" --version 2>/dev/null)
todo=
case $version in
  "Cppcheck 2.10"|"Cppcheck 2.10."*) ;;
  *) todo=" # TODO the suppressions were judged against cppcheck 2.10; this is $version" ;;
esac

echo "1..1"
echo "# $version"
out=$(CPPCHECK=$cppcheck sh "$top/contrib/cppcheck.sh" 2>&1)
status=$?
summary=$(printf '%s\n' "$out" | tail -1)
case $status in
  0) echo "ok 1 - $summary" ;;
  1)
    echo "not ok 1 - $summary$todo"
    printf '%s\n' "$out" | sed '$d' | sed 's/^/#   /'
    ;;
  *)
    echo "not ok 1 - contrib/cppcheck.sh could not run cppcheck (exit status $status)"
    printf '%s\n' "$out" | head -20 | sed 's/^/#   /'
    ;;
esac
