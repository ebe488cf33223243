"""The national counting rules: who is admitted, who is on the official and the hidden waitlist,
vacancies and the distance to them (こども家庭庁「保育所等利用待機児童数調査要領」, revised 2017).

Exact counts of children: they leave ``analytics`` only through :mod:`analytics.nursery.publication`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.core import geo

AUTHORISED_TYPES = ("認可保育所", "認定こども園", "小規模保育", "家庭的保育")
LOCAL_TYPES = ("企業主導型", "地方単独")
FACILITY_TYPES = AUTHORISED_TYPES + LOCAL_TYPES
AGES = tuple(range(6))
AGE_BANDS: dict[str, tuple[int, int]] = {"0": (0, 0), "1-2": (1, 2), "3-5": (3, 5)}
BANDS = tuple(AGE_BANDS)
BAND_OF_AGE = np.array([next(i for i, (lo, hi) in enumerate(AGE_BANDS.values()) if lo <= a <= hi) for a in AGES])
EXCLUSIONS = ("local_program", "parental_leave", "job_search_paused", "specific_only")
MEASURES = ("applications", "admitted", "not_admitted", *EXCLUSIONS, "official", "hidden")
# By district only the counts a planner needs: admitted and hidden follow from them (and
# publishing them too would tie every small official count to two more cells to hide).
DISTRICT_MEASURES = ("applications", "not_admitted", "official")
DEFAULT_REACH_KM = 2.0  # the rule's reasonable reach (about 20–30 minutes; 2017 revision)
# The reaches at which the official and hidden counts are published side by side (the rule is
# time-based; a straight-line reach is our proxy, and the count moves a lot with it). Fixed, so
# every count a scenario can choose is in the one audited publication.
REACHES_KM: tuple[float, ...] = (1.0, 2.0, 3.0, 5.0)
TOTAL = "合計"


# ----------------------------------------------------------------------------- facilities


def vacancies(capacity: pd.DataFrame, nurseries: pd.DataFrame) -> pd.DataFrame:
    """Places by fiscal year × facility × age with the facility's type, district and location.

    Columns: those of ``nursery_capacity`` plus ``vacancies`` (capacity − enrolled, never
    below 0), ``authorised``, ``facility_type``, ``district_id``, ``lon``, ``lat``. Seats are
    places for children (a facility statistic, 空き状況), as of 1 April.
    """
    facts = nurseries.set_index("facility_id")[["facility_type", "district_id", "lon", "lat"]]
    out = capacity.join(facts, on="facility_id", how="inner")
    out["vacancies"] = (out["capacity"] - out["enrolled"]).clip(lower=0)
    out["authorised"] = out["facility_type"].isin(AUTHORISED_TYPES)
    return out.reset_index(drop=True)


def distance_to_vacancy_m(children: pd.DataFrame, places: pd.DataFrame) -> np.ndarray:
    """For each row of ``children`` (``fiscal_year``, ``child_age``, ``mesh_code``), the straight-line
    distance in metres from its mesh centre to the nearest authorised facility with a free
    place for that age that fiscal year (``inf`` where there is none). ``places`` is
    :func:`vacancies`."""
    out = np.full(len(children), np.inf)
    if not len(children):
        return out
    xy = geo.mesh_plane_xy(children["mesh_code"])
    free = places[places["authorised"] & (places["vacancies"] > 0)]
    fy, age = children["fiscal_year"].to_numpy(), children["child_age"].to_numpy()
    for (y, a), group in free.groupby(["fiscal_year", "child_age"]):
        rows = np.flatnonzero((fy == y) & (age == a))
        if len(rows):
            out[rows] = geo.nearest_distance_m(xy[rows], geo.points_plane_xy(group))[0]
    return out


# ----------------------------------------------------------------------------- the counting rules


def outcome(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame, *,
            reach_km: float = DEFAULT_REACH_KM) -> pd.Series:
    """The category of each application under the national rules (see the module docstring):
    ``admitted``, one of :data:`EXCLUSIONS`, or ``official``; indexed like ``applications``."""
    if reach_km < 0:
        raise ValueError("reach_km must not be negative")
    a = applications
    admitted = a["admitted"].to_numpy(bool)
    local = a["uses_local_program"].to_numpy(bool)
    leave = a["parental_leave"].to_numpy(bool) & ~a["return_intent_confirmed"].to_numpy(bool)
    paused = a["job_search_paused"].to_numpy(bool)
    wants_listed = a["only_specific_facilities"].to_numpy(bool)
    undecided = ~admitted & ~local & ~leave & ~paused & wants_listed
    near_vacancy = np.zeros(len(a), dtype=bool)
    if undecided.any():
        dist = distance_to_vacancy_m(a.loc[undecided, ["fiscal_year", "child_age", "mesh_code"]],
                                     vacancies(capacity, nurseries))
        near_vacancy[np.flatnonzero(undecided)] = dist <= reach_km * 1000
    category = np.select(
        [admitted, local, leave, paused, wants_listed & near_vacancy],
        ["admitted", *EXCLUSIONS],
        default="official",
    )
    return pd.Series(category, index=a.index, name="outcome")


@dataclass(frozen=True)
class WaitlistBreakdown:
    """Exact counts of children under the national rules.

    ``table``: one row per ``fiscal_year`` × ``district_id`` × ``child_age`` (0–5) with every
    measure of :data:`MEASURES` (children; ``not_admitted = Σ exclusions + official``,
    ``hidden = not_admitted − official``). ``waterfall``: per fiscal year the city-wide steps
    applications → admitted → not admitted → each exclusion → official (``step``, ``children``).
    """

    table: pd.DataFrame
    waterfall: pd.DataFrame
    reach_km: float


def waitlist_breakdown(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame, *,
                       reach_km: float = DEFAULT_REACH_KM) -> WaitlistBreakdown:
    """Official and hidden waitlist by fiscal year × district × age (see the module docstring for
    the rules and their order). Exact counts: publish them through :func:`nursery_block`."""
    cat = outcome(applications, nurseries, capacity, reach_km=reach_km)
    keys = ["fiscal_year", "district_id", "child_age"]
    frame = applications[keys].assign(outcome=cat.to_numpy())
    counts = pd.crosstab([frame[k] for k in keys], frame["outcome"])
    for c in ("admitted", *EXCLUSIONS, "official"):
        if c not in counts.columns:
            counts[c] = 0
    t = counts.reset_index()
    t.columns.name = None
    t["not_admitted"] = t[list(EXCLUSIONS)].sum(axis=1) + t["official"]
    t["applications"] = t["admitted"] + t["not_admitted"]
    t["hidden"] = t["not_admitted"] - t["official"]
    t = t[[*keys, *MEASURES]].astype({m: np.int64 for m in MEASURES})
    t = t.sort_values(keys, ignore_index=True)
    steps = ("applications", "admitted", "not_admitted", *EXCLUSIONS, "official")
    city = t.groupby("fiscal_year")[list(steps)].sum()
    waterfall = city.stack().rename("children").rename_axis(["fiscal_year", "step"]).reset_index()
    return WaitlistBreakdown(table=t, waterfall=waterfall, reach_km=float(reach_km))


def official_by_reach(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame,
                      districts: Sequence[str], reaches_km: Sequence[float] = REACHES_KM) -> np.ndarray:
    """Official waitlist under the national rules at each straight-line reach, per district × age.

    Returns an array ``reach × district × age`` (``districts`` in their order — applicants of
    other districts are left out —, ages :data:`AGES`) of exact counts of children: for each
    reach in ``reaches_km`` the count :func:`waitlist_breakdown` would give with that
    ``reach_km`` (a farther reach finds more free places, so the official count never grows
    with the reach). The distances are computed once. Exact: publish through
    :func:`analytics.nursery.publication.nursery_block`.
    """
    reaches = np.asarray(reaches_km, dtype=float)
    if (reaches < 0).any():
        raise ValueError("reach_km must not be negative")
    a = applications
    out = np.zeros((len(reaches), len(districts), len(AGES)))
    if not len(a):
        return out
    base = outcome(a, nurseries, capacity, reach_km=0.0).to_numpy()
    # At reach 0 no place is near: "official" holds every child the reach can still exclude.
    candidate = (base == "official") & a["only_specific_facilities"].to_numpy(bool)
    dist = np.full(len(a), np.inf)
    if candidate.any():
        dist[candidate] = distance_to_vacancy_m(a.loc[candidate, ["fiscal_year", "child_age", "mesh_code"]],
                                                vacancies(capacity, nurseries))
    d_idx = pd.Index(list(districts)).get_indexer(a["district_id"].astype(str))
    ages = a["child_age"].to_numpy(int)
    official0 = (base == "official") & (d_idx >= 0)
    for r, reach in enumerate(reaches):
        keep = official0 & ~(dist <= reach * 1000)
        np.add.at(out[r], (d_idx[keep], ages[keep]), 1.0)
    return out


def waiting_children(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame, *,
                     reach_km: float = DEFAULT_REACH_KM, target: str = "all") -> pd.DataFrame:
    """Children not admitted, one row each (``fiscal_year``, ``district_id``, ``mesh_code``,
    ``child_age``, ``outcome``); ``target`` ``"official"`` keeps only the official waitlist.
    Person-level and exact: for analysis inside ``analytics`` only."""
    cat = outcome(applications, nurseries, capacity, reach_km=reach_km)
    keep = cat != "admitted"
    if target == "official":
        keep &= cat == "official"
    cols = ["fiscal_year", "district_id", "mesh_code", "child_age"]
    return applications.loc[keep, cols].assign(outcome=cat[keep].to_numpy()).reset_index(drop=True)


def access_counts(waiting: pd.DataFrame, places: pd.DataFrame, steps_m=geo.ACCESS_STEPS_M) -> np.ndarray:
    """Waiting children with a free place for their age within each straight-line distance, by step ×
    age band (exact counts); distances are straight lines from the mesh centre in metres."""
    dist = distance_to_vacancy_m(waiting, places)
    band = BAND_OF_AGE[waiting["child_age"].to_numpy()]
    out = np.zeros((len(steps_m), len(BANDS)))
    for s, step in enumerate(steps_m):
        for k in range(len(BANDS)):
            out[s, k] = np.sum((dist <= step) & (band == k))
    return out


def vacancy_distance(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame, fiscal_year: int,
                     min_children: int) -> pd.DataFrame:
    """How far waiting children live from a free place for their age: per age band and for the
    city (``district_id`` = ``TOTAL``) and per district, the mean straight-line distance in metres
    (demand-weighted) and the share within 800 m — only for groups of at least ``min_children``
    waiting children (a mean over a few children would say where they live); ``vacancies``: free
    authorised places in the district (a facility statistic)."""
    apps = applications[applications["fiscal_year"] == fiscal_year]
    waiting = waiting_children(apps, nurseries, capacity)
    places = vacancies(capacity, nurseries)
    dist = distance_to_vacancy_m(waiting, places)
    waiting = waiting.assign(distance_m=dist, age_band=np.array(BANDS)[BAND_OF_AGE[waiting["child_age"].to_numpy()]])
    free = places[(places["fiscal_year"] == fiscal_year) & places["authorised"]]
    rows = []
    for key, group in [(TOTAL, waiting), *waiting.groupby("district_id")]:
        row = {"district_id": key}
        for band in (*BANDS, TOTAL):
            g = group if band == TOTAL else group[group["age_band"] == band]
            ok = len(g) >= min_children
            finite = np.isfinite(g["distance_m"])
            row[f"mean_m_{band}"] = float(g.loc[finite, "distance_m"].mean()) if ok and finite.any() else np.nan
            row[f"within_800_{band}"] = float((g["distance_m"] <= 800).mean()) if ok else np.nan
        row["vacancies"] = int(free["vacancies"].sum() if key == TOTAL else
                               free.loc[free["district_id"] == key, "vacancies"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def supply_by_district(capacity: pd.DataFrame, nurseries: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Authorised places, enrolment and vacancies by district × age band in ``fiscal_year``
    (facility statistics: places where the facility is, 1 April)."""
    v = vacancies(capacity, nurseries)
    v = v[(v["fiscal_year"] == fiscal_year) & v["authorised"]]
    v = v.assign(age_band=np.array(BANDS)[BAND_OF_AGE[v["child_age"].to_numpy()]])
    return v.groupby(["district_id", "age_band"], as_index=False)[["capacity", "enrolled", "vacancies"]].sum()


def hidden_to_official(city: Mapping[str, float]) -> float:
    """The hidden waitlist per officially waiting child (NaN when either is hidden or none wait)."""
    official, hidden = float(city["official"]), float(city["hidden"])
    return hidden / official if official > 0 and np.isfinite(hidden) else float("nan")
