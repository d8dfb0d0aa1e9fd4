"""Reporting reminders per indicator frequency (issue 17 item 10): an update falls due when its
period ends; the home pages list those falling due soon, and a daily job tells the responsible
organization once per period (a core Notification marked like the period)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from secoop.assessment import actions
from secoop.assessment import models as m
from secoop.core import today
from secoop.core.models import Notification
from tests.helpers import on_day

from .conftest import org
from .conftest import person

pytestmark = pytest.mark.django_db
D = dt.date


def reminders_about(period: m.Period) -> list[Notification]:
    return list(
        Notification.objects.system().filter(
            content_type=ContentType.objects.get_for_model(m.Period), object_id=str(period.pk)
        )
    )


def test_a_reminder_goes_to_the_responsible_organization_once_per_period(interdictions):
    periods = m.Period.objects.system().filter(indicator=interdictions)
    november = periods.get(period_start=D(2026, 11, 1))
    december = periods.get(period_start=D(2026, 12, 1))
    sent = actions.send_reporting_reminders(D(2027, 1, 15))  # December ended, not reported
    notes = reminders_about(december)
    assert len(notes) == 1 and notes[0] in sent
    note = notes[0]
    assert note.recipient_org == org("SCO Bandaria") and note.marking == december.marking
    assert note.rule == "R-AME-02" and "Indicator update due" in note.subject
    assert note.url == interdictions.get_absolute_url()
    assert not reminders_about(november)  # November was reported
    assert actions.send_reporting_reminders(D(2027, 1, 16)) == []  # once per period
    out = io.StringIO()
    call_command("remind_indicator_updates", "--on", "2027-01-17", stdout=out)
    assert "0 reminder(s) sent." in out.getvalue()


def test_no_reminder_for_a_period_already_submitted(interdictions):
    january = m.Period.objects.system().get(indicator=interdictions, period_start=D(2027, 1, 1))
    officer = person("sco.bandaria")
    actions.submit_update(officer, actions.enter_update(officer, january, "31"))
    actions.send_reporting_reminders(D(2027, 2, 2))
    assert not reminders_about(january)


def test_the_home_page_lists_updates_falling_due_by_frequency(users, login, interdictions):
    with on_day(D(2027, 1, 25)):  # January's period ends on the 31st: due 1 February
        items = dict(today.items_for(users["sco.bandaria"]))["Assessment"]
        page = login("sco.bandaria").get("/assessment/").content.decode()
    due = [i for i in items if "falling due" in i.title]
    assert due and due[0].due == D(2027, 2, 1) and "Illicit crossings" in due[0].detail
    assert "Updates falling due in the next 14 days" in page and "due 1 Feb 2027" in page
    assert not dict(today.items_for(users["industry.rep"])).get("Assessment")
