"""Projected need: projected applications against the places within reach, and the children
waiting in a later fiscal year if no place is added, official and hidden.

Today's waiting children are what the national count found; a later year differs from today by
what the projected applications do to it, judged against the places the children can use:

1. **Shortage of places within reach** (:func:`place_shortage`). Each district's applications of
   an age band are spread over its 500 m meshes by their published residents (as
   :func:`analytics.nursery.placement.mesh_demand` spreads waiting children), and a transport
   linear programme (HiGHS through :func:`scipy.optimize.linprog`) places as many as the
   authorised places of the band allow, a child only at a facility within ``reach_m`` of its
   mesh centre — the straight-line reach of the counting rules (rule 4 of
   :mod:`analytics.nursery`, :data:`~analytics.nursery.counting.DEFAULT_REACH_KM`). A place is
   used once, so one district's free places are never counted for two; among the allocations
   that place the most, the LP takes the one with the least total distance (a cost of
   ``1e-3 × distance ÷ reach`` per child, far too small to trade a placed child for). The
   *shortage* is the applications the allocation cannot place: children with no free place
   within reach. It is computed for the base year and for the target year, with the base
   year's places (no place added, none closed).
2. **Waiting children** (:func:`projected_waitlist`), per district × age band, with
   ``r = applications(target) ÷ applications(base)`` (1 where the base has none)::

       not placed(target) = max(0, not placed(today) × r + shortage(target) − shortage(base) × r)

   Today's waiting children per applicant are carried forward (children who did not take a
   place within reach: local programmes, leave, a paused search, only listed facilities — or
   placed beyond the reach, where the LP is stricter than real admissions), and what the
   projected applications add to the shortage beyond that proportion is added to them. A rise
   that today's free places within reach can take adds nobody; a fall lowers the waiting
   children in proportion, and the shortage with it. In the base year the formula gives today's
   count exactly.
3. **Official and hidden.** Children of the added shortage have no free place within reach, so
   the rule that excludes families wanting only listed facilities (rule 4) cannot exclude them;
   they are official unless rules 1–3 (a local programme, leave without a confirmed return, a
   paused search) exclude them, which depend on the family, not on places, and are taken at the
   city's current share of the children not placed (:func:`rules_excluded_share`, from the
   published city count). Today's official children per applicant are carried forward as the
   rest is::

       official(target) = clip(official(today) × r + (1 − q) × (shortage(target) − shortage(base) × r), 0, not placed)

   ``hidden = not placed − official``.

Everything here works on estimates (published counts, projected applications, facility
statistics), never on children's records.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analytics.core import geo
from analytics.nursery.counting import BAND_OF_AGE, BANDS, DEFAULT_REACH_KM
from analytics.nursery.demand import DemandProjection

DISTANCE_COST = 1e-3  # per child placed at the edge of the reach, against 1 per child placed
RULES_1_TO_3 = ("local_program", "parental_leave", "job_search_paused")


def _reach_m(reach_m: float | None) -> float:
    value = DEFAULT_REACH_KM * 1000 if reach_m is None else float(reach_m)
    if not value >= 0:
        raise ValueError(f"reach_m must be a distance ≥ 0 in metres, not {reach_m!r}")
    return value


def band_places(places: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Authorised places by facility × age band in ``fiscal_year`` (the latest year on file up to
    it, else the earliest): ``facility_id``, ``age_band``, ``capacity``, ``lon``, ``lat``.
    ``places`` is :func:`analytics.nursery.counting.vacancies`."""
    years = sorted(int(y) for y in places["fiscal_year"].unique())
    if not years:
        return pd.DataFrame(columns=["facility_id", "age_band", "capacity", "lon", "lat"])
    year = max([y for y in years if y <= fiscal_year], default=years[0])
    p = places[(places["fiscal_year"] == year) & places["authorised"]]
    p = p.assign(age_band=np.array(BANDS)[BAND_OF_AGE[p["child_age"].to_numpy(int)]])
    out = p.groupby(["facility_id", "age_band"], as_index=False).agg(
        capacity=("capacity", "sum"), lon=("lon", "first"), lat=("lat", "first"))
    return out[out["capacity"] > 0].reset_index(drop=True)


def _place_band(demand: np.ndarray, mesh_xy: np.ndarray, places: pd.DataFrame, reach_m: float) -> np.ndarray:
    """Children placed per mesh: the transport LP of the module docstring for one age band."""
    from scipy import sparse
    from scipy.optimize import linprog

    from analytics.core.location import reach_matrix

    placed = np.zeros(len(demand))
    if not len(places) or not (demand > 0).any():
        return placed
    fac_xy = geo.points_plane_xy(places)
    reach = reach_matrix(fac_xy, mesh_xy, reach_m).tocoo()
    f, m = reach.row, reach.col
    keep = demand[m] > 0
    f, m = f[keep], m[keep]
    if not len(f):
        return placed
    n = len(f)
    dist = np.hypot(*(fac_xy[f] - mesh_xy[m]).T)
    cost = -1.0 + DISTANCE_COST * dist / max(reach_m, 1.0)
    a = sparse.vstack([sparse.csr_array((np.ones(n), (m, np.arange(n))), shape=(len(demand), n)),
                       sparse.csr_array((np.ones(n), (f, np.arange(n))), shape=(len(places), n))]).tocsr()
    b = np.concatenate([demand, places["capacity"].to_numpy(float)])
    res = linprog(cost, A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    if res.status != 0:  # x = 0 is feasible and the objective is bounded: only a solver failure lands here
        raise RuntimeError(f"the allocation of places failed: {res.message}")
    np.add.at(placed, m, res.x)
    return np.minimum(placed, demand)


def place_shortage(applications: pd.DataFrame, places: pd.DataFrame, mesh_weights: pd.DataFrame,
                   reach_m: float | None = None) -> pd.DataFrame:
    """Applications placed within reach and the shortage, per district × age band (step 1 of the
    module docstring). ``applications``: ``district_id``, ``age_band``, ``applications`` (one
    fiscal year); ``places``: :func:`band_places`; ``mesh_weights``: ``mesh_code``,
    ``district_id``, ``residents`` (:func:`analytics.city.published_mesh_residents`). A district
    with no resident mesh cannot be located: all its applications are shortage. Columns
    ``district_id``, ``age_band``, ``applications``, ``placed``, ``shortage``."""
    reach = _reach_m(reach_m)
    w = mesh_weights[["mesh_code", "district_id", "residents"]].copy()
    w["district_id"] = w["district_id"].astype(str)
    w = w[w["residents"] > 0].reset_index(drop=True)
    share = (w["residents"] / w.groupby("district_id")["residents"].transform("sum")).to_numpy(float)
    mesh_xy = geo.mesh_plane_xy(w["mesh_code"]) if len(w) else np.zeros((0, 2))
    apps = applications.assign(district_id=applications["district_id"].astype(str))
    frames = []
    for band in BANDS:
        per_district = apps[apps["age_band"] == band].groupby("district_id")["applications"].sum()
        demand = w["district_id"].map(per_district).fillna(0.0).to_numpy(float) * share
        placed = _place_band(demand, mesh_xy, places[places["age_band"] == band], reach)
        placed_by = pd.Series(placed).groupby(w["district_id"].to_numpy()).sum()
        frames.append(pd.DataFrame({"district_id": per_district.index, "age_band": band,
                                    "applications": per_district.to_numpy(float),
                                    "placed": placed_by.reindex(per_district.index).fillna(0.0).to_numpy()}))
    out = pd.concat(frames, ignore_index=True)
    out["shortage"] = (out["applications"] - out["placed"]).clip(lower=0)
    return out


def rules_excluded_share(city: Mapping[str, float]) -> float:
    """The share of children not placed whom rules 1–3 exclude (a local programme, leave without a
    confirmed return, a paused search), from a city count (:data:`~analytics.nursery.counting.
    MEASURES`): where those counts are hidden, ``1 − official ÷ not placed`` (every exclusion);
    0 when nobody waits."""
    waiting = float(city["not_admitted"])
    if not waiting > 0:
        return 0.0
    excluded = sum(float(city[m]) for m in RULES_1_TO_3)
    if not np.isfinite(excluded):
        excluded = waiting - float(city["official"])
    return float(np.clip(excluded / waiting, 0, 1)) if np.isfinite(excluded) else 0.0


def projected_waitlist(today: pd.DataFrame, demand: DemandProjection, places: pd.DataFrame,
                       mesh_weights: pd.DataFrame, fiscal_year: int, *, excluded_share: float,
                       reach_m: float | None = None) -> pd.DataFrame:
    """Waiting children in ``fiscal_year`` if no place is added, official and hidden, per
    district × age band (steps 2 and 3 of the module docstring). ``today``: ``district_id``,
    ``age_band``, ``not_admitted``, ``official`` in the projection's base year (published or
    estimated); ``demand``: the projection; ``places``: :func:`analytics.nursery.counting.vacancies`
    (the base year's authorised places are used); ``mesh_weights`` as for :func:`place_shortage`;
    ``excluded_share``: :func:`rules_excluded_share`. Columns of ``today`` plus
    ``applications_base``, ``applications``, ``shortage_base``, ``shortage`` and ``hidden``, with
    ``not_admitted`` and ``official`` projected."""
    if not 0 <= excluded_share <= 1:
        raise ValueError("excluded_share must be a share between 0 and 1")
    table = demand.table
    base = demand.base_fiscal_year
    years = set(int(y) for y in table["fiscal_year"].unique())
    if fiscal_year not in years:
        raise ValueError(f"the projection does not reach fiscal year {fiscal_year}")
    supply = band_places(places, base)
    keys = ["district_id", "age_band"]
    cells = {}
    for name, year in (("base", base), ("target", fiscal_year)):
        apps = table[table["fiscal_year"] == year][[*keys, "applications"]]
        cells[name] = place_shortage(apps, supply, mesh_weights, reach_m).set_index(keys)
    out = today.copy()
    out["district_id"] = out["district_id"].astype(str)
    joined = out.join(cells["base"][["applications", "shortage"]].add_suffix("_base"), on=keys).join(
        cells["target"][["applications", "shortage"]], on=keys)
    joined = joined.fillna({"applications_base": 0.0, "shortage_base": 0.0})
    joined["applications"] = joined["applications"].fillna(joined["applications_base"])
    joined["shortage"] = joined["shortage"].fillna(joined["shortage_base"])
    base_apps = joined["applications_base"].to_numpy(float)
    r = np.divide(joined["applications"].to_numpy(float), base_apps, out=np.ones(len(joined)), where=base_apps > 0)
    added = joined["shortage"].to_numpy(float) - joined["shortage_base"].to_numpy(float) * r
    waiting = np.maximum(0.0, joined["not_admitted"].to_numpy(float) * r + added)
    official = np.clip(joined["official"].to_numpy(float) * r + (1 - excluded_share) * added, 0, waiting)
    joined["not_admitted"] = waiting
    joined["official"] = official
    joined["hidden"] = waiting - official
    return joined.reset_index(drop=True)


def published_projected_waitlist(pub, demand: DemandProjection, places: pd.DataFrame, meshes: pd.DataFrame,
                                 fiscal_year: int, reach_m: float | None = None) -> pd.DataFrame:
    """:func:`projected_waitlist` from the publication only: today's waiting and official children
    by district × age band in the projection's base year (:func:`analytics.nursery.publication.
    waiting_by_district`, hidden cells estimated; the official one at ``reach_m``, which must be
    one of the published reaches), the city's share excluded by rules 1–3 and the published
    residents per mesh. ``imputed`` marks cells estimated today."""
    from analytics.city import published_mesh_residents
    from analytics.nursery.publication import published_waitlist, waiting_by_district

    base = demand.base_fiscal_year
    waiting = waiting_by_district(pub, base, "all").rename(columns={"waiting": "not_admitted"})
    # today's official waitlist counted at the same reach (a published one: see REACHES_KM)
    official = waiting_by_district(pub, base, "official", _reach_m(reach_m) / 1000)
    today = waiting.assign(official=np.minimum(official["waiting"].to_numpy(), waiting["not_admitted"].to_numpy()),
                           imputed=waiting["imputed"] | official["imputed"])
    share = rules_excluded_share(published_waitlist(pub, base, "city").iloc[0])
    return projected_waitlist(today, demand, places, published_mesh_residents(pub, meshes), fiscal_year,
                              excluded_share=share, reach_m=reach_m)
