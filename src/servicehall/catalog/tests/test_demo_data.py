"""The demo catalogue is valid under CAT-1/CAT-2 and loads idempotently."""

from __future__ import annotations

from collections import Counter

import pytest

from servicehall.catalog import selectors, services
from servicehall.catalog.demo_data import demo_items, demo_units
from servicehall.catalog.models import Attachment, Item
from servicehall.core.errors import InputError
from servicehall.org.tests.factories import CentreFactory, UnitFactory


def test_demo_items__about_sixty_in_eight_units_with_every_case_type():
    items = demo_items()
    unit_names = {u["name"] for u in demo_units()}
    assert 55 <= len(items) <= 70
    assert {i["unit"] for i in items} == unit_names
    assert len(unit_names) == 8
    assert set(Counter(i["case_type"] for i in items)) == {"immediate", "promised", "joint", "reported"}
    assert len({i["code"] for i in items}) == len(items)
    assert all(2 <= len(i["materials"]) <= 6 for i in items)


@pytest.mark.django_db
def test_demo_items__import_twice__same_catalogue_and_searchable():
    centre = CentreFactory(code="county")
    for unit in demo_units():
        UnitFactory(centre=centre, name=unit["name"], short_name=unit["short_name"])
    n = services.import_items(centre_id=centre.pk, rows=demo_items(), guide_stock=True)
    again = services.import_items(centre_id=centre.pk, rows=demo_items(), guide_stock=True)
    assert n == again == Item.objects.filter(centre=centre, status=Item.Status.PUBLISHED).count()
    assert Attachment.objects.count() == n
    hits = selectors.published_items(centre_id=centre.pk, q="QYSLDJ")
    assert [i.name for i in hits] == ["企业设立登记"]
    joint = Item.objects.get(code="ZR-005")
    assert [u.name for u in joint.joint_units.all()] == ["税务局"]


@pytest.mark.django_db
def test_import_items__unknown_unit__refused_naming_row_and_nothing_written():
    centre = CentreFactory(code="county")
    UnitFactory(centre=centre, name="市场监督管理局")
    with pytest.raises(InputError) as err:
        services.import_items(centre_id=centre.pk, rows=demo_items()[:12])
    assert err.value.where == "第 2 行（SJ-002）.joint_units"
    assert not Item.objects.exists()
