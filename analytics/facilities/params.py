"""The facilities page's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.core import geo
from analytics.facilities.consolidation import ConsolidationPlan, DistanceDecay
from analytics.facilities.renewal import RenewalParams, long_life_params, reduction_params

SCENARIOS: tuple[str, ...] = ("simple", "long_life", "reduction")
"""Renewal scenarios of the page: the MIC method as it is, long life (加古川市), floor-area target."""

DEMOLITION_YEN_PER_M2: float = 30_000.0
"""Demolition (除却) unit cost, 円/㎡ of floor area (3万円/㎡): a project assumption. The MIC renewal
software has no demolition cost; plans that count it use local unit costs, often a few 万円/㎡
(no source for this value; set the city's own on the page)."""

HALF_DISTANCE_M: float = 2_000.0
"""The distance decay's default half distance (m) when the page's option is on: half of a removed
facility's visits move to a receiver 2 km away (:class:`DistanceDecay`). A project assumption,
not a measured travel behaviour."""


@dataclass(frozen=True)
class FacilitiesParams:
    """Everything the 公共施設マネジメント page lets a planner set (one object, as the model's input).

    ``renewal``: the simple scenario's assumptions (unit costs, cycles); ``mid_repairs``: add
    the 加古川市 mid-scale repairs to the long-life scenario; ``reduction_target``: the
    floor-area target of the third scenario (0.2 = −20% by the horizon's end, at rebuilds);
    ``scenario``: the one in force for the consolidation's avoided renewal costs;
    ``utilisation_percentile`` / ``screening_age_years``: the screening thresholds;
    ``plan``: what closes or merges; ``beyond_m``: the access distance (a step of
    :data:`analytics.core.geo.FACILITY_ACCESS_STEPS_M`); ``demolition_yen_per_m2``: the
    demolition unit cost subtracted from the consolidation's savings (円/㎡, project assumption
    :data:`DEMOLITION_YEN_PER_M2`); ``decay``: the share of visits that move to a receiver
    (every visit by default: the upper bound of its load)."""

    start_fy: int = 2026
    years: int = 40
    renewal: RenewalParams = field(default_factory=RenewalParams)
    mid_repairs: bool = False
    reduction_target: float = 0.2
    scenario: str = "simple"
    utilisation_percentile: float = 0.4
    screening_age_years: float = 40.0
    plan: ConsolidationPlan = field(default_factory=ConsolidationPlan)
    beyond_m: int = 1000
    demolition_yen_per_m2: float = DEMOLITION_YEN_PER_M2
    decay: DistanceDecay = field(default_factory=DistanceDecay)

    def __post_init__(self) -> None:
        if self.scenario not in SCENARIOS:
            raise ValueError(f"scenario must be one of {SCENARIOS}, got {self.scenario!r}")
        if self.beyond_m not in geo.FACILITY_ACCESS_STEPS_M:
            raise ValueError(f"beyond_m must be one of {geo.FACILITY_ACCESS_STEPS_M}, got {self.beyond_m!r}")
        if not 0 < self.utilisation_percentile < 1:
            raise ValueError(f"utilisation_percentile must be within 0 … 1, got {self.utilisation_percentile!r}")
        if not self.demolition_yen_per_m2 >= 0:
            raise ValueError(f"demolition_yen_per_m2 must be 0 or more, got {self.demolition_yen_per_m2!r}")

    def renewal_scenarios(self, buildings: pd.DataFrame) -> dict[str, RenewalParams]:
        """The three scenarios' assumptions, in :data:`SCENARIOS` order."""
        reduction, _ = reduction_params(buildings, self.reduction_target, self.start_fy, self.years, self.renewal)
        return {"simple": self.renewal, "long_life": long_life_params(self.renewal, with_mid_repairs=self.mid_repairs),
                "reduction": reduction}
