#!/usr/bin/python3
"""The policy analyst's first table for the chip scenarios (scenarios/chips).

    scripts/chips-table DIR [DIR ...]        (each DIR the output folder of `tradesim run`)

Per scenario: compute reaching China per calendar year (China's `compute_used`: chips
delivered, smuggled ones included, plus compute rented abroad), the share of it that came
through third countries (diverted + transshipped + remote), Huawei's share of China's
additions, Nvidia's revenue per fiscal year and the share billed to China and Hong Kong.
The first folder is the baseline; the other rows show their difference from it.

Columns of years that are wholly or partly projection (months after a scenario's
time.observed_until, read from manifest.json) are marked "(p)", and a note under the table says
where each scenario's record ends.

Standard library only; the metric functions are also used by tests/chips/.
"""
import csv
import json
import os
import sys
import textwrap
from collections import defaultdict

CHINA = "CHN"                    # compute reaching China: the mainland (where it is used)
CHINA_BILLING = ("CHN", "HKG")   # Nvidia's "China including Hong Kong" billing region


def fiscal_year(date):
    """Nvidia's fiscal year: FY N runs from February of year N-1 to January of year N."""
    year, month = int(date[0:4]), int(date[5:7])
    return year + 1 if month >= 2 else year


def calendar_year(date):
    return int(date[0:4])


def read_rows(folder, name):
    with open(os.path.join(folder, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Run:
    """The outputs of one `tradesim run`, with the aggregates the chip metrics need."""

    def __init__(self, folder):
        self.folder = folder
        self.name = os.path.basename(os.path.normpath(folder))
        self.countries = read_rows(folder, "countries.csv")
        self.revenue = read_rows(folder, "revenue.csv")
        self.flows = read_rows(folder, "flows.csv")
        self.markets = read_rows(folder, "markets.csv")
        # Where the observed record ends (manifest.json, from time.observed_until): the last
        # observed month and the date of the first projected tick (None when not recorded).
        self.observed_until = None
        self.projection_from = None
        manifest = os.path.join(folder, "manifest.json")
        if os.path.exists(manifest):
            with open(manifest, encoding="utf-8") as f:
                m = json.load(f)
            self.observed_until = m.get("observed_until")
            self.projection_from = m.get("projection_from")

    def projected_periods(self, period):
        """The periods (calendar or fiscal years) holding at least one projected tick."""
        if not self.projection_from:
            return set()
        # ISO dates order as text.
        return {period(r["date"]) for r in self.countries if r["date"] >= self.projection_from}

    # -- countries.csv ------------------------------------------------------------------
    def country_by(self, country, column, period=calendar_year):
        out = defaultdict(float)
        for r in self.countries:
            if r["country"] == country:
                out[period(r["date"])] += float(r[column])
        return out

    def country_monthly(self, country, column):
        return {r["date"][:7]: float(r[column]) for r in self.countries if r["country"] == country}

    # -- revenue.csv --------------------------------------------------------------------
    def revenue_by(self, supplier, billing=None, period=fiscal_year):
        out = defaultdict(float)
        for r in self.revenue:
            if r["supplier"] != supplier:
                continue
            if billing is not None and r["billing_country"] not in billing:
                continue
            out[period(r["date"])] += float(r["revenue_usd"])
        return out

    # -- flows.csv ----------------------------------------------------------------------
    def flow_sum(self, column, period=calendar_year, **match):
        """Sum of a flows.csv column by period over rows whose fields equal `match`
        (a value may be a tuple of allowed values)."""
        out = defaultdict(float)
        for r in self.flows:
            ok = True
            for key, want in match.items():
                have = r[key]
                if isinstance(want, tuple):
                    if have not in want:
                        ok = False
                        break
                elif have != want:
                    ok = False
                    break
            if ok:
                out[period(r["date"])] += float(r[column])
        return out

    def produced_by(self, supplier, products, period=calendar_year):
        out = defaultdict(float)
        for r in self.markets:
            if r["supplier"] == supplier and r["product"] in products:
                out[period(r["date"])] += float(r["produced"])
        return out

    # -- headline metrics ---------------------------------------------------------------
    def china_compute(self):
        return self.country_by(CHINA, "compute_used")

    def china_via_third(self):
        """Compute reaching China through third countries: smuggled arrivals (diverted),
        compute rented in hub data centres (remote) and legal transshipments."""
        diverted = self.country_by(CHINA, "diverted_compute")
        remote = self.country_by(CHINA, "remote_compute")
        trans = self.flow_sum("compute", destination=CHINA, channel="transshipped")
        years = set(diverted) | set(remote) | set(trans)
        return {y: diverted.get(y, 0.0) + remote.get(y, 0.0) + trans.get(y, 0.0) for y in years}

    def huawei_compute(self):
        return self.flow_sum("compute", supplier="huawei", destination=CHINA)

    def nvidia_revenue(self):
        return self.revenue_by("nvidia")

    def nvidia_china_revenue(self):
        return self.revenue_by("nvidia", CHINA_BILLING)


def share(part, whole):
    return part / whole if whole > 0 else 0.0


def years_of(runs, getter):
    ys = set()
    for r in runs:
        ys |= set(getter(r))
    return sorted(ys)


def fmt_delta(value, base, scale, unit, pct=False):
    if pct:
        return f"{(value - base) * 100:+.1f}pp"
    return f"{(value - base) / scale:+.0f}{unit}"


PROJECTED = " (p)"  # the mark of `tradesim compare` (docs/compare.md, "Observed and projected")


def projected_in(runs, period):
    """Periods that are projection, wholly or in part, in any of the runs."""
    out = set()
    for r in runs:
        out |= r.projected_periods(period)
    return out


def projection_note(runs):
    """Where each scenario's record ends, or "" when no run records it."""
    by_end = {}
    for r in runs:
        if r.observed_until:
            by_end.setdefault(r.observed_until, []).append(r.name)
    if not by_end:
        return ""
    if len(by_end) == 1 and sum(map(len, by_end.values())) == len(runs):
        ends = f"{next(iter(by_end))} in every scenario"
    else:
        ends = "; ".join(f"{end} in {', '.join(names)}" for end, names in sorted(by_end.items()))
    text = ("(p) wholly or partly projection: the (fiscal) year has months after the end of the "
            f"observed record (time.observed_until: {ends})")
    return "\n".join(textwrap.wrap(text, width=100)) + "\n"


def print_table(runs, out=sys.stdout):
    base = runs[0]
    cal_years = [y for y in years_of(runs, Run.china_compute)]
    fys = [y for y in years_of(runs, Run.nvidia_revenue) if y >= 2023]
    name_w = max(12, max(len(r.name) for r in runs))
    projected = {calendar_year: projected_in(runs, calendar_year), fiscal_year: projected_in(runs, fiscal_year)}

    def section(title, years, label, cell, period=calendar_year):
        def head(y):
            return label(y) + (PROJECTED if y in projected[period] else "")
        out.write(f"\n{title}\n")
        out.write(f"{'scenario':<{name_w}}" + "".join(f"{head(y):>12}" for y in years) + "\n")
        for i, r in enumerate(runs):
            out.write(f"{r.name:<{name_w}}" + "".join(f"{cell(r, y, i > 0):>12}" for y in years) + "\n")

    cache = {}

    def get(r, key, fn):
        k = (id(r), key)
        if k not in cache:
            cache[k] = fn(r)
        return cache[k]

    def china_k(r, y, delta):
        v = get(r, "cc", Run.china_compute).get(y, 0.0)
        if not delta:
            return f"{v / 1000:.0f}k"
        b = get(base, "cc", Run.china_compute).get(y, 0.0)
        return f"{(v - b) / 1000:+.0f}k"

    def via_share(r, y, delta):
        v = share(get(r, "via", Run.china_via_third).get(y, 0.0), get(r, "cc", Run.china_compute).get(y, 0.0))
        if not delta:
            return f"{v * 100:.1f}%"
        b = share(get(base, "via", Run.china_via_third).get(y, 0.0), get(base, "cc", Run.china_compute).get(y, 0.0))
        return f"{(v - b) * 100:+.1f}pp"

    def huawei_share(r, y, delta):
        v = share(get(r, "hw", Run.huawei_compute).get(y, 0.0), get(r, "cc", Run.china_compute).get(y, 0.0))
        if not delta:
            return f"{v * 100:.1f}%"
        b = share(get(base, "hw", Run.huawei_compute).get(y, 0.0), get(base, "cc", Run.china_compute).get(y, 0.0))
        return f"{(v - b) * 100:+.1f}pp"

    def nv_rev(r, y, delta):
        v = get(r, "nv", Run.nvidia_revenue).get(y, 0.0)
        if not delta:
            return f"${v / 1e9:.1f}B"
        b = get(base, "nv", Run.nvidia_revenue).get(y, 0.0)
        return f"{(v - b) / 1e9:+.1f}B"

    def nv_cn(r, y, delta):
        v = share(get(r, "nvc", Run.nvidia_china_revenue).get(y, 0.0), get(r, "nv", Run.nvidia_revenue).get(y, 0.0))
        d = get(r, "nvc", Run.nvidia_china_revenue).get(y, 0.0)
        if not delta:
            return f"{v * 100:.1f}% {d / 1e9:.1f}B"
        b = share(get(base, "nvc", Run.nvidia_china_revenue).get(y, 0.0), get(base, "nv", Run.nvidia_revenue).get(y, 0.0))
        return f"{(v - b) * 100:+.1f}pp"

    out.write(f"Chip scenarios: {base.name} and {len(runs) - 1} variant(s); variant rows are differences from {base.name}.\n")
    section("Compute reaching China (H100e by TPP: delivered + smuggled + rented abroad), calendar year",
            cal_years, str, china_k)
    section("Share of it via third countries (diverted + transshipped + remote)", cal_years, str, via_share)
    section("Huawei's share of China's additions", cal_years, str, huawei_share)
    # Fiscal years the run covers only in part (the first and last), named from the months seen.
    months_by_fy = defaultdict(set)
    for row in base.markets:
        months_by_fy[fiscal_year(row["date"])].add(row["date"][:7])
    partial = [f"FY{y} has {len(m)} month{'s' if len(m) > 1 else ''}"
               for y, m in sorted(months_by_fy.items()) if len(m) < 12]
    section("Nvidia revenue by fiscal year (FY N = Feb N-1 .. Jan N"
            + "".join(f"; {p}" for p in partial) + ")", fys,
            lambda y: f"FY{y}", nv_rev, fiscal_year)
    section("Nvidia revenue billed to China + Hong Kong: share of Nvidia's total (and USD)", fys,
            lambda y: f"FY{y}", nv_cn, fiscal_year)
    note = projection_note(runs)
    if note:
        out.write("\n" + note)


def main(argv):
    if len(argv) >= 2 and argv[1] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    runs = []
    for folder in argv[1:]:
        missing = [f for f in ("countries.csv", "revenue.csv", "flows.csv", "markets.csv")
                   if not os.path.exists(os.path.join(folder, f))]
        if missing:
            sys.stderr.write(f"chips-table: {folder}: missing {', '.join(missing)} (run tradesim first)\n")
            return 2
        runs.append(Run(folder))
    print_table(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
