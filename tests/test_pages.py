"""AppTest of every page in the navigation, in both languages."""

from __future__ import annotations

import base64
import json
import re

import numpy as np

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


def _decode(values) -> list[float]:
    """Numbers of a plotly trace array (plain list or plotly's base64 typed array)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).astype(float).tolist()
    if isinstance(values, list):
        return [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return []


COUNT_TEXT = re.compile(r"^\d{1,3}(,\d{3})*(人)?$")


def _shown_counts(at: AppTest) -> list[tuple[str, float]]:
    """Every count of people the page shows: table cells, metrics, chart values and labels, map tooltips."""
    found: list[tuple[str, float]] = []
    for df in at.dataframe:
        for col in df.value.columns:
            if str(col) in NOT_COUNTS:
                continue
            for v in df.value[col].astype(str):
                if COUNT_TEXT.fullmatch(v):
                    found.append((f"table:{col}", float(v.replace(",", "").rstrip("人"))))
    for m in at.metric:
        if str(m.value).endswith("人") and COUNT_TEXT.fullmatch(str(m.value)):  # counts of people carry 人
            found.append((f"metric:{m.label}", float(str(m.value).replace(",", "").rstrip("人"))))
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            for axis in ("x", "y"):
                found += [(f"chart:{trace.get('name')}:{axis}", abs(v)) for v in _decode(trace.get(axis))
                          if trace.get("type") != "bar" or axis == ("x" if trace.get("orientation") == "h" else "y")]
            for key in ("text", "customdata"):
                for v in trace.get(key) or []:
                    if isinstance(v, str) and COUNT_TEXT.fullmatch(v):
                        found.append((f"chart:{trace.get('name')}:{key}", float(v.replace(",", ""))))
    for deck in at.get("deck_gl_json_chart"):
        for feature in json.loads(deck.proto.json)["layers"][0]["data"]["features"]:
            for n in re.findall(r"(?:人口|Population) ([\d,]+)", feature["properties"]["tooltip"]):
                found.append(("map:tooltip", float(n.replace(",", ""))))
    return found


@pytest.mark.parametrize("threshold", [10, 1000])
def test_shown_counts_are_never_below_the_threshold(threshold):
    """No table, metric, chart or map tooltip on any page shows a count of people from 1 to
    threshold − 1. With a threshold of 1,000 most district counts must disappear, so this
    test would catch any output that bypasses the privacy module."""
    for spec in PAGES:
        at = _app("ja")
        at.session_state["suppression_threshold"] = threshold
        at.run()
        if spec.path != PAGES[0].path:
            at.switch_page(spec.path).run()
        assert not at.exception
        counts = _shown_counts(at)
        assert counts, spec.path
        small = [(where, v) for where, v in counts if 0 < v < threshold]
        assert not small, (spec.path, small[:10])


# Columns of small integers that are not counts of people (net migration is the difference
# of two counts that are themselves shown or hidden).
NOT_COUNTS = {"fiscal_year", "年度", "列数", "columns", "行数", "rows", "net_migration"}
