"""Home cards: a domain's :class:`~analytics.core.domain.HomeCard` drawn from its figures."""

from __future__ import annotations

import streamlit as st

from analytics.core.domain import CardFigure, FiscalYear, HomeCard
from ui.format import people_label, percent, signed_points, yen_oku
from ui.session import fy_short, lang, t


def figure_value(figure: CardFigure, language: str) -> str:
    """A card figure's value written as its kind."""
    v = figure.value
    if figure.kind == "people":
        return people_label(v, figure.count_label, language)
    if figure.kind == "percent":
        return percent(v)
    if figure.kind == "signed_points":
        return signed_points(v, language)
    if figure.kind == "yen_oku":
        return yen_oku(v, language)
    if figure.kind == "ratio":
        return "—" if v is None else f"{v:.1f}×"
    raise ValueError(f"unknown kind of card figure: {figure.kind!r}")


def figure_label(figure: CardFigure) -> str:
    """A card figure's label in the session's language (fiscal years written short)."""
    values = {k: fy_short(v.year) if isinstance(v, FiscalYear) else v for k, v in figure.label_values.items()}
    return t(figure.label_key, **values)


def home_card(card: HomeCard, figures: tuple[CardFigure, ...] | None) -> None:
    """The card in the current container: title (with "soon" while ``figures`` is None), its
    question, its figures and a link to its page."""
    live = figures is not None
    st.markdown(f"**{t(card.title_key)}**" + ("" if live else f" {t('home.theme.soon')}"))
    st.caption(t(card.question_key))
    if not live:
        return
    language = lang()
    # side by side in columns, or stacked: two metrics side by side do not fit a third of the page
    slots = st.columns(len(figures)) if card.side_by_side else [st] * len(figures)
    for slot, figure in zip(slots, figures, strict=True):
        slot.metric(figure_label(figure), figure_value(figure, language), delta_color=figure.delta_color)
    st.page_link(card.page, label=t("home.theme.open"), icon=":material/arrow_forward:")
