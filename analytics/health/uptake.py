"""Uptake (受診率), attendance patterns and who does not attend: the statistics of 特定健診.

Proportions are fractions (0.04 = 4%); fiscal years are 年度 (April–March). Counts here are exact counts of
people: they reach a page only through :mod:`analytics.health.publication`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

# statsmodels is imported in the functions that use it (see analytics.core.evaluation)
from analytics.city import SEXES
from analytics.core import geo
from analytics.core.evaluation import cluster_critical_value

TARGET_UPTAKE = 0.60
"""国の目標: 特定健診 uptake target for municipal NHI (市町村国保), 60% (第4期特定健康診査等実施計画)."""

# 市町村国保 特定健診 受診率, FY2023 (令和5年度): 38.2% (all insurers 59.9%); MHLW 特定健康診査・
# 特定保健指導の実施状況 (via wic-net.com/material/document/20203/5).
NATIONAL_NHI_UPTAKE = 0.382
"""National municipal-NHI 特定健診 uptake, FY2023 (MHLW): 38.2%."""

AGE_MIN, AGE_MAX = 40, 74
AGE_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(AGE_MIN, AGE_MAX + 1, 5))
"""5-year age bands of the insured 40–74: '40-44' … '70-74' (the age on 31 March of the fiscal year)."""

PATTERNS: tuple[str, ...] = ("every_year", "returning", "lapsed", "never")
"""Attendance patterns over consecutive fiscal years (see :func:`attendance_patterns`)."""

FUNNEL_STEPS: tuple[str, ...] = ("eligible", "attended", "guidance_eligible", "guidance_completed")
"""Steps of the checkup funnel: 対象者 → 受診者 → 特定保健指導対象者 → 特定保健指導終了者."""

UPTAKE_BY: tuple[str, ...] = ("fiscal_year", "age_band", "sex", "district_id")
"""Columns :func:`uptake_counts` can break the counts down by."""

MODEL_COVARIATES: tuple[str, ...] = ("sex", "age_band", "under_treatment", "past_attendance", "distance_band")
"""Covariates :func:`nonattendance_model` knows (``distance_band`` only when the frame has it)."""

PAST_LEVELS: tuple[str, ...] = ("no", "yes", "no record")
"""Levels of ``past_attendance`` (attended the previous fiscal year); 'no' is the reference."""


# ----------------------------------------------------------------------------- proportions


def wilson_interval(successes: ArrayLike, n: ArrayLike, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (1 − ``alpha``, default 95%) for ``successes`` out of ``n``, elementwise.

    Vectorised over arrays of any (broadcastable) shape; returns ``(low, high)`` as float
    arrays of that shape, in fractions. NaN where ``n`` is 0 or either count is NaN (a count the
    publication hid). Raises ValueError for a negative count or ``successes > n``. Method:
    Wilson (1927), the closed form statsmodels' ``proportion_confint(method="wilson")`` uses
    (a test checks them equal) with the normal quantile from the standard library: the first
    tab of the health page and the home page's card need no SciPy (0.4 s a process)."""
    k = np.asarray(pd.to_numeric(pd.Series(np.ravel(successes)), errors="coerce"), dtype=float)
    m = np.asarray(pd.to_numeric(pd.Series(np.ravel(n)), errors="coerce"), dtype=float)
    shape = np.broadcast_shapes(np.shape(successes), np.shape(n))
    k = np.broadcast_to(k.reshape(np.shape(successes)), shape).astype(float)
    m = np.broadcast_to(m.reshape(np.shape(n)), shape).astype(float)
    known = np.isfinite(k) & np.isfinite(m)
    if (known & ((k < 0) | (m < 0) | (k > m))).any():
        raise ValueError("counts must satisfy 0 ≤ successes ≤ n")
    ok = known & (m > 0)
    low = np.full(shape, np.nan)
    high = np.full(shape, np.nan)
    if ok.any():
        z = NormalDist().inv_cdf(1 - alpha / 2)
        q, nobs = k[ok] / m[ok], m[ok]
        denom = 1 + z * z / nobs
        centre = (q + z * z / (2 * nobs)) / denom
        half = z * np.sqrt(q * (1 - q) / nobs + z * z / (4 * nobs * nobs)) / denom
        low[ok], high[ok] = centre - half, centre + half
    return low, high


def age_band(age: ArrayLike) -> pd.Series:
    """The 5-year band of :data:`AGE_BANDS` of each age (whole years on 31 March of the fiscal
    year), as an ordered categorical Series (the index of ``age`` is kept when it is a Series).
    Ages outside 40–74 or missing get NaN."""
    index = age.index if isinstance(age, pd.Series) else None
    a = pd.to_numeric(pd.Series(np.asarray(age).ravel() if index is None else age.to_numpy()), errors="coerce")
    inside = a.between(AGE_MIN, AGE_MAX)
    codes = np.where(inside, ((a.where(inside, AGE_MIN) - AGE_MIN) // 5).to_numpy(dtype=float), -1).astype(int)
    cat = pd.Categorical.from_codes(codes, categories=list(AGE_BANDS), ordered=True)
    return pd.Series(cat, index=index, name="age_band")


def rates(counts: pd.DataFrame, attended: str = "attended", eligible: str = "eligible") -> pd.DataFrame:
    """A copy of ``counts`` with ``rate`` = ``attended`` ÷ ``eligible`` and its Wilson 95%
    interval ``rate_low``, ``rate_high`` (fractions).

    Meant for *published* counts: a rate is given only where both counts are shown (NaN where
    either is hidden — NaN or a non-number such as '<10' — or where ``eligible`` is 0), so a
    shown rate never reveals a hidden count."""
    for col in (attended, eligible):
        if col not in counts.columns:
            raise ValueError(f"rates: column {col!r} is missing (columns: {list(counts.columns)})")
    k = pd.to_numeric(counts[attended], errors="coerce").to_numpy(dtype=float)
    n = pd.to_numeric(counts[eligible], errors="coerce").to_numpy(dtype=float)
    low, high = wilson_interval(k, n)
    out = counts.copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rate"] = np.where(np.isfinite(low), k / n, np.nan)
    out["rate_low"] = low
    out["rate_high"] = high
    return out


# ----------------------------------------------------------------------------- counts


def _check_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing} (columns: {list(frame.columns)})")


def _with_band(checkups: pd.DataFrame) -> pd.DataFrame:
    """``checkups`` with ``age_band``; raises ValueError for ages outside 40–74."""
    band = age_band(checkups["age"])
    if band.isna().any():
        bad = sorted(pd.unique(checkups.loc[band.isna().to_numpy(), "age"]).tolist())[:10]
        raise ValueError(f"特定健診 covers ages {AGE_MIN}–{AGE_MAX}; found ages {bad}")
    return checkups.assign(age_band=band.to_numpy())


def _attended(frame: pd.DataFrame) -> pd.Series:
    a = pd.to_numeric(frame["attended"], errors="coerce")
    if a.isna().any() or not a.isin([0, 1]).all():
        raise ValueError("'attended' must be 0 or 1 in every row")
    return a.astype(int)


def uptake_counts(checkups: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Exact counts of the eligible (rows: insured persons aged 40–74) and of those who
    ``attended``, by the columns ``by`` (any of :data:`UPTAKE_BY`; ``age_band`` is derived from
    ``age``). One row per combination present in the data, sorted (age bands in age order),
    columns ``*by, eligible, attended``; with ``by`` empty, one row for everyone. Exact
    counts: suppress before showing, then :func:`rates`."""
    by = list(by)
    unknown = [c for c in by if c not in UPTAKE_BY]
    if unknown:
        raise ValueError(f"uptake_counts: cannot break down by {unknown}; choose from {UPTAKE_BY}")
    _check_columns(checkups, ["age", "attended", *(c for c in by if c != "age_band")], "uptake_counts")
    frame = _with_band(checkups).assign(attended=_attended(checkups).to_numpy())
    if not by:
        return pd.DataFrame({"eligible": [len(frame)], "attended": [int(frame["attended"].sum())]})
    g = frame.groupby(by, observed=True, sort=True)["attended"]
    out = pd.DataFrame({"eligible": g.size(), "attended": g.sum()}).reset_index()
    return out.astype({"eligible": "int64", "attended": "int64"})


def funnel(checkups: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Exact counts of the checkup funnel of ``fiscal_year``: ``step`` (:data:`FUNNEL_STEPS`)
    and ``count``. Each step is a subset of the one before: attended; guidance-eligible *and*
    attended (特定保健指導 is decided from the checkup); completed *and* guidance-eligible *and*
    attended — a flag set against the order is not counted. Exact counts: suppress before showing."""
    _check_columns(checkups, ["fiscal_year", "attended", "guidance_eligible", "guidance_completed"], "funnel")
    year = checkups[pd.to_numeric(checkups["fiscal_year"]) == fiscal_year]
    attended = _attended(year).to_numpy() == 1
    eligible_g = attended & year["guidance_eligible"].fillna(False).astype(bool).to_numpy()
    completed = eligible_g & year["guidance_completed"].fillna(False).astype(bool).to_numpy()
    counts = [len(year), int(attended.sum()), int(eligible_g.sum()), int(completed.sum())]
    return pd.DataFrame({"step": list(FUNNEL_STEPS), "count": counts})


# ----------------------------------------------------------------------------- attendance patterns


@dataclass(frozen=True)
class Share:
    """A share with its exact parts: ``numerator`` ÷ ``denominator`` (``value``, NaN when the
    denominator is 0). Exact counts of people: suppress before showing."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float:
        return self.numerator / self.denominator if self.denominator else math.nan


@dataclass(frozen=True)
class AttendancePatterns:
    """Attendance over the fiscal years ``first_year … fiscal_year`` (see :func:`attendance_patterns`).

    ``counts``: ``pattern`` × ``sex`` × ``age_band`` (age and sex in the latest year) →
    ``persons``, exact counts over the full grid of :data:`PATTERNS` × :data:`SEXES` ×
    :data:`AGE_BANDS` (zeros included), for persons insured in every one of the years.
    ``under_treatment_share``: among *all* the latest year's non-attenders (not only those insured
    every year), those already under treatment (通院中) — numerator — over the non-attenders —
    denominator. ``by_person``: ``person_id``, ``pattern``; **person-level: for other analyses
    only, never to reach a page or a download.**"""

    fiscal_year: int
    years: int
    counts: pd.DataFrame
    under_treatment_share: Share
    by_person: pd.DataFrame

    @property
    def first_year(self) -> int:
        return self.fiscal_year - self.years + 1


def attendance_patterns(checkups: pd.DataFrame, fiscal_year: int, years: int = 3) -> AttendancePatterns:
    """Attendance patterns of the persons insured in each of the ``years`` fiscal years ending
    at ``fiscal_year`` (e.g. FY2023–2025 for 2025 and 3):

    * ``every_year`` (毎年受診): attended every year;
    * ``never`` (未受診): attended in none;
    * ``lapsed`` (中断): did not attend in the latest year but did in an earlier one;
    * ``returning`` (再開・不定期): attended in the latest year but not every year.

    Persons who joined or left NHI within the window are left out of the patterns (their
    history is incomplete). See :class:`AttendancePatterns` for the parts. Raises ValueError
    for ``years < 2``, a person with two rows in a year, or a missing column."""
    if years < 2:
        raise ValueError(f"attendance_patterns needs at least 2 fiscal years, got {years}")
    _check_columns(checkups, ["person_id", "fiscal_year", "age", "sex", "attended", "under_treatment"],
                   "attendance_patterns")
    fy = pd.to_numeric(checkups["fiscal_year"])
    inside = fy.between(fiscal_year - years + 1, fiscal_year).to_numpy()
    window = checkups[inside].reset_index(drop=True)
    window = window.assign(person_id=window["person_id"].astype(str), fiscal_year=fy[inside].astype(int).to_numpy(),
                           attended=_attended(window).to_numpy())
    if window.duplicated(["person_id", "fiscal_year"]).any():
        raise ValueError("attendance_patterns: a person has more than one row in a fiscal year")
    wide = window.pivot(index="person_id", columns="fiscal_year", values="attended")
    wide = wide.reindex(columns=range(fiscal_year - years + 1, fiscal_year + 1)).dropna()
    att = wide.to_numpy(dtype=int)
    latest, total = att[:, -1], att.sum(axis=1)
    pattern = np.select([total == years, total == 0, latest == 0], ["every_year", "never", "lapsed"], "returning")
    by_person = pd.DataFrame({"person_id": wide.index.astype(str),
                              "pattern": pd.Categorical(pattern, categories=list(PATTERNS))})

    last = window[window["fiscal_year"] == fiscal_year]
    last = _with_band(last).set_index("person_id")
    people = last.loc[by_person["person_id"], ["sex", "age_band"]].reset_index(drop=True)
    people["pattern"] = by_person["pattern"].to_numpy()
    grid = pd.MultiIndex.from_product([PATTERNS, SEXES, AGE_BANDS], names=["pattern", "sex", "age_band"])
    n = people.groupby(["pattern", people["sex"].astype(str), people["age_band"].astype(str)], observed=True).size()
    counts = n.reindex(grid, fill_value=0).rename("persons").reset_index().astype({"persons": "int64"})

    non = last["attended"] == 0
    treated = last["under_treatment"].fillna(False).astype(bool)
    share = Share(numerator=int((non & treated).sum()), denominator=int(non.sum()))
    return AttendancePatterns(fiscal_year=int(fiscal_year), years=int(years), counts=counts,
                              under_treatment_share=share, by_person=by_person)


# ----------------------------------------------------------------------------- who does not attend


@dataclass(frozen=True)
class LogitResult:
    """A logistic regression of *not* attending (see :func:`nonattendance_model`).

    ``odds_ratios``: ``term``, ``variable``, ``level``, ``reference``, ``odds_ratio``, ``low``,
    ``high`` (95%), ``p_value`` — one row per term, intercept left out; an odds ratio above 1
    means *more* likely not to attend. ``marginal_effects``: ``term``, ``variable``, ``level``,
    ``reference``, ``ame`` (average marginal effect on the probability of not attending, in
    fractions: 0.05 = 5 points), ``low``, ``high`` (95%). ``n``: persons in the model;
    ``clusters``: districts (the clusters of the standard errors)."""

    fiscal_year: int
    odds_ratios: pd.DataFrame
    marginal_effects: pd.DataFrame
    n: int
    clusters: int


_VARIABLE_LABEL = {"sex": "sex", "age_band": "age", "under_treatment": "under treatment (通院中)",
                   "past_attendance": "attended last year", "distance_band": "distance band"}


def _levels(values: pd.Series, variable: str) -> list:
    """Levels of a categorical covariate, the reference first."""
    if variable == "sex":
        present = set(values.astype(str))
        return [s for s in SEXES if s in present] + sorted(present - set(SEXES))
    if variable == "age_band":
        present = set(values.astype(str))
        return [b for b in AGE_BANDS if b in present]
    if variable == "under_treatment":
        return [False, True]
    if variable == "past_attendance":
        present = set(values)
        return [p for p in PAST_LEVELS if p in present]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [c for c in values.cat.categories if (values == c).any()]
    return sorted(pd.unique(values.dropna()).tolist(), key=str)


def _level_label(variable: str, level) -> str:
    if variable == "under_treatment":
        return "yes" if level else "no"
    return str(level)


def _past_attendance(frame: pd.DataFrame, fiscal_year: int) -> pd.Series:
    """'yes' / 'no' (attended the previous fiscal year) by person_id; a person without a row that
    year is absent (the caller gives them 'no record')."""
    fy = pd.to_numeric(frame["fiscal_year"])
    prev = frame[fy == fiscal_year - 1]
    ids = prev["person_id"].astype(str)
    if ids.duplicated().any():
        raise ValueError("nonattendance_model: a person has more than one row in a fiscal year")
    return pd.Series(np.where(_attended(prev).to_numpy() == 1, "yes", "no"), index=ids.to_numpy())


def nonattendance_model(frame: pd.DataFrame, fiscal_year: int, *,
                        covariates: Sequence[str] | None = None) -> LogitResult:
    """Who does not attend: a logistic regression of not attending (1 = did not attend) in
    ``fiscal_year`` on ``covariates`` (default: sex, age band, under treatment (通院中), past
    attendance, and ``distance_band`` when the frame has that column), with cluster-robust
    standard errors by ``district_id`` (statsmodels ``Logit.fit(cov_type="cluster", use_t=True)``,
    with its small-sample correction). Intervals and p-values use the same rule as every
    cluster-robust interval of the project (:func:`analytics.core.evaluation.cluster_critical_value`):
    Student's t with G − 1 degrees of freedom for G districts (statsmodels sets
    ``df_resid_inference = G − 1`` for ``cov_type="cluster"`` with ``use_t=True``), not the
    normal z = 1.96 — with about 40 districts, t(39) = 2.02.

    ``frame`` is ``checkups`` (every fiscal year it has; the previous year gives past
    attendance). Terms, each against a reference: sex F vs M; each age band vs 40-44; under
    treatment yes vs no; attended last year yes vs no and 'no record' vs no (not insured the
    previous year: newly 40 or moved in); ``distance_band`` per step when numeric, each band vs
    the first (its first category, or the smallest value) otherwise. Levels not in the data are
    left out. Rows missing a covariate (or aged outside 40–74) are dropped (``.n`` counts those used).

    Marginal effects are average marginal effects over the persons in the model. For a
    categorical term, the counterfactual difference: the mean predicted probability with
    everyone at the level minus with everyone at the reference (as Stata's ``margins``); for a
    numeric ``distance_band``, the mean derivative. Their 95% intervals come from the delta
    method with the *cluster-robust* covariance and the t(G − 1) critical value. Their standard
    errors equal statsmodels ``get_margeff(at="overall", dummy=True)`` for two-level terms and
    numeric ones (which uses ``results.cov_params()``, hence the cluster covariance; its own
    intervals are normal ones); for terms of three or more levels
    (age band) ``get_margeff`` switches one dummy on while a person keeps their own band, an
    impossible combination, so it is computed here instead."""
    from statsmodels.discrete.discrete_model import Logit  # not statsmodels.api: it imports every model
    _check_columns(frame, ["person_id", "fiscal_year", "attended", "district_id"], "nonattendance_model")
    if covariates is None:
        covariates = [c for c in MODEL_COVARIATES if c != "distance_band" or c in frame.columns]
    covariates = list(covariates)
    unknown = [c for c in covariates if c not in MODEL_COVARIATES]
    if unknown:
        raise ValueError(f"nonattendance_model: unknown covariate(s) {unknown}; choose from {MODEL_COVARIATES}")
    if not covariates:
        raise ValueError("nonattendance_model: give at least one covariate")
    needed = {"sex": "sex", "age_band": "age", "under_treatment": "under_treatment", "distance_band": "distance_band"}
    _check_columns(frame, [needed[c] for c in covariates if c in needed], "nonattendance_model")

    year = frame[pd.to_numeric(frame["fiscal_year"]) == fiscal_year]
    if year.empty:
        raise ValueError(f"nonattendance_model: no rows for fiscal year {fiscal_year}")
    data = pd.DataFrame({"y": 1 - _attended(year).to_numpy(), "district_id": year["district_id"].to_numpy()})
    for c in covariates:
        if c == "age_band":
            data[c] = age_band(year["age"]).astype(object).to_numpy()
        elif c == "past_attendance":
            past = _past_attendance(frame, fiscal_year)
            data[c] = past.reindex(year["person_id"].astype(str)).fillna("no record").to_numpy()
        elif c == "under_treatment":
            ut = year["under_treatment"]
            data[c] = ut.astype(object).where(ut.notna(), None).to_numpy()
        else:
            data[c] = year[c].array  # keeps a categorical's order
    data = data.dropna().reset_index(drop=True)
    if data.empty:
        raise ValueError("nonattendance_model: no complete rows")

    # design matrix: intercept, then one column per term
    cols, terms = [np.ones(len(data))], []  # term: (label, variable, level, reference, column)
    categorical = {}
    for c in covariates:
        v = data[c]
        if c == "distance_band" and pd.api.types.is_numeric_dtype(v) and not isinstance(v.dtype, pd.CategoricalDtype):
            terms.append((f"{_VARIABLE_LABEL[c]} (per step)", c, "per step", "", len(cols)))
            cols.append(v.to_numpy(dtype=float))
            continue
        if c == "under_treatment":
            v = v.astype(bool)
        levels = _levels(v, c)
        ref, rest = levels[0], levels[1:]
        idx = []
        for lev in rest:
            lab = f"{_VARIABLE_LABEL[c]}: {_level_label(c, lev)} vs {_level_label(c, ref)}"
            terms.append((lab, c, _level_label(c, lev), _level_label(c, ref), len(cols)))
            idx.append(len(cols))
            cols.append((v == lev).to_numpy(dtype=float))
        categorical[c] = idx
    X = np.column_stack(cols)
    groups = pd.factorize(data["district_id"].astype(str))[0]
    fit = Logit(data["y"].to_numpy(dtype=float), X).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    params, cov = np.asarray(fit.params), np.asarray(fit.cov_params())
    ci = np.asarray(fit.conf_int(0.05))
    pvalues = np.asarray(fit.pvalues)

    head = ["term", "variable", "level", "reference"]
    odds = pd.DataFrame([(*t[:4], math.exp(params[t[4]]), math.exp(ci[t[4], 0]), math.exp(ci[t[4], 1]),
                          float(pvalues[t[4]])) for t in terms],
                        columns=[*head, "odds_ratio", "low", "high", "p_value"])

    z = cluster_critical_value(int(groups.max() + 1))  # t(G − 1), as the odds ratios' intervals
    xb = X @ params
    p = 1 / (1 + np.exp(-xb))
    rows = []
    for label, variable, level, reference, j in terms:
        if variable in categorical:
            x1, x0 = X.copy(), X.copy()
            x1[:, categorical[variable]] = 0.0
            x0[:, categorical[variable]] = 0.0
            x1[:, j] = 1.0
            p1, p0 = 1 / (1 + np.exp(-x1 @ params)), 1 / (1 + np.exp(-x0 @ params))
            ame = float(np.mean(p1 - p0))
            grad = ((p1 * (1 - p1))[:, None] * x1 - (p0 * (1 - p0))[:, None] * x0).mean(axis=0)
        else:
            dens = p * (1 - p)
            ame = float(np.mean(dens) * params[j])
            grad = ((dens * (1 - 2 * p))[:, None] * X).mean(axis=0) * params[j]
            grad[j] += float(np.mean(dens))
        se = math.sqrt(float(grad @ cov @ grad))
        rows.append((label, variable, level, reference, ame, ame - z * se, ame + z * se))
    margins = pd.DataFrame(rows, columns=[*head, "ame", "low", "high"])
    return LogitResult(fiscal_year=int(fiscal_year), odds_ratios=odds, marginal_effects=margins,
                       n=int(len(data)), clusters=int(groups.max() + 1))


def past_attendance(checkups: pd.DataFrame, fiscal_year: int) -> pd.Series:
    """For each person insured in ``fiscal_year``: ``attended_last`` (attended the year before),
    ``lapsed`` (attended in an earlier year of the data, not the year before) or ``never`` (no
    attendance in the years observed, new members included). Indexed by ``person_id``; person-level:
    for analyses and published tables, never for a page."""
    before = checkups[checkups["fiscal_year"] < fiscal_year]
    attended = before[before["attended"] == 1]
    last = attended.loc[attended["fiscal_year"] == fiscal_year - 1, "person_id"]
    ids = checkups.loc[checkups["fiscal_year"] == fiscal_year, "person_id"]
    past = np.where(_member(ids, last), "attended_last",
                    np.where(_member(ids, attended["person_id"]), "lapsed", "never"))
    return pd.Series(past.astype(object), index=ids.to_numpy(), name="past")


def _member(ids: pd.Series, values: pd.Series) -> np.ndarray:
    """``ids.isin(values)``, through a hash index of the distinct values: pandas' ``isin`` on
    Arrow-backed strings turns every value into a Python object first (2 s of a scale-2 city's
    publication, against 0.3 s)."""
    return pd.Index(values).unique().get_indexer(ids) >= 0


DISTANCE_BANDS_KM: tuple[float, ...] = (1.0, 2.0, 4.0)  # 0–1, 1–2, 2–4, 4+ km to the nearest open site


def with_site_distance(checkups: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """``checkups`` with ``distance_km`` (straight line from the centre of the person's 500 m mesh to
    the nearest site open that fiscal year, i.e. ``opened_fiscal_year`` ≤ the year; EPSG:6673)
    and ``distance_band`` (an ordered category: 0–1, 1–2, 2–4, 4+ km; NaN while no site is open),
    derived — never stored."""
    out = checkups.copy()
    out["distance_km"] = np.inf
    codes = pd.unique(out["mesh_code"].astype(str))
    xy = geo.mesh_plane_xy(codes)
    for fy in sorted(out["fiscal_year"].unique()):
        open_ = sites[sites["opened_fiscal_year"] <= fy]
        if open_.empty:
            continue
        dist, _ = geo.nearest_distance_m(xy, geo.points_plane_xy(open_))
        rows = out["fiscal_year"] == fy
        out.loc[rows, "distance_km"] = pd.Series(dist / 1000, index=codes).reindex(
            out.loc[rows, "mesh_code"].astype(str)).to_numpy()
    edges = [0.0, *DISTANCE_BANDS_KM, np.inf]
    labels = [f"{a:g}-{b:g}km" if np.isfinite(b) else f"{a:g}km+" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    out["distance_band"] = pd.cut(out["distance_km"], edges, labels=labels, right=False, ordered=True)
    return out
