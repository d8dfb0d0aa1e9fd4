"""R-SEC-01: markings read, print and combine as the banner needs them; R-SEC-10: a change-log
entry's marking covers its before and after states (door semantics), and a marking change names
the authority it needs."""

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from secoop.core import rules
from secoop.core.markings import Classification
from secoop.core.markings import Dissemination
from secoop.core.markings import Marking
from secoop.core.markings import MarkingError
from secoop.core.markings import combine
from secoop.core.markings import combine_strict
from secoop.core.markings import releasable_countries
from secoop.core.rules import Audience
from secoop.core.rules import PersonFacts
from secoop.core.rules import Role


@pytest.mark.parametrize(
    "text, expected",
    [
        ("UNCLASSIFIED", "UNCLASSIFIED"),
        ("cui", "CUI"),
        ("SECRET//NOFORN", "SECRET//NOFORN"),
        ("CUI//REL TO USA, XBN", "CUI//REL TO USA, XBN"),
        ("CUI // REL TO XBN, USA, GBR", "CUI//REL TO USA, GBR, XBN"),
        ("C//REL TO USA,XBN", "CONFIDENTIAL//REL TO USA, XBN"),
    ],
)
def test_r_sec_01_marking_reads_and_prints_canonically(text, expected):
    assert str(Marking.parse(text)) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "A marking is required"),
        (
            "TOP SECRET",
            "Unknown classification 'TOP SECRET': use UNCLASSIFIED, CUI, CONFIDENTIAL or SECRET.",
        ),
        ("CUI//REL TO XBN", "A REL TO list starts with USA: write 'REL TO USA, XBN'."),
        (
            "CUI//REL TO USA, XB",
            "REL TO takes ISO 3166 alpha-3 trigraphs such as USA or XBN, not XB.",
        ),
        (
            "CUI//FOUO",
            "Unknown dissemination control 'FOUO': use NOFORN or REL TO USA, <trigraphs>.",
        ),
        ("CUI//NOFORN//X", "Cannot read marking"),
    ],
)
def test_r_sec_01_bad_marking_says_what_to_fix(text, message):
    with pytest.raises(MarkingError) as exc:
        Marking.parse(text)
    assert message in str(exc.value)


def test_r_sec_01_rel_to_is_stored_so_one_like_finds_a_country():
    m = Marking.parse("CUI//REL TO USA, XBN")
    assert m.rel_to_stored == ",USA,XBN,"
    assert Marking.rel_to_from_stored(",USA,XBN,") == ("USA", "XBN")
    assert m.releasable_to("XBN") and m.releasable_to("USA") and not m.releasable_to("GBR")
    assert not Marking.parse("CUI").releasable_to("XBN")


def test_r_sec_01_page_banner_is_highest_and_most_restrictive():
    a = Marking.parse("CUI//REL TO USA, XBN, GBR")
    b = Marking.parse("CONFIDENTIAL//REL TO USA, XBN")
    assert str(combine([a, b])) == "CONFIDENTIAL//REL TO USA, XBN"
    assert str(combine([a, Marking.parse("SECRET//NOFORN")])) == "SECRET//NOFORN"
    # ANSWERS "Banner for a page combining…": an unrestricted UNCLASSIFIED item does not narrow it.
    assert str(combine([a, Marking.parse("UNCLASSIFIED")])) == "CUI//REL TO USA, GBR, XBN"
    assert (
        str(combine([Marking.parse("UNCLASSIFIED"), Marking.parse("CUI//REL TO USA, XBN")]))
        == "CUI//REL TO USA, XBN"
    )
    assert (
        str(combine([a, Marking.parse("CUI")])) == "CUI"
    )  # an unreleased controlled item: U.S. only
    assert (
        str(combine([Marking.parse("UNCLASSIFIED"), Marking.parse("UNCLASSIFIED")]))
        == "UNCLASSIFIED"
    )
    assert (
        str(combine([Marking.parse("CUI//REL TO USA, GBR"), Marking.parse("CUI//REL TO USA, XBN")]))
        == "CUI//NOFORN"
    )
    assert str(combine([])) == "UNCLASSIFIED"
    assert combine([b]).classification == Classification.CONFIDENTIAL
    assert combine([b]).dissemination == Dissemination.REL


# --- R-SEC-10: the change-log entry's marking (door semantics) -----------------------------------


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("SECRET//NOFORN", "CUI//REL TO USA, XBN", "SECRET//NOFORN"),
        ("CUI//REL TO USA, XBN", "SECRET//NOFORN", "SECRET//NOFORN"),
        (
            "CUI//REL TO USA, XBN, GBR",
            "CONFIDENTIAL//REL TO USA, XBN",
            "CONFIDENTIAL//REL TO USA, XBN",
        ),
        ("CUI//REL TO USA, GBR", "CUI//REL TO USA, XBN", "CUI//NOFORN"),
        ("CUI", "CUI//REL TO USA, XBN", "CUI"),
        # Unlike the banner, an unrestricted UNCLASSIFIED state narrows the entry: the door shows
        # it to no foreign national.
        ("UNCLASSIFIED", "CUI//REL TO USA, XBN", "CUI"),
        ("UNCLASSIFIED//REL TO USA, XBN", "UNCLASSIFIED", "UNCLASSIFIED"),
        ("CUI//REL TO USA, XBN", "CUI//REL TO USA, XBN", "CUI//REL TO USA, XBN"),
    ],
)
def test_item1_changelog_entry_marked_by_before_and_after(before, after, expected):
    assert str(combine_strict([Marking.parse(before), Marking.parse(after)])) == expected


def test_item1_combine_strict_needs_a_marking():
    with pytest.raises(MarkingError, match="at least one marking"):
        combine_strict([])


COUNTRIES = ["USA", "XBN", "GBR", "RUS", "CHN"]
markings = st.builds(
    lambda level, control, countries: Marking(
        level, control, tuple(countries) if control == Dissemination.REL else ()
    ),
    st.sampled_from(list(Classification)),
    st.sampled_from([Dissemination.NONE, Dissemination.NOFORN, Dissemination.REL]),
    st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4),
)


# Pure and fast; the machine running the suite may be busy, so no timing checks.
LOADED_MACHINE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@LOADED_MACHINE
@given(st.lists(markings, min_size=1, max_size=3))
def test_item1_entry_marking_shows_only_to_who_could_see_every_state(states):
    """Door semantics: for every clearance level and nationality, the entry is readable exactly
    when every state it shows is."""
    entry = combine_strict(states)
    assert entry.classification == max(m.classification for m in states)
    for country in COUNTRIES:
        assert entry.releasable_to(country) == all(m.releasable_to(country) for m in states), (
            country
        )
    assert releasable_countries(entry) >= {"USA"}
    if any(m.dissemination == Dissemination.NOFORN for m in states):
        assert entry.dissemination == Dissemination.NOFORN


@LOADED_MACHINE
@given(st.lists(markings, min_size=1, max_size=3))
def test_r_sec_01_page_banner_never_releases_what_a_controlled_item_does_not(items):
    banner = combine(items)
    assert banner.classification == max(m.classification for m in items)
    for country in COUNTRIES[1:]:
        controlled = [
            m
            for m in items
            if not (
                m.classification == Classification.UNCLASSIFIED
                and m.dissemination == Dissemination.NONE
            )
        ]
        if banner.releasable_to(country):
            assert all(m.releasable_to(country) for m in controlled)


# --- R-SEC-10: what authority a marking change needs ---------------------------------------------

SCO = PersonFacts(active=True, audience=Audience.USG, citizenship="USA", clearance=3)
LE = PersonFacts(
    active=True, audience=Audience.USG, citizenship="XBN", clearance=1, is_le_staff=True
)
PARTNER = PersonFacts(
    active=True, audience=Audience.PARTNER, citizenship="XBN", clearance=1, partner_country="XBN"
)
CA, FDO = Role.CLASSIFICATION_AUTHORITY, Role.FOREIGN_DISCLOSURE_OFFICER


@pytest.mark.parametrize(
    "before, after, roles, transition",
    [
        ("SECRET//NOFORN", "CUI//REL TO USA, XBN", {CA, FDO}, "downgrade+release"),
        ("SECRET//NOFORN", "CUI//NOFORN", {CA}, "downgrade"),
        ("CUI", "CUI//REL TO USA, XBN", {FDO}, "release"),
        ("CUI//NOFORN", "CUI//REL TO USA, XBN", {FDO}, "release"),
        ("CUI//REL TO USA, XBN", "CUI//REL TO USA, XBN, GBR", {FDO}, "release"),
        ("CUI//NOFORN", "CUI", {FDO}, "release"),
        ("CUI//REL TO USA, XBN, GBR", "CUI//REL TO USA, XBN", set(), ""),
        ("CUI//REL TO USA, XBN", "SECRET//NOFORN", set(), ""),
        ("CUI//REL TO USA, XBN", "CUI", set(), ""),
        ("CUI", "CUI", set(), ""),
    ],
)
def test_item1_r_sec_10_marking_change_names_its_authority(before, after, roles, transition):
    change = rules.marking_change(Marking.parse(before), Marking.parse(after))
    assert change.roles == roles and change.transition == transition


def test_item1_r_sec_10_authority_is_a_us_persons_role_with_a_reason():
    change = rules.marking_change(
        Marking.parse("SECRET//NOFORN"), Marking.parse("CUI//REL TO USA, XBN")
    )
    found = rules.marking_change_problem(SCO, change, frozenset(), "why", "SCO Bandaria")
    field, message = found.field, found.message
    assert found.rule == "R-SEC-10"
    assert (
        field == "marking"
        and "downgrade" in message
        and "foreign disclosure officer" in message
        and "SCO Bandaria" in message
    )
    message = rules.marking_change_problem(
        SCO, change, frozenset({CA}), "why", "SCO Bandaria"
    ).message
    assert "downgrade" not in message and "releasing to XBN" in message
    found = rules.marking_change_problem(SCO, change, frozenset({CA, FDO}), " ", "SCO Bandaria")
    field, message = found.field, found.message
    assert field == "reason" and "downgrade and release" in message
    assert (
        rules.marking_change_problem(SCO, change, frozenset({CA, FDO}), "SCG 4.2", "SCO Bandaria")
        is None
    )
    # The same roles held by LE staff count for nothing; LE and partner users change no marking.
    for person in (LE, PARTNER):
        found = rules.marking_change_problem(
            person, change, frozenset({CA, FDO}), "why", "SCO Bandaria"
        )
        field, message = found.field, found.message
        assert field == "marking" and "do not change a record's marking" in message
    raise_it = rules.marking_change(
        Marking.parse("CUI//REL TO USA, XBN"), Marking.parse("CUI//NOFORN")
    )
    assert rules.marking_change_problem(SCO, raise_it, frozenset(), "", "SCO Bandaria") is None


@pytest.mark.parametrize(
    "person, marking, refused",
    [
        (LE, "CUI//REL TO USA, XBN", False),
        (LE, "CUI//REL TO USA, XBN, GBR, RUS, CHN", True),
        (PARTNER, "CUI//REL TO USA, XBN", False),
        (PARTNER, "CUI//REL TO USA, GBR", True),
        (SCO, "CUI//REL TO USA, GBR, XBN", False),
    ],
)
def test_item1_r_sec_10_le_and_partner_release_only_to_usa_and_their_country(
    person, marking, refused
):
    problem = rules.new_marking_problem(person, Marking.parse(marking))
    assert (problem is not None) == refused
    if refused:
        assert problem.field == "marking" and "foreign-disclosure decision" in problem.message
