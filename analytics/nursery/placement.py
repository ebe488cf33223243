"""Where new places cut the waitlist most: waiting children spread over meshes and a capacitated
maximal covering placement within a budget (:mod:`analytics.core.location`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.core import geo
from analytics.nursery.counting import BANDS


def mesh_demand(waiting: pd.DataFrame, mesh_residents: pd.DataFrame) -> pd.DataFrame:
    """District × band waiting children spread over the district's meshes in proportion to the
    mesh's *published* residents of all ages (:func:`analytics.city.published_mesh_residents`:
    shown counts, hidden meshes sharing what their district's total leaves), the same weights for
    every band, so that access can be measured from where people live. Children per mesh are
    published nowhere: weighting by them would let a scenario's readings (children served, the
    squares reached) reveal them, whatever is rounded.

    Children are whole: each district × band's waiting children (rounded to whole children where
    a projection or an estimate gives a fraction, so that each band keeps its total) are shared
    out over its meshes, in mesh-code order, by :func:`cumulative_rounding`, so every mesh is
    within one child of its share and a district of few children has them spread through it,
    not piled on its largest meshes. A placement over whole children is a small problem for
    HiGHS: it proves the optimum at the root in tenths of a second where fractions of children
    took seconds (:func:`analytics.core.location._solve_milp`). Columns: ``mesh_code``,
    ``district_id``, one column per band."""
    m = mesh_residents[["mesh_code", "district_id", "residents"]].copy()
    m["district_id"] = m["district_id"].astype(str)
    total = m.groupby("district_id")["residents"].transform("sum")
    share = (m["residents"] / total.where(total > 0)).fillna(0.0).to_numpy()
    w = waiting.pivot_table(index="district_id", columns="age_band", values="waiting", aggfunc="sum")
    w = w.reindex(index=m["district_id"].unique(), columns=list(BANDS)).fillna(0.0)
    # Whole children per district × band, each band keeping its (rounded) total: cumulative
    # rounding down the districts leaves whole (published) counts as they are and rounds the
    # estimated or projected fractions so that they add up to the band's total, where rounding
    # each cell alone could lose or add a few children against the count the page shows.
    children = np.diff(np.floor(np.cumsum(w.to_numpy(), axis=0) + 0.5 + 1e-9), axis=0, prepend=0.0)
    per_band = np.zeros((len(m), len(BANDS)))
    codes = m["mesh_code"].astype(str).to_numpy()
    for d, rows in m.groupby("district_id", sort=False).indices.items():
        rows = rows[np.argsort(codes[rows], kind="stable")]
        if share[rows].sum() > 0:
            per_band[rows] = cumulative_rounding(children[w.index.get_loc(d)], share[rows])
    out = m[["mesh_code", "district_id"]].reset_index(drop=True)
    for k, band in enumerate(BANDS):
        out[band] = per_band[:, k]
    return out


def cumulative_rounding(totals: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Whole ``totals`` (one per column) shared out by ``share`` (one per row, summing to 1) by
    cumulative rounding: row i gets round(Q_i) − round(Q_(i−1)), Q_i the running sum of the
    quotas ``share × total`` down to row i. (rows, columns) whole numbers, each column summing
    to its total, each cell within one child of its quota; where every quota is below one the
    children fall on rows spread through the order (every 1/quota-th row), not on the largest."""
    quota = np.asarray(share, dtype=float)[:, None] * np.asarray(totals, dtype=float)[None, :]
    running = np.floor(np.cumsum(quota, axis=0) + 0.5 + 1e-9)
    return np.diff(running, axis=0, prepend=0.0)


@dataclass(frozen=True)
class PlacementParams:
    """Scenario of the 配置シナリオ tab: where to add places, under which budget."""

    walk_m: int = 800  # straight-line distance from home (a step of analytics.core.geo.ACCESS_STEPS_M)
    target: str = "all"  # "all" (official + hidden) or "official": which waitlist to cut
    budget_kind: str = "seats"  # "seats" or "yen"
    budget: float = 300.0  # places, or yen
    min_seats: int = 6  # the smallest new facility (小規模保育 takes 6–19)
    max_sites: int | None = None
    added_sites: tuple[str, ...] = ()  # sites the planner opens by hand
    removed_sites: tuple[str, ...] = ()  # sites the planner rules out

    def __post_init__(self) -> None:
        if self.walk_m not in geo.ACCESS_STEPS_M:
            raise ValueError(f"walk_m must be one of {geo.ACCESS_STEPS_M}")
        if self.target not in ("all", "official"):
            raise ValueError("target must be 'all' or 'official'")


@dataclass(frozen=True)
class CapacityPlan:
    """New places chosen for a scenario (estimates of children, from published figures).

    ``sites``: the opened sites with seats per band (``seats_0``, ``seats_1-2``,
    ``seats_3-5``), ``seats``, ``cost_yen``, ``reached`` (children within reach who take the
    site's new places in the plan's assignment: each child counts at one site, so the column
    sums to ``served``). ``by_district``: ``before``/``after`` waiting children and the
    ``reduction``. ``reached_meshes``: mesh codes whose waiting children are served.
    ``optimum``: the optimum (``scipy.optimize.milp``, within 0.1%) when asked for, else ``None``;
    ``optimum_proved`` is False when the solver stopped at its node limit (a work limit, never
    the clock) with its best solution. ``most_servable``: the most waiting children any plan could
    serve with no budget (every usable site at its largest size: :func:`location.most_servable`).
    """

    sites: pd.DataFrame
    by_district: pd.DataFrame
    reached_meshes: tuple[str, ...]
    served: float
    waiting: float
    total_seats: int
    cost_yen: float
    optimum: float | None = None
    optimum_proved: bool | None = None
    most_servable: float | None = None

    @property
    def serves_all_it_could(self) -> bool:
        """Whether the plan serves as many as any plan could with no budget (so more places
        would serve no one more): the budget may then be left partly unused."""
        return self.most_servable is not None and self.served >= self.most_servable - 0.5


@functools.lru_cache(maxsize=16)
def _mesh_xy(mesh_codes: tuple[str, ...]) -> np.ndarray:
    """The meshes' centres on the plane (read-only): the same demand meshes serve every budget,
    walk and site choice of a scenario, and parsing 2,000 mesh codes is a tenth of a plan."""
    xy = geo.mesh_plane_xy(pd.Series(mesh_codes, dtype=object))
    xy.setflags(write=False)
    return xy


def place_capacity(demand: pd.DataFrame, sites: pd.DataFrame, params: PlacementParams = PlacementParams(), *,
                   exact: bool = False) -> CapacityPlan:
    """Choose sites and places by age band, within the budget, to serve the most waiting children
    within ``walk_m`` (a capacitated maximal covering problem, :mod:`analytics.core.location`): lazy
    greedy with local improvement; ``exact`` also solves the MILP for comparison.
    ``demand`` is :func:`mesh_demand`; ``sites`` the ``nursery_sites`` dataset."""
    from analytics.core import location

    point_xy = _mesh_xy(tuple(demand["mesh_code"]))
    site_xy = geo.points_plane_xy(sites)
    ids = pd.Index(sites["site_id"].astype(str))
    known = lambda xs: tuple(int(i) for i in ids.get_indexer(list(xs)) if i >= 0)  # noqa: E731
    problem = location.PlacementProblem(
        demand=demand[list(BANDS)].to_numpy(float),
        reach=location.reach_matrix(site_xy, point_xy, params.walk_m),
        capacity=sites["max_capacity"].to_numpy(),
        cost_per_seat=sites["cost_per_seat_yen"].to_numpy(float),
        budget=params.budget,
        budget_kind=params.budget_kind,
        min_seats=params.min_seats,
        max_sites=params.max_sites,
        forced_open=known(params.added_sites),
        forced_closed=known(set(params.removed_sites) - set(params.added_sites)),
    )
    most = location.most_servable(problem)
    plan = location.place_heuristic(problem, most=most)
    # Projected demand is fractional: a 0.1% gap proves the optimum in seconds instead of minutes;
    # past the node limit the best solution found stands in (and says so).
    best = location.place_optimal(problem, mip_rel_gap=1e-3) if exact else None
    chosen = np.flatnonzero(plan.open)
    table = sites.iloc[chosen][["site_id", "name_ja", "name_en", "kind", "district_id", "lon", "lat"]].copy()
    for k, band in enumerate(BANDS):
        table[f"seats_{band}"] = plan.seats[chosen, k]
    table["seats"] = plan.seats[chosen].sum(1)
    table["cost_yen"] = table["seats"] * sites["cost_per_seat_yen"].to_numpy()[chosen]
    table["reached"] = plan.served_by_site[chosen].sum(1)
    served = plan.served_by_point.sum(1)
    before = demand.groupby("district_id")[list(BANDS)].sum().sum(axis=1).rename("before")
    after = (before - pd.Series(served, index=demand["district_id"]).groupby(level=0).sum()).rename("after")
    by_district = pd.concat([before, after], axis=1).reset_index()
    by_district["reduction"] = by_district["before"] - by_district["after"]
    return CapacityPlan(
        sites=table.reset_index(drop=True),
        by_district=by_district,
        reached_meshes=tuple(demand["mesh_code"].to_numpy()[served > 1e-9]),
        served=float(plan.served),
        waiting=float(problem.demand.sum()),
        total_seats=int(plan.total_seats),
        cost_yen=float(plan.cost_yen),
        optimum=None if best is None else float(best.served),
        optimum_proved=None if best is None else bool(best.optimal),
        most_servable=most,
    )


def optimum_ratio(plan: CapacityPlan) -> float:
    """Children the heuristic's plan serves as a share of the MILP's (NaN when not compared)."""
    if plan.optimum is None:
        return float("nan")
    return plan.served / plan.optimum if plan.optimum > 0 else 1.0


def estimate_text(value: float, threshold: int, below: str) -> str:
    """How the page shows an estimated count of children: the whole number where it is at least
    the deployment's suppression ``threshold``, ``below`` (the language's ``<T（推計）`` /
    ``<T (est.)``) where it lies between 0 and the threshold — an estimate of a suppressed cell is
    never shown as a bare small number — ``0`` where nothing is left, ``—`` where unknown."""
    if not np.isfinite(value):
        return "—"
    if value < 1e-6:  # a solver's rounding residue, or nobody
        return "0"
    return below if value < threshold else f"{value:,.0f}"


def sites_table(plan: CapacityPlan, threshold: int, below: str) -> pd.DataFrame:
    """The plan's chosen sites as the page shows them: ``plan.sites`` with ``reached_text``, each
    site's load from the assignment (children it serves, an estimate built on suppressed cells)
    written by :func:`estimate_text`, so a small load never shows as a bare small number."""
    out = plan.sites.copy()
    out["reached_text"] = [estimate_text(float(v), threshold, below) for v in out["reached"]]
    return out


def before_after_table(plan: CapacityPlan, threshold: int, below: str) -> pd.DataFrame:
    """The plan's waiting children by district before and after, as the page shows them:
    ``plan.by_district`` sorted by the reduction (largest first) with ``before_text``,
    ``after_text`` and ``reduction_text`` from :func:`estimate_text` (a reduction, a difference of
    counts, is a count too)."""
    out = plan.by_district.sort_values("reduction", ascending=False, kind="stable").reset_index(drop=True)
    for column in ("before", "after", "reduction"):
        out[f"{column}_text"] = [estimate_text(float(v), threshold, below) for v in out[column]]
    return out
