"""UI strings in Japanese and English: the lookup, and the table joined from where they live.

Strings live with what uses them: each domain's ``messages.py`` holds the strings only it uses,
:mod:`analytics.messages` those of the app shell and of several domains. :data:`MESSAGES` joins
them (the domains listed in :mod:`analytics.domains`, re-joined when the list changes); a key
defined twice is an error when the table is joined: when this module is imported.

Japanese is the default. The language is passed in by the caller (the page keeps it in
the session state); nothing here is process-wide, because all Streamlit sessions share
one process.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from analytics import domains, messages
from analytics.core import messages as core_messages

LANGUAGES: tuple[str, ...] = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
CLAIMS: tuple[str, ...] = ("descriptive", "association", "causal")
"""What a string may claim (an entry's ``"claim"``; ``descriptive`` when it has none): a count,
rate, trend or scenario arithmetic describes; the non-attendance model shows associations;
only the randomised trial and the roll-out DiD (with its assumptions stated) speak of effects."""


def claim(key: str) -> str:
    """What the string ``key`` may claim (:data:`CLAIMS`)."""
    return MESSAGES[key].get("claim", "descriptive")


def join_messages(tables: Mapping[str, Mapping[str, Mapping[str, str]]]) -> dict[str, Mapping[str, str]]:
    """One table from several (``where → its table``); a key in two of them, or a claim not in
    :data:`CLAIMS`, raises ``ValueError`` naming the place."""
    joined: dict[str, Mapping[str, str]] = {}
    where: dict[str, str] = {}
    for place, table in tables.items():
        for key, entry in table.items():
            if entry.get("claim", "descriptive") not in CLAIMS:
                raise ValueError(f"UI string {key!r} in {place}: claim must be one of {CLAIMS}")
            if key in joined:
                raise ValueError(f"UI string {key!r} is defined twice: in {where[key]} and in {place}")
            joined[key], where[key] = entry, place
    return joined


class _Messages(Mapping[str, Mapping[str, str]]):
    """The shared strings and every listed domain's, re-joined when the list of domains changes
    (a throw-away domain in a test)."""

    def __init__(self) -> None:
        self._key: tuple[str, ...] | None = None
        self._table: dict[str, Mapping[str, str]] = {}

    def _current(self) -> dict[str, Mapping[str, str]]:
        key = tuple(domains.PACKAGES)
        if key != self._key:
            tables = {"analytics.core.messages": core_messages.MESSAGES, "analytics.messages": messages.MESSAGES}
            tables |= {f"analytics.{d.name}": d.messages for d in domains.domains()}
            self._table, self._key = join_messages(tables), key
        return self._table

    def __getitem__(self, key: str) -> Mapping[str, str]:
        return self._current()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


MESSAGES: Mapping[str, Mapping[str, str]] = _Messages()
len(MESSAGES)  # join now: a key defined twice fails when this module is imported


def has(key: str) -> bool:
    """Whether the table holds ``key`` (for names that may come from a planner's data)."""
    return key in MESSAGES


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    An unknown key raises ``KeyError`` (a test walks every key used in the code); an
    unknown language falls back to Japanese.
    """
    entry = MESSAGES[key]
    text = entry.get(lang, entry[DEFAULT_LANGUAGE])
    return text.format(**values) if values else text


def fiscal_year_short(fiscal_year: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``2026`` → ``"2026年度"`` (ja) / ``"FY2026"`` (en): for axes and narrow labels."""
    return f"{int(fiscal_year)}年度" if lang == "ja" else f"FY{int(fiscal_year)}"


def fiscal_year_label(fiscal_year: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``2026`` → ``"2026年度（令和8年度）"`` in Japanese, ``"FY2026"`` in English.

    Fiscal year N runs from 1 April N to 31 March N+1; Reiwa 1 = 2019 (Heisei before).
    """
    fy = int(fiscal_year)
    if lang != "ja":
        return f"FY{fy}"
    if fy >= 2019:
        era = "令和" + ("元" if fy == 2019 else str(fy - 2018))
    else:
        era = "平成" + ("元" if fy == 1989 else str(fy - 1988))
    return f"{fy}年度（{era}年度）"
