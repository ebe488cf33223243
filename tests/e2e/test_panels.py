"""A widget inside a panel reruns that panel only (issue 27, item 3): a real server in trace mode
(``EBPM_TRACE_RUNS=1``, :mod:`ui.panels`) counts every page and panel run in invisible markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.i18n import t
from tests.e2e.browser import RUN_TIMEOUT_MS, start_app, stop_app, wait_for_run
from ui.panels import TRACE_ENV

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def traced_url(tmp_path_factory):
    log = (tmp_path_factory.mktemp("traced") / "streamlit.log").open("w")
    try:
        proc, url = start_app(ROOT, log, env={TRACE_ENV: "1"})
    except RuntimeError:
        pytest.fail(f"streamlit did not start; see {log.name}")
    yield url
    stop_app(proc)
    log.close()


def _runs(page) -> dict[str, int]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.ebpm-runs')]
        .map(e => [e.dataset.name, Number(e.dataset.runs)]))""")


def _wait_runs(page, name: str, runs: int) -> None:
    page.wait_for_function(
        """([name, runs]) => [...document.querySelectorAll('.ebpm-runs')]
               .some(e => e.dataset.name === name && Number(e.dataset.runs) === runs)""",
        arg=[name, runs], timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)


def test_a_widget_change_reruns_only_its_panel(browser, traced_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{traced_url}/health")
        wait_for_run(page)
        before = _runs(page)
        panels = {"health.status", "health.who", "health.trial", "health.power", "health.rollout",
                  "health.targeting"}
        assert panels | {"health"} <= set(before), before
        # the number of letters (targeting tab): only the targeting panel runs again
        page.get_by_role("tab", name=t("health.tab.targeting", "ja")).click()
        page.get_by_role("slider").filter(visible=True).first.press("ArrowRight")
        _wait_runs(page, "health.targeting", before["health.targeting"] + 1)
        after = _runs(page)
        assert after == {**before, "health.targeting": before["health.targeting"] + 1}, (before, after)
        # a letter's cost (trial tab): only the trial panel
        page.get_by_role("tab", name=t("health.tab.trial", "ja")).click()
        cost = page.get_by_label(t("health.knob.cost_standard", "ja"))
        cost.fill("90")
        cost.press("Enter")
        _wait_runs(page, "health.trial", before["health.trial"] + 1)
        last = _runs(page)
        assert last == {**after, "health.trial": before["health.trial"] + 1}, (after, last)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def test_on_the_nursery_page_the_map_and_the_plan_rerun_alone(browser, traced_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{traced_url}/nursery")
        wait_for_run(page)
        before = _runs(page)
        assert {"nursery", "nursery.map", "nursery.plan"} <= set(before), before
        # the map's age band (first tab): only the map panel
        page.get_by_role("radio", name=t("band.0", "ja"), exact=True).first.click()
        _wait_runs(page, "nursery.map", before["nursery.map"] + 1)
        after = _runs(page)
        assert after == {**before, "nursery.map": before["nursery.map"] + 1}, (before, after)
        # the plan's budget (placement tab): only the plan panel
        page.get_by_role("tab", name=t("nursery.tab.plan", "ja")).click()
        budget = page.get_by_label(t("nursery.knob.budget_seats", "ja"))
        budget.fill("200")
        budget.press("Enter")
        _wait_runs(page, "nursery.plan", before["nursery.plan"] + 1)
        last = _runs(page)
        assert last == {**after, "nursery.plan": before["nursery.plan"] + 1}, (after, last)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def test_on_the_facilities_page_the_cards_and_the_plan_rerun_alone(browser, traced_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{traced_url}/facilities")
        wait_for_run(page)
        before = _runs(page)
        assert {"facilities", "facilities.cards", "facilities.plan"} <= set(before), before
        # the screening's utilisation percentile (cards tab): only the cards panel
        page.get_by_role("tab", name=t("facilities.tab.cards", "ja")).click()
        page.locator('[data-testid="stSlider"]', has_text=t("facilities.knob.utilisation", "ja")).get_by_role(
            "slider").press("ArrowRight")
        _wait_runs(page, "facilities.cards", before["facilities.cards"] + 1)
        after = _runs(page)
        assert after == {**before, "facilities.cards": before["facilities.cards"] + 1}, (before, after)
        # the demolition unit cost (consolidation tab): only the plan panel
        page.get_by_role("tab", name=t("facilities.tab.plan", "ja")).click()
        cost = page.locator('[data-testid="stNumberInput"]', has_text=t("facilities.knob.demolition", "ja")).locator(
            "input")
        cost.fill("5")
        cost.press("Enter")
        _wait_runs(page, "facilities.plan", before["facilities.plan"] + 1)
        last = _runs(page)
        assert last == {**after, "facilities.plan": before["facilities.plan"] + 1}, (after, last)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def test_the_home_map_and_the_data_upload_rerun_alone(browser, traced_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{traced_url}/")
        wait_for_run(page)
        before = _runs(page)
        assert {"home", "home.map"} <= set(before), before
        # the map's indicator: only the map panel
        page.get_by_role("radio", name=t("indicator.population", "ja"), exact=True).click()
        _wait_runs(page, "home.map", before["home.map"] + 1)
        assert _runs(page) == {**before, "home.map": before["home.map"] + 1}
        page.goto(f"{traced_url}/data")
        wait_for_run(page)
        before = _runs(page)
        assert {"data", "data.upload"} <= set(before), before
        # choosing a dataset to upload: only the upload panel
        page.locator('[data-testid="stMultiSelect"]').first.click()
        page.keyboard.type("population_change")
        page.keyboard.press("Enter")
        _wait_runs(page, "data.upload", before["data.upload"] + 1)
        assert _runs(page) == {**before, "data.upload": before["data.upload"] + 1}
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
