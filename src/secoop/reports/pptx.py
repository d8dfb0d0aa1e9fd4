"""Slides: widescreen, each with the marking in a banner across its top and bottom."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from secoop.core.markings import Marking, banner_color

from .common import hex_color

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
    p.text = str(marking)
    p.alignment = PP_ALIGN.CENTER
    p.font.size, p.font.bold = Pt(11), True
    p.font.color.rgb = rgb("FFFFFF")
    box.name = "Classification banner " + ("top" if top else "bottom")


def title(slide, text: str, subtitle: str = "") -> None:
    """The slide's title and an optional subtitle line, under the top banner."""
    box = slide.shapes.add_textbox(Inches(0.4), Inches(0.38), Inches(12.5), Inches(0.5))
    p = box.text_frame.paragraphs[0]
    p.text = text
    p.font.size, p.font.bold = Pt(22), True
    p.font.color.rgb = rgb("162E51")
    if subtitle:
        box = slide.shapes.add_textbox(Inches(0.4), Inches(0.86), Inches(12.5), Inches(0.3))
        p = box.text_frame.paragraphs[0]
        p.text = subtitle
        p.font.size = Pt(11)
        p.font.color.rgb = rgb("3D4551")


def save(prs) -> bytes:
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
