#!/usr/bin/python3
"""Targets test: the chip baseline can be held against scenarios/chips/targets.yaml.

    check_targets.py TRADESIM SOURCE_DIR [WORK_DIR]

Runs scenarios/chips/baseline.yaml, then `tradesim fit` with the chip targets file and checks:
`tradesim fit --fail-outside` exits 0 (every target resolves against the run, and every target
that is not a holdout lies inside its band: the baseline is calibrated to them), the CSV has
exactly one row per target of the file with the same ids and holdouts, and its model values are
those of the committed fit report (scenarios/chips/fit/fit-after.csv, written by
scripts/chips-calibrate) to 1e-6: the committed baseline is the one that was fitted. A copy
with one misspelt key must exit 2 and write nothing, so the check above can fail. Standard
library only.
"""
import csv
import os
import re
import subprocess
import sys
import tempfile


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def targets_of(path):
    """Ids and holdout ids of a targets file, read by its own layout (one `- id:` per target)."""
    ids, holdouts, current = [], set(), None
    with open(path) as f:
        for line in f:
            m = re.match(r"^  - id: (\S+)", line)
            if m:
                current = m.group(1)
                ids.append(current)
            elif re.match(r"^    holdout: true\b", line):
                holdouts.add(current)
    return ids, holdouts


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    tradesim, source = argv[1], argv[2]
    work = argv[3] if len(argv) > 3 else tempfile.mkdtemp(prefix="chips-targets-")
    os.makedirs(work, exist_ok=True)
    targets = os.path.join(source, "scenarios", "chips", "targets.yaml")
    out = os.path.join(work, "chips-baseline")
    failures = []

    done = run([tradesim, "run", os.path.join(source, "scenarios", "chips", "baseline.yaml"),
                "-o", out, "--force", "--quiet"])
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        return 1

    fit_csv = os.path.join(work, "fit.csv")
    if os.path.exists(fit_csv):
        os.remove(fit_csv)
    done = run([tradesim, "fit", out, "--targets", targets, "-o", fit_csv, "--fail-outside"])
    print(done.stdout, end="")
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        failures.append(f"fit --fail-outside exited {done.returncode}, expected 0 (every target "
                        "must resolve and every fitted one lie inside its band)")
    else:
        ids, holdouts = targets_of(targets)
        with open(fit_csv, newline="") as f:
            rows = list(csv.DictReader(f))
        got = [r["id"] for r in rows]
        if len(ids) < 20:
            failures.append(f"only {len(ids)} targets read from {targets}")
        if sorted(got) != sorted(ids) or len(got) != len(set(got)):
            failures.append(f"CSV rows {sorted(got)} are not one per target {sorted(ids)}")
        got_holdouts = {r["id"] for r in rows if r["holdout"] == "yes"}
        if got_holdouts != holdouts or not holdouts:
            failures.append(f"holdouts in the CSV {sorted(got_holdouts)} != file {sorted(holdouts)}")
        if any(not r["source"].strip() for r in rows):
            failures.append("a target without a source")
        with open(os.path.join(source, "scenarios", "chips", "fit", "fit-after.csv"), newline="") as f:
            committed = {r["id"]: float(r["model"]) for r in csv.DictReader(f)}
        for r in rows:
            want, have = committed.get(r["id"]), float(r["model"])
            if want is None or abs(have - want) > 1e-6 * max(abs(want), 1.0):
                failures.append(f"{r['id']}: model {have} differs from the committed fit report "
                                f"({want}): run scripts/chips-calibrate again")
        print(f"{len(rows)} targets, {len(got_holdouts)} holdouts, "
              f"{sum(r['inside'] == 'no' for r in rows)} outside their band")

    # A misspelt supplier must be refused (exit 2, nothing written): the check above can fail.
    with open(targets) as f:
        text = f.read()
    bad = os.path.join(work, "targets-bad.yaml")
    with open(bad, "w") as f:
        f.write(text.replace("supplier: huawei", "supplier: huawie", 1))
    bad_csv = os.path.join(work, "fit-bad.csv")
    if os.path.exists(bad_csv):
        os.remove(bad_csv)
    done = run([tradesim, "fit", out, "--targets", bad, "-o", bad_csv])
    if done.returncode != 2 or "huawie" not in done.stderr or os.path.exists(bad_csv):
        failures.append(f"a misspelt supplier gave exit {done.returncode}, expected 2 and no CSV: "
                        f"{done.stderr.strip()}")

    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
