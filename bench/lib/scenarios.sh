# The scenarios A-F. Sourced by run.sh, which sets the sizes, the paths and the rows.
# Each scenario first checks every tool's data once (sha256 end to end, or a byte-for-byte
# comparison of every reply), then measures in rounds; inside a round the tools take turns,
# so a change in the machine's load falls on all of them alike.

# run_tool [PREFIX...]: runs CMD in the foreground, bounded; returns its exit status.
run_tool() {
  timeout -k 5 "$TOOL_TIMEOUT" "$@" "${CMD[@]}" </dev/null >/dev/null 2>>"$LOGFILE"
}

# sha_of PATH: the sha256 of a file, hex.
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# judge SCENARIO ROW MODE EXPECTED_BYTES EXPECTED_SHA: reads the sink's report (and in
# check mode its copy) and records a sample or a check.
judge() {
  local scen=$1 row=$2 mode=$3 size=$4 sum=$5 bytes seconds
  # Some tools (ncat) exit without waiting for their program, which may still be writing.
  if ! wait_for_file "$WORK/report" 10; then
    check "$scen" "$row" FAIL "no report from the receiver (see $LOGFILE)"
    return
  fi
  read -r bytes seconds <"$WORK/report"
  if [ "$bytes" != "$size" ]; then
    check "$scen" "$row" FAIL "$bytes of $size bytes arrived"
  elif [ "$mode" = check ]; then
    if [ "$(sha_of "$WORK/copy")" = "$sum" ]; then
      check "$scen" "$row" ok "sha256 of $size bytes matches"
    else
      check "$scen" "$row" FAIL "sha256 differs"
    fi
  else
    record "$scen" "$row" "$(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.4f", b / s / 1e9 }')"
  fi
  rm -f "$WORK/copy" "$WORK/report"
}

# sink_args MODE: the receiver's options for a timed run or a checked one.
sink_args() {
  SINK=(--report "$WORK/report")
  [ "$1" = check ] && SINK+=(--copy-to "$WORK/copy")
  return 0
}

# push_run SCENARIO ROW MODE FILE SIZE SUM: the tool runs `cat FILE` with its stdout on a
# connection to a counting receiver (A, and the relays of F).
push_run() {
  local scen=$1 row=$2 mode=$3 file=$4 size=$5 sum=$6 sink port
  fresh_file "$WORK/pf"
  rm -f "$WORK/report"
  sink_args "$mode"
  start_bg sink "$BIN/bench_sink" --listen 127.0.0.1:0 --port-file "$WORK/pf" "${SINK[@]}"
  if ! wait_for_file "$WORK/pf" 10; then
    stop_pid "$sink"
    check "$scen" "$row" FAIL "the receiver did not start"
    return
  fi
  port=$(<"$WORK/pf")
  if [ "$row" = sendfile ]; then
    CMD=("$BIN/bench_source" --connect "127.0.0.1:$port" --file "$file")
  else
    out_cmd "$row" "$port" cat "$file"
  fi
  run_tool || log "$scen $row: exit status $?"
  wait_pid "$sink" 30 || log "$scen $row: receiver exit status $?"
  judge "$scen" "$row" "$mode" "$size" "$sum"
}

# pull_run ROW MODE: B. A sender pushes the file with sendfile(); the tool's program reads
# the socket as its stdin and counts.
pull_run() {
  local row=$1 mode=$2 source port
  fresh_file "$WORK/pf"
  rm -f "$WORK/report"
  sink_args "$mode"
  start_bg source "$BIN/bench_source" --listen 127.0.0.1:0 --port-file "$WORK/pf" \
    --file "$DATA"
  if ! wait_for_file "$WORK/pf" 10; then
    stop_pid "$source"
    check B "$row" FAIL "the sender did not start"
    return
  fi
  port=$(<"$WORK/pf")
  in_cmd "$row" "$port" "$BIN/bench_sink" "${SINK[@]}"
  run_tool || log "B $row: exit status $?"
  wait_pid "$source" 30 || log "B $row: sender exit status $?"
  judge B "$row" "$mode" "$DATA_SIZE" "$DATA_SUM"
}

# viewer_run ROW MODE: F. The tool listens with no program and copies the connection to
# its stdout (a FIFO the receiver counts); a sender pushes the file with sendfile().
viewer_run() {
  local row=$1 mode=$2 sink viewer port
  port=$("$BIN/bench_free_port")
  rm -f "$WORK/report" "$WORK/fifo"
  mkfifo "$WORK/fifo"
  sink_args "$mode"
  start_bg sink "$BIN/bench_sink" --input "$WORK/fifo" "${SINK[@]}"
  viewer_cmd "$row" "$port"
  # Opening the FIFO for writing waits for the receiver to open it: both are up after this.
  start_bg viewer "${CMD[@]}" >"$WORK/fifo" 2>>"$LOGFILE"
  if wait_for_port "$port" 10; then
    CMD=("$BIN/bench_source" --connect "127.0.0.1:$port" --file "$FDATA")
    run_tool || log "F $row: sender exit status $?"
  fi
  wait_pid "$viewer" 30 || log "F $row: exit status $?"
  wait_pid "$sink" 30 || log "F $row: receiver exit status $?"
  rm -f "$WORK/fifo"
  judge F "$row" "$mode" "$FDATA_SIZE" "$FDATA_SUM"
}

# rows_for SCENARIO ROW...: the rows that can run here; the others are noted once.
rows_for() {
  local scen=$1 row
  shift
  ROWS=()
  for row in "$@"; do
    if available "$row" "$scen"; then
      ROWS+=("$row")
    else
      note "$scen" "$(label "$row"): not measured (not available in this build or machine)"
    fi
  done
}

# rows_in_turn ROUND: ROWS in the order they run in round ROUND, rotated by one each round, so
# no tool always follows the same one (and inherits what that one leaves behind: sockets in
# TIME_WAIT, a busy page cache, a CPU still at work).
rows_in_turn() {
  local n=${#ROWS[@]} i
  for ((i = 0; i < n; i++)); do echo "${ROWS[(i + $1 - 1) % n]}"; done
}

scenario_A() {
  local row round
  rows_for A sendfile reference sockwrap ucspi socat ncat
  for row in "${ROWS[@]}"; do push_run A "$row" check "$DATA" "$DATA_SIZE" "$DATA_SUM"; done
  for round in $(seq "$ROUNDS"); do
    for row in $(rows_in_turn "$round"); do
      push_run A "$row" timed "$DATA" "$DATA_SIZE" "$DATA_SUM"
    done
  done
}

scenario_B() {
  local row round
  rows_for B reference sockwrap ucspi socat ncat
  for row in "${ROWS[@]}"; do pull_run "$row" check; done
  for round in $(seq "$ROUNDS"); do
    for row in $(rows_in_turn "$round"); do pull_run "$row" timed; done
  done
}

# pingpong_report SCENARIO ROW STATUS ROUND: records the median of one run; the ping-pong
# program itself compares every reply with the line it sent.
pingpong_report() {
  local scen=$1 row=$2 status=$3 round=$4 middle rest
  if [ "$status" -ne 0 ] || [ ! -s "$WORK/report" ]; then
    check "$scen" "$row" FAIL "ping-pong failed (exit status $status)"
  else
    read -r middle rest <"$WORK/report"
    record "$scen" "$row" "$middle"
    [ "$round" = 1 ] && check "$scen" "$row" ok "$PP_ROUNDS replies equal the lines sent"
  fi
  rm -f "$WORK/report"
}

# pingpong_connect ROW ROUND: C, the tool connects to the ping-pong program and runs cat.
pingpong_connect() {
  local row=$1 round=$2 driver port status=0
  fresh_file "$WORK/pf"
  start_bg driver "${PIN[@]}" "$BIN/bench_pingpong" --listen 127.0.0.1:0 --port-file "$WORK/pf" \
    --rounds "$PP_ROUNDS" --size 32 --report "$WORK/report"
  if wait_for_file "$WORK/pf" 10; then
    port=$(<"$WORK/pf")
    connect_cmd "$row" "$port" cat
    run_tool "${PIN[@]}" || log "C-connect $row: exit status $?"
  fi
  wait_pid "$driver" 60 || status=$?
  pingpong_report C-connect "$row" "$status" "$round"
}

# pingpong_listen ROW ROUND: C, the tool listens and runs cat; the ping-pong program connects.
pingpong_listen() {
  local row=$1 round=$2 tool port status=0
  port=$("$BIN/bench_free_port")
  listen_cmd "$row" "$port" cat
  start_bg tool "${PIN[@]}" "${CMD[@]}" 2>>"$LOGFILE"
  CMD=("$BIN/bench_pingpong" --connect "127.0.0.1:$port" --wait-ms 10000 --rounds "$PP_ROUNDS"
    --size 32 --report "$WORK/report")
  run_tool "${PIN[@]}" || status=$?
  # tcpserver keeps listening after the connection; the others end with it.
  if [ "$row" = ucspi ]; then stop_pid "$tool"; else wait_pid "$tool" 10 || true; fi
  pingpong_report C-listen "$row" "$status" "$round"
}

scenario_C() {
  local row round
  rows_for C reference sockwrap ucspi socat ncat
  for round in $(seq "$ROUNDS"); do
    for row in $(rows_in_turn "$round"); do
      pingpong_connect "$row" "$round"
      pingpong_listen "$row" "$round"
    done
  done
}

# fd_count PID / zombie_count PID: the server's open descriptors; its children that have
# exited but are not reaped.
# Processes come and go while /proc is read: a vanished entry is not an error.
fd_count() { { ls "/proc/$1/fd" 2>/dev/null || true; } | wc -l; }
zombie_count() {
  cat /proc/[0-9]*/stat 2>/dev/null |
    awk -v parent="$1" '$4 == parent && $3 == "Z" { n++ } END { print n + 0 }' || true
}

# machine_busy_us / on_cpu_us PID: CPU time used so far by the whole machine (user, nice,
# system and interrupts; not time stolen by the hypervisor) and by one process, in µs.
machine_busy_us() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.0f\n", ($2 + $3 + $4 + $7 + $8) * 1e6 / hz }' \
    /proc/stat
}
on_cpu_us() { awk '{ printf "%.0f\n", $1 / 1000 }' "/proc/$1/schedstat" 2>/dev/null || echo 0; }
# per_connection MICROSECONDS COUNT
per_connection() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.1f\n", t / n }'; }

# server_run ROW WORKERS COUNT SCENARIO ROUND: D, a fork-per-connection server running
# `/bin/echo hi`; every reply is checked; the server's fds and zombies are counted. With
# several workers the CPU time per connection is recorded too, for the whole machine (the
# clients, the server and the programs it starts) and for the listening process alone.
server_run() {
  local row=$1 workers=$2 count=$3 scen=$4 round=$5 server port before after zombies
  local rate failures status=0 busy0 busy1 own0 own1
  port=$("$BIN/bench_free_port")
  server_cmd "$row" "$port" /bin/echo hi
  start_bg server "${CMD[@]}" 2>>"$LOGFILE"
  if ! wait_for_port "$port" 10; then
    stop_pid "$server"
    check "$scen" "$row" FAIL "the server did not start"
    return
  fi
  before=$(fd_count "$server")
  rm -f "$WORK/report"
  CMD=("$BIN/bench_connect" --connect "127.0.0.1:$port" --count "$count" --workers "$workers"
    --expect-line hi --report "$WORK/report")
  own0=$(on_cpu_us "$server")
  busy0=$(machine_busy_us)
  run_tool || status=$?
  busy1=$(machine_busy_us)
  own1=$(on_cpu_us "$server")
  sleep 0.3  # children of the last connections exit and are reaped
  after=$(fd_count "$server")
  zombies=$(zombie_count "$server")
  stop_pid "$server"
  if [ "$status" -ne 0 ] || [ ! -s "$WORK/report" ]; then
    check "$scen" "$row" FAIL "the connection driver failed (exit status $status)"
    return
  fi
  read -r rate failures <"$WORK/report"
  record "$scen" "$row" "$rate"
  if [ "$workers" -gt 1 ]; then
    record D-8-cpu "$row" "$(per_connection $((busy1 - busy0)) "$count")"
    record D-8-server-cpu "$row" "$(per_connection $((own1 - own0)) "$count")"
  fi
  if [ "$failures" != 0 ]; then
    check "$scen" "$row" FAIL "$failures of $count replies wrong or missing"
  elif [ "$round" = 1 ]; then
    check "$scen" "$row" ok "$count replies correct; fds $before→$after; zombies $zombies"
  fi
}

scenario_D() {
  local row round
  rows_for D reference reference-spawn sockwrap ucspi socat ncat
  for round in $(seq "$ROUNDS"); do
    for row in $(rows_in_turn "$round"); do
      server_run "$row" 1 "$D_SEQUENTIAL" D-sequential "$round"
      server_run "$row" 8 "$D_PARALLEL" D-8-workers "$round"
    done
  done
}

# startup_rows ROW: E, RUNS_PER_ROUND start-ups of `--out` with /bin/true against a sink
# that accepts and drains every connection.
startup_runs() {
  local row=$1 port=$2 ms status
  rm -f "$WORK/report"
  out_cmd "$row" "$port" /bin/true
  CMD=("$BIN/bench_startup" --runs "$E_RUNS_PER_ROUND" --report "$WORK/report" -- "${CMD[@]}")
  run_tool || log "E $row: the timer failed with status $?"
  [ -s "$WORK/report" ] || return 0
  while read -r ms status; do
    record E "$row" "$ms"
    [ "$status" = 0 ] || E_FAILED[$row]=$((${E_FAILED[$row]:-0} + 1))
  done <"$WORK/report"
}

scenario_E() {
  local row round acceptor port total
  declare -gA E_FAILED=()
  rows_for E reference reference-spawn sockwrap sockwrap-exec ucspi socat ncat
  fresh_file "$WORK/pf"
  start_bg acceptor "$BIN/bench_acceptor" --listen 127.0.0.1:0 --port-file "$WORK/pf" \
    --max-seconds 1800
  wait_for_file "$WORK/pf" 10 || die "the connection sink did not start"
  port=$(<"$WORK/pf")
  for round in $(seq "$ROUNDS"); do
    for row in $(rows_in_turn "$round"); do startup_runs "$row" "$port"; done
  done
  stop_pid "$acceptor"
  total=$((ROUNDS * E_RUNS_PER_ROUND))
  for row in "${ROWS[@]}"; do
    if [ "${E_FAILED[$row]:-0}" = 0 ]; then
      check E "$row" ok "all $total runs exited 0"
    else
      check E "$row" FAIL "${E_FAILED[$row]} of $total runs did not exit 0"
    fi
  done
}

scenario_F() {
  local row mode round=0
  rows_for F socat-exec ncat-exec pty-limit socat-pty sockwrap-pty sockwrap-viewer \
    socat-viewer ncat-viewer
  # The check pass runs in the first round's order; then one rotation per timed round.
  for mode in check $(printf 'timed %.0s' $(seq "$ROUNDS")); do
    for row in $(rows_in_turn $((round > 0 ? round : 1))); do
      case $row in
        *-viewer) viewer_run "$row" "$mode" ;;
        *) push_run F "$row" "$mode" "$FDATA" "$FDATA_SIZE" "$FDATA_SUM" ;;
      esac
    done
    round=$((round + 1))
  done
}
