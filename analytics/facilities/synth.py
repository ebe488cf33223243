"""Public facilities of the synthetic city: their buildings, five years of operations and the
city's past investment in buildings.

Shaped like a Japanese core city's 公共施設等総合管理計画 (see ``shared/domain.md``): one
elementary school per district and a junior high per two or three, a community hall (公民館) in
most districts, libraries, gyms and pools in the centre and the suburbs, municipal housing
estates, park buildings. Buildings were mostly built in the 1970s–80s (the peak of the
post-war build-out), schools earliest and with the largest floor area, and a fifth of the
facilities built or rebuilt since FY1995; buildings before the 1981 seismic standard (新耐震基準,
applied to buildings from fiscal 1982 here) are retrofitted, schools almost all (as nationally),
other buildings mostly. Sizes are set so that the floor area per resident, the shares of
schools, 公営住宅 and 行政系施設 and the age of the stock are those of a real city of this size
(``analytics/facilities/calibration.py`` computes the figures; ``sample_data/README.md`` lists
them); schools are fewer and larger than a real city's (one elementary per district). Visits
(延べ利用者数) and costs follow size, age and kind of area; the past investment
is about 1/2.5 of the yearly renewal need, as the MIC survey of 111 municipalities
found (future renewal cost ≈ 2.6 × current spending). Every figure is synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analytics.core import geo

OPERATION_YEARS = tuple(range(2021, 2026))  # FY2021–2025, the latest complete fiscal year

# subcategory: (category, per district or city-wide count at scale 1, buildings, floor m² range,
#               yearly visits per m² (None: not counted), bookable, mean built year)
SUBCATEGORIES: dict[str, tuple] = {
    "小学校": ("学校教育系施設", "district", (3, 6), (9000, 14000), None, False, 1972),
    "中学校": ("学校教育系施設", 20, (3, 6), (10000, 15000), None, False, 1973),
    "公民館": ("市民文化系施設", "district", (1, 2), (2000, 4000), 25, True, 1980),
    "集会所": ("市民文化系施設", 90, (1, 1), (150, 450), 18, True, 1983),
    "文化ホール": ("市民文化系施設", 4, (1, 2), (8000, 16000), 40, True, 1985),
    "図書館": ("社会教育系施設", 8, (1, 2), (2000, 7000), 120, False, 1988),
    "博物館": ("社会教育系施設", 3, (1, 1), (3000, 9000), 20, False, 1990),
    "体育館": ("スポーツ・レクリエーション系施設", 12, (1, 2), (3000, 9000), 45, True, 1981),
    "プール": ("スポーツ・レクリエーション系施設", 6, (1, 1), (1500, 4000), 40, False, 1979),
    "産業振興センター": ("産業系施設", 3, (1, 1), (2000, 5000), 15, True, 1992),
    "公立保育所": ("子育て支援施設", 20, (1, 2), (700, 1400), None, False, 1976),
    "児童館": ("子育て支援施設", 15, (1, 1), (400, 900), 35, False, 1984),
    "老人福祉センター": ("保健・福祉施設", 10, (1, 1), (1000, 2500), 30, True, 1982),
    "保健センター": ("保健・福祉施設", 4, (1, 1), (2000, 5000), 12, False, 1991),
    "診療所": ("医療施設", 3, (1, 1), (300, 900), 10, False, 1987),
    "本庁舎": ("行政系施設", 1, (2, 4), (35000, 50000), None, False, 1970),
    "支所": ("行政系施設", 12, (1, 2), (1500, 3500), None, False, 1978),
    "消防署": ("行政系施設", 18, (1, 2), (1000, 3000), None, False, 1980),
    "市営住宅": ("公営住宅", 80, (2, 6), (3000, 6200), None, False, 1976),
    "公園管理棟": ("公園", 70, (1, 1), (30, 250), None, False, 1986),
    "ごみ処理施設": ("供給処理施設", 2, (2, 3), (10000, 24000), None, False, 1989),
    "下水処理場": ("供給処理施設", 3, (2, 3), (6000, 14000), None, False, 1983),
    "倉庫": ("その他", 30, (1, 1), (500, 2000), None, False, 1975),
    "駐輪場": ("その他", 20, (1, 1), (100, 400), None, False, 1990),
}
_STRUCTURES = ("RC", "SRC", "S", "W")
SEISMIC = ("新耐震", "旧耐震・補強済", "旧耐震・未補強")
RECENT_SHARE = 0.2  # facilities built (or rebuilt) in FY1995–2022, after the build-out
RETROFITTED = {True: 0.995, False: 0.85}  # pre-1982 buildings retrofitted: schools, other buildings


def facilities_part(rng: np.random.Generator, scale: float,
                    made: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``facilities``, ``buildings``, ``facility_operations`` and ``past_investment``."""
    meshes = made["meshes"].reset_index(drop=True)
    districts = made["districts"].set_index("district_id")
    latest = made["population"][made["population"]["fiscal_year"] == made["population"]["fiscal_year"].max()]
    residents = latest.groupby("mesh_code")["population"].sum().reindex(meshes["mesh_code"]).fillna(0).to_numpy()
    by_district = meshes.groupby("district_id").indices
    district_ids = sorted(by_district)
    weight = np.sqrt(residents) + 0.01

    rows = []
    for sub, (cat, count, _, _, _, _, _) in SUBCATEGORIES.items():
        if count == "district":
            chosen = [(d, rng.choice(idx, p=weight[idx] / weight[idx].sum())) for d, idx in by_district.items()
                      if sub == "小学校" or residents[idx].sum() > 800 or rng.random() < 0.5]
        else:
            n = max(1, int(round(count * scale)))
            cells = rng.choice(len(meshes), size=n, replace=False, p=weight / weight.sum())
            chosen = [(meshes["district_id"].iloc[c], c) for c in cells]
        rows += [(sub, cat, d, c) for d, c in chosen]
    frame = pd.DataFrame(rows, columns=["subcategory", "category", "district_id", "mesh"])
    lon, lat = geo.point_in_mesh(rng, meshes["mesh_code"].to_numpy()[frame["mesh"].to_numpy()])
    numbers = frame.groupby("subcategory").cumcount() + 1
    names = [_name(districts, d, sub, k) for d, sub, k in zip(frame["district_id"], frame["subcategory"], numbers,
                                                                strict=True)]
    facilities = pd.DataFrame({
        "facility_id": [f"F{i + 1:04d}" for i in range(len(frame))],
        "name_ja": [ja for ja, _ in names],
        "name_en": [en for _, en in names],
        "category": frame["category"].to_numpy(),
        "subcategory": frame["subcategory"].to_numpy(),
        "district_id": frame["district_id"].to_numpy(),
        "lon": lon,
        "lat": lat,
    })
    buildings = _buildings(rng, facilities)
    area = buildings.groupby("facility_id")["floor_area_m2"].sum().reindex(facilities["facility_id"]).to_numpy()
    per_m2 = np.array([SUBCATEGORIES[s][4] or np.nan for s in facilities["subcategory"]], dtype=float)
    facilities["capacity"] = pd.array(np.where(np.isnan(per_m2), pd.NA, np.round(area * per_m2 * 1.6, -2)),
                                      dtype="Int64")
    operations = _operations(rng, facilities, buildings, district_ids, districts)
    return {
        "facilities": facilities,
        "buildings": buildings,
        "facility_operations": operations,
        "past_investment": _past_investment(rng, buildings),
    }


def _name(districts: pd.DataFrame, district_id: str, sub: str, k: int) -> tuple[str, str]:
    place_ja = districts.loc[district_id, "name_ja"].removesuffix("小学校区")
    place_en = districts.loc[district_id, "name_en"].removesuffix(" ES district")
    return f"{place_ja}{sub}" if sub in ("小学校", "公民館") else f"{place_ja}{sub}{k}", \
        f"{place_en} {_SUB_EN.get(sub, sub)}" + ("" if sub in ("小学校", "公民館") else f" {k}")


_SUB_EN = {"小学校": "Elementary School", "中学校": "Junior High School", "公民館": "Community Hall",
           "集会所": "Meeting House", "文化ホール": "Culture Hall", "図書館": "Library", "博物館": "Museum",
           "体育館": "Gymnasium", "プール": "Pool", "産業振興センター": "Industry Centre",
           "公立保育所": "Public Nursery",
           "児童館": "Children's Centre", "老人福祉センター": "Seniors' Centre", "保健センター": "Health Centre",
           "診療所": "Clinic", "本庁舎": "City Hall", "支所": "Branch Office", "消防署": "Fire Station",
           "市営住宅": "Municipal Housing", "公園管理棟": "Park Building", "ごみ処理施設": "Waste Plant",
           "下水処理場": "Sewage Plant", "倉庫": "Storehouse", "駐輪場": "Bicycle Park"}


def _buildings(rng: np.random.Generator, facilities: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for fid, sub, cat in zip(facilities["facility_id"], facilities["subcategory"], facilities["category"],
                             strict=True):
        _, _, (lo_b, hi_b), (lo_a, hi_a), _, _, mean_year = SUBCATEGORIES[sub]
        n = int(rng.integers(lo_b, hi_b + 1))
        total = rng.uniform(lo_a, hi_a)
        shares = rng.dirichlet(np.full(n, 3.0)) if n > 1 else np.array([1.0])
        # Most facilities date from the build-out around their kind's mean year; some were built
        # or rebuilt since (new facilities, rebuilt schools and halls).
        if rng.random() < RECENT_SHARE:
            first = int(rng.integers(1995, 2023))
        else:
            first = int(np.clip(rng.normal(mean_year, 8), 1956, 2023))
        for k in range(n):
            year = first if k == 0 else int(min(2024, first + abs(rng.normal(0, 14))))
            structure = "W" if total < 300 and rng.random() < 0.5 else rng.choice(_STRUCTURES[:3], p=[0.7, 0.1, 0.2])
            if year >= 1982:
                seismic = "新耐震"
            else:
                retrofitted = rng.random() < RETROFITTED[cat == "学校教育系施設"]
                seismic = "旧耐震・補強済" if retrofitted else "旧耐震・未補強"
            rows.append((fid, cat, year, round(float(total * shares[k]), 1), structure, seismic))
    out = pd.DataFrame(rows, columns=["facility_id", "category", "built_year", "floor_area_m2", "structure", "seismic"])
    out.insert(0, "building_id", [f"B{i + 1:05d}" for i in range(len(out))])
    return out.astype({"built_year": np.int64})


def _operations(rng, facilities, buildings, district_ids, districts) -> pd.DataFrame:
    area = buildings.groupby("facility_id")["floor_area_m2"].sum()
    oldest = buildings.groupby("facility_id")["built_year"].min()
    kind = districts["area_type"]
    rows = []
    for f in facilities.itertuples(index=False):
        a = float(area[f.facility_id])
        age = 2021 - int(oldest[f.facility_id])
        bookable = SUBCATEGORIES[f.subcategory][5]
        # Utilisation: lower in old buildings and in the depopulating periphery.
        pull = {"core": 1.15, "suburb": 1.0, "industrial": 0.9, "mountain": 0.55, "island": 0.5}[kind[f.district_id]]
        use = float(np.clip(rng.normal(0.62, 0.16) * pull * (1.1 - age / 150), 0.05, 1.2))
        trend = rng.normal(-0.01, 0.02)
        staff = a * rng.uniform(6000, 14000) if f.capacity is not pd.NA else a * rng.uniform(2000, 6000)
        # Rates of the facility, kept from year to year (a facility's costs move slowly).
        utilities, outsourcing = a * rng.uniform(1500, 3500), a * rng.uniform(800, 3000)
        repairs, fee = a * rng.uniform(300, 1200) * (1 + age / 40), rng.uniform(20, 120)
        days = int(rng.integers(280, 310)) if not pd.isna(f.capacity) else int(rng.integers(240, 366))
        for i, fy in enumerate(OPERATION_YEARS):
            covid = 0.7 if fy == 2021 else 0.9 if fy == 2022 else 1.0
            visits = (None if pd.isna(f.capacity)
                      else int(round(float(f.capacity) * use * covid * (1 + trend) ** i * rng.normal(1, 0.04))))
            slots = int(round(a / 60 * 3 * 300)) if bookable else None
            used = int(round(slots * np.clip(use * covid * rng.normal(1, 0.05), 0.02, 0.98))) if bookable else None
            rows.append({
                "fiscal_year": fy,
                "facility_id": f.facility_id,
                "visits": visits,
                "opening_days": days,
                "cost_staff_yen": int(round(staff * (1.01 ** i) * rng.normal(1, 0.02), -3)),
                # Energy prices rose from FY2022.
                "cost_utilities_yen": int(round(utilities * (1.25 if fy >= 2022 else 1.0) * rng.normal(1, 0.04), -3)),
                "cost_outsourcing_yen": int(round(outsourcing * rng.normal(1, 0.03), -3)),
                "cost_repairs_yen": int(round(repairs * (1 + i / 40) * rng.lognormal(0, 0.3), -3)),
                "fee_revenue_yen": int(round((visits or 0) * fee, -3)),
                "slots_available": slots,
                "slots_used": used,
            })
    out = pd.DataFrame(rows)
    for c in ("visits", "slots_available", "slots_used"):
        out[c] = pd.array(out[c], dtype="Int64")
    return out


# Unit costs used only to size the past investment (MIC renewal / rebuild, 万円/m², averaged).
_NEED_YEN_PER_M2_YEAR = (20 * 10_000 + 36 * 10_000) / 60  # renovation once and rebuild once per 60 years


def _past_investment(rng: np.random.Generator, buildings: pd.DataFrame) -> pd.DataFrame:
    """Yearly investment on buildings by category: about 1/2.5 of the yearly renewal need."""
    area = buildings.groupby("category")["floor_area_m2"].sum()
    rows = []
    for fy in OPERATION_YEARS:
        for cat, a in area.items():
            yen = a * _NEED_YEN_PER_M2_YEAR / 2.5 * rng.lognormal(0, 0.35)
            rows.append({"fiscal_year": fy, "category": cat, "investment_yen": int(round(yen, -4))})
    return pd.DataFrame(rows)
