"""The data contract of every dataset: columns, types, units, allowed values and keys.

The mechanism of the contracts: :class:`Column` and :class:`DatasetSchema`, :func:`validate`
(which checks planners' uploads), :func:`conform` and :func:`describe_schema`. The contract of
each dataset is declared once, in its entry of :mod:`analytics.registry`.
Each problem :func:`validate` finds names the row and column and says, in Japanese and
English, what is wrong and how to fix the file.

Row numbers are the line in the file as a spreadsheet shows it: the header is line
``header_row`` (1 by default) and the first data row is the line after it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from analytics.core import geo
from analytics.core.messages import text as t

DType = Literal["string", "int", "float", "bool", "geometry"]
Severity = Literal["error", "warning"]
MAX_ROWS_PER_RULE = 20  # a planner fixes a pattern, not 10,000 identical lines
# Symbols that official tables put for zero, hidden or unknown values: never guessed.
PLACEHOLDERS = ("-", "－", "―", "‐", "x", "X", "ｘ", "Ｘ", "…", "*", "＊", "秘匿", "不明", "該当なし")
# How yes/no cells are written in files from other systems and Excel (case and spaces ignored).
TRUE_WORDS = ("true", "1", "yes", "y", "はい", "有", "あり", "○", "〇")
FALSE_WORDS = ("false", "0", "no", "n", "いいえ", "無", "なし", "×")


@dataclass(frozen=True)
class Column:
    """One column of a dataset's contract."""

    name: str
    dtype: DType
    label_ja: str
    label_en: str
    description_ja: str
    description_en: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    categories: tuple[str, ...] | None = None
    pattern: str | None = None  # regular expression a string must match in full
    pattern_hint_ja: str = ""
    pattern_hint_en: str = ""
    aliases: tuple[str, ...] = ()  # other headers accepted for this column (Japanese names)
    required: bool = True
    nullable: bool = False
    top_coded: bool = False  # the maximum stands for itself and above (100 = 100 and over)


@dataclass(frozen=True)
class DatasetSchema:
    """Contract of one dataset."""

    name: str
    title_ja: str
    title_en: str
    description_ja: str
    description_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    person_counts: tuple[str, ...] = ()  # columns that count people: shown only after suppression
    person_level: bool = False  # one row per person: never shown or downloaded, only published as counts
    differences: tuple[tuple[str, str, str], ...] = ()  # (a, b, c): a = b − c in every row

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en

    @property
    def header_names(self) -> dict[str, str]:
        """:func:`header_key` of every header that names a column (its name, Japanese label or
        an alias) → the column's name; the first column wins a header two could claim."""
        lookup: dict[str, str] = {}
        for col in self.columns:
            for text in (col.name, col.label_ja, *col.aliases):
                lookup.setdefault(header_key(text), col.name)
        return lookup

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def has_geometry(self) -> bool:
        return any(c.dtype == "geometry" for c in self.columns)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, located by row and column, in both languages.

    ``row`` is the first line concerned. A problem that concerns several lines (an unknown mesh
    on 300 lines, "20 more rows have the same problem") also carries ``lines``, every line it
    concerns, and ``values``, the value on each of them (aligned with ``lines``; ``None`` when
    there is none to show): :attr:`affected` and :func:`affected_lines` list them all.
    """

    dataset: str
    severity: Severity
    row: int | None
    column: str | None
    value: str | None
    message_ja: str
    message_en: str
    fix_ja: str
    fix_en: str
    lines: np.ndarray | None = field(default=None, compare=False, repr=False)
    values: pd.Series | None = field(default=None, compare=False, repr=False)

    def message(self, lang: str) -> str:
        return self.message_ja if lang == "ja" else self.message_en

    def fix(self, lang: str) -> str:
        return self.fix_ja if lang == "ja" else self.fix_en

    @property
    def affected(self) -> np.ndarray:
        """Every line the problem concerns (``lines``; its ``row`` alone when it has no list)."""
        if self.lines is not None:
            return np.asarray(self.lines, dtype=np.int64)
        return np.array([] if self.row is None else [self.row], dtype=np.int64)

    def located(self, line_of_row: Sequence[int], first: int = 2) -> Problem:
        """This problem at the lines of the planner's file: its rows counted from ``first`` (the
        first data row, as :func:`validate` counts with the header on line 1) become
        ``line_of_row[row - first]``; rows beyond the list stay as they are."""
        table = np.asarray(line_of_row, dtype=np.int64)

        def at(rows: np.ndarray) -> np.ndarray:
            pos, out = rows - first, rows.copy()
            ok = (pos >= 0) & (pos < len(table))
            out[ok] = table[pos[ok]]
            return out

        row = None if self.row is None else int(at(np.array([self.row]))[0])
        lines = None if self.lines is None else at(np.asarray(self.lines, dtype=np.int64))
        return replace(self, row=row, lines=lines)


# Columns shared by the contracts of several datasets (the registry declares the contracts).
_FY = dict(minimum=2000, maximum=2100, unit="年度 / fiscal year")
DISTRICT_ID = Column(
    "district_id", "string", "地区ID", "District ID",
    "小学校区のID（地区境界データの district_id と一致）",
    "Elementary-school district ID (matches the districts dataset)",
    pattern=r"[A-Za-z0-9_\-]{1,20}", pattern_hint_ja="半角英数字・ハイフン・下線で20文字以内（例: D001）",
    pattern_hint_en="up to 20 letters, digits, '-' or '_' (e.g. D001)",
    aliases=("地区ID", "地区コード", "校区ID", "小学校区ID"),
)
MESH_CODE = Column(
    "mesh_code", "string", "メッシュコード", "Mesh code",
    "JIS X 0410 の2分の1地域メッシュコード（9桁、約500m四方）",
    "JIS X 0410 1/2 grid-square code (9 digits, about 500 m)",
    pattern=r"\d{9}", pattern_hint_ja="9桁の数字（例: 523415951）", pattern_hint_en="9 digits (e.g. 523415951)",
    aliases=("メッシュコード", "メッシュ", "地域メッシュコード", "KEY_CODE"),
)
FISCAL_YEAR = Column(
    "fiscal_year", "int", "年度", "Fiscal year",
    "年度（4月1日〜翌年3月31日。例: 2026 = 令和8年度）",
    "Fiscal year, April to March (2026 = FY2026, from 1 April 2026)",
    aliases=("年度",), **_FY,
)

def _show(value: object) -> str:
    s = str(value)
    return s if len(s) <= 40 else s[:37] + "…"


class _Collector:
    """Collects problems, capping how many rows each rule reports."""

    def __init__(self, dataset: str, header_row: int):
        self.dataset, self.header_row, self.items = dataset, header_row, []

    def rows(self, positions: np.ndarray, values: pd.Series | None, column: str | None, severity: Severity,
             ja: str, en: str, fix_ja: str, fix_en: str) -> None:
        positions = np.asarray(positions)
        for pos in positions[:MAX_ROWS_PER_RULE]:
            value = None if values is None else _show(values.iloc[pos])
            self.items.append(Problem(self.dataset, severity, int(pos) + self.header_row + 1, column, value,
                                      ja, en, fix_ja, fix_en))
        extra = len(positions) - MAX_ROWS_PER_RULE
        if extra > 0:
            rest = positions[MAX_ROWS_PER_RULE:]
            self.items.append(Problem(
                self.dataset, severity, None, column, None,
                f"ほかに {extra} 行で同じ問題があります", f"{extra} more rows have the same problem",
                "上と同じ方法で直してください", "Fix them the same way as above",
                lines=rest.astype(np.int64) + self.header_row + 1,
                values=None if values is None else values.iloc[rest].reset_index(drop=True),
            ))

    def whole(self, column: str | None, severity: Severity, ja: str, en: str, fix_ja: str, fix_en: str) -> None:
        self.items.append(Problem(self.dataset, severity, None, column, None, ja, en, fix_ja, fix_en))


def header_key(text: object) -> str:
    """A header as compared with the contract: NFKC (full-width letters and brackets made
    half-width), without spaces, case folded (``メッシュ コード`` is ``メッシュコード``)."""
    return unicodedata.normalize("NFKC", str(text)).replace(" ", "").casefold()


def resolve_aliases(sch: DatasetSchema, df: pd.DataFrame) -> pd.DataFrame:
    """Rename headers that name a column of the contract — its name, its Japanese label
    (``label_ja``) or an alias (e.g. ``年度``), compared by :func:`header_key` — to the
    column's name."""
    lookup = sch.header_names
    renames = {}
    for c in df.columns:
        target = lookup.get(header_key(c))
        if target is not None and target not in renames.values() and (target == c or target not in df.columns):
            renames[c] = target
    return df.rename(columns=renames)


def _same_column(sch: DatasetSchema, df: pd.DataFrame) -> dict[str, list[str]]:
    """Column name → the distinct headers of ``df`` that all name it (``fiscal_year`` and ``年度``)."""
    lookup = sch.header_names
    found: dict[str, list[str]] = {}
    for c in pd.unique(df.columns):
        target = lookup.get(header_key(c))
        if target is not None:
            found.setdefault(target, []).append(str(c))
    return {k: v for k, v in found.items() if len(v) > 1}


def conform(sch: DatasetSchema, df: pd.DataFrame) -> pd.DataFrame:
    """A validated frame in the contract's shape: alias headers renamed, extra columns
    dropped, numbers as numbers and text as text (call only after :func:`validate` found
    no errors)."""
    df = resolve_aliases(sch, df)
    out = df[[c.name for c in sch.columns if c.name in df.columns]].copy()
    for col in sch.columns:
        if col.name not in out.columns:
            continue
        if col.dtype == "int":  # nullable columns keep their blanks (pandas' Int64)
            out[col.name] = numbers(out[col.name]).astype("Int64" if col.nullable else "int64")
        elif col.dtype == "float":
            out[col.name] = numbers(out[col.name]).astype("float64")
        elif col.dtype == "bool":
            out[col.name] = per_value(out[col.name], _truth).astype(bool)
        elif col.dtype == "string" and col.nullable:  # blanks stay missing, never the text "nan"
            text = cell_text(out[col.name]).astype("string")
            out[col.name] = text.mask(text == "")
        elif col.dtype == "string":
            out[col.name] = cell_text(out[col.name])
    return out


def per_value(s: pd.Series, func) -> pd.Series:
    """``func`` applied to each distinct value of ``s`` once, missing cells left missing (``None``):
    a file repeats its codes, years and ages millions of times."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in np.asarray(uniques, dtype=object)]
    mapped[-1] = None
    return pd.Series(mapped[codes], index=s.index, dtype=object)


def numbers(s: pd.Series) -> pd.Series:
    """The cells of ``s`` as float numbers (NaN where blank or not a number), converting each
    distinct text once."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = pd.to_numeric(pd.Series(np.asarray(uniques, dtype=object), dtype=object), errors="coerce")
    table = np.append(values.to_numpy(dtype="float64", na_value=np.nan), np.nan)
    return pd.Series(table[codes], index=s.index, dtype="float64")


def cell_text(s: pd.Series) -> pd.Series:
    """The cells of ``s`` as trimmed text (full-width spaces too), missing where blank or missing."""
    if not pd.api.types.is_string_dtype(s) or s.dtype == object:
        s = per_value(s, lambda v: None if _blank(v) else str(v))
    return s.astype("str").str.replace("\u3000", " ").str.strip()


def validate(sch: DatasetSchema, df: pd.DataFrame, *, header_row: int = 1) -> list[Problem]:
    """Check ``df`` against the contract ``sch`` of a dataset.

    Returns a list of :class:`Problem` (empty when the data conform). Errors mean the data
    cannot be used; warnings (e.g. an extra column that will be ignored) let the planner
    go on knowingly. Alias headers are accepted (see :func:`resolve_aliases`). Keys are
    compared after normalising (spaces trimmed, numbers read as numbers: ``" D001"`` is
    ``D001`` and ``2024.0`` is ``2024``). Never raises: a table that cannot be checked at all
    is one error.
    """
    try:
        return _validate(sch, df, header_row)
    except Exception as exc:  # noqa: BLE001 — a planner's table must never end in a traceback
        return [Problem(sch.name, "error", None, None, None,
                        f"表を確認できませんでした（{type(exc).__name__}）",
                        f"The table could not be checked ({type(exc).__name__})",
                        "見出しが1行で、各列の名前が重複していないか確かめてください",
                        "Check that the header is a single row and that no two columns share a name")]


def _validate(sch: DatasetSchema, df: pd.DataFrame, header_row: int) -> list[Problem]:
    out = _Collector(sch.name, header_row)
    same = _same_column(sch, df)
    conflicting = False
    for target, headers in same.items():
        shown, shown_en = "」「".join(headers), "', '".join(headers)
        label = sch.column(target)
        texts = [cell_text(df[h]).fillna("") if not df.columns.duplicated().any() else None for h in headers]
        if texts[0] is not None and all(t.equals(texts[0]) for t in texts[1:]):  # the same column twice
            out.whole(headers[-1], "warning", f"列「{shown}」は同じ内容の「{label.label_ja}」のため、1つだけ使います",
                      f"The columns '{shown_en}' hold the same '{label.label_en}': one of them is used",
                      "不要な列は削除して構いません", "You may delete the extra columns")
            continue
        conflicting = True
        out.whole(target, "error",
                  f"列「{shown}」はどれも「{label.label_ja}」（{target}）を表していますが、値が違います",
                  f"The columns '{shown_en}' all stand for '{label.label_en}' ({target}) but their values differ",
                  "正しい列を1つだけ残してください", "Keep only the right one of these columns")
    if conflicting:
        return out.items
    df = resolve_aliases(sch, df)
    repeated = [str(c) for c in pd.unique(df.columns[df.columns.duplicated()])]
    if repeated:
        for c in repeated:
            out.whole(c, "error", f"見出し「{c}」が2つ以上の列にあります",
                      f"The header '{c}' heads more than one column",
                      "列名が重ならないように直すか、不要な列を削除してください",
                      "Rename one of the columns or delete the one you do not need")
        return out.items

    if len(df) == 0:
        out.whole(None, "error", "データ行がありません（空のファイルです）", "The file has no data rows (it is empty)",
                  "見出し行の下にデータを入れてください", "Put data rows under the header row")
        return out.items

    present = set(df.columns)
    for col in sch.columns:
        if col.name not in present and col.required:
            alias = f"（別名: {'、'.join(col.aliases)}）" if col.aliases else ""
            out.whole(col.name, "error", f"必須の列「{col.name}」（{col.label_ja}）がありません{alias}",
                      f"Required column '{col.name}' ({col.label_en}) is missing",
                      f"見出し行に「{col.name}」という列を追加してください",
                      f"Add a column headed '{col.name}' to the header row")
    doubles = {h for headers in same.values() for h in headers}
    for c in df.columns:
        if c not in sch.column_names and c not in doubles:
            out.whole(str(c), "warning", f"列「{c}」はこのデータの定義にないため使われません",
                      f"Column '{c}' is not part of this dataset and will be ignored",
                      "不要なら削除してください。列名の誤りなら正しい名前に直してください",
                      "Delete it if unneeded, or correct its name if it is misspelt")

    swapped = _swapped_lon_lat(out, sch, df)
    for col in sch.columns:
        if col.name not in present or (swapped and col.name in ("lon", "lat")):
            continue
        _check_column(out, col, df[col.name])

    _check_differences(out, sch, df)  # on the rows whose numbers are readable: a planner sees every problem
    if not any(p.severity == "error" for p in out.items):
        _check_boundaries(out, sch, df)

    keys = [k for k in sch.key if k in present]
    if keys and len(keys) == len(sch.key):
        normal = _normal_keys(sch, df, keys)
        dup = (normal.duplicated(keep=False) & normal.notna().all(axis=1)).to_numpy()
        if dup.any():
            key_text = "・".join(keys)
            label = df[keys].map(lambda v: "" if _blank(v) else str(v)).agg(" / ".join, axis=1)
            out.rows(np.flatnonzero(dup), label, key_text, "error",
                     f"キー（{key_text}）が重複しています", f"Duplicate key ({', '.join(keys)})",
                     "同じキーの行を1行にまとめるか、誤った値を直してください",
                     "Merge the rows with the same key into one, or correct the wrong value")
    return out.items


def _swapped_lon_lat(out: _Collector, sch: DatasetSchema, df: pd.DataFrame) -> bool:
    """An error for rows whose longitude lies in the latitude's range and the reverse (the two
    columns swapped); then the two columns' own range errors would only repeat it."""
    if not {"lon", "lat"} <= set(df.columns) or not {"lon", "lat"} <= set(sch.column_names):
        return False
    lon, lat = numbers(df["lon"]), numbers(df["lat"])
    lon_col, lat_col = sch.column("lon"), sch.column("lat")
    swapped = (lon.between(lat_col.minimum, lat_col.maximum) & lat.between(lon_col.minimum, lon_col.maximum)).to_numpy()
    if not swapped.any():
        return False
    label = pd.Series([f"{a:g}, {b:g}" for a, b in zip(lon, lat, strict=True)], index=df.index)
    out.rows(np.flatnonzero(swapped), label, "lon", "error",
             "「経度」と「緯度」が入れ替わっています（経度に緯度の値、緯度に経度の値）",
             "'Longitude' and 'Latitude' are swapped (the longitude column holds latitudes and the reverse)",
             "経度（lon、135 前後）と緯度（lat、35 前後）の列を入れ替えてください",
             "Swap the two columns: longitude (lon, about 135) and latitude (lat, about 35)")
    return True


AREA_TOLERANCE = 0.10  # a stated area more than 10% off its polygon's is a mistake (units, wrong row)


def _check_differences(out: _Collector, sch: DatasetSchema, df: pd.DataFrame) -> None:
    """The differences the contract defines between columns (``net = in − out``), on the rows
    where all three are numbers."""
    for a, b, c in sch.differences:
        if not {a, b, c} <= set(df.columns):
            continue
        x, y, z = (numbers(df[k]) for k in (a, b, c))
        readable = x.notna() & y.notna() & z.notna()
        for k, v in zip((a, b, c), (x, y, z), strict=True):  # a fraction or a value out of range is reported
            col = sch.column(k)                                   # on its own
            if col.dtype == "int":
                readable &= v == np.floor(v)
            readable &= v.between(-np.inf if col.minimum is None else col.minimum,
                                  np.inf if col.maximum is None else col.maximum)
        bad = (readable & (x != y - z)).to_numpy()
        if bad.any():
            label = pd.Series([f"{u:g} ≠ {v:g} − {w:g}" for u, v, w in zip(x, y, z, strict=True)], index=df.index)
            ja = [sch.column(k).label_ja for k in (a, b, c)]
            en = [sch.column(k).label_en for k in (a, b, c)]
            out.rows(np.flatnonzero(bad), label, a, "error", f"「{ja[0]}」が「{ja[1]}」−「{ja[2]}」と一致しません",
                     f"'{en[0]}' does not equal '{en[1]}' − '{en[2]}'", f"{ja[0]} を {ja[1]} − {ja[2]} にしてください",
                     f"Make {en[0]} equal to {en[1]} − {en[2]}")


def _check_boundaries(out: _Collector, sch: DatasetSchema, df: pd.DataFrame) -> None:
    """Polygons for boundaries, and ``area_km2`` agreeing with the polygon's area (EPSG:6673)."""
    geometry = [c.name for c in sch.columns if c.dtype == "geometry" and c.name in df.columns]
    for g in geometry:
        kinds = pd.Series([getattr(v, "geom_type", "") for v in df[g]], index=df.index)
        bad = ~kinds.isin(["Polygon", "MultiPolygon"])
        if bad.any():
            out.rows(np.flatnonzero(bad.to_numpy()), kinds, g, "error", "境界がポリゴンではありません",
                     "The boundary is not a polygon", "面（ポリゴン）の境界データを書き出してください",
                     "Export the boundaries as polygons")
            return
        if "area_km2" in df.columns:
            from analytics.core import geo

            polygons = gpd.GeoSeries(list(df[g]), index=df.index, crs=geo.GEOGRAPHIC_CRS)
            measured = geo.area_km2(polygons)
            stated = pd.to_numeric(df["area_km2"], errors="coerce")
            off = (stated - measured).abs() > AREA_TOLERANCE * measured.clip(lower=1e-6)
            if off.any():
                label = pd.Series([f"{u:g} km² ≠ {v:.3f} km²" for u, v in zip(stated, measured, strict=True)],
                                  index=df.index)
                out.rows(np.flatnonzero(off.to_numpy()), label, "area_km2", "error",
                         "「面積」が境界ポリゴンの面積と合いません（単位の誤りの可能性）",
                         "'Area' does not match the area of the boundary polygon (wrong unit?)",
                         "km² で入力するか、列を空にせず境界から計算した値にしてください",
                         "Enter km² as measured from the boundary (not m² or ha)")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT \
        or str(value).strip() == ""


def _normal_keys(sch: DatasetSchema, df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Key columns as they will be stored (:func:`conform`): text trimmed, numbers as numbers;
    blanks missing (a blank key is reported as a blank, not as a duplicate)."""
    kinds = {c.name: c.dtype for c in sch.columns}
    out = {}
    for k in keys:
        if kinds.get(k) in ("int", "float"):
            out[k] = numbers(df[k])
        else:
            text = cell_text(df[k])
            out[k] = text.mask(text == "")
    return pd.DataFrame(out, index=df.index)


def _check_column(out: _Collector, col: Column, s: pd.Series) -> None:
    label_ja, label_en = col.label_ja, col.label_en
    if col.dtype == "geometry":
        _check_geometry(out, col, s)
        return
    text = cell_text(s)
    missing = (text.isna() | (text == "")).to_numpy(dtype=bool)
    missing = pd.Series(missing, index=s.index)
    if missing.any() and not col.nullable:
        out.rows(np.flatnonzero(missing.to_numpy()), None, col.name, "error",
                 f"「{label_ja}」が空欄です", f"'{label_en}' is empty",
                 "値を入力してください", "Fill in a value")
    present = ~missing
    if col.dtype == "bool":
        bad = present & per_value(s, _truth).isna()
        if bad.any():
            out.rows(np.flatnonzero(bad.to_numpy()), s, col.name, "error",
                     f"「{label_ja}」が はい/いいえ の値ではありません", f"'{label_en}' is not a yes/no value",
                     "TRUE / FALSE（または 1 / 0）で入力してください", "Enter TRUE / FALSE (or 1 / 0)")
        return
    if col.dtype in ("int", "float"):
        num = numbers(s.where(present))
        not_number = present & num.isna()
        placeholder = not_number & text.isin(PLACEHOLDERS).to_numpy(dtype=bool)
        if placeholder.any():
            out.rows(np.flatnonzero(placeholder.to_numpy()), s, col.name, "error",
                     f"「{label_ja}」が「-」「x」などの記号です（0 か、秘匿・不明の値か分かりません）",
                     f"'{label_en}' is a symbol such as '-' or 'x' (zero, or a hidden or unknown value?)",
                     "0 なら 0 を入力してください。秘匿・不明の値は使えないため、"
                     "元の（秘匿前の）数値を入力してください",
                     "Enter 0 if it means zero; hidden or unknown values cannot be used: enter the actual number")
        if (not_number & ~placeholder).any():
            out.rows(np.flatnonzero((not_number & ~placeholder).to_numpy()), s, col.name, "error",
                     f"「{label_ja}」が数値ではありません", f"'{label_en}' is not a number",
                     "数字だけを入力してください（例: 1234。「約」「以上」などの言葉や記号は使えません）",
                     "Enter a number only (e.g. 1234; no words such as 'about' or 'over', no symbols)")
        ok = present & ~not_number
        if col.dtype == "int":
            fractional = ok & (num != np.floor(num))
            if fractional.any():
                out.rows(np.flatnonzero(fractional.to_numpy()), s, col.name, "error",
                         f"「{label_ja}」は整数でなければなりません", f"'{label_en}' must be a whole number",
                         "小数点以下のない整数にしてください", "Use a whole number with no decimals")
        if col.minimum is not None or col.maximum is not None:
            lo = -np.inf if col.minimum is None else col.minimum
            hi = np.inf if col.maximum is None else col.maximum
            outside = ok & ((num < lo) | (num > hi))
            if outside.any():
                rng_text = f"{format_number(col.minimum)}〜{format_number(col.maximum)}"
                out.rows(np.flatnonzero(outside.to_numpy()), s, col.name, "error",
                         f"「{label_ja}」が範囲（{rng_text}）の外です",
                         f"'{label_en}' is outside the allowed range ({rng_text})",
                         f"{rng_text} の値にしてください{('（単位: ' + col.unit + '）') if col.unit else ''}",
                         f"Use a value from {rng_text}{(' (' + col.unit + ')') if col.unit else ''}")
        return
    # Missing cells were reported above; text checks look only at the present ones.
    if col.categories is not None:
        bad = present & ~text.isin(col.categories)
        if bad.any():
            allowed = ", ".join(col.categories)
            out.rows(np.flatnonzero(bad.to_numpy()), s, col.name, "error",
                     f"「{label_ja}」の値が決められた区分にありません",
                     f"'{label_en}' is not one of the allowed values",
                     f"次のいずれかにしてください: {allowed}", f"Use one of: {allowed}")
    if col.pattern is not None:
        bad = present & ~text.str.fullmatch(col.pattern).fillna(False).astype(bool)
        if col.name == "mesh_code":
            bad |= present & ~bad & ~per_value(text, geo.is_mesh_code).fillna(False).astype(bool)
        if bad.any():
            out.rows(np.flatnonzero(bad.to_numpy()), s, col.name, "error",
                     f"「{label_ja}」の形式が正しくありません", f"'{label_en}' has the wrong format",
                     f"{col.pattern_hint_ja}にしてください。Excel で先頭の0や桁が落ちていないかも確かめてください",
                     f"Use {col.pattern_hint_en}; check that Excel did not drop digits")


def _check_geometry(out: _Collector, col: Column, s: pd.Series) -> None:
    import shapely

    arr = np.asarray(s, dtype=object)
    is_geom = np.array([isinstance(g, shapely.Geometry) for g in arr])
    null = ~is_geom
    if null.any():
        out.rows(np.flatnonzero(null), None, col.name, "error", "図形がありません", "The geometry is missing",
                 "GIS で境界を描いてから書き出してください", "Draw the boundary in your GIS and export again")
    geoms = np.where(is_geom, arr, None)
    empty = is_geom & np.array([g is not None and g.is_empty for g in geoms])
    if empty.any():
        out.rows(np.flatnonzero(empty), None, col.name, "error", "図形が空です", "The geometry is empty",
                 "境界を描き直してください", "Redraw the boundary")
    invalid = is_geom & ~empty & np.array([g is not None and not g.is_empty and not g.is_valid for g in geoms])
    if invalid.any():
        reasons = pd.Series([shapely.is_valid_reason(g) if g is not None else "" for g in geoms])
        out.rows(np.flatnonzero(invalid), reasons, col.name, "error", "図形が不正です（自己交差など）",
                 "The geometry is invalid (e.g. self-intersecting)",
                 "GIS の「ジオメトリの修復」をかけてから書き出してください",
                 "Run your GIS's 'fix geometries' and export again")


def _truth(value: object) -> bool | None:
    """A yes/no cell as a bool (``None`` when it is neither)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    return True if text in TRUE_WORDS else False if text in FALSE_WORDS else None


def format_number(v: float | None) -> str:
    if v is None:
        return ""
    if abs(v) < 10_000:  # years such as 2000 read better without a separator
        return f"{v:.0f}" if float(v).is_integer() else f"{v}"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"


LINES_SHOWN = 200  # ranges of lines written out in a problem's row of the table (all of them in the download)


def line_ranges(lines: Sequence[int] | np.ndarray, lang: str = "ja", limit: int = LINES_SHOWN) -> str:
    """Lines as compact ranges (``4–6, 9, 12–40``), the first ``limit`` ranges; beyond them, how
    many more lines there are (they are all in :func:`affected_lines`)."""
    ordered = np.unique(np.asarray(lines, dtype=np.int64))
    if not len(ordered):
        return ""
    breaks = np.flatnonzero(np.diff(ordered) != 1) + 1
    starts, ends = ordered[np.r_[0, breaks]], ordered[np.r_[breaks - 1, len(ordered) - 1]]
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in zip(starts[:limit], ends[:limit], strict=True)]
    text = ", ".join(shown)
    if len(starts) > limit:
        more = int(np.searchsorted(ordered, ends[limit - 1], side="right"))
        text += t("problem.lines.more", lang, n=f"{len(ordered) - more:,}")
    return text


def problems_frame(problems: list[Problem], lang: str = "ja", file: str | None = None) -> pd.DataFrame:
    """Problems as a table for the UI / download, text in ``lang``; with ``file``, a first column
    naming the planner's file (the table then stands on its own in a download). Each problem's
    row says how many lines it concerns and which (:func:`line_ranges`; every one of them, line
    by line with its value, is in :func:`affected_lines`)."""
    keys = ("severity", "row", "column", "value", "problem", "fix", "n_lines", "lines")
    cols = [t(f"problem.{k}", lang) for k in keys]
    rows = []
    for p in problems:
        affected = p.affected
        rows.append([t(f"problem.{p.severity}", lang), p.row, p.column, p.value, p.message(lang), p.fix(lang),
                     len(affected), line_ranges(affected, lang)])
    frame = pd.DataFrame(rows, columns=cols)
    frame[cols[1]] = frame[cols[1]].astype("Int64")
    frame[cols[6]] = frame[cols[6]].astype("Int64")
    if file is not None:
        frame.insert(0, t("problem.file", lang), file)
    return frame


def affected_lines(problems: list[Problem], lang: str = "ja", file: str | None = None) -> pd.DataFrame:
    """Every line of the planner's file that a problem concerns, one row per line and problem,
    in the order of the file: the line, the column, the value found on it (the planner's own,
    never another row's data) and what is wrong, in ``lang``. Problems of the whole file (no
    line) are not in it; :func:`problems_frame` lists them."""
    keys = ("row", "severity", "column", "value", "problem")
    cols = [t(f"problem.{k}", lang) for k in keys]
    parts = []
    for p in problems:
        lines = p.affected
        if not len(lines):
            continue
        if p.values is not None and len(p.values) == len(lines):
            values = pd.Series(p.values, dtype=object).reset_index(drop=True)
        else:
            values = pd.Series([p.value if p.lines is None else None] * len(lines), dtype=object)
        parts.append(pd.DataFrame({cols[0]: lines, cols[1]: t(f"problem.{p.severity}", lang),
                                   cols[2]: p.column, cols[3]: values.where(values.notna(), None),
                                   cols[4]: p.message(lang)}))
    if not parts:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    else:
        frame = pd.concat(parts, ignore_index=True).sort_values(cols[0], kind="stable", ignore_index=True)
    frame[cols[0]] = frame[cols[0]].astype("Int64")
    if file is not None:
        frame.insert(0, t("problem.file", lang), file)
    return frame


def describe_schema(sch: DatasetSchema, lang: str = "ja") -> pd.DataFrame:
    """The contract ``sch`` as a table (column, type, unit, allowed values, meaning, aliases)."""
    ja = lang == "ja"
    rows = []
    for c in sch.columns:
        allowed = ""
        if c.categories:
            allowed = ", ".join(c.categories)
        elif c.minimum is not None or c.maximum is not None:
            allowed = f"{format_number(c.minimum)}{'〜' if ja else '–'}{format_number(c.maximum)}"
        elif c.pattern_hint_ja:
            allowed = c.pattern_hint_ja if ja else c.pattern_hint_en
        rows.append({
            t("schema.column", lang): c.name,
            t("schema.label", lang): c.label_ja if ja else c.label_en,
            t("schema.type", lang): t(f"schema.type.{c.dtype}", lang),
            t("schema.unit", lang): c.unit,
            t("schema.allowed", lang): allowed,
            t("schema.meaning", lang): c.description_ja if ja else c.description_en,
            t("schema.aliases", lang): "、".join(c.aliases),
            t("schema.key", lang): "●" if c.name in sch.key else "",
        })
    return pd.DataFrame(rows)
