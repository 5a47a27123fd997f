"""Is the database ready to serve this version: reachable, and its schema neither behind nor ahead.

Used by ``python -m audit ready`` (the deploy script waits on it) and by the
replicas' ``/_audit/ready`` endpoint (the proxy's health check): a replica
whose database is unreachable, not migrated yet, or migrated by a newer
version stops getting new sessions.
"""

from __future__ import annotations

import sqlalchemy as sa

from audit.store.base import Records
from audit.store.migrations import MIGRATIONS, applied_migrations


def _reason(err: Exception) -> str:
    orig = getattr(err, "orig", None)
    text = str(orig if orig is not None else err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:300]


class HealthRecords(Records):
    """Readiness of the database behind this store."""

    def readiness(self) -> str | None:
        """``None`` when ready; otherwise what is wrong, in one line (never a password)."""
        try:
            with self._read() as conn:
                conn.execute(sa.text("SELECT 1"))
                if not sa.inspect(conn).has_table("schema_migrations"):
                    return "the database has no schema yet (run: python -m audit migrate)"
                applied = set(applied_migrations(conn))
        except (sa.exc.DBAPIError, OSError) as err:
            return f"cannot reach the database: {_reason(err)}"
        known = [name for name, _ in MIGRATIONS]
        pending = [name for name in known if name not in applied]
        if pending:
            return f"migrations pending: {', '.join(pending)} (run: python -m audit migrate)"
        newer = sorted(applied - set(known))
        if newer:
            return f"the database was migrated by a newer version ({', '.join(newer)})"
        return None
