"""Disclosure checks for tests, in the style of ``geopandas.testing``.

One checker serves the unit tests of every domain's publication and the page scan that walks
every page (``tests/page_scan.py``): whatever is shown — a number, ``"1,234人"``, ``"<10"``,
``"χ"`` — :func:`parse_count` reads it as a reader would, and :func:`small_counts` lists the
shown counts from 1 to threshold − 1. :func:`intruder_audit` re-runs the LP audit of a
publication from what it shows alone, and :func:`assert_no_disclosure` fails unless every
primary count keeps the whole range its label allows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np

from analytics.audit import AuditResult, Relations, audit
from analytics.privacy import SECONDARY_LABEL
from analytics.publication import Publication

_COUNT = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?\s*(人|persons?)?$|^-?\d+(\.\d+)?$")
_HIDDEN = re.compile(r"^<\d[\d,]*$")


def parse_count(value: object) -> float | None:
    """The count a shown value states, or ``None`` if it states none (a suppression label
    ``<10`` / ``χ``, an empty cell, a dash). Raises ``ValueError`` for text that is neither:
    a value marked as a count of people must read as one."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"not a count: {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if math.isnan(float(value)) else abs(float(value))
    text = str(value).strip()
    if text in ("", "—", "-", SECONDARY_LABEL, "nan", "None") or _HIDDEN.match(text):
        return None
    if _COUNT.match(text):
        return abs(float(re.sub(r"[^\d.\-]", "", text)))
    raise ValueError(f"not a count: {value!r}")


def small_counts(items: Iterable[tuple[str, object]], threshold: int) -> list[tuple[str, object]]:
    """The ``(where, value)`` items whose value shows a count from 1 to ``threshold − 1``
    (or is unreadable as a count: those are returned too, as they cannot be checked)."""
    found = []
    for where, value in items:
        try:
            n = parse_count(value)
        except ValueError:
            found.append((f"{where} (not a count)", value))
            continue
        if n is not None and 0 < n < threshold:
            found.append((where, value))
    return found


def intruder_audit(pub: Publication, every_hidden: bool = False) -> AuditResult:
    """The LP audit of ``pub`` from what it shows (hidden counts are never read)."""
    shown = np.nan_to_num(np.asarray(pub.shown, dtype=float), nan=0.0)
    relations = Relations.build(len(shown), pub.equations, pub.inequalities)
    return audit(shown, np.asarray(pub.hidden), np.asarray(pub.primary), relations, pub.threshold,
                 every_hidden=every_hidden)


def assert_no_disclosure(pub: Publication) -> None:
    """Fail if the publication shows a count from 1 to threshold − 1, if a label disagrees with
    what is hidden, or if the LP audit narrows any primary count beyond what its label allows."""
    shown = pub.shown[~pub.hidden]
    small = shown[(shown > 0) & (shown < pub.threshold)]
    assert small.size == 0, f"shown counts below {pub.threshold}: {small[:10]}"
    assert np.array_equal(np.isnan(pub.shown), pub.hidden), "hidden cells must be exactly the NaN ones"
    labels = small_counts(((i, lab) for i, lab in enumerate(pub.labels)), pub.threshold)
    assert not labels, f"labels showing small counts: {labels[:10]}"
    result = intruder_audit(pub)
    bad = result.unprotected
    assert not len(bad), (
        f"{len(bad)} small counts narrowed beyond their label, e.g. cell {bad[0]}: "
        f"[{result.lower[bad[0]]}, {result.upper[bad[0]]}] vs "
        f"[{result.target_lower[bad[0]]}, {result.target_upper[bad[0]]}]")
