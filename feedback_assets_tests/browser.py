"""Headless Chromium driven over the DevTools protocol (a websocket on 127.0.0.1), for tests that use the
Dagster UI as a person does: open a page, wait for text, click a button, set the launchpad's config, take a
screenshot. No driver binary and no extra package: Chromium itself and the ``websockets`` client.

Chromium is started with the flags that keep it off the network (no background networking, component
updates or sync)."""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from websockets.sync.client import connect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1500,1000", "--remote-debugging-port=0", "--remote-allow-origins=*",
]


class BrowserError(AssertionError):
    pass


class Browser:
    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="chromium-")
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                self.close()
                raise BrowserError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json() if t["type"] == "page"]
        self.socket = connect(pages[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=10).__enter__()
        self.ids = itertools.count(1)
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method: str, **params):
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == number:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}…: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait_for(lambda: self.evaluate("document.readyState") == "complete", f"{url} to load")

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def wait_for(self, predicate, what: str, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.5)
        raise BrowserError(f"timed out after {timeout:.0f} s waiting for {what}; page shows:\n{self.text()[:3000]}")

    def wait_for_text(self, *needles: str, timeout: float = 60.0) -> str:
        return self.wait_for(
            lambda: (lambda page: page if all(n in page for n in needles) else None)(self.text()),
            f"{needles!r}", timeout,
        )

    def click(self, label: str) -> None:
        """Click the first visible button or link whose text is ``label``."""
        clicked = self.evaluate(
            "(() => { const want = %s; const nodes = [...document.querySelectorAll('button, a, [role=button]')];"
            " const hit = nodes.find(n => n.innerText && n.innerText.trim() === want && n.offsetParent !== null"
            " && !n.disabled); if (hit) { hit.click(); return true; } return false; })()" % json.dumps(label)
        )
        if not clicked:
            raise BrowserError(f"no enabled button or link {label!r}; page shows:\n{self.text()[:3000]}")

    def scroll_to(self, text: str) -> None:
        """Scroll the innermost element whose text contains ``text`` into view (for the screenshot)."""
        self.evaluate(
            "(() => { const want = %s; const hits = [...document.querySelectorAll('body *')]"
            ".filter(n => n.children.length === 0 && n.textContent.includes(want));"
            " if (hits.length) hits[0].scrollIntoView({block: 'start'}); })()" % json.dumps(text)
        )
        time.sleep(0.5)

    def set_launchpad_config(self, yaml_text: str) -> None:
        """Put ``yaml_text`` in the launchpad's config editor (a CodeMirror 5 instance)."""
        self.wait_for(lambda: self.evaluate("!!document.querySelector('.CodeMirror')"), "the config editor")
        self.evaluate(
            "document.querySelector('.CodeMirror').CodeMirror.setValue(%s)" % json.dumps(yaml_text)
        )

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            if getattr(self, "socket", None) is not None:
                self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
