#!/usr/bin/python3
"""The README's first scenario runs and shows what the README says it shows.

    check_readme_first.py TRADESIM REPO_ROOT WORK_DIR

Takes the first ```yaml block under "## A first scenario" in README.md, runs `tradesim validate`
and `tradesim run` on it, and checks the claims of the text: from August 2024 China's purchases
go on the `licensed` channel at about half of the 500 a month and the rest is unmet, while the
US buyer is untouched. Standard library only.
"""

import csv
import os
import re
import subprocess
import sys

tradesim, root, work = sys.argv[1:4]
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
section = readme.split("## A first scenario", 1)
if len(section) < 2:
    sys.exit("README.md has no '## A first scenario' section")
m = re.search(r"```yaml\n(.*?)```", section[1], re.S)
if not m:
    sys.exit("no ```yaml block under '## A first scenario'")
os.makedirs(work, exist_ok=True)
scenario = os.path.join(work, "first.yaml")
with open(scenario, "w", encoding="utf-8") as f:
    f.write(m.group(1))
out = os.path.join(work, "out")
for args in (["validate", scenario], ["run", scenario, "-o", out, "--force", "--quiet"]):
    done = subprocess.run([tradesim, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"tradesim {' '.join(args)} exited {done.returncode}:\n{done.stderr}")


def rows(name):
    with open(os.path.join(out, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


failures = []
flows = rows("flows.csv")
for month in ("2024-08", "2024-09", "2024-10", "2024-11", "2024-12"):
    cn = [r for r in flows if r["buyer"] == "cn-cloud" and r["date"].startswith(month)]
    us = [r for r in flows if r["buyer"] == "us-cloud" and r["date"].startswith(month)]
    cn_units = sum(float(r["units"]) for r in cn)
    if not cn or any(r["channel"] != "licensed" for r in cn) or not 150 <= cn_units <= 350:
        failures.append(f"{month}: China {cn_units} units on {[r['channel'] for r in cn]} "
                        "(want licensed, about 250)")
    if sum(float(r["units"]) for r in us) != 500 or any(r["channel"] != "direct" for r in us):
        failures.append(f"{month}: the US buyer is not untouched")
unmet = [r for r in rows("countries.csv") if r["country"] == "CHN" and r["date"] >= "2024-08"]
if not unmet or any(float(r["unmet_compute"]) <= 0 for r in unmet):
    failures.append("China's unmet_compute is not positive from August")
for f in failures:
    print(f, file=sys.stderr)
sys.exit(1 if failures else 0)
