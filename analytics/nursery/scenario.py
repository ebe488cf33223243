"""The nursery page's parameters and the demand its placement plans for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from analytics.core.projection import NotEnoughData
from analytics.core.publication import Publication
from analytics.nursery.counting import DEFAULT_REACH_KM, REACHES_KM
from analytics.nursery.demand import DemandParams, DemandProjection
from analytics.nursery.need import published_projected_waitlist
from analytics.nursery.placement import PlacementParams, mesh_demand
from analytics.nursery.publication import waiting_by_district


@dataclass(frozen=True)
class NurseryParams:
    """Every input of the 保育所配置 page in one object (the Streamlit view builds it from widgets)."""

    fiscal_year: int
    map_band: str = "1-2"  # the age band the district map shows
    demand: DemandParams = DemandParams()
    placement: PlacementParams = PlacementParams()
    plan_for_projection: bool = True  # place for the projected waitlist (else today's)
    # The counting rules' reach: a free place within it makes a child who wants only specific
    # facilities not officially waiting, and the projected waitlist weighs applications against
    # the places within it. One of the published reaches (an audited count exists for each).
    reach_km: float = DEFAULT_REACH_KM

    def __post_init__(self) -> None:
        if self.reach_km not in REACHES_KM:
            raise ValueError(f"reach_km must be one of {REACHES_KM}")

    @property
    def reach_m(self) -> float:
        return self.reach_km * 1000

    @property
    def target_year(self) -> int:
        return self.fiscal_year + (self.demand.horizon if self.plan_for_projection else 0)


def demand_scenario(params: NurseryParams) -> NurseryParams:
    """``params`` with only what :func:`scenario_demand` reads (the year, the projection, the
    reach and the placement's target; the rest at its defaults): a key under which scenarios
    that differ only in budget, walk or sites share their demand."""
    return dataclasses.replace(params, placement=PlacementParams(target=params.placement.target))


def scenario_demand(pub: Publication, demand: DemandProjection | None, meshes: pd.DataFrame,
                    params: NurseryParams, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """The demand a placement scenario serves: published waiting children of ``params.fiscal_year``
    (:func:`waiting_by_district`; the official waitlist at ``params.reach_km``), or, planning for
    the projection, those of the target year (:func:`analytics.nursery.need.published_projected_waitlist`:
    ``demand``, itself from the published inputs, against ``places`` —
    :func:`analytics.nursery.counting.vacancies` — within the same reach), spread over meshes by
    their published residents (:func:`mesh_demand`)."""
    from analytics.city import published_mesh_residents

    if params.plan_for_projection:
        if demand is None:
            raise NotEnoughData("needs.projection_history", "planning for a projected year needs the projection")
        if places is None:
            raise ValueError("planning for a projected year needs the places (nursery capacity)")
        waiting = published_projected_waitlist(pub, demand, places, meshes, params.target_year, params.reach_m)
        measure = "official" if params.placement.target == "official" else "not_admitted"
        waiting = waiting.assign(waiting=waiting[measure])
    else:
        waiting = waiting_by_district(pub, params.fiscal_year, params.placement.target, params.reach_km)
    return mesh_demand(waiting, published_mesh_residents(pub, meshes))
