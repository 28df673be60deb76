#!/usr/bin/env bash
# End-to-end checks of `tradesim explain` on the worked examples of docs/explaining-results.md
# (scenarios/examples/explain): each surprise comes out as the page says, with the lines it
# quotes; bad requests exit 2 and write nothing.
#   explain_checks.sh TRADESIM REPO CHECK
set -euo pipefail
bin="$1"; repo="$2"; check="$3"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code
ex="$repo/scenarios/examples/explain"
run_ex() {  # run_ex NAME [DIR] [ARGS...]
  local name=$1 dir=${2:-$tmp/$1}; shift; [ $# -gt 0 ] && shift
  expect_code 0 "$bin" run "$ex/$name.yaml" -o "$dir" --quiet "$@"
}
has() {  # has TEXT: stdout contains the line fragment
  grep -qF -- "$1" "$tmp/stdout" || { cat "$tmp/stdout"; fail "output lacks '$1'"; }
}
value() {  # value DIR KEY METRIC
  grep "^country,$2,$3," "$1/summary.csv" | cut -d, -f4
}

case "$check" in
  help)
    expect_code 0 "$bin" explain --help
    for word in --buyer --offer --date --metric --key --exact-limit --permutations; do
      grep -q -- "$word" "$tmp/stdout" || fail "explain --help lacks '$word'"
    done
    ;;
  ban-raises-compute)  # example 1
    run_ex licence; run_ex ban
    expect_code 0 "$bin" explain "$tmp/licence" "$tmp/ban" --metric imports_compute --key CHN
    has "Δ +16.21k"
    has "policies[us-flagship-rule]                                                    +16.21k   100.0%"
    has "license: {approval: 0.2, delay: 2} → ~"
    has "  diverted                                         0.00       35.07k      +35.07k"
    has "  seized                                           0.00        2.36k       +2.36k"
    [ -s "$tmp/ban/explain/attribution-imports_compute-CHN.csv" ] || fail "no attribution.csv"
    [ -s "$tmp/ban/explain/breakdown-imports_compute-CHN.csv" ] || fail "no breakdown.csv"
    expect_code 0 "$bin" explain "$tmp/licence" --buyer cn-cloud --date 2024-09
    has "  * direct         licensed    24.62k     0.00     0.00     0.00   98.50k   123.12k"
    expect_code 0 "$bin" explain "$tmp/ban" --buyer cn-cloud --date 2024-09
    has "  * via SGP        diverted    24.74k     0.00    1.48k    4.14k     0.00    30.36k"
    has "↳ us-flagship-rule prohibits SGP→CHN (leg 2)"
    awk 'length($0) > 100 { bad = 1 } END { exit bad }' FS= "$tmp/stdout" \
      || fail "a trace line is wider than 100 columns"
    ;;
  u-shape)  # example 2
    for a in 0 0.25 0.75 1; do
      run_ex licence "$tmp/a$a" --set "policies.us-flagship-rule.license.approval=$a"
    done
    python3 - "$(value "$tmp/a0" CHN imports_compute)" "$(value "$tmp/a0.25" CHN imports_compute)" \
      "$(value "$tmp/a0.75" CHN imports_compute)" "$(value "$tmp/a1" CHN imports_compute)" <<'PY' \
      || fail "China's compute is not U-shaped in approval"
import sys
v = [float(x) for x in sys.argv[1:]]
sys.exit(0 if v[1] < v[0] and v[1] < v[2] < v[3] else 1)
PY
    expect_code 0 "$bin" explain "$tmp/a0.25" "$tmp/a0" --metric imports_compute --key CHN
    has "license.approval: 0.25 → 0"
    ;;
  import-ban-raises-imports)  # example 3
    run_ex world; run_ex us-import-ban
    expect_code 0 "$bin" explain "$tmp/world" "$tmp/us-import-ban" --metric imports_compute \
      --key USA
    has "Δ +7.56k"
    expect_code 0 "$bin" explain "$tmp/us-import-ban" --buyer us-cloud --date 2024-09
    has "price index P 30.16k (σ 3, η 0.5) → Q 10.93k"
    has "import restrictions in force: us-bans-cn-accel"
    expect_code 0 "$bin" validate "$ex/us-import-ban.yaml"
    grep -q "raises demand for the offers it leaves" "$tmp/stderr" || fail "validate did not warn"
    ;;
  exports-only-no-effect)  # example 4
    run_ex world; run_ex exports-only
    expect_code 0 "$bin" validate "$ex/exports-only.yaml"
    grep -q "covers only exports from USA" "$tmp/stderr" || fail "validate did not warn"
    expect_code 0 "$bin" explain "$tmp/world" "$tmp/exports-only" --metric imports_compute \
      --key CHN
    has "Δ 0"
    ;;
  dependent-differences)  # a new offer needs its product and the policy it follows
    pol="$repo/scenarios/examples/policies"
    expect_code 0 "$bin" run "$pol/base.yaml" -o "$tmp/base" --quiet
    expect_code 0 "$bin" run "$pol/available-after.yaml" -o "$tmp/after" --quiet
    expect_code 0 "$bin" explain "$tmp/base" "$tmp/after" --metric imports_compute --key CHN
    has "Attributed to 7 differences in 1 group(s)"
    has "products[flagship-cn],"
    has "policies[us-flagship-ban]"
    ;;
  threads-agree)  # sampled attribution: the same values on 1 and 2 threads
    run_ex world; run_ex ban "$tmp/checked" --set routes.SGP.detection=0.3
    for t in 1 2; do
      expect_code 0 "$bin" explain "$tmp/world" "$tmp/checked" --metric imports_compute --key CHN \
        --exact-limit 1 --permutations 40 --threads $t -o "$tmp/t$t"
    done
    has "estimated from 40"
    same_files "$tmp/t1" "$tmp/t2" attribution-imports_compute-CHN.csv
    ;;
  offer)
    run_ex ban
    expect_code 0 "$bin" explain "$tmp/ban" --offer us-designer/flagship --date 2024-09 \
      -o "$tmp/offer.csv"
    has "  cn-cloud             via SGP               2.01k       0.00      1.85k  route capacity"
    head -1 "$tmp/offer.csv" | grep -q "^tick,date,run,supplier,product,buyer,route," \
      || fail "offer CSV header"
    ;;
  bad-requests)
    run_ex ban
    rm -rf "$tmp/ban/explain"
    expect_code 2 "$bin" explain "$tmp/ban" --buyer cn-clod --date 2024-09
    grep -q "did you mean 'cn-cloud'" "$tmp/stderr" || fail "no suggestion"
    expect_code 2 "$bin" explain "$tmp/ban" --buyer cn-cloud --date 2031-01
    grep -q "outside the run" "$tmp/stderr" || fail "date outside the run not named"
    expect_code 2 "$bin" explain "$tmp/ban" --buyer cn-cloud
    expect_code 2 "$bin" explain "$tmp/ban" "$tmp/ban" --metric no_such_metric
    grep -q "no such metric" "$tmp/stderr" || fail "unknown metric not named"
    expect_code 2 "$bin" explain "$tmp" --buyer cn-cloud --date 2024-09
    grep -q "has no scenario.resolved.yaml" "$tmp/stderr" || fail "not a run folder not named"
    [ ! -e "$tmp/ban/explain" ] || fail "a bad request wrote files"
    ;;
  *) fail "unknown check $check" ;;
esac
