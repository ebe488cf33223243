"""Tests for analytics.synth: the shared synthetic city (合成市).

The default city (seed DEFAULT_SEED, scale 1) is generated once per module (a few seconds)
and shared by the tests. Expected values are properties stated in the issue / docstrings
(totals ≈ 530,000 × scale, ≈ 40 × scale districts, Japan-like ageing, exact demographic
balance), never numbers copied from a run of the generator.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from analytics import domains, registry
from analytics.city.synth.names import NAME_POOLS, district_names
from analytics.core import geo, schemas
from analytics.registry import DATASETS, SAMPLE_DATA_DIR
from analytics.synth import (
    DEFAULT_SEED,
    LATEST_FISCAL_YEAR,
    N_FISCAL_YEARS,
    RESIDENTS_PER_SCALE,
    calibration_figures,
    generate_city,
    generator_parts,
    sample_data_readme,
)

REGENERATE = "run `make data` (python -m analytics.synth) and commit sample_data/"
FIRST_FY = LATEST_FISCAL_YEAR - N_FISCAL_YEARS + 1


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def city():
    """The default city, generated once for the module."""
    return generate_city(DEFAULT_SEED, 1.0)


@pytest.fixture(scope="module")
def city_at(city):
    """What the scale tests need of the city at a given scale: its districts, the residents of
    the latest fiscal year. Each scale is generated at most once; the large population tables
    are not kept. (How long generation takes is a row of ``make bench``, never a test.)"""
    cache: dict[float, tuple[gpd.GeoDataFrame, int]] = {}

    def get(scale: float) -> tuple[gpd.GeoDataFrame, int]:
        if scale not in cache:
            c = city if scale == 1.0 else generate_city(DEFAULT_SEED, scale)
            cache[scale] = (c["districts"], _city_totals(c, LATEST_FISCAL_YEAR)[0])
        return cache[scale]

    yield get
    cache.clear()


def _by_district(city) -> pd.DataFrame:
    """Residents and 65+ by district × fiscal year, computed here from the raw tables."""
    pop = city["population"].merge(city["meshes"], on="mesh_code", how="left", validate="many_to_one")
    assert pop["district_id"].notna().all(), "population rows whose mesh has no district"
    pop = pop.assign(old=pop["population"].where(pop["age"] >= 65, 0))
    return pop.groupby(["district_id", "fiscal_year"])[["population", "old"]].sum().astype(np.int64)


def _city_totals(city, fiscal_year: int) -> tuple[int, int]:
    pop = city["population"]
    now = pop[pop["fiscal_year"] == fiscal_year]
    return int(now["population"].sum()), int(now.loc[now["age"] >= 65, "population"].sum())


# ----------------------------------------------------------------------------- determinism


def _assert_same_city(a, b) -> None:
    assert set(a.datasets) == set(b.datasets) == set(DATASETS)
    for name in DATASETS:
        if isinstance(a[name], gpd.GeoDataFrame):
            assert_geodataframe_equal(a[name], b[name], check_dtype=True, check_crs=True)
        else:
            assert_frame_equal(a[name], b[name], check_dtype=True)


@pytest.mark.fast
def test_same_seed_and_scale_give_identical_city() -> None:
    _assert_same_city(generate_city(DEFAULT_SEED, 0.25), generate_city(DEFAULT_SEED, 0.25))


@pytest.mark.fast
def test_another_seed_gives_another_city() -> None:
    a = generate_city(DEFAULT_SEED, 0.25)
    b = generate_city(DEFAULT_SEED + 1, 0.25)
    assert not a["population"].equals(b["population"])
    assert not a["population_change"].equals(b["population_change"])
    assert not a["meshes"].equals(b["meshes"])


@pytest.mark.fast
@pytest.mark.parametrize("scale", [0, -1.0])
def test_non_positive_scale_is_rejected(scale) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate_city(DEFAULT_SEED, scale)


# ----------------------------------------------------------------------------- committed sample data


@pytest.mark.fast
@pytest.mark.parametrize("name", list(DATASETS))
def test_committed_sample_data_equal_a_fresh_generation(city, name) -> None:
    fresh = city[name]
    try:
        committed = DATASETS[name].read(SAMPLE_DATA_DIR)
    except Exception as exc:  # missing or unreadable file
        pytest.fail(f"sample_data/{DATASETS[name].file} cannot be read ({exc}); {REGENERATE}")
    try:
        if isinstance(fresh, gpd.GeoDataFrame):
            assert isinstance(committed, gpd.GeoDataFrame), "committed districts have no geometry"
            assert committed.crs == fresh.crs, f"CRS {committed.crs} != {fresh.crs}"
            assert_frame_equal(
                pd.DataFrame(committed.drop(columns="geometry")),
                pd.DataFrame(fresh.drop(columns="geometry")),
                check_dtype=True,
            )
            # Compare shapes, not WKB bytes: same polygons in any vertex order.
            same = committed.geometry.geom_equals(fresh.geometry)
            assert same.all(), f"geometry differs for {committed.loc[~same, 'district_id'].tolist()}"
            normalized_c = shapely.normalize(committed.geometry.to_numpy())
            normalized_f = shapely.normalize(fresh.geometry.to_numpy())
            assert shapely.equals_exact(normalized_c, normalized_f, tolerance=1e-12).all()
        else:
            assert_frame_equal(committed, fresh, check_dtype=True)
    except AssertionError as exc:
        pytest.fail(f"sample_data/{DATASETS[name].file} differs from a fresh generation: {exc}\n{REGENERATE}")


@pytest.mark.fast
def test_manifest_matches_the_generation(city) -> None:
    manifest = json.loads((SAMPLE_DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    expected_rows = {name: len(city[name]) for name in DATASETS}
    problems = []
    if manifest.get("seed") != DEFAULT_SEED:
        problems.append(f"seed {manifest.get('seed')} != {DEFAULT_SEED}")
    if manifest.get("scale") != 1.0:
        problems.append(f"scale {manifest.get('scale')} != 1.0")
    if manifest.get("rows") != expected_rows:
        problems.append(f"rows {manifest.get('rows')} != {expected_rows}")
    if manifest.get("latest_fiscal_year") != LATEST_FISCAL_YEAR:
        problems.append(f"latest_fiscal_year {manifest.get('latest_fiscal_year')} != {LATEST_FISCAL_YEAR}")
    if manifest.get("fiscal_years") != list(range(FIRST_FY, LATEST_FISCAL_YEAR + 1)):
        problems.append(f"fiscal_years {manifest.get('fiscal_years')}")
    if problems:
        pytest.fail(f"sample_data/manifest.json is out of date ({'; '.join(problems)}); {REGENERATE}")


@pytest.mark.fast
def test_sample_data_readme_matches_the_schemas(city) -> None:
    text = (SAMPLE_DATA_DIR / "README.md").read_text(encoding="utf-8")
    if text != sample_data_readme(city):
        pytest.fail(f"sample_data/README.md differs from sample_data_readme(city); {REGENERATE}")


@pytest.mark.fast
def test_every_registered_dataset_is_made_by_its_generator_part(city) -> None:
    assert {entry.generator for entry in DATASETS.values()} <= set(generator_parts())
    assert set(city.datasets) == set(registry.names())


@pytest.mark.fast
def test_a_part_that_makes_what_the_registry_does_not_expect_is_refused(monkeypatch) -> None:
    from analytics import synth

    parts = {**generator_parts(), "extra": lambda rng, scale, made: {"stray": made["meshes"]}}
    monkeypatch.setattr(synth, "generator_parts", lambda: parts)
    with pytest.raises(RuntimeError, match="stray"):
        generate_city(DEFAULT_SEED, 0.25)


# ----------------------------------------------------------------------------- scales


SCALES = [0.25, 0.5, 1.0, 2.0, pytest.param(7.0, marks=pytest.mark.full, id="7.0-full")]


@pytest.mark.parametrize("scale", SCALES)
def test_totals_and_district_count_follow_the_scale(city_at, scale) -> None:
    districts, total = city_at(scale)
    # 530,000 × scale: 132,500 / 265,000 / 530,000 / 1,060,000 / 3,710,000 (≈ 3.7 M at scale 7,
    # ±2% = 3,635,800 … 3,784,200).
    target = RESIDENTS_PER_SCALE * scale
    assert RESIDENTS_PER_SCALE == 530_000
    assert abs(total / target - 1) <= 0.02, f"{total:,} residents vs {target:,.0f} (±2%)"
    # 40 × scale districts: 10, 20, 40, 80, 280.
    assert len(districts) == round(40 * scale)
    assert districts["district_id"].is_unique
    assert districts["name_ja"].is_unique and districts["name_en"].is_unique


@pytest.mark.parametrize(
    "scale",
    [
        0.25,
        0.5,
        1.0,
        2.0,
        pytest.param(7.0, id="7.0-full", marks=pytest.mark.full),
    ],
)
def test_every_district_but_the_islands_is_one_polygon(city_at, scale) -> None:
    d = city_at(scale)[0]
    mainland = d[d["area_type"] != "island"]
    bad = mainland.loc[mainland.geometry.geom_type != "Polygon", "district_id"].tolist()
    assert bad == []
    assert (d.geometry.geom_type.isin(["Polygon", "MultiPolygon"])).all()


# ----------------------------------------------------------------------------- fiscal years


@pytest.mark.fast
def test_fiscal_years_of_stocks_and_flows(city) -> None:
    assert LATEST_FISCAL_YEAR == 2026 and N_FISCAL_YEARS == 6  # README: FY2021–FY2026
    stock_years = sorted(city["population"]["fiscal_year"].unique().tolist())
    flow_years = sorted(city["population_change"]["fiscal_year"].unique().tolist())
    assert stock_years == [2021, 2022, 2023, 2024, 2025, 2026]
    assert stock_years == list(range(LATEST_FISCAL_YEAR - 5, LATEST_FISCAL_YEAR + 1))
    # Six fiscal years of flows, each ending in the next April-1 stock: FY2020 … FY2025.
    assert flow_years == [2020, 2021, 2022, 2023, 2024, 2025]
    assert flow_years == list(range(LATEST_FISCAL_YEAR - 6, LATEST_FISCAL_YEAR))
    # Every district reports every fiscal year exactly once.
    per = city["population_change"].groupby("district_id")["fiscal_year"].agg(list)
    assert set(per.index) == set(city["districts"]["district_id"])
    assert all(sorted(v) == flow_years for v in per)


# ----------------------------------------------------------------------------- schemas


@pytest.mark.fast
@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_passes_its_schema(city, name) -> None:
    problems = schemas.validate(registry.contract(name), city[name])
    errors = [(p.row, p.column, p.message_en) for p in problems if p.severity == "error"]
    assert errors == []


# ----------------------------------------------------------------------------- age structure


@pytest.mark.fast
def test_ageing_rate_is_japan_like(city) -> None:
    total, old = _city_totals(city, LATEST_FISCAL_YEAR)
    assert 0.26 <= old / total <= 0.32, f"ageing rate {old / total:.3f}"


@pytest.mark.fast
def test_births_fall_every_year(city) -> None:
    births = city["population_change"].groupby("fiscal_year")["births"].sum().sort_index()
    assert len(births) == N_FISCAL_YEARS
    assert (births.diff().dropna() < 0).all(), births.to_dict()
    assert (births > 0).all()


@pytest.mark.fast
def test_pyramid_is_japan_like(city) -> None:
    pop = city["population"]
    now = pop[pop["fiscal_year"] == LATEST_FISCAL_YEAR]

    def band(lo: int, hi: int, sex: str | None = None) -> int:
        m = now["age"].between(lo, hi)
        if sex:
            m &= now["sex"] == sex
        return int(now.loc[m, "population"].sum())

    # Japan's base is narrower than its middle: 0–4 is smaller than either of 45–49, 50–54.
    assert band(0, 4) < band(45, 49)
    assert band(0, 4) < band(50, 54)
    assert band(0, 4) > 0
    # Women live longer: more women than men at 80+ (ages 80 … 100, 100 meaning 100+).
    assert band(80, 100, "F") > band(80, 100, "M")
    assert set(now["sex"]) == {"M", "F"}
    assert now["age"].min() == 0 and now["age"].max() == 100


# ----------------------------------------------------------------------------- geography


@pytest.mark.fast
def test_mesh_codes_are_valid_unique_and_in_one_district(city) -> None:
    meshes, districts = city["meshes"], city["districts"]
    codes = meshes["mesh_code"]
    assert codes.str.len().eq(9).all()
    assert codes.map(geo.is_mesh_code).all()
    assert codes.is_unique  # so each mesh is in exactly one district
    assert meshes["district_id"].notna().all()
    assert set(meshes["district_id"]) == set(districts["district_id"])  # every district has ≥ 1 mesh
    assert meshes.groupby("district_id").size().min() >= 1
    # Residents live only in known meshes.
    assert set(city["population"]["mesh_code"].unique()) <= set(codes)


@pytest.mark.fast
def test_each_mesh_lies_inside_its_own_district(city) -> None:
    meshes = city["meshes"]
    centres = geo.mesh_centroids(meshes["mesh_code"])
    shapes = city["districts"].set_index("district_id").geometry
    inside = shapely.contains_xy(
        shapes.loc[meshes["district_id"]].to_numpy(), centres["lon"].to_numpy(), centres["lat"].to_numpy()
    )
    assert inside.all(), meshes.loc[~inside, "mesh_code"].tolist()[:5]


@pytest.mark.fast
def test_districts_are_in_jgd2011_and_cover_the_meshes(city) -> None:
    districts = city["districts"]
    assert districts.crs.to_epsg() == 6668
    # One 1/2 mesh is 15″ × 22.5″. At the grid's centre, about 34.865° N:
    #   15″ of latitude  = 110.95 km / 240            ≈ 0.4623 km
    #   22.5″ of longitude = 111.32 km × cos 34.865° / 160 = 111.32 × 0.8205 / 160 ≈ 0.5709 km
    #   area ≈ 0.4623 × 0.5709 ≈ 0.264 km²
    half_mesh_km2 = 0.264
    area = districts.to_crs("EPSG:6673").area.sum() / 1e6
    expected = len(city["meshes"]) * half_mesh_km2
    assert abs(area / expected - 1) < 0.03, f"{area:.1f} km² vs {expected:.1f} km²"
    # The published column is the same measure (rounded to 0.001 km²).
    recomputed = districts.to_crs("EPSG:6673").area / 1e6
    assert np.allclose(districts["area_km2"], recomputed, atol=0.0006)
    # A core city the size of Himeji: about 450–650 km² of land.
    assert 450 <= districts["area_km2"].sum() <= 650


@pytest.mark.fast
def test_kinds_of_area_behave_like_a_japanese_core_city(city) -> None:
    districts = city["districts"].set_index("district_id")
    kinds = districts["area_type"]
    assert {"core", "suburb", "mountain", "island"} <= set(kinds)
    assert (kinds == "island").sum() == 1

    by = _by_district(city)
    latest = by.xs(LATEST_FISCAL_YEAR, level="fiscal_year")
    first = by.xs(FIRST_FY, level="fiscal_year")

    # Density by kind: residents per km² of all districts of that kind.
    per_kind = latest.join(districts[["area_type", "area_km2"]]).groupby("area_type")[["population", "area_km2"]].sum()
    density = per_kind["population"] / per_kind["area_km2"]
    assert density["core"] > density["suburb"] > density["mountain"], density.to_dict()

    total, old = _city_totals(city, LATEST_FISCAL_YEAR)
    city_rate = old / total
    rate = latest["old"] / latest["population"]
    change = latest["population"] / first["population"] - 1
    remote = kinds[kinds.isin(["mountain", "island"])].index
    assert len(remote) >= 2
    for d in remote:
        assert rate[d] > city_rate, f"{d} ({kinds[d]}) ageing {rate[d]:.3f} ≤ city {city_rate:.3f}"
        assert change[d] < 0, f"{d} ({kinds[d]}) grew {change[d]:+.2%}"
    suburbs = kinds[kinds == "suburb"].index
    assert (change[suburbs] > 0).any(), "no suburb district grows"


# ----------------------------------------------------------------------------- demographic balance


@pytest.mark.fast
def test_demographic_balance_is_exact(city) -> None:
    stock = _by_district(city)["population"]
    flows = city["population_change"].set_index(["district_id", "fiscal_year"])
    checked = 0
    stock_years = set(stock.index.get_level_values("fiscal_year"))
    for (district, fy), row in flows.iterrows():
        if fy not in stock_years or fy + 1 not in stock_years:
            continue  # the hidden base year FY2020 (no published stock) and the last stock year
        expected = stock[(district, fy)] + row["births"] - row["deaths"] + row["moved_in"] - row["moved_out"]
        assert stock[(district, fy + 1)] == expected, (district, fy)
        checked += 1
    # FY2021 … FY2025 for every district.
    assert checked == len(city["districts"]) * 5


@pytest.mark.fast
def test_net_migration_is_moved_in_minus_moved_out(city) -> None:
    ch = city["population_change"]
    assert (ch["net_migration"] == ch["moved_in"] - ch["moved_out"]).all()
    assert (ch[["births", "deaths", "moved_in", "moved_out"]] >= 0).all().all()


# ----------------------------------------------------------------------------- names


@pytest.mark.fast
def test_district_names_stay_distinct_when_the_pool_runs_out() -> None:
    names = district_names(["island"] * 100)
    assert len(names) == 100
    assert len({ja for ja, _ in names}) == 100
    assert len({en for _, en in names}) == 100
    # The island pool has 3 names: the 4th island starts the second lap (第二 / " 2"),
    # the 30th is lap 10 (i = 29 → 29 // 3 = 9 → 第十), the 31st is lap 11 (第11).
    assert len(NAME_POOLS["island"]) == 3
    assert names[0] == ("沖ノ島", "Okinoshima")
    assert names[3] == ("第二沖ノ島", "Okinoshima 2")
    assert names[29] == ("第十鴎島", "Kamomejima 10")
    assert names[30] == ("第11沖ノ島", "Okinoshima 11")


@pytest.mark.fast
def test_district_names_are_distinct_across_kinds() -> None:
    kinds = [k for _ in range(60) for k in NAME_POOLS]  # 60 of every kind, interleaved
    names = district_names(kinds)
    assert len({ja for ja, _ in names}) == len(kinds)
    assert len({en for _, en in names}) == len(kinds)


# ----------------------------------------------------------------------------- calibration


def _calibration_ids(city) -> list[str]:
    return [f"{f.domain}: {f.figure_en}" for f in calibration_figures(city)]


@pytest.mark.fast
def test_every_domain_with_data_declares_its_calibration_figures(city) -> None:
    declared = {d.name for d in domains.domains() if d.calibration}
    assert {"nursery", "facilities", "health"} <= declared
    figures = calibration_figures(city)
    assert {f.domain for f in figures} == declared
    for f in figures:
        assert f.source.strip() and f.target.strip(), f.figure_en


@pytest.mark.fast
def test_each_calibration_figure_lies_in_its_stated_range(city) -> None:
    out = [f"{f.domain}: {f.figure_en} = {f.value:.4g} {f.unit}, range {f.low:g}–{f.high:g}"
           for f in calibration_figures(city) if not f.in_range]
    assert not out, "the synthetic city departs from its calibration table:\n" + "\n".join(out)


@pytest.mark.fast
def test_a_figure_out_of_range_is_caught() -> None:
    from analytics.core.calibration import CalibrationFigure

    inside = CalibrationFigure("x", "f", "f", 3.4, "m²", 3.0, 4.0, "about 3.4", "a source")
    outside = CalibrationFigure("x", "f", "f", 2.25, "m²", 3.0, 4.0, "about 3.4", "a source")
    nan = CalibrationFigure("x", "f", "f", float("nan"), "m²", 3.0, 4.0, "about 3.4", "a source")
    assert inside.in_range and not outside.in_range and not nan.in_range
    with pytest.raises(ValueError):
        CalibrationFigure("x", "f", "f", 1.0, "", 2.0, 1.0, "t", "s")
    with pytest.raises(ValueError):
        CalibrationFigure("x", "f", "f", 1.0, "", 0.0, 2.0, "t", "")
