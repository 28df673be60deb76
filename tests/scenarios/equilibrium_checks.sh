#!/usr/bin/env bash
# End-to-end checks of `tradesim equilibrium` on the validation scenarios (scenarios/validation):
# the known answers of docs/validation.md (V1-V4) through the command line and the CSV.
#   equilibrium_checks.sh TRADESIM REPO_ROOT CHECK
set -euo pipefail
bin="$1"; root="$2"; check="$3"
cd "$root"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
v=scenarios/validation
# field CSV SCOPE KEY METRIC COLUMN: one field of the long-format CSV (column: baseline, value,
# change or change_pct).
field() {
  awk -F, -v s="$2" -v k="$3" -v m="$4" -v c="$5" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == s && $2 == k && $3 == m { print $(col[c]); found = 1 }
    END { if (!found) exit 1 }' "$1" || fail "no row $2,$3,$4 in $1"
}
# near GOT WANT TOL WHAT
near() {
  awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= t) }' ||
    fail "$4: got $1, expected $2 +- $3"
}
# eq FILE.yaml CSV ARGS...: run the solver, writing CSV.
eq() {
  local scen=$1 csv=$2; shift 2
  expect_code 0 "$bin" equilibrium "$v/$scen" -o "$csv" "$@"
}

case "$check" in
  help)
    expect_code 0 "$bin" equilibrium --help
    for opt in --at --baseline-at --linear --set --output; do
      grep -q -- "$opt" "$tmp/stdout" || fail "equilibrium --help lacks $opt"
    done
    expect_code 0 "$bin" --help; grep -q "equilibrium" "$tmp/stdout" || fail "tradesim --help does not list equilibrium"
    ;;
  v1)
    eq v1-tariff-incidence.yaml "$tmp/v1.csv"
    grep -q "foreign/good" "$tmp/stdout" || fail "table lacks the offer"
    grep -q -- "-4.24" "$tmp/stdout" || fail "table lacks the world price change"
    grep -q "left out" "$tmp/stdout" || fail "table lacks the list of ignored features"
    head -1 "$tmp/v1.csv" | grep -q "^scope,key,metric,baseline,value,change,change_pct$" || fail "CSV header"
    near "$(field "$tmp/v1.csv" offer foreign/good price change_pct)" -4.24 0.01 "V1 world price %"
    near "$(field "$tmp/v1.csv" country XHM price_index change_pct)" 5.34 0.01 "V1 consumer price %"
    near "$(field "$tmp/v1.csv" country XHM imports_units change_pct)" -6.29 0.01 "V1 imports %"
    eq v1-tariff-incidence.yaml "$tmp/v1-linear.csv" --linear
    near "$(field "$tmp/v1-linear.csv" offer foreign/good price change_pct)" -4.55 0.01 "V1 linear world price %"
    near "$(field "$tmp/v1-linear.csv" country XHM price_index change_pct)" 5.45 0.01 "V1 linear consumer price %"
    near "$(field "$tmp/v1-linear.csv" country XHM imports_units change_pct)" -6.82 0.01 "V1 linear imports %"
    # Before the tariff takes force (July 2024) the policy state equals the baseline.
    eq v1-tariff-incidence.yaml "$tmp/v1-early.csv" --at 2024-03
    near "$(field "$tmp/v1-early.csv" offer foreign/good price change)" 0 0.0000005 "V1 before the tariff"
    ls "$tmp" | grep -q '\.tmp$' && fail "temporary file left behind"
    [ -z "$(cat "$tmp/stderr")" ] || fail "unexpected stderr: $(cat "$tmp/stderr")"
    ;;
  smart)
    eq v1-smart.yaml "$tmp/a.csv" --linear
    near "$(field "$tmp/a.csv" country XHM imports_units change)" -37.5 0.005 "SMART 0 -> 25%, infinite supply elasticity"
    eq v1-smart-eps3.yaml "$tmp/b.csv" --linear
    near "$(field "$tmp/b.csv" country XHM imports_units change)" -25.0 0.005 "SMART 0 -> 25%, epsilon 3"
    eq v1-smart-removal.yaml "$tmp/c.csv" --linear --baseline-at 2024-03
    near "$(field "$tmp/c.csv" country XHM imports_units baseline)" 100 0.0001 "SMART M"
    near "$(field "$tmp/c.csv" country XHM imports_units change)" 13.64 0.005 "SMART 10% -> 0"
    ;;
  v2)
    eq v2-losing-a-source.yaml "$tmp/a.csv"
    near "$(field "$tmp/a.csv" offer small/good quantity value)" 25 0.0001 "V2 small source x2.5"
    near "$(field "$tmp/a.csv" offer mid/good quantity value)" 75 0.0001 "V2 middle source x2.5"
    near "$(field "$tmp/a.csv" country XHM price_index change_pct)" 35.72 0.01 "V2 price index at sigma 4"
    eq v2-losing-a-source.yaml "$tmp/b.csv" --set buyers.importer.substitution=8.8
    near "$(field "$tmp/b.csv" offer small/good quantity value)" 25 0.0001 "V2 x2.5 at sigma 8.8"
    near "$(field "$tmp/b.csv" country XHM price_index change_pct)" 12.47 0.01 "V2 price index at sigma 8.8"
    eq v2-tariff.yaml "$tmp/c.csv"
    near "$(field "$tmp/c.csv" offer big/good quantity value)" 20.52 0.05 "V2 tariff: taxed source x0.342"
    near "$(field "$tmp/c.csv" offer small/good quantity value)" 17.31 0.005 "V2 tariff: others x1.731"
    near "$(field "$tmp/c.csv" country XHM price_index change_pct)" 20.06 0.005 "V2 tariff: price index"
    ;;
  v3)
    eq v3-trade-diversion.yaml "$tmp/a.csv" --baseline-at 2024-03
    q=$(field "$tmp/a.csv" country USA imports_units value)
    mex=$(field "$tmp/a.csv" offer mexico/good quantity value)
    awk -v m="$mex" -v q="$q" 'BEGIN { exit !(m / q >= 0.999) }' || fail "V3: less than 99.9% switched to Mexico"
    near "$(field "$tmp/a.csv" country USA price_index value)" 20 0.02 "V3 price index"
    tr=$(field "$tmp/a.csv" country USA tariff_revenue_usd change)
    cs=$(field "$tmp/a.csv" country USA consumer_surplus_change_usd value)
    wf=$(field "$tmp/a.csv" country USA welfare_change_usd value)
    near "$(awk -v x="$tr" -v q="$q" 'BEGIN { print x / q }')" -1.90 0.01 "V3 tariff revenue per unit"
    near "$(awk -v x="$cs" -v q="$q" 'BEGIN { print x / q }')" 0.90 0.01 "V3 consumer gain per unit"
    near "$(awk -v x="$wf" -v q="$q" 'BEGIN { print x / q }')" -1.00 0.01 "V3 national loss per unit"
    ;;
  v4)
    # The tick-by-tick run settles at the solver's prices and flows (last tick, within 0.1 %).
    for w in v4-three-region v4-four-region-hub; do
      eq $w.yaml "$tmp/$w.csv"
      expect_code 0 "$bin" run "$v/$w.yaml" -o "$tmp/run-$w" --quiet
      last=$(tail -1 "$tmp/run-$w/markets.csv" | cut -d, -f1)
      n=0
      while IFS=, read -r tick date supplier product price rest; do
        [ "$tick" = "$last" ] || continue
        want=$(field "$tmp/$w.csv" offer "$supplier/$product" price value)
        awk -v g="$price" -v w="$want" 'BEGIN { d = g / w - 1; if (d < 0) d = -d; exit !(d < 0.001) }' ||
          fail "$w: engine price of $supplier/$product $price, equilibrium $want"
        n=$((n + 1))
      done < "$tmp/run-$w/markets.csv"
      [ "$n" -ge 3 ] || fail "$w: compared only $n prices"
      # flows.csv: units by supplier and destination in the last tick.
      awk -F, -v t="$last" 'NR > 1 && $1 == t { u[$3 "/" $7] += $10 } END { for (k in u) print k "," u[k] }' \
        "$tmp/run-$w/flows.csv" > "$tmp/flows-$w"
      m=0
      while IFS=, read -r key units; do
        want=$(field "$tmp/$w.csv" flow "$key" units value)
        awk -v g="$units" -v w="$want" 'BEGIN { d = g / w - 1; if (d < 0) d = -d; exit !(d < 0.001) }' ||
          fail "$w: engine flow $key $units, equilibrium $want"
        m=$((m + 1))
      done < "$tmp/flows-$w"
      [ "$m" -ge 6 ] || fail "$w: compared only $m flows"
    done
    ;;
  bad-date)
    expect_code 2 "$bin" equilibrium "$v/v1-tariff-incidence.yaml" --at 2024-13 -o "$tmp/x.csv"
    grep -q "not a date" "$tmp/stderr" || fail "message for a malformed date"
    expect_code 2 "$bin" equilibrium "$v/v1-tariff-incidence.yaml" --baseline-at 1999-01 -o "$tmp/x.csv"
    grep -q "outside the run" "$tmp/stderr" || fail "message for a date outside the run"
    expect_code 2 "$bin" equilibrium "$v/v1-tariff-incidence.yaml" --no-such-flag
    expect_code 2 "$bin" equilibrium
    grep -q "missing SCENARIO.yaml" "$tmp/stderr" || fail "missing scenario message"
    [ ! -e "$tmp/x.csv" ] || fail "wrote a CSV after bad input"
    ;;
  solver-failure)
    # Perfectly inelastic demand above a fixed capacity: no price clears the market.
    expect_code 1 "$bin" equilibrium "$v/v1-tariff-incidence.yaml" -o "$tmp/x.csv" \
      --set buyers.importer.price_elasticity=0 --set suppliers.foreign.offers.good.supply_elasticity=0 \
      --set buyers.importer.demand=150
    grep -q "no equilibrium" "$tmp/stderr" || fail "solver failure message"
    grep -q "rises without bound" "$tmp/stderr" || fail "solver failure does not say why"
    [ ! -e "$tmp/x.csv" ] || fail "wrote a CSV after a solver failure"
    ;;
  *) fail "unknown check '$check'" ;;
esac
echo "ok: equilibrium $check"
