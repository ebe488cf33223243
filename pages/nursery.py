"""保育所配置 (the Himeji case): official and hidden waitlist, demand projection, and where new
places cut the waitlist most. Every number comes from analytics.nursery; counts of children
come from the session's publication."""

import html

import pandas as pd
import streamlit as st

from analytics import i18n, nursery
from analytics.core import geo
from analytics.core.projection import NotEnoughData
from analytics.core.scenario import Field, Scenario
from ui import charts, maps
from ui.figures import Keyed, built
from ui.format import people, people_label, percent, signed_percent, with_range, yen_oku
from ui.furniture import guard, needs_data, page_header, source_note
from ui.panels import lazy_tabs, panel, trace_run
from ui.scenario import Measured, begin, compare_panel, keep_values, link_line, sync
from ui.session import catalog, fy, fy_short, lang, publication, t, threshold
from ui.tables import show_table

CONFIG = {"displaylogo": False}
# format_func of widgets take the language as an argument: AppTest calls them outside a run.


@st.cache_data(show_spinner=False, max_entries=4)
def _inputs(fingerprint: str, limit: int, _pub) -> nursery.DemandInputs:
    return nursery.published_demand_inputs(_pub)


@st.cache_data(show_spinner=False, max_entries=32)
def _demand(fingerprint: str, limit: int, params: nursery.DemandParams, _pub) -> nursery.DemandProjection:
    return nursery.project_demand(_inputs(fingerprint, limit, _pub), params)


@st.cache_data(show_spinner=False, max_entries=4)
def _backtest(fingerprint: str, limit: int, _pub):
    return nursery.backtest_demand(_inputs(fingerprint, limit, _pub))


@st.cache_data(show_spinner=False, max_entries=16)
def _distances(fingerprint: str, fiscal_year: int, limit: int, _cat):
    return nursery.vacancy_distance(_cat.get("nursery_applications"), _cat.get("nurseries"),
                                    _cat.get("nursery_capacity"), fiscal_year, limit)


@st.cache_data(show_spinner=False, max_entries=16)
def _scenario_demand(fingerprint: str, limit: int, params: nursery.NurseryParams, _cat, _pub) -> pd.DataFrame:
    """The children a scenario serves (0.4 s): called with only the inputs it reads (year, projection,
    reach, target), so a new budget, walk or site choice reuses it."""
    projected = _demand(fingerprint, limit, params.demand, _pub) if params.plan_for_projection else None
    return nursery.scenario_demand(_pub, projected, _cat.get("meshes"), params, _places(_cat))


@st.cache_data(show_spinner=False, max_entries=32)
def _plan(fingerprint: str, limit: int, params: nursery.NurseryParams, _cat, _pub) -> nursery.CapacityPlan:
    demand = _scenario_demand(fingerprint, limit, nursery.demand_scenario(params), _cat, _pub)
    return nursery.place_capacity(demand, _cat.get("nursery_sites"), params.placement)


def _projection(fingerprint: str, limit: int, params: nursery.DemandParams, pub) -> nursery.DemandProjection | None:
    """The projection, or None where the data cannot give one (the plan tab says so itself)."""
    try:
        return _demand(fingerprint, limit, params, pub)
    except NotEnoughData:
        return None


def _ratio(value: float) -> str:
    """Hidden per official child, as shown (— when either is hidden or none wait)."""
    return "—" if value != value else f"{value:.1f}×"


def _places(cat):
    return nursery.vacancies(cat.get("nursery_capacity"), cat.get("nurseries"))


def _scenario(years: list[int], district_ids: tuple, site_ids: tuple) -> Scenario:
    """The page's inputs: what a link carries (issue 28). Typed number inputs take any value in
    their range; sliders only their steps."""
    return Scenario("nursery", (
        Field("nursery_year", "int", years[-1], choices=tuple(years), label="nursery.year"),
        Field("nursery_horizon", "int", 5, lo=5, hi=10, step=1, label="nursery.knob.horizon"),
        Field("nursery_rate", "float", 0.0, lo=-2.0, hi=3.0, step=0.5, label="nursery.knob.rate"),
        Field("nursery_births", "int", 0, lo=-20, hi=20, step=5, label="nursery.knob.births"),
        Field("nursery_migration", "float", 1.0, lo=0.0, hi=2.0, step=0.25, label="nursery.knob.migration"),
        Field("nursery_families", "int", 0, lo=0, hi=5000, label="nursery.knob.families"),
        Field("nursery_dev_district", "str", district_ids[0], choices=district_ids, label="nursery.knob.district"),
        Field("nursery_band", "str", "1-2", choices=tuple(nursery.BANDS), label="nursery.map.band"),
        Field("nursery_walk", "int", 800, choices=tuple(geo.ACCESS_STEPS_M), label="nursery.knob.walk"),
        Field("nursery_budget_kind", "str", "seats", choices=("seats", "yen"), label="nursery.knob.budget_kind"),
        Field("nursery_budget_seats", "int", 300, lo=0, hi=3000, label="nursery.knob.budget_seats"),
        Field("nursery_budget_oku", "float", 10.0, lo=0.0, hi=200.0, label="nursery.knob.budget_oku"),
        Field("nursery_target", "str", "all", choices=("all", "official"), label="nursery.knob.target"),
        Field("nursery_add", "strs", [], choices=site_ids, label="nursery.knob.add"),
        Field("nursery_remove", "strs", [], choices=site_ids, label="nursery.knob.remove"),
        Field("nursery_projected", "bool", True, label="nursery.knob.projected"),
        Field("nursery_reach", "float", float(nursery.DEFAULT_REACH_KM),
              choices=tuple(float(r) for r in nursery.REACHES_KM), label="nursery.knob.reach"),
    ), passive=("lang", "nursery_tab"))


def _demand_params(v: dict, years: list[int]) -> nursery.DemandParams:
    """The projection's assumptions from the page's inputs (widget key → value)."""
    return nursery.DemandParams(horizon=int(v["nursery_horizon"]), rate_growth_pt=float(v["nursery_rate"]),
                                births_change_pct=int(v["nursery_births"]),
                                migration_factor=float(v["nursery_migration"]),
                                development_district=v["nursery_dev_district"],
                                development_families=int(v["nursery_families"]), base_fiscal_year=years[-1])


def _plan_params(v: dict, years: list[int], demand: nursery.DemandParams) -> nursery.NurseryParams:
    """The placement scenario from the page's inputs (widget key → value)."""
    kind = v["nursery_budget_kind"]
    budget = float(v["nursery_budget_seats"]) if kind == "seats" else float(v["nursery_budget_oku"]) * 1e8
    return nursery.NurseryParams(
        fiscal_year=years[-1], demand=demand, plan_for_projection=bool(v["nursery_projected"]),
        reach_km=float(v["nursery_reach"]),
        placement=nursery.PlacementParams(walk_m=int(v["nursery_walk"]), target=v["nursery_target"], budget_kind=kind,
                                          budget=budget, added_sites=tuple(v["nursery_add"]),
                                          removed_sites=tuple(v["nursery_remove"])))


def _measure(v: dict) -> Measured:
    """A scenario's key figures for the comparison (all from published counts): the plan's
    children reached and what it takes, the projected applications with their 95% range."""
    cat, pub, L = catalog(), publication(), lang()
    years = nursery.nursery_years(pub)
    demand = _demand_params(v, years)
    params = _plan_params(v, years, demand)
    figures = {t("nursery.compare.scenario"): t(
        "nursery.compare.scenario.text", walk=f"{params.placement.walk_m:,}",
        budget=t("nursery.plan.budget_seats", n=f"{int(params.placement.budget):,}")
        if params.placement.budget_kind == "seats" else yen_oku(params.placement.budget, L),
        demand=t(f"nursery.plan.demand.{'projected' if params.plan_for_projection else 'current'}"))}
    try:
        plan = _plan(cat.fingerprint(), threshold(), params, cat, pub)
        figures |= {t("nursery.metric.reached", walk=params.placement.walk_m): t("nursery.estimate",
                                                                                 n=f"{plan.served:,.0f}"),
                    t("nursery.metric.share"): percent(plan.served / plan.waiting if plan.waiting else float("nan")),
                    t("nursery.metric.sites"): t("nursery.sites", k=len(plan.sites)),
                    t("nursery.metric.places"): t("nursery.places", seats=f"{plan.total_seats:,}"),
                    t("nursery.metric.cost"): yen_oku(plan.cost_yen, L)}
    except (NotEnoughData, ValueError):
        figures[t("nursery.metric.reached", walk=params.placement.walk_m)] = "—"
    proj = _projection(cat.fingerprint(), threshold(), demand, pub)
    if proj is None:
        return Measured(figures, pd.Series(dtype=float))
    total = proj.table.groupby("fiscal_year")["applications"].sum()
    target = int(total.index.max())
    fan = proj.fan[(proj.fan["age_band"] == "all") & (proj.fan["fiscal_year"] == target)] if len(proj.fan) else None
    point = f"{total.loc[target]:,.0f}"
    figures[t("nursery.compare.projected", fy=fy_short(target))] = (
        with_range(point, f"{fan['low95'].iloc[0]:,.0f}", f"{fan['high95'].iloc[0]:,.0f}", L)
        if fan is not None and len(fan) else point)
    return Measured(figures, pd.Series(list(total), index=[fy_short(int(y)) for y in total.index]))


@panel("nursery.compare")
def _compare_panel(spec: Scenario) -> None:
    with guard():
        compare_panel(spec, _measure, (t("nursery.compare.chart"), t("axis.fiscal_year"),
                                       t("axis.applications_estimate")))


def _names(df, L):
    return df["name_ja"] if L == "ja" else df["name_en"]


@panel("nursery.map")
def _map_panel(sd: pd.DataFrame, districts, district_name: dict, year: int, L: str) -> None:
    with guard():
        band = st.segmented_control(t("nursery.map.band"), list(nursery.BANDS), default="1-2", required=True,
                                    format_func=lambda b: i18n.t(f"band.{b}", L), key="nursery_band")
        rows = sd[sd["age_band"] == band].set_index("district_id").reindex(districts["district_id"]).reset_index()
        tips = [t("nursery.map.tooltip", name=html.escape(str(district_name[d])), applications=a, waiting=w,
                  official=o, places=f"{c:,.0f}", vacancies=f"{v:,.0f}")
                for d, a, w, o, c, v in zip(rows["district_id"], rows["applications_label"].fillna("0"),
                                             rows["not_admitted_label"].fillna("0"),
                                             rows["official_label"].fillna("0"), rows["capacity"].fillna(0),
                                             rows["vacancies"].fillna(0), strict=True)]
        st.markdown(f"**{t('nursery.map.title', band=t(f'band.{band}'), fy=fy(year))}**")
        deck = built(maps.district_map, Keyed(districts, catalog().fingerprint("districts")), rows["district_id"],
                     rows["not_admitted"], tips,
                     counts={"applications": rows["applications_label"].fillna("0").tolist(),
                             "waiting": rows["not_admitted_label"].fillna("0").tolist(),
                             "official": rows["official_label"].fillna("0").tolist()})
        st.pydeck_chart(deck, height=480)
        st.markdown(maps.legend_html(rows["not_admitted"], lambda v: people(v, L), t("home.map.legend_low"),
                                     t("home.map.legend_high")), unsafe_allow_html=True)
        st.caption(t("nursery.map.hidden_note"))
        source_note()
        link_line(t("nursery.scenario.map", band=t(f"band.{band}"), fy=fy(year)))


@panel("nursery.plan")
def _plan_panel(cat, pub, L: str, years: list[int], horizon: int, demand_params, proj, districts,
                district_name: dict) -> None:
    with guard():
        c = st.columns([2, 2, 2, 3])  # the target's two labels need the room
        walk = c[0].select_slider(t("nursery.knob.walk"), list(geo.ACCESS_STEPS_M), 800,
                                  format_func=lambda v: f"{v:,} m", key="nursery_walk",
                                  help=t("nursery.knob.walk.help"))
        kind = c[1].segmented_control(t("nursery.knob.budget_kind"), ["seats", "yen"], default="seats", required=True,
                                      format_func=lambda k: i18n.t(f"nursery.budget.{k}", L), key="nursery_budget_kind")
        if kind == "seats":
            budget = c[2].number_input(t("nursery.knob.budget_seats"), 0, 3000, 300, 20, key="nursery_budget_seats")
        else:
            budget = c[2].number_input(t("nursery.knob.budget_oku"), 0.0, 200.0, 10.0, 1.0,
                                       key="nursery_budget_oku") * 1e8
        target = c[3].segmented_control(t("nursery.knob.target"), ["all", "official"], default="all", required=True,
                                        format_func=lambda k: i18n.t(f"nursery.target.{k}", L), key="nursery_target")
        sites = cat.get("nursery_sites")
        site_label = dict(zip(sites["site_id"], _names(sites, L), strict=True))
        c = st.columns([3, 3, 2, 2])
        added = c[0].multiselect(t("nursery.knob.add"), list(sites["site_id"]), format_func=site_label.get,
                                 key="nursery_add", placeholder=t("select.placeholder"))
        removed = c[1].multiselect(t("nursery.knob.remove"), list(sites["site_id"]), format_func=site_label.get,
                                   key="nursery_remove", placeholder=t("select.placeholder"))
        for_projection = c[2].toggle(t("nursery.knob.projected", years=horizon), True, key="nursery_projected",
                                     help=t("nursery.knob.projected.help", years=horizon))
        reach = c[3].select_slider(t("nursery.knob.reach"), list(nursery.REACHES_KM), nursery.DEFAULT_REACH_KM,
                                   format_func=lambda r: f"{r:g} km", key="nursery_reach",
                                   help=t("nursery.knob.reach.help"))
        params = _plan_params({"nursery_walk": walk, "nursery_target": target, "nursery_budget_kind": kind,
                               "nursery_budget_seats": budget, "nursery_budget_oku": budget / 1e8,
                               "nursery_add": added, "nursery_remove": removed, "nursery_projected": for_projection,
                               "nursery_reach": reach}, years, demand_params)
        try:
            plan = _plan(cat.fingerprint(), threshold(), params, cat, pub)
        except NotEnoughData as exc:  # planning for the projected year without a projection
            st.info(t(exc.key))
            st.stop()
        except ValueError as exc:
            st.error(t("nursery.plan.invalid", reason=str(exc)))
            st.stop()
        link_line(t("nursery.plan.scenario", fy=fy(params.target_year),
                    demand=t(f"nursery.plan.demand.{'projected' if for_projection else 'current'}"),
                    target=t(f"nursery.target.{target}"), walk=f"{walk:,}",
                    budget=t("nursery.plan.budget_seats", n=f"{int(budget):,}") if kind == "seats"
                    else yen_oku(budget, L)))
        m = st.columns(5)
        m[0].metric(t("nursery.metric.reached", walk=walk), t("nursery.estimate", n=f"{plan.served:,.0f}"),
                    help=t("nursery.metric.reached.help", walk=walk))
        m[1].metric(t("nursery.metric.share"), percent(plan.served / plan.waiting if plan.waiting else float("nan")))
        m[2].metric(t("nursery.metric.sites"), t("nursery.sites", k=len(plan.sites)))
        m[3].metric(t("nursery.metric.places"), t("nursery.places", seats=f"{plan.total_seats:,}"))
        m[4].metric(t("nursery.metric.cost"), yen_oku(plan.cost_yen, L))
        left = budget - (plan.total_seats if kind == "seats" else plan.cost_yen)
        if plan.serves_all_it_could and left > 0:
            st.caption(t("nursery.plan.all_reached", walk=f"{walk:,}", most=f"{plan.most_servable:,.0f}",
                         rest=f"{plan.waiting - plan.most_servable:,.0f}"))
        access = nursery.access_share(pub, walk)
        st.caption(t("nursery.access.now", fy=fy(int(access["fiscal_year"].iloc[0])), walk=walk,
                     share=percent(access["share"].iloc[-1])))

        left, right = st.columns([3, 2])
        with left:
            below = t("nursery.estimate_below", limit=threshold())
            chosen = nursery.sites_table(plan, threshold(), below)
            others = sites[~sites["site_id"].isin(chosen["site_id"])]
            tips_other = [t("nursery.map.site", name=html.escape(str(n)), seats=s) for n, s in
                          zip(_names(others, L), others["max_capacity"], strict=True)]
            tips_chosen = [t("nursery.map.chosen", name=html.escape(str(n)), seats=s, reached=r)
                           for n, s, r in zip(_names(chosen, L), chosen["seats"], chosen["reached_text"], strict=True)]
            st.markdown(f"**{t('nursery.map.plan', k=len(chosen), seats=plan.total_seats, walk=walk)}**")
            deck = built(maps.sites_map, Keyed(districts, cat.fingerprint("districts")), [others, chosen, chosen],
                                  [[132, 145, 158, 170], [255, 75, 0, 45], [255, 75, 0, 235]],
                                  [110, float(walk), 140], [tips_other, tips_chosen, tips_chosen],
                                  areas=plan.reached_meshes)
            st.pydeck_chart(deck, height=480)
            st.caption(t("nursery.map.plan_legend"))
        with right:
            table = chosen.assign(name=_names(chosen, L), cost=chosen["cost_yen"].map(lambda v: yen_oku(v, L)),
                                  reach=chosen["reached_text"])
            st.markdown(f"**{t('nursery.table.sites')}**")
            show_table(table, {"name": t("col.site"), **{
                f"seats_{b}": t(f"band.{b}") for b in nursery.BANDS}, "seats": t("col.places"), "cost": t("col.cost"),
                "reach": t("col.reached")}, height=400)
        bd = nursery.before_after_table(plan, threshold(), below)
        bd = bd.assign(district=bd["district_id"].map(district_name))
        st.markdown(f"**{t('nursery.table.before_after', fy=fy(params.target_year))}**")
        show_table(bd, {"district_id": t("col.district_id"), "district": t("col.district"),
                        "before_text": t("col.before"), "after_text": t("col.after"),
                        "reduction_text": t("col.reduction")}, height=300)
        st.caption(t("nursery.plan.note", limit=threshold()))
        if for_projection and proj is not None:
            city_now = nursery.published_waitlist(pub, proj.base_fiscal_year, "city").iloc[0]
            st.caption(t("nursery.plan.projected_note", fy=fy(params.target_year), base=fy(proj.base_fiscal_year),
                         reach=f"{params.reach_m / 1000:g}", share=percent(nursery.rules_excluded_share(city_now))))
        if st.button(t("nursery.plan.check"), key="nursery_check"):
            with st.spinner(t("nursery.plan.checking")):
                exact = nursery.place_capacity(nursery.scenario_demand(pub, proj, cat.get("meshes"), params,
                                                                       _places(cat)),
                                               sites, params.placement, exact=True)
            st.success(t("nursery.plan.checked" if exact.optimum_proved else "nursery.plan.checked_limit",
                         ratio=percent(nursery.optimum_ratio(exact)), optimum=f"{exact.optimum:,.1f}",
                         served=f"{exact.served:,.1f}"))


page_header("nursery.title", "nursery.lead")
trace_run("nursery")

with guard():
    cat = catalog()
    pub = publication()
    L = lang()
    years = nursery.nursery_years(pub)
    if not years:
        st.info(t("nursery.no_data"))
        st.stop()
    districts = cat.get("districts")
    spec = _scenario(years, tuple(districts["district_id"]), tuple(cat.get("nursery_sites")["site_id"]))
    begin(spec)
    year = st.selectbox(t("nursery.year"), years, index=len(years) - 1,
                        format_func=lambda y: i18n.fiscal_year_label(y, L), key="nursery_year", bind="query-params")
    district_name = dict(zip(districts["district_id"], _names(districts, L), strict=True))
    city = nursery.published_waitlist(pub, year, "city").iloc[0]
    trend = nursery.waitlist_trend(pub)

    m = st.columns(4)
    m[0].metric(t("nursery.metric.official"), people_label(city["official"], city["official_label"], L),
                help=t("nursery.metric.official.help"))
    m[1].metric(t("nursery.metric.hidden"), people_label(city["hidden"], city["hidden_label"], L),
                help=t("nursery.metric.hidden.help"))
    m[2].metric(t("nursery.metric.applications"), people_label(city["applications"], city["applications_label"], L))
    m[3].metric(t("nursery.metric.ratio"), _ratio(nursery.hidden_to_official(city)),
                help=t("nursery.metric.ratio.help"))

    # -- the projection's assumptions first: the projection and the placement both use them
    with st.expander(t("nursery.assumptions"), expanded=False):
        c = st.columns(5)
        horizon = c[0].slider(t("nursery.knob.horizon"), 5, 10, 5, key="nursery_horizon", bind="query-params")
        growth = c[1].slider(t("nursery.knob.rate"), -2.0, 3.0, 0.0, 0.5, key="nursery_rate", bind="query-params")
        births = c[2].slider(t("nursery.knob.births"), -20, 20, 0, 5, key="nursery_births", bind="query-params")
        migration = c[3].slider(t("nursery.knob.migration"), 0.0, 2.0, 1.0, 0.25, key="nursery_migration",
                                bind="query-params")
        families = c[4].number_input(t("nursery.knob.families"), 0, 5000, 0, 100, key="nursery_families",
                                     bind="query-params")
        dev = st.selectbox(t("nursery.knob.district"), list(districts["district_id"]),
                           format_func=lambda d: f"{d} {district_name[d]}", key="nursery_dev_district",
                           bind="query-params")
    demand_params = _demand_params({"nursery_horizon": horizon, "nursery_rate": growth, "nursery_births": births,
                                    "nursery_migration": migration, "nursery_dev_district": dev,
                                    "nursery_families": families}, years)

    now, future, plan_tab = lazy_tabs("pages/nursery.py", keep=keep_values(spec))

    if now.open:
        with now, guard():  # one tab's failure never hides the others
            wf = nursery.waterfall_frame(pub, year)
            title = t("nursery.chart.waterfall", fy=fy_short(year), applications=city["applications_label"],
                      admitted=city["admitted_label"], waiting=city["not_admitted_label"],
                      official=city["official_label"], hidden=city["hidden_label"])
            st.plotly_chart(built(charts.waterfall, wf, [t(f"nursery.step.{s}") for s in wf["step"]], title,
                                  t("axis.children")), width="stretch", config=CONFIG)
            source_note("nursery.source.rules")
            left, right = st.columns(2)
            with left:
                x = [fy_short(y) for y in trend["fiscal_year"]]
                title = t("nursery.chart.trend", first=fy_short(years[0]), last=fy_short(years[-1]))
                names = {"official": t("nursery.official"), "hidden": t("nursery.hidden")}
                st.plotly_chart(built(charts.lines, trend, names, x, title, t("axis.children"),
                                      labels={"official": "official_label", "hidden": "hidden_label"}),
                                width="stretch", config=CONFIG)
                source_note("nursery.source.rules")
            with right:
                age = nursery.published_waitlist(pub, year, "age")
                title = t("nursery.chart.age", fy=fy_short(year))
                x = [t("age.single", age=a) for a in age["child_age"]]
                names = {"official": t("nursery.official"), "hidden": t("nursery.hidden")}
                # an age whose counts are hidden draws no bar: its mark (<10 or χ) stands in its place
                marks = ["・".join(dict.fromkeys(lab for v, lab in ((o, ol), (h, hl)) if v != v))
                         for o, h, ol, hl in zip(age["official"], age["hidden"], age["official_label"],
                                                 age["hidden_label"], strict=True)]
                st.plotly_chart(built(charts.stacked_bars, age, names, x, title, t("axis.children"), marks=marks),
                                width="stretch", config=CONFIG)
                source_note("nursery.source.rules")
            by_reach = nursery.waitlist_by_reach(pub)
            if len(by_reach):
                st.markdown(f"**{t('nursery.table.reach', fy=fy(int(by_reach['fiscal_year'].iloc[0])))}**")
                by_reach = by_reach.assign(
                    reach=[t("nursery.reach.km_default" if r == nursery.DEFAULT_REACH_KM else "nursery.reach.km",
                             r=f"{r:g}") for r in by_reach["reach_km"]],
                    ratio=[_ratio(nursery.hidden_to_official(row)) for row in by_reach.to_dict("records")])
                left, _ = st.columns([3, 2])
                with left:
                    show_table(by_reach, {"reach": t("col.reach"), "official_label": t("col.official"),
                                          "hidden_label": t("col.hidden"), "ratio": t("col.ratio")})
                st.caption(t("nursery.reach.note", default=f"{nursery.DEFAULT_REACH_KM:g}"))
                source_note("nursery.source.rules")
            left, right = st.columns([3, 2])
            sd = nursery.supply_demand(pub, cat.get("nursery_capacity"), cat.get("nurseries"), year)
            with left:
                _map_panel(sd, districts, district_name, year, L)
            with right:
                dist = _distances(cat.fingerprint(), year, threshold(), cat)
                st.markdown(f"**{t('nursery.table.distance', fy=fy(year))}**")
                dist = dist.assign(district=dist["district_id"].map(lambda d: district_name.get(d, t("table.total"))))
                cols = {"district": t("col.district"), "vacancies": t("col.vacancies")}
                for b in ("1-2",):  # the band that waits most
                    label = t("table.total") if b == nursery.TOTAL else t(f"band.{b}")
                    dist[f"mean_{b}"] = dist[f"mean_m_{b}"].map(lambda v: "—" if v != v else f"{v:,.0f} m")
                    cols[f"mean_{b}"] = t("col.mean_distance", band=label)
                show_table(dist, cols, height=260)
                st.caption(t("nursery.distance.note", limit=threshold()))

            st.markdown(f"**{t('nursery.table.supply', fy=fy(year))}**")
            sd = sd.assign(district=sd["district_id"].map(district_name),
                           band=sd["age_band"].map(lambda b: t(f"band.{b}")))
            show_table(sd, {"district_id": t("col.district_id"), "district": t("col.district"), "band": t("col.band"),
                            "capacity": t("col.places"), "enrolled": t("col.enrolled"), "vacancies": t("col.vacancies"),
                            "applications_label": t("col.applications"), "not_admitted_label": t("col.waiting"),
                            "official_label": t("col.official"), "gap": t("col.gap")}, height=320)
            source_note("nursery.source.supply")

    if future.open:
        with future, guard():
            with needs_data():  # the projection needs two consecutive years on file
                proj = _demand(cat.fingerprint(), threshold(), demand_params, pub)
                by_year = proj.table.groupby(["fiscal_year", "age_band"])["applications"].sum().unstack()
                change = nursery.demand_change_pct(proj)
                x = [fy_short(y) for y in by_year.index]
                title = t("nursery.chart.projection", years=horizon, change=signed_percent(change))
                fan = proj.fan[proj.fan["age_band"] == "all"] if len(proj.fan) else None
                fan_names = {k: t(f"nursery.fan.{k}") for k in ("95", "80", "median")}
                st.plotly_chart(built(charts.stacked_bars, by_year.reset_index(),
                                      {b: t(f"band.{b}") for b in nursery.BANDS}, x, title,
                                      t("axis.applications_estimate"), fan=fan, fan_names=fan_names),
                                width="stretch", config=CONFIG)
                if fan is not None:
                    st.caption(t("nursery.projection.fan", draws=demand_params.fan_draws))
                    target = int(proj.table["fiscal_year"].max())
                    ft = nursery.fan_table(proj.fan, target)
                    ft = ft.assign(band=ft["age_band"].map(lambda b: t("table.total") if b == "all"
                                                           else t(f"band.{b}")),
                                   point=ft["applications"].map(lambda v: f"{v:,.0f}"),
                                   r80=[f"{lo:,.0f}–{hi:,.0f}"
                                        for lo, hi in zip(ft["low80"], ft["high80"], strict=True)],
                                   r95=[f"{lo:,.0f}–{hi:,.0f}"
                                        for lo, hi in zip(ft["low95"], ft["high95"], strict=True)])
                    st.markdown(f"**{t('nursery.table.fan', fy=fy(target))}**")
                    show_table(ft, {"band": t("col.band"), "point": t("col.projected_point"), "r80": t("col.range80"),
                                    "r95": t("col.range95")})
                st.caption(t("nursery.projection.cap", cap=percent(demand_params.max_application_rate)))
                st.caption(t("nursery.projection.note"))
                source_note("nursery.source.projection")
                link_line(t("nursery.scenario.projection", years=horizon, rate=f"{growth:+g}", births=f"{births:+d}",
                            migration=f"{migration:g}", families=f"{int(families):,}",
                            district=district_name.get(dev, dev)))
            st.markdown(f"**{t('nursery.table.backtest')}**")
            with needs_data():
                bt = nursery.published_backtest(_backtest(cat.fingerprint(), threshold(), pub), pub)
                bt = bt.assign(year=bt["fiscal_year"].map(fy_short),
                               band=bt["age_band"].map(lambda b: t("table.total") if b == "all" else t(f"band.{b}")),
                               predicted_text=bt["predicted"].map(lambda v: f"{v:,.0f}"),
                               error=bt["error_pct"].map(signed_percent),
                               median_ape=bt["district_median_ape"].map(lambda v: f"{v:.1f}%"))
                show_table(bt, {"year": t("col.fiscal_year"), "band": t("col.band"),
                                "predicted_text": t("col.predicted"),
                                "error": t("col.error_city"), "median_ape": t("col.error_district")})
                st.caption(t("nursery.backtest.note"))

    if plan_tab.open:
        with plan_tab:
            _plan_panel(cat, pub, L, years, horizon, demand_params, _projection(cat.fingerprint(), threshold(),
                                                                              demand_params, pub),
                        districts, district_name)
            _compare_panel(spec)
    sync(spec)
