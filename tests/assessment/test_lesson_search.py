"""R-AME-05 (issue 17 item 6): lessons learned are found through their full-text document, ranked
best first (decision 0048), on both databases. The lessons hold a made-up word ("zorblatt") no
demo record holds, so what is found is what the test built."""

from __future__ import annotations

import pytest

from secoop.assessment import actions
from secoop.assessment import demo
from secoop.assessment import models as m
from secoop.core.search import RANK
from secoop.core.search import ranked
from secoop.core.search import search

from .conftest import org
from .conftest import person

pytestmark = pytest.mark.django_db
FIELDS = ("title", "tags", "observation", "recommendation")


@pytest.fixture
def lessons():
    """In rank order for "zorblatt": in the title twice, in the title once, in a tag, in the
    recommendation only; and one without it."""
    sco = person("sco.bandaria")

    def lesson(title, recommendation="Plan it ahead.", tags=""):
        return actions.create_lesson(
            sco,
            demo.marked(
                m.Lesson(
                    title=title,
                    observation="Seen on the northern frontier.",
                    recommendation=recommendation,
                    tags=tags,
                    owner_org=org("SCO Bandaria"),
                    country_id="XBN",
                ),
                "CUI",
            ),
        )

    made = [
        lesson("Zorblatt drills before zorblatt patrols"),
        lesson("Zorblatt drills"),
        lesson("Night drills", tags="zorblatt, logistics"),
        lesson("Radio checks", recommendation="Carry a zorblatt spare."),
    ]
    lesson("Fuel convoys")
    return sco, made


def test_r_ame_05_a_lesson_search_ranks_the_title_above_tags_above_the_recommendation(lessons):
    sco, expected = lessons
    found = list(ranked(search(m.Lesson.objects.visible_to(sco), "zorblatt", FIELDS, sco)))
    assert [lesson.pk for lesson in found] == [lesson.pk for lesson in expected]
    ranks = [getattr(lesson, RANK) for lesson in found]
    assert ranks[0] > ranks[1] > ranks[2] > ranks[3] > 0
    # A typed word matches the start of a word of the text, not a piece inside one.
    prefix = search(m.Lesson.objects.visible_to(sco), "zorbl", FIELDS, sco)
    assert prefix.count() == 4
    assert not search(m.Lesson.objects.visible_to(sco), "blatt", FIELDS, sco).exists()


def test_r_ame_05_the_lessons_api_and_page_answer_a_search_best_first_through_the_door(
    lessons, api, login
):
    _, expected = lessons
    body = api("sco.bandaria").get("/api/v1/assessment/lessons/", {"search": "zorblatt"}).json()
    assert [r["id"] for r in body["results"]] == [lesson.pk for lesson in expected]
    page = login("sco.bandaria").get("/assessment/lessons/", {"q": "zorblatt"}).content.decode()
    assert page.index(expected[0].title) < page.index(expected[3].title)
    # R-SEC-03: lessons are internal assessments; the partner finds none.
    partner = api("partner.bandaria").get("/api/v1/assessment/lessons/", {"search": "zorblatt"})
    assert partner.status_code == 200 and partner.json()["results"] == []
