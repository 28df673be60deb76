#!/usr/bin/env bash
# ctest bench/smoke: bench.py --smoke runs every workload at toy sizes; the CSV must hold a row
# per workload with positive times (dense worlds: more evaluations per buyer and tick than the
# sparse ones, ns per evaluation, the largest phases), and the printed table the targets section.
set -euo pipefail
bin="$1"; stream="$2"; root="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$root/bench/bench.py" --tradesim "$bin" --stream "$stream" --root "$root" \
  --out "$tmp/bench" --smoke > "$tmp/table.txt"
csv="$tmp/bench/bench.csv"
for w in triad-1t triad-2t S M L dense-S dense-M dense-L chips-baseline ensemble-8-t1 ensemble-8-t2 "scale: base" \
         "scale: buyers x2" "exponent: buyers x2" "exponent: offers x2" "exponent: countries x2"; do
  grep -q "^$w," "$csv" || { echo "FAIL: no row '$w' in bench.csv"; cat "$csv"; exit 1; }
done
/usr/bin/python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    if r["wall_s_median"]:
        assert float(r["wall_s_median"]) > 0, r
    if r["workload"] in ("S", "M", "L"):
        assert int(r["evaluations"]) > 0 and float(r["engine_gb_per_s"]) > 0, r
        assert int(r["bytes_written"]) > 0 and float(r["peak_rss_mib"]) > 0, r
    if r["workload"].startswith("dense-"):
        assert int(r["evaluations"]) > 0 and float(r["ns_per_evaluation"]) > 0, r
        assert r["phases"].count("%") == 3, r
        # Every buyer evaluates every offer its policies allow: more than the 12 at most that
        # a sparse buyer's shares name (the smoke worlds have 15 to 21 offers).
        per_buyer_tick = int(r["evaluations"]) / (int(r["buyers"]) * int(r["ticks"]))
        assert per_buyer_tick > 12, (r["workload"], per_buyer_tick)
print("ok: bench.csv has", len(rows), "rows")
PY
grep -q "STREAM triad" "$tmp/table.txt" || { echo "FAIL: no bandwidth line"; exit 1; }
grep -q "growth exponent" "$tmp/table.txt" || { echo "FAIL: no exponent line"; exit 1; }
