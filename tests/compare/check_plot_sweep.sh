#!/usr/bin/env bash
# scripts/plot-sweep on sweeps of the export-control example: a grid with three runs per variant
# (bands), a Latin hypercube, a Morris and a Sobol design. Every expected chart is written, is a
# PNG of bounded pixel size (at most 1400 x 2400), its path is printed; bad input (a folder that
# is not a sweep, an unknown --metric) exits 2 with a message and writes nothing; a cell with the
# CSV apostrophe guard is read without it.
#   check_plot_sweep.sh TRADESIM REPO_ROOT
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; root="$2"
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MPLCONFIGDIR="$tmp/mpl"

scenario=scenarios/examples/policies/export-control.yaml
detection=routes.SGP.detection
elasticity=buyers.cn-cloud.price_elasticity
markup=routes.MYS.markup
sweep() { "$bin" sweep "$scenario" -o "$tmp/sweeps/$1" --quiet "${@:2}"; }
sweep grid --param "$detection=0:0.3:0.1" --param "$elasticity=0.5:1.5:0.5" --runs 3
sweep lhs --param "$detection=0:0.3" --param "$elasticity=0.5:1.5" --design lhs:12
sweep morris --param "$detection=0:0.3" --param "$elasticity=0.5:1.5" --param "$markup=0.02:0.2" \
  --design morris:4
sweep sobol --param "$detection=0:0.3" --param "$elasticity=0.5:1.5" --param "$markup=0.02:0.2" \
  --design sobol:16 --metric world.imports_compute --metric world.diverted_compute \
  --metric country.CHN.imports_compute --bootstrap 200

fail=0
png_size() {  # FILE: "WIDTH HEIGHT" from the IHDR chunk (bytes 16-19 and 20-23, big-endian)
  local w h
  w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
  h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
  echo "$w $h"
}
check_pngs() {  # DIR STDOUT NAME...: exactly these files, each a PNG of bounded size, each printed
  local dir="$1" printed="$2"; shift 2
  for name in "$@"; do
    local f="$dir/$name"
    if [ ! -s "$f" ]; then echo "FAIL: $f missing or empty"; fail=1; continue; fi
    if [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
      echo "FAIL: $f is not a PNG"; fail=1; continue
    fi
    read -r w h < <(png_size "$f")
    if [ "$w" -lt 400 ] || [ "$w" -gt 1400 ] || [ "$h" -lt 300 ] || [ "$h" -gt 2400 ]; then
      echo "FAIL: $f is $w x $h pixels (expected 400-1400 x 300-2400)"; fail=1
    fi
    grep -qxF "$f" "$printed" || { echo "FAIL: $f not printed"; fail=1; }
  done
  local expected actual
  expected=$(printf '%s\n' "$@" | sort)
  actual=$(ls "$dir" | sort)
  if [ "$expected" != "$actual" ]; then
    echo "FAIL: $dir holds:"; echo "$actual"; echo "expected:"; echo "$expected"; fail=1
  fi
  [ "$(wc -l < "$printed")" -eq $# ] || { echo "FAIL: expected $# paths on stdout:"; cat "$printed"; fail=1; }
}
plot() {  # NAME ARGS...: plot-sweep of sweep NAME into charts/NAME, stdout in NAME.txt
  scripts/plot-sweep "$tmp/sweeps/$1" -o "$tmp/charts/$1" "${@:2}" > "$tmp/$1.txt"
}

plot grid
check_pngs "$tmp/charts/grid" "$tmp/grid.txt" "response_$detection.png" "response_$elasticity.png"
plot morris
check_pngs "$tmp/charts/morris" "$tmp/morris.txt" morris.png
plot sobol
check_pngs "$tmp/charts/sobol" "$tmp/sobol.txt" sobol.png
# The LHS with many metrics (40 country, supplier, route ... rows): the panels are capped, the
# size stays bounded.
metrics=()
while IFS= read -r m; do metrics+=(--metric "$m"); done < <(
  awk -F, 'NR > 1 && $1 == "0" && $4 != "world" {print $4 "." $5 "." $6}' "$tmp/sweeps/lhs/summary.csv" | head -n 40)
[ ${#metrics[@]} -eq 80 ] || { echo "FAIL: expected 40 metrics in the LHS summary, got $(( ${#metrics[@]} / 2 ))"; fail=1; }
plot lhs "${metrics[@]}"
check_pngs "$tmp/charts/lhs" "$tmp/lhs.txt" "response_$detection.png" "response_$elasticity.png"

# CSV safety (docs/reliability.md): a guarded cell ("'..." quoted) is read without its apostrophe.
cp -r "$tmp/sweeps/grid" "$tmp/sweeps/guarded"
sed -i 's/,country,CHN,/,country,"'"'"'CHN",/' "$tmp/sweeps/guarded/summary.csv"
grep -q ",country,\"'CHN\"," "$tmp/sweeps/guarded/summary.csv" || { echo "FAIL: no guarded cell to read"; fail=1; }
plot guarded --metric country.CHN.imports_compute
check_pngs "$tmp/charts/guarded" "$tmp/guarded.txt" "response_$detection.png" "response_$elasticity.png"

expect_error() {  # PATTERN ARGS...: plot-sweep ARGS exits 2, prints PATTERN, writes nothing
  local pattern="$1"; shift
  local rc=0
  scripts/plot-sweep "$@" -o "$tmp/bad" > "$tmp/bad-out.txt" 2> "$tmp/err.txt" || rc=$?
  if [ "$rc" -ne 2 ]; then echo "FAIL: plot-sweep $* exited $rc, expected 2"; fail=1; fi
  if ! grep -q "^plot-sweep: error: .*$pattern" "$tmp/err.txt"; then
    echo "FAIL: plot-sweep $*: expected '$pattern', got:"; cat "$tmp/err.txt"; fail=1
  fi
  if [ -e "$tmp/bad" ] || [ -s "$tmp/bad-out.txt" ]; then echo "FAIL: plot-sweep $* wrote something"; fail=1; fi
  rm -rf "$tmp/bad"
}
mkdir -p "$tmp/empty"
"$bin" run "$scenario" -o "$tmp/run" --quiet
expect_error "is not a tradesim sweep folder" "$tmp/empty"
expect_error "is not a tradesim sweep folder.*use scripts/plot" "$tmp/run"
expect_error "is not a folder" "$tmp/missing"
expect_error "unknown metric 'world.no_such_metric'.*known metrics.*world.imports_compute" \
  "$tmp/sweeps/grid" --metric world.imports_compute --metric world.no_such_metric

[ $fail -eq 0 ] && echo "ok: scripts/plot-sweep wrote every expected chart"
exit $fail
