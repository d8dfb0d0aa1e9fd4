"""Issue 11 §5: with DEBUG off a user who opens a page that does not exist or that they may not see
gets the product's own page (USWDS, with the classification banner), never Django's debug page or
its bare "Server Error (500)"; under /api/ the answer stays JSON."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def crashing(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.error_urls"


def _own_page(response, heading: str) -> str:
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{heading}</h1>" in html
    assert (
        'data-testid="classification-top"' in html and 'data-testid="classification-bottom"' in html
    )
    assert "/static/uswds/css/uswds.min.css" in html
    assert "Traceback" not in html and "URLconf" not in html
    return html


def test_server_error_is_the_products_page_with_the_banner(crashing):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = _own_page(response, "Server error")
    assert "nothing was changed" in html
    assert "a bug" not in html


def test_server_error_under_the_api_is_json(crashing):
    client = Client(raise_request_exception=False)
    response = client.get("/api/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "nothing was changed" in response.json()["detail"]


def test_bad_request_is_the_products_page_and_json_under_the_api(crashing):
    client = Client()
    response = client.get("/suspicious/")
    assert response.status_code == 400
    _own_page(response, "Bad request")
    response = client.get("/api/suspicious/")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request could not be understood. Check what was sent and try again."
    }


def test_refusal_outside_drf_says_why_on_the_page_and_in_json(crashing, login):
    client = login("le.staff")
    response = client.get("/refused/")
    assert response.status_code == 403
    assert "Only the owning SCO may do this." in _own_page(response, "Not permitted")
    response = client.get("/api/refused/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the owning SCO may do this."}


def test_missing_page_is_the_products_page_for_a_signed_in_user(settings, login):
    settings.DEBUG = False
    response = login("sco.bandaria").get("/documents/999999/")
    assert response.status_code == 404
    html = _own_page(response, "Not found")
    assert "Sign out" in html  # the signed-in page, with the user's navigation


def test_unknown_api_route_answers_json_not_an_html_page(settings, api):
    settings.DEBUG = False
    response = api("sco.bandaria").get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
