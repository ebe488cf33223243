"""Tests for analytics.core.privacy: the threshold, the labels and suppression by protection intervals.

Known answers are worked out by hand in the comments; the audit that judges them is tested
on its own in ``tests/test_audit.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from analytics.core.audit import Relations, audit
from analytics.core.privacy import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    SECONDARY_LABEL,
    SUPPRESSED_LABEL,
    check_threshold,
    count_labels,
    suppress,
)
from analytics.core.publication import Equation

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)


def _sums(members, total) -> Equation:
    cells = np.array([*members, total])
    return Equation(cells, np.array([1.0] * len(members) + [-1.0]))


def test_constants() -> None:
    assert DEFAULT_THRESHOLD == 10 and MIN_THRESHOLD == 3
    assert SUPPRESSED_LABEL.format(threshold=10) == "<10" and SECONDARY_LABEL == "χ"


@pytest.mark.parametrize("bad", [2, 0, -1, 2.5, "10", True, None])
def test_check_threshold_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        check_threshold(bad)


def test_check_threshold_accepts() -> None:
    assert check_threshold(3) == 3 and check_threshold(np.int64(10)) == 10


def test_count_labels() -> None:
    labels = count_labels(np.array([3.0, 1234.0, 0.0, 40.0]), np.array([True, False, False, True]),
                          np.array([True, False, False, False]), 10)
    assert labels.tolist() == ["<10", "1,234", "0", "χ"]


def test_suppress_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        suppress(np.array([1.0, 2.0]), [], threshold=2)
    with pytest.raises(ValueError):
        suppress(np.array([1.0, np.nan]), [])
    with pytest.raises(ValueError):
        suppress(np.array([1.0, -1.0]), [])


def test_the_line_the_per_line_rule_lost_is_protected() -> None:
    # A line 1 + 10 + 500 = 511. The old rule hid the smallest shown partner, 10: a reader
    # then has x + y = 11 with x in [1, 9] (<10) and y ≥ 10 (χ): x = 1, y = 10, exactly.
    # A partner must absorb a full move of the small count: ≥ 2 × 9 = 18. The only one is
    # 500 (the total 511 as well, but 500 is cheaper): x + y = 501, x in [1, 9], y in [492, 500].
    x = np.array([1.0, 10.0, 500.0, 511.0])
    hidden, primary, result = suppress(x, [_sums([0, 1, 2], 3)], threshold=10)
    assert hidden.tolist() == [True, False, True, False]
    assert count_labels(x, hidden, primary, 10).tolist() == ["<10", "10", "χ", "511"]
    assert (result.lower[0], result.upper[0]) == (1, 9)
    every = audit(x, hidden, primary, Relations.build(4, [_sums([0, 1, 2], 3)]), 10, every_hidden=True)
    assert (every.lower[2], every.upper[2]) == (492, 500)


def test_a_two_way_table_gets_its_rectangle() -> None:
    #            c1   c2 | total
    #   r1        3   40 |    43
    #   r2       50   60 |   110
    #   total    53  100 |   153
    # 3 is primary. Every line through it must be opened, and the lines through its partners
    # too: the classic rectangle 3, 40, 50, 60 (each ≥ 18). Then x = 3 + d, 40 − d, 50 − d,
    # 60 + d keeps every total: x can be 1 … 9.
    x = np.array([3.0, 40.0, 43.0, 50.0, 60.0, 110.0, 53.0, 100.0, 153.0])
    eqs = [_sums([0, 1], 2), _sums([3, 4], 5), _sums([0, 3], 6), _sums([1, 4], 7), _sums([6, 7], 8), _sums([2, 5], 8)]
    hidden, _, result = suppress(x, eqs, threshold=10)
    assert np.flatnonzero(hidden).tolist() == [0, 1, 3, 4]
    assert (result.lower[0], result.upper[0]) == (1, 9)
    assert len(result.unprotected) == 0


def _random_linked(rng: np.random.Generator) -> tuple[np.ndarray, list[Equation]]:
    """A random body of 1–3 dimensions with every margin, plus random overlapping subtotals and
    balance-like relations with a known right-hand side. Counts are mostly 0, small or large."""
    shape = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 4))))
    kind = rng.choice(3, size=shape, p=[0.35, 0.35, 0.3])
    small, large = rng.integers(1, 10, size=shape), rng.integers(10, 400, size=shape)
    body = np.where(kind == 0, 0, np.where(kind == 1, small, large))
    values: list[float] = []

    def add(arr) -> np.ndarray:
        arr = np.asarray(arr, dtype=float)
        idx = np.arange(len(values), len(values) + arr.size).reshape(arr.shape)
        values.extend(arr.ravel())
        return idx

    tables = {(): (body, add(body))}
    eqs: list[Equation] = []
    for k in range(1, body.ndim + 1):
        for summed in itertools.combinations(range(body.ndim), k):
            parent_vals, parent_idx = tables[summed[1:]]
            pos = summed[0] - sum(a < summed[0] for a in summed[1:])
            vals = np.asarray(parent_vals.sum(axis=pos))
            idx = add(vals)
            tables[summed] = (vals, idx)
            moved = np.moveaxis(parent_idx, pos, -1)
            for cell in np.ndindex(moved.shape[:-1]):
                eqs.append(_sums(moved[cell], int(np.asarray(idx)[cell])))
    flat = tables[()][1].ravel()
    for _ in range(int(rng.integers(0, 3))):
        members = rng.choice(flat, size=int(rng.integers(1, min(5, flat.size) + 1)), replace=False)
        eqs.append(_sums(members, int(add([sum(values[i] for i in members)])[0])))
    x = np.array(values)
    for _ in range(int(rng.integers(0, 3))):
        cells = rng.choice(flat, size=min(3, flat.size), replace=False)
        coefs = rng.choice([-1.0, 1.0], size=len(cells))
        eqs.append(Equation(cells, coefs, float(coefs @ x[cells]), True))
    return x, eqs


def test_random_linked_structures_are_protected_whatever_the_primary_values() -> None:
    n_primary = n_hidden = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        x, eqs = _random_linked(rng)
        threshold = int(rng.choice([3, 5, 10]))
        hidden, primary, result = suppress(x, eqs, threshold=threshold)
        # primary = exactly the counts 0 < x < threshold; all hidden; zeros shown
        assert np.array_equal(primary, (x > 0) & (x < threshold)), seed
        assert not (primary & ~hidden).any() and not (hidden & (x == 0)).any(), seed
        # an independent audit of the final pattern: every primary count keeps its range
        again = audit(x, hidden, primary, Relations.build(len(x), eqs), threshold)
        assert len(again.unprotected) == 0, (seed, again.unprotected)
        # the pattern never depends on the primary values themselves
        for fill in (1.0, threshold - 1.0):
            other = np.where(primary, fill, x)
            assert np.array_equal(suppress(other, eqs, threshold=threshold)[0], hidden), (seed, fill)
        n_primary += int(primary.sum())
        n_hidden += int((hidden & ~primary).sum())
    assert n_primary > 100 and n_hidden > 50, (n_primary, n_hidden)  # not vacuous


def test_estimate_labels_never_show_a_small_count() -> None:
    from analytics.core.privacy import estimate_labels

    assert estimate_labels([0.0, 0.4, 4.5, 9.4, 9.6, 10.0, 1234.5, float("nan")], 10) == [
        "0", "<10", "<10", "<10", "10", "10", "1,234", "—"]
    assert estimate_labels([99.0, 150.2], 100) == ["<100", "150"]


def test_a_part_of_a_small_whole_is_judged_by_what_its_labels_allow() -> None:
    """a = 3 and b = 4 are parts of w = 8 (a + b ≤ w), w and 500 make 508. All three small counts
    read <10: by their labels alone a + b ≤ w ≤ 9 with b ≥ 1, so a can reach 8, not 9. The audit
    asks for 1–8 (the inequality counts in what the labels allow) and finds it: protected."""
    from analytics.core.publication import Inequality

    x = np.array([3.0, 4.0, 8.0, 500.0, 508.0])
    hidden, primary, result = suppress(x, [_sums([2, 3], 4)], [Inequality(np.array([0, 1]), np.array([2]))], 10)
    assert primary.tolist() == [True, True, True, False, False]
    assert len(result.unprotected) == 0
    assert (result.target_lower[0], result.target_upper[0]) == (1.0, 8.0)
    assert result.upper[0] == 8.0


def test_a_range_the_solver_could_not_find_counts_as_unprotected() -> None:
    """The audit fails closed: a primary count whose programme HiGHS could not solve (NaN) is
    unprotected, as is one whose range is short; one that spans its target is not."""
    from analytics.core.audit import AuditResult

    primary = np.array([True, True, True, False])
    nan = float("nan")
    result = AuditResult(10, hidden=primary.copy(), primary=primary, lower=np.array([1.0, nan, 2.0, 50.0]),
                         upper=np.array([9.0, 9.0, 9.0, 50.0]), target_lower=np.array([1.0, 1.0, 1.0, 50.0]),
                         target_upper=np.array([9.0, 9.0, 9.0, 50.0]), checked=primary.copy(), solves=6)
    assert result.unprotected.tolist() == [1, 2]

