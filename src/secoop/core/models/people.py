"""People: accounts, memberships (a role in an organization), logon attempts and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager
from django.db import models
from django.db.models import Q

from ..rules import Audience
from ..rules import Clearance
from ..rules import Role
from .fieldkit import optional_date
from .fieldkit import optional_fk
from .fieldkit import protected_fk
from .organizations import Organization
from .pages import RecordPage
from .reference import Country


def new_access_version() -> int:
    """A fresh access version. Random, not a counter: a counter rolled back (a transaction, a
    restored backup, a reused id on SQLite) would name an old cached profile again."""
    return secrets.randbits(62)


class OwnRowsQuerySet(models.QuerySet):
    """Rows about people (audit events, access change requests): whoever oversees them sees every
    row, everyone else only the rows about themselves (`own_field`)."""

    own_field = "user"

    def oversees(self, profile, user) -> bool:
        return profile.is_administrator

    def visible_to(self, user):
        from ..access import profile_for

        profile = profile_for(user)
        if profile is None:
            return self.none()
        if self.oversees(profile, user):
            return self
        return self.filter(**{self.own_field: user})


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """U.S. Government staff see the directory; partner and industry users see the people of
        their own organizations only."""
        from ..access import profile_for

        profile = profile_for(user)
        if profile is None:
            return self.none()
        if profile.person.audience == Audience.USG:
            return self
        return self.filter(
            Q(pk=user.pk) | Q(memberships__organization_id__in=profile.person.member_org_ids)
        ).distinct()


class PersonManager(UserManager.from_queryset(PersonQuerySet)):
    pass


class User(RecordPage, AbstractUser):
    """A person with an account. Administration is a role (Membership), not a clearance: an
    administrator without a clearance does not see a classified record (ARCHITECTURE §2.1)."""

    display_name = models.CharField(max_length=150, blank=True)
    title = models.CharField("job title", max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    audience = models.CharField(
        max_length=10,
        choices=Audience.CHOICES,
        default=Audience.USG,
        help_text="U.S. Government, partner nation or industry: decides which door the user comes through.",
    )
    citizenship = protected_fk(Country, related_name="+", default="USA", db_column="citizenship")
    clearance = models.PositiveSmallIntegerField(choices=Clearance.CHOICES, default=Clearance.NONE)
    is_le_staff = models.BooleanField(
        "locally employed staff",
        default=False,
        help_text="R-SEC-02: LE staff see no classified record without an LAA.",
    )
    laa_level = models.PositiveSmallIntegerField(
        "Limited Access Authorization",
        choices=Clearance.CHOICES,
        default=Clearance.NONE,
        help_text="For LE staff: the level of an LAA, if one was granted.",
    )
    laa_justification = models.TextField(
        blank=True,
        help_text="Unique skill, job need for the access, no cleared U.S. citizen available.",
    )
    last_investigation_on = optional_date(
        "last background investigation",
        help_text="LE staff need a reinvestigation every 5 years (R-SEC-02).",
    )
    locked_at = models.DateTimeField(
        null=True, blank=True, help_text="R-SEC-07: set after repeated failed logons."
    )
    disabled_reason = models.CharField(max_length=200, blank=True)
    access_version = models.BigIntegerField(
        default=new_access_version,
        editable=False,
        help_text="Changed by every write that changes what the user may read (memberships, "
        "clearance, account state): a cached access profile of another version is not used.",
    )
    password_history = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Hashes of the latest passwords, newest last (ASD STIG V-222546: no reuse of the last 5).",
    )

    objects = PersonManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    detail_url = "person-detail"

    def set_password(self, raw_password):
        """Keep the hash of each new password, so that none of the last
        PASSWORD_HISTORY_COUNT can be chosen again (ASD STIG V-222546)."""
        from django.conf import settings

        super().set_password(raw_password)
        if raw_password is not None:
            keep = max(settings.PASSWORD_HISTORY_COUNT, 1)
            self.password_history = [*list(self.password_history or []), self.password][-keep:]

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_foreign_national(self) -> bool:
        return self.citizenship_id != "USA"


class Membership(models.Model):
    """A user's role in one organization. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = protected_fk(Organization, related_name="memberships")
    role = models.CharField(max_length=24, choices=Role.CHOICES)
    since = optional_date()

    class Meta:
        ordering = ["organization__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{Role.LABELS.get(self.role, self.role)}, {self.organization}"

    # Whatever writes a membership (an action, the demo, a test), the user's cached access
    # profile is not used again (core.access, issue 15 §5).
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        User.objects.filter(pk=self.user_id).update(access_version=new_access_version())

    def delete(self, *args, **kwargs):
        user_id = self.user_id
        result = super().delete(*args, **kwargs)
        User.objects.filter(pk=user_id).update(access_version=new_access_version())
        return result

    @property
    def role_label(self) -> str:
        return Role.LABELS.get(self.role, self.role)


class LogonAttempt(models.Model):
    """Every logon attempt, kept for lockout (R-SEC-07) and audit (R-SEC-09)."""

    username = models.CharField(max_length=150, db_index=True)
    user = optional_fk(User, related_name="+")
    at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField()
    channel = models.CharField(max_length=10, default="web")  # web | api
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {'ok' if self.succeeded else 'failed'} ({self.channel})"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(user=user) if getattr(user, "is_authenticated", False) else self.none()


class ApiToken(models.Model):
    """An expiring API token. Only its SHA-256 digest is stored: a database copy grants nothing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    session_key = models.CharField(
        max_length=40,
        blank=True,
        help_text="The web session the token was created in: logging off that session revokes it.",
    )

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"token {self.prefix}… of {self.user_id}"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(key: str) -> str:
        return _digest(key)
