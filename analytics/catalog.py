"""The one seam for data: each session asks its :class:`Catalog` for a dataset by name.

The catalog serves the synthetic city (the registry's files in :func:`analytics.registry.data_dir`,
``sample_data/`` unless ``$EBPM_DATA_DIR`` points elsewhere). A planner's validated upload
can replace one dataset for one catalog (one browser session) with :meth:`Catalog.replace`;
pages never read files and never know which source they got.

The synthetic frames are read once per process and shared read-only between sessions;
:meth:`Catalog.get` hands out copy-on-write shallow copies (pandas ≥ 3), so a page that
modifies its frame can never change another session's data.

:meth:`Catalog.publication` builds the one publication of everything the catalog serves
(:func:`analytics.registry.publish`); for the synthetic city its suppression pattern is kept
on disk beside the data (``cache/``), keyed on the data's content, the threshold and the
rule's version, so a new process does not redo it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analytics import files, registry
from analytics.publication import RULE_VERSION, Publication
from analytics.schemas import DatasetSchema, Problem, conform, resolve_aliases, validate

SourceKind = Literal["synthetic", "upload"]
CACHE_DIR = "cache"


@dataclass(frozen=True)
class DatasetSource:
    """Where a dataset in a catalog comes from."""

    kind: SourceKind
    label: str  # file name for uploads, "合成市 (synthetic)" otherwise
    fingerprint: str  # changes whenever the data change: use it as a cache key


@cache
def _sample(name: str, directory: str) -> pd.DataFrame:
    return registry.spec(name).read(Path(directory))


@cache
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def _digest(path: Path) -> str:
    """Content digest of a file (cached per path, modification time and size)."""
    st = path.stat()
    return _file_digest(str(path), st.st_mtime_ns, st.st_size)


class Catalog:
    """Datasets by name for one session: the synthetic city unless replaced by an upload."""

    def __init__(self, sample_dir: Path | None = None):
        self._sample_dir = Path(sample_dir) if sample_dir is not None else registry.data_dir()
        self._uploads: dict[str, tuple[pd.DataFrame, DatasetSource]] = {}

    def names(self) -> list[str]:
        """Dataset names in the registry's order."""
        return registry.names()

    def schema(self, name: str) -> DatasetSchema:
        return registry.contract(name)

    def get(self, name: str) -> pd.DataFrame:
        """The dataset ``name`` (a GeoDataFrame for boundaries). Treat it as read-only."""
        if name in self._uploads:
            return self._uploads[name][0].copy(deep=False)
        registry.spec(name)  # KeyError naming the known datasets
        return _sample(name, str(self._sample_dir)).copy(deep=False)

    def data(self) -> dict[str, pd.DataFrame]:
        """Every dataset as currently served."""
        return {n: self.get(n) for n in self.names()}

    def n_rows(self, name: str) -> int:
        """Number of rows of dataset ``name`` as currently served."""
        return len(self.get(name))

    def source(self, name: str) -> DatasetSource:
        if name in self._uploads:
            return self._uploads[name][1]
        entry = registry.spec(name)
        return DatasetSource("synthetic", "合成市 (synthetic)",
                             f"synthetic:{name}:{_digest(self._sample_dir / entry.file)}")

    def fingerprint(self, *names: str) -> str:
        """One cache key for the given datasets' current contents (all datasets when none given)."""
        parts = [self.source(n).fingerprint for n in (names or self.names())]
        return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]

    def is_synthetic(self) -> bool:
        """True while every dataset is the synthetic city's."""
        return not self._uploads

    def publication(self, threshold: int) -> Publication:
        """The one publication of every dataset served (see :func:`analytics.registry.publish`).

        For the synthetic city the suppression pattern is cached beside the data; a planner's
        data is never written to disk.
        """
        return registry.publish(self.data(), threshold, self.publication_cache(threshold))

    def publication_cache(self, threshold: int) -> Path | None:
        """Where the suppression pattern of the synthetic city is kept (``None`` for a planner's data)."""
        if not self.is_synthetic():
            return None
        name = f"publication-{self.fingerprint()}-t{int(threshold)}-{RULE_VERSION}.npz"
        return self._sample_dir / CACHE_DIR / name

    def replace(self, name: str, df: pd.DataFrame, label: str) -> list[Problem]:
        """Use ``df`` for ``name`` in this catalog only, if it passes :func:`validate`.

        Returns the problems found. When any is an error, nothing changes: the dataset
        in use before stays in use.
        """
        problems = validate(registry.contract(name), df)
        if not any(p.severity == "error" for p in problems):
            self._store(name, df, label)
        return problems

    def _store(self, name: str, df: pd.DataFrame, label: str) -> None:
        """Serve ``df`` (validated) for ``name`` in this catalog, in the contract's shape."""
        data = conform(registry.contract(name), df)
        frame = data.drop(columns="geometry", errors="ignore")
        digest = hashlib.sha1(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()[:16]
        self._uploads[name] = (data, DatasetSource("upload", label, f"upload:{name}:{digest}"))

    def references(self, name: str, df: pd.DataFrame) -> list[Problem]:
        """Meshes and districts ``df`` (a planner's ``name``) refers to that the data in use do not
        hold: errors, as their rows would silently vanish from every figure (the mesh table and
        the districts themselves are the references and are not checked against themselves)."""
        df = resolve_aliases(registry.contract(name), df)
        out = []
        for column, ref in (("mesh_code", "meshes"), ("district_id", "districts")):
            if column not in df.columns or name == ref or ref not in self.names():
                continue
            known = set(self.get(ref)[column].astype(str))
            values = df[column].map(lambda v: None if v is None or pd.isna(v) else str(v).strip())
            unknown = values.notna() & ~values.isin(known)
            if not unknown.any():
                continue
            examples = "、".join(pd.unique(values[unknown])[:5])
            first = int(np.flatnonzero(unknown.to_numpy())[0])
            title = self.schema(ref).title_ja
            out.append(Problem(
                name, "error", first + 2, column, examples,
                f"{int(unknown.sum()):,}行の「{column}」が使用中の{title}にありません（例: {examples}）",
                f"{int(unknown.sum()):,} rows have a {column} that the {self.schema(ref).title_en} in use does not "
                f"hold (e.g. {examples})",
                f"値を直すか、先に{title}のデータを読み込んでください",
                f"Correct the values, or load your {self.schema(ref).title_en} first"))
        return out

    def load_file(self, name: str, source, label: str | None = None, *, max_bytes: int | None = None,
                  apply: bool = True) -> list[Problem]:
        """Read a planner's file for ``name`` (a path, or the bytes ``st.file_uploader`` gives:
        CSV in UTF-8 / UTF-8 with BOM / CP932 / UTF-16, Excel ``.xlsx``, GeoJSON; see
        :func:`analytics.files.read_table`) and use it in this catalog only if it passes
        :func:`validate` (as :meth:`replace`). Returns every problem, reading and contract
        alike, located at the lines a planner sees in the file; when any is an error the
        dataset in use before stays in use. ``apply=False`` only checks (the upload screen's
        staging step). Never raises for a file's content."""
        geometry = any(c.dtype == "geometry" for c in registry.contract(name).columns)
        kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
        read = files.read_table(source, dataset=name, geometry=geometry, **kwargs)
        if not read.ok:
            return read.problems
        filename = label or getattr(source, "name", None) or (Path(source).name if isinstance(source, (str, Path))
                                                               else name)
        problems = validate(registry.contract(name), read.frame)
        if not any(p.severity == "error" for p in problems):
            problems += self.references(name, read.frame)
        if apply and not any(p.severity == "error" for p in problems):
            self._store(name, read.frame, str(filename))
        lines = read.line_of_row

        def located(p: Problem) -> Problem:
            pos = None if p.row is None else p.row - 2  # validate counts data rows from line 2
            return replace(p, row=lines[pos]) if pos is not None and 0 <= pos < len(lines) else p

        return [*read.problems, *(located(p) for p in problems)]

    def reset(self, name: str | None = None) -> None:
        """Go back to the synthetic data for ``name`` (or for every dataset)."""
        if name is None:
            self._uploads.clear()
        else:
            self._uploads.pop(name, None)
