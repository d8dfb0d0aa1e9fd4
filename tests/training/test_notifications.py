"""What training actions tell other organizations (core notifications): the CCMD when a CETPP is
submitted for review, the SCO when the CCMD approves or returns it (R-TRN-02) and when the partner
nominates a student (R-TRN-13). Each notification carries its record's marking."""

from __future__ import annotations

import datetime as dt

import pytest

from secoop.core.models import Notification
from secoop.training import actions
from secoop.training.models import Course
from secoop.training.models import Student

from .conftest import org
from .conftest import person

pytestmark = pytest.mark.django_db


def notes_about(record):
    return list(
        Notification.objects.system()
        .filter(content_type__model=type(record)._meta.model_name, object_id=str(record.pk))
        .order_by("id")
    )


def test_r_trn_02_the_demo_cetpp_waits_for_africom_and_a_review_tells_the_sco(cetpp, on_demo_day):
    [submitted] = notes_about(cetpp)
    assert submitted.recipient_org.short_name == "AFRICOM" and submitted.rule == "R-TRN-02"
    assert submitted.marking_text == cetpp.marking_text
    actions.return_cetpp(
        person("ccmd.planner"), cetpp, comment="Add the FY2029 Naval Command College rationale"
    )
    returned = notes_about(cetpp)[-1]
    assert returned.recipient_org.short_name == "SCO Bandaria" and "returned" in returned.subject
    assert returned.body == "Add the FY2029 Naval Command College rationale"
    actions.submit_cetpp(person("sco.bandaria"), cetpp)
    assert notes_about(cetpp)[-1].recipient_org.short_name == "AFRICOM"


def test_r_trn_13_a_partner_nomination_tells_the_sco_and_the_partner_does_not_read_it(
    on_demo_day, api
):
    nominee = Student(
        country_id="XBN",
        owner_org=org("Bandaria MoD"),
        given_name="Nia",
        family_name="Okoro",
        unit="5th Battalion",
        career_personnel=True,
        course=Course.objects.system().get(course_id="D177010"),
        program="imet",
        class_start=dt.date(2027, 6, 1),
        class_end=dt.date(2027, 10, 15),
    )
    made = actions.nominate(person("partner.bandaria"), nominee)
    [note] = notes_about(made)
    assert (
        note.recipient_org.short_name == "SCO Bandaria"
        and note.sent_by.username == "partner.bandaria"
    )
    assert note.marking_text == "CUI//REL TO USA, XBN" and not note.partner_visible
    ids = {
        n["id"]
        for n in api("partner.bandaria")
        .get("/api/v1/notifications/", {"page_size": 500})
        .json()["results"]
    }
    assert note.pk not in ids
    assert note.pk in {
        n["id"]
        for n in api("sco.bandaria")
        .get("/api/v1/notifications/", {"mine": "true", "page_size": 500})
        .json()["results"]
    }
