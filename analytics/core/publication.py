"""The publication builder: every count of people the app shows, suppressed as one linked system.

A *publication* holds every table of counts of people that may leave ``analytics`` — on a
page, in a chart, a map tooltip or a download — built from one set of datasets. Each domain
contributes its *block* (its tables, their margins and the relations that tie them to
tables of other blocks) through its registry entry (:mod:`analytics.registry`), and
:func:`build_publication` suppresses all blocks together with :func:`analytics.core.privacy.suppress`,
so no table of one domain can difference out a count that another hides.

Every relation the publication holds is explicit, so that the audit (:mod:`analytics.core.audit`)
solves for the hidden cells over everything a reader sees:

* an :class:`Equation` ``Σ coefficient × cell = rhs`` with coefficients ±1 and a right-hand
  side that everyone knows: ``0`` when the table's total is itself a published cell (with
  coefficient −1), or a value known from elsewhere (``rhs_known``: e.g. a change of
  residents that the reader may learn from other sources);
* an :class:`Inequality` ``part ≤ whole`` where one count is part of another published one.

Analysis functions return exact counts; only :class:`Publication` hands counts on, as
:class:`Shown` values (``NaN`` where hidden) with their display labels (a number, ``<10``
or ``χ``). Frames it hands out carry ``attrs["person_counts"]``, the columns that count
people, so the page scan in the tests can check every shown value, whatever the domain.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from analytics.core import privacy
from analytics.core.audit import AuditResult

log = logging.getLogger(__name__)

# Changes whenever the suppression rule or its solver path does (a degenerate programme may
# then pick other, equally safe, cells to hide): part of every cache key. interval-4: HiGHS
# through highspy, one warm-started model per component, no presolve (analytics.core.lp).
RULE_VERSION = "interval-4"
PERSON_COUNTS = "person_counts"  # attrs key / trace meta key / map property marking counts of people


@dataclass(frozen=True)
class Equation:
    """``Σ coefs[k] × x[cells[k]] = rhs``, a relation every reader can write down.

    ``rhs_known`` says that ``rhs`` is not 0 by construction but a value the reader is
    assumed to know from elsewhere (the cautious assumption for disclosure).
    """

    cells: np.ndarray
    coefs: np.ndarray
    rhs: float = 0.0
    rhs_known: bool = False


@dataclass(frozen=True)
class Inequality:
    """``Σ x[part] ≤ Σ x[whole]``: counts that are part of others (e.g. applicants aged 0–5 ≤
    the residents of the two age groups that hold them)."""

    part: np.ndarray
    whole: np.ndarray


@dataclass(frozen=True)
class TableSpec:
    """Where a published table sits in the flat vector of counts, and what its axes are."""

    name: str
    index: np.ndarray  # positions in the flat vector, shaped like the table
    axes: tuple[tuple[str, tuple], ...]  # (axis name, labels) per dimension

    @property
    def shape(self) -> tuple[int, ...]:
        return self.index.shape


class PublicationBuilder:
    """Collects the tables and relations of every block before they are suppressed together.

    Blocks call :meth:`table` for each table of counts of people and :meth:`sums`,
    :meth:`equation` or :meth:`known_sum` for each relation, :meth:`part_of` for each
    part-of-whole inequality. A block may look up a table another block added with
    :meth:`has` and :meth:`index` (e.g. the population change links to the residents).
    """

    def __init__(self) -> None:
        self._values: list[np.ndarray] = []
        self._size = 0
        self._tables: dict[str, TableSpec] = {}
        self.equations: list[Equation] = []
        self.inequalities: list[Inequality] = []
        self._bodies: list[tuple[str, str, str, tuple[int, ...] | None]] = []

    # -- tables
    def table(self, name: str, values: np.ndarray, axes: Sequence[tuple[str, Sequence]]) -> np.ndarray:
        """Add a table of counts (any dimension); returns the positions of its cells."""
        values = np.asarray(values, dtype=float)
        axes = tuple((str(a), tuple(labels)) for a, labels in axes)
        if name in self._tables:
            raise ValueError(f"table {name!r} already published")
        if tuple(len(labels) for _, labels in axes) != values.shape:
            raise ValueError(f"table {name!r}: axes {[len(x) for _, x in axes]} do not match shape {values.shape}")
        if np.isnan(values).any() or (values < 0).any() or not np.array_equal(values, np.round(values)):
            raise ValueError(f"table {name!r}: counts of people must be whole, non-negative numbers")
        idx = np.arange(self._size, self._size + values.size, dtype=np.int64).reshape(values.shape)
        self._values.append(values.ravel())
        self._size += values.size
        self._tables[name] = TableSpec(name, idx, axes)
        return idx

    def has(self, name: str) -> bool:
        return name in self._tables

    def index(self, name: str) -> np.ndarray:
        return self._tables[name].index

    def axes(self, name: str) -> dict[str, tuple]:
        """The axes of a table another block added (axis name → labels)."""
        return dict(self._tables[name].axes)

    # -- relations
    def sums(self, members, total: int) -> None:
        """``Σ members − total = 0``, both published."""
        members = np.asarray(members, dtype=np.int64).ravel()
        self.equation(np.append(members, int(total)), np.append(np.ones(len(members)), -1.0))

    def equation(self, cells, coefs) -> None:
        """``Σ coefs × cells = 0`` over published cells (e.g. end − start − births + deaths … = 0)."""
        cells, coefs = self._terms(cells, coefs)
        self.equations.append(Equation(cells, coefs, 0.0, False))

    def known_sum(self, cells, coefs) -> None:
        """``Σ coefs × cells = c`` where ``c`` is taken as known to the reader from elsewhere."""
        cells, coefs = self._terms(cells, coefs)
        values = np.array([self._value(int(c)) for c in cells])
        self.equations.append(Equation(cells, coefs, float(coefs @ values), True))

    @staticmethod
    def _terms(cells, coefs) -> tuple[np.ndarray, np.ndarray]:
        cells = np.asarray(cells, dtype=np.int64).ravel()
        coefs = np.broadcast_to(np.asarray(coefs, dtype=float), cells.shape).copy()
        if not np.isin(coefs, (-1.0, 1.0)).all():
            raise ValueError("coefficients of a publication's relation are +1 or −1")
        return cells, coefs

    def part_of(self, part, whole) -> None:
        """``Σ part ≤ Σ whole`` (``whole`` one cell or several)."""
        self.inequalities.append(Inequality(np.asarray(part, dtype=np.int64).ravel(),
                                            np.atleast_1d(np.asarray(whole, dtype=np.int64)).ravel()))

    def body(self, dataset: str, body: str, total: str, total_cells: Sequence[int] | None = None) -> None:
        """Declare ``body`` (a table of ``dataset``) and ``total`` (the table of its grand total or
        totals, summing to the body's sum; only its cells ``total_cells``, flat positions within
        the table, when given) for the information-loss report."""
        self._bodies.append((dataset, body, total, None if total_cells is None else tuple(int(c) for c in total_cells)))

    def _value(self, cell: int) -> float:
        """One count by position, without joining every table (known sums ask for a few)."""
        for spec, values in zip(self._tables.values(), self._values, strict=True):
            start = int(spec.index.flat[0]) if spec.index.size else 0
            if start <= cell < start + values.size:
                return float(values[cell - start])
        raise IndexError(cell)

    def _vector(self) -> np.ndarray:
        return np.concatenate(self._values) if self._values else np.zeros(0)

    def build(self, threshold: int, cache: Path | None = None) -> Publication:
        """Suppress every table together and return the :class:`Publication`.

        ``cache``: a file where the suppression pattern of exactly these counts, relations,
        threshold and rule is kept (read when present and matching, written otherwise;
        failures to write are ignored: a read-only folder only costs time).
        """
        threshold = privacy.check_threshold(threshold)
        x = self._vector()
        key = self._key(x, threshold)
        stored = _read_cache(cache, key) if cache is not None else None
        if stored is None:
            hidden, primary, result = privacy.suppress(x, self.equations, self.inequalities, threshold)
            if cache is not None:
                _write_cache(cache, key, result)
        else:
            result = stored
            hidden, primary = result.hidden, result.primary
        labels = privacy.count_labels(x, hidden, primary, threshold)
        shown = np.where(hidden, np.nan, x)
        for arr in (shown, hidden, primary, labels):
            arr.setflags(write=False)  # one publication may be shared read-only between sessions
        return Publication(
            threshold=threshold,
            tables=dict(self._tables),
            shown=shown,
            hidden=hidden,
            primary=primary,
            labels=labels,
            equations=tuple(self.equations),
            inequalities=tuple(self.inequalities),
            audit=result,
            bodies=tuple(self._bodies),
        )

    def _key(self, x: np.ndarray, threshold: int) -> str:
        h = hashlib.sha256()
        h.update(f"{RULE_VERSION}|{threshold}|".encode())
        h.update(x.tobytes())
        for eq in self.equations:
            h.update(eq.cells.tobytes())
            h.update(eq.coefs.tobytes())
        for ineq in self.inequalities:
            h.update(ineq.part.tobytes())
            h.update(ineq.whole.tobytes())
        return h.hexdigest()


_AUDIT_FIELDS = ("hidden", "primary", "lower", "upper", "target_lower", "target_upper", "checked")


def _read_cache(path: Path, key: str) -> AuditResult | None:
    """The suppression pattern and audit stored for exactly ``key``, if any."""
    if not path.is_file():
        return None
    try:
        with np.load(path) as f:
            if str(f["key"]) != key:
                return None
            masks = ("hidden", "primary", "checked")
            arrays = {k: f[k].astype(bool) if k in masks else f[k] for k in _AUDIT_FIELDS}
            return AuditResult(int(f["threshold"]), **arrays, solves=int(f["solves"]))
    except (OSError, ValueError, KeyError):
        log.warning("ignoring unreadable suppression cache %s", path)
        return None


def _write_cache(path: Path, key: str, result: AuditResult) -> None:
    """Store the pattern and its audit (failures to write only cost time next start)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # written beside and renamed: another process (a second server, a test worker) never reads half a file
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        with partial.open("wb") as f:
            np.savez_compressed(f, key=np.array(key), threshold=result.threshold, solves=result.solves,
                                **{k: getattr(result, k) for k in _AUDIT_FIELDS})
        os.replace(partial, path)
    except OSError:
        log.info("could not write suppression cache %s", path)


_STORE_FORMAT = "publication-1"


def read_stored_publication(path: Path, key: str) -> Publication | None:
    """A whole publication kept on disk by :func:`store_publication` under exactly ``key``, or
    ``None`` (no file, another key, or a file that cannot be read: it is then rebuilt).

    The file is the server's own (written only by :func:`store_publication` into the
    deployment's cache folder, never under ``static/``): it is unpickled, so the folder must not
    be writable by anyone else."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as f:
            stored = pickle.load(f)
        if (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == _STORE_FORMAT and stored[1] == key
                and isinstance(stored[2], Publication)):
            return stored[2]
    except Exception:  # noqa: BLE001 — any damage (truncated, foreign, an old class) only means: rebuild
        log.warning("ignoring unreadable stored publication %s", path)
    return None


def store_publication(path: Path, key: str, pub: Publication) -> bool:
    """Keep ``pub`` on disk under ``key``: written beside and renamed (``os.replace``), so another
    process never reads half a file. Failures only cost time at the next start (``False``)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as f:
            pickle.dump((_STORE_FORMAT, key, pub), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        return True
    except OSError:
        log.info("could not store the publication in %s", path)
        partial.unlink(missing_ok=True)
        return False


@dataclass(frozen=True)
class Shown:
    """Published counts of one table: value (``NaN`` where hidden), hidden flag and display label."""

    value: np.ndarray
    hidden: np.ndarray
    label: np.ndarray


# Long and wide frames already made from a publication (one publication is shared by every
# session of a process: pages read the same tables on every run). Kept beside the object, not in
# it, so that a pickled publication carries none of them.
_FRAMES: WeakKeyDictionary = WeakKeyDictionary()


@dataclass(frozen=True, eq=False)
class Publication:
    """Every published table of counts of people, after suppression.

    Only shown values leave this object: ``shown`` is ``NaN`` wherever a count is hidden.
    ``equations`` and ``inequalities`` are every relation a reader can write between the
    cells (positions in the flat vector), for an audit.
    """

    threshold: int
    tables: dict[str, TableSpec]
    shown: np.ndarray
    hidden: np.ndarray
    primary: np.ndarray
    labels: np.ndarray
    equations: tuple[Equation, ...] = field(repr=False)
    inequalities: tuple[Inequality, ...] = field(repr=False)
    audit: AuditResult = field(repr=False)
    bodies: tuple[tuple[str, str, str, tuple[int, ...] | None], ...] = ()

    def has(self, name: str) -> bool:
        return name in self.tables

    def names(self, prefix: str = "") -> list[str]:
        return [n for n in self.tables if n.startswith(prefix)]

    def get(self, name: str) -> Shown:
        """The table ``name`` shaped like its axes."""
        idx = self.tables[name].index
        return Shown(self.shown[idx], self.hidden[idx], self.labels[idx])

    def axes(self, name: str) -> dict[str, tuple]:
        return dict(self.tables[name].axes)

    def _made(self, key: tuple, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """``make()`` once per ``key`` for this publication; each caller gets its own copy."""
        made = _FRAMES.setdefault(self, {})
        if key not in made:
            made[key] = make()
        return made[key].copy()

    def frame(self, name: str, value: str = "count") -> pd.DataFrame:
        """The table ``name`` in long form: one column per axis, ``value`` (NaN where hidden)
        and ``{value}_label``; marked in ``attrs`` as counts of people."""
        return self._made(("frame", name, value), lambda: self._frame(name, value))

    def _frame(self, name: str, value: str) -> pd.DataFrame:
        spec = self.tables[name]
        shown = self.get(name)
        grid = pd.MultiIndex.from_product([labels for _, labels in spec.axes], names=[a for a, _ in spec.axes])
        out = grid.to_frame(index=False)
        out[value] = shown.value.ravel()
        out[f"{value}_label"] = shown.label.ravel()
        return mark_counts(out, [value, f"{value}_label"])

    def wide(self, name: str, axis: str = "measure") -> pd.DataFrame:
        """The table ``name`` with the labels of ``axis`` as columns: one row per cell of its
        other axes (one row when it has none), a column per label (NaN where hidden) and
        ``{label}_label``, in the axis's order; marked as counts of people."""
        return self._made(("wide", name, axis), lambda: self._wide(name, axis))

    def _wide(self, name: str, axis: str) -> pd.DataFrame:
        spec = self.tables[name]
        labels = [str(v) for v in dict(spec.axes)[axis]]
        long = self.frame(name, "_n")
        keys = [a for a, _ in spec.axes if a != axis]
        if not keys:  # a table of totals: one row
            long, keys = long.assign(_row=0), ["_row"]
        values = long.pivot(index=keys, columns=axis, values="_n")
        shown = long.pivot(index=keys, columns=axis, values="_n_label")
        out = values[labels].reset_index().drop(columns="_row", errors="ignore")
        for m in labels:
            out[f"{m}_label"] = shown[m].to_numpy()
        out.columns.name = None
        return mark_counts(out, [*labels, *(f"{m}_label" for m in labels)])

    def digest(self, dataset: str | None = None) -> str:
        """A digest of what this publication shows of ``dataset`` (the labels of its body and total
        tables; of every table when it declares none, or for ``None``): the mark of data about
        people a scenario link may carry. Two data sets that publish the same labels have the
        same digest; nothing below the publication reaches it."""
        def make() -> pd.DataFrame:
            names = [n for d, body, total, _ in self.bodies if d == dataset for n in (body, total)]
            cells = (np.concatenate([self.tables[n].index.ravel() for n in dict.fromkeys(names)]) if names
                     else np.arange(self.labels.size))
            text = "\x1f".join(map(str, self.labels.ravel()[cells]))
            return pd.DataFrame({"digest": [hashlib.sha256(text.encode()).hexdigest()[:16]]})

        return str(self._made(("digest", dataset), make)["digest"].iloc[0])

    def information_loss(self, dataset: str | None = None) -> pd.DataFrame:
        """Per body table (of ``dataset``, or all): non-zero cells, hidden cells and their share,
        and the share of persons in hidden cells — computed from shown counts only (grand total
        minus the shown cells), ``NaN`` when the grand total is itself hidden."""
        rows = []
        for name, body, total, total_cells in self.bodies:
            if dataset is not None and name != dataset:
                continue
            cells, grand = self.get(body), self.get(total)
            if total_cells is not None:
                grand = Shown(*(a.ravel()[list(total_cells)] for a in (grand.value, grand.hidden, grand.label)))
            nonzero = ~(cells.value == 0)
            n_hidden = int(cells.hidden.sum())
            g = float(np.sum(grand.value))  # NaN when a grand total is hidden
            persons = (g - float(np.nansum(cells.value))) / g if g > 0 else float("nan")
            rows.append({"dataset": name, "table": body, "cells": int(nonzero.sum()), "hidden_cells": n_hidden,
                         "hidden_share": n_hidden / max(int(nonzero.sum()), 1), "persons": g,
                         "hidden_persons_share": persons})
        return pd.DataFrame(rows, columns=["dataset", "table", "cells", "hidden_cells", "hidden_share", "persons",
                                           "hidden_persons_share"])

    def loss_summary(self, dataset: str) -> dict[str, float] | None:
        """:meth:`information_loss` of all the body tables of ``dataset`` together (``None`` if it has none)."""
        rows = self.information_loss(dataset)
        if rows.empty:
            return None
        cells, hidden = int(rows["cells"].sum()), int(rows["hidden_cells"].sum())
        persons = float(rows["persons"].sum())  # NaN when a grand total is hidden
        lost = float((rows["hidden_persons_share"] * rows["persons"]).sum())
        return {"cells": cells, "hidden_cells": hidden, "hidden_share": hidden / max(cells, 1),
                "hidden_persons_share": lost / persons if persons > 0 else float("nan")}

    @property
    def unprotected(self) -> int:
        """Primary counts the audit found narrower than their labels allow (0 when protected)."""
        return len(self.audit.unprotected)


def fill_hidden(values: np.ndarray, margins: Sequence[tuple[tuple[int, ...], np.ndarray]],
                prior: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Estimates for the hidden cells of a published table, from published figures only.

    ``values``: the table as published (``NaN`` where hidden, any number of axes). ``margins``:
    published totals of the table, each as ``(axes kept, totals)`` — e.g. ``((0,), district)``
    for the sums over every axis but the first; ``NaN`` where a total is hidden. ``prior``: a
    non-negative table of the same shape, itself a function of published figures (e.g. the
    product of two margins), giving the hidden cells their initial shape.

    Each shown total fixes what its hidden cells hold together (the total less its shown
    cells, never below 0); iterative proportional fitting (Deming & Stephan, *Annals of
    Mathematical Statistics* 11, 1940) scales the prior of the hidden cells to those remainders,
    one margin after another. Shown cells are returned as they are; hidden cells as floats.
    Because nothing but published figures enters, anything computed from the result — a
    projection, a scenario — discloses nothing the publication does not (its estimates of
    hidden cells are what any reader of the publication could compute)."""
    values = np.asarray(values, dtype=float)
    hidden = np.isnan(values)
    out = np.where(hidden, np.maximum(np.asarray(prior, dtype=float), 0.0), values)
    if not hidden.any():
        return out
    shown = np.where(hidden, 0.0, values)
    steps = []
    for axes, totals in margins:
        drop = tuple(a for a in range(values.ndim) if a not in axes)
        remainder = np.asarray(totals, dtype=float) - shown.sum(axis=drop)
        n_hidden = hidden.sum(axis=drop)
        ok = np.isfinite(remainder) & (n_hidden > 0)
        steps.append((drop, np.where(ok, np.maximum(remainder, 0.0), np.nan), ok))
        # a remainder to share among hidden cells whose prior is all 0: share it evenly
        mass = np.where(hidden, out, 0.0).sum(axis=drop)
        even = np.expand_dims(ok & (mass <= 0) & (np.nan_to_num(remainder) > 0), drop) & hidden
        out = np.where(even, 1.0, out)
    for _ in range(iterations):
        for drop, remainder, ok in steps:
            mass = np.where(hidden, out, 0.0).sum(axis=drop)
            factor = np.where(ok & (mass > 0), np.nan_to_num(remainder) / np.where(mass > 0, mass, 1.0), 1.0)
            out = np.where(hidden, out * np.expand_dims(factor, drop), out)
    return out


def share_remainder(values: np.ndarray, total: float) -> np.ndarray:
    """A published vector (``NaN`` where hidden) with its hidden entries sharing evenly what its
    published ``total`` leaves (never below 0; 0 when the total is hidden too). For the prior of
    :func:`fill_hidden`: a hidden margin taken as 0 would give its cells a prior of 0, and no
    other margin could move them (every other margin's remainder goes to the cells of that margin
    with a prior)."""
    values = np.asarray(values, dtype=float)
    hidden = np.isnan(values)
    if not hidden.any():
        return values
    rest = float(total) - float(np.nansum(values)) if np.isfinite(total) else 0.0
    return np.where(hidden, max(rest, 0.0) / hidden.sum(), values)


def mark_counts(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Mark ``columns`` of ``df`` as counts of people (``attrs["person_counts"]``), in place; returns ``df``."""
    df.attrs[PERSON_COUNTS] = sorted(set(df.attrs.get(PERSON_COUNTS, [])) | set(columns))
    return df


def counted_columns(df: pd.DataFrame) -> list[str]:
    """The columns of ``df`` marked as counts of people."""
    return [c for c in df.attrs.get(PERSON_COUNTS, []) if c in df.columns]


Block = Callable[[PublicationBuilder, Mapping[str, pd.DataFrame]], None]


def build_publication(data: Mapping[str, pd.DataFrame], threshold: int, blocks: Sequence[Block],
                      cache: Path | None = None) -> Publication:
    """Build the one publication of ``data``: each block adds its tables and relations, then all
    are suppressed together. The threshold is checked here, once
    (:func:`analytics.core.privacy.check_threshold`). The registry names every domain's blocks
    (:func:`analytics.registry.publish`).
    """
    threshold = privacy.check_threshold(threshold)
    builder = PublicationBuilder()
    for block in blocks:
        block(builder, data)
    return builder.build(threshold, cache)
