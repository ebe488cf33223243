"""A widget inside a panel reruns that panel only, and a page draws its open tab only (issue 27,
item 3): a real server in trace mode (``EBPM_TRACE_RUNS=1``, :mod:`ui.panels`) counts every page
and panel run in invisible markers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


@contextmanager
def _opened(browser, url: str, panels: set[str]) -> Iterator:
    """A traced page at ``url`` whose first run shows exactly the panels ``panels`` (the page's and
    its first tab's: the other tabs do not run)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(url)
        wait_for_run(page)
        assert set(_runs(page)) == panels, _runs(page)
        yield page
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def _only_reruns(page, name: str, act: Callable[[], None]) -> None:
    """Do ``act`` (a widget change) and check that panel ``name`` ran once more and nothing else ran."""
    before = _runs(page)
    act()
    _wait_runs(page, name, before[name] + 1)
    after = _runs(page)
    assert after == {**before, name: before[name] + 1}, (before, after)


def _open_tab(page, name: str, label: str) -> None:
    """Click the tab ``label`` of page ``name``: the page runs again, drawing that tab."""
    before = _runs(page)[name]
    page.get_by_role("tab", name=label).click()
    _wait_runs(page, name, before + 1)


def _fill(locator, value: str) -> None:
    locator.fill(value)
    locator.press("Enter")


def test_a_widget_change_reruns_only_its_panel(browser, traced_url):
    with _opened(browser, f"{traced_url}/health", {"health", "health.status"}) as page:
        # the number of letters (targeting tab): only the targeting panel runs again
        _open_tab(page, "health", t("health.tab.targeting", "ja"))
        assert set(_runs(page)) == {"health", "health.targeting", "health.compare"}
        _only_reruns(page, "health.targeting",
                     lambda: page.get_by_role("slider").filter(visible=True).first.press("ArrowRight"))
        # a letter's cost (trial tab): only the trial panel
        _open_tab(page, "health", t("health.tab.trial", "ja"))
        _only_reruns(page, "health.trial", lambda: _fill(page.get_by_label(t("health.knob.cost_standard", "ja")), "90"))


def test_on_the_nursery_page_the_map_and_the_plan_rerun_alone(browser, traced_url):
    with _opened(browser, f"{traced_url}/nursery", {"nursery", "nursery.map"}) as page:
        # the map's age band (first tab): only the map panel
        _only_reruns(page, "nursery.map",
                     lambda: page.get_by_role("radio", name=t("band.0", "ja"), exact=True).first.click())
        # the plan's budget (placement tab): only the plan panel
        _open_tab(page, "nursery", t("nursery.tab.plan", "ja"))
        _only_reruns(page, "nursery.plan",
                     lambda: _fill(page.get_by_label(t("nursery.knob.budget_seats", "ja")), "200"))


def test_on_the_facilities_page_the_cards_and_the_plan_rerun_alone(browser, traced_url):
    with _opened(browser, f"{traced_url}/facilities", {"facilities"}) as page:
        # the screening's utilisation percentile (cards tab): only the cards panel
        _open_tab(page, "facilities", t("facilities.tab.cards", "ja"))
        _only_reruns(page, "facilities.cards", lambda: page.locator(
            '[data-testid="stSlider"]', has_text=t("facilities.knob.utilisation", "ja")).get_by_role(
            "slider").press("ArrowRight"))
        # the demolition unit cost (consolidation tab): only the plan panel
        _open_tab(page, "facilities", t("facilities.tab.plan", "ja"))
        _only_reruns(page, "facilities.plan", lambda: _fill(page.locator(
            '[data-testid="stNumberInput"]', has_text=t("facilities.knob.demolition", "ja")).locator("input"), "5"))


def test_the_home_map_and_the_data_upload_rerun_alone(browser, traced_url):
    with _opened(browser, f"{traced_url}/", {"home", "home.map"}) as page:
        # the map's indicator: only the map panel
        _only_reruns(page, "home.map",
                     lambda: page.get_by_role("radio", name=t("indicator.population", "ja"), exact=True).click())

    def choose_a_dataset() -> None:
        page.locator('[data-testid="stMultiSelect"]').first.click()
        page.keyboard.type("population_change")
        page.keyboard.press("Enter")

    with _opened(browser, f"{traced_url}/data", {"data", "data.upload"}) as page:
        # choosing a dataset to upload: only the upload panel
        _only_reruns(page, "data.upload", choose_a_dataset)


def test_a_changed_slider_is_in_the_url_and_survives_a_reload(browser, traced_url):
    """Issue 28: a widget of a lazily drawn tab (not bound by Streamlit) reaches the URL when its
    panel alone reruns; reloading the page from that URL shows the same value."""
    targeting = t("health.tab.targeting", "ja")
    with _opened(browser, f"{traced_url}/health", {"health", "health.status"}) as page:
        _open_tab(page, "health", targeting)
        slider = page.get_by_role("slider").filter(visible=True).first
        _only_reruns(page, "health.targeting", lambda: slider.press("ArrowRight"))
        page.wait_for_function("() => location.search.includes('health_letters=11000')", timeout=RUN_TIMEOUT_MS)
        page.reload()
        wait_for_run(page)
        assert page.get_by_role("tab", name=targeting).get_attribute("aria-selected") == "true"
        assert page.get_by_role("slider").filter(visible=True).first.input_value() == "11000"


def test_a_page_without_a_scenario_never_writes_the_last_pages(browser, traced_url):
    """Streamlit clears the URL on a page change; a panel of the data page (no scenario of its
    own) must not write the nursery scenario the session left behind into it."""
    with _opened(browser, f"{traced_url}/nursery", {"nursery", "nursery.map"}) as page:
        _open_tab(page, "nursery", t("nursery.tab.plan", "ja"))
        _only_reruns(page, "nursery.plan",
                     lambda: _fill(page.get_by_label(t("nursery.knob.budget_seats", "ja")), "520"))
        page.wait_for_function("() => location.search.includes('nursery_budget_seats=520')", timeout=RUN_TIMEOUT_MS)
        page.locator("[data-testid=stSidebarNav] a").filter(has_text=t("nav.data", "ja")).click()
        _wait_runs(page, "data", 1)
        _only_reruns(page, "data.upload", lambda: (page.locator('[data-testid="stMultiSelect"]').first.click(),
                                                   page.keyboard.type("population_change"),
                                                   page.keyboard.press("Enter")))
        assert "nursery" not in page.evaluate("() => location.search"), page.url
