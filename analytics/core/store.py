"""The store: one SQLite file for what must outlive a session.

Issue 28 defines it for scenarios (a link too long for a URL keeps its inputs here and carries
a short id; planners save named scenarios to compare and share); later issues add tables by
adding a migration. One file, shared by every server process of the machine (``make serve``):

* WAL journal (readers never wait for a writer), a busy timeout, and bounded retries when
  another process holds the write lock;
* a schema version (``PRAGMA user_version``) raised by :data:`MIGRATIONS`, applied once under
  the write lock (two processes starting together do not both migrate);
* a size limit and a retention period (deployment settings): the least recently opened
  scenarios go first.

A file that is not a database, or cannot be opened, raises :class:`StoreUnavailable`: the page
says saving is unavailable and links without an id keep working. This module never reads the
clock: the caller passes ``now`` (seconds since the epoch).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: scenarios
        """CREATE TABLE scenarios (
               id TEXT PRIMARY KEY,
               page TEXT NOT NULL,
               name TEXT,
               params TEXT NOT NULL,
               created REAL NOT NULL,
               used REAL NOT NULL)""",
        "CREATE INDEX scenarios_page ON scenarios (page, name)",
        "CREATE INDEX scenarios_used ON scenarios (used)",
    ),
)
"""The statements that take the schema from version ``i`` to ``i + 1``; append, never edit."""
SCHEMA_VERSION = len(MIGRATIONS)
MAX_NAME = 80


class StoreUnavailable(RuntimeError):
    """The store cannot be read or written (a corrupt or unreadable file, a full disk, a lock
    held past every retry)."""


@dataclass(frozen=True)
class StoreSettings:
    """Where the store is and how much it keeps (deployment settings, ``st.secrets``)."""

    path: Path
    max_mb: float = 50.0
    retention_days: float = 365.0
    busy_ms: int = 2000
    retries: int = 5


@dataclass(frozen=True)
class StoredScenario:
    """A scenario kept in the store: the query parameters of ``page`` (as a link holds them),
    with a ``name`` when a planner saved it (``None``: kept for a long link)."""

    id: str
    page: str
    name: str | None
    params: dict[str, Any]
    created: float
    used: float


def scenario_id(page: str, params: dict, name: str | None) -> str:
    """A short id from the content: the same scenario saved twice is one row; 10 characters
    (50 bits) of base32."""
    text = json.dumps([page, params, name], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()[:10].lower()


class Store:
    """The store at ``settings.path`` (created with its folder when missing)."""

    def __init__(self, settings: StoreSettings) -> None:
        self.settings = settings
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        """A connection in WAL mode; a lock held by another process raises ``OperationalError``
        (retried by :meth:`_run`), anything else :class:`StoreUnavailable`."""
        if not self.settings.path.exists():
            self._ready = False  # a new or removed file: its schema is made again
        try:
            self.settings.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.settings.path, timeout=self.settings.busy_ms / 1000, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailable(str(exc)) from exc
        try:
            con.execute(f"PRAGMA busy_timeout = {int(self.settings.busy_ms)}")
            con.execute("PRAGMA journal_mode = WAL")
            return con
        except sqlite3.OperationalError as exc:
            con.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            raise StoreUnavailable(str(exc)) from exc
        except sqlite3.Error as exc:
            con.close()
            raise StoreUnavailable(str(exc)) from exc

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` in one write transaction, retried a few times while another process holds
        the lock; :class:`StoreUnavailable` when it cannot be done."""
        last: Exception | None = None
        for _ in range(self.settings.retries):
            try:
                con = self._connect()
            except sqlite3.OperationalError as exc:  # locked while setting the journal: try again
                last = exc
                continue
            try:
                if not self._ready:
                    self._migrate(con)
                con.execute("BEGIN IMMEDIATE")
                try:
                    out = work(con)
                    con.execute("COMMIT")
                    return out
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                last = exc
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise StoreUnavailable(str(exc)) from exc
                # another process held the lock past the busy timeout (SQLite waited it out): try again
            except sqlite3.Error as exc:  # not a database, corrupt, read-only …
                raise StoreUnavailable(str(exc)) from exc
            finally:
                con.close()
        raise StoreUnavailable(f"the store stayed locked: {last}")

    def _migrate(self, con: sqlite3.Connection) -> None:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreUnavailable(f"the store's schema {version} is newer than this app's {SCHEMA_VERSION}")
        if version < SCHEMA_VERSION:
            con.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see it done
            try:
                version = con.execute("PRAGMA user_version").fetchone()[0]
                for statements in MIGRATIONS[version:]:
                    for statement in statements:
                        con.execute(statement)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        self._ready = True

    def schema_version(self) -> int:
        return self._run(lambda con: con.execute("PRAGMA user_version").fetchone()[0])

    def save(self, page: str, params: dict[str, Any], now: float, name: str | None = None) -> str:
        """Keep a scenario (``params``: its query parameters) and return its id; saving the same
        one again only marks it used. Then drop what the retention period and the size limit
        no longer allow."""
        name = (name or "").strip()[:MAX_NAME] or None
        sid = scenario_id(page, params, name)
        text = json.dumps(params, ensure_ascii=False, sort_keys=True)

        def work(con: sqlite3.Connection) -> str:
            con.execute("INSERT INTO scenarios (id, page, name, params, created, used) VALUES (?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (id) DO UPDATE SET used = excluded.used", (sid, page, name, text, now, now))
            self._prune(con, now, keep=sid)
            return sid

        return self._run(work)

    def load(self, sid: str, now: float) -> StoredScenario | None:
        """The scenario ``sid`` (marked used), or ``None`` when unknown or past the retention period."""
        cutoff = now - self.settings.retention_days * 86400

        def work(con: sqlite3.Connection) -> StoredScenario | None:
            row = con.execute("SELECT id, page, name, params, created, used FROM scenarios WHERE id = ?",
                              (str(sid)[:32],)).fetchone()
            if row is None or row[5] < cutoff or (found := _scenario(row)) is None:
                return None
            con.execute("UPDATE scenarios SET used = ? WHERE id = ?", (now, row[0]))
            return found

        return self._run(work)

    def saved(self, page: str, now: float, limit: int = 100) -> list[StoredScenario]:
        """The named scenarios of ``page`` within the retention period, most recently saved first."""
        cutoff = now - self.settings.retention_days * 86400
        return self._run(lambda con: [found for r in con.execute(
            "SELECT id, page, name, params, created, used FROM scenarios WHERE page = ? AND name IS NOT NULL "
            "AND used >= ? ORDER BY created DESC, id LIMIT ?", (page, cutoff, int(limit)))
            if (found := _scenario(r)) is not None])

    def delete(self, sid: str) -> None:
        self._run(lambda con: con.execute("DELETE FROM scenarios WHERE id = ?", (sid,)))

    def _prune(self, con: sqlite3.Connection, now: float, keep: str) -> None:
        con.execute("DELETE FROM scenarios WHERE used < ? AND id != ?",
                    (now - self.settings.retention_days * 86400, keep))
        limit = self.settings.max_mb * 1024 * 1024
        while _used_bytes(con) > limit:  # links kept for their length go before scenarios a planner named
            oldest = con.execute("SELECT id FROM scenarios WHERE id != ? ORDER BY name IS NOT NULL, used LIMIT 16",
                                 (keep,)).fetchall()
            if not oldest:
                break
            con.executemany("DELETE FROM scenarios WHERE id = ?", oldest)


def _used_bytes(con: sqlite3.Connection) -> int:
    pages = con.execute("PRAGMA page_count").fetchone()[0] - con.execute("PRAGMA freelist_count").fetchone()[0]
    return pages * con.execute("PRAGMA page_size").fetchone()[0]


def _params(text: str) -> dict[str, Any] | None:
    """A row's parameters: text → text or a list of texts; ``None`` for anything else (a file
    edited by hand, a damaged row): the scenario is then treated as missing."""
    try:
        params = json.loads(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(params, dict):
        return None
    ok = all(isinstance(k, str) and (isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)))
             for k, v in params.items())
    return params if ok else None


def _scenario(row: tuple) -> StoredScenario | None:
    params = _params(row[3])
    if params is None:
        return None
    return StoredScenario(id=row[0], page=row[1], name=row[2], params=params, created=row[4], used=row[5])
