"""SQLite's one-writer-at-a-time, made fast and fair: group commit in a process, an flock across processes.

SQLite allows one writer at a time, so the writers of one process share
*group commits*: each call queues its work; whoever holds the write turn (the
leader) runs every queued work in one transaction, each inside its own
savepoint (one work's error rolls back only that work; a work alone in its
batch needs none), commits once, and
hands each caller its own result. Then it hands the turn to the oldest
waiting caller. Under a burst of 50 people saving at once this turns 50
commits into a few, and nobody waits behind a sleep-and-poll busy handler.

Processes take turns on an flock of a side file (``<database>.writelock``)
instead of SQLite's busy handler, whose polling makes long tails.

The write-ahead log is copied back into the database file (a checkpoint)
every :data:`CHECKPOINT_EVERY` write turns by the caller whose turn just
ended, after handing the turn on, instead of by SQLite inside a commit
(``wal_autocheckpoint`` is off, see :mod:`audit.store.engine`): a
checkpoint writes and syncs the database file, and inside the commit the
whole group waited for it (50 people saving at once, p99 on a loaded
machine: 21-77 ms with SQLite's checkpoints, 10-12 ms with none at all,
8-29 ms with these). A ``PASSIVE`` checkpoint waits for nobody and holds no
writer up.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from audit.store.engine import run_transaction

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

CHECKPOINT_EVERY = 32  # write turns between two checkpoints of the write-ahead log


class _Job:
    """One queued write for group commit; ``work is None``: a unit of work waiting for the whole turn."""

    __slots__ = ("done", "error", "value", "wakeup", "work")

    def __init__(self, work: Callable[[Connection], Any] | None) -> None:
        self.work = work
        self.wakeup = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        self.done = False

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


class WriteQueue:
    """The write turn of one SQLite database in this process (share one per database)."""

    def __init__(self, engine: Engine, database: str | None) -> None:
        self.engine = engine
        self._mutex = threading.Lock()
        self._leading = False
        self._pending: list[_Job] = []
        self._turns = 0  # write turns since the last checkpoint
        self._checkpointing = False
        self._lock_file: IO[bytes] | None = None
        if fcntl is not None and database not in (None, "", ":memory:"):
            self._lock_file = open(f"{database}.writelock", "a+b")  # noqa: SIM115 - closed in close()

    def close(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    @contextmanager
    def file_turn(self) -> Iterator[None]:
        """Hold the cross-process write turn (an flock on the side file) while the body runs."""
        if self._lock_file is None:
            yield
            return
        fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)

    def transaction(self, work: Callable[[Connection], T]) -> T:
        """One write transaction under the file turn (retried while the database is busy)."""
        return run_transaction(self.engine, work, turn=self.file_turn)

    def submit(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a (group-committed) write transaction and return its result, or raise its error."""
        job = _Job(work)
        self._wait_for_turn(job)
        if job.done:  # a leader ran it in its batch
            return job.outcome()
        with self._mutex:
            batch = self._pending[: next((i for i, j in enumerate(self._pending) if j.work is None), len(self._pending))]
            del self._pending[: len(batch)]
        self._run_batch(batch)
        self._hand_off()
        self._after_turn()
        return job.outcome()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the write turn of this process alone while the body runs (a unit of work).

        Waits in the same queue as group commits, so it is served in order,
        and the group commits queued behind it wait for it to end.
        """
        job = _Job(None)
        self._wait_for_turn(job)  # group commits never run a unit's job: it is handed the turn
        with self._mutex:
            self._pending.remove(job)
        try:
            with self.file_turn():
                yield
        finally:
            self._hand_off()
            self._after_turn()

    def _after_turn(self) -> None:
        """Count a write turn that ended; every :data:`CHECKPOINT_EVERY` of them, checkpoint (see the module).

        A failed checkpoint is left to the next one: what was committed is safe in the log either way.
        """
        with self._mutex:
            self._turns += 1
            if self._turns < CHECKPOINT_EVERY or self._checkpointing:
                return
            self._turns, self._checkpointing = 0, True
        try:
            raw = self.engine.raw_connection()  # the driver's own connection: no transaction around the pragma
            try:
                raw.dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
            finally:
                raw.close()
        except (DBAPIError, sqlite3.Error):
            pass  # left to the next checkpoint (see above)
        finally:
            self._checkpointing = False

    def _wait_for_turn(self, job: _Job) -> None:
        """Queue ``job``; return at once if nobody holds the turn, else when woken (run in a batch, or handed the turn)."""
        with self._mutex:
            self._pending.append(job)
            leading = not self._leading
            self._leading = True
        if not leading:
            job.wakeup.wait()

    def _hand_off(self) -> None:
        with self._mutex:
            if self._pending:
                self._pending[0].wakeup.set()  # hand the turn to the oldest waiting job
            else:
                self._leading = False

    def _run_batch(self, batch: list[_Job]) -> None:
        if len(batch) == 1 and batch[0].work is not None:  # alone: its own transaction is its savepoint
            self._run_alone(batch[0])
            return

        def run_all(conn: Connection) -> None:
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # (it is open)
            try:
                for job in batch:
                    job.value, job.error = None, None
                    cursor.execute("SAVEPOINT job")  # sent to the driver: SQLAlchemy's begin_nested() cost a save
                    try:  # as much CPU as the save's own statements
                        job.value = job.work(conn) if job.work is not None else None
                    except Exception as err:  # handed to that job's caller, below
                        cursor.execute("ROLLBACK TO job")
                        job.error = err
                    cursor.execute("RELEASE job")
            finally:
                cursor.close()

        try:
            self.transaction(run_all)
        except BaseException as err:  # the whole transaction failed: every job gets the error
            for job in batch:
                job.value, job.error = None, err
        finally:
            for job in batch:
                job.done = True
                job.wakeup.set()

    def _run_alone(self, job: _Job) -> None:
        """One queued write with nobody to share the commit: no savepoint (its error rolls back the transaction)."""
        assert job.work is not None
        job.value, job.error = None, None
        try:
            job.value = self.transaction(job.work)
        except BaseException as err:  # handed to the caller
            job.error = err
        finally:
            job.done = True
            job.wakeup.set()
