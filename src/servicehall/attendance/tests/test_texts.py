"""The evidence texts staff read (说明): Chinese `detail_zh` with the rule ID, English `detail` unchanged."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest

from servicehall.attendance.rules import Event
from servicehall.attendance.tests.test_rules import DAY, ISO_DAY, late_days, leave, on, run, working_days
from servicehall.policy.sections.attendance import AttendancePolicy


def zh_of(result, rule: str) -> list[str]:
    return [e.detail_zh for e in result.events if e.rule == rule]


def test_att_3__late__chinese_text_with_rule_id():
    r = run(on(DAY, time(8, 41), time(12, 0), time(14, 30), time(18, 0)))
    [event] = r.events
    assert event.detail_zh == "上班打卡 08:41，迟到 11 分钟 (ATT-3)"
    assert event.detail == "in-punch 08:41, 11 min late"


def test_att_3__late_by_seconds__minutes_and_seconds_in_chinese():
    r = run(on(DAY, time(8, 35, 1), time(12, 0), time(14, 30), time(18, 0)))
    assert zh_of(r, "ATT-3") == ["上班打卡 08:35:01，迟到 5 分 1 秒 (ATT-3)"]


def test_att_3__early_leave__chinese_text():
    r = run(on(DAY, time(8, 30), time(12, 0), time(14, 30), time(17, 55)))
    assert zh_of(r, "ATT-3") == ["下班打卡 17:55，早退 5 分钟 (ATT-3)"]


def test_att_4__four_lates__chinese_month_finding():
    r = run(late_days(4))
    assert zh_of(r, "ATT-4") == ["本月迟到、早退累计 4 次（满 4 次计旷工）：旷工半天 (ATT-4)"]


def test_att_5__late_an_hour__chinese_absence_text():
    r = run(on(DAY, time(9, 30), time(12, 0), time(14, 30), time(18, 0)))
    assert zh_of(r, "ATT-5") == ["上班打卡 09:30，迟到 60 分钟：旷工半天 (ATT-5)"]


def test_att_5__off_post_over_limit__chinese_text_with_notes():
    recs = [
        {"staff_id": "S1", "date": DAY, "minutes": 70, "note": "上午巡查"},
        {"staff_id": "S1", "date": DAY, "minutes": 51, "note": "下午巡查"},
    ]
    r = run(off_post=recs)
    assert zh_of(r, "ATT-5") == ["脱岗 121 分钟（上限 120 分钟）（上午巡查; 下午巡查）：旷工半天 (ATT-5)"]


def test_att_6__missed_in_and_out_punch__chinese_text():
    r = run(on(DAY, time(12, 1), time(14, 30)))
    assert zh_of(r, "ATT-6") == [
        "漏打上班卡（上班时间 08:30） (ATT-6)",
        "漏打下班卡（下班时间 18:00） (ATT-6)",
    ]


def test_att_6__four_missed_punches__chinese_month_finding():
    days = working_days()[:4]
    r = run({d: (time(8, 30), time(12, 0), time(14, 30)) for d in days})
    assert zh_of(r, "ATT-6")[-1] == "本月漏打卡 4 次（达到 4 次档）：旷工半天 (ATT-6)"


def test_att_7__strict_reading__chinese_text():
    strict = AttendancePolicy(single_punch_is_absence=True)
    r = run(on(DAY, time(8, 30), time(14, 30), time(18, 0)), policy=strict)
    assert zh_of(r, "ATT-7") == ["有上班打卡、无下班打卡：旷工半天 (ATT-7)"]


def test_att_8__no_punch__chinese_text():
    r = run(on(DAY))
    assert zh_of(r, "ATT-8") == ["无打卡且无已批准请假：旷工半天 (ATT-8)"] * 2


def test_att_8__pending_leave__chinese_text_says_it_excuses_nothing():
    r = run(on(DAY), leaves=[leave(status="pending")])
    assert zh_of(r, "ATT-8")[0] == "无打卡且无已批准请假（事假尚在审批中，不能免除打卡）：旷工半天 (ATT-8)"


def test_att_8__approved_leave__chinese_note():
    r = run(on(DAY), leaves=[leave()])
    assert zh_of(r, "ATT-8") == [f"已批准事假 {ISO_DAY}：本月免打卡 1 个工作日 (ATT-8)"]


def test_leave_3__uncertified_sick_leave__chinese_text():
    nxt = DAY + timedelta(days=1)
    r = run({DAY: (), nxt: ()}, leaves=[leave(kind="sick", end=nxt.isoformat(), certificate="no")])
    assert zh_of(r, "LEAVE-3") == ["病假 2 个工作日未提供诊断证明书，按事假计 (LEAVE-3)"]


def test_att_11__missed_study__chinese_text():
    r = run(off_post=[{"staff_id": "S1", "date": date(2026, 3, 10), "kind": "study_missed"}])
    assert zh_of(r, "ATT-11") == ["无故不参加集中学习：按旷工半天处理 (ATT-11)"]


def test_every_event_text__chinese_carries_no_english_words():
    """Whatever a busy month produces, the Chinese text is Chinese (times and the rule ID aside)."""
    days = working_days()
    r = run(
        {
            days[0]: (time(8, 41), time(12, 0), time(14, 30), time(17, 50)),
            days[1]: (time(9, 40), time(12, 0)),
            days[2]: (time(8, 50),),
            days[3]: (),
            days[4]: (time(8, 45), time(12, 0), time(14, 30), time(18, 0)),
        },
        leaves=[leave(start=days[5].isoformat(), end=days[6].isoformat(), kind="sick")],
        off_post=[{"staff_id": "S1", "date": days[7], "minutes": 200, "note": "离岗"}],
    )
    assert {e.rule for e in r.events} >= {"ATT-3", "ATT-4", "ATT-5", "ATT-6", "ATT-8", "LEAVE-3"}
    for e in r.events:
        body, _, rule = e.detail_zh.rpartition(" (")
        assert rule == f"{e.rule})"
        assert not re.search(r"[A-Za-z]", body), e.detail_zh


def test_json_shape__plain_events_keep_their_four_keys():
    r = run(on(DAY, time(8, 41), time(12, 0), time(14, 30), time(18, 0)))
    assert set(r.as_dict()["events"][0]) == {"date", "session", "rule", "detail"}
    zh = r.as_dict(zh=True)["events"][0]
    assert zh["detail"] == "in-punch 08:41, 11 min late"
    assert zh["detail_zh"] == "上班打卡 08:41，迟到 11 分钟 (ATT-3)"


@pytest.mark.parametrize(("days", "text"), [(0.5, "旷工半天"), (1.0, "旷工一天"), (1.5, "旷工 1.5 天")])
def test_att_8__absence_days__said_in_chinese(days: float, text: str):
    event = Event(DAY, "AM", "ATT-8", "no_punch", (days,), days)
    assert event.detail_zh == f"无打卡且无已批准请假：{text} (ATT-8)"
