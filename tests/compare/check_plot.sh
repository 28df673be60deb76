#!/usr/bin/env bash
# scripts/plot on runs of the example scenarios: every expected chart is written, is a non-empty
# PNG, and nothing else is; a folder that is not a run, runs compare refuses and an unknown
# country are refused (exit 2, nothing written).
#   check_plot.sh TRADESIM REPO_ROOT
# The runs: the policy base, the export control (diverted routes), remote compute (the remote
# channel, multi-tier world: plotted on its own, its countries differ), and a two-run ensemble
# assembled here from two seeds of the export control (a `run` column, as `run --runs` writes).
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; root="$2"
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MPLCONFIGDIR="$tmp/mpl"

run() { "$bin" run "$1" -o "$tmp/runs/$2" --quiet "${@:3}"; }
run scenarios/examples/policies/base.yaml base
run scenarios/examples/policies/export-control.yaml export-control
run scenarios/examples/multi-tier/remote-compute.yaml remote
run scenarios/examples/policies/export-control.yaml seed1 --seed 1
run scenarios/examples/policies/export-control.yaml seed2 --seed 2

# The ensemble: run 0 = seed 1, run 1 = seed 2, with a leading run column.
mkdir -p "$tmp/runs/ensemble"
for f in countries.csv flows.csv revenue.csv; do
  { head -n 1 "$tmp/runs/seed1/$f" | sed 's/^/run,/'
    tail -n +2 "$tmp/runs/seed1/$f" | sed 's/^/0,/'
    tail -n +2 "$tmp/runs/seed2/$f" | sed 's/^/1,/'; } > "$tmp/runs/ensemble/$f"
done
printf '{\n  "scenario_name": "export-control-ensemble"\n}\n' > "$tmp/runs/ensemble/manifest.json"

fail=0
check_pngs() {  # DIR NAME...: exactly these files, each a non-empty PNG
  local dir="$1"; shift
  for name in "$@"; do
    local f="$dir/$name"
    if [ ! -s "$f" ]; then echo "FAIL: $f missing or empty"; fail=1; continue; fi
    if [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
      echo "FAIL: $f is not a PNG"; fail=1
    fi
    if [ "$(stat -c %s "$f")" -lt 10000 ]; then echo "FAIL: $f is suspiciously small"; fail=1; fi
  done
  local expected actual
  expected=$(printf '%s\n' "$@" | sort)
  actual=$(ls "$dir" | sort)
  if [ "$expected" != "$actual" ]; then
    echo "FAIL: $dir holds:"; echo "$actual"; echo "expected:"; echo "$expected"; fail=1
  fi
}

plot() { scripts/plot --tradesim "$bin" "$@"; }
plot "$tmp/runs/base" "$tmp/runs/export-control" "$tmp/runs/ensemble" -o "$tmp/charts" \
  --destination CHN > "$tmp/out.txt"
check_pngs "$tmp/charts" compute_by_destination.png flows_by_channel.png revenue_by_billing_country.png \
  routes_policies-base.png routes_policies-export-control.png routes_export-control-ensemble.png
[ "$(wc -l < "$tmp/out.txt")" -eq 6 ] || { echo "FAIL: expected the 6 files written on stdout:"; cat "$tmp/out.txt"; fail=1; }

plot "$tmp/runs/remote" -o "$tmp/remote-charts" --from 2024-03 --to 2025-06 --top 3 > /dev/null
check_pngs "$tmp/remote-charts" compute_by_destination.png flows_by_channel.png revenue_by_billing_country.png \
  routes_multi-tier-remote-compute.png

refused() {  # WHAT MESSAGE ARGS...: plot exits 2 with the message and writes nothing
  local what="$1" message="$2"; shift 2
  local rc=0
  plot "$@" -o "$tmp/bad" 2> "$tmp/err.txt" > /dev/null || rc=$?
  if [ $rc -ne 2 ]; then echo "FAIL: $what: exit $rc (expected 2)"; fail=1; fi
  if ! grep -q "^plot: error: .*$message" "$tmp/err.txt"; then
    echo "FAIL: $what: unexpected message:"; cat "$tmp/err.txt"; fail=1
  fi
  if [ -e "$tmp/bad" ]; then echo "FAIL: $what: $tmp/bad written"; fail=1; rm -rf "$tmp/bad"; fi
}
mkdir -p "$tmp/empty"
refused "a folder that is not a run" "is not a tradesim run folder" "$tmp/empty"
refused "runs of other countries" "compare refuses" "$tmp/runs/base" "$tmp/runs/remote"
refused "an unknown country" "unknown country XXX (the runs' countries: .*CHN" "$tmp/runs/base" --countries CHN,XXX
refused "a bad date" "is not a date" "$tmp/runs/base" --from 2024-3
[ $fail -eq 0 ] && echo "ok: scripts/plot wrote every expected chart"
exit $fail
