"""The generic publication builder: blocks of several domains suppressed as one linked system,
explicit relations for an audit, the threshold checked once, the on-disk cache, the marks."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.core import privacy
from analytics.core.audit import Relations, audit
from analytics.core.publication import (
    PERSON_COUNTS,
    PublicationBuilder,
    build_publication,
    counted_columns,
)
from analytics.core.testing import assert_no_disclosure, intruder_audit

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

DISTRICTS = ("D1", "D2")


def _children(b: PublicationBuilder, data) -> None:
    """Domain A: children by district and their total (none is small)."""
    cells = b.table("children/district", data["children"], [("district_id", DISTRICTS)])
    total = b.table("children/city", [data["children"].sum()], [("city", ("all",))])
    b.sums(cells, total[0])
    b.body("children", "children/district", "children/city")


def _applicants(b: PublicationBuilder, data) -> None:
    """Domain B: applicants by district, and children not applying, tied to domain A's children."""
    children = b.index("children/district")
    applicants = b.table("applicants/district", data["applicants"], [("district_id", DISTRICTS)])
    others = b.table("applicants/not_applying", data["children"] - data["applicants"], [("district_id", DISTRICTS)])
    for d in range(len(DISTRICTS)):
        b.equation([children[d], applicants[d], others[d]], [1, -1, -1])  # children = applicants + others
        b.part_of([applicants[d]], children[d])


DATA = {"children": np.array([50.0, 60.0]), "applicants": np.array([3.0, 40.0])}


def test_a_later_domain_cannot_difference_out_a_hidden_count() -> None:
    # D1: applicants 3 (primary). Domain B's tie children 50 = 3 + 47 would give it away, so
    # one more count of that tie is hidden: of 50 and 47 (both can absorb a move of 8, to 42
    # or 58), the cheaper, 47. Domain A has no small count, yet its children are a term of
    # the tie: the audit covers both domains together.
    pub = build_publication(DATA, 10, [_children, _applicants])
    assert pub.get("applicants/district").label.tolist() == ["<10", "40"]
    assert pub.get("applicants/not_applying").label.tolist() == ["χ", "20"]
    assert pub.get("children/district").label.tolist() == ["50", "60"]
    assert_no_disclosure(pub)
    result = intruder_audit(pub, every_hidden=True)
    i = pub.tables["applicants/district"].index[0]
    assert (result.lower[i], result.upper[i]) == (1, 9)
    # the intruder reads χ as "at least the threshold", so the label allows all of 1–9 here
    assert (result.target_lower[i], result.target_upper[i]) == (1, 9)


def _primary_only(x, equations, inequalities, t):
    small = (x > 0) & (x < t)
    return small, small, audit(x, small, small, Relations.build(len(x), equations, inequalities), t)


def test_the_checker_sees_a_count_left_to_arithmetic(monkeypatch) -> None:
    # Suppress with the primary rule only: the tie children 50 = 3 + 47 then gives 3 away.
    monkeypatch.setattr(privacy, "suppress", _primary_only)
    pub = build_publication(DATA, 10, [_children, _applicants])
    with pytest.raises(AssertionError, match="narrowed beyond their label"):
        assert_no_disclosure(pub)


def test_relations_are_explicit_equations_and_inequalities() -> None:
    pub = build_publication(DATA, 10, [_children, _applicants])
    for eq in pub.equations:
        assert set(np.unique(eq.coefs)) <= {-1.0, 1.0}
        assert eq.rhs == 0 and not eq.rhs_known
    assert len(pub.equations) == 3  # children total, and one tie per district
    assert [(int(i.part[0]), *map(int, i.whole)) for i in pub.inequalities] == [
        (int(pub.tables["applicants/district"].index[d]), int(pub.tables["children/district"].index[d]))
        for d in range(2)
    ]


def test_known_sum_stores_the_value_the_reader_is_assumed_to_know() -> None:
    b = PublicationBuilder()
    flows = b.table("flows", [5.0, 30.0, 12.0], [("kind", ("in", "out", "births"))])
    b.known_sum(flows, [1, -1, 1])  # in − out + births = −13, taken as known from elsewhere
    eq = b.equations[0]
    assert eq.rhs_known and eq.rhs == -13.0
    with pytest.raises(ValueError):
        b.equation(flows, [1, 2, 1])  # coefficients are ±1


def test_the_threshold_is_checked_once_at_the_entry_point() -> None:
    ran = []

    def block(b, data):
        ran.append(True)

    with pytest.raises(ValueError):
        build_publication({}, 2, [block])
    assert ran == []  # rejected before any block ran


def test_tables_must_hold_whole_non_negative_counts_matching_their_axes() -> None:
    b = PublicationBuilder()
    with pytest.raises(ValueError):
        b.table("t", [1.0, -1.0], [("x", ("a", "b"))])
    with pytest.raises(ValueError):
        b.table("t", [1.5, 1.0], [("x", ("a", "b"))])
    with pytest.raises(ValueError):
        b.table("t", [1.0, 2.0], [("x", ("a",))])
    b.table("t", [1.0, 2.0], [("x", ("a", "b"))])
    with pytest.raises(ValueError):
        b.table("t", [1.0], [("x", ("a",))])  # one name, one table


def test_frames_are_marked_and_arrays_read_only() -> None:
    pub = build_publication(DATA, 10, [_children, _applicants])
    frame = pub.frame("applicants/district", "applicants")
    assert frame.columns.tolist() == ["district_id", "applicants", "applicants_label"]
    assert counted_columns(frame) == ["applicants", "applicants_label"]
    assert frame.attrs[PERSON_COUNTS] == ["applicants", "applicants_label"]
    assert np.isnan(frame["applicants"].iloc[0])
    with pytest.raises(ValueError):
        pub.shown[0] = 1.0


def test_the_suppression_pattern_is_cached_on_disk_by_content_and_threshold(tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache" / "pub.npz"
    first = build_publication(DATA, 10, [_children, _applicants], cache)
    assert cache.is_file()

    def boom(*args):
        raise AssertionError("the cached pattern should have been used")

    monkeypatch.setattr(privacy, "suppress", boom)
    again = build_publication(DATA, 10, [_children, _applicants], cache)
    np.testing.assert_array_equal(again.hidden, first.hidden)
    np.testing.assert_array_equal(again.labels, first.labels)
    # other counts or another threshold do not match the stored key: the rule runs again
    with pytest.raises(AssertionError, match="cached pattern"):
        build_publication(DATA, 11, [_children, _applicants], cache)
    other = {"children": np.array([50.0, 61.0]), "applicants": np.array([3.0, 40.0])}
    with pytest.raises(AssertionError, match="cached pattern"):
        build_publication(other, 10, [_children, _applicants], cache)


def test_an_unwritable_cache_only_costs_time(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    pub = build_publication(DATA, 10, [_children, _applicants], blocker / "sub" / "pub.npz")
    assert pub.hidden.sum() == 2


def test_information_loss_is_reported_from_shown_counts() -> None:
    # children 50 + 60 = 110: nothing hidden.
    pub = build_publication(DATA, 10, [_children, _applicants])
    loss = pub.information_loss("children").iloc[0]
    assert (loss["cells"], loss["hidden_cells"], loss["hidden_share"], loss["hidden_persons_share"]) == (2, 0, 0.0, 0.0)
    # 3 + 8 = 11 children: both small, and for the 3 to read as anything from 1 to 9 the total
    # must go too (3 → 9 makes it 17). With the total hidden the lost persons cannot be
    # computed from shown counts: NaN, not a number that would narrow them down.
    small = build_publication({"children": np.array([3.0, 8.0]), "applicants": np.array([1.0, 2.0])}, 10, [_children])
    assert small.get("children/city").label.tolist() == ["χ"]
    loss = small.information_loss().iloc[0]
    assert (loss["hidden_cells"], loss["hidden_share"]) == (2, 1.0) and np.isnan(loss["hidden_persons_share"])


# ----------------------------------------------------------------------------- estimates of hidden cells


def test_fill_hidden_takes_a_lone_hidden_cell_from_its_total():
    """[[5, ·], [·, 7]] with rows 8 and 11, columns 9 and 10: each hidden cell is alone in its
    row, so it is the row total less the shown cell (3 and 4), whatever the prior."""
    from analytics.core.publication import fill_hidden

    table = np.array([[5.0, np.nan], [np.nan, 7.0]])
    out = fill_hidden(table, [((0,), np.array([8.0, 11.0])), ((1,), np.array([9.0, 10.0]))], np.full((2, 2), 100.0))
    assert out.tolist() == [[5.0, 3.0], [4.0, 7.0]]


def test_fill_hidden_shares_a_remainder_by_the_prior():
    """A row of 16 with one shown 10: the 6 left go to the hidden cells as 1 : 3."""
    from analytics.core.publication import fill_hidden

    out = fill_hidden(np.array([[10.0, np.nan, np.nan]]), [((0,), np.array([16.0]))], np.array([[0.0, 1.0, 3.0]]))
    assert out.tolist() == [[10.0, 1.5, 4.5]]
    # two margins at once: iterative proportional fitting meets both
    table = np.array([[np.nan, np.nan], [np.nan, np.nan]])
    out = fill_hidden(table, [((0,), np.array([4.0, 6.0])), ((1,), np.array([5.0, 5.0]))], np.ones((2, 2)))
    assert np.allclose(out.sum(1), [4, 6]) and np.allclose(out.sum(0), [5, 5])
    # a scalar total (every axis summed)
    out = fill_hidden(np.array([2.0, np.nan, np.nan]), [((), np.array(8.0))], np.array([0.0, 1.0, 1.0]))
    assert out.tolist() == [2.0, 3.0, 3.0]


@pytest.mark.fast
def test_share_remainder_gives_hidden_entries_what_the_total_leaves():
    """Districts 26,500, 15,779, ·, · of a city of 52,614: the two hidden ones share the 10,335
    left, 5,167.5 each; a total below the shown ones leaves 0; a hidden total leaves 0."""
    from analytics.core.publication import share_remainder

    out = share_remainder(np.array([26500.0, 15779.0, np.nan, np.nan]), 52614.0)
    assert out.tolist() == [26500.0, 15779.0, 5167.5, 5167.5]
    assert share_remainder(np.array([5.0, np.nan]), 3.0).tolist() == [5.0, 0.0]
    assert share_remainder(np.array([5.0, np.nan]), float("nan")).tolist() == [5.0, 0.0]
    assert share_remainder(np.array([5.0, 6.0]), 99.0).tolist() == [5.0, 6.0]


def test_fill_hidden_without_a_shown_total_keeps_the_prior():
    from analytics.core.publication import fill_hidden

    out = fill_hidden(np.array([[3.0, np.nan]]), [((0,), np.array([np.nan]))], np.array([[0.0, 4.5]]))
    assert out.tolist() == [[3.0, 4.5]]
    # a total below its shown cells leaves nothing (never a negative estimate)
    out = fill_hidden(np.array([[30.0, np.nan]]), [((0,), np.array([20.0]))], np.array([[0.0, 4.5]]))
    assert out.tolist() == [[30.0, 0.0]]
    # a remainder whose hidden cells all have a prior of 0 is shared evenly
    out = fill_hidden(np.array([[1.0, np.nan, np.nan]]), [((0,), np.array([5.0]))], np.zeros((1, 3)))
    assert out.tolist() == [[1.0, 2.0, 2.0]]
