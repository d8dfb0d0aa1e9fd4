"""A marked record changes only inside an action (ARCHITECTURE invariant 2): under tests, a save,
delete or bulk write anywhere else fails, the way a read that skips the door does."""

from __future__ import annotations

import pytest

from secoop.core import actions
from secoop.core.models import Document
from secoop.core.models.records import WriteOutsideAction
from secoop.core.models.records import writing_as
from secoop.core.permissions import REGISTRY


@pytest.fixture
def doc(db):
    return Document.objects.system().order_by("pk").first()


def test_a_plain_save_outside_an_action_fails(doc):
    """What a view that wrote for itself would do."""
    doc.title = "Changed behind the actions' back"
    with pytest.raises(WriteOutsideAction, match="Document was saved outside an action"):
        doc.save()


def test_a_delete_outside_an_action_fails(doc):
    with pytest.raises(WriteOutsideAction, match="deleted outside an action"):
        doc.delete()


def test_bulk_writes_outside_an_action_fail(doc):
    with pytest.raises(WriteOutsideAction, match="updated in bulk"):
        Document.objects.system().filter(pk=doc.pk).update(title="x")
    with pytest.raises(WriteOutsideAction, match="deleted in bulk"):
        Document.objects.system().filter(pk=doc.pk).delete()
    with pytest.raises(WriteOutsideAction, match="created in bulk"):
        Document.objects.bulk_create([Document(title="x", owner_org=doc.owner_org)])
    with pytest.raises(WriteOutsideAction, match="updated in bulk"):
        Document.objects.bulk_update([doc], ["title"])


def test_an_action_opens_the_write_context_for_its_body_only(users, doc):
    seen = []

    @actions.acts({"administrator"}, what="look at the write context")
    def probe(acting_user):
        seen.append(writing_as())

    try:
        probe(users["admin"])
    finally:
        REGISTRY.pop(f"{probe.__module__}.probe", None)  # not a real action: keep the registry
    assert seen == [f"{probe.__module__}.probe"]
    assert writing_as() is None


def test_trusted_code_says_why_it_writes(doc):
    with pytest.raises(ValueError):
        actions.system_writes("  ")
    with actions.system_writes("test: proves the trusted context"):
        Document.objects.system().filter(pk=doc.pk).update(title="Renamed by the system")
    assert Document.objects.system().get(pk=doc.pk).title == "Renamed by the system"
