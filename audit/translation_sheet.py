"""One language's texts as a spreadsheet a translator edits, and back into its ``.po`` file.

:func:`export_language` writes one sheet: a row per message key, in the
English file's order, with the English text, the language's text, a status
(``missing``, ``English left``, ``may stay English``, ``needs review`` for a
fuzzy entry, else ``translated``) and the translator's notes (the ``#``
comments of the language file). Every text is written as a text cell, so a
text that starts with ``=`` never becomes a formula.

:func:`import_language` reads such a sheet back through the upload budgets
of :mod:`audit.xlsxlimits` (size, parts, rows, columns), plus its own (file
size, text length), and applies the completeness test's checks
(:func:`audit.locale_files.language_problems`): every English key present
once, no unknown key, the same placeholders, icons and Markdown as English,
and no English left unless the text may stay English. Any problem refuses
the whole file with the rows named; otherwise the ``.po`` file is written in
one atomic step, in the same form as ``python -m audit i18n add`` writes it,
so exporting and importing an unchanged sheet gives back the same bytes.

The languages are the folders under ``audit/locales``: a new language needs
no code, only its folder (or a first import, which creates the file).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from audit.excel import set_cell
from audit.i18n import LOCALES, po_path, read_translations
from audit.locale_files import (
    SAME_AS_ENGLISH,
    SAME_AS_ENGLISH_KEYS,
    SOURCE,
    language_problems,
    new_catalog,
    po_bytes,
    read_catalog,
    rebuilt,
    untranslated,
    write_files,
)
from audit.xlsxlimits import MB, WorkbookRefused, open_workbook

MAX_FILE_BYTES = 10 * MB  # a sheet of ~1,100 keys is ~100 KB; anything near this is not a translation
MAX_TEXT_CHARS = 5_000  # the longest English text is ~400 characters
MAX_EXTRA_ROWS = 200  # rows beyond the number of keys (blank lines a translator leaves) before refusing
MAX_PROBLEMS_SHOWN = 25
COLUMNS = 5  # key, English, the language, status, notes
SHEET_TITLE = "Translation"

STATUS_TRANSLATED = "translated"
STATUS_MISSING = "missing"
STATUS_ENGLISH = "English left"
STATUS_MAY_STAY = "may stay English"
STATUS_REVIEW = "needs review"


class TranslationSheetError(ValueError):
    """A sheet or language that is refused; the message names the rows, the limit or the language."""


@dataclass(frozen=True)
class Imported:
    """What an import wrote: the file, its language, and how many texts changed."""

    path: Path
    language: str
    keys: int
    changed: int


def check_language_code(language: str) -> str:
    """``pl``, ``pt_BR``: a locale code Babel knows; anything else (``../x``) is refused."""
    if not re.fullmatch(r"[a-z]{2,3}(_[A-Z][a-zA-Z]{1,3})?", language or ""):
        raise TranslationSheetError(f"language {language!r}: use a locale code such as pl or pt_BR")
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        raise TranslationSheetError(f"language {language!r}: not a locale code Babel knows") from None
    return language


def present_languages(locales: Path = LOCALES) -> list[str]:
    """The languages that have a file under ``locales`` (English first, then by code)."""
    found = sorted(p.parent.parent.name for p in locales.glob("*/LC_MESSAGES/messages.po"))
    return sorted(found, key=lambda code: (code != SOURCE, code))


def language_name(language: str, in_language: str | None = None) -> str:
    """``Polski`` (or ``Polish`` with ``in_language="en"``) for ``pl``; the code if Babel has no name."""
    try:
        name = Locale.parse(language).get_display_name(in_language or language)
    except (UnknownLocaleError, ValueError):
        name = None
    return str(name or language)


def _header(language: str) -> list[str]:
    return ["key", f"English ({SOURCE})", f"{language_name(language)} ({language})", "status", "notes"]


def _status(key: str, english: str, message: Message | None) -> str:
    text = str(message.string) if message is not None and isinstance(message.string, str) else ""
    if not text.strip():
        return STATUS_MISSING
    if message is not None and message.fuzzy:
        return STATUS_REVIEW
    if untranslated(key, english, text):
        return STATUS_ENGLISH
    if text == english and (text in SAME_AS_ENGLISH or key.startswith(SAME_AS_ENGLISH_KEYS)):
        return STATUS_MAY_STAY
    return STATUS_TRANSLATED


def _language_catalog(language: str, locales: Path) -> Catalog:
    path = po_path(language, locales)
    return read_catalog(path) if path.is_file() else new_catalog(language, language_name(language, SOURCE))


def export_language(language: str, locales: Path = LOCALES) -> bytes:
    """The ``.xlsx`` bytes of ``language``'s sheet (a language without a file yet gives every row as missing)."""
    check_language_code(language)
    if language == SOURCE:
        raise TranslationSheetError(f"{SOURCE} is the source language: change its texts with python -m audit i18n add --replace")
    english = read_translations(po_path(SOURCE, locales))
    catalog = _language_catalog(language, locales)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    for col, title in enumerate(_header(language), start=1):
        set_cell(sheet.cell(1, col), title).font = Font(bold=True)
    for row, (key, source) in enumerate(english.items(), start=2):
        message = catalog.get(key)
        text = str(message.string) if message is not None and isinstance(message.string, str) else ""
        notes = "\n".join(message.user_comments) if message is not None else ""
        for col, value in enumerate((key, source, text, _status(key, source, message), notes), start=1):
            set_cell(sheet.cell(row, col), value or None).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (34, 60, 60, 16, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:E{sheet.max_row}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(cell: Any, row: int, column: str) -> str:
    """A cell as text; a formula or an over-long text is refused (numbers a spreadsheet made of digits come back as digits)."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f":
        raise TranslationSheetError(f"row {row}, column {column}: a formula ({str(value)[:40]!r}); type the text "
                                    "with a leading apostrophe so the spreadsheet keeps it as text")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_TEXT_CHARS:
        raise TranslationSheetError(f"row {row}, column {column}: {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    return text.replace("\r\n", "\n")


def _sheet_language(header: Sequence[str], language: str | None) -> str:
    """The language the sheet's third column is for, checked against ``--lang``."""
    found = re.search(r"\(([A-Za-z_]+)\)\s*$", header[2] if len(header) > 2 else "")
    if [h.strip().lower() for h in header[:2]] != ["key", f"english ({SOURCE})"] or found is None:
        raise TranslationSheetError(
            "row 1: not a translation sheet (expected the columns key, English (en), <language> (<code>), status, notes; "
            "export one with python -m audit i18n export)"
        )
    sheet_language = found.group(1)
    if language is not None and language != sheet_language:
        raise TranslationSheetError(f"row 1: the sheet is for {sheet_language!r}, not {language!r}")
    return check_language_code(sheet_language)


def _read_rows(data: bytes, max_rows: int) -> list[list[Any]]:
    """Every row's first five cells (as cells, so formulas can be told from text), within the budgets."""
    try:
        book = open_workbook(data, max_rows=max_rows, data_only=False)
    except WorkbookRefused as err:
        raise TranslationSheetError(f"the file is refused: {err}") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise TranslationSheetError("the workbook has no sheet")
        return [list(row) for row in sheet.iter_rows(min_col=1, max_col=COLUMNS)]
    except WorkbookRefused as err:
        raise TranslationSheetError(f"the file is refused: {err}") from None
    finally:
        book.close()


@dataclass(frozen=True)
class _Row:
    number: int
    key: str
    text: str
    notes: str


def _sheet_rows(rows: Sequence[Sequence[Any]]) -> list[_Row]:
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        cells = [*cells, *[None] * COLUMNS][:COLUMNS]
        key = _cell_text(cells[0], number, "key").strip()
        text, notes = _cell_text(cells[2], number, "text"), _cell_text(cells[4], number, "notes")
        if key or text.strip():
            out.append(_Row(number, key, text, notes))
    return out


def _problems(rows: Sequence[_Row], english: Mapping[str, str]) -> list[str]:
    """Every problem of the sheet, each naming its row: the completeness test's checks plus duplicates and blank keys."""
    where: dict[str, int] = {}
    problems = []
    for row in rows:
        if not row.key:
            problems.append(f"row {row.number}: a text without a key")
        elif row.key in where:
            problems.append(f"row {row.number} ({row.key}): the key is also in row {where[row.key]}")
        else:
            where[row.key] = row.number
    texts = {row.key: row.text for row in rows if row.key and where.get(row.key) == row.number}
    for problem in language_problems(english, texts):
        key, _, detail = problem.partition(": ")
        label = f"row {where[key]} ({key})" if key in where else f"key {key} (no row)"
        problems.append(f"{label}: {detail}")
    return problems


def _catalog(language: str, rows: Sequence[_Row], english: Mapping[str, str], locales: Path) -> tuple[Catalog, int]:
    """The language's catalog with the sheet's texts, in the English order; how many texts changed."""
    old = _language_catalog(language, locales)
    by_key = {row.key: row for row in rows}
    messages, changed = [], 0
    for key, source in english.items():
        row, before = by_key[key], old.get(key)
        same = before is not None and before.string == row.text
        changed += not same
        comments = list(before.auto_comments) if before is not None and " ".join(before.auto_comments).split() == source.split() else [source]
        flags = set(before.flags) if same and before is not None else set()
        notes = row.notes.splitlines() if row.notes.strip() else []
        messages.append(Message(key, row.text, auto_comments=comments, user_comments=notes, flags=flags))
    return rebuilt(old, messages), changed


def import_language(data: bytes, language: str | None = None, locales: Path = LOCALES) -> Imported:
    """Check the sheet ``data`` and write its language's ``.po`` file; refuses the whole file on any problem."""
    if len(data) > MAX_FILE_BYTES:
        raise TranslationSheetError(f"the file is {len(data) / MB:,.1f} MB; the limit is {MAX_FILE_BYTES // MB} MB")
    english = read_translations(po_path(SOURCE, locales))
    rows = _read_rows(data, max_rows=len(english) + 1 + MAX_EXTRA_ROWS)
    if not rows:
        raise TranslationSheetError("row 1: the sheet is empty")
    lang = _sheet_language([_cell_text(c, 1, "header") for c in rows[0][:3]], language)
    if lang == SOURCE:
        raise TranslationSheetError(f"row 1: {SOURCE} is the source language and is not imported from a sheet")
    sheet_rows = _sheet_rows(rows)
    problems = _problems(sheet_rows, english)
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = f"\n... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        raise TranslationSheetError(f"nothing was written; {len(problems)} problem(s):\n" + "\n".join(shown) + more)
    catalog, changed = _catalog(lang, sheet_rows, english, locales)
    path = po_path(lang, locales)
    write_files({path: po_bytes(catalog)})
    return Imported(path=path, language=lang, keys=len(english), changed=changed)
