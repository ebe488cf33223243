"""Small-count suppression (秘匿処理) for every count of people the dashboard shows.

All values handled here are **counts of persons** (or of records that stand for persons).
A count ``x`` with ``0 < x < threshold`` is a *primary* suppression, shown as ``<10``. A
reader who sees totals and other tables could narrow a hidden count down by arithmetic, so
*complementary* suppressions (二次秘匿, shown as ``χ``) are added until an intruder's linear
programme over everything published — every relation between the counts, every shown
count, and what each label means — leaves every primary count the whole range its label
allows (``[1, threshold − 1]``; see :mod:`analytics.core.audit`). This is protection by
intervals with an LP audit (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
§4.2–4.3; τ-ARGUS), not the per-line rule "no line with one unknown", which an LP intruder
defeats (``total 11 = χ + <10`` gives 10 + 1).

Policy choices (documented because they are policy, not mathematics):

* **Zeros are shown.** A true zero identifies no one, and hiding zeros would make most
  sparse municipal tables unreadable; zeros are never complementary suppressions either.
* **Totals are computed from the raw counts**, then protected like any other count.
* **Two symbols.** ``<10`` tells a planner the count is small; ``χ`` that it is hidden to
  protect another (so it is ≥ threshold). The audit assumes the intruder knows both
  meanings (the pattern and our code would tell them anyway), so the labels leak nothing
  the audit did not model.
* **The threshold is set per deployment**, never per viewer: two thresholds applied to the
  same data difference each other.

The only way counts leave ``analytics`` is the publication builder
(:mod:`analytics.core.publication`), which hands every linked table of a publication to
:func:`suppress` at once; there is deliberately no per-table shortcut.

This module is pure and never imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analytics.core.audit import AuditResult, Relations, protect

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
    "estimate_labels",
    "suppress",
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


def suppress(counts: np.ndarray, equations: Sequence, inequalities: Sequence = (),
             threshold: int = DEFAULT_THRESHOLD) -> tuple[np.ndarray, np.ndarray, AuditResult]:
    """Suppress a set of linked published counts: every count shown anywhere, and every
    relation between them (:class:`analytics.core.publication.Equation`, ``Inequality``).

    Returns ``(hidden, primary, audit)``: the boolean masks and the final LP audit of the
    pattern (:func:`analytics.core.audit.protect`).
    """
    threshold = check_threshold(threshold)
    x = np.asarray(counts, dtype=float)
    if np.isnan(x).any() or (x < 0).any():
        raise ValueError("counts must be non-negative and not missing")
    primary = (x > 0) & (x < threshold)
    relations = Relations.build(len(x), equations, inequalities)
    hidden, result = protect(x, primary, relations, threshold)
    return hidden, primary, result


def estimate_labels(estimates, threshold: int) -> list[str]:
    """Text for counts of people *derived* from published figures (e.g. residents beyond a
    distance, summed from published mesh counts with estimates for hidden meshes): rounded to
    whole persons, and ``<10`` where the estimate is above 0 and below ``threshold``, so a
    derived figure never looks like a small count even though it discloses nothing new."""
    small = SUPPRESSED_LABEL.format(threshold=threshold)
    out = []
    for v in np.asarray(estimates, dtype=float):
        r = round(v) if np.isfinite(v) else v
        out.append("—" if not np.isfinite(v) else small if 0 < v and r < threshold else f"{r:,.0f}")
    return out


def count_labels(counts: np.ndarray, hidden: np.ndarray, primary: np.ndarray, threshold: int,
                 number_format: str = "{:,.0f}") -> np.ndarray:
    """Text to show for each count: the number, ``<10`` (primary) or ``χ`` (secondary)."""
    small = SUPPRESSED_LABEL.format(threshold=threshold)
    return np.array([
        (small if p else SECONDARY_LABEL) if h else number_format.format(v)
        for v, h, p in zip(np.asarray(counts, dtype=float), hidden, primary, strict=True)
    ], dtype=object)
