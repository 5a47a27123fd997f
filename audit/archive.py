"""The zip of one audit: every table's rows (JSON Lines and CSV), its photos as files, a manifest; read back within budgets.

Layout (format ``touchpoint-audit/audit-export``, version 1)::

    manifest.json              format, version, the audit's id and name, the schema's migrations,
                               per table: columns, binary columns, row count, file
    tables/<table>.jsonl       one JSON array per row, in the manifest's column order (what is imported)
    csv/<table>.csv            the same rows for people (text that looks like a formula starts with ')
    files/<table>/<n>-<column>.<ext>   binary values (photos, thumbnails); the rows name these files

Writing streams the rows: binary values go into the zip as they come, and
only the small JSON rows of one table are held at a time.

Reading is a parser of user input, so it has budgets (:class:`ArchiveBudget`)
checked before anything is unpacked -- the file's size, the zip's declared
member count (read from its end record before ``zipfile`` indexes it), each
member's and all members' declared sizes, the compression ratio, the names of
members -- and while reading: a row's length, rows per table (at most what
the manifest declares), and JSON nesting. Every refusal is an
:class:`ArchiveRefused` whose message names the limit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol

from audit.excel import csv_safe

FORMAT = "touchpoint-audit/audit-export"
VERSION = 1
MANIFEST = "manifest.json"
MB = 1024 * 1024
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_AUDIT_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_MEMBER = re.compile(r"^(manifest\.json|tables/[a-z0-9_]+\.jsonl|csv/[a-z0-9_]+\.csv|files/[a-z0-9_]+/[0-9]+-[a-z0-9_]+\.[a-z0-9]{1,5})$")
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/heic": ".heic", "image/heif": ".heic", "image/webp": ".webp"}
_EOCD = b"PK\x05\x06"
_MAX_DEPTH = 32


class ArchiveRefused(ValueError):
    """An archive that is not read; the message names the limit or the problem."""


@dataclass(frozen=True)
class ArchiveBudget:
    """How much an archive may hold before it is refused unread."""

    archive_bytes: int = 1024 * MB  # the zip file itself
    members: int = 20_000
    member_bytes: int = 256 * MB  # one member, inflated, as declared
    total_bytes: int = 2048 * MB  # all members, inflated, as declared
    ratio: int = 100  # inflated / compressed, for members over 1 MB (a zip bomb inflates thousands to one)
    rows: int = 2_000_000  # per table
    line_bytes: int = 1 * MB  # one row's JSON
    manifest_bytes: int = 1 * MB
    tables: int = 200
    columns: int = 200


class TableLike(Protocol):
    """One table's rows: what :func:`write_archive` takes (``audit.store`` hands these over)."""

    @property
    def name(self) -> str: ...
    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> Iterable[Sequence[Any]]: ...
    @property
    def binary(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class ArchiveTable:
    """One table read back: its rows stream from the zip, binary values as bytes."""

    name: str
    columns: tuple[str, ...]
    rows: Iterator[list[Any]]
    binary: tuple[str, ...] = ()


# ------------------------------------------------------------------ writing


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return csv_safe(json.dumps(value, ensure_ascii=False))
    return csv_safe(str(value))


def _file_name(table: str, number: int, column: str, row: dict[str, Any]) -> str:
    extension = _EXTENSIONS.get(str(row.get("mime") or "").lower(), ".bin")
    return f"files/{table}/{number}-{column}{extension}"


def _write_table(archive: zipfile.ZipFile, table: TableLike) -> dict[str, Any]:
    """One table into the zip: its files as the rows come, then its JSON Lines and CSV; returns its manifest entry."""
    binary = [i for i, c in enumerate(table.columns) if c in table.binary]
    kept: list[list[Any]] = []
    for number, values in enumerate(table.rows, start=1):
        row = list(values)
        named = dict(zip(table.columns, row, strict=True))
        for i in binary:
            if row[i] is not None:
                member = _file_name(table.name, number, table.columns[i], named)
                archive.writestr(member, bytes(row[i]), compress_type=zipfile.ZIP_STORED)
                row[i] = member
        kept.append(row)
    with archive.open(f"tables/{table.name}.jsonl", "w") as out:
        for row in kept:
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(table.columns)
    writer.writerows([_csv_cell(v) for v in row] for row in kept)
    archive.writestr(f"csv/{table.name}.csv", text.getvalue().encode("utf-8-sig"))
    return {"name": table.name, "columns": list(table.columns), "binary": list(table.binary), "rows": len(kept),
            "file": f"tables/{table.name}.jsonl"}


def write_archive(
    handle: IO[bytes], *, audit_id: str, audit_name: str, schema: Sequence[str], tables: Iterable[TableLike],
    exported_at: dt.datetime,
) -> dict[str, Any]:
    """Write the audit's archive into ``handle`` (a seekable binary file); returns the manifest."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        entries = [_write_table(archive, table) for table in tables]
        manifest = {
            "format": FORMAT, "version": VERSION, "audit": {"id": audit_id, "name": audit_name},
            "exported_at": exported_at.isoformat(), "schema": list(schema), "tables": entries,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


# ------------------------------------------------------------------ reading: the zip's directory


def _declared_members(handle: BinaryIO, size: int) -> int:
    """The member count the zip's end record declares (read before ``zipfile`` builds its index)."""
    tail_size = min(size, 65_557)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        raise ArchiveRefused("this is not a zip archive (no zip directory at its end)")
    count, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if count == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise ArchiveRefused("the archive uses ZIP64 (more than 65,535 members or 4 GB); an audit export never does")
    return int(count)


def _check_member(info: zipfile.ZipInfo, budget: ArchiveBudget) -> None:
    name = info.filename
    if not _MEMBER.match(name):
        raise ArchiveRefused(f"the archive holds {name[:80]!r}, which is not part of an audit export")
    if info.flag_bits & 0x1:
        raise ArchiveRefused(f"{name}: encrypted members are not read")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ArchiveRefused(f"{name}: only stored or deflated members are read")
    if info.file_size > budget.member_bytes:
        raise ArchiveRefused(f"{name} inflates to {info.file_size / MB:,.0f} MB; the limit is {budget.member_bytes // MB} MB per member")
    if info.file_size > MB and info.file_size > budget.ratio * max(info.compress_size, 1):
        raise ArchiveRefused(f"{name} inflates more than {budget.ratio} times; the limit is {budget.ratio} to 1")


def _check_directory(archive: zipfile.ZipFile, budget: ArchiveBudget) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in archive.infolist():
        _check_member(info, budget)
        if info.filename in members:
            raise ArchiveRefused(f"the archive holds {info.filename!r} twice")
        members[info.filename] = info
        total += info.file_size
        if total > budget.total_bytes:
            raise ArchiveRefused(f"the archive inflates to more than {budget.total_bytes // MB:,} MB; the limit is {budget.total_bytes // MB:,} MB")
    if MANIFEST not in members:
        raise ArchiveRefused("the archive has no manifest.json: it is not an audit export")
    return members


# ------------------------------------------------------------------ reading: the manifest


def _depth(value: Any, level: int = 0) -> int:
    if level > _MAX_DEPTH:
        return level
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    return level


def _json(data: bytes, what: str) -> Any:
    try:
        value = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        raise ArchiveRefused(f"{what} is not valid JSON") from None
    if _depth(value) > _MAX_DEPTH:
        raise ArchiveRefused(f"{what} nests deeper than {_MAX_DEPTH} levels")
    return value


def _names(value: Any, what: str, limit: int) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > limit or not all(isinstance(v, str) and _NAME.match(v) for v in value):
        raise ArchiveRefused(f"the manifest's {what} must be a list of at most {limit} names of letters, digits and _")
    if len(set(value)) != len(value):
        raise ArchiveRefused(f"the manifest's {what} names one twice")
    return tuple(value)


def _table_entry(entry: Any, members: dict[str, zipfile.ZipInfo], budget: ArchiveBudget) -> dict[str, Any]:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not _NAME.match(entry["name"]):
        raise ArchiveRefused("the manifest lists a table without a valid name")
    name = entry["name"]
    columns = _names(entry.get("columns"), f"columns of {name}", budget.columns)
    binary = _names(entry.get("binary", []), f"binary columns of {name}", budget.columns)
    rows = entry.get("rows")
    if not set(binary) <= set(columns):
        raise ArchiveRefused(f"the manifest's binary columns of {name} are not among its columns")
    if not isinstance(rows, int) or isinstance(rows, bool) or not 0 <= rows <= budget.rows:
        raise ArchiveRefused(f"the manifest's row count of {name} must be a number from 0 to {budget.rows:,}")
    if entry.get("file") != f"tables/{name}.jsonl" or entry["file"] not in members:
        raise ArchiveRefused(f"the rows of {name} (tables/{name}.jsonl) are not in the archive")
    return {"name": name, "columns": columns, "binary": binary, "rows": rows, "file": entry["file"]}


def _check_manifest(manifest: Any, members: dict[str, zipfile.ZipInfo], budget: ArchiveBudget) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused(f"the manifest does not say format {FORMAT!r}: this is not an audit export")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArchiveRefused("the manifest has no format version")
    if version > VERSION:
        raise ArchiveRefused(f"the archive has format version {version}; this version of the tool reads version {VERSION}")
    audit = manifest.get("audit")
    if not isinstance(audit, dict) or not isinstance(audit.get("id"), str) or not _AUDIT_ID.match(audit["id"]):
        raise ArchiveRefused("the manifest has no valid audit id")
    name = audit.get("name")
    schema = manifest.get("schema")
    if not isinstance(schema, list) or len(schema) > 1_000 or not all(isinstance(s, str) and len(s) <= 200 for s in schema):
        raise ArchiveRefused("the manifest's schema must be a list of migration names")
    tables = manifest.get("tables")
    if not isinstance(tables, list) or len(tables) > budget.tables:
        raise ArchiveRefused(f"the manifest must list at most {budget.tables} tables")
    entries = [_table_entry(e, members, budget) for e in tables]
    if len({e["name"] for e in entries}) != len(entries):
        raise ArchiveRefused("the manifest lists a table twice")
    return {"audit_id": audit["id"], "audit_name": str(name)[:300] if isinstance(name, str) else "", "schema": tuple(schema),
            "tables": entries}


# ------------------------------------------------------------------ reading: the archive


class AuditArchive:
    """An audit export opened for reading, its directory and manifest checked: ``with AuditArchive(path) as a:``."""

    def __init__(self, path: str | os.PathLike[str], budget: ArchiveBudget = ArchiveBudget()) -> None:
        self.budget = budget
        size = self._check_file(Path(path))
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            if _declared_members(self._handle, size) > budget.members:
                raise ArchiveRefused(f"the archive declares more than {budget.members:,} members; the limit is {budget.members:,}")
            self._handle.seek(0)
            self._zip = zipfile.ZipFile(self._handle)
            self._members = _check_directory(self._zip, budget)
            info = self._members[MANIFEST]
            if info.file_size > budget.manifest_bytes:
                raise ArchiveRefused(f"manifest.json is larger than {budget.manifest_bytes // MB} MB")
            raw = self._read_member(MANIFEST)
            self.manifest = _check_manifest(_json(raw, "manifest.json"), self._members, budget)
        except ArchiveRefused:
            self.close()
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, ValueError) as err:
            self.close()
            raise ArchiveRefused(f"the archive is damaged ({type(err).__name__})") from None

    def _check_file(self, path: Path) -> int:
        if not path.is_file():
            raise ArchiveRefused(f"{path} is not a file")
        size = path.stat().st_size
        if size > self.budget.archive_bytes:
            raise ArchiveRefused(f"the archive is {size / MB:,.0f} MB; the limit is {self.budget.archive_bytes // MB:,} MB")
        return size

    def __enter__(self) -> AuditArchive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        zip_file = getattr(self, "_zip", None)
        if zip_file is not None:
            zip_file.close()
        self._handle.close()

    @property
    def audit_id(self) -> str:
        return str(self.manifest["audit_id"])

    @property
    def audit_name(self) -> str:
        return str(self.manifest["audit_name"])

    @property
    def schema(self) -> tuple[str, ...]:
        return tuple(self.manifest["schema"])

    def _read_member(self, name: str) -> bytes:
        info = self._members[name]
        try:
            with self._zip.open(info) as source:
                data = source.read(info.file_size + 1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as err:
            raise ArchiveRefused(f"{name} cannot be unpacked ({type(err).__name__})") from None
        if len(data) > info.file_size:
            raise ArchiveRefused(f"{name} is larger than its zip entry says")
        return data

    def tables(self) -> Iterator[ArchiveTable]:
        """Each table in the manifest's order; read its rows before asking for the next table."""
        for entry in self.manifest["tables"]:
            yield ArchiveTable(entry["name"], entry["columns"], self._rows(entry), entry["binary"])

    def _rows(self, entry: dict[str, Any]) -> Iterator[list[Any]]:
        name, columns, declared = entry["name"], entry["columns"], entry["rows"]
        binary = [i for i, c in enumerate(columns) if c in entry["binary"]]
        count = 0
        try:
            with self._zip.open(self._members[entry["file"]]) as source:
                while line := source.readline(self.budget.line_bytes + 1):
                    if len(line) > self.budget.line_bytes:
                        raise ArchiveRefused(f"{name}: a row is longer than {self.budget.line_bytes // 1024:,} KB")
                    count += 1
                    if count > declared:
                        raise ArchiveRefused(f"{name} holds more rows than the {declared:,} its manifest declares")
                    yield self._row(name, columns, binary, line, count)
        except (zipfile.BadZipFile, EOFError, OSError) as err:
            raise ArchiveRefused(f"{name}: the rows cannot be unpacked ({type(err).__name__})") from None
        if count != declared:
            raise ArchiveRefused(f"{name} holds {count:,} rows; its manifest declares {declared:,}")

    def _row(self, name: str, columns: tuple[str, ...], binary: list[int], line: bytes, number: int) -> list[Any]:
        row = _json(line, f"{name}, row {number},")
        if not isinstance(row, list) or len(row) != len(columns):
            raise ArchiveRefused(f"{name}, row {number}: must be a list of {len(columns)} values")
        for i in binary:
            member = row[i]
            if member is None:
                continue
            if not isinstance(member, str) or not member.startswith(f"files/{name}/") or member not in self._members:
                raise ArchiveRefused(f"{name}, row {number}, column {columns[i]}: names no file of this table in the archive")
            row[i] = self._read_member(member)
        return row
