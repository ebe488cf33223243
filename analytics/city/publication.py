"""The city's publication blocks, their downloads and the readers of what they publish.

* :func:`population_block` — residents by district × sex × 5-year group with every margin, and residents
  per 500 m mesh for the latest year; :func:`change_block` — births, deaths and moves with the
  demographic balance that ties them to the residents.
* Published readers (:func:`published_residents`, :func:`published_change`, :func:`published_projection`,
  :func:`published_mesh_residents`, :func:`residents_outlook`) estimate what is hidden from the
  published margins only: every domain that needs residents reads them through these.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analytics.city.population import (
    AGE_GROUPS,
    BAND,
    BANDS,
    CHANGE_MEASURES,
    GROUP_OF_BAND,
    SEXES,
    TOTAL,
    _births_of,
    _split_children,
    graduate_ages,
    with_district,
)
from analytics.core import privacy
from analytics.core.projection import (
    PopulationProjection,
    ProjectionParams,
    project_population,
)
from analytics.core.publication import Publication, PublicationBuilder, fill_hidden, mark_counts, share_remainder


def publication_districts(data: Mapping[str, pd.DataFrame]) -> tuple[str, ...]:
    """Districts every population table lists: those of the boundaries, the mesh table and the
    population change (a district without residents gets its zeros)."""
    ids: set[str] = set()
    for name in ("districts", "meshes", "population_change"):
        if name in data:
            ids |= set(data[name]["district_id"].astype(str))
    return tuple(sorted(ids))


def population_table(fiscal_year: int, part: str) -> str:
    """Name of a population table in the publication, e.g. ``population/2026/district``."""
    return f"population/{int(fiscal_year)}/{part}"


def population_years(pub: Publication) -> list[int]:
    """Fiscal years whose residents the publication holds, in order."""
    return sorted({int(n.split("/")[1]) for n in pub.names("population/")})


def population_block(b: PublicationBuilder, data: Mapping[str, pd.DataFrame]) -> None:
    """Add each fiscal year's linked population tables (see the module docstring)."""
    if "population" not in data or "meshes" not in data:
        return
    districts = publication_districts(data)
    pop = with_district(data["population"], data["meshes"])
    n_d, n_b, n_g = len(districts), len(BANDS), len(AGE_GROUPS)
    groups = tuple(AGE_GROUPS)
    for fy, rows in pop.groupby("fiscal_year", sort=True):
        body = np.zeros((n_d, len(SEXES), n_b))
        d_idx = pd.Index(districts).get_indexer(rows["district_id"].astype(str))
        s_idx = pd.Index(SEXES).get_indexer(rows["sex"].astype(str))
        band = np.minimum(rows["age"].to_numpy() // BAND, n_b - 1)
        keep = (d_idx >= 0) & (s_idx >= 0)
        np.add.at(body, (d_idx[keep], s_idx[keep], band[keep]), rows["population"].to_numpy()[keep])
        dg = np.stack([body[:, :, GROUP_OF_BAND == g].sum(axis=(1, 2)) for g in range(n_g)], axis=1)

        def add(part, values, *axes, fy=fy):
            return b.table(population_table(fy, part), values, axes)

        D, S, B, G = ("district_id", districts), ("sex", SEXES), ("age_band", BANDS), ("age_group", groups)
        cells = add("cells", body, D, S, B)
        district_sex = add("district_sex", body.sum(2), D, S)
        band_sex = add("band_sex", body.sum(0).T, B, S)
        sex = add("sex", body.sum((0, 2)), S)
        district_group = add("district_group", dg, D, G)
        district = add("district", body.sum((1, 2)), D)
        group = add("group", dg.sum(0), G)
        city = int(add("city", np.array([body.sum()]), ("city", (TOTAL,)))[0])
        b.body("population", population_table(fy, "cells"), population_table(fy, "city"))
        for d in range(n_d):
            for s in range(len(SEXES)):
                b.sums(cells[d, s, :], district_sex[d, s])
            for g in range(n_g):
                b.sums(cells[d, :, GROUP_OF_BAND == g], district_group[d, g])
            b.sums(district_group[d, :], district[d])
            b.sums(district_sex[d, :], district[d])
        for bi in range(n_b):
            for s in range(len(SEXES)):
                b.sums(cells[:, s, bi], band_sex[bi, s])
        for s in range(len(SEXES)):
            b.sums(band_sex[:, s], sex[s])
            b.sums(district_sex[:, s], sex[s])
        for g in range(n_g):
            b.sums(district_group[:, g], group[g])
            b.sums(band_sex[GROUP_OF_BAND == g, :], group[g])
        b.sums(district, city)
        b.sums(group, city)
        b.sums(sex, city)
        if fy == pop["fiscal_year"].max():
            _mesh_table(b, fy, rows, data["meshes"], districts, district)


def _mesh_table(b: PublicationBuilder, fy: int, rows: pd.DataFrame, meshes: pd.DataFrame,
                districts: tuple[str, ...], district: np.ndarray) -> None:
    """Residents per mesh of the mesh table (zeros included), in district order, each district's
    meshes summing to its published total."""
    m = meshes.assign(district_id=meshes["district_id"].astype(str), mesh_code=meshes["mesh_code"].astype(str))
    m = m[m["district_id"].isin(districts)].drop_duplicates("mesh_code").sort_values(["district_id", "mesh_code"])
    counts = rows.groupby(rows["mesh_code"].astype(str))["population"].sum()
    values = counts.reindex(m["mesh_code"]).fillna(0).to_numpy()
    cells = b.table(population_table(fy, "mesh"), values, [("mesh_code", tuple(m["mesh_code"]))])
    d_idx = pd.Index(districts).get_indexer(m["district_id"])
    for d in range(len(districts)):
        b.sums(cells[d_idx == d], district[d])


def residents_outlook(pub: Publication, projection: PopulationProjection, every: int = 5) -> pd.DataFrame:
    """City residents by fiscal year: the published total of the projection's base year, then
    the projection's city totals every ``every`` years. ``fiscal_year``, ``residents`` (float;
    NaN where the published total is hidden) and ``residents_label``: the published label for
    the base year, the projection rounded to hundreds (an estimate) after it."""
    base = int(projection.table["fiscal_year"].min())
    name = population_table(base, "city")
    shown = pub.get(name) if pub.has(name) else None
    future = projection.table[projection.table["fiscal_year"] > base].groupby("fiscal_year")["population"].sum()
    future = future[(future.index - base) % every == 0]
    out = pd.DataFrame({"fiscal_year": [base, *future.index.astype(int)],
                        "residents": [float(shown.value[0]) if shown is not None else np.nan,
                                      *future.round(-2).astype(float)]})
    out["residents_label"] = [str(shown.label[0]) if shown is not None else "—",
                              *(f"{v:,.0f}" for v in out["residents"].iloc[1:])]
    return out


def published_mesh_residents(pub: Publication, meshes: pd.DataFrame) -> pd.DataFrame:
    """Residents per mesh for the latest year, from the publication only: ``mesh_code``,
    ``district_id``, ``residents`` (float) and ``published`` (False where the count is hidden).

    A hidden mesh gets an estimate: its district's published total less the district's shown
    meshes, spread evenly over the district's hidden meshes (``(threshold − 1) / 2`` each when
    the district total is hidden too). Everything here is a function of published figures and
    the public mesh table, so figures derived from it (residents beyond a distance of a
    facility) disclose nothing the publication does not; they are estimates where a mesh is
    hidden. Empty when the publication holds no mesh table.
    """
    columns = ["mesh_code", "district_id", "residents", "published"]
    names = [n for n in pub.names("population/") if n.endswith("/mesh")]
    if not names:
        return pd.DataFrame(columns=columns)
    name = max(names, key=lambda n: int(n.split("/")[1]))
    fy = int(name.split("/")[1])
    shown = pub.get(name)
    lookup = (meshes.assign(mesh_code=meshes["mesh_code"].astype(str)).drop_duplicates("mesh_code")
              .set_index("mesh_code")["district_id"].astype(str))
    out = pd.DataFrame({"mesh_code": list(pub.axes(name)["mesh_code"])})
    out["district_id"] = out["mesh_code"].map(lookup).to_numpy()
    out["residents"] = shown.value.astype(float)
    out["published"] = ~shown.hidden
    district = pub.frame(population_table(fy, "district"), "total").set_index("district_id")["total"]
    shown_sum = out["residents"].groupby(out["district_id"]).sum()
    n_hidden = (~out["published"]).groupby(out["district_id"]).sum()
    remainder = (district.reindex(shown_sum.index) - shown_sum).clip(lower=0)
    each = (remainder / n_hidden.where(n_hidden > 0)).fillna((pub.threshold - 1) / 2)
    out.loc[~out["published"], "residents"] = out.loc[~out["published"], "district_id"].map(each).to_numpy(float)
    return out


def published_residents(pub: Publication) -> pd.DataFrame:
    """Residents by fiscal year × district × sex × single age 0–100, from the publication only.

    Per year, the published district × sex × 5-year table with its hidden cells estimated from
    the published margins and the city's total (:func:`analytics.core.publication.fill_hidden`;
    prior: the district's residents of that sex — a hidden district's share of what the city's
    total leaves — × the city's age shape of that sex, the year before's where it is hidden),
    then graduated to single ages (:func:`graduate_ages`); children aged 0–9 follow the
    district's published births and their cohorts instead (:func:`_split_children`). Columns
    ``fiscal_year, district_id, sex, age, population`` (float, expected persons) — the stocks
    :func:`project_population` takes. Empty when the publication holds no population."""
    frames = []
    change = published_change(pub)
    previous = None
    last_shape = None  # the age shape of the year before, where this year's is hidden
    for fy in population_years(pub):
        cells, ds = pub.get(population_table(fy, "cells")).value, pub.get(population_table(fy, "district_sex")).value
        bs, sex = pub.get(population_table(fy, "band_sex")).value, pub.get(population_table(fy, "sex")).value
        district = pub.get(population_table(fy, "district")).value
        city = pub.get(population_table(fy, "city")).value[0]
        districts = pub.axes(population_table(fy, "cells"))["district_id"]
        shape = bs.T / np.where(sex > 0, sex, np.nan)[:, None]  # (S, B) age shape by sex
        fallback = last_shape if last_shape is not None else np.full(shape.shape, 1.0 / shape.shape[1])
        shape = np.where(np.isfinite(shape), shape, fallback)
        # a hidden district takes its share of what the city's total leaves (0 would keep it empty)
        district_prior = share_remainder(district, city)
        weight = np.where(np.isnan(ds), district_prior[:, None] / len(SEXES), ds)
        prior = weight[:, :, None] * shape[None]
        filled = fill_hidden(cells, [((0, 1), ds), ((1, 2), bs.T), ((0,), district), ((), np.asarray(city))],
                             prior)
        last_shape = filled.sum(0) / np.maximum(filled.sum((0, 2)), 1e-9)[:, None]
        single = graduate_ages(filled)  # (D, S, 101)
        births = _births_of(change, list(districts), fy - 1)
        carried = previous[2] if previous is not None and previous[0] == fy - 1 and \
            list(previous[1]) == list(districts) else None
        single[:, :, :2 * BAND] = _split_children(filled[:, :, :2], births, carried, single[:, :, :2 * BAND])
        previous = (fy, districts, single)
        n_d, n_s, n_a = single.shape
        frames.append(pd.DataFrame({
            "fiscal_year": int(fy),
            "district_id": np.repeat(np.array(districts, dtype=object), n_s * n_a),
            "sex": np.tile(np.repeat(np.array(SEXES, dtype=object), n_a), n_d),
            "age": np.tile(np.arange(n_a), n_d * n_s),
            "population": single.ravel(),
        }))
    columns = ["fiscal_year", "district_id", "sex", "age", "population"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def published_change(pub: Publication) -> pd.DataFrame:
    """Births, deaths and moves by district × fiscal year from the publication only: hidden
    cells estimated from the published district and year totals of their measure
    (:func:`analytics.core.publication.fill_hidden`; prior: the district's share of the measure ×
    the year's total). Columns as the ``population_change`` dataset (floats); empty when the
    publication holds none."""
    columns = ["district_id", "fiscal_year", *CHANGE_MEASURES, "net_migration"]
    if not pub.has("population_change/cells"):
        return pd.DataFrame(columns=columns)
    cells = pub.get("population_change/cells").value  # (M, D, Y)
    dt, yt = pub.get("population_change/district_total").value, pub.get("population_change/year_total").value
    grand = pub.get("population_change/grand_total").value
    axes = pub.axes("population_change/cells")
    out = {}
    for m, name in enumerate(CHANGE_MEASURES):
        d_total = share_remainder(dt[m], grand[m])  # hidden districts share what the grand total leaves
        d_share = d_total / max(float(d_total.sum()), 1.0)
        y_total = np.where(np.isnan(yt[m]), np.nan_to_num(grand[m]) / max(len(yt[m]), 1), yt[m])
        prior = d_share[:, None] * y_total[None, :]
        out[name] = fill_hidden(cells[m], [((0,), dt[m]), ((1,), yt[m])], prior).ravel()
    index = pd.MultiIndex.from_product([axes["district_id"], axes["fiscal_year"]], names=["district_id", "fiscal_year"])
    frame = pd.DataFrame(out, index=index).reset_index()
    frame["fiscal_year"] = frame["fiscal_year"].astype(int)
    frame["net_migration"] = frame["moved_in"] - frame["moved_out"]
    return frame[columns]


def published_projection(pub: Publication, params: ProjectionParams | None = None) -> PopulationProjection:
    """:func:`project_population` of the published residents and population change
    (:func:`published_residents`, :func:`published_change`): the projection every page shows,
    a function of the publication alone."""
    return project_population(published_residents(pub), published_change(pub), None, params or ProjectionParams())


def change_block(b: PublicationBuilder, data: Mapping[str, pd.DataFrame]) -> None:
    """Add births, deaths and moves by district × fiscal year with their totals, and the
    demographic balance linking them to the published residents.

    Where both April-1 stocks around a fiscal year are published, the balance is an
    equation between published cells (``end − start − births + deaths − in + out = 0``);
    otherwise the change of residents is taken as known to the reader from elsewhere,
    which protects more.
    """
    if "population_change" not in data:
        return
    change = data["population_change"]
    districts = publication_districts(data)
    years = tuple(int(y) for y in sorted(change["fiscal_year"].unique()))
    n_m, n_d, n_y = len(CHANGE_MEASURES), len(districts), len(years)
    body = np.zeros((n_m, n_d, n_y))
    d_idx = pd.Index(districts).get_indexer(change["district_id"].astype(str))
    y_idx = pd.Index(years).get_indexer(change["fiscal_year"].astype(int))
    for m, name in enumerate(CHANGE_MEASURES):
        np.add.at(body[m], (d_idx, y_idx), change[name].to_numpy(dtype=float))
    M, D, Y = ("measure", CHANGE_MEASURES), ("district_id", districts), ("fiscal_year", years)
    cells = b.table("population_change/cells", body, [M, D, Y])
    district_total = b.table("population_change/district_total", body.sum(2), [M, D])
    year_total = b.table("population_change/year_total", body.sum(1), [M, Y])
    grand_total = b.table("population_change/grand_total", body.sum((1, 2)), [M])
    b.body("population_change", "population_change/cells", "population_change/grand_total")
    for m in range(n_m):
        for d in range(n_d):
            b.sums(cells[m, d, :], district_total[m, d])
        for y in range(n_y):
            b.sums(cells[m, :, y], year_total[m, y])
        b.sums(district_total[m], grand_total[m])
        b.sums(year_total[m], grand_total[m])
    # The balance, measures in CHANGE_MEASURES order: births − deaths + in − out = Δ residents.
    signs = np.array([1.0, -1.0, 1.0, -1.0])
    # Flows summed over all years equal a change of residents that may be known from elsewhere.
    for d in range(n_d):
        b.known_sum(district_total[:, d], signs)
    b.known_sum(grand_total, signs)
    for y, fy in enumerate(years):
        start, end = population_table(fy, "district"), population_table(fy + 1, "district")
        linked = b.has(start) and b.has(end)
        city_start, city_end = population_table(fy, "city"), population_table(fy + 1, "city")
        for d in range(n_d):
            if linked:  # end − start − (births − deaths + in − out) = 0
                b.equation([*cells[:, d, y], b.index(start)[d], b.index(end)[d]], [*-signs, -1.0, 1.0])
            else:
                b.known_sum(cells[:, d, y], signs)
        if linked:
            b.equation([*year_total[:, y], b.index(city_start)[0], b.index(city_end)[0]], [*-signs, -1.0, 1.0])
        else:
            b.known_sum(year_total[:, y], signs)


def population_download(pub: Publication, total_label: str = TOTAL) -> pd.DataFrame:
    """Residents by fiscal year × district × sex × 5-year age group, with district and
    age-group totals (``total_label``), as display strings (a number, ``<10`` or ``χ``)."""
    frames = []
    for fy in population_years(pub):
        cells, ds = pub.get(population_table(fy, "cells")), pub.get(population_table(fy, "district_sex"))
        bs, sex = pub.get(population_table(fy, "band_sex")), pub.get(population_table(fy, "sex"))
        districts = list(pub.axes(population_table(fy, "cells"))["district_id"])
        for s, code in enumerate(SEXES):
            table = pd.DataFrame(cells.label[:, s, :], index=districts, columns=list(BANDS))
            table[total_label] = ds.label[:, s]
            table.loc[total_label] = [*bs.label[:, s], sex.label[s]]
            long = table.rename_axis(index="district_id", columns="age_band").stack().rename("population").reset_index()
            long.insert(0, "fiscal_year", int(fy))
            long.insert(2, "sex", code)
            frames.append(long)
    columns = ["fiscal_year", "district_id", "sex", "age_band", "population"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return mark_counts(out, ["population"])


def change_download(pub: Publication, total_label: str = TOTAL) -> pd.DataFrame:
    """Births, deaths, moves and net migration by district × fiscal year with totals, as strings.

    Net migration is shown only where both moves are shown (it would reveal a hidden one).
    """
    if not pub.has("population_change/cells"):
        return pd.DataFrame(columns=["district_id", "fiscal_year", *CHANGE_MEASURES, "net_migration"])
    cells, dt = pub.get("population_change/cells"), pub.get("population_change/district_total")
    yt, grand = pub.get("population_change/year_total"), pub.get("population_change/grand_total")
    axes = pub.axes("population_change/cells")
    rows = list(axes["district_id"]) + [total_label]
    cols = [str(y) for y in axes["fiscal_year"]] + [total_label]
    out, values = {}, {}
    for m, name in enumerate(CHANGE_MEASURES):
        out[name] = np.vstack([np.column_stack([cells.label[m], dt.label[m]]),
                               np.append(yt.label[m], grand.label[m])]).ravel()
        values[name] = np.vstack([np.column_stack([cells.value[m], dt.value[m]]),
                                  np.append(yt.value[m], grand.value[m])]).ravel()
    net = values["moved_in"] - values["moved_out"]
    out["net_migration"] = np.where(np.isnan(net), privacy.SECONDARY_LABEL,
                                    [f"{v:,.0f}" if np.isfinite(v) else "" for v in net])
    index = pd.MultiIndex.from_product([rows, cols], names=["district_id", "fiscal_year"])
    return mark_counts(pd.DataFrame(out, index=index).reset_index(), list(CHANGE_MEASURES))
