"""The deployment recipe: one entrypoint script for the container and the local multi-replica set, and readiness.

Docker cannot run on these machines, so the container recipe is checked by
reading it: the Dockerfile and compose.yaml start exactly
``deploy/entrypoint.sh`` with the roles the script knows, the same script
``deploy/run-local.sh`` starts (``tests/browser/test_replicas_browser.py``
runs that one for real); the scripts parse; HAProxy accepts the configuration
the script renders. Readiness (``python -m audit ready``, ``/_audit/ready``)
says no when the database is unreachable, not migrated, or migrated by a
newer version.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from audit.store import Store
from audit.store.engine import make_engine
from audit.store.migrations import apply_migrations

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = "deploy/entrypoint.sh"
SCRIPTS = ["deploy/entrypoint.sh", "deploy/run-local.sh", "scripts/test.sh"]


def entrypoint_roles() -> set[str]:
    """The roles ``deploy/entrypoint.sh`` accepts (the branches of its ``case``)."""
    text = (ROOT / ENTRYPOINT).read_text(encoding="utf-8")
    return set(re.findall(r"^  ([a-z-]+)\)$", text, flags=re.MULTILINE))


def test_the_scripts_parse_and_can_be_run() -> None:
    for script in SCRIPTS:
        done = subprocess.run(["bash", "-n", str(ROOT / script)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{script}: {done.stderr}"
    for script in ("deploy/entrypoint.sh", "deploy/run-local.sh"):
        assert os.access(ROOT / script, os.X_OK), f"{script} is not executable"
    assert entrypoint_roles() >= {"app", "proxy"}


def test_the_dockerfile_runs_the_entrypoint_as_a_user_with_a_healthcheck_and_a_volume() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, flags=re.MULTILINE)
    assert re.search(rf'^ENTRYPOINT \["{re.escape(ENTRYPOINT)}"\]$', text, flags=re.MULTILINE)
    assert re.search(r'^CMD \["app"\]$', text, flags=re.MULTILINE)
    user = re.findall(r"^USER (\S+)$", text, flags=re.MULTILINE)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*", text, flags=re.MULTILINE) and "/_stcore/health" in text
    assert re.search(r'^VOLUME \["/data"\]$', text, flags=re.MULTILINE)
    assert "haproxy" in text and "postgresql-client" in text  # the proxy role and pg_dump for backups


def test_compose_runs_the_same_entrypoint_for_every_replica_and_the_proxy() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["db"]["image"] == "postgres:15"
    ours = {name: s for name, s in services.items() if s.get("image") == "touchpoint-audit" or "build" in s}
    assert {"app1", "app2", "proxy"} <= set(ours)
    for name, service in ours.items():
        assert service.get("entrypoint") in (None, [ENTRYPOINT]), f"{name} replaces the image's entrypoint"
        assert service["command"][0] in entrypoint_roles(), name
    apps = [s for s in ours.values() if s["command"] == ["app"]]
    assert len(apps) >= 2 and len({s["environment"]["AUDIT_DATABASE_URL"] for s in apps}) == 1  # one database for all
    replicas = services["proxy"]["environment"]["AUDIT_REPLICAS"].split()
    assert sorted(r.split(":")[0] for r in replicas) == sorted(n for n, s in ours.items() if s["command"] == ["app"])


def test_the_local_set_starts_its_processes_with_the_same_entrypoint() -> None:
    text = (ROOT / "deploy" / "run-local.sh").read_text(encoding="utf-8")
    started = set(re.findall(r'deploy/entrypoint\.sh" ([a-z-]+)', text))
    assert started == {"app", "proxy"}
    assert "streamlit" not in text and "haproxy -" not in text  # nothing started around the entrypoint


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy is not installed (apt-get install haproxy)")
def test_haproxy_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    env = {**os.environ, "AUDIT_REPLICAS": "127.0.0.1:8601 127.0.0.1:8602 127.0.0.1:8603", "AUDIT_PROXY_PORT": "8600",
           "AUDIT_PROXY_ADDRESS": "127.0.0.1"}
    rendered = subprocess.run([str(ROOT / ENTRYPOINT), "proxy-config"], env=env, capture_output=True, text=True, check=True).stdout
    assert len(re.findall(r"^    server app[0-9]+ 127.0.0.1:860[1-3] check cookie app[0-9]+$", rendered, flags=re.MULTILINE)) == 3
    assert "cookie AUDIT_REPLICA insert" in rendered and "option httpchk GET /_audit/ready" in rendered
    assert "%HP" in rendered and "%r" not in rendered  # the log has paths, never query strings with links
    config = tmp_path / "haproxy.cfg"
    config.write_text(rendered, encoding="utf-8")
    checked = subprocess.run(["haproxy", "-c", "-f", str(config)], env=env, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# ------------------------------------------------------------------ readiness


def _ready(db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audit", "ready", "--db", db], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ready_says_yes_for_a_migrated_database(db_url: str) -> None:
    Store(db_url).close()
    done = _ready(db_url)
    assert done.returncode == 0 and done.stdout.startswith("ready"), done.stderr


def test_ready_says_no_while_migrations_are_pending_and_migrate_fixes_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn, conn.begin():
        apply_migrations(conn, upto="001_initial")
    engine.dispose()
    store = Store(str(path), migrate=False)
    assert "migrations pending" in (store.readiness() or "")
    store.close()
    done = _ready(str(path))
    assert done.returncode == 1 and "migrations pending" in done.stderr
    migrated = subprocess.run([sys.executable, "-m", "audit", "ready", "--migrate", "--db", str(path)], cwd=ROOT,
                              capture_output=True, text=True, check=False)
    assert migrated.returncode == 0, migrated.stderr


def test_ready_says_no_to_a_database_a_newer_version_migrated(sqlite_store: Store) -> None:
    with sqlite_store.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO schema_migrations (name, applied_at) VALUES ('999_from_the_future', CURRENT_TIMESTAMP)"))
    assert "newer version" in (sqlite_store.readiness() or "")


def test_ready_says_no_without_a_database_and_waits_only_as_long_as_asked() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "audit", "ready", "--wait", "1", "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:9/none"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 1 and "cannot reach the database" in done.stderr
    assert "secret" not in done.stderr and "Traceback" not in done.stderr
