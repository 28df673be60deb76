#!/usr/bin/python3
"""One self-contained HTML report of tradesim run folders, to read offline and pass on.

    tradesim report DIR... [--baseline DIR] [--targets FILE] -o report.html

Sections: what was run, the policy timeline of each scenario, the headline table with the
differences from the baseline (standard errors for ensembles), compute by destination, routes,
revenue by billing country and channel, and with --targets the fit of the baseline. Every
total, difference and fit value is what `tradesim compare` and `tradesim fit` print (this
script calls them); the charts are plotly figures with plotly.js embedded once, so the file
needs no network. Needs Debian's python3-plotly and python3-pandas (scripts/setup).
"""
import argparse
import datetime
import html
import os
import sys
import tempfile
from io import StringIO

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tradesim_charts as tc  # noqa: E402

PROG = "tradesim report"
HEADLINE_COUNTRY_METRICS = ["compute_used", "imports_compute", "share_via_third_countries", "unmet_compute"]
CONFIG = {"displaylogo": False, "responsive": False, "toImageButtonOptions": {"format": "png", "scale": 1}}


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise tc.ChartError(f"{message} (see '{PROG} --help')")


def parse_args(argv):
    p = Parser(prog=PROG, description=__doc__.split("\n\n")[0],
               epilog="The report embeds plotly.js (8.7 MB): the file opens in any browser offline.")
    p.add_argument("folders", nargs="+", metavar="DIR", help="run folders written by 'tradesim run' (ensembles too)")
    p.add_argument("--baseline", metavar="DIR", help="the folder the others are compared with (default: the first)")
    p.add_argument("--targets", metavar="FILE", help="observed targets: adds the fit of the baseline")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    p.add_argument("--top", type=int, default=6, metavar="N",
                   help="destinations drawn on their own (default 6; the rest in 'other' where summed)")
    p.add_argument("--countries", metavar="A,B,...", help="draw these destinations instead of the top N")
    p.add_argument("--title", help="the report's title (default: the baseline's scenario name)")
    p.add_argument("--tradesim", metavar="PATH", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.top < 1:
        raise tc.ChartError(f"--top must be at least 1, not {a.top}")
    return a


def order_folders(folders, baseline):
    """The baseline first, then the others in the order given (the baseline may be one of them)."""
    if baseline is None:
        return list(folders)
    norm = os.path.normpath
    return [baseline] + [f for f in folders if norm(f) != norm(baseline)]


def relabel(df, runs):
    """compare's scenario column as the runs' labels. compare names the scenarios in the order
    of its folders (a scenario name given twice gets the folder as typed: "name [path]"), so
    its names in order of appearance are the runs' in order."""
    import pandas as pd
    names = list(pd.unique(df["scenario"]))
    if len(names) != len(runs):
        raise tc.ChartError(f"compare's output names {len(names)} scenarios for {len(runs)} folders")
    df = df.copy()
    df["scenario"] = df["scenario"].map(dict(zip(names, [r.label for r in runs])))
    return df


def fit_table(binary, baseline, targets):
    """`tradesim fit BASELINE --targets FILE --format csv` as a DataFrame."""
    import pandas as pd
    if not os.path.isfile(targets):
        raise tc.ChartError(f"--targets: '{targets}' does not exist")
    out = tc.run_tradesim(binary, ["fit", baseline, "--targets", targets, "--format", "csv"], what="fit")
    df = pd.read_csv(StringIO(out), keep_default_na=False, na_values=[""])
    return tc.strip_csv_guard(df)


# ------------------------------------------------------------------------------------------
def esc(v):
    return html.escape(str(v), quote=True)


def fmt_value(v, unit=""):
    if v is None or v != v:
        return "–"
    if unit == "share":
        return f"{100 * v:.1f} %"
    a = abs(v)
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{v / div:.2f}{suffix}"
    return f"{v:.3g}" if a < 100 else f"{v:.0f}"


def fmt_se(v, unit=""):
    """A standard error: of a share in percentage points, else like the value."""
    return f"{100 * v:.2g} pp" if unit == "share" else fmt_value(v, unit)


def fmt_diff(d, pct, unit=""):
    if d is None or d != d:
        return ""
    if d == 0:
        return "no change"
    text = ("+" if d > 0 else "") + (f"{100 * d:.1f} pp" if unit == "share" else fmt_value(d, unit))
    if pct == pct and pct is not None and unit != "share":  # compare's diff_pct is in per cent
        text += f" ({'+' if pct > 0 else ''}{pct:.1f} %)"
    return text


def section_run(runs):
    rows = []
    for k, r in enumerate(runs):
        m = r.manifest
        first, last = r.countries["date"].min(), r.countries["date"].max()
        ticks = r.countries["date"].nunique()
        version = m.get("version") or "–"
        git = m.get("git_describe") or ""
        rows.append("<tr>" + "".join(f"<td>{esc(x)}</td>" for x in (
            r.label + (" (baseline)" if k == 0 else ""), r.folder, r.runs, m.get("seed", "–"),
            f"{version} {git}".strip(), f"{first:%Y-%m} .. {last:%Y-%m} ({ticks} {r.step}s)",
            r.observed_until or "–", m.get("random_parts", "–") if r.runs > 1 else "single run")) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("scenario", "folder", "runs", "seed", "tradesim", "period",
                                              "observed until", "random parts"))
    note = ""
    ends = sorted({r.observed_until for r in runs if r.observed_until})
    if ends:
        note = (f"<p>The observed record ends {esc(', '.join(ends))}; later months are projection "
                "(shaded grey in the charts).</p>")
    return f"<div class='scroll'><table><tr>{head}</tr>{''.join(rows)}</table></div>{note}"


def headline_rows(df, runs, countries):
    """The rows of the headline table: every world metric, then the country metrics of the
    destinations drawn (compare's rows, in compare's order)."""
    base = df[df["scenario"] == runs[0].label]
    keep = base[(base["scope"] == "world") |
                ((base["scope"] == "country") & base["key"].isin(countries) &
                 base["metric"].isin(HEADLINE_COUNTRY_METRICS))]
    return list(zip(keep["scope"], keep["key"], keep["metric"], keep["unit"]))


def section_headline(df, runs, countries):
    ensemble = "se" in df.columns
    idx = df.set_index(["scope", "key", "metric", "scenario"])
    head = "<th>scope</th><th>metric</th><th>unit</th>" + "".join(
        f"<th>{esc(r.label)}{' (baseline)' if k == 0 else ''}</th>" for k, r in enumerate(runs))
    body = []
    for scope, key, metric, unit in headline_rows(df, runs, countries):
        cells = []
        for k, r in enumerate(runs):
            try:
                row = idx.loc[(scope, key, metric, r.label)]
            except KeyError:
                cells.append("<td>–</td>")
                continue
            if hasattr(row, "ndim") and row.ndim > 1:
                row = row.iloc[0]
            v = row["value"]
            text = fmt_value(v, unit)
            title = f"{v:.10g}"
            if ensemble and row.get("se") == row.get("se") and r.runs > 1:
                text += f" <span class='se'>±{fmt_se(row['se'], unit)}</span>"
                title += f" ± {row['se']:.4g} (standard error of the mean over {r.runs} runs)"
            sub = ""
            if k > 0:
                d = fmt_diff(row["diff"], row["diff_pct"], unit)
                if ensemble and row.get("diff_se") == row.get("diff_se") and r.runs > 1 and d and d != "no change":
                    d += f" ±{fmt_se(row['diff_se'], unit)}"
                sub = f"<br><span class='diff'>{esc(d)}</span>" if d else ""
            cells.append(f"<td title='{esc(title)}'>{text}{sub}</td>")
        where = "world" if scope == "world" else key
        body.append(f"<tr><td>{esc(where)}</td><td>{esc(metric)}</td><td>{esc(unit)}</td>{''.join(cells)}</tr>")
    note = ("Values are sums over the period (price_index_mean: mean over the ticks); under each variant its "
            "difference from the baseline and, in brackets, relative to it. Hover a cell for the exact value.")
    if ensemble:
        note += (" Ensembles: the mean over the runs ± its standard error; under it the paired difference "
                 "(run r against run r of the baseline, common random numbers) ± the standard error of the "
                 "mean difference.")
    return (f"<p>{note} The same numbers as <code>tradesim compare</code> "
            f"(its CSV: <code>tradesim compare {' '.join(esc(r.folder) for r in runs)} --format csv</code>).</p>"
            f"<div class='scroll'><table class='num'><tr>{head}</tr>{''.join(body)}</table></div>")


def section_fit(fit, baseline, targets):
    """The fit table as `tradesim fit` prints it; a target's source shows on hovering its id."""
    cols = [c for c in ("id", "metric", "scope", "period", "model", "observed", "ratio", "z", "inside", "holdout",
                        "projected") if c in fit.columns]
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = []
    for _, row in fit.iterrows():
        cells = []
        for c in cols:
            v = row[c]
            number = isinstance(v, (int, float)) and not isinstance(v, bool) and v == v
            if c in ("model", "observed") and number:
                cells.append(f"<td title='{v:.10g}'>{fmt_value(float(v))}</td>")
            elif c == "z" and number:
                cells.append(f"<td>{v:+.2f}</td>")
            elif c == "ratio" and number:
                cells.append(f"<td>{v:.3f}</td>")
            elif c in ("model", "observed", "ratio", "z") and not number:
                cells.append("<td>–</td>")
            elif c == "id" and "source" in fit.columns:
                cells.append(f"<td title='{esc(row['source'])}'>{esc(v)}</td>")
            else:
                cells.append(f"<td>{esc(v)}</td>")
        cls = " class='out'" if str(row.get("inside", "")).strip() == "no" else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return (f"<p>The baseline <b>{esc(baseline.label)}</b> against <code>{esc(targets)}</code>: the same table as "
            f"<code>tradesim fit {esc(baseline.folder)} --targets {esc(targets)}</code> (hover a target's id for "
            "its source; red rows are outside their band; holdouts are left out of the calibration's "
            "objective; projected: the period ends after the observed record).</p>"
            f"<div class='scroll'><table class='num fit'><tr>{head}</tr>{''.join(body)}</table></div>")


STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 24px auto; max-width: 1240px; color: #222; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 36px; border-bottom: 1px solid #ddd; }
p, li { font-size: 14px; line-height: 1.45; } code { font-size: 13px; background: #f4f4f4; padding: 0 3px; }
nav a { margin-right: 14px; font-size: 14px; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 7px; text-align: left; vertical-align: top; white-space: nowrap; }
th { background: #f0f0f0; position: sticky; top: 0; }
table.num td { text-align: right; } table.num td:nth-child(-n+3) { text-align: left; }
table.fit td:nth-child(4) { text-align: left; }
.diff { color: #555; font-size: 12px; } .se { color: #777; font-size: 11px; }
tr.out td { background: #fde8e8; }
.chart { margin: 12px 0 24px 0; }
"""


def chart_div(fig, ident):
    """The figure's div and script, with the id `ident` (plotly 5.4 draws a random one)."""
    import re
    div = fig.to_html(full_html=False, include_plotlyjs=False, config=CONFIG)
    m = re.search(r'<div id="([^"]+)" class="plotly-graph-div"', div)
    return div.replace(m.group(1), ident) if m else div


def chart(ident, title, fig, note):
    """A section of the report: its heading, a note (HTML) and the chart."""
    return ident, title, f"<p>{note}</p><div class='chart'>{chart_div(fig, f'fig-{ident}')}</div>"


def sections(runs, binary, args, countries):
    """The report's sections in order: (anchor, heading, HTML)."""
    import report_figures as rf

    folders = [r.folder for r in runs]
    # The first call of compare refuses runs it cannot compare (ChartError, with its reason).
    headline = relabel(tc.compare_table(binary, folders), runs)
    routes = relabel(tc.compare_table(binary, folders, ["--by", "route"]), runs)
    dests = rf.top_destinations(runs, tc.compute_column(runs), args.top, countries)
    # One colour per country for the whole report, ranked as scripts/plot ranks them.
    colors, own = tc.run_set_colors(runs, top=max(args.top, 8), countries=countries)
    out = [("run", "What was run", section_run(runs)),
           chart("timeline", "Policy timeline", rf.policy_timeline(runs),
                 "Each scenario's policies from the date they come into force to their lapse (events.csv); "
                 "choose the scenario in the menu."),
           ("headline", "Headline results", section_headline(headline, runs, dests)),
           chart("compute", "Compute by destination", rf.compute_by_destination(runs, args.top, countries),
                 "Per destination, the compute it acquired each step (countries.csv): chips delivered plus compute "
                 "rented abroad. Click a legend entry to hide a scenario, double-click to show it alone.")]
    if len(runs) > 4:
        out.append(chart("differences", "Differences from the baseline",
                         rf.differences_by_variant(runs, colors, args.top, countries),
                         "With many variants the levels overlap: here each variant's difference from the baseline."))
    out.append(chart("routes", "Routes", rf.routes_sankey(routes, runs, max(args.top, 8)),
                     "From <code>tradesim compare --by route</code>: compute shipped per route in the period; what "
                     "was seized and what was still in transit at the end are sinks of their own."))
    out.append(chart("revenue", "Revenue by billing country",
                     rf.revenue_by_billing(headline, [r.label for r in runs], colors, own),
                     "From <code>tradesim compare</code>'s revenue rows; billing countries past the top ones in "
                     "'other'."))
    by_channel = rf.revenue_by_channel(runs)
    if by_channel is not None:
        out.append(chart("channels", "Revenue by channel", by_channel, "From each run's summary.csv channel rows."))
    if args.targets:
        fit = fit_table(binary, runs[0].folder, args.targets)
        ident, title, html_ = chart("fit", "Observed against model", rf.fit_chart(fit), "")
        out.append((ident, title, section_fit(fit, runs[0], args.targets) + html_.replace("<p></p>", "", 1)))
    return out


def build(runs, binary, args, countries):
    import plotly.offline

    parts = sections(runs, binary, args, countries)
    nav = "".join(f"<a href='#{i}'>{esc(t)}</a>" for i, t, _ in parts)
    body = "".join(f"<h2 id='{i}'>{esc(t)}</h2>{h}" for i, t, h in parts)
    title = args.title or f"tradesim report: {runs[0].label}" + (f" and {len(runs) - 1} variants" if len(runs) > 1
                                                                  else "")
    made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>"
            f"<style>{STYLE}</style><script type='text/javascript'>{plotly.offline.get_plotlyjs()}</script></head>"
            f"<body><h1>{esc(title)}</h1><p>Written {made} by <code>{esc(command_line())}</code>; "
            f"{len(runs)} scenario{'s' if len(runs) > 1 else ''}, baseline {esc(runs[0].label)}. Charts: hover for "
            f"values, drag to zoom, double-click to reset.</p><nav>{nav}</nav>{body}</body></html>\n")


def command_line():
    """The command as the user typed it (without the --tradesim the binary adds)."""
    args, skip = [], False
    for a in sys.argv[1:]:
        if skip:
            skip = False
        elif a == "--tradesim":
            skip = True
        elif not a.startswith("--tradesim="):
            args.append(a)
    return " ".join([PROG] + args)


def write_atomically(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise tc.ChartError(f"-o: the folder '{folder}' does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv):
    try:
        args = parse_args(argv)
        try:
            import pandas  # noqa: F401
            import plotly  # noqa: F401
        except ImportError as e:
            raise tc.ChartError(f"needs python3-plotly and python3-pandas ({e}); scripts/setup installs them")
        binary = tc.find_tradesim(args.tradesim)
        runs = tc.load_runs(order_folders(args.folders, args.baseline))
        countries = tc.parse_countries(runs, args.countries)
        write_atomically(args.output, build(runs, binary, args, countries))
    except tc.ChartError as e:
        print(f"error: {PROG}: {e}", file=sys.stderr)
        return 2
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
