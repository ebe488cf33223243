"""The pages of the app, in navigation order. ``app.py`` builds ``st.navigation`` from this
list and the tests open every page in it (AppTest and the browser), so a new page is
tested by being listed here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title_key: str  # i18n key
    icon: str
    url_path: str  # "" for the default page (served at "/")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "nav.home", ":material/home:", ""),
    PageSpec("pages/nursery.py", "nav.nursery", ":material/child_care:", "nursery"),
    PageSpec("pages/facilities.py", "nav.facilities", ":material/domain:", "facilities"),
    PageSpec("pages/health.py", "nav.health", ":material/health_and_safety:", "health"),
    PageSpec("pages/data.py", "nav.data", ":material/table_view:", "data"),
)
