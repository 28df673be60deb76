#!/usr/bin/env bash
# End-to-end checks of the tradesim command line.
#   cli_checks.sh TRADESIM REPO_ROOT CHECK
set -euo pipefail
bin="$1"; root="$2"; check="$3"
cd "$root"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
ex=scenarios/examples/two-suppliers.yaml

case "$check" in
  compare-by-period)
    # Quarters (and years, fiscal years) add up to the whole: every total of the period split
    # sums to the unsplit total; shares and means are not totals and are skipped.
    for s in base export-control; do
      expect_code 0 "$bin" run scenarios/examples/policies/$s.yaml -o "$tmp/$s" --quiet
    done
    expect_code 0 "$bin" compare "$tmp/base" "$tmp/export-control" --all --format csv
    cp "$tmp/stdout" "$tmp/whole.csv"
    for p in "quarter" "year" "fiscal-year --fiscal-year-start 7"; do
      read -r -a by <<< "--by-period $p"
      expect_code 0 "$bin" compare "$tmp/base" "$tmp/export-control" --all --format csv "${by[@]}"
      /usr/bin/python3 - "$tmp/whole.csv" "$tmp/stdout" "$p" <<'PY' || fail "--by-period $p does not add up"
import sys
import pandas as pd
whole, kind = pd.read_csv(sys.argv[1]), sys.argv[3]
split = pd.read_csv(sys.argv[2], dtype={"period": str})
keys = ["scope", "key", "metric", "scenario"]
totals = whole[~whole.unit.isin(["share", "USD/compute"])]
summed = split.groupby(keys, as_index=False)["value"].sum()
both = totals.merge(summed, on=keys, suffixes=("", "_split"))
assert len(both) == len(totals), "rows missing from the split"
bad = both[(both.value - both.value_split).abs() > 1e-3 * both.value.abs().clip(lower=1)]
assert bad.empty, bad.head().to_string()
labels = list(split.period.unique())
expect = {"quarter": ["2024Q1", "2025Q4"], "year": ["2024", "2025"],
          "fiscal-year --fiscal-year-start 7": ["FY2024", "FY2026"]}[kind]
assert [labels[0], labels[-1]] == expect, labels
# Two whole years: only the fiscal years that start mid-2025 and end mid-2024 are partial.
partial = set(split[split.period_partial == 1].period)
assert partial == ({"FY2024", "FY2026"} if kind.startswith("fiscal") else set()), partial
PY
    done
    expect_code 2 "$bin" compare "$tmp/base" "$tmp/export-control" --by-period month
    grep -q "must be year, quarter or fiscal-year" "$tmp/stderr" || fail "bad --by-period message"
    ;;
  help)
    expect_code 0 "$bin" --help; grep -q "Commands:" "$tmp/stdout" || fail "no command list"
    expect_code 0 "$bin" run --help; grep -q -- "--force" "$tmp/stdout" || fail "run --help lacks --force"
    expect_code 0 "$bin" validate --help; grep -q "validate" "$tmp/stdout" || fail "validate --help"
    expect_code 0 "$bin" --version; grep -q "tradesim" "$tmp/stdout" || fail "--version"
    ;;
  unknown-command)
    expect_code 2 "$bin" frobnicate; grep -q "unknown command 'frobnicate'" "$tmp/stderr" || fail "message"
    expect_code 2 "$bin" run "$ex" --no-such-flag -o "$tmp/out"; [ ! -e "$tmp/out" ] || fail "wrote output"
    expect_code 2 "$bin" run; grep -q "missing SCENARIO.yaml" "$tmp/stderr" || fail "missing scenario message"
    expect_code 2 "$bin" run "$ex" --detail everything -o "$tmp/out"; [ ! -e "$tmp/out" ] || fail "wrote output"
    ;;
  missing-file)
    expect_code 2 "$bin" run "$tmp/nope.yaml" -o "$tmp/out"
    grep -q "nope.yaml" "$tmp/stderr" || fail "message does not name the file"
    [ ! -e "$tmp/out" ] || fail "wrote output"
    ;;
  refuse-overwrite)
    expect_code 0 "$bin" run "$ex" -o "$tmp/out" --quiet
    echo marker > "$tmp/out/marker"
    expect_code 2 "$bin" run "$ex" -o "$tmp/out" --quiet
    grep -q -- "--force" "$tmp/stderr" || fail "message does not mention --force"
    [ -f "$tmp/out/marker" ] || fail "existing folder was touched"
    ;;
  force-replaces)
    expect_code 0 "$bin" run "$ex" -o "$tmp/out" --quiet
    echo marker > "$tmp/out/marker"
    expect_code 0 "$bin" run "$ex" -o "$tmp/out" --quiet --force
    [ ! -e "$tmp/out/marker" ] || fail "old folder content survived --force"
    [ -f "$tmp/out/flows.csv" ] || fail "no flows.csv after --force"
    ;;
  determinism)
    expect_code 0 "$bin" run "$ex" -o "$tmp/a" --quiet
    expect_code 0 "$bin" run "$ex" -o "$tmp/b" --quiet
    for f in flows.csv countries.csv markets.csv revenue.csv events.csv summary.csv scenario.resolved.yaml; do
      cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between identical runs"
    done
    ;;
  seed-changes-resolved)
    expect_code 0 "$bin" run "$ex" -o "$tmp/a" --quiet --seed 7
    grep -q "^seed: 7$" "$tmp/a/scenario.resolved.yaml" || fail "--seed not recorded in scenario.resolved.yaml"
    grep -q '"seed": 7' "$tmp/a/manifest.json" || fail "--seed not recorded in manifest.json"
    ;;
  set-override)
    expect_code 0 "$bin" run "$ex" -o "$tmp/a" --quiet
    expect_code 0 "$bin" run "$ex" -o "$tmp/b" --quiet --set buyers.cloud.demand=2000
    cmp -s "$tmp/a/flows.csv" "$tmp/b/flows.csv" && fail "--set did not change the flows"
    # The resolved scenario repeats the run exactly.
    expect_code 0 "$bin" run "$tmp/b/scenario.resolved.yaml" -o "$tmp/c" --quiet
    cmp -s "$tmp/b/flows.csv" "$tmp/c/flows.csv" || fail "re-running scenario.resolved.yaml gave other flows"
    ;;
  validate-summary)
    expect_code 0 "$bin" validate scenarios/examples/three-region-tariff.yaml
    grep -q "ok:" "$tmp/stdout" || fail "no ok line"
    grep -q "tariff" "$tmp/stdout" || fail "policy timeline missing"
    # The market mechanisms are listed: pools with the offers that draw on them, schedules.
    expect_code 0 "$bin" validate scenarios/examples/markets/pools.yaml
    grep -q "^  nvidia.cowos: 1000 per tick, drawn by H100 (1/unit), H20 (1/unit)$" "$tmp/stdout" || fail "pools missing"
    expect_code 0 "$bin" validate scenarios/examples/markets/schedules.yaml
    grep -q "^schedules$" "$tmp/stdout" || fail "schedules missing"
    grep -q "^      2024-04-01 (tick 3) = 0.1, 2024-10-01 (tick 9) = 0.25," "$tmp/stdout" || fail "schedule points"
    ! sed -n '/^schedules$/,/^$/p' "$tmp/stdout" | awk 'length > 100' | grep -q . || fail "a schedule line is over 100 columns"
    # It extends the policies' base: its changes fit in 100 columns too (→ is one column).
    width=$(sed -n '/^changes /,/^$/p' "$tmp/stdout" | LC_ALL=C.UTF-8 wc -L)
    [ "$width" -gt 0 ] && [ "$width" -le 100 ] || fail "changes are $width columns wide"
    ;;
  validate-variant-changes)
    # A file that extends another: what it adds, overrides and removes, at its lines.
    v=tests/scenarios/variant-changes
    expect_code 0 "$bin" validate $v/variant.yaml
    out=$(sed -n '/^changes /,/^ok:/p' "$tmp/stdout")
    for want in "^changes    against $v/base.yaml: 2 overrides, 2 additions, 2 removals\$" \
                '^      5  removes    policies\[cn-tariff\] (base line 17)$' \
                '^      6  removes    routes\[SGP\] (base line 12)$' \
                '^      9  overrides  buyers\[cn-cloud\].demand: 500 → 800 (base line 10)$' \
                '^      9  adds       buyers\[cn-cloud\].growth = 0.01$' \
                '^     12  overrides  policies\[us-licence\]: license.approval: 0.5 → 0.2 (base line 14)$' \
                '^     13  adds       policies\[us-ban\]$'; do
      grep -q "$want" <<<"$out" || fail "validate changes lack '$want': $out"
    done
    tail -1 "$tmp/stdout" | grep -q "^ok: " || fail "ok is not the last line"
    # A bundled variant whose base extends another file: inherited places name that file.
    expect_code 0 "$bin" validate scenarios/chips/h20-banned.yaml
    grep -q '^     12  removes    policies\[us-h20-licence\] (from scenarios/chips/world.yaml:[0-9]*)$' \
      "$tmp/stdout" || fail "h20-banned removal: $(cat "$tmp/stdout")"
    # A file without extends has no such section.
    expect_code 0 "$bin" validate $v/base.yaml
    ! grep -q "^changes " "$tmp/stdout" || fail "changes printed for a file without extends"
    ;;
  debug-log)
    # --log-level debug: the job's and the engine's phase times, each policy transition and
    # each rebuild of the legality tables, on stderr only.
    lic=scenarios/examples/policies/licence.yaml
    expect_code 0 "$bin" run $lic -o "$tmp/out" --quiet --log-level debug
    for want in '^debug: tick 6 (2024-07-01): policy us-flagship-licence takes force: export_control by USA to CHN, licence approval 0.5 after 2 tick(s), covers exports and re-exports$' \
                '^debug: tick 0 (2024-01-01): legality tables rebuilt (start of the run): 3 routes, [0-9]* candidate routes$' \
                '^debug: tick 6 (2024-07-01): legality tables rebuilt (policies in force or announced changed): ' \
                '^debug: engine phase policy: [0-9.]* s ([0-9.]* % of the tick loop)$' \
                '^debug: run phase simulate (the tick loop, per-tick files): [0-9.]* s$'; do
      grep -q "$want" "$tmp/stderr" || fail "debug log lacks '$want': $(cat "$tmp/stderr")"
    done
    ! grep -q "debug:" "$tmp/stdout" || fail "debug lines on stdout"
    # A scheduled value the tables hold, a reaction triggered.
    expect_code 0 "$bin" run scenarios/examples/markets/schedules.yaml -o "$tmp/s" --quiet --log-level debug
    grep -q '^debug: tick 9 (2024-10-01): legality tables rebuilt (a scheduled value the tables hold changed)' \
      "$tmp/stderr" || fail "no schedule rebuild: $(cat "$tmp/stderr")"
    expect_code 0 "$bin" run scenarios/examples/policies/reaction.yaml -o "$tmp/r" --quiet --log-level debug
    grep -q '^debug: tick [0-9]* ([0-9-]*): triggered us-closes-malaysia by USA: ' "$tmp/stderr" \
      || fail "no reaction line: $(cat "$tmp/stderr")"
    # Above debug, none of it.
    expect_code 0 "$bin" run $lic -o "$tmp/info" --quiet
    ! grep -q "debug:" "$tmp/stderr" || fail "debug lines at the info level"
    ;;
  outputs-complete)
    expect_code 0 "$bin" run "$ex" -o "$tmp/out" --quiet
    for f in flows.csv countries.csv markets.csv revenue.csv events.csv summary.csv manifest.json scenario.resolved.yaml datapackage.json; do
      [ -s "$tmp/out/$f" ] || fail "$f missing or empty"
    done
    head -1 "$tmp/out/flows.csv" | grep -q "^tick,date,supplier,product,origin,via,destination,buyer,channel,units,compute,value_usd,tariff_usd,fee_usd,seized_units,arrival_tick,arrival_date$" || fail "flows.csv header"
    grep -q '"status": "complete"' "$tmp/out/manifest.json" || fail "manifest status"
    ;;
  no-temp-files)
    expect_code 0 "$bin" run "$ex" -o "$tmp/out" --quiet
    leftovers=$(find "$tmp" -name '*.tmp' -o -name '.*partial*' -o -name '.*old*' | wc -l)
    [ "$leftovers" -eq 0 ] || fail "temporary files left behind"
    ;;
  progress)
    # Not a terminal: nothing on stderr. On a terminal (a pseudo-terminal made by script(1)): a bar.
    expect_code 0 "$bin" run scenarios/examples/three-region-tariff.yaml -o "$tmp/a"
    [ ! -s "$tmp/stderr" ] || { cat "$tmp/stderr"; fail "stderr is not empty without a terminal"; }
    script -qec "$bin run scenarios/examples/three-region-tariff.yaml -o $tmp/b" /dev/null > "$tmp/tty" < /dev/null
    grep -q "ticks \[" "$tmp/tty" || { cat "$tmp/tty"; fail "no progress bar on a terminal"; }
    script -qec "$bin run scenarios/examples/three-region-tariff.yaml -o $tmp/c --quiet" /dev/null > "$tmp/tty" < /dev/null
    ! grep -q "ticks \[" "$tmp/tty" || fail "progress bar despite --quiet"
    ;;
  *) fail "unknown check $check" ;;
esac
echo "ok: $check"
