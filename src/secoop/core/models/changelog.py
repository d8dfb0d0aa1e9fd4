"""The append-only change log (R-SEC-04, ARCHITECTURE invariant 3) and the security audit log
(R-SEC-09). The database itself refuses UPDATE and DELETE on both tables (triggers in migration
0002), so not even a bug or an administrator's SQL through the product can rewrite history."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .. import fields as field_policy
from ..search import SearchDocument
from .fieldkit import optional_fk
from .fieldkit import protected_fk
from .people import OwnRowsQuerySet
from .people import User
from .records import MarkedManager
from .records import MarkedQuerySet
from .records import MarkingFields


class ChangeAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    TRANSITION = "transition", "Status change"


UNRESTRICTED = "system"  # an entry read through .system(): trusted code sees every field


class ChangeLogQuerySet(MarkedQuerySet):
    """The door for the log, which also remembers who reads: every entry it yields knows its
    reader, so `shown_before`, `shown_after` and `changed_fields` give that reader only the fields
    the record's field policy lets them see (ARCHITECTURE invariant 8, R-SEC-10)."""

    _reader: str | None = None

    def _clone(self):
        clone = super()._clone()
        clone._reader = self._reader
        return clone

    def visible_to(self, user):
        qs = super().visible_to(user)
        qs._reader = field_policy.reader_of(user) or ""
        return qs

    def system(self):
        qs = super().system()
        qs._reader = UNRESTRICTED
        return qs

    def _tag(self, obj):
        if isinstance(obj, ChangeLogEntry):
            obj.reader = self._reader
        return obj

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh:
            for obj in self._result_cache:
                self._tag(obj)

    def iterator(self, *args, **kwargs):
        for obj in super().iterator(*args, **kwargs):
            yield self._tag(obj)


class ChangeLogManager(MarkedManager.from_queryset(ChangeLogQuerySet)):
    """The door (`visible_to`) on change-log entries that know their reader (field policy)."""


def _scope_key(to: str) -> models.ForeignKey:
    """A record's scope as it was when changed: no database constraint, so that the entry
    outlives the organization or country it names."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class ChangeLogEntry(MarkingFields):
    """One create/update/delete/transition of a domain record. It carries the record's marking,
    owner and country as they were, so the door filters the history like the record itself and a
    deleted record's history stays protected."""

    at = models.DateTimeField(db_index=True)
    user = optional_fk(User, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    request_id = models.UUIDField(db_index=True)
    action = models.CharField(max_length=12, choices=ChangeAction.choices)
    transition = models.CharField(
        max_length=60, blank=True, help_text="For a status change: its name."
    )
    content_type = protected_fk(ContentType, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=200)
    related_content_type = optional_fk(ContentType, related_name="+")
    related_object_id = models.CharField(max_length=64, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # Scope of the record at the time, for the door.
    owner_org = _scope_key("core.Organization")
    country = _scope_key("core.Country")
    partner_visible = models.BooleanField(default=False)

    partner_visible_field = "partner_visible"
    # Searched through full-text indexes, ranked (core.search; dbindex.FullText in migration 0016).
    search_document = SearchDocument.of(
        text={"object_repr": 1.0, "reason": 0.6}, codes=("username",)
    )

    objects = ChangeLogManager()
    # Who the entry was read for (set by the queryset): a reader kind, UNRESTRICTED, or None for
    # an entry built in memory (its writer sees it all).
    reader: str | None = None

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "change log entry"
        verbose_name_plural = "change log"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr} by {self.username or 'system'}"

    detail_url = "change-detail"

    # --- what the reader may see (the record's field policy) -----------------------------------
    @property
    def record_model(self):
        if not self.content_type_id:
            return None
        # A list reads content_type with select_related: use it, so the query count does not
        # depend on which content types the process has cached already.
        if ChangeLogEntry.content_type.is_cached(self):
            return self.content_type.model_class()
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    def _shown(self, state: dict | None) -> dict | None:
        if self.reader in (None, UNRESTRICTED):
            return state
        return field_policy.restrict(self.record_model, self.reader, state)

    @property
    def shown_before(self) -> dict | None:
        """The before snapshot, cut to the fields this entry's reader may see."""
        return self._shown(self.before)

    @property
    def shown_after(self) -> dict | None:
        return self._shown(self.after)

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field that differs and the reader may see."""
        before = self.shown_before or {}
        after = self.shown_after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AuditEventKind(models.TextChoices):
    LOGON = "logon", "Logon"
    LOGON_FAILED = "logon_failed", "Failed logon"
    LOGOFF = "logoff", "Logoff"
    LOCKOUT = "lockout", "Account locked"
    UNLOCK = "unlock", "Account unlocked"
    DISABLED_INACTIVE = "disabled_inactive", "Account disabled for inactivity"
    ACCOUNT_CHANGE = "account_change", "Account changed"
    TOKEN_ISSUED = "token_issued", "API token issued"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    CONSENT = "consent", "Notice and consent acknowledged"
    PRIVILEGED = "privileged", "Privileged action"


class AuditEventQuerySet(OwnRowsQuerySet):
    """Security auditors are administrators; everyone else sees their own events."""


class AuditEvent(models.Model):
    """Logons, failures, lockouts and privileged actions (R-SEC-09)."""

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=AuditEventKind.choices)
    user = optional_fk(User, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    actor = optional_fk(User, related_name="+")
    request_id = models.UUIDField(null=True, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    detail = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
