"""Organisation API: public board (ORG-4, ORG-6) and private reads/writes scoped by role (404/403)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from servicehall.org import services
from servicehall.org.models import Post, Window


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_org_6__public_board__shows_paused_message_and_redirect_without_login(world):
    services.pause_window(
        window_id=world.window_a.pk,
        actor=world.user("clerk_a"),
        message="外出送达",
        redirect_window_id=world.window_a2.pk,
    )
    response = Client().get("/api/org/centres/county/windows")
    assert response.status_code == 200
    body = response.json()
    assert body["complaint_phone"] == "0954-12345"
    first = next(w for w in body["windows"] if w["number"] == "1")
    assert first["status"] == "paused"
    assert first["paused_message"] == "外出送达"
    assert first["redirect"]["number"] == "2"


def test_org_4__public_board__no_private_staff_data(world):
    text = json.dumps(Client().get("/api/org/centres/county/windows").json(), ensure_ascii=False)
    assert "张敏" in text  # 挂牌: the name is public
    for private in (world.clerk_a.staff_no, world.clerk_a.badge_no, world.clerk_b.phone):
        assert private not in text


def test_org_1__public_board__unknown_centre__404(world):
    assert Client().get("/api/org/centres/nowhere/windows").status_code == 404


def test_roles__private_endpoints__need_login(world):
    assert Client().get("/api/org/staff").status_code == 401
    assert Client().post(f"/api/org/windows/{world.window_a.pk}/resume").status_code == 401


def test_roles__window_staff_of_unit_a__unit_b_staff_detail__404(world):
    response = client_for(world.user("clerk_a")).get(f"/api/org/staff/{world.clerk_b.pk}")
    assert response.status_code == 404
    assert world.clerk_b.phone not in response.content.decode()


def test_roles__missing_and_forbidden_staff__same_404_body(world):
    client = client_for(world.user("clerk_a"))
    forbidden = client.get(f"/api/org/staff/{world.clerk_b.pk}").json()
    missing = client.get("/api/org/staff/999999").json()
    assert forbidden["detail"] == missing["detail"]


def test_roles__window_staff_of_unit_a__pausing_unit_b_window__403(world):
    response = client_for(world.user("clerk_a")).post(
        f"/api/org/windows/{world.window_b.pk}/pause",
        {"message": "x", "resume_at": (timezone.now() + dt.timedelta(hours=1)).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    world.window_b.refresh_from_db()
    assert world.window_b.status == Window.Status.OPEN


def test_roles__own_record__visible_with_private_fields(world):
    body = client_for(world.user("clerk_a")).get(f"/api/org/staff/{world.clerk_a.pk}").json()
    assert (body["staff_no"], body["window_ids"]) == (world.clerk_a.staff_no, [world.window_a.pk])


def test_roles__chief_rep__unit_list_is_own_unit(world):
    body = client_for(world.user("chief_a")).get("/api/org/units").json()
    assert [u["id"] for u in body] == [world.unit_a.pk]
    assert body[0]["chief_rep_id"] == world.chief_a.pk


def test_roles__centre_admin__staff_list_whole_centre_only(world):
    body = client_for(world.user("admin")).get("/api/org/staff").json()
    ids = {p["id"] for p in body}
    assert {world.clerk_a.pk, world.clerk_b.pk, world.chief_a.pk} <= ids
    assert world.other_clerk.pk not in ids


def test_org_1__other_centre_admin__county_staff_detail__404(world):
    assert client_for(world.user("other_admin")).get(f"/api/org/staff/{world.clerk_a.pk}").status_code == 404


def test_org_6__api_pause_without_redirect_or_resume__409_with_rule_id(world):
    response = client_for(world.user("clerk_a")).post(
        f"/api/org/windows/{world.window_a.pk}/pause",
        {"message": "离开一下"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["rule_id"] == "ORG-6"


def test_org_6__api_pause_then_resume__own_window(world):
    client = client_for(world.user("clerk_a"))
    paused = client.post(
        f"/api/org/windows/{world.window_a.pk}/pause",
        {"redirect_window_id": world.window_a2.pk},
        content_type="application/json",
    )
    assert paused.status_code == 200
    assert paused.json()["status"] == "paused"
    resumed = client.post(f"/api/org/windows/{world.window_a.pk}/resume")
    assert resumed.json()["status"] == "open"


@pytest.mark.parametrize("path", ["pause", "resume"])
def test_roles__auditor__cannot_write__403(world, path):
    response = client_for(world.user("auditor")).post(
        f"/api/org/windows/{world.window_a.pk}/{path}",
        {"redirect_window_id": world.window_a2.pk},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_org_3__api_post_with_one_person_as_a_and_b__409_org_3(world):
    response = client_for(world.user("admin")).post(
        "/api/org/posts",
        {
            "unit_id": world.unit_a.pk,
            "name": "企业登记",
            "a_holder_id": world.clerk_a.pk,
            "b_holder_id": world.clerk_a.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["rule_id"] == "ORG-3"
    assert not Post.objects.exists()


def test_roles__auditor__cannot_create_post__403(world):
    response = client_for(world.user("auditor")).post(
        "/api/org/posts",
        {
            "unit_id": world.unit_a.pk,
            "name": "企业登记",
            "a_holder_id": world.clerk_a.pk,
            "b_holder_id": world.clerk_a2.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Post.objects.exists()
