"""Booleans parsed strictly and broken Unicode refused, at every entry point; what is valid is stored exactly.

``not_applicable="no"`` used to be stored as true (``bool("no")``); a lone
surrogate (half of a UTF-16 pair) used to pass text cleaning and then fail
inside the database driver. Both are now a clear ``ValidationError``, and
nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from audit.catalog import load_catalog_bytes
from audit.model import (
    Action,
    Catalog,
    CompetitorNote,
    Observation,
    Rating,
    Role,
    ShopperVisit,
    Standard,
    Text,
    Touchpoint,
    ValidationError,
    clean_text,
)
from audit.store import Store

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(sqlite_store: Store) -> tuple[Store, Any, Any, Any]:
    catalog = Catalog("c", {"en": "C"}, (Touchpoint("office-door", "office", {"en": "Door"}), Touchpoint("staff-call", "staff", {"en": "Call"})))
    audit, _links = sqlite_store.create_audit("Shop", catalog, competitors=["Rival"])
    return sqlite_store, audit, sqlite_store.add_participant(audit.id, "Ann"), sqlite_store.add_participant(audit.id, "Mila", Role.SHOPPER)


def _stored(store: Store, audit_id: str) -> tuple[Any, ...]:
    return (
        tuple(store.ratings(audit_id)), tuple(p.name for p in store.participants(audit_id)), len(store.visits(audit_id)),
        tuple(tp.id for tp in store.catalog(audit_id).touchpoints), tuple(store.actions(audit_id)), len(store.list_audits()),
    )


# ---------------------------------------------------------------- booleans

FALSE = [("no", "no"), ("No-spaces", "  No "), ("false", "false"), ("FALSE", "FALSE"), ("n", "n"), ("zero-text", "0"), ("zero", 0),
         ("empty", ""), ("none", None), ("False", False)]
TRUE = [("yes", "yes"), ("YES", " YES "), ("true", "true"), ("y", "y"), ("one-text", "1"), ("one", 1), ("True", True)]
REFUSED = [("maybe", "maybe"), ("two", 2), ("minus-one", -1), ("half", 0.5), ("list", ["no"]), ("dict", {"no": 1}), ("da", "да"),
           ("nein", "nein"), ("yes-please", "yes please"), ("bytes", b"no")]


BOOLEANS = [(f"false-{name}", value, False) for name, value in FALSE] + [(f"true-{name}", value, True) for name, value in TRUE]


@pytest.mark.parametrize(("value", "expected"), [c[1:] for c in BOOLEANS], ids=[c[0] for c in BOOLEANS])
def test_not_applicable_is_stored_exactly_as_meant(world: Any, value: Any, expected: bool, measured: Callable[..., Any]) -> None:
    store, audit, person, _shopper = world
    measured(lambda: store.save_rating(Rating(audit.id, person.id, "office-door", not_applicable=value)))
    [stored] = store.ratings(audit.id)
    assert stored.not_applicable is expected


@pytest.mark.parametrize("value", [c[1] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_an_unknown_boolean_is_refused_and_nothing_is_stored(world: Any, value: Any) -> None:
    store, audit, person, _shopper = world
    before = _stored(store, audit.id)
    with pytest.raises(ValidationError, match="must be yes or no"):
        store.save_rating(Rating(audit.id, person.id, "office-door", not_applicable=value))
    assert _stored(store, audit.id) == before


@pytest.mark.parametrize(("cell", "expected"), [("no", False), ("yes", True), ("", False), ("0", False), ("TRUE", True), ("maybe", None), ("2", None)])
def test_added_by_team_in_a_catalog_file_is_parsed_strictly(cell: str, expected: bool | None) -> None:
    catalog, problems = load_catalog_bytes(f"id,category,name_en,added_by_team\na,office,A,{cell}\n".encode(), "c.csv")
    if expected is None:
        assert catalog is None and "must be yes or no" in problems[0].message and problems[0].field == "added_by_team"
    else:
        assert problems == [] and catalog.touchpoints[0].added_by_team is expected


# ---------------------------------------------------------------- lone surrogates

LONE = "ok \ud800 broken"
PAIR_AS_HALVES = "\ud83d\ude00"  # the two halves of an emoji, as two separate code points

SURROGATE_WRITES: list[tuple[str, Callable[[Store, Any, Any, Any, str], Any]]] = [
    ("rating-comment", lambda s, a, p, sh, x: s.save_rating(Rating(a.id, p.id, "office-door", 5, "neutral", comment=x))),
    ("rating-idea", lambda s, a, p, sh, x: s.save_rating(Rating(a.id, p.id, "office-door", 5, "neutral", idea=x))),
    ("participant-name", lambda s, a, p, sh, x: s.add_participant(a.id, x)),
    ("audit-name", lambda s, a, p, sh, x: s.create_audit(x, s.catalog(a.id))),
    ("audit-location", lambda s, a, p, sh, x: s.create_audit("Shop 2", s.catalog(a.id), locations=[x])),
    ("audit-competitor", lambda s, a, p, sh, x: s.create_audit("Shop 2", s.catalog(a.id), competitors=[x])),
    ("touchpoint-name", lambda s, a, p, sh, x: s.add_touchpoint(a.id, Touchpoint("team-x", "office", {"en": x}))),
    ("touchpoint-question", lambda s, a, p, sh, x: s.add_touchpoint(a.id, Touchpoint("team-x", "office", "X", question=Text.of({"ru": x}, "q")))),
    ("standard-metric", lambda s, a, p, sh, x: s.set_standard(a.id, "office-door", Standard({"en": x}, "", "<=", 3))),
    ("visit-scenario", lambda s, a, p, sh, x: s.save_visit(ShopperVisit(None, a.id, sh.id, NOW, "phone", scenario=x))),
    ("visit-location", lambda s, a, p, sh, x: s.save_visit(ShopperVisit(None, a.id, sh.id, NOW, "phone", location=x))),
    ("observation-text", lambda s, a, p, sh, x: s.save_visit(ShopperVisit(None, a.id, sh.id, NOW, "phone", observations=(Observation("office-door", "negative", x),)))),
    ("competitor-borrow", lambda s, a, p, sh, x: s.save_competitor_note(CompetitorNote(a.id, "Rival", "office-door", "better", borrow=x))),
    ("action-what", lambda s, a, p, sh, x: s.replace_actions(a.id, [Action(None, a.id, "office-door", "fix now", x, "", "this week")])),
    ("action-owner", lambda s, a, p, sh, x: s.replace_actions(a.id, [Action(None, a.id, "office-door", "fix now", "Fix", x, "this week")])),
    ("action-notes", lambda s, a, p, sh, x: s.replace_actions(a.id, [Action(None, a.id, "office-door", "fix now", "Fix", "", "this week", notes=x)])),
]


@pytest.mark.parametrize("text", [LONE, PAIR_AS_HALVES, "\udfff", "end\udc80"], ids=["lone-high", "pair-as-halves", "lone-low", "escaped-byte"])
@pytest.mark.parametrize("write", [c[1] for c in SURROGATE_WRITES], ids=[c[0] for c in SURROGATE_WRITES])
def test_a_lone_surrogate_is_refused_with_a_message_and_nothing_is_stored(world: Any, write: Callable[..., Any], text: str) -> None:
    store, audit, person, shopper = world
    before = _stored(store, audit.id)
    with pytest.raises(ValidationError, match="lone surrogate") as err:
        write(store, audit, person, shopper, text)
    str(err.value).encode("utf-8")  # the message itself can be shown and logged
    assert _stored(store, audit.id) == before


def test_a_real_emoji_is_stored_exactly(world: Any) -> None:
    store, audit, person, _shopper = world
    text = "\U0001f600 ok \u200f שלום"
    store.save_rating(Rating(audit.id, person.id, "office-door", 5, "neutral", comment=text))
    assert store.ratings(audit.id)[0].comment == text


def test_clean_text_keeps_its_rules(measured: Callable[..., Any]) -> None:
    assert clean_text("  a\r\nb\tc  ", "f") == "a\nb\tc"
    for bad, words in (("a\x00b", "control"), ("a\rb", "control"), ("\x1b[31m", "control"), ("a\ud800", "lone surrogate")):
        with pytest.raises(ValidationError, match=words):
            clean_text(bad, "f")
    long_text = "ж" * 5000
    assert measured(lambda: clean_text(long_text, "f")) == long_text
