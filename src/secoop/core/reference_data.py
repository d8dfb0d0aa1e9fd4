"""Loading reference data: ISO 3166 countries (pycountry) with their geographic combatant command
(data/ccmd_aor.csv, from the Unified Command Plan), the notional partner Bandaria, and the dated
facts of data/reference_facts.csv. Used by a data migration and by `secoop load_reference`."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parent / "data"

# SPEC §1: the demo partner takes codes from ISO 3166's user-assigned ranges.
BANDARIA = {
    "alpha3": "XBN",
    "alpha2": "XB",
    "numeric": "",
    "name": "Bandaria",
    "official_name": "Republic of Bandaria (notional)",
    "ccmd": "AFRICOM",
    "notional": True,
}


def ccmd_table() -> dict[str, str]:
    with open(DATA / "ccmd_aor.csv", newline="") as fh:
        return {row["alpha3"]: row["ccmd"] for row in csv.DictReader(fh)}


def load_countries(Country) -> int:
    """Create or update every country. Returns the number written."""
    table = ccmd_table()
    written = 0
    for c in pycountry.countries:
        Country.objects.update_or_create(
            alpha3=c.alpha_3,
            defaults={
                "alpha2": c.alpha_2,
                "numeric": c.numeric,
                "name": getattr(c, "common_name", None) or c.name,
                "official_name": getattr(c, "official_name", "") or "",
                "ccmd": table.get(c.alpha_3, ""),
                "notional": False,
            },
        )
        written += 1
    Country.objects.update_or_create(
        alpha3=BANDARIA["alpha3"], defaults={k: v for k, v in BANDARIA.items() if k != "alpha3"}
    )
    return written + 1


def load_facts(ReferenceFact) -> int:
    written = 0
    with open(DATA / "reference_facts.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            ReferenceFact.objects.update_or_create(
                key=row["key"],
                effective_from=dt.date.fromisoformat(row["effective_from"]),
                defaults={
                    "label": row["label"],
                    "value": Decimal(row["value"]),
                    "unit": row["unit"],
                    "source": row["source"],
                    "notes": row.get("notes", ""),
                },
            )
            written += 1
    # A later row ends the one before it (as ReferenceFactQuerySet.close_superseded does; written out
    # here for the historical models of migrations, which lack the queryset; those before migration
    # 0008 lack the field too).
    if not any(f.name == "effective_until" for f in ReferenceFact._meta.fields):
        return written
    for key in sorted(set(ReferenceFact.objects.values_list("key", flat=True))):
        rows = list(ReferenceFact.objects.filter(key=key).order_by("effective_from"))
        for row, nxt in zip(rows, rows[1:], strict=False):
            until = nxt.effective_from - dt.timedelta(days=1)
            if row.effective_until is None or row.effective_until > until:
                ReferenceFact.objects.filter(pk=row.pk).update(effective_until=until)
    return written
