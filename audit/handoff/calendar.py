"""The plan as a calendar (``.ics``): one all-day event per action that has a due date.

- The summary names the touchpoint and the action; the description carries the
  owner, the standard, the priority and where it comes from (no link: the
  owner link must never travel in a calendar, and a team link is not read-only).
- Events are ``VEVENT`` (Google Calendar ignores ``VTODO``), all-day on the due
  day, free time (``TRANSP:TRANSPARENT``).
- Each event's ``UID`` is derived from the audit id and the action id
  (``ta-<hash>@touchpoint-audit``): importing the file again updates the events
  instead of adding them twice, and an edited action keeps its UID.
- Text is escaped by ``icalendar``; a newline in a person's text cannot start
  a new line of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Calendar, Event

from audit.handoff.task import TaskText
from audit.model import Audit

UID_DOMAIN = "touchpoint-audit"
PRODID = "-//Touchpoint Audit//Action plan//EN"


def event_uid(text: TaskText) -> str:
    return f"{text.marker}@{UID_DOMAIN}"


def _event(text: TaskText, due: dt.date, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(text))
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", " ".join(text.title.split()))
    event.add("description", text.description)
    event.add("categories", [text.kind_label])
    event.add("transp", "TRANSPARENT")
    return event


def plan_ics(texts: Sequence[TaskText], audit: Audit, *, now: dt.datetime | None = None) -> bytes:
    """The calendar of the plan (UTF-8 bytes); actions without a due date are left out."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", " ".join(audit.name.split()))
    for text in texts:
        if text.due is not None:
            calendar.add_component(_event(text, text.due, stamp))
    return bytes(calendar.to_ical())
