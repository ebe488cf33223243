"""Consolidation (統廃合) and access: what closing facilities does to floor area, cost and the residents'
distance to the nearest remaining one.
"""

from __future__ import annotations

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
class Consolidation:
    """Result of :func:`consolidation` (money in yen over ``years`` fiscal years).

    * ``savings``, one row per removed facility: ``facility_id``, ``action`` (close / merge),
      ``floor_area_m2``, ``operating_cost_yen`` and ``fee_revenue_yen`` (a year, from the
      facility cards), ``net_operating_yen`` (= cost − fees), ``avoided_renewal_yen`` (the
      projection's costs of its buildings over the horizon), ``total_yen`` = net operating ×
      years + avoided renewal. Receiving facilities' extra running costs are not modelled.
    * ``reassignment``: ``facility_id``, ``receiver_id`` (None when no facility of the
      subcategory remains), ``visits``, ``distance_m`` between the two.
    * ``load``: per receiving facility ``visits_before``, ``received``, ``visits_after``,
      ``capacity`` and ``load`` = visits after ÷ capacity (NaN without a capacity).
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

    @property
    def floor_area_saved_m2(self) -> float:
        return float(self.savings["floor_area_m2"].sum())

    @property
    def yearly_operating_saved_yen(self) -> float:
        return float(self.savings["net_operating_yen"].sum())

    @property
    def avoided_renewal_yen(self) -> float:
        return float(self.savings["avoided_renewal_yen"].sum())

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
                  beyond_m: float = 1000.0, subcategories: Sequence[str] = ()) -> Consolidation:
    """What closing and merging the facilities of ``plan`` saves, where their visits go and what it
    does to residents' access (see :class:`Consolidation`).

    ``cards`` is :func:`facility_cards` for the year whose running costs are saved;
    ``projection`` the renewal projection of ``buildings`` under the scenario in force (its
    horizon gives ``years``); ``mesh_residents`` has ``mesh_code``, ``district_id`` and
    ``residents`` (e.g. :func:`analytics.city.published_mesh_residents`). Visits are
    延べ利用者数 (facility statistics); the access figures count residents. Distances are
    straight lines between mesh centres and facility points. Access is measured for every
    subcategory the plan touches and for ``subcategories`` (so the current access of a service
    can be seen before anything closes). Raises ValueError for unknown facilities in ``plan``."""
    fac = facilities.assign(facility_id=facilities["facility_id"].astype(str)).set_index("facility_id", drop=False)
    unknown = sorted({*plan.removed, *plan.merges.values()} - set(fac.index))
    if unknown:
        raise ValueError(f"unknown facility_id in the plan: {unknown}")
    removed = list(plan.removed)
    card = cards.assign(facility_id=cards["facility_id"].astype(str)).set_index("facility_id")

    # -- savings
    per_building = projection.by_building.groupby("building_id")["cost_yen"].sum()
    b = buildings.assign(facility_id=buildings["facility_id"].astype(str))
    renewal = b["building_id"].map(per_building).fillna(0.0).groupby(b["facility_id"]).sum()
    s = pd.DataFrame({"facility_id": removed,
                      "action": ["close"] * len(plan.closures) + ["merge"] * len(plan.merges)})
    for col in ("floor_area_m2", "operating_cost_yen", "fee_revenue_yen"):
        s[col] = card[col].reindex(removed).astype(float).fillna(0.0).to_numpy()
    s["net_operating_yen"] = s["operating_cost_yen"] - s["fee_revenue_yen"]
    s["avoided_renewal_yen"] = renewal.reindex(removed).fillna(0.0).to_numpy()
    s["total_yen"] = s["net_operating_yen"] * projection.years + s["avoided_renewal_yen"]

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
    got = reassignment.dropna(subset=["receiver_id"])
    received = got.groupby("receiver_id")["visits"].sum(min_count=1)
    load = pd.DataFrame({"facility_id": received.index.astype(str)})
    load["visits_before"] = card["visits"].astype(float).reindex(load["facility_id"]).to_numpy()
    load["received"] = received.to_numpy(dtype=float)
    load["visits_after"] = load["visits_before"] + load["received"]
    load["capacity"] = card["capacity"].astype(float).reindex(load["facility_id"]).to_numpy()
    load["load"] = load["visits_after"] / load["capacity"].where(load["capacity"] > 0)

    # -- access, per subcategory whose network changes
    res = mesh_residents[["mesh_code", "district_id", "residents"]].reset_index(drop=True)
    frames = []
    for sub in dict.fromkeys([*fac.loc[removed, "subcategory"], *subcategories]):
        before = fac[fac["subcategory"] == sub]
        moved_in = [plan.merges[f] for f in removed if f in plan.merges and fac.at[f, "subcategory"] == sub]
        after = pd.concat([before[~before.index.isin(removed)], fac.loc[moved_in]])
        d_before = nearest_facility_access(res, before)["distance_m"]
        d_after = nearest_facility_access(res, after)["distance_m"]
        frames.append(res.assign(subcategory=sub, distance_before_m=d_before.to_numpy(),
                                 distance_after_m=d_after.to_numpy()))
    columns = ["subcategory", "mesh_code", "district_id", "residents", "distance_before_m", "distance_after_m"]
    mesh = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    return Consolidation(savings=s, reassignment=reassignment, load=load, access=_access_summary(mesh, beyond_m),
                         mesh_access=mesh, beyond_m=float(beyond_m), years=projection.years)
