"""Residents and their changes: the population domain's publication blocks and downloads.

Population is counted on 1 April of each fiscal year (年度, April–March); births, deaths and
moves are counted during a fiscal year. Age groups follow the national convention: 年少人口
0–14, 生産年齢人口 15–64, 老年人口 65+; the ageing rate (高齢化率) is residents aged 65+ ÷ all
residents (総務省統計局「人口推計」の定義). Every count is of persons.

This module contributes two blocks to the one publication (:mod:`analytics.core.publication`):

* :func:`population_block` — per fiscal year: district × sex × 5-year age group (``100+``
  last), its district × sex and band × sex margins, the city by sex, district × broad age
  group, district, broad age group and city totals, with every sum between them; for the
  latest year also residents per 500 m mesh (as 国勢調査's 地域メッシュ統計 publish them),
  each district's meshes summing to the district: the facilities' access figures are
  computed from these (:func:`published_mesh_residents`);
* :func:`change_block` — births, deaths and moves by district × fiscal year with their
  totals, and the demographic balance that ties them to the residents:
  ``residents(t+1) − residents(t) − births + deaths − moved_in + moved_out = 0``.

and the download forms of both (:func:`population_download`, :func:`change_download`).
The cohort-component projection (:func:`project_population`, in :mod:`analytics.core.projection`)
is part of this domain: the nursery demand and the floor area per resident use it.
"""

from __future__ import annotations

from analytics.city.datasets import DATASETS
from analytics.city.messages import MESSAGES
from analytics.city.overview import CityOverview, city_overview
from analytics.city.population import (
    AGE_GROUPS,
    BAND,
    BANDS,
    CHANGE_MEASURES,
    GROUP_OF_BAND,
    SEXES,
    TOP_AGE,
    TOTAL,
    graduate_ages,
    with_district,
)
from analytics.city.publication import (
    change_block,
    change_download,
    population_block,
    population_download,
    population_table,
    population_years,
    publication_districts,
    published_change,
    published_mesh_residents,
    published_projection,
    published_residents,
    residents_outlook,
)
from analytics.core.domain import Domain
from analytics.core.projection import (
    PopulationProjection,
    ProjectionParams,
    backtest_population,
    project_population,
)

DOMAIN = Domain("city", DATASETS, MESSAGES, synth_part="analytics.city.synth:city_part")

# the public API: pages and other packages import these names from the package, never its modules
__all__ = [
    "DOMAIN",
    "AGE_GROUPS",
    "BAND",
    "BANDS",
    "CHANGE_MEASURES",
    "CityOverview",
    "DATASETS",
    "GROUP_OF_BAND",
    "MESSAGES",
    "PopulationProjection",
    "ProjectionParams",
    "SEXES",
    "TOP_AGE",
    "TOTAL",
    "backtest_population",
    "change_block",
    "change_download",
    "city_overview",
    "graduate_ages",
    "population_block",
    "population_download",
    "population_table",
    "population_years",
    "project_population",
    "publication_districts",
    "published_change",
    "published_mesh_residents",
    "published_projection",
    "published_residents",
    "residents_outlook",
    "with_district",
]
