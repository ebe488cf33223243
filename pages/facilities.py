"""公共施設マネジメント: the building stock and its age, 40 years of renewal costs by the MIC
method with the scenarios side by side, facility cards with the screening, and what closing or
merging facilities saves and does to residents' access. Every number comes from
analytics.facilities; residents come from the session's publication (published mesh counts)."""

import hashlib
import html
import json

import pandas as pd
import streamlit as st

from analytics import facilities as fac
from analytics import i18n
from analytics.city import ProjectionParams, published_mesh_residents, published_projection, residents_outlook
from analytics.core import geo
from analytics.core.downloads import csv_bytes
from analytics.core.privacy import estimate_labels
from analytics.core.publication import mark_counts
from analytics.core.scenario import Field, Scenario
from ui import charts, maps
from ui.figures import Keyed, built
from ui.format import oku, people, people_label, percent, square_metres, square_metres_short, yen_oku
from ui.furniture import guard, needs_data, page_header, source_note
from ui.panels import lazy_tabs, panel, trace_run
from ui.scenario import Measured, begin, compare_panel, keep_values, link_line, sync
from ui.session import catalog, fy, fy_short, lang, publication, t, threshold
from ui.tables import display_frame, show_table

CONFIG = {"displaylogo": False}
OUTLOOK_YEARS = 20  # residents projected this far for the floor area per resident
# format_func of widgets take the language as an argument: AppTest calls them outside a run.


@st.cache_data(show_spinner=False, max_entries=16)
def _comparison(fingerprint: str, key: str, _params: fac.FacilitiesParams, _cat) -> fac.ScenarioComparison:
    buildings = _cat.get("buildings")
    return fac.compare_scenarios(buildings, _params.renewal_scenarios(buildings), _params.start_fy, _params.years,
                                 _cat.get("past_investment"))


@st.cache_data(show_spinner=False, max_entries=4)
def _outlook(fingerprint: str, limit: int, _pub) -> pd.DataFrame:
    return residents_outlook(_pub, published_projection(_pub, ProjectionParams(years=OUTLOOK_YEARS)))


@st.cache_data(show_spinner=False, max_entries=4)
def _cards(fingerprint: str, _cat) -> pd.DataFrame:
    """The facility cards of the latest year of operations (0.3 s; the data's alone)."""
    operations = _cat.get("facility_operations")
    return fac.facility_cards(_cat.get("facilities"), _cat.get("buildings"), operations, fac.latest_year(operations))


@st.cache_data(show_spinner=False, max_entries=32)
def _access(fingerprint: str, limit: int, plan_key: str, beyond_m: int, subcategory: str,
            _plan: fac.ConsolidationPlan, _cat, _pub) -> fac.AccessChange:
    """Residents' access before and after a plan: kept while the first year or the costs change."""
    return fac.access_change(_cat.get("facilities"), _plan, _mesh_residents(fingerprint, limit, _cat, _pub),
                             beyond_m=beyond_m, subcategories=(subcategory,))


@st.cache_data(show_spinner=False, max_entries=4)
def _mesh_residents(fingerprint: str, limit: int, _cat, _pub) -> pd.DataFrame:
    return published_mesh_residents(_pub, _cat.get("meshes"))


@st.cache_data(show_spinner=False, max_entries=32)
def _consolidation(fingerprint: str, limit: int, key: str, subcategory: str, _params: fac.FacilitiesParams,
                   _cat, _pub) -> fac.Consolidation:
    cards = _cards(fingerprint, _cat)
    projection = _comparison(fingerprint, key, _params, _cat).projections[_params.scenario]
    access = _access(fingerprint, limit, repr(_params.plan), _params.beyond_m, subcategory, _params.plan, _cat, _pub)
    return fac.consolidation(_cat.get("facilities"), _cat.get("buildings"), cards, projection, _params.plan,
                             _mesh_residents(fingerprint, limit, _cat, _pub), beyond_m=_params.beyond_m,
                             subcategories=(subcategory,), decay=_params.decay,
                             demolition_yen_per_m2=_params.demolition_yen_per_m2, access=access)


def _projection_chart(totals: pd.DataFrame, names: dict, years: list, title: str, y_title: str, fy_title: str,
                      past: float, past_label: str):
    """The renewal cost per year by kind of work, with the past yearly average as a line."""
    fig = charts.stacked_bars(totals, names, years, title, y_title)
    fig = charts.with_reference(charts.fiscal_year_axis(fig, fy_title), past, past_label)
    fig.update_yaxes(tickformat=",.0f")
    return charts.styled(fig, title, height=440, title_width=2 * charts.TITLE_WIDTH)


def _yearly_lines(table: pd.DataFrame, names: dict, years: list, title: str, y_title: str, fy_title: str,
                  past: float | None = None, past_label: str = ""):
    """One line per scenario over the fiscal years, with the past yearly average when given."""
    fig = charts.fiscal_year_axis(charts.lines(table, names, years, title, y_title), fy_title, 10)
    if past is not None:
        fig = charts.with_reference(fig, past, past_label)
    fig.update_traces(mode="lines")
    fig.update_yaxes(tickformat=",.0f", **({} if past is not None else {"range": None, "autorange": True}))
    return fig


def _access_map(districts, district_ids: pd.Series, values: pd.Series, tips: list, counts: dict, points: list):
    """Mean distance per district after the plan, with the kept, receiving and closed facilities on top."""
    layers = [maps.point_layer(p, colour, 160, labels) for p, colour, labels in points]
    return maps.district_map(districts, district_ids, values, tips, counts=counts, layers=layers)


COSTS_KEY = "fac_costs"  # the unit-cost table in a link (the editor's own key changes with what it starts from)
COST_COLUMNS = ("renovation_man_yen", "rebuild_man_yen")


def _cost_rows(costs: pd.DataFrame) -> list[list[float | None]]:
    """The unit-cost table's numbers, row by row (a missing cost as None)."""
    return [[None if v != v else float(v) for v in row] for row in costs[list(COST_COLUMNS)].to_numpy(dtype=float)]


def _scenario(earliest: int | None, facilities: pd.DataFrame, default_costs: pd.DataFrame) -> Scenario:
    """The page's inputs: what a link carries (issue 28). Typed number inputs take any value in
    their range; sliders only their steps; the unit-cost table travels in the ``s`` parameter."""
    ids = tuple(facilities["facility_id"])
    subs = tuple(sorted(facilities["subcategory"].dropna().unique()))
    first = earliest or 2000
    return Scenario("facilities", (
        Field("fac_start", "int", max(fac.DEFAULT_START_FY, first), lo=first, hi=2100, label="facilities.knob.start"),
        Field("fac_renovation_age", "int", 30, lo=20, hi=40, step=1, label="facilities.knob.renovation_age"),
        Field("fac_rebuild_age", "int", 60, lo=45, hi=80, step=1, label="facilities.knob.rebuild_age"),
        Field("fac_backlog_years", "int", 10, lo=1, hi=20, step=1, label="facilities.knob.backlog_years"),
        Field(COSTS_KEY, "table", _cost_rows(default_costs), lo=0, hi=300, in_url=False, columns=COST_COLUMNS,
              label="facilities.knob.costs"),
        Field("fac_scenario", "str", "simple", choices=tuple(fac.SCENARIOS), label="facilities.knob.scenario"),
        Field("fac_mid_repairs", "bool", False, label="facilities.knob.mid_repairs"),
        Field("fac_target", "int", 20, lo=0, hi=50, step=5, label="facilities.knob.target"),
        Field("fac_card_sub", "str", "*", choices=("*", *subs), label="facilities.knob.subcategory"),
        Field("fac_pct", "int", 40, lo=10, hi=90, step=5, label="facilities.knob.utilisation"),
        Field("fac_age", "int", 40, lo=20, hi=60, step=5, label="facilities.knob.age"),
        Field("fac_close", "strs", [], choices=ids, label="facilities.knob.close"),
        Field("fac_merge", "strs", [], choices=ids, label="facilities.knob.merge"),
        Field("fac_receiver", "str", None, choices=ids, nullable=True, label="facilities.knob.receiver"),
        Field("fac_beyond", "int", 1000, choices=tuple(geo.FACILITY_ACCESS_STEPS_M), label="facilities.knob.beyond"),
        Field("fac_demolition", "float", fac.DEMOLITION_YEN_PER_M2 / 1e4, lo=0.0, hi=50.0,
              label="facilities.knob.demolition"),
        Field("fac_decay", "bool", False, label="facilities.knob.decay"),
        Field("fac_half_km", "float", fac.HALF_DISTANCE_M / 1000, lo=0.5, hi=10.0, step=0.5,
              label="facilities.knob.half_distance"),
        Field("fac_access_sub", "str", "公民館" if "公民館" in subs else (subs[0] if subs else ""), choices=subs,
              label="facilities.knob.access_sub", always=True),  # its widget follows the closures' kind
    ), passive=("lang", "facilities_tab"), disjoint=(("fac_close", "fac_merge", "fac_receiver"),))


def _base_params(v: dict, default_costs: pd.DataFrame) -> fac.FacilitiesParams:
    """The renewal assumptions and the scenario in force from the page's inputs (widget key →
    value; the unit costs as rows of :data:`COST_COLUMNS`). ValueError for a missing or negative cost."""
    costs = default_costs.copy()
    costs[list(COST_COLUMNS)] = pd.DataFrame(v[COSTS_KEY], columns=list(COST_COLUMNS), dtype=float).to_numpy()
    renewal = fac.renewal_params_from_table(costs, renovation_age=int(v["fac_renovation_age"]),
                                            rebuild_age=int(v["fac_rebuild_age"]),
                                            backlog_years=int(v["fac_backlog_years"]))
    return fac.FacilitiesParams(start_fy=int(v["fac_start"]), renewal=renewal, mid_repairs=bool(v["fac_mid_repairs"]),
                                reduction_target=int(v["fac_target"]) / 100, scenario=v["fac_scenario"])


def _plan_params(v: dict, base: fac.FacilitiesParams) -> fac.FacilitiesParams:
    """``base`` with the consolidation plan of the page's inputs (widget key → value)."""
    receiver = v["fac_receiver"]
    plan = fac.ConsolidationPlan(closures=tuple(v["fac_close"]),
                                 merges={f: receiver for f in v["fac_merge"]} if receiver is not None else {})
    decay = (fac.DistanceDecay(half_distance_m=float(v["fac_half_km"]) * 1000) if v["fac_decay"]
             else fac.ALL_VISITS_MOVE)
    return fac.FacilitiesParams(start_fy=base.start_fy, renewal=base.renewal, mid_repairs=base.mid_repairs,
                                reduction_target=base.reduction_target, scenario=base.scenario, plan=plan,
                                beyond_m=int(v["fac_beyond"]), demolition_yen_per_m2=float(v["fac_demolition"]) * 1e4,
                                decay=decay)


def _measure(v: dict, default_costs: pd.DataFrame) -> Measured:
    """A scenario's key figures for the comparison: the renewal cost of the scenario in force
    and, with a consolidation plan, what it saves (no count of people)."""
    cat, pub, L = catalog(), publication(), lang()
    try:
        base = _base_params(v, default_costs)
    except ValueError:
        return Measured({t("facilities.compare.scenario"): "—"}, pd.Series(dtype=float))
    comparison = _comparison(cat.fingerprint(), repr(base), base, cat)
    proj = comparison.projections[base.scenario]
    summary = comparison.summary.set_index("scenario").loc[base.scenario]
    figures = {t("facilities.compare.scenario"): t(f"facilities.scenario.{base.scenario}"),
               t("facilities.metric.yearly"): yen_oku(proj.yearly_average_yen, L),
               t("facilities.metric.ratio"): "—" if proj.ratio_to_past is None else f"{proj.ratio_to_past:.2f}×",
               t("col.total_cost", years=base.years): yen_oku(summary["total_yen"], L),
               t("col.shortfall"): yen_oku(summary["shortfall_yen"], L)}
    try:
        params = _plan_params(v, base) if v["fac_close"] or v["fac_merge"] else None
    except ValueError:  # a plan the consolidation refuses (a facility merged into one it closes)
        params, figures[t("facilities.compare.closed")] = None, "—"
    if params is not None:
        result = _consolidation(cat.fingerprint(), threshold(), repr(params), v["fac_access_sub"], params, cat, pub)
        figures |= {t("facilities.compare.closed"): f"{len(params.plan.removed)}",
                    t("facilities.metric.area_saved"): square_metres_short(result.floor_area_saved_m2, L),
                    t("facilities.metric.total_saved"): yen_oku(result.total_saved_yen, L)}
    totals = proj.yearly_totals().sum(axis=1)
    return Measured(figures, pd.Series(list(oku(totals)), index=list(totals.index)))


@panel("facilities.compare")
def _compare_panel(spec: Scenario, default_costs: pd.DataFrame) -> None:
    with guard():
        compare_panel(spec, lambda v: _measure(v, default_costs),
                      (t("facilities.compare.chart"), t("axis.fiscal_year"), t("axis.oku_yen")))


def _costs_to_edit(default_costs: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The unit-cost table the editor starts from, and the editor's key. It starts from the
    scenario's table (a link's, or the one left here before a page switch) whenever the editor
    holds no edits of its own; the key follows that table, so a new start never meets old edits."""
    rows = st.session_state.get(COSTS_KEY)
    start = st.session_state.get("_fac_costs_start")
    if start is None or f"fac_costs_{_digest(start)}" not in st.session_state:
        start = rows if rows is not None and len(rows) == len(default_costs) else _cost_rows(default_costs)
        st.session_state["_fac_costs_start"] = start
    costs = default_costs.copy()
    costs[list(COST_COLUMNS)] = pd.DataFrame(start, columns=list(COST_COLUMNS), dtype=float).to_numpy()
    return costs, f"fac_costs_{_digest(start)}"


def _digest(rows: list) -> str:
    return hashlib.sha1(json.dumps(rows).encode()).hexdigest()[:10]


def _names(df, L):
    return df["name_ja"] if L == "ja" else df["name_en"]


def _category(c: str, L: str) -> str:
    return i18n.t(f"facilities.category.{c}", L) if i18n.has(f"facilities.category.{c}") else c


def _kind(s: str, L: str) -> str:
    """A subcategory (中分類) in the UI language; a planner's own names are shown as they are."""
    return i18n.t(f"facilities.subcategory.{s}", L) if i18n.has(f"facilities.subcategory.{s}") else s


@st.cache_resource(show_spinner=False, max_entries=64)
def _cards_view(fingerprint: str, L: str, pct: int, age_cut: int, chosen_sub: str, _cat) -> dict:
    """What the cards panel draws for one screening (the chart, the table and its CSV, the
    counts and the proposal), built once per screening and language and shared by the sessions
    (nothing here is a count of people; the page never changes these objects)."""
    tr = lambda key, **v: i18n.t(key, L, **v)  # noqa: E731
    facilities, districts = _cat.get("facilities"), _cat.get("districts")
    facility_name = dict(zip(facilities["facility_id"], _names(facilities, L), strict=True))
    district_name = dict(zip(districts["district_id"], _names(districts, L), strict=True))
    ops_year = fac.latest_year(_cat.get("facility_operations"))
    cards = _cards(fingerprint, _cat).copy()
    cards["screening"] = fac.screening(cards, utilisation_percentile=pct / 100, age_years=age_cut)
    cards["rank"] = fac.utilisation_rank(cards)
    shown = cards if chosen_sub == "*" else cards[cards["subcategory"] == chosen_sub]
    groups = {g: tr(f"facilities.group.{g}") for g in fac.SCREENING_GROUPS}
    shown = shown.assign(name=shown["facility_id"].map(facility_name),
                         hover=[html.escape(f"{n}（{_kind(s, L)}）") + f"<br>{percent(u)} · {a:.0f}"
                                for n, s, u, a in zip(shown["facility_id"].map(facility_name),
                                                      shown["subcategory"], shown["utilisation"],
                                                      shown["age_years"], strict=True)])
    counts = shown["screening"].value_counts()
    title = tr("facilities.chart.quadrant", fy=i18n.fiscal_year_short(ops_year, L), review=int(counts.get("review", 0)))
    figure = charts.quadrant(shown.dropna(subset=["rank"]), "rank", "age_years", "screening", groups, "hover", title,
                             tr("axis.utilisation_rank"), tr("axis.building_age"), pct / 100, age_cut)
    table = shown.assign(
        kind=shown["subcategory"].map(lambda s: _kind(s, L)), district=shown["district_id"].map(district_name),
        seismic_text=shown["seismic"].map(lambda s: i18n.t(f"facilities.seismic.{s}", L)
                                          if i18n.has(f"facilities.seismic.{s}") else s),
        area=shown["floor_area_m2"].map(lambda v: square_metres(v, L)),
        age=shown["age_years"].map(lambda v: "—" if v != v else f"{v:.0f}"),
        visits_text=shown["visits"].map(lambda v: "—" if pd.isna(v) else f"{v:,.0f}"),
        cost=shown["operating_cost_yen"].map(lambda v: "—" if v != v else f"{v / 1e4:,.0f}"),
        per_visit=shown["cost_per_visit"].map(lambda v: "—" if v != v else f"{v:,.0f}"),
        per_m2=shown["cost_per_m2"].map(lambda v: "—" if v != v else f"{v:,.0f}"),
        recovery=shown["cost_recovery"].map(percent), use=shown["utilisation"].map(percent),
        group=shown["screening"].map(lambda g: groups.get(g, "—")))
    columns = {"facility_id": tr("col.facility_id"), "name": tr("col.facility"), "kind": tr("col.subcategory"),
               "district": tr("col.district"), "area": tr("col.floor_area"), "age": tr("col.age"),
               "seismic_text": tr("col.seismic"), "visits_text": tr("col.visits"),
               "cost": tr("col.operating_cost_man"), "per_visit": tr("col.cost_per_visit"),
               "per_m2": tr("col.cost_per_m2"), "recovery": tr("col.cost_recovery"),
               "use": tr("col.utilisation"), "group": tr("col.screening")}
    return {"figure": figure, "groups": groups, "counts": counts, "table": table, "columns": columns,
            "csv": csv_bytes(display_frame(table, columns)),
            "proposal": tuple(fac.screening_proposal(cards, cards["screening"]))}


@panel("facilities.cards")
def _cards_panel(cat, facilities, ops_year: int, L: str) -> None:
    """施設カルテ: the cards of one kind, the screening by utilisation and age, and its proposal."""
    with guard():
        c = st.columns([2, 2, 2])
        subcategories = sorted(facilities["subcategory"].dropna().unique())
        chosen_sub = c[0].selectbox(t("facilities.knob.subcategory"), ["*", *subcategories],
                                    format_func=lambda s: i18n.t("facilities.all", L) if s == "*" else _kind(s, L),
                                    key="fac_card_sub")
        pct = c[1].slider(t("facilities.knob.utilisation"), 10, 90, 40, 5, key="fac_pct", format="%d%%")
        age_cut = c[2].slider(t("facilities.knob.age"), 20, 60, 40, 5, key="fac_age")
        view = _cards_view(cat.fingerprint(), L, int(pct), int(age_cut), str(chosen_sub), cat)
        groups, counts = view["groups"], view["counts"]
        left, right = st.columns([3, 2])
        with left:
            st.plotly_chart(view["figure"], width="stretch", config=CONFIG)
            source_note("facilities.source.cards")
        with right:
            st.markdown(f"**{t('facilities.screening.title')}**")
            for g in fac.SCREENING_GROUPS:
                st.markdown(t("facilities.group.line", group=groups[g], n=int(counts.get(g, 0)),
                              means=t(f"facilities.group.{g}.means")))
            st.caption(t("facilities.screening.note"))
        st.markdown(f"**{t('facilities.table.cards', fy=fy(ops_year))}**")
        show_table(view["table"], view["columns"], height=380)
        st.download_button(t("facilities.download.cards"), view["csv"],
                           file_name=f"facility_cards_{ops_year}.csv", mime="text/csv", key="fac_cards_csv",
                           icon=":material/download:")
        st.caption(t("facilities.cards.note"))
        link_line(t("facilities.scenario.cards", sub=i18n.t("facilities.all", L) if chosen_sub == "*"
                    else _kind(chosen_sub, L), pct=pct, age=age_cut))
        proposal = list(view["proposal"])

        def _take_proposal(proposal=proposal):
            st.session_state["fac_close"] = list(proposal)
            st.session_state["facilities_tab"] = t("facilities.tab.plan")  # where the proposal now stands

        # the screening's proposal goes to the plan tab's closures: another panel, so the whole page reruns
        if st.button(t("facilities.knob.proposal", n=len(proposal)), on_click=_take_proposal, key="fac_take",
                     help=t("facilities.knob.proposal.help")):
            st.rerun()



@panel("facilities.plan")
def _plan_panel(cat, pub, base: fac.FacilitiesParams, facility_name: dict, district_name: dict, ops_year: int,
                L: str) -> None:
    """統廃合: closing or merging facilities — what it saves and what it does to residents' access."""
    facilities, buildings, districts = cat.get("facilities"), cat.get("buildings"), cat.get("districts")
    scenario = base.scenario
    scenario_label = t(f"facilities.scenario.{scenario}")
    subcategories = sorted(facilities["subcategory"].dropna().unique())
    with guard():
        ids = list(facilities["facility_id"])
        label = {f: f"{facility_name[f]}（{_kind(s, L)}）"
                 for f, s in zip(facilities["facility_id"], facilities["subcategory"], strict=True)}
        closures = st.multiselect(t("facilities.knob.close"), ids, format_func=label.get, key="fac_close",
                                  placeholder=t("select.placeholder"), help=t("facilities.knob.close.help"))
        c = st.columns([3, 2, 2])
        merged = c[0].multiselect(t("facilities.knob.merge"), [f for f in ids if f not in closures],
                                  format_func=label.get, key="fac_merge", placeholder=t("select.placeholder"))
        receivers = [f for f in ids if f not in closures and f not in merged]
        receiver = c[1].selectbox(t("facilities.knob.receiver"), receivers, format_func=label.get,
                                  key="fac_receiver", index=None, placeholder=t("facilities.knob.receiver.none"))
        beyond = c[2].select_slider(t("facilities.knob.beyond"), list(geo.FACILITY_ACCESS_STEPS_M), 1000,
                                    format_func=lambda v: f"{v:,} m", key="fac_beyond")
        c = st.columns([2, 3, 2])  # the decay toggle's label needs the room at 1280 px
        demolition = c[0].number_input(t("facilities.knob.demolition"), 0.0, 50.0, fac.DEMOLITION_YEN_PER_M2 / 1e4,
                                       0.5, key="fac_demolition", help=t("facilities.knob.demolition.help"))
        decay_on = c[1].toggle(t("facilities.knob.decay"), False, key="fac_decay",
                               help=t("facilities.knob.decay.help"))
        half_km = c[2].slider(t("facilities.knob.half_distance"), 0.5, 10.0, fac.HALF_DISTANCE_M / 1000, 0.5,
                              key="fac_half_km", format="%.1f km", disabled=not decay_on)
        if merged and receiver is None:
            st.warning(t("facilities.merge.no_receiver"))
        params = _plan_params({"fac_close": closures, "fac_merge": merged, "fac_receiver": receiver,
                               "fac_beyond": beyond, "fac_demolition": demolition, "fac_decay": decay_on,
                               "fac_half_km": half_km}, base)
        plan = params.plan
        touched = list(dict.fromkeys(facilities.set_index("facility_id").loc[list(plan.removed), "subcategory"]))
        options = touched + [s for s in subcategories if s not in touched]
        sub = st.selectbox(t("facilities.knob.access_sub"), options, key="fac_access_sub",
                           format_func=lambda s: _kind(s, L),
                           index=options.index("公民館") if not touched and "公民館" in options else 0)
        result = _consolidation(cat.fingerprint(), threshold(), repr(params), sub, params, cat, pub)

        m = st.columns(4)
        m[0].metric(t("facilities.metric.area_saved"), square_metres_short(result.floor_area_saved_m2, L),
                    percent(-result.floor_area_saved_m2 / buildings["floor_area_m2"].sum()) if plan.removed else None,
                    delta_color="off",
                    help=t("facilities.metric.area_saved.help", area=square_metres(result.floor_area_saved_m2, L)))
        m[1].metric(t("facilities.metric.operating_saved"), yen_oku(result.yearly_operating_saved_yen, L),
                    help=t("facilities.metric.operating_saved.help", fy=fy(ops_year)))
        m[2].metric(t("facilities.metric.renewal_avoided"), yen_oku(result.avoided_renewal_yen, L),
                    help=t("facilities.metric.renewal_avoided.help", years=base.years, scenario=scenario_label))
        m[3].metric(t("facilities.metric.total_saved"), yen_oku(result.total_saved_yen, L),
                    help=t("facilities.metric.total_saved.help", years=base.years))

        if plan.removed:
            # the demolition on its own line: the total is running saving × years + renewal − demolition
            st.caption(t("facilities.saving.breakdown", years=base.years,
                         operating=yen_oku(result.yearly_operating_saved_yen, L),
                         running=yen_oku(result.operating_saved_yen, L), renewal=yen_oku(result.avoided_renewal_yen, L),
                         demolition=yen_oku(result.demolition_yen, L), unit=f"{result.demolition_yen_per_m2:,.0f}",
                         total=yen_oku(result.total_saved_yen, L)))
            man = lambda v: "—" if v != v else f"{v / 1e4:,.0f}"  # noqa: E731 (万円)
            s = result.savings.assign(
                name=result.savings["facility_id"].map(label),
                action_text=result.savings["action"].map(lambda a: t(f"facilities.action.{a}")),
                area=result.savings["floor_area_m2"].map(lambda v: square_metres(v, L)),
                operating=result.savings["net_operating_yen"].map(man),
                kept=result.savings["fees_kept_yen"].map(man),
                renewal=result.savings["avoided_renewal_yen"].map(lambda v: yen_oku(v, L)),
                demolition=result.savings["demolition_yen"].map(man))
            st.markdown(f"**{t('facilities.table.savings')}**")
            show_table(s, {"name": t("col.facility"), "action_text": t("col.action"), "area": t("col.floor_area"),
                           "operating": t("col.net_operating_man"), "kept": t("col.fees_kept_man"),
                           "renewal": t("col.renewal_avoided", years=base.years),
                           "demolition": t("col.demolition_man")})
            r = result.reassignment.merge(result.load, left_on="receiver_id", right_on="facility_id", how="left",
                                          suffixes=("", "_r"))
            count = lambda v: "—" if v != v else f"{v:,.0f}"  # noqa: E731 (visits: facility statistics)
            r = r.assign(name=r["facility_id"].map(label),
                         to=r["receiver_id"].map(lambda f: label.get(f, t("facilities.no_receiver"))),
                         visits_text=r["visits"].map(count), moved=r["visits_moved"].map(count),
                         share=r["share_moved"].map(percent),
                         km=r["distance_m"].map(lambda v: "—" if v != v else f"{v / 1000:,.1f} km"),
                         load_text=r["load"].map(percent), upper_text=r["load_all"].map(percent))
            st.markdown(f"**{t('facilities.table.reassignment')}**")
            columns = {"name": t("col.facility"), "to": t("col.receiver"), "km": t("col.distance"),
                       "visits_text": t("col.visits")}
            if not result.decay.upper_bound:
                columns |= {"share": t("col.share_moved"), "moved": t("col.visits_moved"),
                            "load_text": t("col.load_after")}
            show_table(r, columns | {"upper_text": t("col.load_upper")})
            st.caption(t("facilities.load.note"))
            if not result.decay.upper_bound:
                st.caption(t("facilities.load.decay_note", half=f"{result.decay.half_distance_m / 1000:g}"))

        access = result.access[result.access["subcategory"] == sub]
        rows = access[access["district_id"] != fac.CITY].set_index("district_id").reindex(districts["district_id"])
        rows = rows.reset_index()
        city = access[access["district_id"] == fac.CITY].iloc[0]
        limit = threshold()
        before_labels, after_labels = estimate_labels(rows["beyond_before"], limit), estimate_labels(
            rows["beyond_after"], limit)
        left, right = st.columns([3, 2])
        with left:
            title = t("facilities.map.title", sub=_kind(sub, L), beyond=f"{beyond:,}")
            st.markdown(f"**{title}**")
            change = rows["mean_distance_after_m"] - rows["mean_distance_before_m"]
            tips = [t("facilities.map.tooltip", name=html.escape(str(district_name.get(d, d))), before=b, after=a,
                      d_before=f"{db:,.0f}", d_after=f"{da:,.0f}", beyond=f"{beyond:,}")
                    for d, b, a, db, da in zip(rows["district_id"], before_labels, after_labels,
                                               rows["mean_distance_before_m"], rows["mean_distance_after_m"],
                                               strict=True)]
            same = facilities[facilities["subcategory"] == sub]
            kept = same[~same["facility_id"].isin(plan.removed)]
            gone = same[same["facility_id"].isin(plan.removed)]
            into = facilities[facilities["facility_id"].isin({plan.merges[f] for f in gone["facility_id"]
                                                              if f in plan.merges})]
            points = [(p[["lon", "lat"]], colour, [html.escape(label[f]) for f in p["facility_id"]])
                      for p, colour in ((kept, [0, 90, 255, 230]), (into, [3, 175, 122, 240]),
                                        (gone, [255, 75, 0, 240])) if len(p)]
            deck = built(_access_map, Keyed(districts, cat.fingerprint("districts")), rows["district_id"],
                         rows["mean_distance_after_m"], tips,
                         {"beyond_before": before_labels, "beyond_after": after_labels}, points)
            st.pydeck_chart(deck, height=480)
            st.markdown(maps.legend_html(rows["mean_distance_after_m"], lambda v: f"{v:,.0f} m",
                                         t("facilities.map.legend_low"), t("facilities.map.legend_high")),
                        unsafe_allow_html=True)
            st.caption(t("facilities.map.legend"))
        with right:
            st.metric(t("facilities.metric.beyond", beyond=f"{beyond:,}"),
                      people_label(float("nan"), estimate_labels([city["beyond_after"]], limit)[0], L)
                      if city["beyond_after"] < limit else people(round(city["beyond_after"]), L),
                      t("facilities.metric.beyond.delta", before=estimate_labels([city["beyond_before"]], limit)[0]),
                      delta_color="off", delta_arrow="off",
                      help=t("facilities.metric.beyond.help", beyond=f"{beyond:,}", sub=_kind(sub, L)))
            table = mark_counts(rows.assign(
                district=rows["district_id"].map(district_name), before=before_labels, after=after_labels,
                d_before=rows["mean_distance_before_m"].map(lambda v: "—" if v != v else f"{v:,.0f}"),
                d_after=rows["mean_distance_after_m"].map(lambda v: "—" if v != v else f"{v:,.0f}"),
                d_change=change.map(lambda v: "—" if v != v else f"{v:+,.0f}")).sort_values(
                    "mean_distance_after_m", ascending=False), ["before", "after"])
            st.markdown(f"**{t('facilities.table.access', sub=_kind(sub, L))}**")
            show_table(table, {"district": t("col.district"), "d_before": t("col.mean_distance_before"),
                               "d_after": t("col.mean_distance_after"), "d_change": t("col.change_m"),
                               "before": t("col.beyond_before", beyond=f"{beyond:,}"),
                               "after": t("col.beyond_after", beyond=f"{beyond:,}")}, height=420)
            st.caption(t("facilities.access.note", limit=limit))
        source_note("facilities.source.access")
        link_line(t("facilities.scenario.plan", closed=len(plan.closures), merged=len(plan.merges),
                    sub=_kind(sub, L), beyond=f"{beyond:,}", scenario=scenario_label))


page_header("facilities.title", "facilities.lead")
trace_run("facilities")

with guard():
    cat = catalog()
    pub = publication()
    L = lang()
    facilities, buildings = cat.get("facilities"), cat.get("buildings")
    operations, past = cat.get("facility_operations"), cat.get("past_investment")
    if buildings.empty or facilities.empty:
        st.info(t("facilities.no_data"))
        st.stop()
    ops_year = fac.latest_year(operations)
    districts = cat.get("districts")
    district_name = dict(zip(districts["district_id"], _names(districts, L), strict=True))
    facility_name = dict(zip(facilities["facility_id"], _names(facilities, L), strict=True))
    earliest = fac.earliest_start_fy(past)  # the past investment it is compared with comes first
    default_costs = fac.unit_cost_table(categories=buildings["category"].dropna().unique())
    spec = _scenario(earliest, facilities, default_costs)
    begin(spec)

    # -- the assumptions first: every tab uses them
    with st.expander(t("facilities.assumptions"), expanded=False):
        c = st.columns(4)
        start_fy = c[0].number_input(t("facilities.knob.start"), earliest or 2000, 2100,
                                     max(fac.DEFAULT_START_FY, earliest or 2000), 1, key="fac_start",
                                     bind="query-params",
                                     help=t("facilities.knob.start.help", last=fy(earliest - 1)) if earliest else None)
        renovation_age = c[1].slider(t("facilities.knob.renovation_age"), 20, 40, 30, 1, key="fac_renovation_age",
                                     bind="query-params")
        rebuild_age = c[2].slider(t("facilities.knob.rebuild_age"), 45, 80, 60, 1, key="fac_rebuild_age",
                                  bind="query-params")
        backlog_years = c[3].slider(t("facilities.knob.backlog_years"), 1, 20, 10, 1, key="fac_backlog_years",
                                    bind="query-params")
        st.caption(t("facilities.knob.costs_note"))
        costs, editor_key = _costs_to_edit(default_costs)
        costs.insert(0, "label", [_category(x, L) for x in costs["category"]])
        edited = st.data_editor(
            costs, hide_index=True, width="stretch", key=editor_key, disabled=["category", "label"],
            column_order=["label", "renovation_man_yen", "rebuild_man_yen"],
            column_config={"label": t("col.category"),
                           "renovation_man_yen": st.column_config.NumberColumn(t("col.renovation_unit"), min_value=0.0,
                                                                               max_value=200.0, step=0.5),
                           "rebuild_man_yen": st.column_config.NumberColumn(t("col.rebuild_unit"), min_value=0.0,
                                                                            max_value=300.0, step=0.5)})
    # the scenario first, on a row of its own: its three names do not fit beside the other two knobs at 1280 px
    scenario = st.segmented_control(t("facilities.knob.scenario"), list(fac.SCENARIOS), default="simple",
                                    required=True, format_func=lambda s: i18n.t(f"facilities.scenario.{s}", L),
                                    key="fac_scenario", bind="query-params")
    c = st.columns([3, 3, 4])
    mid_repairs = c[0].toggle(t("facilities.knob.mid_repairs"), False, key="fac_mid_repairs", bind="query-params",
                              help=t("facilities.knob.mid_repairs.help"))
    target = c[1].slider(t("facilities.knob.target"), 0, 50, 20, 5, key="fac_target", format="−%d%%",
                         bind="query-params")
    st.session_state[COSTS_KEY] = _cost_rows(edited)  # the table as the link carries it
    costs_edited = not spec.field(COSTS_KEY).same(st.session_state[COSTS_KEY], _cost_rows(default_costs))
    try:
        base = _base_params({"fac_start": start_fy, "fac_renovation_age": renovation_age,
                             "fac_rebuild_age": rebuild_age, "fac_backlog_years": backlog_years,
                             COSTS_KEY: st.session_state[COSTS_KEY], "fac_mid_repairs": mid_repairs,
                             "fac_target": target, "fac_scenario": scenario}, default_costs)
    except ValueError as exc:
        st.error(t("facilities.invalid", reason=str(exc)))
        st.stop()
    comparison = _comparison(cat.fingerprint(), repr(base), base, cat)
    summary = comparison.summary.set_index("scenario")
    in_force = comparison.projections[scenario]
    scenario_label = t(f"facilities.scenario.{scenario}")

    m = st.columns(4)
    m[0].metric(t("facilities.metric.floor_area"), square_metres_short(buildings["floor_area_m2"].sum(), L),
                help=t("facilities.metric.floor_area.help", area=square_metres(buildings["floor_area_m2"].sum(), L),
                       n=f"{len(facilities):,}", b=f"{len(buildings):,}"))
    m[1].metric(t("facilities.metric.aged"), percent(fac.ageing_share(buildings, start_fy)),
                help=t("facilities.metric.aged.help", fy=fy(start_fy)))
    m[2].metric(t("facilities.metric.yearly"), yen_oku(in_force.yearly_average_yen, L),
                help=t("facilities.metric.yearly.help", years=base.years, fy=fy(base.start_fy),
                       scenario=scenario_label))
    ratio = in_force.ratio_to_past
    m[3].metric(t("facilities.metric.ratio"), "—" if ratio is None else f"{ratio:.1f}×",
                help=t("facilities.metric.ratio.help", past=yen_oku(in_force.past_average_yen or float("nan"), L)))

    now, cost_tab, cards_tab, plan_tab = lazy_tabs("pages/facilities.py", keep=keep_values(spec))

    if now.open:
        with now, guard():  # one tab's failure never hides the others
            hist = fac.built_year_histogram(buildings)
            title = t("facilities.chart.built", aged=percent(fac.ageing_share(buildings, start_fy)),
                      fy=fy_short(start_fy))
            fig = built(charts.category_bars, hist, "bin_start", "category", "floor_area_m2", list(fac.CATEGORIES),
                        {x: _category(x, L) for x in fac.CATEGORIES}, title, t("axis.built_period"),
                        t("axis.floor_area"), marker=(fac.NEW_SEISMIC_FY, t("facilities.seismic_line")))
            st.plotly_chart(fig, width="stretch", config=CONFIG)
            source_note("facilities.source.stock")
            left, right = st.columns([1, 1])
            with left:
                by_cat = fac.floor_area_by_category(buildings)
                title = t("facilities.chart.by_category")
                st.plotly_chart(built(charts.horizontal_bars, [_category(x, L) for x in by_cat["category"]],
                                      list(by_cat["floor_area_m2"]), [percent(s, 0) for s in by_cat["share"]], title,
                                      t("axis.floor_area"), height=460),
                                width="stretch", config=CONFIG)
                source_note("facilities.source.stock")
            with right:
                st.markdown(f"**{t('facilities.table.per_resident', scenario=scenario_label)}**")
                with needs_data():  # residents ahead need two consecutive years on file
                    outlook = _outlook(cat.fingerprint(), threshold(), pub)
                    stock = fac.floor_area_stock(buildings, base.start_fy, base.years,
                                                 base.renewal_scenarios(buildings)[scenario])
                    per = fac.floor_area_per_resident(stock, outlook)
                    per = mark_counts(per.assign(year=per["fiscal_year"].map(fy), area=per["floor_area_m2"].map(
                        lambda v: square_metres(v, L)), m2=per["m2_per_resident"].map(lambda v: f"{v:.2f}")),
                        ["residents_label"])
                    show_table(per, {"year": t("col.fiscal_year"), "residents_label": t("col.residents_outlook"),
                                     "area": t("col.floor_area"), "m2": t("col.m2_per_resident")})
                    st.caption(t("facilities.per_resident.note", years=OUTLOOK_YEARS))
            link_line(t("facilities.scenario.now", fy=fy(start_fy), scenario=scenario_label))

    if cost_tab.open:
        with cost_tab, guard():
            totals = in_force.yearly_totals()
            kinds = [k for k in fac.KINDS if totals[k].sum() > 0]
            title = t("facilities.chart.projection", scenario=scenario_label, years=base.years,
                      average=yen_oku(in_force.yearly_average_yen, L),
                      ratio="—" if ratio is None else f"{ratio:.1f}")
            fig = built(_projection_chart, oku(totals[kinds]).reset_index(),
                        {k: t(f"facilities.kind.{k}") for k in kinds}, list(totals.index), title, t("axis.oku_yen"),
                        t("axis.fiscal_year"), oku(in_force.past_average_yen or float("nan")),
                        t("facilities.past_line"))
            st.plotly_chart(fig, width="stretch", config=CONFIG)
            rules = [t(f"facilities.rule.{r.kind}", **r.values) for r in comparison.timing[scenario]]
            st.caption(t("facilities.rules", scenario=scenario_label, rules=("／" if L == "ja" else "; ").join(rules)))
            source_note("facilities.source.method")
            left, right = st.columns(2)
            yearly = comparison.yearly
            wide = yearly.pivot(index="fiscal_year", columns="scenario", values="cost_yen")[list(fac.SCENARIOS)]
            names = {s: t(f"facilities.scenario.{s}") for s in fac.SCENARIOS}
            with left:
                title = t("facilities.chart.scenarios", years=base.years)
                fig = built(_yearly_lines, oku(wide).reset_index(), names, list(wide.index), title, t("axis.oku_yen"),
                            t("axis.fiscal_year"), oku(comparison.past_average_yen or float("nan")),
                            t("facilities.past_line"))
                st.plotly_chart(fig, width="stretch", config=CONFIG)
                source_note("facilities.source.method")
            with right:
                gap = yearly.pivot(index="fiscal_year", columns="scenario", values="cumulative_shortfall_yen")[
                    list(fac.SCENARIOS)]
                title = t("facilities.chart.shortfall", years=base.years,
                          simple=yen_oku(summary.loc["simple", "shortfall_yen"], L))
                fig = built(_yearly_lines, oku(gap).reset_index(), names, list(gap.index), title, t("axis.oku_yen"),
                            t("axis.fiscal_year"))
                st.plotly_chart(fig, width="stretch", config=CONFIG)
                source_note("facilities.source.method")
            table = comparison.summary.assign(
                name=comparison.summary["scenario"].map(names),
                total=comparison.summary["total_yen"].map(lambda v: yen_oku(v, L)),
                average=comparison.summary["yearly_average_yen"].map(lambda v: yen_oku(v, L)),
                ratio=comparison.summary["ratio_to_past"].map(lambda v: "—" if v != v else f"{v:.2f}×"),
                shortfall=comparison.summary["shortfall_yen"].map(lambda v: yen_oku(v, L)),
                area=comparison.summary["floor_area_end_m2"].map(lambda v: square_metres(v, L)),
                change=comparison.summary["change_vs_first"].map(lambda v: "—" if v != v else f"{v * 100:+.1f}%"))
            st.markdown(f"**{t('facilities.table.scenarios', years=base.years, fy=fy(base.start_fy))}**")
            show_table(table, {"name": t("col.scenario"), "total": t("col.total_cost", years=base.years),
                               "average": t("col.yearly_average"), "ratio": t("col.ratio_to_past"),
                               "shortfall": t("col.shortfall"), "area": t("col.floor_area_end"),
                               "change": t("col.change_vs_simple")})
            st.caption(t("facilities.scenarios.note", target=target, mid="✓" if mid_repairs else "—"))
            st.download_button(t("facilities.download.yearly"), csv_bytes(yearly.assign(
                scenario=yearly["scenario"].map(names))), file_name=f"renewal_cost_{base.start_fy}.csv",
                mime="text/csv",
                key="fac_yearly_csv", icon=":material/download:")
            link_line(t("facilities.scenario.cost", scenario=scenario_label, fy=fy(base.start_fy), years=base.years,
                        renovation=renovation_age, rebuild=rebuild_age, target=target,
                        edited=t("facilities.scenario.costs_edited") if costs_edited else ""))
            _compare_panel(spec, default_costs)

    if cards_tab.open:
        with cards_tab:  # each panel has its own guard: one tab's failure never hides the others
            _cards_panel(cat, facilities, ops_year, L)
    if plan_tab.open:
        with plan_tab:
            _plan_panel(cat, pub, base, facility_name, district_name, ops_year, L)
    sync(spec)
