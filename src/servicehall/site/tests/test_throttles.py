"""Throttles on public endpoints (CASE-10, Q-1, Q-2, INT-2): per client behind a trusted proxy, per
anonymous ticket issuer, per account at login."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from servicehall.core.throttle import client_ip
from servicehall.org.tests.factories import UserFactory
from servicehall.queue.models import Ticket
from servicehall.queue.tests.factories import hall as make_hall

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_int_2__no_trusted_proxy__client_is_remote_addr_and_header_ignored():
    assert client_ip(_request("10.0.0.9", "1.2.3.4")) == "10.0.0.9"


@override_settings(SERVICEHALL_TRUSTED_PROXY_COUNT=1)
def test_int_2__behind_one_proxy__client_is_the_address_nginx_appended_not_a_forged_one():
    assert client_ip(_request("127.0.0.1", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"  # header missing: the socket address


@override_settings(SERVICEHALL_TRUSTED_PROXY_COUNT=1)
def test_case_10__progress_limit_behind_nginx__citizens_get_separate_buckets(client):
    def query(ip: str):
        return client.post(
            "/progress/", {"number": "X", "code": "0000"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ip
        )

    statuses = [query("203.0.113.1").status_code for _ in range(12)]
    assert statuses[-1] == 429  # one citizen guessing is stopped ...
    assert query("203.0.113.2").status_code == 200  # ... the next citizen behind the same nginx is not


@pytest.mark.parametrize("backend", ["test settings' cache", "production file cache"])
def test_q_1__hundred_anonymous_tickets_in_a_row__throttled_after_twenty(client, tmp_path, settings, backend):
    """Q-1: the anonymous ticket limit holds on the test cache and on the one-machine production cache
    (`core.filecache.CountingFileCache`, shared by the workers of one host)."""
    if backend == "production file cache":
        settings.CACHES = {
            "default": {"BACKEND": "servicehall.core.filecache.CountingFileCache", "LOCATION": str(tmp_path)}
        }
    settings.SERVICEHALL_THROTTLES = {"tickets": "20/m", "appointments": "10/h"}
    hall = make_hall(lines=1, windows=1)
    answers = [
        client.post(
            "/api/queue/tickets",
            {"item_ids": [hall.items[0].pk], "hall": "hall"},
            content_type="application/json",
        ).status_code
        for _ in range(25)
    ]
    assert answers[:20] == [201] * 20
    assert set(answers[20:]) == {429}
    assert Ticket.objects.count() == 20


def test_int_2__login_lockout_after_five_wrong_passwords__even_right_password_refused(client):
    user = UserFactory(username="window7")
    user.set_password("Right-pass-2026")
    user.save()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "window7", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    # From another address: the lock is on the account, not on the address.
    locked = client.post(
        "/accounts/login/", {"username": "window7", "password": "Right-pass-2026"}, REMOTE_ADDR="10.0.0.2"
    )
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_int_2__login_works_before_the_limit(client):
    user = UserFactory(username="window8")
    user.set_password("Right-pass-2026")
    user.save()
    for _ in range(2):
        client.post("/accounts/login/", {"username": "window8", "password": "wrong"})
    ok = client.post("/accounts/login/", {"username": "window8", "password": "Right-pass-2026"})
    assert ok.status_code == 302
