"""'What needs me today' for cases: the case manager, the SCO and the partner each see theirs."""

import pytest

from secoop.cases import today
from secoop.core.today import items_for

from .builders import new_case
from .conftest import person

pytestmark = pytest.mark.django_db


def titles(items):
    return [i.title for i in items]


def test_case_manager_sees_late_deliveries(on_demo_day):
    items = today.case_manager_items(person("case.manager"))
    assert titles(items) == ["Late delivery on XB-B-ZAA"]
    assert items[0].rule == "R-FMS-06" and "24 days late" in items[0].detail


def test_case_manager_sees_loa_in_development_past_its_aod(on_demo_day):
    c = new_case()  # LOR complete 4 Mar 2026 + 150 days: AOD 1 Aug 2026, still in development
    items = today.case_manager_items(person("case.manager"))
    assert f"{c.identifier} not offered by its AOD" in titles(items)
    assert today.case_manager_items(person("admin")) == []  # no case-manager role


def test_sco_sees_oed_near_lors_waiting_and_notice_not_sent(on_demo_day):
    items = today.sco_items(person("sco.bandaria"))
    got = titles(items)
    assert "LOR to route: Border surveillance radar" in got
    assert "LOR awaiting validation: Patrol vehicle spare parts" in got
    assert "Advise the IA and DSCA: XB-B-ZAD accepted" in got
    assert not any(
        "XB-B-ZAB offer expires" in t for t in got
    )  # OED 25 Jan 2027: beyond the 30-day horizon
    assert {i.rule for i in items} == {"R-FMS-01", "R-FMS-08"}


def test_partner_sees_an_sdr_only_once_the_ilco_replied(on_demo_day):
    """Issue 12.1: a report still with the ILCO is not the partner's to do; a reply is (the
    partner decides whether to ask for reconsideration, R-FMS-10)."""
    from secoop.cases import actions
    from secoop.cases.models import SupplyDiscrepancyReport

    partner = person("partner.bandaria")
    assert today.partner_items(partner) == []
    sdr = SupplyDiscrepancyReport.objects.visible_to(person("case.manager")).get(pk=1)
    actions.reply_sdr(person("case.manager"), sdr, "A replacement ships on the next lift.")
    items = today.partner_items(partner)
    assert [i.rule for i in items] == ["R-FMS-10"] and items[0].due is not None
    assert today.sco_items(partner) == []


def test_an_overdue_lor_is_an_error_and_le_staff_do_not_route_lors(on_demo_day):
    """Issue 12.10: the LOR past its validation goal is shown in red (severity error); 12.1:
    routing and advising are the U.S. SCO staff's, not the LE assistant's."""
    items = {i.title: i for i in today.sco_items(person("sco.bandaria"))}
    late = items["LOR awaiting validation: Patrol vehicle spare parts"]
    assert late.severity == "error" and late.due < on_demo_day
    assert items["LOR to route: Border surveillance radar"].severity == "info"
    assert today.sco_items(person("le.staff")) == []


def test_home_page_lists_cases_section_for_the_sco(on_demo_day, login):
    sections = dict(items_for(person("sco.bandaria")))
    assert "FMS cases" in sections
    assert "Advise the IA and DSCA" in login("sco.bandaria").get("/").content.decode()


def test_issue15_more_cases_and_lors_cost_the_sco_list_no_query(
    on_demo_day, django_assert_num_queries
):
    """Issue 15 item 4: in a request (facts read once), the SCO's list is a fixed number of
    queries however many LORs await validation and cases await the notice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.cases.models import LetterOfRequest
    from secoop.core.actions import system_writes
    from secoop.core.context import request_memo_var

    sco = person("sco.bandaria")
    token = request_memo_var.set({})
    try:
        today.sco_items(sco)  # the access profile, roles and facts, kept for the request
        with CaptureQueriesContext(connection) as few:
            before = today.sco_items(sco)
        with system_writes("test: more LORs awaiting validation"):
            for n, lor in enumerate(
                list(LetterOfRequest.objects.system().filter(status="submitted")) * 3
            ):
                lor.pk = None
                lor.title = f"{lor.title} {n}"
                lor.save()
        with django_assert_num_queries(len(few.captured_queries)):
            after = today.sco_items(sco)
    finally:
        request_memo_var.reset(token)
    assert len(after) > len(before)
