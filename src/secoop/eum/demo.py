"""Demo: Bandaria's enhanced-EUM night vision devices and patrol boats (issue 18 item 10): one
batch of night vision devices whose initial inventory is overdue, one whose initial inventory
found a serial missing (an open possible violation), the patrol boats inventoried on time, a
compliance assessment visit, a routine report, a signed-off database review, the approved
control plan, a partner's demilitarization request awaiting DoS PM, and a draft materiel notice.
Everything is written through eum.actions, as the users named."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from secoop.core import demo as core_demo
from secoop.core.models import User

from . import actions
from .models import ComplianceVisit
from .models import ControlPlan
from .models import DatabaseReview
from .models import EndUseRequest
from .models import MaterielNotice
from .models import RoutineReport
from .models import TransferredArticle

D = dt.date
REL = "CUI//REL TO USA, XBN"
OVERDUE_NVD = "AN/PVS-14 monocular night vision device (second lot)"
MISSING_NVD = "AN/PVS-14 monocular night vision device"
BOATS = "25-foot Defender-class response boat"


_marked = core_demo.marker(REL)


def _article(sco_user, sco, name, nsn, quantity, delivered, fmt, reference, serials, **extra):
    article = _marked(
        TransferredArticle(
            country_id="XBN",
            owner_org=sco,
            nomenclature=name,
            nsn=nsn,
            quantity=quantity,
            source="other",
            program="golden_sentry",
            monitoring="enhanced",
            transfer_reference=reference,
            delivered_on=delivered,
            serial_format=fmt,
            **extra,
        )
    )
    return actions.register_article(sco_user, article, serials=serials, reason="demo data")


@core_demo.register
def load_eum(made: dict) -> None:
    if TransferredArticle.objects.system().filter(country_id="XBN").exists():
        return
    orgs = made["orgs"]
    sco = orgs["sco"]
    sco_user = User.objects.get(username="sco.bandaria")
    partner = User.objects.get(username="partner.bandaria")
    dsca = User.objects.get(username="dsca.analyst")
    navy = User.objects.get(username="navy.case.manager")
    mod = orgs["mod"]
    with transaction.atomic():
        nvd = _article(
            sco_user,
            sco,
            MISSING_NVD,
            "5855-01-432-0524",
            6,
            D(2026, 6, 15),
            "NVD-[0-9]{6}",
            "FMS case XB-B-LAA (delivered before this system)",
            [f"NVD-{n:06d}" for n in range(101, 107)],
            storage_site="Border brigade armory, Kessa",
            holder="2nd Border Brigade",
        )
        # The initial inventory: NVD-000104 not found, a possible violation opens (R-EUM-07).
        actions.record_check(
            sco_user,
            nvd,
            "initial",
            on=D(2026, 8, 20),
            checked_by="SCO Bandaria EUM officer with the brigade S4",
            evidence="Signed count sheet, photos: SCO shared drive, EUM/2026/08",
            found=[f"NVD-{n:06d}" for n in (101, 102, 103, 105, 106)],
            reason="demo data",
        )
        _article(
            sco_user,
            sco,
            OVERDUE_NVD,
            "5855-01-432-0524",
            4,
            D(2026, 8, 10),
            "NVD-[0-9]{6}",
            "FMS case XB-B-LAA (delivered before this system)",
            [f"NVD-{n:06d}" for n in range(201, 205)],
            storage_site="Coast guard armory, Port Alder",
            holder="Bandaria Coast Guard",
        )  # initial inventory due 90 days after 10 Aug 2026: overdue
        boats = _article(
            sco_user,
            sco,
            BOATS,
            "1940-01-555-0142",
            2,
            D(2025, 9, 15),
            "PB-[0-9]{3}",
            "EDA grant, earlier tranche",
            ["PB-001", "PB-002"],
            storage_site="Port Alder naval base",
            holder="Bandaria Coast Guard",
        )
        for kind, on in (("initial", D(2025, 11, 1)), ("annual", D(2026, 10, 5))):
            actions.record_check(
                sco_user,
                boats,
                kind,
                on=on,
                checked_by="SCO Bandaria EUM officer",
                found=["PB-001", "PB-002"],
                reason="demo data",
            )
        actions.record_check(
            sco_user,
            boats,
            "inspection",
            on=D(2026, 10, 5),
            checked_by="SCO Bandaria EUM officer",
            findings="Boats berthed in the secured basin; weapons mounts locked; access log kept.",
            reason="demo data",
        )
        actions.record_visit(
            dsca,
            _marked(
                ComplianceVisit(
                    country_id="XBN",
                    owner_org=orgs["dsca"],
                    held_on=D(2025, 6, 10),
                    team="DSCA EUM compliance assessment team",
                    findings="Accountability procedures in place; storage at Kessa to be improved.",
                )
            ),
            reason="demo data",
        )
        actions.submit_report(
            partner,
            _marked(
                RoutineReport(
                    country_id="XBN",
                    owner_org=mod,
                    period_end=D(2026, 9, 30),
                    summary="All U.S.-origin articles held by the brigades and coast guard in their stated use.",
                )
            ),
            reason="demo data",
        )
        review = actions.record_review(
            sco_user,
            _marked(
                DatabaseReview(
                    country_id="XBN",
                    owner_org=sco,
                    reviewed_on=D(2026, 10, 5),
                    checked="Every EEUM serial against the delivery records; inventory dates.",
                    discrepancies="None.",
                ),
                "CUI//NOFORN",
            ),
            reason="demo data",
        )
        actions.sign_off_review(dsca, review, D(2026, 10, 9), reason="demo data")
        # The LE assistant drafts the plan; the SCO officer, who did not write it, approves it.
        plan = actions.create_control_plan(
            User.objects.get(username="le.staff"),
            _marked(
                ControlPlan(
                    country_id="XBN",
                    owner_org=sco,
                    internal_accountability="The MoD logistics directorate keeps hand receipts per unit.",
                    inventory_reporting="Units report counts monthly to the MoD; the SCO inventories EEUM items.",
                    record_keeping="MoD and SCO keep inventory records for the life of the articles.",
                    violation_reporting="Loss or theft reported to the SCO within 24 hours.",
                    visit_procedures="The MoD grants the SCO and DSCA access on 48 hours' notice.",
                )
            ),
            reason="demo data",
        )
        actions.approve_control_plan(sco_user, plan, D(2026, 2, 1), reason="demo data")
        actions.request_end_use(
            partner,
            _marked(
                EndUseRequest(
                    article=nvd,
                    owner_org=mod,
                    kind="demil",
                    quantity=1,
                    description="One device damaged beyond repair in a vehicle accident: demilitarize it.",
                    requested_on=D(2026, 11, 20),
                )
            ),
            reason="demo data",
        )
        actions.create_notice(
            navy,
            _marked(
                MaterielNotice(
                    owner_org=orgs["nipo"],
                    item="25-foot Defender-class response boat",
                    related_terms="patrol boat, response boat",
                    rationale="Hulls retired from U.S. Coast Guard service available as EDA.",
                ),
                "CUI//NOFORN",
            ),
            reason="demo data",
        )


def article_named(name: str) -> TransferredArticle:
    return TransferredArticle.objects.system().get(nomenclature=name)
