"""Files a planner downloads: CSV that Japanese Excel opens safely.

What goes into a download is decided by the registry (:func:`analytics.registry.download_tables`):
reference rows, or the suppressed tables of the publication — never person-level rows.
"""

from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'`` (CSV injection).

    Numbers are left alone (a negative number is data, not a formula).
    """
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            s = out[c].astype(str)
            risky = s.str.startswith(FORMULA_PREFIXES) & ~s.str.fullmatch(r"-[\d,]+(\.\d+)?")
            out[c] = s.where(~risky, "'" + s).where(out[c].notna(), None)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV that Japanese Excel opens correctly: UTF-8 with BOM, formulas neutralised."""
    return neutralise_formulas(df).to_csv(index=False).encode("utf-8-sig")
