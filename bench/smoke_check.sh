#!/usr/bin/env bash
# ctest bench/smoke: bench.py --smoke runs every workload at toy sizes; the CSV must hold a row
# per workload with positive times (dense worlds: more evaluations per buyer and tick than the
# sparse ones, ns per evaluation, the largest phases; the numpy peer's loop time and vs_peer), and
# the printed table the targets section and the peer table. The peer alone: its JSON on a dense
# smoke world. The per-phase bandwidth shares: phase_bandwidth() on a made-up manifest.
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
import csv, math, sys
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
        # The numpy peer ran on the same world: its loop time and tradesim's speed over it.
        peer, vs = float(r["peer_seconds"]), float(r["vs_peer"])
        assert peer > 0 and math.isfinite(vs) and vs > 0, (r["workload"], r["peer_seconds"], r["vs_peer"])
        assert abs(vs - peer / float(r["loop_s_median"])) <= 1e-9 * vs, r
print("ok: bench.csv has", len(rows), "rows")
PY
grep -q "STREAM triad" "$tmp/table.txt" || { echo "FAIL: no bandwidth line"; exit 1; }
grep -q "growth exponent" "$tmp/table.txt" || { echo "FAIL: no exponent line"; exit 1; }
grep -q "| workload | tradesim s | peer s | vs peer | phase bandwidth |" "$tmp/table.txt" || {
  echo "FAIL: no peer table"; cat "$tmp/table.txt"; exit 1; }
world=$(ls "$tmp"/bench/worlds/dense-M-*.yaml)
OMP_NUM_THREADS=1 /usr/bin/python3 "$root/bench/peer_numpy.py" "$world" > "$tmp/peer.json"
/usr/bin/python3 - "$tmp/peer.json" "$root/bench" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["evaluations"] == p["buyers"] * p["offers"] * p["ticks"] > 0, p
assert 0 < p["loop_seconds"] <= p["total_seconds"] and p["parse_seconds"] >= 0, p
assert p["peak_rss_mib"] > 0 and p["units_shipped"] > 0 and p["mean_price"] > 0, p
sys.path.insert(0, sys.argv[2])
from bench import phase_bandwidth
# shipping: 2 GB in 1 s on a 20 GB/s triad = 10 %; clearing 1 GB in 0.5 s = 10 %; routes 0.1 GB
# in 0.25 s = 2 %; output has no bytes (left out); a phase with bytes but no time is left out.
engine = {"phase_seconds": {"shipping": 1.0, "clearing": 0.5, "routes": 0.25, "output": 2.0, "demand": 0.0},
          "phase_bytes": {"shipping": 2e9, "clearing": 1e9, "routes": 1e8, "demand": 5.0}}
text, shares = phase_bandwidth(engine, 20.0)
assert text == "shipping 10.0%, clearing 10.0%, routes 2.0%", text
assert set(shares) == {"shipping", "clearing", "routes"} and abs(shares["routes"] - 0.02) < 1e-12, shares
assert phase_bandwidth({"phase_seconds": {"shipping": 1.0}}, 20.0) == ("", {})
assert phase_bandwidth(None, 20.0) == ("", {})
print("ok: peer", p["loop_seconds"], "s; phase_bandwidth")
PY
