"""Tests for analytics.health: proportions, uptake counts, the funnel, attendance patterns, the
non-attendance logit and the nudge-trial readout.

Known answers are computed by hand in the tests (the Wilson, Newcombe and log-adjusted risk
ratio formulas written out, Holm by hand) or come from statsmodels called directly; the logit
recovers log-odds planted in a seeded simulation.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats as scipy_stats
from statsmodels.stats import proportion as smp  # (its test_proportions_2indep must not be collected by pytest)
from statsmodels.stats.power import NormalIndPower

from analytics.health import (
    AGE_BANDS,
    FUNNEL_STEPS,
    NATIONAL_NHI_UPTAKE,
    PATTERNS,
    TARGET_UPTAKE,
    age_band,
    attendance_patterns,
    funnel,
    newcombe_p_value,
    nonattendance_model,
    rates,
    sample_size_per_arm,
    trial_readout,
    uptake_counts,
    wilson_interval,
)

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

Z = NormalDist().inv_cdf(0.975)


def _wilson(k: float, n: float, z: float = Z) -> tuple[float, float]:
    """The Wilson score interval written out (Wilson 1927)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


# ----------------------------------------------------------------------------- proportions


def test_constants() -> None:
    assert TARGET_UPTAKE == 0.60
    assert NATIONAL_NHI_UPTAKE == 0.382  # FY2023 市町村国保, shared/domain.md
    assert AGE_BANDS == ("40-44", "45-49", "50-54", "55-59", "60-64", "65-69", "70-74")
    assert PATTERNS == ("every_year", "returning", "lapsed", "never")


def test_wilson_interval_by_hand() -> None:
    low, high = wilson_interval(25, 100)
    assert low.shape == ()
    assert (float(low), float(high)) == pytest.approx(_wilson(25, 100), rel=1e-12)
    assert (float(low), float(high)) == pytest.approx((0.1755, 0.3430), abs=5e-5)  # rounded to 4 places
    # 0 of 10: low 0, high z² / (n + z²)
    low, high = wilson_interval(0, 10)
    assert float(low) == pytest.approx(0.0, abs=1e-15)
    assert float(high) == pytest.approx(Z * Z / (10 + Z * Z), rel=1e-12)
    # 90% interval is narrower and matches the formula with z(0.95)
    low, high = wilson_interval(25, 100, alpha=0.10)
    assert (float(low), float(high)) == pytest.approx(_wilson(25, 100, NormalDist().inv_cdf(0.95)), rel=1e-12)


def test_wilson_interval_equals_statsmodels() -> None:
    """The closed form (no SciPy import) against the library it replaced on the page's first tab."""
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(5)
    n = rng.integers(1, 5000, 500).astype(float)
    k = np.floor(rng.uniform(0, 1, 500) * (n + 1)).clip(0, n)
    for alpha in (0.05, 0.1, 0.01):
        low, high = wilson_interval(k, n, alpha=alpha)
        ref_low, ref_high = proportion_confint(k, n, alpha=alpha, method="wilson")
        np.testing.assert_allclose(low, ref_low, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(high, ref_high, rtol=1e-12, atol=1e-15)


def test_wilson_interval_vectorised_with_hidden_counts() -> None:
    k = np.array([[25.0, np.nan, 0.0], [0.0, 7.0, 5.0]])
    n = np.array([[100.0, 50.0, 0.0], [10.0, np.nan, 5.0]])
    low, high = wilson_interval(k, n)
    assert low.shape == high.shape == (2, 3)
    assert np.isnan(low[0, 1]) and np.isnan(low[0, 2]) and np.isnan(low[1, 1])
    assert np.isnan(high[0, 1]) and np.isnan(high[0, 2]) and np.isnan(high[1, 1])
    ref_low, ref_high = smp.proportion_confint([25, 0, 5], [100, 10, 5], method="wilson")
    np.testing.assert_allclose([low[0, 0], low[1, 0], low[1, 2]], ref_low, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose([high[0, 0], high[1, 0], high[1, 2]], ref_high, rtol=1e-12)
    # pandas NA and lists are accepted too
    low, _ = wilson_interval(pd.Series([1, pd.NA], dtype="Int64"), [10, 10])
    assert np.isfinite(low[0]) and np.isnan(low[1])
    with pytest.raises(ValueError):
        wilson_interval([11], [10])
    with pytest.raises(ValueError):
        wilson_interval([-1], [10])


def test_age_band() -> None:
    bands = age_band(pd.Series([40, 44, 45, 59, 60, 74, 39, 75, np.nan], index=list("abcdefghi")))
    assert list(bands.index) == list("abcdefghi")
    assert bands.iloc[:6].tolist() == ["40-44", "40-44", "45-49", "55-59", "60-64", "70-74"]
    assert bands.iloc[6:].isna().all()
    assert list(bands.cat.categories) == list(AGE_BANDS)
    assert age_band([52]).tolist() == ["50-54"]


def test_rates_only_where_both_counts_are_shown() -> None:
    counts = pd.DataFrame({"district_id": ["a", "b", "c", "d", "e"],
                           "eligible": [400, "χ", 200, 0, 50],
                           "attended": [100, 30, "<10", 0, 20]})
    before = counts.copy()
    out = rates(counts)
    pd.testing.assert_frame_equal(counts, before)  # a copy, the input untouched
    assert out["rate"].iloc[0] == 0.25 and out["rate"].iloc[4] == 0.4
    assert out[["rate", "rate_low", "rate_high"]].iloc[1:4].isna().all().all()
    assert (out["rate_low"].iloc[0], out["rate_high"].iloc[0]) == pytest.approx(_wilson(100, 400), rel=1e-12)
    # nullable integer counts with hidden cells as <NA>
    nullable = pd.DataFrame({"eligible": pd.array([400, pd.NA], dtype="Int64"),
                             "attended": pd.array([100, 5], dtype="Int64")})
    assert rates(nullable)["rate"].iloc[0] == 0.25 and np.isnan(rates(nullable)["rate"].iloc[1])
    # other column names
    renamed = counts.rename(columns={"eligible": "n", "attended": "k"})
    pd.testing.assert_series_equal(rates(renamed, attended="k", eligible="n")["rate"], out["rate"])
    with pytest.raises(ValueError, match="missing"):
        rates(counts, eligible="n")


# ----------------------------------------------------------------------------- counts


def _checkups(rows) -> pd.DataFrame:
    """(person_id, fiscal_year, age, sex, district_id, under_treatment, attended, guidance_eligible,
    guidance_completed) rows."""
    return pd.DataFrame(rows, columns=["person_id", "fiscal_year", "age", "sex", "district_id", "under_treatment",
                                       "attended", "guidance_eligible", "guidance_completed"])


def test_uptake_counts_by_hand() -> None:
    c = _checkups([
        ("p1", 2025, 41, "M", "d1", False, 1, False, False),
        ("p2", 2025, 44, "M", "d1", False, 0, False, False),
        ("p3", 2025, 47, "F", "d2", True, 1, True, True),
        ("p4", 2025, 72, "F", "d2", True, 0, False, False),
        ("p5", 2025, 70, "F", "d1", False, 1, False, False),
        ("p1", 2024, 40, "M", "d1", False, 0, False, False),
    ])
    total = uptake_counts(c, [])
    assert total.to_dict("records") == [{"eligible": 6, "attended": 3}]
    by = uptake_counts(c, ["fiscal_year", "sex"])
    assert by.to_dict("records") == [
        {"fiscal_year": 2024, "sex": "M", "eligible": 1, "attended": 0},
        {"fiscal_year": 2025, "sex": "F", "eligible": 3, "attended": 2},
        {"fiscal_year": 2025, "sex": "M", "eligible": 2, "attended": 1},
    ]
    bands = uptake_counts(c[c["fiscal_year"] == 2025], ["age_band"])
    assert bands["age_band"].astype(str).tolist() == ["40-44", "45-49", "70-74"]  # in age order, present only
    assert bands["eligible"].tolist() == [2, 1, 2] and bands["attended"].tolist() == [1, 1, 1]
    with pytest.raises(ValueError, match="cannot break down"):
        uptake_counts(c, ["mesh_code"])
    with pytest.raises(ValueError, match="ages"):
        uptake_counts(c.assign(age=c["age"].where(c["person_id"] != "p2", 39)), ["sex"])
    with pytest.raises(ValueError, match="0 or 1"):
        uptake_counts(c.assign(attended=c["attended"].replace(0, 2)), ["sex"])


def test_funnel_by_hand() -> None:
    c = _checkups([
        ("p1", 2025, 41, "M", "d1", False, 1, True, True),    # through to the end
        ("p2", 2025, 44, "M", "d1", False, 1, True, False),   # guidance not completed
        ("p3", 2025, 47, "F", "d2", True, 1, False, False),   # attended, no guidance needed
        ("p4", 2025, 72, "F", "d2", True, 0, True, True),     # flags without a checkup: not counted
        ("p5", 2025, 70, "F", "d1", False, 0, False, False),
        ("p6", 2025, 66, "F", "d1", False, 1, True, True),
        ("p1", 2024, 40, "M", "d1", False, 1, True, True),    # another year
    ])
    f = funnel(c, 2025)
    assert f["step"].tolist() == list(FUNNEL_STEPS)
    assert f["count"].tolist() == [6, 4, 3, 2]
    assert funnel(c, 2024)["count"].tolist() == [1, 1, 1, 1]
    assert funnel(c, 2020)["count"].tolist() == [0, 0, 0, 0]


# ----------------------------------------------------------------------------- attendance patterns


def _history() -> pd.DataFrame:
    """Five persons insured FY2023–2025, one who joined in FY2024, and an FY2022 row outside the window."""
    history = {  # person: (sex, age in FY2025, under treatment in FY2025, attended 2023, 2024, 2025)
        "a": ("F", 66, False, 1, 1, 1),   # every_year
        "b": ("M", 52, True, 0, 0, 0),    # never, under treatment
        "c": ("M", 53, False, 1, 0, 0),   # lapsed
        "d": ("F", 71, True, 1, 1, 0),    # lapsed, under treatment
        "e": ("F", 45, False, 0, 0, 1),   # returning
    }
    rows = []
    for pid, (sex, age, treated, *att) in history.items():
        for i, fy in enumerate((2023, 2024, 2025)):
            rows.append((pid, fy, age - 2 + i, sex, "d1", treated, att[i], False, False))
    rows.append(("f", 2024, 40, "M", "d2", False, 1, False, False))  # joined in FY2024
    rows.append(("f", 2025, 41, "M", "d2", True, 0, False, False))   # a non-attender under treatment
    rows.append(("a", 2022, 63, "F", "d1", False, 0, False, False))  # outside the window
    return _checkups(rows)


def test_attendance_patterns_by_hand() -> None:
    p = attendance_patterns(_history(), 2025)
    assert (p.fiscal_year, p.years, p.first_year) == (2025, 3, 2023)
    assert dict(zip(p.by_person["person_id"], p.by_person["pattern"].astype(str), strict=True)) == {
        "a": "every_year", "b": "never", "c": "lapsed", "d": "lapsed", "e": "returning"}
    counts = p.counts.set_index(["pattern", "sex", "age_band"])["persons"]
    assert len(counts) == 4 * 2 * 7 and counts.sum() == 5
    assert counts[("every_year", "F", "65-69")] == 1
    assert counts[("never", "M", "50-54")] == 1
    assert counts[("lapsed", "M", "50-54")] == 1
    assert counts[("lapsed", "F", "70-74")] == 1
    assert counts[("returning", "F", "45-49")] == 1
    # FY2025 non-attenders: b, c, d (panel) and f (joined in FY2024); under treatment: b, d, f
    assert (p.under_treatment_share.numerator, p.under_treatment_share.denominator) == (3, 4)
    assert p.under_treatment_share.value == 0.75


def test_attendance_patterns_two_years_and_errors() -> None:
    p = attendance_patterns(_history(), 2025, years=2)
    # FY2024–2025: a 11, b 00, c 00, d 10, e 01, f 10
    assert dict(zip(p.by_person["person_id"], p.by_person["pattern"].astype(str), strict=True)) == {
        "a": "every_year", "b": "never", "c": "never", "d": "lapsed", "e": "returning", "f": "lapsed"}
    with pytest.raises(ValueError, match="at least 2"):
        attendance_patterns(_history(), 2025, years=1)
    doubled = pd.concat([_history(), _history().iloc[[0]]])
    with pytest.raises(ValueError, match="more than one row"):
        attendance_patterns(doubled, 2025)


# ----------------------------------------------------------------------------- who does not attend

TRUE_BAND = {"40-44": 0.0, "45-49": -0.1, "50-54": -0.2, "55-59": -0.35, "60-64": -0.5, "65-69": -0.7,
             "70-74": -0.9}
TRUE = {"const": 1.0, "F": -0.35, "treated": 0.4, "past_yes": -1.6, "past_none": 0.3, "distance": 0.15}


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    """20,000 insured in FY2025 (and their FY2024 rows; 10% new) whose log-odds of NOT attending
    are planted from TRUE and TRUE_BAND; 40 districts, no district effect."""
    rng = np.random.default_rng(20260401)
    n = 20_000
    age = rng.integers(40, 75, n)
    female = rng.random(n) < 0.5
    treated = rng.random(n) < 0.4
    new = rng.random(n) < 0.1
    past = rng.random(n) < 0.35
    distance = rng.integers(0, 4, n)
    district = rng.integers(0, 40, n)
    band = pd.Series(age).map(lambda a: TRUE_BAND[f"{a - (a - 40) % 5}-{a - (a - 40) % 5 + 4}"]).to_numpy()
    xb = (TRUE["const"] + band + TRUE["F"] * female + TRUE["treated"] * treated
          + np.where(new, TRUE["past_none"], TRUE["past_yes"] * past) + TRUE["distance"] * distance)
    not_attended = rng.random(n) < 1 / (1 + np.exp(-xb))
    ids = np.array([f"p{i:05d}" for i in range(n)])
    common = {"sex": np.where(female, "F", "M"), "district_id": [f"d{d:02d}" for d in district],
              "guidance_eligible": False, "guidance_completed": False, "distance_band": distance}
    y25 = pd.DataFrame({"person_id": ids, "fiscal_year": 2025, "age": age, **common,
                        "under_treatment": treated, "attended": (~not_attended).astype(int)})
    y24 = pd.DataFrame({"person_id": ids, "fiscal_year": 2024, "age": np.maximum(age - 1, 40), **common,
                        "under_treatment": treated, "attended": past.astype(int)})[~new]
    return pd.concat([y24, y25], ignore_index=True)


def _reference_fit(simulated: pd.DataFrame, cov_type: str = "cluster"):
    """The same model with the statsmodels formula API, fitted directly."""
    y25 = simulated[simulated["fiscal_year"] == 2025].copy()
    prev = simulated[simulated["fiscal_year"] == 2024].set_index("person_id")["attended"]
    y25["past"] = y25["person_id"].map(prev).map({1: "yes", 0: "no"}).fillna("no record")
    y25["band"] = age_band(y25["age"]).astype(str)
    y25["not_attended"] = 1 - y25["attended"]
    y25["treated"] = y25["under_treatment"].astype(int)
    formula = ("not_attended ~ C(sex, Treatment('M')) + C(band, Treatment('40-44')) + treated"
               " + C(past, Treatment('no')) + distance_band")
    groups = pd.factorize(y25["district_id"])[0]
    kwargs = ({"cov_type": "cluster", "cov_kwds": {"groups": groups}, "use_t": True} if cov_type == "cluster"
              else {})
    return smf.logit(formula, data=y25).fit(disp=0, **kwargs), y25


def test_logit_recovers_planted_odds_ratios(simulated: pd.DataFrame) -> None:
    r = nonattendance_model(simulated, 2025)
    assert (r.n, r.clusters, r.fiscal_year) == (20_000, 40, 2025)
    odds = r.odds_ratios.set_index("term")
    truth = {"sex: F vs M": TRUE["F"], "under treatment (通院中): yes vs no": TRUE["treated"],
             "attended last year: yes vs no": TRUE["past_yes"],
             "attended last year: no record vs no": TRUE["past_none"],
             "distance band (per step)": TRUE["distance"],
             **{f"age: {b} vs 40-44": v for b, v in TRUE_BAND.items() if b != "40-44"}}
    assert set(odds.index) == set(truth)
    for term, beta in truth.items():
        lo, hi = odds.at[term, "low"], odds.at[term, "high"]
        assert lo < math.exp(beta) < hi, (term, lo, math.exp(beta), hi)
        assert math.log(hi) - math.log(lo) < 0.5, term  # informative: a 95% CI narrower than ×1.65
    # every planted effect is non-zero and far enough from 0 to be detected
    assert (odds["p_value"] < 0.05).sum() >= len(truth) - 1
    assert odds.at["attended last year: yes vs no", "odds_ratio"] < 0.3
    row = odds.loc["sex: F vs M"]
    assert (row["variable"], row["level"], row["reference"]) == ("sex", "F", "M")


def test_logit_matches_statsmodels_with_cluster_errors(simulated: pd.DataFrame) -> None:
    r = nonattendance_model(simulated, 2025)
    ref, data = _reference_fit(simulated)
    names = {"sex: F vs M": "C(sex, Treatment('M'))[T.F]", "under treatment (通院中): yes vs no": "treated",
             "attended last year: yes vs no": "C(past, Treatment('no'))[T.yes]",
             "attended last year: no record vs no": "C(past, Treatment('no'))[T.no record]",
             "distance band (per step)": "distance_band",
             "age: 70-74 vs 40-44": "C(band, Treatment('40-44'))[T.70-74]"}
    odds = r.odds_ratios.set_index("term")
    ci = ref.conf_int()
    for term, name in names.items():
        assert odds.at[term, "odds_ratio"] == pytest.approx(math.exp(ref.params[name]), rel=1e-6)
        assert odds.at[term, "low"] == pytest.approx(math.exp(ci.at[name, 0]), rel=1e-6)
        assert odds.at[term, "high"] == pytest.approx(math.exp(ci.at[name, 1]), rel=1e-6)
        assert odds.at[term, "p_value"] == pytest.approx(ref.pvalues[name], rel=1e-4, abs=1e-12)

    # average marginal effects: get_margeff for two-level and numeric terms, with the cluster covariance
    # (its standard errors; its intervals are normal, ours t with G − 1 = 39 degrees of freedom)
    me = r.marginal_effects.set_index("term")
    frame = ref.get_margeff(at="overall", dummy=True).summary_frame()
    t39 = scipy_stats.t.ppf(0.975, 39)
    for term in ("sex: F vs M", "under treatment (通院中): yes vs no", "distance band (per step)"):
        name = names[term]
        assert me.at[term, "ame"] == pytest.approx(frame.at[name, "dy/dx"], rel=1e-6)
        se = frame.at[name, "Std. Err."]
        assert me.at[term, "low"] == pytest.approx(frame.at[name, "dy/dx"] - t39 * se, rel=1e-5)
        assert me.at[term, "high"] == pytest.approx(frame.at[name, "dy/dx"] + t39 * se, rel=1e-5)
    # get_margeff does use the fit's covariance: without clusters the interval differs
    plain, _ = _reference_fit(simulated, cov_type="nonrobust")
    plain_frame = plain.get_margeff(at="overall", dummy=True).summary_frame()
    assert plain_frame.at[names["sex: F vs M"], "Std. Err."] != pytest.approx(frame.at[names["sex: F vs M"],
                                                                                       "Std. Err."], rel=1e-3)
    # multi-level terms: everyone at the level minus everyone at the reference, by statsmodels' predict
    for band in ("45-49", "70-74"):
        at_level = ref.predict(data.assign(band=band)).mean()
        at_ref = ref.predict(data.assign(band="40-44")).mean()
        assert me.at[f"age: {band} vs 40-44", "ame"] == pytest.approx(at_level - at_ref, rel=1e-6)
    at_yes = ref.predict(data.assign(past="yes")).mean()
    at_no = ref.predict(data.assign(past="no")).mean()
    ame = me.at["attended last year: yes vs no", "ame"]
    assert ame == pytest.approx(at_yes - at_no, rel=1e-6)
    assert me.at["attended last year: yes vs no", "low"] < ame < me.at["attended last year: yes vs no", "high"]
    assert -0.5 < ame < -0.2  # in fractions, not points


def test_logit_intervals_use_t_with_clusters_minus_one_degrees_of_freedom() -> None:
    """One rule for cluster-robust intervals (issue 26, item 12): with G = 8 districts the
    odds ratios' and the marginal effects' 95% intervals are estimate ± t(7) × SE (2.36, not the
    normal 1.96), as statsmodels gives with ``use_t=True``."""
    rng = np.random.default_rng(12)
    n = 1_200
    female = rng.random(n) < 0.5
    frame = pd.DataFrame({
        "person_id": [f"p{i}" for i in range(n)], "fiscal_year": 2025, "age": rng.integers(40, 75, n),
        "sex": np.where(female, "F", "M"), "district_id": rng.choice([f"d{i}" for i in range(8)], n),
        "under_treatment": rng.random(n) < 0.3,
        "attended": (rng.random(n) < np.where(female, 0.45, 0.35)).astype(int)})
    r = nonattendance_model(frame, 2025, covariates=["sex", "under_treatment"])
    assert r.clusters == 8
    data = frame.assign(y=1 - frame["attended"], treated=frame["under_treatment"].astype(int))
    groups = pd.factorize(data["district_id"])[0]
    ref = smf.logit("y ~ C(sex, Treatment('M')) + treated", data=data).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    t7 = scipy_stats.t.ppf(0.975, 7)
    odds = r.odds_ratios.set_index("term")
    for term, name in (("sex: F vs M", "C(sex, Treatment('M'))[T.F]"),
                       ("under treatment (通院中): yes vs no", "treated")):
        beta, se = ref.params[name], ref.bse[name]
        assert math.log(odds.at[term, "low"]) == pytest.approx(beta - t7 * se, rel=1e-6)
        assert math.log(odds.at[term, "high"]) == pytest.approx(beta + t7 * se, rel=1e-6)
        assert odds.at[term, "p_value"] == pytest.approx(2 * scipy_stats.t.sf(abs(beta / se), 7), rel=1e-6)
    me = r.marginal_effects.set_index("term")
    margeff = ref.get_margeff(at="overall", dummy=True).summary_frame()
    row = margeff.loc["C(sex, Treatment('M'))[T.F]"]
    half = (me.at["sex: F vs M", "high"] - me.at["sex: F vs M", "low"]) / 2
    assert half == pytest.approx(t7 * row["Std. Err."], rel=1e-5)
    assert half / row["Std. Err."] > 1.2 * Z  # visibly wider than the normal interval


def test_logit_covariates_and_categorical_distance() -> None:
    rng = np.random.default_rng(7)
    n = 2_000
    frame = pd.DataFrame({
        "person_id": [f"p{i}" for i in range(n)], "fiscal_year": 2025, "age": rng.integers(40, 75, n),
        "sex": rng.choice(["M", "F"], n), "district_id": rng.choice([f"d{i}" for i in range(12)], n),
        "under_treatment": rng.random(n) < 0.3, "attended": (rng.random(n) < 0.4).astype(int),
        "distance_band": pd.Categorical(rng.choice(["<1km", "1-2km", "2km+"], n),
                                        categories=["<1km", "1-2km", "2km+"], ordered=True)})
    r = nonattendance_model(frame, 2025, covariates=["sex", "distance_band", "past_attendance"])
    assert r.odds_ratios["term"].tolist() == ["sex: F vs M", "distance band: 1-2km vs <1km",
                                              "distance band: 2km+ vs <1km"]  # no past record: level dropped
    assert r.marginal_effects["term"].tolist() == r.odds_ratios["term"].tolist()
    assert r.n == n and r.clusters == 12
    # a missing covariate value drops the row
    r = nonattendance_model(frame.assign(sex=frame["sex"].where(frame.index >= 10)), 2025, covariates=["sex"])
    assert r.n == n - 10
    with pytest.raises(ValueError, match="unknown covariate"):
        nonattendance_model(frame, 2025, covariates=["income"])
    with pytest.raises(ValueError, match="missing column"):
        nonattendance_model(frame.drop(columns="distance_band"), 2025, covariates=["distance_band"])
    with pytest.raises(ValueError, match="no rows"):
        nonattendance_model(frame, 2030)


# ----------------------------------------------------------------------------- nudge trial


def _trial(groups: dict[str, tuple[int, int]], **segment) -> pd.DataFrame:
    """One row per invited person: {arm: (attended, invited)}."""
    arms, attended = [], []
    for arm, (k, n) in groups.items():
        arms += [arm] * n
        attended += [1] * k + [0] * (n - k)
    return pd.DataFrame({"arm": arms, "attended": attended, **segment})


def _newcombe(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 − p0 (Newcombe 1998, method 10)."""
    p1, p0 = k1 / n1, k0 / n0
    l1, u1 = _wilson(k1, n1)
    l0, u0 = _wilson(k0, n0)
    d = p1 - p0
    return d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)


def _log_adjusted_ratio(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float]:
    """Risk-ratio interval on the log scale with 0.5 added to every count."""
    a, b, m1, m0 = k1 + 0.5, k0 + 0.5, n1 + 0.5, n0 + 0.5
    log_rr = math.log((a / m1) / (b / m0))
    se = math.sqrt(1 / a - 1 / m1 + 1 / b - 1 / m0)
    return math.exp(log_rr - Z * se), math.exp(log_rr + Z * se)


def test_trial_readout_by_hand() -> None:
    trial = _trial({"nudge": (130, 400), "control": (100, 400), "standard": (112, 400)})
    r = trial_readout(trial, cost_per_letter_yen={"nudge": 84, "standard": 63})
    assert r.control == "control"
    arms = r.arms.set_index("arm")
    assert list(arms.index) == ["control", "nudge", "standard"]
    assert arms["invited"].tolist() == [400, 400, 400] and arms["attended"].tolist() == [100, 130, 112]
    assert arms["rate"].tolist() == [0.25, 0.325, 0.28]
    for arm, k in (("control", 100), ("nudge", 130), ("standard", 112)):
        assert (arms.at[arm, "rate_low"], arms.at[arm, "rate_high"]) == pytest.approx(_wilson(k, 400), rel=1e-12)

    e = r.effects.set_index("arm")
    assert list(e.index) == ["nudge", "standard"]
    assert e.at["nudge", "diff"] == pytest.approx(0.075, abs=1e-15)
    assert e.at["nudge", "risk_ratio"] == pytest.approx(1.3, rel=1e-12)
    assert e.at["nudge", "letters_per_extra_attendee"] == pytest.approx(40 / 3, rel=1e-12)  # 13.33 letters
    assert e.at["nudge", "cost_per_extra_attendee_yen"] == pytest.approx(1120.0, rel=1e-12)  # 84 × 13.33
    assert e.at["standard", "diff"] == pytest.approx(0.03, abs=1e-15)
    assert e.at["standard", "cost_per_extra_attendee_yen"] == pytest.approx(2100.0, rel=1e-12)  # 63 / 0.03
    # the yen's interval from the difference's: 84 / diff_high … 84 / diff_low; the standard letter's
    # difference interval reaches below 0, so its cost has no upper bound
    assert e.at["nudge", "cost_per_extra_low_yen"] == pytest.approx(84 / e.at["nudge", "diff_high"], rel=1e-12)
    assert e.at["nudge", "cost_per_extra_high_yen"] == pytest.approx(84 / e.at["nudge", "diff_low"], rel=1e-12)
    assert e.at["nudge", "cost_per_extra_low_yen"] < 1120 < e.at["nudge", "cost_per_extra_high_yen"]
    assert e.at["standard", "diff_low"] < 0 and e.at["standard", "cost_per_extra_high_yen"] == np.inf
    for arm, k in (("nudge", 130), ("standard", 112)):
        # by hand: Newcombe for the difference, log-adjusted for the ratio
        assert (e.at[arm, "diff_low"], e.at[arm, "diff_high"]) == pytest.approx(_newcombe(k, 400, 100, 400),
                                                                                rel=1e-9)
        assert (e.at[arm, "rr_low"], e.at[arm, "rr_high"]) == pytest.approx(_log_adjusted_ratio(k, 400, 100, 400),
                                                                            rel=1e-9)
        # and statsmodels called directly with its defaults
        assert (e.at[arm, "diff_low"], e.at[arm, "diff_high"]) == pytest.approx(
            smp.confint_proportions_2indep(k, 400, 100, 400, compare="diff"), rel=1e-12)
        assert (e.at[arm, "rr_low"], e.at[arm, "rr_high"]) == pytest.approx(
            smp.confint_proportions_2indep(k, 400, 100, 400, compare="ratio"), rel=1e-12)
        # the p-value is the interval's own (test inversion): the (1 − p) interval just reaches 0 ...
        assert smp.confint_proportions_2indep(k, 400, 100, 400, compare="diff",
                                              alpha=e.at[arm, "p_value"])[0] == pytest.approx(0, abs=1e-9)
        # ... and agrees with the independent score test (Miettinen–Nurminen) to within 1%
        assert e.at[arm, "p_value"] == pytest.approx(
            smp.test_proportions_2indep(k, 400, 100, 400, method="score").pvalue, rel=0.01)
    # Holm by hand for two arms: the smaller p × 2; the larger max(its own, the first adjusted), capped at 1
    p_n, p_s = e.at["nudge", "p_value"], e.at["standard", "p_value"]
    assert p_n < p_s
    assert e.at["nudge", "p_holm"] == pytest.approx(min(1.0, 2 * p_n), rel=1e-12)
    assert e.at["standard", "p_holm"] == pytest.approx(min(1.0, max(p_s, 2 * p_n)), rel=1e-12)
    assert p_n < 0.05 and e.at["standard", "p_holm"] > 0.05


def test_the_p_value_and_the_interval_of_a_difference_agree_about_zero() -> None:
    """p < 0.05 exactly when statsmodels' Newcombe 95% interval excludes 0, over a grid of arms of
    unequal sizes (the p-value once came from another test, Agresti–Caffo, and could disagree
    near 0.05); and at α = p that interval just reaches 0."""
    checked = 0
    for n1, n0 in ((400, 400), (150, 300), (60, 45)):
        for k0 in range(1, n0, n0 // 12):
            for k1 in range(0, n1 + 1, max(1, n1 // 40)):
                low, high = smp.confint_proportions_2indep(k1, n1, k0, n0, compare="diff")
                p = newcombe_p_value(k1, n1, k0, n0)
                assert (low > 0 or high < 0) == (p < 0.05), (n1, k1, n0, k0, p, low, high)
                checked += low > 0 or high < 0
                if 1e-12 < p < 1:
                    reached = smp.confint_proportions_2indep(k1, n1, k0, n0, compare="diff", alpha=p)
                    assert min(abs(reached[0]), abs(reached[1])) == pytest.approx(0, abs=1e-9)
    assert checked > 100  # the grid has differences on both sides of the line
    assert newcombe_p_value(50, 100, 50, 100) == 1.0 and newcombe_p_value(100, 100, 0, 100) < 1e-40


def test_trial_readout_costs_and_harmful_arm() -> None:
    trial = _trial({"control": (100, 400), "nudge": (130, 400), "worse": (90, 400)})
    e = trial_readout(trial, cost_per_letter_yen=84).effects.set_index("arm")
    assert e.at["nudge", "cost_per_extra_attendee_yen"] == pytest.approx(1120.0, rel=1e-12)
    assert e.at["worse", "diff"] == pytest.approx(-0.025, abs=1e-15)
    assert np.isnan(e.at["worse", "letters_per_extra_attendee"])
    assert np.isnan(e.at["worse", "cost_per_extra_attendee_yen"])
    e = trial_readout(trial).effects.set_index("arm")  # no cost given
    assert e.at["nudge", "letters_per_extra_attendee"] == pytest.approx(40 / 3, rel=1e-12)
    assert e["cost_per_extra_attendee_yen"].isna().all()
    # with one treated arm Holm changes nothing
    one = trial_readout(_trial({"control": (100, 400), "nudge": (130, 400)})).effects
    assert one["p_holm"].iloc[0] == pytest.approx(one["p_value"].iloc[0], rel=1e-15)


def test_trial_readout_by_segment_and_rows_without_arm() -> None:
    # men: control 40/200, nudge 70/200; women: control 60/200, nudge 60/200
    men = _trial({"control": (40, 200), "nudge": (70, 200)}, sex="M")
    women = _trial({"control": (60, 200), "nudge": (60, 200)}, sex="F")
    outside = pd.DataFrame({"arm": [pd.NA] * 5, "attended": [1] * 5, "sex": "F"})
    trial = pd.concat([men, women, outside], ignore_index=True)
    r = trial_readout(trial, segments=["sex"], cost_per_letter_yen=84)
    assert r.arms["invited"].tolist() == [400, 400]  # rows without an arm ignored
    s = r.by_segment.set_index("value")
    assert list(r.by_segment.columns[:7]) == ["segment", "value", "arm", "n", "n_control", "rate", "control_rate"]
    assert s.loc["M", "segment"] == "sex" and s.loc["M", "arm"] == "nudge"
    assert (s.loc["M", "n"], s.loc["M", "n_control"]) == (200, 200)
    assert (s.loc["M", "rate"], s.loc["M", "control_rate"]) == (0.35, 0.2)
    assert s.loc["M", "diff"] == pytest.approx(0.15, abs=1e-15)
    assert s.loc["M", "risk_ratio"] == pytest.approx(1.75, rel=1e-12)
    assert (s.loc["M", "diff_low"], s.loc["M", "diff_high"]) == pytest.approx(_newcombe(70, 200, 40, 200), rel=1e-9)
    assert s.loc["M", "cost_per_extra_attendee_yen"] == pytest.approx(84 / 0.15, rel=1e-12)
    assert s.loc["F", "diff"] == 0.0 and np.isnan(s.loc["F", "letters_per_extra_attendee"])
    # the whole trial: 130/400 vs 100/400
    assert r.effects["diff"].iloc[0] == pytest.approx(0.075, abs=1e-15)


def test_trial_readout_errors() -> None:
    trial = _trial({"control": (10, 40), "nudge": (13, 40)})
    with pytest.raises(ValueError, match="control arm 'placebo' not found"):
        trial_readout(trial, control="placebo")
    with pytest.raises(ValueError, match="missing column"):
        trial_readout(trial.drop(columns="attended"))
    with pytest.raises(ValueError, match="missing column"):
        trial_readout(trial, segments=["district_id"])
    with pytest.raises(ValueError, match="0 or 1"):
        trial_readout(trial.assign(attended=trial["attended"] * 2))


# ----------------------------------------------------------------------------- sample size


def _textbook_n(p0: float, p1: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Normal approximation for two proportions (e.g. Fleiss, Statistical Methods for Rates and Proportions)."""
    za, zb = NormalDist().inv_cdf(1 - alpha / 2), NormalDist().inv_cdf(power)
    pbar = (p0 + p1) / 2
    num = za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))
    return (num / (p1 - p0)) ** 2


@pytest.mark.parametrize(("baseline", "lift", "alpha", "power"),
                         [(0.30, 0.02, 0.05, 0.8), (0.30, 0.03, 0.05, 0.8), (0.30, 0.05, 0.05, 0.8),
                          (0.10, 0.04, 0.05, 0.9), (0.38, -0.05, 0.01, 0.8)])
def test_sample_size_per_arm(baseline: float, lift: float, alpha: float, power: float) -> None:
    n = sample_size_per_arm(baseline, lift, alpha=alpha, power=power)
    direct = NormalIndPower().solve_power(effect_size=smp.proportion_effectsize(baseline + lift, baseline),
                                          alpha=alpha, power=power, ratio=1.0, alternative="two-sided")
    assert n == math.ceil(direct)
    assert n == pytest.approx(_textbook_n(baseline, baseline + lift, alpha, power), rel=0.03)


def test_sample_size_domain_figures_and_errors() -> None:
    # shared/domain.md: baseline 30%, +2 / +3 / +5 points → 8,393 / 3,762 / 1,376 per arm
    assert [sample_size_per_arm(0.30, lift) for lift in (0.02, 0.03, 0.05)] == [8393, 3762, 1376]
    assert sample_size_per_arm(0.30, 0.02, power=0.9) > 8393
    for bad in ((0.3, 0.0), (0.0, 0.02), (0.99, 0.02)):
        with pytest.raises(ValueError):
            sample_size_per_arm(*bad)


def test_readout_from_counts_equals_the_readout_of_rows() -> None:
    from analytics.health import readout_from_counts, trial_readout

    rows = pd.DataFrame({"arm": ["control"] * 400 + ["nudge"] * 400 + ["standard"] * 400,
                         "attended": [1] * 100 + [0] * 300 + [1] * 130 + [0] * 270 + [1] * 112 + [0] * 288})
    counts = pd.DataFrame({"arm": ["control", "nudge", "standard"], "invited": [400, 400, 400],
                           "attended": [100, 130, 112]})
    a = trial_readout(rows, cost_per_letter_yen=84)
    b = readout_from_counts(counts, cost_per_letter_yen=84)
    pd.testing.assert_frame_equal(a.arms.reset_index(drop=True), b.arms.reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(a.effects.reset_index(drop=True), b.effects.reset_index(drop=True),
                                  check_dtype=False)
    with pytest.raises(ValueError, match="control"):
        readout_from_counts(counts[counts["arm"] != "control"])


@pytest.mark.fast
def test_health_calibration_figures_by_hand() -> None:
    """Issue 26: uptake, eligibility for 特定保健指導 and its completion of the latest year, by hand."""
    from analytics.health.calibration import calibration_figures

    rows = [  # FY2024 rows must be ignored
        ("a", 2024, True, True, True), ("a", 2025, True, True, False), ("b", 2025, True, False, False),
        ("c", 2025, True, True, True), ("d", 2025, False, False, False), ("e", 2025, True, False, False),
    ]
    checkups = pd.DataFrame(rows, columns=["person_id", "fiscal_year", "attended", "guidance_eligible",
                                           "guidance_completed"])
    uptake, eligible, completed = calibration_figures({"checkups": checkups})
    assert uptake.value == pytest.approx(100 * 4 / 5)  # 4 of 5 attended in FY2025
    assert eligible.value == pytest.approx(100 * 2 / 4)  # 2 of the 4 attendees eligible
    assert completed.value == pytest.approx(100 * 1 / 2)  # 1 of the 2 eligible completed
    assert "FY2025" in uptake.figure_en and not uptake.in_range and eligible.source == completed.source


@pytest.mark.parametrize("p", [[0.01, 0.04, 0.03, 0.2], [0.5], [0.04, 0.04, 0.01], [0.3, 0.9, 0.6, 0.02, 0.02]])
def test_holm_equals_statsmodels(p):
    """Holm's step-down by hand, against statsmodels (ties and values capped at 1 included):
    0.01, 0.03, 0.04, 0.2 of four become 0.04, 0.09, 0.09 (kept at least 0.03 × 3), 0.2."""
    from statsmodels.stats.multitest import multipletests

    from analytics.health.trial import holm

    np.testing.assert_allclose(holm(np.array(p)), multipletests(p, method="holm")[1], rtol=1e-12)
    if p == [0.01, 0.04, 0.03, 0.2]:
        np.testing.assert_allclose(holm(np.array(p)), [0.04, 0.09, 0.09, 0.2], rtol=1e-12)
