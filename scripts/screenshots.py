"""Regenerate the README's pictures of examples/acme (as of 2026-11-25) into docs/.

- docs/dashboard-acme.png and docs/dashboard-acme-charts.png: `ppm report --format html`
  opened in headless Chromium (the browser tests' DevTools helper), cut at section edges.
- docs/roadmap-acme.png: `ppm roadmap` run on a 110-column pseudo-terminal, its colour output
  turned into HTML by rich and photographed by the same browser.

Run from the repository root: `python scripts/screenshots.py` (needs chromium and plotly).
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import pty
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from chromium import Browser, chromium  # noqa: E402

from ppmcli.__main__ import main  # noqa: E402

ACME = REPO / "examples" / "acme"
DOCS = REPO / "docs"
AS_OF = "2026-11-25"
BUDGET = "6000000"
WIDTH = 1280
TERMINAL_COLUMNS = 110
# (file, first element, last element): each picture runs from the top of one to the bottom of the other.
CLIPS = (
    ("dashboard-acme.png", "header", "#roadmap"),
    ("dashboard-acme-charts.png", "#value-risk", "#capacity"),
)


def run(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    if code != 0:
        raise SystemExit(f"ppm {' '.join(args)} exited {code}")
    return out.getvalue()


def dashboard_pictures(browser: Browser, html: Path) -> None:
    page = browser.open(html, width=WIDTH)
    if not page.wait_for("document.body.getAttribute('data-charts-rendered')", timeout=60):
        raise SystemExit("the dashboard's charts did not draw")
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    browser.send("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False}, page.session)
    for name, first, last in CLIPS:
        top = page.evaluate(f"document.querySelector({first!r}).getBoundingClientRect().top + window.scrollY")
        bottom = page.evaluate(f"document.querySelector({last!r}).getBoundingClientRect().bottom + window.scrollY")
        clip = {"x": 0, "y": max(0, top - 8), "width": WIDTH, "height": bottom - top + 16, "scale": 1}
        data = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}, page.session)["data"]
        (DOCS / name).write_bytes(base64.b64decode(data))
        print(f"wrote docs/{name}")


def roadmap_ansi() -> str:
    """`ppm roadmap` as it prints on a real terminal: run on a pseudo-terminal TERMINAL_COLUMNS wide."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": str(TERMINAL_COLUMNS), "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "ppmcli", "roadmap", "-C", str(ACME), "--as-of", AS_OF], stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    if process.wait() != 0:
        raise SystemExit("ppm roadmap failed")
    return b"".join(chunks).decode().replace("\r\n", "\n")


def roadmap_picture(browser: Browser, tmp: Path) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=TERMINAL_COLUMNS, file=io.StringIO(), force_terminal=True, color_system="standard")
    console.print(f"$ ppm roadmap --as-of {AS_OF}", style="bold", highlight=False)
    console.print(Text.from_ansi(roadmap_ansi()), soft_wrap=True)
    page_html = tmp / "roadmap.html"
    page_html.write_text(console.export_html(inline_styles=True, code_format=TERMINAL_PAGE), encoding="utf-8")
    page = browser.open(page_html, width=WIDTH)
    box = page.evaluate("(() => { const r = document.querySelector('pre').getBoundingClientRect(); return [r.width, r.height]; })()")
    clip = {"x": 0, "y": 0, "width": box[0], "height": box[1], "scale": 1}
    data = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip}, page.session)["data"]
    (DOCS / "roadmap-acme.png").write_bytes(base64.b64decode(data))
    print("wrote docs/roadmap-acme.png")


# A dark terminal; rich fills in {code}, {stylesheet} (empty with inline styles), {foreground} and {background}.
TERMINAL_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; }}
pre {{ display: inline-block; margin: 0; padding: 14px 18px; color: #e6e6e6; background: #1e1e1e;
      font: 13px/1.25 "DejaVu Sans Mono", "Liberation Mono", monospace; }}
</style></head><body><pre><code>{code}</code></pre></body></html>
"""


def main_() -> None:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        html = Path(tmp) / "acme.html"
        run("report", "-C", str(ACME), "--as-of", AS_OF, "--budget", BUDGET, "--format", "html", "-o", str(html))
        dashboard_pictures(browser, html)
        roadmap_picture(browser, Path(tmp))


if __name__ == "__main__":
    main_()
