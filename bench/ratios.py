"""Every list, search and detail endpoint and page, timed against its hand-written floor (issue 15).

    python bench/ratios.py                         # var/bench-small.sqlite3, built on first use
    python bench/ratios.py --scale enterprise      # var/bench-enterprise.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/secoop_bench python bench/ratios.py
    python bench/ratios.py --runs 15 --deep 20 --only cases --json var/ratios.json

The database is built once (migrations, the demo data, then `secoop generate --scale SCALE
--ignore-ceiling`) and reused while it holds generated data.

The routes come from the URLconf, as the leak walkers find them (tests/core/test_no_leaks.py):
every GET list and page without parameters, every detail route (its id found by following the
links and API results the user was given, never guessed), the searchable lists with a search term
(`?search=` on the API where the viewset has search fields, `?q=` on pages that have a `q` field),
and for the main lists a deep page reached by following `next` links `--deep` times (so cursor
pagination works as well as `?page=`). Forms, exports, file downloads and POST-only actions are
left out: they are not reads of a list, a search or a record.

Three users, one of each kind the door treats differently: a U.S. person with a SECRET clearance
(HQ staff: sees nearly everything), a locally employed staff member and a partner-nation user, both
of the partner with the largest share of the generated data.

Each request goes through Django's test client with a logged-in session (the whole server-side
stack). Its floor is the best SQL for the same answer written by hand: the same user's access
filter (`visibility`, the door's rules written out), the same order, a keyset page of 50 (or the
one record and what its page shows), run with `connection.cursor()` and JSON-encoded. Requests
and floors are interleaved (round after round over every row), so a loaded machine slows both
alike. A route without a floor is listed with its time and "no floor": floors are written for the
main endpoints only, never made up. The first page's ids of an API list are compared with the
floor's: a difference is printed as "≠" (the floor and the product disagree on the page).

Each user also has a **stack floor** per side (decision 0054): the cheapest signed-in request
through the same stack (`STACK_FLOORS`: the user's own record on the API, the password form for
pages — middleware, session and user, DRF or the base template, navigation and banner), timed
right after every row of that user, so its median comes from the same run and the same load. Each
row then says what it adds over the stack (`+stack` = product − stack floor) against its SQL floor
(`+/fl`), how long its templates took (`tmpl`: time in the outermost `Template.render`, i.e.
the page's templates with their includes and form widgets, less the SQL run inside them; the
stack page's own is printed too) and its SQL (`sql`: the wall time of its statements). Product =
SQL + templates + the rest (middleware, view, ORM, serializer: `rest_ms` in the JSON).

Prints, per row: median and p95 of the product and of the floor (ms), the ratios (median/median,
p95/p95), the stack floor, what the row adds over it, that against the floor, the templates' time,
the SQL queries one request runs and the status; `--json FILE` writes the same rows, the stack
floors and a summary by side.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("LOG_LEVEL", "ERROR")
# The generated data keeps SECRET markings (--ignore-ceiling): let the SECRET user read them.
os.environ.setdefault("MAX_CLASSIFICATION", "SECRET")
sys.path.insert(0, str(ROOT / "src"))

PAGE = 50
# The cheapest signed-in request through each stack (the stack floor, decision 0054), whichever of
# these is the cheapest for the user: on the API the user's own record (with its memberships) or
# a country (one reference row); for pages the password form (base template, navigation, banner,
# three fields; no query beyond the session's).
STACK_FLOORS = {
    "api": ("/api/v1/users/me/", "/api/v1/countries/USA/"),
    "page": ("/account/password/",),
}
STACK_TRIALS = 5
SKIP_PREFIXES = (
    "admin/",
    "api/schema",
    "api/docs",
    "api/redoc",
    "api/v1/auth/",
    "login/",
    "logout/",
    "account/",
    "static/",
    "marking/check",
)
# Path segments of forms, uploads, downloads and exports: not list, search or detail reads.
SKIP_SEGMENTS = re.compile(
    r"/(new|edit|import|nominate|smart-check|file|pdf|export|correct|change|add|unlock|access)/"
    r"|\.(pdf|docx|xlsx|csv)$"
)


# --- the access filter, by hand ------------------------------------------------------------------


def visibility(profile, floor: Floor) -> tuple[str, list]:
    """The WHERE clause the access door applies (R-SEC-01..03), written out as SQL over the floor's
    columns: the user's ceiling, REL TO for a foreign national, and for a partner or industry user
    the organizations (and the partner's country) whose records they read."""
    from secoop.core.rules import USA
    from secoop.core.rules import Audience

    if not floor.marked:
        return "1 = 1", []
    person, m = profile.person, floor.mark
    where, params = [f"{m}.classification <= %s"], [int(profile.ceiling)]
    if person.citizenship != USA:
        if _like_is_case_sensitive():  # PostgreSQL: the form its GIN index answers (core.dbindex)
            where.append(
                f"{m}.dissemination = 'REL' AND string_to_array({m}.rel_to, ',') @> ARRAY[%s]::text[]"
            )
            params.append(person.citizenship)
        else:
            where.append(f"{m}.dissemination = 'REL' AND {m}.rel_to LIKE %s")
            params.append(f"%,{person.citizenship},%")
    ids = sorted(person.member_org_ids)
    in_ids = f"{floor.owner} IN ({', '.join(['%s'] * len(ids))})" if ids else "1 = 0"
    if person.audience == Audience.PARTNER:
        if not floor.partner_visible:
            return "1 = 0", []
        if floor.partner_flag:
            where.append(f"{floor.partner_flag} = %s")
            params.append(True)
        if floor.country and person.partner_country:
            where.append(f"({in_ids} OR {floor.country} = %s)")
            params += [*ids, person.partner_country]
        else:
            where.append(in_ids)
            params += ids
    elif person.audience == Audience.INDUSTRY:
        where.append(in_ids)
        params += ids
    return " AND ".join(f"({w})" for w in where), params


@dataclass(frozen=True)
class Floor:
    """The hand-written SQL for one kind of answer: FROM (with the joins the page shows), the
    columns, the order (expression, descending), and where the access filter reads its facts."""

    source: str
    columns: str
    order: tuple[tuple[str, bool], ...] = ()
    mark: str = ""  # alias of the table whose marking applies
    owner: str = ""  # owning organization id expression
    country: str | None = None  # partner country expression
    partner_flag: str | None = None  # a per-row "shared with the partner" expression
    partner_visible: bool = True  # False: never shown to partners (planning, vetting: R-SEC-03)
    marked: bool = True
    search: tuple[str, ...] = ()  # columns a search term is looked for in
    # PostgreSQL, a model with a search document (core.search): its text columns and weights
    # (matched and ranked through their stored `<column>_tsv`) and its code columns (ILIKE,
    # ranked higher from their start); the floor of a ranked page is then ranked too.
    ranked: tuple[tuple[str, float], ...] = ()
    codes: tuple[str, ...] = ()
    key: str = ""  # the record id expression, for a detail
    # A detail page shows more than its record: (SQL with %(vis)s for the child's filter, child floor)
    children: tuple[tuple[str, Floor], ...] = ()

    def page_sql(self, profile, *, term: str | None = None, after: tuple | None = None):
        vis, params = visibility(profile, self)
        where = [vis]
        rank_sql, rank_params = "", []
        if term and (self.ranked or self.codes) and _vendor() == "postgresql" and after is None:
            from secoop.core.search import _tsquery
            from secoop.core.search import tokens_of

            query = _tsquery(tokens_of(term))
            match = [f"{c}_tsv @@ to_tsquery('simple', %s)" for c, _ in self.ranked]
            match += [f"{c} ILIKE %s" for c in self.codes]
            where.append("(" + " OR ".join(match) + ")")
            params += [query] * len(self.ranked) + [f"%{term}%"] * len(self.codes)
            ranks = [f"%s * ts_rank({c}_tsv, to_tsquery('simple', %s))" for c, _ in self.ranked]
            for _c, w in self.ranked:
                rank_params += [w, query]
            for c in self.codes:
                ranks.append(
                    f"CASE WHEN {c} ILIKE %s THEN 1.0 WHEN {c} ILIKE %s THEN 0.5 ELSE 0 END"
                )
                rank_params += [f"{term}%", f"%{term}%"]
            rank_sql = "(" + " + ".join(ranks) + ") DESC, "
        elif term:
            where.append("(" + " OR ".join(f"{c} LIKE %s" for c in self.search) + ")")
            params += [f"%{term}%"] * len(self.search)
        if after is not None:
            keyset, values = keyset_sql(self.order, after)
            where.append(keyset)
            params += values
        order = ", ".join(f"{e} {'DESC' if d else 'ASC'}" for e, d in self.order)
        sql = f"SELECT {self.columns} FROM {self.source} WHERE {' AND '.join(where)}"
        if rank_sql:
            return f"{sql} ORDER BY {rank_sql}{order} LIMIT {PAGE}", params + rank_params
        return sql + (f" ORDER BY {order}" if order else "") + f" LIMIT {PAGE}", params

    def last_of_pages(self, profile, pages: int, term: str | None = None):
        """The sort key of the last row before page `pages + 1` (untimed: it sets up the keyset)."""
        sql, params = self.page_sql(profile, term=term)
        keys = ", ".join(e for e, _ in self.order)
        sql = sql.replace(f"SELECT {self.columns}", f"SELECT {keys}", 1).replace(
            f"LIMIT {PAGE}", f"LIMIT 1 OFFSET {pages * PAGE - 1}"
        )
        return _fetch(sql, params)

    def detail_sql(self, profile, pk) -> list[tuple[str, list]]:
        vis, params = visibility(profile, self)
        queries = [
            (
                f"SELECT {self.columns} FROM {self.source} WHERE {vis} AND {self.key} = %s",
                [*params, pk],
            )
        ]
        for fk, child in self.children:
            cvis, cparams = visibility(profile, child)
            order = ", ".join(f"{e} {'DESC' if d else 'ASC'}" for e, d in child.order)
            queries.append(
                (
                    f"SELECT {child.columns} FROM {child.source} WHERE {cvis} AND {fk} = %s "
                    f"ORDER BY {order} LIMIT {PAGE}",
                    [*cparams, pk],
                )
            )
        return queries


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def keyset_sql(order, after) -> tuple[str, list]:
    """Rows after `after` in `order`: (k1 > v1) OR (k1 = v1 AND k2 > v2) …, each in its direction."""
    ors, params = [], []
    for i, (expr, desc) in enumerate(order):
        ands = [f"{e} = %s" for e, _ in order[:i]] + [f"{expr} {'<' if desc else '>'} %s"]
        params += [*after[:i], after[i]]
        ors.append("(" + " AND ".join(ands) + ")")
    return "(" + " OR ".join(ors) + ")", params


def _fetch(sql, params):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def _run_floor(queries: list[tuple[str, list]]) -> tuple[int, list]:
    """Run the floor's queries and JSON-encode their rows, as an API would; (bytes, first ids)."""
    from django.db import connection

    out, ids = [], []
    with connection.cursor() as cur:
        for n, (sql, params) in enumerate(queries):
            cur.execute(sql, params)
            names = [c[0] for c in cur.description]
            rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
            if n == 0:
                ids = [r[names[0]] for r in rows]
            out.append(rows)
    return len(json.dumps(out, default=str)), ids


# The floors of the main endpoints, by URL name (resolve(url).view_name).
CHANGES = Floor(
    source="core_changelogentry c JOIN django_content_type ct ON ct.id = c.content_type_id",
    columns="c.id, c.at, c.username, c.action, c.object_repr, c.object_id, c.reason, "
    "c.classification, c.dissemination, c.rel_to, ct.app_label, ct.model",
    order=(("c.at", True), ("c.id", True)),
    mark="c",
    owner="c.owner_org_id",
    country="c.country_id",
    partner_flag="c.partner_visible",
    search=("c.object_repr", "c.reason"),
    ranked=(("c.object_repr", 1.0), ("c.reason", 0.6)),
    key="c.id",
)
DOCUMENTS = Floor(
    source="core_document d JOIN core_organization oo ON oo.id = d.owner_org_id "
    "LEFT JOIN core_country k ON k.alpha3 = d.country_id",
    columns="d.id, d.title, d.kind, d.dated, d.summary, d.classification, d.dissemination, "
    "d.rel_to, oo.id AS owner_id, oo.short_name, k.name AS country_name",
    order=(("d.dated", True), ("d.title", False), ("d.id", False)),
    mark="d",
    owner="d.owner_org_id",
    country="d.country_id",
    search=("d.title", "d.summary"),
    ranked=(("d.title", 1.0), ("d.summary", 0.4)),
    key="d.id",
)
ORGANIZATIONS = Floor(
    source="core_organization o LEFT JOIN core_country k ON k.alpha3 = o.country_id",
    columns="o.id, o.name, o.short_name, o.kind, o.tree_path, o.parent_id, o.classification, "
    "o.dissemination, o.rel_to, k.name AS country_name",
    order=(("o.tree_path", False), ("o.id", False)),
    mark="o",
    owner="o.id",
    country="o.country_id",
    search=("o.name", "o.short_name"),
    key="o.id",
)
COUNTRIES = Floor(
    source="core_country k",
    columns="k.alpha3, k.alpha2, k.name, k.official_name, k.ccmd",
    order=(("k.name", False), ("k.alpha3", False)),
    marked=False,
    search=("k.name", "k.alpha3", "k.alpha2"),
    key="k.alpha3",
)
ACTIVITIES = Floor(
    source="planning_activity a JOIN core_country k ON k.alpha3 = a.country_id "
    "JOIN core_organization oo ON oo.id = a.owner_org_id",
    columns="a.id, a.title, a.activity_type, a.program, a.status, a.start_date, a.end_date, "
    "a.location, a.classification, a.dissemination, a.rel_to, k.name AS country_name, "
    "oo.short_name",
    order=(("a.start_date", False), ("a.title", False), ("a.id", False)),
    mark="a",
    owner="a.owner_org_id",
    country="a.country_id",
    partner_visible=False,
    search=("a.title", "a.program", "a.location", "a.description"),
    ranked=(("a.title", 1.0), ("a.location", 0.6), ("a.description", 0.3)),
    codes=("a.program",),
    key="a.id",
)
CASES = Floor(
    source="cases_fmscase f JOIN core_country k ON k.alpha3 = f.country_id "
    "JOIN core_organization oo ON oo.id = f.owner_org_id",
    columns="f.id, f.identifier, f.title, f.status, f.loa_type, f.offered_on, f.oed, "
    "f.implemented_on, f.classification, f.dissemination, f.rel_to, k.name AS country_name, "
    "oo.short_name",
    order=(("f.identifier", False),),
    mark="f",
    owner="f.owner_org_id",
    country="f.country_id",
    partner_flag="f.shared_with_partner",
    search=("f.identifier", "f.title"),
    ranked=(("f.title", 1.0),),
    codes=("f.identifier",),
    key="f.id",
)
CASE_LINES = Floor(
    source="cases_caseline l JOIN cases_fmscase f ON f.id = l.case_id",
    columns="l.id, l.number, l.item, l.quantity, l.unit_value, l.total_value, l.case_id, "
    "f.identifier, l.classification, l.dissemination, l.rel_to",
    order=(("l.case_id", False), ("l.number", False), ("l.id", False)),
    mark="l",
    owner="f.owner_org_id",
    country="f.country_id",
    partner_flag="f.shared_with_partner",
    search=("l.item", "l.description"),
    ranked=(("l.item", 1.0), ("l.description", 0.4)),
    key="l.id",
)
LINES_OF_CASE = Floor(
    source="cases_caseline l JOIN cases_fmscase f ON f.id = l.case_id",
    columns="l.id, l.number, l.item, l.quantity, l.unit_value, l.total_value",
    order=(("l.number", False),),
    mark="l",
    owner="f.owner_org_id",
    country="f.country_id",
    partner_flag="f.shared_with_partner",
)
DELIVERIES = Floor(
    source="cases_delivery v JOIN cases_fmscase f ON f.id = v.case_id "
    "JOIN cases_caseline l ON l.id = v.line_id",
    columns="v.id, v.planned_on, v.planned_quantity, v.actual_on, v.actual_quantity, "
    "f.identifier, l.number, l.item, v.classification, v.dissemination, v.rel_to",
    order=(("v.case_id", False), ("v.planned_on", False), ("v.id", False)),
    mark="v",
    owner="f.owner_org_id",
    country="f.country_id",
    partner_flag="f.shared_with_partner",
    search=("l.item",),
    key="v.id",
)
STUDENTS = Floor(
    source="training_student s JOIN core_country k ON k.alpha3 = s.country_id",
    columns="s.id, s.given_name, s.family_name, s.rank, s.course_title, s.program, "
    "s.class_start, s.class_end, s.status, s.classification, s.dissemination, s.rel_to, "
    "k.name AS country_name",
    order=(("s.class_start", False), ("s.family_name", False), ("s.id", False)),
    mark="s",
    owner="s.owner_org_id",
    country="s.country_id",
    search=("s.given_name", "s.family_name", "s.course_title"),
    ranked=(("s.course_title", 1.0),),
    codes=("s.given_name", "s.family_name"),
    key="s.id",
)
STUDENT_STEPS = (
    (
        "r.student_id",
        Floor(
            source="training_readiness r JOIN training_student s ON s.id = r.student_id",
            columns="r.*",
            order=(("r.id", False),),
            mark="r",
            owner="s.owner_org_id",
            country="s.country_id",
            partner_visible=False,
        ),
    ),
    (
        "g.student_id",
        Floor(
            source="training_vetting g JOIN training_student s ON s.id = g.student_id",
            columns="g.*",
            order=(("g.requested_on", False), ("g.id", False)),
            mark="g",
            owner="s.owner_org_id",
            country="s.country_id",
            partner_visible=False,
        ),
    ),
)

FLOORS: dict[str, Floor] = {
    "api:change-list": CHANGES,
    "changes": CHANGES,
    # The pages keep shorter keyset orders than the API (core.keyset): their floors follow them.
    "api:change-detail": CHANGES,
    "api:document-list": DOCUMENTS,
    "documents": replace(DOCUMENTS, order=(("d.dated", True), ("d.id", True))),
    "api:document-detail": DOCUMENTS,
    "api:organization-list": ORGANIZATIONS,
    "api:organization-detail": ORGANIZATIONS,
    "api:country-list": COUNTRIES,
    "api:country-detail": COUNTRIES,
    "api:planning-activity-list": ACTIVITIES,
    "planning:activities": replace(ACTIVITIES, order=(("a.start_date", False), ("a.id", False))),
    "api:planning-activity-detail": ACTIVITIES,
    "api:cases-case-list": CASES,
    "cases:cases": CASES,
    "api:cases-case-detail": CASES,
    "cases:case-detail": replace(CASES, children=(("l.case_id", LINES_OF_CASE),)),
    "api:cases-case-line-list": CASE_LINES,
    "api:cases-case-line-detail": CASE_LINES,
    "api:cases-delivery-list": DELIVERIES,
    "cases:deliveries": replace(DELIVERIES, order=(("v.planned_on", False), ("v.id", False))),
    "api:cases-delivery-detail": DELIVERIES,
    "api:training-student-list": STUDENTS,
    "training:students": replace(STUDENTS, order=(("s.class_start", False), ("s.id", False))),
    "api:training-student-detail": STUDENTS,
    "training:student-detail": replace(STUDENTS, children=STUDENT_STEPS),
    "planning:activity-detail": ACTIVITIES,
}


def _floors_written_as_data() -> dict[str, Floor]:
    """The floors of bench/floors.json (the LOR, CTA, SDR, EDA, DCS, plan and CETPP endpoints), by
    URL name: a Floor's fields, with a page's own order where it differs from the API's."""
    data = json.loads((ROOT / "bench" / "floors.json").read_text())
    floors = {
        name: Floor(
            **{
                **spec,
                "order": tuple(tuple(o) for o in spec["order"]),
                "search": tuple(spec.get("search", ())),
            }
        )
        for name, spec in data["floors"].items()
    }
    out = {}
    for view, (name, *order) in data["views"].items():
        floor = floors[name]
        out[view] = replace(floor, order=tuple(tuple(o) for o in order[0])) if order else floor
    return out


FLOORS.update(_floors_written_as_data())


# --- the routes --------------------------------------------------------------------------------


def walk(resolver, prefix=""):
    from django.urls import URLPattern
    from django.urls import URLResolver

    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p, route)
        elif isinstance(p, URLPattern):
            yield route, p


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def routes() -> list[tuple[str, str, bool]]:
    """(route, URL regex, whether it takes a parameter) of every read this bench times."""
    from django.urls import get_resolver

    found, seen = [], set()
    for route, pattern in walk(get_resolver()):
        # The router's regexes: drop their anchors (a "^" that does not open a character class).
        route = re.sub(r"(?<!\[)\^", "", route).replace("$", "").replace("\\Z", "")
        route = route.replace("\\", "")
        if (
            route.startswith(SKIP_PREFIXES)
            or "(?P<format>" in route
            or "<drf_format_suffix" in route
            or SKIP_SEGMENTS.search("/" + route)
            or route in seen
        ):
            continue
        params = PARAM.findall(route)
        if len(params) > 1:
            continue
        if params:
            # A detail: the parameter ends the route (actions and sub-pages are not reads of it).
            if not re.search(r"(<[^>]+>|\(\?P<\w+>[^)]*\))/?$", route):
                continue
            callback = pattern.callback
            view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            name = pattern.name or ""
            if not (name.endswith("-detail") or (view and view.__name__.endswith("Detail"))):
                continue
        seen.add(route)
        # An int parameter matches digits only (/cases/<int:pk>/ is not /cases/list/).
        regex = "^/" + PARAM.sub("([^/]+)", re.sub(r"<int:\w+>", "INT", route)) + "$"
        regex = regex.replace("INT", r"(\d+)")
        found.append((route, regex, bool(params)))
    return found


@dataclass
class Row:
    user: str
    kind: str  # list, search, deep, detail, page
    url: str
    view: str
    status: int = 0
    queries: int = 0
    bytes: int = 0
    product_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    floor: object = None  # a callable running the floor, or None
    same_page: bool | None = None
    template_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)

    @property
    def side(self) -> str:
        return "api" if self.url.startswith("/api/") else "page"


HREF = re.compile(r'href="(/[^"#]*)"')
NEXT_HTML = re.compile(
    r'<a[^>]*(?:rel="next"|usa-pagination__next-page)[^>]*href="([^"]+)"'
    r'|<a[^>]*href="([^"]+)"[^>]*(?:rel="next"|usa-pagination__next-page)'
)


def _json(response):
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _next_link(response) -> str | None:
    data = _json(response) if "json" in response.get("Content-Type", "") else None
    if isinstance(data, dict):
        nxt = data.get("next")
        if nxt:
            return re.sub(r"^https?://[^/]+", "", nxt)
        return None
    match = NEXT_HTML.search(response.content.decode(errors="replace"))
    if not match:
        return None
    href = (match.group(1) or match.group(2)).replace("&amp;", "&")
    return urljoin(response.wsgi_request.get_full_path(), href)


def _page_ids(response) -> list | None:
    data = _json(response)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return [r.get("id", r.get("alpha3")) for r in data["results"] if isinstance(r, dict)]
    return None


def search_term(url: str) -> str:
    """A word the generated data has (titles, topics, items) and the change log repeats."""
    return "radio" if "/cases/" in url else "patrol"


def discover(
    client, label: str, profile, deep: int, only: str | None, with_floor: bool = False
) -> list[Row]:
    """The rows for one user: each list and page, its search and deep page, each detail route
    with the first record the user was shown."""

    rows: list[Row] = []
    hrefs: list[str] = []
    api_first: dict[str, object] = {}  # list route -> the first result's id
    all_routes = routes()
    for route, _regex, has_param in all_routes:
        if has_param:
            continue
        url = "/" + route
        if with_floor and _view(url) not in FLOORS:
            continue  # --with-floor: not even requested (dashboards are slow at enterprise)
        response = client.get(url)
        if response.status_code != 200:
            rows.append(Row(label, "list", url, _view(url), status=response.status_code))
            continue
        body = response.content.decode(errors="replace")
        hrefs += [h.replace("&amp;", "&") for h in HREF.findall(body)]
        data = _json(response) if url.startswith("/api/") else None
        if isinstance(data, dict) and data.get("results"):
            first = data["results"][0]
            if isinstance(first, dict):
                api_first[url] = first.get("id", first.get("alpha3"))
        view = _view(url)
        rows.append(Row(label, "list" if url.startswith("/api/") else "page", url, view))
        searchable = _searchable(url, body)
        if searchable:
            term = search_term(url)
            rows.append(Row(label, "search", f"{url}?{searchable}={term}", view))
        if deep and view in FLOORS:
            target, nxt, followed = url, _next_link(response), 0
            while nxt and followed < deep:
                target, followed = nxt, followed + 1
                nxt = _next_link(client.get(target))
            if followed:
                # "deep N": N next links followed (fewer when the list ends first).
                rows.append(Row(label, f"deep {followed}", target, view))
    for route, regex, has_param in all_routes:
        if not has_param:
            continue
        url = None
        if route.startswith("api/"):
            base = "/" + PARAM.split(route)[0]
            if api_first.get(base) is not None:
                url = f"{base}{api_first[base]}/"
        else:
            pattern = re.compile(regex)
            url = next((h for h in hrefs if pattern.match(h.split("?")[0])), None)
            url = url.split("?")[0] if url else None
        if url:
            rows.append(Row(label, "detail", url, _view(url)))
    for row in rows:
        row.floor = make_floor(row, profile)
    if only:
        rows = [r for r in rows if only in r.url]
    return rows


def _view(url: str) -> str:
    from django.urls import Resolver404
    from django.urls import resolve

    try:
        return resolve(url.split("?")[0]).view_name
    except Resolver404:
        return ""


def _searchable(url: str, body: str) -> str | None:
    """`search` for an API list with search fields, `q` for a page with a q field."""
    from django.urls import resolve

    if url.startswith("/api/"):
        cls = getattr(resolve(url).func, "cls", None)
        return "search" if getattr(cls, "search_fields", None) else None
    return "q" if re.search(r'name="q"', body) else None


def make_floor(row: Row, profile):
    """A callable that runs the row's floor, or None when no floor is written for its view."""
    floor = FLOORS.get(row.view)
    if floor is None or row.status not in (0, 200):
        return None
    path, _, query = row.url.partition("?")
    if row.kind == "detail":
        pk = path.rstrip("/").rsplit("/", 1)[-1]
        queries = floor.detail_sql(profile, pk)
        return lambda: _run_floor(queries)
    term = None
    if row.kind == "search":
        if not floor.search:
            return None
        term = query.split("=", 1)[1]
    after = None
    if row.kind.startswith("deep"):
        pages = int(row.kind.split()[1])
        after = floor.last_of_pages(profile, pages)
        if after is None or any(v is None for v in after):
            return None
    sql, params = floor.page_sql(profile, term=term, after=after)
    if _like_is_case_sensitive():
        sql = sql.replace(" LIKE %s", " ILIKE %s").replace("rel_to ILIKE", "rel_to LIKE")
    return lambda: _run_floor([(sql, params)])


def _like_is_case_sensitive() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# --- the users ----------------------------------------------------------------------------------


def bench_users():
    """A SECRET U.S. person at headquarters, and the LE staff member and partner user of the
    partner with the largest share of the data (the generated data's users, else the demo's)."""
    from django.db.models import Count

    from secoop.cases.models import FmsCase
    from secoop.core.generate import USERNAME_PREFIX
    from secoop.core.models import User
    from secoop.core.rules import Audience
    from secoop.core.rules import Clearance
    from secoop.core.rules import Role

    gen = User.objects.filter(username__startswith=USERNAME_PREFIX, is_active=True).order_by(
        "username"
    )
    top = (
        FmsCase.objects.system()
        .values("country_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("country_id", flat=True)
        .first()
    )
    usg = gen.filter(audience=Audience.USG, is_le_staff=False, clearance=Clearance.SECRET)
    le = gen.filter(is_le_staff=True)
    partner = gen.filter(audience=Audience.PARTNER)
    picks = [
        ("SECRET U.S.", [usg.filter(memberships__role=Role.DSCA_STAFF), usg], "dsca.analyst"),
        (
            "LE staff",
            [le.filter(citizenship_id=top, laa_level__gt=0), le.filter(citizenship_id=top), le],
            "le.staff",
        ),
        (
            "partner",
            [
                partner.filter(citizenship_id=top, memberships__role=Role.PARTNER_REP),
                partner.filter(citizenship_id=top),
                partner,
            ],
            "partner.bandaria",
        ),
    ]
    users = []
    for label, choices, demo_name in picks:
        user = next((u for qs in choices if (u := qs.first()) is not None), None)
        user = user or User.objects.filter(username=demo_name, is_active=True).first()
        if user is None:
            raise SystemExit(
                f"No {label} user: neither a generated one nor the demo's {demo_name!r}; "
                "load the demo and run `secoop generate` (make bench does)."
            )
        users.append((label, user))
    return users


# --- timing ------------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


class RequestClock:
    """Where one request's time goes: `sql_ms`, the wall time of its SQL statements (each
    execute, the round trip and the wait for the server included); `template_ms`, the time in
    templates — the outermost `Template.render` calls (an include, an extended parent or a form
    widget renders inside its page's call) — less the SQL run inside them (a queryset a template
    reads lazily counts as SQL, not template)."""

    def __init__(self):
        self.sql_ms = self.template_ms = self._template_sql_ms = 0.0
        self._depth = 0

    def install(self) -> None:
        from django.template.base import Template

        original, clock = Template.render, self

        def render(template, context):
            if clock._depth:
                return original(template, context)
            clock._depth += 1
            t = time.perf_counter()
            try:
                return original(template, context)
            finally:
                clock.template_ms += (time.perf_counter() - t) * 1000
                clock._depth -= 1

        Template.render = render

    def sql(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = (time.perf_counter() - t) * 1000
            self.sql_ms += spent
            if self._depth:
                self._template_sql_ms += spent

    def get(self, client, url: str) -> tuple[object, float, float, float]:
        """(response, wall ms, template ms less their SQL, SQL ms) of one request."""
        from django.db import connection

        self.sql_ms = self.template_ms = self._template_sql_ms = 0.0
        with connection.execute_wrapper(self.sql):
            t = time.perf_counter()
            response = client.get(url)
            wall = (time.perf_counter() - t) * 1000
        return response, wall, self.template_ms - self._template_sql_ms, self.sql_ms


CLOCK = RequestClock()


@dataclass
class Stack:
    """One user's stack floor on one side: the request, its times and templates' times."""

    user: str
    side: str
    url: str
    queries: int = 0
    status: int = 0
    ms: list[float] = field(default_factory=list)
    template_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)

    def time(self, client) -> None:
        _, wall, tmpl, sql = CLOCK.get(client, self.url)
        self.ms.append(wall)
        self.template_ms.append(tmpl)
        self.sql_ms.append(sql)

    def summary(self) -> dict:
        return {
            "user": self.user,
            "side": self.side,
            "url": self.url,
            "status": self.status,
            "queries": self.queries,
            "samples": len(self.ms),
            "median_ms": statistics.median(self.ms) if self.ms else None,
            "p95_ms": percentile(self.ms, 95) if self.ms else None,
            "template_ms": statistics.median(self.template_ms) if self.template_ms else None,
            "sql_ms": statistics.median(self.sql_ms) if self.sql_ms else None,
        }


def stack_floors(clients: dict) -> dict[tuple[str, str], Stack]:
    """Each user's stack floors: of each side's candidates that answer 200, the one with the
    lowest median over STACK_TRIALS requests (after a warm-up), its queries counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stacks = {}
    for label, client in clients.items():
        for side, urls in STACK_FLOORS.items():
            trials = []
            for url in urls:
                client.get(url)  # warm: the profile cache, the session's renewal
                with CaptureQueriesContext(connection) as ctx:
                    status = client.get(url).status_code
                if status != 200:
                    continue
                stack = Stack(label, side, url, queries=len(ctx.captured_queries), status=status)
                ms = statistics.median(CLOCK.get(client, url)[1] for _ in range(STACK_TRIALS))
                trials.append((ms, url, stack))
            if not trials:
                raise SystemExit(f"No stack floor answers for {label} on the {side} side.")
            stacks[label, side] = min(trials, key=lambda t: t[0])[2]
    return stacks


def run(rows: list[Row], clients: dict, runs: int, progress, stacks: dict) -> None:
    """`runs` rounds over every row: the request, its floor, then its user's stack floor on the
    row's side, so that all three see the same load. Lists were requested once by discovery (their
    warm-up); the other rows get one warm-up here. The first round counts each request's SQL
    queries and checks the floor's page against it."""
    from django.db import connection

    for row in rows:
        if row.kind in ("search", "detail") or row.kind.startswith("deep"):
            clients[row.user].get(row.url)
        if row.floor is not None:
            row.floor()
    for n in range(runs):
        for row in rows:
            client, seen = clients[row.user], []

            def count(execute, sql, params, many, context, seen=seen):
                seen.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                response, wall, tmpl, sql = CLOCK.get(client, row.url)
            row.product_ms.append(wall)
            row.template_ms.append(tmpl)
            row.sql_ms.append(sql)
            if n == 0:
                row.status, row.queries, row.bytes = (
                    response.status_code,
                    len(seen),
                    len(response.content),
                )
            if row.floor is not None:
                t = time.perf_counter()
                _, floor_ids = row.floor()
                row.floor_ms.append((time.perf_counter() - t) * 1000)
                ids = _page_ids(response) if n == 0 and row.kind != "detail" else None
                if ids is not None:
                    row.same_page = [str(i) for i in ids] == [str(i) for i in floor_ids]
            stacks[row.user, row.side].time(client)
        progress(f"round {n + 1}/{runs}")


def summary(row: Row, stacks: dict) -> dict:
    stack = stacks[row.user, row.side].summary()
    out = {
        "user": row.user,
        "kind": row.kind,
        "url": row.url,
        "view": row.view,
        "status": row.status,
        "queries": row.queries,
        "bytes": row.bytes,
        "median_ms": statistics.median(row.product_ms) if row.product_ms else None,
        "p95_ms": percentile(row.product_ms, 95) if row.product_ms else None,
        "floor_median_ms": statistics.median(row.floor_ms) if row.floor_ms else None,
        "floor_p95_ms": percentile(row.floor_ms, 95) if row.floor_ms else None,
        "same_page": row.same_page,
        "stack_url": stack["url"],
        "stack_floor_ms": stack["median_ms"],
        "template_ms": statistics.median(row.template_ms) if row.template_ms else None,
        "sql_ms": statistics.median(row.sql_ms) if row.sql_ms else None,
    }
    out["over_stack_ms"] = (
        out["median_ms"] - stack["median_ms"] if out["median_ms"] is not None else None
    )
    # The page's templates beyond what the stack page's own templates take (base, navigation).
    out["template_over_stack_ms"] = (
        out["template_ms"] - stack["template_ms"] if out["template_ms"] is not None else None
    )
    # The rest: middleware, view, ORM, serializer — Python outside templates and SQL.
    out["rest_ms"] = (
        out["median_ms"] - out["sql_ms"] - out["template_ms"]
        if out["median_ms"] is not None
        else None
    )
    out["template_share"] = (
        out["template_ms"] / out["median_ms"] if out["median_ms"] and out["template_ms"] else 0.0
    )
    if out["floor_median_ms"]:
        out["ratio"] = out["median_ms"] / out["floor_median_ms"]
        out["ratio_p95"] = out["p95_ms"] / out["floor_p95_ms"]
        out["over_stack_ratio"] = out["over_stack_ms"] / out["floor_median_ms"]
    else:
        out["ratio"] = out["ratio_p95"] = out["over_stack_ratio"] = None
    return out


def side_summary(results: list[dict], stacks: dict) -> dict:
    """By side (API, pages), over the rows with a floor: the medians of the rows' product, stack
    floor, what they add over the stack, their SQL floor and templates, the ratios, and how many
    rows are within the issue's bounds (API 2×, pages 3×) by product and by what they add."""
    out = {}
    for side, bound in (("api", 2.0), ("page", 3.0)):
        rows = [
            r
            for r in results
            if r["floor_median_ms"] and (r["url"].startswith("/api/")) == (side == "api")
        ]
        if not rows:
            continue

        def med(key, rows=rows):
            return statistics.median(r[key] for r in rows)

        out[side] = {
            "rows": len(rows),
            "median_ms": med("median_ms"),
            "stack_floor_ms": statistics.median(
                s.summary()["median_ms"] for (_u, sd), s in stacks.items() if sd == side and s.ms
            ),
            "over_stack_ms": med("over_stack_ms"),
            "floor_ms": med("floor_median_ms"),
            "template_ms": med("template_ms"),
            "sql_ms": med("sql_ms"),
            "rest_ms": med("rest_ms"),
            "template_over_stack_ms": med("template_over_stack_ms"),
            "ratio": med("ratio"),
            "over_stack_ratio": med("over_stack_ratio"),
            "bound": bound,
            "within_bound_by_p95": sum(1 for r in rows if r["ratio_p95"] <= bound),
            "over_stack_within_bound": sum(1 for r in rows if r["over_stack_ratio"] <= bound),
            "stack_is_most": sum(1 for r in rows if r["stack_floor_ms"] >= r["over_stack_ms"]),
        }
    return out


def print_table(results: list[dict], stacks: dict, sides: dict) -> None:
    head = (
        f"{'request':58} {'user':11} {'kind':7} {'median':>8} {'p95':>8} {'floor':>8} "
        f"{'floor95':>8} {'ratio':>7} {'r95':>7} {'stack':>7} {'+stack':>8} {'+/fl':>7} "
        f"{'tmpl':>7} {'sql':>7} {'q':>4} {'st':>4}"
    )
    print("\n" + head + "\n" + "-" * len(head))
    for r in results:
        url = r["url"] if len(r["url"]) <= 58 else r["url"][:55] + "…"
        if r["floor_median_ms"]:
            floor = (
                f"{r['floor_median_ms']:8.1f} {r['floor_p95_ms']:8.1f} "
                f"{r['ratio']:6.1f}× {r['ratio_p95']:6.1f}×"
            )
        else:
            floor = f"{'no floor':>35}"
        over = f"{r['over_stack_ratio']:6.1f}×" if r["over_stack_ratio"] is not None else " " * 7
        mark = " ≠" if r["same_page"] is False else ""
        print(
            f"{url:58} {r['user']:11} {r['kind']:7} {r['median_ms']:8.1f} {r['p95_ms']:8.1f} "
            f"{floor} {r['stack_floor_ms']:7.1f} {r['over_stack_ms']:8.1f} {over} "
            f"{r['template_ms']:7.1f} {r['sql_ms']:7.1f} {r['queries']:4d} {r['status']:4d}{mark}"
        )
    print(
        "\nms: wall time of one request (product) and of its hand-written floor; ratio: medians, "
        "r95: p95s; stack: the user's stack floor on the row's side; +stack: product − stack; "
        "+/fl: +stack against the floor; tmpl: time in templates (less SQL they run); sql: wall "
        "time of the request's SQL; q: SQL queries of one request; ≠: the floor's page is not "
        "the product's."
    )
    print("\nStack floors (median over every row's round, ms):")
    for stack in stacks.values():
        s = stack.summary()
        if not s["samples"]:
            continue  # no row of this user on this side
        print(
            f"  {s['user']:11} {s['side']:4} {s['url']:22} {s['median_ms']:7.1f} "
            f"(p95 {s['p95_ms']:.1f}, templates {s['template_ms']:.1f}, SQL {s['sql_ms']:.1f} in "
            f"{s['queries']} queries, "
            f"{s['samples']} samples, status {s['status']})"
        )
    for side, v in sides.items():
        print(
            f"{side}: {v['rows']} rows with a floor; medians: product {v['median_ms']:.1f} ms = "
            f"stack {v['stack_floor_ms']:.1f} + {v['over_stack_ms']:.1f} over it (templates "
            f"{v['template_ms']:.1f}, {v['template_over_stack_ms']:.1f} beyond the stack page's; "
            f"SQL {v['sql_ms']:.1f}, the rest {v['rest_ms']:.1f}); "
            f"SQL floor {v['floor_ms']:.1f}; ratio {v['ratio']:.1f}×, over the stack "
            f"{v['over_stack_ratio']:.1f}×; within {v['bound']:.0f}×: {v['within_bound_by_p95']} "
            f"by p95, {v['over_stack_within_bound']} by what they add over the stack; the stack "
            f"is at least half of {v['stack_is_most']} rows."
        )


def describe_db() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        return f"PostgreSQL {cur.fetchone()[0]} ({connection.settings_dict['NAME']})"


def ensure_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    with psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def build(scale: str) -> None:
    """Migrations, the demo data and generated data of `scale`, unless generated data is there."""
    from django.core.management import call_command

    from secoop.core import generate

    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    if generate.existing_runs():
        return
    print(f"Building the {scale} data set in {describe_db()}…", file=sys.stderr, flush=True)
    started = time.perf_counter()
    call_command("demo", force=True, verbosity=0)
    made = generate.generate(scale, ignore_ceiling=True)
    counts = ", ".join(f"{n:,} {label}" for label, n in sorted(made.counts.items()))
    print(f"Generated in {time.perf_counter() - started:.0f} s: {counts}.", file=sys.stderr)


def sizes() -> dict[str, int]:
    from secoop.cases.models import CaseLine
    from secoop.cases.models import FmsCase
    from secoop.core.models import ChangeLogEntry
    from secoop.core.models import Document
    from secoop.planning.models import Activity
    from secoop.training.models import Student

    return {
        m._meta.label: m.objects.system().count()
        for m in (ChangeLogEntry, Activity, FmsCase, CaseLine, Student, Document)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument(
        "--deep", type=int, default=10, help="next links followed for the deep pages (0: none)"
    )
    parser.add_argument("--only", help="only the rows whose URL contains this")
    parser.add_argument(
        "--with-floor",
        action="store_true",
        help="only the rows that have a floor (the main endpoints: a shorter run at enterprise)",
    )
    parser.add_argument("--json", help="write the rows to this file as JSON")
    parser.add_argument(
        "--scale", default="small", help="generated data to build when the database has none"
    )
    args = parser.parse_args()
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{ROOT / 'var' / f'bench-{args.scale}.sqlite3'}"
    )

    import django

    if os.environ["DATABASE_URL"].startswith("postgres"):
        ensure_postgres_database(os.environ["DATABASE_URL"])
    django.setup()
    build(args.scale)
    import logging

    from django.test import Client

    from secoop.core import access

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 403/404 are answers here
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    counts = sizes()
    say(f"{describe_db()}: " + ", ".join(f"{n:,} {k}" for k, n in counts.items()))
    users = bench_users()
    clients, rows = {}, []
    for label, user in users:
        client = Client()
        client.force_login(user, backend="secoop.core.auth.LockoutAwareBackend")
        clients[label] = client
        found = discover(
            client, label, access.profile_for(user), args.deep, args.only, args.with_floor
        )
        say(f"{label} ({user.username}): {len(found)} rows")
        rows += found
    if args.with_floor:
        rows = [r for r in rows if r.floor is not None]
    rows.sort(key=lambda r: (r.url, r.user))
    CLOCK.install()
    stacks = stack_floors(clients)
    run(rows, clients, args.runs, say, stacks)
    results = [summary(r, stacks) for r in rows]
    sides = side_summary(results, stacks)
    print_table(results, stacks, sides)
    wall = time.perf_counter() - started
    print(f"\n{describe_db()}, {platform.machine()}, {os.cpu_count()} CPUs; {wall:.0f} s.")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(
                {
                    "database": describe_db(),
                    "sizes": counts,
                    "users": {label: user.username for label, user in users},
                    "runs": args.runs,
                    "deep": args.deep,
                    "seconds": wall,
                    "stack_floors": [stack.summary() for stack in stacks.values()],
                    "sides": sides,
                    "rows": results,
                },
                indent=1,
                default=str,
            )
        )
        print(f"Wrote {args.json}.")


if __name__ == "__main__":
    main()
