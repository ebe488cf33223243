"""Tests for analytics.privacy: small-cell suppression (秘匿処理) of counts of persons.

Known answers are worked out by hand in the comments; the non-derivability checker is
written independently of the module (it only looks at the published numbers).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from analytics.privacy import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    SECONDARY_LABEL,
    SUPPRESSED_LABEL,
    SuppressedTable,
    check_threshold,
    count_labels,
    rate_with_suppression,
    suppress_long,
    suppress_linked,
    suppress_series,
    suppress_table,
)

T = "合計"


def _table() -> pd.DataFrame:
    #        a     b    c
    # x     12     3    0
    # y      5    20 1234
    # z      0    15    9
    return pd.DataFrame(
        {"a": [12, 5, 0], "b": [3, 20, 15], "c": [0, 1234, 9]}, index=["x", "y", "z"]
    )


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


# --- primary suppression -----------------------------------------------------------


def test_primary_suppression_no_totals() -> None:
    res = suppress_table(_table())
    expected = pd.DataFrame(
        {"a": [False, True, False], "b": [True, False, False], "c": [False, False, True]},
        index=["x", "y", "z"],
    )
    # Without totals no line can be subtracted, so only 3, 5 and 9 are hidden; zeros shown.
    pd.testing.assert_frame_equal(res.suppressed, expected)
    pd.testing.assert_frame_equal(res.primary, expected)
    assert res.n_suppressed == 3
    assert res.threshold == 10
    shown = res.display()
    assert shown.loc["x"].tolist() == ["12", "<10", "0"]
    assert shown.loc["y"].tolist() == ["<10", "20", "1,234"]
    assert shown.loc["z"].tolist() == ["0", "15", "<10"]
    assert math.isnan(res.values.loc["x", "b"])
    assert res.values.loc["y", "c"] == 1234.0
    assert res.values.dtypes.eq(float).all()


def test_threshold_5_changes_result() -> None:
    res = suppress_table(_table(), threshold=5)
    # Only 3 is < 5; 5 and 9 are now shown.
    assert res.suppressed.to_numpy().sum() == 1
    assert bool(res.suppressed.loc["x", "b"])
    shown = res.display()
    assert shown.loc["x", "b"] == "<5"
    assert shown.loc["y", "a"] == "5"
    assert shown.loc["z", "c"] == "9"


def test_threshold_2_raises() -> None:
    with pytest.raises(ValueError):
        suppress_table(_table(), threshold=2)
    with pytest.raises(ValueError):
        suppress_series(pd.Series([1, 2]), threshold=2)


def test_invalid_tables_raise() -> None:
    with pytest.raises(ValueError):
        suppress_table(pd.DataFrame({"a": [1, -1]}))
    with pytest.raises(ValueError):
        suppress_table(pd.DataFrame({"a": [1.5, 2]}))
    with pytest.raises(ValueError):
        suppress_table(pd.DataFrame({"a": [1, np.nan]}))
    with pytest.raises(ValueError):
        suppress_table(pd.DataFrame({"a": ["x", "y"]}))
    with pytest.raises(ValueError):  # total label collides with a category
        suppress_table(pd.DataFrame({T: [1, 2]}), row_totals=True)


def test_display_custom_format() -> None:
    res = suppress_table(pd.DataFrame({"a": [12345, 4]}))
    assert res.display("{:.0f}")["a"].tolist() == ["12345", "<10"]


# --- secondary suppression, hand cases ---------------------------------------------


def test_secondary_rectangle_with_totals() -> None:
    #        a    b    c | 合計
    # x      3   20   30 |  53     3 primary; row x partner: smallest other = 20 (b)
    # y     40   50   60 | 150     col a partner: min(40, 25) = 25 (z,a)
    # z     25   35   45 | 105     col b partner: min(50, 35) = 35 (z,b)
    # 合計   68  105  135 | 308     -> rows x, z and cols a, b each have 2 hidden.
    t = pd.DataFrame(
        {"a": [3, 40, 25], "b": [20, 50, 35], "c": [30, 60, 45]}, index=["x", "y", "z"]
    )
    res = suppress_table(t, row_totals=True, column_totals=True)
    hidden = {(r, c) for r in res.suppressed.index for c in res.suppressed.columns
              if res.suppressed.loc[r, c]}
    assert hidden == {("x", "a"), ("x", "b"), ("z", "a"), ("z", "b")}
    assert res.primary.to_numpy().sum() == 1
    # Only 3 is primary ("<10"); the partners 20, 25, 35 are secondary ("χ").
    shown = res.display()
    assert shown.loc["x"].tolist() == ["<10", "χ", "30", "53"]
    assert shown.loc["y"].tolist() == ["40", "50", "60", "150"]
    assert shown.loc["z"].tolist() == ["χ", "χ", "45", "105"]
    assert shown.loc[T].tolist() == ["68", "105", "135", "308"]
    assert res.values.loc[T, T] == 308
    assert res.values.loc["x", T] == 53
    assert res.values.loc[T, "a"] == 68
    assert list(res.values.index) == ["x", "y", "z", T]
    assert list(res.values.columns) == ["a", "b", "c", T]


def test_only_partner_is_total_small_row() -> None:
    # Row x = [4, 0, 0]: the only non-zero cell is small, every other cell is 0, so the
    # total (= 4) would give it away; it must be hidden. Row y has nothing small.
    t = pd.DataFrame({"a": [4, 20], "b": [0, 30], "c": [0, 40]}, index=["x", "y"])
    res = suppress_table(t, row_totals=True)
    assert bool(res.suppressed.loc["x", T])
    assert bool(res.suppressed.loc["x", "a"])
    assert res.n_suppressed == 2
    assert res.display().loc["x"].tolist() == ["<10", "0", "0", "<10"]
    assert res.display().loc["y"].tolist() == ["20", "30", "40", "90"]


def test_partner_is_total_for_large_secondary_cell() -> None:
    # The total branch for a cell that is NOT small (total not primary):
    #        a    b | 合計
    # x      3   50 |  53
    # y     20    0 |  20
    # 合計   23   50 |  73
    # pass 1 rows: x: 3 hidden -> partner 50 (x,b).
    # pass 1 cols: a: partner 20 (y,a); b: (x,b) hidden, other cell is 0 -> hide total (合計,b).
    # pass 2 rows: y: (y,a) hidden, (y,b)=0 -> hide total (y,合計);
    #              totals row: (合計,b) hidden -> partner 23 (合計,a).
    # pass 2 cols: totals column: (y,合計) hidden -> partner 53 (x,合計).
    # Everything is hidden except the zero and the grand total.
    t = pd.DataFrame({"a": [3, 20], "b": [50, 0]}, index=["x", "y"])
    res = suppress_table(t, row_totals=True, column_totals=True)
    expected = pd.DataFrame(
        {"a": [True, True, True], "b": [True, False, True], T: [True, True, False]},
        index=["x", "y", T],
    )
    pd.testing.assert_frame_equal(res.suppressed, expected)
    # Only 3 is primary; every other hidden member (20, 50, 23, 50, 20, 53) is secondary.
    shown = res.display()
    assert shown.loc["x"].tolist() == ["<10", "χ", "χ"]
    assert shown.loc["y"].tolist() == ["χ", "0", "χ"]
    assert shown.loc[T].tolist() == ["χ", "χ", "73"]
    assert res.values.loc[T, T] == 73
    assert res.values.loc["y", "b"] == 0


def test_series_with_and_without_total() -> None:
    s = pd.Series([25, 4, 0, 30], index=["0-14", "15-64", "65-74", "75+"], name="persons")
    res = suppress_series(s)
    # 4 is small (primary); the smallest other non-zero cell (25) is hidden too
    # (secondary, shown as χ); total 59 shown.
    assert isinstance(res, SuppressedTable)
    assert res.display()["persons"].tolist() == ["χ", "<10", "0", "30", "59"]
    assert list(res.values.index) == ["0-14", "15-64", "65-74", "75+", T]
    no_total = suppress_series(s, has_total=False)
    assert no_total.display()["persons"].tolist() == ["25", "<10", "0", "30"]


def test_series_unnamed_gets_count_column() -> None:
    res = suppress_series(pd.Series([1, 50, 60]))
    assert list(res.values.columns) == ["count"]
    # 1 hidden, partner 50, total 111 shown
    assert res.suppressed["count"].tolist() == [True, True, False, False]


def test_small_total_is_hidden() -> None:
    # Column of [2, 3]: both small; total 5 is small too -> hidden (primary).
    res = suppress_table(pd.DataFrame({"a": [2, 3]}), column_totals=True)
    assert res.primary["a"].tolist() == [True, True, True]
    assert res.suppressed["a"].tolist() == [True, True, True]
    assert res.display()["a"].tolist() == ["<10", "<10", "<10"]  # all primary, no χ


# --- property tests over random tables ---------------------------------------------


def _published(res: SuppressedTable) -> np.ndarray:
    """What a reader sees, as numbers: parsed from the display strings, NaN if hidden.

    Both hidden markers are unknowns to a reader: "<{threshold}" (primary) and "χ"
    (secondary). Any other string must parse as a number (else this raises).
    """
    unknown = {f"<{res.threshold}", "χ"}
    return np.array(
        [[np.nan if s in unknown else float(s.replace(",", "")) for s in row]
         for row in res.display().to_numpy()]
    )


def _recoverable(pub: np.ndarray, row_totals: bool, column_totals: bool) -> list[str]:
    """Independent attacker: solve each line 'total − Σ shown' for a single unknown.

    ``pub`` includes the total column (last) / total row (last) when present. Returns
    a description of every line where exactly one member is unknown, i.e. recoverable.
    """
    leaks = []
    n_r = pub.shape[0] - int(column_totals)
    n_c = pub.shape[1] - int(row_totals)
    lines = []
    if row_totals:
        lines += [(f"row {i}", pub[i, :n_c], pub[i, n_c]) for i in range(pub.shape[0])]
    if column_totals:
        lines += [(f"col {j}", pub[:n_r, j], pub[n_r, j]) for j in range(pub.shape[1])]
    for name, cells, total in lines:
        unknown_cells = np.isnan(cells)
        n_unknown = int(unknown_cells.sum()) + int(np.isnan(total))
        if n_unknown == 1:
            if np.isnan(total):
                leaks.append(f"{name}: total = {np.nansum(cells)}")
            else:
                leaks.append(f"{name}: cell = {total - np.nansum(cells)}")
    return leaks


def _random_table(rng: np.random.Generator) -> pd.DataFrame:
    n_r, n_c = rng.integers(1, 7, size=2)
    # Mostly zeros and small counts, some large ones.
    kind = rng.choice(3, size=(n_r, n_c), p=[0.3, 0.45, 0.25])
    small = rng.integers(1, 10, size=(n_r, n_c))
    large = rng.integers(10, 300, size=(n_r, n_c))
    counts = np.where(kind == 0, 0, np.where(kind == 1, small, large))
    return pd.DataFrame(
        counts, index=[f"r{i}" for i in range(n_r)], columns=[f"c{j}" for j in range(n_c)]
    )


@pytest.mark.parametrize(
    "row_totals, column_totals", [(True, True), (True, False), (False, True)]
)
def test_random_tables_no_small_value_and_no_single_unknown(
    row_totals: bool, column_totals: bool
) -> None:
    for seed in range(200):
        rng = np.random.default_rng(seed)
        table = _random_table(rng)
        threshold = int(rng.choice([3, 5, 10]))
        res = suppress_table(
            table, threshold, row_totals=row_totals, column_totals=column_totals
        )
        pub = _published(res)
        shown = pub[~np.isnan(pub)]
        # 1) nothing with 0 < v < threshold is visible anywhere, totals included.
        assert not ((shown > 0) & (shown < threshold)).any(), seed
        # 2) shown numbers are the true ones (totals from raw counts).
        raw = table.to_numpy(dtype=float)
        if row_totals:
            raw = np.hstack([raw, raw.sum(axis=1, keepdims=True)])
        if column_totals:
            raw = np.vstack([raw, raw.sum(axis=0, keepdims=True)])
        assert np.array_equal(pub[~np.isnan(pub)], raw[~np.isnan(pub)]), seed
        # 3) no line with a total has exactly one unknown.
        assert _recoverable(pub, row_totals, column_totals) == [], seed
        # 4) the masks agree with what is published; primary ⊆ suppressed.
        assert np.array_equal(res.suppressed.to_numpy(), np.isnan(pub)), seed
        assert not (res.primary.to_numpy() & ~res.suppressed.to_numpy()).any(), seed
        # 5) the marker tells primary ("<t") from secondary ("χ") suppressions.
        shown_str = res.display().to_numpy()
        primary = res.primary.to_numpy(dtype=bool)
        secondary = res.suppressed.to_numpy(dtype=bool) & ~primary
        assert (shown_str[primary] == f"<{threshold}").all(), seed
        assert (shown_str[secondary] == "χ").all(), seed


def test_secondary_cell_with_large_value_is_chi_never_small_label() -> None:
    # Hand case: row x = [3, 40 | 43]. 3 is primary; its partner is 40, a count far above
    # the threshold, so "<10" would be a false statement about it: it must be "χ".
    t = pd.DataFrame({"a": [3, 50], "b": [40, 60]}, index=["x", "y"])
    res = suppress_table(t, row_totals=True)
    assert bool(res.suppressed.loc["x", "b"]) and not bool(res.primary.loc["x", "b"])
    assert t.loc["x", "b"] >= res.threshold
    shown = res.display()
    assert shown.loc["x", "b"] == "χ"
    assert shown.loc["x", "a"] == "<10"
    assert shown.loc["x"].tolist() == ["<10", "χ", "43"]
    out = suppress_long(
        t.rename_axis("r").reset_index().melt(id_vars="r", var_name="c", value_name="n"),
        "n", row="r", column="c", row_totals=True,
    )
    assert out.loc[(out["r"] == "x") & (out["c"] == "b"), "n_label"].item() == "χ"
    # Over random tables: no hidden cell whose true value is >= threshold says "<t".
    for seed in range(200):
        rng = np.random.default_rng(seed)
        table = _random_table(rng)
        threshold = int(rng.choice([3, 5, 10]))
        res = suppress_table(table, threshold, row_totals=True, column_totals=True)
        raw = table.to_numpy(dtype=float)
        raw = np.hstack([raw, raw.sum(axis=1, keepdims=True)])
        raw = np.vstack([raw, raw.sum(axis=0, keepdims=True)])
        shown_str = res.display().to_numpy()
        big_hidden = res.suppressed.to_numpy(dtype=bool) & (raw >= threshold)
        assert (shown_str[big_hidden] == "χ").all(), seed
        assert not (shown_str[raw >= threshold] == f"<{threshold}").any(), seed


def test_checker_catches_a_leak() -> None:
    # Sanity check of the independent checker itself: a naive primary-only table leaks.
    pub = np.array([[np.nan, 20.0, 23.0], [5.0, 5.0, 10.0]])
    assert _recoverable(pub, row_totals=True, column_totals=False) == ["row 0: cell = 3.0"]


# --- long format ---------------------------------------------------------------------


def _long() -> pd.DataFrame:
    # pref × sex, all combinations present:
    #        m    f
    # A     12    3
    # B     40   55
    return pd.DataFrame(
        {"pref": ["A", "A", "B", "B"], "sex": ["m", "f", "m", "f"], "n": [12, 3, 40, 55]}
    )


def test_suppress_long_round_trip_no_totals() -> None:
    df = _long()
    out = suppress_long(df, "n", row="pref", column="sex")
    assert list(out.columns) == ["pref", "sex", "n", "n_suppressed", "n_label"]
    assert out.shape == (4, 5)
    assert out["pref"].tolist() == ["A", "A", "B", "B"]
    assert out["sex"].tolist() == ["m", "f", "m", "f"]
    assert out["n_suppressed"].tolist() == [False, True, False, False]
    assert out["n_label"].tolist() == ["12", "<10", "40", "55"]
    assert out["n"].dtype == float
    assert out["n_suppressed"].dtype == bool
    assert out["n"].iloc[0] == 12.0 and math.isnan(out["n"].iloc[1])


def test_suppress_long_with_totals() -> None:
    # Row totals: A = 15, B = 95. Row A has 3 hidden -> partner 12 hidden; row total 15 shown.
    out = suppress_long(_long(), "n", row="pref", column="sex", row_totals=True)
    assert out.shape == (6, 5)
    assert out["sex"].tolist() == ["m", "f", T, "m", "f", T]
    # 3 is primary ("<10"); its partner 12 is secondary ("χ").
    assert out["n_label"].tolist() == ["χ", "<10", "15", "40", "55", "95"]


def test_suppress_long_missing_combination_is_zero_and_single_key() -> None:
    df = _long().iloc[[0, 1, 3]]  # (B, m) missing -> 0
    out = suppress_long(df, "n", row="pref", column="sex")
    assert out.shape == (4, 5)
    assert out.loc[(out["pref"] == "B") & (out["sex"] == "m"), "n_label"].item() == "0"

    one = pd.DataFrame({"age": ["0-14", "15-64", "65+"], "n": [7, 100, 30]})
    res = suppress_long(one, "n", row="age", column_totals=True)
    assert list(res.columns) == ["age", "n", "n_suppressed", "n_label"]
    # 7 hidden (primary), partner 30 hidden (secondary, χ), total 137 shown.
    assert res["n_label"].tolist() == ["<10", "100", "χ", "137"]
    assert res["age"].tolist() == ["0-14", "15-64", "65+", T]


def test_suppress_long_categorical_order_kept() -> None:
    df = pd.DataFrame(
        {"age": pd.Categorical(["65+", "0-14"], categories=["0-14", "15-64", "65+"]),
         "n": [50, 20]}
    )
    out = suppress_long(df, "n", row="age")
    assert out["age"].tolist() == ["0-14", "15-64", "65+"]
    assert out["n_label"].tolist() == ["20", "0", "50"]


def test_suppress_long_rejects_bad_input() -> None:
    df = _long().assign(extra=1)
    with pytest.raises(ValueError):
        suppress_long(df, "n", row="pref", column="sex")
    with pytest.raises(ValueError):  # duplicates: not aggregated
        suppress_long(pd.concat([_long(), _long()]), "n", row="pref", column="sex")
    with pytest.raises(ValueError):
        suppress_long(_long(), "n", row="pref", column="sex", threshold=2)
    with pytest.raises(ValueError):
        suppress_long(_long()[["pref", "n"]].iloc[:2].assign(pref=["A", "B"]), "n",
                      row="pref", row_totals=True)


# --- rates ---------------------------------------------------------------------------


def test_rate_with_suppression() -> None:
    num = pd.Series([5, 20, 0, 30, 12, 50], index=list("abcdef"))
    den = pd.Series([100, 8, 50, 0, 40, 200], index=list("abcdef"))
    rate = rate_with_suppression(num, den)
    # a: numerator 5 small; b: denominator 8 small; c: 0/50 = 0; d: /0; e: 12/40; f: 50/200.
    assert math.isnan(rate["a"])
    assert math.isnan(rate["b"])
    assert rate["c"] == 0.0
    assert math.isnan(rate["d"])
    assert rate["e"] == pytest.approx(0.3)
    assert rate["f"] == pytest.approx(0.25)
    assert rate.dtype == float
    # threshold 5: a (5/100) is now allowed, b (denominator 8) too.
    rate5 = rate_with_suppression(num, den, threshold=5)
    assert rate5["a"] == pytest.approx(0.05)
    assert rate5["b"] == pytest.approx(2.5)
    with pytest.raises(ValueError):
        rate_with_suppression(num, den, threshold=2)


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
    body = np.where(kind == 0, 0, np.where(kind == 1, rng.integers(1, 10, size=shape), rng.integers(10, 400, size=shape)))
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


def _single_unknown(published: np.ndarray, lines: list[tuple[list[int], int | None]]) -> list[tuple[list[int], int | None]]:
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
