"""The admin writes through the actions (issue 11 §3): re-enabling an account is enable_account
(R-SEC-05: a reason, the audit log, a fresh inactivity clock, so the nightly job leaves it alone),
and an action's refusal comes back as a message on the form with nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from secoop.core import actions
from secoop.core.models import AuditEvent
from secoop.core.models import Membership
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.rules import Role

from .test_admin_separation import admin_post_data

pytestmark = pytest.mark.django_db


def disabled(username: str) -> User:
    """A demo account the nightly job disabled: unused for longer than the inactivity period."""
    long_ago = timezone.now() - dt.timedelta(days=400)
    User.objects.filter(username=username).update(
        last_login=long_ago, date_joined=long_ago - dt.timedelta(days=1)
    )
    assert username in actions.disable_inactive_accounts()
    return User.objects.get(username=username)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_re_enabling_in_the_admin_is_enable_account_and_outlives_the_nightly_job(login):
    subject = disabled("dsca.analyst")
    client = login("admin")
    url = reverse("admin:core_user_change", args=[subject.pk])
    data = admin_post_data(client.get(url))
    data.update(is_active="on", reason="Back from deployment; supervisor confirmed by phone")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    subject.refresh_from_db()
    assert subject.is_active and subject.disabled_reason == ""
    assert AuditEvent.objects.filter(
        user=subject, actor__username="admin", detail__startswith="re-enabled: Back from deployment"
    ).exists()
    assert "dsca.analyst" not in actions.disable_inactive_accounts()


def test_re_enabling_in_the_admin_without_a_reason_saves_nothing_and_says_why(login):
    subject = disabled("dsca.analyst")
    client = login("admin")
    url = reverse("admin:core_user_change", args=[subject.pk])
    data = admin_post_data(client.get(url))
    data.update(is_active="on", title="Renamed while re-enabling")
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == url
    assert any("say why the account is re-enabled" in m for m in messages_of(response))
    subject.refresh_from_db()
    assert not subject.is_active and subject.title != "Renamed while re-enabling"


def test_a_membership_the_action_refuses_in_the_admin_is_a_message_not_a_403(login):
    subject = User.objects.get(username="sco.bandaria")  # a U.S. user: no partner organization
    client = login("admin")
    url = reverse("admin:core_user_change", args=[subject.pk])
    data = admin_post_data(client.get(url))
    total = int(data["memberships-TOTAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(total + 1)
    admin = User.objects.get(username="admin")
    partner = Organization.objects.visible_to(admin).filter(kind="partner").order_by("pk").first()
    data[f"memberships-{total}-organization"] = str(partner.pk)
    data[f"memberships-{total}-role"] = Role.VIEWER
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == url
    assert any(m.startswith("Nothing was saved:") for m in messages_of(response))
    assert not Membership.objects.filter(user=subject, organization=partner).exists()
