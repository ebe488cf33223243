"""Geography shared by every domain: JIS X 0410 grid squares, CRSs and distances.

Grid squares (地域メッシュ) follow JIS X 0410 on JGD2011 latitude/longitude:

* 1st mesh (4 digits, ~80 km): ``pp`` = floor(lat × 1.5), ``uu`` = floor(lon − 100)
* 2nd mesh (+2 digits, ~10 km): the 1st mesh split 8 × 8
* 3rd mesh (+2 digits, ~1 km, 30″ × 45″): the 2nd mesh split 10 × 10
* 1/2 mesh (+1 digit, ~500 m, 15″ × 22.5″): the 3rd mesh split 2 × 2,
  numbered 1 = SW, 2 = SE, 3 = NW, 4 = NE.

Source: JIS X 0410:2002 地域メッシュコード; 総務省統計局「地域メッシュ統計の概要」.

Coordinate reference systems: data are stored in JGD2011 geographic (EPSG:6668);
lengths and areas are computed in JGD2011 / Japan Plane Rectangular CS V (EPSG:6673,
the zone for Hyōgo); maps are served in WGS 84 (EPSG:4326).
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import box

GEOGRAPHIC_CRS = "EPSG:6668"  # JGD2011 latitude/longitude
PLANE_CRS = "EPSG:6673"  # JGD2011 / Japan Plane Rectangular CS V (兵庫県)
WEB_CRS = "EPSG:4326"  # WGS 84, what deck.gl and GeoJSON expect
# Distances a viewer may choose for access figures (m). A count of people that depends on such a
# choice is published for every step at once, so the audit covers every view a slider can give
# (two views one step apart cannot difference out a hidden count).
ACCESS_STEPS_M: tuple[int, ...] = (500, 800, 1000, 1500, 2000)
# Distances to a public facility a viewer may choose (m): walking steps, then the school limits
# of 学校教育法施行令 Art. 4 (elementary about 4 km, junior high about 6 km).
FACILITY_ACCESS_STEPS_M: tuple[int, ...] = (500, 800, 1000, 1500, 2000, 3000, 4000, 6000)

# Size of a cell at each level, in degrees (latitude, longitude).
_LAT_1, _LON_1 = 2.0 / 3.0, 1.0
_LAT_2, _LON_2 = _LAT_1 / 8, _LON_1 / 8
_LAT_3, _LON_3 = _LAT_2 / 10, _LON_2 / 10
HALF_MESH_LAT, HALF_MESH_LON = _LAT_3 / 2, _LON_3 / 2  # 15″ × 22.5″

_LEVEL_DIGITS = {1: 4, 2: 6, 3: 8, 4: 9}


def mesh_code(lat: float | Iterable[float], lon: float | Iterable[float], level: int = 4) -> np.ndarray:
    """JIS X 0410 code(s) of the cell containing each point (JGD2011 degrees).

    ``level`` 1–3 are the 1st/2nd/3rd mesh, 4 the 1/2 mesh (9 digits). Returns an
    array of strings. A point on a cell's south/west edge belongs to that cell.
    """
    if level not in _LEVEL_DIGITS:
        raise ValueError(f"level must be 1, 2, 3 or 4, not {level!r}")
    lat_a = np.atleast_1d(np.asarray(lat, dtype=float))
    lon_a = np.atleast_1d(np.asarray(lon, dtype=float))
    # Work in integer units of the 1/2-mesh so that floating error cannot move a point
    # into the neighbouring cell at one level but not another.
    y = np.floor(lat_a / HALF_MESH_LAT + 1e-9).astype(np.int64)
    x = np.floor((lon_a - 100.0) / HALF_MESH_LON + 1e-9).astype(np.int64)
    p, y = np.divmod(y, 160)  # 160 half-mesh rows in a 1st mesh
    u, x = np.divmod(x, 160)
    q, y = np.divmod(y, 20)
    v, x = np.divmod(x, 20)
    r, ys = np.divmod(y, 2)
    w, xs = np.divmod(x, 2)
    m = 1 + xs + 2 * ys
    parts = [p, u, q, v, r, w, m]
    widths = [2, 2, 1, 1, 1, 1, 1]
    n_parts = {1: 2, 2: 4, 3: 6, 4: 7}[level]
    codes = np.char.zfill(parts[0].astype(str), widths[0])
    for part, width in zip(parts[1:n_parts], widths[1:n_parts], strict=True):
        codes = np.char.add(codes, np.char.zfill(part.astype(str), width))
    return codes.astype(object)


def is_mesh_code(code: object) -> bool:
    """True when ``code`` is a well-formed 4/6/8/9-digit JIS X 0410 code."""
    s = str(code)
    if not (s.isascii() and s.isdigit()) or len(s) not in _LEVEL_DIGITS.values():
        return False
    if len(s) >= 6 and (int(s[4]) > 7 or int(s[5]) > 7):
        return False
    if len(s) == 9 and s[8] not in "1234":
        return False
    return True


def mesh_bounds(codes: Iterable[object]) -> pd.DataFrame:
    """South/west/north/east edges (JGD2011 degrees) of each cell, indexed like ``codes``.

    Accepts 4-, 6-, 8- and 9-digit codes (mixed levels allowed). Raises ``ValueError``
    naming the first malformed code.
    """
    s = pd.Series(list(codes), dtype=object).astype(str)
    bad = ~s.map(is_mesh_code)
    if bad.any():
        raise ValueError(f"not a JIS X 0410 mesh code: {s[bad].iloc[0]!r}")
    n = s.str.len().to_numpy()
    pad = s.str.pad(9, side="right", fillchar="0")
    digit = lambda i, j: pad.str.slice(i, j).astype(int).to_numpy()  # noqa: E731
    # Count in whole 1/2-mesh units first and convert to degrees once, so neighbouring
    # cells get bit-identical shared edges (and unions have no slivers).
    m = np.where(n == 9, digit(8, 9), 1) - 1
    rows = (digit(0, 2) * 160 + np.where(n >= 6, digit(4, 5), 0) * 20 + np.where(n >= 8, digit(6, 7), 0) * 2
            + np.where(n == 9, m // 2, 0))
    cols = (digit(2, 4) * 160 + np.where(n >= 6, digit(5, 6), 0) * 20 + np.where(n >= 8, digit(7, 8), 0) * 2
            + np.where(n == 9, m % 2, 0))
    size = np.select([n == 4, n == 6, n == 8], [160, 20, 2], 1)
    south = rows * HALF_MESH_LAT
    west = 100 + cols * HALF_MESH_LON
    north = (rows + size) * HALF_MESH_LAT
    east = 100 + (cols + size) * HALF_MESH_LON
    return pd.DataFrame(
        {"south": south, "west": west, "north": north, "east": east},
        index=pd.Index(s, name="mesh_code"),
    )


def mesh_centroids(codes: Iterable[object]) -> pd.DataFrame:
    """Centre latitude/longitude (JGD2011 degrees) of each cell, columns ``lat``, ``lon``."""
    b = mesh_bounds(codes)
    return pd.DataFrame({"lat": (b.south + b.north) / 2, "lon": (b.west + b.east) / 2}, index=b.index)


def mesh_polygons(codes: Iterable[object]) -> gpd.GeoSeries:
    """Cell polygons in JGD2011 (EPSG:6668), indexed by mesh code."""
    b = mesh_bounds(codes)
    return gpd.GeoSeries(box(b.west, b.south, b.east, b.north), index=b.index, crs=GEOGRAPHIC_CRS)


def mesh_frame(df: pd.DataFrame, code_column: str = "mesh_code") -> gpd.GeoDataFrame:
    """Attach cell polygons to a table keyed by mesh code."""
    geometry = mesh_polygons(df[code_column]).to_numpy()
    return gpd.GeoDataFrame(df.copy(), geometry=geometry, crs=GEOGRAPHIC_CRS)


def plane_xy(lat: Iterable[float], lon: Iterable[float]) -> np.ndarray:
    """Project JGD2011 degrees to plane metres (EPSG:6673); returns an (n, 2) array of x (east), y (north)."""
    pts = gpd.GeoSeries(gpd.points_from_xy(np.asarray(lon, float), np.asarray(lat, float)), crs=GEOGRAPHIC_CRS)
    pts = pts.to_crs(PLANE_CRS)
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])


def mesh_plane_xy(codes: Iterable[object]) -> np.ndarray:
    """Plane metres (EPSG:6673) of the centre of each mesh in ``codes`` (row-aligned; each
    distinct code projected once)."""
    codes = pd.Series(list(codes), dtype=object).astype(str)
    uniq = pd.unique(codes)
    c = mesh_centroids(uniq)
    return plane_xy(c["lat"], c["lon"])[pd.Index(uniq).get_indexer(codes)]


def points_plane_xy(points: pd.DataFrame) -> np.ndarray:
    """Plane metres (EPSG:6673) of the ``lon``/``lat`` (JGD2011 degrees) rows of ``points``; an
    empty (0, 2) array for no rows."""
    return plane_xy(points["lat"], points["lon"]) if len(points) else np.zeros((0, 2))


def distance_matrix_m(origins: np.ndarray, destinations: np.ndarray) -> np.ndarray:
    """Straight-line distances in metres between plane points (rows: origins, columns: destinations).

    Both inputs are (n, 2) arrays from :func:`plane_xy`.
    """
    o = np.asarray(origins, dtype=float)[:, None, :]
    d = np.asarray(destinations, dtype=float)[None, :, :]
    return np.sqrt(((o - d) ** 2).sum(axis=2))


def nearest_distance_m(origins: np.ndarray, destinations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance in metres from each origin to its nearest destination, and that destination's position.

    Uses a k-d tree, so it scales to every mesh × every facility of a large city.
    """
    from scipy.spatial import cKDTree  # imported here: scipy is slow to import and rarely needed

    dest = np.asarray(destinations, dtype=float)
    if len(dest) == 0:
        n = len(origins)
        return np.full(n, np.inf), np.full(n, -1)
    dist, idx = cKDTree(dest).query(np.asarray(origins, dtype=float))
    return dist, idx


def area_km2(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Area of each geometry in km², measured in the plane CRS (EPSG:6673)."""
    return gdf.to_crs(PLANE_CRS).area / 1e6


def to_web(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same frame in WGS 84 (EPSG:4326) for deck.gl / GeoJSON output."""
    return gdf.to_crs(WEB_CRS)


def dissolve_meshes(mesh_table: pd.DataFrame, by: str, code_column: str = "mesh_code") -> gpd.GeoDataFrame:
    """Union the cells of each group (e.g. district) into one polygon per group, in EPSG:6668.

    Adjacent cells share exact edges (they come from the same grid arithmetic), so the
    union has no slivers.
    """
    cells = mesh_frame(mesh_table[[code_column, by]], code_column)
    out = cells.dissolve(by=by, as_index=False)[[by, "geometry"]]
    return out.sort_values(by, ignore_index=True)


def point_in_mesh(rng: np.random.Generator, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A random point (lon, lat in JGD2011 degrees, 6 decimals) inside each mesh, away from its edges:
    where a facility or a site of every domain stands."""
    b = mesh_bounds(codes)
    u, v = rng.uniform(0.15, 0.85, len(codes)), rng.uniform(0.15, 0.85, len(codes))
    lat = b["south"].to_numpy() + u * (b["north"] - b["south"]).to_numpy()
    lon = b["west"].to_numpy() + v * (b["east"] - b["west"]).to_numpy()
    return np.round(lon, 6), np.round(lat, 6)
