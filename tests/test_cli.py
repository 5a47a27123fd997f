"""``python -m audit``: real processes, real files, exit codes and messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from audit.model import Role
from audit.store import Store

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("args", [[], ["catalog"], ["catalog", "check"], ["demo"], ["export"], ["bench"], ["migrate"]])
def test_help_everywhere(args: list[str]) -> None:
    out = run(*args, "--help")
    assert out.returncode == 0 and "usage:" in out.stdout


def test_catalog_list_shows_general_and_five_presets() -> None:
    out = run("catalog", "list")
    assert out.returncode == 0, out.stderr
    lines = {line.split()[0]: line.split() for line in out.stdout.splitlines()[1:]}
    assert set(lines) == {"general", "retail", "clinic", "b2b", "restaurant", "ecommerce"}
    general = lines["general"]
    assert int(general[1]) >= 160 and all(int(n) >= 30 for n in general[2:6])


def test_catalog_check_passes_on_every_bundled_file() -> None:
    files = sorted(str(p) for p in (ROOT / "catalogs").glob("*.yaml"))
    out = run("catalog", "check", *files)
    assert out.returncode == 0, out.stdout
    assert out.stdout.count(": ok - ") == len(files) == 6


def test_catalog_check_fails_with_line_numbered_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\nname: {en: Bad}\ntouchpoints:\n"
        "  - {id: a, category: office, name: {en: A}}\n"
        "  - {id: a, category: lobby, name: {en: B}}\n",
        encoding="utf-8",
    )
    out = run("catalog", "check", str(bad))
    assert out.returncode == 1
    assert "bad.yaml:5 [category]: category: must be one of: office, product, technology, staff (got 'lobby')" in out.stdout
    assert "bad.yaml:5 [id]: duplicate id 'a' (first used on line 4)" in out.stdout


def test_catalog_check_on_a_missing_file(tmp_path: Path) -> None:
    out = run("catalog", "check", str(tmp_path / "nope.yaml"))
    assert out.returncode == 1 and "cannot read the file" in out.stdout and "Traceback" not in out.stderr


def test_catalog_export_then_check(tmp_path: Path) -> None:
    out = run("catalog", "export", "retail", "--out", str(tmp_path / "retail.xlsx"))
    assert out.returncode == 0, out.stderr
    check = run("catalog", "check", str(tmp_path / "retail.xlsx"))
    assert check.returncode == 0, check.stdout


def test_demo_creates_a_realistic_audit(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    out = run("demo", "--db", str(db), "--catalog", "retail", "--raters", "6", "--seed", "3")
    assert out.returncode == 0, out.stderr
    links = {line.split()[0]: line.split()[-1] for line in out.stdout.splitlines() if " link:" in line}
    assert set(links) == {"owner", "team", "shopper"}
    store = Store(str(db))
    access = store.resolve_token(links["owner"].split("?t=")[1])
    assert access is not None and access.role is Role.OWNER
    data = store.load(access.audit_id)
    team = [p for p in data.participants if p.role is Role.TEAM]
    assert len(team) == 6
    rated = [r for r in data.ratings if r.importance is not None]
    # Plausible, not uniform: several importance values and all three reactions are used.
    assert len({r.importance for r in rated}) >= 6
    assert {r.reaction.value for r in rated} == {"positive", "neutral", "negative"}
    assert any(r.comment for r in rated)
    # Some disagreement: at least one touchpoint has both a positive and a negative vote.
    by_tp: dict[str, set[str]] = {}
    for r in rated:
        by_tp.setdefault(r.touchpoint_id, set()).add(r.reaction.value)
    assert any({"positive", "negative"} <= s for s in by_tp.values())
    assert {v.target for v in data.visits} == {"", *data.audit.competitors}
    assert any(v.status.value == "accepted" for v in data.visits)
    assert data.competitor_notes
    store.close()


def test_demo_links_follow_the_port_the_app_runs_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDIT_PUBLIC_URL", raising=False)
    monkeypatch.delenv("STREAMLIT_SERVER_PORT", raising=False)
    default = run("demo", "--db", str(tmp_path / "a.sqlite"), "--raters", "2")
    assert default.returncode == 0, default.stderr
    assert "owner link:    http://localhost:8501/?t=" in default.stdout and "--port N" in default.stdout
    moved = run("demo", "--db", str(tmp_path / "b.sqlite"), "--raters", "2", "--port", "8600")
    assert [line.split()[-1].split("/?t=")[0] for line in moved.stdout.splitlines() if " link:" in line] == ["http://localhost:8600"] * 3
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8700")  # `streamlit run` reads the same variable
    assert "http://localhost:8700/?t=" in run("demo", "--db", str(tmp_path / "c.sqlite"), "--raters", "2").stdout
    monkeypatch.setenv("AUDIT_PUBLIC_URL", "https://audit.example.org/")
    assert "https://audit.example.org/?t=" in run("demo", "--db", str(tmp_path / "d.sqlite"), "--raters", "2").stdout


def test_demo_is_repeatable_with_a_seed(tmp_path: Path) -> None:
    def summary(db: Path) -> list[tuple[str, int | None, str | None]]:
        store = Store(str(db))
        [audit] = store.list_audits()
        names = {p.id: p.name for p in store.participants(audit.id)}
        rows = sorted((names[r.participant_id], r.touchpoint_id, r.importance, r.reaction and r.reaction.value) for r in store.ratings(audit.id))
        store.close()
        return rows

    for name in ("a.sqlite", "b.sqlite"):
        assert run("demo", "--db", str(tmp_path / name), "--raters", "3", "--seed", "9").returncode == 0
    assert summary(tmp_path / "a.sqlite") == summary(tmp_path / "b.sqlite")


def test_demo_refuses_an_unknown_catalog(tmp_path: Path) -> None:
    out = run("demo", "--db", str(tmp_path / "x.sqlite"), "--catalog", "spaceport")
    assert out.returncode == 1 and "no bundled catalog 'spaceport'" in out.stderr and "Traceback" not in out.stderr


def test_migrate_reports_what_it_did(tmp_path: Path) -> None:
    db = str(tmp_path / "m.sqlite")
    first = run("migrate", "--db", db)
    assert first.returncode == 0 and "applied: 001_initial, 002_link_generations" in first.stdout
    again = run("migrate", "--db", db)
    assert "nothing (up to date)" in again.stdout


@pytest.mark.parametrize(
    ("db", "words"),
    [
        ("postgresql+psycopg://nobody:secret@127.0.0.1:1/none", "cannot use the database"),
        ("mysql://nobody@127.0.0.1/none", "not a database URL this tool supports"),
    ],
)
def test_an_unusable_database_gets_a_clear_message(db: str, words: str) -> None:
    out = run("migrate", "--db", db)
    assert out.returncode == 1 and words in out.stderr and "Traceback" not in out.stderr
