#!/usr/bin/python3
"""The route view adds up to what arrived (docs/compare.md, "Trade-flow view"): on the chip
baseline, summed over the routes to CHN (every channel), compute - seized_compute -
in_transit_compute of `compare --by route` equals compute_used of CHN in `compare --by country`,
within 1e-6 relative, over the whole run and through --to 2026-06; and the period's end moves
shipments into transit (in_transit_compute through 2026-06 is above 0 and not the whole run's).

    check_route_arrivals.py TRADESIM REPO_ROOT WORK_DIR
"""
import csv
import io
import os
import subprocess
import sys


def compare(tradesim, run, *args):
    out = subprocess.run([tradesim, "compare", run, run, "--format", "csv", "--all", *args],
                         check=True, capture_output=True, text=True).stdout
    # One scenario compared with itself: keep the first of the two identical columns.
    rows = {}
    for r in csv.DictReader(io.StringIO(out)):
        rows.setdefault((r["scope"], r["key"], r["metric"]), (r, float(r["value"])))
    return rows


def main(argv):
    tradesim, root, work = argv[1:4]
    os.makedirs(work, exist_ok=True)
    run = os.path.join(work, "base")
    subprocess.run([tradesim, "run", os.path.join(root, "scenarios/chips/baseline.yaml"), "-o", run,
                    "--force", "--quiet"], check=True)
    failures = []
    in_transit = {}
    for period in ([], ["--to", "2026-06"]):
        label = " ".join(period) or "the whole run"
        routes = compare(tradesim, run, "--by", "route", *period)
        totals = {"compute": 0.0, "seized_compute": 0.0, "in_transit_compute": 0.0}
        for (scope, _, metric), (row, value) in routes.items():
            if scope == "route" and row["destination"] == "CHN" and metric in totals:
                totals[metric] += value
        arrived = totals["compute"] - totals["seized_compute"] - totals["in_transit_compute"]
        countries = compare(tradesim, run, "--metric", "compute_used", *period)
        used = countries[("country", "CHN", "compute_used")][1]
        in_transit[label] = totals["in_transit_compute"]
        print(f"{label}: CHN routes compute {totals['compute']:.4f} - seized "
              f"{totals['seized_compute']:.4f} - in transit {totals['in_transit_compute']:.4f} = "
              f"{arrived:.4f}; compute_used {used:.4f}")
        if not abs(arrived - used) <= 1e-6 * max(abs(used), 1.0):
            failures.append(f"{label}: routes to CHN give {arrived!r} arrived, compute_used {used!r}")
        if totals["seized_compute"] <= 0:
            failures.append(f"{label}: no compute seized on the routes to CHN")
    if not 0 < in_transit["--to 2026-06"] != in_transit["the whole run"]:
        failures.append(f"in transit at the end: {in_transit}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
