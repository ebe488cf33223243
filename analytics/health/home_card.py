"""The health card of the home page: the latest uptake and its distance to the national target."""

from __future__ import annotations

from analytics.core.domain import CardFigure, DataSource, FiscalYear, HomeCard
from analytics.core.publication import Publication
from analytics.health.publication import uptake_trend
from analytics.health.uptake import TARGET_UPTAKE


def card_figures(pub: Publication, data: DataSource) -> tuple[CardFigure, ...] | None:
    """Uptake of the latest fiscal year (published counts) and its gap to :data:`TARGET_UPTAKE`
    in percentage points; ``None`` without checkups."""
    uptake = uptake_trend(pub)
    if uptake is None or len(uptake) == 0:
        return None
    last = uptake.iloc[-1]
    return (CardFigure("health.metric.uptake", last["rate"], "percent",
                       label_values={"fy": FiscalYear(int(last["fiscal_year"]))}),
            CardFigure("health.metric.to_target", (last["rate"] - TARGET_UPTAKE) * 100, "signed_points",
                       delta_color="off"))


HOME_CARD = HomeCard("home.theme.health", "home.theme.health.q", "pages/health.py", card_figures)
