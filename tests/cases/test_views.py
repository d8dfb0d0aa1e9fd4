"""Cases pages that write: forms and milestone buttons call the actions; refusals come back inline
with the rule id; nothing changes on a refusal."""

from decimal import Decimal

import pytest

from secoop.cases.models import CaseAmendment
from secoop.cases.models import CaseLine
from secoop.cases.models import CaseNote
from secoop.cases.models import FmsCase
from secoop.cases.models import LetterOfRequest
from secoop.cases.models import MasterPlanItem

from .builders import new_case
from .conftest import case
from .conftest import org
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db


def test_the_partners_lor_form_carries_only_what_the_partner_decides(login, on_demo_day):
    """Issue 12 item 5: no U.S. marking to type, no "Routed to (IA)", "Entered by" preselected,
    the first save succeeds with the partner's releasable marking, a duplicate is warned about."""
    client = login("partner.bandaria")
    page = client.get("/cases/lors/new/").content.decode()
    assert 'name="marking"' not in page and 'name="implementing_agency"' not in page
    assert f'<option value="{org("Bandaria MoD").pk}" selected>' in page
    data = {
        "title": "Harbour tug",
        "country": "XBN",
        "owner_org": org("Bandaria MoD").pk,
        "requested_items": "One harbour tug with spares",
        "estimated_value": "900000",
        "mde_value": "0",
        "design_construction_value": "0",
        "request_type": "pa",
        # A typed marking is ignored: the partner's releasable marking is set.
        "marking": "SECRET//NOFORN",
    }
    assert client.post("/cases/lors/new/", data).status_code == 302
    tug = LetterOfRequest.objects.system().get(title="Harbour tug")
    assert tug.marking_text == "CUI//REL TO USA, XBN" and tug.implementing_agency_id is None
    detail = client.get(tug.get_absolute_url()).content.decode()
    assert "implementing agency it is routed to" not in detail and "With U.S. staff" in detail
    assert "Not yet validated" in detail and "Due " not in detail  # the IA's goal is internal
    # The same request again: a warning (the error summary takes focus), nothing saved.
    before = snapshot_counts()
    again = client.post("/cases/lors/new/", {**data, "requested_items": "Another tug"})
    body = again.content.decode()
    assert again.status_code == 200 and "already submitted" in body and "Harbour tug" in body
    assert 'role="alert" tabindex="-1" autofocus' in body
    assert snapshot_counts() == before
    confirmed = {**data, "requested_items": "Another tug", "confirm_duplicate": "on"}
    assert client.post("/cases/lors/new/", confirmed).status_code == 302


def test_the_scos_lor_form_keeps_marking_and_routing(login, on_demo_day):
    page = login("sco.bandaria").get("/cases/lors/new/").content.decode()
    assert 'name="marking"' in page and 'name="implementing_agency"' in page


def test_partner_submits_an_lor_through_the_form(login, on_demo_day):
    r = login("partner.bandaria").post(
        "/cases/lors/new/",
        {
            "marking": "CUI//REL TO USA, XBN",
            "title": "Boat engines",
            "country": "XBN",
            "owner_org": org("Bandaria MoD").pk,
            "requested_items": "Two outboard engines",
            "estimated_value": "80000",
            "mde_value": "0",
            "design_construction_value": "0",
            "request_type": "pa",
        },
    )
    assert r.status_code == 302
    lor = LetterOfRequest.objects.system().get(title="Boat engines")
    assert lor.status == "received" and lor.owner_org == org("Bandaria MoD")


def test_milestone_refusal_is_shown_with_its_rule(login):
    spares = case("XB-B-ZAD")
    before = snapshot_counts()
    r = login("case.manager").post(f"/cases/{spares.pk}/milestone/implement/", follow=True)
    assert "The implementing agency assigns a case manager" in r.content.decode()
    assert snapshot_counts() == before


def test_case_form_refuses_a_change_to_an_accepted_loa_inline(login):
    radios = case("XB-B-ZAA")
    data = {
        "marking": radios.marking_text,
        "identifier": radios.identifier,
        "title": "Renamed",
        "country": "XBN",
        "owner_org": radios.owner_org_id,
        "lor": radios.lor_id,
        "loa_type": radios.loa_type,
        "category": radios.category,
        "aod_group": radios.aod_group,
        "case_manager": radios.case_manager_id,
        "transportation_plan": radios.transportation_plan,
        "disclosure_approved_on": radios.disclosure_approved_on.isoformat(),
        "transfer_approved_on": radios.transfer_approved_on.isoformat(),
    }
    r = login("case.manager").post(f"/cases/{radios.pk}/edit/", data)
    assert r.status_code == 200 and "R-FMS-03" in r.content.decode()
    assert FmsCase.objects.system().get(pk=radios.pk).title == "Tactical radios"


def test_amendment_form_issues_a_version_with_a_diff(login, on_demo_day):
    radios = case("XB-B-ZAA")
    r = login("case.manager").post(
        f"/cases/{radios.pk}/change/",
        {
            "kind": "modification",
            "description": "Re-price handhelds",
            "op_0": "change",
            "number_0": "001",
            "unit_value_0": "31000.00",
        },
    )
    version = CaseAmendment.objects.system().filter(case=radios).order_by("-number").first()
    assert (
        r.status_code == 302
        and version.number == 2
        and version.diff[0]["fields"] == [["unit_value", "$32,500.00", "$31,000.00"]]
    )
    page = login("case.manager").get(version.get_absolute_url()).content.decode()
    assert "$32,500.00" in page and "$31,000.00" in page
    assert CaseLine.objects.system().get(case=radios, number="001").unit_value == 31000


def test_amendment_form_refuses_scope_in_a_modification(login, on_demo_day):
    radios = case("XB-B-ZAA")
    r = login("case.manager").post(
        f"/cases/{radios.pk}/change/",
        {
            "kind": "modification",
            "description": "More",
            "op_0": "change",
            "number_0": "001",
            "quantity_0": "200",
        },
    )
    assert r.status_code == 200 and "SPEC-11-amendment-vs-modification" in r.content.decode()


def test_master_plan_and_note_forms(login, on_demo_day):
    c = new_case()
    client = login("case.manager")
    r = client.post(
        f"/cases/{c.pk}/add/plan-item/",
        {
            "marking": c.marking_text,
            "kind": "schedule",
            "title": "Contract award",
            "due_on": "2026-12-15",
        },
    )
    assert (
        r.status_code == 302
        and MasterPlanItem.objects.system().filter(case=c, title="Contract award").exists()
    )
    r = client.post(
        f"/cases/{c.pk}/add/note/", {"marking": "CUI//NOFORN", "text": "Vendor delay expected"}
    )
    assert (
        r.status_code == 302 and CaseNote.objects.system().get(case=c).marking_text == "CUI//NOFORN"
    )
    assert (
        "Vendor delay expected"
        not in login("partner.bandaria").get(f"/cases/{c.pk}/?tab=execution").content.decode()
    )


def test_partner_cannot_add_lines(login):
    radios = case("XB-B-ZAA")
    before = snapshot_counts()
    r = login("partner.bandaria").post(
        f"/cases/{radios.pk}/add/line/",
        {
            "marking": radios.marking_text,
            "number": "009",
            "item": "x",
            "quantity": "1",
            "unit_of_issue": "EA",
            "unit_value": "5",
        },
    )
    assert r.status_code == 200 and "Case manager in USASAC" in r.content.decode()
    assert snapshot_counts() == before


def test_retention_refusal_on_document_delete(login):
    from secoop.cases.models import CaseDocument

    doc = CaseDocument.objects.system().get(title="LOA XB-B-ZAA, basic (signed)")
    r = login("case.manager").post(f"/cases/documents/{doc.pk}/delete/", follow=True)
    assert (
        "R-FMS-07" in r.content.decode()
        and CaseDocument.objects.system().filter(pk=doc.pk).exists()
    )


def test_partner_reports_a_discrepancy_through_the_form(login, on_demo_day):
    from secoop.cases.models import SupplyDiscrepancyReport

    radios = case("XB-B-ZAA")
    client = login("partner.bandaria")
    form = client.get(f"/cases/{radios.pk}/add/sdr/").content.decode()
    assert "Bandaria MoD" in form
    line = CaseLine.objects.system().get(case=radios, number="001")
    r = client.post(
        f"/cases/{radios.pk}/add/sdr/",
        {
            "marking": radios.marking_text,
            "owner_org": org("Bandaria MoD").pk,
            "line": line.pk,
            "reported_on": "2026-11-22",
            "discrepancy": "shortage",
            "description": "Two radios short",
            "quantity": "2",
            "value": "65000",
            "title_passed_on": "2026-07-10",
            "recommended_fms_funds": "60000",
        },
    )
    assert r.status_code == 302
    sdr = SupplyDiscrepancyReport.objects.system().get(description="Two radios short")
    assert sdr.ilco == org("USASAC")
    page = client.get(sdr.get_absolute_url()).content.decode()
    # DSCA 14-10: the package recommends $60,000 of FMS funds, above the $50,000 fact.
    assert "needs MILDEP headquarters endorsement" in page
    # The demo SDR is worth $312,000 but recommends no FMS funds: no endorsement (not by value).
    demo = SupplyDiscrepancyReport.objects.system().exclude(pk=sdr.pk).get(value=Decimal("312000"))
    assert (
        "needs MILDEP headquarters endorsement"
        not in client.get(demo.get_absolute_url()).content.decode()
    )


def test_case_file_upload_and_download_through_the_door(login, on_demo_day, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secoop.cases.models import CaseDocument

    settings.MEDIA_ROOT = str(tmp_path)
    radios = case("XB-B-ZAA")
    client = login("case.manager")
    upload = SimpleUploadedFile("dd645.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = client.post(
        f"/cases/{radios.pk}/add/document/",
        {
            "marking": "CUI//NOFORN",
            "kind": "dd645",
            "title": "DD 645 Q1 FY2027",
            "dated": "2026-11-20",
            "file": upload,
        },
    )
    assert r.status_code == 302
    doc = CaseDocument.objects.system().get(title="DD 645 Q1 FY2027")
    got = client.get(f"/cases/documents/{doc.pk}/file/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 test"
    assert login("partner.bandaria").get(f"/cases/documents/{doc.pk}/file/").status_code == 404
