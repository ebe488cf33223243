"""A real `streamlit run` server and Debian's headless Chromium for the browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser import RUN_TIMEOUT_MS, start_app, stop_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """Start the app on a free port, wait for /_stcore/health, stop it afterwards."""
    log = (tmp_path_factory.mktemp("server") / "streamlit.log").open("w")
    try:
        proc, url = start_app(ROOT, log)
    except RuntimeError:
        pytest.fail(f"streamlit did not start; see {log.name}")
    yield url
    stop_app(proc)
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: "
                    "run `make test` (it installs it as root) or `sudo apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (own cookies and session) and page, closed afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    context.set_default_timeout(RUN_TIMEOUT_MS)  # every wait is on the app's state: only a hang reaches it
    yield context.new_page()
    context.close()
