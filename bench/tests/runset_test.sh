#!/usr/bin/env bash
# Tests bench/lib/runset.sh on synthetic result directories with known ratios: the medians,
# spreads, per-run lists, target verdicts, ties and failed checks it must report. Needs no
# build and measures nothing; ctest runs it as bench.runset.
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}

# run_dir DIR DATE COMMIT: a result directory as bench/run.sh writes it; stats.tsv and
# checks.tsv come from stdin, separated by a line "--".
run_dir() {
  local dir=$1 part=stats line
  mkdir -p "$dir"
  : >"$dir/stats.tsv"
  : >"$dir/checks.tsv"
  while IFS= read -r line; do
    if [ "$line" = "--" ]; then part=checks && continue; fi
    # The first three spaces separate fields; a check's detail keeps its own.
    printf '%s\n' "$line" | sed 's/ /\t/; s/ /\t/; s/ /\t/' >>"$dir/$part.tsv"
  done
  cat >"$dir/machine.md" <<EOF
- Date: $2; commit $3; mode full; rounds: 7 (the tools take turns in each).
- Machine: test, 2 CPUs, Linux test.
- Load average (1, 5, 15 min): 0.50 0.40 0.30 before, 1.50 1.40 1.30 after.
EOF
}

# library DIR WALL CPU: library.md with redirect::out's two ratios to the bare buffer.
library() {
  cat >"$1/library.md" <<EOF
machine: test; load before: 0.5 0.4 0.3 1/85 1
| writer | MB/s | M lines/s | × bare | writer CPU ns/line | × bare CPU |
|---|---:|---:|---:|---:|---:|
| bare 64 KiB streambuf | 234 | 18.15 | 1.00 | 54 | 1.00 |
| redirect::out, full | 213 | 16.53 | $2 | 60 | $3 |

10000000 lines (128888890 bytes) per run, median of 3 rounds
EOF
}

# Three runs, ratios to the reference: A sockwrap 1.00, 0.90, 1.05; A socat 0.50, 0.60, 0.55
# (its check fails in run 2); A ucspi 1.10, 1.20 (not in run 3). E sockwrap 1.50, 1.30, 1.40;
# E sockwrap --exec 1.10, 1.30, 1.15 (a check fails in run 3). F: the viewer 3.20, 2.00, 2.50
# against socat EXEC. G: redirect::out against the bare buffer 0.91, 1.04, 1.02 (wall clock)
# and 0.90, 0.96, 1.00 (CPU).
run_dir "$tmp/r1" "2026-01-01 10:00 UTC" abc1234 <<'EOF'
A reference 2.0 1.8 2.2 7
A sockwrap 2.0 1.9 2.1 7
A socat 1.0 0.9 1.1 7
A ucspi 2.2 2.0 2.3 7
E reference 1.0 0.9 1.2 280
E sockwrap 1.5 1.4 1.9 280
E sockwrap-exec 1.1 1.0 1.3 280
F socat-exec 1.0 0.9 1.1 7
F sockwrap-viewer 3.2 3.0 3.4 7
--
A reference ok sha256 matches
A sockwrap ok sha256 matches
A socat ok sha256 matches
A ucspi ok sha256 matches
EOF
library "$tmp/r1" 0.91 0.90
run_dir "$tmp/r2" "2026-01-01 10:20 UTC" abc1234 <<'EOF'
A reference 1.0 0.9 1.1 7
A sockwrap 0.9 0.8 1.0 7
A socat 0.6 0.5 0.7 7
A ucspi 1.2 1.1 1.3 7
E reference 2.0 1.9 2.2 280
E sockwrap 2.6 2.4 2.9 280
E sockwrap-exec 2.6 2.4 2.8 280
F socat-exec 1.0 0.9 1.1 7
F sockwrap-viewer 2.0 1.8 2.2 7
--
A reference ok sha256 matches
A sockwrap ok sha256 matches
A socat FAIL sha256 differs
A ucspi ok sha256 matches
EOF
library "$tmp/r2" 1.04 0.96
run_dir "$tmp/r3" "2026-01-01 10:40 UTC" abc1234 <<'EOF'
A reference 1.0 0.9 1.1 7
A sockwrap 1.05 0.9 1.1 7
A socat 0.55 0.5 0.6 7
E reference 1.0 0.9 1.1 280
E sockwrap 1.4 1.3 1.5 280
E sockwrap-exec 1.15 1.1 1.2 280
F socat-exec 2.0 1.9 2.1 7
F sockwrap-viewer 5.0 4.8 5.2 7
--
A reference ok sha256 matches
A sockwrap ok sha256 matches
A socat ok sha256 matches
E sockwrap-exec FAIL 1 of 280 runs did not exit 0
EOF
library "$tmp/r3" 1.02 1.00

# expect FILE KIND SCENARIO ROW REST: the line of runset.tsv for that row, from field 4 on.
expect() {
  local file=$1 kind=$2 scen=$3 row=$4 want=$5 got
  got=$(awk -F'\t' -v k="$kind" -v s="$scen" -v r="$row" \
    '$1 == k && $2 == s && $3 == r { $1 = $2 = $3 = ""; sub(/^\t\t\t/, ""); print }' OFS='\t' "$file")
  want=$(printf '%s' "$want" | tr '|' '\t')
  [ "$got" = "$want" ] || fail "$kind $scen $row: got '$got', want '$want'"
}

# contains FILE TEXT: runset.md says TEXT.
contains() { grep -qF -- "$2" "$1" || fail "$1 does not say: $2"; }

out="$tmp/set"
bash "$bench/lib/runset.sh" "$out" "$tmp/r1" "$tmp/r2" "$tmp/r3" 2>/dev/null ||
  fail "runset.sh failed on three runs"
tsv="$out/runset.tsv"
# target|runs|median|min|max|per run|met|reading|check
expect "$tsv" target A sockwrap '>=0.97|3|1.0000|0.9000|1.0500|1.00, 0.90, 1.05|yes|tie|ok'
expect "$tsv" target E sockwrap '<=1.2|3|1.4000|1.3000|1.5000|1.50, 1.30, 1.40|no|missed|-'
expect "$tsv" target E sockwrap-exec '<=1.2|3|1.1500|1.1000|1.3000|1.10, 1.30, 1.15|FAIL|tie|FAIL'
expect "$tsv" target F sockwrap-viewer '>=3|3|2.5000|2.0000|3.2000|3.20, 2.00, 2.50|no|tie|-'
expect "$tsv" target G-cpu 'redirect::out, full' '>=0.95|3|0.9600|0.9000|1.0000|0.90, 0.96, 1.00|yes|tie|ok'
expect "$tsv" target B sockwrap '>=0.97|0|-|-|-|—, —, —|-|-|-'
expect "$tsv" ratio A socat '-|3|0.5500|0.5000|0.6000|0.50, 0.60, 0.55|-|worse|FAIL'
expect "$tsv" ratio A reference '-|3|1.0000|1.0000|1.0000|1.00, 1.00, 1.00|-|reference|ok'
expect "$tsv" ratio A ucspi '-|2|1.1500|1.1000|1.2000|1.10, 1.20, —|-|better|ok'
expect "$tsv" ratio E sockwrap '-|3|1.4000|1.3000|1.5000|1.50, 1.30, 1.40|-|worse|-'
expect "$tsv" ratio G 'redirect::out, full' '-|3|1.0200|0.9100|1.0400|0.91, 1.04, 1.02|-|-|-'
md="$out/runset.md"
contains "$md" "# Benchmark run-set: 3 runs (full mode)"
contains "$md" "| A | sockwrap | >= 0.97× C reference (zero relay) | 1.00× | 0.90–1.05× | 1.00, 0.90, 1.05 | yes | **tie**: includes 0.97× | ok in 3 of 3 runs |"
contains "$md" "| E | sockwrap | <= 1.2× C reference (zero relay) | 1.40× | 1.30–1.50× | 1.50, 1.30, 1.40 | **no** | missed in every run |"
contains "$md" "| socat | 0.55× | 0.50–0.60× | 0.50, 0.60, 0.55 | worse in every run | **FAIL** in 1 of 3 runs (run 2: sha256 differs) |"
contains "$md" "- run 2, A, socat: sha256 differs"
contains "$md" "- run 3, E, sockwrap --exec: 1 of 280 runs did not exit 0"
contains "$md" "| E | sockwrap --exec | <= 1.2× C reference (zero relay) | 1.15× | 1.10–1.30× | 1.10, 1.30, 1.15 | **FAIL** (a check failed) |"
contains "$md" "Met on the median: 2 of 11 targets (5 measured); ties (the spread includes the target): 4."
contains "$md" "| 2: $tmp/r2 | 2026-01-01 10:20 UTC | abc1234 | full | 7 | 0.50 → 1.50 | 4 checks, **1 failed** |"
grep -q "different commits" "$md" && fail "one commit reported as several"

# Two runs: the median of an even count is the mean of the middle two; directories under
# OUT are shown relative to it, as links.
mkdir -p "$tmp/pair"
cp -r "$tmp/r1" "$tmp/pair/run-1"
cp -r "$tmp/r2" "$tmp/pair/run-2"
sed -i 's/commit abc1234/commit def5678/' "$tmp/pair/run-2/machine.md"
bash "$bench/lib/runset.sh" "$tmp/pair" "$tmp/pair/run-1" "$tmp/pair/run-2" 2>/dev/null ||
  fail "runset.sh failed on two runs"
expect "$tmp/pair/runset.tsv" target A sockwrap '>=0.97|2|0.9500|0.9000|1.0000|1.00, 0.90|no|tie|ok'
contains "$tmp/pair/runset.md" "| 1: [run-1](run-1/results.md) |"
contains "$tmp/pair/runset.md" "The runs are of different commits (abc1234 def5678)"

# Not a result directory: refused.
mkdir -p "$tmp/empty"
if bash "$bench/lib/runset.sh" "$tmp/bad" "$tmp/r1" "$tmp/empty" 2>/dev/null; then
  fail "runset.sh accepted a directory without stats.tsv"
fi

if [ "$failures" -gt 0 ]; then
  printf '%d check(s) failed\n' "$failures" >&2
  exit 1
fi
echo "runset: every check passed"
