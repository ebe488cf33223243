"""Checks of a planner's table against the other datasets: references, and places in the city.

:func:`analytics.core.schemas.validate` checks one table against its contract; :func:`cross_checks`
checks a table that passed it against every other dataset as it would be served once the
planner's files are in use (the data in use, with the other files staged with it in place):

* every mesh code, district ID and facility ID it refers to exists
  (:func:`analytics.registry.references`) — an error, as its rows would silently vanish from
  every figure;
* no dataset in use refers to a code the table drops (a districts file without a district
  the meshes in use belong to) — an error that says which file to stage with it;
* the residents and population change together cover a year the cohort projection can learn
  from (two consecutive 1 Aprils and the change between) — a warning: the pages then go without it;
* places lie in the city: a mesh of the mesh table must touch the city's districts and lie in
  the district it is assigned to; a facility's or site's point (``lon``, ``lat``) must lie in
  its district, and more than :data:`FAR_FROM_CITY_M` from every district is an error (a
  mistyped coordinate, or another city's file).

Each problem counts the rows concerned and gives examples; its ``row`` is the first one's,
counted as :func:`~analytics.core.schemas.validate` counts (the header on line 1), and its
``lines`` and ``values`` are every row concerned with its value (a planner fixes them all at once).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
import shapely

from analytics import registry
from analytics.core import geo
from analytics.core.schemas import Problem

FAR_FROM_CITY_M = 5_000.0  # a point farther than 5 km from every district is not in this city
EXAMPLES = 5


def cross_checks(name: str, frame: pd.DataFrame, data: Mapping[str, pd.DataFrame],
                 staged: Collection[str] = ()) -> list[Problem]:
    """Problems of ``frame`` (dataset ``name``, conformed to its contract) against ``data`` (every
    dataset as it would be served, ``frame`` included); ``staged`` names the datasets being
    loaded together (the others are in use and are checked for references into ``frame``)."""
    return [*missing_references(name, frame, data), *broken_dependents(name, frame, data, staged),
            *places_outside(name, frame, data), *projection_history(name, data)]


def projection_history(name: str, data: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """A warning on the population or population-change file when the two together give the
    cohort projection (nursery demand ahead, residents ahead) no year to learn from: it needs the
    residents of two consecutive 1 Aprils and the births, deaths and moves of the year between.
    The pages then show everything else and say why the projection is missing."""
    if name not in ("population", "population_change") or not {"population", "population_change"} <= set(data):
        return []
    stocks = set(pd.unique(data["population"]["fiscal_year"]).astype(int))
    flows = set(pd.unique(data["population_change"]["fiscal_year"]).astype(int))
    if any(fy + 1 in stocks and fy in flows for fy in stocks):
        return []
    shown_stocks = "、".join(str(y) for y in sorted(stocks)) or "—"
    shown_flows = "、".join(str(y) for y in sorted(flows)) or "—"
    return [Problem(
        name, "warning", None, None, f"{shown_stocks} / {shown_flows}",
        "人口推計（保育需要と人口の見通し）は表示されません：連続する2年度の4月1日人口と、その間の年度の人口動態が"
        f"必要です（人口: {shown_stocks}年度、人口動態: {shown_flows}年度）",
        "The population projection (nursery demand and residents ahead) will not be shown: it needs residents on "
        "two consecutive 1 Aprils and the "
        f"population change of the year between (residents: FY {shown_stocks.replace('、', ', ')}; "
        f"change: FY {shown_flows.replace('、', ', ')})",
        "推計も使う場合は、2年度分以上の人口と、それに対応する年度の人口動態を一緒に読み込んでください",
        "To use the projection too, load residents of two or more fiscal years with the population change of "
        "those years")]


def _title(name: str, lang: str) -> str:
    sch = registry.contract(name)
    return sch.title(lang)


def _examples(values: pd.Series) -> str:
    return "、".join(str(v) for v in pd.unique(values)[:EXAMPLES])


def _every_line(mask: np.ndarray, values: pd.Series) -> dict:
    """The ``lines`` (counted as :func:`~analytics.core.schemas.validate` counts) and ``values`` of
    a :class:`Problem` that concerns the rows of ``mask``: every one of them, not only examples."""
    positions = np.flatnonzero(mask)
    return {"lines": positions.astype(np.int64) + 2,
            "values": values.iloc[positions].astype("str").reset_index(drop=True)}


def _unknown(values: pd.Series, known: pd.Series) -> np.ndarray:
    """Which cells of ``values`` (blanks excepted) are not among ``known``, each distinct value looked up once."""
    codes, uniques = pd.factorize(values.astype("str"), use_na_sentinel=True)
    missing = ~pd.Index(uniques).isin(pd.Index(known.astype("str")))
    return np.append(missing, False)[codes]


def missing_references(name: str, frame: pd.DataFrame, data: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Errors for values of ``frame`` that the datasets it refers to do not hold."""
    out = []
    for column, ref, ref_column in registry.references(name):
        if column not in frame.columns or ref not in data:
            continue
        unknown = _unknown(frame[column], data[ref][ref_column])
        if not unknown.any():
            continue
        n, examples = int(unknown.sum()), _examples(frame[column][unknown])
        out.append(Problem(
            name, "error", int(np.flatnonzero(unknown)[0]) + 2, column, examples,
            f"{n:,}行の「{column}」が使用中の{_title(ref, 'ja')}にありません（例: {examples}）",
            f"{n:,} rows have a {column} that the {_title(ref, 'en')} in use does not hold (e.g. {examples})",
            f"値を直すか、先に（または一緒に）{_title(ref, 'ja')}のデータを読み込んでください",
            f"Correct the values, or load your {_title(ref, 'en')} first (or together)",
            **_every_line(unknown, frame[column])))
    return out


def broken_dependents(name: str, frame: pd.DataFrame, data: Mapping[str, pd.DataFrame],
                      staged: Collection[str] = ()) -> list[Problem]:
    """Errors for datasets in use (not in ``staged``) that refer to values ``frame`` lacks: using
    ``frame`` alone would leave their rows out of every figure."""
    out = []
    for dependent in registry.names():
        if dependent == name or dependent in staged or dependent not in data:
            continue
        for column, ref, ref_column in registry.references(dependent):
            if ref != name or column not in data[dependent].columns or ref_column not in frame.columns:
                continue
            values = data[dependent][column]
            unknown = _unknown(values, frame[ref_column])
            if not unknown.any():
                continue
            n, examples = int(unknown.sum()), _examples(values[unknown])
            out.append(Problem(
                name, "error", None, ref_column, examples,
                f"使用中の{_title(dependent, 'ja')}の {n:,} 行が、このファイルにない「{ref_column}」を参照しています"
                f"（例: {examples}）",
                f"{n:,} rows of the {_title(dependent, 'en')} in use refer to a {ref_column} this file does not "
                f"hold (e.g. {examples})",
                f"{_title(dependent, 'ja')}のファイルも一緒に読み込むか、このファイルに足りない行を加えてください",
                f"Load your {_title(dependent, 'en')} file together with this one, or add the missing rows"))
    return out


def places_outside(name: str, frame: pd.DataFrame, data: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Meshes (of the mesh table) and points (``lon``/``lat``) outside the city or their district."""
    districts = data.get("districts")
    if districts is None or name == "districts" or not len(districts) or "district_id" not in frame.columns:
        return []
    by_id = districts.set_index(districts["district_id"].astype("str"))["geometry"]
    own = by_id.reindex(frame["district_id"].astype("str")).to_numpy()
    city = shapely.union_all(np.asarray(districts.geometry))
    if name == "meshes":
        codes = frame["mesh_code"].astype("str")
        cells = np.asarray(geo.mesh_polygons(codes))
        centre = geo.mesh_centroids(codes)
        x, y, what_ja, what_en = centre["lon"].to_numpy(), centre["lat"].to_numpy(), "メッシュ", "mesh"
        far, away = ~shapely.intersects(cells, city), None  # distances only for the cells far away
    elif {"lon", "lat"} <= set(frame.columns):
        x, y = frame["lon"].to_numpy(dtype=float), frame["lat"].to_numpy(dtype=float)
        what_ja, what_en = "地点", "point"
        away = _distance_m(city, x, y)
        far = away > FAR_FROM_CITY_M
    else:
        return []
    out = []
    labels = frame["mesh_code"].astype("str") if name == "meshes" else pd.Series(
        [f"{a:.5f}, {b:.5f}" for a, b in zip(x, y, strict=True)], index=frame.index)
    if far.any():
        km = (away[far] if away is not None else _distance_m(city, x[far], y[far])).max() / 1000
        n, examples = int(far.sum()), _examples(labels[far])
        out.append(Problem(
            name, "error", int(np.flatnonzero(far)[0]) + 2, "mesh_code" if name == "meshes" else "lon", examples,
            f"{n:,}行の{what_ja}が市の区域から離れています（最大 約 {km:,.0f} km。例: {examples}）",
            f"{n:,} rows have a {what_en} away from the city's districts (up to about {km:,.0f} km; e.g. {examples})",
            "コードや座標の誤り（桁の欠け、緯度と経度の入れ替え、別の市のファイル）がないか確かめてください",
            "Check the codes or coordinates (missing digits, latitude and longitude swapped, another city's file)",
            **_every_line(far, labels)))
    present = np.array([g is not None for g in own])
    inside_own = np.zeros(len(frame), dtype=bool)
    if present.any():
        inside_own[present] = shapely.contains_xy(np.asarray(own[present]), x[present], y[present])
    elsewhere = present & ~far & ~inside_own
    if elsewhere.any():
        n, examples = int(elsewhere.sum()), _examples(labels[elsewhere])
        out.append(Problem(
            name, "warning", int(np.flatnonzero(elsewhere)[0]) + 2, "district_id", examples,
            f"{n:,}行の{what_ja}が、指定された地区（district_id）の境界の外にあります（例: {examples}）",
            f"{n:,} rows have a {what_en} outside the boundary of their district (district_id) (e.g. {examples})",
            "地区IDか位置が正しいか確かめてください（正しければそのままで構いません）",
            "Check the district ID or the position (nothing to do if they are right)",
            **_every_line(elsewhere, labels)))
    return out


def _distance_m(city: shapely.Geometry, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Metres (EPSG:6673) from each point (JGD2011 degrees) to the city."""
    if not len(x):
        return np.zeros(0)
    import geopandas as gpd

    plane = gpd.GeoSeries([city], crs=geo.GEOGRAPHIC_CRS).to_crs(geo.PLANE_CRS).iloc[0]
    xy = geo.plane_xy(y, x)
    return shapely.distance(plane, shapely.points(xy))
