"""Disclosure audit by linear programming, and protection by intervals.

The intruder of this audit has every page and download of a publication and has read our
code. For every hidden count they know:

* every relation the publication holds (:class:`analytics.core.publication.Equation`:
  ``Σ ±x = rhs`` with ``rhs`` 0 or known; :class:`~analytics.core.publication.Inequality`:
  a part never exceeds its whole), with every shown count substituted;
* what each label means: zeros are shown, so a hidden count is not 0; ``<10`` is a count
  from 1 to threshold − 1 (a *primary* suppression); ``χ`` is a count hidden to protect
  another, so it is not small: ≥ threshold.

:func:`audit` gives the range every hidden count can take under all of that: the minimum and
maximum of a linear programme (HiGHS, one model per component: :mod:`analytics.core.lp`), solved per
independent component of the hidden counts (counts that share no relation do not constrain
each other). A primary count is *protected* when its range covers the whole range its label
and the labels around it allow (:func:`label_ranges`, sharpened by :func:`refine_target`):
``[1, threshold − 1]`` unless the labels and relations alone say less — a small count inside
a small total (``2 + 3 = <10``) can never reach 9.

:func:`protect` adds complementary suppressions until every primary count is protected. For
each primary count in turn, on each side where its range falls short, one linear programme
(:func:`_release`) finds the cheapest shown counts that must move with it for it to reach that
end — each moved count may not fall below the threshold (it would read as small), cost
``log(1 + value)`` per person moved, a compromise between hiding few cells and hiding few
persons — and hides them. Where that programme finds nothing (shown counts near the
threshold cannot move far enough), the count's target is first sharpened by LP
(:func:`refine_target`) and, if it still falls short, the ring of shown counts around its
hidden component is hidden (at most :data:`MAX_RINGS` times per count). Hiding more never
narrows another count's range, so one pass protects all; a final audit confirms it. The
choices read where the primary counts are, the other counts and the relations, never a
primary value, so the pattern tells nothing more (a test reruns it with every primary count
set to 1 and to threshold − 1).

What keeps :func:`protect` fast on a large city, without changing a single choice: the hidden
components are kept as cells are hidden (:class:`HiddenComponents`) rather than found afresh
over the whole publication for every primary count; each component's programme is built from
its own relations' rows (:func:`_programme`) and kept, with every range solved on it, while the
component is unchanged (the round's final audit re-solves only what changed); the programmes
(a component's, a release's circles — built once for both ends of a count) are gathered column
by column from the relations' column-compressed copies (:func:`_by_columns`), the same models
entry for entry as slicing and stacking the relations with scipy, at a fraction of its cost (a
warm start of a count's second end from its first's basis was tried and rejected: on degenerate
programmes it picks other, equally cheap, counts to hide, so it would change the pattern); and the
publication's independent parts (counts no chain of relations links) are protected apart, in
worker processes when there are enough of them — the same programmes in the same order, so the
same pattern, whatever the number of workers.

Source: the LP audit and protection-interval formulation of cell suppression, Hundepool et
al., *Statistical Disclosure Control* (Wiley, 2012), §4.2–4.3 (also τ-ARGUS' audit); the
LP gives outer bounds of what an integer-solving intruder could learn.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import sys
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from analytics.core import lp

log = logging.getLogger(__name__)
TOLERANCE = 1e-6
MAX_RINGS = 4  # rings of shown counts protect() may hide around one count the release cannot help
# protect() starts worker processes only from this many small counts (each costs ~1 s to start)
PARALLEL_MIN_PRIMARY = 1000
KEPT_MODELS = 16  # component programmes protect() keeps for the next count of the same component


@dataclass(frozen=True)
class Relations:
    """All relations of a publication in matrix form, over the flat vector of its counts.

    ``equations`` (sparse, one row per relation) ``@ x = rhs``; ``part @ x ≤ whole @ x`` per
    inequality row (``ineq`` holds ``part − whole``).
    """

    equations: sp.csr_array
    rhs: np.ndarray
    ineq: sp.csr_array

    def __post_init__(self) -> None:
        # column-compressed copies: which relations hold a count is read column by column
        object.__setattr__(self, "_by_count", tuple(m.tocsc() for m in (self.equations, self.ineq)))

    def holding(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The equation rows and the inequality rows that hold any of ``cells``."""
        return tuple(_rows_holding(m, np.asarray(cells, dtype=np.int64)) for m in self._by_count)

    @classmethod
    def build(cls, n: int, equations: Sequence, inequalities: Sequence = ()) -> Relations:
        rows, cols, vals = [], [], []
        for r, eq in enumerate(equations):
            rows += [r] * len(eq.cells)
            cols += list(eq.cells)
            vals += list(eq.coefs)
        a = sp.csr_array((vals, (rows, cols)), shape=(len(equations), n))
        a.sum_duplicates()
        rhs = np.array([eq.rhs for eq in equations], dtype=float)
        rows, cols, vals = [], [], []
        for r, ineq in enumerate(inequalities):
            rows += [r] * (len(ineq.part) + len(ineq.whole))
            cols += [*ineq.part, *ineq.whole]
            vals += [1.0] * len(ineq.part) + [-1.0] * len(ineq.whole)
        g = sp.csr_array((vals, (rows, cols)), shape=(len(inequalities), n))
        g.sum_duplicates()
        return cls(a, rhs, g)


@dataclass(frozen=True)
class AuditResult:
    """Feasible range of every count as an intruder sees it (shown counts: their value).

    ``lower``/``upper``: LP bounds per count (``upper`` may be ``inf``); ``target_lower``/
    ``target_upper``: the range a primary count's label and the labels around it allow;
    ``checked``: the counts whose range was solved (the primary ones; all hidden ones
    with ``every_hidden``).
    """

    threshold: int
    hidden: np.ndarray
    primary: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    target_lower: np.ndarray
    target_upper: np.ndarray
    checked: np.ndarray
    solves: int

    @property
    def unprotected(self) -> np.ndarray:
        """Primary counts whose range is narrower than their labels allow, or was not found (a
        programme HiGHS could not solve counts as narrow: the audit fails closed)."""
        short = ~(self.lower <= self.target_lower + TOLERANCE) | ~(self.upper >= self.target_upper - TOLERANCE)
        return np.flatnonzero(self.primary & self.checked & short)

    @property
    def exact(self) -> np.ndarray:
        """Hidden counts (of those solved) an intruder recovers exactly."""
        return np.flatnonzero(self.hidden & self.checked & (self.upper - self.lower < 0.5))


def label_ranges(x: np.ndarray, primary: np.ndarray, relations: Relations, threshold: int,
                 passes: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """The range each primary count's label allows given only the labels and the relations —
    as if no number were shown: ``[1, t − 1]`` for a small count, ``≥ t`` for any other non-zero
    count, 0 for a zero (zeros are shown). Narrowed by interval arithmetic over every relation
    (``2 + 3 = <10`` cannot let a part reach 9; a relation with a known right-hand side bounds
    its small members), to a fixed point or ``passes`` rounds. Uses only public facts: where
    the zeros and the primary counts are and the relations' known right-hand sides."""
    nonzero = (np.asarray(x) > 0) | primary  # zeros are shown: public
    lo = np.where(primary, 1.0, np.where(nonzero, float(threshold), 0.0))
    hi = np.where(primary, threshold - 1.0, np.where(nonzero, np.inf, 0.0))
    a = relations.equations
    for _ in range(passes):
        changed = False
        for r in range(a.shape[0]):
            cells = a.indices[a.indptr[r]:a.indptr[r + 1]]
            coefs = a.data[a.indptr[r]:a.indptr[r + 1]]
            if not primary[cells].any():
                continue
            # each term coef·x lies in [t_lo, t_hi]
            t_lo = np.where(coefs > 0, coefs * lo[cells], coefs * hi[cells])
            t_hi = np.where(coefs > 0, coefs * hi[cells], coefs * lo[cells])
            n_inf_lo, n_inf_hi = np.isinf(t_lo).sum(), np.isinf(t_hi).sum()
            sum_lo, sum_hi = t_lo[np.isfinite(t_lo)].sum(), t_hi[np.isfinite(t_hi)].sum()
            rhs = relations.rhs[r]
            for k in np.flatnonzero(primary[cells]):
                # coef_k·x_k = rhs − Σ_{j≠k} term_j
                own_lo, own_hi = (t_lo[k] if np.isfinite(t_lo[k]) else 0.0), (t_hi[k] if np.isfinite(t_hi[k]) else 0.0)
                others_lo = -np.inf if n_inf_lo - np.isinf(t_lo[k]) else sum_lo - own_lo
                others_hi = np.inf if n_inf_hi - np.isinf(t_hi[k]) else sum_hi - own_hi
                term_lo, term_hi = rhs - others_hi, rhs - others_lo
                new_lo, new_hi = (term_lo, term_hi) if coefs[k] > 0 else (-term_hi, -term_lo)
                c = cells[k]
                if new_lo > lo[c] + TOLERANCE:
                    lo[c], changed = new_lo, True
                if new_hi < hi[c] - TOLERANCE:
                    hi[c], changed = new_hi, True
        if not changed:
            break
    target_lo = np.where(primary, np.ceil(lo - TOLERANCE), x)
    target_hi = np.where(primary, np.floor(hi + TOLERANCE), x)
    return target_lo, target_hi


def _label_lp_range(cell: int, x: np.ndarray, primary: np.ndarray, relations: Relations, threshold: int,
                    hops: int = 2) -> tuple[float, float]:
    """The range of ``cell`` with only labels known (no shown number), by LP over the counts
    within ``hops`` relations of it — equations and part-of-whole inequalities: the sharper
    version of :func:`label_ranges` where interval arithmetic cannot see two small counts that
    share a bound. Relations reaching outside the circle are left out, which can only widen the
    range (the requirement stays safe)."""
    nonzero = (np.asarray(x) > 0) | primary
    region = np.array([cell])
    for _ in range(hops):
        region = np.union1d(region, _neighbours(region, relations))
    region = region[nonzero[region]]
    a = relations.equations
    inside = np.zeros(len(x), dtype=bool)
    inside[region] = True
    outside_nonzero = nonzero & ~inside
    rows = np.flatnonzero((a[:, region].count_nonzero(axis=1) > 0)
                          & (a[:, np.flatnonzero(outside_nonzero)].count_nonzero(axis=1) == 0))
    a_c = a[rows][:, region]
    g = relations.ineq  # a part never exceeds its whole: labels bound each other through these too
    g_rows = (np.flatnonzero((g[:, region].count_nonzero(axis=1) > 0)
                             & (g[:, np.flatnonzero(outside_nonzero)].count_nonzero(axis=1) == 0))
              if g.shape[0] else np.zeros(0, dtype=np.int64))
    g_c = g[g_rows][:, region] if len(g_rows) else None
    bounds = np.column_stack([np.where(primary[region], 1.0, float(threshold)),
                              np.where(primary[region], threshold - 1.0, np.inf)])
    obj = np.zeros(len(region))
    at = int(np.searchsorted(region, cell))
    out = []
    for sign in (1.0, -1.0):
        obj[at] = sign
        res = lp.linprog(obj, a_eq=a_c if len(rows) else None, b_eq=relations.rhs[rows] if len(rows) else None,
                         a_ub=g_c, b_ub=np.zeros(len(g_rows)) if g_c is not None else None, bounds=bounds)
        out.append(res.fun * sign if res.status == 0 else (1.0 if sign > 0 else threshold - 1.0))
    return float(np.ceil(out[0] - TOLERANCE)), float(np.floor(out[1] + TOLERANCE))


def refine_target(cell: int, x: np.ndarray, primary: np.ndarray, relations: Relations, threshold: int,
                  target_lo: float, target_hi: float, lower: float, upper: float) -> tuple[float, float]:
    """Sharpen a primary count's :func:`label_ranges` target by LP (:func:`_label_lp_range`) over a
    wider circle of relations while the audited range ``[lower, upper]`` still falls short of it:
    interval arithmetic may ask for more than the labels allow."""
    for hops in (2, 4, 8):
        lo_lp, hi_lp = _label_lp_range(cell, x, primary, relations, threshold, hops)
        target_lo, target_hi = max(target_lo, lo_lp), min(target_hi, hi_lp)
        if lower <= target_lo + TOLERANCE and upper >= target_hi - TOLERANCE:
            break
    return target_lo, target_hi


def _components(hidden_idx: np.ndarray, relations: Relations) -> tuple[int, np.ndarray]:
    """Connected components of the hidden counts: two are linked when a relation holds both."""
    # imported here: every page imports this module (a stored publication holds its AuditResult)
    # and only a build uses the graph search, whose import pulls in SciPy's linear algebra (0.1 s)
    from scipy.sparse.csgraph import connected_components

    n_h = len(hidden_idx)
    blocks = [relations.equations[:, hidden_idx], relations.ineq[:, hidden_idx]]
    blocks = [b for b in blocks if b.shape[0]]
    inc = sp.vstack(blocks).tocsr() if blocks else sp.csr_array((0, n_h))
    inc.data = np.ones_like(inc.data)
    m = inc.shape[0]
    graph = sp.bmat([[None, inc], [inc.T, None]], format="csr") if m else sp.csr_array((n_h, n_h))
    n, labels = connected_components(graph, directed=False)
    return n, labels[m:] if m else labels


def _programme(members: np.ndarray, relations: Relations, shown_x: np.ndarray, primary: np.ndarray,
               threshold: int) -> lp.LinearProgramme:
    """The intruder's linear programme over one hidden component ``members`` (positions of the
    counts, sorted): the relations that hold any of them, every shown count substituted
    (``shown_x``: 0 at hidden counts), label bounds. Built from the rows of those relations only,
    so its cost follows the component, not the publication; the same model, row for row and
    bit for bit, as slicing every relation to every hidden count first."""
    # the relations with a non-zero coefficient on a member (an explicit zero holds nothing)
    kept = []
    for by_count in relations._by_count:
        pos, _ = _entries(by_count, members)
        kept.append(_distinct(by_count.indices[pos][by_count.data[pos] != 0], by_count.shape[0]))
    rows, g_rows = kept
    b = relations.rhs[rows] - _rows_of(relations.equations, rows) @ shown_x
    gb = -(_rows_of(relations.ineq, g_rows) @ shown_x)
    return lp.LinearProgramme.from_columns(
        _by_columns(relations, members, np.ones(len(members)), (rows, g_rows)),
        np.concatenate([b, np.full(len(g_rows), -np.inf)]), np.concatenate([b, gb]),
        np.column_stack([np.where(primary[members], 1.0, float(threshold)),
                         np.where(primary[members], threshold - 1.0, np.inf)]))


def _extremes(model: lp.LinearProgramme, at: int, n: int) -> tuple[float, float]:
    """The minimum and the maximum of variable ``at`` of ``model`` (``n`` variables), solved in
    that order: ``inf`` where unbounded, NaN where HiGHS found no answer (the audit fails closed)."""
    obj = np.zeros(n)
    out = []
    for sign in (1.0, -1.0):
        obj[at] = sign
        res = model.minimise(obj)
        out.append(res.fun * sign if res.status == 0 else (np.inf if res.status == 3 else np.nan))
    return out[0], out[1]


class HiddenComponents:
    """The hidden counts and their components (as :func:`_components` finds them), kept up to
    date while :func:`protect` hides counts: protection asks for one count's component after
    every few cells it hides, and recomputing every component over the whole publication each
    time made it quadratic in the size of the city.

    The nodes are the counts and the relations (equation rows, then inequality rows). A hidden
    count joins every relation that holds it, so two hidden counts share a component exactly
    when a chain of relations, each holding hidden counts, links them — the graph of
    :func:`_components`. Each component keeps the list of its nodes; a merge relabels the
    shorter lists (amortised O(n log n) over a whole protection). A component's :meth:`stamp`
    changes whenever its members do, so what was solved for it stays valid while it holds.

    ``x`` is read for the shown counts only (:attr:`shown_x`: 0 where hidden); :attr:`hidden` is
    the mask, changed only through :meth:`hide`.
    """

    def __init__(self, x: np.ndarray, hidden: np.ndarray, relations: Relations) -> None:
        self._x = np.asarray(x, dtype=float)
        n = len(self._x)
        self._n = n
        self._by_count = relations._by_count  # (equations, inequalities) by column
        self._offsets = (n, n + relations.equations.shape[0])
        self.label = np.full(n + relations.equations.shape[0] + relations.ineq.shape[0], -1, dtype=np.int64)
        self._nodes: dict[int, list[int]] = {}
        self._stamps: dict[int, int] = {}
        self._clock = 0  # counts changes: the stamps
        self._labels = 0  # labels handed out: a merged-away label is never reused
        self.hidden = np.zeros(n, dtype=bool)
        self.shown_x = self._x.copy()
        self.hide(np.flatnonzero(hidden))

    def _relations_of(self, cell: int) -> list[int]:
        """The nodes of the relations that hold ``cell``."""
        out: list[int] = []
        for m, offset in zip(self._by_count, self._offsets, strict=True):
            out += (m.indices[m.indptr[cell]:m.indptr[cell + 1]] + offset).tolist()
        return out

    def hide(self, cells: np.ndarray) -> None:
        """Hide ``cells`` (positions; those already hidden are skipped) and merge the components
        they link."""
        for cell in np.asarray(cells, dtype=np.int64).tolist():
            if self.hidden[cell]:
                continue
            self.hidden[cell] = True
            self.shown_x[cell] = 0.0
            rows = self._relations_of(cell)
            joined = sorted({int(v) for v in self.label[rows] if v >= 0})
            if joined:
                into = max(joined, key=lambda v: len(self._nodes[v]))  # the longest list stays
                for other in joined:
                    if other != into:
                        nodes = self._nodes.pop(other)
                        del self._stamps[other]
                        self.label[nodes] = into
                        self._nodes[into] += nodes
            else:
                into = self._labels
                self._labels += 1
            new = [cell, *(r for r in rows if self.label[r] < 0)]
            self.label[new] = into
            self._nodes.setdefault(into, []).extend(new)
            self._clock += 1
            self._stamps[into] = self._clock

    def members(self, cell: int) -> np.ndarray:
        """The hidden counts of the component of hidden count ``cell`` (sorted positions)."""
        nodes = np.asarray(self._nodes[int(self.label[cell])], dtype=np.int64)
        return np.sort(nodes[nodes < self._n])

    def stamp(self, cell: int) -> int:
        """A number that changes whenever the component of hidden count ``cell`` does."""
        return self._stamps[int(self.label[cell])]

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every hidden count and its component label (the form :func:`_release` and
        :func:`_ring` take)."""
        h_idx = np.flatnonzero(self.hidden)
        return h_idx, self.label[h_idx]


class _Solved:
    """The programmes and ranges :func:`protect` has solved, kept while their component holds
    (keyed by :meth:`HiddenComponents.stamp`): a count audited in the pass is not solved again by
    the round's final audit unless its component changed since, and counts of one component
    share one warm-started model. Only the last :data:`KEPT_MODELS` models are kept (each holds
    a HiGHS instance)."""

    def __init__(self, comps: HiddenComponents, relations: Relations, primary: np.ndarray, threshold: int) -> None:
        self._comps, self._relations, self._primary, self._threshold = comps, relations, primary, threshold
        self._models: OrderedDict[int, tuple[np.ndarray, lp.LinearProgramme]] = OrderedDict()
        self._ranges: dict[int, tuple[int, float, float]] = {}
        self.solves = 0

    def _model(self, cell: int) -> tuple[np.ndarray, lp.LinearProgramme]:
        stamp = self._comps.stamp(cell)
        if stamp in self._models:
            self._models.move_to_end(stamp)
        else:
            members = self._comps.members(cell)
            self._models[stamp] = members, _programme(members, self._relations, self._comps.shown_x, self._primary,
                                                      self._threshold)
            if len(self._models) > KEPT_MODELS:
                self._models.popitem(last=False)
        return self._models[stamp]

    def range(self, cell: int) -> tuple[float, float]:
        """The minimum and maximum of hidden count ``cell`` under the current pattern."""
        stamp = self._comps.stamp(cell)
        kept = self._ranges.get(cell)
        if kept is not None and kept[0] == stamp:
            return kept[1], kept[2]
        members, model = self._model(cell)
        lower, upper = _extremes(model, int(np.searchsorted(members, cell)), len(members))
        self.solves += 2
        self._ranges[cell] = stamp, lower, upper
        return lower, upper


def audit(x: np.ndarray, hidden: np.ndarray, primary: np.ndarray, relations: Relations, threshold: int,
          *, every_hidden: bool = False, cells: np.ndarray | None = None, refine: bool = True,
          targets: tuple[np.ndarray, np.ndarray] | None = None) -> AuditResult:
    """The range of each hidden count an intruder can compute (see the module docstring).

    ``x`` holds the counts; only the shown ones (``~hidden``) and the relations' right-hand
    sides are read, so the result does not depend on any hidden value. By default the range
    of every primary count is solved (of every hidden one with ``every_hidden``); ``cells``
    (positions) restricts the solves to those counts. With ``refine``, a primary count found
    short of its :func:`label_ranges` target has the target sharpened by LP
    (:func:`refine_target`) before it is judged. ``targets`` (lower, upper) saves recomputing
    :func:`label_ranges` when the caller has them.
    """
    x = np.asarray(x, dtype=float)
    hidden, primary = np.asarray(hidden, bool), np.asarray(primary, bool)
    n = len(x)
    shown_x = np.where(hidden, 0.0, x)
    target_lo, target_hi = (label_ranges(x, primary, relations, threshold) if targets is None
                            else (targets[0].copy(), targets[1].copy()))
    lower, upper = np.where(hidden, np.nan, x), np.where(hidden, np.nan, x)
    checked = np.zeros(n, dtype=bool)
    refined: set[int] = set()
    h_idx = np.flatnonzero(hidden)
    solves = 0
    if len(h_idx):
        wanted = hidden.copy() if every_hidden else primary & hidden
        if cells is not None:
            wanted &= np.isin(np.arange(n), cells)
        n_comp, comp = _components(h_idx, relations)
        order = np.argsort(comp, kind="stable")
        starts = np.searchsorted(comp[order], np.arange(n_comp + 1))
        for c in np.unique(comp[wanted[h_idx]]):
            members = np.sort(order[starts[c]:starts[c + 1]])
            targets = members[wanted[h_idx[members]]]
            model = _programme(h_idx[members], relations, shown_x, primary, threshold)
            for k in targets:
                cell = int(h_idx[k])
                for sign, value in zip((1.0, -1.0), _extremes(model, np.searchsorted(members, k), len(members)),
                                       strict=True):
                    solves += 1
                    if sign > 0:
                        lower[cell] = value
                        short = value > target_lo[cell] + TOLERANCE
                    else:
                        upper[cell] = value
                        short = value < target_hi[cell] - TOLERANCE
                    if refine and short and primary[cell] and cell not in refined:
                        refined.add(cell)
                        target_lo[cell], target_hi[cell] = refine_target(
                            cell, x, primary, relations, threshold, target_lo[cell], target_hi[cell],
                            lower[cell] if sign < 0 else value, value if sign < 0 else np.inf)
                checked[cell] = True
    return AuditResult(threshold, hidden, primary, lower, upper, target_lo, target_hi, checked, solves)


def _entries(compressed: sp.sparray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions (in ``indices``/``data``) of the entries stored in the major slices ``at`` of a
    compressed matrix, slice after slice in stored order, and how many each slice holds."""
    starts, ends = compressed.indptr[at], compressed.indptr[at + 1]
    lengths = ends - starts
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum())), lengths


def _gather(compressed: sp.sparray, at: np.ndarray) -> np.ndarray:
    """The minor indices stored in the major slices ``at`` of a compressed matrix (the rows of a
    CSC matrix's columns, the columns of a CSR matrix's rows), concatenated — without building
    the sliced matrix, which costs scipy more than the gather itself."""
    return compressed.indices[_entries(compressed, at)[0]]


def _by_columns(relations: Relations, cols: np.ndarray, sign: np.ndarray,
                rows: tuple[np.ndarray, np.ndarray]) -> sp.csc_array:
    """The relations' rows ``rows`` (equation rows, then inequality rows; each sorted) over the
    counts ``cols`` (column ``k`` is count ``cols[k]`` times ``sign[k]``), column-compressed with
    each column's rows ascending — what slicing and stacking the relations and converting the
    result for HiGHS gives, entry for entry (explicit zeros too), gathered from the relations'
    column-compressed copies at a fraction of scipy's cost. Entries in rows not listed are left
    out."""
    lengths, local, values = [], [], []
    offset = 0
    for by_count, held in zip(relations._by_count, rows, strict=True):
        if not len(held):
            continue
        pos, per_col = _entries(by_count, cols)
        local_of = np.full(by_count.shape[0], -1, dtype=np.int64)  # each relation's row in the matrix
        local_of[held] = np.arange(offset, offset + len(held))
        at = local_of[by_count.indices[pos]]
        listed = at >= 0
        column = np.repeat(np.arange(len(cols)), per_col)[listed]
        lengths.append(np.bincount(column, minlength=len(cols)))
        local.append(at[listed])
        values.append(by_count.data[pos][listed] * sign[column])
        offset += len(held)
    start = np.concatenate([[0], np.cumsum(np.sum(lengths, axis=0) if lengths else np.zeros(len(cols), np.int64))])
    index, value = np.empty(start[-1], dtype=np.int64), np.empty(start[-1])
    before = np.zeros(len(cols), dtype=np.int64)  # each column: its equation entries, then its inequality ones
    for n_k, local_k, values_k in zip(lengths, local, values, strict=True):
        dest = np.repeat(start[:-1] + before - np.cumsum(n_k) + n_k, n_k) + np.arange(int(n_k.sum()))
        index[dest], value[dest] = local_k, values_k
        before = before + n_k
    return sp.csc_array((value, index, start), shape=(offset, len(cols)))


def _rows_of(matrix: sp.csr_array, rows: np.ndarray) -> sp.csr_array:
    """``matrix[rows]`` (a CSR matrix, every column kept, each row's entries in stored order) by
    a gather: scipy's fancy indexing costs more than the copy on the small row sets of a
    release programme."""
    pos, lengths = _entries(matrix, rows)
    return sp.csr_array((matrix.data[pos], matrix.indices[pos], np.concatenate([[0], np.cumsum(lengths)])),
                        shape=(len(rows), matrix.shape[1]))


def _distinct(values: np.ndarray, size: int) -> np.ndarray:
    """``np.unique`` of non-negative integers below ``size`` (sorted, int64): by a mask when they
    are many, where marking beats sorting."""
    if len(values) * 32 < size:
        return np.unique(values).astype(np.int64)
    mask = np.zeros(size, dtype=bool)
    mask[values] = True
    return np.flatnonzero(mask).astype(np.int64)


def _rows_holding(by_count: sp.csc_array, cells: np.ndarray) -> np.ndarray:
    """The rows of the column-compressed ``by_count`` with a non-zero in any of ``cells`` (sorted)."""
    if not len(cells) or not by_count.shape[0]:
        return np.zeros(0, dtype=np.int64)
    return _distinct(_gather(by_count, cells), by_count.shape[0])


def _neighbours(cells: np.ndarray, relations: Relations) -> np.ndarray:
    """Every count that shares a relation with one of ``cells``."""
    if not len(cells):
        return np.zeros(0, dtype=np.int64)
    parts = [_gather(m, rows) for m, rows in zip((relations.equations, relations.ineq), relations.holding(cells),
                                                 strict=True) if len(rows)]
    return _distinct(np.concatenate(parts), relations.equations.shape[1]) if parts else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class _Circle:
    """One circle of :func:`_release`'s programme, without its target: the hidden counts ``var``
    (the target count is ``var[at]``) and the shown candidates ``cand`` that may move, the
    constraint matrix by columns (``var``, ``cand`` up, ``cand`` down) and its row bounds, the
    column bounds (the target count still at its label bounds) and the cost."""

    var: np.ndarray
    cand: np.ndarray
    at: int
    matrix: sp.csc_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    bounds: np.ndarray
    cost: np.ndarray


def _circles(cell: int, x: np.ndarray, hidden: np.ndarray, primary: np.ndarray, relations: Relations,
             threshold: int, components: tuple[np.ndarray, np.ndarray]) -> Iterator[_Circle]:
    """The programmes :func:`_release` tries for ``cell``, one relation wider each, as long as the
    circle grows. A generator, so a circle is built only when a release needs it, and both ends
    of one count (the pattern does not change between them) share the circles built."""
    comp_of = np.full(len(x), -1, dtype=np.int64)  # each hidden count's component
    comp_of[components[0]] = components[1]
    region = components[0][components[1] == comp_of[cell]]
    around = _neighbours(region, relations)
    while True:
        cand = around[~hidden[around] & (x[around] > 0)]
        # hidden counts of other components next to the candidates move with them: take them whole
        next_to = _neighbours(cand, relations)
        touching = np.union1d(comp_of[next_to[hidden[next_to]]], [comp_of[cell]])
        var = components[0][np.isin(components[1], touching)]
        yield _release_circle(var, cand, int(np.flatnonzero(var == cell)[0]), x, primary, relations, threshold)
        grown = np.union1d(region, cand)
        if len(grown) == len(region):
            return
        # the neighbours of the grown region: those of the region and those of the candidates
        region, around = grown, np.union1d(around, next_to)


def _release_circle(var: np.ndarray, cand: np.ndarray, at: int, x: np.ndarray, primary: np.ndarray,
                    relations: Relations, threshold: int) -> _Circle:
    """The programme of one circle of :func:`_release`: the relations that hold any free count,
    every other count substituted. Its matrix is gathered column by column from the relations'
    column-compressed copies — the matrix stacking the sliced relations would give, entry for
    entry and in the same order (so HiGHS solves the same model), at a fraction of scipy's cost."""
    n_h, n_c = len(var), len(cand)
    free = np.concatenate([var, cand])
    held = relations.holding(free)
    x_fixed = x.astype(float)  # the counts that stay as they are (the free ones at 0)
    x_fixed[free] = 0.0
    x_cand = np.zeros(len(x))  # the candidates at their shown values, the rest at 0
    x_cand[cand] = x[cand]
    cols = np.concatenate([var, cand, cand])
    matrix = _by_columns(relations, cols, np.concatenate([np.ones(n_h + n_c), np.full(n_c, -1.0)]), held)
    row_lower, row_upper = [], []
    for by_row, rows, equal in ((relations.equations, held[0], True), (relations.ineq, held[1], False)):
        if not len(rows):
            continue
        a_r = _rows_of(by_row, rows)
        if equal:
            b = relations.rhs[rows] - a_r @ x_fixed - a_r @ x_cand
            row_lower.append(b)
        else:
            b = -(a_r @ x_fixed) - a_r @ x_cand
            row_lower.append(np.full(len(rows), -np.inf))
        row_upper.append(b)
    lb_h = np.where(primary[var], 1.0, float(threshold))
    ub_h = np.where(primary[var], threshold - 1.0, np.inf)
    bounds = np.column_stack([
        np.concatenate([lb_h, np.zeros(2 * n_c)]),
        np.concatenate([ub_h, np.full(n_c, np.inf), x[cand] - threshold]),
    ])
    weight = np.log1p(x[cand])
    return _Circle(var, cand, at, matrix,
                   np.concatenate(row_lower) if row_lower else np.zeros(0),
                   np.concatenate(row_upper) if row_upper else np.zeros(0),
                   bounds, np.concatenate([np.zeros(n_h), weight, weight]))


def _release(cell: int, targets: Sequence[float], x: np.ndarray, hidden: np.ndarray, primary: np.ndarray,
             relations: Relations, threshold: int,
             components: tuple[np.ndarray, np.ndarray]) -> list[np.ndarray | None]:
    """The cheapest shown counts to hide so that hidden count ``cell`` can take the value ``target``,
    for each of ``targets`` (its ends that fall short; nothing is hidden between them).

    A linear programme over the hidden counts of ``cell``'s component (label bounds; ``components``
    is every hidden count and its component label) and the shown non-zero counts around them,
    each free to move from its shown value at a cost of ``log(1 + value)`` per person moved
    (a compromise between hiding few cells and hiding few persons) but never below the
    threshold (it would then read as a small count). Widens the circle of shown counts, one
    relation further each time, until the count can reach ``target`` or nothing more can be
    added (``None``). The circles (:func:`_circles`) are built once for every target: they
    depend on the pattern, not on the target, which only fixes the count's own bounds.
    """
    circles = _circles(cell, x, hidden, primary, relations, threshold, components)
    built: list[_Circle] = []
    out: list[np.ndarray | None] = []
    for target in targets:
        found = None
        for k in itertools.count():
            if k == len(built):
                circle = next(circles, None)
                if circle is None:
                    break
                built.append(circle)
            circle = built[k]
            bounds = circle.bounds.copy()
            bounds[circle.at] = target
            res = lp.LinearProgramme.from_columns(circle.matrix, circle.row_lower, circle.row_upper, bounds,
                                                  circle.cost).minimise(circle.cost)
            if res.status == 0:
                n_h, n_c = len(circle.var), len(circle.cand)
                move = res.x[n_h:n_h + n_c] + res.x[n_h + n_c:]
                found = circle.cand[move > 1e-6]
                break
        out.append(found)
    return out


def _ring(cell: int, x: np.ndarray, hidden: np.ndarray, relations: Relations,
          components: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The shown non-zero counts that share a relation with the hidden component of ``cell``."""
    comp_of = dict(zip(components[0].tolist(), components[1].tolist(), strict=True))
    region = components[0][components[1] == comp_of[int(cell)]]
    around = _neighbours(region, relations)
    return around[~hidden[around] & (x[around] > 0)]


def _ring_round(final: AuditResult, x: np.ndarray, comps: HiddenComponents, primary: np.ndarray,
                relations: Relations, threshold: int, targets: tuple[np.ndarray, np.ndarray],
                rings: dict[int, int]) -> np.ndarray:
    """For each count still unprotected after a pass: sharpen its target by LP (the labels may
    allow less than interval arithmetic asked for) and, if it still falls short, hide the ring of
    shown counts around its hidden component as the components stood when the round began
    (through ``comps``; at most :data:`MAX_RINGS` rings per count, counted in ``rings``). Returns
    the counts that got a ring."""
    target_lower, target_upper = targets
    ringed = []
    components = comps.pairs()
    for cell in final.unprotected:
        target_lower[cell], target_upper[cell] = refine_target(
            cell, x, primary, relations, threshold, target_lower[cell], target_upper[cell],
            final.lower[cell], final.upper[cell])
        if final.lower[cell] <= target_lower[cell] + TOLERANCE and final.upper[cell] >= target_upper[cell] - TOLERANCE:
            continue
        if rings.get(int(cell), 0) < MAX_RINGS:
            ring = _ring(int(cell), x, comps.hidden, relations, components)
            if len(ring):
                rings[int(cell)] = rings.get(int(cell), 0) + 1
                ringed.append(int(cell))
                comps.hide(ring)
    return np.array(ringed, dtype=np.int64)


def _is_protected(lower: float, upper: float, target_lower: float, target_upper: float) -> bool:
    """Whether a primary count's range ``[lower, upper]`` covers its target (NaN, an unsolved
    programme, never does: :attr:`AuditResult.unprotected`)."""
    return bool(lower <= target_lower + TOLERANCE and upper >= target_upper - TOLERANCE)


def _audit_primary(solved: _Solved, comps: HiddenComponents, primary: np.ndarray, threshold: int,
                   targets: tuple[np.ndarray, np.ndarray]) -> AuditResult:
    """:func:`audit` of every primary count (no refinement) under the pattern ``comps`` holds,
    over its kept components, reusing every range ``solved`` holds for an unchanged component."""
    hidden, x = comps.hidden, comps.shown_x
    lower, upper = np.where(hidden, np.nan, x), np.where(hidden, np.nan, x)
    checked = primary & hidden
    before = solved.solves
    for cell in np.flatnonzero(checked).tolist():
        lower[cell], upper[cell] = solved.range(cell)
    return AuditResult(threshold, hidden, primary, lower, upper, targets[0].copy(), targets[1].copy(), checked,
                       solved.solves - before)


def protect(x: np.ndarray, primary: np.ndarray, relations: Relations, threshold: int,
            workers: int | None = None) -> tuple[np.ndarray, AuditResult]:
    """Hide complementary counts until every primary count is protected (see the module docstring).

    One pass over the primary counts in order: audit the count under the pattern so far and,
    where its range falls short, hide the cheapest shown counts that let it reach each end
    (:func:`_release`); hiding more never narrows another count's range, so counts protected
    earlier stay protected. A final audit of every primary count confirms it (and a further
    pass handles any the release's local view misjudged). Returns the hidden mask and the
    final audit. Reads no primary value: the choices depend on where the primary counts
    are, the other counts and the relations only.

    Counts that no chain of relations links (a publication's independent parts: tables that
    share no total) never influence each other's choices, so each part is protected on its own
    (:func:`_protect_one`), in a pool of ``workers`` processes (default: one per CPU) when the
    publication is large enough to repay starting them (:data:`PARALLEL_MIN_PRIMARY`). The
    result is the same as protecting the whole at once — each part sees the same programmes,
    in the same order — and so does not depend on the number of workers.
    """
    x = np.asarray(x, dtype=float)
    primary = np.asarray(primary, bool)
    n = len(x)
    n_parts, part_of = _components(np.arange(n), relations)
    parts = [np.flatnonzero(part_of == p) for p in range(n_parts)]
    parts = [p for p in parts if primary[p].any()]  # a part without a small count hides nothing
    hidden = primary.copy()
    lower, upper = x.copy(), x.copy()
    target_lower, target_upper = x.copy(), x.copy()
    checked = np.zeros(n, dtype=bool)
    solves = 0
    jobs = [(x[p], primary[p], _restricted(relations, p), threshold) for p in parts]
    for p, (h, result) in zip(parts, _run_parts(jobs, workers), strict=True):
        hidden[p], lower[p], upper[p] = h, result.lower, result.upper
        target_lower[p], target_upper[p], checked[p] = result.target_lower, result.target_upper, result.checked
        solves += result.solves
    return hidden, AuditResult(threshold, hidden, primary, lower, upper, target_lower, target_upper, checked, solves)


def _restricted(relations: Relations, cells: np.ndarray) -> Relations:
    """The relations that hold ``cells`` (sorted positions; a part: no relation reaches outside
    it), over those counts only. Rows and counts keep their order, so every programme built
    from them is the whole publication's, renumbered."""
    rows, g_rows = relations.holding(cells)
    return Relations(sp.csr_array(relations.equations[rows][:, cells]), relations.rhs[rows],
                     sp.csr_array(relations.ineq[g_rows][:, cells]))


def _protect_job(job: tuple[np.ndarray, np.ndarray, Relations, int]) -> tuple[np.ndarray, AuditResult]:
    """:func:`_protect_one` of one part (a top-level function, so a worker process can run it)."""
    return _protect_one(*job)


def _run_parts(jobs: list[tuple[np.ndarray, np.ndarray, Relations, int]],
               workers: int | None) -> list[tuple[np.ndarray, AuditResult]]:
    """:func:`_protect_one` of every part, in worker processes when there are several parts and
    enough small counts to repay starting them; in this process otherwise, or when processes
    cannot be had. Results in the order of ``jobs``."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers > 1 and sum(int(job[1].sum()) for job in jobs) >= PARALLEL_MIN_PRIMARY and _main_is_importable():
        order = sorted(range(len(jobs)), key=lambda k: -len(jobs[k][0]))  # the largest parts first
        try:
            # spawn, not fork: the app runs threads, and a forked child may inherit a held lock
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                done = dict(zip(order, pool.map(_protect_job, [jobs[k] for k in order]), strict=True))
            return [done[k] for k in range(len(jobs))]
        except (OSError, BrokenProcessPool, NotImplementedError) as error:
            log.info("protecting in this process: no worker processes (%s)", error)
    return [_protect_job(job) for job in jobs]


def _main_is_importable() -> bool:
    """Whether a spawned worker can start without running the caller's program again: a spawned
    process imports the main module, and a script run by its path (``python script.py``, or a
    console script) would be run again unless it guards itself with ``__name__ == "__main__"``,
    which this module cannot tell. A module run with ``-m`` (the app's tools, pytest via
    ``python -m``) or code with no file (``python -c``, a notebook) is safe."""
    main = sys.modules.get("__main__")
    return getattr(getattr(main, "__spec__", None), "name", None) is not None or getattr(main, "__file__", None) is None


def _protect_one(x: np.ndarray, primary: np.ndarray, relations: Relations,
                 threshold: int) -> tuple[np.ndarray, AuditResult]:
    """:func:`protect` of counts linked by ``relations`` (one part, or any set of counts).

    The hidden components are kept as cells are hidden (:class:`HiddenComponents`) and each
    audit solves the programme of one component (:func:`_programme`), so a pass costs what its
    components cost, not the publication's size once per primary count.
    """
    x = np.asarray(x, dtype=float)
    primary = np.asarray(primary, bool)
    public = np.where(primary, 0.0, x)  # what the choices may read
    comps = HiddenComponents(public, primary, relations)
    hidden = comps.hidden
    solved = _Solved(comps, relations, primary, threshold)
    targets = label_ranges(public, primary, relations, threshold)
    target_lower, target_upper = targets
    solves = 0
    todo = np.flatnonzero(primary)
    stuck: set[int] = set()
    rings: dict[int, int] = {}
    for _ in range(10 + MAX_RINGS):
        for cell in todo.tolist():
            if cell in stuck:
                continue
            lower, upper = solved.range(cell)
            if _is_protected(lower, upper, target_lower[cell], target_upper[cell]):
                continue
            components = comps.pairs()
            ends = [target for short, target in ((lower > target_lower[cell] + TOLERANCE, target_lower[cell]),
                                                 (upper < target_upper[cell] - TOLERANCE, target_upper[cell]))
                    if short]
            new = [cells for cells in _release(cell, ends, public, hidden, primary, relations, threshold, components)
                   if cells is not None]
            solves += len(ends)
            added = np.unique(np.concatenate(new)) if new else np.zeros(0, dtype=np.int64)
            if not len(added):
                stuck.add(cell)  # nothing more to hide would widen its range now: see the rings below
            comps.hide(added)
        final = _audit_primary(solved, comps, primary, threshold, targets)
        todo = np.array([c for c in final.unprotected if c not in stuck], dtype=np.int64)
        if not len(todo):
            todo = _ring_round(final, public, comps, primary, relations, threshold, targets, rings)
            stuck.difference_update(todo.tolist())
            if not len(todo):
                break
    for cell in final.unprotected:  # ranges the labels themselves may not allow: ask the LP
        target_lower[cell], target_upper[cell] = refine_target(cell, public, primary, relations, threshold,
                                                               target_lower[cell], target_upper[cell],
                                                               final.lower[cell], final.upper[cell])
    lower = np.where(hidden, final.lower, x)
    upper = np.where(hidden, final.upper, x)
    return hidden, AuditResult(threshold, hidden, primary, lower, upper, target_lower, target_upper, final.checked,
                               solves + solved.solves)
