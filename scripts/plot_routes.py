"""Route diagrams of scripts/plot: origin -> via -> destination from `tradesim compare --by
route` (tradesim_charts.sankey_links), so each destination's inflow is the compute compare says
reached it; the compute seized and the compute still in transit at the end of the period are
sinks of their own. Drawn with matplotlib (cubic bands), at most 2000 x 1300 px, every label
inside the image (the axes widen until they fit)."""
import os

from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

import tradesim_charts as tc
from tradesim_charts import IN_TRANSIT, OTHER_DESTINATIONS, SEIZED

OTHER_ORIGINS = "other origins"
OTHER_HUBS = "via other hubs"
SEIZED_COLOR = "#7a0019"
TRANSIT_COLOR = "#e8e8e8"
LABEL_IN = 0.19  # inches one label line takes (8-9 pt with its spacing)


def route_table(binary, folder, start=None, end=None):
    """`tradesim compare FOLDER --by route` (the period's rows) as a DataFrame."""
    extra = ["--by", "route"]
    if start is not None:
        extra += ["--from", f"{start:%Y-%m-%d}"]
    if end is not None:
        extra += ["--to", f"{end:%Y-%m-%d}"]
    return tc.compare_table(binary, [folder], extra)


def merge_column(nodes, links, column, keep, name):
    """Nodes of `column` past the first `keep` merged into one named `name`."""
    members = [i for i, (col, _) in enumerate(nodes) if col == column]
    if len(members) <= keep + 1:
        return nodes, links
    merged = set(members[keep:])
    new_nodes, renumber = [], {}
    other = None
    for i, nd in enumerate(nodes):
        if i in merged:
            if other is None:
                other = len(new_nodes)
                new_nodes.append((column, name))
            renumber[i] = other
        else:
            renumber[i] = len(new_nodes)
            new_nodes.append(nd)
    acc = {}
    for a, b, v, k in links:
        key = (renumber[a], renumber[b], k)
        acc[key] = acc.get(key, 0.0) + v
    return new_nodes, [(a, b, v, k) for (a, b, k), v in acc.items()]


def merge_destinations(nodes, links, own):
    """Destinations outside `own` (the countries with colours of their own) merged into "other
    destinations", so the diagram names the countries the other charts colour."""
    keep = set(own) | {SEIZED, IN_TRANSIT}
    rename = {i: (2, OTHER_DESTINATIONS) for i, (col, name) in enumerate(nodes) if col == 2 and name not in keep}
    if not rename:
        return nodes, links
    named = [nd for i, nd in enumerate(nodes) if i not in rename]
    order = [nd for nd in named if nd[0] != 2 or nd[1] not in (SEIZED, IN_TRANSIT)] + [(2, OTHER_DESTINATIONS)] + \
        [nd for nd in named if nd[0] == 2 and nd[1] in (SEIZED, IN_TRANSIT)]
    index = {nd: i for i, nd in enumerate(order)}
    acc = {}
    for a, b, v, k in links:
        key = (index[rename.get(a, nodes[a])], index[rename.get(b, nodes[b])], k)
        acc[key] = acc.get(key, 0.0) + v
    return order, [(a, b, v, k) for (a, b, k), v in acc.items()]


def route_links(routes, scenario, top=8, destination=None, own=None):
    """The drawn nodes and links: sankey_links of the scenario's routes (only those to
    `destination` when given; destinations past the `top` largest, or outside `own` when
    given, merged into "other destinations"), origins past the `top` largest and hubs past
    the `top` busiest merged."""
    if destination:
        routes = routes[routes["destination"] == destination]
    if own is None:
        nodes, links = tc.sankey_links(routes, scenario, top)
    else:
        nodes, links = merge_destinations(*tc.sankey_links(routes, scenario, 10 ** 9), own)
    nodes, links = merge_column(nodes, links, 0, top, OTHER_ORIGINS)
    nodes, links = merge_column(nodes, links, 1, top, OTHER_HUBS)
    return nodes, links


def destination_totals(nodes, links):
    """Per destination node (and the seized and in-transit sinks): the compute flowing in."""
    totals = {}
    for _, b, v, _ in links:
        col, name = nodes[b]
        if col == 2:
            totals[name] = totals.get(name, 0.0) + v
    return totals


def drawn_destination_totals(binary, folder, top=8, destination=None):
    """What the route diagram of `folder` draws into each destination (for the tests)."""
    routes = route_table(binary, folder)
    scenario = routes["scenario"].iloc[0]
    return destination_totals(*route_links(routes, scenario, top, destination))


def band(ax, x0, y0, x1, y1, width, color, alpha=0.55, hatch=None):
    """A band of constant `width` from (x0, y0..y0+width) to (x1, y1..y1+width), cubic curves."""
    xm = (x0 + x1) / 2
    verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 + width), (xm, y1 + width), (xm, y0 + width),
             (x0, y0 + width), (x0, y0)]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4, Path.CURVE4, Path.CURVE4,
             Path.CLOSEPOLY]
    ax.add_patch(PathPatch(Path(verts, codes), facecolor=color, edgecolor="#999999" if hatch else "none",
                           linewidth=0, alpha=alpha, hatch=hatch))


def layout(nodes, links, plot_h_in):
    """Node positions: per node (y of its slot, slot height, size), columns centred, every slot
    tall enough for its label. Returns (positions, total height in data units)."""
    size = [0.0] * len(nodes)
    inflow, outflow = [0.0] * len(nodes), [0.0] * len(nodes)
    for a, b, v, _ in links:
        outflow[a] += v
        inflow[b] += v
    size = [max(i, o) for i, o in zip(inflow, outflow)]
    cols = {c: [i for i, (col, _) in enumerate(nodes) if col == c] for c in (0, 1, 2)}
    height = max(sum(size[i] for i in ids) for ids in cols.values()) * 1.25 or 1.0
    for _ in range(8):  # the label slot depends on the height it is part of
        slot_min, gap = height * LABEL_IN / plot_h_in, height * 0.012
        heights = [sum(max(size[i], slot_min) for i in ids) + gap * (len(ids) - 1) for ids in cols.values()]
        height = max(heights)
    pos = {}
    for ids in cols.values():
        column = sum(max(size[i], slot_min) for i in ids) + gap * (len(ids) - 1)
        y = (height - column) / 2
        for i in ids:
            slot = max(size[i], slot_min)
            pos[i] = (y, slot, size[i])
            y += slot + gap
    return pos, height


def node_color(name, colors):
    if name == SEIZED:
        return SEIZED_COLOR
    if name == IN_TRANSIT:
        return TRANSIT_COLOR
    return colors.get(name, tc.OTHER_COLOR)


def draw_sankey(ax, nodes, links, pos, colors, node_w=0.04):
    """Bands (left half coloured by origin, right half by destination) and nodes with labels."""
    off_out = {i: p[0] + (p[1] - p[2]) / 2 for i, p in pos.items()}
    off_in = dict(off_out)
    for a, b, v, kind in sorted(links, key=lambda x: (x[0], x[1])):
        src_col, src = nodes[a]
        dst_col, dst = nodes[b]
        name = src if src_col == 0 else dst
        hatch = "////" if kind == "in transit" else None
        band(ax, src_col + node_w, off_out[a], dst_col, off_in[b], v, node_color(name, colors),
             alpha=0.8 if hatch else 0.55, hatch=hatch)
        off_out[a] += v
        off_in[b] += v
    texts = []
    for i, (col, name) in enumerate(nodes):
        y, slot, size = pos[i]
        top = y + (slot - size) / 2
        face = "#333333" if col != 2 else node_color(name, colors)
        ax.add_patch(Rectangle((col, top), node_w, max(size, slot * 0.04), facecolor=face, edgecolor="#333333",
                               linewidth=0.5))
        label = f"{name} {tc.human(size)}"
        if col == 0:
            t = ax.text(col - 0.015, y + slot / 2, label, ha="right", va="center", fontsize=9)
        else:
            t = ax.text(col + node_w + 0.015, y + slot / 2, label, ha="left", va="center", fontsize=9,
                        bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=0.6) if col == 1 else None)
        texts.append(t)
    return texts


def fit_labels(fig, ax, texts, left, right):
    """Widens the x range until every label lies inside the figure."""
    for _ in range(6):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        fb = fig.bbox
        boxes = [t.get_window_extent(renderer) for t in texts]
        over_l = max([fb.x0 + 10 - b.x0 for b in boxes] + [0])  # 10 px from the edges
        over_r = max([b.x1 - fb.x1 + 10 for b in boxes] + [0])
        if over_l <= 0 and over_r <= 0:
            return True
        span = right - left
        px = ax.get_window_extent(renderer).width / span
        left -= (over_l + 8) / px if over_l > 0 else 0
        right += (over_r + 8) / px if over_r > 0 else 0
        ax.set_xlim(left, right)
    return False


def labels_inside(fig):
    """Whether every text of the figure lies inside it (the tests call this too)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    fb = fig.bbox
    texts = list(fig.texts) + [t for ax in fig.axes for t in ax.texts]
    return all(fb.x0 - 0.5 <= b.x0 and b.x1 <= fb.x1 + 0.5 and fb.y0 - 0.5 <= b.y0 and b.y1 <= fb.y1 + 0.5
               for b in (t.get_window_extent(renderer) for t in texts if t.get_text()))


def chart_routes(run, routes, out, start, end, destination, ctx, keep_figure=False):
    import plot
    scenario = routes["scenario"].iloc[0] if not routes.empty else run.label  # the folder itself
    own = list(ctx["own"]) + ([destination] if destination else [])
    nodes, links = route_links(routes, scenario, ctx["top"], destination, own)
    counts = [sum(1 for c, _ in nodes if c == k) for k in (0, 1, 2)]
    plot_h = min(9.5, max(4.8, LABEL_IN * max(counts + [1]) * 1.6))
    notes = ["band width: compute over the period; a destination's inflow: the compute that reached it "
             "(compare --by route: compute less seized less in transit at the end); 'direct': shipments "
             "through no third country"]
    shipped = routes[(routes["metric"] == "compute") & (routes["value"] > 0)] if not routes.empty else routes
    dests = set(shipped["destination"]) if not routes.empty else set()
    named = {n for c, n in nodes if c == 2} - {OTHER_DESTINATIONS, SEIZED, IN_TRANSIT}
    if OTHER_DESTINATIONS in {n for c, n in nodes if c == 2}:
        notes.append(f"other destinations: {len(dests - named)} countries without a colour of their own "
                     "(--top N, --countries)")
    cv = plot.Canvas(1, 1, 13.0, plot_h, plot.footer_text([run], start, end, *notes), title_h=0.5)
    fig, ax = cv.fig, cv.axes[0][0]
    where = f" to {destination}" if destination else ""
    title = (f"Routes{where} of {run.label}: origin -> via -> destination, compute units "
             f"(H100-equivalents) over the period")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"routes_{tc.safe_name(run.label)}.png")
    if not links:
        ax.text(0.5, 0.5, "no flows", ha="center", va="center", transform=ax.transAxes)
        ax.axis("off")
        return cv.finish(title, path, keep=keep_figure)
    pos, height = layout(nodes, links, plot_h)
    texts = draw_sankey(ax, nodes, links, pos, ctx["colors"])
    heads = [(0.04, "origin (ships from)", "right"), (1.02, "via (hub)", "center"), (2.0, "destination", "left")]
    for x, text, align in heads:
        texts.append(ax.text(x, -height * 0.02, text, ha=align, va="bottom", fontsize=9, weight="bold"))
    ax.set_ylim(height * 1.01, -height * 0.08)
    ax.axis("off")
    bottom, top = cv.foot_h / cv.height, 1 - cv.title_h / cv.height
    ax.set_position([0.01, bottom, 0.98, top - bottom])
    ax.set_xlim(-0.25, 2.35)
    fit_labels(fig, ax, texts, -0.25, 2.35)
    return cv.finish(title, path, tight=False, keep=keep_figure)
