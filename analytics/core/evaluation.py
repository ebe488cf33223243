"""Policy evaluation: did a policy raise uptake, and whom should the next round reach?

Two estimators, shared by the pages that evaluate a policy (first the health-checkup page,
特定健診):

* :func:`rollout_did` — the effect of a roll-out across districts (a checkup site opening in
  some districts, in one year or in several) on the uptake rate, by difference-in-differences
  on a district × fiscal-year panel.
* :func:`uplift_targeting` — from a randomised letter trial (nudge), who responds to a letter
  (uplift by segment), and how many extra attendees a budget of letters buys when sent at
  random, to those least likely to attend, or to those with the highest estimated uplift.

Units: the uptake rate is a fraction (attended / eligible, 0.38 = 38%) and every effect is a
difference of fractions (0.03 = 3 percentage points); eligible and attended are people;
extra attendees are people; a year is a fiscal year (年度). Everything is weighted by people
(eligible), so an effect is "per eligible person", not "per district".

Difference-in-differences (:func:`rollout_did`)
-----------------------------------------------

The panel has one row per district × fiscal year with ``eligible``, ``attended`` and
``treated`` (0/1, 1 from the year the site opened onwards: adoption is absorbing). It must be
balanced (every district in every year). A district's *cohort* is its first treated year;
districts treated from the panel's first year have no year before the opening and are left
out (``warning`` code ``always_treated_dropped``). Years are taken in order, and an event time
counts panel years from the opening (0 = the opening year, −1 = the year before).

* **Common timing** (every treated district opens in the same year): two-way fixed effects
  (TWFE), the weighted least squares regression ``rate_it = α_i + γ_t + β·treated_it + ε_it``
  with weights ``eligible_it``; ``att`` = β. The district and year effects are partialled out
  first (Frisch–Waugh–Lovell; exact), so the cluster-robust standard error by district (CR1,
  statsmodels ``cov_type="cluster"``) uses the small-sample factor G/(G−1) of Stata's
  ``xtreg, fe`` (the district effects are nested in the clusters, and counting them as
  parameters would inflate the error), and intervals use t with G−1 degrees of freedom. The
  event study is the same regression with one indicator per event time (−1 omitted: the
  reference year, reported with effect 0 and no interval); ``pretrend_p`` is the cluster-robust
  Wald (F with G−1 denominator degrees of freedom) test that the effects at event times ≤ −2
  are all zero. Here TWFE is unbiased under parallel trends (a single treated cohort).
* **Staggered adoption** (cohorts open in different years): TWFE compares later with earlier
  adopters and, when effects change over time, weights some group-time effects negatively —
  it can be far from any average effect, even of the wrong sign (Goodman-Bacon 2021). The
  estimate is then Callaway & Sant'Anna (2021): for each cohort g and year t a 2×2 DiD
  against the base year g−1,

      ATT(g, t) = Σ_{i∈g} e_it·(y_it − y_i,g−1) / Σ_{i∈g} e_it
                  − Σ_{j∈C} e_jt·(y_jt − y_j,g−1) / Σ_{j∈C} e_jt,

  with ``e`` = eligible, ``y`` = uptake rate and controls C = the districts not yet treated in
  year max(t, g−1) (their cohort is later, or never), other than g itself. The same formula
  for t < g−1 gives pre-period "effects" against the same base year (a *universal* base, so
  the event study reads like the TWFE one: −1 is the reference). Cells without any control
  (after the last cohort opens, when no district is never treated) are not identified and are
  left out (``warning`` code ``cells_without_controls``). The overall ``att`` averages the
  post-period cells (t ≥ g) weighted by the cohort's eligible in year t — the average effect
  per treated eligible person-year (C&S's "simple" aggregation with people for group size);
  the event study averages the cells with t − g = e the same way. Inference is a cluster
  (district) bootstrap: ``n_boot`` resamples of districts with replacement, every cell and
  aggregate recomputed on each; intervals are estimate ± t(G−1) × bootstrap SE and the p-value
  is two-sided from t(G−1) (G districts: the one rule below), and ``pretrend_p`` is the Wald
  χ² test that the event-study effects at −2, −3, … are zero, with their bootstrap covariance.
  TWFE is reported alongside (``twfe``, ``twfe_low``, ``twfe_high``) for comparison.

**One critical value for cluster-robust intervals.** Every interval built from a cluster-robust
(or cluster-bootstrap) standard error with G clusters uses Student's t with G − 1 degrees of
freedom (:func:`cluster_critical_value`), never the normal 1.96: the TWFE intervals (statsmodels
``use_t=True``, which sets ``df_resid_inference = G − 1`` for ``cov_type="cluster"``), the
Callaway–Sant'Anna intervals, and the health domain's non-attendance logit alike.

**Few clusters.** With fewer than :data:`MIN_TREATED_CLUSTERS` treated districts or fewer than
:data:`MIN_CLUSTERS` districts in all, cluster-robust errors and the cluster bootstrap are
unreliable (they over-reject, Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017). Then
``warning`` starts with ``few_clusters`` and ``att_low``, ``att_high`` and ``p_value`` come from
randomisation inference instead (``inference == "randomization"``): the districts' cohorts
(first treated year, or never) are permuted across districts ``n_boot`` times — which
districts are treated changes, the adoption years and the number of districts per cohort do
not — and the same estimator (TWFE or Callaway–Sant'Anna) is recomputed on each permutation.
The p-value is (1 + #{|estimate under permutation| ≥ |observed estimate|}) / (n_boot + 1), a
test of the sharp null of no effect on any district in any year (exact under random
assignment of districts to cohorts). The interval inverts the test of a constant additive
effect b (outcome − b·treated): both estimators are linear in the outcome, so each permutation
is computed once and the interval found by bisection; it can be unbounded (±inf) when too few
assignments exist. We chose randomisation inference over the wild cluster bootstrap because
the same procedure serves both estimators; its caveat (MacKinnon & Webb 2020) is that it
assumes districts are exchangeable, which fails when treated districts are much larger or
smaller than the others. Event-study intervals and ``pretrend_p`` are not adjusted: read them
with care when this warning is set.

Targeting (:func:`uplift_targeting`)
------------------------------------

The trial has one row per invited person: an arm (letter or control), ``attended`` (0/1) and
categorical segment columns (sex, age band, past attendance …). A *cell* is one combination of
segment values. The segment table reports, on the whole trial, each cell's rates per arm and
its uplift (letter rate − control rate) with Newcombe's hybrid-score 95% interval
(statsmodels ``confint_proportions_2indep``; Newcombe 1998).

Scores are cross-fitted (Chernozhukov et al. 2018; the standard in uplift evaluation):
persons are split at random into ``folds`` folds (stratified by arm) and each person's scores
come from the other folds only, so a person's own outcome never ranks them and ranking by the
score keeps the randomisation within any top share. In the training folds, each arm's rate in
a cell is shrunk toward that arm's overall rate by :data:`PRIOR_PERSONS` pseudo-persons
(a Beta prior: ``(attended + m·p_arm) / (n + m)``), so small cells fall back on the overall
effect and unseen cells get it exactly. The *uplift score* is the shrunk letter rate minus the
shrunk control rate; the *non-attendance score* ("risk") is 1 − the shrunk control rate.

A policy sends ``letters = min(budget, population)`` letters to a share ``q = letters /
population`` of people like those in the trial (``population`` defaults to the trial's size):
``random`` to anyone, ``highest_nonattendance`` to the top q by the non-attendance score,
``highest_uplift`` to the top q by the uplift score. Its value is estimated out of sample on
the trial: the difference in attendance between the letter and control arms *among the trial
persons in the top q by their cross-fitted score* (a difference in means; ties at the cut-off
are included fractionally so the share is exact), times ``letters``. For ``random`` that is
the whole trial's difference in means. The 95% interval is the normal one for the difference
of two (weighted) means, conditional on the scores. The Qini / cumulative-gain curve gives the
same estimate for shares 0, 0.01, …, 1, scaled to people reached (``q·population·uplift among
the top q``); all curves end at the overall effect × population.

**The cells to show.** A cell's raw uplift is noisy, and the cells with the largest raw uplifts
are those with the luckiest noise: listing them by raw uplift overstates their effects (the
winner's curse; on the synthetic city, the top twelve by raw uplift overstated their planted
effects by about half). The segment table therefore also gives each cell's empirical-Bayes
estimate ``uplift_eb``: the raw uplift pulled toward an additive model of the segments
(intercept + one term per non-reference level of each segment column whose terms differ from
zero, by a Wald test) by as much as its noise exceeds the cells' real spread around the model,
τ² (DerSimonian–Laird's moment estimator for meta-regression); formulas in
:func:`_shrunk_uplifts`. Rank and show cells by ``uplift_eb``,
with its approximate 95% interval (normal, τ² taken as known).

**The gain of targeting.** ``gain`` = extra attendees of ``highest_uplift`` − of ``random``
for the same letters = ``letters × (uplift among the top q − overall uplift)``. Its 95%
interval is a percentile bootstrap (``n_boot`` resamples, seeded): persons are resampled with
replacement *within each arm* (so the arms keep their sizes, as in the trial), each keeping its
cross-fitted score, and both differences in means are recomputed on every resample. Like the
policies' intervals it is conditional on the scores — the value of *this* ranking, the one a
planner would send letters by; cross-fitting keeps each person's own outcome out of their
score, so the ranking does not flatter itself. (Refitting the scores on every resample would
add the noise of learning the ranking, but the bootstrap of a learned ranking is biased
downward — the resampled data hold fewer distinct persons — so its percentile interval would
be off centre.) Both differences come from the same persons, so their covariance is in the
draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# SciPy's and statsmodels' statistics are imported in the functions that use them: every page
# imports this module (through the domain packages), few call them, and they cost 0.3–0.5 s a process.

MIN_TREATED_CLUSTERS = 10
"""Below this many treated districts, inference for the main estimate switches to randomisation."""
MIN_CLUSTERS = 20
"""Below this many districts in all, likewise."""
PRIOR_PERSONS = 20.0
"""Pseudo-persons of the Beta prior that shrinks a cell's rate toward its arm's overall rate."""
ALPHA = 0.05
Z95 = 1.959963984540054
"""The 1 − :data:`ALPHA`/2 standard normal quantile (``scipy.stats.norm.ppf(0.975)``; a test checks it)."""
QINI_SHARES = np.linspace(0.0, 1.0, 101)
POLICIES: tuple[str, ...] = ("random", "highest_nonattendance", "highest_uplift")



def cluster_critical_value(clusters: int, alpha: float = ALPHA) -> float:
    """The critical value of every cluster-robust interval of the project with ``clusters``
    (G) clusters: the 1 − ``alpha``/2 quantile of Student's t with G − 1 degrees of freedom
    (Cameron & Miller, "A practitioner's guide to cluster-robust inference", *Journal of Human
    Resources* 50 (2015) 317–372, section VI.C; Stata's and statsmodels' ``use_t=True`` with
    ``cov_type="cluster"``). With 40 districts, t(39) = 2.023 rather than z = 1.960. Used by the
    DiD here (TWFE intervals through statsmodels, Callaway–Sant'Anna bootstrap-SE intervals) and
    by the health domain's non-attendance logit. Raises ValueError below 2 clusters."""
    from scipy import stats
    if int(clusters) != clusters or clusters < 2:
        raise ValueError(f"a cluster-robust interval needs at least 2 clusters, not {clusters!r}")
    return float(stats.t.ppf(1 - alpha / 2, int(clusters) - 1))


_NEVER = 1 << 30  # cohort index of never-treated districts (later than any year)
_GROUP_TIME_COLUMNS = ("cohort", "time", "event_time", "att", "se", "low", "high", "eligible",
                       "n_treated", "n_control", "post")


# ============================================================================ difference-in-differences


@dataclass(frozen=True, eq=False)
class DidResult:
    """Result of :func:`rollout_did`. Effects are differences of uptake rates (0.03 = 3 points).

    * ``method``: ``"twfe"`` (common timing) or ``"callaway_santanna"`` (staggered adoption).
    * ``att``, ``att_low``, ``att_high``, ``p_value``: the main estimate (average effect on the
      treated eligible person-years after the opening), its 95% interval and two-sided p-value
      for "no effect"; from the method's own inference, or from randomisation inference when
      ``inference == "randomization"`` (few clusters; bounds may be ±inf).
    * ``twfe``, ``twfe_low``, ``twfe_high``: the TWFE estimate and its cluster-robust 95%
      interval (the same as ``att`` for ``"twfe"`` unless randomisation replaced the interval).
    * ``event_study``: ``event_time``, ``effect``, ``low``, ``high`` — one row per event time
      (years from the opening), −1 being the reference (effect 0, no interval).
    * ``pretrend_p``: p-value of the joint test that the effects at event times ≤ −2 are zero
      (``None`` when the panel has no such year).
    * ``n_units``, ``n_treated``: districts used and, of them, those ever treated.
    * ``warning``: ``None`` or ``"code: message"`` items joined by ``"; "`` (codes:
      ``few_clusters``, ``always_treated_dropped``, ``cells_without_controls``); see
      :attr:`warning_codes`.
    * ``group_time``: the ATT(g, t) cells for ``"callaway_santanna"`` (columns ``cohort`` and
      ``time`` in the panel's time labels, ``event_time``, ``att``, ``se``, ``low``, ``high``,
      ``eligible`` (the cohort's eligible in year t, the aggregation weight), ``n_treated``,
      ``n_control`` (districts), ``post``); empty with those columns for ``"twfe"``.
    * ``inference``: ``"cluster_se"``, ``"cluster_bootstrap"`` or ``"randomization"`` — where
      ``att_low``, ``att_high`` and ``p_value`` come from.
    """

    method: str
    att: float
    att_low: float
    att_high: float
    p_value: float
    twfe: float
    twfe_low: float
    twfe_high: float
    event_study: pd.DataFrame
    pretrend_p: float | None
    n_units: int
    n_treated: int
    warning: str | None
    group_time: pd.DataFrame
    inference: str

    @property
    def warning_codes(self) -> tuple[str, ...]:
        """The machine-readable codes of :attr:`warning` (empty when there is none)."""
        if not self.warning:
            return ()
        return tuple(re.findall(r"(?:^|; )([a-z_]+):", self.warning))


@dataclass(frozen=True, eq=False)
class _Panel:
    """A balanced panel in wide form: districts × years, sorted."""

    units: np.ndarray  # (N,) district labels
    years: np.ndarray  # (T,) time labels, ascending
    rate: np.ndarray  # (N, T) attended / eligible
    eligible: np.ndarray  # (N, T) people
    cohort: np.ndarray  # (N,) index of the first treated year, or _NEVER

    @property
    def treated(self) -> np.ndarray:
        """(N, T) 0/1 treatment indicator."""
        return (np.arange(len(self.years))[None, :] >= self.cohort[:, None]).astype(float)


def _prepare_panel(panel: pd.DataFrame, unit: str, time: str, eligible: str, attended: str,
                   treated: str) -> tuple[_Panel, int]:
    """Validate the long panel and pivot it; returns the panel and the number of always-treated
    districts dropped."""
    missing = [c for c in (unit, time, eligible, attended, treated) if c not in panel.columns]
    if missing:
        raise ValueError(f"panel lacks the columns {missing}")
    df = panel[[unit, time, eligible, attended, treated]]
    if df.empty:
        raise ValueError("panel is empty")
    if df.isna().any().any():
        bad = [c for c in df.columns if df[c].isna().any()]
        raise ValueError(f"panel has missing values in {bad}")
    e = pd.to_numeric(df[eligible]).to_numpy(dtype=float)
    a = pd.to_numeric(df[attended]).to_numpy(dtype=float)
    d = pd.to_numeric(df[treated]).to_numpy(dtype=float)
    if not (np.all(np.isfinite(e)) and np.all(e > 0)):
        raise ValueError(f"{eligible!r} must be > 0 (people) in every row")
    if not (np.all(np.isfinite(a)) and np.all(a >= 0) and np.all(a <= e)):
        raise ValueError(f"{attended!r} must lie between 0 and {eligible!r} in every row")
    if not np.all(np.isin(d, (0.0, 1.0))):
        raise ValueError(f"{treated!r} must be 0 or 1")
    if df.duplicated([unit, time]).any():
        raise ValueError(f"panel has more than one row for some ({unit}, {time}) pairs")
    long = pd.DataFrame({"u": df[unit].to_numpy(), "t": df[time].to_numpy(), "e": e, "r": a / e, "d": d})
    wide = long.pivot(index="u", columns="t").sort_index().sort_index(axis=1)
    units = wide.index.to_numpy()
    years = wide["e"].columns.to_numpy()
    if len(years) < 2:
        raise ValueError("panel needs at least two years")
    if len(units) < 2:
        raise ValueError("panel needs at least two districts")
    if wide.isna().any().any():
        n_missing = int(wide["e"].isna().to_numpy().sum())
        raise ValueError(f"panel is unbalanced: {n_missing} district-year rows are missing "
                         f"(every district needs a row for each of the {len(years)} years)")
    treat = wide["d"].to_numpy()
    not_absorbing = units[(np.diff(treat, axis=1) < 0).any(axis=1)]
    if len(not_absorbing):
        raise ValueError(f"{treated!r} must stay 1 once it is 1 (absorbing); it falls back to 0 in "
                         f"{list(not_absorbing[:5])}")
    ever = treat.max(axis=1) > 0
    cohort = np.where(ever, treat.argmax(axis=1), _NEVER).astype(np.int64)
    keep = cohort != 0
    n_always = int((~keep).sum())
    result = _Panel(units=units[keep], years=years, rate=wide["r"].to_numpy()[keep],
                    eligible=wide["e"].to_numpy()[keep], cohort=cohort[keep])
    if not np.any(result.cohort < _NEVER):
        raise ValueError("no district is treated within the panel (after leaving out those treated from "
                         "the first year)")
    if len(result.units) < 2:
        raise ValueError("fewer than two districts remain after leaving out those treated from the first year")
    return result, n_always


def _within(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Residuals of ``x`` (N, T, K) on district and year dummies, weighted by ``w`` (N, T).

    Partials out the district dummies (weighted district means), then regresses the result on
    the year dummies partialled out the same way (Frisch–Waugh–Lovell): exact two-way fixed
    effects residuals, also with weights that vary within a district.
    """
    n, t = w.shape
    wsum = w.sum(axis=1)[:, None, None]
    xu = x - (w[..., None] * x).sum(axis=1, keepdims=True) / wsum
    dums = np.broadcast_to(np.eye(t)[None, :, 1:], (n, t, t - 1))
    du = dums - (w[..., None] * dums).sum(axis=1, keepdims=True) / wsum
    gram = np.einsum("nti,nt,ntj->ij", du, w, du)
    cross = np.einsum("nti,nt,ntk->ik", du, w, xu)
    coef = np.linalg.lstsq(gram, cross, rcond=None)[0]
    return xu - np.einsum("nti,ik->ntk", du, coef)


def _cluster_wls(p: _Panel, regressors: np.ndarray):
    """WLS of the rate on ``regressors`` (N, T, K) with district and year fixed effects
    (partialled out), weights eligible, CR1 cluster-robust covariance by district, t(G−1)."""
    from statsmodels.regression.linear_model import WLS  # not statsmodels.api: it imports every model (0.4 s a process)
    n, t = p.rate.shape
    xt = _within(regressors, p.eligible)
    yt = _within(p.rate[..., None], p.eligible)[..., 0]
    scale = np.abs(regressors).reshape(-1, regressors.shape[2]).max(axis=0)
    if np.any(np.abs(xt).reshape(-1, xt.shape[2]).max(axis=0) <= 1e-9 * np.maximum(scale, 1.0)):
        raise ValueError("the treatment is collinear with the district and year effects: "
                         "no comparison districts (every district opens in the same year)")
    groups = np.repeat(np.arange(n), t)
    model = WLS(yt.reshape(-1), xt.reshape(-1, xt.shape[2]), weights=p.eligible.reshape(-1))
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


def _twfe(p: _Panel) -> tuple[float, float, float, float]:
    """TWFE estimate, its 95% interval and p-value (cluster-robust by district)."""
    fit = _cluster_wls(p, p.treated[..., None])
    low, high = fit.conf_int(ALPHA)[0]
    return float(fit.params[0]), float(low), float(high), float(fit.pvalues[0])


def _twfe_event_study(p: _Panel) -> tuple[pd.DataFrame, float | None]:
    """Event study by TWFE for a single treated cohort; −1 is the reference year."""
    from scipy import stats
    g0 = int(p.cohort[p.cohort < _NEVER][0])
    n_years = len(p.years)
    events = [e for e in range(-g0, n_years - g0) if e != -1]
    in_cohort = (p.cohort == g0)[:, None]
    regs = np.stack([in_cohort & (np.arange(n_years)[None, :] - g0 == e) for e in events], axis=2).astype(float)
    fit = _cluster_wls(p, regs)
    ci = fit.conf_int(ALPHA)
    rows = [(e, float(fit.params[k]), float(ci[k, 0]), float(ci[k, 1])) for k, e in enumerate(events)]
    rows.append((-1, 0.0, np.nan, np.nan))
    study = pd.DataFrame(sorted(rows), columns=["event_time", "effect", "low", "high"])
    pre = [k for k, e in enumerate(events) if e <= -2]
    if not pre:
        return study, None
    theta = fit.params[pre]
    cov = fit.cov_params()[np.ix_(pre, pre)]
    rank = np.linalg.matrix_rank(cov)
    if rank == 0:
        return study, None
    f_stat = float(theta @ np.linalg.pinv(cov) @ theta) / rank
    return study, float(stats.f.sf(f_stat, rank, len(p.units) - 1))


# ---------------------------------------------------------------------- Callaway & Sant'Anna


def _cells(p: _Panel) -> list[tuple[int, int]]:
    """All (cohort index, year index) pairs except the base year g−1 of each cohort."""
    cohorts = sorted(int(g) for g in np.unique(p.cohort) if g < _NEVER)
    return [(g, t) for g in cohorts for t in range(len(p.years)) if t != g - 1]


def _cs_cells(z: np.ndarray, e: np.ndarray, cohort: np.ndarray, counts: np.ndarray,
              cells: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """ATT(g, t) and the cohort's eligible in year t, for B draws at once.

    ``z`` (N, T) outcome, ``e`` (N, T) eligible, ``cohort`` (B, N) cohort index per draw,
    ``counts`` (B, N) how often each district is in the draw. Returns ``att`` (B, K), NaN where
    the cell has no treated or no control district in the draw, and ``weight`` (B, K), 0 there.
    """
    b = cohort.shape[0]
    att = np.full((b, len(cells)), np.nan)
    weight = np.zeros((b, len(cells)))
    for k, (g, t) in enumerate(cells):
        base = g - 1
        dz = z[:, t] - z[:, base]
        treat = cohort == g
        ctrl = (cohort > max(t, base)) & ~treat
        wt = counts * treat * e[:, t]
        wc = counts * ctrl * e[:, t]
        tden, cden = wt.sum(axis=1), wc.sum(axis=1)
        ok = (tden > 0) & (cden > 0)
        att[ok, k] = (wt[ok] @ dz) / tden[ok] - (wc[ok] @ dz) / cden[ok]
        weight[ok, k] = tden[ok]
    return att, weight


def _aggregate(att: np.ndarray, weight: np.ndarray, select: np.ndarray) -> np.ndarray:
    """Weighted average over the selected cells, per draw (NaN where no cell is available)."""
    w = np.where(select[None, :], weight, 0.0)
    a = np.where(w > 0, att, 0.0)
    den = w.sum(axis=1)
    out = np.full(att.shape[0], np.nan)
    ok = den > 0
    out[ok] = (w[ok] * a[ok]).sum(axis=1) / den[ok]
    return out


def _boot_se(draws: np.ndarray) -> float:
    good = draws[np.isfinite(draws)]
    return float(np.std(good, ddof=1)) if len(good) >= 2 else np.nan


def _callaway_santanna(p: _Panel, n_boot: int, rng: np.random.Generator):
    """C&S estimate with a district bootstrap: (att, se, event_study, pretrend_p, group_time,
    number of post cells left out for want of controls)."""
    from scipy import stats
    n = len(p.units)
    crit = cluster_critical_value(n)  # t(G − 1), G = districts: the rule of every cluster-robust interval
    cells = _cells(p)
    ones = np.ones((1, n))
    att0, w0 = _cs_cells(p.rate, p.eligible, p.cohort[None, :], ones, cells)
    identified = np.isfinite(att0[0])
    post_all = np.array([t >= g for g, t in cells])
    n_dropped = int((post_all & ~identified).sum())
    cells = [c for c, ok in zip(cells, identified, strict=True) if ok]
    if not cells:
        raise ValueError("no group-time effect is identified: no district stays untreated long enough to compare")
    att0, w0 = att0[:, identified], w0[:, identified]
    post = np.array([t >= g for g, t in cells])
    if not post.any():
        raise ValueError("no post-opening year has a comparison district (not yet or never treated)")
    event = np.array([t - g for g, t in cells])

    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)
    att_b, w_b = _cs_cells(p.rate, p.eligible, np.broadcast_to(p.cohort, (n_boot, n)), counts, cells)

    overall = float(_aggregate(att0, w0, post)[0])
    overall_se = _boot_se(_aggregate(att_b, w_b, post))

    rows, pre_draws, pre_effects = [], [], []
    for e in sorted(set(event.tolist()) | {-1}):
        if e == -1:
            rows.append((-1, 0.0, np.nan, np.nan))
            continue
        sel = event == e
        eff = float(_aggregate(att0, w0, sel)[0])
        draws = _aggregate(att_b, w_b, sel)
        se = _boot_se(draws)
        rows.append((e, eff, eff - crit * se, eff + crit * se))
        if e <= -2:
            pre_effects.append(eff)
            pre_draws.append(draws)
    study = pd.DataFrame(rows, columns=["event_time", "effect", "low", "high"])

    pretrend_p = None
    if pre_effects:
        draws = np.column_stack(pre_draws)
        draws = draws[np.isfinite(draws).all(axis=1)]
        if len(draws) > len(pre_effects):
            cov = np.atleast_2d(np.cov(draws, rowvar=False))
            rank = np.linalg.matrix_rank(cov)
            if rank > 0:
                theta = np.asarray(pre_effects)
                pretrend_p = float(stats.chi2.sf(float(theta @ np.linalg.pinv(cov) @ theta), rank))

    se_cells = np.array([_boot_se(att_b[:, k]) for k in range(len(cells))])
    treat_n = [int((p.cohort == g).sum()) for g, _ in cells]
    ctrl_n = [int(((p.cohort > max(t, g - 1)) & (p.cohort != g)).sum()) for g, t in cells]
    group_time = pd.DataFrame({
        "cohort": [p.years[g] for g, _ in cells],
        "time": [p.years[t] for _, t in cells],
        "event_time": event,
        "att": att0[0],
        "se": se_cells,
        "low": att0[0] - crit * se_cells,
        "high": att0[0] + crit * se_cells,
        "eligible": w0[0],
        "n_treated": treat_n,
        "n_control": ctrl_n,
        "post": post,
    })
    return overall, overall_se, study, pretrend_p, group_time, cells, n_dropped


# ---------------------------------------------------------------------- randomisation inference


def _randomization(estimate: Callable[[np.ndarray, np.ndarray], np.ndarray], p: _Panel, n_perm: int,
                   rng: np.random.Generator) -> tuple[float, float, float]:
    """Randomisation p-value (H0: no effect) and 95% interval by test inversion.

    ``estimate(z, cohorts)`` returns the estimator on outcome ``z`` (N, T) for each row of
    ``cohorts`` (B, N). The estimators are linear in the outcome, so under H0: effect = b the
    statistic for permutation k is ``a_k − b·c_k`` (a on the rates, c on the observed
    treatment indicator).
    """
    observed = p.cohort[None, :]
    a_obs = float(estimate(p.rate, observed)[0])
    c_obs = float(estimate(p.treated, observed)[0])
    perms = rng.permuted(np.broadcast_to(p.cohort, (n_perm, len(p.cohort))), axis=1)
    a = estimate(p.rate, perms)
    c = estimate(p.treated, perms)
    ok = np.isfinite(a) & np.isfinite(c)
    a, c = a[ok], c[ok]

    def p_value(b0: float) -> float:
        t_obs = abs(a_obs - b0 * c_obs)
        t_perm = np.abs(a - b0 * c)
        return (1 + int(np.count_nonzero(t_perm >= t_obs - 1e-12 * (1 + t_obs)))) / (len(a) + 1)

    centre = a_obs / c_obs if c_obs != 0 else a_obs
    scale = max(float(np.std(a)) if len(a) > 1 else 0.0, abs(centre), 1e-4)

    def bound(direction: float) -> float:
        step = scale
        for _ in range(40):
            if p_value(centre + direction * step) <= ALPHA:
                break
            step *= 2
        else:
            return direction * np.inf
        inside, outside = centre, centre + direction * step
        for _ in range(60):
            mid = (inside + outside) / 2
            if p_value(mid) > ALPHA:
                inside = mid
            else:
                outside = mid
        return (inside + outside) / 2

    return p_value(0.0), bound(-1.0), bound(1.0)


def _twfe_slopes(p: _Panel) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    years = np.arange(len(p.years))

    def estimate(z: np.ndarray, cohorts: np.ndarray) -> np.ndarray:
        d = (years[None, :, None] >= cohorts.T[:, None, :]).astype(float)  # (N, T, B)
        dt = _within(d, p.eligible)
        num = np.einsum("ntb,nt,nt->b", dt, p.eligible, z)
        den = np.einsum("ntb,nt,ntb->b", dt, p.eligible, dt)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 1e-12, num / den, np.nan)

    return estimate


def _cs_overall(p: _Panel, cells: Sequence[tuple[int, int]]) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    post = np.array([t >= g for g, t in cells])

    def estimate(z: np.ndarray, cohorts: np.ndarray) -> np.ndarray:
        att, w = _cs_cells(z, p.eligible, cohorts, np.ones(cohorts.shape), cells)
        return _aggregate(att, w, post)

    return estimate


def rollout_did(panel: pd.DataFrame, *, unit: str = "district_id", time: str = "fiscal_year",
                eligible: str = "eligible", attended: str = "attended", treated: str = "treated",
                n_boot: int = 999, seed: int = 0) -> DidResult:
    """Effect of a roll-out (e.g. checkup sites opening) on the uptake rate, by DiD.

    ``panel``: one row per district × fiscal year (balanced), with ``eligible`` (people),
    ``attended`` (people, 0 … eligible) and ``treated`` (0/1, 1 from the opening year on). The
    outcome is the uptake rate attended / eligible (a fraction), weighted by eligible. With one
    opening year: TWFE with cluster-robust errors; with several: Callaway & Sant'Anna with a
    district bootstrap of ``n_boot`` draws (and TWFE for comparison). With few districts,
    randomisation inference (``n_boot`` permutations) for the main estimate, and a
    ``few_clusters`` warning. ``seed`` fixes the bootstrap and permutations. The method,
    formulas and conventions are described in the module docstring.

    Sources: B. Callaway & P. H. C. Sant'Anna, "Difference-in-differences with multiple time
    periods", *Journal of Econometrics* 225 (2021) 200–230; A. Goodman-Bacon,
    "Difference-in-differences with variation in treatment timing", *Journal of Econometrics*
    225 (2021) 254–277 (why TWFE is biased under staggered adoption); A. C. Cameron, J. B.
    Gelbach & D. L. Miller, "Bootstrap-based improvements for inference with clustered errors",
    *Review of Economics and Statistics* 90 (2008) 414–427 (few clusters; the wild cluster
    bootstrap); J. G. MacKinnon & M. D. Webb, "Wild bootstrap inference for wildly different
    cluster sizes", *Journal of Applied Econometrics* 32 (2017) 233–254 (few treated clusters);
    J. G. MacKinnon & M. D. Webb, "Randomization inference for
    difference-in-differences with few treated clusters", *Journal of Econometrics* 218 (2020)
    435–450 (the randomisation inference used here).
    """
    from scipy import stats
    if int(n_boot) != n_boot or n_boot < 19:
        raise ValueError(f"n_boot must be a whole number ≥ 19 (999 recommended), not {n_boot!r}")
    n_boot = int(n_boot)
    p, n_always = _prepare_panel(panel, unit, time, eligible, attended, treated)
    rng = np.random.default_rng(seed)
    n_units = len(p.units)
    n_treated = int((p.cohort < _NEVER).sum())
    n_cohorts = len(np.unique(p.cohort[p.cohort < _NEVER]))
    warnings: list[str] = []
    if n_always:
        warnings.append(f"always_treated_dropped: {n_always} district(s) treated from the first year "
                        "were left out (no year before the opening to compare with)")

    twfe, twfe_low, twfe_high, twfe_p = _twfe(p)
    if n_cohorts == 1:
        method, inference = "twfe", "cluster_se"
        att, att_low, att_high, p_value = twfe, twfe_low, twfe_high, twfe_p
        study, pretrend_p = _twfe_event_study(p)
        group_time = pd.DataFrame({c: [] for c in _GROUP_TIME_COLUMNS})
        estimator = _twfe_slopes(p)
    else:
        method, inference = "callaway_santanna", "cluster_bootstrap"
        att, se, study, pretrend_p, group_time, cells, n_dropped = _callaway_santanna(p, n_boot, rng)
        crit = cluster_critical_value(n_units)
        att_low, att_high = att - crit * se, att + crit * se
        p_value = float(2 * stats.t.sf(abs(att) / se, n_units - 1)) if se > 0 else np.nan
        if n_dropped:
            warnings.append(f"cells_without_controls: {n_dropped} post-opening cohort-year(s) have no district "
                            "not yet treated to compare with and are left out of the average")
        estimator = _cs_overall(p, cells)

    if n_treated < MIN_TREATED_CLUSTERS or n_units < MIN_CLUSTERS:
        inference = "randomization"
        p_value, att_low, att_high = _randomization(estimator, p, n_boot, rng)
        warnings.insert(0, f"few_clusters: {n_treated} treated of {n_units} districts (cluster-robust "
                           f"inference needs about {MIN_TREATED_CLUSTERS}+ treated and {MIN_CLUSTERS}+ in all): "
                           f"the interval and p-value of the main estimate are from randomisation inference "
                           f"({n_boot} permutations of which districts are treated), and the event-study "
                           "intervals and the pre-trend test are unadjusted")

    return DidResult(
        method=method, att=float(att), att_low=float(att_low), att_high=float(att_high), p_value=float(p_value),
        twfe=twfe, twfe_low=twfe_low, twfe_high=twfe_high, event_study=study, pretrend_p=pretrend_p,
        n_units=n_units, n_treated=n_treated, warning="; ".join(warnings) or None, group_time=group_time,
        inference=inference,
    )


# ============================================================================ targeting


@dataclass(frozen=True, eq=False)
class Targeting:
    """Result of :func:`uplift_targeting`. Rates and uplifts are fractions; counts are people.

    * ``segments``: one row per cell (the segment columns, then ``n``, ``n_treatment``,
      ``n_control``, ``rate_treatment``, ``rate_control``, ``uplift``, ``uplift_low``,
      ``uplift_high`` (Newcombe 95%; NaN when an arm is empty), ``uplift_shrunk`` (the score
      the whole trial would give the cell), ``uplift_eb`` with ``uplift_eb_low``,
      ``uplift_eb_high`` (the empirical-Bayes estimate and its approximate 95% interval: what to
      rank and show cells by) and ``nonattendance`` (1 − ``rate_control``)).
    * ``policies``: one row per policy of :data:`POLICIES` — ``policy``, ``letters``,
      ``share`` (of the population), ``uplift`` (estimated among those targeted),
      ``extra_attendees`` (= letters × uplift), ``low``, ``high`` (95%).
    * ``qini``: ``share_targeted`` 0, 0.01, … 1, ``letters`` and the cumulative extra
      attendees when the top share is reached by ``by_uplift``, ``by_nonattendance`` or at
      ``random``.
    * ``scores``: per trial person of the two arms (index of ``trial``): ``arm``, ``fold``,
      ``uplift_score``, ``nonattendance_score`` (cross-fitted).
    * ``budget`` (letters asked for), ``population`` (people the policies are scaled to),
      ``overall_uplift`` with ``overall_low``/``overall_high``: the trial's difference in means.
    * ``gain`` with ``gain_low``/``gain_high``: extra attendees of ``highest_uplift`` minus
      those of ``random`` (the same letters), and its 95% bootstrap percentile interval from
      ``n_boot`` resamples; ``between_cell_sd``: τ, the estimated spread of the cells' true
      uplifts around the additive model (0: the model explains them).
    """

    segments: pd.DataFrame
    policies: pd.DataFrame
    qini: pd.DataFrame
    scores: pd.DataFrame
    budget: int
    population: int
    overall_uplift: float
    overall_low: float
    overall_high: float
    gain: float
    gain_low: float
    gain_high: float
    n_boot: int
    between_cell_sd: float


class _Ranking:
    """Difference in means among the top share by a score, with fractional ties at the cut.
    ``weight``: how many persons each row stands for (frequency weights; default one each)."""

    def __init__(self, score: np.ndarray, treat: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> None:
        values, inverse = np.unique(-score, return_inverse=True)  # ascending −score: best first
        k = len(values)
        w = np.ones(len(score)) if weight is None else np.asarray(weight, dtype=float)
        self.size = np.bincount(inverse, weights=w, minlength=k)
        self.n1 = np.bincount(inverse, weights=w * treat, minlength=k)
        self.y1 = np.bincount(inverse, weights=w * treat * y, minlength=k)
        self.n0 = self.size - self.n1
        self.y0 = np.bincount(inverse, weights=w * (1 - treat) * y, minlength=k)
        self.cum = {name: np.concatenate([[0.0], np.cumsum(getattr(self, name))])
                    for name in ("size", "n1", "y1", "n0", "y0")}
        self.total = float(self.size.sum())

    def uplift(self, share: float) -> tuple[float, float]:
        """(difference in means, its standard error) among the top ``share`` of persons."""
        want = share * self.total
        full = int(np.searchsorted(self.cum["size"], want, side="right") - 1)
        full = min(full, len(self.size))
        frac = 0.0
        if full < len(self.size):
            frac = (want - self.cum["size"][full]) / self.size[full]

        def arm(n: str, y: str) -> tuple[float, float]:
            sw = self.cum[n][full] + (frac * getattr(self, n)[full] if frac else 0.0)
            sw2 = self.cum[n][full] + (frac**2 * getattr(self, n)[full] if frac else 0.0)
            swy = self.cum[y][full] + (frac * getattr(self, y)[full] if frac else 0.0)
            swy2 = self.cum[y][full] + (frac**2 * getattr(self, y)[full] if frac else 0.0)
            if sw <= 0:
                return np.nan, np.nan
            m = swy / sw
            # Σ π²(y − m)² with y ∈ {0, 1}: (1 − 2m)·Σπ²y + m²·Σπ²
            var = max((1 - 2 * m) * swy2 + m * m * sw2, 0.0) / sw**2
            return m, var

        m1, v1 = arm("n1", "y1")
        m0, v0 = arm("n0", "y0")
        return m1 - m0, float(np.sqrt(v1 + v0))


@dataclass(frozen=True)
class UpliftModel:
    """What :func:`uplift_model` fits before a budget is given (see :class:`Targeting` for
    ``segments``, ``scores``, ``population``, ``n_boot`` and ``between_cell_sd``): the cells'
    cross-fitted scores (cells × folds), the persons per cell × fold × outcome of each arm, the
    rankings by each policy's score (persons per score value) and the random generator's state
    after the folds were drawn. Aggregates only, but ``scores``."""

    segments: pd.DataFrame
    scores: pd.DataFrame
    population: int
    n_boot: int
    between_cell_sd: float
    cell_score: np.ndarray = field(repr=False)
    counts: tuple[np.ndarray, np.ndarray] = field(repr=False)
    rankings: Mapping[str, _Ranking] = field(repr=False)
    rng_state: Mapping = field(repr=False)


def _cell_rates(codes: np.ndarray, treat: np.ndarray, y: np.ndarray, n_cells: int,
                prior: float) -> tuple[np.ndarray, np.ndarray]:
    """Shrunk letter and control rates per cell (Beta prior toward the arm's overall rate)."""
    rates = []
    for arm in (treat == 1, treat == 0):
        n = np.bincount(codes[arm], minlength=n_cells).astype(float)
        s = np.bincount(codes[arm], weights=y[arm], minlength=n_cells)
        overall = s.sum() / n.sum()
        rates.append((s + prior * overall) / (n + prior))
    return rates[0], rates[1]


def _level_dummies(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Intercept and one 0/1 column per non-reference level of each segment column (the first
    level in sorted order is the reference; NaN is a level of its own), and for each design
    column the segment column it belongs to (−1 for the intercept)."""
    columns, block = [np.ones(len(keys))], [-1]
    for j, c in enumerate(keys.columns):
        codes, _ = pd.factorize(keys[c], sort=True, use_na_sentinel=False)
        columns += [(codes == k).astype(float) for k in range(1, int(codes.max()) + 1)]
        block += [j] * int(codes.max())
    return np.column_stack(columns), np.array(block)


def _random_effects_fit(x: np.ndarray, d: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Meta-regression of the effects ``d`` (variances ``v``) on ``x``: (β, Var(β), τ²), τ² by
    the method of moments (formulas in :func:`_shrunk_uplifts`)."""
    def wls(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cov = np.linalg.pinv((x.T * w) @ x)
        return cov @ ((x.T * w) @ d), cov

    w = 1 / v
    beta, cov = wls(w)
    q = float(np.sum(w * (d - x @ beta) ** 2))
    trace_p = float(w.sum() - np.trace(cov @ ((x.T * w**2) @ x)))
    dof = len(d) - np.linalg.matrix_rank(x)
    tau2 = max(0.0, (q - dof) / trace_p) if trace_p > 1e-12 else 0.0
    beta, cov = wls(1 / (v + tau2))
    return beta, cov, tau2


def _kept_segment_columns(x: np.ndarray, block: np.ndarray, d: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The design columns of the segment columns whose terms differ from zero jointly (Wald
    χ² test at :data:`ALPHA` in the full random-effects fit), and the intercept."""
    from scipy import stats
    beta, cov, _ = _random_effects_fit(x, d, v)
    keep = block == -1
    for j in np.unique(block[block >= 0]):
        m = block == j
        wald = float(beta[m] @ np.linalg.pinv(cov[np.ix_(m, m)]) @ beta[m])
        if stats.chi2.sf(wald, int(m.sum())) < ALPHA:
            keep |= m
    return keep


def _shrunk_uplifts(keys: pd.DataFrame, att1: np.ndarray, n1: np.ndarray, att0: np.ndarray,
                    n0: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Empirical-Bayes uplifts of the cells: (estimates, their standard errors, τ).

    The cells' raw uplifts d_c (letter rate − control rate) are taken as d_c = x_c·β + u_c + e_c
    with u_c ~ N(0, τ²) (how far a cell departs from the additive model of its segment values:
    intercept + one term per non-reference level of each segment column) and e_c ~ N(0, v_c),
    v_c the binomial variance of the difference (rates (k + 1)/(n + 2) so that no v is 0). τ² by
    the method of moments of DerSimonian & Laird, as extended to meta-regression (Raudenbush,
    "Analyzing effect sizes: random-effects models", in Cooper, Hedges & Valentine (eds), *The
    Handbook of Research Synthesis and Meta-Analysis*, 2nd ed., 2009, ch. 16):
    τ² = max(0, (Q − (k − p)) / tr P) with Q the weighted residual sum of squares of the
    fixed-effect fit (weights 1/v), k cells, p = rank of the design, P the residual-maker;
    then β by weighted least squares with weights 1/(v + τ²). A cell's estimate is the
    posterior mean x_c·β + B_c·(d_c − x_c·β), B_c = τ²/(τ² + v_c), with the standard error
    √(B_c·v_c + (1 − B_c)²·x_c' Var(β) x_c) (τ² taken as known). A cell with an empty arm gets
    x_c·β and √(τ² + x_c' Var(β) x_c). With fewer than p + 2 cells that have both arms the model is
    the intercept alone. Otherwise the model keeps only the segment columns whose terms differ
    from zero jointly (a Wald χ² test at 5% in the fit with every column): a column whose true
    terms are zero (the uplift does not depend on sex, say) would pass the noise of its estimated
    terms to every cell, and ranking the cells would pick that noise again — a winner's curse on
    the main effects (on the synthetic city the standard letter's listed cells overstated their
    planted effect by 22% with every column in, 6% with the test). A column left out wrongly
    shows up in τ², so its cells are shrunk less, not biased. Selecting the cells with the
    largest posterior means does not inflate them as selecting the largest raw uplifts does (the
    winner's curse), when the model holds."""
    ok = (n1 > 0) & (n0 > 0)
    est, se = np.full(len(keys), np.nan), np.full(len(keys), np.nan)
    if not ok.any():
        return est, se, np.nan
    p1, p0 = (att1 + 1) / (n1 + 2), (att0 + 1) / (n0 + 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = att1 / n1 - att0 / n0
        v = p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0
    x, block = _level_dummies(keys)
    if int(ok.sum()) < np.linalg.matrix_rank(x[ok]) + 2:
        x = x[:, :1]
    else:
        x = x[:, _kept_segment_columns(x[ok], block, d[ok], v[ok])]
    beta, cov, tau2 = _random_effects_fit(x[ok], d[ok], v[ok])
    prior = x @ beta
    prior_var = np.einsum("ij,jk,ik->i", x, cov, x)
    b = np.where(ok, tau2 / (tau2 + np.where(ok, v, 1.0)), 0.0)
    est = np.where(ok, prior + b * (np.where(ok, d, 0.0) - prior), prior)
    var = np.where(ok, b * np.where(ok, v, 0.0) + (1 - b) ** 2 * prior_var, tau2 + prior_var)
    return est, np.sqrt(var), float(np.sqrt(tau2))


def _targeting_gain(c1: np.ndarray, c0: np.ndarray, score: np.ndarray, share: float) -> float:
    """Uplift among the top ``share`` by ``score`` minus the uplift of all, from counts per
    cell × fold × outcome: ``c1`` (letter arm) and ``c0`` (control), each of shape (cells,
    folds, 2) with [..., 0] non-attenders and [..., 1] attenders, and ``score`` (cells, folds)
    the cross-fitted uplift score of the persons of each cell and fold. The same numbers as
    :class:`_Ranking` on the persons behind the counts."""
    n_groups = score.size
    rows = np.repeat(score.ravel(), 4)  # four rows per cell × fold: letter/control × attended/not
    treat = np.tile([1.0, 1.0, 0.0, 0.0], n_groups)
    y = np.tile([1.0, 0.0, 1.0, 0.0], n_groups)
    weight = np.stack([c1[..., 1], c1[..., 0], c0[..., 1], c0[..., 0]], axis=2).reshape(-1)
    ranking = _Ranking(rows, treat, y, weight)
    return float(ranking.uplift(share)[0] - ranking.uplift(1.0)[0])


def _bucket_counts(codes: np.ndarray, fold: np.ndarray, treat: np.ndarray, y: np.ndarray, n_cells: int,
                   folds: int) -> tuple[np.ndarray, np.ndarray]:
    """Persons per cell × fold × outcome ([..., 0] non-attenders, [..., 1] attenders) in the letter
    arm and in the control arm: all the bootstrap of the gain needs of the persons."""
    buckets = (codes * folds + fold) * 2 + y.astype(np.int64)
    return tuple(np.bincount(buckets[a], minlength=n_cells * folds * 2).astype(float).reshape(n_cells, folds, 2)
                 for a in (treat == 1, treat == 0))


def _gain_draws(counts: tuple[np.ndarray, np.ndarray], score: np.ndarray, share: float, n_boot: int,
                rng: np.random.Generator) -> tuple[float, np.ndarray]:
    """The observed targeting gain per letter (:func:`_targeting_gain`) and ``n_boot`` bootstrap
    draws of it: persons resampled with replacement within each arm (the arms keep their sizes),
    each keeping their cross-fitted score (``score[cell, fold]``). A resample of persons is drawn
    as multinomial counts over the arm's cell × fold × outcome buckets (:func:`_bucket_counts`):
    the same distribution."""
    draws = []
    for observed in counts:
        flat = observed.reshape(-1)
        n = int(flat.sum())
        draws.append(rng.multinomial(n, flat / n, size=n_boot).astype(float).reshape(n_boot, *observed.shape))
    gain = _targeting_gain(counts[0], counts[1], score, share)
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = _targeting_gains(draws[0], draws[1], score, share)
    return gain, boot


def _targeting_gains(c1: np.ndarray, c0: np.ndarray, score: np.ndarray, share: float) -> np.ndarray:
    """:func:`_targeting_gain` of many resamples at once: ``c1`` and ``c0`` of shape (draws,
    cells, folds, 2). The ranking by score is the same in every resample (each person keeps
    their score), so it is found once; a resample only changes how many persons each score
    holds. The same arithmetic as :class:`_Ranking` (summed in another order: equal to ~1e-15)."""
    n_draws = c1.shape[0]
    values, inverse = np.unique(-score.ravel(), return_inverse=True)  # best first
    one_hot = np.zeros((score.size, len(values)))
    one_hot[np.arange(score.size), inverse] = 1.0
    per = {name: c.reshape(n_draws, score.size, 2) @ np.array([[1.0, 1.0], [0.0, 1.0]]).T
           for name, c in (("1", c1), ("0", c0))}  # [..., 0] persons, [..., 1] attenders
    arms = {f"{what}{a}": per[a][..., i] @ one_hot for a in ("1", "0") for i, what in enumerate(("n", "y"))}
    size = arms["n1"] + arms["n0"]
    cum = {k: np.concatenate([np.zeros((n_draws, 1)), np.cumsum(v, axis=1)], axis=1)
           for k, v in {**arms, "size": size}.items()}
    rows = np.arange(n_draws)

    def uplift(at: float) -> np.ndarray:
        want = at * cum["size"][:, -1]
        full = np.minimum((cum["size"] <= want[:, None]).sum(axis=1) - 1, len(values))
        inside = full < len(values)
        part = np.where(inside, full, 0)
        frac = np.where(inside, (want - cum["size"][rows, full]) / size[rows, part], 0.0)

        def mean(a: str) -> np.ndarray:
            sw = cum[f"n{a}"][rows, full] + np.where(frac != 0, frac * arms[f"n{a}"][rows, part], 0.0)
            swy = cum[f"y{a}"][rows, full] + np.where(frac != 0, frac * arms[f"y{a}"][rows, part], 0.0)
            return np.where(sw > 0, swy / np.where(sw > 0, sw, 1.0), np.nan)

        return mean("1") - mean("0")

    return uplift(share) - uplift(1.0)


def uplift_targeting(trial: pd.DataFrame, *, treatment: str, control: str = "control", segments: Sequence[str],
                     budget: int, folds: int = 5, seed: int = 0, arm: str = "arm", attended: str = "attended",
                     population: int | None = None, n_boot: int = 300) -> Targeting:
    """Whom to send a letter: uplift by segment, cross-fitted, and the value of targeting.

    ``trial``: one row per invited person with the ``arm`` column (``treatment`` or
    ``control``; other arms are ignored), ``attended`` (0/1) and the ``segments`` columns
    (categorical; NaN is a category). ``budget``: letters to send; ``population``: people the
    letters would go to (default: the trial's size; the trial is taken to represent them).
    ``folds``: cross-fitting folds; ``seed`` fixes the fold assignment and the bootstrap;
    ``n_boot``: bootstrap resamples of the targeting gain (≥ 19; 300 takes well under a second
    on 60,000 persons). Method in the module docstring: cell uplifts with Newcombe intervals and
    their empirical-Bayes shrunk estimates, cross-fitted shrunk scores, policies valued by the
    difference in means among the trial persons in the top share by their score, and the gain
    of targeting by uplift over random letters with a bootstrap interval.

    Sources: N. J. Radcliffe, "Using control groups to target on predicted lift", *Direct
    Marketing Analytics Journal* (2007) (Qini curve); V. Chernozhukov et al., "Double/debiased
    machine learning for treatment and structural parameters", *Econometrics Journal* 21 (2018)
    C1–C68 (cross-fitting); R. G. Newcombe, "Interval estimation for the difference between
    independent proportions", *Statistics in Medicine* 17 (1998) 873–890; R. DerSimonian &
    N. Laird, "Meta-analysis in clinical trials", *Controlled Clinical Trials* 7 (1986) 177–188
    (the between-cell variance); B. Efron & R. J. Tibshirani, *An Introduction to the Bootstrap*
    (1993), ch. 13 (percentile intervals).

    The same as :func:`targeting_at` of :func:`uplift_model`: a page that asks for many budgets
    fits the model once and values each budget on its aggregates.
    """
    if int(budget) != budget or budget < 0:
        raise ValueError(f"budget must be a whole number of letters ≥ 0, not {budget!r}")
    return targeting_at(uplift_model(trial, treatment=treatment, control=control, segments=segments, folds=folds,
                                     seed=seed, arm=arm, attended=attended, population=population, n_boot=n_boot),
                        budget)


def uplift_model(trial: pd.DataFrame, *, treatment: str, control: str = "control", segments: Sequence[str],
                 folds: int = 5, seed: int = 0, arm: str = "arm", attended: str = "attended",
                 population: int | None = None, n_boot: int = 300) -> UpliftModel:
    """The part of :func:`uplift_targeting` that no budget changes (its arguments, but the budget,
    mean the same): the segment table, the cross-fitted scores, the rankings by score and the
    persons per cell × fold × outcome. Person-level rows are read here only."""
    from statsmodels.stats.proportion import confint_proportions_2indep
    segments = list(segments)
    missing = [c for c in (arm, attended, *segments) if c not in trial.columns]
    if missing:
        raise ValueError(f"trial lacks the columns {missing}")
    if not segments:
        raise ValueError("segments must name at least one column")
    if treatment == control:
        raise ValueError("treatment and control must be different arms")
    if int(folds) != folds or folds < 2:
        raise ValueError(f"folds must be a whole number ≥ 2, not {folds!r}")
    if int(n_boot) != n_boot or n_boot < 19:
        raise ValueError(f"n_boot must be a whole number ≥ 19, not {n_boot!r}")
    df = trial[trial[arm].isin([treatment, control])]
    treat = (df[arm] == treatment).to_numpy(dtype=float)
    y = pd.to_numeric(df[attended], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isin(y, (0.0, 1.0))):
        raise ValueError(f"{attended!r} must be 0 or 1 for every person")
    n1, n0 = int(treat.sum()), int(len(treat) - treat.sum())
    if n1 < folds or n0 < folds:
        raise ValueError(f"each arm needs at least folds = {folds} persons (got {n1} in {treatment!r}, "
                         f"{n0} in {control!r})")
    if population is None:
        population = len(df)
    if int(population) != population or population < 1:
        raise ValueError(f"population must be a whole number ≥ 1, not {population!r}")
    population, folds = int(population), int(folds)

    grouped = df.groupby(segments, dropna=False, sort=True, observed=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().index.to_frame(index=False)
    n_cells = len(keys)

    # --- the segment table, on the whole trial
    cnt1 = np.bincount(codes, weights=treat, minlength=n_cells)
    cnt0 = np.bincount(codes, weights=1 - treat, minlength=n_cells)
    att1 = np.bincount(codes, weights=treat * y, minlength=n_cells)
    att0 = np.bincount(codes, weights=(1 - treat) * y, minlength=n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate1, rate0 = att1 / cnt1, att0 / cnt0
    low, high = np.full(n_cells, np.nan), np.full(n_cells, np.nan)
    for k in np.flatnonzero((cnt1 > 0) & (cnt0 > 0)):
        low[k], high[k] = confint_proportions_2indep(att1[k], cnt1[k], att0[k], cnt0[k], method="newcomb",
                                                     compare="diff", alpha=ALPHA)
    shrunk1, shrunk0 = _cell_rates(codes, treat, y, n_cells, PRIOR_PERSONS)
    eb, eb_se, between_sd = _shrunk_uplifts(keys, att1, cnt1, att0, cnt0)
    seg = keys.assign(n=(cnt1 + cnt0).astype(int), n_treatment=cnt1.astype(int), n_control=cnt0.astype(int),
                      rate_treatment=rate1, rate_control=rate0, uplift=rate1 - rate0, uplift_low=low,
                      uplift_high=high, uplift_shrunk=shrunk1 - shrunk0, uplift_eb=eb,
                      uplift_eb_low=eb - Z95 * eb_se, uplift_eb_high=eb + Z95 * eb_se, nonattendance=1 - rate0)

    # --- cross-fitted scores
    rng = np.random.default_rng(seed)
    fold = np.empty(len(df), dtype=np.int64)
    for members in (np.flatnonzero(treat == 1), np.flatnonzero(treat == 0)):
        fold[rng.permutation(members)] = np.arange(len(members)) % folds
    cell_score = np.empty((n_cells, folds))  # the uplift score of a cell's persons in each fold
    risk_score = np.empty(len(df))
    for k in range(folds):
        train, test = fold != k, fold == k
        r1, r0 = _cell_rates(codes[train], treat[train], y[train], n_cells, PRIOR_PERSONS)
        cell_score[:, k] = r1 - r0
        risk_score[test] = (1 - r0)[codes[test]]
    uplift_score = cell_score[codes, fold]
    scores = pd.DataFrame({"arm": df[arm].to_numpy(), "fold": fold, "uplift_score": uplift_score,
                           "nonattendance_score": risk_score}, index=df.index)

    # --- policies and the Qini curve
    rankings = {
        "random": _Ranking(np.zeros(len(df)), treat, y),
        "highest_nonattendance": _Ranking(risk_score, treat, y),
        "highest_uplift": _Ranking(uplift_score, treat, y),
    }
    return UpliftModel(segments=seg, scores=scores, population=population, n_boot=int(n_boot),
                       between_cell_sd=between_sd, cell_score=cell_score,
                       counts=_bucket_counts(codes, fold, treat, y, n_cells, folds), rankings=rankings,
                       rng_state=rng.bit_generator.state)


def targeting_at(model: UpliftModel, budget: int) -> Targeting:
    """:func:`uplift_targeting` for ``budget`` letters on a fitted :func:`uplift_model`: the
    policies, the Qini curve and the gain of targeting with its bootstrap (which goes on from the
    model's random state, so the result is the same as a fresh :func:`uplift_targeting`)."""
    if int(budget) != budget or budget < 0:
        raise ValueError(f"budget must be a whole number of letters ≥ 0, not {budget!r}")
    budget, population, rankings = int(budget), model.population, model.rankings
    rng = np.random.Generator(np.random.PCG64())
    rng.bit_generator.state = dict(model.rng_state)
    overall, overall_se = rankings["random"].uplift(1.0)
    letters = min(budget, population)
    share = letters / population
    rows = []
    for name in POLICIES:
        if letters == 0:
            rows.append((name, 0, 0.0, np.nan, 0.0, 0.0, 0.0))
            continue
        tau, se = rankings[name].uplift(1.0 if name == "random" else share)
        rows.append((name, letters, share, tau, letters * tau, letters * (tau - Z95 * se),
                     letters * (tau + Z95 * se)))
    policies = pd.DataFrame(rows, columns=["policy", "letters", "share", "uplift", "extra_attendees", "low", "high"])

    # --- the gain of targeting by uplift over random letters, with its bootstrap interval
    if letters == 0:  # no letter, no gain
        gain, gain_low, gain_high = 0.0, 0.0, 0.0
    else:
        gain, draws = _gain_draws(model.counts, model.cell_score, share, model.n_boot, rng)
        draws = draws[np.isfinite(draws)]
        gain_low, gain_high = (np.quantile(draws, [ALPHA / 2, 1 - ALPHA / 2]) if len(draws) else (np.nan, np.nan))

    def curve(ranking: _Ranking) -> np.ndarray:
        return np.array([0.0 if q == 0 else ranking.uplift(q)[0] * q * population for q in QINI_SHARES])

    qini = pd.DataFrame({
        "share_targeted": QINI_SHARES,
        "letters": QINI_SHARES * population,
        "by_uplift": curve(rankings["highest_uplift"]),
        "by_nonattendance": curve(rankings["highest_nonattendance"]),
        "random": QINI_SHARES * overall * population,
    })
    return Targeting(segments=model.segments, policies=policies, qini=qini, scores=model.scores, budget=budget,
                     population=population,
                     overall_uplift=float(overall), overall_low=float(overall - Z95 * overall_se),
                     overall_high=float(overall + Z95 * overall_se), gain=float(letters * gain),
                     gain_low=float(letters * gain_low), gain_high=float(letters * gain_high), n_boot=model.n_boot,
                     between_cell_sd=model.between_cell_sd)
