#!/usr/bin/python3
"""PNG charts from tradesim run folders (single runs or ensembles with a `run` column).

    scripts/plot [-o OUTDIR] [--destination CODE] [--from DATE] [--to DATE] [--top N]
                 [--countries A,B,...] [--tradesim PATH] DIR [DIR ...]

Writes into OUTDIR (default out/charts):
  compute_by_destination.png      compute acquired per destination country over time, one panel
                                  per destination (the --top N largest, or --countries), one line
                                  per scenario, the baseline (first folder) black and on top;
                                  with more than 3 variants, each variant's difference from the
                                  baseline instead (small multiples)
  flows_by_channel.png            compute shipped per step by channel (direct, licensed,
                                  transshipped, diverted, remote), stacked, one panel per scenario
                                  (--destination CODE: only flows to that country, here and in
                                  the route diagrams)
  revenue_by_billing_country.png  supplier revenue over the period by billing country (the top N
                                  countries, the rest "other"), one bar per scenario, one panel
                                  per supplier
  routes_<scenario>.png           route diagram per scenario from `tradesim compare --by route`:
                                  origin -> via -> destination, with the compute seized and the
                                  compute still in transit at the end drawn as sinks of their own

A country has the same colour in every chart of a run set (the top N by the baseline's compute,
the rest grey), a scenario too (the baseline black). Policy dates from events.csv are numbered
markers (the key in the footer); the projection after observed_until is shaded. Units per the
scenario's step ("per month"). Every PNG is at most 2000 x 2400 px at 100 dpi, text at least 8 pt.
Runs `tradesim compare` would refuse are refused (exit 2, nothing written). Needs matplotlib and
pandas (Debian: python3-matplotlib python3-pandas, installed by scripts/setup).
"""
import argparse
import os
import re
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tradesim_charts as tc  # noqa: E402
from tradesim_charts import CHANNEL_COLORS, CHANNELS, ChartError, Run  # noqa: E402,F401 (Run: for the tests)
from tradesim_charts import (compute_column, country_ranking, human, in_period, marker_key,  # noqa: E402,F401
                             run_set_colors)

DPI = 100
MAX_W, MAX_H = 20.0, 24.0  # inches at DPI: 2000 x 2400 px
MAX_SCENARIO_PANELS = 24
MAX_SUPPLIER_PANELS = 12
FOOT_PT = 8
DIFF_ABOVE = 3  # more variants than this: differences from the baseline
plt.rcParams.update({"font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "xtick.labelsize": 8,
                     "ytick.labelsize": 8, "legend.fontsize": 8, "legend.title_fontsize": 8})


def date_range(runs, start, end):
    """The first and last tick dates of the period over all runs."""
    dates = pd.concat([in_period(r.countries, start, end)["date"] for r in runs])
    return dates.min(), dates.max()


def earliest_projection(runs):
    starts = [r.projection_from for r in runs if r.projection_from is not None]
    return min(starts) if starts else None


def period_text(runs, start, end):
    dates = pd.concat([r.countries["date"] for r in runs])
    first = start if start is not None and start > dates.min() else dates.min()
    last = end if end is not None and end < dates.max() else dates.max()
    return f"{first:%Y-%m} to {last:%Y-%m}"


def scenario_text(runs):
    parts = [r.label + (f" ({r.runs} runs)" if r.runs > 1 else "") for r in runs]
    text = "scenarios: " + parts[0] + (" (baseline)" if len(runs) > 1 else "")
    return text + "".join(", " + p for p in parts[1:])


def human_axis(ax):
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: human(v)))


def projection_text(runs):
    """Where each record ends, for the footer: "observed until 2026-11 (base), ...", each end
    named once ("observed until 2025-10 (every scenario)" when all runs share it)."""
    by_end = {}
    for r in runs:
        if r.observed_until:
            by_end.setdefault(r.observed_until, []).append(r.label)
    if not by_end:
        return ""
    if len(by_end) == 1 and len(next(iter(by_end.values()))) == len(runs) and len(runs) > 1:
        parts = [f"{next(iter(by_end))} (every scenario)"]
    else:
        parts = [f"{end} ({', '.join(labels)})" for end, labels in sorted(by_end.items())]
    return "observed until " + ", ".join(parts) + ", projection after"


def shade_projection(ax, since, first, last):
    """Shades the axis from the first projected tick `since` to its right edge and labels it.
    Nothing when there is no projection or it starts after the period's last tick."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if since is None or since > last:
        return False
    x0 = matplotlib.dates.date2num(max(since, first))
    left, right = ax.get_xlim()
    # Over the data (stacked areas would hide a shade behind them), light enough to read through.
    ax.axvspan(x0, right, facecolor="#808080", alpha=0.2, linewidth=0, zorder=2.5)
    ax.axvline(x0, color="#444444", linewidth=0.8, linestyle="--", zorder=2.6)
    # At the bottom: the policy markers' numbers take the top of the panel.
    ax.text(x0, 0.02, " projection", transform=ax.get_xaxis_transform(), ha="left", va="bottom", fontsize=8,
            color="#222222", zorder=12)
    ax.set_xlim(left, right)
    return True


# ------------------------------------------------------------------------------------------
# Policy markers: numbered vertical lines, the numbers staggered where dates crowd, the key in
# the footer (one numbering for every chart of the run set).
def marker_key_text(key, runs):
    """The footer's key: "[3] 2022-10 us-oct-2022, us-tools-2022; ...", a policy the baseline
    does not have followed by the scenarios that have it."""
    if not key:
        return ""
    parts = []
    for n, d, policies in key:
        names = []
        for lb, who in policies:
            names.append(tc.attributed(lb, who, runs))
        parts.append(f"[{n}] {d:%Y-%m} {', '.join(names)}")
    lead = "policy dates (in brackets: the variants that have a policy the baseline has not): " \
        if len(runs) > 1 else "policy dates: "
    return lead + "; ".join(parts)


def spread(xs, need, lo, hi):
    """Positions as near `xs` (sorted) as they can be, at least `need` apart, within lo..hi."""
    pos = []
    for x in xs:
        pos.append(max(x, lo + need / 2, pos[-1] + need if pos else -1e18))
    for i in range(len(pos) - 1, -1, -1):
        pos[i] = min(pos[i], hi - need / 2, pos[i + 1] - need if i + 1 < len(pos) else 1e18)
    return pos


def draw_markers(ax, key, label=None, numbers=True):
    """The key's dates (those of the run `label` only, when given) as dotted lines, with their
    numbers in two rows at the top of the panel, spread sideways where dates crowd (a thin
    leader from each number to its line). Returns how many dates were drawn."""
    dates = [(d, n) for n, d, policies in key if label is None or any(label in who for _, who in policies)]
    left, right = ax.get_xlim()
    for d, _ in dates:
        ax.axvline(matplotlib.dates.date2num(d), color="#555555", linewidth=0.7, linestyle=":", zorder=2.4)
    if not numbers or not dates:
        return len(dates)
    width_px = max(1.0, ax.get_window_extent().width)
    per_px = (right - left) / width_px
    need = (5.2 * max(len(str(n)) for _, n in dates) + 9) * per_px  # a number in its box, 8 pt
    xs = [matplotlib.dates.date2num(d) for d, _ in dates]
    rows = 1 if len(dates) < 2 or min(b - a for a, b in zip(xs, xs[1:])) >= need else 2
    transform = ax.get_xaxis_transform()
    for row in range(rows):
        idx = list(range(row, len(dates), rows))
        pos = spread([xs[i] for i in idx], need * (1 if rows == 1 else 1.0), left, right)
        for i, p in zip(idx, pos):
            y = 0.975 - 0.095 * row
            ax.annotate(str(dates[i][1]), xy=(xs[i], y - 0.05), xycoords=transform, xytext=(p, y),
                        textcoords=transform, ha="center", va="top", fontsize=8, color="#333333", zorder=12,
                        bbox=dict(facecolor="white", edgecolor="#888888", linewidth=0.4, pad=0.8, alpha=0.9),
                        arrowprops=dict(arrowstyle="-", color="#888888", linewidth=0.5) if abs(p - xs[i]) > need / 4
                        else None)
    ax.set_xlim(left, right)
    return len(dates)


def headroom(ax, share=0.24):
    """Room at the top of the panel for the policy numbers."""
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + share * (hi - lo))


# ------------------------------------------------------------------------------------------
# Figures of bounded size: a header, panels and a wrapped footer.
def wrap_footer(text, width_in):
    chars = max(40, int(width_in * 72 / (FOOT_PT * 0.6)) - 2)
    return textwrap.wrap(text, chars, break_on_hyphens=False)


class Canvas:
    """A figure of nrows x ncols panels (panel_w x panel_h inches, smaller when the bounds need
    it), `right` inches on the right for a legend, the title on top and the wrapped footer below."""

    def __init__(self, nrows, ncols, panel_w, panel_h, footer_text, right=0.0, title_h=0.55, **kw):
        width = min(MAX_W, max(8.0, ncols * panel_w + right))
        self.footer = wrap_footer(footer_text, width)
        foot_h = 0.15 + len(self.footer) * FOOT_PT * 1.3 / 72
        height = title_h + nrows * panel_h + foot_h + 0.1
        if height > MAX_H:
            height = MAX_H
        self.fig, self.axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False, **kw)
        self.width, self.height, self.foot_h, self.title_h, self.right = width, height, foot_h, title_h, right

    def below_title(self, title):
        """The figure y just below the (wrapped) title: where a legend row goes."""
        return 1 - (0.1 + len(self.title_lines(title)) * 11 * 1.25 / 72) / self.height

    def title_lines(self, title):
        return textwrap.wrap(title, max(30, int(self.width * 72 / (11 * 0.6)) - 2), break_on_hyphens=False)

    def finish(self, title, path, tight=True, keep=False):
        fig = self.fig
        if tight:  # before the title: tight_layout would make room for it twice
            title_h = self.title_h + (len(self.title_lines(title)) - 1) * 11 * 1.25 / 72
            fig.tight_layout(rect=(0, self.foot_h / self.height, 1 - self.right / self.width,
                                   1 - title_h / self.height), h_pad=0.6, w_pad=0.8)
        fig.text(0.01, 1 - 0.08 / self.height, "\n".join(self.title_lines(title)), fontsize=11, ha="left",
                 va="top")
        fig.text(0.01, 0.06 / self.height, "\n".join(self.footer), fontsize=FOOT_PT, color="#444444",
                 ha="left", va="bottom", linespacing=1.3)
        fig.savefig(path, dpi=DPI)
        if keep:  # the tests look at the figure
            return path, fig
        plt.close(fig)
        return path


def grid(n, wide=4):
    """(rows, columns) for n panels, at most `wide` columns, rows as full as they can be."""
    rows = max(1, -(-n // wide))
    return rows, max(1, -(-n // rows))


def blank_rest(canvas, n):
    rows, cols = len(canvas.axes), len(canvas.axes[0])
    for j in range(n, rows * cols):
        canvas.axes[j // cols][j % cols].axis("off")
    return n < rows * cols  # a spare panel


def footer_text(runs, start, end, *extra):
    text = f"{scenario_text(runs)}; period {period_text(runs, start, end)}"
    if projection_text(runs):
        text += "; " + projection_text(runs)
    if any(r.runs > 1 for r in runs):
        text += "; ensembles: mean over runs"
    return "; ".join([text] + [e for e in extra if e])


# ------------------------------------------------------------------------------------------
def destination_series(runs, col, start, end):
    return {r.label: in_period(r.countries, start, end).pivot_table(index=["date", "country"], columns="run",
                                                                    values=col, aggfunc="sum")
            for r in runs}


def series_of(per_run, country, dates):
    if country not in per_run.index.get_level_values("country"):
        return pd.DataFrame(0.0, index=dates, columns=per_run.columns)
    return per_run.xs(country, level="country").reindex(dates, fill_value=0.0)


def left_out(all_runs, runs, what):
    rest = [r.label for r in all_runs[len(runs):]]
    return f"not drawn: {len(rest)} more {what} ({', '.join(rest)})" if rest else ""


def chart_compute_by_destination(all_runs, out, start, end, ctx):
    runs = all_runs[:MAX_SCENARIO_PANELS + 1]  # the baseline and 24 variants at most
    col = compute_column(runs)
    series = destination_series(runs, col, start, end)
    base_tot = in_period(runs[0].countries, start, end).groupby("country")[col].sum() / runs[0].runs
    any_tot = pd.concat([in_period(r.countries, start, end).groupby("country")[col].sum() for r in runs])
    positive = set(any_tot[any_tot > 0].index)
    drawn = list(ctx["own"]) if ctx.get("explicit") else [c for c in ctx["own"] if c in positive]
    drawn = drawn or list(base_tot.index[:1])
    left = [c for c in positive if c not in drawn]
    diff = len(runs) - 1 > DIFF_ABOVE
    first, last = date_range(runs, start, end)
    dates = sorted(pd.concat([in_period(r.countries, start, end)["date"] for r in runs]).unique())
    unit = f"compute units {tc.per_step(runs)}"
    notes = [left_out(all_runs, runs, "scenarios")]
    if left:
        share = base_tot.reindex(left).fillna(0.0).sum() / max(base_tot.sum(), 1e-300)
        notes.append(f"not drawn: {len(left)} other destination{'s' * (len(left) > 1)} "
                     f"({100 * share:.1f}% of the baseline's compute; --top N or --countries to choose)")
    if diff:
        notes.append("lines: each variant minus the baseline (black: the baseline, 0); panel titles: "
                     "the baseline's total over the period")
    elif any(r.runs > 1 for r in runs):
        notes.append("band: p05-p95 over runs")
    notes.append(marker_key_text(ctx["markers"], runs))
    nrows, ncols = grid(len(drawn))
    many = len(runs) > 4
    row_legend = 1 < len(runs) <= 4 and nrows * ncols == len(drawn)
    cv = Canvas(nrows, ncols, 4.4, max(2.9, (0.18 * len(runs) + 0.8) / nrows) if many else 2.9,
                footer_text(all_runs, start, end, *notes),
                right=min(6.0, 0.6 + 0.066 * max(len(r.label) + 11 for r in runs)) if many else 0.0,
                title_h=0.75 if row_legend else 0.5, sharex=True)
    colors = tc.scenario_colors([r.label for r in runs])
    for i, c in enumerate(drawn):
        ax = cv.axes[i // ncols][i % ncols]
        base = series_of(series[runs[0].label], c, dates)
        for k, r in enumerate(runs):
            d = series_of(series[r.label], c, dates)
            is_base = k == 0
            style = dict(color=colors[r.label], linewidth=2.4 if is_base else 1.4, zorder=10 if is_base else 3,
                         linestyle="-" if k <= 10 else "--", label=r.label + (" (baseline)" if is_base else ""))
            if diff:
                y = np.zeros(len(dates)) if is_base else d.mean(axis=1).values - base.mean(axis=1).values
                ax.plot(dates, y, **style)
                continue
            ax.plot(dates, d.mean(axis=1).values, **style)
            if d.shape[1] > 1:
                ax.fill_between(dates, d.quantile(0.05, axis=1), d.quantile(0.95, axis=1), color=colors[r.label],
                                alpha=0.18, linewidth=0, zorder=2)
        ax.set_title(f"{c}" + (f" (baseline {human(base_tot.get(c, 0.0))} over the period)" if diff else ""),
                     fontsize=10, color="#000000")
        ax.add_patch(Rectangle((0, 1.02), 0.03, 0.07, transform=ax.transAxes, clip_on=False,
                               color=ctx["colors"].get(c, tc.OTHER_COLOR)))
        if i % ncols == 0:
            ax.set_ylabel(("Δ " if diff else "") + unit)
        ax.grid(alpha=0.3)
        human_axis(ax)
        ax.tick_params(axis="x", labelrotation=30)
        ax.set_xlim(matplotlib.dates.date2num(first), matplotlib.dates.date2num(last))
        # One axis holds every scenario: the shade starts where the first of them projects.
        shade_projection(ax, earliest_projection(runs), first, last)
        if draw_markers(ax, ctx["markers"], numbers=i < ncols):  # the numbers once, in the first row
            headroom(ax)
    what = "chips delivered + compute rented abroad" if col == "compute_used" else "chips delivered"
    view = "difference from the baseline" if diff else "level"
    title = f"Compute acquired per destination ({what}), {view}, compute units (H100-equivalents) {tc.per_step(runs)}"
    handles, labels = cv.axes[0][0].get_legend_handles_labels()
    spare = blank_rest(cv, len(drawn))
    if len(runs) == 1:
        pass  # the footer names the scenario
    elif spare and not many:
        cv.axes[-1][-1].legend(handles, labels, loc="center", frameon=False, title="scenario")
    elif many:
        cv.fig.legend(handles, labels, loc="upper right", frameon=False, title="scenario",
                      bbox_to_anchor=(1.0, 1 - cv.title_h / cv.height))
    else:  # a row under the title
        cv.fig.legend(handles, labels, loc="upper left", frameon=False, ncol=len(runs),
                      bbox_to_anchor=(0.0, cv.below_title(title)))
    return cv.finish(title, os.path.join(out, "compute_by_destination.png"))


def channel_series(r, start, end, destination):
    df = in_period(r.flows, start, end)
    dates = sorted(in_period(r.countries, start, end)["date"].unique())
    if destination:
        df = df[df["destination"] == destination]
    table = df.pivot_table(index="date", columns="channel", values="compute", aggfunc="sum", fill_value=0.0)
    table = table.reindex(dates, fill_value=0.0) / r.runs  # runs without a channel's flow count as 0
    return dates, [table[ch].values if ch in table.columns else np.zeros(len(dates)) for ch in CHANNELS]


def chart_flows_by_channel(runs, out, start, end, destination, ctx):
    shown = runs[:MAX_SCENARIO_PANELS]
    notes = [left_out(runs, shown, "scenarios"), marker_key_text(ctx["markers"], runs)]
    nrows, ncols = grid(len(shown), wide=4 if len(shown) > 4 else 2)
    cv = Canvas(nrows, ncols, 4.6 if ncols > 2 else 6.0, 2.8 if nrows > 2 else 3.3,
                footer_text(runs, start, end, *notes), title_h=0.7 if ncols > 1 else 1.05, sharey=True)
    for i, r in enumerate(shown):
        ax = cv.axes[i // ncols][i % ncols]
        ax.set_title(r.label + (" (baseline)" if i == 0 and len(runs) > 1 else ""), fontsize=10)
        if r.flows is None:
            ax.text(0.5, 0.5, "no flows.csv", ha="center", va="center", transform=ax.transAxes)
            continue
        dates, ys = channel_series(r, start, end, destination)
        ax.stackplot(dates, ys, labels=CHANNELS, colors=[CHANNEL_COLORS[c] for c in CHANNELS], alpha=0.9)
        if i % ncols == 0:
            ax.set_ylabel(f"compute units {tc.per_step(runs)}")
        ax.grid(alpha=0.3)
        human_axis(ax)
        ax.tick_params(axis="x", labelrotation=30)
        if dates:
            ax.set_xlim(matplotlib.dates.date2num(dates[0]), matplotlib.dates.date2num(dates[-1]))
            shade_projection(ax, r.projection_from, dates[0], dates[-1])
        draw_markers(ax, ctx["markers"], r.label)
    if ctx["markers"]:
        headroom(cv.axes[0][0])  # the panels share y
    blank_rest(cv, len(shown))
    handles = [Rectangle((0, 0), 1, 1, color=CHANNEL_COLORS[c], alpha=0.9) for c in CHANNELS]
    where = f"to {destination}" if destination else "to all destinations"
    title = f"Compute shipped {where} by channel, compute units (H100-equivalents) {tc.per_step(runs)}"
    cv.fig.legend(handles, [f"channel: {c}" if c == CHANNELS[0] else c for c in CHANNELS], loc="upper left",
                  frameon=False, ncol=len(CHANNELS) if cv.width > 7 else 3, bbox_to_anchor=(0.0, cv.below_title(title)))
    return cv.finish(title, os.path.join(out, "flows_by_channel.png"))


def revenue_totals(runs, start, end, colors):
    """label -> Series (supplier, billing country or "other") of revenue over the period."""
    totals = {}
    for r in runs:
        df = in_period(r.revenue, start, end)
        if df is None or df.empty:
            continue
        df = df.assign(billing=[c if colors.get(c, tc.OTHER_COLOR) != tc.OTHER_COLOR else tc.OTHER
                                for c in df["billing_country"]])
        totals[r.label] = df.groupby(["supplier", "billing"])["revenue_usd"].sum() / r.runs
    return totals


def chart_revenue(all_runs, out, start, end, ctx):
    runs = all_runs[:MAX_SCENARIO_PANELS + 1]  # bars of the baseline and 24 variants at most
    totals = revenue_totals(runs, start, end, ctx["colors"])
    by_supplier = pd.concat(list(totals.values())).groupby(level=0).sum().sort_values(ascending=False) \
        if totals else pd.Series(dtype=float)
    suppliers = list(by_supplier.index[:MAX_SUPPLIER_PANELS])
    billed = set()
    for t in totals.values():
        billed |= set(t.index.get_level_values(1))
    countries = [c for c in ctx["own"] if c in billed] + ([tc.OTHER] if tc.OTHER in billed else [])
    notes = [left_out(all_runs, runs, "scenarios")]
    if len(by_supplier) > len(suppliers):
        notes.append(f"not drawn: {len(by_supplier) - len(suppliers)} smaller suppliers "
                     f"({', '.join(by_supplier.index[len(suppliers):])})")
    if tc.OTHER in billed:
        notes.append("other: the billing countries past the top ones (--top N, --countries)")
    n = max(1, len(suppliers))
    labels = [r.label for r in runs]
    panel_w = min(6.0, max(3.6, (0.5 if len(labels) <= 8 else 0.32) * len(labels) + 1.6))
    ncols = max(1, min(n, 3 if n <= 6 else 4, int((MAX_W - 1.6) // panel_w)))
    nrows = (n + ncols - 1) // ncols
    label_h = min(2.0, 0.065 * max(len(lb) for lb in labels) + 0.3) if len(labels) > 1 else 0.1
    cv = Canvas(nrows, ncols, panel_w, 2.4 + label_h, footer_text(all_runs, start, end, *notes), right=1.6)
    for i, s in enumerate(suppliers):
        ax = cv.axes[i // ncols][i % ncols]
        bottom = np.zeros(len(labels))
        for c in countries:
            vals = np.array([float(totals[lb].get((s, c), 0.0)) if lb in totals else 0.0 for lb in labels])
            if vals.any():
                ax.bar(range(len(labels)), vals, bottom=bottom, color=ctx["colors"].get(c, tc.OTHER_COLOR),
                       label=c, width=0.7)
                bottom += vals
        if len(labels) <= 8:
            for k, v in enumerate(bottom):
                ax.text(k, v, human(v), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(labels)) if len(labels) > 1 else [])  # one run: the footer names it
        if len(labels) > 1:
            ax.set_xticklabels(labels, rotation=35 if len(labels) > 3 else 20, ha="right", fontsize=8)
            ax.get_xticklabels()[0].set_fontweight("bold")
        ax.set_title(s, fontsize=10)
        if i % ncols == 0:
            ax.set_ylabel("revenue, USD")
        human_axis(ax)
        ax.grid(axis="y", alpha=0.3)
        ax.margins(y=0.12)
    blank_rest(cv, n)
    handles = [Rectangle((0, 0), 1, 1, color=ctx["colors"].get(c, tc.OTHER_COLOR)) for c in countries]
    cv.fig.legend(handles, countries, title="billing country", loc="upper right", frameon=False,
                  bbox_to_anchor=(1.0, 1 - cv.title_h / cv.height))
    title = "Supplier revenue by billing country over the period, USD (net of export fees)"
    return cv.finish(title, os.path.join(out, "revenue_by_billing_country.png"))


def parse_date(text, end):
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text or "")
    if not m:
        raise ChartError(f"'{text}' is not a date (expected YYYY-MM or YYYY-MM-DD)")
    ts = pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    if end and m.group(3) is None:
        ts = ts + pd.offsets.MonthEnd(0)
    return ts


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/plot", description=__doc__.split("\n\n")[0])
    p.add_argument("folders", nargs="+", metavar="DIR", help="run folders written by 'tradesim run'")
    p.add_argument("-o", "--output", default="out/charts", help="output folder (default out/charts)")
    p.add_argument("--destination", help="flows_by_channel and routes: only flows to this country (default: all)")
    p.add_argument("--from", dest="start", help="first date of the period (YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--to", dest="end", help="last date of the period (YYYY-MM: through its end)")
    p.add_argument("--top", type=int, default=8, metavar="N",
                   help="countries drawn on their own (panels, colours, route destinations; default 8)")
    p.add_argument("--countries", metavar="A,B,...", help="draw these countries (instead of the top N)")
    p.add_argument("--tradesim", metavar="PATH", help="the tradesim binary (default: $TRADESIM, a build, PATH)")
    a = p.parse_args(argv)
    if a.top < 1:
        p.error("--top must be at least 1")
    return a


def prepare(a):
    """Everything that can refuse, before anything is written: the runs, compare's verdict and
    its route numbers. Returns (runs, start, end, ctx, route tables)."""
    import plot_routes
    start = parse_date(a.start, False) if a.start else None
    end = parse_date(a.end, True) if a.end else None
    runs = tc.load_runs(a.folders)
    binary = tc.find_tradesim(a.tradesim)
    tc.comparable(binary, a.folders)
    countries = tc.parse_countries(runs, a.countries)
    colors, own = run_set_colors(runs, start, end, a.top, countries)
    if a.destination and a.destination not in set(runs[0].countries["country"]):
        raise ChartError(f"unknown destination {a.destination} "
                         f"(the runs' countries: {', '.join(sorted(set(runs[0].countries['country'])))})")
    ctx = {"colors": colors, "own": own, "top": a.top, "explicit": bool(countries),
           "markers": marker_key(runs, start, end), "binary": binary}
    routes = [plot_routes.route_table(binary, r.folder, start, end) for r in runs]
    return runs, start, end, ctx, routes


def main(argv):
    import plot_routes
    a = parse_args(argv)
    try:
        runs, start, end, ctx, routes = prepare(a)
    except ChartError as e:
        print(f"plot: error: {e}", file=sys.stderr)
        return 2
    os.makedirs(a.output, exist_ok=True)
    written = [
        chart_compute_by_destination(runs, a.output, start, end, ctx),
        chart_flows_by_channel(runs, a.output, start, end, a.destination, ctx),
        chart_revenue(runs, a.output, start, end, ctx),
    ]
    for r, table in zip(runs, routes):
        written.append(plot_routes.chart_routes(r, table, a.output, start, end, a.destination, ctx))
    for w in written:
        print(w)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
