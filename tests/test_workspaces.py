"""A consultant's workspace on SQLite and PostgreSQL: its link, its audits, their progress, owner links, the benchmark.

The workspace link is stored only as a hash, checked on every read and write,
and reaches only its own audits; an audit's owner, team or shopper link
reaches nothing of a workspace; rotating the workspace link kills the old one.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from audit import benchmark, services
from audit.catalog import bundled
from audit.cli import main
from audit.model import (
    Action,
    ActionKind,
    ActionStatus,
    Horizon,
    Rating,
    Role,
    ShopperVisit,
    ValidationError,
    VisitChannel,
    VisitStatus,
    utcnow,
)
from audit.services.access import LinkNotValid, NotAllowed
from audit.services.permissions import ROLE_PERMISSIONS, WORKSPACE, Permission
from audit.store import Store, hash_token
from audit.store.sealing import SealBroken


def _rate(store: Store, audit_id: str, answers: dict[str, list[tuple[int, str]]]) -> None:
    """``answers[touchpoint] = [(importance, reaction), ...]``: one new person per answer."""
    people = max(len(v) for v in answers.values())
    persons = [store.add_participant(audit_id, f"Rater {i}") for i in range(people)]
    for tp, given in answers.items():
        for person, (importance, reaction) in zip(persons, given, strict=False):
            store.save_rating(Rating(audit_id, person.id, tp, importance=importance, reaction=reaction))


@pytest.fixture
def workspace(store: Store) -> tuple[Store, str]:
    _ws, link = services.workspaces.create_workspace(store, name="North Consulting")
    return store, link


def test_the_link_is_stored_hashed_and_opens_only_its_workspace(workspace: tuple[Store, str]) -> None:
    store, link = workspace
    other, _ = services.workspaces.create_workspace(store, name="South Consulting")
    found = services.workspaces.resolve(store, link)
    assert found is not None and found.name == "North Consulting" and found.id != other.id
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT link_hash, public_key, wrapped_key FROM workspaces")).all()
    assert any(row.link_hash == hash_token(link) for row in stored)
    for row in stored:
        assert link not in (row.link_hash, bytes(row.public_key).decode("latin-1"), bytes(row.wrapped_key).decode("latin-1"))
    for bad in (None, "", "x" * 500, link + "x", 42):
        assert services.workspaces.resolve(store, bad) is None  # type: ignore[arg-type]


def test_a_workspace_name_is_checked_and_nothing_is_made_for_a_bad_one(store: Store) -> None:
    with pytest.raises(ValidationError, match="name"):
        services.workspaces.create_workspace(store, name="   ")
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM workspaces")).scalar() == 0


def test_audits_made_with_the_link_belong_to_it_and_open_as_their_owner(workspace: tuple[Store, str]) -> None:
    store, link = workspace
    made = [services.workspaces.create_audit(store, link, name=n, catalog=bundled("clinic"), language="en")[:2]
            for n in ("Clinic One", "Clinic Two")]
    _ws, listed = services.workspaces.portfolio(store, link)
    assert [p.audit.name for p in listed] == ["Clinic One", "Clinic Two"]
    for audit, links in made:
        owner = services.workspaces.owner_link(store, link, audit.id)
        assert owner == links[Role.OWNER]
        access = store.resolve_token(owner)
        assert access is not None and access.audit_id == audit.id and access.role is Role.OWNER
    assert services.workspaces.owner_links(store, link) == {a.id: lk[Role.OWNER] for a, lk in made}
    # An audit made without the workspace is not one of its audits.
    outside, _links, _ = services.audits.create_audit(store, name="Alone", catalog=bundled("clinic"), language="en")
    with pytest.raises(NotAllowed):
        services.workspaces.owner_link(store, link, outside.id)
    with pytest.raises(NotAllowed):
        services.workspaces.compare(store, link, outside.id)


def test_progress_counts_people_answers_visits_and_plan(workspace: tuple[Store, str]) -> None:
    store, link = workspace
    audit, _links, _ = services.workspaces.create_audit(store, link, name="Shop", catalog=bundled("retail"), language="en")
    tps = [tp.id for tp in store.catalog(audit.id).touchpoints[:3]]
    _rate(store, audit.id, {tps[0]: [(8, "positive"), (6, "neutral")], tps[1]: [(5, "negative")]})
    store.save_rating(Rating(audit.id, store.participants(audit.id)[0].id, tps[2], importance=4))  # not answered: no reaction
    store.add_participant(audit.id, "Invited, not here yet")
    store.add_participant(audit.id, "Opened the link", seen=True)
    shopper = store.add_participant(audit.id, "Sam", Role.SHOPPER)
    now = utcnow()
    store.save_visit(ShopperVisit(None, audit.id, shopper.id, now, VisitChannel.PHONE, status=VisitStatus.SUBMITTED))
    store.save_visit(ShopperVisit(None, audit.id, shopper.id, now, VisitChannel.PHONE))  # a draft is not filed
    store.replace_actions(audit.id, [
        Action(None, audit.id, tps[0], ActionKind.FIX_NOW, "Fix the sign", "", Horizon.WEEK, status=status)
        for status in (ActionStatus.DONE, ActionStatus.TODO, ActionStatus.DONE, ActionStatus.IN_PROGRESS)
    ])
    progress = services.workspaces.portfolio(store, link)[1][0]
    assert (progress.people, progress.answers, progress.visits, progress.actions, progress.actions_done) == (3, 3, 1, 4, 2)
    assert progress.plan_done == 0.5


def test_an_audit_link_reaches_nothing_of_the_workspace(workspace: tuple[Store, str]) -> None:
    store, link = workspace
    audit, links, _ = services.workspaces.create_audit(store, link, name="Clinic", catalog=bundled("clinic"), language="en")
    for token in (*links.values(), "garbage", None):
        assert services.workspaces.resolve(store, token) is None
        for call in (
            lambda tk: services.workspaces.portfolio(store, tk),
            lambda tk: services.workspaces.owner_links(store, tk),
            lambda tk: services.workspaces.owner_link(store, tk, audit.id),
            lambda tk: services.workspaces.compare(store, tk, audit.id),
            lambda tk: services.workspaces.rotate_link(store, tk),
            lambda tk: services.workspaces.create_audit(store, tk, name="Sneaky", catalog=bundled("clinic"), language="en"),
        ):
            with pytest.raises(LinkNotValid):
                call(token)
    assert [p.audit.name for p in services.workspaces.portfolio(store, link)[1]] == ["Clinic"]  # nothing was made


def test_no_audit_role_holds_a_workspace_permission() -> None:
    for role, granted in ROLE_PERMISSIONS.items():
        assert not (granted & WORKSPACE), role
    with pytest.raises(NotAllowed):
        services.workspaces.authorize_workspace(None, "anything", Permission.RATE)  # type: ignore[arg-type]


def test_rotating_the_link_kills_the_old_one_and_keeps_the_audits(workspace: tuple[Store, str]) -> None:
    store, link = workspace
    audit, links, _ = services.workspaces.create_audit(store, link, name="Cafe", catalog=bundled("restaurant"), language="en")
    new = services.workspaces.rotate_link(store, link)
    assert new != link and services.workspaces.resolve(store, link) is None
    with pytest.raises(LinkNotValid):
        services.workspaces.portfolio(store, link)
    assert services.workspaces.owner_link(store, new, audit.id) == links[Role.OWNER]  # opened with the new link
    ws = services.workspaces.resolve(store, new)
    assert ws is not None
    with pytest.raises(SealBroken):
        store.workspace_owner_link(ws.id, link, audit.id)  # the old link opens no sealed owner link any more


def test_an_owner_who_replaces_the_owner_link_leaves_it_openable_by_the_workspace(workspace: tuple[Store, str]) -> None:
    store, link = workspace
    audit, links, _ = services.workspaces.create_audit(store, link, name="Cafe", catalog=bundled("restaurant"), language="en")
    new_owner = services.audits.rotate_link(store, links[Role.OWNER], Role.OWNER)
    assert store.resolve_token(links[Role.OWNER]) is None
    assert services.workspaces.owner_link(store, link, audit.id) == new_owner


def test_creating_an_audit_in_a_workspace_is_one_transaction(workspace: tuple[Store, str]) -> None:
    store, link = workspace
    with pytest.raises(ValidationError):
        services.workspaces.create_audit(store, link, name="Twins", catalog=bundled("clinic"), language="en", participants=["Ann", "ann"])
    with pytest.raises(ValidationError):
        services.workspaces.create_audit(store, link, name="", catalog=bundled("clinic"), language="en")
    assert services.workspaces.portfolio(store, link)[1] == [] and store.list_audits() == []


def test_the_benchmark_compares_with_the_median_of_the_other_audits_of_the_preset(workspace: tuple[Store, str]) -> None:
    store, link = workspace
    clinics = [services.workspaces.create_audit(store, link, name=f"Clinic {i}", catalog=bundled("clinic"), language="en")[0]
               for i in range(4)]
    services.workspaces.create_audit(store, link, name="Shop", catalog=bundled("retail"), language="en")
    tp, tp2 = (t.id for t in store.catalog(clinics[0].id).touchpoints[:2])
    _rate(store, clinics[0].id, {tp: [(9, "negative"), (7, "negative")]})  # this clinic: importance 8, performance -1
    _rate(store, clinics[1].id, {tp: [(4, "positive")], tp2: [(6, "neutral")]})
    _rate(store, clinics[2].id, {tp: [(6, "positive"), (6, "neutral")]})
    _rate(store, clinics[3].id, {tp: [(10, "negative")]})
    result = services.workspaces.compare(store, link, clinics[0].id)
    assert result.others == 3  # the other clinics; the shop has another preset
    row = result.frame.loc[tp]
    assert (row["importance"], row["performance"]) == (8.0, -1.0)
    assert row["importance_median"] == 6.0 and row["performance_median"] == 0.5  # medians of (4, 6, 10) and (1, 0.5, -1)
    assert row["importance_gap"] == 2.0 and row["performance_gap"] == -1.5 and row["audits"] == 3
    second = result.frame.loc[tp2]
    assert math.isnan(second["importance"]) and second["importance_median"] == 6.0 and second["audits"] == 1


def test_the_benchmark_csv_and_chart() -> None:
    frame = pd.DataFrame(
        {"category": ["office"], "name_en": ["=HYPERLINK(\"x\")"], "importance": [8.0], "importance_median": [6.0],
         "importance_gap": [2.0], "performance": [-1.0], "performance_median": [0.5], "performance_gap": [-1.5], "audits": [3]},
        index=pd.Index(["office-sign"], name="touchpoint_id"),
    )
    rows = list(csv.reader(io.StringIO(benchmark.benchmark_csv(frame, "en", "en").decode("utf-8-sig"))))
    assert rows[0][:3] == ["touchpoint_id", "Category", "Touchpoint"]
    assert rows[1][2] == "'=HYPERLINK(\"x\")"  # a formula stays text
    assert rows[1][3:6] == ["8.0", "6.0", "2.0"]
    chart = benchmark.benchmark_chart(frame, "en", "en", others=3).to_dict()
    assert "Median of 3 audits" in str(chart) and "This audit" in str(chart)


def test_the_command_line_creates_a_workspace_and_prints_its_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.sqlite"
    assert main(["workspace", "create", "--name", "Smile Consulting", "--db", str(db), "--base-url", "https://audit.example/"]) == 0
    printed = capsys.readouterr().out
    link = re.search(r"workspace link: https://audit\.example/\?t=(\S+)", printed)
    assert link and "shown only now" in printed
    store = Store(str(db))
    found = services.workspaces.resolve(store, link.group(1))
    assert found is not None and found.name == "Smile Consulting"
    store.close()
    assert main(["workspace", "create", "--name", "  ", "--db", str(db)]) == 1
    assert "name" in capsys.readouterr().err
