"""Architecture rules: analytics/ is a pure core (no streamlit, no ui), the domain packages and
the domain-free core import along the layers of docs/architecture.md, pages get their data only
through the catalog, every navigation entry is a real page, CI runs `make test`."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ui.nav import PAGES

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

ROOT = Path(__file__).resolve().parents[1]
ANALYTICS = sorted((ROOT / "analytics").rglob("*.py"))
PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))
CORE_MODULES = sorted(
    "analytics."
    + p.relative_to(ROOT / "analytics").with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
    for p in ANALYTICS if p.name != "__main__.py"
)


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import statement in the file, at any depth (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # `from analytics import registry` imports the module analytics.registry
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _offenders(top_level: str) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line}: import {module}"
        for path in ANALYTICS
        for line, module in _imported_modules(path)
        if module == top_level or module.startswith(top_level + ".")
    ]


def test_the_scan_sees_the_whole_core() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in ANALYTICS}
    assert {"analytics/catalog.py", "analytics/core/publication.py", "analytics/synth/__init__.py"} <= names
    assert "analytics.registry" in CORE_MODULES and "analytics.synth" in CORE_MODULES
    # and _imported_modules does see imports (so an empty result below means something)
    seen = {m for _, m in _imported_modules(ROOT / "analytics" / "catalog.py")}
    assert {"pandas", "analytics.core.schemas", "analytics.registry"} <= seen
    # imports inside functions count too (schemas imports shapely lazily)
    assert "shapely" in {m for _, m in _imported_modules(ROOT / "analytics" / "core" / "schemas.py")}


def _core_imports() -> dict[str, set[str]]:
    """analytics module → the analytics modules it imports (at any depth)."""
    graph = {}
    for path in ANALYTICS:
        module = "analytics." + path.relative_to(ROOT / "analytics").with_suffix("").as_posix().replace("/", ".")
        module = module.removesuffix(".__init__")
        graph[module] = {m for _, m in _imported_modules(path) if m.startswith("analytics.")}
    return graph


def test_the_core_has_no_import_cycle() -> None:
    graph = _core_imports()

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    cycles = [m for m in graph if m in reach(m) and m != "analytics.synth.__main__"]
    assert not cycles, f"modules that import themselves through others: {cycles}"


def test_the_catalog_never_imports_the_generator() -> None:
    """At run time the app reads Parquet through the registry; the generator is only for `make data`."""
    # the registry and the UI strings read every domain package: none may pull in a generator part
    code = ("import analytics.catalog, analytics.registry, analytics.i18n, sys; "
            "analytics.registry.names(); analytics.i18n.t('app.title'); "
            "print(sorted(m for m in sys.modules if m.startswith('analytics.') and "
            "(m.endswith('.synth') or '.synth.' in m)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_analytics_module_imports_streamlit() -> None:
    offenders = _offenders("streamlit")
    assert not offenders, "analytics/ must not import streamlit:\n" + "\n".join(offenders)


def test_no_analytics_module_reads_the_clock() -> None:
    """A result never depends on the machine's speed: solvers stop on work limits, and how long
    something takes is measured in benchmarks/, not in analytics/."""
    offenders = _offenders("time")
    assert not offenders, "analytics/ must not read the clock:\n" + "\n".join(offenders)


def test_no_analytics_module_imports_the_ui() -> None:
    offenders = _offenders("ui")  # ui.session imports streamlit: the core may not lean on it
    assert not offenders, "analytics/ must not import ui:\n" + "\n".join(offenders)


def test_importing_the_core_does_not_load_streamlit() -> None:
    code = f"import {', '.join(CORE_MODULES)}, sys; print('streamlit' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_statistics_libraries_load_only_where_used() -> None:
    """Issue 27, item 3: every page imports every domain package (through the UI strings); SciPy's
    statistics and statsmodels load only when a function that uses them runs."""
    heavy = ("scipy.stats", "scipy.optimize", "statsmodels")
    code = ("import sys, analytics.i18n, analytics.catalog; from analytics import domains; domains.domains(); "
            f"print([m for m in {heavy!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_pages_never_read_files() -> None:
    assert PAGE_FILES
    forbidden = ("read_parquet", "read_csv", "read_excel", "read_file", "read_sample_data", "open(")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {word}"
        for path in PAGE_FILES
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for word in forbidden
        if word in line
    ]
    assert not offenders, "pages must get data from the catalog only:\n" + "\n".join(offenders)


def test_every_nav_page_exists_and_every_page_is_listed() -> None:
    assert PAGES
    listed = [ROOT / spec.path for spec in PAGES]
    missing = [spec.path for spec in PAGES if not (ROOT / spec.path).is_file()]
    assert not missing, f"pages in ui.nav.PAGES without a file: {missing}"
    # a page not in PAGES is not opened by the app or by the page tests
    assert sorted(listed) == PAGE_FILES


def test_nav_url_paths() -> None:
    assert PAGES[0].url_path == ""  # the first page is the default one, served at "/"
    rest = [spec.url_path for spec in PAGES[1:]]
    assert all(rest) and len(set(rest)) == len(rest)
    assert all(re.fullmatch(r"[a-z0-9_-]+", u) for u in rest)


def test_ci_runs_make_test() -> None:
    ci = ROOT / ".ci" / "run"
    assert os.access(ci, os.X_OK)
    commands = [line.strip() for line in ci.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.strip().startswith("#")]
    assert "make test" in commands
    # and `make test` runs pytest
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n?)+)", makefile, re.M)
    assert recipe and "-m pytest" in recipe.group(1)


# ----------------------------------------------------------------------------- the layers

DOMAINS = ("city", "nursery", "facilities", "health")  # analytics.domains.PACKAGES, read without importing
BASE_DOMAIN = "city"  # the residents every other domain counts from: importable through its API


def _domain_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "analytics" and parts[1] in DOMAINS else None


def _files_under(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py"))


def test_the_layers_list_every_domain() -> None:
    listed = re.findall(r'"analytics\.(\w+)"', (ROOT / "analytics" / "domains.py").read_text(encoding="utf-8"))
    assert tuple(listed) == DOMAINS
    assert all((ROOT / "analytics" / d / "__init__.py").is_file() for d in DOMAINS)


def test_domains_never_import_each_other() -> None:
    """A domain imports the core, its own modules and the base domain's API (``analytics.city``,
    not its modules); the base domain imports no other domain."""
    offenders = []
    for path in _files_under(*(f"analytics/{d}" for d in DOMAINS)):
        own = path.relative_to(ROOT / "analytics").parts[0]
        for line, module in _imported_modules(path):
            other = _domain_of(module)
            if other is None or other == own:
                continue
            if other == BASE_DOMAIN and module == f"analytics.{BASE_DOMAIN}":
                continue
            # `from analytics.city import residents` names the API's member, not a module
            if other == BASE_DOMAIN and module.startswith(f"analytics.{BASE_DOMAIN}.") and not (
                    ROOT / "analytics" / BASE_DOMAIN / f"{module.split('.')[2]}.py").exists() and not (
                    ROOT / "analytics" / BASE_DOMAIN / module.split(".")[2]).is_dir():
                continue
            offenders.append(f"{path.relative_to(ROOT)}:{line}: import {module}")
    assert not offenders, "a domain imports another domain's modules:\n" + "\n".join(offenders)


def test_domains_import_only_the_core_and_themselves() -> None:
    """No domain leans on the app's collectors (registry, catalog, i18n, the generator's driver):
    those read the domains, not the other way round."""
    allowed = ("analytics.core",)
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: import {module}"
        for path in _files_under(*(f"analytics/{d}" for d in DOMAINS))
        for line, module in _imported_modules(path)
        if module.startswith("analytics") and _domain_of(module) is None
        and not any(module == a or module.startswith(a + ".") for a in allowed)
    ]
    assert not offenders, "a domain imports a collector:\n" + "\n".join(offenders)


def test_the_core_imports_no_domain_and_no_collector() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: import {module}"
        for path in _files_under("analytics/core")
        for line, module in _imported_modules(path)
        if module.startswith("analytics") and not (module == "analytics.core" or module.startswith("analytics.core."))
    ]
    assert not offenders, "analytics/core must stay domain-free:\n" + "\n".join(offenders)


def test_pages_and_ui_import_a_domain_only_through_its_package() -> None:
    offenders = []
    for path in [ROOT / "app.py", *_files_under("pages", "ui")]:
        for line, module in _imported_modules(path):
            domain = _domain_of(module)
            if domain is None or module == f"analytics.{domain}":
                continue
            # `from analytics.nursery import X`: X is a name of the API unless it is a module
            sub = module.split(".")[2]
            if (ROOT / "analytics" / domain / f"{sub}.py").exists() or (ROOT / "analytics" / domain / sub).is_dir():
                offenders.append(f"{path.relative_to(ROOT)}:{line}: import {module}")
    assert not offenders, "import a domain's public API (its package), not its modules:\n" + "\n".join(offenders)


def test_every_domain_package_names_its_api() -> None:
    import importlib

    for d in DOMAINS:
        package = importlib.import_module(f"analytics.{d}")
        assert package.__all__, d
        missing = [name for name in package.__all__ if not hasattr(package, name)]
        assert not missing, f"analytics.{d}.__all__ names what it does not hold: {missing}"
        assert "DOMAIN" in package.__all__


@pytest.mark.parametrize("old", ["analytics.files", "analytics.geo", "analytics.publication", "analytics.audit",
                                 "analytics.privacy", "analytics.location", "analytics.evaluation",
                                 "analytics.projection", "analytics.schemas", "analytics.normalise",
                                 "analytics.downloads", "analytics.testing", "analytics.population",
                                 "analytics.overview", "analytics.synth.nursery", "analytics.synth.health",
                                 "analytics.synth.facilities", "analytics.synth.population"])
def test_the_old_module_paths_are_gone(old: str) -> None:
    import importlib

    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(old)
