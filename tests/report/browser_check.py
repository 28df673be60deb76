#!/usr/bin/python3
"""Opens an HTML report in headless Chromium with the network cut off and checks that it works.

    browser_check.py REPORT.html --charts N [--screenshot FILE.png] [--max-size 1400]

Fails (exit 1, saying why) when: the file names an external URL in any src or href attribute;
Chromium logs a JavaScript error or warning to the console, or asks the network for anything;
fewer than N plotly charts render (a chart container without its SVG); a chart is larger than
--max-size pixels in either direction. Saves a full-page screenshot (default next to the
report, REPORT.png) to look at. Chromium: Debian's `chromium`, run with its own empty profile.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

class Attributes(HTMLParser):
    """Every src and href attribute of the page's elements (script and style content is text,
    not markup: plotly.js's own string literals are not links of the page)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value is not None:
                self.links.append((tag, name, value.strip()))

    handle_startendtag = handle_starttag


def external_urls(text):
    """src/href attributes naming a scheme or a network path (data:, blob: and javascript: are
    not fetches from the network; '#...' and relative paths are local)."""
    parser = Attributes()
    parser.feed(text)
    bad = []
    for tag, name, value in parser.links:
        m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):|//", value)
        if m and (m.group(1) or "").lower() not in ("data", "blob", "javascript", "about"):
            bad.append(f"<{tag} {name}={value[:80]}>")
    return bad


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("browser_check: no chromium on PATH (scripts/setup installs Debian's chromium)")


def run_chromium(report, extra, profile, timeout=120):
    url = "file://" + os.path.abspath(report)
    cmd = [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-dev-shm-usage", f"--user-data-dir={profile}",
           # No network: every host resolves nowhere and any proxy is a dead port.
           "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--enable-logging=stderr", "--v=0", "--virtual-time-budget=30000",
           "--window-size=1400,3000"] + extra + [url]
    env = dict(os.environ, HOME=profile, XDG_CONFIG_HOME=profile, XDG_CACHE_HOME=profile)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    return p


def console_problems(stderr):
    """Lines Chromium logs for the page's console (CONSOLE) and failed loads."""
    out = []
    for line in stderr.splitlines():
        if ":CONSOLE" in line or "ERR_NAME_NOT_RESOLVED" in line or "ERR_PROXY" in line:
            out.append(line.strip())
    return out


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("report")
    p.add_argument("--charts", type=int, required=True, help="the number of charts the report must render")
    p.add_argument("--screenshot", help="where to save the screenshot (default REPORT.png)")
    p.add_argument("--max-size", type=int, default=1400, help="largest chart width and height in px")
    a = p.parse_args(argv)
    failures = []
    with open(a.report, encoding="utf-8") as f:
        text = f.read()
    for bad in external_urls(text):
        failures.append(f"external URL in the file: {bad!r}")
    with tempfile.TemporaryDirectory(prefix="browser-check-") as profile:
        dom = run_chromium(a.report, ["--dump-dom"], profile)
        failures += [f"console: {line}" for line in console_problems(dom.stderr)]
        if dom.returncode != 0:
            failures.append(f"chromium --dump-dom exited {dom.returncode}: {dom.stderr[-400:]}")
        html = dom.stdout
        containers = len(re.findall(r"class=\"[^\"]*\bplotly-graph-div\b", html))
        rendered = len(re.findall(r"class=\"[^\"]*\bjs-plotly-plot\b", html))
        svgs = [(float(w), float(h)) for w, h in
                re.findall(r"<svg class=\"main-svg\"[^>]*?width=\"([\d.]+)\" height=\"([\d.]+)\"", html)]
        if containers < a.charts:
            failures.append(f"{containers} chart containers in the page, expected {a.charts}")
        if rendered < a.charts:
            failures.append(f"{rendered} of {a.charts} charts rendered (plotly drew no SVG for the rest)")
        for w, h in svgs:
            if w > a.max_size or h > a.max_size:
                failures.append(f"a chart is {w:.0f} x {h:.0f} px, larger than {a.max_size} px")
        for bad in external_urls(html):
            failures.append(f"external URL in the rendered page: {bad!r}")
        shot = a.screenshot or os.path.splitext(a.report)[0] + ".png"
        s = run_chromium(a.report, [f"--screenshot={os.path.abspath(shot)}"], profile)
        if s.returncode != 0 or not os.path.isfile(shot):
            failures.append(f"no screenshot ({s.returncode}): {s.stderr[-400:]}")
        failures += [f"console (screenshot run): {line}" for line in console_problems(s.stderr)]
    if failures:
        for f in failures:
            print(f"FAIL: {a.report}: {f}")
        return 1
    print(f"ok: {a.report}: {rendered} charts rendered, largest "
          f"{max((w for w, _ in svgs), default=0):.0f} x {max((h for _, h in svgs), default=0):.0f} px, "
          f"no console message, no external URL; screenshot {shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
