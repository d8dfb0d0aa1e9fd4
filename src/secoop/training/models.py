"""International education and training (SPEC §7, SAMM C2.1.6): the course catalog and its costs
per program, four-year training plans with allocations, the annual CETPP and its lines, students,
human-rights vetting, the screening checklist, CCMD waivers, ITOs, arrival notices, after-training
records and graduates' positions.

Every record is a MarkedModel. Partners see their nominated students (course, dates and status —
the API and pages show them nothing else) and never vetting results, screening details, ITO
internals or internal assessments (R-SEC-03): those models set `partner_visible = False`. The
issued ITO itself is the exception: it is handed to the student (see Ito).
Writes go through training.actions.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models

from secoop.core.fields import FieldPolicy
from secoop.core.formats import day
from secoop.core.formats import usd
from secoop.core.models import CodeListEntry
from secoop.core.models import Country
from secoop.core.models import InternalRecord
from secoop.core.models import MarkedModel
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.fieldkit import action_date
from secoop.core.models.fieldkit import fiscal_year
from secoop.core.models.fieldkit import non_negative_usd
from secoop.core.models.fieldkit import optional_date
from secoop.core.models.fieldkit import optional_fk
from secoop.core.models.fieldkit import protected_fk
from secoop.core.related import loaded
from secoop.core.search import SearchDocument

from . import rules
from .rules import Funding
from .rules import Program
from .rules import ScreeningStatus
from .rules import StudentStatus
from .rules import VettingStatus

Internal = InternalRecord  # never shown to partner users (R-SEC-03)


# --- the course catalog ------------------------------------------------------------------------


class EimetAudience(models.TextChoices):
    MILITARY = "military", "Military"
    CIVILIAN = "civilian", "Civilians"
    BOTH = "both", "Military and civilians"


class Course(Internal):
    """A course of the catalog (the MASL line): where, how long, the minimum ECL and prerequisites
    (R-TRN-04), E-IMET certification (R-TRN-03)."""

    # The catalog entry's own fields, as the import, the API and the form take them.
    catalog_fields = (
        "course_id",
        "title",
        "school",
        "location",
        "length_weeks",
        "min_ecl",
        "prerequisites",
        "eimet_certified_on",
        "eimet_audience",
    )

    course_id = models.CharField(
        "course ID",
        max_length=20,
        unique=True,
        help_text="The MASL / course identifier, e.g. D171030.",
    )
    title = models.CharField(max_length=300)
    school = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True)
    length_weeks = models.DecimalField(
        "length (weeks)",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    min_ecl = models.PositiveSmallIntegerField(
        "minimum ECL",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="English Comprehension Level the course requires (R-TRN-04); empty when none.",
    )
    prerequisites = models.TextField(
        blank=True, help_text="What a student must have done or be before the course (R-TRN-04)."
    )
    eimet_certified_on = optional_date(
        "E-IMET certified on",
        help_text="Courses with more than half E-IMET content are certified; recertified every 5 years (R-TRN-03).",
    )
    eimet_audience = models.CharField(
        "E-IMET audience", max_length=10, choices=EimetAudience.choices, blank=True
    )
    owner_org = protected_fk(
        Organization, related_name="+", help_text="Who keeps this catalog entry."
    )

    country_field = None

    class Meta:
        ordering = ["course_id"]

    def __str__(self) -> str:
        return f"{self.course_id} {self.title}"

    detail_url = "training:course-detail"


class CourseCost(Internal):
    """Tuition and travel/living cost of a course under one program and fiscal year, in USD."""

    cost_fields = ("program", "fiscal_year", "tuition", "travel_living")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="costs")
    program = models.CharField(max_length=8, choices=Program.CHOICES)
    fiscal_year = fiscal_year()
    tuition = non_negative_usd(max_digits=14)
    travel_living = non_negative_usd(
        "travel and living allowance", default=Decimal("0"), max_digits=14
    )

    scoped_by = "course"

    class Meta:
        ordering = ["course", "fiscal_year", "program"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "program", "fiscal_year"], name="training_cost_unique"
            )
        ]

    def __str__(self) -> str:
        course = loaded(self, "course")
        return f"{course.course_id + ' ' if course else ''}{self.program} FY{self.fiscal_year}"


# --- reference data ---------------------------------------------------------------------------


class ImetPriority(CodeListEntry):
    """An IMET priority code of a CETPP line (R-TRN-03): reference data with its meaning and
    source, edited by an administrator, never free text."""

    code = models.CharField(max_length=4, unique=True)
    label = models.CharField(max_length=200)
    source = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = "IMET priority code"


# --- plans, allocations, the CETPP --------------------------------------------------------------


class TrainingPlan(Internal):
    """A partner's multi-year training plan: prior/assessment, current, budget and planning year at
    least (R-TRN-01)."""

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(
        Organization, related_name="+", help_text="The SCO that drafts it with the partner."
    )
    title = models.CharField(max_length=300)
    first_fy = fiscal_year("first fiscal year")
    last_fy = fiscal_year("last fiscal year")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["country", "-first_fy"]

    shown_by = "title"

    detail_url = "training:plan-detail"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_fy, self.last_fy + 1))


class Allocation(Internal):
    """The money a program gives the partner in a fiscal year (E-IMET counts against IMET)."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="allocations")
    program = models.CharField(max_length=8, choices=Program.CHOICES)
    fiscal_year = fiscal_year()
    amount = non_negative_usd(max_digits=14)

    scoped_by = "plan"

    class Meta:
        ordering = ["plan", "fiscal_year", "program"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "program", "fiscal_year"], name="training_allocation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_program_display()} FY{self.fiscal_year}: {usd(self.amount)}"


class CetppStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted to the CCMD"
    RETURNED = "returned", "Returned by the CCMD"
    APPROVED = "approved", "Approved by the CCMD"
    FINALIZED = "finalized", "Finalized at the SCETWG"


class Cetpp(Internal):
    """The Combined Education and Training Program Plan of one fiscal year (R-TRN-02)."""

    plan = protected_fk(TrainingPlan, related_name="cetpps")
    fiscal_year = fiscal_year(
        "current fiscal year",
        help_text="The year it is drafted in; it plans the budget and planning years.",
    )
    status = models.CharField(
        max_length=10, choices=CetppStatus.choices, default=CetppStatus.DRAFT, editable=False
    )
    submitted_on = action_date()
    reviewed_on = action_date()
    reviewed_by = optional_fk(User, related_name="+", editable=False)
    review_comment = models.TextField(blank=True, editable=False)
    finalized_on = action_date("finalized at the SCETWG on")
    notes = models.TextField(blank=True)

    scoped_by = "plan"

    class Meta:
        ordering = ["plan", "-fiscal_year"]
        verbose_name = "CETPP"
        verbose_name_plural = "CETPPs"
        constraints = [
            models.UniqueConstraint(fields=["plan", "fiscal_year"], name="training_cetpp_unique")
        ]

    def __str__(self) -> str:
        return f"CETPP FY{self.fiscal_year} — {self.country_value()}"

    detail_url = "training:cetpp-detail"


class CetppLine(Internal):
    """One course planned in one year, funded by one program (R-TRN-02, R-TRN-03)."""

    cetpp = models.ForeignKey(Cetpp, on_delete=models.CASCADE, related_name="lines")
    fiscal_year = fiscal_year()
    program = models.CharField(max_length=8, choices=Program.CHOICES)
    course = protected_fk(Course, related_name="+")
    seats = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    tuition = non_negative_usd("tuition per seat", max_digits=14)
    travel_living = non_negative_usd(
        "travel and living per seat", default=Decimal("0"), max_digits=14
    )
    include_tla = models.BooleanField(
        "include travel and living",
        null=True,
        blank=True,
        help_text="Empty: the program's default (FMS training excludes it, R-TRN-03).",
    )
    funding = models.CharField(
        "funding source",
        max_length=10,
        choices=Funding.CHOICES,
        blank=True,
        help_text="For FMS training: who pays. FMF or other U.S. money means Leahy vetting (R-TRN-06).",
    )
    priority = optional_fk(ImetPriority, related_name="+", verbose_name="IMET priority code")
    case = optional_fk(
        "cases.FmsCase",
        related_name="+",
        verbose_name="FMS case",
        help_text="For FMS training: the training or blanket order case (R-TRN-03).",
    )
    fixed = models.BooleanField(
        default=False, editable=False, help_text="A current-year selection finalized at the SCETWG."
    )
    activity = models.ForeignKey(
        "planning.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The planning activity (training course, MTT) it delivers, if any.",
    )
    notes = models.TextField(blank=True)

    scoped_by = "cetpp"

    class Meta:
        ordering = ["cetpp", "fiscal_year", "program", "id"]
        verbose_name = "CETPP line"

    def __str__(self) -> str:
        course = loaded(self, "course")
        return f"FY{self.fiscal_year} {self.program} {course.course_id if course else 'course'} × {self.seats}"

    @property
    def cost(self) -> Decimal:
        return rules.line_cost(
            self.program, self.seats, self.tuition, self.travel_living, self.include_tla
        )


# --- students ----------------------------------------------------------------------------------


class Student(MarkedModel):
    """A partner student nominated for a course. Partners see name, course, dates and status only."""

    # Who the nominee is, as the nomination form and the API take it.
    person_fields = (
        "given_name",
        "family_name",
        "rank",
        "service",
        "unit",
        "current_position",
        "career_personnel",
        "potential",
    )

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(
        Organization, related_name="+", help_text="The SCO that manages the student."
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    rank = models.CharField(max_length=60, blank=True)
    service = models.CharField(max_length=100, blank=True)
    unit = models.CharField(
        max_length=200, help_text="Human-rights vetting covers the unit too (R-TRN-06)."
    )
    current_position = models.CharField(max_length=200, blank=True)
    career_personnel = models.BooleanField(
        default=False, help_text="Career personnel likely to reach key positions (R-TRN-13)."
    )
    potential = models.CharField("key positions likely to reach", max_length=300, blank=True)
    course = protected_fk(Course, related_name="+")
    course_title = models.CharField(
        "course as nominated",
        max_length=330,
        help_text="Course ID and title, as the partner sees it.",
    )
    program = models.CharField(max_length=8, choices=Program.CHOICES)
    cetpp_line = models.ForeignKey(
        CetppLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="students"
    )
    class_start = models.DateField()
    class_end = models.DateField()
    accompanied = models.BooleanField(
        "travels with dependents",
        default=False,
        help_text="Accompanied students' arrival notice is due 30 days before arrival, not 16 (R-TRN-09).",
    )
    funding = models.CharField(
        "funding source",
        max_length=10,
        choices=Funding.CHOICES,
        blank=True,
        help_text="For FMS training, when it differs from the CETPP line's: who pays (R-TRN-06).",
    )
    alternate_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alternates",
        help_text="The principal this student stands in for (R-TRN-06).",
    )
    status = models.CharField(
        max_length=12,
        choices=StudentStatus.choices,
        default=StudentStatus.NOMINATED,
        editable=False,
    )
    nominated_on = models.DateField(editable=False)

    # What each reader sees (core.fields): partners read their students' name, course, dates and
    # status only (R-SEC-03) — in the API, the filters, the lists and the change log alike.
    field_policy = FieldPolicy(
        partner=(
            "id",
            "given_name",
            "family_name",
            "rank",
            "country",
            "course_title",
            "program",
            "class_start",
            "class_end",
            "status",
        ),
    )

    # Searched through full-text indexes, ranked (core.search; dbindex.FullText, migration 0006).
    # A partner's search looks only in the fields above (the unit is not among them).
    search_document = SearchDocument.of(
        text={"course_title": 1.0, "unit": 0.6}, codes=("given_name", "family_name")
    )

    class Meta:
        ordering = ["class_start", "family_name"]

    @property
    def has_steps_ahead(self) -> bool:
        """Still on its way through training: neither withdrawn nor graduated."""
        return self.status not in (StudentStatus.WITHDRAWN, StudentStatus.GRADUATED)

    def __str__(self) -> str:
        # Only fields every reader of the student sees: this is the change log's object_repr.
        return f"{self.rank} {self.given_name} {self.family_name}".strip()

    detail_url = "training:student-detail"

    @property
    def fiscal_year(self) -> int:
        return rules.fiscal_year(self.class_start)


class StudentChild(Internal):
    """Abstract base of records about one student (owner and country follow the student)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    owner_org_field = "student__owner_org"
    country_field = "student__country"
    history_parent = "student"

    class Meta:
        abstract = True


class Readiness(StudentChild):
    """The student's English test, prerequisites and medical clearance (R-TRN-04, R-TRN-05): a
    record of its own, never shown to partners — nor is its change history (R-SEC-03)."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="readiness")
    ecl_score = models.PositiveSmallIntegerField(
        "ECL score", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    ecl_tested_on = optional_date("ECL tested on")
    prerequisites_met = models.BooleanField(null=True, blank=True)
    prerequisites_note = models.CharField(max_length=300, blank=True)
    medical_statement_on = optional_date("medical statement signed on")
    medical_form_on = optional_date("medical certification form on")
    dental_form_on = optional_date("dental certification form on")
    rdfp_forwarded_on = optional_date("RDFP nomination forwarded by the CCMD to OSD/SOLIC on")
    rdfp_approved_on = optional_date("RDFP nomination approved by OSD/SOLIC on")

    class Meta:
        verbose_name = "readiness (ECL, prerequisites, medical)"
        verbose_name_plural = "readiness records"

    def __str__(self) -> str:
        return f"Readiness of student #{self.student_id}"


class VettingSubject(models.TextChoices):
    STUDENT = "student", "Student"
    UNIT = "unit", "Unit"


class Vetting(StudentChild):
    """Human-rights vetting of a student or their unit (R-TRN-06). Never shown to partners."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="vettings")
    subject = models.CharField(max_length=8, choices=VettingSubject.choices)
    unit_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=VettingStatus.choices, default=VettingStatus.REQUESTED
    )
    requested_on = models.DateField()
    completed_on = optional_date()
    reference = models.CharField(max_length=60, blank=True, help_text="The vetting case number.")
    cancelled_on = optional_date(
        "cancelled unresolved on",
        help_text="The day State's system cancelled the unresolved request (R-TRN-06).",
    )
    resubmission_of = optional_fk(
        "self", related_name="resubmissions", help_text="The cancelled request this one resubmits."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["student", "subject", "-requested_on"]

    @property
    def is_open(self) -> bool:
        return self.status in rules.VETTING_OPEN

    def __str__(self) -> str:
        return f"{self.get_subject_display()} vetting: {self.get_status_display()}"


class ScreeningKind(models.TextChoices):
    RSO = "rso", "Regional Security Office (RSO)"
    DEA = "dea", "Drug Enforcement Administration (DEA)"
    CONSULAR = "consular", "Consular"
    OTHER = "other", "Other"


class ScreeningCheck(StudentChild):
    """One line of the screening checklist, kept 10 years (R-TRN-07). Never shown to partners."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="screenings")
    kind = models.CharField(max_length=10, choices=ScreeningKind.choices)
    status = models.CharField(
        max_length=10, choices=ScreeningStatus.choices, default=ScreeningStatus.PENDING
    )
    completed_on = optional_date()
    retain_until = models.DateField(editable=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["student", "kind"]
        verbose_name = "screening check"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"


class Waiver(MarkedModel):
    """A CCMD waiver allowing a manual ITO for one student (R-TRN-08)."""

    partner_visible = False
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="waivers")
    owner_org = protected_fk(
        Organization, related_name="+", help_text="The combatant command that granted it."
    )
    granted_on = models.DateField()
    reference = models.CharField(max_length=100)
    reason = models.TextField()

    country_field = "student__country"
    history_parent = "student"

    class Meta:
        ordering = ["-granted_on"]
        verbose_name = "CCMD waiver"

    def __str__(self) -> str:
        return f"CCMD waiver {self.reference}"


class Ito(StudentChild):
    """An Invitational Travel Order: one student only (R-TRN-08). The issued ITO is handed to the
    student, so it is marked releasable to the student's country and the partner reads it
    (ANSWERS "Markings"; issue 12 item 7) — its number, dates, course and school only. The vetting,
    screening, readiness and waiver records behind it stay NOFORN and out of the partner's copy."""

    partner_visible = True
    student = protected_fk(Student, related_name="itos")
    number = models.CharField(max_length=40, unique=True)
    issued_on = models.DateField()
    issued_by = optional_fk(User, related_name="+")
    manual = models.BooleanField(default=False)
    waiver = optional_fk(Waiver, related_name="+")
    report_on = models.DateField("report to the school on")
    course_title = models.CharField(max_length=330)
    school = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True)
    program = models.CharField(max_length=8, choices=Program.CHOICES)
    accompanied = models.BooleanField(
        "travels with dependents",
        default=False,
        help_text="As recorded for the student (R-TRN-09).",
    )

    field_policy = FieldPolicy(
        partner=(
            "id",
            "student",
            "number",
            "issued_on",
            "report_on",
            "course_title",
            "school",
            "location",
            "program",
        ),
    )

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = "ITO"
        verbose_name_plural = "ITOs"

    def __str__(self) -> str:
        return f"ITO {self.number}"

    detail_url = "training:student-detail"
    detail_arg = "student_id"


class TravelMode(models.TextChoices):
    AIR = "air", "Commercial air"
    MILAIR = "milair", "Military air"
    OTHER = "other", "Other"


class ArrivalNotice(StudentChild):
    """Notification to the receiving installation, due 16/30 days before arrival (R-TRN-09)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="arrival_notices")
    installation = models.CharField("receiving installation", max_length=200)
    eta = models.DateField("estimated arrival")
    accompanied = models.BooleanField(default=False)
    travel_mode = models.CharField(max_length=8, choices=TravelMode.choices, default=TravelMode.AIR)
    flight = models.CharField(max_length=60, blank=True)
    dependents = models.PositiveSmallIntegerField(default=0)
    children_ages = models.CharField(
        max_length=60, blank=True, help_text="Comma-separated ages, e.g. 4, 9."
    )
    due_on = models.DateField(editable=False)
    sent_on = action_date()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Arrival notice {self.installation} {day(self.eta)}"


class AfterKind(models.TextChoices):
    PRE_DEPARTURE = "pre_departure", "Pre-departure briefing"
    INTERVIEW = "interview", "Post-training interview"
    ACADEMIC = "academic", "Academic report delivered"
    USE = "use", "Post-training use"


class AfterTraining(StudentChild):
    """Pre-departure briefing, post-training interview, academic report (R-TRN-10), post-training
    use (R-TRN-13). Internal assessments: never shown to partners."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="after_records")
    kind = models.CharField(max_length=14, choices=AfterKind.choices)
    on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["student", "on"]
        verbose_name = "after-training record"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {day(self.on)}"


class GraduatePosition(StudentChild):
    """A graduate's position in one fiscal year, updated into that year's CETPP (R-TRN-11)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="positions")
    fiscal_year = fiscal_year()
    position = models.CharField(max_length=200)
    prominent = models.BooleanField("position of prominence", default=False)

    class Meta:
        ordering = ["student", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "fiscal_year"], name="training_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}: {self.position}"


class TrainingSettings(Internal):
    """One SCO's own training practice where no public source fixes a number (ANSWERS: "time is
    short" for vetting an alternate is each SCO's setting, not a fact)."""

    owner_org = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="training_settings",
        help_text="The security cooperation office.",
    )
    alternate_days = models.PositiveSmallIntegerField(
        "vet an alternate within (days)",
        default=30,
        validators=[MaxValueValidator(365)],
        help_text="When training starts within this many days and vetting is still open, vet an "
        "alternate too (R-TRN-06). Your office's practice: no public source gives a number.",
    )
    lapse_warning_days = models.PositiveSmallIntegerField(
        "warn before a vetting request lapses (days)",
        default=7,
        validators=[MaxValueValidator(60)],
        help_text="Warn this many days before an unresolved vetting request would be cancelled.",
    )

    country_field = None

    class Meta:
        verbose_name = "SCO training settings"
        verbose_name_plural = "SCO training settings"

    def __str__(self) -> str:
        return f"Training settings #{self.owner_org_id}"
