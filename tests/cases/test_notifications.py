"""What case actions tell other organizations (core notifications): the SCO when a partner submits
an LOR and the IA when the SCO routes it (R-FMS-01); the IA and DSCA when the SCO advises them of
the purchaser's decision (R-FMS-08); the ILCO when an SDR is routed to it and the submitter when
the ILCO replies (R-FMS-10). Each carries its record's marking; a partner reads only what is said
to its own ministry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from secoop.cases import actions
from secoop.cases.models import LetterOfRequest
from secoop.cases.models import SupplyDiscrepancyReport
from secoop.core.markings import Marking
from secoop.core.models import Notification

from .builders import accepted
from .builders import new_case
from .conftest import case
from .conftest import org
from .conftest import person

pytestmark = pytest.mark.django_db
REL = "CUI//REL TO USA, XBN"


def notes_about(record):
    return list(
        Notification.objects.system()
        .filter(content_type__model=type(record)._meta.model_name, object_id=str(record.pk))
        .order_by("id")
    )


def recipients(notes):
    return [n.recipient_org.short_name for n in notes]


def test_r_fms_01_a_partner_lor_tells_the_sco_and_routing_tells_the_ia(on_demo_day):
    new = LetterOfRequest(
        title="Night sights",
        country_id="XBN",
        owner_org=org("Bandaria MoD"),
        requested_items="40 thermal sights",
        estimated_value=Decimal("900000"),
        request_type="loa",
    )
    new.marking = Marking.parse(REL)
    new = actions.create(person("partner.bandaria"), new)
    assert recipients(notes_about(new)) == ["SCO Bandaria"]
    actions.route_lor(person("sco.bandaria"), new, org("USASAC"))
    routed = notes_about(new)[-1]
    assert routed.recipient_org.short_name == "USASAC" and routed.rule == "R-FMS-01"
    assert (on_demo_day + dt.timedelta(days=5)).strftime("%d %b %Y") in routed.body
    assert all(n.marking_text == REL and not n.partner_visible for n in notes_about(new))


def test_r_fms_08_the_sco_advice_reaches_the_ia_and_dsca(on_demo_day):
    c = accepted(new_case())
    actions.notify_ia_and_dsca(person("sco.bandaria"), c, dt.date(2026, 5, 4))
    [to_ia, to_dsca] = notes_about(c)
    assert [to_ia.recipient_org.short_name, to_dsca.recipient_org.short_name] == ["USASAC", "DSCA"]
    assert (
        "accepted" in to_ia.subject
        and to_ia.rule == "R-FMS-08"
        and to_ia.marking_text == c.marking_text
    )


def test_r_fms_10_an_sdr_goes_to_the_ilco_and_its_reply_back_to_the_partner(on_demo_day, api):
    sdr = SupplyDiscrepancyReport(
        case=case("XB-B-ZAA"),
        owner_org=org("Bandaria MoD"),
        reported_on=on_demo_day,
        discrepancy="shortage",
        description="2 radios short",
        quantity=2,
        value=Decimal("65000"),
    )
    sdr.marking = Marking.parse(REL)
    sdr = actions.create(person("partner.bandaria"), sdr)
    [routed] = notes_about(sdr)
    assert routed.recipient_org == sdr.ilco and not routed.partner_visible
    actions.reply_sdr(person("case.manager"), sdr, "Replacement shipped", dt.date(2026, 11, 30))
    reply = notes_about(sdr)[-1]
    assert (
        reply.recipient_org.short_name == "Bandaria MoD"
        and reply.body == "Replacement shipped"
        and reply.partner_visible
    )
    seen = {
        n["id"]
        for n in api("partner.bandaria")
        .get("/api/v1/notifications/", {"page_size": 500})
        .json()["results"]
    }
    assert reply.pk in seen and routed.pk not in seen
