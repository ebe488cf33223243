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
# The values below were chosen by a search so that the sample city's figures lie in the ranges of
# sample_data/README.md (analytics/nursery/calibration.py); other seeds give other figures.
# Places the city plans per expected applicant (children × application rate) by age, and for
# under-3s by where the district lies ("inner": a suburb that borders the core).
_SUPPLY_AGE = np.array([1.039, 1.0, 1.0, 1.087, 1.087, 1.087])
_SUPPLY_AREA = {"core": 1.008, "inner": 0.871, "suburb": 1.05, "industrial": 1.0, "mountain": 1.201, "island": 1.201}
# The shortage of under-3 places sits in the core and the inner suburbs around it, so that a
# dozen districts wait in numbers and the others hardly at all: each lacks about the same number
# of 1–2-year-old places (a big district does not wait far more than the rest), at most a share
# of them. There the city spreads each April's places over its facilities as families list them
# first (:func:`_follow_first_choices`), so a district short of places has no free place left.
_SHORT_AREAS = ("core", "inner")
_SHORTFALL = {"core": 15, "inner": 25}
_SHORTFALL_MAX = 0.346
# Each April the city adjusts the places of these areas to the applicants it expects (opening
# classes where they rise, closing where they fall); elsewhere places stay as planned for FY2022.
_ADJUSTED_AREAS = ("core", "inner", "suburb")
_FACILITY_PLACES = 100  # places of a nursery or kodomo-en, about
_AGE_MIX = 200.0  # how evenly a facility's places spread over the ages (a gamma shape; larger: more even)
_NEAR_M = 1230.574  # families list facilities near home: a facility's weight falls as exp(−distance / this)
# Facts of the children not placed, by age: parental leave, of which return confirmed; paused search.
_LEAVE = np.array([0.75, 0.5, 0.28, 0.06, 0.05, 0.05])
_RETURN_CONFIRMED = 0.3
_JOB_SEARCH_PAUSED = 0.2
_ONLY_SPECIFIC = 0.768  # families who want only the facilities they listed
_ACCEPT_OFFER = 0.95  # families who accept a free place offered near home
_OFFER_REACH_M = 4000  # the city offers a free place up to this far (利用調整)
_LOCAL_TAKE_UP = 0.1  # of those not placed with a local-programme place near home
_LOCAL_REACH_M = 3000
_KINDERGARTEN_CARE = 0.7  # of 3–5-year-olds not placed, cared for in a kindergarten's extended hours

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

    rate_area = np.vectorize(_RATE_AREA.get)(area_of_mesh)
    supply_area = _supply_area(made["districts"])
    planned = _expected(children[FIRST_FISCAL_YEAR], 0, rate_area)
    nurseries, seats0 = _facilities(rng, meshes, mesh_xy, area_of_mesh, supply_area, planned, scale)
    fac_xy = geo.plane_xy(nurseries["lat"], nurseries["lon"])
    authorised = nurseries["facility_type"].isin(AUTHORISED).to_numpy()
    fac_district = nurseries["district_id"].to_numpy()
    adjusted = authorised & np.isin(supply_area.loc[fac_district].to_numpy(), _ADJUSTED_AREAS)
    follows = authorised & np.isin(supply_area.loc[fac_district].to_numpy(), _SHORT_AREAS)
    planned_by_district = _by_district(planned, meshes)

    capacity_rows, application_rows = [], []
    for k, fy in enumerate(range(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR + 1)):
        n = rng.binomial(children[fy], np.clip(_expected(1, k, rate_area), 0, 1))  # applicants, mesh × age
        change = ((_by_district(n, meshes) + 1) / (planned_by_district + 1)).loc[fac_district].to_numpy()
        seats = seats0.copy()
        seats[adjusted] = np.round(seats0[adjusted] * change[adjusted])
        apps = _applications(rng, fy, n, meshes, mesh_xy, fac_xy, seats, authorised, follows, fac_district)
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


def _expected(children: np.ndarray, k: int, rate_area: np.ndarray) -> np.ndarray:
    """Applicants expected by mesh and age in the ``k``-th fiscal year (children × application rate)."""
    return children * (_RATE_2022 + _RATE_RISE * k)[None, :] * rate_area[:, None]


def _by_district(by_mesh: np.ndarray, meshes: pd.DataFrame) -> pd.DataFrame:
    """A mesh × age array summed by district (rows: district IDs)."""
    return pd.DataFrame(by_mesh).groupby(meshes["district_id"].to_numpy()).sum()


def _supply_area(districts: pd.DataFrame) -> pd.Series:
    """Each district's kind of area for the supply plan: its ``area_type``, but ``inner`` for a
    suburb that borders the core."""
    plane = districts.to_crs(geo.PLANE_CRS)
    core = plane.loc[plane["area_type"] == "core", "geometry"].union_all()
    inner = (districts["area_type"] == "suburb") & plane.geometry.intersects(core)
    return pd.Series(np.where(inner, "inner", districts["area_type"]), index=districts["district_id"].to_numpy())


def _facilities(rng, meshes, mesh_xy, area_of_mesh, supply_area, planned, scale):
    """Facilities per district sized for the applicants expected in FY2022 (``planned``, mesh × age)
    and the supply policy."""
    rows, seats = [], []
    for d, idx in meshes.groupby("district_id").indices.items():
        expected = planned[idx]
        if expected.sum() == 0:
            continue
        kind = area_of_mesh[idx[0]]
        want = expected.sum(0) * _SUPPLY_AGE * np.where(AGES < 3, _SUPPLY_AREA[supply_area[d]], 1.0)
        if supply_area[d] in _SHORT_AREAS:
            short = _SHORTFALL[supply_area[d]]
            want[1:3] -= np.minimum(short * want[1:3] / want[1:3].sum(), _SHORTFALL_MAX * want[1:3])
        weights = expected.sum(1) + 0.5
        small_share = 0.07 if kind in ("core", "suburb") else 0.0
        under3 = want[:3] * small_share
        big = want.copy()
        big[:3] -= under3
        n_big = max(1, int(round(big.sum() / _FACILITY_PLACES)))
        # Each facility's share of the district's places follows the applicants living nearest to it
        # (the city sized them where the children are), varying a little by age.
        sites = rng.choice(idx, size=n_big, replace=n_big > len(idx), p=weights / weights.sum())
        nearest = cKDTree(mesh_xy[sites]).query(mesh_xy[idx])[1]
        catchment = np.bincount(nearest, weights=weights, minlength=n_big)
        split = catchment[:, None] * rng.gamma(_AGE_MIX, 1 / _AGE_MIX, size=(n_big, 6))
        split /= split.sum(0, keepdims=True)  # n_big × 6
        big_seats = np.round(split * big[None, :]).astype(int)
        for i in range(n_big):
            ftype = "認定こども園" if rng.random() < 0.22 else "認可保育所"
            rows.append((d, ftype, sites[i]))
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


def _applications(rng, fy, n, meshes, mesh_xy, fac_xy, seats, authorised, follows, fac_district):
    """One April's applicants (``n``: mesh × age), placed by preference and priority, with the facts
    the rules need. ``seats`` is updated in place: those of the ``follows`` facilities follow the
    families' first choices within each district and age."""
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
    w = np.where(takes, np.exp(-dist / _NEAR_M), 0.0) + 1e-12
    # Exponential race = a weighted order without replacement; facilities that do not take the
    # age sort last, so the listed ones come first.
    g = -np.log(rng.random(w.shape)) / w
    order = np.argsort(g, axis=1)
    for j in range(3):
        pick = near[np.arange(m), order[:, j]]
        ok = (j < n_pref) & takes[np.arange(m), order[:, j]]
        prefs[:, j] = np.where(ok, pick, -1)

    first = np.zeros(seats.shape)
    np.add.at(first, (prefs[prefs[:, 0] >= 0, 0], age[prefs[:, 0] >= 0]), 1)
    seats[:] = _follow_first_choices(seats, first, follows, fac_district)

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


def _follow_first_choices(seats: np.ndarray, first: np.ndarray, adjusted: np.ndarray,
                          fac_district: np.ndarray) -> np.ndarray:
    """The places of the ``adjusted`` facilities (facility × age) spread again within each district and
    age in proportion to the children who list each facility first (the city opens and closes classes
    where families apply), keeping each district's total; a facility keeps only the ages it takes."""
    out = seats.copy()
    for d in np.unique(fac_district[adjusted]):
        f = np.flatnonzero(adjusted & (fac_district == d))
        weight = (first[f] + 0.5) * (seats[f] > 0)
        exact = seats[f].sum(0) * weight / np.maximum(weight.sum(0), 1e-12)
        whole = np.floor(exact)
        short = (seats[f].sum(0) - whole.sum(0)).astype(int)  # by age: places left by the rounding down
        for a in np.flatnonzero(short):
            whole[np.argsort(whole[:, a] - exact[:, a])[: short[a]], a] += 1  # largest remainders
        out[f] = whole
    return out


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
