"""Build fresh cases through the actions, for tests that move them (each test rolls back)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

from secoop.cases import actions
from secoop.cases.models import CaseLine
from secoop.cases.models import FmsCase
from secoop.cases.models import LetterOfRequest
from secoop.core.markings import Marking
from secoop.core.models import User

from .conftest import org
from .conftest import person

D = dt.date
REL = "CUI//REL TO USA, XBN"
_designators = count(1)
D_2026_03_01 = D(2026, 3, 1)
D_2026_03_04 = D(2026, 3, 4)
D_2026_04_01 = D(2026, 4, 1)
D_2026_04_02 = D(2026, 4, 2)
D_2026_04_05 = D(2026, 4, 5)
D_2026_05_01 = D(2026, 5, 1)
D_2026_05_03 = D(2026, 5, 3)


def designator() -> str:
    n = next(_designators)
    return "T" + "ABCDEFGHJKLMNPQRSTUVWXYZ"[n // 24 % 24] + "ABCDEFGHJKLMNPQRSTUVWXYZ"[n % 24]


def validated_lor(
    ia="USASAC", received=D_2026_03_01, validated=D_2026_03_04, **flags
) -> LetterOfRequest:
    lor = LetterOfRequest(
        title=f"Test LOR {designator()}",
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        received_on=received,
        requested_items="Radios",
        estimated_value=Decimal("1000000"),
        implementing_agency=org(ia),
        request_type="loa",
        **flags,
    )
    lor.marking = Marking.parse(REL)
    lor = actions.create(person("sco.bandaria"), lor)
    return actions.validate_lor(
        person("case.manager") if ia == "USASAC" else person("navy.case.manager"), lor, validated
    )


def new_case(
    *, lines=(("Radio", 10, "1000.00", {}),), lor=None, ia="USASAC", code="B", **kw
) -> FmsCase:
    lor = lor or validated_lor(ia)
    user = person("case.manager") if ia == "USASAC" else person("navy.case.manager")
    # R-FMS-04: release approvals come before MILDEP approval; pass None to leave them out.
    kw.setdefault("disclosure_approved_on", D(2026, 3, 20))
    kw.setdefault("transfer_approved_on", D(2026, 3, 20))
    case = FmsCase(
        identifier=f"XB-{code}-{designator()}",
        title="Test case",
        country_id="XBN",
        owner_org=org(ia),
        lor=lor,
        **kw,
    )
    case.marking = Marking.parse(REL)
    case = actions.create(user, case)
    for i, (item, qty, unit, flags) in enumerate(lines, start=1):
        actions.create(
            user,
            CaseLine(
                case=case,
                number=f"{i:03d}",
                item=item,
                quantity=qty,
                unit_value=Decimal(unit),
                **flags,
            ),
        )
    return case


def approver(case: FmsCase) -> User:
    """The IA's second person who approves the LOA its case manager wrote (R-SEC-11)."""
    usasac = case.owner_org_id == org("USASAC").pk
    return person("usasac.approver") if usasac else person("navy.approver")


def offered(case: FmsCase, milap=D_2026_04_01, offer=D_2026_04_05) -> FmsCase:
    cm = (
        person("case.manager")
        if case.owner_org.short_name == "USASAC"
        else person("navy.case.manager")
    )
    if case.disclosure_approved_on is None or case.transfer_approved_on is None:
        # R-FMS-04: the release approvals come before MILDEP approval.
        case = approvals(case, on=D(2026, 3, 20), user=cm)
    for action, on in (
        ("write", D(2026, 3, 10)),
        ("review", D(2026, 3, 15)),
        ("propose", D(2026, 3, 20)),
        ("approve", milap),
        ("offer", offer),
    ):
        case = actions.milestone(approver(case) if action == "approve" else cm, case, action, on)
    return case


def approvals(case: FmsCase, on=D_2026_04_02, user=None) -> FmsCase:
    return actions.update(
        user or person("case.manager"),
        case,
        {"disclosure_approved_on": on, "transfer_approved_on": on},
    )


def accepted(case: FmsCase, signed=D_2026_05_01, deposit=D_2026_05_03) -> FmsCase:
    case = approvals(offered(case))
    return actions.milestone(
        person("partner.bandaria"), case, "accept", deposit, signed_on=signed, deposit_on=deposit
    )


def implemented(case: FmsCase, **kw) -> FmsCase:
    case = accepted(case, **kw)
    case = actions.update(person("case.manager"), case, {"case_manager": person("case.manager")})
    return actions.milestone(person("case.manager"), case, "implement", D(2026, 5, 10))
