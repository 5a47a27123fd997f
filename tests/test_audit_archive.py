"""One audit exported, erased and imported again, on SQLite and PostgreSQL; every table with audit data covered.

Three audits in one database; the second is exported and erased: the zip
re-imports into an empty database with equal rows in every audit table, the
other two audits are untouched, and nothing of the erased one is left. The
list of tables comes from the schema, and a test fails when a table that
holds audit rows is not in it. The importer is a parser of user input: each
damaged or hostile archive gets a clear message and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from audit import services
from audit.answers import Answer
from audit.archive import ArchiveBudget, ArchiveRefused, AuditArchive
from audit.cli import main
from audit.demo import create_demo
from audit.handoff.records import Connection, PersonLink, Target
from audit.model import (
    Action,
    ActionKind,
    ActionStatus,
    ChannelEconomics,
    Comparison,
    FunnelStep,
    Horizon,
    Role,
    ShopperVisit,
    Standard,
    Text,
    ValidationError,
    VisitChannel,
    utcnow,
)
from audit.services.access import LinkNotValid
from audit.store import Store, StoreError
from audit.store.auditrows import RowsRefused, audit_tables, read_audit_rows
from audit.store.schema import metadata

# Tables that hold no rows of any one audit, each with the reason. A new table must link to an audit
# (an ``audit_id`` column, or a foreign key into a table that has one) or be listed here.
NOT_AUDIT_DATA = {
    "schema_migrations": "the schema's own history",
    "workspaces": "a consultant's workspace; its audits point to it from workspace_audits",
}


def full_audit(store: Store, seed: int, workspace_link: str | None = None) -> tuple[str, dict[Role, str]]:
    """An audit with rows in every audit table: demo answers, history, visits, photos, notes, plus standards, economics, plan."""
    audit, links = create_demo(store, catalog_id="retail", raters=3, seed=seed)
    tps = [tp.id for tp in store.catalog(audit.id).touchpoints]
    store.set_standard(audit.id, tps[0], Standard(Text.of({"en": "rings"}, "m"), Text.of({"en": ""}, "u"), Comparison.AT_MOST, 3))
    store.set_standard(audit.id, tps[1], None)
    store.save_economics(audit.id, ChannelEconomics(tps[2], spend=90_000, leads=54, customers=12, revenue=108_000))
    chain = store.catalog(audit.id).chains[0]
    store.save_funnel(audit.id, 1, chain.id, [FunnelStep(chain.id, i, tp, 100 - 10 * i) for i, tp in enumerate(chain.links)])
    plan = store.replace_actions(audit.id, [
        Action(None, audit.id, tps[0], ActionKind.FIX_NOW, "=Answer within 3 rings", "Reception", Horizon.WEEK,
               due=dt.date(2030, 1, 31), status=ActionStatus.IN_PROGRESS, priority=58.8),
        Action(None, audit.id, tps[3], ActionKind.IMPROVE, "Repaint the sign", "", Horizon.MONTH),
    ])
    store.save_connection(Connection(audit.id, Target.BITRIX24, "sealed-value", "https://b24.example/••••/", {"place": "b24.example"}))
    store.save_people(audit.id, Target.BITRIX24, {"Reception": PersonLink("Reception", "17", "Olga")})
    store.claim_tasks(audit.id, Target.BITRIX24, {a.id: f"h{a.id}" for a in plan if a.id is not None}, "tab-1")
    person = next(p for p in store.participants(audit.id) if p.role is Role.TEAM)
    services.rating.save_answers(store, links[Role.TEAM], person.id, [Answer(tps[4], "importance", 7, "phone01", 1, 1000)])
    store.update_room(audit.id, follow=tps[0], anonymous=True)
    store.set_discussed(audit.id, 1, tps[0])
    if workspace_link is not None:
        ws = services.workspaces.resolve(store, workspace_link)
        assert ws is not None
        store.add_audit_to_workspace(ws.id, audit.id, links[Role.OWNER])
    return audit.id, links


def rows_of(store: Store, audit_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every audit table's rows of one audit, as stored, sorted."""
    with store.engine.connect() as conn, conn.begin():
        return {t.name: sorted((tuple(r) for r in t.rows), key=repr) for t in read_audit_rows(conn, audit_id)}


def direct_counts(store: Store, audit_id: str) -> dict[str, int]:
    """Rows per table with an ``audit_id`` column, counted by plain SQL (not through the code under test)."""
    out = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "audit_id" in table.c:
                out[table.name] = conn.execute(sa.select(sa.func.count()).select_from(table).where(table.c.audit_id == audit_id)).scalar()
        out["audits"] = conn.execute(sa.text("SELECT count(*) FROM audits WHERE id = :a"), {"a": audit_id}).scalar()
    return out


def export(store: Store, audit_id: str, path: Path) -> dict[str, Any]:
    with path.open("wb") as handle:
        return services.portability.write_export(store, audit_id, handle)


@pytest.fixture
def target(tmp_path: Path, db_url: str) -> Store:
    """A second, empty database of the same kind as ``store``."""
    if "://" not in db_url:
        return Store(str(tmp_path / "target.sqlite"))
    from conftest import postgres_schema_url

    urls = postgres_schema_url()
    made = Store(next(urls))
    made._cleanup = urls  # type: ignore[attr-defined]
    return made


# ------------------------------------------------------------------ which tables


def test_every_table_is_audit_data_or_said_not_to_be() -> None:
    covered = {at.name for at in audit_tables()}
    for table in metadata.sorted_tables:
        if table.name not in covered:
            assert table.name in NOT_AUDIT_DATA, (
                f"table {table.name} is left out of the audit export and erase: give it an audit_id column or a foreign "
                "key into an audit table, or list it in NOT_AUDIT_DATA with the reason"
            )
            mentions = [c.name for c in table.columns if re.search(r"audit|participant|visit|action|rating|photo|person", c.name)]
            assert mentions == [], f"{table.name} names audit records ({mentions}) but is not linked to an audit"
    assert {"audits", "ratings", "rating_history", "tokens", "participants", "visits", "observations", "photos",
            "workspace_audits"} <= covered


def test_a_table_added_later_is_covered_without_a_change() -> None:
    meta = sa.MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(meta)
    sa.Table("room_notes", meta, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id")))
    sa.Table("note_likes", meta, sa.Column("note_id", sa.Integer, sa.ForeignKey("room_notes.id"), primary_key=True),
             sa.Column("who", sa.String(40), primary_key=True))
    names = [at.name for at in audit_tables(meta)]
    assert {"room_notes", "note_likes"} <= set(names)
    assert names.index("room_notes") < names.index("note_likes") and names[0] == "audits"


# ------------------------------------------------------------------ export, erase, import


def test_export_erase_and_import_one_audit_of_three(store: Store, target: Store, tmp_path: Path) -> None:
    _ws, link = services.workspaces.create_workspace(store, name="Consultancy")
    first, _ = full_audit(store, 1)
    second, links = full_audit(store, 2, workspace_link=link)
    third, _ = full_audit(store, 3)
    before = {a: rows_of(store, a) for a in (first, second, third)}
    counts = direct_counts(store, second)
    assert all(n > 0 for t, n in counts.items()), counts  # the audit really has rows in every table
    assert all(before[second][at.name] for at in audit_tables()), "the fixture must fill every audit table"

    zip_path = tmp_path / "second.zip"
    manifest = export(store, second, zip_path)
    assert manifest["version"] == 1 and manifest["audit"]["id"] == second
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        photos = [n for n in names if n.startswith("files/photos/") and n.endswith(".jpg")]
        assert photos and archive.read(photos[0])[:2] == b"\xff\xd8"  # the shoppers' photos, as JPEG files
        assert "csv/actions.csv" in names and "'=Answer within 3 rings" in archive.read("csv/actions.csv").decode("utf-8-sig")

    erased = services.portability.erase_audit(store, second)
    assert sum(erased.values()) == sum(len(rows) for rows in before[second].values())
    assert all(n == 0 for n in direct_counts(store, second).values())
    assert rows_of(store, first) == before[first] and rows_of(store, third) == before[third]  # untouched
    assert store.resolve_token(links[Role.OWNER]) is None
    assert services.workspaces.portfolio(store, link)[1] == []

    audit_id, report = services.portability.import_archive(target, zip_path)
    assert audit_id == second and not report.left_out.get("audits")
    restored = rows_of(target, second)
    for table, rows in before[second].items():
        if table == "workspace_audits":  # its workspace is not in the new database: left out, and said so
            assert restored[table] == [] and report.left_out[table] == 1
        elif table == "data_versions":  # the archived slots, and one that moves the version past every earlier one
            assert [r for r in restored[table] if r[1] != ":restored"] == rows
            assert [r[1] for r in restored[table] if r[1] == ":restored"] == [":restored"]
        else:
            assert restored[table] == rows, table
    access = target.resolve_token(links[Role.OWNER])
    assert access is not None and access.audit_id == second  # the same links open it there
    shopper = next(p for p in target.participants(second) if p.role is Role.SHOPPER)
    fresh = target.save_visit(ShopperVisit(None, second, shopper.id, utcnow(), VisitChannel.PHONE))
    kept_ids = [row[column("visits", "id")] for row in before[second]["visits"]]
    assert fresh.id is not None and fresh.id > max(kept_ids)  # new ids go on after the ids the import kept
    _cleanup(target)


def test_import_into_a_database_in_use_renumbers_what_would_collide(store: Store, target: Store, tmp_path: Path) -> None:
    source_id, _ = full_audit(store, 4)
    full_audit(target, 5)  # the target already has visits, photos, actions and history with the same ids
    original = store.load(source_id)
    export(store, source_id, tmp_path / "a.zip")
    audit_id, report = services.portability.import_archive(target, tmp_path / "a.zip")
    assert report.left_out == {}
    copy = target.load(audit_id)
    assert copy.ratings == original.ratings and copy.participants == original.participants
    assert [(v.shopper_id, v.observations, v.status) for v in copy.visits] == [(v.shopper_id, v.observations, v.status) for v in original.visits]
    assert {v.id for v in copy.visits}.isdisjoint({v.id for v in original.visits})  # new ids, observations follow them
    assert len(target.actions(audit_id)) == 2 and len(target.list_audits()) == 2
    assert set(target.task_links(audit_id, Target.BITRIX24)) == {a.id for a in target.actions(audit_id)}  # follow the new ids
    with pytest.raises(StoreError, match="already has audit"):
        services.portability.import_archive(target, tmp_path / "a.zip")
    _cleanup(target)


def _cleanup(store: Store) -> None:
    store.close()
    cleanup = getattr(store, "_cleanup", None)
    if cleanup is not None:
        cleanup.close()


# ------------------------------------------------------------------ the owner's export and erase


def test_the_owner_exports_and_erases_only_after_typing_the_name(sqlite_store: Store) -> None:
    audit_id, links = full_audit(sqlite_store, 6)
    other_id, _ = full_audit(sqlite_store, 7)
    for token in (links[Role.TEAM], links[Role.SHOPPER], "garbage"):
        with pytest.raises(services.access.AccessError):
            services.portability.export_zip(sqlite_store, token)
        with pytest.raises(services.access.AccessError):
            services.portability.erase(sqlite_store, token, "Corner Store Demo")
    name, data, manifest = services.portability.export_zip(sqlite_store, links[Role.OWNER])
    assert name == f"audit-{audit_id}.zip" and zipfile.is_zipfile(io.BytesIO(data)) and manifest["audit"]["id"] == audit_id
    audit_name = sqlite_store.get_audit(audit_id).name
    for wrong in ("", "Corner", audit_name + "!", None, 42):
        with pytest.raises(ValidationError, match="confirmation"):
            services.portability.erase(sqlite_store, links[Role.OWNER], wrong)
    assert direct_counts(sqlite_store, audit_id)["ratings"] > 0  # nothing erased by a wrong confirmation
    counts = services.portability.erase(sqlite_store, links[Role.OWNER], f"  {audit_name.upper()} ")
    assert counts["photos"] > 0 and all(n == 0 for n in direct_counts(sqlite_store, audit_id).values())
    with pytest.raises(LinkNotValid):
        services.portability.export_zip(sqlite_store, links[Role.OWNER])
    assert direct_counts(sqlite_store, other_id)["ratings"] > 0


def test_the_command_line_exports_erases_and_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, copy = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    store = Store(str(source))
    audit_id, _ = full_audit(store, 8)
    store.close()
    out = tmp_path / "one.zip"
    assert main(["audit-export", "--db", str(source), "--audit", audit_id, "--out", str(out)]) == 0
    assert main(["audit-erase", "--db", str(source), "--audit", audit_id]) == 1  # without --yes nothing happens
    assert "--yes" in capsys.readouterr().err
    assert main(["audit-erase", "--db", str(source), "--audit", audit_id, "--yes"]) == 0
    assert main(["audit-erase", "--db", str(source), "--audit", audit_id, "--yes"]) == 1
    assert "there is no audit" in capsys.readouterr().err
    assert main(["audit-import", str(out), "--db", str(copy)]) == 0
    assert f"imported audit {audit_id}" in capsys.readouterr().out
    assert main(["audit-export", "--db", str(source), "--audit", "nope", "--out", str(tmp_path / "x.zip")]) == 1
    assert not (tmp_path / "x.zip").exists()
    assert main(["audit-export", "--db", str(copy), "--audit", audit_id, "--out", str(tmp_path)]) == 1  # a folder
    assert "is a folder" in capsys.readouterr().err


# ------------------------------------------------------------------ hostile and damaged archives


@pytest.fixture
def good_zip(tmp_path: Path) -> Path:
    store = Store(str(tmp_path / "source.sqlite"))
    audit_id, _ = full_audit(store, 9)
    path = tmp_path / "good.zip"
    export(store, audit_id, path)
    store.close()
    return path


def rewrite(source: Path, dest: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    with zipfile.ZipFile(source) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in change(members).items():
            archive.writestr(name, data)
    return dest


def with_manifest(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()
        return members

    return change


def with_rows(table: str, edit: Callable[[list[list[Any]]], None]) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        rows = [json.loads(line) for line in members[f"tables/{table}.jsonl"].splitlines()]
        edit(rows)
        members[f"tables/{table}.jsonl"] = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
        return with_manifest(lambda m: next(t for t in m["tables"] if t["name"] == table).update(rows=len(rows)))(members)

    return change


def column(table: str, name: str) -> int:
    return [c.name for c in metadata.tables[table].columns].index(name)


HOSTILE: dict[str, tuple[Callable[[dict[str, bytes]], dict[str, bytes]], str]] = {
    "a path outside": (lambda m: {**m, "../../etc/evil": b"x"}, "not part of an audit export"),
    "no manifest": (lambda m: {k: v for k, v in m.items() if k != "manifest.json"}, "no manifest.json"),
    "a newer format": (with_manifest(lambda m: m.update(version=2)), "format version 2"),
    "another format": (with_manifest(lambda m: m.update(format="something-else")), "not an audit export"),
    "a table it does not know": (with_manifest(lambda m: m["tables"].append(
        {"name": "secret_table", "columns": ["a"], "binary": [], "rows": 0, "file": "tables/ratings.jsonl"})),
        "secret_table"),
    "more rows than declared": (with_manifest(lambda m: m["tables"][1].update(rows=1)), "more rows than the 1"),
    "fewer rows than declared": (with_manifest(lambda m: m["tables"][0].update(rows=2)), "declares 2"),
    "a row of another audit": (with_rows("ratings", lambda rows: rows[0].__setitem__(column("ratings", "audit_id"), "someoneelse")),
                               "belongs to another audit"),
    "an observation of a foreign visit": (
        with_rows("observations", lambda rows: rows[0].__setitem__(column("observations", "visit_id"), 999_999)),
        "points to a visits row outside this audit"),
    "a wrong type": (with_rows("ratings", lambda rows: rows[0].__setitem__(column("ratings", "importance"), "very")),
                     "ratings, row 1, column importance"),
    "a bad date": (with_rows("actions", lambda rows: rows[0].__setitem__(column("actions", "due"), "31/01/2030")),
                   "not a date"),
    "a missing required value": (with_rows("participants", lambda rows: rows[0].__setitem__(column("participants", "name"), None)),
                                 "participants, row 1, column name: must have a value"),
    "a row of the wrong width": (with_rows("tokens", lambda rows: rows[0].append("extra")), "must be a list of 5 values"),
    "deep nesting": (with_rows("ratings", lambda rows: rows[0].__setitem__(1, json.loads("[" * 200 + "]" * 200))), "nests deeper"),
    "a photo that is not there": (
        lambda m: {k: v for k, v in m.items() if not k.startswith("files/photos/1-data")}, "names no file"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_archive_is_refused_clearly_and_stores_nothing(case: str, good_zip: Path, tmp_path: Path) -> None:
    change, message = HOSTILE[case]
    bad = rewrite(good_zip, tmp_path / "bad.zip", change)
    store = Store(str(tmp_path / "fresh.sqlite"))
    with pytest.raises((ArchiveRefused, RowsRefused, StoreError), match=re.escape(message)):
        services.portability.import_archive(store, bad)
    assert store.list_audits() == [] and direct_counts(store, "x") == dict.fromkeys(direct_counts(store, "x"), 0)
    with store.engine.connect() as conn:
        for table in ("ratings", "participants", "tokens", "visits", "photos"):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0, table  # nothing half-way
    store.close()


def test_budgets_are_checked_before_unpacking(good_zip: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    rewrite(good_zip, bomb, lambda m: {**m, "tables/ratings.jsonl": b"\n" * (12 * 1024 * 1024)})
    with pytest.raises(ArchiveRefused, match="inflates more than 100 times"):
        AuditArchive(bomb)
    with pytest.raises(ArchiveRefused, match="declares more than 5 members"):
        AuditArchive(good_zip, ArchiveBudget(members=5))
    with pytest.raises(ArchiveRefused, match="per member"):
        AuditArchive(good_zip, ArchiveBudget(member_bytes=1024))
    with pytest.raises(ArchiveRefused, match="the limit is 0 MB"):
        AuditArchive(good_zip, ArchiveBudget(archive_bytes=1000))
    with pytest.raises(ArchiveRefused, match="row count of rating_history"):
        AuditArchive(good_zip, ArchiveBudget(rows=10))
    archive = AuditArchive(good_zip, ArchiveBudget(line_bytes=64))
    with pytest.raises(ArchiveRefused, match="a row is longer than"):
        for table in archive.tables():
            list(table.rows)
    archive.close()
    (tmp_path / "text.zip").write_text("not a zip at all")
    with pytest.raises(ArchiveRefused, match="not a zip"):
        AuditArchive(tmp_path / "text.zip")
    with pytest.raises(ArchiveRefused, match="is not a file"):
        AuditArchive(tmp_path)
