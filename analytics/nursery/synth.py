"""Nurseries, their capacity, the applications of each April and candidate sites for new capacity.

Built on the shared city (its districts, meshes and residents aged 0–5), calibrated to a city
with a real shortage (see ``shared/domain.md``, waitlist section):

* Supply: authorised places (認可保育所, 認定こども園, 小規模保育, 家庭的保育) were planned
  per district from the children of FY2021: places for 3–5-year-olds with a margin
  everywhere, those for under-3s short in the urban core and in the districts whose
  children grow, generous where births fall; 0-year-old places are often empty in April
  and 1–2-year-old places short, as nationally. The city adds seats each year where it is
  short. Local programmes (企業主導型, 地方単独) sit in the core and suburbs.
* Demand: each April, children of each mesh and age apply at a rate that rises year on year
  (1–2-year-olds fastest, as the national 保育所等利用率 did), higher in the suburbs.
* Placement: applicants list one to three facilities near home and are placed in a random
  order of priority in the first listed facility with a free place for their age. Those
  not placed may take a place in a local programme nearby; the facts the national counting
  rules need (parental leave, confirmed return intention, paused job search, wanting only
  the listed facilities) are drawn with rates by age. The outcome category is never stored:
  :func:`analytics.nursery.waitlist_breakdown` derives it.

Every figure is synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from analytics.core import geo

FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 2022, 2026
AGES = np.arange(6)
AUTHORISED = ("認可保育所", "認定こども園", "小規模保育", "家庭的保育")
LOCAL = ("企業主導型", "地方単独")

# Share of children applying in FY2022 by age, and the yearly rise in points (national
# 保育所等利用率 2022: 0歳 17%, 1・2歳 57%, 3歳以上 57%, the 1–2-year-olds rising fastest).
_RATE_2022 = np.array([0.16, 0.50, 0.56, 0.52, 0.52, 0.51])
_RATE_RISE = np.array([0.006, 0.022, 0.018, 0.006, 0.006, 0.006])
_RATE_AREA = {"core": 1.02, "suburb": 1.06, "industrial": 1.0, "mountain": 0.86, "island": 0.8}
# Places per FY2021 applicant that the city planned, by age, and for under-3s by kind of area
# (3–5-year-old places at one margin everywhere: they are where vacancies gather).
_SUPPLY_AREA = {"core": 0.92, "suburb": 1.0, "industrial": 1.0, "mountain": 1.0, "island": 1.0}  # under-3 places
_SUPPLY_AGE = np.array([1.0, 0.95, 0.95, 1.14, 1.14, 1.14])
# Districts whose children grow in number were planned shorter and those whose children decline
# more generously: the places wanted are divided by (children FY2026 / FY2021) to this power.
_TREND_POWER = 1.0
_OLDER_GROWTH = 1.0  # 3–5-year-old places planned for this power of the growth of a district's children
_AGE_MIX = 40.0  # how evenly a facility's places spread over the ages (a gamma shape; larger: more even)
_SEAT_GROWTH = 0.012  # seats added a year where the city is short, share of the FY2022 seats
# Facts of the children not placed, by age: parental leave, of which return confirmed; paused search.
_LEAVE = np.array([0.75, 0.5, 0.28, 0.06, 0.05, 0.05])
_RETURN_CONFIRMED = 0.3
_JOB_SEARCH_PAUSED = 0.2
_ONLY_SPECIFIC = 0.8  # families who want only the facilities they listed
_ACCEPT_OFFER = 0.95  # families who accept a free place offered near home
_OFFER_REACH_M = 4000  # the city offers a free place up to this far (利用調整)
_LOCAL_TAKE_UP = 0.4  # of those not placed with a local-programme place near home
_LOCAL_REACH_M = 3000
_KINDERGARTEN_CARE = 0.35  # of 3–5-year-olds not placed, cared for in a kindergarten's extended hours

SITE_KINDS = {  # kind: (share, seats min–max, cost per seat in yen min–max)
    "市有地": (0.30, (60, 120), (4.5e6, 6.5e6)),
    "学校余裕教室": (0.30, (20, 40), (1.5e6, 2.6e6)),
    "公共施設内": (0.20, (12, 19), (1.2e6, 2.2e6)),
    "民間賃貸物件": (0.20, (12, 30), (2.4e6, 3.6e6)),
}
_SITE_KINDS_EN = {"市有地": "City land", "学校余裕教室": "School spare rooms", "公共施設内": "Public building",
                  "民間賃貸物件": "Rented premises"}


def nursery_part(rng: np.random.Generator, scale: float, made: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``nurseries``, ``nursery_capacity``, ``nursery_applications`` and ``nursery_sites``."""
    meshes = made["meshes"].reset_index(drop=True)
    districts = made["districts"].set_index("district_id")
    area_of_mesh = districts.loc[meshes["district_id"], "area_type"].to_numpy()
    children = _children(made["population"], meshes)  # fy → (n_mesh, 6)
    centres = geo.mesh_centroids(meshes["mesh_code"])
    mesh_xy = geo.plane_xy(centres["lat"], centres["lon"])

    nurseries, seats0 = _facilities(rng, meshes, area_of_mesh, children, scale)
    fac_xy = geo.plane_xy(nurseries["lat"], nurseries["lon"])
    authorised = nurseries["facility_type"].isin(AUTHORISED).to_numpy()
    short = np.isin(districts.loc[nurseries["district_id"], "area_type"].to_numpy(), ["core", "suburb"])

    capacity_rows, application_rows = [], []
    for k, fy in enumerate(range(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR + 1)):
        seats = seats0.copy()
        grow = short & authorised
        seats[grow] = np.round(seats0[grow] * (1 + _SEAT_GROWTH * k * np.array([0.6, 1.4, 1.2, 0.8, 0.8, 0.8])))
        apps = _applications(rng, fy, k, children[fy], area_of_mesh, meshes, mesh_xy, fac_xy, seats, authorised)
        enrolled = apps.pop("_placed_at")
        counts = np.zeros_like(seats)
        np.add.at(counts, (enrolled[enrolled >= 0], apps["child_age"].to_numpy()[enrolled >= 0]), 1)
        capacity_rows.append(_capacity_frame(fy, nurseries["facility_id"].to_numpy(), seats, counts))
        application_rows.append(apps)

    applications = pd.concat(application_rows, ignore_index=True)
    ids = [f"A{fy}-{i + 1:06d}" for fy, n in applications.groupby("fiscal_year", sort=True).size().items()
           for i in range(n)]
    applications.insert(0, "application_id", ids)
    ids = nurseries["facility_id"].to_numpy()
    for c in ("preferred_1", "preferred_2", "preferred_3"):
        idx = applications[c].to_numpy()
        applications[c] = pd.array(np.where(idx >= 0, ids[np.maximum(idx, 0)], None), dtype="string")
    return {
        "nurseries": nurseries,
        "nursery_capacity": pd.concat(capacity_rows, ignore_index=True),
        "nursery_applications": applications,
        "nursery_sites": _sites(rng, meshes, made["population"], scale),
    }


def _children(population: pd.DataFrame, meshes: pd.DataFrame) -> dict[int, np.ndarray]:
    """Residents aged 0–5 by mesh (in ``meshes`` order) and age, for each fiscal year (sexes together)."""
    young = population[population["age"] <= 5]
    pos = pd.Index(meshes["mesh_code"]).get_indexer(young["mesh_code"])
    out = {}
    for fy in range(FIRST_FISCAL_YEAR - 1, LAST_FISCAL_YEAR + 1):
        m = (young["fiscal_year"] == fy).to_numpy() & (pos >= 0)
        grid = np.zeros((len(meshes), 6), dtype=np.int64)
        np.add.at(grid, (pos[m], young["age"].to_numpy()[m]), young["population"].to_numpy()[m])
        out[fy] = grid
    return out


def _facilities(rng, meshes, area_of_mesh, children, scale):
    """Facilities per district sized from the FY2021 children and the supply policy."""
    base = children[FIRST_FISCAL_YEAR - 1]
    growth = (children[LAST_FISCAL_YEAR].sum(1) + 1) / (base.sum(1) + 1)
    rows, seats = [], []
    rate = _RATE_2022 * np.vectorize(_RATE_AREA.get)(area_of_mesh)[:, None]
    for d, idx in meshes.groupby("district_id").indices.items():
        kids = base[idx]
        if kids.sum() == 0:
            continue
        kind = area_of_mesh[idx[0]]
        # Districts whose families keep growing were planned shortest.
        trend = float(np.clip(growth[idx] @ kids.sum(1) / kids.sum(), 0.8, 1.3))
        # Places for 3–5-year-olds at one margin, more where children grow in number; those for
        # under-3s by area and trend.
        margin = np.where(AGES < 3, _SUPPLY_AREA[kind] / trend**_TREND_POWER, max(trend, 1.0)**_OLDER_GROWTH)
        want = (kids * rate[idx]).sum(0) * _SUPPLY_AGE * margin
        weights = kids.sum(1).astype(float) + 0.5
        small_share = 0.07 if kind in ("core", "suburb") else 0.0
        under3 = want[:3] * small_share
        big = want.copy()
        big[:3] -= under3
        n_big = max(1, int(round(big.sum() / 175)))
        # Each facility's share of the district's places, with a little variation by age (a
        # facility takes every age in about the same proportion).
        split = rng.dirichlet(np.full(n_big, 6.0))[:, None] * rng.gamma(_AGE_MIX, 1 / _AGE_MIX, size=(n_big, 6))
        split /= split.sum(0, keepdims=True)  # n_big × 6
        big_seats = np.round(split * big[None, :]).astype(int)
        for i in range(n_big):
            ftype = "認定こども園" if rng.random() < 0.22 else "認可保育所"
            rows.append((d, ftype, rng.choice(idx, p=weights / weights.sum())))
            seats.append(big_seats[i])
        left = under3.sum()
        while left > 3:
            ftype = "家庭的保育" if rng.random() < 0.2 else "小規模保育"
            size = int(rng.integers(3, 6)) if ftype == "家庭的保育" else int(rng.integers(12, 20))
            share = under3 / max(under3.sum(), 1e-9)
            s = np.zeros(6, dtype=int)
            s[:3] = np.round(share * size).astype(int)
            rows.append((d, ftype, rng.choice(idx, p=weights / weights.sum())))
            seats.append(s)
            left -= size
        if kind in ("core", "suburb") and rng.random() < 0.6:
            ftype = "企業主導型" if rng.random() < 0.55 else "地方単独"
            s = np.zeros(6, dtype=int)
            s[:3] = np.round(rng.integers(18, 40) * np.array([0.2, 0.4, 0.4])).astype(int)
            rows.append((d, ftype, rng.choice(idx, p=weights / weights.sum())))
            seats.append(s)
    frame = pd.DataFrame(rows, columns=["district_id", "facility_type", "mesh"])
    lon, lat = geo.point_in_mesh(rng, meshes["mesh_code"].to_numpy()[frame["mesh"].to_numpy()])
    numbers = frame.groupby("district_id").cumcount() + 1
    names = [_facility_name(d, t, n) for d, t, n in zip(frame["district_id"], frame["facility_type"], numbers,
                                                         strict=True)]
    nurseries = pd.DataFrame({
        "facility_id": [f"N{i + 1:04d}" for i in range(len(frame))],
        "name_ja": [ja for ja, _ in names],
        "name_en": [en for _, en in names],
        "facility_type": frame["facility_type"].to_numpy(),
        "district_id": frame["district_id"].to_numpy(),
        "lon": lon,
        "lat": lat,
    })
    return nurseries, np.array(seats, dtype=np.int64)


_TYPE_EN = {"認可保育所": "Nursery", "認定こども園": "Kodomo-en", "小規模保育": "Small nursery",
            "家庭的保育": "Home nursery", "企業主導型": "Workplace nursery", "地方単独": "City-certified nursery"}
_TYPE_JA = {"認可保育所": "保育園", "認定こども園": "こども園", "小規模保育": "小規模保育園",
            "家庭的保育": "家庭保育室", "企業主導型": "企業主導型保育所", "地方単独": "認証保育室"}


def _facility_name(district_id: str, ftype: str, n: int) -> tuple[str, str]:
    """A name that says where and what: 「D012第2保育園」-style names stay clearly synthetic."""
    return f"合成{district_id[1:]}-{n} {_TYPE_JA[ftype]}", f"Synthetic {district_id[1:]}-{n} {_TYPE_EN[ftype]}"


def _applications(rng, fy, k, kids, area_of_mesh, meshes, mesh_xy, fac_xy, seats, authorised):
    """One April's applicants, placed by preference and priority, with the facts the rules need."""
    rate = np.clip((_RATE_2022 + _RATE_RISE * k)[None, :] * np.vectorize(_RATE_AREA.get)(area_of_mesh)[:, None], 0, 1)
    n = rng.binomial(kids, rate)
    mesh_idx, age = np.nonzero(n)
    reps = n[mesh_idx, age]
    mesh_idx, age = np.repeat(mesh_idx, reps), np.repeat(age, reps)
    m = len(age)
    # Preferences: one to three authorised facilities near home that take the child's age.
    prefs = np.full((m, 3), -1, dtype=np.int64)
    n_pref = rng.choice([1, 2, 3], size=m, p=[0.25, 0.25, 0.5])
    auth_idx = np.flatnonzero(authorised)
    tree = cKDTree(fac_xy[auth_idx])
    k_near = min(12, len(auth_idx))
    dist, near = tree.query(mesh_xy[mesh_idx], k=k_near)
    dist, near = dist.reshape(m, -1), auth_idx[near.reshape(m, -1)]
    takes = seats[near, age[:, None]] > 0
    w = np.where(takes, np.exp(-dist / 1200.0), 0.0) + 1e-12
    # Exponential race = a weighted order without replacement; facilities that do not take the
    # age sort last, so the listed ones come first.
    g = -np.log(rng.random(w.shape)) / w
    order = np.argsort(g, axis=1)
    for j in range(3):
        pick = near[np.arange(m), order[:, j]]
        ok = (j < n_pref) & takes[np.arange(m), order[:, j]]
        prefs[:, j] = np.where(ok, pick, -1)

    specific = rng.random(m) < _ONLY_SPECIFIC
    left = seats.copy()
    placed_at = np.full(m, -1, dtype=np.int64)
    # Older children first: most of them continue where they already are.
    priority = np.lexsort((rng.random(m), -age))
    for i in priority:
        for f in prefs[i]:
            if f >= 0 and left[f, age[i]] > 0:
                left[f, age[i]] -= 1
                placed_at[i] = f
                break
    # Adjustment (利用調整): families who accept any facility are offered the nearest free place.
    for i in priority:
        if placed_at[i] >= 0 or specific[i] or rng.random() >= _ACCEPT_OFFER:
            continue
        free = near[i][(left[near[i], age[i]] > 0) & (dist[i] <= _OFFER_REACH_M)]
        if len(free):
            left[free[0], age[i]] -= 1
            placed_at[i] = free[0]
    admitted = placed_at >= 0
    # Not placed: a local-programme place near home, taken by some.
    local_idx = np.flatnonzero(~authorised)
    uses_local = np.zeros(m, dtype=bool)
    if len(local_idx):
        ltree = cKDTree(fac_xy[local_idx])
        for i in np.flatnonzero(~admitted):
            if age[i] >= 3 and rng.random() < _KINDERGARTEN_CARE:
                uses_local[i] = True  # kindergarten extended care (幼稚園の預かり保育)
                continue
            if rng.random() >= _LOCAL_TAKE_UP:
                continue
            for j in ltree.query_ball_point(mesh_xy[mesh_idx[i]], _LOCAL_REACH_M):
                f = local_idx[j]
                if left[f, age[i]] > 0:
                    left[f, age[i]] -= 1
                    placed_at[i] = f
                    uses_local[i] = True
                    break
    waiting = ~admitted
    leave = waiting & (rng.random(m) < _LEAVE[age]) | admitted & (rng.random(m) < 0.02)
    confirmed = leave & (rng.random(m) < _RETURN_CONFIRMED)
    paused = waiting & ~leave & (rng.random(m) < _JOB_SEARCH_PAUSED)
    specific &= waiting
    out = pd.DataFrame({
        "fiscal_year": np.full(m, fy, dtype=np.int64),
        "child_age": age.astype(np.int64),
        "mesh_code": meshes["mesh_code"].to_numpy()[mesh_idx],
        "district_id": meshes["district_id"].to_numpy()[mesh_idx],
        "preferred_1": prefs[:, 0],
        "preferred_2": prefs[:, 1],
        "preferred_3": prefs[:, 2],
        "admitted": admitted,
        "parental_leave": leave,
        "return_intent_confirmed": confirmed,
        "only_specific_facilities": specific,
        "uses_local_program": uses_local,
        "job_search_paused": paused,
        "_placed_at": placed_at,
    })
    return out.sort_values(["mesh_code", "child_age"], kind="stable", ignore_index=True)


def _capacity_frame(fy: int, ids: np.ndarray, seats: np.ndarray, enrolled: np.ndarray) -> pd.DataFrame:
    f, a = np.nonzero(seats)
    return pd.DataFrame({
        "fiscal_year": np.full(len(f), fy, dtype=np.int64),
        "facility_id": ids[f],
        "child_age": a.astype(np.int64),
        "capacity": seats[f, a].astype(np.int64),
        "enrolled": enrolled[f, a].astype(np.int64),
    })


def _sites(rng, meshes, population, scale) -> pd.DataFrame:
    """Candidate sites for new capacity, spread over where people live."""
    latest = population[population["fiscal_year"] == population["fiscal_year"].max()]
    residents = latest.groupby("mesh_code")["population"].sum().reindex(meshes["mesh_code"]).fillna(0).to_numpy()
    w = np.sqrt(residents)
    n = max(4, int(round(150 * scale)))
    chosen = rng.choice(len(meshes), size=n, replace=False, p=w / w.sum())
    kinds = list(SITE_KINDS)
    kind = rng.choice(kinds, size=n, p=[SITE_KINDS[k][0] for k in kinds])
    lon, lat = geo.point_in_mesh(rng, meshes["mesh_code"].to_numpy()[chosen])
    seats = np.array([rng.integers(SITE_KINDS[k][1][0], SITE_KINDS[k][1][1] + 1) for k in kind])
    cost = np.array([round(rng.uniform(*SITE_KINDS[k][2]), -4) for k in kind])
    numbers = pd.Series(kind).groupby(kind).cumcount() + 1
    return pd.DataFrame({
        "site_id": [f"S{i + 1:04d}" for i in range(n)],
        "name_ja": [f"候補地{i + 1}（{k}）" for i, k in enumerate(kind)],
        "name_en": [f"Site {i + 1} ({_SITE_KINDS_EN[k]} {j})" for i, (k, j) in enumerate(zip(kind, numbers,
                                                                                           strict=True))],
        "kind": kind,
        "district_id": meshes["district_id"].to_numpy()[chosen],
        "lon": lon,
        "lat": lat,
        "max_capacity": seats.astype(np.int64),
        "cost_per_seat_yen": cost.astype(np.int64),
    }).sort_values("site_id", ignore_index=True)
