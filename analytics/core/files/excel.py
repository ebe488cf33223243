"""Excel workbooks (:func:`read_xlsx`).

* **Excel (.xlsx, .xlsm)** — read with openpyxl (values, not formulas). Of several sheets,
  the one whose header row matches the dataset's column names best is read (a cover sheet
  is skipped). Date cells become ISO date text (``2025-04-01``) with a warning; numbers
  become their plain text (``523415951``, ``0.5``).
* **Dates in a fiscal-year column** are read as the text Excel shows for them, by their number
  format (:func:`shown_date`): 2024-04-01 formatted ``ggge"年度"`` (or
  ``[$-ja-JP-x-gannen]ggge"年度"``) is ``令和6年度``, formatted ``yyyy`` is ``2024``; the
  normalising step then reads ``令和6年度`` as FY2024 like typed text. **The display is followed**,
  not the April–March year of the date: it is what the planner sees and checked (2025-01-15 shown
  as ``令和7年度`` is FY2025, although the day falls in FY2024). A date whose display is no fiscal
  year — a whole date (``2024/4/1``), ``2024年`` (calendar or fiscal?), ``24年度`` — is refused,
  saying it is a date and which fiscal year the day falls in. Cells with an era format that
  openpyxl does not know as a date come as serial numbers (45383): their format is read to
  show them as Excel does.

The sheet's header row and table are found as a CSV's (see :mod:`analytics.core.files.common`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import from_excel

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
from analytics.core.messages import text as t
from analytics.core.normalise import fiscal_year_of, is_fiscal_year
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
        shown = _fiscal_year_dates(best, book.epoch, rows, dates, sch)
    except _Refusal:
        raise
    except Exception:
        raise _broken_workbook(notes) from None
    finally:
        book.close()
    result = _table(rows, sch, notes, ragged=False)
    _report_fiscal_year_dates(shown, notes)
    _warn_dates(result, rows, dates, sch, notes)
    return result


# ---------------------------------------------------------------------------------------------
# Dates in a fiscal-year column: read as the year they display


@dataclass(frozen=True)
class _ShownDate:
    """A date cell of a fiscal-year column: its line, its column's header, the date and what Excel shows."""

    line: int
    column: str
    date: dt.date
    shown: str


def _fiscal_year_dates(ws: Any, epoch: dt.datetime, rows: list[list[str | None]],
                       dates: dict[tuple[int, int], str], sch: DatasetSchema) -> list[_ShownDate]:
    """The date cells of the fiscal-year columns, each replaced in ``rows`` by the text Excel shows
    (:func:`shown_date`): ``令和6年度`` for 2024-04-01 formatted ``ggge"年度"``. openpyxl gives such
    a cell as a date when it knows the format as a date format (``yyyy/m/d``), and as its serial
    number (45383) when not (the era formats ``ggge``); the formats of these columns are read again
    only when one of their cells is a date or a number beyond any fiscal year (a serial)."""
    known = sch.header_names
    h, _ = _header_index(rows, known)
    header = _fill_from_above(rows[h], rows[h - 1] if h > 0 else [], known)
    targets = [known.get(header_key(name)) if name is not None else None for name in header]
    columns = [j for j, target in enumerate(targets) if target is not None and is_fiscal_year(sch.column(target))]
    suspect = [j for j in columns
               if any((i, j) in dates or _serial_like(rows[i][j]) for i in range(h + 1, len(rows)))]
    found: list[_ShownDate] = []
    for j in suspect:
        for i, (cell,) in enumerate(ws.iter_rows(min_row=h + 2, min_col=j + 1, max_col=j + 1), start=h + 1):
            value, fmt = cell.value, getattr(cell, "number_format", "General") or "General"
            if i >= len(rows) or isinstance(value, bool):
                continue
            if isinstance(value, int | float) and is_date_format(fmt):
                try:
                    value = from_excel(value, epoch=epoch)
                except (ValueError, OverflowError):  # a serial beyond Excel's calendar: a number after all
                    continue
            if not isinstance(value, dt.date):
                continue
            day = value.date() if isinstance(value, dt.datetime) else value
            text = shown_date(day, fmt)
            rows[i][j] = text
            dates.pop((i, j), None)
            found.append(_ShownDate(i + 1, header[j] or "", day, text))
    return found


def _serial_like(cell: str | None) -> bool:
    """Whether a cell's text is a whole number beyond any fiscal year: a date's serial number."""
    return cell is not None and cell.isdigit() and int(cell) > 2100


def _report_fiscal_year_dates(found: list[_ShownDate], notes: _Notes) -> None:
    """Per column: a warning for the dates read as the fiscal year they show, an error for the
    dates that show no fiscal year (a whole date such as 2024/4/1, or ``2024年``), every line listed."""
    for column in dict.fromkeys(f.column for f in found):
        cells = [f for f in found if f.column == column]
        readable = [f for f in cells if _shown_year(f.shown) is not None]
        other = [f for f in cells if _shown_year(f.shown) is None]
        for group, severity in ((readable, "warning"), (other, "error")):
            if not group:
                continue
            first = group[0]
            fields = dict(column=column, n=f"{len(group):,}", date=first.date.isoformat(), shown=first.shown,
                          fy=str(fiscal_year_of_date(first.date)))
            key = "files.fy_date.read" if severity == "warning" else "files.fy_date.refused"
            notes.add(severity, first.line, column, first.shown, t(key, "ja", **fields), t(key, "en", **fields),
                      t(f"{key}.fix", "ja", **fields), t(f"{key}.fix", "en", **fields),
                      lines=[f.line for f in group], values=[f.shown for f in group])


def _shown_year(text: str) -> int | None:
    """The fiscal year a date cell shows (``令和6年度``, ``2024年度``, ``FY2024``, ``2024``), or ``None``."""
    if text.isdigit() and len(text) == 4:
        return int(text)
    return fiscal_year_of(text)


def fiscal_year_of_date(day: dt.date) -> int:
    """The fiscal year (April–March) a date falls in: 2025-01-15 → 2024."""
    return day.year if day.month >= 4 else day.year - 1


# Japanese eras as Excel shows them (ggg, gg, g): the first day of each.
_ERAS = ((dt.date(2019, 5, 1), "令和", "令", "R"), (dt.date(1989, 1, 8), "平成", "平", "H"),
         (dt.date(1926, 12, 25), "昭和", "昭", "S"), (dt.date(1912, 7, 30), "大正", "大", "T"),
         (dt.date(1868, 1, 1), "明治", "明", "M"))
_FORMAT_TOKEN = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|yyyy|yyy|yy|y|ee|e|ggg|gg|g|mmmmm|mmmm|mmm|mm|m'
                           r"|dddd|ddd|dd|d|aaaa|aaa|hh|h|ss|s|AM/PM|am/pm|.", re.IGNORECASE | re.DOTALL)
_WEEKDAYS = "月火水木金土日"


def is_date_format(fmt: str) -> bool:
    """Whether an Excel number format shows a date (``yyyy/m/d``, ``ggge"年度"``, ``[$-ja-JP-x-gannen]ge``):
    a year, era, month or day code outside quotes and brackets, and not a number in exponent form."""
    section = re.sub("general", "", _section(fmt), flags=re.IGNORECASE)
    if re.search(r"[0#?][.,]?[0#?]*[eE][+-]", section):
        return False
    codes = "".join(tok for tok in _FORMAT_TOKEN.findall(section) if not tok.startswith(('"', "\\", "_", "*", "[")))
    return bool(re.search(r"[ymdeg]", codes, re.IGNORECASE))


def _section(fmt: str) -> str:
    """The first section of a number format (the one for positive numbers)."""
    out, quoted = [], False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            break
        out.append(ch)
    return "".join(out)


def shown_date(day: dt.date, fmt: str) -> str:
    """The text Excel shows for the date ``day`` in the number format ``fmt`` (its date codes:
    years ``yyyy`` / ``yy``, the Japanese era ``g`` / ``gg`` / ``ggg`` and its year ``e`` / ``ee`` —
    ``元`` for the first year with ``[$-ja-JP-x-gannen]`` —, months, days and weekdays; quoted and
    escaped text kept; brackets (locale, colour, ``[DBNum]``) dropped, so digits stay Arabic)."""
    if not is_date_format(fmt):
        return day.isoformat()
    section = _section(fmt)
    gannen = "gannen" in section.lower()
    start, era, short, letter = next((e for e in _ERAS if day >= e[0]), _ERAS[-1])
    era_year = day.year - start.year + 1
    tokens = _FORMAT_TOKEN.findall(section)
    codes = [k for k, tok in enumerate(tokens) if re.fullmatch(r"[ymdegahs]+", tok, re.IGNORECASE)]
    minutes = {k for i, k in enumerate(codes) if tokens[k].lower() in ("m", "mm") and (
        (i > 0 and tokens[codes[i - 1]].lower() in ("h", "hh"))
        or (i + 1 < len(codes) and tokens[codes[i + 1]].lower() in ("s", "ss")))}  # m after h or before s
    out = []
    for k, tok in enumerate(tokens):
        low = tok.lower()
        if k in minutes:
            out.append("00" if low == "mm" else "0")
            continue
        if tok.startswith('"'):
            out.append(tok[1:-1])
        elif tok.startswith("\\"):
            out.append(tok[1:])
        elif tok.startswith("_"):
            out.append(" ")
        elif tok.startswith(("*", "[")):
            continue
        elif low in ("yyyy", "yyy"):
            out.append(f"{day.year:04d}")
        elif low in ("yy", "y"):
            out.append(f"{day.year % 100:02d}")
        elif low in ("e", "ee"):
            out.append("元" if gannen and era_year == 1 else f"{era_year:02d}" if low == "ee" else str(era_year))
        elif low in ("g", "gg", "ggg"):
            out.append({"g": letter, "gg": short, "ggg": era}[low])
        elif low in ("mmmm", "mmmmm"):
            out.append(day.strftime("%B"))
        elif low == "mmm":
            out.append(day.strftime("%b"))
        elif low in ("mm", "m"):
            out.append(f"{day.month:02d}" if low == "mm" else str(day.month))
        elif low in ("dddd", "ddd"):
            out.append(day.strftime("%A" if low == "dddd" else "%a"))
        elif low in ("dd", "d"):
            out.append(f"{day.day:02d}" if low == "dd" else str(day.day))
        elif low in ("aaaa", "aaa"):
            out.append(_WEEKDAYS[day.weekday()] + ("曜日" if low == "aaaa" else ""))
        elif low in ("hh", "h", "ss", "s"):
            out.append("00" if len(low) == 2 else "0")
        elif low == "am/pm":
            out.append("AM")
        else:
            out.append(tok)
    return "".join(out).strip()


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
