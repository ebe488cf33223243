"""Expensive things built once per test session and shared by every test file.

* ``small_city`` — the synthetic city at scale 0.1 (a threshold of 100 hides most of its
  district counts), written to a folder that ``EBPM_DATA_DIR`` can point at;
* ``small_city_moved`` — the same city with people moved where the publication cannot see it
  (:func:`analytics.testing.move_within_published_cells`), for the perturbation test;
* ``published_small_city`` — builds the publications of both at the thresholds the tests use,
  before any timed AppTest run (their suppression patterns land in each folder's ``cache/``,
  which the app reads), so that no AppTest run pays for a cold publication.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SMALL_SCALE = 0.1
THRESHOLDS = (10, 100)


def _write(frames, directory: Path) -> Path:
    from analytics.synth import write_sample_data

    write_sample_data(frames, directory)
    return directory


@pytest.fixture(scope="session")
def small_city(tmp_path_factory) -> Path:
    """A city at scale 0.1, where a threshold of 100 hides most district counts in seconds."""
    from analytics.synth import generate_city

    return _write(generate_city(scale=SMALL_SCALE), tmp_path_factory.mktemp("small_city"))


@pytest.fixture(scope="session")
def small_city_moved(small_city, tmp_path_factory) -> Path:
    """The small city with children moved between meshes and single ages, admitted applicants and
    a third of the insured between meshes — each within the published cells it belongs to."""
    from analytics.catalog import Catalog
    from analytics.synth import SyntheticCity
    from analytics.testing import move_within_published_cells

    original = Catalog(small_city)
    moved = move_within_published_cells(original.data(), seed=1)
    directory = _write(SyntheticCity(seed=0, scale=SMALL_SCALE, datasets=moved), tmp_path_factory.mktemp("moved"))
    # Its publication is the original's if the moves kept every published figure: the original's
    # suppression pattern is offered as a cache, which is used only when the counts and relations
    # hash the same (otherwise it is rebuilt, and the test comparing the publications fails).
    copy = Catalog(directory)
    for threshold in THRESHOLDS:
        source, target = original.publication_cache(threshold), copy.publication_cache(threshold)
        original.publication(threshold)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return directory


@pytest.fixture(scope="session")
def published_small_city(small_city, small_city_moved):
    """Both small cities' publications at every threshold the tests use, built and cached on disk
    before any AppTest run times itself: ``{(folder, threshold): Publication}``."""
    from analytics.catalog import Catalog

    return {(d, t): Catalog(d).publication(t) for d in (small_city, small_city_moved) for t in THRESHOLDS}
