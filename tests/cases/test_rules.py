"""The pure FMS rules (cases/rules.py): every figure is passed in, as the dated facts would be."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from secoop.cases import rules
from secoop.cases.rules import ChangeKind
from secoop.cases.rules import LineState
from secoop.cases.rules import Status

D = dt.date
STD = rules.NotificationThresholds(
    Decimal("14000000"), Decimal("50000000"), Decimal("200000000"), 30
)
N5 = rules.NotificationThresholds(
    Decimal("25000000"), Decimal("100000000"), Decimal("300000000"), 15
)


# --- case identifier ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "ok"),
    [
        ("XB-B-ZAA", True),
        ("XB-D-A1B", True),
        ("XB-B-ZA", False),
        ("xb-b-zaa", False),
        ("XBB-ZAA", False),
        ("XB-Q-ZAA", False),
        ("GB-B-ZAA", False),
    ],
)
def test_case_identifier_cc_i_ddd_with_a_known_ia_code(identifier, ok):
    problem = rules.case_identifier_problem(identifier, "XB", ["B", "P", "D"])
    assert (problem is None) is ok


def test_case_identifier_names_an_unknown_ia_code():
    problem = rules.case_identifier_problem("XB-Q-ZAA", "XB", ["B", "P"])
    assert (problem.rule, problem.field) == ("SPEC-5-case-identifier", "identifier")
    assert "Q is not a known implementing agency code" in problem.message


def test_case_identifier_must_use_the_case_ia():
    assert "uses B" in rules.case_identifier_problem("XB-P-ZAA", "XB", ["B", "P"], "B").message


# --- LOR -------------------------------------------------------------------------------------


def test_r_fms_01_lor_completeness_lists_what_is_missing():
    values = {
        "country": "XBN",
        "received_on": D(2026, 1, 1),
        "requested_items": " ",
        "estimated_value": None,
        "implementing_agency": 3,
        "request_type": "loa",
    }
    assert rules.lor_missing(values) == [
        "the articles or services requested",
        "the estimated value",
    ]
    values.update(requested_items="radios", estimated_value=Decimal("1"))
    assert rules.lor_missing(values) == []


def test_lor_validation_goal_days():
    assert rules.validation_due(D(2026, 11, 16), 5) == D(2026, 11, 21)
    assert rules.validation_late(D(2026, 11, 16), None, D(2026, 11, 22), 5)
    assert not rules.validation_late(D(2026, 11, 16), D(2026, 11, 21), D(2026, 12, 30), 5)


# --- CTA -------------------------------------------------------------------------------------

CRITERIA = [
    rules.Criterion("mde", "Includes MDE", "mde"),
    rules.Criterion("new", "New capability", "new_capability"),
    rules.Criterion("36b", "Likely 36(b)", "notification_36b"),
]


def test_r_fms_02_cta_required_when_and_why():
    assert rules.cta_reasons({"mde": False, "new_capability": False}, CRITERIA) == []
    reasons = rules.cta_reasons({"mde": True, "notification_36b": True}, CRITERIA)
    assert [c.code for c in reasons] == ["mde", "36b"]


def test_r_fms_02_cta_elements_all_answered():
    assert rules.cta_missing_elements({"e01": "x", "e02": " "}, ["e01", "e02", "e03"]) == [
        "e02",
        "e03",
    ]


def test_r_fms_02_cta_at_most_a_year_old_at_dsca():
    assert not rules.cta_too_old(D(2025, 6, 1), D(2026, 6, 1), 365)
    assert rules.cta_too_old(D(2025, 6, 1), D(2026, 6, 2), 365)


# --- AOD and OED -----------------------------------------------------------------------------


def test_aod_is_lor_complete_plus_group_days():
    assert rules.aod_date(D(2025, 10, 1), 150) == D(2026, 2, 28)
    assert rules.offered_on_time(D(2026, 2, 28), D(2026, 2, 28)) is True
    assert rules.offered_on_time(D(2026, 3, 1), D(2026, 2, 28)) is False
    assert rules.offered_on_time(None, D(2026, 2, 28)) is None


def test_oed_is_milap_plus_days_and_variant_notes():
    assert rules.oed_date(D(2026, 11, 1), 85) == D(2027, 1, 25)
    assert rules.oed_note_needed(120, 85) == "a longer-than-standard OED needs a case remark"
    assert "short-OED" in rules.oed_note_needed(30, 85)
    assert rules.oed_note_needed(85, 85) is None


def test_r_fms_03_offer_lapses_after_oed():
    assert not rules.is_lapsed(Status.OFFERED, D(2027, 1, 25), D(2027, 1, 25))
    assert rules.is_lapsed(Status.OFFERED, D(2027, 1, 25), D(2027, 1, 26))
    assert not rules.is_lapsed(Status.ACCEPTED, D(2027, 1, 25), D(2027, 3, 1))
    assert (
        rules.display_status(Status.OFFERED, D(2027, 1, 25), D(2027, 2, 1))
        == "Offered — lapsed at OED"
    )


# --- lifecycle -------------------------------------------------------------------------------


def test_lifecycle_follows_the_milestone_table():
    path = [
        "write",
        "review",
        "propose",
        "approve",
        "offer",
        "accept",
        "implement",
        "complete",
        "close",
    ]
    status = Status.DEVELOPMENT
    for action in path:
        assert rules.transition_problem(action, status) is None, action
        status = rules.TRANSITIONS[action][1]
    assert status == Status.CLOSED


@pytest.mark.parametrize("status", [s for s, _ in Status.CHOICES])
def test_lifecycle_no_skipping(status):
    allowed = rules.next_actions(status)
    for action in rules.TRANSITIONS:
        assert (rules.transition_problem(action, status) is None) is (action in allowed)
    assert "implement" not in allowed or status == Status.ACCEPTED


def test_r_fms_03_cancelled_or_lapsed_loa_may_be_reactivated():
    assert rules.transition_problem("reactivate", Status.CANCELLED) is None
    assert rules.transition_problem("reactivate", Status.OFFERED, lapsed=True) is None
    refused = rules.transition_problem("reactivate", Status.OFFERED, lapsed=False)
    assert refused.rule == "SPEC-5-lifecycle" and "lapsed" in refused.message
    assert "there is no milestone" in rules.transition_problem("fly", Status.OFFERED).text


# --- acceptance, R-FMS-04 --------------------------------------------------------------------


def test_r_fms_04_disclosure_and_transfer_before_signature():
    oed = D(2026, 5, 1)
    assert (
        rules.acceptance_problem(D(2026, 4, 1), D(2026, 4, 2), oed, None, D(2026, 3, 1)).rule
        == "R-FMS-04"
    )
    assert (
        rules.acceptance_problem(D(2026, 4, 1), D(2026, 4, 2), oed, D(2026, 3, 1), None).field
        == "transfer_approved_on"
    )
    assert (
        rules.acceptance_problem(
            D(2026, 3, 1), D(2026, 4, 2), oed, D(2026, 3, 5), D(2026, 3, 1)
        ).rule
        == "R-FMS-04"
    )
    assert (
        rules.acceptance_problem(D(2026, 4, 1), D(2026, 4, 2), oed, D(2026, 3, 1), D(2026, 3, 1))
        is None
    )


def test_acceptance_is_signature_and_deposit_by_the_oed():
    ok = D(2026, 3, 1)
    oed = D(2026, 5, 1)
    assert rules.acceptance_problem(None, D(2026, 4, 2), oed, ok, ok).field == "signed_on"
    assert rules.acceptance_problem(D(2026, 4, 1), None, oed, ok, ok).field == "deposit_on"
    assert rules.acceptance_problem(D(2026, 5, 2), D(2026, 4, 2), oed, ok, ok).field == "signed_on"
    assert rules.acceptance_problem(D(2026, 4, 1), D(2026, 5, 2), oed, ok, ok).field == "deposit_on"
    assert rules.acceptance_problem(D(2026, 5, 1), D(2026, 5, 1), oed, ok, ok) is None


# --- 36(b) ----------------------------------------------------------------------------------


def test_36b_standard_thresholds_and_lead_days():
    n = rules.notification_36b(
        Decimal("18000000"), Decimal("42000000"), Decimal("0"), False, STD, N5, 20
    )
    assert n.required and n.days == 30 and n.lead_days == 50 and len(n.reasons) == 1
    n = rules.notification_36b(
        Decimal("13999999"), Decimal("49999999"), Decimal("199999999"), False, STD, N5, 20
    )
    assert not n.required and n.lead_days == 0


def test_36b_nato_plus_5_variant():
    n = rules.notification_36b(
        Decimal("18000000"), Decimal("42000000"), Decimal("0"), True, STD, N5, 20
    )
    assert not n.required
    n = rules.notification_36b(
        Decimal("25000000"), Decimal("100000000"), Decimal("300000000"), True, STD, N5, 20
    )
    assert n.required and n.days == 15 and n.lead_days == 15 and len(n.reasons) == 3


# --- lines, FMF -------------------------------------------------------------------------------


def test_case_lines_no_negative_quantity_no_zero_dollar_line():
    assert rules.line_problem(-1, Decimal("10")).field == "quantity"
    assert rules.line_problem(0, Decimal("10")).field == "quantity"
    assert rules.line_problem(1, Decimal("0")).field == "unit_value"
    assert rules.line_problem(2, Decimal("10.50")) is None
    assert rules.line_total(3, Decimal("10.333")) == Decimal("31.00")


def test_r_fms_12_fmf_deviation_from_baseline():
    assert rules.fmf_deviation(Decimal("100"), Decimal("100")) is None
    assert rules.fmf_deviation(Decimal("150"), Decimal("100")) == Decimal("50")
    assert rules.fmf_deviation(Decimal("10"), None) == Decimal("10")
    assert rules.fmf_deviation(Decimal("0"), None) is None


# --- amendments, modifications, restatements -----------------------------------------------

BASE = [
    LineState("001", "Radio", 10, Decimal("100")),
    LineState("002", "Boat", 2, Decimal("1000"), sme=True, mde=True),
]


def test_diff_lines_is_readable_field_by_field():
    after = rules.apply_changes(
        BASE,
        [
            {"op": "change", "number": "001", "quantity": 12},
            {
                "op": "add",
                "line": {"number": "003", "item": "Spares", "quantity": 1, "unit_value": "50"},
            },
        ],
    )
    diff = rules.diff_lines(BASE, after)
    assert [(r.number, r.change) for r in diff] == [("001", "changed"), ("003", "added")]
    assert diff[0].fields == (("quantity", "10", "12"),)
    assert diff[0].total_before == Decimal("1000.00") and diff[0].total_after == Decimal("1200.00")
    assert rules.total_of(after) - rules.total_of(BASE) == Decimal("250.00")


def test_apply_changes_refuses_unknown_lines():
    with pytest.raises(ValueError, match="no line 009"):
        rules.apply_changes(BASE, [{"op": "delete", "number": "009"}])
    with pytest.raises(ValueError, match="already exists"):
        rules.apply_changes(
            BASE,
            [
                {
                    "op": "add",
                    "line": {"number": "001", "item": "x", "quantity": 1, "unit_value": "1"},
                }
            ],
        )
    with pytest.raises(ValueError, match="unknown change"):
        rules.apply_changes(BASE, [{"op": "rename"}])


def _after(*changes):
    return rules.apply_changes(BASE, list(changes))


def test_amendment_changes_scope_of_an_accepted_case():
    after = _after({"op": "change", "number": "001", "quantity": 20})
    assert (
        rules.change_problem(
            ChangeKind.AMENDMENT, Status.IMPLEMENTED, False, True, False, BASE, after
        )
        is None
    )


def test_modification_changes_no_scope():
    scope = _after({"op": "change", "number": "001", "quantity": 20})
    found = rules.change_problem(
        ChangeKind.MODIFICATION, Status.IMPLEMENTED, False, True, False, BASE, scope
    )
    rule, text = found.rule, found.message
    assert found.field == "kind"
    assert rule == "SPEC-11-amendment-vs-modification" and "modification changes no scope" in text
    price = _after({"op": "change", "number": "001", "unit_value": "90"})
    assert (
        rules.change_problem(
            ChangeKind.MODIFICATION, Status.IMPLEMENTED, False, True, False, BASE, price
        )
        is None
    )


def test_sme_mde_additions_need_a_new_loa():
    after = _after(
        {
            "op": "add",
            "line": {
                "number": "003",
                "item": "Boat",
                "quantity": 1,
                "unit_value": "5",
                "mde": True,
            },
        }
    )
    text = rules.change_problem(
        ChangeKind.AMENDMENT, Status.IMPLEMENTED, False, True, False, BASE, after
    ).message
    assert "new LOA" in text
    deleted = _after({"op": "delete", "number": "002"})
    assert (
        "new LOA"
        in rules.change_problem(
            ChangeKind.AMENDMENT, Status.IMPLEMENTED, False, True, False, BASE, deleted
        ).message
    )


def test_r_fms_03_restatement_only_while_offered_unsigned_before_oed():
    after = _after({"op": "change", "number": "001", "unit_value": "90"})
    assert (
        rules.change_problem(
            ChangeKind.RESTATEMENT, Status.OFFERED, False, False, False, BASE, after
        )
        is None
    )
    for status, lapsed, signed in [
        (Status.ACCEPTED, False, True),
        (Status.OFFERED, True, False),
        (Status.OFFERED, False, True),
    ]:
        found = rules.change_problem(
            ChangeKind.RESTATEMENT, status, lapsed, signed, False, BASE, after
        )
        assert found.rule == "R-FMS-03"


def test_r_fms_03_no_amendment_before_acceptance():
    after = _after({"op": "change", "number": "001", "quantity": 20})
    assert (
        rules.change_problem(
            ChangeKind.AMENDMENT, Status.OFFERED, False, False, False, BASE, after
        ).rule
        == "R-FMS-03"
    )


def test_closure_no_amendment_on_an_ssc_case():
    after = _after({"op": "change", "number": "001", "quantity": 20})
    assert (
        rules.change_problem(ChangeKind.AMENDMENT, Status.SSC, False, True, True, BASE, after).rule
        == "SPEC-11-closure"
    )


def test_a_change_that_changes_nothing_is_refused():
    assert (
        rules.change_problem(
            ChangeKind.AMENDMENT, Status.IMPLEMENTED, False, True, False, BASE, list(BASE)
        ).rule
        == "R-FMS-03"
    )


# --- execution ------------------------------------------------------------------------------


def test_delivery_days_late():
    assert rules.days_late(D(2026, 8, 1), D(2026, 9, 20), D(2026, 11, 23)) == 50
    assert rules.days_late(D(2026, 8, 1), D(2026, 7, 20), D(2026, 11, 23)) == 0
    assert rules.days_late(D(2026, 10, 30), None, D(2026, 11, 23)) == 24
    assert not rules.delivery_late(D(2027, 1, 15), None, D(2026, 11, 23))


def test_r_fms_09_classified_needs_transportation_plan_and_dts_representative():
    found = rules.shipment_problem(True, False, False, "")
    assert (found.rule, found.field) == ("R-FMS-09", "classified")
    assert rules.shipment_problem(True, True, True, " ").field == "dts_representative"
    assert rules.shipment_problem(True, True, True, "Maj. Reyes") is None
    assert rules.shipment_problem(False, False, False, "") is None


def test_r_fms_10_sdr_thresholds():
    t = rules.SdrThresholds(Decimal("200"), Decimal("50000"), 45)
    assert rules.sdr_assessment(Decimal("199.99"), None, t) == {
        "compensable": False,
        "needs_endorsement": False,
    }
    # DSCA 14-10: endorsement follows the FMS funds the package recommends, not the value.
    assert rules.sdr_assessment(Decimal("312000"), Decimal("40000"), t) == {
        "compensable": True,
        "needs_endorsement": False,
    }
    assert rules.sdr_assessment(Decimal("1000"), Decimal("50000.01"), t)["needs_endorsement"]
    assert not rules.sdr_assessment(Decimal("1000"), Decimal("50000"), t)["needs_endorsement"]
    assert rules.sdr_reconsideration_due(D(2026, 10, 1), t) == D(2026, 11, 15)


def test_r_fms_10_sdr_filed_within_one_year_of_title_passing():
    t = rules.SdrThresholds(Decimal("200"), Decimal("50000"), 45, 12)
    assert rules.sdr_filing_problem(D(2025, 10, 1), D(2026, 10, 1), t) is None
    late = rules.sdr_filing_problem(D(2025, 10, 1), D(2026, 10, 2), t)
    assert (late.rule, late.field) == ("R-FMS-10", "reported_on") and "1 Oct 2026" in late.message
    assert (
        "before title passed" in rules.sdr_filing_problem(D(2026, 1, 2), D(2026, 1, 1), t).message
    )
    assert rules.sdr_filing_problem(None, D(2026, 1, 1), t) is None


def test_r_fms_11_sco_travel_to_case_review_not_fms_admin():
    assert rules.review_problem(True, True).rule == "R-FMS-11"
    assert rules.review_problem(True, False) is None
    assert rules.review_problem(False, True) is None


# --- closure and retention ------------------------------------------------------------------


def test_closure_due_twelve_months_after_ssc_or_at_once():
    assert rules.closure_due(D(2026, 3, 31), D(2026, 3, 1), 12) == D(2027, 3, 31)
    assert rules.closure_due(D(2026, 3, 31), D(2025, 3, 1), 12) == D(2026, 3, 31)
    assert rules.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert rules.ssc_problem(0) is None and "2 deliveries" in rules.ssc_problem(2).message


def test_r_fms_07_records_kept_ten_years_after_closure():
    assert "not closed" in rules.deletion_problem(None, D(2030, 1, 1), 10).message
    kept = rules.deletion_problem(D(2026, 2, 1), D(2036, 1, 31), 10)
    assert kept.rule == "R-FMS-07" and "kept until 1 Feb 2036" in kept.message
    assert rules.deletion_problem(D(2026, 2, 1), D(2036, 2, 1), 10) is None


# --- the checks the actions used to make inline (issue 11 §3): each a pure rule -------------------


def test_r_fms_01_lor_routed_to_an_ia_with_a_code_and_mde_within_the_estimate():
    assert rules.lor_problem(False, None, None).field == "implementing_agency"
    assert rules.lor_problem(None, Decimal("10"), Decimal("11")).field == "mde_value"
    assert rules.lor_problem(True, Decimal("10"), Decimal("10")) is None
    assert rules.lor_problem(None, None, Decimal("11")) is None


def test_r_fms_01_an_incomplete_lor_points_at_what_is_missing():
    found = rules.lor_incomplete({"country": "XBN"})
    assert found.rule == "R-FMS-01" and found.field == "requested_items"
    assert found.message.startswith("the LOR is incomplete: add the date received")


def test_r_fms_01_lor_country_validation_date_and_return_reason():
    assert rules.lor_country_problem("GBR", "XBN").field == "country"
    assert rules.lor_country_problem(None, "XBN") is None
    assert rules.lor_validation_problem(D(2026, 3, 2), D(2026, 3, 1)).field == "validated_on"
    assert rules.lor_validation_problem(D(2026, 3, 2), D(2026, 3, 2)) is None
    assert rules.lor_return_problem("  ").field == "reason"
    assert rules.lor_return_problem("no P&A") is None


def test_r_fms_02_cta_drafter_elements_coordination_and_age():
    assert rules.cta_drafter_problem(False).field == "owner_org"
    assert rules.cta_unknown_elements({"x9": "?"}, ["reason"]).message == "unknown CTA element x9."
    assert rules.cta_coordination_problem("", []).field == "coordinated_with"
    assert "1. Reason" in rules.cta_coordination_problem("DCM", ["1. Reason"]).message
    assert rules.cta_coordination_problem("DCM", []) is None
    assert rules.cta_transmission_problem(None, D(2026, 3, 1), 365).field == "dated"
    old = rules.cta_transmission_problem(D(2025, 2, 28), D(2026, 3, 1), 365)
    assert "more than 365 days old" in old.message
    assert rules.cta_transmission_problem(D(2025, 3, 1), D(2026, 3, 1), 365) is None


def test_r_fms_02_an_lor_meeting_the_criteria_is_offered_only_after_its_cta():
    assert "(MDE)" in rules.cta_missing_at_offer(["MDE"], transmitted=False).message
    assert rules.cta_missing_at_offer(["MDE"], transmitted=True) is None
    assert rules.cta_missing_at_offer([], transmitted=False) is None


def test_a_case_belongs_to_an_ia_and_comes_from_a_validated_lor_of_its_purchaser():
    assert rules.case_owner_problem(False).rule == ""  # plain input: no SPEC rule, no X-Rule
    assert rules.case_links_problem("GBR", "XBN", True, True, None, "USASAC").field == "lor"
    assert (
        "validates the LOR" in rules.case_links_problem("XBN", "XBN", False, True, None, "").message
    )
    assert rules.case_links_problem("XBN", "XBN", False, False, None, "") is None


def test_r_fms_05_the_case_manager_is_one_of_the_ia():
    found = rules.case_links_problem(None, "XBN", False, True, False, "USASAC")
    assert (found.rule, found.field) == ("R-FMS-05", "case_manager")
    assert "case manager of USASAC" in found.message
    assert rules.implementation_problem(False, D(2026, 1, 1), D(2026, 1, 2)).rule == "R-FMS-05"


def test_mildep_approval_needs_lines_and_a_standard_or_explained_oed():
    assert rules.mildep_approval_problem(0, 85, 85, "").rule == "SPEC-11-case-lines"
    assert rules.mildep_approval_problem(1, -3, 85, "").field == "oed_days"
    longer = rules.mildep_approval_problem(1, 120, 85, "")
    assert longer.field == "oed_remark" and "needs a case remark" in longer.message
    assert rules.mildep_approval_problem(1, 120, 85, "Partner's budget cycle") is None
    assert rules.mildep_approval_problem(1, 85, 85, "") is None


def test_an_offer_after_its_oed_is_refused():
    assert rules.offer_problem(D(2026, 5, 1), D(2026, 5, 2)).rule == "SPEC-11-OED"
    assert rules.offer_problem(D(2026, 5, 1), D(2026, 5, 1)) is None


def test_implementation_follows_signature_and_deposit():
    assert rules.implementation_problem(True, D(2026, 1, 1), None).rule == "SPEC-11-acceptance"
    assert rules.implementation_problem(True, D(2026, 1, 1), D(2026, 1, 2)) is None


def test_r_fms_08_sco_advises_once_after_the_decision():
    assert "not recorded yet" in rules.sco_notice_problem(None, None, D(2026, 5, 1)).message
    assert (
        "already advised"
        in rules.sco_notice_problem(D(2026, 4, 1), D(2026, 4, 2), D(2026, 5, 1)).message
    )
    assert rules.sco_notice_problem(D(2026, 4, 1), None, D(2026, 3, 1)).field == "sco_notified_on"
    assert rules.sco_notice_problem(D(2026, 4, 1), None, D(2026, 4, 1)) is None


def test_r_fms_03_a_change_has_a_kind_a_reason_and_waits_for_a_pending_amendment():
    assert rules.change_request_problem("rewrite", "why").field == "kind"
    assert rules.change_request_problem(ChangeKind.AMENDMENT, " ").field == "description"
    assert rules.change_request_problem(ChangeKind.AMENDMENT, "more boats") is None
    assert rules.pending_amendment_problem(True).rule == "R-FMS-03"
    assert rules.pending_amendment_problem(False) is None
    assert "line 002 has deliveries" in rules.line_deletion_problem("002", True).message
    assert rules.line_deletion_problem("002", False) is None


def test_r_fms_03_loa_content_and_lines_are_edited_only_in_development():
    found = rules.loa_content_problem(Status.OFFERED, {"title", "aod_group"}, False)
    assert (found.rule, found.field) == ("R-FMS-03", "aod_group")
    assert rules.loa_content_problem(Status.OFFERED, set(), False) is None
    assert rules.loa_content_problem(Status.DEVELOPMENT, {"title"}, False) is None
    assert rules.lines_locked_problem(Status.OFFERED).rule == "R-FMS-03"
    assert rules.lines_locked_problem(Status.DEVELOPMENT) is None


def test_only_an_offered_amendment_is_accepted_and_not_under_closhold():
    assert (
        rules.amendment_acceptance_problem(False, True, False).rule
        == "SPEC-11-amendment-vs-modification"
    )
    assert rules.amendment_acceptance_problem(True, True, True).rule == "SPEC-11-closure"
    assert rules.amendment_acceptance_problem(True, True, False) is None


def test_case_lines_of_a_proposed_version_are_checked_by_number():
    bad = [LineState("001", "Radio", 0, Decimal("5"))]
    found = rules.lines_problem(bad)
    assert found.field == "changes" and found.message.startswith("line 001: ")
    assert rules.lines_problem(BASE) is None
    assert rules.quantity_problem("0").field == "quantity"
    assert rules.quantity_problem(2) is None


def test_r_fms_12_fmf_lines_follow_the_baseline_unless_a_deviation_was_approved():
    fmf = [LineState("001", "Radio", 2, Decimal("100"), fmf_funded=True)]
    assert "no approved FMF baseline" in rules.fmf_problem(fmf, None, False).message
    assert "by $100.00" in rules.fmf_problem(fmf, Decimal("100"), False).message
    assert rules.fmf_problem(fmf, Decimal("100"), True) is None
    assert rules.fmf_problem(fmf, Decimal("200"), False) is None


def test_r_fms_06_deliveries_record_what_arrived_and_when():
    today = D(2026, 11, 23)
    assert rules.delivery_record_problem(0, today, today).field == "actual_quantity"
    assert rules.delivery_record_problem(1, D(2026, 11, 24), today).field == "actual_on"
    assert rules.delivery_record_problem(1, today, today) is None
    assert rules.planned_delivery_problem(False, 1).field == "line"
    assert rules.planned_delivery_problem(True, 0).field == "planned_quantity"
    assert rules.payment_problem(Decimal("0")).field == "amount"
    assert rules.payment_problem(Decimal("0.01")) is None


def test_r_fms_09_a_shipped_delivery_is_of_the_case_and_classified_like_its_line():
    assert rules.shipment_delivery_problem(False, False, False).field == "delivery"
    assert rules.shipment_delivery_problem(True, True, False).field == "classified"
    assert rules.shipment_delivery_problem(True, True, True) is None


def test_r_fms_10_sdr_quantity_ilco_line_reply_and_submitter():
    assert rules.sdr_problem(0, True, "USASAC", True).field == "quantity"
    assert "USASAC's military department" in rules.sdr_problem(1, False, "USASAC", True).message
    assert rules.sdr_problem(1, True, "USASAC", False).field == "line"
    assert rules.sdr_problem(1, True, "USASAC", True) is None
    assert rules.sdr_reply_problem("", False).field == "reply"
    assert rules.sdr_reply_problem("credit", True).message == "this SDR is closed."
    assert rules.sdr_submitter_problem(False).field == "owner_org"


def test_notification_documents_are_pre_decisional_and_internal_kinds_stay_internal():
    found = rules.document_problem(True, True, "36(b) draft", False, True, "Notification")
    assert (found.rule, found.field) == ("SPEC-11-congressional-notification-documents", "title")
    assert rules.document_problem(True, False, "PRE-DECISIONAL", False, True, "N").field == "title"
    assert rules.document_problem(True, True, "Pre-decisional draft", False, True, "N") is None
    leak = rules.document_problem(False, True, "CTA", True, True, "Country team assessment")
    assert leak.rule == "R-SEC-03" and "a country team assessment is internal" in leak.message


def test_r_fms_07_an_lor_or_cta_belongs_to_the_case_file():
    found = rules.file_retention_problem("country team assessment", 10)
    assert found.rule == "R-FMS-07" and "kept 10 years" in found.message


# --- issue 13: the statutory gates ------------------------------------------------------------


def _n36b(nato5=False):
    return rules.notification_36b(
        Decimal("36000000"), Decimal("42000000"), Decimal("0"), nato5, STD, N5, 20
    )


def test_spec_11_36b_offer_waits_the_statutory_period_after_formal_notification():
    n = _n36b()
    assert rules.notification_offer_problem(n, None, None, D(2026, 6, 1)).field == "n36b_review_on"
    assert (
        rules.notification_offer_problem(n, D(2026, 4, 1), None, D(2026, 6, 1)).field
        == "n36b_notified_on"
    )
    early = rules.notification_offer_problem(n, D(2026, 4, 1), D(2026, 5, 1), D(2026, 5, 31))
    assert early.rule == "SPEC-11-36(b)-notification"
    assert "may be offered on 1 Jun 2026" in early.message
    assert rules.notification_offer_problem(n, D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1)) is None


def test_spec_11_36b_nato_plus_5_waits_15_days_without_informal_review():
    n = _n36b(nato5=True)  # $36M MDE is above the NATO+5 $25M threshold
    assert n.required and n.days == 15 and n.informal_review_days == 0
    early = rules.notification_offer_problem(n, None, D(2026, 5, 1), D(2026, 5, 16))
    assert "may be offered on 17 May 2026" in early.message
    assert rules.notification_offer_problem(n, None, D(2026, 5, 1), D(2026, 5, 17)) is None
    assert rules.notification_record_problem(n, "review", D(2026, 5, 1), None, "proposed")


def test_spec_11_36b_formal_notification_follows_the_informal_review():
    n = _n36b()
    assert rules.notification_record_problem(n, "notify", D(2026, 5, 1), None, "proposed")
    late = rules.notification_record_problem(n, "notify", D(2026, 3, 1), D(2026, 4, 1), "milap")
    assert "cannot come before the informal review" in late.message
    assert (
        rules.notification_record_problem(n, "notify", D(2026, 5, 1), D(2026, 4, 1), "milap")
        is None
    )
    assert rules.notification_record_problem(n, "notify", D(2026, 5, 1), D(2026, 4, 1), "offered")
    small = rules.notification_36b(Decimal("1"), Decimal("1"), Decimal("0"), False, STD, N5, 20)
    assert (
        "does not reach"
        in rules.notification_record_problem(
            small, "review", D(2026, 5, 1), None, "written"
        ).message
    )
    assert rules.notification_offer_problem(small, None, None, D(2026, 5, 1)) is None


def test_r_fms_04_release_approvals_gate_mildep_approval_and_the_offer():
    p = rules.release_approvals_problem("MILDEP approval", D(2026, 4, 1), None, D(2026, 3, 1))
    assert (p.rule, p.field) == ("R-FMS-04", "disclosure_approved_on")
    assert "before MILDEP approval" in p.message
    p = rules.release_approvals_problem("the offer", D(2026, 4, 1), D(2026, 3, 1), None)
    assert p.field == "transfer_approved_on"
    p = rules.release_approvals_problem("the offer", D(2026, 4, 1), D(2026, 3, 1), D(2026, 4, 2))
    assert "2 Apr 2026" in p.message and "1 Apr 2026" in p.message
    assert (
        rules.release_approvals_problem("the offer", D(2026, 4, 1), D(2026, 3, 1), D(2026, 4, 1))
        is None
    )


def test_the_loa_is_frozen_once_the_mildep_approves_it():
    assert rules.needs_reapproval(Status.MILAP)
    assert not any(rules.needs_reapproval(s) for s in Status.PRE_OFFER if s != Status.MILAP)


def test_spec_5_dates_out_of_lifecycle_order_name_both_dates():
    p = rules.date_order_problem({"ssc_on": D(2027, 1, 1), "closed_on": D(2024, 1, 1)})
    assert (p.rule, p.field) == ("SPEC-5-lifecycle", "closed_on")
    assert "1 Jan 2024" in p.message and "1 Jan 2027" in p.message and "SSC" in p.message
    p = rules.date_order_problem(
        {"lor_complete_on": D(2026, 3, 1), "written_on": D(2026, 2, 1), "milap_on": None}
    )
    assert p.field == "written_on" and "LOR complete" in p.message
    # A missing date in between does not hide the contradiction.
    p = rules.date_order_problem({"milap_on": D(2026, 5, 1), "signed_on": D(2026, 4, 1)})
    assert p.field == "signed_on"
    ok = {
        name: D(2026, 1, 1) + dt.timedelta(days=i)
        for i, (name, _) in enumerate(rules.CASE_DATE_ORDER)
    }
    assert rules.date_order_problem(ok) is None


def test_spec_5_deliveries_after_acceptance_and_before_ssc():
    p = rules.delivery_dates_problem(D(2026, 5, 1), None, D(2026, 4, 1), None)
    assert (p.field, "1 Apr 2026" in p.message, "1 May 2026" in p.message) == (
        "planned_on",
        True,
        True,
    )
    assert (
        rules.delivery_dates_problem(D(2026, 5, 1), None, None, D(2026, 4, 30)).field == "actual_on"
    )
    assert (
        rules.delivery_dates_problem(None, D(2026, 6, 1), None, D(2026, 6, 2)).field == "actual_on"
    )
    assert (
        rules.delivery_dates_problem(D(2026, 5, 1), D(2026, 6, 1), D(2026, 5, 1), D(2026, 6, 1))
        is None
    )


# --- issue 12 item 5: the partner's LOR ----------------------------------------------------------


def test_r_fms_01_partner_is_not_asked_for_what_us_staff_decide():
    values = {
        "country": "XBN",
        "received_on": D(2026, 1, 1),
        "requested_items": "x",
        "estimated_value": Decimal("1"),
        "implementing_agency": None,
        "request_type": "pa",
    }
    assert rules.lor_missing(values) == ["the implementing agency it is routed to"]
    assert rules.lor_missing(values, partner=True) == []


def test_r_fms_01_duplicate_lor_is_warned_about():
    existing = [("Harbour tug", "One harbour tug", D(2026, 11, 1))]
    found = rules.lor_duplicate("harbour  TUG", "other", existing)
    assert found.rule == "R-FMS-01" and "1 Nov 2026" in found.message
    assert rules.lor_duplicate("New title", "one harbour tug", existing)
    assert rules.lor_duplicate("New title", "", existing) is None


# --- issue 13 item 5: the AOD DSCA measures --------------------------------------------------------


def test_spec_11_aod_lor_complete_is_its_own_date_between_receipt_and_validation():
    assert rules.lor_complete_problem(D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 4)) is None
    assert (
        rules.lor_complete_problem(D(2026, 3, 1), D(2026, 2, 28), D(2026, 3, 4)).field
        == "complete_on"
    )
    assert (
        "after the validation"
        in rules.lor_complete_problem(None, D(2026, 3, 5), D(2026, 3, 4)).message
    )


def test_spec_11_aod_late_offer_needs_a_coded_delay_reason():
    codes = ["B2", "C1"]
    assert rules.late_offer_problem(D(2026, 4, 1), D(2026, 4, 1), "", codes) is None
    late = rules.late_offer_problem(D(2026, 4, 2), D(2026, 4, 1), "", codes)
    assert (late.rule, late.field) == ("SPEC-11-AOD", "delay_reason") and "B2, C1" in late.message
    assert rules.late_offer_problem(D(2026, 4, 2), D(2026, 4, 1), "slow contractor", codes)
    assert rules.late_offer_problem(D(2026, 4, 2), D(2026, 4, 1), "B2", codes) is None
    assert rules.delay_reason_problem("slow contractor", codes).field == "delay_reason"
    assert rules.delay_reason_problem("", codes) is None


def test_spec_11_aod_lateness_counted_by_code():
    from secoop.cases.metrics import OfferRow
    from secoop.cases.metrics import aod_performance
    from secoop.cases.metrics import lateness_by_code

    rows = [
        OfferRow(
            "X1", "IA", "u", "XBN", D(2026, 1, 10), D(2026, 1, 20), group="A", delay_reason="B2"
        ),
        OfferRow("X2", "IA", "u", "XBN", D(2026, 1, 10), D(2026, 1, 9), group="D"),
        OfferRow(
            "X3", "IA", "u", "XBN", D(2026, 1, 10), D(2026, 2, 1), group="D", delay_reason="B2"
        ),
    ]
    assert lateness_by_code(rows) == {"B2": 2}
    by_group = aod_performance(rows, "ABCD")["by"]["group"]
    assert {k: (s.on_time, s.total) for k, s in by_group.items()} == {
        "Group A": (0, 1),
        "Group B": (0, 0),
        "Group C": (0, 0),
        "Group D": (1, 2),
    }


def test_spec_5_shipments_and_new_versions_follow_the_lifecycle():
    p = rules.shipment_dates_problem(D(2026, 5, 1), D(2026, 4, 30), None)
    assert (p.rule, p.field) == ("SPEC-5-lifecycle", "shipped_on")
    assert (
        rules.shipment_dates_problem(D(2026, 5, 1), D(2026, 5, 2), D(2026, 5, 1)).field
        == "received_on"
    )
    assert rules.shipment_dates_problem(D(2026, 5, 1), D(2026, 5, 2), D(2026, 5, 9)) is None
    assert rules.version_date_problem(D(2026, 4, 5), None, D(2026, 4, 4)).field == "issued_on"
    assert (
        rules.version_date_problem(D(2026, 4, 5), D(2026, 5, 3), D(2026, 5, 2)).field == "issued_on"
    )
    assert rules.version_date_problem(D(2026, 4, 5), D(2026, 5, 3), D(2026, 5, 3)) is None
