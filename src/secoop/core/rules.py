"""Access rules R-SEC-01..03 as pure functions over plain facts.

The queryset door (`core.access`) turns the same rules into SQL; the property-based test proves
that the two agree for generated users and records, so this module is the readable statement of
who sees what.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from dataclasses import field

from .lifecycle import Lifecycle
from .markings import Classification
from .markings import Marking
from .verdicts import Finding

USA = "USA"


class Audience:
    """Which door a user comes through. USG covers DoD and DoS staff, LE staff included."""

    USG = "USG"
    PARTNER = "PARTNER"
    INDUSTRY = "INDUSTRY"
    CHOICES = [
        (USG, "U.S. Government"),
        (PARTNER, "Partner nation"),
        (INDUSTRY, "U.S. industry"),
    ]


class Clearance:
    """Security clearance of a person. NONE still reads UNCLASSIFIED and CUI."""

    NONE = 1
    CONFIDENTIAL = 2
    SECRET = 3
    TOP_SECRET = 4
    CHOICES = [
        (NONE, "None"),
        (CONFIDENTIAL, "Confidential"),
        (SECRET, "Secret"),
        (TOP_SECRET, "Top Secret"),
    ]


def highest_readable(clearance: int) -> Classification:
    """The highest classification a clearance reads."""
    if clearance >= Clearance.SECRET:
        return Classification.SECRET
    if clearance == Clearance.CONFIDENTIAL:
        return Classification.CONFIDENTIAL
    return Classification.CUI


@dataclass(frozen=True)
class PersonFacts:
    active: bool
    audience: str
    citizenship: str  # alpha-3
    clearance: int
    is_le_staff: bool = False
    laa_level: int = Clearance.NONE  # Limited Access Authorization, for LE staff
    last_investigation_on: dt.date | None = None
    member_org_ids: frozenset[int] = field(default_factory=frozenset)
    partner_country: str | None = None  # alpha-3, for partner users


def laa_in_force(person: PersonFacts, today: dt.date, reinvestigation_years: int) -> bool:
    """R-SEC-02: an LAA counts only while the background reinvestigation is current."""
    if (
        not person.is_le_staff
        or person.laa_level <= Clearance.NONE
        or person.last_investigation_on is None
    ):
        return False
    due = add_years(person.last_investigation_on, reinvestigation_years)
    return today < due


def reinvestigation_due(last: dt.date | None, years: int) -> dt.date | None:
    return add_years(last, years) if last else None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier when negative), or the month's last day when it is
    shorter (31 January + 1 month = 28 or 29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def readable_ceiling(
    person: PersonFacts, today: dt.date, reinvestigation_years: int
) -> Classification:
    """The highest classification this person may read (R-SEC-01, R-SEC-02)."""
    if person.is_le_staff:
        # R-SEC-02: LE staff see no classified record unless they hold an LAA in force.
        if laa_in_force(person, today, reinvestigation_years):
            return min(highest_readable(person.laa_level), highest_readable(person.clearance))
        return Classification.CUI
    return highest_readable(person.clearance)


def must_be_released_to(person: PersonFacts) -> str | None:
    """A foreign national reads only what is released to their country (R-SEC-01, R-SEC-02);
    returns that country's trigraph, or None for a U.S. person."""
    return None if person.citizenship == USA else person.citizenship


@dataclass(frozen=True)
class RecordFacts:
    marking: Marking
    partner_visible: bool  # False for planning, forecasts, vetting, internal assessments (R-SEC-03)
    owner_org_id: int | None
    country: str | None  # alpha-3 of the partner the record is about


def can_see(
    person: PersonFacts, record: RecordFacts, today: dt.date, reinvestigation_years: int
) -> bool:
    if not person.active:
        return False
    if record.marking.classification > readable_ceiling(person, today, reinvestigation_years):
        return False
    foreign = must_be_released_to(person)
    if foreign and not record.marking.releasable_to(foreign):
        return False
    if person.audience == Audience.PARTNER:
        # R-SEC-03: partner users see only their country's or their organization's records, and
        # never planning, forecasts, vetting results or internal assessments.
        if not record.partner_visible:
            return False
        return (
            record.country == person.partner_country or record.owner_org_id in person.member_org_ids
        )
    if person.audience == Audience.INDUSTRY:
        return record.owner_org_id in person.member_org_ids
    return True


# --- roles -------------------------------------------------------------------------------------


class Role:
    """A user's role in one organization (SPEC §1)."""

    SCO_CHIEF = "sco_chief"
    SCO_OFFICER = "sco_officer"
    SDO_DATT = "sdo_datt"
    LE_ASSISTANT = "le_assistant"
    CCMD_PLANNER = "ccmd_planner"
    COUNTRY_DESK_OFFICER = "country_desk_officer"
    CASE_MANAGER = "case_manager"
    DSCA_STAFF = "dsca_staff"
    OSD_POLICY = "osd_policy"
    JOINT_STAFF = "joint_staff"
    COUNTRY_TEAM = "country_team"
    STATE_PM = "state_pm"
    PARTNER_REP = "partner_rep"
    INDUSTRY_REP = "industry_rep"
    ADMINISTRATOR = "administrator"
    VIEWER = "viewer"
    # Authorities over markings and access (R-SEC-10, R-SEC-11): U.S. persons only.
    FOREIGN_DISCLOSURE_OFFICER = "disclosure_officer"  # widens releasability (REL TO)
    CLASSIFICATION_AUTHORITY = "classifier"  # lowers a classification (downgrade)
    SECURITY_OFFICER = "security_officer"  # second person for clearance and access grants

    CHOICES = [
        (SCO_CHIEF, "SCO chief"),
        (SCO_OFFICER, "SCO officer"),
        (SDO_DATT, "SDO/DATT"),
        (LE_ASSISTANT, "Locally employed assistant"),
        (CCMD_PLANNER, "CCMD J5 planner"),
        (COUNTRY_DESK_OFFICER, "Country desk officer"),
        (CASE_MANAGER, "Case manager"),
        (DSCA_STAFF, "DSCA staff"),
        (OSD_POLICY, "OSD Policy"),
        (JOINT_STAFF, "Joint Staff"),
        (COUNTRY_TEAM, "Country team"),
        (STATE_PM, "DoS Political-Military Affairs"),
        (PARTNER_REP, "Partner nation representative"),
        (INDUSTRY_REP, "Industry representative"),
        (ADMINISTRATOR, "Administrator"),
        (VIEWER, "Viewer (read only)"),
        (FOREIGN_DISCLOSURE_OFFICER, "Foreign disclosure officer"),
        (CLASSIFICATION_AUTHORITY, "Classification authority (original or derivative)"),
        (SECURITY_OFFICER, "Security officer"),
    ]
    LABELS = dict(CHOICES)

    # Roles that may change records owned by their organization (and the organizations below it).
    WRITERS = frozenset(
        {
            SCO_CHIEF,
            SCO_OFFICER,
            SDO_DATT,
            LE_ASSISTANT,
            CCMD_PLANNER,
            COUNTRY_DESK_OFFICER,
            CASE_MANAGER,
            DSCA_STAFF,
            OSD_POLICY,
            JOINT_STAFF,
            COUNTRY_TEAM,
            STATE_PM,
            PARTNER_REP,
            INDUSTRY_REP,
        }
    )
    # Administration is a role, not a mission role (R-SEC-11): an administrator keeps
    # organizations, accounts and reference data, and performs no domain action, so it is not a
    # writer. These roles hold authority over access and markings, not over domain records.
    AUTHORITIES = frozenset(
        {ADMINISTRATOR, FOREIGN_DISCLOSURE_OFFICER, CLASSIFICATION_AUTHORITY, SECURITY_OFFICER}
    )

    # Who does what (SPEC §1), for the roles each action declares (ARCHITECTURE invariant 9).
    SCO = frozenset({SCO_CHIEF, SCO_OFFICER, SDO_DATT})  # U.S. SCO staff: decisions and advice
    # Clerical data entry: the U.S. SCO staff and their locally employed assistants. LE
    # assistants never approve, attest, record vetting results, decide disclosure or advise the
    # IA/DSCA (R-SEC-02, R-SEC-11).
    SCO_CLERICAL = SCO | {LE_ASSISTANT}
    CCMD = frozenset({CCMD_PLANNER, COUNTRY_DESK_OFFICER})
    IMPLEMENTING_AGENCY = frozenset({CASE_MANAGER})
    PURCHASER = frozenset({PARTNER_REP})
    # The roles a partner or industry organization may grant.
    EXTERNAL = frozenset({PARTNER_REP, INDUSTRY_REP, VIEWER})


def role_label(role: str) -> str:
    return Role.LABELS.get(role, role)


def describe_roles(roles) -> str:
    """'SCO chief, SCO officer or SDO/DATT', for messages that say who may act."""
    labels = sorted(role_label(r) for r in roles)
    if not labels:
        return "no one"
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def role_allowed_in(role: str, audience: str) -> bool:
    if audience == Audience.PARTNER:
        return role in (Role.PARTNER_REP, Role.VIEWER)
    if audience == Audience.INDUSTRY:
        return role in (Role.INDUSTRY_REP, Role.VIEWER)
    if role in Role.AUTHORITIES - {Role.ADMINISTRATOR}:
        return audience == Audience.USG  # U.S. persons only (R-SEC-10, R-SEC-11)
    return role not in (Role.PARTNER_REP, Role.INDUSTRY_REP)


# --- access changes (R-SEC-11) -----------------------------------------------------------------

# The account fields that decide what a person may read; no one changes their own, and raising
# them takes a second person (a security officer).
ACCESS_FIELDS = (
    "clearance",
    "audience",
    "citizenship",
    "is_le_staff",
    "laa_level",
    "last_investigation_on",
)


def access_change_raises(field_name: str, before, after) -> bool:
    """R-SEC-11: whether changing `field_name` from `before` to `after` widens what the person
    may read, and so needs a second person's approval. Lowering a clearance or LAA, or marking
    someone as LE staff, narrows access and takes effect at once (still audited)."""
    if before == after:
        return False
    if field_name in ("clearance", "laa_level"):
        return int(after) > int(before)
    if field_name == "is_le_staff":
        return bool(before) and not after  # leaving LE status lifts R-SEC-02
    if field_name == "last_investigation_on":
        return after is not None  # a (new) investigation date keeps an LAA in force
    return True  # audience and citizenship change whose door the person comes through


def sees_access_facts(
    viewer: PersonFacts, viewer_is_subject: bool, viewer_is_administrator: bool
) -> bool:
    """Whether a viewer may see a person's clearance, LAA and last logon (ASD STIG; issue 10
    item 9): the person themselves, administrators and U.S. persons who are not LE staff."""
    if viewer_is_subject or viewer_is_administrator:
        return True
    return viewer.audience == Audience.USG and viewer.citizenship == USA and not viewer.is_le_staff


# --- organizations -----------------------------------------------------------------------------


def would_create_cycle(org_id: int | None, new_parent_path: str | None) -> bool:
    """An organization cannot sit below itself. Paths are '/1/5/12/' from the root."""
    if org_id is None or new_parent_path is None:
        return False
    return f"/{org_id}/" in new_parent_path


# --- logon lockout (R-SEC-07) and inactivity (R-SEC-05) -----------------------------------------


def should_lock(
    recent_results: list[tuple[dt.datetime, bool]],
    now: dt.datetime,
    attempts: int,
    window: dt.timedelta,
) -> bool:
    """`recent_results` are (time, succeeded) of this account's logons, newest last. Lock when the
    last `attempts` were consecutive failures, all inside `window`."""
    tail = recent_results[-attempts:]
    if len(tail) < attempts or any(ok for _, ok in tail):
        return False
    return all(now - at <= window for at, _ in tail)


def inactive_since(last_login: dt.datetime | None, joined: dt.datetime) -> dt.datetime:
    return last_login or joined


def is_inactive(
    last_login: dt.datetime | None, joined: dt.datetime, now: dt.datetime, days: int
) -> bool:
    return now - inactive_since(last_login, joined) > dt.timedelta(days=days)


# --- marking authority (R-SEC-10) --------------------------------------------------------------

DOWNGRADE = "downgrade"
RELEASE = "release"


@dataclass(frozen=True)
class MarkingChange:
    """What a change of marking does, and so what authority it needs (R-SEC-10)."""

    before: Marking
    after: Marking

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def lowered(self) -> bool:
        """A downgrade: the classification goes down."""
        return self.after.classification < self.before.classification

    @property
    def added_countries(self) -> tuple[str, ...]:
        """Countries whose nationals could read the record after but not before."""
        from .markings import releasable_countries

        return tuple(sorted(releasable_countries(self.after) - releasable_countries(self.before)))

    @property
    def widened(self) -> bool:
        """Releasability widens: a country is added (NONE→REL, NOFORN→REL, one more in REL TO), or
        the NOFORN control is removed — a foreign-disclosure decision either way."""
        from .markings import Dissemination

        noforn_removed = (
            self.before.dissemination == Dissemination.NOFORN
            and self.after.dissemination != Dissemination.NOFORN
        )
        return bool(self.added_countries) or noforn_removed

    @property
    def roles(self) -> frozenset[str]:
        """The authority roles the change needs (empty for raising or narrowing a marking)."""
        needed = set()
        if self.lowered:
            needed.add(Role.CLASSIFICATION_AUTHORITY)
        if self.widened:
            needed.add(Role.FOREIGN_DISCLOSURE_OFFICER)
        return frozenset(needed)

    @property
    def transition(self) -> str:
        """How the change is recorded in the change log: "downgrade", "release", both, or ""."""
        return "+".join(
            name for name, needed in ((DOWNGRADE, self.lowered), (RELEASE, self.widened)) if needed
        )


def marking_change(before: Marking, after: Marking) -> MarkingChange:
    """R-SEC-10: what authority changing `before` into `after` needs (`.roles`)."""
    return MarkingChange(before, after)


def is_us_person(person: PersonFacts) -> bool:
    """Who may hold a marking authority: U.S. Government staff, U.S. citizens, not LE staff."""
    return person.audience == Audience.USG and person.citizenship == USA and not person.is_le_staff


def never_sets_releasability(person: PersonFacts) -> bool:
    """R-SEC-10: LE staff and partner users never set releasability."""
    return person.is_le_staff or person.audience == Audience.PARTNER


def own_country(person: PersonFacts) -> str | None:
    return (
        person.partner_country or person.citizenship
        if person.audience == Audience.PARTNER
        else person.citizenship
    )


def new_marking_problem(person: PersonFacts, marking: Marking) -> Finding | None:
    """R-SEC-10 on create: an LE or partner user's REL TO list holds at most USA and their own
    country. Returns what to fix, or None."""
    if not never_sets_releasability(person):
        return None
    allowed = {USA, own_country(person)}
    extra = [c for c in marking.rel_to if c not in allowed]
    if not extra:
        return None
    return Finding(
        "R-SEC-10",
        f"you may mark what you enter releasable to {', '.join(sorted(c for c in allowed if c))} only; "
        f"releasing it to {', '.join(extra)} is a foreign-disclosure decision for a U.S. foreign disclosure "
        f"officer. Write e.g. 'CUI//REL TO {', '.join(sorted(c for c in allowed if c))}'.",
        field="marking",
    )


def marking_change_problem(
    person: PersonFacts, change: MarkingChange, held: frozenset[str], reason: str, where: str
) -> Finding | None:
    """R-SEC-10 on update: what to fix (on which field) when `person` may not make `change`, or None.
    `held` are the authority roles the person holds over the record's owner `where`."""
    if not change.changed:
        return None
    if never_sets_releasability(person):
        return Finding(
            "R-SEC-10",
            f"locally employed staff and partner users do not change a record's marking ({change.before} → "
            f"{change.after}): keep {change.before} and ask the U.S. staff to change it.",
            field="marking",
        )
    missing = [role for role in sorted(change.roles) if not (is_us_person(person) and role in held)]
    if missing:
        what = []
        if Role.CLASSIFICATION_AUTHORITY in missing:
            what.append(
                f"lowering {change.before.classification.label} to {change.after.classification.label} is a downgrade "
                f"that takes the {Role.LABELS[Role.CLASSIFICATION_AUTHORITY].lower()} role"
            )
        if Role.FOREIGN_DISCLOSURE_OFFICER in missing:
            wider = (
                ", ".join(change.added_countries)
                if change.added_countries
                else "foreign nationals (removing NOFORN)"
            )
            what.append(
                f"releasing to {wider} takes the {Role.LABELS[Role.FOREIGN_DISCLOSURE_OFFICER].lower()} role"
            )
        return Finding(
            "R-SEC-10",
            f"{' and '.join(what)} in {where} or above it, held by a U.S. person. Keep {change.before}, or ask "
            "someone with that authority to make the change.",
            field="marking",
        )
    if change.roles and not (reason or "").strip():
        return Finding(
            "R-SEC-10",
            f"say why {change.before} becomes {change.after} (the classification guide or the disclosure decision): "
            f"a {change.transition.replace('+', ' and ')} is recorded with its reason.",
            field="reason",
        )
    return None


# --- lifecycles of core records -----------------------------------------------------------------

# R-SEC-11: a request that raises access waits for a second person; one that lowers it is applied
# at once when made (it never waits, so it has no row here).
ACCESS_CHANGE = Lifecycle(
    "access change request",
    {
        "pending": "Waiting for a security officer",
        "approved": "Approved and applied",
        "refused": "Refused",
        "applied": "Applied at once",
    },
    {
        "approve": (("pending",), "approved", "Approve"),
        "refuse": (("pending",), "refused", "Refuse"),
    },
    actions={
        "approve": "secoop.core.actions.approve_access_change",
        "refuse": "secoop.core.actions.refuse_access_change",
    },
)
ACCESS_CHANGE_WAITING = ACCESS_CHANGE.states_allowing("approve", "refuse")


def approves_own_work(approver_id: int | None, author_ids: set[int], what: str) -> Finding | None:
    """R-SEC-11: no one approves what they authored (wrote or changed the content of)."""
    if approver_id is not None and approver_id in author_ids:
        return Finding(
            "R-SEC-11",
            f"you wrote or changed this {what}, so someone else must approve it.",
            "Ask another approver in your office.",
        )
    return None
