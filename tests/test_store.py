"""Storage: the same tests on a SQLite file and on a real PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from audit.catalog import load_catalog
from audit.model import (
    Action,
    Catalog,
    Chain,
    ChannelEconomics,
    CompetitorNote,
    Observation,
    Rating,
    Role,
    ShopperVisit,
    Standard,
    Touchpoint,
    ValidationError,
    VisitStatus,
)
from audit.store import MIGRATIONS, NotFound, Store, StoreError, hash_token

ALL_MIGRATIONS = [name for name, _step in MIGRATIONS]

ROOT = Path(__file__).resolve().parent.parent


def small_catalog() -> Catalog:
    tps = (
        Touchpoint("office-sign", "office", {"en": "Sign", "ru": "Вывеска"}),
        Touchpoint(
            "staff-phone", "staff", {"en": "Phone answer", "ru": "Ответ по телефону"},
            standard=Standard({"en": "rings"}, {"en": "rings"}, "<=", 3),
        ),
        Touchpoint("product-price", "product", {"en": "Price list", "ru": "Прайс"}),
    )
    return Catalog("small", {"en": "Small", "ru": "Малый"}, tps, (Chain("buy", {"en": "Buy"}, ("office-sign", "staff-phone", "product-price")),))


def new_audit(store: Store, **kw):
    return store.create_audit("Corner shop", small_catalog(), competitors=["Rival"], **kw)


def test_create_rate_rerate_keeps_history(store: Store) -> None:
    audit, _links = new_audit(store)
    ann = store.add_participant(audit.id, "Ann")
    store.save_rating(Rating(audit.id, ann.id, "office-sign", importance=6, reaction="neutral", comment="faded"))
    store.save_rating(Rating(audit.id, ann.id, "office-sign", importance=9, reaction="negative", comment="faded, one letter is off"))
    [current] = store.ratings(audit.id)
    assert (current.importance, current.reaction.value, current.comment) == (9, "negative", "faded, one letter is off")
    history = store.rating_history(audit.id, ann.id, "office-sign")
    assert [(h["importance"], h["reaction"], h["revision"]) for h in history] == [(6, "neutral", 1), (9, "negative", 2)]


def test_partial_save_changes_only_the_named_parts(store: Store) -> None:
    audit, _ = new_audit(store)
    ann = store.add_participant(audit.id, "Ann")
    store.save_rating(Rating(audit.id, ann.id, "office-sign", importance=6, reaction="neutral"))
    # A second device sends only the comment: importance and reaction stay.
    store.save_rating(Rating(audit.id, ann.id, "office-sign", comment="from the phone"), fields=["comment"])
    [current] = store.ratings(audit.id)
    assert (current.importance, current.reaction.value, current.comment) == (6, "neutral", "from the phone")
    with pytest.raises(ValidationError, match="fields"):
        store.save_rating(Rating(audit.id, ann.id, "office-sign"), fields=["owner"])


def test_everything_is_there_for_a_new_process(store: Store) -> None:
    audit, links = new_audit(store)
    ann = store.add_participant(audit.id, "Ann")
    store.save_rating(Rating(audit.id, ann.id, "office-sign", importance=7, reaction="positive"))
    store.save_rating(Rating(audit.id, ann.id, "office-sign", importance=8, reaction="positive"))
    store.add_touchpoint(audit.id, Touchpoint("team-parking-sign", "office", {"en": "Parking sign"}), added_by=ann.id)
    code = (
        "import json, sys\n"
        "from audit.store import Store\n"
        "s = Store(sys.argv[1])\n"
        "a = s.resolve_token(sys.argv[2])\n"
        "cat = s.catalog(a.audit_id)\n"
        "print(json.dumps({'role': a.role.value, 'ids': [t.id for t in cat.touchpoints],"
        " 'added': [t.id for t in cat.touchpoints if t.added_by_team],"
        " 'ratings': [(r.touchpoint_id, r.importance) for r in s.ratings(a.audit_id)],"
        " 'history': len(s.rating_history(a.audit_id)), 'people': [p.name for p in s.participants(a.audit_id)]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, store.url, links[Role.TEAM]], capture_output=True, text=True, cwd=ROOT, check=True)
    seen = json.loads(out.stdout)
    assert seen == {
        "role": "team",
        "ids": ["office-sign", "staff-phone", "product-price", "team-parking-sign"],
        "added": ["team-parking-sign"],
        "ratings": [["office-sign", 8]],
        "history": 2,
        "people": ["Ann"],
    }


def test_added_touchpoint_belongs_to_that_audit_only(store: Store) -> None:
    first, _ = new_audit(store)
    second, _ = new_audit(store)
    store.add_touchpoint(first.id, Touchpoint("team-coffee", "office", {"en": "Coffee for visitors"}))
    assert "team-coffee" in {t.id for t in store.catalog(first.id).touchpoints}
    assert "team-coffee" not in {t.id for t in store.catalog(second.id).touchpoints}
    with pytest.raises(StoreError, match="already has"):
        store.add_touchpoint(first.id, Touchpoint("team-coffee", "office", {"en": "Again"}))


def test_audit_keeps_a_frozen_copy_of_its_catalog(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "id: mine\nname: {en: Mine}\ntouchpoints:\n  - {id: office-door, category: office, name: {en: Door}}\n", encoding="utf-8"
    )
    catalog, problems = load_catalog(path)
    assert problems == []
    audit, _ = store.create_audit("Shop", catalog)
    path.write_text(
        "id: mine\nname: {en: Mine}\ntouchpoints:\n  - {id: office-door, category: office, name: {en: Front door}}\n"
        "  - {id: office-bell, category: office, name: {en: Bell}}\n",
        encoding="utf-8",
    )
    copy = store.catalog(audit.id)
    assert [(t.id, t.name.exact("en")) for t in copy.touchpoints] == [("office-door", "Door")]


def test_twenty_threads_writing_at_once_lose_nothing(store: Store) -> None:
    audit, _ = new_audit(store)
    people = [store.add_participant(audit.id, f"P{i}") for i in range(20)]
    tps = ["office-sign", "staff-phone", "product-price"]
    errors: list[BaseException] = []
    start = threading.Barrier(len(people))

    def write(person) -> None:
        try:
            start.wait()
            for n in range(15):
                store.save_rating(Rating(audit.id, person.id, tps[n % 3], importance=1 + n % 10, reaction="neutral"))
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = store.ratings(audit.id)
    assert len(stored) == 20 * 3
    # The last write per person and touchpoint wins: n = 12, 13, 14 -> importance 3, 4, 5.
    assert {(r.touchpoint_id, r.importance) for r in stored} == {("office-sign", 3), ("staff-phone", 4), ("product-price", 5)}
    assert len(store.rating_history(audit.id)) == 20 * 15


def test_tokens_are_stored_hashed_and_rotation_kills_the_old_link(store: Store) -> None:
    audit, links = new_audit(store)
    with store.engine.connect() as conn:
        stored = set(conn.execute(sa.text("SELECT token_hash FROM tokens")).scalars())
    assert all(token not in stored for token in links.values())
    assert hash_token(links[Role.OWNER]) in stored
    assert store.resolve_token(links[Role.OWNER]).role is Role.OWNER
    new_team = store.rotate_token(audit.id, Role.TEAM, owner_token=links[Role.OWNER])
    assert store.resolve_token(links[Role.TEAM]) is None
    assert store.resolve_token(new_team).role is Role.TEAM
    assert store.resolve_token(links[Role.SHOPPER]).role is Role.SHOPPER
    for bad in ("", None, "x" * 5000, "not-a-token", "' OR 1=1 --"):
        assert store.resolve_token(bad) is None


def test_participant_of_another_audit_is_not_found(store: Store) -> None:
    first, _ = new_audit(store)
    second, _ = new_audit(store)
    ann = store.add_participant(first.id, "Ann")
    assert store.participant(first.id, ann.id) == ann
    assert store.participant(second.id, ann.id) is None


def test_migrations_are_recorded_and_idempotent(db_url: str) -> None:
    first = Store(db_url)
    assert first.applied_migrations() == ALL_MIGRATIONS
    second = Store(db_url)
    assert second.migrate() == []
    first.close()
    second.close()


def test_two_replicas_migrating_at_once_are_safe(db_url: str) -> None:
    results: list[object] = []

    def start() -> None:
        try:
            s = Store(db_url)
            results.append(s.applied_migrations())
            s.close()
        except BaseException as err:
            results.append(err)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [ALL_MIGRATIONS] * 4


def _visit(audit_id: str, shopper_id: str, **kw) -> ShopperVisit:
    return ShopperVisit(
        kw.pop("id", None), audit_id, shopper_id, dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC), kw.pop("channel", "phone"),
        observations=kw.pop("observations", (Observation("staff-phone", "negative", "seven rings", 7),)), **kw,
    )


def test_visit_draft_then_submit_then_locked(store: Store) -> None:
    audit, _ = new_audit(store)
    mila = store.add_participant(audit.id, "Mila", Role.SHOPPER)
    draft = store.save_visit(_visit(audit.id, mila.id))
    assert draft.id is not None
    edited = store.save_visit(_visit(audit.id, mila.id, id=draft.id, status=VisitStatus.SUBMITTED, recommend=4))
    [stored] = store.visits(audit.id)
    assert (stored.status, stored.recommend, stored.observations[0].measurement) == (VisitStatus.SUBMITTED, 4, 7.0)
    with pytest.raises(StoreError, match="can no longer be changed"):
        store.save_visit(_visit(audit.id, mila.id, id=edited.id, recommend=10))
    store.review_visit(audit.id, edited.id, VisitStatus.REJECTED, "wrong branch")
    [stored] = store.visits(audit.id)
    assert (stored.status, stored.review_note) == (VisitStatus.REJECTED, "wrong branch")


def test_visit_refuses_unknown_touchpoint_and_unknown_competitor(store: Store) -> None:
    audit, _ = new_audit(store)
    mila = store.add_participant(audit.id, "Mila", Role.SHOPPER)
    with pytest.raises(ValidationError, match="catalog"):
        store.save_visit(_visit(audit.id, mila.id, observations=(Observation("nope", "positive"),)))
    with pytest.raises(ValidationError, match="competitors"):
        store.save_visit(_visit(audit.id, mila.id, target="Someone else"))
    assert store.visits(audit.id) == []


def test_another_shopper_cannot_change_my_visit(store: Store) -> None:
    audit, _ = new_audit(store)
    mila = store.add_participant(audit.id, "Mila", Role.SHOPPER)
    oleg = store.add_participant(audit.id, "Oleg", Role.SHOPPER)
    mine = store.save_visit(_visit(audit.id, mila.id))
    with pytest.raises(NotFound):
        store.save_visit(_visit(audit.id, oleg.id, id=mine.id))
    assert store.visits(audit.id, shopper_id=oleg.id) == []


def test_standards_competitors_money_and_plan_round_trip(store: Store) -> None:
    audit, _ = new_audit(store)
    assert store.standards(audit.id)["staff-phone"].threshold == 3
    store.set_standard(audit.id, "staff-phone", Standard({"en": "rings"}, {"en": "rings"}, "<=", 2))
    store.set_standard(audit.id, "office-sign", Standard({"en": "letters missing"}, {"en": ""}, "==", 0))
    assert {k: v.threshold for k, v in store.standards(audit.id).items()} == {"staff-phone": 2, "office-sign": 0}
    store.set_standard(audit.id, "staff-phone", None)
    assert set(store.standards(audit.id)) == {"office-sign"}

    store.save_competitor_note(CompetitorNote(audit.id, "Rival", "office-sign", "better", "positive", "lit at night"))
    store.save_competitor_note(CompetitorNote(audit.id, "Rival", "office-sign", "same", "neutral"))
    [note] = store.competitor_notes(audit.id)
    assert (note.versus.value, note.reaction.value) == ("same", "neutral")
    with pytest.raises(ValidationError):
        store.save_competitor_note(CompetitorNote(audit.id, "Unknown", "office-sign", "same"))

    store.save_economics(audit.id, ChannelEconomics("office-sign", 90_000, 54, 12, 108_000))
    assert store.economics(audit.id)[0].revenue == 108_000

    plan = store.replace_actions(
        audit.id,
        [Action(None, audit.id, "staff-phone", "fix now", "Answer within 3 rings", "Office manager", "this week", priority=80),
         Action(None, audit.id, "office-sign", "improve", "Repaint the sign", "Owner", "this month", priority=40)],
    )
    assert [a.what for a in plan] == ["Answer within 3 rings", "Repaint the sign"]
    changed = store.save_action(dataclasses.replace(plan[0], owner="Maria", status="in progress", suggested=False))
    assert store.actions(audit.id)[0].owner == "Maria"
    assert store.suggested_action(audit.id, changed.id)["owner"] == "Office manager"


def test_load_returns_everything_for_the_analysis(store: Store) -> None:
    audit, _ = new_audit(store)
    ann = store.add_participant(audit.id, "Ann")
    store.save_rating(Rating(audit.id, ann.id, "office-sign", importance=7, reaction="positive"))
    data = store.load(audit.id)
    assert data.audit.id == audit.id and len(data.catalog.touchpoints) == 3
    assert len(data.ratings) == 1 and [p.name for p in data.participants] == ["Ann"]
    assert "staff-phone" in data.standards
    with pytest.raises(NotFound):
        store.load("no-such-audit")


def test_database_integrity(store: Store) -> None:
    new_audit(store)
    assert store.integrity_ok()


def test_two_replica_processes_starting_at_once_migrate_once(db_url: str) -> None:
    """Two app processes start against an empty database at the same moment."""
    procs = [
        subprocess.Popen([sys.executable, "-m", "audit", "migrate", "--db", db_url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    applied = sorted(out.splitlines()[0] for out, _err in outputs)
    assert applied == [f"applied: {', '.join(ALL_MIGRATIONS)}", "applied: nothing (up to date)"]
    store = Store(db_url)
    assert store.applied_migrations() == ALL_MIGRATIONS
    store.close()


def test_owner_can_show_the_team_and_shopper_links_again(store: Store) -> None:
    audit, links = new_audit(store)
    assert store.links(links[Role.OWNER]) == links
    assert store.links(links[Role.TEAM]) == {} and store.links("garbage") == {}
    team2 = store.rotate_token(audit.id, Role.TEAM, owner_token=links[Role.OWNER])
    assert store.links(links[Role.OWNER]) == {**links, Role.TEAM: team2}
    # Rotating the owner link re-keys the others: every old link stops.
    owner2 = store.rotate_token(audit.id, Role.OWNER)
    again = store.links(owner2)
    assert set(again) == set(Role) and not set(again.values()) & {*links.values(), team2}
    for old in (*links.values(), team2):
        assert store.resolve_token(old) is None
    assert {store.resolve_token(v).role for v in again.values()} == set(Role)


def test_a_database_from_before_link_generations_is_upgraded(tmp_path: Path) -> None:
    url = str(tmp_path / "old.sqlite")
    old = Store(url)
    audit, links = new_audit(old)
    with old.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE tokens DROP COLUMN generation")
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE name = '002_link_generations'")
    old.close()
    upgraded = Store(url)
    assert upgraded.applied_migrations() == ALL_MIGRATIONS
    assert upgraded.resolve_token(links[Role.TEAM]).audit_id == audit.id
    assert upgraded.links(links[Role.OWNER]) == links
    upgraded.close()


@pytest.mark.parametrize("content", [b"name,score\nAnn,7\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200])
def test_a_file_that_is_not_a_database_is_refused_and_nothing_is_created(tmp_path: Path, content: bytes) -> None:
    notes = tmp_path / "notes.csv"
    notes.write_bytes(content)
    with pytest.raises(StoreError, match="is not a SQLite database"):
        Store(str(notes))
    with pytest.raises(StoreError, match="is a folder"):
        Store(str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "audit", "migrate", "--db", str(notes)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "is not a SQLite database" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.csv"]  # no .writelock, -wal or -shm beside it
    assert not tmp_path.with_name(f"{tmp_path.name}.writelock").exists()  # nor beside the folder
    assert notes.read_bytes() == content


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    empty = tmp_path / "new.sqlite"
    empty.touch()
    store = Store(str(empty))
    assert store.applied_migrations() == ALL_MIGRATIONS
    store.close()
