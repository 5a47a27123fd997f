"""Numbers, percentages and dates as each language writes them (Babel's locale data).

``1234.5`` is "1,234.5" in English and "1 234,5" in Russian and Polish; a
percentage is "42%" / "42 %"; a date is "31 Mar 2025" / "31 мар. 2025 г.".
A language Babel does not know is written the English way.
"""

from __future__ import annotations

import datetime as dt
import decimal as exact
import functools
import math

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from audit.languages import DEFAULT

GROUP_FROM = 1_000  # whole numbers from here on get the language's group separator where it uses one ("5,000")


@functools.lru_cache(maxsize=32)
def locale(lang: str | None) -> Locale:
    """Babel's locale of a language code (English for a code Babel does not know)."""
    try:
        return Locale.parse(lang or DEFAULT)
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(DEFAULT)


def localized(value: float, lang: str | None) -> str:
    """A number for a sentence: whole numbers grouped from 1,000 up, others with the language's decimal sign."""
    if isinstance(value, int):
        return format_decimal(value, locale=locale(lang)) if abs(value) >= GROUP_FROM else str(value)
    if type(value) is float and value.is_integer() and 0 < abs(value) < GROUP_FROM:  # "5.0" is "5" in every language
        return str(int(value))
    body = _digits(value, lang, 0, 3)
    return format_decimal(value, format="#,##0.###", locale=locale(lang)) if body is None else body[0] * "-" + body[1]


def megabytes(size: int) -> float:
    """A size in MB rounded up to one decimal (a file just over a limit never reads as the limit itself)."""
    return math.ceil(size / (1024 * 1024) * 10) / 10


def decimal(value: float, lang: str | None, places: int = 1) -> str:
    """``value`` with exactly ``places`` decimals: "7.5" / "7,5"."""
    places = max(places, 0)
    fixed = _fixed(value, places)
    if fixed is not None and (fixed.find(".") if places else len(fixed)) - (fixed[0] == "-") <= 3:  # no group separator
        point = separators(lang)[0]
        return fixed if point == "." else fixed.replace(".", point)
    body = _digits(value, lang, places, places)
    if body is None:
        pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
        return format_decimal(value, format=pattern, locale=locale(lang))
    return body[0] * "-" + body[1]


def signed(value: float, lang: str | None, places: int = 2) -> str:
    """``value`` with its sign and exactly ``places`` decimals: "+0.35" / "+0,35", "-1.20" / "-1,20"."""
    places = max(places, 0)
    body = _digits(value, lang, places, places)
    if body is None:
        pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
        return format_decimal(value, format=f"+{pattern};-{pattern}", locale=locale(lang))
    return ("-" if body[0] else "+") + body[1]


# Babel's format_decimal parses its pattern and looks up the locale's symbols on every call (about 25 us):
# a plan writes thousands of numbers. _digits does exactly what it does for a "#,##0.0#" pattern, with the
# pattern's parts and the symbols looked up once (tests/test_number_formats.py compares the two).
_QUANTUM = tuple(exact.Decimal(10) ** -places for places in range(16))


@functools.lru_cache(maxsize=32)
def separators(lang: str | None) -> tuple[str, str]:
    """The language's decimal sign and group separator (Latin digits)."""
    where = locale(lang)
    return get_decimal_symbol(where), get_group_symbol(where)


def _digits(value: float, lang: str | None, low: int, high: int) -> tuple[bool, str] | None:
    """Babel's rendering of ``abs(value)`` with the pattern "#,##0" and ``low`` to ``high`` decimals, and
    whether the value is negative (a negative zero too, as Babel); ``None`` when Babel must write it
    (not finite, or more decimals than pre-computed)."""
    fixed = _fixed(value, high)
    if fixed is not None:
        return _written(fixed, lang, low, high)
    number = exact.Decimal(str(value))
    if not number.is_finite() or high >= len(_QUANTUM):
        return None
    body = f"{abs(number).normalize().quantize(_QUANTUM[high]):f}"
    return _written(("-" if number.is_signed() else "") + body, lang, low, high)


_SPECS = tuple(f".{places}f" for places in range(8))
_LIMITS = tuple(10.0 ** (12 - places) for places in range(8))


def _fixed(value: float, places: int) -> str | None:
    """``value`` with ``places`` decimals as Babel rounds it (half to even on its shortest decimal form), or
    ``None`` when only :mod:`decimal` can tell: the shortest form is a tie at the rounding place (``2.675`` to
    2 decimals), has an exponent, or the value is not a float under 1e12.

    Python's ``format`` rounds the exact binary value. Both agree unless the shortest decimal form sits
    exactly on a tie: a rounding boundary strictly between that form and the binary value would itself be a
    shorter or closer form, and the binary value lies within half a step of the form it rounds to
    (|value| < 10^(12 - places) keeps the binary spacing far below a step).
    """
    if type(value) is not float or places >= len(_SPECS) or not -_LIMITS[places] < value < _LIMITS[places]:
        return None
    shortest = repr(value)
    if "e" in shortest or (shortest[-1] == "5" and len(shortest) - shortest.index(".") == places + 2):
        return None
    return format(value, _SPECS[places])


def _written(rounded: str, lang: str | None, low: int, high: int) -> tuple[bool, str]:
    """A number already rounded to ``high`` decimals ("-1234.50"), written with the language's signs: "1,234.5"."""
    negative = rounded[0] == "-"
    whole, _, fraction = rounded.lstrip("-").partition(".")
    point, group = separators(lang)
    if len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = whole[:head] + "".join(group + whole[k:k + 3] for k in range(head, len(whole), 3))
    fraction = (fraction or "0").ljust(low, "0")
    if high == 0 or (low == 0 and int(fraction) == 0):
        return negative, whole
    return negative, whole + point + fraction[: max(low, len(fraction.rstrip("0")))]


def percent(share: float, lang: str | None, places: int = 0) -> str:
    """A share 0..1 as a percentage: "42%" / "42 %"."""
    where = locale(lang)
    pattern = str(where.percent_formats[None].pattern)
    if places > 0:  # "#,##0 %" -> "#,##0.0 %": the language's own spacing and sign, with decimals
        at = pattern.rfind("0") + 1
        pattern = pattern[:at] + "." + "0" * places + pattern[at:]
    return format_percent(share, format=pattern, locale=where)


def day(value: dt.date, lang: str | None) -> str:
    """A date in the language's medium form: "31 Mar 2025" / "31 мар. 2025 г."."""
    return format_date(value, format="medium", locale=locale(lang))
