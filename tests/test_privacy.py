"""Tests for analytics.privacy: small-cell suppression (秘匿処理) of counts of persons.

Known answers are worked out by hand in the comments; the non-derivability checker is
written independently of the module (it only looks at the published numbers).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from analytics.privacy import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    SECONDARY_LABEL,
    SUPPRESSED_LABEL,
    check_threshold,
    count_labels,
    suppress_linked,
)

T = "合計"


# --- constants and threshold -------------------------------------------------------


def test_constants() -> None:
    assert DEFAULT_THRESHOLD == 10
    assert MIN_THRESHOLD == 3
    assert SUPPRESSED_LABEL.format(threshold=10) == "<10"
    assert SECONDARY_LABEL == "χ"


@pytest.mark.parametrize("bad", [2, 0, -5, 2.5, 10.0, "10", True, None])
def test_check_threshold_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        check_threshold(bad)  # type: ignore[arg-type]


def test_check_threshold_accepts() -> None:
    assert check_threshold(3) == 3
    assert check_threshold(np.int64(10)) == 10
    assert type(check_threshold(np.int64(10))) is int


# --- linked tables (suppress_linked) -------------------------------------------------


def _hidden_set(hidden: np.ndarray) -> set[int]:
    return {int(i) for i in np.flatnonzero(hidden)}


def test_linked_overlapping_line_forces_more_suppression() -> None:
    # Counts (index: value):  0:a=4  1:b=30  2:c=20  3:d=50  4:r1=34  5:r2=70  6:c1=24
    # Table 1 (2×2 with row totals):   a + b = r1,  c + d = r2.
    # Table 2 shares a and c:          a + c = c1 (a subtotal line published elsewhere).
    # Primary: a = 4 (< 10). Lines in order:
    #   a+b=r1: one hidden (a) → partner = smallest non-zero shown member = b (30).
    #   c+d=r2: nothing hidden yet.
    #   a+c=c1: one hidden (a) → partner c (20), the only shown member.
    # Next pass: c+d=r2 has one hidden (c) → partner d (50). Then every line has 2 hidden.
    # Table 1 alone would hide only {a, b}; the shared cell makes c and d hidden too.
    x = np.array([4, 30, 20, 50, 34, 70, 24])
    lines = [([0, 1], 4), ([2, 3], 5), ([0, 2], 6)]
    hidden, primary = suppress_linked(x, lines)
    assert _hidden_set(primary) == {0}
    assert _hidden_set(hidden) == {0, 1, 2, 3}
    # The same first table without the shared line: only a and its partner b.
    hidden_alone, _ = suppress_linked(x, lines[:2])
    assert _hidden_set(hidden_alone) == {0, 1}


def test_linked_2x2_with_totals_and_an_overlapping_subtotal() -> None:
    # 2×2 table [[a, b], [c, d]] with all margins and a grand total, plus a subtotal
    # s = b + d + e that also contains a cell e of another table:
    #   0:a=3  1:b=40  2:c=50  3:d=60  4:r1=43  5:r2=110  6:k1=53  7:k2=100  8:g=153
    #   9:e=200  10:s=300
    # Lines: a+b=r1, c+d=r2, a+c=k1, b+d=k2, r1+r2=g, k1+k2=g, b+d+e=s.
    # Primary: a=3. Lines are taken in the order given, repeatedly until nothing changes:
    #   a+b=r1: a alone → partner b (40, smallest non-zero shown member; a total is never
    #           chosen while a member can be).
    #   c+d=r2: nothing hidden yet.   a+c=k1: a alone → partner c (50).
    #   b+d=k2: b alone → partner d (60).   r1+r2=g, k1+k2=g: nothing hidden.
    #   b+d+e=s: b and d hidden → 2, fine (e is not needed).
    # Second pass: r2 has c and d hidden → fine. Nothing changes: done.
    # Result: a "<10"; b, c, d "χ"; every total and e shown.
    x = np.array([3, 40, 50, 60, 43, 110, 53, 100, 153, 200, 300])
    lines = [([0, 1], 4), ([2, 3], 5), ([0, 2], 6), ([1, 3], 7), ([4, 5], 8), ([6, 7], 8), ([1, 3, 9], 10)]
    hidden, primary = suppress_linked(x, lines, 10)
    assert _hidden_set(hidden) == {0, 1, 2, 3}
    labels = count_labels(x, hidden, primary, 10)
    assert labels.tolist() == ["<10", "χ", "χ", "χ", "43", "110", "53", "100", "153", "200", "300"]


def test_linked_partner_is_smallest_nonzero_shown_member() -> None:
    # Line: members [3, 0, 50, 20, 20] add up to the total 93 (index 5).
    # 3 is primary; zeros are never partners; the smallest non-zero shown member is 20,
    # the first of the two 20s (index 3) on the tie. The total stays shown.
    x = np.array([3, 0, 50, 20, 20, 93])
    hidden, primary = suppress_linked(x, [([0, 1, 2, 3, 4], 5)])
    assert _hidden_set(primary) == {0}
    assert _hidden_set(hidden) == {0, 3}


def test_linked_external_total() -> None:
    # A line whose total is published elsewhere (total=None), e.g. a balance
    # births − deaths + moved_in − moved_out = Δ: members [5, 100, 30, 12].
    # 5 is primary and alone → partner = smallest non-zero shown member = 12 (index 3).
    x = np.array([5, 100, 30, 12])
    hidden, primary = suppress_linked(x, [([0, 1, 2, 3], None)])
    assert _hidden_set(hidden) == {0, 3}
    assert count_labels(x, hidden, primary, 10).tolist() == ["<10", "100", "30", "χ"]
    # Two small members already hide each other: nothing more is added.
    x2 = np.array([5, 100, 7, 12])
    hidden2, _ = suppress_linked(x2, [([0, 1, 2, 3], None)])
    assert _hidden_set(hidden2) == {0, 2}
    # Documented limit: with every other member zero and no total to hide, the lone
    # hidden member stays alone (the rule cannot protect it).
    x3 = np.array([5, 0, 0])
    hidden3, _ = suppress_linked(x3, [([0, 1, 2], None)])
    assert _hidden_set(hidden3) == {0}


def test_linked_lone_hidden_total_gets_a_member_partner() -> None:
    #   0:p=4  1:t=50  2:m1=20  3:m2=30  4:u=54
    # Line L1: p + t = u;  line L2: m1 + m2 = t (t is a cell of one table, the total of another).
    # p=4 is primary. L1: p alone → partner t (50, the only shown non-zero member).
    # L2: now its total t is its only hidden count → partner = smallest non-zero shown
    # member m1 (20), not the total of anything else. u and m2 stay shown.
    x = np.array([4, 50, 20, 30, 54])
    hidden, primary = suppress_linked(x, [([0, 1], 4), ([2, 3], 1)])
    assert _hidden_set(primary) == {0}
    assert _hidden_set(hidden) == {0, 1, 2}
    assert count_labels(x, hidden, primary, 10).tolist() == ["<10", "χ", "χ", "30", "54"]


def test_linked_total_is_partner_only_when_no_member_can_be() -> None:
    # Two small linked counts hide each other, the next line gets a member partner:
    #   0:a=6  1:z=0  2:big=60  3:tot=66  4:sub=6;  lines a+z=sub, sub+big=tot.
    # a and sub are primary (6 < 10). a+z=sub: 2 hidden. sub+big=tot: sub alone →
    # partner big (60); tot stays shown.
    x = np.array([6, 0, 60, 66, 6])
    hidden, primary = suppress_linked(x, [([0, 1], 4), ([4, 2], 3)])
    assert _hidden_set(primary) == {0, 4}
    assert _hidden_set(hidden) == {0, 2, 4}
    # When the only other member is 0, the line's own total is the partner:
    #   0:c=60  1:z=0  2:r=60  3:q=5  4:k=65;  lines c+z=r, q+c=k.
    # q primary. c+z=r: nothing hidden yet. q+c=k: q alone → partner c (60).
    # Next pass: c+z=r: c alone, z is 0 (never a partner) → the total r.
    x2 = np.array([60, 0, 60, 5, 65])
    hidden2, _ = suppress_linked(x2, [([0, 1], 2), ([3, 0], 4)])
    assert _hidden_set(hidden2) == {0, 2, 3}


def test_count_labels() -> None:
    x = np.array([5, 40, 0, 1234])
    hidden = np.array([True, True, False, False])
    primary = np.array([True, False, False, False])
    assert count_labels(x, hidden, primary, 10).tolist() == ["<10", "χ", "0", "1,234"]
    assert count_labels(x, hidden, primary, 50).tolist() == ["<50", "χ", "0", "1,234"]


def test_suppress_linked_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        suppress_linked(np.array([1, 2]), [], threshold=2)
    with pytest.raises(ValueError):
        suppress_linked(np.array([1.0, np.nan]), [])
    with pytest.raises(ValueError):
        suppress_linked(np.array([1, -1]), [])


def _random_linked(rng: np.random.Generator) -> tuple[np.ndarray, list[tuple[list[int], int | None]]]:
    """A random body of 1–3 dimensions with every margin (each margin is the total of lines
    of its parent table), plus random overlapping subtotals and external-total lines.

    Counts are mostly 0, small (1–9) or larger; totals are the true sums, so the lines hold.
    """
    shape = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 4))))
    kind = rng.choice(3, size=shape, p=[0.35, 0.4, 0.25])
    body = np.where(kind == 0, 0,
                    np.where(kind == 1, rng.integers(1, 10, size=shape), rng.integers(10, 400, size=shape)))
    values: list[float] = []

    def add(arr: np.ndarray) -> np.ndarray:
        idx = np.arange(len(values), len(values) + arr.size).reshape(arr.shape)
        values.extend(np.asarray(arr, dtype=float).ravel())
        return idx

    tables = {(): (body, add(body))}  # summed axes → (values, positions)
    lines: list[tuple[list[int], int | None]] = []
    axes = range(body.ndim)
    # Margins in order of how many axes are summed: parent = one axis fewer.
    for k in range(1, body.ndim + 1):
        for summed in itertools.combinations(axes, k):
            # Sum the first summed axis of the parent without it (by original axis numbers).
            parent_summed = summed[1:]
            parent_vals, parent_idx = tables[parent_summed]
            # position of axis summed[0] inside the parent array
            pos = summed[0] - sum(a < summed[0] for a in parent_summed)
            vals = parent_vals.sum(axis=pos)
            idx = add(np.asarray(vals))
            tables[summed] = (np.asarray(vals), idx)
            moved = np.moveaxis(parent_idx, pos, -1)
            for cell in np.ndindex(moved.shape[:-1]):
                lines.append((moved[cell].tolist(), int(np.asarray(idx)[cell])))
    flat_body = tables[()][1].ravel()
    # Overlapping subtotals: random sets of body cells whose sum is published too.
    for _ in range(int(rng.integers(0, 4))):
        members = rng.choice(flat_body, size=int(rng.integers(1, min(5, flat_body.size) + 1)), replace=False)
        total = add(np.array([sum(values[i] for i in members)]))[0]
        lines.append((members.tolist(), int(total)))
    # Lines whose total is known from elsewhere (None), e.g. a balance: two or more
    # non-zero members (the documented limit — one non-zero member — is tested by hand).
    nonzero = flat_body[body.ravel() > 0]
    for _ in range(int(rng.integers(0, 4)) if nonzero.size >= 2 else 0):
        members = rng.choice(nonzero, size=int(rng.integers(2, min(4, nonzero.size) + 1)), replace=False)
        zeros = flat_body[body.ravel() == 0][: int(rng.integers(0, 2))]
        lines.append((members.tolist() + zeros.tolist(), None))
    return np.array(values), lines


def _single_unknown(published: np.ndarray,
                    lines: list[tuple[list[int], int | None]]) -> list[tuple[list[int], int | None]]:
    """Independent checker: the lines where exactly one count is unknown (NaN) to a reader,
    counting the total too when it is published in this vector."""
    out = []
    for members, total in lines:
        n = int(np.isnan(published[members]).sum()) + (0 if total is None else int(np.isnan(published[total])))
        if n == 1:
            out.append((members, total))
    return out


def test_random_linked_structures() -> None:
    n_hidden = n_external = 0
    for seed in range(200):
        rng = np.random.default_rng(seed)
        x, lines = _random_linked(rng)
        threshold = int(rng.choice([3, 5, 10]))
        hidden, primary = suppress_linked(x, lines, threshold)
        published = np.where(hidden, np.nan, x)
        # the lines really add up (the generator is right), so the check is meaningful
        for members, total in lines:
            if total is not None:
                assert x[members].sum() == x[total], seed
        # primary = exactly the counts 0 < x < threshold; all of them hidden; zeros shown
        assert np.array_equal(primary, (x > 0) & (x < threshold)), seed
        assert not (primary & ~hidden).any(), seed
        assert not (hidden & (x == 0)).any(), seed
        shown = published[~np.isnan(published)]
        assert not ((shown > 0) & (shown < threshold)).any(), seed
        # no line ends with exactly one hidden count (members + total, if published)
        assert _single_unknown(published, lines) == [], seed
        n_hidden += int(hidden.sum())
        n_external += sum(total is None and bool(hidden[members].any()) for members, total in lines)
        labels = count_labels(x, hidden, primary, threshold)
        assert (labels[primary] == f"<{threshold}").all(), seed
        assert (labels[hidden & ~primary] == "χ").all(), seed
        assert [float(s.replace(",", "")) for s in labels[~hidden]] == x[~hidden].tolist(), seed
    # not vacuous: many hidden counts, and external-total lines that had to be protected
    assert n_hidden > 500 and n_external > 20, (n_hidden, n_external)


def test_single_unknown_checker_catches_a_leak() -> None:
    published = np.array([np.nan, 20.0, 23.0])
    assert _single_unknown(published, [([0, 1], 2)]) == [([0, 1], 2)]
    assert _single_unknown(published, [([0, 1], None)]) == [([0, 1], None)]
    assert _single_unknown(np.array([np.nan, np.nan, 23.0]), [([0, 1], 2)]) == []
