"""The reminder-letter trial (受診勧奨通知の効果検証): effects per arm against control with intervals,
Holm-adjusted p-values, letters and yen per extra attendee, and the people per arm a trial needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# SciPy's and statsmodels' statistics are imported in the functions that use them (see analytics.core.evaluation)
from analytics.health.uptake import _attended, _check_columns, age_band, past_attendance, wilson_interval

# ----------------------------------------------------------------------------- nudge trial


@dataclass(frozen=True)
class TrialReadout:
    """The readout of a letter trial (see :func:`trial_readout`).

    ``arms``: ``arm``, ``invited``, ``attended``, ``rate``, ``rate_low``, ``rate_high``.
    ``effects``: one row per non-control arm — ``arm``, ``diff``, ``diff_low``,
    ``diff_high``, ``risk_ratio``, ``rr_low``, ``rr_high``, ``p_value``, ``p_holm``,
    ``letters_per_extra_attendee``, ``cost_per_extra_attendee_yen`` with its interval
    ``cost_per_extra_low_yen`` … ``cost_per_extra_high_yen`` (``inf``: no upper bound, when the
    difference's interval reaches 0). ``by_segment``: the
    same per value of each segment column, with ``segment``, ``value``, ``arm``, ``n``
    (invited in the arm), ``n_control``, ``rate``, ``control_rate`` first. Counts are exact
    counts of people: suppress before showing."""

    control: str
    arms: pd.DataFrame
    effects: pd.DataFrame
    by_segment: pd.DataFrame


EFFECT_COLUMNS: tuple[str, ...] = ("diff", "diff_low", "diff_high", "risk_ratio", "rr_low", "rr_high", "p_value",
                                   "p_holm", "letters_per_extra_attendee", "cost_per_extra_attendee_yen",
                                   "cost_per_extra_low_yen", "cost_per_extra_high_yen")


def _wilson_bounds(k: float, n: float, z: float) -> tuple[float, float]:
    p, z2 = k / n, z * z
    centre, half = p + z2 / (2 * n), z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (centre - half) / (1 + z2 / n), (centre + half) / (1 + z2 / n)


def newcombe_p_value(k1: float, n1: float, k0: float, n0: float) -> float:
    """Two-sided p-value of "no difference" (p1 = p0) from the same method as the interval of
    the difference: the α at which the Newcombe hybrid-score (1 − α) interval (Newcombe 1998,
    method 10: Wilson bounds of each rate combined) just reaches 0 — test inversion, so
    p < 0.05 exactly when the 95% interval excludes 0. ``k`` attended of ``n`` invited; 1 when
    the rates are equal, 0 below about 1e-300."""
    from scipy import stats
    from scipy.optimize import brentq
    p1, p0 = k1 / n1, k0 / n0
    diff = p1 - p0
    if diff == 0:
        return 1.0

    def bound(z: float) -> float:  # the bound nearer 0, minus 0, signed so that it falls as z grows
        l1, u1 = _wilson_bounds(k1, n1, z)
        l0, u0 = _wilson_bounds(k0, n0, z)
        if diff > 0:
            return diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
        return -diff - math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)

    z_max = 37.0  # 2·Φ(−37) ≈ 1e-300
    if bound(z_max) > 0:
        return 0.0
    z = brentq(bound, 0.0, z_max, xtol=1e-13)
    return float(min(1.0, 2 * stats.norm.sf(z)))


def _effects(counts: pd.DataFrame, control: str, arms: Sequence[str],
             cost: Mapping[str, float] | float | None) -> pd.DataFrame:
    """Effects of ``arms`` against ``control`` from per-arm ``invited``/``attended`` counts."""
    from statsmodels.stats.proportion import confint_proportions_2indep
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
            row["p_value"] = newcombe_p_value(k1, n1, k0, n0)
            if row["diff"] > 0:
                row["letters_per_extra_attendee"] = 1 / row["diff"]
                yen = cost.get(arm) if isinstance(cost, Mapping) else cost
                if yen is not None:
                    row["cost_per_extra_attendee_yen"] = float(yen) / row["diff"]
                    # its 95% interval from the difference's: yen / diff_high … yen / diff_low, and no
                    # upper bound (inf) when the difference's interval reaches 0 or below
                    row["cost_per_extra_low_yen"] = float(yen) / row["diff_high"]
                    row["cost_per_extra_high_yen"] = (float(yen) / row["diff_low"] if row["diff_low"] > 0
                                                      else math.inf)
        rows.append({"arm": arm, **row})
    out = pd.DataFrame(rows, columns=["arm", *EFFECT_COLUMNS])
    ok = out["p_value"].notna().to_numpy()
    if ok.any():
        out.loc[ok, "p_holm"] = holm(out.loc[ok, "p_value"].to_numpy())
    return out


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of ``p_values`` (S. Holm, "A simple sequentially rejective
    multiple test procedure", *Scandinavian Journal of Statistics* 6 (1979) 65–70): the i-th
    smallest of m is multiplied by m − i + 1, kept at least the one before it and at most 1;
    the same numbers as statsmodels' ``multipletests(method="holm")``, which also runs a full
    garbage collection on every call (70 ms in the server's heap)."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.minimum(1.0, np.maximum.accumulate(p[order] * np.arange(m, 0, -1)))
    out = np.empty(m)
    out[order] = stepped
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
    ``compare="ratio"`` default interval (log-adjusted); ``p_value`` two-sided, from the same
    Newcombe interval by test inversion (:func:`newcombe_p_value`), so the p-value and the
    interval of a difference never disagree about 0;
    ``p_holm``, Holm's adjustment across the non-control arms (:func:`holm`);
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
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize
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
