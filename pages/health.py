"""健診受診: NHI checkup uptake, who does not attend, what the reminder trial achieved, what the
district roll-out of checkup sites did, and whom to remind under a budget. Every number comes
from analytics.health and analytics.core.evaluation; counts of people come from the session's
publication, models run on the exact data and show estimates only."""

import html

import pandas as pd
import streamlit as st

from analytics import health, i18n
from analytics.core import evaluation
from analytics.core.publication import mark_counts
from analytics.core.scenario import Field, Scenario
from ui import charts, maps
from ui.figures import Keyed, built
from ui.format import people_label, percent, signed_points, with_range
from ui.furniture import guard, model_estimates, page_header, source_note
from ui.panels import lazy_tabs, panel, trace_run
from ui.scenario import Measured, begin, compare_panel, keep_values, link_line, sync
from ui.session import catalog, fy, fy_short, lang, publication, t, threshold
from ui.tables import show_table

CONFIG = {"displaylogo": False}
# the widgets inside the tabs: they keep their values while another tab is open

@st.cache_data(show_spinner=False, max_entries=8)
def _model(fingerprint: str, fiscal_year: int, _cat) -> health.LogitResult:
    frame = health.with_site_distance(_cat.get("checkups"), _cat.get("checkup_sites"))
    return health.nonattendance_model(frame, fiscal_year)


@st.cache_data(show_spinner=False, max_entries=4)
def _trial_rows(fingerprint: str, _cat) -> pd.DataFrame:
    return health.trial_frame(_cat.get("checkups"))


@st.cache_resource(show_spinner=False, max_entries=8)
def _uplift_model(fingerprint: str, arm: str, _cat) -> evaluation.UpliftModel:
    """One letter's uplift model, fitted once per data and shared read-only: a new number of letters
    is valued on its aggregates, never on the persons again (issue 27)."""
    rows = _trial_rows(fingerprint, _cat)
    rows = rows[rows["arm"].isin(["control", arm])]
    return evaluation.uplift_model(rows, treatment=arm, segments=["sex", "age_band", "past"])


@st.cache_data(show_spinner=False, max_entries=32)
def _targeting(fingerprint: str, arm: str, letters: int, _cat) -> evaluation.Targeting:
    return evaluation.targeting_at(_uplift_model(fingerprint, arm, _cat), letters)


@st.cache_data(show_spinner=False, max_entries=32)
def _trial(fingerprint: str, limit: int, cost_standard: int, cost_nudge: int, _pub) -> health.TrialReadout | None:
    return health.published_trial(_pub, cost_per_letter_yen={"standard": cost_standard, "nudge": cost_nudge})


@st.cache_data(show_spinner=False, max_entries=8)
def _did(fingerprint: str, limit: int, _cat, _pub) -> tuple[tuple[str, ...], evaluation.DidResult]:
    """The districts left out (a hidden count in some year) and the DiD on the rest."""
    rollout = health.did_panel(_pub, _cat.get("checkup_sites"))
    return rollout.suppressed_districts, evaluation.rollout_did(rollout.panel)


def _qini_chart(qini: pd.DataFrame, names: dict, title: str, y_title: str, x_title: str):
    """Extra attendees against the share of the insured sent a letter, one line per policy."""
    fig = charts.lines(qini, names, list(qini["share_targeted"]), title, y_title)
    fig.update_traces(mode="lines")
    fig.update_xaxes(title=x_title, tickformat=".0%")
    fig.update_yaxes(tickformat=",.0f")
    return fig


def _scenario(years: list[int]) -> Scenario:
    """The page's inputs: what a link carries (issue 28). Typed number inputs take any value in
    their range; sliders only their steps."""
    return Scenario("health", (
        Field("health_year", "int", years[-1], choices=tuple(years), label="health.year"),
        Field("health_cost_standard", "int", 84, lo=0, hi=2000, label="health.knob.cost_standard"),
        Field("health_cost_nudge", "int", 120, lo=0, hi=2000, label="health.knob.cost_nudge"),
        Field("health_baseline", "int", 30, lo=1, hi=95, label="health.knob.baseline"),
        Field("health_lift", "float", 3.0, lo=0.5, hi=20.0, label="health.knob.lift"),
        Field("health_target_arm", "str", "nudge", choices=("nudge", "standard"), label="health.knob.arm"),
        Field("health_letters", "int", 10000, lo=1000, hi=40000, step=1000, label="health.knob.letters"),
    ), passive=("lang", "health_tab"))


def _measure(v: dict) -> Measured:
    """A scenario's key figures for the comparison: the targeting (an uplift model of the trial's
    person-level rows: effects × letters, never counts), the trial's yen per extra attendee at
    the scenario's letter costs (published counts), the people a trial needs."""
    cat, pub = catalog(), publication()
    arm, letters = v["health_target_arm"], int(v["health_letters"])
    tg = _targeting(cat.fingerprint(), arm, letters, cat)
    pol = tg.policies.set_index("policy")
    best, rand = pol.loc["highest_uplift"], pol.loc["random"]
    L = lang()
    figures = {t("health.compare.letters"): f"{letters:,}（{t(f'health.arm.{arm}')}）" if L == "ja"
               else f"{letters:,} ({t(f'health.arm.{arm}')})",
               t("health.compare.best"): with_range(f"{best['extra_attendees']:,.0f}", f"{best['low']:,.0f}",
                                                    f"{best['high']:,.0f}", L),
               t("health.compare.random"): with_range(f"{rand['extra_attendees']:,.0f}", f"{rand['low']:,.0f}",
                                                      f"{rand['high']:,.0f}", L),
               t("health.compare.gain"): with_range(f"{tg.gain:+,.0f}", f"{tg.gain_low:+,.0f}", f"{tg.gain_high:+,.0f}",
                                                    L)}
    readout = _trial(cat.fingerprint(), threshold(), int(v["health_cost_standard"]), int(v["health_cost_nudge"]), pub)
    if readout is not None:
        eff = readout.effects.set_index("arm")
        if arm in eff.index:
            e = eff.loc[arm]
            figures[t("health.compare.cost")] = _yen_range(
                e["cost_per_extra_attendee_yen"], e["cost_per_extra_low_yen"], e["cost_per_extra_high_yen"])
    baseline, lift = int(v["health_baseline"]) / 100, float(v["health_lift"]) / 100
    figures[t("health.compare.per_arm")] = (f"{health.sample_size_per_arm(baseline, lift):,}" if baseline + lift < 1
                                            else "—")
    q = tg.qini
    return Measured(figures, pd.Series(list(q["by_uplift"]), index=[f"{x:.0%}" for x in q["share_targeted"]]))


@panel("health.compare")
def _compare_panel(spec: Scenario) -> None:
    with guard():
        compare_panel(spec, _measure, (t("health.compare.chart"), t("axis.share_targeted"),
                                       t("axis.extra_attendees")), estimates="compare")


def _yen_range(value: float, low: float, high: float) -> str:
    """Yen per extra attendee with its 95% interval; the upper bound, when the difference's
    interval reaches 0, is "no upper bound" (never a negative figure)."""
    if value != value:
        return "—"
    upper = t("health.cost.no_upper") if high == float("inf") else f"{high:,.0f}"
    return t("health.cost.range", cost=f"{value:,.0f}", low=f"{low:,.0f}", high=upper)


def _pp(x: float, L: str) -> str:
    return signed_points(x * 100, L)


def _pt(x: float) -> str:
    """A difference of fractions in points with the short unit, for a metric's value: 「-23.5pt」."""
    return "—" if x != x else t("health.unit.pt", n=f"{x * 100:+.1f}")


def _ci(low: float, high: float) -> str:
    return i18n.t("health.ci", lang(), low=f"{low * 100:+.1f}", high=f"{high * 100:+.1f}")


def _term(variable: str, level: str, reference: str, L: str) -> str:
    """A model term in the UI language: 「性別：女性（基準：男性）」."""
    def value(v: str) -> str:
        if variable == "sex":
            return i18n.t(f"sex.{v}", L)
        if variable == "age_band":
            return i18n.t("health.band", L, band=v)
        key = f"health.level.{v.replace(' ', '_')}"
        return i18n.t(key, L) if i18n.has(key) else v

    name = i18n.t(f"health.var.{variable}", L) if i18n.has(f"health.var.{variable}") else variable
    return i18n.t("health.term", L, variable=name, level=value(level), reference=value(reference))


def _segment_value(segment: str, value: str, L: str) -> str:
    if segment == "sex":
        return i18n.t(f"sex.{value}", L)
    if segment == "age_band":
        return i18n.t("health.band", L, band=value)
    return i18n.t(f"health.past.{value}", L)


def _show_rollout(did: evaluation.DidResult, cat, districts, years: list[int], L: str) -> None:
    """The 地区展開 tab once the estimate exists."""
    m = st.columns(3)
    m[0].metric(t("health.metric.did"), _pt(did.att), help=t(f"health.method.{did.method}"))
    m[1].metric(t("health.metric.did_ci"), _ci(did.att_low, did.att_high))
    m[2].metric(t("health.metric.twfe"), _pt(did.twfe), help=t("health.metric.twfe.help"))
    if did.warning:
        st.warning(t("health.did.warning", codes=", ".join(did.warning_codes)))
    st.info(t("health.reading.did", att=_pp(did.att, L), ci=_ci(did.att_low, did.att_high),
              treated=did.n_treated, districts=did.n_units))
    left, right = st.columns([3, 2])
    with left:
        title = t("health.chart.event", p="—" if did.pretrend_p is None else f"{did.pretrend_p:.2f}")
        st.plotly_chart(built(charts.event_study, did.event_study, title, t("axis.event_time"), t("axis.diff")),
                        width="stretch", config=CONFIG)
        st.caption(t("health.event.note"))
    with right:
        sites = cat.get("checkup_sites")
        new = sites[sites["opened_fiscal_year"] >= years[0]]
        old = sites[sites["opened_fiscal_year"] < years[0]]
        names = sites["name_ja"] if L == "ja" else sites["name_en"]
        label = dict(zip(sites["site_id"], names, strict=True))
        st.markdown(f"**{t('health.map.sites')}**")
        tips = [[html.escape(label[s]) for s in old["site_id"]],
                [t("health.map.new_site", name=html.escape(label[s]), fy=fy(y))
                 for s, y in zip(new["site_id"], new["opened_fiscal_year"], strict=True)]]
        deck = built(maps.sites_map, Keyed(districts, cat.fingerprint("districts")), [old, new],
                     [[0, 90, 255, 220], [255, 75, 0, 235]], [260, 320], tips, width_px=380, height_px=420)
        st.pydeck_chart(deck, height=420)
        st.caption(t("health.map.sites_legend"))
    source_note("health.source.did")


@panel("health.status")
def _status_panel(pub, years: list[int], districts, district_name: dict, L: str) -> None:
    with guard():
        year = st.selectbox(t("health.year"), years, index=len(years) - 1,
                            format_func=lambda y: i18n.fiscal_year_label(y, L), key="health_year")
        left, right = st.columns(2)
        with left:
            trend = health.uptake_trend(pub)
            trend = trend.assign(x=trend["fiscal_year"].map(fy_short))
            title = t("health.chart.trend", last=fy_short(years[-1]), rate=percent(trend["rate"].iloc[-1]))
            st.plotly_chart(built(charts.interval_lines, trend, "x",
                                  {t("health.uptake"): ("rate", "rate_low", "rate_high")}, title, t("axis.uptake"),
                                  reference={t("health.target_line"): health.TARGET_UPTAKE,
                                             t("health.national_line"): health.NATIONAL_NHI_UPTAKE}),
                            width="stretch", config=CONFIG)
            st.caption(t("health.trend.note", first=fy(years[0]), last=fy(years[-1])))
            source_note("health.source.checkups")
        with right:
            bs = health.published_uptake(pub, year, "band_sex")
            wide = bs.pivot(index="age_band", columns="sex", values="rate").reindex(list(health.AGE_BANDS))
            title = t("health.chart.band_sex", fy=fy_short(year))
            st.plotly_chart(built(charts.grouped_bars, wide.reset_index(), {"M": t("sex.M"), "F": t("sex.F")},
                                                [t("health.band", band=b) for b in wide.index], title,
                                                t("axis.uptake"), percent=True,
                                                reference={t("health.target_line"): health.TARGET_UPTAKE}),
                            width="stretch", config=CONFIG)
            source_note("health.source.checkups")
        left, right = st.columns([3, 2])
        with left:
            d = health.published_uptake(pub, year, "district").set_index("district_id").reindex(
                districts["district_id"]).reset_index()
            tips = [t("health.map.tooltip", name=html.escape(str(district_name[i])), rate=percent(r),
                      attended=a, eligible=e)
                    for i, r, a, e in zip(d["district_id"], d["rate"], d["attended_label"].fillna("—"),
                                          d["eligible_label"].fillna("—"), strict=True)]
            st.markdown(f"**{t('health.map.title', fy=fy(year))}**")
            deck = built(maps.district_map, Keyed(districts, catalog().fingerprint("districts")), d["district_id"],
                         d["rate"], tips,
                                     counts={"eligible": d["eligible_label"].fillna("—").tolist(),
                                             "attended": d["attended_label"].fillna("—").tolist()})
            st.pydeck_chart(deck, height=480)
            st.markdown(maps.legend_html(d["rate"], percent, t("health.map.low"), t("health.map.high")),
                        unsafe_allow_html=True)
            source_note("health.source.checkups")
        with right:
            fn = health.published_funnel(pub, year)
            fn = fn.assign(step_text=fn["step"].map(lambda s: t(f"health.step.{s}")),
                           share=fn["share_of_previous"].map(percent))
            st.markdown(f"**{t('health.table.funnel', fy=fy(year))}**")
            show_table(fn, {"step_text": t("col.step"), "people_label": t("col.people"),
                            "share": t("col.share_of_previous")})
            st.caption(t("health.funnel.note"))
        link_line(t("health.scenario.status", fy=fy(year)))


@panel("health.who")
def _who_panel(cat, pub, latest: int, L: str) -> None:
    with guard():
        left, right = st.columns(2)
        with left:
            pats = health.patterns_by_band(pub)
            title = t("health.chart.patterns", first=fy_short(latest - 2), last=fy_short(latest))
            st.plotly_chart(built(charts.stacked_bars, pats, {p: t(f"health.pattern.{p}") for p in health.PATTERNS},
                                                [t("health.band", band=b) for b in pats["age_band"]], title,
                                                t("axis.persons")), width="stretch", config=CONFIG)
            untreated = health.published_untreated(pub)
            st.caption(t("health.untreated", fy=fy(untreated["fiscal_year"]), share=percent(untreated["share"])))
            source_note("health.source.checkups")
        model = _model(cat.fingerprint(), latest, cat)
        with right, model_estimates("nonattendance-odds"):
            ors = model.odds_ratios
            ors = ors.assign(term=[_term(v, lv, r, L) for v, lv, r in zip(ors["variable"], ors["level"],
                                                                          ors["reference"], strict=True)])
            title = t("health.chart.forest", fy=fy_short(latest))
            st.plotly_chart(built(charts.forest, ors, "term", "odds_ratio", "low", "high", title, t("axis.odds_ratio")),
                            width="stretch", config=CONFIG)
            st.caption(t("health.forest.note", clusters=model.clusters))
        with model_estimates("nonattendance-effects"):
            me = model.marginal_effects
            me = me.assign(term=[_term(v, lv, r, L) for v, lv, r in zip(me["variable"], me["level"],
                                                                       me["reference"], strict=True)])
            me = me.assign(ame_text=me["ame"].map(lambda v: _pp(v, L)), ci=[_ci(lo, hi) for lo, hi in
                                                                             zip(me["low"], me["high"], strict=True)])
            st.markdown(f"**{t('health.table.ame')}**")
            show_table(me, {"term": t("col.term"), "ame_text": t("col.ame"), "ci": t("col.ci95")})
            top = me.loc[me["ame"].abs().idxmax()]
            st.info(t("health.reading.who", term=top["term"], ame=_pp(top["ame"], L),
                      ci=_ci(top["low"], top["high"])))
        link_line(t("health.scenario.who", fy=fy(latest)))


@panel("health.trial")
def _trial_panel(cat, pub, latest: int, L: str) -> None:
    with guard():
        c = st.columns(3)
        cost_standard = c[0].number_input(t("health.knob.cost_standard"), 0, 2000, 84, 1, key="health_cost_standard")
        cost_nudge = c[1].number_input(t("health.knob.cost_nudge"), 0, 2000, 120, 1, key="health_cost_nudge")
        readout = _trial(cat.fingerprint(), threshold(), int(cost_standard), int(cost_nudge), pub)
        if readout is None:
            st.info(t("health.no_trial"))
        else:
            arms = mark_counts(readout.arms.assign(
                arm_text=readout.arms["arm"].map(lambda a: t(f"health.arm.{a}")),
                invited_text=readout.arms["invited"].map(lambda v: f"{v:,.0f}"),
                attended_text=readout.arms["attended"].map(lambda v: f"{v:,.0f}"),
                rate_text=readout.arms["rate"].map(percent),
                ci=[f"{percent(lo)}〜{percent(hi)}" for lo, hi in zip(readout.arms["rate_low"],
                                                                    readout.arms["rate_high"], strict=True)]),
                ["invited_text", "attended_text"])
            st.markdown(f"**{t('health.table.arms', fy=fy(latest))}**")
            show_table(arms, {"arm_text": t("col.arm"), "invited_text": t("col.invited"),
                              "attended_text": t("col.attended"), "rate_text": t("col.uptake"), "ci": t("col.ci95")})
            eff = readout.effects
            eff = eff.assign(
                arm_text=eff["arm"].map(lambda a: t(f"health.arm.{a}")),
                diff_text=eff["diff"].map(lambda v: _pp(v, L)),
                ci=[_ci(lo, hi) for lo, hi in zip(eff["diff_low"], eff["diff_high"], strict=True)],
                rr=[f"{r:.2f}（{lo:.2f}〜{hi:.2f}）" for r, lo, hi in zip(eff["risk_ratio"], eff["rr_low"],
                                                                       eff["rr_high"], strict=True)],
                p=eff["p_value"].map(lambda v: "<0.001" if v < 0.001 else f"{v:.3f}"),
                p_holm=eff["p_holm"].map(lambda v: "<0.001" if v < 0.001 else f"{v:.3f}"),
                letters=eff["letters_per_extra_attendee"].map(lambda v: "—" if v != v else f"{v:,.1f}"),
                cost=[_yen_range(v, lo, hi) for v, lo, hi in zip(eff["cost_per_extra_attendee_yen"],
                                                                  eff["cost_per_extra_low_yen"],
                                                                  eff["cost_per_extra_high_yen"], strict=True)])
            st.markdown(f"**{t('health.table.effects')}**")
            show_table(eff, {"arm_text": t("col.arm"), "diff_text": t("col.diff"), "ci": t("col.ci95"),
                             "rr": t("col.risk_ratio"), "p": t("col.p_value"), "p_holm": t("col.p_holm"),
                             "letters": t("col.letters_per_extra"), "cost": t("col.cost_per_extra")})
            st.caption(t("health.effects.note"))
            for _, e in eff.iterrows():
                st.info(t("health.reading.trial", arm=e["arm_text"], diff=_pp(e["diff"], L), ci=e["ci"],
                          cost=e["cost"]))
            seg = readout.by_segment
            seg = seg[seg["arm"] == "nudge"] if "nudge" in set(seg["arm"]) else seg
            seg = seg.assign(label=[f"{t(f'health.segment.{s}')}: {_segment_value(s, v, L)}"
                                    for s, v in zip(seg["segment"], seg["value"], strict=True)])
            title = t("health.chart.segments", arm=t("health.arm.nudge"))
            st.plotly_chart(built(charts.forest, seg, "label", "diff", "diff_low", "diff_high", title, t("axis.diff"),
                                          null=0.0, log=False, percent=True), width="stretch", config=CONFIG)
            st.caption(t("health.segments.note"))
        source_note("health.source.trial")
        link_line(t("health.scenario.trial", fy=fy(latest), standard=f"{cost_standard:,}", nudge=f"{cost_nudge:,}"))


@panel("health.power")
def _power_panel() -> None:
    with guard():
        st.markdown(f"**{t('health.power.title')}**")
        c = st.columns(3)
        baseline = c[0].number_input(t("health.knob.baseline"), 1, 95, 30, 1, key="health_baseline") / 100
        lift = c[1].number_input(t("health.knob.lift"), 0.5, 20.0, 3.0, 0.5, key="health_lift") / 100
        if baseline + lift < 1:
            c[2].metric(t("health.metric.per_arm"), f"{health.sample_size_per_arm(baseline, lift):,}")
        else:
            c[2].warning(t("health.power.invalid", baseline=percent(baseline, 0), lift=f"{lift * 100:g}"))
        st.caption(t("health.power.note"))
        link_line(t("health.scenario.power", baseline=percent(baseline, 0), lift=f"{lift * 100:g}"))


@panel("health.rollout")
def _rollout_panel(cat, pub, districts, district_name: dict, years: list[int], L: str) -> None:
    with guard():
        try:
            left_out, did = _did(cat.fingerprint(), threshold(), cat, pub)
        except ValueError as exc:  # e.g. no district left to compare with
            did = None
            st.warning(t("health.did.unavailable", reason=str(exc)))
        if did is not None and left_out:
            st.info(t("health.did.left_out", n=len(left_out),
                      districts="、".join(district_name.get(d, d) for d in left_out) if L == "ja"
                      else ", ".join(district_name.get(d, d) for d in left_out)))
        if did is not None:
            _show_rollout(did, cat, districts, years, L)
        link_line(t("health.scenario.rollout"))


@panel("health.targeting")
def _targeting_panel(cat, L: str) -> None:
    with guard():
        c = st.columns([2, 3])
        arm = c[0].segmented_control(t("health.knob.arm"), ["nudge", "standard"], default="nudge", required=True,
                                     format_func=lambda a: i18n.t(f"health.arm.{a}", L), key="health_target_arm")
        letters = c[1].slider(t("health.knob.letters"), 1000, 40000, 10000, 1000, key="health_letters")
        # an uplift model of the trial's person-level rows: effects × letters, never counts (README, Privacy)
        with model_estimates("targeting"):
            tg = _targeting(cat.fingerprint(), arm, int(letters), cat)
            pol = tg.policies.set_index("policy")
            best, rand = pol.loc["highest_uplift"], pol.loc["random"]
            st.info(t("health.reading.targeting", letters=f"{letters:,}", arm=t(f"health.arm.{arm}"),
                      best=f"{best['extra_attendees']:,.0f}", low=f"{best['low']:,.0f}", high=f"{best['high']:,.0f}",
                      random=f"{rand['extra_attendees']:,.0f}", more=f"{tg.gain:+,.0f}",
                      more_low=f"{tg.gain_low:+,.0f}", more_high=f"{tg.gain_high:+,.0f}"))
            left, right = st.columns(2)
            with left:
                p = tg.policies.assign(name=tg.policies["policy"].map(lambda k: t(f"health.policy.{k}")))
                title = t("health.chart.policies", letters=f"{letters:,}")
                fig = built(charts.forest, p, "name", "extra_attendees", "low", "high", title,
                            t("axis.extra_attendees"), null=0.0, log=False)
                st.plotly_chart(fig, width="stretch", config=CONFIG)
            with right:
                q = tg.qini
                title = t("health.chart.qini")
                fig = built(_qini_chart, q, {"by_uplift": t("health.policy.highest_uplift"),
                                             "by_nonattendance": t("health.policy.highest_nonattendance"),
                                             "random": t("health.policy.random")}, title, t("axis.extra_attendees"),
                            t("axis.share_targeted"))
                st.plotly_chart(fig, width="stretch", config=CONFIG)
            seg = health.top_segments(tg.segments, threshold())  # ranked by the shrunk estimate (winner's curse)
            seg = seg.assign(sex_text=seg["sex"].map(lambda s: t(f"sex.{s}")),
                             band_text=seg["age_band"].map(lambda b: t("health.band", band=b)),
                             past_text=seg["past"].map(lambda v: t(f"health.past.{v}")),
                             uplift_text=seg["uplift_eb"].map(lambda v: _pp(v, L)),
                             ci=[_ci(lo, hi) for lo, hi in zip(seg["uplift_eb_low"], seg["uplift_eb_high"],
                                                               strict=True)])
            st.markdown(f"**{t('health.table.segments')}**")
            show_table(seg, {"sex_text": t("col.sex"), "band_text": t("col.age_band"), "past_text": t("col.past"),
                             "uplift_text": t("col.uplift_eb"), "ci": t("col.ci95")})
            st.caption(t("health.targeting.note", limit=threshold()))
        source_note("health.source.trial")
        link_line(t("health.scenario.targeting", arm=t(f"health.arm.{arm}"), letters=f"{letters:,}"))



page_header("health.title", "health.lead")
trace_run("health")

with guard():
    cat = catalog()
    pub = publication()
    L = lang()
    years = health.health_years(pub)
    if not years:
        st.info(t("health.no_data"))
        st.stop()
    districts = cat.get("districts")
    district_name = dict(zip(districts["district_id"], districts["name_ja"] if L == "ja" else districts["name_en"],
                             strict=True))
    latest = years[-1]
    spec = _scenario(years)
    begin(spec)
    city = health.published_uptake(pub, latest, "city").iloc[0]

    m = st.columns(4)
    m[0].metric(t("health.metric.uptake", fy=fy_short(latest)), percent(city["rate"]),
                help=t("health.metric.uptake.help", low=percent(city["rate_low"]), high=percent(city["rate_high"])))
    m[1].metric(t("health.metric.eligible"), people_label(city["eligible"], city["eligible_label"], L),
                help=t("health.metric.eligible.help"))
    m[2].metric(t("health.metric.to_target"), _pt(city["rate"] - health.TARGET_UPTAKE), delta_color="off",
                help=t("health.metric.to_target.help", target=percent(health.TARGET_UPTAKE, 0)))
    m[3].metric(t("health.metric.national"), _pt(city["rate"] - health.NATIONAL_NHI_UPTAKE),
                help=t("health.metric.national.help", national=percent(health.NATIONAL_NHI_UPTAKE)))

    status, who, trial, rollout, targeting = lazy_tabs("pages/health.py", keep=keep_values(spec))

    # one tab's failure never hides the others: each panel has its own guard
    if status.open:
        with status:
            _status_panel(pub, years, districts, district_name, L)
    if who.open:
        with who:
            _who_panel(cat, pub, latest, L)
    if trial.open:
        with trial:
            _trial_panel(cat, pub, latest, L)
            _power_panel()
    if rollout.open:
        with rollout:
            _rollout_panel(cat, pub, districts, district_name, years, L)
    if targeting.open:
        with targeting:
            _targeting_panel(cat, L)
            _compare_panel(spec)
    sync(spec)
