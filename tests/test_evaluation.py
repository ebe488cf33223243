"""Tests for analytics.core.evaluation: roll-out DiD (TWFE, Callaway–Sant'Anna, randomisation
inference) and uplift targeting from a letter trial.

Panels are simulated at the level the estimators see: district × fiscal-year totals, with
``attended ~ Binomial(eligible, rate)`` and the rate = base + district effect + year effect +
planted effect (+ a planted differential trend where a test says so). Every "truth" is
computed in the test from the simulation's own planted effects.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

from analytics.core import evaluation
from analytics.core.evaluation import POLICIES, DidResult, cluster_critical_value, rollout_did, uplift_targeting

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

YEARS = np.arange(2019, 2024)  # five fiscal years
NEVER = None


def _panel(cohorts: list[int | None], *, effect: Callable[[np.ndarray], np.ndarray] = lambda e: 0.03 + 0 * e,
           pretrend: float = 0.0, seed: int = 0, years: np.ndarray = YEARS,
           noiseless: bool = False) -> tuple[pd.DataFrame, float]:
    """A district-year panel and the planted average effect on the treated.

    ``cohorts[i]``: index into ``years`` of district i's opening, or None (never). The effect in
    a treated year is ``effect(event_time)``; ``pretrend`` adds that much per year to the rate
    of every district that is ever treated (a violation of parallel trends). The planted
    average is the eligible-weighted mean effect over the treated district-years.
    """
    rng = np.random.default_rng(seed)
    n, t = len(cohorts), len(years)
    eligible = rng.integers(1_500, 2_500, size=n)[:, None] + rng.integers(-50, 50, size=(n, t))
    cohort = np.array([1_000 if g is None else g for g in cohorts])[:, None]
    year = np.arange(t)[None, :]
    treated = year >= cohort
    tau = np.where(treated, effect(year - cohort), 0.0)
    rate = (0.35 + rng.normal(0, 0.04, size=(n, 1)) + np.linspace(0, 0.02, t)[None, :] + tau
            + pretrend * (cohort < 1_000) * year)
    attended = eligible * rate if noiseless else rng.binomial(eligible, rate)
    df = pd.DataFrame({
        "district_id": np.repeat([f"D{i:02d}" for i in range(n)], t),
        "fiscal_year": np.tile(years, n),
        "eligible": eligible.ravel(),
        "attended": attended.ravel(),
        "treated": treated.ravel().astype(int),
    })
    return df, float((eligible * tau)[treated].sum() / eligible[treated].sum())


def _common(n_treated: int = 20, n: int = 40, start: int = 2) -> list[int | None]:
    return [start] * n_treated + [NEVER] * (n - n_treated)


STAGGERED = [1] * 10 + [2] * 10 + [3] * 10 + [NEVER] * 10  # openings FY2020, 2021, 2022; 10 never


def _growing(e: np.ndarray) -> np.ndarray:
    """+2 points in the opening year, +2 more each year after."""
    return 0.02 * (e + 1)


# ----------------------------------------------------------------------------- TWFE


def test_twfe_on_a_2x2_panel_is_the_hand_did() -> None:
    panel = pd.DataFrame({
        "district_id": ["A", "A", "B", "B"],
        "fiscal_year": [2021, 2022, 2021, 2022],
        "eligible": [1_000, 1_200, 800, 900],
        "attended": [300, 420, 200, 234],
        "treated": [0, 1, 0, 0],
    })
    hand = (420 / 1_200 - 300 / 1_000) - (234 / 900 - 200 / 800)  # 0.05 − 0.01
    result = rollout_did(panel, n_boot=99)
    assert hand == pytest.approx(0.04)
    assert result.method == "twfe"
    assert result.att == pytest.approx(hand, abs=1e-12)
    assert result.twfe == pytest.approx(hand, abs=1e-12)

    # four districts, eligible constant within a district: TWFE-WLS = the eligible-weighted DiD
    e = {"A": 1_000, "B": 3_000, "C": 2_000, "D": 500}
    rates = {"A": (0.30, 0.38), "B": (0.40, 0.43), "C": (0.25, 0.26), "D": (0.50, 0.54)}
    rows = [(d, y, e[d], rates[d][k] * e[d], int(d in "AB" and k == 1))
            for d in "ABCD" for k, y in enumerate((2021, 2022))]
    panel = pd.DataFrame(rows, columns=["district_id", "fiscal_year", "eligible", "attended", "treated"])
    change = {d: rates[d][1] - rates[d][0] for d in "ABCD"}
    hand = ((e["A"] * change["A"] + e["B"] * change["B"]) / (e["A"] + e["B"])
            - (e["C"] * change["C"] + e["D"] * change["D"]) / (e["C"] + e["D"]))
    result = rollout_did(panel, n_boot=99)
    assert hand == pytest.approx(0.0425 - 0.016)  # (80 + 90) / 4,000 − (20 + 20) / 2,500
    assert result.att == pytest.approx(hand, abs=1e-12)
    assert "few_clusters" in result.warning_codes  # 2 treated of 4 districts


def test_twfe_matches_the_dummy_variable_regression() -> None:
    panel, _ = _panel(_common(), seed=3)
    result = rollout_did(panel)
    d = pd.get_dummies(panel[["district_id"]].astype(str), dtype=float)
    y = pd.get_dummies(panel["fiscal_year"].astype(str), dtype=float, drop_first=True)
    x = pd.concat([panel["treated"].astype(float), d, y], axis=1).to_numpy()
    fit = sm.WLS((panel["attended"] / panel["eligible"]).to_numpy(), x, weights=panel["eligible"].to_numpy()).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(panel["district_id"])[0]}, use_t=True)
    assert result.twfe == pytest.approx(fit.params[0], rel=1e-9)
    # the same CR1 error without counting the 44 nested fixed effects as parameters
    n, k = x.shape
    se = fit.bse[0] * np.sqrt((n - k) / (n - 1))
    t = (result.twfe_high - result.twfe_low) / 2 / se
    assert t == pytest.approx(stats.t.ppf(0.975, 39), rel=1e-6)


def test_single_opening_year_recovers_the_planted_effect() -> None:
    panel, truth = _panel(_common(), seed=1)
    assert truth == pytest.approx(0.03)
    result = rollout_did(panel)
    assert isinstance(result, DidResult)
    assert (result.method, result.inference, result.warning) == ("twfe", "cluster_se", None)
    assert (result.n_units, result.n_treated) == (40, 20)
    assert result.att_low < 0.03 < result.att_high
    assert result.p_value < 0.05
    study = result.event_study
    assert study["event_time"].tolist() == [-2, -1, 0, 1, 2]
    ref = study[study["event_time"] == -1].iloc[0]
    assert ref["effect"] == 0 and np.isnan(ref["low"])
    assert result.pretrend_p is not None and 0 <= result.pretrend_p <= 1
    assert result.group_time.empty and "att" in result.group_time.columns


def test_twfe_interval_covers_the_truth_90_to_99_percent_of_200_panels() -> None:
    hits = []
    for rep in range(200):
        panel, truth = _panel(_common(), seed=10_000 + rep)
        result = rollout_did(panel)
        assert result.method == "twfe" and result.inference == "cluster_se"
        hits.append(result.att_low <= truth <= result.att_high)
    assert 0.90 <= np.mean(hits) <= 0.99, np.mean(hits)


# ----------------------------------------------------------------------------- staggered adoption


def test_staggered_adoption_twfe_is_biased_callaway_santanna_is_not() -> None:
    panel, truth = _panel(STAGGERED, effect=_growing, seed=1)
    result = rollout_did(panel, n_boot=499, seed=1)
    assert result.method == "callaway_santanna" and result.inference == "cluster_bootstrap"
    assert result.warning is None
    assert result.att_low <= truth <= result.att_high
    assert not result.twfe_low <= truth <= result.twfe_high
    assert truth - result.twfe > 0.01  # dynamic effects: later adopters compared with earlier ones

    gt = result.group_time
    post = gt[gt["post"]]
    assert len(post) == 4 + 3 + 2  # cohorts 2020, 2021, 2022 observed to 2023
    assert set(gt["cohort"]) == {2020, 2021, 2022}
    # the aggregate is the eligible-weighted mean of the post cells, whose weights are the cohort's eligible
    assert result.att == pytest.approx(np.average(post["att"], weights=post["eligible"]), rel=1e-12)
    cell = gt[(gt["cohort"] == 2021) & (gt["time"] == 2023)].iloc[0]
    in_cohort = panel["district_id"].isin([f"D{i:02d}" for i in range(10, 20)]) & (panel["fiscal_year"] == 2023)
    assert cell["eligible"] == panel.loc[in_cohort, "eligible"].sum()
    assert (cell["n_treated"], cell["n_control"], cell["event_time"]) == (10, 10, 2)
    # event study: the planted +2, +4, +6, +8 points
    study = result.event_study.set_index("event_time")
    assert study.index.tolist() == [-3, -2, -1, 0, 1, 2, 3]
    for e in range(4):
        assert study.loc[e, "effect"] == pytest.approx(0.02 * (e + 1), abs=0.015)


def test_one_critical_value_for_cluster_robust_intervals() -> None:
    """Issue 26, item 12: every interval from a cluster-robust (or cluster-bootstrap) standard
    error with G districts is estimate ± t(G − 1) × SE — TWFE (statsmodels use_t) and
    Callaway–Sant'Anna alike, and the p-value from the same t."""
    assert cluster_critical_value(40) == pytest.approx(stats.t.ppf(0.975, 39), rel=1e-12)
    assert cluster_critical_value(40) > 2.02 > stats.norm.ppf(0.975)
    assert evaluation.Z95 == pytest.approx(stats.norm.ppf(1 - evaluation.ALPHA / 2), rel=1e-15)  # a literal
    with pytest.raises(ValueError, match="at least 2 clusters"):
        cluster_critical_value(1)
    panel, _ = _panel(STAGGERED[:20] + [NEVER] * 5, effect=_growing, seed=3)  # 25 districts: t(24) = 2.06
    result = rollout_did(panel, n_boot=199, seed=3)
    assert result.method == "callaway_santanna" and result.n_units == 25
    gt = result.group_time
    np.testing.assert_allclose((gt["high"] - gt["low"]) / (2 * gt["se"]), stats.t.ppf(0.975, 24), rtol=1e-10)
    # the overall estimate: its half-width over the t quantile is the SE, which also gives the p-value
    se = (result.att_high - result.att_low) / (2 * stats.t.ppf(0.975, 24))
    assert result.p_value == pytest.approx(2 * stats.t.sf(abs(result.att) / se, 24), rel=1e-9)


def test_callaway_santanna_is_exact_on_noiseless_data_and_twfe_is_not() -> None:
    panel, truth = _panel(STAGGERED, effect=_growing, seed=2, noiseless=True)
    result = rollout_did(panel, n_boot=99)
    assert result.att == pytest.approx(truth, abs=1e-12)
    pre = result.group_time[~result.group_time["post"]]
    np.testing.assert_allclose(pre["att"], 0.0, atol=1e-12)
    post = result.group_time[result.group_time["post"]]
    np.testing.assert_allclose(post["att"], 0.02 * (post["event_time"] + 1), atol=1e-12)
    assert abs(result.twfe - truth) > 0.01


def test_not_yet_treated_districts_are_the_controls_when_none_is_never_treated() -> None:
    panel, truth = _panel([1] * 15 + [3] * 15, effect=lambda e: 0.03 + 0 * e, seed=4, noiseless=True)
    result = rollout_did(panel, n_boot=99)
    # cohort 2022 is only compared before it opens; cohort 2020 has no control from 2022 on
    assert "cells_without_controls" in result.warning_codes
    post = result.group_time[result.group_time["post"]]
    assert sorted(zip(post["cohort"], post["time"], strict=True)) == [(2020, 2020), (2020, 2021)]
    assert (post["n_control"] == 15).all()
    assert result.att == pytest.approx(0.03, abs=1e-12)


# ----------------------------------------------------------------------------- pre-trends


def test_pretrend_check_flags_a_planted_pretrend() -> None:
    staggered, _ = _panel(STAGGERED, effect=_growing, pretrend=0.02, seed=5)  # +2 points a year
    assert rollout_did(staggered, n_boot=499).pretrend_p < 0.05
    common, _ = _panel(_common(start=3), pretrend=0.02, seed=5)
    result = rollout_did(common)
    assert result.method == "twfe" and result.pretrend_p < 0.05


def test_pretrend_check_rarely_flags_clean_panels() -> None:
    flagged_cs = [rollout_did(_panel(STAGGERED, effect=_growing, seed=200 + rep)[0], n_boot=199, seed=rep)
                  .pretrend_p < 0.05 for rep in range(40)]
    flagged_twfe = [rollout_did(_panel(_common(start=3), seed=300 + rep)[0]).pretrend_p < 0.05 for rep in range(100)]
    # nominal 5%; with 40 / 100 panels, more than 20% / 12% would be far out of line
    assert np.mean(flagged_cs) <= 0.20, np.mean(flagged_cs)
    assert np.mean(flagged_twfe) <= 0.12, np.mean(flagged_twfe)


def test_no_pretrend_test_without_a_year_before_the_reference() -> None:
    panel, _ = _panel(_common(start=1), seed=6)
    result = rollout_did(panel)
    assert result.pretrend_p is None
    assert result.event_study["event_time"].tolist() == [-1, 0, 1, 2, 3]


# ----------------------------------------------------------------------------- few clusters


def test_few_treated_districts_set_the_warning_and_use_randomisation_inference() -> None:
    panel, truth = _panel(_common(n_treated=4), seed=7)
    result = rollout_did(panel, n_boot=499)
    assert result.warning_codes == ("few_clusters",)
    assert result.warning.startswith("few_clusters: 4 treated of 40 districts")
    assert result.inference == "randomization" and result.method == "twfe"
    assert result.att == result.twfe
    assert result.att_low < truth < result.att_high
    assert result.p_value < 0.05
    # with 20 treated there is no warning
    assert rollout_did(_panel(_common(n_treated=10), seed=7)[0]).warning is None
    # few districts in all, staggered
    staggered, truth = _panel([1] * 3 + [2] * 3 + [NEVER] * 6, seed=8)
    result = rollout_did(staggered, n_boot=499)
    assert result.method == "callaway_santanna" and result.inference == "randomization"
    assert result.warning_codes == ("few_clusters",)
    assert result.att_low < truth < result.att_high


def test_randomisation_inference_rejects_a_true_null_about_5_percent() -> None:
    rejected = [rollout_did(_panel(_common(n_treated=4), effect=lambda e: 0 * e, seed=400 + rep)[0],
                            n_boot=199, seed=rep).p_value < 0.05 for rep in range(60)]
    assert np.mean(rejected) <= 0.15, np.mean(rejected)


def test_randomisation_interval_is_unbounded_with_two_districts() -> None:
    panel, _ = _panel([1, NEVER], seed=9)
    result = rollout_did(panel, n_boot=99)
    assert result.p_value == 1.0
    assert (result.att_low, result.att_high) == (-np.inf, np.inf)


# ----------------------------------------------------------------------------- input checks


def test_districts_treated_from_the_first_year_are_left_out() -> None:
    panel, _ = _panel([0] * 2 + _common(), seed=10)
    result = rollout_did(panel)
    assert "always_treated_dropped" in result.warning_codes
    assert (result.n_units, result.n_treated) == (40, 20)
    assert result.att == rollout_did(panel[~panel["district_id"].isin(["D00", "D01"])]).att


@pytest.mark.parametrize("breakage, message", [
    (lambda p: p.drop(columns="eligible"), "lacks the columns"),
    (lambda p: p.assign(attended=p["eligible"] + 1), "between 0 and"),
    (lambda p: p.assign(treated=np.where(p["fiscal_year"] == 2023, 0, p["treated"])), "absorbing"),
    (lambda p: p.iloc[1:], "unbalanced"),
    (lambda p: pd.concat([p, p.iloc[:1]]), "more than one row"),
    (lambda p: p.assign(treated=0), "no district is treated"),
    (lambda p: p.assign(treated=(p["fiscal_year"] >= 2021).astype(int)), "collinear"),
])
def test_bad_panels_are_refused(breakage, message) -> None:
    panel, _ = _panel(_common(), seed=11)
    with pytest.raises(ValueError, match=message):
        rollout_did(breakage(panel), n_boot=99)


# ----------------------------------------------------------------------------- targeting

PATTERNS = {"regular": (0.70, 0.01), "lapsed": (0.30, 0.10), "never": (0.10, 0.01)}  # base rate, planted uplift


def _trial(n: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """A letter trial: half the invited get the letter; uplift +10 points for lapsed attenders,
    +1 for everyone else, whatever their sex and age band."""
    rng = np.random.default_rng(seed)
    pattern = rng.choice(list(PATTERNS), size=n, p=[0.3, 0.2, 0.5])
    sex = rng.choice(["F", "M"], size=n)
    age = rng.choice(["40-54", "55-64", "65-74"], size=n)
    arm = rng.permutation(np.repeat(["letter", "control"], n // 2))
    base = np.array([PATTERNS[p][0] for p in pattern]) + 0.03 * (sex == "F") + 0.02 * (age != "40-54")
    uplift = np.array([PATTERNS[p][1] for p in pattern])
    attended = rng.random(n) < base + uplift * (arm == "letter")
    return pd.DataFrame({"person_id": np.arange(n), "arm": arm, "sex": sex, "age_band": age, "pattern": pattern,
                         "attended": attended.astype(int)})


SEGMENTS = ["sex", "age_band", "pattern"]


def test_targeting_by_uplift_beats_random_for_a_small_budget() -> None:
    trial = _trial()
    result = uplift_targeting(trial, treatment="letter", segments=SEGMENTS, budget=2_000)
    policies = result.policies.set_index("policy")
    assert policies.index.tolist() == list(POLICIES)
    assert (policies["letters"] == 2_000).all() and (policies["share"] == 0.1).all()
    overall = (trial.loc[trial["arm"] == "letter", "attended"].mean()
               - trial.loc[trial["arm"] == "control", "attended"].mean())
    assert policies.loc["random", "extra_attendees"] == pytest.approx(2_000 * overall)
    best = policies.loc["highest_uplift"]
    # the top 10% by uplift are lapsed attenders (+10 points): about 200 extra, random about 56
    assert best["low"] > policies.loc["random", "extra_attendees"]
    assert best["low"] < 2_000 * 0.10 < best["high"]
    # those least likely to attend (never attended) respond little
    assert best["extra_attendees"] > policies.loc["highest_nonattendance", "extra_attendees"]
    assert policies.loc["highest_nonattendance", "low"] < 2_000 * 0.01 < policies.loc["highest_nonattendance", "high"]


def test_qini_curve_ends_at_the_overall_effect_times_population() -> None:
    trial = _trial(seed=1)
    result = uplift_targeting(trial, treatment="letter", segments=SEGMENTS, budget=1_000)
    overall = (trial.loc[trial["arm"] == "letter", "attended"].mean()
               - trial.loc[trial["arm"] == "control", "attended"].mean())
    qini = result.qini
    assert qini["share_targeted"].iloc[0] == 0 and qini["share_targeted"].iloc[-1] == 1
    assert qini[["by_uplift", "by_nonattendance", "random"]].iloc[0].tolist() == [0, 0, 0]
    for column in ("by_uplift", "by_nonattendance", "random"):
        assert qini[column].iloc[-1] == pytest.approx(overall * len(trial), rel=1e-12)
    assert result.overall_uplift == pytest.approx(overall)
    at_20 = qini[np.isclose(qini["share_targeted"], 0.2)].iloc[0]
    # the 20% lapsed carry 0.2·0.10 of the 0.028 overall: about 400 of 560 extra attendees
    assert at_20["by_uplift"] > 1.5 * at_20["random"]
    # scaled to a larger population, the curve scales with it
    scaled = uplift_targeting(trial, treatment="letter", segments=SEGMENTS, budget=1_000, population=60_000)
    np.testing.assert_allclose(scaled.qini["by_uplift"], 3 * qini["by_uplift"], rtol=1e-12)


def test_segment_uplift_intervals_contain_the_planted_values() -> None:
    trial = _trial(seed=2)
    seg = uplift_targeting(trial, treatment="letter", segments=SEGMENTS, budget=500).segments
    assert len(seg) == 2 * 3 * 3
    counts = trial.groupby(SEGMENTS).size()
    assert seg.set_index(SEGMENTS)["n"].sort_index().tolist() == counts.sort_index().tolist()
    planted = seg["pattern"].map(lambda p: PATTERNS[p][1])
    inside = (seg["uplift_low"] <= planted) & (planted <= seg["uplift_high"])
    # 18 intervals at 95%: 4 or more misses has probability about 1%
    assert inside.sum() >= 15, seg[~inside]
    lapsed = seg["pattern"] == "lapsed"
    mean_shrunk = [np.average(seg.loc[rows, "uplift_shrunk"], weights=seg.loc[rows, "n"]) for rows in (lapsed, ~lapsed)]
    assert mean_shrunk[0] - mean_shrunk[1] == pytest.approx(0.09, abs=0.03)


def test_scores_are_cross_fitted() -> None:
    trial = _trial(n=4_000, seed=3)
    before = uplift_targeting(trial, treatment="letter", segments=SEGMENTS, budget=400, seed=5).scores
    assert before.index.equals(trial.index)
    assert sorted(before["fold"].unique()) == [0, 1, 2, 3, 4]
    assert before.groupby("fold")["arm"].nunique().eq(2).all()
    person = 0
    changed = trial.copy()
    changed.loc[person, "attended"] = 1 - changed.loc[person, "attended"]
    after = uplift_targeting(changed, treatment="letter", segments=SEGMENTS, budget=400, seed=5).scores
    # the person's own outcome does not move their scores …
    assert after.loc[person, "uplift_score"] == before.loc[person, "uplift_score"]
    assert after.loc[person, "nonattendance_score"] == before.loc[person, "nonattendance_score"]
    # … but it moves those of people in the same cell in the other folds
    same_cell = (trial[SEGMENTS] == trial.loc[person, SEGMENTS]).all(axis=1)
    other_fold = before["fold"] != before.loc[person, "fold"]
    moved = ~np.isclose(after["uplift_score"], before["uplift_score"], rtol=0, atol=1e-15)
    assert moved[same_cell & other_fold].all()
    assert not moved[same_cell & ~other_fold].any()


def test_targeting_edge_cases() -> None:
    trial = _trial(n=2_000, seed=4)
    none = uplift_targeting(trial, treatment="letter", segments=["pattern"], budget=0)
    assert (none.policies["extra_attendees"] == 0).all()
    everyone = uplift_targeting(trial, treatment="letter", segments=["pattern"], budget=10_000)
    assert (everyone.policies["letters"] == 2_000).all()
    np.testing.assert_allclose(everyone.policies["extra_attendees"], 2_000 * everyone.overall_uplift, rtol=1e-12)
    with pytest.raises(ValueError, match="0 or 1"):
        uplift_targeting(trial.assign(attended=2), treatment="letter", segments=["pattern"], budget=10)
    with pytest.raises(ValueError, match="lacks the columns"):
        uplift_targeting(trial, treatment="letter", segments=["income"], budget=10)
    with pytest.raises(ValueError, match="at least folds"):
        uplift_targeting(trial.head(6), treatment="letter", segments=["pattern"], budget=10)


# ----------------------------------------------------------------------------- the cells to show, the gain


def test_shrunk_cell_uplifts_of_one_segment_are_dersimonian_laird_random_effects() -> None:
    """Three cells of one segment (too few for main effects: the model is the intercept alone)
    with uplifts 0, 10 and 30 points: τ² and the pooled mean are statsmodels' DerSimonian–Laird
    random-effects ones, and each cell's estimate is the posterior mean written out by hand."""
    groups = {"a": ((100, 400), (100, 400)), "b": ((140, 400), (100, 400)), "c": ((220, 400), (100, 400))}
    rows = []
    for value, ((k1, n1), (k0, n0)) in groups.items():
        for arm, k, n in (("letter", k1, n1), ("control", k0, n0)):
            rows += [(value, arm, 1)] * k + [(value, arm, 0)] * (n - k)
    trial = pd.DataFrame(rows, columns=["group", "arm", "attended"])
    seg = uplift_targeting(trial, treatment="letter", segments=["group"], budget=100, n_boot=19).segments
    (k1, n1), (k0, n0) = np.array([g[0] for g in groups.values()]).T, np.array([g[1] for g in groups.values()]).T
    d = k1 / n1 - k0 / n0
    p1, p0 = (k1 + 1) / (n1 + 2), (k0 + 1) / (n0 + 2)
    v = p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0
    re = combine_effects(d, v, method_re="dl")
    assert re.tau2 > 0  # the cells differ: some shrinkage, not all the way
    b = re.tau2 / (re.tau2 + v)
    expected = re.mean_effect_re + b * (d - re.mean_effect_re)
    se = np.sqrt(b * v + (1 - b) ** 2 * re.sd_eff_w_re**2)
    np.testing.assert_allclose(seg["uplift_eb"], expected, rtol=1e-10)
    np.testing.assert_allclose(seg["uplift_eb_high"] - seg["uplift_eb"], stats.norm.ppf(0.975) * se, rtol=1e-10)
    # pulled toward the pooled mean, never past it
    assert (np.abs(seg["uplift_eb"] - re.mean_effect_re) < np.abs(d - re.mean_effect_re)).all()


def test_a_segment_column_without_a_difference_leaves_the_model() -> None:
    """Two segment columns over six cells: the uplift is 20 points for pattern A and 0 for B,
    identical in the three areas (the same counts). The Wald test keeps ``pattern`` and drops
    ``area`` (its terms are exactly 0): the estimates are those of the model with ``pattern``
    alone, where each cell sits on its pattern's rate (τ² = 0, the cells agree exactly), not
    the intercept-only model's pooled 10 points."""
    counts = {"A": ((300, 500), (200, 500)), "B": ((200, 500), (200, 500))}  # (letter, control): (attended, n)
    rows = []
    for area in ("x", "y", "z"):
        for pattern, ((k1, n1), (k0, n0)) in counts.items():
            for arm, k, n in (("letter", k1, n1), ("control", k0, n0)):
                rows += [(area, pattern, arm, 1)] * k + [(area, pattern, arm, 0)] * (n - k)
    trial = pd.DataFrame(rows, columns=["area", "pattern", "arm", "attended"])
    seg = uplift_targeting(trial, treatment="letter", segments=["area", "pattern"], budget=100, n_boot=19).segments
    np.testing.assert_allclose(seg.set_index(["area", "pattern"])["uplift_eb"].sort_index(),
                               [0.2, 0.0] * 3, atol=1e-12)
    from analytics.core.evaluation import _kept_segment_columns, _level_dummies

    x, block = _level_dummies(seg[["area", "pattern"]])
    assert block.tolist() == [-1, 0, 0, 1]
    kept = _kept_segment_columns(x, block, seg["uplift"].to_numpy(), np.full(len(seg), 1e-3))
    assert kept.tolist() == [True, False, False, True]


def test_the_cells_with_the_largest_shrunk_uplift_are_less_inflated() -> None:
    """The winner's curse at its worst: every cell has the same planted uplift (3 points), so
    the six of eighteen cells with the largest raw uplifts are picked for their noise alone and
    overstate it by about 2.5 points (averaged over ten trials); the six with the largest
    empirical-Bayes estimates overstate it by less than 70% as much (the model drops segment
    columns without a difference, whose terms' noise would be picked again by the ranking)."""
    excess = []
    for seed in range(10):
        trial = _trial(seed=seed)
        rng = np.random.default_rng(100 + seed)
        base = trial["pattern"].map(lambda p: PATTERNS[p][0]).to_numpy()
        trial["attended"] = (rng.random(len(trial)) < base + 0.03 * (trial["arm"] == "letter")).astype(int)
        seg = uplift_targeting(trial, treatment="letter", segments=SEGMENTS, budget=500, n_boot=19).segments
        excess.append((seg.nlargest(6, "uplift")["uplift"].mean() - 0.03,
                       seg.nlargest(6, "uplift_eb")["uplift_eb"].mean() - 0.03))
    raw, shrunk = np.mean(excess, axis=0)
    assert raw > 0.015
    assert abs(shrunk) < 0.7 * raw


def _two_cells(letter_in_a: int = 50) -> pd.DataFrame:
    """Cell A: every letter recipient attends, no control does; cell B: nobody attends."""
    rows = ([("A", "letter", 1)] * letter_in_a + [("B", "letter", 0)] * (100 - letter_in_a)
            + [("A", "control", 0)] * 50 + [("B", "control", 0)] * 50)
    return pd.DataFrame(rows, columns=["cell", "arm", "attended"])


def test_the_gain_over_random_and_its_bootstrap_by_hand() -> None:
    """Cell A (half of each arm): letters always work, cell B: never. A budget of 20 letters for
    200 people reaches the top 10%, all in A: uplift 1 there, 0.5 overall, so the gain over
    random is 20 × (1 − 0.5) = 10 extra attendees. Resampling persons within the letter arm,
    A's share of it is Binomial(100, 0.5)/100 = a/100 and the gain 20 × (1 − a/100): the 95%
    interval is about 20 × (1 − 60/100) … 20 × (1 − 40/100) = 8 … 12."""
    tg = uplift_targeting(_two_cells(), treatment="letter", segments=["cell"], budget=20, n_boot=400, seed=3)
    pol = tg.policies.set_index("policy")
    assert tg.gain == pytest.approx(10.0, rel=1e-12)
    assert tg.gain == pytest.approx(pol.loc["highest_uplift", "extra_attendees"] - pol.loc["random", "extra_attendees"])
    lo, hi = 20 * (1 - stats.binom.ppf([0.975, 0.025], 100, 0.5) / 100)
    assert tg.gain_low == pytest.approx(lo, abs=0.5) and tg.gain_high == pytest.approx(hi, abs=0.5)
    # seeded: the same seed gives the same interval
    again = uplift_targeting(_two_cells(), treatment="letter", segments=["cell"], budget=20, n_boot=400, seed=3)
    assert (again.gain_low, again.gain_high) == (tg.gain_low, tg.gain_high)
    # letters for everyone: targeting and random send the same letters, no gain in any resample
    everyone = uplift_targeting(_two_cells(), treatment="letter", segments=["cell"], budget=200, n_boot=50)
    assert (everyone.gain, everyone.gain_low, everyone.gain_high) == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)
    none = uplift_targeting(_two_cells(), treatment="letter", segments=["cell"], budget=0, n_boot=50)
    assert (none.gain, none.gain_low, none.gain_high) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="n_boot"):
        uplift_targeting(_two_cells(), treatment="letter", segments=["cell"], budget=20, n_boot=5)


def test_the_bootstrap_gain_matches_the_policies_and_covers_the_planted_gain() -> None:
    trial = _trial(seed=7)
    tg = uplift_targeting(trial, treatment="letter", segments=SEGMENTS, budget=2_000, n_boot=300, seed=2)
    pol = tg.policies.set_index("policy")
    assert tg.gain == pytest.approx(pol.loc["highest_uplift", "extra_attendees"]
                                    - pol.loc["random", "extra_attendees"], rel=1e-9)
    # the planted gain of this ranking: planted uplift among the top 10% by score minus overall
    planted = trial["pattern"].map(lambda p: PATTERNS[p][1]).to_numpy()
    score = tg.scores["uplift_score"].to_numpy()
    cut = np.sort(score)[::-1][int(0.1 * len(trial))]
    top, tie = score > cut, score == cut
    weight = top + (0.1 * len(trial) - top.sum()) / tie.sum() * tie
    truth = 2_000 * (np.average(planted, weights=weight) - planted.mean())
    assert tg.gain_low < truth < tg.gain_high
    assert tg.gain_low < tg.gain < tg.gain_high


def test_the_bootstrap_gains_at_once_equal_one_resample_at_a_time() -> None:
    """The targeting gain of many resamples, computed together (the ranking found once), is the
    gain of each resample by :class:`_Ranking`, with ties in the scores, empty cells, and every
    share from none to all."""
    from analytics.core.evaluation import _targeting_gain, _targeting_gains

    rng = np.random.default_rng(1)
    for case in range(200):
        cells, folds = int(rng.integers(1, 12)), int(rng.integers(2, 6))
        score = rng.normal(size=(cells, folds)).round(int(rng.integers(0, 3)))  # rounded: tied scores
        c1 = rng.integers(0, 6, size=(7, cells, folds, 2)).astype(float)
        c0 = rng.integers(0, 6, size=(7, cells, folds, 2)).astype(float)
        if case % 5 == 0:
            c1[:, 0] = 0.0  # a cell nobody in the letter arm is in
        share = float(rng.choice([0.0, 0.1, 0.37, 0.5, 0.99, 1.0]))
        with np.errstate(invalid="ignore", divide="ignore"):
            one = np.array([_targeting_gain(c1[b], c0[b], score, share) for b in range(7)])
            together = _targeting_gains(c1, c0, score, share)
        assert np.allclose(one, together, rtol=1e-12, atol=1e-12, equal_nan=True), case


def test_a_fitted_uplift_model_values_each_budget_as_a_fresh_call_does() -> None:
    """The health page fits the uplift model once and values each number of letters on it: every
    budget, in any order, must give what a fresh :func:`uplift_targeting` gives — the bootstrap
    included, which goes on from the generator's state after the folds were drawn."""
    from analytics.core.evaluation import targeting_at, uplift_model

    rng = np.random.default_rng(5)
    n = 4000
    trial = pd.DataFrame({"arm": rng.choice(["letter", "control"], n), "sex": rng.choice(["F", "M"], n),
                          "band": rng.choice(["40-49", "50-59", "60-74"], n)})
    p = 0.3 + 0.1 * (trial["arm"] == "letter") * (trial["band"] == "60-74")
    trial["attended"] = (rng.random(n) < p).astype(int)
    model = uplift_model(trial, treatment="letter", segments=["sex", "band"], n_boot=99)
    for budget in (2500, 0, 300, 2500, 10_000):
        fresh = uplift_targeting(trial, treatment="letter", segments=["sex", "band"], budget=budget, n_boot=99)
        reused = targeting_at(model, budget)
        assert (reused.gain, reused.gain_low, reused.gain_high) == (fresh.gain, fresh.gain_low, fresh.gain_high)
        pd.testing.assert_frame_equal(reused.policies, fresh.policies)
        pd.testing.assert_frame_equal(reused.qini, fresh.qini)
    with pytest.raises(ValueError, match="budget"):
        targeting_at(model, -1)
