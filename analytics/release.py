"""Tables safe to hand out: aggregated, small counts suppressed, Excel-friendly CSV.

The Data page offers each dataset for download in the form a statistics office would
publish it — never person-level rows, and every count of people passed through
:mod:`analytics.privacy`, with totals protected by secondary suppression.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from analytics import privacy
from analytics.population import with_district

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _suppressed_block(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Suppress one two-way table (with its row and column totals) and return display strings."""
    return privacy.suppress_table(table, threshold, row_totals=True, column_totals=True).display()


def population_release(population: pd.DataFrame, meshes: pd.DataFrame, threshold: int = privacy.DEFAULT_THRESHOLD,
                       band: int = 5) -> pd.DataFrame:
    """Residents by fiscal year × district × sex × ``band``-year age group (persons), suppressed.

    Each fiscal year × sex is one district × age-group table protected together with its
    district totals and age-group totals (rows ``合計``), so no hidden cell can be
    recovered by subtraction. Counts are strings: a number, ``<10`` or ``χ``.
    """
    pop = with_district(population, meshes)
    start = np.minimum((pop["age"] // band) * band, 100 // band * band)
    pop = pop.assign(age_band=[f"{a}-{a + band - 1}" if a < 100 // band * band else f"{a}+" for a in start.to_numpy()],
                     age_start=start)
    band_order = pop.drop_duplicates("age_band").sort_values("age_start")["age_band"].tolist()
    frames = []
    for (fy, sex), part in pop.groupby(["fiscal_year", "sex"], sort=True):
        wide = part.pivot_table(index="district_id", columns="age_band", values="population", aggfunc="sum", fill_value=0)
        wide = wide.reindex(columns=band_order, fill_value=0)
        shown = _suppressed_block(wide, threshold)
        long = shown.rename_axis(index="district_id", columns="age_band").stack().rename("population").reset_index()
        long.insert(0, "fiscal_year", fy)
        long.insert(2, "sex", sex)
        frames.append(long)
    return pd.concat(frames, ignore_index=True)


def population_change_release(population_change: pd.DataFrame, threshold: int = privacy.DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Births, deaths, moves by district × fiscal year (persons), each measure suppressed with its totals.

    Net migration is hidden wherever moves in or out are hidden (it would reveal them).
    """
    measures = ["births", "deaths", "moved_in", "moved_out"]
    shown = {}
    for m in measures:
        wide = population_change.pivot_table(index="district_id", columns="fiscal_year", values=m, aggfunc="sum", fill_value=0)
        shown[m] = _suppressed_block(wide, threshold).stack()
    out = pd.DataFrame(shown)
    net = population_change.pivot_table(index="district_id", columns="fiscal_year", values="net_migration", aggfunc="sum", fill_value=0)
    net["合計"] = net.sum(axis=1)
    net.loc["合計"] = net.sum()
    net = net.stack().reindex(out.index)
    hidden = ~out["moved_in"].str.match(r"^-?[\d,]+$") | ~out["moved_out"].str.match(r"^-?[\d,]+$")
    out["net_migration"] = np.where(hidden, privacy.SECONDARY_LABEL, net.map(lambda v: f"{v:,.0f}"))
    out = out.rename_axis(["district_id", "fiscal_year"]).reset_index()
    out["fiscal_year"] = out["fiscal_year"].astype(str)  # "合計" stands beside the years
    return out[["district_id", "fiscal_year", *measures, "net_migration"]]


def release_table(name: str, data: Mapping[str, pd.DataFrame], threshold: int = privacy.DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The downloadable form of dataset ``name`` (see the module docstring)."""
    threshold = privacy.check_threshold(threshold)
    if name == "districts":
        return pd.DataFrame(data["districts"].drop(columns="geometry"))
    if name == "meshes":
        return data["meshes"].copy()
    if name == "population":
        return population_release(data["population"], data["meshes"], threshold)
    if name == "population_change":
        return population_change_release(data["population_change"], threshold)
    raise KeyError(f"no release form for dataset {name!r}")


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
