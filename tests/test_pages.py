"""AppTest of every page in the navigation, in both languages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import domains, health, i18n, nursery, registry
from analytics import facilities as fac
from analytics.catalog import Catalog
from analytics.core import privacy
from analytics.core.audit import Relations, audit
from analytics.core.publication import counted_columns
from analytics.templates import fill, template_for_data
from tests import toy_domain
from tests.apptest import APPTEST_TIMEOUT, each_tab, open_tab, widget
from tests.page_scan import Scan, scan_page
from ui.nav import PAGES

# the default city's publication is loaded before the first page runs
pytestmark = pytest.mark.usefixtures("default_publication")


def _app(lang: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=APPTEST_TIMEOUT)
    at.session_state["lang"] = lang
    return at


def _open(spec, lang: str) -> AppTest:
    at = _app(lang)
    at.run()
    if spec.path != PAGES[0].path:
        at.switch_page(spec.path).run()
    return at


# every page once in Japanese is part of the 2-minute loop (make test-fast)
@pytest.mark.parametrize("lang", [pytest.param(lg, marks=pytest.mark.fast) if lg == i18n.DEFAULT_LANGUAGE else lg
                                  for lg in i18n.LANGUAGES])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.path)
def test_every_page_runs_without_errors(spec, lang):
    at = _open(spec, lang)
    for _ in each_tab(at):  # a page draws its open tab only
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert len(at.title) == 1
    # Titles come from the translation table in the session's language.
    other = [lg for lg in i18n.LANGUAGES if lg != lang][0]
    assert at.title[0].value != i18n.t("home.title", other) and at.title[0].value != i18n.t("data.title", other)


def _deck(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


@pytest.mark.fast
def test_home_shows_headline_map_and_charts_in_japanese():
    at = _open(PAGES[0], "ja")
    labels = [m.label for m in at.metric]
    i = labels.index("人口")
    assert labels[i + 1].startswith("高齢化率")
    assert at.metric[i].value.endswith("人")
    # The nursery card is a live headline with a link to its page.
    assert _metric(at, "nursery.metric.official").endswith("人")
    assert any(link.proto.page == "nursery" for link in at.get("page_link"))
    deck = _deck(at)
    assert "http" not in json.dumps(deck), "the map must not fetch anything from the internet"
    features = deck["layers"][0]["data"]["features"]
    assert len(features) == 40  # one polygon per district of the default city
    assert all("<br/>" in f["properties"]["tooltip"] for f in features)
    figures = [json.loads(p.proto.spec) for p in at.get("plotly_chart")]
    assert len(figures) == 3
    assert all(f["layout"]["title"]["text"] for f in figures), "every chart carries a title"


def test_changing_the_map_indicator_recolours_the_map():
    at = _open(PAGES[0], "ja")
    before = [f["properties"]["fill"] for f in _deck(at)["layers"][0]["data"]["features"]]
    at.segmented_control(key="home_indicator").set_value("population").run()
    assert not at.exception
    after = [f["properties"]["fill"] for f in _deck(at)["layers"][0]["data"]["features"]]
    assert before != after


@pytest.mark.fast
def test_language_switch_translates_the_page():
    at = _open(PAGES[0], "ja")
    assert at.title[0].value == i18n.t("home.title", "ja")
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == i18n.t("home.title", "en")
    assert "Population" in [m.label for m in at.metric]


DATA_PAGE = next(p for p in PAGES if p.path == "pages/data.py")
NURSERY_PAGE = next(p for p in PAGES if p.path == "pages/nursery.py")


def _every_tab(at: AppTest) -> tuple[list[dict], list[dict], list[str]]:
    """The figures, maps and captions of every tab of the page, each tab opened in turn."""
    figures, decks, captions = [], [], []
    for _ in each_tab(at):
        assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
        figures += [json.loads(p.proto.spec) for p in at.get("plotly_chart")]
        decks += [json.loads(d.proto.json) for d in at.get("deck_gl_json_chart")]
        captions += [c.value for c in at.caption]
    return figures, decks, captions


def _metric(at: AppTest, key: str, lang: str = "ja", **values) -> str:
    label = i18n.t(key, lang, **values)
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.fast
def test_nursery_page_renders_every_tab_with_its_figures():
    at = _open(NURSERY_PAGE, "ja")
    assert not at.exception and not at.error
    assert [tab.label for tab in at.tabs] == [i18n.t(k, "ja") for k in
                                              ("nursery.tab.now", "nursery.tab.future", "nursery.tab.plan")]
    figures, decks, captions = _every_tab(at)
    assert len(figures) == 4  # waterfall, trend, ages, projection
    assert figures[0]["data"][0]["type"] == "waterfall"
    # the projection carries its fan (80% and 95% bands, the median) and says what caps the rate
    assert {i18n.t(f"nursery.fan.{k}", "ja") for k in ("80", "95", "median")} <= {
        trace.get("name") for trace in figures[3]["data"]}
    cap = i18n.t("nursery.projection.cap", "ja", cap=f"{nursery.MAX_APPLICATION_RATE:.1%}")
    assert cap in captions
    assert all(f["layout"]["title"]["text"] for f in figures)
    assert len(decks) == 2 and "http" not in json.dumps(decks)
    assert len(decks[0]["layers"][0]["data"]["features"]) == 40
    assert _metric(at, "nursery.metric.official").endswith("人")


def test_nursery_budget_and_walking_distance_change_the_plan():
    at = _open(NURSERY_PAGE, "en")
    reached = lambda walk: _metric(at, "nursery.metric.reached", "en", walk=walk)  # noqa: E731
    radius = lambda: json.loads(at.get("deck_gl_json_chart")[-1].proto.json)["layers"][-2]["data"][0]["r"]  # noqa: E731
    # a budget the waiting children within 800 m do not use up, so that the reach decides
    widget(at, "number_input", "nursery_budget_seats").set_value(1000).run()
    base = reached(800)
    assert radius() == 800
    at.select_slider(key="nursery_walk").set_value(1500).run()
    assert not at.exception
    assert radius() == 1500
    farther = reached(1500)
    assert farther != base  # more waiting children within reach of the same budget
    at.number_input(key="nursery_budget_seats").set_value(100).run()
    assert not at.exception
    assert reached(1500) != farther
    # the before/after table shows estimates under the threshold as <10 (est.), never as small numbers
    table = next(df.value for df in at.dataframe if i18n.t("col.before", "en") in df.value.columns)
    texts = table[[i18n.t(f"col.{c}", "en") for c in ("before", "after", "reduction")]].to_numpy().ravel()
    numbers = pd.to_numeric(pd.Series(texts).str.replace(",", ""), errors="coerce")
    assert not ((numbers > 0) & (numbers < 10)).any()
    assert i18n.t("nursery.estimate_below", "en", limit=10) in set(texts)


def test_a_page_draws_its_open_tab_only_and_keeps_the_settings_of_the_others():
    at = _open(NURSERY_PAGE, "ja")
    with pytest.raises(KeyError):  # the first run draws the first tab only
        at.number_input(key="nursery_budget_seats")
    widget(at, "number_input", "nursery_budget_seats").set_value(140).run()
    places = _metric(at, "nursery.metric.places")
    open_tab(at, 0)
    with pytest.raises(KeyError):
        at.number_input(key="nursery_budget_seats")
    open_tab(at, 2)  # back on the plan: the budget and its plan are as they were left
    assert at.number_input(key="nursery_budget_seats").value == 140
    assert _metric(at, "nursery.metric.places") == places


def test_a_link_opens_a_page_on_its_tab():
    at = _app("ja")
    at.run()
    at.query_params[NURSERY_PAGE.tab_key] = i18n.t("nursery.tab.plan", "ja")
    at.switch_page(NURSERY_PAGE.path).run()
    assert not at.exception
    assert at.number_input(key="nursery_budget_seats").value == 300  # the plan tab is drawn


def test_nursery_page_shows_the_count_at_every_reach_and_plans_for_one():
    at = _open(NURSERY_PAGE, "ja")
    table = _table_with(at, i18n.t("col.reach", "ja"))
    assert len(table) == len(nursery.REACHES_KM)
    default = i18n.t("nursery.reach.km_default", "ja", r=f"{nursery.DEFAULT_REACH_KM:g}")
    row = table[table[i18n.t("col.reach", "ja")] == default]
    assert [f"{v}人" for v in row[i18n.t("col.official", "ja")]] == [_metric(at, "nursery.metric.official")]
    widget(at, "segmented_control", "nursery_target").set_value("official").run()
    assert not at.exception
    served = _metric(at, "nursery.metric.share")
    at.select_slider(key="nursery_reach").set_value(1.0).run()
    assert not at.exception
    assert _metric(at, "nursery.metric.share") != served  # more children count as waiting at 1 km


FACILITIES_PAGE = next(p for p in PAGES if p.path == "pages/facilities.py")


def _table_with(at: AppTest, header: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if header in df.value.columns)


@pytest.mark.fast
def test_facilities_page_renders_every_tab_with_its_figures():
    at = _open(FACILITIES_PAGE, "ja")
    assert not at.exception and not at.error
    assert [tab.label for tab in at.tabs] == [i18n.t(k, "ja") for k in ("facilities.tab.now", "facilities.tab.cost",
                                                                         "facilities.tab.cards", "facilities.tab.plan")]
    figures, decks, _ = _every_tab(at)
    assert len(figures) == 6  # built years, categories, projection, scenarios, shortfall, screening
    assert all(f["layout"]["title"]["text"] for f in figures)
    assert any(shape.get("x0") == 1981 for shape in figures[0]["layout"].get("shapes", []))  # the seismic line
    assert _metric(at, "facilities.metric.yearly", years=40).endswith("億円")
    assert len(decks) == 1 and "http" not in json.dumps(decks)
    assert len(decks[0]["layers"][0]["data"]["features"]) == 40


def test_life_extension_changes_the_projection():
    at = _open(FACILITIES_PAGE, "en")
    yearly = lambda: _metric(at, "facilities.metric.yearly", "en", years=40)  # noqa: E731
    open_tab(at, 1)  # the renewal cost
    title = lambda: json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]  # noqa: E731
    simple, simple_title = yearly(), title()
    at.segmented_control(key="fac_scenario").set_value("long_life").run()
    assert not at.exception and not at.error
    long_life = yearly()
    assert long_life != simple and title() != simple_title
    assert title().startswith(i18n.t("facilities.scenario.long_life", "en"))
    at.toggle(key="fac_mid_repairs").set_value(True).run()  # the 加古川市 mid-scale repairs cost more
    assert float(yearly().strip("¥ bn")) > float(long_life.strip("¥ bn"))
    # the first year starts after the past investment it is compared with (FY2025 in the sample)
    assert at.number_input(key="fac_start").min == Catalog().get("past_investment")["fiscal_year"].max() + 1
    at.slider(key="fac_rebuild_age").set_value(70).run()  # the simple scenario's cycle: longer lives
    at.segmented_control(key="fac_scenario").set_value("simple").run()
    assert float(yearly().strip("¥ bn")) < float(simple.strip("¥ bn"))


def test_the_screening_proposal_from_the_cards_tab_fills_the_plan_closures():
    # the button sits in the cards panel; the closures are the plan panel's widget
    at = _open(FACILITIES_PAGE, "en")
    widget(at, "slider", "fac_pct").set_value(60).run()  # a wider review group than the default
    cat = Catalog()
    cards = fac.facility_cards(cat.get("facilities"), cat.get("buildings"), cat.get("facility_operations"),
                               fac.latest_year(cat.get("facility_operations")))
    expected = fac.screening_proposal(cards, fac.screening(cards, utilisation_percentile=0.6, age_years=40))
    assert len(expected) > 0
    at.button(key="fac_take").click().run()
    assert not at.exception and not at.error
    # the plan tab opens, with the proposal as its closures
    assert at.session_state["facilities_tab"] == i18n.t("facilities.tab.plan", "en")
    assert list(at.multiselect(key="fac_close").value) == list(expected)
    assert _metric(at, "facilities.metric.area_saved", "en") != "0 m²"


def test_closing_a_facility_changes_the_access_table():
    at = _open(FACILITIES_PAGE, "en")
    open_tab(at, 3)  # consolidation
    header = i18n.t("col.mean_distance_after", "en")
    before = _table_with(at, header).copy()
    facilities = Catalog().get("facilities")
    kominkan = facilities.loc[facilities["subcategory"] == "公民館", "facility_id"].iloc[0]
    at.multiselect(key="fac_close").select(kominkan).run()
    assert not at.exception and not at.error
    after = _table_with(at, header)
    assert not after[header].equals(before[header])  # the 公民館 network lost a hall: some districts are farther
    assert _metric(at, "facilities.metric.area_saved", "en") != "0 m²"
    # the receivers' load is labelled an upper bound (every visit moves); demolition is its own line
    upper, decayed = i18n.t("col.load_upper", "en"), i18n.t("col.load_after", "en")
    loads = _table_with(at, upper)
    assert decayed not in loads.columns
    assert any(i18n.t("facilities.saving.breakdown", "en").split(":")[0].format(years=40) in c.value
               and "demolition" in c.value for c in at.caption)
    at.toggle(key="fac_decay").set_value(True).run()  # a share of the visits moves: the load is at most the bound
    assert not at.exception and not at.error
    loads = _table_with(at, decayed)
    pct = lambda col: pd.to_numeric(loads[col].str.rstrip("%"), errors="coerce")  # noqa: E731
    known = pct(upper).notna()  # receivers without a capacity show no load
    assert known.any() and (pct(decayed)[known] <= pct(upper)[known]).all()
    assert (pct(decayed)[known] < pct(upper)[known]).any()
    assert any("2 km" in c.value for c in at.caption)  # the assumed half distance is stated


HEALTH_PAGE = next(p for p in PAGES if p.path == "pages/health.py")


@pytest.mark.fast
def test_health_page_renders_every_tab_with_its_figures():
    at = _open(HEALTH_PAGE, "ja")
    assert not at.exception and not at.error
    assert [tab.label for tab in at.tabs] == [i18n.t(f"health.tab.{k}", "ja")
                                              for k in ("status", "who", "trial", "rollout", "targeting")]
    figures, decks, readings = [], [], []
    for i in each_tab(at):
        assert not at.exception and not at.error
        figures += [json.loads(p.proto.spec) for p in at.get("plotly_chart")]
        decks += [json.loads(d.proto.json) for d in at.get("deck_gl_json_chart")]
        readings += [info.value for info in at.info]
        if i == 2:  # the trial
            _check_yen_per_extra_attendee(at, "ja")
    # trend, band × sex, patterns, forest, segments, event study, policies, Qini
    assert len(figures) == 8 and all(f["layout"]["title"]["text"] for f in figures)
    assert _metric(at, "health.metric.eligible").endswith("人")
    # differences in the short unit, so that a metric fits its column at 1280 px (「-23.5pt」, not 「-23.5ポイ…」)
    assert all(_metric(at, k).endswith("pt") for k in ("health.metric.to_target", "health.metric.national"))
    assert len(decks) == 2 and "http" not in json.dumps(decks)
    assert any("ナッジ通知は受診率を+" in r for r in readings)  # the trial's plain-language reading
    assert any("新しい健診会場" in r for r in readings)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_an_impossible_power_question_is_explained_and_hides_no_tab(lang):
    """A baseline of 95% plus a lift of 20 points would be 115%: the planner is told so in the
    power planner, and the tabs after it (roll-out, targeting) still show their figures."""
    at = _open(HEALTH_PAGE, lang)
    widget(at, "number_input", "health_baseline")  # opens the trial tab
    figures = len(at.get("plotly_chart"))
    at.number_input(key="health_baseline").set_value(95).run()
    at.number_input(key="health_lift").set_value(20.0).run()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning if "100%" in w.value] == [
        i18n.t("health.power.invalid", lang, baseline="95%", lift="20")]
    assert len(at.get("plotly_chart")) == figures  # the trial's forest is still drawn
    for _ in each_tab(at):  # and every tab, the roll-out and targeting after it too
        assert not at.exception and not at.error and at.get("plotly_chart")
    widget(at, "number_input", "health_lift").set_value(3.0).run()
    assert not at.warning or all("100%" not in w.value for w in at.warning)
    assert _metric(at, "health.metric.per_arm", lang)


def test_a_failure_in_one_tab_leaves_the_others_drawn(monkeypatch):
    at = _open(HEALTH_PAGE, "en")
    widget(at, "number_input", "health_lift")  # opens the trial tab
    figures = len(at.get("plotly_chart"))

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the power planner")

    monkeypatch.setattr(health, "sample_size_per_arm", broken)
    at.number_input(key="health_lift").set_value(4.0).run()
    assert not at.exception
    assert [e.value for e in at.error] == [i18n.t("error.page", "en", what="RuntimeError")]
    assert len(at.get("plotly_chart")) == figures  # the trial's own chart beside the failed panel
    for i in (3, 4):  # the tabs after the trial still draw their charts
        open_tab(at, i)
        assert not at.exception and not at.error and at.get("plotly_chart")


@pytest.mark.parametrize("lang", ["en"])  # the page's other strings are checked in both languages elsewhere
def test_a_district_left_out_of_the_rollout_is_named_and_the_rest_estimated(monkeypatch, lang):
    real = health.did_panel

    def one_left_out(pub, sites):
        rollout = real(pub, sites)
        dropped = str(rollout.panel["district_id"].iloc[0])
        return health.RolloutPanel(rollout.panel[rollout.panel["district_id"] != dropped], (dropped,))

    monkeypatch.setattr(health, "did_panel", one_left_out)
    st.cache_data.clear()
    try:
        at = _open(HEALTH_PAGE, lang)
        open_tab(at, 3)  # the roll-out
    finally:
        st.cache_data.clear()
    assert not at.exception and not at.error
    districts = Catalog().get("districts").set_index("district_id")["name_ja" if lang == "ja" else "name_en"]
    dropped = real(Catalog().publication(10), Catalog().get("checkup_sites")).panel["district_id"].iloc[0]
    notes = [i.value for i in at.info if i.value == i18n.t("health.did.left_out", lang, n=1,
                                                            districts=districts[dropped])]
    assert len(notes) == 1
    assert _metric(at, "health.metric.did", lang)  # the estimate on the other districts


def _check_yen_per_extra_attendee(at: AppTest, lang: str) -> None:
    """The trial table's yen per extra attendee carries its interval, never a negative figure."""
    column = i18n.t("col.cost_per_extra", lang)
    table = next(df.value for df in at.dataframe if column in df.value.columns)
    readout = health.published_trial(Catalog().publication(10), cost_per_letter_yen={"standard": 84, "nudge": 120})
    expected = []
    for _, e in readout.effects.iterrows():
        high = (i18n.t("health.cost.no_upper", lang) if e["cost_per_extra_high_yen"] == np.inf
                else f"{e['cost_per_extra_high_yen']:,.0f}")
        expected.append(i18n.t("health.cost.range", lang, cost=f"{e['cost_per_extra_attendee_yen']:,.0f}",
                               low=f"{e['cost_per_extra_low_yen']:,.0f}", high=high))
    assert list(table[column]) == expected
    assert not any(v.lstrip().startswith("-") or "(-" in v or "（-" in v for v in table[column])


def test_the_letter_budget_changes_the_targeting_result():
    at = _open(HEALTH_PAGE, "en")
    open_tab(at, 4)  # targeting
    reading = lambda: next(i.value for i in at.info if i.value.startswith("With "))  # noqa: E731
    qini = lambda: json.loads(at.get("plotly_chart")[-1].proto.spec)  # noqa: E731
    before = reading()
    at.slider(key="health_letters").set_value(30000).run()
    assert not at.exception and not at.error
    after = reading()
    assert after != before and "30,000" in after
    at.segmented_control(key="health_target_arm").set_value("standard").run()
    assert reading() != after and qini()["layout"]["title"]["text"]


def _change_file(edits: dict | None = None) -> bytes:
    """The synthetic population_change as a planner's CP932 CSV with Japanese headers."""
    table = Catalog().get("population_change").rename(columns={"district_id": "地区ID", "fiscal_year": "年度"})
    table = table.astype(str)
    for (row, column), value in (edits or {}).items():
        table.loc[row, column] = value
    return ("令和7年度 人口動態\n\n" + table.to_csv(index=False)).encode("cp932", errors="replace")


def _sources(at: AppTest) -> dict:
    overview = at.dataframe[0].value
    return dict(zip(overview[overview.columns[0]], overview[overview.columns[-1]], strict=True))


def test_a_planner_uploads_a_file_fixes_it_uses_it_and_goes_back():
    at = _open(DATA_PAGE, "en")
    name = "population_change"
    bad = _change_file({(0, "births"): "<img src=x onerror=alert(1)>"})
    at.multiselect(key="upload_choice").set_value([name]).run()
    at.file_uploader(key=f"up_{name}").set_value(("jinkou.csv", bad, "text/csv")).run()
    assert not at.exception
    assert any("jinkou.csv" in e.value for e in at.error)  # refused, in the UI language
    problems = next(df.value for df in at.dataframe if "how to fix" in df.value.columns)
    assert problems["row"].tolist()[0] == "4"  # title, blank, header: the first data row is line 4
    assert "<img src=x onerror=alert(1)>" in problems["value"].tolist()  # shown as text
    assert not [b for b in at.button if b.key == "use_staged"]  # nothing to use
    assert _sources(at)[name] == i18n.t("source.kind.synthetic", "en")
    good = _change_file()
    at.file_uploader(key=f"up_{name}").set_value(("jinkou.csv", good, "text/csv")).run()
    assert not at.error and any("jinkou.csv" in s.value for s in at.success)
    at.button(key="use_staged").click().run()
    assert not at.exception
    used = i18n.t("data.upload.used", "en", names="").split(":")[0]
    assert any(used in s.value for s in at.success) and at.multiselect(key="upload_choice").value == []
    assert _sources(at)[name] == i18n.t("source.kind.upload", "en", label="jinkou.csv")
    other = _open(DATA_PAGE, "en")  # another session still sees the synthetic city
    assert _sources(other)[name] == i18n.t("source.kind.synthetic", "en")
    at.button(key=f"reset_{name}").click().run()
    assert _sources(at)[name] == i18n.t("source.kind.synthetic", "en")


def _population_file(rows: pd.DataFrame) -> bytes:
    """Population rows as a planner's CSV under a title and a blank line (the header is line 3)."""
    return ("令和6年度 住民基本台帳人口\n\n" + rows.astype(str).to_csv(index=False)).encode("utf-8")


def _problems_table(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "how to fix" in df.value.columns)


def test_every_line_of_a_problem_is_listed_and_downloadable():
    """Meshes the city lacks on 23 lines: one problem whose row lists every line (issue 26, item 3),
    and a download of every line concerned."""
    at = _open(DATA_PAGE, "en")
    rows = Catalog().get("population").head(40).copy()
    rows["mesh_code"] = rows["mesh_code"].astype(str)
    bad = [0, 1, 2, 10, *range(20, 39)]  # data row i is line i + 4
    rows.iloc[bad, rows.columns.get_loc("mesh_code")] = "533946391"  # Tokyo
    at.multiselect(key="upload_choice").set_value(["population"]).run()
    at.file_uploader(key="up_population").set_value(("jinkou.csv", _population_file(rows), "text/csv")).run()
    assert not at.exception and any("jinkou.csv" in e.value for e in at.error)
    problems = _problems_table(at)
    unknown = problems[problems["column"] == "mesh_code"].iloc[0]
    assert unknown["row"] == "4" and unknown["lines affected"] == "23"
    assert unknown["lines"] == "4–6, 14, 24–42"  # by hand: 0–2, 10, 20–38 plus 4
    labels = [b.proto.label for b in at.get("download_button")]
    assert i18n.t("data.upload.lines", "en") in labels


def test_100_and_over_in_the_age_column_is_a_warning_and_the_file_is_used():
    """100歳以上 where the contract's 100 means 100 and over (issue 26, item 4): a warning, no error;
    the file can be used and is served with 100."""
    at = _open(DATA_PAGE, "en")
    pop = Catalog().get("population")
    rows = pop[pop["age"] == 100].head(3).copy()
    rows["age"] = ["100歳以上", "１００歳以上", "100+"]
    at.multiselect(key="upload_choice").set_value(["population"]).run()
    at.file_uploader(key="up_population").set_value(("jinkou.csv", _population_file(rows), "text/csv")).run()
    assert not at.exception and not at.error
    problems = _problems_table(at)
    top = problems[problems["column"] == "age"].iloc[0]
    assert top["severity"] == "warning" and "100 and over" in top["problem"] and top["lines"] == "4–6"
    at.button(key="use_staged").click().run()
    assert not at.exception and _sources(at)["population"] == i18n.t("source.kind.upload", "en", label="jinkou.csv")


def _corpus_sample(cases: list[dict]) -> list[dict]:
    """One file of each kind of case: each outcome (refused, accepted) × file type."""
    seen, sample = set(), []
    for case in cases:
        kind = (case["outcome"], Path(case["file"]).suffix)
        if kind not in seen:
            seen.add(kind)
            sample.append(case)
    return sample


def test_a_sample_of_the_corpus_through_the_uploader():
    """One file of each kind of case of tests/data/bad through the Data page's uploader (every
    file: :func:`test_every_file_of_the_corpus_through_the_uploader`, ``make test-all``; every file
    through ``Catalog.load_file``: tests/test_bad_files.py)."""
    from tests.test_bad_files import CASES

    sample = _corpus_sample(CASES)
    assert {c["outcome"] for c in sample} == {"refused", "accepted"} and len(sample) < len(CASES)
    _through_uploader(sample)


@pytest.mark.full
def test_every_file_of_the_corpus_through_the_uploader():
    from tests.test_bad_files import CASES

    _through_uploader(CASES)


def _through_uploader(cases: list[dict]) -> None:
    """Each crafted file through the Data page's uploader in one session: no exception, refused
    files get the error and no "use" button, accepted ones the button; the data in use stay the
    synthetic city's throughout (nothing is used without the button)."""
    from tests.bad_corpus import BAD

    at = _open(DATA_PAGE, "en")
    synthetic = _sources(at)
    for case in cases:
        if case.get("max_bytes"):  # the deployment's limit is in MB: the byte limit is tested on load_file
            continue
        name, file = case["dataset"], case["file"]
        at.multiselect(key="upload_choice").set_value([name]).run()
        at.file_uploader(key=f"up_{name}").set_value((file, (BAD / file).read_bytes(), "application/octet-stream"))
        at.run()
        assert not at.exception, (file, [e.value for e in at.exception])
        can_use = bool([b for b in at.button if b.key == "use_staged"])
        if case["outcome"] == "refused":
            assert not can_use and any(file in e.value for e in at.error), file
        else:
            assert can_use and not at.error, (file, [e.value for e in at.error])
        assert _sources(at) == synthetic, file


def test_every_page_runs_on_thin_data_that_passed_the_checks():
    """A planner's data with less history than the synthetic city: one year of residents, of
    nursery applications and of facility operations, two years of checkups, no new checkup site.
    Every file passes the checks (the projection's warning aside); every page runs without an
    error box, saying in place of each part the data do not reach why it is missing."""
    cat = Catalog()

    def latest(name: str, years: int = 1) -> pd.DataFrame:
        df = cat.get(name)
        return df[df["fiscal_year"] > df["fiscal_year"].max() - years]

    thin = {"population": latest("population"), "nursery_applications": latest("nursery_applications"),
            "facility_operations": latest("facility_operations"), "checkups": latest("checkups", 2),
            "checkup_sites": cat.get("checkup_sites").assign(opened_fiscal_year=2000)}
    for name, frame in thin.items():
        errors = [p.message_en for p in cat.replace(name, frame, f"{name}.csv") if p.severity == "error"]
        assert not errors and cat.source(name).kind == "upload", (name, errors)
    infos = {}
    for spec in PAGES:
        at = _app("ja")
        at.session_state["catalog"] = cat
        at.run()
        if spec.path != PAGES[0].path:
            at.switch_page(spec.path).run()
        infos[spec.path] = []
        for _ in each_tab(at):
            assert not at.exception and not at.error, (spec.path, [e.value for e in [*at.exception, *at.error]])
            infos[spec.path] += [i.value for i in at.info]
    missing = i18n.t("needs.projection_history", "ja")
    assert missing in infos["pages/nursery.py"] and missing in infos["pages/facilities.py"]


def test_a_template_filled_with_the_synthetic_rows_shows_the_same_figures():
    """The round trip: the population-change template downloaded, filled with the synthetic rows,
    uploaded; the home page (births, the district table and map) shows exactly what it shows on
    the built-in data."""
    name = "population_change"
    cat = Catalog()
    tpl = template_for_data(name, cat.get)
    problems = cat.load_file(name, fill(tpl, cat.get(name), name), tpl.file_name)
    assert not [p for p in problems if p.severity == "error"] and cat.source(name).kind == "upload"
    own = _app("ja")
    own.session_state["catalog"] = cat
    own.run()
    builtin = _open(PAGES[0], "ja")
    assert not own.exception and not builtin.exception
    assert [m.value for m in own.metric] == [m.value for m in builtin.metric] and own.metric
    assert len(own.dataframe) == len(builtin.dataframe)
    for a, b in zip(own.dataframe, builtin.dataframe, strict=True):
        pd.testing.assert_frame_equal(a.value, b.value)
    own_data = i18n.t("app.badge_own", "ja", names="").split(":")[0]  # the badge says whose data is shown
    assert any(own_data in m.value for m in own.markdown) and not any(own_data in m.value for m in builtin.markdown)


# ----------------------------------------------------------------------------- counts of people on every page


@dataclass(frozen=True)
class PageCounts:
    """What a page shows as counts of people: metrics by their i18n key, and how many tables,
    charts and maps do. Every one of them must carry the publication's mark (an unmarked one
    makes the number of marked elements fall short and the test fail)."""

    metrics: tuple[str, ...] = ()
    tables: int = 0
    charts: int = 0
    maps: int = 0
    # labels <100 / χ expected at a threshold of 100 on the small city (the page shows published
    # tables); 0 for a page whose counts are sums of whole published meshes, which are never
    # small there (estimate_labels and the mesh publication have their own tests)
    hidden_at_100: int = 5


def _published_downloads() -> int:
    return sum(1 for s in registry.DATASETS.values() if s.download is not None)


# Each page states here which of its elements show counts of people.
COUNTS_SHOWN = {
    "pages/home.py": lambda: PageCounts(metrics=("home.metric.population", "nursery.metric.official",
                                                 "nursery.metric.hidden"), tables=1, charts=3, maps=1),
    "pages/nursery.py": lambda: PageCounts(metrics=("nursery.metric.official", "nursery.metric.hidden",
                                                    "nursery.metric.applications"), tables=2, charts=3, maps=1),
    "pages/facilities.py": lambda: PageCounts(metrics=("facilities.metric.beyond",), tables=2, maps=1,
                                              hidden_at_100=0),
    # the small city's health counts are city, band and district totals: none is small enough to hide
    "pages/health.py": lambda: PageCounts(metrics=("health.metric.eligible",), tables=2, charts=1, maps=1,
                                          hidden_at_100=0),
    "pages/data.py": lambda: PageCounts(tables=_published_downloads()),
}


def _scan(spec, threshold: int, lang: str = "ja"):
    at = _app(lang)
    at.secrets["suppression_threshold"] = threshold
    at.run()
    if spec.path != PAGES[0].path:
        at.switch_page(spec.path).run()
    declared = COUNTS_SHOWN[spec.path]()
    scan = Scan()
    for i in each_tab(at):  # a page draws its open tab only
        assert not at.exception, [e.value for e in at.exception]
        # metric labels may carry a fiscal year or other values: match on the translated text before them
        labels = tuple(m.label for m in at.metric for key in declared.metrics
                       if m.label.startswith(i18n.t(key, lang).split("（")[0].split(" (")[0].split("{")[0]))
        tab = scan_page(at, labels)
        scan.values += [(f"tab {i} {where}", v) for where, v in tab.values]
        scan.marked_tables += [(i, k) for k in tab.marked_tables]
        scan.marked_charts += [(i, k) for k in tab.marked_charts]
        scan.marked_maps += [(i, k) for k in tab.marked_maps]
        scan.metrics.update(tab.metrics)
    return at, declared, scan


@pytest.mark.fast
def test_every_page_states_what_it_shows_as_counts():
    assert set(COUNTS_SHOWN) == {spec.path for spec in PAGES}


@pytest.mark.parametrize("threshold", [10, 100])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.path)
def test_shown_counts_are_never_below_the_threshold(spec, threshold, small_city, published_small_city, monkeypatch):
    """No table, metric, chart or map tooltip on any page shows a count of people from 1 to
    threshold − 1, and every element the page declares as showing counts carries the mark.
    At a threshold of 100 (on a small city) most district counts disappear, so this test
    would catch any output that bypasses the publication."""
    if threshold != 10:
        monkeypatch.setenv(registry.DATA_DIR_ENV, str(small_city))
    _, declared, scan = _scan(spec, threshold)
    assert len(scan.metrics) == len(declared.metrics), scan.metrics
    assert len(scan.marked_tables) == declared.tables, scan.marked_tables
    assert len(scan.marked_charts) == declared.charts, scan.marked_charts
    assert len(scan.marked_maps) == declared.maps, scan.marked_maps
    assert scan.values, "the page shows counts: the scan must find them"
    assert scan.small(threshold) == [], scan.small(threshold)[:10]
    if threshold == 100:  # not vacuous: many counts are hidden
        assert sum(str(v) in ("<100", "χ") for _, v in scan.values) >= declared.hidden_at_100


@pytest.mark.fast
def test_the_threshold_is_the_deployments_and_shown_read_only():
    at = _app("ja")
    at.secrets["suppression_threshold"] = 10
    at.session_state["suppression_threshold"] = 3  # a session key changes nothing
    at.query_params["suppression_threshold"] = "3"  # nor does the URL
    at.run()
    assert not at.exception
    assert any("10 人" in c.value and "閾値" in c.value for c in at.sidebar.caption)
    assert not at.sidebar.number_input and not at.sidebar.slider and not at.sidebar.text_input
    plain = _app("ja")
    plain.secrets["suppression_threshold"] = 10
    plain.run()
    assert scan_page(at).values == scan_page(plain).values  # the overrides changed nothing


@pytest.mark.fast
def test_an_invalid_threshold_setting_shows_no_counts():
    at = _app("en")
    at.secrets["suppression_threshold"] = 2
    at.run()
    assert not at.exception
    assert at.error and "suppression_threshold" in at.error[0].value
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")


# ----------------------------------------------------------------------------- a throw-away domain


@pytest.fixture(scope="session")
def toy_city_dir(tmp_path_factory) -> Path:
    """The synthetic city's files plus the throw-away domain's, once per worker: the city's
    publication with the toy block is computed once and cached beside them (cache/)."""
    root = tmp_path_factory.mktemp("toy_city")
    for entry in registry.DATASETS.values():
        (root / entry.file).symlink_to(registry.SAMPLE_DATA_DIR / entry.file)
    pd.DataFrame({"district_id": ["D001", "D002", "D003"], "visitors": [3, 500, 800]}).to_parquet(
        root / toy_domain.SPEC.file)
    return root


# the toy domain's tests share one worker, so its publication is computed once
toy_group = pytest.mark.xdist_group("toy_domain")


@pytest.fixture
def toy_city(toy_city_dir, monkeypatch):
    """The synthetic city plus a throw-away domain (tests/toy_domain: a package, listed like the
    real ones) whose one dataset has a planted small count (3)."""
    monkeypatch.setenv(registry.DATA_DIR_ENV, str(toy_city_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    with domains.including(toy_domain.PACKAGE):
        yield toy_city_dir
    st.cache_data.clear()
    st.cache_resource.clear()


@toy_group
def test_a_new_domain_is_listed_downloaded_suppressed_and_scanned(toy_city, monkeypatch):
    at, declared, scan = _scan(DATA_PAGE, 10, "en")
    assert any(toy_domain.TOY in e.label for e in at.expander)
    # population, population change, nursery applications, checkups, toy
    assert declared.tables == 5 and len(scan.marked_tables) == 5
    tab, table = scan.marked_tables[-1]
    toy_rows = [v for where, v in scan.values if where.startswith(f"tab {tab} table {table}:visitors_label")]
    # 3 hidden; to let it read as 1–9 one more count of its line must move with it: of 500, 800
    # and the total 1,303 the cheapest (fewest persons hidden) is 500
    assert toy_rows == ["<10", "χ", "800", "1,303"]
    assert scan.small(10) == []

    # Bypass the suppression: the same scan now catches the planted count.
    def nothing_hidden(x, equations, inequalities, t):
        none = np.zeros(len(x), bool)
        return none, none, audit(x, none, none, Relations.build(len(x), equations, inequalities), t)

    monkeypatch.setattr(privacy, "suppress", nothing_hidden)
    stored = [*Path(toy_city, "cache").glob("*.npz"), *Path(toy_city, "cache").glob("*.pickle")]
    for path in stored:  # set aside the pattern and the built publication: the leaky ones must not be
        path.rename(path.with_name(path.name + ".kept"))  # kept where the other tests read
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        _, _, leaky = _scan(DATA_PAGE, 10, "en")
    finally:
        for path in [*Path(toy_city, "cache").glob("*.npz"), *Path(toy_city, "cache").glob("*.pickle")]:
            path.unlink()
        for path in stored:
            path.with_name(path.name + ".kept").rename(path)
    assert ("3" in [v for _, v in leaky.small(10)]) or (3.0 in [v for _, v in leaky.small(10)]), leaky.small(10)[:5]




@toy_group
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_new_domain_draws_its_home_card_in_both_languages(toy_city, lang):
    at = _app(lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [m.value for m in at.markdown]
    assert f"**{i18n.t('home.theme.toy', lang)}**" in shown
    assert i18n.t("home.theme.toy.q", lang) in [c.value for c in at.caption]
    metrics = {m.label: m.value for m in at.metric}
    # through the publication: the city total shown, the planted 3 of D001 only as "<10"
    assert metrics[i18n.t("toy.metric.city", lang)] == i18n.t("unit.persons", lang, n="1,303")
    assert metrics[i18n.t("toy.metric.first", lang, district="D001")] == "<10"


@toy_group
def test_a_new_domain_downloads_only_its_suppressed_table(toy_city):
    catalog = Catalog()
    tables = registry.download_tables(catalog.data(), catalog.publication(10), "合計")
    toy = tables[toy_domain.TOY]
    assert list(toy["visitors_label"]) == ["<10", "χ", "800", "1,303"]
    assert 3 not in set(toy["visitors"].dropna())
    assert {"visitors", "visitors_label"} <= set(counted_columns(toy))
