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
from collections.abc import Callable
from typing import Any

import streamlit as st

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
    """Make a function a panel: an ``st.fragment`` whose runs are counted as ``name``."""

    def wrap(body: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(body)
        def run(*args: Any, **kwargs: Any) -> Any:
            trace_run(name)
            return body(*args, **kwargs)

        return st.fragment(run)

    return wrap
