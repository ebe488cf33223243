"""Common page furniture: the sidebar (language, badge), headers, source notes, downloads,
and a guard that turns an unexpected failure into a clear message instead of a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from analytics import i18n
from analytics.core.projection import NotEnoughData
from ui.session import LANG_KEY, catalog, configured_threshold, lang, t, threshold

log = logging.getLogger("ebpm")
# How each language appears in the URL (?lang=English): the bound widget writes its label.
LANGUAGE_LABELS = {"ja": "日本語", "en": "English"}
SHELL_KEY = "_app_shell"


def sidebar() -> None:
    """Language switch and the data-source badge, shown on every page."""
    st.session_state[SHELL_KEY] = True  # app.py ran for this session (see _ensure_app_shell)
    with st.sidebar:
        st.segmented_control(
            i18n.t("app.language"),
            options=list(i18n.LANGUAGES),
            format_func=LANGUAGE_LABELS.get,
            default=i18n.DEFAULT_LANGUAGE,
            required=True,
            key=LANG_KEY,
            bind="query-params",
        )
        data_badge()
        try:
            limit = threshold()
        except ValueError:
            st.error(t("app.threshold_invalid", value=configured_threshold()))
            st.stop()
        st.caption(t("app.threshold", threshold=limit))
        st.caption(t("app.privacy_note", threshold=limit))


def data_badge() -> None:
    """A visible badge saying whose data is shown (synthetic unless the planner uploaded own data)."""
    cat = catalog()
    if cat.is_synthetic():
        st.badge(t("app.badge_synthetic"), icon=":material/science:", color="orange")
        return
    names = [cat.schema(n).title(lang()) for n in cat.uploaded()]
    st.badge(t("app.badge_own", names="、".join(names)), icon=":material/upload_file:", color="blue")


def _ensure_app_shell() -> None:
    """Run the page inside ``app.py``'s navigation, also when it is opened by its URL first.

    On a freshly started server Streamlit routes a link such as ``/nursery`` through its legacy
    ``pages/`` folder routing (the folder exists) and runs the page without ``app.py``: no
    language switch, no threshold check, English page names. ``st.navigation`` turns that
    routing off, but only once ``app.py`` has run; do it here and run again through ``app.py``.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not st.session_state.get(SHELL_KEY):
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_header(title_key: str, lead_key: str | None = None) -> None:
    """Page title with the synthetic-data badge right under it (so screenshots carry it)."""
    _ensure_app_shell()
    st.title(t(title_key))
    data_badge()
    if lead_key:
        st.markdown(t(lead_key))


def source_note(key: str = "source.synthetic") -> None:
    st.caption(t(key))


def suppression_legend() -> None:
    """What ``<10`` and ``χ`` mean, under every table that shows counts of people."""
    limit = threshold()
    st.caption(t("privacy.legend", threshold=limit, below=limit - 1))


@contextmanager
def needs_data() -> Iterator[None]:
    """A part of a page that the data on file may not reach (a back-test needs more years): says
    so in the UI language instead of the part, and the rest of the page goes on."""
    try:
        yield
    except NotEnoughData as exc:
        st.info(t(exc.key))


@contextmanager
def guard() -> Iterator[None]:
    """Show a clear message in the UI language instead of a traceback if the page fails."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 — the planner gets a message, the log gets the trace
        log.exception("page failed")
        st.error(t("error.page", what=type(exc).__name__))


MODEL_ESTIMATES_KEY = "model-estimates-"


def model_estimates(name: str):
    """A container for the estimates of a model fitted on person-level rows (coefficients,
    effects, their intervals; e.g. the non-attendance logit). These are the one kind of figure
    that may depend on people beyond the publication: they describe a relation, not how many
    people are where. Counts, shares of counts and scenario readings in people never go in here.
    The perturbation test (``tests/test_perturbation.py``) skips exactly these containers."""
    return st.container(key=f"{MODEL_ESTIMATES_KEY}{name}")
