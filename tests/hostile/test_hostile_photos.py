"""Photos keep their pixels and nothing else: the stored bytes are inspected segment by segment.

A JPEG may only hold the picture's own segments (JFIF header, tables, frame,
scan); a PNG only its picture chunks. No comment segment (0xFFFE), no APP1
(EXIF, XMP), no APP2 (ICC), no text chunks, no resolution. A colour profile
is applied to the pixels before it is dropped, so colours stay right.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image, ImageCms

from audit.photos import PhotoError, check_photo
from hostile.files import jpeg_markers, jpeg_with_secrets, png_chunks, png_with_text

JPEG_ALLOWED = {0xE0, 0xDB, 0xC0, 0xC1, 0xC2, 0xC4, 0xDD, 0xDA}  # APP0 (JFIF), tables, frame, restart interval, scan
PNG_ALLOWED = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
LEAKS = (b"SECRET", b"Exif", b"XMP", b"http://ns.adobe.com", b"ICC_PROFILE", b"xmpmeta", b"Adobe", b"\xff\xfe")


def _jpeg(mode: str = "RGB", color: Any = (200, 30, 30), size: tuple[int, int] = (64, 48), **params: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "JPEG", **params)
    return out.getvalue()


def _png(mode: str = "RGB", color: Any = (200, 30, 30), **params: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (64, 48), color).save(out, "PNG", **params)
    return out.getvalue()


def _with_app_segments(data: bytes) -> bytes:
    """Every APPn segment (1..15) with a secret, inserted after the SOI."""
    segments = b"".join(bytes([0xFF, 0xE0 + n]) + struct.pack(">H", 2 + 12) + b"SECRET-APP%02d" % n for n in range(1, 16))
    return data[:2] + segments + data[2:]


def _swapped_profile() -> bytes:
    """An RGB profile whose red and blue primaries are swapped: a picture in it must change colour in sRGB."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack(">I", icc[128:132])
    at = {bytes(icc[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, blue = at[b"rXYZ"], at[b"bXYZ"]
    icc[red + 4 : red + 12], icc[blue + 4 : blue + 12] = icc[blue + 4 : blue + 12], icc[red + 4 : red + 12]
    return bytes(icc)


def _heic_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SECRET-MAKER"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "HEIF", exif=exif.tobytes())
    return out.getvalue()


# (case id, builder)
PICTURES: list[tuple[str, Callable[[], bytes]]] = [
    ("jpeg-comment-xmp-exif-icc", jpeg_with_secrets),
    ("jpeg-big-with-secrets", lambda: jpeg_with_secrets((2000, 1500))),
    ("jpeg-comment-only", lambda: _jpeg(comment=b"SECRET-COMMENT")),
    ("jpeg-every-app-segment", lambda: _with_app_segments(_jpeg())),
    ("jpeg-dpi", lambda: _jpeg(dpi=(300, 300))),
    ("jpeg-progressive", lambda: _jpeg(progressive=True, comment=b"SECRET")),
    ("jpeg-cmyk-adobe", lambda: _jpeg("CMYK", (0, 200, 200, 0))),
    ("jpeg-grey", lambda: _jpeg("L", 90, comment=b"SECRET")),
    ("jpeg-broken-icc", lambda: _jpeg(icc_profile=b"SECRET-garbage" * 20)),
    ("png-text-chunks", png_with_text),
    ("png-palette", lambda: _png("P", 3, transparency=0)),
    ("png-grey-alpha", lambda: _png("LA", (90, 128), dpi=(72, 72))),
    ("png-16-bit", lambda: _png("I;16", 4000)),
    ("png-with-icc", lambda: _png(icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())),
    ("png-with-exif", lambda: _png(exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00SECRET")),
    ("heic-with-exif", _heic_with_exif),
]


def _clean(data: bytes, mime: str) -> None:
    assert not any(leak in data for leak in LEAKS), [leak for leak in LEAKS if leak in data]
    if mime == "image/jpeg":
        assert set(jpeg_markers(data)) <= JPEG_ALLOWED, [hex(m) for m in jpeg_markers(data)]
    else:
        assert set(png_chunks(data)) <= PNG_ALLOWED, png_chunks(data)
    assert not {k for k in Image.open(io.BytesIO(data)).info if k not in ("jfif", "jfif_version", "jfif_unit", "jfif_density")}


@pytest.mark.parametrize("build", [c[1] for c in PICTURES], ids=[c[0] for c in PICTURES])
def test_stored_photo_holds_pixels_and_nothing_else(build: Callable[[], bytes], measured: Callable[..., Any]) -> None:
    data = build()
    photo = measured(lambda: check_photo(data))
    _clean(photo.data, photo.mime)
    _clean(photo.thumbnail, "image/jpeg")


def test_the_original_really_carried_the_secrets() -> None:
    data = jpeg_with_secrets()
    assert 0xFE in jpeg_markers(data) and 0xE1 in jpeg_markers(data) and 0xE2 in jpeg_markers(data)
    assert b"SECRET-COMMENT" in data and b"SECRET-XMP" in data and b"SECRET-MAKER" in data
    assert {b"tEXt", b"iTXt", b"zTXt", b"pHYs"} <= set(png_chunks(png_with_text()))


def test_a_colour_profile_is_applied_before_it_is_dropped() -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG", icc_profile=_swapped_profile())
    photo = check_photo(out.getvalue())
    stored = Image.open(io.BytesIO(photo.data))
    assert "icc_profile" not in stored.info
    red, _green, blue = stored.convert("RGB").getpixel((4, 4))
    assert blue > 150 and red < 80  # the profile said "this red is really blue"


def test_a_photo_that_only_pretends_is_still_refused() -> None:
    with pytest.raises(PhotoError, match="cannot be read"):
        check_photo(jpeg_with_secrets()[:400])
