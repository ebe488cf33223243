"""Demand projection: application rates by district and age band applied to the projected children,
plus housing developments, and the back-test that checks the method on past years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.core.projection import NotEnoughData
from analytics.nursery.counting import AGES, BAND_OF_AGE, BANDS

# ----------------------------------------------------------------------------- demand projection

# Children aged 0–5 a new family home brings, by age (young families move into new housing;
# 住宅団地 surveys put them around 0.9 children under 6 per household).
DEVELOPMENT_CHILDREN_PER_FAMILY = np.array([0.17, 0.16, 0.15, 0.15, 0.14, 0.13])


@dataclass(frozen=True)
class DemandParams:
    """Scenario knobs of the demand projection (one per page, like the waitlist's reach)."""

    horizon: int = 5  # fiscal years after the base year (5–10)
    rate_growth_pt: float = 0.0  # application rate change per year on top of the fitted trend, points
    births_change_pct: float = 0.0  # fertility vs the fitted rates, %
    migration_factor: float = 1.0  # × net migration by age
    development_district: str | None = None  # a housing development in this district…
    development_families: int = 0  # …bringing this many families (from the year after the base)
    base_fiscal_year: int | None = None  # default: the latest year with applications

    def __post_init__(self) -> None:
        if not 1 <= self.horizon <= 15:
            raise ValueError("horizon must be 1–15 fiscal years")
        if self.development_families < 0:
            raise ValueError("development_families must not be negative")


@dataclass(frozen=True)
class DemandProjection:
    """Projected applications by fiscal year × district × age band (expected children, floats).

    ``table`` columns: ``fiscal_year``, ``district_id``, ``age_band``, ``children`` (residents of
    the band, projected), ``rate`` (share applying), ``applications``; the base year holds the
    fitted values. ``rates`` are the fitted logit coefficients (statsmodels GLM, binomial).
    """

    table: pd.DataFrame
    rates: pd.DataFrame
    base_fiscal_year: int
    params: DemandParams


@dataclass(frozen=True)
class DemandInputs:
    """What the demand projection reads: applicants by fiscal year × district × age band
    (:func:`application_cells` or :func:`published_applications`), residents by fiscal year ×
    district × sex × single age and the population change (the datasets, or their published
    forms: :func:`analytics.city.published_residents`, ``published_change``)."""

    applications: pd.DataFrame
    residents: pd.DataFrame
    change: pd.DataFrame


def application_cells(applications: pd.DataFrame) -> pd.DataFrame:
    """Exact applicants by ``fiscal_year × district_id × age_band`` from the person-level rows
    (column ``applications``; ``imputed`` False): for methods checked on exact data in tests.
    Pages use :func:`published_applications`."""
    apps = applications.assign(age_band=np.array(BANDS)[BAND_OF_AGE[applications["child_age"].to_numpy()]])
    out = apps.groupby(["fiscal_year", "district_id", "age_band"], as_index=False).size()
    return out.rename(columns={"size": "applications"}).astype({"applications": float}).assign(imputed=False)


def _children_by_band(residents: pd.DataFrame) -> pd.DataFrame:
    """Residents aged 0–5 by ``fiscal_year × district_id × age_band`` (``children``), from rows
    that carry their ``district_id`` (published residents, or the dataset with its districts)."""
    young = residents[residents["age"] <= 5]
    young = young.assign(age_band=np.array(BANDS)[BAND_OF_AGE[young["age"].to_numpy(dtype=int)]])
    return young.groupby(["fiscal_year", "district_id", "age_band"], as_index=False)["population"].sum().rename(
        columns={"population": "children"})


def fit_application_rates(applications: pd.DataFrame, residents: pd.DataFrame, years: tuple[int, ...] | None = None):
    """The share of children applying, fitted on history: a binomial GLM (statsmodels) with
    ``logit p = band + band × year + district``, weighted by the children of each cell.
    ``applications``: cells as :func:`application_cells` gives them; ``residents``: rows with a
    ``district_id`` (see :class:`DemandInputs`). Returns the fitted results object; ``years``
    limits the history (for a back-test)."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    kids = _children_by_band(residents)
    counts = applications.groupby(["fiscal_year", "district_id", "age_band"])["applications"].sum()
    df = kids.join(counts, on=["fiscal_year", "district_id", "age_band"]).fillna({"applications": 0})
    df = df[df["fiscal_year"].isin(sorted(applications["fiscal_year"].unique()))]
    if years is not None:
        df = df[df["fiscal_year"].isin(years)]
    df = df[df["children"] > 0].assign(rate=lambda d: (d["applications"] / d["children"]).clip(0, 1),
                                        year=lambda d: d["fiscal_year"] - 2020)
    formula = "rate ~ C(age_band) + C(age_band):year + C(district_id)"
    return smf.glm(formula, df, family=sm.families.Binomial(), var_weights=df["children"]).fit()


def project_demand(inputs: DemandInputs, params: DemandParams = DemandParams()) -> DemandProjection:
    """Applications 1–15 fiscal years ahead by district × age band: projected children
    (:func:`analytics.city.project_population`, cohort-component, with the births and
    migration knobs) × application rates fitted on history (:func:`fit_application_rates`),
    plus the scenario's rate change and housing development. A trend-based variant of the
    Cabinet Office's 量の見込み (作業の手引き, 2014), which multiplies the child population by
    use-intention rates by household type from needs surveys; here the rate is the application
    rate's fitted trend, since needs surveys are not among the city's datasets.

    Pages pass the published inputs (:func:`published_demand_inputs`), so every projected
    figure is a function of the publication: a housing development of any size, or any other
    knob, reads nothing about people that the publication does not show."""
    from analytics.city import ProjectionParams, project_population

    years = sorted(int(y) for y in inputs.applications["fiscal_year"].unique())
    if not years:
        raise NotEnoughData("needs.projection_history", "no applications to fit the rates on")
    base = params.base_fiscal_year or years[-1]
    history = tuple(y for y in years if y <= base)
    model = fit_application_rates(inputs.applications, inputs.residents, history)
    proj = project_population(inputs.residents, inputs.change, None, ProjectionParams(
        years=params.horizon, births_change_pct=params.births_change_pct, migration_factor=params.migration_factor,
        base_fiscal_year=base))
    kids = proj.table[proj.table["age"] <= 5]
    kids = kids.assign(age_band=np.array(BANDS)[BAND_OF_AGE[kids["age"].to_numpy()]])
    if params.development_district and params.development_families:
        extra = pd.DataFrame({"fiscal_year": fy, "district_id": params.development_district, "sex": "F", "age": a,
                              "population": params.development_families * DEVELOPMENT_CHILDREN_PER_FAMILY[a],
                              "age_band": BANDS[BAND_OF_AGE[a]]}
                             for fy in range(base + 1, base + params.horizon + 1) for a in AGES)
        kids = pd.concat([kids, extra], ignore_index=True)
    table = kids.groupby(["fiscal_year", "district_id", "age_band"], as_index=False)["population"].sum().rename(
        columns={"population": "children"})
    known = set(model.model.data.frame["district_id"])
    table = table[table["district_id"].isin(known)].reset_index(drop=True)
    p = model.predict(table.assign(year=table["fiscal_year"] - 2020)).to_numpy()
    p = np.clip(p + params.rate_growth_pt / 100 * (table["fiscal_year"].to_numpy() - base), 0, 1)
    table["rate"] = p
    table["applications"] = table["children"] * p
    rates = pd.DataFrame({"term": model.params.index, "coef": model.params.to_numpy(), "se": model.bse.to_numpy()})
    return DemandProjection(table=table, rates=rates, base_fiscal_year=base, params=params)


def backtest_demand(inputs: DemandInputs, holdout_years: int = 2) -> pd.DataFrame:
    """Fit on all but the last ``holdout_years`` fiscal years, project them, and compare with what
    was observed: per held-out fiscal year and age band (and ``all``) the city's ``predicted``
    applications, ``error_pct`` (predicted vs observed, %), and ``district_median_ape`` (median over
    districts of the absolute percentage error, over districts whose applicants are observed,
    not estimated: ``imputed`` False). Observed counts are not returned: pages show them from
    the publication."""
    apps = inputs.applications
    years = sorted(int(y) for y in apps["fiscal_year"].unique())
    if len(years) <= holdout_years:
        raise NotEnoughData("needs.backtest_years",
                            f"the back-test needs more than {holdout_years} years of applications")
    base = years[-1 - holdout_years]
    proj = project_demand(inputs, DemandParams(horizon=holdout_years, base_fiscal_year=base)).table
    keys = ["fiscal_year", "district_id", "age_band"]
    observed = apps.groupby(keys)["applications"].sum().rename("observed")
    imputed = apps.groupby(keys)["imputed"].any().rename("imputed") if "imputed" in apps else None
    rows = []
    for fy in years[-holdout_years:]:
        pred = proj[proj["fiscal_year"] == fy].join(observed, on=keys).fillna({"observed": 0})
        pred["imputed"] = (pred.join(imputed, on=keys)["imputed"].fillna(False).astype(bool)
                           if imputed is not None else False)
        for band in (*BANDS, "all"):
            part = pred if band == "all" else pred[pred["age_band"] == band]
            per_district = part.groupby("district_id")[["applications", "observed", "imputed"]].agg(
                {"applications": "sum", "observed": "sum", "imputed": "any"})
            per_district = per_district[(per_district["observed"] > 0) & ~per_district["imputed"]]
            ape = (per_district["applications"] - per_district["observed"]).abs() / per_district["observed"] * 100
            obs, pre = part["observed"].sum(), part["applications"].sum()
            rows.append({"fiscal_year": fy, "age_band": band, "predicted": pre,
                         "error_pct": (pre - obs) / obs * 100 if obs else np.nan,
                         "district_median_ape": float(ape.median()) if len(ape) else np.nan})
    return pd.DataFrame(rows)


def demand_change_pct(demand: DemandProjection) -> float:
    """Change of projected applications from the base year to the last projected year, %."""
    by_year = demand.table.groupby("fiscal_year")["applications"].sum()
    return float((by_year.iloc[-1] / by_year.iloc[0] - 1) * 100) if by_year.iloc[0] > 0 else float("nan")
