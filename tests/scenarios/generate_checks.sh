#!/usr/bin/env bash
# End-to-end checks of `tradesim generate`: generated worlds validate without warnings and run;
# the file is deterministic, written atomically, never overwritten without --force; bad sizes
# exit 2 with a message and write nothing.
#   generate_checks.sh TRADESIM CHECK
set -euo pipefail
bin="$1"; check="$2"
. "$(dirname "$0")/check_lib.sh"   # $tmp, fail, expect_code, same_files
small=(--countries 20 --suppliers 10 --products 4 --buyers 200 --hubs 3)

case "$check" in
  help)
    expect_code 0 "$bin" generate --help
    grep -q -- "--countries" "$tmp/stdout" || fail "generate --help lacks --countries"
    grep -q -- "--force" "$tmp/stdout" || fail "generate --help lacks --force"
    expect_code 0 "$bin" --help; grep -q "generate" "$tmp/stdout" || fail "usage lacks generate"
    ;;
  validate-and-run)
    for seed in 1 2 3; do
      expect_code 0 "$bin" generate "${small[@]}" --ticks 24 --seed "$seed" -o "$tmp/s$seed.yaml"
      [ ! -s "$tmp/stderr" ] || fail "generate printed: $(cat "$tmp/stderr")"
      [ -s "$tmp/s$seed.yaml" ] || fail "no file written"
      # It says what it wrote: the file, its size and the world's.
      grep -q "^wrote $tmp/s$seed.yaml ($(wc -c < "$tmp/s$seed.yaml") bytes): 20 countries, 4 products, 10 suppliers with 40 offers, 200 buyers, 3 hubs, [0-9]* policies, 24 ticks of one month$" \
        "$tmp/stdout" || fail "generate message: $(cat "$tmp/stdout")"
      policies=$(sed -n 's/.* hubs, \([0-9]*\) policies,.*/\1/p' "$tmp/stdout")
      head -5 "$tmp/s$seed.yaml" | grep -q "^# Command: tradesim generate --countries 20 " \
        || fail "header lacks the command"
      expect_code 0 "$bin" validate "$tmp/s$seed.yaml"
      # The reader must not warn; what the policy audit finds in the run ("in the run:") is
      # about the synthetic world's behaviour, not the file.
      ! grep -v ': in the run: ' "$tmp/stderr" | grep -q . \
        || fail "validate warned (seed $seed): $(cat "$tmp/stderr")"
      grep -q "world      20 countries, 4 products, 10 suppliers with 40 offers, 200 buyers, 3 routes" \
        "$tmp/stdout" || fail "validate summary: $(cat "$tmp/stdout")"
      grep -q "^policies   $policies (" "$tmp/stdout" || fail "generate said $policies policies: $(cat "$tmp/stdout")"
      expect_code 0 "$bin" run "$tmp/s$seed.yaml" -o "$tmp/run$seed" --quiet
      for kind in announced in_force lapsed; do
        grep -q ",$kind," "$tmp/run$seed/events.csv" || fail "no '$kind' event (seed $seed)"
      done
      [ "$(wc -l < "$tmp/run$seed/flows.csv")" -gt 1 ] || fail "no flows (seed $seed)"
    done
    ;;
  weekly)
    expect_code 0 "$bin" generate --countries 6 --suppliers 3 --products 2 --buyers 30 --hubs 1 \
      --ticks 300 -o "$tmp/w.yaml"
    grep -q "step: week, ticks: 300" "$tmp/w.yaml" || fail "not weekly"
    grep -q ": 6 countries, 2 products, 3 suppliers with 6 offers, 30 buyers, 1 hubs, [0-9]* policies, 300 ticks of one week$" \
      "$tmp/stdout" || fail "generate message: $(cat "$tmp/stdout")"
    expect_code 0 "$bin" validate "$tmp/w.yaml"
    ! grep -v ': in the run: ' "$tmp/stderr" | grep -q . || fail "validate warned: $(cat "$tmp/stderr")"
    ;;
  determinism)
    mkdir "$tmp/a" "$tmp/b"
    (cd "$tmp/a" && "$bin" generate "${small[@]}" --ticks 24 --seed 5 -o s.yaml)
    (cd "$tmp/b" && "$bin" generate "${small[@]}" --ticks 24 --seed 5 -o s.yaml)
    cmp -s "$tmp/a/s.yaml" "$tmp/b/s.yaml" || fail "same arguments gave different files"
    expect_code 0 "$bin" generate "${small[@]}" --ticks 24 --seed 5 -o -
    cp "$tmp/stdout" "$tmp/one.yaml"
    # The scenario alone on stdout; what it holds on stderr.
    grep -q "^wrote the scenario to standard output ($(wc -c < "$tmp/one.yaml") bytes): 20 countries, " \
      "$tmp/stderr" || fail "generate -o - message: $(cat "$tmp/stderr")"
    expect_code 0 "$bin" generate "${small[@]}" --ticks 24 --seed 6 -o -
    cmp -s "$tmp/stdout" "$tmp/one.yaml" && fail "another seed gave the same text"
    grep -q "^seed: 6$" "$tmp/stdout" || fail "seed not in the scenario"
    ;;
  refuse-overwrite)
    echo marker > "$tmp/s.yaml"
    expect_code 2 "$bin" generate "${small[@]}" --ticks 24 -o "$tmp/s.yaml"
    grep -q -- "--force" "$tmp/stderr" || fail "message does not mention --force"
    [ "$(cat "$tmp/s.yaml")" = marker ] || fail "existing file was touched"
    expect_code 0 "$bin" generate "${small[@]}" --ticks 24 -o "$tmp/s.yaml" --force
    grep -q "^countries:" "$tmp/s.yaml" || fail "--force did not replace the file"
    [ -z "$(ls "$tmp" | grep -v '^s.yaml$' | grep -v '^std')" ] || fail "left files: $(ls "$tmp")"
    ;;
  bad-args)
    base=(--suppliers 10 --products 4 --buyers 200 --hubs 3 --ticks 24)
    bad() {  # bad PATTERN ARGS...
      local pattern=$1; shift
      expect_code 2 "$bin" generate "$@"
      grep -q -- "$pattern" "$tmp/stderr" || fail "'$*': message lacks '$pattern': $(cat "$tmp/stderr")"
      [ ! -e "$tmp/out.yaml" ] || fail "'$*' wrote a file"
      [ -z "$(ls "$tmp" | grep -v '^std')" ] || fail "'$*' left files: $(ls "$tmp")"
    }
    bad "countries 0 is out of range" --countries 0 "${base[@]}" -o "$tmp/out.yaml"
    bad "countries -3 is out of range" --countries=-3 "${base[@]}" -o "$tmp/out.yaml"
    bad "countries 677 is out of range" --countries 677 "${base[@]}" -o "$tmp/out.yaml"
    bad "hubs 20 must be less than --countries 20" --countries 20 --suppliers 10 --products 4 \
      --buyers 200 --hubs 20 --ticks 24 -o "$tmp/out.yaml"
    bad "suppliers 0 is out of range" --countries 20 --suppliers 0 --products 4 --buyers 200 \
      --hubs 3 --ticks 24 -o "$tmp/out.yaml"
    bad "ticks 0 is out of range" --countries 20 --suppliers 10 --products 4 --buyers 200 \
      --hubs 3 --ticks 0 -o "$tmp/out.yaml"
    bad "missing -o FILE" --countries 20 "${base[@]}"
    bad "missing --countries" "${base[@]}" -o "$tmp/out.yaml"
    bad "seed 'abc'" --countries 20 "${base[@]}" --seed abc -o "$tmp/out.yaml"
    bad "seed '-1'" --countries 20 "${base[@]}" --seed=-1 -o "$tmp/out.yaml"
    bad "countries" --countries lots "${base[@]}" -o "$tmp/out.yaml"
    bad "does not exist" --countries 20 "${base[@]}" -o "$tmp/no/such/dir/out.yaml"
    bad "offers-per-buyer '0' is neither" --countries 20 "${base[@]}" --offers-per-buyer 0 -o "$tmp/out.yaml"
    bad "offers-per-buyer 'most' is neither" --countries 20 "${base[@]}" --offers-per-buyer most \
      -o "$tmp/out.yaml"
    ;;
  dense)
    # --offers-per-buyer all: no shares, so every buyer considers every offer (40 here), and
    # buyers do buy from more than the 12 offers a sparse world's shares name.
    expect_code 0 "$bin" generate "${small[@]}" --ticks 12 --offers-per-buyer all -o "$tmp/d.yaml"
    grep -q "; each buyer considers every offer$" "$tmp/stdout" || fail "message: $(cat "$tmp/stdout")"
    ! grep -q "shares: {" "$tmp/d.yaml" || fail "a dense world names shares"
    expect_code 0 "$bin" validate "$tmp/d.yaml"
    ! grep -v ': in the run: ' "$tmp/stderr" | grep -q . || fail "validate warned: $(cat "$tmp/stderr")"
    most() {  # most FOLDER: the largest number of distinct offers one buyer bought from
      awk -F, 'NR > 1 && $3 ~ /^s/ { k = $8 SUBSEP $3 SUBSEP $4; if (!(k in seen)) { seen[k] = 1; n[$8]++ } }
               END { m = 0; for (b in n) if (n[b] > m) m = n[b]; print m }' "$1/flows.csv"
    }
    expect_code 0 "$bin" run "$tmp/d.yaml" -o "$tmp/dense" --quiet
    [ "$(most "$tmp/dense")" -gt 12 ] || fail "no buyer of the dense world bought from more than 12 offers"
    expect_code 0 "$bin" generate "${small[@]}" --ticks 12 -o "$tmp/s.yaml"
    expect_code 0 "$bin" run "$tmp/s.yaml" -o "$tmp/sparse" --quiet
    [ "$(most "$tmp/sparse")" -le 12 ] || fail "a buyer of the sparse world bought from more than 12 offers"
    # --offers-per-buyer N: every buyer's shares name N offers.
    expect_code 0 "$bin" generate "${small[@]}" --ticks 12 --offers-per-buyer 20 -o "$tmp/n.yaml"
    grep -q "; 20 offers per buyer$" "$tmp/stdout" || fail "message: $(cat "$tmp/stdout")"
    counts=$(grep -o 'shares: {[^}]*}' "$tmp/n.yaml" | awk -F': ' '{ print NF - 2 }' | sort -u)
    [ "$counts" = 20 ] || fail "shares name $counts offers, not 20"
    expect_code 0 "$bin" generate "${small[@]}" --ticks 12 --offers-per-buyer 500 -o "$tmp/m.yaml"
    grep -q "; 40 offers per buyer$" "$tmp/stdout" || fail "more than there are: $(cat "$tmp/stdout")"
    ;;
  large-table)
    # A large world's result table: the 15 countries (suppliers) largest by imports_compute
    # (revenue_usd), then how many more are in summary.csv.
    expect_code 0 "$bin" generate --countries 60 --suppliers 25 --products 3 --buyers 300 --hubs 3 \
      --ticks 12 -o "$tmp/big.yaml"
    expect_code 0 "$bin" run "$tmp/big.yaml" -o "$tmp/big"
    table() {  # table HEADER: the rows of the table under HEADER, up to the blank line
      sed -n "/^$1 /,/^\$/p" "$tmp/stdout" | sed '1d;/^$/d'
    }
    top() {  # top SCOPE METRIC: the 15 keys of summary.csv largest by METRIC
      grep "^$1,[^,]*,$2," "$tmp/big/summary.csv" | sort -t, -k4,4 -g -r -s | head -15 | cut -d, -f2
    }
    [ "$(table country | grep -c '^X')" -eq 15 ] || fail "not 15 country rows: $(table country)"
    [ "$(table country | grep '^X' | cut -d' ' -f1)" = "$(top country imports_compute)" ] \
      || fail "countries are not the largest by imports_compute: $(table country)"
    table country | grep -q '^… 45 more (in summary.csv); the 15 countries above are the largest by imports_compute$' \
      || fail "no '… 45 more' line: $(table country)"
    [ "$(table supplier | grep -c '^s')" -eq 15 ] || fail "not 15 supplier rows: $(table supplier)"
    [ "$(table supplier | grep '^s' | cut -d' ' -f1)" = "$(top supplier revenue_usd)" ] \
      || fail "suppliers are not the largest by revenue_usd: $(table supplier)"
    grep -q '^… 10 more (in summary.csv); the 15 suppliers above are the largest by revenue_usd$' \
      "$tmp/stdout" || fail "no '… 10 more' supplier line: $(cat "$tmp/stdout")"
    # A small world (20 countries, 10 suppliers): every row, in scenario order.
    expect_code 0 "$bin" generate "${small[@]}" --ticks 12 -o "$tmp/small.yaml"
    expect_code 0 "$bin" run "$tmp/small.yaml" -o "$tmp/small"
    ! grep -q "more (in summary.csv)" "$tmp/stdout" || fail "a small world's table was cut"
    [ "$(table country | cut -d' ' -f1)" = "$(grep -o '^  - {code: X[A-Z]*' "$tmp/small.yaml" | cut -c12-)" ] \
      || fail "countries not in scenario order: $(table country)"
    [ "$(table supplier | wc -l)" -eq 10 ] || fail "not every supplier: $(table supplier)"
    ;;
  *) fail "unknown check '$check'" ;;
esac
echo "ok: $check"
