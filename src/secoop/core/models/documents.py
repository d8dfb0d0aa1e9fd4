"""Documents attached to records (the "documents" tab of every detail page)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models

from ..search import SearchDocument
from .fieldkit import optional_date
from .fieldkit import optional_fk
from .fieldkit import protected_fk
from .organizations import Organization
from .records import MarkedModel
from .reference import Country

ALLOWED_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "png", "jpg", "jpeg"]
MAX_FILE_BYTES = 25 * 1024 * 1024


def validate_file_size(file) -> None:
    if file.size > MAX_FILE_BYTES:
        raise ValidationError(
            f"The file is {file.size / 1024 / 1024:.1f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB. "
            "Split it or attach a compressed PDF."
        )


def document_file(upload_to: str) -> models.FileField:
    """An uploaded file, optional: the allowed types and the size limit above (every upload)."""
    return models.FileField(
        upload_to=upload_to,
        blank=True,
        validators=[FileExtensionValidator(ALLOWED_EXTENSIONS), validate_file_size],
    )


class DocumentKind(models.TextChoices):
    GUIDANCE = "guidance", "Guidance"
    ASSESSMENT = "assessment", "Assessment"
    CORRESPONDENCE = "correspondence", "Correspondence"
    REPORT = "report", "Report"
    AGREEMENT = "agreement", "Agreement"
    BRIEFING = "briefing", "Briefing"
    TRANSLATION = "translation", "Informal translation"
    OTHER = "other", "Other"


class Document(MarkedModel):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    summary = models.TextField(blank=True)
    owner_org = protected_fk(Organization, related_name="documents")
    country = optional_fk(Country, related_name="+")
    dated = optional_date()
    file = document_file("documents/%Y/%m/")
    # What the document belongs to, if anything (a case, a plan, a student, …).
    content_type = optional_fk(ContentType)
    object_id = models.CharField(max_length=64, blank=True)
    attached_to = GenericForeignKey("content_type", "object_id")

    # Searched through full-text indexes, ranked (core.search; dbindex.FullText in migration 0016).
    search_document = SearchDocument.of(text={"title": 1.0, "summary": 0.4})

    class Meta:
        ordering = ["-dated", "title"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The list's default order; without it every first page sorts all visible rows.
            models.Index(fields=["-dated", "title"], name="document_dated_title_idx"),
        ]

    shown_by = "title"

    detail_url = "document-detail"

    @property
    def is_informal_translation(self) -> bool:
        return self.kind == DocumentKind.TRANSLATION

    # R-SEC-06: the notice every informal translation carries.
    TRANSLATION_NOTICE = "Informal and unofficial translation - English text governs"
