"""Tests for analytics.core.geo: JIS X 0410 grid squares, projections, distances and areas.

Every expected value is worked out by hand in the comments from the JIS X 0410 rules:

* 1st mesh: pp = floor(lat × 1.5), uu = floor(lon − 100); cell 2/3° × 1°
* 2nd mesh: q = floor(lat remainder / (1/12°)), v = floor(lon remainder / (1/8°))
* 3rd mesh: r = floor(lat remainder / (1/120°)), w = floor(lon remainder / (1/80°)); 30″ × 45″
* 1/2 mesh: 1 = SW, 2 = SE, 3 = NW, 4 = NE; 15″ × 22.5″ = 1/240° × 1/160°

Metric answers use the GRS80 ellipsoid (a = 6,378,137 m, e² = 0.00669438):
meridian radius M = a(1 − e²)/(1 − e² sin²φ)^1.5, prime-vertical radius N = a/√(1 − e² sin²φ).
"""

from __future__ import annotations

import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

from analytics.core import geo

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

# The cell used throughout, near Himeji (34.8°N), worked out from its code 523415951:
#   52 → south = 52 × 2/3            = 34.666 667°    34 → west = 100 + 34       = 134°
#   1  → south += 1 × 1/12           = 34.75°         5  → west += 5 × 1/8       = 134.625°
#   9  → south += 9 × 1/120          = 34.825°        5  → west += 5 × 1/80      = 134.6875°
#   1  (SW) → no shift.  3rd mesh 52341595 = lat 34.825 … 34.833 333, lon 134.6875 … 134.7
#   1/2 mesh 523415951 = lat 34.825 … 34.829 167, lon 134.6875 … 134.693 75
THIRD = "52341595"
HALF = "523415951"


# ----------------------------------------------------------------------------- mesh_code


def test_mesh_code_shinjuku_levels_1_to_4() -> None:
    # lat 35.6895, lon 139.6917
    # 1st: 35.6895 × 1.5 = 53.534 → 53;  139.6917 − 100 = 39.69 → 39          → 5339
    # 2nd: lat rem 35.6895 − 53×2/3 = 35.6895 − 35.333 333 = 0.356 167
    #      × 12 = 4.274 → q = 4;  lon rem 0.6917 × 8 = 5.534 → v = 5          → 533945
    # 3rd: lat rem 0.356 167 − 4/12 = 0.022 833; × 120 = 2.74 → r = 2
    #      lon rem 0.6917 − 5/8 = 0.0667; × 80 = 5.336 → w = 5                 → 53394525
    # 1/2: lat fraction 0.74 ≥ 0.5 → north; lon fraction 0.336 < 0.5 → west → 3 (NW)
    lat, lon = 35.6895, 139.6917
    assert geo.mesh_code(lat, lon, 1).tolist() == ["5339"]
    assert geo.mesh_code(lat, lon, 2).tolist() == ["533945"]
    assert geo.mesh_code(lat, lon, 3).tolist() == ["53394525"]
    assert geo.mesh_code(lat, lon, 4).tolist() == ["533945253"]


def test_mesh_code_default_level_is_half_mesh() -> None:
    # Same point as above: the default level 4 gives the 9-digit 1/2 mesh.
    assert geo.mesh_code(35.6895, 139.6917).tolist() == ["533945253"]


def test_mesh_code_tokyo_station_third_mesh() -> None:
    # Tokyo Station 35.681236, 139.767125
    # 1st: 35.681236 × 1.5 = 53.52 → 53; lon → 39                             → 5339
    # 2nd: lat rem 35.681236 − 35.333 333 = 0.347 903; × 12 = 4.17 → 4
    #      lon rem 0.767125 × 8 = 6.137 → 6                                     → 533946
    # 3rd: lat rem 0.347 903 − 0.333 333 = 0.014 570; × 120 = 1.75 → 1
    #      lon rem 0.767125 − 0.75 = 0.017125; × 80 = 1.37 → 1                  → 53394611
    assert geo.mesh_code(35.681236, 139.767125, 3).tolist() == ["53394611"]


def test_mesh_code_35_70_139_70_is_south_west_corner_of_53394546() -> None:
    # lat 35.70: × 1.5 = 53.55 → 53; rem 35.70 − 35.333 333 = 0.366 667
    #   × 12 = 4.4 → q = 4; rem 0.366 667 − 0.333 333 = 0.033 333; × 120 = 4.0 → r = 4
    #   (exactly on the 3rd-mesh south edge, 35.70 × 240 = 8568 half-mesh rows, an even number)
    # lon 139.70: 39.70 → u = 39; rem 0.70 × 8 = 5.6 → v = 5; rem 0.70 − 0.625 = 0.075
    #   × 80 = 6.0 → w = 6 (exactly on the west edge, 39.70 × 160 = 6352, even)
    # The corner belongs to the cell to its north-east: 3rd 53394546, 1/2 suffix 1 (SW).
    assert geo.mesh_code(35.70, 139.70, 3).tolist() == ["53394546"]
    assert geo.mesh_code(35.70, 139.70, 4).tolist() == ["533945461"]


def test_point_just_south_west_of_that_corner_is_in_the_neighbouring_cells() -> None:
    # 1e-7° below 35.70 → r = 3 and the north half (row 8567 is odd);
    # 1e-7° west of 139.70 → w = 5 and the east half (column 6351 is odd) → 53394535, suffix 4 (NE).
    assert geo.mesh_code(35.70 - 1e-7, 139.70 - 1e-7, 3).tolist() == ["53394535"]
    assert geo.mesh_code(35.70 - 1e-7, 139.70 - 1e-7, 4).tolist() == ["533945354"]


@pytest.mark.parametrize(
    ("lat", "lon", "suffix"),
    [
        # 3rd mesh 52341595: lat 34.825 … 34.833 333 (middle 34.829 167),
        #                    lon 134.6875 … 134.7 (middle 134.693 75)
        (34.827, 134.690, "1"),  # below middle, left of middle  → SW
        (34.827, 134.697, "2"),  # below middle, right of middle → SE
        (34.832, 134.690, "3"),  # above middle, left of middle  → NW
        (34.832, 134.697, "4"),  # above middle, right of middle → NE
    ],
)
def test_half_mesh_quadrants(lat: float, lon: float, suffix: str) -> None:
    assert geo.mesh_code(lat, lon, 3).tolist() == [THIRD]
    assert geo.mesh_code(lat, lon, 4).tolist() == [THIRD + suffix]


def test_interior_half_mesh_edges_belong_to_the_north_east_cell() -> None:
    # The middle of 52341595 is (34.825 + 1/240, 134.6875 + 1/160) = (34.829 167, 134.693 75):
    # the south-west corner of the NE half → 523415954.
    # On the middle latitude but in the west half → the NW half (3);
    # on the middle longitude but in the south half → the SE half (2).
    mid_lat, mid_lon = 34.825 + 1 / 240, 134.6875 + 1 / 160
    assert geo.mesh_code(mid_lat, mid_lon).tolist() == ["523415954"]
    assert geo.mesh_code(mid_lat, 134.690).tolist() == ["523415953"]
    assert geo.mesh_code(34.827, mid_lon).tolist() == ["523415952"]


def test_first_mesh_south_west_edge() -> None:
    # lat 36.0 × 1.5 = 54 exactly, lon 140.0 − 100 = 40 exactly → 5440 (not 5339).
    assert geo.mesh_code(36.0, 140.0, 1).tolist() == ["5440"]
    # A hair below/west: 35.999 999 9 × 1.5 = 53.99… → 53; 39.999… → 39 → 5339.
    assert geo.mesh_code(36.0 - 1e-7, 140.0 - 1e-7, 1).tolist() == ["5339"]


def test_mesh_code_is_vectorised() -> None:
    lats = np.array([35.6895, 34.827, 34.832, 35.70])
    lons = np.array([139.6917, 134.690, 134.697, 139.70])
    codes = geo.mesh_code(lats, lons)
    assert isinstance(codes, np.ndarray)
    assert codes.shape == (4,)
    # Worked out in the tests above.
    assert codes.tolist() == ["533945253", "523415951", "523415954", "533945461"]
    # Lists work too, and each element agrees with the one-point call.
    from_lists = geo.mesh_code(lats.tolist(), lons.tolist(), 3)
    assert from_lists.tolist() == ["53394525", THIRD, THIRD, "53394546"]
    for la, lo, c in zip(lats, lons, from_lists, strict=True):
        assert geo.mesh_code(la, lo, 3).tolist() == [c]


def test_scalar_input_returns_one_element_array() -> None:
    out = geo.mesh_code(34.827, 134.690)
    assert isinstance(out, np.ndarray) and out.shape == (1,)


@pytest.mark.parametrize("level", [0, 5, -1, 9])
def test_invalid_level_raises(level: int) -> None:
    with pytest.raises(ValueError, match="level"):
        geo.mesh_code(35.0, 135.0, level)


# ----------------------------------------------------------------------------- is_mesh_code


@pytest.mark.parametrize(
    "code",
    ["5339", "533945", "53394546", "533945461", "533945462", "533945463", "533945464",
     "523477", 523415951, "684777"],
)
def test_is_mesh_code_accepts(code: object) -> None:
    assert geo.is_mesh_code(code) is True


@pytest.mark.parametrize(
    "code",
    [
        "",  # empty
        "533",  # 3 digits
        "53394",  # 5 digits
        "5339454",  # 7 digits
        "5339454612",  # 10 digits
        "5339a546",  # non-digit
        "53394546 ",  # trailing space
        "-5339",  # sign
        "53.9",  # decimal point
        "533985",  # 2nd-mesh row digit 8
        "533959",  # 2nd-mesh column digit 9
        "53398546",  # 8 digits with 2nd-mesh row digit 8
        "533945465",  # half-mesh digit 5
        "533945460",  # half-mesh digit 0
        "533945469",  # half-mesh digit 9
        None,
    ],
)
def test_is_mesh_code_rejects(code: object) -> None:
    assert geo.is_mesh_code(code) is False


def test_is_mesh_code_rejects_superscript_digit_without_raising() -> None:
    # '²'.isdigit() is True, so the length check passes and int(s[4]) raises.
    assert geo.is_mesh_code("5339²546") is False


def test_is_mesh_code_treats_full_width_digits_consistently() -> None:
    # "５３３９４５４６１" is rejected (its last digit '１' is not in "1234"); the same code
    # cut to 8 digits should be rejected too, not accepted.
    assert geo.is_mesh_code("５３３９４５４６１") is False
    assert geo.is_mesh_code("５３３９４５４６") is False


# ----------------------------------------------------------------------------- mesh_bounds


def test_mesh_bounds_known_cell() -> None:
    # 533945461: south = 53 × 2/3 + 4/12 + 4/120 = 35.333 333 + 0.333 333 + 0.033 333 = 35.70
    #            west  = 100 + 39 + 5/8 + 6/80 = 139 + 0.625 + 0.075 = 139.70
    #            north = 35.70 + 1/240 = 35.704 167;  east = 139.70 + 1/160 = 139.706 25
    b = geo.mesh_bounds(["533945461"])
    assert list(b.columns) == ["south", "west", "north", "east"]
    row = b.loc["533945461"]
    assert row.south == pytest.approx(35.70, abs=1e-12)
    assert row.west == pytest.approx(139.70, abs=1e-12)
    assert row.north == pytest.approx(35.70 + 1 / 240, abs=1e-12)
    assert row.east == pytest.approx(139.70 + 1 / 160, abs=1e-12)


@pytest.mark.parametrize(
    ("code", "south", "west"),
    [
        # 523415954 (NE): south = 34.825 + 1/240 = 34.829 167; west = 134.6875 + 1/160 = 134.693 75
        ("523415954", 34.825 + 1 / 240, 134.6875 + 1 / 160),
        # 523415952 (SE): south = 34.825; west = 134.693 75
        ("523415952", 34.825, 134.6875 + 1 / 160),
        # 523415953 (NW): south = 34.829 167; west = 134.6875
        ("523415953", 34.825 + 1 / 240, 134.6875),
        # 523415 (2nd mesh): south = 52 × 2/3 + 1/12 = 34.75; west = 134.625
        ("523415", 34.75, 134.625),
        # 5234 (1st mesh): south = 34.666 667; west = 134
        ("5234", 52 * 2 / 3, 134.0),
    ],
)
def test_mesh_bounds_south_west_corners(code: str, south: float, west: float) -> None:
    row = geo.mesh_bounds([code]).iloc[0]
    assert row.south == pytest.approx(south, abs=1e-12)
    assert row.west == pytest.approx(west, abs=1e-12)


@pytest.mark.parametrize(
    ("code", "dlat_sec", "dlon_sec"),
    [
        ("523415951", 15.0, 22.5),  # 1/2 mesh: 15″ × 22.5″
        ("533945464", 15.0, 22.5),
        ("52341595", 30.0, 45.0),  # 3rd mesh: 30″ × 45″
        ("53394546", 30.0, 45.0),
        ("523415", 300.0, 450.0),  # 2nd mesh: 5′ × 7.5′
        ("5234", 2400.0, 3600.0),  # 1st mesh: 40′ × 60′ = 2/3° × 1°
    ],
)
def test_mesh_bounds_cell_sizes(code: str, dlat_sec: float, dlon_sec: float) -> None:
    b = geo.mesh_bounds([code]).iloc[0]
    assert (b.north - b.south) * 3600 == pytest.approx(dlat_sec, abs=1e-7)
    assert (b.east - b.west) * 3600 == pytest.approx(dlon_sec, abs=1e-7)


def test_mesh_bounds_mixed_levels_indexed_by_code() -> None:
    codes = ["5234", "523415", "52341595", "523415951"]
    b = geo.mesh_bounds(codes)
    assert b.index.tolist() == codes
    # The 3rd mesh 52341595 and its SW 1/2 mesh 523415951 share the corner (34.825, 134.6875).
    assert b.loc["52341595"].south == pytest.approx(b.loc["523415951"].south, abs=1e-12)
    assert b.loc["52341595"].west == pytest.approx(b.loc["523415951"].west, abs=1e-12)
    # Each finer cell lies inside the coarser one.
    for fine, coarse in zip(codes[1:], codes[:-1], strict=True):
        f, c = b.loc[fine], b.loc[coarse]
        assert c.south - 1e-12 <= f.south < f.north <= c.north + 1e-12
        assert c.west - 1e-12 <= f.west < f.east <= c.east + 1e-12


def test_mesh_bounds_accepts_integer_codes() -> None:
    b = geo.mesh_bounds([523415951])
    assert b.index.tolist() == ["523415951"]
    assert b.iloc[0].south == pytest.approx(34.825, abs=1e-12)


def _random_codes(rng: np.random.Generator, n: int, digits: int) -> list[str]:
    p = rng.integers(30, 69, n)
    u = rng.integers(22, 54, n)
    q, v = rng.integers(0, 8, n), rng.integers(0, 8, n)
    r, w = rng.integers(0, 10, n), rng.integers(0, 10, n)
    m = rng.integers(1, 5, n)
    full = [f"{a:02d}{b:02d}{c}{d}{e}{f}{g}" for a, b, c, d, e, f, g in zip(p, u, q, v, r, w, m, strict=True)]
    return [c[:digits] for c in full]


@pytest.mark.parametrize(("level", "digits"), [(1, 4), (2, 6), (3, 8), (4, 9)])
def test_centroid_round_trip(level: int, digits: int) -> None:
    rng = np.random.default_rng(6668 + level)
    codes = _random_codes(rng, 400, digits)
    b = geo.mesh_bounds(codes)
    lat = ((b.south + b.north) / 2).to_numpy()
    lon = ((b.west + b.east) / 2).to_numpy()
    assert geo.mesh_code(lat, lon, level).tolist() == codes
    c = geo.mesh_centroids(codes)
    assert geo.mesh_code(c.lat.to_numpy(), c.lon.to_numpy(), level).tolist() == codes


@pytest.mark.parametrize("bad", ["12345", "533945465", "5339a546", "533985", ""])
def test_mesh_bounds_malformed_code_raises_naming_it(bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        geo.mesh_bounds(["523415951", bad, "533945461"])


def test_mesh_bounds_names_the_first_malformed_code() -> None:
    with pytest.raises(ValueError, match=re.escape("'12345'")):
        geo.mesh_bounds(["523415951", "12345", "99999"])


# ----------------------------------------------------------------------------- polygons


def test_mesh_polygons_crs_and_shape() -> None:
    polys = geo.mesh_polygons([HALF, "533945461"])
    assert isinstance(polys, gpd.GeoSeries)
    assert polys.crs is not None and polys.crs.to_epsg() == 6668
    assert polys.index.tolist() == [HALF, "533945461"]
    # 533945461 is the box 139.70 … 139.706 25 × 35.70 … 35.704 167 (see test_mesh_bounds_known_cell).
    minx, miny, maxx, maxy = polys.loc["533945461"].bounds
    assert (minx, miny) == pytest.approx((139.70, 35.70), abs=1e-12)
    assert (maxx, maxy) == pytest.approx((139.70625, 35.70 + 1 / 240), abs=1e-12)


@pytest.mark.parametrize("third", [THIRD, "53394546", "53394611", "64414277", "30220000"])
def test_four_half_meshes_tile_the_third_mesh(third: str) -> None:
    halves = geo.mesh_polygons([third + d for d in "1234"])
    whole = geo.mesh_polygons([third]).iloc[0]
    u = halves.union_all()
    assert u.geom_type == "Polygon" and len(u.interiors) == 0
    # Same box to within 1e-12° (≈ 0.1 µm) on every side.
    assert u.bounds == pytest.approx(whole.bounds, abs=1e-12)
    assert u.hausdorff_distance(whole) < 1e-12
    # The four halves do not overlap: their areas add up to the whole.
    assert sum(g.area for g in halves) == pytest.approx(whole.area, rel=1e-12)


def test_four_half_meshes_union_to_exactly_the_third_mesh_box() -> None:
    # 52341595: lat 34.825 … 34.825 + 1/120, lon 134.6875 … 134.7 (see the top of this file).
    halves = geo.mesh_polygons([THIRD + d for d in "1234"])
    whole = geo.mesh_polygons([THIRD]).iloc[0]
    assert halves.union_all().equals(whole)


# ----------------------------------------------------------------------------- distances


def test_plane_xy_shape_and_north_east_axes() -> None:
    xy = geo.plane_xy([34.8, 34.81, 34.8], [134.69, 134.69, 134.70])
    assert xy.shape == (3, 2)
    # x grows east, y grows north. Grid north differs from true north by the meridian
    # convergence γ ≈ Δλ sin φ = (134.69 − 134.333)° × 0.571 ≈ 0.2°, so moving ~1 km along a
    # meridian or parallel shifts the other axis by ~1,000 × sin 0.2° ≈ 3.5 m (< 10 m).
    assert xy[1, 1] > xy[0, 1] and xy[1, 0] == pytest.approx(xy[0, 0], abs=10.0)
    assert xy[2, 0] > xy[0, 0] and xy[2, 1] == pytest.approx(xy[0, 1], abs=10.0)


def test_north_south_distance_of_0_01_degree_near_34_8() -> None:
    # φ = 34.8°: sin²φ = 0.5707² = 0.3257; 1 − e² sin²φ = 1 − 0.00669438 × 0.3257 = 0.997820
    # M = 6,378,137 × 0.993306 / 0.997820^1.5 = 6,335,439 / 0.996731 = 6,356,218 m/rad
    # 0.01° = 0.01 × π/180 rad → 6,356,218 × 1.745329e-4 = 1,109.4 m
    # (plane scale factor ≈ 0.9999 + tiny, so ≈ 1,109 m; the brief's "≈ 1,110 m" within 0.5 %)
    xy = geo.plane_xy([34.8, 34.81], [134.69, 134.69])
    d = geo.distance_matrix_m(xy[:1], xy[1:])
    assert d.shape == (1, 1)
    assert d[0, 0] == pytest.approx(1110.0, rel=0.005)


def test_east_west_distance_shrinks_with_cos_latitude() -> None:
    # 0.01° of longitude ≈ 0.01 × π/180 × N cos φ.
    # At 34.8°: N = 6,378,137 / √0.997820 = 6,385,103 m; × cos 34.8° (0.821149) = 5,243,150 m
    #   → × 1.745329e-4 = 915.1 m  ≈ 1,110 m × cos 34.8° = 911.5 m (the ellipsoid adds 0.4 %)
    xy = geo.plane_xy([34.8, 34.8], [134.69, 134.70])
    ew = geo.distance_matrix_m(xy[:1], xy[1:])[0, 0]
    assert ew == pytest.approx(1110.0 * math.cos(math.radians(34.8)), rel=0.01)
    assert ew == pytest.approx(915.1, rel=0.005)

    # Further north, shorter: ratio ≈ cos 35.3° / cos 34.3° = 0.81614 / 0.82610 = 0.98795
    # (N changes by only 1 + e²/2 (sin²35.3 − sin²34.3) ≈ 1.00005, so the cosine dominates).
    south = geo.plane_xy([34.3, 34.3], [134.69, 134.70])
    north = geo.plane_xy([35.3, 35.3], [134.69, 134.70])
    d_s = geo.distance_matrix_m(south[:1], south[1:])[0, 0]
    d_n = geo.distance_matrix_m(north[:1], north[1:])[0, 0]
    assert d_n < d_s
    assert d_n / d_s == pytest.approx(math.cos(math.radians(35.3)) / math.cos(math.radians(34.3)), rel=1e-3)


def test_distance_matrix_on_hand_made_plane_points() -> None:
    origins = np.array([[0.0, 0.0], [10.0, 0.0]])
    dests = np.array([[3.0, 4.0], [10.0, 1.0], [-100.0, 0.0]])
    d = geo.distance_matrix_m(origins, dests)
    # (0,0): to (3,4) = √(9+16) = 5; to (10,1) = √(100+1) = √101; to (−100,0) = 100
    # (10,0): to (3,4) = √(49+16) = √65; to (10,1) = 1; to (−100,0) = 110
    expected = np.array([[5.0, math.sqrt(101), 100.0], [math.sqrt(65), 1.0, 110.0]])
    np.testing.assert_allclose(d, expected, rtol=1e-12)


def test_nearest_distance_picks_the_right_destination() -> None:
    origins = np.array([[0.0, 0.0], [10.0, 0.0], [-90.0, 0.0]])
    dests = np.array([[3.0, 4.0], [10.0, 1.0], [-100.0, 0.0]])
    # (0,0): min(5, √101 = 10.05, 100) = 5 at 0
    # (10,0): min(√65 = 8.06, 1, 110) = 1 at 1
    # (−90,0): to (3,4) = √(93² + 16) = 93.09; to (10,1) = √(100² + 1) = 100.005; to (−100,0) = 10 → 10 at 2
    dist, idx = geo.nearest_distance_m(origins, dests)
    np.testing.assert_allclose(dist, [5.0, 1.0, 10.0], rtol=1e-12)
    assert list(idx) == [0, 1, 2]


def test_nearest_distance_with_no_destinations() -> None:
    origins = np.array([[0.0, 0.0], [1.0, 1.0]])
    dist, idx = geo.nearest_distance_m(origins, np.empty((0, 2)))
    assert np.isinf(dist).all() and len(dist) == 2
    assert list(idx) == [-1, -1]


# ----------------------------------------------------------------------------- areas


def test_area_of_a_half_mesh_near_34_8() -> None:
    # 523415951, centre lat 34.827°:
    #   north-south 1/240° = 110,937 m/° (M at 34.8°, see above) / 240 = 462.2 m
    #   east-west   1/160° = 91,480 m/° (N cos φ at 34.83°) / 160      = 571.7 m
    #   area ≈ 0.4622 km × 0.5717 km = 0.2643 km²  (brief: 0.4625 × 0.571 = 0.2641, within 1 %)
    a = geo.area_km2(geo.mesh_polygons([HALF]))
    assert a.loc[HALF] == pytest.approx(0.4625 * 0.571, rel=0.01)


def test_area_of_a_third_mesh_is_four_halves() -> None:
    third = geo.area_km2(geo.mesh_polygons([THIRD])).iloc[0]
    halves = geo.area_km2(geo.mesh_polygons([THIRD + d for d in "1234"]))
    # Not to 1e-9: in the plane the 3rd mesh's straight edges skip the halves' mid-edge
    # vertices, and parallels are slightly curved there (a ~1e-9 relative difference).
    assert third == pytest.approx(halves.sum(), rel=1e-6)
    # 0.925 km × 1.143 km ≈ 1.057 km²
    assert third == pytest.approx(4 * 0.4625 * 0.571, rel=0.01)


def test_dissolve_meshes_one_polygon_per_group_with_summed_area() -> None:
    # Inside 3rd mesh 52341595: group A = SW, SE, NW (an L shape); group B = NE alone.
    # Group C = SW half of the 3rd mesh two rows south (52341575), far from the others.
    table = pd.DataFrame(
        {
            "mesh_code": ["523415951", "523415952", "523415953", "523415954", "523415751"],
            "district_id": ["A", "A", "A", "B", "C"],
            "other": [1, 2, 3, 4, 5],
        }
    )
    out = geo.dissolve_meshes(table, by="district_id")
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs.to_epsg() == 6668
    assert list(out.columns) == ["district_id", "geometry"]
    assert out.district_id.tolist() == ["A", "B", "C"]
    assert (out.geom_type == "Polygon").all()
    assert len(out.geometry.iloc[0].interiors) == 0
    cell_area = geo.area_km2(geo.mesh_polygons(table.mesh_code)).to_numpy()
    got = geo.area_km2(out.set_index("district_id"))
    assert got["A"] == pytest.approx(cell_area[:3].sum(), rel=1e-9)
    assert got["B"] == pytest.approx(cell_area[3], rel=1e-9)
    assert got["C"] == pytest.approx(cell_area[4], rel=1e-9)


def test_dissolve_meshes_custom_code_column() -> None:
    table = pd.DataFrame({"code": ["523415951", "523415952"], "g": [1, 1]})
    out = geo.dissolve_meshes(table, by="g", code_column="code")
    assert len(out) == 1 and out.geom_type.iloc[0] == "Polygon"
    # Two halves side by side = a 30″ × 45″ box: lat 34.825 … 34.829 167, lon 134.6875 … 134.7
    assert out.geometry.iloc[0].bounds == pytest.approx((134.6875, 34.825, 134.7, 34.825 + 1 / 240), abs=1e-12)


def test_dissolve_meshes_across_a_third_mesh_boundary_is_one_polygon() -> None:
    # 523415012 (SE half of 3rd mesh 52341501) east edge = 134.625 + 1/80 + 2 × 1/160 = 134.65
    # 523415021 (SW half of 3rd mesh 52341502) west edge = 134.625 + 2/80            = 134.65
    # Same latitude band (r = 0, south half) → the two cells share an edge.
    table = pd.DataFrame({"mesh_code": ["523415012", "523415021"], "g": ["A", "A"]})
    out = geo.dissolve_meshes(table, by="g")
    assert out.geom_type.tolist() == ["Polygon"]


def test_to_web_is_wgs84() -> None:
    gdf = gpd.GeoDataFrame({"x": [1]}, geometry=[box(134.6875, 34.825, 134.69375, 34.829)], crs=geo.GEOGRAPHIC_CRS)
    web = geo.to_web(gdf)
    assert web.crs.to_epsg() == 4326
    # JGD2011 and WGS 84 agree to well under a metre (1e-5° ≈ 1 m).
    assert web.total_bounds == pytest.approx(gdf.total_bounds, abs=1e-5)
