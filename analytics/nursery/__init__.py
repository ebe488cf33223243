"""Nursery placement (保育所配置), the Himeji case: official and hidden waitlist, supply and demand,
demand projection, access to vacancies and where new capacity cuts the waitlist most.

Counting follows the national rules (こども家庭庁「保育所等利用待機児童数調査要領」, revised 2017;
see ``shared/domain.md``). Counts are as of 1 April of each fiscal year (年度, April–March);
ages are completed years on that date and the national age bands are 0歳, 1・2歳 and 3〜5歳.
A child *applies* when an application for an authorised facility (認可保育所, 認定こども園,
小規模保育, 家庭的保育) is in on 1 April, continuing children included (as the national count
does); a child is *admitted* when in care at one of them on that date. A child not admitted
is excluded from the official waitlist (待機児童) by the first of these rules that applies,
in this order, and counted in the *hidden waitlist* (隠れ待機児童) instead:

1. ``local_program`` — cared for in a local government's own programme, 企業主導型 care or a
   kindergarten's extended care;
2. ``parental_leave`` — a parent on childcare leave whose intention to return to work on
   admission is NOT confirmed (confirmed leave stays in the official count since 2017);
3. ``job_search_paused`` — the parents' job search is confirmed paused;
4. ``specific_only`` — the family wants only the facilities it listed although an
   authorised facility with a free place (capacity − enrolled > 0) for the child's age that
   April lies within ``reach_km`` (the rule's "reasonable reach", default 2 km straight line
   from the centre of the child's 500 m mesh) — computed from the data, never a stored flag.
   The official and hidden counts are also published at every reach of ``REACHES_KM``
   (1, 2, 3 and 5 km) for the latest year: the count moves a lot with the reach, and a
   scenario may choose one of them.

Everything else not admitted is ``official``; ``hidden = not_admitted − official``.

Analysis functions return exact counts. Counts of children leave ``analytics`` only through
the publication (:func:`nursery_block`, suppressed with the residents they are part of);
capacity, enrolment and vacancies of facilities are facility statistics that cities publish
(空き状況) and are shown as they are.
"""

from __future__ import annotations

from analytics.core.domain import Domain
from analytics.nursery.counting import (
    AGE_BANDS,
    AGES,
    AUTHORISED_TYPES,
    BAND_OF_AGE,
    BANDS,
    DEFAULT_REACH_KM,
    DISTRICT_MEASURES,
    EXCLUSIONS,
    FACILITY_TYPES,
    LOCAL_TYPES,
    MEASURES,
    REACHES_KM,
    TOTAL,
    WaitlistBreakdown,
    access_counts,
    distance_to_vacancy_m,
    hidden_to_official,
    official_by_reach,
    outcome,
    supply_by_district,
    vacancies,
    vacancy_distance,
    waiting_children,
    waitlist_breakdown,
)
from analytics.nursery.datasets import DATASETS
from analytics.nursery.demand import (
    DEVELOPMENT_CHILDREN_PER_FAMILY,
    MAX_APPLICATION_RATE,
    DemandInputs,
    DemandParams,
    DemandProjection,
    RateModel,
    application_cells,
    backtest_demand,
    coefficient_draws,
    demand_change_pct,
    demand_fan,
    fan_table,
    fit_application_rates,
    project_demand,
)
from analytics.nursery.home_card import HOME_CARD
from analytics.nursery.messages import MESSAGES
from analytics.nursery.need import (
    band_places,
    place_shortage,
    projected_waitlist,
    published_projected_waitlist,
    rules_excluded_share,
)
from analytics.nursery.placement import (
    CapacityPlan,
    PlacementParams,
    before_after_table,
    estimate_text,
    mesh_demand,
    optimum_ratio,
    place_capacity,
    sites_table,
)
from analytics.nursery.publication import (
    access_share,
    nursery_block,
    nursery_download,
    nursery_table,
    nursery_years,
    published_applications,
    published_backtest,
    published_demand_inputs,
    published_district_bands,
    published_waitlist,
    reach_column,
    supply_demand,
    waiting_by_district,
    waitlist_by_reach,
    waitlist_trend,
    waterfall_frame,
)
from analytics.nursery.scenario import (
    NurseryParams,
    demand_scenario,
    scenario_demand,
)

DOMAIN = Domain("nursery", DATASETS, MESSAGES, synth_part="analytics.nursery.synth:nursery_part", home_card=HOME_CARD,
                calibration="analytics.nursery.calibration:calibration_figures")

# the public API: pages and other packages import these names from the package, never its modules
__all__ = [
    "DOMAIN",
    "AGES",
    "AGE_BANDS",
    "AUTHORISED_TYPES",
    "BANDS",
    "BAND_OF_AGE",
    "CapacityPlan",
    "DATASETS",
    "DEFAULT_REACH_KM",
    "REACHES_KM",
    "DEVELOPMENT_CHILDREN_PER_FAMILY",
    "DISTRICT_MEASURES",
    "DemandInputs",
    "DemandParams",
    "DemandProjection",
    "RateModel",
    "EXCLUSIONS",
    "FACILITY_TYPES",
    "HOME_CARD",
    "LOCAL_TYPES",
    "MAX_APPLICATION_RATE",
    "MEASURES",
    "MESSAGES",
    "NurseryParams",
    "PlacementParams",
    "TOTAL",
    "WaitlistBreakdown",
    "access_counts",
    "access_share",
    "application_cells",
    "backtest_demand",
    "band_places",
    "before_after_table",
    "coefficient_draws",
    "demand_change_pct",
    "demand_fan",
    "fan_table",
    "distance_to_vacancy_m",
    "estimate_text",
    "sites_table",
    "fit_application_rates",
    "hidden_to_official",
    "mesh_demand",
    "nursery_block",
    "nursery_download",
    "nursery_table",
    "nursery_years",
    "optimum_ratio",
    "outcome",
    "place_capacity",
    "place_shortage",
    "project_demand",
    "projected_waitlist",
    "published_applications",
    "published_backtest",
    "published_demand_inputs",
    "published_district_bands",
    "published_projected_waitlist",
    "published_waitlist",
    "rules_excluded_share",
    "demand_scenario",
    "scenario_demand",
    "supply_by_district",
    "supply_demand",
    "vacancies",
    "vacancy_distance",
    "waiting_by_district",
    "waitlist_by_reach",
    "official_by_reach",
    "reach_column",
    "waiting_children",
    "waitlist_breakdown",
    "waitlist_trend",
    "waterfall_frame",
]
