"""Audit waves: a new wave keeps catalog, links and plan, starts ratings empty, and the comparison shows what moved."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from audit import services, waves
from audit.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL
from audit.model import ActionStatus, Catalog, CompetitorNote, Rating, Role, Touchpoint
from audit.scoring import analyse
from audit.services.access import NotAllowed
from audit.store import Store, StoreError


def catalog() -> Catalog:
    return Catalog(
        "small", {"en": "Small", "ru": "Маленький"},
        (
            Touchpoint("sign", "office", {"en": "Sign over the door", "ru": "Вывеска"}),
            Touchpoint("site", "technology", {"en": "Website", "ru": "Сайт"}),
            Touchpoint("call", "staff", {"en": "Phone call", "ru": "Звонок"}),
            Touchpoint("box", "product", {"en": "Packaging", "ru": "Упаковка"}),
        ),
    )


# Wave 1: the sign is important and negative ("Concentrate here"); after the fix, wave 2 rates it positive.
WAVE_1 = {"sign": (9, "negative"), "site": (8, "positive"), "call": (2, "negative"), "box": (3, "positive")}
WAVE_2 = {"sign": (9, "positive"), "site": (8, "positive"), "call": (2, "negative"), "box": (3, "positive")}


def rate(store: Store, audit_id: str, wave: int, answers: dict[str, tuple[int, str]], people: list[str]) -> None:
    for pid in people:
        for tp, (imp, reaction) in answers.items():
            store.save_rating(Rating(audit_id, pid, tp, importance=imp, reaction=reaction, wave=wave))


def two_waves(store: Store) -> tuple[str, dict[Role, str], list[str]]:
    audit, links = store.create_audit("Bakery", catalog(), competitors=("Alpha",))
    people = [store.add_participant(audit.id, n).id for n in ("Ann", "Bob")]
    rate(store, audit.id, 1, WAVE_1, people)
    store.save_competitor_note(CompetitorNote(audit.id, "Alpha", "sign", "better"))
    plan = services.plan.plan(store, links[Role.OWNER])
    assert {a.touchpoint_id for a in plan} >= {"sign"}
    services.results.start_wave(store, links[Role.OWNER], 1)
    rate(store, audit.id, 2, WAVE_2, people)
    return audit.id, links, people


def test_a_new_wave_keeps_catalog_links_and_plan_and_starts_empty(store: Store) -> None:
    audit, links = store.create_audit("Bakery", catalog(), competitors=("Alpha",))
    people = [store.add_participant(audit.id, "Ann").id]
    rate(store, audit.id, 1, WAVE_1, people)
    store.save_competitor_note(CompetitorNote(audit.id, "Alpha", "sign", "better"))
    plan = services.plan.plan(store, links[Role.OWNER])
    started = services.results.start_wave(store, links[Role.OWNER], 1)
    assert started.wave == 2 and store.get_audit(audit.id).wave == 2
    data = store.load(audit.id)
    assert data.ratings == () and data.visits == () and data.competitor_notes == ()
    assert [tp.id for tp in data.catalog.touchpoints] == [tp.id for tp in catalog().touchpoints]
    assert store.actions(audit.id) == plan
    assert all(store.resolve_token(v) is not None for v in links.values())
    assert len(store.load(audit.id, wave=1).ratings) == 4  # the first wave is kept as it was
    counts = store.wave_counts(audit.id)
    assert counts[1] == {"ratings": 4, "raters": 1, "visits": 0, "competitor_notes": 1}
    assert 2 not in counts


def test_a_second_click_does_not_skip_a_wave(sqlite_store: Store) -> None:
    audit, links = sqlite_store.create_audit("Bakery", catalog())
    services.results.start_wave(sqlite_store, links[Role.OWNER], 1)
    with pytest.raises(StoreError, match="already started"):
        services.results.start_wave(sqlite_store, links[Role.OWNER], 1)
    assert sqlite_store.get_audit(audit.id).wave == 2


def test_only_the_owner_starts_a_wave(sqlite_store: Store) -> None:
    audit, links = sqlite_store.create_audit("Bakery", catalog())
    for role in (Role.TEAM, Role.SHOPPER):
        with pytest.raises(NotAllowed):
            services.results.start_wave(sqlite_store, links[role], 1)
    assert sqlite_store.get_audit(audit.id).wave == 1


def test_team_answers_go_to_the_current_wave(sqlite_store: Store) -> None:
    from audit import services

    audit, links = sqlite_store.create_audit("Bakery", catalog())
    person = services.rating.join(sqlite_store, links[Role.TEAM], "Ann")
    services.rating.save_answer(sqlite_store, links[Role.TEAM], person.id, "sign", importance=9, reaction="negative")
    services.results.start_wave(sqlite_store, links[Role.OWNER], 1)
    services.rating.save_answer(sqlite_store, links[Role.TEAM], person.id, "sign", importance=9, reaction="positive")
    assert [r.reaction.value for r in sqlite_store.ratings(audit.id, wave=1)] == ["negative"]
    assert [r.reaction.value for r in sqlite_store.ratings(audit.id, wave=2)] == ["positive"]


def test_two_waves_show_a_touchpoint_moving_from_concentrate_here_to_keep_up(store: Store) -> None:
    _audit_id, links, _ = two_waves(store)
    table, done = services.results.compare(store, links[Role.OWNER], 1, 2, "mean")
    sign = table.loc["sign"]
    assert (sign["quadrant_before"], sign["quadrant_after"]) == (CONCENTRATE, KEEP_UP)
    assert (sign["performance_before"], sign["performance_after"], sign["change"]) == (-1.0, 1.0, 2.0)
    assert bool(sign["moved"]) and bool(sign["improved"])
    assert list(waves.moved(table).index) == ["sign"]
    assert table.loc["call", "quadrant_after"] == LOW_PRIORITY and table.loc["box", "quadrant_after"] == OVERKILL
    assert done.empty  # nothing is marked done yet


def test_actions_marked_done_whose_touchpoint_did_not_improve(store: Store) -> None:
    audit_id, links, _ = two_waves(store)
    owner = links[Role.OWNER]
    plan = store.actions(audit_id)
    sign = next(a for a in plan if a.touchpoint_id == "sign")
    call = dataclasses.replace(sign, id=None, touchpoint_id="call", what="Answer within three rings", suggested=False, position=9,
                               status=ActionStatus.DONE)
    store.edit_actions(audit_id, save=[dataclasses.replace(sign, status=ActionStatus.DONE), call])
    _, done = services.results.compare(store, owner, 1, 2, "mean")
    assert list(done["touchpoint_id"]) == ["call"]  # the sign improved, the phone did not
    assert done.iloc[0]["reason"] == waves.NOT_IMPROVED and done.iloc[0]["change"] == 0.0


def test_a_touchpoint_not_rated_again_is_listed_as_such() -> None:
    from audit.model import Action, Audit, AuditData

    audit = Audit("au", "Bakery")
    first = AuditData(audit, catalog(), ratings=tuple(Rating("au", "p", tp, importance=i, reaction=r) for tp, (i, r) in WAVE_1.items()))
    second = AuditData(dataclasses.replace(audit, wave=2), catalog(),
                       ratings=tuple(Rating("au", "p", tp, importance=i, reaction=r, wave=2) for tp, (i, r) in WAVE_2.items() if tp != "site"))
    table = waves.compare_waves(analyse(first), analyse(second))
    assert np.isnan(table.loc["site", "change"]) and not table.loc["site", "moved"]
    done = Action(1, "au", "site", "improve", "Faster pages", "Web", "this month", status="done")
    listed = waves.done_not_improved(table, [done])
    assert list(listed["reason"]) == [waves.NOT_RATED_AGAIN]


def test_waves_are_read_only_for_a_shared_team_and_closed_otherwise(sqlite_store: Store) -> None:
    _audit_id, links, _ = two_waves(sqlite_store)
    with pytest.raises(NotAllowed):
        services.results.compare(sqlite_store, links[Role.TEAM], 1, 2)
    services.results.share_results(sqlite_store, links[Role.OWNER], True)
    table, _ = services.results.compare(sqlite_store, links[Role.TEAM], 1, 2)
    assert table.loc["sign", "quadrant_after"] == KEEP_UP
    with pytest.raises(NotAllowed):
        services.results.start_wave(sqlite_store, links[Role.TEAM], 2)
    with pytest.raises(NotAllowed):
        services.results.share_results(sqlite_store, links[Role.TEAM], False)
    with pytest.raises(NotAllowed):
        services.results.compare(sqlite_store, links[Role.SHOPPER], 1, 2)
    services.results.share_results(sqlite_store, links[Role.OWNER], False)
    with pytest.raises(NotAllowed):
        services.results.load(sqlite_store, links[Role.TEAM])


def test_a_wave_outside_the_audit_is_refused(sqlite_store: Store) -> None:
    from audit.model import ValidationError

    _audit_id, links, _ = two_waves(sqlite_store)
    for wave in (0, 3, "x", -1):
        with pytest.raises(ValidationError):
            services.results.load(sqlite_store, links[Role.OWNER], wave)


def test_a_moving_mean_does_not_move_a_touchpoint_that_stayed_put() -> None:
    """Wave 2 rates everything else far higher: the mean crosses the sign, which did not change at all."""
    from audit.model import Audit, AuditData

    audit = Audit("au", "Bakery")
    first = {"sign": (6, "neutral"), "site": (2, "negative"), "call": (3, "negative"), "box": (4, "negative")}
    second = {"sign": (6, "neutral"), "site": (9, "positive"), "call": (9, "positive"), "box": (9, "positive")}

    def wave(number: int, answers: dict[str, tuple[int, str]]) -> AuditData:
        ratings = tuple(Rating("au", "p", tp, importance=i, reaction=r, wave=number) for tp, (i, r) in answers.items())
        return AuditData(dataclasses.replace(audit, wave=number), catalog(), ratings=ratings)

    before, after = analyse(wave(1, first)), analyse(wave(2, second))
    assert before.crosshair_point != after.crosshair_point  # the mean moved: 3.75/-0.75 -> 8.25/+0.75
    assert (before.scores.loc["sign", "quadrant"], after.scores.loc["sign", "quadrant"]) == (KEEP_UP, LOW_PRIORITY)  # each on its own mean

    table = waves.compare_waves(before, after)
    assert table.attrs["lines"] == before.crosshair_point and table.attrs["anchor"] == "first"
    assert (table.loc["sign", "quadrant_before"], table.loc["sign", "quadrant_after"]) == (KEEP_UP, KEEP_UP)
    assert not table.loc["sign", "moved"] and table.loc["sign", "change"] == 0.0
    assert table.loc["site", "moved"]  # the website did move: from low priority to keep up
    assert "sign" not in waves.moved(table).index

    fixed = waves.compare_waves(before, after, "midpoint")
    assert fixed.attrs["lines"] == (5.5, 0.0) and fixed.attrs["anchor"] == "midpoint"
    assert (fixed.loc["sign", "quadrant_before"], fixed.loc["sign", "quadrant_after"]) == (KEEP_UP, KEEP_UP)
    assert not fixed.loc["sign", "moved"]
