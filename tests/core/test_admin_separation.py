"""Issue 10 item 3 (R-SEC-11): the administrator is kept out — no one changes their own access,
clearance grants need a security officer as the second person, membership rows written in the
admin go through the audited actions, and the administrator performs no domain action.
And from item 9: LE staff do not see U.S. users' clearances and last logons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from secoop.cases import actions as cases
from secoop.cases.models import FmsCase
from secoop.cases.models import LetterOfRequest
from secoop.core import actions
from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.models import AccessChangeRequest
from secoop.core.models import AuditEvent
from secoop.core.models import Document
from secoop.core.models import Membership
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.rules import Audience
from secoop.core.rules import Clearance
from secoop.core.rules import Role
from secoop.core.verdicts import Refused
from secoop.training import actions as training
from secoop.training.models import Student
from secoop.training.models import Vetting

SECRET_DOC = "Regional threat assessment: Bandaria frontier"


def fresh(username: str) -> User:
    return User.objects.get(username=username)


def org(short_name: str) -> Organization:
    return Organization.objects.system().get(short_name=short_name)


def new_user(username: str, *roles: tuple[str, str], clearance=Clearance.NONE) -> User:
    user = User.objects.create(
        username=username, audience=Audience.USG, citizenship_id="USA", clearance=clearance
    )
    for short_name, role in roles:
        actions.grant_membership(None, user, org(short_name), role)
    return fresh(username)


def admin_post_data(response) -> dict:
    """The admin change form's data as it stands (main form and inlines), ready to POST back."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += list(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif hasattr(value, "isoformat"):
                data[form.add_prefix(name)] = value.isoformat()
            else:
                data[form.add_prefix(name)] = value
    return data


# --- in the admin ------------------------------------------------------------------------------


def test_item3_admin_cannot_give_themselves_a_clearance_or_a_membership_in_the_admin(db, login):
    admin = fresh("admin")
    client = login("admin")
    url = reverse("admin:core_user_change", args=[admin.pk])
    data = admin_post_data(client.get(url))
    data.update(clearance=str(Clearance.SECRET), audience=Audience.USG, citizenship="USA")
    prefix = "memberships"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data[f"{prefix}-{total}-organization"] = str(org("AFRICOM").pk)
    data[f"{prefix}-{total}-role"] = Role.CCMD_PLANNER
    client.post(url, data)
    admin = fresh("admin")
    assert admin.clearance == Clearance.NONE
    assert not Membership.objects.filter(user=admin, role=Role.CCMD_PLANNER).exists()
    assert not Document.objects.visible_to(admin).filter(title=SECRET_DOC).exists()


def test_item3_membership_rows_written_in_the_admin_go_through_the_audited_actions(db, login):
    subject = fresh("dsca.analyst")
    client = login("admin")
    url = reverse("admin:core_user_change", args=[subject.pk])
    data = admin_post_data(client.get(url))
    total = int(data["memberships-TOTAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(total + 1)
    data[f"memberships-{total}-organization"] = str(org("OUSD(P)").pk)
    data[f"memberships-{total}-role"] = Role.VIEWER
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    granted = Membership.objects.get(user=subject, role=Role.VIEWER)
    assert AuditEvent.objects.filter(
        kind="privileged",
        actor__username="admin",
        user=subject,
        detail__startswith="role viewer granted",
    ).exists()

    data = admin_post_data(client.get(url))
    row = next(
        k.rsplit("-", 1)[0]
        for k, v in data.items()
        if k.endswith("-id") and str(v) == str(granted.pk)
    )
    data[f"{row}-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert not Membership.objects.filter(pk=granted.pk).exists()
    assert AuditEvent.objects.filter(
        kind="privileged",
        actor__username="admin",
        user=subject,
        detail__startswith="role viewer revoked",
    ).exists()


# --- through the actions ----------------------------------------------------------------------


def test_item3_no_one_changes_their_own_access_or_memberships(users):
    admin = users["admin"]
    with pytest.raises(NotPermitted, match="your own account"):
        actions.grant_membership(admin, admin, org("AFRICOM"), Role.CCMD_PLANNER)
    with pytest.raises(NotPermitted, match="your own account"):
        actions.request_access_change(
            admin, admin, {"clearance": Clearance.SECRET}, reason="I need it"
        )
    with pytest.raises(NotPermitted, match="your own account"):
        actions.revoke_membership(
            admin, Membership.objects.get(user=admin, role=Role.ADMINISTRATOR)
        )
    assert fresh("admin").clearance == Clearance.NONE


def test_item3_clearance_grant_waits_for_a_security_officer_and_both_steps_are_audited(users):
    subject = new_user("new.analyst", ("DSCA", Role.DSCA_STAFF))
    req = actions.request_access_change(
        users["admin"],
        subject,
        {"clearance": Clearance.SECRET},
        reason="Portfolio director; SSBI adjudicated 2026-10-01",
    )
    assert req.is_pending and fresh("new.analyst").clearance == Clearance.NONE
    assert not Document.objects.visible_to(fresh("new.analyst")).filter(title=SECRET_DOC).exists()
    with pytest.raises(NotPermitted, match="Security officer"):
        actions.approve_access_change(users["admin"], req)
    with pytest.raises(NotPermitted, match="Security officer"):
        actions.approve_access_change(users["sco.bandaria"], req)
    actions.approve_access_change(users["security.officer"], req, note="Adjudication checked")
    assert fresh("new.analyst").clearance == Clearance.SECRET
    assert Document.objects.visible_to(fresh("new.analyst")).filter(title=SECRET_DOC).exists()
    req.refresh_from_db()
    assert (req.status, req.decided_by.username) == ("approved", "security.officer")
    events = AuditEvent.objects.filter(user=subject).order_by("at", "id")
    assert [e.actor.username for e in events if "access change" in e.detail] == [
        "admin",
        "security.officer",
    ]


def test_item3_the_second_person_is_neither_the_requester_nor_the_subject(users):
    dual = new_user("dual.hat", ("DoD", Role.ADMINISTRATOR), ("AFRICOM", Role.SECURITY_OFFICER))
    subject = new_user("new.planner", ("AFRICOM", Role.CCMD_PLANNER))
    own = actions.request_access_change(
        dual, subject, {"clearance": Clearance.SECRET}, reason="J5 planner"
    )
    with pytest.raises(Refused, match="you wrote or changed this access change request"):
        actions.approve_access_change(dual, own)
    about_me = actions.request_access_change(
        users["admin"], dual, {"clearance": Clearance.TOP_SECRET}, reason="new billet"
    )
    with pytest.raises(NotPermitted, match="your own access"):
        actions.approve_access_change(dual, about_me)
    assert (
        fresh("dual.hat").clearance == Clearance.NONE
        and fresh("new.planner").clearance == Clearance.NONE
    )


def test_item3_refusal_keeps_the_account_and_says_why(users):
    subject = new_user("new.assistant", ("SCO Bandaria", Role.LE_ASSISTANT))
    req = actions.request_access_change(
        users["admin"], subject, {"is_le_staff": True}, reason="hired locally"
    )
    assert req.status == "applied"  # becoming LE staff narrows access: at once, audited
    req = actions.request_access_change(
        users["admin"],
        fresh("new.assistant"),
        {"laa_level": Clearance.CONFIDENTIAL, "last_investigation_on": "2026-10-01"},
        reason="interpreter for the border incident file",
    )
    with pytest.raises(Exception, match="say why"):
        actions.refuse_access_change(users["security.officer"], req, note=" ")
    actions.refuse_access_change(
        users["security.officer"], req, note="a cleared U.S. citizen is available (R-SEC-02)"
    )
    subject = fresh("new.assistant")
    assert (subject.laa_level, subject.last_investigation_on, subject.is_le_staff) == (
        Clearance.NONE,
        None,
        True,
    )
    assert AuditEvent.objects.filter(
        user=subject, actor__username="security.officer", detail__contains="refused"
    ).exists()


def test_item3_lowering_a_clearance_applies_at_once_and_is_audited(users):
    req = actions.request_access_change(
        users["admin"],
        users["dsca.analyst"],
        {"clearance": Clearance.CONFIDENTIAL},
        reason="billet downgraded",
    )
    assert req.status == "applied" and fresh("dsca.analyst").clearance == Clearance.CONFIDENTIAL
    assert AuditEvent.objects.filter(
        user=users["dsca.analyst"], actor=users["admin"], detail__contains="lowers access"
    ).exists()


def test_item3_access_change_end_to_end_through_the_pages(login, users):
    subject = new_user("new.officer", ("SCO Bandaria", Role.SCO_OFFICER))
    admin = login("admin")
    form_url = reverse("access-request-new", args=[subject.pk])
    assert (
        "Request an access change"
        in admin.get(reverse("person-detail", args=[subject.pk])).content.decode()
    )
    assert admin.get(form_url).status_code == 200
    response = admin.post(
        form_url,
        {
            "clearance": Clearance.SECRET,
            "audience": "USG",
            "citizenship": "USA",
            "laa_level": Clearance.NONE,
            "reason": "SCO officer; SECRET adjudicated",
        },
    )
    assert response.status_code == 302
    assert fresh("new.officer").clearance == Clearance.NONE
    assert admin.get(reverse("access-request-new", args=[users["admin"].pk])).status_code == 403

    officer = login("security.officer")
    assert "1 access change request to decide" in officer.get(reverse("home")).content.decode()
    page = officer.get(reverse("access-requests")).content.decode()
    assert "new.officer" in page and "Clearance: None → Secret" in page and "Approve #" in page
    req = AccessChangeRequest.objects.get(subject=subject)
    assert (
        officer.post(reverse("access-request-approve", args=[req.pk]), {"note": "ok"}).status_code
        == 302
    )
    assert fresh("new.officer").clearance == Clearance.SECRET
    assert login("le.staff").get(reverse("access-requests")).status_code == 403


# --- the administrator performs no domain action ---------------------------------------------------


def test_item3_administrator_is_not_a_writer_and_keeps_organizations(db):
    assert Role.ADMINISTRATOR not in Role.WRITERS
    admin = fresh("admin")
    unit = Organization(name="Defense Test Office", short_name="DTO", kind="dod", parent=org("DoD"))
    unit.marking = Marking.parse("UNCLASSIFIED")
    actions.create_organization(admin, unit)
    assert Organization.objects.system().filter(short_name="DTO").exists()
    doc = Document(title="Admin note", kind="report", owner_org=org("DoD"))
    doc.marking = Marking.parse("UNCLASSIFIED")
    with pytest.raises(NotPermitted):
        actions.create_record(fresh("admin"), doc)


def test_item3_administrator_cannot_validate_lors_move_cases_or_vet(users):
    admin = users["admin"]
    lor = LetterOfRequest.objects.system().filter(status="submitted").first()
    with pytest.raises(NotPermitted, match="Case manager"):
        cases.validate_lor(admin, lor, dt.date(2026, 11, 30))
    case = FmsCase.objects.system().get(identifier="XB-P-ZAC")
    with pytest.raises(NotPermitted):
        cases.milestone(admin, case, "review", dt.date(2026, 9, 1))
    vetting = Vetting.objects.system().first()
    with pytest.raises(NotPermitted, match="vetting result"):
        training.record_vetting_result(admin, vetting, "approved")
    with pytest.raises(NotPermitted, match="ITO"):
        training.issue_ito(admin, [Student.objects.system().first()])


# --- item 9: LE staff do not see U.S. users' clearances and last logons ------------------------------


@pytest.mark.parametrize("viewer", ["le.staff", "partner.bandaria"])
def test_item9_le_staff_do_not_see_us_users_clearances_and_last_logons(login, users, viewer):
    target = users["sco.bandaria"] if viewer == "le.staff" else users["partner.bandaria"]
    page = login(viewer).get(reverse("person-detail", args=[target.pk])).content.decode()
    if viewer == "le.staff":
        assert "Clearance" not in page and "Last logon" not in page and "Secret" not in page
    # A U.S. officer sees them; everyone sees their own.
    us_view = (
        login("sco.bandaria")
        .get(reverse("person-detail", args=[users["case.manager"].pk]))
        .content.decode()
    )
    assert "Clearance" in us_view and "Last logon" in us_view
    own = login(viewer).get(reverse("person-detail", args=[users[viewer].pk])).content.decode()
    assert "Clearance" in own


def test_item9_le_staff_get_no_users_clearances_from_the_api_or_the_admin(api, login, users):
    client = api("le.staff")
    assert client.get("/api/v1/users/").status_code == 404
    assert client.get(f"/api/v1/users/{users['sco.bandaria'].pk}/").status_code == 404
    me = client.get("/api/v1/users/me/").json()
    assert me["username"] == "le.staff"
    assert (
        login("le.staff").get("/admin/core/user/").status_code == 302
    )  # to the admin logon: not staff
