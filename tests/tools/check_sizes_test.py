#!/usr/bin/python3
"""Self-test of scripts/check-sizes on fixture/sizes.cpp: one function of 26 lines (25-50),
short ones around braces in comments, strings, raw strings, character literals, a lambda, a
constructor's brace initialiser and digit separators, and a preprocessor line with a brace, and a file of 52 lines.

    check_sizes_test.py REPO_ROOT
"""

import os
import subprocess
import sys

root = sys.argv[1]
script = os.path.join(root, "scripts", "check-sizes")
fixture = os.path.join(root, "tests", "tools", "fixture", "sizes.cpp")
failures = []


def check(args, want_rc, want_lines):
    r = subprocess.run([sys.executable, script, *args, fixture], capture_output=True, text=True)
    lines = r.stdout.splitlines()
    if r.returncode != want_rc or lines != want_lines:
        failures.append(f"check-sizes {' '.join(args)}: exit {r.returncode} (want {want_rc})\n"
                        f"  got:  {lines}\n  want: {want_lines}\n  stderr: {r.stderr.strip()}")


long_fn = f"{fixture}:25: function long_function has 26 lines (limit {{}})"
# The long function is over 25 and not over 26: its length is counted exactly.
check(["--max-function", "25"], 1, [long_fn.format(25)])
check(["--max-function", "26"], 0, [])
# At 3 the 4-line short_function joins it (its lambda is part of it, not a function of its own);
# Holder's one-line members stay under, and no brace inside a literal or comment opens one.
check(["--max-function", "3"], 1,
      [f"{fixture}:20: function short_function has 4 lines (limit 3)", long_fn.format(3)])
# The file limit: 52 lines.
check(["--max-file", "51"], 1, [f"{fixture}:1: file has 52 lines (limit 51)"])
check(["--max-file", "52"], 0, [])

# A bad limit is a usage error (exit 2), not a pass.
r = subprocess.run([sys.executable, script, "--max-function", "0", fixture], capture_output=True)
if r.returncode != 2:
    failures.append(f"--max-function 0: exit {r.returncode} (want 2)")

for f in failures:
    print(f, file=sys.stderr)
sys.exit(1 if failures else 0)
