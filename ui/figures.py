"""Figures and map layers built once per their inputs, shared by the sessions of a process.

A page asks for a chart as ``built(charts.waterfall, table, labels, title)``: the builder runs
only the first time these arguments are seen (by value: the published tables, the scenario's
parameters, the language's labels); later reruns and other sessions with the same data and
settings get the same object back. The arguments are what the figure is made of, so a figure
can never be stale: the data's fingerprint and the page's parameters reach it through the
tables they produced. An argument that is costly to hash (the district boundaries) is passed
as :class:`Keyed`, hashed by the key given with it (the data's fingerprint).

Objects come back shared (``st.cache_resource``), not copied: nothing may change them after
they are built. ``st.plotly_chart`` copies a figure before it serialises it, and a map's JSON
is written once (:class:`ui.maps.Deck`), so drawing one does not change it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

T = TypeVar("T")
MAX_FIGURES = 512
"""Figures and maps kept per process (each some tens of KiB): every page's charts for many
settings, enough for a workshop where 30 people try a few values each."""


@dataclass(frozen=True)
class Keyed:
    """An argument hashed by ``key`` instead of its value (the district boundaries by the
    fingerprint of the data they came from)."""

    value: Any
    key: Hashable


def _unwrap(value: Any) -> Any:
    return value.value if isinstance(value, Keyed) else value


def _hashed(value: Any) -> Any:
    if callable(value) and not isinstance(value, type):
        # a function is hashed by its code, not by what it closes over (a formatter's language)
        raise TypeError(f"built(): pass values, not functions ({value!r}); format inside the builder")
    if isinstance(value, Keyed):
        return ("keyed", value.key)
    if isinstance(value, pd.DataFrame) and value.attrs:  # the count marks travel in attrs, which Streamlit skips
        return ("frame", value, repr(sorted(value.attrs.items())))
    return value


@st.cache_resource(show_spinner=False, max_entries=MAX_FIGURES)
def _built(name: str, args: tuple, kwargs: dict, _build: Callable[..., Any], _args: tuple, _kwargs: dict) -> Any:
    """``name``, ``args`` and ``kwargs`` make the key (hashed by Streamlit: tables by value);
    the underscored ones are what the builder is called with."""
    return _build(*_args, **_kwargs)


def built(build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``build(*args, **kwargs)``, made once per distinct arguments (see the module docstring)."""
    code = getattr(build, "__code__", None)  # a page's functions all live in module "__main__"
    name = (f"{build.__module__}.{build.__qualname__}@{code.co_filename if code else ''}"
            f"#{hash(code.co_code) if code else ''}")  # an edited builder builds again
    if "<" in build.__qualname__:  # a lambda or a nested function: two of them could share a name and differ
        raise TypeError(f"built(): the builder must be a module-level function, not {name}")
    return _built(name, tuple(_hashed(a) for a in args), {k: _hashed(v) for k, v in kwargs.items()},
                  build, tuple(_unwrap(a) for a in args), {k: _unwrap(v) for k, v in kwargs.items()})
