"""The audit's Excel workbook: the plan first, then scores and the evidence behind them.

Sheets, in order: ``Action plan`` (first, so tools that read only the first
sheet get the plan), ``Scores``, ``Categories`` (with native charts),
``Chains``, ``Ratings`` (raw, one row per rating), ``Shopper visits``,
``Competitors``, ``Channel economics`` and ``About``.

Written with xlsxwriter in ``constant_memory`` mode (rows stream to disk, so
100,000 ratings take little memory); openpyxl and LibreOffice read it back.
Every text goes through ``write_string`` (and the workbook is opened with
``strings_to_formulas=False``), so a comment like ``=HYPERLINK(...)`` stays
text. A missing number is a blank cell or "not rated yet", never NaN.

:func:`build_workbook` returns the bytes (for a download button);
:func:`export_audit` writes a file atomically (temporary file in the same
folder, fsync, ``os.replace``): a crash never leaves half a file behind.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Sequence

import xlsxwriter

from audit.excel import safe_sheet_title
from audit.model import Action, ActionStatus, AuditData
from audit.plan import propose_plan
from audit.priority import MONTH_FROM, WEEK_FROM
from audit.scoring import Analysis, analyse
from audit.sheets import SHEETS, Column, Table, clean_text, is_missing, workbook_sheets

__all__ = ["SHEETS", "build_workbook", "export_audit", "write_atomically", "write_workbook"]

STATUSES = [s.value for s in ActionStatus]
EXTRA_DROPDOWN_ROWS = 200  # rows below the plan that still get the status dropdown
LAST_ROW = 1_048_575  # Excel's last row (0-based); a longer sheet ends with a note instead of losing rows silently
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
}


# ------------------------------------------------------------------ writing cells


class SheetWriter:
    """Streams rows into one xlsxwriter worksheet (row by row, as constant_memory needs)."""

    def __init__(self, book: xlsxwriter.Workbook, title: str, formats: dict[str, Any], taken: list[str]) -> None:
        name = safe_sheet_title(title, taken)
        taken.append(name)
        self.sheet = book.add_worksheet(name)
        self.name = name
        self.formats = formats
        self.row = 0
        self.widths: dict[int, float] = {}

    def header(self, columns: Sequence[Column]) -> int:
        fmt = self.formats["header"]
        for c, col in enumerate(columns):
            self.sheet.write_string(self.row, c, clean_text(col.header), fmt)
            self.widths[c] = max(self.widths.get(c, 0), min(len(col.header) + 2, 40))
        self.row += 1
        return self.row - 1

    def text_row(self, values: Sequence[str], style: str | None = None) -> None:
        fmt = self.formats.get(style) if style else None
        for c, value in enumerate(values):
            if value:
                self.sheet.write_string(self.row, c, clean_text(value), fmt)
        self.row += 1

    def rows(self, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, sample: int = 300) -> int:
        """Write ``rows`` under the current row; returns how many were written."""
        sheet = self.sheet
        write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
        plan = [(c, col.kind, self.formats.get(col.style) if col.style else None, col.missing) for c, col in enumerate(columns)]
        seen = {c: 0 for c in range(len(columns))}
        r = self.row
        count = 0
        for values in rows:
            if r >= LAST_ROW:
                write_string(r, 0, f"... more rows than Excel can show: this sheet stops at row {LAST_ROW + 1}.", self.formats["note"])
                r += 1
                break
            for (c, kind, fmt, missing), value in zip(plan, values):
                if value is None or value == "" or value != value or (kind != "text" and is_missing(value)):
                    if missing:
                        write_string(r, c, missing, fmt)
                    continue
                if kind == "text":
                    # xlsxwriter escapes control characters itself (_xHHHH_), so text is written as it is
                    text = value if isinstance(value, str) else str(value)
                    write_string(r, c, text, fmt)
                    if count < sample:
                        seen[c] = max(seen[c], max(len(part) for part in text.split("\n")))
                elif kind == "number":
                    write_number(r, c, value, fmt)
                    if count < sample:
                        seen[c] = max(seen[c], 8)
                else:
                    write_datetime(r, c, value, fmt)
                    if count < sample:
                        seen[c] = max(seen[c], 16 if kind == "datetime" else 10)
            r += 1
            count += 1
        self.row = r
        for c, col in enumerate(columns):
            width = col.width if col.width is not None else min(max(seen[c] + 2, 8), 50)
            self.widths[c] = max(self.widths.get(c, 0), width)
        return count

    def table(self, table: Table, *, autofilter: bool = True, freeze: tuple[int, int] | None = (1, 0)) -> tuple[int, int]:
        """Header + rows (or the ``empty`` message); returns (header row, last row)."""
        top = self.header(table.columns)
        written = self.rows(table.columns, table.rows)
        if not written and table.empty:
            self.sheet.write_string(self.row, 0, table.empty, self.formats["note"])
            self.row += 1
        last = max(self.row - 1, top)
        if autofilter and written:
            self.sheet.autofilter(top, 0, last, len(table.columns) - 1)
        if freeze:
            self.sheet.freeze_panes(*freeze)
        return top, last

    def finish(self) -> None:
        for c, width in self.widths.items():
            self.sheet.set_column(c, c, width)


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    add = book.add_format
    return {
        "header": add({"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True, "valign": "top"}),
        "wrap": add({"text_wrap": True, "valign": "top"}),
        "top": add({"valign": "top"}),
        "date": add({"num_format": "yyyy-mm-dd", "valign": "top"}),
        "datetime": add({"num_format": "yyyy-mm-dd hh:mm"}),
        "d1": add({"num_format": "0.0", "valign": "top"}),
        "d2": add({"num_format": "0.00"}),
        "signed": add({"num_format": "+0.00;-0.00;0.00"}),
        "pct": add({"num_format": "0%"}),
        "money": add({"num_format": "#,##0.00"}),
        "int": add({"num_format": "0"}),
        "title": add({"bold": True, "font_size": 14}),
        "bold": add({"bold": True}),
        "note": add({"italic": True, "font_color": "#595959"}),
        "red": add({"bg_color": "#F8CBAD", "font_color": "#833C0B"}),
        "amber": add({"bg_color": "#FFE699", "font_color": "#7F6000"}),
        "green": add({"bg_color": "#C6EFCE", "font_color": "#375623"}),
    }


# ------------------------------------------------------------------ the workbook


def write_workbook(target: str | BinaryIO, analysis: Analysis, actions: Sequence[Action]) -> None:
    """Write every sheet of the workbook to ``target`` (a path or a binary file object)."""
    data = analysis.data
    book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    try:
        book.set_properties({"title": f"Touchpoint audit: {data.audit.name}", "subject": "Touchpoint audit",
                             "comments": f"audit id {data.audit.id}"})
        book.set_custom_property("audit_id", data.audit.id)
        fmt = _formats(book)
        taken: list[str] = []
        decorate = {"Action plan": _decorate_plan, "Scores": _decorate_scores, "Categories": _decorate_categories}
        for title, blocks in workbook_sheets(analysis, actions):
            sheet = SheetWriter(book, title, fmt, taken)
            spans = []
            for i, block in enumerate(blocks):
                if i:
                    sheet.row += 1
                if block.title:
                    sheet.text_row([block.title], "bold")
                spans.append(sheet.table(block, autofilter=len(blocks) == 1 and title != "About",
                                         freeze=None if i or title == "About" else ((1, 2) if title == "Scores" else (1, 0))))
            if title in decorate:
                decorate[title](book, sheet, blocks, spans, analysis, actions)
            sheet.finish()
    finally:
        book.close()


def _decorate_plan(book: Any, sheet: SheetWriter, blocks: list[Table], spans: list[tuple[int, int]], analysis: Analysis,
                   actions: Sequence[Action]) -> None:
    (top, last), fmt = spans[0], sheet.formats
    headers = [c.header for c in blocks[0].columns]
    status_col, priority_col = headers.index("status"), headers.index("priority")
    sheet.sheet.data_validation(
        top + 1, status_col, max(last, top + 1) + EXTRA_DROPDOWN_ROWS, status_col,
        {"validate": "list", "source": STATUSES, "error_title": "Status", "error_message": "Choose todo, in progress or done."},
    )
    if actions:
        rng = (top + 1, priority_col, last, priority_col)
        sheet.sheet.conditional_format(*rng, {"type": "cell", "criteria": ">=", "value": WEEK_FROM, "format": fmt["red"]})
        sheet.sheet.conditional_format(*rng, {"type": "cell", "criteria": ">=", "value": MONTH_FROM, "format": fmt["amber"]})
        sheet.sheet.conditional_format(*rng, {"type": "cell", "criteria": "<", "value": MONTH_FROM, "format": fmt["green"]})


def _decorate_scores(book: Any, sheet: SheetWriter, blocks: list[Table], spans: list[tuple[int, int]], analysis: Analysis,
                     actions: Sequence[Action]) -> None:
    (top, last), fmt = spans[0], sheet.formats
    if last <= top:
        return
    headers = [c.header for c in blocks[0].columns]
    p = headers.index("priority (0-100)")
    sheet.sheet.conditional_format(top + 1, p, last, p, {"type": "cell", "criteria": ">=", "value": WEEK_FROM, "format": fmt["red"]})
    sheet.sheet.conditional_format(top + 1, p, last, p, {"type": "cell", "criteria": ">=", "value": MONTH_FROM, "format": fmt["amber"]})
    perf = headers.index("performance (-1..+1)")
    sheet.sheet.conditional_format(top + 1, perf, last, perf, {
        "type": "3_color_scale", "min_type": "num", "min_value": -1, "mid_type": "num", "mid_value": 0,
        "max_type": "num", "max_value": 1, "min_color": "#F8696B", "mid_color": "#FFFFFF", "max_color": "#63BE7B",
    })


def _decorate_categories(book: Any, sheet: SheetWriter, blocks: list[Table], spans: list[tuple[int, int]], analysis: Analysis,
                         actions: Sequence[Action]) -> None:
    top, last = spans[0]
    if not analysis.rated:
        sheet.row += 1
        sheet.text_row(["Not rated yet: the charts appear once the team has rated touchpoints."], "note")
        return
    if last <= top:
        return
    name = sheet.name
    charts = ((3, "Mean importance by category", {"min": 0, "max": 10}, "#4472C4"),
              (4, "Mean performance by category", {"min": -1, "max": 1}, "#70AD47"))
    for position, (col, title, axis, colour) in enumerate(charts):
        chart = book.add_chart({"type": "bar"})
        chart.add_series({
            "name": title, "categories": [name, top + 1, 0, last, 0], "values": [name, top + 1, col, last, col],
            "fill": {"color": colour},
        })
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        chart.set_x_axis(axis)
        chart.set_size({"width": 520, "height": 260})
        sheet.sheet.insert_chart(1 + position * 14, len(blocks[0].columns) + 1, chart)


def build_workbook(
    data: AuditData,
    *,
    crosshair: Any = "mean",
    actions: Sequence[Action] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The workbook as bytes. Without ``actions`` the suggested plan is used."""
    analysis = analyse(data, crosshair)
    plan = propose_plan(analysis, today=today) if actions is None else list(actions)
    out = io.BytesIO()
    write_workbook(out, analysis, plan)
    return out.getvalue()


def _umask() -> int:
    with suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Write a file so that ``path`` holds either the old or the complete new content.

    The content goes to a temporary file in the same folder, is flushed and
    fsynced, then renamed over ``path`` with ``os.replace``. On any error
    the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w+b") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return target


def export_audit(
    store: Any,
    audit_id: str,
    path: str | os.PathLike[str],
    crosshair: Any = "mean",
    *,
    save_plan: bool = True,
    today: dt.date | None = None,
) -> Path:
    """Write the audit's workbook to ``path`` atomically; returns the path.

    The plan is the audit's stored plan. When none is stored yet, the
    suggested plan is proposed and, with ``save_plan`` (default), stored first
    so its ``action_id`` column can match an edited workbook back.
    """
    data = store.load(audit_id)
    analysis = analyse(data, crosshair)
    actions = list(store.actions(audit_id))
    if not actions:
        actions = propose_plan(analysis, today=today)
        if actions and save_plan:
            actions = store.replace_actions(audit_id, actions)
    return write_atomically(path, lambda handle: write_workbook(handle, analysis, actions))
