import pytest
from django.urls import reverse

from secoop.core.models import Document
from secoop.core.models import Organization

pytestmark = pytest.mark.django_db

PAGES = [
    "home",
    "organizations",
    "countries",
    "documents",
    "people",
    "changes",
    "organization-create",
    "document-create",
]


@pytest.mark.parametrize(
    "username", ["admin", "sco.bandaria", "partner.bandaria", "le.staff", "industry.rep"]
)
@pytest.mark.parametrize("name", PAGES)
def test_core_pages_render_for_each_demo_user(login, username, name):
    response = login(username).get(reverse(name))
    assert response.status_code == 200, response.content[:2000]
    assert b'data-testid="classification-top"' in response.content


def test_detail_pages_render_with_tabs(login, users):
    client = login("sco.bandaria")
    org = Organization.objects.visible_to(users["sco.bandaria"]).get(short_name="SCO Bandaria")
    for tab in ("overview", "related", "documents", "history"):
        response = client.get(reverse("organization-detail", args=[org.pk]) + f"?tab={tab}")
        assert response.status_code == 200
    doc = Document.objects.visible_to(users["sco.bandaria"]).first()
    assert client.get(reverse("document-detail", args=[doc.pk])).status_code == 200
    assert client.get(reverse("country-detail", args=["XBN"])).status_code == 200
    assert client.get(reverse("person-detail", args=[users["le.staff"].pk])).status_code == 200
