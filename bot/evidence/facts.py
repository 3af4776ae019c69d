"""Facts a runbook learned about a client (`remember:`), kept between runs: `{{ facts.NAME }}`."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

SCHEMA = """CREATE TABLE IF NOT EXISTS client_facts (
    client TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    run_id TEXT, updated_at REAL NOT NULL, PRIMARY KEY (client, name))"""


class FactStore:
    """A small table beside the run history (same SQLite file)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute(SCHEMA)
        return connection

    def get(self, client: str) -> dict[str, str]:
        if not self.path.exists():
            return {}
        with closing(self._connect()) as db:
            rows = db.execute("SELECT name, value FROM client_facts WHERE client = ?", (client,))
            return {name: value for name, value in rows}

    def put(
        self, client: str, facts: dict[str, str], run_id: str, forget: tuple[str, ...] = ()
    ) -> None:
        """Keep `facts`; drop the names in `forget` (a passing run no longer found them)."""
        with closing(self._connect()) as db, db:
            db.executemany(
                "DELETE FROM client_facts WHERE client = ? AND name = ?",
                [(client, name) for name in forget if name not in facts],
            )
            db.executemany(
                "INSERT INTO client_facts VALUES (?, ?, ?, ?, ?) ON CONFLICT (client, name) "
                "DO UPDATE SET value = excluded.value, run_id = excluded.run_id, "
                "updated_at = excluded.updated_at",
                [(client, name, value, run_id, time.time()) for name, value in facts.items()],
            )

    def all(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        with closing(self._connect()) as db:
            found: dict[str, dict[str, str]] = {}
            for client, name, value in db.execute("SELECT client, name, value FROM client_facts"):
                found.setdefault(client, {})[name] = value
            return found
