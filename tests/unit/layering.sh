#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The structure docs/architecture.md describes, checked on the sources.
top=${HUSK_SRCDIR:-.}
cd "$top" || exit 1
n=0
check() { # description, offending lines (empty = ok)
  n=$((n + 1))
  if [ -z "$2" ]; then echo "ok $n - $1"
  else echo "not ok $n - $1"; printf '%s\n' "$2" | sed 's/^/#   /'; fi
}
echo "1..8"
check "no raw syscall(2) outside libcontainer/syscalls.h" \
  "$(grep -rn '\bsyscall (' libcontainer src --include=*.c --include=*.h | grep -v '^libcontainer/syscalls.h:')"
check "no SYS_*/CLONE_NEWTIME/CLOSE_RANGE_* fallback defined outside syscalls.h" \
  "$(grep -rnE '^#\s*define (SYS_|CLONE_NEWTIME|CLOSE_RANGE_|CLONE_INTO_CGROUP|CLONE_PIDFD)' libcontainer src | grep -v '^libcontainer/syscalls.h:')"
check "only the cgroups module reads /proc/PID/cgroup" \
  "$(grep -rnE '"/proc/(self|%d|%s|[0-9]+)/cgroup"' libcontainer src --include=*.c | grep -v '^libcontainer/cgroups/')"
check "the cgroups, rootfs and security modules know nothing of the store" \
  "$(grep -rnE '#include "(store|object|container_internal)\.h"|husk_store|hk_state_' libcontainer/cgroups libcontainer/rootfs libcontainer/security --include=*.c --include=*.h)"
check "no module includes another module's internal header" \
  "$(for m in cgroups rootfs spec; do grep -rnE "#include \"$m/(internal|${m}_internal)\.h\"" libcontainer --include=*.c --include=*.h | grep -v "^libcontainer/$m/"; done)"
check "the CLI uses the public API (and the sealed re-exec) only" \
  "$(grep -rn '#include "' src | grep -vE '#include "(config\.h|cli\.h|husk/[a-z]+\.h|security/exe\.h)"')"
check "public headers declare no internal (hk_, cg_, spec_, nl_) function" \
  "$(grep -nE '\b(hk|cg|spec|nl)_[a-z0-9_]+ \(' include/husk/*.h)"
check "every source file carries its SPDX licence line" \
  "$(find libcontainer src include tests/unit tests/fuzz tests/helpers contrib/examples -name '*.[ch]' \
       -exec grep -L 'SPDX-License-Identifier: Apache-2.0' {} + 2>/dev/null)"
