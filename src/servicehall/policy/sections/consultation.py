"""Policy section `consultation` (咨询, 首问负责制): ASK-1..3 — channels and the reply promise."""

from __future__ import annotations

from typing import Literal

from servicehall.policy.base import StrictModel, rule_field

Channel = Literal["on_site", "phone", "web", "video"]


class ConsultationPolicy(StrictModel):
    """First-inquiry responsibility and the inquiry log."""

    channels: list[Channel] = rule_field(
        lambda: ["on_site", "phone", "web", "video"],
        rule="ASK-3",
        doc="Consultation channels offered: on_site 现场, phone 电话, web 网上, video 视频",
        min_length=1,
    )
    reply_promise_working_days: int = rule_field(
        1,
        rule="ASK-2",
        doc="Default promised reply time for a question not answered on the spot (working days)",
        ge=0,
    )
    max_reply_promise_working_days: int = rule_field(
        5, rule="ASK-2", doc="A promised reply time may not be later than this many working days", ge=0
    )
    referral_needs_location: bool = rule_field(
        True, rule="ASK-1", doc="A referral must name the target window and its exact location"
    )
