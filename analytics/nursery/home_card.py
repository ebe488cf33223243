"""The nursery card of the home page: the city's official and hidden waitlist in the latest year."""

from __future__ import annotations

from analytics.core.domain import CardFigure, DataSource, HomeCard
from analytics.core.publication import Publication
from analytics.nursery.publication import nursery_years, published_waitlist


def card_figures(pub: Publication, data: DataSource) -> tuple[CardFigure, ...] | None:
    """The published city totals of the latest fiscal year; ``None`` without nursery data."""
    years = nursery_years(pub)
    if not years:
        return None
    city = published_waitlist(pub, years[-1], "city").iloc[0]
    return (CardFigure("nursery.metric.official", city["official"], "people", city["official_label"]),
            CardFigure("nursery.metric.hidden", city["hidden"], "people", city["hidden_label"]))


HOME_CARD = HomeCard("home.theme.nursery", "home.theme.nursery.q", "pages/nursery.py", card_figures,
                     side_by_side=True)
