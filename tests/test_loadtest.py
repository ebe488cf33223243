"""The websocket load test (``benchmarks/loadtest.py``, ``make bench``) on a real server, briefly: two
sessions open the home page over Streamlit's own protocol and change its map indicator once, at the
same time. Each must see its own value come back and no error. Waits on the runs' ``script_finished``
only (the burst pattern has no pauses); nothing is timed."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

import pytest

from benchmarks import loadtest
from tests.e2e.browser import start_app, stop_app

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[1]


def test_the_knobs_expect_their_value_in_the_pages_own_words():
    assert loadtest.KNOBS["nursery"].expected(1417) == "m圏、予算1,417人分"
    assert loadtest.KNOBS["health"].expected(12000).startswith("を12,000通送るとき")
    values = loadtest.plan_values(range(100), sessions=30, changes=3, seed=1)
    assert len({v for row in values for v in row}) == 90  # all distinct while the pool lasts


def test_two_sessions_each_see_their_own_value(tmp_path):
    log = (tmp_path / "streamlit.log").open("w")
    try:
        proc, url = start_app(ROOT, log)
    except RuntimeError:
        pytest.fail(f"streamlit did not start; see {log.name}")
    try:
        # its own thread and event loop: a browser test on the same worker may hold this thread's loop
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            row = pool.submit(asyncio.run, loadtest.measure("127.0.0.1", int(url.rsplit(":", 1)[1]), "home", "burst",
                                                            sessions=2, changes=1, seed=27, pids=[proc.pid],
                                                            timeout_s=120)).result()
    finally:
        stop_app(proc)
        log.close()
    assert sum(row.errors.values()) == 0, row.errors
    first, second = row.sessions
    assert first.confirmed == first.values and second.confirmed == second.values
    assert first.values != second.values  # distinct values: a reply with the other's would have failed
    assert len(row.first_runs) == 2 and len(row.reruns) == 2
    assert row.server_cpu_s > 0 and row.server_peak_mb > 0
