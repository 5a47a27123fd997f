"""The plan as CSV files that the importers of Jira and Asana take as they are.

- Jira (``Summary, Description, Assignee, Due date, Priority, Labels``): the
  due date is ``yyyy-MM-dd`` (tell the importer that date format), the priority
  High / Medium / Low from the action's horizon, one label ``touchpoint-audit``.
- Asana (``Name, Description, Assignee, Due Date, Section``): the section is
  the horizon (this week / this month / this quarter), the due date ``YYYY-MM-DD``.

Both are UTF-8 without a byte-order mark (a mark would become part of the first
column's name), and every text that starts like a formula (``=``, ``+``, ``-``,
``@``, tab, CR) gets the same leading apostrophe as the plan's CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from audit.excel import csv_safe
from audit.handoff.task import TAG, TaskText

JIRA_COLUMNS = ("Summary", "Description", "Assignee", "Due date", "Priority", "Labels")
ASANA_COLUMNS = ("Name", "Description", "Assignee", "Due Date", "Section")
JIRA_PRIORITY = {2: "High", 1: "Medium", 0: "Low"}


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return out.getvalue().encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def jira_csv(texts: Sequence[TaskText]) -> bytes:
    return _csv(JIRA_COLUMNS, (
        (_one_line(x.title), x.description, x.owner, x.due.isoformat() if x.due else "", JIRA_PRIORITY[x.urgency], TAG)
        for x in texts
    ))


def asana_csv(texts: Sequence[TaskText]) -> bytes:
    return _csv(ASANA_COLUMNS, (
        (_one_line(x.title), x.description, x.owner, x.due.isoformat() if x.due else "", x.horizon_label) for x in texts
    ))
