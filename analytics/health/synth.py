"""Health checkups (特定健診) of the synthetic city's NHI insured aged 40–74, FY2021–2025.

Shaped on the national figures in ``shared/domain.md``: municipal NHI uptake about 38% (women above
men in every age band; men 40–44 about 16%, women 70–74 about 43%), strong persistence of
attendance from year to year (a person-level propensity), lower uptake farther from a checkup
site, a dip in FY2021 after COVID. Two interventions are planted with documented true effects,
kept here in the generator's parameters and never in the data:

* **the district roll-out** — new checkup sites (会場) open in :data:`ROLLOUT_DISTRICTS` districts
  without one, half in FY2023 and half in FY2024 (staggered adoption); from its opening year a
  district's uptake rises by :data:`ROLLOUT_EFFECT` (an additive 4 points for every insured
  resident of the district, so the difference-in-differences estimand is exactly that);
* **the FY2025 reminder trial** — every person insured in FY2025 is randomised to ``control``,
  ``standard`` (a standard reminder letter) or ``nudge`` (a tailored nudge letter) in permuted
  blocks within strata of sex × 5-year age band × past attendance (``attended_last`` the
  previous year, ``lapsed`` earlier but not the previous year, ``never`` in the years observed);
  the letters add :data:`TRIAL_EFFECTS` points by past attendance — a few points overall and
  most among lapsed attenders, as Hirai et al. (2016) and the Rainbow of KIBOU programme found.

Every figure is synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from analytics.core import geo
from analytics.health.uptake import past_attendance

CHECKUP_YEARS = tuple(range(2021, 2026))  # FY2021–2025; FY2025 the latest complete year
TRIAL_YEAR = 2025
ARMS = ("control", "standard", "nudge")
PAST = ("attended_last", "lapsed", "never")
AGE_BANDS = tuple((a, a + 4) for a in range(40, 75, 5))

# NHI uptake by sex and 5-year band the generator aims at (MHLW FY2020 figures, interpolated; the
# 70–74 women's band set to 43–44% as in recent years).
TARGET_UPTAKE = {
    "M": (0.155, 0.165, 0.18, 0.21, 0.26, 0.335, 0.375),
    "F": (0.195, 0.21, 0.235, 0.275, 0.33, 0.385, 0.415),
}
# Share of residents insured by the municipal NHI, by age at the end of the fiscal year (company
# employees are insured elsewhere until they retire; almost everyone 65–74 is in the NHI).
NHI_SHARE = {40: 0.16, 50: 0.18, 55: 0.22, 60: 0.38, 63: 0.55, 65: 0.72, 70: 0.78}
LEAVE_RATE = 0.03  # insured who leave the NHI (new employer, move, death) in a year, besides turning 75
PROPENSITY_SD = 2.6  # person-level propensity (logit scale): why attendance persists year to year
YEAR_EFFECT = {2021: 0.02, 2022: 0.06, 2023: 0.10, 2024: 0.12, 2025: 0.13}  # logit; FY2021 after COVID
DISTRICT_SD = 0.15  # logit-scale district effects
DISTANCE_PER_KM = -0.06  # logit per km from the mesh centre to the nearest baseline site
TREATMENT_LOGIT = -0.25  # under treatment (通院中): attends a little less ("my doctor sees me")

ROLLOUT_DISTRICTS = 12  # districts that get a new checkup site (at scale 1)
ROLLOUT_YEARS = (2023, 2024)
ROLLOUT_EFFECT = 0.04  # the true lift in uptake (a fraction) from a district's opening year on
TRIAL_EFFECTS: dict[str, dict[str, float]] = {  # true lift in uptake (fractions) by past attendance
    "standard": {"attended_last": 0.005, "lapsed": 0.03, "never": 0.01},
    "nudge": {"attended_last": 0.01, "lapsed": 0.08, "never": 0.025},
}
GUIDANCE_ELIGIBLE = {"M": 0.14, "F": 0.05}  # 特定保健指導 eligible among NHI attendees: ≈ 9% in all (MHLW)
GUIDANCE_COMPLETION = 0.22  # at age 40; rises with age, ≈ 27% over all the eligible (MHLW, FY2022–23)


def nhi_share(age: np.ndarray) -> np.ndarray:
    """Share of residents of ``age`` (end of fiscal year) insured by the NHI (step function)."""
    keys = np.array(sorted(NHI_SHARE))
    values = np.array([NHI_SHARE[k] for k in keys])
    return values[np.searchsorted(keys, np.asarray(age), side="right") - 1]


def _calibrated_intercepts() -> dict[str, np.ndarray]:
    """Logit intercepts per sex × band whose expected uptake over the person propensity equals
    :data:`TARGET_UPTAKE` (Gauss–Hermite quadrature over the normal propensity)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / weights.sum()
    out = {}
    for sex, targets in TARGET_UPTAKE.items():
        a = logit(np.array(targets))
        for _ in range(60):  # Newton on a: mean expit(a + sd·z) = target
            p = expit(a[:, None] + PROPENSITY_SD * nodes[None, :])
            a -= ((p * weights).sum(1) - targets) / np.maximum((p * (1 - p) * weights).sum(1), 1e-9)
        out[sex] = a
    return out


def health_part(rng: np.random.Generator, scale: float, made: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``checkup_sites`` and ``checkups`` (one row per insured person and fiscal year)."""
    meshes = made["meshes"].reset_index(drop=True)
    districts = made["districts"].set_index("district_id")
    sites = _sites(rng, scale, meshes, districts, made["population"])
    panel = _insured(rng, made["population"], meshes)
    return {"checkup_sites": sites, "checkups": _attendance(rng, panel, meshes, sites)}


def _sites(rng: np.random.Generator, scale: float, meshes: pd.DataFrame, districts: pd.DataFrame,
           population: pd.DataFrame) -> pd.DataFrame:
    """Baseline sites (health centres and clinics, opened before FY2021) in the more populous
    districts, then the roll-out: a new site in districts without one, half in each roll-out year."""
    latest = population[population["fiscal_year"] == population["fiscal_year"].min()]
    residents = latest.groupby("mesh_code")["population"].sum().reindex(meshes["mesh_code"]).fillna(0).to_numpy()
    by_district = meshes.groupby("district_id").indices
    ids = sorted(by_district)
    totals = np.array([residents[by_district[d]].sum() for d in ids])
    n_base = max(2, int(round(14 * scale)))
    order = np.argsort(-(totals * rng.uniform(0.6, 1.4, len(ids))))
    base = [ids[i] for i in order[:n_base]]
    rest = [d for d in ids if d not in base]
    n_roll = min(len(rest), max(2, int(round(ROLLOUT_DISTRICTS * scale))))
    rolled = list(rng.choice(rest, size=n_roll, replace=False))
    rows = []
    for d in base:
        rows.append((d, int(rng.integers(1995, 2020)), "base"))
    for k, d in enumerate(rolled):
        rows.append((d, ROLLOUT_YEARS[k % len(ROLLOUT_YEARS)], "rollout"))
    cells = [by_district[d][np.argmax(residents[by_district[d]] * rng.uniform(0.5, 1.0, len(by_district[d])))]
             for d, _, _ in rows]
    lon, lat = geo.point_in_mesh(rng, meshes["mesh_code"].to_numpy()[cells])
    names_ja, names_en = [], []
    for d, _, kind in rows:
        place_ja = districts.loc[d, "name_ja"].removesuffix("小学校区")
        place_en = districts.loc[d, "name_en"].removesuffix(" ES district")
        names_ja.append(f"{place_ja}{'健診センター' if kind == 'base' else '地区健診会場'}")
        names_en.append(f"{place_en} {'Checkup Centre' if kind == 'base' else 'Community Checkup Site'}")
    out = pd.DataFrame({"site_id": [f"K{i + 1:03d}" for i in range(len(rows))], "name_ja": names_ja,
                        "name_en": names_en, "district_id": [d for d, _, _ in rows], "lon": lon, "lat": lat,
                        "opened_fiscal_year": np.array([y for _, y, _ in rows], dtype=np.int64)})
    return out


def _insured(rng: np.random.Generator, population: pd.DataFrame, meshes: pd.DataFrame) -> pd.DataFrame:
    """The NHI insured 40–74 of each checkup year: a panel that ages, leaves at 75 or at
    :data:`LEAVE_RATE`, and is brought each year to the residents × NHI share of every district ×
    sex × age (new members join where it falls short, living in the district's meshes in
    proportion to the residents of that sex and age; some leave where it runs over). Ages are at
    the end of the fiscal year (31 March), one more than on 1 April (the population table's date)."""
    district_of = meshes.set_index("mesh_code")["district_id"]
    pop = population[population["mesh_code"].isin(district_of.index)]
    persons: list[pd.DataFrame] = []
    current = pd.DataFrame({"pid": pd.Series(dtype=np.int64), "mesh_code": pd.Series(dtype=object),
                            "district_id": pd.Series(dtype=object), "sex": pd.Series(dtype=object),
                            "age": pd.Series(dtype=np.int64)})
    next_id = 0
    keys = ["district_id", "sex", "age"]
    for fy in CHECKUP_YEARS:
        stock = pop[(pop["fiscal_year"] == fy) & (pop["age"].between(39, 73))]
        stock = stock.assign(age=stock["age"] + 1, district_id=stock["mesh_code"].map(district_of).to_numpy())
        if len(current):
            current = current.assign(age=current["age"] + 1)
            current = current[(current["age"] <= 74) & (rng.random(len(current)) >= LEAVE_RATE)]
        want = stock.groupby(keys)["population"].sum()
        want = np.round(want * nhi_share(want.index.get_level_values("age").to_numpy())).astype(int)
        have = current.groupby(keys).size().reindex(want.index).fillna(0).astype(int)
        gap = want - have
        # over: a random few leave (new employer, move); short: new members join
        over = gap[gap < 0]
        if len(over):
            groups = current.groupby(keys).indices
            drop = np.concatenate([rng.choice(groups[k], size=-int(n), replace=False) for k, n in over.items()])
            current = current.drop(current.index[drop])
        short = gap[gap > 0]
        if len(short):
            new = _join(rng, stock, short, keys)
            new.insert(0, "pid", np.arange(next_id, next_id + len(new)))
            next_id += len(new)
            current = pd.concat([current, new], ignore_index=True)
        current = current.reset_index(drop=True)
        persons.append(current.assign(fiscal_year=fy))
    panel = pd.concat(persons, ignore_index=True)
    return panel.astype({"pid": np.int64, "age": np.int64})


def _join(rng: np.random.Generator, stock: pd.DataFrame, short: pd.Series, keys: list[str]) -> pd.DataFrame:
    """``short[k]`` new members for each group ``k``, each in a mesh drawn in proportion to the
    residents of that group (one vectorised draw: groups laid end to end on [0, n_groups))."""
    stock = stock.set_index(keys).loc[short.index].reset_index()
    group = stock.groupby(keys, sort=False).ngroup().to_numpy()
    w = stock["population"].to_numpy(dtype=float)
    total = np.bincount(group, weights=w)
    cum = group + (pd.Series(w).groupby(group).cumsum().to_numpy() / total[group])
    order = stock.drop_duplicates(keys).reset_index(drop=True)
    firsts = order.set_index(keys).index
    n = short.reindex(firsts).to_numpy()
    which = np.repeat(np.arange(len(n)), n)
    pick = np.searchsorted(cum, which + rng.random(len(which)), side="right")
    pick = np.minimum(pick, len(stock) - 1)
    return pd.DataFrame({c: stock[c].to_numpy()[pick] for c in ("mesh_code", "district_id", "sex", "age")})


def _attendance(rng: np.random.Generator, panel: pd.DataFrame, meshes: pd.DataFrame,
                sites: pd.DataFrame) -> pd.DataFrame:
    n_person = int(panel["pid"].max()) + 1
    propensity = rng.normal(0.0, PROPENSITY_SD, n_person)
    frailty = rng.normal(0.0, 1.0, n_person)  # who tends to be under treatment
    district_ids = sorted(meshes["district_id"].unique())
    district_effect = dict(zip(district_ids, rng.normal(0.0, DISTRICT_SD, len(district_ids)), strict=True))

    base_sites = sites[sites["opened_fiscal_year"] < CHECKUP_YEARS[0]]
    codes = panel["mesh_code"].astype(str).unique()
    dist, _ = geo.nearest_distance_m(geo.mesh_plane_xy(codes), geo.points_plane_xy(base_sites))
    km = pd.Series(dist / 1000, index=codes)

    band = np.clip((panel["age"].to_numpy() - 40) // 5, 0, len(AGE_BANDS) - 1)
    intercepts = _calibrated_intercepts()
    male = (panel["sex"] == "M").to_numpy()
    a = np.where(male, intercepts["M"][band], intercepts["F"][band])
    pid = panel["pid"].to_numpy()
    age = panel["age"].to_numpy()
    treated_p = expit(-2.2 + 0.055 * (age - 40) + 0.8 * frailty[pid])
    under = rng.random(len(panel)) < treated_p
    centred_km = km.reindex(panel["mesh_code"].astype(str)).to_numpy() - float(km.mean())
    z = (a + propensity[pid] + TREATMENT_LOGIT * (under - treated_p.mean())
         + panel["district_id"].map(district_effect).to_numpy()
         + panel["fiscal_year"].map(YEAR_EFFECT).to_numpy() + DISTANCE_PER_KM * centred_km)
    p = expit(z)

    opened = sites[sites["opened_fiscal_year"] >= CHECKUP_YEARS[0]].groupby("district_id")["opened_fiscal_year"].min()
    rollout = panel["district_id"].map(opened)
    p = p + ROLLOUT_EFFECT * (panel["fiscal_year"] >= rollout).to_numpy()

    # Earlier years' attendance decides the trial's strata: draw year by year, the trial last.
    attended = np.zeros(len(panel), dtype=np.int64)
    arm = np.full(len(panel), None, dtype=object)
    fy = panel["fiscal_year"].to_numpy()
    for year in CHECKUP_YEARS:
        rows = fy == year
        lift = np.zeros(len(panel))
        if year == TRIAL_YEAR:
            arm, past = _trial_arms(rng, panel.assign(attended=attended))
            for name, by_past in TRIAL_EFFECTS.items():
                for stratum, effect in by_past.items():
                    lift[(arm == name) & (past == stratum)] = effect
        attended[rows] = rng.random(int(rows.sum())) < np.clip(p[rows] + lift[rows], 0.001, 0.999)

    eligible = (attended == 1) & (rng.random(len(panel)) < np.where(male, GUIDANCE_ELIGIBLE["M"],
                                                                      GUIDANCE_ELIGIBLE["F"]))
    completed = eligible & (rng.random(len(panel)) < GUIDANCE_COMPLETION * (0.7 + 0.02 * np.clip(age - 40, 0, 34)))
    out = pd.DataFrame({
        "person_id": [f"H{i:07d}" for i in pid],
        "fiscal_year": fy.astype(np.int64),
        "age": age.astype(np.int64),
        "sex": panel["sex"].to_numpy(),
        "district_id": panel["district_id"].to_numpy(),
        "mesh_code": panel["mesh_code"].astype(str).to_numpy(),
        "under_treatment": under,
        "attended": attended,
        "guidance_eligible": eligible,
        "guidance_completed": completed,
        "arm": pd.array(np.where(fy == TRIAL_YEAR, arm, None), dtype="string"),
    })
    return out.sort_values(["fiscal_year", "person_id"], ignore_index=True)


def _trial_arms(rng: np.random.Generator, panel: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Arms of the FY2025 rows, in permuted blocks within sex × band × past attendance."""
    rows = panel["fiscal_year"].to_numpy() == TRIAL_YEAR
    past = np.full(len(panel), "", dtype=object)
    past[rows] = past_attendance(panel.rename(columns={"pid": "person_id"}), TRIAL_YEAR).to_numpy()
    arm = np.full(len(panel), None, dtype=object)
    band = np.clip((panel["age"].to_numpy() - 40) // 5, 0, len(AGE_BANDS) - 1)
    strata = pd.DataFrame({"sex": panel["sex"].to_numpy()[rows], "band": band[rows], "past": past[rows]})
    positions = np.flatnonzero(rows)
    for _, idx in strata.groupby(["sex", "band", "past"]).indices.items():
        order = rng.permutation(idx)
        start = int(rng.integers(len(ARMS)))
        arm[positions[order]] = [ARMS[(start + k) % len(ARMS)] for k in range(len(order))]
    return arm, past
