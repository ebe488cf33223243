"""Tests for analytics.catalog: the one data seam, per session, with copy-on-write isolation.

Every Catalog() in this file reads the committed synthetic city (sample_data/); the frames
are read once per process, so the file stays fast.
"""

from __future__ import annotations

import pickle

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from analytics import registry
from analytics.catalog import Catalog, DatasetSource

NAMES = ["districts", "meshes", "population", "population_change", "nurseries", "nursery_capacity",
         "nursery_applications", "nursery_sites", "facilities", "buildings", "facility_operations", "past_investment",
         "checkup_sites", "checkups"]
SCHEMAS = {n: registry.contract(n) for n in registry.names()}


def _upload() -> pd.DataFrame:
    """population_change for 2 districts as a planner's CSV arrives: Japanese alias headers,
    every value a string, and one column that is not in the contract."""
    return pd.DataFrame(
        {
            "地区ID": ["D001", "D002"],
            "年度": ["2025", "2025"],
            "出生数": ["12", "7"],
            "死亡": ["30", "4"],
            "転入数": ["100", "50"],
            "転出数": ["90", "60"],
            "社会増減": ["10", "-10"],
            "備考": ["メモ", "memo"],
        }
    )


# ----------------------------------------------------------------------------- serving


@pytest.mark.fast
def test_names_follow_the_registry_order() -> None:
    assert Catalog().names() == NAMES == registry.names()


@pytest.mark.fast
@pytest.mark.parametrize("name", NAMES)
def test_get_serves_every_dataset_with_its_contract_columns(name: str) -> None:
    df = Catalog().get(name)
    assert len(df) > 0
    assert list(df.columns) == SCHEMAS[name].column_names
    assert isinstance(df, gpd.GeoDataFrame) == (name == "districts")


@pytest.mark.fast
def test_n_rows_counts_the_served_rows() -> None:
    c = Catalog()
    assert c.n_rows("districts") == len(c.get("districts")) == 40


@pytest.mark.fast
def test_unknown_name_raises_key_error() -> None:
    cat = Catalog()
    with pytest.raises(KeyError, match="nope"):
        cat.get("nope")
    with pytest.raises(KeyError):
        cat.replace("nope", _upload(), "x.csv")


@pytest.mark.fast
def test_source_and_is_synthetic_by_default() -> None:
    cat = Catalog()
    assert cat.is_synthetic()
    for name in NAMES:
        src = cat.source(name)
        assert isinstance(src, DatasetSource)
        assert src.kind == "synthetic"
        assert src.label == "合成市 (synthetic)"
    # each dataset has its own fingerprint
    assert len({cat.source(n).fingerprint for n in NAMES}) == len(NAMES)


# ----------------------------------------------------------------------------- copy-on-write isolation


@pytest.mark.fast
def test_modifying_a_got_frame_changes_no_other_session() -> None:
    a, b = Catalog(), Catalog()
    df = a.get("population")
    first = int(df["population"].iloc[0])
    n_cols = df.shape[1]

    df["extra"] = 1
    df.loc[df.index[0], "population"] = first + 1_000_000
    df.iloc[1, df.columns.get_loc("age")] = 999
    assert df["population"].iloc[0] == first + 1_000_000  # the caller's own copy did change

    for fresh in (a.get("population"), b.get("population"), Catalog().get("population")):
        assert "extra" not in fresh.columns
        assert fresh.shape[1] == n_cols
        assert int(fresh["population"].iloc[0]) == first
        assert int(fresh["age"].iloc[1]) != 999


@pytest.mark.fast
def test_modifying_the_districts_geodataframe_changes_no_other_session() -> None:
    df = Catalog().get("districts")
    name, area = df["name_ja"].iloc[0], float(df["area_km2"].iloc[0])
    df.loc[df.index[0], "name_ja"] = "改ざん"
    df["area_km2"] = df["area_km2"] * 0
    df["colour"] = "red"
    fresh = Catalog().get("districts")
    assert fresh["name_ja"].iloc[0] == name
    assert float(fresh["area_km2"].iloc[0]) == area
    assert "colour" not in fresh.columns


# ----------------------------------------------------------------------------- replace / reset


@pytest.mark.fast
def test_replace_uses_the_upload_in_this_catalog_only() -> None:
    cat, other = Catalog(), Catalog()
    synthetic_rows = len(other.get("population_change"))
    assert synthetic_rows > 2

    problems = cat.replace("population_change", _upload(), "転入転出.csv")

    # the extra column is a warning (it will be ignored), not an error
    assert [p.severity for p in problems] == ["warning"]
    assert problems[0].column == "備考"

    got = cat.get("population_change")
    assert list(got.columns) == SCHEMAS["population_change"].column_names  # aliases renamed, 備考 dropped
    assert got["district_id"].tolist() == ["D001", "D002"]
    assert got["fiscal_year"].tolist() == [2025, 2025]
    assert got["births"].tolist() == [12, 7]
    assert got["deaths"].tolist() == [30, 4]
    assert got["moved_in"].tolist() == [100, 50]
    assert got["moved_out"].tolist() == [90, 60]
    assert got["net_migration"].tolist() == [10, -10]
    for col in ("fiscal_year", "births", "deaths", "moved_in", "moved_out", "net_migration"):
        assert got[col].dtype == "int64", col

    # the other session and a brand-new one still see the synthetic city
    assert len(other.get("population_change")) == synthetic_rows
    assert len(Catalog().get("population_change")) == synthetic_rows
    assert other.is_synthetic()
    # the other datasets of this catalog are still synthetic
    assert cat.source("population").kind == "synthetic"


@pytest.mark.fast
def test_replace_records_the_source() -> None:
    cat = Catalog()
    cat.replace("population_change", _upload(), "転入転出.csv")
    src = cat.source("population_change")
    assert src.kind == "upload"
    assert src.label == "転入転出.csv"
    assert not cat.is_synthetic()


@pytest.mark.fast
def test_upload_is_isolated_from_the_callers_frame_and_from_readers() -> None:
    cat = Catalog()
    up = _upload()
    cat.replace("population_change", up, "x.csv")
    up.loc[0, "出生数"] = "9999"  # the planner's frame changes afterwards
    got = cat.get("population_change")
    got.loc[0, "births"] = -1  # a page modifies what it got
    got["extra"] = 0
    again = cat.get("population_change")
    assert again["births"].tolist() == [12, 7]
    assert "extra" not in again.columns


@pytest.mark.fast
def test_fingerprint_changes_after_replace_and_returns_after_reset() -> None:
    cat = Catalog()
    all_before = cat.fingerprint()
    pc_before = cat.fingerprint("population_change")
    pop_before = cat.fingerprint("population")
    assert Catalog().fingerprint() == all_before  # deterministic across sessions

    cat.replace("population_change", _upload(), "x.csv")
    assert cat.fingerprint() != all_before
    assert cat.fingerprint("population_change") != pc_before
    assert cat.fingerprint("population") == pop_before  # untouched dataset keeps its key

    cat.reset("population_change")
    assert cat.fingerprint() == all_before
    assert cat.fingerprint("population_change") == pc_before
    assert cat.is_synthetic()
    assert cat.source("population_change").kind == "synthetic"
    assert len(cat.get("population_change")) > 2


@pytest.mark.fast
def test_different_uploads_have_different_fingerprints() -> None:
    a, b = Catalog(), Catalog()
    a.replace("population_change", _upload(), "x.csv")
    b.replace("population_change", _upload().assign(出生数=["13", "7"]), "x.csv")
    assert a.fingerprint("population_change") != b.fingerprint("population_change")


@pytest.mark.fast
def test_reset_without_name_restores_everything() -> None:
    cat = Catalog()
    before = cat.fingerprint()
    cat.replace("population_change", _upload(), "x.csv")
    cat.reset()
    assert cat.is_synthetic()
    assert cat.fingerprint() == before


@pytest.mark.fast
def test_replace_with_errors_returns_them_and_keeps_the_synthetic_data() -> None:
    cat = Catalog()
    before = cat.fingerprint()
    bad = _upload().assign(出生数=["abc", "-1"])
    problems = cat.replace("population_change", bad, "bad.csv")
    errors = [p for p in problems if p.severity == "error"]
    assert {(p.row, p.column) for p in errors} == {(2, "births"), (3, "births")}
    assert cat.is_synthetic()
    assert cat.fingerprint() == before
    assert len(cat.get("population_change")) > 2


@pytest.mark.fast
def test_replace_with_errors_keeps_the_previous_upload() -> None:
    cat = Catalog()
    cat.replace("population_change", _upload(), "good.csv")
    fp = cat.fingerprint()
    problems = cat.replace("population_change", _upload().drop(columns=["転出数"]), "bad.csv")
    assert any(p.severity == "error" and p.column == "moved_out" for p in problems)
    assert cat.source("population_change").label == "good.csv"
    assert cat.fingerprint() == fp
    assert cat.get("population_change")["births"].tolist() == [12, 7]


# ----------------------------------------------------------------------------- another data folder, the publication


@pytest.mark.fast
def test_the_data_folder_comes_from_the_environment(tmp_path, monkeypatch) -> None:
    """``EBPM_DATA_DIR`` serves a city generated elsewhere (e.g. at another scale)."""
    pd.DataFrame({"mesh_code": ["523415951"], "district_id": ["D001"]}).to_parquet(tmp_path / "meshes.parquet")
    monkeypatch.setenv(registry.DATA_DIR_ENV, str(tmp_path))
    cat = Catalog()
    assert cat.get("meshes")["mesh_code"].tolist() == ["523415951"]
    assert cat.fingerprint("meshes") != Catalog(registry.SAMPLE_DATA_DIR).fingerprint("meshes")


@pytest.mark.fast
def test_the_fingerprint_follows_the_content_not_the_folder(tmp_path) -> None:
    for entry in registry.DATASETS.values():
        (tmp_path / entry.file).write_bytes((registry.SAMPLE_DATA_DIR / entry.file).read_bytes())
    assert Catalog(tmp_path).fingerprint() == Catalog().fingerprint()


def test_the_publication_is_cached_beside_synthetic_data_only(tmp_path) -> None:
    from analytics.synth import generate_city, write_sample_data

    write_sample_data(generate_city(scale=0.1), tmp_path)  # a small city: the rule takes a moment
    cat = Catalog(tmp_path)
    pub = cat.publication(12)
    cached = list((tmp_path / "cache").glob("*.npz"))
    assert len(cached) == 1 and "-t12-" in cached[0].name
    assert (cat.publication(12).labels == pub.labels).all()
    stored = tmp_path / "cache" / "published-t12.pickle"
    assert cat.publication_store(12) == stored and stored.is_file()
    cat.replace("population_change", _upload(), "x.csv")
    assert cat.publication_store(12) is None
    cat.publication(12)
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 1  # a planner's data never reaches the disk
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted([cached[0].name, stored.name])
    assert "static" not in stored.parts


def _same(a, b) -> bool:
    return (list(a.tables) == list(b.tables) and np.array_equal(a.hidden, b.hidden)
            and np.array_equal(a.labels, b.labels) and np.array_equal(a.shown, b.shown, equal_nan=True))


def test_the_whole_publication_is_built_once_and_read_back_by_later_processes(tmp_path, monkeypatch) -> None:
    """Issue 27, item 1: the built publication is kept on disk keyed on the data, the threshold,
    the rule and the code; a later catalog (another process) reads it without building; a
    changed key or a damaged file rebuilds it; the file is replaced whole, never half-written."""
    from analytics.synth import generate_city, write_sample_data

    write_sample_data(generate_city(scale=0.1), tmp_path)
    first = Catalog(tmp_path).publication(12)
    stored = tmp_path / "cache" / "published-t12.pickle"
    assert stored.is_file() and not list((tmp_path / "cache").glob(".*.part"))
    built = []
    real_publish = registry.publish
    monkeypatch.setattr(registry, "publish", lambda *a, **k: built.append(1) or real_publish(*a, **k))
    assert _same(Catalog(tmp_path).publication(12), first) and not built  # read back, not built
    # changed code (a block's module or the rule): rebuilt and stored again
    monkeypatch.setattr(registry, "publication_code_hash", lambda names: "changed")
    assert _same(Catalog(tmp_path).publication(12), first) and len(built) == 1
    assert _same(Catalog(tmp_path).publication(12), first) and len(built) == 1  # the new key is read back
    # a damaged or foreign file is ignored and rebuilt
    for damage in (stored.read_bytes()[:1000], b"not a pickle", pickle.dumps(("publication-1", "other", None))):
        stored.write_bytes(damage)
        assert _same(Catalog(tmp_path).publication(12), first)
    assert len(built) == 4
    # other data in the folder: another key
    other = tmp_path / "other"
    write_sample_data(generate_city(seed=7, scale=0.1), other)
    assert not _same(Catalog(other).publication(12), first)


def test_a_stored_publication_is_written_whole(tmp_path, monkeypatch) -> None:
    from analytics.core import publication as publication_module

    pub = Catalog().publication(10)
    path = tmp_path / "published-t10.pickle"
    assert publication_module.store_publication(path, "k", pub)
    assert _same(publication_module.read_stored_publication(path, "k"), pub)
    assert publication_module.read_stored_publication(path, "other key") is None
    monkeypatch.setattr(publication_module.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    assert not publication_module.store_publication(path, "k2", pub)  # failure only costs time
    assert publication_module.read_stored_publication(path, "k") is not None  # the old file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published-t10.pickle"]  # no partial file left


@pytest.mark.fast
def test_load_file_reads_a_cp932_csv_with_a_title_row_and_keeps_the_data_on_error():
    catalog = Catalog()
    change = catalog.get("population_change")
    head = "令和7年度 人口動態（住民基本台帳）\n\n".encode("cp932")
    table = change.rename(columns={"district_id": "地区ID", "fiscal_year": "年度"})
    assert catalog.load_file("population_change", head + table.to_csv(index=False).encode("cp932"),
                             "jinkou.csv") == []
    assert not catalog.is_synthetic()
    assert catalog.get("population_change")["births"].sum() == change["births"].sum()
    # a bad cell is reported at the line the planner sees (title, blank, header: data from line 4)
    bad = table.astype(str)
    bad.loc[4, "births"] = "多い"
    problems = Catalog().load_file("population_change", head + bad.to_csv(index=False).encode("cp932"),
                                   "jinkou.csv")
    errors = [p for p in problems if p.severity == "error"]
    assert errors and {p.row for p in errors} == {8} and {p.column for p in errors} == {"births"}
    # nothing already loaded is lost when a file is refused
    before = catalog.get("population_change")
    assert catalog.load_file("population_change", b"\x00\x01binary", "x.csv")
    assert catalog.get("population_change").equals(before)


@pytest.mark.fast
def test_load_file_refuses_meshes_and_districts_the_city_does_not_hold():
    catalog = Catalog()
    population = catalog.get("population")
    # two consecutive years: the projection has a year to learn from
    rows = pd.concat([population[population["fiscal_year"] == fy].head(25) for fy in (2025, 2026)]).astype(str)
    rows.loc[rows.index[3], "mesh_code"] = "533300001"  # a mesh of another city
    problems = catalog.load_file("population", rows.to_csv(index=False).encode(), "pop.csv")
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.column, p.row, p.value) for p in errors] == [("mesh_code", 5, "533300001")]
    assert catalog.is_synthetic()  # refused: nothing changed
    change = catalog.get("population_change").astype(str)
    change.loc[change.index[[0, 40]], "district_id"] = "D999"  # two fiscal years: no duplicate key
    problems = catalog.load_file("population_change", change.to_csv(index=False).encode(), "pc.csv")
    assert [(p.column, p.row) for p in problems if p.severity == "error"] == [("district_id", 2)]
    assert "2 rows" in problems[0].message_en and "D999" in problems[0].value
