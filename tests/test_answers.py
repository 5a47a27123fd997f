"""The outbox protocol of the rating card: parsing with budgets, order, acknowledgement, newer-wins; and its storage.

The pure functions of :mod:`audit.answers`; then :meth:`Store.apply_answers`
on a SQLite file and on PostgreSQL: the same answer twice is stored once, an
older answer never replaces a newer one, answers are saved in order.
"""

from __future__ import annotations

from typing import Any

import pytest

from audit import services
from audit.answers import MAX_ITEMS, MAX_RAW_ITEMS, Answer, Problem, acknowledge, is_newer, parse_item, parse_outbox, pending, refused
from audit.catalog import bundled
from audit.model import Role
from audit.store import Store


def item(seq: int, tp: str = "office-facade", field: str = "importance", value: Any = 5, device: str = "dev01", at: int = 1000) -> dict[str, Any]:
    return {"d": device, "s": seq, "t": tp, "f": field, "v": value, "a": at}


# ------------------------------------------------------------------ parsing


def test_an_outbox_becomes_answers_in_device_and_sequence_order() -> None:
    raw = {"items": [item(3), item(1, value=7), item(2, device="aaaa", field="reaction", value="negative"), item(1)]}
    answers, problems = parse_outbox(raw)
    assert problems == []
    assert [(a.device, a.seq) for a in answers] == [("aaaa", 2), ("dev01", 1), ("dev01", 3)]  # the repeat of 1 counts once
    assert answers[1] == Answer("office-facade", "importance", 7, "dev01", 1, 1000)
    assert answers[0].value == "negative"


@pytest.mark.parametrize(
    "raw,reason",
    [
        ({"d": "dev01", "s": 1, "t": "x", "f": "importance", "v": 11, "a": 1}, "importance: must be a whole number from 1 to 10"),
        ({"d": "dev01", "s": 1, "t": "x", "f": "reaction", "v": "great", "a": 1}, "reaction"),
        ({"d": "dev01", "s": 1, "t": "x", "f": "comment", "v": "x" * 5001, "a": 1}, "comment: must be at most 5000 characters"),
        ({"d": "dev01", "s": 1, "t": "x", "f": "comment", "v": "bell\x07", "a": 1}, "comment: contains control characters"),
        ({"d": "dev01", "s": 1, "t": "x", "f": "not_applicable", "v": "yes", "a": 1}, "not_applicable: must be true or false"),
        ({"d": "dev01", "s": 1, "t": "x", "f": "revision", "v": 1, "a": 1}, "field: must be one of"),
        ({"d": "dev01", "s": 1, "t": "x" * 81, "f": "idea", "v": "", "a": 1}, "touchpoint: must be a touchpoint id"),
        ({"d": "dev01", "s": 1, "t": "<script>", "f": "idea", "v": "", "a": 1}, "touchpoint: must be a touchpoint id"),
        ({"d": "dev01", "s": 1, "t": "x", "f": "idea", "v": "", "a": -5}, "at: must be a time"),
    ],
)
def test_a_bad_item_is_refused_with_a_clear_reason_naming_the_field(raw: dict[str, Any], reason: str) -> None:
    parsed = parse_item(raw)
    assert isinstance(parsed, Problem) and (parsed.device, parsed.seq) == ("dev01", 1)
    assert reason in parsed.reason
    assert refused([parsed]) == {"dev01": [1]}  # named: the browser can drop it


@pytest.mark.parametrize("raw", [None, 5, [], {"d": "x", "s": 1}, {"d": "dev01", "s": 0}, {"d": "dev01", "s": True}, {"d": "de v", "s": 1},
                                 {"d": "dev01", "s": 2**60}])
def test_an_item_without_a_usable_id_is_a_problem_nobody_can_name(raw: Any) -> None:
    parsed = parse_item(raw)
    assert isinstance(parsed, Problem) and parsed.device is None
    assert refused([parsed]) == {}


def test_budgets_limit_what_one_round_reads() -> None:
    assert parse_outbox({"items": [item(i) for i in range(1, MAX_RAW_ITEMS + 2)]}) == ([], [Problem(None, None, f"items: at most {MAX_RAW_ITEMS} at once")])
    answers, _ = parse_outbox({"items": [item(i) for i in range(1, MAX_ITEMS + 50)]})
    assert len(answers) == MAX_ITEMS and answers[-1].seq == MAX_ITEMS  # the lowest numbers first; the rest come next round
    assert parse_outbox({"items": "nope"})[1][0].reason == "items: must be a list"
    assert parse_outbox(None) == ([], []) and parse_outbox({"n": 3}) == ([], [])


# ------------------------------------------------------------------ order and acknowledgement


def test_pending_and_acknowledge() -> None:
    answers, _ = parse_outbox({"items": [item(1), item(2), item(3), item(1, device="other")]})
    acked = {"dev01": 2}
    todo = pending(answers, acked)
    assert [(a.device, a.seq) for a in todo] == [("dev01", 3), ("other", 1)]
    assert acknowledge(acked, todo) == {"dev01": 3, "other": 1}
    assert acknowledge({"dev01": 9}, todo)["dev01"] == 9  # never goes back


def test_newer_wins_within_a_device_by_sequence_and_between_devices_by_time() -> None:
    assert is_newer((5, "a", 2), None)
    assert is_newer((1, "a", 3), (9, "a", 2))  # same device: the sequence decides, whatever the clock
    assert not is_newer((9, "a", 2), (1, "a", 2))  # a repeat
    assert not is_newer((9, "a", 1), (1, "a", 2))  # an older one
    assert is_newer((10, "b", 1), (9, "a", 7))  # another device: the later tap
    assert not is_newer((8, "b", 1), (9, "a", 7))
    assert is_newer((9, "b", 1), (9, "a", 7)) and not is_newer((9, "a", 7), (9, "b", 1))  # a tie is broken the same way everywhere


# ------------------------------------------------------------------ storage (SQLite and PostgreSQL)


def answer(seq: int, value: Any, *, tp: str = "office-facade", field: str = "importance", device: str = "phone01", at: int | None = None) -> Answer:
    return Answer(tp, field, value, device, seq, at if at is not None else 1000 + seq)


@pytest.fixture
def person(store: Store) -> tuple[Store, str, str]:
    audit, _ = store.create_audit("Answers", bundled("general"))
    return store, audit.id, store.add_participant(audit.id, "Ann", seen=True).id


def test_the_same_answer_twice_is_stored_once(person: tuple[Store, str, str]) -> None:
    store, audit_id, pid = person
    first = store.apply_answers(audit_id, 1, pid, [answer(1, 7), answer(2, "negative", field="reaction")])
    again = store.apply_answers(audit_id, 1, pid, [answer(1, 7), answer(2, "negative", field="reaction")])
    assert first.outcomes == ("saved", "saved") and again.outcomes == ("repeat", "repeat")
    (r,) = store.ratings(audit_id)
    assert (r.importance, r.reaction.value) == (7, "negative")
    assert len(store.rating_history(audit_id)) == 2
    assert again.ratings["office-facade"] == r


def test_an_older_answer_never_replaces_a_newer_one(person: tuple[Store, str, str]) -> None:
    store, audit_id, pid = person
    store.apply_answers(audit_id, 1, pid, [answer(5, 9)])
    late = store.apply_answers(audit_id, 1, pid, [answer(4, 2)])  # sent late, tapped earlier, same device
    assert late.outcomes == ("outdated",) and late.ratings["office-facade"].importance == 9
    laptop = store.apply_answers(audit_id, 1, pid, [answer(1, 3, device="laptop1", at=900)])  # another device, tapped before
    assert laptop.outcomes == ("outdated",)
    later = store.apply_answers(audit_id, 1, pid, [answer(2, 4, device="laptop1", at=5000)])  # another device, tapped after
    assert later.outcomes == ("saved",)
    assert store.ratings(audit_id)[0].importance == 4
    # Other fields are their own: an older importance does not block a new comment.
    store.apply_answers(audit_id, 1, pid, [answer(6, "Faded letters", field="comment")])
    r = store.ratings(audit_id)[0]
    assert (r.importance, r.comment) == (4, "Faded letters")


def test_answers_are_saved_in_order_and_each_lands_on_its_touchpoint(person: tuple[Store, str, str]) -> None:
    store, audit_id, pid = person
    tps = [tp.id for tp in store.catalog(audit_id).touchpoints[:30]]
    batch = [answer(i + 1, i % 10 + 1, tp=tp) for i, tp in enumerate(tps)] + [answer(31, 10, tp=tps[0])]
    done = store.apply_answers(audit_id, 1, pid, batch)
    assert done.outcomes == ("saved",) * 31
    stored = {r.touchpoint_id: r.importance for r in store.ratings(audit_id)}
    assert stored == {**{tp: i % 10 + 1 for i, tp in enumerate(tps)}, tps[0]: 10}  # the last of one device wins
    assert store.apply_answers(audit_id, 1, pid, []).outcomes == ()


def test_a_new_wave_starts_with_no_versions(person: tuple[Store, str, str]) -> None:
    store, audit_id, pid = person
    store.apply_answers(audit_id, 1, pid, [answer(9, 9)])
    assert store.apply_answers(audit_id, 2, pid, [answer(1, 3)]).outcomes == ("saved",)  # wave 2 keeps its own versions
    assert {(r.wave, r.importance) for r in store.ratings(audit_id)} == {(1, 9), (2, 3)}


def test_the_guarded_save_checks_the_link_person_and_catalog(person: tuple[Store, str, str]) -> None:
    store, _, pid = person
    other = store.create_audit("Other", bundled("retail"))[1]
    _, team_links = store.create_audit("Mine", bundled("general"))
    team = team_links[Role.TEAM]
    me = services.rating.join(store, team, "Bo")
    saved = services.rating.save_answers(store, team, me.id, [answer(1, 6), answer(2, 6, tp="no-such-touchpoint")])
    assert [a.seq for a in saved.handled] == [1] and [(p.seq, p.reason) for p in saved.refused] == [(2, "touchpoint: is not in this audit's catalog")]
    assert saved.ratings["office-facade"].importance == 6 and saved.seat.person.id == me.id
    with pytest.raises(services.access.NotAParticipant):
        services.rating.save_answers(store, team, pid, [answer(3, 1)])  # a person of another audit
    with pytest.raises(services.access.NotAllowed):
        services.rating.save_answers(store, other[Role.SHOPPER], me.id, [answer(3, 1)])
    with pytest.raises(services.access.LinkNotValid):
        services.rating.save_answers(store, "not-a-link", me.id, [answer(3, 1)])
    assert len(store.rating_history(store.resolve_token(team).audit_id)) == 1  # nothing else was stored


STAMPS = [(1000, "aaaa", 1), (1000, "aaaa", 2), (999, "aaaa", 3), (1000, "bbbb", 1), (1001, "bbbb", 1), (999, "bbbb", 9), (1000, "aaab", 5)]


@pytest.mark.parametrize("first", STAMPS)
def test_the_database_decides_newer_exactly_as_is_newer(person: tuple[Store, str, str], first: tuple[int, str, int]) -> None:
    """The version check runs in SQL (one statement decides and records): it must agree with the Python rule."""
    store, audit_id, pid = person
    tps = [tp.id for tp in store.catalog(audit_id).touchpoints]
    for i, (at, device, seq) in enumerate(STAMPS):
        store.apply_answers(audit_id, 1, pid, [Answer(tps[i], "importance", 5, first[1], first[2], first[0])])
        expected = "saved" if is_newer((at, device, seq), first) else ("repeat" if (device, seq) == first[1:] else "outdated")
        got = store.apply_answers(audit_id, 1, pid, [Answer(tps[i], "importance", 7, device, seq, at)])
        assert got.outcomes == (expected,), (first, (at, device, seq))
        assert got.ratings[tps[i]].importance == (7 if expected == "saved" else 5)
