"""Records of a touchpoint audit: immutable, typed, validated on construction.

Every record is a frozen dataclass. Changes are made with
``dataclasses.replace`` (which re-runs validation). A value that breaks a rule
raises :class:`ValidationError`, whose message names the field and the value,
so the UI and the CLI can show it to a person as it is.

The checks of single values live in :mod:`audit.validation`, the closed lists
of choices (enums) in :mod:`audit.vocabulary`, and the outside evidence's
records (visits, competitor notes, economics, funnel) in
:mod:`audit.evidence_records`; all of them are importable from here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, TypeVar

from audit.evidence_records import ChannelEconomics, CompetitorNote, FunnelStep, ShopperVisit
from audit.evidence_records import Observation as Observation
from audit.languages import DEFAULT as DEFAULT_LANGUAGE
from audit.languages import LANGUAGES as LANGUAGES  # re-exported: the one list lives there
from audit.numbers import localized

# Every name imported here from audit.validation, audit.vocabulary and audit.evidence_records is also
# importable from here: ``from audit.model import X`` keeps working for all of them.
from audit.validation import (
    MAX_NAME,
    MAX_TEXT,
    ValidationError,
    as_utc,
    check_id,
    clean_text,
    clean_texts,
    parse_bool,
    parse_enum,
    parse_enums,
    parse_int,
    parse_number,
    parse_time_zone,
    utcnow,
)
from audit.vocabulary import (
    MAX_CHECKLIST,
    ActionKind,
    ActionStatus,
    Attention,
    Audience,
    Category,
    Channel,
    Comparison,
    Horizon,
    Lifetime,
    Presence,
    Reaction,
    Role,
    Stage,
    StandardKind,
)
from audit.vocabulary import Versus as Versus
from audit.vocabulary import VisitChannel as VisitChannel
from audit.vocabulary import VisitStatus as VisitStatus

# ---------------------------------------------------------------- catalog records


@dataclass(frozen=True, slots=True)
class Text:
    """A text in several languages: a read-only mapping from language code to text.

    Only languages of :data:`LANGUAGES` with a non-empty text are kept, in that
    order, so two texts with the same words are equal and hash alike.
    ``text["pl"]`` is the Polish text itself (``KeyError`` without one);
    :meth:`get` falls back to English, then to any language present.
    Build one with :meth:`of`, which checks every language's text.
    """

    texts: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        codes = [pair[0] for pair in self.texts if isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], str)]
        if not isinstance(self.texts, tuple) or len(codes) != len(self.texts) or codes != [c for c in LANGUAGES if c in codes]:
            raise TypeError("Text holds (language, text) pairs in the order of LANGUAGES; build one with Text.of({'en': ...}, field)")

    def __getitem__(self, language: str) -> str:
        for code, text in self.texts:
            if code == language:
                return text
        raise KeyError(language)

    def __iter__(self) -> Iterator[str]:
        return (code for code, _ in self.texts)

    def __len__(self) -> int:
        return len(self.texts)

    def __contains__(self, language: object) -> bool:
        return any(code == language for code, _ in self.texts)

    def __bool__(self) -> bool:
        return bool(self.texts)

    def keys(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.texts)

    def values(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.texts)

    def items(self) -> tuple[tuple[str, str], ...]:
        return self.texts

    def exact(self, language: str) -> str:
        """The text in ``language`` only (no fallback); ``""`` without one."""
        return next((text for code, text in self.texts if code == language), "")

    def get(self, language: str) -> str:
        """The text in ``language``, else in English, else in any language present; ``""`` if none."""
        return self.exact(language) or self.exact(DEFAULT_LANGUAGE) or next((text for _, text in self.texts), "")

    def each(self, languages: Iterable[str]) -> list[str]:
        """``[self.get(language) for language in languages]``, reading the pairs once (tables of many texts)."""
        found = dict(self.texts)
        fallback = found.get(DEFAULT_LANGUAGE) or (self.texts[0][1] if self.texts else "")
        return [found.get(language) or fallback for language in languages]

    def as_dict(self) -> dict[str, str]:
        """``{"en": ..., "pl": ...}`` with the languages present (the stored JSON shape)."""
        return dict(self.texts)

    @classmethod
    def of(cls, value: Any, field_name: str, *, required: bool = False, limit: int = MAX_NAME) -> Text:
        """A text from a mapping ``{language: text}``, a plain string (English) or another Text."""
        if isinstance(value, Text):
            raw: Mapping[str, Any] = value.as_dict()
        elif isinstance(value, Mapping):
            unknown = sorted(str(code) for code in value if code not in LANGUAGES)
            if unknown:
                raise ValidationError(field_name, unknown[0], "language_code", languages=", ".join(LANGUAGES))
            raw = value
        elif isinstance(value, str) or value is None:
            raw = {DEFAULT_LANGUAGE: value}
        else:
            raise ValidationError(field_name, value, "text")
        cleaned = ((code, clean_text(raw.get(code), f"{field_name}.{code}", limit=limit)) for code in LANGUAGES)
        text = cls(tuple((code, words) for code, words in cleaned if words))
        if required and not text:
            raise ValidationError(field_name, value, "empty")
        return text


@dataclass(frozen=True, slots=True)
class Standard:
    """A measurable norm for a touchpoint, e.g. ``rings <= 3``."""

    metric: Text
    unit: Text
    comparison: Comparison
    threshold: float
    kind: StandardKind = StandardKind.NUMBER
    items: tuple[Text, ...] = ()  # a checklist's items

    def __post_init__(self) -> None:
        object.__setattr__(self, "metric", Text.of(self.metric, "standard.metric", required=True))
        object.__setattr__(self, "unit", Text.of(self.unit, "standard.unit", limit=60))
        object.__setattr__(self, "kind", parse_enum(StandardKind, self.kind, "standard.kind"))
        object.__setattr__(self, "comparison", parse_enum(Comparison, self.comparison, "standard.comparison"))
        object.__setattr__(self, "threshold", parse_number(self.threshold, "standard.threshold"))
        items = tuple(Text.of(i, "standard.items", required=True) for i in self.items)
        object.__setattr__(self, "items", items)
        if self.kind is StandardKind.YES_NO:  # yes is 1: met when the answer equals 1
            object.__setattr__(self, "comparison", Comparison.EQUAL)
            object.__setattr__(self, "threshold", 1.0)
        elif self.kind is StandardKind.CHECKLIST:
            if not 1 <= len(items) <= MAX_CHECKLIST:
                raise ValidationError("standard.items", len(items), "checklist_items", limit=MAX_CHECKLIST)
            if not 0 < self.threshold <= 1:
                raise ValidationError("standard.threshold", self.threshold, "checklist_share")
            object.__setattr__(self, "comparison", Comparison.AT_LEAST)
        elif items:
            raise ValidationError("standard.items", len(items), "items_only_checklist")

    def is_met(self, measurement: float) -> bool:
        value = float(measurement)
        return {
            Comparison.AT_MOST: value <= self.threshold,
            Comparison.LESS: value < self.threshold,
            Comparison.AT_LEAST: value >= self.threshold,
            Comparison.MORE: value > self.threshold,
            Comparison.EQUAL: math.isclose(value, self.threshold),
        }[self.comparison]

    def describe(self, language: str = "en") -> str:
        """``rings before answer <= 3 rings``, in the given language (a yes/no standard: its statement; a checklist: its items)."""
        if self.kind is StandardKind.YES_NO:
            return self.metric.get(language)
        if self.kind is StandardKind.CHECKLIST:
            items = "; ".join(i.get(language) for i in self.items)
            return f"{self.metric.get(language)}: {items} (>= {self.threshold:.0%})"
        threshold = localized(self.threshold, language)  # "4.5" / "4,5"
        return f"{self.metric.get(language)} {self.comparison.value} {threshold} {self.unit.get(language)}".strip()


@dataclass(frozen=True, slots=True)
class Touchpoint:
    id: str
    category: Category
    name: Text
    question: Text = Text()
    group: Text = Text()
    stages: tuple[Stage, ...] = ()
    channels: tuple[Channel, ...] = ()
    audiences: tuple[Audience, ...] = ()
    attention: Attention | None = None
    lifetime: Lifetime | None = None
    standard: Standard | None = None
    added_by_team: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "id", check_id(self.id, "id"))
        set_(self, "category", parse_enum(Category, self.category, "category"))
        set_(self, "name", Text.of(self.name, "name", required=True))
        set_(self, "question", Text.of(self.question, "question"))
        set_(self, "group", Text.of(self.group, "group"))
        set_(self, "stages", parse_enums(Stage, self.stages, "stage"))
        set_(self, "channels", parse_enums(Channel, self.channels, "channel"))
        set_(self, "audiences", parse_enums(Audience, self.audiences, "audience"))
        if self.attention not in (None, ""):
            set_(self, "attention", parse_enum(Attention, self.attention, "attention"))
        else:
            set_(self, "attention", None)
        if self.lifetime not in (None, ""):
            set_(self, "lifetime", parse_enum(Lifetime, self.lifetime, "lifetime"))
        else:
            set_(self, "lifetime", None)
        if self.standard is not None and not isinstance(self.standard, Standard):
            raise ValidationError("standard", self.standard, "standard")


@dataclass(frozen=True, slots=True)
class Chain:
    """A customer journey: touchpoint ids in the order the customer meets them."""

    id: str
    name: Text
    links: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", check_id(self.id, "chain.id"))
        object.__setattr__(self, "name", Text.of(self.name, "chain.name", required=True))
        links = tuple(check_id(link, "chain.links") for link in self.links)
        if len(links) < 2:
            raise ValidationError("chain.links", list(links), "chain_short")
        object.__setattr__(self, "links", links)


@dataclass(frozen=True, slots=True)
class Catalog:
    id: str
    name: Text
    touchpoints: tuple[Touchpoint, ...]
    chains: tuple[Chain, ...] = ()
    description: Text = Text()

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", check_id(self.id, "catalog.id"))
        object.__setattr__(self, "name", Text.of(self.name, "catalog.name", required=True))
        object.__setattr__(self, "description", Text.of(self.description, "catalog.description", limit=MAX_TEXT))
        seen: set[str] = set()
        for tp in self.touchpoints:
            if tp.id in seen:
                raise ValidationError("id", tp.id, "duplicate_id")
            seen.add(tp.id)
        for chain in self.chains:
            for link in chain.links:
                if link not in seen:
                    raise ValidationError("chain.links", link, "chain_unknown_link", chain=chain.id)

    def by_id(self) -> dict[str, Touchpoint]:
        return {tp.id: tp for tp in self.touchpoints}

    def count_by_category(self) -> dict[Category, int]:
        counts = dict.fromkeys(Category, 0)
        for tp in self.touchpoints:
            counts[tp.category] += 1
        return counts

    def with_touchpoint(self, touchpoint: Touchpoint) -> Catalog:
        return dataclasses.replace(self, touchpoints=(*self.touchpoints, touchpoint))


# ---------------------------------------------------------------- audit records


# The departments a person may pick when joining, unless the owner sets the audit's own list.
# These words are keys (shown translated: audit.i18n ``department.<key>``); any other entry is the owner's own name.
DEFAULT_DEPARTMENTS = ("sales", "service", "marketing", "management", "operations", "finance", "other")
MAX_DEPARTMENTS = 30
MAX_DEPARTMENT = 80  # characters of a department's name


def parse_departments(values: Any) -> tuple[str, ...]:
    """An audit's list of departments: 1 to 30 names, each up to 80 characters, no two the same (ignoring case)."""
    if isinstance(values, str):
        values = list(values.replace(";", "\n").replace(",", "\n").split("\n"))
    if not isinstance(values, (list, tuple)):
        raise ValidationError("departments", values, "list_of_names")
    names = tuple(n for n in (clean_text(v, "departments", limit=MAX_DEPARTMENT) for v in values) if n)
    if not names:
        raise ValidationError("departments", list(values), "one_department")
    if len(names) > MAX_DEPARTMENTS:
        raise ValidationError("departments", f"{len(names)} names", "departments_limit", limit=MAX_DEPARTMENTS)
    if len({n.casefold() for n in names}) != len(names):
        raise ValidationError("departments", list(names), "names_differ")
    return names


@dataclass(frozen=True, slots=True)
class Audit:
    id: str
    name: str
    language: str = "en"
    catalog_id: str = "general"
    locations: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    created_at: dt.datetime = field(default_factory=utcnow)
    wave: int = 1
    results_shared: bool = False
    time_zone: str = ""  # IANA name for deadlines sent out (""; the server's zone, see audit.handoff.deadline)
    departments: tuple[str, ...] = DEFAULT_DEPARTMENTS  # what a person may pick as their job when joining

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_text(self.name, "name", required=True, limit=MAX_NAME))
        object.__setattr__(self, "departments", parse_departments(self.departments))
        object.__setattr__(self, "time_zone", parse_time_zone(self.time_zone))
        if self.language not in LANGUAGES:
            raise ValidationError("language", self.language, "one_of", choices=", ".join(LANGUAGES))
        names = tuple(clean_text(c, "competitors", required=True, limit=MAX_NAME) for c in self.competitors)
        if len({n.casefold() for n in names}) != len(names):
            raise ValidationError("competitors", list(names), "names_differ")
        object.__setattr__(self, "competitors", names)
        object.__setattr__(
            self, "locations", tuple(clean_text(x, "locations", required=True, limit=MAX_NAME) for x in self.locations)
        )
        object.__setattr__(self, "created_at", as_utc(self.created_at, "created_at"))
        object.__setattr__(self, "wave", parse_int(self.wave, "wave", 1, 1000))


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    audit_id: str
    name: str
    role: Role
    first_seen: dt.datetime | None = None  # when the person first opened the audit (None: invited, not there yet)
    department: str = ""  # the job or department the person picked when joining ("": not said)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_text(self.name, "name", required=True, limit=120))
        object.__setattr__(self, "department", clean_text(self.department, "department", limit=MAX_DEPARTMENT))
        object.__setattr__(self, "role", parse_enum(Role, self.role, "role"))
        if self.first_seen is not None:
            object.__setattr__(self, "first_seen", as_utc(self.first_seen, "first_seen"))


@dataclass(frozen=True, slots=True)
class Answer:
    """One part of one person's rating, as the browser's rating card gave it (see :mod:`audit.answers`)."""

    touchpoint_id: str
    field: str
    value: Any
    device: str
    seq: int
    at: int  # the browser's clock, ms since 1970

    @property
    def stamp(self) -> tuple[int, str, int]:
        return (self.at, self.device, self.seq)


@dataclass(frozen=True, slots=True)
class Room:
    """What the facilitator shares with everyone in the workshop room."""

    audit_id: str
    follow: str | None = None  # the touchpoint every card follows (None: nobody leads)
    follow_number: int = 0  # grows with every move, so a card sees a move back to the same touchpoint
    countdown_end: dt.datetime | None = None
    anonymous: bool = False  # the projector shows comments without names

    def __post_init__(self) -> None:
        if self.countdown_end is not None:
            object.__setattr__(self, "countdown_end", as_utc(self.countdown_end, "countdown_end"))


@dataclass(frozen=True, slots=True)
class Rating:
    """One person's view of one touchpoint. Every part is optional until given."""

    audit_id: str
    participant_id: str
    touchpoint_id: str
    importance: int | None = None
    reaction: Reaction | None = None
    presence: Presence | None = None
    comment: str = ""
    idea: str = ""
    not_applicable: bool = False
    wave: int = 1
    updated_at: dt.datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.importance is not None:
            object.__setattr__(self, "importance", parse_int(self.importance, "importance", 1, 10))
        if self.reaction is not None:
            object.__setattr__(self, "reaction", parse_enum(Reaction, self.reaction, "reaction"))
        if self.presence is not None:
            object.__setattr__(self, "presence", parse_enum(Presence, self.presence, "presence"))
        object.__setattr__(self, "comment", clean_text(self.comment, "comment"))
        object.__setattr__(self, "idea", clean_text(self.idea, "idea"))
        object.__setattr__(self, "not_applicable", parse_bool(self.not_applicable, "not_applicable"))
        object.__setattr__(self, "wave", parse_int(self.wave, "wave", 1, 1000))
        object.__setattr__(self, "updated_at", as_utc(self.updated_at, "updated_at"))

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or (self.importance is not None and self.reaction is not None)


@dataclass(frozen=True, slots=True)
class Action:
    """One line of the improvement plan: what, who, by when, to what standard."""

    id: int | None
    audit_id: str
    touchpoint_id: str
    kind: ActionKind
    what: str
    owner: str
    horizon: Horizon
    due: dt.date | None = None
    standard: str = ""
    status: ActionStatus = ActionStatus.TODO
    priority: float = 0.0
    evidence: str = ""
    notes: str = ""
    position: int = 0
    suggested: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", parse_enum(ActionKind, self.kind, "kind"))
        object.__setattr__(self, "what", clean_text(self.what, "what", required=True))
        object.__setattr__(self, "owner", clean_text(self.owner, "owner", limit=MAX_NAME))
        object.__setattr__(self, "horizon", parse_enum(Horizon, self.horizon, "horizon"))
        object.__setattr__(self, "status", parse_enum(ActionStatus, self.status, "status"))
        object.__setattr__(self, "standard", clean_text(self.standard, "standard"))
        object.__setattr__(self, "evidence", clean_text(self.evidence, "evidence", limit=20_000))
        object.__setattr__(self, "notes", clean_text(self.notes, "notes"))
        priority = parse_number(self.priority, "priority")
        if not 0 <= priority <= 100:
            raise ValidationError("priority", priority, "range", low=0, high=100)
        object.__setattr__(self, "priority", priority)
        if self.due is not None and not isinstance(self.due, dt.date):
            raise ValidationError("due", self.due, "date")

    @classmethod
    def many(cls, columns: Mapping[str, Sequence[Any]]) -> list[Action]:
        """``[Action(**row) for row in rows of columns]``, every field checked column by column.

        The plan writes hundreds of actions at once; checking each text in one
        pass over the column (:func:`audit.validation.clean_texts`) and each
        enum and number with one test per column gives the same actions as
        building them one by one; a bad value raises the same kind of error
        for the same field (the first bad column, not necessarily the first bad row).
        """
        size = len(columns["touchpoint_id"])
        given = {name: list(columns[name]) if name in columns else [_ACTION_DEFAULTS[name]] * size for name in _ACTION_FIELDS}
        for name, enum in (("kind", ActionKind), ("horizon", Horizon), ("status", ActionStatus)):
            if not all(type(v) is enum for v in given[name]):
                given[name] = [parse_enum(enum, v, name) for v in given[name]]
        for name, required, limit in _ACTION_TEXTS:
            given[name] = clean_texts(given[name], name, required=required, limit=limit)
        if not all(type(p) is float and 0 <= p <= 100 for p in given["priority"]) or not all(
                d is None or isinstance(d, dt.date) for d in given["due"]):
            return [cls(**dict(zip(_ACTION_FIELDS, row, strict=True))) for row in zip(*given.values(), strict=True)]
        return [checked_record(cls, zip(_ACTION_FIELDS, row, strict=True)) for row in zip(*given.values(), strict=True)]

    @classmethod
    def written(cls, columns: Mapping[str, Sequence[Any]]) -> list[Action]:
        """Like :meth:`many`, for columns the plan wrote itself from parts that were checked on their way in
        (catalog words, stored comments, the product's templates): every field is given, of its type, its texts
        clean and stripped. Only the length of each text is checked here (anything longer than :meth:`many`
        allows goes through :meth:`many`, which refuses it); :meth:`many` and the constructor check everything."""
        size = len(columns["touchpoint_id"])
        if any(max(map(len, columns[name]), default=0) > limit for name, _, limit in _ACTION_TEXTS) or any(
                len(columns[name]) != size for name in _ACTION_FIELDS):
            return cls.many(columns)
        actions = list(map(object.__new__, repeat(cls, size)))
        for name in _ACTION_FIELDS:
            deque(map(_ACTION_SLOTS[name], actions, columns[name]), maxlen=0)  # each slot's setter, bypassing frozen
        return actions


R = TypeVar("R")


def checked_record(cls: type[R], fields: Iterable[tuple[str, Any]]) -> R:
    """A frozen record of ``cls`` from (field, value) pairs that were already checked, without checking them
    again (``__post_init__`` is not run): for values that passed the same checks in bulk or on their way into
    the database. Every field must be given."""
    record = object.__new__(cls)
    for name, value in fields:
        object.__setattr__(record, name, value)
    return record


_ACTION_FIELDS = tuple(f.name for f in dataclasses.fields(Action))
_ACTION_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Action)}
_ACTION_SLOTS = {name: getattr(Action, name).__set__ for name in _ACTION_FIELDS}  # slot descriptors: set without __setattr__
_ACTION_TEXTS = (("what", True, MAX_TEXT), ("owner", False, MAX_NAME), ("standard", False, MAX_TEXT),
                 ("evidence", False, 20_000), ("notes", False, MAX_TEXT))  # as Action.__post_init__ checks them


@dataclass(frozen=True, slots=True)
class AuditData:
    """Everything the analysis needs about one wave of one audit."""

    audit: Audit
    catalog: Catalog
    participants: tuple[Participant, ...] = ()
    ratings: Sequence[Rating] = ()  # loaded for analysis: an audit.columnar.RatingTable (columns, records on demand)
    visits: Sequence[ShopperVisit] = ()  # loaded for analysis: an audit.columnar.VisitTable
    competitor_notes: tuple[CompetitorNote, ...] = ()
    standards: Mapping[str, Standard] = field(default_factory=dict)
    economics: tuple[ChannelEconomics, ...] = ()  # every wave's (each record names its wave)
    funnel: tuple[FunnelStep, ...] = ()  # this wave's


# ---------------------------------------------------------------- workspaces (a consultant's portfolio)


@dataclass(frozen=True, slots=True)
class Workspace:
    """A consultant's portfolio: the audits made with one workspace link."""

    id: str
    name: str
    created_at: dt.datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_text(self.name, "name", required=True, limit=MAX_NAME))
        object.__setattr__(self, "created_at", as_utc(self.created_at, "created_at"))


@dataclass(frozen=True, slots=True)
class AuditProgress:
    """How far one audit of a workspace is: people, answers, visits and plan in its current wave."""

    audit: Audit
    people: int = 0  # team members and owners who joined
    answers: int = 0  # answered ratings of the current wave
    visits: int = 0  # shopper visits filed (not drafts) in the current wave
    actions: int = 0  # lines of the plan
    actions_done: int = 0

    @property
    def plan_done(self) -> float | None:
        """Share of the plan that is done; ``None`` while there is no plan."""
        return self.actions_done / self.actions if self.actions else None
