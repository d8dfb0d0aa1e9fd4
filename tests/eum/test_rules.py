"""The pure EUM rules (no database): R-EUM-01..08 and SPEC §11 enhanced EUM."""

from __future__ import annotations

import datetime as dt

from secoop.eum import rules
from secoop.eum.rules import Interest
from secoop.eum.rules import Monitoring
from secoop.eum.rules import RequestKind
from secoop.eum.rules import Source

D = dt.date


def ids(findings) -> list[str]:
    return [f.rule for f in findings if f is not None]


def test_r_eum_01_fms_and_eda_are_golden_sentry_dcs_is_blue_lantern():
    assert rules.program_problem(Source.FMS, "golden_sentry") is None
    assert rules.program_problem(Source.EDA, "golden_sentry") is None
    assert rules.program_problem(Source.DCS, "blue_lantern") is None
    wrong = rules.program_problem(Source.DCS, "golden_sentry")
    assert wrong.rule == "R-EUM-01" and "Blue Lantern" in wrong.text


def test_r_eum_01_an_fms_article_comes_from_a_made_delivery_of_its_country():
    assert rules.delivery_problem("fms", None, "XBN", "XBN", None, 1).field == "delivery"
    assert (
        "another country"
        in rules.delivery_problem("fms", D(2026, 1, 1), "GBR", "XBN", 4, 1).message
    )
    assert "at most" in rules.delivery_problem("fms", D(2026, 1, 1), "XBN", "XBN", 4, 5).fix
    assert rules.delivery_problem("fms", D(2026, 1, 1), "XBN", "XBN", 4, 4) is None
    assert rules.delivery_problem("other", None, None, "XBN", None, 9) is None


def test_spec_11_an_enhanced_article_names_a_valid_serial_format():
    assert rules.serial_format_problem(Monitoring.ROUTINE, "") is None
    assert rules.serial_format_problem(Monitoring.ENHANCED, "").field == "serial_format"
    assert (
        "not a valid pattern" in rules.serial_format_problem(Monitoring.ENHANCED, "NVD-[").message
    )
    assert rules.serial_format_problem(Monitoring.ENHANCED, "NVD-[0-9]{6}") is None


def test_spec_11_serials_are_validated_at_entry_format_duplicates_and_count():
    kw = {
        "serial_format": "NVD-[0-9]{6}",
        "monitoring": Monitoring.ENHANCED,
        "held": 1,
        "capacity": 3,
    }
    assert (
        rules.serial_problems(["nvd-000002 ", "NVD-000003"], registered=["NVD-000001"], **kw) == []
    )
    found = rules.serial_problems(
        ["NVD-12", "NVD-000001", "NVD-000002", "NVD-000002"], registered=["NVD-000001"], **kw
    )
    messages = [f.message for f in found]
    assert any("not in this article's format" in m for m in messages)
    assert sum("already on record" in m for m in messages) == 2  # on record, and twice in the entry
    too_many = rules.serial_problems(
        ["NVD-000002", "NVD-000003", "NVD-000004"], registered=[], **kw
    )
    assert too_many and "more serials than the 3 articles delivered" in too_many[-1].message
    routine = rules.serial_problems(
        ["X"], registered=[], **{**kw, "monitoring": Monitoring.ROUTINE}
    )
    assert ids(routine) == [rules.EEUM]


def test_spec_11_an_inventory_naming_an_unknown_serial_is_refused_and_missing_ones_found():
    result, problems = rules.inventory_result(["A1", "A2", "A3"], ["a1", "A3"])
    assert problems == [] and result.present == ("A1", "A3") and result.missing == ("A2",)
    result, problems = rules.inventory_result(["A1", "A2"], ["A1", "ZZ9", "A1"])
    assert result is None
    assert [p.message for p in problems] == [
        "serial ZZ9 is not one of this article's delivered serials.",
        "serial A1 is named twice.",
    ]


def test_spec_11_initial_inventory_after_delivery_then_annual():
    assert rules.next_inventory_due(D(2026, 8, 10), None, 90, 12) == ("initial", D(2026, 11, 8))
    assert rules.next_inventory_due(D(2026, 8, 10), D(2026, 9, 1), 90, 12) == (
        "annual",
        D(2027, 9, 1),
    )
    assert rules.due("x", D(2026, 11, 8), rules.EEUM, D(2026, 12, 1)).overdue
    assert not rules.due("x", D(2026, 12, 1), rules.EEUM, D(2026, 12, 1)).overdue


def test_r_eum_02_cav_window_18_to_24_months_after_the_last():
    assert rules.cav_window(D(2025, 6, 10), D(2020, 1, 1), 18, 24) == (
        D(2026, 12, 10),
        D(2027, 6, 10),
    )
    assert rules.cav_window(None, D(2025, 1, 31), 18, 24) == (D(2026, 7, 31), D(2027, 1, 31))


def test_r_eum_03_routine_report_due_a_quarter_after_the_last():
    assert rules.every_months(D(2026, 9, 30), D(2020, 1, 1), 3) == D(2026, 12, 30)
    assert rules.every_months(None, D(2026, 8, 31), 3) == D(2026, 11, 30)


def test_r_eum_04_every_element_of_the_control_plan_is_written():
    full = {k: "text" for k in rules.CONTROL_PLAN_ELEMENTS}
    assert rules.control_plan_problems(full) == []
    missing = rules.control_plan_problems({**full, "visit_procedures": " "})
    assert [(f.rule, f.field) for f in missing] == [("R-EUM-04", "visit_procedures")]


def test_r_eum_05_no_change_of_end_use_without_prior_usg_approval():
    refused = rules.proceed_problems(
        "scrapping", "requested", None, D(2026, 12, 1), False, "", "", "x"
    )
    assert ids(refused) == ["R-EUM-05"] and "prior USG approval" in refused[0].message


def test_r_eum_05_disposal_names_the_demil_standard_and_environmental_conditions():
    found = rules.proceed_problems(
        "disposal", "approved", D(2026, 11, 1), D(2026, 12, 1), True, "oil", "", ""
    )
    assert {f.field for f in found} == {"demil_standard", "condition_after"}
    early = rules.proceed_problems(
        "display", "approved", D(2026, 11, 1), D(2026, 10, 1), False, "", "", ""
    )
    assert [f.field for f in early] == ["on"]
    assert (
        rules.proceed_problems(
            "display", "approved", D(2026, 11, 1), D(2026, 12, 1), False, "", "", ""
        )
        == []
    )


def test_r_eum_06_third_party_transfer_needs_prior_written_consent_and_a_recipient():
    refused = rules.proceed_problems(
        RequestKind.THIRD_PARTY, "requested", None, D(2026, 12, 1), False, "", "", ""
    )
    assert ids(refused) == ["R-EUM-06"] and "written USG consent" in refused[0].message
    assert rules.approval_problem(RequestKind.THIRD_PARTY, "cable 123", "").field == "recipient"
    assert rules.approval_problem(RequestKind.THIRD_PARTY, "", "Ruritania").field == "reference"
    assert rules.approval_problem(RequestKind.THIRD_PARTY, "cable 123", "Ruritania") is None


def test_r_eum_07_a_violation_is_resolved_or_forwarded_with_a_note():
    assert (
        rules.violation_step_problem("forward", "open", "x").rule == "R-EUM-07"
    )  # investigate first
    assert rules.violation_step_problem("forward", "investigating", "").field == "note"
    assert rules.violation_step_problem("forward", "investigating", "not found locally") is None
    assert rules.violation_step_problem("close", "forwarded", "DoS closed it") is None


def test_r_eum_08_recipients_showed_interest_and_are_eligible():
    assert rules.recipient_problem("", True).field == "reason"
    assert rules.recipient_problem(Interest.PA, False).field == "eligible"
    assert rules.recipient_problem(Interest.RELATED, True) is None
    proposed = rules.propose_recipients(
        "Defender-class response boat",
        ["patrol boat"],
        {"XBN": ["25-foot Defender-class response boat"]},
        {"GHA": ["P&A for Defender-class response boat"], "XBN": ["Defender-class"]},
        {"SEN": ["Coastal patrol boat"], "NGA": ["Rifles"]},
    )
    assert proposed == {"XBN": Interest.PURCHASE, "GHA": Interest.PA, "SEN": Interest.RELATED}


def test_r_eum_08_a_notice_states_rationale_lor_deadline_and_final_loa_acceptance():
    assert rules.notice_problems("why", D(2027, 1, 1), D(2027, 3, 1), 1) == []
    fields = {f.field for f in rules.notice_problems("", None, None, 0)}
    assert fields == {"rationale", "lor_deadline", "loa_acceptance_by", "recipients"}
    assert (
        rules.notice_problems("why", D(2027, 3, 1), D(2027, 1, 1), 1)[0].field
        == "loa_acceptance_by"
    )


def test_r_eum_01_an_eda_or_dcs_article_names_its_transferred_record_of_the_country():
    assert rules.transfer_problem("eda", "transferred", "XBN", "XBN") is None
    assert rules.transfer_problem("dcs", "approved", "XBN", "XBN") is None
    assert rules.transfer_problem("eda", "offered", "XBN", "XBN").field == "eda_offer"
    assert "approved" in rules.transfer_problem("dcs", "in_review", "XBN", "XBN").fix
    assert "another country" in rules.transfer_problem("dcs", "approved", "GBR", "XBN").message
    assert rules.transfer_problem("other", None, None, "XBN") is None


def test_issue_15_latest_start_is_the_last_date_due_by_the_cutoff_month_ends_clamping():
    """The home page's cutoff on the last inventory: every date up to latest_start falls due by
    `until`, none after it; a month's end clamps (30 and 31 Jan + 1 month are 28 Feb)."""
    for until, months in (
        (dt.date(2027, 2, 28), 1),
        (dt.date(2027, 2, 27), 1),
        (dt.date(2028, 2, 29), 12),
        (dt.date(2027, 4, 30), 12),
        (dt.date(2027, 3, 15), 12),
    ):
        start = rules.latest_start(until, months)
        assert rules.add_months(start, months) <= until
        assert rules.add_months(start + dt.timedelta(days=1), months) > until
    assert rules.latest_start(dt.date(2027, 2, 28), 1) == dt.date(2027, 1, 31)
