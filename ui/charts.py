"""Plotly figure builders: titled for a council member, Japanese-capable fonts, no CDN.

Counts of people keep the mark the publication gave them: a trace drawn from a column marked
in ``df.attrs`` (:func:`analytics.core.publication.counted_columns`) carries
``meta={"person_counts": [fields]}``, naming the trace fields that hold those counts, so the
page scan in the tests checks every one of them.
"""

from __future__ import annotations

import html
import unicodedata

import pandas as pd
import plotly.graph_objects as go

from analytics.core.publication import PERSON_COUNTS, counted_columns

# Fonts installed on city-hall PCs and on Debian (fonts-noto-cjk); no web fonts are fetched.
FONT_FAMILY = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
# Colour-universal-design palette (CUD v4, カラーユニバーサルデザイン推奨配色セット).
CUD = {"blue": "#005AFF", "sky": "#4DC4FF", "green": "#03AF7A", "orange": "#F6AA00",
       "red": "#FF4B00", "purple": "#990099", "brown": "#804000", "grey": "#84919E"}
TITLE_WIDTH = 44  # display width (a CJK character counts 2) that fits a half-page chart at 1280 px
BREAKS = ("、", "：", "；", "; ", "，", ", ", ": ", " ")
# Thirteen distinguishable colours for the MIC categories: CUD first, then lighter and darker tones.
CATEGORY_COLOURS = ("#005AFF", "#FF4B00", "#03AF7A", "#F6AA00", "#4DC4FF", "#990099", "#804000", "#84919E",
                    "#FF8082", "#77D9A8", "#C9ACE6", "#FFCA80", "#1F3A93")


def display_width(text: str) -> int:
    """Width of ``text`` in half-width cells: full-width (CJK) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap_title(text: str, width: int = TITLE_WIDTH) -> str:
    """Break a long title once, after the last clause mark (、 ; ,) or space that keeps the
    first line within ``width``; short titles are returned as they are."""
    if display_width(text) <= width:
        return text
    for mark in BREAKS:
        cuts = [i + len(mark) for i in range(len(text)) if text.startswith(mark, i)]
        fitting = [i for i in cuts if display_width(text[:i]) <= width and i < len(text)]
        if fitting:
            i = fitting[-1]
            return text[:i].rstrip() + "<br>" + text[i:].lstrip()
    return text


def _merged(base: dict, style: dict) -> dict:
    """``base`` with ``style`` laid over it, nested dictionaries merged (as ``update_layout`` does)."""
    out = dict(base)
    for key, value in style.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def styled(fig: go.Figure, title: str, height: int = 380, title_width: int = TITLE_WIDTH) -> go.Figure:
    """Common look: the title inside the figure (it travels with a pasted image), wrapped when
    long (``title_width``: wider for a chart across the page), the legend under the plot so it
    never covers the title, readable fonts. Returns a new figure with ``fig``'s traces."""
    text = wrap_title(title, title_width)
    lines = text.count("<br>") + 1
    style = {
        # Anchored above the plot area. Plotly anchors a multi-line title by its first line, so
        # the padding lifts it by one line height (≈ 1.3 × 17 px) per extra line.
        "title": {"text": text, "x": 0.01, "xref": "container", "xanchor": "left", "y": 1, "yref": "paper",
                  "yanchor": "bottom", "pad": {"b": 14 + 22 * (lines - 1)}, "font": {"size": 17}},
        "font": {"family": FONT_FAMILY, "size": 13},
        "height": height,
        # The legend sits at the foot of the figure (container coordinates) and plotly widens the
        # margin for it and for the tick labels: a legend placed under the plot area in plot
        # coordinates collides with x labels plotly turns on a narrow chart (fiscal years).
        "margin": {"l": 60, "r": 20, "t": 36 + 24 * lines, "b": 20},
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "xanchor": "left",
                   "x": 0.0},
        "xaxis": {"showgrid": False, "linecolor": "#888", "automargin": True},
        "plot_bgcolor": "white",
        "separators": ".,",
        "yaxis": {"gridcolor": "#e5e5e5", "tickformat": ",d", "linecolor": "#888"},
    }
    # A new figure rather than update_layout: plotly's update_layout does the bookkeeping of a live
    # widget's relayout (about 10 ms a chart, on every chart of every run, issue 27); the
    # constructor takes the merged layout in under 1 ms. The template is the default one again.
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)
    return go.Figure(data=fig.data, layout=_merged(layout, style))


def _meta(df: pd.DataFrame, column: str, fields: list[str]) -> dict | None:
    """The trace mark for ``column``: the fields holding counts of people, if the column is marked."""
    return {PERSON_COUNTS: fields} if column in counted_columns(df) else None


def stacked_bars(df: pd.DataFrame, series: dict[str, str], x_labels: list[str], title: str, y_title: str, *,
                 marks: list[str] | None = None, fan: pd.DataFrame | None = None,
                 fan_names: dict[str, str] | None = None) -> go.Figure:
    """Stacked bars of ``series`` (column → legend label) along ``x_labels``; with ``marks``
    printed where a bar is not drawn (:func:`with_marks`), and a projection's ``fan`` named by
    ``fan_names`` over them (:func:`with_fan`)."""
    colours = [CUD["sky"], CUD["blue"], CUD["orange"], CUD["green"], CUD["red"]]
    fig = go.Figure()
    for (col, label), colour in zip(series.items(), colours, strict=False):
        fig.add_bar(x=x_labels, y=df[col], name=label, marker_color=colour, meta=_meta(df, col, ["y"]),
                    hovertemplate="%{x}<br>" + label + ": %{y:,d}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=y_title)
    fig = styled(fig, title)
    if marks is not None:
        fig = with_marks(fig, x_labels, marks)
    if fan is not None:
        fig = with_fan(fig, x_labels, fan, fan_names or {})
    return fig


def with_fan(fig: go.Figure, x_labels: list[str], fan: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Overlay a projection's fan on ``fig``: the central intervals of ``fan`` (columns
    ``low95``/``high95`` light, ``low80``/``high80`` darker) as bands and its ``median`` as a
    line; ``labels`` name them in the legend (keys ``95``, ``80``, ``median``)."""
    x = list(x_labels)
    for level, alpha in (("95", 0.18), ("80", 0.38)):
        fig.add_scatter(x=x + x[::-1], y=list(fan[f"high{level}"]) + list(fan[f"low{level}"])[::-1], fill="toself",
                        fillcolor=f"rgba(132, 145, 158, {alpha})", line={"width": 0}, name=labels[level],
                        hoverinfo="skip")
    fig.add_scatter(x=x, y=fan["median"], mode="lines", name=labels["median"],
                    line={"color": CUD["grey"], "width": 2, "dash": "dot"},
                    hovertemplate="%{x}: %{y:,.0f}<extra></extra>")
    return fig


def line_with_labels(df: pd.DataFrame, y: str, label: str, x_labels: list[str], title: str, y_title: str,
                     name: str) -> go.Figure:
    """A single line of ``df[y]`` with ``df[label]`` printed at each point (for trends a council
    reads at a glance): the count, or ``<10`` / ``χ`` where it is hidden (the point is then
    missing from the line but its label still says why)."""
    values = pd.Series(df[y], dtype=float)
    top = float(values.max()) if values.notna().any() else 1.0
    labels = list(df[label])
    fig = go.Figure(go.Scatter(x=x_labels, y=values, mode="lines+markers+text", name=name, text=labels,
                               textposition="top center", line={"color": CUD["red"], "width": 3}, customdata=labels,
                               meta=_meta(df, y, ["y", "text", "customdata"]),
                               hovertemplate="%{x}<br>" + name + ": %{customdata}<extra></extra>"))
    fig.update_yaxes(title=y_title, range=[0, top * 1.18])  # headroom for the value labels
    return styled(fig, title)


def pyramid(df: pd.DataFrame, male_label: str, female_label: str, title: str, x_title: str, y_title: str) -> go.Figure:
    """Population pyramid: men to the left, women to the right, by age band."""
    fig = go.Figure()
    # Hovers show the published label (a number, <10 or χ), never a raw hidden count.
    fig.add_bar(y=df["age_band"], x=-df["M"], orientation="h", name=male_label, marker_color=CUD["blue"],
                customdata=df["M_label"], meta=_meta(df, "M", ["x", "customdata"]),
                hovertemplate="%{y}<br>" + male_label + ": %{customdata}<extra></extra>")
    fig.add_bar(y=df["age_band"], x=df["F"], orientation="h", name=female_label, marker_color=CUD["red"],
                customdata=df["F_label"], meta=_meta(df, "F", ["x", "customdata"]),
                hovertemplate="%{y}<br>" + female_label + ": %{customdata}<extra></extra>")
    both = pd.concat([df["M"], df["F"]])
    peak = float(both.max()) if both.notna().any() else 1.0
    step = _nice_step(peak)
    ticks = list(range(-int(peak // step) * step, int(peak // step) * step + 1, step))
    fig.update_layout(barmode="overlay", bargap=0.05)
    fig.update_xaxes(tickvals=ticks, ticktext=[f"{abs(v):,}" for v in ticks], title=x_title)
    fig.update_yaxes(title=y_title, tickformat=None, categoryorder="array", categoryarray=list(df["age_band"]))
    return styled(fig, title, height=520)


def _nice_step(peak: float) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if peak / step <= 4:
            return step
    return 200000


def waterfall(df: pd.DataFrame, step_labels: list[str], title: str, y_title: str) -> go.Figure:
    """A waterfall of ``df`` (``children``, ``children_label``, ``kind``: ``total`` bars stand on
    the axis, ``minus`` bars come off the running total), each bar labelled with its published
    count (``<10``/``χ`` where hidden: the bar is then missing but its label says why)."""
    measure = ["absolute" if k == "total" else "relative" for k in df["kind"]]
    y = [v if k == "total" else -v for v, k in zip(df["children"], df["kind"], strict=True)]
    labels = list(df["children_label"])
    fig = go.Figure(go.Waterfall(
        x=step_labels, y=y, measure=measure, text=labels, textposition="outside", customdata=labels,
        name=y_title, meta=_meta(df, "children", ["text", "customdata"]),
        decreasing={"marker": {"color": CUD["orange"]}}, totals={"marker": {"color": CUD["blue"]}},
        connector={"line": {"color": "#999", "width": 1}},
        hovertemplate="%{x}: %{customdata}<extra></extra>"))
    fig.update_yaxes(title=y_title)
    fig.update_xaxes(tickangle=0)
    return styled(fig, title, height=420, title_width=2 * TITLE_WIDTH)  # drawn across the page


def lines(df: pd.DataFrame, series: dict[str, str], x_labels: list[str], title: str, y_title: str,
          labels: dict[str, str] | None = None) -> go.Figure:
    """One line per ``series`` (column → legend label); ``labels`` (column → label column)
    prints the published label at each point."""
    colours = [CUD["red"], CUD["blue"], CUD["green"], CUD["orange"]]
    fig = go.Figure()
    top = 1.0
    for (col, name), colour in zip(series.items(), colours, strict=False):
        values = pd.Series(df[col], dtype=float)
        top = max(top, float(values.max()) if values.notna().any() else 0.0)
        text = list(df[labels[col]]) if labels and col in labels else None
        fields = ["y", "text", "customdata"] if text else ["y"]
        fig.add_scatter(x=x_labels, y=values, name=name, mode="lines+markers+text" if text else "lines+markers",
                        text=text, customdata=text, textposition="top center", line={"color": colour, "width": 3},
                        meta=_meta(df, col, fields),
                        hovertemplate="%{x}<br>" + name + (": %{customdata}" if text else ": %{y:,.0f}")
                        + "<extra></extra>")
    fig.update_yaxes(title=y_title, range=[0, top * 1.2])
    return styled(fig, title)


def category_bars(df: pd.DataFrame, x: str, category: str, value: str, categories: list[str],
                  category_labels: dict[str, str], title: str, x_title: str, y_title: str,
                  marker: tuple[float, str] | None = None, height: int = 420, bar_years: int = 5) -> go.Figure:
    """Bars of ``value`` stacked by ``category`` (long form, one row per x × category), in the
    order of ``categories``, along a numeric ``x`` (a year where each bar starts; bars are
    ``bar_years`` wide); ``marker`` = (x, text) draws a dashed vertical line there (e.g. the
    1981 seismic standard)."""
    fig = go.Figure()
    for i, cat in enumerate(categories):
        part = df[df[category] == cat]
        if part.empty:
            continue
        name = category_labels.get(cat, cat)
        fig.add_bar(x=part[x] + bar_years / 2, y=part[value], name=name, width=bar_years * 0.92,
                    marker_color=CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)], customdata=part[x],
                    hovertemplate="%{customdata}–<br>" + name + ": %{y:,.0f}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=10, tickformat="d")
    top = float(df.groupby(x)[value].sum().max()) if len(df) else 1.0
    if marker is not None:
        fig.add_vline(x=marker[0], line_dash="dash", line_color="#333", line_width=2,
                      annotation_text=marker[1], annotation_position="top right", annotation_font_size=12,
                      annotation_bgcolor="rgba(255,255,255,0.85)")
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title, range=[0, top * 1.15])  # headroom for the marker's label
    fig = styled(fig, title, height=height, title_width=2 * TITLE_WIDTH)
    # thirteen categories: the legend reads down the right-hand side
    fig.update_layout(legend={"orientation": "v", "yref": "paper", "y": 1, "yanchor": "top", "x": 1.01,
                              "xanchor": "left", "font": {"size": 12}}, margin={"r": 230, "b": 60})
    return fig


def horizontal_bars(labels: list[str], values: list[float], text: list[str], title: str, x_title: str,
                    height: int = 420) -> go.Figure:
    """One bar per label (top to bottom in the given order) with its text printed beside it."""
    fig = go.Figure(go.Bar(y=labels, x=values, orientation="h", text=text, textposition="outside",
                           marker_color=CUD["blue"], cliponaxis=False,
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    top = max([v for v in values if v == v] or [1.0])
    fig.update_xaxes(title=x_title, range=[0, top * 1.3], tickformat=",d")
    fig.update_yaxes(autorange="reversed", tickformat=None)
    fig = styled(fig, title, height=height)
    fig.update_layout(margin={"l": 10})
    fig.update_yaxes(automargin=True)
    return fig


def with_marks(fig: go.Figure, x_labels: list[str], marks: list[str]) -> go.Figure:
    """Print each non-empty ``marks[i]`` (e.g. ``<10`` or ``χ`` for a hidden count) just above the
    axis at ``x_labels[i]``, where a bar that is not drawn would stand."""
    for x, mark in zip(x_labels, marks, strict=True):
        if mark:
            fig.add_annotation(x=x, y=0, text=mark, showarrow=False, yanchor="bottom", font={"size": 13,
                               "color": "#555"})
    return fig


def with_reference(fig: go.Figure, y: float, label: str) -> go.Figure:
    """A dashed horizontal line at ``y`` (e.g. the recent yearly budget), labelled on the plot."""
    if y == y:
        fig.add_hline(y=y, line_dash="dash", line_color="#333", line_width=2, annotation_text=label,
                      annotation_position="top right", annotation_font_size=12,
                      annotation_bgcolor="rgba(255,255,255,0.85)")
    return fig


def fiscal_year_axis(fig: go.Figure, title: str, dtick: int = 5) -> go.Figure:
    """A numeric fiscal-year x axis labelled every ``dtick`` years (40 yearly bars cannot each
    carry a label without overlapping)."""
    fig.update_xaxes(title=title, dtick=dtick, tickformat="d", tickangle=0)
    return fig


def quadrant(df: pd.DataFrame, x: str, y: str, group: str, groups: dict[str, str], hover: str, title: str,
             x_title: str, y_title: str, x_cut: float, y_cut: float) -> go.Figure:
    """A screening scatter: ``x`` × ``y`` coloured by ``group`` (value → legend label), with the
    thresholds as dashed lines and ``hover`` (HTML-escaped text) per point."""
    colours = [CUD["green"], CUD["sky"], CUD["orange"], CUD["red"]]
    fig = go.Figure()
    for (value, name), colour in zip(groups.items(), colours, strict=False):
        part = df[df[group] == value]
        fig.add_scatter(x=part[x], y=part[y], mode="markers", name=name, text=part[hover],
                        marker={"color": colour, "size": 9, "line": {"color": "#333", "width": 0.5}},
                        hovertemplate="%{text}<extra></extra>")
    fig.add_vline(x=x_cut, line_dash="dash", line_color="#666")
    fig.add_hline(y=y_cut, line_dash="dash", line_color="#666")
    fig.update_xaxes(title=x_title, range=[0, 1.02], tickformat=".0%")
    fig.update_yaxes(title=y_title, tickformat=",d")
    return styled(fig, title, height=460)


def grouped_bars(df: pd.DataFrame, series: dict[str, str], x_labels: list[str], title: str, y_title: str,
                 percent: bool = False, reference: dict[str, float] | None = None) -> go.Figure:
    """Bars of ``series`` (column → legend label) side by side along ``x_labels``; ``percent``
    shows fractions as %; ``reference`` (label → y) draws dashed horizontal lines (a target)."""
    colours = [CUD["blue"], CUD["red"], CUD["green"], CUD["orange"]]
    fig = go.Figure()
    fmt = ".1%" if percent else ",.0f"
    for (col, label), colour in zip(series.items(), colours, strict=False):
        fig.add_bar(x=x_labels, y=df[col], name=label, marker_color=colour, meta=_meta(df, col, ["y"]),
                    hovertemplate="%{x}<br>" + label + ": %{y:" + fmt + "}<extra></extra>")
    fig.update_layout(barmode="group")
    for name, y in (reference or {}).items():
        with_reference(fig, y, name)
    fig = styled(fig, title)
    fig.update_yaxes(title=y_title, tickformat=".0%" if percent else ",d")
    return fig


def interval_lines(df: pd.DataFrame, x: str, series: dict[str, tuple[str, str, str]], title: str, y_title: str,
                   percent: bool = True, reference: dict[str, float] | None = None) -> go.Figure:
    """One line per series (label → (value, low, high) columns) with its 95% interval as a band;
    ``reference`` (label → y) draws dashed lines (a target, a national average)."""
    colours = [CUD["blue"], CUD["red"], CUD["green"], CUD["orange"]]
    fig = go.Figure()
    for (name, (v, lo, hi)), colour in zip(series.items(), colours, strict=False):
        fig.add_scatter(x=list(df[x]) + list(df[x])[::-1], y=list(df[hi]) + list(df[lo])[::-1], fill="toself",
                        fillcolor=colour, opacity=0.18, line={"width": 0}, hoverinfo="skip", showlegend=False)
        fig.add_scatter(x=df[x], y=df[v], name=name, mode="lines+markers", line={"color": colour, "width": 3},
                        hovertemplate="%{x}: %{y:" + (".1%" if percent else ",.2f") + "}<extra></extra>")
    for name, y in (reference or {}).items():
        with_reference(fig, y, name)
    fig = styled(fig, title)
    fig.update_yaxes(title=y_title, tickformat=".0%" if percent else ",.2f", rangemode="tozero")
    return fig


def forest(df: pd.DataFrame, label: str, estimate: str, low: str, high: str, title: str, x_title: str,
           null: float = 1.0, log: bool = True, percent: bool = False, height: int | None = None) -> go.Figure:
    """A forest plot: one row per ``label`` (top to bottom in order), the estimate with its 95%
    interval, and a dashed line at ``null`` (1 for odds ratios, 0 for differences)."""
    fmt = ".1%" if percent else ".2f"
    fig = go.Figure(go.Scatter(
        x=df[estimate], y=df[label], mode="markers", marker={"color": CUD["blue"], "size": 10, "symbol": "square"},
        error_x={"type": "data", "symmetric": False, "array": df[high] - df[estimate],
                 "arrayminus": df[estimate] - df[low], "color": CUD["blue"], "thickness": 2},
        customdata=list(zip(df[low], df[high], strict=True)),
        hovertemplate="%{y}: %{x:" + fmt + "} (%{customdata[0]:" + fmt + "}–%{customdata[1]:" + fmt + "})"
                      "<extra></extra>"))
    fig.add_vline(x=null, line_dash="dash", line_color="#666")
    fig.update_xaxes(title=x_title, type="log" if log else "linear", tickformat=".0%" if percent else None)
    fig.update_yaxes(autorange="reversed", tickformat=None, automargin=True)
    fig = styled(fig, title, height=height or max(320, 90 + 34 * len(df)))
    fig.update_layout(showlegend=False, margin={"l": 10})
    return fig


def event_study(df: pd.DataFrame, title: str, x_title: str, y_title: str) -> go.Figure:
    """Effects by event time (``event_time``, ``effect``, ``low``, ``high``) with 95% intervals,
    a zero line and a dashed line between the last year before and the first year after."""
    fig = go.Figure(go.Scatter(
        x=df["event_time"], y=df["effect"], mode="markers+lines", line={"color": CUD["blue"], "width": 2},
        marker={"size": 10}, error_y={"type": "data", "symmetric": False, "array": df["high"] - df["effect"],
                                      "arrayminus": df["effect"] - df["low"], "thickness": 2},
        hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    fig.add_hline(y=0, line_color="#666")
    fig.add_vline(x=-0.5, line_dash="dash", line_color="#666")
    fig.update_xaxes(title=x_title, dtick=1)
    fig = styled(fig, title)
    fig.update_yaxes(title=y_title, tickformat=".0%")
    fig.update_layout(showlegend=False)
    return fig


def overlaid(lines: pd.DataFrame, title: str, x_title: str, y_title: str) -> go.Figure:
    """One line per column of ``lines`` (a scenario each) over its index: scenarios compared on
    one chart, the first (the current one) in grey under the others."""
    colours = [CUD["grey"], CUD["blue"], CUD["red"], CUD["green"], CUD["orange"]]
    fig = go.Figure()
    for i, ((name, column), colour) in enumerate(zip(lines.items(), colours, strict=False)):
        name = html.escape(str(name))  # a planner's name for a scenario: text, never markup in the legend
        fig.add_scatter(x=list(lines.index), y=column, name=name, mode="lines",
                        line={"color": colour, "width": 4 if i == 0 else 2, "dash": "solid" if i == 0 else "dash"},
                        hovertemplate=f"{name}<br>%{{x}}: %{{y:,.1f}}<extra></extra>")
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title, tickformat=",.0f")
    return styled(fig, title)
