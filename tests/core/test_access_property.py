"""Property-based proof of the door (R-SEC-01..03): for generated people (clearance, citizenship,
LE/LAA, partner, industry, organizations) and generated records (markings, owners, countries), the
SQL door returns exactly what the pure rule allows — so nothing leaks and nothing is withheld."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from secoop.core import access
from secoop.core import rules
from secoop.core.markings import Classification
from secoop.core.markings import Dissemination
from secoop.core.markings import Marking
from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.models import Membership
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.rules import Audience
from secoop.core.rules import Clearance
from secoop.core.rules import Role
from tests.conftest import builds

pytestmark = pytest.mark.django_db

COUNTRIES = ["USA", "XBN", "GBR", "KEN"]
USG_ORGS = ["SCO Bandaria", "AFRICOM", "DSCA", "USASAC", "Embassy Bandaria"]
PARTNER_ORGS = ["Bandaria MoD", "Bandaria"]
COMPANY_ORGS = ["Meridian Defense"]
ALL_ORGS = USG_ORGS + PARTNER_ORGS + COMPANY_ORGS


class Rollback(Exception):
    """Raised to undo one generated example's rows."""


markings = st.builds(
    lambda level, diss, rel: Marking(level, diss, tuple(rel) if diss == Dissemination.REL else ()),
    st.sampled_from(list(Classification)),
    st.sampled_from([Dissemination.NONE, Dissemination.NOFORN, Dissemination.REL]),
    st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=3),
)

records = st.lists(
    st.tuples(
        markings, st.sampled_from(ALL_ORGS), st.sampled_from(COUNTRIES + [None]), st.booleans()
    ),
    min_size=1,
    max_size=12,
)


@st.composite
def people(draw):
    audience = draw(
        st.sampled_from([Audience.USG, Audience.USG, Audience.PARTNER, Audience.INDUSTRY])
    )
    le = audience == Audience.USG and draw(st.booleans())
    if audience == Audience.PARTNER:
        citizenship, orgs, role = (
            "XBN",
            draw(st.lists(st.sampled_from(PARTNER_ORGS), min_size=1, max_size=2, unique=True)),
            Role.PARTNER_REP,
        )
    elif audience == Audience.INDUSTRY:
        citizenship, orgs, role = (
            draw(st.sampled_from(["USA", "GBR"])),
            COMPANY_ORGS,
            Role.INDUSTRY_REP,
        )
    else:
        citizenship = (
            draw(st.sampled_from(COUNTRIES)) if le else draw(st.sampled_from(["USA", "USA", "GBR"]))
        )
        orgs, role = (
            draw(st.lists(st.sampled_from(USG_ORGS), min_size=0, max_size=2, unique=True)),
            draw(st.sampled_from([Role.SCO_OFFICER, Role.VIEWER])),
        )
    return {
        "audience": audience,
        "citizenship": citizenship,
        "clearance": draw(st.sampled_from([c for c, _ in Clearance.CHOICES])),
        "is_le_staff": le,
        "laa_level": draw(st.sampled_from([c for c, _ in Clearance.CHOICES]))
        if le
        else Clearance.NONE,
        "last_investigation_on": draw(
            st.one_of(st.none(), st.dates(dt.date(2018, 1, 1), dt.date(2026, 11, 1)))
        ),
        "is_active": draw(st.sampled_from([True, True, True, False])),
        "orgs": orgs,
        "role": role,
    }


def make_user(spec, n) -> User:
    user = User.objects.create(
        username=f"generated{n}",
        audience=spec["audience"],
        citizenship_id=spec["citizenship"],
        clearance=spec["clearance"],
        is_le_staff=spec["is_le_staff"],
        laa_level=spec["laa_level"],
        last_investigation_on=spec["last_investigation_on"],
        is_active=spec["is_active"],
    )
    for short in spec["orgs"]:
        Membership.objects.create(
            user=user,
            organization=Organization.objects.system().get(short_name=short),
            role=spec["role"],
        )
    return User.objects.get(pk=user.pk)


counter = iter(range(10**9))


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(person=people(), specs=records)
def test_r_sec_01_03_door_agrees_with_the_rule_for_generated_people_and_records(person, specs):
    orgs = {o.short_name: o for o in Organization.objects.system().filter(short_name__in=ALL_ORGS)}
    with contextlib.suppress(Rollback), transaction.atomic(), builds("generated records"):
        user = make_user(person, next(counter))
        docs, entries = [], []
        for i, (marking, owner, country, partner_visible) in enumerate(specs):
            doc = Document(title=f"generated record {i}", owner_org=orgs[owner], country_id=country)
            doc.marking = marking
            doc.save()
            docs.append(doc)
            entry = ChangeLogEntry(
                at=timezone.now(),
                request_id="00000000-0000-0000-0000-000000000000",
                action="create",
                content_type_id=1,
                object_id=str(doc.pk),
                object_repr=doc.title,
                owner_org=orgs[owner],
                country_id=country,
                partner_visible=partner_visible,
            )
            entry.marking = marking
            entry.save()
            entries.append((entry, partner_visible))

        profile = access.profile_for(user)
        today = timezone.localdate()

        def allowed(marking, owner, country, partner_visible):
            if profile is None:
                return False
            facts = rules.RecordFacts(marking, partner_visible, orgs[owner].pk, country)
            return rules.can_see(profile.person, facts, today, profile.reinvestigation_years)

        expected_docs = {
            d.pk for d, (m, o, c, _) in zip(docs, specs, strict=True) if allowed(m, o, c, True)
        }
        got_docs = set(
            Document.objects.visible_to(user)
            .filter(pk__in=[d.pk for d in docs])
            .values_list("pk", flat=True)
        )
        assert got_docs == expected_docs

        expected_entries = {
            e.pk
            for (e, pv), (m, o, c, _) in zip(entries, specs, strict=True)
            if allowed(m, o, c, pv)
        }
        got_entries = set(
            ChangeLogEntry.objects.visible_to(user)
            .filter(pk__in=[e.pk for e, _ in entries])
            .values_list("pk", flat=True)
        )
        assert got_entries == expected_entries

        # Invariants that must hold whatever the rule's details:
        for d, (m, _, _, _) in zip(docs, specs, strict=True):
            if d.pk not in got_docs:
                continue
            if person["citizenship"] != "USA":
                assert (
                    m.dissemination == Dissemination.REL and person["citizenship"] in m.rel_to
                )  # R-SEC-01
            if person["is_le_staff"] and person["laa_level"] == Clearance.NONE:
                assert m.classification <= Classification.CUI  # R-SEC-02
            if person["clearance"] == Clearance.NONE and not person["is_le_staff"]:
                assert m.classification <= Classification.CUI  # no clearance, no classified
        raise Rollback  # undo this example's rows
