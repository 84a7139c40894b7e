#!/usr/bin/env bash
# Installs the Debian packages the build, tests and demo need, if any are missing, and
# configures + builds the project into the build directory given as $1 (default: build).
# Extra arguments go to cmake. Sourced or run by demo.sh and test.sh.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  cmake make g++ pkg-config python3 mandoc groff-base
  netbase  # /etc/services: the tests resolve service names (endpoint PORT may be one)
  iproute2  # ip: the test hosts of tests/netns, in network namespaces
  libboost1.81-dev libboost-iostreams1.81-dev libboost-program-options1.81-dev
  libboost-filesystem1.81-dev libgtest-dev
  qt6-base-dev
  # the fuzz build (test.sh's third stage): clang, libFuzzer, and the runtime that
  # -fsanitize=fuzzer links, which clang only recommends (not installed with
  # --no-install-recommends)
  clang libfuzzer-14-dev libclang-rt-14-dev
)

install_missing_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# configure_and_build BUILD_DIR [CMAKE_ARGS...]
configure_and_build() {
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" -DSOCKWRAP_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  install_missing_packages
  configure_and_build "${1:-$root/build}" "${@:2}"
fi
