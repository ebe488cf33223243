"""Facility cards (施設カルテ): cost, use and condition per facility, and the screening into groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# ----------------------------------------------------------------------------- facility cards (施設カルテ)

_COSTS = ("cost_staff_yen", "cost_utilities_yen", "cost_outsourcing_yen", "cost_repairs_yen")
_SEISMIC_ORDER = ("新耐震", "旧耐震・補強済", "旧耐震・未補強")


def facility_cards(facilities: pd.DataFrame, buildings: pd.DataFrame, operations: pd.DataFrame,
                   fiscal_year: int) -> pd.DataFrame:
    """One row per facility for ``fiscal_year`` (施設カルテ): floor area (m²), age in years of its
    floor area (area-weighted, ``fiscal_year − built_year``), oldest building, worst seismic status,
    visits (延べ利用者数, not persons), operating cost (staff + utilities + outsourcing + repairs,
    yen), fee revenue, ``cost_per_visit``, ``cost_per_m2``, ``cost_recovery`` (fees ÷ cost) and
    ``utilisation``: slots used ÷ available where bookable, else visits ÷ capacity (NaN where
    neither applies). Facility statistics: nothing here counts persons."""
    b = buildings.assign(age=fiscal_year - buildings["built_year"].astype(int),
                         seismic_rank=buildings["seismic"].map({s: i for i, s in enumerate(_SEISMIC_ORDER)}))
    per = b.groupby("facility_id").agg(floor_area_m2=("floor_area_m2", "sum"), oldest_built=("built_year", "min"),
                                       seismic_rank=("seismic_rank", "max"))
    weighted = (b["age"] * b["floor_area_m2"]).groupby(b["facility_id"]).sum()
    per["age_years"] = weighted / per["floor_area_m2"].where(per["floor_area_m2"] > 0)
    per["seismic"] = [_SEISMIC_ORDER[int(r)] if pd.notna(r) else None for r in per.pop("seismic_rank")]
    ops = operations[operations["fiscal_year"] == fiscal_year].set_index("facility_id")
    cards = facilities.set_index("facility_id").join(per, how="left").join(ops.drop(columns="fiscal_year"),
                                                                          how="left")
    cost = cards[list(_COSTS)].astype(float).sum(axis=1, min_count=1)
    visits = cards["visits"].astype(float)
    cards["operating_cost_yen"] = cost
    cards["cost_per_visit"] = cost / visits.where(visits > 0)
    cards["cost_per_m2"] = cost / cards["floor_area_m2"].where(cards["floor_area_m2"] > 0)
    cards["cost_recovery"] = cards["fee_revenue_yen"].astype(float) / cost.where(cost > 0)
    slots = cards["slots_available"].astype(float)
    by_slots = cards["slots_used"].astype(float) / slots.where(slots > 0)
    capacity = cards["capacity"].astype(float)
    cards["utilisation"] = by_slots.fillna(visits / capacity.where(capacity > 0))
    return cards.reset_index()


SCREENING_GROUPS = ("keep", "promote_use", "renew", "review")


def utilisation_rank(cards: pd.DataFrame) -> pd.Series:
    """Utilisation as a percentile (0–1] within the facility's subcategory (1 = best used; NaN
    where utilisation is unknown): the horizontal axis of the screening."""
    return cards.groupby("subcategory")["utilisation"].rank(pct=True)


def screening(cards: pd.DataFrame, *, utilisation_percentile: float = 0.4, age_years: float = 40.0) -> pd.Series:
    """The screening quadrant: utilisation ranked within the facility's subcategory (percentile,
    0–1) × building condition (area-weighted age ≥ ``age_years`` or not yet retrofitted counts as
    poor). ``keep`` (well used, sound), ``promote_use`` (little used, sound), ``renew`` (well used,
    poor), ``review`` (little used, poor: candidates for consolidation); NaN where utilisation is
    unknown. After 枚方市's screening (resident use × building performance within each
    sub-category); the thresholds are the planner's."""
    rank = utilisation_rank(cards)
    poor = (cards["age_years"] >= age_years) | (cards["seismic"] == "旧耐震・未補強")
    low = rank <= utilisation_percentile
    group = np.select([~low & ~poor, low & ~poor, ~low & poor, low & poor], SCREENING_GROUPS, default="")
    return pd.Series(np.where(rank.isna(), None, group), index=cards.index, name="screening")


def latest_year(operations: pd.DataFrame) -> int:
    """The latest fiscal year of ``facility_operations`` (the facility cards' year)."""
    return int(pd.to_numeric(operations["fiscal_year"]).max())


def screening_proposal(cards: pd.DataFrame, groups: pd.Series) -> tuple[str, ...]:
    """Facilities the screening puts in ``review`` (little used, poor building), leaving each
    subcategory at least one facility that is not proposed (so the service stays somewhere)."""
    review = cards[groups == "review"]
    out = []
    for sub, g in review.groupby("subcategory", sort=False):
        n = int((cards["subcategory"] == sub).sum())
        keep = g if len(g) < n else g.iloc[:-1]
        out += list(keep["facility_id"].astype(str))
    return tuple(sorted(out))
