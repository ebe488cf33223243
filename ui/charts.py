"""Plotly figure builders: titled for a council member, Japanese-capable fonts, no CDN."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

# Fonts installed on city-hall PCs and on Debian (fonts-noto-cjk); no web fonts are fetched.
FONT_FAMILY = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
# Colour-universal-design palette (CUD v4, カラーユニバーサルデザイン推奨配色セット).
CUD = {"blue": "#005AFF", "sky": "#4DC4FF", "green": "#03AF7A", "orange": "#F6AA00",
       "red": "#FF4B00", "purple": "#990099", "brown": "#804000", "grey": "#84919E"}


def styled(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    """Common look: the title inside the figure (it travels with a pasted image), readable fonts."""
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT_FAMILY, "size": 13},
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        plot_bgcolor="white",
        separators=".,",
    )
    fig.update_xaxes(showgrid=False, linecolor="#888")
    fig.update_yaxes(gridcolor="#e5e5e5", tickformat=",d", linecolor="#888")
    return fig


def stacked_bars(df: pd.DataFrame, x: str, series: dict[str, str], x_labels: list[str], title: str, y_title: str) -> go.Figure:
    """Stacked bars of ``series`` (column → legend label) along ``x``."""
    colours = [CUD["sky"], CUD["blue"], CUD["orange"], CUD["green"], CUD["red"]]
    fig = go.Figure()
    for (col, label), colour in zip(series.items(), colours):
        fig.add_bar(x=x_labels, y=df[col], name=label, marker_color=colour,
                    hovertemplate="%{x}<br>" + label + ": %{y:,d}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=y_title)
    return styled(fig, title)


def line_with_labels(x_labels: list[str], y: pd.Series, labels: list[str], title: str, y_title: str, name: str) -> go.Figure:
    """A single line with its values printed at each point (for trends a council reads at a glance).

    ``labels`` is the text at each point: the count, or ``<10`` / ``χ`` where it is hidden
    (the point is then missing from the line but its label still says why).
    """
    y = pd.Series(y, dtype=float)
    top = float(y.max()) if y.notna().any() else 1.0
    fig = go.Figure(go.Scatter(x=x_labels, y=y, mode="lines+markers+text",
                               name=name, text=list(labels), textposition="top center",
                               line={"color": CUD["red"], "width": 3}, customdata=list(labels),
                               hovertemplate="%{x}<br>" + name + ": %{customdata}<extra></extra>"))
    fig.update_yaxes(title=y_title, range=[0, top * 1.18])  # headroom for the value labels
    return styled(fig, title)


def pyramid(df: pd.DataFrame, male_label: str, female_label: str, title: str, x_title: str, y_title: str) -> go.Figure:
    """Population pyramid: men to the left, women to the right, by age band."""
    fig = go.Figure()
    # Hovers show the published label (a number, <10 or χ), never a raw hidden count.
    fig.add_bar(y=df["age_band"], x=-df["M"], orientation="h", name=male_label, marker_color=CUD["blue"],
                customdata=df["M_label"], hovertemplate="%{y}<br>" + male_label + ": %{customdata}<extra></extra>")
    fig.add_bar(y=df["age_band"], x=df["F"], orientation="h", name=female_label, marker_color=CUD["red"],
                customdata=df["F_label"], hovertemplate="%{y}<br>" + female_label + ": %{customdata}<extra></extra>")
    both = pd.concat([df["M"], df["F"]])
    peak = float(both.max()) if both.notna().any() else 1.0
    step = _nice_step(peak)
    ticks = [v for v in range(-int(peak // step) * step, int(peak // step) * step + 1, step)]
    fig.update_layout(barmode="overlay", bargap=0.05)
    fig.update_xaxes(tickvals=ticks, ticktext=[f"{abs(v):,}" for v in ticks], title=x_title)
    fig.update_yaxes(title=y_title, tickformat=None, categoryorder="array", categoryarray=list(df["age_band"]))
    return styled(fig, title, height=520)


def _nice_step(peak: float) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if peak / step <= 4:
            return step
    return 200000
