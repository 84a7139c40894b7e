#!/usr/bin/env bash
# The whole test suite, twice: a normal build, then an AddressSanitizer +
# UndefinedBehaviorSanitizer build. Installs missing packages first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"
install_missing_packages

run_suite() {
  local dir=$1 label=$2
  shift 2
  echo "== $label: building in $dir"
  configure_and_build "$dir" "$@"
  echo "== $label: testing"
  (cd "$dir" && ctest --output-on-failure --timeout 300 -j2)
}

run_suite "$root/build" "plain build"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite "$root/build-sanitize" "sanitizer build" -DSOCKWRAP_SANITIZE=ON \
  -DSOCKWRAP_BUILD_BENCH=OFF
