"""The recipe of tests/data/bad/: planners' files that are wrong (or almost right) in the ways
real files from other departments, Excel and GIS software are.

Each file is built from the synthetic city's own rows (the first rows of ``population_change``,
the whole ``nurseries`` or ``meshes`` table, the 40 district polygons...) so that everything
but the one mistake of the case passes every check. :data:`CORPUS` maps a file name to its
bytes; ``tests/data/bad/expected.csv`` (written by hand) says what must happen to each file,
and ``tests/test_bad_files.py`` checks it. Write the files again with::

    python -m tests.bad_corpus        (or: python tests/bad_corpus.py)
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import re
import sys
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import shapely
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
EXPECTED = BAD / "expected.csv"
XSS = "<img src=x onerror=alert(1)>"
FIXED_TIME = dt.datetime(2025, 4, 1, 9, 0, 0)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
PC_JA = "地区ID,年度,出生数,死亡数,転入数,転出数,社会増減"
POP_JA = "年度,メッシュコード,性別,年齢,人口"
# Mesh codes that are well formed but far from the synthetic city (Tokyo, Naha)
TOKYO_MESH, NAHA_MESH = "533946391", "392725672"

if __package__ in (None, ""):  # run as `python tests/bad_corpus.py`
    sys.path.insert(0, str(ROOT))


@cache
def city() -> dict[str, pd.DataFrame]:
    """The synthetic city's small datasets (read once)."""
    from analytics.catalog import Catalog

    cat = Catalog()
    names = ("districts", "meshes", "population_change", "nurseries", "nursery_capacity", "facilities",
             "facility_operations", "checkup_sites")
    return {n: cat.get(n) for n in names}


# ---------------------------------------------------------------------------------------------
# Text files


def crlf(*lines: str) -> str:
    """Lines as Excel writes them (CRLF)."""
    return "".join(line + "\r\n" for line in lines)


def table_lines(frame: pd.DataFrame, sep: str = ",") -> list[str]:
    """A frame's CSV lines, the header first (blanks empty, floats as Python writes them)."""
    return frame.to_csv(index=False, sep=sep, lineterminator="\n").splitlines()


def pc_rows(n: int = 6) -> list[str]:
    """The first ``n`` data lines of population_change (D001…, FY2020)."""
    return table_lines(city()["population_change"].head(n))[1:]


def pc_header() -> str:
    return table_lines(city()["population_change"].head(1))[0]


def pc_file(*lines: str, header: str | None = None) -> bytes:
    return crlf(header or pc_header(), *lines).encode("utf-8")


def meshes(n: int = 3) -> list[str]:
    return list(city()["meshes"]["mesh_code"].astype(str).head(n))


def pop_file(*rows: str, header: str = POP_JA) -> bytes:
    return crlf(header, *rows).encode("utf-8")


def set_cell(line: str, j: int, value: str) -> str:
    cells = line.split(",")
    cells[j] = value
    return ",".join(cells)


# ---------------------------------------------------------------------------------------------
# Excel workbooks (written with fixed times, so the bytes do not change from run to run)


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    book.properties.creator = "ebpm-dashboard tests"
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    return out.getvalue()


def _cells(line: str) -> list[object]:
    """A CSV line's cells as Excel holds them: whole numbers as numbers, the rest as text."""
    return [int(c) if re.fullmatch(r"-?(0|[1-9]\d*)", c) else c for c in line.split(",")]


def merged_header_xlsx() -> bytes:
    """population_change under a two-line header: groups on top, names below, 地区ID/年度 merged over both."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "人口動態"
    ws.append(["地区ID", "年度", "自然動態", None, "社会動態", None, None])
    ws.append([None, None, "出生数", "死亡数", "転入数", "転出数", "社会増減"])
    for ref in ("A1:A2", "B1:B2", "C1:D1", "E1:G1"):
        ws.merge_cells(ref)
    for line in pc_rows(6):
        ws.append(_cells(line))
    return xlsx_bytes(book)


def cover_sheet_xlsx() -> bytes:
    """nursery_capacity on a second sheet, after a cover sheet."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "表紙"
    cover["B2"] = "保育施設の利用定員と在籍児童数"
    cover["B4"] = "令和4年4月1日現在"
    cover["B5"] = "こども保育課 作成"
    cover["B7"] = "※ 在籍児童数は広域委託を含む"
    ws = book.create_sheet("データ")
    ws.append(["年度", "施設ID", "年齢", "利用定員", "在籍児童数"])
    for line in table_lines(city()["nursery_capacity"].head(12))[1:]:
        ws.append(_cells(line))
    return xlsx_bytes(book)


def date_year_xlsx() -> bytes:
    """population_change whose fiscal years were typed as dates (Excel turned them into date cells)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(PC_JA.split(","))
    for line in pc_rows(4):
        cells = _cells(line)
        cells[1] = dt.datetime(int(cells[1]), 4, 1)
        ws.append(cells)
        ws.cell(ws.max_row, 2).number_format = "yyyy/m/d"
    return xlsx_bytes(book)


def era_year_xlsx(number_format: str) -> bytes:
    """population_change whose fiscal years are dates (1 April of each year) shown with the era format
    ``number_format`` (Excel's 「和暦」 display: 2020-04-01 as 令和2年度); openpyxl reads them as serials."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(PC_JA.split(","))
    for line in pc_rows(6):
        cells = _cells(line)
        cells[1] = dt.datetime(int(cells[1]), 4, 1)
        ws.append(cells)
        ws.cell(ws.max_row, 2).number_format = number_format
    return xlsx_bytes(book)


def districts_wkt(crs: str | None = None, header: str = "wkt") -> bytes:
    """The districts as a CSV with their boundaries as WKT text (as QGIS's 'Save features as CSV'
    with GEOMETRY=AS_WKT writes them), in degrees or in the metres of ``crs``, without a CRS."""
    import geopandas as gpd

    d = city()["districts"]
    geoms = gpd.GeoSeries(d.geometry.to_numpy(), crs="EPSG:6668")
    if crs is not None:
        geoms = geoms.to_crs(crs)
    table = d.drop(columns="geometry").copy()
    table[header] = geoms.to_wkt(rounding_precision=7 if crs is None else 2).to_numpy()
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def ole_bytes() -> bytes:
    """The start of an old Excel 97–2003 (.xls) compound file."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    return header + bytes(512 - len(header)) + b"Workbook".ljust(64, b"\x00")


# ---------------------------------------------------------------------------------------------
# GeoJSON


def rounded(geom: shapely.Geometry, digits: int) -> shapely.Geometry:
    return shapely.transform(geom, lambda c: np.round(c, digits))


def district_features(frame: pd.DataFrame | None = None, crs: str | None = None) -> list[dict]:
    """The districts as GeoJSON features (degrees to 7 decimals, or metres of ``crs`` to the cm)."""
    import geopandas as gpd

    d = city()["districts"] if frame is None else frame
    geoms = gpd.GeoSeries(d.geometry.to_numpy(), crs="EPSG:6668")
    if crs is not None:
        geoms = geoms.to_crs(crs)
    digits = 7 if crs is None or crs.endswith("6668") else 2
    out = []
    for (_, row), g in zip(d.iterrows(), geoms, strict=True):
        props = {k: row[k] for k in ("district_id", "name_ja", "name_en", "area_type")}
        props["area_km2"] = float(row["area_km2"])
        out.append({"type": "Feature", "properties": props, "geometry": mapping(rounded(g, digits))})
    return json.loads(json.dumps(out))  # tuples → lists, numpy → plain


def geojson(features: list[dict], crs: str | None = None, ascii_only: bool = False) -> bytes:
    doc: dict = {"type": "FeatureCollection"}
    if crs is not None:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    doc["features"] = features
    return json.dumps(doc, ensure_ascii=ascii_only, separators=(",", ":")).encode("utf-8")


def swap_xy(features: list[dict]) -> list[dict]:
    def swap(c):
        return [swap(x) for x in c] if isinstance(c[0], list) else [c[1], c[0]]

    return [{**f, "geometry": {**f["geometry"], "coordinates": swap(f["geometry"]["coordinates"])}}
            for f in features]


def exterior(feature: dict) -> list[list[float]]:
    g = feature["geometry"]
    return g["coordinates"][0] if g["type"] == "Polygon" else g["coordinates"][0][0]


def points_instead(features: list[dict]) -> list[dict]:
    out = []
    for f in features:
        p = shapely.geometry.shape(f["geometry"]).representative_point()
        out.append({**f, "geometry": {"type": "Point", "coordinates": [round(p.x, 7), round(p.y, 7)]}})
    return out


def unclosed(features: list[dict], k: int) -> list[dict]:
    """Feature ``k`` (0-based) with its outer ring not closed (its last point dropped)."""
    out = json.loads(json.dumps(features))
    ring = exterior(out[k])
    del ring[-1]
    return out


def self_intersecting(features: list[dict], k: int) -> list[dict]:
    """Feature ``k`` with two neighbouring vertices exchanged (a bow tie)."""
    out = json.loads(json.dumps(features))
    ring = exterior(out[k])
    ring[1], ring[2] = ring[2], ring[1]
    return out


def districts_geojson() -> bytes:
    return geojson(district_features(), crs=None)


# ---------------------------------------------------------------------------------------------
# The corpus


def _blank_key_rows() -> bytes:
    return pc_file(*pc_rows(4), ",,0,0,0,0,0", ",,,,,,0")


def _duplicate_header() -> bytes:
    header = pc_header() + ",births"
    return pc_file(*[line + "," + line.split(",")[2] for line in pc_rows(4)], header=header)


def _alias_pair(extra_header: str, j: int, value, rename: str | None = None) -> bytes:
    """population_change with one more column under another accepted name of column ``j``."""
    names = pc_header().split(",")
    if rename is not None:
        names[j] = rename
    header = ",".join(names) + "," + extra_header
    return pc_file(*[line + "," + str(value(line.split(",")[j])) for line in pc_rows(4)], header=header)


def _dupkey(j: int, value: str) -> bytes:
    """The first five rows of population_change and the first again, with cell ``j`` written
    another way (the same key once cleaned)."""
    rows = pc_rows(5)
    return pc_file(*rows, set_cell(rows[0], j, value))


def _far_meshes() -> bytes:
    table = table_lines(city()["meshes"])
    return crlf(*table, f"{TOKYO_MESH},D001", f"{NAHA_MESH},D002").encode("utf-8")


def _mesh_in_wrong_district() -> bytes:
    m = city()["meshes"]
    table = table_lines(m)
    first = m["district_id"].iloc[0]
    far = sorted(set(m["district_id"]) - {first})[0]
    table[1] = set_cell(table[1], 1, far)
    return crlf(*table).encode("utf-8")


def _normalise_population() -> bytes:
    m = meshes(3)
    return pop_file(f'令和6年度,{m[0]},男性,０,"1,234"', f"R6,{m[0]},女性,１２,12人",
                    f"2024年度,{m[1]},男,3,７", f"2024,{m[2]},female,100,1")


def _normalise_population_change() -> bytes:
    rows = pc_rows(4)
    first = rows[0].split(",")
    net = int(first[6])
    first[0] = "Ｄ００１"
    first[1] = "令和2年度"
    first[2] = first[2].translate(FULL_WIDTH)
    first[4] = f'"{int(first[4]):,}"'
    first[6] = f"△{-net}" if net < 0 else str(net)
    second = rows[1].split(",")
    second[0] = " " + second[0] + " "
    return pc_file(",".join(first), ",".join(second), *rows[2:])


def _normalise_yen() -> bytes:
    frame = city()["facility_operations"].head(3)
    lines = table_lines(frame)
    header = lines[0].split(",")
    j = header.index("cost_staff_yen")
    k = header.index("fee_revenue_yen")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[j] = f'"{int(cells[j]):,}円"'
        cells[k] = f"{cells[k]}円"
        out.append(",".join(cells))
    return crlf(*out).encode("utf-8")


def _age_classes() -> bytes:
    """nursery_capacity with ages written as classes (0歳児, 1歳児…), as nursery tables write them."""
    lines = table_lines(city()["nursery_capacity"].head(6))
    return crlf(lines[0], *[set_cell(line, 2, line.split(",")[2] + "歳児") for line in lines[1:]]).encode("utf-8")


def _cp932_title_row_error() -> bytes:
    rows = pc_rows(6)
    rows[3] = set_cell(rows[3], 2, "約300")
    return crlf("令和2年度 人口動態集計表,,,,,,", "（単位：人）,,,,,,", PC_JA, *rows).encode("cp932")


def _facility_in_sea() -> bytes:
    f = city()["facilities"].copy()
    f["lat"] = f["lat"].astype(float)
    f.loc[f.index[4], "lat"] = round(float(f["lat"].iloc[4]) - 2.8, 6)  # about 310 km south: the Pacific
    # cp932, as Excel on Japanese Windows saves a CSV: the whole table (~510 facilities) stays under 50 KB
    return crlf(*table_lines(f)).encode("cp932")


def _special_chars() -> bytes:
    n = city()["nurseries"].copy()
    n.loc[n.index[0], "name_ja"] = "①ひまわり保育園"
    n.loc[n.index[1], "name_ja"] = "㈱髙橋ナーサリー"
    n.loc[n.index[2], "name_ja"] = "﨑山こども園（ｶﾅ表記）"
    return crlf(*table_lines(n)).encode("cp932")


def _swapped_points() -> bytes:
    s = city()["checkup_sites"].copy()
    s[["lon", "lat"]] = s[["lat", "lon"]].to_numpy()
    return crlf(*table_lines(s)).encode("utf-8")


def _xss() -> bytes:
    s = city()["checkup_sites"].copy()
    s["opened_fiscal_year"] = s["opened_fiscal_year"].astype(object)
    s.loc[s.index[1], "name_ja"] = XSS
    s.loc[s.index[1], "opened_fiscal_year"] = XSS
    return crlf(*table_lines(s)).encode("utf-8")


def _utf16() -> bytes:
    lines = table_lines(city()["population_change"].head(5), sep="\t")
    lines[0] = PC_JA.replace(",", "\t")
    return codecs.BOM_UTF16_LE + crlf(*lines).encode("utf-16-le")


def build() -> dict[str, bytes]:
    """Every file of tests/data/bad/ by name."""
    d = district_features()
    pc = pc_rows(6)
    m = meshes(3)
    far_district = [f for f in d if f["properties"]["district_id"] != d[-1]["properties"]["district_id"]]
    null_geometry = json.loads(json.dumps(d))
    null_geometry[1]["geometry"] = None
    area_x100 = json.loads(json.dumps(d))
    area_x100[2]["properties"]["area_km2"] = round(area_x100[2]["properties"]["area_km2"] * 100, 1)
    area_units = json.loads(json.dumps(d))
    for f in area_units:
        f["properties"]["area_km2"] = f"{f['properties']['area_km2']} km²"
    xlsx_named_csv = merged_header_xlsx()
    corpus = {
        # headers and keys
        "blank_key_rows.csv": _blank_key_rows(),
        "duplicate_header.csv": _duplicate_header(),
        "duplicate_header_alias.csv": _alias_pair("年度", 1, lambda v: int(v) - 1),
        "duplicate_header_alias_ja.csv": _alias_pair("出生", 2, lambda v: v, "出生数"),
        "dupkey_space.csv": _dupkey(0, " D001"),
        "dupkey_fullwidth.csv": _dupkey(0, "Ｄ００１"),
        "dupkey_float_year.csv": _dupkey(1, "2020.0"),
        "dupkey_era_year.csv": _dupkey(1, "令和2年度"),
        # boundaries
        "districts_3857_nocrs.geojson": geojson(district_features(crs="EPSG:3857")),
        "districts_swapped.geojson": geojson(swap_xy(d)),
        "districts_3857.geojson": geojson(district_features(crs="EPSG:3857"), crs="urn:ogc:def:crs:EPSG::3857",
                                          ascii_only=True),
        "districts_4326_metres.geojson": geojson(district_features(crs="EPSG:3857"), crs="EPSG:4326"),
        "districts_crs84_ja.geojson": geojson(d, crs="urn:ogc:def:crs:OGC:1.3:CRS84"),
        "districts.json": geojson(d),
        "districts_points.geojson": geojson(points_instead(d)),
        "districts_unclosed_ring.geojson": geojson(unclosed(d, 4)),
        "districts_self_intersecting.geojson": geojson(self_intersecting(d, 6)),
        "districts_area_x100.geojson": geojson(area_x100),
        "districts_null_geometry.geojson": geojson(null_geometry),
        "districts_missing_one.geojson": geojson(far_district),
        "districts_truncated.geojson": geojson(d)[:-2000],
        "districts_area_units.geojson": geojson(area_units),
        "districts_wkt.csv": districts_wkt(),
        "districts_wkt_metres.csv": districts_wkt("EPSG:6673", header="geometry"),
        # references and places
        "population_unknown_mesh.csv": pop_file(f"2024,{m[0]},M,0,12", f"2024,{m[0]},F,0,10",
                                                f"2024,{TOKYO_MESH},M,0,3", f"2024,{TOKYO_MESH},F,0,4",
                                                f"2024,{NAHA_MESH},M,1,2"),
        "population_change_unknown_district.csv": pc_file(*pc[:3], set_cell(pc[3], 0, "D999"),
                                                          set_cell(pc[4], 0, "D0401")),
        "meshes_far.csv": _far_meshes(),
        "meshes_wrong_district.csv": _mesh_in_wrong_district(),
        "net_migration_mismatch.csv": pc_file(*pc[:2], set_cell(pc[2], 6, str(int(pc[2].split(",")[6]) + 10)),
                                              *pc[3:]),
        "facility_in_sea.csv": _facility_in_sea(),
        "nursery_capacity_unknown_facility.csv": crlf(
            *table_lines(city()["nursery_capacity"].head(6)), "2022,N9999,0,6,5", "2022,N9999,1,12,12"
        ).encode("utf-8"),
        "nursery_capacity_age_class.csv": _age_classes(),
        "nurseries_partial.csv": crlf(*table_lines(city()["nurseries"].head(10))).encode("utf-8"),
        "checkup_sites_lonlat_swapped.csv": _swapped_points(),
        # Excel and Japanese files
        "cp932_title_row_error.csv": _cp932_title_row_error(),
        "merged_header.xlsx": merged_header_xlsx(),
        "cover_sheet.xlsx": cover_sheet_xlsx(),
        "date_fiscal_year.xlsx": date_year_xlsx(),
        "fiscal_year_era_format.xlsx": era_year_xlsx('ggge"年度"'),
        "fiscal_year_gannen_format.xlsx": era_year_xlsx('[$-ja-JP-x-gannen]ggge"年度";@'),
        "cp932_special_chars.csv": _special_chars(),
        "utf16_excel.txt": _utf16(),
        "population_change.tsv": crlf(*table_lines(city()["population_change"].head(5), sep="\t")).encode("utf-8"),
        # normalised with warnings
        "normalise_population.csv": _normalise_population(),
        "normalise_population_change.csv": _normalise_population_change(),
        "normalise_mesh_hyphen.csv": pop_file(f"2024,{m[0][:4]}-{m[0][4:8]}-{m[0][8]},M,0,12",
                                              f"2024,{m[1]}.0,F,0,10", f"2024,{m[2]},M,5,3"),
        "normalise_yen.csv": _normalise_yen(),
        "population_age_100_over.csv": pop_file(f"2024,{m[0]},M,100歳以上,3", f"2024,{m[0]},F,１００歳以上,5",
                                                f"2024,{m[1]},M,100+,1", f"2024,{m[1]},F,100才以上,2",
                                                f"2024,{m[2]},M,35,4"),
        # ambiguous, refused
        "fy_calendar_year.csv": pc_file(set_cell(pc[0], 1, "2020年"), *pc[1:4]),
        "placeholder_counts.csv": pc_file(set_cell(pc[0], 2, "-"), set_cell(pc[1], 2, "x"), *pc[2:4]),
        "mesh_exponent.csv": pop_file(f"2024,{m[0]},M,0,12", "2024,5.23416E+08,F,0,10"),
        "sex_codes.csv": pop_file(f"2024,{m[0]},1,0,12", f"2024,{m[0]},2,0,10"),
        "population_age_99_over.csv": pop_file(f"2024,{m[0]},M,99,3", f"2024,{m[0]},F,99歳以上,5"),
        # reading
        "totals_row.csv": pc_file(*pc[:4], "合計,," + ",".join(
            str(sum(int(line.split(",")[j]) for line in pc[:4])) for j in range(2, 7))),
        "notes_below_table.csv": pc_file(*pc[:4], "※ 住民基本台帳による（各年度中）,,,,,,"),
        "ragged.csv": pc_file(*pc[:2], pc[2] + ",備考,あり", *pc[3:4]),
        "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
        "xlsx_named.csv": xlsx_named_csv,
        "empty.csv": b"",
        "old_excel.xls": ole_bytes(),
        "password_protected.xlsx": ole_bytes(),
        "population.json": json.dumps([{"fiscal_year": 2024, "mesh_code": m[0], "sex": "M", "age": 0,
                                        "population": 12}]).encode("utf-8"),
        "xss_name.csv": _xss(),
        "oversize.csv": crlf(*table_lines(city()["population_change"].head(66))).encode("utf-8"),
    }
    return corpus


def write(directory: Path = BAD) -> None:
    """Write the corpus (the hand-written expected.csv is left as it is)."""
    directory.mkdir(parents=True, exist_ok=True)
    for p in directory.iterdir():
        if p.is_file() and p.name != EXPECTED.name and p.name not in CORPUS:
            p.unlink()
    for name, data in CORPUS.items():
        (directory / name).write_bytes(data)


CORPUS: dict[str, bytes] = build()


if __name__ == "__main__":
    write()
    total = sum(len(b) for b in CORPUS.values())
    print(f"wrote {len(CORPUS)} files ({total:,} bytes) to {BAD.relative_to(ROOT)}")
