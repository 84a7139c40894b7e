#!/usr/bin/env bash
# The whole test suite, in three stages: a normal build, an AddressSanitizer +
# UndefinedBehaviorSanitizer build, then a clang build of the libFuzzer targets, each fuzzed
# for a bounded time (tests/fuzz/README.md). Installs missing packages first.
# With arguments, only the stages named: scripts/test.sh [plain] [sanitize] [fuzz]
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

# Only the libraries and the fuzz targets are built; the fuzz cases run one after the other,
# each for its own bounded time (about a minute in all).
run_fuzz() {
  local dir=$root/build-fuzz
  echo "== fuzz build: building in $dir"
  cmake -S "$root" -B "$dir" -DSOCKWRAP_WERROR=ON -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DSOCKWRAP_FUZZ=ON -DSOCKWRAP_BUILD_TESTS=OFF \
    -DSOCKWRAP_BUILD_EXAMPLES=OFF -DSOCKWRAP_BUILD_BENCH=OFF >/dev/null
  cmake --build "$dir" --target fuzzers -j"$(nproc)"
  echo "== fuzz build: fuzzing"
  (cd "$dir" && ctest -L fuzz --output-on-failure)
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(plain sanitize fuzz)
for stage in "${stages[@]}"; do
  case $stage in
    plain) run_suite "$root/build" "plain build" ;;
    sanitize)
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run_suite "$root/build-sanitize" "sanitizer build" -DSOCKWRAP_SANITIZE=ON \
        -DSOCKWRAP_BUILD_BENCH=OFF
      ;;
    fuzz) run_fuzz ;;
    *)
      echo "scripts/test.sh: unknown stage '$stage' (plain, sanitize or fuzz)" >&2
      exit 2
      ;;
  esac
done
