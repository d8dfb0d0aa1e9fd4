"""ARCHITECTURE invariant 1, proven from the outside: walk every URL and API route as every demo
user and fail if any response shows a record the user may not see.

Sentinel documents with unique titles are made in every marking; which of them a user may see is
decided by the pure rule (rules.can_see), not by the queryset under test. A new route with a
parameter must be taught to the walker (ROUTE_PARAMS), or this test fails and says so.
"""

from __future__ import annotations

import functools
import inspect
import io
import re
import uuid
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.urls import resolve
from django.utils import timezone
from openpyxl import load_workbook

from secoop.core import access
from secoop.core import actions
from secoop.core import rules
from secoop.core.markings import Marking
from secoop.core.models import AccessChangeRequest
from secoop.core.models import ChangeLogEntry
from secoop.core.models import Document
from secoop.core.models import Notification
from secoop.core.models import Organization
from secoop.core.models import User
from tests.conftest import builds
from tests.conftest import built_once

# The walkers read response bodies only: templates render without the test instrumentation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]

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
    # API tokens: only one's own (ApiToken.objects.visible_to); fed document ids, they find nothing.
    "api-token-record-detail": "doc",
    "api-token-record-revoke": "doc",
    "my-token-revoke": "doc",
    # List exports written by the task worker: only one's own (ExportJob.objects.visible_to);
    # fed document ids, they find nothing.
    "export-job": "doc",
    "export-job-file": "doc",
    # Rule pages: public text (issue 12 item 4); fed a rule id, they show no record.
    "rule-detail": "rule",
}


def app_labels() -> list[str]:
    """The product's apps other than core: each walks its own routes in tests/<app>/test_no_leaks.py."""
    from django.apps import apps

    return [
        a.label
        for a in apps.get_app_configs()
        if a.name.startswith("secoop.") and a.label != "core"
    ]


def app_of(route: str) -> str | None:
    """The app a route belongs to ('planning/…', 'api/v1/planning/…'), or None for a core route."""
    for label in app_labels():
        if route.startswith((f"{label}/", f"api/v1/{label}/", f"api/v1/^{label}/")):
            return label
    return None


def core_routes() -> dict[str, str]:
    return {route: name for route, name in routes().items() if app_of(route) is None}


def param_kind(route: str, name: str) -> str | None:
    return ROUTE_PARAMS.get(name)


def reads_tab(url: str) -> bool:
    """Whether the page at url has tabs (?tab=related …); other views ignore the parameter, so
    asking them again with it would only repeat the same answer."""
    from secoop.core.views import RecordDetailView

    view_class = getattr(resolve(url.split("?")[0]).func, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, RecordDetailView)


def _view_code(url: str) -> tuple[type | None, list[str]]:
    """The view class at url (None for a function view) and the source of the code that answers
    it: every class of its MRO (Django's and the libraries' included), or the function itself
    with the product's functions it calls."""
    return _code_of(resolve(url.split("?")[0]).func)


@functools.cache
def _code_of(func) -> tuple[type | None, list[str]]:
    # Cached per view: reading a class's source parses its whole module, and every walker asks
    # the same routes for six users.
    view_class = getattr(func, "cls", None) or getattr(func, "view_class", None)
    if view_class is not None:
        if hasattr(view_class, "renderer_classes"):  # REST framework: decided by its renderers
            return view_class, []
        return view_class, [inspect.getsource(c) for c in view_class.__mro__[:-1]]
    func = inspect.unwrap(func)
    source = inspect.getsource(func)
    # …and the product's functions it calls (a view often hands the request to a helper: `_edit`).
    called = {func.__globals__.get(name) for name in re.findall(r"\b([A-Za-z_]\w*)\(", source)}
    helpers = [
        c
        for c in called
        if inspect.isfunction(c) and c is not func and c.__module__.startswith("secoop.")
    ]
    return None, [source, *(inspect.getsource(c) for c in helpers)]


def reads_query(url: str) -> bool:
    """Whether the view at url reads the query string (a search, a filter, a page size): the lists
    and every API route. A page whose code never reads `request.GET` (a form to fill in, an index)
    answers `?q=SENTINEL` with the page already checked without it."""
    view_class, code = _view_code(url)
    if view_class is not None and hasattr(view_class, "renderer_classes"):  # REST framework
        return True
    return any(".GET" in c or "QUERY_STRING" in c for c in code)


EXPORT_FORMATS = ("xlsx", "docx")


def formats_read(url: str) -> tuple[str, ...]:
    """The `?format=` values (of EXPORT_FORMATS) the view at url answers with an export: the walkers
    ask only those. Other routes ignore the parameter, so asking them again would only repeat the
    page already checked; the API answers 404 to a format none of its renderers has, before it
    reads a record. Only view code reads the parameter (core/lists.py, the views of apps)."""
    from secoop.core.lists import RecordListView

    view_class, code = _view_code(url)
    if view_class is not None and hasattr(view_class, "renderer_classes"):  # REST framework
        formats = {renderer.format for renderer in view_class.renderer_classes}
        return tuple(f for f in EXPORT_FORMATS if f in formats)
    if view_class is not None and issubclass(view_class, RecordListView):
        if view_class.get is RecordListView.get:
            return ("xlsx",)  # the list's XLSX export, nothing else
    return EXPORT_FORMATS if any('"format"' in c for c in code) else ()


SEARCH = {"q": "SENTINEL", "search": "SENTINEL", "page_size": 500}


def page_queries(url: str, formats: tuple[str, ...] = ("xlsx",)) -> tuple[dict, ...]:
    """What a walker asks of a route without a record id: the page; a search for every sentinel,
    where the view reads the query string; each of `formats` the view exports (formats_read)."""
    return (
        {},
        *([SEARCH] if reads_query(url) else []),
        *({"format": f} for f in formats_read(url) if f in formats),
    )


def get_each(client, urls, queries):
    """GET every url with every query; yield (url, query, response). A route that answers 405 (it
    takes POST only) answers so whatever the record: after that answer (checked like any other) the
    route's other urls are not requested."""
    for url in urls:
        for query in queries:
            response = client.get(url, query)
            yield url, query, response
            if response.status_code == 405:
                return


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
        # A router's regex routes sit under a path() prefix ('api/v1/' + '^documents/$'): the
        # anchors go wherever they are, or the URL asked would be '/api/v1/^documents/' (a 404).
        route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
        if (
            route.startswith(SKIP_PREFIXES)
            or "(?P<format>" in route
            or "<drf_format_suffix" in route
        ):
            continue
        seen[route] = name
    return seen


@pytest.fixture(scope="module")
def sentinels(django_db_setup, django_db_blocker):
    """One document per (marking, owner), titled with a unique token; and sentinel organizations
    in every marking, each owning a document released to Bandaria, so that a related record shown
    beside a visible one (an owner's name) is caught too. Built once for the module."""
    made = []
    with built_once(django_db_blocker), override_settings(MAX_CLASSIFICATION="SECRET"):
        sco = Organization.objects.system().get(short_name="SCO Bandaria")
        for marking in MARKINGS:
            token = f"SENTINEL{uuid.uuid4().hex[:12].upper()}"
            org = Organization(
                name=token, short_name=token, kind="sco", parent=sco, country_id="XBN"
            )
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
                with builds("a sentinel notification"):
                    made.extend(
                        actions.notify(
                            None, doc, [owner], f"SENTINEL{uuid.uuid4().hex[:12].upper()}"
                        )
                    )
        yield made


def may_see(user, record) -> bool:
    profile = access.profile_for(user)
    if profile is None:
        return False
    return rules.can_see(
        profile.person,
        rules.RecordFacts(
            record.marking,
            record.partner_visible,
            record.owner_org_id_value(),
            record.country_value(),
        ),
        timezone.localdate(),
        profile.reinvestigation_years,
    )


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(content)):
        wb = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(c)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c
        )
    return content.decode("utf-8", "replace")


def fill(route: str, value) -> str:
    return "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]+\)", str(value), route)


def test_every_route_is_known_to_the_walker():
    unknown = [
        f"{route} ({name})"
        for route, name in core_routes().items()
        if "<" in route and param_kind(route, name) is None
    ]
    assert not unknown, (
        f"Teach tests/core/test_no_leaks.py which record these routes take: {unknown}"
    )


def test_every_app_route_has_a_walker_of_its_app():
    """Each app walks its own routes with sentinels of its own (tests/<app>/test_no_leaks.py); an app
    with routes and no walker fails here."""
    tests_dir = Path(__file__).resolve().parents[1]
    apps_with_routes = {app_of(route) for route in routes()} - {None}
    assert apps_with_routes >= {"planning", "cases", "training"}
    missing = sorted(
        a for a in apps_with_routes if not (tests_dir / a / "test_no_leaks.py").is_file()
    )
    assert not missing, (
        f"Write tests/<app>/test_no_leaks.py (a leak walker over the app's routes) for: {missing}"
    )


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
    # Routes with a parameter get one sentinel per marking (its owner rotating over OWNERS), and the
    # documents the sentinel organizations own; lists and searches see every sentinel.
    docs = [d for d in sentinels if isinstance(d, Document)]
    walked_docs = [
        docs[(i % len(OWNERS)) * len(MARKINGS) + i] for i in range(len(MARKINGS))
    ]  # made owner by owner
    entries = {
        e.object_id: e.pk
        for e in ChangeLogEntry.objects.system().filter(
            object_id__in=[str(d.pk) for d in walked_docs], content_type__model="document"
        )
    }
    values = {
        "doc": [d.pk for d in walked_docs]
        + list(Document.objects.system().filter(title=OWNED).values_list("pk", flat=True)),
        "change": list(entries.values()),
        "org": list(
            Organization.objects.system().filter(short_name__in=OWNERS).values_list("pk", flat=True)
        )
        + [d.pk for d in sentinels if isinstance(d, Organization)],
        "person": list(User.objects.values_list("pk", flat=True)),
        "access_request": list(AccessChangeRequest.objects.values_list("pk", flat=True)),
        "country": ["XBN"],
        "rule": ["R-TRN-08", "SPEC-11-OED"],
        "notification": [
            n.pk
            for n in sentinels
            if isinstance(n, Notification) and n.object_id in {str(d.pk) for d in walked_docs}
        ],
    }
    assert len(values["change"]) == len(values["notification"]) == len(MARKINGS)
    web, rest = login(username), api(username)
    checked = 0
    for route, name in core_routes().items():
        client = rest if route.startswith("api/") else web
        if "<" in route:
            kind = param_kind(route, name)
            urls = [fill(route, v) for v in values[kind]]
            queries = ({},)
        else:
            urls = ["/" + route]
            queries = page_queries(urls[0])
        for url, query, response in get_each(client, urls, queries):
            assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
            body = text_of(response)
            leaked = [t for t in hidden if t in body]
            assert not leaked, (
                f"{username} was shown {len(leaked)} record(s) they may not see at {url}?{query}"
            )
            checked += 1
    assert checked > 100

    # ...and the user does see what they may: in the list, the API and the change log.
    listing = text_of(web.get("/documents/", {"q": "SENTINEL", "format": "xlsx"}))
    assert all(t in listing for t in visible_docs)
    api_titles = {
        d["title"]
        for d in rest.get("/api/v1/documents/", {"search": "SENTINEL", "page_size": 500}).json()[
            "results"
        ]
    }
    assert api_titles - {OWNED} == visible_docs
    changes = {
        c["object_repr"]
        for c in rest.get("/api/v1/changes/", {"search": "SENTINEL", "page_size": 500}).json()[
            "results"
        ]
    }
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


def responses_hide(client, urls, queries, hidden, who: str, body=text_of) -> int:
    """GET every url with every query (get_each); fail on an unexpected status or on a hidden
    sentinel in a body (read by `body`). Returns how many responses were checked."""
    checked = 0
    for url, query, response in get_each(client, urls, queries):
        assert response.status_code in (200, 302, 400, 403, 404, 405), (url, response.status_code)
        text = body(response)
        leaked = [t for t in hidden if t in text]
        assert not leaked, f"{who} was shown {len(leaked)} hidden record(s) at {url}?{query}"
        checked += 1
    return checked
