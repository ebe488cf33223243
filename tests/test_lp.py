"""analytics.core.lp: HiGHS through highspy, one model for many objectives, against scipy's linprog."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog as scipy_linprog

from analytics.core import lp

pytestmark = pytest.mark.fast


def _random_lp(seed: int):
    """A feasible programme like the audit's: equations of ±1 over bounded counts, built around
    a known point, and a few part-of-whole inequalities."""
    rng = np.random.default_rng(seed)
    n, m, k = 30, 12, 5
    point = rng.integers(1, 20, size=n).astype(float)
    a_eq = sp.random_array((m, n), density=0.2, rng=rng, data_sampler=lambda size: rng.choice([-1.0, 1.0], size))
    a_ub = sp.random_array((k, n), density=0.2, rng=rng, data_sampler=lambda size: rng.choice([-1.0, 1.0], size))
    bounds = np.column_stack([np.where(rng.random(n) < 0.5, 1.0, 0.0), np.where(rng.random(n) < 0.7, 40.0, np.inf)])
    return point, sp.csr_array(a_eq), a_eq @ point, sp.csr_array(a_ub), a_ub @ point + 3, bounds


@pytest.mark.parametrize("seed", range(5))
def test_one_model_gives_scipys_optimum_for_each_objective(seed) -> None:
    point, a_eq, b_eq, a_ub, b_ub, bounds = _random_lp(seed)
    model = lp.LinearProgramme(len(point), a_eq=a_eq, b_eq=b_eq, a_ub=a_ub, b_ub=b_ub, bounds=bounds)
    rng = np.random.default_rng(100 + seed)
    for j in range(10):  # the audit's pattern: min and max of one variable after another, then mixed costs
        for cost in (np.eye(len(point))[j], -np.eye(len(point))[j], rng.normal(size=len(point))):
            ours = model.minimise(cost)
            ref = scipy_linprog(cost, A_eq=a_eq, b_eq=b_eq, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
            assert ours.status == ref.status
            if ref.status == 0:
                assert ours.fun == pytest.approx(ref.fun, abs=1e-7)
                assert np.allclose(a_eq @ ours.x, b_eq, atol=1e-7) and (a_ub @ ours.x <= b_ub + 1e-7).all()
                assert (ours.x >= bounds[:, 0] - 1e-9).all() and (ours.x <= bounds[:, 1] + 1e-9).all()


def test_infeasible_and_unbounded_programmes_say_so() -> None:
    # x0 + x1 = 5 with both in [3, 4]: no solution; x0 − x1 = 0 with x free above: unbounded maximum
    infeasible = lp.linprog(np.array([1.0, 0.0]), a_eq=sp.csr_array([[1.0, 1.0]]), b_eq=np.array([5.0]),
                            bounds=np.array([[3.0, 4.0], [3.0, 4.0]]))
    assert infeasible.status == 2 and infeasible.x is None and np.isnan(infeasible.fun)
    unbounded = lp.linprog(np.array([-1.0, 0.0]), a_eq=sp.csr_array([[1.0, -1.0]]), b_eq=np.array([0.0]),
                           bounds=np.array([[0.0, np.inf], [0.0, np.inf]]))
    assert unbounded.status == 3 and unbounded.x is None


def test_a_programme_without_constraints_is_its_bounds() -> None:
    sol = lp.linprog(np.array([1.0, -2.0]), bounds=np.array([[1.0, 9.0], [1.0, 9.0]]))
    assert sol.status == 0 and sol.fun == pytest.approx(1.0 - 18.0) and sol.x.tolist() == [1.0, 9.0]


def test_a_programme_that_fails_from_its_warm_start_is_solved_again_from_scratch(monkeypatch) -> None:
    """analytics.core.lp: when HiGHS reports neither an optimum nor a verdict after a warm start, the
    same objective is solved again from scratch and its answer returned."""
    import highspy

    model = lp.LinearProgramme(2, a_eq=sp.csr_array([[1.0, 1.0]]), b_eq=np.array([5.0]),
                               bounds=np.array([[0.0, 4.0], [0.0, 4.0]]))
    real = model._h.getModelStatus
    calls = []

    def first_fails():
        calls.append(1)
        return highspy.HighsModelStatus.kSolveError if len(calls) == 1 else real()

    monkeypatch.setattr(model._h, "getModelStatus", first_fails)
    sol = model.minimise(np.array([1.0, 0.0]))
    assert sol.status == 0 and sol.fun == pytest.approx(1.0) and len(calls) >= 2
