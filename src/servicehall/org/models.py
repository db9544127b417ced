"""Centres, stationed units, windows, staff and A/B posts (ORG-1..6)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils import timezone

from servicehall.core.roles import Role
from servicehall.org.rules import DEFAULT_MIN_POSTING_YEARS, PostingOrderError, check_ab_pair, check_posting


class Centre(models.Model):
    """A service centre (政务服务中心 / 便民服务中心). One installation may host several (ORG-1)."""

    class Kind(models.TextChoices):
        CITY = "city", "市级政务服务中心"
        COUNTY = "county", "县(区)级政务服务中心"
        TOWN = "town", "乡镇(街道)便民服务中心"
        VILLAGE = "village", "村(社区)便民服务站"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField("名称", max_length=120)
    kind = models.CharField("级别", max_length=16, choices=Kind.choices, default=Kind.COUNTY)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    complaint_phone = models.CharField("投诉电话", max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "服务中心"

    def __str__(self) -> str:
        return self.name


class CentreScoped(models.Model):
    """Everything a centre owns carries its centre, so every query can be scoped to it (ORG-1)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, verbose_name="服务中心")

    class Meta:
        abstract = True


class Unit(CentreScoped):
    """A stationed unit (窗口单位 / 进驻部门) with its chief representative (首席代表, ORG-1)."""

    name = models.CharField("单位名称", max_length=120)
    short_name = models.CharField("简称", max_length=40, blank=True)
    chief_rep = models.ForeignKey(
        "Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="首席代表"
    )
    phone = models.CharField("联系电话", max_length=40, blank=True)

    class Meta:
        ordering = ["centre", "id"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="unit_name_unique_in_centre")]
        verbose_name = verbose_name_plural = "窗口单位"

    def __str__(self) -> str:
        return self.short_name or self.name


class Window(CentreScoped):
    """A service window (窗口); a paused window shows its message and where to go instead (ORG-6)."""

    class Status(models.TextChoices):
        OPEN = "open", "服务中"
        PAUSED = "paused", "暂停服务"

    number = models.CharField("窗口号", max_length=16)
    name = models.CharField("窗口名称", max_length=120)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="windows", verbose_name="所属单位")
    business_scope = models.TextField("业务范围", blank=True)
    floor = models.CharField("楼层", max_length=20, blank=True)
    location = models.CharField("位置", max_length=120, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    paused_message = models.CharField("暂停服务提示", max_length=200, blank=True)
    redirect_window = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="请至窗口"
    )
    resume_at = models.DateTimeField("恢复服务时间", null=True, blank=True)

    class Meta:
        # window numbers are text: shorter first puts 2号 before 10号 in every pick-list
        ordering = ["centre", Length("number"), "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="window_number_unique_in_centre")
        ]
        verbose_name = verbose_name_plural = "窗口"

    def __str__(self) -> str:
        return f"{self.number}号窗口 {self.name}"

    def clean(self) -> None:
        if self.unit_id and self.centre_id and self.unit.centre_id != self.centre_id:
            raise ValidationError({"unit": "ORG-1: 窗口单位必须属于同一服务中心"})
        if self.status == self.Status.PAUSED and not (self.redirect_window_id or self.resume_at):
            raise ValidationError(
                {"paused_message": "ORG-6: 暂停服务须告知办事群众到哪个窗口办理或何时恢复服务"}
            )
        if self.redirect_window_id:
            if self.pk and self.redirect_window_id == self.pk:
                raise ValidationError({"redirect_window": "ORG-6: 不能引导至本窗口"})
            redirect = self.redirect_window
            if self.centre_id and redirect is not None and redirect.centre_id != self.centre_id:
                raise ValidationError({"redirect_window": "ORG-6: 引导窗口必须在本服务中心"})

    @property
    def place(self) -> str:
        """Floor and position, without saying the floor twice when the position names it (1楼东区)."""
        if self.floor and self.location.startswith(self.floor):
            return self.location
        return " ".join(x for x in (self.floor, self.location) if x)

    @property
    def is_paused(self) -> bool:
        return self.status == self.Status.PAUSED

    @property
    def pause_sign(self) -> str:
        """The text of the 暂停服务 sign (ORG-6): the note, where to go instead, when service resumes."""
        parts = [f"{self.number}号窗口暂停服务"]
        if self.paused_message:
            parts.append(self.paused_message)
        r = self.redirect_window if self.redirect_window_id else None
        if r is not None:
            where = r.place
            parts.append(f"请到{r.number}号窗口办理" + (f"（{where}）" if where else ""))
        if self.resume_at:
            parts.append(f"预计{timezone.localtime(self.resume_at):%H:%M}恢复服务")
        return "，".join(parts)


class Staff(CentreScoped):
    """A person working in the centre: window staff, chief representatives and the centre office."""

    Role = Role

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    name = models.CharField("姓名", max_length=40)
    staff_no = models.CharField("工号", max_length=32)
    badge_no = models.CharField("考勤卡号/胸牌号", max_length=32, blank=True)
    title = models.CharField("职务", max_length=60, blank=True)
    post_title = models.CharField("岗位", max_length=60, blank=True)
    photo = models.FileField("照片", upload_to="staff/", blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name="派驻单位"
    )
    windows = models.ManyToManyField(Window, blank=True, related_name="staff", verbose_name="窗口")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.WINDOW_STAFF)
    posted_from = models.DateField("进驻日期", null=True, blank=True)
    posted_until = models.DateField("轮换/离岗日期", null=True, blank=True)
    is_active = models.BooleanField("在岗", default=True)
    posting_note = models.CharField(
        "进驻期限提示",
        max_length=120,
        blank=True,
        help_text="ORG-5: 进驻期限短于政策最低年限时的提示(允许但标记)",
    )

    class Meta:
        ordering = ["centre", "unit", "staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "staff_no"], name="staff_no_unique_in_centre")
        ]
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.name}({self.staff_no})"

    @property
    def is_centre_office(self) -> bool:
        return self.role in {self.Role.CENTRE_ADMIN, self.Role.SUPERVISOR, self.Role.AUDITOR}

    def clean(self) -> None:
        if self.role in {self.Role.CHIEF_REP, self.Role.WINDOW_STAFF} and not self.unit_id:
            raise ValidationError({"unit": "ORG-2: 窗口工作人员和首席代表须由派驻单位派驻"})
        unit = self.unit if self.unit_id else None
        if unit is not None and self.centre_id and unit.centre_id != self.centre_id:
            raise ValidationError({"unit": "ORG-1: 派驻单位必须属于同一服务中心"})
        try:
            check_posting(
                posted_from=self.posted_from,
                posted_until=self.posted_until,
                min_years=DEFAULT_MIN_POSTING_YEARS,
            )
        except PostingOrderError as exc:
            raise ValidationError({"posted_until": str(exc)}) from None


class Post(CentreScoped):
    """A post (岗位) with an A holder (主办) and a B holder (辅办) who covers when A is away (ORG-3)."""

    name = models.CharField("岗位名称", max_length=80)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="posts", verbose_name="单位")
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="窗口")
    a_holder = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="a_posts", verbose_name="A角(主办)"
    )
    b_holder = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="b_posts", verbose_name="B角(辅办)"
    )

    class Meta:
        ordering = ["centre", "unit", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(a_holder=F("b_holder")),
                name="post_a_and_b_differ",
                violation_error_message="ORG-3: A角和B角不能是同一人",
            ),
        ]
        verbose_name = verbose_name_plural = "AB岗"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit_id and self.centre_id and self.unit.centre_id != self.centre_id:
            raise ValidationError({"unit": "ORG-1: 单位必须属于同一服务中心"})
        window = self.window if self.window_id else None
        if window is not None and self.unit_id and window.unit_id != self.unit_id:
            raise ValidationError({"window": "ORG-3: 岗位窗口必须属于本单位"})
        a = self.a_holder if self.a_holder_id else None
        b = self.b_holder if self.b_holder_id else None
        problems = check_ab_pair(
            post_centre_id=self.centre_id,
            post_unit_id=self.unit_id,
            a_id=self.a_holder_id,
            a_centre_id=a.centre_id if a else None,
            a_unit_id=a.unit_id if a else None,
            b_id=self.b_holder_id,
            b_centre_id=b.centre_id if b else None,
            b_unit_id=b.unit_id if b else None,
        )
        if problems:
            errors: dict[str, list[str]] = {}
            for problem in problems:
                errors.setdefault(problem.field, []).append(problem.message)
            raise ValidationError(errors)
