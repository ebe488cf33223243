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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd

from analytics import registry
from analytics.consistency import cross_checks, missing_references
from analytics.core import files as files_module
from analytics.core.normalise import normalise
from analytics.core.publication import RULE_VERSION, Publication, read_stored_publication, store_publication
from analytics.core.schemas import DatasetSchema, Problem, conform, resolve_aliases, validate

SourceKind = Literal["synthetic", "upload"]
Progress = Callable[[float, str, str], None]  # (share done, dataset, step: "read", "check" or "cross")
CACHE_DIR = "cache"


@dataclass(frozen=True)
class DatasetSource:
    """Where a dataset in a catalog comes from."""

    kind: SourceKind
    label: str  # file name for uploads, "合成市 (synthetic)" otherwise
    fingerprint: str  # changes whenever the data change: use it as a cache key


@dataclass(frozen=True)
class StagedFiles:
    """Planners' files checked together (:meth:`Catalog.check_files`), ready for :meth:`Catalog.use`."""

    problems: dict[str, list[Problem]]  # every problem by dataset, at the files' lines
    frames: dict[str, pd.DataFrame]  # the checked tables in the contract's shape; empty when any has an error
    labels: dict[str, str]  # dataset → the file's name
    checked_against: str = ""  # the catalog's fingerprint when they were checked

    @property
    def ok(self) -> bool:
        """Whether the files can be used (none has an error)."""
        return bool(self.frames)


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


def _unchecked(name: str, exc: Exception) -> Problem:
    """The error for a table whose checks failed unexpectedly: it is not used."""
    return Problem(name, "error", None, None, type(exc).__name__,
                   f"ファイルを確認できませんでした（想定していない内容です: {type(exc).__name__}）",
                   f"The file could not be checked (unexpected content: {type(exc).__name__})",
                   "見出し行・列・値の形式がテンプレートどおりか確かめてください",
                   "Check that the header, columns and values follow the template")


def _located(p: Problem, lines: list[int]) -> Problem:
    """``p`` (rows counted from line 2, as :func:`validate` counts) at the lines of the planner's file."""
    return p.located(lines)


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

    def link_prints(self, pub: Publication) -> dict[str, str]:
        """What a scenario link's data mark digests, per dataset in the registry's order
        (:func:`analytics.core.scenario.data_mark`): a dataset about people by what ``pub`` shows
        of it (a digest of its rows would let an intruder who knows all but one person test
        guesses about that one), any other by its fingerprint."""
        out = {}
        for name in self.names():
            sch = self.schema(name)
            out[name] = pub.digest(name) if sch.person_level or sch.person_counts else self.source(name).fingerprint
        return out

    def is_synthetic(self) -> bool:
        """True while every dataset is the synthetic city's."""
        return not self._uploads

    def publication(self, threshold: int) -> Publication:
        """The one publication of every dataset served (see :func:`analytics.registry.publish`).

        For the data directory's own files (the synthetic city or the deployment's data) the
        whole built publication is kept on disk (:meth:`publication_store`) and read back by
        every later process; the suppression pattern is kept too (:meth:`publication_cache`), so
        even changed code rebuilds quickly. A planner's data is never written to disk.
        """
        store = self.publication_store(threshold)
        key = self._publication_key(threshold) if store is not None else ""
        if store is not None and (pub := read_stored_publication(store, key)) is not None:
            return pub
        pub = registry.publish(self.data(), threshold, self.publication_cache(threshold))
        if store is not None:
            store_publication(store, key, pub)
        return pub

    def _publication_key(self, threshold: int) -> str:
        code = registry.publication_code_hash(self.names())
        return f"{self.fingerprint()}|{int(threshold)}|{RULE_VERSION}|{code}"

    def publication_store(self, threshold: int) -> Path | None:
        """Where the whole publication of the data directory's files is kept (``None`` for a
        planner's data). One file per threshold: a new key (data, rule or code) overwrites it."""
        if not self.is_synthetic():
            return None
        return self._sample_dir / CACHE_DIR / f"published-t{int(threshold)}.pickle"

    def publication_cache(self, threshold: int) -> Path | None:
        """Where the suppression pattern of the data directory's files is kept (``None`` for a planner's data)."""
        if not self.is_synthetic():
            return None
        name = f"publication-{self.fingerprint()}-t{int(threshold)}-{RULE_VERSION}.npz"
        return self._sample_dir / CACHE_DIR / name

    def replace(self, name: str, df: pd.DataFrame, label: str) -> list[Problem]:
        """Use ``df`` for ``name`` in this catalog only, if it passes the checks of
        :meth:`load_files` (normalised, validated, checked against the other datasets).

        Returns the problems found. When any is an error, nothing changes: the dataset
        in use before stays in use.
        """
        registry.spec(name)  # KeyError naming the known datasets: a programming error, not the file's
        staged = self._staged({name: (df, list(range(2, len(df) + 2)), [], label)}, None)
        self.use(staged)
        return staged.problems[name]

    def load_file(self, name: str, source, label: str | None = None, *, max_bytes: int | None = None,
                  apply: bool = True) -> list[Problem]:
        """Read a planner's file for ``name`` and use it in this catalog only if nothing is wrong
        with it: :meth:`load_files` with one file."""
        return self.load_files({name: (source, label)}, max_bytes=max_bytes, apply=apply)[name]

    def load_files(self, files: Mapping[str, tuple[object, str | None]], *, max_bytes: int | None = None,
                   apply: bool = True, progress: Progress | None = None) -> dict[str, list[Problem]]:
        """Read planners' files (dataset name → (source, label)) and use them together in this
        catalog only if none has an error: :meth:`check_files`, then :meth:`use`. Returns every
        problem by dataset; ``apply=False`` only checks."""
        staged = self.check_files(files, max_bytes=max_bytes, progress=progress)
        if apply:
            self.use(staged)
        return staged.problems

    def check_files(self, files: Mapping[str, tuple[object, str | None]], *, max_bytes: int | None = None,
                    progress: Progress | None = None) -> StagedFiles:
        """Read and check planners' files (dataset name → (source, label)) together, changing nothing.

        ``source`` is a path or the bytes ``st.file_uploader`` gives (CSV in UTF-8 / UTF-8 with BOM /
        CP932 / UTF-16, Excel ``.xlsx``, GeoJSON, GeoPackage; see :func:`analytics.core.files.read_table`).
        Each file is read, normalised (:func:`analytics.core.normalise.normalise`: unambiguous conversions,
        each with a warning), checked against its contract (:func:`validate`), then against the
        other datasets as they would be served with all these files in place
        (:func:`analytics.consistency.cross_checks`: references, places in the city) — so files
        that refer to each other, such as districts and meshes, are checked and replaced at once.
        The problems are located at the lines a planner sees in the file. The result holds the
        checked tables: :meth:`use` serves them without reading the files again (the upload
        screen's staging step). ``progress(share_done, name, step)`` is told as work proceeds.
        Never raises for a file's content.
        """
        for name in files:
            registry.spec(name)  # KeyError naming the known datasets: a programming error, not the file's
        read: dict[str, tuple[pd.DataFrame | None, list[int], list[Problem], str]] = {}
        total = max(len(files), 1)
        for i, (name, (source, label)) in enumerate(files.items()):
            if progress is not None:
                progress(i / total, name, "read")
            geometry = registry.contract(name).has_geometry
            kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
            filename = label or getattr(source, "name", None) or (
                Path(source).name if isinstance(source, (str, Path)) else None)
            result = files_module.read_table(source, contract=registry.contract(name), filename=filename,
                                             geometry=geometry, **kwargs)
            read[name] = (result.frame, result.line_of_row, result.problems, str(filename or name))
        return self._staged(read, progress)

    def use(self, staged: StagedFiles) -> bool:
        """Serve the tables of ``staged`` (:meth:`check_files`) in this catalog, all at once, if none
        had an error and they still agree with the data in use (which may have changed since they
        were checked); returns whether they are served."""
        if not staged.ok:
            return False
        if staged.checked_against != self.fingerprint():  # the data in use changed since: check again
            view = {n: staged.frames.get(n, self.get(n)) for n in self.names()}
            if any(p.severity == "error" for name, frame in staged.frames.items()
                   for p in cross_checks(name, frame, view, staged=staged.frames.keys())):
                return False
        for name, frame in staged.frames.items():
            self._store(name, frame, staged.labels[name])
        return True

    def _staged(self, read: Mapping[str, tuple[pd.DataFrame | None, list[int], list[Problem], str]],
                progress: Progress | None) -> StagedFiles:
        """:meth:`_check` of tables already read; an unforeseen failure is one error, never a traceback."""
        labels = {name: label for name, (_, _, _, label) in read.items()}
        before = self.fingerprint()
        try:
            problems, ready = self._check(read, progress)
        except Exception as exc:  # noqa: BLE001 — a planner's file must never end in a traceback
            return StagedFiles({name: [*found, _unchecked(name, exc)] for name, (_, _, found, _) in read.items()},
                               {}, labels)
        failed = len(ready) < len(read) or any(p.severity == "error" for ps in problems.values() for p in ps)
        return StagedFiles(problems, {} if failed else ready, labels, before)

    def _check(self, read: Mapping[str, tuple[pd.DataFrame | None, list[int], list[Problem], str]],
               progress: Progress | None) -> tuple[dict[str, list[Problem]], dict[str, pd.DataFrame]]:
        """Normalise, validate and cross-check tables already read: (problems, conformed tables that passed
        their contract)."""
        problems: dict[str, list[Problem]] = {}
        ready: dict[str, pd.DataFrame] = {}
        late: dict[str, pd.DataFrame] = {}  # failed the contract: references checked all the same
        total = max(len(read), 1)
        for i, (name, (frame, lines, found, _)) in enumerate(read.items()):
            problems[name] = list(found)
            if frame is None:
                continue
            if progress is not None:
                progress((i + 0.5) / total, name, "check")
            sch = registry.contract(name)
            clean = normalise(sch, frame, lines)
            checked = validate(sch, clean.frame)
            problems[name] += clean.problems + [_located(p, lines) for p in checked]
            if not any(p.severity == "error" for p in checked):
                ready[name] = conform(sch, clean.frame)
            else:  # say now, too, which codes the other datasets lack (in the columns found well-formed)
                resolved = resolve_aliases(sch, clean.frame)
                wrong = {p.column for p in checked if p.severity == "error"}
                if not resolved.columns.duplicated().any():
                    late[name] = resolved.drop(columns=[c for c in resolved.columns if c in wrong])
        if progress is not None:
            progress(1.0, next(iter(read), ""), "cross")
        view = {n: ready.get(n, self.get(n)) for n in self.names()}
        for name, frame in late.items():
            problems[name] += [_located(p, read[name][1]) for p in missing_references(name, frame, view)]
        for name, frame in ready.items():
            lines = read[name][1]
            problems[name] += [_located(p, lines) for p in cross_checks(name, frame, view, staged=read.keys())]
        return problems, ready

    def _store(self, name: str, data: pd.DataFrame, label: str) -> None:
        """Serve ``data`` (validated, conformed) for ``name`` in this catalog."""
        frame = data.drop(columns="geometry", errors="ignore")
        digest = hashlib.sha1(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()[:16]
        self._uploads[name] = (data, DatasetSource("upload", label, f"upload:{name}:{digest}"))

    def uploaded(self) -> list[str]:
        """The datasets served from a planner's file, in the registry's order."""
        return [n for n in self.names() if n in self._uploads]

    def reset(self, name: str | None = None) -> list[str]:
        """Go back to the synthetic data for ``name`` (or for every dataset); returns the datasets
        reset. A planner's dataset that refers to values only ``name``'s file held (meshes of a
        district that the synthetic city does not have) goes back too, so that what is served
        always passes :func:`analytics.consistency.cross_checks`."""
        if name is None:
            gone = self.uploaded()
            self._uploads.clear()
            return gone
        if name not in self._uploads:
            return []
        self._uploads.pop(name)
        gone = [name]
        changed = True
        while changed:
            changed = False
            view = self.data()
            for other in self.uploaded():
                if missing_references(other, view[other], view):
                    self._uploads.pop(other)
                    gone.append(other)
                    changed = True
                    break
        return gone
