"""An audit with a stored plan, ready to be handed over (shared by the hand-off tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from audit.handoff.client import Pacer
from audit.model import Action, ActionKind, Catalog, Horizon, Role, Text, Touchpoint
from audit.store import Store

OWNERS = ("Head of sales", "Office manager", "")


def catalog(n: int) -> Catalog:
    categories = ("office", "product", "technology", "staff")
    return Catalog("tiny", Text.of("Tiny", "name"), tuple(
        Touchpoint(f"tp{i}", categories[i % 4], Text.of({"en": f"Touchpoint {i}", "ru": f"Точка {i}"}, "name")) for i in range(n)))


def planned(store: Store, n: int = 7, *, language: str = "en", name: str = "Corner Bakery") -> tuple[str, dict[Role, str]]:
    """An audit with ``n`` actions; owners cycle through :data:`OWNERS`, due dates from 2025-06-01."""
    audit, links = store.create_audit(name, catalog(n), language=language)
    horizons = (Horizon.WEEK, Horizon.MONTH, Horizon.QUARTER)
    actions = [
        Action(None, audit.id, f"tp{i}", ActionKind.IMPROVE, f"Improve point {i}", OWNERS[i % len(OWNERS)], horizons[i % 3],
               due=dt.date(2025, 6, 1) + dt.timedelta(days=i), standard=f"answer within {i + 1} rings", priority=max(0, 90 - i),
               position=i)
        for i in range(n)
    ]
    store.replace_actions(audit.id, actions)
    return audit.id, links


@dataclass
class FakeClock:
    """Time that passes only when someone waits: pacing is counted, never slept."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def pacer(self, interval: float) -> Pacer:
        return Pacer(interval, clock=self, sleep=self.sleep)
