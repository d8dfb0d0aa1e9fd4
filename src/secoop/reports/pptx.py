"""Slides: widescreen, each with the marking in a banner across its top and bottom."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches
from pptx.util import Pt

from secoop.core.markings import Marking
from secoop.core.markings import banner_color

from .common import hex_color
from .common import text_em

BANNER_HEIGHT = Inches(0.28)
BLANK_LAYOUT = 6


def rgb(color: str) -> RGBColor:
    return RGBColor.from_string(hex_color(color))


def presentation():
    """An empty 16:9 presentation."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    return prs


def marked_slide(prs, marking: Marking):
    """A blank slide with the marking banner top and bottom."""
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    banner(slide, prs, marking, top=True)
    banner(slide, prs, marking, top=False)
    return slide


def banner(slide, prs, marking: Marking, *, top: bool) -> None:
    """A full-width bar in the marking's banner colour, the marking in white; named so that a
    reader (or a test) finds it: 'Classification banner top' / '… bottom'."""
    y = 0 if top else prs.slide_height - BANNER_HEIGHT
    box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, y, prs.slide_width, BANNER_HEIGHT)
    box.fill.solid()
    box.fill.fore_color.rgb = rgb(banner_color(marking))
    box.line.fill.background()
    tf = box.text_frame
    tf.margin_top = tf.margin_bottom = 0
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.CENTER
    run = p.add_run()  # the run's own font: PowerPoint ignores a paragraph's default for its runs
    run.text = str(marking)
    run.font.size, run.font.bold = Pt(11), True
    run.font.color.rgb = rgb("FFFFFF")
    box.name = "Classification banner " + ("top" if top else "bottom")


TITLE_BOX = (Inches(0.4), Inches(0.36), Inches(12.53), Inches(0.48))  # left, top, width, height
SUBTITLE_BOX = (Inches(0.4), Inches(0.84), Inches(12.53), Inches(0.38))  # above the drawing (1.25")
WRAP_SLACK = 1.1  # word wrapping leaves the end of each line empty


def fit(text: str, width_in: float, lines: int, size: float, smallest: float) -> tuple[str, float]:
    """The text and font size (points) that fit `lines` lines of `width_in` inches: the size made
    smaller by half points down to `smallest`, then the text cut at a word, ending in '…'.
    Widths are estimated per character (reports.common.text_em), on the wide side."""

    def needed(t: str, pt: float) -> float:
        return text_em(t) * pt * WRAP_SLACK / 72 / width_in  # lines

    while size > smallest and needed(text, size) > lines:
        size -= 0.5
    if needed(text, size) > lines:
        words = text.split()
        while len(words) > 1 and needed(" ".join(words) + " …", size) > lines:
            words.pop()
        text = " ".join(words).rstrip(" ,;:·→—-") + " …"
    return text, size


def _text_box(slide, box, text: str, size: float, *, bold: bool = False, color: str) -> None:
    shape = slide.shapes.add_textbox(*box)
    tf = shape.text_frame
    tf.word_wrap = True  # within the slide, never past its edges
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    run = p.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = rgb(color)


def title(slide, text: str, subtitle: str = "") -> None:
    """The slide's title (one line) and an optional subtitle (up to two lines), under the top
    banner and above the drawing area: made smaller, then cut with '…', when too long to fit."""
    width = TITLE_BOX[2] / 914400
    text, size = fit(text, width, 1, 22, 16)
    _text_box(slide, TITLE_BOX, text, size, bold=True, color="162E51")
    if subtitle:
        subtitle, size = fit(subtitle, width, 2, 11, 9)
        _text_box(slide, SUBTITLE_BOX, subtitle, size, color="3D4551")


def save(prs) -> bytes:
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
