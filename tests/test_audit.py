"""Tests of the machinery that makes :func:`analytics.core.audit.protect` fast, against the plain
way of doing the same thing: the kept components against components found afresh, the
programme of one component against slicing every relation, and protection split into the
publication's independent parts against protection of the whole.

The protection guarantee itself is tested in ``tests/test_privacy.py`` and
``tests/test_intruder.py``; these tests say the faster path computes the same thing.
"""

from __future__ import annotations

import numpy as np
import pytest

from analytics.core.audit import HiddenComponents, Relations, _components, protect
from analytics.core.publication import Equation, Inequality

pytestmark = pytest.mark.fast


def _partition(cells: np.ndarray, labels: np.ndarray) -> set[frozenset[int]]:
    """The groups of ``cells`` that share a label (label numbering does not matter)."""
    groups: dict[int, set[int]] = {}
    for c, label in zip(cells.tolist(), labels.tolist(), strict=True):
        groups.setdefault(label, set()).add(c)
    return {frozenset(g) for g in groups.values()}


def _random_relations(rng: np.random.Generator, n: int, m: int) -> Relations:
    """``m`` sums of a few counts each and a few part-of-whole inequalities over ``n`` counts."""
    equations = []
    for _ in range(m):
        cells = rng.choice(n, size=int(rng.integers(2, 5)), replace=False)
        equations.append(Equation(cells, np.r_[np.ones(len(cells) - 1), -1.0]))
    inequalities = [Inequality(np.array([a]), np.array([b])) for a, b in rng.choice(n, size=(m // 4, 2))
                    if a != b]
    return Relations.build(n, equations, inequalities)


@pytest.mark.parametrize("seed", range(5))
def test_kept_components_are_the_components_found_afresh(seed) -> None:
    """Hiding counts a few at a time, the kept components equal :func:`_components` of the
    hidden counts after every step, and a component's stamp changes exactly when it does."""
    rng = np.random.default_rng(seed)
    n = 300
    relations = _random_relations(rng, n, 120)
    x = rng.integers(0, 40, n).astype(float)
    comps = HiddenComponents(x, rng.random(n) < 0.05, relations)
    for _ in range(40):
        before = {int(c): (comps.stamp(c), tuple(comps.members(c))) for c in np.flatnonzero(comps.hidden)}
        comps.hide(rng.choice(n, size=int(rng.integers(1, 6)), replace=False))
        h_idx = np.flatnonzero(comps.hidden)
        assert _partition(*comps.pairs()) == _partition(h_idx, _components(h_idx, relations)[1])
        assert np.array_equal(comps.shown_x, np.where(comps.hidden, 0.0, x))
        for c, (stamp, members) in before.items():
            assert (comps.stamp(c) == stamp) == (tuple(comps.members(c)) == members)
        for c in h_idx[:10]:
            labels = _components(h_idx, relations)[1]
            assert np.array_equal(comps.members(c), h_idx[labels == labels[np.searchsorted(h_idx, c)]])


def _small_city_counts():
    """The counts and relations of the publication of a small synthetic city (several parts:
    the tables of each dataset that share no total)."""
    from analytics import registry
    from analytics.core.publication import PublicationBuilder
    from analytics.synth import generate_city

    data = generate_city(scale=0.1).datasets
    b = PublicationBuilder()
    for block in registry.publication_blocks(data):
        block(b, data)
    x = b._vector()
    return x, Relations.build(len(x), b.equations, b.inequalities)


def test_protecting_the_parts_apart_is_protecting_the_whole(monkeypatch) -> None:
    """protect() split into the publication's independent parts, in this process or in worker
    processes, gives the pattern and the audit of protecting every count at once."""
    from analytics.core import audit as audit_module

    x, relations = _small_city_counts()
    primary = (x > 0) & (x < 10)
    assert _components(np.arange(len(x)), relations)[0] > 1  # the city has independent parts
    whole_hidden, whole = audit_module._protect_one(x, primary, relations, 10)
    monkeypatch.setattr(audit_module, "PARALLEL_MIN_PRIMARY", 0)
    monkeypatch.setattr(audit_module, "_main_is_importable", lambda: True)
    for workers in (1, 2):
        hidden, result = protect(x, primary, relations, 10, workers=workers)
        assert np.array_equal(hidden, whole_hidden), workers
        for field in ("lower", "upper", "target_lower", "target_upper", "checked"):
            assert np.array_equal(getattr(result, field), getattr(whole, field), equal_nan=field != "checked"), field
        assert result.solves == whole.solves and not len(result.unprotected)
