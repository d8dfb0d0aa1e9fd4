"""The assessment API: updates entered, submitted, approved by another user (self-approval 400
with R-SEC-11), non-numeric values 400 with R-AME-02 and nothing saved; the IATI 2.03 file of
the demo validates against IATI's XSD and publishes only public records."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from secoop.assessment.models import Update

from .conftest import first_period
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assessment/"
# IATI's schema, vendored unmodified with its licence (the suite runs from a clean clone).
XSD = Path(__file__).parent / "iati-schemas-2.03" / "iati-activities-schema.xsd"


@pytest.mark.parametrize(
    "endpoint",
    [
        "results",
        "indicators",
        "periods",
        "updates",
        "evaluations",
        "findings",
        "lessons",
        "campaign-assessments",
    ],
)
def test_lists_in_a_fixed_number_of_queries(endpoint, api, django_assert_max_num_queries):
    client = api("ccmd.planner")
    client.get(f"{BASE}{endpoint}/")
    with django_assert_max_num_queries(25):
        response = client.get(f"{BASE}{endpoint}/", {"page_size": 500})
    assert response.status_code == 200 and response.json()["count"] > 0


def test_an_update_is_entered_submitted_and_approved_by_another_never_its_author(api, wells):
    officer, planner = api("sco.bandaria"), api("ccmd.planner")
    period = first_period(wells)
    made = officer.post(
        f"{BASE}updates/", {"period": period.pk, "value": "4", "narrative": "recount"}
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert officer.post(f"{BASE}updates/{pk}/submit/").json()["status"] == "submitted"
    mine = officer.post(f"{BASE}updates/{pk}/approve/")
    assert mine.status_code == 400 and mine["X-Rule"] == "R-SEC-11"
    done = planner.post(f"{BASE}updates/{pk}/approve/", {"comment": "ok"})
    assert done.status_code == 200 and done.json()["status"] == "approved"


def test_a_non_numeric_value_is_400_with_the_rule_and_nothing_saved(api, wells):
    before = snapshot_counts()
    response = api("sco.bandaria").post(
        f"{BASE}updates/", {"period": first_period(wells).pk, "value": "eight"}
    )
    assert response.status_code == 400 and response["X-Rule"] == "R-AME-02"
    assert "not a number" in response.content.decode()
    assert snapshot_counts() == before


def test_a_partner_reads_only_indicators_released_to_it(api, coordination, interdictions):
    partner = api("partner.bandaria")
    ids = {i["id"] for i in partner.get(f"{BASE}indicators/").json()["results"]}
    assert coordination.pk in ids and interdictions.pk not in ids
    assert (
        partner.get(f"{BASE}evaluations/").json()["count"] == 0
    )  # internal assessments (R-SEC-03)
    hidden = first_period(interdictions)
    response = partner.post(f"{BASE}updates/", {"period": hidden.pk, "value": "1"})
    assert response.status_code == 400  # a period it may not see is a bad choice, not a secret
    assert (
        not Update.objects.system()
        .filter(period=hidden, entered_by__username="partner.bandaria")
        .exists()
    )


def test_the_demo_iati_file_validates_against_the_iati_203_schema_and_holds_only_public_records(
    api,
):
    response = api("sco.bandaria").get(f"{BASE}iati.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    doc = etree.fromstring(response.content)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(doc), schema.error_log
    titles = doc.xpath("//iati-activity/title/narrative/text()")
    assert titles == ["Water wells for border villages (humanitarian assistance)"]
    assert doc.xpath("//result/@type") == ["1"] and doc.xpath("//indicator/baseline/@value") == [
        "0"
    ]
    assert doc.xpath("//period/actual[not(dimension)]/@value") == [
        "2",
        "3",
    ]  # approved only, never the returned 5
    # disaggregations: one target or actual per part, with its dimension
    assert doc.xpath("//actual/dimension/@value") == ["Kessa", "Tamar", "Kessa"]
    assert doc.xpath("//target[dimension]/@value") == ["5", "3"]
    text = response.content.decode()
    assert "NOFORN" not in text and "interdicted" not in text and "Interagency" not in text
    comment = doc.xpath("//comment()")[0].text
    assert "Left out:" in comment and "not UNCLASSIFIED" in comment


def test_the_iati_file_is_404_with_the_reason_when_nothing_may_be_published(api):
    response = api("partner.bandaria").get(f"{BASE}iati.xml")
    assert (
        response.status_code == 404 and "approved for public release" in response.content.decode()
    )


@pytest.mark.parametrize("username", ["sco.bandaria", "partner.bandaria"])
def test_the_api_lists_cost_the_same_queries_whatever_their_rows(api, username):
    """ARCHITECTURE invariant 7: a list costs its page, not its rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import build_more_rows

    client = api(username)
    lists = ["updates", "indicators", "results", "periods"]

    def counts():
        found = {}
        for name in lists:
            with CaptureQueriesContext(connection) as seen:
                response = client.get(f"{BASE}{name}/", {"page_size": 500})
            assert response.status_code == 200
            found[name] = (len(seen), response.json()["count"])
        return found

    client.get(f"{BASE}results/")  # warm the reference facts
    before = counts()
    build_more_rows()
    after = counts()
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    assert all(after[k][1] > before[k][1] for k in ("updates", "indicators", "periods")), (
        before,
        after,
    )
