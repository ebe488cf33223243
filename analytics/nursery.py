"""Nursery placement (保育所配置), the Himeji case: official and hidden waitlist, supply and demand,
demand projection, access to vacancies and where new capacity cuts the waitlist most.

Counting follows the national rules (こども家庭庁「保育所等利用待機児童数調査要領」, revised 2017;
see ``shared/domain.md``). Counts are as of 1 April of each fiscal year (年度, April–March);
ages are completed years on that date and the national age bands are 0歳, 1・2歳 and 3〜5歳.
A child *applies* when an application for an authorised facility (認可保育所, 認定こども園,
小規模保育, 家庭的保育) is in on 1 April, continuing children included (as the national count
does); a child is *admitted* when in care at one of them on that date. A child not admitted
is excluded from the official waitlist (待機児童) by the first of these rules that applies,
in this order, and counted in the *hidden waitlist* (隠れ待機児童) instead:

1. ``local_program`` — cared for in a local government's own programme, 企業主導型 care or a
   kindergarten's extended care;
2. ``parental_leave`` — a parent on childcare leave whose intention to return to work on
   admission is NOT confirmed (confirmed leave stays in the official count since 2017);
3. ``job_search_paused`` — the parents' job search is confirmed paused;
4. ``specific_only`` — the family wants only the facilities it listed although an
   authorised facility with a free place (capacity − enrolled > 0) for the child's age that
   April lies within ``reach_km`` (the rule's "reasonable reach", default 2 km straight line
   from the centre of the child's 500 m mesh) — computed from the data, never a stored flag.

Everything else not admitted is ``official``; ``hidden = not_admitted − official``.

Analysis functions return exact counts. Counts of children leave ``analytics`` only through
the publication (:func:`nursery_block`, suppressed with the residents they are part of);
capacity, enrolment and vacancies of facilities are facility statistics that cities publish
(空き状況) and are shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.core import geo
from analytics.core.projection import NotEnoughData
from analytics.core.publication import Publication, PublicationBuilder, fill_hidden, mark_counts
from analytics.population import BANDS as POPULATION_BANDS
from analytics.population import SEXES, population_table, publication_districts

AUTHORISED_TYPES = ("認可保育所", "認定こども園", "小規模保育", "家庭的保育")
LOCAL_TYPES = ("企業主導型", "地方単独")
FACILITY_TYPES = AUTHORISED_TYPES + LOCAL_TYPES
AGES = tuple(range(6))
AGE_BANDS: dict[str, tuple[int, int]] = {"0": (0, 0), "1-2": (1, 2), "3-5": (3, 5)}
BANDS = tuple(AGE_BANDS)
BAND_OF_AGE = np.array([next(i for i, (lo, hi) in enumerate(AGE_BANDS.values()) if lo <= a <= hi) for a in AGES])
EXCLUSIONS = ("local_program", "parental_leave", "job_search_paused", "specific_only")
MEASURES = ("applications", "admitted", "not_admitted", *EXCLUSIONS, "official", "hidden")
# By district only the counts a planner needs: admitted and hidden follow from them (and
# publishing them too would tie every small official count to two more cells to hide).
DISTRICT_MEASURES = ("applications", "not_admitted", "official")
DEFAULT_REACH_KM = 2.0  # the rule's reasonable reach (about 20–30 minutes; 2017 revision)
TOTAL = "合計"


# ----------------------------------------------------------------------------- facilities


def vacancies(capacity: pd.DataFrame, nurseries: pd.DataFrame) -> pd.DataFrame:
    """Places by fiscal year × facility × age with the facility's type, district and location.

    Columns: those of ``nursery_capacity`` plus ``vacancies`` (capacity − enrolled, never
    below 0), ``authorised``, ``facility_type``, ``district_id``, ``lon``, ``lat``. Seats are
    places for children (a facility statistic, 空き状況), as of 1 April.
    """
    facts = nurseries.set_index("facility_id")[["facility_type", "district_id", "lon", "lat"]]
    out = capacity.join(facts, on="facility_id", how="inner")
    out["vacancies"] = (out["capacity"] - out["enrolled"]).clip(lower=0)
    out["authorised"] = out["facility_type"].isin(AUTHORISED_TYPES)
    return out.reset_index(drop=True)


def distance_to_vacancy_m(children: pd.DataFrame, places: pd.DataFrame) -> np.ndarray:
    """For each row of ``children`` (``fiscal_year``, ``child_age``, ``mesh_code``), the straight-line
    distance in metres from its mesh centre to the nearest authorised facility with a free
    place for that age that fiscal year (``inf`` where there is none). ``places`` is
    :func:`vacancies`."""
    out = np.full(len(children), np.inf)
    if not len(children):
        return out
    xy = geo.mesh_plane_xy(children["mesh_code"])
    free = places[places["authorised"] & (places["vacancies"] > 0)]
    fy, age = children["fiscal_year"].to_numpy(), children["child_age"].to_numpy()
    for (y, a), group in free.groupby(["fiscal_year", "child_age"]):
        rows = np.flatnonzero((fy == y) & (age == a))
        if len(rows):
            out[rows] = geo.nearest_distance_m(xy[rows], geo.points_plane_xy(group))[0]
    return out


# ----------------------------------------------------------------------------- the counting rules


def outcome(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame, *,
            reach_km: float = DEFAULT_REACH_KM) -> pd.Series:
    """The category of each application under the national rules (see the module docstring):
    ``admitted``, one of :data:`EXCLUSIONS`, or ``official``; indexed like ``applications``."""
    if reach_km < 0:
        raise ValueError("reach_km must not be negative")
    a = applications
    admitted = a["admitted"].to_numpy(bool)
    local = a["uses_local_program"].to_numpy(bool)
    leave = a["parental_leave"].to_numpy(bool) & ~a["return_intent_confirmed"].to_numpy(bool)
    paused = a["job_search_paused"].to_numpy(bool)
    wants_listed = a["only_specific_facilities"].to_numpy(bool)
    undecided = ~admitted & ~local & ~leave & ~paused & wants_listed
    near_vacancy = np.zeros(len(a), dtype=bool)
    if undecided.any():
        dist = distance_to_vacancy_m(a.loc[undecided, ["fiscal_year", "child_age", "mesh_code"]],
                                     vacancies(capacity, nurseries))
        near_vacancy[np.flatnonzero(undecided)] = dist <= reach_km * 1000
    category = np.select(
        [admitted, local, leave, paused, wants_listed & near_vacancy],
        ["admitted", *EXCLUSIONS],
        default="official",
    )
    return pd.Series(category, index=a.index, name="outcome")


@dataclass(frozen=True)
class WaitlistBreakdown:
    """Exact counts of children under the national rules.

    ``table``: one row per ``fiscal_year`` × ``district_id`` × ``child_age`` (0–5) with every
    measure of :data:`MEASURES` (children; ``not_admitted = Σ exclusions + official``,
    ``hidden = not_admitted − official``). ``waterfall``: per fiscal year the city-wide steps
    applications → admitted → not admitted → each exclusion → official (``step``, ``children``).
    """

    table: pd.DataFrame
    waterfall: pd.DataFrame
    reach_km: float


def waitlist_breakdown(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame, *,
                       reach_km: float = DEFAULT_REACH_KM) -> WaitlistBreakdown:
    """Official and hidden waitlist by fiscal year × district × age (see the module docstring for
    the rules and their order). Exact counts: publish them through :func:`nursery_block`."""
    cat = outcome(applications, nurseries, capacity, reach_km=reach_km)
    keys = ["fiscal_year", "district_id", "child_age"]
    frame = applications[keys].assign(outcome=cat.to_numpy())
    counts = pd.crosstab([frame[k] for k in keys], frame["outcome"])
    for c in ("admitted", *EXCLUSIONS, "official"):
        if c not in counts.columns:
            counts[c] = 0
    t = counts.reset_index()
    t.columns.name = None
    t["not_admitted"] = t[list(EXCLUSIONS)].sum(axis=1) + t["official"]
    t["applications"] = t["admitted"] + t["not_admitted"]
    t["hidden"] = t["not_admitted"] - t["official"]
    t = t[[*keys, *MEASURES]].astype({m: np.int64 for m in MEASURES})
    t = t.sort_values(keys, ignore_index=True)
    steps = ("applications", "admitted", "not_admitted", *EXCLUSIONS, "official")
    city = t.groupby("fiscal_year")[list(steps)].sum()
    waterfall = city.stack().rename("children").rename_axis(["fiscal_year", "step"]).reset_index()
    return WaitlistBreakdown(table=t, waterfall=waterfall, reach_km=float(reach_km))


# ----------------------------------------------------------------------------- publication


def nursery_table(fiscal_year: int, part: str) -> str:
    """Name of a nursery table in the publication, e.g. ``nursery/2026/district_band``."""
    return f"nursery/{int(fiscal_year)}/{part}"


def nursery_years(pub: Publication) -> list[int]:
    """Fiscal years whose applicants the publication holds, in order."""
    return sorted({int(n.split("/")[1]) for n in pub.names("nursery/")})


_NEEDS = ("nursery_applications", "nurseries", "nursery_capacity")


def nursery_block(b: PublicationBuilder, data: Mapping[str, pd.DataFrame]) -> None:
    """Publish children applying, admitted and waiting, per fiscal year.

    Tables: ``district_band`` (district × age band × :data:`DISTRICT_MEASURES`; no district
    totals: a row total would tie each small 0-year-old count to a partner in its own row, and
    a district's total is the sum of its bands wherever they are shown), ``age`` (single age
    0–5 × :data:`MEASURES`: the waterfall by age),
    ``city`` (:data:`MEASURES`), and ``access`` for the latest year (walking distance step of
    :data:`analytics.core.geo.ACCESS_STEPS_M` × age band: waiting children with a free place
    within that distance). Relations: every sum between them; ``applications = admitted +
    not_admitted``, ``not_admitted = official + hidden``, ``hidden = Σ exclusions``; admitted
    children by age equal the enrolment that facilities publish (known); applicants of a
    district are part of its residents aged 0–9, and children waiting near a free place part
    of those waiting (closer steps part of farther ones).
    """
    if not all(n in data for n in _NEEDS):
        return
    br = waitlist_breakdown(data["nursery_applications"], data["nurseries"], data["nursery_capacity"])
    t = br.table
    districts = publication_districts(data)
    d_index = pd.Index(districts)
    full = {m: i for i, m in enumerate(MEASURES)}
    dm = [full[m] for m in DISTRICT_MEASURES]
    years = sorted(int(y) for y in t["fiscal_year"].unique())
    for fy in years:
        rows = t[t["fiscal_year"] == fy]
        body = np.zeros((len(districts), len(AGES), len(MEASURES)))
        d_idx = d_index.get_indexer(rows["district_id"].astype(str))
        keep = d_idx >= 0
        np.add.at(body, (d_idx[keep], rows["child_age"].to_numpy()[keep]),
                  rows[list(MEASURES)].to_numpy(float)[keep])
        by_band = np.stack([body[:, BAND_OF_AGE == k].sum(1) for k in range(len(BANDS))], axis=1)
        D, B, A = ("district_id", districts), ("age_band", BANDS), ("child_age", AGES)
        db = b.table(nursery_table(fy, "district_band"), by_band[:, :, dm], [D, B, ("measure", DISTRICT_MEASURES)])
        age = b.table(nursery_table(fy, "age"), body.sum(0), [A, ("measure", MEASURES)])
        city = b.table(nursery_table(fy, "city"), body.sum((0, 1)), [("measure", MEASURES)])
        b.body("nursery_applications", nursery_table(fy, "district_band"), nursery_table(fy, "city"), dm)
        _identities(b, age, MEASURES)
        _identities(b, city[None, :], MEASURES)
        for j, m in enumerate(dm):
            for k in range(len(BANDS)):
                members = age[BAND_OF_AGE == k, m]
                b.equation([*db[:, k, j], *members], [1.0] * len(districts) + [-1.0] * len(members))
        for m in range(len(MEASURES)):
            b.sums(age[:, m], city[m])
        # Facilities publish their enrolment by age: admitted children by age are known.
        for a in AGES:
            b.known_sum([age[a, full["admitted"]]], [1.0])
        _part_of_residents(b, fy, db[:, :, 0], districts)
    latest = years[-1] if years else None
    if latest is not None:
        _access_tables(b, data, br, latest)


def _identities(b: PublicationBuilder, rows: np.ndarray, measures: tuple[str, ...]) -> None:
    """The identities between the measures of each row of cells."""
    col = {m: i for i, m in enumerate(measures)}
    for r in rows:
        b.equation([r[col["applications"]], r[col["admitted"]], r[col["not_admitted"]]], [1.0, -1.0, -1.0])
        b.equation([r[col["not_admitted"]], r[col["official"]], r[col["hidden"]]], [1.0, -1.0, -1.0])
        if "local_program" in col:
            b.equation([r[col["hidden"]], *(r[col[e]] for e in EXCLUSIONS)], [1.0] + [-1.0] * len(EXCLUSIONS))


def _part_of_residents(b: PublicationBuilder, fy: int, applications: np.ndarray, districts: tuple[str, ...]) -> None:
    """Applicants of a district (aged 0–5) are part of its residents aged 0–9 (the two 5-year
    groups that hold them, both sexes), when the residents of that year are published."""
    cells = population_table(fy, "cells")
    if not b.has(cells):
        return
    pop = b.index(cells)
    pop_districts = pd.Index(b.axes(cells)["district_id"])
    bands = [POPULATION_BANDS.index("0-4"), POPULATION_BANDS.index("5-9")]
    for d, district in enumerate(districts):
        p = pop_districts.get_loc(district) if district in pop_districts else None
        if p is not None:
            b.part_of(applications[d], [pop[p, s, k] for s in range(len(SEXES)) for k in bands])


def waiting_children(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame, *,
                     reach_km: float = DEFAULT_REACH_KM, target: str = "all") -> pd.DataFrame:
    """Children not admitted, one row each (``fiscal_year``, ``district_id``, ``mesh_code``,
    ``child_age``, ``outcome``); ``target`` ``"official"`` keeps only the official waitlist.
    Person-level and exact: for analysis inside ``analytics`` only."""
    cat = outcome(applications, nurseries, capacity, reach_km=reach_km)
    keep = cat != "admitted"
    if target == "official":
        keep &= cat == "official"
    cols = ["fiscal_year", "district_id", "mesh_code", "child_age"]
    return applications.loc[keep, cols].assign(outcome=cat[keep].to_numpy()).reset_index(drop=True)


def access_counts(waiting: pd.DataFrame, places: pd.DataFrame, steps_m=geo.ACCESS_STEPS_M) -> np.ndarray:
    """Waiting children with a free place for their age within each walking distance, by step ×
    age band (exact counts); distances are straight lines from the mesh centre in metres."""
    dist = distance_to_vacancy_m(waiting, places)
    band = BAND_OF_AGE[waiting["child_age"].to_numpy()]
    out = np.zeros((len(steps_m), len(BANDS)))
    for s, step in enumerate(steps_m):
        for k in range(len(BANDS)):
            out[s, k] = np.sum((dist <= step) & (band == k))
    return out


def _access_tables(b: PublicationBuilder, data: Mapping[str, pd.DataFrame], br: WaitlistBreakdown, fy: int) -> None:
    apps = data["nursery_applications"]
    waiting = waiting_children(apps[apps["fiscal_year"] == fy], data["nurseries"], data["nursery_capacity"],
                               reach_km=br.reach_km)
    counts = access_counts(waiting, vacancies(data["nursery_capacity"], data["nurseries"]))
    idx = b.table(nursery_table(fy, "access"), counts,
                  [("walk_m", geo.ACCESS_STEPS_M), ("age_band", BANDS)])
    age = b.index(nursery_table(fy, "age"))
    na = MEASURES.index("not_admitted")
    for k in range(len(BANDS)):
        b.part_of([idx[-1, k]], age[BAND_OF_AGE == k, na])
        for s in range(len(geo.ACCESS_STEPS_M) - 1):
            b.part_of([idx[s, k]], [idx[s + 1, k]])


# ----------------------------------------------------------------------------- published frames


def published_waitlist(pub: Publication, fiscal_year: int, part: str = "district_band") -> pd.DataFrame:
    """A nursery table of the publication in wide form: one row per cell of its other axes,
    a column per measure (NaN where hidden) and ``{measure}_label``; marked as counts."""
    return pub.wide(nursery_table(fiscal_year, part))


def waitlist_trend(pub: Publication) -> pd.DataFrame:
    """City-wide official and hidden waitlist per fiscal year (published values and labels)."""
    rows = []
    for fy in nursery_years(pub):
        city = published_waitlist(pub, fy, "city")
        rows.append({"fiscal_year": fy, **{c: city[c].iloc[0] for c in city.columns}})
    out = pd.DataFrame(rows)
    return mark_counts(out, [c for c in out.columns if c != "fiscal_year"])


def waterfall_frame(pub: Publication, fiscal_year: int, first_step: str = "not_admitted") -> pd.DataFrame:
    """The published waterfall of one fiscal year, from ``first_step`` (``applications`` for the
    whole count; by default the children not placed, where the exclusions are visible at all):
    ``step``, ``children``, ``children_label``, ``kind`` (``total`` bars stand on the axis:
    applications, not placed, official; ``minus`` steps are taken away)."""
    city = published_waitlist(pub, fiscal_year, "city")
    steps = ("applications", "admitted", "not_admitted", *EXCLUSIONS, "official")
    steps = steps[steps.index(first_step):]
    kinds = {"applications": "total", "not_admitted": "total", "official": "total"}
    out = pd.DataFrame({
        "step": steps,
        "children": [city[s].iloc[0] for s in steps],
        "children_label": [city[f"{s}_label"].iloc[0] for s in steps],
        "kind": [kinds.get(s, "minus") for s in steps],
    })
    return mark_counts(out, ["children", "children_label"])


def nursery_download(pub: Publication, total_label: str = TOTAL) -> pd.DataFrame:
    """Children applying, admitted and waiting, as display strings (a number, ``<10`` or ``χ``):
    by fiscal year × district × age band (``age_band`` 0, 1-2, 3-5), then the city
    (``district_id`` = ``total_label``) by single age (``age`` 0–5) and in total with every step
    of the national count (``age`` = ``total_label``)."""
    frames = []
    for fy in nursery_years(pub):
        db = published_waitlist(pub, fy, "district_band").assign(age="")
        age = published_waitlist(pub, fy, "age").rename(columns={"child_age": "age"})
        age = age.assign(district_id=total_label, age_band="", age=age["age"].astype(str))
        city = published_waitlist(pub, fy, "city").assign(district_id=total_label, age_band="", age=total_label)
        frame = pd.concat([db, age, city], ignore_index=True)
        frame.insert(0, "fiscal_year", int(fy))
        frames.append(frame[["fiscal_year", "district_id", "age_band", "age", *(f"{m}_label" for m in MEASURES)]])
    columns = ["fiscal_year", "district_id", "age_band", "age", *MEASURES]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).rename(columns={f"{m}_label": m for m in MEASURES})
    out[list(MEASURES)] = out[list(MEASURES)].fillna("")
    return mark_counts(out, list(MEASURES))


# ----------------------------------------------------------------------------- demand projection

# Children aged 0–5 a new family home brings, by age (young families move into new housing;
# 住宅団地 surveys put them around 0.9 children under 6 per household).
DEVELOPMENT_CHILDREN_PER_FAMILY = np.array([0.17, 0.16, 0.15, 0.15, 0.14, 0.13])


@dataclass(frozen=True)
class DemandParams:
    """Scenario knobs of the demand projection (one per page, like the waitlist's reach)."""

    horizon: int = 5  # fiscal years after the base year (5–10)
    rate_growth_pt: float = 0.0  # application rate change per year on top of the fitted trend, points
    births_change_pct: float = 0.0  # fertility vs the fitted rates, %
    migration_factor: float = 1.0  # × net migration by age
    development_district: str | None = None  # a housing development in this district…
    development_families: int = 0  # …bringing this many families (from the year after the base)
    base_fiscal_year: int | None = None  # default: the latest year with applications

    def __post_init__(self) -> None:
        if not 1 <= self.horizon <= 15:
            raise ValueError("horizon must be 1–15 fiscal years")
        if self.development_families < 0:
            raise ValueError("development_families must not be negative")


@dataclass(frozen=True)
class DemandProjection:
    """Projected applications by fiscal year × district × age band (expected children, floats).

    ``table`` columns: ``fiscal_year``, ``district_id``, ``age_band``, ``children`` (residents of
    the band, projected), ``rate`` (share applying), ``applications``; the base year holds the
    fitted values. ``rates`` are the fitted logit coefficients (statsmodels GLM, binomial).
    """

    table: pd.DataFrame
    rates: pd.DataFrame
    base_fiscal_year: int
    params: DemandParams


@dataclass(frozen=True)
class DemandInputs:
    """What the demand projection reads: applicants by fiscal year × district × age band
    (:func:`application_cells` or :func:`published_applications`), residents by fiscal year ×
    district × sex × single age and the population change (the datasets, or their published
    forms: :func:`analytics.population.published_residents`, ``published_change``)."""

    applications: pd.DataFrame
    residents: pd.DataFrame
    change: pd.DataFrame


def application_cells(applications: pd.DataFrame) -> pd.DataFrame:
    """Exact applicants by ``fiscal_year × district_id × age_band`` from the person-level rows
    (column ``applications``; ``imputed`` False): for methods checked on exact data in tests.
    Pages use :func:`published_applications`."""
    apps = applications.assign(age_band=np.array(BANDS)[BAND_OF_AGE[applications["child_age"].to_numpy()]])
    out = apps.groupby(["fiscal_year", "district_id", "age_band"], as_index=False).size()
    return out.rename(columns={"size": "applications"}).astype({"applications": float}).assign(imputed=False)


def _children_by_band(residents: pd.DataFrame) -> pd.DataFrame:
    """Residents aged 0–5 by ``fiscal_year × district_id × age_band`` (``children``), from rows
    that carry their ``district_id`` (published residents, or the dataset with its districts)."""
    young = residents[residents["age"] <= 5]
    young = young.assign(age_band=np.array(BANDS)[BAND_OF_AGE[young["age"].to_numpy(dtype=int)]])
    return young.groupby(["fiscal_year", "district_id", "age_band"], as_index=False)["population"].sum().rename(
        columns={"population": "children"})


def fit_application_rates(applications: pd.DataFrame, residents: pd.DataFrame, years: tuple[int, ...] | None = None):
    """The share of children applying, fitted on history: a binomial GLM (statsmodels) with
    ``logit p = band + band × year + district``, weighted by the children of each cell.
    ``applications``: cells as :func:`application_cells` gives them; ``residents``: rows with a
    ``district_id`` (see :class:`DemandInputs`). Returns the fitted results object; ``years``
    limits the history (for a back-test)."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    kids = _children_by_band(residents)
    counts = applications.groupby(["fiscal_year", "district_id", "age_band"])["applications"].sum()
    df = kids.join(counts, on=["fiscal_year", "district_id", "age_band"]).fillna({"applications": 0})
    df = df[df["fiscal_year"].isin(sorted(applications["fiscal_year"].unique()))]
    if years is not None:
        df = df[df["fiscal_year"].isin(years)]
    df = df[df["children"] > 0].assign(rate=lambda d: (d["applications"] / d["children"]).clip(0, 1),
                                        year=lambda d: d["fiscal_year"] - 2020)
    formula = "rate ~ C(age_band) + C(age_band):year + C(district_id)"
    return smf.glm(formula, df, family=sm.families.Binomial(), var_weights=df["children"]).fit()


def project_demand(inputs: DemandInputs, params: DemandParams = DemandParams()) -> DemandProjection:
    """Applications 1–15 fiscal years ahead by district × age band: projected children
    (:func:`analytics.population.project_population`, cohort-component, with the births and
    migration knobs) × application rates fitted on history (:func:`fit_application_rates`),
    plus the scenario's rate change and housing development. Follows the Cabinet Office's
    量の見込み method: child population × use-intention rate (作業の手引き, 2014).

    Pages pass the published inputs (:func:`published_demand_inputs`), so every projected
    figure is a function of the publication: a housing development of any size, or any other
    knob, reads nothing about people that the publication does not show."""
    from analytics.population import ProjectionParams, project_population

    years = sorted(int(y) for y in inputs.applications["fiscal_year"].unique())
    if not years:
        raise NotEnoughData("needs.projection_history", "no applications to fit the rates on")
    base = params.base_fiscal_year or years[-1]
    history = tuple(y for y in years if y <= base)
    model = fit_application_rates(inputs.applications, inputs.residents, history)
    proj = project_population(inputs.residents, inputs.change, None, ProjectionParams(
        years=params.horizon, births_change_pct=params.births_change_pct, migration_factor=params.migration_factor,
        base_fiscal_year=base))
    kids = proj.table[proj.table["age"] <= 5]
    kids = kids.assign(age_band=np.array(BANDS)[BAND_OF_AGE[kids["age"].to_numpy()]])
    if params.development_district and params.development_families:
        extra = pd.DataFrame({"fiscal_year": fy, "district_id": params.development_district, "sex": "F", "age": a,
                              "population": params.development_families * DEVELOPMENT_CHILDREN_PER_FAMILY[a],
                              "age_band": BANDS[BAND_OF_AGE[a]]}
                             for fy in range(base + 1, base + params.horizon + 1) for a in AGES)
        kids = pd.concat([kids, extra], ignore_index=True)
    table = kids.groupby(["fiscal_year", "district_id", "age_band"], as_index=False)["population"].sum().rename(
        columns={"population": "children"})
    known = set(model.model.data.frame["district_id"])
    table = table[table["district_id"].isin(known)].reset_index(drop=True)
    p = model.predict(table.assign(year=table["fiscal_year"] - 2020)).to_numpy()
    p = np.clip(p + params.rate_growth_pt / 100 * (table["fiscal_year"].to_numpy() - base), 0, 1)
    table["rate"] = p
    table["applications"] = table["children"] * p
    rates = pd.DataFrame({"term": model.params.index, "coef": model.params.to_numpy(), "se": model.bse.to_numpy()})
    return DemandProjection(table=table, rates=rates, base_fiscal_year=base, params=params)


def backtest_demand(inputs: DemandInputs, holdout_years: int = 2) -> pd.DataFrame:
    """Fit on all but the last ``holdout_years`` fiscal years, project them, and compare with what
    was observed: per held-out fiscal year and age band (and ``all``) the city's ``predicted``
    applications, ``error_pct`` (predicted vs observed, %), and ``district_mape`` (median over
    districts of the absolute percentage error, over districts whose applicants are observed,
    not estimated: ``imputed`` False). Observed counts are not returned: pages show them from
    the publication."""
    apps = inputs.applications
    years = sorted(int(y) for y in apps["fiscal_year"].unique())
    if len(years) <= holdout_years:
        raise NotEnoughData("needs.backtest_years",
                            f"the back-test needs more than {holdout_years} years of applications")
    base = years[-1 - holdout_years]
    proj = project_demand(inputs, DemandParams(horizon=holdout_years, base_fiscal_year=base)).table
    keys = ["fiscal_year", "district_id", "age_band"]
    observed = apps.groupby(keys)["applications"].sum().rename("observed")
    imputed = apps.groupby(keys)["imputed"].any().rename("imputed") if "imputed" in apps else None
    rows = []
    for fy in years[-holdout_years:]:
        pred = proj[proj["fiscal_year"] == fy].join(observed, on=keys).fillna({"observed": 0})
        pred["imputed"] = (pred.join(imputed, on=keys)["imputed"].fillna(False).astype(bool)
                           if imputed is not None else False)
        for band in (*BANDS, "all"):
            part = pred if band == "all" else pred[pred["age_band"] == band]
            per_district = part.groupby("district_id")[["applications", "observed", "imputed"]].agg(
                {"applications": "sum", "observed": "sum", "imputed": "any"})
            per_district = per_district[(per_district["observed"] > 0) & ~per_district["imputed"]]
            ape = (per_district["applications"] - per_district["observed"]).abs() / per_district["observed"] * 100
            obs, pre = part["observed"].sum(), part["applications"].sum()
            rows.append({"fiscal_year": fy, "age_band": band, "predicted": pre,
                         "error_pct": (pre - obs) / obs * 100 if obs else np.nan,
                         "district_mape": float(ape.median()) if len(ape) else np.nan})
    return pd.DataFrame(rows)


def published_district_bands(pub: Publication, fiscal_year: int, measure: str,
                             prior: np.ndarray | None = None) -> pd.DataFrame:
    """One measure of the published district × age band table, its hidden cells estimated from
    the publication alone (:func:`analytics.core.publication.fill_hidden`): each band's total from
    the single-age table (where every age of the band is shown) and the city's total fix what the
    hidden cells hold together; ``prior`` (districts × bands; default even) shapes them.
    Columns ``district_id``, ``age_band``, ``value`` (float) and ``imputed`` (hidden cells)."""
    db = published_waitlist(pub, fiscal_year, "district_band")
    age = published_waitlist(pub, fiscal_year, "age")
    city = published_waitlist(pub, fiscal_year, "city")
    districts = list(dict.fromkeys(db["district_id"]))
    grid = (db.pivot(index="district_id", columns="age_band", values=measure)
            .reindex(index=districts, columns=list(BANDS)).to_numpy(float))
    by_age = age[measure].to_numpy(float)
    band_of = BAND_OF_AGE[age["child_age"].to_numpy()]
    band_totals = np.array([by_age[band_of == k].sum() for k in range(len(BANDS))])  # NaN when an age is hidden
    total = np.array(float(city[measure].iloc[0]))
    filled = fill_hidden(grid, [((1,), band_totals), ((), total)],
                         np.ones_like(grid) if prior is None else prior)
    return pd.DataFrame({"district_id": np.repeat(districts, len(BANDS)), "age_band": np.tile(BANDS, len(districts)),
                         "value": filled.ravel(), "imputed": np.isnan(grid).ravel()})


def published_applications(pub: Publication, residents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Applicants by ``fiscal_year × district_id × age_band`` from the publication only, hidden
    cells estimated (:func:`published_district_bands`, shaped by the district's published
    children of the band, ``residents`` as :func:`analytics.population.published_residents`
    gives them): ``applications`` (float), ``imputed``."""
    from analytics.population import published_residents

    if residents is None:
        residents = published_residents(pub)
    kids = _children_by_band(residents) if len(residents) else None
    frames = []
    for fy in nursery_years(pub):
        prior = None
        if kids is not None and fy in set(kids["fiscal_year"]):
            districts = list(dict.fromkeys(published_waitlist(pub, fy, "district_band")["district_id"]))
            k = kids[kids["fiscal_year"] == fy].pivot(index="district_id", columns="age_band", values="children")
            prior = k.reindex(index=districts, columns=list(BANDS)).fillna(0).to_numpy(float) + 1.0
        cells = published_district_bands(pub, fy, "applications", prior).rename(columns={"value": "applications"})
        frames.append(cells.assign(fiscal_year=fy))
    columns = ["fiscal_year", "district_id", "age_band", "applications", "imputed"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def published_demand_inputs(pub: Publication) -> DemandInputs:
    """The demand projection's inputs from the publication only (what every page uses)."""
    from analytics.population import published_change, published_residents

    residents = published_residents(pub)
    return DemandInputs(published_applications(pub, residents), residents, published_change(pub))


# ----------------------------------------------------------------------------- access and placement


def waiting_by_district(pub: Publication, fiscal_year: int, target: str = "all") -> pd.DataFrame:
    """Waiting children by district × age band from the publication only: ``waiting`` is the
    published count (``not_admitted``, or ``official`` when ``target == "official"``) where
    shown; hidden cells are estimated (:func:`published_district_bands`) in proportion to the
    district's published (or estimated) applicants; ``imputed`` marks them. An input for
    scenarios, never shown as a count."""
    measure = "official" if target == "official" else "not_admitted"
    apps = published_district_bands(pub, fiscal_year, "applications")["value"].to_numpy(float)
    out = published_district_bands(pub, fiscal_year, measure, apps.reshape(-1, len(BANDS)) + 1.0)
    return out.rename(columns={"value": "waiting"})


def projected_waiting(waiting: pd.DataFrame, demand: DemandProjection, fiscal_year: int) -> pd.DataFrame:
    """Waiting children in ``fiscal_year`` if no place is added: today's waiting plus the change
    of projected applications since the base year (never below 0), by district × age band."""
    d = demand.table.set_index(["fiscal_year", "district_id", "age_band"])["applications"]
    base = d.xs(demand.base_fiscal_year, level="fiscal_year")
    later = d.xs(fiscal_year, level="fiscal_year") if fiscal_year in d.index.get_level_values(0) else base
    change = (later - base).rename("change")
    out = waiting.join(change, on=["district_id", "age_band"]).fillna({"change": 0.0})
    out["waiting"] = (out["waiting"] + out["change"]).clip(lower=0)
    return out.drop(columns="change")


def mesh_demand(waiting: pd.DataFrame, mesh_residents: pd.DataFrame) -> pd.DataFrame:
    """District × band waiting children spread over the district's meshes in proportion to the
    mesh's *published* residents of all ages (:func:`analytics.population.published_mesh_residents`:
    shown counts, hidden meshes sharing what their district's total leaves), the same weights for
    every band, so that access can be measured from where people live. Children per mesh are
    published nowhere: weighting by them would let a scenario's readings (children served, the
    squares reached) reveal them, whatever is rounded. Columns: ``mesh_code``, ``district_id``,
    one column per band."""
    m = mesh_residents[["mesh_code", "district_id", "residents"]].copy()
    m["district_id"] = m["district_id"].astype(str)
    total = m.groupby("district_id")["residents"].transform("sum")
    share = (m["residents"] / total.where(total > 0)).fillna(0.0).to_numpy()
    w = waiting.pivot_table(index="district_id", columns="age_band", values="waiting", aggfunc="sum")
    w = w.reindex(index=m["district_id"].unique(), columns=list(BANDS)).fillna(0.0)
    per_band = w.reindex(m["district_id"]).to_numpy() * share[:, None]
    out = m[["mesh_code", "district_id"]].reset_index(drop=True)
    for k, band in enumerate(BANDS):
        out[band] = per_band[:, k]
    return out


@dataclass(frozen=True)
class PlacementParams:
    """Scenario of the 配置シナリオ tab: where to add places, under which budget."""

    walk_m: int = 800  # walking distance from home (a step of analytics.core.geo.ACCESS_STEPS_M)
    target: str = "all"  # "all" (official + hidden) or "official": which waitlist to cut
    budget_kind: str = "seats"  # "seats" or "yen"
    budget: float = 300.0  # places, or yen
    min_seats: int = 6  # the smallest new facility (小規模保育 takes 6–19)
    max_sites: int | None = None
    added_sites: tuple[str, ...] = ()  # sites the planner opens by hand
    removed_sites: tuple[str, ...] = ()  # sites the planner rules out

    def __post_init__(self) -> None:
        if self.walk_m not in geo.ACCESS_STEPS_M:
            raise ValueError(f"walk_m must be one of {geo.ACCESS_STEPS_M}")
        if self.target not in ("all", "official"):
            raise ValueError("target must be 'all' or 'official'")


@dataclass(frozen=True)
class CapacityPlan:
    """New places chosen for a scenario (estimates of children, from published figures).

    ``sites``: the opened sites with seats per band (``seats_0``, ``seats_1-2``,
    ``seats_3-5``), ``seats``, ``cost_yen``, ``reached`` (children within walking distance
    who take the new places). ``by_district``: ``before``/``after`` waiting children and the
    ``reduction``. ``reached_meshes``: mesh codes whose waiting children are served.
    ``optimum``: the optimum (``scipy.optimize.milp``, within 0.1%) when asked for, else ``None``;
    ``optimum_proved`` is False when the solver stopped at its node limit (a work limit, never
    the clock) with its best solution.
    """

    sites: pd.DataFrame
    by_district: pd.DataFrame
    reached_meshes: tuple[str, ...]
    served: float
    waiting: float
    total_seats: int
    cost_yen: float
    optimum: float | None = None
    optimum_proved: bool | None = None


def place_capacity(demand: pd.DataFrame, sites: pd.DataFrame, params: PlacementParams = PlacementParams(), *,
                   exact: bool = False) -> CapacityPlan:
    """Choose sites and places by age band, within the budget, to serve the most waiting children
    within ``walk_m`` (a capacitated maximal covering problem, :mod:`analytics.core.location`): lazy
    greedy with local improvement; ``exact`` also solves the MILP for comparison.
    ``demand`` is :func:`mesh_demand`; ``sites`` the ``nursery_sites`` dataset."""
    from analytics.core import location

    point_xy = geo.mesh_plane_xy(demand["mesh_code"])
    site_xy = geo.points_plane_xy(sites)
    ids = pd.Index(sites["site_id"].astype(str))
    known = lambda xs: tuple(int(i) for i in ids.get_indexer(list(xs)) if i >= 0)  # noqa: E731
    problem = location.PlacementProblem(
        demand=demand[list(BANDS)].to_numpy(float),
        reach=location.reach_matrix(site_xy, point_xy, params.walk_m),
        capacity=sites["max_capacity"].to_numpy(),
        cost_per_seat=sites["cost_per_seat_yen"].to_numpy(float),
        budget=params.budget,
        budget_kind=params.budget_kind,
        min_seats=params.min_seats,
        max_sites=params.max_sites,
        forced_open=known(params.added_sites),
        forced_closed=known(set(params.removed_sites) - set(params.added_sites)),
    )
    plan = location.place_heuristic(problem)
    # Projected demand is fractional: a 0.1% gap proves the optimum in seconds instead of minutes;
    # past the node limit the best solution found stands in (and says so).
    best = location.place_optimal(problem, mip_rel_gap=1e-3) if exact else None
    chosen = np.flatnonzero(plan.open)
    table = sites.iloc[chosen][["site_id", "name_ja", "name_en", "kind", "district_id", "lon", "lat"]].copy()
    for k, band in enumerate(BANDS):
        table[f"seats_{band}"] = plan.seats[chosen, k]
    table["seats"] = plan.seats[chosen].sum(1)
    table["cost_yen"] = table["seats"] * sites["cost_per_seat_yen"].to_numpy()[chosen]
    served = plan.served_by_point.sum(1)
    reach = problem.reach
    table["reached"] = [float(min(served[reach.indices[reach.indptr[j]:reach.indptr[j + 1]]].sum(),
                                  plan.seats[j].sum())) for j in chosen]
    before = demand.groupby("district_id")[list(BANDS)].sum().sum(axis=1).rename("before")
    after = (before - pd.Series(served, index=demand["district_id"]).groupby(level=0).sum()).rename("after")
    by_district = pd.concat([before, after], axis=1).reset_index()
    by_district["reduction"] = by_district["before"] - by_district["after"]
    return CapacityPlan(
        sites=table.reset_index(drop=True),
        by_district=by_district,
        reached_meshes=tuple(demand["mesh_code"].to_numpy()[served > 1e-9]),
        served=float(plan.served),
        waiting=float(problem.demand.sum()),
        total_seats=int(plan.total_seats),
        cost_yen=float(plan.cost_yen),
        optimum=None if best is None else float(best.served),
        optimum_proved=None if best is None else bool(best.optimal),
    )


def vacancy_distance(applications: pd.DataFrame, nurseries: pd.DataFrame, capacity: pd.DataFrame, fiscal_year: int,
                     min_children: int) -> pd.DataFrame:
    """How far waiting children live from a free place for their age: per age band and for the
    city (``district_id`` = ``TOTAL``) and per district, the mean straight-line distance in metres
    (demand-weighted) and the share within 800 m — only for groups of at least ``min_children``
    waiting children (a mean over a few children would say where they live); ``vacancies``: free
    authorised places in the district (a facility statistic)."""
    apps = applications[applications["fiscal_year"] == fiscal_year]
    waiting = waiting_children(apps, nurseries, capacity)
    places = vacancies(capacity, nurseries)
    dist = distance_to_vacancy_m(waiting, places)
    waiting = waiting.assign(distance_m=dist, age_band=np.array(BANDS)[BAND_OF_AGE[waiting["child_age"].to_numpy()]])
    free = places[(places["fiscal_year"] == fiscal_year) & places["authorised"]]
    rows = []
    for key, group in [(TOTAL, waiting), *waiting.groupby("district_id")]:
        row = {"district_id": key}
        for band in (*BANDS, TOTAL):
            g = group if band == TOTAL else group[group["age_band"] == band]
            ok = len(g) >= min_children
            finite = np.isfinite(g["distance_m"])
            row[f"mean_m_{band}"] = float(g.loc[finite, "distance_m"].mean()) if ok and finite.any() else np.nan
            row[f"within_800_{band}"] = float((g["distance_m"] <= 800).mean()) if ok else np.nan
        row["vacancies"] = int(free["vacancies"].sum() if key == TOTAL else
                               free.loc[free["district_id"] == key, "vacancies"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def supply_by_district(capacity: pd.DataFrame, nurseries: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Authorised places, enrolment and vacancies by district × age band in ``fiscal_year``
    (facility statistics: places where the facility is, 1 April)."""
    v = vacancies(capacity, nurseries)
    v = v[(v["fiscal_year"] == fiscal_year) & v["authorised"]]
    v = v.assign(age_band=np.array(BANDS)[BAND_OF_AGE[v["child_age"].to_numpy()]])
    return v.groupby(["district_id", "age_band"], as_index=False)[["capacity", "enrolled", "vacancies"]].sum()


def supply_demand(pub: Publication, capacity: pd.DataFrame, nurseries: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Supply and demand by district × age band: places, enrolled and vacancies (facility
    statistics) beside published applications and waiting children, and the ``gap``
    (applications − places; NaN where the applications are hidden)."""
    shown = published_waitlist(pub, fiscal_year, "district_band")
    supply = supply_by_district(capacity, nurseries, fiscal_year)
    out = shown.merge(supply, on=["district_id", "age_band"], how="left").fillna(
        {"capacity": 0, "enrolled": 0, "vacancies": 0})
    out["gap"] = out["applications"] - out["capacity"]
    return mark_counts(out, [c for c in out.columns if c.endswith("_label") or c in DISTRICT_MEASURES])


@dataclass(frozen=True)
class NurseryParams:
    """Every input of the 保育所配置 page in one object (the Streamlit view builds it from widgets)."""

    fiscal_year: int
    map_band: str = "1-2"  # the age band the district map shows
    demand: DemandParams = DemandParams()
    placement: PlacementParams = PlacementParams()
    plan_for_projection: bool = True  # place for the projected waitlist (else today's)

    @property
    def target_year(self) -> int:
        return self.fiscal_year + (self.demand.horizon if self.plan_for_projection else 0)


def scenario_demand(pub: Publication, demand: DemandProjection | None, meshes: pd.DataFrame,
                    params: NurseryParams) -> pd.DataFrame:
    """The demand a placement scenario serves: published waiting children of ``params.fiscal_year``
    (:func:`waiting_by_district`), projected to the target year (``demand``, itself from the
    published inputs), spread over meshes by their published residents (:func:`mesh_demand`)."""
    from analytics.population import published_mesh_residents

    waiting = waiting_by_district(pub, params.fiscal_year, params.placement.target)
    if params.plan_for_projection:
        if demand is None:
            raise NotEnoughData("needs.projection_history", "planning for a projected year needs the projection")
        waiting = projected_waiting(waiting, demand, params.target_year)
    return mesh_demand(waiting, published_mesh_residents(pub, meshes))


def access_share(pub: Publication, walk_m: int) -> pd.DataFrame:
    """Share of waiting children with a free place for their age within ``walk_m`` in the latest
    published year, by age band and in total, from published counts only (NaN where hidden)."""
    fy = nursery_years(pub)[-1]
    access = pub.frame(nursery_table(fy, "access"), "children")
    access = access[access["walk_m"] == walk_m].set_index("age_band")["children"]
    age = published_waitlist(pub, fy, "age")
    waiting = age.groupby(BAND_OF_AGE[age["child_age"].to_numpy()])["not_admitted"].sum(min_count=1)
    waiting.index = list(BANDS)
    out = pd.DataFrame({"age_band": [*BANDS, TOTAL],
                        "near": [*access.reindex(list(BANDS)), access.sum(min_count=len(BANDS))],
                        "waiting": [*waiting, waiting.sum(min_count=len(BANDS))]})
    out["share"] = out["near"] / out["waiting"].where(out["waiting"] > 0)
    out.insert(0, "fiscal_year", fy)
    return mark_counts(out, ["near", "waiting"])


def hidden_to_official(city: Mapping[str, float]) -> float:
    """The hidden waitlist per officially waiting child (NaN when either is hidden or none wait)."""
    official, hidden = float(city["official"]), float(city["hidden"])
    return hidden / official if official > 0 and np.isfinite(hidden) else float("nan")


def demand_change_pct(demand: DemandProjection) -> float:
    """Change of projected applications from the base year to the last projected year, %."""
    by_year = demand.table.groupby("fiscal_year")["applications"].sum()
    return float((by_year.iloc[-1] / by_year.iloc[0] - 1) * 100) if by_year.iloc[0] > 0 else float("nan")


def published_backtest(backtest: pd.DataFrame, pub: Publication) -> pd.DataFrame:
    """:func:`backtest_demand` with the errors blanked where the observed city count of that year
    and band is not published (an error and a prediction together would reveal it)."""
    out = backtest.copy()
    for i, row in out.iterrows():
        fy = int(row["fiscal_year"])
        if not pub.has(nursery_table(fy, "age")):
            out.loc[i, ["error_pct", "district_mape"]] = np.nan
            continue
        age = published_waitlist(pub, fy, "age")
        band = slice(None) if row["age_band"] == "all" else BAND_OF_AGE[age["child_age"].to_numpy()] == BANDS.index(
            row["age_band"])
        if age.loc[band, "applications"].isna().any():
            out.loc[i, ["error_pct", "district_mape"]] = np.nan
    return out


def optimum_ratio(plan: CapacityPlan) -> float:
    """Children the heuristic's plan serves as a share of the MILP's (NaN when not compared)."""
    if plan.optimum is None:
        return float("nan")
    return plan.served / plan.optimum if plan.optimum > 0 else 1.0
