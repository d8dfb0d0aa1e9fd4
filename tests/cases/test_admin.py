"""An administrator edits the CTA criteria and elements and the ILCO routing in the admin (SPEC §11)."""

import pytest

from secoop.cases.models import CtaCriterion
from secoop.cases.models import IlcoRouting
from secoop.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["ctacriterion", "ctaelement", "ilcorouting"])
def test_admin_lists_and_forms_answer(login, model):
    client = login("admin")
    assert client.get(f"/admin/cases/{model}/").status_code == 200
    assert client.get(f"/admin/cases/{model}/add/").status_code == 200


def test_admin_edits_a_cta_criterion_and_it_is_audited(login):
    criterion = CtaCriterion.objects.get(code="night-vision")
    r = login("admin").post(
        f"/admin/cases/ctacriterion/{criterion.pk}/change/",
        {
            "code": "night-vision",
            "label": "Night vision devices",
            "flag": "night_vision",
            "source": "SAMM C5.1.4",
            "active": "",
        },
    )
    assert r.status_code == 302
    assert CtaCriterion.objects.get(pk=criterion.pk).active is False
    assert AuditEvent.objects.filter(detail__contains="CTA criterion").exists()


def test_routing_form_offers_military_departments(login):
    routing = IlcoRouting.objects.select_related("mildep").first()
    page = login("admin").get(f"/admin/cases/ilcorouting/{routing.pk}/change/").content.decode()
    assert "Department of the Navy" in page or "Navy" in page
