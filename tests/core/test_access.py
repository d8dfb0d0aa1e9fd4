"""R-SEC-01..03 through the one door, with the demo users and their mixed-marking documents."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from secoop.core import access
from secoop.core import actions
from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.models import Membership
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.records import AccessDoorBypassed
from secoop.core.rules import Clearance
from secoop.core.rules import Role
from tests.conftest import builds

pytestmark = pytest.mark.django_db

SECRET_NOFORN = "Regional threat assessment: Bandaria frontier"
CONFIDENTIAL_REL = "Bandaria border incident summary"
CUI_NOFORN = "Partner capability assessment: border security (internal)"
CUI_US_ONLY = "SCO Bandaria quarterly report, Q4 FY2026"
CUI_REL_XBN = "Letter of Request guide for the Bandaria Ministry of Defence"
PARTNER_OWN = "Request for information: coastal patrol boats"
COMPANY_DOC = "Marketing visit synopsis: Meridian coastal surveillance radar"
ALL_DEMO = {
    SECRET_NOFORN,
    CONFIDENTIAL_REL,
    CUI_NOFORN,
    CUI_US_ONLY,
    CUI_REL_XBN,
    PARTNER_OWN,
    COMPANY_DOC,
}


def titles(user):
    return set(Document.objects.visible_to(user).values_list("title", flat=True))


def test_r_sec_01_cleared_us_officer_sees_every_marking(users):
    assert ALL_DEMO <= titles(users["sco.bandaria"])


def test_r_sec_01_administrator_without_clearance_sees_no_classified_record(users):
    seen = titles(users["admin"])
    assert SECRET_NOFORN not in seen and CONFIDENTIAL_REL not in seen
    assert CUI_NOFORN in seen  # CUI needs no clearance


def test_r_sec_02_le_staff_without_laa_see_no_classified_and_only_what_is_released_to_them(users):
    seen = titles(users["le.staff"])
    assert CONFIDENTIAL_REL not in seen and SECRET_NOFORN not in seen
    assert CUI_NOFORN not in seen and CUI_US_ONLY not in seen
    assert CUI_REL_XBN in seen


def test_r_sec_02_laa_in_force_opens_classified_released_to_their_country(users):
    le = users["le.staff"]
    le.laa_level = Clearance.CONFIDENTIAL
    le.clearance = Clearance.CONFIDENTIAL
    le.last_investigation_on = dt.date.today() - dt.timedelta(days=365)
    le.save()
    le = User.objects.get(pk=le.pk)
    seen = titles(le)
    assert CONFIDENTIAL_REL in seen
    assert SECRET_NOFORN not in seen and CUI_NOFORN not in seen


def test_r_sec_02_laa_lapses_when_reinvestigation_is_overdue(users):
    le = users["le.staff"]
    le.laa_level = le.clearance = Clearance.CONFIDENTIAL
    le.last_investigation_on = dt.date.today() - dt.timedelta(days=5 * 366)
    le.save()
    assert CONFIDENTIAL_REL not in titles(User.objects.get(pk=le.pk))


def test_r_sec_03_partner_sees_only_what_is_released_to_it_and_about_it(users):
    seen = titles(users["partner.bandaria"])
    assert PARTNER_OWN in seen and CUI_REL_XBN in seen and CONFIDENTIAL_REL in seen
    assert not seen & {SECRET_NOFORN, CUI_NOFORN, CUI_US_ONLY, COMPANY_DOC}


def test_r_sec_03_partner_never_sees_internal_model_even_if_released(users, monkeypatch):
    # A model flagged partner_visible=False (planning, forecasts, vetting) is closed to partners
    # whatever its marking says.
    monkeypatch.setattr(Document, "partner_visible", False)
    assert titles(users["partner.bandaria"]) == set()
    assert CUI_REL_XBN in titles(users["sco.bandaria"])


def test_industry_user_sees_only_their_company_records(users):
    assert titles(users["industry.rep"]) == {COMPANY_DOC}


def test_r_sec_01_counts_follow_the_door(users):
    for name, user in users.items():
        assert Document.objects.visible_to(user).count() == len(titles(user)), name


def test_disabled_or_locked_user_sees_nothing(users):
    sco = users["sco.bandaria"]
    sco.is_active = False
    assert Document.objects.visible_to(sco).count() == 0
    other = User.objects.get(username="ccmd.planner")
    other.locked_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert Organization.objects.visible_to(other).count() == 0


def test_a_domain_read_that_skips_the_door_refuses_to_run():
    with pytest.raises(AccessDoorBypassed, match="use Document.objects.visible_to"):
        list(Document.objects.all())
    with pytest.raises(AccessDoorBypassed):
        Document.objects.filter(title__icontains="x").count()
    with pytest.raises(AccessDoorBypassed):
        ChangeLogEntry.objects.exists()
    with transaction.atomic():
        assert Document.objects.system().count() >= len(ALL_DEMO)


def test_editable_by_is_visible_and_in_the_users_organization_subtree(users):
    sco_docs = set(
        Document.objects.editable_by(users["sco.bandaria"]).values_list("title", flat=True)
    )
    assert CUI_NOFORN in sco_docs and SECRET_NOFORN not in sco_docs  # SECRET doc is AFRICOM's
    planner_docs = set(
        Document.objects.editable_by(users["ccmd.planner"]).values_list("title", flat=True)
    )
    assert SECRET_NOFORN in planner_docs and CUI_NOFORN in planner_docs  # AFRICOM is above the SCO
    assert (
        not Document.objects.editable_by(users["partner.bandaria"])
        .filter(title=CUI_REL_XBN)
        .exists()
    )
    assert (
        Document.objects.editable_by(users["partner.bandaria"]).filter(title=PARTNER_OWN).exists()
    )


def test_profile_is_computed_once_per_user_object(users, django_assert_num_queries):
    cache.clear()
    user = User.objects.get(username="sco.bandaria")
    with django_assert_num_queries(
        2
    ):  # memberships + the reinvestigation fact is skipped for non-LE
        access.profile_for(user)
        Document.objects.visible_to(user).count()
    with django_assert_num_queries(1):
        Document.objects.visible_to(user).count()


def test_issue15_the_profile_is_cached_across_requests_and_drops_two_queries(login):
    """Issue 15 §5: every request read the memberships twice (the profile, then the time zone of
    a page that shows dates); now one query builds both, once per access version."""
    client = login("sco.bandaria")
    client.get("/cases/")  # Django's own first-request reads (content types, …)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/cases/").status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/cases/").status_code == 200
    assert len([q for q in cold.captured_queries if "core_membership" in q["sql"]]) == 1
    assert not [q for q in warm.captured_queries if "core_membership" in q["sql"]]
    assert len(cold.captured_queries) - len(warm.captured_queries) == 1


def test_issue15_r_sec_03_a_revoked_membership_takes_effect_on_the_next_request(login, users):
    """The industry user sees their company's records through their membership; revoked, the
    next request sees none of them (the cached profile is not used again)."""
    client = login("industry.rep")
    assert COMPANY_DOC in client.get("/documents/").content.decode()
    membership = Membership.objects.get(user__username="industry.rep")
    actions.revoke_membership(users["admin"], membership, reason="left the company")
    assert COMPANY_DOC not in client.get("/documents/").content.decode()


def test_issue15_r_sec_11_a_lowered_clearance_takes_effect_on_the_next_request(login, users):
    client = login("sco.bandaria")
    doc = Document.objects.visible_to(users["sco.bandaria"]).get(title=SECRET_NOFORN)
    assert client.get(f"/documents/{doc.pk}/").status_code == 200
    req = actions.request_access_change(
        users["admin"],
        users["sco.bandaria"],
        {"clearance": Clearance.CONFIDENTIAL},
        reason="billet downgraded",
    )
    assert req.status == "applied"
    assert client.get(f"/documents/{doc.pk}/").status_code == 404
    assert SECRET_NOFORN not in client.get("/documents/").content.decode()


def test_issue15_a_locked_account_sees_nothing_on_the_next_request(users):
    """The account state is part of the version: a profile cached while active is not used for
    the locked account (R-SEC-07)."""
    user = User.objects.get(username="case.manager")
    assert access.profile_for(user) is not None
    User.objects.filter(pk=user.pk).update(locked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert access.profile_for(User.objects.get(pk=user.pk)) is None
    assert not Document.objects.visible_to(User.objects.get(pk=user.pk)).exists()


def test_issue15_a_membership_written_outside_the_actions_still_misses_the_cache(users):
    """The demo loader and tests write memberships directly: the model's save changes the
    version too, so no stale profile is read."""
    user = User.objects.get(username="dsca.analyst")
    before = access.profile_for(user)
    with builds("a membership written directly"):
        Membership.objects.create(
            user=user,
            organization=Organization.objects.system().get(short_name="AFRICOM"),
            role=Role.CCMD_PLANNER,
        )
    after = access.profile_for(User.objects.get(pk=user.pk))
    assert after.write_paths != before.write_paths
