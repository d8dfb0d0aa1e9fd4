"""'What needs me today' for training: the SCO's students missing vetting, medical, ITO, arrival
notices due or overdue and after-training records; the CCMD planner's CETPPs awaiting review; the
partner's nominees' status — and nothing for those it does not concern."""

from __future__ import annotations

import pytest

from secoop.core.today import items_for
from secoop.training import actions

from .conftest import person, student

pytestmark = pytest.mark.django_db


def training_items(username):
    return dict(items_for(person(username))).get("Training", [])


def test_sco_sees_students_missing_vetting_medical_ito_arrival_after(on_demo_day):
    items = {i.rule: i for i in training_items("sco.bandaria")}
    assert {"R-TRN-06", "R-TRN-05", "R-TRN-08", "R-TRN-09", "R-TRN-10"} <= set(items)
    assert items["R-TRN-09"].severity == "error" and "Ondra" in items["R-TRN-09"].detail
    assert "Halvik" in items["R-TRN-06"].detail and items["R-TRN-06"].url.endswith(
        "?missing=vetting"
    )


def test_ccmd_planner_sees_the_cetpp_awaiting_review(on_demo_day, cetpp):
    items = training_items("ccmd.planner")
    assert [i.rule for i in items] == ["R-TRN-02", "R-TRN-03"] and items[
        0
    ].url == cetpp.get_absolute_url()
    assert "Orsk" in items[1].title
    actions.approve_cetpp(person("ccmd.planner"), cetpp)
    actions.forward_rdfp(person("ccmd.planner"), student("Orsk"))
    assert training_items("ccmd.planner") == []


def test_partner_sees_their_nominees_status_only(on_demo_day):
    items = training_items("partner.bandaria")
    assert items and all(not i.rule for i in items)
    assert any("In screening" in i.title for i in items)
    assert not any("vetting" in (i.title + i.detail).lower() for i in items)


def test_others_see_no_training_items(on_demo_day):
    assert training_items("industry.rep") == []
    assert training_items("case.manager") == []
