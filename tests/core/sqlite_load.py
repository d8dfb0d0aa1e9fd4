"""One participant of the SQLite concurrency test (tests/core/test_sqlite_concurrency.py), run as its
own process against a file database: `python sqlite_load.py writer|reader INDEX SECONDS`.

A writer changes documents through the product's write path — `core.actions.update_record` (change-log
entry in the same transaction) and `core.actions.notify`, whose e-mail task the db_worker then runs —
as an API PATCH does. A reader lists what the SCO may see through the door, as the list pages do.
Prints one JSON line: how many operations ran and every error, with its text."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from secoop.core import actions  # noqa: E402
from secoop.core.models import ChangeLogEntry  # noqa: E402
from secoop.core.models import Document  # noqa: E402
from secoop.core.models import Notification  # noqa: E402
from secoop.core.models import Organization  # noqa: E402
from secoop.core.models import User  # noqa: E402


def write_once(user: User, index: int, n: int) -> None:
    ids = list(Document.objects.editable_by(user).order_by("pk").values_list("pk", flat=True))
    doc = Document.objects.editable_by(user).get(pk=ids[(index + n) % len(ids)])
    sco = Organization.objects.visible_to(user).get(short_name="SCO Bandaria")
    # The writer is an action that also notifies; notify is its building block.
    with transaction.atomic(), actions.system_writes("concurrency test: a writer's action"):
        actions.update_record(
            user, doc, {"summary": f"writer {index} change {n}"}, reason="concurrency test"
        )
        actions.notify(
            user, doc, [sco], f"Writer {index} changed a document ({n})", rule="R-SEC-01"
        )


def read_once(user: User) -> None:
    list(Document.objects.visible_to(user).order_by("-pk")[:50])
    list(ChangeLogEntry.objects.visible_to(user).order_by("-at")[:50])
    Notification.objects.visible_to(user).filter(acknowledged_at__isnull=True).count()


def main(role: str, index: int, seconds: float) -> dict:
    # A server has resolved its URLs before a request reaches an action; load them now, not in the
    # first write's transaction.
    get_resolver().url_patterns  # noqa: B018
    user = User.objects.get(username="sco.bandaria")
    ops, errors = 0, []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if role == "writer":
                write_once(user, index, ops)
            else:
                read_once(user)
            ops += 1
        except Exception as exc:  # every failure is the finding, whatever its type
            errors.append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
    return {"role": role, "index": index, "ops": ops, "errors": errors}


if __name__ == "__main__":
    role, index, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    print(json.dumps(main(role, index, seconds)))
