"""The demo centre: a county centre with 8 units, 30 windows, 80 staff and ~60 catalogue items,
plus one town 便民服务中心, and a login for every role, and its activity (`demo_activity`: cases, today's
queue, leave, punches). Idempotent: running it again changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from servicehall.catalog.demo_data import demo_items, demo_units
from servicehall.catalog.services import import_items
from servicehall.org.models import Centre, Post, Staff, Unit, Window

DEMO_PASSWORD = "servicehall-demo"
COUNTY = {"code": "demo-county", "name": "示范县政务服务中心", "kind": Centre.Kind.COUNTY,
          "address": "示范县人民路 88 号", "phone": "0954-1234567", "complaint_phone": "0954-12345"}  # fmt: skip
TOWN = {"code": "demo-town", "name": "城关镇便民服务中心", "kind": Centre.Kind.TOWN,
        "address": "城关镇中街 6 号", "phone": "0954-7654321", "complaint_phone": "0954-12345"}  # fmt: skip

# Windows and floor per unit, in the order of `catalog.demo_data.demo_units()` (30 windows in all).
WINDOWS_PER_UNIT = [
    (5, "1楼"),
    (3, "2楼"),
    (5, "1楼"),
    (3, "2楼"),
    (3, "2楼"),
    (3, "3楼"),
    (4, "1楼"),
    (4, "3楼"),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国建华志强晓东海燕春梅雪梅丹丹宇航子涵欣怡浩然"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    who: str


def _name(rng: random.Random) -> str:
    given = rng.choice([GIVEN[i : i + 2] for i in range(0, len(GIVEN) - 1, 2)] + list(GIVEN))
    return rng.choice(SURNAMES) + given


def _login(staff: Staff, username: str) -> None:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if staff.user_id != user.pk:
        staff.user = user
        staff.save(update_fields=["user"])


@transaction.atomic
def build_demo(*, activity: bool = True) -> list[DemoLogin]:
    rng = random.Random(20260301)
    county, _ = Centre.objects.get_or_create(code=COUNTY["code"], defaults=COUNTY)
    town, _ = Centre.objects.get_or_create(code=TOWN["code"], defaults={**TOWN, "parent": county})

    office = _staff(county, None, "O0001", "周建国", Staff.Role.CENTRE_ADMIN, "中心主任")
    supervisor = _staff(county, None, "O0002", "郑海燕", Staff.Role.SUPERVISOR, "效能监察室主任")
    auditor = _staff(county, None, "O0003", "冯子涵", Staff.Role.AUDITOR, "审计专员")
    window_no, staff_no = 1, 1
    units: list[Unit] = []
    for spec, (windows, floor) in zip(demo_units(), WINDOWS_PER_UNIT, strict=True):
        name, short = spec["name"], spec["short_name"]
        unit, _ = Unit.objects.get_or_create(centre=county, name=name, defaults={"short_name": short})
        units.append(unit)
        unit_windows = []
        for i in range(windows):
            window, _ = Window.objects.get_or_create(
                centre=county, number=str(window_no),
                defaults={"name": f"{short}{'综合受理' if i == 0 else '业务办理'}窗口", "unit": unit,
                          "floor": floor, "location": f"{floor}{'东' if window_no % 2 else '西'}区 {window_no} 号",
                          "business_scope": f"{name}进驻事项的咨询、受理与办结"},
            )  # fmt: skip
            unit_windows.append(window)
            window_no += 1
        members = []
        for i in range(10):  # 8 units x 10 = 80 staff
            role = Staff.Role.CHIEF_REP if i == 0 else Staff.Role.WINDOW_STAFF
            person = _staff(
                county, unit, f"S{staff_no:04d}", _name(rng), role, "首席代表" if i == 0 else "科员"
            )
            person.windows.add(unit_windows[i % len(unit_windows)])
            members.append(person)
            staff_no += 1
        if unit.chief_rep_id != members[0].pk:
            unit.chief_rep = members[0]
            unit.save(update_fields=["chief_rep"])
        for i, window in enumerate(unit_windows):
            a, b = members[1 + (2 * i) % 9], members[2 + (2 * i) % 8]
            Post.objects.get_or_create(
                centre=county,
                unit=unit,
                name=f"{window.name}岗",
                defaults={"window": window, "a_holder": a, "b_holder": b},
            )

    town_unit, _ = Unit.objects.get_or_create(
        centre=town, name="城关镇综合便民服务窗口", defaults={"short_name": "便民"}
    )
    for n in (1, 2):
        window, _ = Window.objects.get_or_create(
            centre=town,
            number=str(n),
            defaults={"name": f"综合受理{n}号窗口", "unit": town_unit, "floor": "1楼"},
        )
        person = _staff(town, town_unit, f"T{n:04d}", _name(rng), Staff.Role.WINDOW_STAFF, "便民服务专员")
        person.windows.add(window)

    chief = units[0].chief_rep
    clerk = Staff.objects.filter(unit=units[0], role=Staff.Role.WINDOW_STAFF).order_by("staff_no").first()
    logins = [
        DemoLogin("office", office.get_role_display(), f"{office.name}，{county.name}"),
        DemoLogin("supervisor", supervisor.get_role_display(), supervisor.name),
        DemoLogin("chief", chief.get_role_display(), f"{chief.name}，{units[0].name}"),  # type: ignore[union-attr]  # the demo built these logins
        DemoLogin("staff", clerk.get_role_display(), f"{clerk.name}，{units[0].name}"),  # type: ignore[union-attr]  # the demo built these logins
        DemoLogin("auditor", auditor.get_role_display(), auditor.name),
    ]
    for login, staff in zip(logins, (office, supervisor, chief, clerk, auditor), strict=True):
        _login(staff, login.username)  # type: ignore[arg-type]  # the demo built these logins
    _grant_reference_data_admin(office.user)
    user_model = get_user_model()
    if not user_model.objects.filter(username="admin").exists():
        user_model.objects.create_superuser("admin", "", DEMO_PASSWORD)
    logins.append(DemoLogin("admin", "系统管理员 (Django admin)", "superuser"))

    import_items(centre_id=county.pk, rows=demo_items(), guide_stock=True)
    _publish_policy(county, town, office)
    _build_queue_lines(county, units)
    from servicehall.site.demo_activity import build_activity  # cases, queue, leave, punches

    if activity:
        build_activity(centre=county, office=office)
    return logins


REFERENCE_APPS = ("org", "catalog", "workdays", "policy", "queue")


def _grant_reference_data_admin(user) -> None:
    """The centre office keeps reference data in the admin: units, windows, staff, items, calendar, policy."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name="中心管理办公室 · 基础数据")
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=REFERENCE_APPS))
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _staff(centre: Centre, unit: Unit | None, number: str, name: str, role: str, title: str) -> Staff:
    staff, _ = Staff.objects.get_or_create(
        centre=centre, staff_no=number,
        defaults={"name": name, "unit": unit, "role": role, "title": title, "badge_no": f"9{number[1:]}",
                  "posted_from": date(2025, 1, 1)},
    )  # fmt: skip
    return staff


def _build_queue_lines(centre: Centre, units: list[Unit]) -> None:
    """One queue line per unit (A, B, ...), serving its items at its windows (Q-1)."""
    from servicehall.catalog.models import Item
    from servicehall.queue.models import LineWindow, ServiceLine

    for position, unit in enumerate(units, start=1):
        line, created = ServiceLine.objects.get_or_create(
            centre=centre,
            prefix="ABCDEFGH"[position - 1],
            defaults={"name": f"{unit.short_name or unit.name}业务", "position": position},
        )
        if not created:
            continue
        line.items.set(Item.objects.filter(unit=unit, status=Item.Status.PUBLISHED))
        for window in unit.windows.all():
            LineWindow.objects.get_or_create(line=line, window=window)


def _publish_policy(county: Centre, town: Centre, actor: Staff) -> None:
    from servicehall.policy_versions.services import ensure_centre_policy

    for centre in (county, town):  # each centre's own office publishes its policy (ORG-1): the system here
        ensure_centre_policy(
            centre=centre, effective_from=date(2025, 1, 1), actor=actor.user if centre == county else None
        )
