"""ebpm-dashboard: evidence-based policy making with a city's own data (合成市 by default).

Run with ``streamlit run app.py``. Pages are listed in ``ui/nav.py``.
"""

from pathlib import Path

import streamlit as st

# `streamlit run app.py` puts this folder on sys.path, so analytics/ and ui/ import as they are.
from ui.furniture import sidebar
from ui.nav import CURRENT_PAGE, PAGES
from ui.session import t

st.set_page_config(page_title=t("app.title"), page_icon=str(Path(__file__).resolve().parent / "static" / "favicon.png"),
                   layout="wide")
sidebar()
pages = [
    st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path or None, default=i == 0)
    for i, spec in enumerate(PAGES)
]
current = st.navigation(pages, position="sidebar")
st.session_state[CURRENT_PAGE] = current.url_path or "home"  # whose scenario a panel may write (ui.scenario)
current.run()
