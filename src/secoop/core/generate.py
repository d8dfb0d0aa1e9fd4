"""Synthetic data at benchmark scale: `secoop generate --scale tiny|small|enterprise [--seed N]`.

What it makes, on top of whatever is already there (the demo data, or nothing):

* the top of the tree if it is missing (DoD, DSCA, the six combatant commands, the military
  departments and their implementing agencies, DoS), through `actions.system_create` like the demo;
* per partner country (existing Country rows, never the notional ones): the U.S. embassy (and a
  defense attaché office), the SCO under the country's combatant command, offices at the
  implementing agencies, the partner government with its ministry of defence and services, and
  U.S. companies;
* users with memberships that respect R-SEC-03 (partner users only in partner organizations,
  industry users only in companies): U.S. Government staff with varied clearances, locally
  employed staff (some with a Limited Access Authorization, some with an expired investigation),
  partner and industry representatives;
* documents with a realistic mix of markings, from UNCLASSIFIED to SECRET//NOFORN;
* through the apps' registered generators: planning activities (planning/generate.py), FMS cases
  with lines and deliveries (cases/generate.py), students (training/generate.py),
  capabilities-based analyses and resourcing scenarios (analysis/generate.py), budget calls,
  requests, MSRP/ICS objectives and forecasts (budget/generate.py), in the scale's numbers, spread
  over the partners unevenly (`SKEW`);
* one change-log entry per created record, with the record's marking, as `actions.log_change`
  writes it (high-volume detail rows excepted: `Generation.create`'s `log`).

It is fast because it writes in bulk: `bulk_create` in batches (on PostgreSQL, COPY:
`bulk_insert`), level by level down the tree so
that each organization's materialized path can be computed from its parent's, one precomputed
password hash for every account, and validation once per distinct marking rather than per row.

Markings above the deployment ceiling (`actions.deployment_ceiling()`, R-SEC-01) are lowered to it,
keeping their dissemination control, unless `ignore_ceiling=True` (`--ignore-ceiling`): that is
only for synthetic benchmark data in a throw-away database (bench/ passes it), never for a system
that holds real records.

Other apps add their own synthetic records by registering a generator with `register`; it gets
the `Generation` context (the random source, the organizations, users and countries made, and
`Generation.create` to bulk-create records with their change-log entries).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections import Counter
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db import transaction
from django.utils import timezone

from . import actions
from . import demo
from . import rules
from .markings import Classification
from .markings import Marking
from .models import ChangeLogEntry
from .models import Country
from .models import Document
from .models import MarkedModel
from .models import Membership
from .models import Organization
from .models import User
from .models.changelog import ChangeAction
from .models.documents import DocumentKind
from .models.organizations import OrganizationKind as K
from .models.records import check_write
from .rules import Audience
from .rules import Clearance
from .rules import Role

# Generated accounts are named gen.r<run>.<n>: the prefix is how a later run knows data is there.
USERNAME_PREFIX = "gen.r"
REASON = "synthetic data (secoop generate)"
BATCH = 2000
# Share of the memberships that are a second role for the same person.
SECOND_MEMBERSHIP_SHARE = 0.1


@dataclass(frozen=True)
class Scale:
    countries: int
    users: int
    documents: int
    services: tuple[str, ...]  # partner services under each ministry of defence
    ia_offices: int  # country offices at implementing agencies, per country (at most 3)
    companies: int  # U.S. companies per country
    attache_office: bool  # a defense attaché office under each embassy
    # The other apps' records (their generators read these): issue 15's enterprise sizes.
    activities: int = 0  # planning activities (each with funding lines, some with dependencies)
    cases: int = 0  # FMS cases
    case_lines: int = 0  # lines over all the cases
    students: int = 0  # training students (each with readiness, most with a vetting)
    eda_offers: int = 0  # excess defense article offers (cases/generate.py)
    dcs_licenses: int = 0  # DCS license requests of U.S. companies (cases/generate.py)
    analyses: int = 0  # capabilities-based analyses, with gaps and options (analysis/generate.py)
    budget_years: int = 0  # FMF/IMET budget calls, a request per country each (budget/generate.py)
    forecast_sales: int = 0  # possible sales of the countries' forecasts (budget/generate.py)
    eum_articles: int = 0  # transferred articles, EEUM ones with serials (eum/generate.py)
    results: int = 0  # results of activities and IMOs, with indicators (assessment/generate.py)


SCALES: dict[str, Scale] = {
    # For the test suite: a few seconds.
    "tiny": Scale(
        countries=3,
        users=40,
        documents=150,
        services=("Army",),
        ia_offices=1,
        companies=1,
        attache_office=False,
        activities=60,
        cases=12,
        case_lines=60,
        students=30,
        eda_offers=6,
        dcs_licenses=12,
        analyses=6,
        budget_years=1,
        forecast_sales=10,
        eum_articles=24,
        results=12,
    ),
    # ~10 countries, ~100 organizations, ~300 users, ~2,000 documents; a bench run in minutes.
    "small": Scale(
        countries=10,
        users=300,
        documents=2_000,
        services=("Army", "Navy", "Air Force"),
        ia_offices=1,
        companies=2,
        attache_office=False,
        activities=5_000,
        cases=400,
        case_lines=10_000,
        students=2_000,
        eda_offers=100,
        dcs_licenses=500,
        analyses=200,
        budget_years=2,
        forecast_sales=400,
        eum_articles=600,
        results=400,
    ),
    # Issue 15's sizes: ~200 countries, ~3,000 organizations, ~10,000 users, 50,000 documents,
    # 253,000 activities, 20,000 cases with 500,000 lines, 100,000 students, ~980,000 change-log
    # entries (one per record the issue counts; see Generation.create's `log`).
    "enterprise": Scale(
        countries=200,
        users=10_000,
        documents=50_000,
        services=("General Staff", "Army", "Navy", "Air Force"),
        ia_offices=3,
        companies=3,
        attache_office=True,
        activities=253_000,
        cases=20_000,
        case_lines=500_000,
        students=100_000,
        eda_offers=2_000,
        dcs_licenses=20_000,
        analyses=5_000,
        budget_years=3,
        forecast_sales=10_000,
        eum_articles=30_000,
        results=15_000,
    ),
}
# How unevenly records spread over the partners: a country's weight is 1 / rank**SKEW, so at
# enterprise scale the largest partner holds ~7% of the cases, students and activities and the
# median one ~0.3% (a few large FMS customers, a long tail), the partner user's realistic share.
SKEW = 0.7


class GeneratedDataExists(RuntimeError):
    """A previous run's data is there and `append` was not asked for."""


# --- registration hook for other apps --------------------------------------------------------

Generator = Callable[["Generation"], None]
_generators: list[Generator] = []


def register(generator: Generator) -> Generator:
    """Apps add synthetic records with @generate.register; each generator gets the Generation
    after the core data is made and should write through `Generation.create`."""
    _generators.append(generator)
    return generator


# --- the context a run builds up ----------------------------------------------------------------


@dataclass
class Generation:
    scale_name: str
    scale: Scale
    rng: random.Random
    run: int
    ceiling: Classification
    ignore_ceiling: bool
    request_id: uuid.UUID
    countries: list[Country] = field(default_factory=list)
    # Organizations by role in the enterprise: 'sco', 'embassy', 'dao', 'ccmd', 'ia', 'ia_office',
    # 'dsca', 'dos', 'dod', 'partner', 'company'.
    orgs: dict[str, list[Organization]] = field(default_factory=lambda: defaultdict(list))
    # Per country alpha-3: the SCO, embassy, partner organizations, … made for it.
    by_country: dict[str, dict[str, list[Organization]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    users: list[User] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    # Primary keys of what this run created, by model label ('core.Document').
    pks: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    seconds: dict[str, float] = field(default_factory=dict)
    # Rows written without a change-log entry (Generation.create(log=False)), by model label.
    unlogged: Counter = field(default_factory=Counter)
    _markings: dict[str, Marking] = field(default_factory=dict)
    _weights: dict[str, float] = field(default_factory=dict)

    # --- how records spread over the partners ---------------------------------------------------
    def weight(self, country: Country) -> float:
        """The country's share of the app records (SKEW): ranks shuffled by the run's seed."""
        if not self._weights:
            ranked = list(self.countries)
            self.rng.shuffle(ranked)
            raw = {c.alpha3: 1 / (rank**SKEW) for rank, c in enumerate(ranked, 1)}
            total = sum(raw.values())
            self._weights = {k: v / total for k, v in raw.items()}
        return self._weights[country.alpha3]

    def spread(self, total: int) -> dict[str, int]:
        """`total` records apportioned over the countries by weight (largest remainder), each
        country at least one when there are enough."""
        if not self.countries or total <= 0:
            return {}
        shares = {c.alpha3: total * self.weight(c) for c in self.countries}
        counts = {k: int(v) for k, v in shares.items()}
        rest = total - sum(counts.values())
        for k in sorted(shares, key=lambda k: counts[k] - shares[k])[:rest]:
            counts[k] += 1
        if total >= len(counts):
            for k in [k for k, n in counts.items() if n == 0]:
                donor = max(counts, key=counts.get)
                counts[donor] -= 1
                counts[k] = 1
        return counts

    def biggest_country(self) -> Country:
        """The partner with the largest share: the bench's partner user comes from it."""
        return max(self.countries, key=self.weight)

    # --- markings ---------------------------------------------------------------------------
    def marking(self, text: str) -> Marking:
        """The marking to write for `text`, checked once per distinct text with
        `actions.check_marking` (R-SEC-01) and lowered to the deployment ceiling unless the run
        ignores it (synthetic benchmark data only)."""
        found = self._markings.get(text)
        if found is None:
            wanted = Marking.parse(text)
            fitted = wanted
            if wanted.exceeds(self.ceiling):
                fitted = Marking(self.ceiling, wanted.dissemination, wanted.rel_to)
            actions.check_marking(fitted)  # format and REL TO countries; ceiling for the fitted one
            found = wanted if self.ignore_ceiling else fitted
            self._markings[text] = found
        return found

    # --- writing ----------------------------------------------------------------------------
    def create(
        self, instances: Sequence[MarkedModel], batch_size: int = BATCH, *, log: bool = True
    ) -> list[MarkedModel]:
        """Bulk-create domain records (not organizations: see `create_organizations`) and one
        change-log entry each. Instances must reference their related objects, not fetch them.

        `log=False` writes no entries: for the high-volume detail rows of a record (an activity's
        funding lines and dependencies, a student's readiness and vetting) so that the change log
        has the size issue 15 measured (one entry per record it counts, ~980,000 at enterprise).
        Those rows are counted in `unlogged` and not listed in `pks`."""
        if not instances:
            return []
        model = type(instances[0])
        if isinstance(instances[0], Organization):
            raise TypeError("organizations need their tree path: use create_organizations()")
        made = bulk_insert(model, instances, batch_size)
        self.counts[model._meta.label] += len(made)
        if log:
            self.log(made)
            self.pks[model._meta.label].extend(o.pk for o in made)
        else:
            self.unlogged[model._meta.label] += len(made)
        return made

    def create_organizations(self, orgs: Sequence[Organization]) -> list[Organization]:
        """Bulk-create organizations whose parents are saved or among `orgs`, level by level, and
        set each materialized path ('/1/5/12/') from its parent's."""
        pending = list(orgs)
        made: list[Organization] = []
        while pending:
            level = [o for o in pending if o.parent is None or o.parent.pk is not None]
            if not level:
                raise ValueError("organizations whose parents are neither saved nor being created")
            pending = [o for o in pending if o.parent is not None and o.parent.pk is None]
            Organization.objects.bulk_create(level, batch_size=BATCH)
            for org in level:
                org.tree_path = (
                    org.parent.tree_path if org.parent is not None else "/"
                ) + f"{org.pk}/"
            Organization.objects.bulk_update(level, ["tree_path"], batch_size=500)
            made.extend(level)
        self.log(made)
        self.counts[Organization._meta.label] += len(made)
        self.pks[Organization._meta.label].extend(o.pk for o in made)
        return made

    def log(self, instances: Iterable[MarkedModel]) -> None:
        entries = [change_entry(i, request_id=self.request_id, reason=REASON) for i in instances]
        bulk_insert(ChangeLogEntry, entries, BATCH)
        self.counts[ChangeLogEntry._meta.label] += len(entries)

    def in_chunks(self, rows: Iterable[MarkedModel], size: int = BATCH * 5, **kw) -> None:
        """`create` a long stream of records a chunk at a time, so memory stays bounded."""
        chunk: list[MarkedModel] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= size:
                self.create(chunk, **kw)
                chunk = []
        self.create(chunk, **kw)


def bulk_insert(model, instances: Sequence, batch_size: int = BATCH) -> list:
    """`bulk_create`, or on PostgreSQL one `COPY … FROM STDIN` with ids drawn from the table's
    sequence first: 5–10× faster at enterprise scale, where bulk_create's arrays are built and
    quoted in Python. Guarded like bulk_create (records.check_write); instances get their ids."""
    instances = list(instances)
    pk = model._meta.pk
    if (
        connection.vendor != "postgresql"
        or not instances
        or pk.get_internal_type() not in ("AutoField", "BigAutoField")
    ):
        return model.objects.bulk_create(instances, batch_size=batch_size)
    check_write(model, "created in bulk")
    fields = model._meta.concrete_fields
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(instances)],
        )
        for instance, (value,) in zip(instances, cur.fetchall(), strict=True):
            instance._prepare_related_fields_for_save(operation_name="bulk_create")
            instance.pk = value
        columns = ", ".join(quote(f.column) for f in fields)
        with cur.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
                )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias
    return instances


def change_entry(instance: MarkedModel, *, request_id: uuid.UUID, reason: str) -> ChangeLogEntry:
    """The CREATE entry `actions.log_change` would save for `instance`, unsaved, for bulk_create."""
    return actions.build_change_entry(
        None,
        instance,
        ChangeAction.CREATE,
        None,
        actions.snapshot(instance),
        reason,
        request_id=request_id,
    )


# --- the run -----------------------------------------------------------------------------------


def existing_runs() -> list[int]:
    runs = set()
    for name in User.objects.filter(username__startswith=USERNAME_PREFIX).values_list(
        "username", flat=True
    ):
        head = name[len(USERNAME_PREFIX) :].split(".", 1)[0]
        if head.isdigit():
            runs.add(int(head))
    return sorted(runs)


def generate(
    scale: str = "small",
    *,
    seed: int = 1,
    append: bool = False,
    ignore_ceiling: bool = False,
    password: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Generation:
    """Make a synthetic data set of the named scale in one transaction; returns what it made."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose {', '.join(SCALES)}")
    runs = existing_runs()
    if runs and not append:
        raise GeneratedDataExists(
            f"Generated data is already in this database (run{'s' if len(runs) > 1 else ''} "
            f"{', '.join(map(str, runs))}: users named {USERNAME_PREFIX}N.*). Use --append to add another "
            "run, or generate into an empty database."
        )
    say = progress or (lambda message: None)
    gen = Generation(
        scale_name=scale,
        scale=SCALES[scale],
        rng=random.Random(seed),
        run=(max(runs) + 1) if runs else 1,
        ceiling=actions.deployment_ceiling(),
        ignore_ceiling=ignore_ceiling,
        request_id=uuid.uuid4(),
    )
    with transaction.atomic(), actions.system_writes("generated data"):
        for step, fn in (
            ("organizations", _organizations),
            ("users", lambda g: _users(g, password)),
            ("documents", _documents),
        ):
            started = time.perf_counter()
            fn(gen)
            gen.seconds[step] = time.perf_counter() - started
            say(f"{step}: {gen.seconds[step]:.1f} s")
        for generator in _generators:
            started = time.perf_counter()
            generator(gen)
            name = getattr(generator, "__qualname__", repr(generator))
            gen.seconds[name] = time.perf_counter() - started
            say(f"{name}: {gen.seconds[name]:.1f} s")
    return gen


# --- organizations -------------------------------------------------------------------------------

# The top of the tree, taken from the demo data's rows so that the two agree on names.
SKELETON_KEYS = (
    "dod",
    "dsca",
    "africom",
    "centcom",
    "eucom",
    "indopacom",
    "northcom",
    "southcom",
    "army",
    "usasac",
    "navy",
    "nipo",
    "airforce",
    "safia",
    "dos",
    "pm",
)


def _skeleton(gen: Generation) -> dict[str, Organization]:
    rows = {row[0]: row for row in demo.ORGANIZATIONS}
    made: dict[str, Organization] = {}
    for key in SKELETON_KEYS:
        made[key], created = demo.organization_from_row(made, *rows[key], reason=REASON)
        gen.counts["skeleton organizations"] += created
    return made


def _pick_countries(gen: Generation) -> list[Country]:
    candidates = list(
        Country.objects.exclude(alpha3=rules.USA)
        .exclude(ccmd="")
        .filter(notional=False)
        .order_by("alpha3")
    )
    wanted = min(gen.scale.countries, len(candidates))
    # Spread over the commands: a round-robin over each command's shuffled countries.
    by_ccmd: dict[str, list[Country]] = defaultdict(list)
    for country in candidates:
        by_ccmd[country.ccmd].append(country)
    for countries in by_ccmd.values():
        gen.rng.shuffle(countries)
    picked: list[Country] = []
    commands = sorted(by_ccmd)
    while len(picked) < wanted:
        for ccmd in commands:
            if by_ccmd[ccmd] and len(picked) < wanted:
                picked.append(by_ccmd[ccmd].pop())
    return sorted(picked, key=lambda c: c.alpha3)


def _short(text: str, suffix: str, limit: int) -> str:
    return text[: limit - len(suffix)].rstrip() + suffix


COMPANY_WORDS = (
    "Atlantic",
    "Summit",
    "Keystone",
    "Meridian",
    "Liberty",
    "Frontier",
    "Pinnacle",
    "Granite",
    "Harbor",
    "Sentinel",
    "Vanguard",
    "Redstone",
    "Patriot",
    "Cascade",
    "Northstar",
    "Ironwood",
)
COMPANY_TRADES = (
    "Defense Systems",
    "Aerospace",
    "Marine",
    "Avionics",
    "Logistics",
    "Training Services",
    "Communications",
    "Armor",
    "Sensors",
    "Munitions",
)
IA_KEYS = ("usasac", "nipo", "safia")


def _organizations(gen: Generation) -> None:
    top = _skeleton(gen)
    gen.countries = _pick_countries(gen)
    ccmd_org = {
        top[k].ccmd: top[k]
        for k in ("africom", "centcom", "eucom", "indopacom", "northcom", "southcom")
    }
    gen.orgs["dod"].append(top["dod"])
    gen.orgs["dsca"].append(top["dsca"])
    gen.orgs["dos"].extend([top["dos"], top["pm"]])
    gen.orgs["ccmd"].extend(ccmd_org.values())
    gen.orgs["ia"].extend(top[k] for k in IA_KEYS)

    sfx = "" if gen.run == 1 else f" (run {gen.run})"
    unclassified = gen.marking("UNCLASSIFIED")
    companies = 0
    pending: list[tuple[str, str | None, Organization]] = []  # (role, country, org)

    def org(role: str, country: Country | None, marking: Marking, **fields) -> Organization:
        o = Organization(country=country, **fields)
        o.name = _short(o.name, sfx, 200)
        o.short_name = _short(o.short_name, sfx, 40)
        o.marking = marking
        pending.append((role, country.alpha3 if country else None, o))
        return o

    scale = gen.scale
    for c in gen.countries:
        rel = gen.marking(f"UNCLASSIFIED//REL TO USA, {c.alpha3}")
        embassy = org(
            "embassy",
            c,
            rel,
            name=f"U.S. Embassy {c.name} — Country Team",
            short_name=f"Embassy {c.name}",
            kind=K.EMBASSY,
            parent=top["dos"],
        )
        if scale.attache_office:
            org(
                "dao",
                c,
                unclassified,
                name=f"Defense Attaché Office, U.S. Embassy {c.name}",
                short_name=f"DAO {c.name}",
                kind=K.EMBASSY,
                parent=embassy,
            )
        org(
            "sco",
            c,
            rel,
            name=f"Office of Security Cooperation, U.S. Embassy {c.name}",
            short_name=f"SCO {c.name}",
            kind=K.SCO,
            parent=ccmd_org[c.ccmd],
        )
        for key in IA_KEYS[: scale.ia_offices]:
            ia = top[key]
            org(
                "ia_office",
                c,
                unclassified,
                name=f"{ia.short_name} country program office: {c.name}",
                short_name=f"{ia.short_name} {c.alpha3}",
                kind=K.IMPLEMENTING_AGENCY,
                parent=ia,
                implementing_agency_code=ia.implementing_agency_code,
            )
        government = org(
            "partner",
            c,
            rel,
            name=f"Government of {c.name}",
            short_name=c.name,
            kind=K.PARTNER,
            parent=None,
        )
        mod = org(
            "partner",
            c,
            rel,
            name=f"Ministry of Defence of {c.name}",
            short_name=f"{c.name} MoD",
            kind=K.PARTNER,
            parent=government,
        )
        for service in scale.services:
            org(
                "partner",
                c,
                rel,
                name=f"{c.name} {service}",
                short_name=f"{c.name} {service}",
                kind=K.PARTNER,
                parent=mod,
            )
        for _ in range(scale.companies):
            word, trade = gen.rng.choice(COMPANY_WORDS), gen.rng.choice(COMPANY_TRADES)
            companies += 1
            org(
                "company",
                None,
                unclassified,
                name=f"{word} {trade}, Inc. ({companies})",
                short_name=f"{word} {trade} {companies}",
                kind=K.COMPANY,
                parent=None,
            )
    gen.create_organizations([o for _, _, o in pending])
    for role, alpha3, o in pending:
        gen.orgs[role].append(o)
        if alpha3:
            gen.by_country[alpha3][role].append(o)


# --- users and memberships -------------------------------------------------------------------

FIRST = (
    "Alex",
    "Jordan",
    "Sam",
    "Chris",
    "Dana",
    "Robin",
    "Pat",
    "Morgan",
    "Casey",
    "Taylor",
    "Jamie",
    "Avery",
    "Riley",
    "Quinn",
    "Drew",
    "Kai",
    "Lee",
    "Noor",
    "Amara",
    "Tomas",
    "Ines",
    "Omar",
    "Mei",
    "Ravi",
)
LAST = (
    "Reyes",
    "Okafor",
    "Patel",
    "Lee",
    "Hayes",
    "Ndiaye",
    "Verin",
    "Quinn",
    "Garcia",
    "Kim",
    "Novak",
    "Silva",
    "Haddad",
    "Mensah",
    "Ito",
    "Kowalski",
    "Brennan",
    "Osei",
    "Larsen",
    "Duarte",
    "Farah",
    "Chen",
)

USG_PLACES = (  # (org role, roles to hold there, weight)
    ("sco", (Role.SCO_OFFICER, Role.SCO_OFFICER, Role.SCO_CHIEF, Role.SDO_DATT), 30),
    ("embassy", (Role.COUNTRY_TEAM,), 12),
    ("dao", (Role.SDO_DATT,), 5),
    ("ccmd", (Role.CCMD_PLANNER, Role.COUNTRY_DESK_OFFICER), 15),
    ("ia", (Role.CASE_MANAGER,), 5),
    ("ia_office", (Role.CASE_MANAGER,), 20),
    ("dsca", (Role.DSCA_STAFF,), 6),
    ("dos", (Role.STATE_PM,), 5),
    ("dod", (Role.VIEWER, Role.ADMINISTRATOR), 2),
)
USG_CLEARANCES = (
    (Clearance.SECRET, 70),
    (Clearance.TOP_SECRET, 5),
    (Clearance.CONFIDENTIAL, 10),
    (Clearance.NONE, 15),
)


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _users(gen: Generation, password: str | None) -> None:
    rng = gen.rng
    # One hash for every generated account (unusable unless a password is given): hashing with
    # Argon2 per account would take minutes.
    hashed = make_password(password) if password else make_password(None)
    mix = (("usg", 45), ("le", 10), ("partner", 30), ("industry", 15))
    today = timezone.localdate()
    users: list[User] = []
    wanted: list[tuple[User, Organization, str]] = []
    for n in range(1, gen.scale.users + 1):
        kind = _weighted(rng, mix)
        country = rng.choice(gen.countries)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        user = User(
            username=f"{USERNAME_PREFIX}{gen.run}.{n:05d}",
            first_name=first,
            last_name=last,
            display_name=f"{first} {last}",
            password=hashed,
            citizenship_id=rules.USA,
        )
        if kind == "usg":
            place = _weighted(rng, [(p, w) for p, _, w in USG_PLACES if _pool(gen, p, country)])
            roles = next(r for p, r, _ in USG_PLACES if p == place)
            org, role = rng.choice(_pool(gen, place, country)), rng.choice(roles)
            user.audience, user.clearance = Audience.USG, _weighted(rng, USG_CLEARANCES)
            user.title, user.email = Role.LABELS[role], f"{user.username}@example.mil"
        elif kind == "le":
            # R-SEC-02: locally employed staff are host-country nationals; some hold an LAA, some
            # have an investigation that is out of date.
            org = rng.choice(
                gen.by_country[country.alpha3]["sco"] + gen.by_country[country.alpha3]["embassy"]
            )
            role = Role.LE_ASSISTANT
            user.audience, user.citizenship_id, user.is_le_staff = (
                Audience.USG,
                country.alpha3,
                True,
            )
            user.clearance = Clearance.NONE
            odds = rng.random()
            if odds < 0.25:
                # The LAA and the clearance both bound what they read (rules.readable_ceiling).
                user.laa_level = user.clearance = Clearance.CONFIDENTIAL
                user.laa_justification = (
                    "Unique language skill; no cleared U.S. citizen available (synthetic)."
                )
            user.last_investigation_on = today - dt.timedelta(
                days=rng.randint(30, 365 * (7 if odds > 0.85 else 4))
            )
            user.title, user.email = "Locally employed assistant", f"{user.username}@example.gov"
        elif kind == "partner":
            org = rng.choice(gen.by_country[country.alpha3]["partner"])
            role = Role.PARTNER_REP if rng.random() < 0.7 else Role.VIEWER
            user.audience, user.citizenship_id = Audience.PARTNER, country.alpha3
            user.clearance = _weighted(
                rng, ((Clearance.SECRET, 40), (Clearance.CONFIDENTIAL, 30), (Clearance.NONE, 30))
            )
            user.title, user.email = f"Officer, {org.short_name}", f"{user.username}@example.org"
        else:
            org = rng.choice(gen.orgs["company"])
            role = Role.INDUSTRY_REP if rng.random() < 0.8 else Role.VIEWER
            user.audience = Audience.INDUSTRY
            user.clearance = _weighted(rng, ((Clearance.SECRET, 40), (Clearance.NONE, 60)))
            user.title, user.email = "Business development", f"{user.username}@example.com"
        users.append(user)
        wanted.append((user, org, role))
        if rng.random() < SECOND_MEMBERSHIP_SHARE:
            wanted.append((user, *_second_membership(gen, user, org, role)))

    User.objects.bulk_create(users, batch_size=BATCH)
    memberships, seen = [], set()
    for user, org, role in wanted:
        # R-SEC-03, as actions.grant_membership checks it one at a time.
        if not rules.role_allowed_in(role, user.audience) or org.audience != user.audience:
            raise AssertionError(
                f"generator bug: {user.audience} user as {role} in {org} ({org.kind})"
            )
        if (user.pk, org.pk, role) not in seen:
            seen.add((user.pk, org.pk, role))
            memberships.append(Membership(user=user, organization=org, role=role, since=today))
    # Synthetic memberships are bulk-created without the per-grant audit event grant_membership
    # writes: thousands of "role granted" events would only bloat the security log.
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    gen.users = users
    gen.counts[User._meta.label] += len(users)
    gen.counts[Membership._meta.label] += len(memberships)


def _pool(gen: Generation, place: str, country: Country) -> list[Organization]:
    """Where a U.S. person might work: in the country for country posts, else headquarters."""
    if place in ("sco", "embassy", "dao", "ia_office"):
        return gen.by_country[country.alpha3][place]
    if place == "ccmd":
        return [o for o in gen.orgs["ccmd"] if o.ccmd == country.ccmd]
    return gen.orgs[place]


def _second_membership(
    gen: Generation, user: User, org: Organization, role: str
) -> tuple[Organization, str]:
    """Another role for the same person, in an organization of the same audience."""
    if user.audience == Audience.PARTNER:
        return gen.rng.choice(gen.by_country[user.citizenship_id]["partner"]), Role.VIEWER
    if user.audience == Audience.INDUSTRY:
        return gen.rng.choice(gen.orgs["company"]), Role.VIEWER
    if user.is_le_staff:
        return org, Role.VIEWER
    return gen.rng.choice(gen.orgs["ccmd"] + gen.orgs["dsca"]), Role.VIEWER


# --- documents -----------------------------------------------------------------------------------

# (owner role, weight)
OWNERS = (
    ("sco", 30),
    ("embassy", 10),
    ("ccmd", 12),
    ("ia_office", 12),
    ("dsca", 4),
    ("dos", 3),
    ("partner", 19),
    ("company", 10),
)
# Markings by who owns the record; "{c}" is the partner country's trigraph.
USG_MARKINGS = (
    ("UNCLASSIFIED", 12),
    ("UNCLASSIFIED//REL TO USA, {c}", 6),
    ("CUI", 22),
    ("CUI//NOFORN", 14),
    ("CUI//REL TO USA, {c}", 20),
    ("CUI//REL TO USA, AUS, CAN, GBR, NZL, {c}", 2),
    ("CONFIDENTIAL//REL TO USA, {c}", 9),
    ("CONFIDENTIAL//NOFORN", 3),
    ("SECRET//NOFORN", 9),
    ("SECRET//REL TO USA, {c}", 3),
)
PARTNER_MARKINGS = (
    ("UNCLASSIFIED//REL TO USA, {c}", 40),
    ("CUI//REL TO USA, {c}", 50),
    ("CONFIDENTIAL//REL TO USA, {c}", 10),
)
COMPANY_MARKINGS = (("UNCLASSIFIED", 55), ("CUI", 40), ("CUI//REL TO USA, {c}", 5))
TOPICS = (
    "coastal patrol craft",
    "border surveillance",
    "helicopter sustainment",
    "professional military education",
    "maritime domain awareness",
    "counter-IED training",
    "air defense radar",
    "logistics reform",
    "cyber defense",
    "peacekeeping readiness",
    "night vision devices",
    "tactical radios",
    "institutional capacity building",
    "humanitarian assistance",
    "end-use monitoring",
)
FY_START, FY_END = dt.date(2023, 10, 1), dt.date(2027, 9, 30)


def _documents(gen: Generation) -> None:
    rng = gen.rng
    kinds = [k for k, _ in DocumentKind.choices]
    span = (FY_END - FY_START).days
    owners = [(role, w) for role, w in OWNERS if gen.orgs.get(role)]
    docs: list[Document] = []
    for n in range(1, gen.scale.documents + 1):
        role = _weighted(rng, owners)
        owner = rng.choice(gen.orgs[role])
        country = owner.country or _country_for(gen, owner)
        table = (
            PARTNER_MARKINGS
            if role == "partner"
            else COMPANY_MARKINGS
            if role == "company"
            else USG_MARKINGS
        )
        marking = gen.marking(_weighted(rng, table).format(c=country.alpha3))
        kind = rng.choice(kinds)
        topic = rng.choice(TOPICS)
        doc = Document(
            title=f"{DocumentKind(kind).label}: {country.name}, {topic} ({gen.run}-{n})"[:200],
            kind=kind,
            owner_org=owner,
            country=country,
            dated=FY_START + dt.timedelta(days=rng.randrange(span)),
            summary=Document.TRANSLATION_NOTICE
            if kind == DocumentKind.TRANSLATION
            else f"Synthetic {DocumentKind(kind).label.lower()} on {topic} for {country.name}.",
        )
        doc.marking = marking
        docs.append(doc)
        if len(docs) >= BATCH * 5:
            gen.create(docs)
            docs = []
    gen.create(docs)


def _country_for(gen: Generation, owner: Organization) -> Country:
    """A headquarters record is about some partner: one in the command's area for a CCMD."""
    if owner.kind == K.CCMD:
        mine = [c for c in gen.countries if c.ccmd == owner.ccmd]
        if mine:
            return gen.rng.choice(mine)
    return gen.rng.choice(gen.countries)
