"""Property-based fuzzing of the JSON API (schemathesis over /api/openapi.json) with a signed-in
centre office session: no answer is a 500 and every documented answer matches its schema (INT-2).

CI runs a short budget (SERVICEHALL_FUZZ_EXAMPLES, default 3 per operation); locally:
    SERVICEHALL_FUZZ_EXAMPLES=100 PYTHONPATH=src pytest -m fuzz tests/test_fuzz_api.py
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("SERVICEHALL_FUZZ_EXAMPLES", "3"))


@pytest.fixture
def api_schema():
    from servicehall.wsgi import application

    # The WSGI handler closes "old" connections around each request; inside the test's transaction
    # (PostgreSQL) that would close the very connection the test runs in, as Django's test client avoids.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def office_headers(client):
    """Session cookie and CSRF token of a centre office member (中心管理办公室) of a small hall."""
    from servicehall.org.models import Staff
    from servicehall.org.tests.factories import StaffFactory
    from servicehall.queue.tests.factories import hall

    cache.clear()  # throttles start empty for every operation
    made = hall(lines=1, windows=1)
    office = StaffFactory(centre=made.centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True)
    client.force_login(office.user)
    token = _get_new_csrf_string()
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    return {"Cookie": cookie, "X-CSRFToken": token}


def test_int_2__api_fuzz__no_500_and_answers_match_schema(api_schema, office_headers):
    failures: list[str] = []
    calls: list[int] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case) -> None:
            calls.append(1)
            case.call_and_validate(
                headers=office_headers, checks=[not_a_server_error, response_schema_conformance]
            )

        try:
            run()
        except Exception as exc:  # collect every failing operation, then report them together
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:600]}")
    assert failures == [], "\n\n".join(failures)
    assert len(calls) >= 60, len(calls)  # every operation was exercised
