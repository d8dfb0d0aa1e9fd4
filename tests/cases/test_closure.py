"""Issue 13 items 6–7 through the actions and the API, on both databases: SSC with its
conditions, interim then final closure (12 months after SSC), conditional line closure, CLOSHOLD
(DSCA sets and lifts it; the case manager may not), the quarterly DD Form 645 and its
reconciliation, and what the partner reads of them (R-SEC-03)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from secoop.cases import actions
from secoop.cases import today
from secoop.cases.models import BillingStatement
from secoop.cases.models import CaseExpenditure
from secoop.cases.models import CaseLine
from secoop.cases.models import ClosureHold
from secoop.cases.models import Collection
from secoop.cases.models import Delivery
from secoop.cases.models import PaymentScheduleEntry
from secoop.core.verdicts import Refused

from .builders import D
from .builders import implemented
from .builders import new_case
from .conftest import log_for
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db

SSC = {"services_complete_on": D(2026, 8, 1), "storage_quantity": 0}


def refused(rule: str, fn, *args, **kwargs) -> Refused:
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        fn(*args, **kwargs)
    assert exc.value.rule == rule, exc.value.messages
    assert snapshot_counts() == before, "nothing changed"
    return exc.value


def delivered_case():
    """Two lines, implemented 10 May 2026, every item delivered with title passed by 1 Aug."""
    cm = person("case.manager")
    c = implemented(new_case(lines=(("Radio", 10, "1000.00", {}), ("Training", 1, "5000.00", {}))))
    for line in CaseLine.objects.system().filter(case=c):
        d = actions.create(
            cm,
            Delivery(case=c, line=line, planned_on=D(2026, 8, 1), planned_quantity=line.quantity),
        )
        actions.record_delivery(cm, d, D(2026, 8, 1), line.quantity)
    return c


def test_ssc_refused_naming_services_warranty_and_storage(on_demo_day):
    c = delivered_case()
    exc = refused(
        "SPEC-11-closure",
        actions.milestone,
        person("case.manager"),
        c,
        "complete",
        D(2026, 9, 1),
        services_complete_on=D(2026, 8, 1),
        warranties_end_on=D(2027, 2, 1),
        storage_quantity=4,
    )
    assert "warranty runs until 1 Feb 2027" in exc.messages[0]
    assert "4 item(s) still held in storage" in exc.messages[0]
    c = actions.milestone(person("case.manager"), c, "complete", D(2026, 9, 1), **SSC)
    assert (c.status, c.storage_quantity, c.services_complete_on) == ("ssc", 0, D(2026, 8, 1))


def test_interim_closure_12_months_after_ssc_then_final_with_a_conditional_line(on_demo_day):
    cm = person("case.manager")
    c = actions.milestone(cm, delivered_case(), "complete", D(2026, 9, 1), **SSC)
    assert c.closure_due == D(2027, 9, 1)
    exc = refused("SPEC-11-closure", actions.milestone, cm, c, "interim", D(2027, 8, 31))
    assert "not before 1 Sep 2027" in exc.messages[0]
    c = actions.milestone(cm, c, "interim", D(2027, 9, 1))
    assert (c.status, c.interim_closed_on) == ("interim", D(2027, 9, 1))
    # Final closure needs every line closed; line 002's contract is still active.
    exc = refused("SPEC-11-closure", actions.milestone, cm, c, "close", D(2027, 10, 1))
    assert "001, 002" in exc.messages[0]
    one, two = CaseLine.objects.system().filter(case=c).order_by("number")
    actions.close_line(cm, one, on=D(2027, 9, 2))
    refused("SPEC-11-closure", actions.close_line, cm, one, on=D(2027, 9, 3))
    closure = actions.close_line(cm, two, on=D(2027, 9, 2), active_contracts="W56HZV-25-C-0042")
    assert closure.conditional and closure.active_contracts == "W56HZV-25-C-0042"
    c = actions.milestone(cm, c, "close", D(2027, 10, 1))
    assert (c.status, c.closed_on) == ("closed", D(2027, 10, 1))
    closure = actions.close_out_contracts(cm, closure, on=D(2028, 1, 10))
    assert closure.contracts_closed_on == D(2028, 1, 10)
    assert [e.transition for e in log_for(c)][-3:] == ["complete", "interim", "close"]


def test_only_the_implementing_agency_closes_and_the_partner_may_not(on_demo_day):
    c = actions.milestone(
        person("case.manager"), delivered_case(), "complete", D(2026, 9, 1), **SSC
    )
    line = CaseLine.objects.system().filter(case=c).first()
    for who in ("partner.bandaria", "sco.bandaria", "dsca.analyst"):
        with pytest.raises(PermissionDenied):
            actions.close_line(person(who), line, on=D(2026, 9, 2))
    with pytest.raises(PermissionDenied):
        actions.milestone(person("sco.bandaria"), c, "interim", D(2027, 9, 1))


def test_closhold_set_and_lifted_by_dsca_with_reasons_blocks_new_versions(on_demo_day):
    cm, dsca = person("case.manager"), person("dsca.analyst")
    c = actions.milestone(cm, delivered_case(), "complete", D(2026, 9, 1), **SSC)
    change = [{"op": "change", "number": "001", "unit_value": "900"}]
    # Without the hold an SSC case takes a modification (no change of scope).
    actions.propose_change(
        cm, c, "modification", "draw down excess funds", change, on=D(2026, 9, 3)
    )
    for who in ("case.manager", "sco.bandaria", "partner.bandaria"):
        with pytest.raises(PermissionDenied):
            actions.set_closhold(person(who), c, reason="final reconciliation")
    refused("SPEC-11-closure", actions.set_closhold, dsca, c, reason=" ")
    hold = actions.set_closhold(dsca, c, reason="final reconciliation", on=D(2026, 9, 4))
    refused("SPEC-11-closure", actions.set_closhold, dsca, c, reason="again")
    exc = refused(
        "SPEC-11-closure",
        actions.propose_change,
        cm,
        c,
        "modification",
        "second drawdown",
        [{"op": "change", "number": "001", "unit_value": "800"}],
        on=D(2026, 9, 5),
    )
    assert "CLOSHOLD" in exc.messages[0]
    refused("SPEC-11-closure", actions.lift_closhold, dsca, c, reason="")
    with pytest.raises(PermissionDenied):
        actions.lift_closhold(cm, c, reason="need a change")
    hold = actions.lift_closhold(
        dsca, c, reason="purchaser asked for a final drawdown", on=D(2026, 9, 6)
    )
    assert (hold.lifted_on, hold.active) == (D(2026, 9, 6), False)
    assert not ClosureHold.objects.visible_to(person("partner.bandaria")).filter(case=c).exists()


def test_closhold_only_on_an_ssc_case(on_demo_day):
    c = implemented(new_case())
    refused("SPEC-11-closure", actions.set_closhold, person("dsca.analyst"), c, reason="x")


def billed_case():
    cm = person("case.manager")
    c = implemented(new_case(lines=(("Radio", 10, "100000.00", {}),)))
    line = CaseLine.objects.system().get(case=c)
    for due, amount in ((D(2026, 5, 3), "300000.00"), (D(2026, 12, 15), "400000.00")):
        actions.create(cm, PaymentScheduleEntry(case=c, due_on=due, amount=Decimal(amount)))
    actions.create(cm, Collection(case=c, received_on=D(2026, 5, 3), amount=Decimal("250000.00")))
    actions.create(
        cm,
        CaseExpenditure(
            case=c,
            line=line,
            dated=D(2026, 8, 20),
            description="Contract award",
            obligated=Decimal("900000.00"),
            expended=Decimal("350000.00"),
        ),
    )
    return c


def test_dd645_issued_for_a_quarter_with_its_reconciliation(on_demo_day):
    c = billed_case()
    cm = person("case.manager")
    refused("SPEC-5-DD645", actions.issue_dd645, cm, c, D(2026, 9, 29))
    refused("SPEC-5-DD645", actions.issue_dd645, cm, c, D(2026, 12, 31))  # not yet ended
    s = actions.issue_dd645(cm, c, D(2026, 9, 30), notes="Arrears discussed at the FMR.")
    # max(700,000 scheduled to 15 Dec, 350,000 costs) − 250,000 collected
    assert (s.amount_due, s.payment_due_on) == (Decimal("450000.00"), D(2026, 12, 15))
    kinds = {d["kind"]: Decimal(d["amount"]) for d in s.differences}
    assert kinds["collections-schedule"] == Decimal("-50000.00")
    assert kinds["collections-costs"] == Decimal("-100000.00")
    assert kinds["line-unliquidated"] == Decimal("550000.00")
    refused("SPEC-5-DD645", actions.issue_dd645, cm, c, D(2026, 9, 30))
    for who in ("partner.bandaria", "sco.bandaria", "dsca.analyst"):
        with pytest.raises(PermissionDenied):
            actions.issue_dd645(person(who), c, D(2026, 6, 30))


def test_statements_and_holds_are_made_only_by_their_actions(on_demo_day):
    c = billed_case()
    refused(
        "SPEC-5-DD645",
        actions.create,
        person("case.manager"),
        BillingStatement(
            case=c,
            period_end=D(2026, 9, 30),
            issued_on=D(2026, 10, 1),
            payment_due_on=D(2026, 12, 15),
            amount_due=Decimal("1"),
        ),
    )
    refused(
        "SPEC-11-closure",
        actions.create,
        person("case.manager"),
        ClosureHold(case=c, set_on=D(2026, 10, 1), reason="x"),
    )


def test_api_closure_steps_and_the_partners_statement_without_reconciliation(on_demo_day, api):
    c = billed_case()
    cm, partner, dsca = api("case.manager"), api("partner.bandaria"), api("dsca.analyst")
    base = f"/api/v1/cases/cases/{c.pk}"
    r = cm.post(f"{base}/dd645/", {"period_end": "2026-09-30", "notes": "internal"})
    assert r.status_code == 200, r.content
    assert r.json()["differences"] and r.json()["amount_due"] == "450000.00"
    mine = partner.get("/api/v1/cases/statements/", {"case": c.pk}).json()["results"]
    row = next(s for s in mine if s["id"] == r.json()["id"])
    assert row["amount_due"] == "450000.00"
    assert "differences" not in row and "reconciliation_notes" not in row
    assert partner.get("/api/v1/cases/expenditures/").json()["count"] == 0
    r = partner.post(f"{base}/dd645/", {"period_end": "2026-06-30"})
    assert r.status_code in (403, 404)
    # SSC (with its conditions), CLOSHOLD by DSCA, the partner refused.
    line = CaseLine.objects.system().get(case=c)
    d = actions.create(
        person("case.manager"),
        Delivery(case=c, line=line, planned_on=D(2026, 8, 1), planned_quantity=10),
    )
    actions.record_delivery(person("case.manager"), d, D(2026, 8, 1), 10)
    r = cm.post(f"{base}/complete/", {"on": "2026-09-01", "services_complete_on": "2026-08-01"})
    assert r.status_code == 400 and "storage" in r.content.decode()
    r = cm.post(
        f"{base}/complete/",
        {"on": "2026-09-01", "services_complete_on": "2026-08-01", "storage_quantity": "0"},
    )
    assert r.status_code == 200 and r.json()["status"] == "ssc"
    assert cm.post(f"{base}/closhold-set/", {"reason": "x"}).status_code == 403
    r = dsca.post(f"{base}/closhold-set/", {"reason": "final reconciliation", "on": "2026-09-02"})
    assert r.status_code == 200, r.content
    assert partner.get("/api/v1/cases/closure-holds/").json()["count"] == 0
    r = cm.post(f"/api/v1/cases/case-lines/{line.pk}/close/", {"on": "2026-09-03"})
    assert r.status_code == 200 and r.json()["conditional"] is False


def test_case_manager_is_reminded_when_closure_is_due(on_demo_day):
    cm = person("case.manager")
    c = actions.milestone(cm, delivered_case(), "complete", D(2026, 9, 1), **SSC)
    mine = f"{c.identifier} is due for closure"
    assert mine not in [i.title for i in today.closure_items(cm)]  # due 1 Sep 2027
    with time_machine.travel(dt.datetime(2027, 9, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        items = today.closure_items(cm)
        assert today.closure_items(person("partner.bandaria")) == []
    item = next(i for i in items if i.title == mine)
    assert item.rule == "SPEC-11-closure" and item.url.endswith("?tab=closure")
