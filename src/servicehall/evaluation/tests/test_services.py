"""Scenario tests of ratings, rectification, flags and complaints (好差评 EVAL-1, 投诉 EVAL-2, EVAL-7, ASK-2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from servicehall.accountability.models import AccountabilityEvent
from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.core.models import AuditEntry
from servicehall.evaluation import selectors, services
from servicehall.evaluation.models import (
    Complaint,
    ComplaintStep,
    ManipulationFlag,
    Rating,
    Rectification,
    Suggestion,
    UnservedCallback,
)
from servicehall.evaluation.tests.conftest import local


def rate(voice, ticket, level, *, at, phone="", device=""):
    return services.submit_rating(
        centre_id=voice.centre.pk, ticket_id=ticket.pk, level=level, at=at, phone=phone, device=device
    )


# -- EVAL-1 one rating per service ------------------------------------------------------------------------


def test_eval_1__second_rating_inside_the_window_replaces__after_it_is_refused(voice):
    t0 = local(2026, 3, 2, 9, 0)
    ticket = voice.finished_ticket(at=t0)
    first = rate(voice, ticket, "very_satisfied", at=t0)
    again = rate(voice, ticket, "satisfied", at=t0 + timedelta(minutes=10))  # exactly at the limit
    assert again.replaced
    assert again.rating.pk == first.rating.pk
    assert Rating.objects.get().level == "satisfied"
    with pytest.raises(RuleViolation) as err:
        rate(voice, ticket, "very_dissatisfied", at=t0 + timedelta(minutes=10, seconds=1))
    assert err.value.rule_id == "EVAL-1"
    rating = Rating.objects.get()
    assert rating.level == "satisfied"
    assert rating.replaced_count == 1
    assert not Rectification.objects.exists()  # the refused bad rating opened nothing


def test_eval_1__unfinished_ticket_cannot_be_rated(voice):
    ticket = voice.finished_ticket()
    ticket.status = ticket.Status.CALLED
    ticket.save()
    with pytest.raises(Exception, match="没有可以评价"):
        rate(voice, ticket, "satisfied", at=local(2026, 3, 2, 9, 0))
    assert not Rating.objects.exists()


def test_eval_1__unknown_level_is_bad_input(voice):
    with pytest.raises(InputError) as err:
        rate(voice, voice.finished_ticket(), "great", at=local(2026, 3, 2, 9, 0))
    assert err.value.where == "level"


# -- EVAL-1 rectification of a bad rating ------------------------------------------------------------------


def test_eval_1__bad_rating_opens_rectification_due_in_working_days_across_national_day(voice):
    """30 Sep 2025 + 5 working days: 1–8 Oct are holidays, Sat 11 Oct is a make-up workday → 14 Oct."""
    at = local(2025, 9, 30, 10, 0)
    result = rate(voice, voice.finished_ticket(at=at), "dissatisfied", at=at)
    task = Rectification.objects.get(rating=result.rating)
    assert task.unit == voice.unit_a
    assert task.opened_on == date(2025, 9, 30)
    assert task.due_on == date(2025, 10, 14)
    assert AuditEntry.objects.filter(verb="evaluation.rectification.open", data__rule="EVAL-1").exists()


def test_eval_1__bad_changed_to_good_inside_window__untouched_task_closed_not_deleted(voice):
    at = local(2026, 3, 2, 9, 0)
    ticket = voice.finished_ticket(at=at)
    rate(voice, ticket, "very_dissatisfied", at=at)
    rate(voice, ticket, "satisfied", at=at + timedelta(minutes=3))
    task = Rectification.objects.get()
    assert task.status == Rectification.Status.CLOSED
    assert "评价已改为" in task.close_note


def test_eval_1__named_bad_rating__closed_only_after_callback_by_the_supervision_office(voice):
    at = local(2026, 3, 2, 9, 0)
    rate(voice, voice.finished_ticket(at=at), "dissatisfied", at=at, phone="13800001234")
    task = Rectification.objects.get()
    with pytest.raises(Forbidden):
        services.answer_rectification(
            task_id=task.pk, actor=voice.chief_b, category="attitude", cause="", measures="x"
        )
    services.answer_rectification(
        task_id=task.pk,
        actor=voice.chief_a,
        category="attitude",
        cause="解释不耐心",
        measures="当面致歉，培训",
    )
    with pytest.raises(RuleViolation, match="回访"):
        services.close_rectification(task_id=task.pk, actor=voice.supervisor)
    with pytest.raises(Forbidden):
        services.log_rating_callback(task_id=task.pk, actor=voice.chief_a, outcome="satisfied")
    services.log_rating_callback(task_id=task.pk, actor=voice.supervisor, outcome="satisfied", note="已致歉")
    with pytest.raises(Forbidden):
        services.close_rectification(task_id=task.pk, actor=voice.chief_a)
    services.close_rectification(task_id=task.pk, actor=voice.supervisor)
    task.refresh_from_db()
    assert task.status == Rectification.Status.CLOSED
    assert task.closed_by == voice.supervisor


def test_eval_1__anonymous_bad_rating__reviewed_without_callback(voice):
    at = local(2026, 3, 2, 9, 0)
    rate(voice, voice.finished_ticket(at=at), "dissatisfied", at=at)
    task = Rectification.objects.get()
    services.answer_rectification(
        task_id=task.pk, actor=voice.chief_a, category="system", cause="", measures="修复"
    )
    with pytest.raises(RuleViolation):
        services.log_rating_callback(task_id=task.pk, actor=voice.supervisor, outcome="satisfied")
    with pytest.raises(RuleViolation, match="核查"):
        services.close_rectification(task_id=task.pk, actor=voice.supervisor)
    services.review_anonymous(task_id=task.pk, actor=voice.supervisor, note="调取录像核实")
    assert services.close_rectification(task_id=task.pk, actor=voice.supervisor).status == "closed"


def test_eval_1__overturned_appeal_stops_counting_but_stays_on_record(voice):
    at = local(2026, 3, 2, 9, 0)
    rate(voice, voice.finished_ticket(at=at), "very_dissatisfied", at=at)
    rate(voice, voice.finished_ticket(at=at), "satisfied", at=at)
    rating = Rating.objects.get(satisfied=False)
    before = selectors.month_figures(centre=voice.centre, month=date(2026, 3, 1))
    assert (before.counted, before.good) == (2, 1)
    with pytest.raises(Forbidden):
        services.file_appeal(rating_id=rating.pk, actor=voice.chief_b, reason="非本单位")
    appeal = services.file_appeal(rating_id=rating.pk, actor=voice.chief_a, reason="评价人误操作，监控可证")
    with pytest.raises(Forbidden):
        services.decide_appeal(appeal_id=appeal.pk, actor=voice.chief_a, overturn=True, note="x")
    services.decide_appeal(appeal_id=appeal.pk, actor=voice.supervisor, overturn=True, note="录像核实")
    rating.refresh_from_db()
    assert rating.overturned
    assert Rating.objects.count() == 2  # stays on record
    after = selectors.month_figures(centre=voice.centre, month=date(2026, 3, 1))
    assert (after.counted, after.good) == (1, 1)
    assert Rectification.objects.get(rating=rating).status == Rectification.Status.OVERTURNED


# -- EVAL-1 manipulation flags ---------------------------------------------------------------------------


def test_eval_1__device_burst_flag_fires_and_keeps_every_rating(voice):
    t0 = local(2026, 3, 2, 9, 0)
    for i in range(6):  # more than 5 within 5 minutes from one pad
        at = t0 + timedelta(seconds=40 * i)
        rate(voice, voice.finished_ticket(at=at), "very_satisfied", at=at, device="PAD-7")
    flag = ManipulationFlag.objects.get(kind="device_burst")
    assert flag.ratings.count() == 6
    assert flag.detail["count"] == 6
    assert "PAD-7" not in str(flag.detail)  # the device itself is not shown
    assert Rating.objects.count() == 6


def test_eval_1__phone_burst_flag_fires_on_scan(voice):
    t0 = local(2026, 3, 2, 9, 0)
    for i in range(6):
        at = t0 + timedelta(seconds=30 * i)
        rate(voice, voice.finished_ticket(at=at), "very_satisfied", at=at, phone="13900001111")
    services.scan_ratings(centre_id=voice.centre.pk, month=date(2026, 3, 1))
    assert ManipulationFlag.objects.filter(kind="phone_burst").count() == 1


def test_eval_1__no_service_and_top_share_flags_fire_on_synthetic_data(voice):
    t0 = local(2026, 3, 2, 9, 0)
    services.submit_rating(centre_id=voice.centre.pk, level="very_satisfied", at=t0, source="import")
    for i in range(10):  # clerk_a: all top level; clerk_a2: none
        at = t0 + timedelta(minutes=20 * i)
        rate(voice, voice.finished_ticket(at=at), "very_satisfied", at=at)
        t2 = voice.finished_ticket(window=voice.window_a2, staff=voice.clerk_a2, at=at)
        rate(voice, t2, "satisfied", at=at)
    services.scan_ratings(centre_id=voice.centre.pk, month=date(2026, 3, 1))
    kinds = sorted(ManipulationFlag.objects.values_list("kind", flat=True))
    assert kinds == ["no_service", "top_share"]
    top = ManipulationFlag.objects.get(kind="top_share")
    assert top.staff == voice.clerk_a
    assert Rating.objects.count() == 21


def test_eval_1__normal_month_raises_no_flag(voice):
    t0 = local(2026, 3, 2, 9, 0)
    for i in range(20):
        at = t0 + timedelta(minutes=3 * i)
        level = ["very_satisfied", "satisfied"][i % 2]
        staff, window = (voice.clerk_a, voice.window_a) if i % 4 < 2 else (voice.clerk_a2, voice.window_a2)
        rate(
            voice,
            voice.finished_ticket(window=window, staff=staff, at=at),
            level,
            at=at,
            device=f"PAD-{window.pk}",
        )
    assert services.scan_ratings(centre_id=voice.centre.pk, month=date(2026, 3, 1)) == []
    assert not ManipulationFlag.objects.exists()


def test_eval_1__scan_is_idempotent(voice):
    services.submit_rating(
        centre_id=voice.centre.pk, level="satisfied", at=local(2026, 3, 2, 9, 0), source="import"
    )
    services.scan_ratings(centre_id=voice.centre.pk, month=date(2026, 3, 1))
    services.scan_ratings(centre_id=voice.centre.pk, month=date(2026, 3, 1))
    assert ManipulationFlag.objects.count() == 1


# -- EVAL-7 ranking -----------------------------------------------------------------------------------------


def test_eval_7__window_last_two_months_running_is_listed_for_a_talk(voice):
    for month in (2, 3):
        for i in range(4):
            at = local(2026, month, 3, 9, 10 * i)
            rate(voice, voice.finished_ticket(window=voice.window_a, at=at), "very_satisfied", at=at)
            t = voice.finished_ticket(window=voice.window_b, staff=voice.clerk_b, at=at)
            rate(voice, t, "dissatisfied" if i < 2 else "satisfied", at=at)
    ranking = selectors.window_ranking(centre_id=voice.centre.pk, month=date(2026, 3, 1))
    assert [r.window for r in ranking] == [voice.window_a, voice.window_b]
    assert selectors.talk_windows(centre_id=voice.centre.pk, month=date(2026, 3, 1)) == {voice.window_b}
    assert selectors.talk_windows(centre_id=voice.centre.pk, month=date(2026, 2, 1)) == set()


# -- EVAL-2 complaints -----------------------------------------------------------------------------------


def test_eval_2__valid_complaint_through_five_steps_records_an_accountability_event(voice):
    t0 = local(2025, 9, 29, 10, 0)
    c = services.file_complaint(
        centre_id=voice.centre.pk,
        channel="web",
        content="1号窗口工作人员态度恶劣",
        name="刘先生",
        phone="13712345678",
        at=t0,
    )
    assert c.step == "accept"
    assert c.step_due_on == date(2025, 9, 30)  # 1 working day
    assert len(c.tracking_code) == 10
    with pytest.raises(Forbidden):
        services.advance_complaint(complaint_id=c.pk, actor=voice.chief_a)
    c = services.advance_complaint(complaint_id=c.pk, actor=voice.supervisor, note="已受理", at=t0)
    assert c.step == "investigate"
    assert c.step_due_on == date(2025, 10, 13)  # 5 working days: 30 Sep, 9, 10, 11 (make-up), 13 Oct
    with pytest.raises(InputError):
        services.advance_complaint(complaint_id=c.pk, actor=voice.supervisor)  # findings missing
    c = services.advance_complaint(
        complaint_id=c.pk,
        actor=voice.supervisor,
        findings="调取录像，属实",
        staff_id=voice.clerk_a.pk,
        window_id=voice.window_a.pk,
    )
    assert c.unit == voice.unit_a
    with pytest.raises(InputError):
        services.advance_complaint(complaint_id=c.pk, actor=voice.supervisor, outcome="valid")  # no reason
    assert not AccountabilityEvent.objects.exists()
    c = services.advance_complaint(
        complaint_id=c.pk,
        actor=voice.supervisor,
        outcome="valid",
        outcome_reason="服务态度问题属实",
        measures="批评教育",
    )
    event = AccountabilityEvent.objects.get()
    assert (event.kind, event.rule, event.staff, event.unit, event.window) == (
        "complaint",
        "EVAL-2",
        voice.clerk_a,
        voice.unit_a,
        voice.window_a,
    )
    assert event.occurred_on == date(2025, 9, 29)
    assert event.source_type == "evaluation.complaint"
    assert event.source_id == str(c.pk)
    c = services.advance_complaint(complaint_id=c.pk, actor=voice.supervisor, feedback="已电话告知处理结果")
    assert c.step == "archive"
    c = services.advance_complaint(complaint_id=c.pk, actor=voice.supervisor)
    assert c.step == "done"
    assert c.archived_at is not None
    steps = list(ComplaintStep.objects.filter(complaint=c).values_list("step", flat=True))
    assert steps == ["accept", "investigate", "handle", "feedback", "archive"]
    assert all(s.completed_at for s in ComplaintStep.objects.filter(complaint=c))
    with pytest.raises(RuleViolation):
        services.advance_complaint(complaint_id=c.pk, actor=voice.supervisor)
    assert AccountabilityEvent.objects.count() == 1
    progress = selectors.complaint_progress(tracking_code=c.tracking_code, code="5678")
    assert progress.outcome == "有效投诉"
    assert progress.complainant == "刘**"
    assert selectors.complaint_progress(tracking_code=c.tracking_code, code="0000") is None


def test_eval_2__invalid_complaint_records_no_event(voice):
    c = services.file_complaint(
        centre_id=voice.centre.pk, channel="hall_office", content="排队太久", actor=voice.supervisor
    )
    for kwargs in (
        {},
        {"findings": "高峰期，正常等候"},
        {"outcome": "invalid", "outcome_reason": "未违反规定"},
    ):
        c = services.advance_complaint(complaint_id=c.pk, actor=voice.supervisor, **kwargs)
    assert c.step == "feedback"
    assert not AccountabilityEvent.objects.exists()


def test_eval_2__bad_input_writes_nothing(voice):
    with pytest.raises(InputError):
        services.file_complaint(centre_id=voice.centre.pk, channel="web", content="  ")
    with pytest.raises(InputError):
        services.file_complaint(centre_id=voice.centre.pk, channel="fax", content="x")
    assert not Complaint.objects.exists()


# -- ASK-2 suggestion box and call-backs -----------------------------------------------------------------


def test_ask_2__suggestion_with_phone_gets_a_reply_date_and_a_reply(voice):
    s = services.submit_suggestion(
        centre_id=voice.centre.pk,
        channel="web",
        content="希望增加午间服务",
        phone="13800000000",
        at=local(2026, 3, 2, 9),
    )
    assert s.reply_due_on == date(2026, 3, 9)
    with pytest.raises(Forbidden):
        services.reply_suggestion(suggestion_id=s.pk, actor=voice.clerk_a, reply="x")
    services.reply_suggestion(
        suggestion_id=s.pk, actor=voice.supervisor, reply="已开通午间延时服务", adopted=True
    )
    assert Suggestion.objects.get().adopted


def test_ask_2__citizen_not_served_because_of_machine_failure_is_called_back(voice):
    entry = services.record_unserved(
        actor=voice.clerk_a,
        window_id=voice.window_a.pk,
        reason="machine",
        business="营业执照打印",
        name="赵女士",
        phone="139-0000-1111",
        at=local(2025, 9, 30, 15),
    )
    assert entry.due_on == date(2025, 10, 10)  # 2 working days after the National Day holiday
    with pytest.raises(Forbidden):
        services.record_unserved_outcome(entry_id=entry.pk, actor=voice.clerk_b, outcome="served")
    services.record_unserved_outcome(
        entry_id=entry.pk, actor=voice.clerk_a, outcome="served", note="已约次日办理"
    )
    assert UnservedCallback.objects.get().outcome == "served"
