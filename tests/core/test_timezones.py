"""Issue 11 §5: dates were computed in UTC, so deadlines flipped a day early or late for INDOPACOM.
Each organization has a time zone; "today" and due dates use the acting or viewing user's
organization's zone (core.clock.today_for), and every app's today() helper asks it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from secoop.cases import actions as case_actions
from secoop.core import actions
from secoop.core import clock
from secoop.core.markings import Marking
from secoop.core.models import Organization
from secoop.core.models import OrganizationKind
from secoop.core.models import User
from secoop.core.rules import Role
from secoop.planning import actions as planning_actions
from secoop.training import actions as training_actions

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _org(
    short: str,
    *,
    parent: Organization | None,
    country: str | None = None,
    ccmd: str = "",
    zone: str = "",
) -> Organization:
    org = Organization(
        name=short,
        short_name=short,
        kind=OrganizationKind.SCO if country else OrganizationKind.CCMD,
        parent=parent,
        country_id=country,
        ccmd=ccmd,
        time_zone=zone,
    )
    org.marking = Marking.parse("UNCLASSIFIED")
    return actions.system_create(org, reason="time-zone test")


def _member(username: str, org: Organization) -> User:
    user = User.objects.create(username=username, audience="USG", citizenship_id="USA")
    actions.grant_membership(None, user, org, Role.SCO_OFFICER)
    return User.objects.get(pk=user.pk)


def _indopacom() -> Organization:
    return Organization.objects.system().get(short_name="INDOPACOM", kind=OrganizationKind.CCMD)


def test_a_user_in_an_indopacom_organization_at_2330_utc_sees_the_next_day():
    sco = _org("SCO Philippines", parent=_indopacom(), country="PHL")
    assert sco.time_zone == "Asia/Manila"  # from its country
    user = _member("sco.philippines", sco)
    with time_machine.travel(dt.datetime(2026, 12, 2, 23, 30, tzinfo=UTC), tick=False):
        assert clock.today_for(user) == dt.date(2026, 12, 3)
        assert case_actions.today(user) == dt.date(2026, 12, 3)
        assert training_actions._today(user) == dt.date(2026, 12, 3)
        assert planning_actions.today(user) == dt.date(2026, 12, 3)


def test_the_indopacom_headquarters_in_hawaii_at_0930_utc_is_still_on_the_day_before():
    hq = _indopacom()
    assert hq.time_zone == "Pacific/Honolulu"  # its headquarters, Camp H. M. Smith
    user = _member("indopacom.j5", hq)
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 30, tzinfo=UTC), tick=False):
        assert clock.today_for(user) == dt.date(2026, 12, 2)
        assert case_actions.today(user) == dt.date(2026, 12, 2)


def test_an_action_dates_what_it_records_in_the_acting_users_zone():
    sco = _org("SCO Japan", parent=_indopacom(), country="JPN")
    user = _member("sco.japan", sco)
    with time_machine.travel(dt.datetime(2026, 3, 31, 22, 0, tzinfo=UTC), tick=False):
        # 07:00 on 1 April in Tokyo: a fiscal-year or month boundary falls on the local date.
        assert case_actions.today(user) == dt.date(2026, 4, 1)
        assert case_actions.today() == dt.date(2026, 3, 31)  # no user: the server's date


def test_a_default_action_date_never_falls_a_zone_behind_the_step_before_it(users):
    # 22:00 UTC: 1 a.m. on 3 December in Nairobi (the partner's LOR is received that day),
    # still 2 December in New York (USASAC validates "today").
    manager = users["case.manager"]
    with time_machine.travel(dt.datetime(2026, 12, 2, 22, 0, tzinfo=UTC), tick=False):
        assert clock.today_for(manager) == dt.date(2026, 12, 2)
        received = dt.date(2026, 12, 3)
        assert clock.action_day(manager, None, received) == received
        # A date the user gives is kept (the rule refuses it); a step further ahead is no zone skew.
        assert clock.action_day(manager, dt.date(2026, 12, 1), received) == dt.date(2026, 12, 1)
        assert clock.action_day(manager, None, dt.date(2026, 12, 5)) == dt.date(2026, 12, 2)
        assert clock.action_day(manager, None, dt.date(2026, 11, 30)) == dt.date(2026, 12, 2)


def test_an_organization_without_a_zone_takes_its_country_then_command_then_parent_then_utc():
    assert _org("SCO Kenya", parent=None, country="KEN").time_zone == "Africa/Nairobi"
    assert _org("EUCOM test", parent=None, ccmd="EUCOM").time_zone == "Europe/Berlin"
    parent = _org("Parent in Manila", parent=None, zone="Asia/Manila")
    assert _org("Child office", parent=parent).time_zone == "Asia/Manila"
    assert _org("Nowhere", parent=None).time_zone == "UTC"
    assert clock.zone_name_for(User(username="anonymous")) == "UTC"


def test_a_time_zone_that_does_not_exist_is_refused_with_what_to_write():
    org = Organization(
        name="x", short_name="x", kind=OrganizationKind.SCO, time_zone="Asia/Atlantis"
    )
    org.marking = Marking.parse("UNCLASSIFIED")
    with pytest.raises(ValidationError, match="use an IANA name such as Asia/Manila"):
        org.full_clean(exclude=["parent", "tree_path"])


def test_demo_organizations_have_sensible_zones():
    zones = dict(Organization.objects.system().values_list("short_name", "time_zone"))
    assert zones["SCO Bandaria"] == "Africa/Nairobi"
    assert zones["DSCA"] == "America/New_York"  # inherits the Department of Defense's
    assert zones["AFRICOM"] == "Europe/Berlin"
