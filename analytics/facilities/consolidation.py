"""Consolidation (統廃合) and access: what closing facilities does to floor area, cost and the residents'
distance to the nearest remaining one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from analytics.core import geo
from analytics.facilities.renewal import RenewalProjection


def floor_area_per_resident(floor_area_m2: float | pd.Series, residents: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """Floor area per resident (m²/人) by fiscal year: ``fiscal_year``, ``residents``,
    ``floor_area_m2``, ``m2_per_resident``. ``residents`` is indexed by fiscal year (published
    now, projected later), or a frame with ``fiscal_year`` and ``residents`` whose other columns
    are kept (e.g. :func:`analytics.city.residents_outlook`); ``floor_area_m2`` one stock
    for every year or a series by year."""
    if isinstance(residents, pd.DataFrame):
        out = floor_area_per_resident(floor_area_m2, residents.set_index("fiscal_year")["residents"])
        return out.merge(residents.drop(columns="residents"), on="fiscal_year", how="left")
    res = residents.astype(float)
    area = floor_area_m2.reindex(res.index).astype(float) if isinstance(floor_area_m2, pd.Series) \
        else pd.Series(float(floor_area_m2), index=res.index)
    out = pd.DataFrame({"fiscal_year": res.index.astype(int), "residents": res.to_numpy(),
                        "floor_area_m2": area.to_numpy()})
    out["m2_per_resident"] = out["floor_area_m2"] / out["residents"].where(out["residents"] > 0)
    return out


# ----------------------------------------------------------------------------- consolidation (統廃合)


@dataclass(frozen=True)
class ConsolidationPlan:
    """Facilities a scenario closes or merges.

    ``closures``: facilities closed (廃止): their service is gone and their visits go to the
    nearest remaining facility of the same subcategory. ``merges``: closed facility → the
    facility it moves into (集約化・複合化): visits go to that facility, which afterwards offers
    the moved service at its own location (it may be of another subcategory)."""

    closures: tuple[str, ...] = ()
    merges: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "closures", tuple(dict.fromkeys(str(c) for c in self.closures)))
        object.__setattr__(self, "merges", MappingProxyType({str(k): str(v) for k, v in dict(self.merges).items()}))
        both = set(self.closures) & set(self.merges)
        if both:
            raise ValueError(f"a facility is either closed or merged, not both: {sorted(both)}")
        gone = set(self.closures) | set(self.merges)
        bad = sorted(k for k, v in self.merges.items() if v in gone)
        if bad:
            raise ValueError(f"merged into a facility that itself closes: {bad}")

    @property
    def removed(self) -> tuple[str, ...]:
        return (*self.closures, *self.merges)


@dataclass(frozen=True)
class DistanceDecay:
    """The share of a removed facility's visits that move to its receiver, falling with the extra
    distance ``d`` (m) between the two: ``share(d) = 0.5 ** (d / half_distance_m)`` (an exponential
    decay: half the visits move when the receiver is ``half_distance_m`` away, a quarter at twice
    that; 1 at ``d = 0``).

    ``half_distance_m = inf`` (the default, :data:`ALL_VISITS_MOVE`) moves every visit: the upper
    bound of the receivers' load. The decay and its half distance are a project assumption, not a
    measured travel behaviour; the distance is the straight line between the two facilities,
    taken as the extra distance for the removed facility's users."""

    half_distance_m: float = math.inf

    def __post_init__(self) -> None:
        h = float(self.half_distance_m)
        if not h > 0:  # also refuses NaN
            raise ValueError(f"half_distance_m must be positive (inf: every visit moves), "
                             f"got {self.half_distance_m!r}")
        object.__setattr__(self, "half_distance_m", h)

    @property
    def upper_bound(self) -> bool:
        """True when every visit moves (no decay)."""
        return math.isinf(self.half_distance_m)

    def share(self, distance_m: float | np.ndarray | pd.Series) -> np.ndarray:
        """Share (0–1] of visits that move over ``distance_m`` (NaN stays NaN; negative
        distances count as 0)."""
        d = np.clip(np.asarray(distance_m, dtype=float), 0.0, None)
        if self.upper_bound:
            return np.where(np.isnan(d), np.nan, 1.0)
        return np.power(0.5, d / self.half_distance_m)


ALL_VISITS_MOVE = DistanceDecay()
"""Every visit of a removed facility moves to its receiver: the upper bound of the receivers' load."""


@dataclass(frozen=True)
class Consolidation:
    """Result of :func:`consolidation` (money in yen over ``years`` fiscal years).

    * ``savings``, one row per removed facility: ``facility_id``, ``action`` (close / merge),
      ``floor_area_m2``, ``operating_cost_yen`` and ``fee_revenue_yen`` (a year, from the
      facility cards), ``fees_kept_yen`` (a year: for a merge the fees of the visits that move
      with the service to the receiver, fee revenue × the moved share, which the city keeps; 0
      for a closure), ``net_operating_yen`` (= cost − fees lost = cost − (fees − fees kept)),
      ``avoided_renewal_yen`` (the projection's costs of its buildings over the horizon),
      ``demolition_yen`` (除却費: floor area × the demolition unit cost, paid once),
      ``total_yen`` = net operating × years + avoided renewal − demolition. Receiving
      facilities' extra running costs are not modelled; amounts are not discounted.
    * ``reassignment``: ``facility_id``, ``receiver_id`` (None when no facility of the
      subcategory remains), ``visits`` (the removed facility's), ``distance_m`` between the two,
      ``share_moved`` (:meth:`DistanceDecay.share` of that distance; NaN without a receiver) and
      ``visits_moved`` (= visits × share, never more than ``visits``).
    * ``load``: per receiving facility ``visits_before``, ``received`` (visits moved under
      ``decay``), ``visits_after``, ``capacity`` and ``load`` = visits after ÷ capacity (NaN
      without a capacity); ``received_all``, ``visits_after_all`` and ``load_all`` are the same
      when every visit moves — the upper bound, equal to the others under
      :data:`ALL_VISITS_MOVE`.
    * ``access``: per affected subcategory × district, from mesh residents (published, with
      estimates where hidden): ``residents``, ``mean_distance_before_m``,
      ``mean_distance_after_m`` (residents-weighted, to the nearest facility of the subcategory),
      ``beyond_before`` and ``beyond_after`` (residents farther than ``beyond_m``); the city is
      the row with ``district_id`` :data:`CITY`.
    * ``mesh_access``: ``subcategory``, ``mesh_code``, ``district_id``, ``residents``,
      ``distance_before_m``, ``distance_after_m``.
    """

    savings: pd.DataFrame
    reassignment: pd.DataFrame
    load: pd.DataFrame
    access: pd.DataFrame
    mesh_access: pd.DataFrame
    beyond_m: float
    years: int
    decay: DistanceDecay = ALL_VISITS_MOVE
    demolition_yen_per_m2: float = 0.0

    @property
    def floor_area_saved_m2(self) -> float:
        return float(self.savings["floor_area_m2"].sum())

    @property
    def yearly_operating_saved_yen(self) -> float:
        return float(self.savings["net_operating_yen"].sum())

    @property
    def operating_saved_yen(self) -> float:
        """The running saving over the horizon: yearly net operating saving × ``years`` (yen)."""
        return self.yearly_operating_saved_yen * self.years

    @property
    def avoided_renewal_yen(self) -> float:
        return float(self.savings["avoided_renewal_yen"].sum())

    @property
    def demolition_yen(self) -> float:
        """Demolition (除却) of the removed facilities' buildings, yen (paid once)."""
        return float(self.savings["demolition_yen"].sum())

    @property
    def fees_kept_yen(self) -> float:
        """Fees a year that move with the merged services' visits (kept, not lost)."""
        return float(self.savings["fees_kept_yen"].sum())

    @property
    def total_saved_yen(self) -> float:
        return float(self.savings["total_yen"].sum())


CITY = "city"  # district_id of the city row in Consolidation.access


def nearest_facility_access(residents: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Straight-line distance (m, EPSG:6673) from each mesh centre of ``residents`` (``mesh_code``)
    to the nearest of ``sites`` (``lon``, ``lat`` in JGD2011 degrees) and that site's row position
    (``inf`` and −1 without sites). Returns ``residents`` with ``distance_m`` and ``nearest``."""
    dist, idx = geo.nearest_distance_m(geo.mesh_plane_xy(residents["mesh_code"]), geo.points_plane_xy(sites))
    return residents.assign(distance_m=dist, nearest=idx)


def _access_summary(mesh: pd.DataFrame, beyond_m: float) -> pd.DataFrame:
    w = mesh["residents"].astype(float)
    parts = []
    for key, g in [*mesh.groupby(["subcategory", "district_id"], sort=True),
                   *(((s, CITY), g) for s, g in mesh.groupby("subcategory", sort=True))]:
        wg = w.loc[g.index]
        total = float(wg.sum())

        def mean(col, g=g, wg=wg, total=total):
            d = g[col].to_numpy(dtype=float)
            return float((wg.to_numpy() * d).sum() / total) if total > 0 and np.isfinite(d).all() else np.nan

        parts.append({"subcategory": key[0], "district_id": key[1], "residents": total,
                      "mean_distance_before_m": mean("distance_before_m"),
                      "mean_distance_after_m": mean("distance_after_m"),
                      "beyond_before": float(wg[g["distance_before_m"] > beyond_m].sum()),
                      "beyond_after": float(wg[g["distance_after_m"] > beyond_m].sum())})
    return pd.DataFrame(parts, columns=["subcategory", "district_id", "residents", "mean_distance_before_m",
                                        "mean_distance_after_m", "beyond_before", "beyond_after"])


def consolidation(facilities: pd.DataFrame, buildings: pd.DataFrame, cards: pd.DataFrame,
                  projection: RenewalProjection, plan: ConsolidationPlan, mesh_residents: pd.DataFrame, *,
                  beyond_m: float = 1000.0, subcategories: Sequence[str] = (),
                  decay: DistanceDecay = ALL_VISITS_MOVE, demolition_yen_per_m2: float = 0.0,
                  access: AccessChange | None = None) -> Consolidation:
    """What closing and merging the facilities of ``plan`` saves, where their visits go and what it
    does to residents' access (see :class:`Consolidation`).

    ``cards`` is :func:`facility_cards` for the year whose running costs are saved;
    ``projection`` the renewal projection of ``buildings`` under the scenario in force (its
    horizon gives ``years``); ``mesh_residents`` has ``mesh_code``, ``district_id`` and
    ``residents`` (e.g. :func:`analytics.city.published_mesh_residents`). Visits are
    延べ利用者数 (facility statistics); the access figures count residents. Distances are
    straight lines between mesh centres and facility points. Access is measured for every
    subcategory the plan touches and for ``subcategories`` (so the current access of a service
    can be seen before anything closes).

    ``decay`` sets the share of visits that move to the receiver (default: all of them, the upper
    bound of its load); for a merge it is also the share of the fees kept. The savings are
    descriptive projections under these assumptions, not estimates of what a closure would
    cause. ``demolition_yen_per_m2`` (円/㎡) prices the demolition of the removed facilities'
    buildings, subtracted once from the total (0 leaves it out; the page passes
    :data:`analytics.facilities.params.DEMOLITION_YEN_PER_M2` or the planner's value). ``access``:
    :func:`access_change` of the same plan, residents, ``beyond_m`` and ``subcategories`` when the
    caller holds it (computed here otherwise). Raises
    ValueError for unknown facilities in ``plan`` or a negative demolition unit cost."""
    if not float(demolition_yen_per_m2) >= 0:
        raise ValueError(f"demolition_yen_per_m2 must be 0 or more, got {demolition_yen_per_m2!r}")
    fac = facilities.assign(facility_id=facilities["facility_id"].astype(str)).set_index("facility_id", drop=False)
    unknown = sorted({*plan.removed, *plan.merges.values()} - set(fac.index))
    if unknown:
        raise ValueError(f"unknown facility_id in the plan: {unknown}")
    removed = list(plan.removed)
    card = cards.assign(facility_id=cards["facility_id"].astype(str)).set_index("facility_id")

    # -- what the removed facilities cost and earn (the savings follow the visits' move below)
    per_building = projection.by_building.groupby("building_id")["cost_yen"].sum()
    b = buildings.assign(facility_id=buildings["facility_id"].astype(str))
    renewal = b["building_id"].map(per_building).fillna(0.0).groupby(b["facility_id"]).sum()
    s = pd.DataFrame({"facility_id": removed,
                      "action": ["close"] * len(plan.closures) + ["merge"] * len(plan.merges)})
    for col in ("floor_area_m2", "operating_cost_yen", "fee_revenue_yen"):
        s[col] = card[col].reindex(removed).astype(float).fillna(0.0).to_numpy()

    # -- where the visits go
    remaining = fac[~fac.index.isin(removed)]
    xy = pd.DataFrame(geo.points_plane_xy(fac),
                      index=fac.index, columns=["x", "y"])
    rows = []
    for fid in removed:
        if fid in plan.merges:
            receiver = plan.merges[fid]
        else:
            same = remaining[remaining["subcategory"] == fac.at[fid, "subcategory"]]
            if len(same):
                d = np.hypot(*(xy.loc[same.index].to_numpy() - xy.loc[fid].to_numpy()).T)
                receiver = str(same.index[int(np.argmin(d))])
            else:
                receiver = None
        dist = float(np.hypot(*(xy.loc[receiver] - xy.loc[fid]))) if receiver is not None else np.nan
        visits = card["visits"].astype(float).get(fid, np.nan)
        rows.append({"facility_id": fid, "receiver_id": receiver, "visits": visits, "distance_m": dist})
    reassignment = pd.DataFrame(rows, columns=["facility_id", "receiver_id", "visits", "distance_m"])
    reassignment["share_moved"] = decay.share(reassignment["distance_m"].to_numpy(dtype=float))
    reassignment["visits_moved"] = reassignment["visits"] * reassignment["share_moved"]
    got = reassignment.dropna(subset=["receiver_id"])
    received = got.groupby("receiver_id")[["visits_moved", "visits"]].sum(min_count=1)
    load = pd.DataFrame({"facility_id": received.index.astype(str)})
    load["visits_before"] = card["visits"].astype(float).reindex(load["facility_id"]).to_numpy()
    load["capacity"] = card["capacity"].astype(float).reindex(load["facility_id"]).to_numpy()
    capacity = load["capacity"].where(load["capacity"] > 0)
    for suffix, col in (("", "visits_moved"), ("_all", "visits")):
        load[f"received{suffix}"] = received[col].to_numpy(dtype=float)
        load[f"visits_after{suffix}"] = load["visits_before"] + load[f"received{suffix}"]
        load[f"load{suffix}"] = load[f"visits_after{suffix}"] / capacity
    load = load[["facility_id", "visits_before", "received", "visits_after", "capacity", "load", "received_all",
                 "visits_after_all", "load_all"]]

    # -- savings over the horizon: running costs less the fees lost, renewal avoided, less demolition
    share = reassignment.set_index("facility_id")["share_moved"].reindex(removed).fillna(0.0).to_numpy()
    s["fees_kept_yen"] = np.where(s["action"] == "merge", s["fee_revenue_yen"] * share, 0.0)
    s["net_operating_yen"] = s["operating_cost_yen"] - (s["fee_revenue_yen"] - s["fees_kept_yen"])
    s["avoided_renewal_yen"] = renewal.reindex(removed).fillna(0.0).to_numpy()
    s["demolition_yen"] = s["floor_area_m2"] * float(demolition_yen_per_m2)
    s["total_yen"] = s["net_operating_yen"] * projection.years + s["avoided_renewal_yen"] - s["demolition_yen"]

    if access is None:
        access = access_change(facilities, plan, mesh_residents, beyond_m=beyond_m, subcategories=subcategories)
    return Consolidation(savings=s, reassignment=reassignment, load=load, access=access.summary,
                         mesh_access=access.mesh, beyond_m=access.beyond_m, years=projection.years, decay=decay,
                         demolition_yen_per_m2=float(demolition_yen_per_m2))


@dataclass(frozen=True)
class AccessChange:
    """Residents' straight-line distance to the nearest facility of each subcategory a plan
    touches, before and after it (see :func:`access_change`)."""

    summary: pd.DataFrame  # Consolidation.access
    mesh: pd.DataFrame  # Consolidation.mesh_access
    beyond_m: float


def access_change(facilities: pd.DataFrame, plan: ConsolidationPlan, mesh_residents: pd.DataFrame, *,
                  beyond_m: float = 1000.0, subcategories: Sequence[str] = ()) -> AccessChange:
    """The access part of :func:`consolidation`: for every subcategory ``plan`` touches and each
    of ``subcategories``, each mesh's distance (m, straight line between the mesh centre and the
    facility point) to the nearest facility before and after the plan, and per district and for
    the city the residents' mean distance and the residents beyond ``beyond_m``. It depends on
    neither the renewal projection nor the costs, so a page can keep it while those change."""
    fac = facilities.assign(facility_id=facilities["facility_id"].astype(str)).set_index("facility_id", drop=False)
    removed = list(plan.removed)
    res = mesh_residents[["mesh_code", "district_id", "residents"]].reset_index(drop=True)
    res_xy = geo.mesh_plane_xy(res["mesh_code"]) if len(res) else np.zeros((0, 2))
    frames = []
    for sub in dict.fromkeys([*fac.loc[removed, "subcategory"], *subcategories]):
        before = fac[fac["subcategory"] == sub]
        moved_in = [plan.merges[f] for f in removed if f in plan.merges and fac.at[f, "subcategory"] == sub]
        after = pd.concat([before[~before.index.isin(removed)], fac.loc[moved_in]])
        d_before = geo.nearest_distance_m(res_xy, geo.points_plane_xy(before))[0]
        d_after = geo.nearest_distance_m(res_xy, geo.points_plane_xy(after))[0]
        frames.append(res.assign(subcategory=sub, distance_before_m=d_before, distance_after_m=d_after))
    columns = ["subcategory", "mesh_code", "district_id", "residents", "distance_before_m", "distance_after_m"]
    mesh = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    return AccessChange(summary=_access_summary(mesh, beyond_m), mesh=mesh, beyond_m=float(beyond_m))
