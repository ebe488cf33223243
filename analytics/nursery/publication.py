"""The nursery block of the publication, its download and the readers of what it publishes.

Counts of children are published with the residents they are part of (:func:`nursery_block`);
everything a page shows of children is read back from the publication by the functions here.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analytics.city import BANDS as POPULATION_BANDS
from analytics.city import SEXES, population_table, publication_districts
from analytics.core import geo
from analytics.core.publication import Publication, PublicationBuilder, fill_hidden, mark_counts
from analytics.nursery.counting import (
    AGES,
    BAND_OF_AGE,
    BANDS,
    DEFAULT_REACH_KM,
    DISTRICT_MEASURES,
    EXCLUSIONS,
    MEASURES,
    REACHES_KM,
    TOTAL,
    WaitlistBreakdown,
    access_counts,
    official_by_reach,
    supply_by_district,
    vacancies,
    waiting_children,
    waitlist_breakdown,
)
from analytics.nursery.demand import DemandInputs, _children_by_band

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
    ``city`` (:data:`MEASURES`), and ``access`` for the latest year (straight-line distance step of
    :data:`analytics.core.geo.ACCESS_STEPS_M` × age band: waiting children with a free place
    within that distance), and for the latest year the official waitlist at the other reaches of
    :data:`REACHES_KM` (``reach``: reach × district × age band; ``reach_age``: reach × age;
    ``reach_city``: reach × official/hidden; see :func:`_reach_tables`). Relations: every sum
    between them; ``applications = admitted + not_admitted``, ``not_admitted = official +
    hidden``, ``hidden = Σ exclusions``; admitted children by age equal the enrolment that
    facilities publish (known); applicants of a district are part of its residents aged 0–9,
    and children waiting near a free place part of those waiting (closer steps part of farther
    ones).
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
        not_placed = float(body[:, :, full["not_admitted"]].sum())
    latest = years[-1] if years else None
    if latest is not None:
        _access_tables(b, data, br, latest)
        _reach_tables(b, data, districts, latest, not_placed)


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


OTHER_REACHES_KM = tuple(r for r in REACHES_KM if r != DEFAULT_REACH_KM)


def _reach_tables(b: PublicationBuilder, data: Mapping[str, pd.DataFrame], districts: tuple[str, ...],
                  fy: int, not_placed: float) -> None:
    """The official waitlist of ``fy`` at every reach of :data:`REACHES_KM` but the default (whose
    counts are the main tables'), so that the page can show how the count moves with the reach
    and a scenario can choose one without an unaudited count. Relations: each table sums to the
    next (districts → ages of the band → city), official + hidden = not placed, and the nesting
    a farther reach implies (its official waitlist is part of a nearer reach's, the nearest part
    of the children not placed)."""
    if not OTHER_REACHES_KM:
        return
    apps = data["nursery_applications"]
    exact = official_by_reach(apps[apps["fiscal_year"] == fy], data["nurseries"], data["nursery_capacity"],
                              districts, OTHER_REACHES_KM)
    by_band = np.stack([exact[:, :, BAND_OF_AGE == k].sum(2) for k in range(len(BANDS))], axis=2)
    by_age = exact.sum(1)
    official = by_age.sum(1)
    R = ("reach_km", OTHER_REACHES_KM)
    rd = b.table(nursery_table(fy, "reach"), by_band, [R, ("district_id", districts), ("age_band", BANDS)])
    ra = b.table(nursery_table(fy, "reach_age"), by_age, [R, ("child_age", AGES)])
    city_na = b.index(nursery_table(fy, "city"))[MEASURES.index("not_admitted")]
    rc = b.table(nursery_table(fy, "reach_city"), np.column_stack([official, not_placed - official]),
                 [R, ("measure", ("official", "hidden"))])
    db = b.index(nursery_table(fy, "district_band"))
    age = b.index(nursery_table(fy, "age"))
    dm_na, dm_off = DISTRICT_MEASURES.index("not_admitted"), DISTRICT_MEASURES.index("official")
    na, off = MEASURES.index("not_admitted"), MEASURES.index("official")
    order = sorted([*OTHER_REACHES_KM, DEFAULT_REACH_KM])

    def chain(cell_at, not_placed_cell):
        cells = [cell_at(r) for r in order]
        b.part_of([cells[0]], [not_placed_cell])
        for near, far in zip(cells, cells[1:], strict=False):
            b.part_of([far], [near])

    def at(table, default, *index):
        return lambda r: default if r == DEFAULT_REACH_KM else table[(OTHER_REACHES_KM.index(r), *index)]

    for i in range(len(OTHER_REACHES_KM)):
        for k in range(len(BANDS)):
            b.equation([*rd[i, :, k], *ra[i, BAND_OF_AGE == k]], [1.0] * len(districts) + [-1.0] * int(
                (BAND_OF_AGE == k).sum()))
        b.sums(ra[i], rc[i, 0])
        b.equation([rc[i, 0], rc[i, 1], city_na], [1.0, 1.0, -1.0])
    for d in range(len(districts)):
        for k in range(len(BANDS)):
            chain(at(rd, db[d, k, dm_off], d, k), db[d, k, dm_na])
    for a in AGES:
        chain(at(ra, age[a, off], a), age[a, na])


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


def reach_column(measure: str, reach_km: float) -> str:
    """The download's column of ``measure`` (official or hidden) at a reach, e.g. ``official_1km``."""
    return f"{measure}_{reach_km:g}km"


def nursery_download(pub: Publication, total_label: str = TOTAL) -> pd.DataFrame:
    """Children applying, admitted and waiting, as display strings (a number, ``<10`` or ``χ``):
    by fiscal year × district × age band (``age_band`` 0, 1-2, 3-5), then the city
    (``district_id`` = ``total_label``) by single age (``age`` 0–5) and in total with every step
    of the national count (``age`` = ``total_label``). For the year whose count is published at
    other reaches, ``official_{r}km`` holds the official waitlist at reach ``r`` (straight line;
    every row of that year) and ``hidden_{r}km`` the hidden one (the city total row); the
    measures' own columns are at the default reach."""
    frames = []
    reach_cols = [reach_column(m, r) for m in ("official", "hidden") for r in OTHER_REACHES_KM]
    for fy in nursery_years(pub):
        db = published_waitlist(pub, fy, "district_band").assign(age="")
        age = published_waitlist(pub, fy, "age").rename(columns={"child_age": "age"})
        age = age.assign(district_id=total_label, age_band="", age=age["age"].astype(str))
        city = published_waitlist(pub, fy, "city").assign(district_id=total_label, age_band="", age=total_label)
        if pub.has(nursery_table(fy, "reach")):
            db, age, city = _with_reaches(pub, fy, db, age, city)
        frame = pd.concat([db, age, city], ignore_index=True)
        frame.insert(0, "fiscal_year", int(fy))
        frame = frame.reindex(columns=[*frame.columns, *(c for c in reach_cols if c not in frame.columns)])
        frames.append(frame[["fiscal_year", "district_id", "age_band", "age",
                             *(f"{m}_label" for m in MEASURES), *reach_cols]])
    columns = ["fiscal_year", "district_id", "age_band", "age", *MEASURES, *reach_cols]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).rename(columns={f"{m}_label": m for m in MEASURES})
    out[[*MEASURES, *reach_cols]] = out[[*MEASURES, *reach_cols]].fillna("")
    return mark_counts(out, [*MEASURES, *reach_cols])


def _with_reaches(pub: Publication, fy: int, db: pd.DataFrame, age: pd.DataFrame,
                  city: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The download's rows of ``fy`` with their ``official_{r}km`` / ``hidden_{r}km`` labels."""
    reach = pub.frame(nursery_table(fy, "reach"))
    reach_age = pub.frame(nursery_table(fy, "reach_age"))
    reach_city = pub.frame(nursery_table(fy, "reach_city"))
    db, age, city = db.copy(), age.copy(), city.copy()
    for r in OTHER_REACHES_KM:
        col = reach_column("official", r)
        by_district = reach[reach["reach_km"] == r].set_index(["district_id", "age_band"])["count_label"]
        db[col] = by_district.reindex(pd.MultiIndex.from_frame(db[["district_id", "age_band"]])).to_numpy()
        by_age = reach_age[reach_age["reach_km"] == r].set_index("child_age")["count_label"]
        age[col] = by_age.reindex(age["age"].astype(int)).to_numpy()
        at_r = reach_city[reach_city["reach_km"] == r].set_index("measure")["count_label"]
        for m in ("official", "hidden"):
            city[reach_column(m, r)] = at_r[m]
    return db, age, city


def published_district_bands(pub: Publication, fiscal_year: int, measure: str,
                             prior: np.ndarray | None = None, reach_km: float = DEFAULT_REACH_KM) -> pd.DataFrame:
    """One measure of the published district × age band table, its hidden cells estimated from
    the publication alone (:func:`analytics.core.publication.fill_hidden`): each band's total from
    the single-age table (where every age of the band is shown) and the city's total fix what the
    hidden cells hold together; ``prior`` (districts × bands; default even) shapes them.
    ``reach_km`` other than the default reads the ``official`` waitlist at that reach (one of
    :data:`REACHES_KM`; published for the latest year only). Columns ``district_id``,
    ``age_band``, ``value`` (float) and ``imputed`` (hidden cells)."""
    if reach_km == DEFAULT_REACH_KM:
        db = published_waitlist(pub, fiscal_year, "district_band")
        age = published_waitlist(pub, fiscal_year, "age")
        total = float(published_waitlist(pub, fiscal_year, "city")[measure].iloc[0])
    else:
        published = pub.has(nursery_table(fiscal_year, "reach")) and reach_km in OTHER_REACHES_KM
        if measure != "official" or not published:
            raise ValueError(f"the official waitlist at {reach_km} km is not published for FY{fiscal_year}")
        db = _at_reach(pub, fiscal_year, "reach", reach_km).rename(columns={"count": measure})
        age = _at_reach(pub, fiscal_year, "reach_age", reach_km).rename(columns={"count": measure})
        total = float(waitlist_by_reach(pub).set_index("reach_km").loc[reach_km, "official"])
    districts = list(dict.fromkeys(db["district_id"]))
    grid = (db.pivot(index="district_id", columns="age_band", values=measure)
            .reindex(index=districts, columns=list(BANDS)).to_numpy(float))
    by_age = age[measure].to_numpy(float)
    band_of = BAND_OF_AGE[age["child_age"].to_numpy()]
    band_totals = np.array([by_age[band_of == k].sum() for k in range(len(BANDS))])  # NaN when an age is hidden
    high = None
    if reach_km > DEFAULT_REACH_KM:
        # The official count shrinks as the reach grows (a farther free place excludes more
        # children): a hidden cell is at most the same cell at the next smaller published reach
        # (estimated there where hidden), which also gives the hidden cells their shape.
        nearer = max(r for r in REACHES_KM if r < reach_km)
        frame = published_district_bands(pub, fiscal_year, "official", prior, nearer)
        high = (frame.pivot(index="district_id", columns="age_band", values="value")
                .reindex(index=districts, columns=list(BANDS)).to_numpy(float))
        prior = high + 1e-9
        if np.isnan(total):  # the city's count hidden too (χ: at least the threshold): the middle of what
            total = (float(pub.threshold) + float(high.sum())) / 2  # its label and the nesting allow
    filled = fill_hidden(grid, [((1,), band_totals), ((), np.array(total))],
                         np.ones_like(grid) if prior is None else prior)
    if high is not None:
        filled = np.where(np.isnan(grid), np.minimum(filled, high), filled)
    return pd.DataFrame({"district_id": np.repeat(districts, len(BANDS)), "age_band": np.tile(BANDS, len(districts)),
                         "value": filled.ravel(), "imputed": np.isnan(grid).ravel()})


def _at_reach(pub: Publication, fiscal_year: int, part: str, reach_km: float) -> pd.DataFrame:
    frame = pub.frame(nursery_table(fiscal_year, part))
    return frame[frame["reach_km"] == reach_km].drop(columns="reach_km").reset_index(drop=True)


def waitlist_by_reach(pub: Publication) -> pd.DataFrame:
    """The official and hidden waitlist of the latest published year at every reach of
    :data:`REACHES_KM` (straight line, km), from published counts only: ``fiscal_year``,
    ``reach_km``, ``official``, ``hidden`` (NaN where hidden) and their ``_label``s; the default
    reach's row is the main count. Empty when the publication holds no reach tables."""
    columns = ["fiscal_year", "reach_km", "official", "official_label", "hidden", "hidden_label"]
    years = [fy for fy in nursery_years(pub) if pub.has(nursery_table(fy, "reach_city"))]
    if not years:
        return mark_counts(pd.DataFrame(columns=columns), columns[2:])
    fy = years[-1]
    other = pub.wide(nursery_table(fy, "reach_city"))
    main = published_waitlist(pub, fy, "city")[["official", "official_label", "hidden", "hidden_label"]]
    out = pd.concat([other, main.assign(reach_km=DEFAULT_REACH_KM)], ignore_index=True)
    out = out.sort_values("reach_km", ignore_index=True).assign(fiscal_year=fy)
    return mark_counts(out[columns], columns[2:])


def published_applications(pub: Publication, residents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Applicants by ``fiscal_year × district_id × age_band`` from the publication only, hidden
    cells estimated (:func:`published_district_bands`, shaped by the district's published
    children of the band, ``residents`` as :func:`analytics.city.published_residents`
    gives them): ``applications`` (float), ``imputed``."""
    from analytics.city import published_residents

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
    from analytics.city import published_change, published_residents

    residents = published_residents(pub)
    return DemandInputs(published_applications(pub, residents), residents, published_change(pub))


# ----------------------------------------------------------------------------- access and placement


def waiting_by_district(pub: Publication, fiscal_year: int, target: str = "all",
                        reach_km: float = DEFAULT_REACH_KM) -> pd.DataFrame:
    """Waiting children by district × age band from the publication only: ``waiting`` is the
    published count (``not_admitted``, or ``official`` when ``target == "official"``, at the
    published reach ``reach_km``, one of :data:`REACHES_KM`) where shown; hidden cells are
    estimated (:func:`published_district_bands`) in proportion to the district's published (or
    estimated) applicants; ``imputed`` marks them. An input for scenarios, never shown as a count."""
    measure = "official" if target == "official" else "not_admitted"
    apps = published_district_bands(pub, fiscal_year, "applications")["value"].to_numpy(float)
    out = published_district_bands(pub, fiscal_year, measure, apps.reshape(-1, len(BANDS)) + 1.0,
                                   reach_km if measure == "official" else DEFAULT_REACH_KM)
    return out.rename(columns={"value": "waiting"})


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


def published_backtest(backtest: pd.DataFrame, pub: Publication) -> pd.DataFrame:
    """:func:`backtest_demand` with the errors blanked where the observed city count of that year
    and band is not published (an error and a prediction together would reveal it)."""
    out = backtest.copy()
    for i, row in out.iterrows():
        fy = int(row["fiscal_year"])
        if not pub.has(nursery_table(fy, "age")):
            out.loc[i, ["error_pct", "district_median_ape"]] = np.nan
            continue
        age = published_waitlist(pub, fy, "age")
        band = slice(None) if row["age_band"] == "all" else BAND_OF_AGE[age["child_age"].to_numpy()] == BANDS.index(
            row["age_band"])
        if age.loc[band, "applications"].isna().any():
            out.loc[i, ["error_pct", "district_median_ape"]] = np.nan
    return out
