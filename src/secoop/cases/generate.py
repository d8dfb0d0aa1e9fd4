"""Synthetic FMS cases for `secoop generate` (registered with core.generate.register).

Per generated partner country (its share by `Generation.spread`, a few large purchasers and a long
tail): cases owned by the country's implementing-agency offices, identified CC-I-DDD (the
country's alpha-2 code, the IA's code, a designator), in every LOA state with the dates the
milestones up to it would have set (SPEC §5), shared with the purchaser from the offer on (as
`actions.milestone` shares them); 1–49 lines each (the scale's total), and for implemented cases a
delivery of their first lines. Cases, lines and deliveries are bulk-created through
`Generation.create` with their CREATE change-log entries, a chunk of cases at a time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from secoop.core import generate as core

from .models import CaseLine, Delivery, FmsCase, LoaType
from .rules import Status

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
CASES_PER_CHUNK = 1_000
MAX_LINES = 49

# (status, weight, milestones reached in order): the dates each milestone sets.
STATES = (
    (Status.DEVELOPMENT, 8, ()),
    (Status.WRITTEN, 3, ("written_on",)),
    (Status.REVIEWED, 3, ("written_on", "reviewed_on")),
    (Status.PROPOSED, 3, ("written_on", "reviewed_on", "proposed_on")),
    (Status.MILAP, 3, ("written_on", "reviewed_on", "proposed_on", "milap_on")),
    (Status.OFFERED, 6, ("written_on", "reviewed_on", "proposed_on", "milap_on", "offered_on")),
    (
        Status.ACCEPTED,
        8,
        ("written_on", "reviewed_on", "proposed_on", "milap_on", "offered_on", "accepted_on"),
    ),
    (Status.REJECTED, 1, ("written_on", "reviewed_on", "proposed_on", "milap_on", "offered_on")),
    (Status.CANCELLED, 2, ("written_on",)),
    (
        Status.IMPLEMENTED,
        45,
        (
            "written_on",
            "reviewed_on",
            "proposed_on",
            "milap_on",
            "offered_on",
            "accepted_on",
            "implemented_on",
        ),
    ),
    (
        Status.SSC,
        8,
        (
            "written_on",
            "reviewed_on",
            "proposed_on",
            "milap_on",
            "offered_on",
            "accepted_on",
            "implemented_on",
            "ssc_on",
        ),
    ),
    (
        Status.CLOSED,
        10,
        (
            "written_on",
            "reviewed_on",
            "proposed_on",
            "milap_on",
            "offered_on",
            "accepted_on",
            "implemented_on",
            "ssc_on",
            "closed_on",
        ),
    ),
)
SHARED = {
    Status.OFFERED,
    Status.ACCEPTED,
    Status.REJECTED,
    Status.IMPLEMENTED,
    Status.SSC,
    Status.CLOSED,
}
# A purchaser's case is releasable to it; some carry caveats the partner user cannot pass.
CASE_MARKINGS = (
    ("CUI//REL TO USA, {c}", 60),
    ("UNCLASSIFIED//REL TO USA, {c}", 15),
    ("CONFIDENTIAL//REL TO USA, {c}", 10),
    ("CUI", 8),
    ("CUI//NOFORN", 5),
    ("SECRET//NOFORN", 2),
)
ITEMS = (
    ("AN/PRC-163 handheld radio", "32500.00"),
    ("AN/VRC-118 vehicle radio", "78000.00"),
    ("M1151 HMMWV, armored", "245000.00"),
    ("Night vision goggles, PVS-14", "4200.00"),
    ("Coastal patrol boat, 35 ft", "1850000.00"),
    ("UH-60M spare parts package", "640000.00"),
    ("Air surveillance radar, transportable", "9800000.00"),
    ("Operator and maintainer training", "340000.00"),
    ("Contractor logistics support, one year", "1200000.00"),
    ("Technical publications", "85000.00"),
    ("Body armor, Level IV plates", "1100.00"),
    ("Thermal weapon sight", "11800.00"),
)


def designators():
    """AAA, AAB, …: three characters of the identifier, in order."""
    for a in ALPHABET:
        for b in ALPHABET:
            for c in ALPHABET:
                yield a + b + c


@core.register
def cases(gen: core.Generation) -> None:
    if not gen.scale.cases:
        return
    rng = gen.rng
    today = timezone.localdate()
    taken = set(FmsCase.objects.system().values_list("identifier", flat=True))
    per_country = gen.spread(gen.scale.cases)
    # Lines spread over all the cases: 1–49 each around the scale's mean.
    mean_lines = max(1, gen.scale.case_lines // max(1, gen.scale.cases))
    lines_left = gen.scale.case_lines
    cases_left = gen.scale.cases
    pending: list[FmsCase] = []
    for c in gen.countries:
        offices = [o for o in gen.by_country[c.alpha3]["ia_office"] if o.implementing_agency_code]
        if not offices or not per_country.get(c.alpha3):
            continue
        free = {o.pk: designators() for o in offices}
        for _ in range(per_country[c.alpha3]):
            ia = rng.choice(offices)
            identifier = next(
                i
                for d in free[ia.pk]
                if (i := f"{c.alpha2}-{ia.implementing_agency_code}-{d}") not in taken
            )
            taken.add(identifier)
            pending.append(_case(gen, c, ia, identifier, today))
            if len(pending) >= CASES_PER_CHUNK:
                lines_left, cases_left = _flush(gen, pending, mean_lines, lines_left, cases_left)
                pending = []
    _flush(gen, pending, mean_lines, lines_left, cases_left)


def _case(gen: core.Generation, c, ia, identifier: str, today: dt.date) -> FmsCase:
    rng = gen.rng
    status, reached = core._weighted(rng, [((s, r), w) for s, w, r in STATES])
    topic = rng.choice(core.TOPICS)
    case = FmsCase(
        identifier=identifier,
        title=f"{topic.capitalize()} for {c.name}"[:200],
        country=c,
        owner_org=ia,
        loa_type=LoaType.DEFINED if rng.random() < 0.85 else LoaType.BLANKET,
        status=status,
    )
    # Milestones 20–90 days apart, the last one in the past.
    steps = [rng.randint(20, 90) for _ in reached]
    on = today - dt.timedelta(days=sum(steps) + rng.randint(0, 400))
    case.lor_complete_on = on
    for name, days in zip(reached, steps, strict=True):
        on += dt.timedelta(days=days)
        setattr(case, name, on)
    if status == Status.CANCELLED:
        case.cancelled_on = on + dt.timedelta(days=30)
    if status == Status.REJECTED:
        case.rejected_on = on + dt.timedelta(days=30)
    if case.offered_on:
        case.oed = case.offered_on + dt.timedelta(days=85)
    if case.accepted_on:
        case.signed_on = case.deposit_on = case.accepted_on
    case.shared_with_partner = status in SHARED
    case.marking = gen.marking(core._weighted(rng, CASE_MARKINGS).format(c=c.alpha3))
    return case


def _flush(gen: core.Generation, cases: list[FmsCase], mean: int, lines_left: int, cases_left: int):
    """Create a chunk of cases with their lines (and deliveries for implemented ones)."""
    if not cases:
        return lines_left, cases_left
    rng = gen.rng
    gen.create(cases)
    lines: list[CaseLine] = []
    for case in cases:
        # The last cases take what is left so the total is the scale's.
        cases_left -= 1
        if cases_left == 0:
            n = max(1, min(MAX_LINES, lines_left))
        else:
            n = max(1, min(MAX_LINES, lines_left - cases_left, rng.randint(1, 2 * mean - 1)))
        lines_left -= n
        for k in range(1, n + 1):
            item, unit = rng.choice(ITEMS)
            qty = rng.randint(1, 200)
            line = CaseLine(
                case=case,
                number=f"{k:03d}",
                item=item,
                quantity=qty,
                unit_value=Decimal(unit),
                total_value=Decimal(unit) * qty,
                mde=Decimal(unit) * qty >= Decimal("25000000"),
                classified=rng.random() < 0.05,
            )
            line.marking = case.marking
            lines.append(line)
    gen.create(lines)
    deliveries = []
    for line in lines:
        case = line.case
        if case.status == Status.IMPLEMENTED and line.number in ("001", "002"):
            planned = case.implemented_on + dt.timedelta(days=rng.randint(60, 400))
            d = Delivery(case=case, line=line, planned_on=planned, planned_quantity=line.quantity)
            d.marking = case.marking
            deliveries.append(d)
    gen.create(deliveries)
    return lines_left, cases_left
