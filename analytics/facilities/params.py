"""The facilities page's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.core import geo
from analytics.facilities.consolidation import ConsolidationPlan
from analytics.facilities.renewal import RenewalParams, long_life_params, reduction_params

SCENARIOS: tuple[str, ...] = ("simple", "long_life", "reduction")
"""Renewal scenarios of the page: the MIC method as it is, long life (加古川市), floor-area target."""


@dataclass(frozen=True)
class FacilitiesParams:
    """Everything the 公共施設マネジメント page lets a planner set (one object, as the model's input).

    ``renewal``: the simple scenario's assumptions (unit costs, cycles); ``mid_repairs``: add
    the 加古川市 mid-scale repairs to the long-life scenario; ``reduction_target``: the
    floor-area target of the third scenario (0.2 = −20% by the horizon's end, at rebuilds);
    ``scenario``: the one in force for the consolidation's avoided renewal costs;
    ``utilisation_percentile`` / ``screening_age_years``: the screening thresholds;
    ``plan``: what closes or merges; ``beyond_m``: the access distance (a step of
    :data:`analytics.core.geo.FACILITY_ACCESS_STEPS_M`)."""

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

    def __post_init__(self) -> None:
        if self.scenario not in SCENARIOS:
            raise ValueError(f"scenario must be one of {SCENARIOS}, got {self.scenario!r}")
        if self.beyond_m not in geo.FACILITY_ACCESS_STEPS_M:
            raise ValueError(f"beyond_m must be one of {geo.FACILITY_ACCESS_STEPS_M}, got {self.beyond_m!r}")
        if not 0 < self.utilisation_percentile < 1:
            raise ValueError(f"utilisation_percentile must be within 0 … 1, got {self.utilisation_percentile!r}")

    def renewal_scenarios(self, buildings: pd.DataFrame) -> dict[str, RenewalParams]:
        """The three scenarios' assumptions, in :data:`SCENARIOS` order."""
        reduction, _ = reduction_params(buildings, self.reduction_target, self.start_fy, self.years, self.renewal)
        return {"simple": self.renewal, "long_life": long_life_params(self.renewal, with_mid_repairs=self.mid_repairs),
                "reduction": reduction}
