# Turns raw.tsv, checks.tsv and notes.tsv into results.md, summary.md and a PNG chart.
# Sourced by run.sh.

# The scenarios: ID|title|unit|better (higher/lower)|reference row|printf format.
SCENARIOS=(
  "A|A — \`cat\` of the file into the socket (\`--out\`)|GB/s|higher|reference|%.2f"
  "B|B — the program reads the socket (\`--in\`)|GB/s|higher|reference|%.2f"
  "C-connect|C — 32-byte ping-pong, the tool connects (\`--connect\`, cat)|µs|lower|reference|%.1f"
  "C-listen|C — 32-byte ping-pong, the tool listens (\`--listen\`, cat)|µs|lower|reference|%.1f"
  "D-sequential|D — fork-per-connection server, \`/bin/echo hi\`, one client at a time|conn/s|higher|reference|%.0f"
  "D-8-workers|D — the same, 8 clients at once|conn/s|higher|reference|%.0f"
  "D-8-cpu|D — 8 clients at once: CPU time per connection, whole machine (clients, server, programs)|µs|lower|reference|%.0f"
  "D-8-server-cpu|D — 8 clients at once: CPU time per connection of the listening process alone|µs|lower|reference|%.1f"
  "E|E — connect to a sink and run \`/bin/true\` (start-up)|ms|lower|reference|%.2f"
  "F|F — relays: pty and viewer against socat's relays|GB/s|higher|socat-exec|%.3f"
)

# The targets: SCENARIO|ROW|comparison|bound (ratio of ROW to the scenario's reference).
TARGETS=(
  "A|sockwrap|>=|0.97" "B|sockwrap|>=|0.97" "C-connect|sockwrap|<=|1.05"
  "C-listen|sockwrap|<=|1.05" "D-sequential|sockwrap|>=|1.1" "D-8-workers|sockwrap|>=|1.1"
  "E|sockwrap|<=|1.2" "E|sockwrap-exec|<=|1.2" "F|sockwrap-pty|>=|3" "F|sockwrap-viewer|>=|3"
)

# stats: one line per scenario and row: SCENARIO ROW MEDIAN MIN MAX COUNT.
stats() {
  sort -t$'\t' -k1,1 -k2,2 -k3,3g "$RESULTS_DIR/raw.tsv" | awk -F'\t' '
    function flush() {
      if (n == 0) return
      m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      printf "%s\t%s\t%s\t%s\t%s\t%d\n", s, r, m, v[1], v[n], n
    }
    $1 != s || $2 != r { flush(); s = $1; r = $2; n = 0 }
    { v[++n] = $3 }
    END { flush() }'
}

# stat_of SCENARIO ROW FIELD: one number from the stats (3 median, 4 min, 5 max).
stat_of() { awk -F'\t' -v s="$1" -v r="$2" -v f="$3" '$1 == s && $2 == r { print $f }' \
  "$RESULTS_DIR/stats.tsv"; }

# rows_of SCENARIO: the rows measured or checked, in the order they ran.
rows_of() {
  cat "$RESULTS_DIR/checks.tsv" "$RESULTS_DIR/raw.tsv" 2>/dev/null |
    awk -F'\t' -v s="$1" '$1 == s && !seen[$2]++ { print $2 }'
}

# check_of SCENARIO ROW: "FAIL: detail" if any check failed, else the first detail.
check_of() {
  awk -F'\t' -v s="$1" -v r="$2" '
    $1 == s && $2 == r { if ($3 != "ok" && !bad) bad = "**FAIL**: " $4; if (!first) first = $4 }
    END { print (bad ? bad : first) }' "$RESULTS_DIR/checks.tsv"
}

# ratio VALUE REFERENCE: VALUE / REFERENCE, two decimals ("" if either is missing).
ratio() { awk -v v="$1" -v r="$2" 'BEGIN { if (v != "" && r > 0) printf "%.2f", v / r }'; }

scenario_table() {
  local id=$1 title=$2 unit=$3 better=$4 ref=$5 fmt=$6 row med lo hi refmed
  refmed=$(stat_of "$id" "$ref" 3)
  printf '\n### %s\n\n%s, %s is better; ratio to %s.\n\n' "$title" "$unit" "$better" \
    "$(label "$ref")"
  printf '| tool | median | min–max | ratio | check |\n|---|---:|---:|---:|---|\n'
  while read -r row; do
    med=$(stat_of "$id" "$row" 3)
    lo=$(stat_of "$id" "$row" 4)
    hi=$(stat_of "$id" "$row" 5)
    if [ -n "$med" ]; then
      # shellcheck disable=SC2059
      printf "| %s | $fmt | $fmt–$fmt | %s× | %s |\n" "$(label "$row")" "$med" "$lo" "$hi" \
        "$(ratio "$med" "$refmed")" "$(check_of "$id" "$row")"
    else
      printf '| %s | — | — | — | %s |\n' "$(label "$row")" "$(check_of "$id" "$row")"
    fi
  done < <(rows_of "$id")
  # Notes are filed under the scenario letter (C, D) or the full id (C-listen).
  awk -F'\t' -v s="$id" '$1 == s || $1 == substr(s, 1, index(s "-", "-") - 1) {
    print "\n- " $2 }' "$RESULTS_DIR/notes.tsv" 2>/dev/null || true
}

# targets_table: each target with the measured ratio and whether it is met.
targets_table() {
  local entry id row cmp bound ref med refmed r verdict
  printf '| scenario | tool | target | measured | met |\n|---|---|---|---:|---|\n'
  for entry in "${TARGETS[@]}"; do
    IFS='|' read -r id row cmp bound <<<"$entry"
    ref=$(scenario_field "$id" 5)
    med=$(stat_of "$id" "$row" 3)
    refmed=$(stat_of "$id" "$ref" 3)
    r=$(ratio "$med" "$refmed")
    if [ -z "$r" ]; then
      verdict="not measured"
    elif awk -v r="$r" -v b="$bound" -v c="$cmp" 'BEGIN { exit !(c == ">=" ? r >= b : r <= b) }'; then
      verdict=yes
    else
      verdict="**no**"
    fi
    printf '| %s | %s | %s %s× %s | %s | %s |\n' "$id" "$(label "$row")" "$cmp" "$bound" \
      "$(label "$ref")" "${r:+$r×}" "$verdict"
  done
}

# scenario_field ID N: field N of the scenario's description.
scenario_field() {
  local entry
  for entry in "${SCENARIOS[@]}"; do
    [ "${entry%%|*}" = "$1" ] && { cut -d'|' -f"$2" <<<"$entry"; return; }
  done
}

# color ROW: one color per tool family in the chart.
color() {
  case $1 in
    sendfile) echo 0x333333 ;;
    reference* | pty-limit) echo 0x999999 ;;
    sockwrap*) echo 0x1f77b4 ;;
    ucspi) echo 0x2ca02c ;;
    socat*) echo 0xff7f0e ;;
    ncat*) echo 0xd62728 ;;
    *) echo 0x9467bd ;;
  esac
}

# chart_data: per scenario and row: X, label, speed relative to the reference (higher is
# better, whichever way the scenario's unit goes), color. A gap separates the scenarios.
chart_data() {
  local entry id better ref row med refmed x=0
  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r id _ _ better ref _ <<<"$entry"
    refmed=$(stat_of "$id" "$ref" 3)
    [ -n "$refmed" ] || continue
    while read -r row; do
      med=$(stat_of "$id" "$row" 3)
      [ -n "$med" ] || continue
      awk -v x="$x" -v s="$id" -v l="$(label "$row")" -v m="$med" -v r="$refmed" \
        -v b="$better" -v c="$(color "$row")" \
        'BEGIN { printf "%d\t%s: %s\t%.4f\t%d\n", x, s, l, (b == "higher" ? m / r : r / m), c }'
      x=$((x + 1))
    done < <(rows_of "$id")
    x=$((x + 1))
  done
}

# chart PNG: one bar per tool and scenario on a log scale, 1 = the reference.
chart() {
  local png=$1 data="$RESULTS_DIR/chart.tsv"
  chart_data >"$data"
  command -v gnuplot >/dev/null || { log "gnuplot not installed: no chart"; return 0; }
  gnuplot <<GNUPLOT
set terminal pngcairo size 1400,820 font "DejaVu Sans,10"
set output "$png"
set title "Speed relative to each scenario's reference (dashed line = 1; log scale; higher is better)"
set logscale y 10
set yrange [0.005:30]
set grid ytics
set style fill solid 0.85 border -1
set boxwidth 0.8
set xtics rotate by -60 left font ",8" nomirror
set bmargin 17
set rmargin 10
set key off
set datafile separator "\t"
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc rgb "black" front
plot "$data" using 1:3:4:xtic(2) with boxes lc rgb variable, \
     "" using 1:3:(sprintf("%.2f", column(3))) with labels offset 0,0.7 font ",7"
GNUPLOT
}

# write_report: results.md (everything) and summary.md (what the READMEs quote).
write_report() {
  local entry id title unit better ref fmt
  stats >"$RESULTS_DIR/stats.tsv"
  {
    printf '# Benchmark results (%s mode)\n\n' "$MODE"
    cat "$RESULTS_DIR/machine.md"
    printf '\n## Targets\n\n'
    targets_table
    printf '\n## Scenarios\n'
    for entry in "${SCENARIOS[@]}"; do
      IFS='|' read -r id title unit better ref fmt <<<"$entry"
      [ -n "$(rows_of "$id")" ] && scenario_table "$id" "$title" "$unit" "$better" "$ref" "$fmt"
    done
    if [ -s "$RESULTS_DIR/library.md" ]; then
      printf '\n### G — the library (bench/library)\n\n'
      cat "$RESULTS_DIR/library.md"
    fi
  } >"$RESULTS_DIR/results.md"
  chart "$RESULTS_DIR/results.png"
}
