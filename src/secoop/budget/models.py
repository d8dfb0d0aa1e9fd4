"""Budget requests, forecasts and the Chief of Mission's MSRP/ICS objectives (SPEC §8).

Every record is an InternalRecord: partner users never see budget requests or forecasts, through
any surface (R-FCT-05, R-SEC-03: "avoid false impressions" of U.S. approval); industry sees none
either (the door scopes industry to its own company's records). Writes go through budget.actions.
Cases, LORs and planning activities are referred to by key and read through the door, never
copied.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models

from secoop.cases.models import LetterOfRequest
from secoop.core import fiscal
from secoop.core.formats import usd
from secoop.core.models import Country
from secoop.core.models import InternalRecord
from secoop.core.models import Organization
from secoop.core.models import ReferenceQuerySet
from secoop.core.models import User
from secoop.core.models.fieldkit import action_date
from secoop.core.models.fieldkit import fiscal_year
from secoop.core.models.fieldkit import non_negative_usd
from secoop.core.models.fieldkit import optional_date
from secoop.core.models.fieldkit import optional_fk
from secoop.core.models.fieldkit import protected_fk
from secoop.planning.models import Activity
from secoop.planning.models import GuidanceDocument
from secoop.planning.models import IntermediateObjective

from . import rules
from .rules import Capability
from .rules import Channel
from .rules import FundingSource
from .rules import Purpose
from .rules import SaleKind
from .rules import Stage


def country_name(record) -> str:
    """The name users know a record's country by ("Bandaria", not its code "XBN"): the country
    read with the record (select_related) or once for it (countries are reference data, not
    marked); the code when the record names no country that exists."""
    if not record.country_id:
        return ""
    try:
        return record.country.name
    except Country.DoesNotExist:
        return record.country_id


# --- the notional timeline (reference data: SAMM Table C2.T2) --------------------------------------


class NotionalStep(models.Model):
    """One row of SAMM Table C2.T2, the notional timeline of the military assistance budget:
    data with its source and effective date, edited by an administrator. A budget call copies
    the rows in force into its own steps, with the real dates of that year (R-BUD-05)."""

    order = models.PositiveSmallIntegerField()
    timing = models.CharField(max_length=40, help_text="As the table says it, e.g. 'Mid August'.")
    month = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(28)])
    year_offset = models.SmallIntegerField(
        help_text="Calendar year relative to the budget fiscal year: -2 for mid-August before "
        "a request whose funds are executed two years later."
    )
    stage = models.CharField(
        max_length=12,
        choices=Stage.STEP_CHOICES,
        blank=True,
        help_text="The stage whose holder hands the request on by this date; empty for a meeting.",
    )
    action = models.TextField()
    source = models.CharField(max_length=200)
    effective_from = models.DateField()
    notes = models.TextField(blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["effective_from", "order"]
        constraints = [
            models.UniqueConstraint(fields=["effective_from", "order"], name="budget_step_order")
        ]

    def __str__(self) -> str:
        return f"{self.timing}: {self.action[:60]}"

    @property
    def timing_rule(self) -> rules.NotionalTiming:
        return rules.NotionalTiming(self.month, self.day, self.year_offset)


# --- the budget call --------------------------------------------------------------------------------


class BudgetCall(InternalRecord):
    """DSCA's annual FMF/IMET budget call for one budget fiscal year (SAMM C2.3.3.1.1)."""

    budget_fy = fiscal_year(
        "budget fiscal year",
        unique=True,
        help_text="The fiscal year the funds are for (executed two years after the call).",
    )
    owner_org = protected_fk(Organization, related_name="+")
    issued_on = models.DateField()
    reference = models.CharField(
        max_length=300, blank=True, help_text="The call's message or the Budget Web Tool posting."
    )
    notes = models.TextField(blank=True)

    country_field = None

    class Meta:
        ordering = ["-budget_fy"]

    def __str__(self) -> str:
        return f"FMF/IMET budget call FY{self.budget_fy}"

    detail_url = "budget:call-detail"


class CallStep(InternalRecord):
    """A step of a budget call with its due date (R-BUD-05)."""

    call = models.ForeignKey(BudgetCall, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=12, choices=Stage.STEP_CHOICES, blank=True)
    action = models.TextField()
    due_on = models.DateField()
    source = models.CharField(max_length=200)

    scoped_by = "call"
    detail_url = "budget:call-detail"
    detail_arg = "call_id"

    class Meta:
        ordering = ["call", "order"]
        constraints = [models.UniqueConstraint(fields=["call", "order"], name="budget_call_step")]

    def __str__(self) -> str:
        return f"Step {self.order}: {self.action[:60]}"


# --- the Chief of Mission's objectives (MSRP / ICS) -------------------------------------------------


class MissionObjective(InternalRecord):
    """An objective of the Chief of Mission's Mission Strategic Resource Plan (MSRP), as set out
    in the Integrated Country Strategy (ICS): budget lines must fit one (R-BUD-04). Planning keeps
    the ICS as a guidance document; its objectives are kept here, one row each."""

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+", help_text="The embassy.")
    code = models.CharField(max_length=20, help_text="As the MSRP/ICS numbers it, e.g. 'MO 2.1'.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    ics = optional_fk(GuidanceDocument, related_name="+", verbose_name="ICS")
    first_fy = fiscal_year()
    last_fy = fiscal_year()

    class Meta:
        ordering = ["country", "code"]
        verbose_name = "MSRP/ICS objective"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    detail_url = "budget:objective-detail"


# --- the country's budget request -------------------------------------------------------------------


class BudgetRequest(InternalRecord):
    """A country's FMF/IMET budget request for one call: unconstrained (R-BUD-02), moving SCO →
    CCMD → Joint Staff → DSCA → OSD Policy → DoS (R-BUD-05)."""

    call = protected_fk(BudgetCall, related_name="requests")
    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="SCO")
    budget_fy = fiscal_year(
        "budget fiscal year",
        editable=False,
        help_text="The call's budget year, named with the request (set from the call).",
    )
    stage = models.CharField(
        max_length=12, choices=Stage.CHOICES, default=Stage.SCO, editable=False
    )
    uncommitted_fmf = non_negative_usd(
        "uncommitted FMF balance (USD)", default=Decimal("0"), max_digits=14
    )
    uncommitted_plan = models.TextField(
        "plan for the uncommitted balance", blank=True, help_text="R-BUD-03: how it will be used."
    )
    uncommitted_commit_by = optional_date(
        "to be committed by", help_text="R-BUD-03: the timeframe."
    )
    allocated_fmf = non_negative_usd(
        "FMF allocated (USD)", null=True, blank=True, editable=False, max_digits=14
    )
    allocated_imet = non_negative_usd(
        "IMET allocated (USD)", null=True, blank=True, editable=False, max_digits=14
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-budget_fy", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "country"],
                name="budget_request_per_call",
                violation_error_message="This country already has a request for this budget call: open it and add the requirement there.",
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.budget_fy} FMF/IMET budget request, {country_name(self)}"

    detail_url = "budget:request-detail"

    @property
    def stage_label(self) -> str:
        return Stage.LABELS.get(self.stage, self.stage)


class OnRequest:
    """A record that is part of a budget request: the request's scope is its scope (the door),
    its change log is the request's, and it is shown on the request's page."""

    owner_org_field = "request__owner_org"
    country_field = "request__country"
    history_parent = "request"
    detail_url = "budget:request-detail"
    detail_arg = "request_id"


class Requirement(OnRequest, InternalRecord):
    """One requirement of a request, with every element of R-BUD-01."""

    # What whoever holds the request enters (the form and the API take these).
    entry_fields = (
        "title",
        "funding_source",
        "purpose",
        "priority",
        "objective",
        "capability",
        "capability_text",
        "time_to_achieve",
        "end_state",
        "justification",
        "mission_objective",
        "activity",
    )

    request = models.ForeignKey(
        BudgetRequest, on_delete=models.CASCADE, related_name="requirements"
    )
    title = models.CharField(max_length=300)
    funding_source = models.CharField(max_length=4, choices=FundingSource.CHOICES)
    purpose = models.CharField(max_length=10, choices=Purpose.CHOICES)
    priority = models.PositiveSmallIntegerField(help_text="1 is highest (R-BUD-01).")
    objective = models.TextField(help_text="What needs to be accomplished and why.")
    capability = models.CharField(max_length=10, choices=Capability.CHOICES)
    capability_text = models.TextField(
        "capability", help_text="The capability it creates, enhances or maintains."
    )
    time_to_achieve = models.CharField("time to achieve the objective", max_length=200)
    end_state = models.TextField("desired end state")
    justification = models.TextField(
        help_text="The materiel/services required and why they are critical."
    )
    mission_objective = optional_fk(
        MissionObjective,
        related_name="requirements",
        verbose_name="MSRP/ICS objective",
        help_text="R-BUD-04: the Chief of Mission's objective it serves.",
    )
    activity = optional_fk(Activity, related_name="+", verbose_name="country-plan activity")

    class Meta:
        ordering = ["request", "priority", "pk"]

    shown_by = "title"


class RequirementYear(InternalRecord):
    """The out-year program need of a requirement in one fiscal year (R-BUD-01), USD."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="years")
    fiscal_year = fiscal_year()
    amount = non_negative_usd("amount (USD)", max_digits=14)

    scoped_by = "requirement"

    class Meta:
        ordering = ["requirement", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "fiscal_year"], name="budget_need_per_fy"
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}: {usd(self.amount)}"


class RequestVersion(OnRequest, InternalRecord):
    """The request as one stage handed it on (R-BUD-05): its requirements and out-year needs,
    kept so that each stage's changes read as a diff against the version before."""

    request = models.ForeignKey(BudgetRequest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    stage = models.CharField(
        max_length=12, choices=Stage.CHOICES, help_text="The stage that handed it on."
    )
    made_by = optional_fk(User, related_name="+")
    made_on = models.DateField()
    content = models.JSONField(default=list)

    class Meta:
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="budget_version_number")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} ({Stage.LABELS.get(self.stage, self.stage)})"


# --- forecasts ------------------------------------------------------------------------------------------


class ForecastSubmission(InternalRecord):
    """The SCO's one forecast submission a year (R-FCT-01: tasked in April, due in June), from
    which DSCA draws the Javits report (calendar `report_year`) and the FMS sales forecast (the
    two fiscal years from `report_year`). Never shown to partners (R-FCT-05)."""

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="SCO")
    report_year = fiscal_year(
        help_text="The Javits calendar year and the first fiscal year of the sales forecast."
    )
    status = models.CharField(
        max_length=10, choices=list(rules.FORECAST.labels.items()), default="draft", editable=False
    )
    submitted_on = action_date()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-report_year", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "report_year"],
                name="budget_one_forecast_a_year",
                violation_error_message="R-FCT-01: one SCO submission per year: this country's forecast for this year exists; add the sale to it.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_year} forecast, {country_name(self)}"

    detail_url = "budget:forecast-detail"


class ForecastSale(InternalRecord):
    """One possible sale of a forecast submission."""

    # What the SCO enters (the form and the API take these).
    entry_fields = (
        "title",
        "channel",
        "kind",
        "value",
        "probability",
        "expected_on",
        "fmf_funded",
        "lor",
        "objective",
        "notes",
    )

    submission = models.ForeignKey(
        ForecastSubmission, on_delete=models.CASCADE, related_name="sales"
    )
    title = models.CharField(max_length=300)
    channel = models.CharField(max_length=4, choices=Channel.CHOICES)
    kind = models.CharField(max_length=6, choices=SaleKind.CHOICES)
    value = non_negative_usd("estimated value (USD)", max_digits=14)
    probability = models.PositiveSmallIntegerField(
        "probability (%)", validators=[MaxValueValidator(100)]
    )
    expected_on = models.DateField("expected sale (LOA signature / license) date")
    fmf_funded = models.BooleanField("paid with FMF", default=False)
    lor = optional_fk(LetterOfRequest, related_name="+", verbose_name="LOR")
    objective = optional_fk(
        IntermediateObjective,
        related_name="+",
        verbose_name="country-plan objective (IMO / outcome)",
    )
    notes = models.TextField(blank=True)

    scoped_by = "submission"
    detail_url = "budget:forecast-detail"
    detail_arg = "submission_id"

    class Meta:
        ordering = ["submission", "expected_on", "pk"]

    shown_by = "title"

    @property
    def fiscal_year(self) -> int:
        return fiscal.fiscal_year(self.expected_on)

    def facts(self) -> rules.Sale:
        return rules.Sale(self.channel, self.kind, self.value, self.probability, self.expected_on)
