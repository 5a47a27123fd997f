"""QR codes for the audit links, to put on a projector or a printed sheet (segno)."""

from __future__ import annotations

import io

import segno


def qr_png(text: str, *, scale: int = 6, border: int = 2) -> bytes:
    """A PNG of a QR code for ``text`` (error correction M, the smallest version that fits)."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=border, dark="#111111", light="#ffffff")
    return out.getvalue()


def qr_svg(text: str, *, scale: int = 4, border: int = 2) -> bytes:
    """The same QR code as SVG (sharp at any size)."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=border, dark="#111111", light="#ffffff", xmldecl=False)
    return out.getvalue()
