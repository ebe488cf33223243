"""Tests for the presentation helpers: ui.format (numbers in the UI language) and ui.maps
(colour scale, legend, and a district map that needs no internet)."""

from __future__ import annotations

import json
import math
import tomllib
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

from ui import maps
from ui.format import people, percent, signed_percent, signed_points, square_metres_short

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

ROOT = Path(__file__).resolve().parents[1]
FIRST = [255, 255, 204, 210]  # PALETTE[0] + alpha 210
LAST = [12, 44, 132, 210]  # PALETTE[-1] + alpha 210
GREY = [200, 200, 200, 160]


# ----------------------------------------------------------------------------- ui.format


def test_people() -> None:
    assert people(529566) == "529,566人"
    assert people(529566, "ja") == "529,566人"
    assert people(529566, "en") == "529,566"
    assert people(0) == "0人"
    assert people(1234.4, "en") == "1,234"
    assert people(np.int64(12345), "en") == "12,345"
    assert people(-1234, "en") == "-1,234"


def test_square_metres_short() -> None:
    assert square_metres_short(1_192_292.8) == "119.2万㎡" and square_metres_short(1_192_292.8, "en") == "1.19 M m²"
    assert square_metres_short(9_999.4) == "9,999㎡" and square_metres_short(38_669.0, "en") == "38,669 m²"
    assert square_metres_short(float("nan"), "en") == "—"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, np.float64("nan")])
def test_missing_values_show_a_dash(missing) -> None:
    assert people(missing) == "—"
    assert people(missing, "en") == "—"
    assert percent(missing) == "—"
    assert signed_percent(missing) == "—"


def test_percent() -> None:
    assert percent(0.2911) == "29.1%"
    assert percent(0.2911, digits=2) == "29.11%"
    assert percent(0.5, digits=0) == "50%"
    assert percent(0) == "0.0%"
    assert percent(1) == "100.0%"


def test_signed_percent() -> None:
    assert signed_percent(-2.79) == "-2.8%"
    assert signed_percent(1.0) == "+1.0%"
    assert signed_percent(0.0) == "+0.0%"
    assert signed_percent(12.5, digits=2) == "+12.50%"
    assert signed_percent(-30, digits=0) == "-30%"


def test_signed_points() -> None:
    assert signed_points(0.56) == "+0.6pt"
    assert signed_points(0.56, "ja") == "+0.6pt"
    assert signed_points(0.56, "en") == "+0.6 pt"
    assert signed_points(-1.24, "en") == "-1.2 pt"
    assert signed_points(2, "ja", digits=0) == "+2pt"


def test_signed_points_missing_shows_a_dash() -> None:
    assert signed_points(float("nan")) == "—"
    assert signed_points(float("nan"), "en") == "—"


# ----------------------------------------------------------------------------- ui.maps.colour_scale


def test_colour_scale_known_answers() -> None:
    # 10 → 0, 20 → halfway (palette index 3 of 0..6), 30 → last; NaN → grey.
    out = maps.colour_scale(pd.Series([10.0, 20.0, 30.0, np.nan]))
    assert out == [FIRST, [65, 182, 196, 210], LAST, GREY]
    assert all(type(c) is int for rgba in out for c in rgba)  # plain ints: JSON-serialisable for the deck


def test_colour_scale_interpolates_between_palette_colours() -> None:
    # 0..12: value 1 sits halfway between PALETTE[0] and PALETTE[1]:
    # (255+199)/2 = 227, (255+233)/2 = 244, (204+180)/2 = 192.
    out = maps.colour_scale(pd.Series([0, 1, 12]))
    assert out[1] == [227, 244, 192, 210]
    assert out[0] == FIRST and out[2] == LAST


def test_colour_scale_ignores_order_and_reads_numbers_in_text() -> None:
    out = maps.colour_scale(pd.Series([5, -5, "x"], dtype=object))
    assert out == [LAST, FIRST, GREY]


def test_colour_scale_constant_and_all_missing_do_not_divide_by_zero() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning (0/0, all-NaN min) would fail the test
        assert maps.colour_scale(pd.Series([7.0, 7.0, 7.0])) == [FIRST, FIRST, FIRST]
        assert maps.colour_scale(pd.Series([np.nan, np.nan])) == [GREY, GREY]
        assert maps.colour_scale(pd.Series([3.0])) == [FIRST]


# ----------------------------------------------------------------------------- ui.maps.district_map


def _districts(crs: str = "EPSG:6668") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"district_id": ["D001", "D002"], "name_ja": ["中央", "北"]},
        geometry=[box(134.60, 34.80, 134.61, 34.81), box(134.61, 34.80, 134.62, 34.81)],
        crs=crs,
    )


def _deck_json(districts: gpd.GeoDataFrame) -> tuple[object, dict, str]:
    # Values given in the opposite order of the boundaries: the map must follow district_ids.
    deck = maps.district_map(districts, pd.Series(["D001", "D002"]), pd.Series([1.0, 2.0]),
                             ["中央<br/>人口 1,203 人", "北<br/>人口 <10 人"])
    text = deck.to_json()
    return deck, json.loads(text), text


def test_district_map_is_offline() -> None:
    deck, spec, text = _deck_json(_districts())
    assert "http" not in text.lower()
    assert deck.map_provider is None
    assert spec.get("mapProvider") is None
    assert spec["mapStyle"] == "/app/static/blank_style.json" == maps.BLANK_STYLE_URL
    assert "mapboxKey" not in text and "google" not in text.lower()


def test_district_map_layer_carries_fills_and_tooltips() -> None:
    _, spec, _ = _deck_json(_districts())
    (layer,) = spec["layers"]
    assert layer["@@type"] == "GeoJsonLayer"
    features = layer["data"]["features"]
    assert [f["properties"]["fill"] for f in features] == [FIRST, LAST]
    assert [f["properties"]["tooltip"] for f in features] == ["中央<br/>人口 1,203 人", "北<br/>人口 <10 人"]
    assert spec["initialViewState"]["latitude"] == pytest.approx(34.805)
    assert spec["initialViewState"]["longitude"] == pytest.approx(134.61)


def test_district_map_reprojects_to_lon_lat() -> None:
    projected = _districts().to_crs("EPSG:6673")  # metres: would land far outside the globe if drawn as is
    _, spec, _ = _deck_json(projected)
    xs = [x for f in spec["layers"][0]["data"]["features"] for x, _ in f["geometry"]["coordinates"][0]]
    ys = [y for f in spec["layers"][0]["data"]["features"] for _, y in f["geometry"]["coordinates"][0]]
    assert min(xs) == pytest.approx(134.60, abs=1e-6) and max(xs) == pytest.approx(134.62, abs=1e-6)
    assert min(ys) == pytest.approx(34.80, abs=1e-6) and max(ys) == pytest.approx(34.81, abs=1e-6)
    assert spec["initialViewState"]["latitude"] == pytest.approx(34.805, abs=1e-6)


def test_blank_style_is_local_valid_and_offline() -> None:
    # /app/static/<file> is Streamlit's URL for static/<file> when static serving is on.
    assert maps.BLANK_STYLE_URL.startswith("/app/static/")
    path = ROOT / "static" / maps.BLANK_STYLE_URL.removeprefix("/app/static/")
    assert path == ROOT / "static" / "blank_style.json"
    text = path.read_text(encoding="utf-8")
    style = json.loads(text)
    assert style["version"] == 8
    assert style["sources"] == {}  # no tiles to fetch
    assert "http" not in text.lower()
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True


def test_legend_html_contains_the_labels() -> None:
    html = maps.legend_html(pd.Series([2505.0, np.nan, 1203.0]), lambda v: f"{v:,.0f}人", "低", "高")
    assert "低 1,203人" in html
    assert "2,505人 高" in html
    assert html.index("低") < html.index("高")
    for r, g, b in maps.PALETTE.astype(int):
        assert f"rgb({r},{g},{b})" in html
    assert "http" not in html


def test_district_map_follows_the_given_district_order() -> None:
    deck = maps.district_map(_districts(), pd.Series(["D002", "D001"]), pd.Series([1.0, 2.0]), ["北", "中央"])
    features = json.loads(deck.to_json())["layers"][0]["data"]["features"]
    # D002 (the eastern box) comes first and carries the lowest value's colour.
    assert features[0]["properties"]["tooltip"] == "北" and features[0]["properties"]["fill"] == FIRST
    assert features[0]["geometry"]["coordinates"][0][0][0] >= 134.61 - 1e-9


def test_legend_html_with_nothing_shown_uses_dashes() -> None:
    assert "低 —" in maps.legend_html(pd.Series([np.nan]), str, "低", "高")


def test_zoom_is_finite_for_a_single_point_sized_district() -> None:
    tiny = gpd.GeoDataFrame({"district_id": ["D001"]}, geometry=[box(134.6, 34.8, 134.6000001, 34.8000001)],
                            crs="EPSG:4326")
    deck = maps.district_map(tiny, pd.Series(["D001"]), pd.Series([1.0]), ["x"])
    assert math.isfinite(deck.initial_view_state.zoom)


# ----------------------------------------------------------------------------- titles, marks


def test_display_width_counts_full_width_characters_twice() -> None:
    from ui.charts import display_width

    assert display_width("abc") == 3
    assert display_width("人口") == 4
    assert display_width("人口は-2.0%") == 4 + 1 + 6


def test_wrap_title_breaks_once_after_a_clause_mark() -> None:
    from ui.charts import wrap_title

    short = "出生数は5年間で-16.2%"
    assert wrap_title(short) == short
    ja = "人口は5年間で-2.0%、高齢化率は28.6%→29.0%"
    assert wrap_title(ja, 44) == ja  # 41 half-width cells: fits
    assert wrap_title(ja, 30) == "人口は5年間で-2.0%、<br>高齢化率は28.6%→29.0%"
    en = "Population -2.0% in 5 years; ageing rate 28.6% → 29.0%"
    assert wrap_title(en, 44) == "Population -2.0% in 5 years;<br>ageing rate 28.6% → 29.0%"
    assert wrap_title("x" * 60, 44) == "x" * 60  # nowhere to break: left as it is


def _marked_frame() -> pd.DataFrame:
    from analytics.core.publication import mark_counts

    df = pd.DataFrame({"age_band": ["0-4", "5-9"], "M": [120.0, np.nan], "F": [130.0, 140.0],
                       "M_label": ["120", "<10"], "F_label": ["130", "140"]})
    return mark_counts(df, ["M", "F", "M_label", "F_label"])


def test_charts_carry_the_mark_of_counted_columns_into_trace_meta() -> None:
    from ui import charts

    fig = charts.pyramid(_marked_frame(), "男性", "女性", "人口ピラミッド", "人", "年齢")
    assert [t.meta for t in fig.data] == [{"person_counts": ["x", "customdata"]}] * 2
    plain = _marked_frame()
    plain.attrs = {}
    assert [t.meta for t in charts.pyramid(plain, "M", "F", "t", "x", "y").data] == [None, None]
    bars = charts.stacked_bars(_marked_frame(), {"M": "男性", "F": "女性"}, ["0-4", "5-9"], "t", "y")
    assert all(t.meta == {"person_counts": ["y"]} for t in bars.data)


def test_display_frame_keeps_the_mark_under_new_headers() -> None:
    from analytics.core.publication import counted_columns
    from ui.tables import display_frame

    out = display_frame(_marked_frame(), {"age_band": "年齢", "M_label": "男性", "F": "女性（数）"})
    assert list(out.columns) == ["年齢", "男性", "女性（数）"]
    assert counted_columns(out) == ["女性（数）", "男性"]


def test_district_map_marks_the_counts_its_tooltips_show() -> None:
    shapes = [box(135, 34, 135.1, 34.1), box(135.1, 34, 135.2, 34.1)]
    gdf = gpd.GeoDataFrame({"district_id": ["A", "B"]}, geometry=shapes, crs="EPSG:6668")
    deck = maps.district_map(gdf, pd.Series(["A", "B"]), pd.Series([1.0, 2.0]), ["a", "b"],
                             counts={"population": ["1,234", "<10"]})
    features = json.loads(deck.to_json())["layers"][0]["data"]["features"]
    assert [f["properties"]["person_counts"] for f in features] == [{"population": "1,234"}, {"population": "<10"}]


def _panels_app() -> None:
    import streamlit as st

    from ui.panels import panel, trace_run

    trace_run("page")

    @panel("panel.a")
    def a() -> None:
        st.slider("a", 0, 10, 1, key="a")

    a()


@pytest.mark.fast
@pytest.mark.parametrize("traced", [False, True])
def test_panels_count_their_runs_only_in_trace_mode(monkeypatch, traced: bool) -> None:
    from streamlit.testing.v1 import AppTest

    from ui.panels import TRACE_ENV

    if traced:
        monkeypatch.setenv(TRACE_ENV, "1")
    else:
        monkeypatch.delenv(TRACE_ENV, raising=False)
    at = AppTest.from_function(_panels_app).run()
    assert not at.exception
    markers = [h.proto.body for h in at.get("html")]
    if not traced:
        assert markers == [] and "_ebpm_runs" not in at.session_state
        return
    assert at.session_state["_ebpm_runs"] == {"page": 1, "panel.a": 1}
    assert any('data-name="panel.a" data-runs="1"' in m for m in markers)
    at.slider(key="a").set_value(5).run()  # AppTest reruns the whole script: both count
    assert at.session_state["_ebpm_runs"] == {"page": 2, "panel.a": 2}


def test_with_marks_prints_the_mark_of_each_hidden_bar_only():
    import plotly.graph_objects as go

    from ui.charts import with_marks

    fig = with_marks(go.Figure(go.Bar(x=["0歳", "1歳", "2歳"], y=[None, None, 5])), ["0歳", "1歳", "2歳"],
                     ["<10・χ", "χ", ""])
    assert [(a.x, a.text, a.y) for a in fig.layout.annotations] == [("0歳", "<10・χ", 0), ("1歳", "χ", 0)]


def test_styled_keeps_what_the_builder_set_and_lays_the_common_look_over_it() -> None:
    """styled makes a new figure (plotly's update_layout is slow): the builder's layout stays
    (nested keys merged, as update_layout merges them) and the common look is laid over it."""
    import plotly.graph_objects as go

    from ui import charts

    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2], name="n"))
    fig.update_layout(barmode="stack", yaxis={"title": {"text": "人"}}, legend={"y": 0.5})
    out = charts.styled(fig, "題", height=300).to_plotly_json()
    assert out["data"][0]["y"] == (1, 2) or list(out["data"][0]["y"]) == [1, 2]
    layout = out["layout"]
    assert layout["barmode"] == "stack" and layout["yaxis"]["title"]["text"] == "人"  # the builder's
    assert layout["yaxis"]["tickformat"] == ",d" and layout["height"] == 300  # the common look's
    assert layout["legend"]["y"] == 0.0 and layout["title"]["text"] == "題"  # the look wins where both set
    assert layout["legend"]["yref"] == "container"  # at the figure's foot: never on turned x labels
    assert layout["template"] == go.Figure().layout.template.to_plotly_json()  # the default template


def test_maps_are_sent_as_compact_json_with_the_same_content() -> None:
    import pydeck as pdk

    shapes = gpd.GeoDataFrame({"district_id": ["A", "B"]}, geometry=[box(134.6, 34.8, 134.7, 34.9),
                                                                     box(134.7, 34.8, 134.8, 34.9)], crs=6668)
    deck = maps.district_map(shapes, pd.Series(["A", "B"]), pd.Series([1, 2]), ["a", "b"])
    assert "\n" not in deck.to_json()
    assert json.loads(deck.to_json()) == json.loads(pdk.Deck.to_json(deck))


def test_mesh_squares_are_the_cells_of_the_mesh_codes() -> None:
    from analytics.core import geo

    codes = ["513574001", "513574002", "51357400"]
    squares = maps.mesh_squares(codes)
    cells = json.loads(geo.to_web(geo.mesh_frame(pd.DataFrame({"mesh_code": codes}))[["geometry"]])
                       .reset_index(drop=True).to_json())
    assert [f["geometry"] for f in squares["features"]] == [f["geometry"] for f in cells["features"]]
    assert [f["id"] for f in squares["features"]] == ["0", "1", "2"]


def test_district_outlines_are_made_once_per_set_of_shapes() -> None:
    shapes = gpd.GeoDataFrame({"district_id": ["A"]}, geometry=[box(134.6, 34.8, 134.7, 34.9)], crs=6668)
    first, bounds = maps.outline_geojson(shapes)
    assert maps.outline_geojson(shapes.copy())[0] is first  # the same shapes: made once
    assert bounds == pytest.approx((134.6, 34.8, 134.7, 34.9))
    moved = shapes.set_geometry([box(134.6, 34.8, 134.75, 34.9)], crs=6668)
    assert maps.outline_geojson(moved)[1][2] == pytest.approx(134.75)  # other shapes: made anew



_BUILT: list[str] = []  # what the builders below were asked for (outside their arguments: those are the key)


def _counted_figure(table: pd.DataFrame, title: str) -> dict:
    _BUILT.append(title)
    return {"rows": len(table), "title": title}


def _counted_map(shapes, title: str) -> dict:
    _BUILT.append(title)
    return {"shapes": id(shapes), "title": title}


def test_figures_are_built_once_per_their_inputs() -> None:
    """Issue 27, item 3: a figure is built the first time its inputs are seen and shared after;
    a change in any input (a table's values, a label) builds a new one; a :class:`Keyed`
    argument counts by its key; builders that could be confused are refused."""
    from ui.figures import Keyed, built

    _BUILT.clear()
    table = pd.DataFrame({"x": [1, 2, 3]})
    first = built(_counted_figure, table, "a")
    again = built(_counted_figure, table.copy(), "a")  # equal values: the same figure
    assert again is first and _BUILT == ["a"]
    built(_counted_figure, table.assign(x=[1, 2, 4]), "a")  # one value changed
    built(_counted_figure, table, "b")  # another label (the language)
    assert _BUILT == ["a", "a", "b"]

    shapes, other = object(), object()
    keyed = built(_counted_map, Keyed(shapes, "fp-1"), "k")
    assert built(_counted_map, Keyed(other, "fp-1"), "k") is keyed  # same key: not rehashed by value
    assert built(_counted_map, Keyed(other, "fp-2"), "k")["shapes"] == id(other)
    assert _BUILT[3:] == ["k", "k"]

    with pytest.raises(TypeError, match="module-level"):
        built(lambda: {})
    with pytest.raises(TypeError, match="not functions"):
        built(_counted_figure, table, lambda v: str(v))


def test_a_drawn_map_writes_its_json_once() -> None:
    deck = maps.Deck(layers=[])
    first = deck.to_json()
    assert deck.to_json() is first and json.loads(first)["layers"] == []
