"""Durable storage of audits on SQLAlchemy Core: SQLite by default, PostgreSQL for growth.

Promises:
- every write is one short transaction; on SQLite it takes the write lock up
  front (``BEGIN IMMEDIATE``), waits up to 30 s for a busy database and is then
  retried, so concurrent writers never lose a write;
- a rating is upserted per (audit, wave, participant, touchpoint) and *every*
  change is appended to ``rating_history``: nothing a person entered is lost;
- each audit keeps a frozen copy of its catalog; touchpoints added in a
  workshop join that copy only;
- tokens (links) are stored as SHA-256 hashes, never in clear;
- the schema is versioned: migrations are small functions, recorded by name in
  ``schema_migrations`` and applied on start under a lock, so two app replicas
  starting at once are safe.

The package, by concern:
- ``config``: the database URL; ``errors``: :class:`StoreError`, :class:`NotFound`;
- ``tokens``: link secrets, their hashes and derivation, :class:`Access`, ids;
- ``schema``: today's tables; ``migrations``: how a database gets there;
- ``engine``: engine tuning and the busy retry; ``writequeue``: SQLite group commit;
- ``codecs``: rows <-> records;
- ``base`` and the concern modules ``audits``, ``catalog_copy``, ``ratings``,
  ``room``, ``visits``, ``evidence``, ``plan``, ``waves``: the reads and writes;
- ``unit``: units of work (one transaction for several calls);
- ``facade``: :class:`Store`, which puts them together.

Adding a migration: change the table in ``schema``, then append a small
function ``_mNNN_what(conn)`` to ``migrations`` and its name to the end of
``MIGRATIONS``. It receives a connection inside the migration's transaction
and transforms the schema of the previous step (``ALTER TABLE``, a new table
defined inside the function, a data fix). Never edit, rename or reorder a
migration that was released: 001 is the first release written out and frozen,
and ``tests/test_migrations.py`` checks that running every step gives exactly
the tables of ``schema`` on SQLite and PostgreSQL.
"""

from audit.store.config import DEFAULT_DATA_DIR, DEFAULT_DB_FILE, database_url
from audit.store.errors import NotFound, StoreError
from audit.store.facade import Store
from audit.store.migrations import MIGRATIONS
from audit.store.tokens import Access, derive_link, hash_token, new_id, new_token
from audit.store.unit import Concerns, Unit

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_DB_FILE",
    "MIGRATIONS",
    "Access",
    "Concerns",
    "NotFound",
    "Store",
    "StoreError",
    "Unit",
    "database_url",
    "derive_link",
    "hash_token",
    "new_id",
    "new_token",
]
