"""Excel workbooks (:func:`read_xlsx`).

* **Excel (.xlsx, .xlsm)** — read with openpyxl (values, not formulas). Of several sheets,
  the one whose header row matches the dataset's column names best is read (a cover sheet
  is skipped). Date cells become ISO date text (``2025-04-01``) with a warning; numbers
  become their plain text (``523415951``, ``0.5``).

The sheet's header row and table are found as a CSV's (see :mod:`analytics.core.files.common`).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from analytics.core.files.common import (
    HEADER_SEARCH_ROWS,
    ReadResult,
    _blank,
    _cell_text,
    _fill_from_above,
    _header_index,
    _Notes,
    _Refusal,
    _table,
    column_letter,
)
from analytics.core.schemas import MAX_ROWS_PER_RULE, DatasetSchema, header_key


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


def read_xlsx(data: bytes, sch: DatasetSchema, notes: _Notes, state: dict[str, Any]) -> ReadResult:
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
