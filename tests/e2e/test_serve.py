"""``make serve``: two Streamlit processes behind nginx, two browsers, each kept on its own process
(issue 27, item 4). Needs Debian's nginx (``make system-deps`` installs it)."""

from __future__ import annotations

import importlib.util
import shutil
import socket
from pathlib import Path

import pytest

from analytics.i18n import t
from tests.e2e.browser import RUN_TIMEOUT_MS, wait_for_run
from tests.e2e.test_browser import _cp932_change

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
HEADER = "x-ebpm-upstream"


def _serve_module():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.fail("Debian's nginx is missing: run `make system-deps` (it installs it as root)")
    serve = _serve_module()
    with socket.socket() as s:  # a free port, and the two after it for the processes
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    procs = serve.start(2, port, "127.0.0.1", serve_dir=tmp_path_factory.mktemp("serve"))
    yield f"http://127.0.0.1:{port}", procs
    serve.stop(procs)


def test_the_generated_config_pins_by_cookie_and_stays_in_its_folder(tmp_path):
    conf = _serve_module().nginx_config(tmp_path, 9000, [9001, 9002], "127.0.0.1")
    assert "$cookie_ebpm_backend" in conf and "ip_hash" not in conf  # a city hall's PCs share one address
    assert f"pid {tmp_path}/nginx.pid" in conf and "listen 127.0.0.1:9000" in conf
    for line in conf.splitlines():
        if line.strip().startswith(("pid", "error_log", "access_log")) or "_temp_path" in line:
            assert str(tmp_path) in line, line


def _visit(browser, url: str, tmp_path: Path):
    """A workshop participant: opens the Data page, uploads their own population-change file
    (checked by the process that holds the session) and downloads a table. Returns the processes
    that answered and the downloaded bytes."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    upstreams: set[str] = set()
    page.on("response", lambda r: upstreams.add(r.headers.get(HEADER, "")))
    try:
        page.goto(f"{url}/data")
        wait_for_run(page)
        choose = page.locator('[data-testid="stMultiSelect"]').first
        choose.click()
        page.keyboard.type("population_change")
        page.keyboard.press("Enter")
        wait_for_run(page)
        page.keyboard.press("Escape")
        path = _cp932_change(tmp_path, wrong=False)
        page.locator('[data-testid="stFileUploader"]').first.locator('input[type="file"]').set_input_files(path)
        page.locator('[data-testid="stFileChipName"]', has_text=path.name).wait_for()
        wait_for_run(page)
        # the file reached this browser's process and passed its checks: it offers to use it.
        # (Using it would rebuild the whole publication for this session, which the upload
        # tests in test_browser.py already cover; here the point is where the bytes go.)
        page.get_by_role("button", name=t("data.upload.use", "ja", n=1)).wait_for()
        # the residents' table (its expander is open), suppressed, from this browser's process
        button = page.locator('[data-testid="stDownloadButton"]:visible', has_text=t("data.download", "ja")).first
        with page.expect_download() as info:
            button.click()
        body = Path(info.value.path()).read_bytes()
        return upstreams - {""}, body
    finally:
        context.close()


def test_two_browsers_are_served_by_two_processes_each_with_its_upload_and_download(served, browser, tmp_path):
    url, _ = served
    seen = []
    for k in range(2):
        (tmp_path / str(k)).mkdir()
        upstreams, body = _visit(browser, url, tmp_path / str(k))
        assert len(upstreams) == 1, upstreams  # every request of a browser reached one process
        assert body.decode("utf-8-sig").splitlines()[0].count(",") >= 3  # a CSV table came back
        seen.append(upstreams.pop())
    assert seen[0] != seen[1]  # the second browser was given the other process


def test_when_a_process_stops_its_browsers_move_to_another_and_the_others_stay(served):
    """Run last in this module: it stops one of the two processes."""
    import http.cookiejar
    import os
    import signal
    import urllib.request

    url, procs = served

    def client():
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        return lambda: opener.open(f"{url}/_stcore/health").headers[HEADER]

    first, second = client(), client()
    a, b = first(), second()
    assert a != b and first() == a and second() == b  # pinned by cookie
    stopped = next(p for p in procs[:2] if p.args[p.args.index("--server.port") + 1] == a.split(":")[1])
    os.killpg(stopped.pid, signal.SIGTERM)
    stopped.wait(timeout=30)
    assert first() == b and first() == b  # moved to the running process, and pinned there
    assert second() == b  # the other browser never noticed
