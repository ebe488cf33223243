"""``make test-fast`` keeps its promise: every module of ``analytics/`` and ``ui/`` has a test in
the fast loop, and every page runs in it under AppTest.

The fast loop is the tests marked ``fast`` (``pytest -m fast``): a whole file with a module-level
``pytestmark``, or single tests and parameters. This file reads the test files (it does not run
them) and fails naming any module no fast test imports — a new module, or a test moved out of the
loop, shows up here. ``ui`` modules also count as touched when the fast loop runs the pages that
import them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[1]
PAGE_TEST = ("test_pages.py", "test_every_page_runs_without_errors")


def _modules() -> list[str]:
    """Every module of analytics/ and ui/ (dotted names; packages' ``__init__`` and ``__main__`` left out)."""
    out = []
    for package in ("analytics", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name in ("__init__.py", "__main__.py"):
                continue
            out.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return out


def _is_fast(node: ast.AST) -> bool:
    """``pytest.mark.fast`` anywhere in ``node`` (a decorator, a ``pytestmark``, ``marks=``)."""
    return any(isinstance(n, ast.Attribute) and n.attr == "fast" and isinstance(n.value, ast.Attribute)
               and n.value.attr == "mark" for n in ast.walk(node))


def _imports(nodes) -> set[str]:
    """Modules imported by ``nodes`` (``from analytics.core import geo`` → ``analytics.core.geo``)."""
    out: set[str] = set()
    for node in nodes:
        for n in ast.walk(node):
            if isinstance(n, ast.Import):
                out |= {a.name for a in n.names}
            elif isinstance(n, ast.ImportFrom) and n.module:
                out.add(n.module)
                out |= {f"{n.module}.{a.name}" for a in n.names}
    return out


def fast_imports(path: Path) -> tuple[set[str], set[str]]:
    """(modules imported by the fast tests of ``path``, names of its fast tests)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    whole = any(isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in n.targets)
                and _is_fast(n.value) for n in tree.body)
    tests = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    fast = [t for t in tests if whole or any(_is_fast(d) for d in t.decorator_list)]
    if not fast:
        return set(), set()
    helpers = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("test_")]
    return _imports(top + fast + helpers), {t.name for t in fast}


def _pages_import() -> set[str]:
    """Modules the app shell and its pages import: touched whenever the fast loop runs the pages."""
    return _imports(node for p in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
                    for node in ast.parse(p.read_text(encoding="utf-8")).body)


def test_every_module_has_a_test_in_the_fast_loop():
    touched: set[str] = set()
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        touched |= fast_imports(path)[0]
    _, page_tests = fast_imports(ROOT / "tests" / PAGE_TEST[0])
    if PAGE_TEST[1] in page_tests:
        touched |= {m for m in _pages_import() if m.startswith("ui.")}
    # the generator's parts (analytics/synth and every domain's synth) run whenever a fast test generates a city
    if "analytics.synth" in touched or "analytics.synth.generate_city" in touched:
        touched |= {m for m in _modules() if ".synth." in m + "." and m.startswith("analytics.")}
    # a package's API (its __init__) imports its modules: a test importing the package runs them
    packages = {".".join(p.parent.relative_to(ROOT).parts): p for p in (ROOT / "analytics").rglob("__init__.py")}
    grown = True
    while grown:
        before = len(touched)
        for name in [n for n in packages if n in touched]:
            touched |= _imports(ast.parse(packages[name].read_text(encoding="utf-8")).body)
        grown = len(touched) > before
    missing = [m for m in _modules() if m not in touched]
    assert not missing, f"no test in the fast loop imports {missing}: mark one `@pytest.mark.fast`"


def test_every_page_runs_in_the_fast_loop():
    _, page_tests = fast_imports(ROOT / "tests" / PAGE_TEST[0])
    assert PAGE_TEST[1] in page_tests, "the page test must run every page in the fast loop"


def test_the_guard_sees_a_module_without_a_fast_test(tmp_path):
    """Not vacuous: a test file whose only fast test imports nothing of ours leaves a gap."""
    f = tmp_path / "test_x.py"
    f.write_text("import pytest\nfrom analytics.core import geo\n\n@pytest.mark.fast\ndef test_a():\n    pass\n\n"
                 "def test_b():\n    from analytics import nursery\n", encoding="utf-8")
    imported, names = fast_imports(f)
    assert names == {"test_a"} and "analytics.core.geo" in imported and "analytics.nursery" not in imported
