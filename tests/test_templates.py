"""Tests for analytics.templates: the file a planner downloads, fills in and uploads back.

Every template is read back by the upload's own reader (analytics.core.files.read_table) and
loaded by the catalog (Catalog.load_file); the round trip writes the whole synthetic dataset
into its template with ``fill`` and checks that the catalog then serves the very same data.
The round trips of population (1.1 M rows, CSV) and checkups (456,593 rows, Excel) take
about 10 s and 90 s.
"""

from __future__ import annotations

import codecs
import io
import json

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely import Point

from analytics import registry
from analytics.catalog import Catalog
from analytics.core import geo
from analytics.core.files import read_table
from analytics.core.schemas import Column, DatasetSchema, conform, validate
from analytics.registry import references
from analytics.templates import (
    DATA_SHEET,
    EXCEL_MAX_ROWS,
    LISTS_SHEET,
    NOTES_SHEET,
    Template,
    _xlsx_bytes,
    example_row,
    fill,
    kind_of,
    known_values,
    template,
    template_for_data,
)

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

CAT = Catalog()  # the synthetic city: frames are read once per process
NAMES = registry.names()
SCHEMAS = {n: registry.contract(n) for n in NAMES}
XLSX = [n for n in NAMES if kind_of(SCHEMAS[n], CAT.n_rows(n)) == "xlsx"]
PERSON_LEVEL = [n for n in NAMES if SCHEMAS[n].person_level]
SAMPLE_ROWS = 5_000  # make test fills each template with at most this many rows; make test-all with every row
BIG = [n for n in NAMES if CAT.n_rows(n) > SAMPLE_ROWS]  # population, checkups, nursery_applications
REFERRED = {ref for n in NAMES for _, ref, _ in references(n)}  # meshes, districts, nurseries, facilities
STANDALONE = [n for n in NAMES if n not in REFERRED]


def _template(name: str) -> Template:
    """The template as the Data page makes it: an example row built from the contract with
    reference values of the data in use."""
    return template_for_data(name, CAT.get)


def _read(t: Template, name: str):
    return read_table(t.data, contract=registry.contract(name), filename=t.file_name,
                      geometry=SCHEMAS[name].has_geometry)


def _errors(problems) -> list[str]:
    return [f"{p.message_en} / {p.message_ja}" for p in problems if p.severity == "error"]


def _table_columns(name: str) -> list[str]:
    return [c.name for c in SCHEMAS[name].columns if c.dtype != "geometry"]


def _by_label(name: str) -> dict[str, str]:
    """Header text → column name: each column's name and Japanese label."""
    return {**{c.label_ja: c.name for c in SCHEMAS[name].columns}, **{c.name: c.name for c in SCHEMAS[name].columns}}


def _assert_same_data(got: pd.DataFrame, expected: pd.DataFrame, name: str) -> None:
    """``got`` (served after an upload) equals ``expected`` (the synthetic data): same columns,
    values and dtypes, except that an integer column stored narrower in the synthetic Parquet
    (int32) is compared as the int64 the contract gives, and a text column with blanks as the
    text dtype the upload gives (``str`` or ``string``: the missing value differs, not the text);
    geometries equal to 1e-9 degrees."""
    assert list(got.columns) == list(expected.columns)
    expected = expected.copy()
    for c in expected.columns:
        same_kind = all(pd.api.types.is_integer_dtype(s) for s in (got[c], expected[c])) or all(
            isinstance(s.dtype, pd.StringDtype) for s in (got[c], expected[c]))
        if got[c].dtype != expected[c].dtype and same_kind:
            expected[c] = expected[c].astype(got[c].dtype)
    flat = [c for c in expected.columns if c != "geometry"]
    pd.testing.assert_frame_equal(pd.DataFrame(got[flat]).reset_index(drop=True),
                                  pd.DataFrame(expected[flat]).reset_index(drop=True), check_dtype=True)
    if "geometry" in expected.columns:
        assert isinstance(got, gpd.GeoDataFrame) and got.crs is not None and got.crs.to_epsg() == 6668
        same = gpd.GeoSeries(got.geometry.to_numpy()).geom_equals_exact(
            gpd.GeoSeries(expected.geometry.to_numpy()), tolerance=1e-9)
        assert same.all(), f"{int((~same).sum())} geometries differ"


# ----------------------------------------------------------------------------- kind and name


def test_kinds_and_file_names() -> None:
    kinds = {n: _template(n).kind for n in NAMES}
    assert kinds["population"] == "csv"  # 1,109,454 rows + the header do not fit a sheet
    assert kinds["districts"] == "geojson"
    assert {n for n, k in kinds.items() if k == "xlsx"} == set(NAMES) - {"population", "districts"}
    for n in NAMES:
        t = _template(n)
        assert t.file_name == f"{n}_template.{t.kind}"
        assert t.mime == {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          "csv": "text/csv", "geojson": "application/geo+json"}[t.kind]


def test_csv_only_when_the_data_in_use_would_not_fit_a_sheet() -> None:
    assert template("meshes", EXCEL_MAX_ROWS - 1).kind == "xlsx"  # with the header: exactly a full sheet
    assert template("meshes", EXCEL_MAX_ROWS).kind == "csv"
    assert template("population", 10).kind == "xlsx"  # a small city's population fits a sheet
    assert template("districts", EXCEL_MAX_ROWS * 2).kind == "geojson"


def test_unknown_dataset() -> None:
    with pytest.raises(KeyError):
        template("no_such_dataset", 1)


# ----------------------------------------------------------------------------- reading back


@pytest.mark.parametrize("name", NAMES)
def test_template_reads_back_as_the_contract(name: str) -> None:
    t = _template(name)
    read = _read(t, name)
    assert read.ok and read.problems == [], [p.message_en for p in read.problems]
    assert len(read.frame) == 1
    assert read.kind == t.kind
    if t.kind == "geojson":
        assert list(read.frame.columns) == [c.name for c in SCHEMAS[name].columns]  # properties by name
        assert read.header_line is None
    else:
        labels = _by_label(name)
        assert list(read.frame.columns) == [c.label_ja for c in SCHEMAS[name].columns]
        assert [labels[c] for c in read.frame.columns] == _table_columns(name)
        assert read.header_line == 1
        assert read.sheet == (DATA_SHEET if t.kind == "xlsx" else None)


def _check_example(name: str, t: Template) -> None:
    """The template's example row passes reading and the contract, and the codes it refers to
    (meshes, districts, facilities) are those of the data in use."""
    read = _read(t, name)
    assert read.ok and read.problems == [], [p.message_en for p in read.problems]
    frame = read.frame.rename(columns=_by_label(name))
    assert _errors(validate(SCHEMAS[name], read.frame)) == []
    for column, ref, ref_column in references(name):
        assert frame[column].iloc[0] in set(CAT.get(ref)[ref_column].astype(str)), (column, ref)


@pytest.mark.parametrize("name", NAMES)
def test_unmodified_template_passes_the_contract(name: str) -> None:
    _check_example(name, _template(name))


@pytest.mark.parametrize("name", STANDALONE)
def test_unmodified_template_loads(name: str) -> None:
    """The template as downloaded is accepted by the upload as a whole (reading, contract,
    references, places in the city); the catalog then serves its example row. (A one-row file
    of a dataset that others refer to, such as the districts, would leave the rows of the
    others without their reference: such a file is checked above, not loaded alone.)"""
    t = _template(name)
    cat = Catalog()
    problems = cat.load_file(name, t.data, t.file_name)
    assert _errors(problems) == []
    assert cat.source(name).kind == "upload" and cat.source(name).label == t.file_name
    assert len(cat.get(name)) == 1


@pytest.mark.parametrize("name", NAMES)
def test_example_row_passes_the_contract_without_known_values(name: str) -> None:
    sch = SCHEMAS[name]
    row = example_row(sch)
    assert list(row) == sch.column_names
    frame = pd.DataFrame([row])
    if sch.has_geometry:
        frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=geo.GEOGRAPHIC_CRS)
    assert _errors(validate(sch, frame)) == []


def test_example_row_values() -> None:
    nets = example_row(SCHEMAS["population_change"])
    assert nets["fiscal_year"] == 2025
    assert nets["net_migration"] == nets["moved_in"] - nets["moved_out"]
    moved = example_row(SCHEMAS["population_change"], {"moved_in": 10, "moved_out": 3})
    assert (moved["moved_in"], moved["moved_out"], moved["net_migration"]) == (10, 3, 7)  # net = in − out
    apps = example_row(SCHEMAS["nursery_applications"])
    assert apps["application_id"] == "A0000001" and apps["mesh_code"] == "523415951"
    assert apps["admitted"] is True and apps["child_age"] == 0
    checkups = example_row(SCHEMAS["checkups"])
    assert checkups["person_id"] == "P0000001" and checkups["age"] == 40 and checkups["sex"] == "M"
    site = example_row(SCHEMAS["nursery_sites"])
    assert (site["lon"], site["lat"], site["kind"]) == (134.7, 34.8, "市有地")
    assert example_row(SCHEMAS["meshes"], {"mesh_code": "523404833"})["mesh_code"] == "523404833"


def _example_frame(name: str, t: Template) -> pd.DataFrame:
    """The template's example row, read back as the upload reads it, in the contract's types."""
    from analytics.core.normalise import normalise

    read = _read(t, name)
    frame = conform(SCHEMAS[name], normalise(SCHEMAS[name], read.frame).frame)
    return pd.DataFrame(frame)


@pytest.mark.parametrize("name", NAMES)
def test_no_template_cell_is_a_cell_of_the_data(name: str) -> None:
    """No template holds a value of the data it describes finer than the publication: the
    example row is no row of the data; for data of people its ID is none of theirs; for counts
    of people (residents per mesh × age, moves per district and year…) the count at the
    example's key differs from the data's there (or the data has no such key)."""
    sch, data = SCHEMAS[name], CAT.get(name)
    example = _example_frame(name, _template(name))
    columns = [c for c in _table_columns(name)]
    flat = pd.DataFrame(data[columns]).astype(str)
    assert not (flat == example[columns].astype(str).iloc[0]).all(axis=1).any(), "the example is a row of the data"
    if sch.person_level:
        assert example[sch.key[0]].iloc[0] not in set(data[sch.key[0]].astype(str))
    counts = [c for c in sch.person_counts if c in columns]
    if counts:
        key = list(sch.key)
        at = flat.merge(example[key].astype(str), on=key)
        for c in counts:
            assert not (at[c] == str(example[c].iloc[0])).any(), (c, at.head())


def _rows_changed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Other rows of a dataset with the same shape: its rows in reverse, every count + 1."""
    changed = frame.iloc[::-1].reset_index(drop=True).copy()
    for c in SCHEMAS[name].person_counts:
        if c in changed.columns:
            changed[c] = changed[c] + 1
    return changed


@pytest.mark.parametrize("name", NAMES)
def test_a_template_does_not_depend_on_the_rows_it_describes(name: str) -> None:
    """Built from the contract: the same template whatever the dataset's own rows hold (only
    the codes of other datasets it refers to come from the data in use)."""
    changed = _rows_changed(name, CAT.get(name))
    other = template_for_data(name, lambda n: changed if n == name else CAT.get(n))
    assert other.kind == _template(name).kind
    pd.testing.assert_frame_equal(_read(other, name).frame, _read(_template(name), name).frame)


def test_known_values_come_from_the_data_in_use() -> None:
    meshes = CAT.get("meshes")
    apps = known_values("nursery_applications", CAT.get)
    assert apps["mesh_code"] in set(meshes["mesh_code"])
    pair = meshes.loc[meshes["mesh_code"] == apps["mesh_code"], "district_id"]
    assert apps["district_id"] == pair.iloc[0]  # the district the example mesh lies in
    nurseries = set(CAT.get("nurseries")["facility_id"])
    assert {apps["preferred_1"], apps["preferred_2"], apps["preferred_3"]} <= nurseries
    assert known_values("nursery_capacity", CAT.get)["facility_id"] in nurseries
    assert known_values("buildings", CAT.get)["facility_id"] in set(CAT.get("facilities")["facility_id"])
    assert len({apps["preferred_1"], apps["preferred_2"], apps["preferred_3"]}) == 3
    assert known_values("districts", CAT.get) == {}  # a dataset's own key is no reference
    assert known_values("meshes", CAT.get) == {"district_id": CAT.get("districts")["district_id"].iloc[0]}
    assert known_values("checkups", {"meshes": meshes.head(0)}.__getitem__) == {}  # no meshes, no districts
    site = known_values("nursery_sites", CAT.get)
    districts = CAT.get("districts").set_index("district_id")
    assert districts.geometry[site["district_id"]].contains(Point(site["lon"], site["lat"]))


def test_references() -> None:
    assert references("meshes") == (("district_id", "districts", "district_id"),)
    assert references("districts") == ()
    assert references("checkups") == (("mesh_code", "meshes", "mesh_code"), ("district_id", "districts", "district_id"))
    assert ("facility_id", "nurseries", "facility_id") in references("nursery_capacity")
    assert ("facility_id", "facilities", "facility_id") in references("buildings")
    assert REFERRED == {"meshes", "districts", "nurseries", "facilities"}


# ----------------------------------------------------------------------------- Excel


def _book(name: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(_template(name).data))


def _validations(ws) -> dict[str, object]:
    """First cell's column letter of each validation range → the validation."""
    return {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in ws.data_validations.dataValidation}


@pytest.mark.parametrize("name", XLSX)
def test_excel_data_sheet(name: str) -> None:
    sch = SCHEMAS[name]
    book = _book(name)
    assert book.sheetnames == [DATA_SHEET, NOTES_SHEET]
    ws = book[DATA_SHEET]
    assert ws.freeze_panes == "A2"
    validations = _validations(ws)
    for j, col in enumerate(sch.columns, start=1):
        head = ws.cell(row=1, column=j)
        letter = head.column_letter
        assert head.value == col.label_ja
        assert head.font.b and head.fill.fgColor.rgb.endswith("DDEBF7")
        width = ws.column_dimensions[letter].width
        assert 10 <= width <= 40
        is_text = ws.column_dimensions[letter].number_format == "@"
        assert is_text == (col.dtype == "string"), col.name  # the whole column, for rows a planner adds
        if col.dtype == "string":
            assert ws.cell(row=2, column=j).number_format == "@"
            assert isinstance(ws.cell(row=2, column=j).value, str)
        if col.dtype == "bool":
            assert ws.cell(row=2, column=j).value in (True, False)
        dv = validations.get(letter)
        if col.categories or col.dtype == "bool":
            values = col.categories or ("TRUE", "FALSE")
            assert dv is not None and dv.type == "list", col.name
            assert dv.formula1 == '"' + ",".join(values) + '"'
            assert str(dv.sqref) == f"{letter}2:{letter}{EXCEL_MAX_ROWS}"
        elif dv is not None:  # a range check of a number
            assert col.dtype in ("int", "float") and dv.type in ("whole", "decimal")
            assert (float(dv.formula1), float(dv.formula2)) == (col.minimum, col.maximum)
    assert ws.max_column == len(sch.columns) and ws.max_row == 2


def test_excel_keeps_mesh_codes_as_nine_digit_text() -> None:
    ws = _book("meshes")[DATA_SHEET]
    assert ws["A1"].value == "メッシュコード"
    assert ws["A2"].value == "523415951" and ws["A2"].data_type == "s"  # the contract's example, as text
    assert ws.column_dimensions["A"].number_format == "@"


@pytest.mark.parametrize("name", XLSX)
def test_excel_description_sheet(name: str) -> None:
    sch = SCHEMAS[name]
    rows = list(_book(name)[NOTES_SHEET].iter_rows(values_only=True))
    first = rows[0][0]
    assert "2行目" in first and "記入例" in first and "1行に1件" in first
    assert any("西暦4桁" in (r[0] or "") and "4月" in (r[0] or "") for r in rows[:4])
    header_at = next(i for i, r in enumerate(rows) if r[0] == "列名")
    header = list(rows[header_at])
    assert header[:10] == ["列名", "見出し", "Label", "型", "単位", "許される値", "必須", "キー", "説明", "Description"]
    table = pd.DataFrame(rows[header_at + 1:], columns=header)
    assert list(table["列名"]) == sch.column_names
    assert list(table["見出し"]) == [c.label_ja for c in sch.columns]
    assert list(table["Label"]) == [c.label_en for c in sch.columns]
    assert list(table["説明"]) == [c.description_ja for c in sch.columns]
    assert [k == "●" for k in table["キー"]] == [c.name in sch.key for c in sch.columns]
    for col, allowed, required in zip(sch.columns, table["許される値"], table["必須"], strict=True):
        if col.categories:
            assert allowed == ", ".join(col.categories)
        elif col.minimum is not None and col.maximum is not None:
            assert "〜" in allowed
        assert required.startswith("必須") and (("空欄可" in required) == col.nullable)


def test_long_lists_go_to_a_hidden_sheet() -> None:
    """A list longer than Excel's 255 characters cannot be written in the validation itself."""
    many = tuple(f"区分{i:03d}" for i in range(60))
    sch = DatasetSchema("long", "長い区分", "Long list", "", "", columns=(
        Column("code", "string", "コード", "Code", "", "", pattern=r"\d{3}", pattern_hint_ja="3桁（例: 001）"),
        Column("kind", "string", "区分", "Kind", "", "", categories=many),
    ), key=("code",))
    data = _xlsx_bytes(sch, pd.DataFrame([example_row(sch)]))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [DATA_SHEET, NOTES_SHEET, LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    assert [r[0] for r in book[LISTS_SHEET].iter_rows(values_only=True)] == list(many)
    dv = _validations(book[DATA_SHEET])["B"]
    assert dv.formula1 == f"'{LISTS_SHEET}'!$A$1:$A$60"
    assert book[DATA_SHEET]["A2"].value == "001" and book[DATA_SHEET]["B2"].value == "区分000"


# ----------------------------------------------------------------------------- CSV and GeoJSON


def test_csv_template() -> None:
    t = _template("population")
    assert t.data.startswith(codecs.BOM_UTF8)
    text = t.data[len(codecs.BOM_UTF8):].decode("utf-8")
    lines = text.split("\r\n")
    assert lines[-1] == "" and len(lines) == 3 and "\n" not in "".join(lines)  # CRLF only
    assert lines[0] == "年度,メッシュコード,性別,年齢,人口"
    mesh = CAT.get("meshes")["mesh_code"].iloc[0]  # a mesh of the city, an invented count
    assert lines[1] == f"2025,{mesh},M,0,0"


def test_geojson_template_built_from_the_contract() -> None:
    doc = json.loads(_template("districts").data)
    assert doc["type"] == "FeatureCollection"
    assert doc["crs"] == {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6668"}}
    [feature] = doc["features"]
    assert feature["geometry"]["type"] == "Polygon" and feature["properties"]["name_ja"].startswith("（例）")
    assert set(feature["properties"]) == {"district_id", "name_ja", "name_en", "area_type", "area_km2"}
    square = gpd.GeoDataFrame.from_features([feature], crs=geo.GEOGRAPHIC_CRS)
    x0, y0, x1, y1 = square.total_bounds
    assert 134.6 < x0 < x1 < 134.8 and 34.7 < y0 < y1 < 34.9
    measured = float(geo.area_km2(square).iloc[0])
    assert abs(feature["properties"]["area_km2"] - measured) < 0.01 * measured


# ----------------------------------------------------------------------------- fill and round trip


def test_fill_keeps_codes_as_text() -> None:
    t = _template("meshes")
    rows = pd.DataFrame({"mesh_code": ["523404833", "523404844"], "district_id": ["0070", "007"]})
    read = read_table(fill(t, rows, "meshes"), contract=registry.contract("meshes"), filename=t.file_name)
    assert read.problems == []
    assert list(read.frame["地区ID"]) == ["0070", "007"] and list(read.frame["メッシュコード"]) == list(rows.mesh_code)
    book = openpyxl.load_workbook(io.BytesIO(fill(t, rows, "meshes")))
    assert book.sheetnames == [DATA_SHEET, NOTES_SHEET]  # the description stays
    assert book[DATA_SHEET].max_row == 3 and book[DATA_SHEET].freeze_panes == "A2"
    assert len(book[DATA_SHEET].data_validations.dataValidation) == len(_book("meshes")[DATA_SHEET]
                                                                        .data_validations.dataValidation)


def test_fill_requires_every_column() -> None:
    with pytest.raises(KeyError, match="district_id"):
        fill(_template("meshes"), pd.DataFrame({"mesh_code": ["523404833"]}), "meshes")


def _round_trip(name: str, rows: pd.DataFrame) -> None:
    """``rows`` written into the dataset's template and uploaded: the catalog serves exactly them."""
    t = _template(name)
    cat = Catalog()
    problems = cat.load_file(name, fill(t, rows, name), t.file_name)
    assert _errors(problems) == []
    assert cat.source(name).kind == "upload"
    _assert_same_data(cat.get(name), rows.reset_index(drop=True), name)


@pytest.mark.parametrize("name", NAMES)
def test_round_trip(name: str) -> None:
    """The synthetic dataset written into its template and uploaded: the catalog serves the same
    data. Every dataset and every kind of template (Excel, CSV, GeoJSON); the three datasets of
    more than 5,000 rows with 5,000 of them, spread over the whole table (every row in
    :func:`test_round_trip_of_every_row`, ``make test-all``)."""
    data = CAT.get(name)
    if len(data) > SAMPLE_ROWS:
        data = data.iloc[np.linspace(0, len(data) - 1, SAMPLE_ROWS).astype(int)]
    _round_trip(name, data)


@pytest.mark.full
@pytest.mark.parametrize("name", BIG)
def test_round_trip_of_every_row(name: str) -> None:
    _round_trip(name, CAT.get(name))
