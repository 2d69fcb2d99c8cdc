"""The HTML dashboard in a real browser: headless Chromium opens `ppm report --format html` for examples/acme.

Every chart must have drawn its marks into the DOM once the scripts ran, the page
must make no network request, and screenshots (screen and print) are saved under
build/test-artifacts/ for a person to look at. How the no-network check works: the
DevTools protocol's `Network.requestWillBeSent` fires for every request a page
starts, before a Content-Security-Policy or a dead network could stop it, so the
list holds even requests that would have failed; only the page's own file and
in-memory `data:` URLs (plotly draws heat maps into one) may appear. A control page
proves the check sees a request that the CSP blocks.

Skipped only where Chromium (or plotly) is missing outside CI; with CI=true they must run.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from chromium import Page, chromium, find_chromium
from conftest import ACME, REPO, run_ppm

IN_CI = os.environ.get("CI") == "true"
ARTIFACTS = Path(os.environ.get("PPM_TEST_ARTIFACTS", REPO / "build" / "test-artifacts"))

if not IN_CI and find_chromium() is None:
    pytestmark = pytest.mark.skip(reason="chromium is not installed (apt-get install chromium); CI installs it and runs these tests")
elif not IN_CI and importlib.util.find_spec("plotly") is None:
    pytestmark = pytest.mark.skip(reason="plotly is not installed (pip install 'ppmcli[html]'); CI installs it and runs these tests")


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dashboard") / "acme.html"
    code, _, err = run_ppm("report", "-C", ACME, "--as-of", "2026-11-25", "--budget", "6000000", "--format", "html", "-o", path)
    assert code == 0, err
    return path


@pytest.fixture(scope="module")
def page(dashboard: Path):
    with chromium() as browser:
        opened = browser.open(dashboard)
        rendered = opened.wait_for("document.body.getAttribute('data-charts-rendered')", timeout=60)
        opened.collect()
        assert rendered, f"the charts never finished drawing: {opened.console}"
        yield opened


def figures(page: Page) -> dict[str, dict]:
    return json.loads(page.evaluate("document.getElementById('ppm-figures').textContent"))


def test_every_chart_drew_its_marks(page: Page):
    figs = figures(page)
    charts = page.evaluate("Array.from(document.querySelectorAll('div.chart')).map(d => d.id)")
    assert sorted(charts) == sorted(figs)
    assert {"chart-roadmap", "chart-value-risk", "chart-funding", "chart-frontier", "chart-capacity", "chart-ev-1"} <= set(charts)
    assert int(page.evaluate("document.body.getAttribute('data-charts-rendered')")) == len(charts)
    for chart, fig in figs.items():
        count = lambda selector: page.evaluate(f"document.getElementById({json.dumps(chart)}).querySelectorAll({json.dumps(selector)}).length")  # noqa: E731
        assert count("svg.main-svg") >= 1, chart
        bars = sum(len(trace["x"]) for trace in fig["data"] if trace["type"] == "bar")
        points = sum(len(trace["x"]) for trace in fig["data"] if trace["type"] == "scatter" and "markers" in trace["mode"])
        assert count(".barlayer .point") == bars, chart
        assert count(".scatterlayer .point") == points, chart
        if any(trace["type"] == "heatmap" for trace in fig["data"]):
            labels = sum(1 for trace in fig["data"] for row in trace["text"] for label in row if label)
            assert count(".heatmaplayer image") == 1 and count(".heatmaplayer text") >= labels > 0, chart
        assert bars + points > 0 or any(trace["type"] == "heatmap" for trace in fig["data"]), chart


def test_the_roadmap_shows_every_open_project_and_the_as_of_line(page: Page):
    ticks = page.evaluate("Array.from(document.querySelectorAll('#chart-roadmap .yaxislayer-above text')).map(t => t.textContent)")
    assert "✖ data-warehouse-migration" in ticks and "▲ customer-mobile-app" in ticks and "? mobile-loyalty-program" in ticks
    assert "Platform & Infrastructure" in ticks
    assert page.evaluate("Array.from(document.querySelectorAll('#chart-roadmap .annotation-text')).map(t => t.textContent).join()") == "as of 2026-11-25"


def test_no_network_request(page: Page):
    page.collect()
    assert page.requests[0] == page.url
    outside = [url for url in page.requests[1:] if not url.startswith("data:")]
    assert outside == []


def test_no_error_and_no_security_violation(page: Page):
    page.collect()
    assert [line for line in page.console if "error" in line or "exception" in line or "security" in line] == []


def test_screenshots_screen_and_print(page: Page):
    screen = page.screenshot(ARTIFACTS / "dashboard-acme.png")
    assert screen.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screen.stat().st_size > 50_000
    page.browser.send("Emulation.setEmulatedMedia", {"media": "print"}, page.session)
    try:
        assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        page.screenshot(ARTIFACTS / "dashboard-acme-print.png")
        pdf = page.browser.send("Page.printToPDF", {"landscape": True, "printBackground": False}, page.session)["data"]
        assert len(pdf) > 10_000
    finally:
        page.browser.send("Emulation.setEmulatedMedia", {"media": ""}, page.session)


CONTROL = """<!doctype html><html><head>{csp}</head><body><p id="x">control</p>
<img src="http://127.0.0.1:9/pixel.png" alt=""></body></html>"""


@pytest.mark.parametrize("csp", ["", "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"])
def test_the_check_sees_a_request_even_when_the_csp_blocks_it(tmp_path, csp):
    path = tmp_path / "control.html"
    path.write_text(CONTROL.format(csp=csp))
    with chromium() as browser:
        control = browser.open(path)
        assert control.evaluate("document.getElementById('x').textContent") == "control"
        control.collect()
    assert "http://127.0.0.1:9/pixel.png" in control.requests
