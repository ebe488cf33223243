"""The facilities card of the home page: the yearly renewal cost by the MIC method and its ratio
to past investment."""

from __future__ import annotations

from analytics.core.domain import CardFigure, DataSource, HomeCard
from analytics.core.publication import Publication
from analytics.facilities.renewal import DEFAULT_START_FY, renewal_cost_projection


def card_figures(pub: Publication, data: DataSource) -> tuple[CardFigure, ...] | None:
    """The MIC projection with its defaults; ``None`` without buildings or when the method cannot
    read a planner's buildings (the card then says "soon")."""
    buildings = data.get("buildings")
    if buildings.empty:
        return None
    try:
        renewal = renewal_cost_projection(buildings, DEFAULT_START_FY, past_investment=data.get("past_investment"))
    except ValueError:
        return None
    return (CardFigure("facilities.metric.yearly", renewal.yearly_average_yen, "yen_oku",
                       label_values={"years": renewal.years}),
            CardFigure("facilities.metric.ratio", renewal.ratio_to_past, "ratio"))


HOME_CARD = HomeCard("home.theme.facilities", "home.theme.facilities.q", "pages/facilities.py", card_figures)
