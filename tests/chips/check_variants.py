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
    from chips_table import Run, share, fiscal_year  # noqa: F401

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

    def nvidia_china_share(fys):
        def f(r):
            nv = r.nvidia_revenue()
            cn = r.nvidia_china_revenue()
            return share(sum(cn.get(y, 0.0) for y in fys), sum(nv.get(y, 0.0) for y in fys))
        return f

    def nvidia_china_revenue(years):
        return lambda r: sum(r.revenue_by("nvidia", ("CHN", "HKG"), period=lambda d: int(d[:4])).get(y, 0.0)
                             for y in years)

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

    return dict(
        china_compute_2023_26=china_compute(range(2023, 2027)),
        china_compute_2024_26=china_compute(range(2024, 2027)),
        china_compute_2025=china_compute([2025]),
        china_compute_2026=china_compute([2026]),
        huawei_share_2024_25=huawei_share([2024, 2025]),
        huawei_share_2025=huawei_share([2025]),
        huawei_share_2026=huawei_share([2026]),
        via_share_2024_26=via_share(range(2024, 2027)),
        nvidia_china_share_fy2024_26=nvidia_china_share(range(2024, 2027)),
        nvidia_china_share_fy2025_26=nvidia_china_share([2025, 2026]),
        nvidia_china_share_fy2027=nvidia_china_share([2027]),
        nvidia_china_revenue_2025=nvidia_china_revenue([2025]),
        nvidia_billed_sgp_fy2026_27=nvidia_billed("SGP", [2026, 2027]),
        mys_imports_2025_26=country_sum("MYS", "imports_compute", [2025, 2026]),
        china_remote_2025_26=country_sum("CHN", "remote_compute", [2025, 2026]),
        diverted_2025=diverted([2025]),
        diverted_2023_26=diverted(range(2023, 2027)),
        diverted_via_sgp_mys_2024=lambda r: diverted([2024], "SGP")(r) + diverted([2024], "MYS")(r),
        diverted_2024=diverted([2024]),
        seized_per_diverted_2025=seized_per_diverted([2025]),
        us_price_index_2026=price_index("USA", [2026]),
        us_tariff_revenue_2026=country_sum("USA", "tariff_revenue_usd", [2026]),
        us_compute_2026=country_sum("USA", "compute_used", [2026]),
    )


# (variant file, metric, expected direction against the baseline, reason)
EXPECTATIONS = [
    ("no-controls", "china_compute_2023_26", UP,
     "without controls China buys A100/H100/B200 directly: nothing is blocked, taxed or risky"),
    ("no-controls", "huawei_share_2024_25", DOWN,
     "Huawei's output is capacity-bound while the Nvidia parts it substituted for become available"),
    ("no-controls", "nvidia_china_share_fy2024_26", UP,
     "China's budget is no longer confined to the H20, smuggling (billed to hubs) or remote use"),
    ("controls-2022-only", "china_compute_2024_26", UP,
     "the A800/H800 (400 GB/s links) stay legal after 2023 instead of the far weaker H20"),
    ("controls-2022-only", "via_share_2024_26", DOWN,
     "a legal direct route to compliant high-TPP parts leaves less reason to smuggle or rent abroad"),
    ("controls-2022-only", "nvidia_china_share_fy2025_26", UP,
     "China's purchases stay with Nvidia's compliant parts through the H20 ban of 2025"),
    ("diffusion-rule-kept", "mys_imports_2025_26", DOWN,
     "Malaysia's tier-2 cap (49,901 H100e for 2025-27) binds within weeks of 15 May 2025"),
    ("diffusion-rule-kept", "china_remote_2025_26", DOWN,
     "chips for Chinese remote use go to Malaysian data centres and draw on the same cap"),
    ("diffusion-rule-kept", "nvidia_billed_sgp_fy2026_27", DOWN,
     "Malaysian data centres are invoiced through Singapore; their purchases are capped"),
    ("h20-banned", "nvidia_china_revenue_2025", DOWN,
     "no H20 licences from August 2025: the residual H20 sales disappear"),
    ("h20-banned", "huawei_share_2025", UP,
     "Huawei's capacity-bound output is unchanged while Nvidia's legal share shrinks"),
    ("h200-open", "china_compute_2026", UP,
     "no licence queue, 25 % payment or volume cap on the H200 from December 2025"),
    ("h200-open", "nvidia_china_share_fy2027", UP,
     "uncapped H200 sales are billed to China"),
    ("h200-open", "huawei_share_2026", DOWN,
     "more H200 reaches China while Huawei's output is capacity-bound"),
    ("hub-crackdown-2024", "diverted_via_sgp_mys_2024", DOWN,
     "higher detection in Singapore and Malaysia from March/July 2024 raises the expected cost of smuggling there"),
    ("hub-crackdown-2024", "diverted_2024", DOWN,
     "rerouting through Thailand, Vietnam and the UAE is dearer and capacity-limited, so total smuggling falls"),
    ("chip-tariff-232", "us_price_index_2026", UP,
     "a 25 % tariff on Taiwan-made chips raises US buyers' landed cost of compute"),
    ("chip-tariff-232", "us_tariff_revenue_2026", UP,
     "chips are imported into the US from Taiwan and now pay the tariff"),
    ("chip-tariff-232", "us_compute_2026", DOWN,
     "dearer compute lowers US demand (price elasticity 0.3) and its share of rationed supply"),
    ("chip-tariff-232-100", "us_price_index_2026", UP,
     "a 100 % tariff doubles US buyers' landed cost of compute"),
    ("strict-enforcement", "diverted_2023_26", DOWN,
     "tripled detection raises the expected cost c(1 + d/r)/(1 - d) of every diverted route"),
    ("strict-enforcement", "seized_per_diverted_2025", UP,
     "a larger share of what is still smuggled is caught"),
]

# Orderings between variants (a, b, metric, reason): a's value must exceed b's.
ORDERINGS = [
    ("chip-tariff-232-100", "chip-tariff-232", "us_price_index_2026",
     "a 100 % tariff raises the US price index more than a 25 % one"),
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
    runs = {}
    for n in names:
        out = os.path.join(work, "chips-" + n)
        run(tradesim, os.path.join(chips, n + ".yaml"), out)
        runs[n] = Run(out)

    m = metrics()
    rows, ok_all = [], True
    for variant, metric, direction, reason in EXPECTATIONS:
        base, value = m[metric](runs["baseline"]), m[metric](runs[variant])
        ok = value > base if direction == UP else value < base
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
