"""Demand projection: application rates by district and age band applied to the projected children,
plus housing developments, and the back-test that checks the method on past years.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit

from analytics.core.projection import NotEnoughData
from analytics.nursery.counting import AGES, BAND_OF_AGE, BANDS

# ----------------------------------------------------------------------------- demand projection

# Children aged 0–5 a new family home brings, by age (young families move into new housing;
# 住宅団地 surveys put them around 0.9 children under 6 per household).
DEVELOPMENT_CHILDREN_PER_FAMILY = np.array([0.17, 0.16, 0.15, 0.15, 0.14, 0.13])

# The highest share of a district's children of an age band that the projection lets apply,
# however far the fitted trend (and the scenario's added points) would carry it: at least one
# child in seven of every band is taken to stay at home, in a kindergarten or elsewhere. A
# project assumption (no source): the synthetic city's highest district rate is about 0.67 in
# its latest year, and national use of nursery places by 1–2-year-olds is well below this.
MAX_APPLICATION_RATE = 0.85
FAN_DRAWS = 200  # draws of the rate coefficients behind the projection's fan
FAN_SEED = 20260401  # their seed: the same fan for the same inputs on any machine
FAN_LEVELS = (0.80, 0.95)  # the fan's central intervals


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
    max_application_rate: float = MAX_APPLICATION_RATE  # the projected rate never exceeds this share
    fan_draws: int = FAN_DRAWS  # draws of the fitted coefficients for the fan (0: no fan)
    fan_seed: int = FAN_SEED

    def __post_init__(self) -> None:
        if not 1 <= self.horizon <= 15:
            raise ValueError("horizon must be 1–15 fiscal years")
        if self.development_families < 0:
            raise ValueError("development_families must not be negative")
        if not 0 < self.max_application_rate <= 1:
            raise ValueError("max_application_rate must be a share above 0 and at most 1")
        if not 0 <= self.fan_draws <= 10_000:
            raise ValueError("fan_draws must be 0–10,000")


@dataclass(frozen=True)
class DemandProjection:
    """Projected applications by fiscal year × district × age band (expected children, floats).

    ``table`` columns: ``fiscal_year``, ``district_id``, ``age_band``, ``children`` (residents of
    the band, projected), ``rate`` (share applying, at most ``params.max_application_rate``),
    ``applications``; the base year holds the fitted values. ``rates`` are the fitted logit
    coefficients (statsmodels GLM, binomial: ``term``, ``coef``, ``se``). ``fan``: the
    uncertainty of the fitted rates (:func:`demand_fan`), empty when ``params.fan_draws`` is 0.
    """

    table: pd.DataFrame
    rates: pd.DataFrame
    base_fiscal_year: int
    params: DemandParams
    fan: pd.DataFrame = field(default_factory=pd.DataFrame)


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


@dataclass(frozen=True)
class RateModel:
    """The fitted application rates: ``logit p = band + band × year + district`` (one level and
    one yearly slope per age band, a shift per district, the first district the reference),
    with ``year = fiscal_year − 2020``. ``coef`` and ``cov`` are the estimates and their
    covariance (statsmodels GLM, binomial); ``names`` the terms; ``districts`` those fitted."""

    coef: np.ndarray
    cov: np.ndarray
    names: tuple[str, ...]
    districts: tuple[str, ...]

    def design(self, frame: pd.DataFrame) -> np.ndarray:
        """The model's design matrix for rows of ``fiscal_year``, ``district_id``, ``age_band``
        (districts it was not fitted on get the reference district's level)."""
        band = pd.Index(BANDS).get_indexer(frame["age_band"].astype(str))
        year = frame["fiscal_year"].to_numpy(float) - 2020
        X = np.zeros((len(frame), 2 * len(BANDS) + len(self.districts) - 1))
        rows = np.arange(len(frame))
        X[rows, band] = 1.0
        X[rows, len(BANDS) + band] = year
        d = pd.Index(self.districts).get_indexer(frame["district_id"].astype(str))
        shifted = d >= 1
        X[rows[shifted], 2 * len(BANDS) + d[shifted] - 1] = 1.0
        return X

    def linear(self, frame: pd.DataFrame, coef: np.ndarray | None = None) -> np.ndarray:
        """The linear predictor (logit of the rate) per row; ``coef`` (terms, or draws × terms)
        replaces the estimates (then one column per draw)."""
        c = self.coef if coef is None else coef
        return self.design(frame) @ np.asarray(c).T


def _rate_cells(applications: pd.DataFrame, residents: pd.DataFrame, years: tuple[int, ...] | None) -> pd.DataFrame:
    """Children and applicants per fiscal year × district × age band with children, and the rate."""
    kids = _children_by_band(residents)
    counts = applications.groupby(["fiscal_year", "district_id", "age_band"])["applications"].sum()
    df = kids.join(counts, on=["fiscal_year", "district_id", "age_band"]).fillna({"applications": 0})
    df = df[df["fiscal_year"].isin(sorted(applications["fiscal_year"].unique()))]
    if years is not None:
        df = df[df["fiscal_year"].isin(years)]
    return df[df["children"] > 0].assign(rate=lambda d: (d["applications"] / d["children"]).clip(0, 1))


def fit_application_rates(applications: pd.DataFrame, residents: pd.DataFrame,
                          years: tuple[int, ...] | None = None) -> RateModel:
    """The share of children applying, fitted on history: a binomial GLM (statsmodels) with
    ``logit p = band + band × year + district`` (:class:`RateModel`), weighted by the children
    of each cell. ``applications``: cells as :func:`application_cells` gives them;
    ``residents``: rows with a ``district_id`` (see :class:`DemandInputs`); ``years`` limits the
    history (for a back-test)."""
    import statsmodels.api as sm

    df = _rate_cells(applications, residents, years)
    districts = tuple(sorted(df["district_id"].astype(str).unique()))
    names = (*(f"band[{b}]" for b in BANDS), *(f"band[{b}]:year" for b in BANDS),
             *(f"district[{d}]" for d in districts[1:]))
    model = RateModel(np.zeros(len(names)), np.zeros((len(names), len(names))), names, districts)
    X = model.design(df)
    keep = X.any(axis=0)  # a column without data (slopes when every year is 2020) stays at 0
    fit = sm.GLM(df["rate"].to_numpy(float), X[:, keep], family=sm.families.Binomial(),
                 var_weights=df["children"].to_numpy(float)).fit()
    coef = np.zeros(len(names))
    coef[keep] = fit.params
    cov = np.zeros((len(names), len(names)))
    cov[np.ix_(keep, keep)] = fit.cov_params()
    return RateModel(coef, cov, names, districts)


def _rate(model: RateModel, table: pd.DataFrame, params: DemandParams, base: int,
          coef: np.ndarray | None = None) -> np.ndarray:
    """The projected share applying: the fitted rate, plus the scenario's points per year after
    the base year, kept within 0 … ``params.max_application_rate``."""
    p = expit(model.linear(table, coef))
    step = params.rate_growth_pt / 100 * (table["fiscal_year"].to_numpy(float) - base)
    return np.clip(p + (step[:, None] if p.ndim == 2 else step), 0, params.max_application_rate)


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
    table = table[table["district_id"].isin(set(model.districts))].reset_index(drop=True)
    table["rate"] = _rate(model, table, params, base)
    table["applications"] = table["children"] * table["rate"]
    rates = pd.DataFrame({"term": model.names, "coef": model.coef, "se": np.sqrt(np.diag(model.cov))})
    fan = demand_fan(model, table, params, base) if params.fan_draws else pd.DataFrame()
    return DemandProjection(table=table, rates=rates, base_fiscal_year=base, params=params, fan=fan)


def coefficient_draws(model: RateModel, draws: int, seed: int) -> np.ndarray:
    """``draws`` × terms draws of the coefficients from their fitted (asymptotic) normal
    distribution, ``N(coef, cov)``, with a seeded generator (numpy PCG64): the same draws for
    the same model and seed. The covariance is factored by its eigenvectors, so a singular one
    (a term the history cannot pin down) draws along the directions it does know."""
    values, vectors = np.linalg.eigh((model.cov + model.cov.T) / 2)
    root = vectors * np.sqrt(np.clip(values, 0, None))
    z = np.random.default_rng(seed).standard_normal((draws, len(model.coef)))
    return model.coef + z @ root.T


def demand_fan(model: RateModel, table: pd.DataFrame, params: DemandParams, base: int) -> pd.DataFrame:
    """The uncertainty of projected applications that comes from the fitted application rates:
    ``params.fan_draws`` draws of the GLM's coefficients (:func:`coefficient_draws`), each
    projected like the point estimate (same children, scenario and cap). Per fiscal year and
    age band (and ``all``): the point projection ``applications``, the draws' ``median`` and
    the central intervals of :data:`FAN_LEVELS` (``low80``/``high80``, ``low95``/``high95``).
    The children's projection is held fixed: the fan shows the rates' uncertainty only."""
    coefs = coefficient_draws(model, params.fan_draws, params.fan_seed)
    drawn = table["children"].to_numpy(float)[:, None] * _rate(model, table, params, base, coefs)
    frames = []
    for band in (*BANDS, "all"):
        rows = np.ones(len(table), bool) if band == "all" else (table["age_band"] == band).to_numpy()
        part = table[rows]
        years = part["fiscal_year"].to_numpy()
        by_year = pd.DataFrame(drawn[rows]).groupby(years).sum()
        out = pd.DataFrame({"fiscal_year": by_year.index.astype(int), "age_band": band,
                            "applications": part.groupby("fiscal_year")["applications"].sum().to_numpy(),
                            "median": by_year.median(axis=1).to_numpy()})
        for level in FAN_LEVELS:
            tail = (1 - level) / 2
            out[f"low{round(level * 100)}"] = by_year.quantile(tail, axis=1).to_numpy()
            out[f"high{round(level * 100)}"] = by_year.quantile(1 - tail, axis=1).to_numpy()
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def fan_table(fan: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """The projected applications of ``fiscal_year`` by age band and for all ages, each with its
    80% and 95% intervals from :func:`demand_fan` (rows in the order of :data:`BANDS`, ``all``
    last; columns ``age_band, applications, median, low80, high80, low95, high95``; estimates of
    persons). Empty when the fan is empty or does not reach that year."""
    columns = ["age_band", "applications", "median", *(f"{e}{round(lv * 100)}" for lv in FAN_LEVELS
                                                        for e in ("low", "high"))]
    year = fan[fan["fiscal_year"] == fiscal_year] if len(fan) else fan
    if not len(year):
        return pd.DataFrame(columns=columns)
    order = {b: i for i, b in enumerate((*BANDS, "all"))}
    return year.sort_values("age_band", key=lambda s: s.map(order))[columns].reset_index(drop=True)


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
