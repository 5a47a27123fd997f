"""The words of suggested actions, written for every action of a plan at once (column by column).

A plan of a large audit words hundreds of actions, each from a dozen
templates (``action_text.*`` in :mod:`audit.i18n`). Formatting them one row
at a time costs more than the whole analysis, so the templates are filled
column-wise: a template is split once into its literal parts and
placeholders, and each placeholder's column (already words) is joined to
the literals with numpy's element-wise ``+`` on object arrays (measured
faster than ``str.format`` or ``%`` per row for every template of the plan).
Counts and the usual numbers (to 100.0 with one decimal, 10.00 with two)
are looked up in read-only tables of their words; other numbers are written
by ``%`` formatting, or, near a tie, by :mod:`audit.numbers`, each distinct
value once (:func:`number_words`). A row's lines are joined by appending
each line's words to the row's list with C-level ``map`` calls
(:func:`joined`), so no text is copied again as it grows.

The result is exactly what ``template.format(**row)`` gives for every row:
``tests/test_analysis_golden.py`` compares the plan's texts, and
``tests/test_action_text.py`` compares :func:`fill` with ``str.format``.
Templates hold plain ``{name}`` placeholders only (no format spec or
conversion); :func:`fill` refuses others, and the i18n tests check every
language's ``action_text.*`` keys.
"""

from __future__ import annotations

import string
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
import pandas as pd

from audit.columnar import object_array
from audit.i18n import t
from audit.ipa import CONCENTRATE, NOT_PLACED
from audit.model import ActionKind, ValidationError, clean_texts
from audit.numbers import decimal, localized, separators, signed
from audit.priority import MIN_RATERS

DASH = "—"  # a number nobody gave
QUOTE_LENGTH = 160  # a quoted comment is cut to this many characters


class ActionTexts(dict[str, str]):
    """The action texts of one language (keys ``action_text.*`` of :mod:`audit.i18n`), each looked up once per plan."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.open = t("action_text.open", language)
        self.close = t("action_text.close", language)
        self._quotes: dict[str, str] = {}
        self._blind: dict[str, str] = {}

    def __missing__(self, key: str) -> str:
        text = self[key] = t(f"action_text.{key}", self.language)
        return text

    def quoted(self, text: str) -> str:
        return f"{self.open}{text}{self.close}"

    def quote(self, text: str) -> str:
        """A comment in quotes, its spaces collapsed and cut to :data:`QUOTE_LENGTH`; each distinct text once per plan."""
        quoted = self._quotes.get(text)
        if quoted is None:
            flat = " ".join(str(text).split())
            if len(flat) > QUOTE_LENGTH:
                flat = flat[: QUOTE_LENGTH - 1].rstrip() + "…"
            quoted = self._quotes[text] = self.quoted(flat)
        return quoted

    def quote_each(self, texts: list[str]) -> list[str]:
        """:meth:`quote` of each text (each distinct text worded once)."""
        for text in dict.fromkeys(texts):
            if text not in self._quotes:
                self.quote(text)
        return list(map(self._quotes.__getitem__, texts))

    def are_clean(self, *more: str) -> bool:
        """Whether every word looked up so far (and ``more``) is a clean text: no refused character, no space at
        either end (a language file could hold either; the plan then checks each action's texts in full)."""
        used = [self.open, self.close, *self.values(), *self._blind.values(), *more]
        try:
            return clean_texts(used, "text") == used
        except ValidationError:
            return False

    def blind_spot(self, blind_spot: str) -> str:
        words = self._blind.get(blind_spot)
        if words is None:
            words = self._blind[blind_spot] = blind_spot_words(blind_spot, self.language)
        return words


def blind_spot_words(blind_spot: str, language: str) -> str:
    """"team positive, shoppers negative" in ``language`` (keys ``blind_spot.*``)."""
    return t("blind_spot." + blind_spot.replace(", ", "_").replace(" ", "_"), language)


class Sources(Protocol):
    """What the words of a plan's actions draw on besides the scores (:class:`audit.plan` builds it)."""

    @property
    def texts(self) -> ActionTexts: ...
    @property
    def language(self) -> str: ...
    @property
    def names(self) -> Mapping[str, str]: ...  # touchpoint id -> its name in the plan's language
    @property
    def compared(self) -> Mapping[str, list[str]]: ...  # touchpoint id -> "competitor better/worse" words
    def competitors_of(self, ids: Sequence[str], better_only: bool) -> list[str]: ...  # each one's competitors, "A, B"
    @property
    def comments(self) -> Mapping[str, str]: ...  # touchpoint id -> its team comments, quoted and joined
    @property
    def shopper_quotes(self) -> Mapping[str, str]: ...  # touchpoint id -> shoppers' words, quoted and joined


@lru_cache(maxsize=512)
def template_parts(template: str) -> tuple[tuple[str, str | None], ...]:
    """``template`` as (literal, placeholder-or-None) pairs; a placeholder with a format spec or conversion is refused."""
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if name is not None and (spec or conversion or not name.isidentifier()):
            raise ValueError(f"action text template {template!r}: only plain {{name}} placeholders are allowed")
        parts.append((literal, name))
    return tuple(parts)


def words(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """An object array of ``str(value)`` for each value (counts, names)."""
    items = values.tolist() if isinstance(values, np.ndarray) else values
    return object_array([v if type(v) is str else str(v) for v in items])


def fill(template: str, columns: Mapping[str, np.ndarray], size: int) -> np.ndarray:
    """``template.format(**row)`` for every row of ``columns`` (object arrays of words, ``size`` rows each)."""
    out: np.ndarray | None = None
    for literal, name in template_parts(template):
        if name is None:
            piece: Any = literal
        else:
            column = columns[name]  # KeyError, like str.format, for a placeholder nobody fills
            piece = column if not literal else literal + column
        out = piece if out is None else out + piece
    if out is None or isinstance(out, str):
        return np.full(size, out or "", dtype=object)
    return out.copy() if any(out is column for column in columns.values()) else out  # "{x}" alone: never the caller's column


def joined(pieces: Sequence[tuple[np.ndarray, np.ndarray]], separator: str, size: int) -> np.ndarray:
    """Per row, its pieces joined with ``separator`` (``""`` when it has none). A piece is (mask, words): the
    rows that have it, and its words for exactly those rows, in order."""
    lines: list[list[str]] = [[] for _ in range(size)]
    for rows, piece in pieces:
        at = np.flatnonzero(rows).tolist()
        if at:
            targets = itemgetter(*at)(lines) if len(at) > 1 else (lines[at[0]],)
            deque(map(list.append, targets, piece.tolist()), maxlen=0)  # each row's list gets its words, in C
    return object_array(list(map(separator.join, lines)))


def fill_at(template: str, columns: Mapping[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
    """:func:`fill` for the rows ``rows`` marks only, reading just the columns the template names."""
    names = {name for _, name in template_parts(template) if name is not None}
    return fill(template, {name: columns[name][rows] for name in names}, int(np.count_nonzero(rows)))


def number_words(values: Sequence[Any] | np.ndarray, language: str, places: int | None = 1, *, sign: bool = False) -> np.ndarray:
    """Each number as an action text writes it in ``language`` ("7,5"; ``places=None``: as few decimals as
    needed; ``sign``: always signed); ``None`` or NaN is a dash.

    Exactly what :func:`audit.numbers.decimal` / :func:`~audit.numbers.signed` /
    :func:`~audit.numbers.localized` write. Numbers under 999 that are not within a hair of a tie at
    the rounding place are written by ``%`` formatting (away from a tie, rounding the binary value and
    Babel's rounding of its shortest decimal form agree); every other number (ties, zeros, thousands,
    ``places=None``) goes through those functions, each distinct value once.
    """
    numbers = floats(values)
    out = np.full(len(numbers), DASH, dtype=object)
    given = ~np.isnan(numbers)
    if places is None or not 0 <= places <= 6:
        slow = given
    else:
        scale = 10 ** places
        scaled = np.abs(np.where(given, numbers, 0.0)) * scale
        fast = given & (numbers != 0) & (scaled < 999 * scale) & (np.abs(scaled - np.floor(scaled) - 0.5) > 1e-6)
        if fast.any():
            out[fast] = _fixed_words(numbers[fast], np.rint(scaled[fast]).astype(np.int64), places, separators(language)[0], sign)
        slow = given & ~fast
    if slow.any():
        out[slow] = _each_once(numbers[slow], _writer(language, places, sign))
    return out


def _fixed_words(numbers: np.ndarray, units: np.ndarray, places: int, point: str, sign: bool) -> np.ndarray:
    """The fast path of :func:`number_words`: ``numbers`` (none of them near a tie) rounded to ``places`` decimals
    (``units``: their absolute values in steps of the last place), from a read-only table of words when it has them."""
    table = _FIXED.get((places, point))
    if table is None:
        text = list(map(f"%{'+' if sign else ''}.{places}f".__mod__, numbers.tolist()))
        return object_array(text if point == "." or not places else [t.replace(".", point) for t in text])
    out = np.empty(len(units), dtype=object)
    inside = units < len(table)
    out[inside] = table[units[inside]]
    if not inside.all():
        out[~inside] = [t.replace(".", point) for t in map(f"%.{places}f".__mod__, np.abs(numbers[~inside]).tolist())]
    negative = numbers < 0
    if sign:
        return np.where(negative, "-", "+").astype(object) + out
    if negative.any():
        out[negative] = "-" + out[negative]
    return out


def _fixed_table(places: int, point: str) -> np.ndarray:
    scale = 10 ** places
    table = np.array([f"{n // scale}{point}{n % scale:0{places}d}" if places else str(n) for n in range(1001)], dtype=object)
    table.flags.writeable = False
    return table


_FIXED = MappingProxyType({(places, point): _fixed_table(places, point) for places in (0, 1, 2) for point in (".", ",")})


def floats(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """``values`` as a float array, ``None`` as NaN (a float array is taken as it is)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return values
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _each_once(numbers: np.ndarray, write: Callable[[float], str]) -> np.ndarray:
    """``write`` of each number (no NaN among them), each distinct value written once; 0.0 and -0.0 are told apart."""
    codes, bits = pd.factorize(np.ascontiguousarray(numbers, dtype=np.float64).view(np.int64))  # by bit pattern
    return object_array([write(value) for value in bits.view(np.float64).tolist()])[codes]


def _writer(language: str, places: int | None, sign: bool) -> Callable[[float], str]:
    if places is None:
        return lambda value: localized(value, language)
    if sign:
        return lambda value: signed(value, language, places)
    return lambda value: decimal(value, language, places)


def mask(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Python's truth of each value (``None``, ``""``, 0 are false), as a boolean array."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "biufO":
        return values.astype(bool)  # each element's truth, as bool() takes it (NaN is true)
    return np.array([bool(v) for v in values], dtype=bool)


def ints(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Whole numbers (counts) as words: ``str(int(value))`` for each value."""
    given = np.asarray(values)
    if given.dtype.kind == "O":
        try:
            given = given.astype(np.float64)  # a None becomes NaN: the words below then come from int(), which refuses it
        except (TypeError, ValueError):
            return words([int(v) for v in values])
    if given.dtype.kind in "iub":
        return _count_words(given.astype(np.int64))
    if given.dtype.kind == "f" and np.isfinite(given).all() and (np.abs(given) < 2**53).all():
        return _count_words(np.trunc(given).astype(np.int64))  # int() cuts toward zero
    return words([int(v) for v in values])  # anything else as int() takes it (a missing count raises, as before)


def _count_words(counts: np.ndarray) -> np.ndarray:
    if len(counts) and counts.min() >= 0 and counts.max() < len(_SMALL_COUNTS):
        return _SMALL_COUNTS[counts]  # a copy: indexing with an array never hands out the table itself
    return object_array(list(map(str, counts.tolist())))


_SMALL_COUNTS = np.array([str(n) for n in range(1024)], dtype=object)  # the words of the usual counts, read-only
_SMALL_COUNTS.flags.writeable = False


def chain_words(values: Sequence[Any], texts: ActionTexts) -> np.ndarray:
    """The journeys a touchpoint breaks ("a; b" in the scores) as quoted names, comma-separated."""
    written: dict[str, str] = {}
    out = []
    for value in values:
        if not isinstance(value, str) or not value:
            out.append("")
            continue
        text = written.get(value)
        if text is None:
            text = written[value] = ", ".join(texts.quoted(c) for c in value.split("; "))
        out.append(text)
    return np.array(out, dtype=object)


def field_words(src: Sources, ids: Sequence[str], v: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The placeholders of the action templates for every row, as words (``v``: the rows' score columns)."""
    texts, lang = src.texts, src.language
    return {
        "name": texts.open + words(list(map(src.names.get, ids, ids))) + texts.close,  # texts.quoted of each
        "imp": number_words(v["importance_mean"], lang), "perf": number_words(v["performance"], lang, 2, sign=True),
        "neg": ints(v["negative"]), "n": ints(v["reaction_n"]), "sneg": ints(v["shopper_negative"]),
        "spos": ints(v["shopper_positive"]), "sn": ints(v["shopper_n"]), "missing": ints(v["presence_missing"]),
        "votes": ints(v["presence_have"] + v["presence_missing"] + v["presence_not_needed"]),
        "standard": words([s or "" for s in v["standard"].tolist()]),
        "met": ints(v["standard_met"]), "measured": ints(v["standard_measured"]),
        "chains": chain_words(v["breaks_chain"].tolist(), texts), "k": ints(v["competitors_better"]),
    }


def what_words(src: Sources, ids: Sequence[str], kinds: Sequence[ActionKind], v: Mapping[str, np.ndarray],
               f: Mapping[str, np.ndarray]) -> np.ndarray:
    """What each action asks (by its kind; the rules of :func:`audit.plan.propose_plan`)."""
    texts, size = src.texts, len(kinds)
    kind = np.array(kinds, dtype=object)
    quadrant = np.asarray(v["quadrant"], dtype=object)
    out = np.full(size, "", dtype=object)

    def put(rows: np.ndarray, key: str, extra: Mapping[str, np.ndarray] | None = None) -> None:
        if rows.any():
            out[rows] = fill_at(texts[key], {**f, **(extra or {})}, rows)

    put(kind == ActionKind.ADD, "add")
    fixing = kind == ActionKind.FIX_NOW
    put(fixing, "fix", {"reasons": _fix_reasons(fixing, v, f, texts)})
    put(kind == ActionKind.RETHINK, "rethink")
    not_met = np.asarray(v["standard_status"], dtype=object) == "not met"
    put((kind == ActionKind.STANDARD) & not_met, "enforce")
    put((kind == ActionKind.STANDARD) & ~not_met, "set")
    amplify = kind == ActionKind.AMPLIFY
    improve = kind == ActionKind.IMPROVE
    unrated = quadrant == NOT_PLACED
    others = (quadrant != CONCENTRATE) & (np.trunc(floats(v["competitors_better"])) > 0)
    names = _competitor_names(src, ids, amplify, improve & ~unrated & others)
    put(amplify, "amplify", {"names": names})
    put(improve & unrated, "improve_unrated")
    put(improve & ~unrated & others, "improve_competitors", {"names": names})
    put(improve & ~unrated & ~others, "improve")
    return out


def _fix_reasons(fixing: np.ndarray, v: Mapping[str, np.ndarray], f: Mapping[str, np.ndarray], texts: ActionTexts) -> np.ndarray:
    """Why each "fix now" must be fixed ("the journey ... breaks here; most team reactions are negative ..."), worded
    for those rows only (the other rows get ``""``)."""
    out = np.full(len(fixing), "", dtype=object)
    if fixing.any():
        f = {name: column[fixing] for name, column in f.items()}
        out[fixing] = joined([_line(texts["fix_chain"], f["chains"] != "", f),
                              _line(texts["fix_team"], np.asarray(v["majority_reaction"], dtype=object)[fixing] == "negative", f),
                              _line(texts["fix_shoppers"], np.asarray(v["shopper_majority"], dtype=object)[fixing] == "negative", f)],
                             "; ", int(np.count_nonzero(fixing)))
    return out


def _competitor_names(src: Sources, ids: Sequence[str], every: np.ndarray, better: np.ndarray) -> np.ndarray:
    """Per row, the competitors compared (rows ``every``) or those doing better (rows ``better``), comma-separated."""
    out = np.full(len(ids), "", dtype=object)
    for rows, better_only in ((every, False), (better, True)):
        if rows.any():
            out[rows] = object_array(src.competitors_of(np.asarray(ids, dtype=object)[rows].tolist(), better_only))
    return out


_PARTS = tuple((f"priority_{name}", f"part_{name}") for name in ("base", "shoppers", "competitors", "standard", "missing", "chain"))


def _line(template: str, rows: np.ndarray, columns: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A piece for :func:`joined`: ``template`` filled for the rows where ``rows`` is true."""
    return rows, fill_at(template, columns, rows)


def evidence_words(src: Sources, ids: Sequence[str], v: Mapping[str, np.ndarray], f: Mapping[str, np.ndarray]) -> np.ndarray:
    """Each action's evidence: the team's and shoppers' numbers, competitors, standard, journeys, priority and quotes
    (each line written only for the rows that have it)."""
    texts, lang, size = src.texts, src.language, len(ids)
    few, rated, shoppers = mask(v["few_raters"]), mask(v["rated"]), mask(v["shopper_n"])
    raters = ints(v["raters"])
    blind = object_array([texts.blind_spot(b) if b else "" for b in v["blind_spot"].tolist()])
    compared = object_array(list(map("; ".join, map(src.compared.get, ids, repeat(())))))
    lines = [
        _line(texts["ev_few_raters"], few, {"raters": raters, "minimum": np.full(size, str(MIN_RATERS), dtype=object)}),
        (rated, fill(texts["ev_team"], {
            "raters": raters[rated], "imp": f["imp"][rated], "med": number_words(v["importance_median"][rated], lang, None),
            "pos": ints(v["positive"][rated]), "neu": ints(v["neutral"][rated]), "neg": f["neg"][rated],
            "dis": number_words(v["disagreement"][rated], lang, 2)}, int(rated.sum()))),
        (~rated, np.full(int((~rated).sum()), texts["ev_unrated"], dtype=object)),
        _line(texts["ev_presence"], mask(v["presence_missing"]) | mask(v["presence_not_needed"]),
              {"have": ints(v["presence_have"]), "missing": f["missing"], "nn": ints(v["presence_not_needed"])}),
        _line(texts["ev_shoppers"], shoppers, {**f, "sperf": number_words(v["shopper_performance"], lang, 2, sign=True)}),
        _line(texts["ev_blind"], blind != "", {"blind": blind}),
        _line(texts["ev_competitors"], compared != "", {"items": compared}),
        _line(texts["ev_standard"], mask(v["standard"]) & mask(v["standard_measured"]), f),
        _line(texts["ev_chain"], f["chains"] != "", f),
        (np.ones(size, dtype=bool), fill(texts["ev_priority"], {
            "p": number_words(floats(v["priority"]), lang), "parts": _priority_parts(v, texts, lang, size)}, size)),
        *_quote_lines(src, ids, texts),
    ]
    return joined(lines, "\n", size)


def _priority_parts(v: Mapping[str, np.ndarray], texts: ActionTexts, lang: str, size: int) -> np.ndarray:
    """"importance x shortfall 3.2 + shoppers 1.5" per row (``"0"`` when no part is above zero)."""
    values = np.stack([floats(v[column]) for column, _ in _PARTS])
    above = values > 0
    numbers = number_words(values[above], lang)  # every part's numbers in one go, part after part
    ends = np.cumsum(above.sum(axis=1)).tolist()
    parts = [(rows, fill(texts[part], {"v": numbers[start:end]}, end - start))
             for rows, (_, part), start, end in zip(above, _PARTS, [0, *ends], ends, strict=False)]
    out = joined(parts, " + ", size)
    out[out == ""] = "0"
    return out


def _quote_lines(src: Sources, ids: Sequence[str], texts: ActionTexts) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for key, quotes in (("ev_comments", src.comments), ("ev_shopper_quotes", src.shopper_quotes)):
        said = object_array(list(map(quotes.get, ids, repeat(""))))
        out.append(_line(texts[key], said != "", {"quotes": said}))
    return out
