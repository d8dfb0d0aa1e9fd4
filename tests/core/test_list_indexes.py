"""The indexes behind the door, the search and the keyset pages answer the queries the product
sends (issue 15 items 1–3), proven with EXPLAIN on PostgreSQL.

The demo tables are small, so the planner would rightly read them whole; `enable_seqscan = off`
makes it say whether an index *can* answer the query. At scale it picks the index on its own
(bench/lists_keyset.py measures that)."""

import pytest
from django.db import connection

from secoop.core import keyset
from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.search import ranked
from secoop.core.search import search
from tests.helpers import person

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def plan(queryset, *, bitmap_only: bool = False) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmap_only:  # not even a whole-index walk in the list's order: only an index lookup
            cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


def test_r_sec_02_a_foreign_nationals_list_is_answered_by_the_releasability_index():
    le_staff = person("le.staff")  # an XBN citizen: reads only what is REL TO XBN
    visible = Document.objects.visible_to(le_staff)
    assert "string_to_array" in str(visible.query)
    text = plan(visible)
    assert "core_document_rel_" in text, text


def test_r_sec_02_the_partners_case_list_uses_the_releasability_index():
    from secoop.cases.models import FmsCase

    text = plan(FmsCase.objects.visible_to(person("partner.bandaria")))
    # An index answers the partner's list: the releasability index, or (when the planner finds
    # them more selective) the partner's own scope indexes, with releasability rechecked on the
    # rows they return. Never the whole table.
    assert "Index" in text and "Seq Scan on cases_fmscase" not in text, text


def test_search_is_answered_by_the_full_text_gin_indexes_not_by_reading_the_table():
    cleared = person("sco.bandaria")
    found = search(Document.objects.visible_to(cleared), "Brigade", ("title", "summary"), cleared)
    assert "title_tsv" in str(found.query)
    text = plan(found.order_by(), bitmap_only=True)
    assert "core_document_tsv_" in text and "Seq Scan" not in text, text


def test_a_ranked_change_log_search_reads_its_gin_indexes_and_the_username_trigram_index():
    cleared = person("sco.bandaria")
    entries = ChangeLogEntry.objects.visible_to(cleared)
    found = ranked(search(entries, "patrol", ("object_repr", "username", "reason"), cleared))
    assert "ts_rank" in str(found.query)
    text = plan(found[:51], bitmap_only=True)
    # object_repr and reason by their tsvector indexes, username (a code) by its trigram index.
    assert text.count("core_changelogentry_tsv_") == 2, text
    assert "core_changelogentry_trgm_" in text and "Seq Scan" not in text, text


def test_the_change_log_page_is_read_from_its_sort_index_without_sorting_the_table():
    cleared = person("sco.bandaria")
    ordered = ChangeLogEntry.objects.visible_to(cleared).order_by("-at", "-pk")
    keys = keyset.keys_for(ordered)
    page = ordered.order_by(*[k.order() for k in keys])[:51]
    text = plan(page)
    assert "core_changelogentry_ks_" in text and "Sort" not in text, text
