"""Public facilities: ageing and the renewal cost projection by the MIC 更新費用試算 method.

:func:`renewal_cost_projection` estimates what keeping every public building costs over a
horizon (40 fiscal years by default), the way 公共施設等総合管理計画 do it: 総務省「公共施設等更新費用
試算ソフト」(2011), whose method comes from 財団法人自治総合センター「地方公共団体の財政分析等に関する
調査研究報告書」(2011). The handling of backlogs (積み残し) follows the same method as restated in
加古川市「公共施設等総合管理計画」, which also supplies the long-life scenario
(:func:`long_life_params`).

Units: money in yen (円; the MIC table is in 万円/m² and is stored ×10,000 in 円/m²), floor
area in m², years are fiscal years (年度, April–March) and an age is ``fiscal_year −
built_year`` (``built_year`` is the fiscal year of completion, so a building completed in
FY2000 is aged 26 in FY2026).

The rules, for a building of category ``c`` and floor area ``A`` (``r``/``R`` the renovation /
rebuild unit costs of ``c``, defaults :data:`MIC_RENOVATION_YEN_PER_M2` /
:data:`MIC_REBUILD_YEN_PER_M2`; ``a`` its age at ``start_fy``; the ages below are those of
:class:`RenewalParams`, defaults 30 / 60):

* **Renovation (大規模改修)** costs ``A·r``. With ``a ≤ renovation_age`` it is on schedule: it
  starts in ``built_year + renovation_age`` and is spread evenly over ``renovation_years``
  (2) years — a building aged exactly 30 at the start is renovated in ``start_fy`` and the
  next year, not as backlog. With ``a`` in ``backlog_renovation_ages`` (inclusive; 31–50) the
  renovation was missed: its cost is spread evenly over the first ``backlog_years`` (10)
  years of the horizon (kind ``backlog_renovation``). Any other age (51–59 by default, or
  ages between ``renovation_age`` and the range's lower bound if that is set higher) gets no
  renovation: the building is too close to its rebuild.
* **Rebuild (建替え)** costs ``A·f·R`` with ``f`` = ``floor_area_factor_at_rebuild``: the
  building is rebuilt at ``f`` times its floor area (1.0 = same size; 0.8 for a −20% floor
  area target) and the rebuild pays for the new, possibly smaller building. With ``a <
  rebuild_age`` it starts in ``built_year + rebuild_age`` and is spread evenly over
  ``rebuild_years`` (3) years. With ``a ≥ rebuild_age`` (60 and over — note the asymmetry
  with renovation: a building aged exactly 60 is already due, as in the MIC software) it is
  spread evenly over the first ``backlog_years`` years (kind ``backlog_rebuild``).
* **Mid-scale repairs (中規模改修)**, only when ``mid_repair_ages`` is set: at each such age
  ``m`` with ``a ≤ m``, one year at ``built_year + m`` costing ``mid_repair_share · A·R``
  (a share of the building's rebuild cost at its current area). A missed mid-scale repair
  (``a > m``) is not carried as backlog, and one that falls due within the backlog period of a
  building getting the backlog renovation is taken to be part of that renovation (under the
  long-life scenario a building aged 55 is renovated over FY2026–2035 and not repaired again at
  60, five years on).
* **New cycle.** The rebuilt building (floor area ``A·f``) counts as built in the *last* year
  of its rebuild spending: ``built_year + rebuild_age + rebuild_years − 1`` for an on-schedule
  rebuild (a building completed in FY1970 is rebuilt FY2030–2032 and the new one counts as
  built in FY2032, renovated from FY2062), ``start_fy + backlog_years − 1`` for a backlog
  rebuild (FY2035 for a start in FY2026). Its cycle then runs on schedule with the same
  rules (renovation at +``renovation_age``, mid-scale repairs, rebuild at +``rebuild_age``
  with area ``A·f²`` …), for as many cycles as reach into the horizon.

Costs of years outside ``start_fy … start_fy + years − 1`` are dropped (a renovation starting
in the horizon's last year contributes only its first slice).

The page compares the yearly average with the city's recent investment in its buildings
(``past_investment``; 投資的経費 for 公共施設): :attr:`RenewalProjection.ratio_to_past`.

The helpers :func:`floor_area_by_category`, :func:`ageing_share` and
:func:`built_year_histogram` describe the stock for the same page.
"""

from __future__ import annotations

from analytics.core.domain import Domain
from analytics.facilities.cards import (
    SCREENING_GROUPS,
    facility_cards,
    latest_year,
    screening,
    screening_proposal,
    utilisation_rank,
)
from analytics.facilities.consolidation import (
    ALL_VISITS_MOVE,
    CITY,
    AccessChange,
    Consolidation,
    ConsolidationPlan,
    DistanceDecay,
    access_change,
    consolidation,
    floor_area_per_resident,
    nearest_facility_access,
)
from analytics.facilities.datasets import DATASETS
from analytics.facilities.home_card import HOME_CARD
from analytics.facilities.messages import MESSAGES
from analytics.facilities.params import (
    DEMOLITION_YEN_PER_M2,
    HALF_DISTANCE_M,
    SCENARIOS,
    FacilitiesParams,
)
from analytics.facilities.renewal import (
    BUILDING_COLUMNS,
    CATEGORIES,
    DEFAULT_START_FY,
    KINDS,
    LONG_LIFE_BACKLOG_RENOVATION_AGES,
    MAN_YEN,
    MIC_REBUILD_YEN_PER_M2,
    MIC_RENOVATION_YEN_PER_M2,
    NEW_SEISMIC_FY,
    PAST_AVERAGE_YEARS,
    PAST_COLUMNS,
    RenewalParams,
    RenewalProjection,
    ScenarioComparison,
    TimingRule,
    ageing_share,
    built_year_histogram,
    compare_scenarios,
    earliest_start_fy,
    floor_area_by_category,
    floor_area_stock,
    long_life_params,
    rebuilt_floor_area,
    reduction_params,
    renewal_cost_projection,
    renewal_params_from_table,
    timing_rules,
    unit_cost_table,
)

DOMAIN = Domain("facilities", DATASETS, MESSAGES, synth_part="analytics.facilities.synth:facilities_part",
                home_card=HOME_CARD, calibration="analytics.facilities.calibration:calibration_figures")

# the public API: pages and other packages import these names from the package, never its modules
__all__ = [
    "DOMAIN",
    "ALL_VISITS_MOVE",
    "AccessChange",
    "access_change",
    "BUILDING_COLUMNS",
    "CATEGORIES",
    "CITY",
    "Consolidation",
    "ConsolidationPlan",
    "DATASETS",
    "DEFAULT_START_FY",
    "earliest_start_fy",
    "DEMOLITION_YEN_PER_M2",
    "DistanceDecay",
    "FacilitiesParams",
    "HALF_DISTANCE_M",
    "HOME_CARD",
    "KINDS",
    "LONG_LIFE_BACKLOG_RENOVATION_AGES",
    "MAN_YEN",
    "MESSAGES",
    "MIC_REBUILD_YEN_PER_M2",
    "MIC_RENOVATION_YEN_PER_M2",
    "NEW_SEISMIC_FY",
    "PAST_AVERAGE_YEARS",
    "PAST_COLUMNS",
    "RenewalParams",
    "RenewalProjection",
    "SCENARIOS",
    "SCREENING_GROUPS",
    "ScenarioComparison",
    "TimingRule",
    "ageing_share",
    "built_year_histogram",
    "compare_scenarios",
    "consolidation",
    "facility_cards",
    "floor_area_by_category",
    "floor_area_per_resident",
    "floor_area_stock",
    "latest_year",
    "long_life_params",
    "nearest_facility_access",
    "rebuilt_floor_area",
    "reduction_params",
    "renewal_cost_projection",
    "renewal_params_from_table",
    "screening",
    "screening_proposal",
    "timing_rules",
    "unit_cost_table",
    "utilisation_rank",
]
