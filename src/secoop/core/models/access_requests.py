"""Requests to change what a person may read (R-SEC-11): an administrator asks, a security
officer who is neither the requester nor the subject approves or refuses, and only on approval
does the account change. Both steps are written to the audit log."""

from __future__ import annotations

from django.db import models

from ..rules import ACCESS_CHANGE
from .fieldkit import optional_fk
from .fieldkit import protected_fk
from .people import OwnRowsQuerySet
from .people import User


class AccessChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a security officer"
    APPROVED = "approved", "Approved and applied"
    REFUSED = "refused", "Refused"
    APPLIED = "applied", "Applied at once (lowers access)"


class AccessChangeRequestQuerySet(OwnRowsQuerySet):
    """Administrators and security officers see every request; others their own (as subject)."""

    own_field = "subject"

    def oversees(self, profile, user) -> bool:
        from ..access import holds_role
        from ..rules import Role

        return profile.is_administrator or holds_role(user, Role.SECURITY_OFFICER)


class AccessChangeRequest(models.Model):
    subject = protected_fk(User, related_name="access_requests")
    requested_by = protected_fk(User, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField(
        help_text="Why the person needs this access (job need, investigation reference)."
    )
    before = models.JSONField(help_text="The access fields as they were when asked.")
    changes = models.JSONField(help_text="Field → new value.")
    status = models.CharField(
        max_length=10, choices=AccessChangeStatus.choices, default=AccessChangeStatus.PENDING
    )
    decided_by = optional_fk(User, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = AccessChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "access change request"

    def __str__(self) -> str:
        return f"Access change #{self.pk} for {self.subject.username}"

    @property
    def is_pending(self) -> bool:
        return ACCESS_CHANGE.allows("approve", self.status)
