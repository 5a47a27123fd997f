"""Budgets for reading uploaded .xlsx files, checked before openpyxl touches them.

An .xlsx is a zip of XML parts. A 1 MB upload can declare gigabytes of text
("shared strings" that inflate 1,000 to 1), a million rows, or a damaged
sheet that makes the XML parser raise half-way. :class:`CheckedWorkbook`
(and :func:`open_workbook`, its short form) is the one way catalog uploads,
translation sheets and the plan round trip open a workbook:

1. the zip's own table of contents: at most ``MAX_PARTS`` parts, each at
   most ``MAX_PART_BYTES`` and together at most ``MAX_TOTAL_BYTES`` once
   inflated, as declared; the declared sizes are then enforced while reading
   (a part that inflates beyond its declared size is damaged);
2. every XML part is read once as a stream (64 KB at a time, so memory stays
   flat) and must be well-formed, without a DTD (no entity tricks); the
   shared-strings part may hold at most ``MAX_SHARED_STRINGS`` strings and
   ``MAX_SHARED_STRINGS_BYTES``;
   a sheet larger than ``MAX_SHEET_BYTES_WITHOUT_SIZE`` must record its size
   (``<dimension>``), because openpyxl would otherwise read it whole on opening;
3. only then openpyxl opens it, read-only; every sheet's rows are streamed
   with a cap (``max_rows``, ``MAX_COLUMNS``), and any failure of the parser
   while reading rows becomes the same refusal.

Between 2 and 3, a caller with a row limit of its own (the plan round trip)
asks how many rows a sheet holds (:meth:`CheckedWorkbook.scan`): the size the
sheet declares, and its rows counted in one stream that stops at the first
row past the limit, so a million rows cost no more than the limit and
openpyxl never opens the file.

Every refusal is a :class:`WorkbookRefused` (a ``ValueError``) whose
``reason`` is ``not_workbook``, ``too_large`` or ``too_many_rows`` and whose
message names the limit.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from audit.refusal import Refusal

MB = 1024 * 1024
MAX_PARTS = 2_000
MAX_PART_BYTES = 64 * MB
MAX_TOTAL_BYTES = 128 * MB
MAX_SHARED_STRINGS = 300_000
MAX_SHARED_STRINGS_BYTES = 24 * MB
MAX_CONTENT_TYPES_BYTES = 1 * MB
MAX_SHEET_BYTES_WITHOUT_SIZE = 4 * MB  # openpyxl parses such a sheet whole when it opens the workbook
MAX_ROWS = 1_048_576  # Excel's own; callers pass their smaller limit
MAX_COLUMNS = 1_024
_CHUNK = 64 * 1024
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_EOCD = b"PK\x05\x06"


class WorkbookRefused(Refusal, ValueError):
    """A workbook that is not read; ``reason`` is a short code, the message (``workbook.<code>``) names the limit."""

    prefix = "workbook."

    def __init__(self, reason: str, code: str, /, **params: Any) -> None:
        self.reason = reason
        super().__init__(code, **params)


def _damaged(detail: str, **params: Any) -> WorkbookRefused:
    """A damaged workbook; ``detail`` is a ``workbook.damaged_<detail>`` message."""
    return WorkbookRefused("not_workbook", f"damaged_{detail}", **params)


def _declared_part_count(data: bytes) -> int:
    """The number of parts the zip's end record declares (read before zipfile builds its index)."""
    at = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        raise _damaged("no_directory")
    (count,) = struct.unpack("<H", data[at + 10 : at + 12])
    return count


def _check_sizes(parts: list[zipfile.ZipInfo], strings: set[str]) -> None:
    total = 0
    for info in parts:
        if info.filename in strings and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise WorkbookRefused("too_large", "strings_inflate", size=round(info.file_size / MB), limit=MAX_SHARED_STRINGS_BYTES // MB)
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookRefused("too_large", "part_inflates", part=info.filename[:80], size=round(info.file_size / MB),
                                  limit=MAX_PART_BYTES // MB)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise WorkbookRefused("too_large", "inflates", limit=MAX_TOTAL_BYTES // MB)


def _refuse_dtd(*_args: Any) -> None:
    raise _damaged("dtd")


def _stream_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, on_start: Callable[[str, dict[str, str]], None] | None) -> bytes:
    """Parse one XML part as a stream: well-formed, no DTD, never more than its declared size.

    Returns the part's first bytes, up to its ``sheetData`` (at most 64 KB), for the caller to look at.
    """
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    if on_start is not None:
        parser.StartElementHandler = on_start
    read, head = 0, b""
    try:
        with archive.open(info) as source:
            while chunk := source.read(_CHUNK):
                if not read:
                    head = chunk.split(b"sheetData", 1)[0]
                read += len(chunk)
                if read > info.file_size:
                    raise _damaged("part_size", part=info.filename[:80])
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as err:
        raise _damaged("part_xml", part=info.filename[:80], line=str(err.lineno)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as err:
        if isinstance(err, WorkbookRefused):
            raise
        raise _damaged("part_unpack", part=info.filename[:80], reason=type(err).__name__) from None
    return head


def _check_sheet_head(info: zipfile.ZipInfo, head: bytes) -> None:
    """A large sheet must say its size (``<dimension>``): without it openpyxl reads the whole sheet on opening."""
    if b"<worksheet" not in head and b":worksheet" not in head:
        return
    if b"dimension" not in head and info.file_size > MAX_SHEET_BYTES_WITHOUT_SIZE:
        raise WorkbookRefused("too_large", "sheet_no_size", part=info.filename[:80], limit=MAX_SHEET_BYTES_WITHOUT_SIZE // MB)


def _shared_string_parts(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> set[str]:
    """Where openpyxl will look for shared strings: the content-types list, plus the usual name."""
    found = {"xl/sharedStrings.xml"}

    def on_start(name: str, attrs: dict[str, str]) -> None:
        if name.rsplit(":", 1)[-1] == "Override" and attrs.get("ContentType") == _SHARED_STRINGS_TYPE:
            found.add(attrs.get("PartName", "").lstrip("/"))

    for info in parts:
        if info.filename == "[Content_Types].xml":
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise WorkbookRefused("too_large", "types_inflate", limit=MAX_CONTENT_TYPES_BYTES // MB)
            _stream_xml(archive, info, on_start)
    return found


def _count_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    count = 0

    def on_start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal count
        if name.rsplit(":", 1)[-1] == "si":
            count += 1
            if count > MAX_SHARED_STRINGS:
                raise WorkbookRefused("too_large", "strings_count", limit=MAX_SHARED_STRINGS)

    _stream_xml(archive, info, on_start)


def check_workbook(data: bytes) -> None:
    """Refuse a workbook that breaks a budget or is damaged, reading it as a stream; never raises anything else."""
    if not isinstance(data, (bytes, bytearray)) or not bytes(data[:2]) == b"PK":
        raise _damaged("not_zip")
    if _declared_part_count(data) > MAX_PARTS:
        raise WorkbookRefused("too_large", "parts_declared", limit=MAX_PARTS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise WorkbookRefused("too_large", "parts", count=len(parts), limit=MAX_PARTS)
            if "xl/workbook.xml" not in {p.filename for p in parts}:
                raise _damaged("no_workbook_part")
            strings = _shared_string_parts(archive, parts)
            _check_sizes(parts, strings)
            for info in parts:
                if info.filename in strings:
                    _count_shared_strings(archive, info)
                elif info.filename.endswith((".xml", ".rels", ".vml")) and info.filename != "[Content_Types].xml":
                    _check_sheet_head(info, _stream_xml(archive, info, None))
    except WorkbookRefused:
        raise
    except Exception as err:  # zipfile raises many kinds for a damaged archive
        raise _damaged("archive", reason=type(err).__name__) from None


def _guard_rows(sheet: Any, max_rows: int) -> None:
    """Make ``sheet.iter_rows`` stop at ``max_rows`` and turn a parser failure into a refusal."""
    rows = getattr(sheet, "_cells_by_row", None)
    if rows is None:  # a chartsheet: nothing to read
        return
    title = str(getattr(sheet, "title", "?"))[:31]

    def bounded(min_col: Any, min_row: Any, max_col: Any, max_row: Any, values_only: bool = False) -> Iterator[Any]:
        width = max_col or getattr(sheet, "max_column", None) or 0
        if width > MAX_COLUMNS:
            raise WorkbookRefused("too_large", "columns", sheet=title, count=width, limit=MAX_COLUMNS)
        seen = 0
        try:
            for row in rows(min_col, min_row, max_col, max_row, values_only):
                seen += 1
                if seen > max_rows:
                    raise WorkbookRefused("too_many_rows", "rows", sheet=title, limit=max_rows)
                yield row
        except WorkbookRefused:
            raise
        except Exception as err:
            raise _damaged("sheet", sheet=title, reason=type(err).__name__) from None

    sheet._cells_by_row = bounded


@dataclass(frozen=True, slots=True)
class SheetScan:
    """What one bounded pass over a sheet found: how many rows it holds, and whether a cell holds a formula.

    ``rows`` is the larger of the declared size and the last row number, exact
    up to the scan's limit; past it, the declared size or the first row number
    past the limit (the pass stopped there). ``formulas`` is about the part read.
    """

    rows: int
    formulas: bool


class _Enough(Exception):
    """Raised inside the XML parser to stop reading a sheet once its rows are past the limit."""


def _row_number(text: str | None, previous: int) -> int:
    """A ``<row>``'s number as openpyxl reads it: its ``r`` (a whole number, even written ``5.0``), else the next one."""
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return previous + 1  # openpyxl refuses the sheet when it reads this row
        return int(number) if number.is_integer() else previous + 1


def _sheet_counter(limit: int) -> tuple[Callable[[str, dict[str, str]], None], Callable[[], SheetScan]]:
    """An XML start-element handler that counts a sheet's rows (raising :class:`_Enough` past ``limit``), and its result."""
    from openpyxl.utils.cell import range_boundaries

    declared, position, highest, formulas = 0, 0, 0, False

    def on_start(name: str, attrs: dict[str, str]) -> None:
        nonlocal declared, position, highest, formulas
        local = name.rpartition(":")[2]
        if local == "row":
            position = _row_number(attrs.get("r"), position)
            if position > highest:
                highest = position
                if highest > limit:
                    raise _Enough
        elif local == "f":
            formulas = True
        elif local == "dimension" and not highest:  # openpyxl reads the size only before the rows
            with suppress(ValueError, TypeError):  # a size openpyxl cannot read: it refuses the sheet when it opens it
                declared = range_boundaries(attrs.get("ref", ""))[3] or 0
            if declared > limit:  # openpyxl pads the rows up to the declared size: that settles it
                raise _Enough

    return on_start, lambda: SheetScan(max(declared, highest), formulas)


class CheckedWorkbook:
    """An uploaded .xlsx that passed :func:`check_workbook`: its sheets can be counted before openpyxl opens it.

    :meth:`scan` counts one sheet's rows; :meth:`open` opens the workbook
    (more than once if need be: values, then formulas as written) without
    checking the file again. Both raise only :class:`WorkbookRefused`.
    """

    def __init__(self, data: bytes) -> None:
        check_workbook(data)
        self._data = bytes(data)

    def sheet_parts(self) -> dict[str, str]:
        """Each worksheet's title and the zip part holding it, in the workbook's order, found the way openpyxl finds them."""
        try:
            from openpyxl.reader.excel import ExcelReader

            reader = ExcelReader(io.BytesIO(self._data), read_only=True, keep_links=False)
            with reader.archive:
                reader.read_manifest()
                reader.read_workbook()  # the manifest and workbook.xml only: no sheet is read
                found: dict[str, str] = {}
                for sheet, rel in reader.parser.find_sheets():
                    if "chartsheet" not in rel.Type and rel.target in reader.valid_files:
                        found.setdefault(sheet.name, rel.target)
                return found
        except Exception as err:
            raise _damaged("archive", reason=type(err).__name__) from None

    def scan(self, part: str, limit: int) -> SheetScan:
        """How many rows the sheet in ``part`` holds, found without openpyxl; the stream stops past ``limit``.

        openpyxl yields as many rows as a sheet's ``<dimension>`` declares (it
        pads up to it), so a declared size over ``limit`` settles it at once.
        A sheet can declare fewer rows than it holds (openpyxl believes it) or
        no size at all, so its ``<row>`` elements are counted too, as openpyxl
        numbers them, until the first row past ``limit``.
        """
        on_start, result = _sheet_counter(limit)
        try:
            with zipfile.ZipFile(io.BytesIO(self._data)) as archive, suppress(_Enough):
                _stream_xml(archive, archive.getinfo(part), on_start)
        except WorkbookRefused:
            raise
        except Exception as err:  # no such part, or zipfile failing on a member check_workbook read
            raise _damaged("archive", reason=type(err).__name__) from None
        return result()

    def open(self, *, max_rows: int = MAX_ROWS, data_only: bool = True) -> Any:
        """The workbook, read-only; every sheet streams at most ``max_rows`` rows (see :func:`open_workbook`)."""
        try:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(self._data), read_only=True, data_only=data_only)
        except Exception as err:
            raise _damaged("archive", reason=type(err).__name__) from None
        for sheet in book.worksheets:
            _guard_rows(sheet, max_rows)
        return book


def open_workbook(data: bytes, *, max_rows: int = MAX_ROWS, data_only: bool = True) -> Any:
    """The workbook, read-only, after :func:`check_workbook`; every sheet streams at most ``max_rows`` rows.

    ``data_only=False`` reads formulas as written instead of their cached
    values (the plan's round trip refuses a formula that has none). Raises
    only :class:`WorkbookRefused`. Close it with ``book.close()``.
    """
    return CheckedWorkbook(data).open(max_rows=max_rows, data_only=data_only)
