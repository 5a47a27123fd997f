"""Numbers, percentages and dates as each language writes them (Babel's locale data).

``1234.5`` is "1,234.5" in English and "1 234,5" in Russian and Polish; a
percentage is "42%" / "42 %"; a date is "31 Mar 2025" / "31 мар. 2025 г.".
A language Babel does not know is written the English way.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

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
    return format_decimal(value, format="#,##0.###", locale=locale(lang))


def megabytes(size: int) -> float:
    """A size in MB rounded up to one decimal (a file just over a limit never reads as the limit itself)."""
    return math.ceil(size / (1024 * 1024) * 10) / 10


def decimal(value: float, lang: str | None, places: int = 1) -> str:
    """``value`` with exactly ``places`` decimals: "7.5" / "7,5"."""
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    return format_decimal(value, format=pattern, locale=locale(lang))


def signed(value: float, lang: str | None, places: int = 2) -> str:
    """``value`` with its sign and exactly ``places`` decimals: "+0.35" / "+0,35", "-1.20" / "-1,20"."""
    body = "#,##0" + ("." + "0" * places if places > 0 else "")
    return format_decimal(value, format=f"+{body};-{body}", locale=locale(lang))


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
