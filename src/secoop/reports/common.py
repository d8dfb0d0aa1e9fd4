"""What every export shares: the MIME types, the "generated" stamp, and the download response."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone

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
    """'02 Dec 2026 20:40 UTC': when a document was made."""
    return f"{timezone.now():%d %b %Y %H:%M} UTC"


def generated(user=None) -> str:
    """'Generated 02 Dec 2026 20:40 UTC by sco.bandaria', the line every document carries."""
    by = f" by {user.username}" if user is not None else ""
    return f"Generated {stamp()}{by}"


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
