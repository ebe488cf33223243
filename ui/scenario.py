"""A page's scenario in its URL, and the link a planner sends (issue 28).

A page declares its inputs as an :class:`analytics.core.scenario.Scenario` (each input's widget
key, kind, default and allowed values) and calls:

* :func:`begin` at the top, before any of its widgets. On the page's first run in a session it
  reads the link: every parameter is checked (:meth:`Scenario.read`), each valid value goes
  into the session state before its widget exists, an invalid one leaves its input at the
  default, and one warning names each problem. A link made on other data says which datasets
  differ. Coming back to the page later in the session (Streamlit clears the URL when the
  page changes) restores the scenario the planner left there.
* :func:`sync` at the end of the page and of each panel (``ui.panels.panel`` does it): the
  URL then holds every input that differs from its default — also those of closed tabs, whose
  widgets are not drawn — and the data mark. Widgets drawn on every run are bound to their
  query parameter by Streamlit itself (``bind="query-params"``); the others (inside lazily drawn
  tabs, whose binding Streamlit drops while the tab is closed) and the ``s`` blob are written
  here.
* :func:`link_line` in a panel: one sentence stating the scenario and the link to copy.

The link of a scenario longer than :data:`MAX_URL` characters is kept in the store
(:mod:`analytics.core.store`) and carries its short id.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from analytics import i18n
from analytics.core import scenario as sc
from analytics.core.store import MAX_NAME, StoreUnavailable
from ui import charts
from ui.figures import built
from ui.furniture import model_estimates
from ui.nav import CURRENT_PAGE, PAGES
from ui.session import catalog, lang, publication, scenario_store, t, threshold

log = logging.getLogger("ebpm")
MAX_URL = 2000
_SEEN = "_scenario_seen"  # pages whose link this session has read
_SAVED = "_scenario_saved"  # page → the values the planner left there
_NOTES = "_scenario_notes"  # page → what the link got wrong (shown on the page's runs)
_SPEC = "_scenario_spec"  # the page's declaration, for the panels' syncs
_MARK = "_scenario_mark"  # (data fingerprint, threshold) → the data mark
_SHORT = "_scenario_short"  # a long link → the short one the store gave it (made once, when asked)


def _raw_params() -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for key in st.query_params.keys():  # noqa: SIM118 (a proxy: keys() is what it offers)
        values = st.query_params.get_all(key)
        out[key] = values[0] if len(values) == 1 else values
    return out


def data_fingerprints() -> dict[str, str]:
    """What the data mark digests (:meth:`analytics.catalog.Catalog.link_prints`)."""
    return catalog().link_prints(publication())


def _data_mark() -> str:
    """The data mark of the session's data, made once per data and threshold (every run and
    panel writes it; the publication's digests need not be asked for again)."""
    cat = catalog()
    key = (cat.fingerprint(), threshold())
    held = st.session_state.get(_MARK)
    if held is None or held[0] != key:
        held = st.session_state[_MARK] = (key, sc.data_mark(data_fingerprints()))
    return held[1]


def begin(spec: sc.Scenario) -> None:
    """Read the link on the page's first run; restore the page's scenario after a page switch;
    show what the link got wrong. Call before any of the page's widgets."""
    st.session_state[_SPEC] = spec
    seen = st.session_state.setdefault(_SEEN, set())
    saved: dict = st.session_state.setdefault(_SAVED, {})
    notes: dict = st.session_state.setdefault(_NOTES, {})
    if spec.page not in seen:
        seen.add(spec.page)
        notes[spec.page] = _read_link(spec)
    else:  # back on the page: the widgets Streamlit cleaned up get the values left here
        for key, value in saved.get(spec.page, {}).items():
            if key not in st.session_state:
                st.session_state[key] = value
    for kind, text in notes.get(spec.page, []):
        (st.warning if kind == "warning" else st.info)(text, icon=":material/link:")


def _read_link(spec: sc.Scenario) -> list[tuple[str, str]]:
    """Put the link's valid values into the session state and return the notes to show."""
    raw = _raw_params()
    reading = spec.read(raw)
    values, problems = dict(reading.values), list(reading.problems)
    notes: list[tuple[str, str]] = []
    if reading.stored is not None:
        try:
            stored = scenario_store().load(reading.stored, now=time.time())
        except StoreUnavailable as exc:
            log.warning("scenario store unavailable: %s", exc)
            stored = None
            notes.append(("warning", t("scenario.store_unavailable")))
        if stored is None or stored.page != spec.page:
            problems.append(sc.Problem(sc.STORED_KEY, "stored", reading.stored[:40]))
        else:
            again = spec.read(stored.params)
            values = again.values | values  # what the URL itself sets wins
            problems += list(again.problems)
            reading = sc.Reading(values, tuple(problems), reading.data or again.data, reading.stored)
    problems += _read_tab(spec.page, raw)
    for key, value in values.items():
        st.session_state[key] = value
    for p in problems:
        if p.key in {f.key for f in spec.fields} and p.key not in values:
            st.session_state[p.key] = spec.field(p.key).default  # also over Streamlit's own reading of the URL
    if problems:
        notes.append(("warning", t("scenario.problems", items=_problem_list(spec, problems))))
    if reading.data is not None:
        differing = sc.differing_datasets(reading.data, data_fingerprints())
        if differing is None:
            notes.append(("info", t("scenario.data_unknown")))
        elif differing:
            names = "、".join(catalog().schema(n).title(lang()) for n in differing)
            notes.append(("info", t("scenario.data_differs", datasets=names)))
    return notes


def _read_tab(page: str, raw: Mapping[str, Any]) -> list[sc.Problem]:
    """The open tab of a link, given by its label in either language: opened in the session's
    language; an unknown label is a problem (Streamlit would open the first tab silently)."""
    spec = next((p for p in PAGES if (p.url_path or "home") == page), None)
    if spec is None or not spec.tabs or spec.tab_key not in raw:
        return []
    label = raw[spec.tab_key]
    for lang_code in i18n.LANGUAGES:
        labels = [i18n.t(k, lang_code) for k in spec.tabs]
        if label in labels:
            st.session_state[spec.tab_key] = t(spec.tabs[labels.index(label)])
            return []
    return [sc.Problem(spec.tab_key, "choice", str(label)[:40])]


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def plain(text: str) -> str:
    """``text`` shown as it is inside markdown: what a URL or a planner typed can never become a
    link, an image or a colour there."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def _problem_list(spec: sc.Scenario, problems: list[sc.Problem]) -> str:
    by_key = {f.key: f for f in spec.fields}
    items = []
    for p in problems:
        f = by_key.get(p.key)
        name = (t(f.label) if f is not None and f.label
                else t("scenario.tab") if p.key.endswith("_tab") else plain(p.key))
        items.append(t(f"scenario.problem.{p.code}", name=name, value=plain(p.raw)))
    return "／".join(items) if lang() == "ja" else "; ".join(items)


def current_values(spec: sc.Scenario) -> dict[str, Any]:
    """The page's inputs as the session holds them (those not held are at their defaults)."""
    saved = st.session_state.get(_SAVED, {}).get(spec.page, {})
    out = {}
    for f in spec.fields:
        if f.key in st.session_state:
            out[f.key] = _plain(st.session_state[f.key])
        elif f.key in saved:
            out[f.key] = saved[f.key]
    return out


def _plain(value: Any) -> Any:
    """A widget's value as JSON holds it (a data editor's frame as rows, a tuple as a list)."""
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "to_numpy") and hasattr(value, "columns"):
        return [[float(v) for v in row] for row in value.to_numpy()]
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()  # a numpy scalar
    return value


def params(spec: sc.Scenario) -> dict[str, str | list[str]]:
    """The query parameters of the page's current scenario (inputs off their defaults, the data mark)."""
    return spec.params(current_values(spec), data=_data_mark())


def sync(spec: sc.Scenario | None = None) -> None:
    """Keep the page's scenario (for a page switch) and write it to the URL (see the module
    docstring). Parameters bound to a drawn widget are Streamlit's to write."""
    spec = spec or st.session_state.get(_SPEC)
    if spec is None or st.session_state.get(CURRENT_PAGE, spec.page) != spec.page:
        return  # a page without a scenario (the data page): the last page's is not its own
    values = current_values(spec)
    st.session_state.setdefault(_SAVED, {})[spec.page] = values
    wanted = spec.params(values, data=_data_mark())
    have = _raw_params()
    for key in list(have):
        if key not in spec.passive and key not in wanted:  # off its default now, or unknown (warned of)
            try:
                del st.query_params[key]
            except (StreamlitAPIException, KeyError):
                pass  # bound to a drawn widget: Streamlit keeps it right
    for key, value in wanted.items():
        if have.get(key) != value:
            try:
                st.query_params[key] = value
            except StreamlitAPIException:
                pass


def _link_parts(spec: sc.Scenario) -> tuple[str, dict]:
    """The page's address and the query of its current scenario (the open tab and language kept)."""
    query = {k: v for k, v in _raw_params().items() if k in spec.passive} | params(spec)
    return _base(), query


def _base() -> str:
    """The page's address as the browser shows it, without its query ("" under AppTest)."""
    return (st.context.url or "").rstrip("/")


def link(spec: sc.Scenario | None = None) -> str:
    """The full link of the page's current scenario (it may be longer than :data:`MAX_URL`)."""
    base, query = _link_parts(spec or st.session_state[_SPEC])
    return f"{base}?{sc.query_string(query)}"


def short_link(spec: sc.Scenario | None = None) -> str:
    """A link to the current scenario kept in the store: its id, the data mark, the tab and the
    language (:class:`StoreUnavailable` when the store cannot be written)."""
    spec = spec or st.session_state[_SPEC]
    base, query = _link_parts(spec)
    kept = {k: v for k, v in query.items() if k in spec.passive or k == sc.DATA_KEY}
    sid = scenario_store().save(spec.page, {k: v for k, v in query.items() if k not in kept}, now=time.time())
    return f"{base}?{sc.query_string(kept | {sc.STORED_KEY: sid})}"


def link_line(sentence: str) -> None:
    """The scenario in one sentence, and its link to copy (inside the panel: true after its reruns).
    A scenario too long for a URL is kept in the store only when the planner asks for its link."""
    left, right = st.columns([3, 1], vertical_alignment="center")  # the button's label fits in a narrow panel
    left.caption(sentence)
    with right.popover(t("scenario.copy"), icon=":material/link:", width="content"):
        full = link()
        if len(full) <= MAX_URL:
            st.code(full, language=None, wrap_lines=True)
            st.caption(t("scenario.copy.help"))
            return
        made: dict = st.session_state.setdefault(_SHORT, {})
        st.caption(t("scenario.too_long", n=f"{len(full):,}"))
        if full not in made and st.button(t("scenario.make_short"), icon=":material/bookmark_add:",
                                          key=f"_short_{hashlib.sha1(sentence.encode()).hexdigest()[:10]}"):
            try:
                made[full] = short_link()
            except StoreUnavailable:
                st.warning(t("scenario.store_unavailable"))
        if full in made:
            st.code(made[full], language=None, wrap_lines=True)
            st.caption(t("scenario.copy.help"))


def keep_values(spec: sc.Scenario) -> tuple[str, ...]:
    """The page's input keys: ``ui.panels.lazy_tabs`` carries their values over while a tab is closed."""
    return tuple(f.key for f in spec.fields)


@dataclass(frozen=True)
class Measured:
    """What a page compares of one scenario: its key figures (label → text, each with its
    interval or bound where it has one) and its main series (x → value) for the overlaid chart."""

    figures: dict[str, str]
    series: pd.Series


def values_of(spec: sc.Scenario, params_: Mapping[str, Any]) -> dict[str, Any]:
    """Every input of a stored scenario: its checked values over the defaults (an input the data
    does not hold, or gone wrong, at its default)."""
    return spec.defaults() | spec.read(params_).values


def compare_panel(spec: sc.Scenario, measure: Callable[[dict[str, Any]], Measured], chart: tuple[str, str, str],
                  estimates: str | None = None) -> None:
    """Save the page's scenario under a name, and show two or three saved ones side by side with
    the current one: their key figures in a table, their main series overlaid (``chart``: title,
    x and y axis titles). Saved scenarios are in the store: they survive a reload and anyone with
    the deployment sees them, each with its link. ``estimates``: the figures come from a model
    fitted on person-level rows (shown inside ``ui.furniture.model_estimates``)."""
    st.markdown(f"**{t('scenario.compare.title')}**")
    store_ok = True
    c = st.columns([3, 1], vertical_alignment="bottom")
    name = c[0].text_input(t("scenario.save.name"), key=f"_save_name_{spec.page}", max_chars=MAX_NAME,
                           placeholder=t("scenario.save.placeholder"))
    if c[1].button(t("scenario.save"), key=f"_save_{spec.page}", icon=":material/bookmark_add:",
                   disabled=not name.strip(), width="stretch"):
        try:
            sid = scenario_store().save(spec.page, params(spec), now=time.time(), name=name)
            st.success(t("scenario.saved", name=plain(name.strip())))
            st.code(_link_to(spec, sid), language=None, wrap_lines=True)
        except StoreUnavailable:
            store_ok = False
    try:
        saved = scenario_store().saved(spec.page, now=time.time()) if store_ok else []
    except StoreUnavailable:
        store_ok, saved = False, []
    if not store_ok:
        st.warning(t("scenario.store_unavailable"))
        return
    if not saved:
        st.caption(t("scenario.compare.none"))
        return
    by_id = {s.id: s for s in saved}
    chosen = st.multiselect(t("scenario.compare.choose"), list(by_id), key=f"_compare_{spec.page}", max_selections=3,
                            format_func=lambda i: by_id[i].name or i, placeholder=t("select.placeholder"))
    if not chosen:
        return
    runs = [(t("scenario.compare.current"), spec.defaults() | current_values(spec))]
    names = [by_id[i].name or i for i in chosen]
    runs += [(n if names.count(n) == 1 and n != runs[0][0] else f"{n} ({i})", values_of(spec, by_id[i].params))
             for n, i in zip(names, chosen, strict=True)]  # one column each, also for names used twice
    with model_estimates(estimates) if estimates else nullcontext():
        measured = [(label, measure(values)) for label, values in runs]
        table = pd.DataFrame({label: m.figures for label, m in measured})
        st.table(table.astype("string"))  # a static table: its long labels wrap instead of being cut
        title, x_title, y_title = chart
        lines = pd.DataFrame({label: m.series for label, m in measured})
        st.plotly_chart(built(charts.overlaid, lines, title, x_title, y_title), width="stretch",
                        config={"displaylogo": False})
    for i in chosen:
        st.caption(f"{plain(by_id[i].name or i)}: {_link_to(spec, i)}")


def _link_to(spec: sc.Scenario, sid: str) -> str:
    """The link of a saved scenario: its id (the store holds its inputs) and the open tab."""
    kept = {k: v for k, v in _raw_params().items() if k in spec.passive}
    return f"{_base()}?{sc.query_string(kept | {sc.STORED_KEY: sid})}"
