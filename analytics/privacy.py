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
  total with ``0 < total < threshold`` is itself a primary suppression.
* The secondary rule is the classic per-line rule (no line with exactly one unknown).
  It is not a full linear-programming audit: in rare multi-way patterns (a suppressed
  cell forming a "bridge" between two otherwise closed groups of suppressions) a cell
  can still be solved from a combination of several lines. Tables in this app are
  small, two-way and dominated by zeros / large counts, where the rule is standard.

The only way counts leave ``analytics`` is the publication builder
(:mod:`analytics.publication`), which hands every linked table of a publication to
:func:`suppress_linked` at once; there is deliberately no per-table shortcut.

This module is pure (numpy only) and never imports streamlit.
"""

from __future__ import annotations

import numpy as np

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
    "check_threshold",
    "count_labels",
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
    is published elsewhere when ``total`` is ``None``. The per-line rule
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
        for v, h, p in zip(np.asarray(counts, dtype=float), hidden, primary, strict=True)
    ], dtype=object)
