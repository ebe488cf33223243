"""CSV / TSV / TXT files (:func:`read_text`).

* **CSV / TSV / TXT** — the encoding is detected, not asked: UTF-8 with a BOM, UTF-16 with a
  BOM (Excel's 「Unicode テキスト」, tab-separated), UTF-8, then Shift_JIS (CP932, Excel's
  「CSV（コンマ区切り）」 on a Japanese PC). The delimiter (comma or tab) is the one more
  frequent on the first 20 non-blank lines. A line with more (non-empty) fields than the
  header is an error naming the line. NUL bytes, undecodable bytes or many control
  characters mean the file is not text.

The decoding (``_decode``, shared with the GeoJSON reader) and the header row and table
(``_table``, ``_framed``; see :mod:`analytics.core.files.common`) are in ``common``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

from analytics.core.files.common import (
    HEADER_SEARCH_ROWS,
    ReadResult,
    _blank,
    _decode,
    _fill_from_above,
    _framed,
    _header_index,
    _Notes,
    _table,
)
from analytics.core.schemas import DatasetSchema


def read_text(data: bytes, ext: str, sch: DatasetSchema, notes: _Notes, state: dict[str, Any]) -> ReadResult:
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


def _delimiter(text: str, ext: str, encoding: str) -> str:
    """Comma or tab: whichever is more frequent on the first 20 non-blank lines."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    tabs = sum(line.count("\t") for line in lines)
    commas = sum(line.count(",") for line in lines)
    if tabs != commas:
        return "\t" if tabs > commas else ","
    return "\t" if ext == ".tsv" or encoding == "utf-16" else ","
