"""Issue 10 "Done when": schemathesis over /api/schema/ as the SCO, the partner and LE staff finds no
server error and no response that does not match the schema.

Bounded for `make test`: every operation of the schema gets a few generated requests (valid ones and
deliberately invalid ones) per user, each sent through the Django WSGI application in this process,
inside a savepoint that is rolled back, so that one request's writes or deletes never change what the
next one sees. `SCHEMATHESIS_EXAMPLES` raises the number of requests per operation for a deeper run.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from secoop.core.models import ApiToken, User

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "2"))
CHECKS = [not_a_server_error, response_schema_conformance]
USERS = ["sco.bandaria", "partner.bandaria", "le.staff"]


def token_for(username: str) -> str:
    user = User.objects.get(username=username)
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user, digest=ApiToken.digest_of(key), prefix=key[:8], expires_at=timezone.now() + dt.timedelta(hours=1)
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
        except Exception as exc:  # an operation schemathesis cannot generate for is a schema finding
            failures.append(f"{operation.label} [{mode.value}]: cannot generate requests: {exc}")
            continue

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def probe(case):
            savepoint = transaction.savepoint()
            try:
                response = case.call(headers=headers)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except (Exception, FailureGroup) as exc:
                    body = response.content[:300] if response is not None else b""
                    failures.append(f"{operation.label} [{mode.value}] -> {response.status_code}: {exc!s:.600}\n    {body!r}")
            finally:
                transaction.savepoint_rollback(savepoint)

        try:
            probe()
        except Unsatisfiable:
            # No invalid request can be generated for this operation (nothing to negate): nothing to send.
            continue


@pytest.mark.parametrize("username", USERS)
def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(username, wsgi_app):
    headers = {"Authorization": f"Token {token_for(username)}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)
    failures: list[str] = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 150  # the whole API, not a corner of it
    timings = []
    for operation in operations:
        t0 = time.monotonic()
        run_operation(operation, headers, failures)
        timings.append((time.monotonic() - t0, operation.label))
    if os.environ.get("SCHEMATHESIS_TIMINGS"):
        with open(os.environ["SCHEMATHESIS_TIMINGS"], "w") as fh:
            fh.write("\n".join(f"{t:.2f} {label}" for t, label in sorted(timings, reverse=True)))
            fh.write("\n" + "\n".join(failures))
    elapsed = time.monotonic() - started
    assert not failures, f"{len(failures)} findings as {username} ({elapsed:.0f} s):\n" + "\n".join(failures)
