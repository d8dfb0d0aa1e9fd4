"""The home page: what needs each user today, and their area."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from secoop.core import actions
from secoop.core.markings import Marking
from secoop.core.models import Document
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.today import areas_for
from secoop.core.today import items_for

pytestmark = pytest.mark.django_db


def titles(user):
    return [item.title for _, items in items_for(user) for item in items]


def test_administrator_sees_locked_accounts_with_the_rule(users):
    User.objects.filter(username="case.manager").update(locked_at=timezone.now())
    admin = User.objects.get(username="admin")
    sections = dict(items_for(admin))
    locked = [i for i in sections["Accounts"] if "locked" in i.title]
    assert locked[0].title == "1 locked account" and locked[0].rule == "R-SEC-07"
    assert locked[0].url == reverse("people") + "?status=locked"
    assert not [t for t in titles(User.objects.get(username="sco.bandaria")) if "locked" in t]


def test_r_sec_02_le_reinvestigation_due_within_90_days_shows(users):
    le = users["le.staff"]
    le.last_investigation_on = timezone.localdate() - dt.timedelta(days=5 * 365 - 30)
    le.save()
    items = [t for t in titles(User.objects.get(username="admin")) if "Reinvestigation" in t]
    assert items == [f"Reinvestigation due: {le}"]
    User.objects.filter(pk=le.pk).update(
        last_investigation_on=timezone.localdate() - dt.timedelta(days=6 * 365)
    )
    assert f"Reinvestigation overdue: {le}" in titles(User.objects.get(username="admin"))


def test_changes_by_others_since_the_previous_logon(users):
    sco = users["sco.bandaria"]
    earlier = timezone.now() - dt.timedelta(days=2)
    from secoop.core.models import LogonAttempt

    LogonAttempt.objects.create(username="sco.bandaria", user=sco, at=earlier, succeeded=True)
    LogonAttempt.objects.create(
        username="sco.bandaria", user=sco, at=timezone.now(), succeeded=True
    )
    owner = Organization.objects.system().get(short_name="AFRICOM")
    doc = Document(title="New AFRICOM guidance", owner_org=owner, country_id="XBN")
    doc.marking = Marking.parse("CUI")
    actions.create_record(users["ccmd.planner"], doc)
    found = [t for t in titles(User.objects.get(pk=sco.pk)) if "since your last logon" in t]
    assert found and found[0].endswith("since your last logon")
    # R-SEC-01: a count is marked by the rows it counts, read in one grouped query, so the home
    # page's banner covers it; the notifications it names carry their own markings.
    items = [i for _, group in items_for(User.objects.get(pk=sco.pk)) for i in group]
    [changes] = [i for i in items if "since your last logon" in i.title]
    assert changes.marking is not None and changes.marking.dissemination == "NOFORN"
    notes = [i for i in items if i.url.startswith("/notifications/")]
    assert notes and all(i.marking is not None for i in notes)


def test_areas_follow_the_users_organizations(users):
    planner = [a.country.pk for a in areas_for(User.objects.get(username="ccmd.planner"))]
    assert "XBN" in planner and "KEN" in planner and "EGY" not in planner
    assert [a.country.pk for a in areas_for(User.objects.get(username="sco.bandaria"))] == ["XBN"]
    assert [a.country.pk for a in areas_for(User.objects.get(username="partner.bandaria"))] == [
        "XBN"
    ]


# --- issue 12: to-do lists that neither reveal nor invent, each record once ---------------------------


def keyed(user) -> set[tuple[str, str]]:
    """(section, the record or list an item is about) for every item on the user's home."""
    return {
        (section, item.about or item.url) for section, items in items_for(user) for item in items
    }


def test_every_item_on_le_and_partner_lists_is_on_the_scos(users):
    """Issue 12.1: LE staff and the partner are never told of a step the SCO is not (a to-do
    computed over what they see claimed NOFORN vettings were 'never requested')."""
    from tests.helpers import on_day
    from tests.training.conftest import DEMO_TODAY

    with on_day(DEMO_TODAY):
        sco = keyed(User.objects.get(username="sco.bandaria"))
        for who in ("le.staff", "partner.bandaria"):
            theirs = keyed(User.objects.get(username=who))
            # Notifications go to organizations: compare what they are about, not the inbox.
            assert {k for k in theirs if k[0] != "Notifications"} <= sco, who
            assert {about for _, about in theirs} <= {about for _, about in sco}, who


def test_a_record_is_listed_once(users):
    """Issue 12.10: the LOR the partner submitted was listed twice on the SCO's home (its
    notification and its routing item), the CETPP twice on the planner's."""
    from tests.helpers import on_day
    from tests.training.conftest import DEMO_TODAY

    with on_day(DEMO_TODAY):
        for who in ("sco.bandaria", "ccmd.planner"):
            abouts = [
                item.about or item.url
                for _, items in items_for(User.objects.get(username=who))
                for item in items
            ]
            assert len(abouts) == len(set(abouts)), who
        sco = [i.title for _, items in items_for(users["sco.bandaria"]) for i in items]
        assert sum("Border surveillance radar" in t for t in sco) == 1
        planner = [i.title for _, items in items_for(users["ccmd.planner"]) for i in items]
        assert sum("CETPP FY2027" in t for t in planner) == 1


def test_recent_changes_are_the_users_work(login, users):
    """Issue 12.10: the case manager's 'recent changes' were mostly training steps of Bandaria's
    SCO; they are now the changes to records of their organizations (USASAC's cases)."""
    page = login("case.manager").get("/")
    recent = page.context["recent_changes"]
    assert recent and all(e.content_type.app_label != "training" for e in recent)
    sco = login("sco.bandaria").get("/").context["recent_changes"]
    # Their country's work (training, and the analyses of Bandaria loaded after it) or their office's.
    offices = {m.organization_id for m in users["sco.bandaria"].memberships.all()}
    assert sco and all(e.country_id == "XBN" or e.owner_org_id in offices for e in sco)
