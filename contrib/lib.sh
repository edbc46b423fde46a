# SPDX-License-Identifier: Apache-2.0
# Shared by contrib/quickstart.sh and contrib/test.sh: install what is
# missing, build husk, make a busybox bundle. Quiet unless something fails.

HUSK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HUSK_PACKAGES="build-essential autoconf automake libtool pkg-config libyajl-dev
  libseccomp-dev libcap-dev libselinux1-dev libsystemd-dev busybox-static bats
  iproute2 procps util-linux jq python3 runc crun podman containerd docker.io time
  clang-format cppcheck uidmap"

die() { echo "husk: $*" >&2; exit 1; }

# Run a command quietly; show its output only when it fails.
quiet() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "failed: $*"
  fi
  rm -f "$log"
}

ensure_packages() {
  [ "$(id -u)" = 0 ] || die "run as root (installs packages, runs containers)"
  local missing=() p
  for p in $HUSK_PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' \
      || missing+=("$p")
  done
  [ ${#missing[@]} = 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  quiet apt-get update -q
  quiet apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build_husk() {
  cd "$HUSK_TOP" || die "no source tree"
  if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
    quiet ./autogen.sh
  fi
  if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
    quiet ./configure --enable-silent-rules ${HUSK_CONFIGURE_FLAGS:-}
  fi
  quiet make -j"$(nproc)"
}

# make_rootfs DIR: a busybox root filesystem from Debian's busybox-static.
make_rootfs() {
  local root=$1 a
  [ -x "$root/bin/busybox" ] && [ "$root/bin/busybox" -nt /bin/busybox ] && return 0
  mkdir -p "$root"/{bin,sbin,dev,proc,sys,etc,tmp,root,home,var,run,usr/bin,usr/sbin}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for a in $("$root/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  echo husk >"$root/etc/hostname"
}

# make_bundle DIR: DIR/rootfs plus a fresh config.json from `husk spec`.
make_bundle() {
  local dir=$1
  mkdir -p "$dir"
  make_rootfs "$dir/rootfs"
  rm -f "$dir/config.json"
  "$HUSK_TOP/husk" spec --bundle "$dir" || die "husk spec failed"
}

# build_husk_sanitized DIR: a second build with AddressSanitizer and
# UndefinedBehaviorSanitizer (configure --enable-sanitizers) in DIR, from a
# copy of the sources (the tree itself holds the normal build).
build_husk_sanitized() {
  local dir=$1
  mkdir -p "$dir"
  (cd "$HUSK_TOP" && git ls-files -co --exclude-standard -z \
    | tar --null -T - -cf - | tar -xf - -C "$dir") \
    || die "copy the sources to $dir (a git checkout is needed)"
  (
    cd "$dir" || exit 1
    if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
      quiet ./autogen.sh
    fi
    if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
      quiet ./configure --enable-silent-rules --enable-sanitizers --enable-fault-injection
    fi
    quiet make -j"$(nproc)"
  ) || die "sanitizer build failed"
}
