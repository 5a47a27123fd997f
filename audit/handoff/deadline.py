"""An action's due day as a deadline over there: the end of that day in the audit's time zone.

The audit's time zone is its own setting (``Audit.time_zone``); when none is
chosen, the server's: ``AUDIT_TIME_ZONE`` if set, else the zone of the
machine (``TZ``, ``/etc/timezone``, ``/etc/localtime``), else UTC.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from pathlib import Path

from audit.model import Audit, ValidationError, parse_time_zone

END_OF_DAY = dt.time(23, 59, 59)


def _valid(name: str) -> str:
    try:
        return parse_time_zone(name)
    except ValidationError:
        return ""


def _machine_zone() -> str:
    """The machine's own zone name, or ``""`` when it cannot be told."""
    configured = _valid(os.environ.get("TZ", "").lstrip(":"))
    if configured:
        return configured
    try:
        text = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    if _valid(text):
        return text
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return ""
    marker = "/zoneinfo/"
    return _valid(target.split(marker, 1)[1]) if marker in target else ""


def server_time_zone() -> str:
    """The zone used when an audit has none: ``AUDIT_TIME_ZONE``, the machine's zone, or ``UTC``."""
    return _valid(os.environ.get("AUDIT_TIME_ZONE", "")) or _machine_zone() or "UTC"


def zone_of(audit: Audit) -> str:
    return audit.time_zone or server_time_zone()


def end_of_day(due: dt.date, zone: str) -> dt.datetime:
    """23:59:59 of ``due`` in ``zone`` (aware; daylight saving time included)."""
    return dt.datetime.combine(due, END_OF_DAY, tzinfo=zoneinfo.ZoneInfo(zone))


def unix_end_of_day(due: dt.date, zone: str) -> int:
    return int(end_of_day(due, zone).timestamp())


def iso_end_of_day(due: dt.date, zone: str) -> str:
    """``2025-05-30T23:59:59+03:00``: the form Bitrix24 takes for ``DEADLINE``."""
    return end_of_day(due, zone).isoformat()


def local_date(moment: dt.datetime, zone: str) -> dt.date:
    """The day ``moment`` falls on in ``zone`` (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).date()
