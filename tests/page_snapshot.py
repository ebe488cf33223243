"""What a page shows, element by element, for the perturbation test.

:func:`snapshot` walks the page's element tree under AppTest and returns every element's
content in a comparable form — text, numbers, table cells, chart data, map layers — so that
two runs can be compared value for value. Blocks that a page marks as the estimates of a model
fitted on person-level rows (:func:`ui.furniture.model_estimates`) are listed by their key but
not opened: coefficients, effects and their intervals are the one kind of figure allowed to
depend on people beyond the publication (README, "Privacy").
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pyarrow as pa
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from ui.furniture import MODEL_ESTIMATES_KEY


def _normalised(value: Any) -> Any:
    """Content with run-to-run noise removed: pydeck's random layer IDs and element IDs."""
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items() if k not in ("id", "elementId", "formId")}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


def _table(data: str) -> dict:
    """A dataframe element's Arrow bytes as column names and cell values (the bytes also carry
    metadata that differs from run to run)."""
    table = pa.ipc.open_stream(base64.b64decode(data)).read_all()
    return {"columns": table.column_names, "rows": [list(r.values()) for r in table.to_pylist()]}


def _content(node) -> Any:
    proto = getattr(node, "proto", None)
    if proto is None:
        return None
    content = MessageToDict(proto, preserving_proto_field_name=True)
    arrow = content.get("arrow_data")
    if isinstance(arrow, dict) and isinstance(arrow.get("data"), str):
        arrow["data"] = _table(arrow["data"])
    for field in ("spec", "json"):  # plotly figure, pydeck deck: JSON inside the proto
        if isinstance(content.get(field), str):
            content[field] = json.loads(content[field])
    return _normalised(content)


def snapshot(at: AppTest) -> list[tuple[str, Any]]:
    """Every element the page shows, in order: ``(path, content)``; model-estimate blocks as
    ``(path, key)`` only."""
    out: list[tuple[str, Any]] = []

    def walk(node, path: str) -> None:
        children = getattr(node, "children", None)
        if children is not None:
            key = getattr(node, "key", None)
            if key and str(key).startswith(MODEL_ESTIMATES_KEY):
                out.append((f"{path} (model estimates)", key))
                return
            if path:
                out.append((f"{path} {node.type}", _content(node)))
            for i, child in children.items():
                walk(child, f"{path}/{i}")
            return
        out.append((f"{path} {getattr(node, 'type', '?')}", _content(node)))

    walk(at._tree, "")
    return out
