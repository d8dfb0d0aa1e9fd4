"""ARCHITECTURE invariant 1, proven from the outside: walk every URL and API route as every demo
user and fail if any response shows a record the user may not see.

Sentinel documents with unique titles are made in every marking; which of them a user may see is
decided by the pure rule (rules.can_see), not by the queryset under test. A new route with a
parameter must be taught to the walker (ROUTE_PARAMS), or this test fails and says so.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from secoop.core import access, actions, rules
from secoop.core.markings import Marking
from secoop.core.models import (
    AccessChangeRequest,
    ChangeLogEntry,
    Document,
    Notification,
    Organization,
    User,
)

pytestmark = pytest.mark.django_db

MARKINGS = [
    "UNCLASSIFIED",
    "CUI",
    "CUI//NOFORN",
    "CUI//REL TO USA, XBN",
    "CUI//REL TO USA, GBR",
    "CONFIDENTIAL//REL TO USA, XBN",
    "SECRET//NOFORN",
    "SECRET//REL TO USA, XBN",
]
OWNED = "Owned by a sentinel organization"
OWNERS = ["SCO Bandaria", "Bandaria MoD", "Meridian Defense", "DSCA"]

# Routes that are not about one record, or whose parameter names a record type below.
SKIP_PREFIXES = ("admin/", "api/schema", "api/docs", "api/redoc", "logout/", "static/", "media/")
ROUTE_PARAMS = {
    "organization-detail": "org",
    "organization-edit": "org",
    "document-detail": "doc",
    "document-edit": "doc",
    "document-file": "doc",
    "person-detail": "person",
    "person-unlock": "person",
    "access-request-new": "person",
    "access-request-approve": "access_request",
    "access-request-refuse": "access_request",
    "change-detail": "change",
    "country-detail": "country",
    "user-detail": "person",
    "notification-detail": "notification",
    "notification-acknowledge": "notification",
}
# Planning routes take a planning record's id; the walker feeds them document ids (they find
# nothing or an unrelated planning record, never a sentinel document). tests/planning/test_no_leaks.py
# walks them with planning sentinels in every marking.
ROUTE_PARAMS.update(
    {
        f"planning-{name}": "doc"
        for name in [
            "guidance-detail", "campaign-plan-detail", "campaign-plan-approve", "campaign-plan-reopen",
            "objective-detail", "line-of-effort-detail", "imo-detail", "measure-detail", "line-of-activity-detail",
            "activity-detail", "activity-assess", "activity-cancel", "activity-complete", "activity-plan",
            "activity-reschedule", "activity-start", "dependency-detail", "country-plan-detail", "phase-detail",
            "assumption-detail", "event-detail",
        ]
    }
)
ROUTE_PARAMS.update(
    dict.fromkeys(
        [
            "plan-detail", "plan-edit", "plan-approve", "loe-detail", "imo-detail", "imo-edit", "activity-detail",
            "activity-edit", "activity-assess", "activity-transition", "country-plan-detail", "assumption-detail",
            "guidance-detail", "matrix", "reschedule", "export",
            "country-plan-edit", "assumption-edit", "assumption-review",
        ],
        "doc",
    )
)


# Routes of these apps take their own records' ids: this walker feeds them document ids (they find
# nothing or an unrelated record, never a sentinel document); each app's tests/<app>/test_no_leaks.py
# walks them with sentinels of its own in every marking.
APP_WALKED_PREFIXES = ("cases/", "api/v1/cases/", "training/", "api/v1/training/")


def param_kind(route: str, name: str) -> str | None:
    if name in ROUTE_PARAMS:
        return ROUTE_PARAMS[name]
    return "doc" if route.startswith(APP_WALKED_PREFIXES) else None


def walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p, route)
        elif isinstance(p, URLPattern):
            yield route, p.name


def routes():
    seen = {}
    for route, name in walk(get_resolver()):
        route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        if route.startswith(SKIP_PREFIXES) or "(?P<format>" in route or "<drf_format_suffix" in route:
            continue
        seen[route] = name
    return seen


@pytest.fixture
def sentinels(settings):
    """One document per (marking, owner), titled with a unique token; and sentinel organizations
    in every marking, each owning a document released to Bandaria, so that a related record shown
    beside a visible one (an owner's name) is caught too."""
    made = []
    with override_settings(MAX_CLASSIFICATION="SECRET"):
        sco = Organization.objects.system().get(short_name="SCO Bandaria")
        for marking in MARKINGS:
            token = f"SENTINEL{uuid.uuid4().hex[:12].upper()}"
            org = Organization(name=token, short_name=token, kind="sco", parent=sco, country_id="XBN")
            org.marking = Marking.parse(marking)
            actions.system_create(org, reason=token)
            made.append(org)
            doc = Document(title=OWNED, owner_org=org, country_id="XBN")
            doc.marking = Marking.parse("UNCLASSIFIED//REL TO USA, XBN")
            actions.system_create(doc, reason="sentinel owner")
        for owner_name in OWNERS:
            owner = Organization.objects.system().get(short_name=owner_name)
            for marking in MARKINGS:
                token = f"SENTINEL{uuid.uuid4().hex[:12].upper()}"
                doc = Document(title=token, owner_org=owner, country_id="XBN", summary=token)
                doc.marking = Marking.parse(marking)
                actions.system_create(doc, reason=token)
                made.append(doc)
                # A notification about it, to its owner: marked like the document.
                made.extend(actions.notify(None, doc, [owner], f"SENTINEL{uuid.uuid4().hex[:12].upper()}"))
    return made


def may_see(user, record) -> bool:
    profile = access.profile_for(user)
    if profile is None:
        return False
    return rules.can_see(
        profile.person,
        rules.RecordFacts(record.marking, record.partner_visible, record.owner_org_id_value(), record.country_value()),
        timezone.localdate(),
        profile.reinvestigation_years,
    )


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(content)):
        wb = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    return content.decode("utf-8", "replace")


def fill(route: str, value) -> str:
    return "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]+\)", str(value), route)


def test_every_route_is_known_to_the_walker():
    unknown = [f"{route} ({name})" for route, name in routes().items() if "<" in route and param_kind(route, name) is None]
    assert not unknown, f"Teach tests/core/test_no_leaks.py which record these routes take: {unknown}"


@pytest.mark.parametrize(
    "username",
    # One user per kind of door: uncleared administrator, cleared U.S. officer, LE staff, partner, industry.
    ["admin", "sco.bandaria", "le.staff", "partner.bandaria", "industry.rep"],
)
def test_no_route_shows_a_record_the_user_may_not_see(username, sentinels, login, api):
    user = User.objects.get(username=username)
    visible = {str(d) for d in sentinels if may_see(user, d)}
    hidden = {str(d) for d in sentinels} - visible
    visible_docs = {d.title for d in sentinels if isinstance(d, Document) and may_see(user, d)}
    if username != "sco.bandaria":  # SECRET-cleared U.S. officer: may see every sentinel
        assert hidden, "every other user should be refused some sentinel"
    entries = {
        e.object_id: e.pk
        for e in ChangeLogEntry.objects.system().filter(
            object_id__in=[str(d.pk) for d in sentinels if isinstance(d, Document)], content_type__model="document"
        )
    }
    values = {
        "doc": [d.pk for d in sentinels if isinstance(d, Document)] + list(
            Document.objects.system().filter(title=OWNED).values_list("pk", flat=True)
        ),
        "change": list(entries.values()),
        "org": list(Organization.objects.system().filter(short_name__in=OWNERS).values_list("pk", flat=True))
        + [d.pk for d in sentinels if isinstance(d, Organization)],
        "person": list(User.objects.values_list("pk", flat=True)),
        "access_request": list(AccessChangeRequest.objects.values_list("pk", flat=True)),
        "country": ["XBN"],
        "notification": [d.pk for d in sentinels if isinstance(d, Notification)],
    }
    web, rest = login(username), api(username)
    checked = 0
    for route, name in routes().items():
        client = rest if route.startswith("api/") else web
        if "<" in route:
            kind = param_kind(route, name)
            urls = [fill(route, v) for v in values[kind]]
            queries = ({},)
        else:
            urls = ["/" + route]
            queries = ({}, {"q": "SENTINEL", "search": "SENTINEL", "page_size": 500}, {"format": "xlsx"})
        for url in urls:
            for query in queries:
                response = client.get(url, query)
                assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
                body = text_of(response)
                leaked = [t for t in hidden if t in body]
                assert not leaked, f"{username} was shown {len(leaked)} record(s) they may not see at {url}?{query}"
                checked += 1
    assert checked > 100

    # ...and the user does see what they may: in the list, the API and the change log.
    listing = text_of(web.get("/documents/", {"q": "SENTINEL", "format": "xlsx"}))
    assert all(t in listing for t in visible_docs)
    api_titles = {
        d["title"]
        for d in rest.get("/api/v1/documents/", {"search": "SENTINEL", "page_size": 500}).json()["results"]
    }
    assert api_titles - {OWNED} == visible_docs
    changes = {c["object_repr"] for c in rest.get("/api/v1/changes/", {"search": "SENTINEL", "page_size": 500}).json()["results"]}
    assert changes - {OWNED} == visible


def test_admin_site_lists_only_what_the_administrator_may_see(sentinels, login):
    admin = User.objects.get(username="admin")
    hidden = [str(d) for d in sentinels if not may_see(admin, d)]
    client = login("admin")
    for url in (
        "/admin/core/document/?q=SENTINEL",
        "/admin/core/changelogentry/?q=SENTINEL",
        "/admin/core/document/",
        "/admin/core/organization/",
    ):
        body = client.get(url).content.decode()
        assert not [t for t in hidden if t in body], url
    hidden_doc = next(d for d in sentinels if isinstance(d, Document) and not may_see(admin, d))
    assert client.get(f"/admin/core/document/{hidden_doc.pk}/change/").status_code in (302, 404)
