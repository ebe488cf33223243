"""Tests for analytics.release: suppressed aggregate tables and Excel-safe CSV.

Known answers are worked out by hand in the comments (threshold 10: counts 1–9 are
primary suppressions "<10"; complementary ones are "χ"; zeros and larger counts show).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from analytics.release import csv_bytes, neutralise_formulas, population_change_release, population_release, release_table
from analytics.schemas import SCHEMAS
from analytics.synth import generate_city

T = "合計"
NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*")


def _number(label: str) -> int | None:
    """The count a released cell shows, or None if it shows no number ("<10", "χ")."""
    return int(label.replace(",", "")) if NUMBER.fullmatch(label) else None


@pytest.fixture(scope="module")
def city() -> dict[str, pd.DataFrame]:
    return generate_city(scale=0.25).datasets


# ----------------------------------------------------------------------------- population, by hand


def _small_population() -> tuple[pd.DataFrame, pd.DataFrame]:
    meshes = pd.DataFrame({"mesh_code": ["523415951", "523415952", "523415961"], "district_id": ["D001", "D001", "D002"]})
    population = pd.DataFrame(
        {
            "fiscal_year": [2026] * 7,
            "mesh_code": ["523415951", "523415952", "523415951", "523415952", "523415961", "523415961", "999999999"],
            "sex": ["F"] * 7,
            "age": [0, 4, 5, 9, 3, 6, 1],
            "population": [1, 2, 700, 500, 5, 2500, 40],  # the last mesh is in no district: dropped
        }
    )
    return population, meshes


def test_population_release_known_answer() -> None:
    # district × age band (F, FY2026):
    #            0-4    5-9 | 合計
    #   D001       3   1200 | 1203
    #   D002       5   2500 | 2505
    #   合計       8   3700 | 3708
    # Primary: 3, 5 and the column total 8 (all < 10). Row D001 then has one hidden
    # member (3) → partner 1200; row D002 → partner 2500; the totals row has one
    # hidden (8) → partner 3700. Column 5-9 now has 3 hidden; column 合計 none.
    population, meshes = _small_population()
    out = population_release(population, meshes)
    assert list(out.columns) == ["fiscal_year", "district_id", "sex", "age_band", "population"]
    got = list(out.itertuples(index=False, name=None))
    assert got == [
        (2026, "D001", "F", "0-4", "<10"),
        (2026, "D001", "F", "5-9", "χ"),
        (2026, "D001", "F", T, "1,203"),
        (2026, "D002", "F", "0-4", "<10"),
        (2026, "D002", "F", "5-9", "χ"),
        (2026, "D002", "F", T, "2,505"),
        (2026, T, "F", "0-4", "<10"),
        (2026, T, "F", "5-9", "χ"),
        (2026, T, "F", T, "3,708"),
    ]


def test_population_release_without_small_counts_shows_everything() -> None:
    # Same shape, no count below 10: every cell is a number; totals add up.
    population, meshes = _small_population()
    population = population.assign(population=[10, 20, 700, 500, 15, 2500, 40])
    out = population_release(population, meshes)
    cells = {(d, b): p for d, b, p in zip(out["district_id"], out["age_band"], out["population"])}
    assert cells == {
        ("D001", "0-4"): "30", ("D001", "5-9"): "1,200", ("D001", T): "1,230",
        ("D002", "0-4"): "15", ("D002", "5-9"): "2,500", ("D002", T): "2,515",
        (T, "0-4"): "45", (T, "5-9"): "3,700", (T, T): "3,745",
    }


def test_population_release_threshold_is_applied() -> None:
    # With threshold 3 only the 1+2 = 3 cell is not small any more; 5 and 8 are shown too.
    population, meshes = _small_population()
    out = population_release(population, meshes, threshold=3)
    assert out["population"].tolist() == ["3", "1,200", "1,203", "5", "2,500", "2,505", "8", "3,700", "3,708"]


# ----------------------------------------------------------------------------- population change, by hand


def _small_change() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "district_id": ["D001", "D001", "D002", "D002"],
            "fiscal_year": [2024, 2025, 2024, 2025],
            "births": [50, 60, 70, 80],
            "deaths": [30, 40, 20, 25],
            "moved_in": [100, 120, 200, 220],
            "moved_out": [4, 90, 150, 160],
            "net_migration": [96, 30, 50, 60],
        }
    )


def test_population_change_release_known_answer() -> None:
    # moved_out, district × year:
    #            2024  2025 | 合計
    #   D001        4    90 |   94
    #   D002      150   160 |  310
    #   合計      154   250 |  404
    # Primary 4 → row D001 partner 90; column 2024 partner 150; column 2025 partner 160.
    # Row D002 then has 2 hidden: stable. The totals stay shown.
    # net_migration is hidden wherever moved_in or moved_out is; elsewhere in − out
    # (D001 total 220 − 94 = 126, D002 total 420 − 310 = 110, totals 146, 90, 236).
    out = population_change_release(_small_change())
    assert list(out.columns) == ["district_id", "fiscal_year", "births", "deaths", "moved_in", "moved_out", "net_migration"]
    expected = pd.DataFrame(
        [
            ("D001", "2024", "50", "30", "100", "<10", "χ"),
            ("D001", "2025", "60", "40", "120", "χ", "χ"),
            ("D001", T, "110", "70", "220", "94", "126"),
            ("D002", "2024", "70", "20", "200", "χ", "χ"),
            ("D002", "2025", "80", "25", "220", "χ", "χ"),
            ("D002", T, "150", "45", "420", "310", "110"),
            (T, "2024", "120", "50", "300", "154", "146"),
            (T, "2025", "140", "65", "340", "250", "90"),
            (T, T, "260", "115", "640", "404", "236"),
        ],
        columns=out.columns,
    )
    assert [tuple(map(str, r)) for r in out.itertuples(index=False, name=None)] == list(expected.itertuples(index=False, name=None))


def test_negative_net_migration_keeps_its_sign_and_separator() -> None:
    change = _small_change().assign(moved_out=[1100, 90, 150, 160], net_migration=[-1000, 30, 50, 60])
    out = population_change_release(change).set_index(["district_id", "fiscal_year"])
    assert out.loc[("D001", "2024"), "moved_out"] == "1,100"
    assert out.loc[("D001", "2024"), "net_migration"] == "-1,000"
    assert out.loc[("D001", T), "net_migration"] == "-970"  # 220 − 1,190


# ----------------------------------------------------------------------------- the synthetic city


def _count_columns(name: str) -> list[str]:
    """The released columns that count persons (net migration is a difference, not a count)."""
    return ["population"] if name == "population" else list(SCHEMAS[name].person_counts)


@pytest.mark.parametrize("name", ["population", "population_change"])
def test_no_released_count_is_small(city, name: str) -> None:
    out = release_table(name, city)
    labels = pd.concat([out[c] for c in _count_columns(name)], ignore_index=True)
    numbers = [(lab, _number(lab)) for lab in labels]
    unparsed = {lab for lab, n in numbers if n is None} - {"<10", "χ"}
    assert not unparsed, f"cells that are neither a number, '<10' nor 'χ': {sorted(unparsed)[:10]}"
    small = [lab for lab, n in numbers if n is not None and 0 < n < 10]
    assert not small, f"released counts below 10: {small[:10]}"
    assert all(n >= 0 for _, n in numbers if n is not None)
    if name == "population":
        # the city at this scale has small cells (e.g. very old ages): the check is not vacuous
        assert (labels == "<10").any() and (labels == "χ").any()


def test_small_counts_stay_hidden_at_a_higher_threshold(city) -> None:
    out = release_table("population_change", city, threshold=200)
    for c in SCHEMAS["population_change"].person_counts:
        shown = [n for n in map(_number, out[c]) if n is not None]
        assert not [n for n in shown if 0 < n < 200], c
    assert (out["births"] == "<200").any()


def test_population_release_totals_match_the_city(city) -> None:
    out = release_table("population", city)
    grand = out[(out["district_id"] == T) & (out["age_band"] == T)]
    pop = city["population"]
    for (fy, sex), part in pop.groupby(["fiscal_year", "sex"]):
        row = grand[(grand["fiscal_year"] == fy) & (grand["sex"] == sex)]
        assert len(row) == 1
        assert _number(row["population"].iloc[0]) == int(part["population"].sum())


def test_net_migration_hidden_where_moves_are_hidden(city) -> None:
    for change in (city["population_change"], _small_change()):
        out = population_change_release(change)
        hidden = out["moved_in"].map(_number).isna() | out["moved_out"].map(_number).isna()
        assert (out.loc[hidden, "net_migration"] == "χ").all()
        shown = out.loc[~hidden]
        expected = shown["moved_in"].map(_number) - shown["moved_out"].map(_number)
        assert shown["net_migration"].map(_number).tolist() == expected.tolist()
    assert hidden.any()  # the hand-made table has hidden moves


def test_release_of_districts_and_meshes(city) -> None:
    districts = release_table("districts", city)
    assert "geometry" not in districts.columns
    assert type(districts) is pd.DataFrame
    assert list(districts.columns) == [c for c in SCHEMAS["districts"].column_names if c != "geometry"]
    assert len(districts) == len(city["districts"])

    meshes = release_table("meshes", city)
    every_count = {c for s in SCHEMAS.values() for c in s.person_counts}
    assert not every_count & set(meshes.columns)
    assert list(meshes.columns) == ["mesh_code", "district_id"]


def test_release_table_rejects_unknown_names_and_bad_thresholds(city) -> None:
    with pytest.raises(KeyError):
        release_table("nope", city)
    with pytest.raises(ValueError):
        release_table("population_change", city, threshold=2)
    with pytest.raises(ValueError):
        release_table("districts", city, threshold=2)  # checked before any dataset


# ----------------------------------------------------------------------------- CSV


def test_neutralise_formulas() -> None:
    df = pd.DataFrame(
        {
            "text": ["=SUM(A1)", "+1", "@x", "\tx", "-x", "-12", "-1,234", "中央", "\rx", None],
            "n": [-5, -1234, 0, 1, 2, 3, 4, 5, 6, 7],
            "f": [-1.5, 0.0, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, np.nan],
        }
    )
    out = neutralise_formulas(df)
    assert out["text"].tolist()[:9] == ["'=SUM(A1)", "'+1", "'@x", "'\tx", "'-x", "-12", "-1,234", "中央", "'\rx"]
    assert pd.isna(out["text"].iloc[9])  # missing stays missing
    pd.testing.assert_series_equal(out["n"], df["n"])
    pd.testing.assert_series_equal(out["f"], df["f"])
    assert df["text"].iloc[0] == "=SUM(A1)"  # the input is not modified


def test_csv_bytes_has_bom_and_round_trips_japanese() -> None:
    df = pd.DataFrame({"地区名": ["中央小学校区", "=北"], "人口": ["1,234", "<10"], "年度": [2026, 2026]})
    data = csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    assert not data.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == ["地区名", "人口", "年度"]
    assert back["地区名"].tolist() == ["中央小学校区", "'=北"]
    assert back["人口"].tolist() == ["1,234", "<10"]
    assert back["年度"].tolist() == ["2026", "2026"]
