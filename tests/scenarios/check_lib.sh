# Shared by the *_checks.sh scripts (sourced, not run): a temporary folder removed on exit, and
# the helpers every check uses.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_code() {  # expect_code CODE CMD...: run CMD (stdout, stderr into $tmp), check its exit code
  local want=$1; shift
  set +e; "$@" > "$tmp/stdout" 2> "$tmp/stderr"; local got=$?; set -e
  [ "$got" -eq "$want" ] || { cat "$tmp/stdout" "$tmp/stderr"; fail "'$*' exited $got, expected $want"; }
}
same_files() {  # same_files DIR_A DIR_B FILE...: each FILE non-empty and identical in both
  local a=$1 b=$2; shift 2
  for f in "$@"; do
    [ -s "$a/$f" ] || fail "$a/$f missing or empty"
    cmp -s "$a/$f" "$b/$f" || { diff "$a/$f" "$b/$f" | head -5; fail "$f differs between $a and $b"; }
  done
}
# metric_rows FILE SCOPE KEY METRIC: the rows of one metric in a sweep's long runs.csv or
# summary.csv, as CSV lines without the scope, key and metric cells (the first line is the
# header, likewise shortened).
metric_rows() {
  /usr/bin/python3 - "$@" <<'PY'
import csv, sys
path, scope, key, metric = sys.argv[1:5]
with open(path, newline="", encoding="utf-8") as fh:
    rows = csv.reader(fh)
    head = next(rows)
    at = head.index("scope")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(head[:at] + head[at + 3:])
    for r in rows:
        if r[at:at + 3] == [scope, key, metric]:
            out.writerow(r[:at] + r[at + 3:])
PY
}
