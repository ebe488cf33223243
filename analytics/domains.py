"""The list of domain packages: one line per domain.

A new analysis is a new folder ``analytics/<domain>/`` whose ``__init__`` declares
``DOMAIN = Domain(...)`` (:mod:`analytics.core.domain`), plus its line here. The registry, the
UI strings, the generator and the home page read the domains from :func:`domains`, in this
order (which is also the order in which the generator parts run: ``city`` first).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from analytics.core.domain import Domain

PACKAGES: list[str] = [
    "analytics.city",
    "analytics.nursery",
    "analytics.facilities",
    "analytics.health",
]


def domains() -> tuple[Domain, ...]:
    """The declaration of every listed domain package, in the list's order."""
    found = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        domain = getattr(module, "DOMAIN", None)
        if not isinstance(domain, Domain):
            raise TypeError(f"{package} declares no DOMAIN = Domain(...)")
        found.append(domain)
    names = [d.name for d in found]
    if len(set(names)) != len(names):
        raise ValueError(f"two domains share a name: {names}")
    return tuple(found)


@contextmanager
def including(package: str) -> Iterator[Domain]:
    """Add ``package`` to the list for the duration of a ``with`` block (tests and tools): the
    same as its line in :data:`PACKAGES`."""
    if package in PACKAGES:
        raise ValueError(f"{package} is already listed")
    PACKAGES.append(package)
    try:
        yield domains()[-1]
    finally:
        PACKAGES.remove(package)
