"""An intruder with only what a user gets: the downloads (as CSV text) and the home page.

The intruder knows what every label means (``<10`` is 1–9 because zeros are shown; ``χ`` is
hidden to protect another count, hence ≥ 10), has read our code, and writes every relation
between the published counts from their meaning — written here independently of the
publication's own relation list. A linear programme (HiGHS) then gives the min and max of
every hidden count. The guarantee the README states is what this file checks: every ``<10``
count keeps the whole range 1–9, except where the labels themselves already say less (a
small count inside a small total, ``2 + 3 = <10``), and then it keeps all the labels allow.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from analytics import nursery, registry
from analytics.catalog import Catalog
from analytics.city import city_overview
from analytics.core.downloads import csv_bytes

T = "合計"
BANDS = [f"{a}-{a + 4}" for a in range(0, 100, 5)] + ["100+"]
GROUPS = {"age_0_14": BANDS[:3], "age_15_64": BANDS[3:13], "age_65_plus": BANDS[13:]}
MEASURES = ("births", "deaths", "moved_in", "moved_out")
NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*$")


class Intruder:
    """Unknowns and relations, as an intruder writes them from what is shown."""

    def __init__(self, threshold: int):
        self.t = threshold
        self.index: dict[tuple, int] = {}
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.label: list[str] = []
        self.eq: list[tuple[dict[int, float], float]] = []  # Σ coef·x = rhs
        self.le: list[tuple[dict[int, float], float]] = []  # Σ coef·x ≤ rhs
        self.from_numbers: set[int] = set()  # rows of le that a shown number (a rounded ratio) gives
        self.known: set[int] = set()  # counts known from elsewhere (e.g. facilities' published enrolment)

    def count(self, key: tuple, text: str) -> int:
        """A published count: a number, ``<t`` or ``χ`` (the same key twice must say the same)."""
        text = str(text)
        if key in self.index:
            assert self.label[self.index[key]] == text, (key, text, self.label[self.index[key]])
            return self.index[key]
        if NUMBER.match(text):
            lo = hi = float(text.replace(",", ""))
        elif text == f"<{self.t}":
            lo, hi = 1.0, self.t - 1.0
        elif text == "χ":
            lo, hi = float(self.t), np.inf
        else:
            raise AssertionError(f"unreadable count {text!r} at {key}")
        self.index[key] = len(self.lo)
        self.lo.append(lo)
        self.hi.append(hi)
        self.label.append(text)
        return self.index[key]

    def know(self, key: tuple, value: float) -> None:
        """A count the intruder knows from outside the publication, whatever its label."""
        k = self.index[key]
        self.lo[k] = self.hi[k] = float(value)
        self.known.add(k)

    def equal(self, terms: dict[int, float], rhs: float = 0.0) -> None:
        merged: dict[int, float] = defaultdict(float)
        for k, c in terms.items():
            merged[k] += c
        self.eq.append((dict(merged), rhs))

    def total(self, parts: list[int], whole: int) -> None:
        terms: dict[int, float] = defaultdict(float)
        for p in parts:
            terms[p] += 1.0
        terms[whole] -= 1.0
        self.eq.append((dict(terms), 0.0))

    def ratio(self, num: list[int], den: list[int], shown: float, half_width: float) -> None:
        """A shown ratio ``Σ num / Σ den`` rounded to ``shown ± half_width``: two linear bounds."""
        for sign, bound in ((1.0, shown + half_width), (-1.0, shown - half_width)):
            terms: dict[int, float] = defaultdict(float)
            for k in num:
                terms[k] += sign
            for k in den:
                terms[k] -= sign * bound
            self.from_numbers.add(len(self.le))
            self.le.append((dict(terms), 0.0))

    def ranges(self, which: list[int]) -> dict[int, tuple[float, float]]:
        """Min and max of each unknown in ``which`` over everything known (LP per component)."""
        lo, hi = np.array(self.lo), np.array(self.hi)
        known = lo == hi
        unknown = np.flatnonzero(~known)
        col = {int(k): i for i, k in enumerate(unknown)}

        def matrix(rows):
            r, c, v, b = [], [], [], []
            for i, (terms, rhs) in enumerate(rows):
                b.append(rhs - sum(coef * lo[k] for k, coef in terms.items() if known[k]))
                for k, coef in terms.items():
                    if not known[k] and coef:
                        r.append(i)
                        c.append(col[k])
                        v.append(coef)
            return sp.csr_array((v, (r, c)), shape=(len(rows), len(unknown))), np.array(b)

        a_eq, b_eq = matrix(self.eq)
        a_le, b_le = matrix(self.le)
        inc = sp.vstack([a_eq, a_le]).tocsr()
        inc.data[:] = 1
        graph = sp.bmat([[None, inc], [inc.T, None]], format="csr")
        _, labels = connected_components(graph, directed=False)
        comp = labels[inc.shape[0]:]
        out = {}
        by_component: dict[int, list[int]] = defaultdict(list)
        for k in which:
            by_component[int(comp[col[k]])].append(k)
        for c, cells in by_component.items():  # each component's system sliced once, then two LPs a count
            members = np.flatnonzero(comp == c)
            eq_rows = np.flatnonzero(a_eq[:, members].count_nonzero(axis=1))
            le_rows = np.flatnonzero(a_le[:, members].count_nonzero(axis=1))
            a_c, b_c = a_eq[eq_rows][:, members], b_eq[eq_rows]
            g_c = a_le[le_rows][:, members] if len(le_rows) else None
            g_b = b_le[le_rows] if len(le_rows) else None
            bounds = np.column_stack([lo[unknown[members]], hi[unknown[members]]])
            obj = np.zeros(len(members))
            for k in cells:
                res = []
                for sign in (1.0, -1.0):
                    obj[:] = 0
                    obj[np.searchsorted(members, col[k])] = sign
                    r = linprog(obj, A_eq=a_c, b_eq=b_c, A_ub=g_c, b_ub=g_b, bounds=bounds, method="highs")
                    assert r.status == 0, r.message
                    res.append(r.fun * sign)
                out[k] = (res[0], res[1])
        return out


def _as_user_gets_it(df: pd.DataFrame) -> pd.DataFrame:
    """A download as the CSV text a user gets, read back as strings."""
    return pd.read_csv(io.BytesIO(csv_bytes(df)), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _percent(text: str) -> float | None:
    m = re.fullmatch(r"([+-]?\d+\.\d)%", text)
    return float(m.group(1)) if m else None


def intruder_for(data: dict[str, pd.DataFrame], threshold: int, cache=None) -> Intruder:
    """Everything a user sees of ``data`` at ``threshold``: both downloads and the home page
    (``cache``: where the suppression pattern of ``data`` may already be, as the app keeps it)."""
    pub = registry.publish(data, threshold, cache)
    downloads = registry.download_tables(data, pub, T)
    pop = _as_user_gets_it(downloads["population"])
    change = _as_user_gets_it(downloads["population_change"])
    intr = Intruder(threshold)
    years = sorted(pop["fiscal_year"].unique(), key=int)
    districts = [d for d in pop["district_id"].unique() if d != T]

    def p(fy, d, s, b):
        return intr.index[("pop", fy, d, s, b)]

    for row in pop.itertuples(index=False):
        intr.count(("pop", row.fiscal_year, row.district_id, row.sex, row.age_band), row.population)
    for fy in years:
        for s in ("M", "F"):
            for d in [*districts, T]:
                intr.total([p(fy, d, s, b) for b in BANDS], p(fy, d, s, T))
            for b in [*BANDS, T]:
                intr.total([p(fy, d, s, b) for d in districts], p(fy, T, s, b))
    for row in change.itertuples(index=False):
        for m in MEASURES:
            intr.count(("chg", m, row.district_id, row.fiscal_year), getattr(row, m))
    change_years = [y for y in change["fiscal_year"].unique() if y != T]
    for m in MEASURES:
        for d in [*districts, T]:
            intr.total([intr.index[("chg", m, d, y)] for y in change_years], intr.index[("chg", m, d, T)])
        for y in [*change_years, T]:
            intr.total([intr.index[("chg", m, d, y)] for d in districts], intr.index[("chg", m, T, y)])
    # The balance where both April-1 stocks are published: residents(y+1) − residents(y) = flows.
    for y in change_years:
        start, end = y, str(int(y) + 1)
        if start in years and end in years:
            for d in [*districts, T]:
                terms = {p(end, d, s, T): 1.0 for s in ("M", "F")}
                terms.update({p(start, d, s, T): -1.0 for s in ("M", "F")})
                for m, sign in zip(MEASURES, (-1.0, 1.0, -1.0, 1.0), strict=True):
                    terms[intr.index[("chg", m, d, y)]] = sign
                intr.equal(terms)

    if "nursery_applications" in downloads:
        _nursery(intr, _as_user_gets_it(downloads["nursery_applications"]))
        _enrolment(intr, data)
    if "checkups" in downloads:
        _checkups(intr, _as_user_gets_it(downloads["checkups"]))

    # The home page: headline, trend chart, district table and map (latest year).
    ov = city_overview(pub, data["districts"])
    latest, first = str(ov.fiscal_year), str(ov.first_fiscal_year)
    for fy, row in ov.by_year.set_index("fiscal_year").iterrows():
        for g, bands in GROUPS.items():
            shown = row[g]
            k = intr.count(("group", str(fy), g), "χ" if np.isnan(shown) else f"{shown:,.0f}")
            if not np.isnan(shown):
                intr.total([p(str(fy), T, s, b) for s in ("M", "F") for b in bands], k)
    for row in ov.districts.itertuples(index=False):
        d = row.district_id
        total = intr.count(("district", latest, d), row.population_label)
        intr.total([p(latest, d, s, T) for s in ("M", "F")], total)
        child = intr.count(("child", latest, d), row.age_0_14_label)
        intr.total([p(latest, d, s, b) for s in ("M", "F") for b in GROUPS["age_0_14"]], child)
        old = [p(latest, d, s, b) for s in ("M", "F") for b in GROUPS["age_65_plus"]]
        if not np.isnan(row.ageing_rate):  # shown as 29.0%: a bound on the 65+ count
            intr.ratio(old, [total], round(row.ageing_rate * 1000) / 1000, 0.0005)
        if not np.isnan(row.change_pct):  # shown as -3.1%: a bound on the first year's residents
            pct = round(row.change_pct, 1)
            intr.ratio([total], [p(first, d, s, T) for s in ("M", "F")], 1 + pct / 100, 0.0005)
    return intr


NURSERY_BANDS = {"0": ["0"], "1-2": ["1", "2"], "3-5": ["3", "4", "5"]}
EXCLUSIONS = ("local_program", "parental_leave", "job_search_paused", "specific_only")


def _nursery(intr: Intruder, table: pd.DataFrame) -> None:
    """The nursery download: district × band (applications, not placed, official) and the city by
    age with every step of the count; the relations follow from what the columns mean."""
    def n(*key):
        return intr.index[("nur", *key)]

    by_district = table[table["district_id"] != T]
    city = table[table["district_id"] == T]
    for row in by_district.itertuples(index=False):
        for m in ("applications", "not_admitted", "official"):
            intr.count(("nur", row.fiscal_year, row.district_id, row.age_band, m), getattr(row, m))
    measures = ("applications", "admitted", "not_admitted", *EXCLUSIONS, "official", "hidden")
    for row in city.itertuples(index=False):
        for m in measures:
            intr.count(("nur", row.fiscal_year, T, row.age, m), getattr(row, m))
    for fy in city["fiscal_year"].unique():
        districts = by_district.loc[by_district["fiscal_year"] == fy, "district_id"].unique()
        ages = [*(a for ages in NURSERY_BANDS.values() for a in ages), T]
        for a in ages:
            intr.total([n(fy, T, a, "admitted"), n(fy, T, a, "not_admitted")], n(fy, T, a, "applications"))
            intr.total([n(fy, T, a, "official"), n(fy, T, a, "hidden")], n(fy, T, a, "not_admitted"))
            intr.total([n(fy, T, a, e) for e in EXCLUSIONS], n(fy, T, a, "hidden"))
        for m in measures:
            intr.total([n(fy, T, a, m) for a in ages[:-1]], n(fy, T, T, m))
        for band, band_ages in NURSERY_BANDS.items():
            for m in ("applications", "not_admitted", "official"):
                terms = {n(fy, d, band, m): 1.0 for d in districts}
                terms.update({n(fy, T, a, m): -1.0 for a in band_ages})
                intr.equal(terms)
    _reaches(intr, table)


def _reaches(intr: Intruder, table: pd.DataFrame) -> None:
    """The official waitlist at other reaches (``official_{r}km``; ``hidden_{r}km`` for the city):
    the same sums as at the default reach (2 km, the ``official`` column), official + hidden =
    not placed, and a farther reach's official waitlist is part of a nearer one's, the nearest
    part of the children not placed."""
    def n(*key):
        return intr.index[("nur", *key)]

    reach_cols = sorted((c for c in table.columns if re.fullmatch(r"official_\d+km", c)),
                        key=lambda c: int(c[9:-2]))
    reaches = sorted([*(int(c[9:-2]) for c in reach_cols), 2])
    col = {r: ("official" if r == 2 else f"official_{r}km") for r in reaches}
    rows = table[table[reach_cols[0]] != ""] if reach_cols else table.iloc[:0]
    for row in rows.itertuples(index=False):
        where = row.age_band if row.district_id != T else row.age
        for r in reaches:
            if r != 2:
                intr.count(("nur", row.fiscal_year, row.district_id, where, f"official@{r}"), getattr(row, col[r]))
        cells = [n(row.fiscal_year, row.district_id, where, "official" if r == 2 else f"official@{r}")
                 for r in reaches]
        intr.le.append(({cells[0]: 1.0, n(row.fiscal_year, row.district_id, where, "not_admitted"): -1.0}, 0.0))
        for near, far in zip(cells, cells[1:], strict=False):
            intr.le.append(({far: 1.0, near: -1.0}, 0.0))
        if row.district_id == T and row.age == T:
            for r in reaches:
                if r != 2:
                    hid = intr.count(("nur", row.fiscal_year, T, T, f"hidden@{r}"), getattr(row, f"hidden_{r}km"))
                    intr.total([n(row.fiscal_year, T, T, f"official@{r}"), hid],
                               n(row.fiscal_year, T, T, "not_admitted"))
    for fy in rows["fiscal_year"].unique():
        this = rows[rows["fiscal_year"] == fy]
        districts = this.loc[this["district_id"] != T, "district_id"].unique()
        for r in (r for r in reaches if r != 2):
            key = f"official@{r}"
            intr.total([n(fy, T, a, key) for ages in NURSERY_BANDS.values() for a in ages], n(fy, T, T, key))
            for band, band_ages in NURSERY_BANDS.items():
                terms = {n(fy, d, band, key): 1.0 for d in districts}
                terms.update({n(fy, T, a, key): -1.0 for a in band_ages})
                intr.equal(terms)


def _enrolment(intr: Intruder, data: dict[str, pd.DataFrame]) -> None:
    """Facilities publish their enrolment by age (空き状況): the children admitted to authorised
    facilities by age are known to the intruder, whatever the download's label says."""
    capacity = data["nursery_capacity"].merge(data["nurseries"][["facility_id", "facility_type"]], on="facility_id")
    authorised = capacity[capacity["facility_type"].isin(nursery.AUTHORISED_TYPES)]
    enrolled = authorised.groupby(["fiscal_year", "child_age"])["enrolled"].sum()
    for (fy, age), value in enrolled.items():
        key = ("nur", str(fy), T, str(age), "admitted")
        if key in intr.index:
            intr.know(key, value)


def _checkups(intr: Intruder, table: pd.DataFrame) -> None:
    """The checkups download: insured and attendees by fiscal year × district × sex × band with
    district, band × sex and city totals; attendees never exceed the insured of their row."""
    def n(*key):
        return intr.index[("hc", *key)]

    for row in table.itertuples(index=False):
        for m in ("eligible", "attended"):
            intr.count(("hc", row.fiscal_year, row.district_id, row.sex, row.age_band, m), getattr(row, m))
        le = {n(row.fiscal_year, row.district_id, row.sex, row.age_band, "attended"): 1.0,
              n(row.fiscal_year, row.district_id, row.sex, row.age_band, "eligible"): -1.0}
        intr.le.append((le, 0.0))
    for fy, rows in table.groupby("fiscal_year"):
        districts = [d for d in rows["district_id"].unique() if d != T]
        cells = rows[(rows["district_id"] != T) & (rows["sex"] != T)]
        pairs = cells[["sex", "age_band"]].drop_duplicates().itertuples(index=False)
        pairs = [(p.sex, p.age_band) for p in pairs]
        for m in ("eligible", "attended"):
            for d in districts:
                intr.total([n(fy, d, s, b, m) for s, b in pairs], n(fy, d, T, T, m))
            for s, b in pairs:
                intr.total([n(fy, d, s, b, m) for d in districts], n(fy, T, s, b, m))
            intr.total([n(fy, d, T, T, m) for d in districts], n(fy, T, T, T, m))
            intr.total([n(fy, T, s, b, m) for s, b in pairs], n(fy, T, T, T, m))


def _check(intr: Intruder) -> tuple[int, list]:
    small = [k for k, lab in enumerate(intr.label) if lab == f"<{intr.t}" and k not in intr.known]
    ranges = intr.ranges(small)
    narrow = [(k, r) for k, r in ranges.items() if r[0] > 1 + 1e-6 or r[1] < intr.t - 1 - 1e-6]
    return len(small), narrow


def _labels_only(intr: Intruder, cells: list[int]) -> dict[int, tuple[float, float]]:
    """The same intruder if no number were shown: every non-zero count an unknown with its label's
    bounds (numbers ≥ threshold read as χ)."""
    blind = Intruder(intr.t)
    blind.lo = [lo if lo == 0 or k in intr.known else (lo if lab.startswith("<") else float(intr.t))
                for k, (lo, lab) in enumerate(zip(intr.lo, intr.label, strict=True))]
    blind.hi = [hi if (lo == 0 and hi == 0) or k in intr.known else (hi if lab.startswith("<") else np.inf)
                for k, (lo, hi, lab) in enumerate(zip(intr.lo, intr.hi, intr.label, strict=True))]
    blind.label, blind.eq = intr.label, intr.eq
    # a part never exceeds its whole whatever the numbers; a rounded ratio is a shown number
    blind.le = [row for i, row in enumerate(intr.le) if i not in intr.from_numbers]
    return blind.ranges(cells)


@pytest.mark.parametrize(("which", "threshold"), [("default", 10), ("small", 100)])
def test_the_synthetic_city_leaks_nothing_beyond_its_labels(which, threshold, small_city, published_small_city) -> None:
    """The default city at the default threshold, and the small city at 100 (most district counts
    hidden; its publication is the one the session built, read from its cache)."""
    cat = Catalog() if which == "default" else Catalog(small_city)
    intr = intruder_for(cat.data(), threshold, cat.publication_cache(threshold))
    n_small, narrow = _check(intr)
    small = f"<{threshold}"
    assert n_small > 100  # not vacuous: many small counts
    small_children = sum(1 for key, k in intr.index.items() if key[0] == "nur" and intr.label[k] == small)
    assert small_children > 50  # the nursery download is read too, with its own small counts
    small_reach = sum(1 for key, k in intr.index.items()
                      if key[0] == "nur" and str(key[-1]).startswith("official@") and intr.label[k] == small)
    assert small_reach > 10  # and its official waitlist at the other reaches
    small_checkups = sum(1 for key, k in intr.index.items() if key[0] == "hc" and intr.label[k] == small)
    assert small_checkups > 10  # and the checkups download, with its own
    if narrow:  # only where the labels alone already say as much
        blind = _labels_only(intr, [k for k, _ in narrow])
        worse = [(k, r, blind[k]) for k, r in narrow if r[0] > blind[k][0] + 1e-6 or r[1] < blind[k][1] - 1e-6]
        assert not worse, worse[:5]


def _one_district(rows: list[tuple[str, int, int]]) -> dict[str, pd.DataFrame]:
    meshes = pd.DataFrame({"mesh_code": ["m1", "m2"], "district_id": ["D001", "D002"]})
    population = pd.DataFrame([(2026, m, "F", age, n) for m, age, n in rows],
                              columns=["fiscal_year", "mesh_code", "sex", "age", "population"])
    districts = pd.DataFrame({"district_id": ["D001", "D002"], "name_ja": ["一", "二"], "name_en": ["A", "B"],
                              "area_type": ["core", "core"], "area_km2": [1.0, 1.0]})
    change = pd.DataFrame({"district_id": ["D001", "D002"], "fiscal_year": [2025, 2025], "births": [40, 50],
                           "deaths": [30, 30], "moved_in": [100, 120], "moved_out": [90, 80],
                           "net_migration": [10, 40]})
    return {"districts": districts, "meshes": meshes, "population": population, "population_change": change}


@pytest.mark.fast
def test_the_line_the_old_rule_lost_is_protected() -> None:
    # D001 women: 0-4 = 1, 5-9 = 10, 30-34 = 500 (total 511). The old rule hid 10 beside the 1,
    # and "511 − 500 = 11 = χ + <10" gave χ = 10, <10 = 1. Now the 1 keeps 1–9.
    data = _one_district([("m1", 2, 1), ("m1", 7, 10), ("m1", 32, 500), ("m2", 32, 700), ("m2", 3, 300)])
    intr = intruder_for(data, 10)
    n_small, narrow = _check(intr)
    assert n_small >= 1 and narrow == []


@pytest.mark.fast
def test_the_intruder_is_not_blind() -> None:
    """With the protection switched off (primary suppression only) the same intruder finds the 1."""
    data = _one_district([("m1", 2, 1), ("m1", 7, 10), ("m1", 32, 500), ("m2", 32, 700), ("m2", 3, 300)])
    intr = intruder_for(data, 10)
    # reveal every complementary count (χ) of the residents table: what a primary-only rule shows
    pub = registry.publish(data, 10)
    assert pub.hidden.sum() > pub.primary.sum()  # there were complementary cells to reveal
    true = data["population"].merge(data["meshes"], on="mesh_code")
    for key, k in intr.index.items():
        if intr.label[k] == "χ" and key[0] == "pop":
            _, fy, d, s, b = key
            rows = true[(true["sex"] == s) | (s == T)]
            if d != T:
                rows = rows[rows["district_id"] == d]
            if b != T:
                lo = int(b.split("-")[0].rstrip("+"))
                rows = rows[(rows["age"] >= lo) & (rows["age"] <= lo + 4)]
            value = float(rows["population"].sum())
            intr.lo[k] = intr.hi[k] = value
    _, narrow = _check(intr)
    assert narrow, "revealing the complementary cells must let the intruder narrow a small count"
