"""Altair charts as PNG images for the PDF, rendered by vl-convert (no browser, nothing fetched).

The bundled DejaVu Sans is registered with vl-convert once per process so
chart labels in any of the app's languages render with the same font as the
report's text.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from audit.report.document import FONTS

CHART_FONT = "DejaVu Sans"
SCALE = 2  # pixels per chart pixel: sharp when printed


@functools.cache
def _fonts_registered() -> bool:
    import vl_convert

    vl_convert.register_font_directory(str(FONTS))
    return True


def chart_png(chart: Any, width: int) -> bytes:
    """``chart`` (an Altair chart) drawn ``width`` pixels wide, as PNG bytes."""
    import vl_convert

    _fonts_registered()
    spec = chart.properties(width=width).configure(font=CHART_FONT).configure_view(strokeWidth=0).to_dict()
    return bytes(vl_convert.vegalite_to_png(json.dumps(spec), scale=SCALE))
