"""Ranked full-text search behind core.search (issue 15 item 2, decision 0048), on both
databases: PostgreSQL's GIN-indexed tsvector and ts_rank, SQLite's FTS5 table kept current by
triggers and a rank from the record's own fields.

Every test searches for made-up words no demo record holds ("vexilla", "zorblatt"), so what is
found is what the test built."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secoop.cases.models import FmsCase
from secoop.core import actions
from secoop.core.markings import Marking
from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.models import Organization
from secoop.core.search import RANK
from secoop.core.search import ranked
from secoop.core.search import search
from secoop.core.search import text_rank
from secoop.training.filters import StudentFilter
from secoop.training.models import Student
from tests.conftest import builds
from tests.helpers import person

pytestmark = pytest.mark.django_db


def sco_org(user):
    return Organization.objects.visible_to(user).get(short_name="SCO Bandaria")


def new_doc(user, title, summary="", marking="CUI//REL TO USA, XBN"):
    doc = Document(title=title, summary=summary, owner_org=sco_org(user), country_id="XBN")
    doc.marking = Marking.parse(marking)
    return actions.create_record(user, doc)


def found(queryset, q, fields, user):
    return list(ranked(search(queryset, q, fields, user)))


@pytest.fixture
def three_docs():
    """In rank order for "vexilla": in the title twice, in the title once, in the summary only."""
    sco = person("sco.bandaria")
    summary_only = new_doc(sco, "Maritime study", "The vexilla patrol plan.")
    title_once = new_doc(sco, "Vexilla patrol boats", "Sustainment.")
    title_twice = new_doc(sco, "Vexilla vexilla sustainment", "")
    new_doc(sco, "Radio net", "Nothing to find here.")
    return sco, [title_twice, title_once, summary_only]


def test_a_search_ranks_a_title_match_above_a_summary_match_and_more_hits_higher(three_docs):
    sco, expected = three_docs
    docs = found(Document.objects.visible_to(sco), "vexilla", ("title", "summary"), sco)
    assert [d.pk for d in docs] == [d.pk for d in expected]
    ranks = [getattr(d, RANK) for d in docs]
    assert ranks[0] > ranks[1] > ranks[2] > 0


def test_the_api_answers_a_search_best_first_and_its_cursor_pages_walk_every_match_once(
    api, three_docs
):
    _, expected = three_docs
    client = api("sco.bandaria")
    seen, url = [], "/api/v1/documents/?search=VEXILLA&page_size=1"
    while url:
        page = client.get(url).json()
        assert page["count"] == 3 and page["count_exact"]
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert seen == [d.pk for d in expected]
    # An explicit ordering is the reader's: it wins over the rank.
    by_title = client.get("/api/v1/documents/?search=vexilla&ordering=title").json()["results"]
    assert [r["title"] for r in by_title] == sorted(r["title"] for r in by_title)


def test_the_documents_page_lists_the_best_match_first(login, three_docs):
    _, expected = three_docs
    page = login("sco.bandaria").get("/documents/", {"q": "vexilla"})
    rows = list(page.context["page_records"])
    assert [d.pk for d in rows] == [d.pk for d in expected]


def test_a_word_matches_the_start_of_a_word_and_a_typed_code_its_pieces_in_a_row(three_docs):
    sco, expected = three_docs
    docs = Document.objects.visible_to(sco)
    assert {d.pk for d in found(docs, "vexil", ("title", "summary"), sco)} == {
        d.pk for d in expected
    }
    assert found(docs, "exilla", ("title", "summary"), sco) == []  # not inside a word
    # "vexilla-patrol" is two pieces in a row: only where "patrol" follows "vexilla".
    in_a_row = found(docs, "vexilla-pat", ("title", "summary"), sco)
    assert {d.pk for d in in_a_row} == {expected[1].pk, expected[2].pk}


def test_a_case_identifier_matches_from_its_start_and_ranks_first_when_it_starts_with_the_word():
    partner = person("partner.bandaria")
    visible = FmsCase.objects.visible_to(partner)
    ident = visible.order_by("pk").first().identifier  # e.g. XB-B-ZAA
    prefix = ident[:6].lower()
    cases = found(visible, prefix, ("identifier", "title"), partner)
    assert cases and all(prefix in c.identifier.lower() for c in cases)
    assert cases[0].identifier.lower().startswith(prefix)
    assert ident in {c.identifier for c in cases}


def test_r_sec_02_a_record_the_reader_may_not_see_is_never_found_and_moves_no_rank(api):
    sco = person("sco.bandaria")
    released = new_doc(sco, "Vexilla exercise", "vexilla")
    partner = api("partner.bandaria")
    before = partner.get("/api/v1/documents/?search=vexilla").json()
    assert [r["id"] for r in before["results"]] == [released.pk]
    # A NOFORN document full of the word: the partner neither finds nor counts it, and the
    # rank of what they do find (computed from each record alone) does not move.
    hidden = new_doc(sco, "Vexilla vexilla vexilla", "vexilla " * 20, marking="CUI//NOFORN")
    after = partner.get("/api/v1/documents/?search=vexilla").json()
    assert after == before
    partner_user = person("partner.bandaria")
    qs = search(
        Document.objects.visible_to(partner_user), "vexilla", ("title", "summary"), partner_user
    )
    assert [(d.pk, getattr(d, RANK)) for d in qs] == [
        (d.pk, getattr(d, RANK))
        for d in search(Document.objects.visible_to(sco), "vexilla", ("title", "summary"), sco)
        if d.pk == released.pk
    ]
    assert hidden.pk in {
        r["id"]
        for r in api("sco.bandaria").get("/api/v1/documents/?search=vexilla").json()["results"]
    }


def test_r_sec_03_a_partners_search_does_not_match_a_student_field_they_may_not_see(login):
    sco, partner = person("sco.bandaria"), person("partner.bandaria")
    student = Student.objects.visible_to(partner).order_by("pk").first()
    with builds("a unit name no demo record holds"):
        Student.objects.filter(pk=student.pk).update(unit="Zorblatt Battalion")
    fields = StudentFilter.search_fields
    assert "unit" in fields
    assert [s.pk for s in found(Student.objects.visible_to(sco), "zorblatt", fields, sco)] == [
        student.pk
    ]
    # The unit is not among the partner's fields (R-SEC-03): no match, no count, no page row.
    assert found(Student.objects.visible_to(partner), "zorblatt", fields, partner) == []
    page = login("partner.bandaria").get("/training/students/", {"q": "zorblatt"})
    assert page.status_code == 200 and list(page.context["page_records"]) == []
    assert page.context["count"].number == 0
    # What they may see still matches: the course as nominated.
    word = student.course_title.split()[-1]
    assert student.pk in {
        s.pk for s in found(Student.objects.visible_to(partner), word, fields, partner)
    }


def test_the_index_follows_an_action_that_edits_a_record():
    sco = person("sco.bandaria")
    doc = new_doc(sco, "Vexilla training range", "")
    docs = Document.objects.visible_to(sco)
    assert [d.pk for d in found(docs, "vexilla", ("title",), sco)] == [doc.pk]
    actions.update_record(sco, doc, {"title": "Zorblatt training range"}, reason="renamed")
    assert found(docs, "vexilla", ("title",), sco) == []
    assert [d.pk for d in found(docs, "zorblatt", ("title",), sco)] == [doc.pk]
    # The change log entries the action wrote are searchable too (their record's name).
    entries = found(
        ChangeLogEntry.objects.visible_to(sco), "zorblatt", ("object_repr", "reason"), sco
    )
    assert entries and all("Zorblatt" in e.object_repr for e in entries)
    actions.delete_record(sco, docs.get(pk=doc.pk), reason="gone")
    assert found(docs, "zorblatt", ("title",), sco) == []


def test_a_searched_list_runs_the_same_queries_for_one_match_or_many(api):
    sco = person("sco.bandaria")
    client = api("sco.bandaria")
    new_doc(sco, "Vexilla one", "")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/documents/?search=vexilla").status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for n in range(4):
        new_doc(sco, f"Vexilla {n}", "vexilla")
    assert queries() == one


def test_the_sqlite_rank_counts_only_the_fields_own_words():
    assert text_rank("radio", "Radio and radios") > text_rank("radio", "one radio") > 0
    assert text_rank("bn d", "case BN-D-ABC") > 0
    assert text_rank("adio", "radio") == 0 == text_rank("radio", None)


def test_every_declared_search_document_has_its_indexes_or_fts5_table_and_triggers():
    from secoop.core.dbindex import documented_models
    from secoop.core.dbindex import full_text_in_step

    assert {m.__name__ for m in documented_models()} >= {
        "ChangeLogEntry",
        "Document",
        "Activity",
        "FmsCase",
        "CaseLine",
        "Student",
    }
    assert full_text_in_step(connection) == []


@pytest.mark.one_database
def test_a_sqlite_fts5_table_that_lost_its_triggers_is_made_again_after_migrate():
    from secoop.core.dbindex import full_text_in_step
    from secoop.core.dbindex import repair_sqlite_full_text

    sco = person("sco.bandaria")
    with connection.cursor() as cursor:  # what a remade table leaves behind
        cursor.execute('DROP TRIGGER "core_document_fts_ai"')
    assert full_text_in_step(connection) == ["core_document_fts_ai: no trigger"]
    from django.apps import apps

    repair_sqlite_full_text(apps.get_app_config("core"))
    assert full_text_in_step(connection) == []
    doc = new_doc(sco, "Vexilla after repair", "")
    assert [d.pk for d in found(Document.objects.visible_to(sco), "vexilla", ("title",), sco)] == [
        doc.pk
    ]


@pytest.mark.one_database
def test_the_fts5_repair_after_migrate_leaves_alone_a_model_whose_table_is_gone():
    """`migrate training zero` drops the students' table; the post_migrate repair then made its
    FTS5 table again over the missing table and failed ("SQL logic error")."""
    from django.apps import apps

    from secoop.core.dbindex import full_text_in_step
    from secoop.core.dbindex import repair_sqlite_full_text

    with connection.cursor() as cursor:  # as if training were migrated back to zero
        cursor.execute('ALTER TABLE "training_student" RENAME TO "training_student_gone"')
        cursor.execute('DROP TRIGGER "core_document_fts_ai"')  # and a repair is due elsewhere
    assert full_text_in_step(connection) == ["core_document_fts_ai: no trigger"]
    repair_sqlite_full_text(apps.get_app_config("core"))
    assert full_text_in_step(connection) == []


def test_a_ranked_search_of_a_list_ordered_by_a_foreign_key_pages_every_match_once(api):
    """Case lines are ordered by (case, number): the rank's ties keep that order (case_id)."""
    from secoop.cases.models import CaseLine

    sco = person("sco.bandaria")
    lines = CaseLine.objects.visible_to(sco)
    word = lines.order_by("pk").first().item.split()[0]
    expected = {line.pk for line in search(lines, word, ("item", "description"), sco)}
    client = api("sco.bandaria")
    seen, url = [], f"/api/v1/cases/case-lines/?search={word}&page_size=2"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        seen += [r["id"] for r in response.json()["results"]]
        url = response.json()["next"]
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
