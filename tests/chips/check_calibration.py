#!/usr/bin/python3
"""Calibration test: the chip baseline reproduces the stylised facts of docs/validation.md.

    check_calibration.py TRADESIM SOURCE_DIR [WORK_DIR]

Runs scenarios/chips/baseline.yaml with the given tradesim binary, then checks each stylised
fact ("Stylised facts of the chip world", docs/validation.md; figures and their sources in
scenarios/chips/SOURCES.md, "Stylised facts" and "Sources F1-F45") against a stated
band, printing measured value and band for every check. Exit 0 when all hold, 1 otherwise.
Standard library only.
"""
import os
import subprocess
import sys
import tempfile


def run_baseline(tradesim, source, work):
    out = os.path.join(work, "chips-baseline")
    cmd = [tradesim, "run", os.path.join(source, "scenarios", "chips", "baseline.yaml"),
           "-o", out, "--force", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"check_calibration: tradesim failed ({done.returncode}): {' '.join(cmd)}")
    return out


class Checks:
    def __init__(self):
        self.rows = []

    def band(self, fact, what, value, lo, hi, fmt="{:.1f}"):
        ok = lo <= value <= hi
        self.rows.append((fact, what, fmt.format(value), f"[{fmt.format(lo)}, {fmt.format(hi)}]", ok))
        return ok

    def holds(self, fact, what, measured, condition, ok):
        self.rows.append((fact, what, measured, condition, ok))
        return ok

    def report(self):
        w = [max(len(str(r[i])) for r in self.rows) for i in range(4)]
        head = ("fact", "check", "measured", "band / condition")
        print("  ".join(h.ljust(w[i]) for i, h in enumerate(head)) + "  result")
        for r in self.rows:
            print("  ".join(str(r[i]).ljust(w[i]) for i in range(4)) + ("  ok" if r[4] else "  FAIL"))
        failed = [r for r in self.rows if not r[4]]
        print(f"\n{len(self.rows) - len(failed)} of {len(self.rows)} checks hold")
        return not failed


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def months(monthly, first, last):
    return [v for k, v in monthly.items() if first <= k <= last]


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    tradesim, source = argv[1], argv[2]
    sys.path.insert(0, os.path.join(source, "scripts"))
    from chips_table import Run, share, fiscal_year  # noqa: E402  (the table's own metrics)

    work = argv[3] if len(argv) > 3 else tempfile.mkdtemp(prefix="chips-calibration-")
    os.makedirs(work, exist_ok=True)
    r = Run(run_baseline(tradesim, source, work))
    c = Checks()

    # --- Fact 1: China's share of Nvidia revenue falls 26 -> 21 -> 17 -> 13 % (FY22-FY25)
    #     while the dollars rise until FY2025; then it collapses after April 2025 [F10-F13, F33]
    nv = r.nvidia_revenue()
    cn = r.nvidia_china_revenue()
    sh = {fy: 100 * share(cn.get(fy, 0.0), nv.get(fy, 0.0)) for fy in nv}
    c.band("1 China share", "Nvidia China+HK share FY2022 (Jan 2022 only; actual 26 %)", sh[2022], 21, 31)
    c.band("1 China share", "FY2023 (actual 21 %)", sh[2023], 17, 25)
    c.band("1 China share", "FY2024 (actual 17 %)", sh[2024], 13, 21)
    c.band("1 China share", "FY2025 (actual 13 %)", sh[2025], 10, 16)
    c.holds("1 China share", "China dollars rise FY2023 < FY2024 < FY2025 (actual 5.8, 10.3, 17.1 $B incl. gaming)",
            f"{cn[2023] / 1e9:.1f}, {cn[2024] / 1e9:.1f}, {cn[2025] / 1e9:.1f} $B", "increasing",
            cn[2023] < cn[2024] < cn[2025])
    c.band("1 China share", "FY2026 share after the H20 requirement (Q3 FY26: 5 %)", sh[2026], 0, 8)
    c.band("1 revenue", "Nvidia revenue FY2023, $B (data centre 15.0)", nv[2023] / 1e9, 15.0 * 0.75, 15.0 * 1.25)
    c.band("1 revenue", "Nvidia revenue FY2024, $B (data centre 47.5)", nv[2024] / 1e9, 47.5 * 0.75, 47.5 * 1.25)
    c.band("1 revenue", "Nvidia revenue FY2025, $B (data centre 115.2)", nv[2025] / 1e9, 115.2 * 0.75, 115.2 * 1.25)

    # --- Fact 2: Singapore's billing share rises 8 -> 11 -> 18 % with physical shipments there
    #     under 1 % of revenue [F14, F15]
    sg = r.revenue_by("nvidia", ("SGP",))
    sgs = {fy: 100 * share(sg.get(fy, 0.0), nv.get(fy, 0.0)) for fy in nv}
    c.band("2 Singapore", "Singapore billing share FY2023 (actual 8.5 %; targets.yaml band)", sgs[2023], 5.0, 20.0)
    c.band("2 Singapore", "FY2024 (actual 11.2 %)", sgs[2024], 8.2, 14.2)
    c.band("2 Singapore", "FY2025 (actual 18.1 %)", sgs[2025], 14.1, 22.1)
    # Physically landing in or passing through Singapore: deliveries to Singapore's buyers,
    # chips placed in Singapore data centres for remote use, and goods routed via Singapore.
    phys_to = r.flow_sum("value_usd", period=fiscal_year, supplier="nvidia", destination="SGP")
    phys_via = r.flow_sum("value_usd", period=fiscal_year, supplier="nvidia", via="SGP")
    worst = max(100 * share(phys_to.get(fy, 0.0) + phys_via.get(fy, 0.0), nv[fy]) for fy in (2023, 2024, 2025))
    # Nvidia says < 1 % of its revenue ships to Singapore; the model also places Chinese clouds'
    # rented compute in Singaporean data centres (FT, Nov 2025), which that statement does not
    # allow for: a known tension (SOURCES.md, "Known misses"), bounded here at 10 %.
    c.band("2 Singapore", "physical shipments to/through SGP, max share of revenue FY2023-25 (actual <1 %)",
           worst, 0, 10.0, fmt="{:.2f}")

    # --- Fact 3: hub imports surge before a rule takes force; stockpiling before rules [F17, F10]
    mys = r.country_monthly("MYS", "imports_compute")
    before = mean(months(mys, "2025-02", "2025-05"))  # orders Jan-Apr 2025 arrive a month later
    after = mean(months(mys, "2025-06", "2025-09"))
    c.band("3 front-running", "Malaysia imports Feb-May 2025 / Jun-Sep 2025 (before the 15 May diffusion deadline)",
           share(before, after), 1.2, 5.0, fmt="{:.2f}")
    cn_ship = r.flow_sum("compute", period=lambda d: d[:7], supplier="nvidia", destination="CHN")
    c.band("3 front-running", "China's Nvidia shipments Oct 2023 / Sep 2023 (rule announced 17 Oct, in force 23 Oct)",
           share(cn_ship.get("2023-10", 0.0), cn_ship.get("2023-09", 0.0)), 1.1, 4.0, fmt="{:.2f}")
    # (with CoWoS binding and clearing prices, part of the stockpiling shows as a price spike)

    # --- Fact 4: Taiwan's trade pivots from China to the US (China+HK share of Taiwan's IC
    #     exports 58 % -> 52 %, 2022 -> 2024 [F21]): here, of the AI chips leaving Taiwan
    tw_all = r.flow_sum("value_usd", origin="TWN")
    tw_cn = r.flow_sum("value_usd", origin="TWN", destination=("CHN", "HKG"))
    tw_us = r.flow_sum("value_usd", origin="TWN", destination="USA")
    cn22, cn24 = 100 * share(tw_cn[2022], tw_all[2022]), 100 * share(tw_cn[2024], tw_all[2024])
    us22, us24 = 100 * share(tw_us[2022], tw_all[2022]), 100 * share(tw_us[2024], tw_all[2024])
    c.holds("4 Taiwan pivot", "China+HK share of Taiwan's AI-chip exports falls 2022 -> 2024, US share rises",
            f"CN {cn22:.0f} -> {cn24:.0f} %, US {us22:.0f} -> {us24:.0f} %", "CN down, US up",
            cn24 < cn22 and us24 > us22)

    # --- Fact 5: leakage in 2024: CNAS puts smuggling at 10k to several 100k chips (median ~140k)
    #     against China's ~1.5-2M accelerators added [F20]. (Whether it rose in 2025 is held by
    #     the holdout target smuggled-2025-mayjul, not here.)
    div = r.country_monthly("CHN", "diverted_compute")
    used = r.country_monthly("CHN", "compute_used")
    remote = r.country_monthly("CHN", "remote_compute")

    def leakage(first, last):
        d = sum(months(div, first, last))
        added = sum(months(used, first, last)) - sum(months(remote, first, last))
        return 100 * share(d, added)

    l24 = leakage("2024-01", "2024-12")
    c.band("5 leakage", "diverted compute / China's chip additions 2024 (CNAS range ~1-30 %)", l24, 1, 30)

    # --- Fact 6: domestic substitution is input-bound: ~805-812k Ascend in 2025 (SemiAnalysis,
    #     IDC; targets.yaml), limited by dies and HBM, with orders above output
    made = r.produced_by("huawei", ("Ascend910B", "Ascend910C"))
    c.band("6 Huawei", "Ascend chips made in 2025, thousands (IDC 812k, SemiAnalysis 805k)", made[2025] / 1e3, 600, 950, fmt="{:.0f}")
    orders = 0.0
    for m in r.markets:
        if m["supplier"] == "huawei" and m["date"].startswith("2025"):
            orders += float(m["orders"])
    c.band("6 Huawei", "Huawei orders / output in 2025 (input-bound: > 1)", share(orders, made[2025]), 1.0, 100, fmt="{:.2f}")

    # The analyst's table names the fiscal years the run covers only in part (Jan 2022 - Dec
    # 2027: FY2022 is January 2022, FY2028 eleven months).
    import io
    from chips_table import print_table  # noqa: E402
    table = io.StringIO()
    print_table([r], out=table)
    c.holds("table", "chips-table names the partial fiscal years", "Nvidia revenue header",
            "FY2022 has 1 month; FY2028 has 11 months",
            "FY2022 has 1 month; FY2028 has 11 months" in table.getvalue())

    print(f"chips calibration: {r.folder}\n")
    return 0 if c.report() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
