"""The demo centre: a county centre with 8 units, 30 windows, 80 staff and ~60 catalogue items,
plus one town 便民服务中心, and a login for every role. Idempotent: running it again changes nothing.
"""

from __future__ import annotations

import importlib.util
import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from servicehall.org.models import Centre, Post, Staff, Unit, Window

DEMO_PASSWORD = "servicehall-demo"
COUNTY = {"code": "demo-county", "name": "示范县政务服务中心", "kind": Centre.Kind.COUNTY,
          "address": "示范县人民路 88 号", "phone": "0954-1234567", "complaint_phone": "0954-12345"}  # fmt: skip
TOWN = {"code": "demo-town", "name": "城关镇便民服务中心", "kind": Centre.Kind.TOWN,
        "address": "城关镇中街 6 号", "phone": "0954-7654321", "complaint_phone": "0954-12345"}  # fmt: skip

# (unit name, short name, windows, floor)
UNITS = [
    ("示范县市场监督管理局", "市场监管", 5, "1楼"),
    ("示范县人力资源和社会保障局", "人社", 5, "1楼"),
    ("示范县公安局", "公安", 4, "1楼"),
    ("示范县自然资源局", "自然资源", 3, "2楼"),
    ("示范县住房和城乡建设局", "住建", 3, "2楼"),
    ("示范县卫生健康委员会", "卫健", 3, "2楼"),
    ("示范县交通运输局", "交通运输", 3, "3楼"),
    ("国家税务总局示范县税务局", "税务", 4, "3楼"),
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
def build_demo() -> list[DemoLogin]:
    rng = random.Random(20260301)
    county, _ = Centre.objects.get_or_create(code=COUNTY["code"], defaults=COUNTY)
    town, _ = Centre.objects.get_or_create(code=TOWN["code"], defaults={**TOWN, "parent": county})

    office = _staff(county, None, "O0001", "周建国", Staff.Role.CENTRE_ADMIN, "中心主任")
    supervisor = _staff(county, None, "O0002", "郑海燕", Staff.Role.SUPERVISOR, "效能监察室主任")
    auditor = _staff(county, None, "O0003", "冯子涵", Staff.Role.AUDITOR, "审计专员")
    window_no, staff_no = 1, 1
    units: list[Unit] = []
    for name, short, windows, floor in UNITS:
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
        DemoLogin("chief", chief.get_role_display(), f"{chief.name}，{units[0].name}"),
        DemoLogin("staff", clerk.get_role_display(), f"{clerk.name}，{units[0].name}"),
        DemoLogin("auditor", auditor.get_role_display(), auditor.name),
    ]
    for login, staff in zip(logins, (office, supervisor, chief, clerk, auditor), strict=True):
        _login(staff, login.username)
    user_model = get_user_model()
    if not user_model.objects.filter(username="admin").exists():
        user_model.objects.create_superuser("admin", "", DEMO_PASSWORD)
    logins.append(DemoLogin("admin", "系统管理员 (Django admin)", "superuser"))

    _build_catalogue(county, units, rng)
    _publish_policy(county, town, office)
    return logins


def _staff(centre: Centre, unit: Unit | None, number: str, name: str, role: str, title: str) -> Staff:
    staff, _ = Staff.objects.get_or_create(
        centre=centre, staff_no=number,
        defaults={"name": name, "unit": unit, "role": role, "title": title, "badge_no": f"9{number[1:]}",
                  "posted_from": date(2025, 1, 1)},
    )  # fmt: skip
    return staff


def _build_catalogue(centre: Centre, units: list[Unit], rng: random.Random) -> None:
    if importlib.util.find_spec("servicehall.catalog.demo_data") is None:
        return
    from servicehall.catalog.demo_data import demo_items
    from servicehall.catalog.models import Item, Material

    by_name = {u.name: u for u in units} | {u.short_name: u for u in units}
    for index, spec in enumerate(demo_items(), start=1):
        spec = dict(spec)
        materials = spec.pop("materials", [])
        unit_key = spec.pop("unit", None)
        unit = _match_unit(unit_key, by_name) or units[index % len(units)]
        code = spec.pop("code", None) or f"DEMO-{index:03d}"
        fields = {k: v for k, v in spec.items() if k in {f.name for f in Item._meta.get_fields()}}
        fields.pop("joint_units", None)
        item, created = Item.objects.get_or_create(
            centre=centre, code=code, defaults={**fields, "unit": unit, "status": Item.Status.PUBLISHED}
        )
        if created:
            for position, m in enumerate(materials, start=1):
                m = {k: v for k, v in dict(m).items() if k in {"name", "form", "copies", "required", "note"}}
                Material.objects.create(item=item, position=position, **m)
            item.save()  # lets the catalogue fill derived fields (pinyin initials)


def _match_unit(key: str | None, by_name: dict[str, Unit]) -> Unit | None:
    if not key:
        return None
    if key in by_name:
        return by_name[key]
    for name, unit in by_name.items():
        core = key.replace("示范县", "").replace("局", "").replace("(户政)", "")[:2]
        if core and core in name:
            return unit
    return None


def _publish_policy(county: Centre, town: Centre, actor: Staff) -> None:
    if importlib.util.find_spec("servicehall.policy.services") is None:
        return
    from django.conf import settings

    from servicehall.policy import services

    publish = getattr(services, "publish_policy_version", None)
    if publish is None:
        return
    from servicehall.policy.models import PolicyVersion

    for centre in (county, town):
        if not PolicyVersion.objects.filter(centre=centre).exists():
            publish(
                centre=centre, source=settings.SERVICEHALL_DEFAULT_PRESET, effective_from=date(2025, 1, 1),
                actor=actor.user,
            )  # fmt: skip
