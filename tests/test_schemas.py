"""Tests for analytics.core.schemas: the data contracts and ``validate``.

Row numbers are spreadsheet lines: with the header on line ``header_row`` (1 by default),
the data row at position p (0-based) is on line p + header_row + 1. So with the default
header, position 0 → line 2, position 1 → line 3, and so on; with header_row=3 every
line moves down by 2.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box
from shapely.geometry import Polygon

from analytics import registry
from analytics.core.schemas import MAX_ROWS_PER_RULE, Problem, affected_lines, line_ranges, problems_frame
from analytics.core.schemas import describe_schema as _describe_schema
from analytics.core.schemas import resolve_aliases as _resolve_aliases
from analytics.core.schemas import validate as _validate
from analytics.registry import contract as schema

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

SCHEMAS = registry.DATASETS


def validate(name, df, **kw):
    return _validate(schema(name), df, **kw)


def resolve_aliases(name, df):
    return _resolve_aliases(schema(name), df)


def describe_schema(name, lang="ja"):
    return _describe_schema(schema(name), lang)

_JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # hiragana, katakana or kanji
_EN = re.compile(r"[A-Za-z]{3,}")  # at least one English word


# ----------------------------------------------------------------------------- valid frames


def _districts() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "district_id": ["D001", "D002", "D003"],
            "name_ja": ["中央", "北", "東"],
            "name_en": ["Chuo", "Kita", "Higashi"],
            "area_type": ["core", "suburb", "island"],
            "area_km2": [1.015, 1.015, 1.015],  # each box of 0.01° × 0.01° at 34.8°N (EPSG:6673)
            "geometry": [
                box(134.60, 34.80, 134.61, 34.81),
                box(134.61, 34.80, 134.62, 34.81),
                box(134.62, 34.80, 134.63, 34.81),
            ],
        },
        crs="EPSG:6668",
    )


def _meshes() -> pd.DataFrame:
    return pd.DataFrame({"mesh_code": ["523415951", "523415952", "523415953"], "district_id": ["D001", "D001", "D002"]})


def _population() -> pd.DataFrame:
    # Ages all differ, so dropping any one key column cannot create duplicate keys.
    return pd.DataFrame(
        {
            "fiscal_year": [2026, 2026, 2026, 2026],
            "mesh_code": ["523415951", "523415951", "523415952", "523415952"],
            "sex": ["M", "F", "M", "F"],
            "age": [0, 100, 35, 36],
            "population": [3, 0, 12, 10],
        }
    )


def _population_change() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "district_id": ["D001", "D002", "D003"],
            "fiscal_year": [2024, 2025, 2026],
            "births": [10, 0, 8],
            "deaths": [12, 3, 9],
            "moved_in": [30, 5, 20],
            "moved_out": [25, 7, 22],
            "net_migration": [5, -2, -2],  # 30 − 25, 5 − 7, 20 − 22
        }
    )


VALID = {"districts": _districts, "meshes": _meshes, "population": _population, "population_change": _population_change}

# Hand-written from the module docstring / brief, not read from SCHEMAS.
COLUMNS = {
    "districts": ["district_id", "name_ja", "name_en", "area_type", "area_km2", "geometry"],
    "meshes": ["mesh_code", "district_id"],
    "population": ["fiscal_year", "mesh_code", "sex", "age", "population"],
    "population_change": ["district_id", "fiscal_year", "births", "deaths", "moved_in", "moved_out", "net_migration"],
}
KEYS = {
    "districts": ["district_id"],
    "meshes": ["mesh_code"],
    "population": ["fiscal_year", "mesh_code", "sex", "age"],
    "population_change": ["district_id", "fiscal_year"],
}


def _set(df: pd.DataFrame, pos: int, column: str, value: object) -> pd.DataFrame:
    out = df.copy()
    out[column] = out[column].astype(object)
    out.iloc[pos, out.columns.get_loc(column)] = value
    return out


def _bilingual(p: Problem) -> None:
    assert isinstance(p, Problem)
    for text in (p.message_ja, p.fix_ja):
        assert text and _JA.search(text), text
    for text in (p.message_en, p.fix_en):
        assert text and _EN.search(text), text
    assert p.message("ja") == p.message_ja and p.message("en") == p.message_en
    assert p.fix("ja") == p.fix_ja and p.fix("en") == p.fix_en


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    _bilingual(problems[0])
    return problems[0]


# ----------------------------------------------------------------------------- the contracts


def test_schemas_cover_the_four_datasets() -> None:
    assert set(SCHEMAS) >= set(COLUMNS)
    for name, cols in COLUMNS.items():
        assert schema(name).column_names == cols
        assert list(schema(name).key) == KEYS[name]
    assert schema("districts").has_geometry
    assert not schema("population").has_geometry


def test_unknown_schema_raises_key_error() -> None:
    with pytest.raises(KeyError, match="nope") as exc:
        schema("nope")
    assert "population" in str(exc.value)  # it lists the known datasets
    with pytest.raises(KeyError):
        validate("nope", _meshes())


@pytest.mark.parametrize("name", list(COLUMNS))
def test_valid_frame_has_no_problems(name: str) -> None:
    assert validate(name, VALID[name]()) == []


def test_boundary_values_are_allowed() -> None:
    # Minimum and maximum are inclusive: age 0 and 100, fiscal years 2000 and 2100.
    df = _population()
    df["fiscal_year"] = [2000, 2100, 2000, 2100]
    assert validate("population", df) == []


# ----------------------------------------------------------------------------- whole-file rules


@pytest.mark.parametrize("name", list(COLUMNS))
def test_empty_frame(name: str) -> None:
    p = _only(validate(name, VALID[name]().iloc[0:0]))
    assert (p.severity, p.row, p.column, p.dataset) == ("error", None, None, name)


def test_frame_with_no_columns_is_empty() -> None:
    p = _only(validate("population", pd.DataFrame()))
    assert (p.severity, p.row, p.column) == ("error", None, None)


@pytest.mark.parametrize(("name", "column"), [(n, c) for n, cols in COLUMNS.items() for c in cols])
def test_missing_required_column(name: str, column: str) -> None:
    df = pd.DataFrame(VALID[name]()).drop(columns=[column])
    p = _only(validate(name, df))
    assert (p.severity, p.row, p.column) == ("error", None, column)
    assert column in p.message_en and column in p.message_ja


def test_extra_column_is_only_a_warning() -> None:
    df = _population()
    df["memo"] = ["a", "b", "c", "d"]
    p = _only(validate("population", df))
    assert (p.severity, p.row, p.column) == ("warning", None, "memo")
    assert "memo" in p.message_en


def test_extra_japanese_column_is_named_in_the_warning() -> None:
    df = _meshes()
    df["備考"] = ["", "", ""]
    p = _only(validate("meshes", df))
    assert (p.severity, p.column) == ("warning", "備考")
    assert "備考" in p.message_ja and "備考" in p.message_en


# ----------------------------------------------------------------------------- cell rules


# Empty cells in pattern columns must be reported, not crash the pattern rule.


@pytest.mark.parametrize(
    ("name", "column", "value", "pos"),
    [
        pytest.param("population", "mesh_code", None, 1),
        pytest.param("meshes", "district_id", "", 0),
        pytest.param("districts", "district_id", None, 2),
        ("population", "sex", "   ", 2),  # blanks only count as empty
        ("population", "age", np.nan, 3),
        ("population_change", "births", None, 2),
        ("districts", "name_ja", None, 1),
        ("districts", "area_km2", np.nan, 0),
    ],
)
def test_empty_cell(name: str, column: str, value: object, pos: int) -> None:
    df = _set(VALID[name](), pos, column, value)
    p = _only(validate(name, df))
    # row = pos + header line 1 + 1
    assert (p.severity, p.row, p.column) == ("error", pos + 2, column)


@pytest.mark.parametrize(
    ("name", "column", "value", "pos", "row"),
    [
        ("population", "age", "abc", 0, 2),
        ("population", "population", "1,234", 3, 5),  # thousands separator
        ("population", "fiscal_year", "２０２６", 1, 3),  # full-width digits
        ("population_change", "deaths", "12人", 2, 4),  # unit attached
        ("districts", "area_km2", "1.5km2", 1, 3),  # float column too
    ],
)
def test_not_a_number(name: str, column: str, value: str, pos: int, row: int) -> None:
    p = _only(validate(name, _set(VALID[name](), pos, column, value)))
    assert (p.severity, p.row, p.column, p.value) == ("error", row, column, value)
    assert "number" in p.message_en


@pytest.mark.parametrize(
    ("name", "column", "value", "pos", "row"),
    [
        ("population", "population", 2.5, 1, 3),
        ("population", "age", "35.5", 2, 4),
        ("population_change", "moved_in", 3.7, 0, 2),
    ],
)
def test_fractional_value_in_int_column(name: str, column: str, value: object, pos: int, row: int) -> None:
    p = _only(validate(name, _set(VALID[name](), pos, column, value)))
    assert (p.severity, p.row, p.column, p.value) == ("error", row, column, str(value))
    assert "whole number" in p.message_en


def test_fractional_value_in_float_column_is_fine() -> None:
    assert validate("districts", _set(_districts(), 0, "area_km2", 1.0125)) == []


@pytest.mark.parametrize(
    ("name", "column", "value", "pos", "row"),
    [
        ("population", "age", -1, 0, 2),  # below 0
        ("population", "age", 101, 1, 3),  # above 100
        ("population", "fiscal_year", 1999, 2, 4),  # below 2000
        ("population", "fiscal_year", 2101, 3, 5),  # above 2100
        ("population", "population", -3, 0, 2),
        ("population_change", "births", -1, 1, 3),
        ("population_change", "net_migration", -10_000_001, 2, 4),  # below −10,000,000
        ("districts", "area_km2", -0.5, 1, 3),
        ("districts", "area_km2", 5000.5, 2, 4),  # above 5,000 km²
    ],
)
def test_out_of_range(name: str, column: str, value: float, pos: int, row: int) -> None:
    p = _only(validate(name, _set(VALID[name](), pos, column, value)))
    assert (p.severity, p.row, p.column, p.value) == ("error", row, column, str(value))
    assert "range" in p.message_en


def test_negative_net_migration_is_allowed() -> None:
    # net_migration may be negative (more moved out than in); the valid frame has −2 twice.
    frame = _set(_set(_population_change(), 0, "net_migration", -500), 0, "moved_out", 530)  # 30 − 530
    assert validate("population_change", frame) == []


@pytest.mark.parametrize(
    ("name", "column", "value", "pos", "row"),
    [
        ("population", "sex", "X", 0, 2),
        ("population", "sex", "男", 3, 5),
        ("districts", "area_type", "urban", 1, 3),
    ],
)
def test_category_not_allowed(name: str, column: str, value: str, pos: int, row: int) -> None:
    p = _only(validate(name, _set(VALID[name](), pos, column, value)))
    assert (p.severity, p.row, p.column, p.value) == ("error", row, column, value)
    assert "allowed" in p.message_en


def test_mesh_code_patterns() -> None:
    df = pd.DataFrame(
        {
            "mesh_code": [
                "12345",  # line 2: too short
                "52341595a",  # line 3: a letter
                "523415955",  # line 4: 9 digits (passes \d{9}) but half-mesh digit 5 is not 1–4
                "523415951",  # line 5: fine
                "523485951",  # line 6: 9 digits but 2nd-mesh row digit 8 is not 0–7
                "52341595",  # line 7: a 3rd-mesh code, not a 1/2 mesh
            ],
            "district_id": ["D001"] * 6,
        }
    )
    problems = validate("meshes", df)
    for p in problems:
        _bilingual(p)
    assert [(p.severity, p.row, p.column, p.value) for p in problems] == [
        ("error", 2, "mesh_code", "12345"),
        ("error", 3, "mesh_code", "52341595a"),
        ("error", 4, "mesh_code", "523415955"),
        ("error", 6, "mesh_code", "523485951"),
        ("error", 7, "mesh_code", "52341595"),
    ]
    assert "format" in problems[0].message_en


def test_district_id_pattern() -> None:
    # Allowed: 1–20 of [A-Za-z0-9_-]. A space and 21 characters are not.
    df = _meshes()
    df["district_id"] = ["D 001", "D002", "X" * 21]
    problems = validate("meshes", df)
    assert [(p.row, p.column) for p in problems] == [(2, "district_id"), (4, "district_id")]


def test_odd_unicode_digit_in_mesh_code_is_reported_not_raised() -> None:
    df = _set(_meshes(), 1, "mesh_code", "5234²5951")
    p = _only(validate("meshes", df))
    assert (p.severity, p.row, p.column) == ("error", 3, "mesh_code")


# ----------------------------------------------------------------------------- duplicate keys


@pytest.mark.parametrize(
    ("name", "dup_of", "dup_at", "column", "value"),
    [
        # population position 3 := position 1 → lines 3 and 5
        ("population", 1, 3, "fiscal_year・mesh_code・sex・age", "2026 / 523415951 / F / 100"),
        # meshes position 2 := position 0 → lines 2 and 4
        ("meshes", 0, 2, "mesh_code", "523415951"),
        ("population_change", 0, 2, "district_id・fiscal_year", "D001 / 2024"),
        ("districts", 0, 1, "district_id", "D001"),
    ],
)
def test_duplicate_key_reports_both_rows(name: str, dup_of: int, dup_at: int, column: str, value: str) -> None:
    df = VALID[name]()
    for k in KEYS[name]:
        df = _set(df, dup_at, k, df[k].iloc[dup_of])
    problems = validate(name, df)
    for p in problems:
        _bilingual(p)
    assert [(p.severity, p.row, p.column, p.value) for p in problems] == [
        ("error", dup_of + 2, column, value),
        ("error", dup_at + 2, column, value),
    ]
    assert "Duplicate" in problems[0].message_en


# ----------------------------------------------------------------------------- geometry


def test_geometry_missing_empty_and_invalid() -> None:
    bow_tie = Polygon([(134.60, 34.80), (134.61, 34.81), (134.61, 34.80), (134.60, 34.81)])
    assert not bow_tie.is_valid  # the two diagonals cross: a self-intersection
    gdf = _districts()
    gdf = pd.concat([gdf, gdf.iloc[[0]].assign(district_id="D004")], ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs="EPSG:6668")
    gdf.loc[1, "geometry"] = None  # position 1 → line 3
    gdf.loc[2, "geometry"] = Polygon()  # position 2 → line 4
    gdf.loc[3, "geometry"] = bow_tie  # position 3 → line 5
    problems = validate("districts", gdf)
    for p in problems:
        _bilingual(p)
        assert (p.severity, p.column) == ("error", "geometry")
    by_row = {p.row: p for p in problems}
    assert sorted(by_row) == [3, 4, 5] and len(problems) == 3
    assert "missing" in by_row[3].message_en and by_row[3].value is None
    assert "empty" in by_row[4].message_en
    assert "invalid" in by_row[5].message_en
    assert "Self-intersection" in by_row[5].value


def test_multipolygon_district_is_valid() -> None:
    # A multipolygon district (e.g. with an island) is valid too.
    gdf = _districts()
    gdf.loc[2, "geometry"] = box(134.62, 34.80, 134.63, 34.81).union(box(134.70, 34.70, 134.71, 34.71))
    gdf.loc[2, "area_km2"] = 2.031  # both parts
    assert validate("districts", gdf) == []


# ----------------------------------------------------------------------------- caps and header row


def _many_bad_sex(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fiscal_year": [2026] * n,
            "mesh_code": ["523415951"] * n,
            "sex": ["X"] * n,
            "age": list(range(n)),  # unique keys
            "population": [1] * n,
        }
    )


def test_rows_per_rule_are_capped_with_a_summary() -> None:
    n = MAX_ROWS_PER_RULE + 5
    problems = validate("population", _many_bad_sex(n))
    assert len(problems) == MAX_ROWS_PER_RULE + 1
    listed, summary = problems[:-1], problems[-1]
    # The first MAX_ROWS_PER_RULE bad rows, on lines 2, 3, …, MAX_ROWS_PER_RULE + 1.
    assert [p.row for p in listed] == list(range(2, MAX_ROWS_PER_RULE + 2))
    assert all(p.column == "sex" and p.severity == "error" for p in listed)
    _bilingual(summary)
    assert (summary.severity, summary.row, summary.column, summary.value) == ("error", None, "sex", None)
    # n − MAX_ROWS_PER_RULE = 5 more rows
    assert "5 more rows" in summary.message_en
    assert "5" in summary.message_ja


def test_no_summary_when_exactly_at_the_cap() -> None:
    problems = validate("population", _many_bad_sex(MAX_ROWS_PER_RULE))
    assert len(problems) == MAX_ROWS_PER_RULE
    assert all(p.row is not None for p in problems)


def test_header_row_shifts_row_numbers() -> None:
    df = _set(_set(_population(), 0, "sex", "X"), 2, "age", -1)
    at_1 = validate("population", df)
    at_3 = validate("population", df, header_row=3)
    # Default header on line 1: positions 0 and 2 → lines 2 and 4.
    assert sorted((p.row, p.column) for p in at_1) == [(2, "sex"), (4, "age")]
    # Header on line 3: positions 0 and 2 → lines 0 + 3 + 1 = 4 and 2 + 3 + 1 = 6.
    assert sorted((p.row, p.column) for p in at_3) == [(4, "sex"), (6, "age")]


def test_row_numbers_use_position_not_index_label() -> None:
    df = _set(_population(), 1, "sex", "X")
    df.index = [100, 7, 7, 3]  # labels from an earlier filter; must not matter
    p = _only(validate("population", df))
    assert p.row == 3  # position 1 → line 3


# ----------------------------------------------------------------------------- aliases


def test_japanese_alias_headers_population() -> None:
    df = _population()
    df.columns = ["年度", "メッシュコード", "性別", "年齢", "人口"]
    resolved = resolve_aliases("population", df)
    assert list(resolved.columns) == ["fiscal_year", "mesh_code", "sex", "age", "population"]
    assert validate("population", df) == []


def test_alias_headers_with_full_width_spaces() -> None:
    df = _population()
    df.columns = ["　年度　", " メッシュコード", "性別 ", "年齢", "人口"]
    assert list(resolve_aliases("population", df).columns) == ["fiscal_year", "mesh_code", "sex", "age", "population"]
    assert validate("population", df) == []


def test_problem_under_alias_header_names_the_schema_column() -> None:
    df = _set(_population(), 0, "age", 150)
    df.columns = ["年度", "メッシュコード", "性別", "年齢", "人口"]
    p = _only(validate("population", df))
    assert (p.row, p.column) == (2, "age")


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        ("meshes", ["メッシュ", "地区ID"]),
        ("population_change", ["地区ID", "年度", "出生", "死亡", "転入", "転出", "社会増減"]),
    ],
)
def test_other_alias_headers(name: str, headers: list[str]) -> None:
    df = VALID[name]()
    df.columns = headers
    assert list(resolve_aliases(name, df).columns) == COLUMNS[name]
    assert validate(name, df) == []


def test_alias_and_canonical_header_together_keeps_canonical() -> None:
    df = _population()
    df["人口"] = df["population"]  # the same column twice, once under its alias
    out = resolve_aliases("population", df)
    assert list(out.columns).count("population") == 1
    p = _only(validate("population", df))
    assert (p.severity, p.column) == ("warning", "人口")


# ----------------------------------------------------------------------------- tables for the UI


def _some_problems() -> list[Problem]:
    df = _many_bad_sex(MAX_ROWS_PER_RULE + 2)
    df["memo"] = ""
    return validate("population", df)


def test_problems_frame_ja() -> None:
    problems = _some_problems()
    f = problems_frame(problems, "ja")
    assert list(f.columns) == ["区分", "行", "列", "値", "内容", "直し方", "該当行数", "該当する行"]
    assert str(f["行"].dtype) == "Int64"
    assert len(f) == len(problems)
    assert set(f["区分"]) == {"エラー", "警告"}
    # The warning (extra column) and the summary row have no line number.
    assert f["行"].isna().sum() == 2
    assert f["行"].dropna().tolist() == list(range(2, MAX_ROWS_PER_RULE + 2))
    assert f["内容"].tolist() == [p.message_ja for p in problems]
    assert f["直し方"].tolist() == [p.fix_ja for p in problems]
    # each row says which lines it concerns; the summary, every line beyond the first 20 (22 and 23)
    n = MAX_ROWS_PER_RULE
    per_line = f[f["行"].notna()]
    assert per_line["該当する行"].tolist() == [str(line) for line in range(2, n + 2)]
    summary = f[f["内容"].str.startswith("ほかに")].iloc[0]
    assert (summary["該当行数"], summary["該当する行"]) == (2, f"{n + 2}–{n + 3}")


def test_problems_frame_en() -> None:
    problems = _some_problems()
    f = problems_frame(problems, "en")
    assert list(f.columns) == ["severity", "row", "column", "value", "problem", "how to fix", "lines affected",
                               "lines"]
    assert str(f["row"].dtype) == "Int64"
    assert set(f["severity"]) == {"error", "warning"}
    assert f["problem"].tolist() == [p.message_en for p in problems]
    assert f["how to fix"].tolist() == [p.fix_en for p in problems]
    assert f["column"].tolist() == [p.column for p in problems]


def test_affected_lines_lists_every_line_with_its_value() -> None:
    """Beyond the 20 lines shown one by one, the summary row's lines are all in the download:
    30 wrong sexes give 30 lines with their values, in the file's order; the warning of a whole
    column (no line) is not in it."""
    problems = validate("population", _many_bad_sex(30).assign(memo=""))
    table = affected_lines(problems, "ja", "pop.csv")
    assert list(table.columns) == ["ファイル", "行", "区分", "列", "値", "内容"]
    assert table["行"].tolist() == list(range(2, 32)) and set(table["列"]) == {"sex"}
    assert table["値"].tolist() == _many_bad_sex(30)["sex"].tolist()
    assert set(table["区分"]) == {"エラー"} and set(table["ファイル"]) == {"pop.csv"}
    assert len(affected_lines([], "en")) == 0


@pytest.mark.parametrize(("lines", "text"), [
    ([4], "4"), ([4, 5, 6, 9, 12, 13], "4–6, 9, 12–13"), ([9, 4, 5, 4], "4–5, 9"), ([], ""),
])
def test_line_ranges(lines, text) -> None:
    assert line_ranges(lines) == text


def test_line_ranges_say_how_many_more_beyond_the_limit() -> None:
    lines = list(range(2, 200, 2))  # 99 lines, none next to another
    text = line_ranges(lines, "en", limit=3)
    assert text.startswith("2, 4, 6 … and 96 more lines") and "download" in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_problems_frame_empty(lang: str) -> None:
    f = problems_frame([], lang)
    assert len(f) == 0 and len(f.columns) == 8
    assert str(f.iloc[:, 1].dtype) == "Int64"


@pytest.mark.parametrize("name", list(COLUMNS))
def test_describe_schema_marks_key_columns(name: str) -> None:
    ja = describe_schema(name, "ja")
    assert ja["列名"].tolist() == COLUMNS[name]
    marked = ja.loc[ja["キー"] == "●", "列名"].tolist()
    assert marked == KEYS[name]
    assert set(ja["キー"]) <= {"●", ""}
    en = describe_schema(name, "en")
    assert en.loc[en["key"] == "●", "column"].tolist() == KEYS[name]


def test_describe_schema_shows_ranges_and_categories() -> None:
    en = describe_schema("population", "en").set_index("column")
    assert en.loc["sex", "allowed values"] == "M, F"
    assert en.loc["age", "allowed values"] == "0–100"  # an en dash in English, 〜 in Japanese
    assert en.loc["age", "type"] == "whole number"
    ja = describe_schema("population", "ja").set_index("列名")
    assert ja.loc["age", "型"] == "整数"
    assert ja.loc["age", "許容値"] == "0〜100"
    assert "年齢" in ja.loc["age", "別名"]



def _change_rows(**overrides) -> pd.DataFrame:
    base = pd.DataFrame({"district_id": ["D001", "D002"], "fiscal_year": ["2024", "2024"], "births": ["1", "2"],
                         "deaths": ["1", "1"], "moved_in": ["3", "3"], "moved_out": ["2", "2"],
                         "net_migration": ["1", "1"]})
    return base.assign(**overrides)


def test_blank_key_cells_and_repeated_headers_are_problems_not_tracebacks() -> None:
    from analytics import registry
    from analytics.core.schemas import validate

    sch = registry.contract("population_change")
    blank = pd.concat([_change_rows(), pd.DataFrame({c: [None, np.nan] for c in _change_rows().columns})],
                      ignore_index=True)
    problems = validate(sch, blank)
    assert {p.row for p in problems if p.column == "district_id"} == {4, 5}
    repeated = _change_rows()
    repeated.columns = [*repeated.columns[:-1], "births"]  # net_migration's header typed as births again
    problems = validate(sch, repeated)
    assert [(p.severity, p.column) for p in problems] == [("error", "births")]
    assert "more than one column" in problems[0].message_en


@pytest.mark.parametrize(("column", "values"), [("district_id", ["D001", "D002", " D001"]),
                                                ("fiscal_year", ["2024", "2024", "2024.0"])])
def test_keys_are_compared_after_normalising(column, values) -> None:
    from analytics import registry
    from analytics.core.schemas import validate

    rows = pd.concat([_change_rows(), _change_rows().iloc[[0]]], ignore_index=True)
    rows[column] = values
    problems = [p for p in validate(registry.contract("population_change"), rows) if p.severity == "error"]
    assert [p.row for p in problems] == [2, 4] and all("Duplicate key" in p.message_en for p in problems)


def test_validate_never_raises_on_odd_frames() -> None:
    from analytics import registry
    from analytics.core.schemas import validate

    sch = registry.contract("population_change")
    odd = [pd.DataFrame([[1, 2]], columns=[0, 1]), pd.DataFrame([[1, 2]], columns=[np.nan, "x"]),
           pd.DataFrame(columns=pd.MultiIndex.from_tuples([("a", "b")]), data=[[1]]),
           _change_rows().astype(object).map(lambda v: [v]), pd.DataFrame()]
    for frame in odd:
        problems = validate(sch, frame)
        assert problems and all(p.severity in ("error", "warning") for p in problems)


def test_net_migration_must_equal_moves_in_less_moves_out() -> None:
    from analytics.core.schemas import validate

    rows = _change_rows(net_migration=["1", "5"])  # 3 − 2 = 1, not 5, on the second row
    problems = [p for p in validate(registry.contract("population_change"), rows) if p.severity == "error"]
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "net_migration", "5 ≠ 3 − 2")]


def test_boundaries_must_be_polygons_whose_stated_area_agrees() -> None:
    from shapely.geometry import Point

    from analytics.catalog import Catalog
    from analytics.core.schemas import validate

    districts = Catalog().get("districts").head(3).copy()
    sch = registry.contract("districts")
    assert validate(sch, districts) == []
    wrong_area = districts.assign(area_km2=districts["area_km2"] * 100)  # entered in hectares
    problems = validate(sch, wrong_area)
    assert [p.column for p in problems] == ["area_km2"] * 3 and all(p.severity == "error" for p in problems)
    points = districts.copy()
    points["geometry"] = [Point(134.6, 34.8)] * 3
    problems = validate(sch, points)
    assert {p.column for p in problems} == {"geometry"} and "not a polygon" in problems[0].message_en
