"""Capabilities-based analysis, the SC program catalog and resourcing scenarios (SPEC §3).

Every record is internal to the U.S. Government (core's InternalRecord: `partner_visible = False`,
R-SEC-03): partners and industry never see them. Writes go through analysis.actions.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models

from secoop.core.fiscal import FiscalPeriod
from secoop.core.models import Country
from secoop.core.models import InternalRecord
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.fieldkit import fiscal_year
from secoop.core.models.fieldkit import non_negative_usd
from secoop.core.models.fieldkit import optional_fk
from secoop.core.models.fieldkit import protected_fk
from secoop.core.models.reference import ccmd_field
from secoop.planning.models import FundingSource
from secoop.planning.models import IntermediateObjective

from . import rules

# --- the program catalog --------------------------------------------------------------------------


class Program(InternalRecord):
    """An SC program or authority (SPEC §3 step 6): who funds and executes it, what it may buy,
    its limits, the lifespan of its money, its timelines and notifications — each row with its
    source and the date it took effect. Kept by DSCA; an administrator edits it too."""

    key = models.CharField(
        max_length=40, unique=True, help_text="How planners name it, e.g. 10 USC 333."
    )
    abbreviation = models.CharField(max_length=60, blank=True, help_text="e.g. S333 / BPC.")
    name = models.CharField(max_length=300)
    authority = models.CharField(max_length=300, help_text="The statute, e.g. 10 U.S.C. 333.")
    title_code = models.CharField(
        "title", max_length=8, choices=rules.Title.choices, default=rules.Title.T10
    )
    funds = models.CharField("who funds", max_length=300, blank=True)
    executes = models.CharField("who administers / executes", max_length=400, blank=True)
    purpose = models.TextField(blank=True)
    dotmlpf = models.CharField(
        "may buy (DOTMLPF-P)",
        max_length=40,
        blank=True,
        help_text="Codes separated by commas: D, O, T, M, L, P, F, Pol.",
    )
    is_bpc = models.BooleanField(
        "Building Partner Capacity program",
        default=False,
        help_text="BPC programs require a DOTMLPF-P analysis (R-CBA-01).",
    )
    eligibility = models.TextField("eligibility limits", blank=True)
    eligible_countries = models.CharField(
        max_length=400,
        blank=True,
        help_text="ISO alpha-3 codes separated by commas when the program is limited to named "
        "countries; empty when any eligible partner may receive it.",
    )
    lifespan_years = models.PositiveSmallIntegerField(
        "money lifespan (years)",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Money of FY y may pay costs in FY y … y + lifespan − 1.",
    )
    lifespan_note = models.CharField(max_length=300, blank=True)
    submission_deadline = models.CharField(max_length=300, blank=True)
    lead_time_months = models.PositiveSmallIntegerField(
        "lead time (months)",
        default=12,
        help_text="From request to the first delivery or event, as planners use it.",
    )
    notification = models.CharField("notification needs", max_length=400, blank=True)
    caps = models.TextField("caps and other limits", blank=True)
    funding_source = models.CharField(
        "planning funding source",
        max_length=12,
        choices=FundingSource.choices,
        default=FundingSource.OTHER,
        help_text="How a committed activity's funding line names it (planning).",
    )
    status = models.CharField(
        max_length=12, choices=rules.ProgramStatus.choices, default=rules.ProgramStatus.CURRENT
    )
    unconfirmed = models.TextField(
        blank=True, help_text="Facts of this row that no source read confirms (check them)."
    )
    source = models.CharField(max_length=500)
    effective_from = models.DateField(help_text="The date the facts were read as in force.")
    # Reference data loaded by a migration, before any organization exists: no owner. It is
    # changed only through actions.update_program (administrators and DSCA staff).
    owner_org = optional_fk(Organization, related_name="+")

    country_field = None

    class Meta:
        ordering = ["key"]
        verbose_name = "SC program"
        verbose_name_plural = "SC programs"

    def __str__(self) -> str:
        return f"{self.key} — {self.name}"[:200]

    detail_url = "analysis:program-detail"

    @property
    def dotmlpf_codes(self) -> list[str]:
        return [c.strip() for c in self.dotmlpf.split(",") if c.strip()]

    @property
    def eligible(self) -> frozenset[str] | None:
        codes = {c.strip().upper() for c in self.eligible_countries.split(",") if c.strip()}
        return frozenset(codes) or None

    @property
    def is_live(self) -> bool:
        return self.status in (rules.ProgramStatus.CURRENT, rules.ProgramStatus.EXPIRING)


# --- capabilities-based analysis -----------------------------------------------------------------


class CapabilityAnalysis(InternalRecord):
    """A capabilities-based analysis of one partner role under one IMO (SPEC §3)."""

    imo = protected_fk(
        IntermediateObjective, related_name="capability_analyses", verbose_name="IMO / outcome"
    )
    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="owning organization")
    title = models.CharField(max_length=300)
    role_kind = models.CharField(
        "kind of role", max_length=12, choices=rules.RoleKind.choices, default="primary"
    )
    partner_role = models.TextField(
        "role the partner is to play", help_text="The partner unit and what it does."
    )
    partner_desire = models.CharField(
        "partner's desire to play it",
        max_length=10,
        choices=rules.Desire.choices,
        default=rules.Desire.UNCERTAIN,
    )
    desire_notes = models.TextField(
        "evidence of the partner's desire",
        blank=True,
        help_text="Political and civil-society consensus, public opinion, priorities, fiscal realities.",
    )
    required_capability = models.TextField(blank=True)
    current_capability = models.TextField(blank=True)
    operational_risk = models.CharField(
        max_length=8, choices=rules.Level.choices, default="moderate"
    )
    political_risk = models.CharField(max_length=8, choices=rules.Level.choices, default="moderate")
    urgency = models.CharField(max_length=8, choices=rules.Level.choices, default="moderate")
    # R-CBA-03: U.S. investment considerations
    prioritizing = models.TextField(blank=True)
    deriving = models.TextField(blank=True)
    integrating = models.TextField(blank=True)
    balancing = models.TextField(blank=True)
    sequencing = models.TextField(blank=True)
    resourcing = models.TextField(blank=True)
    status = models.CharField(
        max_length=8, choices=list(rules.ANALYSIS.labels.items()), default="draft", editable=False
    )

    class Meta:
        ordering = ["country__name", "title"]
        verbose_name = "capabilities-based analysis"
        verbose_name_plural = "capabilities-based analyses"

    shown_by = "title"

    detail_url = "analysis:analysis-detail"

    @property
    def partner_willing(self) -> bool:
        return rules.partner_willing(self.partner_desire)

    @property
    def is_ready(self) -> bool:
        return self.status in rules.ANALYSIS.states_allowing("reopen")

    @property
    def status_label(self) -> str:
        return rules.ANALYSIS.label_of(self.status)

    def considerations(self) -> dict[str, str]:
        return {key: getattr(self, key) for key, _, _ in rules.CONSIDERATIONS}


class Gap(InternalRecord):
    """A gap between required and current capability, classified by DOTMLPF-P (R-CBA-01) or a
    joint function."""

    analysis = models.ForeignKey(CapabilityAnalysis, on_delete=models.CASCADE, related_name="gaps")
    title = models.CharField(max_length=300)
    dotmlpf = models.CharField("DOTMLPF-P", max_length=3, choices=rules.Dotmlpf.choices, blank=True)
    joint_function = models.CharField(
        max_length=12, choices=rules.JointFunction.choices, blank=True
    )
    required = models.TextField("required capability", blank=True)
    current = models.TextField("current capability", blank=True)
    risk = models.CharField(
        "risk if it persists", max_length=8, choices=rules.Level.choices, default="moderate"
    )

    scoped_by = "analysis"

    class Meta:
        ordering = ["analysis", "dotmlpf", "title"]
        verbose_name = "capability gap"

    shown_by = "title"

    detail_url = "analysis:analysis-detail"
    detail_arg = "analysis_id"


class SolutionOption(InternalRecord):
    """A way to close a gap (PLAN "Identify Alternate Solutions"): its cost by fiscal year, lead
    time, the programs that could fund it, its expected effect and who supports it (R-CBA-04)."""

    gap = models.ForeignKey(Gap, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_time_months = models.PositiveSmallIntegerField("lead time (months)", default=12)
    latest_start_fy = fiscal_year("latest start (fiscal year)", null=True, blank=True)
    expected_effect = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="Share of the gap it closes, 0 to 1.",
    )
    programs = models.ManyToManyField(
        Program, blank=True, related_name="options", verbose_name="programs that could fund it"
    )
    dod_support = models.BooleanField("DoD supports it", default=False)
    dos_support = models.BooleanField("DoS / other agencies support it", default=False)
    partner_support = models.BooleanField("the partner supports it", default=False)
    requires = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by",
        verbose_name="prerequisite options",
    )  # fmt: skip
    excludes = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name="mutually exclusive options"
    )
    affordable = models.BooleanField(default=True)
    feasible = models.BooleanField(default=True)
    responsive = models.BooleanField(default=True)

    scoped_by = "gap"

    class Meta:
        ordering = ["gap", "title"]
        verbose_name = "solution option"

    shown_by = "title"

    detail_url = "analysis:option-detail"

    @property
    def support(self) -> rules.Support:
        return rules.Support(self.dod_support, self.dos_support, self.partner_support)


class OptionCost(InternalRecord):
    """An option's cost in one fiscal year (USD, Decimal)."""

    option = models.ForeignKey(SolutionOption, on_delete=models.CASCADE, related_name="costs")
    fiscal_year = fiscal_year()
    amount = non_negative_usd("amount (USD)", max_digits=14)

    scoped_by = "option"

    class Meta:
        ordering = ["option", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["option", "fiscal_year"], name="option_cost_fy_unique")
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}: {self.amount:,.2f}"


class PlannedResource(InternalRecord):
    """Resources the partner, another agency or a third country already plans for the same
    capability (R-CBA-05)."""

    gap = models.ForeignKey(Gap, on_delete=models.CASCADE, related_name="planned_resources")
    provider_kind = models.CharField(max_length=14, choices=rules.ProviderKind.choices)
    provider = models.CharField(max_length=200, help_text="e.g. Bandaria MoD, DoS INL, France.")
    description = models.CharField(max_length=400)
    fiscal_year = fiscal_year()
    amount = non_negative_usd("amount (USD)", max_digits=14)

    scoped_by = "gap"

    class Meta:
        ordering = ["gap", "fiscal_year", "provider"]
        verbose_name = "resource planned by others"
        verbose_name_plural = "resources planned by others"

    def __str__(self) -> str:
        return f"{self.provider}: {self.description}"[:200]


# --- scenarios -----------------------------------------------------------------------------------


class Scenario(FiscalPeriod, InternalRecord):
    """A resourcing scenario: budgets per program per fiscal year, weights, the countries in it
    and their limits; solved by the optimizer and by the greedy baseline side by side."""

    title = models.CharField(max_length=300)
    owner_org = protected_fk(Organization, related_name="+", verbose_name="owning organization")
    ccmd = ccmd_field("combatant command", "The theater whose countries compete for the money.")
    start_fy = fiscal_year("first fiscal year")
    end_fy = fiscal_year("last fiscal year")
    notes = models.TextField(blank=True)
    time_limit_seconds = models.PositiveSmallIntegerField(
        "solve time limit (seconds)", default=30, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )  # fmt: skip
    status = models.CharField(
        max_length=10, choices=list(rules.SCENARIO.labels.items()), default="draft", editable=False
    )
    solve_state = models.CharField(max_length=10, default="", blank=True, editable=False)
    solve_progress = models.FloatField(default=0, editable=False)
    solve_message = models.CharField(max_length=500, blank=True, editable=False)
    committed_method = models.CharField(max_length=12, blank=True, editable=False)
    committed_at = models.DateTimeField(null=True, blank=True, editable=False)
    committed_by = optional_fk(User, related_name="+", editable=False)

    country_field = None

    class Meta:
        ordering = ["-start_fy", "title"]

    shown_by = "title"

    detail_url = "analysis:scenario-detail"

    @property
    def fiscal_years(self) -> tuple[int, ...]:
        return tuple(range(self.start_fy, self.end_fy + 1))

    @property
    def status_label(self) -> str:
        return rules.SCENARIO.label_of(self.status)

    @property
    def is_committed(self) -> bool:
        return rules.SCENARIO.is_final(self.status)

    @property
    def is_solving(self) -> bool:
        return self.solve_state in ("queued", "running")


class ScenarioBudget(InternalRecord):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="budgets")
    program = protected_fk(Program, related_name="+")
    fiscal_year = fiscal_year()
    amount = non_negative_usd("new money (USD)", max_digits=14)

    scoped_by = "scenario"

    class Meta:
        ordering = ["scenario", "program", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "program", "fiscal_year"], name="scenario_budget_unique"
            )
        ]
        verbose_name = "scenario budget line"

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} budget line"


class ScenarioCountry(InternalRecord):
    """A country in a scenario, with what it can absorb and the bounds on its share."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="countries")
    country = protected_fk(Country, related_name="+")
    absorb_per_year = non_negative_usd(
        "most it can absorb per fiscal year (USD)", null=True, blank=True, max_digits=14
    )
    min_total = non_negative_usd(
        "minimum over the scenario (USD)", null=True, blank=True, max_digits=14
    )
    max_total = non_negative_usd(
        "maximum over the scenario (USD)", null=True, blank=True, max_digits=14
    )

    owner_org_field = "scenario__owner_org"
    history_parent = "scenario"

    class Meta:
        ordering = ["scenario", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "country"], name="scenario_country_unique")
        ]
        verbose_name = "scenario country"
        verbose_name_plural = "scenario countries"

    def __str__(self) -> str:
        try:
            name = self.country.name  # reference data, not marked: the name users know it by
        except Country.DoesNotExist:
            name = self.country_id
        return f"{name} in a scenario"


class ScenarioWeight(InternalRecord):
    """A scenario's weight for an analysis's IMO (default: from the IMO's priority)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="weights")
    analysis = models.ForeignKey(CapabilityAnalysis, on_delete=models.CASCADE, related_name="+")
    weight = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    scoped_by = "scenario"

    class Meta:
        ordering = ["scenario", "analysis"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "analysis"], name="scenario_weight_unique")
        ]

    def __str__(self) -> str:
        return f"weight {self.weight}"


class ScenarioPlan(InternalRecord):
    """One method's plan for a scenario (optimizer or greedy): what it funds, when, from which
    program; its value, gap and time; and for each option not chosen the reason (R-CBA-06).
    `options` keeps what each option was when solved (title, country, costs), so the plan reads
    the same after the analysis changes."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="plans")
    method = models.CharField(max_length=12)
    status = models.CharField(max_length=12)
    value = models.FloatField(default=0)
    gap = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    choices = models.JSONField(default=list, blank=True)
    not_chosen = models.JSONField(default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True)
    activity_ids = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)

    scoped_by = "scenario"

    class Meta:
        ordering = ["scenario", "method"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "method"], name="scenario_plan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.method_label} plan"

    @property
    def method_label(self) -> str:
        return {"milp": "Optimizer (MILP, HiGHS)", "greedy": "Greedy baseline"}.get(
            self.method, self.method
        )

    @property
    def total_cost(self) -> Decimal:
        total = Decimal("0")
        for choice in self.choices:
            total += sum(
                (Decimal(c) for c in self.options.get(choice["option"], {}).get("costs", [])),
                Decimal("0"),
            )
        return total
