"""Pages and API of the citizens' voice: rater anonymity on every staff page and API (EVAL-1), public
complaint form and progress (EVAL-2), the pad, the public figures, the QR link on notices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from servicehall.core.models import AuditEntry
from servicehall.evaluation import services
from servicehall.evaluation.models import Complaint, Rating, Rectification

PHONE = "13612349876"
NAME = "欧阳娜娜"
DEVICE = "PAD-SECRET-42"


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()


def _client(client, staff):
    client.force_login(staff.user)
    return client


@pytest.fixture
def rated(voice):
    """A named bad rating and an anonymous good one, each with a rater the staff must not see."""
    now = timezone.now()
    bad = services.submit_rating(
        centre_id=voice.centre.pk,
        ticket_id=voice.finished_ticket(at=now).pk,
        level="very_dissatisfied",
        comment="等太久",
        phone=PHONE,
        name=NAME,
        device=DEVICE,
        at=now,
    ).rating
    services.submit_rating(
        centre_id=voice.centre.pk,
        ticket_id=voice.finished_ticket(at=now).pk,
        level="very_satisfied",
        device=DEVICE,
        at=now,
    )
    return bad


STAFF_PAGES = [
    ("evaluation:overview", ()),
    ("evaluation:ratings", ()),
    ("evaluation:rectifications", ()),
    ("evaluation:flags", ()),
    ("evaluation:complaints", ()),
    ("evaluation:suggestions", ()),
    ("evaluation:unserved", ()),
    ("dashboard", ()),
]
STAFF_APIS = ["/api/evaluation/ratings", "/api/evaluation/rectifications", "/api/evaluation/ratings?bad=true"]


@pytest.mark.parametrize("who", ["clerk_a", "chief_a", "supervisor", "admin", "auditor"])
def test_eval_1__rater_anonymity_on_every_staff_page_and_api(voice, rated, client, who):
    """No staff page or API shows the rater's phone, name or device — not even the office's lists."""
    c = _client(client, getattr(voice, who))
    task = Rectification.objects.get(rating=rated)
    bodies = []
    for name, args in STAFF_PAGES:
        r = c.get(reverse(name, args=args))
        assert r.status_code in (200, 403), name
        bodies.append(r.content.decode())
    r = c.get(reverse("evaluation:rectification", args=[task.pk]))
    assert r.status_code in (200, 404)
    bodies.append(r.content.decode())
    for url in STAFF_APIS:
        r = c.get(url)
        assert r.status_code == 200, url
        bodies.append(r.content.decode())
    for body in bodies:
        for secret in (PHONE, PHONE[-4:], NAME, DEVICE):
            assert secret not in body
    assert '"level_label"' in bodies[-1]  # the API did list the rating


FIELDS = {"id", "rated_on", "unit", "window", "staff", "level", "level_label", "satisfied", "reasons"}
FIELDS |= {"comment", "channel", "overturned"}


def test_eval_1__rating_api_fields_carry_nothing_about_the_rater(voice, rated, client):
    data = _client(client, voice.supervisor).get("/api/evaluation/ratings").json()
    assert len(data) == 2
    assert all(set(d) == FIELDS for d in data)


def test_eval_1__callback_phone_only_for_the_office_on_request_and_audited(voice, rated, client):
    task = Rectification.objects.get(rating=rated)
    url = reverse("evaluation:rectification", args=[task.pk])
    chief = _client(client, voice.chief_a)
    assert chief.post(url, {"action": "reveal"}).status_code == 403
    client.logout()
    office = _client(client, voice.supervisor)
    body = office.post(url, {"action": "reveal"}).content.decode()
    assert PHONE in body
    assert AuditEntry.objects.filter(verb="evaluation.contact.reveal").count() == 1
    assert PHONE not in str(list(AuditEntry.objects.values_list("data", "reason")))


def test_eval_1__other_unit_sees_neither_the_rating_nor_its_task(voice, rated, client):
    c = _client(client, voice.chief_b)
    task = Rectification.objects.get(rating=rated)
    assert c.get(reverse("evaluation:rectification", args=[task.pk])).status_code == 404
    assert c.get("/api/evaluation/ratings").json() == []


def test_eval_1__pad_offers_the_finished_ticket_and_rates_it(voice, client):
    ticket = voice.finished_ticket(at=timezone.now() - timedelta(minutes=1))
    url = reverse("evaluation:pad", args=[voice.centre.code, voice.window_a.number])
    page = client.get(url)
    assert page.status_code == 200
    assert "非常满意" in page.content.decode()
    assert "EVAL-" not in page.content.decode()  # citizens never see rule IDs
    r = client.post(
        reverse("evaluation:pad_rate", args=[voice.centre.code, voice.window_a.number]),
        {"kind": "ticket", "pk": ticket.pk, "level": "satisfied", "reason": ["办事高效"]},
    )
    assert r.status_code == 200
    assert "感谢您的评价" in r.content.decode()
    rating = Rating.objects.get()
    assert rating.ticket == ticket
    assert rating.staff == voice.clerk_a
    assert rating.reasons == ["办事高效"]
    # the pad at another window cannot rate this ticket
    other = client.post(
        reverse("evaluation:pad_rate", args=[voice.centre.code, voice.window_b.number]),
        {"kind": "ticket", "pk": ticket.pk, "level": "very_dissatisfied"},
    )
    assert other.status_code == 409
    assert Rating.objects.get().level == "satisfied"


def test_eval_1__pad_poll_answers_204_while_nothing_changed(voice, client):
    panel = reverse("evaluation:pad_panel", args=[voice.centre.code, voice.window_a.number])
    assert client.get(panel + "?current=idle").status_code == 204
    ticket = voice.finished_ticket()
    r = client.get(panel + "?current=idle")
    assert r.status_code == 200
    assert f'value="{ticket.pk}"' in r.content.decode()


def test_eval_2__public_complaint_form_returns_tracking_code_and_progress_is_masked(voice, client):
    r = client.post(
        reverse("evaluation:complaint_new", args=[voice.centre.code]),
        {"content": "窗口人员态度差", "name": "欧阳娜娜", "phone": "13712345678"},
    )
    assert r.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.tracking_code in r.content.decode()
    assert complaint.channel == "web"
    track = reverse("evaluation:complaint_track")
    found = client.post(track, {"tracking_code": complaint.tracking_code, "phone4": "5678"}).content.decode()
    assert "欧***" in found
    assert "欧阳娜娜" not in found
    assert "13712345678" not in found
    assert "受理" in found
    wrong = client.post(track, {"tracking_code": complaint.tracking_code, "phone4": "0000"}).content.decode()
    assert "未查询到匹配的投诉" in wrong
    assert "EVAL-" not in found + wrong


def test_eval_2__progress_query_is_rate_limited(voice, client, settings):
    track = reverse("evaluation:complaint_track")
    statuses = [
        client.post(track, {"tracking_code": "TXXXXXXXXX", "phone4": "1234"}).status_code for _ in range(40)
    ]
    assert 429 in statuses


def test_eval_2__staff_intake_and_five_steps_through_the_pages(voice, client):
    c = _client(client, voice.supervisor)
    r = c.post(
        reverse("evaluation:complaints"),
        {"channel": "phone", "content": "12345转办：态度差", "hotline_ref": "GD-1"},
    )
    complaint = Complaint.objects.get()
    assert r.status_code == 302
    url = reverse("evaluation:complaint", args=[complaint.pk])
    c.post(url, {})
    c.post(url, {"findings": "属实", "staff_id": voice.clerk_a.pk})
    c.post(url, {"outcome": "valid", "outcome_reason": "态度问题"})
    c.post(url, {"feedback": "已致歉"})
    c.post(url, {})
    complaint.refresh_from_db()
    assert complaint.step == "done"
    assert complaint.unit == voice.unit_a


def test_eval_2__window_staff_cannot_open_complaints(voice, client):
    assert _client(client, voice.clerk_a).get(reverse("evaluation:complaints")).status_code == 403


def test_eval_1__public_figures_page_aggregates_without_personal_data(voice, rated, client):
    r = client.get(reverse("evaluation:satisfaction", args=[voice.centre.code]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "<svg" in body  # offline chart, no script
    assert "50.00%" in body
    assert voice.clerk_a.name not in body
    assert PHONE not in body
    assert "EVAL-" not in body
    api = client.get(
        f"/api/evaluation/centres/{voice.centre.code}/figures?month={timezone.localdate():%Y-%m}"
    )
    unit_a = next(u for u in api.json() if u["unit"] == "市场监管")
    assert (unit_a["counted"], unit_a["good"], unit_a["satisfaction_rate"]) == (2, 1, 0.5)


def test_eval_1__rate_case_from_the_notice_link(voice, client):
    from servicehall.cases.models import Case
    from servicehall.catalog.tests.factories import ItemFactory

    item = ItemFactory(unit=voice.unit_a, centre=voice.centre)
    case = Case.objects.create(
        centre=voice.centre,
        number="YZ2026-0001",
        item=item,
        case_type=item.case_type,
        applicant_name="张三",
        applicant_phone="13800004321",
        responsible=voice.clerk_a,
        window=voice.window_a,
        accepted_at=timezone.now(),
        policy_ref="yuanzhou-p2@2026.1",
    )
    url = reverse("evaluation:rate_case")
    assert client.post(url, {"number": case.number, "code": "0000"}).content.decode().count("未查询到") == 1
    step = client.post(url, {"number": case.number, "code": "4321"}).content.decode()
    assert "非常满意" in step
    done = client.post(url, {"number": case.number, "code": "4321", "level": "dissatisfied"}).content.decode()
    assert "感谢您的评价" in done
    rating = Rating.objects.get()
    assert rating.case == case
    assert not rating.anonymous
    from servicehall.cases.pdf import rating_link

    assert rating_link(case).endswith("/rate/?n=YZ2026-0001")


def test_eval_1__pad_change_inside_the_window_replaces__after_it_is_refused(voice, client):
    ticket = voice.finished_ticket()
    rate_url = reverse("evaluation:pad_rate", args=[voice.centre.code, voice.window_a.number])
    panel = reverse("evaluation:pad_panel", args=[voice.centre.code, voice.window_a.number])
    first = client.post(rate_url, {"kind": "ticket", "pk": ticket.pk, "level": "very_dissatisfied"})
    assert "修改评价" in first.content.decode()
    form = client.get(panel + f"?edit=ticket-{ticket.pk}").content.decode()
    assert f'value="{ticket.pk}"' in form
    client.post(rate_url, {"kind": "ticket", "pk": ticket.pk, "level": "satisfied"})
    rating = Rating.objects.get()
    assert (rating.level, rating.replaced_count) == ("satisfied", 1)
    Rating.objects.filter(pk=rating.pk).update(first_rated_at=timezone.now() - timedelta(minutes=11))
    refused = client.post(rate_url, {"kind": "ticket", "pk": ticket.pk, "level": "very_dissatisfied"})
    assert refused.status_code == 409
    assert "已经评价" in refused.content.decode()
    assert Rating.objects.get().level == "satisfied"


def test_eval_2__public_complaint_api_returns_a_tracking_code_and_is_rate_limited(voice, client):
    url = f"/api/evaluation/centres/{voice.centre.code}/complaints"
    first = client.post(url, {"content": "态度差", "phone": "13700001111"}, content_type="application/json")
    assert first.status_code == 201
    assert Complaint.objects.get().tracking_code == first.json()["tracking_code"]
    bad = client.post(url, {"content": " "}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["facts"]["where"] == "content"
    statuses = [
        client.post(url, {"content": "x"}, content_type="application/json").status_code for _ in range(40)
    ]
    assert 429 in statuses


def test_ask_2__office_types_in_a_box_card_and_replies(voice, client):
    from servicehall.evaluation.models import Suggestion

    url = reverse("evaluation:suggestions")
    assert _client(client, voice.clerk_a).post(url, {"action": "intake", "content": "x"}).status_code == 403
    client.logout()
    c = _client(client, voice.supervisor)
    c.post(url, {"action": "intake", "content": "大厅座椅不够", "phone": "13800000000"})
    s = Suggestion.objects.get()
    assert s.channel == "on_site"
    assert s.reply_due_on is not None
    c.post(url, {"suggestion_id": s.pk, "reply": "已增加座椅", "adopted": "1"})
    s.refresh_from_db()
    assert s.adopted
    assert s.replied_by == voice.supervisor
