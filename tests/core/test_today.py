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


# --- issue 15: the home page costs its page, not the tables ----------------------------------------


def _newest_work_by_or(user, n=8):
    """The recent changes as one OR over the whole log (the query the home page ran before)."""
    from django.db.models import Q

    from secoop.core.models import ChangeLogEntry

    q = Q(user=user)
    for m in user.memberships.select_related("organization"):
        q |= Q(owner_org__tree_path__startswith=m.organization.tree_path)
        if m.organization.country_id:
            q |= Q(country_id=m.organization.country_id)
    return list(ChangeLogEntry.objects.visible_to(user).filter(q).order_by("-at", "-id")[:n])


def test_issue15_recent_changes_read_by_arms_are_the_newest_of_the_users_work(users):
    """The recent changes read one index each (the user's own, each organization under theirs,
    each country) are the newest of the whole OR, for a reader of each kind and for a CCMD
    planner whose organizations are read as one arm past ARM_ORGANIZATIONS."""
    from secoop.core import today

    for who in ("sco.bandaria", "case.manager", "ccmd.planner", "partner.bandaria", "le.staff"):
        user = users[who]
        memberships = list(user.memberships.select_related("organization"))
        assert today.recent_work(user, memberships) == _newest_work_by_or(user), who
    planner = users["ccmd.planner"]
    memberships = list(planner.memberships.select_related("organization"))
    old = today.ARM_ORGANIZATIONS
    today.ARM_ORGANIZATIONS = 0
    try:
        assert today.recent_work(planner, memberships, 20) == _newest_work_by_or(planner, 20)
    finally:
        today.ARM_ORGANIZATIONS = old


def test_issue15_the_home_page_costs_the_same_queries_however_many_rows(login, users, settings):
    """More change-log entries, documents, open notifications and unlinked activities of the
    SCO's country cost the home page no query: the recent changes are cut per index, the counts
    are bounded ("More than N", exact below) and read with their markings in one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.core.models import ChangeLogEntry
    from secoop.core.models import LogonAttempt
    from secoop.core.models import Notification
    from secoop.planning.models import Activity
    from tests.conftest import builds

    settings.SECOOP_LIST_EXACT_COUNT_LIMIT = 5
    sco = users["sco.bandaria"]
    now = timezone.now()
    for at in (now - dt.timedelta(days=30), now):
        LogonAttempt.objects.create(username=sco.username, user=sco, at=at, succeeded=True)
    client = login("sco.bandaria")
    client.get("/")  # the access profile and the session, kept for the next requests
    with CaptureQueriesContext(connection) as before:
        assert client.get("/").status_code == 200
    with builds("many rows of what the SCO's home page counts and lists"):
        entries = list(ChangeLogEntry.objects.system().filter(country_id="XBN")[:3])
        made = []
        for n in range(12):
            for e in entries:
                e.pk, e.at, e.user = None, now - dt.timedelta(minutes=n), users["ccmd.planner"]
                made.append(
                    ChangeLogEntry(
                        **{f.attname: getattr(e, f.attname) for f in e._meta.concrete_fields}
                    )
                )
        ChangeLogEntry.objects.bulk_create(made)
        docs = list(Document.objects.system().filter(country_id="XBN")[:2])
        for d in docs * 4:
            d.pk = None
            d.save()
        notes = list(Notification.objects.visible_to(sco)[:2])
        for note in notes * 4:
            note.pk, note.acknowledged_at = None, None
            note.save()
        unlinked = list(Activity.objects.system().filter(country_id="XBN", line_of_activity=None))
        for a in unlinked[:1] * 7:
            a.pk, a.id = None, None
            a.save()
    with CaptureQueriesContext(connection) as after:
        page = client.get("/")
    assert len(after.captured_queries) == len(before.captured_queries)
    html = page.content.decode()
    assert "More than 5 changes since your last logon" in html
    assert "More than 5 unlinked activities in your country" in html
    assert page.context["counts"]["documents"].exact is False
    assert [e.pk for e in page.context["recent_changes"]][:8] == [
        e.pk for e in _newest_work_by_or(sco)
    ]


def test_r_sec_02_reinvestigations_due_are_picked_by_the_database_and_the_rest_counted(
    users, login, django_assert_max_num_queries
):
    """Issue 15: the LE staff due for reinvestigation are asked of the stored date (one query
    for the first named, one bounded count for the rest), not a loop over every LE staff
    member; the rest are on the people page's "due for reinvestigation" filter."""
    from secoop.core import today
    from secoop.core.rules import investigated_by_when_due_by
    from secoop.core.rules import reinvestigation_due

    # The cutoff is exact, 29 February included (add_years moves it to the 28th).
    for horizon in (dt.date(2030, 2, 28), dt.date(2028, 2, 29), dt.date(2029, 3, 1)):
        cutoff = investigated_by_when_due_by(horizon, 5)
        assert reinvestigation_due(cutoff, 5) <= horizon
        assert reinvestigation_due(cutoff + dt.timedelta(days=1), 5) > horizon
    le = users["le.staff"]
    User.objects.filter(is_le_staff=True).update(last_investigation_on=timezone.localdate())
    long_ago = timezone.localdate() - dt.timedelta(days=6 * 365)
    made = []
    for n in range(today.REINVESTIGATIONS_NAMED + 3):
        made.append(
            User.objects.create(
                username=f"le.{n}",
                display_name=f"LE {n:02d}",
                is_le_staff=True,
                citizenship_id=le.citizenship_id,
                last_investigation_on=long_ago + dt.timedelta(days=n),
            )
        )
    admin = User.objects.get(username="admin")
    items_for(admin)  # the access profile, kept for the next calls
    with django_assert_max_num_queries(3):
        items = today.le_reinvestigations_due(admin)
    named = [i.title for i in items if i.count is None]
    assert len(named) == today.REINVESTIGATIONS_NAMED
    assert named[0] == f"Reinvestigation overdue: {made[0]}"
    [rest] = [i for i in items if i.count]
    assert rest.count == 3 and rest.title == "3 more LE staff members due for reinvestigation"
    page = login("admin").get(rest.url).content.decode()
    assert all(str(person) in page for person in made)
