"""The EUM API: an inventory through /api/v1/eum/, refusals as 400 with the rule in X-Rule, and
the partner's view of a possible violation without the investigation notes."""

from __future__ import annotations

import pytest

from secoop.eum import actions
from secoop.eum import models as m
from tests.helpers import saved_copy

from .conftest import person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_demo_day")]


def test_an_inventory_through_the_api_opens_a_violation_or_is_refused_with_the_rule(api, late_nvd):
    client = api("sco.bandaria")
    url = f"/api/v1/eum/articles/{late_nvd.pk}/inventory/"
    refused = client.post(
        url,
        {"kind": "initial", "checked_by": "EUM officer", "found": ["NVD-000000"]},
        format="json",
    )
    assert refused.status_code == 400 and refused["X-Rule"] == "SPEC-11-enhanced-EUM"
    made = client.post(
        url,
        {
            "kind": "initial",
            "checked_by": "EUM officer",
            "found": ["NVD-000201", "NVD-000202", "NVD-000203"],
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["missing"] == ["NVD-000204"]
    assert m.PossibleViolation.objects.system().filter(serial__serial="NVD-000204").exists()
    assert (
        api("partner.bandaria")
        .post(url, {"kind": "initial", "checked_by": "x"}, format="json")
        .status_code
        == 403
    )


def test_r_sec_03_the_partner_and_le_staff_read_the_violation_status_never_the_notes(api, nvd):
    v = m.PossibleViolation.objects.system().get(article=nvd)
    actions.violation_step(person("sco.bandaria"), v, "investigate", note="internal lead")
    theirs = api("sco.bandaria").get(f"/api/v1/eum/violations/{v.pk}/").json()
    assert [n["text"] for n in theirs["investigation_notes"]] == ["internal lead"]
    assert theirs["investigation_notes"][0]["marking"] == "CUI//NOFORN"
    for outsider in ("partner.bandaria", "le.staff"):  # R-SEC-02/03, the change log included
        mine = api(outsider).get(f"/api/v1/eum/violations/{v.pk}/").json()
        assert mine["status"] == "investigating" and mine["investigation_notes"] == []
        history = api(outsider).get("/api/v1/changes/", {"page_size": 500}).content.decode()
        assert "internal lead" not in history
    assert api("industry.rep").get(f"/api/v1/eum/violations/{v.pk}/").status_code == 404


EUM_LISTS = ("articles", "checks", "violations", "visits", "reports", "reviews", "requests", "notices", "plans")  # fmt: skip


def test_the_eum_api_lists_cost_the_same_queries_whatever_their_rows(api, nvd):
    """ARCHITECTURE invariant 7: an API list costs its page, not its rows. Each violation's
    investigation notes come with the page through the door (bench data: 20 queries for a
    SECRET U.S. user against 7 for LE staff and the partner, one per violation shown)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import builds

    v = m.PossibleViolation.objects.system().get(article=nvd)
    actions.violation_step(person("sco.bandaria"), v, "investigate", note="internal lead")
    readers = ("sco.bandaria", "le.staff", "partner.bandaria")

    def counts():
        found = {}
        for who in readers:
            client = api(who)
            for kind in EUM_LISTS:
                with CaptureQueriesContext(connection) as seen:
                    answer = client.get(f"/api/v1/eum/{kind}/", {"page_size": 500})
                assert answer.status_code == 200, (who, kind)
                found[who, kind] = (len(seen), answer.json()["count"])
        return found

    counts()  # warm the sessions and the reference facts
    before = counts()
    note = m.InvestigationNote.objects.system().get(violation=v)
    with builds("more rows"):
        for n in range(4):
            copy = saved_copy(m.PossibleViolation, v.pk, summary=f"seen {n}")
            saved_copy(m.InvestigationNote, note.pk, violation=copy)
            saved_copy(m.InvestigationNote, note.pk, violation=copy)
            for model in (m.Check, m.ComplianceVisit, m.RoutineReport, m.EndUseRequest):
                saved_copy(model, model.objects.system().first().pk)
            for model in (m.DatabaseReview, m.MaterielNotice):
                saved_copy(model, model.objects.system().first().pk)
    after = counts()
    assert {k: q for k, (q, _) in after.items()} == {k: q for k, (q, _) in before.items()}
    assert after["sco.bandaria", "violations"][1] == before["sco.bandaria", "violations"][1] + 4
    assert after["sco.bandaria", "checks"][1] == before["sco.bandaria", "checks"][1] + 4
    rows = api("sco.bandaria").get("/api/v1/eum/violations/", {"page_size": 500}).json()
    copies = [r for r in rows["results"] if r["summary"].startswith("seen ")]
    assert len(copies) == 4 and all(len(r["investigation_notes"]) == 2 for r in copies)
    theirs = api("le.staff").get("/api/v1/eum/violations/", {"page_size": 500}).json()
    assert all(r["investigation_notes"] == [] for r in theirs["results"])  # R-SEC-02/03
