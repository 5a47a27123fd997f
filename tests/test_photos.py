"""Shopper photos are checked by content, limited in size, cleaned of metadata."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from audit.photos import MAX_PHOTO_BYTES, PhotoError, check_photo, sniff


def picture(fmt: str, size=(64, 48), **params) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **params)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "mime"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("HEIF", "image/jpeg")])
def test_jpeg_png_and_heic_are_accepted(fmt: str, mime: str) -> None:
    photo = check_photo(picture(fmt))
    assert photo.mime == mime and (photo.width, photo.height) == (64, 48)
    assert Image.open(io.BytesIO(photo.thumbnail)).format == "JPEG"


def test_thumbnail_is_small() -> None:
    photo = check_photo(picture("JPEG", size=(2000, 1000)))
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (320, 160)


def test_gps_and_other_metadata_are_dropped() -> None:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    photo = check_photo(picture("JPEG", exif=exif.tobytes()))
    assert dict(Image.open(io.BytesIO(photo.data)).getexif()) == {}


def test_camera_rotation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees
    photo = check_photo(picture("JPEG", size=(64, 48), exif=exif.tobytes()))
    assert (photo.width, photo.height) == (48, 64)


def test_renamed_exe_is_refused() -> None:
    with pytest.raises(PhotoError, match="not a photo"):
        check_photo(b"MZ\x90\x00" + b"\x00" * 500)


def test_zip_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", picture("JPEG"))
    with pytest.raises(PhotoError, match="not a photo"):
        check_photo(buffer.getvalue())


def test_photo_over_the_size_limit_is_refused() -> None:
    data = picture("JPEG") + b"\x00" * MAX_PHOTO_BYTES
    with pytest.raises(PhotoError, match="the limit is 8 MB"):
        check_photo(data)


def test_truncated_jpeg_is_refused_clearly() -> None:
    data = picture("JPEG", size=(400, 400))
    with pytest.raises(PhotoError, match="cannot be read"):
        check_photo(data[:200])


def test_empty_file() -> None:
    with pytest.raises(PhotoError, match="empty"):
        check_photo(b"")


def test_decompression_bomb_is_refused() -> None:
    # A PNG header claiming 10,000 x 10,000 pixels.
    big = picture("PNG", size=(10_000, 5_000))
    with pytest.raises(PhotoError, match="megapixels"):
        check_photo(big)


def test_sniff() -> None:
    assert sniff(picture("PNG")) == "png" and sniff(picture("JPEG")) == "jpeg" and sniff(b"GIF89a") is None
