"""Planners' wrong files, end to end: each file of tests/data/bad/ through ``Catalog.load_file``.

The files are made by the recipe in ``tests/bad_corpus.py`` (``python -m tests.bad_corpus``
writes them again); ``tests/data/bad/expected.csv`` says, one line per file, what must
happen: ``refused`` (at least one error, and the data in use stay as they were) or
``accepted`` (no error, the file is served), the counts of problems by severity
(``error=1;warning=0``, or ``error>=1``), a text one problem's Japanese message must hold,
the line of the first error (as Excel shows it; the feature number for a GeoJSON) and, for
the size limit, the ``max_bytes`` to load with.
"""

from __future__ import annotations

import csv
import re
from functools import cache

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import mapping

from analytics import i18n, registry
from analytics.catalog import Catalog
from analytics.core import geo
from analytics.core.schemas import Problem, affected_lines, problems_frame
from tests.bad_corpus import BAD, CORPUS, EXPECTED, XSS, city, crlf, district_features, geojson, rounded, table_lines

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

COLUMNS = ["file", "dataset", "outcome", "severity_counts", "must_mention", "line", "max_bytes"]
# What a planner must never see: Python's own words for a failure
EXCEPTION_TEXT = re.compile(r"Traceback|File \"|Error\(|Exception\(|\b[A-Z][A-Za-z]*(?:Error|Exception)\b")


def _cases() -> list[dict[str, str]]:
    with EXPECTED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


CASES = _cases()
BY_FILE = {c["file"]: c for c in CASES}
FILES = [c["file"] for c in CASES]


@cache
def _loaded(file: str) -> tuple[list[Problem], pd.DataFrame, Catalog]:
    """(problems, the dataset served before, the catalog after) of loading ``file`` from disk (once)."""
    case = BY_FILE[file]
    name = case["dataset"]
    cat = Catalog()
    before = cat.get(name)
    kwargs = {"max_bytes": int(case["max_bytes"])} if case["max_bytes"] else {}
    problems = cat.load_file(name, BAD / file, **kwargs)
    return problems, before, cat


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _show(problems: list[Problem]) -> str:
    return "\n".join(f"  {p.severity} row={p.row} col={p.column}: {p.message_en}" for p in problems) or "  (none)"


# ---------------------------------------------------------------------------------------------
# The corpus


def test_expected_lists_every_file_of_the_recipe_once():
    with EXPECTED.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == COLUMNS
    assert len(FILES) == len(set(FILES))
    assert set(FILES) == set(CORPUS)
    for c in CASES:
        assert c["outcome"] in ("refused", "accepted"), c
        assert c["dataset"] in registry.names(), c
        assert re.fullmatch(r"(error|warning)(>=|=)\d+(;(error|warning)(>=|=)\d+)*", c["severity_counts"]), c
        assert c["line"] == "" or c["line"].isdigit(), c
        assert c["outcome"] == "refused" or c["line"] == "", c  # a line is that of the first error


def test_the_files_on_disk_are_the_recipe_and_small():
    on_disk = {p.name for p in BAD.iterdir() if p.is_file() and p != EXPECTED}
    assert on_disk == set(CORPUS), "run `python -m tests.bad_corpus` to write the files again"
    assert all(len(b) < 50 * 1024 for b in CORPUS.values()), {n: len(b) for n, b in CORPUS.items()}
    assert sum(len(b) for b in CORPUS.values()) < 1024**2


@pytest.mark.parametrize("file", FILES)
def test_the_file_on_disk_is_the_recipe(file):
    assert (BAD / file).read_bytes() == CORPUS[file], "run `python -m tests.bad_corpus` to write the files again"


# ---------------------------------------------------------------------------------------------
# Each file: outcome, problems, the data in use


@pytest.mark.parametrize("file", FILES)
def test_outcome(file):
    problems, _, _ = _loaded(file)
    errors = _errors(problems)
    if BY_FILE[file]["outcome"] == "refused":
        assert errors, f"{file} was accepted; expected a refusal. Problems:\n{_show(problems)}"
    else:
        assert not errors, f"{file} was refused; expected it accepted. Problems:\n{_show(problems)}"


@pytest.mark.parametrize("file", FILES)
def test_severity_counts(file):
    problems, _, _ = _loaded(file)
    for item in BY_FILE[file]["severity_counts"].split(";"):
        severity, op, n = re.fullmatch(r"(error|warning)(>=|=)(\d+)", item).groups()
        count = sum(p.severity == severity for p in problems)
        ok = count >= int(n) if op == ">=" else count == int(n)
        assert ok, f"{file}: {count} {severity}s, expected {op}{n}. Problems:\n{_show(problems)}"


@pytest.mark.parametrize("file", FILES)
def test_the_message_and_the_line(file):
    problems, _, _ = _loaded(file)
    case = BY_FILE[file]
    if case["must_mention"]:
        assert any(case["must_mention"] in p.message_ja for p in problems), (
            f"{file}: no message mentions {case['must_mention']!r}. Problems:\n{_show(problems)}")
    if case["line"]:
        rows = [p.row for p in _errors(problems) if p.row is not None]
        assert rows and min(rows) == int(case["line"]), (
            f"{file}: first error on {min(rows) if rows else None}, expected line {case['line']}. "
            f"Problems:\n{_show(problems)}")


@pytest.mark.parametrize("file", FILES)
def test_the_data_in_use_after_the_file(file):
    problems, before, cat = _loaded(file)
    name = BY_FILE[file]["dataset"]
    if _errors(problems):  # whatever was expected: an error changes nothing
        assert cat.source(name).kind == "synthetic" and cat.is_synthetic()
        after = cat.get(name)
        assert after.equals(before) and list(after.columns) == list(before.columns)
    else:
        source = cat.source(name)
        assert source.kind == "upload" and source.label == file
        served = cat.get(name)
        assert len(served) > 0
        assert set(served.columns) <= set(registry.contract(name).column_names)
        assert [n for n in cat.names() if cat.source(n).kind == "upload"] == [name]


@pytest.mark.parametrize("file", FILES)
def test_problems_are_plain_text(file):
    problems, _, _ = _loaded(file)
    name = BY_FILE[file]["dataset"]
    for p in problems:
        assert p.severity in ("error", "warning") and p.dataset == name
        for text in (p.message_ja, p.message_en, p.fix_ja, p.fix_en):
            assert isinstance(text, str) and text.strip()
            assert not EXCEPTION_TEXT.search(text), f"{file}: exception text in {text!r}"
        assert p.row is None or (isinstance(p.row, int) and p.row >= 1)
        assert p.value is None or isinstance(p.value, str)
    for lang in ("ja", "en"):
        frame = problems_frame(problems, lang)
        assert len(frame) == len(problems)
        row_column, count_column = frame.columns[1], i18n.t("problem.n_lines", lang)
        assert str(frame[row_column].dtype) == "Int64" and str(frame[count_column].dtype) == "Int64"
        for column in frame.columns.drop([row_column, count_column]):
            for v in frame[column]:
                assert isinstance(v, str) or pd.isna(v), (file, lang, column, v)


UNNAMED = ("「アップロードされたファイル」", "The uploaded file", "the uploaded file")


def _named(text: str, file: str) -> str:
    """``text`` with the placeholder for a file without a name replaced by ``file``'s name."""
    return text.replace(UNNAMED[0], f"「{file}」").replace(UNNAMED[1], f"'{file}'").replace(UNNAMED[2], f"'{file}'")


@pytest.mark.parametrize("file", FILES)
def test_the_bytes_of_a_file_with_its_name_as_label_are_read_as_the_file(file):
    """``source`` may be the bytes of an upload with its file name as ``label`` (Catalog.load_files):
    the problems are those of the same file read from its path (the kind of file included)."""
    case = BY_FILE[file]
    kwargs = {"max_bytes": int(case["max_bytes"])} if case["max_bytes"] else {}
    from_bytes = Catalog().load_file(case["dataset"], CORPUS[file], file, **kwargs)
    from_path, _, _ = _loaded(file)
    seen = [(p.severity, p.row, p.column, _named(p.message_ja, file)) for p in from_bytes]
    assert seen == [(p.severity, p.row, p.column, p.message_ja) for p in from_path], (
        f"{file} as bytes:\n{_show(from_bytes)}\nfrom its path:\n{_show(from_path)}")


def test_checking_an_acceptable_file_without_applying_it_changes_nothing():
    cat = Catalog()
    problems = cat.load_file("population_change", BAD / "population_change.tsv", apply=False)
    assert not _errors(problems) and cat.is_synthetic()
    assert cat.get("population_change").equals(city()["population_change"])


def test_messages_on_the_bytes_of_a_file_name_it_by_its_label():
    problems = Catalog().load_file("population_change", CORPUS["ragged.csv"], "ragged.csv")
    assert problems and all("「ragged.csv」" in p.message_ja for p in problems), _show(problems)


# ---------------------------------------------------------------------------------------------
# What particular files must give


def test_a_boundary_file_in_metres_with_its_crs_is_served_in_jgd2011():
    problems, _, cat = _loaded("districts_3857.geojson")
    assert not _errors(problems)
    served = cat.get("districts")
    assert served.crs is not None and served.crs.to_epsg() == 6668
    x0, y0, x1, y1 = served.total_bounds
    assert 134 < x0 < x1 < 136 and 34 < y0 < y1 < 36  # degrees, the synthetic city's
    synthetic = city()["districts"]
    assert list(served["district_id"]) == list(synthetic["district_id"])
    assert list(served["name_ja"]) == list(synthetic["name_ja"])  # written as \\u escapes in the file
    moved = [a.symmetric_difference(b).area / b.area for a, b in zip(served.geometry, synthetic.geometry, strict=True)]
    assert max(moved) < 1e-4


def test_a_geojson_with_japanese_names_keeps_them():
    problems, _, cat = _loaded("districts_crs84_ja.geojson")
    assert not _errors(problems)
    served = cat.get("districts")
    assert served.crs.to_epsg() == 6668
    assert list(served["name_ja"]) == list(city()["districts"]["name_ja"])
    assert served["name_ja"].iloc[0].endswith("小学校区")


def test_cp932_special_characters_survive():
    problems, _, cat = _loaded("cp932_special_chars.csv")
    assert not _errors(problems)
    names = list(cat.get("nurseries")["name_ja"])
    assert names[:3] == ["①ひまわり保育園", "㈱髙橋ナーサリー", "﨑山こども園（ｶﾅ表記）"]


def test_a_title_row_does_not_shift_the_line_of_an_error():
    problems, _, _ = _loaded("cp932_title_row_error.csv")
    (err,) = _errors(problems)
    text = (BAD / "cp932_title_row_error.csv").read_bytes().decode("cp932").splitlines()
    assert "約300" in text[err.row - 1]  # Excel's line: the title rows and the header counted
    assert err.column == "births" and err.value == "約300"


def test_excel_date_cells_in_a_fiscal_year_column_are_named_as_dates():
    problems, _, _ = _loaded("date_fiscal_year.xlsx")
    assert _errors(problems)
    assert not any("必須の列" in p.message_ja for p in problems)  # not a missing column
    dates = [p for p in problems if "日付" in p.message_ja]
    assert dates and all(p.row is not None for p in dates)
    assert any("年度" in p.fix_ja for p in dates)


@pytest.mark.parametrize(("file", "served"), [
    ("merged_header.xlsx", lambda: city()["population_change"].head(6)),
    ("cover_sheet.xlsx", lambda: city()["nursery_capacity"].head(12)),
    ("utf16_excel.txt", lambda: city()["population_change"].head(5)),
    ("population_change.tsv", lambda: city()["population_change"].head(5)),
    # fiscal years typed as 1 April of each year, shown as 令和2年度: served as the year shown
    ("fiscal_year_era_format.xlsx", lambda: city()["population_change"].head(6)),
    ("fiscal_year_gannen_format.xlsx", lambda: city()["population_change"].head(6)),
])
def test_workbooks_and_text_exports_serve_the_rows_they_hold(file, served):
    problems, _, cat = _loaded(file)
    assert not _errors(problems), _show(problems)
    name = BY_FILE[file]["dataset"]
    expected = served().reset_index(drop=True)
    got = cat.get(name).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[list(expected.columns)], expected, check_dtype=False)


NORMALISED = {
    # file: [(column, value before, value after)] that the warnings must name
    "normalise_population.csv": [("fiscal_year", "令和6年度", "2024"), ("sex", "男性", "M"), ("age", "０", "0"),
                                 ("population", "1,234", "1234")],
    "normalise_population_change.csv": [("district_id", "Ｄ００１", "D001"), ("fiscal_year", "令和2年度", "2020"),
                                        ("births", "３１１", "311"), ("net_migration", "△8", "-8")],
    "normalise_mesh_hyphen.csv": [("mesh_code", "5234-0483-3", "523404833")],
}


@pytest.mark.parametrize("file", sorted(NORMALISED))
def test_normalising_warnings_name_the_column_and_an_example(file):
    problems, _, cat = _loaded(file)
    assert not _errors(problems), _show(problems)
    sch = registry.contract(BY_FILE[file]["dataset"])
    for column, before, after in NORMALISED[file]:
        found = [p for p in problems if p.severity == "warning" and p.column == column]
        assert len(found) == 1, (column, _show(problems))
        p = found[0]
        assert f"「{sch.column(column).label_ja}」" in p.message_ja
        assert f"「{before}」→「{after}」" in p.message_ja and f"'{before}' → '{after}'" in p.message_en
        assert p.row == 2 and p.value == f"{before} → {after}"


def test_boundaries_as_wkt_in_a_csv_are_served_as_the_districts():
    problems, _, cat = _loaded("districts_wkt.csv")
    assert not _errors(problems), _show(problems)
    served, expected = cat.get("districts").reset_index(drop=True), city()["districts"].reset_index(drop=True)
    assert served.crs.to_epsg() == 6668 and served["district_id"].tolist() == expected["district_id"].tolist()
    assert served.geometry.geom_equals_exact(expected.geometry, tolerance=1e-6).all()  # WKT to 7 decimals


def test_100_and_over_is_served_as_100_with_a_warning_naming_its_lines():
    problems, _, cat = _loaded("population_age_100_over.csv")
    assert not _errors(problems), _show(problems)
    assert cat.get("population")["age"].tolist() == [100, 100, 100, 100, 35]
    [top] = [p for p in problems if p.column == "age"]
    assert top.severity == "warning" and list(top.affected) == [2, 3, 4, 5]
    assert "100歳以上" in top.message_ja and "100 and over" in top.message_en


def test_a_problem_of_several_lines_names_every_line_and_value():
    """Three lines hold meshes the city does not have: one problem, its lines 4, 5 and 6 with their codes
    (each in the table's row and in the download), where the message gives only the first line and a count."""
    from tests.bad_corpus import NAHA_MESH, TOKYO_MESH

    problems, _, _ = _loaded("population_unknown_mesh.csv")
    [err] = _errors(problems)
    assert list(err.affected) == [4, 5, 6] and list(err.values) == [TOKYO_MESH, TOKYO_MESH, NAHA_MESH]
    row = problems_frame([err], "en").iloc[0]
    assert (row["lines affected"], row["lines"]) == (3, "4–6")
    table = affected_lines(problems, "en", "population_unknown_mesh.csv")
    assert table[["row", "value"]].values.tolist() == [[4, TOKYO_MESH], [5, TOKYO_MESH], [6, NAHA_MESH]]
    # two different unknown districts, on lines 5 and 6
    problems, _, _ = _loaded("population_change_unknown_district.csv")
    assert [(list(p.affected), list(p.values)) for p in _errors(problems)] == [([5, 6], ["D999", "D0401"])]


def test_normalised_values_are_served_converted():
    _, _, cat = _loaded("normalise_population.csv")
    pop = cat.get("population")
    assert list(pop["fiscal_year"]) == [2024] * 4
    assert list(pop["sex"]) == ["M", "F", "M", "F"]
    assert list(pop["age"]) == [0, 12, 3, 100]
    assert list(pop["population"]) == [1234, 12, 7, 1]
    _, _, cat = _loaded("normalise_population_change.csv")
    pc = cat.get("population_change")
    assert list(pc["district_id"][:2]) == ["D001", "D002"] and pc["net_migration"].iloc[0] == -8


def test_a_name_like_markup_is_kept_as_text():
    problems, _, _ = _loaded("xss_name.csv")
    assert _errors(problems)
    assert any(p.value == XSS for p in problems)
    frame = problems_frame(problems, "ja")
    assert XSS in set(frame[frame.columns[3]].dropna())


def test_the_size_limit_refuses_before_reading():
    data = CORPUS["oversize.csv"]
    assert 1800 < len(data) < 4096
    cat = Catalog()
    (err,) = cat.load_file("population_change", data, "oversize.csv", max_bytes=1000)
    assert err.severity == "error" and "大きすぎる" in err.message_ja and "1,000 bytes" in err.message_en
    assert cat.is_synthetic()
    assert not _errors(cat.load_file("population_change", data, "oversize.csv"))  # the same file, no limit
    assert cat.source("population_change").kind == "upload"


# ---------------------------------------------------------------------------------------------
# Files that refer to each other: a new district and its mesh


def _new_mesh() -> str:
    """A mesh next to the city (touching it) that the mesh table does not hold."""
    codes = set(city()["meshes"]["mesh_code"].astype(str))
    centres = geo.mesh_centroids(sorted(codes)).sort_values(["lat", "lon"])
    for lat, lon in zip(centres["lat"][::-1] + geo.HALF_MESH_LAT, centres["lon"][::-1], strict=True):
        code = str(geo.mesh_code(lat, lon)[0])
        if code not in codes:
            return code
    raise AssertionError("no mesh next to the city")


def _new_district_files(area_factor: float = 1.0) -> tuple[bytes, bytes, str, str]:
    """(districts GeoJSON with one more district, meshes CSV with its mesh, the new district, the mesh)."""
    code = _new_mesh()
    districts = city()["districts"]
    new_id = f"D{len(districts) + 1:03d}"
    assert new_id not in set(districts["district_id"])
    cell = geo.mesh_polygons([code])
    polygon = cell.iloc[0]
    city_area = shapely.union_all(np.asarray(districts.geometry))
    assert shapely.intersects(polygon, city_area) and not shapely.contains(city_area, polygon.centroid)
    feature = {"type": "Feature", "geometry": mapping(rounded(polygon, 7)),
               "properties": {"district_id": new_id, "name_ja": "新港小学校区", "name_en": "Shinko ES district",
                              "area_type": "suburb",
                              "area_km2": round(float(geo.area_km2(cell).iloc[0]) * area_factor, 4)}}
    districts_file = geojson([*district_features(), feature])
    meshes_file = crlf(*table_lines(city()["meshes"]), f"{code},{new_id}").encode("utf-8")
    return districts_file, meshes_file, new_id, code


def test_a_mesh_of_a_new_district_needs_the_districts_file_with_it():
    districts_file, meshes_file, new_id, code = _new_district_files()
    cat = Catalog()
    alone = cat.load_file("meshes", meshes_file, "meshes.csv")
    assert _errors(alone) and any(new_id in p.message_ja for p in _errors(alone)), _show(alone)
    assert cat.is_synthetic()

    both = cat.load_files({"districts": (districts_file, "districts.geojson"), "meshes": (meshes_file, "meshes.csv")})
    assert not any(_errors(ps) for ps in both.values()), {n: _show(ps) for n, ps in both.items()}
    assert cat.source("districts").kind == "upload" and cat.source("meshes").kind == "upload"
    served = cat.get("districts")
    assert len(served) == len(city()["districts"]) + 1 and served.crs.to_epsg() == 6668
    assert new_id in set(served["district_id"])
    meshes = cat.get("meshes")
    assert meshes.loc[meshes["mesh_code"] == code, "district_id"].tolist() == [new_id]


def test_files_loaded_together_change_nothing_when_one_is_refused():
    districts_file, meshes_file, _, _ = _new_district_files(area_factor=100.0)  # the new district's area is wrong
    cat = Catalog()
    both = cat.load_files({"districts": (districts_file, "districts.geojson"), "meshes": (meshes_file, "meshes.csv")})
    assert any("面積" in p.message_ja for p in _errors(both["districts"])), _show(both["districts"])
    assert cat.is_synthetic()
    assert cat.get("meshes").equals(city()["meshes"]) and cat.get("districts").equals(city()["districts"])
