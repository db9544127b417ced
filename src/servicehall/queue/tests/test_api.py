"""The queue API and pages over HTTP (Q-1, Q-2, Q-4, ORG-6)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory, UserFactory
from servicehall.queue import services
from servicehall.queue.models import Ticket

ELDER_ID = "11010519491231002X"


@pytest.fixture
def staff_client(client, hall):
    client.force_login(hall.staff[0].user)
    return client


def test_q_1__post_ticket_returns_number_ahead_and_wait(client, hall):
    r = client.post(
        "/api/queue/tickets",
        {"item_ids": [hall.items[0].pk], "hall": "hall"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"] == "A001"
    assert body["people_ahead"] == 0
    assert body["estimated_wait_minutes"] == 0
    assert body["escpos_url"] == reverse("queue:ticket_escpos", args=[body["id"]])
    assert body["print_url"] == reverse("queue:ticket", args=[body["id"]])


def test_q_1__ticket_paths_follow_the_deployment_prefix(hall):
    """Behind a path prefix (SCRIPT_NAME, e.g. /hall/ on a shared host) the slip's links carry it too."""
    from django.urls import get_script_prefix, set_script_prefix

    from servicehall.queue.api import ticket_out

    ticket = services.issue_ticket(item_ids=[hall.items[0].pk])
    before = get_script_prefix()
    try:
        set_script_prefix("/hall/")
        assert ticket_out(ticket).print_url == f"/hall/queue/tickets/{ticket.pk}/"
        set_script_prefix("/")
        assert ticket_out(ticket).print_url == f"/queue/tickets/{ticket.pk}/"
    finally:
        set_script_prefix(before)


def test_q_2__kiosk_cannot_claim_green_channel(client, hall):
    r = client.post("/api/queue/tickets", {"item_ids": [hall.items[0].pk], "priority": "green_channel"},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 409
    assert r.json()["rule_id"] == "Q-2"
    assert not Ticket.objects.exists()


def test_q_2__bad_id_number__error_names_field(client, hall):
    r = client.post("/api/queue/tickets", {"item_ids": [hall.items[0].pk], "id_number": "110105194912310021"},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 400
    assert r.json()["facts"]["where"] == "id_number"


def test_q_1__call_next_needs_login(client, hall):
    r = client.post(f"/api/queue/windows/{hall.windows[0].pk}/call-next")
    assert r.status_code == 401


def test_q_1__call_next_over_api(staff_client, hall):
    services.issue_ticket(item_ids=[hall.items[0].pk])
    r = staff_client.post(f"/api/queue/windows/{hall.windows[0].pk}/call-next")
    assert r.status_code == 200, r.content
    assert r.json()["ticket"]["number"] == "A001"
    assert r.json()["ticket"]["window"] == "1"
    r = staff_client.post(f"/api/queue/windows/{hall.windows[0].pk}/call-next")
    assert r.json()["ticket"] is None


def test_org_6__pause_over_api_and_display_shows_sign(staff_client, hall):
    w1, w2 = hall.windows
    r = staff_client.post(f"/api/queue/windows/{w1.pk}/pause", {"redirect_window_id": w2.pk},
                          content_type="application/json")  # fmt: skip
    assert r.status_code == 200
    assert r.json()["sign"] == "1号窗口暂停服务，请到2号窗口办理"
    snap = staff_client.get("/api/queue/display/hall/snapshot").json()
    assert snap["paused"] == [{"window": "1", "sign": "1号窗口暂停服务，请到2号窗口办理"}]
    r = staff_client.post(f"/api/queue/windows/{w1.pk}/call-next")
    assert r.status_code == 409
    assert r.json()["rule_id"] == "ORG-6"


def test_q_1__escpos_download_decodes_gb18030(client, hall):
    t = services.issue_ticket(item_ids=[hall.items[0].pk])
    r = client.get(f"/queue/tickets/{t.pk}/escpos/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/octet-stream"
    text = r.content.decode("gb18030")
    assert "测试政务服务中心" in text
    assert "A001" in text
    assert "事项1" in text


def test_q_1__kiosk_page_lists_items_and_takes_ticket(client, hall):
    page = client.get("/kiosk/hall/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "事项1" in html
    assert 'lang="zh-Hans"' in html
    r = client.post("/kiosk/hall/take/", {"item_id": hall.items[1].pk})
    t = Ticket.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/queue/tickets/{t.pk}/"
    ticket_html = client.get(r["Location"]).content.decode()
    assert "B001" in ticket_html
    assert "前面等候" in ticket_html


def test_q_2__kiosk_elderly_by_id_number(client, hall):
    client.post("/kiosk/hall/take/", {"item_id": hall.items[0].pk, "id_number": ELDER_ID})
    assert Ticket.objects.get().priority == "elderly"


def test_q_2__kiosk_check_in_by_code(client, hall):
    from datetime import timedelta

    from django.utils import timezone

    from servicehall.queue.models import Appointment

    # a slot starting in 10 minutes: inside the policy's 30-minute early check-in window
    slot = timezone.localtime(timezone.now() + timedelta(minutes=10))
    appt = Appointment.objects.create(
        centre=hall.centre,
        line=hall.lines[0],
        day=slot.date(),
        slot_start=slot.time().replace(microsecond=0),
        code="K7M2Q9",
        name="李四",
    )
    r = client.post("/kiosk/hall/check-in/", {"code": "k7m2q9"})
    assert r.status_code == 302
    appt.refresh_from_db()
    assert appt.status == "checked_in"
    assert appt.ticket.priority == "appointment"


def test_q_1__window_page_call_next(client, hall):
    services.issue_ticket(item_ids=[hall.items[0].pk])
    client.force_login(hall.staff[0].user)
    page = client.get(f"/queue/windows/{hall.windows[0].pk}/")
    assert page.status_code == 200
    r = client.post(f"/queue/windows/{hall.windows[0].pk}/call-next/")
    assert r.status_code == 302
    assert "A001" in client.get(r["Location"]).content.decode()


def test_q_1__window_page_hidden_from_other_unit(client, hall):
    other = StaffFactory(user=UserFactory())
    client.force_login(other.user)
    assert client.get(f"/queue/windows/{hall.windows[0].pk}/").status_code == 404


def test_q_1__stats_export_csv_and_xlsx(client, hall):
    admin = StaffFactory(centre=hall.centre, unit=hall.unit, role=Staff.Role.CENTRE_ADMIN, user=UserFactory())
    services.issue_ticket(item_ids=[hall.items[0].pk])
    services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0])
    services.finish(window_id=hall.windows[0].pk, actor=hall.staff[0])
    client.force_login(admin.user)
    csv_body = client.get("/queue/stats/?hall=hall&format=csv").content.decode("utf-8-sig")
    lines = csv_body.strip().splitlines()
    assert lines[0].startswith("key,名称,取号数")
    assert lines[1].startswith("A,业务1,1,1")
    xlsx = client.get("/queue/stats/?hall=hall&format=xlsx&group_by=window")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["A1"].value == "key"
    assert ws["A2"].value == "1"
    assert ws["C2"].value == 1


def test_q_1__window_staff_cannot_see_stats(client, hall):
    client.force_login(hall.staff[0].user)
    r = client.get("/api/queue/stats?hall=hall&first=2026-01-01&last=2026-12-31")
    assert r.status_code == 403
