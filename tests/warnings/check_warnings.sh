#!/usr/bin/env bash
# Runs `tradesim validate` on one warning case: it must exit 0 and print exactly
# expected_stderr.txt (the reader's warnings and those of the policy audit's run).
#   check_warnings.sh TRADESIM CASE_DIR [--approve]
set -euo pipefail
bin="$1"; case_dir="$2"; mode="${3:-check}"
cd "$case_dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set +e
"$bin" validate scenario.yaml > "$tmp/stdout" 2> "$tmp/stderr"
code=$?
set -e
if [ "$mode" = "--approve" ]; then
  cp "$tmp/stderr" expected_stderr.txt
  echo "approved $case_dir (exit $code)"
  exit 0
fi
status=0
[ $code -eq 0 ] || { echo "FAIL: exit code $code, expected 0"; status=1; }
[ -s expected_stderr.txt ] || { echo "FAIL: a warning case must warn"; status=1; }
if ! diff -u expected_stderr.txt "$tmp/stderr"; then echo "FAIL: stderr differs"; status=1; fi
[ $status -eq 0 ] && echo "ok: $case_dir"
exit $status
