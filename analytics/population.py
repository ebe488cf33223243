"""Population figures of the city and its districts: totals, ageing, pyramid, births.

Population is counted on 1 April of each fiscal year (年度, April–March). Age groups
follow the national convention: 年少人口 0–14, 生産年齢人口 15–64, 老年人口 65+;
the ageing rate (高齢化率) is residents aged 65+ ÷ all residents
(総務省統計局「人口推計」の定義). Every count is of persons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

AGE_GROUPS: dict[str, tuple[int, int]] = {"age_0_14": (0, 14), "age_15_64": (15, 64), "age_65_plus": (65, 200)}


def with_district(population: pd.DataFrame, meshes: pd.DataFrame) -> pd.DataFrame:
    """Population rows with the ``district_id`` of their mesh (rows of unknown meshes dropped)."""
    lookup = meshes.set_index("mesh_code")["district_id"]
    out = population.assign(district_id=population["mesh_code"].map(lookup))
    return out[out["district_id"].notna()]


def _age_group_sums(population: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    bins = [-1, 14, 64, np.inf]
    group = pd.cut(population["age"], bins=bins, labels=list(AGE_GROUPS)).astype(str)
    wide = population.assign(group=group).pivot_table(
        index=by, columns="group", values="population", aggfunc="sum", fill_value=0, observed=True
    )
    wide = wide.reindex(columns=list(AGE_GROUPS), fill_value=0).astype(np.int64)
    wide.insert(0, "population", wide.sum(axis=1))
    wide["ageing_rate"] = wide["age_65_plus"] / wide["population"].where(wide["population"] > 0)
    wide.columns.name = None
    return wide.reset_index()


def population_by_year(population: pd.DataFrame) -> pd.DataFrame:
    """City totals per fiscal year: ``population`` and the three age groups (persons), ``ageing_rate`` (0–1)."""
    return _age_group_sums(population, ["fiscal_year"])


def district_population(population: pd.DataFrame, meshes: pd.DataFrame, fiscal_year: int | None = None) -> pd.DataFrame:
    """Per district for one fiscal year (default: the latest): residents, age groups, ageing rate,
    and ``change_pct``, the % change since the first fiscal year in the data."""
    pop = with_district(population, meshes)
    years = sorted(pop["fiscal_year"].unique())
    fy = years[-1] if fiscal_year is None else fiscal_year
    if fy not in years:
        raise ValueError(f"fiscal year {fy} not in the data ({years[0]}–{years[-1]})")
    now = _age_group_sums(pop[pop["fiscal_year"] == fy], ["district_id"])
    first = pop[pop["fiscal_year"] == years[0]].groupby("district_id")["population"].sum()
    now["change_pct"] = (now["population"] / now["district_id"].map(first) - 1) * 100
    now.insert(1, "fiscal_year", fy)
    return now


def population_pyramid(population: pd.DataFrame, fiscal_year: int, band: int = 5) -> pd.DataFrame:
    """Residents by ``band``-year age group and sex for one fiscal year (the last band is open, e.g. 100+).

    Columns: ``age_band`` (label such as ``"0-4"``, ``"100+"``), ``age_start``, ``M``, ``F``.
    """
    pop = population[population["fiscal_year"] == fiscal_year]
    start = (pop["age"] // band) * band
    table = pop.assign(age_start=start).pivot_table(
        index="age_start", columns="sex", values="population", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=["M", "F"], fill_value=0).astype(np.int64)
    top = int(pop["age"].max()) if len(pop) else 0
    table = table.reindex(range(0, top + 1, band), fill_value=0)
    labels = [f"{a}-{a + band - 1}" for a in table.index]
    if len(labels) and top == 100 and band > 1 and table.index[-1] == 100:
        labels[-1] = "100+"
    table.insert(0, "age_band", labels)
    table.columns.name = None
    return table.reset_index()[["age_band", "age_start", "M", "F"]]


def change_by_year(population_change: pd.DataFrame) -> pd.DataFrame:
    """City totals of births, deaths and moves per fiscal year, with natural change and
    ``births_change_pct`` (% change of births from the previous fiscal year)."""
    cols = ["births", "deaths", "moved_in", "moved_out", "net_migration"]
    out = population_change.groupby("fiscal_year", as_index=False)[cols].sum()
    out["natural_change"] = out["births"] - out["deaths"]
    out["births_change_pct"] = out["births"].pct_change() * 100
    return out


@dataclass(frozen=True)
class CityHeadline:
    """The city's headline figures for the home page.

    Counts are persons; rates are fractions (0–1); ``*_pct`` are percentages.
    """

    fiscal_year: int  # population as of 1 April of this fiscal year
    first_fiscal_year: int
    population: int
    population_change_pct: float  # since ``first_fiscal_year``
    ageing_rate: float
    ageing_rate_change_pt: float  # percentage points since ``first_fiscal_year``
    births_fiscal_year: int  # the latest complete fiscal year of births
    births: int
    births_change_pct: float  # vs the previous fiscal year
    births_first_fiscal_year: int
    births_change_since_first_pct: float


def city_headline(population: pd.DataFrame, population_change: pd.DataFrame) -> CityHeadline:
    """Headline figures: latest population and its change, ageing rate, births trend."""
    years = population_by_year(population)
    first, last = years.iloc[0], years.iloc[-1]
    births = change_by_year(population_change)
    b_first, b_last = births.iloc[0], births.iloc[-1]
    b_prev = births.iloc[-2] if len(births) > 1 else b_last
    return CityHeadline(
        fiscal_year=int(last["fiscal_year"]),
        first_fiscal_year=int(first["fiscal_year"]),
        population=int(last["population"]),
        population_change_pct=float((last["population"] / first["population"] - 1) * 100),
        ageing_rate=float(last["ageing_rate"]),
        ageing_rate_change_pt=float((last["ageing_rate"] - first["ageing_rate"]) * 100),
        births_fiscal_year=int(b_last["fiscal_year"]),
        births=int(b_last["births"]),
        births_change_pct=float((b_last["births"] / b_prev["births"] - 1) * 100),
        births_first_fiscal_year=int(b_first["fiscal_year"]),
        births_change_since_first_pct=float((b_last["births"] / b_first["births"] - 1) * 100),
    )
