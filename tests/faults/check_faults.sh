#!/usr/bin/env bash
# Interruptions, write failures and CSV safety (docs/reliability.md):
#   check_faults.sh TRADESIM REPO_ROOT CHECK [MPIEXEC]
# Every failing write must exit 1 with a message naming the file and the system's reason, and
# leave no file that looks complete; an existing output folder must survive a failed --force
# re-run byte for byte; SIGINT/SIGTERM exit 130/143 leaving no temporary files, and an
# interrupted shard resumes to the same bytes as an uninterrupted run.
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; root="$2"; check="$3"; mpiexec="${4:-mpiexec}"
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base=scenarios/examples/policies/base.yaml
chips=scenarios/chips/baseline.yaml
fail() { echo "FAIL: $*"; exit 1; }
expect_code() {  # expect_code CODE CMD...
  local want=$1; shift
  set +e; "$@" > "$tmp/stdout" 2> "$tmp/stderr"; local got=$?; set -e
  [ "$got" -eq "$want" ] || { cat "$tmp/stdout" "$tmp/stderr"; fail "'$*' exited $got, expected $want"; }
}
expect_stderr() { grep -q -- "$1" "$tmp/stderr" || { cat "$tmp/stderr"; fail "stderr lacks '$1'"; }; }
checksums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
no_leftovers() {  # no_leftovers DIR: no staging, old, temporary or part files anywhere below DIR
  local left
  left=$(find "$1" \( -name '.*partial-*' -o -name '.*.old-*' -o -name '*.tmp' -o -name '.*.tmp-*' \) -print)
  [ -z "$left" ] || fail "temporary files left: $left"
}
# Waits (up to 60 s) until the glob $1 matches something; the process $2 must still run.
wait_for() {
  local i
  for i in $(seq 600); do
    compgen -G "$1" > /dev/null && return 0
    kill -0 "$2" 2>/dev/null || fail "the process ended before '$1' appeared"
    sleep 0.1
  done
  fail "'$1' did not appear"
}
# Waits until DIR holds at least N complete parts (folders not starting with '.').
wait_parts() {
  local i
  for i in $(seq 600); do
    [ "$(find "$1" -mindepth 1 -maxdepth 1 -type d ! -name '.*' 2>/dev/null | wc -l)" -ge "$2" ] && return 0
    kill -0 "$3" 2>/dev/null || fail "the process ended before $2 parts were complete"
    sleep 0.05
  done
  fail "$2 parts did not appear in $1"
}
finish() {  # finish PID: waits for it; sets $code
  set +e; wait "$1"; code=$?; set -e
}
run_files="flows.csv countries.csv markets.csv revenue.csv events.csv summary.csv scenario.resolved.yaml"
same_files() {
  local a=$1 b=$2; shift 2
  for f in "$@"; do
    [ -s "$a/$f" ] || fail "$a/$f missing or empty"
    cmp -s "$a/$f" "$b/$f" || { diff "$a/$f" "$b/$f" | head -5; fail "$f differs between $a and $b"; }
  done
}
ex=scenarios/examples/policies/export-control.yaml  # stochastic, no warnings
# A single run that takes a few seconds: the export-control example over 50000 months.
long=("$ex" --set time.ticks=50000 --detail none)
# Ensembles of runs long enough to be caught part-way.
ens=("$ex" --set time.ticks=240)

case "$check" in
  read-only)
    # The output's parent folder is read-only. Root ignores permissions, so as root the
    # program runs as nobody (setpriv) on copies it can read.
    w=$(mktemp -d); trap 'chmod -R u+w "$w" 2>/dev/null; rm -rf "$tmp" "$w"' EXIT
    chmod 755 "$w"; cp "$bin" "$w/tradesim"; cp "$base" "$w/base.yaml"; chmod a+rx "$w/tradesim"; chmod a+r "$w/base.yaml"
    mkdir -p "$w/ro/keep"; echo old > "$w/ro/keep/file"; chmod 555 "$w/ro/keep" "$w/ro"
    as_user=()
    if [ "$(id -u)" -eq 0 ]; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
    cd "$w"
    expect_code 1 "${as_user[@]}" ./tradesim run base.yaml -o ro/out -q
    expect_stderr "tradesim: error: cannot create folder '.*ro.*': Permission denied"
    [ ! -e ro/out ] || fail "ro/out exists"
    expect_code 1 "${as_user[@]}" ./tradesim run base.yaml -o ro/keep --force -q
    expect_stderr "Permission denied"
    [ "$(cat ro/keep/file)" = old ] && [ "$(ls -A ro/keep)" = file ] || fail "ro/keep changed"
    expect_code 1 "${as_user[@]}" ./tradesim equilibrium base.yaml -o ro/eq.csv
    expect_stderr "cannot create '.*ro/eq.csv.tmp': Permission denied"
    [ "$(ls -A ro)" = keep ] || fail "files left in ro: $(ls -A ro)"
    ;;
  file-size)
    # A file-size limit: write() fails with EFBIG (SIGXFSZ is ignored), reported, exit 1.
    set +e; (ulimit -f 64; exec "$bin" run "$chips" -o "$tmp/big" -q) 2> "$tmp/stderr"; code=$?; set -e
    [ "$code" -eq 1 ] || { cat "$tmp/stderr"; fail "exit $code under ulimit -f, expected 1"; }
    expect_stderr "tradesim: error: cannot write '.*\.csv\.tmp': File too large"
    [ ! -e "$tmp/big" ] || fail "an output folder appeared"
    no_leftovers "$tmp"
    # The same for an ensemble, a sweep and equilibrium -o.
    set +e; (ulimit -f 64; exec "$bin" run "$chips" --runs 4 --threads 2 -o "$tmp/ens" -q) 2> "$tmp/stderr"; code=$?; set -e
    [ "$code" -eq 1 ] || { cat "$tmp/stderr"; fail "ensemble: exit $code, expected 1"; }
    expect_stderr "File too large"
    [ ! -e "$tmp/ens" ] || fail "an ensemble folder appeared"
    set +e; (ulimit -f 1; exec "$bin" equilibrium "$base" -o "$tmp/eq.csv") > /dev/null 2> "$tmp/stderr"; code=$?; set -e
    [ "$code" -eq 1 ] || { cat "$tmp/stderr"; fail "equilibrium -o: exit $code, expected 1"; }
    expect_stderr "eq.csv.tmp': File too large"
    [ ! -e "$tmp/eq.csv" ] || fail "eq.csv appeared"
    no_leftovers "$tmp"
    ;;
  dev-full)
    # Standard output on a full disk: every command that prints reports it (exit 1).
    expect_code 0 "$bin" run "$base" -o "$tmp/a" -q
    expect_code 0 "$bin" run scenarios/examples/policies/tariff.yaml -o "$tmp/b" -q
    for cmd in "validate $base" "equilibrium $base" "compare $tmp/a $tmp/b" \
               "compare $tmp/a $tmp/b --format csv" "run $base -o $tmp/c" "--help" "run --help"; do
      # shellcheck disable=SC2086
      set +e; "$bin" $cmd > /dev/full 2> "$tmp/stderr"; code=$?; set -e
      [ "$code" -eq 1 ] || { cat "$tmp/stderr"; fail "'$cmd > /dev/full' exited $code, expected 1"; }
      expect_stderr "tradesim: error: cannot write to standard output: No space left on device"
    done
    # -o FILE on a full device: written in place (never replaced by a rename), error reported.
    expect_code 1 "$bin" compare "$tmp/a" "$tmp/b" -o /dev/full
    expect_stderr "tradesim: error: cannot write '/dev/full': No space left on device"
    expect_code 1 "$bin" equilibrium "$base" -o /dev/full
    expect_stderr "tradesim: error: cannot write '/dev/full': No space left on device"
    [ -c /dev/full ] || fail "/dev/full is no longer a device"
    [ ! -e /dev/full.tmp ] || fail "/dev/full.tmp left"
    # A device that accepts the bytes works: -o /dev/stdout.
    expect_code 0 "$bin" equilibrium "$base" -o /dev/stdout
    grep -q "^scope,key,metric,baseline,value,change,change_pct" "$tmp/stdout" || fail "-o /dev/stdout"
    ;;
  force-kept)
    # An existing folder survives a --force re-run that fails (file-size limit, then SIGTERM).
    expect_code 0 "$bin" run "$ex" -o "$tmp/keep" -q
    before=$(checksums "$tmp/keep")
    set +e; (ulimit -f 16; exec "$bin" run "$ex" -o "$tmp/keep" --force -q) 2> "$tmp/stderr"; code=$?; set -e
    [ "$code" -eq 1 ] || { cat "$tmp/stderr"; fail "exit $code, expected 1"; }
    [ "$(checksums "$tmp/keep")" = "$before" ] || fail "the old folder changed after a failed --force run"
    "$bin" run "${long[@]}" -o "$tmp/keep" --force -q 2> "$tmp/stderr" & pid=$!
    wait_for "$tmp/.keep.partial-*/countries.csv.tmp" "$pid"
    kill -TERM "$pid"; finish "$pid"
    [ "$code" -eq 143 ] || { cat "$tmp/stderr"; fail "exit $code after SIGTERM, expected 143"; }
    expect_stderr "tradesim: interrupted by SIGTERM; stopped after .* ticks; partial outputs removed, '.*keep' left as it was"
    [ "$(checksums "$tmp/keep")" = "$before" ] || fail "the old folder changed after an interrupted --force run"
    no_leftovers "$tmp"
    ;;
  interrupt-run)
    # SIGINT and SIGTERM during a long single run: 130/143, one line, nothing left; a re-run
    # completes and equals an uninterrupted run.
    for sig in INT TERM; do
      "$bin" run "${long[@]}" -o "$tmp/run" -q 2> "$tmp/stderr" & pid=$!
      wait_for "$tmp/.run.partial-*/countries.csv.tmp" "$pid"
      sleep 0.2
      kill -"$sig" "$pid"; finish "$pid"
      want=$([ "$sig" = INT ] && echo 130 || echo 143)
      [ "$code" -eq "$want" ] || { cat "$tmp/stderr"; fail "exit $code after SIG$sig, expected $want"; }
      [ "$(wc -l < "$tmp/stderr")" -eq 1 ] || { cat "$tmp/stderr"; fail "expected one line on stderr"; }
      expect_stderr "^tradesim: interrupted by SIG$sig; stopped after [0-9]* of 50000 ticks; partial outputs removed, nothing written$"
      [ ! -e "$tmp/run" ] || fail "an output folder appeared"
      no_leftovers "$tmp"
    done
    expect_code 0 "$bin" run "${long[@]}" -o "$tmp/run" -q
    expect_code 0 "$bin" run "${long[@]}" -o "$tmp/ref" -q
    same_files "$tmp/ref" "$tmp/run" ${run_files/flows.csv /}
    grep -q '"status": "complete"' "$tmp/run/manifest.json" || fail "manifest status"
    ;;
  interrupt-ensemble)
    # An ensemble and a sweep without shards: the staging folder goes, parts and all.
    args=("${ens[@]}" --runs 2000 --threads 2 --detail none)
    "$bin" run "${args[@]}" -o "$tmp/ens" -q 2> "$tmp/stderr" & pid=$!
    wait_for "$tmp/.ens.partial-*/countries.csv.tmp" "$pid"
    kill -TERM "$pid"; finish "$pid"
    [ "$code" -eq 143 ] || { cat "$tmp/stderr"; fail "exit $code, expected 143"; }
    expect_stderr "^tradesim: interrupted by SIGTERM; stopped after [0-9]* of 2000 run(s); partial outputs removed, nothing written (to make an ensemble resumable, run it with --shard 0/1)$"
    [ ! -e "$tmp/ens" ] || fail "an output folder appeared"
    no_leftovers "$tmp"
    "$bin" sweep "${ens[@]}" --param seed=1:400:1 --threads 2 -o "$tmp/sw" -q 2> "$tmp/stderr" & pid=$!
    wait_for "$tmp/.sw.partial-*/runs.csv.tmp" "$pid"; sleep 0.2
    kill -INT "$pid"; finish "$pid"
    [ "$code" -eq 130 ] || { cat "$tmp/stderr"; fail "sweep: exit $code, expected 130"; }
    expect_stderr "^tradesim: interrupted by SIGINT; stopped after"
    [ ! -e "$tmp/sw" ] || fail "a sweep folder appeared"
    no_leftovers "$tmp"
    ;;
  interrupt-resume)
    # A resumable ensemble (--shard 0/1): SIGINT keeps the complete runs and marks the manifest
    # interrupted; the same command resumes; reduce gives the bytes of an uninterrupted run.
    args=("${ens[@]}" --runs 300 --threads 2 --detail country)
    "$bin" run "${args[@]}" --shard 0/1 -o "$tmp/job" -q 2> "$tmp/stderr" & pid=$!
    wait_parts "$tmp/job/parts" 5 "$pid"
    kill -INT "$pid"; finish "$pid"
    [ "$code" -eq 130 ] || { cat "$tmp/stderr"; fail "exit $code, expected 130"; }
    expect_stderr "^tradesim: interrupted by SIGINT; [0-9]* of 300 run(s) complete in .*/job/parts are kept; run the same command again to resume$"
    grep -q '"status": "interrupted"' "$tmp/job/manifest.json" || fail "manifest not marked interrupted"
    kept=$(find "$tmp/job/parts" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
    [ "$kept" -ge 5 ] && [ "$kept" -lt 300 ] || fail "$kept parts kept"
    no_leftovers "$tmp"
    expect_code 0 "$bin" --log-level info run "${args[@]}" --shard 0/1 -o "$tmp/job" -q
    expect_stderr "$((300 - kept)) run(s) to compute, $kept already complete (skipped)"
    [ ! -e "$tmp/job/manifest.json" ] || fail "the interrupted manifest outlived the resumed shard"
    expect_code 0 "$bin" reduce "$tmp/job" -q
    grep -q '"status": "complete"' "$tmp/job/manifest.json" || fail "manifest not complete after reduce"
    expect_code 0 "$bin" run "${args[@]}" -o "$tmp/ref" -q
    same_files "$tmp/ref" "$tmp/job" countries.csv markets.csv revenue.csv events.csv summary.csv flows.csv
    echo "resumed with $kept of 300 runs kept"
    ;;
  interrupt-mpi)
    # mpirun forwards SIGTERM to the ranks: no staging folder, part or temporary file is left.
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export TMPDIR="$tmp/rank-tmp"; mkdir -p "$TMPDIR"
    "$mpiexec" -n 2 --oversubscribe "$bin" run "${ens[@]}" --runs 3000 --detail none -o "$tmp/mpi" -q \
      > "$tmp/stdout" 2> "$tmp/stderr" & pid=$!
    wait_for "$tmp/.mpi.partial-*/countries.csv.tmp" "$pid"
    kill -TERM "$pid"; finish "$pid"
    [ "$code" -ne 0 ] || fail "mpiexec exited 0 after SIGTERM"
    # mpiexec may return before its ranks are gone: wait (up to 10 s) until no rank of this job
    # runs any more, then look for leftovers (a rank killed mid-cleanup would leave them).
    for _ in $(seq 100); do pgrep -f -- "-o $tmp/mpi" > /dev/null || break; sleep 0.1; done
    sleep 0.2
    [ ! -e "$tmp/mpi" ] || fail "an output folder appeared"
    no_leftovers "$tmp"
    [ -z "$(ls -A "$TMPDIR")" ] || fail "rank folders left in TMPDIR: $(ls -A "$TMPDIR")"
    echo "mpiexec exit $code; stderr:"; cat "$tmp/stderr"
    ;;
  interrupt-mpi-rank)
    # SIGTERM to rank 1 alone (a batch system or a user's kill), typically while it waits for
    # rank 0 to take a part. Rank 1 tells rank 0, which stops as if signalled; an abandoned send
    # must not crash rank 1 later (its buffer stays valid); nothing is left. MALLOC_MMAP_THRESHOLD_
    # puts every part buffer in its own mapping, so a freed buffer that MPI still reads faults at
    # once instead of reading stale heap; the signal lands in a send about 3 times in 4, hence
    # three attempts. A fourth runs as a shard: rank 0 marks the job interrupted.
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 MALLOC_MMAP_THRESHOLD_=65536
    for attempt in 1 2 3 4; do
      out="$tmp/mpi$attempt"; shard=(); [ "$attempt" -lt 4 ] || shard=(--shard 0/1)
      export TMPDIR="$tmp/rank-tmp$attempt"; mkdir -p "$TMPDIR"
      "$mpiexec" -n 2 --oversubscribe "$bin" run "${ens[@]}" --runs 3000 --detail none -o "$out" \
        "${shard[@]}" -q > "$tmp/stdout" 2> "$tmp/stderr" & pid=$!
      if [ "$attempt" -lt 4 ]; then
        wait_for "$tmp/.mpi$attempt.partial-*/countries.csv.tmp" "$pid"
      else
        wait_parts "$out/parts" 20 "$pid"
      fi
      sleep "0.$((attempt * 2))"
      # Looked up for up to 2 s: under load a rank's /proc entry can be briefly unreadable.
      rank1=""
      for _ in $(seq 20); do
        for p in $(pgrep -P "$pid"); do
          { tr '\0' '\n' < "/proc/$p/environ"; } 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 &&
            rank1=$p
        done
        [ -z "$rank1" ] || break
        sleep 0.1
      done
      [ -n "$rank1" ] || fail "rank 1 of mpiexec $pid not found"
      kill -TERM "$rank1"; finish "$pid"
      [ "$code" -ne 0 ] || fail "mpiexec exited 0 after SIGTERM to rank 1"
      for _ in $(seq 100); do pgrep -f -- "-o $out" > /dev/null || break; sleep 0.1; done
      sleep 0.2
      ! grep -Eq "received signal|Segmentation|errno = " "$tmp/stderr" ||
        { cat "$tmp/stderr"; fail "a rank crashed after the interruption (attempt $attempt)"; }
      grep -q "tradesim: MPI rank 1 was interrupted by SIGTERM; stopping this rank too" "$tmp/stderr" ||
        { cat "$tmp/stderr"; fail "rank 0 did not hear that rank 1 stopped (attempt $attempt)"; }
      [ "$(grep -c "tradesim: interrupted by SIGTERM" "$tmp/stderr")" -eq 2 ] ||
        { cat "$tmp/stderr"; fail "expected both ranks to report the interruption (attempt $attempt)"; }
      if [ "$attempt" -lt 4 ]; then
        [ ! -e "$out" ] || fail "an output folder appeared"
      else
        grep -q '"status": "interrupted"' "$out/manifest.json" || fail "shard manifest not marked interrupted"
      fi
      no_leftovers "$tmp"
      [ -z "$(ls -A "$TMPDIR")" ] || fail "rank folders left in TMPDIR: $(ls -A "$TMPDIR")"
      echo "attempt $attempt: mpiexec exit $code"
    done
    ;;
  csv-safety)
    /usr/bin/python3 "$root/tests/faults/csv_safety.py" "$bin" "$tmp"
    ;;
  *) fail "unknown check '$check'" ;;
esac
echo "ok: $check"
