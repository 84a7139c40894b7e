# The run-set report (runset.md on stdout, runset.tsv into the file `tsv`), from the tables
# bench/lib/runset.sh prepares. Each input file is preceded by role=NAME on the command line:
#   runs       I DIR DATE COMMIT MODE ROUNDS LOAD_BEFORE LOAD_AFTER
#   scenarios  ID TITLE UNIT BETTER REFERENCE_ROW REFERENCE_LABEL
#   targets    ID ROW CMP BOUND REFERENCE_LABEL
#   labels     ROW LABEL
#   order      ID ROW (first appearance gives the order of the rows)
#   checks     I ID ROW ok|FAIL DETAIL
#   ratios     I ID ROW RATIO (ID G and G-cpu: the library table's two ratios)

role == "runs" { runs = $1; dir[$1] = $2; date[$1] = $3; commit[$1] = $4; mode[$1] = $5
  rounds[$1] = $6; loadb[$1] = $7; loada[$1] = $8; next }
role == "scenarios" { ns++; sid[ns] = $1; title[$1] = $2; unit[$1] = $3; better[$1] = $4
  ref[$1] = $5; reflabel[$1] = $6; next }
role == "targets" { nt++; tid[nt] = $1; trow[nt] = $2; tcmp[nt] = $3; tbound[nt] = $4
  tref[nt] = $5; next }
role == "labels" { label[$1] = $2; next }
role == "order" { if (!(($1, $2) in seen)) { seen[$1, $2] = 1; nrow[$1]++; rowat[$1, nrow[$1]] = $2 }
  next }
role == "checks" {
  nchecks[$1]++
  if ($4 == "ok") ok[$1, $2, $3]++
  else {
    failed[$1, $2, $3]++
    if (!(($2, $3) in faildetail)) faildetail[$2, $3] = "run " $1 ": " $5
    nfail++; faillist[nfail] = "run " $1 ", " $2 ", " name($3) ": " $5
  }
  next
}
role == "ratios" { ratio[$1, $2, $3] = $4; hasscen[$2] = 1; if ($2 == "G") gran[$1] = 1; next }

function name(row) { return (row in label) ? label[row] : row }

# fmt R: a ratio as the tables print it (three decimals below 0.1, as the library's table).
function fmt(r) {
  if (r == "") return "—"
  return sprintf(r + 0 < 0.1 ? "%.3f" : "%.2f", r)
}

# gather ID ROW: sets n, med, lo, hi and list (every run's ratio, "—" where it has none).
function gather(id, row,   k, j, t, v) {
  n = 0; list = ""
  for (k = 1; k <= runs; k++) {
    if ((k, id, row) in ratio) {
      v[++n] = ratio[k, id, row] + 0
      list = list (k > 1 ? ", " : "") fmt(v[n])
    } else list = list (k > 1 ? ", " : "") "—"
  }
  for (k = 2; k <= n; k++) {
    t = v[k]
    for (j = k - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]
    v[j + 1] = t
  }
  if (n == 0) { med = lo = hi = ""; return }
  med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  lo = v[1]; hi = v[n]
}

# check_of ID ROW: the row's checks over the runs; sets cstate (ok, FAIL or -).
function check_of(id, row,   k, good, bad) {
  good = bad = 0
  for (k = 1; k <= runs; k++) {
    if ((k, id, row) in failed) bad++
    else if ((k, id, row) in ok) good++
  }
  if (bad) { cstate = "FAIL"; return "**FAIL** in " bad " of " runs " runs (" faildetail[id, row] ")" }
  if (good) { cstate = "ok"; return "ok in " good " of " runs " runs" }
  cstate = "-"
  return "—"
}

# check_library: G's check. The library benchmark fails as a whole (run.sh files the check
# G library only then), so a run with G's table and no failure counts as a pass.
function check_library(   k, good, bad) {
  good = bad = 0
  for (k = 1; k <= runs; k++) {
    if ((k, "G", "library") in failed) bad++
    else if (k in gran) good++
  }
  if (bad) { cstate = "FAIL"; return "**FAIL** in " bad " of " runs " runs (" faildetail["G", "library"] ")" }
  if (good) { cstate = "ok"; return "ok in " good " of " runs " runs" }
  cstate = "-"
  return "—"
}

# meets R CMP BOUND: whether the ratio, as printed, meets the target.
function meets(r, cmp, bound) {
  r = fmt(r) + 0
  return cmp == ">=" ? r >= bound + 0 : r <= bound + 0
}

# within BOUND: whether the spread, as printed, includes BOUND.
function within(bound) { return fmt(lo) + 0 <= bound + 0 && fmt(hi) + 0 >= bound + 0 }

function spread() { return n ? fmt(lo) "–" fmt(hi) "×" : "—" }
function times(r) { return r == "" ? "—" : fmt(r) "×" }
function tsvnum(r) { return r == "" ? "-" : sprintf("%.4f", r) }

function tsvline(kind, id, row, target, met, reading, check) {
  printf "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", kind, id, row, target, n,
    tsvnum(med), tsvnum(lo), tsvnum(hi), list, met, reading, check > tsv
}

function header(   k, commits, c, modes, d) {
  for (k = 1; k <= runs; k++) {
    if (!index(" " commits " ", " " commit[k] " ")) { commits = commits (commits ? " " : "") commit[k]; c++ }
    if (!index(" " modes " ", " " mode[k] " ")) modes = modes (modes ? ", " : "") mode[k]
  }
  printf "# Benchmark run-set: %d run%s (%s mode)\n\n", runs, runs == 1 ? "" : "s", modes
  print "Each run is a complete `bench/run.sh` run with its own tables. Per row, each run's ratio"
  print "is the row's median over the scenario's reference median in that run (what its results.md"
  print "shows); the run-set gives the median of those ratios over the runs, their spread"
  print "(min–max) and every run's ratio, in run order. A target is judged on the median ratio."
  print "**A ratio whose spread includes the target — or 1.0, for a row against its reference — is"
  print "a tie on this machine:** the runs do not tell the two apart. A row fails its check if any"
  print "run failed one."
  print ""
  print "| run | date (its end) | commit | mode | rounds | load (1 min) before → after | checks |"
  print "|---|---|---|---|---:|---|---|"
  for (k = 1; k <= runs; k++) {
    d = dir[k]
    if (substr(d, 1, 1) != "/") d = "[" d "](" d "/results.md)"
    printf "| %d: %s | %s | %s | %s | %s | %s → %s | %s |\n", k, d, date[k], commit[k], mode[k],
      rounds[k], loadb[k], loada[k], runfails(k)
  }
  print ""
  if (c > 1) printf "The runs are of different commits (%s): their spread mixes code and machine.\n\n", commits
  if (nfail) {
    printf "**Failed checks (%d):**\n\n", nfail
    for (k = 1; k <= nfail; k++) print "- " faillist[k]
    print ""
  } else print "Every check of every run passed.\n"
}

function runfails(k,   key, bad, split_key) {
  bad = 0
  for (key in failed) { split(key, split_key, SUBSEP); if (split_key[1] == k) bad += failed[key] }
  return (nchecks[k] + 0) " checks" (bad ? ", **" bad " failed**" : ", all ok")
}

function targets(   t, id, row, met, tmet, reading, check, metn, ties, measured) {
  print "## Targets\n"
  print "| scenario | tool | target | median | spread | per run | met on the median | spread against the target | check |"
  print "|---|---|---|---:|---:|---:|---|---|---|"
  for (t = 1; t <= nt; t++) {
    id = tid[t]; row = trow[t]
    gather(id, row)
    check = (id ~ /^G/) ? check_library() : check_of(id, row)
    if (!n) { met = "not measured"; tmet = "-"; reading = "—"; rd = "-" }
    else {
      measured++
      if (cstate == "FAIL") { met = "**FAIL** (a check failed)"; tmet = "FAIL" }
      else if (meets(med, tcmp[t], tbound[t])) { met = "yes"; tmet = "yes"; metn++ }
      else { met = "**no**"; tmet = "no" }
      if (within(tbound[t])) { reading = "**tie**: includes " tbound[t] "×"; rd = "tie"; ties++ }
      else if (meets(lo, tcmp[t], tbound[t])) { reading = "met in every run"; rd = "met" }
      else { reading = "missed in every run"; rd = "missed" }
    }
    printf "| %s | %s | %s %s× %s | %s | %s | %s | %s | %s | %s |\n", id == "G-cpu" ? "G (writer CPU)" : id,
      name(row), tcmp[t], tbound[t], tref[t], times(med), spread(), list, met, reading, check
    tsvline("target", id, row, tcmp[t] tbound[t], tmet, rd, cstate)
  }
  printf "\nMet on the median: %d of %d targets (%d measured); ties (the spread includes the target): %d.\n",
    metn, nt, measured, ties
}

function scenario(id,   k, row, reading, check) {
  printf "\n### %s\n\n%s, %s is better; ratio to %s, per run.\n\n", title[id], unit[id], better[id], reflabel[id]
  print "| tool | median ratio | spread | per run | against the reference | check |"
  print "|---|---:|---:|---:|---|---|"
  for (k = 1; k <= nrow[id]; k++) {
    row = rowat[id, k]
    gather(id, row)
    check = check_of(id, row)
    if (row == ref[id]) { reading = "reference"; rd = "reference" }
    else if (!n) { reading = "not measured"; rd = "-" }
    else if (within(1)) { reading = "**tie**"; rd = "tie" }
    else if ((fmt(lo) + 0 > 1) == (better[id] == "higher")) { reading = "better in every run"; rd = "better" }
    else { reading = "worse in every run"; rd = "worse" }
    printf "| %s | %s | %s | %s | %s | %s |\n", name(row), times(med), spread(), list, reading, check
    tsvline("ratio", id, row, "-", "-", rd, cstate)
  }
}

function library(   k, row, check, wm, ws, wl, cm, cs, cl) {
  printf "\n### G — the library (bench/library)\n\n"
  printf "Ratios to the bare 64 KiB streambuf, wall clock and the writer's CPU time, per run. "
  printf "The library benchmark's own check (every byte arrives): %s.\n\n", check_library()
  print "| writer | × bare: median | spread | per run | × bare CPU: median | spread | per run |"
  print "|---|---:|---:|---:|---:|---:|---:|"
  for (k = 1; k <= nrow["G"]; k++) {
    row = rowat["G", k]
    gather("G", row); wm = times(med); ws = spread(); wl = list
    tsvline("ratio", "G", row, "-", "-", "-", "-")
    gather("G-cpu", row); cm = times(med); cs = spread(); cl = list
    tsvline("ratio", "G-cpu", row, "-", "-", "-", "-")
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", row, wm, ws, wl, cm, cs, cl
  }
}

END {
  printf "kind\tscenario\trow\ttarget\truns\tmedian\tmin\tmax\tper_run\tmet\treading\tcheck\n" > tsv
  header()
  targets()
  print "\n## Scenarios"
  for (s = 1; s <= ns; s++) if (sid[s] in hasscen) scenario(sid[s])
  if ("G" in hasscen) library()
}
