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
