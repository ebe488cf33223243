"""Small-cell suppression (秘匿処理) for every count of people the dashboard shows.

All values handled here are **counts of persons** (or of households / records that stand
for persons). A count ``x`` with ``0 < x < threshold`` is a *primary* suppression: it is
shown as e.g. ``"<10"`` instead of its value. Because tables are usually shown with
totals, one hidden cell could be recovered by subtraction (``total − Σ shown``), so
*secondary* (complementary) suppressions (二次秘匿) are added until every line with a
shown total has either no hidden cell or at least two hidden members (cells + total).

Source: the "threshold rule" with complementary suppression as practised in official
statistics, e.g. 総務省統計局 / 各府省の統計表における秘匿処理 (閾値ルールと二次秘匿);
Hundepool et al., *Statistical Disclosure Control* (Wiley, 2012), ch. 4.

Choices made here (documented because they are policy, not mathematics):

* **Zeros are shown.** A true zero identifies no one, and hiding zeros would make most
  sparse municipal tables unreadable. Consequently zeros are never used as secondary
  partners either: hiding a cell everyone can infer is 0 protects nothing.
* **Totals are computed from the raw counts**, then protected like any other cell: a
  total with ``0 < total < threshold`` is itself a primary suppression, and the totals
  row / column is treated as one more line whose total is the grand total.
* The secondary rule is the classic per-line rule (no line with exactly one unknown).
  It is not a full linear-programming audit: in rare multi-way patterns (a suppressed
  cell forming a "bridge" between two otherwise closed groups of suppressions) a cell
  can still be solved from a combination of several lines. Tables in this app are
  small, two-way and dominated by zeros / large counts, where the rule is standard.

This module is pure (numpy / pandas only) and never imports streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD: int = 10
MIN_THRESHOLD: int = 3
SUPPRESSED_LABEL = "<{threshold}"  # format string, e.g. "<10"
# A complementary (secondary) suppression may hide a large count, so "<10" would be false
# there; official tables mark such cells with χ (秘匿).
SECONDARY_LABEL = "χ"

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_THRESHOLD",
    "SUPPRESSED_LABEL",
    "SECONDARY_LABEL",
    "SuppressedTable",
    "check_threshold",
    "rate_with_suppression",
    "suppress_long",
    "suppress_series",
    "suppress_table",
    "suppress_linked",
]


def check_threshold(threshold: int) -> int:
    """Validate a suppression threshold (a count of persons) and return it as ``int``.

    Raises ``ValueError`` if ``threshold`` is not an integer (``bool`` and floats are
    rejected) or is below :data:`MIN_THRESHOLD`: a threshold of 1 or 2 would let
    single individuals through, which no publication rule allows.
    """
    # bool is a subclass of int; True would silently mean threshold 1.
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)):
        raise ValueError(f"threshold must be an integer, got {threshold!r}")
    value = int(threshold)
    if value < MIN_THRESHOLD:
        raise ValueError(f"threshold must be >= {MIN_THRESHOLD}, got {value}")
    return value


@dataclass(frozen=True, eq=False)  # eq=False: DataFrames have no truth value / hash
class SuppressedTable:
    """A table of counts of persons after primary and secondary suppression.

    Attributes:
        values: numeric (float) counts, ``NaN`` where suppressed; same index / columns
            as the input, plus the total row / column if they were requested.
        suppressed: bool mask, ``True`` where the value is hidden (primary or secondary).
        threshold: the threshold used (counts ``0 < x < threshold`` are hidden).
        primary: bool mask of the primary suppressions only (``0 < count < threshold``).
    """

    values: pd.DataFrame
    suppressed: pd.DataFrame
    threshold: int
    primary: pd.DataFrame

    def display(self, number_format: str = "{:,.0f}") -> pd.DataFrame:
        """Strings for showing: shown counts via ``number_format``; primary suppressions as
        ``"<10"``, secondary ones as ``"χ"`` (their true value may be large)."""
        label = SUPPRESSED_LABEL.format(threshold=self.threshold)
        raw = self.values.to_numpy(dtype=float)
        mask = self.suppressed.to_numpy(dtype=bool)
        primary = self.primary.to_numpy(dtype=bool)
        cells = np.empty(raw.shape, dtype=object)
        for pos in np.ndindex(raw.shape):
            if mask[pos]:
                cells[pos] = label if primary[pos] else SECONDARY_LABEL
            else:
                cells[pos] = number_format.format(raw[pos])
        return pd.DataFrame(cells, index=self.values.index, columns=self.values.columns)

    @property
    def n_suppressed(self) -> int:
        """Number of hidden cells (primary + secondary, totals included)."""
        return int(self.suppressed.to_numpy(dtype=bool).sum())


def _counts_array(table: pd.DataFrame) -> np.ndarray:
    """The table as a float array, after checking it holds non-negative integer counts."""
    try:
        raw = table.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError("table must contain numeric counts only") from exc
    if np.isnan(raw).any():
        # Missing is not zero: the caller must decide (e.g. fillna(0)) explicitly.
        raise ValueError("table contains missing counts; fill them (e.g. with 0) first")
    if (raw < 0).any():
        raise ValueError("counts of persons cannot be negative")
    if not np.array_equal(raw, np.round(raw)):
        raise ValueError("counts of persons must be whole numbers")
    return raw


def _append_label(index: pd.Index, label: Hashable) -> pd.Index:
    """``index`` with ``label`` appended (used for the total row / column)."""
    if label in index:
        raise ValueError(f"total label {label!r} already present in the table")
    if isinstance(index, pd.MultiIndex):
        key = (label,) + ("",) * (index.nlevels - 1)
        return index.append(pd.MultiIndex.from_tuples([key], names=index.names))
    if isinstance(index, pd.CategoricalIndex):
        categories = list(index.categories)
        if label not in categories:
            categories.append(label)
        return pd.CategoricalIndex(
            list(index) + [label], categories=categories, ordered=index.ordered, name=index.name
        )
    return pd.Index(list(index) + [label], name=index.name)


def _lines(
    n_rows: int, n_cols: int, row_totals: bool, column_totals: bool
) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every line with a shown total, as (body cells, total cell) in grid coordinates.

    ``n_rows`` / ``n_cols`` are the body size; the grid has the total column at index
    ``n_cols`` and the total row at index ``n_rows`` when requested. The totals row
    (resp. column) is itself a line whose total is the grand total.
    """
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if row_totals:
        for i in range(n_rows + int(column_totals)):
            lines.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
    if column_totals:
        for j in range(n_cols + int(row_totals)):
            lines.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    return lines


def suppress_linked(
    counts: np.ndarray,
    lines: list[tuple[np.ndarray, int | None]],
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[np.ndarray, np.ndarray]:
    """Suppress a set of *linked* published counts: cells that appear in several tables.

    ``counts`` is a flat vector of every count that will be shown anywhere (body cells and
    all the totals and subtotals of every table built from them). Each line
    ``(members, total)`` says that the counts at ``members`` add up (possibly with signs —
    it does not matter for disclosure) to the count at index ``total``, or to a value that
    is published elsewhere when ``total`` is ``None``. The rule of :func:`suppress_table`
    is applied across all lines at once: no line may have exactly one hidden count, so a
    hidden count can never be recovered by subtracting shown counts from any total, in
    any of the linked tables.

    Returns ``(hidden, primary)`` boolean masks. When a line's only possible partner is a
    total published elsewhere (``total is None``) and no member can be hidden, the lone
    hidden member cannot be protected by this rule; that needs every member of the line to
    be zero but one, which does not happen for the population tables this is used on.
    """
    threshold = check_threshold(threshold)
    x = np.asarray(counts, dtype=float)
    if np.isnan(x).any() or (x < 0).any():
        raise ValueError("counts must be non-negative and not missing")
    primary = (x > 0) & (x < threshold)
    hidden = primary.copy()
    lines = [(np.asarray(m, dtype=np.int64), t) for m, t in lines]
    changed = True
    while changed:  # the mask only grows, so this ends
        changed = False
        for members, total in lines:
            n_hidden = int(hidden[members].sum()) + (0 if total is None else int(hidden[total]))
            if n_hidden != 1:
                continue
            shown = members[~hidden[members] & (x[members] > 0)]
            if len(shown):
                pick = int(shown[np.argmin(x[shown])])
            elif total is not None and not hidden[total]:
                pick = int(total)
            else:
                continue
            hidden[pick] = True
            changed = True
    return hidden, primary


def count_labels(counts: np.ndarray, hidden: np.ndarray, primary: np.ndarray, threshold: int,
                 number_format: str = "{:,.0f}") -> np.ndarray:
    """Text to show for each count: the number, ``<10`` (primary) or ``χ`` (secondary)."""
    small = SUPPRESSED_LABEL.format(threshold=threshold)
    return np.array([
        (small if p else SECONDARY_LABEL) if h else number_format.format(v)
        for v, h, p in zip(np.asarray(counts, dtype=float), hidden, primary)
    ], dtype=object)


def suppress_table(
    table: pd.DataFrame,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    total_label: str = "合計",
) -> SuppressedTable:
    """Apply primary and secondary suppression to a wide table of counts of persons.

    Args:
        table: wide table of non-negative whole counts (index = one category, columns =
            another). Missing values are rejected; fill them first.
        threshold: counts ``0 < x < threshold`` are hidden (see :func:`check_threshold`).
        row_totals: add a total column (label ``total_label``) = sum of each row.
        column_totals: add a total row (label ``total_label``) = sum of each column;
            with both flags the corner is the grand total.
        total_label: label of the added total row / column.

    Totals are computed from the raw counts and then protected: for every line that has
    a total (rows if ``row_totals``, columns if ``column_totals``, including the totals
    row / column against the grand total) the number of hidden members among cells +
    total is 0 or ≥ 2. Zeros are always shown (a true zero reveals no one).
    """
    t = check_threshold(threshold)
    if not isinstance(table, pd.DataFrame):
        raise ValueError("table must be a pandas DataFrame")
    if not (table.index.is_unique and table.columns.is_unique):
        raise ValueError("table index and columns must be unique (aggregate first)")
    raw = _counts_array(table)
    n_rows, n_cols = raw.shape

    grid = raw
    index, columns = table.index, table.columns
    if row_totals:
        grid = np.hstack([grid, grid.sum(axis=1, keepdims=True)])
        columns = _append_label(columns, total_label)
    if column_totals:
        grid = np.vstack([grid, grid.sum(axis=0, keepdims=True)])
        index = _append_label(index, total_label)

    # One mechanism for every table: the grid's lines handed to suppress_linked on the flat grid.
    flat = np.arange(grid.size).reshape(grid.shape)
    lines = [(np.array([flat[c] for c in body]), int(flat[total]))
             for body, total in _lines(n_rows, n_cols, row_totals, column_totals)]
    hidden, primary = suppress_linked(grid.ravel(), lines, t)
    mask, primary = hidden.reshape(grid.shape), primary.reshape(grid.shape)

    values = np.where(mask, np.nan, grid)
    return SuppressedTable(
        values=pd.DataFrame(values, index=index, columns=columns),
        suppressed=pd.DataFrame(mask, index=index, columns=columns),
        threshold=t,
        primary=pd.DataFrame(primary, index=index, columns=columns),
    )


def suppress_series(
    counts: pd.Series, threshold: int = DEFAULT_THRESHOLD, *, has_total: bool = True
) -> SuppressedTable:
    """Suppress a single line of counts of persons (e.g. persons by age group).

    The series becomes a one-column table (column = ``counts.name``, or ``"count"`` if
    unnamed). With ``has_total`` a total row ``"合計"`` is added and protected, exactly as
    :func:`suppress_table` with ``column_totals=True``; use it whenever the total of the
    line is shown anywhere (it usually is), so no hidden cell is recoverable.
    """
    if not isinstance(counts, pd.Series):
        raise ValueError("counts must be a pandas Series")
    name = counts.name if counts.name is not None else "count"
    return suppress_table(counts.to_frame(name=name), threshold, column_totals=has_total)


def _level_order(values: pd.Series) -> pd.Index:
    """Order of categories for pivoting: all categories if categorical, else first appearance."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        # Unobserved categories are real categories with zero persons: keep them (as 0).
        return pd.CategoricalIndex(
            cats, categories=cats, ordered=values.cat.ordered, name=values.name
        )
    return pd.Index(pd.unique(values), name=values.name)


def suppress_long(
    df: pd.DataFrame,
    value: str,
    *,
    row: str,
    column: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    row_totals: bool = False,
    column_totals: bool = False,
    total_label: str = "合計",
) -> pd.DataFrame:
    """Suppress an already aggregated long table of counts of persons (for charts / tables).

    ``df`` must hold exactly the columns ``row`` (, ``column``) and ``value``, one row per
    combination (aggregate first: anything else raises ``ValueError``). It is pivoted to
    ``row`` × ``column``, missing combinations count as 0, :func:`suppress_table` is
    applied, and the result is melted back to long form with columns
    ``[row, (column,) value, f"{value}_suppressed", f"{value}_label"]``: ``value`` as float
    (NaN where hidden), the bool mask, and the display string (``"1,234"`` or ``"<10"``).

    Order: categorical keys follow their categories (unobserved ones appear as 0),
    other keys their order of first appearance; rows are row-major. Total rows carry
    ``total_label`` in the key column(s).

    With ``column=None`` the single line is the list of rows; its total over rows is
    requested with ``column_totals=True`` (as in :func:`suppress_series`), and
    ``row_totals`` is rejected because it would only repeat each cell.
    """
    check_threshold(threshold)
    keys = [row] if column is None else [row, column]
    needed = keys + [value]
    if len(set(needed)) != len(needed):
        raise ValueError("row, column and value must be distinct column names")
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"columns not found: {missing}")
    extra = [c for c in df.columns if c not in needed]
    if extra:
        raise ValueError(f"unexpected columns {extra}: aggregate to {needed} first")
    if column is None and row_totals:
        raise ValueError("with column=None use column_totals=True for the total over rows")
    if df[value].isna().any():
        raise ValueError(f"{value!r} has missing counts; fill them (e.g. with 0) first")
    # Pivoting silently drops NaN keys, which would drop people from the totals.
    if df[keys].isna().any().any():
        raise ValueError(f"key columns {keys} contain missing values")
    if df.duplicated(keys).any():
        raise ValueError(f"duplicate {keys} combinations: aggregate first")
    flag_name, label_name = f"{value}_suppressed", f"{value}_label"
    if {flag_name, label_name} & set(keys):
        raise ValueError("key column names collide with the output column names")

    row_order = _level_order(df[row])
    if column is None:
        wide = df.set_index(row)[[value]].reindex(row_order, fill_value=0)
    else:
        col_order = _level_order(df[column])
        wide = df.pivot(index=row, columns=column, values=value)
        wide = wide.reindex(index=row_order, columns=col_order).fillna(0)

    result = suppress_table(
        wide,
        threshold,
        row_totals=row_totals,
        column_totals=column_totals,
        total_label=total_label,
    )
    n_rows, n_cols = result.values.shape
    r_pos = np.repeat(np.arange(n_rows), n_cols)
    c_pos = np.tile(np.arange(n_cols), n_rows)
    out: dict[str, object] = {row: result.values.index.take(r_pos)}
    if column is not None:
        out[column] = result.values.columns.take(c_pos)
    out[value] = result.values.to_numpy(dtype=float).ravel()
    out[flag_name] = result.suppressed.to_numpy(dtype=bool).ravel()
    out[label_name] = pd.array(result.display().to_numpy().ravel(), dtype="str")
    return pd.DataFrame(out)


def _float_counts(s: pd.Series, what: str) -> pd.Series:
    """A count Series as float (NaN kept), rejecting non-numeric or negative values."""
    try:
        arr = s.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be numeric counts") from exc
    if (arr < 0).any():
        raise ValueError(f"{what} counts cannot be negative")
    return pd.Series(arr, index=s.index)


def rate_with_suppression(
    numerator: pd.Series, denominator: pd.Series, threshold: int = DEFAULT_THRESHOLD
) -> pd.Series:
    """``numerator / denominator`` (float, a proportion, not %) with small counts masked.

    Both are counts of persons aligned on their index (labels present in only one get
    NaN). The rate is NaN where the numerator or the denominator is ``0 < x < threshold``
    (a rate together with the other count reveals the hidden one), where the
    denominator is 0, or where either is missing. A zero numerator gives 0.0 (zeros are
    shown, as in :func:`suppress_table`).

    Only the primary rule is applied here: if the same numerators are also shown in a
    table with secondary suppression, mask the rate wherever that table hides the count.
    """
    t = check_threshold(threshold)
    num, den = _float_counts(numerator, "numerator").align(
        _float_counts(denominator, "denominator"), join="outer"
    )
    n, d = num.to_numpy(), den.to_numpy()
    hide = (
        np.isnan(n)
        | np.isnan(d)
        | ((n > 0) & (n < t))
        | ((d > 0) & (d < t))
        | (d == 0)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(hide, np.nan, n / np.where(d == 0, 1.0, d))
    return pd.Series(rate, index=num.index, dtype=float)
