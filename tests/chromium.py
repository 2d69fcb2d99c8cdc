"""Test helper: headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`), no extra package.

`open_page(path)` loads a local file in a fresh browser and records every
network request the page starts (CDP `Network.requestWillBeSent`, which fires
before any Content-Security-Policy or network failure can stop the request),
every console message, log entry and uncaught exception. The same session then
evaluates JavaScript in the page and takes full-page screenshots. Used by the
browser tests and by scripts/screenshots.py.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The flags the issue asks for, plus the ones that keep Chromium itself off the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    """The Chromium binary: $CHROMIUM, else `chromium` or `chromium-browser` on PATH."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Page:
    """A page open in headless Chromium, with what it did while loading.

    Attributes:
        url: the page's file:// URL.
        requests: URLs of every request the page started, in order (the document itself first).
        console: console messages, log entries and uncaught exceptions, as text.
    """

    browser: Browser
    session: str
    url: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited when it is a promise)."""
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, self.session)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """Poll a JavaScript expression until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def screenshot(self, path: Path, width: int = 1280) -> Path:
        """Save a PNG of the whole page (not just the viewport) at `width` CSS pixels."""
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
        self.browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, self.session)
        data = self.browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, self.session)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def collect(self) -> None:
        """Move the events the browser sent so far into `requests` and `console`."""
        for event in self.browser.drain(self.session):
            method, params = event["method"], event.get("params", {})
            if method == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled":
                self.console.append(f"console.{params['type']}: " + " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"]))
            elif method == "Log.entryAdded":
                entry = params["entry"]
                self.console.append(f"log {entry['level']} ({entry['source']}): {entry['text']}")
            elif method == "Runtime.exceptionThrown":
                self.console.append(f"exception: {params['exceptionDetails'].get('exception', {}).get('description', params['exceptionDetails']['text'])}")


class Browser:
    """One headless Chromium process and its DevTools pipe (fd 3: commands in, fd 4: replies and events out)."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_read, self._write = os.pipe()
        self._read, from_browser_write = os.pipe()
        # Move the child's ends above fd 4 first, so dup2 onto 3 and 4 cannot clobber one with the other.
        child_in = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
        os.close(to_browser_read)
        os.close(from_browser_write)

        def wire() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=wire,  # noqa: PLW1509 - no threads are running yet
        )
        os.close(child_in)
        os.close(child_out)
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self._events: dict[str, list[dict[str, Any]]] = {}
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._reader, daemon=True)
        self._thread.start()

    def _reader(self) -> None:
        buffer = b""
        while chunk := os.read(self._read, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._inbox.put(json.loads(message))
        self._inbox.put(None)

    def _pump(self, timeout: float) -> None:
        message = self._inbox.get(timeout=timeout)
        if message is None:
            raise AssertionError("Chromium closed its DevTools pipe")
        if "id" in message:
            self._replies[message["id"]] = message
        else:
            self._events.setdefault(message.get("sessionId", ""), []).append(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None, timeout: float = 60.0) -> dict[str, Any]:
        """Send a DevTools command and wait for its reply; its `result`."""
        self._next_id += 1
        ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            self._pump(max(0.01, deadline - time.monotonic()))
        reply = self._replies.pop(ident)
        if "error" in reply:
            raise AssertionError(f"{method} failed: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, session: str, method: str, timeout: float = 60.0) -> dict[str, Any]:
        """Wait until the session has sent `method` (kept for `drain`); its params."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self._events.get(session, []):
                if event["method"] == method:
                    return event.get("params", {})
            self._pump(max(0.01, deadline - time.monotonic()))

    def drain(self, session: str) -> list[dict[str, Any]]:
        """The events of a session received so far (reading whatever is waiting first)."""
        while not self._inbox.empty():
            self._pump(0.01)
        return self._events.pop(session, [])

    def open(self, path: Path, width: int = 1280, height: int = 900) -> Page:
        """Open a local file in a new tab with the recorders on, and wait for its load event."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Network", "Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", {}, session)
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
        url = path.resolve().as_uri()
        self.send("Page.navigate", {"url": url}, session)
        self.wait_event(session, "Page.loadEventFired")
        return Page(self, session, url)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (AssertionError, queue.Empty):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        self._thread.join(timeout=10)
        os.close(self._read)


@contextmanager
def chromium(binary: str | None = None) -> Iterator[Browser]:
    """A headless Chromium with a throw-away profile, closed afterwards."""
    found = binary or find_chromium()
    if found is None:
        raise FileNotFoundError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="ppm-chromium-") as profile:
        browser = Browser(found, Path(profile))
        try:
            yield browser
        finally:
            browser.close()
