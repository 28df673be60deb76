"""The interactive charts of `tradesim report` (plotly figures; scripts/report.py lays them out).

Each function takes loaded runs (tradesim_charts.Run) and the tables `tradesim compare` and
`tradesim fit` printed, and returns a plotly Figure. Time series come from the runs' own
countries.csv; totals, differences, routes and revenue from compare; the fit from fit.
"""
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import tradesim_charts as tc

FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=12)
WIDTH = 1200  # px: fits a laptop screen at 100 %


def _layout(fig, title, height):
    fig.update_layout(title=dict(text=title, x=0.01, xanchor="left", font=dict(size=15)),
                      font=FONT, width=WIDTH, height=int(height), template="plotly_white",
                      margin=dict(l=70, r=30, t=90, b=60), hovermode="closest")
    return fig


def _shapes_for_time(runs, xref, yref, start, end, dates=None):
    """Projection shading (from the earliest first projected tick) and a dotted line at each
    policy date (`dates`, default every scenario's), as one list of shapes (adding them one by
    one is slow with many panels)."""
    shapes = []
    dates = [d for d, _ in all_markers(runs)] if dates is None else dates
    proj = [r.projection_from for r in runs if r.projection_from is not None]
    if proj and min(proj) <= end:
        shapes.append(dict(type="rect", xref=xref, yref=f"{yref} domain", x0=max(min(proj), start), x1=end,
                           y0=0, y1=1, fillcolor="#808080", opacity=0.15, line_width=0, layer="below"))
    for date in dates:
        if start <= date <= end:
            shapes.append(dict(type="line", xref=xref, yref=f"{yref} domain", x0=date, x1=date, y0=0, y1=1,
                               line=dict(color="#888888", width=0.8, dash="dot")))
    return shapes


def all_markers(runs):
    """Policy dates of every scenario (union, tc.marker_key): (date, the policies that come
    into force or lapse then, a policy the baseline lacks followed by the variants that have it)."""
    return [(d, "; ".join(tc.attributed(lb, who, runs) for lb, who in policies))
            for _, d, policies in tc.marker_key(runs)]


def differing_dates(base, variant):
    """The dates of the policies a variant has and the baseline not, or the other way round:
    where the two runs can start to differ."""
    return sorted({m[0] for m in set(tc.policy_markers(base)) ^ set(tc.policy_markers(variant))})


# ------------------------------------------------------------------------------------------
def policy_timeline(runs):
    """A Gantt chart per scenario (menu): each policy from coming into force to its lapse (or
    the end of the run); policies that differ from the baseline's are outlined and starred."""
    start = min(r.countries["date"].min() for r in runs)
    end = max(r.countries["date"].max() for r in runs)
    base_spans = tc.policy_spans(runs[0])
    fig = go.Figure()
    counts = []
    for k, r in enumerate(runs):
        spans = tc.policy_spans(r)
        rows = sorted(spans.items(), key=lambda kv: (kv[1][0], kv[0]))
        names, starts, lengths, colors, lines, hover = [], [], [], [], [], []
        for pid, (s, e) in rows:
            e = e if e is not None else end
            differs = k > 0 and (pid not in base_spans or base_spans[pid][0] != s or base_spans[pid][1] != spans[pid][1])
            names.append(pid + (" *" if differs else ""))
            starts.append(s)
            lengths.append(max((e - s).total_seconds() * 1000.0, 86400000.0 * 20))
            colors.append(tc.PALETTE[len(names) % len(tc.PALETTE)])
            lines.append(2.5 if differs else 0)
            until = "lapses " + f"{spans[pid][1]:%Y-%m}" if spans[pid][1] is not None else "in force to the end"
            hover.append(f"{pid}: in force {s:%Y-%m-%d}, {until}" + (" (differs from the baseline)" if differs else ""))
        if not names:  # one trace per scenario all the same, so the menu's visibility lists line up
            fig.add_trace(go.Scatter(x=[start + (end - start) / 2], y=["(none)"], mode="text",
                                     text=[f"{r.label} has no policies"], textfont=dict(size=14), name=r.label,
                                     hoverinfo="skip", visible=(k == 0), showlegend=False))
            counts.append(0)
            continue
        fig.add_trace(go.Bar(y=names, x=lengths, base=starts, orientation="h", marker_color=colors,
                             marker_line=dict(color="#000000", width=lines), width=0.7, name=r.label,
                             hovertext=hover, hoverinfo="text", visible=(k == 0), showlegend=False))
        counts.append(len(names))
    buttons = [dict(label=r.label, method="update",
                    args=[{"visible": [j == k for j in range(len(runs))]},
                          {"height": _gantt_height(counts[k])}]) for k, r in enumerate(runs)]
    fig.update_xaxes(type="date", range=[start, end], side="top")
    fig.update_yaxes(autorange="reversed", automargin=True)
    if len(runs) > 1:
        fig.update_layout(updatemenus=[dict(buttons=buttons, x=1.0, xanchor="right", y=1.0, yanchor="bottom",
                                            pad=dict(b=36), showactive=True)])
    _layout(fig, "Policy timeline: in force from, to (* outlined: differs from the baseline)", _gantt_height(counts[0]))
    fig.update_layout(margin=dict(l=220, t=130))
    return fig


def _gantt_height(n):
    return min(1380, 200 + 26 * max(n, 3))  # rows get thinner past 47 policies


# ------------------------------------------------------------------------------------------
def _series(run, col, countries):
    """Per country and date: mean, p05 and p95 over the runs of `col` (countries.csv)."""
    df = run.countries[run.countries["country"].isin(countries)]
    g = df.groupby(["country", "date"])[col]
    return pd.DataFrame({"mean": g.mean(), "p05": g.quantile(0.05), "p95": g.quantile(0.95)}).reset_index()


def colors_for(colors, names):
    """The run set's country colours, with any of `names` that would be "other" grey given a
    palette colour no other country has (a line drawn on its own must not look like "other")."""
    colors = dict(colors)
    free = [c for c in tc.PALETTE if c not in set(colors.values())]
    for n in names:
        if colors.get(n, tc.OTHER_COLOR) == tc.OTHER_COLOR and n != tc.OTHER and free:
            colors[n] = free.pop(0)
    return colors


def top_destinations(runs, col, top, countries=None):
    if countries:
        return list(countries)
    totals = runs[0].countries.groupby("country")[col].sum().sort_values(ascending=False)
    return [c for c, v in totals.items() if v > 0][:top] or list(totals.index[:1])


def compute_by_destination(runs, top=6, countries=None):
    """Small multiples per destination: compute acquired per step, one line per scenario, the
    baseline black and on top, ensembles with their p05-p95 band; policy dates dotted, the
    projection shaded."""
    col = tc.compute_column(runs)
    dests = top_destinations(runs, col, top, countries)
    ncols = 2 if len(dests) > 1 else 1
    nrows = math.ceil(len(dests) / ncols)
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=dests, shared_xaxes=True,
                        vertical_spacing=min(0.12, 0.5 / max(nrows, 1)), horizontal_spacing=0.08)
    colors = tc.scenario_colors([r.label for r in runs])
    order = list(range(1, len(runs))) + [0]  # the baseline drawn last: on top
    first_top = 0.0  # the highest value in the first panel, where the policy triangles sit
    for k in order:
        r = runs[k]
        s = _series(r, col, dests)
        first = s[s["country"] == dests[0]]
        first_top = max(first_top, float(first["p95"].max()), float(first["mean"].max()))
        for i, c in enumerate(dests):
            d = s[s["country"] == c]
            row, cc = i // ncols + 1, i % ncols + 1
            if r.runs > 1:
                fig.add_trace(go.Scatter(x=list(d["date"]) + list(d["date"])[::-1],
                                         y=list(d["p95"]) + list(d["p05"])[::-1], fill="toself",
                                         fillcolor=colors[r.label], opacity=0.18, line=dict(width=0),
                                         hoverinfo="skip", showlegend=False, legendgroup=r.label), row=row, col=cc)
            fig.add_trace(go.Scatter(x=d["date"], y=d["mean"], mode="lines", name=r.label, legendgroup=r.label,
                                     line=dict(color=colors[r.label], width=3 if k == 0 else 1.6),
                                     showlegend=(i == 0),
                                     hovertemplate=f"{r.label}<br>{c} %{{x|%Y-%m}}: %{{y:,.0f}}<extra></extra>"),
                          row=row, col=cc)
    unit = f"compute units {tc.per_step(runs)}"
    fig.update_yaxes(title_text=unit, col=1)
    start = min(r.countries["date"].min() for r in runs)
    end = max(r.countries["date"].max() for r in runs)
    _time_shapes(fig, runs, len(dests), start, end, first_top)
    what = "chips delivered + compute rented abroad" if col == "compute_used" else "chips delivered"
    band = "; band: p05-p95 over runs" if any(r.runs > 1 for r in runs) else ""
    _layout(fig, f"Compute acquired by destination ({what}), {unit}{band}<br><sub>dotted: policy dates "
                 f"(hover the triangles); grey: projection after the observed record</sub>", 120 + 260 * nrows)
    fig.update_layout(legend=dict(orientation="h", y=-0.04, yanchor="top", x=0))
    return fig


def _time_shapes(fig, runs, panels, start, end, first_top):
    """Projection shading and policy lines in every panel, and a triangle per policy date above
    the first panel's highest value (`first_top`) whose hover names the policies."""
    shapes = []
    for i in range(panels):
        ax = "" if i == 0 else str(i + 1)
        shapes += _shapes_for_time(runs, f"x{ax}", f"y{ax}", start, end)
    fig.update_layout(shapes=shapes)
    marks = [(d, t) for d, t in all_markers(runs) if start <= d <= end]
    if marks:
        y = first_top * 1.04 if first_top > 0 else 1.0
        fig.add_trace(go.Scatter(x=[d for d, _ in marks], y=[y] * len(marks), xaxis="x", yaxis="y",
                                 mode="markers", marker=dict(symbol="triangle-down", size=10, color="#444444"),
                                 text=[t for _, t in marks], hovertemplate="%{x|%Y-%m}: %{text}<extra>policy</extra>",
                                 name="policy dates", showlegend=True, cliponaxis=False))


def differences_by_variant(runs, colors, top=6, countries=None):
    """One panel per variant: its difference from the baseline in compute acquired per step,
    one line per destination (menu: all destinations shown, or one at a time)."""
    col = tc.compute_column(runs)
    dests = top_destinations(runs, col, top, countries)
    base = _series(runs[0], col, dests).set_index(["country", "date"])["mean"]
    variants = runs[1:]
    ncols = 3 if len(variants) > 4 else 2
    nrows = math.ceil(len(variants) / ncols)
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=[r.label for r in variants], shared_xaxes=True,
                        shared_yaxes=True, vertical_spacing=min(0.1, 0.45 / max(nrows, 1)),
                        horizontal_spacing=0.05)
    colors = colors_for(colors, dests)
    for k, r in enumerate(variants):
        s = _series(r, col, dests).set_index(["country", "date"])["mean"]
        diff = (s - base.reindex(s.index).fillna(0.0)).reset_index()
        for i, c in enumerate(dests):
            d = diff[diff["country"] == c]
            fig.add_trace(go.Scatter(x=d["date"], y=d["mean"], mode="lines", name=c, legendgroup=c,
                                     line=dict(color=colors[c], width=1.8), showlegend=(k == 0),
                                     hovertemplate=f"{r.label}<br>{c} %{{x|%Y-%m}}: %{{y:+,.0f}}<extra></extra>"),
                          row=k // ncols + 1, col=k % ncols + 1)
    unit = f"compute units {tc.per_step(runs)}"
    fig.update_yaxes(title_text=f"Δ {unit}", col=1)
    fig.update_yaxes(zeroline=True, zerolinecolor="#111111", zerolinewidth=1.5)
    start = min(r.countries["date"].min() for r in runs)
    end = max(r.countries["date"].max() for r in runs)
    shapes = []
    for i, r in enumerate(variants):
        ax = "" if i == 0 else str(i + 1)
        shapes += _shapes_for_time(runs, f"x{ax}", f"y{ax}", start, end, differing_dates(runs[0], r))
    fig.update_layout(shapes=shapes)
    n = len(dests)
    buttons = [dict(label="all destinations", method="restyle", args=[{"visible": [True] * (n * len(variants))}])]
    for i, c in enumerate(dests):
        buttons.append(dict(label=c, method="restyle",
                            args=[{"visible": [j % n == i for j in range(n * len(variants))]}]))
    fig.update_layout(updatemenus=[dict(buttons=buttons, x=1.0, xanchor="right", y=1.0, yanchor="bottom",
                                        pad=dict(b=30))])
    _layout(fig, f"Difference from the baseline ({runs[0].label}), compute acquired, {unit}<br><sub>one panel "
                 "per variant; zero line: the baseline; dotted: the dates of the variant's policies that differ "
                 "from the baseline's; grey: projection</sub>",
            140 + 230 * nrows)
    fig.update_layout(legend=dict(orientation="h", y=-0.04, yanchor="top", x=0, title_text="destination"))
    return fig


# ------------------------------------------------------------------------------------------
KIND_COLORS = {"shipped": "rgba(76,120,168,0.45)", "arrived": "rgba(76,120,168,0.45)",
               "seized": "rgba(228,87,86,0.65)", "in transit": "rgba(160,160,160,0.6)"}


def routes_sankey(routes, runs, top=8):
    """One Sankey per scenario (menu): origin -> via (hub or direct) -> destination, band
    widths compute over the period from `compare --by route`; seized and in transit at the end
    as sinks of their own, so each destination's inflow is what arrived in the period."""
    fig = go.Figure()
    unit = "compute units over the period"
    for k, r in enumerate(runs):
        nodes, links = tc.sankey_links(routes, r.label, top)
        labels = []
        for column, name in nodes:
            inflow = sum(v for a, b, v, _ in links if b == len(labels))
            outflow = sum(v for a, b, v, _ in links if a == len(labels))
            labels.append(f"{name} {tc.human(max(inflow, outflow))}")
        node_colors = [tc.OTHER_COLOR if name in (tc.OTHER_DESTINATIONS, tc.IN_TRANSIT) else
                       "#d62728" if name == tc.SEIZED else "#4c4c4c" for _, name in nodes]
        fig.add_trace(go.Sankey(
            visible=(k == 0), name=r.label, arrangement="snap", valueformat=",.0f", valuesuffix=" compute",
            node=dict(label=labels, color=node_colors, pad=14, thickness=14,
                      customdata=[name for _, name in nodes], hovertemplate="%{label}<extra></extra>"),
            link=dict(source=[a for a, _, _, _ in links], target=[b for _, b, _, _ in links],
                      value=[v for _, _, v, _ in links], color=[KIND_COLORS[kd] for _, _, _, kd in links],
                      customdata=[kd for _, _, _, kd in links],
                      hovertemplate="%{source.label} → %{target.label}: %{value} (%{customdata})<extra></extra>")))
    buttons = [dict(label=r.label, method="update", args=[{"visible": [j == k for j in range(len(runs))]}])
               for k, r in enumerate(runs)]
    if len(runs) > 1:
        fig.update_layout(updatemenus=[dict(buttons=buttons, x=1.0, xanchor="right", y=1.06, yanchor="bottom")])
    _layout(fig, f"Routes: origin → via → destination, {unit}<br><sub>red: seized; grey: in transit at the end "
                 f"of the period; destinations past the {top} largest merged</sub>", 640)
    return fig


def short_labels(labels, width=24):
    """Axis labels of at most `width` characters: a long name keeps its start and its end (where
    "[folder]" tells two runs of one scenario apart), joined by "…"; the full name is in the hover."""
    out = []
    for lb in labels:
        if len(lb) <= width:
            out.append(lb)
        else:
            half = (width - 1) // 2
            out.append(lb[:half] + "…" + lb[-(width - 1 - half):])
    return out if len(set(out)) == len(out) else list(labels)


# ------------------------------------------------------------------------------------------
MAX_SUPPLIERS = 6
OTHER_SUPPLIERS = "other suppliers"


def revenue_by_billing(revenue, labels, colors, own):
    """Supplier revenue over the period by billing country (compare's revenue rows), one bar
    per scenario stacked by billing country, one panel per supplier."""
    df = revenue[(revenue["scope"] == "revenue") & (revenue["metric"] == "revenue_usd")].copy()
    parts = df["key"].str.split("/", n=1, expand=True)
    df["supplier"], df["billing"] = parts[0], parts[1]
    base = df[df["scenario"] == labels[0]]
    df["billing"] = [b if b in own else tc.OTHER for b in df["billing"]]
    suppliers = list(base.groupby("supplier")["value"].sum().sort_values(ascending=False).index)
    suppliers += [s for s in df["supplier"].unique() if s not in suppliers]
    if len(suppliers) > MAX_SUPPLIERS:  # the smallest together, so the chart keeps its size
        others = set(suppliers[MAX_SUPPLIERS - 1:])
        df["supplier"] = [OTHER_SUPPLIERS if s in others else s for s in df["supplier"]]
        suppliers = suppliers[:MAX_SUPPLIERS - 1] + [OTHER_SUPPLIERS]
    ncols = min(3, len(suppliers))
    nrows = math.ceil(len(suppliers) / ncols)
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=suppliers, vertical_spacing=0.25 / max(nrows, 1) + 0.1)
    g = df.groupby(["supplier", "billing", "scenario"])["value"].sum()
    for b in own + [tc.OTHER]:
        for i, s in enumerate(suppliers):
            ys = [float(g.get((s, b, lb), 0.0)) / 1e9 for lb in labels]
            if not any(ys):
                continue
            fig.add_trace(go.Bar(x=short_labels(labels), y=ys, name=b, legendgroup=b, marker_color=colors[b],
                                 showlegend=not any(t.name == b and t.showlegend for t in fig.data),
                                 customdata=labels,
                                 hovertemplate=f"{s}, billed to {b}<br>%{{customdata}}: %{{y:,.2f}} B USD"
                                               "<extra></extra>"),
                          row=i // ncols + 1, col=i % ncols + 1)
    fig.update_layout(barmode="stack", legend=dict(title_text="billing country"))
    fig.update_yaxes(title_text="billion USD", col=1)
    fig.update_xaxes(tickangle=-35, tickfont=dict(size=10))
    _layout(fig, "Supplier revenue over the period by billing country, billion USD (net of export fees)",
            160 + 380 * nrows)
    return fig


def revenue_by_channel(runs):
    """Supplier revenue by channel, one bar per scenario stacked by channel (summary.csv's
    channel rows, written by the run)."""
    rows = []
    for r in runs:
        path = f"{r.folder}/summary.csv"
        s = tc.read_table(path)
        if s is None:
            continue
        value = "value" if "value" in s.columns else "mean"
        s = s[(s["scope"] == "channel") & (s["metric"] == "revenue_usd")]
        for key, v in zip(s["key"], s[value]):
            rows.append((r.label, key, float(v)))
    if not rows:
        return None
    df = pd.DataFrame(rows, columns=["scenario", "channel", "value"])
    fig = go.Figure()
    labels = [r.label for r in runs]
    for ch in tc.CHANNELS + sorted(set(df["channel"]) - set(tc.CHANNELS)):
        d = df[df["channel"] == ch].set_index("scenario")["value"]
        if d.empty or not d.any():
            continue
        fig.add_trace(go.Bar(x=short_labels(labels), y=[float(d.get(lb, 0.0)) / 1e9 for lb in labels], name=ch,
                             marker_color=tc.CHANNEL_COLORS.get(ch, tc.OTHER_COLOR), customdata=labels,
                             hovertemplate=f"{ch}<br>%{{customdata}}: %{{y:,.2f}} B USD<extra></extra>"))
    fig.update_layout(barmode="stack", legend=dict(title_text="channel"))
    fig.update_yaxes(title_text="billion USD")
    fig.update_xaxes(tickangle=-35)
    _layout(fig, "Supplier revenue over the period by channel, billion USD (ensembles: mean over runs)", 520)
    return fig


# ------------------------------------------------------------------------------------------
def fit_chart(fit):
    """Model ÷ observed per target (log scale), with the target's band as error bars: a point
    inside its bar is inside the observed uncertainty."""
    df = fit.copy()
    df = df[(df["observed"] > 0) & (df["model"].notna())]
    ratio = df["model"] / df["observed"]
    lo = df["band_lo"] / df["observed"]
    hi = df["band_hi"] / df["observed"]
    colors = ["#2ca02c" if str(b).strip() == "yes" else "#d62728" for b in df["inside"]]
    names = [f"{i} (holdout)" if h == "yes" else f"{i} (p)" if p == "yes" else i
             for i, h, p in zip(df["id"], df["holdout"], df["projected"])]
    fig = go.Figure(go.Scatter(
        x=ratio.clip(1e-3, 1e3), y=names, mode="markers", marker=dict(color=colors, size=9),
        error_x=dict(type="data", symmetric=False, array=hi - ratio, arrayminus=ratio - lo, color="#888888"),
        customdata=list(zip(df["model"], df["observed"], df["z"])),
        hovertemplate="%{y}: model %{customdata[0]:,.4g}, observed %{customdata[1]:,.4g}, "
                      "z %{customdata[2]:+.2f}<extra></extra>"))
    fig.add_vline(x=1.0, line=dict(color="#111111", width=1))
    fig.update_xaxes(type="log", title_text="model ÷ observed (1 = on target; bar: the target's band)")
    fig.update_yaxes(autorange="reversed", automargin=True)
    _layout(fig, "Observed against model (green: inside the band; red: outside)", 140 + 22 * len(df))
    return fig
