"""Scenario links: a page's inputs as URL parameters, read back with every value checked.

A planner sends a colleague "look at this scenario"; the link must reproduce exactly what the
sender saw (issue 28). A page declares each input that changes a number as a :class:`Field`:
its key (the widget's key and the query parameter), its kind, its default and the values it
may take (a range on a grid, or a list of choices such as the facilities of the data). Outputs
are never in a link: plans are recomputed from the inputs (they are deterministic).

* :meth:`Scenario.params` writes the inputs that differ from their defaults as query
  parameters; the inputs no URL parameter can hold (a table a planner edited) travel in one
  compact, versioned parameter ``s`` (:func:`encode_state`: ``v1.<base64url(zlib(json))>``).
* :meth:`Scenario.read` reads raw query parameters back. Each value is checked; an unknown key,
  a wrong type, a value out of range or off its grid, an unknown choice, a tampered blob or one
  of an unknown version becomes a :class:`Problem` naming the input, and that input keeps its
  default. Nothing here raises on what a URL holds.
* :func:`data_mark` and :func:`differing_datasets`: a link carries a short digest of each
  dataset it was made on, so a page opened on other data can say which datasets differ.

Pure functions over plain values: the page (``ui.scenario``) reads ``st.query_params`` and the
session state, this module only decides.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["int", "float", "str", "bool", "strs", "table"]
STATE_KEY = "s"
"""The query parameter of the inputs no other parameter holds (:func:`encode_state`)."""
DATA_KEY = "fp"
"""The query parameter of the data the link was made on (:func:`data_mark`)."""
STORED_KEY = "id"
"""The query parameter of a scenario kept in the store (a link too long for a URL, or a saved one)."""
STATE_VERSION = "v1"
MAX_STATE_CHARS = 4000
"""A longer ``s`` parameter is refused before it is decoded (a URL is under 2,000 characters)."""
MAX_TABLE_ROWS = 200
ProblemCode = Literal["unknown", "type", "range", "choice", "state", "version", "stored"]


@dataclass(frozen=True)
class Problem:
    """What is wrong with one query parameter: ``code`` says what (a UI string each; ``stored``:
    an id the store does not hold, or no longer), ``key``
    which input (or parameter), ``raw`` the value as it came (shortened)."""

    key: str
    code: ProblemCode
    raw: str = ""


class _Invalid(ValueError):
    def __init__(self, code: ProblemCode) -> None:
        super().__init__(code)
        self.code: ProblemCode = code


def _as_float(text: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise _Invalid("type") from None
    if not math.isfinite(value):
        raise _Invalid("type")
    return value


@dataclass(frozen=True)
class Field:
    """One input of a page.

    ``kind``: ``int``, ``float``, ``str``, ``bool``, ``strs`` (several choices, as a multiselect
    holds them) or ``table`` (rows of a table a planner edits: in the ``s`` parameter only).
    ``lo``/``hi`` bound a number, ``step`` puts it on the grid ``lo + k·step``; ``choices``
    are the values a ``str``, ``int`` or ``strs`` input may take (``None``: any text);
    ``nullable``: ``None`` (nothing chosen) is a value. ``in_url``: False for an input that
    travels in the ``s`` parameter. ``columns`` name a table's columns, each a number or
    ``None`` (a cell left empty: the page says what is missing).
    ``label``: the UI string that names the input (its widget's label) when a link gets it wrong.
    """

    key: str
    kind: Kind
    default: Any
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    choices: tuple | None = None
    nullable: bool = False
    in_url: bool = True
    columns: tuple[str, ...] = ()
    label: str = ""  # the UI string naming the input (its widget's label) in a warning
    always: bool = False  # written even at its default: the widget's own default depends on other inputs

    def check(self, value: Any) -> Any:
        """``value`` as this input holds it, or :class:`_Invalid` (a ``ValueError``) saying why."""
        if value is None:
            if self.nullable:
                return None
            raise _Invalid("type")
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise _Invalid("type")
            return value
        if self.kind in ("int", "float"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise _Invalid("type")
            if isinstance(value, int) and abs(value) > 2**53:  # beyond any input's range (and a float's)
                raise _Invalid("range")
            if not math.isfinite(value):
                raise _Invalid("type")
            if self.kind == "int":
                if value != int(value):
                    raise _Invalid("type")
                value = int(value)
            else:
                value = float(value)
            if self.choices is not None:
                if value not in self.choices:
                    raise _Invalid("choice")
                return value
            if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
                raise _Invalid("range")
            if self.step:
                k = (value - (self.lo or 0.0)) / self.step
                if abs(k - round(k)) > 1e-9:
                    raise _Invalid("range")
            return value
        if self.kind == "str":
            if not isinstance(value, str):
                raise _Invalid("type")
            if self.choices is not None and value not in self.choices:
                raise _Invalid("choice")
            return value
        if self.kind == "strs":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise _Invalid("type")
            if len(set(value)) != len(value):
                raise _Invalid("choice")
            if self.choices is not None and any(v not in self.choices for v in value):
                raise _Invalid("choice")
            return list(value)
        # table: rows of numbers under the declared columns, as many rows as the default
        if not isinstance(value, list) or len(value) > MAX_TABLE_ROWS or len(value) != len(self.default):
            raise _Invalid("type")
        rows = []
        for row in value:
            if not isinstance(row, list) or len(row) != len(self.columns):
                raise _Invalid("type")
            if not all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 1e15
                                     and math.isfinite(v)) for v in row):
                raise _Invalid("type")
            numbers = [v for v in row if v is not None]
            if numbers and ((self.lo is not None and min(numbers) < self.lo)
                            or (self.hi is not None and max(numbers) > self.hi)):
                raise _Invalid("range")
            rows.append([None if v is None else float(v) for v in row])
        return rows

    def parse(self, raw: str | Sequence[str]) -> Any:
        """The value of the query parameter ``raw`` (the text, or every text of a repeated
        parameter), checked (:meth:`check`)."""
        texts = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else None
        if texts is None or not all(isinstance(x, str) for x in texts):
            raise _Invalid("type")  # a stored scenario's parameters come from a file: not always text
        if self.kind == "strs":
            return self.check([t for t in texts if t != ""])
        if len(texts) != 1:
            raise _Invalid("type")
        text = texts[0]
        if text == "" and self.nullable:
            return None
        if self.kind == "bool":
            if text.lower() not in ("true", "false"):
                raise _Invalid("type")
            return self.check(text.lower() == "true")
        if self.kind == "int":
            value = _as_float(text)
            if value != int(value):
                raise _Invalid("type")
            return self.check(int(value))
        if self.kind == "float":
            return self.check(_as_float(text))
        if self.kind == "str":
            return self.check(text)
        raise _Invalid("type")  # a table is never a query parameter of its own

    def encode(self, value: Any) -> str | list[str]:
        """``value`` as the query parameter writes it (see :meth:`parse`)."""
        if value is None:
            return ""
        if self.kind == "bool":
            return "true" if value else "false"
        if self.kind == "int":
            return str(int(value))
        if self.kind == "float":
            return repr(float(value))  # every digit a planner typed (%g would round 123.4567891)
        if self.kind == "strs":
            return [str(v) for v in value]
        return str(value)

    def same(self, a: Any, b: Any) -> bool:
        """Whether two values of this input are the same (a multiselect's order counts)."""
        if self.kind in ("strs", "table"):
            return list(a or []) == list(b or [])
        if self.kind == "float" and a is not None and b is not None:
            return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
        return a == b


def encode_state(values: Mapping[str, Any]) -> str:
    """``v1.<base64url(zlib(json))>``: the inputs that no query parameter holds."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")
    return f"{STATE_VERSION}.{packed}"


def _decode_v1(packed: str) -> dict:
    data = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
    value = json.loads(zlib.decompressobj().decompress(data, 200_000).decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


DECODERS = {"v1": _decode_v1}
"""One decoder per format ever written: a link made with an older format keeps working after
a newer one exists (a newer decoder maps the old values onto the new inputs)."""


def decode_state(text: str) -> tuple[dict, ProblemCode | None]:
    """The values an ``s`` parameter holds, or ``({}, code)``: ``version`` for an unknown
    format, ``state`` for a tampered or cut text."""
    version, _, packed = text.partition(".")
    if version not in DECODERS or not packed:
        return {}, "version" if packed else "state"
    if len(text) > MAX_STATE_CHARS:
        return {}, "state"
    try:
        return DECODERS[version](packed), None
    except Exception:  # whatever a tampered text makes the decoder raise: the defaults, and say so
        return {}, "state"


@dataclass(frozen=True)
class Reading:
    """What a link's parameters say: ``values`` of the inputs it sets (each checked; only those
    it sets), ``problems`` with the others, ``data`` the data mark it carries (``None``: none),
    ``stored`` the id of a stored scenario it refers to (``None``: none)."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    data: str | None = None
    stored: str | None = None


def _last_text(raw: Any) -> str:
    """The last value of a parameter as text ('' for anything that is not text)."""
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else ""
    return raw if isinstance(raw, str) else ""


def _short(raw: Any) -> str:
    """A value as a warning quotes it: text, several texts joined, or anything else shown; cut at 40."""
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, (list, tuple)) and all(isinstance(x, str) for x in raw):
        text = ",".join(raw)
    else:
        text = json.dumps(raw, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass(frozen=True)
class Scenario:
    """The inputs of one page (``fields``) and the other parameters its URL may hold
    (``passive``: the language, the open tab; read by Streamlit itself)."""

    page: str
    fields: tuple[Field, ...]
    passive: tuple[str, ...] = ()
    disjoint: tuple[tuple[str, ...], ...] = ()
    """Groups of inputs that may not share a choice (a facility closed cannot also be merged or
    receive the merged ones): a later input's choice already taken by an earlier one is dropped
    and named as a problem."""

    def __post_init__(self) -> None:
        keys = [f.key for f in self.fields]
        reserved = {STATE_KEY, DATA_KEY, STORED_KEY, *self.passive}
        if len(set(keys)) != len(keys) or reserved & set(keys):
            raise ValueError(f"{self.page}: input keys must be unique and not {sorted(reserved)}")

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def defaults(self) -> dict[str, Any]:
        return {f.key: f.default for f in self.fields}

    def read(self, params: Mapping[str, str | Sequence[str]]) -> Reading:
        """Check every parameter of a link (see the module docstring); never raises. Of several
        choices (facilities to close), those the data does not hold are dropped, each named in
        a problem, and the others kept."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []

        def take(f: Field, raw: Any, from_url: bool) -> None:
            try:
                if f.kind == "strs" and f.choices is not None:
                    texts = ([raw] if isinstance(raw, str) else list(raw)) if from_url else raw
                    if not isinstance(texts, list) or not all(isinstance(x, str) for x in texts):
                        raise _Invalid("type")
                    kept, dropped = known_ids([x for x in texts if x != ""], f.choices)
                    values[f.key] = f.check(list(dict.fromkeys(kept)))
                    if dropped:
                        problems.append(Problem(f.key, "choice", _short(dropped)))
                    return
                values[f.key] = f.parse(raw) if from_url else f.check(raw)
            except (ValueError, TypeError, OverflowError) as exc:  # whatever a crafted value makes a check raise
                problems.append(Problem(f.key, exc.code if isinstance(exc, _Invalid) else "type", _short(raw)))

        by_key = {f.key: f for f in self.fields}
        data = stored = None
        for key, raw in params.items():
            if key in self.passive:
                continue
            if key == DATA_KEY:
                data = _last_text(raw)
                continue
            if key == STORED_KEY:
                stored = _last_text(raw)
                continue
            if key == STATE_KEY:
                text = _last_text(raw)
                state, code = decode_state(text)
                if code is not None:
                    problems.append(Problem(STATE_KEY, code, _short(text)))
                for k, v in state.items():
                    f = by_key.get(k)
                    if f is None or f.in_url:
                        problems.append(Problem(str(k)[:40], "unknown"))
                    else:
                        take(f, v, from_url=False)
                continue
            f = by_key.get(key)
            if f is None or not f.in_url:
                problems.append(Problem(key[:40], "unknown", _short(raw)))
            else:
                take(f, raw, from_url=True)
        for group in self.disjoint:
            taken: set = set()
            for key in group:
                value = values.get(key)
                chosen = value if isinstance(value, list) else [] if value is None else [value]
                clash = [v for v in chosen if v in taken]
                if clash:
                    problems.append(Problem(key, "choice", _short([str(v) for v in clash])))
                    if isinstance(value, list):
                        values[key] = [v for v in value if v not in taken]
                    else:
                        del values[key]
                taken.update(values.get(key) if isinstance(values.get(key), list) else
                             [] if values.get(key) is None else [values[key]])
        return Reading(values, tuple(problems), data, stored)

    def params(self, values: Mapping[str, Any], data: str | None = None) -> dict[str, str | list[str]]:
        """The query parameters of ``values``: each input that differs from its default, those
        outside the URL in ``s``, and the data mark ``data``. Inputs missing from ``values``
        are left out (they are at their defaults)."""
        out: dict[str, str | list[str]] = {}
        state = {}
        for f in self.fields:
            if f.key not in values or (f.same(values[f.key], f.default) and not f.always):
                continue
            if f.in_url:
                out[f.key] = f.encode(values[f.key])
            else:
                state[f.key] = values[f.key]
        if state:
            out[STATE_KEY] = encode_state(state)
        if data:
            out[DATA_KEY] = data
        return out


def query_string(params: Mapping[str, str | Sequence[str]]) -> str:
    """``params`` as a URL query (repeated keys for several values), percent-encoded."""
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)])


def _digest(fingerprint: str) -> bytes:
    return hashlib.sha256(fingerprint.encode()).digest()[:3]


def data_mark(fingerprints: Mapping[str, str]) -> str:
    """A short mark of the data a link is made on: 3 bytes of each dataset's fingerprint, in the
    order given (the registry's), base64url — about 4 characters a dataset."""
    return base64.urlsafe_b64encode(b"".join(_digest(fp) for fp in fingerprints.values())).decode().rstrip("=")


def differing_datasets(mark: str, fingerprints: Mapping[str, str]) -> list[str] | None:
    """The datasets whose contents differ from those the link was made on (``[]``: the same
    data), or ``None`` when the mark cannot be read (another version of the app: then say the
    data may differ)."""
    try:
        raw = base64.urlsafe_b64decode(mark + "=" * (-len(mark) % 4))
    except (ValueError, TypeError):
        return None
    if len(raw) != 3 * len(fingerprints):
        return None
    return [name for i, (name, fp) in enumerate(fingerprints.items()) if raw[3 * i:3 * i + 3] != _digest(fp)]


def known_ids(requested: Iterable[str], held: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split ``requested`` IDs (facilities, districts) into those ``held`` by the data and the others."""
    have = set(held)
    kept = [r for r in requested if r in have]
    return kept, [r for r in requested if r not in have]
