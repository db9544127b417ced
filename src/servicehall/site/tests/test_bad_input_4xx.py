"""Bad input found when the demo was attacked answers 4xx with a message, never a 500 (INT-2, CASE-9):
unknown ids, years past 9999 arithmetic, a leave spanning the whole calendar."""

from __future__ import annotations

import json

import pytest

from servicehall.leave.models import LeaveRequest
from servicehall.leave.tests.factories import make_people
from servicehall.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNKNOWN = 987654


@pytest.fixture
def people():
    people = make_people()
    for key in ("clerk", "admin"):
        people[key].user = UserFactory()
        people[key].save()
    return people


def _post(client, url: str, body: dict | None = None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (f"/api/leave/requests/{UNKNOWN}/cancel", {}),
        (f"/api/leave/requests/{UNKNOWN}/return", {"certificate_provided": False}),
        (f"/api/leave/covers/{UNKNOWN}/check-in", {}),
    ],
)
def test_int_2__unknown_leave_or_cover_id__404_with_message(client, people, url: str, body: dict):
    client.force_login(people["admin"].user)
    response = _post(client, url, body)
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("month", ["9999-12", "0000-01", "10000-01"])
def test_int_2__month_out_of_range__api_400_page_200(client, people, month: str):
    client.force_login(people["admin"].user)
    response = client.get("/api/attendance/month", {"month": month})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert client.get("/attendance/centre/", {"month": month}).status_code in (200, 302)


def test_int_2__week_9999_12_31__api_400_page_falls_back(client, people):
    client.force_login(people["admin"].user)
    response = client.get("/api/attendance/weekly", {"week": "9999-12-31"})
    assert response.status_code == 400
    assert "超出" in response.json()["detail"]
    assert client.get("/attendance/weekly/", {"week": "9999-12-31"}).status_code == 200


def test_leave_1__leave_from_year_1_to_9999__400_nothing_written(client, people):
    client.force_login(people["clerk"].user)
    response = _post(
        client,
        "/api/leave/requests",
        {"kind": "personal", "start_date": "0001-01-01", "end_date": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "start_date" in json.dumps(response.json())
    assert not LeaveRequest.objects.exists()


def test_leave_feed__year_9999__400(client, people):
    client.force_login(people["admin"].user)
    response = client.get("/api/leave/attendance-feed", {"start": "0001-01-01", "end": "9999-12-31"})
    assert response.status_code == 400
