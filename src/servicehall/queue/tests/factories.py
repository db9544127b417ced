"""Factories for service lines and tickets; a `hall()` helper builds a small centre with lines and windows."""

from __future__ import annotations

from dataclasses import dataclass, field

import factory

from servicehall.catalog.models import Item
from servicehall.catalog.tests.factories import ItemFactory
from servicehall.org.models import Centre, Staff, Unit, Window
from servicehall.org.tests.factories import (
    CentreFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
    WindowFactory,
)
from servicehall.queue.models import LineWindow, ServiceLine


class ServiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLine

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"综合业务{n}")
    prefix = factory.Sequence(lambda n: "ABCDEFGHJKLMNPQRSTUVWXYZ"[n % 24] + ("" if n < 24 else str(n // 24)))


@dataclass
class Hall:
    centre: Centre
    unit: Unit
    lines: list[ServiceLine]
    items: list[Item]
    windows: list[Window]
    staff: list[Staff] = field(default_factory=list)


_PREFIXES = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def hall(*, lines: int = 1, windows: int = 2, code: str = "hall", with_users: bool = True) -> Hall:
    """A centre with `lines` lines (prefix A, B, ...), one item per line and `windows` windows serving all lines."""
    centre = CentreFactory(code=code, name="测试政务服务中心")
    unit = UnitFactory(centre=centre, name="测试单位")
    made_lines, made_items = [], []
    for i in range(lines):
        line = ServiceLine.objects.create(
            centre=centre, name=f"业务{i + 1}", prefix=_PREFIXES[i], position=i + 1
        )
        item = ItemFactory(unit=unit, centre=centre, name=f"事项{i + 1}", category="综合")
        line.items.add(item)
        made_lines.append(line)
        made_items.append(item)
    made_windows, made_staff = [], []
    for w in range(windows):
        window = WindowFactory(unit=unit, centre=centre, number=str(w + 1), name=f"综合窗口{w + 1}")
        for line in made_lines:
            LineWindow.objects.create(line=line, window=window)
        made_windows.append(window)
        staff = StaffFactory(
            unit=unit, centre=centre, user=UserFactory(username=f"{code}-w{w + 1}") if with_users else None
        )
        staff.windows.add(window)
        made_staff.append(staff)
    return Hall(centre, unit, made_lines, made_items, made_windows, made_staff)
