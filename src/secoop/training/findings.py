"""Findings shown beside training records: per student, the checklist of what is missing and by
when (vetting, medical, ITO, arrival notice, after training), for the dashboard, the student page
and the SCO's 'today' items; the pure rules applied to records read through the door (the same
layer as planning/findings.py). Related rows are prefetched in a fixed number of queries, through
the door of the user who is shown them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField
from django.db.models import Exists
from django.db.models import ExpressionWrapper
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q

from secoop.core.markings import Marking
from secoop.core.markings import combine
from secoop.core.related import loaded

from . import facts
from . import rules
from .models import AfterTraining
from .models import ArrivalNotice
from .models import CetppLine
from .models import Course
from .models import Ito
from .models import Readiness
from .models import ScreeningCheck
from .models import Student
from .models import StudentStatus
from .models import Vetting
from .models import Waiver
from .rules import Finding

OPEN = (
    StudentStatus.NOMINATED,
    StudentStatus.SCREENING,
    StudentStatus.ITO_ISSUED,
    StudentStatus.IN_TRAINING,
    StudentStatus.GRADUATED,
)


@dataclass(frozen=True)
class Item:
    area: str  # vetting | medical | ito | arrival | after | ecl | screening
    finding: Finding
    due: dt.date | None
    overdue: bool = False


@dataclass
class Checklist:
    student: Student
    items: list[Item]
    ito_findings: list[Finding]

    @property
    def areas(self) -> set[str]:
        return {i.area for i in self.items}

    def by_area(self, area: str) -> list[Item]:
        return [i for i in self.items if i.area == area]

    @property
    def marking(self) -> Marking:
        """The portion marking of the student's row (issue 12 item 7): the student's and that of
        every record the checklist read for it (vetting, screening, readiness, ITO, …), as
        prefetched through the viewer's door — what the row's items state rests on them."""
        s = self.student
        records = [getattr(s, "readiness", None)]
        for name in MARKED_READS:
            records += prefetched(s, name)
        return combine([s.marking] + [r.marking for r in records if r is not None])


# The student's records the checklist reads and whose markings its row carries.
MARKED_READS = ("vettings", "screenings", "waivers", "itos", "arrival_notices", "after_records")
# with_related(as_lists=True) keeps each reverse relation as a plain list under `<name>_read`
# (Prefetch's to_attr) instead of Django's prefetched queryset per student and relation — one
# filtered queryset clone each: ~7 ms of CPU for a page of 50 (decision 0054).
READ_SUFFIX = "_read"


def prefetched(student, name: str) -> list:
    """`student.<name>` as with_related() prefetched it, or [] when it was not (no query)."""
    kept = student.__dict__.get(name + READ_SUFFIX)
    if kept is not None:
        return kept
    return list(getattr(student, "_prefetched_objects_cache", {}).get(name, ()))


def read(student, name: str):
    """`student.<name>` for a reader: the list with_related(as_lists=True) kept, else the
    relation's records (Django's prefetched cache when with_related() loaded the student)."""
    kept = student.__dict__.get(name + READ_SUFFIX)
    return kept if kept is not None else getattr(student, name).all()


def with_related(queryset, user=None, *, as_lists: bool = False):
    """Students with everything the checklist reads, prefetched through the door for `user`
    (a finding never rests on a record the user may not see), or as the system when `user` is
    None (the ITO action: the rule needs every vetting and check). `as_lists`: the reverse
    relations kept as lists for `read()` only (the API), not as `student.<name>.all()` (pages and
    templates read those)."""

    def door(model):
        return model.objects.system() if user is None else model.objects.visible_to(user)

    def many(name, queryset):
        return Prefetch(name, queryset=queryset, to_attr=name + READ_SUFFIX if as_lists else None)

    def vettings():
        return many("vettings", door(Vetting).order_by("requested_on", "pk"))

    return queryset.prefetch_related(
        Prefetch("course", queryset=door(Course)),
        Prefetch("cetpp_line", queryset=door(CetppLine)),
        Prefetch("readiness", queryset=door(Readiness)),
        vettings(),
        many("screenings", door(ScreeningCheck)),
        many("waivers", door(Waiver)),
        many("itos", door(Ito)),
        many("arrival_notices", door(ArrivalNotice)),
        many("after_records", door(AfterTraining)),
        many("alternates", door(Student).prefetch_related(vettings())),
    )


def latest_vetting(vettings) -> dict[str, str]:
    return {subject: v.status for subject, v in latest_vettings(vettings).items()}


def latest_vettings(vettings) -> dict[str, Vetting]:
    """The latest request per subject (a resubmission follows the cancelled one it replaces)."""
    latest: dict[str, Vetting] = {}
    for v in vettings:
        latest[v.subject] = v
    return latest


def funding(student: Student) -> str:
    """The student's funding source, else its CETPP line's (through the door: '' when hidden)."""
    line = loaded(student, "cetpp_line")
    return rules.funding_of(student.funding, line.funding if line is not None else "")


def vetting_need(student: Student, national_funds_vetted: bool) -> rules.VettingNeed:
    """Whether the student needs Leahy vetting, and why (R-TRN-06)."""
    return rules.vetting_need(student.program, funding(student), national_funds_vetted)


def readiness_of(student: Student) -> Readiness:
    """The student's readiness record as prefetched (an empty one when none was recorded or the
    user may not see it)."""
    return getattr(student, "readiness", None) or Readiness(student=student)


def ito_facts(
    student: Student,
    on: dt.date,
    medical: rules.MedicalFacts,
    *,
    manual: bool = False,
    student_count: int = 1,
    national_funds_vetted: bool = False,
) -> rules.ItoFacts:
    """From a student loaded with with_related()."""
    r = readiness_of(student)
    course = loaded(student, "course")  # prefetched through the door: None when hidden
    latest = latest_vetting(read(student, "vettings"))
    waivers = [w.granted_on for w in read(student, "waivers") if w.granted_on <= on]
    return rules.ItoFacts(
        student_count=student_count,
        status=student.status,
        program=student.program,
        issue_on=on,
        class_start=student.class_start,
        vetting_student=latest.get("student"),
        vetting_unit=latest.get("unit"),
        screenings=tuple((s.kind, s.status) for s in read(student, "screenings")),
        medical_statement_on=r.medical_statement_on,
        medical_form_on=r.medical_form_on,
        dental_form_on=r.dental_form_on,
        ecl_score=r.ecl_score,
        min_ecl=course.min_ecl if course is not None else None,
        prerequisites_met=r.prerequisites_met,
        prerequisites=course.prerequisites if course is not None else "",
        manual=manual,
        waiver_on=max(waivers) if waivers else None,
        already_issued=bool(read(student, "itos")),
        medical=medical,
        rdfp_forwarded_on=r.rdfp_forwarded_on,
        rdfp_approved_on=r.rdfp_approved_on,
        funding=funding(student),
        national_funds_vetted=national_funds_vetted,
    )


def _has_vetted_alternate(student: Student) -> bool:
    return any(
        latest_vetting(read(a, "vettings")) == {"student": "approved", "unit": "approved"}
        for a in read(student, "alternates")
    )


def checklist(student: Student, today: dt.date, ctx: dict) -> Checklist:
    items: list[Item] = []
    start = student.class_start
    status = student.status
    issued = bool(read(student, "itos"))
    ito_list: list[Finding] = []
    if status in (StudentStatus.NOMINATED, StudentStatus.SCREENING):
        r = readiness_of(student)
        course = loaded(student, "course")  # prefetched through the door: None when hidden
        latest = latest_vettings(read(student, "vettings"))
        alternate_days, warn_days = ctx["settings"].get(
            student.owner_org_id, ctx["default_settings"]
        )
        for f in rules.vetting_findings(
            student.program,
            latest["student"].status if "student" in latest else None,
            latest["unit"].status if "unit" in latest else None,
            start,
            today,
            alternate_days,
            _has_vetted_alternate(student),
            student.alternate_for_id is not None,
            funding=funding(student),
            national_funds_vetted=ctx["national_funds_vetted"],
        ):
            items.append(Item("vetting", f, start, today >= start))
        for subject, v in latest.items():
            f = rules.vetting_clock_finding(
                subject, v.status, v.requested_on, today, ctx["lapse_days"], warn_days
            )
            if f is not None:
                lapse = rules.vetting_lapses_on(v.requested_on, ctx["lapse_days"])
                items.append(Item("vetting", f, lapse, today > lapse))
        for f in rules.medical_findings(
            r.medical_statement_on, r.medical_form_on, r.dental_form_on, today, ctx["medical"]
        ):
            items.append(Item("medical", f, start, today >= start))
        for f in rules.ecl_findings(
            r.ecl_score,
            course.min_ecl if course is not None else None,
            r.prerequisites_met,
            course.prerequisites if course is not None else "",
        ):
            items.append(Item("ecl", f, start))
        for f in rules.rdfp_findings(student.program, r.rdfp_forwarded_on, r.rdfp_approved_on):
            items.append(Item("rdfp", f, start, today >= start))
        for f in rules.screening_findings((s.kind, s.status) for s in read(student, "screenings")):
            items.append(Item("screening", f, start, today >= start))
        ito_list = rules.ito_findings(
            ito_facts(
                student,
                today,
                ctx["medical"],
                national_funds_vetted=ctx["national_funds_vetted"],
            )
        )
        label = "ITO refused until these are done" if ito_list else "ready: issue the ITO"
        items.append(
            Item(
                "ito",
                Finding(
                    "R-TRN-08",
                    f"no ITO yet ({label}).",
                    "Issue the ITO from the student page." if not ito_list else "",
                ),
                start,
                today >= start,
            )
        )
    if issued or status in (StudentStatus.ITO_ISSUED, StudentStatus.IN_TRAINING):
        notices = list(read(student, "arrival_notices"))
        unacc, acc = ctx["arrival_days"]
        if not notices and status == StudentStatus.ITO_ISSUED:
            f, due, overdue = rules.missing_arrival_notice(
                student.accompanied, start, today, unacc, acc
            )
            items.append(Item("arrival", f, due, overdue))
        for n in notices:
            if n.sent_on is None:
                overdue = rules.arrival_notice_overdue(n.due_on, n.sent_on, today)
                items.append(
                    Item(
                        "arrival",
                        Finding(
                            "R-TRN-09",
                            f"the arrival notice to {n.installation} is {'overdue' if overdue else 'due'}: "
                            f"due {rules.fmt(n.due_on)}.",
                            "Send it and record the day.",
                        ),
                        n.due_on,
                        overdue,
                    )
                )
    done = {a.kind for a in read(student, "after_records")}
    for f in rules.after_training_missing(status, student.class_end, done, today):
        due = student.class_start if "briefing" in f.message else student.class_end
        items.append(Item("after", f, due, today > due))
    return Checklist(student, items, ito_list)


def context(today: dt.date, org_ids=()) -> dict:
    """The dated facts in force today, and the SCOs' own settings (training.facts.settings_for)."""
    settings = facts.settings_for(org_ids)
    return {
        "medical": facts.medical(today),
        "arrival_days": facts.arrival_days(today),
        "lapse_days": facts.vetting_lapse_days(today),
        "national_funds_vetted": facts.national_funds_vetted(today),
        "settings": settings,
        "default_settings": facts.default_settings(),
    }


def checklists(queryset, today: dt.date, user=None) -> list[Checklist]:
    return checklists_of(list(with_related(queryset, user)), today)


def checklists_of(students, today: dt.date) -> list[Checklist]:
    """The checklists of students already loaded with with_related() (no query but the dated
    facts and the SCOs' settings): a list page builds them from the page it read."""
    ctx = context(today, {s.owner_org_id for s in students})
    return [checklist(s, today, ctx) for s in students]


# --- "what is missing" as a query (issues 12.1 and 14.6) -------------------------------------------
#
# The same answers as checklist() gives per area, as SQL over every student at once, so that the
# dashboard can filter and page and the 'today' list can count without building a checklist per
# student. Trusted: the subqueries read the step records as the system does, so that a record the
# viewer may not see never makes a step look missing; the callers ask them only for the steps the
# viewer handles (core.today.handles), and never show the records they read.

AREA_ORDER = ("vetting", "screening", "medical", "ecl", "rdfp", "ito", "arrival", "after")
AREA_LABELS = {
    "vetting": "Human-rights vetting",
    "screening": "In-country screening",
    "medical": "Medical clearance",
    "ecl": "English and prerequisites",
    "rdfp": "RDFP approval",
    "ito": "Invitational travel order",
    "arrival": "Arrival notice",
    "after": "After-training records",
}
# The statuses in which each step can be open (checklist() above).
AREA_STATUSES = {
    "vetting": rules.SCREENING_OPEN,
    "screening": rules.SCREENING_OPEN,
    "medical": rules.SCREENING_OPEN,
    "ecl": rules.SCREENING_OPEN,
    "rdfp": rules.SCREENING_OPEN,
    "ito": rules.SCREENING_OPEN,
    "arrival": ("ito_issued", "in_training"),
    "after": rules.AFTER_OPEN,
}
QUERY_AREAS = ("vetting", "medical", "rdfp", "ito", "arrival", "after")
NOFORN = "CUI//NOFORN"  # the default marking of vetting, screening, ITO, notices, after records


def steps() -> dict[str, tuple[frozenset[str], str | None]]:
    """Per area: the roles of the action that does the step, and the default marking of the
    records it writes (None: marked as the student, whoever sees the student sees them)."""
    from . import actions

    return {
        "vetting": (actions.request_vetting.roles, NOFORN),
        "screening": (actions.record_screening.roles, NOFORN),
        "medical": (actions.record_medical.roles, None),
        "ecl": (actions.record_ecl.roles, None),
        "rdfp": (actions.record_rdfp_approval.roles, None),
        "ito": (actions.issue_ito.roles, NOFORN),
        "arrival": (actions.create_arrival_notice.roles, NOFORN),
        "after": (actions.record_after.roles, NOFORN),
    }


def step_applies(area: str, student: Student) -> bool:
    """Whether `area` is a step of this student at this stage, from the student's own status and
    program only (what pages say "with U.S. staff" for, whatever the step's records hold)."""
    if student.status not in AREA_STATUSES[area]:
        return False
    return area != "rdfp" or student.program == rules.Program.RDFP


def handled_areas(user) -> tuple[str, ...]:
    """The steps `user` is responsible for and can act on (core.today.handles), in order."""
    from secoop.core.today import handles

    cached = getattr(user, "_training_handled", None)
    if cached is None:
        table = steps()
        cached = tuple(a for a in AREA_ORDER if handles(user, *table[a]))
        user._training_handled = cached
    return cached


def _stale_before(today: dt.date, months: int) -> dt.date:
    """The first statement date still inside the medical window on `today`: a statement is
    too old exactly when it is dated before this day (rules.medical_findings)."""
    day = rules.add_months(today, -months) - dt.timedelta(days=4)
    while rules.add_months(day, months) < today:
        day += dt.timedelta(days=1)
    return day


def _has(model, **filters):
    return Exists(model.objects.system().filter(student=OuterRef("pk"), **filters))


def _latest_vetting_approved(subject: str):
    """The student's latest vetting of `subject` (by request date, then id) is approved."""
    later = Vetting.objects.system().filter(
        Q(requested_on__gt=OuterRef("requested_on"))
        | Q(requested_on=OuterRef("requested_on"), pk__gt=OuterRef("pk")),
        student=OuterRef("student"),
        subject=subject,
    )
    return Exists(
        Vetting.objects.system()
        .filter(student=OuterRef("pk"), subject=subject, status=rules.APPROVED)
        .exclude(Exists(later))
    )


def _needs_vetting_q(national_funds_vetted: bool) -> Q:
    """rules.vetting_need as a condition: U.S.-funded programs, and FMS training paid with U.S.
    money or of unknown funding (the student's own source, else its CETPP line's)."""
    fms = Q(program=rules.Program.FMS)
    if not national_funds_vetted:
        us_money = (rules.Funding.FMF, rules.Funding.US_OTHER)
        own = ~Q(funding="")
        fms &= (own & Q(funding__in=us_money)) | (
            ~own & (Q(cetpp_line__isnull=True) | Q(cetpp_line__funding__in=(*us_money, "")))
        )
    return Q(program__in=rules.Program.US_FUNDED) | fms


def missing_q(area: str, today: dt.date, ctx: dict | None = None) -> Q:
    """Students for whom `area` has an item in checklist(): the same rules, as a condition the database evaluates. For the areas the
    dashboard filters by and the 'today' list counts (QUERY_AREAS); ECL and screening are shown
    per student from the checklist only."""
    ctx = ctx or context(today)
    open_ = Q(status__in=AREA_STATUSES[area])
    if area == "vetting":
        not_done = ~_latest_vetting_approved("student") | ~_latest_vetting_approved("unit")
        return open_ & _needs_vetting_q(ctx["national_funds_vetted"]) & not_done
    if area == "medical":
        facts_ = ctx["medical"]
        ok = Q(
            medical_statement_on__gte=_stale_before(today, facts_.window_months),
            medical_statement_on__lte=today,
        )
        if facts_.medical_form_required:
            ok &= Q(medical_form_on__isnull=False)
        if facts_.dental_form_required:
            ok &= Q(dental_form_on__isnull=False)
        return open_ & ~Exists(Readiness.objects.system().filter(ok, student=OuterRef("pk")))
    if area == "rdfp":
        return (
            open_
            & Q(program=rules.Program.RDFP)
            & ~_has(Readiness, rdfp_forwarded_on__isnull=False, rdfp_approved_on__isnull=False)
        )
    if area == "ito":
        return open_
    if area == "arrival":
        return (_has(Ito) | open_) & (
            (Q(status=StudentStatus.ITO_ISSUED) & ~_has(ArrivalNotice))
            | _has(ArrivalNotice, sent_on__isnull=True)
        )
    if area == "after":
        trained = Q(status=StudentStatus.GRADUATED) | Q(
            status=StudentStatus.IN_TRAINING, class_end__lt=today
        )
        post = Q()
        for kind in ("interview", "academic", "use"):
            post |= ~_has(AfterTraining, kind=kind)
        return (open_ & ~_has(AfterTraining, kind="pre_departure")) | (trained & post)
    raise ValueError(f"no such area: {area}")


def missing(queryset, area: str, today: dt.date, ctx: dict | None = None):
    """The students of `queryset` for whom `area` is open (missing_q)."""
    return queryset.filter(missing_q(area, today, ctx))


def open_areas(pks, areas, today: dt.date, ctx: dict | None = None) -> dict[int, set[str]]:
    """For the students `pks`, which of `areas` (of QUERY_AREAS) are open: one trusted query.
    For the caller to keep only the steps the user handles that are truly open; never shown."""
    areas = [a for a in areas if a in QUERY_AREAS]
    if not areas:
        return {}
    ctx = ctx or context(today)
    rows = (
        Student.objects.system()
        .filter(pk__in=list(pks))
        .annotate(
            **{
                f"_open_{a}": ExpressionWrapper(missing_q(a, today, ctx), BooleanField())
                for a in areas
            }
        )
        .values("pk", *(f"_open_{a}" for a in areas))
    )
    return {row["pk"]: {a for a in areas if row[f"_open_{a}"]} for row in rows}
