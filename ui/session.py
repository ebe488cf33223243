"""Per-session state: the UI language, the data catalog and the one publication of the
session's data; the deployment's suppression threshold.

Nothing here is process-wide except caches keyed on the data's fingerprint: each browser
session has its own language and catalog.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from analytics import i18n
from analytics.catalog import Catalog
from analytics.core.privacy import DEFAULT_THRESHOLD, check_threshold
from analytics.core.publication import Publication
from analytics.core.store import Store, StoreSettings

LANG_KEY = "lang"
THRESHOLD_KEY = "suppression_threshold"


def lang() -> str:
    """The session's UI language (``"ja"`` by default)."""
    value = st.session_state.get(LANG_KEY) or i18n.DEFAULT_LANGUAGE
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """The UI string ``key`` in the session's language."""
    return i18n.t(key, lang(), **values)


def fy(fiscal_year: int) -> str:
    """A fiscal year label in the session's language (2026年度（令和8年度） / FY2026)."""
    return i18n.fiscal_year_label(fiscal_year, lang())


def fy_short(fiscal_year: int) -> str:
    """A short fiscal year label (2026年度 / FY2026) for axes and metric labels."""
    return i18n.fiscal_year_short(fiscal_year, lang())


def catalog() -> Catalog:
    """The session's data catalog (synthetic city unless the planner loaded own data)."""
    if "catalog" not in st.session_state:
        st.session_state["catalog"] = Catalog()
    return st.session_state["catalog"]


def _setting(key: str, default: object) -> object:
    """A deployment setting from ``st.secrets`` (``.streamlit/secrets.toml``), or ``default``."""
    try:
        return st.secrets.get(key, default)
    except FileNotFoundError:  # no secrets file: the default
        return default


def configured_threshold() -> object:
    """The deployment's setting ``suppression_threshold`` in ``st.secrets`` (``.streamlit/secrets.toml``),
    or the default when none is set. Never taken from a widget, the URL or the session: two
    thresholds applied to the same data difference each other."""
    return _setting(THRESHOLD_KEY, DEFAULT_THRESHOLD)


UPLOAD_LIMIT_KEY = "upload_limit_mb"
DEFAULT_UPLOAD_LIMIT_MB = 200


def upload_limit_mb() -> int:
    """The deployment's largest planner file (MB): ``upload_limit_mb`` in ``st.secrets``, 200 by
    default. Larger files are refused with a message in the UI language (Streamlit's own limit,
    ``server.maxUploadSize``, is set higher so that its English refusal is never the one shown)."""
    try:
        return max(1, int(_setting(UPLOAD_LIMIT_KEY, DEFAULT_UPLOAD_LIMIT_MB)))
    except (TypeError, ValueError):
        return DEFAULT_UPLOAD_LIMIT_MB


def threshold() -> int:
    """The deployment's suppression threshold (persons); ``ValueError`` when the setting is invalid."""
    return check_threshold(configured_threshold())


STORE_DIR = Path(__file__).resolve().parent.parent / ".store"
STORE_ENV = "EBPM_STORE_PATH"  # where the store is when no secret says (the tests keep theirs apart)


@st.cache_resource(show_spinner=False)
def _store(path: str, max_mb: float, retention_days: float) -> Store:
    return Store(StoreSettings(Path(path), max_mb=max_mb, retention_days=retention_days))


def scenario_store() -> Store:
    """The deployment's store (:mod:`analytics.core.store`): ``store_path`` in ``st.secrets``
    (else ``$EBPM_STORE_PATH``, else ``.store/ebpm.sqlite`` in the project; every server process
    of the machine shares it), ``store_max_mb`` (50) and ``store_retention_days`` (365)."""
    path = str(_setting("store_path", os.environ.get(STORE_ENV) or str(STORE_DIR / "ebpm.sqlite")))
    try:
        max_mb = float(_setting("store_max_mb", 50))
        retention = float(_setting("store_retention_days", 365))
    except (TypeError, ValueError):
        max_mb, retention = 50.0, 365.0
    return _store(path, max_mb, retention)


@st.cache_resource(show_spinner=False, max_entries=8)
def _publication(fingerprint: str, limit: int, _catalog: Catalog) -> Publication:
    """Shared read-only between sessions with the same data (its arrays are not writeable)."""
    return _catalog.publication(limit)


def publication() -> Publication:
    """The one publication of the session's data at the deployment's threshold: every count of
    people a page shows comes from it. Building it on new data takes a while: say so."""
    cat = catalog()
    with st.spinner(t("privacy.building"), show_time=True):
        return _publication(cat.fingerprint(), threshold(), cat)
