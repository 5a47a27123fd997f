"""The fields of a touchpoint, in one table.

:data:`FIELDS` lists every field once, in column order. Everything else is
derived from it: the CSV/XLSX columns (:data:`COLUMNS`), the keys a catalog
may use (:data:`KEYS`), a spreadsheet row read into the YAML shape
(:func:`mapping_from_row`), a touchpoint written as a row
(:func:`touchpoint_row`), the JSON codec of frozen copies
(:func:`touchpoint_to_dict`, :func:`touchpoint_from_dict`), and parsing one
touchpoint with every problem of every field (:func:`parse_touchpoint`).

Columns of texts come from :func:`audit.languages.text_columns` (one per
language); a text is written per language with ``Text.exact`` (no fallback)
and stored as ``Text.as_dict()`` (the languages present).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from audit.languages import LANGUAGES, text_columns
from audit.model import (
    Attention,
    Audience,
    Catalog,
    Category,
    Chain,
    Channel,
    Comparison,
    Lifetime,
    Stage,
    Standard,
    StandardKind,
    Text,
    Touchpoint,
    ValidationError,
    check_id,
    parse_bool,
    parse_enum,
    parse_enums,
)
from audit.refusal import Message

Cell = Callable[[str], Any]  # a column name -> the stripped cell value, or None when empty


def text_in(text: Text, language: str) -> str:
    """The text in exactly this language ("" when it has none; no fallback)."""
    return text.exact(language)


def text_dict(text: Text) -> dict[str, str]:
    """The stored JSON shape: the languages present."""
    return text.as_dict()


def _as_text_cell(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else str(value)


def _texts_from_cells(cell: Cell, field: str) -> dict[str, Any]:
    """``{"en": ..., "ru": ..., "pl": ...}`` from the columns ``field_en``, ``field_ru``, ``field_pl``."""
    return {lang: _as_text_cell(cell(column)) for lang, column in zip(LANGUAGES, text_columns(field), strict=True)}


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (dict, list, tuple)) and not value)


@dataclass(frozen=True)
class Field:
    """One field: its key in YAML/JSON, the Touchpoint attribute, and how it reads and writes."""

    key: str
    attr: str
    required: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.key,)

    def parse(self, value: Any) -> Any:
        raise NotImplementedError

    def problem_field(self, err: ValidationError) -> str:
        return self.key

    def from_cells(self, cell: Cell) -> Any:
        return cell(self.key)

    def cells(self, value: Any) -> list[Any]:
        return [value]

    def to_json(self, value: Any) -> Any:
        return value

    def from_json(self, value: Any) -> Any:
        return value


@dataclass(frozen=True)
class IdField(Field):
    def parse(self, value: Any) -> Any:
        return check_id(value, self.key)

    def from_cells(self, cell: Cell) -> Any:
        value = cell(self.key)
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


@dataclass(frozen=True)
class EnumField(Field):
    enum: type[StrEnum] = Category

    def parse(self, value: Any) -> Any:
        return parse_enum(self.enum, value, self.key)

    def cells(self, value: Any) -> list[Any]:
        return [value.value if value is not None else ""]

    def to_json(self, value: Any) -> Any:
        return value.value if value is not None else None


@dataclass(frozen=True)
class EnumsField(EnumField):
    def parse(self, value: Any) -> Any:
        if not isinstance(value, (str, list, tuple)):
            raise ValidationError(self.key, value, "word_list")
        return parse_enums(self.enum, value, self.key)

    def cells(self, value: Any) -> list[Any]:
        return [";".join(v.value for v in value)]

    def to_json(self, value: Any) -> Any:
        return [v.value for v in value]

    def from_json(self, value: Any) -> Any:
        return value or ()


@dataclass(frozen=True)
class TextField(Field):
    def parse(self, value: Any) -> Any:
        return Text.of(value, self.key, required=self.required)

    @property
    def columns(self) -> tuple[str, ...]:
        return text_columns(self.key)

    def from_cells(self, cell: Cell) -> Any:
        values = _texts_from_cells(cell, self.key)
        return values if any(v is not None for v in values.values()) else None

    def cells(self, value: Any) -> list[Any]:
        return [text_in(value, lang) for lang in LANGUAGES]

    def to_json(self, value: Any) -> Any:
        return text_dict(value)

    def from_json(self, value: Any) -> Any:
        return value or ""


@dataclass(frozen=True)
class FlagField(Field):
    def parse(self, value: Any) -> Any:
        return parse_bool(value, self.key)

    def cells(self, value: Any) -> list[Any]:
        return ["yes" if value else ""]

    def from_json(self, value: Any) -> Any:
        return parse_bool(value, self.key)


_STANDARD_PARTS = ("metric", "unit", "comparison", "threshold")
_STANDARD_NEEDED = ("metric", "comparison", "threshold")


@dataclass(frozen=True)
class StandardField(Field):
    """``standard: {metric, unit, comparison, threshold}``; columns ``standard_metric_en`` ..."""

    def parse(self, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValidationError(self.key, value, "standard_mapping")
        needed = _STANDARD_NEEDED if (value.get("kind") or StandardKind.NUMBER.value) == StandardKind.NUMBER.value else ("metric",)
        missing = [k for k in needed if _empty(value.get(k))]
        if missing:
            raise ValidationError(self.key, dict(value), "standard_needs", missing=", ".join(missing))
        return standard_from_dict(value)

    def problem_field(self, err: ValidationError) -> str:
        return err.field

    @property
    def columns(self) -> tuple[str, ...]:
        return (*text_columns("standard_metric"), *text_columns("standard_unit"), "standard_comparison", "standard_threshold",
                "standard_kind", *text_columns("standard_items"))

    def from_cells(self, cell: Cell) -> Any:
        metric = _texts_from_cells(cell, "standard_metric")
        if all(v is None for v in metric.values()) and cell("standard_comparison") is None and cell("standard_threshold") is None:
            return None
        # A checklist's items: one per line in each language's cell, the n-th lines being one item.
        lines = {lang: str(text).splitlines() for lang, text in _texts_from_cells(cell, "standard_items").items() if text}
        items = [{lang: rows[i] for lang, rows in lines.items() if i < len(rows) and rows[i].strip()}
                 for i in range(max((len(rows) for rows in lines.values()), default=0))]
        return {
            "metric": metric,
            "unit": _texts_from_cells(cell, "standard_unit"),
            "comparison": cell("standard_comparison"),
            "threshold": cell("standard_threshold"),
            "kind": cell("standard_kind"),
            "items": items,
        }

    def cells(self, value: Any) -> list[Any]:
        if value is None:
            return [""] * len(self.columns)
        texts = [text_in(getattr(value, part), lang) for part in ("metric", "unit") for lang in LANGUAGES]
        items = ["\n".join(text_in(i, lang) for i in value.items) for lang in LANGUAGES]
        kind = "" if value.kind is StandardKind.NUMBER else value.kind.value
        return [*texts, value.comparison.value, value.threshold, kind, *items]

    def to_json(self, value: Any) -> Any:
        return standard_to_dict(value) if value is not None else None

    def from_json(self, value: Any) -> Any:
        return standard_from_dict(value) if value else None


FIELDS: tuple[Field, ...] = (
    IdField("id", "id", required=True),
    EnumField("category", "category", required=True, enum=Category),
    TextField("group", "group"),
    TextField("name", "name", required=True),
    TextField("question", "question"),
    EnumsField("stage", "stages", enum=Stage),
    EnumsField("channel", "channels", enum=Channel),
    EnumsField("audience", "audiences", enum=Audience),
    EnumField("attention", "attention", enum=Attention),
    EnumField("lifetime", "lifetime", enum=Lifetime),
    StandardField("standard", "standard"),
    FlagField("added_by_team", "added_by_team"),
)
KEYS = frozenset(f.key for f in FIELDS)
COLUMNS: tuple[str, ...] = tuple(column for f in FIELDS for column in f.columns)
COLUMN_FIELD = {column: f.key for f in FIELDS for column in f.columns}
CHAIN_COLUMNS = ("id", *text_columns("name"), "links")
_KNOWN = ", ".join(sorted(KEYS))


# ---------------------------------------------------------------- parsing at the edge


def parse_touchpoint(raw: Any) -> tuple[Touchpoint | None, list[tuple[str, Message]]]:
    """One touchpoint from the YAML shape, or every ``(field, message)`` wrong with it."""
    if not isinstance(raw, Mapping):
        return None, [("touchpoints", Message("catalog_problem.touchpoint_not_mapping"))]
    problems = [(str(key), Message("catalog_problem.unknown_field", {"field": str(key), "known": _KNOWN})) for key in raw if key not in KEYS]
    values: dict[str, Any] = {}
    for f in FIELDS:
        value = raw.get(f.key)
        if _empty(value):
            if f.required:
                problems.append((f.key, Message("catalog_problem.field_missing", {"field": f.key})))
            continue
        try:
            values[f.attr] = f.parse(value)
        except ValidationError as err:
            problems.append((f.problem_field(err), Message.of(err)))
    if problems:
        return None, problems
    try:
        return Touchpoint(**values), []
    except ValidationError as err:  # a rule across fields
        return None, [(err.field.split(".")[0], Message.of(err))]


def mapping_from_row(cell: Cell) -> dict[str, Any]:
    """A CSV/XLSX row (flat columns) in the YAML shape; empty cells are left out."""
    out: dict[str, Any] = {}
    for f in FIELDS:
        value = f.from_cells(cell)
        if value is not None:
            out[f.key] = value
    return out


# ---------------------------------------------------------------- writing


def touchpoint_row(tp: Touchpoint) -> list[Any]:
    """The cells of one touchpoint, in :data:`COLUMNS` order."""
    return [cell for f in FIELDS for cell in f.cells(getattr(tp, f.attr))]


def standard_to_dict(std: Standard) -> dict[str, Any]:
    out: dict[str, Any] = {"metric": text_dict(std.metric), "unit": text_dict(std.unit), "comparison": std.comparison.value,
                           "threshold": std.threshold}
    if std.kind is not StandardKind.NUMBER:  # a numeric standard keeps the shape it always had
        out["kind"] = std.kind.value
    if std.items:
        out["items"] = [text_dict(i) for i in std.items]
    return out


def standard_from_dict(raw: Mapping[str, Any]) -> Standard:
    """A standard from its stored or written shape; a yes/no standard needs no comparison or threshold."""
    kind: Any = raw.get("kind") or StandardKind.NUMBER.value
    items = raw.get("items") or ()
    if not isinstance(items, (list, tuple)):
        raise ValidationError("standard.items", items, "list_of_texts")
    comparison: Any = raw.get("comparison") or (Comparison.AT_LEAST.value if kind != StandardKind.NUMBER.value else None)
    threshold: Any = raw.get("threshold") if raw.get("threshold") is not None else (1 if kind != StandardKind.NUMBER.value else None)
    return Standard(raw["metric"], Text.of(raw.get("unit"), "standard.unit", limit=60), comparison, threshold, kind, tuple(items))


def touchpoint_to_dict(tp: Touchpoint) -> dict[str, Any]:
    out = {f.key: f.to_json(getattr(tp, f.attr)) for f in FIELDS}
    standard = out.pop("standard")  # last, and only when there is one (the stored shape since version 1)
    if standard is not None:
        out["standard"] = standard
    return out


def touchpoint_from_dict(raw: Mapping[str, Any]) -> Touchpoint:
    return Touchpoint(**{f.attr: f.from_json(raw.get(f.key)) for f in FIELDS if f.key in raw})


def chain_to_dict(chain: Chain) -> dict[str, Any]:
    return {"id": chain.id, "name": text_dict(chain.name), "links": list(chain.links)}


def chain_from_dict(raw: Mapping[str, Any]) -> Chain:
    return Chain(raw["id"], raw["name"], tuple(raw["links"]))


def catalog_to_json(catalog: Catalog) -> str:
    return json.dumps(
        {
            "id": catalog.id,
            "name": text_dict(catalog.name),
            "description": text_dict(catalog.description),
            "touchpoints": [touchpoint_to_dict(tp) for tp in catalog.touchpoints],
            "chains": [chain_to_dict(c) for c in catalog.chains],
        },
        ensure_ascii=False,
    )
