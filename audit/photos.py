"""Shopper photos: checked by content (never by file name), cleaned, thumbnailed.

Accepted: JPEG, PNG and HEIC/HEIF (phones' default; read with pillow-heif).
Limits: 8 MB per file and 40 megapixels. What is stored:
- the picture re-encoded (JPEG, or PNG for PNG input) with the camera's
  rotation applied and all metadata dropped, so a photo never leaks the
  shopper's GPS position, and a HEIC photo can be shown in any browser;
- a thumbnail of at most 320 px for the owner's review list.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC support is optional at import time, required by requirements.txt
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - only without pillow-heif
    HEIC_SUPPORTED = False

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMBNAIL_PX = 320
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis")


class PhotoError(ValueError):
    """A file that is not an acceptable photo; the message is for the shopper."""


@dataclass(frozen=True)
class Photo:
    mime: str
    data: bytes
    thumbnail: bytes
    width: int
    height: int


def sniff(data: bytes) -> str | None:
    """The photo kind from the first bytes: ``jpeg``, ``png``, ``heic`` or ``None``."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    return None


def _open(data: bytes, kind: str) -> Image.Image:
    formats = {"jpeg": ["JPEG"], "png": ["PNG"], "heic": ["HEIF"]}[kind]
    try:
        with Image.open(io.BytesIO(data), formats=formats) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise PhotoError(f"the picture is {width}x{height} pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels")
            probe.verify()
        image = Image.open(io.BytesIO(data), formats=formats)
        image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        raise PhotoError(f"the file looks like a {kind.upper()} picture but cannot be read ({type(err).__name__})") from None
    return image


def check_photo(data: bytes) -> Photo:
    """Check an uploaded file and return the cleaned photo, or raise :class:`PhotoError`."""
    if not data:
        raise PhotoError("the file is empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(f"the photo is {len(data) / (1024 * 1024):.1f} MB; the limit is {MAX_PHOTO_BYTES // (1024 * 1024)} MB")
    kind = sniff(data)
    if kind is None:
        raise PhotoError("this file is not a photo: only JPEG, PNG and HEIC pictures are accepted")
    if kind == "heic" and not HEIC_SUPPORTED:  # pragma: no cover
        raise PhotoError("HEIC photos cannot be read on this server; send a JPEG instead")
    image = ImageOps.exif_transpose(_open(data, kind))
    if kind == "png":
        mime, fmt, params = "image/png", "PNG", {"optimize": True}
        clean = image.convert("RGBA") if image.mode in ("P", "LA", "RGBA") else image.convert("RGB")
    else:
        mime, fmt, params = "image/jpeg", "JPEG", {"quality": 88}
        clean = image.convert("RGB")
    out = io.BytesIO()
    clean.save(out, format=fmt, **params)
    thumb = clean.convert("RGB")
    thumb.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, format="JPEG", quality=80)
    return Photo(mime, out.getvalue(), thumb_out.getvalue(), clean.width, clean.height)
