#!/usr/bin/env bash
# End-to-end checks of ensembles, sweeps, shards, reduce and MPI (issue 8): the same job run
# with 1 or 2 threads, in 1 or 2 MPI ranks, or as 2 shards reduced, gives byte-identical files.
#   ensemble_checks.sh TRADESIM REPO_ROOT CHECK [MPIEXEC]
set -euo pipefail
bin="$1"; root="$2"; check="$3"; mpiexec="${4:-mpiexec}"
cd "$root"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
ex=scenarios/examples/policies/export-control.yaml   # stochastic: seizures on diverted routes
lic=scenarios/examples/policies/licence.yaml         # stochastic: licence decisions
run_files="flows.csv countries.csv markets.csv revenue.csv events.csv summary.csv scenario.resolved.yaml"
sweep_files="runs.csv summary.csv scenario.resolved.yaml"
# A grid of 2 x 2 variants; every variant has diverted flows, so seizures make runs differ.
sweep_args=(--param routes.SGP.detection=0.05,0.2 --param buyers.cn-cloud.risk_tolerance=0.3:0.6:0.3)
# OpenMPI refuses to start as root without these (CI runs as root).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi() { "$mpiexec" -n 2 --oversubscribe "$@"; }

case "$check" in
  threads)
    expect_code 0 "$bin" run "$ex" --runs 6 --threads 1 -o "$tmp/t1" --quiet
    expect_code 0 "$bin" run "$ex" --runs 6 --threads 2 -o "$tmp/t2" --quiet
    same_files "$tmp/t1" "$tmp/t2" $run_files
    head -1 "$tmp/t1/summary.csv" | grep -qx "scope,key,metric,mean,sd,p05,p50,p95,runs,se" || fail "summary.csv header"
    head -1 "$tmp/t1/flows.csv" | grep -q "^run,tick,date," || fail "flows.csv has no run column"
    [ "$(cut -d, -f1 "$tmp/t1/countries.csv" | tail -n +2 | uniq | tr '\n' ' ')" = "0 1 2 3 4 5 " ] || fail "runs not in run-index order"
    grep -q "^world,all,seized_units,.*,6,[^,]*$" "$tmp/t1/summary.csv" || fail "no seized_units statistics over 6 runs"
    awk -F, '$3 == "seized_units" && $1 == "world" && $5 + 0 > 0 {ok = 1} END {exit !ok}' "$tmp/t1/summary.csv" \
      || fail "runs do not differ (sd of seized_units is 0)"
    grep -q '"runs": 6' "$tmp/t1/manifest.json" || fail "manifest runs"
    grep -q '"threads": 2' "$tmp/t2/manifest.json" || fail "manifest threads"
    ;;
  single-run-threads)
    # One run split over threads (the per-buyer phases: routes, choice) writes the same files
    # as one thread: a dense generated world at buyer detail, and a stochastic example.
    expect_code 0 "$bin" generate --countries 10 --suppliers 6 --products 3 --buyers 300 --hubs 3 \
      --ticks 12 --offers-per-buyer all -o "$tmp/dense.yaml"
    for t in 1 2 3; do
      expect_code 0 "$bin" run "$tmp/dense.yaml" --detail buyer --threads $t -o "$tmp/d$t" --quiet
      expect_code 0 "$bin" run "$ex" --threads $t -o "$tmp/e$t" --quiet
    done
    for t in 2 3; do
      same_files "$tmp/d1" "$tmp/d$t" $run_files
      same_files "$tmp/e1" "$tmp/e$t" $run_files
    done
    grep -q '"threads": 3' "$tmp/d3/manifest.json" || fail "manifest threads of a single run"
    [ "$(wc -l < "$tmp/d1/flows.csv")" -gt 3000 ] || fail "the dense world shipped too little to test"
    ;;
  run-is-reproducible)
    # Run 2 of an ensemble is the single run with RunConfig.run = 2, whatever else ran: the rows
    # of run 2 in a 3-run ensemble equal those of run 2 in a 5-run ensemble on 2 threads.
    expect_code 0 "$bin" run "$ex" --runs 3 -o "$tmp/a" --quiet
    expect_code 0 "$bin" run "$ex" --runs 5 --threads 2 -o "$tmp/b" --quiet
    for f in flows.csv countries.csv markets.csv; do
      cmp -s <(grep "^2," "$tmp/a/$f") <(grep "^2," "$tmp/b/$f") || fail "run 2 of $f depends on the ensemble"
    done
    # Run 0 of an ensemble is the plain run (same seed, run 0), plus the run column.
    expect_code 0 "$bin" run "$ex" -o "$tmp/single" --quiet
    cmp -s <(tail -n +2 "$tmp/single/flows.csv") <(grep "^0," "$tmp/a/flows.csv" | cut -d, -f2-) \
      || fail "run 0 differs from the single run"
    ;;
  sweep-threads)
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 3 --threads 1 -o "$tmp/s1" --quiet
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 3 --threads 2 -o "$tmp/s2" --quiet
    same_files "$tmp/s1" "$tmp/s2" $sweep_files
    # Long, like a run's summary.csv: a row per variant (and run) and metric.
    metric_rows "$tmp/s1/runs.csv" world all imports_compute > "$tmp/runs"
    metric_rows "$tmp/s1/summary.csv" world all imports_compute > "$tmp/sum"
    [ "$(wc -l < "$tmp/runs")" -eq 13 ] || fail "runs.csv: expected 4 variants x 3 runs"
    [ "$(wc -l < "$tmp/sum")" -eq 5 ] || fail "summary.csv: expected one row per variant"
    head -1 "$tmp/s1/runs.csv" | grep -qx "variant,routes.SGP.detection,buyers.cn-cloud.risk_tolerance,run,scope,key,metric,value" \
      || fail "runs.csv header"
    head -1 "$tmp/s1/summary.csv" | grep -qx "variant,routes.SGP.detection,buyers.cn-cloud.risk_tolerance,scope,key,metric,mean,sd,p05,p50,p95,runs,se" \
      || fail "summary.csv header"
    grep -q "^3,0.2,0.6,.*,3,[^,]*$" "$tmp/sum" || fail "summary.csv: variant 3 row"
    # Every scope of a run's summary, routes and channels included, for every variant.
    for scope in world country supplier offer revenue route channel; do
      [ "$(awk -F, -v s=$scope '$4 == s {print $1}' "$tmp/s1/summary.csv" | sort -u | wc -l)" -eq 4 ] \
        || fail "summary.csv: scope $scope missing from some variant"
    done
    /usr/bin/python3 "$(dirname "$0")/check_datapackage.py" "$tmp/s1" || fail "datapackage.json of a sweep"
    ;;
  sweep-quoted-id)
    # --param addresses an id containing '=' and '.' in double quotes, as --set does; shards
    # and reduce give the same bytes.
    sed 's/{id: sg-dc,/{id: "sg=dc.x",/' scenarios/examples/policies/base.yaml > "$tmp/base.yaml"
    grep -q 'id: "sg=dc.x"' "$tmp/base.yaml" || fail "the test scenario lacks the quoted id"
    p=(--param 'buyers."sg=dc.x".demand=1000,5000')
    expect_code 0 "$bin" sweep "$tmp/base.yaml" "${p[@]}" --runs 2 -o "$tmp/q" --quiet
    head -1 "$tmp/q/runs.csv" | grep -q '^variant,"buyers.""sg=dc.x"".demand",run,' || fail "runs.csv header"
    grep -q '^1,5000,' "$tmp/q/summary.csv" || fail "summary.csv: variant 1 row"
    [ "$(metric_rows "$tmp/q/runs.csv" world all imports_compute | grep -c '^0,1000,')" -eq 2 ] \
      || fail "runs.csv: variant 0 rows"
    expect_code 0 "$bin" sweep "$tmp/base.yaml" "${p[@]}" --runs 2 --shard 0/1 -o "$tmp/qs" --quiet
    expect_code 0 "$bin" reduce "$tmp/qs" --quiet
    same_files "$tmp/q" "$tmp/qs" $sweep_files
    expect_code 2 "$bin" sweep "$tmp/base.yaml" --param 'buyers."sg=dc.y".demand=1,2' -o "$tmp/qx" --quiet
    grep -q "no item with id 'sg=dc.y' in 'buyers' (did you mean 'sg=dc.x'?)" "$tmp/stderr" || { cat "$tmp/stderr"; fail "stderr"; }
    ;;
  sweep-schedule-point)
    # --param addresses one dated point of a schedule (PATH.YYYY-MM), as --set does: each
    # variant's resolved scenario carries its value at that date and the variants differ.
    sched=scenarios/examples/markets/schedules.yaml
    path=suppliers.us-designer.offers.flagship.capacity.2025-01
    expect_code 0 "$bin" sweep "$sched" --param "$path=20000,40000" -o "$tmp/sp" --quiet
    head -1 "$tmp/sp/runs.csv" | grep -q "^variant,$path,run," || fail "runs.csv header"
    grep -q '^0,20000,' "$tmp/sp/summary.csv" || fail "summary.csv: variant 0 row"
    grep -q '^1,40000,' "$tmp/sp/summary.csv" || fail "summary.csv: variant 1 row"
    metric_rows "$tmp/sp/summary.csv" world all imports_compute > "$tmp/sum"
    [ "$(sed -n 2p "$tmp/sum" | cut -d, -f3)" != "$(sed -n 3p "$tmp/sum" | cut -d, -f3)" ] ||
      fail "the two capacities at 2025-01 gave the same compute"
    expect_code 0 "$bin" run "$sched" --set "$path=40000" -o "$tmp/sp1" --quiet
    grep -q "2025-01-01: 40000" "$tmp/sp1/scenario.resolved.yaml" || fail "resolved YAML lacks the point"
    ;;
  shards)
    # Shards 0/2 and 1/2 reduced equal one process, for run and for sweep.
    expect_code 0 "$bin" run "$ex" --runs 5 -o "$tmp/one" --quiet
    expect_code 0 "$bin" run "$ex" --runs 5 --shard 0/2 -o "$tmp/sh" --quiet
    [ ! -e "$tmp/sh/summary.csv" ] || fail "a shard wrote final files"
    [ "$(ls "$tmp/sh/parts" | grep -c '^run-')" -eq 3 ] || fail "shard 0/2 of 5 runs should own runs 0, 2, 4"
    expect_code 0 "$bin" run "$ex" --runs 5 --shard 1/2 -o "$tmp/sh" --threads 2 --quiet
    expect_code 0 "$bin" reduce "$tmp/sh" --quiet
    same_files "$tmp/one" "$tmp/sh" $run_files
    [ ! -e "$tmp/sh/parts" ] || fail "reduce left the parts"
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 2 -o "$tmp/sone" --quiet
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 2 --shard 1/2 -o "$tmp/ssh" --quiet
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 2 --shard 0/2 -o "$tmp/ssh" --quiet
    expect_code 0 "$bin" reduce "$tmp/ssh" --keep-parts
    grep -q "reduced 8 part(s)" "$tmp/stdout" || fail "reduce message"
    same_files "$tmp/sone" "$tmp/ssh" $sweep_files
    [ -d "$tmp/ssh/parts" ] || fail "--keep-parts removed the parts"
    ;;
  resume)
    # A killed sweep (simulated: one part deleted, a half-written part left by a dead process)
    # resumes by computing only the missing run; the completed parts are not touched.
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 2 -o "$tmp/ref" --quiet
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 2 --shard 0/1 -o "$tmp/job" --quiet
    parts="$tmp/job/parts"
    [ "$(ls "$parts" | grep -c '^v')" -eq 8 ] || fail "expected 8 parts"
    rm -rf "$parts/v000002-run-000001"
    host=$(hostname)
    mkdir "$parts/.v000002-run-000001.tmp-$host-999999999-0"; echo half > "$parts/.v000002-run-000001.tmp-$host-999999999-0/summary.csv"
    stat -c '%n %y' "$parts"/v* > "$tmp/before"
    sleep 0.05
    expect_code 0 "$bin" --log-level info sweep "$ex" "${sweep_args[@]}" --runs 2 --shard 0/1 -o "$tmp/job" --quiet
    grep -q "1 run(s) to compute, 7 already complete (skipped)" "$tmp/stderr" || { cat "$tmp/stderr"; fail "did not skip the 7 complete runs"; }
    stat -c '%n %y' "$parts"/v* | grep -v v000002-run-000001 > "$tmp/after"
    grep -v v000002-run-000001 "$tmp/before" | cmp -s - "$tmp/after" || fail "completed parts were rewritten"
    [ -d "$parts/v000002-run-000001" ] || fail "the missing part was not recomputed"
    [ -z "$(ls -A "$parts" | grep '^\.')" ] || fail "stale temporary part left behind"
    # Everything complete: nothing to do.
    expect_code 0 "$bin" --log-level info sweep "$ex" "${sweep_args[@]}" --runs 2 --shard 0/1 -o "$tmp/job" --quiet
    grep -q "0 run(s) to compute, 8 already complete" "$tmp/stderr" || fail "a complete job recomputed runs"
    expect_code 0 "$bin" reduce "$tmp/job" --quiet
    same_files "$tmp/ref" "$tmp/job" $sweep_files
    ;;
  killed)
    # A real kill: SIGKILL a sweep shard part-way, rerun it, reduce: the result equals one process.
    args=("$ex" --param routes.SGP.detection=0.05,0.1,0.15,0.2 --runs 400)
    expect_code 0 "$bin" sweep "${args[@]}" -o "$tmp/ref" --quiet
    "$bin" sweep "${args[@]}" --shard 0/1 -o "$tmp/job" --quiet & pid=$!
    sleep 0.3; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    expect_code 0 "$bin" --log-level info sweep "${args[@]}" --shard 0/1 -o "$tmp/job" --quiet
    grep -Eq "[0-9]+ run\(s\) to compute, [0-9]+ already complete" "$tmp/stderr" || fail "no resume line"
    done_before=$(grep -Eo "[0-9]+ already complete" "$tmp/stderr" | cut -d' ' -f1)
    echo "resumed with $done_before of 1600 runs already complete"
    expect_code 0 "$bin" reduce "$tmp/job" --quiet
    same_files "$tmp/ref" "$tmp/job" $sweep_files
    ;;
  reduce-incomplete)
    expect_code 0 "$bin" run "$ex" --runs 4 --shard 0/2 -o "$tmp/sh" --quiet
    expect_code 1 "$bin" reduce "$tmp/sh"
    grep -q "2 of 4 runs have no complete part (run-000001, run-000003)" "$tmp/stderr" || { cat "$tmp/stderr"; fail "message"; }
    [ ! -e "$tmp/sh/summary.csv" ] && [ ! -e "$tmp/sh/flows.csv" ] || fail "reduce wrote final files"
    [ -z "$(find "$tmp/sh" -name '*.tmp')" ] || fail "temporary files left"
    expect_code 2 "$bin" reduce "$tmp"
    grep -q "holds no parts" "$tmp/stderr" || fail "reduce of a folder without parts"
    ;;
  shard-conflicts)
    expect_code 0 "$bin" run "$ex" --runs 4 --shard 0/2 -o "$tmp/sh" --quiet
    # Another job into the same folder is refused before any work.
    expect_code 2 "$bin" run "$ex" --runs 5 --shard 1/2 -o "$tmp/sh" --quiet
    grep -q "holds parts of another job" "$tmp/stderr" || fail "message"
    expect_code 2 "$bin" run "$ex" --runs 4 --shard 1/2 -o "$tmp/sh" --force
    grep -q -- "--force cannot be combined with --shard" "$tmp/stderr" || fail "--force message"
    # A shard count may change between attempts: parts are per run, not per shard.
    expect_code 0 "$bin" run "$ex" --runs 4 --shard 0/1 -o "$tmp/sh" --quiet
    expect_code 0 "$bin" reduce "$tmp/sh" --quiet
    # Reduced results are not overwritten by a new shard.
    expect_code 2 "$bin" run "$ex" --runs 4 --shard 0/2 -o "$tmp/sh" --quiet
    grep -q "already exists" "$tmp/stderr" || fail "message for an existing folder"
    ;;
  bad-args)
    for args in "--runs 0" "--threads -1" "--shard 2/2" "--shard x" "--shard 1/0"; do
      # shellcheck disable=SC2086
      expect_code 2 "$bin" run "$ex" $args -o "$tmp/out"
      [ ! -e "$tmp/out" ] || fail "run $args wrote output"
    done
    expect_code 2 "$bin" sweep "$ex" -o "$tmp/out"
    grep -q -- "--param" "$tmp/stderr" || fail "missing --param message"
    expect_code 2 "$bin" sweep "$ex" --param routes.SGP.detection=0:1 -o "$tmp/out"
    grep -q "a grid needs values" "$tmp/stderr" || fail "grid without step message"
    expect_code 2 "$bin" sweep "$ex" --param routes.SGP.detection=0.1 --design sobol:1 -o "$tmp/out"
    expect_code 2 "$bin" sweep "$ex" --param routes.SGP.detection=0.1,1.5 -o "$tmp/out"
    grep -q "variant 1 (routes.SGP.detection=1.5) is not a valid scenario" "$tmp/stderr" || fail "bad variant message"
    grep -q "expected a probability" "$tmp/stderr" || fail "bad variant: the reader's message"
    expect_code 2 "$bin" sweep "$ex" --param routes.XXX.detection=0.1 -o "$tmp/out"
    [ ! -e "$tmp/out" ] || fail "sweep wrote output for bad arguments"
    expect_code 0 "$bin" sweep --help; grep -q "morris:R" "$tmp/stdout" || fail "sweep --help"
    expect_code 0 "$bin" reduce --help; grep -q "DIR" "$tmp/stdout" || fail "reduce --help"
    expect_code 0 "$bin" run --help; grep -q -- "--runs" "$tmp/stdout" || fail "run --help lacks --runs"
    ;;
  morris)
    expect_code 0 "$bin" sweep "$lic" --param policies.us-flagship-licence.license.approval=0.1:0.9 \
      --param routes.SGP.markup=0.02:0.2 --param description=a,b --design morris:3 --runs 2 -o "$tmp/m"
    [ "$(metric_rows "$tmp/m/summary.csv" world all imports_compute | wc -l)" -eq 13 ] \
      || fail "3 trajectories x (3 + 1) points"
    [ "$(metric_rows "$tmp/m/runs.csv" world all imports_compute | wc -l)" -eq 25 ] || fail "12 variants x 2 runs"
    /usr/bin/python3 "$(dirname "$0")/check_datapackage.py" "$tmp/m" || fail "datapackage.json of a Morris sweep"
    head -1 "$tmp/m/morris.csv" | grep -qx "metric,rank,parameter,mu_star,mu,sigma,effects" || fail "morris.csv header"
    # The licence approval drives China's imports; the description changes nothing (mu* = 0, last).
    grep -q "^country.CHN.imports_compute,1,policies.us-flagship-licence.license.approval," "$tmp/m/morris.csv" \
      || { grep CHN.imports "$tmp/m/morris.csv"; fail "approval is not the top parameter for CHN imports"; }
    grep -q "^country.CHN.imports_compute,3,description,0.000000," "$tmp/m/morris.csv" || fail "description ranked"
    grep -q "Morris ranking for world.imports_compute" "$tmp/stdout" || fail "no ranking printed"
    # lhs: N points, reproducible from the scenario seed, another seed gives other points.
    expect_code 0 "$bin" sweep "$lic" --param routes.SGP.markup=0.02:0.2 --design lhs:4 -o "$tmp/l1" --quiet
    expect_code 0 "$bin" sweep "$lic" --param routes.SGP.markup=0.02:0.2 --design lhs:4 -o "$tmp/l2" --quiet
    expect_code 0 "$bin" sweep "$lic" --param routes.SGP.markup=0.02:0.2 --design lhs:4 -o "$tmp/l3" --quiet --seed 99
    same_files "$tmp/l1" "$tmp/l2" runs.csv summary.csv
    [ "$(metric_rows "$tmp/l1/summary.csv" world all imports_compute | wc -l)" -eq 5 ] || fail "lhs:4 gives 4 variants"
    ! cmp -s <(cut -d, -f2 "$tmp/l1/summary.csv") <(cut -d, -f2 "$tmp/l3/summary.csv") || fail "--seed does not move the lhs points"
    ;;
  mpi-run)
    expect_code 0 "$bin" run "$ex" --runs 5 -o "$tmp/one" --quiet
    expect_code 0 mpi "$bin" run "$ex" --runs 5 -o "$tmp/two" --quiet
    same_files "$tmp/one" "$tmp/two" $run_files
    # Parts larger than one MPI message travel in several.
    expect_code 0 mpi -x TRADESIM_MPI_CHUNK_BYTES=4096 "$bin" run "$ex" --runs 5 --threads 2 -o "$tmp/chunked" --quiet
    same_files "$tmp/one" "$tmp/chunked" $run_files
    [ -z "$(ls -A "$tmp" | grep '^\.')" ] || fail "staging folder left behind"
    # A plain run under mpirun: rank 0 does it, the other rank writes nothing.
    expect_code 0 "$bin" run "$ex" -o "$tmp/plain" --quiet
    expect_code 0 mpi "$bin" run "$ex" -o "$tmp/plain2" --quiet
    same_files "$tmp/plain" "$tmp/plain2" $run_files
    ;;
  mpi-sweep)
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 3 -o "$tmp/one" --quiet
    expect_code 0 mpi "$bin" sweep "$ex" "${sweep_args[@]}" --runs 3 --threads 2 -o "$tmp/two" --quiet
    same_files "$tmp/one" "$tmp/two" $sweep_files
    # Shards under MPI: the shard's runs are spread over the ranks, parts land in DIR/parts.
    expect_code 0 mpi "$bin" sweep "$ex" "${sweep_args[@]}" --runs 3 --shard 0/2 -o "$tmp/sh" --quiet
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 3 --shard 1/2 -o "$tmp/sh" --quiet
    expect_code 0 "$bin" reduce "$tmp/sh" --quiet
    same_files "$tmp/one" "$tmp/sh" $sweep_files
    ;;
  mpi-errors)
    # An invalid scenario under mpirun: exit 2, one message (from rank 0), nothing written.
    expect_code 2 mpi "$bin" sweep "$ex" --param routes.SGP.detection=2 -o "$tmp/out" --quiet
    [ "$(grep -c "expected a probability" "$tmp/stderr")" -eq 1 ] || { cat "$tmp/stderr"; fail "expected exactly one message"; }
    [ ! -e "$tmp/out" ] || fail "wrote output"
    expect_code 0 "$bin" run "$ex" -o "$tmp/exists" --quiet
    expect_code 2 mpi "$bin" run "$ex" --runs 4 -o "$tmp/exists" --quiet
    grep -q -- "--force" "$tmp/stderr" || fail "overwrite message"
    ;;
  slurm-script)
    # scripts/slurm-sweep.sh: `submit` calls sbatch for the array and the dependent reduce (a fake
    # sbatch records the calls); the array tasks (Slurm's environment faked, ids 1..3) and the
    # reduce job then give what one process gives.
    mkdir "$tmp/bin"
    printf '#!/bin/sh\necho "$*" >> "%s/sbatch.log"\necho 4242\n' "$tmp" > "$tmp/bin/sbatch"; chmod +x "$tmp/bin/sbatch"
    export TRADESIM="$bin"
    expect_code 0 env PATH="$tmp/bin:$PATH" scripts/slurm-sweep.sh submit 3 "$ex" "$tmp/sl" "${sweep_args[@]}" --runs 2
    grep -q -- "--array=0-2 .*slurm-sweep.sh $ex $tmp/sl --param" "$tmp/sbatch.log" || { cat "$tmp/sbatch.log"; fail "array submission"; }
    grep -q -- "--dependency=afterok:4242 .*--reduce $tmp/sl" "$tmp/sbatch.log" || fail "reduce submission"
    for id in 3 1 2; do
      expect_code 0 env SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3 SLURM_CPUS_PER_TASK=2 \
        scripts/slurm-sweep.sh "$ex" "$tmp/sl" "${sweep_args[@]}" --runs 2
    done
    expect_code 0 scripts/slurm-sweep.sh --reduce "$tmp/sl"
    expect_code 0 "$bin" sweep "$ex" "${sweep_args[@]}" --runs 2 -o "$tmp/one" --quiet
    same_files "$tmp/one" "$tmp/sl" $sweep_files
    ;;
  *) fail "unknown check $check" ;;
esac
echo "ok: $check"
