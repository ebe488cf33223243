"""Tests for analytics.i18n: the message table, t(), fiscal-year labels, and that every key
the code asks for exists (found by parsing app.py, pages/*.py, ui/*.py and the domains' home
cards with ast)."""

from __future__ import annotations

import ast
import re
import string
import typing
from pathlib import Path

import pytest

from analytics import domains, i18n, messages
from analytics.catalog import SourceKind
from analytics.city import AGE_GROUPS
from analytics.core import messages as core_messages
from analytics.i18n import LANGUAGES, MESSAGES, fiscal_year_label, fiscal_year_short, t
from analytics.registry import DATASETS as SCHEMAS
from ui.nav import PAGES

pytestmark = pytest.mark.fast  # in the 2-minute loop (make test-fast)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"),
                  *(ROOT / "analytics").glob("*/home_card.py")])
# Calls that take i18n keys: name → how many leading positional arguments are keys (None: all).
# t() and the ui helpers look them up; a home card and its figures carry them to ui.cards.
KEY_TAKERS: dict[str, int | None] = {"t": 1, "page_header": None, "source_note": None,
                                     "HomeCard": 2, "CardFigure": 1}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# ----------------------------------------------------------------------------- the table


def test_languages() -> None:
    assert LANGUAGES == ("ja", "en")
    assert i18n.DEFAULT_LANGUAGE == "ja"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_ja_and_en_with_the_same_placeholders(key: str) -> None:
    entry = {lang: text for lang, text in MESSAGES[key].items() if lang != "claim"}
    assert set(entry) == {"ja", "en"}, key
    assert entry["ja"].strip() and entry["en"].strip(), key
    assert _fields(entry["ja"]) == _fields(entry["en"]), key
    # both format with the same values (no stray braces in either)
    values = {f: "X" for f in _fields(entry["ja"])}
    for lang in LANGUAGES:
        t(key, lang, **values)


def test_the_table_joins_the_shared_strings_and_every_domains() -> None:
    tables = [core_messages.MESSAGES, messages.MESSAGES, *(d.messages for d in domains.domains())]
    assert sum(len(table) for table in tables) == len(MESSAGES)
    for table in tables:
        assert all(MESSAGES[key] is entry for key, entry in table.items())
    # a domain's strings live in its package
    assert "nursery.metric.hidden" in domains.domains()[1].messages and "problem.fix" in core_messages.MESSAGES


def test_a_string_defined_twice_is_refused_naming_both_places() -> None:
    with pytest.raises(ValueError, match=r"'a\.b' is defined twice: in one and in two"):
        i18n.join_messages({"one": {"a.b": {"ja": "あ", "en": "a"}}, "two": {"a.b": {"ja": "い", "en": "b"}}})
    assert i18n.join_messages({"one": {"a": {"ja": "あ"}}, "two": {"b": {"ja": "い"}}}) == {
        "a": {"ja": "あ"}, "b": {"ja": "い"}}


def test_a_new_domain_that_redefines_a_shared_string_is_refused(tmp_path, monkeypatch) -> None:
    package = tmp_path / "clashing_domain"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from analytics.core.domain import Domain\n"
        "DOMAIN = Domain('clash', (), {'app.title': {'ja': '別', 'en': 'Other'}})\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with domains.including("clashing_domain"), pytest.raises(ValueError, match="app.title"):
        t("app.title")
    assert t("app.title", "en") == "EBPM dashboard"  # the list restored, the table re-joined


def test_t_formats_in_each_language() -> None:
    assert t("home.headline", "ja", fy="2026年度") == "2026年度 の合成市"
    assert t("home.headline", "en", fy="FY2026") == "Synthetic City, FY2026"
    assert t("app.privacy_note", "en", threshold=10).startswith("Counts under 10 show as '<10'")
    assert t("nav.data", "en") == "Data"
    assert t("nav.data") == "データ"  # Japanese by default


def test_t_falls_back_to_japanese_for_an_unknown_language() -> None:
    assert t("nav.home", "fr") == "ホーム"
    assert t("source.kind.upload", "de", label="a.csv") == "アップロード: a.csv"


def test_t_unknown_key_raises() -> None:
    with pytest.raises(KeyError):
        t("no.such.key")
    with pytest.raises(KeyError):
        t("no.such.key", "en")


# ----------------------------------------------------------------------------- keys used in the code


def _key_pattern(node: ast.expr) -> tuple[str, re.Pattern[str]] | None:
    """(shown form, regex matching the keys it can produce) for a literal or f-string key."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, re.compile(re.escape(node.value))
    if isinstance(node, ast.JoinedStr):
        shown, regex = "", ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                shown += part.value
                regex += re.escape(part.value)
            else:
                shown += "{…}"
                regex += r"[^.]+"
        return shown, re.compile(regex)
    return None


def _keys_in_code() -> list[tuple[str, str, re.Pattern[str]]]:
    """(file:line, key as written, pattern) for every key passed to t(), session.t(), i18n.t(),
    page_header() or source_note(), and every string default of a parameter named *key."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = lambda n, path=path: f"{path.relative_to(ROOT)}:{n.lineno}"  # noqa: E731
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
                if name not in KEY_TAKERS:
                    continue
                args = node.args[:KEY_TAKERS[name]]
                args = args + [kw.value for kw in node.keywords if kw.arg and kw.arg.endswith("key")]
                for arg in args:
                    pat = _key_pattern(arg)
                    if pat is not None:
                        found.append((where(node), *pat))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                params = node.args.args[len(node.args.args) - len(node.args.defaults):]
                for param, default in zip(params, node.args.defaults, strict=True):
                    if (param.arg.endswith("key") and isinstance(default, ast.Constant)
                            and isinstance(default.value, str)):
                        found.append((where(default), default.value, re.compile(re.escape(default.value))))
    return found


def test_the_scan_finds_the_keys_it_should() -> None:
    # Guards the scanner itself: known uses in each kind of place must be found.
    written = {key for _, key, _ in _keys_in_code()}
    assert {"data.title", "home.lead", "source.change", "source.synthetic", "app.language", "error.page"} <= written
    assert {"source.kind.{…}", "indicator.{…}"} <= written
    # home cards: their title and question, and their figures' labels, but not the page they open
    assert {"home.theme.nursery", "home.theme.health.q", "nursery.metric.official", "health.metric.uptake"} <= written
    assert "pages/nursery.py" not in written


def test_every_key_used_in_the_code_exists() -> None:
    keys = list(MESSAGES)
    missing = [f"{where}: {written}" for where, written, pat in _keys_in_code()
               if not any(pat.fullmatch(k) for k in keys)]
    assert not missing, "i18n keys used but not in MESSAGES:\n" + "\n".join(missing)


def test_every_nav_title_key_exists() -> None:
    assert PAGES
    for spec in PAGES:
        assert spec.title_key in MESSAGES, spec


def test_key_families_cover_their_domains() -> None:
    # Keys built with f-strings must exist for every value the data can produce.
    for kind in typing.get_args(SourceKind):
        assert t(f"source.kind.{kind}", "en", label="x")
    for entry in SCHEMAS.values():  # the registry carries each dataset's texts in both languages
        assert entry.form_ja and entry.form_en and entry.holder_ja and entry.holder_en, entry.name
        for indicator in entry.district_indicators:
            assert f"indicator.{indicator}" in MESSAGES, indicator
    for area in SCHEMAS["districts"].schema.column("area_type").categories:
        assert f"area.{area}" in MESSAGES, area
    for sex in SCHEMAS["population"].schema.column("sex").categories:
        assert f"sex.{sex}" in MESSAGES, sex
    for group in AGE_GROUPS:
        assert f"age.{group}" in MESSAGES, group


# ----------------------------------------------------------------------------- fiscal years


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (2019, "2019年度（令和元年度）"),
        (2020, "2020年度（令和2年度）"),
        (2026, "2026年度（令和8年度）"),
        (2018, "2018年度（平成30年度）"),
        (1989, "1989年度（平成元年度）"),
        (1990, "1990年度（平成2年度）"),
    ],
)
def test_fiscal_year_label_ja(fy: int, label: str) -> None:
    assert fiscal_year_label(fy) == label
    assert fiscal_year_label(fy, "ja") == label


def test_fiscal_year_label_en_and_numpy_ints() -> None:
    import numpy as np

    assert fiscal_year_label(2026, "en") == "FY2026"
    assert fiscal_year_label(np.int64(2026)) == "2026年度（令和8年度）"
    assert fiscal_year_label(np.int32(2019), "en") == "FY2019"


def test_fiscal_year_short() -> None:
    assert fiscal_year_short(2026) == "2026年度"
    assert fiscal_year_short(2026, "ja") == "2026年度"
    assert fiscal_year_short(2026, "en") == "FY2026"
    assert fiscal_year_short(2019, "en") == "FY2019"


def test_no_string_calls_a_straight_line_distance_walking() -> None:
    """Every distance the app computes is a straight line (analytics.core.location.reach_matrix,
    analytics.core.geo): a label saying 徒歩 / walking would promise a route it never measured."""
    text = {key: {lang: re.sub(r"\{\w*\}", "", s) for lang, s in entry.items()} for key, entry in MESSAGES.items()}
    said = [key for key, entry in text.items() if "徒歩" in entry["ja"] or re.search(r"\bwalk", entry["en"], re.I)]
    assert not said, said


# Words that claim a cause (issue 26): extend the lists as more turn up.
CAUSAL_MARKERS = {
    "ja": ["効果", "変わ", "増や", "減ら", "引き起こ", "により", "影響", "もたら"],
    "en": [r"\beffects?\b", r"\bcaus(e|es|ed|ing|al)\b", r"\bchang(e|es|ed|ing)\b", r"\bincreas(e|es|ed|ing)\b",
           r"\breduc(e|es|ed|ing)\b", r"\bleads? to\b", r"\bimpacts?\b", r"\bdrives?\b"],
}


def _causal_words(entry) -> list[str]:
    text = {lang: re.sub(r"\{\w*\}", "", entry[lang]) for lang in LANGUAGES}
    return ([m for m in CAUSAL_MARKERS["ja"] if m in text["ja"]]
            + [m for m in CAUSAL_MARKERS["en"] if re.search(m, text["en"], re.I)])


def test_only_the_trial_and_the_did_use_causal_words() -> None:
    """Each string says what it may claim (descriptive by default, association for the model,
    causal for the randomised trial and the DiD); words of cause are kept for the causal ones."""
    said = {key: _causal_words(entry) for key, entry in MESSAGES.items() if i18n.claim(key) != "causal"}
    said = {key: words for key, words in said.items() if words}
    assert not said, "causal words in strings that do not claim a cause:\n" + "\n".join(
        f"{key} ({i18n.claim(key)}): {words}" for key, words in said.items())
    # the scan sees causal words where they belong, and knows what each string claims
    assert _causal_words(MESSAGES["health.metric.did"]) and i18n.claim("health.metric.did") == "causal"
    assert i18n.claim("health.reading.who") == "association" and i18n.claim("home.title") == "descriptive"
    causal = {key for key in MESSAGES if i18n.claim(key) == "causal"}
    assert causal and all(key.startswith(("health.", "col.uplift")) for key in causal)


def test_a_claim_outside_the_three_is_refused() -> None:
    with pytest.raises(ValueError, match="claim must be one of"):
        i18n.join_messages({"x": {"a": {"ja": "あ", "en": "a", "claim": "proof"}}})
