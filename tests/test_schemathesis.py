"""Issue 10 "Done when": schemathesis over /api/schema/ as the SCO, the partner and LE staff finds no
server error and no response that does not match the schema.

Bounded for `make test`: every operation of the schema gets a few generated requests (valid ones and
deliberately invalid ones) per user, each sent through the Django WSGI application in this process,
inside a savepoint that is rolled back, so that one request's writes or deletes never change what the
next one sees. Bounded in time: each user gets SCHEMATHESIS_SECONDS (20) and covers the operations it reaches in
that time, starting from a point that differs per user and per day; `SCHEMATHESIS_SECONDS=0
SCHEMATHESIS_EXAMPLES=5` runs every operation, more requests each, for a deeper run.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import given
from hypothesis import settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from secoop.core.models import ApiToken
from secoop.core.models import User

# One database: it tests what the API answers against its schema, which does not depend on the
# database; the door, triggers and actions behind it are proven on both (tests/README.md).
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "1"))
# Seconds per user (three users: about a minute per database pass); 0 runs every operation.
SECONDS = float(os.environ.get("SCHEMATHESIS_SECONDS", "20"))
LOG = os.environ.get("SCHEMATHESIS_LOG", "")  # append findings here as they are found
CHECKS = [not_a_server_error, response_schema_conformance]
USERS = ["sco.bandaria", "partner.bandaria", "le.staff"]


def token_for(username: str) -> str:
    user = User.objects.get(username=username)
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    return key


@pytest.fixture
def wsgi_app():
    """The real WSGI application, on this test's database connection: Django would close the
    connection (and with it the test's transaction) at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def run_operation(operation, headers: dict, failures: list) -> None:
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            strategy = operation.as_strategy(generation_mode=mode)
        except (
            Exception
        ) as exc:  # an operation schemathesis cannot generate for is a schema finding
            failures.append(f"{operation.label} [{mode.value}]: cannot generate requests: {exc}")
            continue
        try:
            probe(strategy, f"{operation.label} [{mode.value}]", headers, failures)
        except Unsatisfiable:
            continue  # no invalid request can be generated for this operation: nothing to send


def probe(strategy, label: str, headers: dict, failures: list) -> None:
    """Send EXAMPLES generated requests, each in a savepoint rolled back afterwards; record every
    server error and every response that does not match the schema."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case):
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, FailureGroup) as exc:
                failures.append(
                    f"{label} -> {response.status_code}: {exc!s:.600}\n    {response.content[:300]!r}"
                )
        finally:
            transaction.savepoint_rollback(savepoint)

    send()


@pytest.mark.parametrize("username", USERS)
def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(username, wsgi_app):
    headers = {"Authorization": f"Token {token_for(username)}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()), key=lambda op: op.label
    )
    assert len(operations) > 150  # the whole API, not a corner of it
    # Each user starts at a different third of the API, and the start moves on each day, so that
    # within the time budget successive runs cover every operation as every user.
    offset = (
        USERS.index(username) * len(operations) // len(USERS) + dt.date.today().toordinal() * 7
    ) % len(operations)
    failures: list[str] = []
    started = time.monotonic()
    tried = 0
    for operation in operations[offset:] + operations[:offset]:
        if SECONDS and time.monotonic() - started > SECONDS:
            break
        before = len(failures)
        run_operation(operation, headers, failures)
        tried += 1
        if LOG and len(failures) > before:
            with open(LOG, "a") as fh:
                fh.write(f"--- {username}\n" + "\n".join(failures[before:]) + "\n")
    summary = f"{tried} of {len(operations)} operations from #{offset} in {time.monotonic() - started:.0f} s as {username}"
    assert not failures, f"{len(failures)} findings, {summary}:\n" + "\n".join(failures)
