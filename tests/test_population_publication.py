"""Tests of the population domain's publication blocks, its downloads, the home-page overview
and Excel-safe CSV.

Known answers are worked out by hand in the comments (threshold 10: counts 1–9 are
primary suppressions "<10"; complementary ones are "χ"; zeros and larger counts show).
"""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analytics import registry
from analytics.city import (
    change_download,
    population_download,
    population_table,
    population_years,
)
from analytics.city import city_overview as _city_overview
from analytics.core import privacy
from analytics.core.downloads import csv_bytes, neutralise_formulas
from analytics.core.testing import assert_no_disclosure
from analytics.synth import generate_city

SCHEMAS = {name: registry.contract(name) for name in registry.names()}


_PUBLISHED: dict = {}


def _publish(data, threshold):
    """registry.publish, once per data and threshold in this module (the rule takes seconds on a city)."""
    key = (tuple((k, id(v)) for k, v in sorted(data.items())), threshold)
    if key not in _PUBLISHED:
        _PUBLISHED[key] = (registry.publish(data, threshold), list(data.values()))  # keep the frames alive
    return _PUBLISHED[key][0]


def publications(population, meshes, population_change=None, threshold=privacy.DEFAULT_THRESHOLD, districts=None):
    """The app's one publication of these datasets."""
    data = {"population": population, "meshes": meshes}
    if population_change is not None:
        data["population_change"] = population_change
    if districts is not None:
        data["districts"] = districts
    return _publish(data, threshold)


def population_release(population, meshes, threshold=privacy.DEFAULT_THRESHOLD, total_label="合計",
                       population_change=None):
    return population_download(publications(population, meshes, population_change, threshold), total_label)


def population_change_release(population_change, threshold=privacy.DEFAULT_THRESHOLD, total_label="合計",
                              population=None, meshes=None):
    data = {"population_change": population_change}
    if population is not None:
        data.update(population=population, meshes=meshes)
    return change_download(_publish(data, threshold), total_label)


def release_table(name, data, threshold=privacy.DEFAULT_THRESHOLD, total_label="合計"):
    return registry.download_tables(data, _publish(data, threshold), total_label)[name]


def release_tables(data, threshold=privacy.DEFAULT_THRESHOLD, total_label="合計"):
    return registry.download_tables(data, _publish(data, threshold), total_label)


def _year(pub, fy):
    """One fiscal year's population tables as attributes (cells, district_sex, …)."""
    parts = ("cells", "district_sex", "band_sex", "sex", "district_group", "district", "group", "city")
    axes = pub.axes(population_table(fy, "cells"))
    return SimpleNamespace(districts=axes["district_id"], bands=axes["age_band"],
                           **{p: pub.get(population_table(fy, p)) for p in parts})


def _change(pub):
    axes = pub.axes("population_change/cells")
    parts = ("cells", "district_total", "year_total", "grand_total")
    return SimpleNamespace(districts=axes["district_id"], fiscal_years=axes["fiscal_year"],
                           **{p: pub.get(f"population_change/{p}") for p in parts})


def population_publication(population, meshes, fiscal_year, threshold=privacy.DEFAULT_THRESHOLD):
    one = population[population["fiscal_year"] == fiscal_year]
    return _year(publications(one, meshes, None, threshold), fiscal_year)


def change_publication(population_change, threshold=privacy.DEFAULT_THRESHOLD):
    return _change(_publish({"population_change": population_change}, threshold))


def city_overview(population, change, meshes, districts, threshold=privacy.DEFAULT_THRESHOLD):
    return _city_overview(publications(population, meshes, change, threshold, districts), districts)

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
    meshes = pd.DataFrame({"mesh_code": ["523415951", "523415952", "523415961"],
                           "district_id": ["D001", "D001", "D002"]})
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


# The documented shape: 5-year bands 0-4 … 95-99 and an open last band 100+ (21 bands),
# then the district total column 合計; per fiscal year and sex (M first, then F) the
# districts in order and the 合計 row.
BANDS = [f"{a}-{a + 4}" for a in range(0, 100, 5)] + ["100+"]


def _release_rows(fy: int, by_sex: dict[str, dict[str, dict[str, str]]]) -> list[tuple]:
    """Expected release rows; every (district, band) not listed in ``by_sex`` shows "0"."""
    rows = []
    for sex in ("M", "F"):
        for district in ("D001", "D002", T):
            for band in BANDS + [T]:
                rows.append((fy, district, sex, band, by_sex.get(sex, {}).get(district, {}).get(band, "0")))
    return rows


@pytest.mark.fast
def test_population_release_known_answer() -> None:
    # Only women (F), FY2026; the mesh 999999999 is in no district and is dropped (40).
    # D001 = meshes …951 + …952: ages 0 (1) and 4 (2) → band 0-4 = 3; ages 5 (700) and
    # 9 (500) → band 5-9 = 1200. D002 = mesh …961: age 3 (5) → 0-4 = 5; age 6 → 5-9 = 2500.
    # Every count of men is 0, every other band is 0.
    #
    # Published counts (all suppressed together):
    #   cells (F)       0-4    5-9 | district×sex total
    #     D001            3   1200 | 1203
    #     D002            5   2500 | 2505
    #     band×sex (F)    8   3700 | sex F 3708        (men: all 0, sex M 0)
    #   district × broad age group, both sexes: D001 0–14 = 1203, D002 0–14 = 2505, others 0
    #   district totals 1203, 2505; group totals 0–14 = 3708, 15–64 = 0, 65+ = 0; city 3708.
    # Primary (0 < x < 10): D001 F 0-4 = 3, D002 F 0-4 = 5, city band 0-4 F = 8.
    # Each small count must stay as uncertain as its label allows. With 3, 5, 8, 1200, 2500
    # and 3700 hidden a reader has, for the women: a + u = 1,203, b + v = 2,505, a + b = c,
    # u + v = w, c + w = 3,708 with a, b, c in 1–9 and u, v, w ≥ 10. So a can be 1 … 8: all its
    # label allows inside the small total c (a ≤ 9 − b, b ≥ 1); likewise b; c can be 2 … 9.
    # Hiding fewer leaves one of them pinned (e.g. 1,203 − 1,200 = 3).
    # So 3, 5, 8 show "<10"; 1200, 2500, 3700 show "χ"; all totals and zeros are shown.
    population, meshes = _small_population()
    out = population_release(population, meshes)
    assert list(out.columns) == ["fiscal_year", "district_id", "sex", "age_band", "population"]
    got = list(out.itertuples(index=False, name=None))
    assert got == _release_rows(2026, {"F": {
        "D001": {"0-4": "<10", "5-9": "χ", T: "1,203"},
        "D002": {"0-4": "<10", "5-9": "χ", T: "2,505"},
        T: {"0-4": "<10", "5-9": "χ", T: "3,708"},
    }})


@pytest.mark.fast
def test_population_release_without_small_counts_shows_everything() -> None:
    # Same shape, no count below 10 (D001 0-4 = 10 + 20 = 30, D002 0-4 = 15): no primary,
    # so no secondary either: every cell is its number; totals add up; men all 0.
    population, meshes = _small_population()
    population = population.assign(population=[10, 20, 700, 500, 15, 2500, 40])
    out = population_release(population, meshes)
    assert list(out.itertuples(index=False, name=None)) == _release_rows(2026, {"F": {
        "D001": {"0-4": "30", "5-9": "1,200", T: "1,230"},
        "D002": {"0-4": "15", "5-9": "2,500", T: "2,515"},
        T: {"0-4": "45", "5-9": "3,700", T: "3,745"},
    }})


@pytest.mark.fast
def test_population_release_threshold_is_applied() -> None:
    # With threshold 3 the counts 3, 5 and 8 are not small (3 ≤ x); the raw 1 and 2 are
    # never published alone (they are summed into band 0-4 = 3). Nothing is hidden.
    population, meshes = _small_population()
    out = population_release(population, meshes, threshold=3)
    assert list(out.itertuples(index=False, name=None)) == _release_rows(2026, {"F": {
        "D001": {"0-4": "3", "5-9": "1,200", T: "1,203"},
        "D002": {"0-4": "5", "5-9": "2,500", T: "2,505"},
        T: {"0-4": "8", "5-9": "3,700", T: "3,708"},
    }})


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


@pytest.mark.fast
def test_population_change_release_known_answer() -> None:
    # Each measure, district × year with totals:
    #   births     2024 2025 | 合計     deaths    2024 2025 | 合計
    #     D001       50   60 |  110       D001      30   40 |   70
    #     D002       70   80 |  150       D002      20   25 |   45
    #     合計      120  140 |  260       合計      50   65 |  115
    #   moved_in   2024 2025 | 合計     moved_out 2024 2025 | 合計
    #     D001      100  120 |  220       D001       4   90 |   94
    #     D002      200  220 |  420       D002     150  160 |  310
    #     合計      300  340 |  640       合計     154  250 |  404
    # Plus the balance lines births − deaths + moved_in − moved_out = Δ residents (Δ known
    # from the population) for each district-year, city-year, district all-years and the
    # city: members are the four measures, the total is published elsewhere.
    # Primary: moved_out D001 2024 = 4 (only count < 10).
    # The 4 must be free to be 1 … 9. Moving it by d moves its row partner (90 − d), its column
    # partner (150 − d) and, to keep D002's row, 160 + d; and each district-year balance
    # (Δ known) through them moves one more count the other way, the cheapest that can: the
    # deaths (30 − d, 40 + d, 20 + d, 25 − d; log-cost per person). Every total stays; d runs
    # from −3 to +5 with every χ still ≥ 10. So moved_out D001 2024 "<10", the other three
    # moved_out cells and all four deaths cells "χ"; every total is shown.
    # net_migration is hidden ("χ") wherever moved_in or moved_out is; elsewhere in − out
    # (D001 total 220 − 94 = 126, D002 total 420 − 310 = 110, totals 146, 90, 236).
    # fiscal_year is text: "2024", "2025" and "合計".
    out = population_change_release(_small_change())
    assert list(out.columns) == ["district_id", "fiscal_year", "births", "deaths", "moved_in", "moved_out",
                                 "net_migration"]
    assert out["fiscal_year"].map(type).eq(str).all()
    expected = [
        ("D001", "2024", "50", "χ", "100", "<10", "χ"),
        ("D001", "2025", "60", "χ", "120", "χ", "χ"),
        ("D001", T, "110", "70", "220", "94", "126"),
        ("D002", "2024", "70", "χ", "200", "χ", "χ"),
        ("D002", "2025", "80", "χ", "220", "χ", "χ"),
        ("D002", T, "150", "45", "420", "310", "110"),
        (T, "2024", "120", "50", "300", "154", "146"),
        (T, "2025", "140", "65", "340", "250", "90"),
        (T, T, "260", "115", "640", "404", "236"),
    ]
    assert list(out.itertuples(index=False, name=None)) == expected


@pytest.mark.fast
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
    out = release_table("population_change", {"population_change": city["population_change"]}, threshold=200)
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


@pytest.mark.fast
def test_net_migration_hidden_where_moves_are_hidden(city) -> None:
    for change in (city["population_change"], _small_change()):
        out = population_change_release(change)
        hidden = out["moved_in"].map(_number).isna() | out["moved_out"].map(_number).isna()
        assert (out.loc[hidden, "net_migration"] == "χ").all()
        shown = out.loc[~hidden]
        expected = shown["moved_in"].map(_number) - shown["moved_out"].map(_number)
        assert shown["net_migration"].map(_number).tolist() == expected.tolist()
    assert hidden.any()  # the hand-made table has hidden moves


@pytest.mark.fast
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


@pytest.mark.fast
def test_release_table_rejects_unknown_names_and_bad_thresholds(city) -> None:
    with pytest.raises(KeyError):
        release_table("nope", city)
    with pytest.raises(ValueError):
        release_table("population_change", city, threshold=2)
    with pytest.raises(ValueError):
        release_table("districts", city, threshold=2)  # checked before any dataset


# ----------------------------------------------------------------------------- publications: attacker


KNOWN = 0.0  # stands for a total that the reader knows from elsewhere (the balance's Δ)


def _single_unknowns(lines: list[tuple[str, np.ndarray, float]]) -> list[str]:
    """Independent attacker: every line ``Σ members = total`` (signs do not matter) where
    exactly one count is unknown (NaN) — that count is then ``total − Σ shown``. Lines
    with nothing unknown must add up (checks the reader's equations are true)."""
    leaks = []
    for name, members, total in lines:
        members = np.asarray(members, dtype=float).ravel()
        n_unknown = int(np.isnan(members).sum()) + int(np.isnan(total))
        if n_unknown == 1:
            leaks.append(name)
        elif n_unknown == 0 and total is not KNOWN:
            assert members.sum() == total, name
    return leaks


def _age_group_of_bands(bands: tuple[str, ...]) -> np.ndarray:
    """0 = 0–14, 1 = 15–64, 2 = 65+ (national convention) from each band's first age."""
    first = np.array([int(b.split("-")[0].rstrip("+")) for b in bands])
    return np.where(first <= 14, 0, np.where(first <= 64, 1, 2))


def _population_lines(pub) -> list[tuple[str, np.ndarray, float]]:
    """Every linear relation a reader can write between the shown population counts,
    written from the meaning of the fields (not from the module's line list)."""
    cells, ds, bs, sex = pub.cells.value, pub.district_sex.value, pub.band_sex.value, pub.sex.value
    dg, d_tot, g_tot, city = pub.district_group.value, pub.district.value, pub.group.value, pub.city.value[0]
    group = _age_group_of_bands(pub.bands)
    assert group.tolist().count(0) == 3 and group.tolist().count(1) == 10 and group.tolist().count(2) == 8
    lines = []
    for d, name in enumerate(pub.districts):
        for s in range(2):
            lines.append((f"{name} sex {s}: Σ bands", cells[d, s, :], ds[d, s]))
        for g in range(3):
            lines.append((f"{name} group {g}: Σ sexes × bands", cells[d][:, group == g], dg[d, g]))
        lines.append((f"{name}: Σ groups", dg[d], d_tot[d]))
        lines.append((f"{name}: M + F", ds[d], d_tot[d]))
        lines.append((f"{name}: Σ all cells", cells[d], d_tot[d]))
    for b, band in enumerate(pub.bands):
        for s in range(2):
            lines.append((f"band {band} sex {s}: Σ districts", cells[:, s, b], bs[b, s]))
    for s in range(2):
        lines.append((f"sex {s}: Σ bands", bs[:, s], sex[s]))
        lines.append((f"sex {s}: Σ districts", ds[:, s], sex[s]))
        lines.append((f"sex {s}: Σ cells", cells[:, s, :], sex[s]))
    for g in range(3):
        lines.append((f"group {g}: Σ districts", dg[:, g], g_tot[g]))
        lines.append((f"group {g}: Σ pyramid bands", bs[group == g, :], g_tot[g]))
        lines.append((f"group {g}: Σ cells", cells[:, :, group == g], g_tot[g]))
    lines += [
        ("city: Σ districts", d_tot, city), ("city: Σ groups", g_tot, city), ("city: M + F", sex, city),
        ("city: Σ pyramid", bs, city), ("city: Σ district×sex", ds, city),
        ("city: Σ district×group", dg, city), ("city: Σ cells", cells, city),
    ]
    return lines


def _change_lines(pub) -> list[tuple[str, np.ndarray, float]]:
    """Row / column / grand totals of each measure and the balance
    births − deaths + moved_in − moved_out = Δ residents (Δ known from the population)."""
    cells, dt, yt, grand = pub.cells.value, pub.district_total.value, pub.year_total.value, pub.grand_total.value
    n_m, n_d, n_y = cells.shape
    lines = []
    for m in range(n_m):
        lines += [(f"m{m} {pub.districts[d]}: Σ years", cells[m, d], dt[m, d]) for d in range(n_d)]
        lines += [(f"m{m} {pub.fiscal_years[y]}: Σ districts", cells[m, :, y], yt[m, y]) for y in range(n_y)]
        lines += [(f"m{m}: Σ district totals", dt[m], grand[m]), (f"m{m}: Σ year totals", yt[m], grand[m]),
                  (f"m{m}: Σ cells", cells[m], grand[m])]
    lines += [(f"balance {pub.districts[d]} {pub.fiscal_years[y]}", cells[:, d, y], KNOWN)
              for d in range(n_d) for y in range(n_y)]
    lines += [(f"balance city {pub.fiscal_years[y]}", yt[:, y], KNOWN) for y in range(n_y)]
    lines += [(f"balance {pub.districts[d]} all years", dt[:, d], KNOWN) for d in range(n_d)]
    lines.append(("balance city all years", grand, KNOWN))
    return lines


def _shown_parts(pub) -> dict[str, object]:
    return {k: v for k, v in vars(pub).items() if hasattr(v, "hidden")}


@pytest.mark.fast
def test_attacker_checker_catches_a_leak() -> None:
    assert _single_unknowns([("x", np.array([np.nan, 20.0]), 23.0), ("y", np.array([np.nan, np.nan]), 5.0)]) == ["x"]
    assert _single_unknowns([("b", np.array([np.nan, 1.0, 2.0]), KNOWN)]) == ["b"]
    assert _single_unknowns([("t", np.array([3.0, 20.0]), np.nan)]) == ["t"]


@pytest.mark.parametrize("threshold", [10, 100])
def test_population_publication_no_line_with_one_unknown(city, threshold: int) -> None:
    # Latest fiscal year of the synthetic city (scale 0.25): using only the shown values.
    fy = int(city["population"]["fiscal_year"].max())
    pub = population_publication(city["population"], city["meshes"], fy, threshold)
    parts = _shown_parts(pub)
    for name, part in parts.items():
        assert np.array_equal(np.isnan(part.value), part.hidden), name
    assert _single_unknowns(_population_lines(pub)) == []
    assert pub.cells.hidden.any()  # not vacuous: there are hidden cells to protect
    # shown values are the true counts (independent sums of the raw rows)
    pop = city["population"][city["population"]["fiscal_year"] == fy]
    lookup = city["meshes"].set_index("mesh_code")["district_id"]
    per_district = pop.groupby(pop["mesh_code"].map(lookup))["population"].sum()
    true = per_district.reindex(list(pub.districts), fill_value=0).to_numpy(dtype=float)
    shown = ~pub.district.hidden
    assert np.array_equal(pub.district.value[shown], true[shown])
    if not pub.city.hidden[0]:
        assert pub.city.value[0] == pop[pop["mesh_code"].isin(lookup.index)]["population"].sum()


@pytest.mark.parametrize("threshold", [10, 100, 1000])
def test_change_publication_no_line_with_one_unknown(city, threshold: int) -> None:
    pub = change_publication(city["population_change"], threshold)
    for name, part in _shown_parts(pub).items():
        assert np.array_equal(np.isnan(part.value), part.hidden), name
    assert _single_unknowns(_change_lines(pub)) == []
    assert pub.cells.hidden.any()


@pytest.mark.fast
def test_change_publication_balance_line_by_hand() -> None:
    # One district, one year: births 50, deaths 3, moved_in 40, moved_out 30.
    # Each measure's row / column / grand total equals the cell itself (one member), so
    # only the balance lines link the measures. Deaths 3 is primary, and so are its
    # totals (all 3). Each balance line — district-year, city-year, district all years,
    # city — reads (50, 3, 40, 30) at its level. For deaths to be 1 … 9 one more count must
    # move with it: births or moved_in the same way, moved_out the other way (30 → 24 at
    # most, still ≥ 10). At a cost of log(1 + count) per person the cheapest is moved_out 30.
    # Births and moved_in stay shown; deaths "<10", moved_out "χ" everywhere.
    change = pd.DataFrame({"district_id": ["D001"], "fiscal_year": [2025], "births": [50], "deaths": [3],
                           "moved_in": [40], "moved_out": [30], "net_migration": [10]})
    pub = change_publication(change)
    assert pub.cells.label[:, 0, 0].tolist() == ["50", "<10", "40", "χ"]
    assert pub.grand_total.label.tolist() == ["50", "<10", "40", "χ"]
    assert _single_unknowns(_change_lines(pub)) == []


def test_no_shown_value_in_1_to_999_at_threshold_1000(city) -> None:
    threshold = 1000  # the latest year: most counts are small, so the rule has much to do
    pubs = [population_publication(city["population"], city["meshes"], int(city["population"]["fiscal_year"].max()),
                                   threshold)]
    pubs.append(change_publication(city["population_change"], threshold))
    n_hidden = 0
    for pub in pubs:
        for name, part in _shown_parts(pub).items():
            v = part.value[~part.hidden]
            assert not ((v >= 1) & (v <= 999)).any(), (name, v[(v >= 1) & (v <= 999)][:5])
            assert (v >= 0).all() and np.array_equal(v, np.round(v))
            # labels of hidden counts are markers, never numbers
            assert set(part.label[part.hidden].ravel()) <= {"<1000", "χ"}
            n_hidden += int(part.hidden.sum())
    assert n_hidden > 100


# ----------------------------------------------------------------------------- home page (CityOverview)


def _districts(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"district_id": ids, "name_ja": [f"{i}区" for i in ids], "name_en": ids,
                         "area_type": ["urban"] * len(ids), "area_km2": [1.5] * len(ids)})


def _pop_rows(rows: list[tuple[int, str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["fiscal_year", "mesh_code", "sex", "age", "population"])


def _change_rows(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["district_id", "fiscal_year", "births", "deaths", "moved_in", "moved_out"])
    return df.assign(net_migration=df["moved_in"] - df["moved_out"])


def _small_district_city() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # D001 (mesh m1) ~1,100 residents; D002 (mesh m2) 20 residents in FY2025, 5 in FY2026.
    meshes = pd.DataFrame({"mesh_code": ["m1", "m2"], "district_id": ["D001", "D002"]})
    population = _pop_rows([
        (2025, "m1", "M", 5, 50), (2025, "m1", "F", 5, 50), (2025, "m1", "M", 30, 400), (2025, "m1", "F", 30, 400),
        (2025, "m1", "M", 70, 100), (2025, "m1", "F", 70, 100), (2025, "m2", "M", 40, 20),
        (2026, "m1", "M", 5, 40), (2026, "m1", "F", 5, 60), (2026, "m1", "M", 30, 410), (2026, "m1", "F", 30, 390),
        (2026, "m1", "M", 70, 120), (2026, "m1", "F", 70, 130), (2026, "m2", "F", 80, 5),
    ])
    change = _change_rows([
        ("D001", 2024, 30, 12, 40, 18), ("D002", 2024, 3, 0, 2, 0),
        ("D001", 2025, 20, 15, 80, 35), ("D002", 2025, 0, 0, 0, 15),
    ])
    return population, change, meshes, _districts(["D001", "D002"])


@pytest.mark.fast
def test_city_overview_small_district_and_same_suppression_as_the_release() -> None:
    population, change, meshes, districts = _small_district_city()
    ov = city_overview(population, change, meshes, districts)
    d002 = ov.districts.set_index("district_id").loc["D002"]
    # D002 has 5 residents in FY2026 (0 < 5 < 10): primary → NaN, "<10". Its ageing rate
    # needs its 65+ count (5, primary) and its residents: NaN. Its change since FY2025
    # needs the hidden 5: NaN.
    assert np.isnan(d002["population"]) and d002["population_label"] == "<10"
    assert np.isnan(d002["ageing_rate"]) and np.isnan(d002["change_pct"])
    # D002's 5 must be free to be anything from 1 to 9 for a reader. The cheapest way is to
    # hide the totals it is part of (the city, the women, the 65+ of the city: each moves with
    # it) rather than D001's 1,150, which would drag D001's own tables along: D001 shows.
    d001 = ov.districts.set_index("district_id").loc["D001"]
    assert d001["population"] == 1150 and d001["population_label"] == "1,150"
    assert ov.population_label == "χ" and np.isnan(ov.population)
    pub = publications(population, meshes, change, districts=districts)
    assert_no_disclosure(pub)

    # The pyramid is the 合計 row of the release, per sex: same numbers, same hiding.
    # The app publishes population and its change together (release_table / city_overview).
    release = population_release(population, meshes, population_change=change)
    pubs = SimpleNamespace(population={fy: _year(p, fy) for p in [publications(population, meshes, change)]
                                        for fy in population_years(p)})
    total_row = release[(release["fiscal_year"] == 2026) & (release["district_id"] == T) & (release["age_band"] != T)]
    for sex in ("M", "F"):
        rel = total_row[total_row["sex"] == sex].set_index("age_band")["population"]
        assert ov.pyramid[f"{sex}_label"].tolist() == rel.loc[ov.pyramid["age_band"]].tolist()
        hidden = ov.pyramid[sex].isna()
        assert (rel.loc[ov.pyramid.loc[hidden, "age_band"]].isin(["<10", "χ"])).all()
        shown = ov.pyramid.loc[~hidden]
        assert shown[sex].tolist() == [float(_number(x)) for x in rel.loc[shown["age_band"]]]
    # by hand: women 80-84 of the city = D002's 5 → "<10" in both
    assert ov.pyramid.set_index("age_band").loc["80-84", "F_label"] == "<10"
    assert total_row[(total_row["sex"] == "F") & (total_row["age_band"] == "80-84")]["population"].item() == "<10"
    assert ov.pyramid[["M", "F"]].isna().any().any()

    # by_year comes from each year's publication (same suppression as that year's release).
    for fy, row in ov.by_year.set_index("fiscal_year").iterrows():
        pub = pubs.population[int(fy)]
        np.testing.assert_array_equal(row[["age_0_14", "age_15_64", "age_65_plus"]].to_numpy(dtype=float),
                                      pub.group.value)
        np.testing.assert_array_equal([row["population"]], pub.city.value)
    # births per fiscal year = the 合計 row of the change release (same labels)
    change_rel = population_change_release(change, population=population, meshes=meshes).set_index(
        ["district_id", "fiscal_year"])
    for fy, births, label in ov.change[["fiscal_year", "births", "births_label"]].itertuples(index=False):
        assert label == change_rel.loc[(T, str(fy)), "births"]
        assert (np.isnan(births) and label in ("<10", "χ")) or births == _number(label)
    # D002's births in FY2024 (3) are hidden in the release, so the check is not vacuous
    assert change_rel.loc[("D002", "2024"), "births"] == "<10"
    # headline counts shown on the page come from the publications too
    latest = pubs.population[2026]
    assert ov.population_label == latest.city.label[0]


def _one_district_city() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # One district D001 (mesh m1).
    #   FY2025: M 30 y: 500, F 30 y: 480, M 70 y: 70, F 70 y: 50 → 1,100 residents, 65+ = 120
    #   FY2026: M 30 y: 500, F 30 y: 520, M 70 y: 60, F 70 y: 60 → 1,140 residents, 65+ = 120
    #   births FY2024 = 200, FY2025 = 170 (deaths 160/170, moved in 300/310, out 250/270:
    #   FY2025 balance 170 − 170 + 310 − 270 = 40 = 1,140 − 1,100).
    meshes = pd.DataFrame({"mesh_code": ["m1"], "district_id": ["D001"]})
    population = _pop_rows([
        (2025, "m1", "M", 30, 500), (2025, "m1", "F", 30, 480), (2025, "m1", "M", 70, 70), (2025, "m1", "F", 70, 50),
        (2026, "m1", "M", 30, 500), (2026, "m1", "F", 30, 520), (2026, "m1", "M", 70, 60), (2026, "m1", "F", 70, 60),
    ])
    change = _change_rows([("D001", 2024, 200, 160, 300, 250), ("D001", 2025, 170, 170, 310, 270)])
    return population, change, meshes, _districts(["D001"])


POP_CHANGE = (1140 / 1100 - 1) * 100  # +3.636… %
AGEING = 120 / 1140  # 0.1053
AGEING_CHANGE_PT = (120 / 1140 - 120 / 1100) * 100  # −0.383 points
BIRTHS_CHANGE = (170 / 200 - 1) * 100  # −15 %


@pytest.mark.parametrize(
    "threshold, pop_change, ageing, births_change, population_label, births_label",
    [
        # 3: no count is 1 or 2 → nothing hidden: every figure is its hand value.
        (3, POP_CHANGE, AGEING, BIRTHS_CHANGE, "1,140", "170"),
        # 150: 65+ = 120 < 150 is primary (city and district, both years) → ageing NaN.
        # Its partners: the 70-74 cells (60/60, 70/50) are primary; the rows partner the
        # 30-34 cells, whose band totals follow (one district); district 0–14/15–64/65+
        # = 0/1,020/120 partners 15–64, and the city group totals follow. Every line
        # containing the city or district totals (1,100 / 1,140) or the sex totals then
        # has 0 or 2 hidden: residents shown → % change is the hand value.
        # Births 200/170 and all flows ≥ 150: nothing hidden → −15 %.
        (150, POP_CHANGE, np.nan, BIRTHS_CHANGE, "1,140", "170"),
        # 190: as 150 for the residents; births FY2025 = 170 < 190 is primary → NaN.
        (190, POP_CHANGE, np.nan, np.nan, "1,140", "<190"),
        # 10,000: every non-zero count is < 10,000 → everything hidden, all NaN.
        (10_000, np.nan, np.nan, np.nan, "<10000", "<10000"),
    ],
)
def test_city_overview_rates_nan_exactly_when_a_count_is_hidden(
    threshold: int, pop_change: float, ageing: float, births_change: float, population_label: str, births_label: str
) -> None:
    population, change, meshes, districts = _one_district_city()
    ov = city_overview(population, change, meshes, districts, threshold)
    np.testing.assert_allclose(ov.population_change_pct, pop_change, equal_nan=True)
    np.testing.assert_allclose(ov.ageing_rate, ageing, equal_nan=True)
    np.testing.assert_allclose(ov.births_change_pct, births_change, equal_nan=True)
    np.testing.assert_allclose(ov.births_change_since_first_pct, births_change, equal_nan=True)
    np.testing.assert_allclose(ov.ageing_rate_change_pt, AGEING_CHANGE_PT if threshold == 3 else np.nan, equal_nan=True)
    assert ov.population_label == population_label and ov.births_label == births_label
    row = ov.districts.iloc[0]
    np.testing.assert_allclose(row["ageing_rate"], ageing, equal_nan=True)
    np.testing.assert_allclose(row["change_pct"], pop_change, equal_nan=True)
    # no raw count is within the page's reach: every attribute is a year, a shown count or a frame of them
    assert not [k for k, v in vars(ov).items() if isinstance(v, (int, np.integer)) and not k.endswith("fiscal_year")]


# ----------------------------------------------------------------------------- bugs found and fixed


@pytest.mark.fast
def test_hidden_population_not_recoverable_from_next_year_and_flows() -> None:
    # D002: 5 residents on 1 April 2025 ("<10"), 20 on 1 April 2026 (shown), FY2025 flows
    # births 0, deaths 0, moved in 15, moved out 0 (all shown: no count is small, and the
    # balance line 0 − 0 + 15 − 0 has no hidden member). A reader gets 20 − 15 = 5.
    # Documented rule (analytics/privacy.py): a hidden count cannot be recovered from what
    # one table shows from what another shows.
    meshes = pd.DataFrame({"mesh_code": ["m1", "m2"], "district_id": ["D001", "D002"]})
    population = _pop_rows([(fy, m, s, 30, n) for fy, n2 in ((2025, 5), (2026, 20))
                            for m, s, n in (("m1", "M", 500), ("m1", "F", 500), ("m2", "F", n2))])
    change = _change_rows([("D001", 2025, 0, 0, 0, 0), ("D002", 2025, 0, 0, 15, 0)])
    pub = publications(population, meshes, change)  # what the app publishes: all linked together
    before, after, flows = _year(pub, 2025).district, _year(pub, 2026).district, _change(pub).cells
    i = 1  # D002
    recoverable = before.hidden[i] and not after.hidden[i] and not flows.hidden[:, i, 0].any()
    assert not recoverable


@pytest.mark.fast
def test_city_overview_district_without_meshes_shows_no_other_districts_counts() -> None:
    # D003 is in the districts table but no mesh belongs to it: it has no residents.
    # Expected by the rule "residents of a district = sum over its meshes": 0 (or not
    # shown), never D002's 20.
    meshes = pd.DataFrame({"mesh_code": ["m1", "m2"], "district_id": ["D001", "D002"]})
    population = _pop_rows([(fy, m, "F", 30, n) for fy in (2025, 2026) for m, n in (("m1", 500), ("m2", 20))])
    change = _change_rows([("D001", 2025, 20, 10, 30, 20), ("D002", 2025, 0, 0, 0, 0)])
    ov = city_overview(population, change, meshes, _districts(["D001", "D002", "D003"]))
    d003 = ov.districts.set_index("district_id").loc["D003", "population"]
    assert np.isnan(d003) or d003 == 0


@pytest.mark.parametrize("threshold", [10, 30])
def test_release_tables_equal_each_release_table(city, threshold: int) -> None:
    """Building every download at once (one publication) gives exactly the per-dataset downloads."""
    together = release_tables(city, threshold, "Total")
    assert set(together) == set(registry.names())
    for name, table in together.items():
        pd.testing.assert_frame_equal(table, release_table(name, city, threshold, "Total"))


# ----------------------------------------------------------------------------- CSV


@pytest.mark.fast
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


@pytest.mark.fast
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


def test_the_pattern_never_depends_on_a_small_counts_value() -> None:
    """The complementary cells are chosen from where the small counts are and the other counts:
    set every small count to 1, or to 9, and the same cells are hidden (a small city, every
    year and the population change linked)."""
    from analytics.core.audit import Relations, protect
    from analytics.core.publication import PublicationBuilder

    data = generate_city(scale=0.1).datasets
    b = PublicationBuilder()
    for block in registry.publication_blocks(data):
        block(b, data)
    x = b._vector()
    relations = Relations.build(len(x), b.equations, b.inequalities)
    primary = (x > 0) & (x < 10)
    hidden, result = protect(x, primary, relations, 10)
    assert primary.sum() > 20 and (hidden & ~primary).sum() > 20 and not len(result.unprotected)
    for fill in (1.0, 9.0):
        assert np.array_equal(protect(np.where(primary, fill, x), primary, relations, 10)[0], hidden), fill


# ----------------------------------------------------------------------------- residents per mesh


@pytest.mark.fast
def test_mesh_residents_are_published_and_hidden_meshes_estimated() -> None:
    from analytics.city import population_table, published_mesh_residents

    # D001: meshes of 701 and 502 residents (both shown); D002: 2,505 residents in one mesh, an
    # empty mesh and a third mesh of 5 men (hidden at 10).
    population, meshes = _small_population()
    meshes = pd.concat([meshes, pd.DataFrame({"mesh_code": ["523415962", "523415963"],
                                              "district_id": ["D002", "D002"]})], ignore_index=True)
    population = pd.concat([population, pd.DataFrame({"fiscal_year": [2026], "mesh_code": ["523415963"],
                                                      "sex": ["M"], "age": [40], "population": [5]})])
    pub = publications(population, meshes)
    out = published_mesh_residents(pub, meshes).set_index("mesh_code")
    assert out.loc["523415951", "residents"] == 701 and out.loc["523415952", "residents"] == 502
    assert not out.loc["523415963", "published"]  # 5 residents: below the threshold
    assert out.loc["523415961", "published"] or out.loc["523415962", "published"]  # not everything hidden
    # D002's total is hidden with its men (5): the hidden mesh gets the fallback (threshold − 1) / 2,
    # never its true 5, and nothing else moves
    district = pub.frame(population_table(2026, "district"), "n").set_index("district_id")["n"]
    assert np.isnan(district["D002"]) and out.loc["523415963", "residents"] == pytest.approx(4.5)
    assert out.loc[out["published"], "residents"].sum() == 701 + 502 + 2505


@pytest.mark.fast
def test_mesh_residents_in_the_city_sum_to_the_districts(city) -> None:
    from analytics.city import population_table, published_mesh_residents

    pub = publications(city["population"], city["meshes"], city["population_change"], districts=city["districts"])
    out = published_mesh_residents(pub, city["meshes"])
    assert len(out) == city["meshes"]["mesh_code"].nunique()
    fy = max(int(n.split("/")[1]) for n in pub.names("population/"))
    district = pub.frame(population_table(fy, "district"), "n").set_index("district_id")["n"]
    sums = out.groupby("district_id")["residents"].sum()
    shown = district.dropna()
    assert sums.reindex(shown.index).to_numpy() == pytest.approx(shown.to_numpy())
    shown_meshes = out.loc[out["published"], "residents"]
    assert not ((shown_meshes > 0) & (shown_meshes < 10)).any()
    # where a district's total is shown, its hidden meshes share the remainder evenly
    for d, g in out[~out["published"]].groupby("district_id"):
        if d in shown.index:
            rest = shown[d] - out.loc[out["published"] & (out["district_id"] == d), "residents"].sum()
            assert g["residents"].to_numpy() == pytest.approx(np.full(len(g), rest / len(g)))


# ----------------------------------------------------------------------------- readings from the publication only


@pytest.mark.fast
def test_graduate_ages_keeps_every_group_and_follows_the_slope():
    from analytics.city import BANDS, graduate_ages

    flat = np.full(len(BANDS), 50.0)
    single = graduate_ages(flat)
    assert single.shape == (101,) and np.allclose(single[:100], 10.0) and single[100] == 50.0
    rising = np.arange(1, len(BANDS) + 1, dtype=float) * 100
    single = graduate_ages(rising)
    assert (single >= 0).all()
    assert np.allclose(single[:100].reshape(20, 5).sum(1), rising[:20]) and single[100] == rising[20]
    assert single[5] < single[9]  # within a group the ages follow the rise between groups
    batch = graduate_ages(np.stack([flat, rising]))  # any leading axes
    assert np.allclose(batch[1], single)


def test_published_residents_are_the_published_groups_split_into_ages(small_city, published_small_city):
    """Shown cells of district × sex × 5-year group are kept exactly; hidden ones take what the
    published totals leave; every year's residents sum to the published city total; the
    youngest follow the published births (age 0 on 1 April = births of the year before)."""
    from analytics.city import BANDS, population_table, published_change, published_residents

    pub = published_small_city[(small_city, 100)]  # many hidden cells
    res = published_residents(pub)
    change = published_change(pub)
    for fy in sorted(res["fiscal_year"].unique()):
        year = res[res["fiscal_year"] == fy]
        cells = pub.get(population_table(fy, "cells"))
        band = np.minimum(year["age"].to_numpy() // 5, len(BANDS) - 1)
        grouped = year.assign(band=band).groupby(["district_id", "sex", "band"])["population"].sum()
        axes = pub.axes(population_table(fy, "cells"))
        order = pd.MultiIndex.from_product([axes["district_id"], axes["sex"], range(len(BANDS))])
        mine = grouped.reindex(order).to_numpy().reshape(cells.value.shape)
        assert np.allclose(mine[~cells.hidden], cells.value[~cells.hidden])
        city_total = pub.get(population_table(fy, "city")).value[0]
        assert year["population"].sum() == pytest.approx(city_total)
        births = change[change["fiscal_year"] == fy - 1]
        if len(births):
            age0 = year[year["age"] == 0].groupby("district_id")["population"].sum()
            b = births.set_index("district_id")["births"].reindex(age0.index)
            assert np.allclose(age0, np.minimum(b, year[year["age"] <= 4].groupby("district_id")["population"].sum()))


def test_published_change_keeps_shown_cells_and_totals(small_city, published_small_city):
    from analytics.city import CHANGE_MEASURES, published_change

    pub = published_small_city[(small_city, 100)]  # many hidden cells
    change = published_change(pub)
    cells = pub.get("population_change/cells")
    grand = pub.get("population_change/grand_total").value
    assert cells.hidden.any()
    for m, name in enumerate(CHANGE_MEASURES):
        grid = change.pivot(index="district_id", columns="fiscal_year", values=name).to_numpy()
        assert np.allclose(grid[~cells.hidden[m]], cells.value[m][~cells.hidden[m]])
        assert (grid >= 0).all()
        if np.isfinite(grand[m]):
            assert grid.sum() == pytest.approx(grand[m])
    assert np.allclose(change["net_migration"], change["moved_in"] - change["moved_out"])


@pytest.mark.parametrize("threshold", [10, 100])
def test_the_small_city_publication_protects_every_small_count(small_city, published_small_city, threshold):
    """At 100 most of the small city's counts are small: the publication's own audit still finds
    every one with the whole range its labels allow (parts of small wholes included)."""
    pub = published_small_city[(small_city, threshold)]
    assert pub.primary.sum() > 500 if threshold == 100 else pub.primary.sum() > 0
    assert pub.unprotected == 0, pub.unprotected


@pytest.mark.fast
def test_published_residents_without_population_change():
    """A city with residents and no births on file: children aged 0–4 follow the curve through the
    5-year groups (the births that would split them are missing), and the change is empty."""
    from analytics.city import population_table, published_change, published_residents

    population, meshes = _small_population()
    population = population.assign(population=population["population"] * 10)  # nothing small: all shown
    pub = registry.publish({"population": population, "meshes": meshes}, 10)
    assert published_change(pub).empty
    res = published_residents(pub)
    d1 = res[(res["district_id"] == "D001") & (res["sex"] == "F")].set_index("age")["population"]
    cells = pub.get(population_table(2026, "cells")).value
    assert d1.loc[0:4].sum() == pytest.approx(cells[0, 1, 0]) and d1.loc[5:9].sum() == pytest.approx(cells[0, 1, 1])
    assert (d1 >= 0).all() and d1.loc[0] < d1.loc[4]  # 30 aged 0–4 beside 12,000 aged 5–9: rising
