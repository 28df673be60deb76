#!/usr/bin/env python3
"""Checks a run folder's datapackage.json against the files it describes.

    check_datapackage.py RUN_DIR

Every CSV file of the folder must be a resource; each resource's header must be its fields in
order; every cell must read as its field's type (integer, number, string, date as %Y-%m-%d;
numbers may be inf, -inf or nan as the writers print them), an enum field's values must be in
its constraint, and the primary key must be unique and never missing. Exits 1 with the first
problems found.
"""
import csv
import datetime
import json
import math
import os
import sys


def parse(value, field):
    kind = field["type"]
    if kind == "integer":
        int(value)
    elif kind == "number":
        v = float(value)
        if math.isnan(v) and value != "nan":
            raise ValueError(value)
    elif kind == "date":
        datetime.datetime.strptime(value, "%Y-%m-%d")
    elif kind != "string":
        raise ValueError(f"unknown type {kind}")


def check_resource(folder, res, problems):
    path = os.path.join(folder, res["path"])
    if not os.path.isfile(path):
        problems.append(f"{res['path']}: described but missing")
        return
    schema = res["schema"]
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    missing = set(schema.get("missingValues", [""]))
    key = schema.get("primaryKey", [])
    for f in fields:
        if not f.get("description"):
            problems.append(f"{res['path']}: column {f['name']} has no description")
    seen = set()
    with open(path, newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh)
        header = next(rows, None)
        if header != names:
            problems.append(f"{res['path']}: header {header} is not the fields {names}")
            return
        index = {n: i for i, n in enumerate(names)}
        for line, row in enumerate(rows, start=2):
            if len(row) != len(names):
                problems.append(f"{res['path']}:{line}: {len(row)} cells, {len(names)} fields")
                continue
            for f, cell in zip(fields, row):
                if cell in missing and not (f["type"] == "number" and cell == "nan"):
                    if f["name"] in key:
                        problems.append(f"{res['path']}:{line}: key {f['name']} is missing")
                    continue
                try:
                    parse(cell, f)
                except ValueError:
                    problems.append(f"{res['path']}:{line}: {f['name']} '{cell}' is not "
                                    f"a {f['type']}")
                allowed = f.get("constraints", {}).get("enum")
                if allowed is not None and cell not in [str(a) for a in allowed]:
                    problems.append(f"{res['path']}:{line}: {f['name']} '{cell}' not in "
                                    f"{allowed}")
            if key:
                k = tuple(row[index[n]] for n in key)
                if k in seen:
                    problems.append(f"{res['path']}:{line}: primary key {dict(zip(key, k))} "
                                    "repeats")
                seen.add(k)
            if len(problems) > 20:
                return


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "datapackage.json"), encoding="utf-8") as fh:
        package = json.load(fh)
    problems = []
    if package.get("profile") != "tabular-data-package":
        problems.append("profile is not tabular-data-package")
    described = {r["path"] for r in package["resources"]}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".csv") and name not in described:
            problems.append(f"{name}: not described in datapackage.json")
    for res in package["resources"]:
        check_resource(folder, res, problems)
    if problems:
        print(f"FAIL: {folder}/datapackage.json does not describe its files:")
        for p in problems[:20]:
            print(f"  {p}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
