#!/usr/bin/python3
"""PNG charts from a tradesim sweep folder (written by `tradesim sweep`).

    scripts/plot-sweep SWEEP_DIR [-o OUTDIR] [--metric NAME ...]

Writes into OUTDIR (default out/sweep-charts/<folder name>):
  response_<param>.png  grid and lhs designs: each metric against the parameter's value, one
                        panel per metric: a point per variant (its mean over runs), the mean line
                        over the variants at each value (lhs: in bins of the value) and, when
                        variants have several runs, the p05-p95 band of their runs
  morris.png            when morris.csv exists: mu* against sigma per metric, a labelled point per
                        parameter (horizontal bars: mu*'s interval when the file has one)
  sobol.png             when sobol.csv exists: first-order S1 and total ST per parameter and
                        metric, with their 95% bootstrap intervals

Metrics are named as in morris.csv and sobol.csv: world.METRIC, SCOPE.KEY.METRIC. By default the
world metrics that vary over the sweep (at most 12 panels per chart; the footer names what is
left out). Reads summary.csv, morris.csv, sobol.csv and manifest.json; needs matplotlib
and pandas (Debian: python3-matplotlib python3-pandas, installed by scripts/setup).
"""
import argparse
import difflib
import json
import os
import re
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import tradesim_charts as tc  # noqa: E402

PROG = "plot-sweep"
DPI = 100
MAX_W_IN = 13.0  # 1300 px
MAX_H_IN = 23.5  # 2350 px
MAX_PANELS = 12
MAX_PARAMS = 12  # bars or labelled points per panel
FONT = 8  # smallest text, points
SEQUENCE_COLUMNS = ("trajectory", "point", "block", "row")
STAT_COLUMNS = ("scope", "key", "metric", "mean", "sd", "p05", "p50", "p95", "runs", "se")
COLORS = plt.rcParams["axes.prop_cycle"].by_key()["color"]


class BadInput(Exception):
    pass


def fail(message):
    raise BadInput(message)


# ------------------------------------------------------------------------------------------
# Reading


def read_csv(path):
    try:
        df = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=str)
    except (OSError, ValueError, pd.errors.ParserError) as e:
        fail(f"cannot read {path}: {e}")
    # CSV safety (docs/reliability.md): guarded cells, and headers, lose their apostrophe.
    df.columns = [c[1:] if c.startswith("'") else c for c in df.columns]
    return tc.strip_csv_guard(df)


def numeric(df, columns):
    for c in columns:
        if c in df.columns:
            df[c] = pd.to_numeric(df[c], errors="coerce")
    return df


def metric_names(df):
    """world.METRIC for the world rows, SCOPE.KEY.METRIC for the others (as morris.csv)."""
    world = df["scope"] == "world"
    return np.where(world, "world." + df["metric"], df["scope"] + "." + df["key"] + "." + df["metric"])


def design_of(manifest, columns):
    """The --design of the command line (grid when absent), else what the columns say."""
    args = manifest.get("command_line") or []
    for i, a in enumerate(args):
        if a == "--design" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--design="):
            return a.split("=", 1)[1]
    if "trajectory" in columns:
        return "morris"
    if "block" in columns:
        return "sobol"
    return "grid"


class Sweep:
    """A sweep folder: summary.csv (required), morris.csv, sobol.csv, manifest.json."""

    def __init__(self, folder):
        self.folder = folder
        summary = os.path.join(folder, "summary.csv")
        if not os.path.isdir(folder):
            fail(f"'{folder}' is not a folder")
        if not os.path.isfile(summary):
            hint = " (it is a run folder: use scripts/plot)" if os.path.isfile(
                os.path.join(folder, "countries.csv")) else ""
            fail(f"'{folder}' is not a tradesim sweep folder (it has no summary.csv){hint}")
        s = read_csv(summary)
        if "variant" not in s.columns or not set(STAT_COLUMNS) <= set(s.columns):
            hint = " (it is a run folder: use scripts/plot)" if "variant" not in s.columns else ""
            fail(f"'{folder}' is not a tradesim sweep folder (its summary.csv has no variant, scope, key, "
                 f"metric, mean, ... columns){hint}")
        self.manifest = {}
        try:
            with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
                self.manifest = json.load(f)
        except (OSError, ValueError):
            pass
        cols = list(s.columns)
        self.params = [c for c in cols[1:cols.index("scope")] if c not in SEQUENCE_COLUMNS]
        self.name = self.manifest.get("scenario_name") or os.path.basename(os.path.normpath(folder))
        self.design = design_of(self.manifest, cols)
        s = numeric(s, ["mean", "sd", "p05", "p50", "p95", "runs", "se"])
        s["name"] = metric_names(s)
        self.summary = s
        self.variants = s["variant"].nunique()
        self.runs = int(s["runs"].max()) if len(s) else 1
        self.morris = self._optional("morris.csv", ["rank", "mu_star", "mu", "sigma", "effects", "mu_star_low",
                                                    "mu_star_high"])
        self.sobol = self._optional("sobol.csv", ["rank", "s1", "s1_low", "s1_high", "st", "st_low", "st_high", "n",
                                                  "variance", "resamples"])
        self.values = {}  # parameter -> Series by variant (numbers, or text for lists of words)
        first = s.drop_duplicates("variant").set_index("variant")
        for p in self.params:
            v = first[p]
            num = pd.to_numeric(v, errors="coerce")
            self.values[p] = num if num.notna().all() else v.astype(str)

    def _optional(self, name, number_columns):
        path = os.path.join(self.folder, name)
        if not os.path.isfile(path):
            return None
        df = read_csv(path)
        if "metric" not in df.columns or "parameter" not in df.columns:
            fail(f"{path} has no metric and parameter columns")
        return numeric(df, number_columns)

    def known_metrics(self):
        names = list(dict.fromkeys(self.summary["name"]))
        for df in (self.morris, self.sobol):
            if df is not None:
                names += [m for m in dict.fromkeys(df["metric"]) if m not in names]
        return names

    def footer(self):
        text = f"scenario {self.name}; design {self.design}; {self.variants} variants x {self.runs} run(s)"
        if os.path.isfile(os.path.join(self.folder, "parameters.csv")):
            text += " (each run also draws uncertain parameters: parameters.csv)"
        return text + f"; folder {os.path.basename(os.path.normpath(self.folder))}"


# ------------------------------------------------------------------------------------------
# Names, units, layout


def metric_unit(name):
    m = name.rsplit(".", 1)[-1]
    if m.endswith("_usd"):
        return "USD"
    if m.startswith("share"):
        return "share (0-1)"
    if m.startswith("price_index"):
        return "USD per compute unit (landed)"
    if "compute" in m:
        return "compute units (H100-equivalents)"
    if m.endswith("units") or m in ("units", "units_shipped", "produced"):
        return "units"
    if m.startswith("price"):
        return "USD per unit"
    return "the metric's unit"


PARAM_UNITS = {  # last component of a --param path -> its unit (docs/scenario-format.md)
    "approval": "share granted (0-1)", "delay": "ticks", "markup": "share of the price",
    "detection": "probability", "price_elasticity": "elasticity", "substitution": "elasticity",
    "demand": "compute units per tick", "capacity": "units per tick", "price": "USD per unit",
    "unit_cost": "USD per unit", "reference_cost": "USD per compute unit", "risk_tolerance": "0-1",
    "rate": "share of the value", "fee": "share of the value", "backlog": "share carried over",
    "price_adjustment": "share per tick", "supply_elasticity": "elasticity",
}


def param_unit(path):
    last = path.rsplit(".", 1)[-1]
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", last) and "." in path:  # a schedule point
        last = path.rsplit(".", 2)[-2]
    return PARAM_UNITS.get(last, "the scenario's unit")


def short_names(paths):
    """The shortest dotted suffix of each path that tells it apart from the others; a suffix over
    28 characters becomes the parts that differ between the paths and the last one, joined by
    '…' where parts are left out (s0…2025-01 for suppliers.s0.offers.x.capacity.2025-01)."""
    out = {}
    split = {p: p.split(".") for p in paths}
    for p, parts in split.items():
        out[p] = p
        for k in range(1, len(parts) + 1):
            tail = ".".join(parts[-k:])
            if sum(1 for q in paths if q == tail or q.endswith("." + tail)) == 1:
                out[p] = tail
                break
        same = [q for q in paths if len(split[q]) == len(parts)]
        if len(out[p]) > 28 and len(same) > 1:
            keep = [i for i in range(len(parts)) if len({split[q][i] for q in same}) > 1 or i == len(parts) - 1]
            text = ""
            for j, i in enumerate(keep):
                text += ("" if j == 0 else ("." if i == keep[j - 1] + 1 else "…")) + parts[i]
            out[p] = text if keep[0] == 0 else "…" + text
    if len(set(out.values())) < len(out):
        return {p: p for p in paths}
    return out


def key_text(short):
    pairs = [f"{s} = {p}" for p, s in short.items() if s != p]
    return "parameters: " + "; ".join(pairs) if pairs else ""


def human(v, _pos=None, digits=3):
    a = abs(v)
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{v / div:.{digits}g}{suffix}"
    return f"{v:.{digits}g}"


class HumanFormatter(matplotlib.ticker.Formatter):
    """Tick labels as 1.5k, 17.4B, with as many decimals as the tick spacing needs to tell
    neighbouring ticks apart (1.055M, 1.060M)."""

    def __call__(self, x, pos=None):
        locs = [v for v in self.locs if np.isfinite(v)]
        if len(locs) < 2:
            return human(x)
        step = min(abs(b - a) for a, b in zip(locs, locs[1:]) if b != a) if len(set(locs)) > 1 else 1.0
        big = max(abs(v) for v in locs)
        div = next((d for d in (1e12, 1e9, 1e6, 1e3) if big >= d), 1.0)
        decimals = next((d for d in range(7) if abs(round(step / div, d) - step / div) <= 1e-6 * step / div), 6)
        suffix = {1e12: "T", 1e9: "B", 1e6: "M", 1e3: "k"}.get(div, "")
        text = f"{x / div:.{decimals}f}"
        return "0" if float(text) == 0 else text + suffix


def grid_shape(n, ncols):
    ncols = max(1, min(ncols, n))
    return ncols, (n + ncols - 1) // ncols


def wrapped(text, width_in, size=FONT):
    """Lines of `text` that fit the figure's width at `size` points."""
    chars = max(40, int(width_in * 72 / (size * 0.56)))
    lines = []
    for part in text.split("\n"):
        lines += textwrap.wrap(part, chars, break_on_hyphens=False) or [""]
    return lines


def new_figure(nrows, ncols, panel_h, title, footer_text, width_in=MAX_W_IN, sharex=False):
    """A figure of at most MAX_W_IN x MAX_H_IN inches with a wrapped footer; returns (fig, axes,
    rect for tight_layout)."""
    foot = wrapped(footer_text, width_in)
    foot_h = 0.16 * len(foot) + 0.15
    title_lines = wrapped(title, width_in, 11)
    title_h = 0.19 * len(title_lines) + 0.15
    height = min(MAX_H_IN, panel_h * nrows + foot_h + title_h + 0.3)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width_in, height), squeeze=False, sharex=sharex)
    # fig.text, not suptitle: tight_layout would make room for a suptitle a second time.
    fig.text(0.01, 1 - 0.08 / height, "\n".join(title_lines), fontsize=11, ha="left", va="top")
    fig.text(0.01, 0.06 / height, "\n".join(foot), fontsize=FONT, color="#444444", ha="left", va="bottom",
             linespacing=1.25)
    rect = (0, (foot_h + 0.05) / height, 1, 1 - title_h / height)
    return fig, axes, rect


def finish(fig, axes, used, rect, path, legend=None):
    """Blanks the unused panels, puts `legend` (handles, labels, title) in the first of them (else
    at the top right, beside the title) and writes the figure at its exact size."""
    for j in range(used, axes.size):
        axes.flat[j].axis("off")
    fig.tight_layout(rect=rect, h_pad=1.2, w_pad=1.5)
    if legend and legend[0]:
        handles, labels, title = legend
        if used < axes.size:
            axes.flat[used].legend(handles, labels, loc="center", fontsize=9, title=title, title_fontsize=9,
                                   frameon=False)
        else:
            fig.legend(handles, labels, loc="upper right", fontsize=FONT, frameon=False, ncol=min(3, len(labels)),
                       bbox_to_anchor=(0.995, 0.999))
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def left_out_text(what, left):
    if not left:
        return ""
    shown = ", ".join(left[:6]) + (f" and {len(left) - 6} more" if len(left) > 6 else "")
    return f"; not shown ({what}): {shown}"


# ------------------------------------------------------------------------------------------
# Metric choice


def choose_metrics(sweep, wanted):
    """The metrics of the charts: --metric as given (checked), else the varying world metrics."""
    known = sweep.known_metrics()
    if wanted:
        unknown = [m for m in wanted if m not in known]
        if unknown:
            close = difflib.get_close_matches(unknown[0], known, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            fail(f"unknown metric '{unknown[0]}'{hint}; known metrics in {sweep.folder}: {', '.join(known)}")
        return list(dict.fromkeys(wanted)), []
    world = [m for m in known if m.startswith("world.")]
    s = sweep.summary
    varying = [m for m in world if s.loc[s["name"] == m, "mean"].nunique() > 1]
    constant = [m for m in world if m not in varying]
    return (varying or world[:MAX_PANELS]), (constant if varying else [])


def capped(metrics, available, ncols, panel_h):
    """The metrics shown (at most MAX_PANELS, and as many rows of panels as fit in MAX_H_IN with
    room for the title and footer), those left out, and those `available` does not have."""
    have = [m for m in metrics if m in available]
    cap = min(MAX_PANELS, ncols * max(1, int((MAX_H_IN - 3.0) // panel_h)))
    return have[:cap], have[cap:], [m for m in metrics if m not in available]


# ------------------------------------------------------------------------------------------
# Response charts


def positions(values):
    """x positions of a parameter's values: the numbers, or 0..k-1 for words (with their labels)."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float), None
    order = list(dict.fromkeys(values))  # the sweep's order of the --param list
    return values.map({v: i for i, v in enumerate(order)}).astype(float), order


def groups_of(x, continuous, others):
    """Group label per variant: its value (grids; samples of one parameter), or, for samples
    (lhs) where other parameters vary too, one of up to 10 bins of equal counts of the value."""
    distinct = x.nunique()
    if not continuous or not others or distinct <= 3:
        return x
    bins = min(10, max(2, distinct // 3))
    return pd.qcut(x.rank(method="first"), bins, labels=False)


def panel_response(ax, sweep, metric, x, groups, labels, colour_by):
    """One metric against x: a point per variant (coloured by `colour_by`'s value when given), the
    mean over the variants of each group and the mean of their p05-p95 bands."""
    s = sweep.summary[sweep.summary["name"] == metric].set_index("variant")
    xs = x.reindex(s.index)
    if s.empty:
        ax.text(0.5, 0.5, "no rows for this metric", transform=ax.transAxes, ha="center", fontsize=FONT)
    elif colour_by is None:
        ax.scatter(xs, s["mean"], s=18, color=COLORS[0], alpha=0.8, zorder=3, linewidths=0,
                   label="variant (mean over runs)")
    else:
        other = sweep.values[colour_by].reindex(s.index)
        for k, v in enumerate(sorted(other.unique())):
            sel = (other == v).values
            order = np.argsort(xs.values[sel])
            ax.plot(xs.values[sel][order], s["mean"].values[sel][order], "o-", color=COLORS[(k + 1) % len(COLORS)],
                    markersize=4, linewidth=0.8, alpha=0.85, zorder=3,
                    label=f"{short_label(sweep, colour_by)} = {human(v) if isinstance(v, float) else v}")
    g = groups.reindex(s.index)
    table = pd.DataFrame({"x": xs, "y": s["mean"], "lo": s["p05"], "hi": s["p95"], "g": g})
    line = table.groupby("g").mean().sort_values("x")
    ax.plot(line["x"], line["y"], color="#222222", linewidth=1.8, zorder=4,
            label="mean over variants" if groups.nunique() < len(groups) else "mean over runs")
    if sweep.runs > 1 and not line.empty:
        ax.fill_between(line["x"], line["lo"], line["hi"], color=COLORS[0], alpha=0.2, linewidth=0,
                        label=f"p05-p95 over {sweep.runs} runs")
    ax.set_title(metric, fontsize=9)
    ax.set_ylabel(metric_unit(metric), fontsize=FONT)
    ax.yaxis.set_major_formatter(HumanFormatter())
    ax.tick_params(labelsize=FONT)
    ax.grid(alpha=0.3)
    if labels is not None:
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=20, ha="right", fontsize=FONT)


def short_label(sweep, param):
    return short_names(sweep.params)[param]


def value_range(values):
    if pd.api.types.is_numeric_dtype(values):
        return f"{human(values.min())} to {human(values.max())}"
    return ", ".join(list(dict.fromkeys(values))[:4]) + (" ..." if values.nunique() > 4 else "")


def chart_response(sweep, param, metrics, left, name, out):
    x, labels = positions(sweep.values[param])
    continuous = labels is None and sweep.design.split(":")[0] != "grid"
    others = [p for p in sweep.params if p != param]
    groups = groups_of(x, continuous, others)
    binned = not groups.equals(x)
    shown, more, missing = capped(metrics, set(sweep.summary["name"]), 3, 3.0)
    colour_by = others[0] if len(others) == 1 and not binned and sweep.values[others[0]].nunique() <= 8 else None
    ncols, nrows = grid_shape(max(1, len(shown)), 3)
    unit = param_unit(param) if labels is None else "values of a list"
    title = f"Response of {len(shown)} metric(s) to {param} ({unit})"
    if others:
        title += "\nvaried at the same time: " + ", ".join(
            f"{p} ({value_range(sweep.values[p])})" for p in others)
    how = ("mean line: mean over the variants at each value" if others else "line: each value's mean over runs") \
        if not binned else f"mean line and band: the variants in {groups.nunique()} bins of the value, at the " \
                           f"bins' mean value"
    foot = f"{sweep.footer()}; x: {param}, {value_range(sweep.values[param])} ({unit}); {how}"
    if sweep.runs > 1:
        foot += f"; band: p05-p95 over the {sweep.runs} runs of a variant" + \
            (" (mean of the variants' p05 and p95)" if others else "")
    if others:
        foot += "; points: variants, spread by the other parameters' values" + \
            (f" (colour: {colour_by})" if colour_by else "")
    foot += left_out_text("constant over the sweep", left) + left_out_text("panel limit", more)
    foot += left_out_text("no rows in summary.csv", missing)
    fig, axes, rect = new_figure(nrows, ncols, 3.0, title, foot)
    for i, m in enumerate(shown):
        ax = axes.flat[i]
        panel_response(ax, sweep, m, x, groups, labels, colour_by)
        if i + ncols >= len(shown):
            ax.set_xlabel(f"{short_label(sweep, param)} ({unit})", fontsize=FONT)
    if not shown:
        axes.flat[0].text(0.5, 0.5, "no metric to show", ha="center", transform=axes.flat[0].transAxes)
    legend = axes.flat[0].get_legend_handles_labels() + (None,)
    path = os.path.join(out, f"response_{name}.png")
    return finish(fig, axes, max(1, len(shown)), rect, path, legend)


# ------------------------------------------------------------------------------------------
# Morris and Sobol


def panel_morris(ax, rows, short):
    rows = rows.dropna(subset=["mu_star", "sigma"]).sort_values("mu_star", ascending=False)
    hidden = max(0, len(rows) - MAX_PARAMS)
    rows = rows.head(MAX_PARAMS)
    if rows.empty:
        ax.text(0.5, 0.5, "no elementary effects (the metric does not vary)", ha="center", va="center",
                transform=ax.transAxes, fontsize=FONT)
        return 0
    xerr = None
    if {"mu_star_low", "mu_star_high"} <= set(rows.columns) and rows["mu_star_low"].notna().any():
        xerr = np.vstack([rows["mu_star"] - rows["mu_star_low"], rows["mu_star_high"] - rows["mu_star"]])
    ax.errorbar(rows["mu_star"], rows["sigma"], xerr=xerr, fmt="o", color=COLORS[0], ecolor="#888888",
                markersize=5, capsize=2, zorder=3)
    top = max(rows["mu_star"].max(), rows["sigma"].max(), 1e-12) * 1.12
    ax.plot([0, top], [0, top], color="#999999", linestyle="--", linewidth=0.8)
    ax.set_xlim(-0.03 * top, top * 1.25)
    ax.set_ylim(-0.05 * top, top)
    place_labels(ax, rows["mu_star"].values, rows["sigma"].values, [short[p] for p in rows["parameter"]])
    return hidden


def place_labels(ax, xs, ys, labels):
    """Labels beside points, each at the first of a few offsets where it overlaps no label placed
    before it (in points, from the axis' current size: approximate, good for a dozen labels)."""
    width_pt = ax.get_position().width * ax.figure.get_figwidth() * 72
    height_pt = ax.get_position().height * ax.figure.get_figheight() * 72
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    placed = []
    for x, y, text in zip(xs, ys, labels):
        px, py = (x - x0) / (x1 - x0) * width_pt, (y - y0) / (y1 - y0) * height_pt
        w, h = len(text) * FONT * 0.58, FONT * 1.2
        choice = (5, 2)
        for dx, dy in ((5, 2), (5, -11), (-5 - w, 2), (-5 - w, -11), (5, 13), (5, -22), (-w / 2, 13), (-w / 2, -22)):
            box = (px + dx, py + dy, px + dx + w, py + dy + h)
            if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed):
                choice = (dx, dy)
                break
        placed.append((px + choice[0], py + choice[1], px + choice[0] + w, py + choice[1] + h))
        ax.annotate(text, (x, y), xytext=choice, textcoords="offset points", fontsize=FONT, zorder=4)


def panel_sobol(ax, rows, short):
    rows = rows.sort_values(["rank", "st"], ascending=[True, False], na_position="last")
    hidden = max(0, len(rows) - MAX_PARAMS)
    rows = rows.head(MAX_PARAMS)
    if rows["st"].isna().all():
        ax.text(0.5, 0.5, "no indices (the metric does not vary)", ha="center", va="center", transform=ax.transAxes,
                fontsize=FONT)
        ax.set_yticks([])
        return 0
    y = np.arange(len(rows))
    h = 0.38
    for off, key, label, color in ((-h / 2, "s1", "S1 first-order", COLORS[0]), (h / 2, "st", "ST total", COLORS[1])):
        v = rows[key].fillna(0)
        err = np.vstack([(v - rows[key + "_low"]).clip(lower=0).fillna(0), (rows[key + "_high"] - v).clip(lower=0)
                         .fillna(0)])
        ax.barh(y + off, v, height=h, color=color, label=label, xerr=err, capsize=2,
                error_kw={"ecolor": "#333333", "elinewidth": 0.8})
    ax.set_yticks(y)
    ax.set_yticklabels([short[p] for p in rows["parameter"]], fontsize=FONT)
    ax.invert_yaxis()
    ax.axvline(0, color="#555555", linewidth=0.6)
    lo = min(0.0, float(rows[["s1_low", "st_low"]].min().min()))
    hi = max(1.0, float(rows[["s1_high", "st_high"]].max().max()))
    ax.set_xlim(lo - 0.02, hi + 0.02)
    return hidden


def chart_sensitivity(sweep, kind, metrics, left, out):
    table = sweep.morris if kind == "morris" else sweep.sobol
    nparams = min(MAX_PARAMS, table["parameter"].nunique())
    panel_h = max(2.6, 0.34 * nparams + 1.0) if kind == "sobol" else 3.3
    shown, more, missing = capped(metrics, set(table["metric"]), 2 if kind == "sobol" else 3, panel_h)
    short = short_names(list(dict.fromkeys(table["parameter"])))
    ncols, nrows = grid_shape(max(1, len(shown)), 2 if kind == "sobol" else 3)
    if kind == "morris":
        title = "Morris screening: μ* (mean |elementary effect|) against σ (sd of the effects), per metric"
        how = ("elementary effect EE = change of the metric (mean over runs) per change of the parameter by its "
               "whole range; far right: influential; above the dashed line σ = μ*: non-linear or interacting")
        if {"mu_star_low", "mu_star_high"} <= set(table.columns):
            how += "; horizontal bars: μ*'s interval (mu_star_low to mu_star_high)"
        if "effects" in table.columns and table["effects"].notna().any():
            how += f"; {int(table['effects'].max())} effects per parameter"
    else:
        title = "Sobol indices per metric: first-order S1 and total ST of each parameter, 95% bootstrap intervals"
        how = "S1: share of the metric's variance a parameter explains alone; ST: alone or with others (ST - S1: " \
              "interactions); bars: 95% bootstrap intervals"
        if table["n"].notna().any():
            how += f"; {int(table['n'].max())} rows, {int(table['resamples'].max())} resamples"
    foot = f"{sweep.footer()}; {how}"
    if key_text(short):
        foot += "; " + key_text(short)
    if table["parameter"].nunique() > MAX_PARAMS:
        foot += f"; each panel shows its {MAX_PARAMS} highest-ranked parameters"
    foot += left_out_text("constant over the sweep", left) + left_out_text("panel limit", more)
    foot += left_out_text(f"not in {kind}.csv", missing)
    fig, axes, rect = new_figure(nrows, ncols, panel_h, title, foot)
    for i, m in enumerate(shown):
        ax = axes.flat[i]
        rows = table[table["metric"] == m]
        hidden = (panel_morris if kind == "morris" else panel_sobol)(ax, rows, short)
        ax.set_title(m + (f" (top {MAX_PARAMS}, {hidden} more)" if hidden else ""), fontsize=9)
        ax.tick_params(labelsize=FONT)
        ax.grid(alpha=0.3)
        if kind == "morris":
            unit = metric_unit(m)
            ax.set_xlabel(f"μ*, {unit} per parameter range", fontsize=FONT)
            ax.set_ylabel(f"σ, {unit} per parameter range", fontsize=FONT)
            ax.xaxis.set_major_formatter(HumanFormatter())
            ax.yaxis.set_major_formatter(HumanFormatter())
        else:
            ax.set_xlabel("index (share of the metric's variance)", fontsize=FONT)
    if not shown:
        axes.flat[0].text(0.5, 0.5, "no metric to show", ha="center", transform=axes.flat[0].transAxes)
    legend = axes.flat[0].get_legend_handles_labels() + (None,) if kind == "sobol" else None
    return finish(fig, axes, max(1, len(shown)), rect, os.path.join(out, f"{kind}.png"), legend)


# ------------------------------------------------------------------------------------------


def plan(sweep, metrics, left, chosen):
    """The charts to draw: (function, arguments) per file, decided before anything is written."""
    todo, names = [], set()
    if sweep.design.split(":")[0] in ("grid", "lhs"):
        for p in sweep.params:
            if sweep.values[p].nunique() > 1:
                name = tc.safe_name(p, "parameter")
                while name in names:  # two paths with the same file name
                    name += "_"
                names.add(name)
                todo.append((chart_response, (sweep, p, metrics, left, name)))
    for kind, table in (("morris", sweep.morris), ("sobol", sweep.sobol)):
        if table is None:
            continue
        own = list(dict.fromkeys(table["metric"]))
        have, constant = metrics, [m for m in left if m in own]
        if not chosen and len(own) <= MAX_PANELS:  # a sobol sweep's own --metric list: all of it
            have, constant = own, []
        elif not any(m in own for m in metrics):  # --metric names none of the file's: its world ones
            have = [m for m in own if m.startswith("world.")] or own
        todo.append((chart_sensitivity, (sweep, kind, have, constant)))
    return todo


def main(argv):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 2)[2])
    p.add_argument("folder", metavar="SWEEP_DIR", help="a folder written by 'tradesim sweep'")
    p.add_argument("-o", "--output", metavar="OUTDIR", help="output folder (default out/sweep-charts/<folder name>)")
    p.add_argument("--metric", action="append", default=[], metavar="NAME",
                   help="a metric to chart, as world.METRIC or SCOPE.KEY.METRIC (repeatable; default: the "
                        "world metrics that vary)")
    a = p.parse_args(argv)
    try:
        sweep = Sweep(a.folder)
        metrics, left = choose_metrics(sweep, a.metric)
        todo = plan(sweep, metrics, left, bool(a.metric))
        if not todo:
            fail(f"nothing to chart in '{a.folder}': design {sweep.design}, no parameter takes two values "
                 "and there is no morris.csv or sobol.csv")
    except BadInput as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    out = a.output or os.path.join("out", "sweep-charts", tc.safe_name(os.path.basename(os.path.normpath(a.folder)), "parameter"))
    os.makedirs(out, exist_ok=True)
    for fn, args in todo:
        print(fn(*args, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
