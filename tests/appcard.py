"""The rating card's browser side, played in AppTest (which cannot run the component's JavaScript).

:class:`FakeCard` does what ``audit/ui/card/card.js`` does with the outbox:
every answer becomes an item ``{d, s, t, f, v, a}`` put in the component's
state value; items stay until ``data.acks`` acknowledges them (or
``data.refused`` refuses them). Tests read the ``data`` the component
received to see what the browser would draw.
"""

from __future__ import annotations

import json
import time
from typing import Any

from streamlit.testing.v1 import AppTest


def component_data(at: AppTest, key: str) -> dict[str, Any]:
    """The ``data`` the component with this key received in the last run."""
    found = [e for e in at.get("bidi_component") if str(e.proto.id).endswith(f"-{key}")]
    assert found, f"no component {key!r} on the page"
    return json.loads(found[-1].proto.json)


class FakeCard:
    """One page load of the card: its device id, sequence numbers, outbox and the deck it holds."""

    def __init__(self, at: AppTest, key: str = "tpa_card", device: str = "apptest01") -> None:
        self.at = at
        self.key = key
        self.device = device
        self.seq = 0
        self.items: list[dict[str, Any]] = []
        self.sends = 0
        self.deck: dict[str, Any] | None = None
        self.deck_version: str | None = None
        self.answers: dict[str, list[Any]] = {}
        self.refused: list[int] = []
        self.read()

    def data(self) -> dict[str, Any]:
        return component_data(self.at, self.key)

    def read(self) -> dict[str, Any]:
        """Take in the last ``data``: the deck (when sent), the saved answers, acknowledgements."""
        data = self.data()
        if data.get("deck"):
            self.deck, self.deck_version = data["deck"], data["deck"]["version"]
        self.answers = data.get("answers") or {}
        ack = (data.get("acks") or {}).get(self.device, 0)
        refused = (data.get("refused") or {}).get(self.device, [])
        self.refused += [i["s"] for i in self.items if i["s"] in refused]
        self.items = [i for i in self.items if i["s"] > ack and i["s"] not in refused]
        return data

    def ids(self) -> list[str]:
        assert self.deck is not None
        return [item["id"] for item in self.deck["items"]]

    def item(self, tp: str, field: str, value: Any, *, at_ms: int | None = None) -> dict[str, Any]:
        self.seq += 1
        entry = {"d": self.device, "s": self.seq, "t": tp, "f": field, "v": value, "a": at_ms or int(time.time() * 1000)}
        self.items.append(entry)
        return entry

    def send(self, items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Put the outbox (or ``items`` as given) in the state value and let the server run."""
        self.sends += 1
        self.at.session_state[self.key] = {"outbox": {"items": self.items if items is None else items, "n": self.sends, "deck": self.deck_version}}
        self.at.run()
        assert not self.at.exception, [e.value for e in self.at.exception]
        return self.read()

    def answer(self, tp: str, field: str, value: Any, **kw: Any) -> dict[str, Any]:
        self.item(tp, field, value, **kw)
        return self.send()
