#!/usr/bin/env bash
# End-to-end checks of `tradesim sweep --design sobol:N` (issue 17, global sensitivity): the
# Saltelli variants in runs.csv/summary.csv, sobol.csv and its ranking, --metric and
# --bootstrap, and byte-identical files from threads and from shards + reduce.
#   sobol_checks.sh TRADESIM REPO_ROOT CHECK [MPIEXEC]
set -euo pipefail
bin="$1"; root="$2"; check="$3"; mpiexec="${4:-mpiexec}"
cd "$root"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
lic=scenarios/examples/policies/licence.yaml   # stochastic: licence decisions
approval=policies.us-flagship-licence.license.approval
# Three parameters: the licence approval drives China's imports, the description nothing.
args=(--param "$approval=0.1:0.9" --param routes.SGP.markup=0.02:0.2 --param description=a,b
      --design sobol:8 --runs 2)
files="runs.csv summary.csv sobol.csv scenario.resolved.yaml"

case "$check" in
  outputs)
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" -o "$tmp/s"
    metric_rows "$tmp/s/summary.csv" world all imports_compute > "$tmp/sum"
    [ "$(wc -l < "$tmp/sum")" -eq 41 ] || fail "summary.csv: 8 rows x (3 + 2) variants"
    [ "$(metric_rows "$tmp/s/runs.csv" world all imports_compute | wc -l)" -eq 81 ] \
      || fail "runs.csv: 40 variants x 2 runs"
    head -1 "$tmp/s/runs.csv" | grep -qx "variant,block,row,$approval,routes.SGP.markup,description,run,scope,key,metric,value" \
      || fail "runs.csv header"
    [ "$(cut -d, -f2 "$tmp/sum" | sed -n 2,6p | tr '\n' ' ')" = "A B AB_1 AB_2 AB_3 " ] \
      || fail "summary.csv: blocks of row 0"
    grep -q "^39,AB_3,7," "$tmp/sum" || fail "summary.csv: the last variant"
    /usr/bin/python3 "$(dirname "$0")/check_datapackage.py" "$tmp/s" || fail "datapackage.json of a Sobol sweep"
    head -1 "$tmp/s/sobol.csv" \
      | grep -qx "metric,rank,parameter,s1,s1_low,s1_high,st,st_low,st_high,n,variance,resamples" \
      || fail "sobol.csv header"
    grep -q "^country.CHN.imports_compute,1,$approval," "$tmp/s/sobol.csv" \
      || { grep CHN.imports "$tmp/s/sobol.csv"; fail "approval is not the top parameter for CHN imports"; }
    grep -q "^country.CHN.imports_compute,3,description,0.000000,0.000000,0.000000,0.000000,0.000000,0.000000,8," \
      "$tmp/s/sobol.csv" || fail "description: zero indices"
    # A metric that never varies (no tariffs here) gets empty cells, never nan.
    grep -q "^world.tariff_revenue_usd,,$approval,,,,,,,8,0.000000,0$" "$tmp/s/sobol.csv" \
      || fail "a constant metric has indices"
    ! grep -q nan "$tmp/s/sobol.csv" || fail "nan in sobol.csv"
    grep -q "Sobol indices for world.imports_compute (V = " "$tmp/stdout" || fail "no ranking printed"
    grep -q "1000 resamples" "$tmp/stdout" || fail "the default bootstrap is 1000"
    # The ranking fits 100 columns (the variants table above it lists values, as for Morris).
    awk '/^Sobol indices/ { on = 1 } on && length > 100 { exit 1 }' "$tmp/stdout" \
      || fail "a ranking line is over 100 columns"
    # Deterministic for the seed; --seed moves the design.
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" -o "$tmp/again" --quiet
    same_files "$tmp/s" "$tmp/again" $files
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" -o "$tmp/seed" --quiet --seed 99
    ! cmp -s "$tmp/s/summary.csv" "$tmp/seed/summary.csv" || fail "--seed does not move the design"
    expect_code 0 "$bin" sweep --help
    grep -q "sobol:N" "$tmp/stdout" && grep -q -- "--bootstrap" "$tmp/stdout" || fail "sweep --help"
    ;;
  metric)
    # --metric chooses the metrics given indices (and printed), --bootstrap the resamples.
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" --metric country.CHN.imports_compute \
      --metric world.value_usd --bootstrap 20 -o "$tmp/m"
    [ "$(cut -d, -f1 "$tmp/m/sobol.csv" | tail -n +2 | uniq | tr '\n' ' ')" = \
      "country.CHN.imports_compute world.value_usd " ] || fail "sobol.csv: the metrics named, in order"
    [ "$(cut -d, -f12 "$tmp/m/sobol.csv" | tail -n +2 | sort -u)" = "20" ] || fail "--bootstrap 20"
    grep -q "Sobol indices for country.CHN.imports_compute" "$tmp/stdout" || fail "named metric not printed"
    ! grep -q "Sobol indices for world.imports_compute" "$tmp/stdout" || fail "unnamed metric printed"
    # The indices of a metric do not depend on which others are named.
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" --bootstrap 20 -o "$tmp/all" --quiet
    grep "^country.CHN.imports_compute," "$tmp/all/sobol.csv" > "$tmp/a.txt"
    grep "^country.CHN.imports_compute," "$tmp/m/sobol.csv" > "$tmp/b.txt"
    cmp -s "$tmp/a.txt" "$tmp/b.txt" || fail "CHN imports' indices depend on --metric"
    ;;
  shards)
    # Threads and shards + reduce give byte-identical files, sobol.csv included.
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" --threads 1 -o "$tmp/one" --quiet
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" --threads 2 -o "$tmp/two" --quiet
    same_files "$tmp/one" "$tmp/two" $files
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" --shard 1/2 -o "$tmp/sh" --quiet
    [ ! -e "$tmp/sh/sobol.csv" ] || fail "a shard wrote sobol.csv"
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" --shard 0/2 -o "$tmp/sh" --quiet
    expect_code 0 "$bin" reduce "$tmp/sh"
    same_files "$tmp/one" "$tmp/sh" $files
    grep -q "Sobol indices for world.imports_compute" "$tmp/stdout" || fail "reduce prints no ranking"
    ;;
  mpi)
    # Two MPI ranks give the same files as one process (rank 0 merges and estimates).
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    expect_code 0 "$bin" sweep "$lic" "${args[@]}" -o "$tmp/one" --quiet
    expect_code 0 "$mpiexec" -n 2 --oversubscribe "$bin" sweep "$lic" "${args[@]}" -o "$tmp/two" --quiet
    same_files "$tmp/one" "$tmp/two" $files
    ;;
  *) fail "unknown check $check" ;;
esac
echo "ok: sobol/$check"
