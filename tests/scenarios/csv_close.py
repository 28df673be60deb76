#!/usr/bin/python3
"""Compares an output CSV with its approved copy when they are not byte-identical: same header,
same rows, same text fields, and numbers equal within the documented floating-point tolerance
(relative 1e-12, or absolute 1e-9 for values near zero, plus one unit in the last printed
decimal place). Engine optimisations that reorder floating-point operations (docs/performance.md,
"Answers before and after") may change the last printed digit of a 16-digit figure; anything
larger is a change of behaviour and fails.
  csv_close.py APPROVED ACTUAL
Exit 0 when close (prints the largest relative difference), 1 otherwise."""
import csv
import sys

REL = 1e-12
ABS = 1e-9


def as_number(text):
    try:
        return float(text)
    except ValueError:
        return None


def ulp_of_print(text):
    """One unit in the last decimal place printed."""
    if "." not in text:
        return 1.0 if text.lstrip("-").isdigit() else 0.0
    return 10.0 ** -(len(text) - text.index(".") - 1)


def main():
    approved, actual = sys.argv[1], sys.argv[2]
    with open(approved, newline="", encoding="utf-8") as f:
        a_rows = list(csv.reader(f))
    with open(actual, newline="", encoding="utf-8") as f:
        b_rows = list(csv.reader(f))
    if len(a_rows) != len(b_rows):
        print(f"{actual}: {len(b_rows)} rows, approved {len(a_rows)}")
        return 1
    worst = 0.0
    for line, (ra, rb) in enumerate(zip(a_rows, b_rows), start=1):
        if len(ra) != len(rb):
            print(f"{actual}:{line}: {len(rb)} fields, approved {len(ra)}")
            return 1
        for col, (x, y) in enumerate(zip(ra, rb), start=1):
            if x == y:
                continue
            nx, ny = as_number(x), as_number(y)
            if nx is None or ny is None or line == 1:
                print(f"{actual}:{line}:{col}: '{y}', approved '{x}'")
                return 1
            diff = abs(nx - ny)
            scale = max(abs(nx), abs(ny))
            if diff > max(REL * scale, ABS) + ulp_of_print(x) * 1.000001 and diff > REL * scale:
                print(f"{actual}:{line}:{col}: {y}, approved {x} (difference {diff:.3g})")
                return 1
            worst = max(worst, diff / scale if scale > 0 else 0.0)
    print(f"close: {actual} (largest relative difference {worst:.2e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
