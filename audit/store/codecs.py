"""Rows <-> records: how each table's row becomes a frozen record of :mod:`audit.model`, and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from audit.model import (
    DEFAULT_DEPARTMENTS,
    Action,
    Audit,
    ChannelEconomics,
    CompetitorNote,
    Observation,
    Participant,
    Presence,
    Rating,
    Reaction,
    Role,
    ShopperVisit,
    as_utc,
    checked_record,
)

# A row as SQLAlchemy hands it over (``RowMapping``) or any plain dict.
Row = Mapping[Any, Any]


def audit_from_row(row: Row) -> Audit:
    return Audit(
        id=row["id"], name=row["name"], language=row["language"], catalog_id=row["catalog_id"],
        locations=tuple(row["locations"] or ()), competitors=tuple(row["competitors"] or ()),
        created_at=row["created_at"], wave=row["wave"], results_shared=bool(row["results_shared"]),
        time_zone=row.get("time_zone") or "",
        departments=tuple(row.get("departments") or DEFAULT_DEPARTMENTS),
    )


RATING_PARTS = ("importance", "reaction", "presence", "comment", "idea", "not_applicable")


def rating_values(rating: Rating) -> dict[str, Any]:
    return {
        "importance": rating.importance,
        "reaction": rating.reaction.value if rating.reaction else None,
        "presence": rating.presence.value if rating.presence else None,
        "comment": rating.comment,
        "idea": rating.idea,
        "not_applicable": rating.not_applicable,
    }


def rating_from_row(row: Row) -> Rating:
    return Rating(
        audit_id=row["audit_id"], participant_id=row["participant_id"], touchpoint_id=row["touchpoint_id"],
        importance=row["importance"], reaction=row["reaction"], presence=row["presence"], comment=row["comment"] or "",
        idea=row["idea"] or "", not_applicable=bool(row["not_applicable"]), wave=row["wave"], updated_at=row["updated_at"],
    )


def saved_rating(row: Row) -> Rating:
    """The rating a save just stored, from the row the database returned, without validating its parts again
    (they were, on their way in: the save's own parts and every part stored before)."""
    reaction, presence = row["reaction"], row["presence"]
    return checked_record(Rating, (
        ("audit_id", row["audit_id"]), ("participant_id", row["participant_id"]), ("touchpoint_id", row["touchpoint_id"]),
        ("importance", row["importance"]), ("reaction", None if reaction is None else Reaction(reaction)),
        ("presence", None if presence is None else Presence(presence)), ("comment", row["comment"] or ""),
        ("idea", row["idea"] or ""), ("not_applicable", bool(row["not_applicable"])), ("wave", row["wave"]),
        ("updated_at", as_utc(row["updated_at"], "updated_at")),
    ))


def visit_from_row(row: Row, obs: list[Observation]) -> ShopperVisit:
    return ShopperVisit(
        id=row["id"], audit_id=row["audit_id"], shopper_id=row["shopper_id"], visited_at=row["visited_at"],
        channel=row["channel"], target=row["target"] or "", location=row["location"] or "", scenario=row["scenario"] or "",
        recommend=row["recommend"], observations=tuple(obs), status=row["status"], review_note=row["review_note"] or "",
        wave=row["wave"],
    )


def action_values(action: Action, audit_id: str, position: int, now: dt.datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        "audit_id": audit_id, "touchpoint_id": action.touchpoint_id, "kind": action.kind.value, "what": action.what,
        "owner": action.owner, "horizon": action.horizon.value, "due": action.due, "standard": action.standard,
        "status": action.status.value, "priority": action.priority, "evidence": action.evidence, "notes": action.notes,
        "position": position, "updated_at": now,
    }
    values["suggested"] = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items() if k not in ("updated_at", "audit_id")} if action.suggested else None
    return values


def action_from_row(row: Row) -> Action:
    return Action(
        id=row["id"], audit_id=row["audit_id"], touchpoint_id=row["touchpoint_id"], kind=row["kind"], what=row["what"],
        owner=row["owner"] or "", horizon=row["horizon"], due=row["due"], standard=row["standard"] or "",
        status=row["status"], priority=row["priority"], evidence=row["evidence"] or "", notes=row["notes"] or "",
        position=row["position"], suggested=row["suggested"] is not None,
    )


def participant_from_row(row: Row) -> Participant:
    return Participant(row["id"], row["audit_id"], row["name"], Role(row["role"]), first_seen=row["first_seen_at"],
                       department=row.get("department") or "")


def observation_from_row(row: Row) -> Observation:
    checked = row.get("checked")
    return Observation(row["touchpoint_id"], row["reaction"], row["text"], row["measurement"], None if checked is None else tuple(checked))


def competitor_note_from_row(row: Row) -> CompetitorNote:
    return CompetitorNote(
        row["audit_id"], row["competitor"], row["touchpoint_id"], row["versus"], row["reaction"], row["borrow"], row["author"],
        row["wave"],
    )


def economics_from_row(row: Row) -> ChannelEconomics:
    return ChannelEconomics(row["touchpoint_id"], row["spend"], row["leads"], row["customers"], row["revenue"], row["wave"])
