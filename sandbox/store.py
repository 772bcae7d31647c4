"""State in one SQLite file: JSON documents per kind, plus key/value config.

Every read-modify-write runs inside `Store.atomic()`, which holds one process-wide lock and an
SQLite transaction, so handlers and background threads never interleave half-done changes.
"""

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref TEXT,
    code TEXT,
    status TEXT,
    created REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS objects_kind_ref ON objects(kind, ref);
CREATE UNIQUE INDEX IF NOT EXISTS objects_kind_code ON objects(kind, code);
CREATE INDEX IF NOT EXISTS objects_kind_status ON objects(kind, status);
CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Paystack ids are large integers (transactions exceed 32 bits: store them as 64-bit).
ID_OFFSETS = {
    "transaction": 5_000_000_000,
    "customer": 250_000,
    "authorization": 0,
    "refund": 3_000_000,
    "recipient": 20_000_000,
    "transfer": 860_000_000,
    "dva": 1_000,
    "delivery": 0,
    "job": 0,
    "dispute": 1_800_000,
    "evidence": 20_000,
    "upload": 0,
}


class Store:
    def __init__(self, path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(SCHEMA)
        self.lock = threading.RLock()
        self._depth = 0

    @contextmanager
    def atomic(self):
        with self.lock:
            outer = self._depth == 0
            if outer:
                self.conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.conn.execute("COMMIT")

    # --- documents -----------------------------------------------------------------------
    def insert(self, kind, data, ref=None, code=None):
        with self.atomic():
            cur = self.conn.execute(
                "INSERT INTO objects(kind, ref, code, status, created, data) VALUES (?,?,?,?,?,?)",
                (kind, ref, code, data.get("status"), time.time(), "{}"),
            )
            data["_rowid"] = cur.lastrowid
            data.setdefault("id", ID_OFFSETS[kind] + cur.lastrowid)
            self.save(kind, data)
        return data

    def save(self, kind, data):
        self.conn.execute(
            "UPDATE objects SET data = ?, status = ? WHERE rowid = ? AND kind = ?",
            (json.dumps(data), data.get("status"), data["_rowid"], kind),
        )
        return data

    def set_ref(self, kind, data, ref):
        """Give a stored document its lookup key once it is known (e.g. from its id)."""
        self.conn.execute(
            "UPDATE objects SET ref = ? WHERE rowid = ? AND kind = ?", (ref, data["_rowid"], kind)
        )

    def get(self, kind, *, id=None, ref=None, code=None):
        with self.lock:
            return self._get(kind, id=id, ref=ref, code=code)

    def _get(self, kind, *, id=None, ref=None, code=None):
        if id is not None:
            try:
                rowid = int(id) - ID_OFFSETS[kind]
            except (TypeError, ValueError):
                return None
            row = self.conn.execute(
                "SELECT data FROM objects WHERE kind = ? AND rowid = ?", (kind, rowid)
            ).fetchone()
        elif ref is not None:
            row = self.conn.execute(
                "SELECT data FROM objects WHERE kind = ? AND ref = ?", (kind, ref)
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT data FROM objects WHERE kind = ? AND code = ?", (kind, code)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def all(self, kind, status=None, newest_first=True):
        with self.lock:
            return self._all(kind, status, newest_first)

    def _all(self, kind, status=None, newest_first=True):
        order = "DESC" if newest_first else "ASC"
        if status is None:
            rows = self.conn.execute(
                f"SELECT data FROM objects WHERE kind = ? ORDER BY rowid {order}", (kind,)
            )
        else:
            rows = self.conn.execute(
                f"SELECT data FROM objects WHERE kind = ? AND status = ? ORDER BY rowid {order}",
                (kind, status),
            )
        return [json.loads(row[0]) for row in rows]

    # --- config ----------------------------------------------------------------------------
    def get_config(self, key, default=None):
        with self.lock:
            row = self.conn.execute("SELECT value FROM config WHERE key = ?", (key,)).fetchone()
            return json.loads(row[0]) if row else default

    def set_config(self, key, value):
        with self.lock:
            self.conn.execute(
                "INSERT INTO config(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )
