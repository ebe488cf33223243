"""What may be shown or handed out: linked population tables with small counts suppressed.

Every count of people the app shows — on a page, in a chart, in a download — comes from
one *publication* per dataset and fiscal year, built here. A publication holds all the
linked tables that show those people (district × sex × 5-year age group, their district
and age-group totals, the district × broad-age-group counts of the home page, the city
totals) and suppresses them together with :func:`analytics.privacy.suppress_linked`, so a
hidden count cannot be recovered by subtracting what one table shows from what another
shows. Population change (births, deaths, moves) is protected the same way, including
the balance ``Δ residents = births − deaths + moved in − moved out`` that links it to the
published population.

Downloads are never person-level rows, are UTF-8 with BOM for Japanese Excel, and have
spreadsheet formulas neutralised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from analytics import privacy
from analytics.population import AGE_GROUPS, CityHeadline, city_headline, district_population, with_district

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SEXES = ("M", "F")
BAND = 5
TOP_AGE = 100  # the last band is open: 100+
TOTAL = "合計"
CHANGE_MEASURES = ("births", "deaths", "moved_in", "moved_out")


def _band_labels() -> list[str]:
    return [f"{a}-{a + BAND - 1}" for a in range(0, TOP_AGE, BAND)] + [f"{TOP_AGE}+"]


class _Cells:
    """Allocates positions in the flat vector of published counts."""

    def __init__(self) -> None:
        self.values: list[np.ndarray] = []
        self.size = 0

    def add(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        idx = np.arange(self.size, self.size + values.size).reshape(values.shape)
        self.values.append(values.ravel())
        self.size += values.size
        return idx

    def vector(self) -> np.ndarray:
        return np.concatenate(self.values) if self.values else np.zeros(0)


@dataclass(frozen=True)
class Shown:
    """Counts after suppression: the value (NaN where hidden), hidden flag and display label."""

    value: np.ndarray
    hidden: np.ndarray
    label: np.ndarray


def _shown(idx: np.ndarray, x: np.ndarray, hidden: np.ndarray, labels: np.ndarray) -> Shown:
    return Shown(np.where(hidden[idx], np.nan, x[idx]), hidden[idx], labels[idx])


@dataclass(frozen=True)
class PopulationPublication:
    """The linked population tables of one fiscal year, suppressed together.

    Arrays are indexed [district, sex, band] with ``districts``, :data:`SEXES` and
    ``bands`` (5-year groups, ``100+`` last); ``group`` axes follow
    :data:`analytics.population.AGE_GROUPS`. Counts are persons on 1 April.
    """

    fiscal_year: int
    threshold: int
    districts: tuple[str, ...]
    bands: tuple[str, ...]
    cells: Shown  # district × sex × band
    district_sex: Shown  # district × sex (row totals of the release table)
    band_sex: Shown  # band × sex, whole city (the pyramid)
    sex: Shown  # sex, whole city
    district_group: Shown  # district × broad age group, both sexes (home page)
    district: Shown  # district, both sexes (home page, map)
    group: Shown  # broad age group, whole city (trend chart)
    city: Shown  # one value: all residents


@dataclass(frozen=True)
class ChangePublication:
    """Births, deaths and moves by district × fiscal year with their totals, suppressed together.

    Arrays are indexed [measure, district, year] (+ the totals); measures are
    :data:`CHANGE_MEASURES`. Counts are persons during each fiscal year (April–March).
    """

    threshold: int
    districts: tuple[str, ...]
    fiscal_years: tuple[int, ...]
    cells: Shown  # measure × district × year
    district_total: Shown  # measure × district (all years)
    year_total: Shown  # measure × year (whole city)
    grand_total: Shown  # measure


def _population_block(c: _Cells, pop: pd.DataFrame, districts: tuple[str, ...]) -> tuple[dict[str, np.ndarray], list]:
    """Add one fiscal year's linked population tables to ``c``; return their positions and lines.

    ``pop`` has ``district_id``, ``sex``, ``age``, ``population`` for that year.
    """
    band_idx = np.minimum(pop["age"].to_numpy() // BAND, TOP_AGE // BAND)
    n_b = TOP_AGE // BAND + 1
    d_idx = pd.Index(districts).get_indexer(pop["district_id"].astype(str))
    s_idx = pd.Index(SEXES).get_indexer(pop["sex"].astype(str))
    keep = (d_idx >= 0) & (s_idx >= 0)
    body = np.zeros((len(districts), 2, n_b))
    np.add.at(body, (d_idx[keep], s_idx[keep], band_idx[keep]), pop["population"].to_numpy()[keep])
    group_of_band = np.array([next(i for i, (lo, hi) in enumerate(AGE_GROUPS.values()) if lo <= b * BAND <= hi)
                              for b in range(n_b)])
    n_g = len(AGE_GROUPS)
    dg = np.stack([body[:, :, group_of_band == g].sum(axis=(1, 2)) for g in range(n_g)], axis=1)
    i = {
        "cells": c.add(body), "district_sex": c.add(body.sum(2)), "band_sex": c.add(body.sum(0).T),
        "sex": c.add(body.sum((0, 2))), "district_group": c.add(dg), "district": c.add(body.sum((1, 2))),
        "group": c.add(dg.sum(0)), "city": c.add(np.array([body.sum()])),
    }
    city = int(i["city"][0])
    lines: list[tuple[np.ndarray, int | None]] = []
    for d in range(len(districts)):
        lines += [(i["cells"][d, s, :], int(i["district_sex"][d, s])) for s in range(2)]
        lines += [(i["cells"][d, :, group_of_band == g].ravel(), int(i["district_group"][d, g])) for g in range(n_g)]
        lines += [(i["district_group"][d, :], int(i["district"][d])), (i["district_sex"][d, :], int(i["district"][d]))]
    lines += [(i["cells"][:, s, b], int(i["band_sex"][b, s])) for b in range(n_b) for s in range(2)]
    for s in range(2):
        lines += [(i["band_sex"][:, s], int(i["sex"][s])), (i["district_sex"][:, s], int(i["sex"][s]))]
    for g in range(n_g):
        lines += [(i["district_group"][:, g], int(i["group"][g])),
                  (i["band_sex"][group_of_band == g, :].ravel(), int(i["group"][g]))]
    lines += [(i["district"], city), (i["group"], city), (i["sex"], city)]
    return i, lines


def _change_block(c: _Cells, change: pd.DataFrame, districts: tuple[str, ...],
                  years: tuple[int, ...]) -> tuple[dict[str, np.ndarray], list]:
    """Add the population-change tables (measure × district × year, with totals) to ``c``."""
    body = np.zeros((len(CHANGE_MEASURES), len(districts), len(years)))
    d_idx = pd.Index(districts).get_indexer(change["district_id"].astype(str))
    y_idx = pd.Index(years).get_indexer(change["fiscal_year"].astype(int))
    for m, name in enumerate(CHANGE_MEASURES):
        np.add.at(body[m], (d_idx, y_idx), change[name].to_numpy(dtype=float))
    i = {"cells": c.add(body), "district_total": c.add(body.sum(2)), "year_total": c.add(body.sum(1)),
         "grand_total": c.add(body.sum((1, 2)))}
    lines: list[tuple[np.ndarray, int | None]] = []
    for m in range(len(CHANGE_MEASURES)):
        lines += [(i["cells"][m, d, :], int(i["district_total"][m, d])) for d in range(len(districts))]
        lines += [(i["cells"][m, :, y], int(i["year_total"][m, y])) for y in range(len(years))]
        lines += [(i["district_total"][m], int(i["grand_total"][m])), (i["year_total"][m], int(i["grand_total"][m]))]
    # Flows summed over all years equal a change of residents that may be known from elsewhere.
    lines += [(i["district_total"][:, d], None) for d in range(len(districts))]
    lines.append((i["grand_total"], None))
    return i, lines


def _balance_lines(change_i: dict[str, np.ndarray], years: tuple[int, ...], n_districts: int,
                   stocks: dict[int, dict[str, np.ndarray]]) -> list:
    """The demographic balance: residents(t+1) − residents(t) = births − deaths + moved in − moved out.

    When both April-1 stocks are published the line holds them too (its sum is known: 0);
    otherwise the change of residents is taken as known from elsewhere, which protects more.
    """
    lines: list[tuple[np.ndarray, int | None]] = []
    for y, fy in enumerate(years):
        start, end = stocks.get(fy), stocks.get(fy + 1)
        both = start is not None and end is not None
        for d in range(n_districts):
            extra = [start["district"][d], end["district"][d]] if both else []
            lines.append((np.concatenate([change_i["cells"][:, d, y], np.asarray(extra, dtype=np.int64)]), None))
        extra = [start["city"][0], end["city"][0]] if both else []
        lines.append((np.concatenate([change_i["year_total"][:, y], np.asarray(extra, dtype=np.int64)]), None))
    return lines


@dataclass(frozen=True)
class Publications:
    """Everything that may be shown of the residents and their changes, suppressed together:
    one :class:`PopulationPublication` per fiscal year and the :class:`ChangePublication`."""

    threshold: int
    population: dict[int, PopulationPublication]
    change: ChangePublication | None


def publications(population: pd.DataFrame, meshes: pd.DataFrame, population_change: pd.DataFrame | None = None,
                 threshold: int = privacy.DEFAULT_THRESHOLD, district_ids: pd.Series | None = None) -> Publications:
    """Build every published table of residents (each fiscal year) and of population change,
    and suppress them as one linked system (:func:`analytics.privacy.suppress_linked`).

    Districts are those of ``meshes``, of ``district_ids`` (e.g. the boundaries, so that a
    district without residents gets its zeros) and of ``population_change``.
    """
    threshold = privacy.check_threshold(threshold)
    ids = set(meshes["district_id"].astype(str))
    if district_ids is not None:
        ids |= set(pd.Series(district_ids).astype(str))
    if population_change is not None:
        ids |= set(population_change["district_id"].astype(str))
    districts = tuple(sorted(ids))
    pop = with_district(population, meshes)
    c = _Cells()
    lines: list[tuple[np.ndarray, int | None]] = []
    stocks: dict[int, dict[str, np.ndarray]] = {}
    for fy in sorted(int(y) for y in pop["fiscal_year"].unique()):
        stocks[fy], block = _population_block(c, pop[pop["fiscal_year"] == fy], districts)
        lines += block
    change_i, years = None, ()
    if population_change is not None:
        years = tuple(int(y) for y in sorted(population_change["fiscal_year"].unique()))
        change_i, block = _change_block(c, population_change, districts, years)
        lines += block + _balance_lines(change_i, years, len(districts), stocks)
    x = c.vector()
    hidden, primary = privacy.suppress_linked(x, lines, threshold)
    labels = privacy.count_labels(x, hidden, primary, threshold)

    def part(idx: np.ndarray) -> Shown:
        return _shown(idx, x, hidden, labels)

    bands = tuple(_band_labels())
    pops = {fy: PopulationPublication(fy, threshold, districts, bands, **{k: part(v) for k, v in i.items()})
            for fy, i in stocks.items()}
    change = None if change_i is None else ChangePublication(
        threshold, districts, years, **{k: part(v) for k, v in change_i.items()})
    return Publications(threshold, pops, change)


def population_publication(population: pd.DataFrame, meshes: pd.DataFrame, fiscal_year: int,
                           threshold: int = privacy.DEFAULT_THRESHOLD) -> PopulationPublication:
    """One fiscal year's linked population tables on their own (the app uses
    :func:`publications`, which protects the years and population change together)."""
    one_year = population[population["fiscal_year"] == fiscal_year]
    return publications(one_year, meshes, None, threshold).population[int(fiscal_year)]


def change_publication(population_change: pd.DataFrame, threshold: int = privacy.DEFAULT_THRESHOLD) -> ChangePublication:
    """The population-change tables on their own, each district-year's and city-year's
    balance ``births − deaths + moved_in − moved_out = Δ residents`` taken as known."""
    threshold = privacy.check_threshold(threshold)
    districts = tuple(sorted(population_change["district_id"].astype(str).unique()))
    years = tuple(int(y) for y in sorted(population_change["fiscal_year"].unique()))
    c = _Cells()
    i, lines = _change_block(c, population_change, districts, years)
    lines += _balance_lines(i, years, len(districts), {})
    x = c.vector()
    hidden, primary = privacy.suppress_linked(x, lines, threshold)
    labels = privacy.count_labels(x, hidden, primary, threshold)
    return ChangePublication(threshold, districts, years, **{k: _shown(v, x, hidden, labels) for k, v in i.items()})


def population_release(population: pd.DataFrame, meshes: pd.DataFrame, threshold: int = privacy.DEFAULT_THRESHOLD,
                       total_label: str = TOTAL, population_change: pd.DataFrame | None = None) -> pd.DataFrame:
    """Residents by fiscal year × district × sex × 5-year age group, with district and
    age-group totals (``total_label``), as display strings (a number, ``<10`` or ``χ``).

    Give ``population_change`` when it is published too, so both are protected together.
    """
    return _population_table(publications(population, meshes, population_change, threshold), total_label)


def _population_table(pubs: Publications, total_label: str) -> pd.DataFrame:
    frames = []
    for fy, pub in sorted(pubs.population.items()):
        for s, sex in enumerate(SEXES):
            table = pd.DataFrame(pub.cells.label[:, s, :], index=list(pub.districts), columns=list(pub.bands))
            table[total_label] = pub.district_sex.label[:, s]
            table.loc[total_label] = [*pub.band_sex.label[:, s], pub.sex.label[s]]
            long = table.rename_axis(index="district_id", columns="age_band").stack().rename("population").reset_index()
            long.insert(0, "fiscal_year", int(fy))
            long.insert(2, "sex", sex)
            frames.append(long)
    return pd.concat(frames, ignore_index=True)


def population_change_release(population_change: pd.DataFrame, threshold: int = privacy.DEFAULT_THRESHOLD,
                              total_label: str = TOTAL, population: pd.DataFrame | None = None,
                              meshes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Births, deaths, moves and net migration by district × fiscal year with totals, as strings.

    Net migration is shown only where both moves are shown (it would reveal a hidden one).
    Give ``population`` and ``meshes`` when the population is published too, so both are
    protected together.
    """
    if population is not None and meshes is not None:
        pub = publications(population, meshes, population_change, threshold).change
    else:
        pub = change_publication(population_change, threshold)
    return _change_table(pub, total_label)


def _change_table(pub: ChangePublication, total_label: str) -> pd.DataFrame:
    rows = list(pub.districts) + [total_label]
    cols = [str(y) for y in pub.fiscal_years] + [total_label]
    out = {}
    values = {}
    for m, name in enumerate(CHANGE_MEASURES):
        lab = np.vstack([np.column_stack([pub.cells.label[m], pub.district_total.label[m]]),
                         np.append(pub.year_total.label[m], pub.grand_total.label[m])])
        val = np.vstack([np.column_stack([pub.cells.value[m], pub.district_total.value[m]]),
                         np.append(pub.year_total.value[m], pub.grand_total.value[m])])
        out[name], values[name] = lab.ravel(), val.ravel()
    net = values["moved_in"] - values["moved_out"]
    out["net_migration"] = np.where(np.isnan(net), privacy.SECONDARY_LABEL,
                                    [f"{v:,.0f}" if np.isfinite(v) else "" for v in net])
    index = pd.MultiIndex.from_product([rows, cols], names=["district_id", "fiscal_year"])
    return pd.DataFrame(out, index=index).reset_index()


def release_tables(data: Mapping[str, pd.DataFrame], threshold: int = privacy.DEFAULT_THRESHOLD,
                   total_label: str = TOTAL) -> dict[str, pd.DataFrame]:
    """The downloadable form of every dataset in ``data`` (see :func:`release_table`), with the
    linked publications built once for all of them."""
    threshold = privacy.check_threshold(threshold)
    out = {name: release_table(name, data, threshold, total_label) for name in ("districts", "meshes") if name in data}
    if "population" in data and "meshes" in data:
        pubs = publications(data["population"], data["meshes"], data.get("population_change"), threshold)
        out["population"] = _population_table(pubs, total_label)
        if pubs.change is not None:
            out["population_change"] = _change_table(pubs.change, total_label)
    elif "population_change" in data:
        out["population_change"] = _change_table(change_publication(data["population_change"], threshold), total_label)
    return out


def release_table(name: str, data: Mapping[str, pd.DataFrame], threshold: int = privacy.DEFAULT_THRESHOLD,
                  total_label: str = TOTAL) -> pd.DataFrame:
    """The downloadable form of dataset ``name``: aggregated, suppressed, no person-level rows."""
    threshold = privacy.check_threshold(threshold)
    if name == "districts":
        return pd.DataFrame(data["districts"].drop(columns="geometry"))
    if name == "meshes":
        return data["meshes"].copy()
    if name == "population":
        return population_release(data["population"], data["meshes"], threshold, total_label, data.get("population_change"))
    if name == "population_change":
        return population_change_release(data["population_change"], threshold, total_label,
                                         data.get("population"), data.get("meshes"))
    raise KeyError(f"no release form for dataset {name!r}")


@dataclass(frozen=True)
class CityOverview:
    """Everything the home page shows, every count taken from the suppressed publications.

    ``headline``: the unsuppressed headline (for its years and changes); the counts to show
    are ``population`` and ``births`` (NaN when hidden) with their ``*_label``.
    ``by_year``: per fiscal year the city's residents by broad age group (NaN where hidden);
    ``change``: per fiscal year the city's births (NaN where hidden) and labels;
    ``pyramid``: 5-year bands × sex for the latest year (NaN where hidden) and labels;
    ``districts``: per district names, kind of area, residents, children, 65+, ageing rate
    (NaN when a count it needs is hidden) and change since the first year, with labels;
    ``area_km2``: the city's land area.
    """

    headline: CityHeadline
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
    def births_n_years(self) -> int:
        """Fiscal years between the first and the latest year of births."""
        return self.headline.births_fiscal_year - self.headline.births_first_fiscal_year

    @property
    def n_years(self) -> int:
        """Fiscal years between the first and the latest population (5 for six years of data)."""
        return self.headline.fiscal_year - self.headline.first_fiscal_year

    # Changes and rates come from the shown counts only: NaN when one they need is hidden.
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
        rate = self.by_year["age_65_plus"] / self.by_year["population"]
        return float((rate.iloc[-1] - rate.iloc[0]) * 100)

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


def city_overview(population: pd.DataFrame, population_change: pd.DataFrame, meshes: pd.DataFrame,
                  districts: pd.DataFrame, threshold: int = privacy.DEFAULT_THRESHOLD) -> CityOverview:
    """The home page's figures in one call (see :class:`CityOverview`)."""
    headline = city_headline(population, population_change)
    years = sorted(int(y) for y in population["fiscal_year"].unique())
    every = publications(population, meshes, population_change, threshold, districts["district_id"])
    pubs, ch = every.population, every.change
    latest = pubs[headline.fiscal_year]

    by_year = pd.DataFrame(
        [[fy, *pubs[fy].group.value, pubs[fy].city.value[0]] for fy in years],
        columns=["fiscal_year", *AGE_GROUPS, "population"],
    )
    change = pd.DataFrame({"fiscal_year": list(ch.fiscal_years), "births": ch.year_total.value[0],
                           "births_label": ch.year_total.label[0]})
    pyramid = pd.DataFrame({"age_band": list(latest.bands), "M": latest.band_sex.value[:, 0], "F": latest.band_sex.value[:, 1],
                            "M_label": latest.band_sex.label[:, 0], "F_label": latest.band_sex.label[:, 1]})

    info = pd.DataFrame(districts.drop(columns="geometry", errors="ignore"))[["district_id", "name_ja", "name_en", "area_type"]]
    pos = pd.Index(latest.districts).get_indexer(info["district_id"].astype(str))
    groups = list(AGE_GROUPS)
    table = info.assign(
        population=latest.district.value[pos], population_label=latest.district.label[pos],
        age_0_14=latest.district_group.value[pos, groups.index("age_0_14")],
        age_0_14_label=latest.district_group.label[pos, groups.index("age_0_14")],
        age_65_plus=latest.district_group.value[pos, groups.index("age_65_plus")],
    )
    table["ageing_rate"] = table["age_65_plus"] / table["population"]
    first = pubs[years[0]].district.value[pos]  # every year's publication has the same districts
    table["change_pct"] = (table["population"] / first - 1) * 100
    i_births = list(ch.fiscal_years).index(headline.births_fiscal_year)
    return CityOverview(
        headline=headline,
        population=float(latest.city.value[0]), population_label=str(latest.city.label[0]),
        births=float(ch.year_total.value[0, i_births]), births_label=str(ch.year_total.label[0, i_births]),
        by_year=by_year, change=change, pyramid=pyramid, districts=table,
        area_km2=float(districts["area_km2"].sum()),
    )


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'`` (CSV injection).

    Numbers are left alone (a negative number is data, not a formula).
    """
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            s = out[c].astype(str)
            risky = s.str.startswith(FORMULA_PREFIXES) & ~s.str.fullmatch(r"-[\d,]+(\.\d+)?")
            out[c] = s.where(~risky, "'" + s).where(out[c].notna(), None)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV that Japanese Excel opens correctly: UTF-8 with BOM, formulas neutralised."""
    return neutralise_formulas(df).to_csv(index=False).encode("utf-8-sig")
