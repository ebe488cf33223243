"""District maps with pydeck that need no internet: no basemap tiles, a local blank style.

``map_provider=None`` with the style served from ``static/`` (``server.enableStaticServing``)
draws only the city's own polygons and keeps the zoom buttons; ``map_style=None`` would make
Streamlit fetch a Carto style from the internet (see ``shared/README.md``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from weakref import WeakKeyDictionary

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from analytics.core.geo import mesh_bounds, to_web
from analytics.core.publication import PERSON_COUNTS

BLANK_STYLE_URL = "/app/static/blank_style.json"
# Sequential palette (light yellow → dark blue), readable for colour-vision deficiencies.
PALETTE = np.array([[255, 255, 204], [199, 233, 180], [127, 205, 187], [65, 182, 196],
                    [29, 145, 192], [34, 94, 168], [12, 44, 132]], dtype=float)
MISSING = [200, 200, 200, 160]


class Deck(pdk.Deck):
    """pydeck's ``Deck``, serialised without indentation. pydeck indents its JSON, and an indent
    makes Python's ``json`` use its pure-Python encoder: a few times slower on a map's GeoJSON, on
    every run that draws the map (issue 27). The map the browser draws is the same.

    The JSON is written once per map: a map is not changed once drawn, and one built by
    :func:`ui.figures.built` is drawn again on every rerun and by every session."""

    def to_json(self) -> str:
        written = _WRITTEN.get(self)
        if written is None:
            written = _WRITTEN[self] = json.dumps(self, sort_keys=True, default=default_serialize)
        return written


_WRITTEN: WeakKeyDictionary[Deck, str] = WeakKeyDictionary()


def colour_scale(values: pd.Series) -> list[list[int]]:
    """RGBA fill per value, linear between the minimum and maximum; grey where missing."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    lo, hi = np.nanmin(v) if np.isfinite(v).any() else 0.0, np.nanmax(v) if np.isfinite(v).any() else 1.0
    span = hi - lo if hi > lo else 1.0
    pos = np.clip((v - lo) / span, 0, 1) * (len(PALETTE) - 1)
    out = []
    for p in pos:
        if not np.isfinite(p):
            out.append(MISSING)
            continue
        i = min(int(p), len(PALETTE) - 2)
        rgb = PALETTE[i] + (PALETTE[i + 1] - PALETTE[i]) * (p - i)
        out.append([int(c) for c in rgb] + [210])
    return out


def legend_html(values: pd.Series, fmt, low_label: str, high_label: str) -> str:
    """A small gradient legend for :func:`colour_scale` of ``values``, ends formatted with ``fmt``."""
    v = pd.to_numeric(values, errors="coerce")
    lo, hi = (fmt(v.min()), fmt(v.max())) if v.notna().any() else ("—", "—")
    stops = ", ".join(f"rgb({int(r)},{int(g)},{int(b)})" for r, g, b in PALETTE)
    return (
        f'<div style="display:flex;align-items:center;gap:8px;font-size:0.85rem">'
        f"<span>{low_label} {lo}</span>"
        f'<span style="flex:0 0 220px;height:12px;'
        f'background:linear-gradient(90deg,{stops});border:1px solid #999"></span>'
        f"<span>{hi} {high_label}</span></div>"
    )


def fit_zoom(lon_span: float, lat_span: float, lat: float, width_px: int, height_px: int, margin: float = 0.9) -> float:
    """The Web-Mercator zoom at which a lon/lat box fills a ``width_px`` × ``height_px`` map.

    At zoom z the world is 512·2^z px wide (deck.gl tiles), so one degree of longitude is
    512·2^z / 360 px; a degree of latitude is about that ÷ cos(latitude).
    """
    per_degree_x = width_px * margin / max(lon_span, 1e-6)
    per_degree_y = height_px * margin * math.cos(math.radians(lat)) / max(lat_span, 1e-6)
    return math.log2(min(per_degree_x, per_degree_y) * 360 / 512)


def district_map(boundaries: gpd.GeoDataFrame, district_ids: pd.Series, values: pd.Series, tooltip: list[str],
                 counts: Mapping[str, Sequence[str]] | None = None,
                 width_px: int = 620, height_px: int = 520, layers: Sequence[pdk.Layer] = ()) -> pdk.Deck:
    """A choropleth of ``values`` per district (aligned with ``district_ids``), drawn from the
    ``boundaries`` (any CRS; shown in EPSG:4326), with an HTML tooltip per district.

    ``counts``: the published labels of every count of people the tooltip shows (name →
    one label per district), kept on each feature as the ``person_counts`` property so the
    page scan in the tests checks them. ``width_px``/``height_px`` are the expected size
    of the map on the page (to fit the city). ``layers`` are drawn on top (e.g. :func:`point_layer`).
    """
    shapes = boundaries.set_index("district_id").loc[list(district_ids)]
    web = to_web(shapes[["geometry"]]).reset_index(drop=True)
    web["fill"] = colour_scale(pd.Series(list(values)))
    web["tooltip"] = tooltip
    web[PERSON_COUNTS] = [{k: str(v[i]) for k, v in (counts or {}).items()} for i in range(len(web))]
    minx, miny, maxx, maxy = web.total_bounds
    zoom = fit_zoom(maxx - minx, maxy - miny, (miny + maxy) / 2, width_px, height_px)
    layer = pdk.Layer(
        "GeoJsonLayer",
        json.loads(web.to_json()),
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[60, 60, 60, 220],
        line_width_min_pixels=1,
        auto_highlight=True,
        highlight_color=[255, 75, 0, 120],
    )
    return Deck(
        layers=[layer, *layers],
        initial_view_state=pdk.ViewState(latitude=(miny + maxy) / 2, longitude=(minx + maxx) / 2, zoom=zoom),
        map_provider=None,
        map_style=BLANK_STYLE_URL,
        tooltip={"html": "{tooltip}", "style": {"fontSize": "13px"}},
    )


def point_layer(df: pd.DataFrame, colour: list[int], radius: float | str, tips: list[str]) -> pdk.Layer:
    """Points of ``df`` (``lon``/``lat``) in ``colour``, of ``radius`` metres (or the column of
    that name), with an HTML tooltip each."""
    frame = pd.DataFrame({"lon": df["lon"].astype(float), "lat": df["lat"].astype(float), "tooltip": tips})
    frame["r"] = df[radius].astype(float).to_numpy() if isinstance(radius, str) else float(radius)
    return pdk.Layer("ScatterplotLayer", frame, get_position=["lon", "lat"], get_radius="r", radius_min_pixels=3,
                     get_fill_color=colour, get_line_color=[40, 40, 40, 200], stroked=True, line_width_min_pixels=1,
                     pickable=True)


_OUTLINES: dict[bytes, tuple[dict, tuple[float, float, float, float]]] = {}  # by the shapes' digest
_OUTLINES_KEPT = 8


def outline_geojson(boundaries: gpd.GeoDataFrame) -> tuple[dict, tuple[float, float, float, float]]:
    """District outlines as GeoJSON (WGS 84) and their bounds (west, south, east, north): the same
    districts on every run of a page, so they are projected and encoded once (issue 27). Treat
    the result as read-only."""
    digest = hashlib.blake2b(str(boundaries.crs).encode() + b"".join(
        shapely.to_wkb(boundaries.geometry.to_numpy())), digest_size=16).digest()
    if digest not in _OUTLINES:
        web = to_web(boundaries[["geometry"]]).reset_index(drop=True)
        web["tooltip"] = ""
        if len(_OUTLINES) >= _OUTLINES_KEPT:  # a deployment has one or two sets of districts
            _OUTLINES.pop(next(iter(list(_OUTLINES))), None)
        _OUTLINES[digest] = json.loads(web.to_json()), tuple(float(v) for v in web.total_bounds)
    return _OUTLINES[digest]


def mesh_squares(mesh_codes: Sequence[str]) -> dict:
    """GeoJSON of the cells ``mesh_codes`` as squares in degrees, made from the codes' edges
    (:func:`analytics.core.geo.mesh_bounds`) without building shapes: JGD2011 and WGS 84
    degrees differ by far less than a pixel here."""
    b = mesh_bounds(list(mesh_codes))
    features = [{"id": str(i), "type": "Feature", "properties": {},
                 "geometry": {"type": "Polygon", "coordinates": [[[e, s], [e, n], [w, n], [w, s], [e, s]]]}}
                for i, (w, s, e, n) in enumerate(zip(b["west"].tolist(), b["south"].tolist(), b["east"].tolist(),
                                                     b["north"].tolist(), strict=True))]
    return {"type": "FeatureCollection", "features": features}


def sites_map(boundaries: gpd.GeoDataFrame, points: Sequence[pd.DataFrame], colours: Sequence[list[int]],
              radius_m: Sequence[float | str], tooltips: Sequence[list[str]], areas: Sequence[str] = (),
              width_px: int = 620, height_px: int = 520) -> pdk.Deck:
    """District outlines with point layers on top (``lon``/``lat`` in JGD2011 degrees, which
    differ from WGS 84 by far less than a pixel here), each in its colour, of the given radius
    in metres (deck.gl's default unit; a number, or a column holding one per point) and with an
    HTML tooltip per point. ``areas``: mesh codes of the cells to shade under the points (e.g.
    the meshes whose children are reached)."""
    outlines, (minx, miny, maxx, maxy) = outline_geojson(boundaries)
    layers = [pdk.Layer("GeoJsonLayer", outlines, stroked=True, filled=True,
                        get_fill_color=[235, 238, 242, 200], get_line_color=[90, 90, 90, 220],
                        line_width_min_pixels=1, pickable=False)]
    if len(areas):
        layers.append(pdk.Layer("GeoJsonLayer", mesh_squares(areas), stroked=False, filled=True,
                                get_fill_color=[3, 175, 122, 110], pickable=False))
    for df, colour, radius, tips in zip(points, colours, radius_m, tooltips, strict=True):
        layers.append(point_layer(df, colour, radius, tips))
    zoom = fit_zoom(maxx - minx, maxy - miny, (miny + maxy) / 2, width_px, height_px)
    return Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=(miny + maxy) / 2, longitude=(minx + maxx) / 2, zoom=zoom),
        map_provider=None,
        map_style=BLANK_STYLE_URL,
        tooltip={"html": "{tooltip}", "style": {"fontSize": "13px"}},
    )
