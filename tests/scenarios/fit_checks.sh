#!/usr/bin/env bash
# End-to-end checks of `tradesim fit` on the bundled calibration example
# (scenarios/examples/calibration): the report, --fail-outside's exit code, ensembles, several
# folders, the CSV written atomically, nothing written on bad input.
#   fit_checks.sh TRADESIM REPO CHECK
set -euo pipefail
bin="$1"; repo="$2"; check="$3"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
example="$repo/scenarios/examples/calibration"
targets="$example/targets.yaml"
run_example() {  # run_example DIR [ARGS...]
  local dir=$1; shift
  expect_code 0 "$bin" run "$example/world.yaml" -o "$dir" --quiet "$@"
}

case "$check" in
  help)
    expect_code 0 "$bin" fit --help
    for word in --targets --fail-outside --format "Exit codes"; do
      grep -q -- "$word" "$tmp/stdout" || fail "fit --help lacks '$word'"
    done
    expect_code 0 "$bin" --help; grep -q "^  fit " "$tmp/stdout" || fail "usage lacks fit"
    ;;
  example)
    run_example "$tmp/run"
    expect_code 0 "$bin" fit "$tmp/run" --targets "$targets"
    out="$tmp/stdout"
    grep -q "calibration-world ($tmp/run): 1 run, 2024-01-01 .. 2025-12-31, observed until 2025-06" \
      "$out" || fail "heading: $(head -3 "$out")"
    grep -Eq "^  chn-imp-2024 +imports_compute CHN +2024 +78\.65k +80\.00k +0\.983 +-0\.28 +in$" \
      "$out" || fail "chn-imp-2024 row: $(grep chn-imp-2024 "$out")"
    grep -Eq "^  rev-fy25q3 +revenue_usd us-designer +FY2025Q3 " "$out" \
      || fail "fiscal quarter row"
    grep -Eq "^  chn-via-2024h2 .* OUT$" "$out" || fail "the share target is not outside"
    grep -Eq "^  sgp-div-2025 .* 2025 \(p\) " "$out" || fail "no projection mark"
    # Holdouts in their own section, after the fitted targets.
    holdouts=$(grep -n "holdouts (left out of the objective)" "$out" | cut -d: -f1)
    [ -n "$holdouts" ] || fail "no holdout section"
    [ "$(grep -n "chn-imp-2025h1" "$out" | cut -d: -f1)" -gt "$holdouts" ] \
      || fail "holdout listed with the fitted targets"
    grep -q "^  objective  Σ weight·z² over 7 targets: 13.87" "$out" || fail "objective line"
    grep -q "^  outside their band: chn-via-2024h2$" "$out" || fail "outside line"
    ;;
  fail-outside)
    run_example "$tmp/run"
    expect_code 1 "$bin" fit "$tmp/run" --targets "$targets" --fail-outside
    grep -q "outside their band: chn-via-2024h2" "$tmp/stderr" || fail "stderr: $(cat "$tmp/stderr")"
    # The same target as a holdout does not count.
    sed 's/^    band: \[0.15, 0.21\]$/&\n    holdout: true/' "$targets" > "$tmp/t.yaml"
    grep -q "holdout: true" "$tmp/t.yaml" || fail "sed did not mark the holdout"
    expect_code 0 "$bin" fit "$tmp/run" --targets "$tmp/t.yaml" --fail-outside
    # Without --fail-outside, a target outside its band is reported, not an error.
    expect_code 0 "$bin" fit "$tmp/run" --targets "$targets"
    ;;
  ensemble)
    run_example "$tmp/ens" --runs 3
    run_example "$tmp/one"
    expect_code 0 "$bin" fit "$tmp/ens" "$tmp/one" --targets "$targets"
    grep -q "calibration-world ($tmp/ens): 3 runs" "$tmp/stdout" || fail "no ensemble heading"
    grep -q "^  spread over the 3 runs (model: their mean" "$tmp/stdout" || fail "no spread table"
    grep -Eq "^  target +model \(mean\) +sd +p05 +p95 +observed$" "$tmp/stdout" \
      || fail "no spread columns"
    # The tables stay within 100 columns, ensembles included (headings name the folder's path).
    awk '/^  / && length($0) > 100 {bad = 1} END {exit bad}' "$tmp/stdout" \
      || fail "table lines over 100 columns"
    grep -q "^objective by folder$" "$tmp/stdout" || fail "no objectives side by side"
    expect_code 0 "$bin" fit "$tmp/ens" --targets "$targets" --format csv
    # 9 targets, one row each, the spread filled in.
    [ "$(wc -l < "$tmp/stdout")" -eq 10 ] || fail "csv rows: $(wc -l < "$tmp/stdout")"
    python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sys.exit(0 if rows and all(r["runs"] == "3" and r["model_sd"] != "" for r in rows) else 1)' \
      "$tmp/stdout" || fail "runs or model_sd missing in the csv"
    ;;
  csv)
    run_example "$tmp/run"
    expect_code 0 "$bin" fit "$tmp/run" --targets "$targets" -o "$tmp/sub/fit.csv"
    grep -q "^wrote $tmp/sub/fit.csv$" "$tmp/stdout" || fail "no 'wrote' line"
    head -1 "$tmp/sub/fit.csv" | grep -q "^folder,scenario,runs,holdout,id,metric,scope,period," \
      || fail "csv header"
    [ "$(wc -l < "$tmp/sub/fit.csv")" -eq 10 ] || fail "csv rows"
    grep -q ",yes,chn-imp-2025h1,imports_compute,country CHN," "$tmp/sub/fit.csv" \
      || fail "holdout row"
    ls -a "$tmp/sub" | grep -q tmp && fail "temporary file left: $(ls -a "$tmp/sub")"
    # The objective is the sum of weighted_z2.
    sum=$(python3 -c 'import csv, sys
rows = csv.DictReader(open(sys.argv[1]))
print("%.4f" % sum(float(r["weighted_z2"]) for r in rows if r["weighted_z2"]))' "$tmp/sub/fit.csv")
    [ "$sum" = "13.8714" ] || fail "weighted_z2 sums to $sum"
    # Bad input: exit 2, the CSV neither written nor replaced.
    cp "$tmp/sub/fit.csv" "$tmp/before.csv"
    printf 'targets:\n  - {id: a, metric: imports_compute, country: CHM, period: 2024, observed: 1, sd: 1, source: x}\n' \
      > "$tmp/bad.yaml"
    expect_code 2 "$bin" fit "$tmp/run" --targets "$tmp/bad.yaml" -o "$tmp/sub/fit.csv"
    grep -q "bad.yaml:2:5: error: targets\[a\]: country 'CHM' is not in run folder" "$tmp/stderr" \
      || fail "stderr: $(cat "$tmp/stderr")"
    cmp -s "$tmp/before.csv" "$tmp/sub/fit.csv" || fail "the CSV changed on bad input"
    expect_code 2 "$bin" fit "$tmp/run" --targets "$tmp/bad.yaml" -o "$tmp/new.csv"
    [ ! -e "$tmp/new.csv" ] || fail "a CSV was written on bad input"
    ;;
  *) fail "unknown check '$check'" ;;
esac
echo "ok: fit $check"
