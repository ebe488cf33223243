"""The city's generator part: districts, meshes, residents and population change (合成市).

The land (:mod:`.geography`), the residents' simulation (:mod:`.population`) and district names
(:mod:`.names`); :func:`city_part` turns them into the four datasets every domain builds on. It
runs first, on the seed itself (:func:`analytics.synth.part_rng`). Everything is synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from analytics.city.synth.geography import build_land
from analytics.city.synth.names import district_names
from analytics.city.synth.population import SEXES, simulate_population
from analytics.core import geo

LATEST_FISCAL_YEAR = 2026  # population as of 1 April 2026 (令和8年度)
N_FISCAL_YEARS = 6
RESIDENTS_PER_SCALE = 530_000  # a core city like Himeji (姫路市, about 530,000)
_BASE_RESIDENTS = 543_000  # drawn at the hidden base year so the latest year lands near 530,000


def city_part(rng: np.random.Generator, scale: float, made: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Districts, meshes, residents and population change (the shared city every domain uses)."""
    land = build_land(rng, scale)
    cells = land.cells
    first = LATEST_FISCAL_YEAR - N_FISCAL_YEARS  # hidden base year, not published
    history = simulate_population(
        rng, cells, int(round(_BASE_RESIDENTS * scale)), first, N_FISCAL_YEARS + 1, cells["new_estate"].to_numpy()
    )
    district_ids = np.array([f"D{i + 1:03d}" for i in range(land.n_districts)])
    cell_district = district_ids[cells["district"].to_numpy()]

    meshes = pd.DataFrame({"mesh_code": cells["mesh_code"].astype(str), "district_id": cell_district})
    meshes = meshes.sort_values("mesh_code", ignore_index=True)

    # Kind of area of a district: where most of its residents live.
    residents = history.stock[-1].sum(axis=(1, 2))
    kinds = (
        pd.DataFrame({"district_id": cell_district, "area_type": cells["area_type"], "w": residents + 1e-6})
        .groupby(["district_id", "area_type"])["w"].sum().reset_index()
        .sort_values(["district_id", "w"], ascending=[True, False]).drop_duplicates("district_id")
        .set_index("district_id")["area_type"]
    )
    shapes = geo.dissolve_meshes(meshes, "district_id")
    names = district_names([kinds[d] for d in shapes["district_id"]])
    districts = gpd.GeoDataFrame(
        {
            "district_id": shapes["district_id"].to_numpy(),
            "name_ja": [f"{ja}小学校区" for ja, _ in names],
            "name_en": [f"{en} ES district" for _, en in names],
            "area_type": [kinds[d] for d in shapes["district_id"]],
        },
        geometry=shapes.geometry.to_numpy(),
        crs=geo.GEOGRAPHIC_CRS,
    )
    districts.insert(4, "area_km2", geo.area_km2(districts).round(3).to_numpy())
    return {
        "districts": districts,
        "meshes": meshes,
        "population": _population_table(history, cells["mesh_code"].to_numpy()),
        "population_change": _population_change_table(history, cell_district),
    }


def _population_table(history, mesh_codes: np.ndarray) -> pd.DataFrame:
    """Long table of published April-1 stocks: one row per fiscal year × mesh × sex × age with residents."""
    stock = history.stock[1:]  # drop the hidden base year
    years = np.array(history.fiscal_years[1:])
    y, c, s, a = np.nonzero(stock)
    out = pd.DataFrame(
        {
            "fiscal_year": years[y].astype(np.int32),
            "mesh_code": mesh_codes[c].astype(str),
            "sex": np.array(SEXES)[s],
            "age": a.astype(np.int32),
            "population": stock[y, c, s, a].astype(np.int32),
        }
    )
    return out.sort_values(["fiscal_year", "mesh_code", "sex", "age"], ignore_index=True)


def _population_change_table(history, cell_district: np.ndarray) -> pd.DataFrame:
    """Births, deaths and moves by district and fiscal year (flows between April-1 stocks)."""
    frames = []
    for i, fy in enumerate(history.fiscal_years[:-1]):
        frames.append(
            pd.DataFrame(
                {
                    "district_id": cell_district,
                    "fiscal_year": fy,
                    "births": history.births[i],
                    "deaths": history.deaths[i],
                    "moved_in": history.moved_in[i],
                    "moved_out": history.moved_out[i],
                }
            )
        )
    out = pd.concat(frames).groupby(["district_id", "fiscal_year"], as_index=False).sum()
    out["net_migration"] = out["moved_in"] - out["moved_out"]
    out = out.astype({c: np.int64
                      for c in ["fiscal_year", "births", "deaths", "moved_in", "moved_out", "net_migration"]})
    return out.sort_values(["fiscal_year", "district_id"], ignore_index=True)
