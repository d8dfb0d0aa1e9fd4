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

from .models import CaseLine
from .models import DcsLicense
from .models import DcsLicenseType
from .models import DcsStatus
from .models import Delivery
from .models import EdaAuthority
from .models import EdaCondition
from .models import EdaOffer
from .models import EdaStatus
from .models import EdaTerms
from .models import FmsCase
from .models import LoaType
from .rules import Status

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
CASES_PER_CHUNK = 1_000
MAX_LINES = 49

# The dates a case's milestones set, in the order they are reached.
MILESTONES = (
    "written_on",
    "reviewed_on",
    "proposed_on",
    "milap_on",
    "offered_on",
    "accepted_on",
    "implemented_on",
    "ssc_on",
    "closed_on",
)
# (status, weight, milestones reached in order): the first n of MILESTONES.
STATES = tuple(
    (status, weight, MILESTONES[:reached])
    for status, weight, reached in (
        (Status.DEVELOPMENT, 8, 0),
        (Status.WRITTEN, 3, 1),
        (Status.REVIEWED, 3, 2),
        (Status.PROPOSED, 3, 3),
        (Status.MILAP, 3, 4),
        (Status.OFFERED, 6, 5),
        (Status.ACCEPTED, 8, 6),
        (Status.REJECTED, 1, 5),
        (Status.CANCELLED, 2, 1),
        (Status.IMPLEMENTED, 45, 7),
        (Status.SSC, 8, 8),
        (Status.CLOSED, 10, 9),
    )
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


# --- excess defense articles and DCS license requests (issue 15 item 3) ------------------------

EDA_ARTICLES = (
    ("M113A2 armored personnel carrier", "285000.00"),
    ("HMMWV, M998 cargo/troop carrier", "62000.00"),
    ("UH-1H helicopter", "1900000.00"),
    ("C-130H aircraft", "11500000.00"),
    ("Coastal patrol boat, 82 ft", "3200000.00"),
    ("M2 .50 caliber machine gun", "14500.00"),
    ("AN/TPS-63 radar", "4600000.00"),
)
# (status, weight, dates reached in order): a notification precedes the offer (SPEC §11 EDA).
EDA_STATES = (
    (EdaStatus.PROPOSED, 20, ()),
    (EdaStatus.OFFERED, 15, ("notified_on", "offered_on")),
    (EdaStatus.ACCEPTED, 15, ("notified_on", "offered_on", "accepted_on")),
    (EdaStatus.TRANSFERRED, 40, ("notified_on", "offered_on", "accepted_on", "transferred_on")),
    (EdaStatus.DECLINED, 5, ("notified_on", "offered_on", "closed_on")),
    (EdaStatus.WITHDRAWN, 5, ("closed_on",)),
)
EDA_SHARED = {EdaStatus.OFFERED, EdaStatus.ACCEPTED, EdaStatus.TRANSFERRED, EdaStatus.DECLINED}
# Commodity: its USML category.
DCS_COMMODITIES = {
    "Night vision devices, image intensifier tubes": "XII",
    "Rifle scopes and fire control": "I",
    "Tactical radios, encrypted": "XI",
    "Aircraft engine parts": "XIX",
    "Body armor": "X",
    "Unmanned aerial system, Group 2": "VIII",
    "Technical data and defense services": "XXI",
}
DCS_STATES = (
    (DcsStatus.DRAFT, 10, ()),
    (DcsStatus.SUBMITTED, 10, ("submitted_on",)),
    (DcsStatus.IN_REVIEW, 20, ("submitted_on", "received_on")),
    (DcsStatus.APPROVED, 45, ("submitted_on", "received_on", "decided_on")),
    (DcsStatus.DENIED, 5, ("submitted_on", "received_on", "decided_on")),
    (DcsStatus.RWA, 7, ("submitted_on", "received_on", "decided_on")),
    (DcsStatus.WITHDRAWN, 3, ("submitted_on",)),
)
# A license request is the company's business information: CUI, some NOFORN (never a partner's).
DCS_MARKINGS = (("CUI", 80), ("CUI//NOFORN", 15), ("CONFIDENTIAL//NOFORN", 5))


def _dated(rng, obj, reached, today: dt.date, gap=(10, 90)) -> None:
    """Set each date reached, `gap` days apart, the last one in the past."""
    steps = [rng.randint(*gap) for _ in reached]
    on = today - dt.timedelta(days=sum(steps) + rng.randint(0, 500))
    for name, days in zip(reached, steps, strict=True):
        on += dt.timedelta(days=days)
        setattr(obj, name, on)


@core.register
def eda_and_dcs(gen: core.Generation) -> None:
    """EDA offers owned by the recipient's IA offices, shared with it once offered; DCS license
    requests of the U.S. companies, for a destination each — spread over the partners by weight."""
    if not (gen.scale.eda_offers or gen.scale.dcs_licenses):
        return
    rng, today = gen.rng, timezone.localdate()
    companies = gen.orgs["company"]
    offers, licenses = [], []
    eda_per, dcs_per = gen.spread(gen.scale.eda_offers), gen.spread(gen.scale.dcs_licenses)
    for c in gen.countries:
        offices = gen.by_country[c.alpha3]["ia_office"]
        for _ in range(eda_per.get(c.alpha3, 0) if offices else 0):
            article, value = rng.choice(EDA_ARTICLES)
            status, reached = core._weighted(rng, [((s, r), w) for s, w, r in EDA_STATES])
            acquired = Decimal(value) * rng.randint(1, 12)
            offer = EdaOffer(
                title=f"{article} for {c.name}"[:200],
                country=c,
                owner_org=rng.choice(offices),
                article=article,
                quantity=rng.randint(1, 12),
                authority=rng.choice(EdaAuthority.values),
                terms=rng.choice(EdaTerms.values),
                original_acquisition_value=acquired,
                current_value=(acquired * Decimal(rng.randint(5, 40)) / 100).quantize(
                    Decimal("0.01")
                ),
                condition=rng.choice(EdaCondition.values),
                status=status,
                shared_with_partner=status in EDA_SHARED,
            )
            _dated(rng, offer, reached, today)
            offer.marking = gen.marking(core._weighted(rng, CASE_MARKINGS).format(c=c.alpha3))
            offers.append(offer)
        for n in range(dcs_per.get(c.alpha3, 0) if companies else 0):
            commodity = rng.choice(sorted(DCS_COMMODITIES))
            status, reached = core._weighted(rng, [((s, r), w) for s, w, r in DCS_STATES])
            value = Decimal(rng.randint(10, 50_000)) * 1000
            lic = DcsLicense(
                company=rng.choice(companies),
                country=c,
                commodity=commodity,
                usml_category=DCS_COMMODITIES[commodity],
                license_type=rng.choice(DcsLicenseType.values),
                value=value,
                mde_value=value if rng.random() < 0.2 else Decimal("0"),
                status=status,
            )
            _dated(rng, lic, reached, today, gap=(5, 60))
            if lic.submitted_on:
                lic.reference = f"GEN{gen.run}-{c.alpha3}-{n + 1:06d}"
            lic.marking = gen.marking(core._weighted(rng, DCS_MARKINGS))
            licenses.append(lic)
    gen.create(offers)
    gen.create(licenses)
