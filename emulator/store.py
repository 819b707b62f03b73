"""SQLite persistence: one table of JSON records, indexed by kind, owner and a lookup key.

Each state module keeps its own kind of record (organization, member, session, ...). Every
request runs inside one transaction, committed before the response is sent, so a write that
was answered survives `kill -9` (WAL mode; the WAL is in the OS cache once committed).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    organization_id TEXT,
    member_id TEXT,
    lookup TEXT,
    created REAL NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS records_lookup ON records (kind, lookup);
CREATE INDEX IF NOT EXISTS records_member ON records (kind, member_id);
CREATE INDEX IF NOT EXISTS records_org ON records (kind, organization_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

Record = dict[str, Any]


class Store:
    def __init__(self, path: str | Path | None) -> None:
        """`path=None` keeps everything in memory (the `--ephemeral` mode)."""
        target = ":memory:" if path is None else str(path)
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection, used by one request at a time (the lock), keeps every request atomic.
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._db.execute("COMMIT")

    # Records -------------------------------------------------------------------------------

    def put(
        self,
        kind: str,
        id: str,
        data: Record,
        *,
        organization_id: str | None = None,
        member_id: str | None = None,
        lookup: str | None = None,
        created: float = 0.0,
    ) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO records (kind, id, organization_id, member_id, lookup, created, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (kind, id) DO UPDATE SET organization_id=excluded.organization_id,"
                " member_id=excluded.member_id, lookup=excluded.lookup, data=excluded.data",
                (kind, id, organization_id, member_id, lookup, created, json.dumps(data)),
            )

    def get(self, kind: str, id: str) -> Record | None:
        row = self._db.execute(
            "SELECT data FROM records WHERE kind=? AND id=?", (kind, id)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def find(
        self,
        kind: str,
        *,
        organization_id: str | None = None,
        member_id: str | None = None,
        lookup: str | None = None,
    ) -> list[Record]:
        """Records of a kind matching every given column, oldest first."""
        clauses, args = ["kind=?"], [kind]
        for column, value in (
            ("organization_id", organization_id),
            ("member_id", member_id),
            ("lookup", lookup),
        ):
            if value is not None:
                clauses.append(f"{column}=?")
                args.append(value)
        rows = self._db.execute(
            f"SELECT data FROM records WHERE {' AND '.join(clauses)} ORDER BY created, rowid",
            args,
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def delete(self, kind: str, id: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM records WHERE kind=? AND id=?", (kind, id))

    def delete_where(
        self, *, organization_id: str | None = None, member_id: str | None = None
    ) -> None:
        """Everything owned by an organization or a member, of every kind."""
        with self.transaction():
            if organization_id is not None:
                self._db.execute("DELETE FROM records WHERE organization_id=?", (organization_id,))
            if member_id is not None:
                self._db.execute("DELETE FROM records WHERE member_id=?", (member_id,))

    def wipe(self) -> None:
        """Every record; meta (signing key, clock) stays."""
        with self.transaction():
            self._db.execute("DELETE FROM records")

    # Meta ----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                (key, value),
            )

    def close(self) -> None:
        self._db.close()
