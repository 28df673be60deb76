#!/usr/bin/env bash
# Runs one `tradesim compare` test case and compares its output with the approved files.
#   check_compare.sh TRADESIM REPO_ROOT CASE_DIR [--approve]
# CASE_DIR holds:
#   runs       one line per run folder to produce first: NAME ARGS... (`tradesim run ARGS -o NAME`,
#              paths relative to the repo root)
#   args       the `tradesim compare` arguments (folder NAMEs, an -o FILE name), run inside the
#              folder holding the runs, so the output names no temporary path
#   exit_code  the expected exit code (default 0)
#   approved/  stdout.txt, stderr.txt and every file the compare wrote (e.g. compare.csv); each
#              must match byte for byte (a missing stderr.txt means stderr must be empty)
# With --approve the approved files are rewritten from this build's output.
set -euo pipefail
bin="$1"; root="$2"; case_dir="$3"; mode="${4:-check}"
case_dir="$(cd "$case_dir" && pwd)"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/runs"

if [ -f "$case_dir/runs" ]; then
  while read -r name rest; do
    [ -z "$name" ] && continue
    case "$name" in \#*) continue ;; esac
    read -r -a run_args <<< "$rest"
    if ! "$bin" run "${run_args[@]}" -o "$tmp/runs/$name" --quiet 2> "$tmp/run.stderr"; then
      echo "FAIL: tradesim run ${run_args[*]} exited non-zero:"; cat "$tmp/run.stderr"; exit 1
    fi
  done < "$case_dir/runs"
fi
# A folder that is not a run (for the error cases).
mkdir -p "$tmp/runs/not-a-run"

read -r -a args < "$case_dir/args"
expected_exit=0
[ -f "$case_dir/exit_code" ] && expected_exit=$(cat "$case_dir/exit_code")
before=$(ls "$tmp/runs")
set +e
(cd "$tmp/runs" && "$bin" compare "${args[@]}" > "$tmp/stdout.txt" 2> "$tmp/stderr.txt")
status=$?
set -e
# Files the compare wrote (new entries in the runs folder).
written=()
for f in $(ls "$tmp/runs"); do
  if ! grep -qx "$f" <<< "$before"; then written+=("$f"); fi
done

if [ "$mode" = "--approve" ]; then
  if [ "$status" -ne "$expected_exit" ]; then
    echo "FAIL: exit code $status, expected $expected_exit; not approving:"; cat "$tmp/stderr.txt"; exit 1
  fi
  rm -rf "$case_dir/approved"
  mkdir -p "$case_dir/approved"
  cp "$tmp/stdout.txt" "$case_dir/approved/stdout.txt"
  [ -s "$tmp/stderr.txt" ] && cp "$tmp/stderr.txt" "$case_dir/approved/stderr.txt"
  for f in "${written[@]}"; do cp "$tmp/runs/$f" "$case_dir/approved/$f"; done
  echo "approved $case_dir"
  exit 0
fi

fail=0
if [ "$status" -ne "$expected_exit" ]; then
  echo "FAIL: tradesim compare ${args[*]} exited $status, expected $expected_exit; stderr:"; cat "$tmp/stderr.txt"
  fail=1
fi
[ -d "$case_dir/approved" ] || { echo "FAIL: $case_dir has no approved/ folder (run $0 ... --approve)"; exit 1; }
[ -f "$case_dir/approved/stderr.txt" ] || : > "$tmp/expected_stderr.txt"
expected_stderr="$case_dir/approved/stderr.txt"
[ -f "$expected_stderr" ] || expected_stderr="$tmp/expected_stderr.txt"
if ! diff -u "$expected_stderr" "$tmp/stderr.txt" > "$tmp/diff" 2>&1; then
  echo "FAIL: stderr differs:"; head -40 "$tmp/diff"; fail=1
fi
for f in "$case_dir"/approved/*; do
  name=$(basename "$f")
  [ "$name" = stderr.txt ] && continue
  actual="$tmp/runs/$name"
  [ "$name" = stdout.txt ] && actual="$tmp/stdout.txt"
  if ! diff -u "$f" "$actual" > "$tmp/diff" 2>&1; then
    echo "FAIL: $name differs from $f:"; head -40 "$tmp/diff"; fail=1
  fi
done
# Nothing but the approved files may appear (no temporary files, no output on failure).
for f in "${written[@]}"; do
  [ -f "$case_dir/approved/$f" ] || { echo "FAIL: compare wrote an unexpected file '$f'"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok: $case_dir matches its approved output"
exit $fail
