"""Residents: age groups, 5-year bands and the split of published 5-year groups into single ages.

Population is counted on 1 April of each fiscal year (年度, April–March). Age groups follow the national
convention: 年少人口 0–14, 生産年齢人口 15–64, 老年人口 65+ (総務省統計局「人口推計」の定義).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

AGE_GROUPS: dict[str, tuple[int, int]] = {"age_0_14": (0, 14), "age_15_64": (15, 64), "age_65_plus": (65, 200)}
SEXES = ("M", "F")
BAND = 5
TOP_AGE = 100  # the last band is open: 100+
CHANGE_MEASURES = ("births", "deaths", "moved_in", "moved_out")
TOTAL = "合計"
BANDS = tuple([f"{a}-{a + BAND - 1}" for a in range(0, TOP_AGE, BAND)] + [f"{TOP_AGE}+"])
# Broad age group (index into AGE_GROUPS) of each 5-year band.
GROUP_OF_BAND = np.array([next(g for g, (lo, hi) in enumerate(AGE_GROUPS.values()) if lo <= b * BAND <= hi)
                          for b in range(len(BANDS))])


def with_district(population: pd.DataFrame, meshes: pd.DataFrame) -> pd.DataFrame:
    """Population rows with the ``district_id`` of their mesh (rows of unknown meshes dropped)."""
    lookup = meshes.set_index("mesh_code")["district_id"]
    out = population.assign(district_id=population["mesh_code"].map(lookup))
    return out[out["district_id"].notna()]


# ----------------------------------------------------------------------------- from the publication
# Scenarios and projections read people only through these (and published_mesh_residents): any
# figure computed from them is a function of the publication, so it discloses nothing the
# publication does not, however a planner turns the knobs (README, "Privacy").


def graduate_ages(groups: np.ndarray) -> np.ndarray:
    """Single ages 0–100 from counts by 5-year group (``0-4`` … ``95-99``, ``100+``; last axis).

    The cumulative count at each group boundary is interpolated by a monotone cubic (PCHIP:
    Fritsch & Carlson, *SIAM J. Numer. Anal.* 17, 1980) and differenced at whole ages, so every
    group keeps its total exactly, no age is negative, and the ages follow the slope between
    neighbouring groups (fewer 0- than 4-year-olds when births fall) — the monotone
    graduation demographers use on published 5-year tables. ``100+`` stays at age 100."""
    from scipy.interpolate import PchipInterpolator

    groups = np.maximum(np.asarray(groups, dtype=float), 0.0)
    body = groups[..., :-1]
    edges = np.arange(0, TOP_AGE + 1, BAND)
    cumulative = np.concatenate([np.zeros(body.shape[:-1] + (1,)), np.cumsum(body, axis=-1)], axis=-1)
    curve = PchipInterpolator(edges, cumulative, axis=-1)(np.arange(TOP_AGE + 1))
    single = np.maximum(np.diff(curve, axis=-1), 0.0)
    # rounding inside the cubic: put each group's total back exactly
    by_group = single.reshape(single.shape[:-1] + (len(BANDS) - 1, BAND)).sum(-1)
    scale = np.divide(body, by_group, out=np.zeros_like(body), where=by_group > 0)
    single = single * np.repeat(scale, BAND, axis=-1)
    return np.concatenate([single, groups[..., -1:]], axis=-1)


def _births_of(change: pd.DataFrame, districts: list[str], fiscal_year: int) -> np.ndarray | None:
    """Births of ``fiscal_year`` by district (``None`` when that year is not recorded)."""
    if change.empty or fiscal_year not in set(change["fiscal_year"].astype(int)):
        return None
    year = change[change["fiscal_year"].astype(int) == fiscal_year]
    return year.groupby("district_id")["births"].sum().reindex(districts).fillna(0.0).to_numpy(float)


def _split_children(groups: np.ndarray, births: np.ndarray | None, carried: np.ndarray | None,
                    graduated: np.ndarray) -> np.ndarray:
    """Single ages 0–9 (…, 10) of the 0–4 and 5–9 groups (…, 2), by district × sex.

    Age 0 on 1 April is the babies born in the fiscal year before (``births`` by district,
    split by the sex ratio at birth; never more than the group); each other age takes the share
    its cohort had a year before (``carried``: last year's single ages, one age younger) of what
    its group leaves; without them, the ``graduated`` curve. A falling number of births then
    shows in the single ages as it does in the registers, which a curve through 5-year groups
    smooths away."""
    from analytics.core.projection import SEX_SHARE

    out = graduated.copy()
    for g in range(2):
        lo = g * BAND
        rest = groups[..., g].copy()
        first = lo
        if g == 0 and births is not None:
            out[..., 0] = np.minimum(births[:, None] * SEX_SHARE[None, :], rest)
            rest = rest - out[..., 0]
            first = 1
        if carried is not None and first >= 1:
            shape = carried[..., first - 1:lo + BAND - 1]
        else:
            shape = graduated[..., first:lo + BAND]
        total = shape.sum(-1, keepdims=True)
        share = np.where(total > 0, shape / np.where(total > 0, total, 1.0), 1.0 / shape.shape[-1])
        out[..., first:lo + BAND] = rest[..., None] * share
    return out
