"""Templates a planner downloads, fills in and uploads back, one per dataset.

:func:`template` makes the file for a dataset from its contract
(:func:`analytics.registry.contract`), in the form the upload reads best:

* **Excel (.xlsx)** for most datasets. Sheet 1 「データ」 holds the header row (each column's
  Japanese label, bold on a coloured fill, frozen) and one example row to overwrite; text
  columns (codes such as ``mesh_code``, ``district_id``) are formatted as text for the whole
  column, so Excel keeps leading zeros and never shows a 9-digit mesh code as ``5.2E+08``;
  columns with a fixed list of values (and yes/no columns) get a drop-down list, and
  numbers with a small range a check of that range. Sheet 2 「列の説明」 explains every
  column (name, labels, type, unit, allowed values, required, key, meaning).
* **CSV** when the data in use would not fit an Excel sheet (more than
  :data:`EXCEL_MAX_ROWS` − 1 rows: the population table): UTF-8 with a BOM (so Excel shows
  the Japanese), CRLF line ends, the header row of Japanese labels and the example row.
* **GeoJSON** for datasets with a geometry (the district boundaries): a FeatureCollection
  in JGD2011 (EPSG:6668, declared in its ``crs`` member) with one example feature whose
  properties are keyed by column *names* (ASCII, as GIS attribute names are).

Each file is read back by :func:`analytics.core.files.read_table` as the dataset's table: the
header row is found by the Japanese labels and the data sheet is the one picked.

The example row is always built from the contract column by column (:func:`example_row`):
invented, obviously so (``（例）…`` names, counts of 0, fiscal year 2025), never a row of
the data in use — a row of residents per mesh and age, say, is finer than anything the
publication shows, and a template is downloaded by anyone. Only cells that refer to another
dataset (mesh codes, district and facility IDs; :func:`references`) and a point's ``lon`` /
``lat`` take a value of the data in use when ``known`` gives one (:func:`known_values`: a
mesh and its district, a point inside that district): geography and facility codes, not
people, so that the unmodified template also passes the upload's checks against the other
datasets.

:func:`fill` writes rows in place of the example row: what a planner does by pasting their
own rows into the template (the round trip of the tests).

This module is pure: no Streamlit, no files read or written.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import box, mapping

from analytics import registry
from analytics.core import geo
from analytics.core.files import column_letter
from analytics.core.schemas import Column, DatasetSchema, describe_schema, format_number
from analytics.i18n import t

EXCEL_MAX_ROWS = 1_048_576  # rows of an Excel sheet, the header included
DATA_SHEET = "データ"
NOTES_SHEET = "列の説明"
LISTS_SHEET = "選択肢"  # hidden: drop-down lists too long to write in the validation itself
HEADER_FILL = "DDEBF7"  # light blue, Excel's own table-header colour
LIST_FORMULA_MAX = 255  # Excel's limit on an inline list ("a,b,c") of a data validation
EXAMPLE_FISCAL_YEAR = 2025
EXAMPLE_LON, EXAMPLE_LAT = 134.7, 34.8  # the synthetic city (Hyōgo, Japan Plane Rectangular CS V)
EXAMPLE_SQUARE_DEG = 0.01  # side of the example district's square (about 0.9 × 1.1 km)
GEOJSON_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6668"}}

Kind = Literal["xlsx", "csv", "geojson"]
MIME: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "geojson": "application/geo+json",
}

# What a dataset refers to beyond the mesh codes (in ``meshes``) and district IDs (in
# ``districts``) of every dataset that holds them: (column, dataset, its column).
_HINT_EXAMPLE = re.compile(r"例[:：]\s*([^）)\s]+)")


@dataclass(frozen=True)
class Template:
    """A template file: its bytes, the name and MIME type to download it under, its kind."""

    data: bytes
    file_name: str
    mime: str
    kind: Kind


def kind_of(sch: DatasetSchema, rows_in_use: int) -> Kind:
    """The kind of template for a dataset: GeoJSON with a geometry, CSV when the data in use
    (``rows_in_use`` rows and the header) would not fit an Excel sheet, Excel otherwise."""
    if sch.has_geometry:
        return "geojson"
    return "csv" if rows_in_use + 1 > EXCEL_MAX_ROWS else "xlsx"


def template(name: str, rows_in_use: int, *, known: Mapping[str, Any] | None = None) -> Template:
    """The template of dataset ``name`` (see the module's docstring for its kinds).

    ``rows_in_use`` is the number of rows of the data in use (it decides Excel or CSV). The
    example row is built from the contract (:func:`example_row`), taking reference values from
    ``known`` (column name → a value of the data in use, see :func:`known_values`).
    Raises ``KeyError`` for an unknown dataset.
    """
    sch = registry.contract(name)
    row = _frame(sch, [example_row(sch, known)])
    kind = kind_of(sch, rows_in_use)
    if kind == "geojson":
        data = _geojson_bytes(sch, row)
    elif kind == "csv":
        data = _csv_bytes(sch, row)
    else:
        data = _xlsx_bytes(sch, row)
    return Template(data, f"{name}_template.{kind}", MIME[kind], kind)


def template_for_data(name: str, get: Callable[[str], pd.DataFrame]) -> Template:
    """The template of ``name`` as the Data page offers it: its kind from the size of the data
    in use (``get``, e.g. ``Catalog.get``), the example row from the contract with reference
    values that exist in the data in use (:func:`known_values`). Nothing else of the data in
    use enters the file."""
    return template(name, len(get(name)), known=known_values(name, get))


def fill(template: Template, rows: pd.DataFrame, name: str) -> bytes:
    """The template with ``rows`` (in the contract's column names) in place of its example row.

    What a planner does by pasting their rows into the downloaded template: for Excel the
    workbook is opened, the example row cleared and the rows written from row 2 (text
    columns as text, yes/no columns as TRUE/FALSE, numbers as numbers; the formatting,
    drop-down lists and the description sheet stay); for CSV the header and the rows; for
    GeoJSON one feature per row (``rows`` a GeoDataFrame, converted to EPSG:6668).
    """
    sch = registry.contract(name)
    if template.kind == "geojson":
        return _geojson_bytes(sch, rows)
    if template.kind == "csv":
        return _csv_bytes(sch, rows)
    return _fill_xlsx(template.data, sch, rows)


def known_values(name: str, get: Callable[[str], pd.DataFrame]) -> dict[str, Any]:
    """Values of the data in use for the example row of ``name`` built from its contract.

    ``get`` returns a dataset by name (``Catalog.get``, or a dict's ``__getitem__``). The
    result maps column name → value, for the columns that refer to another dataset
    (:func:`analytics.registry.references`): a mesh code and the district it lies in (the first row of
    ``meshes``), or the first district; the first facility (successive ones for the
    preferred nurseries of an application); and for a point (``lon``, ``lat``) a point
    inside the example's district. A dataset that is missing or empty gives no value.
    """
    def first(dataset: str, column: str, skip: int = 0) -> Any:
        try:
            values = get(dataset)[column].dropna()
        except KeyError:
            return None
        return values.iloc[min(skip, len(values) - 1)] if len(values) else None

    refs = registry.references(name)
    out: dict[str, Any] = {}
    if {"mesh_code", "district_id"} <= {column for column, _, _ in refs}:  # a mesh and its district
        for column in ("mesh_code", "district_id"):
            value = first("meshes", column)
            if value is not None:
                out[column] = str(value)
    taken: dict[tuple[str, str], int] = {}
    for column, dataset, ref_column in refs:
        if column in out:
            continue
        value = first(dataset, ref_column, taken.get((dataset, ref_column), 0))
        if value is not None:
            out[column] = str(value)
            taken[(dataset, ref_column)] = taken.get((dataset, ref_column), 0) + 1
    columns = registry.contract(name).column_names
    if {"lon", "lat"} <= set(columns) and "district_id" in out:
        try:
            districts = get("districts")
            shape = districts.loc[districts["district_id"].astype(str) == out["district_id"], "geometry"]
        except KeyError:
            shape = pd.Series(dtype=object)
        if len(shape) and isinstance(shape.iloc[0], shapely.Geometry) and not shape.iloc[0].is_empty:
            point = shape.iloc[0].representative_point()
            rounded = shapely.Point(round(point.x, 6), round(point.y, 6))
            point = rounded if shape.iloc[0].contains(rounded) else point
            out["lon"], out["lat"] = float(point.x), float(point.y)
    return out


# ---------------------------------------------------------------------------------------------
# The example row


def example_row(sch: DatasetSchema, known: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """An example row built from the contract ``sch`` (column name → value) that passes it.

    Column by column: a value of ``known`` (references to other datasets); the first allowed
    value; for codes and IDs the example of the pattern's hint (``D001``, ``523415951``) or
    an ID such as ``P0000001``; for numbers 0 (or the fiscal year 2025, a point in the
    synthetic city for ``lon`` / ``lat``) brought within the allowed range; ``True`` for
    yes/no; a small square near 134.7°E 34.8°N for a geometry, with ``area_km2`` its area.
    A column that is the difference of two others (``net = in − out``) is computed from them.
    """
    known = known or {}
    row: dict[str, Any] = {}
    for col in sch.columns:
        row[col.name] = _as(col, known[col.name]) if col.name in known else _example_value(col)
    for a, b, c in sch.differences:
        if {a, b, c} <= row.keys():
            row[a] = row[b] - row[c]
    geometry = next((c.name for c in sch.columns if c.dtype == "geometry"), None)
    if geometry is not None and "area_km2" in row:
        row["area_km2"] = _area_km2(row[geometry])
    return row


def _as(col: Column, value: Any) -> Any:
    """``value`` as the Python type of ``col``'s cells."""
    if col.dtype == "string":
        return str(value)
    if col.dtype == "int":
        return int(value)
    if col.dtype == "float":
        return float(value)
    if col.dtype == "bool":
        return bool(value)
    return value


def _example_value(col: Column) -> Any:
    if col.dtype == "bool":
        return True
    if col.dtype == "geometry":
        x, y = EXAMPLE_LON, EXAMPLE_LAT
        return box(x, y, x + EXAMPLE_SQUARE_DEG, y + EXAMPLE_SQUARE_DEG)
    if col.dtype in ("int", "float"):
        value: float = 0
        if "年度" in col.unit:
            value = EXAMPLE_FISCAL_YEAR
        elif col.name in ("lon", "lat"):
            value = EXAMPLE_LON if col.name == "lon" else EXAMPLE_LAT
        if col.minimum is not None:
            value = max(value, col.minimum)
        if col.maximum is not None:
            value = min(value, col.maximum)
        return int(value) if col.dtype == "int" else float(value)
    if col.categories:
        return col.categories[0]
    if col.pattern:
        return _example_code(col)
    return "Example" if col.name.endswith("_en") else f"（例）{col.label_ja}"


def _example_code(col: Column) -> str:
    """A code matching ``col.pattern``: the example of its hint, else an ID like ``P0000001``."""
    regex = re.compile(col.pattern or "")
    hint = _HINT_EXAMPLE.search(col.pattern_hint_ja) or _HINT_EXAMPLE.search(col.pattern_hint_en)
    candidates = [hint.group(1)] if hint else []
    candidates += [f"{col.name[:1].upper()}0000001", "0000001", "1", "A"]
    for value in candidates:
        if regex.fullmatch(value) and (col.name != "mesh_code" or geo.is_mesh_code(value)):
            return value
    raise ValueError(f"no example value for column {col.name!r} (pattern {col.pattern!r})")


def _area_km2(geometry: object) -> float:
    if not isinstance(geometry, shapely.Geometry):
        return 0.0
    measured = float(geo.area_km2(gpd.GeoSeries([geometry], crs=geo.GEOGRAPHIC_CRS)).iloc[0])
    return round(measured, 3)


def _frame(sch: DatasetSchema, rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=sch.column_names)
    if sch.has_geometry:
        geometry = next(c.name for c in sch.columns if c.dtype == "geometry")
        return gpd.GeoDataFrame(frame, geometry=geometry, crs=geo.GEOGRAPHIC_CRS)
    return frame


# ---------------------------------------------------------------------------------------------
# Cells


def _cells(col: Column, values: pd.Series) -> list[Any]:
    """A column as Python scalars for a sheet: ``None`` blank, ``str`` text, ``bool`` yes/no."""
    items = values.astype(object).tolist()
    if col.dtype == "string":
        return [None if pd.isna(v) else str(v) for v in items]
    if col.dtype == "bool":
        return [None if pd.isna(v) else bool(v) for v in items]
    if col.dtype == "int":
        return [None if pd.isna(v) else int(v) for v in items]
    return [None if pd.isna(v) else float(v) for v in items]


def _text(value: Any) -> str:
    """A cell of a CSV: blank, TRUE/FALSE, a number in its shortest exact form, or the text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _columns(sch: DatasetSchema) -> list[Column]:
    """The columns of a table (every column but the geometry)."""
    return [c for c in sch.columns if c.dtype != "geometry"]


def _missing(rows: pd.DataFrame, sch: DatasetSchema) -> None:
    absent = [c for c in sch.column_names if c not in rows.columns]
    if absent:
        raise KeyError(f"rows for {sch.name!r} lack the columns {absent}")


# ---------------------------------------------------------------------------------------------
# CSV


def _csv_bytes(sch: DatasetSchema, rows: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, CRLF, the Japanese labels as header, then ``rows``."""
    _missing(rows, sch)
    columns = _columns(sch)
    cells = [[_text(v) for v in _cells(col, rows[col.name])] for col in columns]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.label_ja for c in columns])
    writer.writerows(zip(*cells, strict=True))
    return out.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------
# GeoJSON


def _geojson_bytes(sch: DatasetSchema, rows: pd.DataFrame) -> bytes:
    """A FeatureCollection in EPSG:6668 (declared), properties keyed by column names."""
    _missing(rows, sch)
    geometry = next(c.name for c in sch.columns if c.dtype == "geometry")
    shapes = gpd.GeoSeries(list(rows[geometry]), index=rows.index,
                           crs=getattr(rows, "crs", None) or geo.GEOGRAPHIC_CRS).to_crs(geo.GEOGRAPHIC_CRS)
    columns = _columns(sch)
    cells = {col.name: _cells(col, rows[col.name]) for col in columns}
    features = []
    for i, shape in enumerate(shapes):
        features.append({
            "type": "Feature",
            "properties": {c.name: cells[c.name][i] for c in columns},
            "geometry": None if shape is None else mapping(shape),
        })
    doc = {"type": "FeatureCollection", "name": sch.name, "crs": GEOJSON_CRS, "features": features}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Excel


def _width(text: str) -> int:
    """Display width of ``text`` in Excel's character units (a CJK character counts 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _required(col: Column) -> str:
    if not col.required:
        return "任意"
    return "必須（空欄可）" if col.nullable else "必須"


def notes_table(sch: DatasetSchema) -> pd.DataFrame:
    """The description of every column, as on the template's sheet 「列の説明」."""
    ja = describe_schema(sch, "ja")
    rows = []
    for col, (_, desc) in zip(sch.columns, ja.iterrows(), strict=True):
        rows.append({
            "列名": col.name,
            "見出し": col.label_ja,
            "Label": col.label_en,
            "型": desc[t("schema.type", "ja")],
            "単位": col.unit,
            "許される値": "TRUE / FALSE" if col.dtype == "bool" else desc[t("schema.allowed", "ja")],
            "必須": _required(col),
            "キー": desc[t("schema.key", "ja")],
            "説明": col.description_ja,
            "Description": col.description_en,
            "別名（見出しに使える名前）": "、".join(col.aliases),
        })
    return pd.DataFrame(rows)


def _instructions(sch: DatasetSchema) -> list[str]:
    return [
        f"「{DATA_SHEET}」シートの2行目は記入例です。上書きするか削除して、1行に1件ずつ入力してください。"
        "1行目の見出しは変えないでください。",
        "年度は西暦4桁で入力します（年度は4月〜翌年3月。例: 2025 = 2025年4月〜2026年3月）。"
        "コードやIDは文字列として入力し、先頭の0を落とさないでください。",
        f"Row 2 of the sheet '{DATA_SHEET}' is an example: overwrite or delete it and enter one record per row; "
        "keep the header row. Fiscal years are 4-digit western years (April to March).",
        f"{sch.title_ja}: {sch.description_ja}",
    ]


def _validation(col: Column, letter: str, lists: Any) -> Any:
    """The data validation of a column (``None`` when it has none): a drop-down list for
    allowed values and yes/no, a range check for numbers whose bounds Excel can hold."""
    from openpyxl.worksheet.datavalidation import DataValidation

    where = f"{letter}2:{letter}{EXCEL_MAX_ROWS}"
    values: Sequence[str] | None = None
    if col.categories:
        values = col.categories
    elif col.dtype == "bool":
        values = ("TRUE", "FALSE")
    if values is not None:
        inline = '"' + ",".join(values) + '"'
        if len(inline) <= LIST_FORMULA_MAX and not any("," in v or '"' in v for v in values):
            formula = inline
        else:
            formula = lists(col, values)
        dv = DataValidation(type="list", formula1=formula, allow_blank=col.nullable or not col.required,
                            showErrorMessage=True, errorTitle=col.label_ja,
                            error="一覧の値から選んでください", showDropDown=False)
        dv.add(where)
        return dv
    limit = 2**31 - 1
    if col.dtype in ("int", "float") and col.minimum is not None and col.maximum is not None \
            and -limit <= col.minimum and col.maximum <= limit:
        text = f"{format_number(col.minimum)}〜{format_number(col.maximum)}"
        dv = DataValidation(type="whole" if col.dtype == "int" else "decimal", operator="between",
                            formula1=str(col.minimum if col.dtype == "float" else int(col.minimum)),
                            formula2=str(col.maximum if col.dtype == "float" else int(col.maximum)),
                            allow_blank=col.nullable or not col.required, showErrorMessage=True,
                            errorTitle=col.label_ja, error=f"{text} の値を入力してください")
        dv.add(where)
        return dv
    return None


def _xlsx_bytes(sch: DatasetSchema, example: pd.DataFrame) -> bytes:
    """The Excel template: sheet 「データ」 (header, example row) and 「列の説明」."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = DATA_SHEET
    notes = book.create_sheet(NOTES_SHEET)
    columns = _columns(sch)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    hidden: list[Any] = []  # the sheet of long lists, made when first needed

    def lists(col: Column, values: Sequence[str]) -> str:
        """A long list written down a column of the hidden sheet 「選択肢」; the range that holds it."""
        if not hidden:
            hidden.append(book.create_sheet(LISTS_SHEET))
            hidden[0].sheet_state = "hidden"
        sheet = hidden[0]
        letter = column_letter(len(hidden) - 1)
        hidden.append(col.name)
        for i, v in enumerate(values, start=1):
            sheet[f"{letter}{i}"] = v
        return f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}"

    cells = {col.name: _cells(col, example[col.name])[0] for col in columns}
    for j, col in enumerate(columns):
        letter = column_letter(j)
        head = ws.cell(row=1, column=j + 1, value=col.label_ja)
        head.font, head.fill = bold, fill
        head.alignment = Alignment(horizontal="center", vertical="center")
        head.comment = Comment(f"{col.name}\n{col.description_ja}", "ebpm-dashboard", width=300, height=100)
        cell = ws.cell(row=2, column=j + 1, value=cells[col.name])
        dimension = ws.column_dimensions[letter]
        if col.dtype == "string":
            dimension.number_format = "@"  # text: Excel keeps leading zeros and all 9 digits
            cell.number_format = "@"
        elif col.dtype == "int":
            dimension.number_format = "0"  # never 1E+13 nor a date
            cell.number_format = "0"
        shown = max(_width(col.label_ja), _width(_text(cells[col.name])))
        dimension.width = min(max(shown + 4, 10), 40)
        dv = _validation(col, letter, lists)
        if dv is not None:
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    for line in _instructions(sch):
        notes.append([line])
    notes.append([])
    table = notes_table(sch)
    notes.append(list(table.columns))
    header_row = notes.max_row
    for cell in notes[header_row]:
        cell.font, cell.fill = bold, fill
    for values in table.itertuples(index=False):
        notes.append(list(values))
    for j, name in enumerate(table.columns):
        wide = max([_width(str(name)), *(_width(str(v)) for v in table[name])])
        notes.column_dimensions[column_letter(j)].width = min(max(wide + 2, 8), 60)
    notes.freeze_panes = f"A{header_row + 1}"

    out = io.BytesIO()
    book.save(out)
    return reproducible_xlsx(out.getvalue())


XLSX_TIMESTAMP = (2025, 4, 1, 0, 0, 0)  # every template's date: its bytes depend on its content only
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def reproducible_xlsx(data: bytes) -> bytes:
    """An .xlsx file with the dates openpyxl writes (the file's creation and change times, and
    those of each member of the zip) set to :data:`XLSX_TIMESTAMP`: the same template is then
    the same bytes, whenever it is made (and a cache or a test can compare files byte for byte)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*XLSX_TIMESTAMP).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                member = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", member)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=XLSX_TIMESTAMP), member,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fill_xlsx(data: bytes, sch: DatasetSchema, rows: pd.DataFrame) -> bytes:
    """The Excel template ``data`` with ``rows`` written from row 2 of its data sheet."""
    import openpyxl

    _missing(rows, sch)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[DATA_SHEET]
    if ws.max_row > 1:
        ws.delete_rows(2, ws.max_row - 1)  # the example row (and anything below it)
    columns = _columns(sch)
    cells = [_cells(col, rows[col.name]) for col in columns]
    for values in zip(*cells, strict=True):
        ws.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
