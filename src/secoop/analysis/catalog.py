"""The SC program catalog's starting facts (data/programs.csv, checked against
shared/domain/programs.md and its sources; each row keeps its source, the date it was read as in
force and the facts no source confirmed). Loaded by migration 0002 and by `load_programs`; an
administrator or DSCA corrects a row afterwards through actions.update_program (change-logged)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "programs.csv"
INT_FIELDS = ("lifespan_years", "lead_time_months")


def rows() -> list[dict]:
    with open(DATA, newline="") as fh:
        return list(csv.DictReader(fh))


def load_programs(Program) -> int:
    """Create the catalog rows that are missing (a row an administrator has corrected is kept).
    Works with the historical model of a migration: plain saves, marked UNCLASSIFIED (public
    statute and guidance)."""
    written = 0
    for row in rows():
        if Program.objects.filter(key=row["key"]).exists():
            continue
        values = {k: v for k, v in row.items() if k != "key"}
        for k in INT_FIELDS:
            values[k] = int(values[k])
        values["is_bpc"] = values["is_bpc"] == "1"
        values["effective_from"] = dt.date.fromisoformat(values["effective_from"])
        Program(key=row["key"], classification=0, dissemination="", rel_to="", **values).save()
        written += 1
    return written
