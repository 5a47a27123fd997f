"""Load, check and write touchpoint catalogs (YAML, CSV, XLSX).

Loading never stops at the first mistake: :func:`load_catalog` returns the
catalog *and* a list of every :class:`Problem` it found (file, line or row,
field, message). A catalog with any problem is not returned at all, so nothing
is ever half-loaded. The file format is documented in ``catalogs/README.md``.

Every reader has budgets, each refusal naming its limit: the file size
(``MAX_BYTES``), the number of touchpoints (``MAX_TOUCHPOINTS``, checked while
reading), YAML depth and aliases (:mod:`audit.catalog_yaml`), rows
(:mod:`audit.catalog_table`) and the inflated size of a workbook
(:mod:`audit.xlsxlimits`). ``extends:`` names a bundled catalog by its id;
no other file is ever opened because of what a file says.
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, cast

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from audit.catalog_fields import (
    CHAIN_COLUMNS,
    COLUMNS,
    catalog_to_json,
    chain_from_dict,
    chain_to_dict,
    mapping_from_row,
    parse_touchpoint,
    standard_from_dict,
    standard_to_dict,
    text_in,
    touchpoint_from_dict,
    touchpoint_row,
    touchpoint_to_dict,
)
from audit.catalog_table import Table, TableRefused, read_csv, read_workbook
from audit.catalog_yaml import YamlRefused, compose, line_of
from audit.excel import append_row, csv_safe, fit_columns
from audit.languages import LANGUAGES, text_columns
from audit.model import Catalog, Category, Chain, Text, Touchpoint, ValidationError, check_id
from audit.numbers import megabytes
from audit.refusal import NO_PARAMS, Message

__all__ = [  # the codec lives in audit.catalog_fields; these names stay importable from here
    "CHAIN_COLUMNS", "COLUMNS", "catalog_to_json", "chain_from_dict", "chain_to_dict", "standard_from_dict",
    "standard_to_dict", "touchpoint_from_dict", "touchpoint_row", "touchpoint_to_dict",
]

CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalogs"
MAX_BYTES = 10 * 1024 * 1024
MAX_TOUCHPOINTS = 5_000
MAX_PROBLEMS = 1_000  # listed; a file with more says how many more there are
MAX_EXTENDS = 3  # a preset may extend a preset, up to this many levels
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}
BUNDLED_ID = re.compile(r"[a-z0-9-]{1,60}\Z")
_CATALOG_KEYS = ("id", "name", "description", "touchpoints", "chains", "extends", "include")


class Problem(NamedTuple):
    """One thing wrong with a catalog file, where it is and what to do.

    ``message`` is English (the command line); ``key`` and ``params`` say it
    in a person's language (the create page).
    """

    file: str
    line: int | None
    field: str
    message: str
    key: str = ""
    params: Mapping[str, Any] = NO_PARAMS

    @classmethod
    def said(cls, file: str, line: int | None, field: str, message: Message) -> Problem:
        """A problem whose words are ``message``."""
        return cls(file, line, field, message.in_english, message.key, message.params)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class CatalogError(ValueError):
    """Raised by the ``*_or_raise`` helpers; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _said(code: str, /, **params: Any) -> Message:
    """The words of a catalog problem: the message ``catalog_problem.<code>``."""
    return Message(f"catalog_problem.{code}", params)


def _problem(file: str, line: int | None, field: str, code: str, /, **params: Any) -> Problem:
    return Problem.said(file, line, field, _said(code, **params))


def _too_big(file: str, size: int) -> Problem:
    return _problem(file, None, "", "too_big", size=megabytes(size), limit=MAX_BYTES // (1024 * 1024))


# ------------------------------------------------------------- one record


@dataclass(frozen=True)
class _Where:
    """Turns a field name into a line/row number for a problem."""

    file: str
    locate: Callable[[str], int | None]

    def problem(self, field: str, message: Message) -> Problem:
        return Problem.said(self.file, self.locate(field), field, message)


class _Entry(NamedTuple):
    touchpoint: Touchpoint | None
    where: _Where
    raw_id: Any


def _entry(raw: Any, where: _Where, problems: list[Problem]) -> _Entry:
    touchpoint, found = parse_touchpoint(raw)
    problems.extend(where.problem(field, message) for field, message in found)
    return _Entry(touchpoint, where, raw.get("id") if isinstance(raw, Mapping) else None)


def chain_from_mapping(raw: Any, where: _Where, problems: list[Problem]) -> Chain | None:
    if not isinstance(raw, Mapping):
        problems.append(where.problem("chains", _said("chain_not_mapping")))
        return None
    links = raw.get("links")
    if isinstance(links, str):
        links = [p.strip() for p in links.replace(">", ";").split(";") if p.strip()]
    if not isinstance(links, (list, tuple)):
        problems.append(where.problem("links", _said("links_not_list")))
        return None
    try:
        chain_id: Any = raw.get("id")  # checked by Chain
        name: Any = raw.get("name")
        return Chain(chain_id, name, tuple(links))
    except ValidationError as err:
        problems.append(where.problem(err.field.removeprefix("chain."), Message.of(err)))
        return None


# ------------------------------------------------------------- whole catalogs


def _included(file: str, base: Catalog | None, include: list[tuple[str, int | None]], ids: dict[str, int | None], problems: list[Problem]) -> list[Touchpoint]:
    """The base catalog's touchpoints named by ``include``, in that order."""
    if base is None:
        return []
    base_by_id = base.by_id()
    items = []
    for tp_id, line in include:
        if tp_id not in base_by_id:
            problems.append(_problem(file, line, "include", "not_in_base", id=tp_id, base=base.id))
        elif tp_id in ids:
            problems.append(_problem(file, line, "include", "included_twice", id=tp_id))
        else:
            ids[tp_id] = line
            items.append(base_by_id[tp_id])
    return items


def _own(entries: list[_Entry], base: Catalog | None, ids: dict[str, int | None], problems: list[Problem]) -> list[Touchpoint]:
    """The file's own touchpoints, each id used once (also among the ones that failed)."""
    base_ids = {tp.id for tp in base.touchpoints} if base is not None else set()
    items = []
    for tp, where, raw_id in entries:
        tp_id = tp.id if tp is not None else (raw_id.strip() if isinstance(raw_id, str) else "")
        if not tp_id:
            continue
        if tp is not None and tp_id in base_ids:
            problems.append(where.problem("id", _said("id_in_base", id=tp_id, base=base.id if base else "")))
        elif tp_id in ids:
            first = ids[tp_id]
            problems.append(where.problem("id", _said("duplicate_id_at", id=tp_id, first=str(first)) if first else _said("duplicate_id", id=tp_id)))
        else:
            ids[tp_id] = where.locate("id")
            if tp is not None:
                items.append(tp)
    return items


def _chains(chains: list[tuple[Chain | None, _Where]], ids: Mapping[str, Any], problems: list[Problem]) -> list[Chain]:
    seen: set[str] = set()
    good: list[Chain] = []
    for chain, where in chains:
        if chain is None:
            continue
        if chain.id in seen:
            problems.append(where.problem("id", _said("duplicate_chain", id=chain.id)))
            continue
        seen.add(chain.id)
        unknown = [link for link in chain.links if link not in ids]
        problems.extend(where.problem("links", _said("chain_unknown_link", chain=chain.id, link=link)) for link in unknown)
        if not unknown:
            good.append(chain)
    return good


def _header(file: str, header: Mapping[str, Any], problems: list[Problem]) -> tuple[str, Text, Text] | None:
    """The catalog's id, name and description."""
    try:
        cat_id = check_id(str(header.get("id") or Path(file).stem).replace(" ", "-").lower(), "id")
    except ValidationError as err:
        problems.append(Problem.said(file, line_of(header, "id"), "id", Message.of(err)))
        cat_id = "catalog"
    try:
        name = Text.of(header.get("name") or Path(file).stem, "name", required=True)
        description = Text.of(header.get("description"), "description", limit=20_000)
    except ValidationError as err:
        problems.append(Problem.said(file, line_of(header, err.field.split(".")[0]), err.field, Message.of(err)))
        return None
    return cat_id, name, description


def _assemble(
    file: str,
    header: Mapping[str, Any],
    entries: list[_Entry],
    chains: list[tuple[Chain | None, _Where]],
    problems: list[Problem],
    base: Catalog | None = None,
    include: list[tuple[str, int | None]] | None = None,
) -> Catalog | None:
    """Check ids, chain links and counts across the whole catalog, then build it."""
    ids: dict[str, int | None] = {}
    items = _included(file, base, include or [], ids, problems) + _own(entries, base, ids, problems)
    if len(items) > MAX_TOUCHPOINTS:
        problems.append(_problem(file, None, "touchpoints", "too_many", count=len(items), limit=MAX_TOUCHPOINTS))
    if not entries and not include and not any(p.field == "touchpoints" for p in problems):
        problems.append(_problem(file, None, "touchpoints", "no_touchpoints"))
    good_chains = _chains(chains, ids, problems)
    head = _header(file, header, problems)
    if problems or head is None:
        return None
    cat_id, name, description = head
    return Catalog(cat_id, name, tuple(items), tuple(good_chains), description)


# ------------------------------------------------------------- YAML

Resolver = Callable[[Any], "tuple[Catalog | None, Message | None]"]


def _yaml_locate(raw: Any, field: str) -> int | None:
    key = field.split(".")[0]
    return line_of(raw, "links" if key == "chain" else key)


def _yaml_list(data: Mapping[str, Any], key: str, file: str, problems: list[Problem]) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        problems.append(_problem(file, line_of(data, key), key, "ids_not_list" if key == "include" else "not_list", field=key))
        return []
    return value


def _yaml_base(data: Mapping[str, Any], file: str, problems: list[Problem], resolve_base: Resolver) -> tuple[Catalog | None, list[tuple[str, int | None]] | None, bool]:
    """``(base, include, ok)`` for ``extends:``/``include:``; ``ok`` is false when the base cannot be used."""
    if not data.get("extends"):
        return None, None, True
    base, why = resolve_base(data["extends"])
    if base is None:
        problems.append(Problem.said(file, line_of(data, "extends"), "extends", why or _said("extends_unknown", name=data["extends"], choices="")))
        return None, None, False
    raw_include = _yaml_list(data, "include", file, problems)
    lines = getattr(raw_include, "lines", [None] * len(raw_include))
    return base, [(str(i), line) for i, line in zip(raw_include, lines, strict=False)], True


def _parse_yaml(text: str, file: str, problems: list[Problem], resolve_base: Resolver) -> Catalog | None:
    try:
        data, key_problems = compose(text)
    except YamlRefused as err:
        problems.append(Problem.said(file, err.line, "", Message.of(err)))
        return None
    problems.extend(Problem.said(file, line, key, message) for line, key, message in key_problems)
    if data is None:
        problems.append(_problem(file, None, "", "empty"))
        return None
    if not isinstance(data, Mapping):
        problems.append(_problem(file, line_of(data), "", "not_mapping"))
        return None
    for key in data:
        if key not in _CATALOG_KEYS:
            problems.append(_problem(file, line_of(data, key), key, "unknown_field", field=key, known=", ".join(sorted(_CATALOG_KEYS))))
    base, include, ok = _yaml_base(data, file, problems, resolve_base)
    if not ok:
        return None
    raw_tps = _yaml_list(data, "touchpoints", file, problems)
    if len(raw_tps) + len(include or []) > MAX_TOUCHPOINTS:
        count = len(raw_tps) + len(include or [])
        problems.append(_problem(file, line_of(data, "touchpoints"), "touchpoints", "too_many", count=count, limit=MAX_TOUCHPOINTS))
        return None
    entries = [_entry(raw, _Where(file, functools.partial(_yaml_locate, raw)), problems) for raw in raw_tps]
    chains = []
    for raw in _yaml_list(data, "chains", file, problems):
        where = _Where(file, functools.partial(_yaml_locate, raw))
        chains.append((chain_from_mapping(raw, where, problems), where))
    return _assemble(file, data, entries, chains, problems, base, include)


# ------------------------------------------------------------- tables (CSV/XLSX)


def _at_line(line: int, _field: str) -> int | None:
    return line


def _row_cell(row: Mapping[str, Any]) -> Callable[[str], Any]:
    def cell(name: str) -> Any:
        value = row.get(name)
        if isinstance(value, str):
            value = value.strip()
        return None if value in (None, "") else value

    return cell


def _table_entries(table: Table, file: str, problems: list[Problem]) -> list[_Entry]:
    header = table.header
    known = ", ".join(COLUMNS)
    problems.extend(_problem(file, 1, h, "unknown_column", column=h, known=known) for h in header if h and h not in COLUMNS)
    for required in ("id", "category"):
        if required not in header:
            problems.append(_problem(file, 1, required, "column_missing", column=required))
    if not any(column in header for column in text_columns("name")):
        problems.append(_problem(file, 1, text_columns("name")[0], "name_column_missing", columns=", ".join(text_columns("name"))))
    problems.extend(Problem.said(file, line, field, message) for line, field, message in table.notes)
    entries = []
    for line, row in table.rows:
        where = _Where(file, functools.partial(_at_line, line))
        entries.append(_entry(mapping_from_row(_row_cell(row)), where, problems))
    return entries


def _parse_csv(text: str, file: str, problems: list[Problem]) -> Catalog | None:
    try:
        table = read_csv(text, MAX_TOUCHPOINTS)
    except TableRefused as err:
        problems.append(Problem.said(file, err.line, "", Message.of(err)))
        return None
    entries = _table_entries(table, file, problems)
    return _assemble(file, {"id": Path(file).stem, "name": Path(file).stem}, entries, [], problems)


def _workbook_chains(table: Table, file: str, problems: list[Problem]) -> list[tuple[Chain | None, _Where]]:
    chains: list[tuple[Chain | None, _Where]] = []
    for line, row in table.rows:
        where = _Where(f"{file} [{table.title}]", functools.partial(_at_line, line))
        name = {lang: row.get(column) or "" for lang, column in zip(LANGUAGES, text_columns("name"), strict=True)}
        chains.append((chain_from_mapping({"id": row.get("id"), "name": name, "links": str(row.get("links") or "")}, where, problems), where))
    return chains


def _parse_xlsx(data: bytes, file: str, problems: list[Problem]) -> Catalog | None:
    try:
        book = read_workbook(data, MAX_TOUCHPOINTS)
    except TableRefused as err:
        problems.append(Problem.said(file, err.line, "", Message.of(err)))
        return None
    if not book.touchpoints.header:
        problems.append(_problem(file, None, "", "sheet_empty"))
        return None
    entries = _table_entries(book.touchpoints, f"{file} [{book.touchpoints.title}]", problems)
    chains = _workbook_chains(book.chains, file, problems) if book.chains is not None else []
    header: dict[str, Any] = {"id": Path(file).stem, "name": Path(file).stem}
    if book.info is not None:
        info = book.info
        header = {
            "id": info.get("id") or Path(file).stem,
            "name": {lang: info.get(column, "") for lang, column in zip(LANGUAGES, text_columns("name"), strict=True)},
            "description": {lang: info.get(column, "") for lang, column in zip(LANGUAGES, text_columns("description"), strict=True)},
        }
    return _assemble(file, header, entries, chains, problems)


# ------------------------------------------------------------- entry points


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    if b"\x00" in data[:8192]:
        problems.append(_problem(file, None, "", "binary"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        code = "not_utf8"
        try:
            data.decode("cp1251")
            code = "cp1251"
        except UnicodeDecodeError:
            pass
        problems.append(_problem(file, line, "", code, byte=f"0x{data[err.start]:02x}"))
        return None


def _finish(catalog: Catalog | None, problems: list[Problem], file: str) -> tuple[Catalog | None, list[Problem]]:
    if not problems:
        return catalog, []
    problems.sort(key=lambda p: (p.file, p.line or 0))
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], _problem(file, None, "", "more_problems", more=more, listed=MAX_PROBLEMS)]
    return None, problems


def _load(data: bytes, filename: str, resolve_base: Resolver) -> tuple[Catalog | None, list[Problem]]:
    problems: list[Problem] = []
    file = Path(filename).name or "catalog"
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_BYTES:
        return None, [_too_big(file, len(data))]
    if not data.strip():
        return None, [_problem(file, None, "", "empty")]
    kind = FORMATS.get(suffix)
    if kind is None:
        return None, [_problem(file, None, "", "file_type", suffix=suffix or "(none)")]
    if kind == "xlsx":  # audit.xlsxlimits reads the zip's directory with its own budgets first
        catalog = _parse_xlsx(data, file, problems)
    else:
        text = _decode(data, file, problems)
        if text is None:
            return None, problems
        if kind == "yaml":
            catalog = _parse_yaml(text, file, problems, resolve_base)
        else:
            catalog = _parse_csv(text, file, problems)
    return _finish(catalog, problems, file)


def load_catalog_bytes(data: bytes, filename: str) -> tuple[Catalog | None, list[Problem]]:
    """Parse an uploaded or read file. Returns ``(catalog, [])`` or ``(None, problems)``."""
    return _load(data, filename, functools.partial(_bundled_base, ()))


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (never a FIFO, device or folder, which could hang or flood a read)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a folder, pipe or device)")
        if info.st_size > limit:
            raise OverflowError(info.st_size)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)


def load_catalog(path: str | Path) -> tuple[Catalog | None, list[Problem]]:
    """Load a catalog file (a regular file of at most ``MAX_BYTES``); ``extends`` names a bundled catalog."""
    path = Path(path)
    try:
        data = _read_regular(path, MAX_BYTES)
    except OverflowError as err:
        return None, [_too_big(path.name, err.args[0])]
    except OSError as err:
        return None, [_problem(path.name, None, "", "unreadable", reason=str(err.strerror or err))]
    return load_catalog_bytes(data, path.name)


# ------------------------------------------------------------- bundled catalogs


def _bundled_path(catalog_id: str) -> Path | None:
    """The file of a bundled catalog: a regular file (not a link, FIFO or device) named ``<id>.yaml`` in ``catalogs/``."""
    if not BUNDLED_ID.match(catalog_id):
        return None
    path = CATALOG_DIR / f"{catalog_id}.yaml"
    try:
        return path if stat.S_ISREG(os.lstat(path).st_mode) else None
    except OSError:
        return None


def bundled_ids() -> list[str]:
    """Ids of the catalogs shipped in ``catalogs/``, the general one first."""
    ids = sorted(p.stem for p in CATALOG_DIR.glob("*.yaml") if _bundled_path(p.stem) is not None)
    return sorted(ids, key=lambda i: (i != "general", i))


def _load_bundled(catalog_id: str, ancestry: tuple[str, ...]) -> tuple[Catalog | None, list[Problem]]:
    path = _bundled_path(catalog_id)
    if path is None:
        return None, [_problem(f"{catalog_id}.yaml", None, "", "no_bundled")]
    try:
        data = _read_regular(path, MAX_BYTES)
    except (OSError, OverflowError) as err:
        return None, [_problem(path.name, None, "", "unreadable", reason=str(err))]
    return _load(data, path.name, functools.partial(_bundled_base, (*ancestry, catalog_id)))


def _bundled_base(ancestry: tuple[str, ...], name: Any) -> tuple[Catalog | None, Message | None]:
    """The catalog ``extends: name`` refers to, or why there is none. Only ids of bundled catalogs are accepted."""
    choices = ", ".join(bundled_ids())
    if not isinstance(name, str) or not BUNDLED_ID.match(name):
        return None, _said("extends_not_id", choices=choices, got=str(name)[:60])
    if name in ancestry:
        return None, _said("extends_loop", chain=" > ".join((*ancestry, name)))
    if len(ancestry) >= MAX_EXTENDS:
        return None, _said("extends_deep", limit=MAX_EXTENDS)
    if _bundled_path(name) is None:
        return None, _said("extends_unknown", name=name, choices=choices)
    base, problems = bundled_or_problems(name) if not ancestry else _load_bundled(name, ancestry)
    if base is None:
        return None, _said("extends_invalid", name=name, problem=str(problems[0]) if problems else "")
    return base, None


@functools.lru_cache(maxsize=16)
def bundled_or_problems(catalog_id: str) -> tuple[Catalog | None, list[Problem]]:
    """A bundled catalog and its problems, parsed once per process (records are immutable)."""
    return _load_bundled(catalog_id, ())


def bundled(catalog_id: str) -> Catalog:
    """A bundled catalog by id."""
    if catalog_id not in bundled_ids():
        raise KeyError(f"no bundled catalog {catalog_id!r}; choose one of: {', '.join(bundled_ids())}")
    catalog, problems = bundled_or_problems(catalog_id)
    if catalog is None:
        raise CatalogError(problems)
    return catalog


# ------------------------------------------------------------- writing


def write_csv(catalog: Catalog) -> bytes:
    """Touchpoints as UTF-8 CSV (with a BOM so Excel reads Cyrillic right); no cell can become a formula."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for tp in catalog.touchpoints:
        cells = ["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in touchpoint_row(tp)]
        writer.writerow([csv_safe(c) for c in cells])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(catalog: Catalog) -> bytes:
    """The whole catalog (info, touchpoints, chains) as an editable workbook."""
    book = Workbook()
    sheet = cast(Worksheet, book.active)
    sheet.title = "Touchpoints"
    append_row(sheet, COLUMNS)
    for tp in catalog.touchpoints:
        append_row(sheet, [None if v == "" else v for v in touchpoint_row(tp)])
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    fit_columns(sheet, limit=50)
    chains = book.create_sheet("Chains")
    append_row(chains, CHAIN_COLUMNS)
    for chain in catalog.chains:
        append_row(chains, [chain.id, *(text_in(chain.name, lang) for lang in LANGUAGES), " > ".join(chain.links)])
    fit_columns(chains, limit=80)
    info = book.create_sheet("Catalog")
    append_row(info, ["field", "value"])
    append_row(info, ["id", catalog.id])
    for key, text in (("name", catalog.name), ("description", catalog.description)):
        for lang, column in zip(LANGUAGES, text_columns(key), strict=True):
            append_row(info, [column, text_in(text, lang) or None])
    fit_columns(info, limit=80)
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def categories_present(catalog: Catalog) -> list[Category]:
    return [c for c in Category if any(tp.category == c for tp in catalog.touchpoints)]
