"""Records of a touchpoint audit: immutable, typed, validated on construction.

Every record is a frozen dataclass. Changes are made with
``dataclasses.replace`` (which re-runs validation). A value that breaks a rule
raises :class:`ValidationError`, whose message names the field and the value,
so the UI and the CLI can show it to a person as it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from audit.languages import DEFAULT as DEFAULT_LANGUAGE
from audit.languages import LANGUAGES as LANGUAGES  # re-exported: the one list lives there
from audit.numbers import localized
from audit.refusal import english

MAX_TEXT = 5_000  # characters for comments, ideas, observations
MAX_NAME = 300  # characters for names and questions


class ValidationError(ValueError):
    """A value broke a rule. ``field`` and ``value`` say which and what.

    ``ValidationError(field, value, "code", **params)``: the rule is the message
    ``rule.<code>`` (``key``) filled with ``params``; ``rule`` and ``str()``
    are English (logs, command line), pages say it in the person's language.
    """

    def __init__(self, field_name: str, value: Any, code: str, /, **params: Any) -> None:
        self.field = field_name
        self.value = value
        self.key = f"rule.{code}"
        self.params: dict[str, Any] = params
        self.rule = english(self.key, params)
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"{field_name}: {self.rule} (got {shown})")


class Category(StrEnum):
    OFFICE = "office"
    PRODUCT = "product"
    TECHNOLOGY = "technology"
    STAFF = "staff"


class Stage(StrEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class Channel(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


class Audience(StrEnum):
    POTENTIAL = "potential"
    CURRENT = "current"
    FORMER = "former"


class Attention(StrEnum):
    SHORT = "short"
    LONG = "long"


class Lifetime(StrEnum):
    ONE_OFF = "one-off"
    RECURRING = "recurring"


class Reaction(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"

    @property
    def score(self) -> int:
        """Performance value of one reaction: +1, 0 or -1."""
        return {"positive": 1, "neutral": 0, "negative": -1}[self.value]


class Presence(StrEnum):
    HAVE = "have"
    MISSING = "missing"
    NOT_NEEDED = "not-needed"


class Role(StrEnum):
    OWNER = "owner"
    TEAM = "team"
    SHOPPER = "shopper"


class Comparison(StrEnum):
    """How a measurement is compared with a standard's threshold."""

    AT_MOST = "<="
    LESS = "<"
    AT_LEAST = ">="
    MORE = ">"
    EQUAL = "=="


class StandardKind(StrEnum):
    """What a shopper answers for a standard: a number, yes or no, or which items of a short checklist were met."""

    NUMBER = "number"
    YES_NO = "yes_no"  # the answer is 1 (yes) or 0 (no); met on yes
    CHECKLIST = "checklist"  # the answer is the share of items met (0-1); met from the threshold share up


MAX_CHECKLIST = 10  # items of a checklist standard


class VisitChannel(StrEnum):
    IN_PERSON = "in-person"
    PHONE = "phone"
    WEBSITE = "website"
    CHAT = "chat"
    EMAIL = "email"
    SOCIAL = "social"
    DELIVERY = "delivery"


class VisitStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REVISION = "revision"


class Versus(StrEnum):
    """How a competitor does at a touchpoint compared with us."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class ActionKind(StrEnum):
    FIX_NOW = "fix now"
    IMPROVE = "improve"
    STANDARD = "set or enforce a standard"
    AMPLIFY = "keep and amplify"
    RETHINK = "remove or rethink"
    ADD = "add the missing touchpoint"


class Horizon(StrEnum):
    WEEK = "this week"
    MONTH = "this month"
    QUARTER = "this quarter"


class ActionStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in progress"
    DONE = "done"


# ---------------------------------------------------------------- helpers


def parse_enum(enum: type[StrEnum], value: Any, field_name: str) -> Any:
    """Return ``enum(value)`` or raise a ValidationError listing the choices."""
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        try:
            return enum(key)  # one dictionary lookup for the usual case: a stored or canonical value
        except ValueError:
            pass
        for member in enum:
            if member.value == key or member.name.lower() == key.replace("-", "_").replace(" ", "_"):
                return member
    choices = ", ".join(m.value for m in enum)
    raise ValidationError(field_name, value, "one_of", choices=choices)


def parse_enums(enum: type[StrEnum], value: Any, field_name: str) -> tuple[Any, ...]:
    """Accept one value, a list, or a text separated by ``;`` or ``,``."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        parts: Iterable[Any] = [p for p in value.replace(",", ";").split(";") if p.strip()]
    elif isinstance(value, (list, tuple)):
        parts = value
    else:
        parts = [value]
    out: list[Any] = []
    for part in parts:
        member = parse_enum(enum, part, field_name)
        if member not in out:
            out.append(member)
    return tuple(out)


# Characters refused in any text: C0 controls except tab and newline, and lone surrogates
# (half of a UTF-16 pair, which no database or file encoding can hold).
_REFUSED_CHAR = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: Any, field_name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """Strip a text, refuse non-text, control characters, lone surrogates and over-long values."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field_name, value, "text")
    text = value.replace("\r\n", "\n").strip()
    if _REFUSED_CHAR.search(text):
        if _SURROGATE.search(text):
            raise ValidationError(field_name, value.encode("utf-8", "backslashreplace").decode("ascii"), "lone_surrogate")
        raise ValidationError(field_name, value, "control_chars")
    if required and not text:
        raise ValidationError(field_name, value, "empty")
    if len(text) > limit:
        raise ValidationError(field_name, f"{len(text)} characters", "too_long", limit=str(limit))  # "5000": ungrouped, as before
    return text


_TRUE = frozenset(("true", "yes", "y", "1"))
_FALSE = frozenset(("false", "no", "n", "0", ""))


def parse_bool(value: Any, field_name: str) -> bool:
    """``True``/``False``, 1/0, or the words yes/no, true/false, y/n, 1/0 (empty is no); anything else is refused."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValidationError(field_name, value, "yes_no")


def parse_number(value: Any, field_name: str) -> float:
    """A finite number; text like ``"3"`` or ``"2,5"`` is accepted."""
    if isinstance(value, bool):
        raise ValidationError(field_name, value, "number")
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise ValidationError(field_name, value, "number") from None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValidationError(field_name, value, "finite")
    return float(value)


def parse_int(value: Any, field_name: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]``; ``7.0`` and ``"7"`` are accepted."""
    if isinstance(value, bool):
        raise ValidationError(field_name, value, "whole_number", low=low, high=high)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ValidationError(field_name, value, "whole_number", low=low, high=high) from None
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(field_name, value, "whole_number", low=low, high=high)
        value = int(value)
    if not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field_name, value, "whole_number", low=low, high=high)
    return value


def _as_utc(value: dt.datetime, field_name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValidationError(field_name, value, "date_time")
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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


def check_id(value: Any, field_name: str) -> str:
    """Ids are short, stable, lower-case words: letters, digits, ``-``, ``_``, ``.``."""
    if not isinstance(value, str):
        raise ValidationError(field_name, value, "text")
    text = value.strip()
    if not text:
        raise ValidationError(field_name, value, "empty")
    if len(text) > 80 or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in text):
        raise ValidationError(field_name, value, "id_chars")
    return text


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


def parse_time_zone(value: Any) -> str:
    """An IANA time zone name such as ``Europe/Moscow`` (``""``: none chosen)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if len(text) > 64 or not all(c.isalnum() or c in "/_+-" for c in text):
        raise ValidationError("time_zone", text, "time_zone_name")
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError("time_zone", text, "time_zone_unknown") from None
    return text


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
        object.__setattr__(self, "created_at", _as_utc(self.created_at, "created_at"))
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
            object.__setattr__(self, "first_seen", _as_utc(self.first_seen, "first_seen"))


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
            object.__setattr__(self, "countdown_end", _as_utc(self.countdown_end, "countdown_end"))


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
        object.__setattr__(self, "updated_at", _as_utc(self.updated_at, "updated_at"))

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or (self.importance is not None and self.reaction is not None)


@dataclass(frozen=True, slots=True)
class Observation:
    """What a mystery shopper met at one touchpoint during one visit."""

    touchpoint_id: str
    reaction: Reaction
    text: str = ""
    measurement: float | None = None  # a number; a yes/no standard's 1 or 0; a checklist's share of items met
    checked: tuple[int, ...] | None = None  # a checklist standard: the items met (0-based), whose share is the measurement

    def __post_init__(self) -> None:
        object.__setattr__(self, "reaction", parse_enum(Reaction, self.reaction, "reaction"))
        object.__setattr__(self, "text", clean_text(self.text, "text"))
        if self.checked is not None:
            if not isinstance(self.checked, (list, tuple)):
                raise ValidationError("checked", self.checked, "checklist_list")
            items = sorted({parse_int(i, "checked", 0, MAX_CHECKLIST - 1) for i in self.checked})
            object.__setattr__(self, "checked", tuple(items))
        if self.measurement is not None and self.measurement != "":
            value = parse_number(self.measurement, "measurement")
            if value < 0:
                raise ValidationError("measurement", self.measurement, "negative")
            object.__setattr__(self, "measurement", value)
        else:
            object.__setattr__(self, "measurement", None)


@dataclass(frozen=True, slots=True)
class ShopperVisit:
    id: int | None
    audit_id: str
    shopper_id: str
    visited_at: dt.datetime
    channel: VisitChannel
    target: str = ""  # "" is our own business, otherwise a competitor's name
    location: str = ""
    scenario: str = ""
    recommend: int | None = None
    observations: tuple[Observation, ...] = ()
    status: VisitStatus = VisitStatus.DRAFT
    review_note: str = ""
    wave: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "visited_at", _as_utc(self.visited_at, "visited_at"))
        object.__setattr__(self, "channel", parse_enum(VisitChannel, self.channel, "channel"))
        object.__setattr__(self, "target", clean_text(self.target, "target", limit=MAX_NAME))
        object.__setattr__(self, "location", clean_text(self.location, "location", limit=MAX_NAME))
        object.__setattr__(self, "scenario", clean_text(self.scenario, "scenario"))
        if self.recommend is not None:
            object.__setattr__(self, "recommend", parse_int(self.recommend, "recommend", 0, 10))
        object.__setattr__(self, "status", parse_enum(VisitStatus, self.status, "status"))
        object.__setattr__(self, "review_note", clean_text(self.review_note, "review_note"))
        object.__setattr__(self, "observations", tuple(self.observations))
        ids = [o.touchpoint_id for o in self.observations]
        if len(set(ids)) != len(ids):
            raise ValidationError("observations", ids, "observed_once")

    @property
    def is_ours(self) -> bool:
        return not self.target


@dataclass(frozen=True, slots=True)
class CompetitorNote:
    audit_id: str
    competitor: str
    touchpoint_id: str
    versus: Versus
    reaction: Reaction | None = None
    borrow: str = ""
    author: str = ""
    wave: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "competitor", clean_text(self.competitor, "competitor", required=True, limit=MAX_NAME))
        object.__setattr__(self, "versus", parse_enum(Versus, self.versus, "versus"))
        if self.reaction is not None:
            object.__setattr__(self, "reaction", parse_enum(Reaction, self.reaction, "reaction"))
        object.__setattr__(self, "borrow", clean_text(self.borrow, "borrow"))
        object.__setattr__(self, "author", clean_text(self.author, "author", limit=120))


@dataclass(frozen=True, slots=True)
class ChannelEconomics:
    """Money in and out of one advertising touchpoint over one period."""

    touchpoint_id: str
    spend: float
    leads: int
    customers: int
    revenue: float
    wave: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "touchpoint_id", check_id(self.touchpoint_id, "touchpoint"))
        object.__setattr__(self, "wave", parse_int(self.wave, "wave", 1, 1_000))
        for name in ("spend", "revenue"):
            value = parse_number(getattr(self, name), name)
            if value < 0:
                raise ValidationError(name, value, "negative")
            object.__setattr__(self, name, value)
        object.__setattr__(self, "leads", parse_int(self.leads, "leads", 0, 10**9))
        object.__setattr__(self, "customers", parse_int(self.customers, "customers", 0, 10**9))


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """How many customers reached one link (``position``, from 0) of a journey in one wave: one stage of the funnel."""

    chain_id: str
    position: int
    touchpoint_id: str
    reached: int
    wave: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "chain_id", check_id(self.chain_id, "chain"))
        object.__setattr__(self, "position", parse_int(self.position, "position", 0, 1_000))
        object.__setattr__(self, "touchpoint_id", check_id(self.touchpoint_id, "touchpoint"))
        object.__setattr__(self, "reached", parse_int(self.reached, "reached", 0, 10**9))
        object.__setattr__(self, "wave", parse_int(self.wave, "wave", 1, 1_000))


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
        object.__setattr__(self, "created_at", _as_utc(self.created_at, "created_at"))


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
