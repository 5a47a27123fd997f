"""Hostile files, built cheaply: YAML bombs, zip bombs with a hand-written deflate stream, broken workbooks.

Nothing here inflates the bombs: a 2 GB shared-strings part is one
compressed 1 MB block repeated (each block ends with a full flush, so the
copies can follow each other), written into a zip by hand with the sizes
and CRC chosen by the test.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import Any

from openpyxl import Workbook

MB = 1024 * 1024
GB = 1024 * MB


# ---------------------------------------------------------------- YAML


def billion_laughs(levels: int, width: int = 9) -> bytes:
    """``a0: &a0 [lol, ...]``, then each level a list of ``width`` aliases of the one before."""
    lines = ["id: laughs", "name: {en: Laughs}", "a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return ("\n".join(lines) + "\n").encode()


def laughs_in_touchpoints(levels: int) -> bytes:
    """The same bomb where a catalog would use it: the list of touchpoints."""
    body = billion_laughs(levels).decode().replace("id: laughs\nname: {en: Laughs}\n", "")
    return f"id: laughs\nname: {{en: Laughs}}\n{body}touchpoints: *a{levels - 1}\n".encode()


def deep_flow(depth: int) -> bytes:
    return b"touchpoints: " + b"[" * depth + b"]" * depth + b"\n"


def deep_block(depth: int) -> bytes:
    return ("touchpoints:\n" + "".join("  " * (i + 1) + "-\n" for i in range(depth))).encode()


def deep_mapping(depth: int) -> bytes:
    return ("touchpoints:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth))).encode()


# ---------------------------------------------------------------- zip by hand


def deflate_repeated(chunk: bytes, times: int, head: bytes = b"", tail: bytes = b"", *, crc: bool = True) -> tuple[bytes, int, int]:
    """``(raw deflate stream, size, crc)`` of ``head + chunk * times + tail``, compressing only two chunks.

    The CRC costs a pass over the inflated size; ``crc=False`` skips it (0) for files refused before any read.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    second = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert first == second, "a full flush makes every block the same"
    end = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    check = 0
    if crc:
        check = zlib.crc32(head)
        for _ in range(times):
            check = zlib.crc32(chunk, check)
        check = zlib.crc32(tail, check)
    return start + first * times + end, len(head) + len(chunk) * times + len(tail), check


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of ``(name, deflated bytes, crc, declared size)`` members, sizes as given (true or not)."""
    out = io.BytesIO()
    central = []
    for name, packed, crc, size in members:
        raw = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(packed), size, len(raw), 0) + raw + packed)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(packed), size, len(raw), 0, 0, 0, 0, 0, offset) + raw)
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0))
    return out.getvalue()


def honest(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    return name, deflate(data), zlib.crc32(data), len(data)


# ---------------------------------------------------------------- workbooks


def workbook_parts(rows: list[list[Any]] | None = None, title: str = "Touchpoints") -> dict[str, bytes]:
    """The parts of a small real one-sheet workbook, by name."""
    return book_parts({title: rows or [["id", "category", "name_en"], ["office-door", "office", "Door"]]})


def book_parts(sheets: dict[str, list[list[Any]]]) -> dict[str, bytes]:
    """The parts of a real workbook with these sheets (``xl/worksheets/sheet1.xml`` is the first), by name."""
    import zipfile

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes], replace: dict[str, tuple[str, bytes, int, int]] | None = None) -> bytes:
    """The parts as a zip, each replaced by a hand-made member where ``replace`` names it."""
    replace = replace or {}
    members = [replace[name] if name in replace else honest(name, data) for name, data in parts.items()]
    return raw_zip(members + [member for name, member in replace.items() if name not in parts])


_SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_shared_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts with a shared-strings part declared (openpyxl writes inline strings, Excel writes these)."""
    out = dict(parts)
    types = out["[Content_Types].xml"]
    out["[Content_Types].xml"] = types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + _SST_TYPE + b'"/></Types>')
    rels = out["xl/_rels/workbook.xml.rels"]
    out["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="' + _SST_REL + b'" Target="sharedStrings.xml"/></Relationships>')
    out["xl/sharedStrings.xml"] = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>x</t></si></sst>'
    return out


def shared_strings_bomb(total: int = 2 * GB, declared: int | None = None) -> bytes:
    """A workbook whose shared strings inflate to ``total`` bytes (declared as that, or as ``declared``)."""
    parts = with_shared_strings(workbook_parts())
    head = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    item = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    chunk = item * (MB // len(item))
    times = max(1, (total - len(head)) // len(chunk))
    packed, size, crc = deflate_repeated(chunk, times, head, b"</sst>", crc=total <= 256 * MB)
    member = ("xl/sharedStrings.xml", packed, crc, declared if declared is not None else min(size, 0xFFFFFFFF))
    return rezip(parts, {"xl/sharedStrings.xml": member})


def repeat_rows(parts: dict[str, bytes], part: str, row: bytes, rows: int, *, dimension: bool | str = True) -> bytes:
    """The workbook with the sheet ``part`` holding its header row, then ``row`` repeated ``rows`` times (no row numbers).

    ``dimension``: ``True`` records the true size, ``False`` none, a range (``"A1:H10"``) that size instead (a lie).
    """
    sheet = parts[part]
    width = sheet.split(b"</row>")[0].count(b"<c ")
    ref = dimension if isinstance(dimension, str) else f"A1:{chr(64 + max(1, width))}{rows + 1}"
    size = f'<dimension ref="{ref}"/>'.encode() if dimension else b""
    sheet = re.sub(rb"<dimension [^>]*/>", size, sheet)
    start, end = sheet.index(b"<sheetData>") + len(b"<sheetData>"), sheet.index(b"</sheetData>")
    header = sheet[start:end].split(b"</row>")[0] + b"</row>"
    block = 10_000
    packed, size_, crc = deflate_repeated(row * block, rows // block, sheet[:start] + header, sheet[end:])
    return rezip(parts, {part: (part, packed, crc, size_)})


def million_rows(rows: int = 1_000_000, row: bytes = b"<row><c><v>1</v></c></row>", *, dimension: bool = True) -> bytes:
    """A touchpoint sheet of ``rows`` identical rows, written as one repeated deflate block.

    With ``dimension`` the sheet records its true size, as Excel writes it; without, it records none.
    """
    return repeat_rows(workbook_parts(), "xl/worksheets/sheet1.xml", row, rows, dimension=dimension)


PLAN_HEADER = ["action_id", "touchpoint_id", "status", "owner", "due", "notes"]


def plan_parts(audit_id: str = "a1", rows: list[list[Any]] | None = None) -> dict[str, bytes]:
    """A plan workbook as the round trip reads it: an ``Action plan`` sheet and an ``About`` sheet with the audit id."""
    return book_parts({"Action plan": [PLAN_HEADER, *(rows or [[1, "office-door", "todo", "Ann", None, None]])], "About": [["audit id", audit_id]]})


def with_part(parts: dict[str, bytes], name: str, data: bytes) -> bytes:
    return rezip({**parts, name: data})


# ---------------------------------------------------------------- pictures


def jpeg_with_secrets(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG carrying a comment segment, XMP, EXIF with a GPS position, and an ICC profile."""
    from PIL import Image, ImageCms

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0)}
    exif[0x010F] = "SECRET-MAKER"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>SECRET-XMP</rdf:Description></rdf:RDF></x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", comment=b"SECRET-COMMENT", exif=exif.tobytes(), xmp=xmp, icc_profile=icc)
    return out.getvalue()


def png_with_text(size: tuple[int, int] = (64, 48)) -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SECRET-TEXT")
    info.add_text("Author", "SECRET-ITXT", zip=False)
    info.add_itxt("Description", "SECRET-ITXT-2", lang="en", tkey="d")
    info.add_text("Software", "SECRET-ZTXT", zip=True)
    out = io.BytesIO()
    Image.new("RGBA", size, (200, 30, 30, 128)).save(out, "PNG", pnginfo=info, dpi=(300, 300))
    return out.getvalue()


def jpeg_markers(data: bytes) -> list[int]:
    """The segment markers of a JPEG up to the start of the picture data (0xFFDA)."""
    markers, at = [], 2
    while at + 4 <= len(data):
        assert data[at] == 0xFF, f"not a segment at {at}"
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    return chunks
