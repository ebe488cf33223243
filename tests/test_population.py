"""Tests for analytics.population on small hand-made frames.

Every expected value is worked out by hand in the comments from the rows below.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

from analytics.population import (
    CityHeadline,
    change_by_year,
    city_headline,
    district_population,
    population_by_year,
    population_pyramid,
    with_district,
)

M1, M2, M3, M_UNKNOWN = "523415951", "523415952", "523415953", "523415954"


def _population(rows: list[tuple[int, str, str, int, int]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["fiscal_year", "mesh_code", "sex", "age", "population"])
    return df.astype({"fiscal_year": "int32", "age": "int32", "population": "int32"})


# ----------------------------------------------------------------------------- city A: 2 districts, 3 meshes
#
#   meshes: M1, M2 → D1;  M3 → D2
#
#   FY2025                          FY2026
#   M1  M   3  10                   M1  M   4   8
#   M1  F  40  20                   M1  F  41  22
#   M2  F  70  30                   M2  M  14   2   (14: still 0–14)
#   M3  M  10   5                   M2  M  15   4   (15: first of 15–64)
#   M3  F  65  15   (65: first 65+) M2  F  71  28
#                                   M3  M  64   6   (64: last of 15–64)
#                                   M3  F  66  14
#                                   M3  F 100   1   (100 = 100 and over)


def _meshes_a() -> pd.DataFrame:
    return pd.DataFrame({"mesh_code": [M1, M2, M3], "district_id": ["D1", "D1", "D2"]})


def _population_a() -> pd.DataFrame:
    return _population([
        (2025, M1, "M", 3, 10), (2025, M1, "F", 40, 20), (2025, M2, "F", 70, 30),
        (2025, M3, "M", 10, 5), (2025, M3, "F", 65, 15),
        (2026, M1, "M", 4, 8), (2026, M1, "F", 41, 22), (2026, M2, "M", 14, 2), (2026, M2, "M", 15, 4),
        (2026, M2, "F", 71, 28), (2026, M3, "M", 64, 6), (2026, M3, "F", 66, 14), (2026, M3, "F", 100, 1),
    ])


# Population change, district × fiscal year (FY2023–FY2025):
#            births deaths in out net
#   D1 2023    12     3    5   5   0
#   D2 2023     8     6    3   4  -1
#   D1 2024    10     4    7   3   4
#   D2 2024     5     6    2   5  -3
#   D1 2025     8     5    6   6   0
#   D2 2025     4     7    1   4  -3
def _change() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("D1", 2023, 12, 3, 5, 5, 0), ("D2", 2023, 8, 6, 3, 4, -1),
            ("D1", 2024, 10, 4, 7, 3, 4), ("D2", 2024, 5, 6, 2, 5, -3),
            ("D1", 2025, 8, 5, 6, 6, 0), ("D2", 2025, 4, 7, 1, 4, -3),
        ],
        columns=["district_id", "fiscal_year", "births", "deaths", "moved_in", "moved_out", "net_migration"],
    )


# ----------------------------------------------------------------------------- population_by_year


def test_population_by_year_age_groups_and_ageing_rate() -> None:
    out = population_by_year(_population_a())
    assert list(out.columns) == ["fiscal_year", "population", "age_0_14", "age_15_64", "age_65_plus", "ageing_rate"]
    assert out["fiscal_year"].tolist() == [2025, 2026]
    # FY2025: 0–14 = 10 + 5 = 15; 15–64 = 20; 65+ = 30 + 15 = 45; all = 80; rate 45/80 = 0.5625
    # FY2026: 0–14 = 8 + 2 = 10; 15–64 = 22 + 4 + 6 = 32; 65+ = 28 + 14 + 1 = 43; all = 85; rate 43/85
    assert out["age_0_14"].tolist() == [15, 10]
    assert out["age_15_64"].tolist() == [20, 32]
    assert out["age_65_plus"].tolist() == [45, 43]
    assert out["population"].tolist() == [80, 85]
    assert out["ageing_rate"].tolist() == pytest.approx([0.5625, 43 / 85])


def test_population_by_year_counts_an_absent_group_as_zero() -> None:
    # Only 65+ residents: 0–14 and 15–64 are 0, ageing rate 7/7 = 1.
    out = population_by_year(_population([(2026, M1, "F", 80, 7)]))
    assert out[["population", "age_0_14", "age_15_64", "age_65_plus"]].iloc[0].tolist() == [7, 0, 0, 7]
    assert out["ageing_rate"].iloc[0] == 1.0


# ----------------------------------------------------------------------------- district_population


def test_district_population_latest_year_with_change_since_first() -> None:
    out = district_population(_population_a(), _meshes_a()).set_index("district_id")
    assert sorted(out.index) == ["D1", "D2"]
    assert (out["fiscal_year"] == 2026).all()
    # D1 FY2026 (M1 + M2): 0–14 = 8 + 2 = 10; 15–64 = 22 + 4 = 26; 65+ = 28; all 64; rate 28/64 = 0.4375
    # D2 FY2026 (M3):      0–14 = 0;        15–64 = 6;           65+ = 14 + 1 = 15; all 21; rate 15/21
    assert out.loc["D1", ["population", "age_0_14", "age_15_64", "age_65_plus"]].tolist() == [64, 10, 26, 28]
    assert out.loc["D2", ["population", "age_0_14", "age_15_64", "age_65_plus"]].tolist() == [21, 0, 6, 15]
    assert out.loc["D1", "ageing_rate"] == pytest.approx(0.4375)
    assert out.loc["D2", "ageing_rate"] == pytest.approx(15 / 21)
    # FY2025: D1 = 10 + 20 + 30 = 60, D2 = 5 + 15 = 20
    # change: D1 (64/60 − 1) × 100 = 6.666…%, D2 (21/20 − 1) × 100 = 5%
    assert out.loc["D1", "change_pct"] == pytest.approx(100 * 4 / 60)
    assert out.loc["D2", "change_pct"] == pytest.approx(5.0)


def test_district_population_of_the_first_year_has_no_change() -> None:
    out = district_population(_population_a(), _meshes_a(), fiscal_year=2025).set_index("district_id")
    # D1 FY2025: 0–14 10, 15–64 20, 65+ 30 → 60, rate 0.5; D2: 5, 0, 15 → 20, rate 0.75
    assert out.loc["D1", ["population", "age_0_14", "age_15_64", "age_65_plus"]].tolist() == [60, 10, 20, 30]
    assert out.loc["D2", ["population", "age_0_14", "age_15_64", "age_65_plus"]].tolist() == [20, 5, 0, 15]
    assert out["ageing_rate"].tolist() == pytest.approx([0.5, 0.75])
    assert out["change_pct"].tolist() == pytest.approx([0.0, 0.0])
    assert (out["fiscal_year"] == 2025).all()


def test_district_population_drops_meshes_without_a_district() -> None:
    extra = _population([(2025, M_UNKNOWN, "M", 30, 1000), (2026, M_UNKNOWN, "F", 30, 50)])
    pop = pd.concat([_population_a(), extra], ignore_index=True)
    joined = with_district(pop, _meshes_a())
    assert M_UNKNOWN not in set(joined["mesh_code"])
    assert len(joined) == len(_population_a())  # 13 rows of known meshes
    out = district_population(pop, _meshes_a()).set_index("district_id")
    # Same as without the unknown mesh: D1 64, D2 21 (the 50 and the 1,000 are nowhere).
    assert sorted(out.index) == ["D1", "D2"]
    assert out["population"].tolist() == [64, 21]
    assert out.loc["D1", "change_pct"] == pytest.approx(100 * 4 / 60)


def test_district_population_rejects_a_missing_year() -> None:
    with pytest.raises(ValueError, match="2024"):
        district_population(_population_a(), _meshes_a(), fiscal_year=2024)


# ----------------------------------------------------------------------------- population_pyramid


def test_population_pyramid_five_year_bands_with_open_top_band() -> None:
    out = population_pyramid(_population_a(), 2026)
    assert list(out.columns) == ["age_band", "age_start", "M", "F"]
    # Oldest resident is 100 → bands 0, 5, …, 100: 21 rows, the last labelled "100+".
    assert out["age_start"].tolist() == list(range(0, 101, 5))
    assert out["age_band"].iloc[0] == "0-4" and out["age_band"].iloc[1] == "5-9"
    assert out["age_band"].iloc[-2] == "95-99"
    assert out["age_band"].iloc[-1] == "100+"
    t = out.set_index("age_band")
    # FY2026: M 4→0-4 (8); M 14→10-14 (2); M 15→15-19 (4); F 41→40-44 (22); M 64→60-64 (6);
    #         F 66→65-69 (14); F 71→70-74 (28); F 100→100+ (1)
    expected = {"0-4": (8, 0), "10-14": (2, 0), "15-19": (4, 0), "40-44": (0, 22), "60-64": (6, 0),
                "65-69": (0, 14), "70-74": (0, 28), "100+": (0, 1)}
    for band, (m, f) in expected.items():
        assert (t.loc[band, "M"], t.loc[band, "F"]) == (m, f), band
    others = t.drop(index=list(expected))
    assert len(others) == 21 - 8
    assert (others[["M", "F"]] == 0).all().all()  # empty bands are present as zeros
    assert t[["M", "F"]].to_numpy().sum() == 85


def test_population_pyramid_only_the_band_starting_at_100_is_open() -> None:
    # FY2025's oldest is 70 → bands 0 … 70 (15 rows), the last a closed "70-74".
    out = population_pyramid(_population_a(), 2025)
    assert out["age_start"].tolist() == list(range(0, 71, 5))
    assert out["age_band"].iloc[-1] == "70-74"
    assert "100+" not in set(out["age_band"])
    t = out.set_index("age_band")
    # M 3 → 0-4 (10); F 40 → 40-44 (20); M 10 → 10-14 (5); F 65 → 65-69 (15); F 70 → 70-74 (30)
    assert (t.loc["0-4", "M"], t.loc["10-14", "M"], t.loc["40-44", "F"], t.loc["65-69", "F"], t.loc["70-74", "F"]) == (10, 5, 20, 15, 30)
    assert t[["M", "F"]].to_numpy().sum() == 80


def test_population_pyramid_ten_year_bands() -> None:
    out = population_pyramid(_population_a(), 2026, band=10).set_index("age_band")
    # 0-9: M 8; 10-19: M 2 + 4 = 6; 40-49: F 22; 60-69: M 6, F 14; 70-79: F 28; 100+: F 1
    assert list(out.index) == ["0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90-99", "100+"]
    assert out["M"].tolist() == [8, 6, 0, 0, 0, 0, 6, 0, 0, 0, 0]
    assert out["F"].tolist() == [0, 0, 0, 0, 22, 0, 14, 28, 0, 0, 1]


# ----------------------------------------------------------------------------- change_by_year


def test_change_by_year_totals_natural_change_and_births_trend() -> None:
    out = change_by_year(_change()).set_index("fiscal_year")
    assert list(out.index) == [2023, 2024, 2025]
    # City totals: 2023 births 12+8=20, deaths 3+6=9,  in 5+3=8, out 5+4=9,  net 0−1=−1
    #              2024 births 10+5=15, deaths 4+6=10, in 7+2=9, out 3+5=8,  net 4−3=1
    #              2025 births  8+4=12, deaths 5+7=12, in 6+1=7, out 6+4=10, net 0−3=−3
    assert out["births"].tolist() == [20, 15, 12]
    assert out["deaths"].tolist() == [9, 10, 12]
    assert out["moved_in"].tolist() == [8, 9, 7]
    assert out["moved_out"].tolist() == [9, 8, 10]
    assert out["net_migration"].tolist() == [-1, 1, -3]
    # Natural change = births − deaths: 20−9 = 11, 15−10 = 5, 12−12 = 0
    assert out["natural_change"].tolist() == [11, 5, 0]
    # Births vs the previous year: none for the first; (15/20 − 1) × 100 = −25; (12/15 − 1) × 100 = −20
    assert math.isnan(out.loc[2023, "births_change_pct"])
    assert out.loc[2024, "births_change_pct"] == pytest.approx(-25.0)
    assert out.loc[2025, "births_change_pct"] == pytest.approx(-20.0)


# ----------------------------------------------------------------------------- city_headline


def test_city_headline_every_field() -> None:
    h = city_headline(_population_a(), _change())
    assert isinstance(h, CityHeadline)
    assert h.fiscal_year == 2026
    assert h.first_fiscal_year == 2025
    assert h.population == 85
    # (85/80 − 1) × 100 = 6.25
    assert h.population_change_pct == pytest.approx(6.25)
    # 43/85 = 0.50588…; (43/85 − 45/80) × 100 = (0.505882 − 0.5625) × 100 = −5.6618 points
    assert h.ageing_rate == pytest.approx(43 / 85)
    assert h.ageing_rate_change_pt == pytest.approx((43 / 85 - 0.5625) * 100)
    assert h.ageing_rate_change_pt == pytest.approx(-5.6618, abs=1e-4)
    assert h.births_fiscal_year == 2025
    assert h.births == 12
    assert h.births_change_pct == pytest.approx(-20.0)  # 12 vs 15
    assert h.births_first_fiscal_year == 2023
    assert h.births_change_since_first_pct == pytest.approx(-40.0)  # (12/20 − 1) × 100
    assert isinstance(h.population, int) and isinstance(h.births, int)
