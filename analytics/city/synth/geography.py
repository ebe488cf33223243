"""The synthetic city's land: 500 m grid cells, kinds of area, and elementary-school districts.

The layout follows a merged Japanese core city such as Himeji (see ``shared/domain.md``):
a dense centre around the station a few km inland, a coastal industrial belt, suburbs with
new housing estates, mountain villages to the north (mostly forest, people along two
valleys), and a small island group offshore. Everything scales with ``scale``: the grid
covers ``scale`` times the area and holds ``scale`` times the districts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.core import geo

# South-west corner of the grid, on the 1/2-mesh lattice (34.7375° N, 134.5° E: the Harima coast).
ORIGIN_LAT = 8337 * geo.HALF_MESH_LAT
ORIGIN_LON = 100 + 5520 * geo.HALF_MESH_LON
BASE_ROWS, BASE_COLS = 61, 44  # ≈ 28.2 km × 25.1 km at scale 1
CELL_KM_NS, CELL_KM_EW = 0.4625, 0.5710  # size of a 1/2 mesh at 34.8° N
BASE_DISTRICTS = 40

AREA_TYPES = ("core", "suburb", "industrial", "mountain", "island")


@dataclass(frozen=True)
class CityLand:
    """Land cells of the city with their kind of area, density weight and district.

    ``cells`` columns: ``mesh_code``, ``row``, ``col``, ``x_km``, ``y_km``, ``area_type``,
    ``weight`` (relative residential density, 0 for empty forest), ``new_estate`` (0–1,
    closeness to a housing development that keeps drawing families), ``district``
    (0-based district number, counted outward from the station).
    """

    cells: pd.DataFrame
    n_districts: int
    station_xy_km: tuple[float, float]


def _smooth_field(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, n: int,
                  wavelength_km: tuple[float, float]) -> np.ndarray:
    """A smooth random field (sum of plane waves), for wiggly coasts and district borders."""
    out = np.zeros_like(x, dtype=float)
    for _ in range(n):
        k = 2 * np.pi / rng.uniform(*wavelength_km)
        theta = rng.uniform(0, 2 * np.pi)
        phase = rng.uniform(0, 2 * np.pi)
        out += np.cos(k * (x * np.cos(theta) + y * np.sin(theta)) + phase)
    return out / np.sqrt(n)


def build_land(rng: np.random.Generator, scale: float) -> CityLand:
    """Lay out the grid, the sea, the kinds of area and the residential density."""
    stretch = np.sqrt(scale)
    n_rows, n_cols = int(round(BASE_ROWS * stretch)), int(round(BASE_COLS * stretch))
    rows, cols = np.meshgrid(np.arange(n_rows), np.arange(n_cols), indexing="ij")
    rows, cols = rows.ravel(), cols.ravel()
    x = (cols + 0.5) * CELL_KM_EW
    y = (rows + 0.5) * CELL_KM_NS
    width, height = n_cols * CELL_KM_EW, n_rows * CELL_KM_NS
    u, v = x / width, y / height  # 0..1 west→east, south→north

    # Coast: a wavy line about 12% up the grid; sea below it.
    coast = height * (0.12 + 0.025 * _smooth_field(rng, x, np.zeros_like(x), 3, (6, 14)))
    # The city limits: an irregular rounded outline (neighbouring towns lie outside).
    rim = (np.abs(u - 0.5) / 0.5) ** 2.6 + (np.abs(v - 0.45) / 0.56) ** 2.6
    inside = rim ** (1 / 2.6) < 0.98 + 0.10 * _smooth_field(rng, x, y, 4, (6, 16))
    land = (y > coast) & inside
    # An island group offshore to the south-west.
    island_c = np.array([0.17 * width, 0.045 * height])
    island_d = np.hypot(x - island_c[0], (y - island_c[1]) * 1.6)
    island = (~land) & (island_d < 1.5 * stretch ** 0.3 + 0.4 * _smooth_field(rng, x, y, 3, (1, 3)))
    land |= island

    station = np.array([0.50 * width, 0.27 * height])
    d_station = np.hypot(x - station[0], y - station[1])
    ridge = height * (0.56 + 0.06 * _smooth_field(rng, x, y, 3, (8, 20)))
    mountain = (y > ridge) | ((u < 0.08) & (v > 0.40)) | ((u > 0.93) & (v > 0.45))
    core = d_station < 2.6 * stretch
    industrial = (y - coast < 1.6) & (np.abs(u - 0.5) > 0.07) & ~island
    area_type = np.select(
        [island, core, industrial, mountain],
        ["island", "core", "industrial", "mountain"],
        "suburb",
    )

    # Residential density (relative). New housing estates: three blobs in the suburbs.
    weight = np.select(
        [area_type == "core", area_type == "suburb", area_type == "industrial", area_type == "island"],
        [2.0 + 10.0 * np.exp(-d_station / (1.6 * stretch)), 1.6, 0.35, 0.9],
        0.0,
    )
    suburb = area_type == "suburb"
    estate = np.zeros_like(x)
    for _ in range(int(round(3 * scale))):
        idx = rng.choice(np.flatnonzero(suburb & land))
        estate = np.maximum(estate, suburb * np.exp(-np.hypot(x - x[idx], y - y[idx]) / 1.2))
    weight += 3.5 * estate
    weight *= np.exp(0.35 * _smooth_field(rng, x, y, 4, (2, 6)))
    # Mountains: people live along two river valleys running north from the plain.
    valley = np.zeros_like(x)
    for frac in (0.33, 0.68):
        vx = width * (frac + 0.05 * _smooth_field(rng, np.zeros_like(y), y, 2, (10, 20)))
        valley = np.maximum(valley, np.exp(-np.abs(x - vx) / 0.7))
    mountain_w = 0.05 + 1.8 * valley * np.exp(-(y - ridge).clip(0) / (14 * stretch))
    forest = rng.random(x.size) < 0.35 * (1 - valley)
    weight = np.where(area_type == "mountain", np.where(forest, 0.0, mountain_w), weight)

    keep = _without_lone_cells(land.reshape(n_rows, n_cols), island.reshape(n_rows, n_cols)).ravel()
    cells = pd.DataFrame(
        {
            "row": rows[keep],
            "col": cols[keep],
            "x_km": x[keep],
            "y_km": y[keep],
            "area_type": area_type[keep],
            "weight": weight[keep],
            "new_estate": estate[keep],
        }
    )
    lat = ORIGIN_LAT + (cells["row"].to_numpy() + 0.5) * geo.HALF_MESH_LAT
    lon = ORIGIN_LON + (cells["col"].to_numpy() + 0.5) * geo.HALF_MESH_LON
    cells.insert(0, "mesh_code", geo.mesh_code(lat, lon))
    n_districts = max(2, int(round(BASE_DISTRICTS * scale)))
    cells["district"] = _draw_districts(rng, cells, n_districts, x_station=station)
    return CityLand(cells=cells, n_districts=n_districts, station_xy_km=(float(station[0]), float(station[1])))


def _without_lone_cells(land: np.ndarray, island: np.ndarray) -> np.ndarray:
    """Keep the islands and the largest edge-connected piece of the mainland.

    Cells joined to the rest only at a corner, or small pieces cut off by the wavy city
    limits, would make a district of two polygons.
    """
    from scipy import ndimage

    labels, n = ndimage.label(land & ~island)  # 4-connectivity: shared edges only
    if n == 0:
        return land
    sizes = np.bincount(labels.ravel())[1:]
    return (labels == 1 + int(np.argmax(sizes))) | (land & island)


def _draw_districts(rng: np.random.Generator, cells: pd.DataFrame, k: int, x_station: np.ndarray) -> np.ndarray:
    """Elementary-school districts: population-balanced regions with irregular borders.

    Weighted k-means on cell centres (weight = residents + a share of area, so mountain
    districts are large but few) gives compact regions; a smooth displacement of the
    cells before the final assignment bends the straight Voronoi borders; small
    detached pieces are then merged into a neighbour so every district is one piece.
    The islands form a district of their own.
    """
    xy = cells[["x_km", "y_km"]].to_numpy()
    is_island = (cells["area_type"] == "island").to_numpy()
    main = ~is_island
    w = cells["weight"].to_numpy() / cells["weight"][main].mean() + 0.08
    k_main = k - 1 if is_island.any() else k

    pts, wm = xy[main], w[main]
    # k-means++ seeding, weighted.
    centres = [pts[rng.choice(len(pts), p=wm / wm.sum())]]
    for _ in range(k_main - 1):
        d2 = ((pts[:, None, :] - np.array(centres)[None, :, :]) ** 2).sum(2).min(1)
        p = wm * d2
        centres.append(pts[rng.choice(len(pts), p=p / p.sum())])
    c = np.array(centres)
    for _ in range(25):
        lab = ((pts[:, None, :] - c[None, :, :]) ** 2).sum(2).argmin(1)
        for j in range(k_main):
            m = lab == j
            if m.any():
                c[j] = (pts[m] * wm[m, None]).sum(0) / wm[m].sum()

    # Bend the borders: assign displaced points to the centres.
    dx = 0.55 * _smooth_field(rng, pts[:, 0], pts[:, 1], 4, (2.5, 6))
    dy = 0.55 * _smooth_field(rng, pts[:, 0], pts[:, 1], 4, (2.5, 6))
    moved = pts + np.column_stack([dx, dy])
    lab = ((moved[:, None, :] - c[None, :, :]) ** 2).sum(2).argmin(1)

    labels = np.full(len(cells), -1)
    labels[main] = lab
    labels[is_island] = k_main
    labels = _make_contiguous(cells["row"].to_numpy(), cells["col"].to_numpy(), labels, island_label=k_main)

    # Number districts outward from the station so that D001 is the centre.
    n = labels.max() + 1
    dist = np.array([np.hypot(*(xy[labels == j].mean(0) - x_station)) for j in range(n)])
    order = np.empty(n, dtype=int)
    order[np.argsort(dist, kind="stable")] = np.arange(n)
    return order[labels]


def _make_contiguous(rows: np.ndarray, cols: np.ndarray, labels: np.ndarray, island_label: int) -> np.ndarray:
    """Merge every detached piece of a district into the neighbouring district it touches most."""
    labels = labels.copy()
    pos = {(r, c): i for i, (r, c) in enumerate(zip(rows, cols, strict=True))}
    neighbours = [
        [pos[q] for q in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)) if q in pos]
        for r, c in zip(rows, cols, strict=True)
    ]
    for _ in range(10):
        changed = False
        for j in np.unique(labels):
            if j == island_label:
                continue  # the islands are detached by nature
            members = np.flatnonzero(labels == j)
            seen: set[int] = set()
            pieces: list[list[int]] = []
            for start in members:
                if start in seen:
                    continue
                stack, piece = [start], []
                seen.add(start)
                while stack:
                    i = stack.pop()
                    piece.append(i)
                    for nb in neighbours[i]:
                        if labels[nb] == j and nb not in seen:
                            seen.add(nb)
                            stack.append(nb)
                pieces.append(piece)
            if len(pieces) <= 1:
                continue
            pieces.sort(key=len, reverse=True)
            for piece in pieces[1:]:
                touching = [labels[nb] for i in piece for nb in neighbours[i] if labels[nb] != j]
                if touching:
                    labels[piece] = np.bincount(touching).argmax()
                    changed = True
        if not changed:
            break
    # Drop labels that vanished and renumber densely.
    _, dense = np.unique(labels, return_inverse=True)
    return dense
