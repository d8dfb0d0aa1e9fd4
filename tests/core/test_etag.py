"""Issue 10 item 8: lost updates. The API tags each record with an ETag and honours If-Match; the
HTML forms refuse a stale edit and say what changed since the form was opened."""

from __future__ import annotations

import contextvars

import pytest
from django.urls import reverse

from secoop.core import actions
from secoop.core.filters import inbox_q
from secoop.core.models import Document
from secoop.core.models import Notification
from secoop.core.models import Organization
from tests.conftest import user_named

pytestmark = pytest.mark.django_db


def _sco_document(api, title="Trip report"):
    sco = Organization.objects.system().get(short_name="SCO Bandaria")
    response = api("sco.bandaria").post(
        "/api/v1/documents/",
        {"title": title, "owner_org": sco.pk, "country": "XBN", "marking": "CUI//REL TO USA, XBN"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response


def test_item8_detail_and_write_responses_carry_an_etag_that_changes_on_update(api):
    created = _sco_document(api)
    assert created["ETag"].startswith('"')
    client = api("sco.bandaria")
    url = f"/api/v1/documents/{created.json()['id']}/"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] == created["ETag"]
    updated = client.patch(
        url, {"summary": "after the staff talks"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert updated.status_code == 200
    assert updated["ETag"] != first["ETag"]
    assert client.get(url)["ETag"] == updated["ETag"]


def test_item8_stale_if_match_is_412_and_changes_nothing(api):
    doc_id = _sco_document(api).json()["id"]
    url = f"/api/v1/documents/{doc_id}/"
    first, second = api("sco.bandaria"), api("ccmd.planner")
    loaded = first.get(url)["ETag"]
    assert (
        second.patch(
            url, {"title": "Trip report (planner)"}, format="json", HTTP_IF_MATCH=loaded
        ).status_code
        == 200
    )
    stale = first.put(
        url,
        {
            "title": "Trip report (SCO)",
            "owner_org": Organization.objects.system().get(short_name="SCO Bandaria").pk,
            "country": "XBN",
            "marking": "CUI//REL TO USA, XBN",
        },
        format="json",
        HTTP_IF_MATCH=loaded,
    )
    assert stale.status_code == 412
    assert (
        "changed by someone else" in stale.json()["detail"] and "reload" in stale.json()["detail"]
    )
    assert Document.objects.system().get(pk=doc_id).title == "Trip report (planner)"
    assert first.delete(url, HTTP_IF_MATCH=loaded).status_code == 412
    assert Document.objects.system().filter(pk=doc_id).exists()


def test_item8_right_if_match_is_200_and_star_matches_any_version(api):
    doc_id = _sco_document(api).json()["id"]
    url = f"/api/v1/documents/{doc_id}/"
    client = api("sco.bandaria")
    tag = client.get(url)["ETag"]
    assert (
        client.patch(url, {"title": "v2"}, format="json", HTTP_IF_MATCH=f"W/{tag}").status_code
        == 200
    )
    assert client.patch(url, {"title": "v3"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert (
        client.patch(url, {"title": "v4"}, format="json").status_code == 200
    )  # no If-Match: as before


def test_item8_post_action_on_a_record_honours_if_match(api):
    sco = user_named("sco.bandaria")
    note = (
        Notification.objects.visible_to(sco)
        .filter(inbox_q(sco), acknowledged_at__isnull=True)
        .first()
    )
    assert note is not None, "the demo gives the SCO an open notification"
    client = api("sco.bandaria")
    url = f"/api/v1/notifications/{note.pk}/"
    tag = client.get(url)["ETag"]
    refused = client.post(url + "acknowledge/", {}, format="json", HTTP_IF_MATCH='"0000"')
    assert refused.status_code == 412
    assert Notification.objects.system().get(pk=note.pk).acknowledged_at is None
    done = client.post(url + "acknowledge/", {}, format="json", HTTP_IF_MATCH=tag)
    assert done.status_code == 200 and done["ETag"] != tag


def test_item8_stale_form_edit_is_refused_showing_what_changed(login):
    sco_org = Organization.objects.system().get(short_name="SCO Bandaria")
    doc = actions.create_record(
        user_named("sco.bandaria"),
        Document(
            title="Trip report",
            kind="report",
            owner_org=sco_org,
            country_id="XBN",
            marking="CUI//REL TO USA, XBN",
        ),
    )
    client = login("sco.bandaria")
    form = client.get(reverse("document-edit", args=[doc.pk])).context["form"]
    loaded_version = form.initial["record_version"]
    # Someone else saves first.
    actions.update_record(
        user_named("ccmd.planner"),
        Document.objects.system().get(pk=doc.pk),
        {"title": "Trip report (planner)"},
    )
    post = {
        "title": "Trip report (SCO)",
        "kind": "report",
        "owner_org": sco_org.pk,
        "country": "XBN",
        "marking": "CUI//REL TO USA, XBN",
        "reason": "",
        "record_version": loaded_version,
    }
    response = client.post(reverse("document-edit", args=[doc.pk]), post)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ccmd.planner changed this record after you opened the form" in page
    changes = response.context["form"].stale_changes
    assert [(c.label, c.loaded, c.current, c.yours) for c in changes] == [
        ("Title", "Trip report", "Trip report (planner)", "Trip report (SCO)")
    ]
    assert Document.objects.system().get(pk=doc.pk).title == "Trip report (planner)"
    # Saving again from the refreshed form applies the user's values knowingly.
    post["record_version"] = response.context["form"].data["record_version"]
    assert client.post(reverse("document-edit", args=[doc.pk]), post).status_code == 302
    assert Document.objects.system().get(pk=doc.pk).title == "Trip report (SCO)"


def test_item8_schema_documents_if_match_412_and_etag(api):
    schema = api("sco.bandaria").get("/api/schema/", {"format": "json"}).json()
    for path, method in [
        ("/api/v1/documents/{id}/", "patch"),
        ("/api/v1/documents/{id}/", "delete"),
        ("/api/v1/notifications/{id}/acknowledge/", "post"),
    ]:
        operation = schema["paths"][path][method]
        assert "If-Match" in [p["name"] for p in operation["parameters"] if p["in"] == "header"], (
            path,
            method,
        )
        assert "412" in operation["responses"], (path, method)
    assert (
        "ETag" in schema["paths"]["/api/v1/documents/{id}/"]["get"]["responses"]["200"]["headers"]
    )
    assert "If-Match" not in str(
        schema["paths"]["/api/v1/documents/"]["post"].get("parameters", [])
    )


def test_item8_stale_action_button_on_a_training_record_is_refused(login):
    from secoop.core.versioning import form_token
    from secoop.training.models import Student

    sco = user_named("sco.bandaria")
    student = (
        Student.objects.editable_by(sco).exclude(status__in=["graduated", "withdrawn"]).first()
    )
    assert student is not None
    page = login("sco.bandaria").get(student.get_absolute_url())
    loaded = form_token(student)
    assert f'name="record_version" value="{loaded}"' in page.content.decode()
    actions.update_record(sco, student, {"unit": "changed meanwhile"})
    client = login("sco.bandaria")
    url = reverse("training:student-act", args=[student.pk, "withdraw"])
    response = client.post(
        url, {"record_version": loaded, "reason": "left the service"}, follow=True
    )
    assert "was changed by sco.bandaria after you opened the page" in response.content.decode()
    assert Student.objects.system().get(pk=student.pk).status == student.status
    fresh = form_token(Student.objects.system().get(pk=student.pk))
    client.post(url, {"record_version": fresh, "reason": "left the service"})
    assert Student.objects.system().get(pk=student.pk).status == "withdrawn"


def test_if_match_is_checked_again_under_the_row_lock(api, monkeypatch):
    """Another write that lands after the request's If-Match check but before the action locks the
    row (the race the first check cannot see) must not be overwritten: 412, their change kept."""
    from secoop.core.api_base import ConditionalWriteMixin

    doc_id = _sco_document(api).json()["id"]
    url = f"/api/v1/documents/{doc_id}/"
    client = api("sco.bandaria")
    loaded = client.get(url)["ETag"]
    checked = ConditionalWriteMixin.get_object

    def check_then_someone_else_writes(view):
        obj = checked(view)  # the If-Match check passes here
        # The other writer is another request: it runs in a context of its own.
        contextvars.Context().run(
            actions.update_record,
            user_named("ccmd.planner"),
            Document.objects.system().get(pk=obj.pk),
            {"title": "Trip report (planner)"},
        )
        return obj

    monkeypatch.setattr(ConditionalWriteMixin, "get_object", check_then_someone_else_writes)
    stale = client.patch(url, {"title": "Trip report (SCO)"}, format="json", HTTP_IF_MATCH=loaded)
    assert stale.status_code == 412, stale.content
    assert "changed by someone else" in stale.json()["detail"]
    assert Document.objects.system().get(pk=doc_id).title == "Trip report (planner)"


def test_a_form_edit_is_checked_again_under_the_row_lock(login, monkeypatch):
    """The same race on an edit form: the form's clean() saw the version it was loaded from, a
    write lands before the action locks the row: the form says so and keeps their change."""
    from secoop.core import forms as core_forms

    sco_org = Organization.objects.system().get(short_name="SCO Bandaria")
    doc = actions.create_record(
        user_named("sco.bandaria"),
        Document(
            title="Trip report",
            kind="report",
            owner_org=sco_org,
            country_id="XBN",
            marking="CUI//REL TO USA, XBN",
        ),
    )
    client = login("sco.bandaria")
    loaded_version = (
        client.get(reverse("document-edit", args=[doc.pk]))
        .context["form"]
        .initial["record_version"]
    )
    checked = core_forms.StaleEditMixin.check_not_stale

    def check_then_someone_else_writes(form):
        checked(form)
        actions.update_record(
            user_named("ccmd.planner"),
            Document.objects.system().get(pk=doc.pk),
            {"title": "Trip report (planner)"},
        )

    monkeypatch.setattr(
        core_forms.StaleEditMixin, "check_not_stale", check_then_someone_else_writes
    )
    response = client.post(
        reverse("document-edit", args=[doc.pk]),
        {
            "title": "Trip report (SCO)",
            "kind": "report",
            "owner_org": sco_org.pk,
            "country": "XBN",
            "marking": "CUI//REL TO USA, XBN",
            "reason": "",
            "record_version": loaded_version,
        },
    )
    assert response.status_code == 200
    assert "changed by someone else after you opened the form" in response.content.decode()
    assert Document.objects.system().get(pk=doc.pk).title == "Trip report (planner)"
