"""The page scan: every count of people a page shows, found by the publication's marks.

Tables carry ``attrs["person_counts"]``, plotly traces ``meta["person_counts"]`` (the trace
fields that hold counts) and map features a ``person_counts`` property; metrics are named by
the page test (``st.metric`` has nowhere to carry a mark). The values found are checked with
the one disclosure checker, :func:`analytics.core.testing.small_counts`.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

import numpy as np
from streamlit.testing.v1 import AppTest

from analytics.core.publication import PERSON_COUNTS
from analytics.core.testing import small_counts


@dataclass
class Scan:
    """What a page shows as counts of people, and which of its elements carry the mark."""

    values: list[tuple[str, object]] = field(default_factory=list)
    marked_tables: list[int] = field(default_factory=list)
    marked_charts: list[int] = field(default_factory=list)
    marked_maps: list[int] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)

    def small(self, threshold: int) -> list[tuple[str, object]]:
        return small_counts(self.values, threshold)


def _decode(values) -> list:
    """Values of a plotly trace field: a plain list or plotly's base64 typed array."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    if isinstance(values, list):
        return values
    return [] if values is None else [values]


def scan_page(at: AppTest, count_metrics: tuple[str, ...] = ()) -> Scan:
    """Collect every marked count the page shows, plus the metrics labelled ``count_metrics``."""
    scan = Scan()
    for i, df in enumerate(at.dataframe):
        columns = [c for c in df.value.attrs.get(PERSON_COUNTS, []) if c in df.value.columns]
        if columns:
            scan.marked_tables.append(i)
        for c in columns:
            scan.values += [(f"table {i}:{c}", v) for v in df.value[c].tolist()]
    for i, chart in enumerate(at.get("plotly_chart")):
        for trace in json.loads(chart.proto.spec)["data"]:
            fields = (trace.get("meta") or {}).get(PERSON_COUNTS, []) if isinstance(trace.get("meta"), dict) else []
            if fields and i not in scan.marked_charts:
                scan.marked_charts.append(i)
            for f in fields:
                scan.values += [(f"chart {i}:{trace.get('name')}:{f}", v) for v in _decode(trace.get(f))]
    for i, deck in enumerate(at.get("deck_gl_json_chart")):
        for layer in json.loads(deck.proto.json).get("layers", []):
            features = (layer.get("data") or {}).get("features", []) if isinstance(layer.get("data"), dict) else []
            marks = [f["properties"][PERSON_COUNTS] for f in features if PERSON_COUNTS in f.get("properties", {})]
            if marks and i not in scan.marked_maps:
                scan.marked_maps.append(i)
            scan.values += [(f"map {i}:{k}", v) for m in marks for k, v in m.items()]
    for m in at.metric:
        if m.label in count_metrics:
            scan.metrics[m.label] = m.value
            scan.values.append((f"metric:{m.label}", m.value))
    return scan
