"""Helpers to open a page, wait for the app's own state (never a fixed sleep) and take a screenshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from analytics.i18n import t

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Generous on purpose: a test waits on the app's state, and only a hang should reach these
# (a busy machine makes the app slower, never wrong).
RUN_TIMEOUT_MS = 300_000
CHARTS_TIMEOUT_MS = 180_000
START_TIMEOUT_S = 300
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@dataclass
class PageVisit:
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def watch(page) -> PageVisit:
    """Record every request to a host other than localhost and every console error."""
    visit = PageVisit()

    def on_request(request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL_HOSTS:
            visit.external_requests.append(request.url)

    page.on("request", on_request)
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    return visit


def wait_for_run(page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the script run has finished, nothing is still loading and the page stands in the
    app's shell (its sidebar shows the language switch). A link opened first on a fresh server
    runs once outside ``app.py`` and reruns itself inside it (``ui.furniture._ensure_app_shell``):
    between the two runs the app is briefly "not running", and only the shell tells them apart."""
    page.wait_for_selector(FINISHED, timeout=timeout_ms)
    page.wait_for_function(
        """shell => !document.querySelector('[data-testid="stStatusWidget"]')
               && !document.querySelector('[data-testid="stSkeleton"]')
               && document.querySelector('[data-testid="stApp"]')
                      .getAttribute('data-test-script-state') === 'notRunning'
               && (document.querySelector('[data-testid="stSidebar"]') || {innerText: ''}).innerText.includes(shell)""",
        arg=t("app.language", "ja"),
        timeout=timeout_ms,
    )


def wait_for_charts(page, timeout_ms: int = CHARTS_TIMEOUT_MS) -> None:
    """Wait until every plotly chart has drawn its SVG and every deck.gl map its canvas."""
    page.wait_for_function(
        """() => {
            const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
            const maps = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
            return plots.every(p => p.querySelector('.main-svg')) && maps.every(m => m.querySelector('canvas'));
        }""",
        timeout=timeout_ms,
    )


def full_page_screenshot(page, path: Path) -> None:
    """Grow the viewport to the app's scroll height (Streamlit scrolls inside stMain), then shoot."""
    height = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight); }"""
    )
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height) + 40, 6000)})
    wait_for_run(page)
    wait_for_charts(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def start_app(root: Path, log, env: dict | None = None, timeout_s: float = START_TIMEOUT_S):
    """Start ``streamlit run app.py`` on a free port (as Streamlit's own e2e suite does) and wait
    for ``/_stcore/health``. Returns ``(process, url)``; stop it with :func:`stop_app`.
    Raises ``RuntimeError`` if it does not come up."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=root, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("streamlit did not start")
        time.sleep(0.2)  # polling the health endpoint, not waiting on the page


def stop_app(proc) -> None:
    """Stop the app started by :func:`start_app` (its whole process group)."""
    import os
    import signal
    import subprocess

    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
