"""One guarded way to a related record (issue 11 §2; ARCHITECTURE invariant 1): related(),
{% related %}, GuardedPrefetch, and the guard that fails a plain read under tests."""

import pytest
from django.db.models import Prefetch
from django.template import Context
from django.template import Template

from secoop.core.actions import system_writes
from secoop.core.markings import Classification
from secoop.core.models import Document
from secoop.core.models import Organization
from secoop.core.models.records import AccessDoorBypassed
from secoop.core.models.records import trusted_following
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related

pytestmark = pytest.mark.django_db

RELEASED = "Letter of Request guide for the Bandaria Ministry of Defence"  # CUI REL USA, XBN


@pytest.fixture
def hidden_owner(users):
    """The released document's owner made SECRET: LE staff see the document, not its owner."""
    owner_id = Document.objects.system().get(title=RELEASED).owner_org_id
    with system_writes("test: the owner made SECRET"):
        Organization.objects.system().filter(pk=owner_id).update(
            classification=Classification.SECRET
        )
    return owner_id


def the_document(user, *related_names):
    return Document.objects.visible_to(user).select_related(*related_names).get(title=RELEASED)


def test_a_plain_read_of_a_marked_related_record_fails_under_tests(users):
    doc = the_document(users["sco.bandaria"])
    with pytest.raises(AccessDoorBypassed, match=r"use related\(obj, 'owner_org', user\)"):
        doc.owner_org  # noqa: B018  (a lazy load through the base manager)
    doc = the_document(users["sco.bandaria"], "owner_org")
    with pytest.raises(AccessDoorBypassed):
        doc.owner_org  # noqa: B018  (the select_related cache)


def test_a_plain_read_through_a_one_to_one_key_fails_the_same_way(users):
    from secoop.training.models import Readiness

    readiness = Readiness.objects.visible_to(users["sco.bandaria"]).first()
    assert readiness is not None
    with pytest.raises(AccessDoorBypassed, match=r"use related\(obj, 'student', user\)"):
        readiness.student  # noqa: B018  (a forward one-to-one)


def test_related_gives_the_record_to_who_may_see_it_and_none_to_others(users, hidden_owner):
    sco, le = users["sco.bandaria"], users["le.staff"]
    assert related(the_document(le), "owner_org", le) is None
    owner = related(the_document(sco), "owner_org", sco)
    assert owner is not None and owner.pk == hidden_owner
    doc = the_document(sco)
    owner = related(doc, "owner_org", sco)
    assert doc.owner_org is owner  # what came through the door may then be read plainly


def test_a_select_related_cache_does_not_leak_a_hidden_record(users, hidden_owner):
    le = users["le.staff"]
    doc = the_document(le, "owner_org")  # the SQL join loaded the hidden owner
    assert related(doc, "owner_org", le) is None
    with pytest.raises(AccessDoorBypassed):
        doc.owner_org  # noqa: B018
    page = Template(
        '{% load secoop %}{% related doc "owner_org" as owner %}'
        "{% if owner %}{{ owner.name }}{% else %}(restricted){% endif %}"
    ).render(Context({"doc": doc, "user": le}))
    assert page == "(restricted)"


def test_a_page_memo_checks_a_shared_related_record_once_and_still_hides_it(
    users, hidden_owner, monkeypatch
):
    """A list page keeps one memo while it renders its rows (issue 15): the organization many rows
    show is checked once, and a hidden one stays hidden in every row."""
    from secoop.core import access

    calls = []
    real = access.can_see_record
    monkeypatch.setattr(
        access, "can_see_record", lambda user, rec: calls.append(rec.pk) or real(user, rec)
    )
    le, memo = users["le.staff"], {}
    docs = [the_document(le, "owner_org") for _ in range(3)]
    assert [related(d, "owner_org", le, memo) for d in docs] == [None, None, None]
    assert calls == [hidden_owner]


def test_guarded_prefetch_attaches_only_the_children_the_user_may_see(users):
    le = users["le.staff"]
    seen = set(Document.objects.visible_to(le).values_list("pk", flat=True))
    orgs = list(
        Organization.objects.visible_to(le).prefetch_related(GuardedPrefetch("documents", le))
    )
    attached = {d.pk for o in orgs for d in o.documents.all()}
    assert attached and attached <= seen
    assert Document.objects.system().exclude(pk__in=seen).exists()  # there was something to hide
    with pytest.raises(AccessDoorBypassed):  # a plain prefetch of marked children skips the door
        list(Organization.objects.visible_to(le).prefetch_related("documents"))
    with pytest.raises(AccessDoorBypassed):  # so does a plain forward prefetch, when read
        doc = Document.objects.visible_to(le).prefetch_related(Prefetch("owner_org")).first()
        doc.owner_org  # noqa: B018


def test_trusted_code_follows_keys(users):
    doc = the_document(users["sco.bandaria"])
    with trusted_following():  # actions, the door's own paths
        assert doc.owner_org.pk == doc.owner_org_id
    system_doc = Document.objects.system().get(title=RELEASED)
    assert system_doc.owner_org.pk == system_doc.owner_org_id
