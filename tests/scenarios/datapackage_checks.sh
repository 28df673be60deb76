#!/usr/bin/env bash
# datapackage.json of run folders (docs/outputs.md, "datapackage.json"): it describes every
# file of a single run, of an ensemble and of --detail country, and the checker finds what a
# wrong file breaks.
#   datapackage_checks.sh TRADESIM REPO_ROOT CHECK
set -euo pipefail
bin="$1"; root="$2"; check="$3"
cd "$root"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
checker="$(dirname "$0")/check_datapackage.py"
py=/usr/bin/python3

case "$check" in
  chips)
    # The bundled chip world: multi-tier, remote compute, every channel.
    expect_code 0 "$bin" run scenarios/chips/baseline.yaml -o "$tmp/out" --quiet
    $py "$checker" "$tmp/out" || fail "chip baseline's package"
    for ch in direct licensed diverted remote; do
      grep -q ",$ch\$" "$tmp/out/revenue.csv" || fail "revenue.csv has no $ch rows"
    done
    ;;
  ensemble)
    expect_code 0 "$bin" run scenarios/examples/two-suppliers.yaml --runs 3 -o "$tmp/out" --quiet
    $py "$checker" "$tmp/out" || fail "ensemble's package"
    grep -q '"primaryKey": \["run", "tick", "country"\]' "$tmp/out/datapackage.json" \
      || fail "ensemble keys lack run"
    grep -q '"name": "mean"' "$tmp/out/datapackage.json" || fail "ensemble summary not described"
    ;;
  detail-country)
    expect_code 0 "$bin" run scenarios/examples/two-suppliers.yaml --detail country \
      -o "$tmp/out" --quiet
    $py "$checker" "$tmp/out" || fail "--detail country's package"
    ! grep -q '"primaryKey": \[[^]]*"buyer"' "$tmp/out/datapackage.json" \
      || fail "buyer is empty with --detail country but in the key"
    ;;
  catches)
    # The checker is not a formality: a wrong enum value, a non-integer tick, a repeated key
    # and an undescribed file are each reported.
    expect_code 0 "$bin" run scenarios/examples/two-suppliers.yaml -o "$tmp/out" --quiet
    awk -F, 'BEGIN{OFS=","} NR==2{$9="sideways"} NR==3{$1="x"} {print} END{}' \
      "$tmp/out/flows.csv" > "$tmp/flows" && sed -n 4p "$tmp/out/flows.csv" >> "$tmp/flows"
    mv "$tmp/flows" "$tmp/out/flows.csv"
    echo "a,b" > "$tmp/out/extra.csv"
    if $py "$checker" "$tmp/out" > "$tmp/report"; then fail "checker passed a broken folder"; fi
    for m in "channel 'sideways' not in" "tick 'x' is not a integer" "primary key" \
             "extra.csv: not described"; do
      grep -q "$m" "$tmp/report" || { cat "$tmp/report"; fail "no report of: $m"; }
    done
    ;;
  *) fail "unknown check $check" ;;
esac
echo "ok: $check"
