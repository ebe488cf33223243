"""Readings depend on people only through the publication: the perturbation test.

Two small cities (scale 0.1) differ only in detail the publication cannot see
(:func:`analytics.core.testing.move_within_published_cells`): children moved between the 500 m meshes
of their district and between single ages of their 5-year group, admitted applicants and a third
of the insured moved between meshes of their district. Every published figure is the same on
both. Every page is then opened on both under the same settings — the scenario knobs swept over
several values, among them the one-site and housing-development readings of the attack that led
here — and must show exactly the same thing, element by element: every count, count estimate,
share, scenario reading, chart value, map feature and download. Only the blocks a page marks as
the estimates of a model fitted on person-level rows (:func:`ui.furniture.model_estimates`) are
not compared. The test does not know any attack: whatever a page reads from people beyond the
publication, moving them makes it differ.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analytics import nursery, registry
from analytics.catalog import Catalog
from tests.apptest import APPTEST_TIMEOUT, each_tab, widget
from tests.page_snapshot import snapshot
from ui.nav import PAGES


def _open(path: str, threshold: int, setup: Callable[[AppTest], None] | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=APPTEST_TIMEOUT)
    at.session_state["lang"] = "ja"
    at.secrets["suppression_threshold"] = threshold
    at.run()
    if path != PAGES[0].path:
        at.switch_page(path).run()
    if setup is not None:
        setup(at)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _one_site_open(families: int) -> Callable[[AppTest], None]:
    """The attack: one candidate site opened by hand, every other ruled out, a housing
    development of ``families`` in a district, planning for the projected year."""
    def setup(at: AppTest) -> None:
        cat = Catalog()  # the city the test points the app at
        sites = list(cat.get("nursery_sites")["site_id"])
        widget(at, "multiselect", "nursery_add").set_value(sites[:1]).run()
        widget(at, "multiselect", "nursery_remove").set_value(sites[1:]).run()
        widget(at, "number_input", "nursery_budget_seats").set_value(40).run()
        widget(at, "selectbox", "nursery_dev_district").set_value(cat.get("districts")["district_id"].iloc[1]).run()
        widget(at, "number_input", "nursery_families").set_value(families).run()
    return setup


def _set(key: str, kind: str, value) -> Callable[[AppTest], None]:
    def setup(at: AppTest) -> None:
        widget(at, kind, key).set_value(value).run()
    return setup


def _nursery_check(at: AppTest) -> None:
    widget(at, "button", "nursery_check").click().run()


def _close_two(at: AppTest) -> None:
    facilities = Catalog().get("facilities")
    halls = facilities.loc[facilities["subcategory"] == "公民館", "facility_id"]
    widget(at, "multiselect", "fac_close").set_value(list(halls[:2])).run()
    widget(at, "select_slider", "fac_beyond").set_value(2000).run()


# (page, what is set, how) — each scenario knob that takes a number over several values
SETTINGS = [
    ("pages/home.py", "default", None),
    ("pages/home.py", "indicator", _set("home_indicator", "segmented_control", "population")),
    ("pages/nursery.py", "default", None),
    ("pages/nursery.py", "one site, 0 families", _one_site_open(0)),
    ("pages/nursery.py", "one site, 500 families", _one_site_open(500)),
    ("pages/nursery.py", "one site, 3000 families", _one_site_open(3000)),
    ("pages/nursery.py", "walk 2000 m", _set("nursery_walk", "select_slider", 2000)),
    ("pages/nursery.py", "budget 1000 places", _set("nursery_budget_seats", "number_input", 1000)),
    ("pages/nursery.py", "official waitlist", _set("nursery_target", "segmented_control", "official")),
    ("pages/nursery.py", "today's waitlist", _set("nursery_projected", "toggle", False)),
    ("pages/nursery.py", "horizon 10", _set("nursery_horizon", "slider", 10)),
    ("pages/nursery.py", "exact check", _nursery_check),
    ("pages/facilities.py", "default", None),
    ("pages/facilities.py", "two closed, 2 km", _close_two),
    ("pages/health.py", "default", None),
    ("pages/health.py", "1,000 letters", _set("health_letters", "slider", 1000)),
    ("pages/health.py", "30,000 standard letters", lambda at: (
        _set("health_target_arm", "segmented_control", "standard")(at),
        _set("health_letters", "slider", 30000)(at))),
    ("pages/data.py", "default", None),
]


def full_settings() -> list[tuple[str, str, Callable[[AppTest], None] | None]]:
    """The sweep of ``make bench`` on the default city: every setting above, and more values of
    each numeric knob (development sizes with three different single sites, every walking step,
    letter budgets)."""
    from analytics.core import geo

    def one_site(k: int, families: int) -> Callable[[AppTest], None]:
        def setup(at: AppTest) -> None:
            sites = list(Catalog().get("nursery_sites")["site_id"])
            widget(at, "multiselect", "nursery_add").set_value([sites[k]]).run()
            widget(at, "multiselect", "nursery_remove").set_value([s for i, s in enumerate(sites) if i != k]).run()
            widget(at, "number_input", "nursery_budget_seats").set_value(40).run()
            widget(at, "number_input", "nursery_families").set_value(families).run()
        return setup

    more = [("pages/nursery.py", f"site {k}, {f} families", one_site(k, f))
            for k in (0, 5, 10) for f in (0, 100, 1000, 5000)]
    more += [("pages/nursery.py", f"walk {w} m", _set("nursery_walk", "select_slider", w)) for w in geo.ACCESS_STEPS_M]
    more += [("pages/health.py", f"{n:,} letters", _set("health_letters", "slider", n)) for n in (5000, 20000, 40000)]
    return SETTINGS + more


def _every_tab(at: AppTest) -> list[tuple[str, Any]]:
    """The page as the settings left it (a button's reading shows in its run only), then every tab
    with those settings (a page draws its open tab only)."""
    out = [(f"set{where}", what) for where, what in snapshot(at)]
    for i in each_tab(at):
        assert not at.exception, [e.value for e in at.exception]
        out += [(f"tab {i}{where}", what) for where, what in snapshot(at)]
    return out


def differences(path: str, setup, threshold: int, city: Path, moved: Path) -> tuple[int, list[tuple[str, Any, Any]]]:
    """Open ``path`` with ``setup`` on both cities (``EBPM_DATA_DIR`` set for each run, then put
    back): the number of elements compared and those that differ."""
    before_env = os.environ.get(registry.DATA_DIR_ENV)
    try:
        os.environ[registry.DATA_DIR_ENV] = str(city)
        before = _every_tab(_open(path, threshold, setup))
        os.environ[registry.DATA_DIR_ENV] = str(moved)
        after = _every_tab(_open(path, threshold, setup))
    finally:
        if before_env is None:
            os.environ.pop(registry.DATA_DIR_ENV, None)
        else:
            os.environ[registry.DATA_DIR_ENV] = before_env
    assert len(before) == len(after), (path, len(before), len(after))
    return len(before), [(w, a, b) for (w, a), (_, b) in zip(before, after, strict=True) if a != b]


def test_every_page_is_swept():
    assert {path for path, _, _ in SETTINGS} == {spec.path for spec in PAGES}


def test_the_two_cities_publish_exactly_the_same(published_small_city, small_city, small_city_moved):
    for threshold in (10, 100):
        a, b = published_small_city[(small_city, threshold)], published_small_city[(small_city_moved, threshold)]
        assert np.array_equal(a.shown, b.shown, equal_nan=True) and np.array_equal(a.labels, b.labels)
        assert list(a.tables) == list(b.tables)


def test_the_cities_differ_where_the_publication_cannot_see(small_city, small_city_moved):
    """Not vacuous: children per mesh and per single age differ, and a scenario that spread
    waiting children by the children living in each mesh (as the page once did) reads
    differently on the two cities."""
    from analytics.city import with_district

    a, b = Catalog(small_city).data(), Catalog(small_city_moved).data()

    def children(d):
        pop = with_district(d["population"], d["meshes"])
        young = pop[pop["age"] <= 5]
        return young.groupby(["fiscal_year", "mesh_code", "age"])["population"].sum()

    diff = children(a).sub(children(b), fill_value=0)
    assert (diff != 0).sum() > 100
    pub = Catalog(small_city).publication(10)
    waiting = nursery.waiting_by_district(pub, nursery.nursery_years(pub)[-1])

    def leaky(d):  # mesh weights from raw children of each band: the leak of the issue
        pop = with_district(d["population"], d["meshes"])
        latest = pop[(pop["fiscal_year"] == pop["fiscal_year"].max()) & (pop["age"] <= 5)]
        latest = latest.assign(age_band=np.array(nursery.BANDS)[nursery.BAND_OF_AGE[latest["age"].to_numpy()]])
        grid = latest.pivot_table(index=["mesh_code", "district_id"], columns="age_band", values="population",
                                  aggfunc="sum", fill_value=0).reindex(columns=list(nursery.BANDS), fill_value=0)
        share = grid / grid.groupby(level="district_id").transform("sum")
        w = waiting.pivot_table(index="district_id", columns="age_band", values="waiting", aggfunc="sum")
        demand = share.mul(w.reindex(share.index.get_level_values("district_id")).to_numpy()).fillna(0)
        return demand.reset_index()

    sites = a["nursery_sites"]
    params = nursery.PlacementParams(budget=200)
    plan_a = nursery.place_capacity(leaky(a), sites, params)
    plan_b = nursery.place_capacity(leaky(b), sites, params)
    assert plan_a.served != pytest.approx(plan_b.served, abs=1e-6) or plan_a.reached_meshes != plan_b.reached_meshes


@pytest.mark.parametrize("threshold", [10, 100])
@pytest.mark.parametrize(("path", "name", "setup"), SETTINGS, ids=[f"{p}:{n}" for p, n, _ in SETTINGS])
def test_moving_people_within_published_cells_changes_nothing_shown(path, name, setup, threshold, small_city,
                                                                     small_city_moved, published_small_city):
    compared, differ = differences(path, setup, threshold, small_city, small_city_moved)
    assert compared > 10
    assert not differ, [f"{w}: {str(a)[:300]} → {str(b)[:300]}" for w, a, b in differ[:5]]
