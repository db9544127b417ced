"""Policy section `queue` (排队叫号): Q-1..Q-4 with ORG-6, LANG-2 and CASE-11 where the queue touches them."""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import Field, field_validator, model_validator

from servicehall.policy.base import StrictModel, rule_field

PriorityCode = Literal["elderly", "disabled", "appointment", "green_channel"]


class PriorityGroup(StrictModel):
    """A group served before ordinary visitors (优先群体, Q-2; green channel 绿色通道, CASE-11)."""

    code: PriorityCode = Field(description="elderly | disabled | appointment | green_channel")
    label: str = Field(min_length=1, description="Shown on the ticket and the window page, e.g. 70岁以上老人")
    needs_staff_confirmation: bool = Field(
        True, description="Only staff may grant it (the kiosk cannot), except elderly proven by ID number"
    )


class ServicePeriod(StrictModel):
    """One opening period of a day, e.g. 08:30–12:00."""

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> ServicePeriod:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


def _default_groups() -> list[PriorityGroup]:
    return [
        PriorityGroup(code="elderly", label="70岁以上老人", needs_staff_confirmation=False),
        PriorityGroup(code="disabled", label="残疾人"),
        PriorityGroup(code="appointment", label="预约办理", needs_staff_confirmation=False),
        PriorityGroup(code="green_channel", label="绿色通道(急事急办)"),
    ]


def _default_periods() -> list[ServicePeriod]:
    return [
        ServicePeriod(start=time(8, 30), end=time(12, 0)),
        ServicePeriod(start=time(14, 30), end=time(18, 0)),
    ]


class QueuePolicy(StrictModel):
    """Numbering, calling order, appointments and the hall display of the electronic queue (Q-1..Q-4)."""

    # -- numbering (Q-1) ----------------------------------------------------------------------------
    number_digits: int = rule_field(
        3, rule="Q-1", doc="Digits after the line prefix: 3 gives A001", ge=2, le=6
    )
    daily_reset: bool = rule_field(
        True, rule="Q-1", doc="Numbers restart at 1 every day (per line); off = one running counter per line"
    )
    # -- priority (Q-2, Q-3, CASE-11) -----------------------------------------------------------------
    elderly_min_age: int = rule_field(
        70,
        rule="Q-2",
        doc="Age (on the day of the ticket) from which a visitor is served first",
        ge=50,
        le=100,
    )
    priority_groups: list[PriorityGroup] = rule_field(
        _default_groups, rule="Q-2", doc="Groups served before ordinary visitors; remove one to disable it"
    )
    starvation_cap: int = rule_field(
        3,
        rule="Q-3",
        doc="After this many consecutive priority calls at a window, the next call serves the oldest "
        "ordinary ticket if one waits (0 = priority always first)",
        ge=0,
        le=50,
    )
    no_show_returns: int = rule_field(
        1,
        rule="Q-1",
        doc="How many times a skipped (过号) ticket goes back to the queue before it is closed",
        ge=0,
        le=5,
    )
    no_show_requeue: Literal["end", "original"] = rule_field(
        "end",
        rule="Q-1",
        doc="A returned ticket joins the end of its class (end) or keeps its place (original)",
    )
    call_next_finishes_current: bool = rule_field(
        True, rule="Q-1", doc="Calling the next number closes the window's current ticket as finished"
    )
    # -- appointments (Q-2 weekend appointments) -------------------------------------------------------
    appointment_slot_minutes: int = rule_field(
        30, rule="Q-2", doc="Length of one appointment slot", ge=5, le=240
    )
    appointment_slot_capacity: int = rule_field(
        4, rule="Q-2", doc="Appointments per slot and service line", ge=1, le=500
    )
    appointment_days_ahead: int = rule_field(
        7, rule="Q-2", doc="How many days ahead one can book", ge=0, le=90
    )
    appointments_per_phone_per_day: int = rule_field(
        2,
        rule="Q-2",
        doc="Slots one phone number may hold on one day, so nobody books a whole day away",
        ge=1,
        le=50,
    )
    weekend_appointments: bool = rule_field(
        True, rule="Q-2", doc="Saturdays and Sundays can be booked (周末预约服务)"
    )
    appointment_periods: list[ServicePeriod] = rule_field(
        _default_periods, rule="Q-2", doc="Bookable periods of a day", min_length=1
    )
    checkin_early_minutes: int = rule_field(
        30, rule="Q-2", doc="Check-in at the kiosk opens this long before the slot", ge=0, le=240
    )
    checkin_late_minutes: int = rule_field(
        15, rule="Q-2", doc="After slot start + this, the appointment is a no-show (爽约)", ge=0, le=240
    )
    # -- wait estimate and crowding (Q-4) ---------------------------------------------------------------
    default_service_minutes: float = rule_field(
        8.0, rule="Q-4", doc="Mean service time used until enough tickets were served today", gt=0, le=240
    )
    estimate_history_minutes: int = rule_field(
        120, rule="Q-4", doc="Service times of this recent window feed the wait estimate", ge=10, le=1440
    )
    rest_area_wait_minutes: int = rule_field(
        30, rule="Q-4", doc="From this estimated wait the ticket invites the visitor to the rest area", ge=1
    )
    crowding_waiting_count: int = rule_field(
        40, rule="Q-4", doc="From this many waiting visitors the display asks everyone to keep order", ge=1
    )
    # -- hall display and voice (LANG-2) ---------------------------------------------------------------
    announcement: str = rule_field(
        "请 {number} 号到 {window} 号窗口办理",
        rule="LANG-2",
        doc="Spoken and shown for every call; {number} and {window} are filled in; must be polite (请)",
    )
    announce_times: int = rule_field(
        1, rule="Q-1", doc="How often each call is spoken (a recall repeats it)", ge=1, le=3
    )
    display_recent_calls: int = rule_field(
        8, rule="Q-1", doc="Called numbers listed on the hall display", ge=1, le=30
    )
    display_notice: str = rule_field(
        "您好，请取号后在等候区休息，听到叫号后到指定窗口办理，谢谢！",
        rule="Q-4",
        doc="Scrolling notice of the hall display",
    )
    crowding_notice: str = rule_field(
        "办事群众较多，请您自觉遵守秩序，耐心等候；等候时间较长的请到休息区休息，谢谢！",
        rule="Q-4",
        doc="Shown on the display instead of the usual notice when the hall is crowded",
    )
    # -- kiosk (Q-1) --------------------------------------------------------------------------------
    kiosk_auto_print: bool = rule_field(
        True,
        rule="Q-1",
        doc="The kiosk prints the ticket as soon as it is issued (browser print to the kiosk's printer)",
    )
    kiosk_reset_seconds: int = rule_field(
        20,
        rule="Q-1",
        doc="The ticket page returns to the kiosk's start screen after this many seconds, so the next visitor "
        "never sees the previous visitor's ticket",
        ge=5,
        le=300,
    )
    stream_seconds: int = rule_field(
        55, rule="Q-1", doc="A display's live stream is closed after this long and reconnects", ge=5, le=600
    )

    @field_validator("announcement")
    @classmethod
    def _polite_announcement(cls, value: str) -> str:
        if "{number}" not in value or "{window}" not in value:
            raise ValueError("must contain {number} and {window}")
        if "请" not in value:
            raise ValueError("must say 请 (LANG-2 courtesy)")
        return value

    @field_validator("priority_groups")
    @classmethod
    def _unique_groups(cls, value: list[PriorityGroup]) -> list[PriorityGroup]:
        codes = [g.code for g in value]
        if len(codes) != len(set(codes)):
            raise ValueError("each priority group may appear once")
        return value

    def group(self, code: str) -> PriorityGroup | None:
        return next((g for g in self.priority_groups if g.code == code), None)
