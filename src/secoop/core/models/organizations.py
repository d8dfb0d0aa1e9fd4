"""Organizations form a tree: DoD → CCMD → SCO; DoD → MILDEP → implementing agency; DoS → embassy."""

from __future__ import annotations

from django.db import models

from ..clock import default_zone
from ..clock import validate_time_zone
from ..rules import Audience
from .fieldkit import optional_fk
from .records import MarkedModel
from .reference import Country
from .reference import ccmd_field


class OrganizationKind(models.TextChoices):
    DOD = "dod", "Department of Defense"
    OSD = "osd", "Office of the Secretary of Defense"
    JOINT_STAFF = "joint_staff", "Joint Staff"
    DSCA = "dsca", "Defense Security Cooperation Agency"
    CCMD = "ccmd", "Combatant command"
    SCO = "sco", "Security cooperation organization"
    MILDEP = "mildep", "Military department"
    IMPLEMENTING_AGENCY = "implementing_agency", "Implementing agency"
    DOS = "dos", "Department of State"
    EMBASSY = "embassy", "Embassy / country team"
    PARTNER = "partner", "Partner ministry or service"
    COMPANY = "company", "Company"

    @classmethod
    def audience_of(cls, kind: str) -> str:
        if kind == cls.PARTNER:
            return Audience.PARTNER
        if kind == cls.COMPANY:
            return Audience.INDUSTRY
        return Audience.USG


class Organization(MarkedModel):
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=40, help_text="As users write it: 'SCO Bandaria', 'USASAC'."
    )
    kind = models.CharField(max_length=24, choices=OrganizationKind.choices)
    parent = optional_fk("self", related_name="children")
    # Materialized path '/1/5/12/' (ids from the root) so that a subtree is one indexed LIKE.
    tree_path = models.CharField(
        max_length=500, db_index=True, editable=False, blank=True, default=""
    )
    country = optional_fk(
        Country,
        related_name="organizations",
        help_text="The partner or host country, where there is one.",
    )
    ccmd = ccmd_field("combatant command", "For a combatant command, which one.")
    implementing_agency_code = models.CharField(
        max_length=1,
        blank=True,
        help_text="For an implementing agency: its one-character code in case identifiers (B = Army).",
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA time zone where the organization works (Asia/Manila); its 'today' and due dates "
        "follow it. Left empty, it is taken from the country, else the combatant command's headquarters, "
        "else the parent organization, else UTC.",
    )

    owner_org_field = "id"
    country_field = "country"

    class Meta:
        ordering = ["tree_path"]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        if not self.time_zone:
            self.time_zone = default_zone(
                self.country.alpha2 if self.country_id else None,
                self.ccmd,
                self.parent.time_zone if self.parent_id else None,
            )
        super().save(*args, **kwargs)

    detail_url = "organization-detail"

    @property
    def audience(self) -> str:
        return OrganizationKind.audience_of(self.kind)

    @property
    def depth(self) -> int:
        return max(self.tree_path.count("/") - 2, 0)

    def ancestor_ids(self) -> list[int]:
        return [int(x) for x in self.tree_path.strip("/").split("/") if x][:-1]
