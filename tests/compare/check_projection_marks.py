#!/usr/bin/python3
"""Observed versus projected in the scripts: scripts/chips-table marks projected years "(p)" and
says where each record ends; scripts/plot shades and labels the projection. Runs the policy
example observed through 2024-12 (time.observed_until) and the base world without the key.

    check_projection_marks.py TRADESIM REPO_ROOT WORK_DIR
"""
import io
import os
import subprocess
import sys


def main(argv):
    tradesim, root, work = argv[1:4]
    os.makedirs(work, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = os.path.join(work, "mpl")
    runs = {}
    for name in ("base", "observed-until"):
        out = os.path.join(work, name)
        subprocess.run([tradesim, "run", os.path.join(root, "scenarios/examples/policies", name + ".yaml"),
                        "-o", out, "--force", "--quiet"], check=True)
        runs[name] = out
    sys.path.insert(0, os.path.join(root, "scripts"))
    import chips_table  # noqa: E402
    import plot  # noqa: E402

    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    # The chip table: 2025 and FY2026 hold projected months (from 2025-01), 2024 does not.
    base, observed = chips_table.Run(runs["base"]), chips_table.Run(runs["observed-until"])
    check(observed.observed_until == "2024-12" and observed.projection_from == "2025-01-01",
          f"manifest read as {observed.observed_until!r}, {observed.projection_from!r}")
    check(base.observed_until is None and base.projected_periods(chips_table.calendar_year) == set(),
          "a run without observed_until has no projected years")
    text = io.StringIO()
    chips_table.print_table([base, observed], text)
    table = text.getvalue()
    check("    2024    2025 (p)\n" in table, "calendar years: 2024 observed, 2025 marked (p)")
    # Fiscal years (Feb N-1 .. Jan N): FY2025 holds January 2025, so it is partly projection.
    check(observed.projected_periods(chips_table.fiscal_year) == {2025, 2026},
          "fiscal years FY2025 (partly) and FY2026 are projection")
    check("(time.observed_until: 2024-12 in observed-until)" in table.replace("\n", " "),
          "the note names the record's end and the scenario it belongs to")
    check(all(len(line) <= 100 for line in table.splitlines()[-3:]), "the note fits 100 columns")
    text = io.StringIO()
    chips_table.print_table([base], text)
    check("(p)" not in text.getvalue(), "no mark and no note without observed_until")

    # The charts: the shade starts at the first projected tick and is labelled.
    prun, pbase = plot.Run(runs["observed-until"]), plot.Run(runs["base"])
    check(str(prun.projection_from.date()) == "2025-01-01", "plot reads projection_from")
    check(pbase.projection_from is None, "plot: no projection without observed_until")
    check(plot.earliest_projection([pbase, prun]) == prun.projection_from, "the earliest projection of the runs")
    fig, ax = plot.plt.subplots()
    dates = prun.countries["date"].drop_duplicates()
    ax.plot(dates, range(len(dates)))
    check(plot.shade_projection(ax, prun.projection_from, dates.min(), dates.max()), "shaded")
    check(any(t.get_text().strip() == "projection" for t in ax.texts), "the shade is labelled 'projection'")
    check(len(ax.patches) == 1, "one shaded span")
    fig2, ax2 = plot.plt.subplots()
    check(not plot.shade_projection(ax2, None, dates.min(), dates.max()), "nothing to shade without a projection")
    check(not plot.shade_projection(ax2, prun.projection_from, dates.min(), plot.pd.Timestamp("2024-12-01")),
          "nothing to shade when the period ends before the projection")
    check(plot.projection_text([pbase, prun]) == "observed until 2024-12 (policies-observed-until), projection after",
          "the footer says where the record ends")
    check(plot.projection_text([prun, prun]) == "observed until 2024-12 (every scenario), projection after",
          "a record end shared by every scenario is named once")
    out = os.path.join(work, "charts")
    subprocess.run([os.path.join(root, "scripts/plot"), "--tradesim", tradesim, runs["base"], runs["observed-until"],
                    "-o", out],
                   check=True, stdout=subprocess.DEVNULL)
    check(os.path.getsize(os.path.join(out, "flows_by_channel.png")) > 10000, "charts of an observed run are written")

    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("ok: chips-table marks projected years; plot shades and labels the projection")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
