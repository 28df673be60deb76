#!/usr/bin/python3
"""Variants test: each chip policy variant moves the outcome the way economics predicts.

    check_variants.py TRADESIM SOURCE_DIR [WORK_DIR]

Runs scenarios/chips/baseline.yaml and every variant next to it with the given tradesim
binary, then compares each variant with the baseline on the metrics listed in EXPECTATIONS
below (each with its reason), printing baseline value, variant value and the expected
direction. Exit 0 when every expectation holds, 1 otherwise. Standard library only.
"""
import os
import subprocess
import sys
import tempfile

UP, DOWN = "up", "down"


def metrics():
    """Metric name -> function(Run) -> float. Years are calendar years unless 'FY'."""
    from chips_table import share

    def china_compute(years):
        return lambda r: sum(r.china_compute().get(y, 0.0) for y in years)

    def huawei_share(years):
        def f(r):
            hw = r.huawei_compute()
            cc = r.china_compute()
            return share(sum(hw.get(y, 0.0) for y in years), sum(cc.get(y, 0.0) for y in years))
        return f

    def via_share(years):
        def f(r):
            via = r.china_via_third()
            cc = r.china_compute()
            return share(sum(via.get(y, 0.0) for y in years), sum(cc.get(y, 0.0) for y in years))
        return f

    def nvidia_billed(country, fys):
        return lambda r: sum(r.revenue_by("nvidia", (country,)).get(y, 0.0) for y in fys)

    def diverted(years, via=None):
        def f(r):
            if via is None:
                d = r.country_by("CHN", "diverted_compute")
                return sum(d.get(y, 0.0) for y in years)
            d = r.flow_sum("compute", destination="CHN", channel="diverted", via=via)
            return sum(d.get(y, 0.0) for y in years)
        return f

    def country_sum(country, column, years):
        return lambda r: sum(r.country_by(country, column).get(y, 0.0) for y in years)

    def price_index(country, years):
        def f(r):
            vals = [float(x["price_index"]) for x in r.countries
                    if x["country"] == country and int(x["date"][:4]) in years]
            return sum(vals) / len(vals) if vals else 0.0
        return f

    def seized_per_diverted(years):
        def f(r):
            seized = r.flow_sum("seized_units", destination="CHN", channel="diverted")
            units = r.flow_sum("units", destination="CHN", channel="diverted")
            return share(sum(seized.get(y, 0.0) for y in years), sum(units.get(y, 0.0) for y in years))
        return f

    def flows(column, years, **match):
        return lambda r: sum(r.flow_sum(column, **match).get(y, 0.0) for y in years)

    def nvidia_revenue(fys):
        return lambda r: sum(r.nvidia_revenue().get(y, 0.0) for y in fys)

    def nvidia_china_revenue_fy(fys):
        return lambda r: sum(r.nvidia_china_revenue().get(y, 0.0) for y in fys)

    return dict(
        china_compute_2023_26=china_compute(range(2023, 2027)),
        china_compute_2024_26=china_compute(range(2024, 2027)),
        china_compute_2026=china_compute([2026]),
        huawei_share_2024_26=huawei_share(range(2024, 2027)),
        via_share_2024_26=via_share(range(2024, 2027)),
        nvidia_revenue_fy2024_27=nvidia_revenue(range(2024, 2028)),
        nvidia_china_revenue_fy2026_27=nvidia_china_revenue_fy([2026, 2027]),
        nvidia_china_revenue_fy2027=nvidia_china_revenue_fy([2027]),
        nvidia_billed_sgp_fy2026_27=nvidia_billed("SGP", [2026, 2027]),
        china_remote_2024_26=country_sum("CHN", "remote_compute", range(2024, 2027)),
        diverted_2024_26=diverted(range(2024, 2027)),
        diverted_via_sgp_mys_hkg_2024_25=lambda r: sum(diverted([2024, 2025], v)(r) for v in ("SGP", "MYS", "HKG")),
        seized_per_diverted_2025=seized_per_diverted([2025]),
        h200_licensed_china_2026=flows("units", [2026], product="H200", destination="CHN", channel="licensed"),
        affiliates_us_chips_2026=flows("compute", [2026], buyer="cn-affiliates", supplier=("nvidia", "amd", "intel")),
        us_price_index_2026H2_27=price_index("USA", [2027]),
        us_tariff_revenue_2026_27=country_sum("USA", "tariff_revenue_usd", [2026, 2027]),
        us_compute_2027=country_sum("USA", "compute_used", [2027]),
        tier2_compute_2026=lambda r: sum(country_sum(c, "compute_used", [2026])(r) for c in ("MYS", "SGP", "IND", "VNM", "THA")),
    )


# (variant file, metric, expectation against the baseline, reason). An expectation is UP or
# DOWN, or (lo, hi): the relative change (variant / baseline - 1) lies in [lo, hi].
EXPECTATIONS = [
    ("no-controls", "china_compute_2023_26", UP,
     "without controls China buys Hopper and Blackwell directly: nothing is blocked, licensed or risky"),
    ("no-controls", "nvidia_revenue_fy2024_27", UP,
     "China's budget pays for H100/B200 on the shared CoWoS what the H20 could not earn per package"),
    ("no-controls", "nvidia_china_revenue_fy2026_27", UP,
     "China's purchases are billed to China instead of hubs, remote sites or Huawei"),
    ("no-controls", "huawei_share_2024_26", DOWN,
     "Huawei's output is bound by dies and HBM while the parts it substituted for are open"),
    ("no-controls", "diverted_2024_26", (-1.0, -0.99),
     "nothing is left to smuggle"),
    ("controls-2022-only", "china_compute_2024_26", UP,
     "the A800/H800 (400 GB/s links) stay legal after 2023 instead of the far weaker H20"),
    ("controls-2022-only", "via_share_2024_26", UP,
     "without the headquarters rule Chinese firms rent far more compute abroad (remote counts as via)"),
    ("controls-2022-only", "diverted_2024_26", DOWN,
     "a legal product that does not disappear (the A800/H800) leaves less to smuggle"),
    ("controls-2022-only", "huawei_share_2024_26", DOWN,
     "legal high-end Nvidia parts crowd out the input-bound Ascend in China's additions"),
    ("diffusion-rule-kept", "tier2_compute_2026", DOWN,
     "tier-2 country caps (49,901 H100e for 2025-27) bind in Malaysia, Singapore and India"),
    ("diffusion-rule-kept", "nvidia_billed_sgp_fy2026_27", DOWN,
     "Malaysian data centres are invoiced through Singapore; their purchases are capped"),
    ("h20-banned", "nvidia_china_revenue_fy2026_27", DOWN,
     "no H20 licences from August 2025: the few H20 sold despite Beijing's boycott disappear"),
    ("h20-banned", "china_compute_2026", (-0.03, 0.03),
     "Beijing's avoidance already kept the H20 out: the ban changes China's compute by little"),
    ("h200-closed", "china_compute_2026", (-0.03, 0.03),
     "one gate closed behind another: Beijing's block already keeps the H200 out"),
    ("beijing-opens-h200", "h200_licensed_china_2026", UP,
     "conditional approvals let licensed H200 in for buyers whose purchases are half domestic"),
    ("beijing-opens-h200", "nvidia_china_revenue_fy2027", UP,
     "the licensed H200 are billed to China"),
    ("beijing-opens-h200", "china_compute_2026", UP,
     "a second source of high-end compute beside input-bound Huawei"),
    ("hub-crackdown", "diverted_via_sgp_mys_hkg_2024_25", DOWN,
     "earlier detection in Singapore, Malaysia and Hong Kong raises the expected cost of smuggling there"),
    ("hub-crackdown", "diverted_2024_26", DOWN,
     "rerouting through Thailand, Vietnam and the UAE is dearer (soft capacity), so total smuggling falls"),
    ("chip-tariff-232", "us_tariff_revenue_2026_27", UP,
     "the non-exempt makers' chips pay 25 % entering the US"),
    ("chip-tariff-232", "us_compute_2027", (-0.02, 0.02),
     "the investment exemption leaves Nvidia and AMD, most of US supply, untaxed: a small effect"),
    ("chip-tariff-broad", "us_compute_2027", (-0.5, -0.03),
     "a 100 % tariff on every chip moves compute from US buyers to others; with unit-elastic budgets the US loses between 0 and 1 - 1/2"),
    ("chip-tariff-broad", "us_price_index_2026H2_27", UP,
     "US buyers pay the tariff on top of the (lower) supplier price"),
    ("chip-tariff-broad", "us_tariff_revenue_2026_27", UP,
     "every accelerator bought by US buyers pays 100 %"),
    ("strict-enforcement", "diverted_2024_26", DOWN,
     "tripled detection raises the expected cost c(1 + d/r)/(1 - d) of every diverted route"),
    ("strict-enforcement", "seized_per_diverted_2025", UP,
     "a larger share of what is still smuggled is caught"),
    ("strict-enforcement", "china_compute_2024_26", DOWN,
     "smuggling was a real channel; legal substitutes are bound (Huawei) or dearer (remote)"),
    ("strict-enforcement", "huawei_share_2024_26", UP,
     "tighter enforcement raises the domestic share of China's additions"),
    ("hq-rule-lifted", "china_remote_2024_26", UP,
     "Chinese firms' data centres abroad buy US chips like any other buyer there"),
    ("hq-rule-lifted", "china_compute_2024_26", UP,
     "remote compute abroad adds to what Chinese firms use"),
    ("hq-rule-lifted", "diverted_2024_26", DOWN,
     "renting abroad legally is cheaper than smuggling"),
    ("affiliates-rule-back", "affiliates_us_chips_2026", DOWN,
     "listed parties' affiliates lose the H20 and their data centres' US chips from late 2025"),
]

# Orderings between variants (a, b, metric, reason): a's value must exceed b's.
ORDERINGS = [
    ("chip-tariff-broad", "chip-tariff-232", "us_price_index_2026H2_27",
     "a 100 % tariff on every chip raises the US price index more than a 25 % one with exemptions"),
    ("no-controls", "controls-2022-only", "china_compute_2023_26",
     "the 2022 controls alone still bar the A100/H100 (600 GB/s links) and listed buyers"),
]


def run(tradesim, scenario, out):
    cmd = [tradesim, "run", scenario, "-o", out, "--force", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"check_variants: tradesim failed ({done.returncode}): {' '.join(cmd)}")


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    tradesim, source = argv[1], argv[2]
    sys.path.insert(0, os.path.join(source, "scripts"))
    from chips_table import Run  # noqa: E402

    work = argv[3] if len(argv) > 3 else tempfile.mkdtemp(prefix="chips-variants-")
    os.makedirs(work, exist_ok=True)
    chips = os.path.join(source, "scenarios", "chips")
    names = ["baseline"] + sorted({e[0] for e in EXPECTATIONS})
    missing = [n for n in names if not os.path.exists(os.path.join(chips, n + ".yaml"))]
    if missing:
        sys.stderr.write(f"check_variants: missing scenario files: {', '.join(missing)}\n")
        return 1
    # Each variant states its question in one line at its top.
    for n in names[1:]:
        with open(os.path.join(chips, n + ".yaml"), encoding="utf-8") as f:
            first = f.readline().rstrip("\n")
        if not (first.startswith("# Question: ") and first.endswith("?") and len(first) <= 100):
            sys.stderr.write(f"check_variants: {n}.yaml does not start with a one-line "
                             f"'# Question: ...?' (at most 100 columns): {first!r}\n")
            return 1
    runs = {}
    for n in names:
        out = os.path.join(work, "chips-" + n)
        run(tradesim, os.path.join(chips, n + ".yaml"), out)
        runs[n] = Run(out)

    m = metrics()
    rows, ok_all = [], True
    for variant, metric, direction, reason in EXPECTATIONS:
        base, value = m[metric](runs["baseline"]), m[metric](runs[variant])
        if direction == UP:
            ok = value > base
        elif direction == DOWN:
            ok = value < base
        else:
            lo, hi = direction
            change = value / base - 1 if base else float("inf")
            ok = lo <= change <= hi
            direction = f"{lo:+.0%}..{hi:+.0%} ({change:+.1%})"
        ok_all &= ok
        rows.append((variant, metric, f"{base:.4g}", f"{value:.4g}", direction, "ok" if ok else "FAIL", reason))
    for a, b, metric, reason in ORDERINGS:
        va, vb = m[metric](runs[a]), m[metric](runs[b])
        ok = va > vb
        ok_all &= ok
        rows.append((f"{a} vs {b}", metric, f"{vb:.4g}", f"{va:.4g}", UP, "ok" if ok else "FAIL", reason))

    head = ("variant", "metric", "baseline", "variant", "expected", "result", "reason")
    w = [max(len(head[i]), max(len(r[i]) for r in rows)) for i in range(6)]
    print("  ".join(head[i].ljust(w[i]) for i in range(6)) + "  " + head[6])
    for r in rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(6)) + "  " + r[6])
    failed = sum(1 for r in rows if r[5] != "ok")
    print(f"\n{len(rows) - failed} of {len(rows)} expectations hold")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
