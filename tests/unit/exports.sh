#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The library boundary: libhusk.so exports exactly the functions and tables
# that include/husk/ declares, each marked HUSK_API, and nothing else.
top=${HUSK_SRCDIR:-.}
lib=$(ls .libs/libhusk.so.*.*.* 2>/dev/null | head -1)
echo "1..3"
if [ -z "$lib" ]; then
  echo "not ok 1 - libhusk.so was built"; echo "ok 2 # SKIP no library"; echo "ok 3 # SKIP no library"; exit 0
fi
echo "ok 1 - libhusk.so was built ($lib)"
exported=$(nm -D --defined-only "$lib" | awk '$3 !~ /^HUSK_[0-9]/ {sub(/@.*/, "", $3); print $3}' | sort -u)
# A declaration may span lines (clang-format wraps long ones): drop the
# preprocessor lines and comments, then take one declaration (up to ; { or })
# at a time.
declared=$(cat "$top"/include/husk/*.h | grep -v '^[[:space:]]*#' \
  | sed -z -E 's:/\*([^*]|\*+[^*/])*\*+/: :g' | tr '\n;{}' ' \n\n\n' \
  | grep 'HUSK_API' | grep -o 'husk_[a-z0-9_]* *[(\[]' | sed 's/ *[(\[]$//' | sort -u)
extra=$(printf '%s\n' "$exported" | grep -vxF "$(printf '%s\n' "$declared")" || true)
if [ -z "$extra" ]; then echo "ok 2 - every exported symbol is declared in include/husk/"
else echo "not ok 2 - exported but not declared in include/husk/:"; printf '#   %s\n' $extra; fi
missing=$(printf '%s\n' "$declared" | grep -vxF "$(printf '%s\n' "$exported")" || true)
if [ -z "$missing" ]; then echo "ok 3 - every HUSK_API declaration is exported"
else echo "not ok 3 - declared HUSK_API but not exported:"; printf '#   %s\n' $missing; fi
