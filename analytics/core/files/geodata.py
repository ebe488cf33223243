"""Geometry files: GeoJSON (:func:`read_geojson`) and GeoPackage (:func:`read_gpkg`).

* **GeoPackage (.gpkg)** — the layer whose attributes name most of the dataset's columns,
  read with pyogrio; its CRS converted or judged as for a GeoJSON.
* **GeoJSON (.geojson, or .json when ``geometry=True``)** — parsed, its coordinate reference
  system (CRS) judged and the geometry converted to JGD2011 (EPSG:6668); see
  :func:`read_geojson`. The frame is a GeoDataFrame.
* **WKT in a table** (a CSV or a sheet whose geometry column — ``geometry``, ``wkt``, ``geom``,
  ``the_geom``, ``境界``… — holds ``POLYGON ((lon lat, …))`` text, as QGIS and PostGIS export it):
  :func:`read_wkt`. WKT carries no CRS, so it is judged from the coordinates as for a GeoJSON
  without one (longitude/latitude in Japan: JGD2011 assumed, with a warning; metres or swapped
  axes refused), unless each value starts with an EWKT ``SRID=6673;`` naming its CRS.

Line numbers are feature numbers (1 = the first feature), as in a GIS's attribute table.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analytics.core.files.common import ReadResult, _cell_text, _decode, _Notes, _Refusal
from analytics.core.messages import text as t
from analytics.core.schemas import DatasetSchema, Severity, header_key

TARGET_EPSG = 6668  # JGD2011 geographic (longitude / latitude): the CRS of every geometry in the app
JAPAN_LON = (120.0, 155.0)
JAPAN_LAT = (20.0, 50.0)


# ---------------------------------------------------------------------------------------------
# GeoJSON and GeoPackage


def _in(values: tuple[float, float], bounds: tuple[float, float]) -> bool:
    return bounds[0] <= values[0] and values[1] <= bounds[1]


def _property_text(value: object) -> str | None:
    """The text of a GeoJSON / GeoPackage attribute: as an Excel cell's, nested values as JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return _cell_text(value)


def read_geojson(data: bytes, notes: _Notes, state: dict[str, Any]) -> ReadResult:
    """A GeoJSON as a GeoDataFrame in JGD2011 (EPSG:6668), its properties as text.

    The CRS: a declared one (the ``crs`` member) is converted to EPSG:6668 with a warning
    naming it. With none, the coordinates decide: all within longitude 120–155 and latitude
    20–50 → JGD2011 is assumed (warning); x in 20–50 and y in 120–155 → latitude and
    longitude are swapped (error); values beyond ±360 → metres of a projected CRS that was
    not saved (error); anything else → not in Japan (error).
    """
    import pyproj
    import shapely.geometry

    text, encoding = _decode(data, notes, "GeoJSON")
    state["encoding"] = encoding
    fix_json_ja = "GIS（QGIS など）で開けるか確かめ、GeoJSON 形式で書き出し直してください"
    fix_json_en = "Check that it opens in your GIS (e.g. QGIS) and export it as GeoJSON again"
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        cut = _unclosed(text) or exc.pos >= len(text.rstrip())
        ja = ("付近でファイルが途中で切れています（GeoJSON が最後まで保存されていません）" if cut
              else f"で GeoJSON（JSON）の書式が壊れています（{exc.msg}）")
        en = ("is where the file is cut off (the GeoJSON was not saved to the end)" if cut
              else f"is malformed GeoJSON (JSON): {exc.msg}")
        raise notes.refuse(exc.lineno, ja, en, fix_json_ja, fix_json_en) from None
    if isinstance(obj, dict) and obj.get("type") == "FeatureCollection" and isinstance(obj.get("features"), list):
        features = obj["features"]
    elif isinstance(obj, dict) and obj.get("type") == "Feature":
        features = [obj]
    elif isinstance(obj, dict) and isinstance(obj.get("type"), str) and ("coordinates" in obj or "geometries" in obj):
        features = [{"type": "Feature", "geometry": obj, "properties": {}}]
    else:
        raise notes.refuse(None, "は GeoJSON（FeatureCollection）ではありません",
                           "is not GeoJSON (a FeatureCollection)",
                           fix_json_ja, fix_json_en)

    notes.unit = "feature"  # from here on, problems name features (as a GIS's attribute table numbers them)
    geoms, props, bad, unclosed = [], [], [], []
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            bad.append(n)
            continue
        geometry = feature.get("geometry")
        try:
            geoms.append(None if geometry is None else shapely.geometry.shape(geometry))
        except Exception:  # shapely raises several kinds on malformed geometry
            bad.append(n)
            continue
        if _open_ring(geometry):  # shapely would close it silently; GeoJSON requires closed rings
            unclosed.append(n)
        properties = feature.get("properties")
        props.append(properties if isinstance(properties, dict) else {})
    if bad:
        def bad_feature(n: int) -> Severity:
            notes.add("error", n, "geometry", None, "の図形の書式が正しくありません",
                      "has a malformed geometry", fix_json_ja, fix_json_en)
            return "error"
        notes.capped(bad, bad_feature)
        raise _Refusal()
    if unclosed:
        def open_feature(n: int) -> Severity:
            notes.add("error", n, "geometry", None, "の境界の線が閉じていません（始点と終点が一致しません）",
                      "has a boundary ring that is not closed (its first and last points differ)",
                      "GIS の「ジオメトリの修復」をかけてから書き出し直してください",
                      "Run your GIS's 'fix geometries' and export it again")
            return "error"
        notes.capped(unclosed, open_feature)
        raise _Refusal()

    names: dict[str, None] = {}
    for p in props:
        names.update(dict.fromkeys(k for k in p if k != "geometry"))
    columns = {k: [_property_text(p.get(k)) for p in props] for k in names}
    frame = gpd.GeoDataFrame(pd.DataFrame(columns, index=range(len(geoms)), dtype="str"),
                             geometry=gpd.GeoSeries(geoms, index=range(len(geoms))))
    lines = list(range(1, len(geoms) + 1))
    declared = _declared_crs(obj, notes, fix_json_ja, fix_json_en, pyproj)
    return _in_jgd2011(frame, declared, lines, notes)


def _in_jgd2011(frame: gpd.GeoDataFrame, declared: Any, lines: list[int], notes: _Notes,
                wkt: bool = False) -> ReadResult:
    """``frame`` (geometry without a CRS) in JGD2011, from its ``declared`` CRS (a ``pyproj.CRS``)
    or, with none, as judged from the coordinates' range (see :func:`read_geojson`). ``wkt``: the
    geometry came as WKT text in a table, which carries no CRS (the fixes say what to do then)."""
    present = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    if present.empty:  # nothing to judge: the contract layer reports the missing geometries
        return ReadResult(frame.set_crs(TARGET_EPSG, allow_override=True), [], lines)
    x0, y0, x1, y1 = (float(v) for v in present.total_bounds)
    in_japan = _in((x0, x1), JAPAN_LON) and _in((y0, y1), JAPAN_LAT)
    swapped = _in((x0, x1), JAPAN_LAT) and _in((y0, y1), JAPAN_LON)
    swap_ja, swap_en = ("で、緯度と経度が入れ替わっています（X に緯度、Y に経度が入っています）",
                        "has latitude and longitude swapped (X holds the latitude, Y the longitude)")
    swap_fix_ja = "GIS で座標の順序を「経度, 緯度」（X=経度、Y=緯度）にして書き出し直してください"
    swap_fix_en = "Export it again with coordinates in the order longitude, latitude (X = longitude, Y = latitude)"
    if declared is None:
        if max(abs(x0), abs(x1), abs(y0), abs(y1)) > 360:
            fixes = (t("files.wkt.metres.fix", "ja"), t("files.wkt.metres.fix", "en")) if wkt else (
                "GIS で座標系を付けて保存し直してください（例: EPSG:3857 や平面直角座標系 EPSG:6673）",
                "Save the file with its CRS (e.g. EPSG:3857 or 6673)")
            raise notes.refuse(None, "に座標系（CRS）の情報がなく、座標がメートル単位のように見えます",
                               "has no CRS and its coordinates look like metres", *fixes)
        if swapped:
            raise notes.refuse(None, swap_ja, swap_en, swap_fix_ja, swap_fix_en)
        if not in_japan:
            raise notes.refuse(None, "に座標系（CRS）の情報がなく、座標が日本の範囲"
                                     "（経度120〜155度、緯度20〜50度）にありません",
                               "has no CRS and its coordinates are not in Japan (longitude 120–155, latitude 20–50)",
                               "GIS で正しい座標系を付けて GeoJSON を書き出し直してください",
                               "Export the GeoJSON again from your GIS with its correct CRS")
        notes.add("warning", None, "geometry", None,
                  "に座標系（CRS）の情報がないため、座標の範囲から JGD2011（経緯度、EPSG:6668）とみなしました",
                  "has no CRS; from the range of its coordinates JGD2011 (longitude/latitude, EPSG:6668) is assumed",
                  *((t("files.wkt.assumed.fix", "ja"), t("files.wkt.assumed.fix", "en")) if wkt else (
                      "地図上の位置がずれていないか確かめてください。ずれている場合は座標系を付けて書き出し直してください",
                      "Check the positions on the map; if they are off, export the file again with its CRS")))
        return ReadResult(frame.set_crs(TARGET_EPSG), [], lines)

    label = f"EPSG:{declared.to_epsg()}" if declared.to_epsg() else declared.name
    if declared.is_geographic and swapped:
        raise notes.refuse(None, swap_ja, swap_en, swap_fix_ja, swap_fix_en)
    if declared.is_geographic and max(abs(x0), abs(x1), abs(y0), abs(y1)) > 360:
        raise notes.refuse(None, f"の座標系は経緯度（{label}）となっていますが、座標がメートル単位のように見えます",
                           f"declares a longitude/latitude CRS ({label}) but its coordinates look like metres",
                           "GIS で正しい座標系（例: EPSG:3857 や平面直角座標系 EPSG:6673）を付けて"
                           "書き出し直してください",
                           "Export it again with its correct CRS (e.g. EPSG:3857 or 6673)")
    frame = frame.set_crs(declared)
    if declared.to_epsg() != TARGET_EPSG:
        frame = frame.to_crs(TARGET_EPSG)
        notes.add("warning", None, "geometry", label,
                  f"の座標系 {label}（{declared.name}）を JGD2011（経緯度、EPSG:6668）に変換しました",
                  f"was converted from its CRS {label} ({declared.name}) to JGD2011 (longitude/latitude, EPSG:6668)",
                  "変換後の位置が地図上で正しいか確かめてください",
                  "Check that the converted positions are right on the map")
    converted = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    x0, y0, x1, y1 = (float(v) for v in converted.total_bounds)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise notes.refuse(None, f"の座標を座標系 {label} から変換できませんでした"
                                 "（座標系の指定が誤っている可能性があります）",
                           f"has coordinates that could not be converted from {label} (the declared CRS may be wrong)",
                           "GIS で正しい座標系を付けて GeoJSON を書き出し直してください",
                           "Export the GeoJSON again from your GIS with its correct CRS")
    if not (_in((x0, x1), JAPAN_LON) and _in((y0, y1), JAPAN_LAT)):
        notes.add("warning", None, "geometry", label,
                  f"の座標が、座標系 {label} として変換すると日本の範囲外になります",
                  f"has coordinates that fall outside Japan once converted from {label}",
                  "ファイルに付いている座標系が正しいか、GIS で確かめてください",
                  "Check in your GIS that the CRS saved with the file is the right one")
    return ReadResult(frame, [], lines)


def read_gpkg(data: bytes, sch: DatasetSchema, notes: _Notes) -> ReadResult:
    """A GeoPackage's layer as a GeoDataFrame in JGD2011, its attributes as text: of several
    layers, the one whose columns name most of the dataset's; its CRS as for a GeoJSON."""
    import pyogrio

    fix_ja = "GIS（QGIS など）で開けるか確かめ、GeoPackage か GeoJSON で書き出し直してください"
    fix_en = "Check that it opens in your GIS (e.g. QGIS) and export it again as GeoPackage or GeoJSON"
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(io.BytesIO(data))]
    except Exception:  # GDAL's errors on a damaged database are many
        raise notes.refuse(None, "を GeoPackage として開けません（ファイルが壊れているか、別の形式です）",
                           "cannot be opened as a GeoPackage: it is damaged or of another format",
                           fix_ja, fix_en) from None
    known = sch.header_names
    best, best_named = None, -1
    for layer in layers:
        try:
            info = pyogrio.read_info(io.BytesIO(data), layer=layer)
        except Exception:  # a layer that cannot be described is not the data
            continue
        named = len({known[header_key(c)] for c in info["fields"] if header_key(c) in known})
        if info.get("geometry_type") and named > best_named:
            best, best_named = layer, named
    if best is None:
        raise notes.refuse(None, "に図形（境界）のレイヤーがありません", "has no layer with geometries",
                           fix_ja, fix_en)
    try:
        read = gpd.read_file(io.BytesIO(data), layer=best)
    except Exception:
        raise notes.refuse(None, f"のレイヤー「{best}」を読み込めません", f"cannot read its layer '{best}'",
                           fix_ja, fix_en) from None
    columns = {c: [_property_text(v) for v in read[c]] for c in read.columns if c != read.geometry.name}
    frame = gpd.GeoDataFrame(pd.DataFrame(columns, index=range(len(read)), dtype="str"),
                             geometry=gpd.GeoSeries(list(read.geometry), index=range(len(read))))
    notes.unit = "feature"
    return _in_jgd2011(frame, read.crs, list(range(1, len(read) + 1)), notes)


def _open_ring(geometry: Any) -> bool:
    """Whether a GeoJSON (Multi)Polygon has a ring whose last position is not its first."""
    if not isinstance(geometry, dict):
        return False
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    try:
        return any(len(ring) >= 2 and list(ring[0]) != list(ring[-1]) for polygon in polygons for ring in polygon)
    except TypeError:  # malformed coordinates: shapely has judged them already
        return False


def _unclosed(text: str) -> bool:
    """Whether JSON text opens more brackets than it closes (a file cut off before its end)."""
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)  # strings may hold brackets
    return bare.count("{") + bare.count("[") > bare.count("}") + bare.count("]")


def _declared_crs(obj: Any, notes: _Notes, fix_ja: str, fix_en: str, pyproj: Any) -> Any:
    """The CRS named by the GeoJSON's ``crs`` member (a ``pyproj.CRS``), or ``None`` when there is none."""
    member = obj.get("crs") if isinstance(obj, dict) else None
    if member is None:
        return None
    try:
        properties = member["properties"]
        kind = member.get("type")
        spec = properties["name"] if kind == "name" else f"EPSG:{int(properties['code'])}" if kind == "EPSG" else None
        if not isinstance(spec, str):
            raise ValueError(spec)
        return pyproj.CRS.from_user_input(spec)
    except Exception:  # any malformed or unknown CRS is the same problem to the planner
        raise notes.refuse(None, "に書かれた座標系（CRS）を判別できません", "declares a CRS that cannot be recognised",
                           f"{fix_ja}（座標系は EPSG:6668 などの EPSG コードで指定します）",
                           f"{fix_en} (with its CRS given as an EPSG code such as EPSG:6668)") from None


# ---------------------------------------------------------------------------------------------
# WKT in a CSV or a sheet

_SRID = re.compile(r"^\s*SRID\s*=\s*(\d+)\s*;", re.IGNORECASE)


def read_wkt(result: ReadResult, sch: DatasetSchema, notes: _Notes) -> ReadResult:
    """``result`` (a CSV or sheet read as text) with its geometry column's WKT text read into shapes:
    a GeoDataFrame in JGD2011 whose geometry column is the contract's. Unchanged when the table has
    no geometry column (the contract layer then says it is missing). A cell that is not WKT is an
    error naming every such line; blank cells stay missing (the contract layer names them)."""
    import pyproj
    import shapely

    frame = result.frame
    known = sch.header_names
    shapes = {c.name for c in sch.columns if c.dtype == "geometry"}
    found = [c for c in frame.columns if known.get(header_key(c)) in shapes] if frame is not None else []
    if not found:
        return result
    column, target = found[0], known[header_key(found[0])]
    text = pd.Series(frame[column].to_numpy(dtype=object, na_value=None), dtype=object)
    present = text.map(lambda v: isinstance(v, str) and v.strip() != "").to_numpy(dtype=bool)
    srid = text.map(lambda v: (m := _SRID.match(v)) and m.group(1) if isinstance(v, str) else None)
    body = text.map(lambda v: _SRID.sub("", v, count=1) if isinstance(v, str) else None)
    geoms = shapely.from_wkt(body.to_numpy(dtype=object), on_invalid="ignore")
    lines = result.line_of_row
    bad = present & shapely.is_missing(geoms)
    if bad.any():
        where = np.flatnonzero(bad)
        shown = [v if len(v) <= 40 else v[:37] + "…" for v in text.iloc[where]]
        fields = dict(column=str(column), n=f"{len(where):,}")
        notes.add("error", lines[where[0]], str(column), shown[0], t("files.wkt.bad", "ja", **fields),
                  t("files.wkt.bad", "en", **fields), t("files.wkt.bad.fix", "ja"), t("files.wkt.bad.fix", "en"),
                  lines=[lines[i] for i in where], values=shown)
        raise _Refusal()
    codes = sorted({c for c in srid[present] if c})
    if len(codes) > 1 or (codes and srid[present].isna().any()):
        shown = "、".join(codes)
        raise notes.refuse(None, t("files.wkt.srids", "ja", codes=shown), t("files.wkt.srids", "en", codes=shown),
                           t("files.wkt.srids.fix", "ja"), t("files.wkt.srids.fix", "en"))
    declared = None
    if codes:
        try:
            declared = pyproj.CRS.from_epsg(int(codes[0]))
        except Exception:  # an SRID that is no EPSG code
            raise notes.refuse(None, t("files.wkt.srids", "ja", codes=codes[0]),
                               t("files.wkt.srids", "en", codes=codes[0]),
                               t("files.wkt.srids.fix", "ja"), t("files.wkt.srids.fix", "en")) from None
    rest = frame.drop(columns=[column]).reset_index(drop=True)
    rest[target] = gpd.GeoSeries(geoms, index=rest.index)
    shaped = gpd.GeoDataFrame(rest, geometry=target)
    read = _in_jgd2011(shaped, declared, lines, notes, wkt=True)
    return dataclasses.replace(read, header_line=result.header_line)
