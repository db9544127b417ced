"""The electronic queue (电子排队叫号, Q-1..Q-4): service lines, tickets, appointments and hall events.

Numbers come from a per-line-per-day counter row that is locked while a number is taken, and
`Ticket(line, day, seq)` is unique, so a number is never issued twice (Q-1).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models

from servicehall.catalog.models import Item
from servicehall.org.models import Centre, CentreScoped, Staff, Window


class ServiceLine(CentreScoped):
    """A service line (业务队列): catalogue items served by a set of windows, numbered with a prefix (A001)."""

    name = models.CharField("队列名称", max_length=80)
    prefix = models.CharField("号码前缀", max_length=3, help_text="1–3 capital letters, e.g. A")
    items = models.ManyToManyField(Item, blank=True, related_name="service_lines", verbose_name="事项")
    windows = models.ManyToManyField(
        Window, through="LineWindow", related_name="service_lines", verbose_name="服务窗口"
    )
    position = models.PositiveSmallIntegerField("排序", default=1)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["centre", "position", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "prefix"], name="line_prefix_unique_in_centre")
        ]
        verbose_name = verbose_name_plural = "业务队列"

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"


class LineWindow(models.Model):
    """A window serving a line. Lower `order` is served first; `weight` scales waiting time within one order."""

    line = models.ForeignKey(ServiceLine, on_delete=models.CASCADE, related_name="line_windows")
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="line_windows")
    order = models.PositiveSmallIntegerField("优先顺序", default=1)
    weight = models.FloatField("权重", default=1.0)

    class Meta:
        ordering = ["window", "order", "line"]
        constraints = [models.UniqueConstraint(fields=["line", "window"], name="line_window_unique")]
        verbose_name = verbose_name_plural = "窗口服务队列"

    def __str__(self) -> str:
        return f"{self.window} → {self.line} (顺序 {self.order}, 权重 {self.weight})"


class LineDayCounter(models.Model):
    """The last number taken on a line on a day; locked (SELECT ... FOR UPDATE) while a number is issued."""

    line = models.ForeignKey(ServiceLine, on_delete=models.CASCADE, related_name="counters")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["line", "day"], name="line_day_counter_unique")]

    def __str__(self) -> str:
        return f"{self.line} {self.day}: {self.last}"


class WindowState(models.Model):
    """Per-window calling state: the ticket in hand and the run of consecutive priority calls (Q-3 cap)."""

    window = models.OneToOneField(
        Window, on_delete=models.CASCADE, primary_key=True, related_name="queue_state"
    )
    priority_streak = models.PositiveIntegerField(default=0)
    current_ticket = models.ForeignKey(
        "Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.window_id}: streak {self.priority_streak}"


class Ticket(CentreScoped):
    """A queue number (排队号, Q-1). `queued_at` orders the queue; a transfer keeps it, a skip may move it."""

    class Status(models.TextChoices):
        WAITING = "waiting", "等候中"
        CALLED = "called", "办理中"
        FINISHED = "finished", "已办结"
        NO_SHOW = "no_show", "过号"
        ABANDONED = "abandoned", "未办理离开"

    class Basis(models.TextChoices):
        NONE = "", "—"
        ID_NUMBER = "id_number", "身份证号核验"
        STAFF = "staff", "工作人员确认"
        APPOINTMENT = "appointment", "预约签到"

    line = models.ForeignKey(
        ServiceLine, on_delete=models.PROTECT, related_name="tickets", verbose_name="队列"
    )
    # The line that gave the number; `line` changes on a transfer, the number does not.
    issued_line = models.ForeignKey(
        ServiceLine, on_delete=models.PROTECT, related_name="+", verbose_name="取号队列"
    )
    day = models.DateField("日期", db_index=True)
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("号码", max_length=12)
    items = models.ManyToManyField(Item, blank=True, related_name="tickets", verbose_name="事项")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.WAITING)
    priority = models.CharField("优先类别", max_length=20, blank=True, default="")
    priority_basis = models.CharField(
        "优先依据", max_length=12, choices=Basis.choices, blank=True, default=""
    )
    priority_confirmed_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="确认人"
    )
    issued_at = models.DateTimeField("取号时间")
    queued_at = models.DateTimeField("排队时间", db_index=True)
    first_called_at = models.DateTimeField("首次叫号", null=True, blank=True)
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    window = models.ForeignKey(
        Window,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name="办理窗口",
    )
    staff = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="queue_tickets",
        verbose_name="办理人",
    )
    target_window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="转至窗口"
    )
    skip_count = models.PositiveSmallIntegerField("过号次数", default=0)
    recall_count = models.PositiveSmallIntegerField("重呼次数", default=0)
    transfer_count = models.PositiveSmallIntegerField("转移次数", default=0)
    people_ahead_at_issue = models.PositiveIntegerField("取号时前面人数", default=0)
    estimated_wait_minutes = models.FloatField("取号时预计等候(分钟)", null=True, blank=True)
    case_id = models.BigIntegerField("办件编号", null=True, blank=True)

    # The item a service already read with the ticket (a kiosk slip, a call), kept in a list as a
    # prefetch with `to_attr` would: `item_list` then answers without building the relation's query.
    _items_read: list[Item] | None = None

    class Meta:
        ordering = ["day", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issued_line", "day", "seq"], name="ticket_number_unique_per_day")
        ]
        indexes = [models.Index(fields=["line", "status", "queued_at"], name="ticket_queue_idx")]
        verbose_name = verbose_name_plural = "排队号"

    def __str__(self) -> str:
        return f"{self.number} ({self.day})"

    @property
    def is_priority(self) -> bool:
        return bool(self.priority)

    def item_list(self) -> list[Item]:
        """The ticket's items, in Item's order."""
        return list(self.items.all()) if self._items_read is None else self._items_read

    def remember_items(self, items: Sequence[Item]) -> None:
        """Keep the items a service read with the ticket, for `item_list`. At most one: with more, their
        order would have to be Item's ordering, which the relation's query applies."""
        if len(items) > 1:
            raise ValueError("remember_items keeps at most one item")
        self._items_read = list(items)


class QueueEvent(models.Model):
    """Something the hall display shows or says: a call, a recall, a pause (ORG-6), waiting counts changed."""

    class Kind(models.TextChoices):
        ISSUE = "issue", "取号"
        CALL = "call", "叫号"
        RECALL = "recall", "重呼"
        SKIP = "skip", "过号"
        TRANSFER = "transfer", "转移"
        FINISH = "finish", "办结"
        PAUSE = "pause", "暂停服务"
        RESUME = "resume", "恢复服务"
        ABANDON = "abandon", "未办离开"
        NO_SHOW = "no_show", "预约爽约"

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="queue_events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["centre", "id"], name="queue_event_centre_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class Appointment(CentreScoped):
    """A booked slot (预约, Q-2): checked in at the kiosk it becomes a priority ticket; otherwise a no-show."""

    class Kind(models.TextChoices):
        WINDOW = "window", "窗口预约"
        ASSISTED = "assisted", "帮办代办"
        HOME_VISIT = "home_visit", "上门服务"

    class Status(models.TextChoices):
        BOOKED = "booked", "已预约"
        CHECKED_IN = "checked_in", "已签到"
        NO_SHOW = "no_show", "爽约"
        CANCELLED = "cancelled", "已取消"

    line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, related_name="appointments")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    day = models.DateField("预约日期")
    slot_start = models.TimeField("时段开始")
    code = models.CharField("预约码", max_length=8, unique=True)
    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.BOOKED)
    kind = models.CharField("预约类型", max_length=12, choices=Kind.choices, default=Kind.WINDOW)
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "slot_start", "id"]
        indexes = [
            models.Index(fields=["line", "day", "slot_start"], name="appointment_slot_idx"),
        ]
        verbose_name = verbose_name_plural = "预约"

    def __str__(self) -> str:
        return f"{self.code} {self.day} {self.slot_start:%H:%M}"


# Home visits and assisted service live in their own module; imported here so Django finds the models.
from servicehall.queue.visit_models import AssistRecord, HomeVisit  # noqa: E402

__all__ = ["Appointment", "AssistRecord", "HomeVisit", "LineDayCounter", "LineWindow", "QueueEvent",
           "ServiceLine", "Ticket", "WindowState"]  # fmt: skip
