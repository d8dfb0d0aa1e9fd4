"""Notifications (ARCHITECTURE invariant 2): actions tell organizations about a record in the same
transaction as the change; the door shows a notification only to those who may see the record;
the e-mail that announces it goes out on commit and carries no content."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from secoop.core import actions
from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.models import Notification
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.today import items_for
from secoop.core.verdicts import Refused
from tests.conftest import builds

pytestmark = pytest.mark.django_db


def person(username: str) -> User:
    return User.objects.get(username=username)  # a fresh object: the access profile is per object


def org(short_name: str) -> Organization:
    return Organization.objects.system().get(short_name=short_name)


def notify(*args, **kwargs) -> list[Notification]:
    """What an action does after its change (notify is a building block: actions call it)."""
    with builds("the notification an action sends"):
        return actions.notify(*args, **kwargs)


def document(marking: str, title: str = "LOA for patrol boats signed") -> Document:
    doc = Document(title=title, owner_org=org("SCO Bandaria"), country_id="XBN")
    doc.marking = Marking.parse(marking)
    with override_settings(MAX_CLASSIFICATION="SECRET"):
        return actions.system_create(doc, reason="test")


def test_notify_copies_the_records_marking_and_writes_a_change_log_entry():
    doc = document("CUI//REL TO USA, XBN")
    sco = person("sco.bandaria")
    [note] = notify(
        sco, doc, [org("USASAC"), org("USASAC")], "Bandaria accepted the LOA", rule="R-FMS-08"
    )
    assert note.marking_text == "CUI//REL TO USA, XBN" and note.country_id == "XBN"
    assert note.about == doc and note.url == doc.get_absolute_url() and note.sent_by == sco
    assert note.partner_visible is False, "what USASAC is told stays with U.S. staff"
    entry = ChangeLogEntry.objects.system().get(
        content_type__model="notification", object_id=str(note.pk)
    )
    assert entry.username == "sco.bandaria" and entry.marking_text == note.marking_text


def test_a_notification_rolls_back_with_the_change_that_made_it():
    doc = document("CUI")
    before = Notification.objects.system().count()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(None, doc, [org("DSCA")], "Will not be said")
        raise RuntimeError("the change failed")
    assert Notification.objects.system().count() == before


def test_delivery_on_commit_mails_members_who_may_see_it_and_names_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    doc = document("SECRET//NOFORN", title="Night vision release decision")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [note] = notify(
            person("state.pm"), doc, [org("SCO Bandaria")], "Release decision SENTINELMAIL"
        )
    assert len(callbacks) == 1
    recipients = {address for message in mailoutbox for address in message.to}
    assert "sco.bandaria@example.mil" in recipients
    assert "le.staff@example.mil" not in recipients, (
        "LE staff may not read a SECRET record, so are not told"
    )
    assert all(
        "SENTINELMAIL" not in m.subject + m.body and "Night vision" not in m.body
        for m in mailoutbox
    )
    assert Notification.objects.system().get(pk=note.pk).delivered_at is not None


def test_r_sec_03_a_partner_reads_only_what_is_said_to_its_organization(api):
    doc = document("CUI//REL TO USA, XBN")
    notify(None, doc, [org("SCO Bandaria")], "Internal: advise DSCA SENTINELSCO")
    notify(None, doc, [org("Bandaria MoD")], "Your LOA is ready SENTINELMOD")
    subjects = {
        n["subject"]
        for n in api("partner.bandaria")
        .get("/api/v1/notifications/", {"page_size": 500})
        .json()["results"]
    }
    assert (
        "Your LOA is ready SENTINELMOD" in subjects
        and "Internal: advise DSCA SENTINELSCO" not in subjects
    )
    hidden = document("SECRET//NOFORN")
    [secret] = notify(None, hidden, [org("SCO Bandaria")], "SENTINELSECRET")
    assert api("le.staff").get(f"/api/v1/notifications/{secret.pk}/").status_code == 404
    assert api("sco.bandaria").get(f"/api/v1/notifications/{secret.pk}/").status_code == 200


def test_a_member_acknowledges_once_and_others_may_not():
    doc = document("CUI")
    [note] = notify(None, doc, [org("SCO Bandaria")], "Arrival notice due")
    with pytest.raises(NotPermitted):
        actions.acknowledge_notification(person("case.manager"), note)
    done = actions.acknowledge_notification(person("sco.bandaria"), note, reason="sent")
    assert done.acknowledged_by.username == "sco.bandaria" and not done.is_open
    assert (
        ChangeLogEntry.objects.system()
        .filter(object_id=str(note.pk), transition="acknowledge")
        .count()
        == 1
    )
    with pytest.raises(Refused, match="already acknowledged"):
        actions.acknowledge_notification(
            person("sco.bandaria"), Notification.objects.system().get(pk=note.pk)
        )


def test_open_notifications_are_on_the_home_page_of_the_recipients_only():
    doc = document("CUI")
    notify(None, doc, [org("SCO Bandaria")], "CTA coordination needed")
    sco_items = dict(items_for(person("sco.bandaria")))
    assert sco_items["Notifications"][0].title == "CTA coordination needed"  # the newest first
    others = [i.title for i in dict(items_for(person("case.manager"))).get("Notifications", [])]
    assert "CTA coordination needed" not in others


def test_the_list_is_the_inbox_unless_asked_for_every_organization(
    login, django_assert_max_num_queries
):
    doc = document("CUI")
    for i in range(5):
        notify(None, doc, [org("SCO Bandaria")], f"SCO item {i}")
    notify(None, doc, [org("DSCA")], "DSCA item")
    client = login("sco.bandaria")
    with django_assert_max_num_queries(14):
        body = client.get(reverse("notifications")).content.decode()
    assert "SCO item 4" in body and "DSCA item" not in body
    assert "DSCA item" in client.get(reverse("notifications"), {"to": "all"}).content.decode()


def test_acknowledge_through_the_page_and_the_api(login, api):
    doc = document("CUI")
    (first,) = notify(None, doc, [org("SCO Bandaria")], "First")
    (second,) = notify(None, doc, [org("SCO Bandaria")], "Second")
    page = login("sco.bandaria").post(
        reverse("notification-acknowledge", args=[first.pk]), {"next": "//evil.example/"}
    )
    assert page.status_code == 302 and page["Location"] == first.get_absolute_url()
    response = api("sco.bandaria").post(
        f"/api/v1/notifications/{second.pk}/acknowledge/", {}, format="json"
    )
    assert response.status_code == 200 and response.json()["acknowledged_by"] == "sco.bandaria"
    again = api("sco.bandaria").post(
        f"/api/v1/notifications/{second.pk}/acknowledge/", {}, format="json"
    )
    assert again.status_code == 400
    assert (
        Notification.objects.system()
        .filter(pk__in=[first.pk, second.pk], acknowledged_at__isnull=False)
        .count()
        == 2
    )
