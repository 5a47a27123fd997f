"""Shopper photos: checked by content (never by file name), cleaned, thumbnailed.

Accepted: JPEG, PNG and HEIC/HEIF (phones' default; read with pillow-heif).
Limits: 8 MB per file and 40 megapixels. What is stored:
- the picture re-encoded (JPEG, or PNG for PNG input) with the camera's
  rotation applied and no ancillary data at all: no EXIF (so a photo never
  leaks the shopper's GPS position), no XMP, no JPEG comment, no PNG text
  chunk, no resolution or colour profile. A picture with an ICC profile is
  converted to sRGB first, so its colours stay right without the profile.
  A HEIC photo becomes a JPEG any browser shows;
- a thumbnail of at most 320 px for the owner's review list.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from audit.numbers import megabytes
from audit.refusal import Refusal

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


class PhotoError(Refusal, ValueError):
    """A file that is not an acceptable photo: ``shopper.photo_<code>`` says why, for the shopper."""

    prefix = "shopper.photo_"


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
                raise PhotoError("too_many_pixels", width=width, height=height, limit=MAX_PIXELS // 1_000_000)
            probe.verify()
        image = Image.open(io.BytesIO(data), formats=formats)
        image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        raise PhotoError("unreadable", kind=kind.upper(), reason=type(err).__name__) from None
    return image


def _in_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted to sRGB when the picture carries another colour profile (then the profile can go)."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
        converted = ImageCms.profileToProfile(image.convert(mode), source, target, outputMode=mode)
        return converted if converted is not None else image
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):  # a broken profile: keep the pixels as they are
        return image


def _bare(image: Image.Image, mode: str) -> Image.Image:
    """The pixels only: a new image without any ``info`` (comment, EXIF, XMP, ICC, text chunks, dpi)."""
    clean = image.convert(mode)
    clean.info = {}
    return clean


def check_photo(data: bytes) -> Photo:
    """Check an uploaded file and return the cleaned photo, or raise :class:`PhotoError`."""
    if not data:
        raise PhotoError("empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError("too_big", size=megabytes(len(data)), limit=MAX_PHOTO_BYTES // (1024 * 1024))
    kind = sniff(data)
    if kind is None:
        raise PhotoError("not_photo")
    if kind == "heic" and not HEIC_SUPPORTED:  # pragma: no cover
        raise PhotoError("heic")
    opened = _open(data, kind)
    image = _in_srgb(ImageOps.exif_transpose(opened) or opened)
    params: dict[str, Any]
    if kind == "png":
        mime, fmt, params = "image/png", "PNG", {"optimize": True}
        clean = _bare(image, "RGBA" if image.mode in ("P", "PA", "LA", "RGBA") else "RGB")
    else:
        mime, fmt, params = "image/jpeg", "JPEG", {"quality": 88}
        clean = _bare(image, "RGB")
    out = io.BytesIO()
    clean.save(out, format=fmt, **params)
    thumb = _bare(clean, "RGB")
    thumb.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, format="JPEG", quality=80)
    return Photo(mime, out.getvalue(), thumb_out.getvalue(), clean.width, clean.height)
