"""Consultation log and first-inquiry responsibility (ASK-1..3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.cases.models import Inquiry, Notification
from servicehall.cases.tests.factories import Hall, local
from servicehall.consultation import selectors, services
from servicehall.core.errors import InputError, RuleViolation
from servicehall.org.tests.factories import StaffFactory, UnitFactory, UserFactory, WindowFactory

pytestmark = pytest.mark.django_db


def test_ask_1__referral_names_window_location_and_notifies_its_staff():
    hall = Hall(materials=0)
    tax = UnitFactory(centre=hall.centre, name="税务局")
    window = WindowFactory(
        unit=tax, centre=hall.centre, number="12", name="税务综合", floor="一楼", location="西区"
    )
    on_duty = StaffFactory(unit=tax, centre=hall.centre)
    on_duty.windows.add(window)
    inquiry = services.log_inquiry(
        actor=hall.staff,
        channel="on_site",
        question="个体户怎么开发票？",
        outcome="referred",
        referred_window=window,
    )
    assert inquiry.referred_location == "一楼 西区"
    note = Notification.objects.get(recipient=on_duty)
    assert "12号窗口" in note.text
    assert "开发票" in note.text


def test_ask_1__referral_without_location__refused():
    hall = Hall(materials=0)
    bare = WindowFactory(unit=hall.unit, centre=hall.centre, number="99", name="无位置")
    with pytest.raises(RuleViolation) as err:
        services.log_inquiry(
            actor=hall.staff, channel="phone", question="问题", outcome="referred", referred_window=bare
        )
    assert err.value.rule_id == "ASK-1"


def test_ask_2__promise_needs_contact_and_defaults_to_one_working_day():
    hall = Hall(materials=0)
    with pytest.raises(RuleViolation) as err:
        services.log_inquiry(actor=hall.staff, channel="phone", question="问题", outcome="promised")
    assert err.value.rule_id == "ASK-2"
    inquiry = services.log_inquiry(
        actor=hall.staff, channel="phone", question="营业执照变更要多久？", outcome="promised",
        contact="13800000000", at=local(2025, 9, 30, 10),
    )  # fmt: skip
    # One working day after Tue Sep 30 is Thu Oct 9 (National Day), at the 18:00 closing time.
    assert timezone.localtime(inquiry.promised_by) == local(2025, 10, 9, 18, 0)


def test_ask_2__unanswered_promise_on_todo_turns_overdue_then_answered_once():
    hall = Hall(materials=0)
    now = timezone.now()
    inquiry = services.log_inquiry(
        actor=hall.staff, channel="web", question="网上怎么预约？", outcome="promised", contact="a@b.cn",
        promised_by=now + timedelta(hours=2), at=now - timedelta(hours=1),
    )  # fmt: skip
    assert list(selectors.open_promises(viewer=hall.staff.user or _user(hall.staff))) == [inquiry]
    assert not inquiry.is_overdue
    Inquiry.objects.filter(pk=inquiry.pk).update(promised_by=now - timedelta(minutes=1))
    inquiry.refresh_from_db()
    assert inquiry.is_overdue
    assert list(selectors.overdue_promises(viewer=hall.staff.user)) == [inquiry]
    services.answer_inquiry(inquiry_id=inquiry.pk, actor=hall.staff, answer="您好，可在网上大厅预约。")
    assert not selectors.open_promises(viewer=hall.staff.user).exists()
    with pytest.raises(RuleViolation) as err:
        services.answer_inquiry(inquiry_id=inquiry.pk, actor=hall.staff, answer="再答一次")
    assert err.value.rule_id == "ASK-2"


def test_ask_3__unknown_channel__input_error_naming_field():
    hall = Hall(materials=0)
    with pytest.raises(InputError) as err:
        services.log_inquiry(
            actor=hall.staff, channel="fax", question="问题", outcome="answered", answer="好"
        )
    assert err.value.where == "channel"


def test_ask_3__answer_with_forbidden_phrase_needs_override_reason():
    hall = Hall(materials=0)
    rude = "不知道，自己看墙上的办事须知"
    with pytest.raises(RuleViolation) as err:
        services.log_inquiry(
            actor=hall.staff, channel="web", question="要带什么？", outcome="answered", answer=rude
        )
    assert err.value.rule_id == "LANG-4"
    assert not Inquiry.objects.exists()
    inquiry = services.log_inquiry(
        actor=hall.staff, channel="web", question="要带什么？", outcome="answered", answer=rude,
        language_override_reason="引用群众原话，已另行致歉",
    )  # fmt: skip
    assert inquiry.language_override_reason


def test_ask_1__inquiry_page_has_live_language_check(client):
    hall = Hall(materials=0)
    client.force_login(_user(hall.staff))
    html = client.get(reverse("consultation:inquiry_new")).content.decode()
    assert reverse("language:check_fragment") in html
    response = client.post(
        reverse("consultation:inquiry_new"),
        {"channel": "on_site", "question": "怎么办证？", "outcome": "answered", "answer": "请到8号窗口办理"},
    )
    assert response.status_code == 302
    assert Inquiry.objects.get().asked == hall.staff


def _user(staff):
    if staff.user is None:
        staff.user = UserFactory()
        staff.save(update_fields=["user"])
    return staff.user


def test_ask_3__channel_not_offered_by_centre_policy__refused(monkeypatch):
    from servicehall.cases import policies
    from servicehall.policy.sections.consultation import ConsultationPolicy

    hall = Hall(materials=0)
    base = policies.policies_for(hall.centre)
    no_video = policies.CasePolicies(
        ref="test@1", cases=base.cases, consultation=ConsultationPolicy(channels=["on_site", "phone"])
    )
    monkeypatch.setattr(services, "policies_for", lambda centre=None: no_video)
    with pytest.raises(RuleViolation) as err:
        services.log_inquiry(
            actor=hall.staff, channel="video", question="问题", outcome="answered", answer="好的"
        )
    assert err.value.rule_id == "ASK-3"
    inquiry = services.log_inquiry(
        actor=hall.staff, channel="phone", question="问题", outcome="answered", answer="好的"
    )
    assert inquiry.policy_ref == "test@1"
