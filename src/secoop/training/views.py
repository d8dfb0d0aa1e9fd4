"""Training pages: the dashboard (per student, what is missing and by when), the course catalog and
its import, plans and CETPPs (budget vs allocation, review actions, exports), students (checklist,
vetting, screening, ITO, arrival notice, after training), the FMT report. Reads through the door;
writes through training.actions; refusals shown inline with their rule id. Partners see their
students' course, dates and status only (R-SEC-03)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from secoop.cases.models import FmsCase
from secoop.core import access
from secoop.core import clock
from secoop.core import lifecycle
from secoop.core.forms import uswds_widgets
from secoop.core.lists import Column
from secoop.core.lists import RecordListView
from secoop.core.models import Organization
from secoop.core.permissions import REGISTRY
from secoop.core.stale_pages import stale_answer
from secoop.core.step_buttons import run_step
from secoop.core.today import WITH_US_STAFF
from secoop.core.viewkit import Section
from secoop.core.viewkit import may_create
from secoop.core.viewkit import run_action
from secoop.core.viewkit import visible_or_404
from secoop.core.views import RecordDetailView

from . import actions
from . import exports
from . import facts
from . import filters
from . import findings
from . import rules
from .api import is_partner
from .models import AfterKind
from .models import Allocation
from .models import ArrivalNotice
from .models import Cetpp
from .models import CetppLine
from .models import Course
from .models import CourseCost
from .models import GraduatePosition
from .models import ImetPriority
from .models import Ito
from .models import ScreeningKind
from .models import ScreeningStatus
from .models import Student
from .models import StudentStatus
from .models import TrainingPlan
from .models import TravelMode
from .models import Vetting
from .models import VettingStatus
from .models import VettingSubject
from .rules import Program

SECTION = Section("Training", "training:index")


class TrainingDetail(RecordDetailView):
    section = SECTION

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_correct"] = may_correct(self.request.user, self.object, editable=ctx["can_edit"])
        return ctx


# --- dashboard -----------------------------------------------------------------------------------


DASHBOARD_PAGE = 25  # students per dashboard page
MISSING_FILTERS = (
    ("vetting", "Vetting"),
    ("medical", "Medical"),
    ("rdfp", "RDFP approval"),
    ("ito", "ITO"),
    ("arrival", "Arrival notice"),
    ("after", "After training"),
)


@dataclass
class DashboardRow:
    """One student on the dashboard: the open steps the user handles (from the checklist read
    through the user's door, kept only where the trusted check agrees the step is open), and the
    steps they do not handle, named "with U.S. staff" by the student's status alone."""

    student: Student
    items: list
    with_us_staff: list[str]

    @property
    def overdue(self) -> bool:
        return any(i.overdue for i in self.items)

    @property
    def marking(self):
        """The row's portion marking (issue 12 item 7): the student's and that of the records its
        steps were read from (findings.Checklist.marking)."""
        return findings.Checklist(self.student, [], []).marking

    @property
    def next_due(self):
        dues = [i.due for i in self.items if i.due]
        return min(dues) if dues else None


def _query_without(request, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


def dashboard_students(user, today, area: str = "", ctx: dict | None = None):
    """The students the dashboard lists, as one query (issue 14.6): open students the user may
    see, graduates only while an after-training step the user handles is open, and with `area`,
    only those for whom that step is open (findings.missing_q)."""
    handled = findings.handled_areas(user)
    ctx = ctx or findings.context(today)
    students = Student.objects.visible_to(user).filter(status__in=findings.OPEN)
    if "after" in handled:
        graduates_open = ~Q(status=StudentStatus.GRADUATED) | findings.missing_q(
            "after", today, ctx
        )
        students = students.filter(graduates_open)
    else:
        students = students.exclude(status=StudentStatus.GRADUATED)
    if area:
        students = students.filter(findings.missing_q(area, today, ctx))
    return students.order_by("class_start", "family_name", "pk")


def dashboard_rows(
    user, students: list[Student], today, ctx: dict | None = None
) -> list[DashboardRow]:
    """The rows of one page, its students loaded with findings.with_related(…, user) (through
    the user's door): a fixed number of queries whatever the page size."""
    handled = set(findings.handled_areas(user))
    ctx = ctx or findings.context(today)
    pks = [s.pk for s in students]
    seen = {s.pk: findings.checklist(s, today, ctx) for s in students}
    # Trusted: which steps are open, whatever records the user may see (never shown). ECL and
    # screening are read through the door: their records are marked as the student or NOFORN,
    # which whoever handles the step may read.
    trusted = findings.open_areas(pks, handled, today, ctx)
    rows = []
    for s in students:
        mine = [
            i
            for i in (seen[s.pk].items if s.pk in seen else [])
            if i.area in handled
            and (i.area not in findings.QUERY_AREAS or i.area in trusted.get(s.pk, ()))
        ]
        elsewhere = [
            findings.AREA_LABELS[a]
            for a in findings.AREA_ORDER
            if a not in handled and findings.step_applies(a, s)
        ]
        rows.append(DashboardRow(seen[s.pk].student if s.pk in seen else s, mine, elsewhere))
    return rows


@login_required
def index(request):
    user = request.user
    today = clock.today_for(request.user)
    if is_partner(user):
        return partner_index(request)
    handled = findings.handled_areas(user)
    area = request.GET.get("missing", "")
    not_handled = ""
    if area and area not in handled:
        # A step the user does not handle is not filtered on: whether it is open is not theirs to
        # know (issue 12.1); say who handles it.
        not_handled = findings.AREA_LABELS.get(area, "")
        area = ""
    elif area not in findings.QUERY_AREAS:
        area = ""
    ctx = findings.context(today)
    listed = findings.with_related(dashboard_students(user, today, area, ctx), user)
    page = Paginator(listed, DASHBOARD_PAGE).get_page(request.GET.get("page"))
    rows = dashboard_rows(user, list(page.object_list), today, ctx)
    cetpps = list(
        Cetpp.objects.visible_to(user).select_related("plan__country").order_by("-fiscal_year")[:10]
    )
    return render(
        request,
        "training/index.html",
        {
            "rows": rows,
            "page_obj": page,
            "query_without_page": _query_without(request, "page"),
            "area": area,
            "area_label": findings.AREA_LABELS.get(area, ""),
            "not_handled": not_handled,
            "with_us_staff": WITH_US_STAFF,
            "cetpps": cetpps,
            "today": today,
            "areas": [(key, label) for key, label in MISSING_FILTERS if key in handled],
            "may_nominate": may_create(user, Student),
            # each row is marked by the records it rests on (issue 12 item 7)
            "page_records": rows + cetpps,
        },
    )


PARTNER_PAGE = 25


def partner_index(request):
    """The partner's training home (issue 12.6): their students, paged, with each one's status;
    every step after the nomination is the U.S. staff's, so none is shown as the partner's to do."""
    user = request.user
    students = (
        Student.objects.visible_to(user)
        .exclude(status=StudentStatus.WITHDRAWN)
        .order_by("-class_start", "family_name", "pk")
    )
    page = Paginator(students, PARTNER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    return render(
        request,
        "training/partner_index.html",
        {
            "students": rows,
            "page_obj": page,
            "query_without_page": _query_without(request, "page"),
            "with_us_staff": WITH_US_STAFF,
            "may_nominate": may_create(user, Student),
            "page_records": rows,
        },
    )


# --- lists ----------------------------------------------------------------------------------------


class CourseList(RecordListView):
    model = Course
    title = "Course catalog"
    intro = "Courses with their minimum ECL and prerequisites (R-TRN-04) and E-IMET certification (R-TRN-03). Import from XLSX/CSV."
    columns = [
        Column("Course ID", "course_id", "course_id", link=True),
        Column("Title", "title", "title"),
        Column("School", "school", "school"),
        Column("Location", "location"),
        Column("Weeks", "length_weeks", "length_weeks"),
        Column("Min ECL", "min_ecl", "min_ecl"),
        Column("E-IMET certified", "eimet_certified_on", "eimet_certified_on"),
    ]
    default_sort = "course_id"
    filterset_class = filters.CourseFilter
    create_url_name = "training:course-import"


class StudentList(RecordListView):
    model = Student
    title = "Students"
    intro = "Partner students nominated for U.S. courses."
    default_sort = "class_start"
    columns = [
        Column("Student", "col_name", "family_name", link=True),
        Column("Course", "course_title", "course_title"),
        Column("Program", "get_program_display", "program"),
        Column("Class start", "class_start", "class_start"),
        Column("Class end", "class_end", "class_end"),
        Column("Status", "get_status_display", "status"),
    ]

    filterset_class = filters.StudentFilter
    create_url_name = "training:student-nominate"


class PlanList(RecordListView):
    model = TrainingPlan
    title = "Training plans"
    intro = "Four-year training plans (R-TRN-01) and their CETPPs (R-TRN-02)."
    columns = [
        Column("Plan", "title", "title", link=True),
        Column("Country", "country.name"),
        Column("First FY", "first_fy", "first_fy"),
        Column("Last FY", "last_fy", "last_fy"),
    ]
    select_related = ("country",)
    default_sort = "-first_fy"
    filterset_class = filters.PlanFilter
    create_url_name = "training:plan-create"


# --- courses and the import -------------------------------------------------------------------------


class CourseDetail(TrainingDetail):
    model = Course
    template_name = "training/course_detail.html"

    def related(self):
        return {
            "Cost per program and fiscal year": list(
                CourseCost.objects.visible_to(self.request.user).filter(course=self.object)
            )
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["costs"] = ctx["related"]["Cost per program and fiscal year"]
        if ctx["tab"] == "overview":
            ctx["page_records"] = [self.object, *ctx["costs"]]
        return ctx


class ImportForm(forms.Form):
    file = forms.FileField(help_text="XLSX or CSV; first row: " + ", ".join(actions.IMPORT_COLUMNS))
    owner_org = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Owning organization"
    )
    marking = forms.CharField(initial="UNCLASSIFIED")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].queryset = Organization.objects.visible_to(user).filter(
            pk__in=[
                o.pk for o in Organization.objects.visible_to(user) if access.can_write_for(user, o)
            ]
        )
        uswds_widgets(self)


@login_required
def course_import(request):
    if is_partner(request.user):
        raise PermissionDenied("Partners do not keep the course catalog.")
    report = None
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = actions.import_courses(
                request.user,
                upload.read(),
                upload.name,
                owner_org=form.cleaned_data["owner_org"],
                marking=form.cleaned_data["marking"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(
                "file" if isinstance(exc, ValidationError) else None,
                exc.messages[0] if isinstance(exc, ValidationError) else str(exc),
            )
        if report and report.ok:
            messages.success(
                request,
                f"Imported {report.rows} rows: {report.created} new courses, {report.updated} updated, {report.costs} cost lines.",
            )
            return redirect("training:courses")
    return render(
        request, "training/course_import.html", {"form": form, "report": report, "page_records": []}
    )


# --- plans and CETPPs ---------------------------------------------------------------------------------


class PlanForm(forms.ModelForm):
    marking = forms.CharField(initial="CUI")

    class Meta:
        model = TrainingPlan
        fields = ["country", "owner_org", "title", "first_fy", "last_fy", "notes"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].queryset = Organization.objects.visible_to(user).filter(kind="sco")


@login_required
def plan_create(request):
    if is_partner(request.user):
        raise PermissionDenied("Training plans are drafted by the SCO.")
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        try:
            plan.marking = form.cleaned_data["marking"]
            made = actions.create_plan(request.user, plan)
            messages.success(request, "Training plan created.")
            return redirect(made.get_absolute_url())
        except (ValidationError, PermissionDenied) as exc:
            for m in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                form.add_error(None, m)
    return render(
        request,
        "training/nominate.html",
        {
            "form": form,
            "form_title": "New training plan",
            "form_intro": "At least four fiscal years: prior/assessment, current, budget and planning year (R-TRN-01).",
            "submit": "Create plan",
            "page_records": [],
        },
    )


@login_required
@require_POST
def plan_act(request, pk, what):
    """Set an allocation (e.g. after IMET end-of-year reallocation) or start the year's CETPP."""
    user, p = request.user, request.POST
    plan = visible_or_404(TrainingPlan, user, pk)
    try:
        if what == "allocation":
            run_action(
                request,
                lambda: actions.set_allocation(
                    user,
                    plan,
                    p.get("program", ""),
                    int(p.get("fiscal_year") or 0),
                    Decimal(p.get("amount") or "x"),
                    reason=p.get("reason", ""),
                ),
                "Allocation saved.",
            )
        elif what == "cetpp":
            cetpp = Cetpp(plan=plan, fiscal_year=int(p.get("fiscal_year") or 0))
            cetpp.marking = plan.marking
            if run_action(request, lambda: actions.create_cetpp(user, cetpp), "CETPP started."):
                return redirect(cetpp.get_absolute_url())
        else:
            raise Http404
    except (ValueError, ArithmeticError):
        messages.error(request, "Enter the fiscal year and the amount as numbers.")
    return redirect(plan.get_absolute_url())


class PlanDetail(TrainingDetail):
    model = TrainingPlan
    template_name = "training/plan_detail.html"

    select_related = ("country",)

    def related(self):
        user, plan = self.request.user, self.object
        return {
            "Allocations": list(Allocation.objects.visible_to(user).filter(plan=plan)),
            "CETPPs": list(Cetpp.objects.visible_to(user).filter(plan=plan)),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.object
        ctx.update(
            plan=plan,
            allocations=ctx["related"]["Allocations"],
            cetpps=ctx["related"]["CETPPs"],
            programs=Program.CHOICES,
            roles=[
                (fy, rules.year_role(fy, rules.fiscal_year(clock.today_for(self.request.user))))
                for fy in plan.years
            ],
        )
        if ctx["tab"] == "overview":
            ctx["page_records"] = [plan, *ctx["allocations"], *ctx["cetpps"]]
        return ctx


class LineForm(forms.Form):
    fiscal_year = forms.IntegerField(min_value=2000, max_value=2100)
    program = forms.ChoiceField(choices=Program.CHOICES)
    course = forms.ModelChoiceField(queryset=Course.objects.none())
    seats = forms.IntegerField(min_value=1, initial=1)
    tuition = forms.DecimalField(min_value=0, decimal_places=2, label="Tuition per seat (USD)")
    travel_living = forms.DecimalField(
        min_value=0,
        decimal_places=2,
        initial=Decimal("0"),
        label="Travel and living per seat (USD)",
    )

    priority = forms.ModelChoiceField(
        queryset=ImetPriority.objects.filter(active=True),
        required=False,
        label="IMET priority code",
        help_text="IMET and E-IMET lines only.",
    )
    case = forms.ModelChoiceField(
        queryset=FmsCase.objects.none(),
        required=False,
        label="FMS case",
        help_text="FMS training lines: the blanket order or training case.",
    )
    funding = forms.ChoiceField(
        choices=[("", "—")] + rules.Funding.CHOICES,
        required=False,
        label="Funding source (FMS training)",
        help_text="FMF or other U.S. money means Leahy vetting. Empty: taken from the case.",
    )

    def __init__(self, *args, user=None, country=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.visible_to(user)
        self.fields["case"].queryset = FmsCase.objects.visible_to(user).filter(country_id=country)


class CetppDetail(TrainingDetail):
    model = Cetpp
    template_name = "training/cetpp_detail.html"

    select_related = ("plan__country",)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in ("docx", "xlsx"):
            export = exports.cetpp_docx if fmt == "docx" else exports.cetpp_xlsx
            return export(self.get_object(), request.user).response()
        self.form = LineForm(user=request.user, country=self.get_object().country_value())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = cetpp = self.get_object()
        self.form = LineForm(request.POST, user=request.user, country=cetpp.country_value())
        if self.form.is_valid():
            try:
                line = CetppLine(cetpp=cetpp, **self.form.cleaned_data)
                line.marking = cetpp.marking
                actions.add_line(request.user, line)
                messages.success(request, "Line added.")
                return redirect(cetpp.get_absolute_url())
            except (ValidationError, PermissionDenied) as exc:
                for m in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                    self.form.add_error(None, m)
        return self.render_to_response(self.get_context_data(object=cetpp))

    def related(self):
        self.data = exports.cetpp_data(self.object, self.request.user)
        return {
            "Lines": self.data.lines,
            "Allocations": self.data.allocations,
            "Graduates' positions": self.data.positions,
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cetpp, data = self.object, self.data
        ctx.update(
            cetpp=cetpp,
            data=data,
            budget=data.budget,
            form=self.form,
            is_ccmd=bool(actions.roles_of(self.request.user) & actions.CCMD_ROLES),
            actions_now=lifecycle.names(
                rules.CETPP_TRANSITIONS.actions_now(self.request.user, cetpp.status)
            ),
            awaiting_review=rules.CETPP_TRANSITIONS.allows("approve", cetpp.status),
            lines_open=cetpp.status in rules.CETPP_OPEN,
            findings=(actions.cetpp_findings(cetpp) if cetpp.status in rules.CETPP_OPEN else [])
            + actions.cetpp_advisories(cetpp),
            lines=[
                (
                    ln,
                    rules.year_role(ln.fiscal_year, cetpp.fiscal_year),
                    " ".join(data.course_of(ln)[:2]),
                    data.case_of(ln),
                    data.priority_of(ln),
                )
                for ln in data.lines
            ],
        )
        if ctx["tab"] == "overview":
            ctx["page_records"] = [
                cetpp,
                *([data.plan] if data.plan is not None else []),
                *data.lines,
                *data.allocations,
                *data.positions,
            ]
        return ctx


@login_required
@require_POST
def cetpp_transition(request, pk, transition):
    cetpp = visible_or_404(Cetpp, request.user, pk)
    stale = stale_answer(request, cetpp)
    if stale:
        return stale
    comment = request.POST.get("comment", "")
    calls = {
        "submit": lambda: actions.submit_cetpp(request.user, cetpp),
        "approve": lambda: actions.approve_cetpp(request.user, cetpp, comment=comment),
        "return": lambda: actions.return_cetpp(request.user, cetpp, comment=comment),
        "finalize": lambda: actions.finalize_cetpp(request.user, cetpp),
    }
    return run_step(request, cetpp, transition, calls, f"CETPP {transition} done.")


# --- students ------------------------------------------------------------------------------------------


class NominateForm(forms.ModelForm):
    marking = forms.CharField(initial="CUI//REL TO USA, XBN")

    class Meta:
        model = Student
        fields = [
            "country",
            *Student.person_fields,
            "course",
            "program",
            "class_start",
            "class_end",
            "accompanied",
            "funding",
        ]
        widgets = {
            "class_start": forms.DateInput(attrs={"type": "date"}),
            "class_end": forms.DateInput(attrs={"type": "date"}),
        }

    course_code = forms.CharField(
        label="Course ID",
        required=False,
        help_text="The course ID from the catalog the SCO gave you, e.g. B171100.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if is_partner(user):
            # Partners do not read the catalog (R-SEC-03): they name the course by its ID.
            del self.fields["marking"], self.fields["course"], self.fields["funding"]
            self.fields["course_code"].required = True
        else:
            del self.fields["course_code"]
            self.fields["course"].queryset = Course.objects.visible_to(user)
            self.fields["course"].label_from_instance = lambda c: f"{c.course_id} {c.title}"
        uswds_widgets(self)


@login_required
def student_nominate(request):
    user = request.user
    form = NominateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        student = form.save(commit=False)
        code = form.cleaned_data.get("course_code")
        if "marking" in form.cleaned_data:
            student.marking = form.cleaned_data["marking"]
        student.owner_org = actions.sco_of(student.country_id)
        try:
            if code:
                student.course = actions.course_by_code(code)
            made = actions.nominate(user, student)
            messages.success(request, f"{made} nominated for {made.course_title}.")
            return redirect(made.get_absolute_url())
        except (ValidationError, PermissionDenied) as exc:
            for m in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                form.add_error(None, m)
    return render(request, "training/nominate.html", {"form": form, "page_records": []})


class StudentDetail(TrainingDetail):
    model = Student
    template_name = "training/student_detail.html"
    select_related = ("country",)

    def get(self, request, *args, **kwargs):
        if is_partner(request.user):
            student = self.get_object()
            itos = list(Ito.objects.visible_to(request.user).filter(student=student))
            return render(
                request,
                "training/partner_student.html",
                {"student": student, "itos": itos, "page_records": [student, *itos]},
            )
        return super().get(request, *args, **kwargs)

    # The tabs that show the checklist and the step records; documents and history read neither
    # (issue 15 §4: a tab costs what it shows).
    CHECKLIST_TABS = ("overview", "related")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.tab in self.CHECKLIST_TABS:  # the student and the records the checklist reads
            qs = findings.with_related(qs, self.request.user)
        return qs

    def related(self):
        user = self.request.user
        if self.tab not in self.CHECKLIST_TABS:
            self.check, self.positions = None, []
            return {}
        today = clock.today_for(user)
        s = self.object
        self.check = findings.checklist(s, today, findings.context(today, {s.owner_org_id}))
        self.positions = list(GraduatePosition.objects.visible_to(user).filter(student=s))
        readiness = [s.readiness] if getattr(s, "readiness", None) else []
        return {
            "Readiness (ECL, prerequisites, medical)": readiness,
            "Human-rights vetting": list(s.vettings.all()),
            "Screening checklist": list(s.screenings.all()),
            "ITOs": list(s.itos.all()),
            "CCMD waivers": list(s.waivers.all()),
            "Arrival notices": list(s.arrival_notices.all()),
            "After training": list(s.after_records.all()),
            "Positions": self.positions,
        }

    def _vetting_clock(self, s) -> None:
        """Per vetting request (as prefetched, so the page reads `v.clock`): its age and the day
        State's system would cancel it, and which steps apply (R-TRN-06)."""
        today = clock.today_for(self.request.user)
        lapse_days = facts.vetting_lapse_days(today)
        resubmitted = {v.resubmission_of_id for v in s.vettings.all()}
        for v in s.vettings.all():
            v.clock = {
                "age": rules.vetting_age(v.requested_on, today),
                "lapses_on": rules.vetting_lapses_on(v.requested_on, lapse_days),
                "open": v.is_open,
                "can_cancel": rules.VETTING.allows("cancel", v.status),
                "can_resubmit": rules.VETTING.allows("resubmit", v.status)
                and v.pk not in resubmitted,
            }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.check is None:
            ctx["student"] = self.object
            return ctx
        s = self.check.student
        self._vetting_clock(s)
        ctx.update(
            student=s,
            check=self.check,
            is_ccmd=bool(actions.roles_of(self.request.user) & actions.CCMD_ROLES),
            may_approve_rdfp=REGISTRY["secoop.training.actions.record_rdfp_approval"].permits(
                self.request.user
            ),
            screening_open=s.status in rules.SCREENING_OPEN,
            after_open=s.status in rules.AFTER_OPEN,
            arrival_open=s.status in rules.ARRIVAL_OPEN,
            positions_open=s.status in rules.POSITIONS_OPEN,
            actions_now=lifecycle.names(
                t
                for t in rules.STUDENT.actions_now(self.request.user, s.status)
                if t.name in rules.STUDENT_MOVES
            ),
            positions=self.positions,
            readiness=findings.readiness_of(s),
            vetting_subjects=VettingSubject.choices,
            vetting_statuses=[
                (v, label) for v, label in VettingStatus.choices if v in rules.VETTING_RESULTS
            ],
            vetting_need=findings.vetting_need(
                s, facts.national_funds_vetted(clock.today_for(self.request.user))
            ),
            funding_label=rules.Funding.LABELS.get(findings.funding(s), "not recorded"),
            screening_kinds=ScreeningKind.choices,
            screening_statuses=ScreeningStatus.choices,
            travel_modes=TravelMode.choices,
            after_kinds=AfterKind.choices,
        )
        if ctx["tab"] == "overview":
            ctx["page_records"] = [
                self.object,
                *[r for rows in ctx["related"].values() for r in rows],
            ]
        return ctx


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationError(f"{text!r} is not a date: write YYYY-MM-DD.") from None


@login_required
@require_POST
def student_act(request, pk, what):
    """The student page's action buttons; each calls one action and shows its refusal inline."""
    user, p = request.user, request.POST
    student = visible_or_404(Student, user, pk)
    stale = stale_answer(request, student)
    if stale:
        return stale

    def vetting():
        return actions.request_vetting(
            user,
            student,
            p.get("subject", "student"),
            requested_on=_date(p.get("on")),
            reference=p.get("reference", ""),
        )

    def vetting_cancel():
        v = visible_or_404(Vetting, user, p.get("vetting"))
        return actions.cancel_vetting(
            user, v, cancelled_on=_date(p.get("on")), notes=p.get("notes", "")
        )

    def vetting_resubmit():
        v = visible_or_404(Vetting, user, p.get("vetting"))
        return actions.resubmit_vetting(
            user, v, requested_on=_date(p.get("on")), reference=p.get("reference", "")
        )

    def vetting_result():
        v = visible_or_404(Vetting, user, p.get("vetting"))
        return actions.record_vetting_result(
            user, v, p.get("status", ""), completed_on=_date(p.get("on"))
        )

    calls = {
        "ecl": lambda: actions.record_ecl(
            user, student, int(p.get("score") or -1), _date(p.get("on")) or clock.today_for(user)
        ),
        "prerequisites": lambda: actions.record_prerequisites(
            user, student, p.get("met") == "yes", p.get("note", "")
        ),
        "medical": lambda: actions.record_medical(
            user,
            student,
            _date(p.get("statement_on")),
            _date(p.get("medical_form_on")),
            _date(p.get("dental_form_on")),
        ),
        "vetting": vetting,
        "vetting-result": vetting_result,
        "vetting-cancel": vetting_cancel,
        "vetting-resubmit": vetting_resubmit,
        "screening": lambda: actions.record_screening(
            user,
            student,
            p.get("kind", "rso"),
            p.get("status", "pending"),
            completed_on=_date(p.get("on")),
        ),
        "ito": lambda: actions.issue_ito(user, [student], manual=p.get("manual") == "yes"),
        "arrival": lambda: actions.create_arrival_notice(
            user,
            ArrivalNotice(
                student=student,
                installation=p.get("installation", ""),
                eta=_date(p.get("eta")),
                accompanied=p.get("accompanied") == "yes",
                travel_mode=p.get("travel_mode", "air"),
                flight=p.get("flight", ""),
                dependents=int(p.get("dependents") or 0),
                children_ages=p.get("children_ages", ""),
            ),
        ),
        "arrival-sent": lambda: actions.send_arrival_notice(
            user, visible_or_404(ArrivalNotice, user, p.get("notice")), sent_on=_date(p.get("on"))
        ),
        "after": lambda: actions.record_after(
            user,
            student,
            p.get("kind", ""),
            on=_date(p.get("on")) or clock.today_for(user),
            notes=p.get("notes", ""),
        ),
        "position": lambda: actions.record_position(
            user,
            student,
            fiscal_year=int(p.get("fiscal_year") or 0),
            position=p.get("position", ""),
            prominent=p.get("prominent") == "yes",
        ),
        "waiver": lambda: actions.record_waiver(
            user,
            student,
            granted_on=clock.today_for(user),
            reference=p.get("reference", ""),
            reason=p.get("reason", ""),
        ),
        "rdfp-forward": lambda: actions.forward_rdfp(user, student),
        "rdfp-approval": lambda: actions.record_rdfp_approval(user, student),
        "start": lambda: actions.transition_student(user, student, "start"),
        "graduate": lambda: actions.transition_student(user, student, "graduate"),
        "withdraw": lambda: actions.transition_student(
            user, student, "withdraw", reason=p.get("reason", "")
        ),
    }
    if what not in calls:
        raise Http404
    try:
        run_action(request, calls[what], "ITO issued (R-TRN-08)." if what == "ito" else "Saved.")
    except ValueError:
        messages.error(request, "A number field holds something that is not a number.")
    return redirect(student.get_absolute_url())


# --- the SCO's own training settings (issue 14.2) ----------------------------------------------


class SettingsForm(forms.Form):
    alternate_days = forms.IntegerField(
        min_value=0,
        max_value=365,
        label="Vet an alternate too when training starts within (days)",
        help_text="R-TRN-06 asks for an alternate 'when time is short'; no public source gives a "
        "number, so your office sets it.",
    )
    lapse_warning_days = forms.IntegerField(
        min_value=0,
        max_value=60,
        label="Warn before an unresolved vetting request lapses (days)",
        help_text="State's system cancels requests left unresolved (a dated fact, to verify).",
    )
    reason = forms.CharField(required=False, label="Why (logged)")


@login_required
def training_settings(request):
    """The SCO's own numbers where no public source fixes one."""
    office = actions.settings_office(request.user)
    if office is None:
        raise PermissionDenied("Training settings are kept by a security cooperation office.")
    alternate, warn = facts.settings_for([office.pk])[office.pk]
    form = SettingsForm(
        request.POST or None, initial={"alternate_days": alternate, "lapse_warning_days": warn}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_training_settings(
                request.user,
                office,
                alternate_days=form.cleaned_data["alternate_days"],
                lapse_warning_days=form.cleaned_data["lapse_warning_days"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            for m in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                form.add_error(None, m)
        else:
            messages.success(request, "Settings saved.")
            return redirect("training:settings")
    return render(
        request,
        "training/nominate.html",
        {
            "form": form,
            "page_records": [],
            "form_title": f"Training settings — {office.short_name}",
            "form_intro": "Your office's practice where no public source gives a number.",
            "submit": "Save the settings",
        },
    )


# --- corrections (issue 14.4) ----------------------------------------------------------------------

CORRECTIONS = {
    "student": (Student, actions.STUDENT_CORRECTABLE, actions.correct_student),
    "course": (Course, actions.COURSE_CORRECTABLE, actions.correct_course),
    "plan": (TrainingPlan, actions.PLAN_CORRECTABLE, actions.correct_plan),
}


def may_correct(user, obj, *, editable: bool | None = None) -> bool:
    """Whether the page offers "Correct": the user may run the correction action and edit the
    record (`editable`, when the page already asked)."""
    kind = {m: k for k, (m, _, _) in CORRECTIONS.items()}.get(type(obj))
    if kind is None:
        return False
    act = CORRECTIONS[kind][2]
    spec = REGISTRY.get(f"{act.__module__}.{act.__name__}")
    return (
        spec is not None
        and spec.permits(user)
        and (
            editable
            if editable is not None
            else type(obj).objects.editable_by(user).filter(pk=obj.pk).exists()
        )
    )


@login_required
def correct(request, kind, pk):
    """Correct a student, a course or a plan: the fields, and why (change-logged with the reason)."""
    if kind not in CORRECTIONS:
        raise Http404
    model, fields, act = CORRECTIONS[kind]
    obj = visible_or_404(model, request.user, pk)
    if not may_correct(request.user, obj):
        # The form shows every correctable field: only those who may correct the record see it.
        raise PermissionDenied("Correcting this record takes an editing role in its office.")
    date_fields = [f for f in fields if isinstance(model._meta.get_field(f), models.DateField)]
    form_class = forms.modelform_factory(
        model,
        fields=fields,
        widgets={f: forms.DateInput(attrs={"type": "date"}) for f in date_fields},
    )
    form_class.base_fields["reason"] = forms.CharField(
        label="Why is it corrected?", help_text="Logged with the change."
    )
    initial = {f: getattr(obj, f) for f in fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in fields}
        try:
            done = act(request.user, obj, changes, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            for m in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                form.add_error(None, m)
        else:
            messages.success(request, "Corrected.")
            for f in done.findings:
                messages.warning(request, f"{f.message} {f.fix} ({f.rule})")
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "training/nominate.html",
        {
            "form": form,
            "page_records": [obj],
            "form_title": f"Correct {obj}",
            "form_intro": "A correction names its reason; dates and the ECL minimum re-run their rules.",
            "submit": "Save the correction",
        },
    )


@login_required
def ito_pdf(request, pk):
    """The issued ITO; `?copy=student` asks for the copy handed to the student (releasable to their
    country, without the readiness and vetting details), which partners always get."""
    ito = visible_or_404(Ito, request.user, pk)
    report = exports.ito_pdf(ito, request.user, releasable=request.GET.get("copy") == "student")
    if report is None:
        raise Http404
    return report.response(inline=True)


@login_required
def fmt_report(request):
    data = exports.fmt_data(request.user, clock.today_for(request.user))
    fmt = request.GET.get("format")
    if fmt in exports.FMT_FORMATS:
        return exports.FMT_FORMATS[fmt](data, request.user).response()
    return render(request, "training/fmt.html", {"data": data, "page_records": []})
