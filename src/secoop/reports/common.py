"""What every export shares: the MIME types, the "generated" stamp, and the download response."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone

from secoop.core import formats
from secoop.core.markings import Marking

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_MIME = "application/pdf"
ICS_MIME = "text/calendar; charset=utf-8"

MIME_TYPES = {
    "xlsx": XLSX_MIME,
    "docx": DOCX_MIME,
    "pptx": PPTX_MIME,
    "pdf": PDF_MIME,
    "ics": ICS_MIME,
}


def stamp() -> str:
    """'2 Dec 2026 20:40 UTC': when a document was made."""
    return f"{formats.moment(timezone.now())} UTC"


def generated(user=None) -> str:
    """'Generated 2 Dec 2026 20:40 UTC by sco.bandaria', the line every document carries."""
    by = f" by {user.username}" if user is not None else ""
    return f"Generated {stamp()}{by}"


NARROW = set(" .,;:'!|/()[]-ilfjtI")
WIDE = set("mwMW@%")


def text_em(text: str) -> float:
    """The width of a text in em, estimated per character for the wider of Calibri and the
    DejaVu Sans that stands in for it where Calibri is not installed (LibreOffice on Linux)."""
    width = 0.0
    for ch in text:
        if ch in NARROW:
            width += 0.32
        elif ch in WIDE:
            width += 1.0
        elif ch.isupper() or ch in "$#&":
            width += 0.76
        elif ch.isdigit():
            width += 0.66
        else:
            width += 0.63
    return width


def hex_color(color: str) -> str:
    """'#c8102e' → 'C8102E', the form openpyxl, python-docx and python-pptx take."""
    return color.lstrip("#").upper()


@dataclass(frozen=True)
class Report:
    """An export ready to download: its bytes, its file name (the extension gives the MIME type)
    and the marking of what it holds (sent as X-Marking, so a proxy or a test can read it)."""

    content: bytes
    filename: str
    marking: Marking

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.filename.rsplit(".", 1)[-1]]

    def response(self, *, inline: bool = False) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.mime)
        disposition = "inline" if inline else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{self.filename}"'
        response["X-Marking"] = str(self.marking)
        return response
