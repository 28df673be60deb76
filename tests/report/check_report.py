#!/usr/bin/python3
"""`tradesim report` end to end: the chip world with its targets, an ensemble, a generated
120-country world, opened in headless Chromium (browser_check.py), the numbers held against
`tradesim compare`, and bad input refused with exit 2 and nothing written.

    check_report.py TRADESIM REPO_ROOT WORKDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
CHIPS = ["baseline", "no-controls", "controls-2022-only", "diffusion-rule-kept", "h20-banned", "h200-closed",
         "beijing-opens-h200", "hub-crackdown", "chip-tariff-232", "chip-tariff-broad", "strict-enforcement",
         "hq-rule-lifted", "affiliates-rule-back"]
failures = []


def fail(msg):
    print(f"FAIL: {msg}")
    failures.append(msg)


def run(cmd, expect=0):
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if p.returncode != expect:
        fail(f"{' '.join(cmd)} exited {p.returncode}, expected {expect}: {p.stderr[-800:]}")
    return p


def figures(path):
    """The data and layout of each plotly chart in the report, by its div id."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = {}
    dec = json.JSONDecoder()
    for m in re.finditer(r'Plotly\.newPlot\(\s*"([^"]+)",\s*', text):
        data, end = dec.raw_decode(text, m.end())
        rest = text[end:].lstrip(", \n")
        layout, _ = dec.raw_decode(rest)
        out[m.group(1)] = (data, layout)
    return out, text


def compare_csv(binary, folders, extra=()):
    import pandas as pd
    from io import StringIO
    p = run([binary, "compare"] + folders + ["--format", "csv"] + list(extra))
    return pd.read_csv(StringIO(p.stdout), keep_default_na=False, na_values=[""])


def browser(report, charts):
    p = subprocess.run(["/usr/bin/python3", os.path.join(here, "browser_check.py"), report, "--charts", str(charts)],
                       capture_output=True, text=True, check=False)
    print(p.stdout.strip())
    if p.returncode != 0:
        fail(f"browser check of {report}: {p.stdout[-1500:]} {p.stderr[-500:]}")


def check_sankey(figs, binary, folders, labels):
    """Each scenario's Sankey: the compute into each destination node equals compare's
    compute_used of that country (a destination merged into 'other' is skipped)."""
    cmp = compare_csv(binary, folders, ["--metric", "compute_used"])
    names = list(dict.fromkeys(cmp["scenario"]))  # compare's names, in the order of the folders
    cmp = cmp.assign(scenario=cmp["scenario"].map(dict(zip(names, labels))))
    cmp = cmp[cmp["scope"] == "country"]
    data, _ = figs["fig-routes"]
    if len(data) != len(labels):
        fail(f"{len(data)} Sankeys for {len(labels)} scenarios")
    checked = 0
    for trace, label in zip(data, labels):
        names = trace["node"]["customdata"]
        link = trace["link"]
        inflow = {}
        for t, v in zip(link["target"], link["value"]):
            inflow[names[t]] = inflow.get(names[t], 0.0) + v
        want = cmp[cmp["scenario"] == label].set_index("key")["value"]
        for name, v in inflow.items():
            if name in want.index:
                checked += 1
                if abs(v - want[name]) > 1e-6 * max(1.0, abs(want[name])):
                    fail(f"Sankey of {label}: {v} reaches {name}, compare says compute_used {want[name]}")
    if checked == 0:
        fail("no Sankey destination was checked against compare")
    return checked


def in_force_ids(folder):
    with open(os.path.join(folder, "events.csv"), encoding="utf-8") as f:
        return {line.split(",")[3] for line in f if ",in_force," in line}


def check_timeline(figs, folders, labels):
    """A Gantt bar per policy of each scenario's events.csv; a variant's policy whose dates are
    not the baseline's (or that the baseline lacks) starred."""
    data, _ = figs["fig-timeline"]
    base = in_force_ids(folders[0])
    for trace, folder, label in zip(data, folders, labels):
        names = [n.removesuffix(" *") for n in trace["y"]]
        if set(names) != in_force_ids(folder):
            fail(f"timeline of {label}: {sorted(names)} against events.csv {sorted(in_force_ids(folder))}")
        for n in trace["y"]:
            if n.removesuffix(" *") not in base and not n.endswith(" *"):
                fail(f"timeline of {label}: {n}, which the baseline lacks, is not starred")
    if not any(n.endswith(" *") for trace in data[1:] for n in trace["y"]):
        fail("no variant's timeline marks a policy that differs from the baseline")


def check_table(text, binary, folders, labels):
    """The headline table's exact values (the title of each cell) are compare's."""
    cmp = compare_csv(binary, folders, ["--metric", "compute_used"])
    world = cmp[(cmp["scope"] == "world") & (cmp["metric"] == "compute_used")].set_index("scenario")["value"]
    row = re.search(r"<tr><td>world</td><td>compute_used</td><td>[^<]*</td>(.*?)</tr>", text)
    if not row:
        fail("the headline table has no world compute_used row")
        return
    titles = [float(t.split(" ")[0]) for t in re.findall(r"<td title='([^']*)'", row.group(1))]
    for label, got in zip(labels, titles):
        want = world[label]
        if abs(got - want) > 1e-8 * max(1.0, abs(want)):
            fail(f"headline world compute_used of {label}: table {got}, compare {want}")
    if len(titles) != len(labels):
        fail(f"the world compute_used row has {len(titles)} values for {len(labels)} scenarios")


def chips(binary, root, work):
    dirs = []
    for c in CHIPS:
        d = os.path.join(work, f"chips-{c}")
        run([binary, "run", os.path.join(root, "scenarios/chips", c + ".yaml"), "-o", d, "--quiet", "--force"])
        dirs.append(d)
    out = os.path.join(work, "chips-report.html")
    run([binary, "report"] + dirs + ["--targets", os.path.join(root, "scenarios/chips/targets.yaml"), "-o", out])
    figs, text = figures(out)
    want = {"fig-timeline", "fig-compute", "fig-differences", "fig-routes", "fig-revenue", "fig-channels", "fig-fit"}
    if set(figs) != want:
        fail(f"chip report charts {sorted(figs)}, expected {sorted(want)}")
    labels = [json.load(open(os.path.join(d, "manifest.json")))["scenario_name"] for d in dirs]
    check_timeline(figs, dirs, labels)
    check_sankey(figs, binary, dirs, labels)
    check_table(text, binary, dirs, labels)
    if "observed record ends 2026-11" not in text:
        fail("the chip report does not say where the observed record ends")
    # The fit section lists every target of `tradesim fit`, with its model value.
    import pandas as pd
    from io import StringIO
    fit = pd.read_csv(StringIO(run([binary, "fit", dirs[0], "--targets", os.path.join(root, "scenarios/chips/targets.yaml"),
                                    "--format", "csv"]).stdout))
    section = text[text.index("<h2 id='fit'>"):]
    for ident, model in zip(fit["id"], fit["model"]):
        m = re.search(rf"<td title='[^']*'>{re.escape(ident)}</td>.*?<td title='([^']*)'>", section)
        if not m or abs(float(m.group(1)) - model) > 1e-8 * max(1.0, abs(model)):
            fail(f"the fit table's {ident}: {m.group(1) if m else 'missing'}, fit says {model}")
    browser(out, len(want))
    return dirs


def ensemble(binary, root, work):
    dirs = []
    for name in ("base", "export-control"):
        d = os.path.join(work, f"ens-{name}")
        run([binary, "run", os.path.join(root, f"scenarios/examples/policies/{name}.yaml"), "--runs", "3", "-o", d,
             "--quiet", "--force"])
        dirs.append(d)
    out = os.path.join(work, "ensemble-report.html")
    run([binary, "report"] + dirs + ["-o", out])
    figs, text = figures(out)
    if "fig-differences" in figs or "fig-fit" in figs or "fig-compute" not in figs:
        fail(f"ensemble report charts {sorted(figs)}")
    if "standard error" not in text or "±" not in text:
        fail("the ensemble report gives no standard errors")
    browser(out, len(figs))


def generated(binary, work):
    dirs = []
    world = os.path.join(work, "g120.yaml")
    run([binary, "generate", "--countries", "120", "--suppliers", "12", "--buyers", "400", "--products", "6",
         "--hubs", "8", "--ticks", "36", "-o", world, "--force"])
    for seed in ("1", "7"):
        d = os.path.join(work, f"g120-{seed}")
        run([binary, "run", world, "-o", d, "--quiet", "--force", "--seed", seed])
        dirs.append(d)
    out = os.path.join(work, "g120-report.html")
    run([binary, "report"] + dirs + ["-o", out, "--top", "6"])
    figs, _ = figures(out)
    for ident, (data, layout) in figs.items():
        if layout.get("width", 0) > 1400 or layout.get("height", 0) > 1400:
            fail(f"{ident} of the 120-country report is {layout.get('width')} x {layout.get('height')} px")
    labels = [f"{json.load(open(os.path.join(d, 'manifest.json')))['scenario_name']} [{os.path.basename(d)}]"
              for d in dirs]
    check_sankey(figs, binary, dirs, labels)
    browser(out, len(figs))


def bad_input(binary, root, work, chip_dirs):
    two = os.path.join(work, "two")
    run([binary, "run", os.path.join(root, "scenarios/examples/two-suppliers.yaml"), "-o", two, "--quiet", "--force"])
    cases = [
        ([chip_dirs[0], two], ["compare refuses these runs", "cover different time spans"]),
        ([chip_dirs[0], "--countries", "CHN,XYZ"], ["unknown country XYZ"]),
        ([os.path.join(work, "nowhere")], ["does not exist"]),
        ([chip_dirs[0], "--targets", os.path.join(work, "none.yaml")], ["does not exist"]),
        ([chip_dirs[0], "--top", "0"], ["--top"]),
    ]
    for args, words in cases:
        out = os.path.join(work, "bad.html")
        p = run([binary, "report"] + args + ["-o", out], expect=2)
        for w in words:
            if w not in p.stderr:
                fail(f"report {' '.join(args)}: stderr lacks '{w}': {p.stderr.strip()}")
        if not p.stderr.startswith("error: tradesim report: "):
            fail(f"report {' '.join(args)}: stderr does not start with 'error: tradesim report: ': {p.stderr}")
        if os.path.exists(out) or any(n.startswith(".report-") for n in os.listdir(work)):
            fail(f"report {' '.join(args)} wrote a file")
    p = run([binary, "report", chip_dirs[0]], expect=2)
    if "-o" not in p.stderr:
        fail(f"a report without -o: {p.stderr}")
    # The browser check itself fails a broken page.
    broken = os.path.join(work, "broken.html")
    with open(broken, "w", encoding="utf-8") as f:
        f.write("<html><head><script src='https://cdn.example.org/plotly.js'></script></head><body>"
                "<div class='plotly-graph-div'></div><script>undefinedFunction();</script></body></html>")
    p = subprocess.run(["/usr/bin/python3", os.path.join(here, "browser_check.py"), broken, "--charts", "1"],
                       capture_output=True, text=True, check=False)
    for w in ("external URL", "console", "0 of 1 charts rendered"):
        if p.returncode != 1 or w not in p.stdout:
            fail(f"browser_check passes a broken page or misses '{w}': {p.stdout}")


def main(argv):
    binary, root, work = argv[1], argv[2], argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    chip_dirs = chips(binary, root, work)
    ensemble(binary, root, work)
    generated(binary, work)
    bad_input(binary, root, work, chip_dirs)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok: chip, ensemble and 120-country reports render offline; numbers match compare; bad input refused")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
