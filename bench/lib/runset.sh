#!/usr/bin/env bash
# Aggregates complete runs of bench/run.sh into a run-set: OUT/runset.md and OUT/runset.tsv.
#
#   bench/lib/runset.sh OUT DIR1 [DIR2 ...]
#
# Each DIR is the result directory of one run (what `bench/run.sh --out DIR` writes:
# stats.tsv, checks.tsv, machine.md and, when G ran, library.md). Per run and row, the ratio
# is the row's median over the scenario's reference median, as in that run's results.md; the
# run-set gives, per row, the median of those ratios over the runs, their spread (min–max)
# and every run's ratio. A target is judged on the median; a ratio whose spread includes the
# target (or 1.0 for the rows without target) is a tie. A row fails its check if any run
# failed one. run.sh --runs N calls this after its N runs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"
# shellcheck source=tools.sh
source "$here/tools.sh"
# shellcheck source=report.sh
source "$here/report.sh"

# Targets beyond report.sh's A-F ones: G's, on the writer's CPU time (see bench/README.md).
RUNSET_TARGETS=("G-cpu|redirect::out, full|>=|0.95")

# machine_fields DIR: date, commit, mode, rounds, 1-minute load before and after, tab-separated
# ("—" for what machine.md does not say).
machine_fields() {
  local file=$1/machine.md
  if [ ! -s "$file" ]; then
    printf '—\t—\t—\t—\t—\t—\n'
    return
  fi
  awk '
    function after(line, key,   i, rest) {
      i = index(line, key)
      if (!i) return ""
      rest = substr(line, i + length(key))
      sub(/[;,( ].*$/, "", rest)
      return rest
    }
    /^- Date:/ {
      d = $0; sub(/^- Date: /, "", d); sub(/;.*$/, "", d)
      c = after($0, "commit "); m = after($0, "mode "); r = after($0, "rounds: ")
    }
    /^- Load average/ {
      l = $0; sub(/^[^:]*: /, "", l)
      split(l, w, " ")
      b = w[1]
      if (match(l, /before, [0-9.]+/)) a = substr(l, RSTART + 8, RLENGTH - 8)
    }
    function given(v) { return v == "" ? "—" : v }
    END { printf "%s\t%s\t%s\t%s\t%s\t%s\n", given(d), given(c), given(m), given(r), given(b), given(a) }
  ' "$file"
}

# run_ratios I DIR: "I SCENARIO ROW RATIO" for every row of the run's stats.tsv whose
# scenario has a reference median.
run_ratios() {
  local refs="" entry id ref
  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r id _ _ _ ref _ <<<"$entry"
    refs+="$id=$ref "
  done
  awk -F'\t' -v i="$1" -v refs="$refs" '
    BEGIN {
      n = split(refs, pairs, " ")
      for (k = 1; k <= n; k++) { split(pairs[k], p, "="); ref[p[1]] = p[2] }
    }
    ($1 in ref) { key[++rows] = $1 SUBSEP $2; med[$1, $2] = $3 }
    END {
      for (k = 1; k <= rows; k++) {
        split(key[k], sr, SUBSEP)
        r = med[sr[1], ref[sr[1]]]
        if (r != "" && r > 0) printf "%s\t%s\t%s\t%.6g\n", i, sr[1], sr[2], med[key[k]] / r
      }
    }' "$2/stats.tsv"
}

# library_ratios I DIR: G's two ratios per writer from library.md, as the pseudo-scenarios G
# (× bare, wall clock) and G-cpu (× bare CPU).
library_ratios() {
  [ -s "$2/library.md" ] || return 0
  awk -F'|' -v i="$1" '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    /^\| *writer *\|/ || /^\|[-:| ]+\|$/ { next }
    /^\|/ && NF >= 8 {
      w = trim($2)
      printf "%s\tG\t%s\t%s\n", i, w, trim($5)
      printf "%s\tG-cpu\t%s\t%s\n", i, w, trim($7)
    }' "$2/library.md"
}

main() {
  [ $# -ge 2 ] || die "usage: runset.sh OUT DIR1 [DIR2 ...]"
  local out=$1 dir i=0 entry id title unit better ref row cmp bound
  shift
  for dir in "$@"; do
    [ -s "$dir/stats.tsv" ] || die "$dir: no stats.tsv (not a result directory of bench/run.sh)"
    [ -f "$dir/checks.tsv" ] || die "$dir: no checks.tsv (not a result directory of bench/run.sh)"
  done
  mkdir -p "$out"
  local tmp
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT

  : >"$tmp/runs.tsv"
  : >"$tmp/ratios.tsv"
  : >"$tmp/checks.tsv"
  : >"$tmp/order.tsv"
  local outabs shown
  outabs=$(cd "$out" && pwd)
  for dir in "$@"; do
    i=$((i + 1))
    shown=$(cd "$dir" && pwd)
    shown=${shown#"$outabs"/}
    printf '%s\t%s\t%s\n' "$i" "$shown" "$(machine_fields "$dir")" >>"$tmp/runs.tsv"
    run_ratios "$i" "$dir" >>"$tmp/ratios.tsv"
    library_ratios "$i" "$dir" >>"$tmp/ratios.tsv"
    awk -F'\t' -v i="$i" 'NF >= 3 { print i "\t" $0 }' "$dir/checks.tsv" >>"$tmp/checks.tsv"
    # The rows in the order they ran: checked first, then measured (as results.md lists them).
    # raw.tsv may have been left out of a stored run.
    cut -f1,2 "$dir/checks.tsv" >>"$tmp/order.tsv"
    [ ! -f "$dir/raw.tsv" ] || cut -f1,2 "$dir/raw.tsv" >>"$tmp/order.tsv"
    cut -f1,2 "$dir/stats.tsv" >>"$tmp/order.tsv"
  done
  awk -F'\t' '$2 != "G" && $2 != "G-cpu" { next } { print $2 "\t" $3 }' "$tmp/ratios.tsv" \
    >>"$tmp/order.tsv"

  : >"$tmp/scenarios.tsv"
  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r id title unit better ref _ <<<"$entry"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$title" "$unit" "$better" "$ref" "$(label "$ref")" \
      >>"$tmp/scenarios.tsv"
  done
  : >"$tmp/targets.tsv"
  for entry in "${TARGETS[@]}" "${RUNSET_TARGETS[@]}"; do
    IFS='|' read -r id row cmp bound <<<"$entry"
    case $id in
      G*) ref="bare 64 KiB streambuf" ;;
      *) ref=$(label "$(scenario_field "$id" 5)") ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$row" "$cmp" "$bound" "$ref" >>"$tmp/targets.tsv"
  done
  cut -f2 "$tmp/order.tsv" | sort -u | while IFS= read -r row; do
    printf '%s\t%s\n' "$row" "$(label "$row")"
  done >"$tmp/labels.tsv"

  awk -F'\t' -f "$here/runset.awk" \
    tsv="$out/runset.tsv" \
    role=runs "$tmp/runs.tsv" role=scenarios "$tmp/scenarios.tsv" \
    role=targets "$tmp/targets.tsv" role=labels "$tmp/labels.tsv" \
    role=order "$tmp/order.tsv" role=checks "$tmp/checks.tsv" \
    role=ratios "$tmp/ratios.tsv" >"$out/runset.md"
  log "Run-set of $i runs: $out/runset.md"
}

main "$@"
