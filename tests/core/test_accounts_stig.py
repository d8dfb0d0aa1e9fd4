"""Issue 10 item 9: accounts and sessions against the DISA Application Security and Development
STIG — password rules (V-222536..V-222540, V-222546), API tokens that end when idle and can be
revoked, the consent banner at the token endpoint, a lockout message that does not confirm an
account, a lockout that counts under concurrency, and a Content-Security-Policy with no inline
script (V-222602)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from secoop.core import actions
from secoop.core.auth import REFUSED
from secoop.core.auth import LogonRefused
from secoop.core.auth import check_logon
from secoop.core.demo import DEMO_PASSWORD
from secoop.core.models import ApiToken
from secoop.core.models import AuditEvent
from secoop.core.models import Document
from secoop.core.models import User
from tests.conftest import user_named

pytestmark = pytest.mark.django_db
GOOD = "Quiet-Harbor-2031!"


def _messages(password, user=None) -> str:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _token(username="sco.bandaria", client=None) -> str:
    client = client or APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


# --- passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("Short-1a!", "at least 15 characters"),  # V-222536
        ("quiet-harbor-2031!", "an upper-case letter (A-Z)"),  # V-222537
        ("QUIET-HARBOR-2031!", "a lower-case letter (a-z)"),  # V-222538
        ("Quiet-Harbor-Two!", "a digit (0-9)"),  # V-222539
        ("QuietHarbor20311", "a special character"),  # V-222540
    ],
)
def test_item9_password_complexity_length_upper_lower_digit_special(users, password, says):
    assert says in _messages(password, users["sco.bandaria"])
    assert _messages(GOOD, users["sco.bandaria"]) == ""


def test_item9_password_must_not_contain_the_username(users):
    assert "must not contain your username (state.pm)" in _messages(
        "My-State.PM-pass-2031", users["state.pm"]
    )


def test_item9_password_none_of_the_last_five_again(users):
    user = users["case.manager"]
    history = [f"Quiet-Harbor-20{n:02d}!" for n in range(30, 36)]  # six passwords, oldest first
    for password in history:
        assert _messages(password, user) == "", password
        user.set_password(password)
        user.save()
    user = User.objects.get(pk=user.pk)
    for recent in history[-5:]:  # the current one and the four before it
        assert "one of your last 5" in _messages(recent, user), recent
    assert _messages(history[0], user) == ""  # the sixth back may be used again
    assert len(user.password_history) == 5


def test_item9_every_password_setting_form_applies_the_rules(users):
    user = users["dsca.analyst"]
    for form in (
        AdminPasswordChangeForm(
            user, {"password1": "quiet-harbor-2031!", "password2": "quiet-harbor-2031!"}
        ),
        SetPasswordForm(
            user, {"new_password1": "quiet-harbor-2031!", "new_password2": "quiet-harbor-2031!"}
        ),
    ):
        assert not form.is_valid()
        assert "an upper-case letter" in str(form.errors)


def test_item9_demo_password_meets_every_password_rule_and_signs_in():
    """The demo's shared password is one a new account could choose: it passes every rule."""
    assert check_logon("sco.bandaria", DEMO_PASSWORD).username == "sco.bandaria"
    assert _messages(DEMO_PASSWORD, User(username="new.officer")) == ""


# --- API tokens ----------------------------------------------------------------------------------


def test_item9_api_token_ends_after_15_idle_minutes(settings):
    assert settings.API_TOKEN_IDLE_MINUTES == 15
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token(client=client)}")
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert client.get("/api/v1/users/me/").status_code == 200  # use renews it
    with time_machine.travel(start + dt.timedelta(minutes=28), tick=False):
        assert client.get("/api/v1/users/me/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=44), tick=False):
        response = client.get("/api/v1/users/me/")
    assert response.status_code == 401
    assert (
        response.json()["detail"]
        == "Token ended after 15 idle minutes. Request a new one at /api/v1/auth/token/."
    )


def test_item9_token_last_use_is_written_at_most_once_a_minute():
    client = APIClient()
    key = _token(client=client)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/users/me/")
    token = ApiToken.objects.get(digest=ApiToken.digest_of(key))
    assert token.last_used_at == start
    with (
        time_machine.travel(start + dt.timedelta(seconds=30), tick=False),
        CaptureQueriesContext(connection) as seen,
    ):
        client.get("/api/v1/users/me/")
    assert not [
        q for q in seen.captured_queries if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"]
    ]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        client.get("/api/v1/users/me/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start + dt.timedelta(seconds=61)


def test_item9_user_sees_and_revokes_their_tokens_through_the_api():
    client = APIClient()
    key = _token(client=client)
    other = _token("state.pm")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = client.get("/api/v1/auth/tokens/").json()["results"]
    mine = [t for t in listed if t["prefix"] == key[:8]]
    assert len(mine) == 1 and mine[0]["state"] == "active" and mine[0]["current"] is True
    assert other[:8] not in [t["prefix"] for t in listed]  # only one's own
    second = _token()
    second_id = ApiToken.objects.get(digest=ApiToken.digest_of(second)).pk
    revoked = client.post(f"/api/v1/auth/tokens/{second_id}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Token {second}").get("/api/v1/users/me/").status_code == 401
    )
    assert AuditEvent.objects.filter(kind="token_revoked", user__username="sco.bandaria").exists()
    # Logging off through the API revokes the token the request came with.
    assert client.post("/api/v1/auth/tokens/revoke-current/").status_code == 200
    assert client.get("/api/v1/users/me/").status_code == 401


def test_item9_user_sees_and_revokes_their_tokens_on_their_account_page(login):
    key = _token()
    page = login("sco.bandaria")
    listing = page.get(reverse("my-tokens"))
    assert listing.status_code == 200 and f"{key[:8]}…" in listing.content.decode()
    token = ApiToken.objects.get(digest=ApiToken.digest_of(key))
    assert page.post(reverse("my-token-revoke", args=[token.pk])).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    # Nobody revokes another's token.
    theirs = ApiToken.objects.get(digest=ApiToken.digest_of(_token("state.pm")))
    assert page.post(reverse("my-token-revoke", args=[theirs.pk])).status_code == 404


def test_item9_logging_off_revokes_the_tokens_created_in_that_session(login):
    web = login("sco.bandaria")
    made = web.post(reverse("my-tokens"))
    key = made.context["new_key"]
    elsewhere = _token()  # made outside this session: survives the logoff
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/users/me/").status_code == 200
    web.post(reverse("logout"))
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/users/me/").status_code == 401
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Token {elsewhere}").get("/api/v1/users/me/").status_code
        == 200
    )


# --- consent banner at the token endpoint --------------------------------------------------------


def test_item9_token_endpoint_states_the_consent_banner_terms(settings, api):
    shown = APIClient().get("/api/v1/auth/token/")
    assert (
        shown.status_code == 200 and shown.json()["consent_banner"] == settings.CONSENT_BANNER_TEXT
    )
    granted = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "sco.bandaria", "password": DEMO_PASSWORD},
        format="json",
    )
    assert granted.json()["consent_banner"].startswith(
        "You are accessing a U.S. Government (USG) Information System"
    )
    refused = APIClient().post(
        "/api/v1/auth/token/", {"username": "sco.bandaria", "password": "no"}, format="json"
    )
    assert refused.json()["consent_banner"] == settings.CONSENT_BANNER_TEXT
    schema = api("sco.bandaria").get("/api/schema/", {"format": "json"}).json()
    post = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert "Notice and Consent Banner" in post["description"]
    assert "consent_banner" in schema["components"]["schemas"]["TokenResponse"]["properties"]


# --- lockout ---------------------------------------------------------------------------------------


def _refusal(username, password) -> str:
    try:
        check_logon(username, password)
    except LogonRefused as exc:
        return str(exc)
    raise AssertionError("signed in")


def test_item9_lockout_message_does_not_confirm_that_an_account_exists(users):
    unknown = [_refusal("no.such.user", f"bad-{n}") for n in range(4)]
    known = [_refusal("case.manager", f"bad-{n}") for n in range(3)]
    assert User.objects.get(username="case.manager").locked_at is not None
    known.append(_refusal("case.manager", DEMO_PASSWORD))  # locked: even the right password
    expected = REFUSED.format(n=3, m=15)
    assert set(unknown) == set(known) == {expected}
    web = Client()
    web.post(reverse("login"), {"consent": "agree"})
    a = web.post(
        reverse("login"), {"username": "case.manager", "password": DEMO_PASSWORD}
    ).content.decode()
    b = web.post(
        reverse("login"), {"username": "no.such.user", "password": DEMO_PASSWORD}
    ).content.decode()
    assert expected in a and expected in b


def test_item9_three_concurrent_wrong_guesses_lock_exactly_at_three(users):
    """Each failed attempt locks the user's row before it counts, so attempts that arrive together
    are counted one after another: the third locks, whatever the interleaving. The lock is the
    first statement of the attempt's transaction (an UPDATE: a row lock on PostgreSQL, the write
    lock on SQLite), before the attempt is recorded and the recent attempts are counted."""
    user = users["dsca.analyst"]
    with CaptureQueriesContext(connection) as seen:
        assert actions.record_logon(user, user.username, succeeded=False) is False
    sql = [
        q["sql"]
        for q in seen.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))
    ]
    lock = next(i for i, q in enumerate(sql) if q.startswith("UPDATE") and "core_user" in q)
    record = next(i for i, q in enumerate(sql) if q.startswith("INSERT") and "logonattempt" in q)
    count = next(i for i, q in enumerate(sql) if q.startswith("SELECT") and "logonattempt" in q)
    assert lock < record < count
    assert actions.record_logon(user, user.username, succeeded=False) is False
    assert actions.record_logon(user, user.username, succeeded=False) is True
    assert actions.record_logon(user, user.username, succeeded=False) is False  # already locked
    assert AuditEvent.objects.filter(kind="lockout", user=user).count() == 1


def test_item9_a_right_password_racing_a_lockout_does_not_sign_in(users):
    """A logon whose password check passed while concurrent failures locked the account is refused."""
    user = users["state.pm"]
    stale = User.objects.get(pk=user.pk)  # read before the lockout, as a concurrent request would
    for _ in range(3):
        actions.record_logon(user, user.username, succeeded=False)
    logons = AuditEvent.objects.filter(kind="logon", user=user).count()
    assert actions.record_logon(stale, stale.username, succeeded=True) is True
    assert AuditEvent.objects.filter(kind="logon", user=user).count() == logons


# --- Content-Security-Policy -----------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_item9_content_security_policy_header_without_inline_script(settings, login):
    assert settings.DEBUG is False and settings.CSP_ENABLED is True
    client = login("sco.bandaria")
    doc = Document.objects.visible_to(user_named("sco.bandaria")).first()
    pages = [
        reverse("home"),
        reverse("organizations"),
        reverse("documents"),
        reverse("document-detail", args=[doc.pk]),
        reverse("document-create"),
        reverse("people"),
        reverse("changes"),
        reverse("notifications"),
        reverse("my-tokens"),
        "/planning/",
        "/cases/",
        "/training/",
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline <script> on {url}"
        assert not INLINE_HANDLER.search(html), f"inline event handler on {url}"
    for url in ("/api/docs/", "/api/redoc/"):
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html), url
        assert "fonts.googleapis.com" not in html
    anonymous = Client().get(reverse("login"))
    assert "Content-Security-Policy" in anonymous and not INLINE_SCRIPT.search(
        anonymous.content.decode()
    )


def test_item9_password_change_page_applies_the_rules_and_keeps_the_history(login):
    client = login("state.pm")
    url = reverse("password-change")
    weak = client.post(
        url,
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "quiet-harbor-2031!",
            "new_password2": "quiet-harbor-2031!",
        },
    )
    assert weak.status_code == 200 and "an upper-case letter" in weak.content.decode()
    done = client.post(
        url, {"old_password": DEMO_PASSWORD, "new_password1": GOOD, "new_password2": GOOD}
    )
    assert done.status_code == 302
    again = client.post(
        url,
        {
            "old_password": GOOD,
            "new_password1": DEMO_PASSWORD + "X1",
            "new_password2": DEMO_PASSWORD + "X1",
        },
    )
    assert again.status_code == 302
    reuse = client.post(
        url, {"old_password": DEMO_PASSWORD + "X1", "new_password1": GOOD, "new_password2": GOOD}
    )
    assert "one of your last 5" in reuse.content.decode()
    assert AuditEvent.objects.filter(kind="account_change", user__username="state.pm").count() == 2
