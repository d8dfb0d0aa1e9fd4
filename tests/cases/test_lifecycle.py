"""The LOA's milestones a user may take now (ARCHITECTURE invariant 10): the table, the roles of
the milestone action and the user's organization decide together; the page and the API show the
same list, and a lapsed offer may be reactivated."""

from __future__ import annotations

import datetime as dt

import pytest

from secoop.cases import actions

from .builders import new_case
from .builders import offered
from .conftest import person

pytestmark = pytest.mark.django_db

D = dt.date


def test_milestones_now_follow_the_table_the_roles_and_the_organization(on_demo_day):
    case = new_case()
    assert actions.milestones_now(person("case.manager"), case, D(2026, 3, 9)) == [
        "write",
        "cancel",
    ]
    assert actions.milestones_now(person("navy.case.manager"), case, D(2026, 3, 9)) == []
    assert actions.milestones_now(person("sco.bandaria"), case, D(2026, 3, 9)) == []

    case = offered(case)
    assert actions.milestones_now(person("partner.bandaria"), case, D(2026, 4, 6)) == [
        "accept",
        "reject",
    ]
    # the implementing agency records acceptance on the purchaser's behalf, and may cancel
    assert actions.milestones_now(person("case.manager"), case, D(2026, 4, 6)) == [
        "accept",
        "reject",
        "cancel",
    ]
    lapsed = case.oed + dt.timedelta(days=1)
    assert "reactivate" in actions.milestones_now(person("case.manager"), case, lapsed)


def test_the_case_api_and_page_offer_the_same_milestones(api, login, on_demo_day):
    case = offered(new_case())
    body = api("partner.bandaria").get(f"/api/v1/cases/cases/{case.pk}/").json()
    assert body["actions_now"] == ["accept", "reject"]
    listed = api("partner.bandaria").get("/api/v1/cases/cases/").json()
    assert all(row["actions_now"] is None for row in listed["results"])
    page = login("partner.bandaria").get(case.get_absolute_url()).content.decode()
    assert "Record acceptance" in page and "Mark written" not in page
