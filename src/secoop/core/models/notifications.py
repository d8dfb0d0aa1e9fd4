"""Notifications: what an action tells an organization (ARCHITECTURE invariant 2 — actions queue
notifications on commit). A notification carries the marking, country and partner visibility of
the record it is about, so the door shows it only to those who may see that record; the e-mail
that announces it says nothing of its content (mail systems are not accredited for the records)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .fieldkit import optional_fk
from .fieldkit import protected_fk
from .organizations import Organization
from .people import User
from .records import MarkedModel
from .reference import Country


class Notification(MarkedModel):
    recipient_org = protected_fk(
        Organization,
        related_name="notifications",
        help_text="The organization told; its members act on it.",
    )
    country = optional_fk(Country, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    rule = models.CharField(
        max_length=20, blank=True, help_text="The SPEC rule that asks for it, e.g. R-FMS-08."
    )
    url = models.CharField(max_length=300, blank=True, help_text="Where the recipient acts on it.")
    content_type = optional_fk(ContentType, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    sent_by = optional_fk(User, related_name="+")
    partner_visible = models.BooleanField(default=False)
    delivered_at = models.DateTimeField(
        null=True, blank=True, help_text="When members were told by e-mail."
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = optional_fk(User, related_name="+")

    owner_org_field = "recipient_org"
    partner_visible_field = "partner_visible"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient_org", "acknowledged_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return self.subject

    detail_url = "notification-detail"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
