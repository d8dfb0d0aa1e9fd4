"""Synthetic students for `secoop generate` (registered with core.generate.register).

Per generated partner country (its share by `Generation.spread`): students managed by the
country's SCO, nominated for courses of the catalog (the courses already there, else a few
synthetic ones), class dates over four fiscal years, the status their dates imply (graduated or
withdrawn after the class, in training during it, nominated / in screening / ITO issued before
it), each with a readiness record and most with a human-rights vetting (R-TRN-04, R-TRN-06).
Students are created through `Generation.create` with their CREATE change-log entries; readiness
and vettings are their detail rows (no entry of their own: see `Generation.create`'s `log`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from secoop.core import generate as core

from .models import Course
from .models import Readiness
from .models import Student
from .models import StudentStatus
from .models import Vetting
from .models import VettingStatus
from .models import VettingSubject
from .rules import Program

STUDENTS_PER_CHUNK = 5_000
# Partners read their students (name, course, dates, status: the field policy); some records stay
# U.S.-only.
STUDENT_MARKINGS = (
    ("CUI//REL TO USA, {c}", 75),
    ("UNCLASSIFIED//REL TO USA, {c}", 10),
    ("CUI", 8),
    ("CUI//NOFORN", 5),
    ("CONFIDENTIAL//NOFORN", 2),
)
PROGRAMS = ((Program.IMET, 55), (Program.FMS, 25), (Program.EIMET, 10), (Program.OTHER, 10))
RANKS = ("2LT", "1LT", "CPT", "MAJ", "LTC", "COL", "SGT", "SSG", "MSG", "LT", "LCDR", "CDR")
GIVEN = core.FIRST
FAMILY = core.LAST + ("Mbeki", "Haidari", "Santos", "Nakamura", "Ibrahim", "Petrov", "Diallo")
SYNTHETIC_COURSES = (
    ("G-SYN001", "Basic Officer Leader Course (synthetic)", "Fort Moore, GA", "16.0", 70),
    ("G-SYN002", "Maritime Law Enforcement (synthetic)", "Yorktown, VA", "4.0", 65),
    ("G-SYN003", "Aircraft Maintenance Officer (synthetic)", "Sheppard AFB, TX", "12.0", 75),
    ("G-SYN004", "Defense Resource Management (synthetic)", "Monterey, CA", "3.0", 80),
    ("G-SYN005", "English Language Instructor (synthetic)", "JBSA-Lackland, TX", "20.0", 85),
)


def _courses(gen: core.Generation) -> list[Course]:
    courses = list(Course.objects.system().order_by("course_id"))
    if courses:
        return courses
    school = (gen.orgs.get("ia") or gen.orgs["dsca"])[0]
    made = []
    for course_id, title, location, weeks, ecl in SYNTHETIC_COURSES:
        course = Course(
            course_id=course_id,
            title=title,
            school="Synthetic school",
            location=location,
            length_weeks=Decimal(weeks),
            min_ecl=ecl,
            owner_org=school,
        )
        course.marking = gen.marking("UNCLASSIFIED")
        made.append(course)
    return gen.create(made)


@core.register
def training(gen: core.Generation) -> None:
    if not gen.scale.students:
        return
    courses = _courses(gen)
    today = timezone.localdate()
    per_country = gen.spread(gen.scale.students)
    pending: list[Student] = []
    for c in gen.countries:
        scos = gen.by_country[c.alpha3]["sco"]
        if not scos:
            continue
        services = [f"{c.name} {s}" for s in gen.scale.services]
        for _ in range(per_country.get(c.alpha3, 0)):
            pending.append(_student(gen, c, scos[0], services, courses, today))
            if len(pending) >= STUDENTS_PER_CHUNK:
                _flush(gen, pending, today)
                pending = []
    _flush(gen, pending, today)


def _student(gen, c, sco, services, courses, today) -> Student:
    rng = gen.rng
    course = rng.choice(courses)
    start = today + dt.timedelta(days=rng.randint(-3 * 365, 365))
    end = start + dt.timedelta(weeks=float(course.length_weeks))
    service = rng.choice(services)
    student = Student(
        country=c,
        owner_org=sco,
        given_name=rng.choice(GIVEN),
        family_name=rng.choice(FAMILY),
        rank=rng.choice(RANKS),
        service=service,
        unit=f"{rng.randint(1, 40)}th Battalion, {service}",
        current_position="Staff officer",
        career_personnel=rng.random() < 0.8,
        course=course,
        course_title=f"{course.course_id} {course.title}"[:330],
        program=core._weighted(rng, PROGRAMS),
        class_start=start,
        class_end=end,
        accompanied=rng.random() < 0.15,
        nominated_on=start - dt.timedelta(days=rng.randint(120, 300)),
    )
    if end < today:
        student.status = StudentStatus.GRADUATED if rng.random() < 0.93 else StudentStatus.WITHDRAWN
    elif start <= today:
        student.status = StudentStatus.IN_TRAINING
    else:
        student.status = core._weighted(
            rng,
            (
                (StudentStatus.NOMINATED, 40),
                (StudentStatus.SCREENING, 40),
                (StudentStatus.ITO_ISSUED, 20),
            ),
        )
    student.marking = gen.marking(core._weighted(rng, STUDENT_MARKINGS).format(c=c.alpha3))
    return student


def _flush(gen, students: list[Student], today: dt.date) -> None:
    if not students:
        return
    rng = gen.rng
    gen.create(students)
    readiness, vettings = [], []
    for s in students:
        ready = s.status not in (StudentStatus.NOMINATED,)
        r = Readiness(
            student=s,
            ecl_score=rng.randint(55, 95) if ready else None,
            ecl_tested_on=s.nominated_on + dt.timedelta(days=20) if ready else None,
            prerequisites_met=True if ready else None,
            medical_statement_on=s.nominated_on + dt.timedelta(days=30) if ready else None,
        )
        r.marking = gen.marking("CUI")
        readiness.append(r)
        if s.status != StudentStatus.NOMINATED or rng.random() < 0.3:
            requested = s.nominated_on + dt.timedelta(days=rng.randint(5, 30))
            done = requested + dt.timedelta(days=rng.randint(10, 60))
            v = Vetting(
                student=s,
                subject=VettingSubject.STUDENT,
                status=VettingStatus.APPROVED if done < today else VettingStatus.IN_PROCESS,
                requested_on=requested,
                completed_on=done if done < today else None,
                reference=f"INVEST-{s.pk:07d}",
            )
            v.marking = gen.marking("CUI//NOFORN")
            vettings.append(v)
    gen.create(readiness, log=False)
    gen.create(vettings, log=False)
