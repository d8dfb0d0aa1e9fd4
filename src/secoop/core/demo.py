"""Demo data for the core: the organization tree, the notional partner Bandaria, the demo users of
the README and documents with mixed markings, so that logging in as different users shows the
access rules at work. Idempotent: records are found by their natural names before being made.

Other apps add their own demo data by registering a loader with `register`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from . import actions
from .markings import Classification
from .markings import Marking
from .models import Document
from .models import Membership
from .models import Organization
from .models import User
from .models.documents import DocumentKind
from .models.organizations import OrganizationKind as K
from .rules import Audience
from .rules import Clearance
from .rules import Role

DEMO_PASSWORD = "Secoop-demo-2026!"

_loaders: list[Callable[[dict], None]] = []


def register(loader: Callable[[dict], None]) -> Callable[[dict], None]:
    """Apps add demo data with @demo.register; each loader gets the dict of core demo objects."""
    _loaders.append(loader)
    return loader


def marker(default: str) -> Callable:
    """An app loader's `_marked(record, marking=default)`: sets the record's marking from its
    text (e.g. "CUI//REL TO USA, XBN") before the action that creates it, and returns it."""

    def marked(record, marking: str = default):
        record.marking = Marking.parse(marking)
        return record

    return marked


def company_row(key: str, name: str, short: str) -> tuple:
    """An ORGANIZATIONS row for a U.S. company (industry): no parent, country, command or IA code."""
    return (key, name, short, K.COMPANY, None, None, "", "", "UNCLASSIFIED")


# (key, name, short name, kind, parent key, country, ccmd, IA code, marking)
ORGANIZATIONS = [
    ("dod", "Department of Defense", "DoD", K.DOD, None, None, "", "", "UNCLASSIFIED"),
    (
        "osd",
        "Office of the Under Secretary of Defense for Policy",
        "OUSD(P)",
        K.OSD,
        "dod",
        None,
        "",
        "",
        "UNCLASSIFIED",
    ),
    (
        "solic",
        "Office of the Assistant Secretary of Defense for Special Operations and Low-Intensity "
        "Conflict (Regional Defense Fellowship Program)",
        "ASD(SO/LIC)",
        K.OSD,
        "osd",
        None,
        "",
        "",
        "UNCLASSIFIED",
    ),
    ("js", "Joint Staff J5", "Joint Staff J5", K.JOINT_STAFF, "dod", None, "", "", "UNCLASSIFIED"),
    (
        "dsca",
        "Defense Security Cooperation Agency",
        "DSCA",
        K.DSCA,
        "dod",
        None,
        "",
        "",
        "UNCLASSIFIED",
    ),
    (
        "africom",
        "U.S. Africa Command J5",
        "AFRICOM",
        K.CCMD,
        "dod",
        None,
        "AFRICOM",
        "",
        "UNCLASSIFIED",
    ),
    (
        "centcom",
        "U.S. Central Command J5",
        "CENTCOM",
        K.CCMD,
        "dod",
        None,
        "CENTCOM",
        "",
        "UNCLASSIFIED",
    ),
    (
        "eucom",
        "U.S. European Command J5",
        "EUCOM",
        K.CCMD,
        "dod",
        None,
        "EUCOM",
        "",
        "UNCLASSIFIED",
    ),
    (
        "indopacom",
        "U.S. Indo-Pacific Command J5",
        "INDOPACOM",
        K.CCMD,
        "dod",
        None,
        "INDOPACOM",
        "",
        "UNCLASSIFIED",
    ),
    (
        "northcom",
        "U.S. Northern Command J5",
        "NORTHCOM",
        K.CCMD,
        "dod",
        None,
        "NORTHCOM",
        "",
        "UNCLASSIFIED",
    ),
    (
        "southcom",
        "U.S. Southern Command J5",
        "SOUTHCOM",
        K.CCMD,
        "dod",
        None,
        "SOUTHCOM",
        "",
        "UNCLASSIFIED",
    ),
    (
        "sco",
        "Office of Security Cooperation, U.S. Embassy Bandaria",
        "SCO Bandaria",
        K.SCO,
        "africom",
        "XBN",
        "",
        "",
        "UNCLASSIFIED//REL TO USA, XBN",
    ),
    ("army", "Department of the Army", "Army", K.MILDEP, "dod", None, "", "", "UNCLASSIFIED"),
    (
        "usasac",
        "U.S. Army Security Assistance Command",
        "USASAC",
        K.IMPLEMENTING_AGENCY,
        "army",
        None,
        "",
        "B",
        "UNCLASSIFIED",
    ),
    ("navy", "Department of the Navy", "Navy", K.MILDEP, "dod", None, "", "", "UNCLASSIFIED"),
    (
        "nipo",
        "Navy International Programs Office",
        "NIPO",
        K.IMPLEMENTING_AGENCY,
        "navy",
        None,
        "",
        "P",
        "UNCLASSIFIED",
    ),
    (
        "airforce",
        "Department of the Air Force",
        "Air Force",
        K.MILDEP,
        "dod",
        None,
        "",
        "",
        "UNCLASSIFIED",
    ),
    (
        "safia",
        "Deputy Under Secretary of the Air Force for International Affairs",
        "SAF/IA",
        K.IMPLEMENTING_AGENCY,
        "airforce",
        None,
        "",
        "D",
        "UNCLASSIFIED",
    ),
    ("dos", "Department of State", "DoS", K.DOS, None, None, "", "", "UNCLASSIFIED"),
    (
        "pm",
        "Bureau of Political-Military Affairs",
        "State PM",
        K.DOS,
        "dos",
        None,
        "",
        "",
        "UNCLASSIFIED",
    ),
    (
        "embassy",
        "U.S. Embassy Bandaria — Country Team",
        "Embassy Bandaria",
        K.EMBASSY,
        "dos",
        "XBN",
        "",
        "",
        "UNCLASSIFIED//REL TO USA, XBN",
    ),
    (
        "bandaria",
        "Government of the Republic of Bandaria",
        "Bandaria",
        K.PARTNER,
        None,
        "XBN",
        "",
        "",
        "UNCLASSIFIED//REL TO USA, XBN",
    ),
    (
        "mod",
        "Ministry of Defence of Bandaria",
        "Bandaria MoD",
        K.PARTNER,
        "bandaria",
        "XBN",
        "",
        "",
        "UNCLASSIFIED//REL TO USA, XBN",
    ),
    company_row("company", "Meridian Defense Systems, Inc.", "Meridian Defense"),
]


def us_staff(username: str, name: str, title: str, org: str, role: str) -> tuple:
    """A USERS row for U.S. Government staff: a U.S. citizen with a SECRET clearance, not LE staff,
    not an administrator of the site."""
    return (username, name, title, Audience.USG, "USA", Clearance.SECRET, False, org, role, False)


# (username, display name, title, audience, citizenship, clearance, LE, org key, role, staff)
USERS = [
    (
        "admin",
        "Alex Morgan",
        "System administrator",
        Audience.USG,
        "USA",
        Clearance.NONE,
        False,
        "dod",
        Role.ADMINISTRATOR,
        True,
    ),
    us_staff(
        "sco.bandaria", "Maj. Dana Reyes", "Security cooperation officer", "sco", Role.SCO_OFFICER
    ),
    us_staff(
        "ccmd.planner",
        "Lt. Col. Sam Okafor",
        "AFRICOM J5 country desk officer, Bandaria",
        "africom",
        Role.CCMD_PLANNER,
    ),
    us_staff("case.manager", "Chris Patel", "Case manager, USASAC", "usasac", Role.CASE_MANAGER),
    us_staff(
        "navy.case.manager",
        "Sam Whitaker",
        "Case manager, Navy International Programs Office",
        "nipo",
        Role.CASE_MANAGER,
    ),
    # R-SEC-11: the LOA's MILDEP approval is a second person's, never the writer's.
    us_staff(
        "usasac.approver",
        "Morgan Ellis",
        "Country program director, USASAC (approves LOAs for the MILDEP)",
        "usasac",
        Role.CASE_MANAGER,
    ),
    us_staff(
        "navy.approver",
        "Riley Chen",
        "Country program director, Navy IPO (approves LOAs for the MILDEP)",
        "nipo",
        Role.CASE_MANAGER,
    ),
    us_staff(
        "dsca.analyst", "Jordan Lee", "Country portfolio director, DSCA", "dsca", Role.DSCA_STAFF
    ),
    # OSD/SOLIC approves Regional Defense Fellowship nominations itself (R-TRN-03, issue 14.7).
    us_staff(
        "osd.solic",
        "Avery Quinn",
        "Regional Defense Fellowship Program manager, OSD/SOLIC",
        "solic",
        Role.OSD_POLICY,
    ),
    us_staff("state.pm", "Robin Hayes", "Foreign affairs officer, PM/RSAT", "pm", Role.STATE_PM),
    (
        "le.staff",
        "Amara Ndiaye",
        "SCO program assistant (locally employed)",
        Audience.USG,
        "XBN",
        Clearance.NONE,
        True,
        "sco",
        Role.LE_ASSISTANT,
        False,
    ),
    (
        "partner.bandaria",
        "Col. Tomas Verin",
        "Director of Armaments, Bandaria MoD",
        Audience.PARTNER,
        "XBN",
        Clearance.SECRET,
        False,
        "mod",
        Role.PARTNER_REP,
        False,
    ),
    (
        "industry.rep",
        "Pat Quinn",
        "International business development, Meridian Defense",
        Audience.INDUSTRY,
        "USA",
        Clearance.SECRET,
        False,
        "company",
        Role.INDUSTRY_REP,
        False,
    ),
    # The second person for access grants (R-SEC-11) and the theater's authority over markings
    # (R-SEC-10): a U.S. person, who performs no mission action.
    us_staff(
        "security.officer",
        "Morgan Ellis",
        "AFRICOM foreign disclosure and security officer",
        "africom",
        (Role.SECURITY_OFFICER, Role.FOREIGN_DISCLOSURE_OFFICER, Role.CLASSIFICATION_AUTHORITY),
    ),
    # The budget request's reviewers between the CCMD and DSCA, and after DSCA (R-BUD-05).
    (
        "joint.staff",
        "Cdr. Lee Marsh",
        "Joint Staff J5, security cooperation budget reviewer",
        Audience.USG,
        "USA",
        Clearance.SECRET,
        False,
        "js",
        Role.JOINT_STAFF,
        False,
    ),
    (
        "osd.policy",
        "Dana Whitfield",
        "OUSD(P) Africa regional office",
        Audience.USG,
        "USA",
        Clearance.SECRET,
        False,
        "osd",
        Role.OSD_POLICY,
        False,
    ),
]


def roles_of(role: str | tuple[str, ...]) -> tuple[str, ...]:
    """A demo user's roles in their organization (one, or several)."""
    return (role,) if isinstance(role, str) else tuple(role)


# (title, kind, owner key, country, marking, summary)
DOCUMENTS = [
    (
        "Bandaria Integrated Country Strategy — unclassified summary",
        DocumentKind.GUIDANCE,
        "embassy",
        "XBN",
        "UNCLASSIFIED//REL TO USA, XBN",
        "The Chief of Mission's goals for Bandaria, shared with the Ministry of Defence.",
    ),
    (
        "Letter of Request guide for the Bandaria Ministry of Defence",
        DocumentKind.CORRESPONDENCE,
        "sco",
        "XBN",
        "CUI//REL TO USA, XBN",
        "What a complete LOR contains and how the SCO routes it to the implementing agency.",
    ),
    (
        "Request for information: coastal patrol boats",
        DocumentKind.CORRESPONDENCE,
        "mod",
        "XBN",
        "CUI//REL TO USA, XBN",
        "The Ministry of Defence asks for pricing and availability of coastal patrol craft.",
    ),
    (
        "Informal translation: Bandaria defence white paper 2026",
        DocumentKind.TRANSLATION,
        "sco",
        "XBN",
        "UNCLASSIFIED//REL TO USA, XBN",
        "Informal and unofficial translation - English text governs (R-SEC-06).",
    ),
    (
        "SCO Bandaria quarterly report, Q4 FY2026",
        DocumentKind.REPORT,
        "sco",
        "XBN",
        "CUI",
        "Activities, cases and students of the quarter; for U.S. readers.",
    ),
    (
        "Partner capability assessment: border security (internal)",
        DocumentKind.ASSESSMENT,
        "sco",
        "XBN",
        "CUI//NOFORN",
        "The SCO's frank assessment of the border brigade's readiness. Not for the partner.",
    ),
    (
        "AFRICOM campaign plan extract: Bandaria country objectives",
        DocumentKind.GUIDANCE,
        "africom",
        "XBN",
        "CUI//NOFORN",
        "Intermediate military objectives for Bandaria, FY2027–FY2031.",
    ),
    (
        "Marketing visit synopsis: Meridian coastal surveillance radar",
        DocumentKind.CORRESPONDENCE,
        "company",
        "XBN",
        "CUI",
        "Synopsis, export licence status and support requested, 30 days before the visit (R-IND-01).",
    ),
    (
        "DSCA country portfolio review notes: Bandaria",
        DocumentKind.REPORT,
        "dsca",
        "XBN",
        "CUI",
        "Case execution, FMF balances and forecast consonance (R-FCT-04).",
    ),
    (
        "Bandaria border incident summary",
        DocumentKind.REPORT,
        "sco",
        "XBN",
        "CONFIDENTIAL//REL TO USA, XBN",
        "Shared with the Ministry of Defence under the information-sharing arrangement.",
    ),
    (
        "Regional threat assessment: Bandaria frontier",
        DocumentKind.ASSESSMENT,
        "africom",
        "XBN",
        "SECRET//NOFORN",
        "AFRICOM J2 assessment supporting the campaign plan.",
    ),
]


# Time zones where the defaults (country, command headquarters, parent, UTC) would not say it:
# Washington for the departments (their offices inherit it), East Africa for notional Bandaria.
DEMO_TIME_ZONES = {
    "dod": "America/New_York",
    "dos": "America/New_York",
    "company": "America/New_York",
    "sco": "Africa/Nairobi",
    "embassy": "Africa/Nairobi",
    "bandaria": "Africa/Nairobi",
    "mod": "Africa/Nairobi",
}


def organization_from_row(
    made: dict,
    key: str,
    name: str,
    short: str,
    kind: str,
    parent: str | None,
    country: str | None,
    ccmd: str,
    ia_code: str,
    marking: str,
    *,
    reason: str = "demo data",
) -> tuple[Organization, bool]:
    """One ORGANIZATIONS row as a record (the demo and the data generator): the existing one of
    that short name and kind, else a new one under its parent from `made`. Answers (org, created)."""
    existing = (
        Organization.objects.system().filter(short_name=short, kind=kind).order_by("pk").first()
    )
    if existing:
        return existing, False
    org = Organization(
        name=name,
        short_name=short,
        kind=kind,
        parent=made.get(parent) if parent else None,
        country_id=country,
        ccmd=ccmd,
        implementing_agency_code=ia_code,
        time_zone=DEMO_TIME_ZONES.get(key, ""),
    )
    org.marking = Marking.parse(marking)
    return actions.system_create(org, reason=reason), True


@transaction.atomic
def load() -> dict:
    """Load the core demo data; returns what it made (for app loaders)."""
    with actions.system_writes("demo data"):
        return _load()


def _load() -> dict:
    orgs: dict[str, Organization] = {}
    for row in ORGANIZATIONS:
        orgs[row[0]], _ = organization_from_row(orgs, *row)

    users: dict[str, User] = {}
    for (
        username,
        display,
        title,
        audience,
        citizenship,
        clearance,
        le,
        org_key,
        role,
        staff,
    ) in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=display,
                title=title,
                audience=audience,
                citizenship_id=citizenship,
                clearance=clearance,
                is_le_staff=le,
                is_staff=staff,
                is_superuser=staff,
                email=f"{username}@example.mil",
            )
            if le:
                user.last_investigation_on = dt.date(
                    2021, 12, 15
                )  # reinvestigation falls due soon: shows on the home page
            user.set_password(DEMO_PASSWORD)
            user.save()
        for one in roles_of(role):
            if not Membership.objects.filter(
                user=user, organization=orgs[org_key], role=one
            ).exists():
                actions.grant_membership(None, user, orgs[org_key], one)
        users[username] = user

    ceiling = actions.deployment_ceiling()
    documents = []
    for title, kind, owner, country, marking, summary in DOCUMENTS:
        parsed = Marking.parse(marking)
        if parsed.classification > ceiling:
            continue  # this deployment may not hold it (R-SEC-01)
        doc = Document.objects.system().filter(title=title).first()
        if doc is None:
            doc = Document(
                title=title,
                kind=kind,
                owner_org=orgs[owner],
                country_id=country,
                summary=summary,
                dated=dt.date(2026, 10, 15),
            )
            doc.marking = parsed
            actions.system_create(doc, reason="demo data")
        documents.append(doc)

    made = {"orgs": orgs, "users": users, "documents": documents}
    for loader in _loaders:
        loader(made)
    return made


def classified_demo_held() -> bool:
    return actions.deployment_ceiling() >= Classification.SECRET
