"""The audit's Excel workbook: the plan first, then scores and the evidence behind them, in the audit's language.

Sheets, in order: the Action plan (first, so tools that read only the first
sheet get the plan), Scores, Categories (with native charts), Chains,
Ratings (raw, one row per rating), Shopper visits, Competitors, Channel
economics and About; names, headers and values in the audit's language
(:mod:`audit.sheets`). A very hidden sheet keeps the audit id and the plan as
exported, so the round trip (:mod:`audit.roundtrip`) can tell a person's
edits from changes made in the app meanwhile, and find deleted rows.

Print-ready: every sheet is set up for A4 (landscape where wide), fits one
page wide, repeats its header row on every page, has a print area (the
Action plan prints its first columns: # to "few raters") and a page header
and footer with the audit's name, the export date, the wave, the quadrant
lines and the page number. Rows with wrapped text get a height computed
from their text (:func:`text_lines`), so nothing overprints in LibreOffice.

On the Action plan only Who, Due, Status and Notes are editable (white,
unlocked); every other column is grey, locked (the sheet is protected
without a password: filters still work) and says so in a note on its
header. Status has a dropdown of the audit's words.

Written with xlsxwriter in ``constant_memory`` mode (rows stream to disk, so
100,000 ratings take little memory); openpyxl and LibreOffice read it back.
Every text goes through ``write_string`` (and the workbook is opened with
``strings_to_formulas=False``), so a comment like ``=HYPERLINK(...)`` stays
text.

:func:`build_workbook` returns the bytes (for a download button);
:func:`export_audit` writes a file atomically (temporary file in the same
folder, fsync, ``os.replace``): a crash never leaves half a file behind.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter

from audit.excel import safe_sheet_title
from audit.i18n import t
from audit.model import Action, ActionStatus, AuditData
from audit.plan import propose_plan
from audit.plansync import DataSays, sync_stored_plan
from audit.priority import MIN_RATERS, MONTH_FROM, WEEK_FROM
from audit.scoring import Analysis, analyse
from audit.sheet_table import CHECK_SHEET, SHEET_KEYS, SHEETS, Column, Table, Words, cell_check, clean_text, is_missing, sheet_title
from audit.sheets import PLAN_PRINTED, crosshair_words, ipa_view_words, plan_columns, workbook_sheets

__all__ = ["SHEETS", "build_workbook", "export_audit", "export_report", "text_lines", "write_atomically", "write_workbook"]

EXTRA_DROPDOWN_ROWS = 200  # rows below the plan that still get the status dropdown
LAST_ROW = 1_048_575  # Excel's last row (0-based); a longer sheet ends with a note instead of losing rows silently
LINE_POINTS = 15.0  # one line of 11 pt text
ROW_PADDING = 3.0
MAX_LINES = 30  # a row never grows taller than this (a printed page holds about 35 lines)
CHARS_PER_WIDTH = 1.1  # characters of running text per unit of column width ("0"); measured ~1.2 in LibreOffice, kept lower so text fits
LANDSCAPE_FROM = 95  # printed columns wider than this (in width units) print landscape
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
}
GREY = "#EDEDED"


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell of ``width`` (word wrap, every paragraph at least one line)."""
    per_line = max(4, int(width * CHARS_PER_WIDTH))
    if len(text) <= per_line and "\n" not in text:
        return 1  # most cells: no wrapping to simulate
    return sum(max(1, len(textwrap.wrap(part, per_line, break_long_words=True))) for part in text.split("\n"))


def row_height(lines: int) -> float:
    return min(max(lines, 1), MAX_LINES) * LINE_POINTS + ROW_PADDING


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
        self.header_row: int | None = None
        self.printed = 0

    def header(self, columns: Sequence[Column], *, locked_styles: bool = False, notes: Sequence[str] = ()) -> int:
        """The header row (with a note on every header in ``notes``: constant_memory needs them before the next row)."""
        lines = 1
        for c, col in enumerate(columns):
            fmt = self.formats["header_edit" if col.editable else "header_ro"] if locked_styles else self.formats["header"]
            self.sheet.write_string(self.row, c, clean_text(col.header), fmt)
            if c < len(notes) and notes[c]:
                self.sheet.write_comment(self.row, c, notes[c], {"x_scale": 2.2, "y_scale": 1.4})
            width = col.width if col.width is not None else min(len(col.header) + 2, 40)
            self.widths[c] = max(self.widths.get(c, 0), width)
            lines = max(lines, text_lines(col.header, self.widths[c]))
        self.sheet.set_row(self.row, row_height(lines))
        if self.header_row is None:
            self.header_row = self.row
        self.row += 1
        return self.row - 1

    def text_row(self, values: Sequence[Any], style: str | None = None) -> None:
        fmt = self.formats.get(style) if style else None
        for c, value in enumerate(values):
            if value:
                self.sheet.write_string(self.row, c, clean_text(value), fmt)
        self.row += 1

    def rows(self, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, sample: int = 300, fill_blanks: bool = False,
             on_row: Callable[[int, Sequence[Any]], None] | None = None) -> int:
        """Write ``rows`` under the current row; returns how many were written.

        Rows with text in a wrapped column get a height from their text.
        """
        sheet = self.sheet
        write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
        plan = [(c, col.kind, self.formats.get(col.style) if col.style else None, col.missing) for c, col in enumerate(columns)]
        formulas = {c: col.formula for c, col in enumerate(columns) if col.formula}
        wrapped = [(c, col.width or 20.0) for c, col in enumerate(columns) if col.style and "wrap" in col.style]
        seen = dict.fromkeys(range(len(columns)), 0)
        r = self.row
        count = 0
        for values in rows:
            if r >= LAST_ROW:
                write_string(r, 0, t("xlsx.too_many_rows", self.formats["_lang"], row=LAST_ROW + 1), self.formats["note"])
                r += 1
                break
            for (c, kind, fmt, missing), value in zip(plan, values, strict=False):
                if c in formulas:  # a template of ours over this row's cells, never user text
                    cached = value if isinstance(value, (int, float)) and not is_missing(value) else ""
                    sheet.write_formula(r, c, "=" + formulas[c].format(row=r + 1), fmt, cached)
                    continue
                if value is None or value == "" or value != value or (kind != "text" and is_missing(value)):
                    if missing:
                        write_string(r, c, missing, fmt)
                    elif fill_blanks and fmt is not None:
                        sheet.write_blank(r, c, None, fmt)  # keeps the grey/white of the column on the plan
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
            if wrapped:
                lines = max((text_lines(str(values[c]), width) for c, width in wrapped
                             if c < len(values) and isinstance(values[c], str) and values[c]), default=1)
                sheet.set_row(r, row_height(lines))
            if on_row is not None:
                on_row(r, values)
            r += 1
            count += 1
        self.row = r
        for c, col in enumerate(columns):
            width = col.width if col.width is not None else min(max(seen[c] + 2, 8), 50)
            self.widths[c] = max(self.widths.get(c, 0), width)
        return count

    def table(self, table: Table, *, autofilter: bool = True, freeze: tuple[int, int] | None = (1, 0),
              locked_styles: bool = False, notes: Sequence[str] = (),
              on_row: Callable[[int, Sequence[Any]], None] | None = None) -> tuple[int, int]:
        """Header + rows (or the ``empty`` message); returns (header row, last row)."""
        top = self.header(table.columns, locked_styles=locked_styles, notes=notes)
        written = self.rows(table.columns, table.rows, fill_blanks=locked_styles, on_row=on_row)
        if not written and table.empty:
            self.sheet.write_string(self.row, 0, table.empty, self.formats["note"])
            self.row += 1
        last = max(self.row - 1, top)
        if autofilter and written:
            self.sheet.autofilter(top, 0, last, len(table.columns) - 1)
        if freeze:
            self.sheet.freeze_panes(*freeze)
        self.printed = max(self.printed, table.printed or len(table.columns))
        return top, last

    def finish(self, page: PageSetup) -> None:
        for c, width in self.widths.items():
            self.sheet.set_column(c, c, width)
        page.apply(self)


class PageSetup:
    """A4, one page wide, header row repeated, print area, and a header/footer naming the audit, date, wave and lines."""

    def __init__(self, analysis: Analysis) -> None:
        data = analysis.data
        lang = data.audit.language
        name = " ".join(data.audit.name.split())[:60].replace("&", "&&")
        date = analysis.computed_at.strftime("%d.%m.%Y" if t("xlsx.format.date", lang).startswith("dd") else "%Y-%m-%d")
        view = (f"{t('xlsx.header_wave', lang, wave=data.audit.wave)} · {ipa_view_words(analysis, lang)} · "
                f"{crosshair_words(analysis, lang)}").replace("&", "&&")
        self.header = f"&L&8 {name}&C&8 &A&R&8 {date} · {view}"[:250]
        self.footer = f"&C&8 {t('xlsx.page', lang)}"

    def apply(self, sheet: SheetWriter) -> None:
        ws = sheet.sheet
        printed = max(sheet.printed, 1)
        width = sum(sheet.widths.get(c, 8.43) for c in range(printed))
        ws.set_paper(9)  # A4
        if width > LANDSCAPE_FROM:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
        ws.set_header(self.header, {"margin": 0.3})
        ws.set_footer(self.footer, {"margin": 0.3})
        if sheet.header_row is not None:
            ws.repeat_rows(sheet.header_row)
        ws.print_area(0, 0, max(sheet.row - 1, 0), printed - 1)


def _formats(book: xlsxwriter.Workbook, lang: str) -> dict[str, Any]:
    add = book.add_format
    date, datetime = t("xlsx.format.date", lang), t("xlsx.format.datetime", lang)
    ro = {"bg_color": GREY, "locked": True, "valign": "top"}
    edit = {"locked": False, "valign": "top"}
    return {
        "_lang": lang,
        "header": add({"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True, "valign": "top"}),
        "header_ro": add({"bold": True, "bg_color": "#D0D0D0", "bottom": 1, "text_wrap": True, "valign": "top"}),
        "header_edit": add({"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True, "valign": "top"}),
        "wrap": add({"text_wrap": True, "valign": "top"}),
        "bold_wrap": add({"bold": True, "text_wrap": True, "valign": "top"}),
        "top": add({"valign": "top"}),
        "wrap_ro": add({**ro, "text_wrap": True}),
        "top_ro": add(ro),
        "int_ro": add({**ro, "num_format": "0"}),
        "d1_ro": add({**ro, "num_format": "0.0"}),
        "wrap_edit": add({**edit, "text_wrap": True}),
        "date_edit": add({**edit, "num_format": date}),
        "date": add({"num_format": date, "valign": "top"}),
        "datetime": add({"num_format": datetime, "valign": "top"}),
        "d1": add({"num_format": "0.0", "valign": "top"}),
        "d2": add({"num_format": "0.00", "valign": "top"}),
        "signed": add({"num_format": "+0.00;-0.00;0.00", "valign": "top"}),
        "pct": add({"num_format": "0%", "valign": "top"}),
        "money": add({"num_format": "#,##0.00", "valign": "top"}),
        "int": add({"num_format": "0", "valign": "top"}),
        "title": add({"bold": True, "font_size": 14}),
        "bold": add({"bold": True}),
        "note": add({"italic": True, "font_color": "#595959"}),
        "red": add({"bg_color": "#F8CBAD", "font_color": "#833C0B"}),
        "amber": add({"bg_color": "#FFE699", "font_color": "#7F6000"}),
        "green": add({"bg_color": "#C6EFCE", "font_color": "#375623"}),
    }


# ------------------------------------------------------------------ the workbook


def write_workbook(target: str | BinaryIO, analysis: Analysis, actions: Sequence[Action],
                   says: Mapping[int, DataSays] | None = None) -> None:
    """Write every sheet of the workbook to ``target`` (a path or a binary file object)."""
    data = analysis.data
    lang = data.audit.language
    book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    try:
        book.set_properties({"title": f"{t('app.title', lang)}: {data.audit.name}", "subject": t("app.title", lang),
                             "comments": f"audit id {data.audit.id}"})
        book.set_custom_property("audit_id", data.audit.id)
        fmt = _formats(book, lang)
        page = PageSetup(analysis)
        taken: list[str] = []
        exported: list[tuple[Sequence[Any], Sequence[Column]]] = []
        for key, (title, blocks) in zip(SHEET_KEYS, workbook_sheets(analysis, actions, says), strict=True):
            sheet = SheetWriter(book, title, fmt, taken)
            if key == "plan":
                _write_plan(book, sheet, blocks[0], analysis, exported)
            else:
                _write_blocks(book, sheet, blocks, analysis, key)
            sheet.finish(page)
        _write_check(book, sheet_title(CHECK_SHEET, lang), taken, data, exported)
    finally:
        book.close()


def _write_blocks(book: Any, sheet: SheetWriter, blocks: list[Table], analysis: Analysis, key: str) -> None:
    spans = []
    for i, block in enumerate(blocks):
        if i:
            sheet.row += 1
        if block.title:
            sheet.text_row([block.title], "bold")
        if key == "about":
            spans.append(_write_about(sheet, block))
            continue
        freeze = None if i else ((1, 1) if key == "scores" else (1, 0))
        spans.append(sheet.table(block, autofilter=len(blocks) == 1, freeze=freeze))
    if key == "scores" and spans[0][1] > spans[0][0]:
        _decorate_scores(sheet, spans[0])
    elif key == "categories":
        _decorate_categories(book, sheet, blocks, spans, analysis)


def _write_about(sheet: SheetWriter, block: Table) -> tuple[int, int]:
    """The About sheet: label and value, numbers and dates as numbers and dates."""
    top = sheet.header(block.columns)
    styles = list(block.meta.get("styles", []))
    width = block.columns[1].width or 100
    for i, (label, value) in enumerate(block.rows):
        style = styles[i] if i < len(styles) else ""
        r = sheet.row
        if label:
            sheet.sheet.write_string(r, 0, clean_text(label), sheet.formats["bold" if style == "bold" else "bold_wrap"])
        lines = 1
        if isinstance(value, (dt.date, dt.datetime)):
            sheet.sheet.write_datetime(r, 1, value, sheet.formats["datetime"])
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.sheet.write_number(r, 1, value, sheet.formats["int"])
        elif value not in (None, ""):
            sheet.sheet.write_string(r, 1, clean_text(value), sheet.formats["wrap"])
            lines = text_lines(str(value), width)
        sheet.sheet.set_row(r, row_height(max(lines, text_lines(str(label or ""), block.columns[0].width or 28))))
        sheet.row += 1
    sheet.printed = 2
    return top, sheet.row - 1


def _write_plan(book: Any, sheet: SheetWriter, table: Table, analysis: Analysis,
                exported: list[tuple[Sequence[Any], Sequence[Column]]]) -> None:
    """The Action plan: editable columns white and unlocked, the rest grey and locked with a note; status dropdown."""
    lang = analysis.data.audit.language
    columns = list(table.columns)
    choices = list(Words(lang).status.values())
    notes = [
        t("xlsx.note_status", lang, choices=", ".join(choices)) if col.field == "status"
        else t("xlsx.note_editable", lang) if col.editable
        else t("xlsx.note_few_raters", lang, minimum=MIN_RATERS) + " " + t("xlsx.note_read_only", lang) if c == PLAN_PRINTED - 1
        else t("xlsx.note_read_only", lang)
        for c, col in enumerate(columns)
    ]
    top, last = sheet.table(table, freeze=(1, 3), locked_styles=True, notes=notes,
                            on_row=lambda _r, values: exported.append((values, columns)))
    fields = [c.field for c in columns]
    status_col, priority_col = fields.index("status"), 1
    sheet.sheet.data_validation(
        top + 1, status_col, max(last, top + 1) + EXTRA_DROPDOWN_ROWS, status_col,
        {"validate": "list", "source": choices, "error_title": t("xlsx.col.status", lang),
         "error_message": t("xlsx.status_error", lang, choices=", ".join(choices))[:255]},
    )
    fmt = sheet.formats
    if last > top and exported:
        rng = (top + 1, priority_col, last, priority_col)
        sheet.sheet.conditional_format(*rng, {"type": "cell", "criteria": ">=", "value": WEEK_FROM, "format": fmt["red"]})
        sheet.sheet.conditional_format(*rng, {"type": "cell", "criteria": ">=", "value": MONTH_FROM, "format": fmt["amber"]})
        sheet.sheet.conditional_format(*rng, {"type": "cell", "criteria": "<", "value": MONTH_FROM, "format": fmt["green"]})
    sheet.sheet.hide_gridlines(0)
    sheet.sheet.protect("", {"autofilter": True, "sort": False, "format_columns": True, "format_rows": True,
                             "select_locked_cells": True, "select_unlocked_cells": True})


def _write_check(book: Any, title: str, taken: list[str], data: AuditData,
                 exported: list[tuple[Sequence[Any], Sequence[Column]]]) -> None:
    """The very hidden sheet: the audit id, and per exported action its editable values and read-only cell fingerprints."""
    name = safe_sheet_title(title, taken)
    ws = book.add_worksheet(name)
    columns = plan_columns(Words(data.audit.language))
    keys = list(enumerate(columns))
    ro = [(c, _column_key(col, c)) for c, col in keys if not col.editable and col.field not in ("action_id", "touchpoint_id")]
    ws.write_string(0, 0, "audit_id")
    ws.write_string(0, 1, data.audit.id)
    ws.write_string(0, 2, "language")
    ws.write_string(0, 3, data.audit.language)
    header = ["action_id", "touchpoint_id", "status", "owner", "due", "notes"] + [key for _, key in ro]
    for c, value in enumerate(header):
        ws.write_string(1, c, value)
    field_at = {col.field: c for c, col in keys if col.field}
    for r, (values, _) in enumerate(exported, start=2):
        action_id = values[field_at["action_id"]]
        if action_id is None:
            continue
        due = values[field_at["due"]]
        row = [float(action_id), values[field_at["touchpoint_id"]], _status_value(values[field_at["status"]], data.audit.language),
               values[field_at["owner"]] or "", due.isoformat() if isinstance(due, dt.date) else "", values[field_at["notes"]] or ""]
        row += [cell_check(values[c]) for c, _ in ro]
        for c, value in enumerate(row):
            if isinstance(value, float):
                ws.write_number(r, c, value)
            elif value:
                ws.write_string(r, c, clean_text(value))
    ws.very_hidden()


def _column_key(col: Column, index: int) -> str:
    return col.field or f"col{index}"


def _status_value(label: Any, lang: str) -> str:
    words = Words(lang).status
    return next((value for value, word in words.items() if word == label), ActionStatus.TODO.value)


def _decorate_scores(sheet: SheetWriter, span: tuple[int, int]) -> None:
    (top, last), fmt = span, sheet.formats
    p, perf = 7, 5  # the priority and performance columns of the Scores sheet
    sheet.sheet.conditional_format(top + 1, p, last, p, {"type": "cell", "criteria": ">=", "value": WEEK_FROM, "format": fmt["red"]})
    sheet.sheet.conditional_format(top + 1, p, last, p, {"type": "cell", "criteria": ">=", "value": MONTH_FROM, "format": fmt["amber"]})
    sheet.sheet.conditional_format(top + 1, perf, last, perf, {
        "type": "3_color_scale", "min_type": "num", "min_value": -1, "mid_type": "num", "mid_value": 0,
        "max_type": "num", "max_value": 1, "min_color": "#F8696B", "mid_color": "#FFFFFF", "max_color": "#63BE7B",
    })


def _decorate_categories(book: Any, sheet: SheetWriter, blocks: list[Table], spans: list[tuple[int, int]], analysis: Analysis) -> None:
    top, last = spans[0]
    lang = analysis.data.audit.language
    if not analysis.rated:
        sheet.row += 1
        sheet.text_row([t("xlsx.charts_not_rated", lang)], "note")
        return
    if last <= top:
        return
    name = sheet.name
    charts = ((3, t("xlsx.chart_importance", lang), {"min": 0, "max": 10}, "#4472C4"),
              (4, t("xlsx.chart_performance", lang), {"min": -1, "max": 1}, "#70AD47"))
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

    The plan is the audit's stored plan, first brought in line with this
    analysis (:func:`audit.plansync.sync_stored_plan`: untouched suggestions
    follow the crosshair and the ratings, a person's rows stay, flagged), so
    the plan, the Scores sheet and the About sheet tell the same story and
    the ``action id`` column matches an edited workbook back. Without
    ``save_plan`` the suggested plan is written and nothing is stored.
    """
    analysis = analyse(store.load(audit_id), crosshair)
    if save_plan:
        view = sync_stored_plan(store, audit_id, analysis, today=today)
        actions, says = list(view.actions), dict(view.says)
    else:
        actions, says = propose_plan(analysis, today=today), {}
    return write_atomically(path, lambda handle: write_workbook(handle, analysis, actions, says))


def export_report(
    store: Any, audit_id: str, path: str | os.PathLike[str], crosshair: Any = "mean", *, today: dt.date | None = None,
) -> Path:
    """Write the audit's PDF report to ``path`` atomically, from the same synced plan as :func:`export_audit`."""
    from audit.report import build_report

    analysis = analyse(store.load(audit_id), crosshair)
    view = sync_stored_plan(store, audit_id, analysis, today=today)
    pdf = build_report(analysis, view.actions, view.says)

    def write(handle: BinaryIO) -> None:
        handle.write(pdf)

    return write_atomically(path, write)
