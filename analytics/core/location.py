"""Where new capacity serves the most: a capacitated maximal covering location problem.

The question a planner asks is "where would new nursery places cut the waitlist most?". Demand
is counted per demand point (a 500 m grid square, 1/2 mesh) and per demand class (an age band:
0歳, 1・2歳, 3〜5歳). A candidate site can serve the points within a straight-line distance of it
(:func:`reach_matrix`: straight-line metres on a plane projection, the usual stand-in for
walking distance). Opening a site means giving it at least ``min_seats`` seats (6, the
smallest 小規模保育) and at most its capacity; seats are whole numbers chosen per class. A
budget bounds either the total seats or their cost in yen, and optionally the number of sites.
The aim is to serve as many waiting children as possible. One seat serves one child, so
*seats* and *children* are the same unit; money is in yen.

    maximise   Σ x[i, j, a]                        (children served)
    subject to Σ_j x[i, j, a] ≤ demand[i, a]       (nobody is served twice)
               Σ_i x[i, j, a] ≤ seats[j, a]         (a seat serves one child)
               x[i, j, a] = 0 unless site j reaches point i and takes class a
               min_seats·open[j] ≤ Σ_a seats[j, a] ≤ capacity[j]·open[j]
               Σ seats ≤ budget   or   Σ cost_per_seat[j]·seats[j, a] ≤ budget (yen)
               Σ open ≤ max_sites,   seats whole,   open ∈ {0, 1}

This is the maximal covering location problem (MCLP; Church & ReVelle 1974) with capacities,
whole seats and a budget. Covering, because what the planner needs is the number of children
who get a place within reach (the waitlist that remains is demand − served); capacities,
because a site that reaches 300 waiting children but holds 60 serves 60; the assignment x is
part of the model, because two sites that reach the same children must not both count them.
Three functions solve it:

* :func:`allocate` — for a given set of open sites (e.g. chosen by hand): the best whole seats
  and the assignment, a small MILP (HiGHS through :func:`scipy.optimize.milp`).
* :func:`place_heuristic` — fast (a few tenths of a second for a city of 300 sites): lazy
  greedy by children newly served per unit of budget (Minoux 1978's accelerated greedy, exact
  here because a site's gain only falls as others open) and a start from the LP relaxation;
  local improvement judged on the LP of :func:`allocate` (drop a site and refill, add a site
  priced by the LP's shadow prices); then whole seats: :func:`allocate` on the set found and
  the MILP restricted to that set and the sites of the best moves left. Greedy is the classic
  approximation for covering problems; the local moves repair its myopia (a site opened early
  that later ones make redundant); the LP start is nearly whole because the model's linking
  is strong; the restricted MILP settles what the LP cannot see (whole seats for fractional
  children, min_seats). On random instances it finds the optimum or comes within a fraction
  of a percent (``tests/test_location.py``).
* :func:`place_optimal` — the exact MILP (binary open, whole seats, assignment only for
  reachable pairs) with the strong linking x ≤ demand·open, which makes its LP bound tight;
  HiGHS with a limit on branch-and-bound nodes (work, never the clock: the same problem gives
  the same answer on any machine). ``optimal`` says whether HiGHS proved it.

Whole versus fractional demand: when every demand is a whole number (counts of children), the
most children served is whole, and :func:`_solve_milp` counts children served per site and
class with integer variables, so HiGHS proves optimality quickly (seconds for 300 sites ×
1,200 points). Fractional demand (projections) is allowed, but then a seat is whole and the
child it serves may be 0.4 of one: with a budget in yen this is a knapsack with real costs,
and HiGHS may not prove optimality within its node limit (it returns its best, typically
within a tenth of a percent, with ``optimal=False``). Demand in tenths or hundredths is counted
in tenths or hundredths of a child, which helps; whole children are fastest.

Every result is tidied the same way: sites that serve nobody are closed (unless forced open),
each class keeps only the seats its children use (rounded up to whole seats), topped up to
``min_seats`` where needed — so the seats and yen reported are what the placement needs.

References: R. Church & C. ReVelle, "The maximal covering location problem", *Papers of the
Regional Science Association* 32 (1974) 101–118; M. Minoux, "Accelerated greedy algorithms
for maximizing submodular set functions", *Optimization Techniques*, LNCIS 7 (1978) 234–243.
"""

from __future__ import annotations

import dataclasses
import heapq
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.spatial import cKDTree

from analytics.core.lp import highs_lp

BUDGET_KINDS = ("seats", "yen")
TOLERANCE = 1e-6
# Every solve stops on work, never on the clock, so that the same scenario gives the same plan
# on a busy machine as on a quiet one. Branch-and-bound nodes HiGHS may explore in the exact
# allocation of one set of open sites and in the heuristic's last step: with whole demand it
# proves them at the root; with fractional demand and a budget in yen it may not (a knapsack
# with real costs) and returns its best — on the page's scenarios the same plans at 10, 20 and
# 50 nodes. A solve that has found no solution by then gets ten times the nodes (twice).
NODE_LIMIT = 20
# Nodes of the exact MILP of place_optimal (the page's check against the optimum); it returns
# its best and says it was not proved when it stops there.
EXACT_NODE_LIMIT = 5_000
# Local improvement of the heuristic: at most LOCAL_ROUNDS rounds; per round, of the moves
# whose estimate is within LOCAL_SLACK children of the current value, the LOCAL_CHECKS most
# promising are solved (LP of the allocation) until one improves.
LOCAL_ROUNDS = 200
LOCAL_CHECKS = 5
LOCAL_SLACK = 1.0
# The heuristic's start from the LP relaxation of the whole problem is skipped when that LP has
# more variables than this: dense reach (long walks over many sites) makes it large (about a
# second at 12,000 on the city's 2 km walks), and greedy does well there.
LP_START_MAX_VARIABLES = 20_000
# The heuristic's last step may solve the MILP restricted to its sites and those of this many
# of the best moves it did not take.
RESTRICTED_MOVES = 10


# --------------------------------------------------------------------------- the problem


def reach_matrix(site_xy: np.ndarray, point_xy: np.ndarray, max_m: float) -> sp.csr_array:
    """Which demand points each candidate site reaches: 1 where the distance is ≤ ``max_m``.

    ``site_xy`` (n_sites, 2) and ``point_xy`` (n_points, 2) are plane coordinates in metres
    (e.g. a Japan Plane Rectangular CS); the distance is straight-line (as the crow flies),
    the usual proxy for walking distance. Returns a ``csr_array`` of shape (n_sites, n_points)
    with 1.0 for each reachable pair (sorted indices).
    """
    site_xy = np.asarray(site_xy, dtype=float).reshape(-1, 2)
    point_xy = np.asarray(point_xy, dtype=float).reshape(-1, 2)
    if not max_m >= 0:
        raise ValueError(f"max_m must be a distance ≥ 0 in metres, not {max_m!r}")
    n_sites, n_points = len(site_xy), len(point_xy)
    if n_sites == 0 or n_points == 0:
        return sp.csr_array((n_sites, n_points), dtype=float)
    lists = cKDTree(point_xy).query_ball_point(site_xy, r=max_m)
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=n_sites)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.fromiter((i for x in lists for i in sorted(x)), dtype=np.int64, count=int(indptr[-1]))
    return sp.csr_array((np.ones(len(indices)), indices, indptr), shape=(n_sites, n_points))


@dataclass(frozen=True, eq=False)
class PlacementProblem:
    """One instance: demand, candidate sites and the budget.

    * ``demand`` (n_points, n_classes) ≥ 0: waiting children per demand point and class
      (float: projections may be fractional).
    * ``reach`` (n_sites, n_points): 1 where the site is within the straight-line distance of the point
      (:func:`reach_matrix`); any non-zero entry counts as reachable.
    * ``capacity`` (n_sites,): the most seats the site can hold (integer, children).
    * ``cost_per_seat`` (n_sites,): yen per seat at that site (≥ 0).
    * ``budget``: total seats (``budget_kind="seats"``) or total yen (``"yen"``).
    * ``min_seats``: an open site has at least this many seats (6: the smallest 小規模保育).
    * ``max_sites``: most sites opened (``None``: no limit).
    * ``class_allowed`` (n_sites, n_classes) bool: which classes a site may take (``None``:
      all).
    * ``forced_open`` / ``forced_closed``: indices of sites the planner added or removed by
      hand. Forced open sites are always opened (with ≥ ``min_seats``); a problem whose forced
      sites alone cannot be afforded raises :class:`ValueError`.

    Inputs are validated and normalised (float demand, 0/1 CSR ``reach`` with sorted indices,
    int capacity, bool ``class_allowed``, sorted tuples of forced sites). Problems compare and
    hash by identity (``eq=False``: they hold arrays).
    """

    demand: np.ndarray
    reach: sp.csr_array
    capacity: np.ndarray
    cost_per_seat: np.ndarray
    budget: float
    budget_kind: str = "seats"
    min_seats: int = 6
    max_sites: int | None = None
    class_allowed: np.ndarray | None = None
    forced_open: tuple[int, ...] = ()
    forced_closed: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        demand = np.asarray(self.demand, dtype=float)
        if demand.ndim != 2:
            raise ValueError(f"demand must be a 2-D array (n_points, n_classes), not shape {demand.shape}")
        if not np.all(np.isfinite(demand)) or np.any(demand < 0):
            raise ValueError("demand must be finite and ≥ 0 (waiting children per point and class)")
        n_points, n_classes = demand.shape
        if not sp.issparse(self.reach):
            raise ValueError("reach must be a scipy.sparse array (n_sites, n_points); see reach_matrix()")
        reach = sp.csr_array(self.reach)
        if reach.ndim != 2 or reach.shape[1] != n_points:
            raise ValueError(f"reach must have shape (n_sites, {n_points}) to match demand, not {reach.shape}")
        reach = sp.csr_array((reach != 0).astype(float))
        reach.sort_indices()
        n_sites = reach.shape[0]
        capacity = np.asarray(self.capacity)
        if capacity.shape != (n_sites,):
            raise ValueError(f"capacity must have shape ({n_sites},) (one per site), not {capacity.shape}")
        if not np.all(np.isfinite(capacity)) or np.any(capacity != np.round(capacity)) or np.any(capacity < 0):
            raise ValueError("capacity must be whole numbers of seats ≥ 0")
        cost = np.asarray(self.cost_per_seat, dtype=float)
        if cost.shape != (n_sites,):
            raise ValueError(f"cost_per_seat must have shape ({n_sites},) (yen per seat), not {cost.shape}")
        if not np.all(np.isfinite(cost)) or np.any(cost < 0):
            raise ValueError("cost_per_seat must be finite and ≥ 0 (yen per seat)")
        if self.budget_kind not in BUDGET_KINDS:
            raise ValueError(f"budget_kind must be 'seats' or 'yen', not {self.budget_kind!r}")
        if not (np.isfinite(self.budget) and self.budget >= 0):
            raise ValueError(f"budget must be finite and ≥ 0, not {self.budget!r}")
        if int(self.min_seats) != self.min_seats or self.min_seats < 1:
            raise ValueError(f"min_seats must be a whole number ≥ 1, not {self.min_seats!r}")
        if self.max_sites is not None and (int(self.max_sites) != self.max_sites or self.max_sites < 0):
            raise ValueError(f"max_sites must be None or a whole number ≥ 0, not {self.max_sites!r}")
        if self.class_allowed is None:
            allowed = np.ones((n_sites, n_classes), dtype=bool)
        else:
            allowed = np.asarray(self.class_allowed)
            if allowed.shape != (n_sites, n_classes):
                raise ValueError(f"class_allowed must have shape ({n_sites}, {n_classes}), not {allowed.shape}")
            allowed = allowed.astype(bool)
        forced = []
        for name in ("forced_open", "forced_closed"):
            idx = np.asarray(getattr(self, name)).reshape(-1)
            if idx.size and (not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0 or idx.max() >= n_sites):
                raise ValueError(f"{name} must hold site indices from 0 to {n_sites - 1}, not {idx.tolist()}")
            forced.append(tuple(sorted({int(i) for i in idx})))
        forced_open, forced_closed = forced
        both = sorted(set(forced_open) & set(forced_closed))
        if both:
            raise ValueError(f"sites {both} are both forced open and forced closed")
        object.__setattr__(self, "demand", demand)
        object.__setattr__(self, "reach", reach)
        object.__setattr__(self, "capacity", capacity.astype(np.int64))
        object.__setattr__(self, "cost_per_seat", cost)
        object.__setattr__(self, "budget", float(self.budget))
        object.__setattr__(self, "min_seats", int(self.min_seats))
        object.__setattr__(self, "max_sites", None if self.max_sites is None else int(self.max_sites))
        object.__setattr__(self, "class_allowed", allowed)
        object.__setattr__(self, "forced_open", forced_open)
        object.__setattr__(self, "forced_closed", forced_closed)
        self._check_forced()

    def _check_forced(self) -> None:
        """Raise a clear ValueError when the forced open sites cannot all be opened."""
        fo = np.asarray(self.forced_open, dtype=np.int64)
        if fo.size == 0:
            return
        small = [int(j) for j in fo if self.capacity[j] < self.min_seats or not self.class_allowed[j].any()]
        if small:
            raise ValueError(f"forced open sites {small} cannot hold min_seats = {self.min_seats} "
                             "(capacity too small or no class allowed)")
        if self.max_sites is not None and fo.size > self.max_sites:
            raise ValueError(f"{fo.size} sites are forced open but max_sites = {self.max_sites}")
        need = float(self.unit_cost[fo].sum() * self.min_seats)
        if need > self.budget * (1 + 1e-12) + TOLERANCE:
            unit = "seats" if self.budget_kind == "seats" else "yen"
            raise ValueError(f"the {fo.size} forced open sites alone need {need:,.0f} {unit} "
                             f"(min_seats = {self.min_seats} each), more than the budget of {self.budget:,.0f} {unit}")

    @property
    def n_points(self) -> int:
        return int(self.demand.shape[0])

    @property
    def n_classes(self) -> int:
        return int(self.demand.shape[1])

    @property
    def n_sites(self) -> int:
        return int(self.reach.shape[0])

    @property
    def unit_cost(self) -> np.ndarray:
        """Budget used by one seat at each site: 1 (``"seats"``) or its yen cost (``"yen"``)."""
        return np.ones(self.n_sites) if self.budget_kind == "seats" else self.cost_per_seat


@dataclass(frozen=True, eq=False)
class Placement:
    """A solution: which sites open, their seats per class, and who is served.

    ``served`` is children served (Σ ``served_by_point``); ``served_by_site`` (sites × classes)
    is who each site takes in the assignment, so it sums to ``served`` (a child reached by two
    sites counts once, at the site that takes it); ``cost_yen`` is always in yen
    (Σ cost_per_seat × seats), whatever the budget kind; ``total_seats`` is Σ ``seats``.
    ``method`` is ``"heuristic"``, ``"milp"`` or ``"allocate"`` (seats for a given set of
    sites); ``optimal`` is True only when the MILP proved the placement optimal.
    """

    open: np.ndarray
    seats: np.ndarray
    served: float
    served_by_point: np.ndarray
    served_by_site: np.ndarray
    cost_yen: float
    total_seats: int
    method: str
    optimal: bool


# --------------------------------------------------------------------------- the MILP


@dataclass(frozen=True)
class _Pairs:
    """Assignment variables x[e] of the MILP: one per reachable (site, point, class) triple with
    demand > 0 and the class allowed at the site, restricted to the candidate sites."""

    site: np.ndarray
    point: np.ndarray
    cls: np.ndarray


def _pairs(problem: PlacementProblem, candidate: np.ndarray) -> _Pairs:
    reach = problem.reach
    site = np.repeat(np.arange(problem.n_sites), np.diff(reach.indptr))
    point = reach.indices.astype(np.int64)
    keep = candidate[site]
    site, point = site[keep], point[keep]
    c = problem.n_classes
    site, point, cls = np.repeat(site, c), np.repeat(point, c), np.tile(np.arange(c), len(site))
    ok = (problem.demand[point, cls] > 0) & problem.class_allowed[site, cls]
    return _Pairs(site[ok], point[ok], cls[ok])


def most_servable(problem: PlacementProblem) -> float:
    """The most children any plan could serve with no budget: every site not forced closed at its
    largest size (``capacity``), each child at a site within reach — a transportation LP
    (:func:`scipy.optimize.linprog`, HiGHS). An upper bound of every placement of ``problem``;
    a plan that reaches it serves everyone that new places could, so more budget helps no one."""
    candidate = np.ones(problem.n_sites, dtype=bool)
    candidate[list(problem.forced_closed)] = False
    pairs = _pairs(problem, candidate)
    n = len(pairs.site)
    if not n:
        return 0.0
    key = pairs.point * problem.n_classes + pairs.cls
    demand_rows, demand_of = np.unique(key, return_inverse=True)
    by_demand = sp.csr_array((np.ones(n), (demand_of, np.arange(n))), shape=(len(demand_rows), n))
    by_site = sp.csr_array((np.ones(n), (pairs.site, np.arange(n))), shape=(problem.n_sites, n))
    res = linprog(-np.ones(n), A_ub=sp.vstack([by_demand, by_site]).tocsr(),
                  b_ub=np.concatenate([problem.demand.ravel()[demand_rows], problem.capacity.astype(float)]),
                  bounds=(0, None), method="highs")
    return float(-res.fun) if res.status == 0 else float("nan")


def _grain(demand: np.ndarray) -> int | None:
    """The smallest q in 1, 2, 4, 5, 10, … 1000 with every demand × q whole, or None."""
    for q in (1, 2, 4, 5, 10, 20, 25, 50, 100, 1000):
        scaled = demand * q
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-9 * np.maximum(1.0, scaled)):
            return q
    return None


@dataclass(frozen=True)
class _Model:
    """The MILP in :func:`scipy.optimize.milp` form, with where each variable and row is."""

    c: np.ndarray
    a: sp.csr_array
    lo: np.ndarray
    hi: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    integrality: np.ndarray
    cand: np.ndarray  # candidate site indices
    y_of: np.ndarray
    s_of: np.ndarray  # (k, n_classes)
    x_of: np.ndarray
    pairs: _Pairs
    demand_keys: np.ndarray  # point·n_classes + class of the first len(demand_keys) rows
    budget_row: int


def _build(problem: PlacementProblem, candidate: np.ndarray, fixed_open: bool, at_least: float | None = None,
           grain: int | None = None) -> _Model:
    """The model over the ``candidate`` sites (see :func:`_solve_milp`); ``grain``: count
    children served per site and class as integers in 1/grain of a child."""
    n_s, n_c = problem.n_sites, problem.n_classes
    cand = np.flatnonzero(candidate)
    k = len(cand)
    pairs = _pairs(problem, candidate)
    n_x = len(pairs.site)
    n_g = k * n_c if grain else 0
    pos = np.full(n_s, -1)
    pos[cand] = np.arange(k)
    # variables: open y (k) | seats s (k × n_c) | served g (k × n_c, with a grain) | x (n_x)
    n_var = k + k * n_c + n_g + n_x
    y_of = np.arange(k)
    s_of = (k + np.arange(k * n_c)).reshape(k, n_c)
    g_of = (k + k * n_c + np.arange(n_g)).reshape(-1, n_c)
    x_of = k + k * n_c + n_g + np.arange(n_x)
    sx = pos[pairs.site]
    sc = sx * n_c + pairs.cls

    lb = np.zeros(n_var)
    ub = np.zeros(n_var)
    lb[y_of] = 1.0 if fixed_open else 0.0
    if not fixed_open:
        lb[y_of[np.isin(cand, problem.forced_open)]] = 1.0
    ub[y_of] = 1.0
    ub[s_of] = problem.capacity[cand][:, None] * problem.class_allowed[cand]
    ub[x_of] = problem.demand[pairs.point, pairs.cls]
    integrality = np.zeros(n_var)
    integrality[y_of] = 1
    integrality[s_of] = 1
    c = np.zeros(n_var)
    if grain:
        ub[g_of] = ub[s_of] * grain
        integrality[g_of] = 1
        c[g_of] = -1.0
    else:
        c[x_of] = -1.0  # milp minimises: −children served
    served_c = c / (grain or 1)

    rows, cols, vals, lo, hi = [], [], [], [], []
    n_row = 0

    def add(r: np.ndarray, col: np.ndarray, v: np.ndarray | float, lower: np.ndarray, upper: np.ndarray) -> None:
        nonlocal n_row
        rows.append(n_row + r)
        cols.append(col)
        vals.append(np.broadcast_to(np.asarray(v, dtype=float), col.shape))
        lo.append(lower)
        hi.append(upper)
        n_row += len(lower)

    # demand: Σ_j x[i, j, a] ≤ demand[i, a], one row per (point, class) with variables
    uniq, inv = np.unique(pairs.point * n_c + pairs.cls, return_inverse=True)
    add(inv, x_of, 1.0, np.full(len(uniq), -np.inf), problem.demand.reshape(-1)[uniq])
    # seats: Σ_i x[i, j, a] − s[j, a] ≤ 0
    add(np.concatenate([sc, np.arange(k * n_c)]), np.concatenate([x_of, s_of.reshape(-1)]),
        np.concatenate([np.ones(n_x), -np.ones(k * n_c)]), np.full(k * n_c, -np.inf), np.zeros(k * n_c))
    if grain:
        # served, in grains: g[j, a] − grain·Σ_i x[i, j, a] ≤ 0
        add(np.concatenate([sc, np.arange(k * n_c)]), np.concatenate([x_of, g_of.reshape(-1)]),
            np.concatenate([-np.full(n_x, float(grain)), np.ones(k * n_c)]), np.full(k * n_c, -np.inf),
            np.zeros(k * n_c))
    # min_seats·y ≤ Σ_a s ≤ capacity·y (two rows per site)
    r = np.repeat(np.arange(k), n_c)
    add(np.concatenate([r, np.arange(k)]), np.concatenate([s_of.reshape(-1), y_of]),
        np.concatenate([np.ones(k * n_c), -problem.capacity[cand].astype(float)]), np.full(k, -np.inf), np.zeros(k))
    add(np.concatenate([r, np.arange(k)]), np.concatenate([s_of.reshape(-1), y_of]),
        np.concatenate([np.ones(k * n_c), -np.full(k, float(problem.min_seats))]), np.zeros(k), np.full(k, np.inf))
    # budget: Σ unit·s ≤ budget
    budget_row = n_row
    add(np.zeros(k * n_c, dtype=np.int64), s_of.reshape(-1), np.repeat(problem.unit_cost[cand], n_c),
        np.array([-np.inf]), np.array([problem.budget]))
    if not fixed_open:
        # strong linking: x[i, j, a] ≤ demand[i, a]·y[j]
        add(np.concatenate([np.arange(n_x)] * 2), np.concatenate([x_of, y_of[sx]]),
            np.concatenate([np.ones(n_x), -problem.demand[pairs.point, pairs.cls]]),
            np.full(n_x, -np.inf), np.zeros(n_x))
        if problem.max_sites is not None:
            add(np.zeros(k, dtype=np.int64), y_of, 1.0, np.array([-np.inf]), np.array([float(problem.max_sites)]))
    elif problem.max_sites is not None and k > problem.max_sites:
        raise ValueError(f"{k} sites are open but max_sites = {problem.max_sites}")
    if at_least is not None:
        add(np.zeros(n_var, dtype=np.int64), np.arange(n_var), -served_c, np.array([at_least - TOLERANCE]),
            np.array([np.inf]))
        c = np.zeros(n_var)
        c[y_of] = 1.0
    a = sp.csr_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_row, n_var))
    return _Model(c, a, np.concatenate(lo), np.concatenate(hi), lb, ub, integrality, cand, y_of, s_of, x_of, pairs,
                  uniq, budget_row)


def _solve_milp(problem: PlacementProblem, candidate: np.ndarray, fixed_open: bool, node_limit: int,
                at_least: float | None = None, gap: float = 1e-6, escalate: bool = True
                ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None, _Pairs, bool]:
    """Solve the MILP over the ``candidate`` sites with HiGHS.

    ``fixed_open``: every candidate is open (the allocation of a given set) — else the open
    variables are free binaries (forced open sites fixed at 1). Returns (open, seats, x, pairs,
    proved optimal); open/seats/x are None when HiGHS found no solution.

    When every demand is a whole number, children served per site and class are integer
    variables too (no loss: with whole demand and seats, the assignment is a flow with whole
    capacities, which has a whole optimum). The objective is then integral and HiGHS prunes
    every branch that cannot serve one more child, which proves optimality where the LP bound
    is a fraction above a whole number (a knapsack-like budget in yen otherwise leaves HiGHS
    branching for minutes). Demand in tenths (or halves, hundredths …: see :func:`_grain`) is
    counted the same way in tenths of a child; other fractional demand keeps a continuous
    objective and the 1e-6 relative gap.

    ``at_least``: instead, open the fewest sites that serve at least this many children (the
    tie-break of :func:`place_optimal`).

    HiGHS stops after ``node_limit`` branch-and-bound nodes (a work limit: the result never
    depends on the machine's speed); with no solution by then it tries again with ten and a
    hundred times as many (unless ``escalate`` is False).
    """
    merged, group = _merge_points(problem, candidate)
    m = _build(merged, candidate, fixed_open, at_least, _grain(problem.demand))
    for nodes in (node_limit, 10 * node_limit, 100 * node_limit) if escalate else (node_limit,):
        res = milp(m.c, constraints=LinearConstraint(m.a, m.lo, m.hi), integrality=m.integrality,
                   bounds=Bounds(m.lb, m.ub), options={"node_limit": int(nodes), "mip_rel_gap": gap})
        if res.x is not None or res.status not in (1, 4):  # found one, or infeasible: no more nodes help
            break
    pairs = _pairs(problem, candidate)
    if res.x is None:
        return None, None, None, pairs, False
    sol = res.x
    open_ = np.zeros(problem.n_sites, dtype=bool)
    open_[m.cand] = np.round(sol[m.y_of]) > 0.5
    seats = np.zeros((problem.n_sites, problem.n_classes), dtype=np.int64)
    seats[m.cand] = np.round(sol[m.s_of]).astype(np.int64)
    x = _split_merged(problem, merged, group, pairs, m.pairs, np.clip(sol[m.x_of], 0.0, None))
    return open_, seats, x, pairs, bool(res.status == 0)


def _merge_points(problem: PlacementProblem, candidate: np.ndarray) -> tuple[PlacementProblem, np.ndarray]:
    """The same problem with the demand points that the same candidate sites reach merged into
    one (their demand summed): interchangeable in any allocation over those sites, so the
    optimum is the same, with a fraction of the assignment variables (HiGHS' work at the root
    grows with them). Returns the merged problem and each original point's merged index (−1:
    reached by no candidate)."""
    reach = problem.reach[np.flatnonzero(candidate)].T.tocsr()  # points × candidate sites
    reach.sort_indices()
    keys = {}
    group = np.full(problem.n_points, -1, dtype=np.int64)
    for p in range(problem.n_points):
        sites = reach.indices[reach.indptr[p]:reach.indptr[p + 1]]
        if len(sites):
            group[p] = keys.setdefault(sites.tobytes(), len(keys))
    members = group >= 0
    demand = np.zeros((max(len(keys), 1), problem.n_classes))
    np.add.at(demand, group[members], problem.demand[members])
    first = np.zeros(len(keys), dtype=np.int64)
    first[group[members][::-1]] = np.flatnonzero(members)[::-1]  # a member of each group: its reach
    reach_merged = problem.reach[:, first] if len(keys) else sp.csr_array((problem.n_sites, 1))
    return dataclasses.replace(problem, demand=demand, reach=sp.csr_array(reach_merged)), group


def _split_merged(problem: PlacementProblem, merged: PlacementProblem, group: np.ndarray, pairs: _Pairs,
                  merged_pairs: _Pairs, x_merged: np.ndarray) -> np.ndarray:
    """The assignment of :func:`_merge_points`' merged points shared back among their members in
    proportion to their demand (each member is reached by the same sites, so every share fits)."""
    lookup = {(int(j), int(g), int(k)): v for j, g, k, v in zip(merged_pairs.site, merged_pairs.point,
                                                                 merged_pairs.cls, x_merged, strict=True)}
    g = group[pairs.point]
    total = merged.demand[g, pairs.cls]
    share = np.divide(problem.demand[pairs.point, pairs.cls], total, out=np.zeros(len(g)), where=total > 0)
    return np.array([lookup.get((int(j), int(gg), int(k)), 0.0) for j, gg, k in zip(pairs.site, g, pairs.cls,
                                                                                     strict=True)]) * share


class _RelaxedLP:
    """The LP of :func:`_relax` over every site that may open, kept in HiGHS (``highspy``) for the
    whole search: an open set fixes the open variables (1 open, 0 closed, which closes a site's
    seats and assignments), and each solve starts from the last basis (the dual simplex needs a
    few pivots where a new model needs a full solve)."""

    def __init__(self, problem: PlacementProblem, candidate: np.ndarray) -> None:
        self.p = problem
        # every site that may open is in the model (open or closed by its bounds): no cap on their number here
        self.m = m = _build(dataclasses.replace(problem, max_sites=None), candidate, fixed_open=True)
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("presolve", "off")  # it would drop the basis the next solve starts from
        self.h.passModel(highs_lp(m.c, m.a, m.lb, m.ub, m.lo, m.hi))
        self.y = m.y_of.astype(np.int32)

    def solve(self, open_: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(variables, row duals) with exactly the sites of ``open_`` open, or None."""
        y = open_[self.m.cand].astype(float)
        self.h.changeColsBounds(len(self.y), self.y, y, y)
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            self.h.clearSolver()  # numerical trouble from the warm start: once more from scratch
            self.h.run()
            if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None
        sol = self.h.getSolution()
        return np.asarray(sol.col_value), np.asarray(sol.row_dual)


@dataclass(frozen=True)
class _Relaxed:
    """The LP relaxation of :func:`allocate` for an open set (seats may be fractional):
    children served, seats, assignment, and the shadow prices of demand (π, the value of one
    more child of demand at each (point, class); 0 where some stay unserved) and of the budget
    (λ, children per seat or per yen)."""

    value: float
    open: np.ndarray
    seats: np.ndarray
    x: np.ndarray
    pairs: _Pairs
    pi: np.ndarray
    lam: float


def _idle(problem: PlacementProblem, open_: np.ndarray, pairs: _Pairs, x: np.ndarray) -> np.ndarray:
    """The open sites that serve nobody in the assignment ``x`` (forced open ones excepted)."""
    load = np.bincount(pairs.site, weights=x, minlength=problem.n_sites)
    idle = open_ & (load <= TOLERANCE)
    idle[list(problem.forced_open)] = False
    return idle


def _relax_kept(lp: _RelaxedLP, open_: np.ndarray) -> _Relaxed:
    """:func:`_relax` on the kept model ``lp`` (falls back to :func:`_relax` if HiGHS fails)."""
    problem, m = lp.p, lp.m
    n_c = problem.n_classes
    if not open_.any():
        return _relax(problem, open_)
    for _ in range(2):
        got = lp.solve(open_)
        if got is None:
            return _relax(problem, open_)
        v, row_dual = got
        x = np.clip(v[m.x_of], 0.0, None)
        idle = _idle(problem, open_, m.pairs, x)
        if not idle.any():
            break
        open_ = open_ & ~idle
    pi = np.zeros(problem.n_points * n_c)
    pi[m.demand_keys] = -row_dual[:len(m.demand_keys)]
    seats = np.zeros((problem.n_sites, n_c))
    seats[m.cand] = np.clip(v[m.s_of], 0.0, None)
    return _Relaxed(float(x.sum()), open_.copy(), seats, x, m.pairs, pi.reshape(problem.n_points, n_c),
                    float(-row_dual[m.budget_row]))


def _relax(problem: PlacementProblem, open_: np.ndarray) -> _Relaxed:
    """Solve the LP relaxation of :func:`allocate` (HiGHS through ``linprog``, for its duals);
    open sites that serve nobody are closed (unless forced) and the LP solved again."""
    n_c = problem.n_classes
    if not open_.any():
        none = np.zeros(0, dtype=np.int64)
        return _Relaxed(0.0, open_.copy(), np.zeros((problem.n_sites, n_c)), np.zeros(0), _Pairs(none, none, none),
                        np.zeros((problem.n_points, n_c)), 0.0)
    for _ in range(2):
        m = _build(problem, open_, fixed_open=True)
        upper, lower = np.isfinite(m.hi), np.isfinite(m.lo)
        a_ub = sp.vstack([m.a[upper], -m.a[lower]]).tocsr()
        b_ub = np.concatenate([m.hi[upper], -m.lo[lower]])
        res = linprog(m.c, A_ub=a_ub, b_ub=b_ub, bounds=np.column_stack([m.lb, m.ub]), method="highs")
        if res.status != 0:
            raise RuntimeError(f"HiGHS could not solve the relaxed allocation: {res.message}")
        x = np.clip(res.x[m.x_of], 0.0, None)
        idle = _idle(problem, open_, m.pairs, x)
        if not idle.any():
            break
        open_ = open_ & ~idle
    duals = np.zeros(len(m.hi))
    duals[upper] = -res.ineqlin.marginals[:int(upper.sum())]
    pi = np.zeros(problem.n_points * n_c)
    pi[m.demand_keys] = duals[:len(m.demand_keys)]
    seats = np.zeros((problem.n_sites, n_c))
    seats[m.cand] = np.clip(res.x[m.s_of], 0.0, None)
    return _Relaxed(float(x.sum()), open_.copy(), seats, x, m.pairs, pi.reshape(problem.n_points, n_c),
                    float(duals[m.budget_row]))


# --------------------------------------------------------------------------- results


def _tidy(problem: PlacementProblem, open_: np.ndarray, seats: np.ndarray, x: np.ndarray, pairs: _Pairs,
          close_idle: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Make a solver's answer exactly feasible and lean.

    Assignments are clipped to the demand and seats (solver round-off, ~1e-9); with
    ``close_idle`` a site serving nobody is closed unless forced open; each class keeps the
    seats its children use, rounded up, topped up to ``min_seats`` from the seats it had.
    Returns (open, seats, x).
    """
    n_c = problem.n_classes
    x = np.clip(np.asarray(x, dtype=float), 0.0, problem.demand[pairs.point, pairs.cls])
    key = pairs.point * n_c + pairs.cls
    got = np.bincount(key, weights=x, minlength=problem.n_points * n_c)
    over = got > problem.demand.reshape(-1)
    if over.any():
        scale = np.ones_like(got)
        scale[over] = problem.demand.reshape(-1)[over] / got[over]
        x = x * scale[key]
    sc = pairs.site * n_c + pairs.cls
    seats = np.where(open_[:, None], seats, 0).astype(np.int64)
    open_ = open_.copy()
    if close_idle:
        busy = np.bincount(pairs.site, weights=x, minlength=problem.n_sites) > TOLERANCE
        idle = open_ & ~busy
        idle[list(problem.forced_open)] = False
        open_[idle] = False
        seats[idle] = 0
        x = np.where(open_[pairs.site], x, 0.0)
    load = np.bincount(sc, weights=x, minlength=problem.n_sites * n_c).reshape(-1, n_c)
    trimmed = np.minimum(seats, np.ceil(load - 1e-7).astype(np.int64)).clip(0)
    deficit = np.where(open_, problem.min_seats - trimmed.sum(axis=1), 0)
    for j in np.flatnonzero(deficit > 0):
        spare = seats[j] - trimmed[j]
        for a in np.argsort(-spare, kind="stable"):
            add = min(int(spare[a]), int(deficit[j]))
            trimmed[j, a] += add
            deficit[j] -= add
    seats = trimmed
    over = load > seats + 0.0
    if over.any():  # a load a hair above its (integer) seats: scale that class at that site down
        scale = np.ones_like(load)
        scale[over] = seats[over] / load[over]
        x = x * scale.reshape(-1)[sc]
    return open_, seats, x


def _placement(problem: PlacementProblem, open_: np.ndarray, seats: np.ndarray, x: np.ndarray, pairs: _Pairs,
               method: str, optimal: bool) -> Placement:
    n_c = problem.n_classes
    by_point = _served_by_point(problem, x, pairs)
    by_site = np.bincount(pairs.site * n_c + pairs.cls, weights=x,
                          minlength=problem.n_sites * n_c).reshape(problem.n_sites, n_c)
    return Placement(open=open_.copy(), seats=seats.copy(), served=float(by_point.sum()), served_by_point=by_point,
                     served_by_site=by_site,
                     cost_yen=float((problem.cost_per_seat[:, None] * seats).sum()), total_seats=int(seats.sum()),
                     method=method, optimal=optimal)


def _empty(problem: PlacementProblem, method: str, optimal: bool) -> Placement:
    none = np.zeros(0, dtype=np.int64)
    return _placement(problem, np.zeros(problem.n_sites, dtype=bool),
                      np.zeros((problem.n_sites, problem.n_classes), dtype=np.int64), np.zeros(0),
                      _Pairs(none, none, none), method, optimal)


def _open_mask(problem: PlacementProblem, open_sites: np.ndarray) -> np.ndarray:
    sites = np.asarray(open_sites).reshape(-1)
    if sites.dtype == bool:
        if sites.shape != (problem.n_sites,):
            raise ValueError(f"a boolean open_sites must have shape ({problem.n_sites},), not {sites.shape}")
        return sites.copy()
    if sites.size and (not np.issubdtype(sites.dtype, np.integer) or sites.min() < 0 or sites.max() >= problem.n_sites):
        raise ValueError(f"open_sites must be a boolean mask or site indices from 0 to {problem.n_sites - 1}")
    mask = np.zeros(problem.n_sites, dtype=bool)
    mask[sites.astype(np.int64)] = True
    return mask


def _allocate(problem: PlacementProblem, mask: np.ndarray, close_idle: bool,
              node_limit: int = NODE_LIMIT) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Pairs]:
    """Exact seats and assignment for the open set ``mask`` (tidied); see :func:`allocate`."""
    if not mask.any():
        none = np.zeros(0, dtype=np.int64)
        return mask.copy(), np.zeros((problem.n_sites, problem.n_classes), dtype=np.int64), np.zeros(0), \
            _Pairs(none, none, none)
    open_, seats, x, pairs, _ = _solve_milp(problem, mask, fixed_open=True, node_limit=node_limit)
    if open_ is None:
        raise RuntimeError("HiGHS found no allocation for the open sites within its node limit")
    open_, seats, x = _tidy(problem, open_, seats, x, pairs, close_idle)
    return open_, seats, x, pairs


def allocate(problem: PlacementProblem, open_sites: np.ndarray, node_limit: int = NODE_LIMIT) -> Placement:
    """The best seats and assignment for a given set of open sites (exact for that set).

    ``open_sites``: a boolean mask (n_sites,) or site indices. Every site in the set is opened
    with at least ``min_seats`` seats, even one that serves nobody; forced open sites must be in
    the set and forced closed ones not. Seats are whole (a seat is a seat) and chosen per class,
    so this is a small MILP (integer seats, continuous assignment, the open/closed choice
    fixed), solved with HiGHS through :func:`scipy.optimize.milp` rather than an LP with
    ``linprog``: the LP gives fractional seats, and rounding them down loses children while
    rounding up can break the budget. With whole demand HiGHS proves it optimal in
    milliseconds to tenths of a second; with fractional demand and a budget in yen it may stop
    after ``node_limit`` branch-and-bound nodes with its best (see the module docstring).

    Seats are then trimmed to what each class uses, rounded up (topped up to ``min_seats``).
    Raises :class:`ValueError` when the set cannot be opened: a site too small for
    ``min_seats`` or taking no class, more sites than ``max_sites``, or ``min_seats`` at every
    site already over the budget. The result has ``method="allocate"``, ``optimal=False``
    (it is optimal for the set, not necessarily the best set).
    """
    mask = _open_mask(problem, open_sites)
    bad = sorted(set(problem.forced_closed) & set(np.flatnonzero(mask).tolist()))
    if bad:
        raise ValueError(f"sites {bad} are forced closed but in open_sites")
    missing = sorted(set(problem.forced_open) - set(np.flatnonzero(mask).tolist()))
    if missing:
        raise ValueError(f"sites {missing} are forced open but not in open_sites")
    small = np.flatnonzero(mask & ((problem.capacity < problem.min_seats) | ~problem.class_allowed.any(axis=1)))
    if small.size:
        raise ValueError(f"sites {small.tolist()} cannot hold min_seats = {problem.min_seats} "
                         "(capacity too small or no class allowed)")
    if problem.max_sites is not None and mask.sum() > problem.max_sites:
        raise ValueError(f"{int(mask.sum())} sites are open but max_sites = {problem.max_sites}")
    need = float(problem.unit_cost[mask].sum() * problem.min_seats)
    if need > problem.budget + TOLERANCE:
        raise ValueError(f"min_seats = {problem.min_seats} at each of the {int(mask.sum())} open sites needs "
                         f"{need:,.0f} {problem.budget_kind}, more than the budget of {problem.budget:,.0f}")
    open_, seats, x, pairs = _allocate(problem, mask, close_idle=False, node_limit=node_limit)
    return _placement(problem, open_, seats, x, pairs, "allocate", False)


# --------------------------------------------------------------------------- the heuristic


class _Greedy:
    """Lazy greedy over sites (Minoux 1978) on the residual (still unmet) demand.

    A site's *offer* is the seats it would add given the residual demand it reaches and the
    budget left: the reachable residual per allowed class, rounded up to whole seats, capped by
    its spare capacity and by the budget; a closed site must take at least ``min_seats`` (an
    open one may grow by any number). Its gain is the children those seats serve; the greedy
    takes the best offer by gain per unit of budget (``"ratio"``) or by gain (``"gain"``, which
    suits a binding ``max_sites``), consumes the demand it serves — at the points that fewest
    sites reach first — and repeats. Gains only fall as it goes (less residual, less budget),
    so a stale key is an upper bound and lazy evaluation is exact.
    """

    def __init__(self, problem: PlacementProblem) -> None:
        self.p = problem
        reach = problem.reach
        self.reach = reach
        self.unit = problem.unit_cost
        self.cap = problem.capacity
        self.allowed = problem.class_allowed
        degree = np.asarray(reach.sum(axis=0)).reshape(-1)
        self.pts = []
        for j in range(problem.n_sites):
            p = reach.indices[reach.indptr[j]:reach.indptr[j + 1]]
            self.pts.append(p[np.argsort(degree[p], kind="stable")])
        self.usable = (problem.capacity >= problem.min_seats) & problem.class_allowed.any(axis=1)
        self.usable[list(problem.forced_closed)] = False

    def _max_seats(self, j: int, budget_left: float, now: int) -> int:
        w = self.unit[j]
        spare = int(self.cap[j]) - now
        if w <= 0:
            return spare
        return int(min(spare, np.floor(budget_left / w + 1e-9)))

    def offer(self, j: int, residual: np.ndarray, budget_left: float, now: int = 0, force: bool = False
              ) -> tuple[float, np.ndarray, float] | None:
        """(children served, seats added per class, budget used) of growing site j (``now``
        seats; 0 = closed) now, or None."""
        least = self.p.min_seats if now == 0 else 1
        smax = self._max_seats(j, budget_left, now)
        if smax < least:
            return None
        want = residual[self.pts[j]].sum(axis=0) * self.allowed[j]
        total = float(want.sum())
        if total <= TOLERANCE and not force:
            return None
        s = max(min(smax, int(np.ceil(total - 1e-9))), least)
        seats = _split(want, s, self.allowed[j])
        return float(np.minimum(seats, want).sum()), seats, float(s * self.unit[j])

    def bound_keys(self, residual: np.ndarray, budget_left: float, candidates: np.ndarray, now: np.ndarray,
                   mode: str) -> list[tuple[float, float, int]]:
        """Heap entries (negated keys) with an upper bound of every candidate's key, vectorised."""
        want = (self.reach @ residual) * self.allowed
        total = want.sum(axis=1)
        unit = self.unit
        by_budget = np.where(unit > 0, np.floor(budget_left / np.where(unit > 0, unit, 1.0) + 1e-9), np.inf)
        smax = np.minimum(self.cap - now, by_budget)
        least = np.where(now == 0, self.p.min_seats, 1)
        gain = np.minimum(np.maximum(np.minimum(smax, np.ceil(total - 1e-9)), least), total)
        ok = candidates & (smax >= least) & (total > TOLERANCE)
        # gain ≤ bound and budget used ≥ unit·max(gain, least): the key is at most
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(unit > 0, gain / (unit * np.maximum(gain, least)), np.inf)
        first, second = (ratio, gain) if mode == "ratio" else (gain, ratio)
        return [(-float(first[j]), -float(second[j]), int(j)) for j in np.flatnonzero(ok)]

    def key(self, served: float, used: float, mode: str) -> tuple[float, float]:
        ratio = served / used if used > 0 else np.inf
        return (ratio, served) if mode == "ratio" else (served, ratio)

    def consume(self, j: int, seats: np.ndarray, residual: np.ndarray) -> None:
        pts = self.pts[j]
        sub = residual[pts] * self.allowed[j]
        take = np.minimum(seats, sub.sum(axis=0))
        before = np.cumsum(sub, axis=0) - sub
        residual[pts] -= np.clip(take[None, :] - before, 0.0, sub)
        np.clip(residual, 0.0, None, out=residual)

    def run(self, residual: np.ndarray, budget_left: float, open_: np.ndarray, mode: str,
            now: np.ndarray | None = None, grow: bool = False) -> float:
        """Open (and with ``grow``, enlarge open) sites greedily; updates ``open_`` and
        ``residual`` in place, returns the budget left. ``now``: seats per site so far."""
        p = self.p
        now = np.zeros(p.n_sites, dtype=np.int64) if now is None else now.copy()
        room = np.inf if p.max_sites is None else p.max_sites - int(open_.sum())
        candidates = self.usable & (~open_ if not grow else (~open_ | (now > 0)))
        heap = self.bound_keys(residual, budget_left, candidates, now, mode)
        heapq.heapify(heap)
        while heap:
            _, _, j = heapq.heappop(heap)
            if not open_[j] and room <= 0:
                continue
            got = self.offer(j, residual, budget_left, int(now[j]))
            if got is None:
                continue
            served, seats, used = got
            k = self.key(served, used, mode)
            if heap and (k[0], k[1]) < (-heap[0][0], -heap[0][1]):
                heapq.heappush(heap, (-k[0], -k[1], j))
                continue
            if not open_[j]:
                open_[j] = True
                room -= 1
            now[j] += int(seats.sum())
            budget_left -= used
            self.consume(j, seats, residual)
        return budget_left


def _split(want: np.ndarray, total: int, allowed: np.ndarray) -> np.ndarray:
    """``total`` whole seats over the classes in proportion to ``want``, none beyond ⌈want⌉
    unless ``total`` exceeds Σ⌈want⌉ (min_seats), whose rest goes to the allowed class wanted most."""
    want = np.where(allowed, want, 0.0)
    sum_want = float(want.sum())
    target = want * min(1.0, total / sum_want) if sum_want > 0 else np.zeros_like(want)
    seats = np.floor(target + 1e-9).astype(np.int64)
    rest = total - int(seats.sum())
    ceil = np.ceil(want - 1e-9).astype(np.int64)
    for a in np.argsort(-(target - seats), kind="stable"):
        if rest <= 0:
            break
        if seats[a] < ceil[a]:
            seats[a] += 1
            rest -= 1
    if rest > 0:
        a = int(np.argmax(np.where(allowed, want + 1.0, -1.0)))
        seats[a] += rest
    return seats


def _served_by_point(problem: PlacementProblem, x: np.ndarray, pairs: _Pairs) -> np.ndarray:
    n_c = problem.n_classes
    return np.bincount(pairs.point * n_c + pairs.cls, weights=x,
                       minlength=problem.n_points * n_c).reshape(problem.n_points, n_c)


def _start(problem: PlacementProblem, g: _Greedy) -> tuple[np.ndarray, np.ndarray, float]:
    """Open the forced sites greedily, keeping min_seats for each forced site still to open."""
    residual = problem.demand.copy()
    budget_left = problem.budget
    open_ = np.zeros(problem.n_sites, dtype=bool)
    forced = list(problem.forced_open)
    m = problem.min_seats
    while forced:
        best = None
        for j in forced:
            reserve = sum(m * g.unit[k] for k in forced if k != j)
            got = g.offer(j, residual, budget_left - reserve, force=True)
            if got is not None and (best is None or g.key(got[0], got[2], "ratio") > best[0]):
                best = (g.key(got[0], got[2], "ratio"), j, got)
        if best is None:  # cannot happen after PlacementProblem._check_forced; be explicit anyway
            raise ValueError("the forced open sites do not fit in the budget")
        _, j, (_, seats, used) = best
        open_[j] = True
        budget_left -= used
        g.consume(j, seats, residual)
        forced.remove(j)
    return open_, residual, budget_left


def _better(a: _Relaxed, b: _Relaxed) -> bool:
    """More children served, or as many with fewer sites."""
    return a.value > b.value + TOLERANCE or (a.value > b.value - TOLERANCE and a.open.sum() < b.open.sum())


def _lp_start(p: PlacementProblem, g: _Greedy) -> np.ndarray | None:
    """Sites by their value in the LP relaxation of the whole problem (open[j] in [0, 1]; the
    strong linking makes it nearly whole; a thousandth of a child per site breaks ties towards
    fewer sites), taken from the largest while min_seats at each fits the budget and
    ``max_sites``; None if the LP fails or has more than ``LP_START_MAX_VARIABLES`` variables
    (tens of milliseconds for a city with sites reaching 5–30 points; about a second when each
    reaches ~50)."""
    candidate = g.usable.copy()
    if not candidate.any():
        return None
    m = _build(p, candidate, fixed_open=False)
    if len(m.c) > LP_START_MAX_VARIABLES:
        return None
    c = m.c.copy()
    c[m.y_of] = 1e-3  # among equal LPs, fewer sites
    res = milp(c, constraints=LinearConstraint(m.a, m.lo, m.hi), bounds=Bounds(m.lb, m.ub))
    if res.status != 0 or res.x is None:
        return None
    y = np.zeros(p.n_sites)
    y[m.cand] = res.x[m.y_of]
    mask = np.zeros(p.n_sites, dtype=bool)
    mask[list(p.forced_open)] = True
    need = float(g.unit[mask].sum()) * p.min_seats
    room = np.inf if p.max_sites is None else p.max_sites - int(mask.sum())
    for j in np.argsort(-y, kind="stable"):
        if y[j] < 0.5 or room <= 0:
            break
        if mask[j] or need + g.unit[j] * p.min_seats > p.budget + TOLERANCE:
            continue
        mask[j] = True
        need += g.unit[j] * p.min_seats
        room -= 1
    return mask


def _priced_additions(p: PlacementProblem, g: _Greedy, sol: _Relaxed) -> list[tuple[float, np.ndarray]]:
    """Moves that open one closed site, estimated with the shadow prices of the current set.

    With π[i, a] the value of one more child of demand at (i, a) and λ that of one more unit
    of budget (:class:`_Relaxed`), a seat of site k for a child at (i, a) is worth
    1 − π[i, a] − λ·unit[k]: a whole child if nobody is serving them, the budget saved if a
    dearer site is. The best ``capacity`` of those, less the budget of the seats left idle
    below ``min_seats``, estimate the gain of opening k. If ``max_sites`` is reached or the
    budget cannot hold min_seats there too, the open site worth least (children served − λ ×
    its budget) is closed in exchange.
    """
    open_, pi, lam = sol.open, sol.pi, sol.lam
    if not open_.any():
        return []
    load = np.bincount(sol.pairs.site, weights=sol.x, minlength=p.n_sites)
    worth = load - lam * g.unit * sol.seats.sum(axis=1)
    worth[~open_] = np.inf
    worth[list(p.forced_open)] = np.inf
    swap_out = int(np.argmin(worth)) if np.isfinite(worth).any() else None
    moves = []
    for k in np.flatnonzero(g.usable & ~open_):
        pts = g.pts[k]
        v = (1.0 - pi[pts] - lam * g.unit[k]).reshape(-1)
        q = (p.demand[pts] * g.allowed[k]).reshape(-1)
        keep = (v > TOLERANCE) & (q > 0)
        if not keep.any():
            continue
        order = np.argsort(-v[keep], kind="stable")
        v, q = v[keep][order], q[keep][order]
        q = np.minimum(q, np.clip(p.capacity[k] - (np.cumsum(q) - q), 0.0, None))
        gain = float((v * q).sum()) - max(0.0, p.min_seats - float(q.sum())) * lam * g.unit[k]
        if gain <= TOLERANCE:
            continue
        mask = open_.copy()
        mask[k] = True
        if not _fits(p, g, mask):
            if swap_out is None:
                continue
            mask[swap_out] = False
            gain -= float(worth[swap_out])
            if not _fits(p, g, mask):
                continue
        moves.append((sol.value + gain, mask))
    return moves


def _fits(p: PlacementProblem, g: _Greedy, mask: np.ndarray) -> bool:
    """Whether min_seats at every site of ``mask`` fits the budget and ``max_sites``."""
    if p.max_sites is not None and int(mask.sum()) > p.max_sites:
        return False
    return float(g.unit[mask].sum()) * p.min_seats <= p.budget + TOLERANCE


def _lp_bound(problem: PlacementProblem, candidate: np.ndarray) -> float:
    """The most children the MILP of :func:`_solve_milp` over ``candidate`` could serve: its LP
    relaxation (HiGHS, tens of milliseconds where the MILP's root takes tenths of a second),
    rounded down to a whole grain when children are counted in grains (:func:`_grain`). The
    MILP's answer, and so anything it could replace a placement with, is at most this."""
    grain = _grain(problem.demand)
    merged, _ = _merge_points(problem, candidate)
    m = _build(merged, candidate, fixed_open=False, grain=grain)
    res = milp(m.c, constraints=LinearConstraint(m.a, m.lo, m.hi), bounds=Bounds(m.lb, m.ub))
    if res.status != 0 or res.fun is None:
        return np.inf  # no bound: let the MILP decide
    served = -float(res.fun)
    return float(np.floor(served + 1e-7) / grain) if grain else served


def _served_bound(problem: PlacementProblem, g: _Greedy, most: float) -> float:
    """An upper bound of the children any placement serves: ``most`` (e.g. :func:`most_servable`)
    and the whole seats the budget buys at the cheapest usable site (one seat serves one child)."""
    unit = g.unit[g.usable]
    if not unit.size:
        return 0.0
    cheapest = float(unit.min())
    seats = np.floor(problem.budget / cheapest + 1e-9) if cheapest > 0 else np.inf
    return float(min(most, seats))


def place_heuristic(problem: PlacementProblem, node_limit: int = NODE_LIMIT, most: float | None = None
                    ) -> Placement:
    """A good placement, fast: lazy greedy, local improvement, then exact seats for the set.

    1. Starts: forced open sites first, then lazy greedy (:class:`_Greedy`) by children served
       per unit of budget, and again by children served (which suits a binding
       ``max_sites``); and the sites the LP relaxation of the whole problem opens
       (:func:`_lp_start`). Each start is judged by its relaxed allocation (:func:`_relax`,
       the LP of :func:`allocate`); the best is kept.
    2. Local improvement, each move judged by its relaxed allocation and kept only if that
       serves more children (or as many with fewer sites): *fill* (open sites greedily with
       the budget the allocation left over), *drop and refill* (close one site, return its
       children and budget, let open sites grow and closed ones open greedily) and *priced
       addition* (:func:`_priced_additions`: open the site the LP's shadow prices say pays
       most, swapping out the site worth least when the budget or ``max_sites`` is full).
       Each round, the ``LOCAL_CHECKS`` most promising moves by their estimates are solved
       until one improves; rounds go on until none does.
    3. Whole seats: :func:`allocate` on the set found, then the MILP of :func:`place_optimal`
       restricted to that set and the sites of the ``RESTRICTED_MOVES`` best moves not taken
       (a few more sites than open); the better of the two. Each stops after ``node_limit``
       branch-and-bound nodes; with whole demand they finish (proved) well within it, with
       fractional demand they may stop there with their best. Nothing stops on the clock:
       the same problem gives the same placement however busy the machine.

    The relaxed allocation takes milliseconds where the whole-seat one can take tenths of a
    second (a budget in yen makes it a knapsack), so the search runs on the LP and pays for
    whole seats at the end. The relaxed allocations of one search share one HiGHS model over
    every site that may open (:class:`_RelaxedLP`), each open set solved from the last basis:
    about a third of a plan's time on the sample city. Where an open set's LP has several
    optima, the basis decides which one the search sees, so the search can end elsewhere than
    with a model built afresh for each set (on the sample city's budgets of 100–850 places: the
    same plan for 64 of 76, one child more for 1, one or two fewer for 4). When the whole-seat
    allocation already serves as many children as any placement could (the lesser of ``most``,
    :func:`most_servable` unless given, and the seats the budget buys), or as many as the LP
    relaxation of the restricted MILP allows
    (:func:`_lp_bound`), the restricted MILP is skipped: it only ever replaces a placement
    that serves fewer, so the answer is the same and comes sooner. Returns
    ``method="heuristic"``, ``optimal=False``. On the tests' random instances it matches
    :func:`place_optimal`; on :func:`benchmark_instance` cities (150–300 sites × 1,200 points)
    it matched the optimum in 0.1–0.6 s with whole demand and came within 0.1 % in ≤ 1 s with
    fractional demand.
    """
    p = problem
    g = _Greedy(p)
    open0, residual0, budget0 = _start(p, g)
    may_open = g.usable.copy()
    may_open[list(p.forced_open)] = True
    kept = _RelaxedLP(p, may_open) if may_open.any() else None
    def relax(mask: np.ndarray) -> _Relaxed:
        return _relax_kept(kept, mask) if kept is not None else _relax(p, mask)

    forced = set(p.forced_open)

    sol, mode, best_greedy = None, "ratio", None
    for m in ("ratio", "gain", "lp"):
        if m == "lp":
            mask = _lp_start(p, g)
            if mask is None:
                continue
        else:
            mask, residual = open0.copy(), residual0.copy()
            g.run(residual, budget0, mask, m)
        s = relax(mask)
        if m != "lp" and (best_greedy is None or s.value > best_greedy + TOLERANCE):
            best_greedy, mode = s.value, m
        if sol is None or _better(s, sol):
            sol = s
    seen = {sol.open.tobytes()}
    last_tries: list = []
    for _ in range(LOCAL_ROUNDS):
        open_, seats, x, pairs, value = sol.open, sol.seats, sol.x, sol.pairs, sol.value
        now = np.ceil(seats.sum(axis=1) - 1e-7).astype(np.int64)
        budget_left = p.budget - float((g.unit[:, None] * seats).sum())
        residual = np.clip(p.demand - _served_by_point(p, x, pairs), 0.0, None)
        tries = []
        # fill: the budget the allocation left over
        mask = open_.copy()
        r = residual.copy()
        g.run(r, budget_left, mask, mode, now=now)
        if (mask != open_).any():
            tries.append((value + float(residual.sum() - r.sum()), mask))
        # drop one site and refill
        for j in np.flatnonzero(open_):
            if j in forced:
                continue
            mine = pairs.site == j
            r = residual.copy()
            np.add.at(r, (pairs.point[mine], pairs.cls[mine]), x[mine])
            mask = open_.copy()
            mask[j] = False
            now_j = now.copy()
            now_j[j] = 0
            usable, g.usable[j] = g.usable[j], False
            before = float(r.sum())
            g.run(r, budget_left + float(g.unit[j] * seats[j].sum()), mask, mode, now=now_j, grow=True)
            g.usable[j] = usable
            tries.append((value - float(x[mine].sum()) + before - float(r.sum()), mask))
        tries += _priced_additions(p, g, sol)
        tries.sort(key=lambda t: -t[0])
        last_tries = tries
        improved = False
        checked = 0
        for estimate, mask in tries:
            if checked >= LOCAL_CHECKS or estimate < value - LOCAL_SLACK:
                break
            if mask.tobytes() in seen or not _fits(p, g, mask):
                continue
            seen.add(mask.tobytes())
            checked += 1
            s = relax(mask)
            if _better(s, sol):
                sol, improved = s, True
                break
        if not improved:
            break
    # whole seats: the exact allocation of the set found, then the MILP restricted to that set
    # and the sites of the best moves not taken (small: it solves in tenths of a second)
    best = _allocate(p, sol.open, close_idle=True, node_limit=node_limit)
    bound = _served_bound(p, g, most_servable(p) if most is None else most)
    if float(best[2].sum()) >= bound - TOLERANCE:  # as many as any placement could serve
        open_, seats, x, pairs = best
        return _placement(p, open_, seats, x, pairs, "heuristic", False)
    candidate = sol.open.copy()
    for _, mask in last_tries[:RESTRICTED_MOVES]:
        candidate |= mask
    if candidate.any() and float(best[2].sum()) >= _lp_bound(p, candidate) - TOLERANCE:
        candidate[:] = False  # the restricted MILP cannot serve more: its LP relaxation says so
    o2, s2, x2, pairs2, _ = (_solve_milp(p, candidate, fixed_open=False, node_limit=node_limit) if candidate.any()
                             else (None,) * 5)
    if o2 is not None:
        o2, s2, x2 = _tidy(p, o2, s2, x2, pairs2, close_idle=True)
        if float(x2.sum()) > float(best[2].sum()) + TOLERANCE:
            best = (o2, s2, x2, pairs2)
    open_, seats, x, pairs = best
    return _placement(p, open_, seats, x, pairs, "heuristic", False)


def place_optimal(problem: PlacementProblem, node_limit: int = EXACT_NODE_LIMIT, mip_rel_gap: float = 1e-6
                  ) -> Placement:
    """The best placement: the full MILP solved by HiGHS (:func:`scipy.optimize.milp`).

    Variables: open[j] binary, seats[j, a] integer (0 where the class is not allowed),
    x[i, j, a] ≥ 0 only for reachable pairs with demand (and, when demand is whole, children
    served per site and class as integers; see :func:`_solve_milp`). Besides the model's
    constraints (see the module docstring) it has the strong linking
    x[i, j, a] ≤ demand[i, a]·open[j], which makes the LP relaxation tight. Solved to a
    relative gap of ``mip_rel_gap`` (1e-6) within ``node_limit`` branch-and-bound nodes;
    ``optimal`` says whether HiGHS proved it to that gap. With whole demand that takes about a
    second for 300 sites × 1,200 points; with fractional demand and a budget in yen it may stop
    at the node limit — ``mip_rel_gap=1e-3`` (0.1 %) then proves it at the root.

    Many placements often serve the same most children (e.g. a seat budget spread over any
    number of sites), so a second MILP (:data:`NODE_LIMIT` nodes) then looks for the fewest of
    the sites it opened that serve as many (within 5 %, or the best it found). If the node limit stops the
    first MILP, the better of its incumbent and :func:`place_heuristic` is returned (``method``
    says which). Work limits only: the same problem gives the same answer on any machine.
    """
    p = problem
    candidate = (p.capacity >= p.min_seats) & p.class_allowed.any(axis=1)
    candidate[list(p.forced_closed)] = False
    if not candidate.any() or p.max_sites == 0 or not (p.demand > 0).any():
        if p.forced_open:  # they fit (PlacementProblem checks), with no children to serve
            open_, seats, x, pairs = _allocate(p, _open_mask(p, np.asarray(p.forced_open)), close_idle=False)
            return _placement(p, open_, seats, x, pairs, "milp", True)
        return _empty(p, "milp", True)
    open_, seats, x, pairs, optimal = _solve_milp(p, candidate, fixed_open=False, node_limit=node_limit,
                                                  gap=mip_rel_gap)
    if open_ is None or not optimal:
        fallback = place_heuristic(p)
        if open_ is None or fallback.served > float(x.sum()) + TOLERANCE:
            return fallback
    open_, seats, x = _tidy(p, open_, seats, x, pairs, close_idle=True)
    served = float(x.sum())
    if optimal and served > TOLERANCE:
        # the tie-break: the fewest of the sites it opened that serve as many (small, so quick)
        o2, s2, x2, pairs2, _ = _solve_milp(p, open_, fixed_open=False, node_limit=NODE_LIMIT,
                                            at_least=served, gap=0.05, escalate=False)
        if o2 is not None:
            o2, s2, x2 = _tidy(p, o2, s2, x2, pairs2, close_idle=True)
            if float(x2.sum()) >= served - TOLERANCE and o2.sum() < open_.sum():
                open_, seats, x, pairs = o2, s2, x2, pairs2
    return _placement(p, open_, seats, x, pairs, "milp", optimal)


# --------------------------------------------------------------------------- benchmark


def benchmark_instance(n_sites: int, n_points: int, seed: int, budget_kind: str = "yen") -> PlacementProblem:
    """A realistic random city for benchmarks (not real data).

    * Points: the centres of a block of 1/2-mesh cells, 570 m east–west × 460 m north–south
      (the size of a 1/2 mesh at ~35°N), about square.
    * Demand: waiting children concentrated in 4–7 clusters (Gaussian bumps 0.8–2 km wide over
      a thin background), Poisson counts, about 1.2 per point in all; split by age 0歳 15 %,
      1・2歳 65 %, 3〜5歳 20 % (most of Japan's waitlist is aged 1–2).
    * Sites: scattered uniformly over the area; reach 800 m (a 10-minute walk); capacity 20–120
      seats; 2–6 million yen per seat; a quarter are 0–2歳 only (like 小規模保育).
    * Budget: ``"yen"`` — about 40 % of the total demand at the mean cost per seat;
      ``"seats"`` — 40 % of the total demand.
    """
    rng = np.random.default_rng(seed)
    dx, dy = 570.0, 460.0
    cols = max(1, int(np.ceil(np.sqrt(n_points * dy / dx))))
    idx = np.arange(n_points)
    point_xy = np.column_stack([(idx % cols + 0.5) * dx, (idx // cols + 0.5) * dy])
    width, height = point_xy[:, 0].max() + dx / 2, point_xy[:, 1].max() + dy / 2
    n_clusters = int(rng.integers(4, 8))
    centres = rng.uniform([0, 0], [width, height], size=(n_clusters, 2))
    spread = rng.uniform(800, 2000, size=n_clusters)
    weight = rng.uniform(0.5, 1.5, size=n_clusters)
    d2 = ((point_xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    intensity = 0.05 + (weight * np.exp(-d2 / (2 * spread**2))).sum(axis=1)
    intensity *= 1.2 * n_points / intensity.sum()
    shares = np.array([0.15, 0.65, 0.20])
    demand = rng.poisson(intensity[:, None] * shares[None, :]).astype(float)
    site_xy = rng.uniform([0, 0], [width, height], size=(n_sites, 2))
    reach = reach_matrix(site_xy, point_xy, 800.0)
    capacity = rng.integers(20, 121, size=n_sites)
    cost = rng.uniform(2e6, 6e6, size=n_sites)
    allowed = np.ones((n_sites, 3), dtype=bool)
    allowed[rng.random(n_sites) < 0.25, 2] = False
    total = float(demand.sum())
    budget = 0.4 * total * (4e6 if budget_kind == "yen" else 1.0)
    return PlacementProblem(demand=demand, reach=reach, capacity=capacity, cost_per_seat=cost, budget=budget,
                            budget_kind=budget_kind, class_allowed=allowed)
