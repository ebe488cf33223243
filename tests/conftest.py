"""Expensive things built once per test session and shared by every test file.

* ``small_city`` — the synthetic city at scale 0.1 (a threshold of 100 hides most of its
  district counts), written to a folder that ``EBPM_DATA_DIR`` can point at;
* ``small_city_moved`` — the same city with people moved where the publication cannot see it
  (:func:`analytics.core.testing.move_within_published_cells`), for the perturbation test;
* ``published_small_city`` — builds the publications of both at the thresholds the tests use,
  before any timed AppTest run (their suppression patterns land in each folder's ``cache/``,
  which the app reads), so that no AppTest run pays for a cold publication;
* ``default_publication`` — the default city's publication, loaded into the app's own shared
  cache (``st.cache_resource``) before the first AppTest run of the default city.

The small cities are built by the first worker that needs them, in a folder every worker of the
run shares (the others wait for it); publications and the default city are loaded once per worker.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

SMALL_SCALE = 0.1
THRESHOLDS = (10, 100)


@pytest.fixture(scope="session", autouse=True)
def _own_store(tmp_path_factory):
    """The tests' scenario store, apart from the project's (``.store/``); a test that needs an
    empty one sets ``store_path`` in its app's secrets."""
    from ui.session import STORE_ENV

    os.environ[STORE_ENV] = str(tmp_path_factory.mktemp("store") / "ebpm.sqlite")
    yield


def _write(frames, directory: Path) -> Path:
    from analytics.synth import write_sample_data

    write_sample_data(frames, directory)
    return directory


@contextmanager
def _exclusive(path: Path):
    """One process at a time (pytest-xdist workers share the folders built below)."""
    with path.open("w") as handle:
        try:
            import fcntl
        except ImportError:  # no POSIX locks (Windows): the workers would build in turn anyway
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _shared_root(tmp_path_factory) -> Path:
    """A folder every worker of this test run sees (its own base folder without pytest-xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_small_cities(root: Path) -> tuple[Path, Path]:
    """The small city and its moved twin, with their suppression patterns on disk, built once."""
    from analytics.catalog import Catalog
    from analytics.core.testing import move_within_published_cells
    from analytics.synth import SyntheticCity, generate_city

    city, moved = root / "small_city", root / "small_city_moved"
    ready = root / "small_cities.ready"
    with _exclusive(root / "small_cities.lock"):
        if ready.exists():
            return city, moved
        original = Catalog(_write(generate_city(scale=SMALL_SCALE), city))
        frames = move_within_published_cells(original.data(), seed=1)
        copy = Catalog(_write(SyntheticCity(seed=0, scale=SMALL_SCALE, datasets=frames), moved))
        # The moved city's publication is the original's if the moves kept every published figure:
        # the original's suppression pattern is offered as its cache, used only when the counts and
        # relations hash the same (otherwise it is rebuilt, and the test comparing them fails).
        for threshold in THRESHOLDS:
            original.publication(threshold)
            target = copy.publication_cache(threshold)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original.publication_cache(threshold), target)
        ready.touch()
    return city, moved


@pytest.fixture(scope="session")
def small_cities(tmp_path_factory) -> tuple[Path, Path]:
    return _build_small_cities(_shared_root(tmp_path_factory))


@pytest.fixture(scope="session")
def small_city(small_cities) -> Path:
    """A city at scale 0.1, where a threshold of 100 hides most district counts in seconds."""
    return small_cities[0]


@pytest.fixture(scope="session")
def small_city_moved(small_cities) -> Path:
    """The small city with children moved between meshes and single ages, admitted applicants and
    a third of the insured between meshes — each within the published cells it belongs to."""
    return small_cities[1]


@pytest.fixture(scope="session")
def published_small_city(small_city, small_city_moved):
    """Both small cities' publications at every threshold the tests use, built and cached on disk
    before any AppTest run times itself: ``{(folder, threshold): Publication}``."""
    from analytics.catalog import Catalog

    return {(d, t): Catalog(d).publication(t) for d in (small_city, small_city_moved) for t in THRESHOLDS}


@pytest.fixture(scope="session")
def default_publication():
    """The default city's publication at the default threshold (from ``sample_data/cache/``, or
    built), put in the app's shared cache as a page would, so no AppTest run pays for it."""
    from analytics.catalog import Catalog
    from analytics.core.privacy import DEFAULT_THRESHOLD
    from ui.session import _publication

    cat = Catalog()
    return _publication(cat.fingerprint(), DEFAULT_THRESHOLD, cat)
