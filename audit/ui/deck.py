"""What the rating card receives from Python, as plain functions (no Streamlit here).

The card (``audit/ui/card``) gets the whole *deck* a person walks (a filter of
the catalog, texts in the audit's language, labels in the UI language), the
person's saved answers, and the acknowledgements of their outbox. The deck is
sent once per browser session and version (it is the large part); answers are
sent compactly on every round.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from audit.i18n import t
from audit.model import Catalog, Presence, Rating, Reaction, Touchpoint

# Labels of the card, by the name card.js uses (``card.<name>`` in audit.i18n).
CARD_LABELS = (
    "position", "rated", "rated_of", "look_at", "importance", "importance_short", "importance_hint", "reaction",
    "presence", "comment", "idea", "comment_placeholder", "idea_placeholder", "previous", "next", "next_unrated",
    "not_applicable", "marked_na", "undo_na", "all_done", "auto_advance", "moved", "undo", "status_sending",
    "status_saved", "status_retry", "status_refused", "all_saved", "sending_count", "waiting", "following",
    "facilitator_at", "facilitator_card", "leave", "follow", "time_left", "time_up", "keys_hint", "grid_keys_hint",
    "col_touchpoint",
)


def slot(token: str) -> str:
    """A name for a link in the browser's storage (a hash: the link itself is never stored there)."""
    return hashlib.sha256(f"touchpoint-audit:{token}".encode()).hexdigest()[:24]


def labels(lang: str) -> dict[str, str]:
    out = {name: t(f"card.{name}", lang) for name in CARD_LABELS}
    out["added_by_team"] = t("rate.added_by_team", lang)
    for reaction in Reaction:
        out[f"reaction_{reaction.value}"] = t(f"reaction_word.{reaction.value}", lang)
    for presence in Presence:
        out[f"presence_{presence.value}"] = t(f"presence_word.{presence.value}", lang)
        out[f"presence_short_{presence.value}"] = t(f"card.presence_short_{presence.value}", lang)
    return out


def item(tp: Touchpoint, lang: str, clang: str) -> dict[str, Any]:
    """One card: texts of the touchpoint (catalog language) and its tags (UI language)."""
    tags = [t(f"stage.{s.value}", lang) for s in tp.stages] + [t(f"channel.{c.value}", lang) for c in tp.channels]
    return {
        "id": tp.id,
        "cat": t(f"category.{tp.category.value}", lang),
        "group": tp.group.get(clang),
        "name": tp.name.get(clang),
        "q": tp.question.get(clang),
        "tags": " · ".join(tags),
        "team": tp.added_by_team,
    }


def deck(touchpoints: Sequence[Touchpoint], lang: str, clang: str) -> dict[str, Any]:
    """The deck with a version that changes whenever anything in it changes."""
    items = [item(tp, lang, clang) for tp in touchpoints]
    digest = hashlib.sha256(json.dumps([lang, clang, items], ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return {"version": digest[:16], "items": items}


def compact(mine: Mapping[str, Rating], keep: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """Saved answers as ``{touchpoint: [importance, reaction, presence, not_applicable, comment, idea]}``."""
    wanted = None if keep is None else set(keep)
    out: dict[str, list[Any]] = {}
    for tp_id, r in mine.items():
        if wanted is not None and tp_id not in wanted:
            continue
        row: list[Any] = [
            r.importance, r.reaction.value if r.reaction else None, r.presence.value if r.presence else None,
            1 if r.not_applicable else 0,
        ]
        if r.comment or r.idea:
            row += [r.comment, r.idea]
        out[tp_id] = row
    return out


def follow(catalog: Catalog, touchpoint_id: str | None, number: int, ends_ms: int | None, now_ms: int, lang: str, clang: str) -> dict[str, Any] | None:
    """Where the facilitator is, for the cards (``None``: nobody is leading)."""
    tp = catalog.by_id().get(touchpoint_id) if touchpoint_id else None
    if tp is None:
        return None
    return {"tp": tp.id, "n": number, "item": item(tp, lang, clang), "ends": ends_ms, "now": now_ms}
