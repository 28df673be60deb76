#!/usr/bin/python3
"""scripts/plot at scale: the 13 chip scenarios of scripts/run and a generated 120-country world.
Every PNG is at most 2000 x 2400 px (read from its header); countries and scenarios get colours
of their own; runs compare refuses are refused (exit 2, "compare refuses", nothing written); the
route diagram's labels stay inside the image; and what the route diagram draws into CHN is
compare's compute_used for CHN (relative 1e-6: compare's CSV rounds each route).

    check_plot_scale.py TRADESIM REPO_ROOT WORK_DIR
"""
import os
import re
import shutil
import struct
import subprocess
import sys


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def chip_names(root):
    with open(os.path.join(root, "scripts/run"), encoding="utf-8") as f:
        m = re.search(r"^chips=\(([^)]*)\)", f.read(), re.M)
    return m.group(1).split()


def main(argv):
    tradesim, root, work = os.path.abspath(argv[1]), argv[2], argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.environ["MPLCONFIGDIR"] = os.path.join(work, "mpl")
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    def run(*args, **kw):
        return subprocess.run([tradesim] + list(args), check=True, **kw)

    chips = []
    for name in chip_names(root):
        out = os.path.join(work, "chips-" + name)
        run("run", os.path.join(root, "scenarios/chips", name + ".yaml"), "-o", out, "--quiet",
            stderr=subprocess.DEVNULL)
        chips.append(out)
    check(len(chips) == 13 and chips[0].endswith("chips-baseline"), f"13 chip scenarios, baseline first: {chips}")
    world = os.path.join(work, "g120.yaml")
    run("generate", "--countries", "120", "--suppliers", "12", "--buyers", "400", "--products", "6", "--hubs", "8",
        "--ticks", "36", "-o", world, stdout=subprocess.DEVNULL)
    g120 = os.path.join(work, "g120")
    run("run", world, "-o", g120, "--quiet", stderr=subprocess.DEVNULL)

    plot = [os.path.join(root, "scripts/plot"), "--tradesim", tradesim]
    sets = {"chips": chips + ["--destination", "CHN"], "g120": [g120]}
    for name, args in sets.items():
        out = os.path.join(work, "charts-" + name)
        p = subprocess.run(plot + args + ["-o", out], capture_output=True, text=True)
        check(p.returncode == 0, f"plot {name}: exit {p.returncode}: {p.stderr}")
        pngs = sorted(f for f in os.listdir(out) if f.endswith(".png")) if os.path.isdir(out) else []
        check(len(pngs) == 3 + (13 if name == "chips" else 1), f"plot {name} wrote {pngs}")
        for f in pngs:
            w, h = png_size(os.path.join(out, f))
            check(w <= 2000 and h <= 2400, f"{name}/{f} is {w} x {h} px (at most 2000 x 2400)")
            print(f"{name}/{f}: {w} x {h} px")

    # Runs compare refuses (other countries): exit 2, the reason, nothing written.
    bad = os.path.join(work, "refused")
    p = subprocess.run(plot + [chips[0], g120, "-o", bad], capture_output=True, text=True)
    check(p.returncode == 2, f"incomparable runs: exit {p.returncode}")
    check("plot: error:" in p.stderr and "compare refuses" in p.stderr, f"incomparable runs: {p.stderr!r}")
    check(not os.path.exists(bad), "incomparable runs: nothing written")
    p = subprocess.run(plot + [chips[0], "--countries", "USA,XXX", "-o", bad], capture_output=True, text=True)
    check(p.returncode == 2 and "XXX" in p.stderr and "CHN" in p.stderr and not os.path.exists(bad),
          f"--countries with an unknown code: exit {p.returncode}, {p.stderr!r}")

    sys.path.insert(0, os.path.join(root, "scripts"))
    import plot as plot_py  # noqa: E402
    import plot_routes  # noqa: E402
    import tradesim_charts as tc  # noqa: E402

    # Colours: one per country of the top N, the same in every chart of the set; scenarios too.
    runs = tc.load_runs(chips)
    colors, own = plot_py.run_set_colors(runs, top=8)
    check(len(own) == 8 and len({colors[c] for c in own}) == 8, f"8 countries, 8 colours: {own}")
    check(tc.OTHER_COLOR not in {colors[c] for c in own}, "grey is only 'other'")
    for a, b in (("USA", "JPN"), ("SGP", "GBR"), ("USA", "CHN")):
        colors, _ = plot_py.run_set_colors(runs, top=8, countries=[a, b])
        check(colors[a] != colors[b], f"{a} and {b} have different colours")
    colors, own = plot_py.run_set_colors(runs, top=20)
    check(len(set(colors[c] for c in own)) == len(own), "20 countries, 20 colours")
    sc = tc.scenario_colors([r.label for r in runs])
    check(sc[runs[0].label] == tc.BASELINE_COLOR and len(set(sc.values())) == len(runs),
          "the baseline black, every scenario its own colour")

    # Units per the scenario's step, read from scenario.resolved.yaml: a weekly world says per week.
    weekly = os.path.join(work, "weekly.yaml")
    run("generate", "--countries", "6", "--suppliers", "3", "--products", "2", "--buyers", "30", "--hubs", "1",
        "--ticks", "300", "-o", weekly, stdout=subprocess.DEVNULL)
    run("run", weekly, "-o", os.path.join(work, "weekly"), "--quiet", "--detail", "none", stderr=subprocess.DEVNULL)
    wk = tc.load_runs([os.path.join(work, "weekly")])
    check(tc.per_step(wk) == "per week", f"a weekly world's unit: {tc.per_step(wk)}")
    check(tc.per_step(runs) == "per month", f"the chip world's unit: {tc.per_step(runs)}")
    check(tc.per_step(runs[:1] + wk) == "per tick", "runs of different steps: per tick")

    # The route diagram of the 120-country world: its labels inside the image.
    g = tc.load_runs([g120])
    gcolors, gown = plot_py.run_set_colors(g, top=8)
    ctx = {"colors": gcolors, "own": gown, "top": 8, "markers": []}
    _, fig = plot_routes.chart_routes(g[0], plot_routes.route_table(tradesim, g120), os.path.join(work, "tmp-routes"),
                                      None, None, None, ctx, keep_figure=True)
    check(plot_routes.labels_inside(fig), "the route diagram's labels lie inside the image")
    sizes = [t.get_fontsize() for t in fig.findobj(plot_py.matplotlib.text.Text) if t.get_text().strip()]
    check(min(sizes) >= 8, f"text of the route diagram at least 8 pt (smallest {min(sizes)})")

    # The route diagram's destination totals are compare's.
    drawn = plot_routes.drawn_destination_totals(tradesim, chips[0])
    used = tc.compare_table(tradesim, [chips[0]], ["--metric", "compute_used"])
    want = float(used[(used["key"] == "CHN") & (used["metric"] == "compute_used")]["value"].iloc[0])
    got = drawn.get("CHN", 0.0)
    check(abs(got - want) <= 1e-6 * max(1.0, abs(want)), f"CHN: the diagram draws {got}, compare says {want}")
    print(f"CHN: drawn {got:.4f}, compare compute_used {want:.4f}")

    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("ok: plot keeps its images within 2000 x 2400 px, colours apart, refuses what compare refuses")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
