"""Policy section `attendance` (考勤, ATT-* rules).

Every number the attendance engine (`servicehall.attendance.rules`) uses is a field here.
Defaults are the 篇2 county-centre values (seed 002 篇2 §七, 篇1 §六).
"""

from __future__ import annotations

import itertools
from datetime import time
from typing import Any, Literal

from pydantic import field_validator, model_validator

from servicehall.policy.base import StrictModel, rule_field

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _time_value(value: Any) -> Any:
    # YAML 1.1 reads an unquoted 14:30 as the base-60 integer 870; refuse it clearly.
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError("write times as quoted strings, e.g. '14:30'")
    return value


class ServiceSession(StrictModel):
    """One service session (上午/下午班): an in-punch before `start`, an out-punch after `end` (ATT-2)."""

    code: str = rule_field(
        rule="ATT-1", doc="Short session code used in evidence, e.g. AM or PM", min_length=1
    )
    start: time = rule_field(rule="ATT-1", doc="Session start (上班时间), e.g. '08:30'")
    end: time = rule_field(rule="ATT-1", doc="Session end (下班时间), e.g. '12:00'")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _no_int_times(cls, value: Any) -> Any:
        return _time_value(value)

    @model_validator(mode="after")
    def _ordered(self) -> ServiceSession:
        if self.end <= self.start:
            raise ValueError(
                f"session {self.code}: end {self.end:%H:%M} must be after start {self.start:%H:%M} (ATT-1)"
            )
        return self


def _default_sessions() -> list[ServiceSession]:
    # 002 篇2 §七(一).1: 上午8:30—12:00，下午14:30—18:00
    return [
        ServiceSession(code="AM", start=time(8, 30), end=time(12, 0)),
        ServiceSession(code="PM", start=time(14, 30), end=time(18, 0)),
    ]


class MissedPunchStep(StrictModel):
    """A row of the missed-punch table (漏打卡): `count` or more in a month → `absence_days` (ATT-6)."""

    count: int = rule_field(rule="ATT-6", doc="Missed punches in the month (at least)", ge=1)
    absence_days: float = rule_field(rule="ATT-6", doc="Days of absence (旷工) this count is worth", gt=0)


def _default_missed_table() -> list[MissedPunchStep]:
    # 002 篇2 §七(二).10(7): 漏打卡4次按旷工半天，8次按旷工1天
    return [MissedPunchStep(count=4, absence_days=0.5), MissedPunchStep(count=8, absence_days=1.0)]


class WeeklyMeeting(StrictModel):
    """The weekly meeting (例会, 002 篇1 §九.2): recorded with attendance; the seeds set no penalty (ATT-11)."""

    enabled: bool = rule_field(True, rule="ATT-11", doc="Whether the centre holds a weekly meeting")
    weekday: Weekday = rule_field("tue", rule="ATT-11", doc="Meeting day (002 篇1 §九: Tuesday)")
    start: time = rule_field("08:30", rule="ATT-11", doc="Meeting start time")
    absence_days: float = rule_field(
        0,
        rule="ATT-11",
        doc="Absence for missing it without leave: 0 = recorded only, as in the seeds (the half day of "
        "篇1 §九.3 is for study); a centre whose own rule penalises the meeting sets it here",
        ge=0,
    )
    chief_reps_absence_days: float = rule_field(
        0,
        rule="ATT-11",
        doc="Absence for a chief representative missing the chief representatives' meeting "
        "(窗口例会制度, 002 篇6 §13): 0 = recorded only",
        ge=0,
    )

    @field_validator("start", mode="before")
    @classmethod
    def _no_int_time(cls, value: Any) -> Any:
        return _time_value(value)


class StudySessions(StrictModel):
    """The centre's study sessions with roll-call (集中学习点名, 002 篇1 §九.3) and training (篇6 §28)."""

    enabled: bool = rule_field(True, rule="ATT-11", doc="The centre organises study sessions with roll-call")
    absence_days: float = rule_field(
        0.5, rule="ATT-11", doc="Missing a study session without leave (无故不参加学习的按旷工半天处理)", ge=0
    )
    notebook_check_every: Literal["month", "quarter", "half_year", "year"] = rule_field(
        "quarter", rule="ATT-11", doc="Spot check of the study notebooks (统一的学习笔记本, 每季度进行抽查)"
    )
    training_every: Literal["month", "quarter", "half_year", "year"] = rule_field(
        "quarter",
        rule="ATT-11",
        doc="Training or activity for all staff (每季度组织全体工作人员开展一次培训或活动, 002 篇6 §28)",
    )
    counts_in_assessment: bool = rule_field(
        True, rule="ATT-11", doc="Monthly study attendance feeds the annual assessment (纳入年终考核考评)"
    )


class AttendancePolicy(StrictModel):
    """Service hours, punch rules and the absence arithmetic of ATT-1..11."""

    sessions: list[ServiceSession] = rule_field(
        _default_sessions,
        rule="ATT-1",
        doc="Service sessions of a working day (one or two), in order",
        min_length=1,
        max_length=2,
    )
    weekday_sessions: dict[Weekday, list[ServiceSession]] = rule_field(
        lambda: {},
        rule="ATT-1",
        doc="Per-weekday override of `sessions` (e.g. a Saturday with one session); "
        "an empty list means no service on that weekday even when it is a working day",
    )
    prep_minutes: int = rule_field(
        10, rule="ATT-1", doc="Arrive this many minutes before start to prepare (到岗准备)", ge=0
    )
    punch_window_minutes: int | None = rule_field(
        None,
        rule="ATT-2",
        doc="A punch belongs to the nearest punch point of its day; punches farther than this from "
        "every point are ignored as stray (None = no limit)",
        ge=1,
    )
    duplicate_collapse_minutes: int = rule_field(
        3,
        rule="ATT-2",
        doc="Punches of one person within this many minutes of the previous one collapse into the first",
        ge=0,
    )
    late_after_minutes: int = rule_field(
        5, rule="ATT-3", doc="Late (迟到) = first in-punch MORE THAN this many minutes after start", ge=0
    )
    early_leave_minutes: int = rule_field(
        5, rule="ATT-3", doc="Early leave (早退) = out-punch this many minutes OR MORE before end", ge=1
    )
    late_half_day_minutes: int = rule_field(
        60,
        rule="ATT-5",
        doc="A late of this many minutes or more counts as half a day of absence instead of a late",
        ge=1,
    )
    late_half_day_absence_days: float = rule_field(
        0.5, rule="ATT-5", doc="Absence for a late over `late_half_day_minutes`", ge=0
    )
    off_post_half_day_minutes: int = rule_field(
        120,
        rule="ATT-5",
        doc="Off-post time (脱岗) recorded by inspection MORE THAN this many minutes in a day → absence",
        ge=0,
    )
    off_post_absence_days: float = rule_field(
        0.5, rule="ATT-5", doc="Absence for off-post over the limit", ge=0
    )
    cumulative_threshold: int = rule_field(
        4, rule="ATT-4", doc="Lates + early leaves in a month at least this many → absence", ge=1
    )
    cumulative_absence_days: float = rule_field(
        0.5, rule="ATT-4", doc="Absence for reaching `cumulative_threshold`", ge=0
    )
    cumulative_every_group: bool = rule_field(
        False,
        rule="ATT-4",
        doc="False: once per month; True: every further complete group of `cumulative_threshold` counts again",
    )
    missed_punch_table: list[MissedPunchStep] = rule_field(
        _default_missed_table,
        rule="ATT-6",
        doc="Missed punches per month → absence days; the highest step reached applies",
    )
    single_punch_is_absence: bool = rule_field(
        False,
        rule="ATT-7",
        doc="Strict reading: a session with only one of its two punches is half a day of absence "
        "(instead of one missed punch)",
    )
    no_punch_session_absence_days: float = rule_field(
        0.5, rule="ATT-8", doc="A session with no punch and no approved leave covering it", ge=0
    )
    lunch_response_minutes: int = rule_field(
        10, rule="ATT-9", doc="On-duty staff reach the window within this many minutes at lunch", ge=0
    )
    weekly_notice_weekday: Weekday = rule_field(
        "mon", rule="ATT-10", doc="Day the weekly notice (周通报) is issued"
    )
    weekly_meeting: WeeklyMeeting = rule_field(
        lambda: WeeklyMeeting(), rule="ATT-11", doc="Weekly meeting (例会) and chief representatives' meeting"
    )
    study_sessions: StudySessions = rule_field(
        lambda: StudySessions(), rule="ATT-11", doc="Study sessions with roll-call (集中学习) and training"
    )

    @model_validator(mode="after")
    def _check(self) -> AttendancePolicy:
        for label, sessions in [("sessions", self.sessions), *self.weekday_sessions.items()]:
            if len(sessions) > 2:
                raise ValueError(f"{label}: at most two sessions a day (ATT-1)")
            for first, second in itertools.pairwise(sessions):
                if second.start < first.end:
                    raise ValueError(
                        f"{label}: session {second.code} starts before {first.code} ends (ATT-1)"
                    )
            codes = [s.code for s in sessions]
            if len(set(codes)) != len(codes):
                raise ValueError(f"{label}: session codes must differ (ATT-1)")
        counts = [step.count for step in self.missed_punch_table]
        if counts != sorted(set(counts)):
            raise ValueError("missed_punch_table: counts must be strictly increasing (ATT-6)")
        if self.late_half_day_minutes <= self.late_after_minutes:
            raise ValueError("late_half_day_minutes must exceed late_after_minutes (ATT-3, ATT-5)")
        return self

    def sessions_for(self, weekday: int) -> list[ServiceSession]:
        """Sessions of a working day; `weekday` is Python's (Monday = 0)."""
        sessions: list[ServiceSession] = self.weekday_sessions.get(WEEKDAYS[weekday], self.sessions)  # type: ignore[call-overload]
        return sessions
