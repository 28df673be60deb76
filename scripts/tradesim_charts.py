"""What the chart scripts share: reading run folders, colours that stay the same for a country
and for a scenario across every chart of a run set, policy dates from events.csv, and the
numbers `tradesim compare` computes (called, not reimplemented).

Used by scripts/plot.py (PNG charts) and scripts/report.py (the HTML report). Needs pandas.
"""
import json
import os
import re
import shutil
import subprocess

import pandas as pd


class ChartError(Exception):
    """Bad input or runs that cannot be drawn together: the scripts print it and exit 2."""


# 20 colours that stay apart from one another (Kelly's and Tableau's distinct sets, with the
# greys left out: grey is "other"). A country keeps its colour in every chart of a run set.
PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#393b79", "#f2c80f", "#637939", "#ad494a", "#a55194", "#00a6a6", "#6b3d00",
    "#ff9896", "#98df8a", "#9edae5", "#c5b0d5",
]
OTHER_COLOR = "#b0b0b0"
OTHER = "other"
BASELINE_COLOR = "#111111"
CHANNELS = ["direct", "licensed", "transshipped", "diverted", "remote"]
CHANNEL_COLORS = {
    "direct": "#4C78A8",
    "licensed": "#72B7B2",
    "transshipped": "#F58518",
    "diverted": "#E45756",
    "remote": "#B279A2",
}
STEPS = ("day", "week", "month", "quarter")  # time.step


def human(v):
    """A number in a label or on an axis: 1 decimal and k, M, B or T (63.6M), else 3 digits."""
    a = abs(v)
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{v / div:.1f}{suffix}"
    return f"{v:.3g}" if a else "0"


def safe_name(label, fallback="scenario"):
    """A label as a file name: runs of other characters than A-Z a-z 0-9 . _ - become "_"."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("_") or fallback


def strip_csv_guard(df):
    """tradesim writes text a spreadsheet would evaluate (=, +, -, @, ...) with a leading
    apostrophe (docs/reliability.md, "CSV safety"): remove it to get the ids back."""
    for col in df.columns:
        if df[col].dtype == object:
            s = df[col].astype(str)
            guarded = s.str.startswith("'")
            if guarded.any():  # the other cells keep their values (a missing one stays missing)
                df[col] = df[col].where(~guarded, s.str[1:])
    return df


def read_table(path):
    """A run folder's CSV with a `run` column (0 when the file has none) and parsed dates;
    None when the file does not exist."""
    if not os.path.isfile(path):
        return None
    try:
        df = pd.read_csv(path, keep_default_na=False, na_values=[],
                         dtype={"via": str, "buyer": str, "id": str, "detail": str, "actor": str})
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise ChartError(f"'{path}' is not a CSV file tradesim wrote ({e})") from e
    strip_csv_guard(df)
    if "run" not in df.columns:
        df.insert(0, "run", 0)
    if "date" in df.columns:
        df["date"] = pd.to_datetime(df["date"])
    return df


class Run:
    """One run folder (a single run or an ensemble): its label, manifest facts and tables."""

    def __init__(self, folder):
        self.folder = folder
        if not os.path.isdir(folder):
            raise ChartError(f"'{folder}' does not exist")
        if not os.path.isfile(os.path.join(folder, "countries.csv")):
            raise ChartError(f"'{folder}' is not a tradesim run folder (it has no countries.csv)")
        self.name = os.path.basename(os.path.normpath(folder))
        self.label = self.name
        self.manifest = {}
        path = os.path.join(folder, "manifest.json")
        if os.path.isfile(path):
            try:
                with open(path, encoding="utf-8") as f:
                    self.manifest = json.load(f)
            except (OSError, ValueError):
                self.manifest = {}
        if self.manifest.get("scenario_name"):
            self.label = self.manifest["scenario_name"]
        self.scenario_name = self.label
        # Where the observed record ends (YYYY-MM) and the first projected tick's date; None for
        # scenarios without time.observed_until.
        self.observed_until = self.manifest.get("observed_until")
        pf = self.manifest.get("projection_from")
        self.projection_from = pd.Timestamp(pf) if pf else None
        self.step = read_step(folder)
        self.countries = read_table(os.path.join(folder, "countries.csv"))
        self.flows = read_table(os.path.join(folder, "flows.csv"))
        self.revenue = read_table(os.path.join(folder, "revenue.csv"))
        self.events = read_table(os.path.join(folder, "events.csv"))
        self.runs = int(self.countries["run"].nunique())


def read_step(folder):
    """The scenario's time.step from scenario.resolved.yaml (month when it cannot be read)."""
    path = os.path.join(folder, "scenario.resolved.yaml")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return "month"
    m = re.search(r"^time:\s*\{[^}]*\bstep:\s*(\w+)", text, re.M) or \
        re.search(r"^time:\s*\n(?:[ \t]+.*\n)*?[ \t]+step:\s*(\w+)", text, re.M)
    return m.group(1) if m and m.group(1) in STEPS else "month"


def load_runs(folders):
    """The runs of the folders, labels made unique (a scenario run twice is told apart by its
    folder: "name [folder]")."""
    runs = [Run(f) for f in folders]
    seen = {}
    for r in runs:
        seen[r.label] = seen.get(r.label, 0) + 1
    for r in runs:
        if seen[r.label] > 1:
            r.label = f"{r.label} [{r.name}]"
    return runs


def per_step(runs):
    """The unit of a per-tick quantity: "per month" for the runs' shared step ("per tick" when
    their steps differ)."""
    steps = {r.step for r in runs}
    return f"per {steps.pop() if len(steps) == 1 else 'tick'}"


def country_colors(order, top=None):
    """Colours of countries ranked by size (`order`, largest first): the first `top` (at most
    as many as the palette has) get their own, the rest share the "other" grey. Returns the
    map and the list of countries drawn on their own."""
    n = min(len(PALETTE), top if top is not None else len(PALETTE))
    own = list(order[:n])
    colors = {c: PALETTE[i] for i, c in enumerate(own)}
    for c in order[n:]:
        colors[c] = OTHER_COLOR
    colors[OTHER] = OTHER_COLOR
    return colors, own


def scenario_colors(labels):
    """The first label (the baseline) black, the others the palette's colours in order."""
    colors = {}
    for i, label in enumerate(labels):
        colors[label] = BASELINE_COLOR if i == 0 else PALETTE[(i - 1) % len(PALETTE)]
    return colors


def policy_markers(run, start=None, end=None):
    """The policy dates of a run from events.csv: one (date, id, event) per policy that comes
    into force or lapses (run 0 of an ensemble: policies are the same in every run), in date
    order. Behaviour events (stockpiling launched, capacity) are left out."""
    ev = run.events
    if ev is None or ev.empty:
        return []
    ev = ev[(ev["run"] == ev["run"].min()) & ev["event"].isin(["in_force", "lapsed"])]
    if start is not None:
        ev = ev[ev["date"] >= start]
    if end is not None:
        ev = ev[ev["date"] <= end]
    ev = ev.drop_duplicates(["date", "id", "event"]).sort_values(["date", "id"])
    return [(d, i, e) for d, i, e in zip(ev["date"], ev["id"], ev["event"])]


def marker_label(policy_id, event):
    return policy_id if event == "in_force" else f"{policy_id} lapses"


def marker_key(runs, start=None, end=None):
    """One number per policy date over all runs, by date: [(number, date, [(label, labels of
    the runs that have it)])]."""
    found = {}
    for r in runs:
        for date, pid, event in policy_markers(r, start, end):
            found.setdefault(date, {}).setdefault(marker_label(pid, event), []).append(r.label)
    return [(i + 1, d, sorted(found[d].items())) for i, d in enumerate(sorted(found))]


def attributed(label, who, runs):
    """A policy's label, followed by the variants that have it when the baseline (the first
    run) does not: "us-h20-ban (chips-h20-banned)", "(every variant)", "(5 variants)"."""
    if len(runs) < 2 or runs[0].label in who:
        return label
    if len(who) == len(runs) - 1:
        return f"{label} (every variant)"
    return f"{label} ({', '.join(who)})" if len(who) <= 2 else f"{label} ({len(who)} variants)"


def policy_spans(run):
    """Per policy id: its first in-force date and its lapse date (None: in force to the end)."""
    spans = {}
    for date, pid, event in policy_markers(run):
        if event == "in_force":
            spans.setdefault(pid, [date, None])
        elif pid in spans and spans[pid][1] is None:
            spans[pid][1] = date
    return spans


def find_tradesim(explicit=None):
    """The tradesim binary: --tradesim, $TRADESIM, a build of this checkout, or PATH."""
    if explicit:
        return explicit
    if os.environ.get("TRADESIM"):
        return os.environ["TRADESIM"]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for preset in ("release", "ci", "dev"):
        path = os.path.join(root, "build", preset, "sim", "cli", "tradesim")
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("tradesim")
    if not found:
        raise ChartError("cannot find the tradesim binary (build it with scripts/build release, "
                         "or pass --tradesim PATH)")
    return found


def run_tradesim(binary, args, what="compare"):
    """Runs `tradesim ARGS` and returns its standard output; a refusal becomes a ChartError
    with tradesim's own reason."""
    try:
        p = subprocess.run([binary] + args, capture_output=True, text=True, check=False)
    except OSError as e:
        raise ChartError(f"cannot run {binary}: {e}") from e
    if p.returncode != 0:
        lines = [ln for ln in p.stderr.strip().splitlines() if ln.strip()]
        reason = lines[-1] if lines else f"exit code {p.returncode}"
        reason = re.sub(r"^error: tradesim \w+: ", "", reason)
        raise ChartError(f"tradesim {what} refuses these runs: {reason}")
    return p.stdout


def compare_table(binary, folders, extra=()):
    """`tradesim compare FOLDERS --format csv EXTRA` as a DataFrame (numbers as floats; one
    folder is compared with itself)."""
    args = ["compare"] + list(folders) + ([folders[0]] if len(folders) == 1 else [])
    out = run_tradesim(binary, args + ["--format", "csv"] + list(extra))
    from io import StringIO
    df = pd.read_csv(StringIO(out), keep_default_na=False, na_values=[""], dtype={"key": str, "via": str})
    strip_csv_guard(df)
    if len(folders) == 1:  # the folder against itself: keep one copy
        df = df.drop_duplicates(["scope", "key", "metric", "scenario"]).copy()
    for col in ("value", "p05", "p95", "diff", "diff_p05", "diff_p95", "diff_pct", "se", "diff_se", "runs"):
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce")
    return df


def comparable(binary, folders):
    """Raises ChartError with compare's reason when `tradesim compare` would refuse the runs
    (different countries, time spans, ...): charts never put such runs side by side."""
    if len(folders) > 1:
        run_tradesim(binary, ["compare"] + list(folders) + ["--metric", "imports_compute", "--format", "csv"])


SEIZED = "seized"
IN_TRANSIT = "in transit at the end"
OTHER_DESTINATIONS = "other destinations"


def route_totals(routes, scenario):
    """Per route of one scenario (rows of `compare --by route`): origin, via ("direct" for a
    direct shipment), destination, compute shipped, seized_compute, in_transit_compute, and
    arrived (shipped less seized less in transit: what reached the destination in the period)."""
    df = routes[(routes["scope"] == "route") & (routes["scenario"] == scenario)]
    df = df[df["metric"].isin(["compute", "seized_compute", "in_transit_compute"])]
    t = df.pivot_table(index=["origin", "via", "destination"], columns="metric", values="value",
                       aggfunc="sum", fill_value=0.0)
    for m in ("compute", "seized_compute", "in_transit_compute"):
        if m not in t.columns:
            t[m] = 0.0
    t["arrived"] = t["compute"] - t["seized_compute"] - t["in_transit_compute"]
    return t.reset_index()


def sankey_links(routes, scenario, top=8):
    """The nodes and links of a route Sankey: origin -> via (a hub, or "direct") -> destination,
    with the seized compute and the compute still in transit at the end of the period as sinks
    of their own, so each destination's inflow is the compute that reached it (compare's
    compute_used, rented compute included, for destinations that host no remote compute).
    Destinations past the `top` largest are merged into "other destinations".
    Returns (nodes, links): nodes [(column, name)], links [(source, target, value, kind)] with
    indices into nodes and kind "shipped", "arrived", "seized" or "in transit"."""
    t = route_totals(routes, scenario)
    t = t[t["compute"] > 0]
    by_dest = t.groupby("destination")["arrived"].sum().sort_values(ascending=False)
    keep = set(by_dest.index[:top])
    t = t.assign(dest=[d if d in keep else OTHER_DESTINATIONS for d in t["destination"]],
                 middle=["direct" if v == "direct" else f"via {v}" for v in t["via"]])
    nodes, index = [], {}

    def node(column, name):
        key = (column, name)
        if key not in index:
            index[key] = len(nodes)
            nodes.append(key)
        return index[key]

    links = {}

    def link(a, b, value, kind):
        if value > 0:
            links[(a, b, kind)] = links.get((a, b, kind), 0.0) + float(value)

    for origin in t.groupby("origin")["compute"].sum().sort_values(ascending=False).index:
        node(0, origin)
    for middle in t.groupby("middle")["compute"].sum().sort_values(ascending=False).index:
        node(1, middle)
    for dest in list(by_dest.index[:top]) + [OTHER_DESTINATIONS, SEIZED, IN_TRANSIT]:
        if dest in set(t["dest"]) or dest in (SEIZED, IN_TRANSIT):
            node(2, dest)
    for row in t.itertuples(index=False):
        o, m = node(0, row.origin), node(1, row.middle)
        link(o, m, row.compute, "shipped")
        link(m, node(2, row.dest), row.arrived, "arrived")
        link(m, node(2, SEIZED), row.seized_compute, "seized")
        link(m, node(2, IN_TRANSIT), row.in_transit_compute, "in transit")
    used = {a for a, _, _ in links} | {b for _, b, _ in links}
    keep_nodes = [i for i in range(len(nodes)) if i in used]
    renumber = {old: new for new, old in enumerate(keep_nodes)}
    nodes = [nodes[i] for i in keep_nodes]
    return nodes, [(renumber[a], renumber[b], v, k) for (a, b, k), v in links.items()]


def in_period(df, start, end):
    if df is None:
        return None
    mask = pd.Series(True, index=df.index)
    if start is not None:
        mask &= df["date"] >= start
    if end is not None:
        mask &= df["date"] <= end
    return df[mask]


def compute_column(runs):
    return "compute_used" if all("compute_used" in r.countries.columns for r in runs) else "imports_compute"


def country_ranking(runs, start, end):
    """Countries by size in the baseline over the period, largest first: the larger of a
    country's share of the compute acquired and its share of the supplier revenue billed to it
    (so a hub that is billed much but keeps little, like Singapore, ranks with the large
    destinations); then the rest in the scenario's order."""
    base = runs[0]
    comp = in_period(base.countries, start, end).groupby("country")[compute_column(runs)].sum()
    score = comp / comp.sum() if comp.sum() > 0 else comp * 0.0
    rev = in_period(base.revenue, start, end)
    if rev is not None and not rev.empty and rev["revenue_usd"].sum() > 0:
        billed = rev.groupby("billing_country")["revenue_usd"].sum()
        score = pd.concat([score, billed / billed.sum()], axis=1).max(axis=1)
    score = score[score > 0].sort_values(ascending=False, kind="stable")
    order = list(score.index)
    for r in runs:
        order += [c for c in r.countries["country"].unique() if c not in order]
    return order


def parse_countries(runs, text):
    """The codes of a --countries list ("CHN,USA"), each one of the runs' countries; None for
    none given."""
    if not text:
        return None
    countries = [c.strip() for c in text.split(",") if c.strip()]
    known = list(runs[0].countries["country"].unique())
    unknown = [c for c in countries if c not in known]
    if unknown:
        raise ChartError(f"unknown countr{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)} "
                         f"(the runs' countries: {', '.join(sorted(known))})")
    return countries


def run_set_colors(runs, start=None, end=None, top=8, countries=None):
    """The colours of the run set: (country colour map, countries drawn on their own);
    `countries` (from parse_countries) are drawn on their own, in their order."""
    order = country_ranking(runs, start, end)
    if countries:
        order = list(countries) + [c for c in order if c not in countries]
        top = len(countries)
    return country_colors(order, top)
