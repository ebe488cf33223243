"""docs/architecture.md stays the map: it names every module of analytics/ and ui/ (and no module
that is gone), and the README links to it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "docs" / "architecture.md"


def _modules() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for folder in ("analytics", "ui") for p in (ROOT / folder).rglob("*.py")}


def _named() -> set[str]:
    return set(re.findall(r"`((?:analytics|ui)/[\w/]+\.py)`", MAP.read_text(encoding="utf-8")))


def test_the_map_names_every_module() -> None:
    missing = sorted(_modules() - _named())
    assert not missing, f"docs/architecture.md does not name: {missing}"


def test_the_map_names_no_module_that_is_gone() -> None:
    gone = sorted(_named() - _modules())
    assert not gone, f"docs/architecture.md names modules that do not exist: {gone}"


def test_the_map_lists_the_domains_of_the_domain_list() -> None:
    listed = re.findall(r'"analytics\.(\w+)"', (ROOT / "analytics" / "domains.py").read_text(encoding="utf-8"))
    text = MAP.read_text(encoding="utf-8")
    assert listed and all(f"`analytics/{d}/__init__.py`" in text for d in listed)


def test_the_readme_links_the_map() -> None:
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def _resolves(name: str) -> bool:
    """``name`` is a module, or a module's member (``analytics.core.geo.ACCESS_STEPS_M``)."""
    parts = name.split(".")
    for k in range(len(parts), 1, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ModuleNotFoundError:
            continue
        for attr in parts[k:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_every_module_the_readme_names_exists() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"\b((?:analytics|ui)/[\w/]+\.py)\b", text))
    dotted = set(re.findall(r"\b(analytics(?:\.\w+)+)", text))
    assert paths and dotted
    missing = [p for p in sorted(paths) if not (ROOT / p).is_file()]
    missing += [name for name in sorted(dotted) if not _resolves(name)]
    assert not missing, f"README.md names modules that do not exist: {missing}"
