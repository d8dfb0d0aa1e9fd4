"""Findings shown beside training records: per student, the checklist of what is missing and by
when (vetting, medical, ITO, arrival notice, after training), for the dashboard, the student page
and the SCO's 'today' items; the pure rules applied to records read through the door (the same
layer as planning/findings.py). Related rows are prefetched in a fixed number of queries, through
the door of the user who is shown them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from secoop.core.markings import Marking, combine
from secoop.core.related import loaded

from . import facts, rules
from .models import (
    AfterTraining,
    ArrivalNotice,
    CetppLine,
    Course,
    Ito,
    Readiness,
    ScreeningCheck,
    Student,
    StudentStatus,
    Vetting,
    Waiver,
)
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
        read = [getattr(s, "readiness", None)]
        for name in (
            "vettings",
            "screenings",
            "waivers",
            "itos",
            "arrival_notices",
            "after_records",
        ):
            cache = getattr(s, "_prefetched_objects_cache", {})
            read += list(cache.get(name, ()))
        return combine([s.marking] + [r.marking for r in read if r is not None])


def with_related(queryset, user=None):
    """Students with everything the checklist reads, prefetched through the door for `user`
    (a finding never rests on a record the user may not see), or as the system when `user` is
    None (the ITO action: the rule needs every vetting and check)."""

    def door(model):
        return model.objects.system() if user is None else model.objects.visible_to(user)

    return queryset.prefetch_related(
        Prefetch("course", queryset=door(Course)),
        Prefetch("cetpp_line", queryset=door(CetppLine)),
        Prefetch("readiness", queryset=door(Readiness)),
        Prefetch("vettings", queryset=door(Vetting).order_by("requested_on", "pk")),
        Prefetch("screenings", queryset=door(ScreeningCheck)),
        Prefetch("waivers", queryset=door(Waiver)),
        Prefetch("itos", queryset=door(Ito)),
        Prefetch("arrival_notices", queryset=door(ArrivalNotice)),
        Prefetch("after_records", queryset=door(AfterTraining)),
        Prefetch(
            "alternates",
            queryset=door(Student).prefetch_related(
                Prefetch("vettings", queryset=door(Vetting).order_by("requested_on", "pk"))
            ),
        ),
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
    latest = latest_vetting(student.vettings.all())
    waivers = [w.granted_on for w in student.waivers.all() if w.granted_on <= on]
    return rules.ItoFacts(
        student_count=student_count,
        status=student.status,
        program=student.program,
        issue_on=on,
        class_start=student.class_start,
        vetting_student=latest.get("student"),
        vetting_unit=latest.get("unit"),
        screenings=tuple((s.kind, s.status) for s in student.screenings.all()),
        medical_statement_on=r.medical_statement_on,
        medical_form_on=r.medical_form_on,
        dental_form_on=r.dental_form_on,
        ecl_score=r.ecl_score,
        min_ecl=course.min_ecl if course is not None else None,
        prerequisites_met=r.prerequisites_met,
        prerequisites=course.prerequisites if course is not None else "",
        manual=manual,
        waiver_on=max(waivers) if waivers else None,
        already_issued=bool(student.itos.all()),
        medical=medical,
        rdfp_forwarded_on=r.rdfp_forwarded_on,
        rdfp_approved_on=r.rdfp_approved_on,
        funding=funding(student),
        national_funds_vetted=national_funds_vetted,
    )


def _has_vetted_alternate(student: Student) -> bool:
    return any(
        latest_vetting(a.vettings.all()) == {"student": "approved", "unit": "approved"}
        for a in student.alternates.all()
    )


def checklist(student: Student, today: dt.date, ctx: dict) -> Checklist:
    items: list[Item] = []
    start = student.class_start
    status = student.status
    issued = bool(student.itos.all())
    ito_list: list[Finding] = []
    if status in (StudentStatus.NOMINATED, StudentStatus.SCREENING):
        r = readiness_of(student)
        course = loaded(student, "course")  # prefetched through the door: None when hidden
        latest = latest_vettings(student.vettings.all())
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
        for f in rules.screening_findings((s.kind, s.status) for s in student.screenings.all()):
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
        notices = list(student.arrival_notices.all())
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
    done = {a.kind for a in student.after_records.all()}
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
    students = list(with_related(queryset, user))
    ctx = context(today, {s.owner_org_id for s in students})
    return [checklist(s, today, ctx) for s in students]
