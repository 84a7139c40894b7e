#!/usr/bin/env bash
# Soak: drives many connections through one `sockwrap --keep-open` server and watches what the
# server holds as they pass: its open descriptors, its zombie children and its resident memory,
# sampled at the start, after every tenth of the run, and once the last connections settled.
#
#   bench/soak.sh [--connections N] [--workers W] [--build-dir DIR] [--max-seconds S]
#
# Defaults: 100000 connections, 4 concurrent clients (bench_connect, the driver of scenario
# D), build-bench/ (configured in Release with the benchmarks if it is not there yet), at most
# 600 seconds in all. Every connection runs `/bin/echo hi` and every reply is checked. The
# server listens on loopback at a port the kernel chooses (--port-file). Prints a table on
# stdout; exits 1 if a reply was wrong or missing, descriptors stayed open, zombies remained or
# the resident set grew by more than 2 MiB (the bound of the keep_open_stress test), 2 if the
# run could not be made. Not part of ctest: see bench/README.md#soak for a run and its time.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/bench"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# fd_count and zombie_count, as scenario D counts them.
# shellcheck source=lib/scenarios.sh
source "$here/lib/scenarios.sh"

CONNECTIONS=100000
WORKERS=4
BUILD="$root/build-bench"
MAX_SECONDS=600
while [ $# -gt 0 ]; do
  case $1 in
    --connections) CONNECTIONS=$2 && shift ;;
    --workers) WORKERS=$2 && shift ;;
    --build-dir) BUILD=$2 && shift ;;
    --max-seconds) MAX_SECONDS=$2 && shift ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) log "soak: unknown argument: $1 (try --help)" && exit 2 ;;
  esac
  shift
done
for n in "$CONNECTIONS" "$WORKERS" "$MAX_SECONDS"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { log "soak: not a positive count: $n" && exit 2; }
done
readonly samples=10
readonly rss_bound_kib=2048

# The two programs, built if needed (sockwrap and the driver only).
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  log "Configuring $BUILD in Release"
  cmake -S "$root" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DSOCKWRAP_BUILD_TESTS=OFF \
    -DSOCKWRAP_BUILD_EXAMPLES=OFF -DSOCKWRAP_BUILD_BENCH=ON >/dev/null ||
    { log "soak: configuring $BUILD failed" && exit 2; }
fi
cmake --build "$BUILD" --target sockwrap bench_connect -j"$(nproc)" >/dev/null ||
  { log "soak: building in $BUILD failed" && exit 2; }
SOCKWRAP="$BUILD/sockwrap/sockwrap"
DRIVER="$BUILD/bench/bench_connect"

close_inherited_fds  # so the server's descriptors are its own: 0-2 and what it opens
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")
trap 'stop_all; rm -rf "$WORK"' EXIT
deadline=$((SECONDS + MAX_SECONDS))

server=""
start_bg server "$SOCKWRAP" --keep-open --port-file "$WORK/port" --listen 127.0.0.1:0 \
  -- /bin/echo hi </dev/null >/dev/null 2>"$WORK/server.log"
wait_for_file "$WORK/port" 10 || { log "soak: the server did not listen" && exit 2; }
port=$(<"$WORK/port")
log "soak: the server's descriptors at the start:" \
  "$(find "/proc/$server/fd" -mindepth 1 -printf '%f→%l  ' | sort -n)"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
children() { { cat /proc/"$1"/task/*/children 2>/dev/null || true; } | wc -w; }

# elapsed: seconds since the first sample, to a tenth.
elapsed() { awk -v from="$started" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.1f", now - from }'; }

# sample LABEL DONE RATE: one row of the table.
sample() {
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(elapsed)" \
    "$(fd_count "$server")" "$(zombie_count "$server")" "$(rss_kib "$server")"
}

log "soak: $CONNECTIONS connections, $WORKERS at a time, to sockwrap $($SOCKWRAP --version)"
echo "| point | connections | conn/s | s | fds | zombies | RSS KiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
started=$EPOCHREALTIME
fds_start=$(fd_count "$server")
rss_start=$(rss_kib "$server")
sample start 0 -
done_count=0 failures=0
for step in $(seq "$samples"); do
  batch=$((CONNECTIONS * step / samples - done_count))
  left=$((deadline - SECONDS))
  [ "$left" -gt 0 ] || { log "soak: out of time after $done_count connections" && exit 1; }
  rm -f "$WORK/report"
  # Each batch also makes one probe connection first (bench_connect waits for the server
  # with it); it is served like the others but not counted.
  timeout -k 5 "$left" "$DRIVER" --connect "127.0.0.1:$port" --count "$batch" \
    --workers "$WORKERS" --expect-line hi --report "$WORK/report" --max-seconds "$left" \
    </dev/null >/dev/null 2>>"$WORK/driver.log" ||
    { log "soak: the driver failed in batch $step" && exit 1; }
  read -r rate wrong <"$WORK/report"
  done_count=$((done_count + batch))
  failures=$((failures + wrong))
  sample "$step/$samples" "$done_count" "${rate%.*}"
done

# The last programs exit and their lingering closes end: wait (bounded) until the server
# is back to its starting descriptors with no children left.
for _ in $(seq 100); do
  [ "$(fd_count "$server")" -le "$fds_start" ] && [ "$(children "$server")" -eq 0 ] && break
  sleep 0.05
done
sample settled "$done_count" -
fds_end=$(fd_count "$server")
zombies_end=$(zombie_count "$server")
rss_end=$(rss_kib "$server")
is_running "$server" || { log "soak: the server died: $(<"$WORK/server.log")" && exit 1; }
stop_pid "$server"

verdict=0
[ "$failures" -eq 0 ] || { log "soak: $failures replies wrong or missing" && verdict=1; }
[ "$fds_end" -le "$fds_start" ] || { log "soak: fds $fds_start -> $fds_end" && verdict=1; }
[ "$zombies_end" -eq 0 ] || { log "soak: $zombies_end zombies remain" && verdict=1; }
[ $((rss_end - rss_start)) -le "$rss_bound_kib" ] ||
  { log "soak: RSS grew from $rss_start to $rss_end KiB" && verdict=1; }
echo
echo "$done_count connections in $(elapsed) s, $failures failed;" \
  "fds $fds_start -> $fds_end, zombies $zombies_end, RSS $rss_start -> $rss_end KiB" \
  "($([ "$verdict" -eq 0 ] && echo ok || echo FAIL))"
exit "$verdict"
