"""PostgreSQL connections kept in autocommit for statements sent alone (a rating save, see :func:`audit.store.prebuilt.run_alone`).

A rating save on PostgreSQL is one statement sent in autocommit. Checking a
connection out of SQLAlchemy's pool for it, switching it into autocommit,
out again and checking it back in, plus a new cursor, cost about 40 of the
130 us of CPU a save took when 50 people saved at once in one app process
(raw psycopg sending the same statement: about 80 us; user CPU per save in
a burst of ``python -m audit bench --writers-only``), and those threads
share one interpreter lock, so everyone waits for it. Instead, saves keep some of the
pool's connections checked out, already in autocommit, on a stack of their
own: taking one is a list pop, giving it back an append, the most recently
used first (its server process is the warmest).

Borrowed, not extra: every connection on the stack was checked out of the
engine's pool, so the pool's size and overflow (``AUDIT_DB_POOL_SIZE``,
``AUDIT_DB_POOL_OVERFLOW``) bound them together with every other query, and
a save that finds the stack empty and the pool exhausted waits the pool's
timeout like any query. At most ``keep`` (``AUDIT_DB_POOL_SAVES``, and one
fewer than the pool may open, so other queries always have one) wait on the
stack between saves; one given back beyond that, one kept longer than the
pool's recycle time, one unused for :data:`IDLE_SECONDS` and all of them on
:meth:`AutocommitConnections.close` go back to the pool (which replaces a
connection older than its recycle time when it next hands it out). With
pre-ping on, a connection is tested as it is taken, as the pool would. A
connection the server dropped is invalidated by the save that met it (that
save is retried on another, :func:`audit.store.engine.retried`), and every
connection waiting on the stack is invalidated with it: a restart of the
server drops them all.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.pool import PoolProxiedConnection

IDLE_SECONDS = 60.0  # a connection not used for this long goes back to the pool (checked when a save gives one back)


@dataclass(eq=False, slots=True)
class Kept:
    """One connection of the stack: the pool's checkout (``fairy``), its psycopg connection in autocommit and a
    cursor of it kept open (a statement sent alone needs no cursor of its own), when it was checked out and when
    it was last given back (``time.monotonic``)."""

    fairy: PoolProxiedConnection
    dbapi: Any
    cursor: Any
    borrowed: float
    used: float = field(default=0.0)
    dropped: bool = False  # invalidated by the save that used it (the server dropped it)


class AutocommitConnections:
    """The stack of autocommit connections of one engine (see the module). Thread-safe."""

    def __init__(self, engine: Engine, keep: int, *, recycle: float = -1, pre_ping: bool = False) -> None:
        self.engine = engine
        self.keep = keep
        self.recycle = recycle  # seconds (-1: never)
        self.pre_ping = pre_ping
        self._idle: list[Kept] = []
        self._lock = threading.Lock()
        self._closed = False
        self._error = engine.dialect.loaded_dbapi.Error

    def kept(self) -> int:
        """How many connections wait on the stack now."""
        return len(self._idle)

    def take(self) -> Kept:
        """The most recently used connection on the stack that is still good, else one checked out of the pool."""
        now = time.monotonic()
        while True:
            with self._lock:
                entry = self._idle.pop() if self._idle else None
            if entry is None:
                return self._borrow(now)
            if self.recycle >= 0 and now - entry.borrowed > self.recycle:
                self._give_back(entry)
            elif entry.dbapi.closed or (self.pre_ping and not self._answers(entry)):
                entry.fairy.invalidate()
            else:
                return entry

    def give(self, entry: Kept) -> None:
        """``entry`` after its statement: onto the stack, or back to the pool (see the module)."""
        if entry.dropped:
            return
        entry.used = now = time.monotonic()
        with self._lock:
            keep = not self._closed and len(self._idle) < self.keep
            if keep:
                self._idle.append(entry)
            oldest = self._idle.pop(0) if self._idle and now - self._idle[0].used > IDLE_SECONDS else None
        if not keep:
            self._give_back(entry)  # after close(): the engine's pool closes it when the store disposes of it
        if oldest is not None:
            self._give_back(oldest)

    def discard(self, entry: Kept, err: BaseException | None = None) -> None:
        """``entry`` is unusable (the server dropped it, or its statement was interrupted): invalidate it, and
        every connection waiting on the stack when ``err`` says the server dropped it."""
        if entry.dropped:
            return
        entry.dropped = True
        entry.fairy.invalidate(err)
        if err is not None:
            with self._lock:
                waiting, self._idle = self._idle, []
            for other in waiting:
                other.dropped = True
                other.fairy.invalidate(err)

    def close(self) -> None:
        """Give every waiting connection back to the pool; those in use go back when their save ends."""
        with self._lock:
            self._closed = True
            waiting, self._idle = self._idle, []
        for entry in waiting:
            self._give_back(entry)

    def _borrow(self, now: float) -> Kept:
        fairy = self.engine.raw_connection()  # may wait for the pool (its timeout)
        dbapi = fairy.dbapi_connection
        try:
            dbapi.autocommit = True  # type: ignore[union-attr]
        except self._error as err:
            fairy.invalidate(err)
            raise
        return Kept(fairy, dbapi, dbapi.cursor(), now)  # type: ignore[union-attr]

    def _give_back(self, entry: Kept) -> None:
        """Back to the pool as the pool hands connections out: not in autocommit, no transaction open."""
        try:
            entry.cursor.close()
            entry.dbapi.autocommit = False
        except self._error as err:  # never into the pool in autocommit
            entry.fairy.invalidate(err)
            return
        entry.fairy.close()

    def _answers(self, entry: Kept) -> bool:
        """Pre-ping: whether the connection still answers."""
        try:
            return bool(self.engine.dialect.do_ping(entry.dbapi))
        except self._error:
            return False
