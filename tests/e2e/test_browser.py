"""Every page in the navigation, opened in real headless Chromium, in both languages."""

from __future__ import annotations

import os
import shutil
import time
from io import BytesIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image

from analytics.i18n import t
from tests.e2e.browser import RUN_TIMEOUT_MS, full_page_screenshot, wait_for_charts, wait_for_run, watch
from ui.furniture import LANGUAGE_LABELS
from ui.nav import PAGES

# one worker runs every browser test, against one app server (pytest-xdist: --dist loadgroup)
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


def _name(spec) -> str:
    return Path(spec.path).stem


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("spec", PAGES, ids=_name)
def test_page_renders_offline_without_errors(page, app_url, spec, lang):
    """Every page in both languages, at a 1280 px window (a city hall's usual laptop): no request
    leaves the machine, no error, the synthetic-data badge; then on every tab no metric's label or
    value is cut with an ellipsis."""
    visit = watch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app_url}/{spec.url_path}?lang={LANGUAGE_LABELS[lang]}")
    wait_for_run(page)
    wait_for_charts(page)
    # The page is in the language asked for (the navigation shows its translated title).
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert t(spec.title_key, lang) in nav.inner_text()
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()
    assert page.locator('[data-testid="stMain"]').inner_text().strip(), "the page is empty"
    # The synthetic-data badge is visible on every page.
    assert page.get_by_text("合成データ").first.is_visible()
    shot = ARTIFACTS / f"{_name(spec)}-{lang}.png"
    full_page_screenshot(page, shot)
    assert shot.stat().st_size > 20_000
    if lang == "ja" and spec.url_path == "" and os.environ.get("EBPM_DOCS_SCREENSHOTS"):
        shutil.copyfile(shot, ROOT / "docs" / "home.png")
    tabs = page.locator('[data-testid="stMain"]').get_by_role("tab")
    if spec.url_path in ("nursery", "facilities", "health"):
        assert tabs.count() >= 3  # the analysis pages' tabs are all visited
    cut = list(page.evaluate(CUT_METRICS))
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        tab.click()
        page.wait_for_function("t => t.getAttribute('aria-selected') === 'true'", arg=tab.element_handle())
        wait_for_run(page)
        cut += page.evaluate(CUT_METRICS)
    assert cut == [], f"metrics cut at 1280 px: {sorted(set(cut))}"
    assert visit.external_requests == [], f"requests left the machine: {visit.external_requests}"


def test_home_map_draws_district_polygons(page, app_url):
    """The deck.gl map draws coloured district polygons (not an empty canvas) with no basemap."""
    page.goto(app_url)
    wait_for_run(page)
    wait_for_charts(page)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.scroll_into_view_if_needed()
    # deck.gl may draw a frame or two after the canvas appears: poll the picture itself.
    deadline = time.monotonic() + 30
    while True:
        img = Image.open(BytesIO(canvas.screenshot())).convert("RGB")
        colours = img.getcolors(maxcolors=1_000_000) or []
        # Many distinct colours: district fills and borders, not a blank background.
        if len(colours) > 50 or time.monotonic() > deadline:
            break
    assert len(colours) > 50, f"map looks empty ({len(colours)} colours)"


def test_language_switch_changes_the_page(page, app_url):
    page.goto(app_url)
    wait_for_run(page)
    assert page.get_by_role("heading", name="合成市 EBPMダッシュボード").is_visible()
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Synthetic City EBPM dashboard").wait_for()
    wait_for_run(page)
    assert page.locator('[data-testid="stException"]').count() == 0


TITLE_BOXES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
    const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
                       return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
    return {svg: box(chart.querySelector('.main-svg')), title: box(chart.querySelector('.gtitle')),
            legend: box(chart.querySelector('.legend')), plot: box(chart.querySelector('.bglayer')),
            ticks: [...chart.querySelectorAll('.xtick text')].map(box)};
})"""


def _overlap(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_chart_titles_fit_and_no_legend_covers_them(page, app_url, width, lang):
    """Every chart title lies inside its figure, above the plot area, and no legend covers it or
    an x-axis label (fiscal years turned on a narrow chart ran into the legend)."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{app_url}/?lang={LANGUAGE_LABELS[lang]}")
    wait_for_run(page)
    wait_for_charts(page)
    charts = page.evaluate(TITLE_BOXES)
    assert charts, "the home page has charts"
    for i, c in enumerate(charts):
        title, svg = c["title"], c["svg"]
        assert title and title["right"] - title["left"] > 0, f"chart {i} has no title"
        inside = (title["left"] >= svg["left"] - 1 and title["right"] <= svg["right"] + 1
                  and title["top"] >= svg["top"] - 1 and title["bottom"] <= svg["bottom"] + 1)
        assert inside, f"chart {i}: title {title} leaves the figure {svg}"
        if c["plot"]:
            assert title["bottom"] <= c["plot"]["top"] + 1, f"chart {i}: title runs into the plot"
        if c["legend"]:
            assert not _overlap(title, c["legend"]), f"chart {i}: legend covers the title"
            assert not any(_overlap(tick, c["legend"]) for tick in c["ticks"]), f"chart {i}: legend on x labels"


def test_a_link_opened_first_on_a_fresh_server_runs_inside_the_app(browser, tmp_path):
    """Streamlit's legacy pages/ routing would run the page without app.py (no language switch,
    no threshold check) for the first visitor of a freshly started server who follows a link."""
    from tests.e2e.browser import start_app, stop_app

    with (tmp_path / "streamlit.log").open("w") as log:
        proc, url = start_app(ROOT, log)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
            context.set_default_timeout(RUN_TIMEOUT_MS)
            page = context.new_page()
            page.goto(f"{url}/data")
            wait_for_run(page)
            nav = page.locator('[data-testid="stSidebarNav"]')
            assert t("nav.data", "ja") in nav.inner_text() and t("nav.home", "ja") in nav.inner_text()
            assert page.locator('[data-testid="stSidebar"]').get_by_text(t("app.language", "ja")).count() >= 1
            context.close()
        finally:
            stop_app(proc)


def _cp932_change(tmp: Path, wrong: bool) -> Path:
    """A population-change CSV as another department's system writes it: CP932, a title row,
    Japanese headers; ``wrong`` makes line 5's net migration disagree with moves in − out."""
    from analytics.catalog import Catalog

    change = Catalog().get("population_change").astype(str)
    if wrong:
        change.loc[change.index[2], "net_migration"] = "9999"
    change.columns = ["地区ID", "年度", "出生数", "死亡数", "転入数", "転出数", "社会増減"]
    text = "令和7年度 人口動態（地区別）,,,,,,\r\n" + change.to_csv(index=False, lineterminator="\r\n")
    path = tmp / ("jinkou_doutai.csv")
    path.write_bytes(text.encode("cp932"))
    return path


def _excel_with_title(tmp: Path) -> Path:
    """The nursery capacity as an Excel sheet with a title row above the header."""
    import openpyxl

    from analytics.catalog import Catalog

    capacity = Catalog().get("nursery_capacity")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "定員"
    ws.append(["保育施設の利用定員と在籍児童数（各年度4月1日）"])
    ws.append(["年度", "施設ID", "年齢", "利用定員", "在籍児童数"])
    for row in capacity.itertuples(index=False):
        ws.append([int(row.fiscal_year), str(row.facility_id), int(row.child_age), int(row.capacity),
                   int(row.enrolled)])
    path = tmp / "teiin.xlsx"
    book.save(path)
    return path


# the start of the badge shown when the planner's own data is in use ("自分のデータ: …")
_OWN_BADGE = t("app.badge_own", "ja", names="\x00").split("\x00")[0].strip()


def test_a_planner_loads_a_cp932_csv_and_an_excel_sheet_and_sees_their_city(page, app_url, tmp_path):
    """The issue's "done when": a CP932 CSV with a title row and an Excel sheet with a title row
    staged together, the table says what to fix, the fixed file and the sheet are used, and every
    page then shows the planner's data (badge) without an error."""
    page.goto(f"{app_url}/data")
    wait_for_run(page)
    choose = page.locator('[data-testid="stMultiSelect"]').first
    for name in ("population_change", "nursery_capacity"):
        choose.click()
        page.keyboard.type(name)
        page.keyboard.press("Enter")
        wait_for_run(page)
    page.keyboard.press("Escape")
    def upload(k: int, path: Path) -> None:
        page.locator('[data-testid="stFileUploader"]').nth(k).locator('input[type="file"]').set_input_files(path)
        page.locator('[data-testid="stFileChipName"]', has_text=path.name).wait_for(timeout=RUN_TIMEOUT_MS)
        wait_for_run(page)

    upload(0, _cp932_change(tmp_path, wrong=True))
    upload(1, _excel_with_title(tmp_path))
    error = page.locator('[data-testid="stAlertContentError"]')
    error.first.wait_for(timeout=RUN_TIMEOUT_MS)
    assert "jinkou_doutai.csv" in error.first.inner_text() and "teiin.xlsx" not in error.first.inner_text()
    # the planner removes the file, fixes it and chooses it again (saved elsewhere: a browser does not
    # send the same path twice)
    page.locator('[data-testid="stFileChipDeleteBtn"]').first.click()
    # the app has taken the file back when its chip and the refusal are gone (a run may not have begun yet)
    page.locator('[data-testid="stFileChipName"]', has_text="jinkou_doutai.csv").wait_for(state="detached")
    error.first.wait_for(state="detached")
    wait_for_run(page)
    (tmp_path / "fixed").mkdir()
    upload(0, _cp932_change(tmp_path / "fixed", wrong=False))
    use = page.get_by_role("button", name=t("data.upload.use", "ja", n=2))
    use.wait_for(timeout=RUN_TIMEOUT_MS)
    use.click()
    # the badge names the planner's data once it is in use: "use" reruns the page (st.rerun), and a
    # page link clicked before that rerun would be folded into it and lost. The badge, not the
    # upload section's title (which also says 自分のデータ), shows the rerun has drawn the page.
    badge = page.get_by_text(_OWN_BADGE)
    badge.first.wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    nav = page.locator('[data-testid="stSidebarNav"] a')
    for i in range(nav.count()):
        target = urlparse(nav.nth(i).get_attribute("href")).path
        nav.nth(i).click()
        page.wait_for_url(lambda url, target=target: urlparse(url).path == target)
        wait_for_run(page)
        wait_for_charts(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        errors = page.locator('[data-testid="stAlertContentError"]')
        assert errors.count() == 0, errors.first.inner_text()
        assert badge.first.is_visible()
    full_page_screenshot(page, ARTIFACTS / "data-after-upload-ja.png")


CUT_METRICS = """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
    .filter(m => m.getClientRects().length > 0)
    .flatMap(m => [...m.querySelectorAll('[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *')]
        .filter(e => e.children.length === 0 && e.textContent.trim() && e.getClientRects().length > 0)
        .flatMap(e => {
            // the text's own laid-out width: clipping (an ellipsis) hides it but does not shorten it
            const range = document.createRange(); range.selectNodeContents(e);
            const width = range.getBoundingClientRect().width;
            for (let x = e; x && x !== m; x = x.parentElement) {
                const style = getComputedStyle(x);
                const clips = style.textOverflow === 'ellipsis' || !['visible', ''].includes(style.overflowX);
                if (x.scrollWidth > x.clientWidth + 1 || (clips && x.clientWidth > 0 && width > x.clientWidth + 1)) {
                    return [e.textContent.trim()]; } }
            return []; }))"""
