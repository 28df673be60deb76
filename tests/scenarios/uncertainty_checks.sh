#!/usr/bin/env bash
# End-to-end checks of parameter uncertainty (docs/calibration.md, "Parameter uncertainty"):
# draws independent of the thread count, parameters.csv, the same draws in every variant of a
# sweep, --uncertain as the section, one run using the scenario's own values, the equilibrium
# ignoring the section, and compare saying what each ensemble includes.
#   uncertainty_checks.sh TRADESIM REPO_ROOT CHECK [MPIEXEC]
set -euo pipefail
bin="$1"; root="$2"; check="$3"; mpiexec="${4:-mpiexec}"
cd "$root"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
u=scenarios/examples/calibration/uncertainty.yaml
ul=scenarios/examples/calibration/uncertainty-licence.yaml

case "$check" in
  threads)
    expect_code 0 "$bin" run "$u" --runs 6 --threads 1 -o "$tmp/t1" --quiet
    expect_code 0 "$bin" run "$u" --runs 6 --threads 2 -o "$tmp/t2" --quiet
    for f in parameters.csv countries.csv flows.csv summary.csv; do
      cmp -s "$tmp/t1/$f" "$tmp/t2/$f" || fail "$f differs between 1 and 2 threads"
    done
    # The drawn parameters make the runs differ (without them, this world's runs are identical).
    awk -F, '$1 == "world" && $3 == "imports_compute" && $5 + 0 > 0 {ok = 1} END {exit !ok}' \
      "$tmp/t1/summary.csv" || fail "runs do not differ"
    # The run's own summary says what its spread includes, and that a plain world has none.
    expect_code 0 "$bin" run "$u" --runs 3 -o "$tmp/t3"
    grep -q "(the runs include seizure draws, parameters (buyers.cn-cloud.price_elasticity," \
      "$tmp/stdout" || fail "run: no line on what the runs include"
    expect_code 0 "$bin" run scenarios/examples/two-suppliers.yaml --runs 3 -o "$tmp/t4"
    grep -q "(no random parts: all 3 runs are identical)" "$tmp/stdout" \
      || fail "run: a world without random parts not said to be deterministic"
    ;;
  shards)
    # Two shards reduced give the files of one process, parameters.csv and the manifest's
    # random parts included (they travel through parts/plan.yaml).
    expect_code 0 "$bin" run "$u" --runs 4 --shard 0/2 -o "$tmp/sh" --quiet
    expect_code 0 "$bin" run "$u" --runs 4 --shard 1/2 -o "$tmp/sh" --quiet
    expect_code 0 "$bin" reduce "$tmp/sh"
    expect_code 0 "$bin" run "$u" --runs 4 -o "$tmp/one" --quiet
    for f in parameters.csv countries.csv summary.csv; do
      cmp -s "$tmp/sh/$f" "$tmp/one/$f" || fail "$f differs between shards and one process"
    done
    grep -q '"random_parts": "seizure draws, parameters (' "$tmp/sh/manifest.json" || fail "reduce lost random_parts"
    ;;
  mpi)
    # Two MPI ranks give the files of one process (each rank builds the runs it simulates).
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    expect_code 0 "$mpiexec" -n 2 --oversubscribe "$bin" run "$u" --runs 5 -o "$tmp/m" --quiet
    expect_code 0 "$bin" run "$u" --runs 5 -o "$tmp/one" --quiet
    for f in parameters.csv countries.csv summary.csv; do
      cmp -s "$tmp/m/$f" "$tmp/one/$f" || fail "$f differs between 2 ranks and one process"
    done
    ;;
  parameters-csv)
    expect_code 0 "$bin" run "$u" --runs 4 -o "$tmp/p" --quiet
    head -1 "$tmp/p/parameters.csv" | grep -qx "run,path,value" || fail "parameters.csv header"
    [ "$(wc -l < "$tmp/p/parameters.csv")" -eq 13 ] || fail "parameters.csv: 4 runs x 3 paths"
    grep -q '^3,routes.MYS.detection,' "$tmp/p/parameters.csv" || fail "parameters.csv: run 3"
    grep -q '"random_parts": "seizure draws, parameters (' "$tmp/p/manifest.json" || fail "manifest random_parts"
    grep -q '^uncertainty:' "$tmp/p/scenario.resolved.yaml" || fail "resolved YAML lost the section"
    # The same seed and run index draw the same values in the policy variant.
    expect_code 0 "$bin" run "$ul" --runs 4 -o "$tmp/pl" --quiet
    cmp -s "$tmp/p/parameters.csv" "$tmp/pl/parameters.csv" || fail "the variant drew other values"
    expect_code 0 "$bin" run "$u" --runs 4 --seed 8 -o "$tmp/p8" --quiet
    ! cmp -s "$tmp/p/parameters.csv" "$tmp/p8/parameters.csv" || fail "--seed does not move the draws"
    ;;
  single-run)
    expect_code 0 "$bin" run "$u" -o "$tmp/one" --quiet
    grep -q "uncertainty: one run uses the scenario's own values" "$tmp/stderr" || fail "no warning"
    [ ! -e "$tmp/one/parameters.csv" ] || fail "a single run wrote parameters.csv"
    expect_code 0 "$bin" run scenarios/examples/policies/base.yaml -o "$tmp/base" --quiet
    cmp -s "$tmp/one/countries.csv" "$tmp/base/countries.csv" || fail "a single run drew values"
    ;;
  cli-form)
    expect_code 0 "$bin" run scenarios/examples/policies/base.yaml --runs 5 -o "$tmp/c" --quiet \
      --uncertain 'buyers.cn-cloud.price_elasticity=normal:1.0,0.25,min=0.1' \
      --uncertain 'suppliers.cn-domestic.offers.cn-accel.capacity=lognormal:3900,0.3' \
      --uncertain 'routes.MYS.detection=triangular:0.02,0.10,0.25'
    expect_code 0 "$bin" run "$u" --runs 5 -o "$tmp/s" --quiet
    cmp -s "$tmp/c/parameters.csv" "$tmp/s/parameters.csv" || fail "--uncertain drew other values"
    cmp -s "$tmp/c/countries.csv" "$tmp/s/countries.csv" || fail "--uncertain gave other runs"
    ;;
  sweep)
    expect_code 0 "$bin" sweep "$u" --runs 3 -o "$tmp/sw" --quiet \
      --param 'buyers.cn-cloud.risk_tolerance=0.3,0.6'
    [ -s "$tmp/sw/parameters.csv" ] || fail "a sweep with uncertainty wrote no parameters.csv"
    expect_code 0 "$bin" run "$u" --runs 3 -o "$tmp/r" --quiet --detail none
    cmp -s "$tmp/sw/parameters.csv" "$tmp/r/parameters.csv" || fail "the sweep drew other values"
    # Variant 0 (risk tolerance 0.5 -> 0.3) of the sweep: its runs are those of `run --set`.
    expect_code 0 "$bin" run "$u" --runs 3 -o "$tmp/v0" --quiet --detail none \
      --set buyers.cn-cloud.risk_tolerance=0.3
    a=$(awk -F, '$1 == "world" && $3 == "imports_compute" {print $4}' "$tmp/v0/summary.csv")
    b=$(metric_rows "$tmp/sw/summary.csv" world all imports_compute | awk -F, 'NR == 2 {print $3}')
    [ "$a" = "$b" ] || fail "sweep variant 0 mean $b differs from run --set $a"
    ;;
  equilibrium)
    expect_code 0 "$bin" equilibrium "$u"
    grep -q "the uncertainty section is ignored" "$tmp/stderr" || fail "no warning"
    ;;
  compare)
    expect_code 0 "$bin" run "$u" --runs 8 -o "$tmp/b" --quiet
    expect_code 0 "$bin" run "$ul" --runs 8 -o "$tmp/l" --quiet
    expect_code 0 "$bin" compare "$tmp/b" "$tmp/l" --metric imports_compute -o "$tmp/c.csv"
    grep -q "uncertainty-licence: the 8 runs include licence draws, seizure draws, parameters" \
      "$tmp/stdout" || fail "compare: no line on what the runs include"
    grep -q "mean ±se \[p05, p95\]" "$tmp/stdout" || fail "compare: no se in the table"
    head -1 "$tmp/c.csv" | grep -q ",diff_pct,se,diff_se$" || fail "compare CSV: se, diff_se"
    expect_code 0 "$bin" run scenarios/examples/policies/base.yaml --runs 3 -o "$tmp/d" --quiet \
      --set routes.SGP.detection=0 --set routes.MYS.detection=0
    expect_code 0 "$bin" compare "$tmp/d" "$tmp/d" --metric imports_compute
    grep -q "no random parts: all 3 runs are identical" "$tmp/stdout" || fail "deterministic ensemble"
    ;;
  *) fail "unknown check '$check'" ;;
esac
echo "ok: $check"
