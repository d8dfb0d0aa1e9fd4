"""Issue 13 items 6–7 as pure rules (no database): SSC conditions, accelerated (interim, then
final) closure, conditional line closure, CLOSHOLD, and the quarterly DD Form 645 with its
reconciliation. Every figure is an argument here, as the actions read it from its fact row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from secoop.cases import rules
from secoop.cases.rules import ChangeKind
from secoop.cases.rules import SscFacts
from secoop.cases.rules import Status

pytestmark = pytest.mark.one_database

D = dt.date
M = Decimal


def facts(**kw) -> SscFacts:
    base = {
        "open_deliveries": 0,
        "untitled_deliveries": 0,
        "services_complete_on": D(2026, 8, 1),
        "warranties_end_on": None,
        "storage_quantity": 0,
    }
    return SscFacts(**{**base, **kw})


# --- SSC conditions (§11 closure) ------------------------------------------------------------------


def test_ssc_refusal_names_every_unmet_condition():
    found = rules.ssc_conditions_problem(
        facts(
            open_deliveries=1,
            untitled_deliveries=2,
            services_complete_on=D(2026, 10, 1),
            warranties_end_on=D(2027, 1, 31),
            storage_quantity=3,
        ),
        D(2026, 9, 1),
    )
    assert found.rule == "SPEC-11-closure"
    for words in (
        "1 delivery(ies) not yet made",
        "title has not passed on 2",
        "services run until 1 Oct 2026",
        "a warranty runs until 31 Jan 2027",
        "3 item(s) still held in storage",
    ):
        assert words in found.message


def test_ssc_needs_the_services_day_and_the_storage_count_recorded():
    unmet = rules.ssc_unmet(facts(services_complete_on=None, storage_quantity=None), D(2026, 9, 1))
    assert len(unmet) == 2 and "last service" in unmet[0] and "storage" in unmet[1]


def test_ssc_when_delivered_done_warranties_elapsed_and_nothing_stored():
    assert (
        rules.ssc_conditions_problem(facts(warranties_end_on=D(2026, 9, 1)), D(2026, 9, 1)) is None
    )


# --- interim and final closure (accelerated closure) -------------------------------------------------


def test_lifecycle_ssc_interim_then_final_closure_or_final_at_once():
    assert rules.TRANSITIONS["interim"][:2] == ((Status.SSC,), Status.INTERIM)
    assert rules.transition_problem("close", Status.INTERIM) is None
    assert rules.transition_problem("close", Status.SSC) is None
    assert rules.transition_problem("interim", Status.INTERIM) is not None
    assert rules.transition_problem("interim", Status.IMPLEMENTED) is not None


def test_closure_comes_12_months_after_ssc_and_names_the_day():
    due = rules.closure_due(D(2026, 9, 1), D(2026, 8, 1), 12)
    assert due == D(2027, 9, 1)
    found = rules.closure_day_problem("Interim closure", D(2027, 8, 31), due, 12)
    assert found.field == "on" and "not before 1 Sep 2027" in found.message
    assert rules.closure_day_problem("Interim closure", D(2027, 9, 1), due, 12) is None


def test_closure_at_once_when_final_delivery_was_over_12_months_before_ssc():
    due = rules.closure_due(D(2026, 9, 1), D(2025, 8, 1), 12)
    assert due == D(2026, 9, 1)
    assert rules.closure_day_problem("Final closure", D(2026, 9, 1), due, 12) is None


def test_interim_closure_is_dated_between_ssc_and_final_closure():
    found = rules.date_order_problem(
        {"ssc_on": D(2026, 9, 1), "interim_closed_on": D(2027, 9, 1), "closed_on": D(2027, 1, 1)}
    )
    assert (found.rule, found.field) == ("SPEC-5-lifecycle", "closed_on")


def test_final_closure_needs_every_line_closed():
    found = rules.final_closure_problem(["002", "003"])
    assert "002, 003" in found.message and "conditionally" in found.message
    assert rules.final_closure_problem([]) is None


def test_dsca_26_32_a_line_with_active_contracts_closes_only_conditionally():
    ok = (Status.SSC, False, 0)
    assert rules.line_closure_problem(*ok, False, "W56HZV-24-C-0001").field == "active_contracts"
    assert rules.line_closure_problem(*ok, True, " ").field == "active_contracts"
    assert rules.line_closure_problem(*ok, True, "W56HZV-24-C-0001") is None
    assert rules.line_closure_problem(*ok, False, "") is None
    assert "delivery" in rules.line_closure_problem(Status.SSC, False, 1, False, "").message
    assert rules.line_closure_problem(Status.IMPLEMENTED, False, 0, False, "") is not None
    assert rules.line_closure_problem(Status.SSC, True, 0, False, "") is not None
    assert rules.contracts_closed_problem(False, None) is not None
    assert rules.contracts_closed_problem(True, None) is None


def test_certificate_only_once_closed_interim_or_final():
    assert rules.certificate_problem(Status.SSC).rule == "SPEC-11-closure"
    assert rules.certificate_problem(Status.INTERIM) is None
    assert rules.certificate_problem(Status.CLOSED) is None


# --- CLOSHOLD (DSCA 25-89) -----------------------------------------------------------------------------


def test_closhold_blocks_amendments_modifications_and_restatements():
    for kind in (ChangeKind.AMENDMENT, ChangeKind.MODIFICATION, ChangeKind.RESTATEMENT):
        found = rules.closure_change_problem(kind, Status.SSC, True)
        assert found.rule == "SPEC-11-closure" and "CLOSHOLD" in found.message


def test_an_ssc_case_without_the_hold_takes_only_a_modification():
    assert rules.closure_change_problem(ChangeKind.MODIFICATION, Status.SSC, False) is None
    assert rules.closure_change_problem(ChangeKind.AMENDMENT, Status.SSC, False) is not None
    assert rules.closure_change_problem(ChangeKind.MODIFICATION, Status.INTERIM, False) is not None


def test_closhold_is_set_on_an_ssc_case_with_a_reason_and_lifted_with_one():
    assert rules.closhold_set_problem(Status.IMPLEMENTED, False, "x") is not None
    assert rules.closhold_set_problem(Status.SSC, True, "x") is not None
    assert rules.closhold_set_problem(Status.SSC, False, " ").field == "reason"
    assert rules.closhold_set_problem(Status.INTERIM, False, "final reconciliation") is None
    assert rules.closhold_lift_problem(False, "x") is not None
    assert rules.closhold_lift_problem(True, "").field == "reason"
    assert rules.closhold_lift_problem(True, "modification needed") is None


# --- DD Form 645 (SPEC §5, SAMM C9.10) -------------------------------------------------------------------


def test_dd645_payment_due_on_the_15th_of_the_third_month_after_the_quarter():
    assert rules.payment_due(D(2026, 12, 31), 3, 15) == D(2027, 3, 15)
    assert rules.payment_due(D(2026, 9, 30), 3, 15) == D(2026, 12, 15)
    assert rules.quarter_start(D(2026, 9, 30)) == D(2026, 7, 1)


def test_dd645_period_is_a_quarter_after_implementation_and_not_yet_billed():
    impl, today = D(2026, 4, 6), D(2026, 11, 23)
    assert rules.statement_period_problem(D(2026, 9, 29), impl, today, False).field == "period_end"
    assert rules.statement_period_problem(D(2026, 3, 31), impl, today, False) is not None
    assert (
        "issue its statement after"
        in rules.statement_period_problem(D(2026, 12, 31), impl, today, False).message
    )
    assert (
        "already issued"
        in rules.statement_period_problem(D(2026, 9, 30), impl, today, True).message
    )
    assert rules.statement_period_problem(D(2026, 9, 30), impl, today, False) is None


LINES = [("001", "Radio", M("1000000.00")), ("002", "Training", M("200000.00"))]


def statement():
    return rules.dd645(
        D(2026, 9, 30),
        D(2026, 12, 15),
        LINES,
        [
            (D(2026, 3, 20), M("300000.00")),
            (D(2026, 12, 15), M("400000.00")),
            (D(2027, 3, 15), M("500000.00")),
        ],
        [
            (D(2026, 3, 20), M("300000.00")),
            (D(2026, 8, 2), M("100000.00")),
            (D(2026, 10, 5), M("9.00")),
        ],
        [
            ("001", D(2026, 5, 1), M("900000.00"), M("450000.00")),
            ("001", D(2026, 8, 15), M("0"), M("150000.00")),
            ("002", D(2026, 9, 1), M("0"), M("210000.00")),
            ("002", D(2026, 10, 2), M("0"), M("99.00")),  # after the quarter: not counted
        ],
    )


def test_dd645_amount_due_is_the_greater_of_schedule_and_costs_less_collections():
    s = statement()
    assert s.case_value == M("1200000.00")
    assert (s.scheduled_to_date, s.scheduled_to_due) == (M("300000.00"), M("700000.00"))
    assert (s.collected_to_date, s.collected_in_period) == (M("400000.00"), M("100000.00"))
    assert (s.expended_to_date, s.expended_in_period) == (M("810000.00"), M("360000.00"))
    assert s.obligated_to_date == M("900000.00")
    # max(700,000 scheduled to 15 Dec, 810,000 costs) − 400,000 collected
    assert s.amount_due == M("410000.00")
    assert s.lines[0].expended == M("600000.00") and s.lines[1].expended == M("210000.00")


def test_dd645_reconciliation_lists_each_difference_with_its_amount():
    found = {d.kind: d for d in rules.reconcile(statement())}
    assert found["collections-schedule"].amount == M("100000.00")
    assert not found["collections-schedule"].attention
    assert found["collections-costs"].amount == M("-410000.00")
    assert found["collections-costs"].attention
    assert found["line-over-value"].amount == M("-10000.00")  # line 002: 210,000 on 200,000
    assert found["line-unliquidated"].amount == M("300000.00")  # line 001: 900,000 − 600,000
    assert found["line-unobligated-costs"].amount == M("-210000.00")


def test_dd645_a_reconciled_case_lists_no_difference_and_owes_nothing_below_zero():
    s = rules.dd645(
        D(2026, 9, 30),
        D(2026, 12, 15),
        LINES,
        [(D(2026, 3, 20), M("500000.00"))],
        [(D(2026, 3, 20), M("500000.00"))],
        [("001", D(2026, 5, 1), M("500000.00"), M("500000.00"))],
    )
    assert rules.reconcile(s) == [] and s.amount_due == M("0")
