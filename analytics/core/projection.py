"""Population projection by district × sex × single age: the cohort-component method.

:func:`project_population` rolls the latest April-1 residents (住民基本台帳人口) forward one
fiscal year (年度, April–March) at a time, the way the national institute projects every
municipality (国立社会保障・人口問題研究所「日本の地域別将来推計人口（令和5(2023)年推計）」:
コーホート要因法, with survival rates, fertility and net-migration rates per area). Every rate is
fitted on the city's own stocks and its own births, deaths and moves (``population_change``),
so the projection works on a planner's data as well as on the synthetic city:

1. **Survival.** A standard schedule of the yearly probability of death by sex and single age
   (:data:`STANDARD_DEATH_PROBABILITY`, read at a few ages from 厚生労働省「第23回完全生命表」
   (2020) and interpolated log-linearly) is multiplied per district by a *mortality scale*, so
   that the deaths it expects over the history years equal the deaths observed (indirect
   standardisation, the standardised mortality ratio). A district with few deaths is pulled
   towards the city's scale (credibility weight :data:`CREDIBILITY_EVENTS` expected deaths).
   Residents aged ``a`` on 1 April survive the year with ``1 − q(a)`` and are ``a + 1`` on the
   next 1 April (100 = 100 and over is an open group). Mortality is held at its fitted level.
2. **Fertility.** A standard shape of births per woman by age 15–49
   (:data:`STANDARD_FERTILITY`, 厚生労働省「人口動態統計」2020, 母の年齢（5歳階級）別出生率,
   spread over single ages) is scaled per district so that expected births over the history
   equal the births observed (again shrunk towards the city for small districts). With
   ``fertility_trend`` the city's yearly change of fertility is fitted log-linearly on its
   age-standardised births per woman aged 15–49 (observed births ÷ births the standard
   schedule expects of that year's women) over the history years and continued forward;
   without it fertility stays at its fitted level of the last history year. The scenario
   ``births_change_pct`` multiplies every projected birth. Births are 51.2% boys (sex ratio at
   birth ≈ 105, 人口動態統計); a baby born during the year is on the next 1 April's stock at age
   0 with survival ``1 − q(0)/2`` (born on average half-way through the year).
3. **Net migration** by district × sex × age, by the residual method (Preston, Heuveline &
   Guillot, *Demography: Measuring and Modeling Population Processes*, 2001; the 純移動率 of
   the institute's projections): for each history year the stock of the next 1 April minus
   the survivors of this 1 April's stock (and of the year's births) is the cohort's net
   migration. Summed over the history years and divided by the cohort's opening size (the
   births, for age 0) it is a rate, smoothed across neighbouring ages (weights 1-2-3-2-1) and
   pulled towards the city's rate where the cohort is small (:data:`CREDIBILITY_PERSONS`). Its
   sum over ages per district is compared with the recorded ``moved_in − moved_out`` in
   :attr:`PopulationProjection.checks`. The scenario ``migration_factor`` multiplies every net
   migration (0 = a closed population).

Only stocks up to the base year and flows of fiscal years before it are used, so
:func:`backtest_population` can fit on early years and compare with later observed stocks.
Projected values are expected persons (floats); a cohort is never negative. The result feeds
child-population estimates such as those of 内閣府「市町村子ども・子育て支援事業計画における
『量の見込み』の算出等のための手引き」 (推計児童数 by age 0, 1–2 and 3–5, :data:`CHILD_BANDS`).

Limits: mortality improvement is not projected (a slight over-count of deaths over ten
years); migration rates are those of the history years, new housing estates or closures to
come are not known to the method; districts are projected independently (moves between
districts are part of each district's net migration).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_AGE = 100  # age 100 stands for 100 and over
N_AGES = MAX_AGE + 1
AGES = np.arange(N_AGES)
SEXES = ("M", "F")
BOY_SHARE = 0.512  # births that are boys (sex ratio at birth ≈ 105, 人口動態統計)
SEX_SHARE = np.array([BOY_SHARE, 1 - BOY_SHARE])
CREDIBILITY_EVENTS = 20.0  # expected births/deaths a district needs for its own scale to weigh as much as the city's
CREDIBILITY_PERSONS = 30.0  # opening cohort (person-years, after smoothing) weighing as much as the city's rate
SMOOTHING_WEIGHTS = np.array([1.0, 2.0, 3.0, 2.0, 1.0])  # across neighbouring ages, net migration rates
CHILD_BANDS: dict[str, tuple[int, int]] = {"0": (0, 0), "1-2": (1, 2), "3-5": (3, 5)}
ALL_AGES = "all"

# Probability of dying within a year (qx) at a few ages, men and women: 厚生労働省「第23回完全生命表」
# (2020), approximate and rounded; log-linear in between. Only the shape matters: each district scales it to its deaths.
_LIFE_TABLE_AGES = np.array([0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100])
_LIFE_TABLE_Q = np.array([
    [0.0018, 0.00030, 0.00008, 0.00007, 0.00017, 0.00042, 0.00050, 0.00055, 0.00070, 0.00095, 0.0015,
     0.0024, 0.0037, 0.0060, 0.0098, 0.016, 0.027, 0.045, 0.080, 0.14, 0.23, 0.37],
    [0.0016, 0.00025, 0.00007, 0.00006, 0.00010, 0.00022, 0.00025, 0.00028, 0.00038, 0.00055, 0.00085,
     0.0013, 0.0019, 0.0028, 0.0043, 0.0068, 0.012, 0.021, 0.041, 0.085, 0.17, 0.30],
])
STANDARD_DEATH_PROBABILITY = np.exp(np.stack([np.interp(AGES, _LIFE_TABLE_AGES, np.log(q)) for q in _LIFE_TABLE_Q]))

# Births per 1,000 women by age group 15–19 … 45–49: 厚生労働省「人口動態統計」2020 (TFR ≈ 1.33), approximate.
_ASFR_2020_PER_1000 = np.array([2.7, 24.7, 75.6, 95.0, 55.3, 12.2, 0.4])


class NotEnoughData(ValueError):
    """The data on file do not reach back far enough for a method (e.g. a projection needs two
    consecutive years). ``key`` names the message a page shows instead of the result."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key

def _standard_fertility() -> np.ndarray:
    """Births per woman by single age 0–100 (non-zero at 15–49), each 5-year group's total kept."""
    mids = 15 + 5 * np.arange(7) + 2
    single = np.zeros(N_AGES)
    single[15:50] = np.interp(AGES[15:50], mids, _ASFR_2020_PER_1000 / 1000)
    for g in range(7):
        s = slice(15 + 5 * g, 20 + 5 * g)
        single[s] *= 5 * _ASFR_2020_PER_1000[g] / 1000 / single[s].sum()
    return single


STANDARD_FERTILITY = _standard_fertility()


@dataclass(frozen=True)
class ProjectionParams:
    """What to project: how far, and the scenario."""

    years: int = 10  # fiscal years ahead of the base year
    births_change_pct: float = 0.0  # scenario: fertility vs the fitted rates, % (e.g. -10)
    migration_factor: float = 1.0  # scenario: × net migration by age (0 = closed population)
    fertility_trend: bool = True  # continue the fitted yearly trend of fertility
    base_fiscal_year: int | None = None  # default: latest stock year in the data


@dataclass(frozen=True)
class PopulationProjection:
    """A projection and the rates it used.

    ``table``: ``fiscal_year, district_id, sex, age, population`` (float, expected persons on
    1 April), the base year (observed) then base + 1 … base + years.

    ``rates``: one row per ``district_id × sex × age`` with

    * ``mortality_scale``, ``fertility_scale`` — the district's multipliers of the standard
      schedules (:data:`STANDARD_DEATH_PROBABILITY`, :data:`STANDARD_FERTILITY`);
    * ``death_probability`` — the district's yearly probability of death for residents aged
      ``age`` on 1 April;
    * ``fertility_rate`` — births per woman aged ``age`` on 1 April during the base fiscal year
      (the first projected year), before the scenario (0 for men);
    * ``net_migration_rate`` — net migrants of the cohort that is ``age`` on the *next* 1 April,
      per member of the cohort on this 1 April (aged ``age − 1``; for age 0 per birth of the
      year, for 100 per resident aged 99 or 100), before the scenario.

    ``checks``: per district, observed vs fitted over the history years: ``births``,
    ``expected_births``, ``deaths``, ``expected_deaths``, ``net_migration`` (recorded moved in
    − moved out) and ``residual_migration`` (net migration the stocks imply).
    """

    table: pd.DataFrame
    rates: pd.DataFrame
    base_fiscal_year: int
    params: ProjectionParams
    fertility_trend_per_year: float = 1.0  # fitted yearly factor of fertility (e.g. 0.975)
    history_fiscal_years: tuple[int, ...] = ()  # fiscal years whose flows the rates were fitted on
    checks: pd.DataFrame = field(default_factory=pd.DataFrame)


def _stocks(population: pd.DataFrame, meshes: pd.DataFrame | None, upto: int
            ) -> tuple[list[int], list[str], np.ndarray]:
    """April-1 residents as an array (year, district, sex, age) for stock years ≤ ``upto``.
    Rows carry their ``district_id``, or a ``mesh_code`` looked up in ``meshes``."""
    pop = population[population["fiscal_year"].astype(int) <= upto]
    if "district_id" in pop.columns:
        district = pop["district_id"].astype(str)
    else:
        codes = meshes.assign(mesh_code=meshes["mesh_code"].astype(str), district_id=meshes["district_id"].astype(str))
        lookup = codes.drop_duplicates("mesh_code").set_index("mesh_code")["district_id"]
        district = pop["mesh_code"].astype(str).map(lookup)
    keep = district.notna().to_numpy()
    pop, district = pop[keep], district[keep]
    years = sorted(int(y) for y in pop["fiscal_year"].unique())
    d_codes, districts = pd.factorize(district, sort=True)
    y_idx = pd.Index(years).get_indexer(pop["fiscal_year"].astype(int))
    s_idx = pd.Index(SEXES).get_indexer(pop["sex"].astype(str))
    age = np.clip(pop["age"].to_numpy(dtype=np.int64), 0, MAX_AGE)
    ok = s_idx >= 0
    n_d = len(districts)
    flat = ((y_idx * n_d + d_codes) * 2 + s_idx) * N_AGES + age
    arr = np.bincount(flat[ok], weights=pop["population"].to_numpy(dtype=float)[ok],
                      minlength=len(years) * n_d * 2 * N_AGES)
    return years, [str(d) for d in districts], arr.reshape(len(years), n_d, 2, N_AGES)


def _flows(change: pd.DataFrame, years: list[int], districts: list[str]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Births, deaths and net migration as (year, district) arrays and where a row was recorded."""
    rows = change[change["fiscal_year"].astype(int).isin(years)]
    y_idx = pd.Index(years).get_indexer(rows["fiscal_year"].astype(int))
    d_idx = pd.Index(districts).get_indexer(rows["district_id"].astype(str))
    ok = d_idx >= 0
    shape = (len(years), len(districts))
    seen = np.zeros(shape, dtype=bool)
    seen[y_idx[ok], d_idx[ok]] = True
    out = {}
    for name in ("births", "deaths", "moved_in", "moved_out"):
        a = np.zeros(shape)
        np.add.at(a, (y_idx[ok], d_idx[ok]), rows[name].to_numpy(dtype=float)[ok])
        out[name] = a
    out["net_migration"] = out["moved_in"] - out["moved_out"]
    return out, seen


def _age_one_year(stock: np.ndarray, q: np.ndarray, births: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Survivors on the next 1 April of a stock (…, 2, 101) and of the year's births (…),
    and the size of each cohort on this 1 April (the births for age 0): both (…, 2, 101)."""
    survivors = np.empty_like(stock)
    opening = np.empty_like(stock)
    alive = stock * (1 - q)
    survivors[..., 1:] = alive[..., :-1]
    survivors[..., MAX_AGE] += alive[..., MAX_AGE]
    by_sex = births[..., None] * SEX_SHARE
    survivors[..., 0] = by_sex * (1 - q[..., 0] / 2)
    opening[..., 1:] = stock[..., :-1]
    opening[..., MAX_AGE] += stock[..., MAX_AGE]
    opening[..., 0] = by_sex
    return survivors, opening


def _smooth_ages(x: np.ndarray) -> np.ndarray:
    """Weighted moving sum across ages 1–100 (age 0, the births, kept apart); last axis is age."""
    out = x.copy()
    h = len(SMOOTHING_WEIGHTS) // 2
    body = x[..., 1:]
    padded = np.concatenate([np.zeros(body.shape[:-1] + (h,)), body, np.zeros(body.shape[:-1] + (h,))], axis=-1)
    n = body.shape[-1]
    out[..., 1:] = sum(w * padded[..., k:k + n] for k, w in enumerate(SMOOTHING_WEIGHTS))
    return out


def _shrink(own_events: np.ndarray, own_expected: np.ndarray, weight: float) -> np.ndarray:
    """Ratio events ÷ expected per district, pulled towards the city's ratio by ``weight`` expected."""
    city_expected = own_expected.sum(0)
    city = np.divide(own_events.sum(0), city_expected, out=np.zeros_like(city_expected, dtype=float),
                     where=city_expected > 0)
    return (own_events + weight * city) / (own_expected + weight)


def project_population(population: pd.DataFrame, population_change: pd.DataFrame, meshes: pd.DataFrame | None,
                       params: ProjectionParams = ProjectionParams()) -> PopulationProjection:
    """Project residents by district × sex × single age ``params.years`` fiscal years ahead.

    ``population`` (``fiscal_year, mesh_code, sex, age, population``: April-1 stocks),
    ``population_change`` (``district_id, fiscal_year, births, deaths, moved_in, moved_out``:
    flows during each fiscal year) and ``meshes`` (``mesh_code → district_id``) are the city's
    datasets; or ``population`` carries a ``district_id`` (and ``meshes`` is ``None``), as the
    published stocks do (:func:`analytics.city.published_projection`: what pages show).
    See the module docstring for the method and its sources. Raises ``ValueError`` when the
    base year has no stock or there is no history year (two consecutive stocks up to the base
    year with the flows of the first recorded).
    """
    if params.years < 1:
        raise ValueError("years must be at least 1")
    if params.births_change_pct < -100:
        raise ValueError("births_change_pct cannot be below -100")
    if params.migration_factor < 0:
        raise ValueError("migration_factor cannot be negative")
    available = sorted(int(y) for y in population["fiscal_year"].unique())
    if not available:
        raise NotEnoughData("needs.projection_history", "no population stocks")
    base = int(params.base_fiscal_year) if params.base_fiscal_year is not None else available[-1]
    if base not in available:
        raise NotEnoughData("needs.projection_history", f"no population stock for the base fiscal year {base}")
    years, districts, stock = _stocks(population, meshes, base)
    recorded = {int(y) for y in population_change["fiscal_year"].unique()}
    history = [fy for fy in years if fy + 1 in years and fy in recorded]
    if not history:
        raise NotEnoughData("needs.projection_history",
                            "projection needs two consecutive April-1 stocks up to the base year and the flows between")
    at = pd.Index(years)
    opening_stock = stock[at.get_indexer(history)]  # (h, d, 2, a)
    closing_stock = stock[at.get_indexer([fy + 1 for fy in history])]
    flows, seen = _flows(population_change, history, districts)
    w = seen.astype(float)

    # 1. Mortality: scale the standard schedule to the observed deaths (opening stock + the year's babies).
    q_std = STANDARD_DEATH_PROBABILITY
    expected_deaths = ((opening_stock * q_std).sum((2, 3))
                       + flows["births"] * (SEX_SHARE * q_std[:, 0] / 2).sum())
    mortality_scale = _shrink((flows["deaths"] * w).sum(0), (expected_deaths * w).sum(0), CREDIBILITY_EVENTS)
    q = np.clip(mortality_scale[:, None, None] * q_std, 0.0, 1.0)  # (d, 2, a)

    # 2. Fertility: trend on the city's standardised births per woman 15–49, then a scale per district.
    std_births = (opening_stock[:, :, 1, :] * STANDARD_FERTILITY).sum(2)  # (h, d)
    city_births, city_std = (flows["births"] * w).sum(1), (std_births * w).sum(1)
    slope = 0.0
    if len(history) >= 2 and np.all(city_births > 0) and np.all(city_std > 0):
        slope = float(np.polyfit(np.array(history, float), np.log(city_births / city_std), 1)[0])
    last = history[-1]
    trend = np.exp(slope * (np.array(history) - last))  # relative to the last history year
    fertility_scale = _shrink((flows["births"] * w).sum(0), (std_births * trend[:, None] * w).sum(0),
                              CREDIBILITY_EVENTS)
    births_used = np.where(seen, flows["births"], fertility_scale * trend[:, None] * std_births)

    # 3. Net migration: the residual of the stocks, as rates of the opening cohort.
    survivors, opening = _age_one_year(opening_stock, q[None], births_used)
    residual = closing_stock - survivors  # (h, d, 2, a)
    net_sum, base_sum = _smooth_ages(residual.sum(0)), _smooth_ages(opening.sum(0))
    city_rate = np.divide(net_sum.sum(0), base_sum.sum(0), out=np.zeros((2, N_AGES)), where=base_sum.sum(0) > 0)
    migration_rate = (net_sum + CREDIBILITY_PERSONS * city_rate) / (base_sum + CREDIBILITY_PERSONS)

    # Projection.
    base_stock = stock[at.get_loc(base)]
    fert = fertility_scale[:, None] * STANDARD_FERTILITY  # (d, a): births per woman at the last history year
    birth_factor = 1 + params.births_change_pct / 100
    frames = [base_stock]
    current = base_stock
    for k in range(params.years):
        fy = base + k  # the fiscal year whose events turn 1 April fy into 1 April fy + 1
        level = np.exp(slope * (fy - last)) if params.fertility_trend else 1.0
        births = (current[:, 1, :] * fert).sum(1) * level * birth_factor
        surv, open_ = _age_one_year(current, q, births)
        current = np.maximum(surv + params.migration_factor * migration_rate * open_, 0.0)
        frames.append(current)

    n_d = len(districts)
    out = np.stack(frames)  # (t, d, 2, a)
    n_t = out.shape[0]
    table = pd.DataFrame({
        "fiscal_year": np.repeat(np.arange(base, base + n_t), n_d * 2 * N_AGES),
        "district_id": np.tile(np.repeat(np.array(districts, dtype=object), 2 * N_AGES), n_t),
        "sex": np.tile(np.repeat(np.array(SEXES, dtype=object), N_AGES), n_t * n_d),
        "age": np.tile(AGES, n_t * n_d * 2),
        "population": out.ravel(),
    })
    first_level = np.exp(slope * (base - last)) if params.fertility_trend else 1.0
    fertility_rate = np.zeros((n_d, 2, N_AGES))
    fertility_rate[:, 1, :] = fert * first_level
    rates = pd.DataFrame({
        "district_id": np.repeat(np.array(districts, dtype=object), 2 * N_AGES),
        "sex": np.tile(np.repeat(np.array(SEXES, dtype=object), N_AGES), n_d),
        "age": np.tile(AGES, n_d * 2),
        "mortality_scale": np.repeat(mortality_scale, 2 * N_AGES),
        "fertility_scale": np.repeat(fertility_scale, 2 * N_AGES),
        "death_probability": q.ravel(),
        "fertility_rate": fertility_rate.ravel(),
        "net_migration_rate": migration_rate.ravel(),
    })
    checks = pd.DataFrame({
        "district_id": districts,
        "births": (flows["births"] * w).sum(0),
        "expected_births": (fertility_scale * trend[:, None] * std_births * w).sum(0),
        "deaths": (flows["deaths"] * w).sum(0),
        "expected_deaths": (mortality_scale * expected_deaths * w).sum(0),
        "net_migration": (flows["net_migration"] * w).sum(0),
        "residual_migration": (residual.sum((2, 3)) * w).sum(0),
    })
    return PopulationProjection(table=table, rates=rates, base_fiscal_year=base, params=params,
                                fertility_trend_per_year=float(np.exp(slope)), history_fiscal_years=tuple(history),
                                checks=checks)


def age_band_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Residents by ``fiscal_year × district_id × age_band`` (:data:`CHILD_BANDS` and ``all``), both sexes."""
    frames = []
    for band, (lo, hi) in [*CHILD_BANDS.items(), (ALL_AGES, (0, MAX_AGE))]:
        part = table[table["age"].between(lo, hi)]
        g = part.groupby(["fiscal_year", "district_id"], as_index=False)["population"].sum()
        frames.append(g.assign(age_band=band))
    return pd.concat(frames, ignore_index=True)[["fiscal_year", "district_id", "age_band", "population"]]


def backtest_population(population: pd.DataFrame, population_change: pd.DataFrame, meshes: pd.DataFrame,
                        holdout_years: int = 2) -> pd.DataFrame:
    """Fit on the stocks up to ``latest − holdout_years`` (and the flows before), project
    ``holdout_years`` ahead and compare with the observed stocks.

    One row per projected fiscal year × district × age band (``0``, ``1-2``, ``3-5`` of
    :data:`CHILD_BANDS` and ``all``), both sexes: ``observed``, ``projected``, ``error``
    (projected − observed) and ``abs_pct_error`` (|error| ÷ observed × 100; NaN when nobody was
    observed). Districts only; sum the rows for the city.
    """
    if holdout_years < 1:
        raise ValueError("holdout_years must be at least 1")
    latest = int(population["fiscal_year"].max())
    base = latest - holdout_years
    proj = project_population(population, population_change, meshes,
                              ProjectionParams(years=holdout_years, base_fiscal_year=base))
    later = population[population["fiscal_year"].astype(int) > base]
    _, districts, stock = _stocks(later, meshes, latest)
    years = sorted(int(y) for y in later["fiscal_year"].unique())
    n_d = len(districts)
    observed_long = pd.DataFrame({
        "fiscal_year": np.repeat(years, n_d * 2 * N_AGES),
        "district_id": np.tile(np.repeat(np.array(districts, dtype=object), 2 * N_AGES), len(years)),
        "age": np.tile(AGES, len(years) * n_d * 2),
        "population": stock.ravel(),
    })
    observed = age_band_totals(observed_long).rename(columns={"population": "observed"})
    projected = age_band_totals(proj.table[proj.table["fiscal_year"] > base]).rename(
        columns={"population": "projected"})
    out = observed.merge(projected, on=["fiscal_year", "district_id", "age_band"], how="outer")
    out[["observed", "projected"]] = out[["observed", "projected"]].fillna(0.0)
    out["error"] = out["projected"] - out["observed"]
    obs = out["observed"].to_numpy()
    out["abs_pct_error"] = np.where(obs > 0, np.abs(out["error"].to_numpy()) / np.where(obs > 0, obs, 1) * 100, np.nan)
    band_order = out["age_band"].map({b: i for i, b in enumerate([*CHILD_BANDS, ALL_AGES])})
    out = out.assign(_band=band_order).sort_values(["fiscal_year", "district_id", "_band"], ignore_index=True)
    return out.drop(columns="_band")
