"""Synthetic end-use monitoring records for `secoop generate` (registered with
core.generate.register; it runs after cases' generator, whose EDA offers and DCS licenses some
articles were transferred under).

* Per generated partner country with an SCO, its share (`SKEW`) of `Scale.eum_articles`
  transferred articles (R-EUM-01): under a transferred or accepted EDA offer of the country
  (Golden Sentry), an approved DCS license (Blue Lantern), or entered by hand for a transfer made
  before this system (Golden Sentry, as the demo's); about two in five are enhanced EUM, tracked
  by serial numbers in the article's format (SPEC §11), one serial per article delivered.
* The initial serial inventory of most enhanced articles delivered long enough ago, by the SCO,
  within the days the rule allows; in about one in twelve a serial is not found: the serial is
  missing and a possible violation opens for it (R-EUM-07), as `actions.record_check` does.
* A physical-security inspection of some routine articles' storage sites.

Articles, checks and possible violations get their CREATE entries; serials are detail rows
(`Generation.create(log=False)`). Serials are unique per run (the run number is in each), so
a second run (`--append`) never enters a serial twice for an NSN (SPEC §11).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from secoop.cases.models import DcsLicense
from secoop.cases.models import EdaOffer
from secoop.core import generate as core

from . import facts
from . import rules
from .models import Check
from .models import PossibleViolation
from .models import SerialNumber
from .models import TransferredArticle
from .rules import CheckKind
from .rules import Monitoring
from .rules import Program
from .rules import SerialStatus
from .rules import Source

MARKINGS = (("CUI//REL TO USA, {c}", 70), ("CUI//NOFORN", 20), ("SECRET//NOFORN", 10))
ENHANCED_SHARE = 0.4
MISSING_EVERY = 12
INSPECTED_SHARE = 0.3
# (article, NSN, serial prefix): what is typically transferred and, for EEUM, its serial plate.
ARTICLES = (
    ("AN/PVS-14 monocular night vision device", "5855-01-432-0524", "NVD"),
    ("AN/PAS-13 thermal weapon sight", "5855-01-464-3151", "TWS"),
    ("FGM-148 Javelin command launch unit", "1265-01-474-6040", "CLU"),
    ("M4 carbine", "1005-01-231-0973", "M4"),
    ("25-foot Defender-class response boat", "1940-01-555-0142", "PB"),
    ("AN/PRC-152 handheld radio", "5820-01-451-8250", "PRC"),
    ("M1151 up-armored HMMWV", "2320-01-540-1993", "HMV"),
)
SITES = ("Central armory", "Border brigade depot", "Naval base magazine", "Air base hangar 3")
HOLDERS = ("1st Infantry Brigade", "Border Guard", "Coast Guard", "Special Operations Command")


@core.register
def eum(gen: core.Generation) -> None:
    if not gen.scale.eum_articles:
        return
    today = timezone.localdate()
    transfers = _transfers(gen)
    wanted = gen.spread(gen.scale.eum_articles)
    articles, serials = [], []
    for c in gen.countries:
        if not gen.by_country[c.alpha3]["sco"]:
            continue
        for _ in range(wanted.get(c.alpha3, 0)):
            article, prefix = _article(gen, c, transfers.get(c.alpha3, {}), today)
            articles.append(article)
            for _ in range(article.quantity if article.is_enhanced else 0):
                s = SerialNumber(article=article, serial=f"{prefix}-R{gen.run}-{len(serials):06d}")
                s.marking = article.marking
                serials.append(s)
    gen.in_chunks(articles)
    checks, missing = _checks(gen, articles, serials, today)
    gen.in_chunks(serials, log=False)
    gen.in_chunks(checks)
    gen.in_chunks(_violations(missing))


def _transfers(gen) -> dict[str, dict[str, list]]:
    """Per country, the generated EDA offers transferred or accepted and the DCS licenses
    approved: the records an article may name (rules.transfer_problem)."""
    found: dict[str, dict[str, list]] = {}
    for source, model, states in (
        (Source.EDA, EdaOffer, ("accepted", "transferred")),
        (Source.DCS, DcsLicense, ("approved",)),
    ):
        for record in model.objects.system().filter(
            pk__in=gen.pks.get(model._meta.label, []), status__in=states
        ):
            found.setdefault(record.country_id, {}).setdefault(source, []).append(record)
    return found


def _article(gen, c, transfers, today) -> tuple[TransferredArticle, str]:
    rng = gen.rng
    name, nsn, prefix = rng.choice(ARTICLES)
    enhanced = rng.random() < ENHANCED_SHARE
    source = rng.choice([Source.OTHER, Source.OTHER, *transfers])
    article = TransferredArticle(
        country=c,
        owner_org=gen.by_country[c.alpha3]["sco"][0],
        nomenclature=name,
        nsn=nsn,
        quantity=rng.randint(2, 12) if enhanced else rng.randint(1, 200),
        source=source,
        program=Program.BLUE_LANTERN if source == Source.DCS else Program.GOLDEN_SENTRY,
        monitoring=Monitoring.ENHANCED if enhanced else Monitoring.ROUTINE,
        delivered_on=today - dt.timedelta(days=rng.randint(20, 1500)),
        # Every serial of the run matches it (SPEC §11): prefix, run, a six-digit number.
        serial_format=f"{prefix}-R[0-9]+-[0-9]{{6}}" if enhanced else "",
        storage_site=f"{rng.choice(SITES)}, {c.name}"[:200],
        holder=rng.choice(HOLDERS),
    )
    if source == Source.EDA:
        offer = rng.choice(transfers[source])
        article.eda_offer = offer
        article.transfer_reference = str(offer)[:60]  # as register_article fills it
    elif source == Source.DCS:
        article.dcs_license = rng.choice(transfers[source])
    else:
        article.transfer_reference = f"FMS case {c.alpha3[:2]}-B-{rng.randint(100, 999)}"
    article.marking = gen.marking(core._weighted(rng, MARKINGS).format(c=c.alpha3))
    return article, prefix


def _checks(gen, articles, serials, today) -> tuple[list[Check], list[tuple[Check, SerialNumber]]]:
    """The checks, and what `actions._apply_inventory` writes of each inventory on the serials
    (unsaved yet): those present seen on the day, one missing now and then."""
    rng = gen.rng
    initial_days = facts.value(facts.INITIAL_INVENTORY_DAYS, today)
    of_article: dict[int, list[SerialNumber]] = {}
    for s in serials:
        of_article.setdefault(s.article.pk, []).append(s)
    checks, missing, inventories = [], [], 0
    for article in articles:
        sco = article.owner_org
        common = dict(
            article=article,
            owner_org=sco,
            checked_by=f"{sco.short_name or sco.name} EUM officer"[:200],
            evidence="Signed count sheet and photos: SCO shared drive, EUM folder",
        )
        due = rules.initial_inventory_due(article.delivered_on, initial_days)
        if article.is_enhanced and due < today and rng.random() < 0.8:
            on = article.delivered_on + dt.timedelta(days=rng.randint(5, initial_days))
            plates = of_article[article.pk]
            # Every MISSING_EVERY-th inventory misses a serial: a few violations at any scale.
            lost = rng.choice(plates) if inventories % MISSING_EVERY == 0 else None
            inventories += 1
            check = Check(
                kind=CheckKind.INITIAL,
                checked_on=on,
                present=[s.serial for s in plates if s is not lost],
                missing=[lost.serial] if lost else [],
                **common,
            )
            for s in plates:
                s.status, s.last_seen_on = (
                    (SerialStatus.MISSING, None) if s is lost else (SerialStatus.ON_HAND, on)
                )
            if lost:
                missing.append((check, lost))
        elif not article.is_enhanced and rng.random() < INSPECTED_SHARE:
            check = Check(
                kind=CheckKind.INSPECTION,
                checked_on=min(
                    today, article.delivered_on + dt.timedelta(days=rng.randint(30, 400))
                ),
                findings="Storage secured; access log kept; articles in their stated use.",
                **common,
            )
        else:
            continue
        check.marking = article.marking  # its serials are marked as the article
        checks.append(check)
    return checks, missing


def _violations(missing) -> list[PossibleViolation]:
    """R-EUM-07: a possible violation opened by each serial an inventory did not find, on the
    inventory's day, handled by the SCO that monitors the article (as record_check opens it)."""
    made = []
    for check, serial in missing:
        article, on = check.article, check.checked_on
        v = PossibleViolation(article=article, serial=serial, check_record=check, opened_on=on)
        v.owner_org, v.marking = article.owner_org, article.marking
        kind = check.get_kind_display().lower()
        v.summary = f"Serial {serial.serial} of {article.nomenclature} not found in the {kind}"[
            :300
        ]
        opened = "Opened: serial not found in an inventory"
        v.timeline = [{"on": on.isoformat(), "what": opened, "by": str(check.owner_org)}]
        made.append(v)
    return made
