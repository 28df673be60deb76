#!/usr/bin/python3
"""tradesim benchmark harness (issue 9). Run through scripts/bench, which builds the release
binaries first.

Workloads: generated worlds S, M and L (tradesim generate), M with every market mechanism of
issue 16 (pools, schedules, soft routes and remote channels, clearing prices), the chip
baseline, an ensemble of 64 chip-baseline runs with 1 and 2 threads, and a scaling series (a
base world, then buyers, countries and offers doubled) for the cost growth exponents. For each:
wall time (median of --reps runs, min and max too), ticks/s, buyer-offer evaluations/s, peak RSS
of the process, bytes written; the engine's effective bandwidth (its byte-count model over the
tick-loop time, manifest.json "engine") as a share of the STREAM-style triad bandwidth measured
first, and per phase when the manifest has engine.phase_bytes. On the dense worlds, the numpy
peer (bench/peer_numpy.py: a simpler version of the same tick over buyers x offers) runs once on
the same scenario: peer_seconds is its tick-loop time, vs_peer = peer_seconds / tradesim's
median tick-loop time (above 1: tradesim is faster).

Results: a printed table, OUT/bench.csv (one row per workload), OUT/machine.txt. Standard
library only; the peer needs numpy and PyYAML (--no-peer skips it).
"""
import argparse
import csv
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types

PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer_numpy.py")
SIZES = {
    # name: countries, suppliers, products, buyers, hubs, ticks
    "S": (20, 10, 4, 200, 3, 120),
    "M": (60, 50, 5, 2000, 8, 260),
    "L": (200, 200, 5, 20000, 20, 520),
}
SMOKE_SIZES = {
    "S": (8, 3, 2, 20, 2, 12),
    "M": (10, 4, 2, 40, 2, 12),
    "L": (12, 5, 2, 80, 3, 12),
}
# Dense worlds (tradesim generate --offers-per-buyer all): every buyer considers every offer, so
# a tick costs buyers x offers, as in country-by-sector worlds (issue 21). 26 ticks each.
DENSE_SIZES = {
    "dense-S": (20, 10, 4, 200, 3, 26),
    "dense-M": (60, 50, 5, 2000, 8, 26),
    "dense-L": (200, 200, 5, 20000, 20, 26),
}
SMOKE_DENSE_SIZES = {  # more offers (15, 18, 21) than a sparse buyer's 12
    "dense-S": (8, 5, 3, 20, 2, 6),
    "dense-M": (10, 6, 3, 40, 2, 6),
    "dense-L": (12, 7, 3, 80, 3, 6),
}
# Scaling series: base, then one dimension doubled. Offers = suppliers x products.
SCALING_BASE = (40, 40, 5, 4000, 8, 52)
SMOKE_SCALING_BASE = (8, 3, 2, 20, 2, 8)


def run_measured(cmd, cwd=None):
    """Runs cmd; returns (wall seconds, peak RSS in bytes, exit code, stderr text)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss * 1024, proc.returncode, err.decode("utf-8", "replace")


def folder_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def generate(tradesim, size, path, seed=1, dense=False):
    if os.path.exists(path):
        return
    c, s, p, b, h, t = size
    cmd = [tradesim, "generate", "--countries", str(c), "--suppliers", str(s), "--products", str(p),
           "--buyers", str(b), "--hubs", str(h), "--ticks", str(t), "--seed", str(seed), "-o", path]
    if dense:
        cmd += ["--offers-per-buyer", "all"]
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"bench: generate failed ({' '.join(cmd)}):\n{r.stderr}")


def markets_overlay(base, path):
    """Writes a variant of generated world `base` that uses every mechanism of issue 16 at once:
    each supplier's offers share one capacity pool (90 % of their own capacities) and clear
    their prices within the tick, every offer's capacity is a linear schedule (+30 % over two
    years), the rival's tariff rate is a stepped schedule, every hub route's markup and
    detection rise with volume, and one buyer in ten rents compute in the first hub on a soft
    remote channel. The numbers are made up like the rest of the world: only the cost counts."""
    import re
    text = open(base, encoding="utf-8").read()
    section, supplier, offers, buyers, hubs, suppliers = None, None, [], [], [], []
    for line in text.splitlines():
        m = re.match(r"^([a-z_]+):", line)
        if m:
            section = m.group(1)
            continue
        if section == "suppliers":
            m = re.match(r"^  - id: (\S+)", line)
            if m:
                supplier = (m.group(1), [])
                suppliers.append(supplier)
            m = re.match(r"^      - \{product: (\S+), capacity: (\d+)", line)
            if m:
                supplier[1].append((m.group(1), int(m.group(2))))
        elif section == "buyers":
            m = re.match(r"^  - \{id: (\S+),", line)
            if m:
                buyers.append(m.group(1))
        elif section == "routes":
            m = re.match(r"^  - \{via: (\S+), .*capacity: (\d+)", line)
            if m:
                hubs.append((m.group(1), int(m.group(2))))
    name = os.path.splitext(os.path.basename(base))[0]
    out = [f"extends: {os.path.basename(base)}", f"name: {name}-markets", "suppliers:"]
    for sid, offs in suppliers:
        pool = max(1, round(0.9 * sum(c for _, c in offs)))
        out += [f"  - id: {sid}", "    pricing: clearing", "    price_adjustment: 0", f"    pools: {{fab: {pool}}}",
                "    offers:"]
        out += [f"      - {{product: {p}, uses: {{fab: 1}}, capacity: {{2024-01: {c}, "
                f"2026-01: {round(1.3 * c)}, interpolate: linear}}}}" for p, c in offs]
    out.append("routes:")
    out += [f"  - {{via: {h}, markup_doubles_at: {c}, detection_doubles_at: {2 * c}}}"
            for h, c in hubs]
    if hubs:
        out.append("buyers:")
        out += [f"  - {{id: {b}, remote: {{via: [{hubs[0][0]}], markup: 0.25, "
                f"markup_doubles_at: 500}}}}" for b in buyers[::10]]
    out += ["policies:", "  - {id: rival-tariff, rate: {2025-01: 0.25, 2026-01: 0.5, 2027-01: 0.35}}"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def triad(stream_bin, smoke):
    args = [stream_bin, "16", "3", "2"] if smoke else [stream_bin, "256", "10", "2"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(out.splitlines()))
    return {int(r["threads"]): float(r["gb_per_s"]) for r in rows}


def bench_run(tradesim, scenario, reps, extra, label, tmp):
    """Repeats one `tradesim run`; returns a result dict (medians over reps)."""
    walls, rss, written, loops = [], [], [], []
    engine = None
    for i in range(reps):
        out = os.path.join(tmp, f"{label}-{i}")
        cmd = [tradesim, "run", scenario, "-o", out, "--force", "--quiet"] + extra
        wall, peak, code, err = run_measured(cmd)
        if code != 0:
            sys.exit(f"bench: {label} failed (exit {code}): {' '.join(cmd)}\n{err}")
        walls.append(wall)
        rss.append(peak)
        written.append(folder_bytes(out))
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        if "engine" in manifest:
            engine = manifest["engine"]
            loops.append(engine["loop_seconds"])
        shutil.rmtree(out)
    return {
        "wall_s_median": statistics.median(walls),
        "wall_s_min": min(walls),
        "wall_s_max": max(walls),
        "peak_rss_mib": max(rss) / 2**20,
        "bytes_written": int(statistics.median(written)),
        "engine": engine,
        "loop_s_median": statistics.median(loops) if loops else None,
    }


def phase_shares(engine, top=3):
    """The phases of the tick that took the most time, with their shares of the tick loop
    (manifest.json engine.phase_seconds): "choice 41%, routes 22%, prices 12%"."""
    phases = (engine or {}).get("phase_seconds") or {}
    total = sum(phases.values())
    if total <= 0:
        return ""
    ranked = sorted(phases.items(), key=lambda kv: -kv[1])[:top]
    return ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in ranked)


def run_peer(peer, scenario):
    """Runs the numpy peer (bench/peer_numpy.py) once on `scenario`, single-threaded; returns its
    JSON (loop_seconds: the tick loop only)."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    r = subprocess.run([sys.executable, peer, scenario], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"bench: the numpy peer failed on {scenario} (exit {r.returncode}):\n{r.stderr}")
    return json.loads(r.stdout)


def phase_bandwidth(engine, triad_gb_per_s, top=3):
    """Per phase, its bytes over its seconds as a share of the triad bandwidth (manifest.json
    engine.phase_bytes and phase_seconds). Returns (text for the phases that took the most time,
    "shipping 3.1%, clearing 2.0%, routes 8.0%"; {phase: share}); ("", {}) without phase_bytes."""
    phase_bytes = (engine or {}).get("phase_bytes") or {}
    seconds = (engine or {}).get("phase_seconds") or {}
    shares = {k: b / seconds[k] / 1e9 / triad_gb_per_s for k, b in phase_bytes.items()
              if seconds.get(k, 0) > 0 and triad_gb_per_s > 0}
    ranked = sorted(shares, key=lambda k: -seconds[k])[:top]
    return ", ".join(f"{k} {100 * shares[k]:.1f}%" for k in ranked), shares


def print_peer_table(rows):
    """The dense worlds against the numpy peer, and the per-phase bandwidth shares (a table of
    its own, under 100 columns)."""
    rows = [r for r in rows if r.get("peer_seconds") not in (None, "") or r.get("phase_bandwidth")]
    if not rows:
        return
    print()
    print("tradesim's tick loop (median) against the numpy peer's (bench/peer_numpy.py, one run);")
    print("vs peer = peer s / tradesim s (above 1: tradesim is faster). Phase bandwidth: the")
    print("phases with the most time, bytes/s as a share of the triad (1 thread).")
    print()
    print("| workload | tradesim s | peer s | vs peer | phase bandwidth |")
    print("| --- | ---: | ---: | ---: | --- |")
    for r in rows:
        vs = r.get("vs_peer")
        print(f"| {r['workload']} | {fmt_num(r['loop_s_median'], 3)} | {fmt_num(r.get('peer_seconds'), 3)} | "
              f"{'-' if vs in (None, '') else f'{vs:.2f}x'} | {r.get('phase_bandwidth') or '-'} |")


def fmt_num(v, digits=2):
    if v is None or v == "":
        return "-"
    if isinstance(v, float):
        if v >= 1e6:
            return f"{v:.3g}"
        return f"{v:.{digits}f}"
    return str(v)


def make_row(name, size, res, extra_fields, bw, reps):
    """One row of bench.csv from a bench_run() result (res) and the triad bandwidths (bw)."""
    e = res["engine"] or {}
    loop = res["loop_s_median"]
    ticks = e.get("ticks")
    evals = e.get("evaluations")
    eff = e["bytes"] / loop / 1e9 if e and loop else None
    bandwidth_text, bandwidth_shares = phase_bandwidth(e, bw[1])
    row = {
        "workload": name,
        "countries": size[0] if size else "",
        "suppliers": size[1] if size else "",
        "products": size[2] if size else "",
        "buyers": size[3] if size else "",
        "hubs": size[4] if size else "",
        "ticks": ticks if ticks is not None else (size[5] if size else ""),
        "reps": reps,
        "wall_s_median": res["wall_s_median"],
        "wall_s_min": res["wall_s_min"],
        "wall_s_max": res["wall_s_max"],
        "loop_s_median": loop if loop is not None else "",
        "ticks_per_s": ticks / res["wall_s_median"] if ticks else "",
        "evaluations": evals if evals is not None else "",
        "evaluations_per_s": evals / loop if evals and loop else "",
        "ns_per_evaluation": 1e9 * loop / evals if evals and loop else "",
        "phases": phase_shares(e),
        "phase_bandwidth": bandwidth_text,
        "peak_rss_mib": res["peak_rss_mib"],
        "bytes_written": res["bytes_written"],
        "engine_gb_per_s": eff if eff is not None else "",
        "bandwidth_share": eff / bw[1] if eff is not None else "",
        "runs_per_s": "",
    }
    row.update({"bw_share_" + k: v for k, v in bandwidth_shares.items()})
    row.update(extra_fields)
    print(f"  {name}: median {res['wall_s_median']:.3f} s, peak {res['peak_rss_mib']:.0f} MiB",
          flush=True)
    return row


def bench_worlds(ctx):
    """The generated worlds S, M, L, the dense worlds (with the numpy peer), M with the market
    mechanisms and the chip baseline, as ctx.only selects."""
    args, only, sizes, reps, worlds, tmp, add_row = (ctx.args, ctx.only, ctx.sizes, ctx.reps,
                                                     ctx.worlds, ctx.tmp, ctx.add_row)
    chips = ctx.chips
    for name in ("S", "M", "L"):
        if name not in only:
            continue
        size = sizes[name]
        path = os.path.join(worlds, f"{name}-{'-'.join(map(str, size))}.yaml")
        generate(args.tradesim, size, path)
        res = bench_run(args.tradesim, path, reps, ["--detail", "country"], name, tmp)
        add_row(name, size, res, {"detail": "country", "threads": 1})

    dense_sizes = SMOKE_DENSE_SIZES if args.smoke else DENSE_SIZES
    for name, size in dense_sizes.items():
        if name not in only:
            continue
        path = os.path.join(worlds, f"{name}-{'-'.join(map(str, size))}.yaml")
        generate(args.tradesim, size, path, dense=True)
        res = bench_run(args.tradesim, path, reps, ["--detail", "none"], name, tmp)
        extra = {"detail": "none", "threads": 1}
        if not args.no_peer:
            peer = run_peer(PEER, path)
            extra["peer_seconds"] = peer["loop_seconds"]
            if res["loop_s_median"] and peer["loop_seconds"] > 0:
                extra["vs_peer"] = peer["loop_seconds"] / res["loop_s_median"]
        add_row(name, size, res, extra)
        if not args.no_peer:
            print(f"  {name}: numpy peer loop {peer['loop_seconds']:.3f} s, tradesim loop "
                  f"{res['loop_s_median'] or 0:.3f} s", flush=True)

    if "markets" in only:
        size = sizes["M"]
        base = os.path.join(worlds, f"M-{'-'.join(map(str, size))}.yaml")
        generate(args.tradesim, size, base)
        path = os.path.join(worlds, f"M-{'-'.join(map(str, size))}-markets.yaml")
        markets_overlay(base, path)
        res = bench_run(args.tradesim, path, reps, ["--detail", "country"], "M-markets", tmp)
        add_row("M-markets", size, res, {"detail": "country", "threads": 1})

    if "chips" in only:
        res = bench_run(args.tradesim, chips, reps, [], "chips", tmp)
        add_row("chips-baseline", None, res, {"detail": "buyer", "threads": 1})


def bench_ensemble(ctx):
    """64 chip-baseline runs (8 with --smoke) on 1 and 2 threads."""
    args, reps, chips, tmp, add_row, rows = ctx.args, ctx.reps, ctx.chips, ctx.tmp, ctx.add_row, ctx.rows
    if "ensemble" in ctx.only:
        # 1 and 2 threads alternate, repetition by repetition, so that load from elsewhere
        # on a shared machine falls on both alike; at least 5 repetitions (runs are short).
        runs = 8 if args.smoke else 64
        ens_reps = reps if args.smoke else max(5, reps)
        results = {1: [], 2: []}
        for i in range(ens_reps):
            for threads in (1, 2):
                results[threads].append(bench_run(
                    args.tradesim, chips, 1, ["--runs", str(runs), "--threads", str(threads)],
                    f"ensemble-t{threads}-{i}", tmp))
        per_thread = {}
        for threads in (1, 2):
            walls = [r["wall_s_median"] for r in results[threads]]
            res = {
                "wall_s_median": statistics.median(walls),
                "wall_s_min": min(walls),
                "wall_s_max": max(walls),
                "peak_rss_mib": max(r["peak_rss_mib"] for r in results[threads]),
                "bytes_written": results[threads][0]["bytes_written"],
                "engine": None,
                "loop_s_median": None,
            }
            per_thread[threads] = runs / res["wall_s_median"]
            row = add_row(f"ensemble-{runs}-t{threads}", None, res,
                          {"detail": "buyer", "threads": threads,
                           "runs_per_s": per_thread[threads], "ticks": ""})
            row["reps"] = ens_reps
        rows[-1]["speedup"] = per_thread[2] / per_thread[1]


def bench_scaling(ctx):
    """The scaling series; returns the growth exponents {label: exponent}."""
    args, reps, worlds, tmp, add_row, rows = ctx.args, ctx.reps, ctx.worlds, ctx.tmp, ctx.add_row, ctx.rows
    exponents = {}
    if "scaling" in ctx.only:
        base = SMOKE_SCALING_BASE if args.smoke else SCALING_BASE
        series = {
            "base": base,
            "buyers x2": (base[0], base[1], base[2], base[3] * 2, base[4], base[5]),
            "countries x2": (base[0] * 2, base[1], base[2], base[3], base[4], base[5]),
            "offers x2": (base[0], base[1] * 2, base[2], base[3], base[4], base[5]),
            "buyers+countries x2": (base[0] * 2, base[1], base[2], base[3] * 2, base[4], base[5]),
        }
        per_tick = {}
        for label, size in series.items():
            path = os.path.join(worlds, f"scale-{'-'.join(map(str, size))}.yaml")
            generate(args.tradesim, size, path)
            res = bench_run(args.tradesim, path, reps, ["--detail", "country"],
                            "scale-" + label.replace(" ", "").replace("+", "-"), tmp)
            per_tick[label] = res["loop_s_median"] / size[5]
            add_row("scale: " + label, size, res, {"detail": "country", "threads": 1})
        for label in series:
            if label == "base":
                continue
            exponents[label] = math.log2(per_tick[label] / per_tick["base"])
            rows.append({"workload": "exponent: " + label, "growth_exponent": exponents[label]})
    return exponents


def write_results(args, rows, bw):
    """Writes OUT/bench.csv and OUT/machine.txt; returns (the CSV's path, the CPU's name)."""
    fields = ["workload", "countries", "suppliers", "products", "buyers", "hubs", "ticks", "detail",
              "threads", "reps", "wall_s_median", "wall_s_min", "wall_s_max", "loop_s_median",
              "ticks_per_s", "evaluations", "evaluations_per_s", "ns_per_evaluation", "runs_per_s", "speedup",
              "peak_rss_mib", "bytes_written", "engine_gb_per_s", "bandwidth_share",
              "growth_exponent", "phases", "peer_seconds", "vs_peer", "phase_bandwidth"]
    fields += sorted({k for r in rows for k in r if k.startswith("bw_share_")})
    csv_path = os.path.join(args.out, "bench.csv")
    with open(csv_path + ".tmp", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerow({"workload": "triad-1t", "engine_gb_per_s": bw[1]})
        w.writerow({"workload": "triad-2t", "engine_gb_per_s": bw.get(2, "")})
        for r in rows:
            w.writerow({k: r.get(k, "") for k in fields})
    os.replace(csv_path + ".tmp", csv_path)

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open(os.path.join(args.out, "machine.txt"), "w", encoding="utf-8") as f:
        f.write(f"cpu: {cpu}\ncores: {os.cpu_count()}\ntriad_gb_per_s_1t: {bw[1]:.2f}\n"
                f"triad_gb_per_s_2t: {bw.get(2, 0):.2f}\ndate_utc: "
                f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n")
    return csv_path, cpu


def print_tables(rows, bw, cpu, reps, smoke, exponents):
    """The printed tables (markdown, for docs/performance.md) and the growth exponents."""
    print()
    print(f"machine: {cpu}, {os.cpu_count()} cores; STREAM triad {bw[1]:.1f} GB/s (1 thread), "
          f"{bw.get(2, bw[1]):.1f} GB/s (2 threads)")
    print()
    print("| workload | ticks | wall s (median of %d; ensembles %d) | ticks/s | evaluations/s | "
          "ns/evaluation | peak RSS MiB | written MB | engine GB/s | share of triad | largest phases |"
          % (reps, reps if smoke else max(5, reps)))
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        if r["workload"].startswith("exponent"):
            continue
        extra = ""
        if r.get("runs_per_s"):
            extra = f" ({r['runs_per_s']:.1f} runs/s" + (
                f", {r['speedup']:.2f}x" if r.get("speedup") else "") + ")"
        share = "-" if r["bandwidth_share"] == "" else f"{100 * r['bandwidth_share']:.1f} %"
        print(f"| {r['workload']}{extra} | {fmt_num(r['ticks'])} | {fmt_num(r['wall_s_median'], 3)} | "
              f"{fmt_num(r['ticks_per_s'], 1)} | {fmt_num(r['evaluations_per_s'], 0)} | "
              f"{fmt_num(r.get('ns_per_evaluation', ''), 0)} | "
              f"{fmt_num(r['peak_rss_mib'], 0)} | {r['bytes_written'] / 1e6:.1f} | "
              f"{fmt_num(r['engine_gb_per_s'])} | {share} | {r.get('phases') or '-'} |")
    print_peer_table(rows)
    if exponents:
        print()
        print("per-tick cost growth exponent (log2 of the tick-loop time ratio when doubled): " +
              ", ".join(f"{k} {v:.2f}" for k, v in exponents.items()))


def print_targets(rows, exponents, smoke):
    """The targets of issue 9 (informational: the harness reports, it does not fail on a busy
    machine)."""
    print()
    checks = []
    by_name = {r["workload"]: r for r in rows}
    if "L" in by_name and not smoke:
        r = by_name["L"]
        checks.append(("L <= 60 s, one thread, --detail country", r["wall_s_median"] <= 60,
                       f"{r['wall_s_median']:.1f} s"))
        checks.append(("L peak memory <= 4 GiB", r["peak_rss_mib"] <= 4096,
                       f"{r['peak_rss_mib']:.0f} MiB"))
    if "chips-baseline" in by_name:
        r = by_name["chips-baseline"]
        checks.append(("chip baseline <= 0.5 s", r["wall_s_median"] <= 0.5, f"{r['wall_s_median']:.3f} s"))
    if rows and any(r.get("speedup") for r in rows):
        sp = [r["speedup"] for r in rows if r.get("speedup")][0]
        checks.append(("ensemble 2 threads >= 1.7x of 1", sp >= 1.7, f"{sp:.2f}x"))
    for k, v in exponents.items():
        checks.append((f"per-tick cost exponent, {k} <= 1.1", v <= 1.1, f"{v:.2f}"))
    for name, ok, figure in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {name}: {figure}")




def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tradesim", required=True)
    ap.add_argument("--stream", required=True, help="the stream_triad binary")
    ap.add_argument("--root", required=True, help="the repository (for the chip baseline)")
    ap.add_argument("--out", default="out/bench")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per workload (median), >= 3")
    ap.add_argument("--only", default="S,M,L,dense-S,dense-M,dense-L,markets,chips,ensemble,scaling",
                    help="comma-separated workloads: S, M, L, dense-S, dense-M, dense-L (every buyer "
                         "considers every offer), markets (M with every mechanism of issue 16), chips, "
                         "ensemble, scaling")
    ap.add_argument("--no-peer", action="store_true",
                    help="do not run the numpy peer (bench/peer_numpy.py) on the dense worlds")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny sizes, one repetition: checks that the harness works (ctest)")
    args = ap.parse_args()
    only = set(args.only.split(","))
    unknown = only - {"S", "M", "L", "markets", "chips", "ensemble", "scaling"} - set(DENSE_SIZES)
    if unknown:
        sys.exit(f"bench: unknown workload(s) {', '.join(sorted(unknown))}")
    reps = 1 if args.smoke else max(3, args.reps)
    sizes = SMOKE_SIZES if args.smoke else SIZES
    os.makedirs(args.out, exist_ok=True)
    worlds = os.path.join(args.out, "worlds")
    os.makedirs(worlds, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="tradesim-bench-")
    chips = os.path.join(args.root, "scenarios", "chips", "baseline.yaml")
    rows = []

    try:
        bw = triad(args.stream, args.smoke)
        print(f"memory bandwidth (STREAM triad): {bw[1]:.1f} GB/s on 1 thread, "
              f"{bw.get(2, bw[1]):.1f} GB/s on 2", flush=True)


        def add_row(name, size, res, extra_fields):
            row = make_row(name, size, res, extra_fields, bw, reps)
            rows.append(row)
            return row

        ctx = types.SimpleNamespace(args=args, only=only, sizes=sizes, reps=reps, worlds=worlds,
                                    tmp=tmp, chips=chips, rows=rows, add_row=add_row)
        bench_worlds(ctx)
        bench_ensemble(ctx)
        exponents = bench_scaling(ctx)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    csv_path, cpu = write_results(args, rows, bw)
    print_tables(rows, bw, cpu, reps, args.smoke, exponents)
    print_targets(rows, exponents, args.smoke)
    print(f"\nresults: {csv_path}")

if __name__ == "__main__":
    main()
