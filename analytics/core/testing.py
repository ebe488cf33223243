"""Disclosure checks for tests, in the style of ``geopandas.testing``.

One checker serves the unit tests of every domain's publication and the page scan that walks
every page (``tests/page_scan.py``): whatever is shown — a number, ``"1,234人"``, ``"<10"``,
``"χ"`` — :func:`parse_count` reads it as a reader would, and :func:`small_counts` lists the
shown counts from 1 to threshold − 1. :func:`intruder_audit` re-runs the LP audit of a
publication from what it shows alone, and :func:`assert_no_disclosure` fails unless every
primary count keeps the whole range its label allows. :func:`move_within_published_cells`
changes only what the publication cannot see, for the perturbation test.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analytics.core.audit import AuditResult, Relations, audit
from analytics.core.privacy import SECONDARY_LABEL
from analytics.core.publication import Publication

_COUNT = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?\s*(人|persons?)?$|^-?\d+(\.\d+)?$")
_HIDDEN = re.compile(r"^<\d[\d,]*$")


def parse_count(value: object) -> float | None:
    """The count a shown value states, or ``None`` if it states none (a suppression label
    ``<10`` / ``χ``, an empty cell, a dash). Raises ``ValueError`` for text that is neither:
    a value marked as a count of people must read as one."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"not a count: {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if math.isnan(float(value)) else abs(float(value))
    text = str(value).strip()
    if text in ("", "—", "-", SECONDARY_LABEL, "nan", "None") or _HIDDEN.match(text):
        return None
    if _COUNT.match(text):
        return abs(float(re.sub(r"[^\d.\-]", "", text)))
    raise ValueError(f"not a count: {value!r}")


def small_counts(items: Iterable[tuple[str, object]], threshold: int) -> list[tuple[str, object]]:
    """The ``(where, value)`` items whose value shows a count from 1 to ``threshold − 1``
    (or is unreadable as a count: those are returned too, as they cannot be checked)."""
    found = []
    for where, value in items:
        try:
            n = parse_count(value)
        except ValueError:
            found.append((f"{where} (not a count)", value))
            continue
        if n is not None and 0 < n < threshold:
            found.append((where, value))
    return found


def intruder_audit(pub: Publication, every_hidden: bool = False) -> AuditResult:
    """The LP audit of ``pub`` from what it shows (hidden counts are never read).

    A ``χ`` label tells the intruder its count is at least the threshold, so a complementary
    hidden count enters the label ranges as non-zero (the threshold stands in for it; only
    "non-zero" is read there), never as a shown zero — which would make the targets the audit
    judges by meaningless (e.g. ``[10, 9]`` for a small part of a χ whole)."""
    shown = np.nan_to_num(np.asarray(pub.shown, dtype=float), nan=0.0)
    shown[np.asarray(pub.hidden) & ~np.asarray(pub.primary)] = pub.threshold
    relations = Relations.build(len(shown), pub.equations, pub.inequalities)
    return audit(shown, np.asarray(pub.hidden), np.asarray(pub.primary), relations, pub.threshold,
                 every_hidden=every_hidden)


def assert_no_disclosure(pub: Publication) -> None:
    """Fail if the publication shows a count from 1 to threshold − 1, if a label disagrees with
    what is hidden, or if the LP audit narrows any primary count beyond what its label allows."""
    shown = pub.shown[~pub.hidden]
    small = shown[(shown > 0) & (shown < pub.threshold)]
    assert small.size == 0, f"shown counts below {pub.threshold}: {small[:10]}"
    assert np.array_equal(np.isnan(pub.shown), pub.hidden), "hidden cells must be exactly the NaN ones"
    labels = small_counts(((i, lab) for i, lab in enumerate(pub.labels)), pub.threshold)
    assert not labels, f"labels showing small counts: {labels[:10]}"
    result = intruder_audit(pub)
    bad = result.unprotected
    assert not len(bad), (
        f"{len(bad)} small counts narrowed beyond their label, e.g. cell {bad[0]}: "
        f"[{result.lower[bad[0]]}, {result.upper[bad[0]]}] vs "
        f"[{result.target_lower[bad[0]]}, {result.target_upper[bad[0]]}]")


# ----------------------------------------------------------------------------- unpublished detail


def move_within_published_cells(data: Mapping[str, pd.DataFrame], seed: int = 0) -> dict[str, pd.DataFrame]:
    """The city's datasets with people moved where the publication cannot see it.

    Every published figure stays exactly as it was; only detail finer than the publication
    changes, so a page whose counts and count estimates depend on people only through the
    publication shows exactly the same numbers on both (the perturbation test). Moves:

    * ``population``, every fiscal year and district: all children aged 0–5 of one 500 m mesh
      move to another mesh of the district, and as many adults (20+) move back, so that both
      meshes keep their residents; then, in every mesh, the 3-year-olds become 1-year-olds and
      the 5-year-olds 8-year-olds (each stays in its 5-year group, its sex and its mesh). Per
      district × sex × 5-year group, per mesh and per broad age group nothing changes.
    * ``nursery_applications``: admitted children live in another mesh of their district
      (admitted children enter no distance and no count by mesh).
    * ``checkups``: a third of the insured live in another mesh of their district.

    Returns new frames for those datasets and the others unchanged."""
    rng = np.random.default_rng(seed)
    out = dict(data)
    meshes = data["meshes"].assign(mesh_code=lambda m: m["mesh_code"].astype(str),
                                   district_id=lambda m: m["district_id"].astype(str))
    district_of = meshes.drop_duplicates("mesh_code").set_index("mesh_code")["district_id"]
    meshes_of = meshes.groupby("district_id")["mesh_code"].agg(list)
    if "population" in data:
        out["population"] = _move_residents(data["population"], district_of, rng)

    def elsewhere(codes: pd.Series) -> np.ndarray:
        """Another mesh of the same district for each code (itself when the district has one)."""
        moved = []
        for code in codes.astype(str):
            options = [m for m in meshes_of.get(district_of.get(code), [code]) if m != code] or [code]
            moved.append(options[int(rng.integers(len(options)))])
        return np.array(moved, dtype=object)

    if "nursery_applications" in data:
        apps = data["nursery_applications"].copy()
        admitted = apps["admitted"].astype(bool).to_numpy()
        apps.loc[admitted, "mesh_code"] = elsewhere(apps.loc[admitted, "mesh_code"])
        out["nursery_applications"] = apps.astype({"mesh_code": data["nursery_applications"]["mesh_code"].dtype})
    if "checkups" in data:
        checkups = data["checkups"].copy()
        persons = checkups["person_id"].drop_duplicates()
        chosen = persons.sample(frac=1 / 3, random_state=seed)
        first = checkups[checkups["person_id"].isin(chosen)].drop_duplicates("person_id")
        new_mesh = dict(zip(first["person_id"], elsewhere(first["mesh_code"]), strict=True))
        rows = checkups["person_id"].isin(chosen).to_numpy()
        # a person keeps one mesh per district: only rows in the district of the new mesh move
        target = checkups.loc[rows, "person_id"].map(new_mesh)
        same = (target.map(district_of) == checkups.loc[rows, "district_id"].astype(str)).to_numpy()
        idx = checkups.index[rows][same]
        checkups.loc[idx, "mesh_code"] = target[same].to_numpy()
        out["checkups"] = checkups.astype({"mesh_code": data["checkups"]["mesh_code"].dtype})
    return out


def _move_residents(population: pd.DataFrame, district_of: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """See :func:`move_within_published_cells` (population)."""
    counts: dict[tuple, int] = {}
    for fy, mesh, sex, age, n in population[["fiscal_year", "mesh_code", "sex", "age", "population"]].itertuples(
            index=False):
        key = (int(fy), str(mesh), str(sex), int(age))
        counts[key] = counts.get(key, 0) + int(n)

    def move(src: tuple, dst: tuple, n: int) -> None:
        counts[src] -= n
        counts[dst] = counts.get(dst, 0) + n

    by_place: dict[tuple, list[tuple]] = {}
    for key, n in counts.items():
        if n > 0:
            by_place.setdefault((key[0], district_of.get(key[1])), []).append(key)
    for (_fy, district), keys in sorted(by_place.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if district is None:
            continue
        mesh_codes = sorted({k[1] for k in keys})
        children = {m: [k for k in keys if k[1] == m and k[3] <= 5] for m in mesh_codes}
        with_children = [m for m in mesh_codes if children[m]]
        if len(mesh_codes) < 2 or not with_children:
            continue
        a = with_children[int(rng.integers(len(with_children)))]
        others = [m for m in mesh_codes if m != a]
        b = others[int(rng.integers(len(others)))]
        adults = [k for k in keys if k[1] == b and k[3] >= 20]
        room = sum(counts[k] for k in adults)
        moved = 0
        for k in children[a]:
            n = min(counts[k], room - moved)
            if n > 0:
                move(k, (k[0], b, k[2], k[3]), n)
                moved += n
        for k in adults:
            n = min(counts[k], moved)
            if n > 0:
                move(k, (k[0], a, k[2], k[3]), n)
                moved -= n
    for key in [k for k, n in list(counts.items()) if n > 0 and k[3] in (3, 5)]:
        move(key, (key[0], key[1], key[2], 1 if key[3] == 3 else 8), counts[key])
    rows = sorted((k, n) for k, n in counts.items() if n > 0)
    out = pd.DataFrame([(*k, n) for k, n in rows], columns=["fiscal_year", "mesh_code", "sex", "age", "population"])
    return out.astype({c: population[c].dtype for c in out.columns})
