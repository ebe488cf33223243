"""The home page's figures: the city's headline, trends, pyramid and district table.

Every count comes from the publication (:mod:`analytics.core.publication`): ``NaN`` where it is
hidden, with its label (``<10``, ``χ``) beside it. Changes and rates are computed from the
shown counts only, so a rate is ``NaN`` whenever a count it needs is hidden. Population is
counted on 1 April of each fiscal year; births during a fiscal year (April–March).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.city.population import AGE_GROUPS, SEXES
from analytics.city.publication import population_table, population_years
from analytics.core.publication import Publication, mark_counts


@dataclass(frozen=True)
class CityOverview:
    """Everything the home page shows; no raw count of people is held here.

    ``population`` and ``births`` are the shown counts (NaN when hidden) with their
    ``*_label``; ``by_year``: per fiscal year the city's residents by broad age group;
    ``change``: per fiscal year the city's births; ``pyramid``: 5-year bands × sex for the
    latest year; ``districts``: per district names, kind of area, residents, children,
    65+, ageing rate and change since the first year, with labels; ``area_km2``: the
    city's land area (km²). Frames mark their count columns in ``attrs``.
    """

    fiscal_year: int  # residents as of 1 April of this fiscal year
    first_fiscal_year: int
    births_fiscal_year: int  # the latest complete fiscal year of births
    births_first_fiscal_year: int
    population: float
    population_label: str
    births: float
    births_label: str
    by_year: pd.DataFrame
    change: pd.DataFrame
    pyramid: pd.DataFrame
    districts: pd.DataFrame
    area_km2: float

    @property
    def n_districts(self) -> int:
        return len(self.districts)

    @property
    def n_years(self) -> int:
        """Fiscal years between the first and the latest population (5 for six years of data)."""
        return self.fiscal_year - self.first_fiscal_year

    @property
    def births_n_years(self) -> int:
        """Fiscal years between the first and the latest year of births."""
        return self.births_fiscal_year - self.births_first_fiscal_year

    @property
    def population_change_pct(self) -> float:
        """% change of residents from the first to the latest fiscal year."""
        first, last = self.by_year["population"].iloc[0], self.by_year["population"].iloc[-1]
        return float((last / first - 1) * 100)

    @property
    def ageing_rate(self) -> float:
        """Residents 65+ ÷ all residents, latest fiscal year (fraction)."""
        return float(self.by_year["age_65_plus"].iloc[-1] / self.by_year["population"].iloc[-1])

    @property
    def ageing_rate_first(self) -> float:
        """Residents 65+ ÷ all residents in the first fiscal year of the data (fraction)."""
        return float(self.by_year["age_65_plus"].iloc[0] / self.by_year["population"].iloc[0])

    @property
    def ageing_rate_change_pt(self) -> float:
        """Change of the ageing rate since the first fiscal year, in percentage points."""
        return (self.ageing_rate - self.ageing_rate_first) * 100

    @property
    def births_change_pct(self) -> float:
        """% change of births from the previous fiscal year."""
        b = self.change["births"]
        return float((b.iloc[-1] / b.iloc[-2] - 1) * 100) if len(b) > 1 else float("nan")

    @property
    def births_change_since_first_pct(self) -> float:
        """% change of births from the first fiscal year of the data."""
        b = self.change["births"]
        return float((b.iloc[-1] / b.iloc[0] - 1) * 100)


def city_overview(pub: Publication, districts: pd.DataFrame) -> CityOverview:
    """The home page's figures from the publication and the district attributes (names, kind
    of area, area in km²)."""
    years = population_years(pub)
    if not years or not pub.has("population_change/year_total"):
        raise ValueError("the publication holds no residents or no population change")
    latest = years[-1]

    def part(name: str, fy: int = latest):
        return pub.get(population_table(fy, name))

    groups = list(AGE_GROUPS)
    by_year = pd.DataFrame([[fy, *part("group", fy).value, part("city", fy).value[0]] for fy in years],
                           columns=["fiscal_year", *groups, "population"])
    births = pub.get("population_change/year_total")
    birth_years = [int(y) for y in pub.axes("population_change/year_total")["fiscal_year"]]
    change = pd.DataFrame({"fiscal_year": birth_years, "births": births.value[0], "births_label": births.label[0]})
    band_sex = part("band_sex")
    pyramid = pd.DataFrame({"age_band": list(pub.axes(population_table(latest, "band_sex"))["age_band"]),
                            **{s: band_sex.value[:, i] for i, s in enumerate(SEXES)},
                            **{f"{s}_label": band_sex.label[:, i] for i, s in enumerate(SEXES)}})

    info = pd.DataFrame(districts.drop(columns="geometry", errors="ignore"))[
        ["district_id", "name_ja", "name_en", "area_type"]]
    pos = pd.Index(pub.axes(population_table(latest, "district"))["district_id"]).get_indexer(
        info["district_id"].astype(str))
    district, dg, first = part("district"), part("district_group"), part("district", years[0])
    g_child, g_old = groups.index("age_0_14"), groups.index("age_65_plus")
    table = info.assign(
        population=district.value[pos], population_label=district.label[pos],
        age_0_14=dg.value[pos, g_child], age_0_14_label=dg.label[pos, g_child],
        age_65_plus=dg.value[pos, g_old],
    )
    table["ageing_rate"] = table["age_65_plus"] / table["population"]
    table["change_pct"] = (table["population"] / first.value[pos] - 1) * 100
    i_births = len(birth_years) - 1
    city = part("city")
    return CityOverview(
        fiscal_year=latest, first_fiscal_year=years[0],
        births_fiscal_year=birth_years[-1], births_first_fiscal_year=birth_years[0],
        population=float(city.value[0]), population_label=str(city.label[0]),
        births=float(births.value[0, i_births]), births_label=str(births.label[0, i_births]),
        by_year=mark_counts(by_year, [*groups, "population"]),
        change=mark_counts(change, ["births", "births_label"]),
        pyramid=mark_counts(pyramid, [*SEXES, *(f"{s}_label" for s in SEXES)]),
        districts=mark_counts(table, ["population", "population_label", "age_0_14", "age_0_14_label", "age_65_plus"]),
        area_km2=float(districts["area_km2"].sum()),
    )

