"""YAML for catalogs, read with budgets: no alias bomb, no deep nesting, no recursion.

The file is read as a stream of parser events (libyaml when it is installed)
and built into plain dicts and lists by one loop with an explicit stack, so a
5,000-deep nesting never reaches Python's recursion limit. While building, it
counts:

- ``MAX_DEPTH``: how deeply mappings and lists nest;
- ``MAX_VALUES``: how many values the document holds once every alias
  (``*name``) is counted at the full size of what it names; a "billion
  laughs" file is refused as soon as the count passes the limit, before
  anything is expanded (an alias shares the object it names, never copies it);
- ``MAX_ALIASES``: how many aliases the file uses.

An alias to a mapping or list that is still open (``&a [*a]``) is refused.
Tags other than the plain ones are refused, so no Python object is ever
built. Each refusal is a :class:`YamlRefused` naming the line and the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from audit.refusal import Message, Refusal

MAX_DEPTH = 32
MAX_VALUES = 400_000
MAX_ALIASES = 10_000

_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_NO_KEY = object()
_STR = "tag:yaml.org,2002:str"
_CONTAINER_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class YamlRefused(Refusal, ValueError):
    """The file is not YAML this tool reads (``yaml.<code>``); ``line`` is 1-based (``None``: the whole file)."""

    prefix = "yaml."

    def __init__(self, line: int | None, code: str, /, **params: Any) -> None:
        self.line = line
        super().__init__(code, **params)
        self.message = str(self)


class Lined(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[str, int]


class LinedList(list):
    """A list that remembers its line and the line of each item."""

    line: int = 0
    lines: list[int]


def _line(mark: Any) -> int | None:
    """1-based line of a parser mark (``None`` when the parser gave none)."""
    return mark.line + 1 if mark is not None else None


def line_of(value: Any, key: str | None = None) -> int | None:
    """The line of a key of a mapping (or of the value itself)."""
    if isinstance(value, Lined):
        if key is not None and key in value.lines:
            return value.lines[key]
        return value.line
    return getattr(value, "line", None)


@dataclass(slots=True)
class _Frame:
    value: Lined | LinedList
    anchor: str | None
    weight: int = 1
    key: Any = _NO_KEY
    key_line: int = 0
    bad_key: bool = False


@dataclass
class _Builder:
    """Builds the document from events; every count is checked as it grows."""

    problems: list[tuple[int, str, Message]] = field(default_factory=list)  # (line, key, message)
    stack: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[Any, int]] = field(default_factory=dict)
    open_anchors: set[str] = field(default_factory=set)
    values: int = 0
    aliases: int = 0
    root: Any = None
    documents: int = 0

    def count(self, weight: int, line: int | None) -> None:
        self.values += weight
        if self.values > MAX_VALUES:
            raise YamlRefused(line, "too_many_values", limit=MAX_VALUES)

    def start(self, event: yaml.NodeEvent, value: Lined | LinedList) -> None:
        line = _line(event.start_mark) or 0
        if getattr(event, "tag", None) not in _PLAIN_TAGS:
            raise YamlRefused(line, "tag", tag=str(getattr(event, "tag", ""))[:80])
        if len(self.stack) >= MAX_DEPTH:
            raise YamlRefused(line, "too_deep", limit=MAX_DEPTH)
        self.count(1, line)
        value.line = line
        if isinstance(value, Lined):
            value.lines = {}
        else:
            value.lines = []
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(value, event.anchor))

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.value, frame.weight)
        self.attach(frame.value, frame.weight, frame.value.line)

    def scalar(self, event: yaml.ScalarEvent, resolver: yaml.resolver.Resolver, constructor: yaml.constructor.SafeConstructor) -> None:
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        self.values += 1
        if self.values > MAX_VALUES:
            self.count(0, line)
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            tag = _STR if event.implicit[1] and not event.implicit[0] else resolver.resolve(yaml.ScalarNode, value, event.implicit)
        if tag != _STR:
            build = constructor.yaml_constructors.get(tag)
            if build is None or tag in _CONTAINER_TAGS:
                raise YamlRefused(line, "tag", tag=str(tag)[:80])
            value = build(constructor, yaml.ScalarNode(tag, value, None, None, event.style))
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.attach(value, 1, line)

    def document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise YamlRefused(_line(event.start_mark), "documents")

    def alias(self, event: yaml.AliasEvent) -> None:
        line = _line(event.start_mark) or 0
        name = event.anchor
        if name in self.open_anchors:
            raise YamlRefused(line, "alias_loop", name=name)
        if name not in self.anchors:
            raise YamlRefused(line, "alias_undefined", name=name)
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise YamlRefused(line, "too_many_aliases", limit=MAX_ALIASES)
        value, weight = self.anchors[name]
        self.count(weight, line)
        self.attach(value, weight, line)

    def attach(self, value: Any, weight: int, line: int) -> None:
        stack = self.stack
        if not stack:
            self.root = value
            return
        frame = stack[-1]
        frame.weight += weight
        target = frame.value
        if type(target) is LinedList:
            target.append(value)
            target.lines.append(line)
            return
        if frame.key is _NO_KEY:
            frame.key, frame.key_line, frame.bad_key = value, line, not isinstance(value, str)
            if frame.bad_key:
                self.problems.append((line, str(value)[:40], Message("yaml.key_not_word")))
            return
        key, frame.key = frame.key, _NO_KEY
        if frame.bad_key:
            return
        if key in target:
            self.problems.append((frame.key_line, key, Message("yaml.key_twice", {"key": key})))
        target[key] = value
        target.lines[key] = frame.key_line


def compose(text: str) -> tuple[Any, list[tuple[int, str, Message]]]:
    """The document as :class:`Lined` / :class:`LinedList` / scalars, and the key problems found.

    Returns ``(None, [])`` for an empty file; raises :class:`YamlRefused` for
    a file that breaks YAML or a budget.
    """
    builder = _Builder()
    resolver = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()
    handlers: dict[type, Callable[[Any], None]] = {
        yaml.ScalarEvent: lambda event: builder.scalar(event, resolver, constructor),
        yaml.MappingStartEvent: lambda event: builder.start(event, Lined()),
        yaml.SequenceStartEvent: lambda event: builder.start(event, LinedList()),
        yaml.MappingEndEvent: lambda _event: builder.end(),
        yaml.SequenceEndEvent: lambda _event: builder.end(),
        yaml.AliasEvent: builder.alias,
        yaml.DocumentStartEvent: builder.document,
    }
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            handle = handlers.get(type(event))
            if handle is not None:
                handle(event)
    except YamlRefused:
        raise
    except yaml.MarkedYAMLError as err:
        raise YamlRefused(_line(err.problem_mark or err.context_mark), "invalid", reason=str(err.problem or err)) from None
    except yaml.YAMLError as err:
        raise YamlRefused(None, "invalid", reason=str(err)) from None
    except (ValueError, OverflowError) as err:  # a scalar the safe constructor cannot build, e.g. a broken timestamp
        raise YamlRefused(None, "invalid", reason=str(err)) from None
    return builder.root, builder.problems
