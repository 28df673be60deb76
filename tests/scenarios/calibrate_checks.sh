#!/usr/bin/env bash
# End-to-end checks of `tradesim calibrate` on the bundled calibration example
# (scenarios/examples/calibration): the folder and the summary, calibrated.yaml run and fitted
# by `tradesim fit` giving fit-after.csv, threads and MPI ranks giving the same files,
# overwrite protection, a clean stop on SIGINT, the progress bar.
#   calibrate_checks.sh TRADESIM REPO CHECK [MPIEXEC]
set -euo pipefail
bin="$1"; repo="$2"; check="$3"; mpiexec="${4:-mpiexec}"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
example="$repo/scenarios/examples/calibration"
args=("$example/world.yaml" --targets "$example/targets.yaml"
      --free buyers.cn-cloud.price_elasticity=0.3:2 --free routes.SGP.detection=0:0.3
      --free products.mid.density=1:5 --budget 60)
files="calibrated.yaml fit-before.csv fit-after.csv evaluations.csv identifiability.csv scenario.resolved.yaml"
# The model column (11) of a fit CSV, by target id (5).
models() { awk -F, 'NR > 1 { print $5, $11 }' "$1"; }

case "$check" in
  help)
    expect_code 0 "$bin" calibrate --help
    for word in --targets --free --method --budget --starts --runs --threads calibrated.yaml; do
      grep -q -- "$word" "$tmp/stdout" || fail "calibrate --help lacks '$word'"
    done
    expect_code 0 "$bin" --help; grep -q "^  calibrate " "$tmp/stdout" || fail "usage lacks calibrate"
    ;;
  example)
    expect_code 0 "$bin" calibrate "${args[@]}" -o "$tmp/cal"
    out="$tmp/stdout"
    grep -q "^calibrated 'calibration-world' to targets.yaml with bobyqa$" "$out" \
      || fail "heading: $(head -2 "$out")"
    grep -Eq "^60 evaluations \+ 6 for the standard errors in [0-9.]+ s \([0-9.]+/s\); objective 13.8714 -> " \
      "$out" || fail "counts: $(sed -n 2p "$out")"
    grep -Eq "^buyers.cn-cloud.price_elasticity +1 +[0-9.]+ +\[0.3, 2\] +[0-9.]+$" "$out" \
      || fail "parameter row: $(grep price_elasticity "$out")"
    grep -q "^warning: products.mid.density is not identified" "$out" || fail "no warning"
    awk 'length > 100 { exit 1 }' "$out" || fail "a line over 100 columns"
    for f in $files manifest.json; do [ -s "$tmp/cal/$f" ] || fail "missing $f"; done
    grep -q '"calibration": {"method": "bobyqa", "budget": 60' "$tmp/cal/manifest.json" || fail "manifest"
    [ "$(wc -l < "$tmp/cal/evaluations.csv")" -eq 61 ] || fail "evaluations.csv is not 60 rows"
    grep -q "^extends: ../../" "$tmp/cal/calibrated.yaml" || fail "extends is not relative"
    grep -q "price_elasticity: [0-9.]*  # free in \[0.3, 2\], SE" "$tmp/cal/calibrated.yaml" || fail "comment"
    # calibrated.yaml runs, and `tradesim fit` of that run gives the model values of fit-after.csv.
    expect_code 0 "$bin" run "$tmp/cal/calibrated.yaml" -o "$tmp/run" --quiet
    expect_code 0 "$bin" fit "$tmp/run" --targets "$example/targets.yaml" -o "$tmp/fit.csv"
    # (The run's CSV files round to a few decimals; the calibration's values are unrounded.)
    paste -d' ' <(models "$tmp/fit.csv") <(models "$tmp/cal/fit-after.csv") | awk '
      { d = $2 - $4; if (d < 0) d = -d; m = ($2 < 0 ? -$2 : $2) + 1
        if ($1 != $3 || d > 1e-6 * m) { print "differs:", $0; bad = 1 } }
      END { exit bad }' || fail "fit of calibrated.yaml differs from fit-after.csv"
    ;;
  threads)
    expect_code 0 "$bin" calibrate "${args[@]}" --threads 1 -o "$tmp/one" --quiet
    expect_code 0 "$bin" calibrate "${args[@]}" --threads 2 --runs 1 -o "$tmp/two" --quiet
    same_files "$tmp/one" "$tmp/two" $files
    expect_code 0 "$bin" calibrate "${args[@]}" --seed 8 -o "$tmp/seed" --quiet
    ! cmp -s "$tmp/one/evaluations.csv" "$tmp/seed/evaluations.csv" || fail "the seed changes nothing"
    ;;
  refuse-overwrite)
    expect_code 0 "$bin" calibrate "${args[@]}" -o "$tmp/cal" --quiet
    expect_code 2 "$bin" calibrate "${args[@]}" -o "$tmp/cal" --quiet
    grep -q -- "--force" "$tmp/stderr" || fail "no --force hint"
    expect_code 0 "$bin" calibrate "${args[@]}" --method neldermead -o "$tmp/cal" --force --quiet
    grep -q '"method": "neldermead"' "$tmp/cal/manifest.json" || fail "--force did not replace"
    ;;
  interrupted)
    # SIGINT part-way: exit 130, the evaluations made so far left in DIR marked interrupted;
    # --resume then gives exactly the files of an uninterrupted job.
    # How long an evaluation takes depends on the build (ASan is ~10x slower) and the machine's
    # load: interrupt later and later (doubling) until some evaluation has finished. A job
    # interrupted before any evaluation finished must leave nothing behind.
    for wait_s in 0.2 0.4 0.8 1.6 3.2 6.4 12.8 25.6; do
      "$bin" calibrate "${args[@]}" --runs 200 -o "$tmp/cal" > "$tmp/stdout" 2> "$tmp/stderr" & pid=$!
      sleep "$wait_s"; kill -INT "$pid" 2> /dev/null || true; set +e; wait "$pid"; code=$?; set -e
      [ "$code" -ne 0 ] || fail "the job finished within ${wait_s} s, before the interrupt"
      [ "$code" -eq 130 ] || { cat "$tmp/stderr"; fail "exit $code, expected 130"; }
      grep -q "stopped after" "$tmp/stderr" && break
      [ ! -e "$tmp/cal" ] || fail "interrupted before any evaluation finished, yet '$tmp/cal' exists"
    done
    grep -Eq "^tradesim: interrupted by SIGINT; stopped after [0-9]+ of 60 evaluations; the [0-9]+ evaluation\(s\) made so far are in '$tmp/cal' \(status \"interrupted\"\)" \
      "$tmp/stderr" || { cat "$tmp/stderr"; fail "message"; }
    grep -q '"status": "interrupted"' "$tmp/cal/manifest.json" || fail "manifest status"
    [ ! -e "$tmp/cal/calibrated.yaml" ] || fail "an interrupted folder has calibrated.yaml"
    [ -z "$(ls -A "$tmp" | grep -v -e stdout -e stderr -e '^cal$')" ] || { ls -la "$tmp"; fail "left files"; }
    expect_code 0 "$bin" calibrate "${args[@]}" --runs 200 -o "$tmp/cal" --resume --quiet
    expect_code 0 "$bin" calibrate "${args[@]}" --runs 200 -o "$tmp/ref" --quiet
    same_files "$tmp/cal" "$tmp/ref" $files
    # Resuming a complete folder simulates nothing new: the same files again.
    expect_code 0 "$bin" --log-level info calibrate "${args[@]}" --runs 200 -o "$tmp/ref" --resume --quiet
    grep -q "resumed: 0 evaluation(s) simulated, the others of 60 taken from" "$tmp/stderr" \
      || { cat "$tmp/stderr"; fail "a complete folder was not reused"; }
    same_files "$tmp/cal" "$tmp/ref" $files
    ;;
  progress)
    script -qec "$bin calibrate ${args[*]} -o $tmp/a" /dev/null > "$tmp/tty" < /dev/null
    grep -q "evaluations \[.*best [0-9.]" "$tmp/tty" || { cat "$tmp/tty"; fail "no progress bar"; }
    expect_code 0 "$bin" calibrate "${args[@]}" -o "$tmp/b"
    [ ! -s "$tmp/stderr" ] || { cat "$tmp/stderr"; fail "stderr is not empty without a terminal"; }
    ;;
  mpi)
    expect_code 0 "$bin" calibrate "${args[@]}" -o "$tmp/one" --quiet
    expect_code 0 "$mpiexec" -n 2 --oversubscribe "$bin" calibrate "${args[@]}" -o "$tmp/two" --quiet
    same_files "$tmp/one" "$tmp/two" $files
    ;;
  *) fail "unknown check $check" ;;
esac
echo "ok: $check"
