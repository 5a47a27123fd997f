"""The commands for whoever runs the server: readiness, backups, one audit's export / erase / import, workspaces.

``python -m audit ready``             exit 0 when the database is reachable and migrated, 1 otherwise
``python -m audit backup --out FILE`` the whole database, photos included, while the app runs
``python -m audit restore FILE --db URL``   into a new or empty database
``python -m audit audit-export --audit ID --out x.zip``
``python -m audit audit-erase --audit ID --yes``
``python -m audit audit-import x.zip``
``python -m audit workspace create --name NAME``   prints the workspace link

Every file is written through :mod:`audit.outfile` (a safe target, an atomic write).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

DB_HELP = "database URL or SQLite file path (default: AUDIT_DATABASE_URL or data/)"


def _write_through_outfile(out: Path, fill: Callable[[Path], Path]) -> None:
    """Write ``out`` atomically from a file that ``fill(folder)`` makes in this run's private folder next to it."""
    from audit.outfile import private_temp, remove_stale
    from audit.workbook import write_atomically

    remove_stale(out)
    with private_temp(out) as folder:
        made = fill(folder)

        def copy(handle: BinaryIO) -> None:
            with open(made, "rb") as source:
                shutil.copyfileobj(source, handle, 1024 * 1024)

        write_atomically(out, copy)


def _cmd_ready(args: argparse.Namespace) -> int:
    from audit.store import Store

    deadline = time.monotonic() + max(0.0, args.wait)
    while True:
        try:
            store = Store(args.db, migrate=False)
            try:
                if args.migrate:
                    store.migrate()
                problem = store.readiness()
            finally:
                store.close()
        except Exception as err:  # the database is not there yet: say why, then maybe wait
            problem = f"cannot reach the database: {str(getattr(err, 'orig', None) or err).strip().splitlines()[0][:300]}"
        if problem is None:
            print("ready: the database answers and its schema is up to date")
            return 0
        if time.monotonic() >= deadline:
            print(f"not ready: {problem}", file=sys.stderr)
            return 1
        time.sleep(1.0)


def _cmd_backup(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from audit.outfile import check_target
    from audit.store import database_url
    from audit.store.backup import pg_dump, sqlite_backup

    out = check_target(args.out)
    url = database_url(args.db)
    parsed = make_url(url)

    def fill(folder: Path) -> Path:
        made = folder / "backup"
        if parsed.get_backend_name() == "sqlite":
            sqlite_backup(parsed.database or "", made)
        else:
            pg_dump(url, made)
        return made

    _write_through_outfile(out, fill)
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {parsed.get_backend_name()}; photos included)")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from audit.store import StoreError, database_url
    from audit.store.backup import backup_kind, check_database, pg_restore, sqlite_restore

    source = Path(args.file)
    kind = backup_kind(source)
    url = database_url(args.db)
    target = make_url(url).get_backend_name()
    if kind != target:
        raise StoreError(f"{source} is a {kind} backup; restore it into a {kind} database (--db), not {target}")
    if kind == "sqlite":
        sqlite_restore(source, make_url(url).database or "")
    else:
        pg_restore(source, url)
    applied = _migrate(url)  # a backup of an older version is brought up to this one
    problems = check_database(url)
    if problems:
        print(f"error: the restored database fails its check: {problems[0]}", file=sys.stderr)
        return 1
    print(f"restored {source} into the {kind} database; migrations applied now: {', '.join(applied) or 'none'}; check: ok")
    return 0


def _migrate(url: str) -> list[str]:
    from audit.store import Store

    store = Store(url, migrate=False)
    try:
        return store.migrate()
    finally:
        store.close()


def _cmd_audit_export(args: argparse.Namespace) -> int:
    from audit.outfile import check_target, remove_stale
    from audit.services import portability
    from audit.store import Store
    from audit.workbook import write_atomically

    out = check_target(args.out)
    store = Store(args.db)
    store.get_audit(args.audit)  # an unknown id: a clear message before any file is made
    manifest: dict[str, Any] = {}

    def write(handle: BinaryIO) -> None:
        manifest.update(portability.write_export(store, args.audit, handle))

    remove_stale(out)
    write_atomically(out, write)
    rows = sum(int(t["rows"]) for t in manifest["tables"])
    print(f"wrote {out}: audit {args.audit}, {rows:,} rows in {len(manifest['tables'])} tables")
    return 0


def _cmd_audit_erase(args: argparse.Namespace) -> int:
    from audit.services import portability
    from audit.store import Store

    if not args.yes:
        print("error: erasing cannot be undone; add --yes to erase every row and photo of this audit", file=sys.stderr)
        return 1
    counts = portability.erase_audit(Store(args.db), args.audit)
    done = ", ".join(f"{table} {n}" for table, n in counts.items() if n)
    print(f"erased audit {args.audit}: {sum(counts.values()):,} rows ({done})")
    return 0


def _cmd_audit_import(args: argparse.Namespace) -> int:
    from audit.services import portability
    from audit.store import Store

    audit_id, report = portability.import_archive(Store(args.db), args.file)
    print(f"imported audit {audit_id}: {sum(report.written.values()):,} rows in {len(report.written)} tables")
    for table, n in report.left_out.items():
        print(f"  left out {n} row(s) of {table}: what they point to is not in this database")
    return 0


def _cmd_workspace_create(args: argparse.Namespace) -> int:
    from audit.services import workspaces
    from audit.store import Store

    workspace, link = workspaces.create_workspace(Store(args.db), name=args.name)
    print(f"workspace: {workspace.name} ({workspace.id})")
    print(f"workspace link: {args.base_url.rstrip('/')}/?t={link}")
    print("Keep this link private: it opens every audit of the workspace as its owner. It is shown only now.")
    return 0


def add_commands(sub: Any) -> None:
    """Register these commands on the ``python -m audit`` parser's subcommands."""
    ready = sub.add_parser("ready", help="exit 0 when the database answers and is migrated (deploy scripts wait on it)")
    ready.add_argument("--db", default=None, help=DB_HELP)
    ready.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="keep asking this long before giving up")
    ready.add_argument("--migrate", action="store_true", help="apply pending migrations first (under the migration lock)")
    ready.set_defaults(func=_cmd_ready)

    backup = sub.add_parser("backup", help="back up the whole database (photos included) while the app runs")
    backup.add_argument("--db", default=None, help=DB_HELP)
    backup.add_argument("--out", required=True, help="the backup file to write")
    backup.set_defaults(func=_cmd_backup)

    restore = sub.add_parser("restore", help="restore a backup into a new or empty database")
    restore.add_argument("file", metavar="FILE", help="a file made by `backup`")
    restore.add_argument("--db", required=True, help="the new or empty database: a SQLite file path or postgresql+psycopg://...")
    restore.set_defaults(func=_cmd_restore)

    export = sub.add_parser("audit-export", help="every record and photo of one audit as a zip (data-protection requests)")
    export.add_argument("--db", default=None, help=DB_HELP)
    export.add_argument("--audit", required=True, help="audit id")
    export.add_argument("--out", required=True, help="the .zip file to write")
    export.set_defaults(func=_cmd_audit_export)

    erase = sub.add_parser("audit-erase", help="erase every row and photo of one audit (cannot be undone)")
    erase.add_argument("--db", default=None, help=DB_HELP)
    erase.add_argument("--audit", required=True, help="audit id")
    erase.add_argument("--yes", action="store_true", help="confirm: erase it")
    erase.set_defaults(func=_cmd_audit_erase)

    imp = sub.add_parser("audit-import", help="recreate an audit from an `audit-export` zip")
    imp.add_argument("file", metavar="FILE", help="the .zip made by audit-export")
    imp.add_argument("--db", default=None, help=DB_HELP)
    imp.set_defaults(func=_cmd_audit_import)

    workspace = sub.add_parser("workspace", help="a consultant's workspace: one link for many clients' audits")
    actions = workspace.add_subparsers(dest="workspace_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a workspace and print its link")
    create.add_argument("--name", required=True, help="the workspace's name (your consultancy)")
    create.add_argument("--db", default=None, help=DB_HELP)
    create.add_argument("--base-url", default="http://localhost:8501", help="app address used in the printed link")
    create.set_defaults(func=_cmd_workspace_create)
