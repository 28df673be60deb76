#!/usr/bin/env bash
# Runs one scenario test case and compares its outputs with the approved files.
#   check_scenario.sh TRADESIM REPO_ROOT CASE_DIR [--approve]
# CASE_DIR/args holds the tradesim arguments (paths relative to the repo root); the output
# folder is added as -o. Every file in CASE_DIR/approved must match byte for byte, or, for CSV
# files, within the floating-point tolerance of csv_close.py (last printed digit of a
# 16-significant-digit figure; see docs/performance.md); and its datapackage.json must describe
# the files (check_datapackage.py).
set -euo pipefail
bin="$1"; root="$2"; case_dir="$3"; mode="${4:-check}"
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
read -r -a args < "$case_dir/args"
if ! "$bin" "${args[@]}" -o "$tmp/out" --quiet 2> "$tmp/stderr"; then
  echo "FAIL: tradesim ${args[*]} exited non-zero:"; cat "$tmp/stderr"; exit 1
fi
if [ "$mode" = "--approve" ]; then
  mkdir -p "$case_dir/approved"
  for f in flows.csv countries.csv markets.csv revenue.csv events.csv suppliers.csv soft_routes.csv pools.csv summary.csv scenario.resolved.yaml datapackage.json; do
    [ -f "$tmp/out/$f" ] && cp "$tmp/out/$f" "$case_dir/approved/$f"
  done
  echo "approved $case_dir"
  exit 0
fi
status=0
[ -d "$case_dir/approved" ] || { echo "FAIL: $case_dir has no approved/ folder (run scripts/approve)"; exit 1; }
for f in "$case_dir"/approved/*; do
  name=$(basename "$f")
  if ! diff -u "$f" "$tmp/out/$name" > "$tmp/diff" 2>&1; then
    if [[ "$name" == *.csv ]] && /usr/bin/python3 "$(dirname "$0")/csv_close.py" "$f" "$tmp/out/$name"; then
      continue
    fi
    echo "FAIL: $name differs from $f:"; head -40 "$tmp/diff"; status=1
  fi
done
# The data package describes every file, column, type and key of the folder.
/usr/bin/python3 "$(dirname "$0")/check_datapackage.py" "$tmp/out" || status=1
[ $status -eq 0 ] && echo "ok: $case_dir matches its approved outputs"
exit $status
