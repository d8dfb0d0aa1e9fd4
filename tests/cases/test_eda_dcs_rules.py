"""Pure rules of EDA offers and DCS license requests (issue 13 item 11; EO 14268): no database.
The thresholds are arguments here, as facts.py passes them from dated ReferenceFact rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from secoop.cases import rules

pytestmark = pytest.mark.one_database
D = dt.date
M = Decimal(1_000_000)
STANDARD = rules.DcsThresholds(14 * M, 50 * M, 30)
NATO5 = rules.DcsThresholds(25 * M, 100 * M, 15)


def dcs(license_type="dsp5", value=0, mde=0, firearms=False, sme=False, nato5=False):
    return rules.dcs_notification(
        license_type, Decimal(value), Decimal(mde), firearms, sme, nato5, STANDARD, NATO5, 1 * M
    )


def test_spec_11_eda_notification_by_original_acquisition_value_grant_or_sale():
    n = rules.eda_notification(7 * M, 7 * M, 30)
    assert (n.required, n.days) == (True, 30)
    assert "original acquisition value" in n.reasons[0]
    assert not rules.eda_notification(7 * M - 1, 7 * M, 30).required


def test_spec_11_eda_transfer_waits_the_period_and_names_the_day():
    n = rules.eda_notification(8 * M, 7 * M, 30)
    missing = rules.statutory_wait_problem(
        "SPEC-11-EDA-notification", n, None, D(2026, 11, 1), "transfer", "transferred_on"
    )
    assert missing.field == "notified_on"
    early = rules.statutory_wait_problem(
        "SPEC-11-EDA-notification", n, D(2026, 10, 1), D(2026, 10, 31), "transfer", "transferred_on"
    )
    assert "may happen on 1 Nov 2026" in early.message
    assert (
        rules.statutory_wait_problem(
            "SPEC-11-EDA-notification", n, D(2026, 10, 1), D(2026, 11, 1), "transfer", "x"
        )
        is None
    )
    small = rules.eda_notification(M, 7 * M, 30)
    assert rules.statutory_wait_problem("R", small, None, D(2026, 1, 1), "transfer", "x") is None


def test_r_eda_01_aeca_sells_only_current_value_not_above_original_as_is_where_is():
    ok = ("faa516", "grant", 8 * M, M, True)
    assert rules.eda_offer_problem(*ok) is None
    assert rules.eda_offer_problem("aeca", "grant", 8 * M, M, True).field == "terms"
    assert rules.eda_offer_problem("aeca", "sale", 8 * M, M, True) is None
    assert rules.eda_offer_problem("faa516", "sale", M, 2 * M, True).field == "current_value"
    assert rules.eda_offer_problem("faa516", "grant", 8 * M, M, False).field == "as_is_where_is"


def test_r_eda_01_lifecycle_offer_accept_transfer_and_no_transfer_before_acceptance():
    assert rules.EDA.target("offer") == "offered"
    assert rules.lifecycle_problem(rules.EDA, "R-EDA-01", "transfer", "offered").rule == "R-EDA-01"
    assert rules.lifecycle_problem(rules.EDA, "R-EDA-01", "transfer", "accepted") is None
    assert not rules.EDA.available("transferred")
    assert rules.eda_date_problem("accept", D(2026, 1, 1), D(2026, 2, 1)).field == "accepted_on"


def test_r_dcs_02_36c_thresholds_standard_and_nato_plus_5():
    assert dcs(value=50 * M).required
    assert dcs(value=20 * M, mde=14 * M).days == 30
    assert not dcs(value=49 * M, mde=13 * M).required
    n = dcs(value=60 * M, nato5=True)
    assert not n.required, "NATO+5: $100M for articles and services"
    n = dcs(value=100 * M, nato5=True)
    assert (n.required, n.days, n.nato_plus_5) == (True, 15, True)


def test_r_dcs_02_category_i_firearms_and_36d_manufacture_abroad():
    assert dcs(value=M, firearms=True).required
    assert not dcs(value=M - 1, firearms=True).required
    n = dcs("taa", value=1, sme=True)
    assert n.required and "§36(d)" in n.reasons[0]
    assert not dcs("dsp5", value=1, sme=True).required, "§36(d) reaches agreements only"


def test_r_dcs_01_request_checks():
    ok = ("dsp5", Decimal(10), Decimal(0), False, False, "", True)
    assert rules.dcs_request_problem(*ok) is None
    assert rules.dcs_request_problem("dsp5", 10, 0, False, False, "", False).field == "company"
    assert rules.dcs_request_problem("dsp5", 10, 11, False, False, "", True).field == "mde_value"
    assert (
        rules.dcs_request_problem("dsp5", 10, 0, True, False, "", True).field
        == "manufacture_abroad_sme"
    )
    assert rules.dcs_request_problem("mla", 10, 0, True, False, "", True) is None
    assert rules.dcs_request_problem("dsp5", 10, 0, False, True, "", True).field == "relation"
    assert (
        rules.dcs_request_problem("dsp5", 10, 0, False, False, "competes", True).field == "fms_case"
    )


def test_r_dcs_01_denial_and_return_carry_the_reason_provisos_only_on_approval():
    assert rules.dcs_decision_problem("approve", "", "No re-export.") is None
    assert rules.dcs_decision_problem("deny", " ", "").field == "decision_note"
    assert rules.dcs_decision_problem("return", "Incomplete DSP-83.", "") is None
    assert rules.dcs_decision_problem("deny", "Policy.", "Some proviso").field == "provisos"


def test_r_dcs_01_lifecycle_and_dates_in_order():
    assert rules.DCS.problem("approve", "submitted"), "DDTC decides what it received"
    assert rules.DCS.target("return") == "rwa"
    assert rules.dcs_date_problem("receive", D(2026, 1, 1), D(2026, 1, 2), None).field == (
        "received_on"
    )
    assert (
        rules.dcs_date_problem("approve", D(2026, 1, 3), D(2026, 1, 1), D(2026, 1, 4)).field
        == "decided_on"
    )
    assert rules.dcs_date_problem("approve", D(2026, 1, 4), D(2026, 1, 1), D(2026, 1, 4)) is None


def test_r_dcs_03_days_in_review_against_the_goal_except_notification_cases():
    assert rules.dcs_days_in_review(None, None, D(2026, 1, 1)) is None
    assert rules.dcs_days_in_review(D(2026, 1, 1), D(2026, 3, 2), D(2026, 12, 1)) == 60
    assert rules.dcs_days_in_review(D(2026, 1, 1), None, D(2026, 1, 11)) == 10
    assert rules.dcs_late(61, 60, False) is True
    assert rules.dcs_late(60, 60, False) is False
    assert rules.dcs_late(90, 60, True) is None, "a notification case is an exception"
    assert rules.dcs_late(90, None, False) is None, "no goal on record: show the figure only"


def test_r_dcs_03_review_summary_median_and_goal_except_notification_cases():
    row = rules.DcsReviewRow
    rows = [
        row(D(2026, 1, 1), D(2026, 1, 31), False, 60),  # 30 days, within
        row(D(2026, 1, 1), D(2026, 3, 12), False, 60),  # 70 days, past
        row(D(2026, 1, 1), D(2026, 4, 1), True, 60),  # 90 days, a notification case: an exception
        row(D(2026, 2, 1), None, False, 60),  # open
        row(None, None, False, None),  # being prepared: not counted
    ]
    s = rules.dcs_review_summary(rows)
    assert (s.decided, s.open, s.median_days) == (3, 1, 70)
    assert (s.within_goal, s.past_goal, s.exempt) == (1, 1, 1)
    assert rules.dcs_review_summary([]).median_days is None
    no_goal = rules.dcs_review_summary([dataclasses.replace(r, goal_days=None) for r in rows[:2]])
    assert (no_goal.median_days, no_goal.within_goal, no_goal.past_goal) == (50, 0, 0)
