"""Show people's text as text: never as markup, never as HTML (no Streamlit here)."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark;
# escaping them all also defuses Streamlit's own extensions (``:red[...]``,
# ``:material/icon:``, ``$math$``) and raw HTML (``<script>``).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(value: object) -> str:
    """``value`` as a Markdown string that renders as exactly that text.

    Markdown and HTML control characters are escaped; line breaks are kept as
    line breaks; leading spaces (which would start a code block) are dropped.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_PUNCTUATION.sub(r"\\\1", line.strip()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    # A backslash at the end of a line is a hard line break in CommonMark.
    parts: list[str] = []
    for i, line in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        parts.append(line + ("\\" if nxt not in (None, "") and line != "" else ""))
    return "\n".join(parts)


def shorten(value: object, limit: int = 80) -> str:
    """One line of at most ``limit`` characters (for lists and select boxes)."""
    text = " ".join(("" if value is None else str(value)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
