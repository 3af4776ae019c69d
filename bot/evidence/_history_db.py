"""The run history database (SQLite, WAL): runs, their steps and the facts they remembered; every
string scrubbed before it is written."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import InputError
from bot.evidence._owner_only import private_file, private_folder, private_if_there
from bot.evidence._processes import pid_alive
from bot.evidence._record import failing_of, steps_around
from bot.evidence.scrub import Scrubber

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, client TEXT, runbook TEXT NOT NULL, operator TEXT, pid INTEGER, host TEXT,
  started_at REAL NOT NULL, finished_at REAL, verdict TEXT NOT NULL DEFAULT 'running',
  failure_kind TEXT, message TEXT, run_dir TEXT, trace_path TEXT, report_path TEXT,
  failing_step TEXT);
CREATE TABLE IF NOT EXISTS steps (
  run_id TEXT NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, path TEXT NOT NULL,
  description TEXT, status TEXT NOT NULL, started REAL, duration REAL, attempt INTEGER,
  message TEXT, failure_kind TEXT, matched TEXT, source TEXT, PRIMARY KEY (run_id, seq));
CREATE INDEX IF NOT EXISTS runs_by_client ON runs(client, started_at);
-- what a passing run remembered (`remember:`); a NULL value: the run no longer found it
CREATE TABLE IF NOT EXISTS facts (
  run_id TEXT NOT NULL, client TEXT NOT NULL, name TEXT NOT NULL, value TEXT,
  recorded_at REAL NOT NULL, PRIMARY KEY (run_id, name));
CREATE INDEX IF NOT EXISTS facts_by_client ON facts(client, name, recorded_at);
"""
RUN_COLUMNS = (
    "id, client, runbook, operator, pid, host, started_at, finished_at, verdict, failure_kind, "
    "message, run_dir, trace_path, report_path, failing_step"
)
DAY = 24 * 3600


@dataclass(frozen=True)
class StepRow:
    run_id: str
    seq: int
    path: str
    description: str | None
    status: str
    started: float | None
    duration: float | None
    attempt: int | None
    message: str | None
    failure_kind: str | None
    matched: str | None
    source: str | None


@dataclass(frozen=True)
class RunRow:
    """One run; `verdict` is running, passed, failed or interrupted. `steps` only from get_run."""

    id: str
    client: str | None
    runbook: str
    operator: str | None
    pid: int | None
    host: str | None
    started_at: float
    finished_at: float | None
    verdict: str
    failure_kind: str | None
    message: str | None
    run_dir: str | None
    trace_path: str | None
    report_path: str | None
    failing_step: str | None = None  # the path of the innermost step that failed
    step_count: int = 0
    steps: tuple[StepRow, ...] = field(default=())
    facts: dict[str, str] = field(default_factory=dict)  # what the run remembered

    @property
    def failed(self) -> StepRow | None:
        """The step the run failed on: the innermost that failed."""
        return failing_of(self.steps, self.failing_step)

    def around(self, step: StepRow) -> list[StepRow]:
        """The steps `step` ran inside, outermost first."""
        return steps_around(self.steps, step)


EXTRA_FIELDS = frozenset({"operator", "run_dir", "trace_path", "report_path", "message"})


class History:
    """Run history at `path`; safe to share between threads and between processes."""

    def __init__(self, path: Path, scrubber: Scrubber | None = None) -> None:
        self.path = path
        self.scrubber = scrubber if scrubber is not None else Scrubber()
        # owner-only, as all evidence: SQLite gives its -wal and -shm the database's mode
        self._lock = threading.Lock()
        try:
            private_file(private_folder(path.parent) / path.name)
            self._db = sqlite3.connect(
                path, timeout=30, check_same_thread=False, isolation_level=None
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            for companion in (
                path.with_name(f"{path.name}-wal"),
                path.with_name(f"{path.name}-shm"),
            ):
                private_if_there(companion)  # made before the history was owner-only
            # a commit reaches the WAL file at once (a killed bot keeps it) without waiting for
            # the disk; only a machine crash may lose the last ones. A fleet's runs share one
            # thread.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            _adopt_old_client_facts(self._db)
            _add_failing_step(self._db)
        except (sqlite3.Error, OSError) as exc:
            raise HistoryUnusable(_unusable(path, exc)) from None

    def close(self) -> None:
        self._db.close()

    def check_writable(self, wait_s: float = 10.0) -> None:
        """Raise HistoryUnusable unless a write can start within `wait_s` (another program
        holding the database locked, a read-only file): a run must not start that could not
        be recorded. Before: the run went ahead, each write waited 30 s and failed, and the
        run was lost (its verdict even said `bot runs show ID`)."""
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
            try:
                with self._write():
                    pass
            finally:
                self._db.execute("PRAGMA busy_timeout = 30000")
        except sqlite3.Error as exc:
            raise HistoryUnusable(_unusable(self.path, exc)) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed at once (a killed process keeps what was written)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def clean(self, value: Any) -> Any:
        """Strings scrubbed; anything else as it is."""
        return self.scrubber.text(value) if isinstance(value, str) else value

    def insert(self, table: str, row: dict[str, Any]) -> None:
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._write() as db:
            db.execute(
                f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})",
                [self.clean(value) for value in row.values()],
            )

    def update(self, table: str, where: dict[str, Any], values: dict[str, Any]) -> None:
        sets = ", ".join(f"{name} = ?" for name in values)
        condition = " AND ".join(f"{name} = ?" for name in where)
        with self._write() as db:
            db.execute(
                f"UPDATE {table} SET {sets} WHERE {condition}",
                [*(self.clean(value) for value in values.values()), *where.values()],
            )

    def update_run(self, run_id: str, **values: Any) -> None:
        """Record more about a run: operator, run_dir, trace_path, report_path, message."""
        unknown = set(values) - EXTRA_FIELDS
        if unknown:
            raise ValueError(f"unknown run field(s): {', '.join(sorted(unknown))}")
        if values:
            self.update("runs", {"id": run_id}, values)

    def list_runs(
        self, client: str | None = None, failed_only: bool = False, limit: int = 50
    ) -> list[RunRow]:
        """Newest first; stale 'running' rows are marked interrupted first."""
        self.mark_stale_runs()
        query = (
            f"SELECT {RUN_COLUMNS}, (SELECT COUNT(*) FROM steps WHERE run_id = runs.id)"
            " AS step_count FROM runs WHERE 1 = 1"
        )
        arguments: list[Any] = []
        if client is not None:
            query += " AND client = ?"
            arguments.append(client)
        if failed_only:
            query += " AND verdict IN ('failed', 'interrupted')"
        query += " ORDER BY started_at DESC LIMIT ?"
        rows = self._db.execute(query, [*arguments, limit]).fetchall()
        return [RunRow(**dict(row), facts=self.run_facts(row["id"])) for row in rows]

    def get_run(self, run_id: str) -> RunRow | None:
        """One run with its steps in order, or None."""
        self.mark_stale_runs()
        row = self._db.execute(f"SELECT {RUN_COLUMNS} FROM runs WHERE id = ?", [run_id]).fetchone()
        if row is None:
            return None
        steps = tuple(
            StepRow(**dict(step))
            for step in self._db.execute(
                "SELECT * FROM steps WHERE run_id = ? ORDER BY seq", [run_id]
            )
        )
        facts = self.run_facts(run_id)
        return RunRow(**dict(row), step_count=len(steps), steps=steps, facts=facts)

    def remember(
        self, run_id: str, client: str, facts: dict[str, str], names: Iterable[str]
    ) -> None:
        """What a passing run of `client` found out: `facts`; each of `names` it did not find is
        forgotten (recorded as NULL), so the client's facts stay what its latest run saw."""
        now = time.time()
        rows = [(run_id, client, name, self.clean(facts.get(name)), now) for name in names]
        with self._write() as db:
            db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)", rows)

    def forget(self, client: str) -> None:
        """From now on nothing is known about `client` (its systems were reset): each of its
        facts is recorded as not found; what each past run found stays with that run."""
        names = list(self.client_facts(client).get(client, {}))
        if names:
            self.remember(f"forgotten:{client}", client, {}, names)

    def run_facts(self, run_id: str) -> dict[str, str]:
        rows = self._db.execute(
            "SELECT name, value FROM facts WHERE run_id = ? AND value IS NOT NULL", [run_id]
        )
        return {name: value for name, value in rows}

    def client_facts(self, client: str | None = None) -> dict[str, dict[str, str]]:
        """Every client's facts (or one client's), each from the latest run that remembered it."""
        return {
            name: {fact: value for fact, (value, _) in facts.items()}
            for name, facts in self.client_facts_in_order(client).items()
        }

    def client_facts_in_order(
        self, client: str | None = None
    ) -> dict[str, dict[str, tuple[str, int]]]:
        """`client_facts`, each value with a number that grows with every fact remembered (which
        of two facts a later run remembered)."""
        query = (
            # the latest row (rowids grow with every insert) of each client's fact
            "SELECT rowid, client, name, value FROM facts AS f WHERE rowid ="
            " (SELECT MAX(rowid) FROM facts WHERE client = f.client AND name = f.name)"
        )
        arguments: list[str] = []
        if client is not None:
            query += " AND client = ?"
            arguments.append(client)
        found: dict[str, dict[str, tuple[str, int]]] = {}
        for row in self._db.execute(query, arguments):
            if row["value"] is not None:
                found.setdefault(row["client"], {})[row["name"]] = (row["value"], row["rowid"])
        return found

    def mark_stale_runs(self, now: float | None = None) -> int:
        """'running' rows whose process is gone (same host, dead pid; other host, older than a
        day) become 'interrupted'; returns how many."""
        now = time.time() if now is None else now
        host = socket.gethostname()
        stale = [
            row
            for row in self._db.execute(
                "SELECT id, pid, host, started_at FROM runs WHERE verdict = 'running'"
            )
            if (row["host"] == host and not pid_alive(row["pid"], since=row["started_at"]))
            or (row["host"] != host and now - row["started_at"] > DAY)
        ]
        for row in stale:
            self.update(
                "runs",
                {"id": row["id"], "verdict": "running"},
                {
                    "verdict": "interrupted",
                    "failure_kind": "interrupted",
                    "finished_at": now,
                    "message": f"process {row['pid']} on {row['host']} ended without finishing "
                    "the run (killed or crashed); the steps recorded are those done",
                },
            )
        return len(stale)


class HistoryUnusable(InputError):
    """The history file cannot be opened (damaged, not SQLite, locked, read-only): nothing was
    started, and the message says which file and what to do."""


def _unusable(path: Path, exc: sqlite3.Error | OSError) -> str:
    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    if "locked" in reason or "busy" in reason:
        fix = (
            "another program holds it (a `sqlite3` shell, a backup, a stuck bot): close it and "
            "run again"
        )
    elif isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        fix = (
            f"it is damaged or not a SQLite database: move it aside (mv {path} {path}.broken) "
            "and run again to start a new history, or set `runs.history` to another file"
        )
    else:
        fix = "make it (and its folder) writable, or set `runs.history` to another file"
    return f"the run history {path} cannot be used ({reason}): {fix}"


def _adopt_old_client_facts(db: sqlite3.Connection) -> None:
    """Histories written before facts were per run kept them in `client_facts`: copy them over."""
    found = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'client_facts'"
    ).fetchone()
    if found is None:
        return
    db.execute(
        "INSERT OR IGNORE INTO facts SELECT COALESCE(run_id, 'adopted'), client, name, value,"
        " updated_at FROM client_facts"
    )
    db.execute("DROP TABLE client_facts")


def _add_failing_step(db: sqlite3.Connection) -> None:
    """Histories written before the failing step was kept per run get its column (empty)."""
    columns = {row["name"] for row in db.execute("PRAGMA table_info(runs)")}
    if "failing_step" not in columns:
        with contextlib.suppress(sqlite3.OperationalError):  # another process added it just now
            db.execute("ALTER TABLE runs ADD COLUMN failing_step TEXT")
