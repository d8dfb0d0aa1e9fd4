"""'What needs me today' for training: the SCO's students missing vetting, medical, ITO, arrival
notices due or overdue and after-training records; the CCMD planner's CETPPs awaiting review; the
partner's nominees' status — and nothing for those it does not concern."""

from __future__ import annotations

import pytest

from secoop.core.today import items_for
from secoop.training import actions

from .conftest import person
from .conftest import student

pytestmark = pytest.mark.django_db


def training_items(username):
    return dict(items_for(person(username))).get("Training", [])


def test_sco_sees_students_missing_vetting_medical_ito_arrival_after(on_demo_day):
    items = {i.rule: i for i in training_items("sco.bandaria")}
    assert {"R-TRN-06", "R-TRN-05", "R-TRN-08", "R-TRN-09", "R-TRN-10"} <= set(items)
    assert items["R-TRN-09"].severity == "error" and "Ondra" in items["R-TRN-09"].detail
    assert "Halvik" in items["R-TRN-06"].detail and items["R-TRN-06"].url.endswith(
        "?missing=vetting"
    )


def test_ccmd_planner_sees_the_cetpp_awaiting_review(on_demo_day, cetpp):
    items = training_items("ccmd.planner")
    assert [i.rule for i in items] == ["R-TRN-02", "R-TRN-03"] and items[
        0
    ].url == cetpp.get_absolute_url()
    assert "Orsk" in items[1].title
    actions.approve_cetpp(person("ccmd.planner"), cetpp)
    actions.forward_rdfp(person("ccmd.planner"), student("Orsk"))
    assert training_items("ccmd.planner") == []


def test_partner_has_no_student_to_do_after_nominating(on_demo_day):
    """Issue 12.6: every step after a nomination is the U.S. staff's; the partner's home no longer
    lists all 8 students (a graduate 'due 5 Aug 2024' among them) as needing their action."""
    assert training_items("partner.bandaria") == []


def test_le_staff_are_not_told_a_noforn_step_is_missing(on_demo_day):
    """Issue 12.1: le.staff (no LAA) cannot see the NOFORN vettings, ITOs, arrival notices and
    after-training records; they handle none of those steps, so none is on their list, and the
    steps they do handle (medical) count the same students as the SCO's."""
    le = {i.rule: i for i in training_items("le.staff")}
    sco = {i.rule: i for i in training_items("sco.bandaria")}
    assert set(le) == {"R-TRN-05"}
    assert le["R-TRN-05"] == sco["R-TRN-05"]
    assert not any("never requested" in (i.title + i.detail) for i in le.values())


@pytest.mark.parametrize("area", ["vetting", "medical", "rdfp", "ito", "arrival", "after"])
def test_missing_as_a_query_agrees_with_the_checklist(on_demo_day, area):
    """Issue 14.6: findings.missing_q gives, per area, the students checklist() finds it open for."""
    from secoop.training import findings
    from secoop.training.models import Student

    students = Student.objects.system().filter(status__in=findings.OPEN)
    by_rules = {c.student.pk for c in findings.checklists(students, on_demo_day) if area in c.areas}
    by_query = set(findings.missing(students, area, on_demo_day).values_list("pk", flat=True))
    assert by_query == by_rules


def test_the_sco_list_runs_a_fixed_number_of_queries(on_demo_day, django_assert_max_num_queries):
    from secoop.training.today import sco_students

    sco = person("sco.bandaria")
    sco_students(sco)  # the access profile and roles, cached on the user
    with django_assert_max_num_queries(30):
        assert (
            len(sco_students(sco)) == 5
        )  # vetting, medical, ITO, arrival, after (RDFP approval is OSD/SOLIC's step)


def test_others_see_no_training_items(on_demo_day):
    assert training_items("industry.rep") == []
    assert training_items("case.manager") == []


def test_issue15_the_sco_list_counts_at_most_the_cap_per_step(on_demo_day, monkeypatch):
    """Issue 15 §4: the SCO's home counted every student for six steps (4.7–7.3 s at 100k); each
    step is now a count over a LIMIT, and past the cap the item says "more than"."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.training import today

    sco = person("sco.bandaria")
    exact = {i.url: i for i in today.sco_students(sco)}
    monkeypatch.setattr(today, "COUNT_CAP", 1)
    with CaptureQueriesContext(connection) as seen:
        capped = {i.url: i for i in today.sco_students(sco)}
    assert capped.keys() == exact.keys()
    for url, item in capped.items():
        if exact[url].count > 1:
            assert item.title.startswith("More than 1 students") and item.count is None
        else:
            assert item.count == exact[url].count == 1
    counts = [q["sql"] for q in seen.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 2" in sql.upper() for sql in counts)


def _students_by_checklist(username, on):
    """The record-by-record answer: each managed student's checklist, step by step."""
    from secoop.training import findings
    from secoop.training.models import Student

    # The students the user manages, checked as the system (the provider's trusted answer).
    pks = Student.objects.editable_by(person(username)).values_list("pk", flat=True)
    managed = Student.objects.system().filter(pk__in=list(pks), status__in=findings.OPEN)
    by_area: dict[str, list] = {}
    for c in findings.checklists(managed, on):
        for area in c.areas:
            by_area.setdefault(area, []).append(c.student)
    return {
        area: sorted(found, key=lambda s: (s.class_start, s.family_name, s.pk))
        for area, found in by_area.items()
    }


@pytest.mark.parametrize("username", ["sco.bandaria", "le.staff"])
def test_issue15_one_query_counts_and_names_what_each_checklist_finds(on_demo_day, username):
    """Issue 15 item 4: the steps' counts and first students, read in one query, are the
    checklists' (record by record) — for the SCO and for LE staff, who handle medical only."""
    from secoop.training.today import AREAS
    from secoop.training.today import NAMED
    from secoop.training.today import sco_students

    expected = _students_by_checklist(username, on_demo_day)
    items = sco_students(person(username))
    assert items
    for item in items:
        area = item.url.rsplit("=", 1)[1]
        assert item.rule == AREAS[area][1] and item.count == len(expected[area])
        names = ", ".join(str(s) for s in expected[area][:NAMED])
        assert item.detail == names + ("…" if len(expected[area]) > NAMED else "")


def test_issue15_more_students_cost_the_sco_list_no_query(on_demo_day, django_assert_num_queries):
    """Issue 15 item 4: the steps are counted in SQL, so more students add no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.training.models import Student
    from secoop.training.today import sco_students

    sco = person("sco.bandaria")
    sco_students(sco)  # the access profile and roles, cached on the user
    with CaptureQueriesContext(connection) as before:
        counts = {i.rule: i.count for i in sco_students(sco)}
    from secoop.core.actions import system_writes

    with system_writes("test: more students missing the same steps"):
        for n, s in enumerate(list(Student.objects.system().filter(family_name="Halvik")) * 3):
            s.pk = None
            s.family_name = f"Halvik{n}"
            s.save()
    with django_assert_num_queries(len(before.captured_queries)):
        after = {i.rule: i.count for i in sco_students(sco)}
    assert after["R-TRN-06"] == counts["R-TRN-06"] + 3
