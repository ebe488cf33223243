"""Tests for analytics.core.location: where new capacity serves the most waiting children.

Known answers are worked out by hand in the comments on instances of a few points and sites;
the heuristic is then compared with the proved optimum of the MILP on seeded random instances,
and every result is checked against every constraint of the model.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from analytics.core.location import (
    Placement,
    PlacementProblem,
    allocate,
    benchmark_instance,
    place_heuristic,
    place_optimal,
    reach_matrix,
)

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

TOL = 1e-6
SOLVERS = [place_heuristic, place_optimal]


def _problem(demand, reach, capacity, cost=None, **kw) -> PlacementProblem:
    demand = np.asarray(demand, dtype=float)
    if demand.ndim == 1:
        demand = demand[:, None]
    reach = sp.csr_array(np.asarray(reach, dtype=float))
    capacity = np.asarray(capacity)
    cost = np.full(len(capacity), 3e6) if cost is None else np.asarray(cost, dtype=float)
    return PlacementProblem(demand=demand, reach=reach, capacity=capacity, cost_per_seat=cost, **kw)


def check_feasible(p: PlacementProblem, r: Placement) -> None:
    """Every constraint of the model holds for the placement ``r`` of ``p``."""
    assert r.open.shape == (p.n_sites,) and r.open.dtype == bool
    assert r.seats.shape == (p.n_sites, p.n_classes) and r.seats.dtype.kind == "i"
    assert r.served_by_point.shape == (p.n_points, p.n_classes)
    # nobody served twice, nobody served who is not waiting
    assert np.all(r.served_by_point >= -TOL)
    assert np.all(r.served_by_point <= p.demand + TOL)
    assert r.served == pytest.approx(r.served_by_point.sum(), abs=TOL)
    # each child taken counts at one site: the sites' loads add up to the points served, per class
    assert r.served_by_site.shape == (p.n_sites, p.n_classes)
    assert np.allclose(r.served_by_site.sum(axis=0), r.served_by_point.sum(axis=0), atol=TOL)
    assert np.all(r.served_by_site <= r.seats + TOL) and np.all(r.served_by_site[~r.open] <= TOL)
    # seats: whole, ≥ 0, only in allowed classes, min_seats ≤ Σ ≤ capacity at open sites, 0 elsewhere
    assert np.all(r.seats >= 0)
    assert np.all(r.seats[~p.class_allowed] == 0)
    total = r.seats.sum(axis=1)
    assert np.all(total <= p.capacity)
    assert np.all(total[r.open] >= p.min_seats)
    assert np.all(total[~r.open] == 0)
    assert r.total_seats == int(total.sum())
    assert r.cost_yen == pytest.approx(float((p.cost_per_seat[:, None] * r.seats).sum()))
    # budget and number of sites
    used = r.total_seats if p.budget_kind == "seats" else r.cost_yen
    assert used <= p.budget * (1 + 1e-9) + TOL
    if p.max_sites is not None:
        assert r.open.sum() <= p.max_sites
    assert all(r.open[j] for j in p.forced_open)
    assert not any(r.open[j] for j in p.forced_closed)
    # children are served only where an open site reaches them ...
    reached = np.asarray(p.reach[r.open].sum(axis=0)).reshape(-1) > 0 if r.open.any() else np.zeros(p.n_points, bool)
    assert np.all(r.served_by_point[~reached] <= TOL)
    # ... by seats of their class: per class, served ≤ seats at the open sites that take it
    assert np.all(r.served_by_point.sum(axis=0) <= r.seats.sum(axis=0) + TOL)
    # and for any group of points, served ≤ the seats of the open sites that reach them
    # (checked per open site's exclusive points: points that only this open site reaches)
    only = np.asarray(p.reach[r.open].sum(axis=0)).reshape(-1) == 1 if r.open.any() else np.zeros(p.n_points, bool)
    for j in np.flatnonzero(r.open):
        mine = only & (p.reach[[j]].toarray()[0] > 0)
        assert np.all(r.served_by_point[mine].sum(axis=0) <= r.seats[j] + TOL)


# ----------------------------------------------------------------------------- reach_matrix


def test_reach_matrix_by_hand() -> None:
    # sites (0, 0) and (1000, 0); points:
    #   p0 (0, 0):     0 m from s0, 1000 m from s1
    #   p1 (500, 0):   500 m from both
    #   p2 (800, 600): √(800² + 600²) = 1000 m from s0, √(200² + 600²) = 632.5 m from s1
    #   p3 (3000, 0):  3000 m and 2000 m
    #   p4 (1000, 800): 800 m from s1 exactly — "within 800 m" includes it
    sites = np.array([[0.0, 0.0], [1000.0, 0.0]])
    points = np.array([[0.0, 0.0], [500.0, 0.0], [800.0, 600.0], [3000.0, 0.0], [1000.0, 800.0]])
    r = reach_matrix(sites, points, 800.0)
    assert isinstance(r, sp.csr_array) and r.shape == (2, 5)
    assert r.toarray().tolist() == [[1, 1, 0, 0, 0], [0, 1, 1, 0, 1]]
    assert reach_matrix(sites, points, 0.0).toarray().tolist() == [[1, 0, 0, 0, 0], [0, 0, 0, 0, 0]]
    assert reach_matrix(np.zeros((0, 2)), points, 800.0).shape == (0, 5)
    with pytest.raises(ValueError):
        reach_matrix(sites, points, -1.0)


# ----------------------------------------------------------------------------- known answers

# The instance used below: one class, three points, two sites, capacity 10 each.
#   point:   p0  p1  p2          site A reaches p0, p1 (5 + 3 = 8 waiting)
#   waiting:  5   3   4          site B reaches p1, p2 (3 + 4 = 7 waiting)
DEMAND = [5, 3, 4]
REACH = [[1, 1, 0], [0, 1, 1]]


@pytest.mark.parametrize("solve", SOLVERS)
def test_three_points_two_sites(solve) -> None:
    # Budget 8 seats, min 6 per site: both sites would need ≥ 12 seats, so one site.
    # A alone: 8 seats serve p0 5 + p1 3 = 8.  B alone: 7 seats serve 7.  → A, 8 served.
    p = _problem(DEMAND, REACH, [10, 10], budget=8)
    r = solve(p)
    check_feasible(p, r)
    assert r.served == pytest.approx(8)
    assert r.open.tolist() == [True, False]
    assert r.seats.tolist() == [[8], [0]]
    assert r.served_by_point[:, 0].tolist() == pytest.approx([5, 3, 0])
    # Budget 12: A 6 seats (p0 5 + p1 1) and B 6 seats (p1 2 + p2 4) serve all 12 —
    # opening both with the minimum beats A alone with 8 seats (8 served).
    p = _problem(DEMAND, REACH, [10, 10], budget=12)
    r = solve(p)
    check_feasible(p, r)
    assert r.served == pytest.approx(12)
    assert r.open.tolist() == [True, True]
    assert r.seats.tolist() == [[6], [6]]


@pytest.mark.parametrize("solve", SOLVERS)
def test_budget_in_yen_chooses_the_cheaper_site(solve) -> None:
    # Two separate sites: A reaches 10 waiting, B reaches 9. Costs A 5M, B 3M yen per seat.
    # Budget 10 seats: A with 10 seats serves 10 (B could serve 9).      → A
    # Budget 30M yen: A affords 30/5 = 6 seats → 6 served; B needs 9 seats = 27M → 9 served;
    # both would need ≥ 6·5M + 6·3M = 48M.                               → B, 9 served, 27M yen
    kw = dict(demand=[10, 9], reach=[[1, 0], [0, 1]], capacity=[20, 20], cost=[5e6, 3e6])
    p = _problem(**kw, budget=10, budget_kind="seats")
    r = solve(p)
    check_feasible(p, r)
    assert (r.served, r.open.tolist()) == (pytest.approx(10), [True, False])
    p = _problem(**kw, budget=30e6, budget_kind="yen")
    r = solve(p)
    check_feasible(p, r)
    assert (r.served, r.open.tolist()) == (pytest.approx(9), [False, True])
    assert r.cost_yen == pytest.approx(27e6) and r.total_seats == 9


@pytest.mark.parametrize("solve", SOLVERS)
def test_min_seats_keeps_a_tiny_site_closed(solve) -> None:
    # A reaches 4 waiting, B reaches 30; budget 24 seats.
    # B alone: 24 seats serve 24.  A + B: A needs 6 seats for 4 children, B gets 18 → 22.  → B
    kw = dict(demand=[4, 30], reach=[[1, 0], [0, 1]], capacity=[40, 40], budget=24)
    p = _problem(**kw)
    r = solve(p)
    check_feasible(p, r)
    assert (r.served, r.open.tolist(), r.seats.tolist()) == (pytest.approx(24), [False, True], [[0], [24]])
    # A budget below min_seats opens nothing: 5 seats < 6.
    p = _problem(**{**kw, "budget": 5})
    r = solve(p)
    check_feasible(p, r)
    assert r.served == 0 and not r.open.any() and r.total_seats == 0
    # With min_seats = 1 the same 5 seats serve 5 (at either site).
    p = _problem(**{**kw, "budget": 5}, min_seats=1)
    assert solve(p).served == pytest.approx(5)


@pytest.mark.parametrize("solve", SOLVERS)
def test_class_allowed(solve) -> None:
    # One point waiting 5 + 5 + 5 (0歳, 1・2歳, 3〜5歳); A takes only 0–2歳, B only 3〜5歳.
    # Budget 15 seats, min 6: A 9 seats (of its 10 children) + B 6 seats (5 children, one idle)
    # = 15 seats, 14 served; A alone 10; A 10 + B 6 = 16 seats is over budget.
    allowed = np.array([[True, True, False], [False, False, True]])
    p = _problem([[5, 5, 5]], [[1], [1]], [10, 10], budget=15, class_allowed=allowed)
    r = solve(p)
    check_feasible(p, r)
    assert r.served == pytest.approx(14)
    assert r.open.tolist() == [True, True]
    assert r.seats[0, :2].sum() == 9 and r.seats[0, 2] == 0
    assert r.seats[1].tolist() == [0, 0, 6]
    assert r.served_by_point[0, 2] == pytest.approx(5)


@pytest.mark.parametrize("solve", SOLVERS)
def test_forced_open_and_closed(solve) -> None:
    # The three-point instance with budget 8: left alone, A opens (8 served).
    # Forced open B: B must open (≥ 6 seats), leaving < 6 for A → B alone, 7 served.
    # Forced closed A: B alone again, 7 served.
    for kw in (dict(forced_open=(1,)), dict(forced_closed=(0,))):
        p = _problem(DEMAND, REACH, [10, 10], budget=8, **kw)
        r = solve(p)
        check_feasible(p, r)
        assert (r.served, r.open.tolist(), r.seats.tolist()) == (pytest.approx(7), [False, True], [[0], [7]])
    # Forced open A and B with budget 12: both (as without forcing), 12 served.
    p = _problem(DEMAND, REACH, [10, 10], budget=12, forced_open=np.array([0, 1]))
    assert solve(p).served == pytest.approx(12)
    # A forced open site that serves nobody still opens, with min_seats.
    p = _problem([0, 0, 4], REACH, [10, 10], budget=20, forced_open=(0,))
    r = solve(p)
    check_feasible(p, r)
    assert r.open.tolist() == [True, True] and r.seats[0].tolist() == [6] and r.served == pytest.approx(4)


def test_forced_sites_over_budget_are_refused() -> None:
    # Both forced open need 2 × 6 = 12 seats > 8.
    with pytest.raises(ValueError, match="forced open"):
        _problem(DEMAND, REACH, [10, 10], budget=8, forced_open=(0, 1))
    # In yen: 6 × 3M + 6 × 3M = 36M > 30M.
    with pytest.raises(ValueError, match="forced open"):
        _problem(DEMAND, REACH, [10, 10], budget=30e6, budget_kind="yen", forced_open=(0, 1))
    with pytest.raises(ValueError, match="max_sites"):
        _problem(DEMAND, REACH, [10, 10], budget=20, forced_open=(0, 1), max_sites=1)
    with pytest.raises(ValueError, match="both forced open and forced closed"):
        _problem(DEMAND, REACH, [10, 10], budget=20, forced_open=(0,), forced_closed=(0,))
    with pytest.raises(ValueError, match="cannot hold"):
        _problem(DEMAND, REACH, [10, 5], budget=20, forced_open=(1,))


@pytest.mark.parametrize("solve", SOLVERS)
def test_max_sites_and_capacity(solve) -> None:
    # Three separate sites reaching 10, 8 and 30 waiting; capacities 20, 20, 12; budget 100.
    # Site 2 holds only 12 of its 30. max_sites = 2 → the two that serve most: 12 + 10 = 22.
    kw = dict(demand=[10, 8, 30], reach=np.eye(3), capacity=[20, 20, 12], budget=100)
    p = _problem(**kw, max_sites=2)
    r = solve(p)
    check_feasible(p, r)
    assert (r.served, r.open.tolist()) == (pytest.approx(22), [True, False, True])
    assert r.seats[:, 0].tolist() == [10, 0, 12]
    p = _problem(**kw)
    assert solve(p).served == pytest.approx(30)  # all three: 10 + 8 + 12


@pytest.mark.parametrize("solve", SOLVERS)
def test_fractional_demand(solve) -> None:
    # Projected demand 2.5 and 3.25 at one point in two classes; one site; min_seats 1:
    # seats are whole: ⌈2.5⌉ = 3 and ⌈3.25⌉ = 4 serve 5.75 with 7 seats.
    p = _problem([[2.5, 3.25]], [[1]], [10], budget=10, min_seats=1)
    r = solve(p)
    check_feasible(p, r)
    assert r.served == pytest.approx(5.75) and r.seats.tolist() == [[3, 4]]
    # Budget 6 seats: 3 + 3 serve 2.5 + 3 = 5.5 (or 2 + 4 serve 2 + 3.25 = 5.25, less).
    p = _problem([[2.5, 3.25]], [[1]], [10], budget=6, min_seats=1)
    r = solve(p)
    check_feasible(p, r)
    assert r.served == pytest.approx(5.5) and r.seats.tolist() == [[3, 3]]


@pytest.mark.parametrize("solve", SOLVERS)
def test_edge_cases_serve_nobody(solve) -> None:
    cases = {
        "zero demand": _problem([0, 0, 0], REACH, [10, 10], budget=20),
        "budget below min_seats": _problem(DEMAND, REACH, [10, 10], budget=5),
        "yen budget below min_seats": _problem(DEMAND, REACH, [10, 10], budget=17e6, budget_kind="yen"),
        "all sites forced closed": _problem(DEMAND, REACH, [10, 10], budget=20, forced_closed=(0, 1)),
        "max_sites 0": _problem(DEMAND, REACH, [10, 10], budget=20, max_sites=0),
        "nothing in reach": _problem(DEMAND, np.zeros((2, 3)), [10, 10], budget=20),
        "capacity below min_seats": _problem(DEMAND, REACH, [5, 5], budget=20),
        "no class allowed": _problem(DEMAND, REACH, [10, 10], budget=20, class_allowed=np.zeros((2, 1), bool)),
    }
    for name, p in cases.items():
        r = solve(p)
        check_feasible(p, r)
        assert r.served == 0 and not r.open.any() and r.total_seats == 0 and r.cost_yen == 0, name


def test_results_say_how_they_were_found() -> None:
    p = _problem(DEMAND, REACH, [10, 10], budget=8)
    h, o, a = place_heuristic(p), place_optimal(p), allocate(p, np.array([0]))
    assert (h.method, h.optimal) == ("heuristic", False)
    assert (o.method, o.optimal) == ("milp", True)
    assert (a.method, a.optimal) == ("allocate", False)


def test_the_same_problem_gives_the_same_placement_however_busy_the_machine(monkeypatch) -> None:
    """Every solve stops on work (branch-and-bound nodes), never on the clock: with the clock
    jumping 10 s at every reading, the heuristic and the exact MILP give the same placements."""
    import time

    p = random_instance(3)
    before = place_heuristic(p), place_optimal(p)
    clock = iter(range(0, 10**9, 10))
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(clock)))
    monkeypatch.setattr(time, "monotonic", lambda: float(next(clock)))
    monkeypatch.setattr(time, "time", lambda: float(next(clock)))
    after = place_heuristic(p), place_optimal(p)
    for b, a in zip(before, after, strict=True):
        assert np.array_equal(b.open, a.open) and np.array_equal(b.seats, a.seats) and b.served == a.served


# ----------------------------------------------------------------------------- allocate


def test_allocate_by_hand() -> None:
    # Budget 12 seats. Set {B}: 7 waiting in reach → 7 seats, 7 served (p1 3, p2 4).
    p = _problem(DEMAND, REACH, [10, 10], budget=12)
    r = allocate(p, np.array([1]))
    check_feasible(p, r)
    assert (r.served, r.seats.tolist()) == (pytest.approx(7), [[0], [7]])
    # Set {A, B} as a mask: 6 + 6 seats serve all 12 (see test_three_points_two_sites).
    r = allocate(p, np.array([True, True]))
    assert (r.served, r.seats.tolist()) == (pytest.approx(12), [[6], [6]])
    # An open site that serves nobody keeps min_seats: p2 waits for nobody here.
    p = _problem([5, 3, 0], REACH, [10, 10], budget=20)
    r = allocate(p, np.array([0, 1]))
    assert r.open.tolist() == [True, True] and r.seats.tolist() == [[8], [6]] and r.served == pytest.approx(8)
    # Nothing open: nothing served.
    r = allocate(p, np.array([], dtype=int))
    assert r.served == 0 and not r.open.any()


def test_allocate_yen_budget_is_a_knapsack() -> None:
    # Two separate sites, 10 waiting each; 3M and 4M yen per seat; budget 50M; min 6 seats.
    # Most s_A + s_B with 3·s_A + 4·s_B ≤ 50 and 6 ≤ s ≤ 10 (whole):
    #   s_B = 6 (24M) → s_A ≤ 26/3 → 8: 14;  s_B = 7 (28M) → s_A ≤ 7: 14;
    #   s_B = 8 (32M) → s_A ≤ 6: 14;         s_B = 9 (36M) → s_A ≤ 4.7 < 6: not allowed.
    # So 14; fractional seats would give 8.67 + 6 = 14.67.
    p = _problem([10, 10], [[1, 0], [0, 1]], [10, 10], cost=[3e6, 4e6], budget=50e6, budget_kind="yen")
    r = allocate(p, np.array([0, 1]))
    check_feasible(p, r)
    assert r.served == pytest.approx(14) and r.cost_yen <= 50e6


def test_allocate_refuses_impossible_sets() -> None:
    p = _problem(DEMAND, REACH, [10, 10], budget=8, forced_closed=(1,))
    with pytest.raises(ValueError, match="forced closed"):
        allocate(p, np.array([1]))
    with pytest.raises(ValueError, match="budget"):
        allocate(_problem(DEMAND, REACH, [10, 10], budget=8), np.array([0, 1]))  # 12 seats > 8
    with pytest.raises(ValueError, match="max_sites"):
        allocate(_problem(DEMAND, REACH, [10, 10], budget=20, max_sites=1), np.array([0, 1]))
    with pytest.raises(ValueError, match="forced open"):
        allocate(_problem(DEMAND, REACH, [10, 10], budget=20, forced_open=(1,)), np.array([0]))
    with pytest.raises(ValueError, match="cannot hold"):
        allocate(_problem(DEMAND, REACH, [10, 4], budget=20), np.array([1]))
    with pytest.raises(ValueError):
        allocate(_problem(DEMAND, REACH, [10, 10], budget=20), np.array([2]))


def test_allocate_keeps_every_constraint_on_random_sets() -> None:
    rng = np.random.default_rng(7)
    checked = 0
    for seed in range(12):
        p = random_instance(seed)
        best = place_optimal(p).served
        for _ in range(3):
            mask = rng.random(p.n_sites) < rng.uniform(0.1, 0.5)
            mask[list(p.forced_closed)] = False
            mask[list(p.forced_open)] = True
            ok = (p.capacity >= p.min_seats) & p.class_allowed.any(axis=1)
            mask &= ok | np.isin(np.arange(p.n_sites), p.forced_open)
            while (p.unit_cost[mask].sum() * p.min_seats > p.budget
                   or (p.max_sites is not None and mask.sum() > p.max_sites)):
                drop = [j for j in np.flatnonzero(mask) if j not in p.forced_open]
                mask[drop[-1]] = False
            r = allocate(p, mask)
            check_feasible(p, r)
            assert r.open.tolist() == mask.tolist()
            assert r.served <= best + TOL  # no set beats the optimum
            checked += 1
    assert checked == 36


# ----------------------------------------------------------------------------- validation


def test_problem_validation() -> None:
    ok = dict(demand=np.ones((3, 1)), reach=sp.csr_array(np.array(REACH, float)), capacity=np.array([10, 10]),
              cost_per_seat=np.array([1.0, 1.0]), budget=10.0)
    PlacementProblem(**ok)
    bad = [
        dict(demand=np.ones(3)),
        dict(demand=-np.ones((3, 1))),
        dict(demand=np.full((3, 1), np.nan)),
        dict(reach=np.array(REACH)),  # dense: must be sparse
        dict(reach=sp.csr_array(np.ones((2, 4)))),
        dict(capacity=np.array([10])),
        dict(capacity=np.array([10.5, 10])),
        dict(cost_per_seat=np.array([1.0])),
        dict(cost_per_seat=np.array([-1.0, 1.0])),
        dict(budget=-1.0),
        dict(budget=np.inf),
        dict(budget_kind="children"),
        dict(min_seats=0),
        dict(max_sites=-1),
        dict(class_allowed=np.ones((2, 2), bool)),
        dict(forced_open=(5,)),
        dict(forced_closed=(-1,)),
    ]
    for change in bad:
        with pytest.raises(ValueError):
            PlacementProblem(**{**ok, **change})
    # normalised: reach is 0/1 CSR, forced sites sorted unique tuples
    p = PlacementProblem(**{**ok, "reach": sp.csr_array(np.array(REACH) * 7.0), "forced_open": [1, 1]})
    assert p.reach.toarray().tolist() == REACH and p.forced_open == (1,)


# ----------------------------------------------------------------------------- heuristic vs optimum


def random_instance(seed: int) -> PlacementProblem:
    """30–80 points and 10–25 sites on a 3 km square, 3 classes, varied budgets and options.

    Whole demand throughout, except every third instance in tenths of a child (a projection)
    with a budget in seats; fractional demand with a budget in yen is a knapsack with real
    costs that the MILP may take tens of seconds to prove (see the module docstring).
    """
    rng = np.random.default_rng(seed)
    n_points, n_sites = int(rng.integers(30, 81)), int(rng.integers(10, 26))
    points = rng.uniform(0, 3000, (n_points, 2))
    sites = rng.uniform(0, 3000, (n_sites, 2))
    reach = reach_matrix(sites, points, float(rng.choice([600.0, 800.0, 1000.0])))
    demand = rng.poisson(rng.uniform(0.3, 3.0), (n_points, 3)).astype(float)
    kind = "yen" if seed % 2 else "seats"
    if seed % 3 == 2:
        demand = np.round(demand * rng.uniform(0.5, 1.5, demand.shape), 1)
        kind = "seats"
    capacity = rng.integers(6, 60, n_sites)
    cost = rng.uniform(2e6, 6e6, n_sites)
    budget = rng.uniform(0.2, 0.7) * demand.sum() * (4e6 if kind == "yen" else 1.0)
    allowed = rng.random((n_sites, 3)) < 0.8 if seed % 4 == 1 else None
    max_sites = int(rng.integers(2, 6)) if seed % 5 == 3 else None
    forced_open = (int(rng.integers(n_sites)),) if seed % 7 == 4 else ()
    forced_closed = tuple(int(j) for j in rng.choice(n_sites, 2, replace=False) if j not in forced_open) \
        if seed % 6 == 5 else ()
    for j in forced_open:
        capacity[j] = max(capacity[j], 6)
        if allowed is not None:
            allowed[j, 1] = True
    return PlacementProblem(demand=demand, reach=reach, capacity=capacity, cost_per_seat=cost, budget=budget,
                            budget_kind=kind, class_allowed=allowed, max_sites=max_sites,
                            forced_open=forced_open, forced_closed=forced_closed)


def test_heuristic_against_the_optimum(record_property) -> None:
    ratios = []
    for seed in range(24):
        p = random_instance(seed)
        h, o = place_heuristic(p), place_optimal(p)
        check_feasible(p, h)
        check_feasible(p, o)
        assert o.optimal, f"seed {seed}: the MILP did not prove optimality"
        assert h.served <= o.served + TOL, f"seed {seed}: heuristic beats the proved optimum"
        ratio = h.served / o.served if o.served > 0 else 1.0
        assert ratio >= 0.95, f"seed {seed}: heuristic at {ratio:.3f} of the optimum"
        ratios.append(ratio)
    ratios = np.array(ratios)
    equal = float((ratios >= 1 - TOL).mean())
    print(f"\nheuristic / optimum over {len(ratios)} instances: mean {ratios.mean():.5f}, "
          f"worst {ratios.min():.5f}, equal on {equal:.0%}")
    record_property("heuristic_ratio_mean", float(ratios.mean()))
    record_property("heuristic_ratio_worst", float(ratios.min()))
    assert ratios.mean() >= 0.99
    assert equal > 0.5


# ----------------------------------------------------------------------------- benchmark instance


def test_benchmark_instance() -> None:
    p = benchmark_instance(60, 300, seed=3)
    assert (p.n_sites, p.n_points, p.n_classes) == (60, 300, 3)
    assert p.budget_kind == "yen"
    assert np.all((p.capacity >= 20) & (p.capacity <= 120))
    assert np.all((p.cost_per_seat >= 2e6) & (p.cost_per_seat <= 6e6))
    assert np.all(p.demand == np.round(p.demand)) and p.demand.sum() > 0
    # 800 m over 570 m × 460 m cells: π·0.8² / (0.57·0.46) ≈ 7.7 cells per site in the interior
    per_site = p.reach.nnz / p.n_sites
    assert 3 <= per_site <= 12
    # deterministic
    q = benchmark_instance(60, 300, seed=3)
    assert np.array_equal(p.demand, q.demand) and (p.reach != q.reach).nnz == 0
    assert benchmark_instance(10, 50, seed=1, budget_kind="seats").budget_kind == "seats"


def test_merging_points_reached_by_the_same_sites_keeps_the_optimum(monkeypatch) -> None:
    """The MILP merges demand points that the same candidate sites reach (fewer variables): the
    proved optimum and every allocation are those of the unmerged model, and the assignment
    shared back respects each point's demand."""
    import analytics.core.location as location

    merged_runs = []
    merge = location._merge_points
    def recorded(p, c):
        merged_runs.append((p.n_points, merge(p, c)))
        return merged_runs[-1][1]

    monkeypatch.setattr(location, "_merge_points", recorded)
    results = []
    for seed in range(8):
        p = random_instance(seed)
        optimum = place_optimal(p)
        results.append((p, optimum, allocate(p, optimum.open)))
    assert any(m.n_points < n for n, (m, _) in merged_runs)  # points were merged
    monkeypatch.setattr(location, "_merge_points", lambda p, c: (p, np.arange(p.n_points)))
    for p, optimum, alloc in results:
        check_feasible(p, optimum)
        check_feasible(p, alloc)
        assert optimum.optimal and place_optimal(p).served == pytest.approx(optimum.served, abs=TOL)
        assert allocate(p, optimum.open).served == pytest.approx(alloc.served, abs=TOL)


def test_the_bounds_that_skip_the_restricted_milp_hold() -> None:
    """place_heuristic skips its last MILP when the allocation already serves as many children as
    a bound allows: the bounds must be true bounds, or a better placement could be skipped. On
    random instances: every placement serves at most :func:`_served_bound` (budget and
    :func:`most_servable`), and the restricted MILP at most its LP bound (:func:`_lp_bound`)."""
    from analytics.core.location import _Greedy, _lp_bound, _served_bound, _solve_milp, most_servable

    for seed in range(24):
        p = random_instance(seed)
        g = _Greedy(p)
        bound = _served_bound(p, g, most_servable(p))
        optimum = place_optimal(p)
        assert optimum.served <= bound + TOL, seed
        candidate = place_heuristic(p).open | (np.random.default_rng(seed).random(p.n_sites) < 0.3)
        candidate &= g.usable
        if not candidate.any():
            continue
        _, _, x, _, _ = _solve_milp(p, candidate, fixed_open=False, node_limit=5_000)
        if x is not None:
            assert float(x.sum()) <= _lp_bound(p, candidate) + TOL, seed


def test_the_kept_relaxation_gives_each_open_set_its_own_optimum() -> None:
    """place_heuristic solves the relaxed allocation of many open sets on one kept HiGHS model,
    closing the others by their bounds: each answer must be the optimum of that open set's own
    model (the value is unique even where the solution is not), in any order of the sets."""
    from analytics.core.location import _fits, _Greedy, _relax, _relax_kept, _RelaxedLP

    compared = 0
    for seed in range(12):
        p = random_instance(seed)
        g = _Greedy(p)
        may_open = g.usable.copy()
        may_open[list(p.forced_open)] = True
        if not may_open.any():
            continue
        kept = _RelaxedLP(p, may_open)
        rng = np.random.default_rng(seed)
        for _ in range(6):
            mask = np.zeros(p.n_sites, dtype=bool)
            mask[list(p.forced_open)] = True
            room = p.n_sites if p.max_sites is None else p.max_sites - int(mask.sum())
            others = np.flatnonzero(may_open & ~mask & (rng.random(p.n_sites) < 0.5))
            mask[others[:max(room, 0)]] = True  # as the search's sets: within max_sites and the budget
            if not mask.any() or not _fits(p, g, mask):
                continue
            compared += 1
            fresh, reused = _relax(p, mask), _relax_kept(kept, mask)
            assert reused.value == pytest.approx(fresh.value, abs=1e-6), seed
            assert not (reused.open & ~mask).any(), seed  # idle sites may close; none opens
            assert reused.seats.sum(axis=1)[~reused.open].max(initial=0.0) <= TOL  # closed: no seats
    assert compared >= 30, compared  # not vacuous: many open sets compared
