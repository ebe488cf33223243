"""Reading planners' own files (analytics.core.files.read_table) on a corpus of crafted files.

The text and GeoJSON files live in tests/data/files/, made by :data:`CORPUS` below (a test
checks that the files on disk are those the recipe makes; ``python tests/test_files.py``
writes them again). Excel workbooks are built in the tests with openpyxl.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import random
import sys
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from pyproj import Transformer

from analytics.core.files import ReadResult, read_table
from analytics.registry import contract

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

FILES = Path(__file__).resolve().parent / "data" / "files"
POP_JA = "年度,メッシュコード,性別,年齢,人口"
POP_EN = "fiscal_year,mesh_code,sex,age,population"


def cells(values: pd.Series) -> list[str | None]:
    """The cells of a row or column read from a file, a blank one as ``None``."""
    return [None if pd.isna(v) else v for v in values]


def _crlf(*lines: str) -> str:
    return "".join(line + "\r\n" for line in lines)


def _geojson(features: list[dict], crs: str | None = None) -> bytes:
    doc: dict = {"type": "FeatureCollection"}
    if crs is not None:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    doc["features"] = features
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _square(x: float, y: float, side: float, district: str) -> dict:
    ring = [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]
    return {"type": "Feature", "properties": {"district_id": district, "name_ja": "中央", "area_km2": 1.5},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


# Metres of Web Mercator (EPSG:3857) near Kobe, about 134.75°E 33.8°N.
MERC_X, MERC_Y = 15_000_000.0, 4_000_000.0

CORPUS: dict[str, bytes] = {
    "utf8.csv": (POP_EN + "\n2025,523415951,male,0,12\n2025,523415951,female,0,10\n").encode("utf-8"),
    "utf8_bom_ja.csv": codecs.BOM_UTF8 + _crlf(POP_JA, "2025,523415951,男,0,12", "2025,523415951,女,0,10").encode(),
    "cp932_ja.csv": _crlf(POP_JA, "2025,523415951,男,0,12", "2025,523415951,女,0,10").encode("cp932"),
    "utf16_tab.txt": codecs.BOM_UTF16_LE + _crlf(
        POP_JA.replace(",", "\t"), "2025\t523415951\t男\t0\t12", "2025\t523415951\t女\t1\t9").encode("utf-16-le"),
    "title_rows.csv": _crlf("令和7年度 人口集計表,,,,", "（出典）住民基本台帳 各年度4月1日現在,,,,", POP_JA,
                            "2025,523415951,男,0,12", "2025,523415951,女,0,10", "2025,523415952,男,0,7"
                            ).encode("cp932"),
    "title_rows_ragged.csv": _crlf("令和7年度 人口集計表,,,,", "", POP_JA, "2025,523415951,男,0,12",
                                   "2025,523415951,女,0,10", "2025,523415952,男,0,1,234").encode("utf-8"),
    "ragged.csv": (POP_EN + "\n2025,523415951,male,0,12\n2025,523415951,female,0,10,extra\n").encode("utf-8"),
    "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
    "excel_named.csv": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(64),
    "empty.csv": b"",
    "blank_lines.csv": codecs.BOM_UTF8 + b"\r\n\r\n  \r\n",
    "trailing_empty.csv": _crlf(POP_JA + ",,", "2025,523415951,男,0,12,,", "2025,523415951,女,0,10,,",
                                ",,,,,,", ",,,,,,", ",,,,,,").encode("utf-8"),
    "blank_header_with_data.csv": _crlf(POP_JA + ",", "2025,523415951,男,0,12,備考あり",
                                        "2025,523415951,女,0,10,").encode("utf-8"),
    "duplicate_header.csv": _crlf("年度,メッシュコード,性別,年齢,人口,人口",
                                  "2025,523415951,男,0,12,12").encode("utf-8"),
    "quoted.csv": _crlf("district_id,name_ja,name_en,area_type,area_km2",
                        'D001,"中央,第一","Chuo\r\nFirst",core,1.5', "D002,港,Minato,suburb,2").encode("utf-8"),
    "no_header_match.csv": b"a,b\n1,2\n3,4\n",
    "geo_degrees_nocrs.geojson": _geojson([_square(135.1, 34.6, 0.01, "D001"), _square(135.2, 34.7, 0.01, "D002")]),
    "geo_metres_nocrs.geojson": _geojson([_square(MERC_X, MERC_Y, 500.0, "D001")]),
    "geo_3857.geojson": _geojson([_square(MERC_X, MERC_Y, 500.0, "D001"), _square(MERC_X + 1000, MERC_Y, 500.0,
                                                                                 "D002")],
                                 crs="urn:ogc:def:crs:EPSG::3857"),
    "geo_6668.geojson": _geojson([_square(135.1, 34.6, 0.01, "D001")], crs="urn:ogc:def:crs:EPSG::6668"),
    "geo_swapped.geojson": _geojson([_square(34.6, 135.1, 0.01, "D001")]),
    "geo_truncated.geojson": _geojson([_square(135.1, 34.6, 0.01, "D001"), _square(135.2, 34.7, 0.01, "D002")])[:-150],
    "geo_bad_geometry.geojson": _geojson([_square(135.1, 34.6, 0.01, "D001"),
                                          {"type": "Feature", "properties": {},
                                           "geometry": {"type": "Polygon", "coordinates": "oops"}}]),
}


def write_corpus() -> None:
    FILES.mkdir(parents=True, exist_ok=True)
    for name, data in CORPUS.items():
        (FILES / name).write_bytes(data)


def read(name: str, dataset: str = "population", **kw) -> ReadResult:
    return read_table(FILES / name, contract=contract(dataset), **kw)


def only_error(result: ReadResult):
    assert result.frame is None and result.line_of_row == []
    errors = result.errors
    assert errors, result.problems
    return errors[0]


# ---------------------------------------------------------------------------------------------
# The corpus itself


def test_the_corpus_on_disk_is_the_recipe_and_small():
    on_disk = {p.name: p.read_bytes() for p in FILES.iterdir() if p.is_file()}
    assert on_disk == CORPUS, "run `python tests/test_files.py` to write the corpus again"
    assert sum(len(b) for b in on_disk.values()) < 200 * 1024


# ---------------------------------------------------------------------------------------------
# Text files


@pytest.mark.parametrize(("name", "encoding"), [
    ("utf8.csv", "utf-8"), ("utf8_bom_ja.csv", "utf-8-sig"), ("cp932_ja.csv", "cp932"), ("utf16_tab.txt", "utf-16"),
])
def test_encodings_are_detected(name, encoding):
    r = read(name)
    assert r.problems == [] and r.ok
    assert r.encoding == encoding and r.kind == "csv"
    assert r.header_line == 1 and r.line_of_row == [2, 3]
    expected = POP_EN if name == "utf8.csv" else POP_JA
    assert list(r.frame.columns) == expected.split(",")  # no BOM left on the first name
    assert r.frame.iloc[0, 1] == "523415951"
    assert all(isinstance(v, str) for v in r.frame.to_numpy().ravel())  # text, no dtype guessing
    if name != "utf8.csv":
        assert list(r.frame["性別"]) == ["男", "女"]


def test_title_rows_above_the_header_are_skipped():
    r = read("title_rows.csv")
    assert r.problems == [] and r.encoding == "cp932"
    assert r.header_line == 3 and r.line_of_row == [4, 5, 6]
    assert list(r.frame.columns) == POP_JA.split(",")
    assert list(r.frame["人口"]) == ["12", "10", "7"]


def test_a_ragged_line_under_title_rows_is_named_by_its_line_in_the_file():
    r = read("title_rows_ragged.csv")
    err = only_error(r)
    assert len(r.problems) == 1
    assert err.row == 6 and err.severity == "error"
    assert "「title_rows_ragged.csv」の 6 行目" in err.message_ja and "見出し行（3 行目" in err.message_ja
    assert err.message_en.startswith("Line 6 of 'title_rows_ragged.csv'")
    assert "囲んで" in err.fix_ja and "quotes" in err.fix_en


def test_ragged_row():
    err = only_error(read("ragged.csv"))
    assert err.row == 3 and "6 列" in err.message_ja and "5 fields" in err.message_en


def test_many_ragged_rows_are_capped():
    text = POP_EN + "\n" + "2025,523415951,male,0,12,x\n" * 30
    r = read_table(text.encode(), contract=contract("population"), filename="many.csv")
    assert [p.row for p in r.problems[:20]] == list(range(2, 22))
    assert len(r.problems) == 21 and "ほかに 10 行" in r.problems[-1].message_ja


@pytest.mark.parametrize("name", ["binary.csv", "excel_named.csv"])
def test_binary_data_named_csv_is_not_a_text_file(name):
    err = only_error(read(name))
    assert "テキスト（CSV）ファイルではありません" in err.message_ja and "not a text" in err.message_en
    assert "CSV UTF-8" in err.fix_ja
    if name == "excel_named.csv":
        assert ".xlsx" in err.fix_ja and ".xlsx" in err.fix_en


def test_undecodable_bytes_are_not_a_text_file():
    data = "年度,人口\n".encode() + b"\x81\xff\xfe\x80" * 20  # neither UTF-8 nor CP932
    err = only_error(read_table(data, contract=contract("population"), filename="x.csv"))
    assert "テキスト（CSV）ファイルではありません" in err.message_ja


@pytest.mark.parametrize("name", ["empty.csv", "blank_lines.csv"])
def test_empty_file(name):
    err = only_error(read(name))
    assert "空のファイル" in err.message_ja and "empty" in err.message_en


def test_a_header_with_only_blank_cells_below_is_no_data():
    err = only_error(read_table(b",,,\r\n,,,\r\n", contract=contract("population"), filename="x.csv"))
    assert "データがありません" in err.message_ja


def test_trailing_empty_rows_and_blank_columns_are_dropped_silently():
    r = read("trailing_empty.csv")
    assert r.problems == []
    assert list(r.frame.columns) == POP_JA.split(",")
    assert len(r.frame) == 2 and r.line_of_row == [2, 3]


def test_a_column_with_data_but_no_header_is_kept_with_a_warning():
    r = read("blank_header_with_data.csv")
    assert r.ok and [p.severity for p in r.problems] == ["warning"]
    w = r.problems[0]
    assert w.row == 1 and w.column == "列F" and "F 列は見出しが空欄" in w.message_ja
    assert cells(r.frame["列F"]) == ["備考あり", None]  # a blank cell is missing, not ""


def test_duplicate_header_is_an_error():
    err = only_error(read("duplicate_header.csv"))
    assert err.row == 1 and err.column == "人口" and "2回" in err.message_ja


def test_quoted_commas_and_line_breaks_stay_in_their_cell():
    r = read("quoted.csv", dataset="districts")
    assert r.problems == []
    assert list(r.frame["name_ja"]) == ["中央,第一", "港"]
    assert r.frame.loc[0, "name_en"] == "Chuo\r\nFirst"
    assert r.line_of_row == [2, 3]  # Excel's rows: the line break inside a cell does not count
    assert r.frame.loc[1, "area_km2"] == "2"


def test_no_matching_header_uses_the_first_non_empty_row_and_adds_nothing():
    r = read("no_header_match.csv")
    assert r.problems == [] and r.header_line == 1
    assert list(r.frame.columns) == ["a", "b"] and r.line_of_row == [2, 3]


def test_header_lookup_uses_labels_aliases_and_full_width_text():
    text = "メモ\n\nＫＥＹ＿ＣＯＤＥ,男女,歳,住民数,年度\n523415951,男,3,4,2025\n"
    r = read_table(text.encode(), contract=contract("population"), filename="x.csv")
    assert r.problems == [] and r.header_line == 3 and r.line_of_row == [4]
    assert list(r.frame.columns) == ["ＫＥＹ＿ＣＯＤＥ", "男女", "歳", "住民数", "年度"]


def test_tab_versus_comma_is_counted():
    text = "年度\tメッシュコード\t人口\n2025\t523415951\t1,234\n"  # a comma inside a tab-separated value
    r = read_table(text.encode(), contract=contract("population"), filename="x.tsv")
    assert r.problems == [] and list(r.frame["人口"]) == ["1,234"]


def test_short_rows_are_padded_with_blanks():
    r = read_table(b"fiscal_year,mesh_code,sex\n2025\n", contract=contract("population"), filename="x.csv")
    assert r.problems == [] and cells(r.frame.iloc[0]) == ["2025", None, None]


# ---------------------------------------------------------------------------------------------
# Where the file comes from, size, names


def test_size_limit_refuses_without_reading(tmp_path):
    err = only_error(read("utf8.csv", max_bytes=10))
    assert "大きすぎる" in err.message_ja and "too large" in err.message_en and "utf8.csv" in err.message_ja
    err = only_error(read_table(CORPUS["utf8.csv"], contract=contract("population"), filename="u.csv", max_bytes=10))
    assert "上限" in err.message_ja
    assert read_table(CORPUS["utf8.csv"], contract=contract("population"), filename="u.csv",
                      max_bytes=len(CORPUS["utf8.csv"])).ok


def test_uploaded_file_objects_and_unnamed_bytes():
    class Uploaded(io.BytesIO):  # what st.file_uploader returns: BytesIO with a name
        name = "人口.csv"

    r = read_table(Uploaded(CORPUS["cp932_ja.csv"]), contract=contract("population"))
    assert r.ok and r.encoding == "cp932"
    err = only_error(read_table(b"", contract=contract("population")))
    assert "アップロードされたファイル" in err.message_ja and err.message_en.startswith("The uploaded file")


def test_missing_path_and_odd_source(tmp_path):
    err = only_error(read_table(tmp_path / "nowhere.csv", contract=contract("population")))
    assert "nowhere.csv" in err.message_ja and "見つからない" in err.message_ja
    err = only_error(read_table(tmp_path, contract=contract("population")))  # a folder is not a file
    err = only_error(read_table(12345, contract=contract("population"), filename="u.csv"))
    assert "u.csv" in err.message_ja


def test_plain_json_is_refused_unless_geometry():
    err = only_error(read_table(b'{"a": 1}', contract=contract("population"), filename="x.json"))
    assert "JSON" in err.message_ja and "CSV" in err.fix_ja
    r = read_table(CORPUS["geo_degrees_nocrs.geojson"], contract=contract("districts"), filename="d.json",
                   geometry=True)
    assert r.ok and r.kind == "geojson"


# ---------------------------------------------------------------------------------------------
# Excel


def _xlsx(fill) -> bytes:
    book = openpyxl.Workbook()
    fill(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _cover_and_data(book) -> None:
    cover = book.active
    cover.title = "表紙"
    cover["A1"] = "令和7年度 人口データ"
    cover["A3"] = "作成: 企画課"
    cover["A4"] = "年度ごとの集計です"
    data = book.create_sheet("データ")
    data["A1"] = "メッシュ別人口"
    for row in (POP_JA.split(","), [2025, 523415951, "男", 0, 12], [2025, 523415951, "女", 0, 10.0]):
        data.append(row)
    data.insert_rows(2)  # a blank line between the title and the header: the header is on line 3


def test_xlsx_cover_sheet_is_skipped():
    r = read_table(_xlsx(_cover_and_data), contract=contract("population"), filename="人口.xlsx")
    assert r.problems == [] and r.kind == "xlsx" and r.sheet == "データ" and r.encoding is None
    assert r.header_line == 3 and r.line_of_row == [4, 5]
    assert list(r.frame.columns) == POP_JA.split(",")
    assert r.frame.iloc[1].tolist() == ["2025", "523415951", "女", "0", "10"]  # numbers as their plain text


def test_xlsx_as_unnamed_bytes_is_recognised():
    r = read_table(_xlsx(_cover_and_data), contract=contract("population"))
    assert r.ok and r.kind == "xlsx" and r.sheet == "データ"


@pytest.mark.parametrize("group_label", ["男女別・年齢別人口", "人口"])  # "人口" is itself a known name
def test_xlsx_two_line_merged_header_is_flattened(group_label):
    def fill(book):
        ws = book.active
        ws.title = "集計"
        ws.append(["令和7年度 メッシュ別人口"])
        ws.append(["年度", "メッシュコード", group_label, None, None])
        ws.append([None, None, "性別", "年齢", "人口"])
        ws.merge_cells("A2:A3")
        ws.merge_cells("B2:B3")
        ws.merge_cells("C2:E2")
        ws.append([2025, 523415951, "男", 0, 12])
        ws.append([2025, 523415951, "女", 0.5, 10])

    r = read_table(_xlsx(fill), contract=contract("population"), filename="merged.xlsx")
    assert r.problems == []
    assert list(r.frame.columns) == POP_JA.split(",")
    assert r.header_line == 3 and r.line_of_row == [4, 5]
    assert r.frame["年齢"].tolist() == ["0", "0.5"]


def test_xlsx_date_cell_becomes_iso_text_with_a_warning():
    def fill(book):
        ws = book.active
        ws.title = "Sheet1"
        ws.append(POP_JA.split(","))
        ws.append([2025, 523415951, "男", 0, 12])
        ws.append([2025, 523415951, "女", dt.datetime(2025, 4, 1), 10])

    r = read_table(_xlsx(fill), contract=contract("population"), filename="dates.xlsx")
    assert r.ok and [p.severity for p in r.problems] == ["warning"]
    w = r.problems[0]
    assert (w.row, w.column, w.value) == (3, "年齢", "2025-04-01")
    assert "「dates.xlsx」のシート「Sheet1」の 3 行目" in w.message_ja and "日付" in w.message_ja
    assert r.frame["年齢"].tolist() == ["0", "2025-04-01"]


def test_xlsx_whole_date_in_a_fiscal_year_column_is_refused_as_a_date():
    """A date Excel shows as a whole date (here openpyxl's default yyyy-mm-dd h:mm:ss) says no
    fiscal year: refused, saying it is a date and which April–March year the day falls in."""
    def fill(book):
        ws = book.active
        ws.title = "Sheet1"
        ws.append(POP_JA.split(","))
        ws.append([2025, 523415951, "男", 0, 12])
        ws.append([dt.datetime(2026, 1, 15), 523415951, "女", 0, 10])

    err = only_error(read_table(_xlsx(fill), contract=contract("population"), filename="dates.xlsx"))
    assert (err.row, err.column, err.value) == (3, "年度", "2026-01-15 0:00:00")
    assert "「dates.xlsx」のシート「Sheet1」の 3 行目" in err.message_ja and "日付" in err.message_ja
    assert "is not a fiscal year" in err.message_en
    assert "2026-01-15 を含む年度なら 2025 です" in err.fix_ja  # January 2026 is in FY2025 (April–March)
    assert "2025" in err.fix_en and list(err.affected) == [3]


def test_corrupt_xlsx_is_an_error():
    good = _xlsx(_cover_and_data)
    for data in (good[: len(good) // 2], b"this is not a workbook", b"PK\x03\x04" + bytes(100)):
        err = only_error(read_table(data, contract=contract("population"), filename="broken.xlsx"))
        assert "「broken.xlsx」を Excel ブック（.xlsx）として開けません" in err.message_ja
        assert "Save As" in err.fix_en


def test_old_xls_or_password_protected_is_refused():
    err = only_error(read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), contract=contract("population"),
                                filename="old.xls"))
    assert ".xls" in err.message_ja and "パスワード" in err.message_ja


def test_xlsx_with_no_data_is_an_error():
    err = only_error(read_table(_xlsx(lambda book: None), contract=contract("population"), filename="blank.xlsx"))
    assert "データがありません" in err.message_ja


# ---------------------------------------------------------------------------------------------
# GeoJSON


def test_geojson_without_crs_in_degrees_is_assumed_jgd2011():
    r = read("geo_degrees_nocrs.geojson", dataset="districts")
    assert r.ok and r.kind == "geojson" and isinstance(r.frame, gpd.GeoDataFrame)
    assert [p.severity for p in r.problems] == ["warning"] and "EPSG:6668" in r.problems[0].message_ja
    assert r.frame.crs.to_epsg() == 6668
    assert r.frame["district_id"].tolist() == ["D001", "D002"]
    assert r.frame["area_km2"].tolist() == ["1.5", "1.5"]  # properties as text
    assert r.line_of_row == [1, 2]
    assert r.frame.total_bounds == pytest.approx([135.1, 34.6, 135.21, 34.71])


def test_geojson_without_crs_in_metres_is_an_error():
    err = only_error(read("geo_metres_nocrs.geojson", dataset="districts"))
    assert "メートル" in err.message_ja and "metres" in err.message_en
    assert "EPSG:3857" in err.fix_en and "6673" in err.fix_en and "EPSG:6673" in err.fix_ja


def test_geojson_in_web_mercator_is_converted_to_jgd2011():
    r = read("geo_3857.geojson", dataset="districts")
    assert r.ok and r.frame.crs.to_epsg() == 6668
    assert [p.severity for p in r.problems] == ["warning"]
    assert "EPSG:3857" in r.problems[0].message_ja and "EPSG:3857" in r.problems[0].message_en
    to_jgd = Transformer.from_crs(3857, 6668, always_xy=True)
    for i, x in enumerate((MERC_X, MERC_X + 1000)):
        lon, lat = to_jgd.transform(x, MERC_Y)
        first = r.frame.geometry.iloc[i].exterior.coords[0]
        assert first == pytest.approx((lon, lat), abs=1e-9)
    assert 134 < r.frame.total_bounds[0] < 135 and 33 < r.frame.total_bounds[1] < 34


def test_geojson_declared_in_jgd2011_is_taken_as_it_is():
    r = read("geo_6668.geojson", dataset="districts")
    assert r.ok and r.problems == [] and r.frame.crs.to_epsg() == 6668
    assert r.frame.geometry.iloc[0].exterior.coords[0] == (135.1, 34.6)


def test_geojson_with_latitude_and_longitude_swapped_is_an_error():
    err = only_error(read("geo_swapped.geojson", dataset="districts"))
    assert "緯度と経度が入れ替わって" in err.message_ja and "swapped" in err.message_en


def test_truncated_geojson_is_an_error_naming_the_line():
    err = only_error(read("geo_truncated.geojson", dataset="districts"))
    lines = CORPUS["geo_truncated.geojson"].decode().count("\n") + 1
    assert err.row == lines and f"の {lines} 行目付近でファイルが途中で切れています" in err.message_ja
    assert "cut off" in err.message_en


def test_geojson_with_a_malformed_geometry_names_the_feature():
    err = only_error(read("geo_bad_geometry.geojson", dataset="districts"))
    assert err.row == 2 and "2番目の地物" in err.message_ja and err.message_en.startswith("Feature 2 of")


def test_geojson_that_is_not_a_feature_collection_or_has_an_unknown_crs():
    err = only_error(read_table(b'[1, 2]', contract=contract("districts"), filename="x.geojson"))
    assert "GeoJSON" in err.message_ja
    err = only_error(read_table(b"\x00\x01binary", contract=contract("districts"), filename="x.geojson"))
    assert "テキスト（GeoJSON）ファイルではありません" in err.message_ja and "QGIS" in err.fix_ja
    doc = json.loads(CORPUS["geo_6668.geojson"])
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    ring[0] = ring[-1] = [MERC_X, MERC_Y]  # metres in a degrees file (the ring still closed)
    err = only_error(read_table(json.dumps(doc).encode(), contract=contract("districts"), filename="x.geojson"))
    assert "メートル単位" in err.message_ja and "EPSG:6668" in err.message_en
    doc = json.loads(CORPUS["geo_6668.geojson"])
    doc["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::999999"
    err = only_error(read_table(json.dumps(doc).encode(), contract=contract("districts"), filename="x.geojson"))
    assert "座標系（CRS）を判別できません" in err.message_ja


# ---------------------------------------------------------------------------------------------
# Every problem names the file and says how to fix it; nothing ever raises


ERROR_FILES = ["title_rows_ragged.csv", "ragged.csv", "binary.csv", "excel_named.csv", "empty.csv",
               "blank_lines.csv", "duplicate_header.csv", "geo_metres_nocrs.geojson", "geo_swapped.geojson",
               "geo_truncated.geojson", "geo_bad_geometry.geojson"]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_problem_names_the_file_in_both_languages_with_a_fix(name):
    dataset = "districts" if name.endswith(".geojson") or name == "quoted.csv" else "population"
    r = read(name, dataset=dataset)
    assert (r.frame is None) == (name in ERROR_FILES)
    for p in r.problems:
        assert p.dataset == dataset
        assert f"「{name}」" in p.message_ja and f"'{name}'" in p.message_en
        assert p.fix_ja and p.fix_en and p.message_ja != p.message_en
        if p.row is not None:
            assert str(p.row) in p.message_ja and str(p.row) in p.message_en


def _random_inputs(n: int) -> list[tuple[bytes, str | None, bool]]:
    rng = random.Random(20250401)
    prefixes = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"PK\x03\x04", b'{"type": "FeatureCollection", ',
                "年度,メッシュコード\n".encode("cp932"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]
    names = [None, "r.csv", "r.tsv", "r.txt", "r.xlsx", "r.xls", "r.geojson", "r.json", "r"]
    cases = []
    for _ in range(n):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
        if rng.random() < 0.3:  # mostly printable, with commas, tabs and line breaks
            body = bytes(rng.choice(b"0123456789,\t\r\n\"abc ") for _ in range(rng.randrange(0, 400)))
        cases.append((rng.choice(prefixes) + body, rng.choice(names), rng.random() < 0.5))
    return cases


def test_random_bytes_never_raise():
    for data, name, geometry in _random_inputs(200):
        r = read_table(data, contract=contract("population"), filename=name, geometry=geometry)
        assert isinstance(r, ReadResult)
        assert (r.frame is None) == bool(r.errors)
        if r.frame is not None:
            assert len(r.line_of_row) == len(r.frame)
            assert isinstance(r.frame, pd.DataFrame)
        for p in r.problems:
            assert p.severity in ("error", "warning") and p.message_ja and p.fix_en


if __name__ == "__main__":  # write the corpus again: python tests/test_files.py
    write_corpus()
    print(f"wrote {len(CORPUS)} files to {FILES}", file=sys.stderr)


def test_a_geopackage_in_plane_metres_is_read_into_jgd2011(tmp_path):
    from analytics.catalog import Catalog
    from analytics.core import geo

    districts = Catalog().get("districts")
    path = tmp_path / "chiku.gpkg"
    districts.to_crs(geo.PLANE_CRS).to_file(path, layer="地区", driver="GPKG")
    r = read_table(path.read_bytes(), contract=contract("districts"), filename="chiku.gpkg")
    assert r.ok and r.kind == "gpkg"
    assert [p.severity for p in r.problems] == ["warning"] and "EPSG:6673" in r.problems[0].message_ja
    assert r.frame.crs.to_epsg() == 6668 and r.line_of_row[:2] == [1, 2]
    assert r.frame["district_id"].tolist() == districts["district_id"].tolist()
    assert r.frame.geometry.geom_equals_exact(districts.geometry.reset_index(drop=True), tolerance=1e-7).all()
    cat = Catalog()
    problems = cat.load_file("districts", path)
    assert not [p for p in problems if p.severity == "error"] and cat.source("districts").kind == "upload"
    broken = read_table(b"SQLite format 3\x00" + b"\x00" * 200, contract=contract("districts"), filename="x.gpkg")
    assert not broken.ok and "GeoPackage" in broken.errors[0].message_ja


# ---------------------------------------------------------------------------------------------
# Dates in a fiscal-year column, read as Excel shows them (issue 26, item 1)


@pytest.mark.parametrize(("day", "fmt", "shown"), [
    (dt.date(2024, 4, 1), 'ggge"年度"', "令和6年度"),
    (dt.date(2024, 4, 1), '[$-ja-JP-x-gannen]ggge"年度";@', "令和6年度"),
    (dt.date(2019, 5, 1), '[$-ja-JP-x-gannen]ggge"年度"', "令和元年度"),  # the first year of an era: 元
    (dt.date(2019, 5, 1), 'ggge"年度"', "令和1年度"),
    (dt.date(2019, 4, 30), 'ggge"年度"', "平成31年度"),  # the last day of Heisei
    (dt.date(1989, 1, 7), 'ggge"年"', "昭和64年"),
    (dt.date(2025, 1, 15), 'ggge"年度"', "令和7年度"),  # the display: the day itself is in FY2024
    (dt.date(2024, 4, 1), '[$-411]gge"年度"', "令6年度"),
    (dt.date(2024, 4, 1), 'ge', "R6"),
    (dt.date(2024, 4, 1), '[$-411]ggge"年"m"月"d"日"', "令和6年4月1日"),
    (dt.date(2024, 4, 1), "yyyy", "2024"),
    (dt.date(2024, 4, 1), '"FY"yyyy', "FY2024"),
    (dt.date(2024, 4, 1), 'yyyy"年"', "2024年"),
    (dt.date(2024, 4, 1), "yyyy/m/d", "2024/4/1"),
    (dt.date(2024, 4, 1), "yyyy-mm-dd h:mm:ss", "2024-04-01 0:00:00"),  # mm after h: minutes
    (dt.date(2024, 4, 1), "General", "2024-04-01"),  # no date format: ISO
])
def test_a_date_is_shown_as_excel_shows_it(day, fmt, shown):
    from analytics.core.files.excel import shown_date

    assert shown_date(day, fmt) == shown


@pytest.mark.parametrize(("fmt", "is_date"), [
    ('ggge"年度"', True), ("[$-ja-JP-x-gannen]ggge", True), ("yyyy/m/d", True), ("e", True),
    ("General", False), ("0", False), ("#,##0", False), ("0.00E+00", False), ("@", False), ('0"年度"', False),
])
def test_date_formats_are_told_from_number_formats(fmt, is_date):
    from analytics.core.files.excel import is_date_format

    assert is_date_format(fmt) is is_date


def test_a_fiscal_year_is_the_april_to_march_year_of_a_date():
    from analytics.core.files.excel import fiscal_year_of_date

    assert [fiscal_year_of_date(dt.date(y, m, d)) for y, m, d in
            ((2024, 4, 1), (2025, 3, 31), (2025, 1, 15), (2024, 12, 31))] == [2024, 2024, 2024, 2024]


def _fy_dates(fmt: str, days: list[dt.datetime]):
    def fill(book):
        ws = book.active
        ws.title = "Sheet1"
        ws.append(POP_JA.split(","))
        for k, day in enumerate(days):
            ws.append([day, 523415951, "男", k, 12])
            ws.cell(ws.max_row, 1).number_format = fmt
    return _xlsx(fill)


def test_era_formatted_dates_in_a_fiscal_year_column_are_read_as_the_year_they_show():
    """openpyxl gives these cells as serials (45383): the format is read and the cell becomes the text
    Excel shows, with one warning naming every line; 令和6年度 is then FY2024 (normalise)."""
    days = [dt.datetime(2024, 4, 1), dt.datetime(2025, 1, 15), dt.datetime(2019, 5, 1)]
    r = read_table(_fy_dates('[$-ja-JP-x-gannen]ggge"年度"', days), contract=contract("population"),
                   filename="wareki.xlsx")
    assert r.ok and r.frame["年度"].tolist() == ["令和6年度", "令和7年度", "令和元年度"]
    [w] = r.problems
    assert w.severity == "warning" and (w.row, w.column, w.value) == (2, "年度", "令和6年度")
    assert list(w.affected) == [2, 3, 4] and "2024-04-01 は「令和6年度」と表示" in w.message_ja
    from analytics.core.normalise import normalise

    served = normalise(contract("population"), r.frame, r.line_of_row).frame
    assert served["年度"].tolist() == ["2024", "2025", "2019"]


def test_whole_dates_in_a_fiscal_year_column_are_refused_naming_every_line():
    days = [dt.datetime(2024, 4, 1), dt.datetime(2024, 4, 1), dt.datetime(2025, 2, 1)]
    r = read_table(_fy_dates("yyyy/m/d", days), contract=contract("population"), filename="hiduke.xlsx")
    err = only_error(r)
    assert list(err.affected) == [2, 3, 4] and err.value == "2024/4/1"
    assert "日付" in err.message_ja and "2024-04-01 を含む年度なら 2024 です" in err.fix_ja
    # a calendar year shown (2024年) is as ambiguous as when it is typed
    err = only_error(read_table(_fy_dates('yyyy"年"', days[:1]), contract=contract("population"),
                                filename="nen.xlsx"))
    assert err.value == "2024年"


def test_plain_years_and_numbers_in_a_fiscal_year_column_are_not_dates():
    def fill(book):
        ws = book.active
        ws.append(POP_JA.split(","))
        ws.append([2024, 523415951, "男", 0, 12])
        ws.append(["令和6年度", 523415951, "女", 0, 12])
    r = read_table(_xlsx(fill), contract=contract("population"), filename="plain.xlsx")
    assert r.ok and r.problems == [] and r.frame["年度"].tolist() == ["2024", "令和6年度"]


# ---------------------------------------------------------------------------------------------
# Boundaries as WKT text in a table (issue 26, item 2)


def _districts_table(wkt: list[str | None], header: str = "wkt") -> bytes:
    frame = pd.DataFrame({"district_id": [f"D{k:03d}" for k in range(1, len(wkt) + 1)],
                          "name_ja": ["中央"] * len(wkt), "area_km2": [1.0] * len(wkt), header: wkt})
    return frame.to_csv(index=False).encode("utf-8")


SQUARE = "POLYGON ((135.1 34.6, 135.11 34.6, 135.11 34.61, 135.1 34.61, 135.1 34.6))"


def test_wkt_boundaries_in_a_csv_are_read_as_shapes_in_jgd2011():
    import shapely

    r = read_table(_districts_table([SQUARE, "MULTIPOLYGON (((135.2 34.6, 135.21 34.6, 135.21 34.61, 135.2 34.6)))"]),
                   contract=contract("districts"), filename="chiku.csv")
    assert r.ok and isinstance(r.frame, gpd.GeoDataFrame) and r.frame.crs.to_epsg() == 6668
    assert r.frame.geometry.name == "geometry" and "wkt" not in r.frame.columns
    assert r.frame.geometry.iloc[0].equals(shapely.from_wkt(SQUARE)) and r.line_of_row == [2, 3]
    assert r.header_line == 1 and r.frame["district_id"].tolist() == ["D001", "D002"]
    [w] = r.problems
    assert w.severity == "warning" and "JGD2011" in w.message_ja and "SRID" in w.fix_ja


def test_wkt_that_cannot_be_read_is_refused_on_every_line():
    r = read_table(_districts_table([SQUARE, "POLYGON ((1 2, 3 4))", SQUARE, '{"type": "Polygon"}']),
                   contract=contract("districts"), filename="chiku.csv")
    err = only_error(r)
    assert err.row == 3 and list(err.affected) == [3, 5] and err.column == "wkt"
    assert "WKT" in err.message_ja and "GeoJSON" in err.fix_ja and "2 cells" in err.message_en


def test_wkt_in_metres_is_refused_and_with_an_srid_converted():
    to_plane = Transformer.from_crs(6668, 6673, always_xy=True)
    x0, y0 = to_plane.transform(135.1, 34.6)
    ring = ", ".join(f"{x0 + dx:.2f} {y0 + dy:.2f}" for dx, dy in ((0, 0), (900, 0), (900, 900), (0, 900), (0, 0)))
    metres = f"POLYGON (({ring}))"
    err = only_error(read_table(_districts_table([metres], header="geometry"), contract=contract("districts"),
                                filename="m.csv"))
    assert "メートル単位" in err.message_ja and "SRID=6673;" in err.fix_ja
    r = read_table(_districts_table([f"SRID=6673;{metres}"], header="geometry"), contract=contract("districts"),
                   filename="m.csv")
    assert r.ok and r.frame.crs.to_epsg() == 6668 and "EPSG:6673" in r.problems[0].message_ja
    x, y = r.frame.geometry.iloc[0].exterior.coords[0]
    assert abs(x - 135.1) < 1e-6 and abs(y - 34.6) < 1e-6
    mixed = _districts_table([f"SRID=6673;{metres}", f"SRID=3857;{metres}"], header="geometry")
    assert "SRID" in only_error(read_table(mixed, contract=contract("districts"), filename="m.csv")).message_en
