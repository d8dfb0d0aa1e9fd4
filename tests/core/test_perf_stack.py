"""Issue 15, the stack floor (bench/stack.py): what every signed-in request and page pays is cut
without changing what it answers — the navigation built in Python from links reversed once, the
static files' URLs worked out once, the own-user API in three queries, the password form's help
text read once."""

import re

import pytest
from django.contrib.auth import password_validation
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test.utils import override_settings
from django.urls import clear_script_prefix
from django.urls import set_script_prefix

from secoop.core.models import Membership
from secoop.core.models import Organization
from secoop.core.rules import Role

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> list[str]:
    client.get(url)  # the first caches the access profile (0028) and renews the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _nav(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html.split('aria-label="Primary navigation"')[1].split("</nav>")[0]


def _apps(nav: str) -> list[str]:
    return re.findall(r'usa-nav__primary-item"><a[^>]*><span>(?:<abbr[^>]*>)?([^<]+)', nav)


def test_the_password_page_costs_the_session_query_only(login):
    assert len(_queries(login("sco.bandaria"), "/account/password/")) == 1


def test_the_own_user_api_reads_memberships_joined_to_their_organizations(login, users):
    user = users["sco.bandaria"]
    extra = Organization.objects.system().exclude(memberships__user=user).first()
    Membership.objects.create(user=user, organization=extra, role=Role.VIEWER)
    client = login("sco.bandaria")
    queries = _queries(client, "/api/v1/users/me/")
    # The session joined to the user, the user through the door, the memberships with their
    # organizations: three, whatever the number of memberships.
    assert len(queries) == 3
    assert 'FROM "core_membership"' in queries[2] and 'JOIN "core_organization"' in queries[2]
    shown = client.get("/api/v1/users/me/").json()["memberships"]
    expected = user.memberships.select_related("organization")
    assert sorted((m["organization"], m["organization_name"], m["role"]) for m in shown) == sorted(
        (m.organization_id, m.organization.short_name, m.role) for m in expected
    )
    assert len(shown) >= 2


@pytest.mark.parametrize(
    "username, apps",
    [
        (
            "sco.bandaria",
            ["Today", "Planning", "Cases", "Training", "Analysis", "EUM", "Budget", "Assessment"],
        ),
        ("partner.bandaria", ["Today", "Cases", "Training", "EUM", "Assessment"]),
        ("industry.rep", ["Today", "DCS licenses"]),
    ],
)
def test_r_sec_03_each_audience_is_offered_its_apps_whichever_audience_asked_first(
    login, username, apps
):
    # The row is built once per audience and current item: a partner asking after a U.S. user
    # (and the other way round) still gets their own.
    for other in ("sco.bandaria", "partner.bandaria", "industry.rep"):
        _nav(login(other), "/account/password/")
    assert _apps(_nav(login(username), "/account/password/")) == apps


def test_the_current_item_follows_the_page(login):
    client = login("sco.bandaria")
    home = _nav(client, "/")
    assert re.search(r'class="usa-nav-link usa-current" href="/" aria-current="page"', home)
    assert 'aria-controls="nav-records"' in home and "usa-nav__link usa-current" not in home
    changes = _nav(client, "/changes/")
    assert "usa-nav__link usa-current" in changes  # the Records menu holds the page
    assert re.search(r'href="/changes/" aria-current="page"><span>Change log<', changes)
    assert 'href="/" aria-current' not in changes and "usa-nav-link usa-current" not in changes
    planning = _nav(client, "/planning/activities/")  # an app's page under its index
    assert re.search(r'class="usa-nav-link usa-current" href="/planning/"><span>Planning', planning)


def test_the_navigation_links_follow_the_script_prefix_of_each_request(login):
    client = login("sco.bandaria")
    plain = _nav(client, "/account/password/")
    # A WSGI server sets the prefix from SCRIPT_NAME before each request; the test client does not.
    set_script_prefix("/secoop/")
    try:
        prefixed = _nav(client, "/account/password/")
    finally:
        clear_script_prefix()
    assert 'href="/planning/"' in plain and 'href="/secoop/planning/"' not in plain
    assert 'href="/secoop/planning/"' in prefixed and 'href="/secoop/changes/"' in prefixed
    assert 'href="/planning/"' not in prefixed
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    again = _nav(client, "/account/password/")
    assert csrf.sub("", again) == csrf.sub("", plain)  # and back


def test_static_urls_are_djangos_and_follow_a_changed_static_url():
    for name in ("uswds/css/uswds.min.css", "secoop/secoop.css", "a b/ü.css"):
        assert staticfiles_storage.url(name) == StaticFilesStorage().url(name)
        assert staticfiles_storage.url(name) == StaticFilesStorage().url(name)  # kept, the same
    with override_settings(STATIC_URL="/assets/"):
        assert staticfiles_storage.url("secoop/secoop.css") == "/assets/secoop/secoop.css"
    assert staticfiles_storage.url("secoop/secoop.css") == "/static/secoop/secoop.css"


def test_the_password_form_asks_the_validators_for_their_help_once_a_page(login, monkeypatch):
    calls = []
    original = password_validation.password_validators_help_texts

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(password_validation, "password_validators_help_texts", counted)
    html = login("sco.bandaria").get("/account/password/").content.decode()
    assert len(calls) == 1
    for text in original():
        assert str(text).replace("’", "&#x27;") in html or str(text) in html
    assert 'aria-describedby="id_new_password1_helptext"' in html


def test_serializer_fields_are_built_once_a_class_and_related_choices_stay_each_users(
    users, rf, monkeypatch
):
    """Issue 15: a ModelSerializer's fields are worked out from the model once per class, not
    on every request; the related records a writer may name are still limited through the door
    for each requesting user, whoever asked first (R-SEC-01..03)."""
    from rest_framework import serializers

    from secoop.core.api import DocumentSerializer

    built = []
    original = serializers.ModelSerializer.get_fields
    monkeypatch.setattr(
        serializers.ModelSerializer,
        "get_fields",
        lambda self: built.append(type(self)) or original(self),
    )
    monkeypatch.delattr(DocumentSerializer, "_fields_built_once", raising=False)

    def owners_offered(username):
        request = rf.get("/api/v1/documents/")
        request.user = users[username]
        field = DocumentSerializer(context={"request": request}).fields["owner_org"]
        return field, set(field.queryset.values_list("pk", flat=True))

    partner_field, partner = owners_offered("partner.bandaria")
    sco_field, sco = owners_offered("sco.bandaria")
    _, partner_again = owners_offered("partner.bandaria")
    assert built == [DocumentSerializer]
    assert sco_field is not partner_field and sco_field.queryset is not partner_field.queryset
    seen_by_partner = Organization.objects.visible_to(users["partner.bandaria"])
    assert partner == partner_again == set(seen_by_partner.values_list("pk", flat=True))
    assert (
        partner
        < sco
        == set(Organization.objects.visible_to(users["sco.bandaria"]).values_list("pk", flat=True))
    )


def test_a_lists_country_filter_is_read_in_one_plain_query_with_the_choice_kept(login, monkeypatch):
    """Issue 15: the filter's 250 countries were read through a server-side cursor on
    PostgreSQL (Django's chunked cursor: DECLARE, FETCH, CLOSE) and written with format_html
    option by option; now one plain query, each option escaped, the chosen country selected."""
    from secoop.core.models import Country

    client = login("ccmd.planner")
    client.get("/assessment/indicators/?country=XBN")
    chunked = []
    monkeypatch.setattr(
        connection, "chunked_cursor", lambda: chunked.append(1) or connection.cursor()
    )
    queries = _queries(client, "/assessment/indicators/?country=XBN")
    assert not chunked
    every_country = [q for q in queries if 'FROM "core_country"' in q and "WHERE" not in q]
    assert len(every_country) == 1
    html = client.get("/assessment/indicators/?country=XBN").content.decode()
    select = html.split('name="country"')[1].split("</select>")[0]
    assert select.count("<option") == Country.objects.count() + 1
    assert '<option value="">Any country</option>' in select
    assert '<option value="XBN" selected>Bandaria</option>' in select
    assert select.count(" selected") == 1
