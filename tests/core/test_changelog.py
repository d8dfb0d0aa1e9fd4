"""R-SEC-04 / ARCHITECTURE invariant 3: every change writes an append-only log entry in the same
transaction, and the database itself refuses to rewrite the log."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from secoop.core import actions
from secoop.core.context import request_id_var
from secoop.core.errors import NotPermitted, RuleViolation
from secoop.core.markings import Marking
from secoop.core.models import AuditEvent, ChangeLogEntry, Document, Organization
from secoop.core.rules import Role

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return list(ChangeLogEntry.objects.system().filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name).order_by("id"))


def new_doc(owner, marking="CUI", title="Bandaria maritime study"):
    doc = Document(title=title, owner_org=owner, country_id="XBN")
    doc.marking = Marking.parse(marking)
    return doc


@pytest.fixture
def sco_org(users):
    return Organization.objects.visible_to(users["sco.bandaria"]).get(short_name="SCO Bandaria")


def test_r_sec_04_create_update_delete_each_write_an_entry_with_before_and_after(users, sco_org):
    sco = users["sco.bandaria"]
    actions.grant_membership(None, sco, sco_org, Role.FOREIGN_DISCLOSURE_OFFICER)  # R-SEC-10: the release below
    rid = uuid.uuid4()
    token = request_id_var.set(rid)
    try:
        doc = actions.create_record(sco, new_doc(sco_org), reason="new study")
        actions.update_record(sco, doc, {"title": "Bandaria maritime study v2", "marking": "CUI//REL TO USA, XBN"}, reason="share with MoD")
        actions.delete_record(sco, doc, reason="superseded")
    finally:
        request_id_var.reset(token)
    created, updated, deleted = entries_for(doc)
    assert [e.action for e in (created, updated, deleted)] == ["create", "transition", "delete"]
    assert updated.transition == "release"  # R-SEC-10: the wider release is recorded as such
    assert created.before is None and created.after["title"] == "Bandaria maritime study"
    assert updated.before["title"] == "Bandaria maritime study" and updated.after["title"] == "Bandaria maritime study v2"
    assert updated.before["marking"] == "CUI" and updated.after["marking"] == "CUI//REL TO USA, XBN"
    assert updated.reason == "share with MoD"
    assert deleted.after is None and deleted.reason == "superseded"
    assert {e.request_id for e in (created, updated, deleted)} == {rid}
    assert {e.username for e in (created, updated, deleted)} == {"sco.bandaria"}
    # The entry carries the marking of both states, so its history is filtered like the record was.
    assert created.marking_text == "CUI" and updated.marking_text == "CUI" and deleted.marking_text == "CUI//REL TO USA, XBN"


def test_an_unchanged_save_writes_no_entry(users, sco_org):
    sco = users["sco.bandaria"]
    doc = actions.create_record(sco, new_doc(sco_org))
    actions.update_record(sco, doc, {"title": doc.title})
    assert len(entries_for(doc)) == 1


@pytest.mark.parametrize("statement", ["UPDATE core_changelogentry SET reason = 'rewritten'", "DELETE FROM core_changelogentry"])
def test_r_sec_04_database_refuses_to_rewrite_the_change_log(statement):
    assert ChangeLogEntry.objects.system().exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.mark.parametrize("statement", ["UPDATE core_auditevent SET detail = 'x'", "DELETE FROM core_auditevent"])
def test_r_sec_09_database_refuses_to_rewrite_the_audit_log(statement):
    actions.audit("privileged", detail="test event")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_orm_update_of_a_log_entry_is_refused_too():
    entry = ChangeLogEntry.objects.system().first()
    entry.reason = "rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()


def test_a_failed_action_leaves_neither_record_nor_entry(users, sco_org, settings):
    sco = users["sco.bandaria"]
    before = ChangeLogEntry.objects.system().count()
    with pytest.raises(RuleViolation, match="R-SEC-01: this system holds information up to CUI only"):
        actions.create_record(sco, new_doc(sco_org, marking="SECRET//NOFORN", title="Too high"))
    assert not Document.objects.system().filter(title="Too high").exists()
    assert ChangeLogEntry.objects.system().count() == before


def test_a_user_cannot_write_outside_their_organizations(users):
    dsca = Organization.objects.visible_to(users["sco.bandaria"]).get(short_name="DSCA")
    with pytest.raises(NotPermitted, match="You cannot create a document owned by DSCA"):
        actions.create_record(users["sco.bandaria"], new_doc(dsca))


def test_r_sec_01_a_partner_cannot_create_a_record_it_could_not_read(users):
    mod = Organization.objects.visible_to(users["partner.bandaria"]).get(short_name="Bandaria MoD")
    with pytest.raises(RuleViolation, match="you could not read a record marked CUI//NOFORN"):
        actions.create_record(users["partner.bandaria"], new_doc(mod, marking="CUI//NOFORN"))
    doc = actions.create_record(users["partner.bandaria"], new_doc(mod, marking="CUI//REL TO USA, XBN"))
    assert doc.pk


def test_history_tab_shows_the_change_and_api_lists_it_through_the_door(users, sco_org, login, api):
    sco = users["sco.bandaria"]
    doc = actions.create_record(sco, new_doc(sco_org, marking="CUI//NOFORN", title="Internal maritime note"))
    actions.update_record(sco, doc, {"summary": "Border patrol gaps"}, reason="first draft")
    page = login("sco.bandaria").get(reverse("document-detail", args=[doc.pk]) + "?tab=history")
    assert b"first draft" in page.content and b"Border patrol gaps" in page.content
    mine = api("sco.bandaria").get("/api/v1/changes/", {"object_id": doc.pk, "object_type": "core.document"}).json()
    assert mine["count"] == 2
    partner = api("partner.bandaria").get("/api/v1/changes/", {"object_id": doc.pk, "object_type": "core.document"}).json()
    assert partner["count"] == 0  # NOFORN history stays NOFORN


def test_privileged_actions_are_audited(users):
    actions.grant_membership(users["admin"], users["dsca.analyst"], Organization.objects.system().get(short_name="OUSD(P)"), "viewer")
    assert AuditEvent.objects.filter(kind="privileged", actor=users["admin"], user=users["dsca.analyst"]).exists()
