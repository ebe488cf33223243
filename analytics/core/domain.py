"""What a domain declares: one :class:`Domain` record per package under ``analytics/``.

A domain package (``analytics/<domain>/``) ends its ``__init__`` with ``DOMAIN = Domain(...)``;
:mod:`analytics.domains` lists the packages, one line each, and every collector reads the
records: the registry (datasets, their publication blocks and downloads), the UI strings
(:mod:`analytics.i18n`), the generator (:mod:`analytics.synth`) and the home page (cards).
A later feature adds a field here (district indicators, briefing figures, exercises) instead
of building its own collector.

A home card is data plus a pure function (publication, catalog) → its figures: the page's
``ui`` renders it, so this module, like all of ``analytics``, never imports streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from analytics.core.datasets import DatasetSpec
from analytics.core.publication import Publication

Messages = Mapping[str, Mapping[str, str]]
# (the part's random stream, the city's scale, the datasets made by the parts before it) → its datasets
SynthPart = Callable[[np.random.Generator, float, Mapping[str, pd.DataFrame]], dict[str, pd.DataFrame]]
FigureKind = Literal["people", "percent", "signed_points", "yen_oku", "ratio"]


class DataSource(Protocol):
    """What a card reads besides the publication: a dataset by name (the catalog)."""

    def get(self, name: str) -> pd.DataFrame: ...


@dataclass(frozen=True)
class FiscalYear:
    """A placeholder value that the UI writes as a fiscal year in the session's language."""

    year: int


@dataclass(frozen=True)
class CardFigure:
    """One figure of a home card: ``label_key`` (an i18n key, filled from ``label_values``; a
    :class:`FiscalYear` value is written as a short fiscal year) and ``value`` written as its
    ``kind``: ``people`` (a published count with its ``count_label``), ``percent`` (a fraction),
    ``signed_points`` (percentage points), ``yen_oku`` (yen, written in 億円) or ``ratio``
    (``1.2×``; ``None`` is written as a dash)."""

    label_key: str
    value: float | None
    kind: FigureKind
    count_label: str | None = None
    label_values: Mapping[str, Any] = field(default_factory=dict)
    delta_color: Literal["normal", "inverse", "off"] = "normal"


@dataclass(frozen=True)
class HomeCard:
    """A domain's card on the home page: its title and question (i18n keys), the page it opens
    and its figures; ``figures`` returns ``None`` while the data it needs is missing (the card
    then says "soon"). ``side_by_side``: two figures next to each other instead of stacked."""

    title_key: str
    question_key: str
    page: str
    figures: Callable[[Publication, DataSource], tuple[CardFigure, ...] | None]
    side_by_side: bool = False


@dataclass(frozen=True)
class Domain:
    """Everything the app collects from one domain package."""

    name: str  # the package's name; also its generator part's name
    datasets: tuple[DatasetSpec, ...]
    messages: Messages
    # "module:function" of its generator part (a SynthPart), imported only when a city is
    # generated: the app itself never loads the generator
    synth_part: str | None = None
    home_card: HomeCard | None = None
    # "module:function" of its calibration figures (a CalibrationFunction of
    # analytics.core.calibration): the synthetic city's figures next to a real city's
    calibration: str | None = None

    def __post_init__(self) -> None:
        wrong = [s.name for s in self.datasets if s.generator != self.name]
        if wrong:
            raise ValueError(f"domain {self.name!r}: datasets {wrong} name another generator part")
