#!/usr/bin/env bash
# Benchmarks sockwrap side by side with socat, ncat, ucspi-tcp (tcpserver/tcpclient), a
# zero-relay C reference and sendfile(), in one session, the tools taking turns.
#
#   bench/run.sh [--quick | --smoke] [--only "A B ..."] [--out DIR] [--build-dir DIR]
#                [--sockwrap PATH] [--no-install] [--runs N]
#
# Default (full): installs what it needs from Debian (socat, ncat, ucspi-tcp, gnuplot-nox and
# the build's packages), builds the project in Release in build-bench/, measures scenarios
# A-F and the library benchmark (G), and writes bench/results/results.md and results.png.
# --quick: smaller sizes and fewer rounds (under two minutes once built), results in
# bench/results/quick/. --smoke: a tiny run that checks correctness only (never a timing),
# uses an existing build (--build-dir), skips peers that are not installed and fails if any
# check of the reference or of sockwrap fails; ctest runs it.
# --runs N: a run-set, N complete runs one after the other into OUT/run-1 ... OUT/run-N (OUT:
# --out, else bench/results/runset/, or bench/results/quick/runset/ with --quick), then
# OUT/runset.md: per row the median of the N runs' ratios and their spread (lib/runset.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/bench"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/tools.sh
source "$here/lib/tools.sh"
# shellcheck source=lib/scenarios.sh
source "$here/lib/scenarios.sh"
# shellcheck source=lib/report.sh
source "$here/lib/report.sh"

MODE=full
ONLY="A B C D E F G"
BUILD=""
RESULTS_DIR=""
SOCKWRAP=""
INSTALL=1
RUNS=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) MODE=quick ;;
    --smoke) MODE=smoke INSTALL=0 ;;
    --only) ONLY=$2 && shift ;;
    --out) RESULTS_DIR=$2 && shift ;;
    --build-dir) BUILD=$2 && shift ;;
    --sockwrap) SOCKWRAP=$2 && shift ;;
    --no-install) INSTALL=0 ;;
    --runs) RUNS=$2 && shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done

# Sizes and rounds per mode: full is what the tables quote; quick keeps every scenario;
# smoke only proves the harness end to end.
case $MODE in
  full) ROUNDS=7 DATA_MIB=1024 FDATA_MIB=256 PP_ROUNDS=20000 D_SEQUENTIAL=500
    D_PARALLEL=1000 E_RUNS_PER_ROUND=40 TOOL_TIMEOUT=300 ;;
  quick) ROUNDS=3 DATA_MIB=256 FDATA_MIB=64 PP_ROUNDS=5000 D_SEQUENTIAL=150 D_PARALLEL=300
    E_RUNS_PER_ROUND=8 TOOL_TIMEOUT=120 ;;
  smoke) ROUNDS=1 DATA_MIB=4 FDATA_MIB=2 PP_ROUNDS=50 D_SEQUENTIAL=10 D_PARALLEL=20
    E_RUNS_PER_ROUND=3 TOOL_TIMEOUT=60 ;;
esac
[ -n "$RESULTS_DIR" ] || case $MODE in
  full) RESULTS_DIR="$here/results" ;;
  quick) RESULTS_DIR="$here/results/quick" ;;
  smoke) die "--smoke needs --out DIR" ;;
esac
if [ -n "$RUNS" ]; then
  [[ $RUNS =~ ^[1-9][0-9]?$ ]] || die "--runs takes a count from 1 to 99, not '$RUNS'"
  case $RESULTS_DIR in
    "$here/results" | "$here/results/quick") RESULTS_DIR="$RESULTS_DIR/runset" ;;
  esac
fi

install_packages() {
  local missing=() p sudo=()
  # shellcheck source=../scripts/setup.sh
  source "$root/scripts/setup.sh"
  install_missing_packages
  for p in socat ncat ucspi-tcp gnuplot-nox; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing: ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

build_release() {
  BUILD="$root/build-bench"
  log "Building in Release: $BUILD"
  mkdir -p "$BUILD"
  cmake -S "$root" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DSOCKWRAP_BUILD_TESTS=OFF \
    -DSOCKWRAP_BUILD_EXAMPLES=OFF -DSOCKWRAP_BUILD_BENCH=ON >"$BUILD/build.log" 2>&1 ||
    die "configuring failed: see $BUILD/build.log"
  cmake --build "$BUILD" -j"$(nproc)" >>"$BUILD/build.log" 2>&1 ||
    die "the build failed: see $BUILD/build.log"
}

# make_data MIB PATH: random bytes (incompressible, so no layer can cheat).
make_data() { head -c "$(($1 * 1024 * 1024))" /dev/urandom >"$2"; }

describe_machine() {
  local commit
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  {
    printf -- '- Date: %s; commit %s; mode %s; rounds: %s (the tools take turns in each).\n' \
      "$(date -u '+%Y-%m-%d %H:%M UTC')" "$commit" "$MODE" "$ROUNDS"
    printf -- '- Machine: %s, %s CPUs, Linux %s.\n' \
      "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc)" "$(uname -r)"
    printf -- '- Load average (1, 5, 15 min): %s before, %s after.\n' "$LOAD_BEFORE" "$(loadavg)"
    printf -- '- Sizes: A and B %s MiB, F %s MiB; C %s round trips per run; D %s sequential and %s parallel connections per run; E %s start-ups per tool.\n' \
      "$DATA_MIB" "$FDATA_MIB" "$PP_ROUNDS" "$D_SEQUENTIAL" "$D_PARALLEL" \
      "$((ROUNDS * E_RUNS_PER_ROUND))"
    printf -- '- Versions: %s; %s; ucspi-tcp %s.\n' \
      "$(socat -V 2>/dev/null | awk '/socat version/ { print "socat " $3; exit }')" \
      "$(ncat --version 2>&1 | awk '/Version/ { print "ncat " $3; exit }')" \
      "$(dpkg-query -W -f='${Version}' ucspi-tcp 2>/dev/null)"
  } >"$RESULTS_DIR/machine.md"
}

# run_library: G, the library benchmark's own table, when its program is built.
run_library() {
  local program="$BUILD/bench/library/bench_library"
  if [ ! -x "$program" ]; then
    note G "the library benchmark is not built"
    return
  fi
  log "G: $program"
  local args=()
  [ "$MODE" = full ] || args=(--quick)
  timeout -k 5 900 "$program" "${args[@]}" >"$RESULTS_DIR/library.md" 2>>"$LOGFILE" ||
    check G library FAIL "the library benchmark failed (exit status $?)"
}

main() {
  close_inherited_fds
  [ "$INSTALL" = 1 ] && install_packages
  [ -n "$BUILD" ] || build_release
  BIN="$BUILD/bench"
  REF="$BIN/zero_relay"
  [ -n "$SOCKWRAP" ] || SOCKWRAP="$BUILD/sockwrap/sockwrap"
  [ -x "$REF" ] || die "$REF is not built"

  mkdir -p "$RESULTS_DIR"
  rm -f "$RESULTS_DIR"/{raw,checks,notes,stats,chart}.tsv "$RESULTS_DIR/library.md"
  LOGFILE="$RESULTS_DIR/run.log"
  : >"$LOGFILE"
  WORK=$(mktemp -d "$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)/sockwrap-bench.XXXXXX")
  trap 'stop_all; rm -rf "$WORK"' EXIT
  trap 'exit 130' INT TERM
  PIN=()
  command -v taskset >/dev/null && PIN=(taskset -c "$(($(nproc) - 1))")
  CHECK_FAILURES=0
  LOAD_BEFORE=$(loadavg)

  log "Making ${DATA_MIB} MiB of test data"
  DATA="$WORK/data" FDATA="$WORK/fdata"
  make_data "$DATA_MIB" "$DATA"
  head -c "$((FDATA_MIB * 1024 * 1024))" "$DATA" >"$FDATA"
  DATA_SIZE=$(stat -c %s "$DATA") FDATA_SIZE=$(stat -c %s "$FDATA")
  DATA_SUM=$(sha_of "$DATA") FDATA_SUM=$(sha_of "$FDATA")

  local scen
  for scen in $ONLY; do
    log "Scenario $scen ($(date +%T), load $(loadavg))"
    case $scen in
      A | B | C | D | E | F) "scenario_$scen" ;;
      G) run_library ;;
      *) die "no scenario $scen" ;;
    esac
  done
  describe_machine
  write_report
  log "Results: $RESULTS_DIR/results.md"
}

# run_set: --runs N. Installs and builds once, then runs this script N times, one run after
# the other, each into its own directory, and aggregates the complete ones. Fails if any run
# failed (in smoke mode: if any run's verdict failed), after aggregating the others.
run_set() {
  close_inherited_fds
  [ "$INSTALL" = 1 ] && install_packages
  [ -n "$BUILD" ] || build_release
  mkdir -p "$RESULTS_DIR"
  trap 'stop_all' EXIT
  trap 'exit 130' INT TERM
  local args=(--no-install --build-dir "$BUILD" --only "$ONLY") i pid status failed=0 dirs=()
  [ "$MODE" = full ] || args+=("--$MODE")
  [ -z "$SOCKWRAP" ] || args+=(--sockwrap "$SOCKWRAP")
  for ((i = 1; i <= RUNS; i++)); do
    log "Run $i of $RUNS ($(date +%T), load $(loadavg)): $RESULTS_DIR/run-$i"
    rm -f "$RESULTS_DIR/run-$i/results.md"
    start_bg pid bash "$0" "${args[@]}" --out "$RESULTS_DIR/run-$i"
    status=0
    wait "$pid" || status=$?
    if [ "$status" != 0 ]; then
      log "run $i failed (exit status $status)"
      failed=$((failed + 1))
    fi
    if [ -s "$RESULTS_DIR/run-$i/results.md" ] && [ -s "$RESULTS_DIR/run-$i/stats.tsv" ]; then
      dirs+=("$RESULTS_DIR/run-$i")
    fi
  done
  [ ${#dirs[@]} -gt 0 ] || die "no run completed: nothing to aggregate"
  bash "$here/lib/runset.sh" "$RESULTS_DIR" "${dirs[@]}"
  [ "$failed" = 0 ] || die "$failed of $RUNS runs failed; $RESULTS_DIR/runset.md aggregates the ${#dirs[@]} complete ones"
}

# smoke_verdict: in smoke mode, the reference's and sockwrap's checks must all pass, and
# every scenario the reference takes part in must have produced samples.
smoke_verdict() {
  local failed
  failed=$(awk -F'\t' '$3 != "ok" && ($2 ~ /^(reference|sendfile|sockwrap|pty-limit)/) ' \
    "$RESULTS_DIR/checks.tsv")
  if [ -n "$failed" ]; then
    log "smoke: failed checks:"
    log "$failed"
    return 1
  fi
  local scen
  for scen in A B C-connect C-listen D-sequential D-8-workers E; do
    [[ " $ONLY " == *" ${scen%%-*} "* ]] || continue
    grep -q "^$scen	" "$RESULTS_DIR/raw.tsv" || { log "smoke: no sample for $scen"; return 1; }
  done
  log "smoke: every check passed ($(wc -l <"$RESULTS_DIR/checks.tsv") checks)"
}

if [ -n "$RUNS" ]; then
  run_set
  exit 0
fi
main
if [ "$MODE" = smoke ]; then smoke_verdict; fi
