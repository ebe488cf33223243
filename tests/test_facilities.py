"""Tests for analytics.facilities: the MIC renewal cost projection and the stock helpers.

Every expected cost is computed by hand in the test from the MIC unit costs (万円/m² × 10,000
= 円/m²); the horizon is FY2026–2065 (start 2026, 40 years) unless a test says otherwise.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.facilities import (
    CATEGORIES,
    KINDS,
    MIC_REBUILD_YEN_PER_M2,
    MIC_RENOVATION_YEN_PER_M2,
    RenewalParams,
    ageing_share,
    built_year_histogram,
    compare_scenarios,
    earliest_start_fy,
    floor_area_by_category,
    long_life_params,
    renewal_cost_projection,
    timing_rules,
)

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)


def _buildings(*rows: tuple) -> pd.DataFrame:
    """(building_id, category, built_year, floor_area_m2) rows."""
    return pd.DataFrame(rows, columns=["building_id", "category", "built_year", "floor_area_m2"])


def _costs(projection, building_id=None) -> dict[tuple[int, str], float]:
    """{(fiscal_year, kind): cost_yen} of one building (or of all when only one is given)."""
    b = projection.by_building
    if building_id is not None:
        b = b[b["building_id"] == building_id]
    return {(int(y), k): float(c) for y, k, c in zip(b["fiscal_year"], b["kind"], b["cost_yen"], strict=True)}


def _assert_costs(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected), (sorted(set(actual) ^ set(expected)))
    for key, value in expected.items():
        assert actual[key] == pytest.approx(value, rel=1e-12), key


# ----------------------------------------------------------------------------- unit costs


def test_mic_unit_costs_in_yen_per_m2() -> None:
    assert set(MIC_RENOVATION_YEN_PER_M2) == set(MIC_REBUILD_YEN_PER_M2) == set(CATEGORIES)
    assert len(CATEGORIES) == 13
    assert (MIC_RENOVATION_YEN_PER_M2["市民文化系施設"], MIC_REBUILD_YEN_PER_M2["市民文化系施設"]) == (250_000, 400_000)
    assert MIC_RENOVATION_YEN_PER_M2["スポーツ・レクリエーション系施設"] == 200_000
    assert MIC_REBUILD_YEN_PER_M2["スポーツ・レクリエーション系施設"] == 360_000
    assert (MIC_RENOVATION_YEN_PER_M2["学校教育系施設"], MIC_REBUILD_YEN_PER_M2["学校教育系施設"]) == (170_000, 330_000)
    assert MIC_RENOVATION_YEN_PER_M2["公営住宅"] == 170_000 and MIC_REBUILD_YEN_PER_M2["公営住宅"] == 280_000
    for c in ("社会教育系施設", "産業系施設", "医療施設", "行政系施設"):
        assert (MIC_RENOVATION_YEN_PER_M2[c], MIC_REBUILD_YEN_PER_M2[c]) == (250_000, 400_000)
    for c in ("保健・福祉施設", "供給処理施設", "その他"):
        assert (MIC_RENOVATION_YEN_PER_M2[c], MIC_REBUILD_YEN_PER_M2[c]) == (200_000, 360_000)
    for c in ("子育て支援施設", "公園"):
        assert (MIC_RENOVATION_YEN_PER_M2[c], MIC_REBUILD_YEN_PER_M2[c]) == (170_000, 330_000)
    assert RenewalParams().renovation_yen_per_m2["学校教育系施設"] == 170_000


# ----------------------------------------------------------------------------- the rules


def test_on_schedule_renovation_and_rebuild() -> None:
    # Built FY2000, 1,000 m², 学校教育系施設 (17万 / 33万 円/m²); aged 26 at FY2026.
    # Renovation at 30 → FY2030–2031: 1,000 × 170,000 = 170,000,000 / 2 = 85,000,000 a year.
    # Rebuild at 60 → FY2060–2062: 1,000 × 330,000 = 330,000,000 / 3 = 110,000,000 a year.
    # New building counts as built FY2062 → renovation FY2092, outside the horizon.
    p = renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1000.0)))
    _assert_costs(_costs(p), {
        (2030, "renovation"): 85_000_000, (2031, "renovation"): 85_000_000,
        (2060, "rebuild"): 110_000_000, (2061, "rebuild"): 110_000_000, (2062, "rebuild"): 110_000_000,
    })
    assert p.total_yen == pytest.approx(500_000_000)  # 170M + 330M
    assert p.yearly_average_yen == pytest.approx(500_000_000 / 40)  # 12,500,000


def test_backlog_renovation_then_rebuild_on_schedule() -> None:
    # Built FY1986 → aged 40 at FY2026 (within 31–50): renovation missed.
    # 1,000 m² 市民文化系施設 (25万 / 40万): 1,000 × 250,000 = 250,000,000 over FY2026–2035
    # = 25,000,000 a year. Rebuild at 60 → FY2046–2048: 1,000 × 400,000 / 3 each year.
    p = renewal_cost_projection(_buildings(("C1", "市民文化系施設", 1986, 1000.0)))
    expected = {(y, "backlog_renovation"): 25_000_000 for y in range(2026, 2036)}
    expected |= {(y, "rebuild"): 400_000_000 / 3 for y in (2046, 2047, 2048)}
    # New building counts as built FY2048 → renovation FY2078, outside.
    _assert_costs(_costs(p), expected)
    assert p.total_yen == pytest.approx(650_000_000)


def test_boundary_ages_of_renovation() -> None:
    # 100 m² その他 (20万 / 36万): renovation 100 × 200,000 = 20,000,000.
    b = _buildings(
        ("age30", "その他", 1996, 100.0),  # exactly 30: on schedule, FY2026–2027 at 10,000,000
        ("age31", "その他", 1995, 100.0),  # 31: backlog, 2,000,000 a year FY2026–2035
        ("age50", "その他", 1976, 100.0),  # 50: backlog; rebuild at 60 = FY2036–2038
        ("age51", "その他", 1975, 100.0),  # 51: no renovation; rebuild FY2035–2037
        ("age59", "その他", 1967, 100.0),  # 59: no renovation; rebuild FY2027–2029 (on schedule)
        ("age60", "その他", 1966, 100.0),  # 60: already due → backlog rebuild
    )
    p = renewal_cost_projection(b)
    kinds = {bid: set(g["kind"]) for bid, g in p.by_building.groupby("building_id")}
    assert kinds["age30"] == {"renovation", "rebuild"}
    assert kinds["age31"] == {"backlog_renovation", "rebuild"}
    assert kinds["age50"] == {"backlog_renovation", "rebuild"}
    assert kinds["age51"] == {"rebuild"}  # its new building (FY2037) is renovated in FY2067: outside
    assert kinds["age59"] == {"rebuild", "renovation"}  # renovation of the new building
    assert kinds["age60"] == {"backlog_rebuild", "renovation"}
    c30 = _costs(p, "age30")
    assert c30[(2026, "renovation")] == pytest.approx(10_000_000)
    assert c30[(2027, "renovation")] == pytest.approx(10_000_000)
    c31 = _costs(p, "age31")
    backlog = sorted(k for k in c31 if k[1] == "backlog_renovation")
    assert backlog == [(y, "backlog_renovation") for y in range(2026, 2036)]
    assert c31[(2026, "backlog_renovation")] == pytest.approx(2_000_000)
    # age 51 (built 1975): rebuild at 60 = FY2035–2037, 100 × 360,000 / 3 = 12,000,000 a year, nothing else.
    _assert_costs(_costs(p, "age51"), {(y, "rebuild"): 12_000_000 for y in (2035, 2036, 2037)})
    # age 59 (built 1967): rebuild FY2027–2029; the new building counts as built FY2029 and is
    # renovated at 30 = FY2059–2060, 20,000,000 / 2 = 10,000,000 a year.
    _assert_costs(_costs(p, "age59"), {(2027, "rebuild"): 12_000_000, (2028, "rebuild"): 12_000_000,
                                       (2029, "rebuild"): 12_000_000,
                                       (2059, "renovation"): 10_000_000, (2060, "renovation"): 10_000_000})


def test_55_year_old_gets_no_renovation_only_the_rebuild_at_60() -> None:
    # Built FY1971 → aged 55 at FY2026. 600 m² 公営住宅 (17万 / 28万).
    # No renovation. Rebuild at 60 → FY2031–2033: 600 × 280,000 = 168,000,000 / 3 = 56,000,000 a year.
    # New building counts as built FY2033 (last rebuild year) → renovation at 30 = FY2063–2064:
    # 600 × 170,000 = 102,000,000 / 2 = 51,000,000 a year. Its rebuild (FY2093) is outside.
    p = renewal_cost_projection(_buildings(("H1", "公営住宅", 1971, 600.0)))
    _assert_costs(_costs(p), {
        (2031, "rebuild"): 56_000_000, (2032, "rebuild"): 56_000_000, (2033, "rebuild"): 56_000_000,
        (2063, "renovation"): 51_000_000, (2064, "renovation"): 51_000_000,
    })
    assert not (p.by_building["fiscal_year"] < 2031).any()


def test_70_year_old_backlog_rebuild_then_new_cycle() -> None:
    # Built FY1956 → aged 70. 2,000 m² 行政系施設 (25万 / 40万).
    # Backlog rebuild: 2,000 × 400,000 = 800,000,000 over FY2026–2035 = 80,000,000 a year.
    # The new building counts as built FY2035 (= 2026 + 10 − 1, the last backlog year) →
    # renovation at 30 = FY2065–2066: 2,000 × 250,000 / 2 = 250,000,000 a year; FY2066 is
    # outside the horizon (FY2026–2065) and dropped.
    p = renewal_cost_projection(_buildings(("G1", "行政系施設", 1956, 2000.0)))
    expected = {(y, "backlog_rebuild"): 80_000_000 for y in range(2026, 2036)}
    expected[(2065, "renovation")] = 250_000_000
    _assert_costs(_costs(p), expected)
    assert p.total_yen == pytest.approx(1_050_000_000)  # 800M + 250M


def test_rebuild_within_horizon_starts_a_new_cycle_over_a_long_horizon() -> None:
    # Built FY1966, aged 60 → backlog rebuild FY2026–2035; 100 m² 公園 (17万 / 33万):
    # 100 × 330,000 = 33,000,000 / 10 = 3,300,000 a year. New building built FY2035:
    # renovation FY2065–2066 (100 × 170,000 / 2 = 8,500,000 a year), rebuild at 60 = FY2095–2097
    # (33,000,000 / 3 = 11,000,000 a year); next building built FY2097: renovation FY2127–2128.
    # Horizon 2026–2127 (102 years): the second renovation's first year only.
    p = renewal_cost_projection(_buildings(("P1", "公園", 1966, 100.0)), years=102)
    expected = {(y, "backlog_rebuild"): 3_300_000 for y in range(2026, 2036)}
    expected |= {(2065, "renovation"): 8_500_000, (2066, "renovation"): 8_500_000}
    expected |= {(y, "rebuild"): 11_000_000 for y in (2095, 2096, 2097)}
    expected[(2127, "renovation")] = 8_500_000
    _assert_costs(_costs(p), expected)


def test_floor_area_factor_reduces_the_rebuild_and_the_new_buildings_costs() -> None:
    # The 55-year-old of above with a −20% floor-area target at rebuild (factor 0.8):
    # rebuild of the new 480 m² building: 600 × 0.8 × 280,000 = 134,400,000 / 3 = 44,800,000 a year;
    # its renovation FY2063–2064: 480 × 170,000 = 81,600,000 / 2 = 40,800,000 a year.
    b = _buildings(("H1", "公営住宅", 1971, 600.0))
    p = renewal_cost_projection(b, params=RenewalParams(floor_area_factor_at_rebuild=0.8))
    _assert_costs(_costs(p), {
        (2031, "rebuild"): 44_800_000, (2032, "rebuild"): 44_800_000, (2033, "rebuild"): 44_800_000,
        (2063, "renovation"): 40_800_000, (2064, "renovation"): 40_800_000,
    })
    # Costs before any rebuild are not reduced: built FY2000 school, renovation FY2030–2031 unchanged.
    school = renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1000.0)),
                                     params=RenewalParams(floor_area_factor_at_rebuild=0.8))
    assert _costs(school)[(2030, "renovation")] == pytest.approx(85_000_000)
    # … and the rebuild FY2060–2062: 1,000 × 0.8 × 330,000 / 3 = 88,000,000 a year.
    assert _costs(school)[(2060, "rebuild")] == pytest.approx(88_000_000)


def test_the_new_building_shrinks_again_at_its_own_rebuild() -> None:
    # 100 m² 公園, aged 60 → backlog rebuild at 80 m²: 80 × 330,000 = 26,400,000 / 10 = 2,640,000 a year;
    # built FY2035; renovation FY2065–2066 at 80 × 170,000 / 2 = 6,800,000 a year; its rebuild
    # FY2095–2097 at 64 m²: 64 × 330,000 / 3 = 7,040,000 a year. Horizon 2026–2097 (72 years).
    p = renewal_cost_projection(_buildings(("P1", "公園", 1966, 100.0)), years=72,
                                params=RenewalParams(floor_area_factor_at_rebuild=0.8))
    expected = {(y, "backlog_rebuild"): 2_640_000 for y in range(2026, 2036)}
    expected |= {(2065, "renovation"): 6_800_000, (2066, "renovation"): 6_800_000}
    expected |= {(y, "rebuild"): 7_040_000 for y in (2095, 2096, 2097)}
    _assert_costs(_costs(p), expected)


def test_long_life_params() -> None:
    ll = long_life_params()
    assert (ll.renovation_age, ll.rebuild_age) == (40, 80)
    assert ll.backlog_renovation_ages == (41, 50)  # as 加古川市's plan: 41–50, spread over 10 years
    assert ll.mid_repair_ages == (20, 60) and ll.mid_repair_share == 0.3
    assert long_life_params(with_mid_repairs=False).mid_repair_ages == ()
    assert ll.renovation_yen_per_m2 == RenewalParams().renovation_yen_per_m2
    assert long_life_params(RenewalParams(floor_area_factor_at_rebuild=0.8)).floor_area_factor_at_rebuild == 0.8

    # Built FY2000 school, 1,000 m², aged 26: mid-scale repair at 20 (FY2020) was missed and is dropped.
    # Renovation at 40 → FY2040–2041: 170,000,000 / 2 = 85,000,000 a year (instead of FY2030–2031).
    # Mid-scale repair at 60 → FY2060: 0.3 × 1,000 × 330,000 = 99,000,000.
    # Rebuild at 80 → FY2080: outside.
    p = renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1000.0)), params=ll)
    _assert_costs(_costs(p), {(2040, "renovation"): 85_000_000, (2041, "renovation"): 85_000_000,
                              (2060, "mid_repair"): 99_000_000})
    p = renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1000.0)),
                                params=long_life_params(with_mid_repairs=False))
    _assert_costs(_costs(p), {(2040, "renovation"): 85_000_000, (2041, "renovation"): 85_000_000})


def test_long_life_backlog_follows_the_cited_plan() -> None:
    # 100 m² その他 (20万 / 36万) under long life without mid-scale repairs.
    b = _buildings(
        ("age20", "その他", 2006, 100.0),  # mid-scale repair at exactly 20: this year
        ("age45", "その他", 1981, 100.0),  # 41–50: backlog renovation; rebuild at 80 = FY2061–2063
        ("age55", "その他", 1971, 100.0),  # 51–79: no renovation; mid-scale repair at 60 (FY2031)
        ("age75", "その他", 1951, 100.0),  # 71–79: no renovation; rebuild at 80 = FY2031–2033
        ("age80", "その他", 1946, 100.0),  # ≥ 80: backlog rebuild
    )
    p = renewal_cost_projection(b, params=long_life_params())
    c20 = _costs(p, "age20")
    # mid-scale repair FY2026: 0.3 × 100 × 360,000 = 10,800,000; renovation at 40 = FY2046–2047:
    # 100 × 200,000 / 2 = 10,000,000 a year; mid-scale repair at 60 = FY2066: outside.
    _assert_costs(c20, {(2026, "mid_repair"): 10_800_000,
                        (2046, "renovation"): 10_000_000, (2047, "renovation"): 10_000_000})
    c45 = _costs(p, "age45")
    # backlog renovation 20,000,000 / 10; mid-scale repair at 60 = FY2041; rebuild FY2061–2063 at 12,000,000.
    expected = {(y, "backlog_renovation"): 2_000_000 for y in range(2026, 2036)}
    expected[(2041, "mid_repair")] = 10_800_000
    expected |= {(y, "rebuild"): 12_000_000 for y in (2061, 2062, 2063)}
    _assert_costs(c45, expected)
    # age 55: past 50, no backlog renovation (the plan's 41–50; it once ran to 70); mid-scale
    # repair at 60 = FY2031: 0.3 × 100 × 360,000 = 10,800,000; rebuild at 80 = FY2051–2053.
    expected = {(2031, "mid_repair"): 10_800_000}
    expected |= {(y, "rebuild"): 12_000_000 for y in (2051, 2052, 2053)}
    _assert_costs(_costs(p, "age55"), expected)
    # age 75: mid-scale repair at 60 missed; rebuild FY2031–2033; new building built FY2033:
    # mid-scale repair at 20 = FY2053 (10,800,000); renovation at 40 = FY2073: outside.
    _assert_costs(_costs(p, "age75"), {(2031, "rebuild"): 12_000_000, (2032, "rebuild"): 12_000_000,
                                       (2033, "rebuild"): 12_000_000, (2053, "mid_repair"): 10_800_000})
    # age 80: backlog rebuild 36,000,000 / 10 = 3,600,000 a year FY2026–2035; new built FY2035:
    # mid-scale repair FY2055.
    expected = {(y, "backlog_rebuild"): 3_600_000 for y in range(2026, 2036)}
    expected[(2055, "mid_repair")] = 10_800_000
    _assert_costs(_costs(p, "age80"), expected)


def test_the_long_life_saving_on_the_sample_buildings_is_the_reviewed_one() -> None:
    """An independent review recomputed the 加古川市 rule (backlog renovation at 41–50) on the
    sample buildings: 9.0% below the simple MIC projection with mid-scale repairs, 28.7%
    without (the earlier 41–70 range gave 1.0% and 15.3%). After the stock was calibrated to a
    real city's age (issue 26: about 75% of the floor area aged 30+ instead of 94%) a separate
    plain-loop implementation of the rules, which reproduces 9.0% and 28.7% on the earlier
    buildings, gives 8.2% and 30.1%: fewer buildings are in the 41–50 backlog and more reach 60
    within the horizon, so the mid-scale repairs at 60 weigh a little less and the saved rebuilds more."""
    from analytics.catalog import Catalog

    buildings = Catalog().get("buildings")
    simple = renewal_cost_projection(buildings, 2026).total_yen
    saving = {repairs: 1 - renewal_cost_projection(buildings, 2026, params=long_life_params(
        with_mid_repairs=repairs)).total_yen / simple for repairs in (True, False)}
    assert saving[True] == pytest.approx(0.082, abs=0.0005)
    assert saving[False] == pytest.approx(0.301, abs=0.0005)


def test_past_investment_ratio() -> None:
    # Projection: the FY2000 school alone, 500,000,000 over 40 years = 12,500,000 a year.
    # Past: FY2021–2025 totals 100M, 200M, 300M, 400M, 500M (FY2023 split over two categories);
    # FY2015 is older than the last 5 years and ignored. Average = 1,500M / 5 = 300,000,000.
    past = pd.DataFrame({
        "fiscal_year": [2015, 2021, 2022, 2023, 2023, 2024, 2025],
        "category": ["学校教育系施設", "学校教育系施設", "公園", "公園", "行政系施設", "公園", "公園"],
        "investment_yen": [9e9, 100e6, 200e6, 120e6, 180e6, 400e6, 500e6],
    })
    p = renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1000.0)), past_investment=past)
    assert p.past_average_yen == pytest.approx(300_000_000)
    assert p.ratio_to_past == pytest.approx(12_500_000 / 300_000_000)  # 0.041666…
    without = renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1000.0)))
    assert without.past_average_yen is None and without.ratio_to_past is None

    with pytest.raises(ValueError, match="2022"):  # a year of the last five is absent
        renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1.0)),
                                past_investment=past[past["fiscal_year"] != 2022])
    with pytest.raises(ValueError, match="before start_fy"):
        renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1.0)), start_fy=2024, past_investment=past)
    with pytest.raises(ValueError, match="investment_yen"):
        renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1.0)),
                                past_investment=past.drop(columns="investment_yen"))


def test_horizon_truncation() -> None:
    # FY2000 school over 5 years (FY2026–2030): only the renovation's first year, 85,000,000.
    p = renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1000.0)), years=5)
    _assert_costs(_costs(p), {(2030, "renovation"): 85_000_000})
    assert p.yearly_average_yen == pytest.approx(85_000_000 / 5)
    # Start FY2031: renovation FY2030–2031 → age 31 at start → backlog instead (the rule is by age).
    p = renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, 1000.0)), start_fy=2031, years=3)
    _assert_costs(_costs(p), {(y, "backlog_renovation"): 17_000_000 for y in (2031, 2032, 2033)})
    # Nothing in the horizon: an FY2020 building over FY2026–2030 (renovation FY2050).
    p = renewal_cost_projection(_buildings(("N", "公園", 2020, 10.0)), years=5)
    assert p.by_building.empty and p.by_year.empty and p.total_yen == 0
    assert list(p.by_building.columns) == ["building_id", "fiscal_year", "kind", "cost_yen"]
    assert list(p.by_year.columns) == ["fiscal_year", "category", "kind", "cost_yen"]


def _random_buildings(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "building_id": [f"B{i:05d}" for i in range(n)],
        "category": rng.choice(CATEGORIES, n),
        "built_year": rng.integers(1940, 2030, n),  # includes buildings not yet completed
        "floor_area_m2": rng.uniform(0, 8000, n).round(1),
    })


@pytest.mark.parametrize("params", [RenewalParams(), long_life_params(),
                                    RenewalParams(floor_area_factor_at_rebuild=0.8)], ids=["mic", "long", "0.8"])
def test_totals_agree(params: RenewalParams) -> None:
    b = _random_buildings(300)
    p = renewal_cost_projection(b, params=params)
    assert p.total_yen == pytest.approx(p.by_building["cost_yen"].sum(), rel=1e-12)
    assert p.total_yen == pytest.approx(p.by_year["cost_yen"].sum(), rel=1e-12)
    assert p.yearly_average_yen == pytest.approx(p.total_yen / 40)
    assert set(p.by_year["kind"]) <= set(KINDS) and set(p.by_building["kind"]) <= set(KINDS)
    assert p.by_year["fiscal_year"].between(2026, 2065).all() and (p.by_year["cost_yen"] > 0).all()
    assert not p.by_building.duplicated(["building_id", "fiscal_year", "kind"]).any()
    # by_year per category = by_building joined with the building's category
    joined = p.by_building.merge(b[["building_id", "category"]], on="building_id")
    by_cat = joined.groupby(["fiscal_year", "category", "kind"])["cost_yen"].sum()
    assert by_cat.sort_index().to_numpy() == pytest.approx(
        p.by_year.set_index(["fiscal_year", "category", "kind"])["cost_yen"].sort_index().to_numpy())
    wide = p.yearly_totals()
    assert list(wide.index) == list(range(2026, 2066)) and list(wide.columns) == [*KINDS, "total"]
    assert wide["total"].sum() == pytest.approx(p.total_yen)
    # Each building's total over a horizon long enough for one whole cycle of every event
    # that starts in it is the hand-checkable sum: e.g. an age-26 building pays renovation + rebuild.
    age26 = b[b["built_year"] == 2000]
    if params == RenewalParams() and not age26.empty:
        bid, cat, area = age26.iloc[0][["building_id", "category", "floor_area_m2"]]
        own = p.by_building.loc[p.by_building["building_id"] == bid, "cost_yen"].sum()
        assert own == pytest.approx(area * (MIC_RENOVATION_YEN_PER_M2[cat] + MIC_REBUILD_YEN_PER_M2[cat]))


def test_unit_costs_from_params_for_a_city_category() -> None:
    # A city's own category with its own costs: 10 m² "駐輪場", 5万 / 10万 円/m², aged 70:
    # backlog rebuild 10 × 100,000 = 1,000,000 / 10 = 100,000 a year.
    params = RenewalParams(renovation_yen_per_m2={"駐輪場": 50_000}, rebuild_yen_per_m2={"駐輪場": 100_000})
    p = renewal_cost_projection(_buildings(("X", "駐輪場", 1956, 10.0)), years=10, params=params)
    _assert_costs(_costs(p), {(y, "backlog_rebuild"): 100_000 for y in range(2026, 2036)})


def test_input_validation() -> None:
    ok = _buildings(("S1", "学校教育系施設", 2000, 1000.0))
    with pytest.raises(ValueError, match="floor_area_m2"):
        renewal_cost_projection(ok.drop(columns="floor_area_m2"))
    with pytest.raises(ValueError, match="negative"):
        renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000, -1.0)))
    with pytest.raises(ValueError, match="駐輪場"):
        renewal_cost_projection(_buildings(("S1", "駐輪場", 2000, 1.0)))
    with pytest.raises(ValueError, match="unique"):
        renewal_cost_projection(pd.concat([ok, ok]))
    with pytest.raises(ValueError, match="built_year"):
        renewal_cost_projection(_buildings(("S1", "学校教育系施設", 2000.5, 1.0)))
    with pytest.raises(ValueError, match="missing"):
        renewal_cost_projection(_buildings(("S1", "学校教育系施設", None, 1.0)))
    with pytest.raises(ValueError, match="years"):
        renewal_cost_projection(ok, years=0)
    with pytest.raises(ValueError, match="backlog_renovation_ages"):
        RenewalParams(backlog_renovation_ages=(30, 50))  # 30 is on schedule
    with pytest.raises(ValueError, match="backlog_renovation_ages"):
        RenewalParams(renovation_age=40, rebuild_age=80)  # (31, 50) no longer fits
    with pytest.raises(ValueError, match="renovation_age"):
        RenewalParams(renovation_age=60, rebuild_age=60)
    with pytest.raises(ValueError, match="mid_repair_ages"):
        RenewalParams(mid_repair_ages=(20, 60))  # 60 is the rebuild
    with pytest.raises(ValueError, match="rebuild_years"):
        RenewalParams(rebuild_years=0)
    # The empty stock is valid: nothing to pay.
    empty = renewal_cost_projection(ok.iloc[:0])
    assert empty.total_yen == 0 and empty.by_building.empty and empty.yearly_totals().shape == (40, 6)


# ----------------------------------------------------------------------------- stock helpers


def test_floor_area_by_category() -> None:
    b = _buildings(("a", "公園", 2000, 100.0), ("b", "学校教育系施設", 1970, 300.0), ("c", "公園", 1990, 50.0),
                   ("d", "駐輪場", 1990, 50.0))
    out = floor_area_by_category(b)
    # CATEGORIES order (学校教育系施設 before 公園), others after; total 500 m².
    assert list(out["category"]) == ["学校教育系施設", "公園", "駐輪場"]
    assert list(out["buildings"]) == [1, 2, 1]
    assert list(out["floor_area_m2"]) == [300.0, 150.0, 50.0]
    assert list(out["share"]) == pytest.approx([0.6, 0.3, 0.1])


def test_ageing_share() -> None:
    b = _buildings(("a", "公園", 1996, 100.0), ("b", "公園", 1997, 300.0), ("c", "公園", 1960, 600.0),
                   ("d", "公園", 2030, 1000.0))
    # FY2026: a aged 30 (counts), b 29, c 66; d not built yet. (100 + 600) / 1,000 = 0.7.
    assert ageing_share(b, 2026) == pytest.approx(0.7)
    # FY2027: b turns 30 too: 1,000 / 1,000.
    assert ageing_share(b, 2027) == pytest.approx(1.0)
    # FY2030 at age 60: c is 70, d (aged 0) now stands: 600 / 2,000 = 0.3.
    assert ageing_share(b, 2030, age=60) == pytest.approx(0.3)
    assert math.isnan(ageing_share(b, 1950))


def test_built_year_histogram() -> None:
    b = _buildings(("a", "公園", 1970, 100.0), ("b", "公園", 1974, 50.0), ("c", "学校教育系施設", 1972, 300.0),
                   ("d", "公園", 1975, 10.0))
    out = built_year_histogram(b)
    assert list(out.columns) == ["bin_start", "category", "floor_area_m2"]
    assert out.values.tolist() == [[1970, "学校教育系施設", 300.0], [1970, "公園", 150.0], [1975, "公園", 10.0]]
    ten = built_year_histogram(b, bin_years=10)
    assert ten.values.tolist() == [[1970, "学校教育系施設", 300.0], [1970, "公園", 160.0]]
    with pytest.raises(ValueError, match="bin_years"):
        built_year_histogram(b, bin_years=0)


# ----------------------------------------------------------------------------- the synthetic city


def test_synthetic_building_stock_looks_like_a_japanese_city() -> None:
    from analytics.catalog import Catalog

    catalog = Catalog()
    buildings, past = catalog.get("buildings"), catalog.get("past_investment")
    decades = (buildings["built_year"] // 10 * 10).value_counts()
    assert decades.idxmax() in (1970, 1980)  # the post-war build-out peak
    by_category = floor_area_by_category(buildings).set_index("category")["floor_area_m2"]
    assert by_category.idxmax() == "学校教育系施設"  # schools hold the largest floor area
    old = buildings["built_year"] < 1982
    assert set(buildings.loc[~old, "seismic"]) == {"新耐震"}
    projection = renewal_cost_projection(buildings, 2026, 40, past_investment=past)
    # the MIC survey of 111 municipalities: future renewal cost ≈ 2.6 × current spending
    assert 2.0 <= projection.ratio_to_past <= 3.5


def test_calibration_figures_by_hand() -> None:
    from analytics.facilities.calibration import calibration_figures

    # 3 districts, 200 residents in FY2026 (the latest year; FY2025's 999 are ignored).
    population = pd.DataFrame({"fiscal_year": [2025, 2026, 2026], "population": [999, 120, 80]})
    districts = pd.DataFrame({"district_id": ["D1", "D2", "D3"]})
    facilities = pd.DataFrame({"facility_id": ["S1", "S2", "J1", "H", "A"],
                               "subcategory": ["小学校", "小学校", "中学校", "市営住宅", "本庁舎"]})
    # 1,000 m² in all: schools 400 (a 1975 旧耐震・未補強 building of 100), 公営住宅 300, 行政系 100,
    # a 公園 building of 200 (旧耐震・未補強).
    buildings = pd.DataFrame({
        "category": ["学校教育系施設", "学校教育系施設", "学校教育系施設", "公営住宅", "行政系施設", "公園"],
        "built_year": [1975, 1985, 2000, 1970, 1996, 1960],
        "floor_area_m2": [100.0, 200.0, 100.0, 300.0, 100.0, 200.0],
        "seismic": ["旧耐震・未補強", "新耐震", "新耐震", "旧耐震・補強済", "新耐震", "旧耐震・未補強"]})
    figures = calibration_figures({"buildings": buildings, "facilities": facilities, "population": population,
                                   "districts": districts})
    value = {f.figure_en: f.value for f in figures}
    assert value["Public floor area per resident, FY2026"] == pytest.approx(1000 / 200)
    assert value["Share of floor area: 学校教育系施設"] == pytest.approx(40.0)
    assert value["Share of floor area: 公営住宅"] == pytest.approx(30.0)
    assert value["Share of floor area: 行政系施設"] == pytest.approx(10.0)
    # aged 30+ in FY2026 (built ≤ 1996): all but the FY2000 school: 900 / 1,000
    assert value["Floor area aged 30 years or more, FY2026"] == pytest.approx(90.0)
    # built FY1970–1989: 100 + 200 + 300
    assert value["Floor area built in FY1970–1989"] == pytest.approx(60.0)
    assert value["School floor area not earthquake-resistant (旧耐震・未補強)"] == pytest.approx(25.0)
    assert value["Other floor area not earthquake-resistant (旧耐震・未補強)"] == pytest.approx(200 / 600 * 100)
    assert (value["Elementary schools"], value["Junior high schools"]) == (2, 1)
    schools = {f.figure_en: f for f in figures}["Elementary schools"]
    assert (schools.low, schools.high) == (3, 3)  # one per district
    assert all(f.domain == "facilities" and f.source for f in figures)


# ----------------------------------------------------------------------------- facility cards


def _card_inputs():
    facilities = pd.DataFrame({"facility_id": ["F1", "F2", "F3"], "name_ja": ["甲", "乙", "丙"],
                               "name_en": ["A", "B", "C"], "category": ["市民文化系施設"] * 3,
                               "subcategory": ["公民館", "公民館", "倉庫"], "district_id": ["D1", "D1", "D2"],
                               "lon": [134.6] * 3, "lat": [34.8] * 3,
                               "capacity": pd.array([20000, 10000, None], dtype="Int64")})
    buildings = pd.DataFrame({"building_id": ["B1", "B2", "B3", "B4"], "facility_id": ["F1", "F1", "F2", "F3"],
                              "category": ["市民文化系施設"] * 4, "built_year": [1975, 1995, 2005, 1970],
                              "floor_area_m2": [600.0, 400.0, 500.0, 200.0], "structure": ["RC"] * 4,
                              "seismic": ["旧耐震・補強済", "新耐震", "新耐震", "旧耐震・未補強"]})
    operations = pd.DataFrame({
        "fiscal_year": [2025] * 3, "facility_id": ["F1", "F2", "F3"],
        "visits": pd.array([12000, 2000, None], dtype="Int64"), "opening_days": [300, 300, 365],
        "cost_staff_yen": [10_000_000, 5_000_000, 0], "cost_utilities_yen": [3_000_000, 1_000_000, 200_000],
        "cost_outsourcing_yen": [1_000_000, 1_000_000, 0], "cost_repairs_yen": [1_000_000, 0, 100_000],
        "fee_revenue_yen": [1_500_000, 700_000, 0],
        "slots_available": pd.array([1000, None, None], dtype="Int64"),
        "slots_used": pd.array([600, None, None], dtype="Int64")})
    return facilities, buildings, operations


def test_facility_cards_by_hand() -> None:
    from analytics.facilities import facility_cards

    cards = facility_cards(*_card_inputs(), fiscal_year=2025).set_index("facility_id")
    f1 = cards.loc["F1"]
    assert f1["floor_area_m2"] == 1000
    assert f1["age_years"] == pytest.approx((50 * 600 + 30 * 400) / 1000)  # 42 years, area-weighted
    assert f1["seismic"] == "旧耐震・補強済" and f1["oldest_built"] == 1975
    assert f1["operating_cost_yen"] == 15_000_000
    assert f1["cost_per_visit"] == pytest.approx(1250)  # 15,000,000 ÷ 12,000
    assert f1["cost_per_m2"] == pytest.approx(15_000)
    assert f1["cost_recovery"] == pytest.approx(0.1)
    assert f1["utilisation"] == pytest.approx(0.6)  # bookable: 600 of 1,000 slots
    f2 = cards.loc["F2"]
    assert f2["utilisation"] == pytest.approx(0.2)  # not bookable: 2,000 visits of 10,000
    assert f2["cost_per_visit"] == pytest.approx(3500)
    f3 = cards.loc["F3"]
    assert pd.isna(f3["utilisation"]) and pd.isna(f3["cost_per_visit"]) and f3["seismic"] == "旧耐震・未補強"


def test_screening_quadrant_within_subcategory() -> None:
    from analytics.facilities import facility_cards, screening

    cards = facility_cards(*_card_inputs(), fiscal_year=2025)
    groups = dict(zip(cards["facility_id"], screening(cards, utilisation_percentile=0.5, age_years=40), strict=True))
    # F1: best used of the two 公民館 and 42 years old → renew; F2: least used, 20 years → promote_use
    assert groups["F1"] == "renew" and groups["F2"] == "promote_use"
    assert pd.isna(groups["F3"])  # utilisation unknown
    younger = dict(zip(cards["facility_id"], screening(cards, utilisation_percentile=0.5, age_years=45), strict=True))
    assert younger["F1"] == "keep"


# ----------------------------------------------------------------------------- scenarios side by side


def test_reduction_target_is_met_at_rebuilds() -> None:
    from analytics.facilities import compare_scenarios, rebuilt_floor_area, reduction_params

    # 1,000 m² built FY1970 (rebuilt FY2030–2032) and 1,000 m² built FY2010 (rebuild FY2070: outside).
    b = _buildings(("old", "その他", 1970, 1000.0), ("new", "その他", 2010, 1000.0))
    assert rebuilt_floor_area(b) == 1000.0
    # −20% of 2,000 m² = 400 m², all from the one rebuild: f = 1 − 0.2 × 2,000 / 1,000 = 0.6.
    params, achieved = reduction_params(b, 0.2)
    assert params.floor_area_factor_at_rebuild == pytest.approx(0.6) and achieved == pytest.approx(0.2)
    # −60% needs more than the rebuilds hold: f floors at 0, 50% achieved.
    _, achieved = reduction_params(b, 0.6)
    assert achieved == pytest.approx(0.5)
    cmp = compare_scenarios(b, {"simple": RenewalParams(), "reduce": params})
    summary = cmp.summary.set_index("scenario")
    assert summary.loc["reduce", "floor_area_end_m2"] == pytest.approx(1600.0)
    assert summary.loc["simple", "floor_area_end_m2"] == pytest.approx(2000.0)
    # the rebuild costs 0.6 × 1,000 × 360,000 instead of 360,000,000: 144,000,000 less
    assert summary.loc["simple", "total_yen"] - summary.loc["reduce", "total_yen"] == pytest.approx(
        144_000_000 + 0.4 * 1000 * 200_000)  # … and the new building's renovation at FY2062 is smaller too
    assert np.isnan(summary.loc["simple", "shortfall_yen"])


def test_scenario_shortfall_against_past_investment() -> None:
    from analytics.facilities import compare_scenarios

    # One 1,000 m² その他 built FY1996: renovation at 30 = FY2026–2027 at 100,000,000 a year.
    b = _buildings(("b", "その他", 1996, 1000.0))
    past = pd.DataFrame({"fiscal_year": range(2021, 2026), "investment_yen": [30_000_000] * 5})
    cmp = compare_scenarios(b, {"simple": RenewalParams(), "long": long_life_params(with_mid_repairs=False)},
                            start_fy=2026, years=5, past_investment=past)
    simple = cmp.yearly[cmp.yearly["scenario"] == "simple"].set_index("fiscal_year")
    # costs 100M, 100M, 0, 0, 0 against 30M a year: cumulative 70, 140, 110, 80, 50 (M yen)
    assert simple["cumulative_shortfall_yen"].tolist() == pytest.approx([70e6, 140e6, 110e6, 80e6, 50e6])
    summary = cmp.summary.set_index("scenario")
    assert summary.loc["simple", "shortfall_yen"] == pytest.approx(50e6)
    # long life: renovation at 40 = FY2036, outside: nothing to pay, 150M under the budget
    assert summary.loc["long", "shortfall_yen"] == pytest.approx(-150e6)
    assert summary.loc["long", "change_vs_first"] == pytest.approx(-1.0)


def test_floor_area_per_resident() -> None:
    from analytics.facilities import floor_area_per_resident

    out = floor_area_per_resident(1_200_000.0, pd.Series([500_000, 480_000], index=[2026, 2036]))
    assert out["m2_per_resident"].tolist() == pytest.approx([2.4, 2.5])
    stock = pd.Series([1_200_000.0, 960_000.0], index=[2026, 2036])
    assert floor_area_per_resident(stock, pd.Series([500_000, 480_000], index=[2026, 2036]))[
        "m2_per_resident"].tolist() == pytest.approx([2.4, 2.0])


# ----------------------------------------------------------------------------- access and consolidation


def _toy_grid():
    """Three 500 m meshes in a row west → east (one district each for the first two), residents
    100, 50, 30; two 公民館 at the centres of the first and third mesh, one 図書館 far away."""
    from analytics.core import geo

    lat, lon = 34.8 + geo.HALF_MESH_LAT / 2, 134.6 + geo.HALF_MESH_LON / 2
    lons = [lon + i * geo.HALF_MESH_LON for i in range(3)]
    codes = [str(geo.mesh_code(lat, x)[0]) for x in lons]
    centres = geo.mesh_centroids(codes)
    residents = pd.DataFrame({"mesh_code": codes, "district_id": ["D1", "D2", "D2"],
                              "residents": [100.0, 50.0, 30.0]})
    facilities = pd.DataFrame({
        "facility_id": ["A", "B", "L"], "name_ja": ["A", "B", "L"], "name_en": ["A", "B", "L"],
        "category": ["市民文化系施設", "市民文化系施設", "社会教育系施設"],
        "subcategory": ["公民館", "公民館", "図書館"],
        "district_id": ["D1", "D2", "D2"], "lon": [centres["lon"].iloc[0], centres["lon"].iloc[2], 135.0],
        "lat": [centres["lat"].iloc[0], centres["lat"].iloc[2], 35.0],
        "capacity": pd.array([10_000, 8_000, None], dtype="Int64")})
    buildings = pd.DataFrame({"building_id": ["BA", "BB", "BL"], "facility_id": ["A", "B", "L"],
                              "category": ["市民文化系施設", "市民文化系施設", "社会教育系施設"],
                              "built_year": [1970, 2000, 2000], "floor_area_m2": [1000.0, 800.0, 500.0],
                              "structure": ["RC"] * 3, "seismic": ["旧耐震・未補強", "新耐震", "新耐震"]})
    operations = pd.DataFrame({
        "fiscal_year": [2025] * 3, "facility_id": ["A", "B", "L"],
        "visits": pd.array([3_000, 6_000, 20_000], dtype="Int64"), "opening_days": [300] * 3,
        "cost_staff_yen": [10_000_000, 8_000_000, 20_000_000], "cost_utilities_yen": [2_000_000] * 3,
        "cost_outsourcing_yen": [0] * 3, "cost_repairs_yen": [0] * 3,
        "fee_revenue_yen": [1_000_000, 500_000, 0],
        "slots_available": pd.array([None] * 3, dtype="Int64"), "slots_used": pd.array([None] * 3, dtype="Int64")})
    return residents, facilities, buildings, operations


def _geodesic_m(lat1, lon1, lat2, lon2) -> float:
    from pyproj import Geod

    return float(Geod(ellps="GRS80").inv(lon1, lat1, lon2, lat2)[2])


def test_nearest_facility_access_on_a_toy_grid() -> None:
    from analytics.facilities import nearest_facility_access

    residents, facilities, *_ = _toy_grid()
    kominkan = facilities[facilities["subcategory"] == "公民館"]
    out = nearest_facility_access(residents, kominkan)
    c = facilities.set_index("facility_id")
    # the middle mesh is one mesh width (22.5″ of longitude) from both: the first site wins the tie
    width = _geodesic_m(c.at["A", "lat"], c.at["A", "lon"], c.at["A", "lat"], c.at["B", "lon"]) / 2
    assert out["distance_m"].tolist() == pytest.approx([0.0, width, 0.0], rel=1e-3, abs=1e-6)
    assert out["nearest"].tolist()[0] == 0 and out["nearest"].tolist()[2] == 1
    none = nearest_facility_access(residents, kominkan.iloc[0:0])
    assert np.isinf(none["distance_m"]).all()


def test_closing_a_facility_moves_visits_and_access_by_hand() -> None:
    from analytics.facilities import CITY, ConsolidationPlan, consolidation, facility_cards

    residents, facilities, buildings, operations = _toy_grid()
    cards = facility_cards(facilities, buildings, operations, 2025)
    projection = renewal_cost_projection(buildings, start_fy=2026, years=10)
    result = consolidation(facilities, buildings, cards, projection, ConsolidationPlan(closures=("A",)),
                           residents, beyond_m=600)
    c = facilities.set_index("facility_id")
    two = _geodesic_m(c.at["A", "lat"], c.at["A", "lon"], c.at["B", "lat"], c.at["B", "lon"])
    one = two / 2
    # savings: A runs at 12,000,000 with 1,000,000 fees; its building (FY1970, 1,000 m², 40万/m²)
    # is a backlog rebuild over FY2026–2035: 400,000,000 avoided within 10 years.
    s = result.savings.set_index("facility_id").loc["A"]
    assert s["net_operating_yen"] == 11_000_000 and s["avoided_renewal_yen"] == pytest.approx(400_000_000)
    assert s["total_yen"] == pytest.approx(11_000_000 * 10 + 400_000_000)
    assert result.total_saved_yen == pytest.approx(result.yearly_operating_saved_yen * 10 + result.avoided_renewal_yen)
    assert result.floor_area_saved_m2 == 1000.0
    # A's 3,000 visits go to B (the only other 公民館; the 図書館 does not count)
    r = result.reassignment.set_index("facility_id").loc["A"]
    assert r["receiver_id"] == "B" and r["visits"] == 3000 and r["distance_m"] == pytest.approx(two, rel=1e-3)
    load = result.load.set_index("facility_id").loc["B"]
    assert (load["visits_before"], load["visits_after"]) == (6000, 9000) and load["load"] == pytest.approx(9000 / 8000)
    # access: before 0 / one / 0 m, after two / one / 0 m; beyond 600 m: before 0 (one ≈ 571 m), after 100.
    assert one < 600 < two
    access = result.access.set_index("district_id")
    d1, d2, city = access.loc["D1"], access.loc["D2"], access.loc[CITY]
    assert d1["mean_distance_before_m"] == 0 and d1["mean_distance_after_m"] == pytest.approx(two, rel=1e-3)
    assert d2["mean_distance_before_m"] == pytest.approx(50 * one / 80, rel=1e-3)
    assert d2["mean_distance_after_m"] == pytest.approx(50 * one / 80, rel=1e-3)
    assert (city["beyond_before"], city["beyond_after"], city["residents"]) == (0, 100, 180)
    assert city["mean_distance_after_m"] == pytest.approx((100 * two + 50 * one) / 180, rel=1e-3)
    assert set(result.access["subcategory"]) == {"公民館"}


def test_merging_moves_the_service_to_the_receiver() -> None:
    from analytics.facilities import CITY, ConsolidationPlan, consolidation, facility_cards

    residents, facilities, buildings, operations = _toy_grid()
    cards = facility_cards(facilities, buildings, operations, 2025)
    projection = renewal_cost_projection(buildings, start_fy=2026, years=10)
    # the far-away library moves into 公民館 A (複合化): library access improves for everyone
    result = consolidation(facilities, buildings, cards, projection, ConsolidationPlan(merges={"L": "A"}),
                           residents, beyond_m=600)
    city = result.access.set_index("district_id").loc[CITY]
    assert city["beyond_before"] == 180 and city["beyond_after"] == 30  # only the third mesh is > 600 m from A
    assert result.reassignment.iloc[0]["receiver_id"] == "A"
    assert result.load.set_index("facility_id").loc["A", "visits_after"] == 23_000
    with pytest.raises(ValueError, match="unknown facility"):
        consolidation(facilities, buildings, cards, projection, ConsolidationPlan(closures=("Z",)), residents)
    with pytest.raises(ValueError, match="itself closes"):
        ConsolidationPlan(closures=("A",), merges={"L": "A"})


def _toy_consolidation(plan, *, fees_l: int = 0, **kwargs):
    """:func:`consolidation` on the toy grid over FY2026–2035 (10 years); ``fees_l``: the library's
    fee revenue a year."""
    from analytics.facilities import consolidation, facility_cards

    residents, facilities, buildings, operations = _toy_grid()
    operations.loc[operations["facility_id"] == "L", "fee_revenue_yen"] = fees_l
    cards = facility_cards(facilities, buildings, operations, 2025)
    projection = renewal_cost_projection(buildings, start_fy=2026, years=10)
    return consolidation(facilities, buildings, cards, projection, plan, residents, beyond_m=600, **kwargs)


def _toy_distance_m(a: str, b: str) -> float:
    c = _toy_grid()[1].set_index("facility_id")
    return _geodesic_m(c.at[a, "lat"], c.at[a, "lon"], c.at[b, "lat"], c.at[b, "lon"])


def test_distance_decay_share_by_hand() -> None:
    from analytics.facilities import ALL_VISITS_MOVE, DistanceDecay

    decay = DistanceDecay(half_distance_m=1000.0)
    assert decay.share([0.0, 500.0, 1000.0, 2000.0, 3000.0]).tolist() == pytest.approx(
        [1.0, 2 ** -0.5, 0.5, 0.25, 0.125])
    assert np.isnan(decay.share([np.nan])).all() and ALL_VISITS_MOVE.upper_bound and not decay.upper_bound
    assert ALL_VISITS_MOVE.share([0.0, 1e6, np.inf]).tolist() == [1.0, 1.0, 1.0]
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="half_distance_m"):
            DistanceDecay(half_distance_m=bad)


def test_decayed_loads_by_hand_and_the_upper_bound() -> None:
    """A (3,000 visits) closes; B (6,000 visits, capacity 8,000) is the nearest 公民館, ``two`` away.
    With the half distance at ``two`` half of A's visits move (1,500 → 7,500, load 0.9375); at
    ``two / 2`` a quarter (750 → 6,750); with every visit moving, 9,000 and 1.125 (the upper bound,
    also reported alongside as ``load_all``)."""
    from analytics.facilities import ALL_VISITS_MOVE, ConsolidationPlan, DistanceDecay

    plan = ConsolidationPlan(closures=("A",))
    two = _toy_distance_m("A", "B")
    cases = {two: (1500.0, 7500.0), two / 2: (750.0, 6750.0)}
    for half, (moved, after) in cases.items():
        result = _toy_consolidation(plan, decay=DistanceDecay(half_distance_m=half))
        r = result.reassignment.set_index("facility_id").loc["A"]
        assert r["visits"] == 3000 and r["visits_moved"] == pytest.approx(moved, rel=1e-3)
        load = result.load.set_index("facility_id").loc["B"]
        assert load["received"] == pytest.approx(moved, rel=1e-3)
        assert load["visits_after"] == pytest.approx(after, rel=1e-3)
        assert load["load"] == pytest.approx(after / 8000, rel=1e-3)
        # the upper bound stays beside it: every visit moves
        assert (load["received_all"], load["visits_after_all"], load["load_all"]) == (3000, 9000, 9000 / 8000)
    # a share of 1 reproduces the upper bound exactly, and it is the default
    default = _toy_consolidation(plan)
    upper = _toy_consolidation(plan, decay=ALL_VISITS_MOVE)
    assert default.decay == ALL_VISITS_MOVE
    pd.testing.assert_frame_equal(default.load, upper.load)
    b = upper.load.set_index("facility_id").loc["B"]
    assert (b["received"], b["visits_after"], b["load"]) == (b["received_all"], b["visits_after_all"], b["load_all"])
    assert upper.reassignment["share_moved"].tolist() == [1.0]


def test_decayed_loads_are_monotone_and_never_move_more_than_the_visits() -> None:
    from analytics.facilities import ConsolidationPlan, DistanceDecay

    # A closes (→ B) and the library merges into B: two removed facilities, one receiver
    plan = ConsolidationPlan(closures=("A",), merges={"L": "B"})
    halves = [100.0, 500.0, 1_000.0, 5_000.0, 50_000.0, 1e9, math.inf]
    results = [_toy_consolidation(plan, decay=DistanceDecay(half_distance_m=h)) for h in halves]
    loads = [r.load.set_index("facility_id").loc["B", "load"] for r in results]
    assert all(a < b for a, b in zip(loads[:-2], loads[1:-1], strict=True))  # strictly, while some visits stay
    assert loads[-2] <= loads[-1] and loads[-1] == pytest.approx((6000 + 3000 + 20000) / 8000)
    for r in results:
        moved = r.reassignment.set_index("facility_id")
        assert (moved["visits_moved"] <= moved["visits"]).all() and (moved["visits_moved"] > 0).all()
        load = r.load.set_index("facility_id").loc["B"]
        assert load["received"] <= load["received_all"] == 23_000


def test_savings_subtract_demolition_and_a_merge_keeps_the_fees_that_move() -> None:
    """Closing A over 10 years: (12,000,000 − 1,000,000 fees lost) × 10 + 400,000,000 renewal avoided
    − 1,000 m² × 30,000 円/㎡ demolition = 480,000,000. Merging the library L (cost 22,000,000,
    fees 2,000,000, 500 m² of 社会教育系施設 built FY2000: renovated FY2030–31 at 25万円/㎡ =
    125,000,000) into A: its fees move with its visits and are kept, so the running saving is the
    whole 22,000,000 a year: 22,000,000 × 10 + 125,000,000 − 500 × 30,000 = 330,000,000. When only
    half its visits move (half distance = the distance to A), half the fees are kept."""
    from analytics.facilities import ConsolidationPlan, DistanceDecay

    closed = _toy_consolidation(ConsolidationPlan(closures=("A",)), demolition_yen_per_m2=30_000)
    s = closed.savings.set_index("facility_id").loc["A"]
    assert (s["fees_kept_yen"], s["net_operating_yen"], s["demolition_yen"]) == (0, 11_000_000, 30_000_000)
    assert s["total_yen"] == pytest.approx(480_000_000) and closed.demolition_yen == 30_000_000
    assert closed.operating_saved_yen == 110_000_000
    assert closed.total_saved_yen == pytest.approx(
        closed.operating_saved_yen + closed.avoided_renewal_yen - closed.demolition_yen)

    merged = _toy_consolidation(ConsolidationPlan(merges={"L": "A"}), fees_l=2_000_000, demolition_yen_per_m2=30_000)
    s = merged.savings.set_index("facility_id").loc["L"]
    assert (s["operating_cost_yen"], s["fee_revenue_yen"], s["fees_kept_yen"]) == (22_000_000, 2_000_000, 2_000_000)
    assert s["net_operating_yen"] == 22_000_000 and s["avoided_renewal_yen"] == pytest.approx(125_000_000)
    assert s["demolition_yen"] == 15_000_000 and merged.total_saved_yen == pytest.approx(330_000_000)
    assert merged.fees_kept_yen == 2_000_000

    half = _toy_consolidation(ConsolidationPlan(merges={"L": "A"}), fees_l=2_000_000, demolition_yen_per_m2=30_000,
                              decay=DistanceDecay(half_distance_m=_toy_distance_m("L", "A")))
    s = half.savings.set_index("facility_id").loc["L"]
    assert s["fees_kept_yen"] == pytest.approx(1_000_000, rel=1e-3)
    assert s["net_operating_yen"] == pytest.approx(21_000_000, rel=1e-4)
    assert s["total_yen"] == pytest.approx(21_000_000 * 10 + 125_000_000 - 15_000_000, rel=1e-4)
    with pytest.raises(ValueError, match="demolition"):
        _toy_consolidation(ConsolidationPlan(closures=("A",)), demolition_yen_per_m2=-1)


def test_the_page_parameters_carry_the_demolition_assumption() -> None:
    from analytics.facilities import ALL_VISITS_MOVE, DEMOLITION_YEN_PER_M2, FacilitiesParams

    assert FacilitiesParams().demolition_yen_per_m2 == DEMOLITION_YEN_PER_M2 == 30_000  # 3万円/㎡
    assert FacilitiesParams().decay == ALL_VISITS_MOVE  # the upper bound unless the planner asks
    with pytest.raises(ValueError, match="demolition"):
        FacilitiesParams(demolition_yen_per_m2=-1.0)


def test_floor_area_stock_follows_the_rebuilds() -> None:
    from analytics.facilities import floor_area_stock

    # FY1970 (rebuilt FY2030–2032, new size from FY2032), FY1960 (aged 66: backlog rebuild, new
    # size from FY2035), FY2010 (not rebuilt before FY2065). Factor 0.5.
    b = _buildings(("a", "その他", 1970, 1000.0), ("b", "その他", 1960, 400.0), ("c", "その他", 2010, 600.0))
    stock = floor_area_stock(b, params=RenewalParams(floor_area_factor_at_rebuild=0.5))
    assert stock[2031] == 2000 and stock[2032] == 1500 and stock[2034] == 1500 and stock[2035] == 1300
    assert stock[2065] == 1300 and len(stock) == 40
    # over 70 years (to FY2095): c is rebuilt FY2070–2072 (300 m² from FY2072); a's new building
    # (FY2032) again FY2092–2094 (250 m² from FY2094); b's (FY2035) would end in FY2097: outside.
    long = floor_area_stock(b, years=70, params=RenewalParams(floor_area_factor_at_rebuild=0.5))
    assert (long[2071], long[2072], long[2093], long[2094], long[2095]) == (1300, 1000, 1000, 750, 750)


def test_screening_proposal_leaves_each_service_somewhere() -> None:
    from analytics.facilities import screening_proposal

    cards = pd.DataFrame({"facility_id": ["A", "B", "C", "D"], "subcategory": ["公民館", "公民館", "図書館", "図書館"]})
    groups = pd.Series(["review", "review", "review", "keep"])
    assert screening_proposal(cards, groups) == ("A", "C")  # one 公民館 stays, the 図書館 D stays anyway


def test_unit_cost_table_round_trip_and_cycle() -> None:
    from analytics.facilities import renewal_params_from_table, unit_cost_table

    table = unit_cost_table(categories=["学校教育系施設", "図書館棟"])
    assert table.set_index("category").loc["市民文化系施設"].tolist() == [25.0, 40.0]
    assert table["rebuild_man_yen"].isna().tolist()[-1]  # the unknown category is listed to fill in
    with pytest.raises(ValueError, match="図書館棟"):
        renewal_params_from_table(table)
    p = renewal_params_from_table(table.dropna())
    assert p.rebuild_yen_per_m2["公営住宅"] == 280_000 and p.backlog_renovation_ages == (31, 50)
    p = renewal_params_from_table(table.dropna(), renovation_age=25, rebuild_age=70, backlog_years=10)
    assert p.backlog_renovation_ages == (26, 60)
    # a short cycle still leaves a one-age backlog range inside renovation … rebuild
    assert renewal_params_from_table(table.dropna(), renovation_age=40, rebuild_age=45).backlog_renovation_ages == (
        41, 41)


def test_the_timing_rules_state_what_the_projection_applies() -> None:
    mic = {r.kind: dict(r.values) for r in timing_rules(RenewalParams())}
    assert mic == {"renovation": {"age": 30, "years": 2}, "rebuild": {"age": 60, "years": 3},
                   "backlog_renovation": {"low": 31, "high": 50, "years": 10},
                   "no_renovation": {"low": 51, "high": 59}, "backlog_rebuild": {"age": 60, "years": 10},
                   "new_cycle": {}}
    long = {r.kind: dict(r.values) for r in timing_rules(long_life_params())}
    assert long["backlog_renovation"] == {"low": 41, "high": 50, "years": 10}
    assert long["no_renovation"] == {"low": 51, "high": 79} and long["mid_repair"] == {"ages": "20・60", "share": 30}
    # and the projection does what the rules say: a building aged 55 gets no renovation, one aged
    # 45 a backlog renovation, one aged 60 a backlog rebuild (100 m² その他)
    p = renewal_cost_projection(_buildings(("a55", "その他", 1971, 100.0), ("a45", "その他", 1981, 100.0),
                                           ("a60", "その他", 1966, 100.0)))
    # (within the first cycle: a rebuilt building starts a new one, with its own renovation)
    ends = {"a55": 2034, "a45": 2044, "a60": 2036}
    first = {b: {k for (y, k) in _costs(p, b) if y < end} for b, end in ends.items()}
    assert first == {"a55": {"rebuild"}, "a45": {"backlog_renovation", "rebuild"}, "a60": {"backlog_rebuild"}}


def test_a_comparison_pickles_for_the_page_cache() -> None:
    """The page caches the comparison with st.cache_data, which pickles it."""
    import pickle

    b = _buildings(("S1", "学校教育系施設", 2000, 1000.0))
    comparison = compare_scenarios(b, {"simple": RenewalParams(), "long": long_life_params()})
    again = pickle.loads(pickle.dumps(comparison))
    assert again.timing == comparison.timing and again.timing["long"] == timing_rules(long_life_params())


# ----------------------------------------------------------------------------- the page's metrics fit


LABEL_CELLS = 22
"""Half-width cells (a full-width character counts 2) a metric label has in four columns at a
1280 px browser width with its help icon: 12 full-width characters are cut with an ellipsis."""
VALUE_CELLS = 10
"""The same for a metric value (36 px digits), counting a comma or a point as half a cell."""


def _value_cells(text: str) -> float:
    from ui.charts import display_width

    return display_width(text) - 0.5 * sum(text.count(c) for c in ",. ")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_metric_labels_and_values_fit_four_columns_at_1280_px(lang: str) -> None:
    """Every metric of the facilities page in a row of four keeps its label (with any year or
    horizon in the help instead) and its value within a column at 1280 px; the beyond-distance
    metric sits in a wider column (two fifths of the page) and may take twice as much."""
    from analytics.facilities import MESSAGES
    from analytics.i18n import t
    from ui.charts import display_width
    from ui.format import percent, square_metres_short, yen_oku

    keys = [k for k in MESSAGES if k.startswith("facilities.metric.") and k.count(".") == 2]
    assert len(keys) >= 9
    for key in keys:
        label = t(key, lang, beyond="6,000", years=40, fy="2026年度" if lang == "ja" else "FY2026",
                  sub=t("facilities.subcategory.老人福祉センター", lang))  # what a label may carry, at its longest
        limit = 2 * LABEL_CELLS if key == "facilities.metric.beyond" else LABEL_CELLS
        assert display_width(label) <= limit, (key, label)
    # the largest values a city of up to about 1.5 M residents shows (5 M m², 999.9億円 a year, 9,999.9億円
    # over the horizon)
    for text in (square_metres_short(4_999_000.0, lang), square_metres_short(99_999.0, lang),
                 yen_oku(99_990_000_000.0, lang), yen_oku(999_990_000_000.0, lang), percent(0.999), "12.3×"):
        assert _value_cells(text) <= VALUE_CELLS, text


def test_a_projection_starts_after_the_past_investment_it_is_compared_with():
    past = pd.DataFrame({"fiscal_year": [2021, 2022, 2023, 2024, 2025], "investment_yen": [1e9] * 5})
    assert earliest_start_fy(past) == 2026
    assert earliest_start_fy(None) is None and earliest_start_fy(past.iloc[:0]) is None
    buildings = pd.DataFrame({"building_id": ["B1"], "category": ["学校教育系施設"], "built_year": [1980],
                              "floor_area_m2": [1000.0]})
    with pytest.raises(ValueError, match="before start_fy"):  # what the page's first year now never asks for
        renewal_cost_projection(buildings, 2025, 10, past_investment=past)
