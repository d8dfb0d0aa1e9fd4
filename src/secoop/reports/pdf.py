"""PDF documents: an HTML template that extends `reports/pdf_base.html` (the marking in every
page's header and footer), rendered by WeasyPrint."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

from secoop.core.markings import Marking
from secoop.core.markings import banner_color


def marking_context(marking: Marking) -> dict:
    """What `reports/pdf_base.html` needs to mark every page."""
    return {"marking": marking, "banner_color": "#" + banner_color(marking)}


def html(template: str, context: dict, marking: Marking) -> str:
    """The document as HTML, every page marked."""
    return render_to_string(template, {**context, **marking_context(marking)})


def render(page: str) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return HTML(string=page).write_pdf()


def pdf(template: str, context: dict, marking: Marking) -> bytes:
    return render(html(template, context, marking))
