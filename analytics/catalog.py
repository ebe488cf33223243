"""The one seam for data: each session asks its :class:`Catalog` for a dataset by name.

Today the catalog serves the committed synthetic city from ``sample_data/``. A planner's
validated upload can replace one dataset for one catalog (one browser session) with
:meth:`Catalog.replace`; pages never read files and never know which source they got.

The synthetic frames are read once per process and shared read-only between sessions;
:meth:`Catalog.get` hands out copy-on-write shallow copies (pandas ≥ 3), so a page that
modifies its frame can never change another session's data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from analytics.schemas import SCHEMAS, DatasetSchema, Problem, conform, schema, validate
from analytics.synth import DATASET_FILES, SAMPLE_DATA_DIR, read_sample_data

SourceKind = Literal["synthetic", "upload"]


@dataclass(frozen=True)
class DatasetSource:
    """Where a dataset in a catalog comes from."""

    kind: SourceKind
    label: str  # file name for uploads, "合成市 (synthetic)" otherwise
    fingerprint: str  # changes whenever the data change: use it as a cache key


@lru_cache(maxsize=None)
def _sample(name: str, directory: str) -> pd.DataFrame:
    return read_sample_data(name, Path(directory))


class Catalog:
    """Datasets by name for one session: the synthetic city unless replaced by an upload."""

    def __init__(self, sample_dir: Path = SAMPLE_DATA_DIR):
        self._sample_dir = str(sample_dir)
        self._uploads: dict[str, tuple[pd.DataFrame, DatasetSource]] = {}

    def names(self) -> list[str]:
        """Dataset names in the order of the contracts."""
        return [n for n in SCHEMAS if n in DATASET_FILES]

    def schema(self, name: str) -> DatasetSchema:
        return schema(name)

    def get(self, name: str) -> pd.DataFrame:
        """The dataset ``name`` (a GeoDataFrame for boundaries). Treat it as read-only."""
        if name in self._uploads:
            return self._uploads[name][0].copy(deep=False)
        if name not in DATASET_FILES:
            raise KeyError(f"unknown dataset {name!r}; known: {self.names()}")
        return _sample(name, self._sample_dir).copy(deep=False)

    def n_rows(self, name: str) -> int:
        """Number of rows of dataset ``name`` as currently served."""
        return len(self.get(name))

    def source(self, name: str) -> DatasetSource:
        if name not in DATASET_FILES and name not in self._uploads:
            raise KeyError(f"unknown dataset {name!r}; known: {self.names()}")
        if name in self._uploads:
            return self._uploads[name][1]
        return DatasetSource("synthetic", "合成市 (synthetic)", f"synthetic:{self._sample_dir}:{name}")

    def fingerprint(self, *names: str) -> str:
        """One cache key for the given datasets' current sources (all datasets when none given)."""
        parts = [self.source(n).fingerprint for n in (names or self.names())]
        return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]

    def is_synthetic(self) -> bool:
        """True while every dataset is the synthetic city's."""
        return not self._uploads

    def replace(self, name: str, df: pd.DataFrame, label: str) -> list[Problem]:
        """Use ``df`` for ``name`` in this catalog only, if it passes :func:`validate`.

        Returns the problems found. When any is an error, nothing changes: the dataset
        in use before stays in use.
        """
        problems = validate(name, df)
        if any(p.severity == "error" for p in problems):
            return problems
        data = conform(name, df)
        digest = hashlib.sha1(pd.util.hash_pandas_object(data.drop(columns="geometry", errors="ignore"), index=False).to_numpy().tobytes()).hexdigest()[:16]
        self._uploads[name] = (data, DatasetSource("upload", label, f"upload:{name}:{digest}"))
        return problems

    def reset(self, name: str | None = None) -> None:
        """Go back to the synthetic data for ``name`` (or for every dataset)."""
        if name is None:
            self._uploads.clear()
        else:
            self._uploads.pop(name, None)
