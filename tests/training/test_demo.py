"""Issue item 11: the demo holds a four-year plan with IMET, E-IMET, RDFP and FMS lines and
students in every state, one with a refused ITO and one with an overdue arrival notice."""

from __future__ import annotations

import pytest

from secoop.core import demo as core_demo
from secoop.training import actions
from secoop.training import findings
from secoop.training.models import CetppLine
from secoop.training.models import Student
from secoop.training.models import StudentStatus

from .conftest import snapshot_counts
from .conftest import student

pytestmark = pytest.mark.django_db


def test_demo_plan_covers_four_years_with_every_program(plan, cetpp):
    assert plan.last_fy - plan.first_fy + 1 >= 4
    programs = set(CetppLine.objects.system().filter(cetpp=cetpp).values_list("program", flat=True))
    assert {"imet", "eimet", "rdfp", "fms"} <= programs
    assert cetpp.status == "submitted"


def test_demo_students_in_every_state(on_demo_day):
    states = set(Student.objects.system().values_list("status", flat=True))
    assert set(StudentStatus.values) <= states


def test_demo_one_ito_refused_one_arrival_notice_overdue(on_demo_day):
    refused_for = actions.ito_findings(student("Halvik"))
    assert {f.rule for f in refused_for} >= {"R-TRN-05", "R-TRN-06", "R-TRN-07", "R-TRN-04"}
    lists = {
        c.student.family_name: c for c in findings.checklists(Student.objects.system(), on_demo_day)
    }
    assert any(i.area == "arrival" and i.overdue for i in lists["Ondra"].items)


def test_demo_load_is_idempotent():
    before = snapshot_counts()
    core_demo.load()
    assert snapshot_counts() == before
