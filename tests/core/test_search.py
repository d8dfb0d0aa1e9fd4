"""One search for `?q=` and `?search=` (core.search, issue 15 item 2): every word, any case, inside
longer words and codes, wildcards taken literally, after the door."""

import pytest

from secoop.cases.models import FmsCase
from secoop.core.models import Organization
from secoop.core.search import MAX_WORDS
from secoop.core.search import search
from secoop.core.search import words_of
from tests.helpers import person


def test_words_are_split_deduplicated_and_bounded():
    assert words_of("  SCO  bandaria sco ") == ["SCO", "bandaria", "sco"]
    assert len(words_of(" ".join(f"w{i}" for i in range(20)))) == MAX_WORDS
    assert words_of("   ") == []


@pytest.mark.django_db
def test_every_word_in_any_field_in_any_case_finds_the_record(api):
    client = api("sco.bandaria")
    found = client.get(
        "/api/v1/organizations/", {"search": "bandaria sco", "page_size": 500}
    ).json()
    names = {o["short_name"] for o in found["results"]}
    assert "SCO Bandaria" in names
    assert all("bandaria" in (o["name"] + o["short_name"]).lower() for o in found["results"])
    assert client.get("/api/v1/organizations/", {"search": "bandaria zzqx"}).json()["count"] == 0


@pytest.mark.django_db
def test_a_piece_of_a_case_identifier_finds_the_cases_the_user_may_see():
    partner = person("partner.bandaria")
    visible = FmsCase.objects.visible_to(partner)
    ident = visible.order_by("pk").first().identifier
    fragment = ident[:4].lower()  # e.g. 'xb-b' of XB-B-ZAA
    found = set(
        search(visible, fragment, ("identifier", "title"), partner).values_list("pk", flat=True)
    )
    expected = {
        c.pk for c in visible if fragment in c.identifier.lower() or fragment in c.title.lower()
    }
    assert found == expected and found


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", ["%", "_", "\\"])
def test_like_wildcards_in_a_search_are_taken_literally(pattern):
    cleared = person("sco.bandaria")
    orgs = Organization.objects.visible_to(cleared)
    found = search(orgs, pattern, ("name", "short_name"), cleared)
    assert {o.pk for o in found} == {
        o.pk for o in orgs if pattern in o.name or pattern in o.short_name
    }


@pytest.mark.django_db
def test_r_sec_03_a_word_in_a_hidden_related_record_finds_nothing():
    """The indicators list searches its measure's name (`measure__indicator`): the partner may
    read an indicator released to it, never planning's measure, so a word only the measure holds
    must not find the indicator (it would tell the partner what the measure says)."""
    from secoop.assessment.models import Indicator
    from secoop.core.markings import Marking
    from tests.conftest import builds

    indicator = Indicator.objects.system().get(measure__indicator__startswith="Illicit crossings")
    with builds("an IMO indicator released to the partner"):
        indicator.marking = Marking.parse("CUI//REL TO USA, XBN")
        indicator.shared_with_partner = True
        indicator.save()
    fields = ("title", "definition", "measure__indicator")
    for username, finds in (("sco.bandaria", True), ("partner.bandaria", False)):
        user = person(username)
        visible = Indicator.objects.visible_to(user)
        assert visible.filter(pk=indicator.pk).exists()
        found = search(visible, "interdicted", fields, user)
        assert found.filter(pk=indicator.pk).exists() is finds, username
