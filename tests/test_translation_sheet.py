"""``python -m audit i18n export/import``: a language as a spreadsheet a translator edits, checked on the way back.

Real files throughout: a copy of the language files, workbooks written and
read with openpyxl (and once saved again by LibreOffice, as a translator's
spreadsheet program would), the command line in a real process for the
hostile file.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import office
import pytest
from openpyxl import Workbook, load_workbook

from audit.cli import main
from audit.excel import set_cell
from audit.i18n import LOCALES, po_path, read_translations
from audit.locale_files import language_problems
from audit.translation_sheet import (
    MAX_EXTRA_ROWS,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    TranslationSheetError,
    export_language,
    import_language,
    present_languages,
)
from tests.hostile.files import million_rows, shared_strings_bomb

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [lang for lang in present_languages() if lang != "en"]


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the real language files (every language folder present) to change."""
    target = tmp_path / "locales"
    shutil.copytree(LOCALES, target)
    return target


def _edit(data: bytes, change: Callable[[Any], None]) -> bytes:
    """The workbook ``data`` after ``change(sheet)``, saved again."""
    book = load_workbook(io.BytesIO(data))
    change(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_of(sheet: Any, key: str) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value == key)


def _files(locales: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(locales.rglob("*")) if path.is_file()}


# ---------------------------------------------------------------- the round trip


@pytest.mark.parametrize("language", TRANSLATED)
def test_export_then_import_gives_back_the_same_file(locales: Path, language: str) -> None:
    before = _files(locales)
    done = import_language(export_language(language, locales), language, locales)
    assert (done.language, done.keys, done.changed) == (language, len(read_translations(po_path("en", locales))), 0)
    assert _files(locales) == before  # byte for byte, and no temporary file left


def test_a_sheet_saved_again_by_libreoffice_imports_unchanged(locales: Path, tmp_path: Path) -> None:
    """The translator's spreadsheet program rewrites the file its own way; the texts come back the same."""
    sheet = tmp_path / "pl.xlsx"
    sheet.write_bytes(export_language("pl", locales))
    saved = office.convert(sheet, office.XLSX, tmp_path / "saved")
    before = _files(locales)
    import_language(saved.read_bytes(), "pl", locales)
    assert _files(locales) == before


def test_the_sheet_shows_key_english_text_status_and_notes_as_text_cells(locales: Path) -> None:
    po = po_path("pl", locales)
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "page.rate"', '# short: it is a menu entry\nmsgid "page.rate"'),
                  encoding="utf-8")
    sheet = load_workbook(io.BytesIO(export_language("pl", locales))).active
    assert [c.value for c in sheet[1]] == ["key", "English (en)", "polski (pl)", "status", "notes"]
    row = [c.value for c in sheet[_row_of(sheet, "page.rate")]]
    assert row == ["page.rate", "Rate", "Ocena", "translated", "short: it is a menu entry"]
    assert sheet.cell(_row_of(sheet, "demo.rater.1"), 4).value == "may stay English"  # a person's name
    formula_like = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and cell.value[:1] in "=+-@"]
    assert formula_like and all(cell.data_type == "s" for cell in formula_like)  # text, never a formula


def test_a_translators_change_and_note_are_written_and_the_note_survives(locales: Path) -> None:
    def change(sheet: Any) -> None:
        row = _row_of(sheet, "page.rate")
        sheet.cell(row, 3).value = "Oceń"
        sheet.cell(row, 5).value = "shorter fits the phone"

    done = import_language(_edit(export_language("pl", locales), change), None, locales)
    assert done.changed == 1
    texts = read_translations(po_path("pl", locales))
    assert texts["page.rate"] == "Oceń" and language_problems(read_translations(po_path("en", locales)), texts) == []
    again = load_workbook(io.BytesIO(export_language("pl", locales))).active
    assert again.cell(_row_of(again, "page.rate"), 5).value == "shorter fits the phone"


# ---------------------------------------------------------------- refused, naming the row, nothing written


def _set(key: str, text: object) -> Callable[[Any], None]:
    def change(sheet: Any) -> None:
        sheet.cell(_row_of(sheet, key), 3).value = text
    return change


@pytest.mark.parametrize(("change", "message"), [
    (_set("links.rotated", "Link {rola} został zastąpiony."), "links.rotated): placeholders ['rola:'] differ from the English ['role:']"),
    (_set("links.rotated", "Link {role został zastąpiony."), "links.rotated): placeholders ['<broken braces>']"),
    (_set("reaction.negative", "Negatywna"), "reaction.negative): icons [] differ"),
    (_set("page.rate", "Rate"), "page.rate): still the English text"),
    (_set("page.rate", None), "page.rate): missing"),
    (lambda s: s.delete_rows(_row_of(s, "page.rate")), "key page.rate (no row): missing"),
    (lambda s: s.append(["page.rate", "", "Ocena"]), "the key is also in row"),
    (lambda s: s.append(["page.no_such_key", "", "Coś"]), "page.no_such_key): not an English key"),
    (lambda s: s.append([None, "", "Coś"]), ": a text without a key"),
])
def test_a_broken_sheet_is_refused_whole_naming_the_row(locales: Path, change: Callable[[Any], None], message: str) -> None:
    data = _edit(export_language("pl", locales), change)
    before = _files(locales)
    with pytest.raises(TranslationSheetError, match=r"nothing was written; 1 problem\(s\):\n(row \d+|key page)") as err:
        import_language(data, "pl", locales)
    assert message in str(err.value)
    assert _files(locales) == before


def test_the_broken_placeholder_names_its_row_number(locales: Path) -> None:
    data = export_language("pl", locales)
    row = _row_of(load_workbook(io.BytesIO(data)).active, "links.rotated")
    with pytest.raises(TranslationSheetError, match=rf"row {row} \(links.rotated\): placeholders"):
        import_language(_edit(data, _set("links.rotated", "Link {x}")), "pl", locales)


def test_every_problem_is_listed_at_once(locales: Path) -> None:
    def change(sheet: Any) -> None:
        for key in ("page.rate", "page.create", "links.rotated"):
            sheet.cell(_row_of(sheet, key), 3).value = "{oops}"

    with pytest.raises(TranslationSheetError, match=r"3 problem\(s\)") as err:
        import_language(_edit(export_language("pl", locales), change), "pl", locales)
    assert [line.split(" (")[1].split(")")[0] for line in str(err.value).splitlines()[1:]] == ["page.create", "page.rate", "links.rotated"]


def test_a_formula_typed_into_a_cell_is_refused(locales: Path) -> None:
    data = _edit(export_language("pl", locales), _set("page.rate", "=HYPERLINK(\"http://x\")"))
    with pytest.raises(TranslationSheetError, match=r"row \d+, column text: a formula"):
        import_language(data, "pl", locales)


def test_a_sheet_for_another_language_or_not_a_translation_sheet_is_refused(locales: Path) -> None:
    with pytest.raises(TranslationSheetError, match="row 1: the sheet is for 'ru', not 'pl'"):
        import_language(export_language("ru", locales), "pl", locales)
    book = Workbook()
    book.active.append(["touchpoint_id", "name_en"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(TranslationSheetError, match="row 1: not a translation sheet"):
        import_language(out.getvalue(), None, locales)
    with pytest.raises(TranslationSheetError, match="source language"):
        export_language("en", locales)
    with pytest.raises(TranslationSheetError, match="use a locale code"):
        export_language("../../etc", locales)


# ---------------------------------------------------------------- hostile files: bounded before anything is read whole


@pytest.mark.parametrize(("make", "message"), [
    (lambda: b"PK" + b"\0" * (MAX_FILE_BYTES + 1), "the file is 10.0 MB; the limit is 10 MB"),
    (lambda: b"not a workbook at all", "not an Excel .xlsx workbook"),
    (lambda: shared_strings_bomb(), "shared strings inflate to 2,048 MB; the limit is 24 MB"),
    (lambda: million_rows(50_000), "has more than {rows:,} rows; the limit is {rows:,}"),  # one per key, the header, 200 blank
])
def test_a_hostile_file_is_refused_clearly(locales: Path, make: Callable[[], bytes], message: str) -> None:
    before = _files(locales)
    with pytest.raises(TranslationSheetError) as err:
        import_language(make(), "pl", locales)
    rows = len(read_translations(po_path("en", locales))) + 1 + MAX_EXTRA_ROWS
    assert message.format(rows=rows) in str(err.value)
    assert _files(locales) == before


def test_an_over_long_text_is_refused(locales: Path) -> None:
    data = _edit(export_language("pl", locales), _set("page.rate", "x" * (MAX_TEXT_CHARS + 1)))
    with pytest.raises(TranslationSheetError, match=rf"row \d+, column text: 5,001 characters; the limit is {MAX_TEXT_CHARS:,}"):
        import_language(data, "pl", locales)


def test_the_command_line_refuses_a_hostile_file_in_one_line(tmp_path: Path) -> None:
    bomb = tmp_path / "pl.xlsx"
    bomb.write_bytes(shared_strings_bomb())
    before = po_path("pl").read_bytes()
    out = subprocess.run([sys.executable, "-m", "audit", "i18n", "import", str(bomb), "--lang", "pl"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"error: {bomb}: the file is refused:") and "shared strings" in out.stderr
    assert po_path("pl").read_bytes() == before


# ---------------------------------------------------------------- the command line and a fourth language


def test_export_and_import_through_the_command_line(locales: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "ru.xlsx"
    before = _files(locales)
    assert main(["i18n", "export", "--lang", "ru", "--out", str(sheet), "--locales", str(locales)]) == 0
    assert main(["i18n", "import", str(sheet), "--locales", str(locales)]) == 0
    assert "ru: " in capsys.readouterr().out and _files(locales) == before
    assert main(["i18n", "export", "--lang", "ru", "--out", str(tmp_path), "--locales", str(locales)]) == 1  # a folder
    assert "is a folder" in capsys.readouterr().err


def _translate_all(suffix: str) -> Callable[[Any], None]:
    """Fill the language column from the English, marked so it is not 'English left' (form kept)."""
    def change(sheet: Any) -> None:
        for row in sheet.iter_rows(min_row=2):
            set_cell(row[2], f"{row[1].value}{suffix}")  # as a translator types it: text, even when it starts with =
    return change


def test_a_fourth_language_needs_only_its_folder(locales: Path, tmp_path: Path) -> None:
    """German, unknown to the code: exported empty, translated in the sheet, imported as a new file that passes the checks."""
    assert "de" not in present_languages(locales)
    sheet = load_workbook(io.BytesIO(export_language("de", locales))).active
    assert sheet.cell(1, 3).value == "Deutsch (de)" and {c.value for c in sheet["D"][1:]} == {"missing"}
    with pytest.raises(TranslationSheetError, match="problem"):
        import_language(export_language("de", locales), None, locales)  # an empty translation is not complete
    assert not po_path("de", locales).exists()

    done = import_language(_edit(export_language("de", locales), _translate_all(" (de)")), None, locales)
    english = read_translations(po_path("en", locales))
    texts = read_translations(po_path("de", locales))
    assert done.language == "de" and done.changed == len(english) == len(texts)
    assert language_problems(english, texts) == [] and texts["page.rate"] == "Rate (de)"
    assert "de" in present_languages(locales)
    before = _files(locales)
    import_language(export_language("de", locales), "de", locales)  # and it round-trips like the others
    assert _files(locales) == before


def test_a_language_folder_dropped_in_is_exported(locales: Path) -> None:
    """A fake locale file placed by hand (a few keys only) exports with the rest marked missing."""
    po = po_path("uk", locales)
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Language: uk\\n"\n\nmsgid "page.rate"\nmsgstr "Оцінка"\n', encoding="utf-8")
    assert "uk" in present_languages(locales)
    sheet = load_workbook(io.BytesIO(export_language("uk", locales))).active
    assert [c.value for c in sheet[_row_of(sheet, "page.rate")]][2:4] == ["Оцінка", "translated"]
    assert sheet.cell(_row_of(sheet, "page.create"), 4).value == "missing"
