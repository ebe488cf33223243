"""Scenario links on the pages (issue 28): a link reproduces what its sender saw, survives a page
switch, and a bad or foreign link never crashes a page but says what it could not use."""

from __future__ import annotations

import json
import random
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n
from analytics.catalog import Catalog
from analytics.core import scenario as sc
from analytics.core.store import Store, StoreSettings
from tests.apptest import APPTEST_TIMEOUT, widget
from tests.page_snapshot import snapshot

# per page: its tab to open and the inputs a planner changes there (widget kind, key, value)
CHANGES = {
    "pages/home.py": (None, [("segmented_control", "home_indicator", "population")]),
    "pages/nursery.py": ("nursery.tab.plan", [
        ("select_slider", "nursery_walk", 1000), ("number_input", "nursery_budget_seats", 520),
        ("multiselect", "nursery_add", ["S0003", "S0001"]), ("slider", "nursery_rate", 1.5),
        ("toggle", "nursery_projected", False), ("segmented_control", "nursery_target", "official")]),
    "pages/facilities.py": ("facilities.tab.plan", [
        ("multiselect", "fac_close", ["F0001", "F0002"]), ("select_slider", "fac_beyond", 1500),
        ("slider", "fac_target", 30), ("toggle", "fac_decay", True), ("number_input", "fac_demolition", 7.5)]),
    "pages/health.py": ("health.tab.targeting", [
        ("slider", "health_letters", 20000), ("segmented_control", "health_target_arm", "standard")]),
}


def _tab_param(page: str, tab: str | None) -> dict:
    return {} if tab is None else {f"{page.split('/')[-1][:-3]}_tab": i18n.t(tab, "ja")}


def _open(page: str, params: dict, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=APPTEST_TIMEOUT)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    if page != "pages/home.py":
        at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _link(at: AppTest) -> str:
    links = [c.value for c in at.code if "fp=" in c.value]
    assert links, "the page shows its link"
    assert len(set(links)) == 1, "every panel's link is the page's one link"
    return links[-1]


def _params(link: str) -> dict:
    return {k: v if len(v) > 1 else v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def _shown(at: AppTest) -> list:
    """What the page's main area shows: every figure, table, chart and text — not the widgets
    themselves (a sender's carry how they were set, an opener's their start from the link)
    nor the link popovers."""
    return [(path, content) for path, content in snapshot(at)
            if path.startswith("/0/") and path.rsplit(" ", 1)[-1] not in WIDGETS]


WIDGETS = {"code", "multiselect", "slider", "select_slider", "selectbox", "number_input", "toggle", "checkbox",
           "segmented_control", "button_group", "radio", "text_input", "button", "download_button"}


@pytest.mark.parametrize("page", list(CHANGES))
def test_a_link_opens_the_same_figures_in_a_fresh_session(page: str) -> None:
    tab, changes = CHANGES[page]
    at = _open(page, _tab_param(page, tab))
    for kind, key, value in changes:
        widget(at, kind, key).set_value(value).run()
        assert not at.exception, [e.value for e in at.exception]
    link = _link(at)
    params = _params(link)
    assert all(key in params for _, key, _ in changes), (link, changes)
    opened = _open(page, params)
    assert not opened.exception and not opened.warning, [w.value for w in opened.warning]
    assert _link(opened) == link
    assert _shown(opened) == _shown(at)


def test_the_facilities_unit_costs_travel_in_the_link() -> None:
    """The data editor's table cannot be a query parameter: it travels in ``s``; opened, the
    costs are the link's (every figure of the cost tab moves with them)."""
    plain = _open("pages/facilities.py", _tab_param("pages/facilities.py", "facilities.tab.cost"))
    yearly = [m.value for m in plain.metric]
    rows = plain.session_state["fac_costs"]
    doubled = [[None if v is None else 2 * v for v in row] for row in rows]
    params = _tab_param("pages/facilities.py", "facilities.tab.cost") | {sc.STATE_KEY: sc.encode_state(
        {"fac_costs": doubled})}
    at = _open("pages/facilities.py", params)
    assert not at.exception and not at.warning
    assert at.session_state["fac_costs"] == doubled
    assert [m.value for m in at.metric] != yearly  # the renewal cost follows the table
    link = _link(at)
    assert sc.decode_state(_params(link)[sc.STATE_KEY])[0] == {"fac_costs": doubled}
    assert _shown(_open("pages/facilities.py", _params(link))) == _shown(at)


def test_a_scenario_survives_a_page_switch() -> None:
    at = _open("pages/nursery.py", _tab_param("pages/nursery.py", "nursery.tab.plan"))
    widget(at, "number_input", "nursery_budget_seats").set_value(640).run()
    widget(at, "slider", "nursery_horizon").set_value(8).run()
    link = _link(at)
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/nursery.py").run()
    assert not at.exception
    assert at.session_state["nursery_budget_seats"] == 640 and at.session_state["nursery_horizon"] == 8
    assert _link(at) == link


def test_taking_the_screenings_proposal_lands_in_the_link() -> None:
    at = _open("pages/facilities.py", _tab_param("pages/facilities.py", "facilities.tab.cards"))
    at.button(key="fac_take").click().run()
    assert not at.exception
    closed = at.session_state["fac_close"]
    assert closed, "the proposal closes something on the sample city"
    params = _params(_link(at))
    assert params["fac_close"] == (closed if len(closed) > 1 else closed[0])
    assert params["facilities_tab"] == i18n.t("facilities.tab.plan", "ja")


def _bad_params(page: str, rng: random.Random) -> dict:
    """A link gone wrong: wrong types, values out of range, unknown keys and ids, a tampered blob."""
    keys = [k for _, k, _ in CHANGES[page][1]]
    bad = {rng.choice(keys): rng.choice(["abc", "-999999", "1e9", "", "nan", "S9999", "F9999", "1.2345", "true"])}
    bad["zz_" + "".join(rng.choice("abcxyz") for _ in range(4))] = "1"
    if rng.random() < 0.5:
        bad[sc.STATE_KEY] = rng.choice(["v1.AAAA", "v7.eJyrVkrOTy5J", "garbage", "v1." + "x" * 5000])
    if rng.random() < 0.3:
        bad[sc.STORED_KEY] = "nosuchid00"
    return bad


@pytest.mark.parametrize("page", list(CHANGES))
def test_bad_links_never_crash_and_always_warn(page: str, tmp_path) -> None:
    rng = random.Random(hash(page) % 1000)
    for _ in range(4):
        bad = _bad_params(page, rng)
        at = _open(page, bad, secrets={"store_path": str(tmp_path / "store.sqlite")})
        assert not at.exception, (bad, [e.value for e in at.exception])
        warnings = " ".join(w.value for w in at.warning).replace("\\", "")  # values are escaped for markdown
        assert warnings, bad
        unknown = next(k for k in bad if k.startswith("zz_"))
        assert unknown in warnings  # each problem is named
        assert at.error == [] or all("リンク" not in e.value for e in at.error)


def test_a_link_made_on_other_data_says_which_datasets_differ() -> None:
    cat = Catalog()
    prints = cat.link_prints(cat.publication(10))
    assert sc.differing_datasets(sc.data_mark(prints), prints) == []
    other = sc.data_mark(prints | {"facilities": "someone else's facilities"})
    at = _open("pages/facilities.py", {"fac_close": ["F0001", "F9999"], sc.DATA_KEY: other}
               | _tab_param("pages/facilities.py", "facilities.tab.plan"))
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert cat.schema("facilities").title("ja") in infos and cat.schema("buildings").title("ja") not in infos
    assert at.session_state["fac_close"] == ["F0001"]  # the id this data does not hold is dropped …
    assert "F9999" in " ".join(w.value for w in at.warning).replace("\\", "")  # … and named


def test_a_long_scenario_is_kept_in_the_store_and_its_id_opens_it(tmp_path) -> None:
    secrets = {"store_path": str(tmp_path / "store.sqlite")}
    ids = list(Catalog().get("facilities")["facility_id"])
    at = _open("pages/facilities.py", {"fac_close": ids[:160]} | _tab_param("pages/facilities.py",
                                                                              "facilities.tab.plan"), secrets)
    assert not at.exception and not at.warning
    assert not [c for c in at.code if "fp=" in c.value]  # too long for a URL: nothing kept until asked
    assert not Store(StoreSettings(tmp_path / "store.sqlite")).saved("facilities", now=time.time())
    shown = _shown(at)
    next(b for b in at.button if str(b.key).startswith("_short_")).click().run()
    link = _link(at)
    assert len(link) < 2000 and sc.STORED_KEY in _params(link) and "fac_close" not in _params(link)
    opened = _open("pages/facilities.py", _params(link), secrets)
    assert not opened.exception and not opened.warning
    assert opened.session_state["fac_close"] == ids[:160]
    assert _shown(opened) == shown  # as the sender saw it before asking for the link


def test_an_unreadable_store_leaves_ordinary_links_working(tmp_path) -> None:
    broken = tmp_path / "store.sqlite"
    broken.write_bytes(b"not a database" * 200)
    secrets = {"store_path": str(broken)}
    at = _open("pages/health.py", {"health_letters": "15000", sc.STORED_KEY: "abcdefghij"}
               | _tab_param("pages/health.py", "health.tab.targeting"), secrets)
    assert not at.exception
    assert at.session_state["health_letters"] == 15000  # the link's own parameters still apply
    assert i18n.t("scenario.store_unavailable", "ja") in [w.value for w in at.warning]


def test_a_full_facilities_scenario_fits_in_a_url() -> None:
    """Issue 28, item 2: every input of the page changed, 10 closures and 10 merges, the whole
    cost table edited: the link stays under 2,000 characters with a city hall's host name."""
    facilities = Catalog().get("facilities")
    ids = list(facilities["facility_id"])
    subs = sorted(facilities["subcategory"].dropna().unique())
    plain = _open("pages/facilities.py", {})
    table = [[None if v is None else v + 1.5 for v in row] for row in plain.session_state["fac_costs"]]
    params = {"fac_start": "2030", "fac_renovation_age": "25", "fac_rebuild_age": "70", "fac_backlog_years": "5",
              "fac_scenario": "long_life", "fac_mid_repairs": "true", "fac_target": "40", "fac_card_sub": subs[1],
              "fac_pct": "60", "fac_age": "50", "fac_close": ids[:10], "fac_merge": ids[10:20],
              "fac_receiver": ids[20], "fac_beyond": "3000", "fac_demolition": "9.5", "fac_decay": "true",
              "fac_half_km": "3", "fac_access_sub": subs[2], sc.STATE_KEY: sc.encode_state({"fac_costs": table}),
              "facilities_tab": i18n.t("facilities.tab.plan", "en"), "lang": "English"}
    at = _open("pages/facilities.py", params)
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    link = _link(at)
    assert sc.STORED_KEY not in _params(link)  # the whole scenario is in the URL itself
    assert set(params) <= set(_params(link))  # every input is in it
    assert len("https://ebpm.city.example.lg.jp/facilities" + link) < 2000, len(link)


@pytest.mark.parametrize(("page", "tab", "change"), [
    ("pages/nursery.py", "nursery.tab.plan", ("number_input", "nursery_budget_seats", 600)),
    ("pages/facilities.py", "facilities.tab.cost", ("segmented_control", "fac_scenario", "long_life")),
    ("pages/health.py", "health.tab.targeting", ("slider", "health_letters", 20000)),
])
def test_saved_scenarios_are_compared_side_by_side(page, tab, change, tmp_path) -> None:
    """Issue 28, item 6: save two named scenarios, compare them with the current one: a column of
    key figures each (the changed input moves them), their main series on one chart, and each
    saved scenario's link opens it in a fresh session."""
    name = page.split("/")[-1][:-3]
    secrets = {"store_path": str(tmp_path / "store.sqlite")}
    at = _open(page, _tab_param(page, tab), secrets)

    def save(label: str) -> None:
        at.text_input(key=f"_save_name_{name}").input(label).run()
        at.button(key=f"_save_{name}").click().run()
        assert not at.exception, [e.value for e in at.exception]

    save("初期設定")
    kind, key, value = change
    widget(at, kind, key).set_value(value).run()
    save("変更後")
    saved = Store(StoreSettings(tmp_path / "store.sqlite")).saved(name, now=__import__("time").time())
    assert [s.name for s in saved] == ["変更後", "初期設定"]
    at.multiselect(key=f"_compare_{name}").set_value([s.id for s in saved]).run()
    assert not at.exception
    table = at.table[-1].value
    assert list(table.columns) == [i18n.t("scenario.compare.current", "ja"), "変更後", "初期設定"]
    assert (table.iloc[:, 0] == table.iloc[:, 1]).all()  # the current settings are the ones saved last
    assert (table.iloc[:, 1] != table.iloc[:, 2]).any()  # the change moved a key figure
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    title = i18n.t(f"{name}.compare.chart", "ja")
    overlay = [f for f in specs if title in f["layout"]["title"]["text"].replace("<br>", "")]
    assert overlay and [d["name"] for d in overlay[0]["data"]] == list(table.columns)
    first = next(c.value for c in at.caption if c.value.startswith("初期設定: "))
    opened = _open(page, _params(first.split(": ", 1)[1]), secrets)
    assert not opened.exception and not opened.warning
    assert opened.session_state[key] != value  # the first scenario, not the current one


def test_a_link_cannot_put_markup_into_a_warning() -> None:
    """What a link carries is quoted as text: a crafted value never becomes a link or an image
    in the page's official-looking warning."""
    at = _open("pages/home.py", {"home_indicator": "[ログイン](http://evil.example)", "![x](http://e.x/p.png)": "1"})
    assert not at.exception
    body = " ".join(w.value for w in at.warning)
    assert "](http" not in body and "![" not in body and "evil" in body


def test_clashing_choices_in_a_link_are_dropped_and_named() -> None:
    at = _open("pages/facilities.py", {"fac_close": "F0001", "fac_merge": ["F0001", "F0002"], "fac_receiver": "F0002"}
               | _tab_param("pages/facilities.py", "facilities.tab.plan"))
    assert not at.exception
    assert at.session_state["fac_close"] == ["F0001"] and at.session_state["fac_merge"] == ["F0002"]
    assert at.session_state["fac_receiver"] is None
    warned = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "F0001" in warned and "F0002" in warned
