"""Reading a planner's own file (CSV, TSV, Excel or GeoJSON) into a table of text cells.

:func:`read_table` is the first step of an upload: it turns the bytes of a file into a frame
whose cells are all text (``str``, or ``None`` for a blank cell; no type is guessed — the
contract layer, :func:`analytics.core.schemas.validate`, checks and converts them later) and says,
as :class:`~analytics.core.schemas.Problem` in Japanese and English, what is wrong with the file
itself and how to fix it. It never raises: a file it cannot read gives an error and no frame.

What it does, by kind of file (the kind is taken from the file name's extension; bytes with
no name are recognised by their first bytes):

* **CSV / TSV / TXT** — the encoding is detected, not asked: UTF-8 with a BOM, UTF-16 with a
  BOM (Excel's 「Unicode テキスト」, tab-separated), UTF-8, then Shift_JIS (CP932, Excel's
  「CSV（コンマ区切り）」 on a Japanese PC). The delimiter (comma or tab) is the one more
  frequent on the first 20 non-blank lines. A line with more (non-empty) fields than the
  header is an error naming the line. NUL bytes, undecodable bytes or many control
  characters mean the file is not text.
* **Excel (.xlsx, .xlsm)** — read with openpyxl (values, not formulas). Of several sheets,
  the one whose header row matches the dataset's column names best is read (a cover sheet
  is skipped). Date cells become ISO date text (``2025-04-01``) with a warning; numbers
  become their plain text (``523415951``, ``0.5``).
* **GeoPackage (.gpkg)** — the layer whose attributes name most of the dataset's columns,
  read with pyogrio; its CRS converted or judged as for a GeoJSON.
* **GeoJSON (.geojson, or .json when ``geometry=True``)** — parsed, its coordinate reference
  system (CRS) judged and the geometry converted to JGD2011 (EPSG:6668); see
  :func:`_read_geojson`. The frame is a GeoDataFrame.

**The header row** of a CSV or a sheet is the first row among the first
:data:`HEADER_SEARCH_ROWS` whose non-empty cells are mostly (≥ 50%) names of the dataset's
columns (its ``name``, ``label_ja`` or ``aliases``; compared after NFKC normalisation,
without spaces and case): title rows and notes above it (「令和7年度 人口集計表」) are skipped.
When the row just below matches more columns, it is the header instead (a two-line header
whose top row groups columns under a label); blank cells of that lower row take the name of
the cell above when that cell names a known column (a header cell merged over two lines).
When no row matches, the first non-empty row is the header (the contract layer then reports
the missing columns). Completely blank rows at the end are dropped, and so are columns with
a blank header and no data; a column with a blank header but data is kept under the name
``列C`` (its Excel column letter) with a warning.

**Line numbers** (:attr:`ReadResult.line_of_row`, ``Problem.row``) are those the planner
sees: the row number Excel shows for a sheet or a CSV (for a CSV, the line in a text editor
as long as no cell holds a line break), counting the title rows and the header. For a
GeoJSON they are feature numbers (1 = the first feature), as in a GIS's attribute table.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analytics.core.schemas import MAX_ROWS_PER_RULE, DatasetSchema, Problem, Severity, header_key

MAX_BYTES = 200 * 1024**2  # the largest file read (200 MB)
HEADER_SEARCH_ROWS = 20  # the header row is looked for among the first 20 lines
TARGET_EPSG = 6668  # JGD2011 geographic (longitude / latitude): the CRS of every geometry in the app
JAPAN_LON = (120.0, 155.0)
JAPAN_LAT = (20.0, 50.0)
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
_SQLITE_MAGIC = b"SQLite format 3\x00"  # a GeoPackage is an SQLite database
_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx is a zip archive
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an .xlsx protected by a password
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNNAMED_JA, _UNNAMED_EN = "アップロードされたファイル", "the uploaded file"

Source = str | os.PathLike | bytes | bytearray | memoryview


@dataclass(frozen=True)
class ReadResult:
    """What :func:`read_table` read from a file.

    ``frame`` is ``None`` when a problem is an error; otherwise every cell is ``str`` or
    ``None`` (blank), except the ``geometry`` column of a GeoJSON's GeoDataFrame.
    ``line_of_row[i]`` is the line (1-based, as the planner sees it) of the frame's row ``i``;
    ``header_line`` the line of the header row. ``kind`` is ``"csv"``, ``"xlsx"`` or
    ``"geojson"`` once known; ``encoding`` is that of a text file (``"utf-8"``,
    ``"utf-8-sig"``, ``"utf-16"``, ``"cp932"``); ``sheet`` the sheet read from a workbook.
    """

    frame: pd.DataFrame | None
    problems: list[Problem]
    line_of_row: list[int]
    encoding: str | None = None
    sheet: str | None = None
    header_line: int | None = None
    kind: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file was read (no error; there may be warnings)."""
        return self.frame is not None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class _Refusal(Exception):
    """Reading stops here: the error that says why is already among the notes."""


class _Notes:
    """The problems found while reading one file, each naming the file (and line, sheet)."""

    def __init__(self, dataset: str, name_ja: str, name_en: str):
        self.dataset, self.name_ja, self.name_en = dataset, name_ja, name_en
        self.sheet: str | None = None
        self.unit = "line"  # "feature" for the features of a GeoJSON
        self.items: list[Problem] = []

    def where(self, line: int | None) -> tuple[str, str]:
        """The place, in both languages: 「x.csv」のシート「S」の 5 行目 / Line 5 of sheet 'S' of 'x.csv'."""
        ja = f"「{self.name_ja}」"
        en = f"'{self.name_en}'" if self.name_en != _UNNAMED_EN else self.name_en
        if self.sheet is not None:
            ja, en = f"{ja}のシート「{self.sheet}」", f"sheet '{self.sheet}' of {en}"
        if line is not None:
            unit_ja, unit_en = ("番目の地物", "feature") if self.unit == "feature" else (" 行目", "line")
            ja, en = f"{ja}の {line}{unit_ja}", f"{unit_en} {line} of {en}"
        return ja, en[0].upper() + en[1:]

    def add(self, severity: Severity, line: int | None, column: str | None, value: str | None,
            ja: str, en: str, fix_ja: str, fix_en: str) -> None:
        """``ja`` / ``en`` continue the place: 「x.csv」の 5 行目 + ``ja``; "Line 5 of 'x.csv'" + " " + ``en``."""
        where_ja, where_en = self.where(line)
        self.items.append(Problem(self.dataset, severity, line, column, value,
                                  f"{where_ja}{ja}", f"{where_en} {en}", fix_ja, fix_en))

    def refuse(self, line: int | None, ja: str, en: str, fix_ja: str, fix_en: str) -> _Refusal:
        """Add an error and return the exception that stops reading (``raise notes.refuse(...)``)."""
        self.add("error", line, None, None, ja, en, fix_ja, fix_en)
        return _Refusal()

    def capped(self, lines: Sequence[Any], make: Any) -> None:
        """One problem per line by ``make(line)``, at most :data:`MAX_ROWS_PER_RULE`, then a summary."""
        severity: Severity = "error"
        for line in lines[:MAX_ROWS_PER_RULE]:
            severity = make(line)
        extra = len(lines) - MAX_ROWS_PER_RULE
        if extra > 0:
            self.add(severity, None, None, None, f"では、ほかに {extra} 行で同じ問題があります",
                     f"has {extra} more lines with the same problem",
                     "上と同じ方法で直してください", "Fix them the same way as above")


# ---------------------------------------------------------------------------------------------
# The entry point


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
        return _read_xlsx(data, sch, notes, state)
    if kind == "geojson":
        return _read_geojson(data, notes, state)
    if kind == "gpkg":
        with warnings.catch_warnings():  # GDAL notes that the bytes it reads carry no .gpkg name
            warnings.filterwarnings("ignore", message=".*non conformant file extension", category=RuntimeWarning)
            return _read_gpkg(data, sch, notes)
    return _read_text(data, ext, sch, notes, state)


def _load(source: Any, notes: _Notes, max_bytes: int) -> bytes:
    """The bytes of ``source``, refusing a file over ``max_bytes`` before reading it."""
    size_fix_ja = "年度や地区ごとに分けるか、不要な列を削除してファイルを小さくしてから読み込んでください"
    size_fix_en = "Split it (e.g. by fiscal year or district) or delete unneeded columns, then upload it again"

    def too_big(size: int) -> _Refusal:
        return notes.refuse(None, f"は大きすぎるため読み込みません（{_mb(size)}、上限 {_mb(max_bytes)}）",
                            f"is too large to read ({_mb(size)}; the limit is {_mb(max_bytes)})",
                            size_fix_ja, size_fix_en)

    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) > max_bytes:
            raise too_big(len(source))
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            if not path.is_file():
                raise FileNotFoundError(path)
            size = path.stat().st_size
            if size > max_bytes:
                raise too_big(size)
            return path.read_bytes()
        except OSError:
            raise notes.refuse(None, "が見つからないか、開けません", "was not found or cannot be opened",
                               "ファイルの場所と名前を確かめてください", "Check the file's location and name") from None
    if hasattr(source, "getvalue"):  # Streamlit's UploadedFile, io.BytesIO
        data = source.getvalue()
        data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if len(data) > max_bytes:
            raise too_big(len(data))
        return data
    raise notes.refuse(None, "はファイルとして受け取れませんでした",
                       f"was not received as a file ({type(source).__name__})",
                       "ファイルをもう一度選んで読み込んでください", "Choose the file again and upload it")


def _mb(size: int) -> str:
    return f"{size / 1024**2:.1f} MB" if size >= 1024**2 / 10 else f"{size:,} bytes"


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


# ---------------------------------------------------------------------------------------------
# Text files


def _read_text(data: bytes, ext: str, sch: DatasetSchema, notes: _Notes, state: dict[str, Any]) -> ReadResult:
    """A CSV / TSV: the header found on the first lines, then the body read by pandas' C parser
    (fast enough for a 150 MB file); a body pandas cannot split evenly is read again line by line,
    to name every line that is wrong."""
    text, encoding = _decode(data, notes)
    state["encoding"] = encoding
    delimiter = _delimiter(text, ext, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    head: list[list[str | None]] = []
    consumed: list[int] = []  # text lines read up to the end of each record
    try:
        for record in reader:
            head.append([cell if cell != "" else None for cell in record])
            consumed.append(reader.line_num)
            if len(head) > HEADER_SEARCH_ROWS + 1:
                break
    except csv.Error:
        return _read_text_by_line(text, delimiter, sch, notes)
    known = sch.header_names
    if not any(not _blank(c) for row in head for c in row):
        return _read_text_by_line(text, delimiter, sch, notes)
    h, _ = _header_index(head, known)
    header = _fill_from_above(head[h], head[h - 1] if h > 0 else [], known)
    try:
        body = pd.read_csv(io.StringIO(text, newline=""), sep=delimiter, header=None, skiprows=consumed[h],
                           dtype="str", keep_default_na=False, na_values=[""], skip_blank_lines=False,
                           engine="c")
    except pd.errors.EmptyDataError:
        body = pd.DataFrame(index=range(0))
    except Exception:  # ragged lines, stray quotes: read line by line to say where
        return _read_text_by_line(text, delimiter, sch, notes)
    width = len(header)
    if body.shape[1] > width:
        if body.iloc[:, width:].notna().to_numpy().any():  # more fields than the header: name the lines
            return _read_text_by_line(text, delimiter, sch, notes)
        body = body.iloc[:, :width]
    body.columns = range(body.shape[1])
    header_line = h + 1
    return _framed(header, header_line, body, header_line + 1, notes)


def _read_text_by_line(text: str, delimiter: str, sch: DatasetSchema, notes: _Notes) -> ReadResult:
    """The slow, exact reading of a CSV: every record with the csv module (ragged lines named)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str | None]] = []
    try:
        for record in reader:
            rows.append([cell if cell != "" else None for cell in record])
    except csv.Error as exc:
        raise notes.refuse(len(rows) + 1, f"を区切れませんでした（{exc}）", f"cannot be split into cells ({exc})",
                           "この行のセルの値（特に \" の使い方と極端に長いセル）を確かめ、保存し直してください",
                           "Check the cells of this line (especially quotes \" and very long cells) and save again") \
            from None
    return _table(rows, sch, notes, ragged=True)


def _decode(data: bytes, notes: _Notes, what: str = "CSV") -> tuple[str, str]:
    """The text of ``data`` and its encoding; refuses empty and binary files (``what``: the kind, for messages)."""
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            body = data[len(bom):]
            break
    else:
        body = data
    if not body.strip(b" \t\r\n\x1a"):  # \x1a: the end-of-file mark of old DOS tools
        raise notes.refuse(None, "は空のファイルです（中身がありません）", "is empty (it holds no data)",
                           "見出し行とデータを入力して保存してから、もう一度読み込んでください",
                           "Enter the header row and the data, save, and upload it again")
    candidates: tuple[str, ...]
    if data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif b"\x00" in data:
        raise _not_text(data, notes, what)
    else:
        candidates = ("utf-8", "cp932")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[: 1024**2]
        if "\x00" in text or len(_CONTROL.findall(sample)) * 100 > len(sample):
            break
        return text, encoding
    raise _not_text(data, notes, what)


def _not_text(data: bytes, notes: _Notes, what: str) -> _Refusal:
    if what != "CSV":
        fix_ja = f"GIS（QGIS など）で開けるか確かめ、{what} 形式で書き出し直してください"
        fix_en = f"Check that it opens in your GIS (e.g. QGIS) and export it as {what} again"
    elif data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        fix_ja = ("Excel ファイルの名前が .csv になっているようです。拡張子を .xlsx に直すか、Excel で開いて"
                  "「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」を選んで保存し直してください")
        fix_en = ("It looks like an Excel file named .csv: rename it to .xlsx, or open it in Excel and "
                  "'Save As' 'CSV UTF-8 (Comma delimited)'")
    else:
        fix_ja = ("元のソフト（Excel など）で開き、「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」を選んで"
                  "保存し直してください")
        fix_en = "Open it in the program that made it (e.g. Excel) and 'Save As' 'CSV UTF-8 (Comma delimited)'"
    return notes.refuse(None, f"はテキスト（{what}）ファイルではありません（文字として読めないデータが含まれています）",
                        f"is not a text ({what}) file: it holds data that cannot be read as characters", fix_ja, fix_en)


def _delimiter(text: str, ext: str, encoding: str) -> str:
    """Comma or tab: whichever is more frequent on the first 20 non-blank lines."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    tabs = sum(line.count("\t") for line in lines)
    commas = sum(line.count(",") for line in lines)
    if tabs != commas:
        return "\t" if tabs > commas else ","
    return "\t" if ext == ".tsv" or encoding == "utf-16" else ","


# ---------------------------------------------------------------------------------------------
# The table of a CSV or a sheet: header row, blank rows and columns, ragged lines


def _blank(cell: str | None) -> bool:
    return cell is None or cell.strip() == ""


def _match(row: Sequence[str | None], known: dict[str, str]) -> tuple[int, float]:
    """(distinct known columns named, share of the non-empty cells that name one) of a row."""
    cells = [c for c in row if not _blank(c)]
    hits = [known[header_key(c)] for c in cells if header_key(c) in known]
    return len(set(hits)), (len(hits) / len(cells) if cells else 0.0)


def _header_index(rows: Sequence[Sequence[str | None]], known: dict[str, str]) -> tuple[int, int]:
    """(index of the header row, columns it names); see the module's docstring."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        named, share = _match(row, known)
        if named and share >= 0.5:
            if i + 1 < len(rows):
                below, below_share = _match(_fill_from_above(rows[i + 1], row, known), known)
                if below > named and below_share >= 0.5:
                    return i + 1, below
            return i, named
    first = next((i for i, row in enumerate(rows) if not all(_blank(c) for c in row)), 0)
    return first, 0


def _fill_from_above(row: Sequence[str | None], above: Sequence[str | None],
                     known: dict[str, str]) -> list[str | None]:
    """``row`` as a header whose blank cells take the name in ``above`` when it names a known column
    (a header cell merged over two lines keeps its text in the upper line only)."""
    filled = [None if _blank(c) else c.strip() for c in row]
    for j, cell in enumerate(filled):
        if cell is None and j < len(above) and not _blank(above[j]) and header_key(above[j]) in known:
            filled[j] = above[j].strip()
    return filled


def column_letter(j: int) -> str:
    """Excel's column letter of the 0-based column ``j`` (0 → A, 26 → AA)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def _table(rows: list[list[str | None]], sch: DatasetSchema, notes: _Notes, *, ragged: bool) -> ReadResult:
    """The table of a CSV read line by line or of a sheet (``rows[i]`` is line ``i + 1``)."""
    if all(_blank(c) for row in rows for c in row):
        raise notes.refuse(None, "にはデータがありません（空欄だけです）", "holds no data (only blank cells)",
                           "見出し行とデータを入力して保存してから、もう一度読み込んでください",
                           "Enter the header row and the data, save, and upload it again")
    known = sch.header_names
    h, _ = _header_index(rows, known)
    header = _fill_from_above(rows[h], rows[h - 1] if h > 0 else [], known)
    header_line, body = h + 1, rows[h + 1:]
    width = len(header)

    if ragged:
        long = [(header_line + 1 + i, len(row)) for i, row in enumerate(body)
                if len(row) > width and not all(_blank(c) for c in row[width:])]

        def ragged_line(item: tuple[int, int]) -> Severity:
            line, n = item
            notes.add("error", line, None, None,
                      f"は、見出し行（{header_line} 行目、{width} 列）より列が多くなっています（{n} 列）",
                      f"has more fields ({n}) than the header row (line {header_line}, {width} fields)",
                      "値の中のコンマ（,）を削除するか、その値を \"\" で囲んでください。"
                      "列が足りない場合は見出し行に列名を追加してください",
                      "Delete the comma inside a value or put that value in double quotes \"\"; "
                      "if a column is missing, add its name to the header row")
            return "error"

        if long:
            notes.capped(long, ragged_line)
            raise _Refusal()
    frame = pd.DataFrame([(row + [None] * width)[:width] for row in body], columns=range(width), dtype="str")
    return _framed(header, header_line, frame, header_line + 1, notes)


def _framed(header: list[str | None], header_line: int, body: pd.DataFrame, first_line: int,
            notes: _Notes) -> ReadResult:
    """The frame of a table: ``body``'s columns (by position) named by ``header``; blank rows at the
    end and columns with neither a header nor data dropped; a blank header over data named ``列C``;
    a repeated name an error. ``body``'s row ``i`` is line ``first_line + i``."""
    filled = body.notna().to_numpy().any(axis=1) if body.shape[1] else []
    last = int(np.flatnonzero(filled)[-1]) + 1 if len(filled) and filled.any() else 0
    body = body.iloc[:last]  # blank rows at the end (Excel leaves them)
    if body.shape[1] < len(header):
        for j in range(body.shape[1], len(header)):
            body[j] = pd.Series(pd.NA, index=body.index, dtype="str")
    columns: dict[str, pd.Series] = {}
    seen: dict[str, int] = {}
    for j, name in enumerate(header):
        values = body.iloc[:, j]
        if name is None:
            if not values.notna().any():
                continue  # an empty column with no header: dropped
            letter = column_letter(j)
            name = f"列{letter}"
            notes.add("warning", header_line, name, None,
                      f"の {letter} 列は見出しが空欄ですが、データがあります（「{name}」として読み込みました）",
                      f"has data in column {letter} under a blank header (read as '{name}')",
                      "見出し行にこの列の列名を入力してください。不要な列なら削除してください",
                      "Enter the column's name in the header row, or delete the column if it is not needed")
        if name in seen:
            first, again = column_letter(seen[name]), column_letter(j)
            notes.add("error", header_line, name, name,
                      f"で、列名「{name}」が {first} 列と {again} 列の2回出てきます",
                      f"has the column name '{name}' twice (columns {first} and {again})",
                      "同じ名前の列を1つにするか、どちらかの列名を直してください",
                      "Keep one column of that name, or rename one of them")
            continue
        seen[name] = j
        columns[name] = values.reset_index(drop=True)
    if any(p.severity == "error" for p in notes.items):
        raise _Refusal()
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(len(body)))
    return ReadResult(frame, [], list(range(first_line, first_line + len(frame))), header_line=header_line)


# ---------------------------------------------------------------------------------------------
# Excel


def _cell_text(value: object) -> str | None:
    """The text of an Excel cell: numbers without a needless ``.0``, dates in ISO form."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):  # a missing attribute of a GeoPackage
            return None
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _sheet_rows(ws: Any, max_row: int | None = None) -> tuple[list[list[str | None]], dict[tuple[int, int], str]]:
    """A sheet's cells as text, row 1 first, and the (row index, column) of its date cells."""
    rows: list[list[str | None]] = []
    dates: dict[tuple[int, int], str] = {}
    for i, values in enumerate(ws.iter_rows(max_row=max_row, values_only=True)):
        row = []
        for j, value in enumerate(values):
            text = _cell_text(value)
            if isinstance(value, dt.date) and text is not None:
                dates[(i, j)] = text
            row.append(text)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows], dates


def _read_xlsx(data: bytes, sch: DatasetSchema, notes: _Notes, state: dict[str, Any]) -> ReadResult:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zip, XML and openpyxl errors alike mean a damaged file
        raise _broken_workbook(notes) from None
    try:
        known = sch.header_names
        best, best_named = None, -1
        for ws in book.worksheets:
            ws.reset_dimensions()  # some programs write a wrong <dimension>: read the cells as they are
            top, _ = _sheet_rows(ws, HEADER_SEARCH_ROWS + 1)
            if all(_blank(c) for row in top for c in row):
                continue
            _, named = _header_index(top, known)
            if named > best_named:
                best, best_named = ws, named
        if best is None:
            raise notes.refuse(None, "のどのシートにもデータがありません", "has no sheet with data",
                               "データを入力したシートを保存してから、もう一度読み込んでください",
                               "Save the workbook with the data in a sheet and upload it again")
        notes.sheet = state["sheet"] = best.title
        rows, dates = _sheet_rows(best)
    except _Refusal:
        raise
    except Exception:
        raise _broken_workbook(notes) from None
    finally:
        book.close()
    result = _table(rows, sch, notes, ragged=False)
    _warn_dates(result, rows, dates, sch, notes)
    return result


def _broken_workbook(notes: _Notes) -> _Refusal:
    return notes.refuse(None, "を Excel ブック（.xlsx）として開けません（ファイルが壊れているか、別の形式です）",
                        "cannot be opened as an Excel workbook (.xlsx): it is damaged or of another format",
                        "Excel で開けるか確かめ、「名前を付けて保存」で"
                        "「Excel ブック（.xlsx）」を選んで保存し直してください",
                        "Check that it opens in Excel, then 'Save As' an 'Excel Workbook (.xlsx)'")


def _warn_dates(result: ReadResult, rows: list[list[str | None]], dates: dict[tuple[int, int], str],
                sch: DatasetSchema, notes: _Notes) -> None:
    """A warning for each date cell of the data (they were read as ISO date text)."""
    if result.frame is None or not dates or result.header_line is None:
        return
    known = sch.header_names
    header_index = result.header_line - 1
    header = _fill_from_above(rows[header_index], rows[header_index - 1] if header_index > 0 else [], known)
    found = sorted((i + 1, j, iso) for (i, j), iso in dates.items() if i > header_index)
    for line, j, iso in found[:MAX_ROWS_PER_RULE]:
        name = header[j] if j < len(header) and header[j] is not None else f"列{column_letter(j)}"
        target = known.get(header_key(name))
        year_like = target is not None and (target.endswith("year") or "年" in sch.column(target).label_ja)
        if year_like:
            fix_ja = ("年度は 2025 のような西暦4桁の数字で入力してください（セルの表示形式を「標準」にしてから"
                      "入力し直します）")
            fix_en = "Enter the fiscal year as a 4-digit number such as 2025 (set the cell format to 'General' first)"
        else:
            fix_ja = ("日付で正しければそのままで構いません。数値や文字のつもりなら、"
                      "セルの表示形式を「標準」にして入力し直してください")
            fix_en = ("Nothing to do if a date is meant; if a number or text is meant, set the cell format to "
                      "'General' and enter it again")
        notes.add("warning", line, name, iso,
                  f"で、「{name}」が日付として入力されています（{iso} という文字として読み込みました）",
                  f"has '{name}' entered as a date (read as the text {iso})", fix_ja, fix_en)
    extra = len(found) - MAX_ROWS_PER_RULE
    if extra > 0:
        notes.add("warning", None, None, None, f"では、ほかに {extra} 個のセルが日付として入力されています",
                  f"has {extra} more cells entered as dates", "上と同じ方法で直してください",
                  "Fix them the same way as above")


# ---------------------------------------------------------------------------------------------
# GeoJSON


def _in(values: tuple[float, float], bounds: tuple[float, float]) -> bool:
    return bounds[0] <= values[0] and values[1] <= bounds[1]


def _property_text(value: object) -> str | None:
    """The text of a GeoJSON / GeoPackage attribute: as an Excel cell's, nested values as JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return _cell_text(value)


def _read_geojson(data: bytes, notes: _Notes, state: dict[str, Any]) -> ReadResult:
    """A GeoJSON as a GeoDataFrame in JGD2011 (EPSG:6668), its properties as text.

    The CRS: a declared one (the ``crs`` member) is converted to EPSG:6668 with a warning
    naming it. With none, the coordinates decide: all within longitude 120–155 and latitude
    20–50 → JGD2011 is assumed (warning); x in 20–50 and y in 120–155 → latitude and
    longitude are swapped (error); values beyond ±360 → metres of a projected CRS that was
    not saved (error); anything else → not in Japan (error).
    """
    import pyproj
    import shapely.geometry

    text, encoding = _decode(data, notes, "GeoJSON")
    state["encoding"] = encoding
    fix_json_ja = "GIS（QGIS など）で開けるか確かめ、GeoJSON 形式で書き出し直してください"
    fix_json_en = "Check that it opens in your GIS (e.g. QGIS) and export it as GeoJSON again"
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        cut = _unclosed(text) or exc.pos >= len(text.rstrip())
        ja = ("付近でファイルが途中で切れています（GeoJSON が最後まで保存されていません）" if cut
              else f"で GeoJSON（JSON）の書式が壊れています（{exc.msg}）")
        en = ("is where the file is cut off (the GeoJSON was not saved to the end)" if cut
              else f"is malformed GeoJSON (JSON): {exc.msg}")
        raise notes.refuse(exc.lineno, ja, en, fix_json_ja, fix_json_en) from None
    if isinstance(obj, dict) and obj.get("type") == "FeatureCollection" and isinstance(obj.get("features"), list):
        features = obj["features"]
    elif isinstance(obj, dict) and obj.get("type") == "Feature":
        features = [obj]
    elif isinstance(obj, dict) and isinstance(obj.get("type"), str) and ("coordinates" in obj or "geometries" in obj):
        features = [{"type": "Feature", "geometry": obj, "properties": {}}]
    else:
        raise notes.refuse(None, "は GeoJSON（FeatureCollection）ではありません",
                           "is not GeoJSON (a FeatureCollection)",
                           fix_json_ja, fix_json_en)

    notes.unit = "feature"  # from here on, problems name features (as a GIS's attribute table numbers them)
    geoms, props, bad, unclosed = [], [], [], []
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            bad.append(n)
            continue
        geometry = feature.get("geometry")
        try:
            geoms.append(None if geometry is None else shapely.geometry.shape(geometry))
        except Exception:  # shapely raises several kinds on malformed geometry
            bad.append(n)
            continue
        if _open_ring(geometry):  # shapely would close it silently; GeoJSON requires closed rings
            unclosed.append(n)
        properties = feature.get("properties")
        props.append(properties if isinstance(properties, dict) else {})
    if bad:
        def bad_feature(n: int) -> Severity:
            notes.add("error", n, "geometry", None, "の図形の書式が正しくありません",
                      "has a malformed geometry", fix_json_ja, fix_json_en)
            return "error"
        notes.capped(bad, bad_feature)
        raise _Refusal()
    if unclosed:
        def open_feature(n: int) -> Severity:
            notes.add("error", n, "geometry", None, "の境界の線が閉じていません（始点と終点が一致しません）",
                      "has a boundary ring that is not closed (its first and last points differ)",
                      "GIS の「ジオメトリの修復」をかけてから書き出し直してください",
                      "Run your GIS's 'fix geometries' and export it again")
            return "error"
        notes.capped(unclosed, open_feature)
        raise _Refusal()

    names: dict[str, None] = {}
    for p in props:
        names.update(dict.fromkeys(k for k in p if k != "geometry"))
    columns = {k: [_property_text(p.get(k)) for p in props] for k in names}
    frame = gpd.GeoDataFrame(pd.DataFrame(columns, index=range(len(geoms)), dtype="str"),
                             geometry=gpd.GeoSeries(geoms, index=range(len(geoms))))
    lines = list(range(1, len(geoms) + 1))
    declared = _declared_crs(obj, notes, fix_json_ja, fix_json_en, pyproj)
    return _in_jgd2011(frame, declared, lines, notes)


def _in_jgd2011(frame: gpd.GeoDataFrame, declared: Any, lines: list[int], notes: _Notes) -> ReadResult:
    """``frame`` (geometry without a CRS) in JGD2011, from its ``declared`` CRS (a ``pyproj.CRS``)
    or, with none, as judged from the coordinates' range (see :func:`_read_geojson`)."""
    present = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    if present.empty:  # nothing to judge: the contract layer reports the missing geometries
        return ReadResult(frame.set_crs(TARGET_EPSG, allow_override=True), [], lines)
    x0, y0, x1, y1 = (float(v) for v in present.total_bounds)
    in_japan = _in((x0, x1), JAPAN_LON) and _in((y0, y1), JAPAN_LAT)
    swapped = _in((x0, x1), JAPAN_LAT) and _in((y0, y1), JAPAN_LON)
    swap_ja, swap_en = ("で、緯度と経度が入れ替わっています（X に緯度、Y に経度が入っています）",
                        "has latitude and longitude swapped (X holds the latitude, Y the longitude)")
    swap_fix_ja = "GIS で座標の順序を「経度, 緯度」（X=経度、Y=緯度）にして書き出し直してください"
    swap_fix_en = "Export it again with coordinates in the order longitude, latitude (X = longitude, Y = latitude)"
    if declared is None:
        if max(abs(x0), abs(x1), abs(y0), abs(y1)) > 360:
            raise notes.refuse(None, "に座標系（CRS）の情報がなく、座標がメートル単位のように見えます",
                               "has no CRS and its coordinates look like metres",
                               "GIS で座標系を付けて保存し直してください（例: EPSG:3857 や平面直角座標系 EPSG:6673）",
                               "Save the file with its CRS (e.g. EPSG:3857 or 6673)")
        if swapped:
            raise notes.refuse(None, swap_ja, swap_en, swap_fix_ja, swap_fix_en)
        if not in_japan:
            raise notes.refuse(None, "に座標系（CRS）の情報がなく、座標が日本の範囲"
                                     "（経度120〜155度、緯度20〜50度）にありません",
                               "has no CRS and its coordinates are not in Japan (longitude 120–155, latitude 20–50)",
                               "GIS で正しい座標系を付けて GeoJSON を書き出し直してください",
                               "Export the GeoJSON again from your GIS with its correct CRS")
        notes.add("warning", None, "geometry", None,
                  "に座標系（CRS）の情報がないため、座標の範囲から JGD2011（経緯度、EPSG:6668）とみなしました",
                  "has no CRS; from the range of its coordinates JGD2011 (longitude/latitude, EPSG:6668) is assumed",
                  "地図上の位置がずれていないか確かめてください。ずれている場合は座標系を付けて書き出し直してください",
                  "Check the positions on the map; if they are off, export the file again with its CRS")
        return ReadResult(frame.set_crs(TARGET_EPSG), [], lines)

    label = f"EPSG:{declared.to_epsg()}" if declared.to_epsg() else declared.name
    if declared.is_geographic and swapped:
        raise notes.refuse(None, swap_ja, swap_en, swap_fix_ja, swap_fix_en)
    if declared.is_geographic and max(abs(x0), abs(x1), abs(y0), abs(y1)) > 360:
        raise notes.refuse(None, f"の座標系は経緯度（{label}）となっていますが、座標がメートル単位のように見えます",
                           f"declares a longitude/latitude CRS ({label}) but its coordinates look like metres",
                           "GIS で正しい座標系（例: EPSG:3857 や平面直角座標系 EPSG:6673）を付けて"
                           "書き出し直してください",
                           "Export it again with its correct CRS (e.g. EPSG:3857 or 6673)")
    frame = frame.set_crs(declared)
    if declared.to_epsg() != TARGET_EPSG:
        frame = frame.to_crs(TARGET_EPSG)
        notes.add("warning", None, "geometry", label,
                  f"の座標系 {label}（{declared.name}）を JGD2011（経緯度、EPSG:6668）に変換しました",
                  f"was converted from its CRS {label} ({declared.name}) to JGD2011 (longitude/latitude, EPSG:6668)",
                  "変換後の位置が地図上で正しいか確かめてください",
                  "Check that the converted positions are right on the map")
    converted = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    x0, y0, x1, y1 = (float(v) for v in converted.total_bounds)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise notes.refuse(None, f"の座標を座標系 {label} から変換できませんでした"
                                 "（座標系の指定が誤っている可能性があります）",
                           f"has coordinates that could not be converted from {label} (the declared CRS may be wrong)",
                           "GIS で正しい座標系を付けて GeoJSON を書き出し直してください",
                           "Export the GeoJSON again from your GIS with its correct CRS")
    if not (_in((x0, x1), JAPAN_LON) and _in((y0, y1), JAPAN_LAT)):
        notes.add("warning", None, "geometry", label,
                  f"の座標が、座標系 {label} として変換すると日本の範囲外になります",
                  f"has coordinates that fall outside Japan once converted from {label}",
                  "ファイルに付いている座標系が正しいか、GIS で確かめてください",
                  "Check in your GIS that the CRS saved with the file is the right one")
    return ReadResult(frame, [], lines)


def _read_gpkg(data: bytes, sch: DatasetSchema, notes: _Notes) -> ReadResult:
    """A GeoPackage's layer as a GeoDataFrame in JGD2011, its attributes as text: of several
    layers, the one whose columns name most of the dataset's; its CRS as for a GeoJSON."""
    import pyogrio

    fix_ja = "GIS（QGIS など）で開けるか確かめ、GeoPackage か GeoJSON で書き出し直してください"
    fix_en = "Check that it opens in your GIS (e.g. QGIS) and export it again as GeoPackage or GeoJSON"
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(io.BytesIO(data))]
    except Exception:  # GDAL's errors on a damaged database are many
        raise notes.refuse(None, "を GeoPackage として開けません（ファイルが壊れているか、別の形式です）",
                           "cannot be opened as a GeoPackage: it is damaged or of another format",
                           fix_ja, fix_en) from None
    known = sch.header_names
    best, best_named = None, -1
    for layer in layers:
        try:
            info = pyogrio.read_info(io.BytesIO(data), layer=layer)
        except Exception:  # a layer that cannot be described is not the data
            continue
        named = len({known[header_key(c)] for c in info["fields"] if header_key(c) in known})
        if info.get("geometry_type") and named > best_named:
            best, best_named = layer, named
    if best is None:
        raise notes.refuse(None, "に図形（境界）のレイヤーがありません", "has no layer with geometries",
                           fix_ja, fix_en)
    try:
        read = gpd.read_file(io.BytesIO(data), layer=best)
    except Exception:
        raise notes.refuse(None, f"のレイヤー「{best}」を読み込めません", f"cannot read its layer '{best}'",
                           fix_ja, fix_en) from None
    columns = {c: [_property_text(v) for v in read[c]] for c in read.columns if c != read.geometry.name}
    frame = gpd.GeoDataFrame(pd.DataFrame(columns, index=range(len(read)), dtype="str"),
                             geometry=gpd.GeoSeries(list(read.geometry), index=range(len(read))))
    notes.unit = "feature"
    return _in_jgd2011(frame, read.crs, list(range(1, len(read) + 1)), notes)


def _open_ring(geometry: Any) -> bool:
    """Whether a GeoJSON (Multi)Polygon has a ring whose last position is not its first."""
    if not isinstance(geometry, dict):
        return False
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    try:
        return any(len(ring) >= 2 and list(ring[0]) != list(ring[-1]) for polygon in polygons for ring in polygon)
    except TypeError:  # malformed coordinates: shapely has judged them already
        return False


def _unclosed(text: str) -> bool:
    """Whether JSON text opens more brackets than it closes (a file cut off before its end)."""
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)  # strings may hold brackets
    return bare.count("{") + bare.count("[") > bare.count("}") + bare.count("]")


def _declared_crs(obj: Any, notes: _Notes, fix_ja: str, fix_en: str, pyproj: Any) -> Any:
    """The CRS named by the GeoJSON's ``crs`` member (a ``pyproj.CRS``), or ``None`` when there is none."""
    member = obj.get("crs") if isinstance(obj, dict) else None
    if member is None:
        return None
    try:
        properties = member["properties"]
        kind = member.get("type")
        spec = properties["name"] if kind == "name" else f"EPSG:{int(properties['code'])}" if kind == "EPSG" else None
        if not isinstance(spec, str):
            raise ValueError(spec)
        return pyproj.CRS.from_user_input(spec)
    except Exception:  # any malformed or unknown CRS is the same problem to the planner
        raise notes.refuse(None, "に書かれた座標系（CRS）を判別できません", "declares a CRS that cannot be recognised",
                           f"{fix_ja}（座標系は EPSG:6668 などの EPSG コードで指定します）",
                           f"{fix_en} (with its CRS given as an EPSG code such as EPSG:6668)") from None
