#!/usr/bin/python3
"""PNG charts from tradesim run folders (single runs or ensembles with a `run` column).

    scripts/plot [-o OUTDIR] [--destination CODE] [--from DATE] [--to DATE] DIR [DIR ...]

Writes into OUTDIR (default out/charts):
  compute_by_destination.png      compute acquired per destination country over time, one line
                                  per scenario (ensembles: mean and the p05-p95 band)
  flows_by_channel.png            compute shipped per tick by channel (direct, licensed,
                                  transshipped, diverted, remote), stacked, one panel per scenario
                                  (--destination CODE: only flows to that country, here and in
                                  the route diagrams)
  revenue_by_billing_country.png  supplier revenue over the period by billing country, one bar
                                  per scenario, one panel per supplier
  routes_<scenario>.png           Sankey-style route diagram per scenario: origin -> hub ->
                                  destination, band widths proportional to compute over the period

Every chart names its scenarios (manifest.json scenario_name, else the folder name), its units
and the period. Runs of scenarios with time.observed_until (manifest.json observed_until and
projection_from) have the projection shaded grey and labelled "projection" in the time charts,
and the footer says where each record ends. Reads countries.csv, flows.csv and revenue.csv only; needs matplotlib and pandas
(Debian: python3-matplotlib python3-pandas, installed by scripts/setup).
"""
import argparse
import json
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import PathPatch, Rectangle  # noqa: E402
from matplotlib.path import Path  # noqa: E402

CHANNELS = ["direct", "licensed", "transshipped", "diverted", "remote"]
CHANNEL_COLORS = {
    "direct": "#4C78A8",
    "licensed": "#72B7B2",
    "transshipped": "#F58518",
    "diverted": "#E45756",
    "remote": "#B279A2",
}
DPI = 100
DIRECT_VIA = "direct"  # flows.csv's via of a direct shipment


class Run:
    """One run folder: its label and per-tick tables (with a `run` column, 0 if absent)."""

    def __init__(self, folder):
        self.folder = folder
        if not os.path.isfile(os.path.join(folder, "countries.csv")):
            raise SystemExit(f"plot: error: '{folder}' is not a tradesim run folder (it has no countries.csv)")
        self.label = os.path.basename(os.path.normpath(folder))
        # Where the observed record ends (YYYY-MM) and the date of the first projected tick;
        # None for scenarios without time.observed_until (or a record covering the whole run).
        self.observed_until = None
        self.projection_from = None
        manifest = os.path.join(folder, "manifest.json")
        if os.path.isfile(manifest):
            try:
                with open(manifest, encoding="utf-8") as f:
                    m = json.load(f)
                if m.get("scenario_name"):
                    self.label = m["scenario_name"]
                self.observed_until = m.get("observed_until")
                if m.get("projection_from"):
                    self.projection_from = pd.Timestamp(m["projection_from"])
            except (OSError, ValueError):
                pass
        self.countries = self._read("countries.csv")
        self.flows = self._read("flows.csv")
        self.revenue = self._read("revenue.csv")
        self.runs = int(self.countries["run"].nunique()) if self.countries is not None else 1

    def _read(self, name):
        path = os.path.join(self.folder, name)
        if not os.path.isfile(path):
            return None
        df = pd.read_csv(path, keep_default_na=False, na_values=[], dtype={"via": str, "buyer": str})
        # tradesim writes text that a spreadsheet would evaluate (=, +, -, @, ...) with a leading
        # apostrophe (docs/reliability.md, "CSV safety"): remove it to get the ids back.
        for col in df.columns:
            if df[col].dtype == object:
                df[col] = df[col].map(lambda v: v[1:] if isinstance(v, str) and v.startswith("'") else v)
        if "run" not in df.columns:
            df.insert(0, "run", 0)
        df["date"] = pd.to_datetime(df["date"])
        return df


def in_period(df, start, end):
    if df is None:
        return None
    mask = pd.Series(True, index=df.index)
    if start is not None:
        mask &= df["date"] >= start
    if end is not None:
        mask &= df["date"] <= end
    return df[mask]


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
    parts = []
    for r in runs:
        parts.append(r.label + (f" ({r.runs} runs)" if r.runs > 1 else ""))
    text = "scenarios: " + ", ".join(parts)
    return text if len(text) < 150 else text[:147] + "..."


def safe_name(label):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("_") or "scenario"


def human(v):
    a = abs(v)
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{v / div:.1f}{suffix}"
    return f"{v:.0f}"


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
    ax.text(x0, 0.98, " projection", transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=7,
            color="#222222", zorder=2.7)
    ax.set_xlim(left, right)
    return True


def footer(fig, runs, start, end, extra=""):
    text = f"{scenario_text(runs)}; period {period_text(runs, start, end)}"
    if projection_text(runs):
        text += "; " + projection_text(runs)
    if any(r.runs > 1 for r in runs):
        text += "; ensembles: mean over runs"
    if extra:
        text += "; " + extra
    fig.text(0.01, 0.01, text, fontsize=7, color="#555555", ha="left", va="bottom")


# ------------------------------------------------------------------------------------------
def chart_compute_by_destination(runs, out, start, end):
    col = "compute_used" if all("compute_used" in r.countries.columns for r in runs) else "imports_compute"
    series = {}
    for r in runs:
        df = in_period(r.countries, start, end)
        per_run = df.pivot_table(index=["date", "country"], columns="run", values=col, aggfunc="sum")
        series[r.label] = per_run
    destinations = []
    for r in runs:
        df = in_period(r.countries, start, end)
        totals = df.groupby("country", sort=False)[col].sum()
        for c, v in totals.items():
            if v > 0 and c not in destinations:
                destinations.append(c)
    if not destinations:
        destinations = list(runs[0].countries["country"].unique())[:1]
    n = len(destinations)
    ncols = min(3, n)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.2 * nrows + 1.0), squeeze=False, sharex=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, c in enumerate(destinations):
        ax = axes[i // ncols][i % ncols]
        for k, r in enumerate(runs):
            per_run = series[r.label]
            if c not in per_run.index.get_level_values("country"):
                continue
            d = per_run.xs(c, level="country")
            color = colors[k % len(colors)]
            ax.plot(d.index, d.mean(axis=1), label=r.label, color=color, linewidth=1.6,
                    linestyle="-" if k == 0 else ["--", "-.", ":"][(k - 1) % 3] if k < 4 else "-")
            if d.shape[1] > 1:
                ax.fill_between(d.index, d.quantile(0.05, axis=1), d.quantile(0.95, axis=1), color=color, alpha=0.2,
                                linewidth=0)
        ax.set_title(c, fontsize=10)
        ax.set_ylabel("compute units per tick")
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: human(v)))
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        # One axis holds every scenario: the shade starts where the first of them projects.
        shade_projection(ax, earliest_projection(runs), *date_range(runs, start, end))
    for j in range(n, nrows * ncols):
        axes[j // ncols][j % ncols].axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    spare = n < nrows * ncols
    if spare:  # the legend in the first empty panel
        axes[n // ncols][n % ncols].legend(handles, labels, loc="center", fontsize=9, frameon=False, title="scenario")
    else:
        fig.legend(handles, labels, loc="upper right", fontsize=8, frameon=False)
    what = "chips delivered + compute rented abroad" if col == "compute_used" else "chips delivered"
    fig.suptitle(f"Compute acquired per destination ({what}), compute units (H100-equivalents) per tick",
                 fontsize=11, x=0.01, ha="left")
    footer(fig, runs, start, end, "band: p05-p95 over runs" if any(r.runs > 1 for r in runs) else "")
    fig.tight_layout(rect=(0, 0.04, 0.86 if len(runs) > 1 and not spare else 1, 0.95))
    path = os.path.join(out, "compute_by_destination.png")
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def chart_flows_by_channel(runs, out, start, end, destination):
    n = len(runs)
    ncols = min(2, n)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 3.4 * nrows + 1.0), squeeze=False, sharey=True)
    for i, r in enumerate(runs):
        ax = axes[i // ncols][i % ncols]
        df = in_period(r.flows, start, end)
        if df is None:
            ax.text(0.5, 0.5, "no flows.csv", ha="center", va="center", transform=ax.transAxes)
            ax.set_title(r.label, fontsize=10)
            continue
        if destination:
            df = df[df["destination"] == destination]
        dates = sorted(in_period(r.countries, start, end)["date"].unique())
        table = df.pivot_table(index="date", columns=["run", "channel"], values="compute", aggfunc="sum", fill_value=0.0)
        ys = []
        for ch in CHANNELS:
            if not table.empty and ch in table.columns.get_level_values("channel"):
                per_run = table.xs(ch, level="channel", axis=1).reindex(dates, fill_value=0.0)
                # Runs without any flow of this channel count as 0.
                ys.append(per_run.sum(axis=1) / r.runs)
            else:
                ys.append(pd.Series(0.0, index=dates))
        ax.stackplot(dates, [y.values for y in ys], labels=CHANNELS, colors=[CHANNEL_COLORS[c] for c in CHANNELS],
                     alpha=0.9)
        ax.set_title(r.label, fontsize=10)
        ax.set_ylabel("compute units per tick")
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: human(v)))
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        if dates:
            shade_projection(ax, r.projection_from, dates[0], dates[-1])
    for j in range(n, nrows * ncols):
        axes[j // ncols][j % ncols].axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    if n < nrows * ncols:  # the legend in the empty panel
        axes[n // ncols][n % ncols].legend(handles, labels, loc="center", fontsize=9, frameon=False, title="channel")
    else:
        fig.legend(handles, labels, loc="upper right", fontsize=8, frameon=False, ncol=len(CHANNELS))
    where = f"to {destination}" if destination else "to all destinations"
    fig.suptitle(f"Compute shipped {where} by channel, compute units (H100-equivalents) per tick", fontsize=11,
                 x=0.01, ha="left")
    footer(fig, runs, start, end)
    fig.tight_layout(rect=(0, 0.04, 1, 0.93))
    path = os.path.join(out, "flows_by_channel.png")
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def chart_revenue(runs, out, start, end):
    totals = {}  # label -> DataFrame supplier x billing (mean over runs)
    suppliers, countries = [], []
    for r in runs:
        df = in_period(r.revenue, start, end)
        if df is None:
            continue
        t = df.groupby(["supplier", "billing_country"], sort=False)["revenue_usd"].sum() / r.runs
        totals[r.label] = t
        for s in df["supplier"].unique():
            if s not in suppliers:
                suppliers.append(s)
    for c in runs[0].countries["country"].unique():
        if any(c in t.index.get_level_values("billing_country") for t in totals.values()):
            countries.append(c)
    for t in totals.values():
        for c in t.index.get_level_values("billing_country"):
            if c not in countries:
                countries.append(c)
    n = max(1, len(suppliers))
    ncols = min(3, n)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(max(4.2, 1.1 * len(runs) + 2.0) * ncols, 3.8 * nrows + 1.0),
                             squeeze=False)
    cmap = plt.get_cmap("tab10")
    ccolor = {c: cmap(i % 10) for i, c in enumerate(countries)}
    labels = [r.label for r in runs]
    for i, s in enumerate(suppliers):
        ax = axes[i // ncols][i % ncols]
        bottom = np.zeros(len(labels))
        for c in countries:
            vals = np.array([float(totals[lb].get((s, c), 0.0)) if lb in totals else 0.0 for lb in labels])
            if not vals.any():
                continue
            ax.bar(range(len(labels)), vals / 1e9, bottom=bottom / 1e9, color=ccolor[c], label=c, width=0.7)
            bottom += vals
        for k, v in enumerate(bottom):
            ax.text(k, v / 1e9, human(v), ha="center", va="bottom", fontsize=7)
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=25, ha="right", fontsize=8)
        ax.set_title(s, fontsize=10)
        ax.set_ylabel("revenue, billion USD")
        ax.grid(axis="y", alpha=0.3)
        ax.margins(y=0.12)
    for j in range(len(suppliers), nrows * ncols):
        axes[j // ncols][j % ncols].axis("off")
    handles = [Rectangle((0, 0), 1, 1, color=ccolor[c]) for c in countries]
    fig.legend(handles, countries, title="billing country", loc="upper right", fontsize=8, title_fontsize=8,
               frameon=False)
    fig.suptitle("Supplier revenue by billing country over the period, USD (net of export fees)", fontsize=11,
                 x=0.01, ha="left")
    footer(fig, runs, start, end)
    fig.tight_layout(rect=(0, 0.04, 0.88, 0.94))
    path = os.path.join(out, "revenue_by_billing_country.png")
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def band(ax, x0, y0, x1, y1, width, color, alpha=0.55):
    """A band of constant `width` from (x0, y0..y0+width) to (x1, y1..y1+width), cubic curves."""
    xm = (x0 + x1) / 2
    verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 + width), (xm, y1 + width), (xm, y0 + width),
             (x0, y0 + width), (x0, y0)]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4, Path.CURVE4, Path.CURVE4,
             Path.CLOSEPOLY]
    ax.add_patch(PathPatch(Path(verts, codes), facecolor=color, edgecolor="none", alpha=alpha))


def chart_routes(run, out, start, end, destination):
    df = in_period(run.flows, start, end)
    if df is not None and destination:
        df = df[df["destination"] == destination]
    fig, ax = plt.subplots(figsize=(10, 6.2))
    where = f" to {destination}" if destination else ""
    title = f"Routes{where} of {run.label}: origin -> via -> destination, compute units (H100-equivalents) over the period"
    if df is None or df.empty or df["compute"].sum() <= 0:
        ax.text(0.5, 0.5, "no flows", ha="center", va="center")
        ax.axis("off")
        fig.suptitle(title, fontsize=10, x=0.01, ha="left")
        path = os.path.join(out, f"routes_{safe_name(run.label)}.png")
        fig.savefig(path, dpi=DPI)
        plt.close(fig)
        return path
    df = df.copy()
    df["via"] = df["via"].fillna("").replace(DIRECT_VIA, "")  # flows.csv writes "direct"
    g = df.groupby(["origin", "via", "destination", "channel"], sort=False)["compute"].sum() / run.runs
    g = g[g > 0]
    order = list(run.countries["country"].unique())

    def rank(c):
        return order.index(c) if c in order else len(order)

    # Middle column: "direct" (shipments that touch no third country) and the hubs.
    direct = "direct"
    origins = sorted({o for o, _, _, _ in g.index}, key=rank)
    middles = ([direct] if any(h == "" for _, h, _, _ in g.index) else []) + sorted(
        {h for _, h, _, _ in g.index if h}, key=rank)
    dests = sorted({d for _, _, d, _ in g.index}, key=rank)
    total = float(g.sum())
    gap = total * 0.03
    xs = {"o": 0.0, "h": 1.0, "d": 2.0}
    node_w = 0.05
    height = total + gap * (max(len(origins), len(middles), len(dests)) - 1)

    def middle_of(h):
        return h if h else direct

    def layout(names, part):
        sizes = {n: 0.0 for n in names}
        for key, v in g.items():
            sizes[part(key)] += float(v)
        column = sum(sizes.values()) + gap * (len(names) - 1)
        y = (height - column) / 2  # columns centred on the tallest
        pos = {}
        for n in names:
            pos[n] = [y, sizes[n]]
            y += sizes[n] + gap
        return pos

    po = layout(origins, lambda k: k[0])
    pm = layout(middles, lambda k: middle_of(k[1]))
    pdst = layout(dests, lambda k: k[2])
    out_off = {n: p[0] for n, p in po.items()}
    mid_in = {n: p[0] for n, p in pm.items()}
    mid_out = {n: p[0] for n, p in pm.items()}
    dest_in = {n: p[0] for n, p in pdst.items()}
    # Bands stack in a fixed order (origin, middle, destination, channel) so the picture is stable.
    items = sorted(g.items(), key=lambda kv: (rank(kv[0][0]), kv[0][1] != "", rank(kv[0][1]), rank(kv[0][2]),
                                              CHANNELS.index(kv[0][3]) if kv[0][3] in CHANNELS else 9))
    for (o, h, d, ch), v in items:
        v = float(v)
        color = CHANNEL_COLORS.get(ch, "#999999")
        m = middle_of(h)
        band(ax, xs["o"] + node_w, out_off[o], xs["h"], mid_in[m], v, color)
        mid_in[m] += v
        out_off[o] += v
    # Right half: ordered by middle node, then destination, so bands leave the middle in order.
    items_right = sorted(g.items(), key=lambda kv: (kv[0][1] != "", rank(kv[0][1]), rank(kv[0][2]), rank(kv[0][0]),
                                                    CHANNELS.index(kv[0][3]) if kv[0][3] in CHANNELS else 9))
    for (o, h, d, ch), v in items_right:
        v = float(v)
        color = CHANNEL_COLORS.get(ch, "#999999")
        m = middle_of(h)
        band(ax, xs["h"] + node_w, mid_out[m], xs["d"], dest_in[d], v, color)
        mid_out[m] += v
        dest_in[d] += v
    # Labels at the node centres, pushed apart where small nodes crowd (at least `spacing` apart).
    spacing = (height + gap * 3) * 0.032
    for pos, key, align, dx in ((po, "o", "right", -0.015), (pm, "h", "left", node_w + 0.015),
                                (pdst, "d", "left", node_w + 0.015)):
        last = None
        for n, (y, size) in pos.items():
            ax.add_patch(Rectangle((xs[key], y), node_w, size, facecolor="#333333"))
            ly = y + size / 2 if last is None else max(y + size / 2, last + spacing)
            last = ly
            ax.text(xs[key] + dx, ly, f"{n} {human(size)}", ha=align, va="center", fontsize=8,
                    bbox=dict(facecolor="white", edgecolor="none", alpha=0.75, pad=0.5) if key == "h" else None)
    top = -gap * 1.6
    ax.text(xs["o"] + node_w, top, "origin (ships from)", ha="right", va="bottom", fontsize=9, weight="bold")
    ax.text(xs["h"] + node_w / 2, top, "via (hub)", ha="center", va="bottom", fontsize=9, weight="bold")
    ax.text(xs["d"], top, "destination", ha="left", va="bottom", fontsize=9, weight="bold")
    used = [c for c in CHANNELS if c in set(i[3] for i in g.index)]
    ax.legend([Rectangle((0, 0), 1, 1, color=CHANNEL_COLORS[c]) for c in used], used, loc="upper center",
              ncol=len(used), fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0), title="channel",
              title_fontsize=8)
    ax.set_xlim(-0.3, 2.4)
    ax.set_ylim(height + gap * 0.5, -gap * 2.6)  # first node at the top
    ax.axis("off")
    fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    footer(fig, [run], start, end, "band width: compute; 'direct': shipments through no third country")
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    path = os.path.join(out, f"routes_{safe_name(run.label)}.png")
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def parse_date(text, end):
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text or "")
    if not m:
        raise SystemExit(f"plot: error: '{text}' is not a date (expected YYYY-MM or YYYY-MM-DD)")
    ts = pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    if end and m.group(3) is None:
        ts = ts + pd.offsets.MonthEnd(0)
    return ts


def main(argv):
    p = argparse.ArgumentParser(prog="scripts/plot", description=__doc__.split("\n\n")[0])
    p.add_argument("folders", nargs="+", metavar="DIR", help="run folders written by 'tradesim run'")
    p.add_argument("-o", "--output", default="out/charts", help="output folder (default out/charts)")
    p.add_argument("--destination", help="flows_by_channel and routes: only flows to this country (default: all)")
    p.add_argument("--from", dest="start", help="first date of the period (YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--to", dest="end", help="last date of the period (YYYY-MM: through its end)")
    a = p.parse_args(argv)
    start = parse_date(a.start, False) if a.start else None
    end = parse_date(a.end, True) if a.end else None
    runs = [Run(f) for f in a.folders]
    seen = {}
    for r in runs:  # labels must tell scenarios apart (file names, legends)
        seen[r.label] = seen.get(r.label, 0) + 1
    for r in runs:
        if seen[r.label] > 1:
            r.label = f"{r.label} [{os.path.basename(os.path.normpath(r.folder))}]"
    os.makedirs(a.output, exist_ok=True)
    written = [
        chart_compute_by_destination(runs, a.output, start, end),
        chart_flows_by_channel(runs, a.output, start, end, a.destination),
        chart_revenue(runs, a.output, start, end),
    ]
    for r in runs:
        written.append(chart_routes(r, a.output, start, end, a.destination))
    for w in written:
        print(w)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
