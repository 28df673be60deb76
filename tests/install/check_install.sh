#!/usr/bin/env bash
# Installs a build tree into a fresh prefix and uses tradesim from there alone:
#   check_install.sh CMAKE BUILD_DIR
# The installed binary must start (--version), validate a scenario that ships with it
# (share/tradesim/scenarios) and write a report with the scripts installed beside it
# (share/tradesim/scripts), from a folder outside both the source and the build tree.
set -euo pipefail
cmake="$1"
build="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check_install: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "cmake --install failed"; }
bin="$tmp/prefix/bin/tradesim"
[ -x "$bin" ] || fail "no executable bin/tradesim in the prefix"
# Nothing else is installed: the layers are static libraries inside the binary.
extra="$(cd "$tmp/prefix" && find . -type f ! -path './bin/tradesim' ! -path './share/tradesim/scenarios/*' \
  ! -path './share/tradesim/scripts/report.py' ! -path './share/tradesim/scripts/report_figures.py' \
  ! -path './share/tradesim/scripts/tradesim_charts.py')"
[ -z "$extra" ] || fail "unexpected installed files: $extra"
# No library is looked up in the build tree.
if ldd "$bin" | grep -F "$build"; then fail "bin/tradesim needs a library of the build tree"; fi

cd "$tmp"
"$bin" --version >"$tmp/version" || fail "tradesim --version failed"
grep -q '^tradesim ' "$tmp/version" || fail "unexpected --version output: $(cat "$tmp/version")"
example="$tmp/prefix/share/tradesim/scenarios/examples/policies/export-control.yaml"
[ -f "$example" ] || fail "the example scenarios are not installed"
"$bin" validate "$example" >"$tmp/validate" || fail "tradesim validate on an installed example failed"
grep -q '^ok: .* is valid$' "$tmp/validate" || fail "validate did not report ok"
# The report: the installed binary looks for its scripts in ../share/tradesim/scripts before the
# source tree it was built from (sim/cli/report_command.cpp).
for f in report.py report_figures.py tradesim_charts.py; do
  [ -f "$tmp/prefix/share/tradesim/scripts/$f" ] || fail "share/tradesim/scripts/$f is not installed"
done
"$bin" run "$example" -o "$tmp/run" --quiet || fail "tradesim run on an installed example failed"
"$bin" report "$tmp/run" -o "$tmp/report.html" >"$tmp/report.log" 2>&1 ||
  { cat "$tmp/report.log" >&2; fail "tradesim report with the installed scripts failed"; }
grep -q 'Plotly.newPlot' "$tmp/report.html" || fail "the installed report has no chart"
