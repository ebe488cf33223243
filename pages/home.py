"""Home: what the dashboard answers, the city's headline figures and a map of its districts."""

import html

import streamlit as st

from analytics.city import city_overview
from analytics.core.scenario import Field, Scenario
from analytics.domains import domains
from ui import charts, maps
from ui.cards import home_card
from ui.figures import Keyed, built
from ui.format import people, people_label, percent, signed_percent, signed_points
from ui.furniture import guard, page_header, source_note
from ui.panels import panel, trace_run
from ui.scenario import begin, link_line, sync
from ui.session import catalog, fy, fy_short, lang, publication, t, threshold
from ui.tables import show_table

INDICATORS = ("population", "ageing_rate", "change_pct")
SCENARIO = Scenario("home", (Field("home_indicator", "str", "ageing_rate", choices=INDICATORS,
                                   label="home.map.indicator"),), passive=("lang",))


@st.cache_data(show_spinner=False, max_entries=16)
def _overview(fingerprint: str, limit: int, _catalog):
    """Cached on the data's fingerprint and the threshold (the catalog itself is not hashed)."""
    return city_overview(publication(), _catalog.get("districts"))


@st.cache_data(show_spinner=False, max_entries=32)
def _card_figures(domain: str, fingerprint: str, limit: int, _catalog):
    """A domain card's figures, cached on the data's fingerprint and the threshold."""
    card = next(d.home_card for d in domains() if d.name == domain)
    return card.figures(publication(), _catalog)


@panel("home.map")
def _map_panel(ov, cat, L: str) -> None:
    """The district map of one indicator, chosen by its own control (reruns this panel only)."""
    with guard():  # a fragment rerun runs outside the page's guard
        d = ov.districts
        indicator = st.segmented_control(
            t("home.map.indicator"), list(INDICATORS),
            format_func=lambda k: t(f"indicator.{k}", years=ov.n_years), default="ageing_rate", required=True,
            key="home_indicator", bind="query-params",
        )
        indicator_name = t(f"indicator.{indicator}", years=ov.n_years)
        st.markdown(f"**{t('home.map.title', indicator=indicator_name, fy=fy(ov.fiscal_year))}**")
        name = d["name_ja"] if L == "ja" else d["name_en"]
        tips = [
            t("home.map.tooltip", name=html.escape(str(n)), population=p, ageing=percent(a), change=signed_percent(c),
              years=ov.n_years)
            for n, p, a, c in zip(name, d["population_label"], d["ageing_rate"], d["change_pct"], strict=True)
        ]
        deck = built(maps.district_map, Keyed(cat.get("districts"), cat.fingerprint("districts")), d["district_id"],
                     d[indicator], tips, counts={"population": d["population_label"].tolist()})
        st.pydeck_chart(deck, height=520)
        fmt = {"population": lambda v: people(v, L), "ageing_rate": percent, "change_pct": signed_percent}[indicator]
        legend = maps.legend_html(d[indicator], fmt, t("home.map.legend_low"), t("home.map.legend_high"))
        st.markdown(legend, unsafe_allow_html=True)
        source_note()
        link_line(t("home.scenario", indicator=indicator_name, fy=fy(ov.fiscal_year)))


page_header("home.title", "home.lead")
trace_run("home")

with guard():
    begin(SCENARIO)
    publication()
    cat = catalog()
    cards = [(d.name, d.home_card) for d in domains() if d.home_card is not None]
    for col, (name, card) in zip(st.columns(len(cards)), cards, strict=True):
        with col.container(border=True):
            home_card(card, _card_figures(name, cat.fingerprint(), threshold(), cat))

    ov = _overview(cat.fingerprint(), threshold(), cat)
    L = lang()
    st.subheader(t("home.headline", fy=fy(ov.fiscal_year)))
    m = st.columns(4)
    m[0].metric(t("home.metric.population"), people_label(ov.population, ov.population_label, L),
                signed_percent(ov.population_change_pct),
                help=t("home.metric.population.help", fy=fy(ov.fiscal_year), first=fy(ov.first_fiscal_year)))
    m[1].metric(t("home.metric.ageing"), percent(ov.ageing_rate), signed_points(ov.ageing_rate_change_pt, L),
                delta_color="inverse", help=t("home.metric.ageing.help", first=fy(ov.first_fiscal_year)))
    m[2].metric(t("home.metric.births", fy=fy_short(ov.births_fiscal_year)),
                people_label(ov.births, ov.births_label, L),
                signed_percent(ov.births_change_pct),
                help=t("home.metric.births.help", first=fy_short(ov.births_first_fiscal_year),
                       since=signed_percent(ov.births_change_since_first_pct)))
    d = ov.districts
    m[3].metric(t("home.metric.districts"), f"{ov.n_districts}",
                help=t("home.metric.districts.help", area=f"{ov.area_km2:,.0f}"))

    left, right = st.columns([3, 2])
    with left:
        _map_panel(ov, cat, L)
    with right:
        pyramid = built(charts.pyramid, ov.pyramid, t("sex.M"), t("sex.F"),
                                 t("home.chart.pyramid", fy=fy_short(ov.fiscal_year)),
                                 t("axis.persons"), t("axis.age"))
        st.plotly_chart(pyramid, width="stretch", config={"displaylogo": False})
        source_note()

    a, b = st.columns(2)
    with a:
        years = [fy_short(y) for y in ov.by_year["fiscal_year"]]
        groups = {k: t(f"age.{k}") for k in ("age_0_14", "age_15_64", "age_65_plus")}
        trend = t("home.chart.trend", years=ov.n_years, change=signed_percent(ov.population_change_pct),
                  rate_from=percent(ov.ageing_rate_first), rate_to=percent(ov.ageing_rate))
        st.plotly_chart(built(charts.stacked_bars, ov.by_year, groups, years, trend, t("axis.population")),
                        width="stretch", config={"displaylogo": False})
        source_note()
    with b:
        years = [fy_short(y) for y in ov.change["fiscal_year"]]
        births = t("home.chart.births", years=ov.births_n_years,
                   change=signed_percent(ov.births_change_since_first_pct))
        figure = built(charts.line_with_labels, ov.change, "births", "births_label", years, births, t("axis.births"),
                                         t("axis.births"))
        st.plotly_chart(figure, width="stretch", config={"displaylogo": False})
        source_note("source.change")

    st.markdown(f"**{t('home.chart.district_table', fy=fy(ov.fiscal_year))}**")
    name = d["name_ja"] if L == "ja" else d["name_en"]
    table = d.assign(
        district=name,
        area=d["area_type"].map(lambda k: t(f"area.{k}")),
        ageing=d["ageing_rate"].map(percent),
        change=d["change_pct"].map(signed_percent),
    )
    show_table(table, {"district_id": t("col.district_id"), "district": t("col.district"), "area": t("col.area_type"),
                       "population_label": t("col.population"), "age_0_14_label": t("col.age_0_14"),
                       "ageing": t("col.ageing_rate"), "change": t("col.change_pct", years=ov.n_years)}, height=300)
    source_note()
    sync(SCENARIO)
