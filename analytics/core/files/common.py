"""What the readers of :mod:`analytics.core.files` share: the result, the notes, the bytes, the table.

* :class:`ReadResult`, what :func:`~analytics.core.files.read_table` gives back, and ``_Notes``,
  the problems found while reading one file (``_Refusal`` stops reading once an error says why);
* the limits (:data:`MAX_BYTES`, :data:`HEADER_SEARCH_ROWS`) and the kinds of file by extension
  and first bytes;
* ``_load`` (the bytes of a path, of bytes or of an uploaded file, refused over the size limit)
  and ``_decode`` (the text of a CSV or a GeoJSON, its encoding detected; see
  :mod:`analytics.core.files.text`);
* the table of a CSV or a sheet (``_table``, ``_framed``): header row, blank rows and columns,
  ragged lines; :func:`column_letter`;
* ``_cell_text``, the text of an Excel cell or of a GeoJSON / GeoPackage attribute.

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
"""

from __future__ import annotations

import codecs
import datetime as dt
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.core.schemas import MAX_ROWS_PER_RULE, DatasetSchema, Problem, Severity, header_key

MAX_BYTES = 200 * 1024**2  # the largest file read (200 MB)
HEADER_SEARCH_ROWS = 20  # the header row is looked for among the first 20 lines
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
    """What :func:`~analytics.core.files.read_table` read from a file.

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
            ja: str, en: str, fix_ja: str, fix_en: str, lines: Sequence[int] | None = None,
            values: Sequence[str | None] | None = None) -> None:
        """``ja`` / ``en`` continue the place: 「x.csv」の 5 行目 + ``ja``; "Line 5 of 'x.csv'" + " " + ``en``.
        ``lines`` (and their ``values``): every line the problem concerns, when it is more than one."""
        where_ja, where_en = self.where(line)
        self.items.append(Problem(self.dataset, severity, line, column, value,
                                  f"{where_ja}{ja}", f"{where_en} {en}", fix_ja, fix_en,
                                  lines=None if lines is None else np.asarray(lines, dtype=np.int64),
                                  values=None if values is None else pd.Series(list(values), dtype=object)))

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
            rest = [x[0] if isinstance(x, tuple) else x for x in lines[MAX_ROWS_PER_RULE:]]
            self.add(severity, None, None, None, f"では、ほかに {extra} 行で同じ問題があります",
                     f"has {extra} more lines with the same problem",
                     "上と同じ方法で直してください", "Fix them the same way as above", lines=rest)


# ---------------------------------------------------------------------------------------------
# The bytes of a file, and the text of a text file


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
# The text of a cell (an Excel cell, a GeoJSON / GeoPackage attribute)


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
