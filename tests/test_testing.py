"""analytics.core.testing: the disclosure checker's reading of shown values, and the perturbation that
moves people only where the publication cannot see."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.core.testing import move_within_published_cells, parse_count, small_counts

pytestmark = pytest.mark.fast


def test_parse_count_reads_what_a_reader_reads():
    assert parse_count("1,234人") == 1234 and parse_count(7) == 7 and parse_count("12 persons") == 12
    assert parse_count("<10") is None and parse_count("χ") is None and parse_count("—") is None
    assert parse_count(float("nan")) is None
    with pytest.raises(ValueError):
        parse_count("twelve")
    shown = [("a", "3"), ("b", "<10"), ("c", "12"), ("d", "?")]
    assert small_counts(shown, 10) == [("a", "3"), ("d (not a count)", "?")]


def _city() -> dict[str, pd.DataFrame]:
    """Two districts; D1 has meshes m1, m2, m3, D2 has m4. Residents per mesh × sex × age."""
    meshes = pd.DataFrame({"mesh_code": ["m1", "m2", "m3", "m4"], "district_id": ["D1", "D1", "D1", "D2"]})
    rows = [(2026, "m1", "F", 1, 4), (2026, "m1", "M", 3, 2), (2026, "m1", "F", 5, 1), (2026, "m1", "F", 40, 3),
            (2026, "m2", "F", 30, 5), (2026, "m2", "M", 45, 2), (2026, "m3", "M", 2, 1), (2026, "m3", "F", 70, 6),
            (2026, "m4", "F", 0, 2), (2026, "m4", "M", 50, 9)]
    population = pd.DataFrame(rows, columns=["fiscal_year", "mesh_code", "sex", "age", "population"])
    apps = pd.DataFrame({"application_id": ["A1", "A2", "A3"], "mesh_code": ["m1", "m2", "m4"],
                         "district_id": ["D1", "D1", "D2"], "admitted": [True, False, True]})
    checkups = pd.DataFrame({"person_id": ["P1", "P1", "P2", "P3"], "fiscal_year": [2024, 2025, 2025, 2025],
                             "mesh_code": ["m1", "m1", "m2", "m4"], "district_id": ["D1", "D1", "D1", "D2"]})
    return {"meshes": meshes, "population": population, "nursery_applications": apps, "checkups": checkups}


def _by(df: pd.DataFrame, meshes: pd.DataFrame, keys: list[str]) -> pd.Series:
    d = df.merge(meshes, on="mesh_code")
    d = d.assign(group=np.minimum(d["age"] // 5, 20), broad=np.digitize(d["age"], [15, 65]))
    return d.groupby(keys)["population"].sum()


def test_moves_keep_every_published_figure_and_change_the_detail():
    city = _city()
    moved = move_within_published_cells(city, seed=3)
    pop, new = city["population"], moved["population"]
    m = city["meshes"]
    # published: district × sex × 5-year group, district × broad group, residents per mesh
    for keys in (["fiscal_year", "district_id", "sex", "group"], ["fiscal_year", "district_id", "broad"],
                 ["fiscal_year", "mesh_code"]):
        pd.testing.assert_series_equal(_by(pop, m, keys), _by(new, m, keys))
    # not published: children per mesh and single ages moved
    kids = lambda d: d[d["age"] <= 5].groupby("mesh_code")["population"].sum()  # noqa: E731
    assert not kids(pop).equals(kids(new))
    assert set(new["age"]) >= {1, 8} and not ({3, 5} & set(new.loc[new["population"] > 0, "age"]))
    assert (new["population"] > 0).all() and new["population"].sum() == pop["population"].sum()
    # the only mesh of D2 has nowhere to go: untouched there
    pd.testing.assert_frame_equal(pop[pop["mesh_code"] == "m4"].reset_index(drop=True),
                                  new[new["mesh_code"] == "m4"].reset_index(drop=True), check_dtype=False)
    # admitted applicants move within their district; the waiting one stays
    apps = moved["nursery_applications"].set_index("application_id")
    assert apps.loc["A1", "mesh_code"] in {"m2", "m3"} and apps.loc["A2", "mesh_code"] == "m2"
    assert apps.loc["A3", "mesh_code"] == "m4"
    # the insured keep their district, and one mesh per person
    checkups = moved["checkups"]
    assert (checkups.merge(m, on="mesh_code", suffixes=("", "_of_mesh"))
            .eval("district_id == district_id_of_mesh").all())
    assert checkups.groupby("person_id")["mesh_code"].nunique().max() == 1
