"""The PDF page: A4, a bundled Unicode font, a running header and footer, headings, paragraphs and tables.

Built on fpdf2. The font is DejaVu Sans, shipped in ``audit/fonts`` (its
license beside it), so Latin, Cyrillic and Polish letters render on any
install without fetching anything. Every text is written as plain text
(never Markdown or HTML): names typed by people stay text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "DejaVu"
MARGIN = 14.0  # mm
TEXT = 9.5
SMALL = 8.0


class ReportDocument(FPDF):
    """An A4 document with the audit's name and the view in the header and "page n of m" in the footer."""

    def __init__(self, header_left: str, header_right: str, page_words: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN + 4, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 2)
        self.header_left = header_left
        self.header_right = header_right
        self.page_words = page_words  # e.g. "Page {page} of {pages}"
        self.alias_nb_pages("{pages}")
        self.set_font(FAMILY, size=TEXT)
        self.set_title(header_left)
        self.set_creator("Touchpoint Audit")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, size=SMALL)
        self.set_text_color(90, 90, 90)
        self.set_y(8)
        width = (self.w - 2 * MARGIN) / 2
        self.cell(width, 5, _fit(self, self.header_left, width), new_x=XPos.RIGHT)
        self.cell(width, 5, _fit(self, self.header_right, width), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_y(MARGIN + 4)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FAMILY, size=SMALL)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.page_words.replace("{page}", str(self.page_no())), align="C")
        self.set_text_color(0, 0, 0)

    # ---------------------------------------------------------------- blocks

    def heading(self, text: str, size: float = 14) -> None:
        if self.get_y() > self.h - 45:
            self.add_page()
        self.ln(2)
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, size=TEXT)
        self.ln(1)

    def paragraph(self, text: str, size: float = TEXT, grey: bool = False) -> None:
        self.set_font(FAMILY, size=size)
        if grey:
            self.set_text_color(80, 80, 80)
        self.multi_cell(0, size * 0.48, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def picture(self, png: bytes, width_mm: float, alt: str) -> None:
        import io

        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            height_mm = width_mm * image.height / max(image.width, 1)
        if self.get_y() + height_mm > self.h - MARGIN - 4:
            self.add_page()
        self.image(io.BytesIO(png), x=(self.w - width_mm) / 2, w=width_mm, alt_text=alt)
        self.ln(2)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], size: float = SMALL) -> None:
        """A table with a repeated bold header; rows never split across pages."""
        self.set_font(FAMILY, size=size)
        with self.table(col_widths=tuple(widths), text_align="LEFT", line_height=size * 0.5, padding=1,
                        headings_style=_heading_style(), cell_fill_color=(245, 245, 245),
                        cell_fill_mode=TableCellFillMode.ROWS, first_row_as_headings=True) as table:
            table.row([str(h) for h in header])
            for row in rows:
                table.row([str(v) for v in row])
        self.set_font(FAMILY, size=TEXT)
        self.ln(2)


def _heading_style() -> Any:
    """The tables' header row: bold on light blue (an fpdf ``FontFace``)."""
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, emphasis="BOLD", fill_color=(221, 235, 247))


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with "…" so it fits ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
