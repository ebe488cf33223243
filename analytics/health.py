"""Health checkups (特定健診): uptake, attendance patterns, who does not attend, and nudge trials.

The statistics behind the 特定健診 page, on the ``checkups`` dataset (one row per NHI-insured
person aged 40–74 and fiscal year; ``attended`` 0/1, ``under_treatment`` = 通院中, the
特定保健指導 flags, and ``arm`` of the FY2025 letter trial). Fiscal years are 年度 (April–March);
``age`` is the age on 31 March of the fiscal year, as 特定健診 counts it. Proportions are
fractions (0.04 = 4%), never percentages; money is in yen (円).

* **Uptake (受診率)** = attended ÷ eligible (the insured aged 40–74), with Wilson 95% intervals
  (:func:`wilson_interval`, :func:`rates`). The national target for municipal NHI is
  :data:`TARGET_UPTAKE` (60%); :data:`NATIONAL_NHI_UPTAKE` is the national municipal-NHI figure.
* **Attendance patterns** over three fiscal years (毎年受診, 未受診, 中断, 再開):
  :func:`attendance_patterns`.
* **Who does not attend**: a logistic regression of not attending with cluster-robust standard
  errors by district (:func:`nonattendance_model`).
* **Nudge trial (受診勧奨通知の効果検証)**: uptake per arm, differences and risk ratios against
  the control arm with their intervals, Holm-adjusted p-values, letters and yen per extra
  attendee (:func:`trial_readout`), and the people per arm a trial needs
  (:func:`sample_size_per_arm`).

Privacy: :func:`uptake_counts`, :func:`funnel`, :attr:`AttendancePatterns.counts` and the
trial's counts are **exact counts of people**; they must go through the publication
(suppression) before a page shows them, and :func:`rates` is then called on the *published*
counts (a rate is computed only where both counts are shown). :attr:`AttendancePatterns.by_person`
is person-level and must never reach a page or a download.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import statsmodels.api as sm
from numpy.typing import ArrayLike
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
    test_proportions_2indep,
)

from analytics.core import geo
from analytics.core.publication import Publication, PublicationBuilder, mark_counts
from analytics.population import SEXES, publication_districts

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
    Wilson (1927), via ``statsmodels.stats.proportion.proportion_confint(method="wilson")``."""
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
        lo, hi = proportion_confint(k[ok], m[ok], alpha=alpha, method="wilson")
        low[ok], high[ok] = lo, hi
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
    ``untreated_share``: among *all* the latest year's non-attenders (not only those insured
    every year), those already under treatment (通院中) — numerator — over the non-attenders —
    denominator. ``by_person``: ``person_id``, ``pattern``; **person-level: for other analyses
    only, never to reach a page or a download.**"""

    fiscal_year: int
    years: int
    counts: pd.DataFrame
    untreated_share: Share
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
                              untreated_share=share, by_person=by_person)


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
    standard errors by ``district_id`` (statsmodels ``Logit.fit(cov_type="cluster")``, with
    its small-sample correction; intervals use the normal distribution).

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
    method with the *cluster-robust* covariance. This equals statsmodels
    ``get_margeff(at="overall", dummy=True)`` for two-level terms and numeric ones (which uses
    ``results.cov_params()``, hence the cluster covariance); for terms of three or more levels
    (age band) ``get_margeff`` switches one dummy on while a person keeps their own band, an
    impossible combination, so it is computed here instead."""
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
    fit = sm.Logit(data["y"].to_numpy(dtype=float), X).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": groups})
    params, cov = np.asarray(fit.params), np.asarray(fit.cov_params())
    ci = np.asarray(fit.conf_int(0.05))
    pvalues = np.asarray(fit.pvalues)

    head = ["term", "variable", "level", "reference"]
    odds = pd.DataFrame([(*t[:4], math.exp(params[t[4]]), math.exp(ci[t[4], 0]), math.exp(ci[t[4], 1]),
                          float(pvalues[t[4]])) for t in terms],
                        columns=[*head, "odds_ratio", "low", "high", "p_value"])

    z = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
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


# ----------------------------------------------------------------------------- nudge trial


@dataclass(frozen=True)
class TrialReadout:
    """The readout of a letter trial (see :func:`trial_readout`).

    ``arms``: ``arm``, ``invited``, ``attended``, ``rate``, ``rate_low``, ``rate_high``.
    ``effects``: one row per non-control arm — ``arm``, ``diff``, ``diff_low``,
    ``diff_high``, ``risk_ratio``, ``rr_low``, ``rr_high``, ``p_value``, ``p_holm``,
    ``letters_per_extra_attendee``, ``cost_per_extra_attendee_yen``. ``by_segment``: the
    same per value of each segment column, with ``segment``, ``value``, ``arm``, ``n``
    (invited in the arm), ``n_control``, ``rate``, ``control_rate`` first. Counts are exact
    counts of people: suppress before showing."""

    control: str
    arms: pd.DataFrame
    effects: pd.DataFrame
    by_segment: pd.DataFrame


EFFECT_COLUMNS: tuple[str, ...] = ("diff", "diff_low", "diff_high", "risk_ratio", "rr_low", "rr_high", "p_value",
                                   "p_holm", "letters_per_extra_attendee", "cost_per_extra_attendee_yen")


def _effects(counts: pd.DataFrame, control: str, arms: Sequence[str],
             cost: Mapping[str, float] | float | None) -> pd.DataFrame:
    """Effects of ``arms`` against ``control`` from per-arm ``invited``/``attended`` counts."""
    n0, k0 = float(counts.at[control, "invited"]), float(counts.at[control, "attended"])
    rows = []
    for arm in arms:
        n1, k1 = float(counts.at[arm, "invited"]), float(counts.at[arm, "attended"])
        row = dict.fromkeys(EFFECT_COLUMNS, math.nan)
        if n1 > 0 and n0 > 0:
            p1, p0 = k1 / n1, k0 / n0
            row["diff"] = p1 - p0
            row["diff_low"], row["diff_high"] = map(float, confint_proportions_2indep(k1, n1, k0, n0, compare="diff"))
            if k0 > 0:  # no risk ratio against a control rate of 0
                row["risk_ratio"] = p1 / p0
                row["rr_low"], row["rr_high"] = map(float, confint_proportions_2indep(k1, n1, k0, n0,
                                                                                      compare="ratio"))
            row["p_value"] = float(test_proportions_2indep(k1, n1, k0, n0).pvalue)
            if row["diff"] > 0:
                row["letters_per_extra_attendee"] = 1 / row["diff"]
                yen = cost.get(arm) if isinstance(cost, Mapping) else cost
                if yen is not None:
                    row["cost_per_extra_attendee_yen"] = float(yen) / row["diff"]
        rows.append({"arm": arm, **row})
    out = pd.DataFrame(rows, columns=["arm", *EFFECT_COLUMNS])
    ok = out["p_value"].notna().to_numpy()
    if ok.any():
        out.loc[ok, "p_holm"] = multipletests(out.loc[ok, "p_value"].to_numpy(), method="holm")[1]
    return out


def _arm_counts(trial: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    g = trial.groupby("arm", observed=True)["attended"]
    counts = pd.DataFrame({"invited": g.size(), "attended": g.sum()}).reindex(list(order), fill_value=0)
    return counts.astype("int64")


def trial_readout(trial: pd.DataFrame, *, control: str = "control",
                  cost_per_letter_yen: float | Mapping[str, float] | None = None,
                  segments: Sequence[str] = ()) -> TrialReadout:
    """Readout of a randomised letter trial (受診勧奨通知): ``trial`` has one row per invited
    person with ``arm``, ``attended`` (0/1) and the ``segments`` columns; rows without an
    arm are not in the trial and are ignored.

    Per arm: uptake with its Wilson 95% interval. Per non-control arm, against ``control``:
    ``diff`` = rate − control rate (fractions) with the Newcombe hybrid-score 95% interval
    (``confint_proportions_2indep`` default for ``compare="diff"``); ``risk_ratio`` with the
    ``compare="ratio"`` default interval (log-adjusted); ``p_value`` of
    ``test_proportions_2indep`` (default: Agresti–Caffo Wald test of the difference), two-sided;
    ``p_holm``, Holm's adjustment across the non-control arms (``multipletests(method="holm")``);
    ``letters_per_extra_attendee`` = 1 / diff and ``cost_per_extra_attendee_yen`` =
    ``cost_per_letter_yen`` / diff (a number for every arm or a mapping arm → yen; pass the
    *extra* cost per letter if the control arm gets a letter too) — NaN when diff ≤ 0 or no
    cost is given. Arms are in the order of a categorical ``arm``, else control first and the
    others sorted. ``by_segment`` repeats the effects per value of each segment column (missing
    values left out; Holm across the arms within each value; subgroup results are exploratory).

    Raises ValueError when a column is missing, the control arm has no row, or ``attended`` is
    not 0/1."""
    segments = list(segments)
    _check_columns(trial, ["arm", "attended", *segments], "trial_readout")
    t = trial[trial["arm"].notna()]
    arm_values = t["arm"].astype(str)
    if control not in set(arm_values):
        raise ValueError(f"trial_readout: control arm {control!r} not found; arms are {sorted(set(arm_values))}")
    if isinstance(t["arm"].dtype, pd.CategoricalDtype):
        order = [str(a) for a in t["arm"].cat.categories if (arm_values == str(a)).any()]
        order = [control, *(a for a in order if a != control)]
    else:
        order = [control, *sorted(set(arm_values) - {control})]
    t = pd.DataFrame({"arm": arm_values.to_numpy(), "attended": _attended(t).to_numpy(),
                      **{s: t[s].to_numpy() for s in segments}})
    others = order[1:]

    counts = _arm_counts(t, order)
    low, high = wilson_interval(counts["attended"].to_numpy(), counts["invited"].to_numpy())
    arms = counts.rename_axis("arm").reset_index()
    arms["rate"] = arms["attended"] / arms["invited"]
    arms["rate_low"], arms["rate_high"] = low, high
    effects = _effects(counts, control, others, cost_per_letter_yen)

    parts = []
    for s in segments:
        for value, g in t.dropna(subset=[s]).groupby(s, sort=True, observed=True):
            c = _arm_counts(g, order)
            e = _effects(c, control, others, cost_per_letter_yen)
            n = c["invited"].reindex(others).to_numpy()
            with np.errstate(invalid="ignore", divide="ignore"):
                rate = c["attended"].reindex(others).to_numpy() / np.where(n > 0, n, np.nan)
            n0 = int(c.at[control, "invited"])
            e.insert(0, "segment", s)
            e.insert(1, "value", value)
            e.insert(3, "n", n.astype("int64"))
            e.insert(4, "n_control", n0)
            e.insert(5, "rate", rate)
            e.insert(6, "control_rate", c.at[control, "attended"] / n0 if n0 else math.nan)
            parts.append(e)
    seg_columns = ["segment", "value", "arm", "n", "n_control", "rate", "control_rate", *EFFECT_COLUMNS]
    by_segment = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=seg_columns)
    return TrialReadout(control=control, arms=arms, effects=effects, by_segment=by_segment[seg_columns])


def readout_from_counts(counts: pd.DataFrame, *, control: str = "control",
                        cost_per_letter_yen: float | Mapping[str, float] | None = None) -> TrialReadout:
    """:func:`trial_readout` of arm totals (``arm``, ``invited``, ``attended``: what a published
    table gives), control first and the other arms in their order; ``by_segment`` empty."""
    c = counts.set_index("arm")[["invited", "attended"]].astype("int64")
    if control not in c.index:
        raise ValueError(f"readout_from_counts: control arm {control!r} not found; arms are {list(c.index)}")
    order = [control, *(a for a in c.index if a != control)]
    c = c.reindex(order)
    low, high = wilson_interval(c["attended"].to_numpy(), c["invited"].to_numpy())
    arms = c.rename_axis("arm").reset_index()
    arms["rate"] = arms["attended"] / arms["invited"]
    arms["rate_low"], arms["rate_high"] = low, high
    seg_columns = ["segment", "value", "arm", "n", "n_control", "rate", "control_rate", *EFFECT_COLUMNS]
    return TrialReadout(control=control, arms=arms, effects=_effects(c, control, order[1:], cost_per_letter_yen),
                        by_segment=pd.DataFrame(columns=seg_columns))


def sample_size_per_arm(baseline: float, lift: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """People per arm to detect an uptake change from ``baseline`` to ``baseline + lift``
    (fractions: 0.30 and 0.02 for 30% → 32%) with a two-sided test at level ``alpha`` and the
    given ``power``, equal arms; rounded up. Cohen's arcsine effect size h
    (``proportion_effectsize``) with ``NormalIndPower().solve_power`` (Cohen, *Statistical
    Power Analysis*, 1988, ch. 6). E.g. 30% + 2 points ≈ 8,393 per arm, + 5 points ≈ 1,376."""
    if not (0 < baseline < 1 and 0 < baseline + lift < 1):
        raise ValueError(f"need 0 < baseline < 1 and 0 < baseline + lift < 1, got {baseline} and {lift}")
    if lift == 0:
        raise ValueError("lift must not be 0")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError(f"alpha and power must be within 0 … 1, got {alpha} and {power}")
    h = proportion_effectsize(baseline + lift, baseline)
    n = NormalIndPower().solve_power(effect_size=abs(h), alpha=alpha, power=power, ratio=1.0,
                                     alternative="two-sided")
    return int(math.ceil(float(n)))


# ----------------------------------------------------------------------------- publication


MEASURES: tuple[str, ...] = ("eligible", "attended")
TRIAL_MEASURES: tuple[str, ...] = ("invited", "attended")
TRIAL_SEGMENTS: tuple[str, ...] = ("sex", "age_band", "past")
TRIAL_PAST: tuple[str, ...] = ("attended_last", "lapsed", "never")  # past attendance, the trial's strata


def health_table(fiscal_year: int, part: str) -> str:
    """Name of a health table in the publication, e.g. ``health/2025/cells``."""
    return f"health/{int(fiscal_year)}/{part}"


def health_years(pub: Publication) -> list[int]:
    """Fiscal years whose checkups the publication holds, in order."""
    return sorted({int(n.split("/")[1]) for n in pub.names("health/") if n.endswith("/cells")})


def past_attendance(checkups: pd.DataFrame, fiscal_year: int) -> pd.Series:
    """For each person insured in ``fiscal_year``: ``attended_last`` (attended the year before),
    ``lapsed`` (attended in an earlier year of the data, not the year before) or ``never`` (no
    attendance in the years observed, new members included). Indexed by ``person_id``; person-level:
    for analyses and published tables, never for a page."""
    before = checkups[checkups["fiscal_year"] < fiscal_year]
    attended = before[before["attended"] == 1]
    last = attended.loc[attended["fiscal_year"] == fiscal_year - 1, "person_id"]
    ids = checkups.loc[checkups["fiscal_year"] == fiscal_year, "person_id"]
    past = np.where(ids.isin(last), "attended_last", np.where(ids.isin(attended["person_id"]), "lapsed", "never"))
    return pd.Series(past.astype(object), index=ids.to_numpy(), name="past")


def health_block(b: PublicationBuilder, data: Mapping[str, pd.DataFrame]) -> None:
    """Publish the checkup counts (people), per fiscal year and for the latest year's trial.

    Per fiscal year: ``cells`` (``measure`` eligible/attended × district × sex × 5-year band,
    age at 31 March), ``district`` and ``band_sex`` margins and ``city``; ``guidance``
    (city: guidance eligible, guidance completed). Latest year: ``patterns`` (attendance
    pattern over the last 3 years × sex × band, persons insured in all three), ``untreated``
    (the latest year's non-attenders under treatment, city); for the trial (rows with an
    ``arm``), ``trial_<segment>`` (arm × segment value × invited/attended) for sex, band and past
    attendance, and ``trial`` (arm × invited/attended). Relations: every sum; attended ≤
    eligible in every cell; guidance completed ≤ eligible for guidance ≤ attended; patterns ≤ the
    latest year's insured of that sex and band, those attending in the latest year (every year,
    returning) ≤ its attendees, and ``lapsed + never + attended ≤ eligible``; under treatment ≤
    non-attenders; the trial's invited and attenders are all or part of the year's insured and
    attendees (equal when everyone was randomised).
    """
    if "checkups" not in data:
        return
    ck = data["checkups"]
    districts = publication_districts(data)
    d_index = pd.Index(districts)
    bands = tuple(AGE_BANDS)
    D, S, B = ("district_id", districts), ("sex", SEXES), ("age_band", bands)
    M = ("measure", MEASURES)
    years = sorted(int(y) for y in ck["fiscal_year"].unique())
    margins = {}
    for fy in years:
        rows = ck[ck["fiscal_year"] == fy]
        body = np.zeros((len(MEASURES), len(districts), len(SEXES), len(bands)))
        d = d_index.get_indexer(rows["district_id"].astype(str))
        s = pd.Index(SEXES).get_indexer(rows["sex"].astype(str))
        k = pd.Index(bands).get_indexer(age_band(rows["age"]).astype(str))
        keep = (d >= 0) & (s >= 0) & (k >= 0)
        np.add.at(body[0], (d[keep], s[keep], k[keep]), 1)
        np.add.at(body[1], (d[keep], s[keep], k[keep]), rows["attended"].to_numpy()[keep])
        cells = b.table(health_table(fy, "cells"), body, [M, D, S, B])
        district = b.table(health_table(fy, "district"), body.sum((2, 3)), [M, D])
        band_sex = b.table(health_table(fy, "band_sex"), body.sum(1).transpose(0, 2, 1), [M, B, S])
        city = b.table(health_table(fy, "city"), body.sum((1, 2, 3)), [M])
        b.body("checkups", health_table(fy, "cells"), health_table(fy, "city"))
        for m in range(len(MEASURES)):
            for i in range(len(districts)):
                b.sums(cells[m, i], district[m, i])
            for j in range(len(SEXES)):
                for kk in range(len(bands)):
                    b.sums(cells[m, :, j, kk], band_sex[m, kk, j])
            b.sums(district[m], city[m])
            b.sums(band_sex[m], city[m])
        for part, whole in ((cells[1], cells[0]), (district[1], district[0]), (band_sex[1], band_sex[0])):
            for p, w in zip(part.ravel(), whole.ravel(), strict=True):
                b.part_of([p], [w])
        b.part_of([city[1]], [city[0]])
        attended = rows[rows["attended"] == 1]
        guidance = b.table(health_table(fy, "guidance"),
                           np.array([attended["guidance_eligible"].sum(), attended["guidance_completed"].sum()],
                                    dtype=float), [("measure", ("guidance_eligible", "guidance_completed"))])
        b.part_of([guidance[0]], [city[1]])
        b.part_of([guidance[1]], [guidance[0]])
        margins[fy] = (city, band_sex)
    if not years:
        return
    latest = years[-1]
    _pattern_tables(b, ck, latest, margins[latest], bands)
    _untreated_table(b, ck, latest, margins[latest])
    _trial_tables(b, ck, latest, margins[latest], bands)


def _untreated_table(b: PublicationBuilder, ck: pd.DataFrame, latest: int, margins) -> None:
    """Non-attenders of the latest year under treatment (any number of years on file)."""
    city, _ = margins
    non = ck[(ck["fiscal_year"] == latest) & (ck["attended"] == 0)]
    untreated = b.table(health_table(latest, "untreated"), np.array([float(non["under_treatment"].sum())]),
                        [("measure", ("non_attenders_under_treatment",))])
    # under treatment ≤ non-attenders = eligible − attended
    b.part_of([untreated[0], city[1]], [city[0]])


def _pattern_tables(b: PublicationBuilder, ck: pd.DataFrame, latest: int, margins, bands) -> None:
    city, band_sex = margins
    window = [latest - 2, latest - 1, latest]
    if not set(window) <= set(ck["fiscal_year"].unique()):
        return
    pats = attendance_patterns(ck, latest).by_person
    now = ck[ck["fiscal_year"] == latest].set_index("person_id")
    pats = pats.join(now[["sex", "age"]], on="person_id")
    body = np.zeros((len(PATTERNS), len(SEXES), len(bands)))
    p = pd.Index(PATTERNS).get_indexer(pats["pattern"])
    s = pd.Index(SEXES).get_indexer(pats["sex"].astype(str))
    k = pd.Index(bands).get_indexer(age_band(pats["age"]).astype(str))
    keep = (p >= 0) & (s >= 0) & (k >= 0)
    np.add.at(body, (p[keep], s[keep], k[keep]), 1)
    t = b.table(health_table(latest, "patterns"), body, [("pattern", PATTERNS), ("sex", SEXES), ("age_band", bands)])
    every, returning, lapsed, never = (PATTERNS.index(x) for x in PATTERNS)
    for j in range(len(SEXES)):
        for kk in range(len(bands)):
            b.part_of(t[:, j, kk], [band_sex[0, kk, j]])
            b.part_of([t[every, j, kk], t[returning, j, kk]], [band_sex[1, kk, j]])
            b.part_of([t[lapsed, j, kk], t[never, j, kk], band_sex[1, kk, j]], [band_sex[0, kk, j]])


def _trial_tables(b: PublicationBuilder, ck: pd.DataFrame, latest: int, margins, bands) -> None:
    city, _ = margins
    rows = ck[(ck["fiscal_year"] == latest) & ck["arm"].notna()]
    if rows.empty:
        return
    arms = tuple(a for a in ("control", "standard", "nudge") if a in set(rows["arm"])) + tuple(
        sorted(set(rows["arm"]) - {"control", "standard", "nudge"}))
    past = past_attendance(ck, latest).reindex(rows["person_id"]).to_numpy()
    segments = {"sex": (rows["sex"].astype(str).to_numpy(), SEXES),
                "age_band": (age_band(rows["age"]).astype(str).to_numpy(), bands), "past": (past, TRIAL_PAST)}
    a_idx = pd.Index(arms).get_indexer(rows["arm"].astype(str))
    att = rows["attended"].to_numpy()
    total = np.zeros((len(arms), 2))
    np.add.at(total[:, 0], a_idx, 1)
    np.add.at(total[:, 1], a_idx, att)
    arm_t = b.table(health_table(latest, "trial"), total, [("arm", arms), ("measure", TRIAL_MEASURES)])
    for name, (values, labels) in segments.items():
        v = pd.Index(labels).get_indexer(np.asarray(values, dtype=object))
        body = np.zeros((len(arms), len(labels), 2))
        ok = v >= 0
        np.add.at(body[:, :, 0], (a_idx[ok], v[ok]), 1)
        np.add.at(body[:, :, 1], (a_idx[ok], v[ok]), att[ok])
        seg = b.table(health_table(latest, f"trial_{name}"), body,
                      [("arm", arms), ("value", labels), ("measure", TRIAL_MEASURES)])
        for i in range(len(arms)):
            for m in range(2):
                if ok.all():
                    b.sums(seg[i, :, m], arm_t[i, m])
                else:
                    b.part_of(seg[i, :, m], [arm_t[i, m]])
            for j in range(len(labels)):
                b.part_of([seg[i, j, 1]], [seg[i, j, 0]])
    everyone = len(rows) == int((ck["fiscal_year"] == latest).sum())
    for m in range(2):
        if everyone:
            b.sums(arm_t[:, m], city[m])
        else:
            b.part_of(arm_t[:, m], [city[m]])
    for i in range(len(arms)):
        b.part_of([arm_t[i, 1]], [arm_t[i, 0]])


def published_uptake(pub: Publication, fiscal_year: int, part: str = "cells") -> pd.DataFrame:
    """Published eligible and attended people of ``fiscal_year`` (``part``: ``cells`` district ×
    sex × band, ``district``, ``band_sex`` or ``city``) with the uptake rate and its Wilson 95%
    interval where both counts are shown (:func:`rates`); counts marked as counts of people."""
    out = rates(pub.wide(health_table(fiscal_year, part)))
    return mark_counts(out, ["eligible", "attended", "eligible_label", "attended_label"])


def uptake_trend(pub: Publication) -> pd.DataFrame:
    """The city's uptake by fiscal year: ``fiscal_year``, eligible, attended (with labels), rate
    and interval."""
    frames = [published_uptake(pub, fy, "city").assign(fiscal_year=fy) for fy in health_years(pub)]
    if not frames:
        return mark_counts(pd.DataFrame(columns=["fiscal_year", *MEASURES, "rate"]), list(MEASURES))
    return mark_counts(pd.concat(frames, ignore_index=True), ["eligible", "attended", "eligible_label",
                                                              "attended_label"])


def published_funnel(pub: Publication, fiscal_year: int) -> pd.DataFrame:
    """Eligible → attended → eligible for guidance → completed guidance (city, published):
    ``step``, ``people``, ``people_label``, ``share_of_previous`` (NaN unless both shown)."""
    city, guidance = pub.get(health_table(fiscal_year, "city")), pub.get(health_table(fiscal_year, "guidance"))
    values = np.concatenate([city.value, guidance.value])
    labels = np.concatenate([city.label, guidance.label])
    out = pd.DataFrame({"step": ["eligible", "attended", "guidance_eligible", "guidance_completed"],
                        "people": values, "people_label": labels})
    out["share_of_previous"] = out["people"] / out["people"].shift(1)
    return mark_counts(out, ["people", "people_label"])


def published_patterns(pub: Publication) -> pd.DataFrame:
    """Attendance patterns of the latest three years by sex × band (published): ``pattern``,
    ``sex``, ``age_band``, ``people`` (NaN where hidden), ``people_label``."""
    names = [n for n in pub.names("health/") if n.endswith("/patterns")]
    if not names:
        return mark_counts(pd.DataFrame(columns=["pattern", "sex", "age_band", "people", "people_label"]),
                           ["people"])
    out = pub.frame(names[-1], "people")
    return mark_counts(out, ["people", "people_label"])


def published_untreated(pub: Publication) -> dict[str, float | str]:
    """Non-attenders of the latest year and those of them under treatment (published): the
    counts, their labels and the share (NaN unless both are shown)."""
    fy = health_years(pub)[-1]
    city = pub.get(health_table(fy, "city"))
    under = pub.get(health_table(fy, "untreated"))
    non = city.value[0] - city.value[1]
    return {"fiscal_year": fy, "non_attenders": non, "under_treatment": float(under.value[0]),
            "under_treatment_label": str(under.label[0]), "share": float(under.value[0]) / non if non > 0 else np.nan}


def trial_years(pub: Publication) -> list[int]:
    return sorted(int(n.split("/")[1]) for n in pub.names("health/") if n.endswith("/trial"))


def published_trial(pub: Publication, *, control: str = "control",
                    cost_per_letter_yen: float | Mapping[str, float] | None = None) -> TrialReadout | None:
    """:func:`trial_readout` of the latest trial from its published counts (arm totals; each
    segment from its own published arm × value table). None without a trial or with an arm's
    counts hidden (a readout from a hidden count would reveal it)."""
    years = trial_years(pub)
    if not years:
        return None
    fy = years[-1]
    arm_t = pub.wide(health_table(fy, "trial"))
    if arm_t[list(TRIAL_MEASURES)].isna().any().any() or control not in set(arm_t["arm"]):
        return None
    readout = readout_from_counts(arm_t, control=control, cost_per_letter_yen=cost_per_letter_yen)
    others = [a for a in readout.arms["arm"] if a != control]
    parts = []
    for name in TRIAL_SEGMENTS:
        table = pub.wide(health_table(fy, f"trial_{name}"))
        for value, g in table.groupby("value", sort=False):
            c = g.set_index("arm")[list(TRIAL_MEASURES)]
            if c.isna().any().any() or control not in c.index or c.at[control, "invited"] == 0:
                continue  # a hidden count, or nothing to compare with
            e = _effects(c, control, others, cost_per_letter_yen)
            n = c["invited"].reindex(others).to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                rate = c["attended"].reindex(others).to_numpy(dtype=float) / np.where(n > 0, n, np.nan)
            e.insert(0, "segment", name)
            e.insert(1, "value", value)
            e.insert(3, "n", n)
            e.insert(4, "n_control", float(c.at[control, "invited"]))
            e.insert(5, "rate", rate)
            e.insert(6, "control_rate", float(c.at[control, "attended"] / c.at[control, "invited"]))
            parts.append(e)
    by_segment = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["segment", "value", "arm", "n", "n_control", "rate", "control_rate", *EFFECT_COLUMNS])
    return replace(readout, by_segment=by_segment)


def did_panel(pub: Publication, sites: pd.DataFrame) -> pd.DataFrame:
    """The district × fiscal-year panel of :func:`analytics.core.evaluation.rollout_did` from published
    counts: ``district_id``, ``fiscal_year``, ``eligible``, ``attended``, ``treated`` (1 from the
    fiscal year a checkup site opened in the district). Districts whose site opened before the
    first year are always treated and left out (they compare nothing); rows with a hidden count
    are left out."""
    frames = [pub.wide(health_table(fy, "district")).assign(fiscal_year=fy) for fy in health_years(pub)]
    if not frames:
        return pd.DataFrame(columns=["district_id", "fiscal_year", "eligible", "attended", "treated"])
    panel = pd.concat(frames, ignore_index=True)
    first = int(panel["fiscal_year"].min())
    opened = sites.groupby("district_id")["opened_fiscal_year"].min()
    always = set(opened[opened <= first].index)
    panel = panel[~panel["district_id"].isin(always)].dropna(subset=list(MEASURES))
    start = panel["district_id"].map(opened)
    panel["treated"] = (start.notna() & (panel["fiscal_year"] >= start)).astype(int)
    return panel[["district_id", "fiscal_year", "eligible", "attended", "treated"]].reset_index(drop=True)


def health_download(pub: Publication, total_label: str = "合計") -> pd.DataFrame:
    """Insured (eligible) and attendees by fiscal year × district × sex × 5-year band with
    district and city totals, as display strings (a number, ``<10`` or ``χ``)."""
    frames = []
    for fy in health_years(pub):
        cells = pub.wide(health_table(fy, "cells"))
        district = pub.wide(health_table(fy, "district")).assign(sex=total_label, age_band=total_label)
        band_sex = pub.wide(health_table(fy, "band_sex")).assign(district_id=total_label)
        c = pub.get(health_table(fy, "city"))
        city = pd.DataFrame({"district_id": [total_label], "sex": [total_label], "age_band": [total_label],
                             "eligible_label": [c.label[0]], "attended_label": [c.label[1]]})
        part = pd.concat([cells, district, band_sex, city], ignore_index=True)
        part.insert(0, "fiscal_year", fy)
        frames.append(part[["fiscal_year", "district_id", "sex", "age_band", "eligible_label", "attended_label"]])
    columns = ["fiscal_year", "district_id", "sex", "age_band", "eligible", "attended"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).rename(columns={"eligible_label": "eligible",
                                                               "attended_label": "attended"})
    return mark_counts(out[columns], ["eligible", "attended"])


# ----------------------------------------------------------------------------- the page's parameters


@dataclass(frozen=True)
class HealthParams:
    """What the 健診受診 page lets a planner set (one object, the model's input): the letter costs
    of the trial's arms (yen per letter), the number of letters of the targeting and the arm it
    sends, and the power planner's baseline and lift (fractions)."""

    letter_cost_yen: Mapping[str, float] = field(default_factory=lambda: {"standard": 84.0, "nudge": 120.0})
    letters: int = 10_000
    targeting_arm: str = "nudge"
    baseline: float = 0.30
    lift: float = 0.03

    def __post_init__(self) -> None:
        if self.letters < 0:
            raise ValueError(f"letters must be ≥ 0, got {self.letters}")
        if not 0 < self.baseline < 1 or not 0 < self.baseline + self.lift <= 1 or self.lift == 0:
            raise ValueError(f"baseline and baseline + lift must be proportions and lift ≠ 0, got {self.baseline}, "
                             f"{self.lift}")
        object.__setattr__(self, "letter_cost_yen", dict(self.letter_cost_yen))


def trial_frame(checkups: pd.DataFrame, fiscal_year: int | None = None) -> pd.DataFrame:
    """The trial's rows (one per randomised person of ``fiscal_year``, default the latest with
    arms) with the segments of the targeting: ``arm``, ``attended``, ``sex``, ``age_band`` and
    ``past`` (:func:`past_attendance`). Person-level: for the targeting model, never a page."""
    with_arm = checkups[checkups["arm"].notna()]
    if with_arm.empty:
        return pd.DataFrame(columns=["arm", "attended", "sex", "age_band", "past"])
    fy = int(with_arm["fiscal_year"].max()) if fiscal_year is None else int(fiscal_year)
    rows = with_arm[with_arm["fiscal_year"] == fy]
    return pd.DataFrame({"arm": rows["arm"].astype(str).to_numpy(), "attended": rows["attended"].to_numpy(int),
                         "sex": rows["sex"].astype(str).to_numpy(),
                         "age_band": age_band(rows["age"]).astype(str).to_numpy(),
                         "past": past_attendance(checkups, fy).reindex(rows["person_id"]).to_numpy()})


def shown_segments(segments: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The targeting's segment cells that may be shown: each arm holds at least ``threshold``
    people who attended and ``threshold`` who did not (a rate from a cell with a small count
    could reveal it); without the counts themselves (the cells are not a published table)."""
    ok = pd.Series(True, index=segments.index)
    for arm in ("treatment", "control"):
        n, rate = segments[f"n_{arm}"].astype(float), segments[f"rate_{arm}"].astype(float)
        attended = (n * rate).round()
        ok &= (attended >= threshold) & (n - attended >= threshold)
    return segments[ok].drop(columns=["n", "n_treatment", "n_control"]).reset_index(drop=True)


def patterns_by_band(pub: Publication) -> pd.DataFrame:
    """Published attendance patterns summed over sex, one row per age band and one column per
    pattern (NaN where a part is hidden: a sum with a hidden part would reveal it), marked as
    counts of people."""
    long = published_patterns(pub)
    if long.empty:
        return mark_counts(pd.DataFrame(columns=["age_band", *PATTERNS]), list(PATTERNS))
    summed = long.groupby(["age_band", "pattern"], sort=False)["people"].agg(lambda v: v.sum(min_count=len(v)))
    wide = summed.unstack("pattern").reindex(index=list(AGE_BANDS), columns=list(PATTERNS))
    wide.index.name = "age_band"
    wide.columns.name = None
    return mark_counts(wide.reset_index(), list(PATTERNS))


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
