"""What was computed from an audit's data, kept per data version for every session of this process.

A results page, a crosshair switch, the plan page and the workbook all start
from the same analysis of the same data. :class:`Derived` keeps such values
keyed by a *family* (e.g. the analysis of one audit, wave and crosshair) and
the data version they were computed from (:mod:`audit.store.versions`):

- a family holds one value, its newest version: a value of an older version
  is never asked for again once the data moved on, so it is dropped at once;
- at most ``families`` families are kept, the least recently used go first;
- two sessions asking for the same family and version at once compute it
  once: the second waits for the first (and gets its error, if it fails).

The values are shared read-only between sessions: never change one in place.
Thread-safe: one lock, held only to look up and store, never while computing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class Derived:
    """A bounded, thread-safe store of values computed per family and data version (see the module)."""

    def __init__(self, families: int = 48) -> None:
        if families < 1:
            raise ValueError("families: at least 1")
        self.families = families
        self.made = 0  # values computed so far (tests count work, not time)
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()
        self._making: dict[tuple[Hashable, Any], Future[Any]] = {}

    def __len__(self) -> int:
        return len(self._values)

    def get(self, family: Hashable, version: Any, make: Callable[[], T]) -> T:
        """The value of ``family`` at ``version``: kept, being computed by another caller, or ``make()`` now.

        ``version`` must only grow over time within a family (a data version, or a tuple of them).
        """
        with self._lock:
            found = self._values.get(family)
            if found is not None and found[0] == version:
                self._values.move_to_end(family)
                value: T = found[1]
                return value
            pending = self._making.get((family, version))
            mine = pending is None
            if pending is None:
                pending = self._making[(family, version)] = Future()
        if not mine:
            waited: T = pending.result()
            return waited
        try:
            value = make()
        except BaseException as err:
            with self._lock:
                del self._making[(family, version)]
            pending.set_exception(err)
            raise
        self._keep(family, version, value)
        pending.set_result(value)
        return value

    def _keep(self, family: Hashable, version: Any, value: Any) -> None:
        with self._lock:
            del self._making[(family, version)]
            self.made += 1
            current = self._values.get(family)
            if current is not None and current[0] > version:
                return  # a newer value is kept already (this caller read an older snapshot)
            self._values[family] = (version, value)
            self._values.move_to_end(family)
            while len(self._values) > self.families:
                self._values.popitem(last=False)
