"""Reading a planner's own file (CSV, TSV, Excel or GeoJSON) into a table of text cells.

:func:`read_table` is the first step of an upload: it turns the bytes of a file into a frame
whose cells are all text (``str``, or ``None`` for a blank cell; no type is guessed — the
contract layer, :func:`analytics.core.schemas.validate`, checks and converts them later) and says,
as :class:`~analytics.core.schemas.Problem` in Japanese and English, what is wrong with the file
itself and how to fix it. It never raises: a file it cannot read gives an error and no frame.

The kind of file is taken from the file name's extension (bytes with no name are recognised
by their first bytes); each kind is read by its own module, which says what it does:

* **CSV / TSV / TXT** — :mod:`analytics.core.files.text` (the encoding and the delimiter detected);
* **Excel (.xlsx, .xlsm)** — :mod:`analytics.core.files.excel` (the sheet whose header matches best);
* **GeoJSON (.geojson, or .json when ``geometry=True``) and GeoPackage (.gpkg)** —
  :mod:`analytics.core.files.geodata` (the CRS judged, the geometry converted to JGD2011, EPSG:6668);
  so is **WKT text** in the geometry column of a CSV or a sheet (:func:`~analytics.core.files.geodata.read_wkt`);
* what they share — :mod:`analytics.core.files.common`: :class:`ReadResult`, the problems' notes,
  loading the bytes (at most :data:`MAX_BYTES`), decoding text, finding **the header row** (see
  there) and :func:`column_letter`.

**Line numbers** (:attr:`ReadResult.line_of_row`, ``Problem.row``) are those the planner
sees: the row number Excel shows for a sheet or a CSV (for a CSV, the line in a text editor
as long as no cell holds a line break), counting the title rows and the header. For a
GeoJSON they are feature numbers (1 = the first feature), as in a GIS's attribute table.
"""

from __future__ import annotations

import codecs
import os
import warnings
from pathlib import Path
from typing import Any

from analytics.core.files.common import (
    _OLE_MAGIC,
    _SQLITE_MAGIC,
    _UNNAMED_EN,
    _UNNAMED_JA,
    _ZIP_MAGIC,
    EXCEL_EXTENSIONS,
    HEADER_SEARCH_ROWS,
    MAX_BYTES,
    TEXT_EXTENSIONS,
    ReadResult,
    Source,
    _load,
    _Notes,
    _Refusal,
    column_letter,
)
from analytics.core.files.excel import read_xlsx
from analytics.core.files.geodata import JAPAN_LAT, JAPAN_LON, TARGET_EPSG, read_geojson, read_gpkg, read_wkt
from analytics.core.files.text import read_text
from analytics.core.schemas import DatasetSchema

__all__ = [
    "EXCEL_EXTENSIONS",
    "HEADER_SEARCH_ROWS",
    "JAPAN_LAT",
    "JAPAN_LON",
    "MAX_BYTES",
    "TARGET_EPSG",
    "TEXT_EXTENSIONS",
    "ReadResult",
    "Source",
    "column_letter",
    "read_table",
]


def read_table(source: Source | Any, *, contract: DatasetSchema, filename: str | None = None, geometry: bool = False,
               max_bytes: int = MAX_BYTES) -> ReadResult:
    """Read a planner's file for the dataset of ``contract`` (:func:`analytics.registry.contract`)
    into text cells, with the problems of the file.

    ``source`` is a path (``str`` / ``Path``), the file's ``bytes`` (what Streamlit's
    ``st.file_uploader`` gives; an object with ``getvalue()`` and ``name`` is accepted too).
    ``filename`` is the name shown in messages and whose extension says the kind of file
    (default: the path's name, or the uploaded object's ``name``). ``geometry=True`` reads a
    ``.json`` as GeoJSON. A file over ``max_bytes`` is refused without being read.

    Never raises: whatever is wrong (even an unforeseen failure) comes back as an error
    :class:`~analytics.core.schemas.Problem` and ``frame=None``.
    """
    name = filename
    if name is None and isinstance(source, str | os.PathLike):
        name = Path(source).name
    if name is None and isinstance(getattr(source, "name", None), str):
        name = source.name
    notes = _Notes(contract.name, name or _UNNAMED_JA, name or _UNNAMED_EN)
    state: dict[str, Any] = {}
    try:
        result = _read(source, contract, name, notes, geometry, max_bytes, state)
    except _Refusal:
        result = None
    except Exception as exc:  # never raise: an unforeseen failure is reported, not thrown
        notes.add("error", None, None, type(exc).__name__,
                  "を読み込めませんでした（想定していない形式です）",
                  f"could not be read (unexpected format: {type(exc).__name__})",
                  "CSV（UTF-8、コンマ区切り）または Excel ブック（.xlsx）で保存し直して、もう一度読み込んでください",
                  "Save it again as CSV (UTF-8, comma-separated) or as an Excel workbook (.xlsx) and upload it again")
        result = None
    failed = result is None or any(p.severity == "error" for p in notes.items)
    return ReadResult(
        frame=None if failed else result.frame,
        problems=notes.items,
        line_of_row=[] if failed else result.line_of_row,
        encoding=state.get("encoding"),
        sheet=state.get("sheet"),
        header_line=None if failed else result.header_line,
        kind=state.get("kind"),
    )


def _read(source: Any, sch: DatasetSchema, name: str | None, notes: _Notes, geometry: bool, max_bytes: int,
          state: dict[str, Any]) -> ReadResult:
    data = _load(source, notes, max_bytes)
    ext = Path(name).suffix.lower() if name else ""
    kind = _kind(data, ext, geometry, notes)
    state["kind"] = kind
    if kind == "xlsx":
        return read_wkt(read_xlsx(data, sch, notes, state), sch, notes)
    if kind == "geojson":
        return read_geojson(data, notes, state)
    if kind == "gpkg":
        with warnings.catch_warnings():  # GDAL notes that the bytes it reads carry no .gpkg name
            warnings.filterwarnings("ignore", message=".*non conformant file extension", category=RuntimeWarning)
            return read_gpkg(data, sch, notes)
    return read_wkt(read_text(data, ext, sch, notes, state), sch, notes)


def _kind(data: bytes, ext: str, geometry: bool, notes: _Notes) -> str:
    """``"csv"``, ``"xlsx"`` or ``"geojson"``: by the extension, or by the first bytes when there is none."""
    if ext in EXCEL_EXTENSIONS or ext == ".xls":
        if data.startswith(_OLE_MAGIC) or (ext == ".xls" and not data.startswith(_ZIP_MAGIC)):
            raise notes.refuse(
                None, "は古い形式の Excel ファイル（.xls）か、パスワード付きのファイルのため読み込めません",
                "is an old-format Excel file (.xls) or protected by a password, and cannot be read",
                "Excel で開き、パスワードを外してから「名前を付けて保存」で"
                "「Excel ブック（.xlsx）」を選んで保存し直してください",
                "Open it in Excel, remove any password, then 'Save As' an 'Excel Workbook (.xlsx)'")
        return "xlsx"
    if ext == ".geojson" or (ext == ".json" and geometry):
        return "geojson"
    if ext == ".gpkg" or (not ext and data.startswith(_SQLITE_MAGIC)):
        return "gpkg"
    if ext == ".json":
        raise notes.refuse(None, "は JSON 形式です。JSON（GeoJSON）で読み込めるのは境界などの図形データだけです",
                           "is JSON; only boundary (geometry) data can be read from JSON (GeoJSON)",
                           "CSV（UTF-8、コンマ区切り）または Excel ブック（.xlsx）で保存し直してください",
                           "Save it as CSV (UTF-8, comma-separated) or as an Excel workbook (.xlsx)")
    if not ext:  # bytes without a name: look at the content
        if data.startswith(_ZIP_MAGIC):
            return "xlsx"
        if geometry and data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"{"):
            return "geojson"
    return "csv"
