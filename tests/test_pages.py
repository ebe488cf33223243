"""AppTest of every page in the navigation, in both languages."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n
from ui.nav import PAGES

TIMEOUT = 60


def _app(lang: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    return at


def _open(spec, lang: str) -> AppTest:
    at = _app(lang)
    at.run()
    if spec.path != PAGES[0].path:
        at.switch_page(spec.path).run()
    return at


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.path)
def test_every_page_runs_without_errors(spec, lang):
    at = _open(spec, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(at.title) == 1
    # Titles come from the translation table in the session's language.
    other = [lg for lg in i18n.LANGUAGES if lg != lang][0]
    assert at.title[0].value != i18n.t("home.title", other) and at.title[0].value != i18n.t("data.title", other)


def _deck(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_home_shows_headline_map_and_charts_in_japanese():
    at = _open(PAGES[0], "ja")
    labels = [m.label for m in at.metric]
    assert labels[0] == "人口" and labels[1].startswith("高齢化率")
    assert at.metric[0].value.endswith("人")
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


def test_language_switch_translates_the_page():
    at = _open(PAGES[0], "ja")
    assert at.title[0].value == i18n.t("home.title", "ja")
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == i18n.t("home.title", "en")
    assert at.metric[0].label == "Population"


def test_data_page_lists_every_dataset_with_a_download():
    from analytics.catalog import Catalog

    at = _open(next(p for p in PAGES if p.path == "pages/data.py"), "en")
    names = Catalog().names()
    assert len(at.expander) == len(names)
    downloads = at.get("download_button")
    assert len(downloads) >= len(names)


@pytest.mark.parametrize("threshold", [10, 1000])
def test_shown_counts_are_never_below_the_threshold(threshold):
    """No table on any page shows a count of people from 1 to threshold − 1.

    With a threshold of 1,000 most district counts must disappear, so this test would
    catch a table that bypasses the privacy module.
    """
    for spec in PAGES:
        at = _app("ja")
        at.session_state["suppression_threshold"] = threshold
        at.run()
        if spec.path != PAGES[0].path:
            at.switch_page(spec.path).run()
        assert not at.exception
        checked = 0
        for df in at.dataframe:
            frame = df.value
            for col in frame.columns:
                if str(col) in NOT_COUNTS:
                    continue
                text = frame[col].astype(str)
                counts = text[text.str.fullmatch(r"\d{1,3}(,\d{3})*")].str.replace(",", "").astype(int)
                checked += len(counts)
                small = (counts > 0) & (counts < threshold)
                assert not small.any(), (spec.path, col, counts[small].tolist())
        assert checked > 0


# Columns of small integers that are not counts of people (net migration is the difference
# of two counts that are themselves shown or hidden).
NOT_COUNTS = {"fiscal_year", "年度", "列数", "columns", "行数", "rows", "net_migration"}
