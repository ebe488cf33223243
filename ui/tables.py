"""Tables and metrics that show counts of people, keeping the publication's mark.

A frame from the publication marks its count columns in ``attrs`` (it survives into the
page: Streamlit's Arrow serialisation keeps ``attrs``). Renaming columns for display must
carry the mark along, which :func:`show_table` does; the page scan in the tests then checks
every marked column.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.core.publication import counted_columns, mark_counts
from ui.furniture import suppression_legend


def display_frame(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """``df[list(columns)]`` with its columns renamed to their display headers, marks kept."""
    marked = set(counted_columns(df))
    out = df[list(columns)].rename(columns=columns)
    out.attrs = {}
    return mark_counts(out, [columns[c] for c in columns if c in marked]) if marked else out


def show_table(df: pd.DataFrame, columns: dict[str, str] | None = None, **kwargs) -> None:
    """Show ``df`` with display headers (column → header; all columns as they are when
    ``None``), counts of people still marked, and the suppression legend under it when it
    shows counts."""
    frame = display_frame(df, columns or {c: c for c in df.columns})
    st.dataframe(frame, hide_index=True, width="stretch", **kwargs)
    if counted_columns(frame):
        suppression_legend()

