"""R-SEC-04 / ARCHITECTURE invariant 3: every change writes an append-only log entry in the same
transaction, and the database itself refuses to rewrite the log."""

import uuid

import pytest
from django.db import DatabaseError
from django.db import connection
from django.db import transaction
from django.urls import reverse

from secoop.core import actions
from secoop.core.context import request_id_var
from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.models import AuditEvent
from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.rules import Role
from secoop.core.verdicts import Refused
from tests.conftest import builds

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return list(
        ChangeLogEntry.objects.system()
        .filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        .order_by("id")
    )


def new_doc(owner, marking="CUI", title="Bandaria maritime study"):
    doc = Document(title=title, owner_org=owner, country_id="XBN")
    doc.marking = Marking.parse(marking)
    return doc


@pytest.fixture
def sco_org(users):
    return Organization.objects.visible_to(users["sco.bandaria"]).get(short_name="SCO Bandaria")


def test_r_sec_04_create_update_delete_each_write_an_entry_with_before_and_after(users, sco_org):
    sco = users["sco.bandaria"]
    actions.grant_membership(
        None, sco, sco_org, Role.FOREIGN_DISCLOSURE_OFFICER
    )  # R-SEC-10: the release below
    rid = uuid.uuid4()
    token = request_id_var.set(rid)
    try:
        doc = actions.create_record(sco, new_doc(sco_org), reason="new study")
        actions.update_record(
            sco,
            doc,
            {"title": "Bandaria maritime study v2", "marking": "CUI//REL TO USA, XBN"},
            reason="share with MoD",
        )
        actions.delete_record(sco, doc, reason="superseded")
    finally:
        request_id_var.reset(token)
    created, updated, deleted = entries_for(doc)
    assert [e.action for e in (created, updated, deleted)] == ["create", "transition", "delete"]
    assert updated.transition == "release"  # R-SEC-10: the wider release is recorded as such
    assert created.before is None and created.after["title"] == "Bandaria maritime study"
    assert (
        updated.before["title"] == "Bandaria maritime study"
        and updated.after["title"] == "Bandaria maritime study v2"
    )
    assert updated.before["marking"] == "CUI" and updated.after["marking"] == "CUI//REL TO USA, XBN"
    assert updated.reason == "share with MoD"
    assert deleted.after is None and deleted.reason == "superseded"
    assert {e.request_id for e in (created, updated, deleted)} == {rid}
    assert {e.username for e in (created, updated, deleted)} == {"sco.bandaria"}
    # The entry carries the marking of both states, so its history is filtered like the record was.
    assert (
        created.marking_text == "CUI"
        and updated.marking_text == "CUI"
        and deleted.marking_text == "CUI//REL TO USA, XBN"
    )


def test_an_unchanged_save_writes_no_entry(users, sco_org):
    sco = users["sco.bandaria"]
    doc = actions.create_record(sco, new_doc(sco_org))
    actions.update_record(sco, doc, {"title": doc.title})
    assert len(entries_for(doc)) == 1


@pytest.mark.parametrize(
    "statement",
    ["UPDATE core_changelogentry SET reason = 'rewritten'", "DELETE FROM core_changelogentry"],
)
def test_r_sec_04_database_refuses_to_rewrite_the_change_log(statement):
    assert ChangeLogEntry.objects.system().exists()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


@pytest.mark.parametrize(
    "statement", ["UPDATE core_auditevent SET detail = 'x'", "DELETE FROM core_auditevent"]
)
def test_r_sec_09_database_refuses_to_rewrite_the_audit_log(statement):
    actions.audit("privileged", detail="test event")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


def test_orm_update_of_a_log_entry_is_refused_too():
    entry = ChangeLogEntry.objects.system().first()
    entry.reason = "rewritten"
    # past the actions' guard (as a hand-written script would be): the database refuses
    with pytest.raises(DatabaseError), transaction.atomic(), builds("a rewrite of the log"):
        entry.save()


def test_a_failed_action_leaves_neither_record_nor_entry(users, sco_org, settings):
    sco = users["sco.bandaria"]
    before = ChangeLogEntry.objects.system().count()
    with pytest.raises(Refused, match="R-SEC-01: this system holds information up to CUI only"):
        actions.create_record(sco, new_doc(sco_org, marking="SECRET//NOFORN", title="Too high"))
    assert not Document.objects.system().filter(title="Too high").exists()
    assert ChangeLogEntry.objects.system().count() == before


def test_a_user_cannot_write_outside_their_organizations(users):
    dsca = Organization.objects.visible_to(users["sco.bandaria"]).get(short_name="DSCA")
    with pytest.raises(NotPermitted, match="You cannot create a document owned by DSCA"):
        actions.create_record(users["sco.bandaria"], new_doc(dsca))


def test_r_sec_01_a_partner_cannot_create_a_record_it_could_not_read(users):
    mod = Organization.objects.visible_to(users["partner.bandaria"]).get(short_name="Bandaria MoD")
    with pytest.raises(Refused, match="you could not read a record marked CUI//NOFORN"):
        actions.create_record(users["partner.bandaria"], new_doc(mod, marking="CUI//NOFORN"))
    doc = actions.create_record(
        users["partner.bandaria"], new_doc(mod, marking="CUI//REL TO USA, XBN")
    )
    assert doc.pk


def test_history_tab_shows_the_change_and_api_lists_it_through_the_door(users, sco_org, login, api):
    sco = users["sco.bandaria"]
    doc = actions.create_record(
        sco, new_doc(sco_org, marking="CUI//NOFORN", title="Internal maritime note")
    )
    actions.update_record(sco, doc, {"summary": "Border patrol gaps"}, reason="first draft")
    page = login("sco.bandaria").get(reverse("document-detail", args=[doc.pk]) + "?tab=history")
    assert b"first draft" in page.content and b"Border patrol gaps" in page.content
    mine = (
        api("sco.bandaria")
        .get("/api/v1/changes/", {"object_id": doc.pk, "object_type": "core.document"})
        .json()
    )
    assert mine["count"] == 2
    partner = (
        api("partner.bandaria")
        .get("/api/v1/changes/", {"object_id": doc.pk, "object_type": "core.document"})
        .json()
    )
    assert partner["count"] == 0  # NOFORN history stays NOFORN


def test_privileged_actions_are_audited(users):
    actions.grant_membership(
        users["admin"],
        users["dsca.analyst"],
        Organization.objects.system().get(short_name="OUSD(P)"),
        "viewer",
    )
    assert AuditEvent.objects.filter(
        kind="privileged", actor=users["admin"], user=users["dsca.analyst"]
    ).exists()


# --- issue 10 item 1: classified text in the change log (R-SEC-10) ---------------------------------

SECRET_TITLE = "Bandaria border brigade: order of battle and informant network"


@pytest.fixture
def secret_doc(users, sco_org, settings, api):
    """As the SCO, through the API: a SECRET//NOFORN document about Bandaria."""
    settings.MAX_CLASSIFICATION = "SECRET"
    response = api("sco.bandaria").post(
        "/api/v1/documents/",
        {
            "title": SECRET_TITLE,
            "kind": "report",
            "owner_org": sco_org.pk,
            "country": "XBN",
            "marking": "SECRET//NOFORN",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Document.objects.system().get(pk=response.json()["id"])


def _downgrade(api, doc, **extra):
    body = {"title": "Border brigade study", "marking": "CUI//REL TO USA, XBN", **extra}
    return api("sco.bandaria").patch(f"/api/v1/documents/{doc.pk}/", body, format="json")


def test_item1_downgrade_patch_leaves_no_secret_text_for_partner_or_le_staff(
    users, sco_org, secret_doc, api, login
):
    sco = users["sco.bandaria"]
    actions.grant_membership(None, sco, sco_org, Role.CLASSIFICATION_AUTHORITY)
    actions.grant_membership(None, sco, sco_org, Role.FOREIGN_DISCLOSURE_OFFICER)
    response = _downgrade(
        api, secret_doc, reason="declassified under SCG 4.2; released by FDO decision 27-014"
    )
    assert response.status_code == 200, response.json()
    created, updated = entries_for(secret_doc)
    assert (
        updated.before["title"] == SECRET_TITLE and updated.after["title"] == "Border brigade study"
    )
    # Marked by the highest of before and after, releasable only where both were; recorded as a downgrade.
    assert updated.marking_text == "SECRET//NOFORN"
    assert (updated.action, updated.transition) == ("transition", "downgrade+release")
    assert updated.reason.startswith("declassified")
    for reader in ("partner.bandaria", "le.staff"):
        client = api(reader)
        # The record itself is now theirs to read …
        assert client.get(f"/api/v1/documents/{secret_doc.pk}/").status_code == 200, reader
        # … but none of its history, which shows the SECRET//NOFORN state.
        listed = client.get(
            "/api/v1/changes/", {"object_type": "core.document", "object_id": secret_doc.pk}
        ).json()
        assert listed["count"] == 0, reader
        assert SECRET_TITLE not in str(client.get("/api/v1/changes/", {"page_size": 500}).json())
        assert client.get(f"/api/v1/changes/{updated.pk}/").status_code == 404, reader
        web = login(reader)
        assert web.get(reverse("change-detail", args=[updated.pk])).status_code == 404, reader
        page = web.get(reverse("document-detail", args=[secret_doc.pk]) + "?tab=history")
        assert page.status_code == 200 and SECRET_TITLE.encode() not in page.content, reader
        assert SECRET_TITLE.encode() not in web.get(reverse("changes")).content
    # The SCO, cleared for both states, reads the whole story.
    mine = (
        api("sco.bandaria")
        .get("/api/v1/changes/", {"object_type": "core.document", "object_id": secret_doc.pk})
        .json()
    )
    assert mine["count"] == 2 and {r["marking"] for r in mine["results"]} == {"SECRET//NOFORN"}


def test_item1_downgrade_without_the_authority_is_refused_naming_r_sec_10(
    users, sco_org, secret_doc, api
):
    response = _downgrade(api, secret_doc, reason="no longer sensitive")
    assert response.status_code == 400 and response["X-Rule"] == "R-SEC-10"
    text = " ".join(response.json()["marking"])
    assert "R-SEC-10" in text and "downgrade" in text and "classification authority" in text
    secret_doc.refresh_from_db()
    assert secret_doc.marking_text == "SECRET//NOFORN" and secret_doc.title == SECRET_TITLE
    assert len(entries_for(secret_doc)) == 1
    # With the downgrade authority only, the release to XBN is still refused.
    actions.grant_membership(None, users["sco.bandaria"], sco_org, Role.CLASSIFICATION_AUTHORITY)
    response = _downgrade(api, secret_doc, reason="no longer sensitive")
    assert response.status_code == 400 and "foreign disclosure officer" in " ".join(
        response.json()["marking"]
    )


def test_item1_downgrade_needs_a_reason(users, sco_org, secret_doc, api):
    for role in (Role.CLASSIFICATION_AUTHORITY, Role.FOREIGN_DISCLOSURE_OFFICER):
        actions.grant_membership(None, users["sco.bandaria"], sco_org, role)
    response = _downgrade(api, secret_doc)
    assert (
        response.status_code == 400
        and response["X-Rule"] == "R-SEC-10"
        and "reason" in response.json()
    )


def test_item1_le_staff_widening_rel_to_is_refused(users, sco_org, api):
    doc = actions.create_record(
        users["sco.bandaria"],
        new_doc(sco_org, marking="CUI//REL TO USA, XBN", title="Port visit schedule"),
    )
    wide = "CUI//REL TO USA, XBN, GBR, RUS, CHN"
    # Even holding the disclosure role: LE staff are not U.S. persons and never set releasability.
    actions.grant_membership(None, users["le.staff"], sco_org, Role.FOREIGN_DISCLOSURE_OFFICER)
    response = api("le.staff").patch(
        f"/api/v1/documents/{doc.pk}/",
        {"marking": wide, "reason": "share with allies"},
        format="json",
    )
    assert response.status_code == 400 and response["X-Rule"] == "R-SEC-10"
    assert "do not change a record's marking" in " ".join(response.json()["marking"])
    doc.refresh_from_db()
    assert doc.marking_text == "CUI//REL TO USA, XBN"
    created = api("le.staff").post(
        "/api/v1/documents/",
        {
            "title": "Allied note",
            "kind": "report",
            "owner_org": sco_org.pk,
            "country": "XBN",
            "marking": wide,
        },
        format="json",
    )
    assert (
        created.status_code == 400
        and created["X-Rule"] == "R-SEC-10"
        and "CHN, GBR, RUS" in " ".join(created.json()["marking"])
    )
    assert not Document.objects.system().filter(title="Allied note").exists()
    ok = api("le.staff").post(
        "/api/v1/documents/",
        {
            "title": "Allied note",
            "kind": "report",
            "owner_org": sco_org.pk,
            "country": "XBN",
            "marking": "CUI//REL TO USA, XBN",
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()


def test_item1_partner_changes_no_marking(users, api):
    mod = Organization.objects.visible_to(users["partner.bandaria"]).get(short_name="Bandaria MoD")
    doc = actions.create_record(
        users["partner.bandaria"], new_doc(mod, marking="CUI//REL TO USA, XBN", title="MoD request")
    )
    response = api("partner.bandaria").patch(
        f"/api/v1/documents/{doc.pk}/", {"marking": "CUI//REL TO USA, XBN, GBR"}, format="json"
    )
    assert response.status_code == 400 and response["X-Rule"] == "R-SEC-10"
    with pytest.raises(Refused, match="R-SEC-10"):
        actions.update_record(users["partner.bandaria"], doc, {"marking": "CUI//NOFORN"})


def test_r_sec_10_raising_a_marking_needs_no_authority_and_marks_the_entry_by_the_higher_state(
    users, sco_org
):
    doc = actions.create_record(
        users["sco.bandaria"], new_doc(sco_org, marking="CUI//REL TO USA, XBN")
    )
    actions.update_record(
        users["sco.bandaria"], doc, {"marking": "CUI//NOFORN", "summary": "now internal"}
    )
    entry = entries_for(doc)[-1]
    assert (entry.action, entry.transition, entry.marking_text) == ("update", "", "CUI//NOFORN")


def test_item1_entry_hidden_from_partner_when_partner_visibility_or_owner_changed(
    users, sco_org, api
):
    from secoop.cases.models import CaseDocument

    internal = CaseDocument.objects.system().filter(released_to_partner=True).first()
    # Released to the partner after the change but not before: the entry shows the unreleased state.
    entry = actions.build_change_entry(
        None,
        internal,
        "update",
        {"released_to_partner": False, "marking": internal.marking_text},
        {"released_to_partner": True, "marking": internal.marking_text},
    )
    assert entry.partner_visible is False
    moved = new_doc(sco_org, marking="CUI//REL TO USA, XBN")
    moved.pk = 1
    entry = actions.build_change_entry(
        None,
        moved,
        "update",
        {"owner_org": 1, "country": "XBN", "marking": "CUI//REL TO USA, XBN"},
        {"owner_org": sco_org.pk, "country": "XBN", "marking": "CUI//REL TO USA, XBN"},
    )
    assert entry.owner_org_id is None and entry.partner_visible is False
    entry = actions.build_change_entry(
        None,
        moved,
        "update",
        {"owner_org": sco_org.pk, "country": "GBR", "marking": "CUI//REL TO USA, XBN"},
        {"owner_org": sco_org.pk, "country": "XBN", "marking": "CUI//REL TO USA, XBN"},
    )
    assert entry.owner_org_id == sco_org.pk and entry.partner_visible is False
    same = actions.build_change_entry(
        None,
        moved,
        "update",
        {"owner_org": sco_org.pk, "country": "XBN", "marking": "CUI//REL TO USA, XBN"},
        {"owner_org": sco_org.pk, "country": "XBN", "marking": "CUI//REL TO USA, XBN"},
    )
    assert same.owner_org_id == sco_org.pk and same.partner_visible is True


def test_item1_cases_and_planning_marking_changes_go_through_the_authority_check(users):
    from secoop.cases import actions as cases
    from secoop.cases.models import CaseReview
    from secoop.planning import actions as planning
    from secoop.planning.models import Activity

    review = CaseReview.objects.system().get(
        kind="pmr", notes__startswith="Program management review in Bandaria City"
    )
    wider = sorted(set(review.marking.rel_to) | {"USA", "GBR"})
    with pytest.raises(Refused, match="R-SEC-10: releasing to GBR"):
        cases.update(
            User.objects.get(username="case.manager"),
            review,
            {"marking": f"{review.marking.classification.label}//REL TO {', '.join(wider)}"},
            reason="share",
        )
    planner = User.objects.get(username="ccmd.planner")
    activity = Activity.objects.editable_by(planner).filter(classification=1).first()
    wider = sorted(set(activity.marking.rel_to) | {"USA", "GBR"})
    with pytest.raises(Refused, match="R-SEC-10: releasing to GBR"):
        planning.update(
            planner, activity, {"marking": f"CUI//REL TO {', '.join(wider)}"}, reason="share"
        )
