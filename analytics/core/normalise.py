"""Normalising a planner's table before it is checked: convert what has one clear meaning, say so.

Files from other departments' systems and from Excel write numbers, codes, years and
categories in their own ways. :func:`normalise` converts a cell only when its meaning is
unambiguous, and reports each conversion as a warning (which column, how many cells, one
example before → after, the line of the first); everything else is left as it was, for
:func:`analytics.core.schemas.validate` to reject with its own message. Keys are therefore
checked after normalising (``" D001"`` and ``Ｄ００１`` are ``D001``).

What is converted, by the column's type in the contract:

* **numbers** (``int``, ``float``): full-width digits and signs (``１２３`` → ``123``);
  thousands separators (``1,234`` → ``1234``, only in groups of three); the Japanese
  accounting minus (``△12`` / ``▲12`` → ``-12``); a trailing unit that is the column's own
  unit (``35歳`` / ``35才`` → ``35``, ``0歳児`` → ``0``, ``1,200円`` → ``1200``, ``12人`` → ``12``).
* **the top of a top-coded column** (``Column.top_coded``: the population's age, where 100 means
  100 and over): ``100歳以上``, ``100才以上``, ``１００歳以上``, ``100+``, ``100～``, ``100 and over``
  → ``100``, with a warning of its own. Another number "and over" (``99歳以上``) is *not*
  converted: it would put ages the contract keeps apart into one.
* **fiscal years** (the columns whose unit is 年度): ``2024年度`` / ``FY2024`` → ``2024``;
  Japanese era years ``令和6年度`` / ``R6`` / ``令和元年度`` / ``平成30年度`` / ``H30`` →
  ``2024`` / ``2019`` / ``2018`` (令和 n = 2018 + n, 平成 n = 1988 + n, 昭和 n = 1925 + n; also
  their one-letter forms ``令6年度``, ``平30年度`` that Excel shows for the format ``gge``;
  an era year names the same April–March year as its western one). ``2024年`` is *not*
  converted: a calendar year in a fiscal-year column is ambiguous.
* **codes** (text columns with a pattern, e.g. district, facility and mesh codes): spaces
  around the code trimmed, full-width letters and digits made half-width (``Ｄ００１`` →
  ``D001``); mesh codes written with hyphens (``5234-1595-1``) or read from a number
  (``523415951.0``) lose them. A mesh code in exponent form (``5.23416E+08``) is *not*
  converted: Excel may already have dropped its last digits.
* **categories**: the allowed value written in another case or width (``CORE``, ``ｃｏｒｅ`` →
  ``core``); sex written in words (``男`` / ``男性`` / ``male`` → ``M``; ``女`` / ``女性`` /
  ``female`` → ``F``). Numeric sex codes (``1`` / ``2``) are *not* converted: systems differ
  on which is which.

Only text cells are touched (``str``; what :func:`analytics.core.files.read_table` gives): a frame
already holding numbers passes through unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.core.messages import text as t
from analytics.core.schemas import Column, DatasetSchema, Problem, resolve_aliases

# [0-9], not \d: Python's \d matches full-width digits too, which are exactly what is converted.
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "令": 2018, "平": 1988, "昭": 1925, "R": 2018, "H": 1988, "S": 1925}
_ERA_YEAR = re.compile(r"(令和|平成|昭和|[令平昭RHS])\s*(元|[0-9]{1,2})\s*(年度)?", re.IGNORECASE)
_WESTERN_FY = re.compile(r"(?:FY\s*)?([0-9]{4})\s*(年度)?", re.IGNORECASE)
_MESH_DECORATED = re.compile(r"[0-9]{4}[-\s]?[0-9]{2}[-\s]?[0-9]{2}[-\s]?[0-9]|[0-9]{9}\.0+")
_SEX_WORDS = {"M": ("男", "男性", "male", "m", "man", "男子"), "F": ("女", "女性", "female", "f", "woman", "女子")}
_UNIT_WORDS = {"m²": ("m²", "m2", "㎡", "平米"), "km²": ("km²", "km2", "㎢"), "歳": ("歳児", "歳", "才")}
FISCAL_YEAR_UNIT = "年度"


@dataclass(frozen=True)
class Normalised:
    """A table with its unambiguous cells converted, and one warning per kind of conversion."""

    frame: pd.DataFrame
    problems: list[Problem]


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _units(col: Column) -> tuple[str, ...]:
    """The words of the column's unit (``"人 / persons"`` → 人, persons) and their other spellings."""
    words = [w.strip() for w in col.unit.split("/") if w.strip()]
    out: list[str] = []
    for w in words:
        out.extend(_UNIT_WORDS.get(w, (w,)))
    return tuple(sorted({_nfkc(w) for w in out if w and w != FISCAL_YEAR_UNIT}, key=len, reverse=True))


def is_fiscal_year(col: Column) -> bool:
    """Whether ``col`` holds fiscal years (its unit is 年度)."""
    return col.dtype == "int" and col.unit.split("/")[0].strip() == FISCAL_YEAR_UNIT


def fiscal_year_of(text: str) -> int | None:
    """The western fiscal year written as ``2024年度``, ``FY2024``, ``令和6年度``, ``R6`` or
    ``平成30年度`` (``None`` for anything else, ``2024年`` included)."""
    s = _nfkc(text).replace(" ", "")
    m = _WESTERN_FY.fullmatch(s)
    if m and (m.group(2) or s.upper().startswith("FY")):
        return int(m.group(1))
    m = _ERA_YEAR.fullmatch(s)
    if m:
        era = m.group(1)
        offset = _ERAS[era.upper() if era.isascii() else era]
        n = 1 if m.group(2) == "元" else int(m.group(2))
        return offset + n if n >= 1 else None
    return None


def _number(col: Column) -> Callable[[str], str | None]:
    units = _units(col)

    def convert(text: str) -> str | None:
        s = _nfkc(text).replace(" ", "")
        for u in units:
            if s.endswith(u) and len(s) > len(u):
                s = s[: -len(u)]
                break
        if s[:1] in ("△", "▲") and len(s) > 1:
            s = "-" + s[1:]
        if _THOUSANDS.fullmatch(s):
            s = s.replace(",", "")
        if is_fiscal_year(col):
            fy = fiscal_year_of(s)
            if fy is not None:
                return str(fy)
        return s if _NUMBER.fullmatch(s) else None

    return convert


def _code(col: Column) -> Callable[[str], str | None]:
    regex = re.compile(col.pattern or ".*")

    def convert(text: str) -> str | None:
        s = _nfkc(text)
        if col.name == "mesh_code" and not regex.fullmatch(s) and _MESH_DECORATED.fullmatch(s):
            s = re.sub(r"[-\s]", "", s.split(".")[0])
        return s if regex.fullmatch(s) else None

    return convert


def _category(col: Column) -> Callable[[str], str | None]:
    lookup = {_nfkc(c).casefold(): c for c in col.categories or ()}
    for target, words in _SEX_WORDS.items():
        if target in (col.categories or ()):
            lookup.update({_nfkc(w).casefold(): target for w in words})

    def convert(text: str) -> str | None:
        return lookup.get(_nfkc(text).casefold())

    return convert


def _converter(col: Column) -> tuple[str, Callable[[str], str | None]] | None:
    """(kind of conversion, the conversion of one cell) for the column, or ``None``."""
    if col.dtype in ("int", "float"):
        return ("year" if is_fiscal_year(col) else "number"), _number(col)
    if col.dtype == "string" and col.categories:
        return "category", _category(col)
    if col.dtype == "string" and col.pattern:
        return "code", _code(col)
    return None


def _final(col: Column) -> Callable[[str], bool]:
    """Whether a text cell is already in its final form (then it is not converted)."""
    if col.dtype in ("int", "float"):
        return lambda v: bool(_NUMBER.fullmatch(v))
    if col.categories:
        allowed = set(col.categories)
        return lambda v: v in allowed
    regex = re.compile(col.pattern or ".*")
    return lambda v: v.isascii() and bool(regex.fullmatch(v))


def normalise(sch: DatasetSchema, df: pd.DataFrame, lines: Sequence[int] | None = None) -> Normalised:
    """``df`` (a planner's table for the contract ``sch``) with every unambiguous cell converted.

    ``lines[i]`` is the line of row ``i`` in the planner's file (default: ``i + 2``, a file
    with its header on line 1), used to locate the first converted cell. Returns the converted
    frame (headers as in ``df``; alias headers are recognised) and one warning per column and
    kind of conversion. Cells that cannot be converted unambiguously stay as they were. Each
    distinct value is looked at once (a file repeats its codes and years millions of times).
    """
    resolved = resolve_aliases(sch, df)
    if resolved.columns.duplicated().any():  # validate reports repeated headers
        return Normalised(df, [])
    out = df.copy()
    problems: list[Problem] = []
    for j, name in enumerate(resolved.columns):
        if name not in sch.column_names:
            continue
        col = sch.column(name)
        kind = _converter(col)
        if kind is None:
            continue
        what, convert = kind
        final = _final(col)
        codes, uniques = pd.factorize(resolved.iloc[:, j], use_na_sentinel=True)
        values = np.asarray(uniques, dtype=object)
        converted = np.array([convert(v) if isinstance(v, str) and not final(v) else None for v in values] + [None],
                             dtype=object)
        top = np.zeros(len(values) + 1, dtype=bool)  # "100歳以上" where the contract's 100 means 100 and over
        if col.top_coded and col.maximum is not None:
            top[:-1] = [isinstance(v, str) and is_top_value(v, col.maximum) for v in values]
            converted[top] = f"{col.maximum:g}"
        changed_value = np.array([c is not None and c != v for c, v in zip(converted, values, strict=False)]
                                 + [False])
        changed = changed_value[codes]
        if not changed.any():
            continue
        positions = np.flatnonzero(changed)
        out.iloc[positions, j] = converted[codes[positions]]
        file_lines = np.asarray(lines, dtype=np.int64) if lines is not None else np.arange(len(df)) + 2
        for kind, these in ((what, positions[~top[codes[positions]]]), ("top", positions[top[codes[positions]]])):
            if not len(these):
                continue
            first = int(these[0])
            problems.append(_warning(sch.name, col, kind, file_lines[these], str(values[codes[first]]),
                                     str(converted[codes[first]]), values[codes[these]]))
    return Normalised(out, problems)


_TOP = re.compile(r"([0-9]+(?:\.0+)?)(?:歳|才|years?)?(?:以上|~|〜|\+|andover|ormore|over)", re.IGNORECASE)


def is_top_value(text: str, maximum: float) -> bool:
    """Whether ``text`` says "``maximum`` and over" (``100歳以上``, ``100才以上``, ``１００歳以上``,
    ``100+``, ``100～``, ``100 and over``): the top value of a top-coded column, written as a range.
    Any other number with 以上 (``99歳以上``) is not: it would merge ages the contract keeps apart."""
    m = _TOP.fullmatch(_nfkc(text).replace(" ", ""))
    return bool(m) and float(m.group(1)) == maximum


_WHAT = {
    "number": ("数値に直しました（全角数字・桁区切りのコンマ・単位・△ を除く）",
               "converted to plain numbers (full-width digits, thousands separators, units or △ removed)"),
    "year": ("西暦の年度に直しました（和暦・「年度」の表記を変換）",
             "converted to western fiscal years (Japanese era years and the word 年度 converted)"),
    "code": ("コードの表記をそろえました（前後の空白・全角文字・ハイフンなどを除く）",
             "made uniform (spaces around the code, full-width characters or hyphens removed)"),
    "category": ("決められた区分の表記に直しました", "converted to the allowed values"),
}


def _warning(dataset: str, col: Column, what: str, lines: np.ndarray, before: str, after: str,
             values: np.ndarray) -> Problem:
    """The warning for the cells of ``col`` converted in one way, on ``lines`` (their values ``values``)."""
    n = len(lines)
    if what == "top":
        top = f"{col.maximum:g}"
        message_ja, message_en = (t("normalise.top", lang, n=f"{n:,}", top=top, before=before, after=after,
                                    label=col.label_ja if lang == "ja" else col.label_en) for lang in ("ja", "en"))
        fix_ja, fix_en = (t("normalise.top.fix", lang, top=top) for lang in ("ja", "en"))
    else:
        ja, en = _WHAT[what]
        message_ja = f"「{col.label_ja}」の {n:,} 個のセルを{ja}（例: 「{before}」→「{after}」）"
        message_en = f"{n:,} cells of '{col.label_en}' were {en} (e.g. '{before}' → '{after}')"
        fix_ja = "変換後の値で正しければそのままで構いません。違う場合はファイルを直してください"
        fix_en = "Nothing to do if the converted values are right; otherwise correct the file"
    return Problem(dataset, "warning", int(lines[0]), col.name, f"{before} → {after}", message_ja, message_en,
                   fix_ja, fix_en, lines=lines.astype(np.int64), values=pd.Series(values, dtype=object))
