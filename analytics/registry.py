"""The one registry of datasets, collected from the domains' declarations.

Each dataset is declared once, in its domain's ``datasets.py``, as a
:class:`~analytics.core.datasets.DatasetSpec`: its contract (columns, types, units, allowed
values, keys, labels, accepted Japanese headers), its file in ``sample_data/``, the generator
part that makes it, the department that usually holds it and the personal items it contains
(for the data-use worksheet), its publication block (the linked tables of people it
contributes to the one publication, :mod:`analytics.core.publication`), its download form, and
the district indicators its domain offers the cross-department district view.

:data:`DATASETS` holds every dataset of every domain listed in :mod:`analytics.domains`, in the
list's order. The catalog, the Data page, the sample-data README and manifest, the regeneration
check and every test that lists datasets enumerate it.

This module reads no data at import time (it collects the declarations) and never imports the
generator.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from analytics import domains
from analytics.core.datasets import DatasetSpec
from analytics.core.publication import Block, Publication, build_publication
from analytics.core.schemas import DatasetSchema

SAMPLE_DATA_DIR = Path(__file__).resolve().parents[1] / "sample_data"
DATA_DIR_ENV = "EBPM_DATA_DIR"  # serve a city generated elsewhere (e.g. at another scale)


def data_dir() -> Path:
    """Where the synthetic city is read from: ``$EBPM_DATA_DIR`` or the committed ``sample_data/``."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else SAMPLE_DATA_DIR


class _Datasets(Mapping[str, DatasetSpec]):
    """The datasets of the listed domains (re-read when the list changes) and any added with
    :func:`registered`; a dataset name declared twice is an error."""

    def __init__(self) -> None:
        self._key: tuple[str, ...] | None = None
        self._declared: dict[str, DatasetSpec] = {}
        self.added: dict[str, DatasetSpec] = {}

    def _current(self) -> dict[str, DatasetSpec]:
        key = tuple(domains.PACKAGES)
        if key != self._key:
            declared: dict[str, DatasetSpec] = {}
            for domain in domains.domains():
                for entry in domain.datasets:
                    if entry.name in declared:
                        raise ValueError(f"dataset {entry.name!r} is declared twice")
                    declared[entry.name] = entry
            self._declared, self._key = declared, key
        return {**self._declared, **self.added}

    def __getitem__(self, name: str) -> DatasetSpec:
        return self._current()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


DATASETS: Mapping[str, DatasetSpec] = _Datasets()
len(DATASETS)  # collect now: a dataset declared twice fails when this module is imported


def names() -> list[str]:
    """Dataset names in the registry's order."""
    return list(DATASETS)


def spec(name: str) -> DatasetSpec:
    """The registry entry of ``name`` (KeyError names the known datasets)."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {names()}") from None


def contract(name: str) -> DatasetSchema:
    """The contract of dataset ``name``."""
    return spec(name).schema


def references(name: str) -> tuple[tuple[str, str, str], ...]:
    """What dataset ``name`` refers to, as (column, dataset, its column): its mesh codes must be
    in ``meshes``, its district IDs in ``districts`` (except in those datasets themselves), plus
    the entry's own ``refers`` (e.g. facility IDs)."""
    columns = contract(name).column_names
    shared = tuple((c, ref, c) for c, ref in (("mesh_code", "meshes"), ("district_id", "districts"))
                   if c in columns and name != ref)
    return (*shared, *spec(name).refers)


def publication_blocks(data: Mapping[str, pd.DataFrame]) -> list[Block]:
    """The publication blocks of the datasets present in ``data``, in the registry's order."""
    return [s.publication for s in DATASETS.values() if s.publication is not None and s.name in data]


def publication_code_hash(names: Iterable[str]) -> str:
    """A hash of the code that builds the publication of the datasets ``names``: every module of the packages
    that hold its blocks (a block calls its domain's counting code) and the core's publication,
    privacy and audit modules. Part of the key of a stored publication: changed code rebuilds it."""
    import analytics.core as core

    core_dir = Path(core.__file__).parent
    files = {core_dir / f for f in ("publication.py", "privacy.py", "audit.py")}
    names = set(names)
    blocks = [s.publication for s in DATASETS.values() if s.publication is not None and s.name in names]
    for block in blocks:
        module = sys.modules.get(getattr(block, "__module__", ""), None)
        if module is not None and getattr(module, "__file__", None):
            files |= set(Path(module.__file__).parent.glob("*.py"))
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def publish(data: Mapping[str, pd.DataFrame], threshold: int, cache: Path | None = None) -> Publication:
    """The one publication of ``data``: every registered block, suppressed together."""
    return build_publication(data, threshold, publication_blocks(data), cache)


def download_tables(data: Mapping[str, pd.DataFrame], pub: Publication, total_label: str) -> dict[str, pd.DataFrame]:
    """The downloadable form of every dataset in ``data``: reference rows, or the suppressed
    tables of the publication ``pub`` (never person-level rows)."""
    return {
        s.name: s.reference_table(data[s.name]) if s.download is None else s.download(pub, total_label)
        for s in DATASETS.values()
        if s.name in data
    }


@contextmanager
def registered(entry: DatasetSpec) -> Iterator[DatasetSpec]:
    """Add ``entry`` to the registry for the duration of a ``with`` block (for tests and tools)."""
    if entry.name in DATASETS:
        raise ValueError(f"dataset {entry.name!r} is already registered")
    DATASETS.added[entry.name] = entry
    try:
        yield entry
    finally:
        DATASETS.added.pop(entry.name, None)
