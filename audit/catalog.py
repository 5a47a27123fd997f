"""Load, check and write touchpoint catalogs (YAML, CSV, XLSX).

Loading never stops at the first mistake: :func:`load_catalog` returns the
catalog *and* a list of every :class:`Problem` it found (file, line or row,
field, message). A catalog with any problem is not returned at all, so nothing
is ever half-loaded. The file format is documented in ``catalogs/README.md``.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from audit.excel import append_row, fit_columns, looks_like_xlsx
from audit.languages import LANGUAGES, text_columns
from audit.model import (
    Catalog,
    Category,
    Chain,
    Standard,
    Text,
    Touchpoint,
    ValidationError,
    check_id,
)

CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalogs"
MAX_BYTES = 10 * 1024 * 1024
MAX_TOUCHPOINTS = 5_000
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}

TEXT_FIELDS = ("group", "name", "question")
COLUMNS = (
    "id",
    "category",
    *text_columns("group"),
    *text_columns("name"),
    *text_columns("question"),
    "stage",
    "channel",
    "audience",
    "attention",
    "lifetime",
    *text_columns("standard_metric"),
    *text_columns("standard_unit"),
    "standard_comparison",
    "standard_threshold",
    "added_by_team",
)
CHAIN_COLUMNS = ("id", *text_columns("name"), "links")


class Problem(NamedTuple):
    """One thing wrong with a catalog file, where it is and what to do."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class CatalogError(ValueError):
    """Raised by the ``*_or_raise`` helpers; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# ------------------------------------------------------------- YAML with lines


class _Lined(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[str, int]


class _LinedList(list):
    line: int = 0
    lines: list[int]


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _from_node(node: yaml.Node, problems: list[Problem], file: str) -> Any:
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"the tag {node.tag!r} is not allowed", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out = _Lined()
        out.line = node.start_mark.line + 1
        out.lines = {}
        for key_node, value_node in node.value:
            key = _from_node(key_node, problems, file)
            if not isinstance(key, str):
                problems.append(Problem(file, key_node.start_mark.line + 1, str(key), "keys must be words"))
                continue
            if key in out:
                problems.append(Problem(file, key_node.start_mark.line + 1, key, f"key {key!r} appears twice"))
            out[key] = _from_node(value_node, problems, file)
            out.lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        items = _LinedList(_from_node(n, problems, file) for n in node.value)
        items.line = node.start_mark.line + 1
        items.lines = [n.start_mark.line + 1 for n in node.value]
        return items
    return yaml.SafeLoader(io.StringIO("")).construct_object(node, deep=True)


def _line_of(mapping: Any, key: str | None = None) -> int | None:
    if isinstance(mapping, _Lined):
        if key is not None and key in mapping.lines:
            return mapping.lines[key]
        return mapping.line
    return getattr(mapping, "line", None)


# ------------------------------------------------------------- one record


@dataclass(frozen=True)
class _Where:
    """Turns a field name into a line/row number for a problem."""

    file: str
    locate: Callable[[str], int | None]

    def problem(self, field: str, message: str) -> Problem:
        return Problem(self.file, self.locate(field), field, message)


def _text(raw: Mapping[str, Any], field: str, where: _Where, problems: list[Problem], *, required: bool = False) -> Text:
    value = raw.get(field)
    try:
        return Text.of(value, field, required=required)
    except ValidationError as err:
        problems.append(where.problem(field, str(err)))
        return Text.of("?", field)


def touchpoint_from_mapping(raw: Mapping[str, Any], where: _Where, problems: list[Problem]) -> Touchpoint | None:
    """Build one touchpoint from a YAML mapping (or a normalised CSV/XLSX row).

    Every field is checked on its own so that one bad touchpoint reports all
    of its problems at once.
    """
    if not isinstance(raw, Mapping):
        problems.append(where.problem("touchpoints", "each touchpoint must be a mapping of fields"))
        return None
    known = {
        "id", "category", "group", "name", "question", "stage", "channel",
        "audience", "attention", "lifetime", "standard", "added_by_team",
    }
    for key in raw:
        if key not in known:
            problems.append(where.problem(str(key), f"unknown field {key!r}; known fields: {', '.join(sorted(known))}"))
    before = len(problems)
    kwargs: dict[str, Any] = {}
    for field, target in (("id", "id"), ("category", "category")):
        if raw.get(field) in (None, ""):
            problems.append(where.problem(field, f"{field} is missing"))
        kwargs[target] = raw.get(field)
    if raw.get("name") in (None, "", {}):
        problems.append(where.problem("name", "name is missing"))
    for field in TEXT_FIELDS:
        kwargs[field] = _text(raw, field, where, problems, required=False)
    for field, target in (("stage", "stages"), ("channel", "channels"), ("audience", "audiences")):
        value = raw.get(field)
        if value is not None and not isinstance(value, (str, list, tuple)):
            problems.append(where.problem(field, f"{field}: must be a word or a list of words (got {value!r})"))
            value = None
        kwargs[target] = value
    kwargs["attention"] = raw.get("attention")
    kwargs["lifetime"] = raw.get("lifetime")
    added = raw.get("added_by_team", False)
    if isinstance(added, str):
        added = added.strip().lower() in ("1", "true", "yes", "y")
    kwargs["added_by_team"] = bool(added)
    standard = raw.get("standard")
    if standard not in (None, "", {}):
        if not isinstance(standard, Mapping):
            problems.append(where.problem("standard", "standard must be a mapping with metric, unit, comparison, threshold"))
        else:
            missing = [k for k in ("metric", "comparison", "threshold") if standard.get(k) in (None, "")]
            if missing:
                problems.append(where.problem("standard", f"standard needs {', '.join(missing)}"))
            else:
                try:
                    kwargs["standard"] = Standard(
                        standard.get("metric"), standard.get("unit") or "", standard["comparison"], standard["threshold"]
                    )
                except ValidationError as err:
                    problems.append(where.problem(err.field, str(err)))
    if len(problems) > before:
        # Still try each enum field so every mistake is listed.
        _check_fields_separately(kwargs, where, problems)
        return None
    try:
        return Touchpoint(**kwargs)
    except ValidationError as err:
        field = err.field.split(".")[0]
        problems.append(where.problem(field, str(err)))
        _check_fields_separately(kwargs, where, problems, skip=field)
        return None


def _check_fields_separately(kwargs: dict[str, Any], where: _Where, problems: list[Problem], skip: str = "") -> None:
    probes = {
        "id": lambda v: check_id(v, "id"),
        "category": lambda v: Touchpoint(id="x", category=v, name="x"),
        "stages": lambda v: Touchpoint(id="x", category="office", name="x", stages=v),
        "channels": lambda v: Touchpoint(id="x", category="office", name="x", channels=v),
        "audiences": lambda v: Touchpoint(id="x", category="office", name="x", audiences=v),
        "attention": lambda v: Touchpoint(id="x", category="office", name="x", attention=v),
        "lifetime": lambda v: Touchpoint(id="x", category="office", name="x", lifetime=v),
    }
    seen = {(p.line, p.field) for p in problems}
    for key, probe in probes.items():
        value = kwargs.get(key)
        if value in (None, "") or key == skip:
            continue
        try:
            probe(value)
        except ValidationError as err:
            field = err.field
            if (where.locate(field), field) not in seen:
                problems.append(where.problem(field, str(err)))


def chain_from_mapping(raw: Any, where: _Where, problems: list[Problem]) -> Chain | None:
    if not isinstance(raw, Mapping):
        problems.append(where.problem("chains", "each chain must be a mapping with id, name and links"))
        return None
    links = raw.get("links")
    if isinstance(links, str):
        links = [p.strip() for p in links.replace(">", ";").split(";") if p.strip()]
    if not isinstance(links, (list, tuple)):
        problems.append(where.problem("links", "links must be a list of touchpoint ids"))
        return None
    try:
        return Chain(raw.get("id"), raw.get("name"), tuple(links))
    except ValidationError as err:
        problems.append(where.problem(err.field.removeprefix("chain."), str(err)))
        return None


# ------------------------------------------------------------- whole catalogs


def _assemble(
    file: str,
    header: Mapping[str, Any],
    touchpoints: list[tuple[Touchpoint | None, _Where, Any]],
    chains: list[tuple[Chain | None, _Where]],
    problems: list[Problem],
    base: Catalog | None = None,
    include: list[tuple[str, int | None]] | None = None,
) -> Catalog | None:
    """Check ids, chain links and counts across the whole catalog, then build it."""
    items: list[Touchpoint] = []
    ids: dict[str, int | None] = {}
    if base is not None:
        base_by_id = base.by_id()
        for tp_id, line in include or []:
            if tp_id not in base_by_id:
                problems.append(Problem(file, line, "include", f"{tp_id!r} is not in the base catalog {base.id!r}"))
            elif tp_id in ids:
                problems.append(Problem(file, line, "include", f"{tp_id!r} is included twice"))
            else:
                ids[tp_id] = line
                items.append(base_by_id[tp_id])
        base_ids = set(base_by_id)
    else:
        base_ids = set()
    for tp, where, raw_id in touchpoints:
        if tp is None:
            if isinstance(raw_id, str) and raw_id.strip():
                raw_id = raw_id.strip()
                if raw_id in ids:
                    problems.append(where.problem("id", f"duplicate id {raw_id!r} (first used on line {ids[raw_id]})"))
                else:
                    ids.setdefault(raw_id, where.locate("id"))
            continue
        if base is not None and tp.id in base_ids:
            problems.append(where.problem("id", f"id {tp.id!r} is already used by the base catalog {base.id!r}"))
            continue
        if tp.id in ids:
            first = ids[tp.id]
            message = f"duplicate id {tp.id!r} (first used on line {first})" if first else f"duplicate id {tp.id!r}"
            problems.append(where.problem("id", message))
            continue
        ids[tp.id] = where.locate("id")
        items.append(tp)
    if len(items) > MAX_TOUCHPOINTS:
        problems.append(Problem(file, None, "touchpoints", f"{len(items)} touchpoints; the limit is {MAX_TOUCHPOINTS}"))
    if not touchpoints and not include and not any(p.field == "touchpoints" for p in problems):
        problems.append(Problem(file, None, "touchpoints", "the catalog has no touchpoints"))
    chain_ids: set[str] = set()
    good_chains: list[Chain] = []
    for chain, where in chains:
        if chain is None:
            continue
        if chain.id in chain_ids:
            problems.append(where.problem("id", f"duplicate chain id {chain.id!r}"))
            continue
        chain_ids.add(chain.id)
        unknown = [link for link in chain.links if link not in ids]
        for link in unknown:
            problems.append(where.problem("links", f"chain {chain.id!r} names touchpoint {link!r}, which does not exist"))
        if not unknown:
            good_chains.append(chain)
    cat_id = header.get("id") or Path(file).stem
    try:
        cat_id = check_id(str(cat_id).replace(" ", "-").lower(), "id")
    except ValidationError as err:
        problems.append(Problem(file, _line_of(header, "id"), "id", str(err)))
        cat_id = "catalog"
    name = header.get("name") or Path(file).stem
    try:
        name_text = Text.of(name, "name", required=True)
        description = Text.of(header.get("description"), "description", limit=20_000)
    except ValidationError as err:
        problems.append(Problem(file, _line_of(header, err.field.split(".")[0]), err.field, str(err)))
        return None
    if problems:
        return None
    return Catalog(cat_id, name_text, tuple(items), tuple(good_chains), description)


def _parse_yaml(text: str, file: str, problems: list[Problem], resolve_base: Callable[[str], Catalog | None]) -> Catalog | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(file, line, "", f"not valid YAML: {getattr(err, 'problem', None) or err}"))
        return None
    if node is None:
        problems.append(Problem(file, None, "", "the file is empty"))
        return None
    try:
        data = _from_node(node, problems, file)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(file, line, "", f"not valid YAML: {getattr(err, 'problem', None) or err}"))
        return None
    if not isinstance(data, Mapping):
        problems.append(Problem(file, _line_of(data), "", "a catalog must be a mapping with id, name and touchpoints"))
        return None
    known = {"id", "name", "description", "touchpoints", "chains", "extends", "include"}
    for key in data:
        if key not in known:
            problems.append(Problem(file, _line_of(data, key), key, f"unknown field {key!r}; known: {', '.join(sorted(known))}"))
    base = None
    include: list[tuple[str, int | None]] | None = None
    if data.get("extends"):
        base = resolve_base(str(data["extends"]))
        if base is None:
            problems.append(Problem(file, _line_of(data, "extends"), "extends", f"base catalog {data['extends']!r} not found or not valid"))
            return None
        raw_include = data.get("include") or []
        if not isinstance(raw_include, list):
            problems.append(Problem(file, _line_of(data, "include"), "include", "include must be a list of ids"))
            raw_include = []
        lines = getattr(raw_include, "lines", [None] * len(raw_include))
        include = [(str(i), line) for i, line in zip(raw_include, lines)]
    raw_tps = data.get("touchpoints") or []
    if not isinstance(raw_tps, list):
        problems.append(Problem(file, _line_of(data, "touchpoints"), "touchpoints", "touchpoints must be a list"))
        raw_tps = []
    touchpoints = []
    for raw in raw_tps:
        where = _Where(file, functools.partial(_yaml_locate, raw))
        touchpoints.append((touchpoint_from_mapping(raw, where, problems), where, raw.get("id") if isinstance(raw, Mapping) else None))
    raw_chains = data.get("chains") or []
    if not isinstance(raw_chains, list):
        problems.append(Problem(file, _line_of(data, "chains"), "chains", "chains must be a list"))
        raw_chains = []
    chains = []
    for raw in raw_chains:
        where = _Where(file, functools.partial(_yaml_locate, raw))
        chains.append((chain_from_mapping(raw, where, problems), where))
    return _assemble(file, data, touchpoints, chains, problems, base, include)


def _yaml_locate(raw: Any, field: str) -> int | None:
    key = field.split(".")[0]
    key = {"stages": "stage", "channels": "channel", "audiences": "audience", "chain": "links"}.get(key, key)
    if key.startswith("standard"):
        key = "standard"
    return _line_of(raw, key)


# ------------------------------------------------------------- tables (CSV/XLSX)


def _row_to_mapping(row: Mapping[str, Any]) -> dict[str, Any]:
    """A CSV/XLSX row (flat columns) to the YAML shape."""

    def cell(name: str) -> Any:
        value = row.get(name)
        if isinstance(value, str):
            value = value.strip()
        return None if value in (None, "") else value

    out: dict[str, Any] = {
        "id": cell("id") if not isinstance(cell("id"), (int, float)) else str(cell("id")),
        "category": cell("category"),
        "stage": cell("stage"),
        "channel": cell("channel"),
        "audience": cell("audience"),
        "attention": cell("attention"),
        "lifetime": cell("lifetime"),
        "added_by_team": cell("added_by_team") or False,
    }
    def texts(field: str) -> dict[str, Any]:
        """``{"en": ..., "ru": ..., "pl": ...}`` from the columns ``field_en``, ``field_ru``, ``field_pl``."""
        found = {lang: cell(column) for lang, column in zip(LANGUAGES, text_columns(field), strict=True)}
        return {lang: v if v is None or isinstance(v, str) else str(v) for lang, v in found.items()}

    for field in TEXT_FIELDS:
        if any(v is not None for v in texts(field).values()):
            out[field] = texts(field)
    metric, unit = texts("standard_metric"), texts("standard_unit")
    if any(v is not None for v in metric.values()) or cell("standard_comparison") is not None or cell("standard_threshold") is not None:
        out["standard"] = {
            "metric": metric,
            "unit": unit,
            "comparison": cell("standard_comparison"),
            "threshold": cell("standard_threshold"),
        }
    return out


def _table_touchpoints(
    rows: Iterable[tuple[int, Mapping[str, Any]]], header: list[str], file: str, problems: list[Problem], header_line: int
) -> list[tuple[Touchpoint | None, _Where, Any]]:
    unknown = [h for h in header if h and h not in COLUMNS]
    for name in unknown:
        problems.append(Problem(file, header_line, name, f"unknown column {name!r}; known columns: {', '.join(COLUMNS)}"))
    for required in ("id", "category"):
        if required not in header:
            problems.append(Problem(file, header_line, required, f"column {required!r} is missing"))
    if not any(column in header for column in text_columns("name")):
        wanted = " or ".join(repr(column) for column in text_columns("name"))
        problems.append(Problem(file, header_line, "name_en", f"column {wanted} is missing"))
    out = []
    for line, row in rows:
        if all(v in (None, "") for v in row.values()):
            continue
        where = _Where(file, lambda _field, line=line: line)
        mapped = _row_to_mapping(row)
        out.append((touchpoint_from_mapping(mapped, where, problems), where, mapped.get("id")))
    return out


def _parse_csv(text: str, file: str, problems: list[Problem]) -> Catalog | None:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(file, None, "", "the file is empty"))
        return None
    except csv.Error as err:
        problems.append(Problem(file, 1, "", f"not a valid CSV file: {err}"))
        return None
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        for values in reader:
            line = reader.line_num
            if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
                problems.append(Problem(file, line, "", f"row has {len(values)} cells but the header has {len(header)}"))
            rows.append((line, dict(zip(header, values))))
    except csv.Error as err:
        problems.append(Problem(file, reader.line_num, "", f"not a valid CSV file: {err}"))
        return None
    touchpoints = _table_touchpoints(rows, header, file, problems, 1)
    return _assemble(file, {"id": Path(file).stem, "name": Path(file).stem}, touchpoints, [], problems)


def _sheet_rows(sheet: Any) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [str(h).strip().lower() if h is not None else "" for h in next(iterator)]
    except StopIteration:
        return [], []
    rows = []
    for number, values in enumerate(iterator, start=2):
        rows.append((number, {h: v for h, v in zip(header, values) if h}))
    return header, rows


def _parse_xlsx(data: bytes, file: str, problems: list[Problem]) -> Catalog | None:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on a broken file
        problems.append(Problem(file, None, "", f"cannot read this workbook ({type(err).__name__}); save it again from Excel as .xlsx"))
        return None
    try:
        names = {n.lower(): n for n in book.sheetnames}
        sheet = book[names.get("touchpoints", book.sheetnames[0])]
        header, rows = _sheet_rows(sheet)
        if not header:
            problems.append(Problem(file, None, "", "the touchpoint sheet is empty"))
            return None
        where_file = f"{file} [{sheet.title}]"
        touchpoints = _table_touchpoints(rows, header, where_file, problems, 1)
        chains: list[tuple[Chain | None, _Where]] = []
        if "chains" in names:
            chain_header, chain_rows = _sheet_rows(book[names["chains"]])
            chain_file = f"{file} [{names['chains']}]"
            for line, row in chain_rows:
                if all(v in (None, "") for v in row.values()):
                    continue
                where = _Where(chain_file, lambda _f, line=line: line)
                name = {lang: row.get(column) or "" for lang, column in zip(LANGUAGES, text_columns("name"), strict=True)}
                raw = {"id": row.get("id"), "name": name, "links": str(row.get("links") or "")}
                chains.append((chain_from_mapping(raw, where, problems), where))
        header_info: dict[str, Any] = {"id": Path(file).stem, "name": Path(file).stem}
        if "catalog" in names:
            info = {}
            for row in book[names["catalog"]].iter_rows(min_row=2, values_only=True):
                if row and row[0]:
                    info[str(row[0]).strip().lower()] = "" if len(row) < 2 or row[1] is None else str(row[1])
            header_info = {
                "id": info.get("id") or Path(file).stem,
                "name": {lang: info.get(column, "") for lang, column in zip(LANGUAGES, text_columns("name"), strict=True)},
                "description": {lang: info.get(column, "") for lang, column in zip(LANGUAGES, text_columns("description"), strict=True)},
            }
        return _assemble(file, header_info, touchpoints, chains, problems)
    finally:
        book.close()


# ------------------------------------------------------------- entry points


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    if b"\x00" in data[:8192]:
        problems.append(Problem(file, None, "", "this is a binary file, not a text catalog"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("cp1251")
            hint = " It looks like Windows-1251 (Cyrillic);"
        except UnicodeDecodeError:
            pass
        problems.append(
            Problem(file, line, "", f"the file is not UTF-8 text (byte 0x{data[err.start]:02x}).{hint} save it as UTF-8 and try again")
        )
        return None


def load_catalog_bytes(
    data: bytes, filename: str, *, base_dir: Path = CATALOG_DIR
) -> tuple[Catalog | None, list[Problem]]:
    """Parse an uploaded or read file. Returns ``(catalog, [])`` or ``(None, problems)``."""
    problems: list[Problem] = []
    file = Path(filename).name or "catalog"
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_BYTES:
        size = len(data) / (1024 * 1024)
        return None, [Problem(file, None, "", f"the file is {size:.1f} MB; a catalog may be at most {MAX_BYTES // (1024 * 1024)} MB")]
    if not data.strip():
        return None, [Problem(file, None, "", "the file is empty")]
    kind = FORMATS.get(suffix)
    if kind is None:
        return None, [Problem(file, None, "", f"unknown file type {suffix or '(none)'!r}; use .yaml, .csv or .xlsx")]
    if kind == "xlsx":
        if not looks_like_xlsx(data):
            return None, [Problem(file, None, "", "this is not an Excel .xlsx workbook")]
        catalog = _parse_xlsx(data, file, problems)
    else:
        text = _decode(data, file, problems)
        if text is None:
            return None, problems
        if kind == "yaml":
            catalog = _parse_yaml(text, file, problems, functools.partial(_resolve_base, base_dir))
        else:
            catalog = _parse_csv(text, file, problems)
    if problems:
        return None, sorted(problems, key=lambda p: (p.file, p.line or 0))
    return catalog, []


def load_catalog(path: str | Path, *, base_dir: Path | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Load a catalog file; presets resolve ``extends`` next to the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(path.name, None, "", f"the file is {size / (1024 * 1024):.1f} MB; a catalog may be at most {MAX_BYTES // (1024 * 1024)} MB")]
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(path.name, None, "", f"cannot read the file: {err.strerror or err}")]
    return load_catalog_bytes(data, path.name, base_dir=base_dir or path.parent)


def _resolve_base(base_dir: Path, catalog_id: str) -> Catalog | None:
    for suffix in (".yaml", ".yml"):
        candidate = base_dir / f"{catalog_id}{suffix}"
        if candidate.exists():
            data = candidate.read_bytes()
            catalog, problems = load_catalog_bytes(data, candidate.name, base_dir=base_dir)
            return catalog
    if base_dir != CATALOG_DIR:
        return _resolve_base(CATALOG_DIR, catalog_id)
    return None


def bundled_ids() -> list[str]:
    """Ids of the catalogs shipped in ``catalogs/``, the general one first."""
    ids = sorted(p.stem for p in CATALOG_DIR.glob("*.yaml"))
    return sorted(ids, key=lambda i: (i != "general", i))


@functools.lru_cache(maxsize=16)
def bundled(catalog_id: str) -> Catalog:
    """A bundled catalog by id (immutable, so caching it is safe)."""
    if catalog_id not in bundled_ids():
        raise KeyError(f"no bundled catalog {catalog_id!r}; choose one of: {', '.join(bundled_ids())}")
    catalog, problems = load_catalog(CATALOG_DIR / f"{catalog_id}.yaml")
    if catalog is None:
        raise CatalogError(problems)
    return catalog


# ------------------------------------------------------------- writing


def _in_languages(text: Text) -> list[str]:
    """One cell per language, in the order of :data:`LANGUAGES` (``""`` where a language has no text)."""
    return [text.exact(lang) for lang in LANGUAGES]


def touchpoint_row(tp: Touchpoint) -> list[Any]:
    std = tp.standard
    return [
        tp.id,
        tp.category.value,
        *_in_languages(tp.group),
        *_in_languages(tp.name),
        *_in_languages(tp.question),
        ";".join(s.value for s in tp.stages),
        ";".join(c.value for c in tp.channels),
        ";".join(a.value for a in tp.audiences),
        tp.attention.value if tp.attention else "",
        tp.lifetime.value if tp.lifetime else "",
        *_in_languages(std.metric if std else Text()),
        *_in_languages(std.unit if std else Text()),
        std.comparison.value if std else "",
        std.threshold if std else "",
        "yes" if tp.added_by_team else "",
    ]


def write_csv(catalog: Catalog) -> bytes:
    """Touchpoints as UTF-8 CSV (with a BOM so Excel reads Cyrillic right)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for tp in catalog.touchpoints:
        row = touchpoint_row(tp)
        writer.writerow(["" if v is None else (f"{v:g}" if isinstance(v, float) else v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(catalog: Catalog) -> bytes:
    """The whole catalog (info, touchpoints, chains) as an editable workbook."""
    book = Workbook()
    sheet = book.active
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
        append_row(chains, [chain.id, *_in_languages(chain.name), " > ".join(chain.links)])
    fit_columns(chains, limit=80)
    info = book.create_sheet("Catalog")
    append_row(info, ["field", "value"])
    for key, value in (
        ("id", catalog.id),
        *zip(text_columns("name"), _in_languages(catalog.name), strict=True),
        *zip(text_columns("description"), _in_languages(catalog.description), strict=True),
    ):
        append_row(info, [key, value or None])
    fit_columns(info, limit=80)
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------- frozen copies (JSON)


def _text_dict(text: Text) -> dict[str, str]:
    return text.as_dict()


def touchpoint_to_dict(tp: Touchpoint) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": tp.id,
        "category": tp.category.value,
        "group": _text_dict(tp.group),
        "name": _text_dict(tp.name),
        "question": _text_dict(tp.question),
        "stage": [s.value for s in tp.stages],
        "channel": [c.value for c in tp.channels],
        "audience": [a.value for a in tp.audiences],
        "attention": tp.attention.value if tp.attention else None,
        "lifetime": tp.lifetime.value if tp.lifetime else None,
        "added_by_team": tp.added_by_team,
    }
    if tp.standard:
        out["standard"] = standard_to_dict(tp.standard)
    return out


def standard_to_dict(std: Standard) -> dict[str, Any]:
    return {
        "metric": _text_dict(std.metric),
        "unit": _text_dict(std.unit),
        "comparison": std.comparison.value,
        "threshold": std.threshold,
    }


def standard_from_dict(raw: Mapping[str, Any]) -> Standard:
    return Standard(raw["metric"], raw.get("unit") or "", raw["comparison"], raw["threshold"])


def touchpoint_from_dict(raw: Mapping[str, Any]) -> Touchpoint:
    return Touchpoint(
        id=raw["id"],
        category=raw["category"],
        group=raw.get("group") or "",
        name=raw["name"],
        question=raw.get("question") or "",
        stages=raw.get("stage") or (),
        channels=raw.get("channel") or (),
        audiences=raw.get("audience") or (),
        attention=raw.get("attention"),
        lifetime=raw.get("lifetime"),
        standard=standard_from_dict(raw["standard"]) if raw.get("standard") else None,
        added_by_team=bool(raw.get("added_by_team")),
    )


def chain_to_dict(chain: Chain) -> dict[str, Any]:
    return {"id": chain.id, "name": _text_dict(chain.name), "links": list(chain.links)}


def chain_from_dict(raw: Mapping[str, Any]) -> Chain:
    return Chain(raw["id"], raw["name"], tuple(raw["links"]))


def catalog_to_json(catalog: Catalog) -> str:
    return json.dumps(
        {
            "id": catalog.id,
            "name": _text_dict(catalog.name),
            "description": _text_dict(catalog.description),
            "touchpoints": [touchpoint_to_dict(tp) for tp in catalog.touchpoints],
            "chains": [chain_to_dict(c) for c in catalog.chains],
        },
        ensure_ascii=False,
    )


def categories_present(catalog: Catalog) -> list[Category]:
    return [c for c in Category if any(tp.category == c for tp in catalog.touchpoints)]
