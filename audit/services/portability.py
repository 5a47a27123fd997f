"""One audit as a zip, erased, or imported: for data-protection requests and moving an audit between servers.

The owner exports and erases with the owner link (:func:`export_zip`,
:func:`erase`, the typed confirmation checked here again); the command line,
run by whoever runs the server, uses :func:`write_export`,
:func:`erase_audit` and :func:`import_archive` with an audit id.

Export reads every audit table (see :mod:`audit.store.auditrows`) from one
snapshot; erase deletes every row and photo of the audit in one transaction
and nothing else; import writes the archive's rows all or nothing, after the
archive passed its budgets (:mod:`audit.archive`).
"""

from __future__ import annotations

import io
import os
from typing import IO, Any

from audit.archive import ArchiveBudget, AuditArchive
from audit.archive import write_archive as pack
from audit.model import Audit, ValidationError, utcnow
from audit.services.access import guard
from audit.services.permissions import Permission
from audit.store import MIGRATIONS, Concerns, NotFound, Store, StoreError
from audit.store.auditrows import TableRows, WriteReport


def _pack(tx: Concerns, audit: Audit, handle: IO[bytes]) -> dict[str, Any]:
    return pack(
        handle, audit_id=audit.id, audit_name=audit.name, schema=tx.schema_version(), tables=tx.audit_rows(audit.id),
        exported_at=utcnow(),
    )


def export_zip(store: Store, token: str | None) -> tuple[str, bytes, dict[str, Any]]:
    """Every record of the audit and its photos as a zip (owner only): ``(file name, bytes, manifest)``."""
    buffer = io.BytesIO()
    with guard(store, token, Permission.EXPORT_AUDIT) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        manifest = _pack(tx, audit, buffer)
    return f"audit-{audit.id}.zip", buffer.getvalue(), manifest


def confirmation_matches(audit: Audit, typed: Any) -> bool:
    """The owner typed the audit's name (spaces around it and letter case do not matter)."""
    return isinstance(typed, str) and typed.strip().casefold() == audit.name.strip().casefold()


def erase(store: Store, token: str | None, typed: Any) -> dict[str, int]:
    """Erase the audit (owner only) once its name was typed: every row and photo, in one transaction."""
    with guard(store, token, Permission.ERASE_AUDIT, write=True) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        if not confirmation_matches(audit, typed):
            raise ValidationError("confirmation", typed, "erase_confirm")
        return tx.erase_audit(audit.id)


# ------------------------------------------------------------------ the command line (no link: the server's operator)


def write_export(store: Store, audit_id: str, handle: IO[bytes]) -> dict[str, Any]:
    """Write the audit's zip into ``handle``; returns its manifest."""
    with store.unit() as tx:
        return _pack(tx, tx.get_audit(audit_id), handle)


def erase_audit(store: Store, audit_id: str) -> dict[str, int]:
    """Erase one audit by id: every row of it in every audit table, in one transaction."""
    with store.unit(write=True, audit_id=audit_id) as tx:
        tx.get_audit(audit_id)  # NotFound for an unknown id: nothing is erased
        return tx.erase_audit(audit_id)


def import_archive(store: Store, path: str | os.PathLike[str], budget: ArchiveBudget = ArchiveBudget()) -> tuple[str, WriteReport]:
    """Recreate the audit of an export in this database, all or nothing; returns its id and what was written."""
    with AuditArchive(path, budget) as archive:
        known = {name for name, _ in MIGRATIONS}
        newer = [name for name in archive.schema if name not in known]
        if newer:
            raise StoreError("archive_newer", schema=", ".join(newer[:3]))
        with store.unit(write=True) as tx:
            try:
                existing = tx.get_audit(archive.audit_id)
            except NotFound:
                existing = None
            if existing is not None:
                raise StoreError("archive_audit_exists", id=archive.audit_id, name=existing.name)
            tables = (TableRows(t.name, t.columns, t.rows, t.binary) for t in archive.tables())
            return archive.audit_id, tx.write_audit(archive.audit_id, tables)
