#!/usr/bin/python3
"""A numpy peer for the benchmark (issue 21, item 5): a simpler version of tradesim's tick, written
the way an analyst would write it in plain vectorised numpy, over buyers x offers.

    /usr/bin/python3 bench/peer_numpy.py WORLD.yaml [--chunk N]

WORLD.yaml is a world written by `tradesim generate --offers-per-buyer all` (every buyer
considers every offer, with equal taste weights). Each tick:

  1. the policies in force this tick (`from`/`until` rounded to the nearest tick boundary, as in
     docs/model.md "Time"); when that set changes, the route factors are rebuilt from the export
     controls (the two-leg rule of docs/policies.md: `exports`/`reexports`, prohibited or
     licensed legs, approvals multiplied, a prohibited second leg through a hub = diverted) and
     the enforcement policies (detection on hub routes), and the tariff table (importer x customs
     origin) from the tariffs;
  2. capacity = capacity * (price / base price)^supply_elasticity;
  3. per buyer country x offer, the landed cost per compute unit of the direct route and of every
     hub route, price * (1 + tariff) * (1 + markup) / compute (/ approval when licensed; inf when
     blocked), and its minimum over the routes; buyers with risk_tolerance r > 0 also see the
     diverted hub routes, at price * (1 + markup) / compute * (1 + d/r) / (1 - d), no tariff;
  4. per buyer x offer (the buyer's row of its country's costs): CES choice with the buyer's own
     substitution sigma and price elasticity eta: P = (sum_i a_i c_i^(1-sigma))^(1/(1-sigma)),
     a_i = 1/offers, Q = demand (1+growth)^t (P/reference_cost)^(-eta) + backlog,
     q_i = a_i (c_i/P)^(-sigma) Q compute units, q_i / compute units of the offer;
  5. pro-rata clearing: every offer ships min(1, (stock + capacity) / orders) of each order;
     then 3 re-choice rounds (--rechoice): a rationed buyer spreads the compute it still lacks
     over the offers not exhausted, in proportion to its CES quantities, cleared pro rata again;
     produced = clamp(orders + capacity - stock, 0, capacity); the buyer carries its `backlog`
     share of what it did not get into the next tick;
  6. price adjustment toward excess demand: price *= 1 + step (orders - capacity) / capacity,
     never below unit_cost nor by more than -50 % a tick; the step halves when the sign of excess
     demand changes and recovers by 20 % a tick up to `price_adjustment` (docs/model.md, Prices).

Simplified relative to the engine (so the peer does less work per evaluation than tradesim):
re-choice keeps each offer's route (the engine re-prices a pair whose route ran out); hub routes
have no capacity; quotas,
export fees, import restrictions, announcements (anticipation), `buyers` selectors and border
enforcement are ignored; a licensed route is priced as cost / approval but ships at once (no
licence queue, delay or random decision); no seizures, transit delays, deliveries, stock of
inputs, pools or schedules; no records, no output files, no invariant checks. Only what
`tradesim generate` writes is read: a hand-written scenario with other keys is read as far as
these keys go.

Output on stdout, one JSON object: ticks, buyers, offers, evaluations (buyers x offers x ticks),
parse_seconds (reading the YAML and building the arrays), loop_seconds (the tick loop only),
total_seconds, peak_rss_mib, and a few totals of the run (units shipped, unmet compute, mean
price) to compare against tradesim's outputs. Single-threaded when OMP_NUM_THREADS=1 and
OPENBLAS_NUM_THREADS=1 (the harness sets them; the loop uses no BLAS call anyway).
"""
import argparse
import calendar
import datetime
import json
import resource
import sys
import time

import numpy as np
import yaml


def add_months(d, n):
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def as_date(v):
    if isinstance(v, datetime.date):
        return v
    parts = [int(p) for p in str(v).split("-")]
    return datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


def tick_boundaries(time_spec):
    start, step, ticks = as_date(time_spec["start"]), time_spec.get("step", "month"), time_spec["ticks"]
    if step in ("day", "week"):
        days = 1 if step == "day" else 7
        return [start + datetime.timedelta(days=days * t) for t in range(ticks + 1)]
    months = 3 if step == "quarter" else 1
    return [add_months(start, months * t) for t in range(ticks + 1)]


def nearest_tick(bounds, d, default):
    """The tick boundary nearest to date d (a policy is in force in a tick it covers at least
    half of; a midpoint counts for the policy)."""
    if d is None:
        return default
    d = as_date(d)
    if d <= bounds[0]:
        return 0
    for t in range(len(bounds) - 1):
        if d <= bounds[t + 1]:
            return t if (d - bounds[t]) * 2 <= (bounds[t + 1] - bounds[t]) else t + 1
    return len(bounds)  # after the last tick


class World:
    """The generated scenario as flat arrays: countries C, offers O, buyers B, hubs H."""

    def __init__(self, doc):
        self.codes = [c["code"] for c in doc["countries"]]
        self.index = {c: i for i, c in enumerate(self.codes)}
        self.groups = {c["code"]: set(c.get("groups", [])) for c in doc["countries"]}
        self.products = {p["id"]: p for p in doc["products"]}
        offers = [(s, o) for s in doc["suppliers"] for o in s["offers"]
                  if self.products[o["product"]].get("compute", 0) > 0]
        self.offer_product = [o["product"] for _, o in offers]
        col = lambda key, default=0.0: np.array([float(o.get(key, default)) for _, o in offers])
        self.price = col("price")
        self.base_price = self.price.copy()
        self.unit_cost = col("unit_cost")
        self.capacity = col("capacity", np.inf)
        self.elasticity = col("supply_elasticity")
        self.adjust = np.array([float(s.get("price_adjustment", 0.0)) for s, _ in offers])
        self.compute = np.array([float(self.products[p]["compute"]) for p in self.offer_product])
        made_in = [s.get("made_in", s["jurisdiction"]) for s, _ in offers]
        self.made_in = np.array([self.index[m] for m in made_in])
        self.ships_from = np.array([self.index[s.get("ships_from", m)] for (s, _), m in zip(offers, made_in)])
        self.jurisdiction = np.array([self.index[s["jurisdiction"]] for s, _ in offers])
        buyers = doc["buyers"]
        bcol = lambda key, default=0.0: np.array([float(b.get(key, default)) for b in buyers])
        self.buyer_country = np.array([self.index[b["country"]] for b in buyers])
        self.demand, self.growth = bcol("demand"), bcol("growth")
        self.reference_cost = bcol("reference_cost", 1.0)
        self.eta, self.sigma = bcol("price_elasticity"), bcol("substitution", 1.0)
        self.sigma[self.sigma == 1.0] = 1.0 + 1e-9  # the Cobb-Douglas limit, numerically
        self.risk, self.backlog_share = bcol("risk_tolerance"), bcol("backlog")
        routes = doc.get("routes") or []
        self.hub = np.array([self.index[r["via"]] for r in routes], dtype=int)
        self.markup = np.array([float(r.get("markup", 0.0)) for r in routes])
        self.detection = np.array([float(r.get("detection", 0.0)) for r in routes])
        self.bounds = tick_boundaries(doc["time"])
        self.ticks = int(doc["time"]["ticks"])
        self.policies = []
        for p in doc.get("policies") or []:
            if p.get("type") in ("export_control", "tariff", "enforcement"):
                self.policies.append((p, nearest_tick(self.bounds, p.get("from"), 0),
                                      nearest_tick(self.bounds, p.get("until"), self.ticks)))

    def countries_selected(self, sel, default=True):
        """Country selector ({all, countries, groups, except}) as a bool array over countries."""
        if sel is None:
            return np.full(len(self.codes), default)
        out = np.zeros(len(self.codes), dtype=bool)
        for i, c in enumerate(self.codes):
            hit = bool(sel.get("all")) or c in sel.get("countries", []) or \
                bool(self.groups[c] & set(sel.get("groups", [])))
            out[i] = hit and c not in sel.get("except", [])
        return out

    def offers_selected(self, sel):
        """Product selector (all, ids, bounds, any) as a bool array over offers."""
        def holds(s, prod):
            if "any" in s:
                return any(holds(a, prod) for a in s["any"])
            if s.get("all"):
                return True
            ok = "ids" not in s or prod["id"] in s["ids"]
            for key, v in s.items():
                if key.endswith("_min"):
                    ok = ok and key[:-4] in prod and prod[key[:-4]] >= v
                elif key.endswith("_max"):
                    ok = ok and key[:-4] in prod and prod[key[:-4]] < v
            return ok
        sel = sel or {"all": True}
        cache = {pid: holds(sel, prod) for pid, prod in self.products.items()}
        return np.array([cache[p] for p in self.offer_product])


def leg_status(w, controls, src, dst):
    """Prohibited (bool) and licence approval (product) of legs src -> dst of every offer, under
    the export controls in force. src: (O,) country per offer; dst: (..., 1) countries."""
    shape = np.broadcast_shapes(src.shape, dst.shape)
    prohibited, approval = np.zeros(shape, dtype=bool), np.ones(shape)
    for p in controls:
        g = w.index[p["by"]]
        covers = p.get("covers", ["exports"])
        leg = np.zeros(shape, dtype=bool)
        if "exports" in covers:
            leg |= src == g
        if "reexports" in covers:
            leg |= (w.jurisdiction == g) & (src != g)
        leg &= w.offers_selected(p.get("products")) & w.countries_selected(p.get("destinations"))[dst]
        lic = p.get("license")
        if lic is None or float(lic.get("approval", 0.0)) <= 0.0:
            prohibited |= leg
        else:
            approval = np.where(leg, approval * float(lic["approval"]), approval)
    return prohibited, approval


def build_routes(w, in_force):
    """Route factors for the policies in force: legal[r, c, o] multiplies price * (1 + tariff) /
    compute (r 0 direct, 1.. the hubs; inf when blocked or diverted), diverted[h, c, o]
    multiplies price / compute (inf unless the route is diverted: markup and leg-1 licence
    included), detect[h, o] the detection, tariff[c, o]."""
    C, O, H = len(w.codes), len(w.price), len(w.hub)
    controls = [p for p in in_force if p["type"] == "export_control"]
    dst = np.arange(C)[:, None]
    d_pro, d_app = leg_status(w, controls, w.ships_from, dst)
    legal = np.empty((H + 1, C, O))
    legal[0] = np.where(d_pro, np.inf, 1.0 / d_app)
    diverted = np.full((H, C, O), np.inf)
    detect = np.repeat(w.detection[:, None], O, axis=1)
    for h, hub in enumerate(w.hub):
        l1_pro, l1_app = leg_status(w, controls, w.ships_from, np.array([[hub]]))
        l2_pro, l2_app = leg_status(w, controls, np.full(O, hub), dst)
        usable = ~l1_pro[0] & (w.ships_from != hub) & (np.arange(C)[:, None] != hub)
        legal[h + 1] = np.where(usable & ~l2_pro, (1 + w.markup[h]) / (l1_app * l2_app), np.inf)
        diverted[h] = np.where(usable & l2_pro, (1 + w.markup[h]) / l1_app, np.inf)
        for p in in_force:
            if p["type"] == "enforcement" and p.get("at") != "border":
                by = w.index[p["by"]]
                hit = ((by == hub) | (w.jurisdiction == by)) & w.offers_selected(p.get("products")) \
                    & w.countries_selected(p.get("destinations"))[hub]
                detect[h] = np.where(hit, 1 - (1 - detect[h]) * (1 - float(p["detection"])), detect[h])
    tariff = np.zeros((C, O))
    for p in in_force:
        if p["type"] == "tariff":
            tariff += float(p["rate"]) * (np.arange(C)[:, None] == w.index[p["by"]]) \
                * w.countries_selected(p.get("origins"))[w.made_in] * w.offers_selected(p.get("products"))
    return {"legal": legal, "diverted": diverted, "detect": detect, "tariff": tariff,
            "div_countries": np.isfinite(diverted).any(axis=(0, 2)),
            "div_hubs": np.flatnonzero(np.isfinite(diverted).any(axis=(1, 2)))}


def landed_costs(w, rows, routes, cost_co, div_co):
    """Landed cost per compute unit of buyers `rows` x offers: their country's cheapest legal
    route, or a diverted hub route when the buyer tolerates risk and that is cheaper."""
    country = w.buyer_country[rows]
    c = cost_co[country]
    if div_co is None:
        return c
    r = w.risk[rows]
    risky = np.flatnonzero((r > 0) & routes["div_countries"][country])
    if len(risky):
        sub = c[risky]
        country = country[risky]
        for h in routes["div_hubs"]:
            d = routes["detect"][h]  # detection per offer
            k = (1 + d[None, :] / r[risky, None]) / np.maximum(1 - d[None, :], 1e-300)
            np.minimum(sub, div_co[h][country] * np.where(d < 1, k, np.inf), out=sub)
        c[risky] = sub
    return c


def choose(w, rows, c, t, backlog):
    """CES choice of buyers `rows` over costs c (rows x offers): units ordered per offer (rows x
    offers) and composite demand Q per buyer."""
    sigma = w.sigma[rows][:, None]
    m = c.min(axis=1)
    none = ~np.isfinite(m)
    x = c
    x /= np.where(none, 1.0, m)[:, None]             # scaled by the cheapest: safe powers
    y = np.power(x, 1.0 - sigma)                     # x^(1-sigma), 0 where unusable (sigma > 1)
    if (sigma <= 1).any():
        y[~np.isfinite(x)] = 0.0
    a = 1.0 / c.shape[1]
    s = a * y.sum(axis=1)                            # (P/m)^(1-sigma)
    s1 = np.where(none | (s <= 0), 1.0, s)
    price_index = np.where(none, np.inf, m * s1 ** (1.0 / (1.0 - sigma[:, 0])))
    base = w.demand[rows] * (1 + w.growth[rows]) ** t
    q_total = np.where(none, 0.0, base * (price_index / w.reference_cost[rows]) ** (-w.eta[rows])
                       + backlog[rows])
    # q_i = a x_i^-sigma (P/m)^sigma Q; x^-sigma = y / x
    scale = a * q_total * s1 ** (sigma[:, 0] / (1.0 - sigma[:, 0]))
    y /= x                                           # x^-sigma (x >= 1; 0 where x is inf)
    y *= scale[:, None]
    y /= w.compute                                   # compute units -> units of the offer
    return y, np.where(none, base + backlog[rows], q_total)


def clear(w, parts, orders, avail, rounds):
    """Pro-rata clearing of the CES orders in `parts` (rows, units, Q) against what each offer
    can ship, then `rounds` re-choice rounds: a rationed buyer spreads what it still lacks over
    the offers not exhausted, in proportion to its CES quantities. Returns orders (all rounds),
    shipped per offer and unmet compute per buyer."""
    got = np.zeros(len(w.buyer_country))
    remaining = avail.copy()
    requests = [units for _, units, _ in parts]
    total_orders = orders.copy()
    for r in range(rounds + 1):
        fill = np.where(orders > remaining, remaining / np.where(orders > 0, orders, 1.0), 1.0)
        remaining = np.maximum(remaining - np.minimum(orders, remaining), 0.0)
        for (rows, _, _), req in zip(parts, requests):
            got[rows] += req @ (fill * w.compute)
        open_offers = remaining > 1e-9 * np.maximum(avail, 1.0)
        if r == rounds or not open_offers.any():
            break
        orders = np.zeros(len(w.price))
        for i, (rows, units, q_total) in enumerate(parts):
            short = q_total - got[rows]
            short[short < 1e-9 * np.maximum(q_total, 1.0)] = 0.0
            wts = units * open_offers  # CES quantities (units) of the offers left
            total = wts @ w.compute
            per = np.where(total > 0, short / np.where(total > 0, total, 1.0), 0.0)
            requests[i] = wts * per[:, None]
            orders += requests[i].sum(axis=0)
        if not orders.any():
            break
        total_orders += orders
    unmet = np.zeros(len(w.buyer_country))
    for rows, _, q_total in parts:
        unmet[rows] = np.maximum(q_total - got[rows], 0.0)
    return total_orders, avail - remaining, unmet


def run(w, chunk, rechoice):
    """The tick loop. Returns totals for comparison with tradesim."""
    O, B = len(w.price), len(w.buyer_country)
    stock = w.capacity.copy()
    stock[~np.isfinite(stock)] = 0.0
    step, last_excess = w.adjust.copy(), np.zeros(O)
    backlog = np.zeros(B)
    rows_per_chunk = max(1, chunk // max(O, 1))
    key, routes = None, None
    shipped_total = unmet_total = 0.0
    for t in range(w.ticks):
        in_force = [p for p, f, u in w.policies if f <= t < u]
        if key != tuple(id(p) for p in in_force):
            key, routes = tuple(id(p) for p in in_force), build_routes(w, in_force)
        legal, diverted, tariff = routes["legal"], routes["diverted"], routes["tariff"]
        capacity = w.capacity * (w.price / w.base_price) ** w.elasticity
        per_unit = w.price / w.compute
        cost_co = (per_unit * (1 + tariff)) * legal[0]
        for r in range(1, len(legal)):
            np.minimum(cost_co, (per_unit * (1 + tariff)) * legal[r], out=cost_co)
        div_co = diverted * per_unit if len(routes["div_hubs"]) else None
        orders = np.zeros(O)
        parts = []
        for lo in range(0, B, rows_per_chunk):
            rows = np.arange(lo, min(B, lo + rows_per_chunk))
            units, q_total = choose(w, rows, landed_costs(w, rows, routes, cost_co, div_co), t, backlog)
            orders += units.sum(axis=0)
            parts.append((rows, units, q_total))
        avail = stock + capacity
        orders, shipped, unmet = clear(w, parts, orders, avail, rechoice)
        backlog = w.backlog_share * unmet
        unmet_total += unmet.sum()
        shipped_total += shipped.sum()
        produced = np.clip(orders + capacity - stock, 0.0, capacity)
        stock = np.where(np.isfinite(capacity), stock + produced - shipped, 0.0)
        # Price adjustment toward excess demand, with the adaptive step.
        finite = np.isfinite(capacity) & (capacity > 0) & (w.adjust > 0)
        excess = np.where(finite, (orders - capacity) / np.where(finite, capacity, 1.0), 0.0)
        flip = np.sign(excess) * np.sign(last_excess) < 0
        step = np.where(flip, step / 2, np.minimum(w.adjust, step * 1.2))
        change = np.maximum(-0.5, step * excess)
        w.price = np.where(finite, np.maximum(w.unit_cost, w.price * (1 + change)), w.price)
        last_excess = np.where(excess != 0, excess, last_excess)
    return {"units_shipped": shipped_total, "unmet_compute": unmet_total,
            "mean_price": float(w.price.mean()) if O else 0.0}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("--chunk", type=int, default=1 << 18,
                    help="buyer x offer cells per block of buyers (default 262144: a block's "
                         "arrays stay in cache); 0: all buyers at once")
    ap.add_argument("--rechoice", type=int, default=3,
                    help="re-choice rounds after the first clearing round (the engine's default, 3)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    with open(args.scenario, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if "extends" in doc:
        sys.exit("peer_numpy: scenarios with `extends` are not read; give a generated world")
    w = World(doc)
    t1 = time.perf_counter()
    chunk = args.chunk if args.chunk > 0 else max(1, len(w.price)) * max(1, len(w.buyer_country))
    totals = run(w, chunk, args.rechoice)
    t2 = time.perf_counter()
    B, O = len(w.buyer_country), len(w.price)
    print(json.dumps({
        "peer": "numpy", "numpy": np.__version__, "scenario": args.scenario,
        "ticks": w.ticks, "buyers": B, "offers": O, "evaluations": B * O * w.ticks,
        "parse_seconds": round(t1 - t0, 6), "loop_seconds": round(t2 - t1, 6),
        "total_seconds": round(t2 - t0, 6),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **{k: round(v, 6) for k, v in totals.items()},
    }))


if __name__ == "__main__":
    main()
