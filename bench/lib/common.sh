# Process control, waiting and sample recording for bench/run.sh. Sourced, not run.
# Every process started here is remembered by PID and stopped by that PID; every wait is
# bounded.

declare -a BENCH_PIDS=()

log() { printf '%s\n' "$*" >&2; }
die() {
  log "bench: $*"
  exit 1
}

# start_bg VAR COMMAND...: runs COMMAND in the background, stores its PID in VAR.
start_bg() {
  local -n pid_out=$1
  shift
  "$@" &
  pid_out=$!
  BENCH_PIDS+=("$pid_out")
}

# is_running PID: true while the process exists and is not a zombie.
is_running() {
  local state
  [ -r "/proc/$1/stat" ] || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# wait_pid PID SECONDS: waits for a background process to end, at most SECONDS; kills it
# (TERM, then KILL) if it is still there. Returns its exit status, or 124 on time-out.
wait_pid() {
  local pid=$1 limit=$2 waited=0 status=0
  while is_running "$pid" && [ "$waited" -lt $((limit * 20)) ]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  if is_running "$pid"; then
    stop_pid "$pid"
    return 124
  fi
  wait "$pid" 2>/dev/null || status=$?
  return "$status"
}

# stop_pid PID: SIGTERM, a bounded grace, then SIGKILL; reaps it.
stop_pid() {
  local pid=$1 waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while is_running "$pid" && [ "$waited" -lt 60 ]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  is_running "$pid" && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

# stop_all: stops whatever this run started and is still running (the EXIT trap).
stop_all() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    is_running "$pid" && stop_pid "$pid"
  done
  return 0
}

# close_inherited_fds: every tool should start with only fds 0, 1 and 2, as it would from a
# terminal; whatever the caller left open (a CI runner's pipes) is closed here. Bash reads
# the script through fd 255, which it keeps close-on-exec.
close_inherited_fds() {
  local fd
  for fd in $(ls /proc/$$/fd); do
    if [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ]; then eval "exec $fd>&-"; fi
  done
}

# wait_for_file PATH SECONDS: waits until PATH exists and is not empty.
wait_for_file() {
  local path=$1 limit=$2 waited=0
  while [ ! -s "$path" ]; do
    [ "$waited" -ge $((limit * 50)) ] && return 1
    sleep 0.02
    waited=$((waited + 1))
  done
}

# wait_for_port PORT SECONDS: waits until something listens on 127.0.0.1:PORT.
wait_for_port() {
  local port=$1 limit=$2 waited=0 hex
  hex=$(printf '%04X' "$port")
  # /proc/net/tcp: local address as HEXIP:HEXPORT in field 2, state 0A is LISTEN.
  while ! awk -v p="$hex" '$4 == "0A" && substr($2, index($2, ":") + 1) == p { found = 1 }
      END { exit !found }' /proc/net/tcp; do
    [ "$waited" -ge $((limit * 50)) ] && return 1
    sleep 0.02
    waited=$((waited + 1))
  done
}

# record SCENARIO ROW VALUE: one measured sample.
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS_DIR/raw.tsv"; }

# check SCENARIO ROW ok|FAIL DETAIL: the outcome of a correctness check.
check() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS_DIR/checks.tsv"
  [ "$3" = ok ] || { log "CHECK FAILED: $1 $2: $4"; CHECK_FAILURES=$((CHECK_FAILURES + 1)); }
  return 0
}

# note SCENARIO TEXT: a remark printed under the scenario's table.
note() { printf '%s\t%s\n' "$1" "$2" >>"$RESULTS_DIR/notes.tsv"; }

# fresh_file PATH: an empty scratch file.
fresh_file() { rm -f "$1" "$1.tmp"; }

# loadavg: the 1, 5 and 15 minute load averages.
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
