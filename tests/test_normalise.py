"""Normalising planners' tables (analytics.core.normalise) and the checks across datasets
(analytics.consistency), each on small tables whose answers are worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import registry
from analytics.catalog import Catalog
from analytics.consistency import FAR_FROM_CITY_M, cross_checks
from analytics.core import geo
from analytics.core.normalise import fiscal_year_of, is_top_value, normalise
from analytics.core.schemas import affected_lines, validate

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

CAT = Catalog()


@pytest.mark.parametrize(("text", "year"), [
    ("2024年度", 2024), ("FY2024", 2024), ("fy 2024", 2024), ("２０２４年度", 2024), ("令和6年度", 2024),
    ("令和元年度", 2019), ("R6", 2024), ("r06", 2024), ("Ｒ６", 2024), ("H30", 2018), ("平成30年度", 2018),
    ("平成31年度", 2019), ("昭和56年度", 1981), ("S56", 1981), ("令6年度", 2024), ("平31年度", 2019),
    ("2024年", None), ("2024", None), ("令和0年度", None), ("6", None), ("R", None), ("令和六年度", None),
])
def test_fiscal_years_in_their_many_spellings(text, year):
    assert fiscal_year_of(text) == year


@pytest.mark.parametrize(("text", "top"), [
    ("100歳以上", True), ("100才以上", True), ("１００歳以上", True), ("100+", True), ("100～", True),
    ("100 歳 以上", True), ("100 and over", True), ("100以上", True),
    ("99歳以上", False), ("101歳以上", False), ("100", False), ("100歳", False), ("100歳未満", False),
    ("以上", False), ("100-", False),
])
def test_the_top_of_a_top_coded_column_in_its_spellings(text, top):
    assert is_top_value(text, 100) is top


def test_100_and_over_becomes_100_with_a_warning_of_its_own():
    """The population's age is top-coded (100 = 100 and over): 100歳以上 and its variants are 100,
    with one warning naming every line; another age "and over" stays, for the contract to refuse."""
    sch = registry.contract("population")
    assert sch.column("age").top_coded and sch.column("age").maximum == 100
    ages = ["100歳以上", "３", "100才以上", "１００歳以上", "100+", "99歳以上", "100"]
    meshes = CAT.get("meshes")["mesh_code"].astype(str).head(7).tolist()  # one key per row
    frame = _pop(fiscal_year=["2025"] * 7, mesh_code=meshes, sex=list("MFMFMFM"), age=ages, population=["1"] * 7)
    out = normalise(sch, frame)
    assert out.frame["age"].tolist() == ["100", "3", "100", "100", "100", "99歳以上", "100"]
    top = [p for p in out.problems if "100以上" in p.message_ja]
    assert len(top) == 1 and top[0].severity == "warning" and top[0].column == "age"
    assert top[0].row == 2 and list(top[0].affected) == [2, 4, 5, 6]  # lines: header on line 1
    assert "4 個のセル" in top[0].message_ja and "100 and over" in top[0].message_en
    assert list(top[0].values) == ["100歳以上", "100才以上", "１００歳以上", "100+"]
    number = [p for p in out.problems if p is not top[0]]
    assert len(number) == 1 and list(number[0].affected) == [3]  # ３ → 3, the usual conversion
    refused = [p for p in validate(sch, out.frame) if p.severity == "error"]
    assert [(p.row, p.column, p.value) for p in refused] == [(7, "age", "99歳以上")]


def test_and_over_is_refused_where_the_contract_has_no_top_code():
    """The checkup's age (40–74) is not top-coded: 75歳以上 is not read as 74, nor as anything."""
    sch = registry.contract("checkups")
    assert not sch.column("age").top_coded
    row = CAT.get("checkups").head(1).astype(str).assign(age="74歳以上")
    out = normalise(sch, row)
    assert out.frame["age"].tolist() == ["74歳以上"] and not out.problems


def _pop(**columns) -> pd.DataFrame:
    base = {"fiscal_year": ["2025"] * 3, "mesh_code": ["523415951"] * 3, "sex": ["M", "F", "M"],
            "age": ["0", "0", "1"], "population": ["12", "10", "7"]}
    base.update(columns)
    return pd.DataFrame(base, dtype="str")


def _warning(problems, column):
    found = [p for p in problems if p.column == column]
    assert len(found) == 1 and found[0].severity == "warning", problems
    return found[0]


def test_numbers_lose_width_separators_units_and_the_accounting_minus():
    sch = registry.contract("population")
    out = normalise(sch, _pop(population=["１２", "1,234", "7人"], age=["0歳", "0", " 1 "]))
    assert out.frame["population"].tolist() == ["12", "1234", "7"]
    assert out.frame["age"].tolist() == ["0", "0", "1"]
    w = _warning(out.problems, "population")
    assert "3 個のセル" in w.message_ja and "「１２」→「12」" in w.message_ja and w.row == 2
    assert _warning(out.problems, "age").row == 2
    change = registry.contract("population_change")
    frame = pd.DataFrame({"district_id": ["D001"], "fiscal_year": ["2025"], "births": ["3"], "deaths": ["5"],
                          "moved_in": ["1"], "moved_out": ["2"], "net_migration": ["△1"]}, dtype="str")
    assert normalise(change, frame).frame["net_migration"].tolist() == ["-1"]


def test_ambiguous_cells_are_left_for_the_contract_to_reject():
    sch = registry.contract("population")
    frame = _pop(fiscal_year=["2024年", "2025", "2025"], mesh_code=["5.23416E+08", "523415951", "523415951"],
                 sex=["1", "F", "M"], population=["-", "x", "約100"])
    out = normalise(sch, frame)
    assert out.problems == []
    pd.testing.assert_frame_equal(out.frame, frame)
    errors = {p.column for p in validate(sch, out.frame) if p.severity == "error"}
    assert errors == {"fiscal_year", "mesh_code", "sex", "population"}
    symbol = [p for p in validate(sch, out.frame) if p.column == "population" and p.row == 2]
    assert "記号" in symbol[0].message_ja  # "-" is said to be ambiguous, not just "not a number"


def test_years_codes_and_categories():
    sch = registry.contract("population")
    out = normalise(sch, _pop(fiscal_year=["令和7年度", "R7", "2025"], sex=["男", "女性", "m"],
                              mesh_code=["5234-1595-1", "523415951.0", " 523415951"]))
    assert out.frame["fiscal_year"].tolist() == ["2025"] * 3
    assert out.frame["sex"].tolist() == ["M", "F", "M"]
    assert out.frame["mesh_code"].tolist() == ["523415951"] * 3
    assert "「令和7年度」→「2025」" in _warning(out.problems, "fiscal_year").message_ja
    districts = registry.contract("districts")
    frame = pd.DataFrame({"district_id": ["Ｄ００１", " D002"], "area_type": ["CORE", "ｓｕｂｕｒｂ"]}, dtype="str")
    out = normalise(districts, frame)
    assert out.frame["district_id"].tolist() == ["D001", "D002"]
    assert out.frame["area_type"].tolist() == ["core", "suburb"]


def test_keys_are_checked_after_normalising():
    sch = registry.contract("population")
    frame = _pop(fiscal_year=["令和7年度", "2025", "2025"], sex=["M", "M", "F"], age=["0", "0", "0"])
    assert not any("重複" in p.message_ja for p in validate(sch, frame))  # as written, three keys
    dup = [p for p in validate(sch, normalise(sch, frame).frame) if p.severity == "error"]
    assert [p.row for p in dup] == [2, 3] and "重複" in dup[0].message_ja


def test_a_typed_frame_passes_unchanged():
    sch = registry.contract("population")
    frame = CAT.get("population").head(50)
    out = normalise(sch, frame)
    assert out.problems == []
    pd.testing.assert_frame_equal(out.frame, frame)


# ----------------------------------------------------------------------------- across datasets


def _view(**replaced) -> dict:
    return CAT.data() | replaced


def test_unknown_references_are_counted_with_examples():
    caps = CAT.get("nursery_capacity").head(10).copy()
    caps.loc[caps.index[[2, 5]], "facility_id"] = "N9999"
    [p] = cross_checks("nursery_capacity", caps, _view(nursery_capacity=caps))
    assert p.severity == "error" and p.row == 4 and p.column == "facility_id"
    assert p.message_ja.startswith("2行") and "N9999" in p.message_ja


def test_a_reference_dataset_may_not_drop_what_datasets_in_use_refer_to():
    districts = CAT.get("districts")
    fewer = districts[districts["district_id"] != districts["district_id"].iloc[0]]
    problems = cross_checks("districts", fewer, _view(districts=fewer), staged={"districts"})
    gone = districts["district_id"].iloc[0]
    dependents = {n for n in registry.names() if any(ref == "districts" for _, ref, _ in registry.references(n))}
    named = {n for n in dependents if any(registry.contract(n).title_ja in p.message_ja for p in problems)}
    meshes = CAT.get("meshes")
    assert named and "meshes" in named and all(p.severity == "error" and gone in p.value for p in problems)
    n_meshes = int((meshes["district_id"] == gone).sum())
    assert any(f"{n_meshes:,} 行" in p.message_ja for p in problems if registry.contract("meshes").title_ja
               in p.message_ja)
    # staged together with every dataset that refers to districts, nothing is said of them
    assert cross_checks("districts", fewer, _view(districts=fewer), staged={"districts", *dependents}) == []


def test_meshes_far_from_the_city_and_in_another_district():
    meshes = CAT.get("meshes").copy()
    far_code = str(geo.mesh_code(35.68, 139.76)[0])  # Tokyo: hundreds of km away
    meshes = pd.concat([meshes.iloc[:1], meshes.iloc[:1].assign(mesh_code=far_code), meshes.iloc[1:]],
                       ignore_index=True)
    districts = CAT.get("districts")
    other = districts["district_id"][districts["district_id"] != meshes["district_id"].iloc[3]].iloc[0]
    meshes.loc[meshes.index[3], "district_id"] = other
    problems = cross_checks("meshes", meshes, _view(meshes=meshes), staged={"meshes"})
    far = [p for p in problems if p.severity == "error"]
    assert len(far) == 1 and far[0].row == 3 and far_code in far[0].message_ja and "km" in far[0].message_ja
    [moved] = [p for p in problems if p.severity == "warning"]
    assert moved.row == 5 and moved.column == "district_id"


def test_points_are_in_their_district_and_never_far_from_the_city():
    facilities = CAT.get("facilities").copy()
    facilities.loc[facilities.index[0], ["lon", "lat"]] = [125.0, 30.0]  # in the sea, about 1,000 km away
    ids = CAT.get("districts")["district_id"]
    other = ids[ids != facilities["district_id"].iloc[1]].iloc[0]
    facilities.loc[facilities.index[1], "district_id"] = other
    problems = cross_checks("facilities", facilities, _view(facilities=facilities), staged={"facilities"})
    assert [(p.severity, p.row, p.column) for p in problems] == [("error", 2, "lon"), ("warning", 3, "district_id")]
    assert FAR_FROM_CITY_M < 900_000 and "km" in problems[0].message_ja


def test_a_cross_check_names_every_line_it_concerns():
    """An unknown mesh on 25 scattered rows is one problem whose row is the first and whose lines are
    all 25 (with their values), not five examples; located at the lines of the planner's file."""
    pop = CAT.get("population").head(60).copy()
    far_code = str(geo.mesh_code(35.68, 139.76)[0])  # Tokyo
    bad = [0, 3, 4, 5, 9, *range(20, 40)]
    pop["mesh_code"] = pop["mesh_code"].astype(str)
    pop.loc[pop.index[bad], "mesh_code"] = far_code
    [p] = [q for q in cross_checks("population", pop, _view(population=pop), staged={"population"})
           if q.severity == "error"]
    assert p.severity == "error" and p.row == 2 and "25行" in p.message_ja
    assert list(p.affected) == [i + 2 for i in bad] and list(p.values) == [far_code] * 25
    table = affected_lines([p], "en", "pop.csv")
    assert list(table.columns) == ["file", "row", "severity", "column", "value", "problem"]
    assert table["row"].tolist() == [i + 2 for i in bad] and set(table["value"]) == {far_code}
    assert set(table["file"]) == {"pop.csv"} and set(table["column"]) == {"mesh_code"}
    # the lines of the planner's file: two title rows and a blank line above the header
    lines = [i + 5 for i in range(len(pop))]
    assert list(p.located(lines).affected) == [i + 5 for i in bad] and p.located(lines).row == 5


# ----------------------------------------------------------------------------- no unforeseen failure

ODD_CELLS = ["", " ", "nan", "NaN", "inf", "-inf", "1e309", "-0", "0x1F", "１２３", "1,2,3", "△", "▲0", "令和",
             "R99", "H", "9" * 40, "-" * 3, "<img src=x onerror=alert(1)>", "=SUM(A1:A9)", "\u3000", "\t", "男", "Ｆ",
             "D001 ", "5234-1595-1", "523415951.0", "5.23416E+08", "2024年度", "FY", "TRUE", "×", "None", "null",
             "\u202e", "😀", "ｶﾅ", "髙", "1.5", "-1", "100000000000000000000"]


def test_odd_cells_never_make_the_checks_fail_unexpectedly():
    """Random odd cells in every column of real rows: whatever is found is a Problem of the
    file; never the catch-all "could not be checked" (that would be an unforeseen failure)."""
    import random

    rng = random.Random(20261126)
    unforeseen = "could not be checked"
    for name in ("population_change", "nurseries", "nursery_capacity", "population", "checkup_sites"):
        rows = CAT.get(name).head(30).astype(str)
        for _ in range(12):
            frame = rows.copy()
            for _ in range(rng.randint(1, 6)):
                frame.iat[rng.randrange(len(frame)), rng.randrange(frame.shape[1])] = rng.choice(ODD_CELLS)
            problems = Catalog().load_file(name, frame.to_csv(index=False).encode("utf-8"), f"{name}.csv",
                                           apply=False)
            assert not [p for p in problems if unforeseen in p.message_en], (name, problems)
