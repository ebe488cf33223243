"""Panels: the parts of a page driven by their own widgets, each an ``st.fragment``.

A widget inside a panel reruns that panel only, not the whole page (issue 27: a room of 30
clicking at once). A panel reads what the page computed before it (the session's catalog and
publication, the years) as arguments; everything heavy it calls is cached.

With ``EBPM_TRACE_RUNS=1`` in the server's environment (the browser tests set it), each page
run and each panel run leaves an invisible marker with its run count, so a test can see which
parts a click reran. Off by default: nothing is added to a page.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ui.nav import PAGES
from ui.scenario import sync
from ui.session import t

TRACE_ENV = "EBPM_TRACE_RUNS"
_RUNS_KEY = "_ebpm_runs"


def trace_run(name: str) -> None:
    """Count a run of ``name`` (a page or a panel) and, in trace mode, leave its marker."""
    if not os.environ.get(TRACE_ENV):
        return
    runs = st.session_state.setdefault(_RUNS_KEY, {})
    runs[name] = runs.get(name, 0) + 1
    st.html(f'<span class="ebpm-runs" data-name="{name}" data-runs="{runs[name]}"></span>')


def panel(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make a function a panel: an ``st.fragment`` whose runs are counted as ``name``, and
    which writes the page's scenario to the URL when it ends (``ui.scenario.sync``)."""

    def wrap(body: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(body)
        def run(*args: Any, **kwargs: Any) -> Any:
            trace_run(name)
            try:
                return body(*args, **kwargs)
            finally:
                sync()  # the panel's inputs in the URL also after a rerun of the panel alone

        return st.fragment(run)

    return wrap


def lazy_tabs(page: str, keep: Iterable[str] = ()) -> list[Any]:
    """The tabs of ``page`` (its path; their labels and key come from ``ui.nav.PAGES``), whose
    content runs only while open (issue 27: a page's first run draws one tab, not all of them);
    ``if tab.open:`` guards each tab's content. The open tab is in the URL (the query parameter
    ``nursery_tab`` and so on, the tab's label), so a link can open a page on a tab.

    A widget that is not drawn in a run loses its value (Streamlit cleans up its state): the
    widgets of the tabs, named in ``keep``, have their values carried over each run, so that a
    planner who looks at another tab comes back to the settings they left. A label changes with
    the language: switching the language opens the first tab."""
    for k in keep:
        if k in st.session_state:
            try:
                st.session_state[k] = st.session_state[k]
            except StreamlitAPIException:
                pass  # a widget already drawn above the tabs keeps its value itself
    spec = next(p for p in PAGES if p.path == page)
    return list(st.tabs([t(k) for k in spec.tabs], key=spec.tab_key, bind="query-params"))
