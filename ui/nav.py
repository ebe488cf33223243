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
    tabs: tuple[str, ...] = ()  # i18n keys of the page's tabs (ui.panels.lazy_tabs), in order

    @property
    def tab_key(self) -> str:
        """The tabs' widget key and query parameter (``nursery_tab``)."""
        return f"{self.url_path}_tab"


CURRENT_PAGE = "_current_page"  # session key: the url path of the page running ("home" for the default page)

PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "nav.home", ":material/home:", ""),
    PageSpec("pages/nursery.py", "nav.nursery", ":material/child_care:", "nursery",
             ("nursery.tab.now", "nursery.tab.future", "nursery.tab.plan")),
    PageSpec("pages/facilities.py", "nav.facilities", ":material/domain:", "facilities",
             ("facilities.tab.now", "facilities.tab.cost", "facilities.tab.cards", "facilities.tab.plan")),
    PageSpec("pages/health.py", "nav.health", ":material/health_and_safety:", "health",
             tuple(f"health.tab.{k}" for k in ("status", "who", "trial", "rollout", "targeting"))),
    PageSpec("pages/data.py", "nav.data", ":material/table_view:", "data"),
)
