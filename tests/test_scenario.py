"""Scenario links and the store (issue 28): inputs written to a URL and read back checked, the
state no parameter holds in a versioned blob, the data a link was made on, and the SQLite store
shared by server processes."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import string

import pytest

from analytics.core import scenario as sc
from analytics.core.store import SCHEMA_VERSION, Store, StoreSettings, StoreUnavailable, scenario_id

pytestmark = pytest.mark.fast

FIELDS = (
    sc.Field("budget", "int", 300, lo=0, hi=3000, step=20),
    sc.Field("rate", "float", 0.0, lo=-2.0, hi=3.0, step=0.5),
    sc.Field("band", "str", "1-2", choices=("0", "1-2", "3-5")),
    sc.Field("walk", "int", 800, choices=(500, 800, 1000)),
    sc.Field("projected", "bool", True),
    sc.Field("close", "strs", [], choices=("F001", "F002", "F003", "F004")),
    sc.Field("receiver", "str", None, choices=("F001", "F002"), nullable=True),
    sc.Field("costs", "table", [[40.0, 25.0], [36.0, 20.0]], lo=0, hi=300, in_url=False,
             columns=("rebuild", "renovate")),
)
PAGE = sc.Scenario("nursery", FIELDS, passive=("lang", "nursery_tab"))


def _round_trip(values: dict) -> sc.Reading:
    params = PAGE.params(values, data="abcd")
    # what a browser sends back: every value a string (repeated keys a list)
    return PAGE.read({k: v for k, v in params.items()})


def test_inputs_round_trip_through_the_url() -> None:
    values = {"budget": 520, "rate": -1.5, "band": "3-5", "walk": 1000, "projected": False,
              "close": ["F003", "F001"], "receiver": "F002", "costs": [[41.5, 25.0], [36.0, 0.0]]}
    reading = _round_trip(values)
    assert reading.problems == () and reading.values == values and reading.data == "abcd"
    params = PAGE.params(values)
    assert params["close"] == ["F003", "F001"] and params["budget"] == "520"  # order kept: a multiselect's
    assert set(params) == set(values) - {"costs"} | {sc.STATE_KEY}  # the table travels in s only
    assert PAGE.params(PAGE.defaults()) == {}  # defaults leave the URL empty


def test_random_scenarios_round_trip() -> None:
    rng = random.Random(28)
    for _ in range(200):
        values = {"budget": 20 * rng.randint(0, 150), "rate": -2.0 + 0.5 * rng.randint(0, 10),
                  "band": rng.choice(["0", "1-2", "3-5"]), "walk": rng.choice([500, 800, 1000]),
                  "projected": rng.random() < 0.5,
                  "close": rng.sample(["F001", "F002", "F003", "F004"], rng.randint(0, 4)),
                  "receiver": rng.choice([None, "F001", "F002"]),
                  "costs": [[round(rng.uniform(0, 300), 1) for _ in range(2)] for _ in range(2)]}
        reading = _round_trip(values)
        assert reading.problems == ()
        assert all(PAGE.field(k).same(reading.values.get(k, PAGE.field(k).default), v) for k, v in values.items())


@pytest.mark.parametrize(("params", "key", "code"), [
    ({"budget": "abc"}, "budget", "type"),
    ({"budget": "3.5"}, "budget", "type"),
    ({"budget": "4000"}, "budget", "range"),
    ({"budget": "-20"}, "budget", "range"),
    ({"budget": "310"}, "budget", "range"),  # off the slider's grid of 20
    ({"budget": ["300", "320"]}, "budget", "type"),
    ({"rate": "nan"}, "rate", "type"),
    ({"rate": "inf"}, "rate", "type"),
    ({"rate": "0.25"}, "rate", "range"),
    ({"band": "6"}, "band", "choice"),
    ({"walk": "900"}, "walk", "choice"),
    ({"projected": "yes"}, "projected", "type"),
    ({"receiver": "F009"}, "receiver", "choice"),
    ({"nosuch": "1"}, "nosuch", "unknown"),
    ({"costs": "1"}, "costs", "unknown"),  # a table never comes as a parameter of its own
    ({"s": "v1.!!!!"}, "s", "state"),
    ({"s": "v9.eJyrVkrOTy5JLVayio6tBQAjZgTn"}, "s", "version"),
    ({"s": "v1"}, "s", "state"),
    ({"s": "v1." + "A" * 5000}, "s", "state"),
])
def test_each_bad_parameter_is_named_and_its_input_keeps_its_default(params, key, code) -> None:
    reading = PAGE.read(params)
    assert [(p.key, p.code) for p in reading.problems] == [(key, code)]
    assert key not in reading.values


def test_unknown_ids_are_dropped_and_named_the_rest_kept() -> None:
    reading = PAGE.read({"close": ["F001", "F777", "F003", "X"]})
    assert reading.values["close"] == ["F001", "F003"]
    assert [(p.key, p.code, p.raw) for p in reading.problems] == [("close", "choice", "F777,X")]


def test_a_tampered_blob_gives_the_defaults_and_a_warning() -> None:
    good = PAGE.params({"costs": [[1.0, 2.0], [3.0, 4.0]]})["s"]
    assert PAGE.read({"s": good}).values == {"costs": [[1.0, 2.0], [3.0, 4.0]]}
    for i in range(3, len(good)):
        bad = good[:i] + ("B" if good[i] != "B" else "C") + good[i + 1:]
        reading = PAGE.read({"s": bad})
        # a changed character breaks the blob (zlib's checksum), or changes only base64's unused last bits
        assert [(p.key, p.code) for p in reading.problems] == [("s", "state")] and reading.values == {} or (
            reading.problems == () and reading.values == {"costs": [[1.0, 2.0], [3.0, 4.0]]} and i == len(good) - 1)
    wrong = sc.encode_state({"costs": [[1.0, 2.0]], "budget": 300, "zz": 1})  # one row short; inputs not of s
    reading = PAGE.read({"s": wrong})
    assert sorted((p.key, p.code) for p in reading.problems) == [("budget", "unknown"), ("costs", "type"),
                                                                ("zz", "unknown")]


def test_reading_never_raises_on_garbage() -> None:
    rng = random.Random(7)
    alphabet = string.printable + "日本語χ<>\x00"
    keys = [f.key for f in FIELDS] + ["s", "fp", "id", "lang", "zz"]
    for _ in range(2000):
        params = {rng.choice(keys): (
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) if rng.random() < 0.8
            else ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 3))])
            for _ in range(rng.randint(1, 5))}
        reading = PAGE.read(params)
        for key, value in reading.values.items():
            assert PAGE.field(key).check(value) == value or PAGE.field(key).same(PAGE.field(key).check(value), value)


def test_links_of_format_v1_keep_working_after_a_v2(monkeypatch) -> None:
    v1 = PAGE.params({"costs": [[1.0, 2.0], [3.0, 4.0]]})["s"]
    assert v1.startswith("v1.")

    def decode_v2(packed: str) -> dict:  # a later format: say, the table's rows named by building type
        return {"costs": [row for row in sc._decode_v1(packed)["rows"]]}

    monkeypatch.setitem(sc.DECODERS, "v2", decode_v2)
    monkeypatch.setattr(sc, "STATE_VERSION", "v2")
    v2 = "v2." + sc.encode_state({"rows": [[5.0, 6.0], [7.0, 8.0]]}).split(".", 1)[1]
    assert PAGE.read({"s": v1}).values == {"costs": [[1.0, 2.0], [3.0, 4.0]]}
    assert PAGE.read({"s": v2}).values == {"costs": [[5.0, 6.0], [7.0, 8.0]]}


def test_the_data_mark_names_the_datasets_that_differ() -> None:
    data = {"population": "aaa", "nurseries": "bbb", "districts": "ccc"}
    mark = sc.data_mark(data)
    assert len(mark) == 12
    assert sc.differing_datasets(mark, data) == []
    assert sc.differing_datasets(mark, data | {"nurseries": "xxx"}) == ["nurseries"]
    assert sc.differing_datasets(mark, {**data, "buildings": "ddd"}) is None  # another app version: unknown
    assert sc.differing_datasets("!!!", data) is None


def test_keys_must_be_unique_and_not_reserved() -> None:
    with pytest.raises(ValueError):
        sc.Scenario("p", (sc.Field("a", "int", 0), sc.Field("a", "int", 0)))
    with pytest.raises(ValueError):
        sc.Scenario("p", (sc.Field("s", "int", 0),))


# ---------------------------------------------------------------------------------- the store


def _store(tmp_path, **kw) -> Store:
    return Store(StoreSettings(tmp_path / "store" / "ebpm.sqlite", **kw))


def test_the_store_keeps_loads_and_lists_scenarios(tmp_path) -> None:
    store = _store(tmp_path)
    assert store.schema_version() == SCHEMA_VERSION
    sid = store.save("nursery", {"budget": "520"}, now=1000.0)
    assert sid == scenario_id("nursery", {"budget": "520"}, None) and len(sid) == 10
    assert store.save("nursery", {"budget": "520"}, now=1001.0) == sid  # the same scenario: one row
    named = store.save("nursery", {"budget": "600"}, now=1002.0, name="  予算600人  ")
    got = store.load(sid, now=1003.0)
    assert got is not None and got.params == {"budget": "520"} and got.name is None and got.page == "nursery"
    assert [s.name for s in store.saved("nursery", now=1004.0)] == ["予算600人"]  # unnamed ones are not listed
    assert store.saved("health", now=1004.0) == []
    assert store.load("nosuchid00", now=1004.0) is None
    store.delete(named)
    assert store.saved("nursery", now=1005.0) == []


def test_the_store_forgets_after_the_retention_period(tmp_path) -> None:
    store = _store(tmp_path, retention_days=1)
    sid = store.save("home", {"home_indicator": "population"}, now=0.0)
    assert store.load(sid, now=86_000.0) is not None  # opened: kept a day more
    assert store.load(sid, now=86_000.0 + 86_401) is None
    store.save("home", {"x": "1"}, now=10 * 86_400.0)  # a save prunes what is past the period
    with sqlite3.connect(store.settings.path) as con:
        assert con.execute("SELECT count(*) FROM scenarios").fetchone()[0] == 1


def test_the_store_stays_within_its_size_limit(tmp_path) -> None:
    store = _store(tmp_path, max_mb=0.25)
    big = {"s": "v1." + "x" * 3000}
    ids = [store.save("facilities", big | {"n": str(i)}, now=float(i)) for i in range(400)]
    assert (tmp_path / "store" / "ebpm.sqlite").stat().st_size < 1.5 * 1024 * 1024
    assert store.load(ids[-1], now=500.0) is not None  # the newest is kept
    assert store.load(ids[0], now=500.0) is None  # the least recently used went first


def test_a_corrupt_store_is_reported_not_fatal(tmp_path) -> None:
    path = tmp_path / "store" / "ebpm.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable):
        Store(StoreSettings(path)).save("home", {}, now=0.0)
    (tmp_path / "afile").write_text("a file where the store's folder should be")
    with pytest.raises(StoreUnavailable):
        Store(StoreSettings(tmp_path / "afile" / "x.sqlite")).load("x", now=0.0)


def test_a_newer_schema_is_refused_and_an_older_one_migrated(tmp_path) -> None:
    path = tmp_path / "s.sqlite"
    with sqlite3.connect(path) as con:  # a store of schema 0: an empty file
        con.execute("PRAGMA user_version = 0")
    assert Store(StoreSettings(path)).schema_version() == SCHEMA_VERSION
    with sqlite3.connect(path) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreUnavailable, match="newer"):
        Store(StoreSettings(path)).save("home", {}, now=0.0)


def _writer(path: str, who: int, n: int) -> None:
    store = Store(StoreSettings(__import__("pathlib").Path(path), busy_ms=5000, retries=20))
    for i in range(n):
        store.save("nursery", {"who": str(who), "i": str(i)}, now=float(i), name=f"{who}-{i}")
        assert store.load(scenario_id("nursery", {"who": str(who), "i": str(i)}, f"{who}-{i}"), now=float(i))


def test_two_processes_writing_at_once_lose_nothing(tmp_path) -> None:
    path = tmp_path / "shared.sqlite"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), who, 60)) for who in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    names = {s.name for s in Store(StoreSettings(path)).saved("nursery", now=100.0, limit=1000)}
    assert names == {f"{w}-{i}" for w in (1, 2) for i in range(60)}


def test_crafted_values_are_problems_not_exceptions() -> None:
    """A blob or a stored scenario is JSON: numbers too large for a float, values that are not
    text, a table with an empty cell (allowed: the page says which cost is missing)."""
    huge = [[10 ** 400, 1.0], [2.0, 3.0]]
    reading = PAGE.read({"s": sc.encode_state({"costs": huge})})
    assert [(p.key, p.code) for p in reading.problems] == [("costs", "type")]
    assert PAGE.read({"budget": 10 ** 400}).problems[0].code == "type"  # not text
    assert PAGE.read({"budget": ["300", 5]}).problems[0].code == "type"
    assert PAGE.read({"s": ["v1.x", 7]}).problems[0].key == "s"
    assert PAGE.read({"s": sc.encode_state({"costs": [[None, 1.0], [2.0, 3.0]]})}).values == {
        "costs": [[None, 1.0], [2.0, 3.0]]}
    assert PAGE.read({"rate": repr(-1.5)}).values == {"rate": -1.5}
    assert PAGE.field("rate").encode(123.4567891) == "123.4567891"  # every digit typed


def test_choices_that_clash_are_dropped_and_named() -> None:
    page = sc.Scenario("facilities", (
        sc.Field("close", "strs", [], choices=("F1", "F2", "F3")),
        sc.Field("merge", "strs", [], choices=("F1", "F2", "F3")),
        sc.Field("receiver", "str", None, choices=("F1", "F2", "F3"), nullable=True)),
        disjoint=(("close", "merge", "receiver"),))
    reading = page.read({"close": ["F1"], "merge": ["F1", "F2"], "receiver": "F2"})
    assert reading.values == {"close": ["F1"], "merge": ["F2"]}
    assert [(p.key, p.code, p.raw) for p in reading.problems] == [("merge", "choice", "F1"),
                                                                   ("receiver", "choice", "F2")]


def test_damaged_rows_are_missing_scenarios_and_named_ones_outlive_long_links(tmp_path) -> None:
    store = _store(tmp_path, max_mb=0.25)
    good = store.save("home", {"home_indicator": "population"}, now=1.0, name="keep me")
    with sqlite3.connect(store.settings.path) as con:
        con.executemany("INSERT INTO scenarios VALUES (?, 'home', ?, ?, 2.0, 2.0)",
                        [("bad1", "x", "{not json"), ("bad2", "y", '{"home_indicator": 5}'), ("bad3", None, "[1, 2]")])
    assert store.load("bad1", now=3.0) is None and store.load("bad2", now=3.0) is None
    assert [s.id for s in store.saved("home", now=3.0)] == [good]
    for i in range(300):  # long links fill the store: they go first, the named scenario stays
        store.save("facilities", {"s": "v1." + "x" * 3000, "n": str(i)}, now=10.0 + i)
    assert store.load(good, now=400.0) is not None
    store.settings.path.unlink()  # a removed file is made again, with its schema
    assert store.save("home", {}, now=500.0) and store.schema_version() == SCHEMA_VERSION
