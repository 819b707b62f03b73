"""SQLite persistence: one table of JSON records, indexed by kind, owner and a lookup key.

Each state module keeps its own kind of record (organization, member, session, ...). Every
request runs inside one transaction, committed before the response is sent, so a write that
was answered survives `kill -9` (WAL mode; the WAL is in the OS cache once committed).

Requests run in a thread pool, so each thread has its own connection and SQLite does the
locking: a transaction takes the write lock when it begins (`BEGIN IMMEDIATE`), readers never
wait for it (WAL), and no Python lock is held while a request computes.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

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
CREATE INDEX IF NOT EXISTS records_lookup_created ON records (kind, lookup, created);
CREATE INDEX IF NOT EXISTS records_member ON records (kind, member_id);
CREATE INDEX IF NOT EXISTS records_org_created ON records (kind, organization_id, created);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Schema versions (PRAGMA user_version), each a migration from the one before.
_MIGRATIONS = [
    # 1: member lookups are the lowercased email alone (they were "<organization_id>:<email>"),
    # so one index finds an email across organizations; indexes end with `created` for order.
    """
    UPDATE records SET lookup = substr(lookup, instr(lookup, ':') + 1)
        WHERE kind = 'member' AND instr(lookup, ':') > 0;
    DROP INDEX IF EXISTS records_lookup;
    DROP INDEX IF EXISTS records_org;
    """,
]

_COLUMNS = ("id", "organization_id", "member_id", "lookup")
_BUSY_TIMEOUT_SECONDS = 30.0

Record = dict[str, Any]


@dataclass(frozen=True)
class Match:
    """One condition on a record, for `Store.search`.

    `field` is a column (`id`, `organization_id`, `member_id`, `lookup`) or a JSON path into the
    record (`$.status`). `op` is `in` (value: a list), `contains` (case-insensitive substring),
    `is` (a boolean field equals the value) or `nonempty` (the field is a non-empty string, or
    not, as the value says).
    """

    field: str
    op: str
    value: Any

    def sql(self) -> tuple[str, list[Any]]:
        if self.field in _COLUMNS:
            expr, args = self.field, []
        elif self.field.startswith("$."):
            expr, args = "json_extract(data, ?)", [self.field]
        else:
            raise ValueError(f"unknown field {self.field!r}")
        if self.op == "in":
            values = list(self.value)
            if len(values) == 1:
                return f"{expr} = ?", [*args, values[0]]
            # One JSON parameter, however long the list (SQLite caps bound variables).
            return f"{expr} IN (SELECT value FROM json_each(?))", [*args, json.dumps(values)]
        if self.op == "contains":
            return f"instr(casefold({expr}), ?) > 0", [*args, str(self.value).casefold()]
        if self.op == "is":
            return f"{expr} = ?", [*args, 1 if self.value else 0]
        if self.op == "nonempty":
            return f"(coalesce({expr}, '') != '') = ?", [*args, 1 if self.value else 0]
        raise ValueError(f"unknown op {self.op!r}")


def representable(value: Any) -> Any:
    """`value` with what JSON cannot carry replaced: lone surrogates by U+FFFD, NaN and
    infinities by null."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [representable(v) for v in value]
    if isinstance(value, dict):
        return {representable(k): representable(v) for k, v in value.items()}
    return value


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _private_file(path: Path) -> None:
    """The state holds the signing key and TOTP secrets: owner-only, like an SSH key. SQLite
    gives its -wal and -shm files the database file's mode."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            os.chmod(file, 0o600)


class Store:
    def __init__(self, path: str | Path | None) -> None:
        """`path=None` keeps everything in memory (the `--ephemeral` mode)."""
        if path is None:
            # A named in-memory database that every thread's connection shares.
            self._target, self._wal = f"file:/emulator-{uuid.uuid4()}?vfs=memdb", False
        else:
            _private_file(Path(path))
            self._target, self._wal = Path(path).absolute().as_uri(), True
        self._local = threading.local()
        # Opened first, kept open: it creates the schema and keeps an in-memory database alive
        # while worker threads come and go.
        self._anchor = self._connect()
        self._local.db = self._anchor
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._target, uri=True, isolation_level=None,
                             check_same_thread=False, timeout=_BUSY_TIMEOUT_SECONDS)
        if self._wal:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        db.create_function("casefold", 1, _casefold, deterministic=True)
        return db

    @property
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
            self._local.depth = 0
        return db

    def _migrate(self) -> None:
        db = self._anchor
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            fresh = db.execute("SELECT count(*) FROM sqlite_master WHERE name='records'").fetchone()[0] == 0
            for script in [] if fresh else _MIGRATIONS[version:]:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version={len(_MIGRATIONS)}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Atomic and isolated: the write lock is taken at the start, so what a transaction
        reads stays true until it commits. Nested calls join the outer transaction."""
        db = self._db
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            db.execute("BEGIN IMMEDIATE")
        self._local.depth = depth + 1
        try:
            yield
        except BaseException:
            self._local.depth = depth
            if depth == 0:
                db.execute("ROLLBACK")
            raise
        self._local.depth = depth
        if depth == 0:
            db.execute("COMMIT")

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
        try:
            text = json.dumps(data, ensure_ascii=False, allow_nan=False)
            text.encode("utf-8")
        except (ValueError, UnicodeEncodeError):
            # Only a record written by an older emulator can hold these (request bodies are
            # checked): it is healed on its next write, instead of failing it.
            text = json.dumps(representable(data), ensure_ascii=False, allow_nan=False)
        with self.transaction():
            self._db.execute(
                "INSERT INTO records (kind, id, organization_id, member_id, lookup, created, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (kind, id) DO UPDATE SET organization_id=excluded.organization_id,"
                " member_id=excluded.member_id, lookup=excluded.lookup, data=excluded.data",
                (kind, id, organization_id, member_id, lookup, created, text),
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
        matches = [Match(column, "in", [value]) for column, value in (
            ("organization_id", organization_id), ("member_id", member_id), ("lookup", lookup),
        ) if value is not None]
        return self.search(kind, matches)

    def search(
        self,
        kind: str,
        scope: Sequence[Match] = (),
        matches: Sequence[Match] = (),
        *,
        operator: str = "AND",
        offset: int = 0,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Record]:
        """Records of `kind` that meet every `scope` condition and the `matches` combined by
        `operator` (AND or OR), in the order they were created, from `offset`. Only the page
        asked for is read and decoded."""
        where, args = self._where(kind, scope, matches, operator)
        order = "created DESC, rowid DESC" if newest_first else "created, rowid"
        rows = self._db.execute(
            f"SELECT data FROM records WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*args, -1 if limit is None else limit, offset],
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def count(self, kind: str, scope: Sequence[Match] = (), matches: Sequence[Match] = (),
              *, operator: str = "AND") -> int:
        """How many records `search` would find without a limit."""
        where, args = self._where(kind, scope, matches, operator)
        return self._db.execute(f"SELECT count(*) FROM records WHERE {where}", args).fetchone()[0]

    @staticmethod
    def _where(kind: str, scope: Sequence[Match], matches: Sequence[Match], operator: str) -> tuple[str, list[Any]]:
        clauses, args = ["kind=?"], [kind]
        for match in scope:
            sql, more = match.sql()
            clauses.append(sql)
            args += more
        if matches:
            parts = [m.sql() for m in matches]
            joiner = " OR " if operator == "OR" else " AND "
            clauses.append("(" + joiner.join(sql for sql, _ in parts) + ")")
            args += [a for _, more in parts for a in more]
        return " AND ".join(clauses), args

    def column(self, kind: str, column: str, lookups: Sequence[str]) -> list[str]:
        """The distinct values of `column` among records of `kind` with one of these lookups
        (e.g. the organizations of the members with these emails), read from the index."""
        if column not in _COLUMNS:
            raise ValueError(f"unknown column {column!r}")
        # Not DISTINCT in SQL: that makes SQLite prefer an index ordered by `column` and scan it.
        rows = self._db.execute(
            f"SELECT {column} FROM records WHERE kind=? AND lookup IN (SELECT value FROM json_each(?))",
            (kind, json.dumps(list(lookups))),
        ).fetchall()
        return list(dict.fromkeys(r[0] for r in rows))

    def delete(self, kind: str, id: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM records WHERE kind=? AND id=?", (kind, id))

    def delete_where(
        self,
        *,
        kind: str | None = None,
        organization_id: str | None = None,
        member_id: str | None = None,
    ) -> None:
        """Every record of a kind, or owned by an organization or a member, of every kind."""
        with self.transaction():
            if kind is not None:
                self._db.execute("DELETE FROM records WHERE kind=?", (kind,))
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
        """Close this thread's connection and the anchor (worker threads' connections close
        with their threads)."""
        db = getattr(self._local, "db", None)
        if db is not None and db is not self._anchor:
            db.close()
        self._anchor.close()
