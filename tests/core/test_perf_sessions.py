"""Issue 15, decision 0054: a signed-in request reads its session and its user in one query
(core/sessions.py: the session row holds the user's id and is read joined to the user), and every
check of Django's `get_user` still holds on the row read that way."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from secoop.core.models import User
from secoop.core.models import WebSession
from tests.core.test_auth import PASSWORD
from tests.core.test_auth import consented_client
from tests.core.test_auth import sign_in

pytestmark = pytest.mark.django_db

OURS = "secoop.core.middleware.SessionUserAuthenticationMiddleware"
DJANGOS = "django.contrib.auth.middleware.AuthenticationMiddleware"
NEW_PASSWORD = "Changed-Passw0rd-2026!"


def _queries(client: Client, url: str) -> list[str]:
    client.get(url)  # the first caches the access profile (0028) and renews the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _reads_of(table: str, queries: list[str]) -> list[str]:
    return [sql for sql in queries if f'FROM "{table}"' in sql]


def _is_signed_in(client: Client) -> bool:
    response = client.get(reverse("my-account"))
    assert response.status_code == 302
    return not response["Location"].startswith(reverse("login"))


def test_a_signed_in_request_that_needs_only_its_user_costs_one_query(
    login, django_assert_num_queries
):
    client = login("sco.bandaria")
    client.get(reverse("my-account"))  # the first renews the session (IdleSessionMiddleware)
    with django_assert_num_queries(1) as ctx:
        response = client.get(reverse("my-account"))
    assert response["Location"] == reverse("person-detail", args=[client.session["_auth_user_id"]])
    sql = ctx.captured_queries[0]["sql"]
    assert f'FROM "{WebSession._meta.db_table}"' in sql and f'JOIN "{User._meta.db_table}"' in sql


@pytest.mark.parametrize("url", ["/api/v1/users/me/", "/countries/AFG/"])
def test_a_signed_in_page_or_api_request_costs_one_query_less_than_session_then_user(
    url, settings, login
):
    ours = _queries(login("sco.bandaria"), url)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.MIDDLEWARE = [DJANGOS if m == OURS else m for m in settings.MIDDLEWARE]
    djangos = _queries(login("sco.bandaria"), url)
    assert len(ours) == len(djangos) - 1
    assert len(_reads_of(WebSession._meta.db_table, ours)) == 1
    assert not _reads_of("django_session", ours)
    # Django's way: the session row, then the user row by its id, before the view's own queries.
    assert _reads_of("django_session", djangos) == djangos[:1]
    assert f'FROM "{User._meta.db_table}"' in djangos[1]


def test_logon_rotates_the_session_key_and_the_row_names_the_user_until_logoff(users):
    client = consented_client()
    before = client.cookies["sessionid"].value
    assert WebSession.objects.get(session_key=before).user is None  # the banner, not signed in
    sign_in(client, "sco.bandaria")
    after = client.cookies["sessionid"].value
    assert after != before and not WebSession.objects.filter(session_key=before).exists()
    assert WebSession.objects.get(session_key=after).user == users["sco.bandaria"]
    assert _is_signed_in(client)
    client.post(reverse("logout"))
    assert not WebSession.objects.filter(session_key=after).exists()
    assert not _is_signed_in(client)


def test_a_changed_password_signs_the_other_sessions_out(users):
    here, elsewhere = consented_client(), consented_client()
    sign_in(here, "sco.bandaria")
    sign_in(elsewhere, "sco.bandaria")
    other_key = elsewhere.cookies["sessionid"].value
    response = here.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("my-account")
    assert _is_signed_in(here)  # the session that changed it carries the new hash
    assert not _is_signed_in(elsewhere)
    assert not WebSession.objects.filter(session_key=other_key).exists()  # flushed
    assert elsewhere.get("/api/v1/users/me/").status_code in (401, 403)


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False, "disabled_reason": "Not used for 35 days (R-SEC-05)"},
        {"locked_at": dt.datetime(2026, 12, 1, tzinfo=dt.UTC)},  # R-SEC-07
    ],
    ids=["disabled", "locked"],
)
def test_a_disabled_or_locked_accounts_session_is_refused(login, change):
    client = login("case.manager")
    assert _is_signed_in(client)
    User.objects.filter(username="case.manager").update(**change)
    assert not _is_signed_in(client)
    assert client.get("/api/v1/users/me/").status_code in (401, 403)


def test_a_session_of_a_backend_no_longer_configured_is_not_signed_in(login, settings):
    client = login("sco.bandaria")
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    assert not _is_signed_in(client)


def test_an_expired_session_is_not_read(login):
    client = login("sco.bandaria")
    WebSession.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert not _is_signed_in(client)


def test_a_session_signed_under_a_retired_secret_key_is_kept_under_a_new_key(login, settings):
    client = login("sco.bandaria")
    old_key = client.session.session_key
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert _is_signed_in(client)
    assert client.cookies["sessionid"].value != old_key
    assert not WebSession.objects.filter(session_key=old_key).exists()


def test_the_session_data_not_the_column_says_who_is_signed_in(login, users):
    """The column is written from the signed session data; a row whose column names someone else
    (written by hand) is answered by the backend for the user the data names."""
    client = login("sco.bandaria")
    WebSession.objects.filter(session_key=client.session.session_key).update(user=users["admin"])
    response = client.get("/api/v1/users/me/")
    assert response.status_code == 200 and response.json()["username"] == "sco.bandaria"
