#!/usr/bin/env bash
# Runs one bad-input case through the CLI: it must exit 2, print exactly expected_stderr.txt,
# and create no output folder.
#   check_bad_input.sh TRADESIM CASE_DIR [--approve]
set -euo pipefail
bin="$1"; case_dir="$2"; mode="${3:-check}"
cd "$case_dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args_line="run scenario.yaml"
[ -f args ] && args_line=$(head -n 1 args)
eval "set -- $args_line"
extra=()
[ "$1" = "run" ] && extra=(-o "$tmp/out")
set +e
"$bin" "$@" "${extra[@]}" > "$tmp/stdout" 2> "$tmp/stderr"
code=$?
set -e
if [ "$mode" = "--approve" ]; then
  cp "$tmp/stderr" expected_stderr.txt
  echo "approved $case_dir (exit $code)"
  exit 0
fi
status=0
[ $code -eq 2 ] || { echo "FAIL: exit code $code, expected 2"; status=1; }
if ! diff -u expected_stderr.txt "$tmp/stderr"; then echo "FAIL: stderr differs"; status=1; fi
[ -e "$tmp/out" ] && { echo "FAIL: an output folder was created"; status=1; }
[ -e out ] && { echo "FAIL: an out/ folder was created in the case folder"; rm -rf out; status=1; }
[ $status -eq 0 ] && echo "ok: $case_dir"
exit $status
