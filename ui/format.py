"""Number formatting for the UI (人, %, points), in the session's language."""

from __future__ import annotations

import math

from analytics.i18n import t


def people(n: float | None, lang: str = "ja") -> str:
    """``529566`` → ``"529,566人"`` (ja) / ``"529,566"`` (en); missing → ``"—"``."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "—"
    return t("unit.persons", lang, n=f"{n:,.0f}")


def people_label(n: float, label: str, lang: str = "ja") -> str:
    """A suppressed count for display: the number with its unit, or its label (``<10``, ``χ``) when hidden."""
    if isinstance(n, float) and math.isnan(n):
        return label
    return people(n, lang)


def percent(x: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: ``0.2911`` → ``"29.1%"``; missing → ``"—"``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x * 100:.{digits}f}%"


def signed_percent(pct: float | None, digits: int = 1) -> str:
    """A percentage change with its sign: ``-2.79`` → ``"-2.8%"``, ``1.0`` → ``"+1.0%"``."""
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return "—"
    return f"{pct:+.{digits}f}%"


def signed_points(pt: float, lang: str = "ja", digits: int = 1) -> str:
    """Percentage points with sign: ``0.56`` → ``"+0.6pt"`` / ``"+0.6 pt"``; missing → ``"—"``."""
    if pt is None or (isinstance(pt, float) and math.isnan(pt)):
        return "—"
    return t("unit.points", lang, n=f"{pt:+.{digits}f}")


def yen_oku(yen: float, lang: str = "ja") -> str:
    """Yen in 億円 (ja) or ¥ billions… kept as 億円 for council papers: ``1.5e9`` → ``"15.0億円"`` /
    ``"¥1.50 bn"``."""
    if yen is None or (isinstance(yen, float) and math.isnan(yen)):
        return "—"
    return f"{yen / 1e8:,.1f}億円" if lang == "ja" else f"¥{yen / 1e9:,.2f} bn"


def oku(yen):
    """Yen (a number or a Series) in 億円, for chart axes that council papers read in 億円."""
    return yen / 1e8


def square_metres(m2: float, lang: str = "ja") -> str:
    """``1192292.8`` → ``"1,192,293㎡"`` / ``"1,192,293 m²"``; missing → ``"—"``."""
    if m2 is None or (isinstance(m2, float) and math.isnan(m2)):
        return "—"
    return f"{m2:,.0f}㎡" if lang == "ja" else f"{m2:,.0f} m²"


def square_metres_short(m2: float, lang: str = "ja") -> str:
    """A floor area short enough for a metric in four columns: ``1192292.8`` → ``"119.2万㎡"`` /
    ``"1.19 M m²"``; below 10,000 ㎡ (ja) or 1,000,000 m² (en) as :func:`square_metres`."""
    if m2 is None or (isinstance(m2, float) and math.isnan(m2)):
        return "—"
    if lang == "ja":
        return f"{m2 / 1e4:,.1f}万㎡" if abs(m2) >= 1e4 else square_metres(m2, lang)
    return f"{m2 / 1e6:,.2f} M m²" if abs(m2) >= 1e6 else square_metres(m2, lang)


def with_range(value: str, low: str, high: str, lang: str = "ja") -> str:
    """A figure with its interval: 11,610（11,368〜11,837） / 11,610 (11,368–11,837)."""
    return f"{value}（{low}〜{high}）" if lang == "ja" else f"{value} ({low}–{high})"
