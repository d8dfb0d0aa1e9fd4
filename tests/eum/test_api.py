"""The EUM API: an inventory through /api/v1/eum/, refusals as 400 with the rule in X-Rule, and
the partner's view of a possible violation without the investigation notes."""

from __future__ import annotations

import pytest

from secoop.eum import actions
from secoop.eum import models as m

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
