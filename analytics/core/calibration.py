"""Calibration figures of the synthetic city: what it shows against what a real city shows.

Each domain declares a function ``calibration_figures(datasets) -> tuple[CalibrationFigure, ...]``
(named in its :class:`~analytics.core.domain.Domain` record as ``"module:function"``) that
computes its figures *from the generated data*; ``sample_data/README.md`` lists them in one table
and ``tests/test_synth.py`` checks each value against its stated range. The ranges are those of
the cited source, or the project's own where no source is at hand ("project assumption").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CalibrationFigure:
    """One figure of the synthetic city next to the real-world value it is calibrated to.

    ``value`` is computed from the generated data in ``unit``; ``low``–``high`` is the range
    the value must fall in (inclusive); ``target`` says the national or typical value in words
    and ``source`` where it comes from, exactly as cited, or ``"project assumption"``.
    ``note`` says where the synthetic city departs from a real one on purpose.
    """

    domain: str
    figure_en: str
    figure_ja: str
    value: float
    unit: str
    low: float
    high: float
    target: str
    source: str
    note: str = ""

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(f"{self.figure_en}: low {self.low} > high {self.high}")
        if not self.source:
            raise ValueError(f"{self.figure_en}: a figure needs its source or 'project assumption'")

    @property
    def in_range(self) -> bool:
        """Whether the synthetic value lies in the stated range (bounds included)."""
        return not math.isnan(self.value) and self.low <= self.value <= self.high


CalibrationFunction = Callable[[Mapping[str, pd.DataFrame]], tuple[CalibrationFigure, ...]]


def _number(x: float, unit: str) -> str:
    if unit == "%":
        return f"{x:.1f}"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.2f}"


def calibration_table(figures: tuple[CalibrationFigure, ...]) -> list[str]:
    """The Markdown table of ``sample_data/README.md`` (one row per figure)."""
    lines = [
        "| figure | synthetic value | range | in range | real value | source | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        met = "yes" if f.in_range else "**no**"
        unit = f" {f.unit}" if f.unit else ""
        lines.append(
            f"| {f.figure_en} / {f.figure_ja} | {_number(f.value, f.unit)}{unit} | "
            f"{_number(f.low, f.unit)}–{_number(f.high, f.unit)}{unit} | {met} | {f.target} | {f.source} | {f.note} |")
    return lines
