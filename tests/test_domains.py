"""Tests for the domain seam: analytics.domains (the list), analytics.core.domain (the record),
analytics.core.datasets (a dataset's declaration) and the registry collecting them."""

from __future__ import annotations

import pytest

from analytics import domains, registry
from analytics.core.datasets import DatasetSpec, flag_column, lon_lat_columns, name_columns
from analytics.core.domain import Domain
from analytics.core.schemas import DISTRICT_ID, Column, DatasetSchema
from tests import toy_domain

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)


def _package(tmp_path, monkeypatch, name: str, body: str) -> str:
    """A throw-away package ``name`` on the path whose ``__init__`` is ``body``."""
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text(body, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def _schema(**kw) -> DatasetSchema:
    return DatasetSchema(name="d", title_ja="d", title_en="d", description_ja="d", description_en="d",
                         key=("district_id",), columns=(DISTRICT_ID, Column("n", "int", "n", "n", "n", "n")), **kw)


def _spec(**kw) -> DatasetSpec:
    return DatasetSpec(**{"schema": _schema(), "file": "d.parquet", "generator": "g", "holder_ja": "課",
                          "holder_en": "division", "form_ja": "一覧", "form_en": "list", **kw})


def test_the_listed_domains_in_order_with_city_first():
    assert [d.name for d in domains.domains()] == ["city", "nursery", "facilities", "health"]
    assert [p.rsplit(".", 1)[-1] for p in domains.PACKAGES] == [d.name for d in domains.domains()]
    # each domain declares its own datasets; the registry holds them all, in the list's order
    declared = [s.name for d in domains.domains() for s in d.datasets]
    assert declared == registry.names() and len(set(declared)) == len(declared)


def test_including_a_domain_adds_its_datasets_and_removes_them_after():
    before = registry.names()
    with domains.including(toy_domain.PACKAGE) as toy:
        assert toy is toy_domain.DOMAIN and domains.domains()[-1] is toy
        assert registry.names() == [*before, toy_domain.TOY]
        assert registry.spec(toy_domain.TOY) is toy_domain.SPEC
    assert registry.names() == before and toy_domain.PACKAGE not in domains.PACKAGES
    with pytest.raises(ValueError, match="already listed"), domains.including("analytics.city"):
        pass


def test_a_package_without_its_declaration_is_refused(tmp_path, monkeypatch):
    name = _package(tmp_path, monkeypatch, "undeclared_domain", "X = 1\n")
    with pytest.raises(TypeError, match="declares no DOMAIN"), domains.including(name):
        pass
    assert name not in domains.PACKAGES


def test_two_domains_may_not_share_a_name_nor_a_dataset(tmp_path, monkeypatch):
    same_name = _package(tmp_path, monkeypatch, "second_city",
                         "from analytics.core.domain import Domain\nDOMAIN = Domain('city', (), {})\n")
    with pytest.raises(ValueError, match="share a name"), domains.including(same_name):
        pass
    same_dataset = _package(tmp_path, monkeypatch, "second_toy",
                            "from tests.toy_domain import SPEC\nfrom analytics.core.domain import Domain\n"
                            "DOMAIN = Domain('toy', (SPEC,), {})\n")
    with domains.including(toy_domain.PACKAGE):
        with pytest.raises(ValueError, match="share a name"), domains.including(same_dataset):
            pass
    renamed = _package(tmp_path, monkeypatch, "renamed_toy",
                       "from dataclasses import replace\nfrom tests.toy_domain import SPEC\n"
                       "from analytics.core.domain import Domain\n"
                       "DOMAIN = Domain('toy2', (replace(SPEC, generator='toy2'),), {})\n")
    with domains.including(toy_domain.PACKAGE), domains.including(renamed):
        with pytest.raises(ValueError, match="declared twice"):
            registry.names()
    assert toy_domain.TOY not in registry.names()


def test_a_domain_declares_only_the_datasets_its_generator_part_makes():
    with pytest.raises(ValueError, match=r"datasets \['d'\] name another generator part"):
        Domain("h", (_spec(),), {})
    assert Domain("g", (_spec(),), {}).datasets[0].name == "d"


def test_a_dataset_of_people_is_published_only_through_its_block():
    with pytest.raises(ValueError, match="published only through its block"):
        _spec(schema=_schema(person_counts=("n",)))
    with pytest.raises(ValueError, match="published only through its block"):
        _spec(schema=_schema(person_counts=("n",)), publication=toy_domain.toy_block)
    spec = _spec(schema=_schema(person_counts=("n",)), publication=toy_domain.toy_block,
                 download=toy_domain.toy_download)
    assert spec.name == "d" and spec.holder("en") == "division" and spec.form("ja") == "一覧"


def test_personal_items_must_be_columns():
    with pytest.raises(ValueError, match=r"personal items \['name'\] are not columns"):
        _spec(personal_items=("name",))
    assert _spec(personal_items=("n",)).personal_items == ("n",)


def test_the_shared_column_shapes():
    flag = flag_column("reminded", "勧奨", "Reminded", "勧奨の有無", "Whether reminded")
    assert flag.dtype == "bool" and flag.aliases == ("勧奨",)
    lon, lat = lon_lat_columns("施設", "facility")
    assert (lon.minimum, lon.maximum, lat.minimum, lat.maximum) == (122.0, 154.0, 20.0, 46.0)
    assert [c.name for c in name_columns("施設", "facility")] == ["name_ja", "name_en"]


def test_a_reference_download_drops_the_geometry():
    import geopandas as gpd
    from shapely.geometry import Point

    df = gpd.GeoDataFrame({"district_id": ["D001"], "n": [1]}, geometry=[Point(0, 0)])
    out = _spec().reference_table(df)
    assert list(out.columns) == ["district_id", "n"] and type(out) is not gpd.GeoDataFrame
