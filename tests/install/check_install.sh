#!/usr/bin/env bash
# Installs a build tree into a fresh prefix and uses tradesim from there alone:
#   check_install.sh CMAKE BUILD_DIR
# The installed binary must start (--version) and validate a scenario that ships with it
# (share/tradesim/scenarios), from a folder outside both the source and the build tree.
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
extra="$(cd "$tmp/prefix" && find . -type f ! -path './bin/tradesim' ! -path './share/tradesim/scenarios/*')"
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
