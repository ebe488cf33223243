"""Linear programmes solved by HiGHS directly (``highspy``), one model kept for many objectives.

The disclosure audit solves the same constraints again and again with another objective (the
minimum and the maximum of each hidden count of a component). Through
:func:`scipy.optimize.linprog` every solve rebuilds and re-checks the model (about 2 ms of
overhead against well under 1 ms of HiGHS work on a typical component); here the model is
passed once and each new objective starts from the last optimal basis (the constraints do not
change, so that basis stays feasible and the dual simplex usually needs a few pivots).

Statuses follow :func:`scipy.optimize.linprog`: 0 optimal, 2 infeasible, 3 unbounded, 4 other.

Source: Q. Huangfu & J. A. J. Hall, "Parallelizing the dual revised simplex method",
*Mathematical Programming Computation* 10 (2018) 119–142 (HiGHS); the ``highspy`` interface.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

_STATUS = {highspy.HighsModelStatus.kOptimal: 0, highspy.HighsModelStatus.kInfeasible: 2,
           highspy.HighsModelStatus.kUnbounded: 3}


@dataclass(frozen=True)
class Solution:
    """``status`` (0 optimal, 2 infeasible, 3 unbounded, 4 other), the objective value ``fun``
    (NaN unless optimal) and the variables ``x`` (None unless optimal)."""

    status: int
    fun: float
    x: np.ndarray | None


def highs_lp(cost: np.ndarray, a: sp.sparray, col_lower: np.ndarray, col_upper: np.ndarray, row_lower: np.ndarray,
             row_upper: np.ndarray) -> highspy.HighsLp:
    """min ``cost @ x`` subject to ``row_lower ≤ a @ x ≤ row_upper`` and the column bounds (±inf
    for none), as HiGHS' own model (its matrix by columns)."""
    a = sp.csc_array(a)
    a.sort_indices()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), a.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float).copy()
    lp.col_lower_, lp.col_upper_ = np.asarray(col_lower, dtype=float).copy(), np.asarray(col_upper, dtype=float).copy()
    lp.row_lower_, lp.row_upper_ = np.asarray(row_lower, dtype=float).copy(), np.asarray(row_upper, dtype=float).copy()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    return lp


class LinearProgramme:
    """min ``cost @ x`` subject to ``a_eq @ x = b_eq``, ``a_ub @ x ≤ b_ub`` and ``bounds``
    (an (n, 2) array of lower and upper bounds; ±inf for none), for any number of costs.

    Build once, then call :meth:`minimise` with each cost vector. Not thread-safe: one object
    per thread.
    """

    def __init__(self, n: int, *, a_eq: sp.sparray | None = None, b_eq: np.ndarray | None = None,
                 a_ub: sp.sparray | None = None, b_ub: np.ndarray | None = None,
                 bounds: np.ndarray | None = None) -> None:
        blocks, lower, upper = [], [], []
        if a_eq is not None and a_eq.shape[0]:
            blocks.append(sp.csr_array(a_eq))
            lower.append(np.asarray(b_eq, dtype=float))
            upper.append(np.asarray(b_eq, dtype=float))
        if a_ub is not None and a_ub.shape[0]:
            blocks.append(sp.csr_array(a_ub))
            lower.append(np.full(a_ub.shape[0], -np.inf))
            upper.append(np.asarray(b_ub, dtype=float))
        a = sp.csc_array(sp.vstack(blocks) if blocks else sp.csc_array((0, n)))
        a.sort_indices()
        self._load(a, np.concatenate(lower) if lower else np.zeros(0), np.concatenate(upper) if upper else np.zeros(0),
                   np.zeros((n, 2)) if bounds is None else np.asarray(bounds, dtype=float).reshape(n, 2))

    @classmethod
    def from_columns(cls, a: sp.csc_array, row_lower: np.ndarray, row_upper: np.ndarray,
                     bounds: np.ndarray, cost: np.ndarray | None = None) -> LinearProgramme:
        """min ``cost @ x`` subject to ``row_lower ≤ a @ x ≤ row_upper`` and ``bounds``, with ``a``
        already in HiGHS' own form (column-compressed, row indices sorted within each column).
        The same model as the keyword constructor given the same matrix, without its stacking and
        conversions: a caller that assembles its matrix by columns anyway (the release programme
        of :mod:`analytics.core.audit`, built for one solve each) saves scipy's per-call overhead.
        ``cost``, when given, is handed over with the model: a first :meth:`minimise` with that
        cost then skips changing it (about 0.1 ms on a programme of tens of thousands of columns)."""
        model = cls.__new__(cls)
        model._load(a, np.asarray(row_lower, dtype=float), np.asarray(row_upper, dtype=float),
                    np.asarray(bounds, dtype=float).reshape(a.shape[1], 2),
                    np.zeros(a.shape[1]) if cost is None else np.asarray(cost, dtype=float))
        return model

    def _load(self, a: sp.csc_array, row_lower: np.ndarray, row_upper: np.ndarray, bounds: np.ndarray,
              cost: np.ndarray | None = None) -> None:
        """Hand the model to a new HiGHS instance, with ``cost`` (none: zero; :meth:`minimise` sets
        its own)."""
        n = a.shape[1]
        self._cost = np.zeros(n) if cost is None else np.ascontiguousarray(cost, dtype=float)  # as HiGHS holds it
        self._h = highspy.Highs()
        self._h.setOptionValue("output_flag", False)
        # The audit's programmes are small and sparse: presolve costs more than it saves (a
        # scale-1 publication builds in 13 s without it, 19 s with it), and it would discard
        # the basis the next objective starts from.
        self._h.setOptionValue("presolve", "off")
        # The same model as passing highs_lp(...), but handed over as arrays: filling a HighsLp
        # field by field converts every entry through Python (about 2 ms for a 3000-column
        # programme against 0.2 ms), which the audit pays once per component it solves.
        self._h.passModel(n, a.shape[0], a.nnz, int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize),
                          0.0, self._cost, np.ascontiguousarray(bounds[:, 0]), np.ascontiguousarray(bounds[:, 1]),
                          row_lower, row_upper, a.indptr.astype(np.int32),
                          a.indices.astype(np.int32), a.data.astype(float), np.zeros(n, dtype=np.int32))
        self._n = n
        self._all = np.arange(n, dtype=np.int32)

    def minimise(self, cost: np.ndarray) -> Solution:
        """The minimum of ``cost @ x`` (warm-started from the previous solve's basis)."""
        cost = np.asarray(cost, dtype=float)
        if not np.array_equal(cost, self._cost):
            self._h.changeColsCost(self._n, self._all, cost)
            self._cost = cost.copy()
        self._h.run()
        model_status = self._h.getModelStatus()
        if model_status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
            # HiGHS may not tell which: the constraints alone (no cost) settle it
            self._cost = np.zeros(self._n)
            self._h.changeColsCost(self._n, self._all, self._cost)
            self._h.run()
            feasible = self._h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            return Solution(3 if feasible else 2, np.nan, None)
        status = _STATUS.get(model_status, 4)
        if status == 4:  # numerical trouble from the warm start: once more from scratch, with presolve
            self._h.clearSolver()
            self._h.setOptionValue("presolve", "on")
            self._h.run()
            self._h.setOptionValue("presolve", "off")
            status = _STATUS.get(self._h.getModelStatus(), 4)
        if status != 0:
            return Solution(status, np.nan, None)
        return Solution(0, float(self._h.getInfo().objective_function_value),
                        np.asarray(self._h.getSolution().col_value))


def linprog(cost: np.ndarray, *, a_eq: sp.sparray | None = None, b_eq: np.ndarray | None = None,
            a_ub: sp.sparray | None = None, b_ub: np.ndarray | None = None,
            bounds: np.ndarray | None = None) -> Solution:
    """One linear programme (:class:`LinearProgramme` solved once)."""
    cost = np.asarray(cost, dtype=float)
    return LinearProgramme(len(cost), a_eq=a_eq, b_eq=b_eq, a_ub=a_ub, b_ub=b_ub, bounds=bounds).minimise(cost)
